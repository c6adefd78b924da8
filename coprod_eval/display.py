"""One call per notebook cell: show a part of the result, or write the run's outputs."""

from __future__ import annotations

from pathlib import Path

from IPython.display import HTML, display

from .charts import distribution_chart, setup_display, to_svg  # noqa: F401 (re-exported)
from .render import (aim_html, discussion_html, evidence_html, methods_html,
                     methods_summary_html, principle_html, tiles_html, truths_html,
                     verdict_html)
from .report import write_report
from .results import EvaluationResult

RESULTS_FILE = "results.json"


def show_verdict(result: EvaluationResult) -> None:
    display(HTML(verdict_html(result) + tiles_html(result)))


def show_principles(result: EvaluationResult) -> None:
    html = "".join(principle_html(result, p.id,
                                  chart_svg=to_svg(distribution_chart(result, principles=[p.id])))
                   for p in result.principles)
    display(HTML(f'<section class="coprod"><h2>Principle by principle</h2>{html}</section>'))


def show_evidence_summary(result: EvaluationResult) -> None:
    display(HTML(evidence_html(result)))


def show_methods(result: EvaluationResult) -> None:
    display(HTML(aim_html(result) + methods_summary_html(result) + methods_html(result)))


def show_truths(result: EvaluationResult) -> None:
    display(HTML(truths_html(result) + discussion_html(result)))


def write_outputs(result: EvaluationResult, output_dir: str) -> list[str]:
    """Write results.json and report.html into ``output_dir``; nothing when it is empty."""
    if not output_dir:
        return []
    folder = Path(output_dir)
    folder.mkdir(parents=True, exist_ok=True)
    written = [result.write(folder / RESULTS_FILE), write_report(result, folder)]
    return [p.name for p in written]
