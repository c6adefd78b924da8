"""The assessment: evidence in, a frozen EvaluationResult out (``evaluate``). Orchestration only.

Top to bottom: each principle's survey statistics and group comparisons; each indicator
measured (value, interval, value with each unit left out); what may be published of it;
the judgement as found, without each respondent or record in turn, and with the thresholds
moved; confidence; the verdict and what would settle it; the inconvenient truths.
"""

from __future__ import annotations

import dataclasses
import zlib

import numpy as np

from ..base.stats import cohen_kappa, krippendorff_nominal
from ..disclosure.privacy import (
    BAND_BELOW,
    PUBLISH_FLOOR,
    band_gives_count,
    display_value,
    keep_order,
    people_interval,
    published_share,
    rate_band,
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
from ..yardsticks.measures import DECLARED, MEASURES, PrincipleEvidence
from ..yardsticks.plan import against_plan
from ..yardsticks.streams import STREAM_UNITS
from .disagreement import disagreement_map
from .groups import absent, agree_ranks, compare, correct, exact_share, group_stats
from .quotes import quote_bank
from .rating import CONFIDENCES, VERDICTS, Entry, confidence, judge, rate_values
from .room import room
from .settle import settle_facts
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
    survey_roles = _survey_roles(evidence)
    claimed = _claimed_ratings(evidence)
    quotes, redactor, held = quote_bank(evaluation, evidence)

    per_principle, entries, raw_comparisons = [], [], []
    for index, principle in enumerate(framework.principles):
        block = _survey_block(evidence, principle)
        stats, comparisons, exact = _survey_statistics(evaluation, evidence, principle, block,
                                                       survey_roles)
        raw_comparisons.append(comparisons)
        context = PrincipleEvidence(principle, evidence, {"codes": block} if block is not None
                                    else {}, survey_roles, _agree_codes(evidence),
                                    group_codes(evaluation))
        assessed = [_measure(indicator, context, evaluation, evidence)
                    for indicator in principle.indicators]
        entries += [_entry(index, a) for a in assessed if a["status"] not in LEFT_OUT]
        per_principle.append({"principle": principle, "stats": stats, "assessed": assessed,
                              "exact": exact})

    confidences = [_confidence(framework, item["assessed"]) for item in per_principle]
    overall_confidence = min(confidences, key=CONFIDENCES.index)
    stage_table = _stages(framework, evidence)
    stage_cap = _stage_cap(framework, stage_table)
    overrides = {i: framework.rating_index(evaluation.overrides[p.id][0])
                 for i, p in enumerate(framework.principles) if p.id in evaluation.overrides}
    settings = dict(principles=len(framework.principles), overrides=overrides,
                    stage_cap=stage_cap, claimed=framework.level_index(evaluation.claimed_level),
                    confident=overall_confidence != "low")
    found = judge(framework, entries, **settings)
    computed = judge(framework, entries, **{**settings, "overrides": {}})
    unstable = _leave_one_out(framework, entries, found, settings)
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
    overall = _overall(evaluation, found, principles, stage_table, overall_confidence,
                       per_principle)
    robustness = _robustness(framework, principles, found, unstable, stricter, laxer,
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
            **_questions(evaluation),
        }),
        groups=groups,
        evidence=frozen(_evidence_summary(evidence, evaluation)),
        principles=tuple(principles),
        overall=overall,
        robustness=frozen(robustness),
        privacy=frozen(_privacy(evaluation, principles, redactor, held)),
        agreement=_frozen_or_none(_agreement(evidence, MIN_DOUBLE_CODED)),
        disagreement=frozen(disagreement_map(
            evidence.survey, evaluation.instrument, framework, list(evaluation.compared),
            offset=evaluation.instrument.offset, min_n=min_n, round_to=evaluation.round_to,
            seed=evaluation.seed, permutations=evaluation.permutations)),
        plan=_frozen_or_none(examined),
        coproduced=_frozen_or_none(_coproduced(evaluation.coproduced,
                                               int(evaluation.project.get("round") or 1))),
        room=_frozen_or_none(profile),
    )
    return result, tuple(redactor.log())


# --- survey ----------------------------------------------------------------------------------

def _survey_roles(evidence) -> np.ndarray | None:
    """Each respondent's group as the survey holds it (a small integer per respondent)."""
    return None if evidence.survey is None else evidence.survey.roles


def group_codes(evaluation) -> dict[str, tuple[int, ...]]:
    """What an indicator's ``group:`` can name: a side of the work ("partner": everyone with
    lived experience, whichever group; "staff") or one group by id. Frameworks are shared
    across evaluations, so they name sides; a side wins over a group of the same id."""
    codes = {g.id: (i,) for i, g in enumerate(evaluation.groups)}
    for side in ("staff", "partner"):
        codes[side] = tuple(i for i, g in enumerate(evaluation.groups) if g.side == side)
    return codes


def _questions(evaluation) -> dict:
    """The survey questions each principle uses (so any reader can check the mapping), and
    who confirmed an own questionnaire's mapping."""
    instrument, framework = evaluation.instrument, evaluation.framework
    if evaluation.survey_file is None:
        return {}
    source = evaluation.survey_source
    confirmed = source.mapping_confirmed if source is not None else None
    return {
        "own_questionnaire": instrument.assigns,
        "mapping_confirmed": None if confirmed is None else {
            "by": list(confirmed["by"]), "date": confirmed["date"]},
        "questions": [{"id": item.id, "text": item.partner, "reverse": item.reverse,
                       "principles": [p.id for p in framework.principles if item.id in p.items]}
                      for item in instrument.items],
    }


def _agree_codes(evidence) -> tuple[int, ...]:
    return () if evidence.survey is None else evidence.survey.agree


def _survey_block(evidence, principle) -> np.ndarray | None:
    survey = evidence.survey
    if survey is None or not principle.items:
        return None
    return survey.codes[:, [survey.items.index(item) for item in principle.items]]


def _survey_statistics(evaluation, evidence, principle, block, roles):
    """Published statistics per group, raw comparisons (before Holm), and (each shown
    group's exact share, the thresholds its share is banded on) for keeping order."""
    group_roles = [g.id for g in evaluation.groups]
    compared = evaluation.compared
    if block is None:
        return FrozenDict({role: absent() for role in group_roles}), [
            {"group": g, "reference": r, "shown": False} for g, r in compared], ({}, [])
    survey = evidence.survey
    min_n = evaluation.min_group_size
    blocks = {role: block[survey.role_mask(role)] for role in group_roles}
    shown = {role: exact_share(blocks[role], survey.agree)
             for role in group_roles if ((blocks[role] > 0).any(axis=1)).sum() >= min_n}
    ranks = agree_ranks(shown)
    edges = sorted({t for indicator in principle.indicators if indicator.stream == "survey"
                    and indicator.direction == "higher_is_better"
                    for _, t in indicator.thresholds})
    stats = FrozenDict({role: group_stats(blocks[role], principle.items, survey.scale,
                                          survey.agree, min_n=min_n,
                                          round_to=evaluation.round_to,
                                          offset=evaluation.instrument.offset, edges=edges,
                                          rank=ranks.get(role))
                        for role in group_roles})
    rng = np.random.default_rng([evaluation.seed, zlib.crc32(principle.id.encode())])
    raw = compare(blocks, list(compared), survey.agree, min_n=evaluation.min_group_size,
                  round_to=evaluation.round_to, rng=rng, permutations=evaluation.permutations)
    return stats, [raw[pair] for pair in compared], (shown, edges)


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
                 loo=_loo(assessed["measurement"]))


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


# --- leave one out -------------------------------------------------------------------------------

def _leave_one_out(framework, entries, found, settings) -> dict:
    """For each stream with units: which conclusions one unit left out can change.

    Returns {"indicators": set of entry indexes, "principles": set of principle indexes,
    "level": set of streams, "verdict": set of streams}.
    """
    changed = {"indicators": set(), "principles": set(), "level": set(), "verdict": set(),
               "principle_to": {}, "level_to": set(), "verdict_to": set()}
    for stream in STREAM_UNITS:
        mine = [i for i, e in enumerate(entries) if e.stream == stream and not e.unknown
                and e.loo is not None]
        if not mine:
            continue
        units = len(entries[mine[0]].loo[0])
        if units == 0:
            continue
        swapped = list(entries)
        for i in mine:
            value, low, high = entries[i].loo
            swapped[i] = Entry(entries[i].principle, entries[i].indicator, stream, value, low,
                               high)
        loo = judge(framework, swapped, cases=units, **settings)
        for i in mine:
            if (loo.indicator_point[i] != found.indicator_point[i, 0]).any():
                changed["indicators"].add(i)
        for p in range(settings["principles"]):
            other = loo.point[p][loo.point[p] != found.point[p, 0]]
            if other.size:
                changed["principles"].add(p)
                changed["principle_to"].setdefault(p, set()).update(int(x) for x in other)
        other = loo.level[loo.level != found.level[0]]
        if other.size:
            changed["level"].add(stream)
            changed["level_to"].update(int(x) for x in other)
        other = loo.verdict[loo.verdict != found.verdict[0]]
        if other.size:
            changed["verdict"].add(stream)
            changed["verdict_to"].update(int(x) for x in other)
    return changed


def _loo(measured) -> tuple | None:
    if measured is None or measured.loo_value is None:
        return None
    return measured.loo_value, measured.loo_low, measured.loo_high


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


# --- overall ------------------------------------------------------------------------------------

def _stages(framework, evidence) -> tuple:
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


def _stage_cap(framework, stages: tuple) -> int | None:
    recorded = [s["evidenced_level"] for s in stages
                if s["stage"] in framework.stage_rule_stages and s["evidenced_level"]]
    if not recorded:
        return None
    return min(framework.level_index(level) for level in recorded)


def _overall(evaluation, found, principles, stages, overall_confidence, per_principle) -> Overall:
    framework = evaluation.framework
    levels = [lv.id for lv in framework.levels]
    level = levels[found.level[0]]
    rule = framework.level_rules[found.rule[0]]
    stage_level = None
    cap = _stage_cap(framework, stages)
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


def _robustness(framework, principles, found, unstable, stricter, laxer, uncapped) -> dict:
    ratings = [r.id for r in framework.ratings]
    levels = [lv.id for lv in framework.levels]

    def shifted(j):
        return {"verdict": VERDICTS[j.verdict[0]], "level": levels[j.level[0]],
                "level_range": [levels[j.level_low[0]], levels[j.level_high[0]]],
                "principles": {p.id: ratings[j.point[i, 0]] for i, p in enumerate(principles)}}

    return {
        "leave_one_out": {
            "verdict": not unstable["verdict"], "level": not unstable["level"],
            "principles": {p.id: p.stable for p in principles},
            "verdict_changed_by": sorted(STREAM_UNITS[s] for s in unstable["verdict"]),
            "level_changed_by": sorted(STREAM_UNITS[s] for s in unstable["level"]),
            "verdict_could_become": [VERDICTS[v] for v in sorted(unstable["verdict_to"])],
            "level_could_become": [levels[v] for v in sorted(unstable["level_to"])],
            "principles_could_become": {
                principles[p].id: [ratings[r] for r in sorted(to)]
                for p, to in sorted(unstable["principle_to"].items())
                if principles[p].override is None},
        },
        "threshold_shift": {
            "percentage_points": 5, "other_units": 1,
            "stricter": shifted(stricter), "laxer": shifted(laxer),
        },
        "without_stage_records": None if uncapped is None else {
            "verdict": VERDICTS[uncapped.verdict[0]],
            "level_range": [levels[uncapped.level_low[0]], levels[uncapped.level_high[0]]]},
    }


# --- other parts of the result -------------------------------------------------------------------

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


def _coproduced(stated: dict | None, current: int) -> dict | None:
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


def _frozen_or_none(value: dict | None):
    return None if value is None else frozen(value)


def _agreement(evidence, min_units: int) -> dict | None:
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


def _claimed_ratings(evidence) -> dict[str, str]:
    table = evidence.records.get("self_assessment")
    if table is None:
        return {}
    return dict(zip(table["principle"], table["claimed_rating"]))


def _privacy(evaluation, principles, redactor, held) -> dict:
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


def _evidence_summary(evidence, evaluation) -> dict:
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


__all__ = ["evaluate", "framework_summary"]
