"""Errors, and the one-line problem reports users see.

Every problem with a user's input is a :class:`Problem` that prints as
``file:row:column: what is wrong — how to fix it``. Loaders collect all problems before
raising one :class:`InvalidInputError`, so a user sees everything at once.
"""

from __future__ import annotations

from dataclasses import dataclass

# Exit codes of the command-line interface.
EXIT_OK = 0
EXIT_INVALID_INPUT = 1
EXIT_USAGE = 2
EXIT_EXECUTION = 3


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
        column = "-" if not self.column else self.column
        what = " ".join(self.what.replace("\n", " ⏎ ").split())  # one line, always
        return f"{self.file}:{row}:{column}: {what} — {self.fix}"


class CoprodEvalError(Exception):
    """Base class of every error coprod-eval raises on purpose."""

    exit_code = EXIT_EXECUTION


class InvalidInputError(CoprodEvalError):
    """The evaluation folder, framework or evidence has problems; all are listed."""

    exit_code = EXIT_INVALID_INPUT

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = "\n".join(str(p) for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) found:\n{lines}")


class UsageError(CoprodEvalError):
    """The command was called wrongly (unknown parameter, missing run, …)."""

    exit_code = EXIT_USAGE


class ExecutionError(CoprodEvalError):
    """A notebook failed while running; the run folder was not completed."""

    exit_code = EXIT_EXECUTION
