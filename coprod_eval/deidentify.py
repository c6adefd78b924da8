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
    ("phone", re.compile(r"(?<!\w)(?:\+44[ \t]?\(?0?\)?[ \t]?|0)\d(?:[ \t-]?\d){8,9}(?!\d)")),
    ("postcode", re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.I)),
    ("date", re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")),
)


@dataclass
class Redactor:
    """Replaces identifying text with numbered placeholders, consistently across calls.

    ``roster`` names (from the evaluator) are matched tolerating simple misspellings (one
    typo, or two in long names: a letter wrong, missing, extra or swapped with its neighbour);
    ``pseudonyms`` (ids used in the evidence) are matched exactly, as whole words.
    """

    roster: tuple[str, ...] = ()
    pseudonyms: frozenset[str] = frozenset()
    placeholders: dict[tuple[str, str], str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    originals: dict[str, list[str]] = field(default_factory=dict)  # placeholder → as found

    def _placeholder(self, kind: str, found: str, same_as: str | None = None) -> str:
        if same_as is None and kind in ("NHS number", "phone", "postcode"):
            same_as = re.sub(r"[^0-9a-z]", "", found.casefold())  # one number, any spacing
        key = (kind, (same_as or found).casefold())
        if key not in self.placeholders:
            self.counts[kind] = self.counts.get(kind, 0) + 1
            self.placeholders[key] = f"[{kind} {self.counts[kind]}]"
        placeholder = self.placeholders[key]
        seen = self.originals.setdefault(placeholder, [])
        if found not in seen:
            seen.append(found)
        return placeholder

    def log(self) -> list[dict]:
        """Each placeholder with the text it replaced: for the run folder only, never a report."""
        return [{"placeholder": p, "replaced": list(found)} for p, found in self.originals.items()]

    def __call__(self, text: str) -> str:
        for kind, pattern in PATTERNS:
            text = pattern.sub(lambda m, k=kind: self._placeholder(k, m.group(0)), text)
        if self.roster or self.pseudonyms:
            text = self._names(text)
        return text

    def _names(self, text: str) -> str:
        tokens = {t.casefold() for n in self.roster for t in n.split() if len(t) >= 2}
        short = {t for t in tokens if len(t) < 4}  # too short to match loosely
        long = sorted(tokens - short)
        ids = {p.casefold() for p in self.pseudonyms}

        def replace(match: re.Match) -> str:
            word = match.group(0)
            folded = word.casefold()
            if folded in ids:
                return self._placeholder("participant", word)
            if folded in short:
                return self._placeholder("name", word, same_as=folded)
            if len(folded) >= 4:
                for name in long:
                    if abs(len(name) - len(folded)) <= 2 and typo_distance(
                            folded, name) <= (1 if len(name) < 8 else 2):
                        return self._placeholder("name", word, same_as=name)
            return word

        return re.sub(r"\b[A-Za-z0-9][A-Za-z0-9'_-]*\b", replace, text)


def typo_distance(a: str, b: str) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) turning ``a`` into ``b``."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1,
                             previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]
