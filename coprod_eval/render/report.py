"""report.html: one self-contained, offline page for commissioners, from results only."""

from __future__ import annotations

from pathlib import Path

from .. import __version__
from .charts import claims_chart, lifecycle_chart, rating_overview_chart
from .html import chart_figure, environment, principle_html, stylesheet

REPORT_FILE = "report.html"


def report_html(result, previous=None, responses=None) -> str:
    """``previous``: the previous round (pipeline.PreviousRound), or None; ``responses``:
    truth number → each side's responses to this run's findings, shown beside them."""
    template = environment().get_template("report.html.j2")
    return template.render(r=result, previous=previous, responses=responses,
                           version=__version__, css=stylesheet(),
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


def summary_html(result, previous=None, responses=None) -> str:
    """The partners' Easy Read summary: the verdict in everyday words, one idea per line."""
    from ..yardsticks.truthkinds import truth_kinds

    return environment().get_template("summary.html.j2").render(
        r=result, previous=previous, responses=responses, version=__version__,
        kinds=truth_kinds())


def write_report(result, folder: str | Path, previous=None) -> Path:
    path = Path(folder) / REPORT_FILE
    path.write_text(report_html(result, previous), encoding="utf-8")
    return path


def write_summary(result, folder: str | Path, previous=None) -> Path:
    path = Path(folder) / SUMMARY_FILE
    path.write_text(summary_html(result, previous), encoding="utf-8")
    return path


def write_with_responses(result, folder: str | Path, previous, responses: dict) -> list[Path]:
    """The run's report and Easy Read summary again, with the responses to its findings
    beside them, as new files named by the responses' digest: the run's own report is never
    rewritten, and the same responses always give the same file."""
    import hashlib
    import json

    digest = hashlib.sha256(json.dumps(responses, sort_keys=True, default=str)
                            .encode()).hexdigest()[:10]
    made = []
    for name, html in ((f"report-responses-{digest}.html", report_html),
                       (f"summary-responses-{digest}.html", summary_html)):
        path = Path(folder) / name
        if not path.exists():
            partial = path.with_name(f".{name}.partial")
            partial.write_text(html(result, previous, responses), encoding="utf-8")
            partial.rename(path)
        made.append(path)
    return made
