"""One call per notebook cell: show a part of the result, or write the run's outputs."""

from __future__ import annotations

from pathlib import Path

from IPython.display import HTML, display

from ..base.paths import PROVENANCE_FILE
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
ANONYMISATION_LOG = "anonymisation-log.json"


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


def _finished_run(output_dir: str) -> bool:
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
    if not output_dir or _finished_run(output_dir):
        return []
    folder = Path(output_dir)
    folder.mkdir(parents=True, exist_ok=True)
    written = [result.write(folder / RESULTS_FILE), write_report(result, folder, previous),
               write_summary(result, folder, previous),
               *write_tables(result, folder)]
    return [p.name for p in written]


def write_provenance(evaluation, evidence, output_dir: str) -> list[str]:
    """Every file this notebook read, with the sha256 of exactly the bytes it parsed."""
    import json

    if not output_dir or _finished_run(output_dir):
        return []
    inputs = {**evaluation.inputs, **evidence.inputs}
    Path(output_dir).mkdir(parents=True, exist_ok=True)
    path = Path(output_dir) / PROVENANCE_FILE
    runs = path.resolve().parent.parent  # the key lives beside the runs, in none of them
    path.write_text(json.dumps({"inputs": dict(sorted(inputs.items())),
                                "people": people_digests(evidence, _people_key(runs))},
                               indent=2) + "\n",
                    encoding="utf-8")
    return [path.name]


PEOPLE_KEY = ".people-key"


def _people_key(runs: Path) -> bytes:
    """The evaluation's secret for digests of pseudonyms: beside its runs (runs/.people-key,
    a dot-file like the runs still being made), never in one."""
    import secrets

    path = runs / PEOPLE_KEY
    try:
        with open(path, "xb") as created:  # the first run makes it; later runs read it
            created.write(secrets.token_bytes(32))
        path.chmod(0o600)
    except FileExistsError:
        pass
    return path.read_bytes()


def people_digests(evidence, key: bytes) -> dict[str, list[str]]:
    """Who each group's figures rest on (survey respondents by group; everyone in the
    records) as keyed digests of their pseudonyms, so that two runs can be compared without
    either holding an id. Without the key, kept beside the runs and in none of them, a
    digest cannot be matched to an id even by trying every likely pseudonym."""
    import hashlib
    import hmac

    from ..inputs.records import STREAMS

    def digests(ids) -> list[str]:
        return sorted({hmac.new(key, str(i).encode(), hashlib.sha256).hexdigest()
                       for i in ids if i})

    # which key made them: digests made with different keys cannot be compared
    people: dict[str, list[str]] = {"key": [digests(["coprod-eval key check"])[0]]}

    survey = evidence.survey
    if survey is not None:
        for code in sorted({int(c) for c in survey.roles}):
            answered = survey.respondent_ids[survey.roles == code]
            people[f"survey {code}"] = digests(map(str, answered))
    in_records = set()
    for stream, table in evidence.records.items():
        for column in (c.name for c in STREAMS[stream].columns if c.person):
            in_records.update(table[column])
    people["records"] = digests(in_records)
    return people


def write_anonymisation_log(evaluation, evidence, output_dir: str) -> list[str]:
    """The placeholders and what they replaced, into the run folder only.

    It holds the originals by design: keep it within the evaluation team. No report, app or
    results.json ever reads it.
    """
    import json

    from ..compute.quotes import pseudonyms, quote_bank

    if not output_dir or _finished_run(output_dir):
        return []
    _, redactor, _ = quote_bank(evaluation, evidence)
    path = Path(output_dir) / ANONYMISATION_LOG
    # the people, for an audit of the run away from its evaluation (coprod-eval audit)
    people = {"roster": list(evaluation.roster), "ids": sorted(pseudonyms(evidence))}
    path.write_text(json.dumps({"note": "Originals of de-identified text. Do not share.",
                                "entries": redactor.log(), "people": people},
                               indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return [path.name]
