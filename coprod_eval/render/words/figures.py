"""How a figure is written: percentages, bands, p-values, effect sizes, an indicator's value.

Display decisions only. A figure is never rounded onto a round number it did not reach (79.99
is written 79.99%, not 80%: thresholds sit on round numbers); a band is written as its two
ends; a p-value is written as its band ("p < 0.001", "0.01 ≤ p < 0.05"), and Cliff's delta
about a small group as its size band ("between 0.33 and 0.474"): privacy publishes no
more (privacy: statistics about people). Whether
two figures shown side by side stand in the order of the exact ones is decided here too, so
a sentence can say so when they do not.
"""

from __future__ import annotations

from .catalog import _, number, signed

EFFECT_WORDS = {"negligible": "negligible", "small": "small", "medium": "medium",
                "large": "large"}


def places_of(value: float, decimals: int = 0) -> int:
    """How many decimal places ``value`` is written with: ``decimals``, or more when those
    would round it onto a multiple of 5 it did not reach."""
    for places in range(decimals, 4):
        shown = round(float(value), places)
        if shown == value or abs(shown) % 5 > 1e-9:
            return places
    return 3


def figure_text(value: float, decimals: int = 0) -> str:
    return number(value, places_of(value, decimals))


def as_shown(value: float) -> float:
    """A percentage as a reader sees it written (pct): what an order is judged on."""
    return round(float(value), places_of(value))


def pct(value: float, decimals: int = 0) -> str:
    return _("{number}%", number=figure_text(value, decimals))


def band_text(band) -> str:
    """'70–80%' (or '100%' for a band of one figure)."""
    low, high = band
    if low == high:
        return _("{number}%", number=number(low))
    return _("{low}–{high}%", low=number(low), high=number(high))


def conduct_words(indicator) -> str:
    """The organisation's conduct towards few partners, in a word with the shares it covers
    (privacy.conduct_band): 'most (75% to under 95%)', 'a few (under 40%)', 'all (100%)'."""
    word, (low, high) = indicator.band_word, indicator.band
    name = {"none": _("none"), "few": _("a few"), "about_half": _("about half"),
            "most": _("most"), "all": _("all")}[word]
    if low == high:
        return _("{word} ({number}%)", word=name, number=number(low))
    values = dict(word=name, low=number(low), high=number(high))
    if indicator.direction == "lower_is_better":  # (low, high]
        return (_("{word} (up to {high}%)", **values) if low == 0 else
                _("{word} (over {low}%, not all)", **values) if high == 100 else
                _("{word} (over {low}% up to {high}%)", **values))
    return (_("{word} (under {high}%)", **values) if low == 0 else  # [low, high)
            _("{word} ({low}% or more, not all)", **values) if high == 100 else
            _("{word} ({low}% to under {high}%)", **values))


def share_text(value, band) -> str:
    """A published share: its figure, or its band."""
    return band_text(band) if value is None else pct(value)


def unit_figure(value: float, unit: str) -> str:
    """An indicator's figure with its unit: '45.8%', '6' (people per meeting)."""
    text = (number(value, 1) if round(value, 1) == value
            else number(value, 3).rstrip("0").rstrip("."))
    return _("{number}%", number=text) if unit == "%" else text


def threshold_text(value: float, unit: str) -> str:
    text = number(value, 0) if float(value).is_integer() else figure_text(value, 1)
    return _("{number}%", number=text) if unit == "%" else text


def p_value(band) -> str:
    """A p-value as published, its band: 'p < 0.001', '0.01 ≤ p < 0.05', 'p ≥ 0.5'."""
    low, high = band
    if low <= 0:
        return _("p < {high}", high=_p(high))
    if high >= 1:
        return _("p ≥ {low}", low=_p(low))
    return _("{low} ≤ p < {high}", low=_p(low), high=_p(high))


def _p(value: float) -> str:
    return number(value, max(1, len(repr(float(value)).split(".")[1])))


def delta_text(delta: float | None, band=None) -> str:
    """Cliff's delta as published: two decimals, or its size band ('between -1 and -0.474')."""
    if delta is not None:
        return signed(delta, 2)
    low, high = band
    return _("between {low} and {high}", low=_band_end(low), high=_band_end(high))


def _band_end(value: float) -> str:
    if value == 0 or abs(value) == 1:
        return signed(value, 0)
    return signed(value, len(repr(abs(float(value))).split(".")[1]))


def effect_word(effect: str) -> str:
    return _(EFFECT_WORDS[effect])


def shown_figure(indicator) -> str:
    """An indicator's figure as written: a share from rounded counts as a whole percentage
    (its decimals would claim a precision rounding took away), any other to its decimals."""
    if indicator.rounded:
        return pct(indicator.value)
    return unit_figure(indicator.value, indicator.unit)


def indicator_value(indicator) -> str:
    """An indicator's published figure with its 95% interval, its band, or why there is
    none ('withheld', '—')."""
    if indicator.band_word is not None:
        return conduct_words(indicator)
    if indicator.band is not None:
        return _("{band} (a band)", band=band_text(indicator.band))
    if indicator.value is None:
        return (_("withheld") if indicator.status in ("figure_withheld", "rating_withheld")
                else "—")
    value = shown_figure(indicator)
    if indicator.interval is None or indicator.interval[0] == indicator.interval[1]:
        return value
    low, high = indicator.interval
    return _("{value} ({low} to {high})", value=value, low=unit_figure(low, indicator.unit),
             high=unit_figure(high, indicator.unit))


# --- order --------------------------------------------------------------------------------------

def shown_order(a, b) -> int:
    """The order two published shares seem to stand in: 1 when ``a`` is shown above ``b``,
    -1 below, 0 when the figures shown are equal or their bands overlap. Each is (value,
    band): a band holds its lower end, not its upper."""
    def above(x, y) -> bool:  # everything x may be lies above everything y may be
        (vx, bx), (vy, by) = x, y
        vx, vy = (None if v is None else as_shown(v) for v in (vx, vy))
        low_x = vx if bx is None else bx[0]
        high_y = vy if by is None else by[1]
        return low_x > high_y or (low_x == high_y and by is not None and by[0] < by[1])

    if (a[0] is None and a[1] is None) or (b[0] is None and b[1] is None):
        return 0
    return 1 if above(a, b) else -1 if above(b, a) else 0


def reversed_pair(shown_a, shown_b, exact_order: int) -> bool:
    """True when the figures shown put two groups in the opposite order to their exact
    shares (``exact_order``: 1 when the first is higher)."""
    shown = shown_order(shown_a, shown_b)
    return shown != 0 and exact_order != 0 and shown != exact_order
