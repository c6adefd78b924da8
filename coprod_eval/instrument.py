"""Survey instruments: the items, their staff and partner wording, and the response scale.

An instrument is a versioned YAML file (built in: ``coprod_survey`` and one per built-in
framework). The loader checks it and explains every mistake as ``file:line:field: what —
fix``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import InvalidInputError, Problem
from .paths import PACKAGE_DATA, schema
from .yamlfile import read_yaml, schema_problems

INSTRUMENTS_DIR = PACKAGE_DATA / "instruments"

AGREE_NOT_CODE = "agree code {value} is not one of the scale's codes"
AGREE_NOT_CODE_FIX = "list only codes that appear under scale.codes"
DUPLICATE_ID = "{kind} id '{id}' is used more than once"
DUPLICATE_ID_FIX = "give every {kind} its own id"


@dataclass(frozen=True)
class Item:
    id: str
    staff: str
    partner: str
    reverse: bool = False


@dataclass(frozen=True)
class Instrument:
    id: str
    version: str
    name: str
    codes: tuple[tuple[int, str], ...]
    agree: tuple[int, ...]
    missing: tuple[str, ...]
    items: tuple[Item, ...]

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.items)

    @property
    def lowest(self) -> int:
        return min(code for code, _ in self.codes)

    @property
    def highest(self) -> int:
        return max(code for code, _ in self.codes)

    def response_lookup(self) -> dict[str, int]:
        """Normalised answer text → code; 0 means missing."""
        lookup = {normalise(label): code for code, label in self.codes}
        lookup.update({str(code): code for code, _ in self.codes})
        lookup.update({normalise(m): 0 for m in self.missing})
        lookup[""] = 0
        return lookup


def normalise(text: str) -> str:
    """Answer text compared without case, outer spaces or curly apostrophes."""
    return " ".join(str(text).replace("\u2019", "'").split()).casefold()


def load_instrument(path: Path, display_name: str | None = None) -> Instrument:
    doc = read_yaml(path, display_name)
    problems = schema_problems(doc, schema("instrument"))
    if problems:
        raise InvalidInputError(problems)
    data = doc.data
    codes = tuple((c["code"], c["label"]) for c in data["scale"]["codes"])
    problems += duplicates(doc, ("scale", "codes"), [str(c) for c, _ in codes], "scale code")
    problems += duplicates(doc, ("items",), [i["id"] for i in data["items"]], "item")
    known = {c for c, _ in codes}
    for i, code in enumerate(data["scale"]["agree"]):
        if code not in known:
            problems.append(doc.problem(("scale", "agree", i), AGREE_NOT_CODE.format(value=code),
                                        AGREE_NOT_CODE_FIX))
    if problems:
        raise InvalidInputError(problems)
    return Instrument(
        id=data["id"], version=str(data["version"]), name=data["name"], codes=codes,
        agree=tuple(data["scale"]["agree"]), missing=tuple(data["scale"]["missing"]),
        items=tuple(Item(i["id"], i["staff"], i["partner"], bool(i.get("reverse", False)))
                    for i in data["items"]),
    )


def builtin_instrument_path(instrument_id: str) -> Path:
    return INSTRUMENTS_DIR / f"{instrument_id}.yaml"




def duplicates(doc, path, ids, kind) -> list[Problem]:
    """A problem for each id that repeats an earlier one."""
    seen, problems = set(), []
    for i, value in enumerate(ids):
        if value in seen:
            problems.append(doc.problem((*path, i), DUPLICATE_ID.format(kind=kind, id=value),
                                        DUPLICATE_ID_FIX.format(kind=kind)))
        seen.add(value)
    return problems
