"""Statistics checked against independent implementations on the same data: scipy,
statsmodels, pingouin, scikit-learn, krippendorff, numpy, and brute-force enumeration."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

import coprod_eval as ce
from coprod_eval.base.stats import (
    clustered_wilson,
    group_answers,
    mann_whitney,
    median_from_counts,
    median_interval,
    wilson,
)
from coprod_eval.yardsticks.measures import proportion

LABELS = {"strongly disagree": 1, "disagree": 2, "neither agree nor disagree": 3, "agree": 4,
          "strongly agree": 5}


def raw_answers(folder, principle_items, role):
    """Codes per (respondent, item) read independently of coprod_eval's loader."""
    frame = pd.read_csv(folder / "evidence" / "survey.csv", dtype=str, keep_default_na=False)
    frame = frame[(frame.group == role) & frame.item_id.isin(principle_items)].copy()
    text = frame.response.str.strip().str.lower()
    codes = pd.to_numeric(text.map(LABELS).fillna(pd.to_numeric(text, errors="coerce")))
    reverse = frame.item_id.isin({"AS4", "CA4", "BL3"})
    frame["code"] = np.where(reverse, 6 - codes, codes)
    return frame.dropna(subset=["code"])


@pytest.fixture(scope="module")
def sample(request):
    from conftest import SAMPLES

    folder = SAMPLES / "involvement-as-coproduction"
    evaluation = ce.load_evaluation(folder)
    return folder, evaluation, ce.evaluate(evaluation, ce.load_evidence(evaluation))


@pytest.mark.parametrize("principle", ["assets", "reciprocity", "blurring"])
@pytest.mark.parametrize("role", ["staff", "partner"])
def test_median_and_pct_agree_match_direct_computation(sample, principle, role):
    folder, evaluation, result = sample
    items = evaluation.framework.principle(principle).items
    answers = raw_answers(folder, items, role)
    stats = result.by_principle[principle].groups[role]
    assert stats.median == np.median(answers.code) == sps.quantile(answers.code.to_numpy(), 0.5)
    # published shares come from counts rounded to the nearest 5 (NHS practice), a count
    # that is not zero never rounded to zero
    def to5(count):
        return 0 if count == 0 else max(5, 5 * int(np.floor(count / 5 + 0.5)))

    agreeing, answered = int((answers.code >= 4).sum()), len(answers)
    people = answers.respondent_id.nunique()
    if people < 20:  # a small group's share is a band of ten points holding the exact one
        exact = 100 * agreeing / answered
        low, high = stats.pct_agree_band
        assert stats.pct_agree is None and high - low == 10 and low % 10 == 0
        assert low <= exact < high or exact == high == 100
    else:
        assert stats.pct_agree == round(100 * to5(agreeing) / to5(answered), 1)
    counts = [int((answers.code == c).sum()) for c in range(1, 6)]
    shown = [to5(c) for c in counts]
    assert [stats.distribution[str(c)] for c in range(1, 6)] == [
        round(100 * s / sum(shown), 1) for s in shown]
    assert stats.mean == round(float(np.mean(answers.code)), 1)
    per_person = answers.groupby("respondent_id").code.mean()
    # the median to the nearest half point (to a tenth, an average of two would tell that
    # the number of people is even)
    assert stats.typical == round(float(per_person.median()) * 2) / 2
    assert stats.n == 5 * int(people / 5 + 0.5)  # counts of people leave rounded to 5


def test_median_from_counts_matches_numpy():
    rng = np.random.default_rng(1)
    for size in range(1, 60):
        values = rng.integers(1, 6, size=size)
        counts = np.bincount(values, minlength=6)[1:]
        assert median_from_counts(counts, (1, 2, 3, 4, 5)) == np.median(values)


def test_wilson_matches_statsmodels():
    from statsmodels.stats.proportion import proportion_confint

    for k, n in [(0, 5), (5, 5), (3, 10), (17, 40), (999, 1000), (1, 2)]:
        low, high = proportion_confint(k, n, alpha=0.05, method="wilson")
        assert wilson(k, n) == pytest.approx((low, high), abs=1e-12)
        measured = proportion(np.ones(n, bool), np.arange(n) < k)
        assert (measured.low, measured.high) == pytest.approx((100 * low, 100 * high))


def _design_effect_by_hand(agree, answered):
    """The linearised variance of a ratio estimator, written out independently, with one
    pseudo-person agreeing with half of an average number of answers."""
    frame = pd.DataFrame({"a": agree, "m": answered}).astype(float)
    typical = frame.m.mean()
    frame = pd.concat([frame, pd.DataFrame({"a": [typical / 2], "m": [typical]})])
    ratio = frame.a.sum() / frame.m.sum()
    residual = frame.a - ratio * frame.m
    people = len(frame)
    variance = people / (people - 1) * (residual ** 2).sum() / frame.m.sum() ** 2
    return max(1.0, variance / (ratio * (1 - ratio) / frame.m.sum()))


def test_clustered_interval_is_wilson_on_the_effective_sample_with_t_critical_value():
    from statsmodels.stats.proportion import proportion_confint

    rng = np.random.default_rng(4)
    for people in (3, 8, 15, 40):
        answered = rng.integers(1, 5, size=people)
        agree = rng.binomial(answered, rng.uniform(0.2, 0.95, size=people))
        deff = _design_effect_by_hand(agree, answered)
        effective = answered.sum() / deff
        share = agree.sum() / answered.sum()
        # Wilson with the critical value of Student's t (people - 1 df), via statsmodels
        alpha = 2 * sps.norm.sf(sps.t.ppf(0.975, people - 1))
        expected = proportion_confint(share * effective, effective, alpha=alpha,
                                      method="wilson")
        assert clustered_wilson(agree, answered) == pytest.approx(expected, abs=1e-9)


def test_leave_one_out_intervals_match_recomputing_without_each_respondent():
    from coprod_eval.yardsticks.measures import _clustered_loo

    rng = np.random.default_rng(9)
    answered = rng.integers(0, 5, size=12)
    agree = rng.binomial(answered, 0.7)
    people = answered > 0
    value, low, high = _clustered_loo(agree, answered, people)
    for i in range(12):
        keep = people.copy()
        keep[i] = False
        if not people[i]:
            keep = people
        expect = clustered_wilson(agree[keep], answered[keep])
        assert value[i] == pytest.approx(100 * agree[keep].sum() / answered[keep].sum())
        assert (low[i], high[i]) == pytest.approx((100 * expect[0], 100 * expect[1]), abs=1e-9)


def test_median_interval_is_the_narrowest_order_statistic_pair_with_95_coverage():
    rng = np.random.default_rng(2)
    for n in (3, 5, 6, 9, 14, 30, 101):
        values = np.sort(rng.integers(0, 9, size=n)).astype(float)
        low, high = median_interval(values)
        # independent search over symmetric pairs (j, n - j + 1), 1-based
        best = None
        for j in range(1, n // 2 + 1):
            coverage = sps.binom.cdf(n - j, n, 0.5) - sps.binom.cdf(j - 1, n, 0.5)
            if coverage >= 0.95:
                best = j
        if best is None:
            assert (low, high) == (values[0], values[-1])
        else:
            assert (low, high) == (values[best - 1], values[n - best])


def _brute_force_p(a, b):
    x = np.concatenate([a, b])
    ranks = sps.rankdata(x)
    observed = ranks[: len(a)].sum()
    sums = np.array([ranks[list(c)].sum() for c in itertools.combinations(range(len(x)), len(a))])
    low = (sums <= observed + 1e-9).mean()
    high = (sums >= observed - 1e-9).mean()
    return min(1.0, 2 * min(low, high))


def test_exact_mann_whitney_matches_enumeration_and_scipy_permutation_test():
    rng = np.random.default_rng(0)
    for _ in range(60):
        n1, n2 = rng.integers(2, 7, size=2)
        a = rng.integers(1, 5, n1) / rng.choice([1, 2])  # ties, as per-person means have
        b = rng.integers(1, 5, n2) / rng.choice([1, 2])
        ours = mann_whitney(a, b)
        assert ours.method == "exact"
        assert ours.p == pytest.approx(_brute_force_p(a, b), abs=1e-12)
        theirs = sps.permutation_test(
            (a, b), lambda x, y: sps.mannwhitneyu(x, y, method="asymptotic").statistic,
            permutation_type="independent", n_resamples=np.inf, alternative="two-sided")
        assert ours.p == pytest.approx(theirs.pvalue, abs=1e-12)
        assert ours.u == sps.mannwhitneyu(a, b, method="asymptotic").statistic


def test_large_samples_use_the_normal_approximation_as_scipy_does():
    rng = np.random.default_rng(5)
    a = rng.integers(1, 21, size=3000) / 4
    b = rng.integers(2, 21, size=2500) / 4
    ours = mann_whitney(a, b)
    assert ours.method == "normal approximation"
    assert ours.p == pytest.approx(sps.mannwhitneyu(a, b, method="asymptotic").pvalue, rel=1e-9)


def test_permutation_test_agrees_with_scipy_within_monte_carlo_error():
    rng = np.random.default_rng(6)
    a = rng.integers(2, 6, size=15) + 0.5 * rng.integers(0, 2, size=15)
    b = rng.integers(1, 6, size=1000).astype(float)
    ours = mann_whitney(a, b, rng=np.random.default_rng(1), permutations=20000)
    assert ours.method.startswith("permutation")
    theirs = sps.permutation_test(
        (a, b), lambda x, y, axis: sps.mannwhitneyu(x, y, axis=axis, method="asymptotic").statistic,
        permutation_type="independent", n_resamples=20000, vectorized=True,
        alternative="two-sided", random_state=np.random.default_rng(2)).pvalue
    assert ours.p == pytest.approx(theirs, abs=0.015)


def _blocks(evaluation, principle):
    survey = ce.load_evidence(evaluation).survey
    columns = [survey.items.index(i) for i in evaluation.framework.principle(principle).items]
    return {role: survey.codes[survey.role_mask(role)][:, columns] for role in ("staff", "partner")}


def test_comparisons_match_scipy_and_pingouin(sample):
    import pingouin as pg

    _, evaluation, result = sample
    raw = []
    for p in evaluation.framework.principles:
        blocks = _blocks(evaluation, p.id)
        scores = {}
        for role, block in blocks.items():
            answered = (block > 0).sum(axis=1)
            scores[role] = block[answered > 0].sum(axis=1) / answered[answered > 0]
        comparison = result.by_principle[p.id].comparisons[0]
        assert comparison.method == "exact"  # a group of 12: exact, as the issue asks
        exact = sps.permutation_test(
            (scores["partner"], scores["staff"]),
            lambda x, y, axis: sps.mannwhitneyu(x, y, axis=axis).statistic,
            permutation_type="independent", vectorized=True, n_resamples=200000,
            random_state=np.random.default_rng(1)).pvalue
        rbc = pg.mwu(scores["partner"], scores["staff"])["RBC"].iloc[0]
        raw.append(exact)
        # published as bands (privacy: statistics about people): the band holds the
        # independent p-value, unless that lies within its Monte Carlo error of an edge
        assert _holds(exact, comparison.p_band, 0.004)
        # a group of 12 is published as fewer than 20 people: Cliff's delta as its size band
        assert comparison.effect_size is None and _in_delta_band(rbc, comparison.effect_band)
        assert comparison.typical == tuple(round(float(np.median(scores[g])) * 2) / 2
                                           for g in ("partner", "staff"))
    _, adjusted = pg.multicomp(raw, method="holm")
    for p, p_holm in zip(evaluation.framework.principles, adjusted):
        c = result.by_principle[p.id].comparisons[0]
        assert _holds(p_holm, c.p_holm_band, 0.03)
        if abs(p_holm - 0.05) > 0.03:  # a band's end nearest zero is at least 0.147 exactly
            assert c.finding == (p_holm < 0.05 and c.magnitude >= 0.147)


def _holds(p: float, band, tolerance: float) -> bool:
    """p lies in the band [low, high) (the top one [0.5, 1]), or within ``tolerance`` of it."""
    low, high = band
    return low - tolerance <= p < high + tolerance or (high == 1 and p <= 1)


def _in_delta_band(delta: float, band) -> bool:
    """delta in its published signed size band (a negligible band holds both signs)."""
    low, high = band
    if low < 0 < high:
        return low < delta < high
    return (low <= delta < high or delta == high == 1) if low >= 0 else (
        low < delta <= high or delta == low == -1)


def test_cronbach_alpha_matches_pingouin(sample):
    import pingouin as pg

    _, evaluation, result = sample
    checked = 0
    for p in evaluation.framework.principles:
        for role, block in _blocks(evaluation, p.id).items():
            alpha = result.by_principle[p.id].groups[role].alpha
            complete = pd.DataFrame(block[(block > 0).all(axis=1)].astype(float))
            if alpha["value"] is None:
                assert len(complete) < 10  # not estimated below ten complete answers
                assert alpha["status"] == "too_few" and alpha["min_people"] == 10
                continue
            value, _ = pg.cronbach_alpha(complete)
            assert alpha["value"] == pytest.approx(value, abs=0.005)
            # Feldt's interval at the fewest people the published number may stand for
            # (issue 24: at the exact number its width would tell that number)
            people = max(evaluation.min_group_size, alpha["n"] - evaluation.round_to // 2)
            items = complete.shape[1]
            df1, df2 = people - 1, (people - 1) * (items - 1)
            expected = [1 - (1 - value) * sps.f.ppf(0.975, df1, df2),
                        1 - (1 - value) * sps.f.ppf(0.025, df1, df2)]
            assert alpha["ci"] == pytest.approx(expected, abs=0.006)
            checked += 1
    assert checked >= 6


def test_alpha_with_no_variation_says_so():
    from coprod_eval.compute.groups import alpha
    from coprod_eval.render.words.principles import alpha_text

    block = np.full((12, 4), 4)
    found = alpha(block, ("A", "B", "C", "D"), 8, 5)
    assert found["status"] == "no_variation" and found["value"] is None
    stats = SimpleNamespace(alpha=found, pct_agree=100.0, pct_agree_band=None)
    assert alpha_text(stats).startswith("Not estimated: every complete set of answers is the "
                                        "same")


def test_interquartile_range_matches_numpy(sample):
    _, evaluation, result = sample
    for p in evaluation.framework.principles:
        for role, block in _blocks(evaluation, p.id).items():
            answers = block[block > 0]
            assert result.by_principle[p.id].groups[role].iqr == (
                np.percentile(answers, 25), np.percentile(answers, 75))


def test_group_answers_and_share_agreeing():
    codes = np.array([[4, 5, 0], [1, 0, 0], [0, 0, 0]])
    answers = group_answers(codes, (1, 2, 3, 4, 5), (4, 5))
    assert answers.n == 2 and list(answers.agree) == [2, 0] and list(answers.answered) == [2, 1]


def test_intercoder_agreement_matches_sklearn_and_krippendorff():
    import krippendorff
    from conftest import GENUINE, SAMPLES
    from sklearn.metrics import cohen_kappa_score

    frame = pd.read_csv(SAMPLES / GENUINE / "evidence" / "qualitative.csv", dtype=str)
    double = frame.groupby("excerpt_id").filter(lambda g: len(g) >= 2)
    # agreement on what the indicator counts: supports or contradicts
    first = double.groupby("excerpt_id")["code"].nth(0).tolist()
    second = double.groupby("excerpt_id")["code"].nth(1).tolist()
    same = (double.groupby("excerpt_id")["principle"].nunique() == 1).mean()
    categories = sorted(set(first) | set(second))
    data = [[categories.index(x) for x in first], [categories.index(x) for x in second]]
    evaluation = ce.load_evaluation(SAMPLES / GENUINE)
    agreement = ce.evaluate(evaluation, ce.load_evidence(evaluation)).agreement
    assert agreement["double_coded"] == len(first) >= 10
    assert agreement["cohen_kappa"] == pytest.approx(cohen_kappa_score(first, second), abs=5e-4)
    assert agreement["krippendorff_alpha"] == pytest.approx(
        krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"), abs=5e-4)
    assert agreement["principle_agreement"] == round(100 * same, 1)
