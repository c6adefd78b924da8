"""``coprod-eval run``: validate, execute the notebook suite with papermill, record the run.

A run is built in ``runs/.incomplete-<id>/`` and renamed to ``runs/<id>/`` only when every
notebook has finished and the manifest is written, so a folder under a plain run id is
always complete. A failed run is left as ``runs/.failed-<id>/`` for inspection; earlier runs
are never touched.
"""

from __future__ import annotations

import functools
import json
import os
import platform
import shutil
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from ..base.errors import ExecutionError, UsageError
from .kernel import WarmKernel, check_address_space, kernel_name
from ..inputs.load import load_evaluation
from ..base.paths import MANIFEST_FILE, notebooks_dir

SUITE = ("evaluation.ipynb",)
RUNS_DIR = "runs"
# Set by the runner itself; a user may not override them.
RUNNER_PARAMETERS = ("evaluation_dir", "output_dir")
VERSIONED_PACKAGES = ("coprod-eval", "numpy", "pandas", "scipy", "pandera", "altair",
                      "vl-convert-python", "papermill", "nbclient", "ipykernel", "voila")

UNKNOWN_PARAMETER = ("unknown parameter '{name}' for {notebook}; known parameters: {known} "
                     "(see: papermill --help-notebook {notebook})")
RESERVED_PARAMETER = "parameter '{name}' is set by coprod-eval run itself and cannot be given"
INPUT_CHANGED = ("input file(s) {path} changed while the run was in progress (what the notebook "
                 "read is not what was checked); run again when nobody is editing them")
RUNS_UNWRITABLE = ("cannot make a run folder in {path}: {detail} (runs/ must be a folder you "
                   "may write to; nothing was run)")
NOT_A_RUN = "{path} is neither a run folder (with manifest.json) nor an evaluation with runs"
KERNEL_DIED = ("the notebook kernel stopped while running {notebook} ({detail}): out of "
               "memory, or stopped by a signal; what it had done is kept in {failed}")
NO_KERNEL = "could not start the Jupyter kernel '{name}': {detail}"
NOTEBOOK_FAILED = ("notebook {notebook} failed at cell {cell}: {ename}: {evalue}; the partial "
                   "run is kept for inspection in {folder}")


@dataclass(frozen=True)
class RunInfo:
    run_id: str
    folder: Path
    results: Path
    report: Path
    manifest: Path
    duration_s: float
    notes: tuple[str, ...] = ()  # how the evidence was read (formats, duplicates left out…)


def notebook_parameters(notebook: Path) -> dict[str, dict]:
    import papermill

    return papermill.inspect_notebook(str(notebook))


# What a parameter given with -p may be: (type, lowest, highest) or the allowed values.
PARAMETER_RULES = {"seed": (int, 0, 2**32 - 1), "permutations": (int, 1000, 1_000_000),
                   "chart_renderer": ("svg", "jupyter")}
BAD_VALUE = "parameter '{name}' is {value!r}; it must be {want}"


def check_parameters(overrides: dict[str, Any], notebook: Path) -> None:
    """Unknown, reserved, mistyped or out-of-range parameters are refused (exit 2)."""
    known = notebook_parameters(notebook)
    for name, value in overrides.items():
        if name in RUNNER_PARAMETERS:
            raise UsageError(RESERVED_PARAMETER.format(name=name))
        if name not in known:
            raise UsageError(UNKNOWN_PARAMETER.format(
                name=name, notebook=notebook.name,
                known=", ".join(n for n in known if n not in RUNNER_PARAMETERS)))
        rule = PARAMETER_RULES.get(name)
        if rule is None:
            continue
        if isinstance(rule[0], type):
            kind, low, high = rule
            if not isinstance(value, kind) or isinstance(value, bool) or not low <= value <= high:
                raise UsageError(BAD_VALUE.format(name=name, value=value, want=(
                    f"a whole number from {low:,} to {high:,}")))
        elif value not in rule:
            raise UsageError(BAD_VALUE.format(name=name, value=value,
                                              want="one of " + ", ".join(rule)))


def run(folder: str | Path, *, parameters: dict[str, Any] | None = None,
        progress: bool = True, pdf: bool = False, docx: bool = False,
        extra: dict | None = None) -> RunInfo:
    """Validate the folder, execute the suite into a new run folder, return where it is.

    The kernel starts first and imports the libraries while this process validates the
    inputs, so a run costs little more than one bare notebook execution. ``extra``: more
    for the manifest (the portfolio's cache key).
    """
    started = time.perf_counter()
    started_utc = datetime.now(UTC)
    folder = Path(folder).resolve()
    overrides = dict(parameters or {})
    suite = [notebooks_dir() / name for name in SUITE]
    # evaluation.yaml, the framework, the ladder and the instrument, checked before a folder
    # is made or a kernel started (raises InvalidInputError listing every problem)
    evaluation = load_evaluation(folder)
    for notebook in suite if overrides else ():
        check_parameters(overrides, notebook)  # a usage error costs no kernel start
    if not overrides:  # what `coprod-eval portfolio` finds the run by (same inputs, same key)
        from .inputkey import cache_key, yardsticks_digest

        extra = {"cache_key": cache_key(folder, yardsticks_digest()), **(extra or {})}
    runs = folder / RUNS_DIR
    made_runs = not runs.exists()
    run_id = started_utc.strftime("%Y%m%d-%H%M%S")
    work = runs / f".incomplete-{run_id}-{os.getpid()}"
    try:
        runs.mkdir(exist_ok=True)
        work.mkdir()
    except OSError as exc:
        raise ExecutionError(RUNS_UNWRITABLE.format(
            path=runs, detail=exc.strerror or exc)) from None
    try:
        check_address_space()
        kernel = WarmKernel(kernel_name(), work)
    except Exception as exc:
        shutil.rmtree(work, ignore_errors=True)
        if made_runs and not any(runs.iterdir()):
            runs.rmdir()
        if isinstance(exc, ExecutionError):
            raise
        raise ExecutionError(NO_KERNEL.format(name=kernel_name(), detail=exc)) from None
    try:
        return _run(evaluation, work, runs, run_id, overrides, suite, kernel, started,
                    started_utc, progress, pdf, docx, extra)
    finally:
        kernel.shutdown()
        if work.exists():  # validation or execution stopped the run: leave nothing behind
            shutil.rmtree(work, ignore_errors=True)
        if made_runs and not any(runs.iterdir()):
            runs.rmdir()


def _run(evaluation, work, runs, run_id, overrides, suite, kernel, started, started_utc,
         progress, pdf, docx, extra) -> RunInfo:
    import papermill

    if pdf:
        from ..render.pdf import PDF_FILE, SUMMARY_PDF, chromium, write_pdf

        chromium()  # fail before running anything if the PDF cannot be made

    from ..inputs.evidence import load_evidence

    evidence = load_evidence(evaluation)  # while the kernel starts; every problem at once
    notes = evidence.notes
    validated = time.perf_counter()
    inputs = {**evaluation.inputs, **evidence.inputs}  # the bytes validated
    base = {"evaluation_dir": "../..", "output_dir": ".", "seed": evaluation.seed,
            "permutations": evaluation.permutations, "chart_renderer": "svg"}
    params = _json_safe({**base, **overrides})
    timings = []
    for notebook in suite:
        t0 = time.perf_counter()
        try:
            papermill.execute_notebook(
                str(notebook), str(work / notebook.name), parameters=params, cwd=str(work),
                kernel_name=kernel.name, km=kernel.manager, progress_bar=progress,
                # written once at the end (or on failure), not after every cell: saving a
                # notebook full of charts twenty times costs a third of a second
                request_save_on_cell_execute=False,
                log_output=False, report_mode=False)
        except RuntimeError as exc:  # the kernel died (not a cell's error): memory, a signal
            failed = _keep_failed(work, runs, run_id, str(exc))
            raise ExecutionError(KERNEL_DIED.format(notebook=notebook.name, failed=failed,
                                                    detail=" ".join(str(exc).split())[:200])
                                 ) from None
        except papermill.PapermillExecutionError as exc:
            failed = _keep_failed(work, runs, run_id, str(exc))
            evalue = " ".join(str(exc.evalue).split())
            raise ExecutionError(NOTEBOOK_FAILED.format(
                notebook=notebook.name, cell=exc.exec_count, ename=exc.ename,
                evalue=evalue, folder=failed)) from None
        timings.append({"notebook": notebook.name, "seconds": round(time.perf_counter() - t0, 3)})

    for notebook in suite:
        _finish_notebook(work / notebook.name, kernel.name)
    if pdf:
        write_pdf(work / "report.html", work / PDF_FILE)
        write_pdf(work / "summary.html", work / SUMMARY_PDF)
    if docx:
        from ..render.docx import DOCX_FILE, write_docx

        write_docx(work / "report.html", work / DOCX_FILE)
    used = _parsed_by_notebook(work)  # the bytes the notebook parsed
    if used != inputs:
        changed = sorted(p for p in set(used) | set(inputs) if used.get(p) != inputs.get(p))
        message = INPUT_CHANGED.format(path=", ".join(changed))
        _keep_failed(work, runs, run_id, message)
        raise ExecutionError(message)

    finished = time.perf_counter()
    manifest = build_manifest(
        evaluation, started_utc=started_utc, inputs=inputs, parameters=params, notes=notes,
        notebooks=[n.name for n in suite], kernel=kernel.name, work=work, extra=extra,
        timings={"validate_s": round(validated - started, 3), "notebooks": timings,
                 "total_s": round(finished - started, 3)})
    final = _publish(work, runs, run_id, manifest)
    return RunInfo(final.name, final, final / "results.json", final / "report.html",
                   final / MANIFEST_FILE, round(finished - started, 3), notes)


def build_manifest(evaluation, *, started_utc: datetime, inputs: dict[str, str],
                   parameters: dict, notes, notebooks: list[str], kernel: str | None,
                   work: Path, timings: dict, extra: dict | None = None) -> dict:
    """What a run records about itself (manifest.json): when, on which inputs (the bytes
    validated), with which parameters, versions and environment, and what it wrote. A run
    made in-process by ``coprod-eval portfolio`` records the same, with no kernel."""
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
        "notebooks": notebooks,
        "kernel": kernel,
        "timings": timings,
        "versions": {"python": platform.python_version(), **_versions()},
        "environment": _environment(),  # every installed distribution: a lock
        "outputs": sorted(p.name for p in work.iterdir()),
        **(extra or {}),
    }


def _publish(work: Path, runs: Path, run_id: str, manifest: dict) -> Path:
    """Write the manifest and rename the work folder to its final, unused run id."""

    def write_manifest(name: str) -> None:
        manifest["run_id"] = name
        (work / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")

    return publish(work, runs, run_id, before=write_manifest)


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


def _keep_failed(work: Path, runs: Path, run_id: str, why: str) -> Path:
    """Rename an unfinished run to ``.failed-…`` (never a finished-looking name) and say why
    in it, if the disk still allows."""
    failed = _unique(runs, f".failed-{run_id}")
    work.rename(failed)
    try:
        (failed / "FAILED.txt").write_text(why + "\n", encoding="utf-8")
    except OSError:
        pass  # a full disk: the folder name still says the run failed
    return failed


def _unique(runs: Path, name: str) -> Path:
    candidate, n = runs / name, 1
    while candidate.exists():
        n += 1
        candidate = runs / f"{name}-{n}"
    return candidate


def _finish_notebook(notebook: Path, kernel_name: str) -> None:
    """Record the kernel the notebook ran on as Jupyter names it (so JupyterLab opens it
    unchanged, not marked as edited) and sign it for this user (so Lab trusts it: charts and
    styles drawn, not shown as text). A notebook that cannot be signed still opens, as text."""
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    from nbformat.sign import NotebookNotary

    node = nbformat.read(notebook, as_version=4)
    try:
        spec = KernelSpecManager().get_kernel_spec(kernel_name)
        node.metadata["kernelspec"] = {"name": kernel_name, "display_name": spec.display_name,
                                       "language": spec.language}
        nbformat.write(node, notebook)
    except NoSuchKernel:
        pass
    try:
        NotebookNotary().sign(node)
    except Exception:  # the user's Jupyter data folder unwritable: untrusted, not broken
        pass


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


def _parsed_by_notebook(work: Path) -> dict[str, str]:
    """The inputs the notebook recorded reading (name → sha256 of the bytes it parsed)."""
    from ..base.paths import PROVENANCE_FILE

    path = work / PROVENANCE_FILE
    if not path.is_file():
        return {}
    return dict(json.loads(path.read_text(encoding="utf-8"))["inputs"])


def _json_safe(params: dict) -> dict:
    # papermill writes non-JSON types (numpy scalars, dates, tuples) as unescaped strings.
    return json.loads(json.dumps(params, default=str))


@functools.cache  # one process, one environment (a portfolio worker makes many runs)
def _environment() -> dict[str, str]:
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
