"""The portfolio app, as ipywidgets, for Voila: filters by commissioner, organisation,
programme and framework redraw the heat map and the counts; a project chosen opens its
details and a link to its own report. Everything comes from portfolio.json."""

from __future__ import annotations

import ipywidgets as widgets
from IPython.display import HTML, display
from markupsafe import Markup, escape

from .html import environment
from .portfolio import context, figures, heatmaps, load
from .words import _
from .words.catalog import N_

ALL = "All"
FILTERS = (("commissioner", N_("Commissioner")), ("organisation", N_("Organisation")),
           ("programme", N_("Programme")), ("framework", N_("Framework")))


def chosen(data: dict, choice: dict[str, str]) -> list[dict]:
    """The projects matching every filter (ALL matches any)."""
    return [p for p in data["projects"]
            if all(v == ALL or p[k] == v for k, v in choice.items())]


def _part(name: str, *args) -> Markup:
    module = environment().get_template("portfolio_parts.html.j2").module
    return Markup(getattr(module, name)(*args))


def show_portfolio_app(data_path: str, files_url: str = "") -> None:
    if not data_path:
        display(HTML("<main class='coprod'><p>" + str(escape(_(
            "No portfolio run to show: make one with coprod-eval portfolio FOLDER, then "
            "coprod-eval serve FOLDER."))) + "</p></main>"))
        return
    data = load(data_path)
    display(HTML(str(_part("header", context(data), files_url))))
    display(build_portfolio_app(data, files_url))


def build_portfolio_app(data: dict, files_url: str = "") -> widgets.VBox:
    frameworks = {k: v["name"] for k, v in data["frameworks"].items()}
    dropdowns = {}
    for key, label in FILTERS:
        values = sorted({p[key] for p in data["projects"]})
        options = [(_("All ({n})", n=len(values)), ALL)] + [
            (frameworks.get(v, v) if key == "framework" else v, v) for v in values]
        dropdowns[key] = widgets.Dropdown(options=options, value=ALL, description=_(label),
                                          style={"description_width": "initial"},
                                          layout=widgets.Layout(width="22rem"))
    project = widgets.Dropdown(description=_("Open a project"),
                               style={"description_width": "initial"},
                               layout=widgets.Layout(width="36rem"))
    charts, detail, status = widgets.HTML(), widgets.HTML(), widgets.HTML()
    charts.add_class("coprod-portfolio-charts")
    detail.add_class("coprod-portfolio-detail")
    status.add_class("coprod-status")
    index = {p["project"]: p for p in data["projects"]}

    def redraw(change=None):
        shown = chosen(data, {k: d.value for k, d in dropdowns.items()})
        charts.value = str(_part("charts", context(data, shown), heatmaps(data, shown),
                                 figures(data, shown) if shown else []))
        project.options = [(_("Choose a project…"), "")] + [(p["label"], p["project"])
                                                            for p in shown]
        project.value = ""
        if change is not None:
            status.value = str(escape(_("Showing {shown} of {n} projects.", shown=len(shown),
                                        n=len(data["projects"]))))

    def open_project(change=None):
        if not project.value:
            detail.value = ""
            return
        chosen_project = index[project.value]
        href = (files_url + chosen_project["report"]) if files_url else ""
        detail.value = str(_part("project", context(data), chosen_project, href))
        if change is not None:
            status.value = str(escape(_("Details of {project} below the filters.",
                                        project=chosen_project["label"])))

    for dropdown in dropdowns.values():
        dropdown.observe(redraw, names="value")
    project.observe(open_project, names="value")
    redraw()
    controls = widgets.HBox(list(dropdowns.values()),
                            layout=widgets.Layout(flex_flow="row wrap", gap="1rem"))
    controls.add_class("no-print")
    app = widgets.VBox([controls, status, project, detail, charts])
    app.add_class("coprod-app")
    return app
