"""Altair charts of an EvaluationResult. They read the result only, never raw evidence.

Altair 6's default renderer loads JavaScript from a CDN, which these machines (and many NHS
laptops) cannot reach. :func:`setup_display` picks a renderer that works offline:
``"svg"`` (static SVG drawn in Python by vl-convert: JupyterLab, Voila, exported HTML, PDF)
or ``"jupyter"`` (interactive JupyterChart with vl-convert's bundled JavaScript).
"""

from __future__ import annotations

import json
from functools import lru_cache

import altair as alt
import pandas as pd

from ..results import EvaluationResult
from .words import charts as words

RENDERERS = ("svg", "jupyter")
UNKNOWN_RENDERER = "chart_renderer must be one of {allowed}, not {value!r}"

# Diverging, colour-blind-safe (ColorBrewer PuOr, 5 classes): disagree orange, agree purple.
# Every coloured bar has an EDGE (1 px, at least 3:1 against each fill and the white page:
# WCAG 1.4.11), so neither neighbouring fills nor a light fill on white need contrast of their
# own; the diverging palette's dark end is lightened until the edge stands out from it too.
EDGE = "#1b1b1b"
DIVERGING = ("#e66101", "#fdb863", "#d9d9d9", "#b2abd2", "#8073ac")
# a claim beside the evidence: a grey that stands 3:1 and more on white (points and lines)
CLAIM_GREY = "#767676"
# Arial's metrics everywhere: vl-convert measures text with Liberation Sans (metric-compatible
# with Arial), and browsers draw it with whichever of the two they have, so labels fit.
FONT = "'Liberation Sans', Arial, Helvetica, sans-serif"


def setup_display(renderer: str = "svg") -> None:
    """Make charts render offline and give notebooks the report's styles."""
    from IPython.display import HTML, display

    from ..base.paths import stylesheet

    if renderer not in RENDERERS:
        raise ValueError(UNKNOWN_RENDERER.format(allowed=RENDERERS, value=renderer))
    # Altair's renderer registry is process-wide: changed here, when a notebook asks,
    # never on import
    if renderer == "jupyter":
        alt.renderers.enable("jupyter", offline=True)
    else:
        alt.renderers.register(SVG_RENDERER, _svg_renderer)
        alt.renderers.enable(SVG_RENDERER)
    display(HTML(f"<style>{stylesheet()}</style>"))


def styled(chart, view_stroke: str | None = None):
    """House style, set on each chart so it looks the same wherever it is drawn: text of
    12 px at least (at its drawn size; on a phone a chart scrolls rather than shrinks)."""
    return (chart.configure(font=FONT)
            .configure_view(stroke=view_stroke)
            .configure_axis(labelFontSize=12, titleFontSize=12)
            .configure_header(labelFontSize=12, titleFontSize=12)  # a facet's title
            .configure_legend(labelFontSize=12, titleFontSize=12, symbolStrokeColor=EDGE,
                              symbolOpacity=1,  # a swatch as strong as the mark it names
                              symbolStrokeWidth=1))


def rating_overview_chart(result: EvaluationResult) -> alt.Chart:
    """One bar per principle, as long as its rating, coloured and labelled with it; a line
    across it spans the ratings its uncertainty allows."""
    ratings = list(result.framework["ratings"])
    rank = {r["id"]: i + 1 for i, r in enumerate(ratings)}
    rows = [{"principle": p.name, "rating": result.rating(p.rating)["label"],
             "rank": rank[p.rating], "low": rank[p.rating_range[0]],
             "high": rank[p.rating_range[1]], "plausible": words.plausible(result, p),
             "label_at": max(rank[p.rating], rank[p.rating_range[1]]),
             # written after the range line, so it says what the line is: never read as
             # the rating at the line's end
             "label": words.overview_label(result, p),
             "score": words.partner_share(result, p)}
            for p in result.principles]
    data = pd.DataFrame(rows)
    labels = [r["label"] for r in ratings]
    colour = alt.Color("rating:N", scale=alt.Scale(domain=labels,
                                                   range=[r["colour"] for r in ratings]),
                       legend=alt.Legend(title=words.words("rating"), orient="bottom"))
    y = alt.Y("principle:N", sort=None, title=None, axis=alt.Axis(labelLimit=320))
    base = alt.Chart(data).encode(y=y)
    bars = base.mark_bar(height=22, stroke=EDGE, strokeWidth=1).encode(
        x=alt.X("rank:Q", title=None, scale=alt.Scale(domain=[0, len(ratings) + 0.9]),
                axis=alt.Axis(values=list(range(1, len(ratings) + 1)),
                              labelExpr=_label_expr(labels), grid=True)),
        color=colour,
        tooltip=[alt.Tooltip("principle:N"), alt.Tooltip("rating:N"),
                 alt.Tooltip("plausible:N", title=words.words("plausible")),
                 alt.Tooltip("score:N")],
    )
    spread = base.mark_rule(color="#1b1b1b", strokeWidth=2).encode(x=alt.X("low:Q"),
                                                                   x2=alt.X2("high:Q"))
    low_end = base.mark_tick(color="#1b1b1b", thickness=2, size=12).encode(x=alt.X("low:Q"))
    high_end = base.mark_tick(color="#1b1b1b", thickness=2, size=12).encode(
        x=alt.X("high:Q"))
    text = base.mark_text(align="left", dx=8, fontSize=12).encode(x=alt.X("label_at:Q"),
                                                                  text=alt.Text("label:N"))
    return styled(alt.layer(bars, spread, low_end, high_end, text).properties(
        width=360, height=alt.Step(34), title=words.overview_title(),
        description=words.overview_description(result)))


def distribution_chart(result: EvaluationResult, *, principles: list[str] | None = None,
                       roles: list[str] | None = None) -> alt.Chart:
    """Each group's answers per principle, as diverging stacked bars.

    Disagreement extends left of zero, agreement right; the neutral answer straddles zero.
    Groups withheld for privacy are listed in the chart's description, not drawn as zero.
    """
    scale = list(result.parameters["scale"])
    roles = roles or [g["id"] for g in result.groups]
    chosen = [p for p in result.principles if principles is None or p.id in principles]
    middle = (len(scale) - 1) / 2
    rows, withheld = [], []
    for p in chosen:
        for role in roles:
            stats = p.groups[role]
            label = result.group_label(role)
            if stats.suppressed:
                withheld.append(words.withheld_entry(p.name, label))
                continue
            left = -sum(stats.distribution[str(s["code"])] for i, s in enumerate(scale)
                        if i < middle)
            if middle == int(middle):
                left -= stats.distribution[str(scale[int(middle)]["code"])] / 2
            for i, s in enumerate(scale):
                share = stats.distribution[str(s["code"])]
                rows.append({"principle": p.name, "group": label, "answer": s["label"],
                             "order": i, "share": share, "start": left, "end": left + share})
                left += share
    data = pd.DataFrame(rows, columns=["principle", "group", "answer", "order", "share",
                                       "start", "end"])
    labels = [s["label"] for s in scale]
    # an edge between segments: neighbouring colours need not differ in contrast alone
    chart = alt.Chart(data).mark_bar(stroke=EDGE, strokeWidth=1).encode(
        x=alt.X("start:Q", title=words.words("answers_axis"),
                scale=alt.Scale(domain=[-100, 100])),
        x2=alt.X2("end:Q"),
        y=alt.Y("group:N", title=None, sort=[result.group_label(r) for r in roles]),
        color=alt.Color("answer:N", sort=labels,
                        scale=alt.Scale(domain=labels, range=list(DIVERGING[: len(labels)])),
                        legend=alt.Legend(title=None, orient="bottom", columns=len(labels))),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("principle:N"), alt.Tooltip("group:N"),
                 alt.Tooltip("answer:N"), alt.Tooltip("share:Q", format=".1f")],
    ).properties(width=420, height=alt.Step(24))
    chart = chart.facet(row=alt.Row("principle:N", sort=[p.name for p in chosen], title=None,
                                    header=alt.Header(labelAngle=0, labelAlign="left",
                                                      labelFontWeight="bold")))
    return styled(chart.properties(
        title=words.distribution_title(result, roles),
        description=words.distribution_description(result, chosen, roles, withheld)))


def lifecycle_chart(result: EvaluationResult, *,
                    stages: list[str] | None = None) -> alt.Chart | None:
    """Ladder level per lifecycle stage: what the records show beside what is claimed."""
    stages = [s for s in result.overall.stages if stages is None or s["stage"] in stages]
    if not stages:
        return None
    levels = [lv["name"] for lv in result.framework["ladder"]["levels"]]
    name = {lv["id"]: lv["name"] for lv in result.framework["ladder"]["levels"]}
    rows = []
    evidenced, claimed = words.words("evidenced"), words.words("claimed")
    for s in stages:
        for kind, key in ((evidenced, "evidenced_level"), (claimed, "claimed_level")):
            if s[key]:
                rows.append({"stage": s["name"], "kind": kind, "level": name[s[key]],
                             "rank": levels.index(name[s[key]]) + 1,
                             "joined": words.words("joined") if s["partners_joined"] else ""})
    data = pd.DataFrame(rows)
    order = [s["name"] for s in stages]
    base = alt.Chart(data).encode(
        x=alt.X("stage:N", sort=order, title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("rank:Q", title=None, scale=alt.Scale(domain=[1, len(levels)]),
                axis=alt.Axis(values=list(range(1, len(levels) + 1)), labelOverlap=False,
                              labelExpr=_label_expr(levels))),
        color=alt.Color("kind:N", scale=alt.Scale(domain=[evidenced, claimed],
                                                  range=["#0072B2", CLAIM_GREY]),
                        legend=alt.Legend(title=None, orient="bottom")),
        tooltip=[alt.Tooltip("stage:N"), alt.Tooltip("kind:N"), alt.Tooltip("level:N")])
    lines = base.mark_line(point=alt.OverlayMarkDef(size=80, filled=True)).encode(
        strokeDash=alt.StrokeDash("kind:N", scale=alt.Scale(domain=[evidenced, claimed],
                                                            range=[[1, 0], [5, 4]]),
                                  legend=None),
        shape=alt.Shape("kind:N", scale=alt.Scale(domain=[evidenced, claimed],
                                                  range=["circle", "square"]), legend=None))
    joined = alt.Chart(data[(data.kind == evidenced) & (data.joined != "")]).mark_text(
        dy=-14, fontSize=12).encode(x=alt.X("stage:N", sort=order), y=alt.Y("rank:Q"),
                                 text=alt.Text("joined:N"))
    return styled((lines + joined).properties(
        width=520, height=260, title=words.lifecycle_title(),
        description=words.lifecycle_description(result, stages)))


def claims_chart(result: EvaluationResult) -> alt.Chart | None:
    """Each principle: the project's claimed rating beside the independent rating."""
    if not any(p.claimed_rating for p in result.principles):
        return None
    labels = [r["label"] for r in result.framework["ratings"]]
    rows = []
    evidence, claim = words.words("evidence"), words.words("project_claim")
    for p in result.principles:
        rows.append({"principle": p.name, "kind": evidence,
                     "rating": result.rating(p.rating)["label"],
                     "rank": labels.index(result.rating(p.rating)["label"]) + 1})
        if p.claimed_rating:
            rows.append({"principle": p.name, "kind": claim,
                         "rating": result.rating(p.claimed_rating)["label"],
                         "rank": labels.index(result.rating(p.claimed_rating)["label"]) + 1})
    data = pd.DataFrame(rows)
    y = alt.Y("principle:N", sort=[p.name for p in result.principles], title=None,
              axis=alt.Axis(labelLimit=320))
    x = alt.X("rank:Q", title=None, scale=alt.Scale(domain=[0.7, len(labels) + 0.3]),
              axis=alt.Axis(values=list(range(1, len(labels) + 1)),
                            labelExpr=_label_expr(labels), grid=True))
    rule = alt.Chart(data).mark_line(color=CLAIM_GREY).encode(x=x, y=y,
                                                             detail=alt.Detail("principle:N"))
    points = alt.Chart(data).mark_point(size=110, filled=True, opacity=1).encode(
        x=x, y=y,
        color=alt.Color("kind:N", scale=alt.Scale(domain=[evidence, claim],
                                                  range=["#0072B2", CLAIM_GREY]),
                        legend=alt.Legend(title=None, orient="bottom")),
        shape=alt.Shape("kind:N", scale=alt.Scale(domain=[evidence, claim],
                                                  range=["circle", "square"])),
        tooltip=[alt.Tooltip("principle:N"), alt.Tooltip("kind:N"),
                 alt.Tooltip("rating:N")])
    return styled((rule + points).properties(
        width=360, height=alt.Step(30), title=words.claims_title(),
        description=words.claims_description(result)))


def to_svg(chart: alt.TopLevelMixin) -> str:
    """The chart as an SVG string, drawn offline by vl-convert."""
    # validated when built and in the tests; skipping re-validation here saves much time
    return _spec_to_svg(json.dumps(chart.to_dict(validate=False), sort_keys=True))


@lru_cache(maxsize=64)
def _spec_to_svg(spec: str) -> str:
    # Notebook and report draw the same charts; drawing each spec once saves seconds.
    import vl_convert as vlc

    return vlc.vegalite_to_svg(spec)


def _svg_renderer(spec: dict, **metadata) -> dict[str, str]:
    """Altair's svg renderer, sharing the drawing cache with :func:`to_svg`. The chart's
    description is its plain-text form: what a screen reader, an untrusted notebook or a
    text-only viewer shows instead of the drawing (never ``alt.LayerChart(...)``)."""
    title = spec.get("title")
    title = title.get("text") if isinstance(title, dict) else title
    text = " ".join(str(t) for t in (title, spec.get("description")) if t) or "A chart."
    return {"image/svg+xml": _spec_to_svg(json.dumps(spec, sort_keys=True)),
            "text/plain": text}


SVG_RENDERER = "coprod-svg"


def _label_expr(labels: list[str]) -> str:
    cases = " : ".join(f"datum.value == {i + 1} ? '{label}'" for i, label in enumerate(labels))
    return f"{cases} : ''"
