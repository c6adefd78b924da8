"""Evidence streams, read and validated at the boundary.

Survey evidence is a long table, one row per answer: ``respondent_id, group, item_id,
response``. The response is a label from the instrument's scale ("Strongly agree") or its
code; "Don't know" and blanks are missing, never the neutral point. Validation uses pandera
with every failure collected, and each becomes a ``file:row:column: what — fix`` line, rows
numbered as a spreadsheet shows them (the header is row 1).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pandera.pandas as pa

from ..base.errors import InvalidInputError, Problem, Problems
from ..base.frozen import FrozenDict
from ..base.identity import collision_problems, normalise_id
from ..base.paths import input_name
from ..base.readtable import read_raw
from ..base.tables import (
    LOOKS_LIKE_FORMULA,
    LOOKS_LIKE_FORMULA_FIX,
    ReadOptions,
    duplicate_headers,
    looks_like_formula,
    recording_reads,
    short,
)
from ..yardsticks.instrument import Instrument, normalise
from ..yardsticks.streams import RECORD_STREAMS
from .load import Evaluation
from .records import convert, validate_table
from .rounds import round_problems
from .survey.formats import TOOL_NAMES
from .survey.read import import_survey, sort_problems

SURVEY_COLUMNS = ("respondent_id", "group", "item_id", "response")

NO_ROWS = "the file has a header but no answers"
NO_ROWS_FIX = "add one row per answer below the header"
MISSING_COLUMN = "required column '{column}' is missing"
MISSING_COLUMN_FIX = "add a '{column}' column; the header must be: " + ",".join(SURVEY_COLUMNS)
UNKNOWN_COLUMN = "column '{column}' is not part of the survey layout"
UNKNOWN_COLUMN_FIX = "remove it or rename it to one of: " + ", ".join(SURVEY_COLUMNS)
BLANK_ID = "respondent_id is blank"
BLANK_ID_FIX = "give every row the pseudonymous id of the person who answered"
UNKNOWN_GROUP = "'{value}' is not a group of this evaluation"
UNKNOWN_GROUP_FIX = "use {allowed} (set in evaluation.yaml under groups)"
UNKNOWN_ITEM = "'{value}' is not an item of the instrument '{instrument}'"
UNKNOWN_ITEM_FIX = "use an item id from the instrument (e.g. {example})"
UNKNOWN_RESPONSE = "'{value}' is not an answer on the response scale"
UNKNOWN_RESPONSE_FIX = ("use a label ({labels}), a code {low}–{high}, "
                        "or leave it blank / \"Don't know\" when there is no answer")
DUPLICATE_ANSWER = "respondent '{value}' answers item '{item}' more than once"
DUPLICATE_ANSWER_FIX = "keep one answer per respondent and item"
TWO_GROUPS = "respondent '{value}' appears in more than one group"
TWO_GROUPS_FIX = "put each respondent in one group only"


@dataclass(frozen=True)
class SurveyEvidence:
    """Survey answers as a respondents × items matrix of codes (0 = missing).

    Codes of reverse-keyed items are already reversed. Respondent ids stay inside this
    object: no result or report ever carries them.
    """

    items: tuple[str, ...]
    codes: np.ndarray = field(repr=False)  # int8, shape (respondents, items)
    roles: np.ndarray = field(repr=False)  # int8: each respondent's group (see group_ids)
    scale: tuple[int, ...]
    agree: tuple[int, ...]
    respondent_ids: np.ndarray = field(repr=False, compare=False)

    # the evaluation's group ids: a respondent's entry in ``roles`` is an index into them
    group_ids: tuple[str, ...]

    def role_mask(self, group_id: str) -> np.ndarray:
        """Which respondents belong to the group."""
        return self.roles == self.group_ids.index(group_id)


@dataclass(frozen=True)
class Evidence:
    """Every evidence stream of one evaluation; a stream that was not supplied is absent.

    ``records`` holds the record-based streams (attendance, decisions, …) as typed tables;
    pseudonyms in them stay inside this object.
    """

    survey: SurveyEvidence | None
    records: Mapping[str, pd.DataFrame] = field(default_factory=lambda: FrozenDict({}))
    budget: tuple[float, float] | None = None  # (total, under joint control)
    # what reading the files involved (formats, duplicates left out, unfinished responses)
    notes: tuple[str, ...] = ()
    inputs: Mapping[str, str] = field(default_factory=dict)  # file → sha256 of what was read

    @property
    def streams(self) -> dict[str, bool]:
        present = {"survey": self.survey is not None}
        present.update({name: name in self.records for name in RECORD_STREAMS})
        return present

    def rows(self, stream: str) -> int:
        if stream == "survey":
            return 0 if self.survey is None else len(self.survey.roles)
        return len(self.records[stream]) if stream in self.records else 0


def load_evidence(evaluation: Evaluation) -> Evidence:
    """Read and validate every configured stream; raise with all problems at once.

    The result records the sha256 of every evidence file exactly as it was read and parsed.
    """
    with recording_reads() as reads:
        evidence = _load_evidence(evaluation)
    inputs = {input_name(path, evaluation.folder): digest for path, digest in reads.items()}
    problems = round_problems(evaluation, inputs)  # a round's evidence is fixed once run
    if problems:
        raise InvalidInputError(problems)
    return dataclasses.replace(evidence, inputs=FrozenDict(inputs))


def _load_evidence(evaluation: Evaluation) -> Evidence:
    problems = Problems()
    notes: list[str] = list(evaluation.upgraded)  # read from an earlier release's format
    survey = None
    if evaluation.survey_file is not None:
        try:
            survey = load_survey(evaluation, notes)
        except InvalidInputError as exc:
            problems += Problems.of(exc)
        else:
            problems += _invited_problems(evaluation, survey)
    records = {}
    for stream, path in evaluation.stream_files.items():
        spec = RECORD_STREAMS[stream]
        name = path.relative_to(evaluation.folder).as_posix()
        try:
            table, found = read_table(path, name, evaluation.read_options[stream])
        except InvalidInputError as exc:
            problems += Problems.of(exc)
            continue
        found += validate_table(spec, table, evaluation, name)
        if found:
            problems += found
        else:
            records[stream] = convert(spec, table, evaluation)
    if problems:
        raise InvalidInputError(problems)
    evidence = Evidence(survey=survey, records=FrozenDict(records),
                        budget=evaluation.budget, notes=tuple(notes))
    return without_withdrawn(evidence, evaluation.withdrawn)


def without_withdrawn(evidence: Evidence, withdrawn: frozenset[str]) -> Evidence:
    """The evidence with every person who withdrew left out (their answers, attendance,
    payment records and words), and a note saying how many withdrew."""
    if not withdrawn:
        return evidence
    survey = evidence.survey
    if survey is not None:
        keep = ~np.isin(survey.respondent_ids, list(withdrawn))
        survey = dataclasses.replace(survey, codes=survey.codes[keep], roles=survey.roles[keep],
                                     respondent_ids=survey.respondent_ids[keep])
    records = {}
    for stream, table in evidence.records.items():
        people = [c.name for c in RECORD_STREAMS[stream].columns if c.person]
        keep = np.ones(len(table), dtype=bool)
        for column in people:
            keep &= ~table[column].isin(withdrawn).to_numpy()
        records[stream] = table[keep]
    note = (f"{len(withdrawn)} person(s) withdrew (withdrawals.yaml): everything of theirs is "
            "left out of this run")
    return dataclasses.replace(evidence, survey=survey, records=FrozenDict(records),
                               notes=(*evidence.notes, note))


def read_table(path, display_name: str, options: ReadOptions = ReadOptions()
               ) -> tuple[pd.DataFrame, list[Problem]]:
    """A CSV or XLSX table as strings, outer spaces trimmed, nothing guessed or read as NaN.

    The index is the row number a spreadsheet shows (the header is row 1), so problems can
    point at the right row even when blank rows are skipped.
    """
    raw = read_raw(path, display_name, options)
    problems = Problems() + raw.problems + duplicate_headers(raw)
    return raw.frame(), problems


def normalised(series: pd.Series) -> pd.Series:
    """``normalise`` applied to each distinct answer once (a survey repeats a few labels)."""
    distinct = pd.unique(series)
    return series.map(dict(zip(distinct, map(normalise, distinct))))


def survey_schema(evaluation: Evaluation) -> pa.DataFrameSchema:
    instrument = evaluation.instrument
    group_codes = [g.code for g in evaluation.groups]
    lookup = instrument.response_lookup()
    return pa.DataFrameSchema(
        {
            "respondent_id": pa.Column(str, [
                pa.Check(lambda s: s != "", name="blank_id"),
                pa.Check(lambda s: ~s.map(looks_like_formula), name="formula")]),
            "group": pa.Column(str, pa.Check(lambda s: s.isin(group_codes),
                                             name="unknown_group")),
            "item_id": pa.Column(str, pa.Check(lambda s: s.isin(instrument.item_ids),
                                               name="unknown_item")),
            "response": pa.Column(str, pa.Check(lambda s: normalised(s).isin(lookup),
                                                name="unknown_response")),
        },
        strict=True,
        unique=["respondent_id", "item_id"],
        report_duplicates="exclude_first",
    )


MORE_THAN_INVITED = ("{answered} people of group '{group}' answered the survey, but "
                     "groups.{group}.invited says {invited} were invited")
MORE_THAN_INVITED_FIX = ("set invited to how many were asked in this round (or null if not "
                         "known): a response rate over 100% is a sign the number is out of date")


def _invited_problems(evaluation: Evaluation, survey) -> list[Problem]:
    """A group cannot have more respondents than it had people invited."""
    problems = Problems()
    for group in evaluation.groups:
        answered = int(survey.role_mask(group.id).sum())
        if group.invited and answered > group.invited:
            problems.append(Problem("evaluation.yaml", None, f"groups.{group.id}.invited",
                                    MORE_THAN_INVITED.format(answered=answered, group=group.id,
                                                             invited=group.invited),
                                    MORE_THAN_INVITED_FIX))
    return problems


def load_survey(evaluation: Evaluation, notes: list[str] | None = None) -> SurveyEvidence:
    path = evaluation.survey_file
    name = path.relative_to(evaluation.folder).as_posix()
    source = evaluation.survey_source
    if source is not None and source.spec.layout.mapped:
        imported = import_survey(source, evaluation)
        problems = imported.problems
        if not problems:
            found = _survey_problems(imported.table, evaluation, name)
            problems = Problems() + [imported.locate(p, name) for p in found]
            problems.dropped.update(getattr(found, "dropped", {}))
        if problems:
            raise InvalidInputError(sort_problems(problems))
        if notes is not None:
            notes.append(f"{name}: read as {TOOL_NAMES[source.format]}: "
                         f"{imported.table['respondent_id'].nunique()} respondent(s), "
                         f"{len(imported.table)} answer(s)")
            notes += imported.notes
        return _to_matrix(imported.table, evaluation)
    table, problems = read_table(path, name, evaluation.read_options.get("survey",
                                                                        ReadOptions()))
    problems += _survey_problems(table, evaluation, name)
    problems.sort(key=lambda p: (p.row or 0, SURVEY_COLUMNS.index(p.column)
                                 if p.column in SURVEY_COLUMNS else 99))
    if problems:
        raise InvalidInputError(problems)
    return _to_matrix(table, evaluation)


def _survey_problems(table: pd.DataFrame, evaluation: Evaluation, name: str) -> list[Problem]:
    missing = [c for c in SURVEY_COLUMNS if c not in table.columns]
    if missing:
        return [Problem(name, 1, c, MISSING_COLUMN.format(column=c), MISSING_COLUMN_FIX.format(
            column=c)) for c in missing]
    if table.empty:
        return [Problem(name, 2, None, NO_ROWS, NO_ROWS_FIX)]
    problems = Problems()
    try:
        survey_schema(evaluation).validate(table, lazy=True)
    except pa.errors.SchemaErrors as exc:
        problems += _from_failures(exc.failure_cases, table, evaluation, name)
    problems += collision_problems(table["respondent_id"], table.index, name, "respondent_id")
    first_group = table.groupby("respondent_id")["group"].transform("first")
    switched = table[(first_group != table["group"]) & (table["respondent_id"] != "")]
    for rid, rows in switched.groupby("respondent_id", sort=False):
        problems.append(Problem(name, int(rows.index[0]), "group", TWO_GROUPS.format(value=rid),
                                TWO_GROUPS_FIX))
    return problems


def _from_failures(failures: pd.DataFrame, table: pd.DataFrame, evaluation: Evaluation,
                   name: str) -> list[Problem]:
    """One problem per failed survey check, worded by the check's entry in ``messages``."""
    instrument: Instrument = evaluation.instrument
    labels = ", ".join(f'"{label}"' for _, label in instrument.codes)
    allowed_groups = " or ".join(f"'{g.code}'" for g in evaluation.groups)

    def duplicate(row, column, value, index):
        if column != "respondent_id":  # the same pair fails once per column: report it once
            return None
        item = table.loc[int(index), "item_id"]
        return Problem(name, row, "item_id", DUPLICATE_ANSWER.format(value=value, item=item),
                       DUPLICATE_ANSWER_FIX)

    def unknown_column(row, column, value, index):
        return Problem(name, 1, str(value), UNKNOWN_COLUMN.format(column=value),
                       UNKNOWN_COLUMN_FIX)

    messages = {  # check name → (row, column, value, index) → Problem or None
        "column_in_dataframe": unknown_column,
        "column_in_schema": unknown_column,
        "blank_id": lambda row, column, value, index: Problem(
            name, row, column, BLANK_ID, BLANK_ID_FIX),
        "formula": lambda row, column, value, index: Problem(
            name, row, column, LOOKS_LIKE_FORMULA.format(value=short(str(value), 40)),
            LOOKS_LIKE_FORMULA_FIX),
        "unknown_group": lambda row, column, value, index: Problem(
            name, row, column, UNKNOWN_GROUP.format(value=value),
            UNKNOWN_GROUP_FIX.format(allowed=allowed_groups)),
        "unknown_item": lambda row, column, value, index: Problem(
            name, row, column, UNKNOWN_ITEM.format(value=value, instrument=instrument.id),
            UNKNOWN_ITEM_FIX.format(example=", ".join(instrument.item_ids[:3]))),
        "unknown_response": lambda row, column, value, index: Problem(
            name, row, column, UNKNOWN_RESPONSE.format(value=value),
            UNKNOWN_RESPONSE_FIX.format(labels=labels, low=instrument.lowest,
                                        high=instrument.highest)),
        "multiple_fields_uniqueness": duplicate,
    }

    def undeclared(row, column, value, index):  # still reported, plainly
        return Problem(name, row, column, f"failed check {index!r} on {value!r}",
                       "correct the value")

    problems = Problems()
    for failure in failures.itertuples(index=False):
        row = None if pd.isna(failure.index) else int(failure.index)
        make = messages.get(failure.check)
        problem = (make(row, failure.column, failure.failure_case, failure.index) if make
                   else undeclared(row, failure.column, failure.failure_case, failure.check))
        if problem is not None:
            problems.append(problem)
    return problems


def reverse_codes(codes: np.ndarray, lowest: int, highest: int) -> np.ndarray:
    """Reverse-key answers (1<->5, 2<->4 on a 1-5 scale); missing (0) stays missing."""
    return np.where(codes > 0, lowest + highest - codes, 0).astype(codes.dtype)


def _to_matrix(table: pd.DataFrame, evaluation: Evaluation) -> SurveyEvidence:
    instrument = evaluation.instrument
    lookup = instrument.response_lookup()
    items = instrument.item_ids
    ids = table["respondent_id"].map(normalise_id).to_numpy(dtype=str)
    respondent_ids, respondent_index = np.unique(ids, return_inverse=True)
    item_index = pd.Index(items).get_indexer(table["item_id"])
    codes = np.zeros((len(respondent_ids), len(items)), dtype=np.int8)
    answer = normalised(table["response"]).map(lookup).to_numpy(dtype=np.int8)
    codes[respondent_index, item_index] = answer
    reverse = np.array([item.reverse for item in instrument.items])
    codes[:, reverse] = reverse_codes(codes[:, reverse], instrument.lowest + instrument.offset,
                                      instrument.highest + instrument.offset)
    index_of_code = {g.code: i for i, g in enumerate(evaluation.groups)}
    first_row = np.unique(respondent_index, return_index=True)[1]
    roles = np.array([index_of_code[g] for g in table["group"].to_numpy()[first_row]],
                     dtype=np.int8)
    return SurveyEvidence(items=items, codes=codes, roles=roles,
                          scale=instrument.internal_scale, agree=instrument.internal_agree,
                          respondent_ids=respondent_ids,
                          group_ids=tuple(g.id for g in evaluation.groups))
