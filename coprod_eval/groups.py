"""Each stakeholder group's survey answers per principle, and groups compared.

A group's statistics describe its answers (median, quartiles, share agreeing with its 95%
interval, the full distribution, internal consistency). Groups are *compared* on each
person's mean answer with the Mann–Whitney test — exact when a group is small — with Cliff's
delta as the effect size and Holm's correction across every comparison made; a difference is
a finding only when it survives the correction and is at least small. When it is not, the
comparison says what difference it could have detected at its size.
"""

from __future__ import annotations

import numpy as np

from .measures import agreeing as agreeing_answers
from .privacy import rounded_distribution, rounded_share, safe_count
from .results import Comparison, FrozenDict, GroupStats
from .stats import (
    clustered_wilson,
    cronbach_alpha,
    delta_as_shift,
    detectable_delta,
    effect_words,
    group_answers,
    holm,
    mann_whitney,
    median_from_counts,
    quantile_from_counts,
    respondent_scores,
)

SIGNIFICANCE = 0.05
SMALL_EFFECT = 0.147  # Romano et al.: below this Cliff's delta is negligible
ALPHA_MIN_PEOPLE = 10  # Cronbach's alpha needs at least this many complete answers

ALPHA_TOO_FEW = ("Not estimated: fewer than {min} people answered every item (alpha is "
                 "unreliable below that).")
ALPHA_NO_VARIATION = ("Not estimated: every complete set of answers is the same, so "
                      "consistency is undefined (not low).")
ALPHA_NOTE = "Cronbach's alpha over people who answered every item; Feldt 95% interval."


def group_stats(block: np.ndarray, items: tuple[str, ...], scale: tuple[int, ...],
                agree: tuple[int, ...], *, min_n: int, round_to: int,
                offset: int = 0) -> GroupStats:
    """One group's published statistics for one principle (everything withheld when the
    group is smaller than the privacy threshold). ``scale`` and ``agree`` are internal codes
    (0 = no answer); ``offset`` is what they add to the declared codes (a 0-10 scale is held
    as 1-11), taken off again in everything published."""
    answers = group_answers(block, scale, agree)
    if answers.n < min_n:
        return absent()
    total = answers.counts.sum()
    # shares from counts rounded to the privacy base, so no count can be worked back
    distribution = FrozenDict({str(code - offset): round(share, 1) for code, share in zip(
        scale, rounded_distribution(answers.counts, round_to))})
    iqr = (quantile_from_counts(answers.counts, scale, 0.25) - offset,
           quantile_from_counts(answers.counts, scale, 0.75) - offset)
    mean = float((np.array(scale) * answers.counts).sum() / total) - offset
    low, high = clustered_wilson(answers.agree, answers.answered)
    agreeing = rounded_share(int(answers.agree.sum()), int(answers.answered.sum()), round_to)
    return GroupStats(
        n=safe_count(answers.n, min_n, round_to), suppressed=False,
        median=median_from_counts(answers.counts, scale) - offset,
        pct_agree=round(agreeing, 1), distribution=distribution, iqr=iqr,
        alpha=FrozenDict(alpha(block, items, min_n, round_to)), mean=round(mean, 1),
        ci=(round(100 * low, 1), round(100 * high, 1)),
        typical=round(float(np.median(respondent_scores(block))) - offset, 2))


def absent() -> GroupStats:
    return GroupStats(None, True, None, None, None, None, None, None, None, None)


def alpha(block: np.ndarray, items: tuple[str, ...], min_n: int, round_to: int) -> dict:
    """Cronbach's alpha; items answered by fewer than min_n people are left out, by name."""
    answered = (block > 0).sum(axis=0)
    keep = answered >= min_n
    left_out = [item for item, k in zip(items, keep) if not k]
    needed = max(ALPHA_MIN_PEOPLE, min_n)
    estimate = cronbach_alpha(block[:, keep])
    if estimate is None or estimate[2] < needed:
        return {"value": None, "ci": None, "n": None, "items_left_out": left_out,
                "note": ALPHA_TOO_FEW.format(min=needed)}
    value, interval, n = estimate
    if value is None:
        return {"value": None, "ci": None, "n": safe_count(n, min_n, round_to),
                "items_left_out": left_out, "note": ALPHA_NO_VARIATION}
    return {"value": round(value, 2), "ci": [round(interval[0], 2), round(interval[1], 2)],
            "n": safe_count(n, min_n, round_to), "items_left_out": left_out, "note": ALPHA_NOTE}


def compare(blocks: dict[str, np.ndarray], pairs: list[tuple[str, str]],
            agree: tuple[int, ...], *, min_n: int, round_to: int, rng: np.random.Generator,
            permutations: int) -> dict[tuple[str, str], dict]:
    """Raw comparisons for one principle: (group, reference) → fields, before Holm."""
    out = {}
    for group, reference in pairs:
        a, b = respondent_scores(blocks[group]), respondent_scores(blocks[reference])
        if len(a) < min_n or len(b) < min_n:
            out[(group, reference)] = {"group": group, "reference": reference, "shown": False}
            continue
        test = mann_whitney(a, b, rng=rng, permutations=permutations)
        spread = float(np.std(np.concatenate([a - np.median(a), b - np.median(b)]), ddof=1))
        agreeing = tuple(round(rounded_share(int(agreeing_answers(x, agree).sum()),
                                             int((x > 0).sum()), round_to), 1)
                         for x in (blocks[group], blocks[reference]))
        out[(group, reference)] = {
            "group": group, "reference": reference, "shown": True,
            "typical": (round(float(np.median(a)), 2), round(float(np.median(b)), 2)),
            "pct_agree": agreeing, "p": test.p, "method": test.method,
            "effect_size": round(test.delta, 3), "effect": effect_words(test.delta),
            "n": (len(a), len(b)), "spread": spread}
    return out


def correct(raw: list[dict]) -> list[Comparison]:
    """Holm across every comparison shown; the findings; what each could have detected."""
    shown = [c for c in raw if c["shown"]]
    adjusted = holm([c["p"] for c in shown])
    family = max(len(shown), 1)
    out = []
    for c in raw:
        if not c["shown"]:
            out.append(Comparison(c["group"], c["reference"], False))
            continue
        p_holm = adjusted[shown.index(c)]
        finding = p_holm < SIGNIFICANCE and abs(c["effect_size"]) >= SMALL_EFFECT
        # what it could detect at the strictest step of Holm's correction (alpha / family)
        detectable = detectable_delta(*c["n"], SIGNIFICANCE / family)
        points = delta_as_shift(detectable, c["spread"])
        out.append(Comparison(
            group=c["group"], reference=c["reference"], shown=True, typical=c["typical"],
            pct_agree=c["pct_agree"], p=_p(c["p"]), p_holm=_p(p_holm), method=c["method"],
            effect_size=c["effect_size"], effect=c["effect"], finding=bool(finding),
            detectable=None if detectable >= 1 else round(detectable, 2),
            detectable_points=None if not np.isfinite(points) else round(points, 1)))
    return out


def _p(p: float) -> float:
    """p rounded for publication, never to zero (0.0001 is the floor shown as < 0.001)."""
    return max(round(float(p), 4), 0.0001)

