"""Measures: the one place that knows how to compute an indicator's value from a stream.

Each measure takes what is known about one principle and the indicator asking, and returns a
:class:`Measurement` — the value, its 95% interval, and the value with each unit of the
stream left out in turn (a respondent, a meeting, a decision, a partner, an excerpt), so the
rating's stability can be checked — or None when the evidence cannot give a value (e.g. no
partner proposals to adopt). The framework file decides which principle uses which measure,
with what thresholds. A new kind of indicator is one function here and one entry in MEASURES.

Values are never rounded here: thresholds are compared on exact values, and rounding happens
only when a figure is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..base.stats import clustered_wilson, median_interval, median_rank, wilson

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Measurement:
    """An indicator's value with its uncertainty.

    ``loo_value``/``loo_low``/``loo_high`` hold the value and interval with each unit of the
    stream left out, aligned with the stream's units (``stream_units``); NaN where the value
    cannot be computed without that unit. Absent for values with no sampling uncertainty.
    """

    value: float
    low: float
    high: float
    n: int  # units the value rests on
    people: int | None = None  # people the figure is about; None: not about people
    count: tuple[int, int] | None = None  # (k, n) when the value is 100 k / n
    loo_value: np.ndarray | None = None
    loo_low: np.ndarray | None = None
    loo_high: np.ndarray | None = None


@dataclass(frozen=True)
class PrincipleEvidence:
    """What a measure may read for one principle."""

    principle: Any  # framework.Principle
    evidence: Any  # evidence.Evidence
    blocks: Mapping[str, np.ndarray]  # survey: respondents × this principle's items, all people
    roles: np.ndarray | None  # survey: each respondent's group, as a small integer
    agree_codes: tuple[int, ...]
    # a side ("staff", "partner") or a group id → the integers in ``roles`` it covers
    role_codes: Mapping[str, tuple[int, ...]] = None


Measure = Callable[[PrincipleEvidence, Any], "Measurement | None"]


# --- proportions ---------------------------------------------------------------------------

def wilson_arrays(k: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Wilson's 95% score interval, vectorised, in percent; NaN where n is 0."""
    z = 1.959963984540054
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        z2n = z * z / n
        centre = (p + z2n / 2) / (1 + z2n)
        half = z / (1 + z2n) * np.sqrt(p * (1 - p) / n + z2n / (4 * n))
        # exactly 0 at 0 of n, 100 at n of n (not 1e-15 off: thresholds sit at 0 and 100)
        low = np.where(k <= 0, 0.0, np.clip(centre - half, 0, 1))
        high = np.where(k >= n, 1.0, np.clip(centre + half, 0, 1))
        return 100 * low, 100 * high


def proportion(included: np.ndarray, success: np.ndarray, *,
               people: bool = False) -> Measurement | None:
    """100 × share of included units that are successes, with Wilson's interval.

    ``included`` and ``success`` are aligned with the stream's units.
    """
    included = np.asarray(included, dtype=bool)
    success = np.asarray(success, dtype=bool) & included
    n = int(included.sum())
    if n == 0:
        return None
    k = int(success.sum())
    low, high = wilson(k, n)
    loo_k = np.where(included, k - success, k).astype(np.float64)
    loo_n = np.where(included, n - 1, n).astype(np.float64)
    loo_low, loo_high = wilson_arrays(loo_k, loo_n)
    with np.errstate(invalid="ignore", divide="ignore"):
        loo = np.where(loo_n > 0, 100 * loo_k / loo_n, np.nan)
    return Measurement(100.0 * k / n, 100 * low, 100 * high, n, n if people else None, (k, n),
                       loo, loo_low, loo_high)


# --- survey --------------------------------------------------------------------------------

def _pct_agree(context: PrincipleEvidence, group: str) -> Measurement | None:
    block = context.blocks.get("codes")
    if block is None:
        return None
    member = np.isin(context.roles, context.role_codes[group])
    answered = ((block > 0) & member[:, None]).sum(axis=1)
    agreed = (agreeing(block, context.agree_codes) & member[:, None]).sum(axis=1)
    people = answered > 0
    total = int(answered.sum())
    if total == 0:
        return None
    agree_total = int(agreed.sum())
    low, high = clustered_wilson(agreed[people], answered[people])
    loo_value, loo_low, loo_high = _clustered_loo(agreed, answered, people)
    return Measurement(100.0 * agree_total / total, 100 * low, 100 * high, int(people.sum()),
                       int(people.sum()), (agree_total, total), loo_value, loo_low, loo_high)


def agreeing(block: np.ndarray, agree: tuple[int, ...]) -> np.ndarray:
    """Which answers are in the agree codes (a table lookup: fast on millions of answers)."""
    table = np.zeros(256, dtype=bool)
    table[list(agree)] = True
    return table[block.astype(np.uint8)]


def _clustered_loo(agreed: np.ndarray, answered: np.ndarray, people: np.ndarray):
    """clustered_wilson with each respondent left out in turn.

    The answer without respondent i depends only on (agreed_i, answered_i, in the group), so
    it is worked out once for each distinct pair (a few dozen) and looked up for everyone.
    """
    width = int(answered.max()) + 1 if len(answered) else 1
    key = (agreed.astype(np.int64) * width + answered) * 2 + people
    distinct, inverse = small_unique(key)
    a = (distinct // 2) // width
    m = (distinct // 2) % width
    inside = (distinct % 2).astype(bool)
    out = _loo_for_pairs(a, m, inside, agreed, answered, people)
    return tuple(values[inverse.ravel()] for values in out)


def small_unique(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(keys, return_inverse=True) for non-negative integer keys of small range,
    without sorting (a count per key instead): fast on millions of respondents."""
    present = np.bincount(keys) > 0
    distinct = np.flatnonzero(present)
    lookup = np.zeros(len(present), dtype=np.int64)
    lookup[distinct] = np.arange(len(distinct))
    return distinct, lookup[keys]


def _loo_for_pairs(a_out, m_out, inside, agreed, answered, people):
    """The value and interval without one respondent whose pair is (a_out, m_out)."""
    from scipy.special import stdtrit

    a = agreed[people].astype(np.float64)
    m = answered[people].astype(np.float64)
    n = len(a)
    A, M = a.sum(), m.sum()
    saa, sam, smm = (a * a).sum(), (a * m).sum(), (m * m).sum()
    a_out = a_out.astype(np.float64)
    m_out = m_out.astype(np.float64)
    n_i = np.where(inside, n - 1, n).astype(np.float64)
    A_i = np.where(inside, A - a_out, A)
    M_i = np.where(inside, M - m_out, M)
    saa_i = np.where(inside, saa - a_out * a_out, saa)
    sam_i = np.where(inside, sam - a_out * m_out, sam)
    smm_i = np.where(inside, smm - m_out * m_out, smm)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(M_i > 0, 100 * A_i / M_i, np.nan)
        typical = M_i / n_i
        a_p, m_p = A_i + typical / 2, M_i + typical
        ratio = a_p / m_p
        squares = (saa_i - 2 * ratio * sam_i + ratio ** 2 * smm_i
                   + (typical / 2 - ratio * typical) ** 2)
        variance = (n_i + 1) / n_i * squares / m_p ** 2
        binomial = ratio * (1 - ratio) / m_p
        design = np.where(binomial > 0, np.maximum(1.0, variance / binomial), 1.0)
        effective = M_i / design
        critical = np.where(n_i >= 2, stdtrit(np.maximum(n_i - 1, 1), 0.975), np.nan)
        p = A_i / M_i
        z2n = critical ** 2 / effective
        centre = (p + z2n / 2) / (1 + z2n)
        half = critical / (1 + z2n) * np.sqrt(p * (1 - p) / effective + z2n / (4 * effective))
        low = np.where((n_i >= 2) & (A_i > 0), 100 * np.clip(centre - half, 0, 1), 0.0)
        high = np.where((n_i >= 2) & (A_i < M_i), 100 * np.clip(centre + half, 0, 1), 100.0)
    low = np.where(np.isnan(value), np.nan, low)
    high = np.where(np.isnan(value), np.nan, high)
    return value, low, high


def pct_agree(context: PrincipleEvidence, indicator) -> Measurement | None:
    return _pct_agree(context, indicator.group or "partner")


# --- records -------------------------------------------------------------------------------

def _table(context: PrincipleEvidence, stream: str) -> pd.DataFrame:
    return context.evidence.records[stream]


def primary_codes(qualitative: pd.DataFrame) -> pd.DataFrame:
    """One code per excerpt: the first coder's (double-coded excerpts count once), in the
    order of excerpt ids."""
    return (qualitative.drop_duplicates(subset=["excerpt_id"], keep="first")
            .sort_values("excerpt_id", kind="stable"))


def pct_excerpts_supporting(context, indicator):
    codes = primary_codes(_table(context, "qualitative"))
    mine = (codes["principle"] == context.principle.id).to_numpy()
    return proportion(mine, (codes["code"] == "supports").to_numpy())


def _yes(series) -> np.ndarray:
    return series.fillna(False).to_numpy(dtype=bool)


def _known(series) -> np.ndarray:
    return series.notna().to_numpy(dtype=bool)


def pct_offered_payment(context, indicator):
    table = _table(context, "resources")
    return proportion(_known(table["offered_payment"]), _yes(table["offered_payment"]),
                      people=True)


def pct_offered_training(context, indicator):
    table = _table(context, "resources")
    return proportion(_known(table["training_offered"]), _yes(table["training_offered"]),
                      people=True)


def pct_paid_on_time(context, indicator):
    table = _table(context, "resources")
    offered = _yes(table["offered_payment"])
    on_time = _yes(table["paid"]) & (table["days_late"].fillna(0).to_numpy() == 0)
    return proportion(offered, on_time, people=True)


def pct_out_of_pocket(context, indicator):
    table = _table(context, "resources")
    return proportion(_known(table["out_of_pocket"]), _yes(table["out_of_pocket"]),
                      people=True)


def pct_feedback_given(context, indicator):
    table = _table(context, "decisions")
    by_partner = (table["proposed_by"] == "partner").to_numpy()
    return proportion(by_partner & _known(table["feedback_given"]),
                      _yes(table["feedback_given"]))


def pct_decided_jointly(context, indicator):
    table = _table(context, "decisions")
    return proportion(np.ones(len(table), dtype=bool),
                      table["decided_by"].isin(["jointly", "partners"]).to_numpy())


def pct_partner_proposals_adopted(context, indicator):
    table = _table(context, "decisions")
    by_partner = (table["proposed_by"] == "partner").to_numpy()
    return proportion(by_partner & _known(table["partner_proposal_adopted"]),
                      _yes(table["partner_proposal_adopted"]))


def pct_outside_joint_forum(context, indicator):
    table = _table(context, "decisions")
    return proportion(_known(table["outside_joint_forum"]), _yes(table["outside_joint_forum"]))


def meetings(attendance: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The attendance stream's units: (meeting ids sorted, partners at each, its type)."""
    ids = np.array(sorted(attendance["meeting_id"].unique()), dtype=object)
    partners = attendance[attendance["role"] == "partner"]
    counts = partners.groupby("meeting_id")["attendee"].nunique().reindex(ids, fill_value=0)
    kinds = attendance.groupby("meeting_id")["meeting_type"].first().reindex(ids)
    return ids, counts.to_numpy(dtype=np.float64), kinds.to_numpy(dtype=object)


def partners_per_meeting(attendance: pd.DataFrame):
    """Community partners at each meeting (0 when none came), by meeting id."""
    import pandas as pd

    ids, counts, _ = meetings(attendance)
    return pd.Series(counts, index=ids)


def _partners_attending(attendance: pd.DataFrame) -> int:
    return int(attendance.loc[attendance["role"] == "partner", "attendee"].nunique())


def median_partners_per_meeting(context, indicator):
    attendance = _table(context, "attendance")
    _, counts, _ = meetings(attendance)
    if len(counts) == 0:
        return None
    low, high = median_interval(counts)
    loo_value, loo_low, loo_high = _median_loo(counts)
    return Measurement(float(np.median(counts)), low, high, len(counts),
                       _partners_attending(attendance), None, loo_value, loo_low, loo_high)


def _median_loo(values: np.ndarray):
    """Median and its interval with each value left out (values stay in their unit order)."""
    n = len(values)
    order = np.argsort(values, kind="stable")
    out = np.full((3, n), np.nan)
    if n < 2:
        return out[0], out[1], out[2]
    sorted_values = values[order]
    # Without the value at sorted position q, the remaining order statistic t is the
    # original one at t + (t >= q). The median and its interval use a few order statistics,
    # so only a few distinct answers exist: compute each once.
    j = median_rank(n - 1)
    probe = (j - 1, n - 1 - j) if j >= 1 else (0, n - 2)  # order statistics of the interval
    used = sorted({(n - 2) // 2, (n - 1) // 2, *probe})
    q = np.arange(n)
    signature = np.stack([np.full(n, t) + (t >= q) for t in used], axis=1)
    distinct, which = np.unique(signature, axis=0, return_inverse=True)
    answers = []
    for row in distinct:
        at = dict(zip(used, sorted_values[row]))
        median = (at[(n - 2) // 2] + at[(n - 1) // 2]) / 2
        answers.append((median, at[int(probe[0])], at[int(probe[1])]))
    answers = np.array(answers)[which.ravel()]
    out[:, order] = answers.T
    return out[0], out[1], out[2]


def pct_decision_meetings_with_partners(context, indicator):
    attendance = _table(context, "attendance")
    _, counts, kinds = meetings(attendance)
    decision = kinds == "decision_making"
    measured = proportion(decision, counts > 0)
    if measured is None:
        return None
    # a figure about the partners who came: withheld when they are few
    from dataclasses import replace

    return replace(measured, people=_partners_attending(attendance))


def pct_budget_joint_control(context, indicator):
    budget = context.evidence.budget
    if budget is None or budget[0] <= 0:
        return None
    value = 100.0 * budget[1] / budget[0]
    return Measurement(value, value, value, 1)


# Measures of a figure the project declares rather than records (evaluation.yaml): no
# minimum number of records applies, and with no declaration the evidence is not supplied.
DECLARED = frozenset({"pct_budget_joint_control"})
# Measures of the organisation's conduct towards partners (payment, training, expenses): a
# figure the commissioner is entitled to see, published in words where its exact share about
# few partners would be withheld (privacy.conduct_band)
CONDUCT = frozenset({"pct_offered_payment", "pct_offered_training", "pct_paid_on_time",
                     "pct_out_of_pocket"})

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
