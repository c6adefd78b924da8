"""An export's answers mapped: each group answer to a group, each answer to a point of the
scale (or missing), and the group answers no group takes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...base.errors import Problem, Problems
from ...base.tables import short
from ...yardsticks.instrument import normalise
from .mapping import (
    MISSING_TARGET,
    UNMAPPED_GROUP,
    UNMAPPED_GROUP_FIX,
    SurveySource,
    group_names,
)

if TYPE_CHECKING:
    from ..load import Evaluation

_SAME = object()


def group_finder(evaluation: Evaluation, source: SurveySource):
    """Group answer → group code (or None): the codes and labels themselves, then the
    answers mapped under group.values."""
    return cached_mapping({**group_names(evaluation.groups), **source.group_values},
                           missing=None)


def cached_mapping(mapping: dict[str, str], missing=_SAME):
    """text → mapping[normalise(text)], normalising each distinct text once; a text not in
    the mapping gives itself (or ``missing`` when given)."""
    if not mapping and missing is _SAME:
        return lambda text: text
    seen: dict[str, str] = {}

    def mapped(text: str):
        if text not in seen:
            seen[text] = mapping.get(normalise(text), text if missing is _SAME else missing)
        return seen[text]
    return mapped


def unmapped_groups(unmapped: dict[str, list[int]], name: str, column: str,
                     codes: list[str]) -> list[Problem]:
    """One problem per group answer nobody mapped, at its first row."""
    problems = Problems()
    for value, rows in unmapped.items():
        elsewhere = f" (also on {len(rows) - 1} other row(s))" if len(rows) > 1 else ""
        problems.append(Problem(name, rows[0], column, UNMAPPED_GROUP.format(
            value=short(value), elsewhere=elsewhere), UNMAPPED_GROUP_FIX.format(
            value=value.replace('"', "'"), codes=" or ".join(codes))))
    return problems


def answer_map(source: SurveySource) -> dict[str, str]:
    """Export answer (normalised) → what the scale understands; 'missing' → blank."""
    return {k: ("" if normalise(v) == MISSING_TARGET else v) for k, v in source.answers.items()}


def group_answers(values, groups) -> tuple[dict[str, str], list[str]]:
    """Group answers that are a group's code or label, and the others (to confirm)."""
    known = group_names(groups)
    matched, unmatched = {}, []
    for value in dict.fromkeys(v for v in values if v):
        if normalise(value) in known:
            matched[value] = known[normalise(value)]
        else:
            unmatched.append(value)
    return matched, unmatched
