"""The disagreement map: each item's difference checked against scipy and statsmodels on the
same answers, the family-wise false-positive rate under the null by seeded simulation, the
interval's coverage, and the disclosure rules."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from scipy.stats import mannwhitneyu, norm
from statsmodels.stats.multitest import multipletests

import coprod_eval as ce
from coprod_eval.compute.disagreement import delta_interval, disagreement_map, magnitude

SAMPLE = "data_samples/involvement-as-coproduction"


@pytest.fixture(scope="module")
def sample():
    evaluation = ce.load_evaluation(SAMPLE)
    evidence = ce.load_evidence(evaluation)
    return evaluation, evidence, ce.evaluate(evaluation, evidence)


def test_each_item_difference_matches_scipy_and_holm_matches_statsmodels(sample):
    import zlib

    from coprod_eval.base.stats import mann_whitney
    from coprod_eval.disclosure.privacy import p_band

    evaluation, evidence, result = sample
    survey = evidence.survey
    entries = [e for e in result.disagreement["entries"] if e["shown"]]
    assert len(entries) == result.disagreement["items_compared"] > 0
    exact_p, exact_delta = [], []
    for e in entries:
        column = survey.codes[:, survey.items.index(e["item"])]
        a = column[survey.role_mask(e["group"]) & (column > 0)]
        b = column[survey.role_mask(e["reference"]) & (column > 0)]
        u = mannwhitneyu(a, b, alternative="two-sided", method="asymptotic").statistic
        delta = 2 * u / (len(a) * len(b)) - 1
        exact_delta.append(delta)
        if e["effect_size"] is not None:  # two decimals, cut back toward its size band
            assert abs(e["effect_size"] - delta) < 0.01
        else:  # a group shown as fewer than 20 people: the size band (issue 24)
            low, high = e["effect_band"]
            if low < 0 < high:  # negligible, either way
                assert low < delta < high
            elif low >= 0:
                assert low <= delta < high or delta == high == 1
            else:
                assert low < delta <= high or delta == low == -1
            assert e["effect_ci"] is None
        # the exact p-value, with the test held to scipy's in tests/test_stats_vs_scipy.py,
        # seeded as the map seeds it
        rng = np.random.default_rng([evaluation.seed, zlib.crc32(
            f"{e['item']}|{e['group']}|{e['reference']}".encode())])
        exact_p.append(mann_whitney(a.astype(float), b.astype(float), rng=rng,
                                    permutations=evaluation.permutations).p)
    # Holm across the whole map (statsmodels), published as bands
    expected = multipletests(exact_p, method="holm")[1]
    for e, p, p_holm in zip(entries, exact_p, expected, strict=True):
        assert list(e["p_band"]) == list(p_band(p))
        assert list(e["p_holm_band"]) == list(p_band(p_holm))
    # ordered by the size of the difference as published, largest first
    sizes = [magnitude(e) for e in entries]
    assert sizes == sorted(sizes, reverse=True)
    # beyond noise only when Holm says so and the difference is at least small
    for e, delta, p_holm in zip(entries, exact_delta, expected, strict=True):
        assert e["beyond_noise"] == (p_holm < 0.05 and abs(delta) >= 0.147)
        assert not (e["beyond_noise"] and e["common_ground"])


def _null_survey(rng, items: int, sizes: tuple[int, int]):
    n = sum(sizes)
    codes = rng.choice([1, 2, 3, 4, 5], size=(n, items), p=[.1, .2, .3, .25, .15])
    roles = np.array(["partner"] * sizes[0] + ["staff"] * sizes[1])
    ids = [f"Q{i}" for i in range(items)]
    survey = SimpleNamespace(items=ids, codes=codes, agree=(4, 5),
                             role_mask=lambda role: roles == role)
    instrument = SimpleNamespace(items=[SimpleNamespace(id=i, text=i, reverse=False)
                                        for i in ids])
    framework = SimpleNamespace(principles=[SimpleNamespace(id="p", items=tuple(ids))])
    return survey, instrument, framework


def test_family_wise_false_positives_stay_at_or_below_five_percent_under_the_null():
    """Both groups answer from one distribution: any "beyond noise" entry is a false
    positive. Holm across the map keeps the chance of one at or below 5%."""
    rng = np.random.default_rng(20261126)
    reps, any_false = 300, 0
    uncorrected = 0
    for rep in range(reps):
        survey, instrument, framework = _null_survey(rng, 20, (12, 18))
        found = disagreement_map(survey, instrument, framework, [("partner", "staff")],
                                 offset=0, min_n=5, round_to=1, seed=rep, permutations=2000)
        shown = [e for e in found["entries"] if e["shown"]]
        assert len(shown) == 20
        any_false += any(e["beyond_noise"] for e in shown)
        uncorrected += any(e["p_band"][1] <= 0.05 for e in shown)
    rate = any_false / reps
    assert rate <= 0.05 + 2 * np.sqrt(0.05 * 0.95 / reps), rate
    # the simulation can tell: without the correction, false positives are common
    assert uncorrected / reps > 0.3


def test_the_interval_for_the_difference_covers_the_true_value():
    """Two normal groups a shift apart: the true Cliff's delta is 2·Φ(shift/√2) − 1."""
    rng = np.random.default_rng(7)
    for shift, sizes in ((0.0, (15, 20)), (0.8, (12, 30)), (1.5, (40, 40)), (2.5, (10, 12))):
        truth = 2 * norm.cdf(shift / np.sqrt(2)) - 1
        covered = 0
        for _ in range(400):
            a, b = rng.normal(shift, 1, sizes[0]), rng.normal(0, 1, sizes[1])
            u = mannwhitneyu(a, b, method="asymptotic").statistic
            low, high = delta_interval(2 * u / (sizes[0] * sizes[1]) - 1, *sizes)
            covered += low <= truth <= high
        assert covered / 400 >= 0.92, (shift, covered / 400)


def test_a_small_group_on_an_item_is_withheld_with_no_figure():
    rng = np.random.default_rng(3)
    survey, instrument, framework = _null_survey(rng, 3, (9, 20))
    survey.codes[:5, 0] = 0  # only 4 partners answered Q0
    found = disagreement_map(survey, instrument, framework, [("partner", "staff")], offset=0,
                             min_n=5, round_to=5, seed=1, permutations=200)
    q0 = next(e for e in found["entries"] if e["item"] == "Q0")
    assert q0["shown"] is False
    assert not {"n", "pct_agree", "effect_size", "effect_band", "p_band"} & set(q0)
    assert found["entries"][-1] is q0  # withheld last
    assert found["items_compared"] == 2
    for e in found["entries"]:
        if e["shown"]:  # counts published rounded; shares from rounded counts
            assert all(n % 5 == 0 for n in e["n"])


def test_the_report_and_results_carry_the_map(sample):
    _, _, result = sample
    data = result.to_dict()
    assert data["disagreement"]["items_compared"] > 0
    again = ce.EvaluationResult.from_dict(data)
    assert again.disagreement == result.disagreement
    from coprod_eval.render.report import report_html

    page = report_html(result)
    assert "Where the groups see things differently" in page
    differ = [e for e in data["disagreement"]["entries"] if e.get("beyond_noise")]
    assert differ, "the sample's partners answer lower: the map should show it"
    for e in differ:
        assert f"({e['item']})" in page
    reverse = [e for e in differ if e["reverse"]]
    assert reverse and "worded the other way" in page
