"""Each principle's survey answers: whose they are (groups and sides), the questions asked,
the block of answers a principle reads, and its statistics and group comparisons."""

from __future__ import annotations

import zlib

import numpy as np

from ..results import FrozenDict
from ..yardsticks.sides import SIDES
from .groups import absent, agree_ranks, compare, exact_share, group_stats


def respondent_roles(evidence) -> np.ndarray | None:
    """Each respondent's group as the survey holds it (a small integer per respondent)."""
    return None if evidence.survey is None else evidence.survey.roles


def group_codes(evaluation) -> dict[str, tuple[int, ...]]:
    """What an indicator's ``group:`` can name: a side of the work ("partner": everyone with
    lived experience, whichever group; "staff") or one group by id. Frameworks are shared
    across evaluations, so they name sides; a side wins over a group of the same id."""
    codes = {g.id: (i,) for i, g in enumerate(evaluation.groups)}
    for side in SIDES:
        codes[side] = tuple(i for i, g in enumerate(evaluation.groups) if g.side == side)
    return codes


def questions(evaluation) -> dict:
    """The survey questions each principle uses (so any reader can check the mapping), and
    who confirmed an own questionnaire's mapping."""
    instrument, framework = evaluation.instrument, evaluation.framework
    if evaluation.survey_file is None:
        return {}
    source = evaluation.survey_source
    confirmed = source.mapping_confirmed if source is not None else None
    return {
        "own_questionnaire": instrument.assigns,
        "mapping_confirmed": None if confirmed is None else {
            "by": list(confirmed["by"]), "date": confirmed["date"]},
        "questions": [{"id": item.id, "text": item.partner, "reverse": item.reverse,
                       "principles": [p.id for p in framework.principles if item.id in p.items]}
                      for item in instrument.items],
    }


def agree_codes(evidence) -> tuple[int, ...]:
    return () if evidence.survey is None else evidence.survey.agree


def survey_block(evidence, principle) -> np.ndarray | None:
    survey = evidence.survey
    if survey is None or not principle.items:
        return None
    return survey.codes[:, [survey.items.index(item) for item in principle.items]]


def survey_statistics(evaluation, evidence, principle, block, roles):
    """Published statistics per group, raw comparisons (before Holm), and (each shown
    group's exact share, the thresholds its share is banded on) for keeping order."""
    group_roles = [g.id for g in evaluation.groups]
    compared = evaluation.compared
    if block is None:
        return FrozenDict({role: absent() for role in group_roles}), [
            {"group": g, "reference": r, "shown": False} for g, r in compared], ({}, [])
    survey = evidence.survey
    min_n = evaluation.min_group_size
    blocks = {role: block[survey.role_mask(role)] for role in group_roles}
    shown = {role: exact_share(blocks[role], survey.agree)
             for role in group_roles if ((blocks[role] > 0).any(axis=1)).sum() >= min_n}
    ranks = agree_ranks(shown)
    edges = sorted({t for indicator in principle.indicators if indicator.stream == "survey"
                    and indicator.direction == "higher_is_better"
                    for _, t in indicator.thresholds})
    stats = FrozenDict({role: group_stats(blocks[role], principle.items, survey.scale,
                                          survey.agree, min_n=min_n,
                                          round_to=evaluation.round_to,
                                          offset=evaluation.instrument.offset, edges=edges,
                                          rank=ranks.get(role))
                        for role in group_roles})
    rng = np.random.default_rng([evaluation.seed, zlib.crc32(principle.id.encode())])
    raw = compare(blocks, list(compared), survey.agree, min_n=evaluation.min_group_size,
                  round_to=evaluation.round_to, rng=rng, permutations=evaluation.permutations)
    return stats, [raw[pair] for pair in compared], (shown, edges)
