"""The overall judgement: involvement at each lifecycle stage (and the cap a stage rule puts on
the level), the level evidenced against the level claimed, and what would settle it."""

from __future__ import annotations

from ..results import (
    FrozenDict,
    Overall,
    frozen,
)
from .rating import VERDICTS
from .settle import settle_facts


def lifecycle_stages(framework, evidence) -> tuple:
    import pandas as pd

    table = evidence.records.get("stages")
    if table is None:
        return ()
    by_stage = {row.stage: row for row in table.itertuples()}
    stages = []
    for stage in framework.stages:
        row = by_stage.get(stage.id)
        stages.append(FrozenDict({
            "stage": stage.id, "name": stage.name,
            "evidenced_level": None if row is None else row.level,
            "claimed_level": None if row is None or not row.claimed_level else row.claimed_level,
            "partners_joined": bool(row is not None and pd.notna(row.partners_joined)
                                    and bool(row.partners_joined)),
        }))
    return tuple(stages)


def stage_ceiling(framework, stages: tuple) -> int | None:
    recorded = [s["evidenced_level"] for s in stages
                if s["stage"] in framework.stage_rule_stages and s["evidenced_level"]]
    if not recorded:
        return None
    return min(framework.level_index(level) for level in recorded)


def judge_overall(evaluation, found, principles, stages, overall_confidence,
                  per_principle) -> Overall:
    framework = evaluation.framework
    levels = [lv.id for lv in framework.levels]
    level = levels[found.level[0]]
    rule = framework.level_rules[found.rule[0]]
    stage_level = None
    cap = stage_ceiling(framework, stages)
    if cap is not None:
        stage_level = levels[cap]
    joined = next((s["stage"] for s in stages if s["partners_joined"]), None)
    ranks = [framework.rating_index(p.rating) for p in principles]
    weakest = tuple(p.id for p, r in zip(principles, ranks) if r == min(ranks))
    verdict = VERDICTS[found.verdict[0]]
    settle = () if verdict != "not_established" else tuple(
        frozen(fact) for fact in settle_facts(evaluation, per_principle, overall_confidence))
    return Overall(
        evidenced_level=level,
        level_range=(levels[found.level_low[0]], levels[found.level_high[0]]),
        claimed_level=evaluation.claimed_level, claim_verdict=verdict,
        claim_supported=verdict == "supported", confidence=overall_confidence, settle=settle,
        rule=int(found.rule[0]),
        capped_by_stages=bool(cap is not None and cap < framework.level_index(rule.level)),
        weakest=weakest, principle_level=rule.level, stage_level=stage_level,
        partners_joined_stage=joined, stages=stages, inconvenient_truths=())
