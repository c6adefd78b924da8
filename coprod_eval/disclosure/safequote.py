"""A quote is published only as far as it is known to be safe (default deny).

Enumerating the forms a personal detail can take cannot win, so a published quote keeps only
what is known to be safe and masks everything else:

- **kept:** ordinary English words (a Zipf frequency of at least 3 in ``wordfreq``, about once
  in a million words), the evaluation's own vocabulary (its framework, questions, groups and
  title), ``I`` and a few everyday capitals (NHS, GP), ordinary punctuation, and the
  de-identifier's own placeholders;
- **masked** as ``[name]``, ``[number]`` or ``[detail]``: any digit; two or more number words in
  a row ("four five zero", "oh seven seven double oh"), three within seven words ("seven then
  seven then nine"), or joined by slashes; a month beside a number or an ordinal; a number
  word after bed, flat, ward or aged; words outside that vocabulary; capitalised words inside
  a sentence unless a common word that is no name or place ("Steering Group" stays,
  "Baker" goes); words in capitals other than the field's abbreviations (CCG, DBS); given
  names (US Census and UK lists, with short forms) and places (GeoNames, 5,000 people or
  more) where they may name someone; the word after a title or "called"; single letters
  other than "a" and "I" (initials); anything joined by ``@``, ``.``, ``_``, ``:`` or
  brackets (addresses, links, handles), "at … dot …", "underscore", a webmail name after
  "at", a domain after "point"; a street ("mill lane") and its number; the spelling alphabet
  in a run; symbols (bullets, ``#``); letters of other scripts (confusables).

What a word-by-word rule cannot see stays the evaluator's to judge when approving: a name
that is an everyday word in lower case ("ask rose"), a single number word ("she's
nineteen"), house, pub and village names of ordinary words, and combinations that single
someone out ("the only polish lad in the village").

Text is normalised first, so nothing hides in Unicode: NFKC (fullwidth forms, ligatures),
invisible characters and bidi controls dropped, every dash folded to ``-``, quotes to ``'``
and ``"``, every space, line break and control character to one space.

The evaluator may keep a masked span on purpose, for one quote, with a reason; an approval
records the rules it was made under (:func:`rules`), so a change of rule lapses it. The audit
(:mod:`coprod_eval.runs.audit`) checks published quotes with a mechanism of its own.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .safewords import (
    ORDINARY,
    STARTS,
    WORD,
    base,
    care_words,
    evaluation_vocabulary,
    given_names,
    name_threshold,
    normalise,
    ordinary_capital,
    stem_frequency,
    zipf,
)

RULES = "safe-words/1"

TITLES = frozenset({"Mr", "Mrs", "Ms", "Dr", "St", "Prof", "Cllr", "Rev", "Sr", "Jr"})
SAFE_CAPITALS = frozenset({"I", "NHS", "GP", "GPs", "OK", "A", "English", "Monday", "Tuesday",
                           "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"})
ABBREVIATIONS = frozenset({"e.g", "i.e", "etc", "a.m", "p.m", "vs"})
NUMBER_WORDS = frozenset((
    "zero", "nought", "oh", "o", "one", "two", "three", "four", "five", "six", "seven", "eight",
    "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
    "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty",
    "seventy", "eighty", "ninety", "hundred", "thousand", "million", "double", "triple",
    "treble"))
ORDINALS = frozenset((
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
    "seventeenth", "eighteenth", "nineteenth", "twentieth", "thirtieth"))
DECADES = frozenset(("teens", "twenties", "thirties", "forties", "fifties", "sixties",
                     "seventies", "eighties", "nineties"))
MONTHS = frozenset(("january", "february", "march", "april", "may", "june", "july", "august",
                    "september", "october", "november", "december", "jan", "feb", "mar", "apr",
                    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"))
# the spelling alphabet: letters of a registration, a postcode or an id read out
SPELLING = frozenset(("alpha", "alfa", "bravo", "charlie", "delta", "echo", "foxtrot", "golf",
                      "hotel", "india", "juliet", "juliett", "kilo", "lima", "mike", "november",
                      "oscar", "papa", "quebec", "romeo", "sierra", "tango", "uniform",
                      "victor", "whiskey", "whisky", "xray", "x-ray", "yankee", "zulu"))
# a number word after one of these says where someone is, or how old
NUMBERED = frozenset(("bed", "beds", "flat", "room", "ward", "bay", "house", "number", "no",
                      "aged", "age", "unit", "apartment", "door", "block", "cubicle", "locker",
                      "seat", "cell", "wing", "pod", "cottage", "plot"))
TITLED = frozenset(("mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "lady",
                    "lord", "cllr", "councillor", "rev", "reverend", "father", "sister",
                    "auntie", "aunty", "uncle", "nan", "nana", "grandma", "grandad"))
NAMING = frozenset(("called", "named", "nicknamed", "aka"))  # "a guy called paddy"
STREETS = frozenset(("street", "road", "lane", "avenue", "crescent", "grove", "terrace",
                     "gardens", "mews", "boulevard", "rd", "st", "ave"))
DETERMINERS = frozenset(("the", "a", "an", "this", "that", "our", "my", "your", "their", "his",
                         "her", "its", "same", "other", "next", "each", "every", "one", "main",
                         "high"))
WEBMAIL = frozenset(("gmail", "googlemail", "outlook", "hotmail", "yahoo", "icloud", "aol",
                     "btinternet", "protonmail", "proton", "gmx", "msn", "live", "virginmedia",
                     "talktalk", "sky", "ntlworld", "blueyonder", "me", "mac"))
SPOKEN_JOINS = frozenset(("dot", "underscore", "arobase", "hyphen"))
DOMAINS = frozenset(("com", "org", "net", "uk", "fr", "de", "io", "ie", "eu", "info", "biz",
                     "co", "gov", "nhs", "ac", "edu", "me", "ly", "tv"))
PUNCTUATION = frozenset(".,;:!?\"'()-&%/")
LEAD = "\"'(["
TRAIL = ".,;:!?\"')]"
PLACEHOLDER = re.compile(r"\[[A-Za-z ]+?(?: \d+)?\](?:'s)?")
CHUNK = re.compile(PLACEHOLDER.pattern + r"|\S+")
def rules() -> str:
    """The rules a quote is masked under. Bump it with any change of rule: every approval
    lapses. (A change in a word list that changes a published quote lapses its approval by
    the quote's own fingerprint.)"""
    return RULES


@dataclass(frozen=True)
class Span:
    """A stretch of the normalised text that is masked (or kept on purpose)."""

    start: int
    end: int
    kind: str  # name, number or detail
    found: str
    kept: str | None = None  # the evaluator's reason, when kept


@dataclass(frozen=True)
class Masked:
    source: str  # normalised
    spans: tuple[Span, ...]

    @property
    def text(self) -> str:
        """As published."""
        out, at = [], 0
        for span in self.spans:
            out += [self.source[at:span.start], span.found if span.kept else f"[{span.kind}]"]
            at = span.end
        return "".join(out + [self.source[at:]])

    def marked(self) -> str:
        """For the evaluator: every masked span shown with what it hides, every kept one
        with its reason."""
        out, at = [], 0
        for span in self.spans:
            shown = (f"⟦kept: {span.found}⟧" if span.kept
                     else f"⟦[{span.kind}] ← {span.found}⟧")
            out += [self.source[at:span.start], shown]
            at = span.end
        return "".join(out + [self.source[at:]])


def _latin(word: str) -> bool:
    return all(not c.isalpha() or unicodedata.name(c, "").startswith("LATIN") for c in word)


class Masker:
    """Masks what is not known to be safe; see the module's text."""

    def __init__(self, words: frozenset[str] = frozenset(),
                 capitals: frozenset[str] = frozenset()):
        self.words, self.capitals = words, capitals

    def __call__(self, text: str, keep: tuple[str, ...] = ()) -> Masked:
        source = normalise(text)
        chunks = [(m.start(), m.end(), m.group(0)) for m in CHUNK.finditer(source)]
        kinds = self._kinds(chunks)
        spans = self._spans(source, chunks, kinds)
        return Masked(source, self._keep(source, spans, keep))

    # -- one chunk (a run without spaces) at a time -------------------------------------------

    def _kinds(self, chunks) -> list[str | None]:
        kinds: list[str | None] = []
        starts = True
        for _, _, chunk in chunks:
            if PLACEHOLDER.fullmatch(chunk):
                kinds.append(None)
                starts = False
                continue
            core = chunk.lstrip(LEAD).rstrip(TRAIL)
            if not core:
                kinds.append(None if set(chunk) <= PUNCTUATION else "detail")
            else:
                lead = chunk[: len(chunk) - len(chunk.lstrip(LEAD))]
                trail = chunk[len(lead) + len(core):]
                if set(lead + trail) - PUNCTUATION:
                    kinds.append("detail")
                else:
                    kinds.append(self._core(core, starts))
            ended = chunk.rstrip("\"')]")
            starts = ended.endswith((".", "!", "?")) and not (  # "J. Smith", "Dr. Okafor"
                len(ended) == 2 or ended[:-1].lstrip(LEAD) in TITLES)
        self._number_words(chunks, kinds)
        self._spoken_addresses(chunks, kinds)
        self._in_context(chunks, kinds)
        return kinds

    def _core(self, core: str, starts: bool) -> str | None:
        if set(core) <= PUNCTUATION:
            return None  # a dash between words, "&", "%"
        if any(c.isdigit() for c in core):
            return "number" if not any(c.isalpha() for c in core) else "detail"
        if core.casefold() in ABBREVIATIONS:
            return None
        if not WORD.fullmatch(core):
            parts = core.split("/")
            if len(parts) > 1 and all(WORD.fullmatch(p) and self._word(p, False) is None
                                      for p in parts):
                folded = {p.casefold() for p in parts}
                if folded & (NUMBER_WORDS | ORDINALS | SPELLING):
                    return "number"  # oh/seven/seven read out
                if folded & (WEBMAIL | DOMAINS | SPOKEN_JOINS):
                    return "detail"  # jane/doe/gmail
                return None  # and/or, carers/staff
            return "detail"  # joined by @ . _ : or symbols: addresses, links, handles
        kinds = [self._word(part, starts and i == 0) for i, part in enumerate(core.split("-"))]
        found = [k for k in kinds if k]
        return ("name" if "name" in found else found[0]) if found else None

    def _word(self, word: str, starts: bool) -> str | None:
        if not _latin(word):
            return "detail"
        if word in SAFE_CAPITALS or (word.casefold() == "a" and starts):
            return None
        if zipf(word.casefold()) >= ORDINARY and "'" in word and word[:1] == "I":
            return None  # I'm, I've, I'd
        stem = base(word)
        lower = stem.casefold()
        capital = stem[:1].isupper()
        if len(stem) == 1 and lower not in ("a", "i"):
            return "name" if capital else "detail"  # initials
        if stem in self.capitals:
            return None
        if stem.isupper() and len(stem) > 1:
            return None if lower in care_words() else "name"  # CCG, DBS; not SMITH
        if capital and not starts and not ordinary_capital(lower):
            return "name"
        if any(c.isupper() for c in stem[1:]):
            return "name"  # mixed case: McAllister, or a word written backwards (oJ)
        if lower in self.words:
            return None
        frequency = max(zipf(lower),
                        0.0 if lower in given_names() else stem_frequency(lower))
        if capital and frequency < STARTS:
            return "name"  # a rarer word starting a sentence may be a name ("Zoey said")
        if frequency < name_threshold(lower, capital):
            return "name"
        return None if frequency >= ORDINARY else "detail"

    # -- across chunks ------------------------------------------------------------------------

    @staticmethod
    def _number_words(chunks, kinds) -> None:
        """Two or more number words in a row, and any next to a number, are a number."""
        def number_words(i) -> int:
            core = chunks[i][2].strip(LEAD + TRAIL).casefold()
            parts = core.split("-")
            return len(parts) if kinds[i] is None and core and all(
                p in NUMBER_WORDS for p in parts) else 0

        i = 0
        while i < len(chunks):
            j, words = i, 0
            while j < len(chunks) and number_words(j):
                words += number_words(j)
                j += 1
            near_number = (i > 0 and kinds[i - 1] == "number") or (
                j < len(chunks) and kinds[j] == "number")
            if words >= 2 or (j > i and near_number):
                kinds[i:j] = ["number"] * (j - i)
            i = max(j, i + 1)

    @staticmethod
    def _in_context(chunks, kinds) -> None:
        """What a word is by its neighbours: three or more number words (spelled letters,
        ordinals, decades) within seven words ("seven then seven then nine"); a month beside
        a number or an ordinal (a birthday); a number word after bed, flat, ward or aged;
        the word after a title (mr bishop); a webmail name and the address before it; a
        top-level domain after "point" or "dot"."""
        words = [c.strip(LEAD + TRAIL).casefold() for _, _, c in chunks]

        def numeric(i):
            parts = words[i].split("-")
            return kinds[i] == "number" or (kinds[i] is None and bool(words[i]) and all(
                p in NUMBER_WORDS | ORDINALS | DECADES | SPELLING for p in parts))

        marks = [numeric(i) for i in range(len(chunks))]
        for i, word in enumerate(words):
            near = range(max(0, i - 3), min(len(chunks), i + 4))
            if marks[i] and kinds[i] is None and sum(marks[k] for k in near) >= 3:
                kinds[i] = "number"
            if word in MONTHS and any(marks[k] for k in near if k != i):
                for k in [i, *(k for k in near if marks[k])]:
                    kinds[k] = kinds[k] or "number"
            if i and words[i - 1] in NUMBERED and marks[i]:
                kinds[i] = kinds[i] or "number"
            if i and (words[i - 1].rstrip(".") in TITLED or words[i - 1] in NAMING) and (
                    kinds[i] is None and word):
                kinds[i] = "name"
            if word in STREETS and i and words[i - 1] not in DETERMINERS and words[i - 1]:
                # acacia avenue, mill lane: the street and its number
                first = i - 1
                while first and marks[first - 1]:
                    first -= 1
                for k in range(first, i + 1):
                    kinds[k] = kinds[k] if kinds[k] == "name" else "detail"
            if word in WEBMAIL and any(words[k] in ("at", "@") for k in range(max(0, i - 2), i)):
                for k in range(max(0, i - 3), min(len(chunks), i + 3)):
                    kinds[k] = kinds[k] if kinds[k] == "name" else "detail"
            if word in DOMAINS and i and words[i - 1] in ("point", "dot", "full"):
                for k in range(max(0, i - 4), i + 1):
                    kinds[k] = kinds[k] if kinds[k] == "name" else "detail"

    @staticmethod
    def _spoken_addresses(chunks, kinds) -> None:
        """``sue at example dot org``, ``sue (at) example``, ``@`` at either end of a chunk:
        the words around them are an address."""
        for i, (_, _, chunk) in enumerate(chunks):
            core = chunk.strip(LEAD + TRAIL).casefold()
            bracketed = chunk != core and core in ("at", "dot") and chunk[:1] in "([{"
            spoken = core in SPOKEN_JOINS or bracketed
            if core == "@":  # alone, "at": itself (a webmail name after it is caught too)
                kinds[i] = kinds[i] if kinds[i] == "name" else "detail"
            elif spoken or core.startswith("@") or core.endswith("@"):
                lo = i - 1 if i > 0 and (spoken or core.startswith("@")) else i
                hi = i + 1 if i + 1 < len(chunks) and (spoken or core.endswith("@")) else i
                if lo > 0 and chunks[lo - 1][2].casefold() in ("at", "(at)", "[at]"):
                    lo -= 2 if lo > 1 else 1
                for k in range(max(lo, 0), hi + 1):
                    kinds[k] = kinds[k] if kinds[k] == "name" else "detail"

    @staticmethod
    def _spans(source, chunks, kinds) -> list[Span]:
        """Masked chunks next to each other (with only spaces, dashes or dots between) as one
        span, so ``450 557 7120`` is one ``[number]``."""
        spans: list[Span] = []
        for (start, end, chunk), kind in zip(chunks, kinds):
            if kind is None:
                continue
            lead = len(chunk) - len(chunk.lstrip(LEAD))
            trail = len(chunk) - len(chunk.rstrip(TRAIL))
            if lead + trail >= len(chunk):
                lead = trail = 0
            start, end = start + lead, end - trail
            if spans and not source[spans[-1].end:start].strip(" -."):
                last = spans[-1]
                merged = last.kind if last.kind == kind else "detail"
                spans[-1] = Span(last.start, end, merged, source[last.start:end])
            else:
                spans.append(Span(start, end, kind, source[start:end]))
        return spans

    @staticmethod
    def _keep(source, spans, keep) -> tuple[Span, ...]:
        kept = []
        for span in spans:
            reason = next((why for text, why in keep
                           if any(s <= span.start and span.end <= s + len(text)
                                  for s in _occurrences(source, normalise(text)))), None)
            kept.append(Span(span.start, span.end, span.kind, span.found, reason)
                        if reason else span)
        return tuple(kept)


def _occurrences(text: str, part: str):
    at = text.find(part) if part else -1
    while at >= 0:
        yield at
        at = text.find(part, at + 1)


__all__ = ["Masked", "Masker", "Span", "evaluation_vocabulary", "normalise", "rules"]
