"""The people in the evidence: their right to withdraw, and the evaluator's sign-off of the
quotes taken from their words. The commands that write :mod:`coprod_eval.inputs.ledger` records."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from ..base.errors import UsageError, hidden_characters
from ..base.frozen import FrozenDict
from ..base.identity import normalise_id
from ..inputs.ledger import QUOTE_APPROVALS, WITHDRAWALS, append

NOT_IN_EVIDENCE = ("'{id}' is not a respondent, attendee, partner or participant in this "
                   "evaluation's evidence")


def withdraw(folder: str | Path, person: str, *, reason: str, by: str,
             on: date | None = None) -> dict:
    """Record a withdrawal; return the entry (with the runs it supersedes)."""
    from ..inputs.load import load_evaluation
    from ..inputs.people import people_in
    from ..runs.folder import completed_runs

    folder = Path(folder)
    evaluation = load_evaluation(folder)
    key = normalise_id(person)
    if key in evaluation.withdrawn:
        raise UsageError(f"'{person}' has already withdrawn (see {WITHDRAWALS})")
    if key not in people_in(evaluation, include_withdrawn=True):
        raise UsageError(NOT_IN_EVIDENCE.format(id=person))
    entry = {"id": key, "date": (on or date.today()).isoformat(), "by": by, "reason": reason,
             "superseded": [run.name for run in completed_runs(folder)
                            if _run_may_hold(run, folder, key)]}
    append(folder, WITHDRAWALS, [entry])
    return entry


def _run_may_hold(run: Path, folder: Path, key: str) -> bool:
    """Whether a finished run may hold a person's evidence. It may unless every evidence
    file it read is unchanged since and none of them names the person."""
    import json

    from ..inputs.people import file_names_person

    try:
        manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return True
    for item in manifest.get("inputs", []):
        name = item.get("path", "")
        if not name.startswith("evidence/"):
            continue
        path = folder / name
        try:
            data = path.read_bytes()
        except OSError:
            return True
        if hashlib.sha256(data).hexdigest() != item.get("sha256"):
            return True  # changed since: cannot tell, so assume it did
        if file_names_person(data, key):
            return True
    return False


def approve_quotes(folder: str | Path, excerpts: list[str], *, by: str, role: str = "",
                   keep: tuple[str, ...] = (), reason: str = "",
                   on: date | None = None) -> list[dict]:
    """Record the evaluator's approval of quotes, by excerpt id, exactly as they would be
    published now (under today's masking rules); ``keep`` names masked spans of one quote to
    publish after all, for the ``reason`` given."""
    from ..disclosure.safequote import normalise, rules
    from ..inputs.evidence import load_evidence
    from ..inputs.load import load_evaluation
    from ..pipeline import quote_candidates

    folder = Path(folder)
    for label, value in (("--by", by), ("--role", role), ("--reason", reason),
                         *(("--keep", k) for k in keep)):
        if hidden_characters(value):
            raise UsageError(f"{label} holds a control or invisible character: type it again "
                             "as plain text")
    if keep and (len(excerpts) != 1 or not reason.strip()):
        raise UsageError("--keep applies to one quote at a time and needs --reason: why "
                         "publishing that detail is safe")
    evaluation = load_evaluation(folder)
    kept = [{"text": normalise(k), "reason": reason.strip()} for k in keep]
    if kept:  # what the quote would be with them kept
        evaluation = _with_approval(evaluation, excerpts[0], {"kept": kept})
    candidates = {c["excerpt"]: c for c in quote_candidates(evaluation,
                                                             load_evidence(evaluation))
                  if c["consented"]}
    unknown = [e for e in excerpts if e not in candidates]
    if unknown:
        raise UsageError(f"not quotable: {', '.join(unknown)} (each must be an excerpt id in "
                         "the qualitative evidence, consented for quotation; list them with "
                         f"coprod-eval quotes {folder})")
    for k in kept:
        if not any(span in k["text"] for span in candidates[excerpts[0]]["kept"]):
            raise UsageError(f"'{k['text']}' is not masked in {excerpts[0]} as it would be "
                             "published (nothing to keep; a name or id the de-identifier "
                             "replaces can never be kept): see coprod-eval quotes "
                             f"{folder}")
    today = (on or date.today()).isoformat()
    entries = [{"excerpt": e, "fingerprint": candidates[e]["fingerprint"], "rules": rules(),
                "by": by, "role": role or None, "date": today,
                **({"kept": kept} if kept and e == excerpts[0] else {})} for e in excerpts]
    append(folder, QUOTE_APPROVALS, entries)
    return entries


def _with_approval(evaluation, excerpt: str, approval: dict):
    from dataclasses import replace
    return replace(evaluation, quote_approvals=FrozenDict(
        {**evaluation.quote_approvals, excerpt: approval}))
