"""An SPSS data file (.sav, .zsav) read as a table: the export NHS analysts, and Qualtrics and
SmartSurvey users who hand data to them, most often keep.

Read with pyreadstat. Two header rows, as a survey tool writes them: the variable names
(Q5_1) and their labels (the question's words). Each value is shown through its value label
where it has one ("Strongly agree", not 5), so an export with numeric codes reads as the
words people chose; values SPSS declares missing are blank, as an unanswered question is.
"""

from __future__ import annotations

import math
from pathlib import Path

from .identity import plain_words
from .tables import TOO_WIDE, TOO_WIDE_FIX, RawTable, ReadOptions, table_error

SAV_MAGIC = (b"$FL2", b"$FL3")
SAV_SUFFIXES = (".sav", ".zsav")
SAV_UNREADABLE = "the file could not be read as an SPSS data file ({detail})"
SAV_UNREADABLE_FIX = ("save it again from SPSS (or export it again from the survey tool as "
                      "SPSS .sav), or export a CSV instead")
SAV_TOO_MANY = "the file holds {cells:,} values; evidence files are limited to {limit:,}"
SAV_TOO_MANY_FIX = "export only this survey's responses and questions"


def is_sav(path: Path, data: bytes) -> bool:
    return data.startswith(SAV_MAGIC) or path.suffix.lower() in SAV_SUFFIXES


def read_sav(path: Path, name: str, options: ReadOptions) -> RawTable:
    """The file's cases as text rows under [variable names, variable labels]."""
    import pyreadstat

    try:
        _, meta = pyreadstat.read_sav(str(path), metadataonly=True)
        width, length = meta.number_columns or 0, meta.number_rows or 0
        if width > options.max_columns:
            raise table_error(name, 1, TOO_WIDE.format(width=width, limit=options.max_columns),
                              TOO_WIDE_FIX)
        if width * length > options.max_cells:
            raise table_error(name, None, SAV_TOO_MANY.format(cells=width * length,
                                                              limit=options.max_cells),
                              SAV_TOO_MANY_FIX)
        frame, meta = pyreadstat.read_sav(str(path), user_missing=False)
    except (pyreadstat.ReadstatError, pyreadstat.PyreadstatError, OSError, ValueError,
            UnicodeDecodeError) as exc:
        raise table_error(name, None, SAV_UNREADABLE.format(detail=str(exc)[:120]),
                          SAV_UNREADABLE_FIX) from None
    names = [str(c) for c in frame.columns]
    # a variable without a label is named by its name (the header a CSV would have)
    labels = [plain_words(str(meta.column_names_to_labels.get(c) or "")) or c for c in names]
    value_labels = [meta.variable_value_labels.get(c, {}) for c in names]
    rows = []
    for values in frame.itertuples(index=False, name=None):
        rows.append([_text(v, value_labels[i]) for i, v in enumerate(values)])
    return RawTable(name=name, headers=[names, labels], rows=rows,
                    numbers=list(range(1, len(rows) + 1)), kind="sav")


def _text(value, labels: dict) -> str:
    """A value as the text a CSV export would hold: its label, a whole number without '.0',
    blank for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if value in labels:
        return plain_words(str(labels[value]))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return plain_words(str(value)) if isinstance(value, str) else str(value)
