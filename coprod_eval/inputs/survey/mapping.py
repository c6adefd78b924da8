"""The survey entry of evaluation.yaml: which tool wrote the answers and how its columns map
onto the instrument. Checked here without opening the export (unknown items, group values
that are not group codes, keys another format uses); ``exports`` does the reading.

Light on purpose: the command line imports it before it starts the kernel.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ...base.errors import Problem, Problems
from ...base.frozen import FrozenDict
from ...base.tables import ReadOptions
from ...yardsticks.instrument import TO_CONFIRM, normalise
from ..groups import NOT_A_RESPONDENT
from .formats import (  # noqa: F401 (re-exported)
    DEFAULT_FORMAT,
    FORMATS,
    TOOL_NAMES,
    WIDE_FORMATS,
    Format,
)


@dataclass(frozen=True)
class SurveySource:
    """The survey entry of evaluation.yaml: where the answers are and how to read them."""

    file: Path
    name: str  # the file as problems name it
    format: str = DEFAULT_FORMAT
    read: ReadOptions = ReadOptions()
    respondent_id: str | None = None  # None: the tool's id column; "": each row is a person
    group_column: str | None = None
    group_values: Mapping[str, str] = field(default_factory=dict)  # answer → group code
    items: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # item → the wordings its one column may have, the first found used ({any_of: [...]}:
    # one mapping for exports whose tools word a question differently)
    any_of: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    item_column: str | None = None
    response_column: str | None = None
    answers: Mapping[str, str] = field(default_factory=dict)  # export answer → scale answer
    duplicates: str = "refuse"
    partial: str = "keep"
    dictionary: Path | None = None
    dictionary_name: str | None = None
    ignore: tuple[str, ...] = ()  # export columns left out on purpose
    mapping_confirmed: Mapping[str, object] | None = None  # {by: roles, date: YYYY-MM-DD}
    # question id → why it stays as mapped although its answers run against or sit apart
    # from the rest of its principle's (compute/itemcheck.py)
    kept_despite_data: Mapping[str, str] = field(default_factory=dict)
    lines: Mapping[tuple, int] = field(default_factory=dict, compare=False)  # yaml key → line

    @property
    def spec(self) -> Format:
        """The format's entry in the registry."""
        return FORMATS[self.format]

    @property
    def wide(self) -> bool:
        return self.spec.wide

    def where(self, *path) -> tuple[str, int | None, str]:
        """(file, line, field) of a key under evidence.survey in evaluation.yaml."""
        full = ("evidence", "survey", *path)
        line = None
        probe = full
        while probe and line is None:
            line = self.lines.get(probe)
            probe = probe[:-1]
        return "evaluation.yaml", line, ".".join(str(p) for p in full)


# --- messages ------------------------------------------------------------------------------
NO_COLUMN = "column '{ref}' is not in {file}"
NO_COLUMN_FIX = ("use a header of the file exactly as it is written{close}, or 'column F' for "
                 "column F")
AMBIGUOUS_COLUMN = "'{ref}' matches columns {letters} of {file}"
AMBIGUOUS_COLUMN_FIX = "name each column by its letter instead, e.g. 'column {first}'"
UNKNOWN_ITEM = "'{item}' is not an item of the instrument '{instrument}'"
UNKNOWN_ITEM_FIX = "use an item id from the instrument (e.g. {example})"
NO_ITEMS = "no column is mapped to an item of the instrument"
NO_ITEMS_FIX = ("list under items: which column answers which item (coprod-eval init DIR "
                "--from EXPORT proposes the mapping)")
NO_GROUP = "no column says which group each respondent is in"
NO_GROUP_FIX = "set group: column: to the question that asks staff or community partner"
NEEDS = "format '{format}' needs '{key}'"
NEEDS_FIX = "add {key}: naming the column of {file} that holds it"
UNMAPPED_GROUP = "'{value}' in the group column is not mapped to a group{elsewhere}"
UNMAPPED_GROUP_FIX = ("add it under evidence.survey.group.values in evaluation.yaml as "
                      "\"{value}\": followed by the group code ({codes}), or by "
                      "not_a_respondent if these rows are nobody's answers")
GROUP_VALUE_CODE = "'{value}' is not a group code of this evaluation"
GROUP_VALUE_CODE_FIX = ("map each answer to {codes} (the codes under groups:), or to "
                        "not_a_respondent for rows that are nobody's answers (tests, staff "
                        "trying the form)")
BLANK_GROUP = "the group answer is blank"
BLANK_GROUP_FIX = "fill in the group, or remove the row if it is not a real response"
BLANK_ID = "the respondent id is blank"
BLANK_ID_FIX = "give every row the id the survey tool gave the response"
TWO_ANSWERS = "item {item} is answered in two columns ({columns}) on the same row"
TWO_ANSWERS_FIX = "keep one answer per item: check the item mapping in evaluation.yaml"
SUBMITTED_AGAIN = "respondent id '{value}' was submitted again on row {later}"
SUBMITTED_AGAIN_FIX = ("remove the submission that should not count, or set duplicates: "
                       "keep_last (or keep_first) under evidence.survey in evaluation.yaml")
ANSWER_UNKNOWN_FIX = ("map it under evidence.survey.answers in evaluation.yaml to a scale "
                      "label, a code or missing (e.g. \"Agree a lot\": Strongly agree, or "
                      "\"8\": missing for a tool's Don't know code)")
ANSWER_TARGET = "'{value}' is not an answer on the response scale"
ANSWER_TARGET_FIX = "map each export answer to a scale label ({labels}), a code, or 'missing'"
NOT_FOR_FORMAT = "'{key}' is not used with format '{format}'"
NOT_FOR_FORMAT_FIX = "remove it, or set the format that uses it"
NO_DICTIONARY = "format '{format}' needs the data dictionary (it carries the choice labels)"
NO_DICTIONARY_FIX = ("export it from {tool} (Project setup > Data dictionary) into evidence/ "
                     "and set dictionary: evidence/<file>.csv")
DICTIONARY_COLUMNS = "the data dictionary has no '{column}' column"
DICTIONARY_COLUMNS_FIX = "export the data dictionary again from REDCap, unchanged"

NOT_CONFIRMED = ("nobody has confirmed which principle each question of '{instrument}' "
                 "evidences: the mapping is a validity decision")
NOT_CONFIRMED_FIX = ("check the questions' principles and reverse flags with a partner "
                     "representative (coprod-eval map FOLDER), then record it: "
                     "mapping_confirmed: {by: [evaluator, partner representative], "
                     "date: YYYY-MM-DD}")
SAME_COLUMN = "{first} and {second} both read column {column}: its answers would count twice"
SAME_COLUMN_FIX = "map each question to its own column (check the wording of both)"
MAPPED_AND_IGNORED = "column {column} is mapped to {item} and also listed under ignore:"
MAPPED_AND_IGNORED_FIX = "remove it from ignore: if it answers {item}, or from items: if not"
UNACCOUNTED = ("{count} column(s) of {file} are neither mapped to a question nor ignored: "
               "{columns}")
UNACCOUNTED_FIX = ("map each under items: (a question of the instrument), or list it under "
                   "ignore: in evaluation.yaml to leave it out on purpose")

NEAR_COLUMN = ("{item}'s column is proposed, not confirmed: is '{column}' the same question "
               "as the one confirmed (worded as in the comment beside it)?")
NEAR_COLUMN_FIX = ("if it is, delete 'TO CONFIRM: ' and keep the column; if not, map the "
                   "column it really is, or leave the question out (delete the line and list "
                   "the column under ignore:)")
LETTER_REF = re.compile(r"^column\s+([A-Z]{1,3})$", re.I)
MISSING_TARGET = "missing"


def parse_source(entry: dict, lines: Mapping[tuple, int], file: Path, name: str,
                 read: ReadOptions, dictionary: Path | None, evaluation_parts) -> tuple[
                     SurveySource, list[Problem]]:
    """The survey entry of evaluation.yaml → SurveySource, with problems the file need not be
    opened for (unknown items, group values that are not group codes, keys for other formats).
    ``evaluation_parts`` is (instrument, group codes)."""
    instrument, codes = evaluation_parts
    fmt = entry.get("format", DEFAULT_FORMAT)
    preset = FORMATS[fmt]  # the schema admits only the registry's formats
    group = entry.get("group") or {}
    # absent: the tool's own id column; null: none, each row is one respondent
    respondent_id = entry.get("respondent_id")
    if "respondent_id" in entry and respondent_id is None:
        respondent_id = ""
    source = SurveySource(
        file=file, name=name, format=fmt,
        read=ReadOptions(**{**read.__dict__, "header_rows": int(entry.get(
            "header_rows", preset.header_rows))}),
        respondent_id=respondent_id,
        group_column=group.get("column"),
        group_values=FrozenDict({normalise(k): str(v) for k, v in
                                       (group.get("values") or {}).items()}),
        items=FrozenDict({str(k): tuple(v) if isinstance(v, list) else (v,)
                          for k, v in (entry.get("items") or {}).items()
                          if not isinstance(v, dict)}),
        any_of=FrozenDict({str(k): tuple(v["any_of"]) for k, v in
                           (entry.get("items") or {}).items() if isinstance(v, dict)}),
        item_column=entry.get("item_column"), response_column=entry.get("response_column"),
        answers=FrozenDict({normalise(str(k)): str(v) for k, v in
                                  (entry.get("answers") or {}).items()}),
        duplicates=entry.get("duplicates", preset.layout.duplicates),
        partial=entry.get("partial", "keep"),
        dictionary=dictionary,
        dictionary_name=entry.get("dictionary"),
        ignore=tuple(entry.get("ignore") or ()),
        mapping_confirmed=(FrozenDict({"by": tuple(entry["mapping_confirmed"]["by"]),
                                             "date": entry["mapping_confirmed"]["date"]})
                           if entry.get("mapping_confirmed") else None),
        kept_despite_data=FrozenDict({str(k): str(v) for k, v in
                                      (entry.get("kept_despite_data") or {}).items()}),
        lines=FrozenDict(dict(lines)),
    )
    problems = Problems()

    def problem(path, what, fix):
        file_, line, fld = source.where(*path)
        problems.append(Problem(file_, line, fld, what, fix))

    for item in source.kept_despite_data:
        if item not in instrument.item_ids:
            problem(("kept_despite_data", item),
                    UNKNOWN_ITEM.format(item=item, instrument=instrument.id),
                    UNKNOWN_ITEM_FIX.format(example=", ".join(instrument.item_ids[:3])))
    if instrument.assigns and not source.mapping_confirmed:
        problem(("mapping_confirmed",), NOT_CONFIRMED.format(instrument=instrument.id),
                NOT_CONFIRMED_FIX)
    unused = preset.layout.unused
    if not (preset.needs_dictionary or preset.takes_dictionary):
        unused = (*unused, "dictionary")
    for key in dict.fromkeys(unused):
        if key in entry:
            problem((key,), NOT_FOR_FORMAT.format(key=key, format=fmt), NOT_FOR_FORMAT_FIX)
    if not preset.layout.mapped:
        return source, problems
    _mapping_problems(source, entry, instrument, codes, problem)
    return source, problems


def _item_problems(source: SurveySource, instrument, problem) -> None:
    """Items the instrument does not have, and columns proposed but not confirmed."""
    for item, refs in source.items.items():
        for k, ref in enumerate(refs):
            if str(ref).startswith(TO_CONFIRM):
                problem(("items", item, k) if len(refs) > 1 else ("items", item),
                        NEAR_COLUMN.format(item=item, column=str(ref).split(":", 1)[-1].strip()),
                        NEAR_COLUMN_FIX)
    for item in (*source.items, *source.any_of):
        if item not in instrument.item_ids:
            problem(("items", item), UNKNOWN_ITEM.format(item=item, instrument=instrument.id),
                    UNKNOWN_ITEM_FIX.format(example=", ".join(instrument.item_ids[:3])))


def _mapping_problems(source: SurveySource, entry: dict, instrument, codes, problem) -> None:
    """What an export's mapping says that cannot be right whatever the file holds: items not
    in the instrument, group answers mapped to no group, answers mapped to no scale point,
    keys its layout needs, a missing data dictionary."""
    preset, fmt, name = source.spec, source.format, source.name
    group = entry.get("group") or {}
    _item_problems(source, instrument, problem)
    if not source.items and not source.any_of and preset.layout.lists_items:
        problem(("items",), NO_ITEMS, NO_ITEMS_FIX)
    if not source.group_column:
        problem(("group",), NO_GROUP, NO_GROUP_FIX)
    for answer, code in (group.get("values") or {}).items():
        if str(code) not in codes and str(code) != NOT_A_RESPONDENT:
            problem(("group", "values", answer), GROUP_VALUE_CODE.format(value=code),
                    GROUP_VALUE_CODE_FIX.format(codes=" or ".join(f"'{c}'" for c in codes)))
    lookup = instrument.response_lookup()
    labels = ", ".join(label for _, label in instrument.codes)
    for answer, target in (entry.get("answers") or {}).items():
        if normalise(str(target)) not in lookup and normalise(str(target)) != MISSING_TARGET:
            problem(("answers", answer), ANSWER_TARGET.format(value=target),
                    ANSWER_TARGET_FIX.format(labels=labels))
    for key in preset.layout.needs:
        if not entry.get(key):
            problem((key,), NEEDS.format(format=fmt, key=key),
                    NEEDS_FIX.format(key=key, file=name))
    if preset.needs_dictionary and source.dictionary is None and not entry.get("dictionary"):
        problem(("dictionary",), NO_DICTIONARY.format(format=fmt),
                NO_DICTIONARY_FIX.format(tool=preset.name))


def group_names(groups) -> dict[str, str]:
    """Normalised group code or label → group code: answers that need no mapping."""
    known = {normalise(g.code): g.code for g in groups}
    known.update({normalise(g.label): g.code for g in groups})
    return known
