"""Property-based checks (hypothesis) of the survey statistics."""

from __future__ import annotations

import dataclasses

import numpy as np
from conftest import GENUINE, SAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import coprod_eval as ce
from coprod_eval.inputs.evidence import Evidence, SurveyEvidence

EVALUATION = ce.load_evaluation(SAMPLES / GENUINE)
ITEMS = EVALUATION.instrument.item_ids
SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def survey(codes: np.ndarray, roles: np.ndarray) -> Evidence:
    return Evidence(survey=SurveyEvidence(
        items=ITEMS, codes=codes.astype(np.int8), roles=roles.astype(np.int8),
        scale=(1, 2, 3, 4, 5), agree=(4, 5), respondent_ids=np.array([], dtype=str),
        group_ids=("staff", "partner")))


@st.composite
def answers(draw, min_size=2, max_size=40):
    n = draw(st.integers(min_size, max_size))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, 6, size=(n, len(ITEMS)))
    roles = rng.integers(0, 2, size=n)
    return codes, roles


def evaluate(codes, roles):
    return ce.evaluate(EVALUATION, survey(codes, roles))


def survey_part(result):
    """What the survey alone decides."""
    return [(p.id, {r: dataclasses.replace(g) for r, g in p.groups.items()},
             p.comparisons, p.rating, p.rating_range, p.stable) for p in result.principles]


@SETTINGS
@given(answers(min_size=10), st.integers(0, 2**32 - 1))
def test_permuting_respondents_changes_nothing(data, seed):
    codes, roles = data
    order = np.random.default_rng(seed).permutation(len(roles))
    assert survey_part(evaluate(codes, roles)) == survey_part(evaluate(codes[order], roles[order]))


@SETTINGS
@given(answers())
def test_reverse_keying_twice_is_the_identity(data):
    from coprod_eval.inputs.evidence import reverse_codes

    codes = data[0].astype(np.int8)
    once = reverse_codes(codes, 1, 5)
    assert ((once == 0) == (codes == 0)).all()  # missing stays missing, never neutral
    assert (once[codes > 0] != 3).sum() == (codes[codes > 0] != 3).sum()
    assert (reverse_codes(once, 1, 5) == codes).all()


@SETTINGS
@given(answers(min_size=10), answers(min_size=1, max_size=20))
def test_adding_respondents_to_one_group_leaves_the_other_unchanged(data, extra):
    codes, roles = data
    more, _ = extra
    before = evaluate(codes, roles)
    after = evaluate(np.vstack([codes, more]),
                     np.concatenate([roles, np.ones(len(more), dtype=int)]))  # more partners
    for b, a in zip(before.principles, after.principles):
        # the staff's own statistics are unchanged; only where their share stands among
        # the groups (agree_rank) may move, and with it whether their share is shown as a
        # figure or as its band (a figure that would stand the other way round to another
        # group's exact share is shown as a band: privacy.keep_order)
        staff_b, staff_a = b.groups["staff"], a.groups["staff"]
        blank = {"agree_rank": None, "pct_agree": None, "pct_agree_band": None}
        assert dataclasses.replace(staff_b, **blank) == dataclasses.replace(staff_a, **blank)
        if staff_b.pct_agree != staff_a.pct_agree:
            assert None in (staff_b.pct_agree, staff_a.pct_agree)  # one of them is banded
        bands = {g.pct_agree_band for g in (staff_b, staff_a) if g.pct_agree_band is not None}
        assert len(bands) <= 1  # the band is the exact share's own, whatever the others


@SETTINGS
@given(answers(min_size=2, max_size=30))
def test_small_groups_never_yield_a_withheld_number(data):
    codes, roles = data
    result = evaluate(codes, roles)
    for p in result.principles:
        for role, g in p.groups.items():
            people = int(((codes[roles == (role == "partner")] > 0).any(axis=1)).sum())
            if people < EVALUATION.min_group_size:
                assert g.suppressed and g.n is None and g.pct_agree is None
                assert g.median is None and g.distribution is None and g.alpha is None
            elif g.n is not None:
                assert g.n >= EVALUATION.min_group_size and g.n % EVALUATION.round_to == 0
        if any(g.suppressed for g in p.groups.values()):
            assert all(not c.shown and c.p_holm_band is None and c.typical is None
                       for c in p.comparisons)
