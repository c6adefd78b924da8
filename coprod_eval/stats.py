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
