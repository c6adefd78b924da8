"""Statistics checked against independent implementations on the same data: scipy's
bootstrap, numpy's median, and percent agreeing counted straight from the CSV with pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

import coprod_eval as ce
from coprod_eval.stats import bootstrap_pct_agree_ci, group_answers, median_from_counts

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
    assert stats.pct_agree == round(100 * (answers.code >= 4).mean(), 1)
    assert stats.mean == round(float(np.mean(answers.code)), 2)
    people = answers.respondent_id.nunique()
    assert stats.n == 5 * int(people / 5 + 0.5)  # counts of people leave rounded to 5


def test_median_from_counts_matches_numpy():
    rng = np.random.default_rng(1)
    for size in range(1, 60):
        values = rng.integers(1, 6, size=size)
        counts = np.bincount(values, minlength=6)[1:]
        assert median_from_counts(counts, (1, 2, 3, 4, 5)) == np.median(values)


def test_bootstrap_ci_matches_scipy_within_monte_carlo_error(sample):
    folder, evaluation, result = sample
    survey = ce.load_evidence(evaluation).survey
    columns = [survey.items.index(i) for i in evaluation.framework.principle("assets").items]
    answers = group_answers(survey.codes[survey.role_mask("partner")][:, columns],
                            survey.scale, survey.agree)
    ours = bootstrap_pct_agree_ci(answers, resamples=20000, rng=np.random.default_rng(7))
    theirs = sps.bootstrap(
        (answers.agree, answers.answered),
        lambda a, n, axis=-1: 100 * a.sum(axis=axis) / n.sum(axis=axis),
        paired=True, vectorized=True, n_resamples=20000, method="percentile",
        confidence_level=0.95, random_state=np.random.default_rng(8)).confidence_interval
    # Monte-Carlo error of a 2.5% quantile with 20000 resamples is well under one point here.
    assert ours[0] == pytest.approx(theirs.low, abs=1.0)
    assert ours[1] == pytest.approx(theirs.high, abs=1.0)
    # and the published CI (2000 resamples) agrees with scipy to within its own MC error
    published = result.by_principle["assets"].ci
    assert published[0] == pytest.approx(theirs.low, abs=2.5)
    assert published[1] == pytest.approx(theirs.high, abs=2.5)
    assert result.by_principle["assets"].score == round(
        100 * answers.agree.sum() / answers.answered.sum(), 1)


def test_bootstrap_is_seeded(sample):
    folder, evaluation, _ = sample
    first = ce.evaluate(evaluation, ce.load_evidence(evaluation))
    second = ce.evaluate(evaluation, ce.load_evidence(evaluation))
    assert first.to_json() == second.to_json()


def test_gap_interval_matches_scipy_two_sample_bootstrap(sample):
    folder, evaluation, result = sample
    survey = ce.load_evidence(evaluation).survey
    columns = [survey.items.index(i) for i in evaluation.framework.principle("networks").items]
    groups = {role: group_answers(survey.codes[survey.role_mask(role)][:, columns],
                                  survey.scale, survey.agree) for role in ("staff", "partner")}
    agree = {r: g.agree for r, g in groups.items()}
    answered = {r: g.answered for r, g in groups.items()}

    def gap(partner_idx, staff_idx, axis=-1):
        p = 100 * agree["partner"][partner_idx].sum(axis) / answered["partner"][partner_idx].sum(axis)
        s = 100 * agree["staff"][staff_idx].sum(axis) / answered["staff"][staff_idx].sum(axis)
        return p - s

    theirs = sps.bootstrap(
        (np.arange(groups["partner"].n), np.arange(groups["staff"].n)), gap, paired=False,
        vectorized=True, n_resamples=20000, method="percentile",
        random_state=np.random.default_rng(3)).confidence_interval
    ours = result.by_principle["networks"].gap
    assert ours.pct_agree == pytest.approx(gap(np.arange(groups["partner"].n),
                                               np.arange(groups["staff"].n)), abs=0.11)
    # published interval: 2000 resamples, so allow its Monte-Carlo error
    assert ours.ci[0] == pytest.approx(theirs.low, abs=2.5)
    assert ours.ci[1] == pytest.approx(theirs.high, abs=2.5)


def _blocks(evaluation, principle):
    survey = ce.load_evidence(evaluation).survey
    columns = [survey.items.index(i) for i in evaluation.framework.principle(principle).items]
    return {role: survey.codes[survey.role_mask(role)][:, columns] for role in ("staff", "partner")}


def test_gap_test_and_effect_size_match_scipy_and_pingouin(sample):
    import pingouin as pg

    folder, evaluation, result = sample
    raw = []
    for p in evaluation.framework.principles:
        blocks = _blocks(evaluation, p.id)
        scores = {}
        for role, block in blocks.items():
            answered = (block > 0).sum(axis=1)
            scores[role] = block[answered > 0].sum(axis=1) / answered[answered > 0]
        test = sps.mannwhitneyu(scores["partner"], scores["staff"], method="asymptotic")
        rbc = pg.mwu(scores["partner"], scores["staff"])["RBC"].iloc[0]
        raw.append(test.pvalue)
        assert result.by_principle[p.id].gap.effect_size == pytest.approx(rbc, abs=5e-4)
    _, adjusted = pg.multicomp(raw, method="holm")
    for p, p_holm in zip(evaluation.framework.principles, adjusted):
        gap = result.by_principle[p.id].gap
        assert gap.p_holm == pytest.approx(p_holm, abs=5e-5)
        assert gap.finding == (p_holm < 0.05 and abs(gap.effect_size) >= 0.147)


def test_cronbach_alpha_matches_pingouin(sample):
    import pingouin as pg

    folder, evaluation, result = sample
    checked = 0
    for p in evaluation.framework.principles:
        for role, block in _blocks(evaluation, p.id).items():
            alpha = result.by_principle[p.id].groups[role].alpha
            complete = pd.DataFrame(block[(block > 0).all(axis=1)].astype(float))
            if alpha["value"] is None:
                assert len(complete) < 8  # withheld only when too few complete answers
                continue
            value, ci = pg.cronbach_alpha(complete)
            assert alpha["value"] == pytest.approx(value, abs=0.005)
            assert alpha["ci"] == pytest.approx(list(ci), abs=0.006)
            checked += 1
    assert checked >= 6


def test_interquartile_range_matches_numpy(sample):
    folder, evaluation, result = sample
    for p in evaluation.framework.principles:
        for role, block in _blocks(evaluation, p.id).items():
            answers = block[block > 0]
            assert result.by_principle[p.id].groups[role].iqr == (
                np.percentile(answers, 25), np.percentile(answers, 75))


def test_intercoder_agreement_matches_sklearn_and_krippendorff():
    import krippendorff
    from sklearn.metrics import cohen_kappa_score

    from conftest import GENUINE, SAMPLES

    frame = pd.read_csv(SAMPLES / GENUINE / "evidence" / "qualitative.csv", dtype=str)
    frame["label"] = frame["principle"] + ":" + frame["code"]
    double = frame.groupby("excerpt_id").filter(lambda g: len(g) >= 2)
    first = double.groupby("excerpt_id")["label"].nth(0).tolist()
    second = double.groupby("excerpt_id")["label"].nth(1).tolist()
    categories = sorted(set(first) | set(second))
    data = [[categories.index(x) for x in first], [categories.index(x) for x in second]]
    evaluation = ce.load_evaluation(SAMPLES / GENUINE)
    agreement = ce.evaluate(evaluation, ce.load_evidence(evaluation)).agreement
    assert agreement["double_coded"] == len(first) >= 10
    assert agreement["cohen_kappa"] == pytest.approx(cohen_kappa_score(first, second), abs=5e-4)
    assert agreement["krippendorff_alpha"] == pytest.approx(
        krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"), abs=5e-4)
