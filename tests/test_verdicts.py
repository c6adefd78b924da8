"""Verdicts that survive a challenge: intervals that keep their coverage at small n, a false
finding rate held at 5%, ratings with their ranges and stability (checked by brute force),
three verdicts, and words that match the test. Simulations are seeded: they test
statistical properties, never timings."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest
from conftest import GENUINE, INVOLVEMENT, PARTIAL, SAMPLES, SURVEY_ONLY, THREE_GROUPS

import coprod_eval as ce
from coprod_eval.base.stats import clustered_wilson, detectable_delta, mann_whitney
from coprod_eval.compute.groups import compare, correct
from coprod_eval.inputs.evidence import Evidence, SurveyEvidence
from coprod_eval.render.report import report_html


def _evaluate(folder):
    evaluation = ce.load_evaluation(folder)
    return ce.evaluate(evaluation, ce.load_evidence(evaluation))


# --- intervals --------------------------------------------------------------------------------

def _clustered_sample(rng, people, share, correlation, items=4, missing=0.05):
    """Each person has their own chance of agreeing (beta distributed around ``share``, with
    the given intra-person correlation); each answers up to ``items`` items."""
    a = share * (1 - correlation) / correlation
    b = (1 - share) * (1 - correlation) / correlation
    chance = rng.beta(a, b, size=people)
    agree = rng.random((people, items)) < chance[:, None]
    given = rng.random((people, items)) > missing
    answered = given.sum(axis=1)
    keep = answered > 0
    return (agree & given).sum(axis=1)[keep], answered[keep]


@pytest.mark.parametrize("people", [8, 10, 20, 40])
@pytest.mark.parametrize("share", [0.5, 0.76, 0.9])
def test_share_agreeing_interval_keeps_its_coverage_from_eight_people(people, share):
    rng = np.random.default_rng([people, int(share * 100)])
    for correlation in (0.2, 0.5):  # answers within one person resemble each other
        covered = 0
        replicates = 1500
        for _ in range(replicates):
            agree, answered = _clustered_sample(rng, people, share, correlation)
            low, high = clustered_wilson(agree, answered)
            covered += low <= share <= high
        assert covered / replicates >= 0.93, (people, share, correlation, covered / replicates)


# --- false findings ------------------------------------------------------------------------

def _null_blocks(rng, n_staff, n_partner, principles=6, items=4):
    """Both groups answer from the same population: any 'finding' is a false one."""
    people = n_staff + n_partner
    lean = rng.normal(0, 1.2, size=people)[:, None]
    latent = 1.0 + lean + rng.logistic(size=(people, principles * items))
    codes = 1 + (latent > -1.5) + (latent > 0) + (latent > 1) + (latent > 2.5)
    return codes[:n_staff], codes[n_staff:]


@pytest.mark.parametrize("size, replicates", [(30, 600), (8, 600)])
def test_family_wise_false_finding_rate_is_at_most_five_percent(size, replicates):
    rng = np.random.default_rng(size)
    false = 0
    for _ in range(replicates):
        staff, partner = _null_blocks(rng, size, size)
        raw = []
        for p in range(6):
            cols = slice(4 * p, 4 * p + 4)
            found = compare({"staff": staff[:, cols], "partner": partner[:, cols]},
                            [("partner", "staff")], (4, 5), min_n=3, round_to=5, rng=rng,
                            permutations=2000)
            raw.append(found[("partner", "staff")])
        false += any(c.finding for c in correct(raw))
    assert false / replicates <= 0.05


def test_three_against_three_never_makes_a_finding():
    # complete separation: the exact test gives p = 0.1, so no finding, ever
    comparison = mann_whitney(np.array([1.0, 1.5, 2.0]), np.array([4.0, 4.5, 5.0]))
    assert comparison.method == "exact" and comparison.p == pytest.approx(0.1)
    raw = compare({"staff": np.array([[5, 5], [5, 4], [4, 4]]),
                   "partner": np.array([[1, 1], [1, 2], [2, 2]])},
                  [("partner", "staff")], (4, 5), min_n=3, round_to=5,
                  rng=np.random.default_rng(0),
                  permutations=1000)
    assert not correct(list(raw.values()))[0].finding


def test_minimum_detectable_difference_has_the_power_it_claims():
    # simulate normal scores shifted so Cliff's delta equals the detectable difference
    from scipy.stats import norm

    rng = np.random.default_rng(11)
    n = 30
    delta = detectable_delta(n, n, 0.05)
    shift = np.sqrt(2) * norm.ppf((1 + delta) / 2)
    hits = 0
    for _ in range(800):
        a, b = rng.normal(0, 1, n), rng.normal(shift, 1, n)
        hits += mann_whitney(a, b).p < 0.05
    assert 0.72 <= hits / 800 <= 0.88  # 80% power, within simulation error


# --- ratings, ranges and stability --------------------------------------------------------

def _small_survey(seed: int, partners: int = 9, staff: int = 9) -> Evidence:
    evaluation = ce.load_evaluation(SAMPLES / GENUINE)
    rng = np.random.default_rng(seed)
    items = evaluation.instrument.item_ids
    people = partners + staff
    codes = rng.integers(2, 6, size=(people, len(items))).astype(np.int8)
    codes[rng.random(codes.shape) < 0.08] = 0
    roles = np.array([1] * partners + [0] * staff, dtype=np.int8)
    ids = np.array([f"R{i:03d}" for i in range(people)])
    return Evidence(survey=SurveyEvidence(items=items, codes=codes, roles=roles,
                                          scale=(1, 2, 3, 4, 5), agree=(4, 5),
                                          respondent_ids=ids, group_ids=("staff", "partner")))


def _without(evidence: Evidence, i: int) -> Evidence:
    survey = evidence.survey
    keep = np.arange(len(survey.roles)) != i
    return Evidence(survey=dataclasses.replace(survey, codes=survey.codes[keep],
                                               roles=survey.roles[keep],
                                               respondent_ids=survey.respondent_ids[keep]))


@pytest.mark.parametrize("seed", range(6))
def test_stable_is_false_exactly_when_one_removal_changes_the_rating(seed):
    evaluation = ce.load_evaluation(SAMPLES / GENUINE)
    evidence = _small_survey(seed)
    result = ce.evaluate(evaluation, evidence)
    removed = [ce.evaluate(evaluation, _without(evidence, i))
               for i in range(len(evidence.survey.roles))]
    for p in result.principles:
        flips = any(r.by_principle[p.id].rating != p.rating for r in removed)
        assert p.stable is (not flips), p.id
    level_flips = any(r.overall.evidenced_level != result.overall.evidenced_level
                      for r in removed)
    assert result.robustness["leave_one_out"]["level"] is (not level_flips)
    verdict_flips = any(r.overall.claim_verdict != result.overall.claim_verdict
                        for r in removed)
    assert result.robustness["leave_one_out"]["verdict"] is (not verdict_flips)


def test_ranges_contain_the_rating_and_follow_from_the_intervals():
    result = _evaluate(SAMPLES / PARTIAL)
    framework = ce.load_evaluation(SAMPLES / PARTIAL).framework
    order = [r.id for r in framework.ratings]
    from coprod_eval.compute.rating import rate

    for p in result.principles:
        low, high = (order.index(x) for x in p.rating_range)
        assert low <= order.index(p.rating) <= high
        for ind in p.evidence:
            if ind.value is not None:
                indicator = next(i for i in framework.principle(p.id).indicators
                                 if i.id == ind.id)
                ends = sorted(order.index(rate(indicator, v, framework)) for v in ind.interval)
                assert [order.index(x) for x in ind.rating_range] == ends


def test_a_small_group_stays_in_the_minimum(genuine):
    """Fewer partners than the privacy threshold: the survey figure is withheld but its
    rating still counts in the principle's minimum (or, if even the rating would identify
    people, the principle's range reaches the bottom) — never silently dropped."""
    from conftest import drop_partners

    drop_partners(genuine, keep=7)
    result = _evaluate(genuine)
    order = [r["id"] for r in result.framework["ratings"]]
    for p in result.principles:
        survey = next(i for i in p.evidence if i.stream == "survey")
        assert survey.status in ("figure_withheld", "rating_withheld"), survey.status
        assert survey.value is None and survey.interval is None
        if survey.status == "figure_withheld":
            assert order.index(p.rating) <= order.index(survey.rating)
            assert order.index(p.rating_range[0]) <= order.index(survey.rating_range[0])
        else:
            assert p.rating_range[0] == order[0]
        assert p.groups["partner"].suppressed


def test_thresholds_compare_unrounded_values_and_words_do_not_contradict():
    from coprod_eval.compute.rating import rate
    from coprod_eval.disclosure.privacy import display_value
    from coprod_eval.render.words.figures import unit_figure
    from coprod_eval.yardsticks.framework import load_framework

    framework = load_framework("nesta_nef_six")
    indicator = framework.principles[0].indicators[0]  # 40 / 60 / 80
    thresholds = [t for _, t in indicator.thresholds]
    assert rate(indicator, 59.95, framework) == "emerging"
    shown = display_value(59.95, thresholds)
    assert shown < 60 and unit_figure(shown, "%") == "59.95%"


# --- the samples' verdicts -------------------------------------------------------------------

def test_survey_only_project_is_not_established():
    result = _evaluate(SAMPLES / SURVEY_ONLY)
    def shown(stats):  # a figure, or the middle of its band
        return stats.pct_agree if stats.pct_agree is not None else sum(stats.pct_agree_band) / 2

    partner = [shown(p.groups["partner"]) for p in result.principles]
    staff = [shown(p.groups["staff"]) for p in result.principles]
    assert 60 <= np.mean(partner) <= 75 and 75 <= np.mean(staff) <= 90
    assert result.overall.claim_verdict == "not_established"
    assert result.overall.claim_supported is False
    assert result.overall.settle  # it says what would settle it
    html = report_html(result)
    assert "Claim not established" in html and "Claim not supported" not in html
    assert 'class="verdict not_established"' in html


def test_involvement_stays_not_supported_and_genuine_supported():
    involvement = _evaluate(SAMPLES / INVOLVEMENT)
    assert involvement.overall.claim_verdict == "not_supported"
    levels = [lv["id"] for lv in involvement.framework["ladder"]["levels"]]
    assert levels.index(involvement.overall.level_range[1]) < levels.index("co_production")
    genuine = _evaluate(SAMPLES / GENUINE)
    assert genuine.overall.claim_verdict == "supported"
    assert genuine.overall.level_range == ("co_production", "co_production")
    assert genuine.overall.confidence in ("medium", "high")


# --- words that match the test ----------------------------------------------------------------

FIELD_PATH = re.compile(r"\b(overall|principles|evidence|groups|parameters)\.[a-z_]+")


@pytest.mark.parametrize("sample", [GENUINE, INVOLVEMENT, PARTIAL, SURVEY_ONLY, THREE_GROUPS])
def test_report_reads_as_its_numbers_say(sample):
    result = _evaluate(SAMPLES / sample)
    html = report_html(result)
    from coprod_eval.render.words.comparisons import comparison_sentence
    from coprod_eval.render.words.verdict import verdict_sentence
    from coprod_eval.runs.artefacts import html_text

    text = html_text(html)
    assert not FIELD_PATH.search(text), FIELD_PATH.search(text).group(0)
    assert "broadly agree" not in text
    assert "p = 0 " not in text and "p = 0.000" not in text
    assert "replaced replaced" not in text and "nothing needed replacing" not in text
    for p in result.principles:
        for c in p.comparisons:
            if not c.shown:
                continue
            sentence = comparison_sentence(result, c)
            if c.finding:
                assert ("lower" in sentence) is (c.sign < 0)
                assert f"a {c.effect} difference" in sentence
            else:
                assert sentence.startswith("No difference") or "negligible" in sentence
                assert "could reliably detect" in sentence or "only a large difference" in sentence
    # the first sentence of the verdict says how sure
    verdict = verdict_sentence(result)
    assert f"({result.overall.confidence} confidence)" in verdict


def test_no_p_value_is_printed_as_zero_and_every_one_as_its_band():
    from coprod_eval.disclosure.privacy import p_band
    from coprod_eval.render.words.figures import p_value

    assert p_value(p_band(0.0)) == "p < 0.001" and p_value(p_band(0.00049)) == "p < 0.001"
    assert p_value(p_band(0.0123)) == "0.01 ≤ p < 0.05"
    assert p_value(p_band(0.05)) == "0.05 ≤ p < 0.1"
    assert p_value(p_band(0.7)) == p_value(p_band(1.0)) == "p ≥ 0.5"


def test_unsigned_report_is_a_draft_and_signed_names_the_evaluator(genuine):
    unsigned = _evaluate(genuine)
    assert "Draft." in report_html(unsigned)
    text = (genuine / "evaluation.yaml").read_text().replace(
        "sign_off: null", "sign_off:\n  by: Dr A. Evaluator\n  role: Lead evaluator\n"
                          "  date: 2026-11-20")
    (genuine / "evaluation.yaml").write_text(text)
    signed = _evaluate(genuine)
    html = report_html(signed)
    assert "Draft." not in html
    assert "Signed off by Dr A. Evaluator (Lead evaluator) on 2026-11-20" in html
    assert signed.sign_off["date"] == "2026-11-20"


def test_how_sure_section_marks_conclusions_that_do_not_hold():
    result = _evaluate(SAMPLES / PARTIAL)
    html = report_html(result)
    assert "How sure are we?" in html
    unstable = [p for p in result.principles if not p.stable]
    assert unstable, "the partial sample has ratings one person can change"
    assert html.count("<strong>Does not hold:</strong>") >= len(unstable)
