"""The parts of a result beside the ratings: the framework as read, the evaluation's own
co-production, coder agreement, the project's claimed ratings, what privacy held back, and
a summary of the evidence."""

from __future__ import annotations

from ..base.stats import cohen_kappa, krippendorff_nominal
from ..disclosure.privacy import (
    BAND_BELOW,
    published_share,
    rate_band,
    safe_count,
)
from ..results import frozen


def framework_summary(framework, evaluation) -> dict:
    """What a report needs to know about the yardstick, without reloading it: its names,
    ratings, levels and stages, and its rules as data (the words quote them at render)."""
    from ..yardsticks.framework import FRAMEWORKS_DIR

    high, medium = framework.confidence_high, framework.confidence_medium
    return {
        "id": framework.id, "version": framework.version, "name": framework.name,
        "source": framework.source,
        "builtin": str(evaluation.framework_file).startswith(str(FRAMEWORKS_DIR)),
        "ratings": [{"id": r.id, "label": r.label, "colour": r.colour, "meaning": r.meaning}
                    for r in framework.ratings],
        "ladder": {"id": framework.ladder.id, "version": framework.ladder.version,
                   "name": framework.ladder.name, "source": framework.ladder.source,
                   "builtin": framework.ladder.builtin,
                   "prose_names": framework.ladder.prose_names,
                   "levels": [{"id": lv.id, "name": lv.name, "band": lv.band,
                               "meaning": lv.meaning} for lv in framework.levels]},
        "stages": [{"id": s.id, "name": s.name} for s in framework.stages],
        "level_rules": [{"level": rule.level, "all_at_least": rule.all_at_least,
                         "at_least_rating": rule.at_least_rating,
                         "at_least_count": rule.at_least_count}
                        for rule in framework.level_rules],
        "stage_rule_stages": list(framework.stage_rule_stages),
        "rubric": {"combine": framework.combine, "no_evidence": framework.no_evidence},
        "confidence": {"high": {"streams": high.streams, "agree_within": high.agree_within},
                       "medium": {"streams": medium.streams,
                                  "agree_within": medium.agree_within}},
        "min_rows": dict(framework.min_rows),
    }


EVALUATION_TASKS = ("yardstick", "questions", "coding", "interpretation")


def coproduced(stated: dict | None, current: int) -> dict | None:
    """Who shaped the evaluation, task by task (and whether partners were among them), and
    the partners' sense-making step, as evaluation.yaml records them, with the round whose
    findings it read (this round unless it says otherwise)."""
    if stated is None:
        return None
    partners = set(stated["partner_roles"])
    making = stated.get("sense_making")
    return {"tasks": [{"task": task, "roles": list(stated.get(task) or []),
                       "partners": bool(partners & set(stated.get(task) or []))}
                      for task in EVALUATION_TASKS],
            "sense_making": None if not making else {
                "round": int(making.get("round") or current),
                "date": making["date"], "reviewers": list(making["reviewers"]),
                "reading": " ".join(making["reading"].split()), "sign": making["sign"],
                "why": " ".join(str(making.get("why") or "").split()) or None}}


def frozen_or_none(value: dict | None):
    return None if value is None else frozen(value)


def agreement(evidence, min_units: int) -> dict | None:
    table = evidence.records.get("qualitative")
    if table is None:
        return None
    coded = table.groupby("excerpt_id", sort=True)[["principle", "code"]].agg(list)
    pairs = [(p[:2], c[:2]) for p, c in zip(coded["principle"], coded["code"]) if len(p) >= 2]
    if len(pairs) < min_units:
        return {"double_coded": len(pairs), "cohen_kappa": None, "krippendorff_alpha": None,
                "principle_agreement": None, "min_double_coded": min_units}
    # what the excerpt indicator counts is the code (supports or contradicts): agreement is
    # measured on it; agreement on the principle is reported beside it
    first = [c[0] for _, c in pairs]
    second = [c[1] for _, c in pairs]
    same_principle = sum(p[0] == p[1] for p, _ in pairs) / len(pairs)
    return {"double_coded": len(pairs), "cohen_kappa": round(cohen_kappa(first, second), 3),
            "krippendorff_alpha": round(krippendorff_nominal(first, second), 3),
            "principle_agreement": round(100 * same_principle, 1),
            "min_double_coded": min_units}


def claimed_ratings(evidence) -> dict[str, str]:
    table = evidence.records.get("self_assessment")
    if table is None:
        return {}
    return dict(zip(table["principle"], table["claimed_rating"]))


def privacy_summary(evaluation, principles, redactor, held) -> dict:
    """What disclosure control did, for the methods section (no values, no originals)."""
    withheld = []
    for p in principles:
        withheld += [{"principle": p.id, "group": role} for role, stats in p.groups.items()
                     if stats.suppressed]
        withheld += [{"principle": p.id, "indicator": i.id} for i in p.evidence
                     if i.status in ("figure_withheld", "rating_withheld")]
    return {"min_group_size": evaluation.min_group_size, "round_to": evaluation.round_to,
            "withheld": withheld, "redactions": dict(sorted(redactor.counts.items())),
            "quotes_held_back": held, "withdrawals": bool(evaluation.withdrawn)}


def evidence_summary(evidence, evaluation) -> dict:
    min_n, round_to = evaluation.min_group_size, evaluation.round_to
    summary: dict = {}
    survey = evidence.survey
    if survey is None:
        summary["survey"] = {"present": False}
    else:
        respondents, rates, bands = {}, {}, {}
        for group in evaluation.groups:
            answered = int(survey.role_mask(group.id).sum())
            respondents[group.id] = safe_count(answered, min_n, round_to)
            shown = respondents[group.id]
            if not group.invited or shown is None:
                rates[group.id], bands[group.id] = None, None
            elif 0 < shown < BAND_BELOW:
                # the invited are known to the reader: a small group's rate is the band that
                # holds every rate its rounded count allows, so it cannot undo the rounding
                rates[group.id], bands[group.id] = None, rate_band(shown, group.invited, min_n,
                                                                   round_to)
            else:  # from rounded counts, or a band when rounding would move it far
                rates[group.id], bands[group.id] = published_share(
                    min(answered, group.invited), group.invited, round_to, people=answered)
        answered = survey.codes > 0
        summary["survey"] = {
            "present": True,
            "items": len(survey.items),
            "respondents": respondents,
            "response_rate": rates,
            "response_rate_band": bands,
            # a whole number: one decimal of a share of every answer would tell their number
            "pct_missing": round(100.0 * (1 - answered.mean())) if answered.size else None,
        }
    for stream, present in evidence.streams.items():
        if stream != "survey":
            summary[stream] = ({"present": True,
                                "records": safe_count(evidence.rows(stream), min_n, round_to)}
                               if present else {"present": False})
    if "qualitative" in evidence.records:
        table = evidence.records["qualitative"]
        double = table.groupby("excerpt_id")["coder"].nunique()
        summary["qualitative"]["double_coded"] = int((double > 1).sum())
    return summary
