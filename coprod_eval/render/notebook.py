"""One call per notebook cell: show a part of the result, or write the report's outputs
(results.json, report.html, the summary, the tables). The run's own records (provenance, the
anonymisation log) are written by runs/bookkeeping.py, never here."""

from __future__ import annotations

from pathlib import Path

from IPython.display import HTML, display

from ..results import EvaluationResult
from .charts import distribution_chart, setup_display, to_svg  # noqa: F401 (re-exported)
from .html import (
    aim_html,
    disagreement_html,
    discussion_html,
    evidence_html,
    how_sure_html,
    methods_html,
    methods_summary_html,
    part,
    plan_html,
    principles_html,
    tiles_html,
    truths_html,
    verdict_html,
)
from .report import write_report, write_summary
from .tables import write_tables

RESULTS_FILE = "results.json"


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


def show_since(result: EvaluationResult, previous) -> None:
    """The change per principle since the previous round (nothing in round 1)."""
    if previous is not None:
        display(HTML(part("since_round", result, previous)))


def show_plan(result: EvaluationResult) -> None:
    """The examination against the partnership's plan (nothing when it has none)."""
    if result.plan:
        display(HTML(plan_html(result)))


def show_disagreement(result: EvaluationResult) -> None:
    display(HTML(disagreement_html(result)))


FINISHED_RUN = ("Not written: {folder} is a finished run (it has its manifest.json), and "
                "coprod-eval never overwrites one. To keep new outputs, set output_dir to a new "
                "folder, or make a new run: coprod-eval run EVALUATION_FOLDER.")


def finished_run(output_dir: str) -> bool:
    """True (and said once, plainly) when output_dir is a finished run: re-executing its
    notebook (Run all in JupyterLab, nbval) shows everything and writes nothing."""
    from ..base.paths import MANIFEST_FILE

    if not (Path(output_dir) / MANIFEST_FILE).is_file():
        return False
    if output_dir not in _SAID:
        _SAID.add(output_dir)
        from IPython.display import Markdown, display

        display(Markdown("**" + FINISHED_RUN.format(folder=Path(output_dir).resolve()) + "**"))
    return True


_SAID: set[str] = set()


def write_outputs(result: EvaluationResult, output_dir: str, previous=None) -> list[str]:
    """Write results.json, report.html, the partners' summary.html and the result tables
    (CSV, XLSX) into
    ``output_dir``; nothing when it is empty or a finished run. ``previous``: the previous
    round (rounds.previous_round), which the report compares with."""
    if not output_dir or finished_run(output_dir):
        return []
    folder = Path(output_dir)
    folder.mkdir(parents=True, exist_ok=True)
    written = [result.write(folder / RESULTS_FILE), write_report(result, folder, previous),
               write_summary(result, folder, previous),
               *write_tables(result, folder)]
    return [p.name for p in written]
