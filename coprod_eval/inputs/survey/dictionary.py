"""A REDCap data dictionary read: each field's label and its choices' codes and labels."""

from __future__ import annotations

import dataclasses
import re

from ...base.errors import InvalidInputError, Problem, Problems
from ...base.readtable import read_raw
from ...yardsticks.instrument import normalise
from .mapping import (
    DICTIONARY_COLUMNS,
    DICTIONARY_COLUMNS_FIX,
    SurveySource,
)


def read_dictionary(source: SurveySource) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """REDCap data dictionary → (field name → label, field name → {raw code → choice label})."""
    raw = read_raw(source.dictionary, source.dictionary_name or "dictionary",
                   dataclasses.replace(source.read, header_row=1, header_rows=1, sheet=None,
                                       delimiter="auto"))
    header = [normalise(h) for h in raw.header]
    wanted = {"field": "variable / field name", "label": "field label",
              "choices": "choices, calculations, or slider labels"}
    index = {}
    problems = Problems() + raw.problems
    for key, title in wanted.items():
        if title in header:
            index[key] = header.index(title)
        else:
            problems.append(Problem(raw.name, raw.header_row_number, title,
                                    DICTIONARY_COLUMNS.format(column=title),
                                    DICTIONARY_COLUMNS_FIX))
    if problems:
        raise InvalidInputError(problems)
    labels, choices = {}, {}
    for row in raw.rows:
        name = row[index["field"]]
        labels[name] = _strip_html(row[index["label"]])
        parsed = {}
        for part in row[index["choices"]].split("|"):
            code, sep, label = part.partition(",")
            if sep and code.strip():
                parsed[code.strip()] = _strip_html(label)
        if parsed:
            choices[name] = parsed
    return labels, choices


def _strip_html(text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())
