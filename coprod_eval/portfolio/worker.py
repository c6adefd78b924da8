"""One project of a portfolio evaluated on a worker: a run made by the in-process engine
(or, with ``--notebooks``, the papermill engine), what happened returned as plain data.

A failure is returned, not raised, so one project's problem never stops the others; like
every run, a failed one leaves no finished-looking folder (runs/folder.py).
"""

from __future__ import annotations

import os
import resource
import time

from ..base.errors import CoprodEvalError, InvalidInputError

STOPPED = ("the evaluation stopped ({kind}); see why with: coprod-eval run {folder}")
PROBLEMS_AT = ("{count} problem(s) in its inputs, at {where}; see them with: coprod-eval "
               "validate {folder}")


def evaluate_project(folder: str, cache_key: str, notebooks: bool = False) -> dict:
    """Evaluate one folder into a new run; return what happened as plain data (picklable):
    ``outcome`` "evaluated" or "failed", the run id, the message, seconds taken and this
    process's peak memory. ``notebooks``: execute the notebook with papermill as
    ``coprod-eval run`` does (a kernel per project: slower, the executed notebook kept)."""
    from ..base.startup import skip_unused_imports
    from ..runs.run import run

    skip_unused_imports()
    started = time.perf_counter()
    try:
        info = run(folder, engine="papermill" if notebooks else "in-process", progress=False,
                   extra={"cache_key": cache_key})
        run_id, outcome, message, detail = info.run_id, "evaluated", "", ""
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
    # ``message`` reaches the portfolio's report and store; ``detail`` the terminal only
    return {"folder": str(folder), "outcome": outcome, "run_id": run_id, "message": message,
            "detail": detail,
            "seconds": round(time.perf_counter() - started, 3), "pid": os.getpid(),
            "peak_rss_mib": peak_rss_mib()}


def peak_rss_mib() -> float:
    """This process's peak resident memory so far, in MiB (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
