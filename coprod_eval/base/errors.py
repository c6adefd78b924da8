"""Errors, and the one-line problem reports users see.

Every problem with a user's input is a :class:`Problem` that prints as
``file:row:column: what is wrong — how to fix it``. Checks add problems to one
:class:`Problems` collector and the loader raises a single :class:`InvalidInputError` with
all of them, so a user sees everything at once — grouped (the same problem in many cells is
one line with a count and the cells) and capped (a few lines of each kind, then how many
more), so a bad file of a million cells still gives a short, readable answer.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Exit codes of the command-line interface.
EXIT_OK = 0
EXIT_INVALID_INPUT = 1
EXIT_USAGE = 2
EXIT_EXECUTION = 3

PER_KIND = 10  # lines shown for one kind of problem in one file before "and N more"
KEEP = 1000  # problems of one kind kept in full; past this only counted
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def hidden_characters(text: str, *, invisible: bool = True, breaks: bool = False) -> bool:
    """Whether ``text`` holds a control character (an escape, a bell), which could change
    what a terminal or a page shows; with ``invisible``, also an invisible or direction
    character (zero-width, bidi overrides); with ``breaks``, line breaks and tabs are
    allowed."""
    for char in str(text):
        kind = unicodedata.category(char)
        if (kind == "Cc" and not (breaks and char in "\n\t\r")) or (invisible and kind == "Cf"):
            return True
    return False


def printable(text: str) -> str:
    """Text safe to print on a terminal: control, zero-width and direction characters shown
    as escapes (an ANSI escape in a cell is shown, never obeyed), on one line."""
    text = " ".join(str(text).replace("\n", " ⏎ ").split())
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in one input file."""

    file: str
    row: int | None
    column: str | None
    what: str
    fix: str

    def __str__(self) -> str:
        row = "-" if self.row is None else str(self.row)
        column = "-" if not self.column else printable(self.column)
        return (f"{printable(self.file)}:{row}:{column}: {printable(self.what)} — "
                f"{printable(self.fix)}")


class Problems:
    """Collects problems lazily; keeps at most :data:`KEEP` of one kind, counting the rest."""

    def __init__(self) -> None:
        self.items: list[Problem] = []
        self._kinds: dict[tuple, int] = {}
        self.dropped: dict[tuple, int] = {}

    def add(self, problem: Problem) -> None:
        kind = (problem.file, problem.fix)
        seen = self._kinds.get(kind, 0)
        self._kinds[kind] = seen + 1
        if seen < KEEP:
            self.items.append(problem)
        else:
            self.dropped[kind] = self.dropped.get(kind, 0) + 1

    append = add  # a reader's list of problems, collected here instead

    def extend(self, problems) -> None:
        for problem in problems:
            self.add(problem)
        for kind, count in getattr(problems, "dropped", {}).items():  # another's count
            self.dropped[kind] = self.dropped.get(kind, 0) + count
            self._kinds[kind] = self._kinds.get(kind, 0) + count

    def __iadd__(self, problems) -> Problems:
        self.extend(problems)
        return self

    def __add__(self, problems) -> Problems:
        both = Problems()
        both.extend(self)
        both.extend(problems)
        return both

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items) + sum(self.dropped.values())

    def __iter__(self):
        return iter(self.items)

    def sort(self, *, key=None) -> None:
        self.items.sort(key=key)

    def __getitem__(self, index):
        return self.items[index]

    def __eq__(self, other) -> bool:  # the problems kept, as a list compares
        return self.items == list(other) if isinstance(other, list | Problems) else NotImplemented

    __hash__ = None

    def raise_if_any(self) -> None:
        if self.items:
            raise self.error()

    def error(self) -> InvalidInputError:
        """The problems as the one error every command reports them with."""
        return InvalidInputError(self.items, dropped=self.dropped)

    @classmethod
    def of(cls, error: InvalidInputError) -> Problems:
        """The problems an InvalidInputError carries, collected again."""
        found = cls()
        found.items = list(error.problems)
        found.dropped = dict(error.dropped or {})
        return found


def report_lines(problems: list[Problem], dropped: dict | None = None,
                 per_kind: int = PER_KIND) -> list[str]:
    """The problems as printed: identical ones merged into one line that names the other
    rows and columns, at most ``per_kind`` lines for each kind (same file, same fix), then
    a line saying how many more."""
    merged: dict[tuple, list[Problem]] = {}
    for p in problems:
        merged.setdefault((p.file, p.what, p.fix), []).append(p)
    lines: list[str] = []
    shown: dict[tuple, int] = {}
    more: dict[tuple, int] = dict(dropped or {})
    for (file, what, fix), same in merged.items():
        kind = (file, fix)
        first = same[0]
        if shown.get(kind, 0) >= per_kind:
            more[kind] = more.get(kind, 0) + len(same)
            continue
        shown[kind] = shown.get(kind, 0) + 1
        if len(same) == 1:
            lines.append(str(first))
            continue
        lines.append(str(Problem(file, first.row, first.column,
                                 f"{what} (the same in {len(same)} cells: "
                                 f"{_cells(same)})", fix)))
    for (file, fix), count in more.items():
        if count:
            lines.append(str(Problem(file, None, None,
                                     f"and {count:,} more problem(s) like those above",
                                     fix)))
    return lines


def _cells(same: list[Problem], limit: int = 8) -> str:
    """Where the same problem is: 'rows 2–501' in one column, or the cells one by one."""
    columns = list(dict.fromkeys(p.column for p in same))
    rows = sorted({p.row for p in same if p.row is not None})
    if len(columns) == 1 and rows:
        where = f" in {columns[0]}" if columns[0] else ""
        return "rows " + _ranges(rows, limit) + where
    places = list(dict.fromkeys(
        (("row " + str(p.row)) if p.row is not None else "") + (f" {p.column}" if p.column
                                                               else "") for p in same))
    text = ", ".join(place.strip() or "-" for place in places[:limit])
    return text + (f" and {len(places) - limit} more" if len(places) > limit else "")


def _ranges(rows: list[int], limit: int) -> str:
    """2, 3, 4, 5, 9 → '2–5, 9' (at most ``limit`` pieces, then how many more rows)."""
    pieces, start = [], rows[0]
    for previous, row in zip(rows, rows[1:] + [None]):
        if row != previous + 1 if row is not None else True:
            pieces.append(f"{start}–{previous}" if previous > start else str(start))
            start = row
    shown = ", ".join(pieces[:limit])
    if len(pieces) > limit:
        shown += " and more"
    return shown


class CoprodEvalError(Exception):
    """Base class of every error coprod-eval raises on purpose."""

    exit_code = EXIT_EXECUTION


class InvalidInputError(CoprodEvalError):
    """The evaluation folder, framework or evidence has problems; all are listed."""

    exit_code = EXIT_INVALID_INPUT

    def __init__(self, problems, *, dropped: dict | None = None):
        self.problems = list(problems)
        self.dropped = dict(getattr(problems, "dropped", {}))
        for kind, count in (dropped or {}).items():
            self.dropped[kind] = self.dropped.get(kind, 0) + count
        lines = "\n".join(report_lines(self.problems, self.dropped))
        super().__init__(f"{self.count} problem(s) found:\n{lines}")

    @property
    def count(self) -> int:
        return len(self.problems) + sum(self.dropped.values())

    def lines(self) -> list[str]:
        return report_lines(self.problems, self.dropped)


class UsageError(CoprodEvalError):
    """The command was called wrongly (unknown parameter, missing run, …)."""

    exit_code = EXIT_USAGE


class ExecutionError(CoprodEvalError):
    """A notebook failed while running, or the run could not be written; the run folder was
    not completed."""

    exit_code = EXIT_EXECUTION
