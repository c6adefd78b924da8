"""coprod-eval reproduce: a recorded run re-derived from its evidence and method, or an exact
account of what differs; and the CI workflow init --ci writes, its commands run in order in
a fresh venv."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from conftest import served_url

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data_samples" / "survey-only"
CLI = [sys.executable, "-m", "coprod_eval"]


def cli(*args, cwd=None, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, cwd=cwd)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> Path:
    """An evaluation folder with one finished run, its framework a file of its own."""
    folder = tmp_path_factory.mktemp("recorded") / "evaluation"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("runs"))
    (folder / "frameworks").mkdir()
    shutil.copyfile(ROOT / "coprod_eval/data/frameworks/nesta_nef_six.yaml",
                    folder / "frameworks/ours.yaml")
    config = folder / "evaluation.yaml"
    config.write_text(config.read_text().replace("framework: nesta_nef_six",
                                                 "framework: frameworks/ours.yaml"))
    done = cli("run", folder, "--no-progress")
    assert done.returncode == 0, done.stderr
    return folder


@pytest.fixture
def clone(recorded, tmp_path) -> Path:
    """The evaluation folder and its run, copied to another path (as a reproducer gets it)."""
    target = tmp_path / "elsewhere" / "copy"
    shutil.copytree(recorded, target)
    return target


def the_run(folder: Path) -> Path:
    return next(p for p in (folder / "runs").iterdir() if not p.name.startswith("."))


def test_a_recorded_run_reproduces_from_a_clone_at_another_path(clone):
    before = {p: p.read_bytes() for p in clone.rglob("*") if p.is_file()}
    done = cli("reproduce", the_run(clone))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "results.json is byte-identical. The run reproduces." in done.stdout
    assert "Environment: as recorded." in done.stdout
    # nothing in the folder or the run was written
    assert {p: p.read_bytes() for p in clone.rglob("*") if p.is_file()} == before
    account = json.loads(cli("reproduce", clone, "--json").stdout)
    assert account["exit_code"] == 0 and account["identical"] is True
    assert {i["status"] for i in account["inputs"]} == {"same"}
    manifest = json.loads((the_run(clone) / "manifest.json").read_text())
    assert manifest["environment"]["numpy"] == __import__("numpy").__version__


def test_the_kept_rerun_leaves_out_environments_and_version_control(clone, tmp_path):
    """A CI runner keeps its venv inside the evaluation folder: the re-run never copies it
    (a gigabyte, twice), nor .git, yet copies every input and other hidden files."""
    venv = clone / ".venv-ci"
    (venv / "lib").mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (venv / "lib" / "big.bin").write_bytes(b"\0" * 1024)
    (clone / ".git").mkdir()
    (clone / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (clone / ".notes").mkdir()
    (clone / ".notes" / "kept.txt").write_text("an evaluator's own hidden notes\n")
    keep = tmp_path / "kept"
    done = cli("reproduce", clone, "--keep", keep)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not (keep / ".venv-ci").exists() and not (keep / ".git").exists()
    assert (keep / ".notes" / "kept.txt").is_file()
    assert (keep / "evidence" / "survey.csv").read_bytes() == (
        clone / "evidence" / "survey.csv").read_bytes()


def test_an_edited_or_missing_evidence_file_is_named_exit_1(clone):
    survey = clone / "evidence" / "survey.csv"
    survey.write_text(survey.read_text().replace("Agree", "Disagree", 1))
    done = cli("reproduce", clone)
    assert done.returncode == 1
    assert "evidence/survey.csv (evidence): changed" in done.stdout
    assert "Not re-run" in done.stdout
    survey.unlink()
    assert "evidence/survey.csv (evidence): missing" in cli("reproduce", clone).stdout


def test_a_manifest_that_is_not_json_or_lists_fewer_inputs_is_tampered(clone):
    manifest = the_run(clone) / "manifest.json"
    recorded = json.loads(manifest.read_text())
    manifest.write_text("{not json")
    done = cli("reproduce", clone)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "is not the manifest coprod-eval wrote" in done.stderr
    # the survey taken out of the manifest: the run's provenance still names it
    recorded["inputs"] = [i for i in recorded["inputs"] if i["path"] != "evidence/survey.csv"]
    manifest.write_text(json.dumps(recorded))
    done = cli("reproduce", clone)
    assert done.returncode == 1, done.stdout
    assert ("evidence/survey.csv (evidence): read by the run but not in its manifest"
            in done.stdout)
    assert "The run reproduces" not in done.stdout


def test_a_changed_seed_is_named_exit_1(clone):
    config = clone / "evaluation.yaml"
    data = yaml.safe_load(config.read_text())
    text = config.read_text()
    config.write_text(text.replace(f"seed: {data['analysis']['seed']}", "seed: 99", 1)
                      if "analysis" in data else text.replace(f"seed: {data['seed']}",
                                                              "seed: 99", 1))
    done = cli("reproduce", clone)
    assert done.returncode == 1
    assert "evaluation.yaml (settings): changed — its seed is now 99; the run used" in (
        done.stdout)


def test_a_changed_framework_file_is_named_exit_1(clone):
    framework = clone / "frameworks" / "ours.yaml"
    framework.write_text(framework.read_text().replace('version: "3.0.0"',
                                                       'version: "3.0.1"'))
    done = cli("reproduce", clone)
    assert done.returncode == 1
    assert "frameworks/ours.yaml (method): changed" in done.stdout


def test_a_faked_package_version_is_reported_and_the_run_still_reproduces(clone):
    manifest_path = the_run(clone) / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["versions"]["coprod-eval"] = manifest["environment"]["coprod-eval"] = "0.0.9"
    manifest["environment"]["scipy"] = "0.1"
    manifest_path.write_text(json.dumps(manifest))
    done = cli("reproduce", clone)
    assert done.returncode == 0, done.stdout
    assert "coprod-eval: 0.0.9 recorded," in done.stdout
    assert "scipy: 0.1 recorded," in done.stdout
    assert "It reproduces although the environment differs" in done.stdout


def test_results_that_do_not_follow_exit_4_with_what_changed(clone):
    results_path = the_run(clone) / "results.json"
    results = json.loads(results_path.read_text())
    recorded = results["principles"][0]["rating"]
    results["principles"][0]["rating"] = "made-up"
    results_path.write_text(json.dumps(results, indent=2))
    done = cli("reproduce", clone)
    assert done.returncode == 4, done.stdout
    first = results["principles"][0]["id"]
    assert f"{first}: rating: made-up → {recorded}" in done.stdout
    assert "the environment is as recorded" in done.stdout
    # a manifest whose seed is not the one the results were made with
    manifest_path = the_run(clone) / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    seed = manifest["parameters"]["seed"]
    manifest["parameters"]["seed"] = seed + 1
    manifest_path.write_text(json.dumps(manifest))
    done = cli("reproduce", clone, "--json")
    account = json.loads(done.stdout)
    assert done.returncode == 4 and account["exit_code"] == 4
    assert {"what": "parameters.seed", "recorded": seed, "now": seed + 1} in account["findings"]


def _commands(service: str, folder: Path) -> list[str]:
    """The workflow's commands in order, its always-run clean-up last."""
    if service == "github":
        workflow = yaml.safe_load((folder / ".github/workflows/coprod-eval.yml").read_text())
        job = workflow["jobs"]["evaluate"]
        assert job["runs-on"] == ["self-hosted"]
        return [step["run"] for step in job["steps"] if "run" in step]
    workflow = yaml.safe_load((folder / ".gitlab-ci.yml").read_text())
    assert workflow["evaluate"]["artifacts"]["paths"]
    return workflow["evaluate"]["script"] + workflow["evaluate"]["after_script"]


def test_the_ci_workflow_runs_in_order_in_a_fresh_venv(tmp_path):
    folder = tmp_path / "repo"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("runs"))
    for service in ("github", "gitlab"):
        done = cli("init", folder, "--ci", service)
        assert done.returncode == 0, done.stderr
    ignored = (folder / ".gitignore").read_text().splitlines()
    assert "evidence/" in ignored and "runs/" in ignored
    assert "self-hosted" in (folder / ".github/workflows/coprod-eval.yml").read_text()
    github, gitlab = _commands("github", folder), _commands("gitlab", folder)
    assert github[:-1] == gitlab[:-1]  # GitLab keeps its artefacts' folder until it uploads
    assert "--require-hashes" in github[0] and "requirements.lock" in github[0]
    lock = (folder / "requirements.lock").read_text().splitlines()
    assert all("==" in line and "--hash=sha256:" in line for line in lock
               if not line.startswith("#"))
    again = cli("init", folder, "--ci", "github")
    assert again.returncode == 2 and "never overwrites" in again.stderr
    # the evidence comes from a folder on the runner, not from git
    runner_evidence = tmp_path / "runner-evidence"
    shutil.move(folder / "evidence", runner_evidence)
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    env.update(COPROD_EVAL_PACKAGE=str(ROOT), EVIDENCE_DIR=str(runner_evidence),
               TMPDIR=str(tmp_path))
    for command in github[:-1]:
        done = subprocess.run(["bash", "-c", command], cwd=folder, env=env,
                              capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, (command, done.stdout[-3000:], done.stderr[-3000:])
    assert {p.name for p in (folder / "coprod-eval-report").iterdir()} >= {
        "report.html", "results.json", "manifest.json"}
    run = the_run(folder)
    for name in ("report.html", "results.json", "manifest.json"):
        assert (run / name).is_file()
    assert (folder / ".venv-ci/bin/coprod-eval").is_file()  # a venv of its own
    # the installed wheel carries its licence, the notebooks and the samples
    installed = folder / ".venv-ci"
    assert list(installed.glob("lib/python*/site-packages/coprod_eval-*.dist-info/licenses/"
                               "LICENSE"))
    where = subprocess.run([installed / "bin/coprod-eval", "notebooks"], capture_output=True,
                           text=True, check=True, cwd=tmp_path).stdout.strip()
    assert Path(where).is_relative_to(installed) and (Path(where) / "evaluation.ipynb").is_file()
    tried = tmp_path / "tried"
    subprocess.run([installed / "bin/coprod-eval", "init", tried, "--sample",
                    "own-questionnaire"], capture_output=True, check=True, cwd=tmp_path)
    valid = subprocess.run([installed / "bin/coprod-eval", "validate", tried],
                           capture_output=True, text=True, cwd=tmp_path)
    assert valid.returncode == 0, valid.stdout
    # the README's other commands, from the installed wheel: report.docx, and the app served
    word = subprocess.run([installed / "bin/coprod-eval", "report", folder, "--docx"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert word.returncode == 0 and (run / "report.docx").is_file(), word.stderr
    server = subprocess.Popen([installed / "bin/coprod-eval", "serve", folder],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                              cwd=tmp_path)
    try:
        url = served_url(server)
        assert url, "serve from the wheel printed no URL"
        deadline = time.monotonic() + 90
        while True:
            try:
                page = urllib.request.urlopen(urllib.request.Request(
                    url, headers={"Cookie": "coprod_eval_page=1"}),  # as the page's script
                    timeout=60).read().decode()
                break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, "the app never answered"
                time.sleep(0.5)
        assert "coprod" in page and "Claim" in page
    finally:
        server.terminate()
        server.wait(timeout=30)
    # the always-run last step: nothing personal stays on the runner
    done = subprocess.run(["bash", "-c", github[-1]], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert not (folder / "evidence").exists() and not (folder / "runs").exists()
    assert not list(tmp_path.glob("coprod-eval-reproduced-*"))
    assert (runner_evidence / "survey.csv").is_file()  # the runner's own copy is untouched


def test_an_archived_run_a_failed_rerun_and_keep_inside_the_folder(clone, tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    copied = archive / the_run(clone).name
    shutil.copytree(the_run(clone), copied)
    manifest = json.loads((copied / "manifest.json").read_text())
    manifest["evaluation_dir"] = str(clone)  # where it was run from
    (copied / "manifest.json").write_text(json.dumps(manifest))
    assert cli("reproduce", copied).returncode == 0
    refused = cli("reproduce", clone, "--keep", clone / "rerun")
    assert refused.returncode == 2 and "inside the evaluation folder" in refused.stderr
    assert not (clone / "rerun").exists()
    manifest_path = the_run(clone) / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["parameters"]["no_such_setting"] = 1
    manifest_path.write_text(json.dumps(manifest))
    done = cli("reproduce", clone)
    assert done.returncode == 3, done.stdout
    assert "The re-run failed, so nothing could be compared" in done.stdout
