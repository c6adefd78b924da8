"""HTML parts of an EvaluationResult, shared by notebooks, the Voila app and report.html.

Markup lives in ``templates/report/parts.html.j2`` (Jinja, autoescape on) and words in
:mod:`coprod_eval.render.words`; this module only hands a result to a template macro. Parts
read the result only, never evidence.
"""

from __future__ import annotations

from functools import cache

import jinja2
from markupsafe import Markup

from ..base.paths import report_template_dir, stylesheet  # noqa: F401 (stylesheet re-exported)
from ..yardsticks.truthkinds import truth_kinds
from . import words
from .charts import to_svg

PARTS = "parts.html.j2"


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(report_template_dir()),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    env.globals["w"] = words.MODULES
    env.globals["_"] = words._
    env.globals["n_"] = words.n_
    env.globals["lang"] = "en-GB"
    env.globals["truth_kinds"] = truth_kinds()
    return env


def part(name: str, *args, **kwargs) -> Markup:
    """Call the macro ``name`` of the parts template."""
    module = environment().get_template(PARTS).module
    return Markup(getattr(module, name)(*args, **kwargs))


def chart_figure(chart, identifier: str) -> dict:
    """A chart drawn to SVG, with its description, ready for the ``figure`` macro."""
    return {"id": identifier, "svg": Markup(to_svg(chart)), "description": chart.description}


def verdict_html(result) -> Markup:
    return part("verdict", result)


def tiles_html(result) -> Markup:
    return part("tiles", result)


def truths_html(result) -> Markup:
    return part("truths", result)


def plan_html(result) -> Markup:
    return part("plan", result)


def disagreement_html(result) -> Markup:
    return part("disagreement", result)


def aim_html(result) -> Markup:
    return part("aim", result)


def methods_summary_html(result) -> Markup:
    return part("methods_summary", result)


def discussion_html(result) -> Markup:
    return part("discussion", result)


def evidence_html(result) -> Markup:
    return part("evidence", result)


def how_sure_html(result) -> Markup:
    return part("how_sure", result)


def methods_html(result) -> Markup:
    return part("methods", result)


def principle_html(result, principle_id: str, *, roles: list[str] | None = None,
                   chart: bool = True) -> Markup:
    """A principle's rating, the evidence behind it, and its chart with the chart's data."""
    from .charts import distribution_chart

    figure = (chart_figure(distribution_chart(result, principles=[principle_id], roles=roles),
                           f"chart-{principle_id}") if chart else None)
    return part("principle", result, result.by_principle[principle_id], figure, roles)


def principles_html(result, *, roles: list[str] | None = None,
                    chosen: list[str] | None = None) -> Markup:
    ids = chosen or [p.id for p in result.principles]
    return part("principles_panel", result,
                [principle_html(result, pid, roles=roles) for pid in ids])
