"""Internal consistency: Cronbach's alpha with Feldt's interval (checked against pingouin in
tests/test_stats_vs_scipy.py)."""

from __future__ import annotations

import numpy as np


def cronbach_alpha(block: np.ndarray, *, level: float = 0.95):
    """Cronbach's alpha of complete rows of a respondents × items block (0 = missing), with
    Feldt's F-based confidence interval.

    Returns (alpha, (low, high), n), or (None, None, n) when the complete answers do not
    vary at all (alpha is undefined), or None when fewer than two items or three complete
    rows remain.
    """
    complete = block[(block > 0).all(axis=1)].astype(np.float64)
    n, k = complete.shape
    if k < 2 or n < 3:
        return None
    cov = np.cov(complete, rowvar=False, ddof=1)
    total = cov.sum()
    if total <= 0:
        return None, None, n
    alpha = k / (k - 1) * (1 - np.trace(cov) / total)
    return float(alpha), feldt_interval(float(alpha), n, k, level=level), n


def feldt_interval(alpha: float, n: int, k: int, *, level: float = 0.95) -> tuple[float, float]:
    """Feldt's F-based confidence interval for Cronbach's alpha of ``n`` people and ``k``
    items."""
    from scipy.special import fdtri

    df1, df2 = n - 1, (n - 1) * (k - 1)
    tail = (1 - level) / 2
    return (float(1 - (1 - alpha) * fdtri(df1, df2, 1 - tail)),
            float(1 - (1 - alpha) * fdtri(df1, df2, tail)))
