"""Statistics for ordinal survey answers and records, vectorised over respondents.

Likert answers are ordinal: medians, distributions and percent agreeing lead. One person's
answers to a principle's items belong together, so intervals for percent agreeing treat
answers as clustered within people, and groups are compared on each person's mean answer.
Every function here is checked in the tests against an independent implementation (scipy,
statsmodels, pingouin, krippendorff, or brute-force enumeration) and, where it promises a
coverage or an error rate, by seeded simulation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Effect sizes for Cliff's delta, after Romano et al. (2006): below 0.147 negligible, below
# 0.33 small, below 0.474 medium, large from there.
EFFECT_SIZES = ((0.147, "negligible"), (0.33, "small"), (0.474, "medium"), (1.01, "large"))
# The exact test is used while its cost (elements × smaller group × rank sums) stays below
# this; past it the groups are large and the normal approximation is accurate.
EXACT_BUDGET = 6e7
POWER = 0.8


@dataclass(frozen=True)
class GroupAnswers:
    """One group's answers to one principle's items, reduced to what the statistics need."""

    n: int  # respondents who answered at least one of the items
    agree: np.ndarray  # per respondent: answers in the agree codes
    answered: np.ndarray  # per respondent: answers given (missing excluded)
    counts: np.ndarray  # answers per scale code, in scale order


def group_answers(codes: np.ndarray, scale: tuple[int, ...],
                  agree: tuple[int, ...]) -> GroupAnswers:
    """Reduce a respondents × items block of codes (0 = missing)."""
    answered = (codes > 0).sum(axis=1)
    table = np.zeros(256, dtype=bool)
    table[list(agree)] = True
    agreed = table[codes.astype(np.uint8)].sum(axis=1)
    keep = answered > 0
    counts = np.array([(codes == code).sum() for code in scale], dtype=np.int64)
    return GroupAnswers(int(keep.sum()), agreed[keep].astype(np.int64),
                        answered[keep].astype(np.int64), counts)


def pct_agree(answers: GroupAnswers) -> float:
    """Percent of answers in the agree codes (top-two box), missing answers excluded."""
    return 100.0 * answers.agree.sum() / answers.answered.sum()


def median_from_counts(counts: np.ndarray, values: tuple[int, ...]) -> float:
    """The median of the answers, from their counts per value (as numpy.median would give)."""
    total = int(counts.sum())
    cumulative = np.cumsum(counts)
    lower = values[int(np.searchsorted(cumulative, (total - 1) // 2, side="right"))]
    upper = values[int(np.searchsorted(cumulative, total // 2, side="right"))]
    return (lower + upper) / 2


def quantile_from_counts(counts: np.ndarray, values: tuple[int, ...], q: float) -> float:
    """numpy.percentile(answers, 100*q) (linear interpolation), from counts per value."""
    total = int(counts.sum())
    cumulative = np.cumsum(counts)
    h = (total - 1) * q
    lo, hi = int(np.floor(h)), int(np.ceil(h))
    v_lo = values[int(np.searchsorted(cumulative, lo, side="right"))]
    v_hi = values[int(np.searchsorted(cumulative, hi, side="right"))]
    return float(v_lo + (h - lo) * (v_hi - v_lo))


# --- intervals -----------------------------------------------------------------------------

def wilson(successes: float, total: float, level: float = 0.95, *,
           critical: float | None = None) -> tuple[float, float]:
    """Wilson's score interval for a proportion, as fractions (0..1).

    ``total`` may be an effective sample size (not a whole number); ``critical`` replaces
    the normal quantile (a Student's t quantile, for a small number of clusters).
    """
    from scipy.special import ndtri

    if total <= 0:
        return 0.0, 1.0
    z = float(ndtri(1 - (1 - level) / 2)) if critical is None else critical
    p = successes / total
    z2n = z * z / total
    centre = (p + z2n / 2) / (1 + z2n)
    half = z / (1 + z2n) * np.sqrt(p * (1 - p) / total + z2n / (4 * total))
    # at 0 of n (n of n) the bound is exactly 0 (1): floating point leaves about 1e-17, which
    # would put the interval's end on the wrong side of a threshold of 0% (100%)
    low = 0.0 if successes <= 0 else max(0.0, float(centre - half))
    high = 1.0 if successes >= total else min(1.0, float(centre + half))
    return low, high


def clustered_wilson(agree: np.ndarray, answered: np.ndarray,
                     level: float = 0.95) -> tuple[float, float]:
    """Interval for the share of answers agreeing when answers are clustered in people.

    Wilson's score interval on the effective number of answers: the design effect (how much
    one person's answers resemble each other) comes from the linearised variance of the ratio
    of agreeing to given answers across people, with one pseudo-person who agrees with half of
    an average number of answers added so a small group that happens to agree unanimously
    does not look certain; it is never taken below 1. The critical value is Student's t with
    (people - 1) degrees of freedom. Coverage is checked by simulation in the tests (at least
    93% from 8 people, true shares 50% to 90%, answers strongly correlated within people).
    Returns fractions (0..1).
    """
    from scipy.special import stdtrit

    people = len(agree)
    total = float(answered.sum())
    if people < 2 or total <= 0:
        return 0.0, 1.0
    p = float(agree.sum()) / total
    typical = total / people
    a = np.append(agree.astype(np.float64), typical / 2)
    m = np.append(answered.astype(np.float64), typical)
    p_padded = a.sum() / m.sum()
    variance = (people + 1) / people * ((a - p_padded * m) ** 2).sum() / m.sum() ** 2
    binomial = p_padded * (1 - p_padded) / m.sum()
    design_effect = max(1.0, variance / binomial) if binomial > 0 else 1.0
    critical = float(stdtrit(people - 1, 1 - (1 - level) / 2))
    return wilson(p * (total / design_effect), total / design_effect, level, critical=critical)


def median_interval(values: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """Distribution-free interval for a median from order statistics (binomial).

    The narrowest symmetric pair of order statistics covering the median with at least
    ``level`` probability; with too few values for that, the range of the values.
    """
    x = np.sort(np.asarray(values, dtype=np.float64))
    n = len(x)
    if n == 0:
        return float("nan"), float("nan")
    j = median_rank(n, level)
    if j < 1:
        return float(x[0]), float(x[-1])
    return float(x[j - 1]), float(x[n - j])


def median_rank(n: int, level: float = 0.95) -> int:
    """The largest j (1-based) with P(Bin(n, 1/2) <= j - 1) <= (1 - level) / 2, so that the
    j-th smallest and j-th largest values cover the median; 0 when none does."""
    from scipy.special import bdtr

    tail = (1 - level) / 2
    j = int(n / 2 - 1.96 * np.sqrt(n) / 2) + 2  # near the answer; step down to it
    j = max(0, min(j, n // 2))
    while j >= 1 and bdtr(j - 1, n, 0.5) > tail:
        j -= 1
    while j + 1 <= n // 2 and bdtr(j, n, 0.5) <= tail:
        j += 1
    return j


# --- reliability ----------------------------------------------------------------------------

# --- comparing groups -----------------------------------------------------------------------

def respondent_scores(block: np.ndarray) -> np.ndarray:
    """Each respondent's mean answer over the items they answered (none: dropped)."""
    answered = (block > 0).sum(axis=1)
    keep = answered > 0
    return block[keep].sum(axis=1, dtype=np.int64) / answered[keep]


@dataclass(frozen=True)
class Comparison:
    """A Mann–Whitney comparison of two groups' per-person scores."""

    u: float  # U of the first group
    p: float  # two-sided
    delta: float  # Cliff's delta, first group over second
    method: str  # "exact" or "normal approximation"


def _doubled_midranks(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Twice the midrank of each value (integers), and the inverse index into the sorted
    distinct values."""
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    below = np.cumsum(counts) - counts
    doubled = 2 * below + counts + 1  # 2 × (below + (count + 1) / 2)
    return doubled[inverse].astype(np.int64), inverse


def mann_whitney(a: np.ndarray, b: np.ndarray, *, rng: np.random.Generator | None = None,
                 permutations: int = 20000) -> Comparison:
    """Two-sided Mann–Whitney U with Cliff's delta (a over b).

    - Exact when affordable: the null distribution of the rank sum given the ties, counted by
      dynamic programming over every way of choosing the smaller group (as a permutation test
      enumerating all splits would).
    - Otherwise, when a group has fewer than 20 people or ties are heavy: a Monte Carlo
      permutation test with ``permutations`` random splits (seeded ``rng``), p = (b + 1) /
      (permutations + 1).
    - Otherwise the normal approximation with tie and continuity corrections (as
      scipy.stats.mannwhitneyu(method="asymptotic")), computed from counts of distinct
      values so it costs little for millions of respondents.

    The two-sided p-value is twice the smaller tail, at most 1.
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    n1, n2 = len(a), len(b)
    if n1 == 0 or n2 == 0:
        raise ValueError("both groups need at least one score")
    values, inverse, ties = np.unique(np.concatenate([a, b]), return_inverse=True,
                                      return_counts=True)
    u1 = _u_statistic(inverse, n1, len(values))
    delta = 2 * u1 / (n1 * n2) - 1
    n = n1 + n2
    small = min(n1, n2)
    if n * small * (2 * n * small) <= EXACT_BUDGET:
        return Comparison(u1, _exact_p(a, b), float(delta), "exact")
    if small < 20 or _heavy_ties(ties):
        rng = rng if rng is not None else np.random.default_rng(0)
        return Comparison(u1, _permutation_p(a, b, rng, permutations), float(delta),
                          f"permutation ({permutations:,} random splits)")
    return Comparison(u1, _asymptotic_p(ties, n1, n2, u1), float(delta), "normal approximation")


def _heavy_ties(ties: np.ndarray) -> bool:
    """Ties are heavy when they take more than a tenth off the rank-sum variance."""
    n = float(ties.sum())
    return 1 - (ties.astype(np.float64) ** 3 - ties).sum() / (n ** 3 - n) < 0.9


def _permutation_p(a: np.ndarray, b: np.ndarray, rng: np.random.Generator,
                   permutations: int) -> float:
    doubled, _ = _doubled_midranks(np.concatenate([a, b]))
    small_is_a = len(a) <= len(b)
    k = min(len(a), len(b))
    observed = doubled[: len(a)].sum() if small_is_a else doubled[len(a):].sum()
    n = len(doubled)
    sums = np.empty(permutations, dtype=np.int64)
    for start in range(0, permutations, 1000):
        size = min(1000, permutations - start)
        picks = np.argpartition(rng.random((size, n)), k - 1, axis=1)[:, :k]
        sums[start:start + size] = doubled[picks].sum(axis=1)
    low = (np.count_nonzero(sums <= observed) + 1) / (permutations + 1)
    high = (np.count_nonzero(sums >= observed) + 1) / (permutations + 1)
    return float(min(1.0, 2 * min(low, high)))


def _u_statistic(inverse: np.ndarray, n1: int, distinct: int) -> float:
    """U of the first n1 values, from each value's index among the sorted distinct values."""
    count_a = np.bincount(inverse[:n1], minlength=distinct).astype(np.float64)
    count_b = np.bincount(inverse[n1:], minlength=distinct).astype(np.float64)
    below_b = np.cumsum(count_b) - count_b
    return float((count_a * (below_b + 0.5 * count_b)).sum())


def _asymptotic_p(ties: np.ndarray, n1: int, n2: int, u1: float) -> float:
    from scipy.special import ndtr

    ties = ties.astype(np.float64)
    n1, n2 = float(n1), float(n2)
    n = n1 + n2
    sigma = np.sqrt(n1 * n2 / 12 * ((n + 1) - (ties ** 3 - ties).sum() / (n * (n - 1))))
    if sigma <= 0:
        return 1.0
    u = max(u1, n1 * n2 - u1)
    z = (u - n1 * n2 / 2 - 0.5) / sigma
    return float(min(1.0, 2 * (1 - ndtr(z))))


def _exact_p(a: np.ndarray, b: np.ndarray) -> float:
    """Exact two-sided p of the rank-sum test, ties included, by counting splits."""
    doubled, _ = _doubled_midranks(np.concatenate([a, b]))
    first_is_a = len(a) <= len(b)
    chosen = len(a) if first_is_a else len(b)
    observed = int(doubled[: len(a)].sum() if first_is_a else doubled[len(a):].sum())
    top = int(np.sort(doubled)[-chosen:].sum()) if chosen else 0
    # ways[c, s]: number of subsets of c elements seen so far whose doubled ranks sum to s
    ways = np.zeros((chosen + 1, top + 1), dtype=np.float64)
    ways[0, 0] = 1.0
    for k, rank in enumerate(doubled, 1):
        for c in range(min(k, chosen), 0, -1):
            ways[c, rank:] += ways[c - 1, : top + 1 - rank]
    dist = ways[chosen]
    total = dist.sum()
    low_tail = dist[: observed + 1].sum() / total
    high_tail = dist[observed:].sum() / total
    return float(min(1.0, 2 * min(low_tail, high_tail)))


def holm(pvalues: list[float]) -> list[float]:
    """Holm–Bonferroni adjusted p-values, in the order given."""
    m = len(pvalues)
    order = np.argsort(pvalues, kind="stable")
    adjusted = np.empty(m)
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (m - rank) * pvalues[index]))
        adjusted[index] = running
    return [float(x) for x in adjusted]


def effect_words(delta: float) -> str:
    """Cliff's delta in words: negligible, small, medium or large. (Cliff's delta is a
    ratio of whole numbers: floating-point noise below 1e-10, as in 0.32999999999999996 for
    33/100, is not a difference of size.)"""
    size = round(abs(float(delta)), 10)
    return next(word for limit, word in EFFECT_SIZES if size < limit)


def published_delta(delta: float) -> float:
    """Cliff's delta as published: two decimals, cut back toward its own size band when
    rounding would carry it into the next (0.1465 is negligible: published as 0.14, not
    0.15). Never more decimals: they would narrow the delta, and with it the group sizes,
    further than two decimals do."""
    shown = round(float(delta), 2)
    if effect_words(shown) != effect_words(delta):
        shown = (np.floor if abs(shown) > abs(delta) else np.ceil)(abs(delta) * 100) / 100
        shown = float(np.copysign(shown, delta))
    return shown


def detectable_delta(n1: int, n2: int, alpha: float, power: float = POWER) -> float:
    """The smallest Cliff's delta a two-sided Mann–Whitney test at ``alpha`` detects with
    ``power``, by Noether's (1987) approximation: |P(X>Y) - 1/2| =
    (z_{1-alpha/2} + z_power) / sqrt(12 n1 n2 / (n1 + n2)). Above 1: nothing could be."""
    from scipy.special import ndtri

    if n1 < 1 or n2 < 1:
        return float("inf")
    z = float(ndtri(1 - alpha / 2) + ndtri(power))
    return 2 * z / np.sqrt(12 * n1 * n2 / (n1 + n2))


def delta_as_shift(delta: float, spread: float) -> float:
    """The shift in scores (in the units of ``spread``, a standard deviation) that gives
    Cliff's delta ``delta`` between two normal distributions: sqrt(2) * Phi^-1((1+delta)/2)."""
    from scipy.special import ndtri

    if not np.isfinite(delta) or delta >= 1:
        return float("inf")
    return float(np.sqrt(2) * ndtri((1 + delta) / 2) * spread)


# --- agreement between coders ------------------------------------------------------------------

def contingency(first: list[str], second: list[str]) -> np.ndarray:
    """Counts of (first coder's category, second coder's category), categories sorted."""
    categories = sorted(set(first) | set(second))
    index = {c: i for i, c in enumerate(categories)}
    table = np.zeros((len(categories), len(categories)))
    np.add.at(table, ([index[x] for x in first], [index[y] for y in second]), 1)
    return table


def cohen_kappa(first: list[str], second: list[str]) -> float:
    table = contingency(first, second)
    n = table.sum()
    observed = np.trace(table) / n
    expected = (table.sum(axis=1) * table.sum(axis=0)).sum() / n ** 2
    return float((observed - expected) / (1 - expected)) if expected < 1 else 1.0


def krippendorff_nominal(first: list[str], second: list[str]) -> float:
    """Krippendorff's alpha, nominal data, two coders, every unit coded by both."""
    table = contingency(first, second)
    coincidence = table + table.T  # each unit gives both ordered pairs of its two values
    totals = coincidence.sum(axis=1)
    n = totals.sum()
    disagree_observed = coincidence.sum() - np.trace(coincidence)
    disagree_expected = (np.outer(totals, totals).sum() - (totals ** 2).sum())
    if disagree_expected == 0:
        return 1.0
    return float(1 - (n - 1) * disagree_observed / disagree_expected)
