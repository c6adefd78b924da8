"""The command line as a user meets it: init, validate, run (twice), failures, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import yaml
from conftest import checksums

from coprod_eval.cli import main
from coprod_eval.runs.folder import completed_runs
from coprod_eval.yardsticks.instrument import builtin_instrument_path, load_instrument


def cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "coprod_eval", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, timeout=300)


def test_init_scaffolds_a_commented_evaluation_folder(tmp_path, capsys):
    folder = tmp_path / "my-eval"
    assert main(["init", str(folder), "--project", "Café peer support"]) == 0
    text = (folder / "evaluation.yaml").read_text()
    data = yaml.safe_load(text)
    assert data["project"]["name"] == "Café peer support"
    # every field carries a comment: each key line has one, or the line above is a comment
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if ":" in line and not line.lstrip().startswith("#"):
            assert "#" in line or lines[i - 1].lstrip().startswith("#"), line
    assert (folder / "evidence" / "survey.csv").read_text() == (
        "respondent_id,group,item_id,response\n")
    assert (folder / "evidence" / "decisions.csv").read_text().startswith(
        "decision_id,date,forum,proposed_by,decided_by,")
    assert sorted(p.name for p in (folder / "evidence").glob("*.csv")) == [
        "attendance.csv", "decisions.csv", "qualitative.csv", "resources.csv",
        "self_assessment.csv", "stages.csv", "survey.csv"]
    assert "# What each evidence table holds" in (folder / "evidence" / "COLUMNS.md").read_text()
    instrument = load_instrument(folder / "instrument" / "coprod_survey.yaml")
    assert instrument == load_instrument(builtin_instrument_path("coprod_survey"))
    staff = (folder / "instrument" / "staff-questionnaire.md").read_text()
    partner = (folder / "instrument" / "partner-questionnaire.md").read_text()
    for item in instrument.items:
        assert f"| {item.id} | {item.staff} |" in staff
        assert f"| {item.id} | {item.partner} |" in partner
    assert "Strongly disagree (1)" in staff and "Strongly agree (5)" in partner
    # an empty template is not yet valid evidence
    assert main(["validate", str(folder)]) == 1
    assert ("evidence/survey.csv:2:-: the file has a header but no answers — add one row per "
            "answer below the header") in capsys.readouterr().out


def test_init_never_overwrites(tmp_path, capsys):
    folder = tmp_path / "e"
    assert main(["init", str(folder)]) == 0
    before = checksums(folder)
    assert main(["init", str(folder)]) == 2
    assert "never overwrites" in capsys.readouterr().err
    assert checksums(folder) == before


def test_run_twice_gives_identical_results_and_keeps_earlier_runs(involvement):
    before = checksums(involvement)
    first = cli("run", involvement, "--no-progress")
    assert first.returncode == 0, first.stderr
    assert "Report:" in first.stdout and "coprod-eval serve" in first.stdout
    (run1,) = completed_runs(involvement)
    assert sorted(p.name for p in run1.iterdir()) == [
        "anonymisation-log.json", "evaluation.ipynb", "manifest.json", "principles.csv",
        "provenance.json",
        "quotes.csv", "report.html", "results.json", "results.xlsx", "summary.html",
        "truths.csv"]
    run1_files = checksums(run1)

    second = cli("run", involvement, "--no-progress")
    assert second.returncode == 0, second.stderr
    runs = completed_runs(involvement)
    assert len(runs) == 2
    # beside the runs, only the key for digests of whose evidence each used
    assert [p.name for p in (involvement / "runs").iterdir() if p not in runs] == [".people-key"]
    assert (runs[0] / "results.json").read_bytes() == (runs[1] / "results.json").read_bytes()
    assert checksums(run1) == run1_files, "an earlier run was touched"
    assert checksums(involvement) == before, "an input was changed"

    manifest = json.loads((runs[1] / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["run_id"] == runs[1].name
    inputs = {i["path"]: i["sha256"] for i in manifest["inputs"]}
    assert inputs["evidence/survey.csv"] == before["evidence/survey.csv"]
    assert inputs["evaluation.yaml"] == before["evaluation.yaml"]
    assert manifest["seed"] == manifest["parameters"]["seed"] == 20261125
    assert manifest["versions"]["papermill"] and manifest["timings"]["total_s"] > 0


def test_invalid_input_exits_1_and_makes_no_run(involvement):
    survey = involvement / "evidence" / "survey.csv"
    lines = survey.read_text().splitlines(keepends=True)
    row = next(i for i, line in enumerate(lines) if line.startswith("P001,partner,AS1,"))
    lines[row] = "P001,partner,AS1,Maybe\n"
    survey.write_text("".join(lines))
    done = cli("run", involvement)
    assert done.returncode == 1
    assert done.stdout.startswith(f"evidence/survey.csv:{row + 1}:response: 'Maybe' is not an "
                                  "answer on the response scale — use a label")
    assert "Traceback" not in done.stderr and "WARNING" not in done.stderr
    assert not (involvement / "runs").exists()


def test_unknown_parameter_is_refused(involvement):
    done = cli("run", involvement, "-p", "sede=3")
    assert done.returncode == 2
    assert "unknown parameter 'sede'" in done.stderr
    assert not (involvement / "runs").exists()
    done = cli("run", involvement, "-p", "output_dir=/tmp/x")
    assert done.returncode == 2 and "set by coprod-eval run itself" in done.stderr


def _full_disk():
    """In the child: files may grow to 150 KB only, as on a disk that is nearly full (a write
    past it fails with 'File too large' instead of killing the process)."""
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (150_000, 150_000))


def test_a_full_disk_exits_3_in_one_line_and_leaves_no_finished_run(involvement):
    good = cli("run", involvement, "--no-progress")
    assert good.returncode == 0, good.stderr
    (finished,) = completed_runs(involvement)
    done = subprocess.run([sys.executable, "-m", "coprod_eval", "run", str(involvement),
                           "--no-progress"], capture_output=True, text=True, timeout=600,
                          preexec_fn=_full_disk)
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "too large" in done.stderr.lower() or "no space" in done.stderr.lower()
    finished_runs = [p for p in (involvement / "runs").iterdir() if not p.name.startswith(".")]
    assert finished_runs == [finished]  # nothing half-written looks finished
    for leftover in (involvement / "runs").glob(".failed-*"):
        assert not (leftover / "manifest.json").exists()


def test_usage_errors_exit_2(tmp_path):
    assert cli("frobnicate").returncode == 2
    assert cli("serve", tmp_path).returncode == 2


def test_a_run_with_streams_missing_completes_and_says_so(tmp_path):
    from conftest import PARTIAL, copy_sample

    folder = copy_sample(PARTIAL, tmp_path)
    done = cli("run", folder, "--no-progress")
    assert done.returncode == 0, done.stderr
    (run,) = completed_runs(folder)
    report = (run / "report.html").read_text()
    assert ("Not available: meeting attendance records; decision log; payment, expenses and "
            "training records; and coded interview excerpts") in report
    assert "Low confidence" in report
