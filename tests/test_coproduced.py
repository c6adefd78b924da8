"""The evaluation itself co-produced (issue 16, part 5): who set the yardstick and the
questions, who coded, who interpreted (roles); the partners' reading of the draft beside the
evaluator's; co-sign or dissent in the final report; an evaluation that skipped this says so
in its limitations."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from test_rounds import ROUND_1, cli, runs

SHAPED = """coproduced:
  partner_roles: [partners' forum, peer researcher]
  yardstick: [evaluator, partners' forum]
  questions: [evaluator]
  coding: [evaluator, peer researcher]
  interpretation: [evaluator, partners' forum]
"""
SENSE = """  sense_making:
    date: 2026-05-01
    reviewers: [partners' forum]
    reading: Partners read the gap in decision-making as the heart of the matter.
    sign: {sign}
    why: {why}
"""


def page_text(run) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", (run / "report.html").read_text())
                    .replace("&#39;", "'").split())


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "ev"
    shutil.copytree(ROUND_1, target, ignore=shutil.ignore_patterns("runs"))
    return target


def test_partner_reviewers_who_co_sign_are_named_by_role_in_the_verdict(folder):
    (folder / "evaluation.yaml").write_text((folder / "evaluation.yaml").read_text() + SHAPED
                                            + SENSE.format(sign="co-sign", why="null"))
    assert cli("run", folder, "--no-progress").returncode == 0
    run = runs(folder)[-1]
    results = json.loads((run / "results.json").read_text())
    tasks = {t["task"]: t["partners"] for t in results["coproduced"]["tasks"]}
    assert tasks == {"yardstick": True, "questions": False, "coding": True,
                     "interpretation": True}
    text = page_text(run)
    assert "Partner reviewers (partners' forum) co-sign this report." in text
    assert "Who shaped this evaluation" in text
    assert "Partners read the gap in decision-making as the heart of the matter." in text
    assert "Partners had no part in how this evaluation set the questions." in text
    assert "no sense-making step" not in text
    summary = (run / "summary.html").read_text().replace("&#39;", "'")
    assert "Partner reviewers (partners' forum) co-sign this report." in summary


def test_a_dissent_is_printed_with_its_reason_and_must_have_one(folder):
    base = (folder / "evaluation.yaml").read_text() + SHAPED
    (folder / "evaluation.yaml").write_text(base + SENSE.format(sign="dissent", why="null"))
    refused = cli("validate", folder)
    assert refused.returncode == 1
    assert "the partner reviewers dissent but no reason is recorded" in refused.stdout
    (folder / "evaluation.yaml").write_text(base + SENSE.format(
        sign="dissent", why="\"The rating of peer support ignores the informal groups.\""))
    assert cli("run", folder, "--no-progress").returncode == 0
    text = page_text(runs(folder)[-1])
    assert ("Partner reviewers (partners' forum) dissent from this report: The rating of "
            "peer support ignores the informal groups.") in text


def test_an_evaluation_that_skipped_it_says_so_in_its_limitations(folder):
    assert cli("run", folder, "--no-progress").returncode == 0
    run = runs(folder)[-1]
    assert json.loads((run / "results.json").read_text())["coproduced"] is None
    text = page_text(run)
    assert "How this evaluation was itself shaped is not recorded" in text
    assert "co-sign" not in text
