"""``coprod-eval init DIR --from EXPORT``: propose the survey mapping for a tool's export.

The export's questions are matched to the instrument's items by their wording (staff or
partner version); a question matches an item only when the wording is the same or nearly
so, and no other item comes close. Whatever cannot be matched — questions, items, group
answers, answer texts — is listed for the evaluator, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ...base.errors import InvalidInputError, Problem, UsageError
from ...base.readtable import read_raw
from ...base.tables import ReadOptions, column_letter
from ...yardsticks.instrument import Instrument, normalise
from .answers import group_answers
from .dictionary import choices_for, clashes_in_export, read_dictionary
from .formats import FORMATS, LONG_TABLE, TOOL_NAMES, WIDE_TABLE, recognise
from .matching import match_item, words
from .proposal import Proposal

PERSONAL = ("name", "email", "email address", "ip address", "ipaddress", "recipientemail",
            "recipientfirstname", "recipientlastname", "locationlatitude", "locationlongitude")
GROUP_WORDS = ("describes you", "your role", "are you", "staff or", "which group", "role",
               "group", "capacity")
ID_NAMES = ("respondent_id", "respondent id", "respondent", "participant", "participant id",
            "pseudonym", "response id", "responseid", "record id",
            "record_id", "id", "ref", "reference")
UNKNOWN_FORMAT = "cannot tell which survey tool wrote {file}"
UNKNOWN_FORMAT_FIX = "name it with --format ({formats})"
NEEDS_DICTIONARY = ("a {tool} export needs its data dictionary for the choice labels: add "
                    "--dictionary FILE")


def detect_format(raw) -> str | None:
    """The tool that wrote an export, by its headers and first rows (see formats.py)."""
    return recognise(raw.header, raw.rows[:2], raw.kind)


def propose(export: Path, instrument: Instrument, groups, *, fmt: str | None = None,
            dictionary: Path | None = None, target_file: str, target_dictionary: str | None,
            framework=None, own: bool | None = None) -> Proposal:
    """Read the export (nothing is written) and propose its mapping. With ``framework``
    given, an export whose questions are mostly not the bundled instrument's (or any, with
    ``own=True``) is read as the evaluator's own questionnaire (see own.py)."""
    from .columns import Columns
    from .mapping import SurveySource

    if fmt is not None and fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}'; use one of: {', '.join(FORMATS)}")
    raw = read_raw(export, export.name, ReadOptions(header_rows=1))
    if raw.problems:
        raise InvalidInputError(raw.problems)
    fmt = _format_of(raw, fmt, export.name)
    if fmt is None:
        fmt = LONG_TABLE if _long_columns(raw, instrument) else WIDE_TABLE
    if FORMATS[fmt].layout.one_row_per_answer:
        return _propose_long(raw, instrument, groups, target_file)
    preset = FORMATS[fmt]
    if preset.header_rows > 1:
        raw = read_raw(export, export.name, ReadOptions(header_rows=preset.header_rows))
    labels, choices = {}, {}
    if preset.needs_dictionary and dictionary is None:
        raise UsageError(NEEDS_DICTIONARY.format(tool=preset.name))
    if dictionary is not None and not (preset.needs_dictionary or preset.takes_dictionary):
        raise UsageError(f"a {preset.name} export takes no --dictionary")
    if dictionary is not None:
        labels, choices = read_dictionary(SurveySource(
            file=export, name=export.name, format=fmt, dictionary=dictionary,
            dictionary_name=dictionary.name))
        clashes = clashes_in_export(raw.header, choices, dictionary.name, dictionary.name)
        if clashes:
            raise InvalidInputError(clashes)
    columns = Columns(raw, SurveySource(file=export, name=export.name, format=fmt), labels)
    wide = _Wide(raw, preset, labels, choices)
    id_index = columns.first_present(preset.id_columns)
    if id_index is None and preset.first_column_is_id:
        id_index = 0
    if id_index is None:
        id_index = next((i for i, h in enumerate(raw.header) if normalise(h) in ID_NAMES), None)
    found = _sort_columns(wide, id_index, instrument)
    top = wide.top
    ordered = {item.id: found.items[item.id] for item in instrument.items
               if item.id in found.items}
    group_values, group_unmatched = {}, []
    if found.group_index is not None:
        group_values, group_unmatched = group_answers(wide.answers_in(found.group_index,
                                                                       blanks=True), groups)
    personal = [title for i, title in enumerate(top) if normalise(title) in PERSONAL and any(
        r[i] and normalise(r[i]) not in ("anonymous", "ip address") for r in raw.rows)]
    common = dict(format=fmt, file=target_file,
                  respondent_id=wide.ref(id_index) if id_index is not None else None,
                  group_column=(wide.ref(found.group_index) if found.group_index is not None
                                else None),
                  group_values=group_values, group_unmatched=group_unmatched,
                  dictionary=target_dictionary, header_rows=preset.header_rows,
                  personal_columns=personal)
    if framework is not None and own is not False and (own or (
            len(ordered) < len(instrument.items) / 2 and len(found.unmatched_at) >= 3)):
        from .own import build_own

        questionnaire = build_own(
            [(i, wide.wording(i), wide.answers_in(i))
             for i in sorted(found.unmatched_at + found.matched_at)
             if normalise(top[i]) not in PERSONAL], framework, instrument, wide.ref)
        if not questionnaire.questions:
            raise UsageError(f"{export.name} has no question answered on a scale (it holds "
                             f"{len(raw.rows)} response(s)): export the responses with the "
                             "answers' words or codes, then run init --from again")
        return Proposal(**common, items={}, unmatched_columns=[], items_without_column=[],
                        unknown_answers=questionnaire.scale.unknown[:30],
                        instrument=questionnaire.instrument_id, own=questionnaire)
    return Proposal(
        **common, items=ordered, unmatched_columns=found.unmatched,
        ignore=[wide.ref(i) for i in found.unmatched_at if normalise(top[i]) not in PERSONAL],
        items_without_column=[i for i in instrument.item_ids if i not in ordered],
        unknown_answers=_unknown_answers(wide, columns, ordered, instrument)[:30],
        item_texts=found.item_texts, instrument=instrument.id)


def _format_of(raw, fmt: str | None, name: str) -> str | None:
    """The format an export is read as: the one given, unless it names a tool and the
    export plainly looks like another's (a plain wide or long table may always be asked
    for); else the one recognised."""
    found = detect_format(raw)
    if fmt is not None and found is not None and found != fmt and FORMATS[found].layout.mapped \
            and (FORMATS[fmt].looks_like is not None or FORMATS[fmt].file_kind is not None):
        raise UsageError(f"{name} looks like {TOOL_NAMES[found]}'s export, not "
                         f"{TOOL_NAMES[fmt]}'s: leave out --format (it is recognised), or "
                         "give the tool that really wrote it")
    fmt = fmt or found
    if fmt is not None and not FORMATS[fmt].layout.mapped:
        raise UsageError(f"{name} is in coprod-eval's own layout already: copy it to "
                         "evidence/survey.csv of a folder made by coprod-eval init")
    return fmt


class _Wide:
    """A wide export's columns as a proposal reads them: how to name one, its words, its
    answers (through a data dictionary's choice labels)."""

    def __init__(self, raw, preset, labels: dict, choices: dict):
        self.raw, self.preset, self.labels, self.choices = raw, preset, labels, choices
        self.top = raw.headers[0]  # Qualtrics: the column ids; other tools: the only header row
        self._counts: dict[str, int] = {}
        for h in self.top:
            self._counts[normalise(h)] = self._counts.get(normalise(h), 0) + 1

    def ref(self, i: int) -> str:
        """The column as evaluation.yaml names it: its header, or its letter when the header
        is blank or not unique."""
        top = self.top
        return top[i] if self._counts[normalise(top[i])] == 1 and top[i] \
            else f"column {column_letter(i)}"

    def texts(self, i: int) -> list[str]:
        title = self.top[i]
        return [h[i] for h in self.raw.headers if h[i]] + (
            [self.labels[title]] if title in self.labels else [])

    def answers_in(self, i: int, *, blanks: bool = False) -> list[str]:
        choices = choices_for(self.choices, self.raw.header[i]) or choices_for(
            self.choices, self.top[i])
        return [choices.get(r[i], r[i]) for r in self.raw.rows if blanks or r[i]]

    def wording(self, i: int) -> str:
        texts = [h[i] for h in self.raw.headers if h[i]]
        text = self.labels.get(self.top[i]) or (texts[self.preset.text_row] if len(texts) > 1
                                                else texts[0])
        return " ".join(re.sub(r"<[^>]+>", " ", text).split())


@dataclass
class _Sorted:
    """A wide export's columns sorted: the instrument's items, the group, the rest."""

    items: dict[str, list[str]] = field(default_factory=dict)  # item → column refs
    item_texts: dict[str, str] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)
    unmatched_at: list[int] = field(default_factory=list)
    matched_at: list[int] = field(default_factory=list)
    group_index: int | None = None


def _sort_columns(wide: _Wide, id_index: int | None, instrument: Instrument) -> _Sorted:
    found = _Sorted()
    for i, title in enumerate(wide.top):
        if i == id_index or wide.preset.is_metadata(title):
            continue
        texts = wide.texts(i)
        item = next((t.strip() for t in texts if t.strip() in instrument.item_ids), None) or \
            match_item(texts, instrument)
        if item is not None:
            found.matched_at.append(i)
            found.items.setdefault(item, []).append(wide.ref(i))
            found.item_texts.setdefault(item, texts[wide.preset.text_row] if len(texts) > 1
                                        else texts[0])
            continue
        values = set(wide.answers_in(i))
        if found.group_index is None and 1 <= len(values) <= 6 and any(
                w in words(" ".join(texts)) for w in GROUP_WORDS):
            found.group_index = i
            continue
        found.unmatched.append(" / ".join(dict.fromkeys(texts)) or f"column {column_letter(i)}")
        found.unmatched_at.append(i)
    return found


def _unknown_answers(wide: _Wide, columns, ordered: dict, instrument: Instrument) -> list[str]:
    """Answers in the items' columns that the scale does not understand, in order met."""
    lookup = instrument.response_lookup()
    unknown: list[str] = []
    for refs in ordered.values():
        for r in refs:
            for value in wide.answers_in(columns.find(r, (), []), blanks=True):
                if normalise(value) not in lookup and value not in unknown:
                    unknown.append(value)
    return unknown


def _item_of(value: str, instrument: Instrument) -> str | None:
    return value.strip() if value.strip() in instrument.item_ids else match_item(
        [value], instrument)


def _long_columns(raw, instrument: Instrument) -> tuple[int, int] | None:
    """(item column, response column) of a one-row-per-answer table, or None: the item column
    is the one whose values name the most items (at least three), the response column the
    one whose values the scale mostly understands."""
    width = len(raw.header)
    distinct = [list(dict.fromkeys(r[i] for r in raw.rows if r[i]))[:500] for i in range(width)]
    named = [len({_item_of(v, instrument) for v in values} - {None}) for values in distinct]
    item_col = max(range(width), key=lambda i: named[i], default=None)
    if item_col is None or named[item_col] < 3:
        return None
    lookup = instrument.response_lookup()

    def understood(i: int) -> float:
        values = [r[i] for r in raw.rows if r[i]]
        return sum(normalise(v) in lookup for v in values) / len(values) if values else 0.0

    others = [i for i in range(width) if i != item_col]
    response_col = max(others, key=understood, default=None)
    if response_col is None or understood(response_col) < 0.8:
        return None
    return item_col, response_col


def _propose_long(raw, instrument: Instrument, groups, target_file: str) -> Proposal:
    """A one-row-per-answer table: which columns hold the id, group, item and answer."""
    found = _long_columns(raw, instrument)
    if found is None:
        raise UsageError(f"{raw.name}: no column names the instrument's items and no other "
                         "holds answers on its scale; map it by hand (see README)")
    item_col, response_col = found
    header = raw.header
    rest = [i for i in range(len(header)) if i not in found]
    id_col = next((i for i in rest if normalise(header[i]) in ID_NAMES), None)
    group_col = next((i for i in rest if i != id_col and any(
        w in words(header[i]) for w in GROUP_WORDS)), None)
    items: dict[str, list[str]] = {}
    unmatched = []
    for value in dict.fromkeys(r[item_col] for r in raw.rows if r[item_col]):
        item = _item_of(value, instrument)
        if item is None:
            unmatched.append(value)
        elif value != item:
            items.setdefault(item, []).append(value)
    named = set(items) | {v for v in (r[item_col] for r in raw.rows)
                                        if v in instrument.item_ids}
    group_values, group_unmatched = group_answers(
        [r[group_col] for r in raw.rows] if group_col is not None else [], groups)
    lookup = instrument.response_lookup()
    unknown = list(dict.fromkeys(r[response_col] for r in raw.rows
                                 if normalise(r[response_col]) not in lookup))
    return Proposal(
        format="long", file=target_file, instrument=instrument.id,
        respondent_id=header[id_col] if id_col is not None else None,
        group_column=header[group_col] if group_col is not None else None,
        group_values=group_values, group_unmatched=group_unmatched,
        items={i.id: items[i.id] for i in instrument.items if i.id in items},
        unmatched_columns=unmatched,
        items_without_column=[i for i in instrument.item_ids if i not in named],
        unknown_answers=unknown[:30], item_column=header[item_col],
        response_column=header[response_col])


__all__ = [
    "Problem",
    "Proposal",
    "detect_format",
    "match_item",
    "propose",
]
