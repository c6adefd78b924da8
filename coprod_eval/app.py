"""The commissioner's report app, as ipywidgets, for Voila. Layout and filtering only:
everything shown comes from a finished EvaluationResult."""

from __future__ import annotations

import base64
from pathlib import Path

import ipywidgets as widgets
from IPython.display import HTML, display

from .charts import distribution_chart, lifecycle_chart, to_svg
from .render import (aim_html, discussion_html, e, evidence_html, methods_html,
                     methods_summary_html, principle_html, tiles_html, truths_html,
                     verdict_html)
from .report import figures
from .results import EvaluationResult

ALL = "all"
BOTH = "both"
NO_PDF = ("report.pdf is not available: it is printed by Chromium, which is not installed "
          "where this app runs.")


def header_html(result: EvaluationResult, *, report_path: str = "", pdf_path: str = "") -> str:
    """The first screen: downloads, the verdict, the principle tiles, the summary charts.

    Plain HTML, not widgets, so a preheated Voila page shows it at once.
    """
    # the lifecycle chart has its own panel, with the stage filter
    charts = "".join(f'<figure role="img" aria-label="{f["description"]}">{f["svg"]}'
                     f'<figcaption>{f["description"]}</figcaption></figure>'
                     for f in figures(result, lifecycle=False))
    return (downloads_html(report_path, pdf_path) + verdict_html(result) + tiles_html(result)
            + f'<section class="coprod"><h2>Results at a glance</h2>{charts}</section>')


def footer_html(result: EvaluationResult, previous: EvaluationResult | None = None) -> str:
    """Comparison with an earlier run, the inconvenient truths, discussion and methods."""
    return ((comparison_html(result, previous) if previous is not None else "")
            + truths_html(result) + discussion_html(result) + evidence_html(result)
            + f'<details class="coprod"><summary>Aim, methods and limitations</summary>'
              f'{aim_html(result)}{methods_summary_html(result)}{methods_html(result)}</details>')


def build_app(result: EvaluationResult) -> widgets.VBox:
    """The interactive part: the lifecycle stage panel, then principle and group filters
    redrawing the principle detail below them."""
    principle = widgets.Dropdown(
        options=[("All principles", ALL)] + [(p.name, p.id) for p in result.principles],
        value=ALL, description="Principle", style={"description_width": "initial"},
        layout=widgets.Layout(width="28rem"))
    group = widgets.ToggleButtons(
        options=[("Both groups", BOTH)] + [(g["label"], g["role"]) for g in result.groups],
        value=BOTH, description="Group", style={"description_width": "initial"},
        tooltips=["Staff and community partners side by side"]
        + [f"Only {g['label'].lower()}" for g in result.groups])
    detail = widgets.HTML()
    detail.add_class("coprod-detail")

    def redraw(_change=None):
        chosen = [p.id for p in result.principles] if principle.value == ALL else [principle.value]
        roles = None if group.value == BOTH else [group.value]
        sections = "".join(principle_html(
            result, pid, roles=roles,
            chart_svg=to_svg(distribution_chart(result, principles=[pid], roles=roles)))
            for pid in chosen)
        detail.value = (f'<section class="coprod" aria-live="polite">'
                        f'<h2>Principle by principle</h2>{sections}</section>')

    principle.observe(redraw, names="value")
    group.observe(redraw, names="value")
    redraw()
    controls = widgets.HBox([principle, group], layout=widgets.Layout(flex_flow="row wrap",
                                                                      gap="1rem"))
    controls.add_class("no-print")
    parts = _stage_panel(result) if result.overall.stages else []
    app = widgets.VBox(parts + [controls, detail])
    app.add_class("coprod-app")
    return app


def _stage_panel(result: EvaluationResult) -> list:
    stage = widgets.Dropdown(
        options=[("All stages", ALL)] + [(s["name"], s["stage"]) for s in result.overall.stages],
        value=ALL, description="Lifecycle stage", style={"description_width": "initial"},
        layout=widgets.Layout(width="24rem"))
    stage.add_class("no-print")
    panel = widgets.HTML()
    panel.add_class("coprod-stage")

    def redraw(_change=None):
        chosen = None if stage.value == ALL else [stage.value]
        chart = lifecycle_chart(result, stages=chosen)
        panel.value = (f'<section class="coprod" aria-live="polite"><h2>Across the lifecycle</h2>'
                       f'<p>{e(stage_sentence(result, stage.value))}</p>'
                       f'<figure role="img" aria-label="{e(chart.description)}">'
                       f'{to_svg(chart)}<figcaption>{e(chart.description)}</figcaption></figure>'
                       f'</section>')

    stage.observe(redraw, names="value")
    redraw()
    return [stage, panel]


def stage_sentence(result: EvaluationResult, stage_id: str) -> str:
    names = {lv["id"]: lv["name"] for lv in result.framework["ladder"]["levels"]}
    overall = result.overall
    if stage_id == ALL:
        joined = next((s["name"] for s in overall.stages if s["partners_joined"]), None)
        return (f"Partners joined at the {joined.lower()} stage." if joined
                else "The records show no stage at which partners joined.")
    s = next(s for s in overall.stages if s["stage"] == stage_id)
    if not s["evidenced_level"]:
        return f"{s['name']}: no record of partner involvement at this stage."
    order = [st["stage"] for st in overall.stages]
    joined_at = overall.partners_joined_stage
    when = ("Partners joined at this stage." if s["partners_joined"] else
            "Partners had not yet joined." if joined_at and order.index(stage_id)
            < order.index(joined_at) else "")
    claim = (f"; the project claims {names[s['claimed_level']]}" if s["claimed_level"] else "")
    return f"{s['name']}: the records show {names[s['evidenced_level']]}{claim}. {when}".strip()


def downloads_html(report_path: str, pdf_path: str) -> str:
    """Links that save the report files; the files travel inside the page (no server)."""
    links = []
    for path, kind, label in ((report_path, "text/html", "Download the report (HTML)"),
                              (pdf_path, "application/pdf", "Download the report (PDF)")):
        if path and Path(path).is_file():
            data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
            links.append(f'<a class="download" download="{e(Path(path).name)}" '
                         f'href="data:{kind};base64,{data}">{e(label)}</a>')
    note = "" if pdf_path else f'<span class="note">{e(NO_PDF)}</span>'
    if not links and not note:
        return ""
    return f'<nav class="coprod downloads no-print" aria-label="Downloads">{" ".join(links)}{note}</nav>'


def comparison_html(result: EvaluationResult, previous: EvaluationResult) -> str:
    """Each principle's rating and the overall level, then and now."""
    rows = []
    before = previous.by_principle
    order = [r["id"] for r in result.framework["ratings"]]
    for p in result.principles:
        was = before.get(p.id)
        if was is None:
            change = "new principle"
            then = "—"
        else:
            then = previous.rating(was.rating)["label"]
            step = order.index(p.rating) - order.index(was.rating) if was.rating in order else 0
            change = "better" if step > 0 else "worse" if step < 0 else "no change"
        rows.append(f"<tr><th scope=\"row\">{e(p.name)}</th><td>{e(then)}</td>"
                    f"<td>{e(result.rating(p.rating)['label'])}</td><td>{e(change)}</td></tr>")
    level_then = previous.level(previous.overall.evidenced_level)["name"]
    level_now = result.level(result.overall.evidenced_level)["name"]
    return (f'<section class="coprod" aria-labelledby="compare-heading">'
            f'<h2 id="compare-heading">Compared with the earlier run</h2>'
            f'<p>Overall level evidenced: {e(level_then)} then, {e(level_now)} now.</p>'
            f'<table><thead><tr><th scope="col">Principle</th><th scope="col">Earlier run</th>'
            f'<th scope="col">This run</th><th scope="col">Change</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></section>')


def show_app(result: EvaluationResult, *, previous_results_path: str = "",
             report_path: str = "", pdf_path: str = "") -> None:
    previous = (EvaluationResult.read(previous_results_path) if previous_results_path
                else None)
    display(HTML(header_html(result, report_path=report_path, pdf_path=pdf_path)))
    display(build_app(result))
    display(HTML(footer_html(result, previous)))
