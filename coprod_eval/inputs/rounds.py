"""Rounds: one project examined again and again, each round on evidence of its own.

An evaluation names its project (``project.id``) and its round (``round:``); results carry
both (round 1 when none is named). Once a round has been run its evidence is fixed: a later
run of the same round must read the same bytes, and a new round reads files no earlier round
read (its own evidence folder). Each round is compared with the previous one: per
principle, whether the rating moved beyond the uncertainty of both rounds. A comparison
between two rounds whose people differ by only a few is withheld, as it would show what
those few said.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..base.errors import InvalidInputError, Problem, Problems
from ..base.paths import MANIFEST_FILE, PROVENANCE_FILE, input_name
from .responses import load_responses

RUNS_DIR = "runs"
ROUND_CHANGED = ("round {round} was run ({run}) on other evidence: {file} has changed since; "
                 "a round's evidence is fixed once it is run")
ROUND_CHANGED_FIX = ("put the file back as it was, or start round {next} ('round: {next}' in "
                     "evaluation.yaml) with its own evidence folder (e.g. evidence/round-{next}/)")
ROUND_REUSED = "{file} was already round {earlier}'s evidence ({run})"
ROUND_REUSED_FIX = ("give round {round} its own evidence files (e.g. evidence/round-{round}/); "
                    "an earlier round's evidence stays as it was examined")
COMPARISON_WITHHELD = (
    "The comparison with the earlier run ({run}) is not shown: {why}, so a change between "
    "the two could reveal what those people said or did. Each run's own report stands.")


def finished(folder: Path) -> list[tuple[Path, dict, dict]]:
    """Every finished run of the folder: (run folder, its results, its manifest), oldest
    first. Unreadable runs are left out (validate reports on the folder, not on them)."""
    found = []
    for manifest in sorted(Path(folder, RUNS_DIR).glob(f"[0-9]*/{MANIFEST_FILE}")):
        try:
            found.append((manifest.parent,
                          json.loads((manifest.parent / "results.json").read_text("utf-8")),
                          json.loads(manifest.read_text("utf-8"))))
        except (OSError, ValueError):
            continue
    return found


def round_of(results: dict) -> int:
    return int((results.get("project") or {}).get("round") or 1)


def round_problems(evaluation, evidence_inputs: dict[str, str]) -> list[Problem]:
    """A round's evidence changed after it was run, or an earlier round's evidence read
    again by a later round. Only for an evaluation examined in rounds ('round:' set): one
    without can correct its evidence and run again, as before."""
    if not evaluation.in_rounds:
        return []
    current = int(evaluation.project.get("round") or 1)
    # a survey tool's data dictionary describes the questionnaire, not anyone's answers:
    # rounds may share it (as long as it is not changed under a round already run)
    source = evaluation.survey_source
    shared = ({input_name(source.dictionary, evaluation.folder)}
              if source is not None and source.dictionary is not None else set())
    problems = Problems()
    for run, results, manifest in finished(evaluation.folder):
        used = {i["path"]: i["sha256"] for i in manifest.get("inputs", [])}
        earlier = round_of(results)
        for name, digest in sorted(evidence_inputs.items()):
            if name not in used:
                continue
            if earlier == current and used[name] != digest:
                problems.append(Problem(name, None, None, ROUND_CHANGED.format(
                    round=current, run=run.name, file=name),
                    ROUND_CHANGED_FIX.format(next=current + 1)))
            elif earlier < current and name not in shared:
                problems.append(Problem(name, None, None, ROUND_REUSED.format(
                    file=name, earlier=earlier, run=run.name),
                    ROUND_REUSED_FIX.format(round=current)))
    # the previous round's responses are read by this round's report: checked now, before
    # anything runs
    earlier = [run for run, results, _ in finished(evaluation.folder)
               if round_of(results) == current - 1]
    if earlier:
        try:
            load_responses(evaluation.folder, earlier[-1])
        except InvalidInputError as exc:
            problems += Problems.of(exc)
    unique = {(p.file, p.what): p for p in problems}
    return list(unique.values())


def previous_run(folder: Path, run_folder: Path) -> Path | None:
    """What a run is compared with: the latest run of the previous round; in round 1, the
    latest run before it."""
    runs = finished(folder)
    mine = next((r for r in runs if r[0].name == run_folder.name), None)
    current = round_of(mine[1]) if mine else 1
    if current > 1:
        earlier = [r for r, results, _ in runs if round_of(results) == current - 1]
    else:
        earlier = [r for r, _, _ in runs if r.name < run_folder.name]
    return earlier[-1] if earlier else None


def comparison_withheld(run_folder: Path, previous: Path) -> str:
    """Why the app must not compare this run with an earlier one ("" when it may)."""
    try:
        smallest = json.loads((run_folder / "results.json").read_text("utf-8"))[
            "privacy"]["min_group_size"]
    except (OSError, ValueError, KeyError, TypeError):
        smallest = None
    return withheld_between(run_folder / PROVENANCE_FILE, previous / PROVENANCE_FILE,
                            smallest, previous.name)


def withheld_between(now_file: Path, then_file: Path, smallest: int | None, name: str) -> str:
    """A change between two runs that differ by a few people is a change those few people
    made: it is withheld when any group's (or the records') membership differs by at least
    one person but fewer than the evaluation's minimum group size."""
    try:
        now, then = (json.loads(path.read_text("utf-8"))["people"]
                     for path in (now_file, then_file))
    except (OSError, ValueError, KeyError, TypeError):
        return COMPARISON_WITHHELD.format(
            run=name, why="the earlier run does not record whose evidence it used")
    if smallest is None:
        return COMPARISON_WITHHELD.format(run=name, why="the run's privacy settings are unknown")
    if now.get("key") != then.get("key"):
        return COMPARISON_WITHHELD.format(
            run=name, why="the two runs' records of whose evidence they used cannot "
                          "be matched (runs/.people-key was replaced)")
    for part in sorted(set(now) | set(then)):
        differ = len(set(now.get(part, ())) ^ set(then.get(part, ())))
        if 0 < differ < smallest:
            return COMPARISON_WITHHELD.format(
                run=name, why=f"the two runs differ by fewer than {smallest} people")
    return ""
