"""The answers check the mapping: each survey question against the rest of its principle's.

A question mapped to a principle should rise and fall with that principle's other questions.
One whose answers run against them (its item–rest correlation clearly below zero) is most
often reverse-worded with its flag wrong — or not about that principle at all; one that sits
apart from them (no more than a negligible correlation) may evidence something else. Either
is a warning for the evaluator to confirm (change the flag or the mapping) or dismiss (with
the reason recorded in evaluation.yaml): never applied silently.

The item–rest correlation is Pearson's, between the question's answers (reverse-worded ones
already reversed) and each person's mean answer to the principle's other questions, over the
people who answered both, item and rest each centred within the person's group first (the
groups' levels differ, which is what the report compares; that is not the questions going
together or apart); its 95% interval is Fisher's, one degree of freedom fewer for each
group beyond the first. Only with enough people: a correlation of a handful of answers says
nothing, and its figures would tell their number.
"""

from __future__ import annotations

import math

import numpy as np

from ..disclosure.privacy import coefficient_outward

AGAINST = "against"  # the interval (as published) lies below zero
APART = "apart"  # the interval (as published) reaches no more than a negligible correlation
NEGLIGIBLE = 0.1
MIN_PEOPLE = 20  # fewer people answering both: no check (and nothing published)
Z95 = 1.959963984540054


def fisher_interval(r: float, n: int, groups: int = 1) -> tuple[float, float]:
    """The 95% interval of a Pearson correlation of ``n`` pairs (Fisher's z), each variable
    centred within ``groups`` groups first (one degree of freedom lost to each group mean
    beyond the first, as for a partial correlation)."""
    r = min(max(r, -0.999999), 0.999999)
    z, half = math.atanh(r), Z95 / math.sqrt(n - 3 - (groups - 1))
    return math.tanh(z - half), math.tanh(z + half)


def item_rest(codes: np.ndarray, column: int,
              groups: np.ndarray | None = None) -> tuple[float, int, int] | None:
    """(r, people, groups) of one column of a principle's codes (0 = missing) against the
    mean of the others, item and rest each centred within its group first (``groups``: each
    respondent's group): the groups' different levels — what the report compares — are
    not read as the questions going together or apart. None when too few people answered
    both or either does not vary within the groups."""
    answers = codes.astype(float)
    answers[answers == 0] = np.nan
    item = answers[:, column]
    others = np.delete(answers, column, axis=1)
    answered = ~np.isnan(others)
    rest = np.divide(np.nansum(others, axis=1), answered.sum(axis=1),
                     out=np.full(len(others), np.nan), where=answered.any(axis=1))
    both = ~np.isnan(item) & ~np.isnan(rest)
    people = int(both.sum())
    if people < MIN_PEOPLE:
        return None
    x, y = item[both], rest[both]
    labels = np.zeros(people, dtype=int) if groups is None else np.asarray(groups)[both]
    present = np.unique(labels)
    for label in present:
        inside = labels == label
        x[inside] -= x[inside].mean()
        y[inside] -= y[inside].mean()
    if people - 3 - (len(present) - 1) < 1 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return None
    return float(np.corrcoef(x, y)[0, 1]), people, len(present)


def item_checks(evaluation, evidence) -> list[dict] | None:
    """Every question that runs against or sits apart from the rest of its principle's
    questions, with its correlation, interval and what the evaluator recorded about it;
    None when no question could be checked (no principle with two questions answered by
    enough people)."""
    survey = evidence.survey
    if survey is None:
        return None
    source = evaluation.survey_source
    kept = dict(source.kept_despite_data) if source is not None else {}
    reverse = {item.id: item.reverse for item in evaluation.instrument.items}
    found, checked = [], 0
    for principle in evaluation.framework.principles:
        items = [i for i in principle.items if i in survey.items]
        if len(items) < 2:
            continue
        codes = survey.codes[:, [survey.items.index(i) for i in items]]
        for column, item in enumerate(items):
            measured = item_rest(codes, column, survey.roles)
            if measured is None:
                continue
            checked += 1
            r, people, groups = measured
            # judged on the interval as published (ends outward), so what the report says
            # of it holds of the figures beside it, and of the exact interval inside them
            shown_low, shown_high = coefficient_outward(*fisher_interval(r, people, groups))
            kind = AGAINST if shown_high < 0 else APART if shown_high <= NEGLIGIBLE else None
            if kind is None:
                continue
            found.append({"item": item, "principle": principle.id, "kind": kind,
                          "r": round(r, 2) + 0.0, "interval": [shown_low, shown_high],
                          "reverse": reverse.get(item, False), "pair": len(items) == 2,
                          "kept": kept.get(item)})
    return found if checked else None


__all__ = ["AGAINST", "APART", "MIN_PEOPLE", "fisher_interval", "item_checks", "item_rest"]
