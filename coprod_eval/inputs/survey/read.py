"""Survey answers from the exports evaluators really have.

evaluation.yaml says which tool wrote the file (``format``) and maps it onto the
instrument: which column holds the respondent id, which the group (and which answers mean
which group), which column answers which item, and which extra answer texts mean which
scale point. Supported:

- ``coprod``: our own long template (respondent_id, group, item_id, response);
- ``long``: any one-row-per-answer table, columns named in the mapping;
- ``wide``: any one-row-per-respondent table, one column per item;
- ``microsoft_forms`` (xlsx), ``smartsurvey``, ``google_forms`` (``Question [Row]`` grid
  columns), ``qualtrics`` (three header rows; labels or numeric codes) and ``redcap`` (records
  plus the data dictionary that carries the choice labels) and ``spss`` (an SPSS .sav, read
  through its value labels): wide, with each tool's metadata columns and its way of marking
  unfinished responses known.

The wide layout is read in readwide.py, the long one in readlong.py.

Every problem points at the cell of the original file (its spreadsheet row, and the
column's letter and header), never at an intermediate table.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ...base.errors import Problem, Problems
from ...base.readtable import read_raw
from ...base.tables import RawTable, column_index
from .formats import FORMATS
from .imported import SurveyImport, empty_answers
from .mapping import SurveySource
from .readlong import from_long
from .readwide import from_wide

if TYPE_CHECKING:
    from ..load import Evaluation


def sort_problems(problems) -> Problems:
    """evaluation.yaml first, then each file by row and by column as a spreadsheet orders them."""
    def key(p: Problem):
        letters = re.match(r"^([A-Z]{1,3})(?: \(|$)", p.column or "")
        column = column_index(letters.group(1)) if letters else -1
        return (p.file != "evaluation.yaml", p.file, p.row or 0, column)
    ordered = Problems() + problems  # what was only counted stays counted
    ordered.sort(key=key)
    return ordered


# --- reading -----------------------------------------------------------------------------

def import_survey(source: SurveySource, evaluation: Evaluation) -> SurveyImport:
    """Read the export and turn it into long answers; every problem collected."""
    raw = read_raw(source.file, source.name, source.read)
    problems = Problems() + raw.problems
    kind_problem = _kind_problem(raw, source)
    if kind_problem is not None:
        return SurveyImport(empty_answers(), [], [], [kind_problem])
    reader = from_long if source.spec.layout.one_row_per_answer else from_wide
    result = reader(raw, source, evaluation)
    result.problems = problems + result.problems
    return result


def _kind_problem(raw: RawTable, source: SurveySource) -> Problem | None:
    """A file only one format reads (an SPSS .sav) named as another format, or the other
    way round."""
    wanted = source.spec.file_kind
    reader = next((f for f in FORMATS.values() if f.file_kind and f.file_kind == raw.kind),
                  None)
    if wanted == raw.kind or (wanted is None and reader is None):
        return None
    file_, line, fld = source.where("format")
    if reader is not None:
        return Problem(file_, line, fld, f"{raw.name} is a {reader.name} file, read as format "
                       f"'{source.format}'", f"set format: {reader.id}")
    return Problem(file_, line, fld, f"format '{source.format}' reads {source.spec.name} files "
                   f"only, and {raw.name} is not one", "set the format of the tool that "
                   "wrote the file (coprod-eval init DIR --from FILE tells it)")


