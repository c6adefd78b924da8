"""An export's answers once read: the long table, the cells they came from, and the
small things both readers (wide and long) say about rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from ...base.errors import Problem
from ...base.tables import (
    LOOKS_LIKE_FORMULA,
    LOOKS_LIKE_FORMULA_FIX,
    looks_like_formula,
    short,
)
from .columns import Columns
from .mapping import (
    ANSWER_UNKNOWN_FIX,
    BLANK_ID,
    BLANK_ID_FIX,
    NOT_A_RESPONDENT,
)

if TYPE_CHECKING:
    pass


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


def declared_notes(declared: dict[str, list[int]], name: str) -> list[str]:
    """What was left out because its group answer was declared not a respondent's."""
    return [f"{name}: {len(rows)} row(s) left out as nobody's answers (group answer "
            f"'{short(value)}': {NOT_A_RESPONDENT}): rows {rows_text(rows)}"
            for value, rows in declared.items()]


def id_problem(value: str, name: str, row: int, column: str) -> Problem | None:
    """What is wrong with a respondent id, if anything: blank, or a spreadsheet formula."""
    if not value:
        return Problem(name, row, column, BLANK_ID, BLANK_ID_FIX)
    if looks_like_formula(value):
        return Problem(name, row, column, LOOKS_LIKE_FORMULA.format(value=short(value, 40)),
                       LOOKS_LIKE_FORMULA_FIX)
    return None


def empty_answers() -> pd.DataFrame:
    return pd.DataFrame(columns=["respondent_id", "group", "item_id", "response"], dtype=str)


def rows_text(numbers: list[int], limit: int = 12) -> str:
    shown = ", ".join(str(n) for n in numbers[:limit])
    return shown + (f" and {len(numbers) - limit} more" if len(numbers) > limit else "")
