"""Statistics for ordinal survey answers, vectorised over respondents and resamples.

Likert answers are ordinal: medians, distributions and percent agreeing lead. The bootstrap
resamples respondents (not single answers), because one person's answers to a principle's
items belong together.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class GroupAnswers:
    """One group's answers to one principle's items, reduced to what the statistics need."""

    n: int  # respondents who answered at least one of the items
    agree: np.ndarray  # per respondent: answers in the agree codes
    answered: np.ndarray  # per respondent: answers given (missing excluded)
    counts: np.ndarray  # answers per scale code, in scale order


def group_answers(codes: np.ndarray, scale: tuple[int, ...], agree: tuple[int, ...]) -> GroupAnswers:
    """Reduce a respondents × items block of codes (0 = missing)."""
    answered = (codes > 0).sum(axis=1)
    agreed = np.isin(codes, agree).sum(axis=1)
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


def bootstrap_pct_agree(answers: GroupAnswers, *, resamples: int,
                        rng: np.random.Generator) -> np.ndarray:
    """:func:`pct_agree` in each of ``resamples`` bootstrap resamples of respondents.

    A respondent enters the statistic only through their (agree, answered) pair, so
    resampling N respondents with replacement is the same as drawing how many times each
    distinct pair is picked from a multinomial. That makes the cost independent of N.
    """
    pairs, multiplicity = np.unique(np.stack([answers.agree, answers.answered]), axis=1,
                                    return_counts=True)
    draws = rng.multinomial(answers.n, multiplicity / answers.n, size=resamples)
    return 100.0 * (draws @ pairs[0]) / (draws @ pairs[1])


def percentile_interval(stats: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(stats, [tail, 100 - tail])
    return float(low), float(high)


def bootstrap_pct_agree_ci(answers: GroupAnswers, *, resamples: int, rng: np.random.Generator,
                           level: float = 0.95) -> tuple[float, float]:
    """Percentile bootstrap CI of :func:`pct_agree`, resampling respondents."""
    return percentile_interval(bootstrap_pct_agree(answers, resamples=resamples, rng=rng), level)


def quantile_from_counts(counts: np.ndarray, values: tuple[int, ...], q: float) -> float:
    """numpy.percentile(answers, 100*q) (linear interpolation), from counts per value."""
    total = int(counts.sum())
    cumulative = np.cumsum(counts)
    h = (total - 1) * q
    lo, hi = int(np.floor(h)), int(np.ceil(h))
    v_lo = values[int(np.searchsorted(cumulative, lo, side="right"))]
    v_hi = values[int(np.searchsorted(cumulative, hi, side="right"))]
    return float(v_lo + (h - lo) * (v_hi - v_lo))


def cronbach_alpha(block: np.ndarray, *, level: float = 0.95):
    """Cronbach's alpha of complete rows of a respondents × items block (0 = missing), with
    Feldt's F-based confidence interval. Returns (alpha, (low, high), n) or None when fewer
    than two items or three complete rows remain."""
    from scipy.special import fdtri

    complete = block[(block > 0).all(axis=1)].astype(np.float64)
    n, k = complete.shape
    if k < 2 or n < 3:
        return None
    cov = np.cov(complete, rowvar=False, ddof=1)
    total = cov.sum()
    if total <= 0:
        return None
    alpha = k / (k - 1) * (1 - np.trace(cov) / total)
    df1, df2 = n - 1, (n - 1) * (k - 1)
    tail = (1 - level) / 2
    low = 1 - (1 - alpha) * fdtri(df1, df2, 1 - tail)
    high = 1 - (1 - alpha) * fdtri(df1, df2, tail)
    return float(alpha), (float(low), float(high)), n


def respondent_scores(block: np.ndarray) -> np.ndarray:
    """Each respondent's mean answer over the items they answered (none: dropped)."""
    answered = (block > 0).sum(axis=1)
    keep = answered > 0
    return block[keep].sum(axis=1, dtype=np.int64) / answered[keep]


def mann_whitney(a: np.ndarray, b: np.ndarray):
    """Two-sided Mann–Whitney U with tie correction and continuity correction (as
    scipy.stats.mannwhitneyu(method="asymptotic")), and Cliff's delta (a over b).

    Computed from counts of distinct values, so it costs little for millions of respondents.
    Returns (U of a, p, delta).
    """
    from scipy.special import ndtr

    values, inverse = np.unique(np.concatenate([a, b]), return_inverse=True)
    count_a = np.bincount(inverse[: len(a)], minlength=len(values)).astype(np.float64)
    count_b = np.bincount(inverse[len(a):], minlength=len(values)).astype(np.float64)
    n1, n2 = float(len(a)), float(len(b))
    below_b = np.cumsum(count_b) - count_b
    u1 = float((count_a * (below_b + 0.5 * count_b)).sum())
    n = n1 + n2
    ties = count_a + count_b
    sigma = np.sqrt(n1 * n2 / 12 * ((n + 1) - (ties ** 3 - ties).sum() / (n * (n - 1))))
    u = max(u1, n1 * n2 - u1)
    z = (u - n1 * n2 / 2 - 0.5) / sigma if sigma > 0 else 0.0
    p = min(1.0, 2 * (1 - ndtr(z))) if sigma > 0 else 1.0
    delta = 2 * u1 / (n1 * n2) - 1
    return u1, float(p), float(delta)


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
