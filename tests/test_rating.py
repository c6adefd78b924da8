"""Rating: thresholds at and around their edges, the overall level rules, reverse keying,
missing answers, and small groups."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import coprod_eval as ce
from coprod_eval.compute.rating import level_of, rate
from coprod_eval.render.words.principles import explanation
from coprod_eval.results import EvaluationResult
from coprod_eval.yardsticks.framework import load_framework

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


def _as_rated(value: float, rating: str):
    """A golden result's first partner-agreement indicator, published at ``value`` and rated
    ``rating``: what the words layer reads."""
    from pathlib import Path

    golden = Path(__file__).parent / "golden" / "genuine-coproduction.results.json"
    result = EvaluationResult.read(golden)
    indicator = dataclasses.replace(result.principles[0].evidence[0], value=value, band=None,
                                    rating=rating, rounded=False)
    return result, indicator


def test_explanations_quote_the_rule():
    assert explanation(*_as_rated(62.5, "developing")) == (
        "62.5% meets the ‘Developing’ threshold (60%) but not ‘Embedded’ (80%).")
    assert explanation(*_as_rated(12.0, "not_evident")) == (
        "12.0% does not reach the ‘Emerging’ threshold (40%).")
    assert explanation(*_as_rated(91.0, "embedded")) == (
        "91.0% meets the ‘Embedded’ threshold (80%), the highest rating.")


def _level(*ratings, cap=None):
    ranks = np.array([[FRAMEWORK.rating_index(r)] for r in ratings])
    level, _ = level_of(FRAMEWORK, ranks, cap)
    return FRAMEWORK.levels[int(level[0])].id


@pytest.mark.parametrize("ratings, level", [
    (["embedded"] * 4 + ["developing"] * 2, "co_production"),
    (["embedded"] * 3 + ["developing"] * 3, "co_design"),  # needs 4 embedded
    (["embedded"] * 5 + ["emerging"], "co_design"),  # one below developing
    (["developing"] * 2 + ["not_evident"] * 4, "engagement"),
    (["developing"] + ["not_evident"] * 5, "consultation"),
    (["not_evident"] * 6, "informing"),
])
def test_level_rules(ratings, level):
    assert _level(*ratings) == level


@pytest.mark.parametrize("low, high, confident, verdict", [
    ("co_production", "co_production", True, "supported"),
    ("co_production", "co_production", False, "not_established"),  # low confidence
    ("co_design", "co_production", True, "not_established"),  # the range straddles the claim
    ("consultation", "co_design", True, "not_supported"),  # even the top falls short
    ("consultation", "co_design", False, "not_supported"),
])
def test_three_verdicts(low, high, confident, verdict):
    from coprod_eval.compute.rating import VERDICTS, verdict_of

    index = FRAMEWORK.level_index
    found = verdict_of([index(low)], [index(high)], index("co_production"), confident)
    assert VERDICTS[int(found[0])] == verdict


def test_stage_records_cap_the_level():
    cap = FRAMEWORK.level_index("consultation")
    assert _level(*["embedded"] * 6, cap=cap) == "consultation"


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
    # missing is not neutral: every answer given agrees (ten people: shown as the top band)
    assert assets.groups["partner"].pct_agree_band == (90.0, 100.0)
    assert assets.groups["partner"].median == 4.0
    assert assets.groups["staff"].pct_agree_band == (0.0, 10.0)
    assert assets.groups["staff"].median == 1.5  # codes 2 and (6 - 5) = 1
    assert (assets.groups["partner"].agree_rank, assets.groups["staff"].agree_rank) == (2, 1)
    comparison = assets.comparisons[0]
    assert comparison.typical == (4.0, 1.5)
    # ten partners: Cliff's delta published as its size band (issue 24), here the top one
    assert comparison.effect_band == (0.474, 1.0) and comparison.finding
    assert assets.rating == "embedded"


def test_small_group_is_withheld_not_zero(genuine):
    rows = [(f"P{k}", "partner", "AS1", "Agree") for k in range(5)]
    rows += [(f"S{k}", "staff", "AS1", "Agree") for k in range(12)]
    _survey(genuine, rows)
    result = _evaluate(genuine)
    assets = result.by_principle["assets"]
    partner = assets.groups["partner"]
    assert partner.suppressed and partner.n is None and partner.pct_agree is None
    assert partner.ci is None and not assets.comparisons[0].shown
    survey_indicator = assets.evidence[0]
    assert survey_indicator.stream == "survey" and survey_indicator.value is None
    # five partners all agreeing: the figure is withheld, its coarse rating stays (4 or 5 of
    # the 5 answers agree: 'Embedded' does not give the count away) and counts in the minimum
    assert survey_indicator.status == "figure_withheld"
    assert survey_indicator.rating == "embedded"
    assert explanation(result, survey_indicator).startswith(
        "Rated Embedded; the figure is withheld")
    # 12 staff are shown rounded to the nearest 5; 5 partners not at all
    assert result.evidence["survey"]["respondents"] == {"staff": 10, "partner": None}


def test_a_rating_that_would_give_the_count_away_is_unknown(genuine):
    # two partners: below the floor where even a coarse rating is shown
    rows = [(f"P{k}", "partner", "AS1", "Agree") for k in range(2)]
    rows += [(f"S{k}", "staff", "AS1", "Agree") for k in range(12)]
    _survey(genuine, rows)
    result = _evaluate(genuine)
    assets = result.by_principle["assets"]
    survey_indicator = assets.evidence[0]
    assert survey_indicator.status == "rating_withheld" and survey_indicator.rating is None
    assert survey_indicator.rating_range == ("not_evident", "embedded")  # the whole scale
    assert explanation(result, survey_indicator).startswith("Not shown: fewer than 8 people")
    assert assets.rating_range[0] == "not_evident"  # unknown: the range reaches the bottom
    assert assets.rating == "not_evident"  # and the rating as found counts it at the bottom
    assert assets.confidence != "high"


def test_band_that_fits_one_count_only_is_withheld():
    from coprod_eval.compute.assessment import _band_gives_count
    from coprod_eval.yardsticks.measures import Measurement

    indicator = next(i for i in FRAMEWORK.principle("assets").indicators
                     if i.id == "partners_offered_payment")  # embedded from 90%
    three_of_three = Measurement(100.0, 0, 100, 3, 3, (3, 3))
    assert _band_gives_count(FRAMEWORK, indicator, three_of_three)  # only 3 of 3 is >= 90%
    nine_of_ten = Measurement(90.0, 0, 100, 10, 10, (9, 10))
    assert not _band_gives_count(FRAMEWORK, indicator, nine_of_ten)  # 9 or 10 of 10


def test_evaluate_does_not_mutate_its_inputs(genuine):
    evaluation = ce.load_evaluation(genuine)
    evidence = ce.load_evidence(evaluation)
    before = evidence.survey.codes.copy()
    ce.evaluate(evaluation, evidence)
    assert (evidence.survey.codes == before).all()
    with pytest.raises(dataclasses.FrozenInstanceError):
        evidence.survey = None
