"""The right of reply (issue 16, part 2): each side's responses to a run's inconvenient
truths, checked, shown beside the findings in the app (Chromium) and in the next round's
report with each action's status; never a change to results.json."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import app_page
from test_browser import assert_reflows_on_a_phone, axe_violations
from test_rounds import ROUND_1, cli, in_round, run_round_two, runs

pytestmark = pytest.mark.browser


def respond(folder: Path, run: Path, side: str, responses: list[dict]) -> Path:
    done = cli("respond", folder, "--side", side, "--run", run.name)
    assert done.returncode == 0, done.stderr
    path = folder / "responses" / run.name / f"{side}.yaml"
    lines = [f"run: {run.name}", f"side: {side}", "responded:",
             "  by: [partnership board]" if side == "project" else "  by: [partners' forum]",
             "  date: 2026-03-01", "responses:"]
    for r in responses:
        lines += [f"  - truth: {r['truth']}", f"    stance: {r['stance']}",
                  f"    reason: {json.dumps(r.get('reason', ''))}"]
        if "action" in r:
            a = r["action"]
            lines += ["    action:", f"      what: {json.dumps(a['what'])}",
                      f"      owner: {a['owner']}", f"      due: {a['due']}",
                      f"      status: {a['status']}"]
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture(scope="module")
def answered(tmp_path_factory) -> Path:
    """Round 1 run and answered by both sides, then round 2 run."""
    folder = tmp_path_factory.mktemp("responses") / "ev"
    shutil.copytree(ROUND_1, folder, ignore=shutil.ignore_patterns("runs"))
    in_round(folder, 1)
    # the plan the partnership agreed before round 1
    assert cli("plan", folder).returncode == 0
    plan = folder / "plan.yaml"
    plan.write_text(plan.read_text().replace("date: YYYY-MM-DD", "date: 2026-01-15")
                    .replace("target: embedded", "target: developing"))
    assert cli("run", folder, "--no-progress").returncode == 0
    first = runs(folder)[0]
    respond(folder, first, "project", [
        {"truth": 1, "stance": "accepted",
         "action": {"what": "Pay partners for their time", "owner": "service manager",
                    "due": "2026-06-01", "status": "done"}},
        {"truth": 2, "stance": "disputed", "reason": "Our self-assessment used other dates.",
         "action": {"what": "Co-chair the design group", "owner": "programme lead",
                    "due": "2026-07-01", "status": "not_done"}}])
    respond(folder, first, "partners", [
        {"truth": 1, "stance": "accepted"},
        {"truth": 2, "stance": "accepted", "reason": "It matches what we saw."}])
    assert cli("respond", folder, "--side", "project", "--check").returncode == 0
    run_round_two(folder)
    return folder


def test_the_next_round_reports_the_responses_and_each_actions_status(answered):
    report = " ".join(re.sub(r"<[^>]+>", " ", (runs(answered)[-1] / "report.html")
                             .read_text()).split()).replace("&#39;", "'")
    # against the plan agreed before round 1, and the change since round 1
    results = json.loads((runs(answered)[-1] / "results.json").read_text())
    assert results["plan"]["version"] == 1 and results["project"]["round"] == 2
    assert "Against the plan the partnership agreed" in report and "Since round 1" in report
    reached = sum(row["reached"] for row in results["plan"]["principles"])
    assert f"{reached} of 6 principles reach the rating the plan aims for" in report
    # round 1's actions' due dates, printed in round 2's report, are not taken for personal data
    audited = cli("audit", answered)
    assert audited.returncode == 0, audited.stdout
    assert "Round 1's findings that were responded to" in report
    assert "Pay partners for their time (service manager, due 2026-06-01): done" in report
    assert "Co-chair the design group (programme lead, due 2026-07-01): not done" in report
    # the project disputes (with its reason), partners accept (with theirs)
    assert re.search(r"Disputes: Our self-assessment used other dates\.\s+Accepts: It matches "
                     r"what we saw\.", report)
    # and the partners' Easy Read summary says what was promised and whether it was done
    summary = " ".join(re.sub(r"<[^>]+>", " ", (runs(answered)[-1] / "summary.html")
                              .read_text()).split())
    assert "The project promised: Pay partners for their time. This was done." in summary
    assert "The project promised: Co-chair the design group. This was not done." in summary


def test_responses_never_change_the_computed_findings(answered, tmp_path):
    copy = tmp_path / "ev"
    shutil.copytree(answered, copy, ignore=shutil.ignore_patterns("responses"))
    shutil.rmtree(copy / "runs" / runs(answered)[-1].name)
    assert cli("run", copy, "--no-progress").returncode == 0
    with_responses = (runs(answered)[-1] / "results.json").read_bytes()
    without = (runs(copy)[-1] / "results.json").read_bytes()
    assert with_responses == without


def test_a_faulty_responses_file_is_refused_line_by_line(answered, tmp_path):
    copy = tmp_path / "ev"
    shutil.copytree(answered, copy)
    first = runs(copy)[0]
    path = copy / "responses" / first.name / "partners.yaml"
    text = path.read_text().replace("stance: accepted\n    reason: \"\"",
                                    "stance: disputed\n    reason: \"\"", 1)
    path.write_text(text.replace("truth: 2", "truth: 99"))
    done = cli("respond", copy, "--side", "partners", "--run", first.name, "--check")
    assert done.returncode == 1
    assert re.search(r"partners\.yaml:\d+:responses\.0\.reason: a disputed finding has no "
                     r"reason", done.stdout)
    assert "run " + first.name + " has no inconvenient truth 99" in done.stdout
    again = cli("respond", copy, "--side", "partners", "--run", first.name)
    assert again.returncode == 2 and "never overwrites" in again.stderr


def test_the_app_shows_each_response_beside_its_finding(answered, artifacts):
    first = runs(answered)[0]
    with app_page(answered, "--run", first.name) as (page, off):
        page.wait_for_selector("#truths-heading", timeout=90_000)
        truths = page.locator("#truths-heading").locator("xpath=..").locator("ol > li")
        first_truth = truths.nth(0).inner_text()
        assert "Response — The project accepts this finding." in first_truth
        assert "Action: Pay partners for their time (owner: service manager" in first_truth
        assert "Response — Community partners accept this finding." in first_truth
        second = truths.nth(1).inner_text()
        assert ("The project disputes this finding: Our self-assessment used other dates."
                in second)
        assert truths.nth(2).locator(".response").count() == 0  # no response, none shown
        page.locator("#truths-heading").scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / "app-responses.png"))
        assert off == []


def test_workshop_mode_by_keyboard_alone(answered, artifacts):
    """serve --workshop: the verdict and its responses first, then one principle at a time,
    moved by the arrow keys and by Tab + Enter on the buttons; large type; axe-clean."""
    first = runs(answered)[0]
    results = json.loads((first / "results.json").read_text())
    with app_page(answered, "--run", first.name, "--workshop", height=900) as (page, off):
        slide = page.locator(".workshop-slide")
        slide.wait_for(timeout=90_000)
        status = page.locator(".workshop .coprod-status")
        total = 1 + len(results["principles"])
        page.wait_for_function("document.querySelector('.workshop .coprod-status')"
                               ".innerText.startsWith('Slide 1 of')")
        assert "Claim not supported" in slide.inner_text()
        assert "Response — The project accepts this finding." in slide.inner_text()
        size = page.evaluate("parseFloat(getComputedStyle(document.querySelector("
                             "'.workshop')).fontSize)")
        assert size >= 22  # large type for a projector
        page.keyboard.press("ArrowRight")
        name = results["principles"][0]["name"]
        page.wait_for_function(
            "n => document.querySelector('.workshop .coprod-status').innerText"
            ".includes(n)", arg=f"Slide 2 of {total}: {name}")
        assert slide.locator("h2").inner_text().startswith(name)
        assert status.get_attribute("role") == "status"
        # Tab to the Next button and press Enter: the third slide
        page.locator(".workshop-next").focus()
        page.keyboard.press("Enter")
        page.wait_for_function(
            "n => document.querySelector('.workshop .coprod-status').innerText"
            ".startsWith(n)", arg=f"Slide 3 of {total}")
        page.keyboard.press("ArrowLeft")
        page.wait_for_function(
            "n => document.querySelector('.workshop .coprod-status').innerText"
            ".startsWith(n)", arg=f"Slide 2 of {total}")
        page.screenshot(path=str(artifacts / "workshop.png"))
        assert axe_violations(page) == []
        assert_reflows_on_a_phone(page, artifacts, "workshop")  # issue 32
        assert off == []


def test_a_runs_own_report_and_summary_with_the_responses_beside_its_findings(answered):
    first = runs(answered)[0]
    kept = {p.name: p.read_bytes() for p in first.iterdir()}
    done = cli("report", first, "--responses")
    assert done.returncode == 0, done.stderr
    made = [Path(line.split(": ", 1)[1]) for line in done.stdout.splitlines()
            if line.startswith("With responses:")]
    assert [p.name.split("-responses-")[0] for p in made] == ["report", "summary"]
    report = " ".join(re.sub(r"<[^>]+>", " ", made[0].read_text()).split())
    assert "Response — The project accepts this finding." in report
    assert ("The project disputes this finding: Our self-assessment used other dates."
            in report)
    summary = " ".join(re.sub(r"<[^>]+>", " ", made[1].read_text()).split())
    assert "What they said back" in summary
    assert "The project will: Pay partners for their time, by 2026-06-01." in summary
    assert "The project did not agree: Our self-assessment used other dates." in summary
    # the run's own files are untouched; the same responses give the same files, not new ones
    assert {p.name: p.read_bytes() for p in first.iterdir() if p not in made} == kept
    stamps = [p.stat().st_mtime_ns for p in made]
    again = cli("report", first, "--responses")
    assert again.returncode == 0 and [p.stat().st_mtime_ns for p in made] == stamps
    printed = cli("report", first, "--responses", "--pdf")
    assert printed.returncode == 0, printed.stderr
    for path in made:
        text = subprocess.run(["pdftotext", str(path.with_suffix(".pdf")), "-"],
                              capture_output=True, text=True, check=True).stdout
        assert "The project" in " ".join(text.split())
    assert cli("audit", first).returncode == 0
