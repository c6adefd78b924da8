"""One call per notebook cell: show a part of the result, or write the run's outputs."""

from __future__ import annotations

from pathlib import Path

from IPython.display import HTML, display

from .charts import distribution_chart, setup_display, to_svg  # noqa: F401 (re-exported)
from .exporttables import write_tables
from .render import (aim_html, discussion_html, evidence_html, how_sure_html, methods_html,
                     methods_summary_html, part, principles_html, tiles_html, truths_html,
                     verdict_html)
from .report import write_report
from .results import EvaluationResult

RESULTS_FILE = "results.json"
ANONYMISATION_LOG = "anonymisation-log.json"
PROVENANCE_FILE = "provenance.json"


def show_evidence_notes(evidence) -> None:
    """How each evidence file was read: its format, and what was left out and why."""
    display(HTML(part("evidence_notes", list(evidence.notes))))


def show_verdict(result: EvaluationResult) -> None:
    display(HTML(verdict_html(result) + tiles_html(result)))


def show_principles(result: EvaluationResult) -> None:
    display(HTML(principles_html(result)))


def show_evidence_summary(result: EvaluationResult) -> None:
    display(HTML(evidence_html(result)))


def show_how_sure(result: EvaluationResult) -> None:
    display(HTML(how_sure_html(result)))


def show_methods(result: EvaluationResult) -> None:
    display(HTML(aim_html(result) + methods_summary_html(result) + methods_html(result)))


def show_truths(result: EvaluationResult) -> None:
    display(HTML(truths_html(result) + discussion_html(result)))


def write_outputs(result: EvaluationResult, output_dir: str) -> list[str]:
    """Write results.json, report.html and the result tables (CSV, XLSX) into
    ``output_dir``; nothing when it is empty."""
    if not output_dir:
        return []
    folder = Path(output_dir)
    folder.mkdir(parents=True, exist_ok=True)
    written = [result.write(folder / RESULTS_FILE), write_report(result, folder),
               *write_tables(result, folder)]
    return [p.name for p in written]


def write_provenance(evaluation, evidence, output_dir: str) -> list[str]:
    """Every file this notebook read, with the sha256 of exactly the bytes it parsed."""
    import json

    if not output_dir:
        return []
    inputs = {**evaluation.inputs, **evidence.inputs}
    path = Path(output_dir) / PROVENANCE_FILE
    path.write_text(json.dumps({"inputs": dict(sorted(inputs.items()))}, indent=2) + "\n",
                    encoding="utf-8")
    return [path.name]


def write_anonymisation_log(evaluation, evidence, output_dir: str) -> list[str]:
    """The placeholders and what they replaced, into the run folder only.

    It holds the originals by design: keep it within the evaluation team. No report, app or
    results.json ever reads it.
    """
    import json

    from .assessment import quote_bank

    if not output_dir:
        return []
    _, redactor, _ = quote_bank(evaluation, evidence)
    path = Path(output_dir) / ANONYMISATION_LOG
    path.write_text(json.dumps({"note": "Originals of de-identified text. Do not share.",
                                "entries": redactor.log()}, indent=2, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return [path.name]
