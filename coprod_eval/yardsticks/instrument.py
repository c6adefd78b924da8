"""Survey instruments: the items, their staff and partner wording, and the response scale.

An instrument is a versioned YAML file (built in: ``coprod_survey`` and one per built-in
framework). The loader checks it and explains every mistake as ``file:line:field: what —
fix``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..base.errors import InvalidInputError, Problem
from ..base.paths import PACKAGE_DATA, schema
from ..base.yamlfile import read_yaml, schema_problems

INSTRUMENTS_DIR = PACKAGE_DATA / "instruments"

AGREE_NOT_CODE = "agree code {value} is not one of the scale's codes"
AGREE_NOT_CODE_FIX = "list only codes that appear under scale.codes"
DUPLICATE_ID = "{kind} id '{id}' is used more than once"
DUPLICATE_ID_FIX = "give every {kind} its own id"
AGREE_ONE_WAY = "the scale needs either 'agree' (the codes that count as agreeing) or 'agree_from'"
AGREE_ONE_WAY_FIX = ("write one of them, e.g. 'agree_from: 5' on a 7-point scale (5, 6 and 7 "
                     "count as agreeing)")
WORDING = "question {id} needs either 'text' (one wording) or both 'staff' and 'partner'"
WORDING_FIX = "write 'text:' with the question as it was asked, or the two parallel wordings"
TO_CONFIRM = "TO CONFIRM"
UNCONFIRMED = ("{count} question(s) still say TO CONFIRM ({ids}): the suggested principles and "
               "reverse flags are proposals, never used until someone confirms them")
UNCONFIRMED_FIX = ("run coprod-eval map FOLDER to accept or change each one, or write them "
                   "here, e.g. 'principles: [assets]' and 'reverse: false'")
SOME_ASSIGNED = ("question {id} says no principle while others do: every question of an own "
                 "questionnaire says which principle(s) it evidences")
SOME_ASSIGNED_FIX = ("add 'principles: [...]' to it, or leave the question out of the "
                     "instrument and list its column under evidence.survey.ignore")

# Other wordings survey tools use for the usual scale labels (normalised) → the usual label.
LABEL_WORDINGS = {
    "agree strongly": "strongly agree", "disagree strongly": "strongly disagree",
    "completely agree": "strongly agree", "completely disagree": "strongly disagree",
    "neither agree or disagree": "neither agree nor disagree",
    "neither disagree nor agree": "neither agree nor disagree",
    "neutral": "neither agree nor disagree", "neither": "neither agree nor disagree",
    "slightly agree": "somewhat agree", "tend to agree": "somewhat agree",
    "mostly agree": "somewhat agree", "slightly disagree": "somewhat disagree",
    "tend to disagree": "somewhat disagree", "mostly disagree": "somewhat disagree",
    "agree somewhat": "somewhat agree", "disagree somewhat": "somewhat disagree",
}

# Agreement scales coprod-eval recognises in an export (init --from), lowest first. The agree
# cut-off is the first code that counts as agreeing.
SCALES = {
    "agree4": (("Strongly disagree", "Disagree", "Agree", "Strongly agree"), 3),
    "agree5": (("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
                "Strongly agree"), 4),
    "agree7": (("Strongly disagree", "Disagree", "Somewhat disagree",
                "Neither agree nor disagree", "Somewhat agree", "Agree", "Strongly agree"), 5),
    "zero_to_ten": (tuple(str(k) for k in range(11)), 7),
}


@dataclass(frozen=True)
class Item:
    id: str
    staff: str
    partner: str
    reverse: bool = False
    principles: tuple[str, ...] | None = None  # own questionnaires: the principles it evidences
    line: int | None = field(default=None, compare=False)  # where it is in the file

    @property
    def text(self) -> str:
        """The wording (the partner version where there are two)."""
        return self.partner


@dataclass(frozen=True)
class Instrument:
    id: str
    version: str
    name: str
    codes: tuple[tuple[int, str], ...]
    agree: tuple[int, ...]
    missing: tuple[str, ...]
    items: tuple[Item, ...]
    path: str = ""  # the file as problems name it

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.items)

    @property
    def assigns(self) -> bool:
        """True when the instrument says which principles each question evidences (an
        evaluator's own questionnaire); the framework's item lists then do not apply."""
        return any(item.principles is not None for item in self.items)

    @property
    def offset(self) -> int:
        """Added to every code internally, where 0 means 'no answer' (a 0-10 scale → 1-11)."""
        return max(0, 1 - self.lowest)

    @property
    def internal_scale(self) -> tuple[int, ...]:
        return tuple(code + self.offset for code, _ in self.codes)

    @property
    def internal_agree(self) -> tuple[int, ...]:
        return tuple(code + self.offset for code in self.agree)

    @property
    def lowest(self) -> int:
        return min(code for code, _ in self.codes)

    @property
    def highest(self) -> int:
        return max(code for code, _ in self.codes)

    def response_lookup(self) -> dict[str, int]:
        """Normalised answer text → internal code (the code plus ``offset``); 0 means
        missing. Other common wordings of the labels ("Agree strongly") are understood."""
        lookup = {normalise(label): code + self.offset for code, label in self.codes}
        for other, usual in LABEL_WORDINGS.items():
            if usual in lookup and other not in lookup:
                lookup[other] = lookup[usual]
        lookup.update({str(code): code + self.offset for code, _ in self.codes})
        lookup.update({normalise(m): 0 for m in self.missing})
        lookup[""] = 0
        return lookup


def normalise(text: str) -> str:
    """Answer text compared without case, outer spaces or curly apostrophes."""
    return " ".join(str(text).replace("\u2019", "'").split()).casefold()


def _agree_codes(doc, known: set, problems) -> tuple[int, ...]:
    """The codes that count as agreeing: listed (``agree``) or from a code up
    (``agree_from``), one way only, each a code of the scale."""
    scale = doc.data["scale"]
    if ("agree" in scale) == ("agree_from" in scale):
        problems.append(doc.problem(("scale",), AGREE_ONE_WAY, AGREE_ONE_WAY_FIX))
        return ()
    if "agree" in scale:
        for i, code in enumerate(scale["agree"]):
            if code not in known:
                problems.append(doc.problem(("scale", "agree", i),
                                            AGREE_NOT_CODE.format(value=code), AGREE_NOT_CODE_FIX))
        return tuple(scale["agree"])
    if scale["agree_from"] not in known:
        problems.append(doc.problem(("scale", "agree_from"), AGREE_NOT_CODE.format(
            value=scale["agree_from"]), AGREE_NOT_CODE_FIX))
    return tuple(sorted(c for c in known if c >= scale["agree_from"]))


def _item(doc, i: int, raw: dict, problems):
    """One question, checked: an Item, TO_CONFIRM while its mapping awaits confirmation, or
    None with the problem recorded."""
    one = "text" in raw and not ("staff" in raw or "partner" in raw)
    two = "text" not in raw and "staff" in raw and "partner" in raw
    if not (one or two):
        problems.append(doc.problem(("items", i), WORDING.format(id=raw["id"]), WORDING_FIX))
        return None
    principles, reverse = raw.get("principles"), raw.get("reverse", False)
    if any(isinstance(v, str) for v in (principles, reverse)):
        if any(isinstance(v, str) and v.strip().startswith(TO_CONFIRM)
               for v in (principles, reverse)):
            return TO_CONFIRM
        key = "principles" if isinstance(principles, str) else "reverse"
        problems.append(doc.problem(("items", i, key),
                                    f"'{key}' of question {raw['id']} is text",
                                    "write a list of principle ids for principles, "
                                    "true or false for reverse"))
        return None
    staff = raw.get("staff", raw.get("text"))
    partner = raw.get("partner", raw.get("text"))
    return Item(raw["id"], staff, partner, bool(reverse),
                None if principles is None else tuple(principles), doc.line(("items", i)))


def load_instrument(path: Path, display_name: str | None = None) -> Instrument:
    doc = read_yaml(path, display_name)
    problems = schema_problems(doc, schema("instrument"))
    if problems:
        raise InvalidInputError(problems)
    data = doc.data
    codes = tuple((c["code"], c["label"]) for c in data["scale"]["codes"])
    problems += duplicates(doc, ("scale", "codes"), [str(c) for c, _ in codes], "scale code")
    problems += duplicates(doc, ("items",), [i["id"] for i in data["items"]], "item")
    scale = data["scale"]
    agree = _agree_codes(doc, {c for c, _ in codes}, problems)
    items, unconfirmed = [], []
    for i, raw in enumerate(data["items"]):
        item = _item(doc, i, raw, problems)
        if item == TO_CONFIRM:
            unconfirmed.append(raw["id"])
        elif item is not None:
            items.append(item)
    if unconfirmed:
        first = next(i for i, raw in enumerate(data["items"]) if raw["id"] in unconfirmed)
        problems.append(doc.problem(("items", first), UNCONFIRMED.format(
            count=len(unconfirmed), ids=_id_list(unconfirmed)), UNCONFIRMED_FIX))
    if any(item.principles is not None for item in items):
        for i, item in enumerate(items):
            if item.principles is None:
                problems.append(doc.problem(("items", i), SOME_ASSIGNED.format(id=item.id),
                                            SOME_ASSIGNED_FIX))
    if problems:
        raise InvalidInputError(problems)
    return Instrument(
        id=data["id"], version=str(data["version"]), name=data["name"], codes=codes,
        agree=agree, missing=tuple(scale["missing"]), items=tuple(items),
        path=display_name or path.name,
    )


def _id_list(ids: list[str], limit: int = 8) -> str:
    shown = ", ".join(ids[:limit])
    return shown if len(ids) <= limit else f"{shown} and {len(ids) - limit} more"


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
