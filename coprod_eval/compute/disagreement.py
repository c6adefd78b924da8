"""The disagreement map: where two groups see the same thing differently, item by item.

For each survey item and each comparison the evaluation makes (every group against its
reference group), the two groups' answers are compared with the Mann–Whitney test (exact, or
a seeded permutation test, or the normal approximation, as for principles), with Cliff's
delta as the size of the difference and its 95% interval (a logit-scale interval on the
area under the curve, delta = 2 × AUC − 1, with the Hanley–McNeil standard error). Holm's
correction runs across every item comparison in the map, so the chance of any "beyond
noise" entry when the groups do not differ at all stays at or below 5%.

It is a map of places to start a conversation, not a score: entries are ordered by the size
of the difference, each with its interval. *Common ground* is our operationalisation of
"they agree strongly": a majority of each group agrees (the lower end of each group's 95%
Wilson interval for the share agreeing is above 50%) and the two do not differ beyond noise.

Answers to a reverse-worded statement are counted the other way round, as everywhere else:
"agreeing" means agreeing with the principle, which there means disagreeing with the
statement; the map says so beside the statement.

Privacy: an item is compared only where both groups have at least the minimum group size of
answers to it; otherwise the pair is listed as withheld, with no figure. Shares agreeing are
computed from counts rounded to the privacy base, like every other share; p-values are
published as their bands, and Cliff's delta as its size band when a group is published as
fewer than 20 people (privacy: statistics about people).
"""

from __future__ import annotations

import zlib

import numpy as np

from ..base.stats import effect_words, holm, mann_whitney, published_delta, wilson
from ..disclosure.privacy import (
    coarse,
    coefficient_outward,
    delta_band,
    delta_size,
    fewest,
    keep_order,
    p_band,
    published_share,
    safe_count,
)
from ..yardsticks.measures import agreeing as agreeing_answers

SIGNIFICANCE = 0.05
SMALL_EFFECT = 0.147  # as for principles: below this Cliff's delta is negligible
MAJORITY = 0.5  # common ground: each group's agreeing share is above this, beyond noise


def delta_interval(delta: float, n1: int, n2: int, level: float = 0.95) -> tuple[float, float]:
    """95% interval for Cliff's delta: a Wald interval on the logit of the area under the
    curve (AUC = (delta + 1) / 2), with the Hanley–McNeil (1982) standard error, mapped
    back. On the logit scale it stays inside [-1, 1] and keeps its coverage for small groups
    and large differences, where the plain Wald interval falls well short (tests/
    test_disagreement.py measures both). A complete separation is moved half a pair in from
    the edge, so it is not called certain."""
    from scipy.special import expit, logit, ndtri

    pairs = n1 * n2
    auc = min(max((delta + 1) / 2, 0.5 / pairs), 1 - 0.5 / pairs)
    q1, q2 = auc / (2 - auc), 2 * auc * auc / (1 + auc)
    variance = (auc * (1 - auc) + (n1 - 1) * (q1 - auc * auc)
                + (n2 - 1) * (q2 - auc * auc)) / pairs
    half = float(ndtri(1 - (1 - level) / 2)) * np.sqrt(max(variance, 0.0)) / (auc * (1 - auc))
    centre = float(logit(auc))
    return 2 * float(expit(centre - half)) - 1, 2 * float(expit(centre + half)) - 1


def magnitude(entry: dict) -> float:
    """The size of an entry's Cliff's delta as published (a band's end nearest zero)."""
    return delta_size(entry.get("effect_size"), entry.get("effect_band"))


def disagreement_map(survey, instrument, framework, compared, *, offset: int, min_n: int,
                     round_to: int, seed: int, permutations: int) -> dict:
    """Every item × comparison, Holm across them all: ``entries`` largest difference first
    (each marked beyond noise or not, and common ground or not), withheld pairs last."""
    if survey is None:
        return {"items_compared": 0, "entries": []}
    principles_of = {item: [p.id for p in framework.principles if item in p.items]
                     for item in survey.items}
    text = {item.id: item.text for item in instrument.items}
    reverse = {item.id: item.reverse for item in instrument.items}
    masks = {role: survey.role_mask(role) for pair in compared for role in pair}
    raw = []
    for column, item in enumerate(survey.items):
        answers = survey.codes[:, column]
        answered = {role: answers[mask] for role, mask in masks.items()}
        answered = {role: values[values > 0] for role, values in answered.items()}
        for group, reference in compared:
            a, b = answered[group].astype(np.float64), answered[reference].astype(np.float64)
            entry = {"item": item, "statement": text.get(item, item),
                     "reverse": reverse.get(item, False), "principles": principles_of[item],
                     "group": group, "reference": reference}
            if len(a) < min_n or len(b) < min_n:
                raw.append({**entry, "shown": False})
                continue
            rng = np.random.default_rng([seed, zlib.crc32(f"{item}|{group}|{reference}".encode())])
            test = mann_whitney(a, b, rng=rng, permutations=permutations)
            agree = [(int(agreeing_answers(x.astype(np.int64), survey.agree).sum()), len(x))
                     for x in (a, b)]
            raw.append({**entry, "shown": True, "test": test, "n": (len(a), len(b)),
                        "agree": agree})
    shown = [r for r in raw if r["shown"]]
    adjusted = holm([r["test"].p for r in shown])
    published = []
    for r in raw:
        if not r["shown"]:
            published.append({k: r[k] for k in ("item", "statement", "reverse", "principles",
                                                 "group", "reference")} | {"shown": False})
            continue
        p_holm = adjusted[shown.index(r)]
        delta = float(r["test"].delta)
        sizes = [safe_count(n, min_n, round_to) for n in r["n"]]
        small = coarse(*sizes)
        # the interval at the fewest people the sizes shown allow, its ends outward to 0.05:
        # no finer than the delta shown, so neither tells the sizes
        low, high = delta_interval(delta, *(fewest(n, min_n, round_to) for n in sizes))
        beyond = bool(p_holm < SIGNIFICANCE and abs(delta) >= SMALL_EFFECT)
        majority = all(wilson(k, n)[0] > MAJORITY for k, n in r["agree"])
        exact = [k / n for k, n in r["agree"]]
        # each share a figure or a band, never standing the other way round to the exact
        kept = keep_order({side: (100 * k / n, *published_share(k, n, round_to, people=n), ())
                           for side, (k, n) in enumerate(r["agree"])})
        shares = [kept[0], kept[1]]
        published.append({
            "item": r["item"], "statement": r["statement"], "reverse": r["reverse"],
            "principles": r["principles"],
            "group": r["group"], "reference": r["reference"], "shown": True,
            "n": sizes,
            # a share of few answers, or one rounding would move far, is a band
            "pct_agree": [value for value, _ in shares],
            "pct_agree_band": [banded for _, banded in shares],
            # the group's exact share against the reference's: -1 lower, 0 equal, 1 higher
            "agree_order": (exact[0] > exact[1]) - (exact[0] < exact[1]),
            # a pair with a group shown as fewer than privacy.BAND_BELOW people: the delta's
            # size band, no interval; p-values always as their bands (privacy.p_band)
            "effect_size": None if small else published_delta(delta),
            "effect_band": list(delta_band(delta)) if small else None,
            "effect_ci": None if small else list(coefficient_outward(low, high)),
            "effect": effect_words(delta), "p_band": list(p_band(r["test"].p)),
            "p_holm_band": list(p_band(p_holm)),
            "method": r["test"].method, "beyond_noise": beyond,
            "common_ground": bool(majority and not beyond)})
    # largest differences first (each with its interval); withheld pairs last
    published.sort(key=lambda e: (not e["shown"], -magnitude(e), e["item"], e["group"]))
    return {"items_compared": len(shown), "entries": published}

