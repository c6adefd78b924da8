"""The portfolio's pages: report.html (and PDF) for a board, and the Voila portfolio app.

Both read portfolio.json only (made from the store by portfolio.py), never evidence. What
they show, and what they never do:
- a heat map of projects × principles: each cell the project's own rating, with its range
  and confidence written in it; projects in a fixed order (commissioner, programme, name),
  never sorted by a rating, never given a total or a rank;
- counts of *projects* (by verdict, by claimed and evidenced level, by movement since the
  last round), never of people: no figure about people is added up across projects, so no
  small group can be found by combining or subtracting them;
- the change since the last round only where the project's own report shows it.
"""

from __future__ import annotations

import json
from pathlib import Path

import altair as alt
import pandas as pd
from markupsafe import Markup

from .. import __version__
from .charts import EDGE, styled, to_svg
from .html import environment, stylesheet
from .words import _
from .words.catalog import N_
from .words.verdict import headline

REPORT_FILE = "report.html"
PDF_FILE = "report.pdf"
VERDICTS = ("supported", "not_established", "not_supported")
CHANGES = {"better": N_("Better, beyond the uncertainty"),
           "within": N_("No change beyond the uncertainty"),
           "worse": N_("Worse, beyond the uncertainty"), "withheld": N_("Comparison withheld"),
           "not_compared": N_("Not in the last round")}
CONFIDENCE = {"high": N_("high confidence"), "medium": N_("medium confidence"),
              "low": N_("LOW confidence")}
NOT_A_LEAGUE_TABLE = N_(
    "This is not a league table. Each project was examined on its own evidence, against its "
    "own claim, and the evidence differs from project to project in kind and amount: the "
    "ratings are not comparable as a score, and projects are not ranked. Use it to see where "
    "claims hold and where to look more closely, not to name and shame.")
PRIVACY_NOTE = N_(
    "Counts on this page are of projects, never of people. No figure about people is added "
    "up across projects, so no small group can be found by combining or subtracting them; "
    "each project's own report applies the disclosure rules to its figures.")


def change_of(project: dict, cell: dict) -> str | None:
    """A principle's movement since the project's last round: better, worse, within (the
    uncertainty), withheld (as the project's own report withholds it), or None (round 1)."""
    if project["round"] == 1:
        return None
    if project["comparison_withheld"]:
        return "withheld"
    since = cell.get("since")
    return since["change"] if since else "not_compared"


SINCE = {"better": N_("▲ better since last round"), "worse": N_("▼ worse since last round"),
         "within": N_("no change beyond the uncertainty"), "withheld": N_("change withheld"),
         "not_compared": N_("not in the last round"), None: N_("first round")}


def _luminance(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour[i:i + 2], 16) / 255) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def text_colour(background: str) -> str:
    """Near-black or white, whichever reads better on ``background`` (WCAG contrast)."""
    light = _luminance(background)
    on_dark = (1.05) / (light + 0.05)
    on_light = (light + 0.05) / (_luminance("#1b1b1b") + 0.05)
    return "#ffffff" if on_dark > on_light else "#1b1b1b"


def tint(colour: str, white: float = 0.45) -> str:
    """``colour`` mixed with ``white`` parts of white: a cell's background light enough for
    its text to read (WCAG AA), its hue still the rating's."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c + (255 - c) * white):02x}" for c in (r, g, b))


def heatmap(data: dict, framework: str, projects: list[dict]) -> dict:
    """Projects × principles of one framework, for the ``heatmap`` macro: a table (it reads,
    prints and scrolls at hundreds of projects, and a screen reader reads it cell by cell),
    each cell coloured by the rating and saying the rating, its range, the confidence and
    the movement since the last round."""
    fw = data["frameworks"][framework]
    labels = {r["id"]: r["label"] for r in fw["ratings"]}
    colours = {r["id"]: tint(r["colour"]) for r in fw["ratings"]}
    rows = []
    for project in (p for p in projects if p["framework"] == framework):
        cells = []
        for cell in project["principles"]:
            low, high = cell["range_low"], cell["range_high"]
            cells.append({
                "rating": labels[cell["rating"]],
                "range": (_("range {low}–{high}", low=labels[low], high=labels[high])
                          if low != high else _("no other rating in range")),
                "confidence": _(CONFIDENCE[cell["confidence"]]),
                "low": cell["confidence"] == "low",
                "since": _(SINCE[change_of(project, cell)]),
                "background": colours[cell["rating"]],
                "colour": text_colour(colours[cell["rating"]])})
        group = f"{project['commissioner']} › {project['programme']}"
        rows.append({"label": project["label"], "organisation": project["organisation"],
                     "report": project.get("report", ""), "cells": cells,
                     "group": group if not rows or rows[-1]["group_key"] != group else "",
                     "group_key": group})
    return {"id": f"heatmap-{framework}", "framework": fw["name"],
            "principles": [p["name"] for p in fw["principles"]], "rows": rows,
            "legend": [{"label": r["label"], "background": tint(r["colour"]),
                        "colour": text_colour(tint(r["colour"]))} for r in fw["ratings"]]}


def heatmaps(data: dict, projects: list[dict]) -> list[dict]:
    return [heatmap(data, framework, projects)
            for framework in sorted({p["framework"] for p in projects})]


def verdict_chart(data: dict, projects: list[dict]) -> alt.Chart:
    """Projects by the verdict on their claim, a row of bars for each framework (a claim is
    judged against its own framework's yardstick)."""
    counts = [{"framework": data["frameworks"][f]["name"], "verdict": headline(v),
               "projects": sum(p["verdict"] == v and p["framework"] == f for p in projects)}
              for f in sorted({p["framework"] for p in projects}) for v in VERDICTS]
    description = _("Number of projects by verdict on their claim: {counts}.",
                    counts="; ".join(f"{c['framework']}: {c['verdict']} {c['projects']}"
                                     for c in counts))
    bars = alt.Chart(pd.DataFrame(counts)).encode(
        y=alt.Y("verdict:N", sort=[headline(v) for v in VERDICTS], title=None),
        x=alt.X("projects:Q", title=_("Projects"), axis=alt.Axis(tickMinStep=1, format="d")))
    layered = alt.layer(bars.mark_bar(color="#0072B2", stroke=EDGE, strokeWidth=1),
                        bars.mark_text(align="left", dx=4, fontSize=12).encode(
                            text=alt.Text("projects:Q")))
    return styled(layered.properties(width=360, height=alt.Step(26))
                  .facet(row=alt.Row("framework:N", title=None,
                                     header=alt.Header(labelAngle=0, labelAlign="left",
                                                       labelAnchor="start", labelOrient="top",
                                                       labelFontWeight="bold")))
                  .properties(title=_("Verdicts on the claims"), description=description))


def claims_chart(data: dict, projects: list[dict], ladder: str) -> alt.Chart | None:
    """Projects by the level they claim and the level their evidence shows, on one ladder."""
    mine = [p for p in projects if p["ladder"] == ladder]
    if not mine:
        return None
    fw = next(f for f in data["frameworks"].values() if f["ladder"]["id"] == ladder)
    names = {lv["id"]: lv["name"] for lv in fw["ladder"]["levels"]}
    order = [lv["name"] for lv in fw["ladder"]["levels"]]
    counts: dict[tuple, int] = {}
    for p in mine:
        key = (names[p["claimed_level"]], names[p["evidenced_level"]])
        counts[key] = counts.get(key, 0) + 1
    table = pd.DataFrame([{"claimed": c, "evidenced": e, "projects": n}
                          for (c, e), n in sorted(counts.items())])
    description = _("Projects by claimed level and the most likely level their evidence shows "
                    "(each with a range: see the projects' table) on the {ladder}: {counts}.",
                    ladder=fw["ladder"]["name"], counts="; ".join(
                        _("claimed {claimed}, evidence shows {shown}: {n}", claimed=c,
                          shown=e, n=n) for (c, e), n in sorted(counts.items())))
    base = alt.Chart(table).encode(
        x=alt.X("evidenced:N", sort=order, title=_("Level the evidence shows (most likely)"),
                scale=alt.Scale(domain=order), axis=alt.Axis(labelAngle=-30, labelLimit=140)),
        y=alt.Y("claimed:N", sort=order, title=_("Level claimed"),
                scale=alt.Scale(domain=order)))
    return styled(alt.layer(
        # a light disc on white: its 1 px edge is what stands 3:1 against the page
        base.mark_circle(color="#0072B2", fillOpacity=0.35, stroke=EDGE, strokeWidth=1,
                         strokeOpacity=1, opacity=1).encode(
            size=alt.Size("projects:Q", legend=None, scale=alt.Scale(range=[200, 1600]))),
        base.mark_text(fontSize=12).encode(text=alt.Text("projects:Q")))
        .properties(width=alt.Step(70), height=alt.Step(36),
                    title=_("Claimed against evidenced level (number of projects)"),
                    description=description), view_stroke="#ccc")


def trend_chart(data: dict, projects: list[dict]) -> alt.Chart | None:
    """Per principle, projects in a later round by how their rating moved since the last."""
    rows = [{"principle": cell["name"], "change": change_of(project, cell)}
            for project in projects if project["round"] > 1
            for cell in project["principles"]]
    if not rows:
        return None
    counts = (pd.DataFrame(rows).groupby(["principle", "change"]).size().rename("projects")
              .reset_index())
    changes = {k: _(v) for k, v in CHANGES.items()}
    counts["movement"] = counts.change.map(changes)
    description = _("Projects in a later round, by principle and movement since their last "
                    "round: {counts}.", counts="; ".join(
                        f"{r.principle}: {r.movement} {r.projects}" for r in counts.itertuples()))
    # neighbouring segments told apart by a dark edge (WCAG 1.4.11), not by colour alone
    return styled(alt.Chart(counts).mark_bar(stroke=EDGE, strokeWidth=1).encode(
        y=alt.Y("principle:N", title=None, axis=alt.Axis(labelLimit=220)),
        x=alt.X("projects:Q", title=_("Projects"), axis=alt.Axis(tickMinStep=1, format="d")),
        color=alt.Color("movement:N", title=_("Since the last round"),
                        scale=alt.Scale(domain=list(changes.values()),
                                        range=["#0072B2", "#bdbdbd", "#D55E00", "#F0E442",
                                               "#CC79A7"]),
                        legend=alt.Legend(orient="bottom", columns=2)),
        order=alt.Order("change:N"),
        tooltip=[alt.Tooltip("principle:N"), alt.Tooltip("movement:N"),
                 alt.Tooltip("projects:Q")])
        .properties(width=360, height=alt.Step(26), title=_("Movement since the last round"),
                    description=description))


def figure(chart, identifier: str) -> dict:
    return {"id": identifier, "svg": Markup(to_svg(chart)), "description": chart.description}


def figures(data: dict, projects: list[dict]) -> list[dict]:
    """Every chart of the (chosen) projects, drawn to SVG, with its description."""
    found = [figure(verdict_chart(data, projects), "chart-verdicts")]
    for ladder in sorted({p["ladder"] for p in projects}):
        chart = claims_chart(data, projects, ladder)
        if chart is not None:
            found.append(figure(chart, f"chart-claims-{ladder}"))
    chart = trend_chart(data, projects)
    if chart is not None:
        found.append(figure(chart, "chart-trends"))
    return found


def context(data: dict, projects: list[dict] | None = None) -> dict:
    projects = data["projects"] if projects is None else projects
    levels = {}
    for fw in data["frameworks"].values():
        levels.update({lv["id"]: lv["name"] for lv in fw["ladder"]["levels"]})
    labels = {k: {r["id"]: r["label"] for r in fw["ratings"]}
              for k, fw in data["frameworks"].items()}
    return {"d": data, "projects": projects, "levels": levels, "rating_labels": labels,
            "verdicts": {v: headline(v) for v in VERDICTS},
            "not_a_league_table": _(NOT_A_LEAGUE_TABLE), "privacy_note": _(PRIVACY_NOTE),
            "changes": {k: _(v) for k, v in CHANGES.items()}}


def portfolio_html(data: dict) -> str:
    template = environment().get_template("portfolio.html.j2")
    return template.render(**context(data), figures=figures(data, data["projects"]),
                           heatmaps=heatmaps(data, data["projects"]), css=stylesheet(),
                           version=__version__)


def write_portfolio(data: dict, folder: Path, *, pdf: bool = False) -> list[Path]:
    written = [folder / REPORT_FILE]
    written[0].write_text(portfolio_html(data), encoding="utf-8")
    if pdf:
        from .pdf import write_pdf

        written.append(write_pdf(written[0], folder / PDF_FILE))
    return written


def load(path: str | Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))
