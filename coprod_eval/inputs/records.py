"""Record-based evidence streams (declared in yardsticks/streams.py): attendance, decisions,
stages, resources, qualitative excerpts and the project's self-assessment.

Each stream is a CSV table declared as data (its columns and what each may hold); one
generic pandera check turns the declaration into validation, and every failure becomes a
``file:row:column: what — fix`` line. Every stream is optional: a missing one lowers the
confidence of the ratings and is named in the report.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ..base.errors import Problem, Problems
from ..base.identity import collision_problems, normalise_id
from ..base.tables import LOOKS_LIKE_FORMULA, LOOKS_LIKE_FORMULA_FIX, looks_like_formula, short
from ..yardsticks.streams import Column, Stream

YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}


BLANK = "{column} is blank"
BLANK_FIX = "fill in {column}: {help}"
NOT_ALLOWED = "'{value}' is not an allowed value for {column}"
NOT_ALLOWED_FIX = "use one of: {allowed}"
NOT_YESNO = "'{value}' is not yes or no"
NOT_YESNO_FIX = "write yes or no"
NOT_DATE = "'{value}' is not a date in the form YYYY-MM-DD"
NOT_DATE_FIX = "write dates as year-month-day, e.g. 2026-03-31"
NOT_NUMBER = "'{value}' is not a number of zero or more"
NOT_NUMBER_FIX = "write a number such as 0, 3 or 12.5"
DUPLICATE = "'{value}' appears more than once in {column}"
DUPLICATE_FIX = "give each row its own {column}"
MISSING_COLUMN = "required column '{column}' is missing"
MISSING_COLUMN_FIX = "add it; the {stream} header is: {header}"
UNKNOWN_COLUMN = "column '{column}' is not part of the {stream} layout"
UNKNOWN_COLUMN_FIX = "remove it or rename it; the {stream} header is: {header}"
NO_ROWS = "the file has a header but no rows"
NO_ROWS_FIX = ("add the {stream} records below the header, or remove the {stream} entry from "
               "evaluation.yaml if you have none")


def allowed_values(column: Column, evaluation) -> tuple[str, ...]:
    framework = evaluation.framework
    return {
        "choice": column.choices,
        "group": tuple(g.code for g in evaluation.groups),
        "principle": tuple(p.id for p in framework.principles),
        "level": tuple(lv.id for lv in framework.levels),
        "rating": tuple(r.id for r in framework.ratings),
        "stage": tuple(s.id for s in framework.stages),
    }.get(column.kind, ())


def _check(column: Column, evaluation) -> pa.Check:
    blank_ok = not column.required
    allowed = set(allowed_values(column, evaluation))

    def ok(series: pd.Series) -> pd.Series:
        low = series.str.lower()
        if column.kind in ("choice", "group", "principle", "level", "rating", "stage"):
            good = series.isin(allowed)
        elif column.kind == "yesno":
            good = low.isin(YES | NO)
        elif column.kind == "date":
            good = pd.to_datetime(series, format="%Y-%m-%d", errors="coerce").notna()
        elif column.kind == "number":
            good = pd.to_numeric(series, errors="coerce").ge(0)
        else:
            good = (series != "") & ~series.map(looks_like_formula)
        return good | (series == "") if blank_ok else good & (series != "")

    return pa.Check(ok, name=column.kind)


def validate_table(spec: Stream, table: pd.DataFrame, evaluation, name: str) -> list[Problem]:
    """Every problem in a stream's table, as Problem lines."""
    header = spec.header
    known = {c.name for c in spec.columns}
    problems = Problems() + [
        Problem(name, 1, c.name, MISSING_COLUMN.format(column=c.name),
                MISSING_COLUMN_FIX.format(stream=spec.stream, header=header))
        for c in spec.columns if c.name not in table.columns and not c.optional]
    problems += [Problem(name, 1, c, UNKNOWN_COLUMN.format(column=c, stream=spec.stream),
                         UNKNOWN_COLUMN_FIX.format(stream=spec.stream, header=header))
                 for c in table.columns if c not in known]
    if problems:
        return problems
    if table.empty:
        return [Problem(name, 2, None, NO_ROWS, NO_ROWS_FIX.format(stream=spec.stream))]
    present = [c for c in spec.columns if c.name in table.columns]
    schema = pa.DataFrameSchema({c.name: pa.Column(str, _check(c, evaluation))
                                 for c in present})
    try:
        schema.validate(table, lazy=True)
    except pa.errors.SchemaErrors as exc:
        columns = {c.name: c for c in spec.columns}
        # in row order, so the problems kept (a thousand of a kind) are the first rows
        cases = exc.failure_cases.sort_values("index", kind="stable", na_position="first")
        for failure in cases.itertuples(index=False):
            column = columns[failure.column]
            problems.append(_problem(column, failure.failure_case, int(failure.index), name,
                                     evaluation))
    for column in present:
        if column.identifier:
            problems += collision_problems(table[column.name], table.index, name, column.name)
        if column.unique:
            repeated = table[table[column.name].duplicated() & (table[column.name] != "")]
            problems += [Problem(name, int(row), column.name,
                                 DUPLICATE.format(value=value, column=column.name),
                                 DUPLICATE_FIX.format(column=column.name))
                         for row, value in repeated[column.name].items()]
    order = [c.name for c in spec.columns]
    problems.sort(key=lambda p: (p.row or 0, order.index(p.column)
                                 if p.column in order else len(order)))
    return problems


def _problem(column: Column, value, row: int, name: str, evaluation) -> Problem:
    value = "" if value is None or value != value else str(value)
    if value == "":
        return Problem(name, row, column.name, BLANK.format(column=column.name),
                       BLANK_FIX.format(column=column.name, help=column.help))
    if column.kind == "text" and looks_like_formula(value):
        return Problem(name, row, column.name, LOOKS_LIKE_FORMULA.format(value=short(value, 40)),
                       LOOKS_LIKE_FORMULA_FIX)
    if column.kind == "date":
        return Problem(name, row, column.name, NOT_DATE.format(value=value), _date_fix(value))
    messages = {
        "yesno": (NOT_YESNO, NOT_YESNO_FIX),
        "date": (NOT_DATE, NOT_DATE_FIX),
        "number": (NOT_NUMBER, NOT_NUMBER_FIX),
    }
    what, fix = messages.get(column.kind, (NOT_ALLOWED, NOT_ALLOWED_FIX))
    allowed = ", ".join(allowed_values(column, evaluation))
    return Problem(name, row, column.name, what.format(value=value, column=column.name),
                   fix.format(allowed=allowed))


def _date_fix(value: str) -> str:
    """How to write this date as YYYY-MM-DD, when that is certain; the rule otherwise."""
    import re

    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", value)
    if match:
        first, second, year = (int(g) for g in match.groups())
        if first > 12 >= second:  # day first, as UK spreadsheets write it
            return f"write it as {year:04d}-{second:02d}-{first:02d} (year-month-day)"
        if second > 12 >= first:  # month first
            return f"write it as {year:04d}-{first:02d}-{second:02d} (year-month-day)"
        return (f"write it as year-month-day: {year:04d}-{second:02d}-{first:02d} if it is day/"
                f"month, {year:04d}-{first:02d}-{second:02d} if month/day — the file cannot say "
                "which")
    return NOT_DATE_FIX


def convert(spec: Stream, table: pd.DataFrame, evaluation) -> pd.DataFrame:
    """A validated table with typed columns: yes/no → bool (or NA), dates, numbers, roles."""
    out = table.copy()
    for column in spec.columns:
        if column.name not in out.columns:  # an optional column left out: all blank
            out[column.name] = ""
    role_of = {g.code: g.side for g in evaluation.groups}  # records count staff and partners
    for column in spec.columns:
        values = out[column.name]
        if column.kind == "yesno":
            low = values.str.lower()
            out[column.name] = pd.array([True if v in YES else False if v in NO else pd.NA
                                         for v in low], dtype="boolean")
        elif column.kind == "date":
            out[column.name] = pd.to_datetime(values, format="%Y-%m-%d")
        elif column.kind == "number":
            out[column.name] = pd.to_numeric(values.replace("", None), errors="coerce")
        elif column.kind == "group":
            out[column.name] = values.map(role_of)
        if column.identifier:
            out[column.name] = out[column.name].map(normalise_id)
    return out
