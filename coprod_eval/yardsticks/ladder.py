"""Ladders of participation: levels, and the rules that read principle ratings as a level.

A ladder is a file of its own (built in: ``tlap7``, ``arnstein8``, ``iap2_5``), so any
framework can be read on any ladder whose rules name the framework's ratings. The loader
checks the file and explains every mistake as ``file:line:field: what — fix``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from ..base.errors import InvalidInputError, Problem
from ..base.paths import PACKAGE_DATA, builtin_ids, resolve_builtin, schema
from ..base.yamlfile import read_yaml, schema_problems

LADDERS_DIR = PACKAGE_DATA / "ladders"

UNKNOWN_LADDER = "ladder '{value}' is neither a built-in ladder nor a file"
UNKNOWN_LADDER_FIX = "use one of the built-in ids ({allowed}) or a path to a ladder YAML"
DUPLICATE_LEVEL = "level id '{id}' is used more than once"
DUPLICATE_LEVEL_FIX = "give every level its own id"
RULE_LEVEL = "'{value}' is not a level of this ladder"
RULE_LEVEL_FIX = "use one of: {allowed}"
RULE_RATING = "'{value}' is not a rating of the framework '{framework}'"
RULE_RATING_FIX = ("use one of its ratings ({allowed}), or a ladder whose rules name the "
                   "framework's ratings")
LAST_RULE = "the last level rule has conditions, so some evidence would get no level"
LAST_RULE_FIX = "end level_rules with a rule that has only 'level:' (the floor)"
SHARE_ABOVE_ONE = "a share of {value} is more than all the principles"
SHARE_ABOVE_ONE_FIX = "use a share from 1/n up to 1/1"


@dataclass(frozen=True)
class Level:
    id: str
    name: str
    band: str
    meaning: str


@dataclass(frozen=True)
class LevelRule:
    """One rule: ``level`` when every principle is rated at least ``all_at_least`` and at
    least ``at_least_count`` principles at least ``at_least_rating``."""

    level: str
    all_at_least: str | None = None
    at_least_rating: str | None = None
    at_least_count: int = 0

    def describe(self, framework) -> str:
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
class Ladder:
    id: str
    version: str
    name: str
    source: str
    levels: tuple[Level, ...]
    rules: tuple[LevelRule, ...]  # counts resolved for the framework it was loaded for
    builtin: bool = True  # one of coprod-eval's own ladder files
    prose_names: str = "lowercase"  # how sentences name a level: lowercase or quoted

    def words(self, level_id: str) -> str:
        """A level as a sentence names it: 'co-production', or '“Empower”'."""
        name = next(level.name for level in self.levels if level.id == level_id)
        return name.lower() if self.prose_names == "lowercase" else f"“{name}”"


def builtin_ladders() -> list[str]:
    return builtin_ids("ladders")


def resolve_ladder(ref: str, base: Path | None = None) -> Path | None:
    """A built-in id or a path (relative to ``base``) → the ladder file, or None."""
    return resolve_builtin("ladders", ref, base)


def load_ladder(ref: str | Path, *, framework_id: str, ratings: tuple[str, ...],
                principles: int, base: Path | None = None,
                display_name: str | None = None) -> Ladder:
    """Load and check a ladder for a framework with these rating ids and this many
    principles (a rule's ``share`` of the principles becomes a count, rounded up)."""
    path = resolve_ladder(str(ref), base)
    if path is None:
        raise InvalidInputError([Problem(
            str(ref), None, None, UNKNOWN_LADDER.format(value=ref),
            UNKNOWN_LADDER_FIX.format(allowed=", ".join(builtin_ladders())))])
    doc = read_yaml(path, display_name or path.name)
    return ladder_from(doc, framework_id=framework_id, ratings=ratings, principles=principles,
                       builtin=path.resolve().parent == LADDERS_DIR.resolve())


def ladder_from(doc, *, framework_id: str, ratings: tuple[str, ...], principles: int,
                builtin: bool = False) -> Ladder:
    """A ladder from its parsed file (or, for a framework of an earlier release, from the
    ladder that framework held: folderformat.ladder_of), checked."""
    problems = schema_problems(doc, schema("ladder"))
    if problems:
        raise InvalidInputError(problems)
    data = doc.data
    level_ids = [lv["id"] for lv in data["levels"]]
    seen: set[str] = set()
    for i, level_id in enumerate(level_ids):
        if level_id in seen:
            problems.append(doc.problem(("levels", i, "id"), DUPLICATE_LEVEL.format(id=level_id),
                                        DUPLICATE_LEVEL_FIX))
        seen.add(level_id)

    def check_rating(where, value):
        if value not in ratings:
            problems.append(doc.problem(where, RULE_RATING.format(value=value,
                                                                  framework=framework_id),
                                        RULE_RATING_FIX.format(allowed=", ".join(ratings))))

    rules = []
    for i, raw in enumerate(data["level_rules"]):
        if raw["level"] not in level_ids:
            problems.append(doc.problem(("level_rules", i, "level"), RULE_LEVEL.format(
                value=raw["level"]), RULE_LEVEL_FIX.format(allowed=", ".join(level_ids))))
        if "all_at_least" in raw:
            check_rating(("level_rules", i, "all_at_least"), raw["all_at_least"])
        at_least = raw.get("at_least") or {}
        count = 0
        if at_least:
            check_rating(("level_rules", i, "at_least", "rating"), at_least["rating"])
            count = int(at_least.get("count", 0))
            if "share" in at_least:
                share = Fraction(at_least["share"])
                if share > 1:
                    problems.append(doc.problem(("level_rules", i, "at_least", "share"),
                                                SHARE_ABOVE_ONE.format(value=at_least["share"]),
                                                SHARE_ABOVE_ONE_FIX))
                count = max(1, math.ceil(share * principles))
        rules.append(LevelRule(raw["level"], raw.get("all_at_least"), at_least.get("rating"),
                               count))
    if rules and (rules[-1].all_at_least or rules[-1].at_least_rating):
        problems.append(doc.problem(("level_rules", len(rules) - 1), LAST_RULE, LAST_RULE_FIX))
    if problems:
        raise InvalidInputError(problems)
    return Ladder(
        id=data["id"], version=str(data["version"]), name=data["name"],
        source=" ".join(str(data.get("source", "")).split()),
        levels=tuple(Level(lv["id"], lv["name"], lv["band"], lv["meaning"])
                     for lv in data["levels"]),
        rules=tuple(rules), builtin=builtin,
        prose_names=data.get("prose_names", "lowercase"))
