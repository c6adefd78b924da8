"""Issue 24, item 4: nobody works back a group's exact size, or one added person's answers,
from what a run publishes. Both attacks are performed here on the published results
(results.json: every figure a report, table, workbook or the app shows is drawn from it).

Each attack is first made on the same evaluation published with the precision release 4.1
used (Cliff's delta to three decimals, what a comparison could detect worked out at the
exact sizes), where it succeeds — so a pass below means the publication, not a blunt
attacker. The attacker knows the publication rules (the code is open) and the instrument;
the figures it compares against are worked out here from the answers, not asked of the code
under test.

What differencing can still tell, and the bound the tests hold: a size band is published
for Cliff's delta when a group is under 20 people, so two runs show the added person's place
only when the delta crosses a band's edge between them, and then only which side of it:
crossing into "large" (0.474) needs the person above (or below) at least 0.474 of the other
group's wins, so they stay hidden among at least (1 − 0.474) / 2 ≈ 26% of the positions they
could have. The attacker uses the deltas; the p-values are bands too, and working a p-value
band back to a position needs the ties among everyone's answers, which nothing publishes.

What no rounding or band stops (README, "Protecting the people in the evidence"): a rounded
count crossing a rounding edge between the two runs tells the exact count at that edge, and a
question's share band that moves tells whether the added person agreed with that question.
"""

from __future__ import annotations

import shutil
from itertools import product

import numpy as np
import pandas as pd
import pytest
from conftest import INVOLVEMENT, SAMPLES
from scipy.special import ndtri

import coprod_eval as ce

BASE, MIN_N = 5, 8  # the sample's privacy settings (evaluation.yaml)
SIZES = ((0.147, "negligible"), (0.33, "small"), (0.474, "medium"), (9.0, "large"))


def shown_count(n: int) -> int | None:
    """NHS rounding as the README states it: 1-7 withheld, others to the nearest 5, never
    below the threshold."""
    if n < MIN_N:
        return None
    return max(int(np.floor(n / BASE + 0.5)) * BASE, -(-MIN_N // BASE) * BASE)


def candidates(shown: int) -> list[int]:
    """Every exact size a published size may stand for."""
    return [n for n in range(max(1, shown - 2 * BASE), shown + 2 * BASE + 1)
            if shown_count(n) == shown]


def size_word(delta):
    size = np.round(np.abs(delta), 10)
    return np.select([size < limit for limit, _ in SIZES], [w for _, w in SIZES])


# --- publication rules, as the attacker reads them from the code's documentation ----------

def as_41(delta):
    """Release 4.1 (what the issue's attacker met): three decimals."""
    return np.round(delta, 3)


def as_published(delta, coarse: bool):
    """Today: the signed size band when a group is published as fewer than 20 people; else
    two decimals, cut back toward its own size band."""
    if coarse:
        size = np.round(np.abs(delta), 10)
        edge = np.select([size < 0.147, size < 0.33, size < 0.474], [0, 1, 2], 3)
        return np.where(edge == 0, 0, np.sign(delta) * edge)
    shown = np.round(delta, 2)
    moved = size_word(shown) != size_word(delta)
    cut = np.where(np.abs(shown) > np.abs(delta), np.floor(np.abs(delta) * 100 + 1e-9),
                   np.ceil(np.abs(delta) * 100 - 1e-9)) / 100 * np.sign(delta)
    return np.where(moved, cut, shown)


def numerators(rule, published, n1: int, n2: int) -> np.ndarray:
    """Every whole-number Cliff's delta numerator (wins − losses over n1 × n2 pairs) the
    published figure could stand for."""
    pairs = n1 * n2
    numerator = np.arange(-pairs, pairs + 1)
    shown = rule(numerator / pairs)
    return numerator[np.isclose(shown, published)]


def detectable(n1: int, n2: int, family: int) -> float:
    """What a comparison could detect (Noether), at 2 decimals: 4.1 used the exact sizes."""
    z = float(ndtri(1 - 0.05 / family / 2) + ndtri(0.8))
    return round(2 * z / np.sqrt(12 * n1 * n2 / (n1 + n2)), 2)


# --- the answers, read here --------------------------------------------------------------

def scores(folder, items, group) -> np.ndarray:
    """Each person's mean answer over ``items`` (reverse-worded ones turned), from the
    survey file and the instrument, without the package."""
    import yaml

    instrument = yaml.safe_load((folder / "instrument" / "coprod_survey.yaml").read_text())
    reverse = {i["id"] for i in instrument["items"] if i.get("reverse")}
    codes = {s["label"].lower(): int(s["code"]) for s in instrument["scale"]["codes"]}
    top = max(codes.values())
    survey = pd.read_csv(folder / "evidence" / "survey.csv")
    survey = survey[(survey.group == group) & survey.item_id.isin(items)].copy()
    survey["code"] = survey.response.str.lower().map(codes)
    survey = survey.dropna(subset=["code"])
    survey.loc[survey.item_id.isin(reverse), "code"] = top + 1 - survey.code
    return survey.groupby("respondent_id").code.mean().to_numpy()


def cliffs_delta(a: np.ndarray, b: np.ndarray) -> tuple[float, int]:
    wins = int((a[:, None] > b[None, :]).sum() - (a[:, None] < b[None, :]).sum())
    return wins / (len(a) * len(b)), wins


def evaluate(folder):
    evaluation = ce.load_evaluation(folder)
    return ce.evaluate(evaluation, ce.load_evidence(evaluation)).to_dict()


@pytest.fixture(scope="module")
def published():
    return evaluate(SAMPLES / INVOLVEMENT)


# --- attack 1: exact sizes from everything published --------------------------------------

def sizes_left(results, rule_for, extra=None) -> set[tuple[int, int]]:
    """The (staff, partners) sizes consistent with every comparison published: for each
    principle, Cliff's delta (by ``rule_for``) and anything ``extra`` checks."""
    left = None
    for principle in results["principles"]:
        staff, partner = (principle["groups"][g]["n"] for g in ("staff", "partner"))
        (comparison,) = principle["comparisons"]
        fits = set()
        for n1, n2 in product(candidates(partner), candidates(staff)):
            rule, figure = rule_for(comparison, n1, n2)
            if len(numerators(rule, figure, n1, n2)) and (extra is None or extra(
                    principle, comparison, n1, n2)):
                fits.add((n2, n1))
        left = fits if left is None else left & fits
    return left


def test_the_attack_recovers_exact_sizes_from_what_release_4_1_published(published):
    """The issue's attack, made here: three-decimal deltas and the detectable difference at
    the exact sizes leave one solution, the true one (30 staff, 12 partners)."""
    folder = SAMPLES / INVOLVEMENT
    family = sum(c["shown"] for p in published["principles"] for c in p["comparisons"])
    truth = {}
    for principle in published["principles"]:
        a, b = (scores(folder, principle["items"], g) for g in ("partner", "staff"))
        truth[principle["id"]] = (cliffs_delta(a, b)[0], detectable(len(a), len(b), family))
    left = sizes_left(
        published, lambda c, n1, n2: (as_41, as_41(truth[_pid(published, c)][0])),
        extra=lambda p, c, n1, n2: detectable(n1, n2, family) == truth[p["id"]][1])
    assert left == {(30, 12)}


def _pid(results, comparison) -> str:
    return next(p["id"] for p in results["principles"] if comparison in p["comparisons"])


def test_no_exact_size_can_be_worked_back_from_what_is_published(published):
    """Today's figures, every one the attacker can use: Cliff's delta (a band for 12
    partners), the detectable difference (at the fewest people the sizes shown allow: the
    same for every candidate, so no constraint), and the shares agreeing and distributions
    (from rounded counts: a size must be able to give that many answers)."""
    folder = SAMPLES / INVOLVEMENT
    items_of = {p["id"]: len(p["items"]) for p in published["principles"]}

    def answers_fit(principle, comparison, n1, n2):
        for group, n in (("partner", n1), ("staff", n2)):
            stats = principle["groups"][group]
            total = answers_from_distribution(stats["distribution"])
            if not any(n <= t <= n * items_of[principle["id"]] for t in total):
                return False
        return True

    def rule(comparison, n1, n2):
        coarse = comparison["effect_size"] is None
        figure = (_band_code(comparison["effect_band"]) if coarse
                  else comparison["effect_size"])
        return (lambda d: as_published(d, coarse)), figure

    left = sizes_left(published, rule, extra=answers_fit)
    staff = [len(scores(folder, p["items"], "staff")) for p in published["principles"]]
    partners = [len(scores(folder, p["items"], "partner")) for p in published["principles"]]
    assert set(staff) == {30} and set(partners) == {12}
    assert (30, 12) in left  # the published figures are true to the answers
    assert len({s for s, _ in left}) > 1 and len({p for _, p in left}) > 1, left
    # the detectable difference is one figure for every size the counts shown allow
    for principle in published["principles"]:
        (c,) = principle["comparisons"]
        shown = [principle["groups"][g]["n"] for g in ("partner", "staff")]
        assert c["detectable"] == detectable(shown[0] - 2, shown[1] - 2, 6)


def _band_code(band) -> int:
    """A published size band as the attacker's rule codes it (0 negligible … ±3 large)."""
    low, high = band
    if low < 0 < high:
        return 0
    edge = {0.147: 1, 0.33: 2, 0.474: 3}[min(abs(low), abs(high))]
    return edge if low >= 0 else -edge


def answers_from_distribution(distribution) -> set[int]:
    """The numbers of answers a distribution of shares from counts rounded to 5 may stand
    for: every scale of the rounded counts that gives the shares shown, widened by the
    rounding (a rounded 5 stands for 1 to 7 answers)."""
    shares = list(distribution.values())
    totals = set()
    for scale in range(BASE, 2000, BASE):
        counts = [s * scale / 100 for s in shares]
        rounded = [BASE * round(c / BASE) for c in counts]
        if all(abs(100 * r / scale - s) <= 0.05 + 1e-9 for r, s in zip(rounded, shares)) and (
                sum(rounded) == scale):
            low = sum(0 if r == 0 else max(1, r - 2) for r in rounded)
            high = sum(0 if r == 0 else (7 if r == 5 else r + 2) for r in rounded)
            totals.update(range(low, high + 1))
    return totals


# --- attack 2: one added person between two runs ------------------------------------------

@pytest.fixture(scope="module")
def added(tmp_path_factory):
    """The sample, and the sample with one more partner (P999) who answered every question,
    evaluated the same way."""
    where = tmp_path_factory.mktemp("added")
    folder = where / INVOLVEMENT
    shutil.copytree(SAMPLES / INVOLVEMENT, folder, ignore=shutil.ignore_patterns("runs"))
    survey = folder / "evidence" / "survey.csv"
    frame = pd.read_csv(survey)
    rng = np.random.default_rng(24)
    labels = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
              "Strongly agree"]
    new = pd.DataFrame({"respondent_id": "P999", "group": "partner",
                        "item_id": frame.item_id.unique(),
                        "response": rng.choice(labels, size=frame.item_id.nunique())})
    pd.concat([frame, new]).to_csv(survey, index=False)
    return folder, evaluate(folder)


def positions(rule_a, figure_a, rule_b, figure_b, staff, before) -> set[int]:
    """The added person's wins − losses against every staff member consistent with both
    runs' published deltas (the attacker told the exact sizes, the worst case)."""
    a = numerators(rule_a, figure_a, before, staff)
    b = numerators(rule_b, figure_b, before + 1, staff)
    return {int(x) for x in np.subtract.outer(b, a).ravel() if abs(x) <= staff}


def added_score(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """The added person's score: what ``after`` holds that ``before`` does not."""
    rest = sorted(after.tolist())
    for x in before.tolist():
        rest.remove(x)
    return np.array(rest)


def test_the_added_person_is_located_exactly_from_what_release_4_1_published(published,
                                                                            added):
    folder, _ = added
    pinned = 0
    for principle in published["principles"]:
        staff = scores(folder, principle["items"], "staff")
        before = scores(SAMPLES / INVOLVEMENT, principle["items"], "partner")
        after = scores(folder, principle["items"], "partner")
        (da, _), (db, _) = cliffs_delta(before, staff), cliffs_delta(after, staff)
        truth = cliffs_delta(added_score(before, after), staff)[1]
        found = positions(as_41, as_41(da), as_41, as_41(db), len(staff), len(before))
        assert truth in found
        pinned += found == {truth}
    assert pinned == len(published["principles"])  # the issue: "against all 30 staff"


def test_the_added_person_cannot_be_located_from_what_is_published(published, added):
    """Per principle: the positions consistent with both runs hold the true one and at least
    a quarter of all the positions the person could have had (the bound in the module's
    text), and on most principles all of them."""
    folder, after_results = added
    staff_n = 30
    everywhere = 0
    for before_p, after_p in zip(published["principles"], after_results["principles"],
                                 strict=True):
        staff = scores(folder, before_p["items"], "staff")
        after = scores(folder, before_p["items"], "partner")
        before = scores(SAMPLES / INVOLVEMENT, before_p["items"], "partner")
        assert len(staff) == staff_n and len(after) == len(before) + 1 == 13
        truth = cliffs_delta(added_score(before, after), staff)[1]
        (ca,), (cb,) = before_p["comparisons"], after_p["comparisons"]
        found = positions(*_rule(ca), *_rule(cb), staff_n, 12)
        assert truth in found
        assert len(found) >= (2 * staff_n + 1) / 4, (before_p["id"], sorted(found))
        everywhere += len(found) == 2 * staff_n + 1
    assert everywhere >= len(published["principles"]) / 2


def test_no_question_locates_the_added_person(published, added):
    """The disagreement map compares every question: per question too, the added person's
    answer against the staff's stays hidden among at least a quarter of the positions it
    could have (the bound in the module's text), and on most questions among all of them."""
    folder, after_results = added
    narrowed = 0
    before = {(e["item"], e["group"]): e for e in published["disagreement"]["entries"]
              if e["shown"]}
    checked = 0
    for b in after_results["disagreement"]["entries"]:
        if not b["shown"] or (b["item"], b["group"]) not in before:
            continue
        a = before[(b["item"], b["group"])]
        staff = scores(folder, [b["item"]], "staff")
        was = scores(SAMPLES / INVOLVEMENT, [b["item"]], "partner")
        now = scores(folder, [b["item"]], "partner")
        truth = cliffs_delta(added_score(was, now), staff)[1]
        assert a["effect_size"] is None and b["effect_size"] is None  # under 20: bands
        found = positions(*_rule(a), *_rule(b), len(staff), len(was))
        assert truth in found
        assert len(found) >= (2 * len(staff) + 1) / 4, (b["item"], truth, sorted(found))
        narrowed += len(found) < 2 * len(staff) + 1
        checked += 1
    assert checked >= 20 and narrowed < checked / 2, (narrowed, checked)


def _rule(comparison):
    coarse = comparison["effect_size"] is None
    figure = _band_code(comparison["effect_band"]) if coarse else comparison["effect_size"]
    return (lambda d: as_published(d, coarse)), figure


def test_a_typical_score_is_always_a_score_one_person_could_have(published):
    """The helper's attack (an independent review): a median of an even number of people
    is the average of two, often no score one person could have, which tells that the
    number is even and halves the sizes left. The typical score is given to the nearest
    half point, every one of which a single person could have."""
    for principle in published["principles"]:
        items = len(principle["items"])
        possible = {round(k / d, 1) for d in range(1, items + 1) for k in range(d, 5 * d + 1)}
        for group in ("staff", "partner"):
            typical = principle["groups"][group]["typical"]
            assert typical in possible, (principle["id"], group, typical)
        for c in principle["comparisons"]:
            assert set(c["typical"]) <= possible
