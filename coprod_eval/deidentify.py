"""De-identify free text before any of it leaves a run.

Pattern-based: emails, URLs and social handles, UK phone numbers, NHS numbers (10 digits in
any 3-3-4 spacing or with hyphens, redacted on the pattern whether or not the modulus-11
check passes), UK postcodes (any case, with or without the space), dates, and names from a
roster the evaluator supplies. Placeholders are numbered consistently within a run: the same
email is ``[email 1]`` every time it appears.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Order matters: a link is replaced whole before the email inside it could be.
PATTERNS: tuple[tuple[str, re.Pattern], ...] = (
    ("link", re.compile(r"\b(?:https?://|www\.)\S+", re.I)),
    ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.I)),
    ("handle", re.compile(r"(?<![\w@])@[A-Za-z0-9_]{2,}")),
    ("NHS number", re.compile(r"(?<!\d)\d{3}[ -]?\d{3}[ -]?\d{4}(?!\d)")),
    ("phone", re.compile(r"(?<!\w)(?:\+44\s?\(?0?\)?\s?|0)(?:\d[\s-]?){9,10}(?!\d)")),
    ("postcode", re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.I)),
    ("date", re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")),
)


@dataclass
class Redactor:
    """Replaces identifying text with numbered placeholders, consistently across calls."""

    roster: tuple[str, ...] = ()
    placeholders: dict[tuple[str, str], str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def _placeholder(self, kind: str, found: str) -> str:
        key = (kind, found.casefold())
        if key not in self.placeholders:
            self.counts[kind] = self.counts.get(kind, 0) + 1
            self.placeholders[key] = f"[{kind} {self.counts[kind]}]"
        return self.placeholders[key]

    def __call__(self, text: str) -> str:
        for kind, pattern in PATTERNS:
            text = pattern.sub(lambda m, k=kind: self._placeholder(k, m.group(0)), text)
        if self.roster:
            text = self._names(text)
        return text

    def _names(self, text: str) -> str:
        from difflib import SequenceMatcher

        names = sorted({t.casefold() for n in self.roster for t in n.split() if len(t) >= 3})

        def replace(match: re.Match) -> str:
            word = match.group(0)
            for name in names:
                if SequenceMatcher(None, word.casefold(), name).ratio() >= 0.8:
                    return self._placeholder("name", name)
            return word

        return re.sub(r"\b[A-Za-z][A-Za-z'-]{2,}\b", replace, text)
