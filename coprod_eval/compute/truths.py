"""Inconvenient truths: claims the evidence does not support and practice that falls short.

The kinds are data (``data/truths.yaml``, read by :mod:`coprod_eval.yardsticks.truthkinds`:
trigger, severity, what adds to it, and the reason for it); this module holds the checks a
kind's ``trigger`` names. The list is ranked by
severity, most serious first. A truth is only raised where the evidence is clear: a claim
counts as unsupported only when even the top of the evidence's plausible range falls short.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ..results import FrozenDict
from ..yardsticks.truthkinds import TRIGGER_NAMES, truth_kinds
from .room import under_represented

# --- the checks a kind can name --------------------------------------------------------------
# Each takes (kind, framework, principles, overall, groups) and returns a list of
# (severity, sort key, truth) for what it finds.

def _claim_not_supported(kind, framework, principles, overall, groups):
    if overall.claim_verdict != "not_supported":
        return []
    steps = framework.level_index(overall.claimed_level) - framework.level_index(
        overall.level_range[1])
    return [(kind.scored(steps), "", {
        "principle": None,
        "facts": {"claimed_level": overall.claimed_level, "level_high": overall.level_range[1]},
        "evidence": ["ratings"] + (["stages"] if overall.stages else [])})]


def _self_assessment_overstated(kind, framework, principles, overall, groups):
    ratings = framework.rating_index
    overstated = [p for p in principles if p.claimed_rating and (
        ratings(p.claimed_rating) > ratings(p.rating_range[1]))]
    if not overstated:
        return []
    steps = max(ratings(p.claimed_rating) - ratings(p.rating_range[1]) for p in overstated)
    return [(kind.scored(steps), "", {
        "principle": overstated[0].id if len(overstated) == 1 else None,
        "facts": {"principles": [{"id": p.id, "claimed": p.claimed_rating,
                                  "at_most": p.rating_range[1]} for p in overstated],
                  "total": len(principles)},
        "evidence": ["self_assessment", "ratings"]})]


def _practice_falls_short(kind, framework, principles, overall, groups):
    ratings = framework.rating_index
    clear_at_most = int(kind.parameters.get("steps_above_bottom", 1))
    bottom = framework.ratings[0].id
    found = []
    for p in principles:
        indicators = {i.id: i for i in framework.principle(p.id).indicators}
        for result in p.evidence:
            truth = indicators[result.id].truth
            clear = (result.rating_range is not None
                     and ratings(result.rating_range[1]) <= clear_at_most)
            if truth and result.rating == bottom and clear:
                found.append((kind.scored(), p.id + result.id, {
                    "principle": p.id, "facts": {"indicator": result.id},
                    "evidence": [result.stream]}))
    return found


def _partners_score_lower(kind, framework, principles, overall, groups):
    """One truth per group of partners scoring lower than its reference group, beyond
    chance, on any principle."""
    side = {g["id"]: g["side"] for g in groups}
    found = []
    for group in [g["id"] for g in groups if g["side"] == "partner"]:
        apart = sorted((c for p in principles for c in p.comparisons
                        if c.group == group and c.finding and c.sign < 0
                        and side.get(c.reference) == "staff"),
                       key=lambda c: -c.magnitude)
        if not apart:
            continue
        owners = [p for p in principles if any(c in apart for c in p.comparisons)]
        found.append((kind.scored(apart[0].magnitude), group, {
            "principle": owners[0].id if len(owners) == 1 else None,
            "facts": {"group": group, "reference": apart[0].reference,
                      "principles": [p.id for p in owners]},
            "evidence": ["survey"]}))
    return found


def _stage_claims_overstated(kind, framework, principles, overall, groups):
    level = framework.level_index
    claims = [s for s in overall.stages if s["claimed_level"] and s["evidenced_level"]
              and level(s["claimed_level"]) > level(s["evidenced_level"])]
    if not claims:
        return []
    return [(kind.scored(), "stage-claims", {
        "principle": None,
        "facts": {"stages": [{"stage": s["stage"], "claimed": s["claimed_level"],
                              "evidenced": s["evidenced_level"]} for s in claims]},
        "evidence": ["stages"]})]


def _partners_joined_late(kind, framework, principles, overall, groups):
    if not overall.stages:
        return []
    joined = overall.partners_joined_stage
    late = joined is not None and framework.stage_index(joined) > framework.stage_index(
        framework.design_stage)
    if joined is not None and not late:
        return []
    return [(kind.scored(), "stages", {
        "principle": None, "facts": {"stage": joined}, "evidence": ["stages"]})]


def _evidence_not_supplied(kind, framework, principles, overall, groups, plan):
    if plan is None:
        return []
    missing: dict[str, list[str]] = {}
    for row in plan["principles"]:
        for stream in row["not_supplied"]:
            missing.setdefault(stream, []).append(row["id"])
    return [(kind.scored(len(where)), stream, {
        "principle": None,
        "facts": {"stream": stream, "principles": where, "plan_version": plan["version"]},
        "evidence": ["plan", stream]})
        for stream, where in sorted(missing.items())]


def _under_represented(kind, framework, principles, overall, groups, profile):
    missing = under_represented(profile)
    if not missing:
        return []
    return [(kind.scored(len(missing)), "", {
        "principle": None,
        "facts": {"categories": [{"characteristic": c, "category": k} for c, k in missing]},
        "evidence": ["room"]})]


# checks that read more than the ratings: which part of the examination they need
NEEDS = {"evidence_not_supplied": "plan", "under_represented": "room"}

TRIGGERS: Mapping[str, Callable] = {
    "evidence_not_supplied": _evidence_not_supplied,
    "under_represented": _under_represented,
    "claim_not_supported": _claim_not_supported,
    "self_assessment_overstated": _self_assessment_overstated,
    "practice_falls_short": _practice_falls_short,
    "partners_score_lower": _partners_score_lower,
    "stage_claims_overstated": _stage_claims_overstated,
    "partners_joined_late": _partners_joined_late,
}
assert set(TRIGGERS) == set(TRIGGER_NAMES), "yardsticks/truthkinds.py lists the checks"


def inconvenient_truths(framework, principles, overall, groups, plan=None,
                        room=None) -> tuple:
    """Ranked truths: rank, kind, principle, facts (what the words need, by kind) and
    evidence (the evidence to look at, by stream or part: ratings, plan, room…).

    ``groups`` are the result's groups (id, label, side, reference); ``plan`` the
    examination against the partnership's plan, ``room`` the partners' profile (None
    without one)."""
    found: list[tuple[float, str, dict]] = []
    for kind in truth_kinds():
        check = TRIGGERS[kind.trigger]
        args = (kind, framework, principles, overall, groups)
        extra = {"plan": plan, "room": room}.get(NEEDS.get(kind.trigger, ""))
        for severity, key, truth in (check(*args, extra) if kind.trigger in NEEDS
                                     else check(*args)):
            found.append((severity, key, {"kind": kind.id, **truth}))
    found.sort(key=lambda t: (-t[0], t[1]))
    return tuple(FrozenDict({"rank": i + 1, **truth}) for i, (_, _, truth) in enumerate(found))

