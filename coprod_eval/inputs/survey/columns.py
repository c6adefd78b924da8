"""An export's columns found by header (any header row, or a question's words) or by letter, with
the closest header named when one is not found."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

from ...base.errors import Problem
from ...base.tables import (
    RawTable,
    column_index,
    column_letter,
    short,
)
from ...yardsticks.instrument import normalise
from .mapping import (
    AMBIGUOUS_COLUMN,
    AMBIGUOUS_COLUMN_FIX,
    LETTER_REF,
    NO_COLUMN,
    NO_COLUMN_FIX,
    SurveySource,
)


class Columns:
    """Finds a table's columns by header (any header row) or by letter."""

    def __init__(self, raw: RawTable, source: SurveySource, labels: Mapping[str, str] = {}):
        self.raw, self.source = raw, source
        self.by_text: dict[str, list[int]] = {}
        self.by_wording: dict[str, list[int]] = {}  # question keys (see question_keys)
        for i in range(len(raw.header)):
            texts = [h[i] for h in raw.headers if h[i]]
            if raw.header[i] in labels:  # REDCap: a field name also finds its label's column
                texts.append(labels[raw.header[i]])
            for text in {normalise(t) for t in texts}:
                self.by_text.setdefault(text, []).append(i)
            for key in {k for t in texts for k in question_keys(t)}:
                self.by_wording.setdefault(key, []).append(i)

    def label(self, i: int) -> str:
        title = next((h[i] for h in self.raw.headers if h[i]), "")
        title = title if len(title) <= 50 else title[:49] + "…"
        return f"{column_letter(i)} ({title})" if title else column_letter(i)

    def find(self, ref: str, path: tuple, problems: list[Problem]) -> int | None:
        letter = LETTER_REF.match(ref.strip())
        if letter:
            index = column_index(letter.group(1).upper())
            if index < len(self.raw.header):
                return index
            found = []
        else:
            found = self.by_text.get(normalise(ref), [])
            if not found:  # the same question as another tool words its header
                found = sorted({i for key in question_keys(ref)[:1]
                                for i in self.by_wording.get(key, [])})
        if len(found) == 1:
            return found[0]
        file_, line, fld = self.source.where(*path)
        if not found:  # the closest wording in any header row (Qualtrics: the second)
            close = _closest(ref, list(dict.fromkeys(h for row in self.raw.headers
                                                     for h in row if h)))
            problems.append(Problem(file_, line, fld, NO_COLUMN.format(ref=short(ref),
                                                                         file=self.raw.name),
                                    NO_COLUMN_FIX.format(close=f" (closest: '{short(close, 160)}')"
                                                         if close else "")))
        else:
            letters = ", ".join(column_letter(i) for i in found)
            problems.append(Problem(file_, line, fld, AMBIGUOUS_COLUMN.format(
                ref=short(ref), letters=letters, file=self.raw.name),
                AMBIGUOUS_COLUMN_FIX.format(first=column_letter(found[0]))))
        return None

    def find_any(self, refs, path: tuple, problems: list[Problem]) -> int | None:
        """The column of the first of ``refs`` found (the ways tools word one question);
        none found: one problem, naming the closest header to the first."""
        for ref in refs:
            index = self.find(ref, path, [])
            if index is not None:
                return index
        return self.find(refs[0], path, problems)

    def first_present(self, names) -> int | None:
        for name in names:
            found = self.by_text.get(normalise(name), [])
            if len(found) == 1:
                return found[0]
        return None

_CLARIFICATION = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*$")
_GRID = re.compile(r"^(.*?)\[(.+)\]\s*$")
# Ways of writing the same words that tools and evaluators mix: one form for matching.
_VARIANTS = tuple((re.compile(pattern), same) for pattern, same in (
    (r"\bno[- ]one\b|\bnobody\b", "nobody"), (r"\bcan'?t\b|\bcan not\b", "cannot"),
    (r"\bwon't\b", "will not"), (r"\b(\w+)n't\b", r"\1 not"), (r" ?& ?", " and "),
    (r"\bco[- ]?(produc|design)", r"co\1"), (r"\b(organi|recogni|prioriti)z", r"\1s"),
    (r"\be-mail\b", "email"), (r"\bok\b|\bokay\b", "ok"),
))
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                         "\u2013": "-", "\u2014": "-", "\u00a0": " "})


def question_key(text: str) -> str:
    """A question's wording as every tool's header of it agrees: HTML, curly quotes, case,
    spacing, closing punctuation and a trailing clarification in brackets ("(e.g. £ budget)")
    do not count."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", str(text))).translate(_QUOTES)
    previous = None
    while previous != text:
        previous, text = text, _CLARIFICATION.sub("", text)
    text = " ".join(text.split()).strip(" .?:!*").casefold()
    for pattern, same in _VARIANTS:
        text = pattern.sub(same, text)
    return text


def header_parts(text: str, separators: tuple[str, ...] = (" - ", ": ")) -> list[str]:
    """The wordings a header may carry, the most specific first: a Google grid row
    (``Question [Statement]``), a Qualtrics or SmartSurvey statement (``Question - Statement``),
    then the whole header; without HTML, spacing as written."""
    text = " ".join(re.sub(r"<[^>]+>", " ", str(text)).split())
    parts = []
    grid = _GRID.match(text)
    if grid and grid.group(1).strip():
        parts.append(grid.group(2))
    parts += [text.rsplit(sep, 1)[1] for sep in separators if sep in text]
    return [*parts, text]


def question_keys(text: str) -> list[str]:
    """The keys (see question_key) of every wording a header carries, most specific first."""
    keys = map(question_key, header_parts(str(text).translate(_QUOTES)))
    return [k for k in dict.fromkeys(keys) if k]


def _closest(ref: str, options: list[str]) -> str | None:
    """The option whose wording (any part a header carries) is nearest ``ref``'s."""
    import difflib

    wanted = question_key(ref)
    best, score = None, 0.6
    for option in options:  # each wording a header carries, shown as the header gives it
        for part in header_parts(option.translate(_QUOTES)) or [option]:
            ratio = difflib.SequenceMatcher(None, wanted, question_key(part)).ratio()
            if ratio > score:
                best, score = part.strip(), ratio
    return best
