"""report.html: one self-contained, offline page for commissioners, from results only."""

from __future__ import annotations

from pathlib import Path

import jinja2

from . import __version__
from .charts import (claims_chart, distribution_chart, lifecycle_chart, rating_overview_chart,
                     to_svg)
from .paths import report_template_dir
from .render import (aim_html, discussion_html, e, evidence_html, methods_html,
                     methods_summary_html, principle_html, stylesheet, tiles_html, truths_html,
                     verdict_html)
from .results import EvaluationResult

REPORT_FILE = "report.html"


def report_html(result: EvaluationResult) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(report_template_dir()),
                             autoescape=False, keep_trailing_newline=True)
    sections = [principle_html(result, p.id,
                               chart_svg=to_svg(distribution_chart(result, principles=[p.id])))
                for p in result.principles]
    return env.get_template("report.html.j2").render(
        title=e(f"{result.project['name']}: co-production evaluation"),
        version=__version__,
        schema_version=result.schema_version,
        css=stylesheet(),
        verdict=verdict_html(result),
        tiles=tiles_html(result),
        aim=aim_html(result),
        methods_summary=methods_summary_html(result),
        figures=figures(result),
        principles=sections,
        truths=truths_html(result),
        discussion=discussion_html(result),
        evidence=evidence_html(result),
        methods=methods_html(result),
    )


def figures(result: EvaluationResult, *, lifecycle: bool = True) -> list[dict]:
    """The report's summary charts as SVG with their text descriptions."""
    charts = [rating_overview_chart(result), claims_chart(result)]
    if lifecycle:
        charts.append(lifecycle_chart(result))
    return [{"svg": to_svg(c), "description": e(c.description)} for c in charts if c is not None]


def write_report(result: EvaluationResult, folder: str | Path) -> Path:
    path = Path(folder) / REPORT_FILE
    path.write_text(report_html(result), encoding="utf-8")
    return path
