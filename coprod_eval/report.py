"""report.html: one self-contained, offline page for commissioners, from results only."""

from __future__ import annotations

from pathlib import Path

import jinja2

from . import __version__
from .charts import distribution_chart, rating_overview_chart, to_svg
from .paths import report_template_dir
from .render import (e, evidence_html, methods_html, principle_html, stylesheet, tiles_html,
                     verdict_html)
from .results import EvaluationResult

REPORT_FILE = "report.html"


def report_html(result: EvaluationResult) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(report_template_dir()),
                             autoescape=False, keep_trailing_newline=True)
    overview = rating_overview_chart(result)
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
        overview_svg=to_svg(overview),
        overview_description=e(overview.to_dict()["description"]),
        principles=sections,
        evidence=evidence_html(result),
        methods=methods_html(result),
    )


def write_report(result: EvaluationResult, folder: str | Path) -> Path:
    path = Path(folder) / REPORT_FILE
    path.write_text(report_html(result), encoding="utf-8")
    return path
