"""Frameworks: the yardstick, loaded from versioned YAML files.

A framework names the principles, which survey items evidence each one, and the indicators
and rubric that turn evidence into a rating; it is read on a ladder (ladder.py) that turns
the ratings into a level. Nothing about a principle is written in Python: the loader
validates the file and explains every mistake as ``file:line:field: what — fix``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..base.errors import InvalidInputError, Problem, Problems
from ..base.folderformat import FRAMEWORK_FORMAT, LADDER_FIELDS, format_of, ladder_of
from ..base.paths import PACKAGE_DATA, builtin_ids, resolve_builtin, schema
from ..base.yamlfile import LocatedYaml, read_yaml, schema_problems
from .instrument import Instrument, builtin_instrument_path, duplicates, load_instrument
from .ladder import Ladder, Level, LevelRule, builtin_ladders, ladder_from, load_ladder
from .measures import MEASURES
from .streams import STREAM_IDS

FRAMEWORKS_DIR = PACKAGE_DATA / "frameworks"

# The evidence streams and measures an indicator may name. A measure is implemented in
# coprod_eval.yardsticks.measures.MEASURES; this set is checked there too.
KNOWN_STREAMS = STREAM_IDS

UNKNOWN_RATING = "'{value}' is not a rating of this framework's rating_scale"
UNKNOWN_RATING_FIX = "use one of: {allowed}"
BOTTOM_THRESHOLD = "a threshold is given for '{value}', the lowest rating, which needs none"
BOTTOM_THRESHOLD_FIX = "remove it: any value below the next threshold is rated '{value}'"
THRESHOLD_ORDER = "thresholds do not rise with the ratings for a {direction} indicator"
THRESHOLD_ORDER_FIX = "make each higher rating need a {better} value than the one below it"
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
RETIRED_LADDER = ("'{field}' is no longer part of a framework: the levels and their rules "
                  "are a ladder file of their own")
RETIRED_LADDER_FIX = ("move level_scale (as levels) and level_rules into a ladder file (see "
                      "coprod_eval/data/ladders/tlap7.yaml), set 'default_ladder:' here and "
                      "'ladder:' in evaluation.yaml, or use a built-in ladder ({allowed})")


NOT_ASSIGNED = ("the instrument '{instrument}' is not the framework's own and does not say "
                "which principle of '{framework}' each question evidences")
NOT_ASSIGNED_FIX = ("add 'principles: [{example}]' (one or more principle ids) and 'reverse: "
                    "true/false' to each question of the instrument; coprod-eval init --from "
                    "EXPORT writes them as suggestions and coprod-eval map FOLDER confirms them")
ASSIGNED_UNKNOWN = ("question {item} is assigned to '{value}', which is not a principle of "
                    "'{framework}'")
ASSIGNED_UNKNOWN_FIX = "use one of: {allowed}"


def _assignment_problems(instrument: Instrument, principle_ids: list[str],
                         framework_id: str) -> list[Problem]:
    problems = Problems()
    for i, item in enumerate(instrument.items):
        for value in item.principles or ():
            if value not in principle_ids:
                problems.append(Problem(
                    instrument.path or instrument.id, item.line, f"items.{i}.principles",
                    ASSIGNED_UNKNOWN.format(item=item.id, value=value,
                                            framework=framework_id),
                    ASSIGNED_UNKNOWN_FIX.format(allowed=", ".join(principle_ids))))
    return problems


@dataclass(frozen=True)
class Rating:
    id: str
    label: str
    colour: str
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
class Framework:
    id: str
    version: str
    name: str
    source: str
    instrument: str
    default_ladder: str
    ratings: tuple[Rating, ...]
    ladder: Ladder  # the ladder the level is read on, its rules resolved for this framework
    combine: str
    no_evidence: str
    principles: tuple[Principle, ...]
    stages: tuple[Stage, ...]
    stage_rule_stages: tuple[str, ...]
    design_stage: str
    min_rows: tuple[tuple[str, int], ...]
    confidence_high: ConfidenceRule
    confidence_medium: ConfidenceRule
    # what was read from an earlier release's format, and how (folderformat)
    upgraded: tuple[str, ...] = ()

    @property
    def levels(self) -> tuple[Level, ...]:
        return self.ladder.levels

    @property
    def level_rules(self) -> tuple[LevelRule, ...]:
        return self.ladder.rules

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


def builtin_frameworks() -> list[str]:
    return builtin_ids("frameworks")


def resolve_framework(ref: str, base: Path | None = None) -> Path | None:
    """A built-in id or a path (relative to ``base``) → the framework file, or None."""
    return resolve_builtin("frameworks", ref, base)


def _check_rating(doc, path, value, rating_ids, problems) -> None:
    if value not in rating_ids:
        problems.append(doc.problem(path, UNKNOWN_RATING.format(value=value),
                                    UNKNOWN_RATING_FIX.format(allowed=", ".join(rating_ids))))


def _indicator(doc, path, raw, rating_ids, problems) -> Indicator:
    """One indicator as the framework file gives it, checked: its stream, its measure, and
    thresholds in the order its direction needs."""
    if raw["stream"] not in KNOWN_STREAMS:
        problems.append(doc.problem((*path, "stream"), UNKNOWN_STREAM.format(
            value=raw["stream"]), UNKNOWN_STREAM_FIX.format(allowed=", ".join(KNOWN_STREAMS))))
    if raw["measure"] not in MEASURES:
        problems.append(doc.problem((*path, "measure"), UNKNOWN_MEASURE.format(
            value=raw["measure"]), UNKNOWN_MEASURE_FIX.format(allowed=", ".join(MEASURES))))
    thresholds = []
    for rating, value in raw["thresholds"].items():
        _check_rating(doc, (*path, "thresholds", rating), rating, rating_ids, problems)
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


def _item_problems(doc, instrument, problems) -> None:
    """Every principle's questions exist in the instrument (or the instrument assigns its
    questions to principles itself)."""
    data = doc.data
    principle_ids = [raw["id"] for raw in data["principles"]]
    if instrument.assigns:
        problems += _assignment_problems(instrument, principle_ids, data["id"])
    elif instrument.id == data["instrument"]:  # the framework's own: name each stray item
        for i, raw in enumerate(data["principles"]):
            for j, item in enumerate(raw["items"]):
                if item not in instrument.item_ids:
                    problems.append(doc.problem(("principles", i, "items", j),
                                                UNKNOWN_ITEM.format(value=item,
                                                                    instrument=instrument.id),
                                                UNKNOWN_ITEM_FIX))
    elif not all(item in instrument.item_ids for raw in data["principles"]
                 for item in raw["items"]):
        problems.append(Problem(instrument.path or instrument.id, None, "items",
                                NOT_ASSIGNED.format(instrument=instrument.id,
                                                    framework=data["id"]),
                                NOT_ASSIGNED_FIX.format(example=principle_ids[0])))


def _stage_problems(doc, problems) -> None:
    """Stages named once each, and the stage rule naming only those."""
    data = doc.data
    stage_ids = [st["id"] for st in data["stages"]]
    problems += duplicates(doc, ("stages",), stage_ids, "stage")
    rule = data["stage_rule"]
    for i, stage in enumerate(rule["stages"]):
        if stage not in stage_ids:
            problems.append(doc.problem(("stage_rule", "stages", i), UNKNOWN_STAGE.format(
                value=stage), UNKNOWN_STAGE_FIX.format(allowed=", ".join(stage_ids))))
    if rule["design_stage"] not in stage_ids:
        problems.append(doc.problem(("stage_rule", "design_stage"), UNKNOWN_STAGE.format(
            value=rule["design_stage"]), UNKNOWN_STAGE_FIX.format(allowed=", ".join(stage_ids))))


def load_framework(ref: str | Path, *, instrument: Instrument | None = None,
                   ladder: str | None = None, base: Path | None = None,
                   display_name: str | None = None) -> Framework:
    """Load and check a framework by built-in id or path, read on ``ladder`` (a built-in
    id or a path; by default the framework's own default ladder).

    The items the framework names are checked against ``instrument`` (by default the
    framework's own built-in instrument).
    """
    path = resolve_framework(str(ref), base)
    if path is None:
        raise InvalidInputError([Problem(
            str(ref), None, None, UNKNOWN_FRAMEWORK.format(value=ref),
            UNKNOWN_FRAMEWORK_FIX.format(allowed=", ".join(builtin_frameworks())))])
    doc = read_yaml(path, display_name or path.name)
    own_ladder, upgraded = _earlier_ladder(doc)
    problems = schema_problems(doc, schema("framework"))
    if problems:
        raise InvalidInputError(problems)
    data = doc.data
    if instrument is None:
        instrument = load_instrument(builtin_instrument_path(data["instrument"]))

    rating_ids = [r["id"] for r in data["rating_scale"]]
    problems += duplicates(doc, ("rating_scale",), rating_ids, "rating")
    problems += duplicates(doc, ("principles",), [p["id"] for p in data["principles"]],
                            "principle")

    def indicator(path, raw) -> Indicator:
        return _indicator(doc, path, raw, rating_ids, problems)

    defaults = tuple(indicator(("default_indicators", i), raw)
                     for i, raw in enumerate(data["default_indicators"]))
    principles = []
    _item_problems(doc, instrument, problems)
    for i, raw in enumerate(data["principles"]):
        own = tuple(indicator(("principles", i, "indicators", j), r)
                    for j, r in enumerate(raw.get("indicators", [])))
        items = (tuple(item.id for item in instrument.items if raw["id"] in item.principles)
                 if instrument.assigns else tuple(raw["items"]))
        principles.append(Principle(raw["id"], raw["name"], " ".join(raw["meaning"].split()),
                                    items, own or defaults))

    _check_rating(doc, ("rubric", "no_evidence"), data["rubric"]["no_evidence"], rating_ids,
                  problems)
    _stage_problems(doc, problems)
    rule = data["stage_rule"]
    for stream in data["confidence"]["min_rows"]:
        if stream not in KNOWN_STREAMS:
            problems.append(doc.problem(("confidence", "min_rows", stream), UNKNOWN_STREAM.format(
                value=stream), UNKNOWN_STREAM_FIX.format(allowed=", ".join(KNOWN_STREAMS))))
    if problems:
        raise InvalidInputError(problems)
    if ladder is None and own_ladder is not None:
        read_on = ladder_from(own_ladder, framework_id=data["id"], ratings=tuple(rating_ids),
                              principles=len(principles))
    else:
        read_on = load_ladder(ladder or data["default_ladder"], framework_id=data["id"],
                              ratings=tuple(rating_ids), principles=len(principles), base=base)
    return Framework(
        id=data["id"], version=str(data["version"]), name=data["name"],
        source=" ".join(str(data.get("source", "")).split()), instrument=data["instrument"],
        default_ladder=data["default_ladder"],
        ratings=tuple(Rating(r["id"], r["label"], r["colour"], r["meaning"])
                      for r in data["rating_scale"]),
        ladder=read_on,
        combine=data["rubric"]["combine"], no_evidence=data["rubric"]["no_evidence"],
        principles=tuple(principles),
        stages=tuple(Stage(st["id"], st["name"]) for st in data["stages"]),
        stage_rule_stages=tuple(rule["stages"]), design_stage=rule["design_stage"],
        min_rows=tuple(sorted(data["confidence"]["min_rows"].items())),
        confidence_high=ConfidenceRule(**data["confidence"]["high"]),
        confidence_medium=ConfidenceRule(**data["confidence"]["medium"]),
        upgraded=upgraded,
    )


def _earlier_ladder(doc) -> tuple[LocatedYaml | None, tuple[str, ...]]:
    """A framework file of an earlier format kept its ladder inside (level_scale and
    level_rules): that ladder, as a ladder file's data located on the framework's lines, and
    a note; taken out of ``doc`` so the rest reads as today's. In a file of today's format
    the fields are refused."""
    data = doc.data if isinstance(doc.data, dict) else {}
    held = [name for name in LADDER_FIELDS if name in data]
    if not held:
        return None, ()
    if format_of(data) >= FRAMEWORK_FORMAT:
        raise InvalidInputError([doc.problem(
            (name,), RETIRED_LADDER.format(field=name),
            RETIRED_LADDER_FIX.format(allowed=", ".join(builtin_ladders()))) for name in held])
    ladder = ladder_of(data)
    lines = {(): doc.line(("level_scale",))}
    for path, line in doc.lines.items():
        if path[:1] == ("level_scale",) and len(path) > 1:
            lines[path[1:]] = line
        elif path[:1] == ("level_rules",):
            lines[path] = line
    for name in LADDER_FIELDS:
        data.pop(name, None)
    data.setdefault("default_ladder", ladder["id"])
    return LocatedYaml(ladder, lines, doc.display_name), (
        f"{doc.display_name}: level_scale and level_rules are from an earlier release: read "
        f"as the framework's own ladder ('{ladder['id']}'). 'coprod-eval upgrade' on the "
        "evaluation folder writes them as a ladder file of their own",)
