"""Rounds (issue 16, part 4): a project examined again on evidence of its own; each round's
evidence fixed once run; round 2 reports the change per principle since round 1, beyond noise
or not; the app compares with the previous round; few people's difference is withheld."""

from __future__ import annotations

import csv
import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coprod_eval.inputs.rounds import previous_run

ROOT = Path(__file__).resolve().parent.parent
ROUND_1 = ROOT / "data_samples" / "involvement-as-coproduction"
ROUND_2 = ROOT / "data_samples" / "genuine-coproduction"  # the same project, a year on


def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "coprod_eval", *map(str, args)],
                          capture_output=True, text=True, timeout=300)


def runs(folder: Path) -> list[Path]:
    return sorted(p for p in (folder / "runs").iterdir() if not p.name.startswith("."))


def in_round(folder: Path, number: int, evidence: str = "evidence") -> None:
    """Set the round and point every evidence file at ``evidence/``."""
    text = (folder / "evaluation.yaml").read_text()
    text = re.sub(r"^round: \d+\n", "", text, flags=re.M)
    text = text.replace("project:  ", f"round: {number}\nproject:  ", 1)
    if "  id: northgate" not in text:
        text = text.replace("  name: ", "  id: northgate-cmh\n  name: ", 1)
    text = re.sub(r"file: evidence/(round-\d+/)?", f"file: {evidence}/", text)
    (folder / "evaluation.yaml").write_text(text)


@pytest.fixture(scope="module")
def two_rounds(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("rounds") / "ev"
    shutil.copytree(ROUND_1, folder, ignore=shutil.ignore_patterns("runs"))
    in_round(folder, 1)
    assert cli("run", folder, "--no-progress").returncode == 0
    run_round_two(folder)
    return folder


def run_round_two(folder: Path) -> None:
    """Round 2 of the project on evidence of its own (the genuine sample's), run."""
    shutil.copytree(ROUND_2 / "evidence", folder / "evidence" / "round-2")
    in_round(folder, 2, "evidence/round-2")
    config = folder / "evaluation.yaml"  # this round's invitations: as many as round 2 asked
    config.write_text(re.sub(r"invited: \d+", "invited: 50", config.read_text()))
    done = cli("run", folder, "--no-progress")
    assert done.returncode == 0, done.stdout + done.stderr


def test_round_two_reports_the_change_since_round_one(two_rounds):
    first, second = runs(two_rounds)
    then = json.loads((first / "results.json").read_text())
    now = json.loads((second / "results.json").read_text())
    assert (then["project"]["id"], then["project"]["round"]) == ("northgate-cmh", 1)
    assert (now["project"]["id"], now["project"]["round"]) == ("northgate-cmh", 2)
    report = " ".join(html.unescape(re.sub(r"<[^>]+>", " ",
                                           (second / "report.html").read_text())).split())
    assert "Since round 1" in report
    order = [r["id"] for r in now["framework"]["ratings"]]
    for p_then, p_now in zip(then["principles"], now["principles"], strict=True):
        apart = (order.index(p_now["rating_range"][0]) > order.index(p_then["rating_range"][1])
                 or order.index(p_now["rating_range"][1]) < order.index(p_then["rating_range"][0]))
        said = "beyond noise" if apart else "within the uncertainty of both"
        label = {r["id"]: r["label"] for r in now["framework"]["ratings"]}
        row = f"{p_now['name']} {label[p_then['rating']]} {label[p_now['rating']]}"
        assert row in report, row
        if p_now["rating"] != p_then["rating"]:
            assert re.search(re.escape(row) + r" (better|worse)[ ,(]+" + said, report), said
    # who kept taking part: the partners of round 1 against round 2's, by keyed digests
    prov = [json.loads((r / "provenance.json").read_text())["people"] for r in (first, second)]
    then_p, now_p = (set(p["survey 1"]) for p in prov)  # the second group: partners
    from coprod_eval.disclosure.privacy import safe_count

    shown = [safe_count(len(x), 8, 5) for x in (then_p, now_p, then_p - now_p, now_p - then_p)]
    if None in shown:  # one too small to show: none is shown
        assert "who kept taking part since round 1 is not shown" in report
    else:
        assert (f"Community partners: {shown[0]} answered the survey in round 1, {shown[1]} "
                f"now; of round 1's, {shown[2]} did not answer again (drop-out) and "
                f"{shown[3]} are new.") in report
    # round 1's report is as it was: no comparison in it
    assert "Since round" not in (first / "report.html").read_text()


def test_the_app_compares_with_the_previous_round(two_rounds):
    first, second = runs(two_rounds)
    assert previous_run(two_rounds, second) == first
    assert previous_run(two_rounds, first) is None


def test_a_rounds_evidence_is_fixed_once_run(two_rounds, tmp_path):
    folder = tmp_path / "ev"
    shutil.copytree(two_rounds, folder)
    survey = folder / "evidence" / "round-2" / "survey.csv"
    rows = list(csv.reader(survey.read_text().splitlines()))
    rows[1][3] = "Agree" if rows[1][3] != "Agree" else "Disagree"
    survey.write_text("\n".join(",".join(r) for r in rows) + "\n")
    done = cli("validate", folder)
    assert done.returncode == 1
    assert ("round 2 was run" in done.stdout and "evidence/round-2/survey.csv has changed"
            in done.stdout and "start round 3" in done.stdout)
    # a new round reading an earlier round's files is refused too
    in_round(folder, 3, "evidence/round-2")
    survey.write_text((two_rounds / "evidence/round-2/survey.csv").read_text())
    done = cli("validate", folder)
    assert done.returncode == 1
    assert "evidence/round-2/survey.csv was already round 2's evidence" in done.stdout
    assert cli("run", folder, "--no-progress").returncode == 1
    assert len(runs(folder)) == 2  # nothing run


def test_without_rounds_evidence_can_be_corrected_and_run_again(tmp_path):
    folder = tmp_path / "ev"
    shutil.copytree(ROUND_1, folder, ignore=shutil.ignore_patterns("runs"))
    assert cli("run", folder, "--no-progress").returncode == 0
    survey = folder / "evidence" / "survey.csv"
    survey.write_text(survey.read_text().replace("Strongly disagree", "Disagree", 1))
    assert cli("validate", folder).returncode == 0


def test_a_round_differing_by_a_few_people_withholds_the_comparison(tmp_path):
    folder = tmp_path / "ev"
    shutil.copytree(ROUND_1, folder, ignore=shutil.ignore_patterns("runs"))
    in_round(folder, 1)
    assert cli("run", folder, "--no-progress").returncode == 0
    shutil.copytree(folder / "evidence", tmp_path / "round-2")
    shutil.move(tmp_path / "round-2", folder / "evidence" / "round-2")
    partners = {r[0] for r in csv.reader((folder / "evidence/survey.csv").read_text()
                                         .splitlines()) if r[1:2] == ["partner"]}
    survey = folder / "evidence" / "round-2" / "survey.csv"
    rows = list(csv.reader(survey.read_text().splitlines()))
    gone = sorted(partners)[:2]  # two partners fewer in round 2
    survey.write_text("\n".join(",".join(r) for r in rows if r[0] not in gone) + "\n")
    in_round(folder, 2, "evidence/round-2")
    done = cli("run", folder, "--no-progress")
    assert done.returncode == 0, done.stdout + done.stderr
    report = " ".join((runs(folder)[-1] / "report.html").read_text().split())
    assert "Since round 1" in report
    assert "is not shown: the two runs differ by fewer than" in report
    assert "Round 1</th>" not in report  # no table of the two rounds' ratings


@pytest.mark.browser
def test_the_app_of_round_two_says_since_round_one(two_rounds, artifacts):
    from conftest import app_page

    with app_page(two_rounds) as (page, off):
        heading = page.locator("#compare-heading")
        heading.wait_for(timeout=90_000)
        assert heading.inner_text() == "Since round 1"
        rows = heading.locator("xpath=..").locator("tbody tr")
        assert rows.count() == 6 and "beyond noise" in rows.first.inner_text()
        heading.scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / "app-rounds.png"))
        assert off == []


def test_turnover_shows_no_count_when_one_of_them_is_too_small():
    from types import SimpleNamespace

    from coprod_eval.render.words import rounds as text

    previous = SimpleNamespace(round=1, turnover=(
        {"group": "Carers", "then": 10, "now": 10, "dropped": None, "joined": None},
        {"group": "Partners", "then": 20, "now": 15, "dropped": 10, "joined": 5}))
    carers, partners = text.turnover_lines(previous)
    assert "not shown" in carers and not re.search(r"\d", carers.replace("round 1", ""))
    assert "20 answered the survey in round 1, 15 now" in partners


def test_rounds_may_share_a_survey_tools_data_dictionary(tmp_path):
    from types import SimpleNamespace

    from coprod_eval.inputs.rounds import round_problems

    run = tmp_path / "runs" / "20260101-000000"
    run.mkdir(parents=True)
    (run / "results.json").write_text(json.dumps({"project": {"round": 1},
                                               "overall": {"inconvenient_truths": []}}))
    (run / "manifest.json").write_text(json.dumps({"inputs": [
        {"path": "evidence/dictionary.csv", "sha256": "d1"},
        {"path": "evidence/records.csv", "sha256": "r1"}]}))

    def problems(round_number, inputs, dictionary=True):
        source = SimpleNamespace(dictionary=tmp_path / "evidence" / "dictionary.csv") \
            if dictionary else None
        evaluation = SimpleNamespace(in_rounds=True, project={"round": round_number},
                                     folder=tmp_path, survey_source=source)
        return [p.what for p in round_problems(evaluation, inputs)]

    # round 2: its own answers, the same dictionary: nothing to say
    assert problems(2, {"evidence/dictionary.csv": "d1",
                        "evidence/round-2/records.csv": "r2"}) == []
    # the answers of round 1 read again by round 2: refused
    assert problems(2, {"evidence/records.csv": "r1"}) == [
        "evidence/records.csv was already round 1's evidence (20260101-000000)"]
    # a file that is not the dictionary gets no such pass
    assert problems(2, {"evidence/dictionary.csv": "d1"}, dictionary=False)
    # the dictionary changed under round 1, which was run with it: refused
    assert problems(1, {"evidence/dictionary.csv": "d2"})
