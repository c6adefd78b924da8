"""A finished run is never rewritten: re-executing its notebook (Run all in JupyterLab,
nbval) shows everything and writes nothing; and its tables are byte-reproducible."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import coprod_eval as ce
from coprod_eval.render.tables import write_tables
from coprod_eval.runs.folder import remove_tree

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data_samples" / "survey-only"


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory) -> Path:
    """One finished run of the survey-only sample, made by coprod-eval run."""
    folder = tmp_path_factory.mktemp("finished") / "ev"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("runs"))
    done = subprocess.run([sys.executable, "-m", "coprod_eval", "run", str(folder),
                           "--no-progress"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return next(p for p in (folder / "runs").iterdir() if not p.name.startswith("."))


def test_re_executing_a_finished_runs_notebook_writes_nothing(finished_run):
    run = finished_run
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in run.iterdir()}
    notebook = nbformat.read(run / "evaluation.ipynb", as_version=4)
    NotebookClient(notebook, timeout=300, resources={"metadata": {"path": str(run)}}).execute()
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in run.iterdir()}
    assert after == before
    said = "".join(str(o.get("data", {}).get("text/markdown", "")) for c in notebook.cells
                   if c.cell_type == "code" for o in c.get("outputs", []))
    assert "is a finished run (it has its manifest.json), and coprod-eval never overwrites" in (
        said)


def test_result_tables_are_byte_reproducible(tmp_path):
    evaluation = ce.load_evaluation(SAMPLE)
    result = ce.evaluate(evaluation, ce.load_evidence(evaluation))
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = {p.name: p.read_bytes() for p in write_tables(result, tmp_path / "a")}
    import time

    time.sleep(2.1)  # zip times have a two-second resolution
    second = {p.name: p.read_bytes() for p in write_tables(result, tmp_path / "b")}
    assert first == second and "results.xlsx" in first
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "a" / "results.xlsx")
    assert book.sheetnames and book.properties.modified.year == 2000


def test_a_runs_notebook_is_signed_and_its_charts_have_a_text_form(finished_run):
    """JupyterLab trusts the run's notebook (signed for this user), and every chart's
    plain-text form is its title and description, not alt.LayerChart(...)."""
    from nbformat.sign import NotebookNotary

    notebook = nbformat.read(finished_run / "evaluation.ipynb", as_version=4)
    assert NotebookNotary().check_signature(notebook)
    charts = [o["data"] for c in notebook.cells if c.cell_type == "code"
              for o in c.get("outputs", []) if "image/svg+xml" in o.get("data", {})]
    assert len(charts) >= 2  # the survey-only sample draws the ratings and the answers
    for data in charts:
        assert "alt." not in data["text/plain"] and len(data["text/plain"]) > 20


def _writable(path: Path) -> list[str]:
    import stat

    return [p.name for p in [path, *path.rglob("*")]
            if stat.S_IMODE(p.stat().st_mode) & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)]


def test_a_finished_run_is_read_only_on_disk_and_gains_only_its_printed_forms(finished_run,
                                                                           tmp_path):
    """Issue 32: every file and folder of a finished run loses its write permission; `report
    --pdf` adds the printed forms and seals the run again; audit and reproduce name any
    other file found in it (an editor's checkpoint, a test runner's cache)."""
    folder = tmp_path / "ev"
    shutil.copytree(finished_run.parent.parent, folder)
    run = folder / "runs" / finished_run.name
    assert _writable(run) == []
    done = subprocess.run([sys.executable, "-m", "coprod_eval", "report", str(run), "--pdf"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert (run / "report.pdf").stat().st_size > 0 and _writable(run) == []
    clean = subprocess.run([sys.executable, "-m", "coprod_eval", "audit", str(run)],
                           capture_output=True, text=True, timeout=300)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    # what Lab's autosave and pytest used to leave in a run folder (written here as root can)
    run.chmod(0o755)
    (run / ".ipynb_checkpoints").mkdir()
    (run / ".ipynb_checkpoints" / "evaluation-checkpoint.ipynb").write_text("{}")
    (run / ".pytest_cache").mkdir()
    (run / ".pytest_cache" / "README.md").write_text("pytest cache directory")
    strays = {".ipynb_checkpoints/evaluation-checkpoint.ipynb", ".pytest_cache/README.md"}
    found = subprocess.run([sys.executable, "-m", "coprod_eval", "audit", str(run)],
                           capture_output=True, text=True, timeout=300)
    assert found.returncode != 0
    for name in strays:
        assert f"{name}: a file this run did not write" in found.stdout, found.stdout
    again = subprocess.run([sys.executable, "-m", "coprod_eval", "reproduce", str(run),
                            "--json"], capture_output=True, text=True, timeout=300)
    import json

    account = json.loads(again.stdout)
    assert set(account["stray_files"]) == strays and account["identical"] is True


def test_a_sealed_run_refuses_its_owner_s_writes_when_not_root(finished_run, tmp_path):
    """Issue 32: the seal holds for an ordinary user (root writes through any permission, so
    the suite checks it as 'nobody' when it runs as root): writing, appending, adding,
    deleting and renaming in a finished run are all refused, and a symbolic link put into a
    run is named by audit as a file the run did not write."""
    import os

    folder = Path(tempfile.mkdtemp(prefix="sealed-", dir="/tmp"))
    try:
        run = folder / finished_run.name
        shutil.copytree(finished_run, run)  # modes kept: sealed as coprod-eval left it
        as_user: list[str] = []
        if os.geteuid() == 0:
            for path in [folder, *folder.rglob("*")]:
                os.chown(path, 65534, 65534, follow_symlinks=False)
            folder.chmod(0o755)
            as_user = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        attempts = """
import os, sys
from pathlib import Path
run = Path(sys.argv[1])
tries = {
    "write": lambda: (run / "results.json").write_text("{}"),
    "append": lambda: open(run / "report.html", "a").write("<!-- -->"),
    "add": lambda: (run / "new.txt").write_text("x"),
    "delete": lambda: (run / "manifest.json").unlink(),
    "rename": lambda: (run / "report.html").rename(run / "r.html"),
    "make a folder": lambda: (run / ".ipynb_checkpoints").mkdir(),
}
for name, attempt in tries.items():
    try:
        attempt()
        print(name, "ALLOWED")
    except PermissionError:
        print(name, "refused")
"""
        done = subprocess.run([*as_user, sys.executable, "-c", attempts, str(run)],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        lines = done.stdout.split("\n")
        assert [line for line in lines if line] == [
            f"{name} refused" for name in ("write", "append", "add", "delete", "rename",
                                           "make a folder")], done.stdout
        run.chmod(0o755)  # as its owner deliberately might, to plant a link
        outside = folder / "elsewhere.txt"
        outside.write_text("not the run's")
        (run / "linked.txt").symlink_to(outside)
        found = subprocess.run([sys.executable, "-m", "coprod_eval", "audit", str(run)],
                               capture_output=True, text=True, timeout=300)
        assert found.returncode != 0
        assert "linked.txt: a file this run did not write" in found.stdout, found.stdout
    finally:
        remove_tree(folder)
