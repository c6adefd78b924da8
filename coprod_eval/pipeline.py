"""The pipeline, top to bottom: an evaluation folder in, a checked result out.

    folder ─► load_evaluation()  inputs/load.py        evaluation.yaml, framework, ladder,
                                                       instrument, groups and settings
           ─► load_evidence()    inputs/evidence.py    every evidence file read, checked, typed
           ─► assess()           compute/assessment.py measured, rated, judged: the result,
                                                       and the de-identification's log

Every caller goes through here: ``coprod-eval validate`` (:func:`check_folder`), every run
engine (runs/engines.py: the notebook calls :func:`evaluate_folder` in its kernel; the
in-process engine calls :func:`evaluate_checked`), the people commands (the quotes as they
would be published) and the report app (which reads the result only). Nothing above this
module imports ``compute/``; nothing below it imports it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .base.errors import InvalidInputError, Problem, Problems
from .base.paths import PROVENANCE_FILE
from .compute.assessment import assess
from .compute.quotes import quote_candidates  # noqa: F401 (the quote commands read the bank)
from .inputs.evidence import Evidence, load_evidence
from .inputs.load import Evaluation, load_evaluation
from .inputs.responses import by_truth, load_responses
from .inputs.rounds import finished, round_of, withheld_between
from .results import EvaluationResult


@dataclass(frozen=True)
class Evaluated:
    """What the pipeline made of one folder: its settings, its evidence, the result and the
    de-identification's log (for the run folder only: it holds the originals)."""

    evaluation: Evaluation
    evidence: Evidence
    result: EvaluationResult
    anonymisation: tuple[dict, ...] = ()


def check_folder(folder: str | Path, *, seed: int = -1,
                 permutations: int = -1) -> tuple[Evaluation, Evidence]:
    """Load and check the evaluation and its evidence; raise InvalidInputError listing every
    problem. Reads only: nothing is written or changed."""
    evaluation = load_evaluation(folder, seed=seed, permutations=permutations)
    return evaluation, load_evidence(evaluation)


def evaluate_folder(folder: str | Path, *, seed: int = -1,
                    permutations: int = -1) -> Evaluated:
    """The whole pipeline for one folder. ``seed`` and ``permutations`` override
    evaluation.yaml's when not -1; the same folder and seed give the same result."""
    evaluation, evidence = check_folder(_beside_notebooks(folder), seed=seed,
                                        permutations=permutations)
    return evaluate_checked(evaluation, evidence)


def evaluate_checked(evaluation: Evaluation, evidence: Evidence) -> Evaluated:
    """The evaluation of a folder already loaded and checked (:func:`check_folder`)."""
    return Evaluated(evaluation, evidence, *assess(evaluation, evidence))


def _beside_notebooks(folder: str | Path) -> Path:
    """A relative folder that is not found from here, found from the notebooks' folder
    instead: the notebook's default (``../data_samples/…``) is written relative to it, and
    papermill may run it from anywhere."""
    from .base.paths import notebooks_dir, samples_dir

    path = Path(folder)
    if path.is_absolute() or path.is_dir():
        return path
    beside = notebooks_dir() / path
    if beside.is_dir():
        return beside
    if path.parts[:2] == ("..", "data_samples"):  # an installed wheel keeps them elsewhere
        sample = samples_dir().joinpath(*path.parts[2:])
        if sample.is_dir():
            return sample
    return path


NOT_RECORDED = ("The comparison with the previous round ({run}) is not shown: this notebook "
                "writes no run (output_dir is empty), so whose evidence it used is not "
                "recorded to check it against.")


@dataclass(frozen=True)
class PreviousRound:
    """The previous round's result, and why a comparison with it is withheld ("" if not)."""

    run_id: str
    round: int
    result: EvaluationResult
    withheld: str
    responses: dict = field(default_factory=dict)  # truth number → each side's response
    # per partner group: taking part then and now, dropped out, joined (None: too few to say)
    turnover: tuple = ()


def previous_round(evaluation, output_dir: str | Path, *,
                   round_number: int | None = None) -> PreviousRound | None:
    """The latest finished run of the previous round (None in round 1 or when none was run).
    ``output_dir`` is this run's folder, whose provenance says whose evidence it used;
    ``round_number`` the run's round when it is not the evaluation's current one."""
    current = round_number or int(evaluation.project.get("round") or 1)
    if current == 1:
        return None
    earlier = [r for r, results, _ in finished(evaluation.folder)
               if round_of(results) == current - 1]
    if not earlier:
        return None
    run = earlier[-1]
    if not output_dir:
        withheld = NOT_RECORDED.format(run=run.name)
    else:
        withheld = withheld_between(Path(output_dir) / PROVENANCE_FILE, run / PROVENANCE_FILE,
                                    evaluation.min_group_size, run.name)
    turnover = () if withheld else _turnover(evaluation, Path(output_dir) / PROVENANCE_FILE,
                                              run / PROVENANCE_FILE)
    return PreviousRound(run.name, current - 1, EvaluationResult.read(run / "results.json"),
                         withheld, by_truth(load_responses(evaluation.folder, run)), turnover)


def _turnover(evaluation, now_file: Path, then_file: Path) -> tuple:
    """Each partner group's survey respondents in the previous round and this one, matched by
    keyed digests of their pseudonyms (no id is read): how many took part then and now, how
    many of the previous round's did not take part again, and how many joined. Counts under
    the disclosure rules: rounded, and None when 1 to min_n - 1."""
    import json

    from .disclosure.privacy import safe_count

    now, then = (json.loads(path.read_text("utf-8"))["people"] for path in (now_file, then_file))
    shown = []
    for code, group in enumerate(evaluation.groups):
        if group.side != "partner":
            continue
        a, b = set(then.get(f"survey {code}", ())), set(now.get(f"survey {code}", ()))
        counts = {"then": a, "now": b, "dropped": a - b, "joined": b - a}
        shown.append({"group": group.label, **{
            k: safe_count(len(v), evaluation.min_group_size, evaluation.round_to)
            for k, v in counts.items()}})
    return tuple(shown)


def check(folder: str | Path, *,
          mapping: list[tuple[dict, str]] | None = None) -> tuple[Problems, tuple[str, ...]]:
    """Problems (none when the folder is valid), and notes on how the evidence was read
    (formats, duplicates left out…): what ``coprod-eval validate`` prints. Given a list as
    ``mapping``, each survey question whose answers run against or sit apart from the rest of
    its principle's is added to it (compute/itemcheck.py), with the principle's name."""
    try:
        evaluation, evidence = check_folder(folder)
    except InvalidInputError as exc:
        return Problems.of(exc), ()
    if mapping is not None and evidence.survey is not None:
        from .compute.itemcheck import item_checks

        names = {p.id: p.name for p in evaluation.framework.principles}
        mapping += [(found, names[found["principle"]])
                    for found in item_checks(evaluation, evidence) or ()]
    return Problems(), evidence.notes


def validate(folder: str | Path) -> list[Problem]:
    """Every problem with an evaluation folder, all at once (empty when it is valid)."""
    return list(check(folder)[0])
