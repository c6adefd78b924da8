"""Survey answers from the exports evaluators really have.

evaluation.yaml says which tool wrote the file (``format``) and maps it onto the
instrument: which column holds the respondent id, which the group (and which answers mean
which group), which column answers which item, and which extra answer texts mean which
scale point. Supported:

- ``coprod``: our own long template (respondent_id, group, item_id, response);
- ``long``: any one-row-per-answer table, columns named in the mapping;
- ``wide``: any one-row-per-respondent table, one column per item;
- ``microsoft_forms`` (xlsx), ``smartsurvey``, ``google_forms`` (``Question [Row]`` grid
  columns), ``qualtrics`` (three header rows; labels or numeric codes) and ``redcap`` (records
  plus the data dictionary that carries the choice labels): wide, with each tool's metadata
  columns and its way of marking unfinished responses known.

Every problem points at the cell of the original file (its spreadsheet row, and the
column's letter and header), never at an intermediate table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from ...base.errors import Problem, Problems
from ...base.identity import collision_problems, normalise_id
from ...base.readtable import read_raw
from ...base.tables import (
    LOOKS_LIKE_FORMULA,
    LOOKS_LIKE_FORMULA_FIX,
    RawTable,
    column_index,
    column_letter,
    looks_like_formula,
    short,
)
from ...yardsticks.instrument import normalise
from .answers import answer_map, cached_mapping, group_finder, unmapped_groups
from .columns import Columns
from .dictionary import choices_for, read_dictionary
from .formats import FORMATS
from .mapping import (
    ANSWER_UNKNOWN_FIX,
    BLANK_GROUP,
    BLANK_GROUP_FIX,
    BLANK_ID,
    BLANK_ID_FIX,
    MAPPED_AND_IGNORED,
    MAPPED_AND_IGNORED_FIX,
    NEEDS,
    NEEDS_FIX,
    NOT_RESPONDENT,
    SAME_COLUMN,
    SAME_COLUMN_FIX,
    SUBMITTED_AGAIN,
    SUBMITTED_AGAIN_FIX,
    TWO_ANSWERS,
    TWO_ANSWERS_FIX,
    UNACCOUNTED,
    UNACCOUNTED_FIX,
    SurveySource,
)

if TYPE_CHECKING:
    from ..load import Evaluation

@dataclass
class SurveyImport:
    """Answers in the long layout, each row remembering the cell it came from."""

    table: pd.DataFrame  # respondent_id, group, item_id, response; index = answer key
    cells: list[tuple[int, int]]  # answer key → (spreadsheet row, column index)
    notes: list[str]
    problems: list[Problem]
    columns: Columns | None = None  # names a column index as problems show it

    def locate(self, problem: Problem, name: str) -> Problem:
        """A problem found in the long answers, moved to the export's own cell."""
        if (problem.row is not None and 0 <= problem.row < len(self.cells) and problem.column
                in ("response", "item_id", "group", "respondent_id")):
            row, index = self.cells[problem.row]
            column = self.columns.label(index)
            fix = problem.fix
            if problem.column == "response":
                fix = ANSWER_UNKNOWN_FIX
            return Problem(name, row, column if problem.column == "response" else
                           problem.column, problem.what, fix)
        return problem


def sort_problems(problems) -> Problems:
    """evaluation.yaml first, then each file by row and by column as a spreadsheet orders them."""
    def key(p: Problem):
        letters = re.match(r"^([A-Z]{1,3})(?: \(|$)", p.column or "")
        column = column_index(letters.group(1)) if letters else -1
        return (p.file != "evaluation.yaml", p.file, p.row or 0, column)
    ordered = Problems() + problems  # what was only counted stays counted
    ordered.sort(key=key)
    return ordered


# --- reading -----------------------------------------------------------------------------

def import_survey(source: SurveySource, evaluation: Evaluation) -> SurveyImport:
    """Read the export and turn it into long answers; every problem collected."""
    raw = read_raw(source.file, source.name, source.read)
    problems = Problems() + raw.problems
    kind_problem = _kind_problem(raw, source)
    if kind_problem is not None:
        return SurveyImport(_empty(), [], [], [kind_problem])
    reader = _from_long if source.spec.layout.one_row_per_answer else _from_wide
    result = reader(raw, source, evaluation)
    result.problems = problems + result.problems
    return result


def _kind_problem(raw: RawTable, source: SurveySource) -> Problem | None:
    """A file only one format reads (an SPSS .sav) named as another format, or the other
    way round."""
    wanted = source.spec.file_kind
    reader = next((f for f in FORMATS.values() if f.file_kind and f.file_kind == raw.kind),
                  None)
    if wanted == raw.kind or (wanted is None and reader is None):
        return None
    file_, line, fld = source.where("format")
    if reader is not None:
        return Problem(file_, line, fld, f"{raw.name} is a {reader.name} file, read as format "
                       f"'{source.format}'", f"set format: {reader.id}")
    return Problem(file_, line, fld, f"format '{source.format}' reads {source.spec.name} files "
                   f"only, and {raw.name} is not one", "set the format of the tool that "
                   "wrote the file (coprod-eval init DIR --from FILE tells it)")


def _from_wide(raw: RawTable, source: SurveySource, evaluation: Evaluation) -> SurveyImport:
    problems = Problems()
    notes: list[str] = []
    labels, choices = ({}, {})
    if source.dictionary is not None:
        labels, choices = read_dictionary(source)
    columns = Columns(raw, source, labels)
    id_col, group_col, item_cols = _wide_columns(raw, source, columns, problems)
    if problems:
        return SurveyImport(_empty(), [], notes, problems)
    rows = _finished_rows(raw, columns, source, notes)
    identified = _identified(rows, raw, columns, id_col, source, problems, notes)
    records, cells = _wide_answers(identified, raw, source, evaluation, columns,
                                   (group_col, item_cols, choices), problems, notes)
    table = pd.DataFrame(records, columns=["respondent_id", "group", "item_id", "response"],
                         dtype=str)
    return SurveyImport(table, cells, notes, problems, columns)


def _wide_columns(raw: RawTable, source: SurveySource, columns, problems) -> tuple:
    """The id column (None: each row is a person), the group column and each item's
    columns; every column with answers accounted for."""
    if source.respondent_id == "":  # declared none: each row is one respondent
        id_col = None
    elif source.respondent_id:
        id_col = columns.find(source.respondent_id, ("respondent_id",), problems)
    else:
        id_col = columns.first_present(source.spec.id_columns)
        if source.spec.first_column_is_id and id_col is None:
            id_col = 0  # the tool's first column is the record id, whatever its name
    group_col = (columns.find(source.group_column, ("group", "column"), problems)
                 if source.group_column else None)
    item_cols: dict[str, list[int]] = {}
    for item, refs in source.items.items():
        for k, ref in enumerate(refs):
            path = ("items", item, k) if len(refs) > 1 else ("items", item)
            index = columns.find(ref, path, problems)
            if index is not None:
                item_cols.setdefault(item, []).append(index)
    for item, wordings in source.any_of.items():
        index = columns.find_any(wordings, ("items", item, "any_of"), problems)
        if index is not None:
            item_cols.setdefault(item, []).append(index)
    ignored = {columns.find(ref, ("ignore", k), problems) for k, ref in enumerate(source.ignore)}
    problems += _read_twice(source, columns, item_cols, ignored)
    used = {id_col, group_col, *ignored, *(i for cols in item_cols.values() for i in cols)}
    if not problems:  # a column not found is the problem to fix first, not the one left over
        problems += _unaccounted(raw, source, columns, used)
    return id_col, group_col, item_cols


def _read_twice(source: SurveySource, columns, item_cols: dict[str, list[int]],
                ignored: set) -> list[Problem]:
    """A column two questions read (its answers would count twice), or one both mapped and
    left out."""
    found, owner = [], {}
    for item, indexes in item_cols.items():
        for index in indexes:
            file_, line, fld = source.where("items", item)
            if index in owner and owner[index] != item:
                found.append(Problem(file_, line, fld, SAME_COLUMN.format(
                    first=owner[index], second=item, column=columns.label(index)),
                    SAME_COLUMN_FIX))
            owner.setdefault(index, item)
            if index in ignored:
                found.append(Problem(file_, line, fld, MAPPED_AND_IGNORED.format(
                    column=columns.label(index), item=item),
                    MAPPED_AND_IGNORED_FIX.format(item=item)))
    return found


def _finished_rows(raw: RawTable, columns, source: SurveySource, notes: list[str]) -> list:
    """(row number, row) of the responses kept: unfinished ones too unless partial: drop."""
    rows = list(zip(raw.numbers, raw.rows))
    finished = _finished_test(raw, columns, source)
    unfinished = [n for n, r in rows if not finished(r)] if finished is not None else []
    if unfinished and source.partial == "drop":
        rows = [(n, r) for n, r in rows if finished(r)]
        notes.append(f"{source.name}: {len(unfinished)} unfinished response(s) left out "
                     f"(partial: drop): rows {_rows(unfinished)}")
    elif unfinished:
        notes.append(f"{source.name}: {len(unfinished)} unfinished response(s) kept, "
                     f"their unanswered items missing (partial: keep): rows "
                     f"{_rows(unfinished)}")
    return rows


def _identified(rows, raw: RawTable, columns, id_col, source: SurveySource, problems,
                notes) -> list:
    """(row number, row, respondent id) of each response with a usable id, duplicates
    resolved as the mapping says."""
    def ident(number, row) -> str | None:
        if id_col is None:
            return f"row {number}"
        problem = _id_problem(row[id_col], raw.name, number, columns.label(id_col))
        if problem is not None:
            problems.append(problem)
            return None
        return row[id_col]

    identified = [(n, r, ident(n, r)) for n, r in rows]
    identified = [(n, r, i) for n, r, i in identified if i is not None]
    if id_col is not None:
        problems += collision_problems([i for _, _, i in identified],
                                       [n for n, _, _ in identified], raw.name,
                                       columns.label(id_col))
        identified = [(n, r, normalise_id(i)) for n, r, i in identified]
    return _apply_duplicates(identified, source, raw, columns, id_col, problems, notes)


def _wide_answers(identified, raw: RawTable, source: SurveySource, evaluation, columns,
                  where: tuple, problems, notes) -> tuple[list, list]:
    """Each response's answers as long records (respondent, group, item, answer) and the
    cells they came from; a blank or unmapped group, or two columns answering one item,
    is a problem."""
    group_col, item_cols, choices = where
    group_choices = choices_for(choices, raw.header[group_col]) if group_col is not None else {}
    group_of = group_finder(evaluation, source)
    mapped = cached_mapping(answer_map(source))
    records, cells, empty = [], [], []
    unmapped: dict[str, list[int]] = {}
    declared: dict[str, list[int]] = {}  # group answer → rows that are no respondent's
    for number, row, rid in identified:
        value = group_choices.get(row[group_col], row[group_col])
        if not value:
            problems.append(Problem(raw.name, number, columns.label(group_col), BLANK_GROUP,
                                    BLANK_GROUP_FIX))
            continue
        group = group_of(value) or group_of(row[group_col])
        if group is None:
            unmapped.setdefault(value, []).append(number)
            continue
        if group == NOT_RESPONDENT:
            declared.setdefault(value, []).append(number)
            continue
        answered = 0
        for item, indexes in item_cols.items():
            given = [i for i in indexes if row[i]]
            if len(given) > 1:
                problems.append(Problem(raw.name, number, columns.label(given[1]),
                                        TWO_ANSWERS.format(item=item, columns=", ".join(
                                            column_letter(i) for i in given)), TWO_ANSWERS_FIX))
            elif given:
                text = choices_for(choices, raw.header[given[0]]).get(row[given[0]],
                                                                      row[given[0]])
                cells.append((number, given[0]))
                records.append((rid, group, item, mapped(text)))
                answered += 1
        if not answered:
            empty.append(number)
    problems += unmapped_groups(unmapped, raw.name, columns.label(group_col),
                                 [g.code for g in evaluation.groups])
    notes += _declared_notes(declared, source.name)
    if empty:
        notes.append(f"{source.name}: {len(empty)} response(s) answered none of the mapped items "
                     f"and were left out: rows {_rows(empty)}")
    return records, cells


def _declared_notes(declared: dict[str, list[int]], name: str) -> list[str]:
    """What was left out because its group answer was declared not a respondent's."""
    return [f"{name}: {len(rows)} row(s) left out as nobody's answers (group answer "
            f"'{short(value)}': {NOT_RESPONDENT}): rows {_rows(rows)}"
            for value, rows in declared.items()]


def _unaccounted(raw: RawTable, source: SurveySource, columns: Columns,
                 used: set) -> list[Problem]:
    """One problem naming every column with answers that is neither mapped, ignored, the id,
    the group nor the tool's own metadata: nothing in an export goes unnoticed."""
    left = [i for i in range(len(raw.header)) if i not in used
            and not any(source.spec.is_metadata(h[i]) for h in raw.headers if h[i])
            and any(r[i] for r in raw.rows)]
    if not left:
        return []
    file_, line, _ = source.where("items")
    shown = "; ".join(columns.label(i) for i in left[:10])
    more = f" and {len(left) - 10} more" if len(left) > 10 else ""
    return [Problem(file_, line, "evidence.survey.ignore",
                    UNACCOUNTED.format(count=len(left), file=raw.name, columns=shown + more),
                    UNACCOUNTED_FIX)]


def _id_problem(value: str, name: str, row: int, column: str) -> Problem | None:
    """What is wrong with a respondent id, if anything: blank, or a spreadsheet formula."""
    if not value:
        return Problem(name, row, column, BLANK_ID, BLANK_ID_FIX)
    if looks_like_formula(value):
        return Problem(name, row, column, LOOKS_LIKE_FORMULA.format(value=short(value, 40)),
                       LOOKS_LIKE_FORMULA_FIX)
    return None


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=["respondent_id", "group", "item_id", "response"], dtype=str)


def _rows(numbers: list[int], limit: int = 12) -> str:
    shown = ", ".join(str(n) for n in numbers[:limit])
    return shown + (f" and {len(numbers) - limit} more" if len(numbers) > limit else "")


def _finished_test(raw: RawTable, columns: Columns, source: SurveySource):
    """A function telling a finished response from an unfinished one, when the tool says."""
    preset = source.spec
    if preset.finished is not None:
        index = columns.first_present((preset.finished[0],))
        if index is not None:
            done = preset.finished[1]
            return lambda row: normalise(row[index]) in done
    if preset.complete_suffix:
        complete = [i for i, h in enumerate(raw.header) if h.endswith(preset.complete_suffix)]
        if complete:
            values = preset.complete_values
            return lambda row: all(normalise(row[i]) in values for i in complete)
    return None


def _apply_duplicates(identified, source, raw, columns, id_col, problems, notes):
    """Apply the duplicates policy to rows submitted more than once under one id."""
    if id_col is None:
        return identified
    last: dict[str, int] = {}
    first: dict[str, int] = {}
    for position, (_, _, rid) in enumerate(identified):
        first.setdefault(rid, position)
        last[rid] = position
    repeated = [p for p, (_, _, rid) in enumerate(identified) if first[rid] != last[rid]]
    if not repeated:
        return identified
    if source.duplicates == "refuse":
        for p in repeated:
            number, _, rid = identified[p]
            later = next((identified[q][0] for q in range(p + 1, len(identified))
                          if identified[q][2] == rid), None)
            if later is not None:
                problems.append(Problem(raw.name, number, columns.label(id_col),
                                        SUBMITTED_AGAIN.format(value=short(rid, 40), later=later),
                                        SUBMITTED_AGAIN_FIX))
        return identified
    keep = last if source.duplicates == "keep_last" else first
    dropped = [identified[p][0] for p in repeated if keep[identified[p][2]] != p]
    which = "last" if source.duplicates == "keep_last" else "first"
    notes.append(f"{source.name}: {len(dropped)} duplicated submission(s) left out, the {which} "
                 f"of each respondent kept (duplicates: {source.duplicates}): rows "
                 f"{_rows(dropped)}")
    return [entry for p, entry in enumerate(identified) if keep[entry[2]] == p]


def _from_long(raw: RawTable, source: SurveySource, evaluation: Evaluation) -> SurveyImport:
    problems = Problems()
    notes: list[str] = []
    columns = Columns(raw, source)
    id_col = (columns.find(source.respondent_id, ("respondent_id",), problems)
              if source.respondent_id else None)
    if not source.respondent_id:
        file_, line, fld = source.where("respondent_id")
        problems.append(Problem(file_, line, fld, NEEDS.format(format="long", key="respondent_id"),
                                NEEDS_FIX.format(key="respondent_id", file=raw.name)))
    group_col = (columns.find(source.group_column, ("group", "column"), problems)
                 if source.group_column else None)
    item_col = columns.find(source.item_column, ("item_column",), problems)
    response_col = columns.find(source.response_column, ("response_column",), problems)
    if problems:
        return SurveyImport(_empty(), [], notes, problems)
    item_of = {}
    for item, values in (*source.items.items(), *source.any_of.items()):
        for value in values:
            item_of[normalise(value)] = item
    known = set(evaluation.instrument.item_ids)
    codes = [g.code for g in evaluation.groups]
    group_of = group_finder(evaluation, source)
    mapped = cached_mapping(answer_map(source))
    records, cells, positions = [], [], {}
    unmapped: dict[str, list[int]] = {}
    declared: dict[str, list[int]] = {}
    problems += collision_problems([row[id_col] for row in raw.rows], raw.numbers, raw.name,
                                   columns.label(id_col))
    for number, row in zip(raw.numbers, raw.rows):
        rid = normalise_id(row[id_col])
        problem = _id_problem(rid, raw.name, number, columns.label(id_col))
        if problem is not None:
            problems.append(problem)
            continue
        group = group_of(row[group_col])
        if group is None:
            if row[group_col]:
                unmapped.setdefault(row[group_col], []).append(number)
            else:
                problems.append(Problem(raw.name, number, columns.label(group_col), BLANK_GROUP,
                                        BLANK_GROUP_FIX))
            continue
        if group == NOT_RESPONDENT:
            declared.setdefault(row[group_col], []).append(number)
            continue
        item = item_of.get(normalise(row[item_col]), row[item_col])
        if item not in known:
            problems.append(Problem(raw.name, number, columns.label(item_col),
                                    f"'{short(row[item_col])}' is not mapped to an item",
                                    "add it under evidence.survey.items in evaluation.yaml "
                                    "(item id: the value in this column)"))
            continue
        key = (rid, item)
        if key in positions and source.duplicates == "refuse":
            problems.append(Problem(raw.name, number, columns.label(item_col),
                                    f"respondent '{short(rid, 40)}' answers item '{item}' again",
                                    SUBMITTED_AGAIN_FIX))
            continue
        if key in positions and source.duplicates == "keep_first":
            continue
        positions[key] = len(records)
        cells.append((number, response_col))
        records.append((rid, group, item, mapped(row[response_col])))
    problems += unmapped_groups(unmapped, raw.name, columns.label(group_col), codes)
    notes += _declared_notes(declared, source.name)
    table = pd.DataFrame(records, columns=["respondent_id", "group", "item_id", "response"],
                         dtype=str)
    if len(positions) < len(records):  # keep_last: later answers replace earlier ones
        keep = sorted(positions.values())
        notes.append(f"{source.name}: {len(records) - len(keep)} repeated answer(s) replaced by "
                     f"the later one (duplicates: keep_last)")
        table = table.iloc[keep]
    # a blank answer is no answer (as a blank cell is in a wide table); it still replaced
    # an earlier answer above
    table = table[table["response"] != ""]
    return SurveyImport(table, cells, notes, problems, columns)
