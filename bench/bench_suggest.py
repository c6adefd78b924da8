"""Benchmark: how often init --from's suggestions for your own questions are right.

Three corpora of agree/disagree questions, each labelled with its principle (and a second
acceptable one) and whether it is reverse-worded, written by helper sessions that never saw
the suggester (issue 26):

- bench/suggest_corpus.csv (120), bench/suggest_heldout.csv (100) and
  bench/suggest_heldout2.csv to bench/suggest_heldout4.csv (120 each): the development sets.
  The reverse-wording rules (coprod_eval/inputs/survey/wording.py) were written against
  them, and together they are the example bank principles are ranked by and reverse wording
  is learnt from (coprod_eval/data/examples; bench/learn_reverse.py); each question is ranked
  without itself in the bank (leave-one-out), but their reverse figures flatter (the learnt
  words include each question's own). Each of the held-out sets was held out once, measured
  once with the suggester of its day, then joined the bank (BENCHMARKS.md gives each figure).
- bench/suggest_heldout5.csv (120, six other settings, written 2026-12-03): held out, never
  tuned on: the honest figures.

Targets: top-1 principle >= 70%, top-3 >= 90%, reverse-worded recall >= 90% at precision
>= 80%.

    .venv/bin/python bench/bench_suggest.py        (also part of make bench)
"""

from __future__ import annotations

import csv
from pathlib import Path

from coprod_eval.inputs.survey import own
from coprod_eval.inputs.survey.own import ranked, statement
from coprod_eval.inputs.survey.wording import reverse_reading
from coprod_eval.yardsticks.framework import load_framework, resolve_framework
from coprod_eval.yardsticks.instrument import builtin_instrument_path, load_instrument

HERE = Path(__file__).resolve().parent
EXAMPLES = own._examples
CORPORA = (("development: first corpus", HERE / "suggest_corpus.csv"),
           ("development: first held-out set", HERE / "suggest_heldout.csv"),
           ("development: second held-out set", HERE / "suggest_heldout2.csv"),
           ("development: third held-out set", HERE / "suggest_heldout3.csv"),
           ("development: fourth held-out set", HERE / "suggest_heldout4.csv"),
           ("held out (never tuned on)", HERE / "suggest_heldout5.csv"))


def measure(path: Path, framework, bundled) -> dict:
    """The figures for one corpus; a question in the example bank is ranked without itself
    (leave-one-out), so the development corpora are measured fairly too."""
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    top1 = top3 = hits = false_alarms = misses = 0
    bank = own._examples(framework.id)
    for row in rows:
        text = statement(row["question"]) or row["question"]
        own._examples = lambda _id, q=row["question"]: tuple(e for e in bank if e[3] != q)
        try:
            order = [pid for pid, _, _ in ranked(text, framework, bundled)]
        finally:
            own._examples = EXAMPLES
        right = {row["principle"], row["also_ok"]} - {""}
        top1 += order[0] in right
        top3 += bool(set(order[:3]) & right)
        said, _ = reverse_reading(text)
        truth = row["reverse"] == "yes"
        hits += said and truth
        false_alarms += said and not truth
        misses += truth and not said
    return {"questions": len(rows), "top1": top1 / len(rows), "top3": top3 / len(rows),
            "recall": hits / (hits + misses), "precision": hits / max(1, hits + false_alarms),
            "reverse": hits + misses}


def main() -> None:
    framework = load_framework(resolve_framework("nesta_nef_six"))
    bundled = load_instrument(builtin_instrument_path(framework.instrument))
    print("Suggestions for your own questions (init --from), Nesta/NEF six principles")
    print(f"{'corpus':42} {'n':>4} {'top-1':>6} {'top-3':>6} {'rev. recall':>11} "
          f"{'precision':>9}")
    for name, path in CORPORA:
        m = measure(path, framework, bundled)
        print(f"{name:42} {m['questions']:>4} {m['top1']:>6.0%} {m['top3']:>6.0%} "
              f"{m['recall']:>11.0%} {m['precision']:>9.0%}")
    print("targets: top-1 >= 70%, top-3 >= 90%, reverse-worded recall >= 90% at precision "
          ">= 80%")


if __name__ == "__main__":
    main()
