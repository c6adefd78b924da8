"""The commissioner's report app, as ipywidgets, for Voila. Layout and filtering only:
everything shown comes from a finished EvaluationResult."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import ipywidgets as widgets
from IPython.display import HTML, display
from markupsafe import escape

from ..results import EvaluationResult
from .charts import lifecycle_chart
from .html import chart_figure, part, principles_html
from .report import figures
from .words import N_, _
from .words import app as words

ALL = "all"
BOTH = "both"
NO_PDF = N_("report.pdf is not available for this run.")


def header_html(result: EvaluationResult, *, report_path: str = "", pdf_path: str = "",
                files_url: str = "") -> str:
    """The first screen: downloads, the verdict, the principle tiles, the summary charts.

    Plain HTML, not widgets, so a preheated Voila page shows it at once. The lifecycle chart
    has its own panel, with the stage filter.
    """
    links, note = download_links(report_path, pdf_path, files_url)
    return str(part("app_header", result, links, note, figures(result, lifecycle=False)))


def footer_html(result: EvaluationResult, previous: EvaluationResult | None = None,
                comparison_withheld: str = "", responses: dict | None = None) -> str:
    """Comparison with an earlier run, the inconvenient truths (with the responses to them),
    how sure, discussion, methods."""
    return str(part("app_footer", result, previous, comparison_withheld, responses))


def build_app(result: EvaluationResult) -> widgets.VBox:
    """The interactive part: the lifecycle stage panel, then principle and group filters
    redrawing the principle detail below them."""
    principle = widgets.Dropdown(
        options=[(_("All principles"), ALL)] + [(p.name, p.id) for p in result.principles],
        value=ALL, description=_("Principle"), style={"description_width": "initial"},
        layout=widgets.Layout(width="28rem", max_width="100%"))
    group = widgets.ToggleButtons(
        options=[(_("Both groups") if len(result.groups) == 2 else _("All groups"), BOTH)]
        + [(g["label"], g["id"]) for g in result.groups],
        value=BOTH, description=_("Group"), style={"description_width": "initial"},
        tooltips=[_("Every group side by side")]
        + [_("Only {group}", group=g["label"].lower()) for g in result.groups])
    detail = widgets.HTML()
    detail.add_class("coprod-detail")
    status = _status()

    def redraw(change=None):
        chosen = None if principle.value == ALL else [principle.value]
        roles = None if group.value == BOTH else [group.value]
        detail.value = str(principles_html(result, roles=roles, chosen=chosen))
        if change is not None:  # said after a change, not on the first drawing
            status.value = str(escape(words.filter_status(
                result, chosen[0] if chosen else None, roles[0] if roles else None)))

    principle.observe(redraw, names="value")
    group.observe(redraw, names="value")
    redraw()
    controls = widgets.HBox([principle, group], layout=widgets.Layout(flex_flow="row wrap",
                                                                      gap="1rem"))
    controls.add_class("no-print")
    parts = _stage_panel(result) if result.overall.stages else []
    app = widgets.VBox(parts + [controls, status, detail])
    app.add_class("coprod-app")
    return app


def _stage_panel(result: EvaluationResult) -> list:
    stage = widgets.Dropdown(
        options=[(_("All stages"), ALL)]
        + [(s["name"], s["stage"]) for s in result.overall.stages],
        value=ALL, description=_("Lifecycle stage"), style={"description_width": "initial"},
        layout=widgets.Layout(width="24rem", max_width="100%"))
    stage.add_class("no-print")
    panel = widgets.HTML()
    panel.add_class("coprod-stage")
    status = _status()

    def redraw(change=None):
        chosen = None if stage.value == ALL else [stage.value]
        figure = chart_figure(lifecycle_chart(result, stages=chosen), "chart-lifecycle")
        panel.value = str(part("stage_panel", result, stage.value, figure))
        if change is not None:
            status.value = str(escape(words.stage_status(result,
                                                         chosen[0] if chosen else None)))

    stage.observe(redraw, names="value")
    redraw()
    return [stage, status, panel]


def _status() -> widgets.HTML:
    """A one-line live region (the page's script gives it role=status): a screen reader
    hears what a filter change redrew, not the whole redrawn section."""
    status = widgets.HTML()
    status.add_class("coprod-status")
    return status


def download_links(report_path: str, pdf_path: str,
                   files_url: str = "") -> tuple[list[dict], str]:
    """Links that save the report files, and a note when the PDF cannot be offered.

    With ``files_url`` (where the server offers the files by name, as ``coprod-eval serve``
    does) a link is that URL; without one the file travels inside the page as a data URL,
    which makes the page a megabyte heavier and its first paint slower.
    """
    links = []
    for path, kind, label in ((report_path, "text/html", _("Download the report (HTML)")),
                              (pdf_path, "application/pdf", _("Download the report (PDF)"))):
        if path and Path(path).is_file():
            name = Path(path).name
            if files_url:
                href = files_url + name
            else:
                href = f"data:{kind};base64,{base64.b64encode(Path(path).read_bytes()).decode()}"
            links.append({"name": name, "href": href, "label": label})
    return links, "" if pdf_path else _(NO_PDF)


def open_results(results_path: str) -> EvaluationResult | None:
    """The run to show, or None with a page saying how to open one (the app opened with no
    run, e.g. plain ``voila notebooks/app.ipynb``)."""
    if results_path and Path(results_path).is_file():
        return EvaluationResult.read(results_path)
    display(HTML(part("no_run", results_path)))
    return None


def show_app(result: EvaluationResult | None, *, previous_results_path: str = "",
             comparison_withheld: str = "", report_path: str = "", pdf_path: str = "",
             files_url: str = "", responses_json: str = "", workshop: bool = False) -> None:
    if result is None:  # no run: open_results has said how to open one
        return
    if workshop:
        display(build_workshop(result, _responses(responses_json)))
        return
    previous = (EvaluationResult.read(previous_results_path) if previous_results_path
                else None)
    display(HTML(header_html(result, report_path=report_path, pdf_path=pdf_path,
                             files_url=files_url)))
    display(build_app(result))
    display(HTML(footer_html(result, previous, comparison_withheld,
                             _responses(responses_json))))


def _responses(responses_json: str) -> dict[int, list]:
    """Truth number → each side's responses (JSON keys are text)."""
    return {int(k): v for k, v in json.loads(responses_json or "{}").items()}


def build_workshop(result: EvaluationResult, responses: dict) -> widgets.VBox:
    """The view projected in a joint staff–partner session: the verdict, then one principle
    at a time (its rating, how the groups answered its questions, the findings and the
    responses to them), in large type; Next and Previous buttons, and the arrow keys (the
    page's script), move between slides. Everything shown is what the report shows: the
    same disclosure rules hold."""
    slides = [None] + [p.id for p in result.principles]
    titles = [_("The verdict")] + [p.name for p in result.principles]
    slide = widgets.HTML()
    status = _status()
    back = widgets.Button(description=_("Previous"), tooltip=_("Previous slide (left arrow)"))
    forward = widgets.Button(description=_("Next"), tooltip=_("Next slide (right arrow)"))
    back.add_class("workshop-previous")
    forward.add_class("workshop-next")
    at = {"index": 0}

    def show(index: int) -> None:
        at["index"] = max(0, min(len(slides) - 1, index))
        i = at["index"]
        slide.value = str(part("workshop_slide", result, slides[i], responses))
        status.value = str(escape(words.workshop_status(i, len(slides), titles[i])))
        back.disabled, forward.disabled = i == 0, i == len(slides) - 1

    back.on_click(lambda _: show(at["index"] - 1))
    forward.on_click(lambda _: show(at["index"] + 1))
    show(0)
    keys = widgets.HTML(str(escape(words.workshop_keys())))
    keys.add_class("no-print")
    view = widgets.VBox([keys, widgets.HBox([back, forward]), status, slide])
    view.add_class("coprod-app")
    view.add_class("workshop")
    return view
