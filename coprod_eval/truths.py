"""Inconvenient truths: claims the evidence does not support and practice that falls short.

Each kind has a severity and the reason for it; the list is ranked by severity, most
serious first. A truth is only raised where the evidence is clear: a claim counts as
unsupported only when even the top of the evidence's plausible range falls short of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import text
from .results import FrozenDict


@dataclass(frozen=True)
class TruthKind:
    id: str
    title: str
    severity: float  # higher is more serious; steps or sizes may add to it
    reason: str  # why this severity: shown in the methods


KINDS = {kind.id: kind for kind in (
    TruthKind("claim_not_supported", "The overall claim is ruled out", 100,
              "The project's central claim does not hold: the board was told something the "
              "evidence rules out. One point more per ladder step between claim and evidence."),
    TruthKind("self_assessment_overstated",
              "The self-assessment claims more than the evidence allows", 60,
              "The project rates itself higher than the evidence allows on named principles: "
              "its own account cannot be relied on there. One point more per rating step."),
    TruthKind("partners_joined_late", "Partners joined after the design was fixed", 45,
              "Partners who join after the design is fixed cannot co-produce it, whatever "
              "happens later: it limits every principle."),
    TruthKind("stage_claims_overstated", "The project claims more involvement at some "
              "stages than its records show", 35,
              "The project's own stage records contradict what it claims for those stages: a "
              "claim made without checking its own evidence. Below the claims that decide the "
              "level, because these stages do not cap it."),
    TruthKind("practice_falls_short", "A practice of board-level concern falls short", 40,
              "A practice the framework marks as a board-level concern (paying partners, being "
              "in the room where decisions are made) is at the bottom of the scale."),
    TruthKind("groups_see_differently", "Partners see less partnership than staff do", 30,
              "Partners experience the work as less of a partnership than staff do, beyond "
              "chance: the claim outruns the experience of the people it is about. Larger "
              "differences rank higher."),
)}


def inconvenient_truths(framework, principles, overall, labels) -> tuple:
    """Ranked truths: rank, kind, principle, text, evidence (what to look at, in words)."""
    found: list[tuple[float, str, dict]] = []
    level = framework.level_index
    if overall.claim_verdict == "not_supported":
        steps = level(overall.claimed_level) - level(overall.level_range[1])
        found.append((KINDS["claim_not_supported"].severity + steps, "", {
            "kind": "claim_not_supported", "principle": None,
            "text": text.truth_claim(framework, overall),
            "evidence": [text.EVIDENCE_NAMES["ratings"]]
            + ([text.EVIDENCE_NAMES["stages"]] if overall.stages else [])}))
    ratings = framework.rating_index
    overstated = [p for p in principles if p.claimed_rating and (
        ratings(p.claimed_rating) > ratings(p.rating_range[1]))]
    if overstated:
        steps = max(ratings(p.claimed_rating) - ratings(p.rating_range[1]) for p in overstated)
        found.append((KINDS["self_assessment_overstated"].severity + steps, "", {
            "kind": "self_assessment_overstated",
            "principle": overstated[0].id if len(overstated) == 1 else None,
            "text": text.truth_overstated(framework, overstated, len(principles)),
            "evidence": [text.EVIDENCE_NAMES["self_assessment"],
                         text.EVIDENCE_NAMES["ratings"]]}))
    bottom = framework.ratings[0].id
    for p in principles:
        indicators = {i.id: i for i in framework.principle(p.id).indicators}
        for result in p.evidence:
            truth = indicators[result.id].truth
            clear = result.rating_range is not None and ratings(result.rating_range[1]) <= 1
            if truth and result.rating == bottom and clear:
                found.append((KINDS["practice_falls_short"].severity, p.id + result.id, {
                    "kind": "practice_falls_short", "principle": p.id,
                    "text": text.truth_practice(truth, result),
                    "evidence": [text.EVIDENCE_NAMES[result.stream]]}))
    apart = sorted((c for p in principles for c in p.comparisons
                    if c.finding and c.effect_size < 0),
                   key=lambda c: -abs(c.effect_size))
    if apart:
        owners = [p for p in principles if any(c in apart for c in p.comparisons)]
        found.append((KINDS["groups_see_differently"].severity + 10 * abs(apart[0].effect_size),
                      "", {
                          "kind": "groups_see_differently",
                          "principle": owners[0].id if len(owners) == 1 else None,
                          "text": text.truth_gap(principles, labels),
                          "evidence": [text.EVIDENCE_NAMES["survey"]]}))
    claims = [s for s in overall.stages if s["claimed_level"] and s["evidenced_level"]
              and level(s["claimed_level"]) > level(s["evidenced_level"])]
    if claims:
        found.append((KINDS["stage_claims_overstated"].severity, "stage-claims", {
            "kind": "stage_claims_overstated", "principle": None,
            "text": text.truth_stage_claims(framework, claims),
            "evidence": [text.EVIDENCE_NAMES["stages"]]}))
    if overall.stages:
        joined = overall.partners_joined_stage
        late = joined is not None and framework.stage_index(joined) > framework.stage_index(
            framework.design_stage)
        if joined is None or late:
            found.append((KINDS["partners_joined_late"].severity, "stages", {
                "kind": "partners_joined_late", "principle": None,
                "text": text.truth_joined(framework, joined),
                "evidence": [text.EVIDENCE_NAMES["stages"]]}))
    found.sort(key=lambda t: (-t[0], t[1]))
    return tuple(FrozenDict({"rank": i + 1, **truth}) for i, (_, _, truth) in enumerate(found))
