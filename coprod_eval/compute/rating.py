"""From indicator values to ratings, a level on the ladder and a verdict — with uncertainty.

Everything here works on arrays, so one function (:func:`judge`) gives the result as found,
the result with each respondent or record left out in turn (is a conclusion stable?), and
the result with every threshold moved (does it hang on where a line was drawn?).

- An indicator's rating is the highest rating whose threshold its exact value meets; its
  *range* is the ratings its 95% interval reaches.
- A principle combines its indicators (by default the weakest). An indicator that was
  supplied but cannot be known (too few people to show, too few records to measure, nothing
  it can be measured on) is unknown: it stays in the combination with the whole scale as its
  range, and counts as the bottom of the scale for the rating as found, so withholding or
  thinning a weak figure never lifts a principle, the level or the verdict. An indicator
  whose stream was not supplied is left out (and confidence says so).
- The level is set by the framework's level rules, capped by the stage records; its range is
  the level of the principles' low ends to the level of their high ends.
- The verdict: *not supported* when even the top of the level's range is below the claim;
  *supported* when the bottom reaches it with at least medium confidence; otherwise *not
  established*.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

VERDICTS = ("not_supported", "not_established", "supported")
CONFIDENCES = ("low", "medium", "high")
UNRATED = -1  # an indicator that cannot be measured (e.g. its only unit left out)


def thresholds(framework, indicator) -> list[tuple[int, float]]:
    """(rating index, threshold) pairs, lowest rating first."""
    return [(framework.rating_index(r), t) for r, t in indicator.thresholds]


def sensitivity_step(indicator) -> float:
    """How far a threshold moves in the sensitivity check: 5 points for a percentage, one
    unit otherwise (e.g. one person per meeting)."""
    return 5.0 if indicator.unit == "%" else 1.0


def rate_values(framework, indicator, values, shift: float = 0.0) -> np.ndarray:
    """Rating index of each value (UNRATED for NaN). ``shift`` > 0 makes every threshold that
    many steps stricter, < 0 laxer (see :func:`sensitivity_step`)."""
    values = np.asarray(values, dtype=np.float64)
    ranks = np.zeros(values.shape, dtype=np.int16)
    higher = indicator.direction == "higher_is_better"
    step = sensitivity_step(indicator) * shift
    for rank, threshold in thresholds(framework, indicator):
        moved = threshold + step if higher else threshold - step
        if step and indicator.unit == "%":
            moved = min(100.0, max(0.0, moved))  # a threshold no project could meet is no test
        met = values >= moved if higher else values <= moved
        ranks = np.where(met, np.maximum(ranks, rank), ranks)
    return np.where(np.isnan(values), UNRATED, ranks).astype(np.int16)


def rate(indicator, value: float, framework) -> str:
    """The highest rating whose threshold ``value`` meets; the bottom rating otherwise."""
    return framework.ratings[int(rate_values(framework, indicator, value))].id


def rating_range(framework, indicator, low, high, shift: float = 0.0):
    """The ratings an interval reaches, lowest first (for either direction)."""
    a = rate_values(framework, indicator, low, shift)
    b = rate_values(framework, indicator, high, shift)
    return np.minimum(a, b), np.maximum(a, b)


@dataclass(frozen=True)
class Entry:
    """One indicator as the judgement sees it."""

    principle: int  # index of its principle
    indicator: object  # framework.Indicator
    stream: str
    value: object  # float or array (one per unit left out); NaN: not measurable
    low: object
    high: object
    unknown: bool = False  # measured but not shown: counts with the whole scale as range
    loo: tuple | None = None  # (value, low, high) arrays with each unit of the stream left out


@dataclass(frozen=True)
class Judgement:
    """Arrays over the cases judged (1 for the result as found)."""

    indicator_point: np.ndarray  # entries × cases
    indicator_low: np.ndarray
    indicator_high: np.ndarray
    point: np.ndarray  # principles × cases (rating index)
    low: np.ndarray
    high: np.ndarray
    level: np.ndarray  # cases (level index)
    level_low: np.ndarray
    level_high: np.ndarray
    rule: np.ndarray  # index of the level rule that set the point level
    verdict: np.ndarray  # index into VERDICTS


def judge(framework, entries: list[Entry], *, principles: int, overrides: dict[int, int],
          stage_cap: int | None, claimed: int, confident: bool, cases: int = 1,
          shift: float = 0.0) -> Judgement:
    top = len(framework.ratings) - 1
    count = len(entries)
    point = np.full((count, cases), UNRATED, dtype=np.int16)
    low = np.full((count, cases), UNRATED, dtype=np.int16)
    high = np.full((count, cases), UNRATED, dtype=np.int16)
    for i, entry in enumerate(entries):
        if entry.unknown:
            point[i], low[i], high[i] = UNRATED, 0, top
            continue
        point[i] = rate_values(framework, entry.indicator, entry.value, shift)
        low[i], high[i] = rating_range(framework, entry.indicator, entry.low, entry.high, shift)
        measurable = point[i] != UNRATED
        # a rating always lies inside its own range (an interval's end a hair off a
        # threshold must not leave the value's own rating out of it)
        low[i] = np.where(measurable, np.minimum(low[i], point[i]), UNRATED)
        high[i] = np.where(measurable, np.maximum(high[i], point[i]), UNRATED)
    owner = np.array([e.principle for e in entries], dtype=np.int64)
    unknown = np.array([e.unknown for e in entries], dtype=bool)
    p_point = np.empty((principles, cases), dtype=np.int16)
    p_low = np.empty_like(p_point)
    p_high = np.empty_like(p_point)
    no_evidence = framework.rating_index(framework.no_evidence)
    for p in range(principles):
        mine = owner == p
        if p in overrides:
            p_point[p] = p_low[p] = p_high[p] = overrides[p]
            continue
        p_point[p], p_low[p], p_high[p] = _combine(
            framework.combine, point[mine], low[mine], high[mine], unknown[mine], no_evidence,
            top)
    level, rule = level_of(framework, p_point, stage_cap)
    level_low, _ = level_of(framework, p_low, stage_cap)
    level_high, _ = level_of(framework, p_high, stage_cap)
    verdict = verdict_of(level_low, level_high, claimed, confident)
    return Judgement(point, low, high, p_point, p_low, p_high, level, level_low, level_high,
                     rule, verdict)


def verdict_of(level_low, level_high, claimed: int, confident: bool) -> np.ndarray:
    """Index into VERDICTS: not supported when even the top of the level's range is below
    the claim; supported when its bottom reaches the claim and confidence is at least
    medium; not established otherwise."""
    return np.where(np.asarray(level_high) < claimed, 0,
                    np.where((np.asarray(level_low) >= claimed) & confident, 2, 1)
                    ).astype(np.int8)


def _combine(how: str, point, low, high, unknown, no_evidence: int, top: int):
    """A principle's rating and range from its indicators' (indicators × cases)."""
    rated = point != UNRATED
    counted = rated | unknown[:, None]  # unknown indicators count, as the whole scale
    # ...and, for the rating as found, as the bottom of it: an indicator that cannot be
    # known never lifts a principle above what its worst value would give
    cautious = np.where(unknown[:, None], 0, point)
    big = np.int16(top + 1)
    if how == "minimum":
        p = np.where(counted, cautious, big).min(axis=0, initial=big)
        lo = np.where(counted, low, big).min(axis=0, initial=big)
        hi = np.where(counted, high, big).min(axis=0, initial=big)
    else:  # the middle rating (lower middle when even)
        p, lo, hi = (_lower_median(values, mask) for values, mask in
                     ((cautious, counted), (low, counted), (high, counted)))
    p = np.where(p == big, no_evidence, p)
    none = ~counted.any(axis=0)
    lo = np.where(none, 0, np.where(lo == big, p, lo))
    hi = np.where(none, top, np.where(hi == big, p, hi))
    # the point lies within its range even when unknown indicators widen it
    lo, hi = np.minimum(lo, p), np.maximum(hi, p)
    return p.astype(np.int16), lo.astype(np.int16), hi.astype(np.int16)


def _lower_median(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    big = np.iinfo(np.int16).max
    ordered = np.sort(np.where(mask, values, big), axis=0)
    counts = mask.sum(axis=0)
    index = np.maximum((counts - 1) // 2, 0)
    picked = np.take_along_axis(ordered, index[None, :], axis=0)[0] if len(values) else (
        np.full(values.shape[1], big))
    return np.where(counts > 0, picked, big)


def level_of(framework, ranks: np.ndarray, stage_cap: int | None):
    """The level index (and the rule that set it) for each column of principle ratings."""
    cases = ranks.shape[1]
    level = np.full(cases, -1, dtype=np.int16)
    rule_at = np.full(cases, len(framework.level_rules) - 1, dtype=np.int16)
    lowest = ranks.min(axis=0)
    for i, rule in enumerate(framework.level_rules):
        ok = np.ones(cases, dtype=bool)
        if rule.all_at_least:
            ok &= lowest >= framework.rating_index(rule.all_at_least)
        if rule.at_least_rating:
            floor = framework.rating_index(rule.at_least_rating)
            ok &= (ranks >= floor).sum(axis=0) >= rule.at_least_count
        fresh = ok & (level < 0)
        level = np.where(fresh, framework.level_index(rule.level), level)
        rule_at = np.where(fresh, i, rule_at)
    if stage_cap is not None:
        level = np.minimum(level, stage_cap)
    return level, rule_at


def confidence(framework, ratings: list[tuple[str, int | None]], unknown: int = 0) -> str:
    """high / medium / low from how many independent streams were assessed and agree.

    ``ratings`` are (stream, rating index or None) of a principle's indicators; ``unknown``
    counts indicators that were measured but cannot be shown, each lowering confidence a step.
    """
    by_stream: dict[str, list[int]] = {}
    for stream, rank in ratings:
        if rank is not None:
            by_stream.setdefault(stream, []).append(rank)
    stream_ratings = [min(ranks) for ranks in by_stream.values()]
    spread = (max(stream_ratings) - min(stream_ratings)) if stream_ratings else 0
    level = 0
    for i, rule in ((2, framework.confidence_high), (1, framework.confidence_medium)):
        if len(stream_ratings) >= rule.streams and spread <= rule.agree_within:
            level = i
            break
    else:
        if len(stream_ratings) >= framework.confidence_high.streams:
            level = 1  # plenty of evidence, but the streams disagree
    return CONFIDENCES[max(0, level - unknown)]
