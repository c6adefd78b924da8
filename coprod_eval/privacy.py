"""Disclosure control: the rules every figure obeys before it leaves a run.

NHS practice (NHS Digital's HES rules, OpenSAFELY): counts of 1 to 7 people are suppressed
and other counts rounded to the nearest 5; statistics over fewer people than the threshold
are withheld; percentages are calculated from rounded counts, so no published share gives
back a count that rounding or suppression hid. The threshold and the rounding base come from
evaluation.yaml (privacy). Ratings are still judged on exact values: only what is shown is
coarsened.
"""

from __future__ import annotations

import numpy as np

PUBLISH_FLOOR = 3  # below this many people even a coarse rating is never shown


def safe_count(n: int, min_n: int, base: int) -> int | None:
    """``n`` as it may be shown: None when 1..min_n-1, otherwise rounded to ``base``.

    Zero stays zero (nobody is identified by it). A count at or above the threshold never
    rounds below it, so a shown count is never itself a small number.
    """
    if n == 0:
        return 0
    if n < min_n:
        return None
    rounded = int(n / base + 0.5) * base
    return max(rounded, -(-min_n // base) * base)


def rounded(count: int, base: int) -> int:
    """A count rounded to ``base`` for computing a shared percentage; never rounded to zero
    when it is not zero (a category someone chose is not shown as empty)."""
    if count <= 0:
        return 0
    return max(base, int(count / base + 0.5) * base)


def rounded_share(k: int, n: int, base: int) -> float | None:
    """100 × k / n from counts rounded to ``base`` (NHS: percentages from rounded numbers)."""
    denominator = rounded(n, base)
    return None if denominator == 0 else 100.0 * min(rounded(k, base), denominator) / denominator


def rounded_distribution(counts, base: int) -> list[float]:
    """Percent of answers in each category, from rounded counts (sums to 100)."""
    shown = [rounded(int(c), base) for c in counts]
    total = sum(shown)
    return [0.0 if total == 0 else 100.0 * c / total for c in shown]


def band_gives_count(rate_values, k: int, n: int) -> bool:
    """True when only one count of n fits the rating band that k of n falls in: then the
    rating would give the count away. ``rate_values`` rates an array of percentages."""
    bands = rate_values(100.0 * np.arange(n + 1) / n)
    return int((bands == bands[k]).sum()) == 1
