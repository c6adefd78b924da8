"""The engines a run can be made by, in one registry (:data:`ENGINES`).

Each engine takes the checked evaluation and evidence and writes the run's files into the
work folder :class:`runs.folder.RunFolder` made, through the pipeline and the same cell
functions, so every engine's results.json is byte for byte the same:

- ``papermill``: the notebook suite executed in a Jupyter kernel (``coprod-eval run``): the
  executed notebook is the run's record of the method. The kernel starts first and imports
  what the notebooks need while the command line checks the evidence.
- ``in-process``: the notebook's cells called in this process, no kernel
  (``coprod-eval portfolio``, on Dask workers).

An engine never names, publishes or fails a run itself: it asks its RunFolder.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from ..base.errors import CoprodEvalError, ExecutionError, UsageError
from ..base.paths import notebooks_dir
from .folder import RunFolder

SUITE = ("evaluation.ipynb",)
# Set by the runner itself; a user may not override them.
RUNNER_PARAMETERS = ("evaluation_dir", "output_dir")
# What a parameter given with -p may be: (type, lowest, highest) or the allowed values.
PARAMETER_RULES = {"seed": (int, 0, 2**32 - 1), "permutations": (int, 1000, 1_000_000),
                   "chart_renderer": ("svg", "jupyter")}

UNKNOWN_PARAMETER = ("unknown parameter '{name}' for {notebook}; known parameters: {known} "
                     "(see: papermill --help-notebook {notebook})")
RESERVED_PARAMETER = "parameter '{name}' is set by coprod-eval run itself and cannot be given"
BAD_VALUE = "parameter '{name}' is {value!r}; it must be {want}"
KERNEL_READY_SECONDS = 300
NO_PARAMETERS = "the {engine} engine takes no parameters (-p); run with the papermill engine"
KERNEL_DIED = ("the notebook kernel stopped while running {notebook} ({detail}): out of "
               "memory, or stopped by a signal; what it had done is kept in {failed}")
NO_KERNEL = "could not start the Jupyter kernel '{name}': {detail}"
NOTEBOOK_FAILED = ("notebook {notebook} failed at cell {cell}: {ename}: {evalue}; the partial "
                   "run is kept for inspection in {folder}")


def base_parameters(evaluation) -> dict:
    """The notebook's parameters for a run in its own folder: what every engine records."""
    return {"evaluation_dir": "../..", "output_dir": ".", "seed": evaluation.seed,
            "permutations": evaluation.permutations, "chart_renderer": "svg"}


class Papermill:
    """The notebook suite executed by papermill in a kernel started at once."""

    name = "papermill"

    @staticmethod
    def check(overrides: dict[str, Any]) -> None:
        """Unknown, reserved, mistyped or out-of-range parameters are refused (exit 2)."""
        for notebook in [notebooks_dir() / name for name in SUITE] if overrides else ():
            check_parameters(overrides, notebook)  # a usage error costs no kernel start

    def __init__(self, work: Path):
        from .kernel import WarmKernel, check_address_space, kernel_name

        check_address_space()
        try:
            self.kernel = WarmKernel(kernel_name(), work)
        except Exception as exc:
            raise ExecutionError(NO_KERNEL.format(name=kernel_name(), detail=exc)) from None
        self.kernel_name = self.kernel.name
        self.notebooks = list(SUITE)

    def execute(self, evaluation, evidence, target: RunFolder, params: dict,
                progress: bool) -> list[dict]:
        """Execute each notebook of the suite into the work folder; its timings."""
        import papermill

        timings = []
        for notebook in (notebooks_dir() / name for name in SUITE):
            t0 = time.perf_counter()
            try:
                papermill.execute_notebook(
                    str(notebook), str(target.work / notebook.name), parameters=params,
                    cwd=str(target.work), kernel_name=self.kernel.name,
                    km=self.kernel.manager, progress_bar=progress,
                    # written once at the end (or on failure), not after every cell: saving
                    # a notebook full of charts twenty times costs a third of a second
                    request_save_on_cell_execute=False, log_output=False, report_mode=False,
                    # the warm kernel answers once its warm-up imports are done: on a loaded
                    # machine that took over papermill's 60 s once (a dead kernel is caught
                    # at once, not by this wait)
                    start_timeout=KERNEL_READY_SECONDS)
            except RuntimeError as exc:  # the kernel died (not a cell's error)
                failed = target.fail(str(exc))
                raise ExecutionError(KERNEL_DIED.format(
                    notebook=notebook.name, failed=failed,
                    detail=" ".join(str(exc).split())[:200])) from None
            except papermill.PapermillExecutionError as exc:
                failed = target.fail(str(exc))
                raise ExecutionError(NOTEBOOK_FAILED.format(
                    notebook=notebook.name, cell=exc.exec_count, ename=exc.ename,
                    evalue=" ".join(str(exc.evalue).split()), folder=failed)) from None
            timings.append({"notebook": notebook.name,
                            "seconds": round(time.perf_counter() - t0, 3)})
        for name in SUITE:
            _finish_notebook(target.work / name, self.kernel.name)
        return timings

    def close(self) -> None:
        self.kernel.shutdown()


class InProcess:
    """The notebook's cells called in this process: no kernel, no executed notebook."""

    name = "in-process"
    kernel_name = None
    notebooks: list[str] = []

    @classmethod
    def check(cls, overrides: dict[str, Any]) -> None:
        if overrides:
            raise UsageError(NO_PARAMETERS.format(engine=cls.name))

    def __init__(self, work: Path):
        pass

    def execute(self, evaluation, evidence, target: RunFolder, params: dict,
                progress: bool) -> list[dict]:
        from ..pipeline import evaluate_checked, previous_round
        from ..render.notebook import write_outputs
        from .bookkeeping import write_anonymisation_log, write_provenance

        output = str(target.work)
        try:  # the notebook's cells, in the notebook's order
            run = evaluate_checked(evaluation, evidence)
            write_provenance(run, output)
            previous = previous_round(evaluation, output)
            write_outputs(run.result, output, previous)
            write_anonymisation_log(run, output)
        except BaseException as exc:  # never a finished-looking run: kept as runs/.failed-…
            failed = target.fail(f"{type(exc).__name__}: {exc}")
            if isinstance(exc, CoprodEvalError) or not isinstance(exc, Exception):
                raise  # our own errors, and Ctrl+C, as they are
            raise RuntimeError(f"{exc} (the partial run is kept in {failed})") from exc
        return []

    def close(self) -> None:
        pass


ENGINES = {engine.name: engine for engine in (Papermill, InProcess)}


def notebook_parameters(notebook: Path) -> dict[str, dict]:
    import papermill

    return papermill.inspect_notebook(str(notebook))


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
