"""A responses file for one side of the right of reply to fill in (``coprod-eval respond``):
every inconvenient truth of a run by its number, each with its words as the report has
them, so the side knows which finding it answers."""

from __future__ import annotations

from pathlib import Path

from ..inputs.responses import SIDES
from ..results import EvaluationResult
from .words.truths import truth_text


def template(run_dir: Path, side: str) -> str:
    """A responses file for one side to complete: every truth of the run, by number."""
    result = EvaluationResult.read(run_dir / "results.json")
    lines = [f"# {SIDES[side]}'s responses to the findings of run {run_dir.name}.",
             "# Each inconvenient truth by its number in that run's report. stance: accepted,",
             "# disputed (say why in reason) or noted. An action needs what, owner (a role,",
             "# never a name) and due (YYYY-MM-DD); update its status as it goes: planned,",
             "# done or not_done. Responses are shown beside the findings; they never change",
             "# them.",
             f"run: {run_dir.name}", f"side: {side}",
             "responded:", "  by: [ROLE]                # who responded: roles, never names",
             "  date: YYYY-MM-DD", "responses:"]
    for truth in result.overall.inconvenient_truths:
        said = " ".join(truth_text(result, truth).split())[:150]
        lines += [f"  - truth: {truth['rank']}   # {said}",
                  "    stance: noted", "    reason: \"\"",
                  "    # action: {what: \"\", owner: ROLE, due: YYYY-MM-DD, status: planned}"]
    return "\n".join(lines) + "\n"
