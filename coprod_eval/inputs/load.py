"""The evaluation folder: ``evaluation.yaml`` read, checked and turned into an Evaluation."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..base.errors import InvalidInputError, Problem, Problems
from ..base.folderformat import EVALUATION_FILE, RETIRED, format_of, read_retired, undeclared_sides
from ..base.frozen import FrozenDict
from ..base.paths import input_name, schema
from ..base.tables import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_FILE_MB,
    MAX_UNPACKED_MB,
    ReadOptions,
    decode,
    read_bytes,
    recording_reads,
)
from ..base.yamlfile import read_yaml, schema_problems
from ..yardsticks.framework import Framework, load_framework, resolve_framework
from ..yardsticks.instrument import Instrument, builtin_instrument_path, load_instrument
from ..yardsticks.plan import load_plan
from ..yardsticks.sides import PARTNER
from .declared import (
    coproduced_problems,
    room_problems,
)
from .groups import group_problems, reference_group
from .ledger import QUOTE_APPROVALS, WITHDRAWALS, approvals, read_ledger, withdrawn_ids
from .survey.mapping import SurveySource, parse_source

DEFAULT_SEED = 20091201
DEFAULT_PERMUTATIONS = 20000
DEFAULT_MIN_GROUP = 8  # NHS practice: statistics over 1–7 people are suppressed
DEFAULT_ROUND_TO = 5  # NHS practice: other counts rounded to the nearest 5

NO_FOLDER = "the evaluation folder does not exist"
NO_FOLDER_FIX = "check the path, or create one with: coprod-eval init DIR"
NO_FILE = "evaluation.yaml is missing"
NO_FILE_FIX = "create it with: coprod-eval init DIR (it writes a commented template)"
MISSING_EVIDENCE = "evidence file '{value}' does not exist"
MISSING_EVIDENCE_FIX = "put the file there or correct the path (relative to the evaluation folder)"
NO_STREAMS = "no evidence stream is configured"
NO_STREAMS_FIX = "add at least one stream, e.g. 'evidence: survey: file: evidence/survey.csv'"
BUDGET_OVER = "the budget under joint control is larger than the whole budget"
BUDGET_OVER_FIX = "check budget_total and budget_joint_control (same currency, whole project)"
UNKNOWN_PRINCIPLE = "'{value}' is not a principle of the framework"
UNKNOWN_RATING = "'{value}' is not a rating of the framework"
OUTSIDE_FOLDER = "'{value}' points outside the evaluation folder"
OUTSIDE_FOLDER_FIX = "keep evidence inside the evaluation folder (e.g. evidence/...)"


@dataclass(frozen=True)
class Group:
    """One group of people whose voices the evaluation hears (staff, partners, carers…)."""

    id: str  # its key in evaluation.yaml
    code: str  # value in the evidence's group column
    label: str  # shown in reports
    # "staff" (employed to run the service) or "partner" (lived experience, carers,
    # community): which wording of the instrument they answer, and how records count them
    side: str = PARTNER
    invited: int | None = None  # invited to the survey, for the response rate


@dataclass(frozen=True)
class Evaluation:
    """A checked evaluation.yaml with its framework and instrument loaded."""

    folder: Path
    project: dict = field(hash=False)
    framework: Framework
    instrument: Instrument
    claimed_level: str
    groups: tuple[Group, ...]
    survey_file: Path | None
    stream_files: Mapping[str, Path] = field(hash=False)
    budget: tuple[float, float] | None
    overrides: Mapping[str, tuple[str, str]] = field(hash=False)  # principle → (rating, reason)
    framework_file: Path
    instrument_file: Path
    seed: int
    permutations: int  # random splits for a permutation test (when exact is unaffordable)
    min_group_size: int
    round_to: int  # counts of people that leave a run are rounded to this
    # names to redact from free text; never printed or written anywhere
    roster: tuple[str, ...] = field(default=(), repr=False)
    roster_file: Path | None = None
    # how each stream's file is read (encoding, delimiter, sheet); the survey's mapping
    read_options: Mapping[str, ReadOptions] = field(default_factory=dict, hash=False)
    survey_source: SurveySource | None = field(default=None, hash=False)
    sign_off: Mapping[str, str] | None = field(default=None, hash=False)
    inputs: Mapping[str, str] = field(default_factory=dict, hash=False)  # name → sha256 read
    withdrawn: frozenset[str] = frozenset()  # pseudonyms of people who withdrew
    quote_approvals: Mapping[str, dict] = field(default_factory=dict, hash=False)
    plan: Mapping[str, Any] | None = field(default=None, hash=False)  # plan.yaml, checked
    # examined in rounds ('round:' in evaluation.yaml): each round's evidence fixed once run
    in_rounds: bool = False
    # who shaped the evaluation itself (roles per task) and the partners' sense-making step
    coproduced: Mapping[str, Any] | None = field(default=None, hash=False)
    # the partners in aggregate (counts per category) beside the population served
    room: Mapping[str, Any] | None = field(default=None, hash=False)

    reference_group: str | None = None  # the group every other is compared with
    # what was read from an earlier release's format, and how (folderformat)
    upgraded: tuple[str, ...] = ()

    def group(self, group_id: str) -> Group:
        return next(g for g in self.groups if g.id == group_id)

    @property
    def compared(self) -> tuple[tuple[str, str], ...]:
        """(group, reference group) pairs: every other group against the reference."""
        if self.reference_group is None:
            return ()
        return tuple((g.id, self.reference_group) for g in self.groups
                     if g.id != self.reference_group)


def load_evaluation(folder: str | Path, *, seed: int = -1,
                    permutations: int = -1) -> Evaluation:
    """Read ``folder/evaluation.yaml``; raise InvalidInputError listing every problem.

    ``seed`` and ``permutations`` override the file's values when not -1. The result records
    the sha256 of every file it read (evaluation.yaml, framework, instrument, roster).
    """
    with recording_reads() as reads:
        evaluation = _load_evaluation(Path(folder), seed, permutations)
    return dataclasses.replace(evaluation, inputs=FrozenDict(
        {input_name(path, evaluation.folder): digest for path, digest in reads.items()}))


def _load_evaluation(folder: Path, seed: int, permutations: int) -> Evaluation:
    folder = Path(folder)
    if not folder.is_dir():
        raise InvalidInputError([Problem(str(folder), None, None, NO_FOLDER, NO_FOLDER_FIX)])
    path = folder / EVALUATION_FILE
    if not path.is_file():
        raise InvalidInputError([Problem(EVALUATION_FILE, None, None, NO_FILE, NO_FILE_FIX)])
    doc = read_yaml(path, EVALUATION_FILE)
    retired, upgraded = _retired(doc, folder)
    sides = undeclared_sides(doc.data)
    upgraded += _sides_note(sides, folder)
    problems = Problems() + retired
    problems += schema_problems(doc, schema("evaluation"))
    if problems:
        raise InvalidInputError(problems)
    data = doc.data

    survey = (data.get("evidence") or {}).get("survey")
    framework, framework_path, instrument, instrument_path = _yardsticks(doc, folder, problems)
    plan = load_plan(folder, framework, problems)
    problems += coproduced_problems(doc, data.get("coproduced"), int(data.get("round") or 1))
    problems += room_problems(doc, data.get("who_is_in_the_room"))
    _check_claimed_level(doc, framework, problems)
    groups = tuple(Group(key, entry["code"], entry["label"],
                         entry.get("side") or sides[key],
                         entry.get("invited"))
                   for key, entry in data["groups"].items())
    problems += group_problems(doc, groups)
    reference, found = reference_group(doc, data, groups)
    problems += found
    survey_file = None
    evidence = data.get("evidence") or {}
    limits = limits_of(data)
    read_options = {stream: ReadOptions(encoding=entry.get("encoding", "auto"),
                                        delimiter=entry.get("delimiter", "auto"),
                                        sheet=entry.get("sheet"),
                                        header_row=int(entry.get("header_row", 1)),
                                        **limits)
                    for stream, entry in evidence.items()}
    stream_files = {stream: path for stream, entry in sorted(evidence.items())
                    if stream != "survey" and (path := _existing(
                        folder, entry["file"], doc, problems, ("evidence", stream, "file")))}
    budget = _budget(doc, evidence.get("resources") or {}, problems)
    overrides = _overrides(doc, framework, data.get("overrides") or {}, problems)
    privacy = data.get("privacy") or {}
    roster_file, roster = _roster(doc, folder, privacy, problems)
    try:
        withdrawals = _ledger(folder, WITHDRAWALS)
        approved = approvals(_ledger(folder, QUOTE_APPROVALS))
    except InvalidInputError as exc:
        raise InvalidInputError(problems + Problems.of(exc)) from None
    if not evidence:
        problems.append(doc.problem(("evidence",), NO_STREAMS, NO_STREAMS_FIX))
    elif survey:
        survey_file = _existing(folder, survey["file"], doc, problems,
                                ("evidence", "survey", "file"))
    survey_source = _survey_source(doc, folder, survey, survey_file, read_options, instrument,
                                   groups, problems) if survey else None
    if problems:
        raise InvalidInputError(problems)

    analysis = data.get("analysis") or {}
    return Evaluation(
        folder=folder,
        project={**{k: data["project"].get(k) for k in
                    ("id", "name", "organisation", "evaluator", "description")},
                 "round": int(data.get("round", 1))},
        framework=framework,
        instrument=instrument,
        claimed_level=data["claimed_level"],
        groups=groups,
        reference_group=reference,
        survey_file=survey_file,
        stream_files=FrozenDict(stream_files),
        budget=budget,
        overrides=FrozenDict(overrides),
        framework_file=framework_path,
        instrument_file=instrument_path,
        seed=seed if seed >= 0 else int(analysis.get("seed", DEFAULT_SEED)),
        permutations=(permutations if permutations > 0
                      else int(analysis.get("permutations", DEFAULT_PERMUTATIONS))),
        sign_off=dict(data["sign_off"]) if data.get("sign_off") else None,
        min_group_size=int(privacy.get("min_group_size", DEFAULT_MIN_GROUP)),
        round_to=int(privacy.get("round_to", DEFAULT_ROUND_TO)),
        roster=roster,
        roster_file=roster_file,
        read_options=FrozenDict(read_options),
        survey_source=survey_source,
        withdrawn=withdrawn_ids(withdrawals),
        quote_approvals=FrozenDict(approved),
        plan=plan,
        in_rounds="round" in data,
        coproduced=data.get("coproduced"),
        room=data.get("who_is_in_the_room"),
        upgraded=upgraded + framework.upgraded,
    )


def _yardsticks(doc, folder: Path, problems) -> tuple:
    """The framework (with its ladder) and the instrument, each from the folder, a shared
    path or the built-in files: (framework, its path, instrument, its path)."""
    data = doc.data
    survey = (data.get("evidence") or {}).get("survey")
    instrument, instrument_path = None, None
    try:
        if survey and survey.get("instrument"):
            instrument_path = _existing(folder, survey["instrument"], doc, problems,
                                        ("evidence", "survey", "instrument"))
            if instrument_path is not None:
                instrument = load_instrument(instrument_path, survey["instrument"])
        framework_path = resolve_framework(data["framework"], folder)
        framework = load_framework(data["framework"], instrument=instrument, base=folder,
                                   ladder=data.get("ladder"))
        if instrument is None:
            instrument_path = builtin_instrument_path(framework.instrument)
            instrument = load_instrument(instrument_path)
    except InvalidInputError as exc:
        raise InvalidInputError(problems + Problems.of(exc)) from None
    return framework, framework_path, instrument, instrument_path


def _check_claimed_level(doc, framework, problems) -> None:
    level_ids = [level.id for level in framework.levels]
    claimed = doc.data["claimed_level"]
    if claimed not in level_ids:
        problems.append(doc.problem(("claimed_level",),
                                    f"'{claimed}' is not a level of the ladder "
                                    f"'{framework.ladder.id}'",
                                    "use one of: " + ", ".join(level_ids)))


def _budget(doc, resources: dict, problems) -> tuple[float, float] | None:
    """The project's budget and the part under joint control (None when not declared)."""
    if resources.get("budget_total") is None:
        return None
    budget = (float(resources["budget_total"]), float(resources.get("budget_joint_control") or 0))
    if budget[1] > budget[0]:
        problems.append(doc.problem(("evidence", "resources", "budget_joint_control"),
                                    BUDGET_OVER, BUDGET_OVER_FIX))
    return budget


def _overrides(doc, framework, given: dict, problems) -> dict:
    """The evaluator's overridden ratings, principle → (rating, reason), each checked."""
    overrides = {}
    rating_ids = [r.id for r in framework.ratings]
    principle_ids = [p.id for p in framework.principles]
    for principle, entry in given.items():
        if principle not in principle_ids:
            problems.append(doc.problem(("overrides", principle), UNKNOWN_PRINCIPLE.format(
                value=principle), "use one of: " + ", ".join(principle_ids)))
        elif entry["rating"] not in rating_ids:
            problems.append(doc.problem(("overrides", principle, "rating"), UNKNOWN_RATING.format(
                value=entry["rating"]), "use one of: " + ", ".join(rating_ids)))
        else:
            overrides[principle] = (entry["rating"], " ".join(entry["reason"].split()))
    return overrides


def _roster(doc, folder: Path, privacy: dict, problems) -> tuple:
    """The roster file (names de-identification masks) and its names, one a line."""
    if not privacy.get("roster"):
        return None, ()
    roster_file = _existing(folder, privacy["roster"], doc, problems, ("privacy", "roster"))
    if roster_file is None:
        return None, ()
    try:
        text = decode(read_bytes(roster_file, privacy["roster"]), privacy["roster"])[0]
    except InvalidInputError as exc:
        raise InvalidInputError(problems + Problems.of(exc)) from None
    return roster_file, tuple(line.strip() for line in text.splitlines()
                              if line.strip() and not line.lstrip().startswith("#"))


def _survey_source(doc, folder: Path, survey: dict, survey_file, read_options, instrument,
                   groups, problems):
    """How the survey export is read (its tool's layout, answer map and groups)."""
    dictionary = None
    if survey.get("dictionary"):
        dictionary = _existing(folder, survey["dictionary"], doc, problems,
                               ("evidence", "survey", "dictionary"))
    source, found = parse_source(survey, doc.lines, survey_file or folder / survey["file"],
                                 survey["file"], read_options["survey"], dictionary,
                                 (instrument, [g.code for g in groups]))
    problems += found
    return source


def _ledger(folder: Path, name: str) -> list[dict]:
    """A record file's entries, read (and so recorded for the manifest) like any input."""
    path = folder / name
    if not path.is_file():
        return []
    text = decode(read_bytes(path, name), name)[0]
    return read_ledger(folder, name, text)


def limits_of(data: dict) -> dict:
    """The reading limits evaluation.yaml sets (limits:), with the defaults for the rest."""
    limits = data.get("limits") or {}
    return {"max_file_mb": float(limits.get("max_file_mb", MAX_FILE_MB)),
            "max_unpacked_mb": float(limits.get("max_unpacked_mb", MAX_UNPACKED_MB)),
            "max_columns": int(limits.get("max_columns", MAX_COLUMNS)),
            "max_cells": int(limits.get("max_cells", MAX_CELLS))}


def _retired(doc, folder: Path) -> tuple[list[Problem], tuple[str, ...]]:
    """Fields an earlier release used (folderformat.RETIRED): read and ignored, with a note,
    in a file of an earlier format; a mistake in a file that says it is of today's."""
    version = format_of(doc.data)
    problems, notes = [], []
    lines = {path: doc.line(path) for path in RETIRED}
    for path, since, why in read_retired(doc.data if isinstance(doc.data, dict) else {}):
        name = ".".join(path)
        if version < since:
            notes.append(f"{EVALUATION_FILE}:{lines[path]}: {name} is from an earlier release "
                         f"and is ignored — {why}. 'coprod-eval upgrade {folder}' writes the "
                         "file in today's form")
        else:
            problems.append(doc.problem(path, f"'{name}' is no longer used: {why}",
                                        "remove this line"))
    return problems, tuple(notes)


def _sides_note(sides: dict[str, str], folder: Path) -> tuple[str, ...]:
    """The note for groups of an earlier format read without a side."""
    if not sides:
        return ()
    read = ", ".join(f"{key} as {side}" for key, side in sides.items())
    return (f"{EVALUATION_FILE}: groups without side: are read as earlier releases read them, "
            f"by their key ({read}); 'coprod-eval upgrade {folder}' writes each side into the "
            "file",)


def _existing(folder: Path, relative: str, doc, problems: list[Problem], path) -> Path | None:
    """The file ``relative`` names inside the folder, or None with the problem recorded."""
    found = _inside(folder, relative, doc, problems, path)
    if found is not None and not found.is_file():
        problems.append(doc.problem(path, MISSING_EVIDENCE.format(value=relative),
                                    MISSING_EVIDENCE_FIX))
        return None
    return found


def _inside(folder: Path, relative: str, doc, problems: list[Problem], path) -> Path | None:
    candidate = (folder / relative).resolve()
    if not candidate.is_relative_to(folder.resolve()):
        problems.append(doc.problem(path, OUTSIDE_FOLDER.format(value=relative),
                                    OUTSIDE_FOLDER_FIX))
        return None
    return folder / relative
