"""Ids and labels as people see them.

Two ids that look the same on screen are the same id: ``P001`` and ``P001`` with a
zero-width space after it must not count as two people. Ids are compared after Unicode
NFKC normalisation with invisible and text-direction characters removed, and two different
spellings that meet that way are refused (the evaluator decides which is right). Group
labels that would look alike in a report (a Cyrillic "Ѕ" for a Latin "S", a right-to-left
override) are refused too.
"""

from __future__ import annotations

import re
import unicodedata

INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
                       "\ufeff]")
# …and control characters: printed, they could clear a terminal or hide what follows
UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f]|" + INVISIBLE.pattern)


def plain_words(text: str) -> str:
    """Text from someone else's file (a tool's labels) as words: control, invisible and
    direction characters taken out, spacing as one space."""
    return " ".join(UNSHOWABLE.sub(" ", text).split())
# Letters of other alphabets drawn like Latin ones (the common confusables).
LOOKALIKE = str.maketrans({
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ј": "j", "ԁ": "d",
    "ԛ": "q", "ԝ": "w", "ӏ": "l",
    "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x",
})


def normalise_id(value: str) -> str:
    """An id as a person reads it: NFKC, invisible and direction characters removed, outer
    spaces trimmed."""
    return INVISIBLE.sub("", unicodedata.normalize("NFKC", str(value))).strip()


def collisions(values) -> dict[str, list[str]]:
    """Normalised id → the different spellings that share it (only where there are two or
    more)."""
    spellings: dict[str, set[str]] = {}
    for value in values:
        spellings.setdefault(normalise_id(value), set()).add(value)
    return {key: sorted(found) for key, found in spellings.items() if len(found) > 1}


def shown(value: str) -> str:
    """A value with its invisible characters made visible, for a problem line."""
    return INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", value)


def skeleton(text: str) -> str:
    """What a label looks like: accents, case, punctuation and look-alike letters of other
    alphabets folded away."""
    decomposed = unicodedata.normalize("NFKD", INVISIBLE.sub("", text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "", plain.casefold().translate(LOOKALIKE))


def scripts(text: str) -> set[str]:
    """The alphabets a text's letters come from (LATIN, CYRILLIC, GREEK, …)."""
    found = set()
    for char in text:
        if char.isalpha():
            name = unicodedata.name(char, "")
            found.add(name.split(" ", 1)[0] if name else "UNKNOWN")
    return found


SAME_ID = ("'{first}' and '{second}' are different ids that look the same (they differ only "
           "by invisible, look-alike-width or direction characters), so they would count as "
           "one person — or as two")
SAME_ID_FIX = "write the id the same way everywhere, or give different people clearly different ids"


def collision_problems(values, rows, name: str, column: str):
    """One problem per pair of spellings that meet once normalised, at the later one's row.
    ``values`` and ``rows`` run in parallel (a column and its spreadsheet row numbers)."""
    from .errors import Problem, Problems

    first_row: dict[str, tuple[str, int]] = {}
    reported: set[str] = set()
    problems = Problems()
    for value, row in zip(values, rows):
        key = normalise_id(value)
        if key not in first_row:
            first_row[key] = (value, row)
            continue
        original, _ = first_row[key]
        if value != original and (key, value) not in reported:
            reported.add((key, value))
            problems.append(Problem(name, int(row), column, SAME_ID.format(
                first=shown(original), second=shown(value)), SAME_ID_FIX))
    return problems
