"""Small-number disclosure control for every count that leaves a run.

NHS practice (NHS Digital's HES rules, OpenSAFELY): counts of 1 to 7 people are suppressed
and other counts rounded to the nearest 5; statistics over fewer people than the threshold
are withheld. The threshold and the rounding base come from evaluation.yaml (privacy).
"""

from __future__ import annotations


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
