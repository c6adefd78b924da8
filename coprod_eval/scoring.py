"""evaluate(): evidence in, a frozen EvaluationResult out.

Indicators and rules come from the framework file; this module only knows how to compute
each *measure* (the registry below) and how to apply thresholds and level rules. Adding an
indicator is YAML; adding a kind of measure is one function here.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from types import MappingProxyType
from typing import Callable, Mapping

import numpy as np

from .config import Evaluation
from .evidence import Evidence
from .framework import Framework, Indicator, Principle
from .results import (SCHEMA_VERSION, EvaluationResult, Gap, GroupStats, IndicatorResult,
                      Overall, PrincipleResult)
from .stats import (GroupAnswers, bootstrap_pct_agree_ci, group_answers, median_from_counts,
                    pct_agree)

CONFIDENCE_LEVEL = 0.95
ROLES = ("staff", "partner")

NOT_ASSESSED_NO_STREAM = "Not assessed: no {stream} evidence was supplied."
NOT_ASSESSED_SMALL = ("Not assessed: fewer than {min} {group} answered, so their answers are "
                      "withheld to protect them.")
MET_TOP = "{value} meets the '{label}' threshold ({threshold}), the highest rating."
MET_BETWEEN = ("{value} meets the '{label}' threshold ({threshold}) but not "
               "'{next_label}' ({next_threshold}).")
MET_NONE = "{value} does not reach the '{next_label}' threshold ({next_threshold})."
RUBRIC_TEXT = ("A principle's rating is the lowest rating among its indicators (a principle is "
               "only as strong as its weakest evidence). With no indicator that can be assessed, "
               "the rating is '{no_evidence}'.")


@dataclass(frozen=True)
class PrincipleEvidence:
    """What a measure may read for one principle."""

    principle: Principle
    answers: Mapping[str, GroupAnswers]  # by role; empty without survey evidence
    stats: Mapping[str, GroupStats]
    min_group_size: int
    group_labels: Mapping[str, str]


Measure = Callable[[PrincipleEvidence, Indicator], float | None]


def _pct_agree(evidence: PrincipleEvidence, indicator: Indicator) -> float | None:
    stats = evidence.stats.get(indicator.group or "partner")
    return None if stats is None else stats.pct_agree


# measure name → function. A new kind of indicator adds one entry here.
MEASURES: dict[str, Measure] = {
    "pct_agree": _pct_agree,
}


def evaluate(evaluation: Evaluation, evidence: Evidence) -> EvaluationResult:
    """Rate every principle of the evaluation's framework on its evidence.

    Pure: the inputs are not changed, and the same inputs and seed give the same result.
    """
    framework = evaluation.framework
    survey = evidence.survey
    labels = {g.role: g.label for g in evaluation.groups}
    min_n = evaluation.min_group_size
    principles = []
    for principle in framework.principles:
        answers: dict[str, GroupAnswers] = {}
        if survey is not None:
            columns = [survey.items.index(item) for item in principle.items]
            for role in ROLES:
                block = survey.codes[survey.role_mask(role)][:, columns]
                answers[role] = group_answers(block, survey.scale, survey.agree)
        stats = {role: _group_stats(answers[role], survey.scale, min_n)
                 for role in answers}
        context = PrincipleEvidence(principle, MappingProxyType(answers),
                                    MappingProxyType(stats), min_n, labels)
        indicators = tuple(_assess(ind, context, framework, evidence) for ind in principle.indicators)
        assessed = [framework.rating_index(r.rating) for r in indicators if r.rating is not None]
        rating = (framework.ratings[min(assessed)].id if assessed else framework.no_evidence)
        score, ci = None, None
        if "partner" in stats and not stats["partner"].suppressed:
            score = round(float(pct_agree(answers["partner"])), 1)
            rng = np.random.default_rng([evaluation.seed, zlib.crc32(principle.id.encode())])
            low, high = bootstrap_pct_agree_ci(answers["partner"],
                                               resamples=evaluation.bootstrap_resamples,
                                               rng=rng, level=CONFIDENCE_LEVEL)
            ci = (round(low, 1), round(high, 1))
        principles.append(PrincipleResult(
            id=principle.id, name=principle.name, meaning=principle.meaning,
            items=principle.items, rating=rating, score=score, ci=ci,
            groups=MappingProxyType(stats) if stats else MappingProxyType(
                {role: _absent() for role in ROLES}),
            gap=_gap(stats), evidence=indicators))

    overall = _overall(framework, evaluation.claimed_level, principles)
    return EvaluationResult(
        schema_version=SCHEMA_VERSION,
        project=MappingProxyType(dict(evaluation.project)),
        framework=MappingProxyType(framework_summary(framework)),
        parameters=MappingProxyType({
            "seed": evaluation.seed,
            "bootstrap_resamples": evaluation.bootstrap_resamples,
            "confidence_level": CONFIDENCE_LEVEL,
            "min_group_size": min_n,
            "instrument": {"id": evaluation.instrument.id,
                           "version": evaluation.instrument.version},
            "scale": [{"code": c, "label": label} for c, label in evaluation.instrument.codes],
            "agree_codes": list(evaluation.instrument.agree),
        }),
        groups=tuple(MappingProxyType({"role": g.role, "label": g.label})
                     for g in evaluation.groups),
        evidence=MappingProxyType(_evidence_summary(evidence, min_n)),
        principles=tuple(principles),
        overall=overall,
    )


def framework_summary(framework: Framework) -> dict:
    """What a report needs to know about the framework, without reloading it."""
    return {
        "id": framework.id, "version": framework.version, "name": framework.name,
        "source": framework.source,
        "ratings": [{"id": r.id, "label": r.label, "colour": r.colour, "meaning": r.meaning}
                    for r in framework.ratings],
        "ladder": {"id": framework.ladder_id, "name": framework.ladder_name,
                   "levels": [{"id": lv.id, "name": lv.name, "band": lv.band,
                               "meaning": lv.meaning} for lv in framework.levels]},
        "level_rules": [rule.describe(framework) for rule in framework.level_rules],
        "rubric": RUBRIC_TEXT.format(no_evidence=framework.rating(framework.no_evidence).label),
    }


def rate(indicator: Indicator, value: float, framework: Framework) -> str:
    """The highest rating whose threshold ``value`` meets; the bottom rating otherwise."""
    rating = framework.ratings[0].id
    for rating_id, threshold in indicator.thresholds:
        meets = (value >= threshold if indicator.direction == "higher_is_better"
                 else value <= threshold)
        if meets:
            rating = rating_id
    return rating


def _assess(indicator: Indicator, context: PrincipleEvidence, framework: Framework,
            evidence: Evidence) -> IndicatorResult:
    def result(value, rating, explanation):
        return IndicatorResult(indicator.id, indicator.label, indicator.stream, indicator.measure,
                               indicator.group, indicator.unit, value, rating, explanation)

    if not evidence.streams.get(indicator.stream):
        return result(None, None, NOT_ASSESSED_NO_STREAM.format(stream=indicator.stream))
    value = MEASURES[indicator.measure](context, indicator)
    if value is None:
        group = context.group_labels.get(indicator.group or "partner", "people").lower()
        return result(None, None, NOT_ASSESSED_SMALL.format(min=context.min_group_size,
                                                            group=group))
    rating = rate(indicator, value, framework)
    return result(round(float(value), 1), rating, explain(indicator, value, rating, framework))


def explain(indicator: Indicator, value: float, rating: str, framework: Framework) -> str:
    """The threshold met and the next one missed, in words."""
    unit = indicator.unit

    def show(v):
        return f"{v:g}{unit}"

    thresholds = dict(indicator.thresholds)
    order = [rid for rid, _ in indicator.thresholds]  # lowest rating first
    shown = f"{value:.1f}{unit}"
    if rating not in thresholds:
        return MET_NONE.format(value=shown, next_label=framework.rating(order[0]).label,
                               next_threshold=show(thresholds[order[0]]))
    label = framework.rating(rating).label
    position = order.index(rating)
    if position == len(order) - 1:
        return MET_TOP.format(value=shown, label=label, threshold=show(thresholds[rating]))
    nxt = order[position + 1]
    return MET_BETWEEN.format(value=shown, label=label, threshold=show(thresholds[rating]),
                              next_label=framework.rating(nxt).label,
                              next_threshold=show(thresholds[nxt]))


def _group_stats(answers: GroupAnswers, scale: tuple[int, ...], min_n: int) -> GroupStats:
    if answers.n < min_n:
        return GroupStats(None, True, None, None, None)
    total = answers.counts.sum()
    distribution = MappingProxyType({str(code): round(float(100.0 * count / total), 1)
                                     for code, count in zip(scale, answers.counts)})
    return GroupStats(answers.n, False, median_from_counts(answers.counts, scale),
                      round(float(pct_agree(answers)), 1), distribution)


def _absent() -> GroupStats:
    return GroupStats(None, True, None, None, None)


def _gap(stats: Mapping[str, GroupStats]) -> Gap:
    staff, partner = stats.get("staff"), stats.get("partner")
    if staff is None or partner is None or staff.suppressed or partner.suppressed:
        return Gap(None, None)
    return Gap(round(float(partner.pct_agree - staff.pct_agree), 1),
               float(partner.median - staff.median))


def _overall(framework: Framework, claimed: str, principles: list[PrincipleResult]) -> Overall:
    ranks = [framework.rating_index(p.rating) for p in principles]
    level, rule_text = framework.level_rules[-1].level, framework.level_rules[-1].describe(framework)
    for rule in framework.level_rules:
        ok = True
        if rule.all_at_least:
            ok &= min(ranks) >= framework.rating_index(rule.all_at_least)
        if rule.at_least_rating:
            floor = framework.rating_index(rule.at_least_rating)
            ok &= sum(r >= floor for r in ranks) >= rule.at_least_count
        if ok:
            level, rule_text = rule.level, rule.describe(framework)
            break
    supported = framework.level_index(level) >= framework.level_index(claimed)
    weakest = tuple(p.id for p, r in zip(principles, ranks) if r == min(ranks))
    return Overall(level, claimed, bool(supported), rule_text, weakest)


def _evidence_summary(evidence: Evidence, min_n: int) -> dict:
    summary: dict = {}
    survey = evidence.survey
    if survey is None:
        summary["survey"] = {"present": False}
    else:
        respondents = {}
        for role in ROLES:
            n = int(survey.role_mask(role).sum())
            respondents[role] = n if n >= min_n else None
        answered = survey.codes > 0
        summary["survey"] = {
            "present": True,
            "items": len(survey.items),
            "respondents": respondents,
            "pct_missing": round(100.0 * (1 - answered.mean()), 1) if answered.size else None,
        }
    return summary
