"""Inconvenient truths' kinds, as data: ``data/truths.yaml`` names, for each kind, the check
it triggers, its severity, what adds to it and the reason for it. The checks themselves are
computed in :mod:`coprod_eval.compute.truths`; the words layer reads the kinds from here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from ..base.errors import InvalidInputError
from ..base.frozen import FrozenDict
from ..base.paths import PACKAGE_DATA, schema
from ..base.yamlfile import read_yaml, schema_problems

# the checks coprod-eval computes (compute/truths.py's TRIGGERS, one each)
TRIGGER_NAMES = ("evidence_not_supplied", "under_represented", "claim_not_supported",
                 "self_assessment_overstated", "practice_falls_short", "partners_score_lower",
                 "stage_claims_overstated", "partners_joined_late")

TRUTHS_FILE = PACKAGE_DATA / "truths.yaml"
UNKNOWN_TRIGGER = "'{value}' is not a check coprod-eval computes"
UNKNOWN_TRIGGER_FIX = "use one of: {allowed}"


@dataclass(frozen=True)
class TruthKind:
    id: str
    trigger: str
    title: str
    severity: float  # higher is more serious; `adds` may add to it
    reason: str  # why this severity: shown in the methods
    easy_read: str = ""  # the kind in everyday words, for the partners' summary
    adds_per: str | None = None  # ladder_step, rating_step, cliffs_delta or principle
    adds_points: float = 0.0
    parameters: Mapping[str, object] = field(default_factory=dict)

    def scored(self, amount: float = 0.0) -> float:
        return self.severity + self.adds_points * amount


@cache
def truth_kinds() -> tuple[TruthKind, ...]:
    """The kinds in data/truths.yaml, most severe first, each checked."""
    doc = read_yaml(TRUTHS_FILE, "truths.yaml")
    problems = schema_problems(doc, schema("truths"))
    for i, raw in enumerate(doc.data.get("kinds", []) if not problems else []):
        if raw["trigger"] not in TRIGGER_NAMES:
            problems.append(doc.problem(("kinds", i, "trigger"), UNKNOWN_TRIGGER.format(
                value=raw["trigger"]), UNKNOWN_TRIGGER_FIX.format(
                    allowed=", ".join(TRIGGER_NAMES))))
    if problems:
        raise InvalidInputError(problems)
    kinds = [TruthKind(id=raw["id"], trigger=raw["trigger"], title=raw["title"],
                       severity=float(raw["severity"]), reason=" ".join(raw["reason"].split()),
                       easy_read=raw["easy_read"],
                       adds_per=(raw.get("adds") or {}).get("per"),
                       adds_points=float((raw.get("adds") or {}).get("points", 0)),
                       parameters=FrozenDict(raw.get("parameters") or {}))
             for raw in doc.data["kinds"]]
    return tuple(sorted(kinds, key=lambda kind: -kind.severity))
