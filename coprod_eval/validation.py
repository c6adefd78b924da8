"""``validate``: every problem with an evaluation folder, all at once."""

from __future__ import annotations

from pathlib import Path

from .config import load_evaluation
from .errors import InvalidInputError, Problem
from .evidence import load_evidence


def validate(folder: str | Path) -> list[Problem]:
    """Check evaluation.yaml and every evidence file; return the problems (empty if valid).

    Reads only: no input is written or changed.
    """
    return check(folder)[0]


class Found(list):
    """The problems found, and how many more of each kind were only counted."""

    dropped: dict = {}

    def error(self) -> InvalidInputError:
        return InvalidInputError(self, dropped=self.dropped)


def check(folder: str | Path) -> tuple[Found, tuple[str, ...]]:
    """Problems, and notes on how the evidence was read (formats, duplicates left out…)."""
    try:
        evaluation = load_evaluation(folder)
        evidence = load_evidence(evaluation)
    except InvalidInputError as exc:
        found = Found(exc.problems)
        found.dropped = exc.dropped
        return found, ()
    return Found(), evidence.notes
