"""The quote bank: every excerpt as it would be published (normalised, de-identified, masked
where not known to be safe; :mod:`coprod_eval.disclosure.safequote`), and the quotes a
report shows — only those whose speaker consented and whose approval matches the words as
published."""

from __future__ import annotations

from ..inputs.people import pseudonyms
from ..results import FrozenDict
from ..yardsticks.measures import primary_codes

QUOTES_PER_CODE = 2


def quote_candidates(evaluation, evidence, redactor=None) -> list[dict]:
    """Every excerpt as it would be published (all of them, so nothing raw is ever at hand):
    normalised, de-identified, then masked wherever it is not known to be safe (keeping the
    spans its approval keeps on purpose), with whether its speaker consented to being quoted
    and the fingerprint an approval must match (its published text under today's rules)."""
    from ..disclosure.deidentify import Redactor
    from ..disclosure.safequote import Masker, evaluation_vocabulary, normalise, rules
    from ..inputs.ledger import fingerprint

    redactor = redactor or Redactor(roster=evaluation.roster, pseudonyms=pseudonyms(evidence))
    table = evidence.records.get("qualitative")
    if table is None:
        return []
    masker = Masker(*evaluation_vocabulary(evaluation))
    candidates = []
    for row in primary_codes(table).itertuples():
        approval = evaluation.quote_approvals.get(row.excerpt_id) or {}
        keep = tuple((k["text"], k["reason"]) for k in approval.get("kept") or ())
        masked = masker(redactor(normalise(row.excerpt)), keep)
        candidates.append({"excerpt": row.excerpt_id, "principle": row.principle,
                           "code": row.code, "source": row.source.replace("_", " "),
                           "consented": _yes(row.consent_to_quote),
                           "text": masked.text, "marked": masked.marked(),
                           "masked": [s.found for s in masked.spans if not s.kept],
                           "kept": [s.found for s in masked.spans if s.kept],
                           "fingerprint": fingerprint(rules() + "\n" + masked.text)})
    return candidates


def _yes(value) -> bool:
    """A yes/no cell as read: True only for yes (blank and no are no)."""
    import pandas as pd

    return bool(not pd.isna(value) and value)


def quote_bank(evaluation, evidence):
    """De-identified quotes per principle, the redactor that made them (its log), and what
    was held back: a quote is shown only when its speaker consented and the evaluator's
    approval matches its text."""
    from ..disclosure.deidentify import Redactor

    redactor = Redactor(roster=evaluation.roster, pseudonyms=pseudonyms(evidence))
    held = {"not_consented": 0, "awaiting_approval": 0, "approval_lapsed": 0}
    quotes: dict[str, list] = {p.id: [] for p in evaluation.framework.principles}
    for candidate in quote_candidates(evaluation, evidence, redactor):
        approval = evaluation.quote_approvals.get(candidate["excerpt"])
        if not candidate["consented"]:
            held["not_consented"] += 1
        elif approval is None:
            held["awaiting_approval"] += 1
        elif approval.get("fingerprint") != candidate["fingerprint"]:
            held["approval_lapsed"] += 1
        else:
            chosen = quotes.setdefault(candidate["principle"], [])
            if sum(q["code"] == candidate["code"] for q in chosen) < QUOTES_PER_CODE:
                chosen.append(FrozenDict({"code": candidate["code"],
                                          "source": candidate["source"],
                                          "text": candidate["text"],
                                          "kept": tuple(candidate["kept"])}))
    ordered = {pid: tuple(sorted(q, key=lambda q: q["code"] != "supports"))
               for pid, q in quotes.items()}
    return ordered, redactor, held
