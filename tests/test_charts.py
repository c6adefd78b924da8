"""Chart specs (not pixels): what each chart encodes, its text description, and offline
renderers only."""

from __future__ import annotations

import re

import altair as alt
import pytest
from conftest import GOLDEN, INVOLVEMENT

import coprod_eval as ce
from coprod_eval.render.charts import (
    distribution_chart,
    rating_overview_chart,
    setup_display,
    to_svg,
)


@pytest.fixture(scope="module")
def result():
    return ce.EvaluationResult.read(GOLDEN / f"{INVOLVEMENT}.results.json")


def test_rating_overview_has_one_bar_per_principle_in_framework_colours(result):
    spec = rating_overview_chart(result).to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert [r["principle"] for r in rows] == [p.name for p in result.principles]
    assert [r["rating"] for r in rows] == [
        result.rating(p.rating)["label"] for p in result.principles]
    colour = spec["layer"][0]["encoding"]["color"]["scale"]
    assert colour["range"] == [r["colour"] for r in result.framework["ratings"]]
    # colour is never the only cue: the rating is also written beside each bar
    text = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "text")
    assert text["encoding"]["text"]["field"] == "label"
    # written after the range line, the label says what the line is (never read as the
    # rating where the line ends)
    for row, p in zip(rows, result.principles):
        low, high = (result.rating(x)["label"] for x in p.rating_range)
        assert row["label"] == (row["rating"] if low == high
                                else f"{row['rating']} (range {low}–{high})")
    # and the range each rating's uncertainty allows is drawn across it
    spread = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "rule")
    assert spread["encoding"]["x"]["field"] == "low" and spread["encoding"]["x2"]["field"] == "high"
    order = [r["id"] for r in result.framework["ratings"]]
    assert [(r["low"], r["high"]) for r in rows] == [
        (order.index(p.rating_range[0]) + 1, order.index(p.rating_range[1]) + 1)
        for p in result.principles]
    assert "Blurring roles: Not evident" in spec["description"]


def test_distribution_chart_diverges_around_neutral(result):
    spec = distribution_chart(result, principles=["assets"]).to_dict()
    rows = next(iter(spec["datasets"].values()))
    partner = [r for r in rows if r["group"] == "Community partners"]
    dist = result.by_principle["assets"].groups["partner"].distribution
    assert [r["share"] for r in partner] == [dist[str(c)] for c in range(1, 6)]
    neutral = next(r for r in partner if r["answer"] == "Neither agree nor disagree")
    assert neutral["start"] == pytest.approx(-neutral["share"] / 2)  # straddles zero
    assert partner[0]["start"] == pytest.approx(-(dist["1"] + dist["2"] + dist["3"] / 2))
    assert partner[-1]["end"] == pytest.approx(dist["4"] + dist["5"] + dist["3"] / 2)
    for left, right in zip(partner, partner[1:]):  # segments are contiguous
        assert left["end"] == pytest.approx(right["start"])
    low, high = result.by_principle["assets"].groups["partner"].pct_agree_band  # ten people
    assert f"Community partners {low:.0f}–{high:.0f}% agree" in spec["description"]


def test_withheld_groups_are_not_drawn_as_zero(result):
    data = result.to_dict()
    data["principles"][0]["groups"]["partner"] = {
        "n": None, "suppressed": True, "median": None, "pct_agree": None, "distribution": None,
        "iqr": None, "alpha": None, "mean": None, "ci": None, "typical": None,
        "pct_agree_band": None, "agree_rank": None}
    withheld = ce.EvaluationResult.from_dict(data)
    spec = distribution_chart(withheld, principles=[withheld.principles[0].id]).to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert {r["group"] for r in rows} == {"Staff"}
    assert "Withheld because too few people answered" in spec["description"]


def test_charts_draw_to_svg_offline(result):
    svg = to_svg(rating_overview_chart(result))
    assert svg.startswith("<svg") and "Blurring roles" in svg
    assert "http://" not in svg.replace("http://www.w3.org", "")


def test_renderers_are_offline_only():
    setup_display("svg")
    assert alt.renderers.active == "coprod-svg"
    bundle = alt.renderers.get()(rating_overview_chart(ce.EvaluationResult.read(
        GOLDEN / f"{INVOLVEMENT}.results.json")).to_dict())
    assert list(bundle) == ["image/svg+xml", "text/plain"]
    assert bundle["image/svg+xml"].startswith("<svg")
    assert bundle["text/plain"].startswith("How each principle is rated")  # no script, no URL
    setup_display("jupyter")
    assert alt.renderers.active == "jupyter"
    assert alt.renderers.options.get("offline") is True
    setup_display("svg")
    with pytest.raises(ValueError, match="chart_renderer must be one of"):
        setup_display("html")


def _luminance(colour: str) -> float:
    colour = colour.lstrip("#")
    if len(colour) == 3:
        colour = "".join(c * 2 for c in colour)
    channels = [int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    red, green, blue = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
                        for c in channels)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _on_white(colour: str | None, *opacities: str | None) -> str | None:
    """``colour`` drawn at the given opacities over white, as #rrggbb."""
    if not colour or not colour.startswith("#"):
        return colour
    alpha = 1.0
    for opacity in opacities:
        alpha *= float(opacity) if opacity is not None else 1.0
    if alpha >= 1:
        return colour
    colour = colour.lstrip("#")
    if len(colour) == 3:
        colour = "".join(c * 2 for c in colour)
    mixed = [round(alpha * int(colour[i:i + 2], 16) + (1 - alpha) * 255) for i in (0, 2, 4)]
    return "#" + "".join(f"{c:02x}" for c in mixed)


def _contrast(one: str, other: str) -> float:
    low, high = sorted((_luminance(one), _luminance(other)))
    return (high + 0.05) / (low + 0.05)


def test_every_coloured_mark_stands_3_to_1_from_the_page_and_its_neighbours(result):
    """Issue 32 (WCAG 1.4.11), read from the drawn SVG: a bar or legend swatch either
    contrasts 3:1 with the white page itself or has an edge that contrasts 3:1 with both the
    page and its fill, so neighbouring segments are told apart by the edge, not by colour;
    points and lines stand 3:1 on white."""
    from coprod_eval.render.charts import claims_chart, lifecycle_chart

    charts = {"overview": rating_overview_chart(result), "claims": claims_chart(result),
              "lifecycle": lifecycle_chart(result), "answers": distribution_chart(result)}
    assert sum(marks_stand_out(name, chart) for name, chart in charts.items()) > 20


def marks_stand_out(name: str, chart) -> int:
    """Check each coloured mark of ``chart``'s drawn SVG (see above) and that all its text
    is at least 12 px; return how many marks were checked."""
    import xml.etree.ElementTree as ET

    from coprod_eval.render.charts import EDGE

    assert chart is not None, name
    svg = ET.fromstring(to_svg(chart))
    checked = 0
    for text in svg.iter("{http://www.w3.org/2000/svg}text"):
        size = re.search(r"font-size:\s*([\d.]+)px", text.get("style", "")) or \
            re.search(r"([\d.]+)", text.get("font-size", ""))
        assert size and float(size.group(1)) >= 12, (name, text.text, size)
    for group in svg.iter("{http://www.w3.org/2000/svg}g"):
        kind = group.get("class") or ""
        if not any(k in kind for k in ("mark-rect", "mark-symbol", "mark-line")):
            continue
        for shape in group.findall("{http://www.w3.org/2000/svg}path"):
            # as drawn on the white page: a colour at partial opacity is paler than written
            fill = _on_white(shape.get("fill"), shape.get("opacity"), shape.get("fill-opacity"))
            stroke = _on_white(shape.get("stroke"), shape.get("opacity"),
                               shape.get("stroke-opacity"))
            if "mark-line" in kind:
                assert _contrast(stroke, "#ffffff") >= 3, (name, stroke)
                checked += 1
                continue
            written = (shape.get("fill") or "").lower()
            if not fill or not fill.startswith("#") or written in (
                    "#fff", "#ffffff", EDGE):  # the page, or ink (range ticks)
                continue
            checked += 1
            if _contrast(fill, "#ffffff") >= 3 and "mark-rect" not in kind:
                continue  # a point or a legend's swatch on white, apart from any other
            assert stroke and float(shape.get("stroke-width", "1")) >= 1, (name, fill)
            assert _contrast(stroke, "#ffffff") >= 3, (name, stroke)
            assert _contrast(stroke, fill) >= 3, (name, fill, stroke)
    return checked
