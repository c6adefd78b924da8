"""Disclosure control: the rules every figure obeys before it leaves a run.

NHS practice (NHS Digital's HES rules, OpenSAFELY): counts of 1 to 7 people are suppressed
and other counts rounded to the nearest 5; statistics over fewer people than the threshold
are withheld; percentages are calculated from rounded counts, so no published share gives
back a count that rounding or suppression hid. The threshold and the rounding base come from
evaluation.yaml (privacy). Ratings are still judged on exact values: only what is shown is
coarsened.

A share about fewer than ``BAND_BELOW`` people is shown as a band of ten points (70–80%)
instead: rounding such a small group's counts to 5 can move its share by ten points or more,
enough to put it above a larger group that agrees more, or across a threshold it did not
cross. A band is cut from the exact share on a grid of tens and the thresholds the share is
judged against, so two bands never stand in the opposite order to the exact shares, and a
band never straddles a threshold. A larger group's share from rounded counts is shown only
when it is within ``MAX_SHIFT`` points of the exact share and on the same side of every
threshold; otherwise it too is shown as its band (:func:`published_share`).

Statistics about people are published no finer than the counts behind them allow, so that
neither a group's exact size nor one added person's answers can be worked back from them
(tests/test_recovery.py performs both attacks):

- a p-value is published as its band on :data:`P_GRID` (``p < 0.001``, ``0.01 ≤ p < 0.05``,
  …), never as a figure: a p-value's later digits are a function of the exact group sizes
  and of every person's place. Findings are judged on the exact p-value.
- Cliff's delta is published to two decimals (never more: a delta rounded across a size
  boundary is cut back to its own side) when both groups are published as at least
  ``BAND_BELOW`` people, else as its size band (``0.33 ≤ δ < 0.474``); whether a comparison
  is coarse is decided on the published sizes, so it tells nothing the sizes do not.
- the ends of an interval about people are rounded outward to a grid of
  :data:`INTERVAL_STEP` points (of ``BAND_STEP`` points about fewer than ``BAND_BELOW``
  people) and to the thresholds; an end that would then cross a threshold its exact value
  does not cross keeps its figure (only one end can: the other is rounded toward the
  threshold it is on the side of). Intervals that depend on a group's size (Cronbach's
  alpha, Cliff's delta) and what a comparison could detect are worked out at the fewest
  people the published size may stand for (:func:`fewest`), so they cannot tell the size.
- a typical score (the middle person's) is given to the nearest half point, every one of
  which a single person could have (to a tenth, an average of the two middle people tells
  that their number is even); a small group's response rate is the band holding every rate
  its rounded count allows (the number invited is known to the reader).

What rounding and bands cannot stop is differencing two published runs a few people apart
at an edge (a count shown as 10, then 15; a share's band that moves): the README says so,
and that only not publishing both stops it.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np

PUBLISH_FLOOR = 3  # below this many people even a coarse rating is never shown
BAND_BELOW = 20  # a share about fewer people is shown as a band, never as a figure
BAND_STEP = 10  # the grid bands are cut on, in percentage points
MAX_SHIFT = 2.5  # a share from rounded counts further than this from the exact one is a band
INTERVAL_STEP = 5  # the grid an interval's ends about people are rounded outward to
P_GRID = (0.0, 0.001, 0.01, 0.05, 0.1, 0.2, 0.5, 1.0)  # the bands p-values are published in
# Cliff's delta's size bands (Romano et al.), as published for a small comparison
DELTA_GRID = (0.0, 0.147, 0.33, 0.474, 1.0)


# A share about the organisation's conduct towards partners (paid on time, offered payment,
# left out of pocket) is the commissioner's to see: where its exact figure would be withheld
# (fewer than the minimum group of partners, or few on one side of it), it is published in
# a word instead, from PUBLISH_FLOOR partners up: none, few (under 40%), about half (40% to
# under 60%), most (60% or more, not all), all. "All" and "none" only when it is so. The
# shares the word covers are cut at the indicator's thresholds, so the word never spans a
# line its rating depends on.
CONDUCT_WORDS = ("none", "few", "about_half", "most", "all")
CONDUCT_GRID = (0, 40, 60, 100)  # the shares 'few', 'about_half' and 'most' cover


def conduct_band(k: int, n: int, thresholds=(), *,
                 higher: bool = True) -> tuple[str, tuple[float, float]]:
    """(word, band) for k of n: the band (as :func:`band` cuts one, on CONDUCT_GRID) the
    shares the word covers, cut at the thresholds; (0, 0) for none and (100, 100) for all."""
    if n <= 0 or not 0 <= k <= n:
        raise ValueError(f"{k} of {n} is not a share")
    if k == 0:
        return "none", (0.0, 0.0)
    if k == n:
        return "all", (100.0, 100.0)
    share = 100.0 * k / n
    low = band(share, higher=higher, grid=CONDUCT_GRID)[0]
    return (CONDUCT_WORDS[1 + CONDUCT_GRID.index(low)],
            band(share, thresholds, higher=higher, grid=CONDUCT_GRID))


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


def band(value: float, thresholds=(), *, higher: bool = True,
         grid=range(0, 101, BAND_STEP)) -> tuple[float, float]:
    """The band of the grid (every ``BAND_STEP`` points, and every threshold) that ``value``
    falls in. For a higher-is-better share a band holds its lower end and not its upper
    ([70, 80): the top band is [90, 100]); for a lower-is-better one the reverse ((0, 10]:
    the bottom band is [0, 10]), matching how a threshold is met (at least / at most). A
    threshold at 100 (higher) or 0 (lower) is a band of its own, as only that figure meets
    it."""
    cut = {float(t) for t in thresholds if 0 <= t <= 100}
    grid = sorted({float(x) for x in grid} | cut)
    value = min(100.0, max(0.0, float(value)))
    if higher:
        if value >= 100 and 100.0 in cut:
            return 100.0, 100.0
        low = max(e for e in grid if e <= value and e < 100)
        return low, min(e for e in grid if e > low)
    if value <= 0 and 0.0 in cut:
        return 0.0, 0.0
    high = min(e for e in grid if e >= value and e > 0)
    return max(e for e in grid if e < high), high


def in_band(value: float, shown: tuple[float, float], *, higher: bool = True) -> bool:
    """True when ``value`` lies in the band ``shown`` (with its open and closed ends)."""
    low, high = shown
    if low == high:
        return value == low
    if higher:
        return low <= value < high or (high == 100 and value == 100)
    return low < value <= high or (low == 0 and value == 0)


def crosses(shown: float, exact: float, thresholds, *, higher: bool = True) -> bool:
    """True when a threshold lies between the figure shown and the exact one, so the shown
    figure would seem to meet (or miss) a threshold the exact one does not."""
    def met(v, t):
        return v >= t if higher else v <= t

    return any(met(shown, t) != met(exact, t) for t in thresholds)


def display_value(value: float, thresholds=(), *, higher: bool = True) -> float:
    """``value`` rounded for display (one decimal, more only where needed) without landing
    on the other side of a threshold than the exact value: 79.99 stays 79.99, not 80.0."""
    for decimals in (1, 2, 3):
        shown = round(float(value), decimals)
        if not crosses(shown, value, thresholds, higher=higher):
            return shown
    return round(float(value), 3)


def published_share(k: int, n: int, base: int, *, people: int, thresholds=(),
                    higher: bool = True) -> tuple[float | None, tuple[float, float] | None]:
    """(figure, band) of 100 k / n as it may be published: the share from counts rounded to
    ``base`` (one decimal) when at least BAND_BELOW people are behind it, it is within
    MAX_SHIFT points of the exact share, on the same side of every threshold, and says "all"
    (100%) or "none" (0%) only when it is so; otherwise (None, the exact share's band)."""
    exact = 100.0 * k / n
    shown = rounded_share(k, n, base)
    # "all" or "none" only when it is so: 39 of 40 rounds to 40 of 40, never shown as 100%
    extreme = (shown >= 100 and k < n) or (shown <= 0 and k > 0)
    if (people < BAND_BELOW or abs(shown - exact) > MAX_SHIFT or extreme
            or crosses(shown, exact, thresholds, higher=higher)):
        return None, band(exact, thresholds, higher=higher)
    return round(shown, 1), None


def _above(x, y) -> bool:
    """Everything the published share ``x`` (value, band) may be lies above ``y``."""
    low = x[0] if x[1] is None else x[1][0]
    high = y[0] if y[1] is None else y[1][1]
    return low > high or (low == high and y[1] is not None and y[1][0] < y[1][1])


def keep_order(shares: dict) -> dict:
    """Shares published side by side never stand in the opposite order to the exact ones.

    ``shares``: key → (exact, value, band, thresholds). Any two whose published figures
    (values, or a value and a band) stand the other way round to their exact shares are both
    shown as their bands, until none does: bands cut on one grid never stand the other way
    round. Returns key → (value, band)."""
    out = {key: [value, band_, exact, cut] for key, (exact, value, band_, cut)
           in shares.items()}
    changed = True
    while changed:
        changed = False
        for a, b in combinations(out, 2):
            (va, ba, ea, _), (vb, bb, eb, _) = out[a], out[b]
            if ea == eb or (va is None and ba is None) or (vb is None and bb is None):
                continue
            low, high = (a, b) if ea < eb else (b, a)
            if _above(tuple(out[low][:2]), tuple(out[high][:2])):
                for key in (low, high):
                    if out[key][0] is not None:
                        out[key][:2] = [None, band(out[key][2], out[key][3])]
                        changed = True
    return {key: (value, band_) for key, (value, band_, _, _) in out.items()}


# --- statistics about people -------------------------------------------------------------------

def fewest(shown: int | None, min_n: int, base: int) -> int | None:
    """The fewest people a published (rounded) count may stand for: what a size-dependent
    figure is worked out at, so that it cannot tell the exact size."""
    if shown is None:
        return None
    return max(min_n, shown - base // 2, 1) if shown else 0


def stands_for(shown: int, min_n: int, base: int) -> list[int]:
    """Every exact count a published (rounded) count may stand for."""
    return [n for n in range(max(1, shown - base), shown + base + 1)
            if safe_count(n, min_n, base) == shown]


def rate_band(shown: int, total: int, min_n: int, base: int) -> tuple[float, float]:
    """The band (of ``BAND_STEP`` points) holding 100 n / ``total`` for every count n the
    published count ``shown`` may stand for: a rate (people who answered of those invited)
    that tells nothing the rounded count does not, though the total is known."""
    rates = [100.0 * min(n, total) / total for n in stands_for(shown, min_n, base)]
    return band(min(rates))[0], band(max(rates))[1]


def coarse(*shown: int | None) -> bool:
    """A comparison's figures are coarse (bands) when a group in it is published as fewer
    than BAND_BELOW people; decided on the published sizes only."""
    return any(n is None or n < BAND_BELOW for n in shown)


def p_band(p: float) -> tuple[float, float]:
    """The band of :data:`P_GRID` that ``p`` lies in: [low, high), the top one [0.5, 1]."""
    p = min(1.0, max(0.0, float(p)))
    low = max(g for g in P_GRID if g <= p and g < 1.0)
    return low, min(g for g in P_GRID if g > low)


def delta_band(delta: float) -> tuple[float, float]:
    """Cliff's delta's size band, signed: [0.33, 0.474) above zero, (-0.474, -0.33] below
    it; a negligible delta's band is (-0.147, 0.147), without a direction. The top band
    holds 1 ([0.474, 1])."""
    size = round(abs(float(delta)), 10)  # whole-number ratios: 0.32999999999999996 is 0.33
    low = max(g for g in DELTA_GRID if g <= size and g < 1.0)
    high = min(g for g in DELTA_GRID if g > low)
    if low == 0.0:
        return -high, high
    return (low, high) if delta > 0 else (-high, -low)


def delta_sign(value: float | None, band) -> int:
    """+1, -1 or 0: the direction of Cliff's delta as published (a figure, or a band; a
    negligible band (-h, h) has none)."""
    if value is not None:
        return (value > 0) - (value < 0)
    if band is None:
        return 0
    low, high = band
    return (low > -high) - (high < -low)


def delta_size(value: float | None, band) -> float:
    """The size of Cliff's delta as published: the figure's, or a band's end nearest zero."""
    if value is not None:
        return abs(value)
    return min(abs(band[0]), abs(band[1])) if band else 0.0


def outward(low: float, high: float, thresholds=(), *, higher: bool = True,
            step: float = INTERVAL_STEP) -> tuple[float, float]:
    """An interval about people as published: its ends rounded outward to the grid of
    ``step`` points and the thresholds, an end keeping its own figure (outward, to one
    decimal or more) only when rounding would carry it across a threshold its exact value
    does not cross."""
    cut = [float(t) for t in thresholds if 0 <= t <= 100]
    grid = sorted({float(x) for x in np.arange(0, 100 + step / 2, step)} | set(cut))
    shown_low = max([g for g in grid if g <= low + 1e-9] or [0.0])
    shown_high = min([g for g in grid if g >= high - 1e-9] or [100.0])
    if crosses(shown_low, low, cut, higher=higher):
        shown_low = _figure_outward(low, np.floor, cut, higher)
    if crosses(shown_high, high, cut, higher=higher):
        shown_high = _figure_outward(high, np.ceil, cut, higher)
    return float(shown_low), float(shown_high)


def coefficient_outward(low: float, high: float) -> tuple[float, float]:
    """An interval of a coefficient (a correlation, Cliff's delta) as published: its ends
    rounded outward to 0.05, so the published interval holds the exact one."""
    return float(np.floor(low * 20) / 20), float(np.ceil(high * 20) / 20)


def _figure_outward(value: float, way, cut, higher: bool) -> float:
    """``value`` rounded outward (``way``: floor or ceil) to one decimal, or more where one
    would carry it across a threshold."""
    for decimals in (1, 2, 3):
        shown = float(way(value * 10 ** decimals + (1e-9 if way is np.floor else -1e-9))
                      / 10 ** decimals)
        if not crosses(shown, value, cut, higher=higher):
            return shown
    return float(value)


def people_interval(low: float, high: float, people: int | None, thresholds=(), *,
                    higher: bool = True) -> tuple[float, float]:
    """An interval of a share about ``people`` (as published) as it may be published."""
    step = BAND_STEP if people is None or people < BAND_BELOW else INTERVAL_STEP
    return outward(low, high, thresholds, higher=higher, step=step)
