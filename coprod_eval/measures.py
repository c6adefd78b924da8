"""Measures: the one place that knows how to compute an indicator's value from a stream.

Each measure takes what is known about one principle and the indicator asking, and returns a
value (or None when the evidence cannot give one, e.g. no partner proposals to adopt). The
framework file decides which principle uses which measure, with what thresholds. A new kind
of indicator is one function here and one entry in MEASURES.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

import pandas as pd

from .evidence import Evidence
from .framework import Indicator, Principle
from .results import GroupStats


@dataclass(frozen=True)
class PrincipleEvidence:
    """What a measure may read for one principle."""

    principle: Principle
    evidence: Evidence
    stats: Mapping[str, GroupStats]  # survey statistics by role; empty without a survey
    min_group_size: int
    group_labels: Mapping[str, str]


@dataclass(frozen=True)
class Measured:
    value: float
    people: int | None = None  # how many people the value is computed over; None: not people


Measure = Callable[[PrincipleEvidence, Indicator], "Measured | None"]


def _pct(mask: pd.Series, *, people: bool = False) -> Measured | None:
    mask = mask.dropna()
    if mask.empty:
        return None
    return Measured(100.0 * float(mask.astype(bool).mean()), len(mask) if people else None)


def _table(context: PrincipleEvidence, stream: str) -> pd.DataFrame:
    return context.evidence.records[stream]


def pct_agree(context: PrincipleEvidence, indicator: Indicator) -> Measured | None:
    stats = context.stats.get(indicator.group or "partner")
    if stats is None or stats.suppressed:
        return None  # fewer people than the privacy threshold answered
    return Measured(stats.pct_agree)


def primary_codes(qualitative: pd.DataFrame) -> pd.DataFrame:
    """One code per excerpt: the first coder's (double-coded excerpts count once)."""
    return qualitative.drop_duplicates(subset=["excerpt_id"], keep="first")


def pct_excerpts_supporting(context: PrincipleEvidence, indicator: Indicator) -> Measured | None:
    codes = primary_codes(_table(context, "qualitative"))
    codes = codes[codes["principle"] == context.principle.id]
    return _pct(codes["code"] == "supports")


def pct_offered_payment(context, indicator):
    return _pct(_table(context, "resources")["offered_payment"], people=True)


def pct_offered_training(context, indicator):
    return _pct(_table(context, "resources")["training_offered"], people=True)


def pct_paid_on_time(context, indicator):
    offered = _table(context, "resources")
    offered = offered[offered["offered_payment"].fillna(False)]
    on_time = offered["paid"].fillna(False) & offered["days_late"].fillna(0).eq(0)
    return _pct(on_time, people=True)


def pct_out_of_pocket(context, indicator):
    return _pct(_table(context, "resources")["out_of_pocket"], people=True)


def pct_feedback_given(context, indicator):
    decisions = _table(context, "decisions")
    return _pct(decisions.loc[decisions["proposed_by"] == "partner", "feedback_given"])


def pct_decided_jointly(context, indicator):
    return _pct(_table(context, "decisions")["decided_by"].isin(["jointly", "partners"]))


def pct_partner_proposals_adopted(context, indicator):
    decisions = _table(context, "decisions")
    return _pct(decisions.loc[decisions["proposed_by"] == "partner", "partner_proposal_adopted"])


def pct_outside_joint_forum(context, indicator):
    return _pct(_table(context, "decisions")["outside_joint_forum"])


def partners_per_meeting(attendance: pd.DataFrame) -> pd.Series:
    partners = attendance[attendance["role"] == "partner"]
    counts = partners.groupby("meeting_id")["attendee"].nunique()
    return counts.reindex(attendance["meeting_id"].unique(), fill_value=0)


def _partners_attending(attendance: pd.DataFrame) -> int:
    return int(attendance.loc[attendance["role"] == "partner", "attendee"].nunique())


def median_partners_per_meeting(context, indicator):
    attendance = _table(context, "attendance")
    counts = partners_per_meeting(attendance)
    if counts.empty:
        return None
    return Measured(float(counts.median()), _partners_attending(attendance))


def pct_decision_meetings_with_partners(context, indicator):
    attendance = _table(context, "attendance")
    decision = attendance[attendance["meeting_type"] == "decision_making"]
    if decision.empty:
        return None
    share = _pct(partners_per_meeting(decision) > 0)
    return Measured(share.value, _partners_attending(attendance))


def pct_budget_joint_control(context, indicator):
    budget = context.evidence.budget
    if budget is None or budget[0] <= 0:
        return None
    return Measured(100.0 * budget[1] / budget[0])


MEASURES: dict[str, Measure] = {
    "pct_agree": pct_agree,
    "pct_excerpts_supporting": pct_excerpts_supporting,
    "pct_offered_payment": pct_offered_payment,
    "pct_offered_training": pct_offered_training,
    "pct_paid_on_time": pct_paid_on_time,
    "pct_out_of_pocket": pct_out_of_pocket,
    "pct_feedback_given": pct_feedback_given,
    "pct_decided_jointly": pct_decided_jointly,
    "pct_partner_proposals_adopted": pct_partner_proposals_adopted,
    "pct_outside_joint_forum": pct_outside_joint_forum,
    "median_partners_per_meeting": median_partners_per_meeting,
    "pct_decision_meetings_with_partners": pct_decision_meetings_with_partners,
    "pct_budget_joint_control": pct_budget_joint_control,
}
