"""report.html: one self-contained, offline page for commissioners, from results only."""

from __future__ import annotations

from pathlib import Path

from .. import __version__
from .charts import claims_chart, lifecycle_chart, rating_overview_chart
from .html import chart_figure, environment, principle_html, stylesheet

REPORT_FILE = "report.html"


def report_html(result, previous=None) -> str:
    """``previous``: the previous round (rounds.PreviousRound), or None."""
    template = environment().get_template("report.html.j2")
    return template.render(r=result, previous=previous, version=__version__, css=stylesheet(),
                           page_footer=css_string(f"{result.project['name']}: co-production "
                                                  "evaluation"),
                           figures=figures(result),
                           principles=[principle_html(result, p.id) for p in result.principles])


def css_string(text: str) -> str:
    """``text`` as a CSS string literal: quotes, backslashes and control characters escaped
    (CSS escapes are a backslash, hex digits and a space)."""
    return '"' + "".join(c if c.isprintable() and c not in '"\\<>' else f"\\{ord(c):x} "
                         for c in text) + '"'


def figures(result, *, lifecycle: bool = True) -> list[dict]:
    """The report's summary charts as SVG with their text descriptions."""
    charts = [("chart-ratings", rating_overview_chart(result)),
              ("chart-claims", claims_chart(result))]
    if lifecycle:
        charts.append(("chart-lifecycle", lifecycle_chart(result)))
    return [chart_figure(chart, name) for name, chart in charts if chart is not None]


SUMMARY_FILE = "summary.html"


def summary_html(result, previous=None) -> str:
    """The partners' Easy Read summary: the verdict in everyday words, one idea per line."""
    from ..truths import truth_kinds

    return environment().get_template("summary.html.j2").render(
        r=result, previous=previous, version=__version__, kinds=truth_kinds())


def write_report(result, folder: str | Path, previous=None) -> Path:
    path = Path(folder) / REPORT_FILE
    path.write_text(report_html(result, previous), encoding="utf-8")
    return path


def write_summary(result, folder: str | Path, previous=None) -> Path:
    path = Path(folder) / SUMMARY_FILE
    path.write_text(summary_html(result, previous), encoding="utf-8")
    return path
