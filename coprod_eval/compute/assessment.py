"""The assessment: evidence in, a frozen EvaluationResult out (``evaluate``). Orchestration only.

Top to bottom: each principle's survey statistics and group comparisons; each indicator
measured (value, interval, value with each unit left out); what may be published of it;
the judgement as found, without each respondent or record in turn, and with the thresholds
moved; confidence; the verdict and what would settle it; the inconvenient truths.
"""

from __future__ import annotations

import dataclasses

from ..disclosure.privacy import (
    PUBLISH_FLOOR,
    band_gives_count,
    conduct_band,
    display_value,
    keep_order,
    people_interval,
    published_share,
    safe_count,
)
from ..results import (
    SCHEMA_VERSION,
    EvaluationResult,
    FrozenDict,
    IndicatorResult,
    Overall,
    PrincipleResult,
    frozen,
)
from ..yardsticks.measures import CONDUCT, DECLARED, MEASURES, PrincipleEvidence
from ..yardsticks.plan import against_plan
from ..yardsticks.streams import STREAM_UNITS
from .disagreement import disagreement_map
from .groups import correct
from .itemcheck import item_checks
from .overall import judge_overall, lifecycle_stages, stage_ceiling
from .parts import (
    agreement,
    claimed_ratings,
    coproduced,
    evidence_summary,
    framework_summary,
    frozen_or_none,
    privacy_summary,
)
from .quotes import quote_bank
from .rating import CONFIDENCES, Entry, confidence, judge, rate_values
from .robustness import how_sure, leave_one_out, loo_values
from .room import room
from .survey import (
    agree_codes,
    group_codes,
    questions,
    respondent_roles,
    survey_block,
    survey_statistics,
)
from .truths import inconvenient_truths

CONFIDENCE_LEVEL = 0.95
MIN_DOUBLE_CODED = 10  # excerpts coded by two coders before agreement is estimated


def evaluate(evaluation, evidence) -> EvaluationResult:
    """Rate every principle of the evaluation's framework on its evidence.

    Pure: the inputs are not changed, and the same inputs and seed give the same result.
    """
    return assess(evaluation, evidence)[0]


def assess(evaluation, evidence) -> tuple[EvaluationResult, tuple[dict, ...]]:
    """The result, and the de-identification's log (each placeholder with the text it
    replaced): the run's anonymisation log, from the one redaction a run makes."""
    framework = evaluation.framework
    min_n = evaluation.min_group_size
    groups = tuple(frozen({"id": g.id, "label": g.label, "side": g.side,
                           "reference": g.id == evaluation.reference_group})
                   for g in evaluation.groups)
    survey_roles = respondent_roles(evidence)
    claimed = claimed_ratings(evidence)
    quotes, redactor, held = quote_bank(evaluation, evidence)

    per_principle, entries, raw_comparisons = [], [], []
    for index, principle in enumerate(framework.principles):
        block = survey_block(evidence, principle)
        stats, comparisons, exact = survey_statistics(evaluation, evidence, principle, block,
                                                       survey_roles)
        raw_comparisons.append(comparisons)
        context = PrincipleEvidence(principle, evidence, {"codes": block} if block is not None
                                    else {}, survey_roles, agree_codes(evidence),
                                    group_codes(evaluation))
        assessed = [_measure(indicator, context, evaluation, evidence)
                    for indicator in principle.indicators]
        entries += [_entry(index, a) for a in assessed if a["status"] not in LEFT_OUT]
        per_principle.append({"principle": principle, "stats": stats, "assessed": assessed,
                              "exact": exact})

    confidences = [_confidence(framework, item["assessed"]) for item in per_principle]
    overall_confidence = min(confidences, key=CONFIDENCES.index)
    stage_table = lifecycle_stages(framework, evidence)
    stage_cap = stage_ceiling(framework, stage_table)
    overrides = {i: framework.rating_index(evaluation.overrides[p.id][0])
                 for i, p in enumerate(framework.principles) if p.id in evaluation.overrides}
    settings = dict(principles=len(framework.principles), overrides=overrides,
                    stage_cap=stage_cap, claimed=framework.level_index(evaluation.claimed_level),
                    confident=overall_confidence != "low")
    found = judge(framework, entries, **settings)
    computed = judge(framework, entries, **{**settings, "overrides": {}})
    unstable = leave_one_out(framework, entries, found, settings)
    stricter = judge(framework, entries, **settings, shift=1.0)
    laxer = judge(framework, entries, **settings, shift=-1.0)
    uncapped = judge(framework, entries, **{**settings, "stage_cap": None})

    # high confidence also needs a precise rating: a principle whose evidence allows more
    # than one rating, or that one person or record could change, is at most medium (this
    # never moves "low", so the verdict's own test of confidence is as judged above)
    confidences = [min(c, "medium", key=CONFIDENCES.index)
                   if found.low[i, 0] != found.high[i, 0]
                   or (i in unstable["principles"] and i not in overrides)
                   else c for i, c in enumerate(confidences)]
    overall_confidence = min(confidences, key=CONFIDENCES.index)
    comparisons = correct([c for per in raw_comparisons for c in per])
    principles = _principle_results(evaluation, per_principle, entries, found, computed,
                                    unstable, comparisons, confidences, claimed, quotes)
    overall = judge_overall(evaluation, found, principles, stage_table, overall_confidence,
                       per_principle)
    robustness = how_sure(framework, principles, found, unstable, stricter, laxer,
                             uncapped if stage_cap is not None else None)
    examined = against_plan(evaluation.plan, framework, principles, evidence.streams)
    profile = room(evaluation.room, min_n=min_n, round_to=evaluation.round_to)
    truths = inconvenient_truths(framework, principles, overall, groups, examined, profile)
    overall = Overall(**{**overall.__dict__, "inconvenient_truths": truths})
    result = EvaluationResult(
        schema_version=SCHEMA_VERSION,
        project=frozen(dict(evaluation.project)),
        sign_off=frozen(evaluation.sign_off) if evaluation.sign_off else None,
        framework=frozen(framework_summary(framework, evaluation)),
        parameters=frozen({
            "seed": evaluation.seed,
            "permutations": evaluation.permutations,
            "confidence_level": CONFIDENCE_LEVEL,
            "min_group_size": min_n,
            "instrument": {"id": evaluation.instrument.id,
                           "version": evaluation.instrument.version},
            "scale": [{"code": c, "label": label} for c, label in evaluation.instrument.codes],
            "agree_codes": list(evaluation.instrument.agree),
            **questions(evaluation),
            "item_checks": (item_checks(evaluation, evidence) if evidence.survey is not None
                            else None),
        }),
        groups=groups,
        evidence=frozen(evidence_summary(evidence, evaluation)),
        principles=tuple(principles),
        overall=overall,
        robustness=frozen(robustness),
        privacy=frozen(privacy_summary(evaluation, principles, redactor, held)),
        agreement=frozen_or_none(agreement(evidence, MIN_DOUBLE_CODED)),
        disagreement=frozen(disagreement_map(
            evidence.survey, evaluation.instrument, framework, list(evaluation.compared),
            offset=evaluation.instrument.offset, min_n=min_n, round_to=evaluation.round_to,
            seed=evaluation.seed, permutations=evaluation.permutations)),
        plan=frozen_or_none(examined),
        coproduced=frozen_or_none(coproduced(evaluation.coproduced,
                                               int(evaluation.project.get("round") or 1))),
        room=frozen_or_none(profile),
    )
    return result, tuple(redactor.log())


# --- survey ----------------------------------------------------------------------------------


# --- indicators --------------------------------------------------------------------------------

# An indicator whose evidence was never supplied (a stream not given, a figure not declared,
# a principle the survey gives no question) is left out of its principle, and confidence
# says so. Every other status is in the judgement:
# assessed and figure_withheld with their rating; the rest as unknown (the whole scale).
LEFT_OUT = ("not_supplied", "not_declared", "no_questions")
UNKNOWN = ("rating_withheld", "too_few_records", "no_value")


def _entry(index: int, assessed: dict) -> Entry:
    indicator = assessed["indicator"]
    if assessed["status"] in UNKNOWN:
        nan = float("nan")
        return Entry(index, indicator, indicator.stream, nan, nan, nan, unknown=True)
    return Entry(index, indicator, indicator.stream, *assessed["values"],
                 loo=loo_values(assessed["measurement"]))


def _measure(indicator, context, evaluation, evidence) -> dict:
    """Measure one indicator and decide what of it may be published."""
    framework = evaluation.framework
    stream = indicator.stream
    out = {"indicator": indicator, "measurement": None, "values": None}
    if not evidence.streams.get(stream):
        return {**out, "status": "not_supplied"}
    if stream == "survey" and not context.principle.items:
        return {**out, "status": "no_questions"}
    needed = dict(framework.min_rows).get(stream, 1)
    rows = evidence.rows(stream)
    measured = MEASURES[indicator.measure](context, indicator)
    declared = indicator.measure in DECLARED  # a declaration, not a count of records
    if declared and measured is None:
        return {**out, "status": "not_declared"}
    unit = STREAM_UNITS.get(stream, "record")
    if stream != "survey" and rows < needed and not declared:
        return {**out, "status": "too_few_records", "rows": rows, "needed": needed,
                "unit": unit}
    if measured is None:
        return {**out, "status": "no_value"}
    if stream != "survey" and measured.n < needed and not declared:
        # the indicator's own records count
        return {**out, "status": "too_few_records", "rows": measured.n, "needed": needed,
                "unit": unit}
    out["measurement"] = measured
    out["smallest_group"] = _smallest_group(context, indicator)
    out["values"] = (measured.value, measured.low, measured.high)
    min_n = evaluation.min_group_size
    if measured.people is None or (measured.people >= min_n
                                   and not _small_cell(measured, indicator, min_n)):
        return {**out, "status": "assessed"}
    # how the organisation treats a few partners is the commissioner's to see: in words
    if indicator.measure in CONDUCT and measured.count and measured.people >= PUBLISH_FLOOR:
        return {**out, "status": "assessed", "conduct_band": conduct_band(
            *measured.count, [t for _, t in indicator.thresholds],
            higher=indicator.direction == "higher_is_better")}
    # A figure about fewer people than the threshold never leaves the run (nor a share of
    # people with a small count in it). Its coarse rating does (so fewer people cannot hide a
    # weak result), unless the group is tiny or the rating band would give the count away.
    if measured.people < PUBLISH_FLOOR or _band_gives_count(framework, indicator, measured):
        return {**out, "status": "rating_withheld"}
    return {**out, "status": "figure_withheld"}


def _smallest_group(context, indicator) -> int | None:
    """People in the smallest group (with any answer) a survey indicator pools."""
    block = context.blocks.get("codes")
    if indicator.stream != "survey" or block is None:
        return None
    answering = (block > 0).any(axis=1)
    sizes = [int((answering & (context.roles == code)).sum())
             for code in context.role_codes[indicator.group or "partner"]]
    return min((n for n in sizes if n), default=None)


def _small_cell(measured, indicator, min_n: int) -> bool:
    """A share of people whose count, or the rest, is 1..min_n-1 people: NHS practice
    suppresses such a cell, so the share is not shown either (survey shares are of answers,
    which are rounded instead)."""
    if measured.count is None or indicator.stream == "survey":
        return False
    k, n = measured.count
    return 0 < k < min_n or 0 < n - k < min_n


def _band_gives_count(framework, indicator, measured) -> bool:
    """True when only one count k of n fits the rating band the value falls in."""
    if measured.count is None:
        return False
    return band_gives_count(lambda v: rate_values(framework, indicator, v), *measured.count)


def _confidence(framework, assessed: list[dict]) -> str:
    ratings, unknown = [], 0
    for a in assessed:
        if a["status"] in UNKNOWN:
            unknown += 1
        elif a["status"] in ("assessed", "figure_withheld"):
            rank = int(rate_values(framework, a["indicator"], a["measurement"].value))
            ratings.append((a["indicator"].stream, rank))
    return confidence(framework, ratings, unknown)


# --- principles ---------------------------------------------------------------------------------

def _principle_results(evaluation, per_principle, entries, found, computed, unstable,
                       comparisons, confidences, claimed, quotes) -> list[PrincipleResult]:
    framework = evaluation.framework
    ratings = [r.id for r in framework.ratings]
    entry_at = {}
    for i, e in enumerate(entries):
        entry_at[(e.principle, e.indicator.id)] = i
    results = []
    for p, item in enumerate(per_principle):
        principle = item["principle"]
        indicators = []
        for a in item["assessed"]:
            i = entry_at.get((p, a["indicator"].id))
            indicators.append(_indicator_result(evaluation, a, i, found, unstable))
        groups, indicators = _in_order(item, indicators)
        override = evaluation.overrides.get(principle.id)
        per = len(evaluation.compared)
        mine = tuple(comparisons[p * per:(p + 1) * per])
        results.append(PrincipleResult(
            id=principle.id, name=principle.name, meaning=principle.meaning,
            items=principle.items,
            rating=ratings[found.point[p, 0]], computed_rating=ratings[computed.point[p, 0]],
            rating_range=(ratings[found.low[p, 0]], ratings[found.high[p, 0]]),
            stable=p not in unstable["principles"] or override is not None,
            override=None if override is None else FrozenDict(
                {"rating": override[0], "reason": override[1]}),
            claimed_rating=claimed.get(principle.id), confidence=confidences[p],
            groups=groups, comparisons=mine, evidence=tuple(indicators),
            quotes=quotes.get(principle.id, ())))
    return results


def _in_order(item: dict, indicators: list) -> tuple:
    """A principle's groups' shares and its survey figures, as published, never stand in the
    opposite order to the exact shares (privacy.keep_order): a pair that would is shown as
    bands, cut on the same thresholds."""
    exact, edges = item["exact"]
    shares = {("group", role): (exact[role], stats.pct_agree, stats.pct_agree_band, edges)
              for role, stats in item["stats"].items() if role in exact}
    for k, (a, indicator) in enumerate(zip(item["assessed"], indicators)):
        if indicator.stream == "survey" and (indicator.value is not None or indicator.band):
            shares[("indicator", k)] = (a["measurement"].value, indicator.value, indicator.band,
                                        [t["value"] for t in indicator.thresholds])
    kept = keep_order(shares)
    groups = FrozenDict({role: (dataclasses.replace(stats, pct_agree=kept[("group", role)][0],
                                                    pct_agree_band=kept[("group", role)][1])
                                if ("group", role) in kept else stats)
                         for role, stats in item["stats"].items()})
    indicators = [dataclasses.replace(i, value=kept[("indicator", k)][0],
                                      band=kept[("indicator", k)][1],
                                      rounded=i.rounded and kept[("indicator", k)][1] is None)
                  if ("indicator", k) in kept else i for k, i in enumerate(indicators)]
    return groups, indicators


def _indicator_result(evaluation, a, i, found, unstable) -> IndicatorResult:
    """What of one indicator is published: facts only (the words are chosen when a report
    is drawn). A figure about people is a band when few people are behind it (or when
    rounding would carry it across a threshold), else a share from rounded counts."""
    framework = evaluation.framework
    indicator = a["indicator"]
    ratings = [r.id for r in framework.ratings]
    status = a["status"]
    higher = indicator.direction == "higher_is_better"
    thresholds = [t for _, t in indicator.thresholds]
    base = dict(id=indicator.id, label=indicator.label, stream=indicator.stream,
                measure=indicator.measure, group=indicator.group, unit=indicator.unit,
                direction=indicator.direction,
                thresholds=tuple(FrozenDict({"rating": r, "value": t})
                                 for r, t in indicator.thresholds),
                status=status, truth=indicator.truth)
    if status in LEFT_OUT:
        return IndicatorResult(**base, value=None, band=None, interval=None, rating=None,
                               rating_range=None, stable=None)
    if status in UNKNOWN:
        people = a.get("unit") == "partner"  # a count of partners' records is of people
        return IndicatorResult(
            **base, value=None, band=None, interval=None, rating=None,
            rating_range=(ratings[0], ratings[-1]), stable=None,
            record_count=None if people or "rows" not in a else a["rows"],
            needed=a.get("needed"), record_unit=a.get("unit"))
    measured = a["measurement"]
    rating = ratings[found.indicator_point[i, 0]]
    rating_range = (ratings[found.indicator_low[i, 0]], ratings[found.indicator_high[i, 0]])
    stable = i not in unstable["indicators"]
    if status == "figure_withheld":
        return IndicatorResult(**base, value=None, band=None, interval=None, rating=rating,
                               rating_range=rating_range, stable=stable,
                               small_part=measured.people >= evaluation.min_group_size)
    if a.get("conduct_band"):  # privacy.conduct_band: a word and the shares it covers
        return IndicatorResult(**base, value=None, band=a["conduct_band"][1], interval=None,
                               rating=rating, rating_range=rating_range, stable=stable,
                               band_word=a["conduct_band"][0])
    exact = measured.low == measured.high == measured.value  # no sampling uncertainty
    interval = None if exact else (display_value(measured.low, thresholds, higher=higher),
                                   display_value(measured.high, thresholds, higher=higher))
    shown, banded, rounded = measured.value, None, False
    if measured.people is not None and measured.count is not None:
        # a share of people: from counts rounded to the privacy base, or a band; its
        # interval's ends outward, so that neither tells how many people are behind it
        smallest = min(measured.people, a.get("smallest_group") or measured.people)
        if not exact:
            interval = people_interval(
                measured.low, measured.high,
                safe_count(smallest, evaluation.min_group_size, evaluation.round_to),
                thresholds, higher=higher)
        shown, banded = published_share(*measured.count, evaluation.round_to, people=smallest,
                                        thresholds=thresholds, higher=higher)
        rounded = shown is not None and shown != round(measured.value, 1)
    return IndicatorResult(
        **base, value=None if banded else display_value(
            shown if shown is not None else measured.value, thresholds, higher=higher),
        band=banded, interval=interval, rating=rating, rating_range=rating_range,
        stable=stable, rounded=bool(rounded and not banded))


__all__ = ["evaluate", "framework_summary"]
