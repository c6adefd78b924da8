"""One evaluation folder run in-process, as ``coprod-eval run`` would write it, with no kernel.

``coprod-eval portfolio`` calls :func:`run_in_process` on Dask workers (or in its own
process): the one pipeline function (:func:`pipeline.evaluate_folder`'s steps) and the very
cell functions the notebook calls write the run folder — results.json, report.html, the
Easy Read summary, the tables, provenance and the anonymisation log — so the run's
results.json is byte for byte the one the notebook writes. The run is built in
``runs/.incomplete-<id>-<pid>/`` and published under its run id with its manifest, exactly
as runs.py does; a failure leaves no finished-looking folder and is returned, not raised,
so one project's problem never stops the others.
"""

from __future__ import annotations

import os
import resource
import time
from datetime import UTC, datetime
from pathlib import Path

from ..base.errors import CoprodEvalError, InvalidInputError

ENGINE = "in-process (coprod-eval portfolio)"
STOPPED = ("the evaluation stopped ({kind}); see why with: coprod-eval run {folder}")
PROBLEMS_AT = ("{count} problem(s) in its inputs, at {where}; see them with: coprod-eval "
               "validate {folder}")


def run_in_process(folder: str, cache_key: str, notebooks: bool = False) -> dict:
    """Evaluate one folder into a new run; return what happened as plain data (picklable):
    ``outcome`` "evaluated" or "failed", the run id, the message, seconds taken and this
    process's peak memory. ``notebooks``: execute the notebook with papermill as
    ``coprod-eval run`` does (a kernel per project: slower, the executed notebook kept)."""
    from ..base.startup import skip_unused_imports

    skip_unused_imports()
    started = time.perf_counter()
    extra = {"cache_key": cache_key, "engine": "papermill" if notebooks else ENGINE}
    try:
        if notebooks:
            from .run import run

            info = run(folder, progress=False, extra=extra)
            run_id = info.run_id
        else:
            run_id = _run(Path(folder).resolve(), extra)
        outcome, message = "evaluated", ""
    except InvalidInputError as exc:
        # where, not what: a problem's text may quote a cell of the evidence, and this
        # message reaches the portfolio's report (the evaluator runs validate for the rest)
        run_id, outcome = None, "failed"
        message = PROBLEMS_AT.format(count=exc.count, where=", ".join(sorted(
            {f"{p.file}:{'-' if p.row is None else p.row}:{p.column or '-'}"
             for p in exc.problems})[:10]), folder=folder)
        detail = "\n".join(exc.lines())
    except CoprodEvalError as exc:  # its text may quote what a notebook cell raised
        run_id, outcome, detail = None, "failed", str(exc)
        message = STOPPED.format(kind=type(exc).__name__, folder=folder)
    except Exception as exc:  # a bug must not stop the portfolio: report it with the project
        run_id, outcome = None, "failed"
        detail = f"unexpected {type(exc).__name__}: {exc} (please report this)"
        message = STOPPED.format(kind=f"unexpected {type(exc).__name__}", folder=folder)
    else:
        detail = ""
    # ``message`` reaches the portfolio's report and store; ``detail`` the terminal only
    return {"folder": str(folder), "outcome": outcome, "run_id": run_id, "message": message,
            "detail": detail,
            "seconds": round(time.perf_counter() - started, 3), "pid": os.getpid(),
            "peak_rss_mib": peak_rss_mib()}


def peak_rss_mib() -> float:
    """This process's peak resident memory so far, in MiB (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _run(folder: Path, extra: dict) -> str:
    from ..pipeline import check_folder, previous_round
    from ..render.notebook import write_anonymisation_log, write_outputs, write_provenance
    from .run import RUNS_DIR, _keep_failed, _publish, build_manifest

    started = time.perf_counter()
    started_utc = datetime.now(UTC)
    evaluation, evidence = check_folder(folder)  # raises InvalidInputError: every problem
    validated = time.perf_counter()
    from ..compute.assessment import evaluate

    runs = folder / RUNS_DIR
    run_id = started_utc.strftime("%Y%m%d-%H%M%S")
    work = runs / f".incomplete-{run_id}-{os.getpid()}"
    runs.mkdir(exist_ok=True)
    work.mkdir()
    try:
        result = evaluate(evaluation, evidence)
        output = str(work)
        # the notebook's cells, in the notebook's order
        write_provenance(evaluation, evidence, output)
        previous = previous_round(evaluation, output)
        write_outputs(result, output, previous)
        write_anonymisation_log(evaluation, evidence, output)
    except BaseException as exc:  # never a finished-looking run: kept as runs/.failed-…
        failed = _keep_failed(work, runs, run_id, f"{type(exc).__name__}: {exc}")
        if isinstance(exc, CoprodEvalError) or not isinstance(exc, Exception):
            raise  # our own errors, and Ctrl+C, as they are
        raise RuntimeError(f"{exc} (the partial run is kept in {failed})") from exc
    finished = time.perf_counter()
    params = {"evaluation_dir": "../..", "output_dir": ".", "seed": evaluation.seed,
              "permutations": evaluation.permutations, "chart_renderer": "svg"}
    manifest = build_manifest(
        evaluation, started_utc=started_utc, inputs={**evaluation.inputs, **evidence.inputs},
        parameters=params, notes=evidence.notes, notebooks=[], kernel=None, work=work,
        extra=extra, timings={"validate_s": round(validated - started, 3), "notebooks": [],
                              "total_s": round(finished - started, 3)})
    return _publish(work, runs, run_id, manifest).name
