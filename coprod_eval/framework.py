"""Frameworks and survey instruments: the yardstick, loaded from versioned YAML files.

A framework names the principles, which survey items evidence each one, the indicators and
rubric that turn evidence into a rating, and the ladder of participation levels. Nothing
about a principle is written in Python: the loader validates the file and explains every
mistake as ``file:line:field: what — fix``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import InvalidInputError, Problem
from .paths import PACKAGE_DATA, schema
from .yamlfile import read_yaml, schema_problems

FRAMEWORKS_DIR = PACKAGE_DATA / "frameworks"
INSTRUMENTS_DIR = PACKAGE_DATA / "instruments"

# The evidence streams and measures an indicator may name. A measure is implemented in
# coprod_eval.measures.MEASURES; this set is checked there too.
KNOWN_STREAMS = ("survey", "attendance", "decisions", "stages", "resources", "qualitative",
                 "self_assessment")

DUPLICATE_ID = "{kind} id '{id}' is used more than once"
DUPLICATE_ID_FIX = "give every {kind} its own id"
UNKNOWN_RATING = "'{value}' is not a rating of this framework's rating_scale"
UNKNOWN_RATING_FIX = "use one of: {allowed}"
UNKNOWN_LEVEL = "'{value}' is not a level of the ladder '{ladder}'"
UNKNOWN_LEVEL_FIX = "use one of: {allowed}"
BOTTOM_THRESHOLD = "a threshold is given for '{value}', the lowest rating, which needs none"
BOTTOM_THRESHOLD_FIX = "remove it: any value below the next threshold is rated '{value}'"
THRESHOLD_ORDER = "thresholds do not rise with the ratings for a {direction} indicator"
THRESHOLD_ORDER_FIX = "make each higher rating need a {better} value than the one below it"
LAST_RULE = "the last level rule has conditions, so some evidence would get no level"
LAST_RULE_FIX = "end level_rules with a rule that has only 'level:' (the floor)"
UNKNOWN_ITEM = "item '{value}' is not in the survey instrument '{instrument}'"
UNKNOWN_ITEM_FIX = "use an item id from the instrument, or add the item to the instrument"
UNKNOWN_STREAM = "'{value}' is not an evidence stream coprod-eval reads"
UNKNOWN_STREAM_FIX = "use one of: {allowed}"
UNKNOWN_MEASURE = "'{value}' is not a measure coprod-eval computes"
UNKNOWN_MEASURE_FIX = "use one of: {allowed}"
UNKNOWN_FRAMEWORK = "framework '{value}' is neither a built-in framework nor a file"
UNKNOWN_FRAMEWORK_FIX = "use one of the built-in ids ({allowed}) or a path to a framework YAML"
UNKNOWN_STAGE = "'{value}' is not a lifecycle stage of this framework"
UNKNOWN_STAGE_FIX = "use one of: {allowed}"
AGREE_NOT_CODE = "agree code {value} is not one of the scale's codes"
AGREE_NOT_CODE_FIX = "list only codes that appear under scale.codes"


@dataclass(frozen=True)
class Rating:
    id: str
    label: str
    colour: str
    meaning: str


@dataclass(frozen=True)
class Level:
    id: str
    name: str
    band: str
    meaning: str


@dataclass(frozen=True)
class Indicator:
    id: str
    stream: str
    measure: str
    direction: str
    label: str
    thresholds: tuple[tuple[str, float], ...]  # (rating id, threshold), lowest rating first
    group: str | None = None
    unit: str = ""
    truth: str | None = None  # a board-level finding when rated at the bottom of the scale


@dataclass(frozen=True)
class Stage:
    id: str
    name: str


@dataclass(frozen=True)
class ConfidenceRule:
    streams: int
    agree_within: int


@dataclass(frozen=True)
class Principle:
    id: str
    name: str
    meaning: str
    items: tuple[str, ...]
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class LevelRule:
    level: str
    all_at_least: str | None = None
    at_least_rating: str | None = None
    at_least_count: int = 0

    def describe(self, framework: Framework) -> str:
        """The rule in plain language, as quoted in reports."""
        level = framework.level(self.level).name
        parts = []
        if self.all_at_least:
            parts.append(f"every principle is rated at least "
                         f"'{framework.rating(self.all_at_least).label}'")
        if self.at_least_rating:
            count = self.at_least_count
            top = self.at_least_rating == framework.ratings[-1].id
            parts.append(f"at least {count} {'principle is' if count == 1 else 'principles are'}"
                         f" rated '{framework.rating(self.at_least_rating).label}'"
                         + ("" if top else " or better"))
        if not parts:
            return f"{level}: when no rule above holds"
        return f"{level}: when " + " and ".join(parts)


@dataclass(frozen=True)
class Framework:
    id: str
    version: str
    name: str
    source: str
    instrument: str
    ratings: tuple[Rating, ...]
    ladder_id: str
    ladder_name: str
    levels: tuple[Level, ...]
    combine: str
    no_evidence: str
    level_rules: tuple[LevelRule, ...]
    principles: tuple[Principle, ...]
    stages: tuple[Stage, ...]
    stage_rule_stages: tuple[str, ...]
    design_stage: str
    min_rows: tuple[tuple[str, int], ...]
    confidence_high: ConfidenceRule
    confidence_medium: ConfidenceRule

    def rating(self, rating_id: str) -> Rating:
        return next(r for r in self.ratings if r.id == rating_id)

    def rating_index(self, rating_id: str) -> int:
        return [r.id for r in self.ratings].index(rating_id)

    def level(self, level_id: str) -> Level:
        return next(level for level in self.levels if level.id == level_id)

    def level_index(self, level_id: str) -> int:
        return [level.id for level in self.levels].index(level_id)

    def principle(self, principle_id: str) -> Principle:
        return next(p for p in self.principles if p.id == principle_id)

    def stage_index(self, stage_id: str) -> int:
        return [s.id for s in self.stages].index(stage_id)


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


def builtin_frameworks() -> list[str]:
    return sorted(p.stem for p in FRAMEWORKS_DIR.glob("*.yaml"))


def resolve_framework(ref: str, base: Path | None = None) -> Path | None:
    """A built-in id or a path (relative to ``base``) → the framework file, or None."""
    if ref in builtin_frameworks():
        return FRAMEWORKS_DIR / f"{ref}.yaml"
    path = Path(ref) if base is None else base / ref
    return path if path.is_file() else None


def load_instrument(path: Path, display_name: str | None = None) -> Instrument:
    doc = read_yaml(path, display_name)
    problems = schema_problems(doc, schema("instrument"))
    if problems:
        raise InvalidInputError(problems)
    data = doc.data
    codes = tuple((c["code"], c["label"]) for c in data["scale"]["codes"])
    problems += _duplicates(doc, ("scale", "codes"), [str(c) for c, _ in codes], "scale code")
    problems += _duplicates(doc, ("items",), [i["id"] for i in data["items"]], "item")
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


def load_framework(ref: str | Path, *, instrument: Instrument | None = None,
                   base: Path | None = None, display_name: str | None = None) -> Framework:
    """Load and check a framework by built-in id or path.

    The items the framework names are checked against ``instrument`` (by default the
    framework's own built-in instrument).
    """
    from .measures import MEASURES

    path = resolve_framework(str(ref), base)
    if path is None:
        raise InvalidInputError([Problem(
            str(ref), None, None, UNKNOWN_FRAMEWORK.format(value=ref),
            UNKNOWN_FRAMEWORK_FIX.format(allowed=", ".join(builtin_frameworks())))])
    doc = read_yaml(path, display_name or path.name)
    problems = schema_problems(doc, schema("framework"))
    if problems:
        raise InvalidInputError(problems)
    data = doc.data
    if instrument is None:
        instrument = load_instrument(builtin_instrument_path(data["instrument"]))

    rating_ids = [r["id"] for r in data["rating_scale"]]
    level_ids = [lv["id"] for lv in data["level_scale"]["levels"]]
    problems += _duplicates(doc, ("rating_scale",), rating_ids, "rating")
    problems += _duplicates(doc, ("level_scale", "levels"), level_ids, "level")
    problems += _duplicates(doc, ("principles",), [p["id"] for p in data["principles"]],
                            "principle")

    def check_rating(path, value):
        if value not in rating_ids:
            problems.append(doc.problem(path, UNKNOWN_RATING.format(value=value),
                                        UNKNOWN_RATING_FIX.format(allowed=", ".join(rating_ids))))

    def check_level(path, value):
        if value not in level_ids:
            problems.append(doc.problem(path, UNKNOWN_LEVEL.format(
                value=value, ladder=data["level_scale"]["id"]),
                UNKNOWN_LEVEL_FIX.format(allowed=", ".join(level_ids))))

    def indicator(path, raw) -> Indicator:
        if raw["stream"] not in KNOWN_STREAMS:
            problems.append(doc.problem((*path, "stream"), UNKNOWN_STREAM.format(
                value=raw["stream"]), UNKNOWN_STREAM_FIX.format(allowed=", ".join(KNOWN_STREAMS))))
        if raw["measure"] not in MEASURES:
            problems.append(doc.problem((*path, "measure"), UNKNOWN_MEASURE.format(
                value=raw["measure"]), UNKNOWN_MEASURE_FIX.format(allowed=", ".join(MEASURES))))
        thresholds = []
        for rating, value in raw["thresholds"].items():
            check_rating((*path, "thresholds", rating), rating)
            if rating == rating_ids[0]:
                problems.append(doc.problem((*path, "thresholds", rating),
                                            BOTTOM_THRESHOLD.format(value=rating),
                                            BOTTOM_THRESHOLD_FIX.format(value=rating)))
            elif rating in rating_ids:
                thresholds.append((rating, float(value)))
        thresholds.sort(key=lambda t: rating_ids.index(t[0]))
        values = [v for _, v in thresholds]
        rising = raw["direction"] == "higher_is_better"
        ordered = values == sorted(values, reverse=not rising) and len(set(values)) == len(values)
        if not ordered:
            problems.append(doc.problem((*path, "thresholds"), THRESHOLD_ORDER.format(
                direction=raw["direction"]), THRESHOLD_ORDER_FIX.format(
                better="higher" if rising else "lower")))
        return Indicator(id=raw["id"], stream=raw["stream"], measure=raw["measure"],
                         direction=raw["direction"], label=raw["label"],
                         thresholds=tuple(thresholds), group=raw.get("group"),
                         unit=raw.get("unit", ""), truth=raw.get("truth"))

    defaults = tuple(indicator(("default_indicators", i), raw)
                     for i, raw in enumerate(data["default_indicators"]))
    principles = []
    for i, raw in enumerate(data["principles"]):
        for j, item in enumerate(raw["items"]):
            if item not in instrument.item_ids:
                problems.append(doc.problem(("principles", i, "items", j), UNKNOWN_ITEM.format(
                    value=item, instrument=instrument.id), UNKNOWN_ITEM_FIX))
        own = tuple(indicator(("principles", i, "indicators", j), r)
                    for j, r in enumerate(raw.get("indicators", [])))
        principles.append(Principle(raw["id"], raw["name"], " ".join(raw["meaning"].split()),
                                    tuple(raw["items"]), own or defaults))

    check_rating(("rubric", "no_evidence"), data["rubric"]["no_evidence"])
    rules = []
    for i, raw in enumerate(data["level_rules"]):
        check_level(("level_rules", i, "level"), raw["level"])
        if "all_at_least" in raw:
            check_rating(("level_rules", i, "all_at_least"), raw["all_at_least"])
        at_least = raw.get("at_least") or {}
        if at_least:
            check_rating(("level_rules", i, "at_least", "rating"), at_least["rating"])
        rules.append(LevelRule(raw["level"], raw.get("all_at_least"), at_least.get("rating"),
                               int(at_least.get("count", 0))))
    if rules and (rules[-1].all_at_least or rules[-1].at_least_rating):
        problems.append(doc.problem(("level_rules", len(rules) - 1), LAST_RULE, LAST_RULE_FIX))
    stage_ids = [st["id"] for st in data["stages"]]
    problems += _duplicates(doc, ("stages",), stage_ids, "stage")
    rule = data["stage_rule"]
    for i, stage in enumerate(rule["stages"]):
        if stage not in stage_ids:
            problems.append(doc.problem(("stage_rule", "stages", i), UNKNOWN_STAGE.format(
                value=stage), UNKNOWN_STAGE_FIX.format(allowed=", ".join(stage_ids))))
    if rule["design_stage"] not in stage_ids:
        problems.append(doc.problem(("stage_rule", "design_stage"), UNKNOWN_STAGE.format(
            value=rule["design_stage"]), UNKNOWN_STAGE_FIX.format(allowed=", ".join(stage_ids))))
    for stream in data["confidence"]["min_rows"]:
        if stream not in KNOWN_STREAMS:
            problems.append(doc.problem(("confidence", "min_rows", stream), UNKNOWN_STREAM.format(
                value=stream), UNKNOWN_STREAM_FIX.format(allowed=", ".join(KNOWN_STREAMS))))
    if problems:
        raise InvalidInputError(problems)

    ladder = data["level_scale"]
    return Framework(
        id=data["id"], version=str(data["version"]), name=data["name"],
        source=" ".join(str(data.get("source", "")).split()), instrument=data["instrument"],
        ratings=tuple(Rating(r["id"], r["label"], r["colour"], r["meaning"])
                      for r in data["rating_scale"]),
        ladder_id=ladder["id"], ladder_name=ladder["name"],
        levels=tuple(Level(lv["id"], lv["name"], lv["band"], lv["meaning"])
                     for lv in ladder["levels"]),
        combine=data["rubric"]["combine"], no_evidence=data["rubric"]["no_evidence"],
        level_rules=tuple(rules), principles=tuple(principles),
        stages=tuple(Stage(st["id"], st["name"]) for st in data["stages"]),
        stage_rule_stages=tuple(rule["stages"]), design_stage=rule["design_stage"],
        min_rows=tuple(sorted(data["confidence"]["min_rows"].items())),
        confidence_high=ConfidenceRule(**data["confidence"]["high"]),
        confidence_medium=ConfidenceRule(**data["confidence"]["medium"]),
    )


def _duplicates(doc, path, ids, kind) -> list[Problem]:
    seen, problems = set(), []
    for i, value in enumerate(ids):
        if value in seen:
            problems.append(doc.problem((*path, i), DUPLICATE_ID.format(kind=kind, id=value),
                                        DUPLICATE_ID_FIX.format(kind=kind)))
        seen.add(value)
    return problems
