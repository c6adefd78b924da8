"""Benchmark: evaluate() at national-survey scale, against scipy/pingouin on the same data.

1,000,000 respondents x 24 items (staff and partners), 100,000 attendance and 100,000 decision
rows, fixed seed: intervals, group comparisons, and every conclusion re-judged with each of the
million respondents and each record left out in turn (stability) and with the thresholds
moved. Targets: evaluate() <= 10 s and <= 2 GB peak.

    .venv/bin/python bench/bench_stats.py        (also part of make bench)
"""

from __future__ import annotations

import resource
import time
import tracemalloc
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

import coprod_eval as ce
from coprod_eval.base.stats import respondent_scores
from coprod_eval.inputs.evidence import Evidence, SurveyEvidence

REPO = Path(__file__).resolve().parent.parent
N, ROWS, SEED = 1_000_000, 100_000, 20261125


def make_data(evaluation):
    rng = np.random.default_rng(SEED)
    roles = (rng.random(N) < 0.3).astype(np.int8)
    lean = rng.normal(0, 0.8, size=(N, 1))
    codes = np.clip(np.rint(3.4 + lean + rng.normal(0, 0.9, size=(N, 24))), 1, 5).astype(np.int8)
    codes[rng.random((N, 24)) < 0.05] = 0  # some missing
    survey = SurveyEvidence(items=evaluation.instrument.item_ids, codes=codes, roles=roles,
                            scale=(1, 2, 3, 4, 5), agree=(4, 5),
                            respondent_ids=np.array([], dtype=str),
                            group_ids=tuple(g.id for g in evaluation.groups))
    attendance = pd.DataFrame({
        "meeting_id": rng.integers(0, 5000, ROWS).astype(str),
        "date": pd.Timestamp("2026-01-01"),
        "meeting_type": rng.choice(["decision_making", "consultative", "delivery"], ROWS),
        "attendee": rng.integers(0, 20000, ROWS).astype(str),
        "role": rng.choice(["staff", "partner"], ROWS)})
    proposed = rng.choice(["staff", "partner"], ROWS)
    decisions = pd.DataFrame({
        "decision_id": np.arange(ROWS).astype(str), "date": pd.Timestamp("2026-01-01"),
        "forum": "Board", "proposed_by": proposed,
        "decided_by": rng.choice(["jointly", "staff_only", "partners"], ROWS),
        "partner_proposal_adopted": pd.array(np.where(proposed == "partner",
                                                      rng.random(ROWS) < 0.5, None),
                                             dtype="boolean"),
        "feedback_given": pd.array(rng.random(ROWS) < 0.7, dtype="boolean"),
        "outside_joint_forum": pd.array(rng.random(ROWS) < 0.1, dtype="boolean")})
    return Evidence(survey=survey, records=MappingProxyType(
        {"attendance": attendance, "decisions": decisions}))


def main() -> None:
    evaluation = ce.load_evaluation(REPO / "data_samples" / "genuine-coproduction")
    evidence = make_data(evaluation)
    ce.evaluate(evaluation, Evidence(survey=None))  # import and warm everything once
    tracemalloc.start()
    start = time.perf_counter()
    result = ce.evaluate(evaluation, evidence)
    ours = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    import pingouin as pg
    from scipy import stats as sps

    survey = evidence.survey
    start = time.perf_counter()
    for principle in evaluation.framework.principles:
        columns = [survey.items.index(i) for i in principle.items]
        blocks = {r: survey.codes[survey.role_mask(r)][:, columns] for r in ("staff", "partner")}
        sps.mannwhitneyu(respondent_scores(blocks["partner"]), respondent_scores(blocks["staff"]),
                         method="asymptotic")
        for block in blocks.values():
            pg.cronbach_alpha(pd.DataFrame(block[(block > 0).all(axis=1)].astype(float)))
    tests_s = time.perf_counter() - start
    from statsmodels.stats.proportion import proportion_confint

    start = time.perf_counter()
    for principle in evaluation.framework.principles:
        columns = [survey.items.index(i) for i in principle.items]
        for role in ("staff", "partner"):
            block = survey.codes[survey.role_mask(role)][:, columns]
            proportion_confint(int(np.isin(block, (4, 5)).sum()), int((block > 0).sum()),
                               method="wilson")
    tests_s += time.perf_counter() - start
    theirs = tests_s

    print(f"evaluate(): {N:,} respondents x 24 items, {ROWS:,} attendance and {ROWS:,} decision "
          "rows, leave-one-out over every respondent and record")
    print(f"  time {ours:.2f} s (target <= 10 s: {'met' if ours <= 10 else 'NOT met'}); "
          f"peak traced memory {peak / 2**20:.0f} MiB, process peak RSS {rss:.0f} MiB "
          f"(target <= 2048 MiB: {'met' if max(peak / 2**20, rss) <= 2048 else 'NOT met'})")
    print(f"scipy/pingouin/statsmodels on the same data (the tests and intervals alone, no "
          f"stability checks): Mann-Whitney x6 + Cronbach's alpha x12 + Wilson x12 "
          f"{theirs:.2f} s")
    print(f"  (sanity: overall level {result.overall.evidenced_level}, verdict "
          f"{result.overall.claim_verdict}, "
          f"{sum(c.finding for p in result.principles for c in p.comparisons)} group "
          "findings)")


if __name__ == "__main__":
    main()
