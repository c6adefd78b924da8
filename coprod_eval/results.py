"""The result of an evaluation: frozen objects that write ``results.json`` and read it back.

results.json holds findings only: no timestamps, no absolute paths, no respondent ids, so two
runs of the same folder and seed compare byte for byte. Run facts (when, where, versions)
belong in manifest.json. The file is checked against ``data/schemas/results.schema.json``
on every write and read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from .paths import schema

SCHEMA_VERSION = "1.3.0"


@dataclass(frozen=True)
class GroupStats:
    """One stakeholder group's answers to one principle's items."""

    n: int | None  # respondents; None when suppressed
    suppressed: bool
    median: float | None
    pct_agree: float | None
    distribution: Mapping[str, float] | None  # percent of answers per scale code
    iqr: tuple[float, float] | None = None  # quartiles of the answers
    alpha: Mapping[str, Any] | None = None  # Cronbach's alpha: value, ci, n, items_left_out, note
    mean: float | None = None  # shown only with the caveat that answers are ordered categories


@dataclass(frozen=True)
class Gap:
    """Community partners minus staff; None when either group is suppressed."""

    pct_agree: float | None
    median: float | None
    ci: tuple[float, float] | None  # bootstrap 95% interval of the pct_agree gap
    p_holm: float | None = None  # Mann–Whitney p, Holm-adjusted across all comparisons
    effect_size: float | None = None  # Cliff's delta, partners over staff
    finding: bool = False  # survives Holm at 0.05 and |delta| is at least small (0.147)


@dataclass(frozen=True)
class IndicatorResult:
    id: str
    label: str
    stream: str
    measure: str
    group: str | None
    unit: str
    value: float | None
    rating: str | None  # None when the indicator could not be assessed
    explanation: str  # the rule met or missed, in plain language


@dataclass(frozen=True)
class PrincipleResult:
    id: str
    name: str
    meaning: str
    items: tuple[str, ...]
    rating: str  # the final rating: the evaluator's override if there is one
    computed_rating: str  # what the framework's rules give
    override: Mapping[str, str] | None  # {"rating", "reason"} from evaluation.yaml
    claimed_rating: str | None  # the project's self-assessment
    confidence: str  # high / medium / low
    score: float | None  # percent of community partners' answers agreeing
    ci: tuple[float, float] | None
    groups: Mapping[str, GroupStats]
    gap: Gap
    evidence: tuple[IndicatorResult, ...]
    quotes: tuple[Mapping[str, str], ...]  # de-identified: code, source, text


@dataclass(frozen=True)
class Overall:
    evidenced_level: str
    claimed_level: str
    claim_supported: bool
    rule: str  # the level rule that set the evidenced level, in words
    weakest: tuple[str, ...]  # ids of the lowest-rated principles
    principle_level: str  # the level the principle ratings alone support
    stage_level: str | None  # the lowest level recorded at the stage rule's stages
    partners_joined_stage: str | None
    stages: tuple[Mapping[str, object], ...]  # stage, name, evidenced/claimed level, joined
    inconvenient_truths: tuple[Mapping[str, object], ...]  # rank, principle, text, evidence


@dataclass(frozen=True)
class EvaluationResult:
    schema_version: str
    project: Mapping[str, Any]
    framework: Mapping[str, Any]
    parameters: Mapping[str, Any]
    groups: tuple[Mapping[str, str], ...]
    evidence: Mapping[str, Any]
    principles: tuple[PrincipleResult, ...]
    overall: Overall
    privacy: Mapping[str, Any]  # thresholds, what was withheld, redaction counts by kind
    agreement: Mapping[str, Any] | None = None  # intercoder agreement on double-coded excerpts
    _index: Mapping[str, PrincipleResult] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "_index", MappingProxyType({p.id: p for p in self.principles}))

    # -- named accessors -------------------------------------------------------------
    @property
    def by_principle(self) -> Mapping[str, PrincipleResult]:
        return self._index

    @property
    def gaps(self) -> dict[str, Gap]:
        return {p.id: p.gap for p in self.principles}

    def rating(self, rating_id: str) -> Mapping[str, str]:
        return next(r for r in self.framework["ratings"] if r["id"] == rating_id)

    def level(self, level_id: str) -> Mapping[str, str]:
        return next(lv for lv in self.framework["ladder"]["levels"] if lv["id"] == level_id)

    def group_label(self, role: str) -> str:
        return next(g["label"] for g in self.groups if g["role"] == role)

    # -- serialisation ---------------------------------------------------------------
    def to_dict(self) -> dict:
        data = {
            "schema_version": self.schema_version,
            "project": dict(self.project),
            "framework": _plain(self.framework),
            "parameters": _plain(self.parameters),
            "groups": [dict(g) for g in self.groups],
            "evidence": _plain(self.evidence),
            "principles": [_principle_dict(p) for p in self.principles],
            "overall": _fields(self.overall),
            "privacy": _plain(self.privacy),
            "agreement": _plain(self.agreement),
        }
        return data

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
        validate_results(data)
        principles = tuple(
            PrincipleResult(
                id=p["id"], name=p["name"], meaning=p["meaning"], items=tuple(p["items"]),
                rating=p["rating"], computed_rating=p["computed_rating"],
                override=None if p["override"] is None else MappingProxyType(p["override"]),
                claimed_rating=p["claimed_rating"], confidence=p["confidence"],
                score=p["score"],
                ci=None if p["ci"] is None else (p["ci"][0], p["ci"][1]),
                groups=MappingProxyType({role: GroupStats(**{
                    **g, "distribution": None if g["distribution"] is None
                    else MappingProxyType(dict(g["distribution"])),
                    "iqr": None if g["iqr"] is None else tuple(g["iqr"]),
                    "alpha": None if g["alpha"] is None else _frozen(g["alpha"])})
                    for role, g in p["groups"].items()}),
                gap=Gap(**{**p["gap"], "ci": None if p["gap"]["ci"] is None
                           else tuple(p["gap"]["ci"])}),
                evidence=tuple(IndicatorResult(**e) for e in p["evidence"]),
                quotes=tuple(MappingProxyType(q) for q in p["quotes"]),
            )
            for p in data["principles"]
        )
        overall = dict(data["overall"])
        overall["weakest"] = tuple(overall["weakest"])
        overall["stages"] = tuple(MappingProxyType(s) for s in overall["stages"])
        overall["inconvenient_truths"] = tuple(
            _frozen(t) for t in overall["inconvenient_truths"])
        return cls(
            schema_version=data["schema_version"], project=MappingProxyType(dict(data["project"])),
            framework=_frozen(data["framework"]), parameters=_frozen(data["parameters"]),
            groups=tuple(MappingProxyType(dict(g)) for g in data["groups"]),
            evidence=_frozen(data["evidence"]), principles=principles, overall=Overall(**overall),
            privacy=_frozen(data["privacy"]),
            agreement=None if data["agreement"] is None else _frozen(data["agreement"]),
        )

    @classmethod
    def from_json(cls, text: str) -> EvaluationResult:
        return cls.from_dict(json.loads(text))

    @classmethod
    def read(cls, path: str | Path) -> EvaluationResult:
        return cls.from_json(Path(path).read_text(encoding="utf-8"))


def validate_results(data: Mapping[str, Any]) -> None:
    """Raise jsonschema.ValidationError if ``data`` does not match the results schema."""
    import jsonschema

    jsonschema.validate(_plain(data), schema("results"))


def _principle_dict(p: PrincipleResult) -> dict:
    return {
        "id": p.id, "name": p.name, "meaning": p.meaning, "items": list(p.items),
        "rating": p.rating, "computed_rating": p.computed_rating,
        "override": None if p.override is None else dict(p.override),
        "claimed_rating": p.claimed_rating, "confidence": p.confidence, "score": p.score,
        "ci": None if p.ci is None else [p.ci[0], p.ci[1]],
        "groups": {role: _fields(g) for role, g in p.groups.items()},
        "gap": _fields(p.gap),
        "evidence": [_fields(e) for e in p.evidence],
        "quotes": [dict(q) for q in p.quotes],
    }


def _fields(obj) -> dict:
    return {f.name: _plain(getattr(obj, f.name)) for f in fields(obj)}


def _plain(value):
    """Mappings → dicts, tuples → lists, numpy scalars → Python numbers."""
    if hasattr(value, "item") and not isinstance(value, (list, tuple, Mapping)):
        return value.item()
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _frozen(value):
    if isinstance(value, Mapping):
        return MappingProxyType({k: _frozen(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    return value
