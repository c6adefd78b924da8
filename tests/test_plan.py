"""The partnership's plan (issue 16, part 1): agreed before the work, reported against in
every examination, frozen by its version: a plan edited after a run used it must say so."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data_samples" / "involvement-as-coproduction"


def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "coprod_eval", *map(str, args)],
                          capture_output=True, text=True, timeout=300)


def latest(folder: Path) -> Path:
    return sorted(p for p in (folder / "runs").iterdir() if not p.name.startswith("."))[-1]


@pytest.fixture
def folder(tmp_path) -> Path:
    target = tmp_path / "ev"
    shutil.copytree(SAMPLE, target, ignore=shutil.ignore_patterns("runs"))
    return target


def agree_plan(folder: Path, *, first_evidence: str = "[survey, decisions]") -> Path:
    made = cli("plan", folder)
    assert made.returncode == 0, made.stderr
    plan = folder / "plan.yaml"
    text = plan.read_text()
    text = text.replace("date: YYYY-MM-DD", "date: 2026-01-15")
    text = text.replace("evidence: [survey]", f"evidence: {first_evidence}", 1)
    text = text.replace("target: embedded", "target: emerging", 1)
    plan.write_text(text)
    return plan


def test_an_unfinished_plan_is_refused_with_the_line_to_fix(folder):
    assert cli("plan", folder).returncode == 0
    done = cli("validate", folder)
    assert done.returncode == 1
    assert re.search(r"plan\.yaml:\d+:agreed\.date: 'YYYY-MM-DD' is not a date", done.stdout)
    again = cli("plan", folder)
    assert again.returncode == 2 and "never overwrites" in again.stderr


def test_every_run_reports_against_the_plan_and_records_it(folder):
    plan = agree_plan(folder)
    # the decision log was promised for the first principle; this evaluation has none
    text = (folder / "evaluation.yaml").read_text()
    text = re.sub(r"\n  decisions:.*?(?=\n  [a-z_]+:|\n[a-z])", "", text, flags=re.S)
    (folder / "evaluation.yaml").write_text(text)
    done = cli("run", folder, "--no-progress")
    assert done.returncode == 0, done.stdout + done.stderr
    run = latest(folder)
    results = json.loads((run / "results.json").read_text())
    first = results["principles"][0]
    row = results["plan"]["principles"][0]
    assert row["id"] == first["id"] and row["target"] == "emerging"
    assert row["evidenced"] == first["rating"]
    ratings = [r["id"] for r in results["framework"]["ratings"]]
    assert row["reached"] == (ratings.index(first["rating"]) >= ratings.index("emerging"))
    assert row["not_supplied"] == ["decisions"]
    truths = results["overall"]["inconvenient_truths"]
    missing = [t for t in truths if t["kind"] == "evidence_not_supplied"]
    assert len(missing) == 1 and missing[0]["facts"]["stream"] == "decisions"
    assert "promised the decision log" in (run / "report.html").read_text()
    import hashlib

    manifest = json.loads((run / "manifest.json").read_text())
    recorded = {i["path"]: i["sha256"] for i in manifest["inputs"]}
    assert recorded["plan.yaml"] == hashlib.sha256(plan.read_bytes()).hexdigest()
    report = (run / "report.html").read_text()
    assert "Against the plan the partnership agreed" in report
    assert "version 1" in report and "2026-01-15" in report
    # the plan's date is about the process, not a person: the audit passes
    audited = cli("audit", folder)
    assert audited.returncode == 0, audited.stdout


def test_a_plan_changed_after_a_run_must_be_a_new_visible_version(folder):
    plan = agree_plan(folder)
    assert cli("run", folder, "--no-progress").returncode == 0
    first_run = latest(folder).name
    # tampering: a target lowered after the examination, the version left as it was
    plan.write_text(plan.read_text().replace("target: emerging", "target: not_evident", 1))
    refused = cli("validate", folder)
    assert refused.returncode == 1
    assert f"plan.yaml has changed since run {first_run} used version 1" in refused.stdout
    assert "set 'version: 2'" in refused.stdout
    assert cli("run", folder, "--no-progress").returncode == 1  # nothing run
    assert latest(folder).name == first_run
    # declared: a new version, saying what changed, who agreed and when
    plan.write_text(plan.read_text().replace("version: 1", "version: 2\nchanged:\n"
                                             "  what: the first principle's aim lowered\n"
                                             "  by: [partnership board]\n"
                                             "  date: 2026-06-01"))
    done = cli("run", folder, "--no-progress")
    assert done.returncode == 0, done.stdout
    run = latest(folder)
    results = json.loads((run / "results.json").read_text())
    assert results["plan"]["version"] == 2
    assert results["plan"]["changed"]["what"] == "the first principle's aim lowered"
    report = " ".join((run / "report.html").read_text().split())
    assert "version 2" in report
    assert "The plan was changed on 2026-06-01 (partnership board): the first principle" in report
    # the earlier run is untouched: it still reports version 1
    earlier = json.loads((folder / "runs" / first_run / "results.json").read_text())
    assert earlier["plan"]["version"] == 1


def test_a_plan_naming_unknown_principles_streams_or_ratings_is_refused(folder):
    plan = agree_plan(folder)
    text = plan.read_text().replace("evidence: [survey, decisions]", "evidence: [gossip]")
    text = text.replace("target: emerging", "target: brilliant", 1)
    plan.write_text(text + "  nonsense:\n    target: embedded\n    evidence: []\n")
    done = cli("validate", folder)
    assert done.returncode == 1
    assert "['gossip'] are not evidence streams" in done.stdout
    assert "'brilliant' is not a rating" in done.stdout
    assert "'nonsense' is not a principle" in done.stdout
