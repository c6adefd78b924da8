"""evaluate(): evidence in, a frozen EvaluationResult out.

Indicators, thresholds and rules come from the framework file; measures (how a value is
computed from a stream) live in coprod_eval.measures. This module applies thresholds,
combines indicators into ratings, weighs confidence, applies the evaluator's overrides, sets
the overall level and lists the inconvenient truths.
"""

from __future__ import annotations

import dataclasses
import zlib
from types import MappingProxyType
from typing import Mapping

import numpy as np
import pandas as pd

from .config import Evaluation
from .deidentify import Redactor
from .disclosure import safe_count
from .evidence import Evidence
from .framework import Framework, Indicator
from .measures import MEASURES, PrincipleEvidence, primary_codes
from .results import (SCHEMA_VERSION, EvaluationResult, Gap, GroupStats, IndicatorResult,
                      Overall, PrincipleResult)
from .stats import (GroupAnswers, bootstrap_pct_agree, cohen_kappa, cronbach_alpha,
                    group_answers, holm, krippendorff_nominal, mann_whitney, median_from_counts,
                    pct_agree, percentile_interval, quantile_from_counts, respondent_scores)

CONFIDENCE_LEVEL = 0.95
ROLES = ("staff", "partner")
QUOTES_PER_CODE = 2
# A staff/partner gap is a finding when the Mann–Whitney test survives Holm's correction
# across all comparisons and Cliff's delta is at least small (Romano et al.'s 0.147).
SIGNIFICANCE = 0.05
SMALL_EFFECT = 0.147
MIN_DOUBLE_CODED = 10  # excerpts coded by two coders before agreement is estimated
ALPHA_TOO_FEW = ("Too few complete answers to estimate internal consistency (fewer than "
                 "{min} people answered every item).")
ALPHA_NOTE = "Cronbach's alpha over people who answered every item; Feldt 95% interval."
AGREEMENT_TOO_FEW = ("Only {n} excerpts were coded by two coders; agreement is not estimated "
                     "below {min}.")
AGREEMENT_NOTE = ("Agreement on principle and code for excerpts coded by two coders "
                  "(nominal): Cohen's kappa and Krippendorff's alpha.")

NOT_ASSESSED_NO_STREAM = "Not assessed: no {stream} evidence was supplied."
NOT_ASSESSED_FEW_ROWS = ("Not assessed: the {stream} records hold {rows} rows, fewer than the "
                         "{min} needed.")
NOT_ASSESSED_NO_VALUE = "Not assessed: the {stream} records hold nothing this measure can use."
NOT_ASSESSED_SMALL = ("Not assessed: fewer than {min} {group} answered, so their answers are "
                      "withheld to protect them.")
WITHHELD_VALUE = ("Rated {label}; the figure is withheld because it concerns fewer than {min} "
                  "people.")
MET_TOP = "{value} meets the '{label}' threshold ({threshold}), the highest rating."
MET_BETWEEN = ("{value} meets the '{label}' threshold ({threshold}) but not "
               "'{next_label}' ({next_threshold}).")
MET_NONE = "{value} does not reach the '{next_label}' threshold ({next_threshold})."
METS = (MET_NONE, MET_BETWEEN, MET_TOP)
LIMIT_TOP = "{value} is within the '{label}' limit ({threshold}), the highest rating."
LIMIT_BETWEEN = ("{value} is within the '{label}' limit ({threshold}) but above "
                 "'{next_label}' ({next_threshold}).")
LIMIT_NONE = "{value} is above the '{next_label}' limit ({next_threshold})."
RUBRIC_TEXT = {
    "minimum": ("A principle's rating is the lowest rating among its indicators (a principle "
                "is only as strong as its weakest evidence)."),
    "median": "A principle's rating is the middle rating among its indicators.",
}
NO_EVIDENCE_TEXT = " With no indicator that can be assessed, the rating is '{label}'."
CONFIDENCE_TEXT = ("Confidence is high when at least {hs} independent evidence streams were "
                   "assessed and their ratings lie within {ha} step(s) of each other, medium "
                   "with at least {ms} such streams, and low otherwise.")

TRUTH_CLAIM = ("The project claims {claimed}; the evidence shows {evidenced}. The claim of "
               "{claimed_lower} is not supported.")
TRUTH_OVERSTATED = ("The project's self-assessment rates {n} of {total} principles higher than "
                    "the evidence supports: {listed}.")
TRUTH_GAP = ("{staff} and {partner} see {n} principle(s) differently (Mann–Whitney, Holm-"
             "corrected, at least a small effect): {listed}.")
TRUTH_GAP_ITEM = "{principle} ({staff} {staff_pct:.0f}% agree, {partner} {partner_pct:.0f}%)"
TRUTH_JOINED_LATE = ("Community partners joined at the {joined} stage, after the design was "
                     "fixed.")
TRUTH_NEVER_JOINED = "The stage records show no point at which community partners joined."


def evaluate(evaluation: Evaluation, evidence: Evidence) -> EvaluationResult:
    """Rate every principle of the evaluation's framework on its evidence.

    Pure: the inputs are not changed, and the same inputs and seed give the same result.
    """
    framework = evaluation.framework
    labels = {g.role: g.label for g in evaluation.groups}
    claimed = _claimed_ratings(evidence)
    quotes, redactor = quote_bank(evaluation, evidence)
    principles = _adjust([_principle(principle, evaluation, evidence, labels, claimed, quotes)
                          for principle in framework.principles])
    stages = _stages(framework, evidence)
    overall = _overall(framework, evaluation.claimed_level, principles, stages)
    truths = inconvenient_truths(framework, principles, overall, stages, labels)
    overall = dataclasses.replace(overall, inconvenient_truths=truths)
    return EvaluationResult(
        schema_version=SCHEMA_VERSION,
        project=MappingProxyType(dict(evaluation.project)),
        framework=MappingProxyType(framework_summary(framework)),
        parameters=MappingProxyType({
            "seed": evaluation.seed,
            "bootstrap_resamples": evaluation.bootstrap_resamples,
            "confidence_level": CONFIDENCE_LEVEL,
            "min_group_size": evaluation.min_group_size,
            "instrument": {"id": evaluation.instrument.id,
                           "version": evaluation.instrument.version},
            "scale": [{"code": c, "label": label} for c, label in evaluation.instrument.codes],
            "agree_codes": list(evaluation.instrument.agree),
        }),
        groups=tuple(MappingProxyType({"role": g.role, "label": g.label})
                     for g in evaluation.groups),
        evidence=MappingProxyType(_evidence_summary(evidence, evaluation)),
        principles=tuple(principles),
        overall=overall,
        privacy=MappingProxyType(_privacy(evaluation, principles, redactor)),
        agreement=_frozen_or_none(_agreement(evidence, MIN_DOUBLE_CODED)),
    )


def _frozen_or_none(value: dict | None):
    return None if value is None else MappingProxyType(value)


def _principle(principle, evaluation, evidence, labels, claimed, quotes) -> PrincipleResult:
    framework = evaluation.framework
    survey = evidence.survey
    min_n = evaluation.min_group_size
    answers: dict[str, GroupAnswers] = {}
    blocks: dict[str, np.ndarray] = {}
    if survey is not None:
        columns = [survey.items.index(item) for item in principle.items]
        for role in ROLES:
            blocks[role] = survey.codes[survey.role_mask(role)][:, columns]
            answers[role] = group_answers(blocks[role], survey.scale, survey.agree)
    stats = {role: _group_stats(answers[role], survey.scale, min_n, evaluation.round_to,
                                block=blocks[role], items=principle.items)
             for role in answers}
    context = PrincipleEvidence(principle, evidence, MappingProxyType(stats), min_n, labels)
    indicators = tuple(_assess(ind, context, framework) for ind in principle.indicators)
    computed = combine(framework, indicators)
    override = evaluation.overrides.get(principle.id)
    score, ci, gap = None, None, _gap(stats, None)
    if "partner" in stats and not stats["partner"].suppressed:
        score = round(float(pct_agree(answers["partner"])), 1)
        rng = np.random.default_rng([evaluation.seed, zlib.crc32(principle.id.encode())])
        partner = bootstrap_pct_agree(answers["partner"],
                                      resamples=evaluation.bootstrap_resamples, rng=rng)
        low, high = percentile_interval(partner, CONFIDENCE_LEVEL)
        ci = (round(low, 1), round(high, 1))
        if not stats["staff"].suppressed:
            # the groups are independent samples: resample each, difference the draws
            staff = bootstrap_pct_agree(answers["staff"],
                                        resamples=evaluation.bootstrap_resamples, rng=rng)
            _, p_value, delta = mann_whitney(respondent_scores(blocks["partner"]),
                                             respondent_scores(blocks["staff"]))
            gap = _gap(stats, percentile_interval(partner - staff, CONFIDENCE_LEVEL),
                       p_value, delta)
    return PrincipleResult(
        id=principle.id, name=principle.name, meaning=principle.meaning, items=principle.items,
        rating=override[0] if override else computed, computed_rating=computed,
        override=None if override is None else MappingProxyType(
            {"rating": override[0], "reason": override[1]}),
        claimed_rating=claimed.get(principle.id),
        confidence=confidence(framework, indicators),
        score=score, ci=ci,
        groups=MappingProxyType(stats or {role: _absent() for role in ROLES}),
        gap=gap, evidence=indicators,
        quotes=quotes.get(principle.id, ()),
    )


def framework_summary(framework: Framework) -> dict:
    """What a report needs to know about the framework, without reloading it."""
    rubric = RUBRIC_TEXT[framework.combine] + NO_EVIDENCE_TEXT.format(
        label=framework.rating(framework.no_evidence).label)
    return {
        "id": framework.id, "version": framework.version, "name": framework.name,
        "source": framework.source,
        "ratings": [{"id": r.id, "label": r.label, "colour": r.colour, "meaning": r.meaning}
                    for r in framework.ratings],
        "ladder": {"id": framework.ladder_id, "name": framework.ladder_name,
                   "levels": [{"id": lv.id, "name": lv.name, "band": lv.band,
                               "meaning": lv.meaning} for lv in framework.levels]},
        "stages": [{"id": s.id, "name": s.name} for s in framework.stages],
        "level_rules": [rule.describe(framework) for rule in framework.level_rules],
        "stage_rule": (f"The overall level can be no higher than the lowest level recorded at "
                       f"the {', '.join(framework.stage_rule_stages)} stages."),
        "rubric": rubric,
        "confidence_rule": CONFIDENCE_TEXT.format(
            hs=framework.confidence_high.streams, ha=framework.confidence_high.agree_within,
            ms=framework.confidence_medium.streams),
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


def combine(framework: Framework, indicators: tuple[IndicatorResult, ...]) -> str:
    ranks = sorted(framework.rating_index(r.rating) for r in indicators if r.rating)
    if not ranks:
        return framework.no_evidence
    rank = ranks[0] if framework.combine == "minimum" else ranks[(len(ranks) - 1) // 2]
    return framework.ratings[rank].id


def confidence(framework: Framework, indicators: tuple[IndicatorResult, ...]) -> str:
    """high / medium / low from how many independent streams were assessed and agree."""
    by_stream: dict[str, list[int]] = {}
    for r in indicators:
        if r.rating:
            by_stream.setdefault(r.stream, []).append(framework.rating_index(r.rating))
    stream_ratings = [min(ranks) for ranks in by_stream.values()]
    spread = (max(stream_ratings) - min(stream_ratings)) if stream_ratings else 0
    for label, rule in (("high", framework.confidence_high),
                        ("medium", framework.confidence_medium)):
        if len(stream_ratings) >= rule.streams and spread <= rule.agree_within:
            return label
    if len(stream_ratings) >= framework.confidence_high.streams:
        return "medium"  # plenty of evidence, but the streams disagree
    return "low"


def _assess(indicator: Indicator, context: PrincipleEvidence,
            framework: Framework) -> IndicatorResult:
    def result(value, rating, explanation):
        return IndicatorResult(indicator.id, indicator.label, indicator.stream, indicator.measure,
                               indicator.group, indicator.unit, value, rating, explanation)

    evidence = context.evidence
    if not evidence.streams.get(indicator.stream):
        return result(None, None, NOT_ASSESSED_NO_STREAM.format(
            stream=indicator.stream.replace("_", " ")))
    needed = dict(framework.min_rows).get(indicator.stream, 1)
    rows = evidence.rows(indicator.stream)
    if indicator.stream != "survey" and rows < needed:
        return result(None, None, NOT_ASSESSED_FEW_ROWS.format(stream=indicator.stream,
                                                               rows=rows, min=needed))
    measured = MEASURES[indicator.measure](context, indicator)
    if measured is None:
        if indicator.stream == "survey":
            group = context.group_labels.get(indicator.group or "partner", "people").lower()
            return result(None, None, NOT_ASSESSED_SMALL.format(min=context.min_group_size,
                                                                group=group))
        return result(None, None, NOT_ASSESSED_NO_VALUE.format(stream=indicator.stream))
    rating = rate(indicator, measured.value, framework)
    if measured.people is not None and measured.people < context.min_group_size:
        # a figure about fewer people than the threshold never leaves the run; the coarse
        # rating does, so the finding is not lost
        return result(None, rating, WITHHELD_VALUE.format(
            label=framework.rating(rating).label, min=context.min_group_size))
    return result(round(float(measured.value), 1), rating,
                  explain(indicator, measured.value, rating, framework))


def explain(indicator: Indicator, value: float, rating: str, framework: Framework) -> str:
    """The threshold met and the next one missed, in words."""
    unit = indicator.unit

    def show(v):
        return f"{v:g}{unit}"

    thresholds = dict(indicator.thresholds)
    order = [rid for rid, _ in indicator.thresholds]  # lowest rating first
    shown = f"{value:.1f}{unit}"
    if indicator.direction == "lower_is_better":
        MET_NONE, MET_BETWEEN, MET_TOP = LIMIT_NONE, LIMIT_BETWEEN, LIMIT_TOP  # noqa: N806
    else:
        MET_NONE, MET_BETWEEN, MET_TOP = METS  # noqa: N806
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


def _group_stats(answers: GroupAnswers, scale: tuple[int, ...], min_n: int,
                 round_to: int, *, block: np.ndarray, items: tuple[str, ...]) -> GroupStats:
    if answers.n < min_n:
        return _absent()
    total = answers.counts.sum()
    distribution = MappingProxyType({str(code): round(float(100.0 * count / total), 1)
                                     for code, count in zip(scale, answers.counts)})
    iqr = (quantile_from_counts(answers.counts, scale, 0.25),
           quantile_from_counts(answers.counts, scale, 0.75))
    mean = float((np.array(scale) * answers.counts).sum() / total)
    return GroupStats(safe_count(answers.n, min_n, round_to), False,
                      median_from_counts(answers.counts, scale),
                      round(float(pct_agree(answers)), 1), distribution, iqr,
                      MappingProxyType(_alpha(block, items, min_n, round_to)), round(mean, 2))


def _alpha(block: np.ndarray, items: tuple[str, ...], min_n: int, round_to: int) -> dict:
    """Cronbach's alpha; items answered by fewer than min_n people are left out, by name."""
    answered = (block > 0).sum(axis=0)
    keep = answered >= min_n
    left_out = [item for item, k in zip(items, keep) if not k]
    estimate = cronbach_alpha(block[:, keep])
    if estimate is None or estimate[2] < min_n:
        return {"value": None, "ci": None, "n": None, "items_left_out": left_out,
                "note": ALPHA_TOO_FEW.format(min=min_n)}
    value, (low, high), n = estimate
    return {"value": round(value, 2), "ci": [round(low, 2), round(high, 2)],
            "n": safe_count(n, min_n, round_to), "items_left_out": left_out,
            "note": ALPHA_NOTE}


def _absent() -> GroupStats:
    return GroupStats(None, True, None, None, None, None, None, None)


def _gap(stats: Mapping[str, GroupStats], ci: tuple[float, float] | None,
         p_value: float | None = None, delta: float | None = None) -> Gap:
    """The raw Mann–Whitney p is carried in p_holm until _adjust() corrects it."""
    staff, partner = stats.get("staff"), stats.get("partner")
    if staff is None or partner is None or staff.suppressed or partner.suppressed:
        return Gap(None, None, None)
    gap = round(float(partner.pct_agree - staff.pct_agree), 1)
    return Gap(gap, float(partner.median - staff.median),
               None if ci is None else (round(ci[0], 1), round(ci[1], 1)), p_value,
               None if delta is None else round(delta, 3))


def _adjust(principles: list[PrincipleResult]) -> list[PrincipleResult]:
    """Holm correction across every staff/partner comparison made; then the findings."""
    compared = [i for i, p in enumerate(principles) if p.gap.p_holm is not None]
    adjusted = holm([principles[i].gap.p_holm for i in compared])
    out = list(principles)
    for i, p_holm in zip(compared, adjusted):
        gap = principles[i].gap
        finding = p_holm < SIGNIFICANCE and abs(gap.effect_size) >= SMALL_EFFECT
        out[i] = dataclasses.replace(principles[i], gap=dataclasses.replace(
            gap, p_holm=round(p_holm, 4), finding=bool(finding)))
    return out


def _agreement(evidence: Evidence, min_units: int) -> dict | None:
    table = evidence.records.get("qualitative")
    if table is None:
        return None
    codings = table.assign(label=table["principle"] + ":" + table["code"])
    pairs = codings.groupby("excerpt_id", sort=True)["label"].agg(list)
    pairs = [labels[:2] for labels in pairs if len(labels) >= 2]
    if len(pairs) < min_units:
        return {"double_coded": len(pairs), "cohen_kappa": None, "krippendorff_alpha": None,
                "note": AGREEMENT_TOO_FEW.format(n=len(pairs), min=min_units)}
    first, second = [a for a, _ in pairs], [b for _, b in pairs]
    return {"double_coded": len(pairs), "cohen_kappa": round(cohen_kappa(first, second), 3),
            "krippendorff_alpha": round(krippendorff_nominal(first, second), 3),
            "note": AGREEMENT_NOTE}


def _claimed_ratings(evidence: Evidence) -> dict[str, str]:
    table = evidence.records.get("self_assessment")
    if table is None:
        return {}
    return dict(zip(table["principle"], table["claimed_rating"]))


def quote_bank(evaluation: Evaluation, evidence: Evidence) -> tuple[dict, Redactor]:
    """De-identified quotes per principle, and the redactor that made them (its log).

    Names on the evaluator's roster and every pseudonym in the evidence are redacted too.
    """
    redactor = Redactor(roster=evaluation.roster, pseudonyms=_pseudonyms(evidence))
    table = evidence.records.get("qualitative")
    if table is None:
        return {}, redactor
    codes = primary_codes(table).sort_values("excerpt_id", kind="stable")
    quotes: dict[str, tuple] = {}
    for principle in evaluation.framework.principles:
        mine = codes[codes["principle"] == principle.id]
        chosen = []
        for code in ("supports", "contradicts"):
            for row in mine[mine["code"] == code].head(QUOTES_PER_CODE).itertuples():
                chosen.append(MappingProxyType({
                    "code": code, "source": row.source.replace("_", " "),
                    "text": redactor(" ".join(row.excerpt.split()))}))
        quotes[principle.id] = tuple(chosen)
    return quotes, redactor


def _pseudonyms(evidence: Evidence) -> frozenset[str]:
    names: set[str] = set()
    if evidence.survey is not None:
        names.update(map(str, evidence.survey.respondent_ids))
    for stream, column in (("attendance", "attendee"), ("resources", "partner")):
        if stream in evidence.records:
            names.update(evidence.records[stream][column])
    return frozenset(names)


def _stages(framework: Framework, evidence: Evidence) -> tuple:
    table = evidence.records.get("stages")
    if table is None:
        return ()
    by_stage = {row.stage: row for row in table.itertuples()}
    stages = []
    for stage in framework.stages:
        row = by_stage.get(stage.id)
        stages.append(MappingProxyType({
            "stage": stage.id, "name": stage.name,
            "evidenced_level": None if row is None else row.level,
            "claimed_level": None if row is None or not row.claimed_level else row.claimed_level,
            "partners_joined": bool(row is not None and pd.notna(row.partners_joined)
                                    and bool(row.partners_joined)),
        }))
    return tuple(stages)


def _overall(framework: Framework, claimed: str, principles: list[PrincipleResult],
             stages: tuple) -> Overall:
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
    principle_level = level
    stage_level = None
    recorded = [s["evidenced_level"] for s in stages
                if s["stage"] in framework.stage_rule_stages and s["evidenced_level"]]
    if recorded:
        stage_level = min(recorded, key=framework.level_index)
        if framework.level_index(stage_level) < framework.level_index(level):
            level = stage_level
            rule_text += (f"; capped at {framework.level(stage_level).name} by the lowest level "
                          f"recorded across the {', '.join(framework.stage_rule_stages)} stages")
    joined = next((s["stage"] for s in stages if s["partners_joined"]), None)
    supported = framework.level_index(level) >= framework.level_index(claimed)
    weakest = tuple(p.id for p, r in zip(principles, ranks) if r == min(ranks))
    return Overall(evidenced_level=level, claimed_level=claimed, claim_supported=bool(supported),
                   rule=rule_text, weakest=weakest, principle_level=principle_level,
                   stage_level=stage_level, partners_joined_stage=joined,
                   stages=stages, inconvenient_truths=())


def inconvenient_truths(framework: Framework, principles: list[PrincipleResult],
                        overall: Overall, stages: tuple, labels: Mapping[str, str]) -> tuple:
    """Claims the evidence does not support and practice that falls short, most serious first.

    Severity: an unsupported overall claim first (by ladder steps), then unsupported
    principle claims and failing indicators with a board-level finding (by rating steps),
    partners joining late, then staff/partner disagreements (by the size of the gap).
    """
    found: list[tuple[float, str, dict]] = []
    level = framework.level_index
    if not overall.claim_supported:
        steps = level(overall.claimed_level) - level(overall.evidenced_level)
        found.append((100 + steps, "", {
            "principle": None,
            "text": TRUTH_CLAIM.format(
                claimed=framework.level(overall.claimed_level).name,
                claimed_lower=framework.level(overall.claimed_level).name.lower(),
                evidenced=framework.level(overall.evidenced_level).name),
            "evidence": ["overall.evidenced_level", "overall.claimed_level"]}))
    overstated = [p for p in principles if p.claimed_rating and (
        framework.rating_index(p.claimed_rating) > framework.rating_index(p.rating))]
    if overstated:
        steps = max(framework.rating_index(p.claimed_rating) - framework.rating_index(p.rating)
                    for p in overstated)
        listed = "; ".join(f"{p.name} (claimed {framework.rating(p.claimed_rating).label}, "
                           f"evidence {framework.rating(p.rating).label})" for p in overstated)
        found.append((60 + steps, "", {
            "principle": overstated[0].id if len(overstated) == 1 else None,
            "text": TRUTH_OVERSTATED.format(n=len(overstated), total=len(principles),
                                            listed=listed),
            "evidence": [f"principles.{p.id}.claimed_rating" for p in overstated]}))
    for p in principles:
        indicators = {i.id: i for i in framework.principle(p.id).indicators}
        for result in p.evidence:
            truth = indicators[result.id].truth
            if truth and result.rating == framework.ratings[0].id:
                figure = (f" {result.label}: {result.value:g}{result.unit}." if result.value
                          is not None else " The figure is withheld: it concerns few people.")
                found.append((40, p.id + result.id, {
                    "principle": p.id,
                    "text": truth + figure,
                    "evidence": [f"principles.{p.id}.evidence.{result.id}"]}))
    # partners seeing less than staff is the claim outrunning practice; the reverse is not
    apart = sorted((p for p in principles if p.gap.finding and p.gap.effect_size < 0),
                   key=lambda p: -abs(p.gap.pct_agree))
    if apart:
        listed = "; ".join(TRUTH_GAP_ITEM.format(
            principle=p.name, staff_pct=p.groups["staff"].pct_agree,
            partner_pct=p.groups["partner"].pct_agree, staff=labels["staff"].lower(),
            partner=labels["partner"].lower()) for p in apart)
        found.append((30 + abs(apart[0].gap.pct_agree) / 10, "", {
            "principle": apart[0].id if len(apart) == 1 else None,
            "text": TRUTH_GAP.format(staff=labels["staff"], partner=labels["partner"].lower(),
                                     n=len(apart), listed=listed),
            "evidence": [f"principles.{p.id}.gap" for p in apart]}))
    if stages:
        joined = overall.partners_joined_stage
        if joined is None:
            found.append((45, "stages", {"principle": None, "text": TRUTH_NEVER_JOINED,
                                         "evidence": ["overall.stages"]}))
        elif framework.stage_index(joined) > framework.stage_index(framework.design_stage):
            found.append((45, "stages", {
                "principle": None,
                "text": TRUTH_JOINED_LATE.format(
                    joined=next(s.name for s in framework.stages if s.id == joined).lower()),
                "evidence": ["overall.partners_joined_stage"]}))
    found.sort(key=lambda t: (-t[0], t[1]))
    return tuple(MappingProxyType({"rank": i + 1, **truth}) for i, (_, _, truth)
                 in enumerate(found))


def _privacy(evaluation: Evaluation, principles: list[PrincipleResult],
             redactor: Redactor) -> dict:
    """What disclosure control did, for the methods section (no values, no originals)."""
    withheld = []
    for p in principles:
        for role, stats in p.groups.items():
            if stats.suppressed:
                withheld.append(f"{p.name}: {role} survey statistics")
        withheld += [f"{p.name}: {i.label}" for i in p.evidence
                     if i.value is None and i.rating is not None]
    return {"min_group_size": evaluation.min_group_size, "round_to": evaluation.round_to,
            "withheld": withheld, "redactions": dict(sorted(redactor.counts.items()))}


def _evidence_summary(evidence: Evidence, evaluation: Evaluation) -> dict:
    min_n, round_to = evaluation.min_group_size, evaluation.round_to
    summary: dict = {}
    survey = evidence.survey
    if survey is None:
        summary["survey"] = {"present": False}
    else:
        respondents, rates = {}, {}
        for role in ROLES:
            respondents[role] = safe_count(int(survey.role_mask(role).sum()), min_n, round_to)
            invited = evaluation.group(role).invited
            # from the rounded count, so the rate cannot undo the rounding
            rates[role] = (None if not invited or respondents[role] is None
                           else round(min(100.0, 100.0 * respondents[role] / invited), 0))
        answered = survey.codes > 0
        summary["survey"] = {
            "present": True,
            "items": len(survey.items),
            "respondents": respondents,
            "response_rate": rates,
            "pct_missing": round(100.0 * (1 - answered.mean()), 1) if answered.size else None,
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
