"""The one place run folders are written.

A run is built in ``runs/.incomplete-<id>-<pid>/`` and renamed to ``runs/<id>/`` only when it
has finished and its manifest is written, so a folder under a plain run id is always
complete. A run that fails is kept as ``runs/.failed-<id>/`` with FAILED.txt saying why; a
run stopped before anything ran (its inputs refused, no kernel) leaves nothing. Earlier runs
are never touched. Every engine (runs/engines.py) writes into the work folder this module
makes, and only this module names, publishes or fails a run.

A finished run is sealed: its files and folders are made read-only on disk (for everyone,
its owner included), so an editor, JupyterLab or a test runner started inside it cannot
change it. The one thing ever added later is a printed form of its own pages
(``coprod-eval report --pdf/--docx/--responses``: :func:`adding_to`), never over a file;
``coprod-eval audit`` names any other file found in a run (:func:`stray_files`).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import platform
import shutil
import stat
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from ..base.errors import ExecutionError, UsageError
from ..base.paths import MANIFEST_FILE

RUNS_DIR = "runs"
VERSIONED_PACKAGES = ("coprod-eval", "numpy", "pandas", "scipy", "pandera", "altair",
                      "vl-convert-python", "papermill", "nbclient", "ipykernel", "voila")
RUNS_UNWRITABLE = ("cannot make a run folder in {path}: {detail} ({name}/ must be a folder "
                   "you may write to; nothing was run)")
NOT_A_RUN = "{path} is neither a run folder (with manifest.json) nor an evaluation with runs"
# What may be added to a finished run after it was sealed: printed forms of its own pages
# (coprod-eval report), by name: the PDFs, the Word report, and the report and summary with
# the responses to its findings (report-responses-<digest>.html and its PDF)
ADDED_LATER = ("report.pdf", "summary.pdf", "report.docx", "report-responses-*",
               "summary-responses-*")
_WRITE = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH


class RunFolder:
    """A run being made: its work folder, then exactly one of :meth:`publish` (finished),
    :meth:`fail` (kept for inspection) or :meth:`discard` (nothing ran)."""

    def __init__(self, evaluation_folder: Path, started_utc: datetime, *,
                 runs_dir: str = RUNS_DIR):
        self.runs = Path(evaluation_folder) / runs_dir  # a portfolio's: portfolio-runs/
        self._made_runs = not self.runs.exists()
        self.run_id = started_utc.strftime("%Y%m%d-%H%M%S")
        self.work = self.runs / f".incomplete-{self.run_id}-{os.getpid()}"
        try:
            self.runs.mkdir(exist_ok=True)
            self.work.mkdir()
        except OSError as exc:
            raise ExecutionError(RUNS_UNWRITABLE.format(
                path=self.runs, name=self.runs.name, detail=exc.strerror or exc)) from None

    def publish(self, manifest: dict | None) -> Path:
        """Write the manifest (last: it marks a finished run) and rename the work folder to
        its run id (``-2``, ``-3``… when another run took it). A portfolio's run has no
        manifest (None): its name is what marks it finished."""

        def write_manifest(name: str) -> None:
            if manifest is None:
                return
            manifest["run_id"] = name
            (self.work / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n",
                                                   encoding="utf-8")

        finished = publish(self.work, self.runs, self.run_id, before=write_manifest)
        if manifest is not None:
            seal(finished)
        return finished

    def fail(self, why: str) -> Path:
        """Rename the unfinished run to ``.failed-…`` (never a finished-looking name) and say
        why in it, if the disk still allows."""
        failed = _unique(self.runs, f".failed-{self.run_id}")
        self.work.rename(failed)
        try:
            (failed / "FAILED.txt").write_text(why + "\n", encoding="utf-8")
        except OSError:
            pass  # a full disk: the folder name still says the run failed
        return failed

    def discard(self) -> None:
        """Nothing ran (or the run was already published or failed): leave nothing behind."""
        if self.work.exists():
            shutil.rmtree(self.work, ignore_errors=True)
        if self._made_runs and self.runs.is_dir() and not any(self.runs.iterdir()):
            self.runs.rmdir()


def publish(work: Path, parent: Path, run_id: str, before=None) -> Path:
    """Rename a finished work folder to ``parent/run_id`` (``run_id-2``, ``-3``… when taken
    by another run), calling ``before(name)`` first with the name it is about to take."""
    suffix = 1
    while True:
        name = run_id if suffix == 1 else f"{run_id}-{suffix}"
        if before is not None:
            before(name)
        try:
            work.rename(parent / name)  # fails if another run took the name
            return parent / name
        except OSError:
            suffix += 1


def seal(run: Path) -> None:
    """Make a finished run read-only on disk: every file and folder in it, and the run
    folder itself, lose their write permission."""
    for path in [*sorted(run.rglob("*"), reverse=True), run]:
        if not path.is_symlink():
            path.chmod(stat.S_IMODE(path.stat().st_mode) & ~_WRITE)


@contextlib.contextmanager
def adding_to(run: Path):
    """Let ``coprod-eval report`` add a printed form of a finished run's pages to it: the
    run folder is writable for the duration (its files stay read-only, and each writer
    refuses a file that exists), then sealed again with what was added."""
    mode = stat.S_IMODE(run.stat().st_mode)
    run.chmod(mode | stat.S_IWUSR)
    try:
        yield run
    finally:
        for partial in run.glob(".*.partial"):  # a printing stopped part-way: not kept
            partial.unlink(missing_ok=True)
        seal(run)


def remove_tree(path: Path) -> None:
    """Delete a folder that may hold sealed runs (each folder made writable again first)."""
    def unseal_and_retry(function, name, _):
        parent = Path(name).parent
        parent.chmod(stat.S_IMODE(parent.stat().st_mode) | stat.S_IWUSR)
        if Path(name).is_dir() and not Path(name).is_symlink():
            Path(name).chmod(stat.S_IMODE(Path(name).stat().st_mode) | stat.S_IRWXU)
        function(name)

    if not path.exists():
        return
    try:
        if sys.version_info >= (3, 12):
            shutil.rmtree(path, onexc=unseal_and_retry)
        else:
            shutil.rmtree(path, onerror=unseal_and_retry)
    except OSError:
        pass  # a scratch folder the system will clear; never fail what was done for it


def stray_files(run: Path, manifest: dict) -> list[str]:
    """Files in a finished run that it did not write and that are not printed forms of its
    pages (ADDED_LATER): an editor's checkpoints, a test runner's cache, anything copied in,
    and any symbolic link (a run writes none; sealing leaves its target as it was)."""
    import fnmatch

    written = set(manifest.get("outputs") or ()) | {MANIFEST_FILE}
    stray = []
    for path in sorted(run.rglob("*")):
        relative = path.relative_to(run)
        if path.is_symlink():  # what it points to can change, whatever its name: never ours
            stray.append(relative.as_posix())
            continue
        if path.is_dir():
            continue
        top = relative.parts[0]
        if top in written or any(fnmatch.fnmatch(relative.as_posix(), pattern)
                                 for pattern in ADDED_LATER):
            continue
        stray.append(relative.as_posix())
    return stray


def _unique(runs: Path, name: str) -> Path:
    candidate, n = runs / name, 1
    while candidate.exists():
        n += 1
        candidate = runs / f"{name}-{n}"
    return candidate


def build_manifest(evaluation, *, started_utc: datetime, inputs: dict[str, str],
                   parameters: dict, notes, engine: str, notebooks: list[str],
                   kernel: str | None, work: Path, timings: dict,
                   extra: dict | None = None) -> dict:
    """What a run records about itself (manifest.json): when, by which engine, on which
    inputs (the bytes validated), with which parameters, versions and environment, and what
    it wrote."""
    return {
        "run_id": None,
        "status": "complete",
        "started_utc": started_utc.isoformat(timespec="seconds"),
        "finished_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "evaluation_dir": str(evaluation.folder),
        "inputs": [{"path": p, "sha256": h} for p, h in inputs.items()],
        "framework": {"id": evaluation.framework.id, "version": evaluation.framework.version},
        "instrument": {"id": evaluation.instrument.id, "version": evaluation.instrument.version},
        "parameters": parameters,
        "seed": evaluation.seed,
        "evidence_notes": list(notes),
        "engine": engine,
        "notebooks": notebooks,
        "kernel": kernel,
        "timings": timings,
        "versions": {"python": platform.python_version(), **_versions()},
        "environment": environment(),  # every installed distribution: a lock
        "outputs": sorted(p.name for p in work.iterdir()),
        **(extra or {}),
    }


def finished_run_holding(path: Path) -> Path | None:
    """The finished run ``path`` is (or is inside), if any: a folder of ``runs/`` with its
    manifest, not an unfinished or failed one."""
    for candidate in (path, *path.parents):
        if candidate.parent.name == RUNS_DIR:
            finished = (not candidate.name.startswith(".")
                        and (candidate / MANIFEST_FILE).is_file())
            return candidate if finished else None
    return None


def run_folder(path: str | Path) -> Path:
    """A finished run: ``path`` itself, or the latest run of the evaluation at ``path``."""
    path = Path(path)
    if (path / MANIFEST_FILE).is_file():
        return path
    runs = completed_runs(path)
    if not runs:
        raise UsageError(NOT_A_RUN.format(path=path))
    return runs[-1]


def interrupted_runs(folder: str | Path) -> list[Path]:
    """Run folders left unfinished by a run that was killed (its process no longer exists).

    They are never taken for finished runs (their names start with a dot and they have no
    manifest); the evaluator may delete them.
    """
    runs = Path(folder) / RUNS_DIR
    if not runs.is_dir():
        return []
    left = []
    for path in sorted(runs.glob(".incomplete-*")):
        pid = path.name.rsplit("-", 1)[-1]
        if not pid.isdigit() or not Path(f"/proc/{pid}").exists() or int(pid) == os.getpid():
            left.append(path)
    return left


def completed_runs(folder: str | Path) -> list[Path]:
    """Finished runs of an evaluation, oldest first."""
    runs = Path(folder) / RUNS_DIR
    if not runs.is_dir():
        return []
    return sorted(p for p in runs.iterdir()
                  if p.is_dir() and not p.name.startswith(".") and (p / MANIFEST_FILE).is_file())


@functools.cache  # one process, one environment (a portfolio worker makes many runs)
def environment() -> dict[str, str]:
    """Every installed distribution and its version (a lock of the environment), with
    Python's version: what reproduce compares with."""
    found = {"python": platform.python_version()}
    for dist in metadata.distributions():
        name = (dist.metadata["Name"] or "").lower()
        if name:
            found.setdefault(name, dist.version)
    return dict(sorted(found.items()))


@functools.cache
def _versions() -> dict[str, str]:
    versions = {}
    for name in VERSIONED_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions
