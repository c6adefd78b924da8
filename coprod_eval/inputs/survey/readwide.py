"""A one-row-per-respondent export read (every tool's usual layout): its columns found,
unfinished and repeated responses handled as the mapping says, each answer kept with its cell."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ...base.errors import Problem, Problems
from ...base.identity import collision_problems, normalise_id
from ...base.tables import (
    RawTable,
    column_letter,
    short,
)
from ...yardsticks.instrument import normalise
from .answers import answer_map, cached_mapping, group_finder, unmapped_groups
from .columns import Columns
from .dictionary import choices_for, read_dictionary, survey_file_problems
from .imported import SurveyImport, declared_notes, empty_answers, id_problem, rows_text
from .mapping import (
    BLANK_GROUP,
    BLANK_GROUP_FIX,
    MAPPED_AND_IGNORED,
    MAPPED_AND_IGNORED_FIX,
    NOT_A_RESPONDENT,
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


def from_wide(raw: RawTable, source: SurveySource, evaluation: Evaluation) -> SurveyImport:
    problems = Problems()
    notes: list[str] = []
    labels, choices = ({}, {})
    if source.dictionary is not None:
        labels, choices = read_dictionary(source)
    columns = Columns(raw, source, labels)
    id_col, group_col, item_cols = _wide_columns(raw, source, columns, problems)
    if not problems:
        used = ([group_col] if group_col is not None else []) + [
            i for indexes in item_cols.values() for i in indexes]
        problems += survey_file_problems(source, raw, used, choices, columns.label)
    if problems:
        return SurveyImport(empty_answers(), [], notes, problems)
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
                     f"(partial: drop): rows {rows_text(unfinished)}")
    elif unfinished:
        notes.append(f"{source.name}: {len(unfinished)} unfinished response(s) kept, "
                     f"their unanswered items missing (partial: keep): rows "
                     f"{rows_text(unfinished)}")
    return rows


def _identified(rows, raw: RawTable, columns, id_col, source: SurveySource, problems,
                notes) -> list:
    """(row number, row, respondent id) of each response with a usable id, duplicates
    resolved as the mapping says."""
    def ident(number, row) -> str | None:
        if id_col is None:
            return f"row {number}"
        problem = id_problem(row[id_col], raw.name, number, columns.label(id_col))
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
        if group == NOT_A_RESPONDENT:
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
    notes += declared_notes(declared, source.name)
    if empty:
        notes.append(f"{source.name}: {len(empty)} response(s) answered none of the mapped items "
                     f"and were left out: rows {rows_text(empty)}")
    return records, cells


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
                 f"{rows_text(dropped)}")
    return [entry for p, entry in enumerate(identified) if keep[entry[2]] == p]
