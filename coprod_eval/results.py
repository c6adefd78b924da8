"""The result of an evaluation: frozen objects that write ``results.json`` and read it back.

results.json holds findings only: no timestamps, no absolute paths, no respondent ids, so two
runs of the same folder and seed compare byte for byte. Run facts (when, where, versions)
belong in manifest.json. The file is checked against ``data/schemas/results.schema.json``
on every write and read. Every figure in it has already been through disclosure control.
The objects are plain frozen dataclasses, tuples and :class:`FrozenDict`, so a result
pickles (to cross process boundaries) and cannot be changed once made.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .base.frozen import FrozenDict, frozen
from .base.paths import schema
from .disclosure.privacy import delta_sign, delta_size

SCHEMA_VERSION = "4.4.0"


@dataclass(frozen=True)
class GroupStats:
    """One stakeholder group's answers to one principle's items (as published)."""

    n: int | None  # respondents, rounded; None when suppressed
    suppressed: bool
    median: float | None
    pct_agree: float | None  # share of answers agreeing, from rounded counts (None: banded)
    distribution: Mapping[str, float] | None  # percent of answers per scale code
    iqr: tuple[float, float] | None = None  # quartiles of the answers
    # Cronbach's alpha: value, ci, n, items_left_out, status (estimated, too_few,
    # no_variation) and min_people
    alpha: Mapping[str, Any] | None = None
    mean: float | None = None  # shown only with the caveat that answers are ordered categories
    ci: tuple[float, float] | None = None  # 95% interval of the share agreeing
    typical: float | None = None  # median of each person's mean answer
    # a small group's share agreeing, as a band [low, high) (privacy.band), else None
    pct_agree_band: tuple[float, float] | None = None
    agree_rank: int | None = None  # place of the exact share among the groups (1 lowest)


@dataclass(frozen=True)
class Comparison:
    """One group's per-person scores against the reference group's (Mann–Whitney)."""

    group: str
    reference: str
    shown: bool  # both groups large enough to compare
    typical: tuple[float, float] | None = None  # median per-person score: group, reference
    # p-values as their bands (privacy.p_band): two-sided before correction, and Holm-adjusted
    # across every comparison made; findings are judged on the exact p-values
    p_band: tuple[float, float] | None = None
    p_holm_band: tuple[float, float] | None = None
    method: str | None = None  # exact or normal approximation
    # Cliff's delta, group over reference: two decimals, or its size band when a group is
    # published as fewer than privacy.BAND_BELOW people (then effect_size is None)
    effect_size: float | None = None
    effect_band: tuple[float, float] | None = None
    effect: str | None = None  # negligible / small / medium / large
    finding: bool = False  # survives Holm at 0.05 and |delta| is at least small
    detectable: float | None = None  # smallest |delta| this comparison could detect (80% power)
    detectable_points: float | None = None  # the same as a shift in scale points (approximate)

    @property
    def sign(self) -> int:
        """+1 when the group scores higher than the reference, -1 lower, 0 neither."""
        return delta_sign(self.effect_size, self.effect_band)

    @property
    def magnitude(self) -> float:
        """The size of Cliff's delta as published (a band's end nearest zero)."""
        return delta_size(self.effect_size, self.effect_band)

    @property
    def beyond_chance(self) -> bool:
        """Holm-adjusted p below 0.05 (0.05 is an edge of the published bands)."""
        return self.p_holm_band is not None and self.p_holm_band[1] <= 0.05


@dataclass(frozen=True)
class IndicatorResult:
    id: str
    label: str
    stream: str
    measure: str
    group: str | None
    unit: str
    direction: str  # higher_is_better or lower_is_better
    thresholds: tuple[Mapping[str, Any], ...]  # {rating, value}, lowest rating first
    # assessed or figure_withheld (rated); rating_withheld, too_few_records or no_value
    # (unknown: the whole scale); not_supplied or no_questions (left out of the principle)
    status: str
    value: float | None  # as published; None when banded, withheld or not assessed
    band: tuple[float, float] | None  # the published band when the figure is not shown
    interval: tuple[float, float] | None  # 95% interval of the value
    rating: str | None  # None when unknown or left out
    rating_range: tuple[str, str] | None  # ratings the interval reaches; whole scale unknown
    stable: bool | None  # no single respondent or record left out changes the rating
    rounded: bool = False  # the value shown is from counts rounded for privacy
    record_count: int | None = None  # too_few_records: how many (None: they are people)
    needed: int | None = None  # too_few_records: how many the framework needs
    record_unit: str | None = None  # too_few_records: meeting, decision, partner, excerpt
    small_part: bool | None = None  # figure_withheld: few people on one side of the figure
    truth: str | None = None  # the framework's words for a board when it is at the bottom
    # the organisation's conduct towards few partners, in words (privacy.conduct_band): none,
    # few, about_half, most or all, with ``band`` the shares the word covers
    band_word: str | None = None


@dataclass(frozen=True)
class PrincipleResult:
    id: str
    name: str
    meaning: str
    items: tuple[str, ...]
    rating: str  # the final rating: the evaluator's override if there is one
    computed_rating: str  # what the framework's rules give
    rating_range: tuple[str, str]  # the ratings the evidence's uncertainty allows
    stable: bool  # no single respondent or record left out changes the rating
    override: Mapping[str, str] | None  # {"rating", "reason"} from evaluation.yaml
    claimed_rating: str | None  # the project's self-assessment
    confidence: str  # high / medium / low
    groups: Mapping[str, GroupStats]
    comparisons: tuple[Comparison, ...]
    evidence: tuple[IndicatorResult, ...]
    quotes: tuple[Mapping[str, str], ...]  # de-identified: code, source, text

    @property
    def borderline(self) -> bool:
        """The evidence allows more than one rating, or one person could change it."""
        return self.rating_range[0] != self.rating_range[1] or not self.stable


@dataclass(frozen=True)
class Overall:
    evidenced_level: str
    level_range: tuple[str, str]  # the levels the principles' ranges allow
    claimed_level: str
    claim_verdict: str  # supported, not_supported, not_established
    claim_supported: bool  # claim_verdict == "supported"
    confidence: str  # the lowest confidence among the principles
    # what evidence would settle a verdict that is not established (settle.settle_facts)
    settle: tuple[Mapping[str, Any], ...]
    rule: int  # the ladder rule (index into framework.level_rules) that set the level
    capped_by_stages: bool  # the stage records hold the level below the rule's
    weakest: tuple[str, ...]  # ids of the lowest-rated principles
    principle_level: str  # the level the principle ratings alone support
    stage_level: str | None  # the lowest level recorded at the stage rule's stages
    partners_joined_stage: str | None
    stages: tuple[Mapping[str, object], ...]  # stage, name, evidenced/claimed level, joined
    # rank, kind, principle, facts (by kind) and evidence (stream or part codes)
    inconvenient_truths: tuple[Mapping[str, object], ...]


@dataclass(frozen=True)
class EvaluationResult:
    schema_version: str
    project: Mapping[str, Any]
    sign_off: Mapping[str, Any] | None  # the evaluator's sign-off from evaluation.yaml
    framework: Mapping[str, Any]
    parameters: Mapping[str, Any]
    groups: tuple[Mapping[str, str], ...]
    evidence: Mapping[str, Any]
    principles: tuple[PrincipleResult, ...]
    overall: Overall
    robustness: Mapping[str, Any]  # leave-one-out and threshold checks of each conclusion
    privacy: Mapping[str, Any]  # thresholds, what was withheld, redaction counts by kind
    agreement: Mapping[str, Any] | None = None  # intercoder agreement on double-coded excerpts
    # item by item, where groups see things differently beyond noise, and common ground
    disagreement: Mapping[str, Any] | None = None
    # the partnership's plan (plan.yaml): target against evidenced, evidence promised
    plan: Mapping[str, Any] | None = None
    # who shaped the evaluation itself, and whether partner reviewers co-sign it
    coproduced: Mapping[str, Any] | None = None
    # who is in the room: the partners in aggregate beside the population served
    room: Mapping[str, Any] | None = None
    _index: Mapping[str, PrincipleResult] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "_index", FrozenDict({p.id: p for p in self.principles}))

    # -- named accessors -------------------------------------------------------------
    @property
    def by_principle(self) -> Mapping[str, PrincipleResult]:
        return self._index

    @property
    def comparisons(self) -> dict[str, tuple[Comparison, ...]]:
        return {p.id: p.comparisons for p in self.principles}

    def rating(self, rating_id: str) -> Mapping[str, str]:
        return next(r for r in self.framework["ratings"] if r["id"] == rating_id)

    def rating_index(self, rating_id: str) -> int:
        return [r["id"] for r in self.framework["ratings"]].index(rating_id)

    def level(self, level_id: str) -> Mapping[str, str]:
        return next(lv for lv in self.framework["ladder"]["levels"] if lv["id"] == level_id)

    def group_label(self, role: str) -> str:
        return next(g["label"] for g in self.groups if g["id"] == role)

    # -- serialisation ---------------------------------------------------------------
    def to_dict(self) -> dict:
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)
                if not f.name.startswith("_")}

    def to_json(self) -> str:
        data = self.to_dict()
        validate_results(data)
        return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"

    def write(self, path: str | Path) -> Path:
        path = Path(path)
        path.write_text(self.to_json(), encoding="utf-8")
        return path

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EvaluationResult:
        from .results_upgrade import upgrade

        data = upgrade(dict(data))  # an earlier release's results, read as today's facts
        validate_results(data)
        principles = tuple(
            PrincipleResult(**{
                **{k: frozen(v) for k, v in p.items()},
                "groups": FrozenDict({role: GroupStats(**frozen(g))
                                      for role, g in p["groups"].items()}),
                "comparisons": tuple(Comparison(**frozen(c)) for c in p["comparisons"]),
                "evidence": tuple(IndicatorResult(**frozen(e)) for e in p["evidence"]),
            })
            for p in data["principles"]
        )
        plain = {k: frozen(v) for k, v in data.items() if k not in ("principles", "overall")}
        return cls(**plain, principles=principles,
                   overall=Overall(**{k: frozen(v) for k, v in data["overall"].items()}))

    @classmethod
    def from_json(cls, text: str) -> EvaluationResult:
        return cls.from_dict(json.loads(text))

    @classmethod
    def read(cls, path: str | Path) -> EvaluationResult:
        return cls.from_json(Path(path).read_text(encoding="utf-8"))


def validate_results(data: Mapping[str, Any]) -> None:
    """Raise jsonschema.ValidationError if ``data`` does not match the results schema (the
    error jsonschema.validate would raise, without checking the schema itself every time)."""
    from jsonschema.exceptions import best_match

    error = best_match(_results_validator().iter_errors(_plain(data)))
    if error is not None:
        raise error


@functools.cache
def _results_validator():
    """The results schema's validator, the schema checked once per process."""
    from jsonschema.validators import validator_for

    document = schema("results")
    cls = validator_for(document)
    cls.check_schema(document)
    return cls(document)


def _plain(value):
    """Dataclasses → dicts, mappings → dicts, tuples → lists, numpy scalars → numbers."""
    if hasattr(value, "__dataclass_fields__"):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)
                if not f.name.startswith("_")}
    if hasattr(value, "item") and not isinstance(value, (list, tuple, Mapping)):
        return value.item()
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
