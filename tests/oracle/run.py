"""Run the truth oracle on generated projects: generate, evaluate in-process, render every
reader-facing output (charts' words but not their pixels), check.

    .venv/bin/python -m tests.oracle.run 200      (from the checkout: seeds 0..199)
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from contextlib import ExitStack, contextmanager
from pathlib import Path
from unittest.mock import patch

from .check import check
from .generate import generate


class _Chart:
    """A chart as the oracle needs it: its words (title and description), no drawing."""

    def __init__(self, description: str):
        self.description = description


@contextmanager
def words_only():
    """Charts reduced to their words while the block runs: the oracle checks what a chart
    says (its description, the figure's caption), not its pixels, and drawing them is most
    of a report's time. The real chart functions are put back afterwards, so a test process
    that goes on to draw charts draws them."""
    from coprod_eval.render import charts, html, report
    from coprod_eval.render.words import charts as words

    def distribution(result, *, principles=None, roles=None):
        roles = roles or [g["id"] for g in result.groups]
        chosen = [p for p in result.principles if principles is None or p.id in principles]
        withheld = [words.withheld_entry(p.name, result.group_label(r)) for p in chosen
                    for r in roles if p.groups[r].suppressed]
        return _Chart(words.distribution_description(result, chosen, roles, withheld))

    def lifecycle(result, *, stages=None):
        chosen = [s for s in result.overall.stages if stages is None or s["stage"] in stages]
        return _Chart(words.lifecycle_description(result, chosen)) if chosen else None

    def claims(result):
        return (_Chart(words.claims_description(result))
                if any(p.claimed_rating for p in result.principles) else None)

    stand_ins = [(charts, "distribution_chart", distribution),
                 (report, "rating_overview_chart",
                  lambda result: _Chart(words.overview_description(result))),
                 (report, "claims_chart", claims), (report, "lifecycle_chart", lifecycle),
                 (html, "to_svg", lambda chart: "<svg></svg>")]
    with ExitStack() as patched:
        for module, name, stand_in in stand_ins:
            patched.enter_context(patch.object(module, name, stand_in))
        yield


def _render(result):
    from coprod_eval.render.html import part
    from coprod_eval.render.report import report_html, summary_html
    from coprod_eval.render.words.verdict import verdict_line

    with words_only():
        slides = [str(part("workshop_slide", result, pid, {}))
                  for pid in [None] + [p.id for p in result.principles]]
        return report_html(result), summary_html(result), slides, verdict_line(result)


def run_one(seed: int, root: Path | None = None) -> tuple[int, list[tuple[str, str]]]:
    import coprod_eval as ce

    own = root is None
    root = Path(tempfile.mkdtemp(prefix="oracle-")) if own else root
    try:
        project = generate(seed, root)
        evaluation = ce.load_evaluation(project.folder)
        result = ce.evaluate(evaluation, ce.load_evidence(evaluation))
        return seed, check(project, result, *_render(result))
    finally:
        if own:
            shutil.rmtree(root, ignore_errors=True)


def run_many(seeds, workers: int = 2) -> dict[int, list[tuple[str, str]]]:
    """Each seed's contradictions (seeds with none left out), in ``workers`` processes, or in
    this one when ``workers`` is 1 (a test worker of pytest-xdist: the cores are in use)."""
    if workers == 1:
        return {seed: found for seed, found in map(run_one, seeds) if found}
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(workers) as pool:
        return {seed: found for seed, found in pool.map(run_one, seeds, chunksize=8)
                if found}


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    failures = run_many(range(count))
    for seed, found in sorted(failures.items()):
        for code, message in found:
            print(seed, code, message)
    print(f"{len(failures)} of {count} projects have a statement the facts contradict")
