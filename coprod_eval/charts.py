"""Altair charts of an EvaluationResult. They read the result only, never raw evidence.

Altair 6's default renderer loads JavaScript from a CDN, which these machines (and many NHS
laptops) cannot reach. :func:`setup_display` picks a renderer that works offline:
``"svg"`` (static SVG drawn in Python by vl-convert: JupyterLab, Voila, exported HTML, PDF)
or ``"jupyter"`` (interactive JupyterChart with vl-convert's bundled JavaScript).
"""

from __future__ import annotations

from functools import lru_cache

import altair as alt
import pandas as pd

from .results import EvaluationResult

RENDERERS = ("svg", "jupyter")
UNKNOWN_RENDERER = "chart_renderer must be one of {allowed}, not {value!r}"

# Diverging, colour-blind-safe (ColorBrewer PuOr, 5 classes): disagree orange, agree purple.
DIVERGING = ("#e66101", "#fdb863", "#d9d9d9", "#b2abd2", "#5e3c99")
# Arial's metrics everywhere: vl-convert measures text with Liberation Sans (metric-compatible
# with Arial), and browsers draw it with whichever of the two they have, so labels fit.
FONT = "'Liberation Sans', Arial, Helvetica, sans-serif"


def setup_display(renderer: str = "svg") -> None:
    """Make charts render offline and give notebooks the report's styles."""
    from IPython.display import HTML, display

    from .render import stylesheet

    if renderer not in RENDERERS:
        raise ValueError(UNKNOWN_RENDERER.format(allowed=RENDERERS, value=renderer))
    if renderer == "jupyter":
        alt.renderers.enable("jupyter", offline=True)
    else:
        alt.renderers.enable("svg")
    display(HTML(f"<style>{stylesheet()}</style>"))


def _styled(chart):
    """House style, set on each chart so it looks the same wherever it is drawn."""
    return (chart.configure(font=FONT)
            .configure_view(stroke=None)
            .configure_axis(labelFontSize=12, titleFontSize=12)
            .configure_legend(labelFontSize=12, titleFontSize=12))


def rating_overview_chart(result: EvaluationResult) -> alt.Chart:
    """One bar per principle, as long as its rating, coloured and labelled with it."""
    ratings = list(result.framework["ratings"])
    rank = {r["id"]: i + 1 for i, r in enumerate(ratings)}
    rows = [{"principle": p.name, "rating": result.rating(p.rating)["label"],
             "rank": rank[p.rating],
             "score": "no survey score" if p.score is None else f"{p.score:.0f}% of partners agree"}
            for p in result.principles]
    data = pd.DataFrame(rows)
    labels = [r["label"] for r in ratings]
    colour = alt.Color("rating:N", scale=alt.Scale(domain=labels,
                                                   range=[r["colour"] for r in ratings]),
                       legend=alt.Legend(title="Rating", orient="bottom"))
    y = alt.Y("principle:N", sort=None, title=None, axis=alt.Axis(labelLimit=320))
    base = alt.Chart(data).encode(y=y)
    bars = base.mark_bar(height=22).encode(
        x=alt.X("rank:Q", title=None, scale=alt.Scale(domain=[0, len(ratings) + 0.9]),
                axis=alt.Axis(values=list(range(1, len(ratings) + 1)),
                              labelExpr=_label_expr(labels), grid=True)),
        color=colour,
        tooltip=["principle", "rating", "score"],
    )
    text = base.mark_text(align="left", dx=6, fontSize=12).encode(x="rank:Q", text="rating:N")
    description = "Rating per principle. " + "; ".join(
        f"{r['principle']}: {r['rating']}" for r in rows) + "."
    return _styled((bars + text).properties(
        width=360, height=alt.Step(34), title="How each principle is rated",
        description=description))


def distribution_chart(result: EvaluationResult, *, principles: list[str] | None = None,
                       roles: list[str] | None = None) -> alt.Chart:
    """Staff and community partners' answers per principle, as diverging stacked bars.

    Disagreement extends left of zero, agreement right; the neutral answer straddles zero.
    Groups withheld for privacy are listed in the chart's description, not drawn as zero.
    """
    scale = list(result.parameters["scale"])
    roles = roles or [g["role"] for g in result.groups]
    chosen = [p for p in result.principles if principles is None or p.id in principles]
    middle = (len(scale) - 1) / 2
    rows, withheld = [], []
    for p in chosen:
        for role in roles:
            stats = p.groups[role]
            label = result.group_label(role)
            if stats.suppressed:
                withheld.append(f"{p.name} ({label})")
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
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("start:Q", title="% of answers (disagree ← → agree)",
                scale=alt.Scale(domain=[-100, 100])),
        x2="end:Q",
        y=alt.Y("group:N", title=None, sort=[result.group_label(r) for r in roles]),
        color=alt.Color("answer:N", sort=labels,
                        scale=alt.Scale(domain=labels, range=list(DIVERGING[: len(labels)])),
                        legend=alt.Legend(title=None, orient="bottom", columns=len(labels))),
        order=alt.Order("order:Q"),
        tooltip=["principle", "group", "answer", alt.Tooltip("share:Q", format=".1f")],
    ).properties(width=420, height=alt.Step(24))
    chart = chart.facet(row=alt.Row("principle:N", sort=[p.name for p in chosen], title=None,
                                    header=alt.Header(labelAngle=0, labelAlign="left",
                                                      labelFontWeight="bold")))
    description = "Diverging bars of answers by group. " + " ".join(
        _describe_distribution(result, p, roles) for p in chosen)
    if withheld:
        description += " Withheld because too few people answered: " + ", ".join(withheld) + "."
    return _styled(chart.properties(title="What staff and community partners said",
                                    description=description))


def to_svg(chart: alt.TopLevelMixin) -> str:
    """The chart as an SVG string, drawn offline by vl-convert."""
    return _spec_to_svg(chart.to_json(indent=None))


@lru_cache(maxsize=64)
def _spec_to_svg(spec: str) -> str:
    # Notebook and report draw the same charts; drawing each spec once saves seconds.
    import vl_convert as vlc

    return vlc.vegalite_to_svg(spec)


def _describe_distribution(result, principle, roles) -> str:
    parts = []
    for role in roles:
        stats = principle.groups[role]
        if not stats.suppressed:
            parts.append(f"{result.group_label(role)} {stats.pct_agree:.0f}% agree")
    return f"{principle.name}: " + ", ".join(parts) + "." if parts else ""


def _label_expr(labels: list[str]) -> str:
    cases = " : ".join(f"datum.value == {i + 1} ? '{label}'" for i, label in enumerate(labels))
    return f"{cases} : ''"
