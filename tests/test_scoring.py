"""Scoring: thresholds at and around their edges, the overall level rules, reverse keying,
missing answers, and small groups."""

from __future__ import annotations

import dataclasses

import pytest

import coprod_eval as ce
from coprod_eval.framework import load_framework
from coprod_eval.results import PrincipleResult
from coprod_eval.scoring import _overall, explain, rate

FRAMEWORK = load_framework("nesta_nef_six")
INDICATOR = FRAMEWORK.principles[0].indicators[0]  # partner pct_agree: 40 / 60 / 80


@pytest.mark.parametrize("value, expected", [
    (0.0, "not_evident"), (39.9, "not_evident"), (40.0, "emerging"), (59.99, "emerging"),
    (60.0, "developing"), (79.9, "developing"), (80.0, "embedded"), (100.0, "embedded"),
])
def test_thresholds_at_and_around_edges(value, expected):
    assert rate(INDICATOR, value, FRAMEWORK) == expected


def test_lower_is_better_direction():
    indicator = dataclasses.replace(INDICATOR, direction="lower_is_better",
                                    thresholds=(("emerging", 30.0), ("developing", 20.0),
                                                ("embedded", 10.0)))
    assert [rate(indicator, v, FRAMEWORK) for v in (31, 30, 20.5, 20, 10, 0)] == [
        "not_evident", "emerging", "emerging", "developing", "embedded", "embedded"]


def test_explanations_quote_the_rule():
    assert explain(INDICATOR, 62.5, "developing", FRAMEWORK) == (
        "62.5% meets the 'Developing' threshold (60%) but not 'Embedded' (80%).")
    assert explain(INDICATOR, 12.0, "not_evident", FRAMEWORK) == (
        "12.0% does not reach the 'Emerging' threshold (40%).")
    assert explain(INDICATOR, 91.0, "embedded", FRAMEWORK) == (
        "91.0% meets the 'Embedded' threshold (80%), the highest rating.")


def _principles(*ratings):
    return [PrincipleResult(id=f"p{i}", name=f"P{i}", meaning="", items=(), rating=r,
                            computed_rating=r, override=None, claimed_rating=None,
                            confidence="low", score=None, ci=None, groups={}, gap=None,
                            evidence=(), quotes=())
            for i, r in enumerate(ratings)]


@pytest.mark.parametrize("ratings, level", [
    (["embedded"] * 4 + ["developing"] * 2, "co_production"),
    (["embedded"] * 3 + ["developing"] * 3, "co_design"),  # needs 4 embedded
    (["embedded"] * 5 + ["emerging"], "co_design"),  # one below developing
    (["developing"] * 2 + ["not_evident"] * 4, "engagement"),
    (["developing"] + ["not_evident"] * 5, "consultation"),
    (["not_evident"] * 6, "informing"),
])
def test_level_rules(ratings, level):
    overall = _overall(FRAMEWORK, "co_production", _principles(*ratings), stages=())
    assert overall.evidenced_level == level
    assert overall.claim_supported is (level == "co_production")


def test_claim_below_evidence_is_supported():
    overall = _overall(FRAMEWORK, "consultation",
                       _principles(*["developing"] * 2, *["emerging"] * 4), stages=())
    assert overall.evidenced_level == "engagement" and overall.claim_supported


def _evaluate(folder):
    evaluation = ce.load_evaluation(folder)
    return ce.evaluate(evaluation, ce.load_evidence(evaluation))


def _survey(folder, rows):
    lines = ["respondent_id,group,item_id,response"] + [",".join(r) for r in rows]
    (folder / "evidence" / "survey.csv").write_text("\n".join(lines) + "\n")


def test_reverse_keyed_item_and_missing_answers(genuine):
    # Ten partners, ten staff; on 'assets' partners agree with AS1 and disagree with the
    # reverse-worded AS4 (i.e. agree the principle is practised); "Don't know" is ignored.
    rows = []
    for k in range(10):
        rows += [(f"P{k}", "partner", "AS1", "Agree"), (f"P{k}", "partner", "AS4", "Disagree"),
                 (f"P{k}", "partner", "AS2", "Don't know"), (f"P{k}", "partner", "AS3", "")]
        rows += [(f"S{k}", "staff", "AS1", "2"), (f"S{k}", "staff", "AS4", "Strongly agree")]
    _survey(genuine, rows)
    result = _evaluate(genuine)
    assets = result.by_principle["assets"]
    assert assets.groups["partner"].pct_agree == 100.0  # missing is not neutral
    assert assets.groups["partner"].median == 4.0
    assert assets.groups["staff"].pct_agree == 0.0
    assert assets.groups["staff"].median == 1.5  # codes 2 and (6 - 5) = 1
    assert assets.gap.pct_agree == 100.0
    assert assets.rating == "embedded"


def test_small_group_is_withheld_not_zero(genuine):
    rows = [(f"P{k}", "partner", "AS1", "Agree") for k in range(5)]
    rows += [(f"S{k}", "staff", "AS1", "Agree") for k in range(12)]
    _survey(genuine, rows)
    result = _evaluate(genuine)
    assets = result.by_principle["assets"]
    partner = assets.groups["partner"]
    assert partner.suppressed and partner.n is None and partner.pct_agree is None
    assert assets.score is None and assets.ci is None and assets.gap.pct_agree is None
    survey_indicator = assets.evidence[0]
    assert survey_indicator.stream == "survey" and survey_indicator.rating is None
    # the rating rests on the other streams only
    others = [i.rating for i in assets.evidence[1:]]
    assert assets.rating == min(others, key=FRAMEWORK.rating_index)
    assert survey_indicator.explanation == (
        "Not assessed: fewer than 8 community partners answered, so their answers are withheld "
        "to protect them.")
    # 12 staff are shown rounded to the nearest 5; 5 partners not at all
    assert result.evidence["survey"]["respondents"] == {"staff": 10, "partner": None}


def test_evaluate_does_not_mutate_its_inputs(genuine):
    evaluation = ce.load_evaluation(genuine)
    evidence = ce.load_evidence(evaluation)
    before = evidence.survey.codes.copy()
    ce.evaluate(evaluation, evidence)
    assert (evidence.survey.codes == before).all()
    with pytest.raises(dataclasses.FrozenInstanceError):
        evidence.survey = None
