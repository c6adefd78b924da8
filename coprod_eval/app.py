"""The commissioner's report app, as ipywidgets, for Voila. Layout and filtering only:
everything shown comes from a finished EvaluationResult."""

from __future__ import annotations

import ipywidgets as widgets
from IPython.display import display

from .charts import distribution_chart, to_svg
from .render import (aim_html, discussion_html, evidence_html, methods_html,
                     methods_summary_html, principle_html, tiles_html, truths_html,
                     verdict_html)
from .report import figures
from .results import EvaluationResult

ALL = "all"
BOTH = "both"


def build_app(result: EvaluationResult) -> widgets.VBox:
    """Verdict first, then the principles; filters redraw the detail below them."""
    charts = "".join(f'<figure role="img" aria-label="{f["description"]}">{f["svg"]}'
                     f'<figcaption>{f["description"]}</figcaption></figure>'
                     for f in figures(result))
    header = widgets.HTML(
        verdict_html(result) + tiles_html(result)
        + f'<section class="coprod"><h2>Results at a glance</h2>{charts}</section>')
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
    footer = widgets.HTML(truths_html(result) + discussion_html(result) + evidence_html(result)
                          + f'<details class="coprod"><summary>Aim, methods and limitations'
                            f'</summary>{aim_html(result)}{methods_summary_html(result)}'
                            f'{methods_html(result)}</details>')

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
    app = widgets.VBox([header, controls, detail, footer])
    app.add_class("coprod-app")
    return app


def show_app(result: EvaluationResult) -> None:
    display(build_app(result))
