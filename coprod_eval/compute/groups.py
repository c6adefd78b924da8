"""Each stakeholder group's survey answers per principle, and groups compared.

A group's statistics describe its answers (median, quartiles, share agreeing with its 95%
interval, the full distribution, internal consistency). Groups are *compared* on each
person's mean answer with the Mann–Whitney test — exact when a group is small — with Cliff's
delta as the effect size and Holm's correction across every comparison made; a difference is
a finding only when it survives the correction and is at least small. When it is not, the
comparison says what difference it could have detected at its size.

Findings are judged on the exact figures; what is published of them follows privacy's rules
for statistics about people (p-values as bands, Cliff's delta as its size band when a group
is published as fewer than 20 people, intervals outward, size-dependent figures at the
fewest people the published sizes allow).
"""

from __future__ import annotations

import numpy as np

from ..base.reliability import cronbach_alpha, feldt_interval
from ..base.stats import (
    clustered_wilson,
    delta_as_shift,
    detectable_delta,
    effect_words,
    group_answers,
    holm,
    mann_whitney,
    median_from_counts,
    published_delta,
    quantile_from_counts,
    respondent_scores,
)
from ..disclosure.privacy import (
    coarse,
    delta_band,
    fewest,
    p_band,
    people_interval,
    published_share,
    rounded_distribution,
    safe_count,
)
from ..results import Comparison, FrozenDict, GroupStats
from ..yardsticks.measures import agreeing

SIGNIFICANCE = 0.05
SMALL_EFFECT = 0.147  # Romano et al.: below this Cliff's delta is negligible
ALPHA_MIN_PEOPLE = 10  # Cronbach's alpha needs at least this many complete answers

def group_stats(block: np.ndarray, items: tuple[str, ...], scale: tuple[int, ...],
                agree: tuple[int, ...], *, min_n: int, round_to: int,
                offset: int = 0, edges=(), rank: int | None = None) -> GroupStats:
    """One group's published statistics for one principle (everything withheld when the
    group is smaller than the privacy threshold). ``scale`` and ``agree`` are internal codes
    (0 = no answer); ``offset`` is what they add to the declared codes (a 0-10 scale is held
    as 1-11), taken off again in everything published. The share agreeing of a group of
    fewer than BAND_BELOW people is a band (cut at ``edges`` too: the thresholds its
    principle's survey figures are judged against); ``rank`` is where the group's exact
    share stands among the principle's groups shown (see :func:`agree_ranks`)."""
    answers = group_answers(block, scale, agree)
    if answers.n < min_n:
        return absent()
    shown_n = safe_count(answers.n, min_n, round_to)
    # shares from counts rounded to the privacy base, so no count can be worked back (the
    # mean to one decimal cannot: every tenth holds a mean of any number of answers from 10)
    shares = rounded_distribution(answers.counts, round_to)
    distribution = FrozenDict({str(code - offset): round(share, 1)
                               for code, share in zip(scale, shares)})
    iqr = (quantile_from_counts(answers.counts, scale, 0.25) - offset,
           quantile_from_counts(answers.counts, scale, 0.75) - offset)
    mean = float((np.array(scale) * answers.counts).sum() / answers.counts.sum()) - offset
    low, high = clustered_wilson(answers.agree, answers.answered)
    k, n = int(answers.agree.sum()), int(answers.answered.sum())
    share, banded = published_share(k, n, round_to, people=answers.n, thresholds=edges)
    return GroupStats(
        n=shown_n, suppressed=False,
        median=median_from_counts(answers.counts, scale) - offset,
        pct_agree=share, pct_agree_band=banded,
        agree_rank=rank, distribution=distribution, iqr=iqr,
        alpha=FrozenDict(alpha(block, items, min_n, round_to)), mean=round(mean, 1),
        # the interval's ends rounded outward (privacy.people_interval), never across a
        # threshold the exact end does not cross
        ci=people_interval(100 * low, 100 * high, shown_n, edges),
        typical=typical_score(respondent_scores(block)) - offset)


def typical_score(scores: np.ndarray) -> float:
    """The typical person's score, the median of each person's mean answer, to the nearest
    half point. (To a tenth, an average of the two middle people is often no score one
    person could have, which tells that the number of people is even; every half point is a
    score one person could have.)"""
    return round(float(np.median(scores)) * 2) / 2


def exact_share(block: np.ndarray, agree: tuple[int, ...]) -> float:
    """A group's exact share of answers agreeing (NaN without answers): never published,
    only compared."""
    total = int(np.count_nonzero(block))
    return float("nan") if total == 0 else 100.0 * int(agreeing(block, agree).sum()) / total


def agree_ranks(shares: dict[str, float]) -> dict[str, int]:
    """Each group's place by its exact share agreeing, 1 the lowest; equal shares share a
    place. Published beside the shares shown, so a reader (and the words) can tell when
    rounding or banding has put two groups in the opposite order."""
    distinct = sorted({v for v in shares.values() if not np.isnan(v)})
    return {g: distinct.index(v) + 1 for g, v in shares.items() if not np.isnan(v)}


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
                "status": "too_few", "min_people": needed}
    value, interval, n = estimate
    if value is not None:  # Feldt's interval at the fewest people the published size allows
        interval = feldt_interval(value, fewest(safe_count(n, min_n, round_to), min_n,
                                                round_to), int(keep.sum()))
    if value is None:
        return {"value": None, "ci": None, "n": safe_count(n, min_n, round_to),
                "items_left_out": left_out, "status": "no_variation", "min_people": needed}
    return {"value": round(value, 2), "ci": [round(interval[0], 2), round(interval[1], 2)],
            "n": safe_count(n, min_n, round_to), "items_left_out": left_out,
            "status": "estimated", "min_people": needed}


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
        shown_n = (safe_count(len(a), min_n, round_to), safe_count(len(b), min_n, round_to))
        out[(group, reference)] = {
            "group": group, "reference": reference, "shown": True,
            "typical": (typical_score(a), typical_score(b)),
            "p": test.p, "method": test.method, "delta": test.delta,
            "coarse": coarse(*shown_n), "effect": effect_words(test.delta),
            # what it could detect is worked out at the fewest people the sizes shown allow
            "n": tuple(fewest(n, min_n, round_to) for n in shown_n), "spread": spread}
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
        finding = p_holm < SIGNIFICANCE and abs(c["delta"]) >= SMALL_EFFECT
        # what it could detect at the strictest step of Holm's correction (alpha / family)
        detectable = detectable_delta(*c["n"], SIGNIFICANCE / family)
        points = delta_as_shift(detectable, c["spread"])
        out.append(Comparison(
            group=c["group"], reference=c["reference"], shown=True, typical=c["typical"],
            p_band=p_band(c["p"]), p_holm_band=p_band(p_holm), method=c["method"],
            effect_size=None if c["coarse"] else published_delta(c["delta"]),
            effect_band=delta_band(c["delta"]) if c["coarse"] else None,
            effect=c["effect"], finding=bool(finding),
            detectable=None if detectable >= 1 else round(float(detectable), 2),
            detectable_points=None if not np.isfinite(points) else round(points, 1)))
    return out


