"""Inconvenient truths in words, from the facts each kind records
(coprod_eval/compute/truths.py)."""

from __future__ import annotations

from .catalog import N_, _, and_list, capital, n_, number
from .figures import effect_word, indicator_value, shown_figure, unit_figure
from .names import evidence_name, level_name, partners_label, rating_label, stage_name, stream_name

TRUTHS_LEDE = N_("Claims the evidence does not support, and practice that falls short, most "
                 "serious first.")


def truths_lede() -> str:
    return _(TRUTHS_LEDE)


def truth_text(result, truth) -> str:
    """One inconvenient truth as a reader sees it, worded by the check that raised it (a
    kind in truths.yaml names its check)."""
    from ...yardsticks.truthkinds import truth_kinds

    if "legacy_text" in truth["facts"]:  # an earlier release's result: its own words
        return truth["facts"]["legacy_text"]
    check = next(k.trigger for k in truth_kinds() if k.id == truth["kind"])
    return WRITERS[check](result, truth["facts"], truth)


def truth_evidence(truth) -> str:
    return "; ".join(evidence_name(code) for code in truth["evidence"])


def _claim(result, facts, truth) -> str:
    return _("The project claims {claimed}; even at the generous end of the evidence's "
             "uncertainty it shows no more than {high}. The claim is not supported.",
             claimed=level_name(result, facts["claimed_level"]),
             high=level_name(result, facts["level_high"]))


def _overstated(result, facts, truth) -> str:
    listed = "; ".join(
        _("{principle} (claimed {claimed}, the evidence allows at most {at_most})",
          principle=result.by_principle[p["id"]].name,
          claimed=rating_label(result, p["claimed"]),
          at_most=rating_label(result, p["at_most"])) for p in facts["principles"])
    return n_("The project's self-assessment rates {n} of {total} principles higher than the "
              "evidence allows: {listed}.", "The project's self-assessment rates {n} of {total} "
              "principles higher than the evidence allows: {listed}.",
              len(facts["principles"]), total=facts["total"], listed=listed)


def _not_supplied(result, facts, truth) -> str:
    return _("The partnership's plan (version {version}) promised {evidence} as evidence for "
             "{principles}; none was supplied.", version=facts["plan_version"],
             evidence=evidence_name(facts["stream"]),
             principles=and_list([result.by_principle[p].name for p in facts["principles"]]))


def _practice(result, facts, truth) -> str:
    principle = result.by_principle[truth["principle"]]
    indicator = next(i for i in principle.evidence if i.id == facts["indicator"])
    statement = indicator.truth or indicator.label
    if indicator.band is not None:  # a band, or the organisation's conduct in words
        return _("{statement} {label}: {value}.", statement=statement, label=indicator.label,
                 value=indicator_value(indicator))
    if indicator.value is None:
        return _("{statement} The figure is withheld: it concerns few people.",
                 statement=statement)
    if indicator.interval is None:
        return _("{statement} {label}: {value}.", statement=statement, label=indicator.label,
                 value=shown_figure(indicator))
    low, high = indicator.interval
    return _("{statement} {label}: {value} (95% interval {low} to {high}).",
             statement=statement, label=indicator.label,
             value=shown_figure(indicator),
             low=unit_figure(low, indicator.unit), high=unit_figure(high, indicator.unit))


def _gap(result, facts, truth) -> str:
    group, reference = facts["group"], facts["reference"]
    rows = []
    for pid in facts["principles"]:
        p = result.by_principle[pid]
        for c in p.comparisons:
            if c.group == group and c.reference == reference and c.finding:
                rows.append(_("{principle} (typical score {mine} against {theirs}: a {effect} "
                              "difference)", principle=p.name, mine=number(c.typical[0], 1),
                              theirs=number(c.typical[1], 1), effect=effect_word(c.effect)))
    return n_("{group} experience {n} principle as less practised than {reference} do, beyond "
              "chance: {rows}.", "{group} experience {n} principles as less practised than "
              "{reference} do, beyond chance: {rows}.", len(rows),
              group=result.group_label(group),
              reference=result.group_label(reference).lower(), rows="; ".join(rows))


def _stage_claims(result, facts, truth) -> str:
    listed = and_list([_("{stage} (claimed {claimed}, recorded {evidenced})",
                         stage=stage_name(result, s["stage"]).lower(),
                         claimed=level_name(result, s["claimed"]),
                         evidenced=level_name(result, s["evidenced"]))
                       for s in facts["stages"]])
    return n_("The project claims more partner involvement than its own records show at {n} "
              "stage: {listed}.", "The project claims more partner involvement than its own "
              "records show at {n} stages: {listed}.", len(facts["stages"]), listed=listed)


def _joined(result, facts, truth) -> str:
    who = partners_label(result)
    if facts["stage"] is None:
        return _("The stage records show no point at which {who} joined.", who=who.lower())
    return _("{who} joined at the {stage} stage, after the design was fixed.",
             who=capital(who), stage=stage_name(result, facts["stage"]).lower())


def _under_represented(result, facts, truth) -> str:
    by: dict[str, list[str]] = {}
    for entry in facts["categories"]:
        by.setdefault(entry["characteristic"], []).append(entry["category"])
    parts = [_("{characteristic}: {categories}",
               characteristic=characteristic.replace("_", " "),
               categories=and_list(categories)) for characteristic, categories in by.items()]
    return _("Fewer partners than the population the service is for would give, beyond "
             "noise, in {parts}.", parts="; ".join(parts))


WRITERS = {"claim_not_supported": _claim, "self_assessment_overstated": _overstated,
           "evidence_not_supplied": _not_supplied, "practice_falls_short": _practice,
           "partners_score_lower": _gap, "stage_claims_overstated": _stage_claims,
           "partners_joined_late": _joined, "under_represented": _under_represented}


def no_truths(result) -> str:
    """Said when no truth was raised: and what could not be checked, for want of evidence."""
    missing = [stream_name(n) for n, s in result.evidence.items() if not s.get("present")]
    if missing:
        return _("No shortfall found in the evidence supplied; not checked, for want of "
                 "evidence: {missing}.", missing=and_list(missing))
    return _("No shortfall found in the evidence supplied.")


def more_truths(count: int) -> str:
    return n_("{n} more in “Inconvenient truths” below.",
              "{n} more in “Inconvenient truths” below.", count)
