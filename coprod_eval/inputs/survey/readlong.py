"""A one-row-per-answer export read: each row an answer, the item named in a column."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ...base.errors import Problem, Problems
from ...base.identity import collision_problems, normalise_id
from ...base.tables import (
    RawTable,
    short,
)
from ...yardsticks.instrument import normalise
from .answers import answer_map, cached_mapping, group_finder, unmapped_groups
from .columns import Columns
from .imported import SurveyImport, declared_notes, empty_answers, id_problem
from .mapping import (
    BLANK_GROUP,
    BLANK_GROUP_FIX,
    NEEDS,
    NEEDS_FIX,
    NOT_A_RESPONDENT,
    SUBMITTED_AGAIN_FIX,
    SurveySource,
)

if TYPE_CHECKING:
    from ..load import Evaluation


def from_long(raw: RawTable, source: SurveySource, evaluation: Evaluation) -> SurveyImport:
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
        return SurveyImport(empty_answers(), [], notes, problems)
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
        problem = id_problem(rid, raw.name, number, columns.label(id_col))
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
        if group == NOT_A_RESPONDENT:
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
    notes += declared_notes(declared, source.name)
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
