"""The Dask cluster a portfolio is evaluated on (a LocalCluster, or the scheduler given), how
many lost workers it tolerates, and its progress bar."""

from __future__ import annotations

import os
import sys

from ..base.errors import ExecutionError

SCHEDULER_UNREACHABLE = "cannot reach the Dask scheduler at {address}: {detail}"


def allowed_failures() -> int:
    import dask

    return int(dask.config.get("distributed.scheduler.allowed-failures"))


def dask_client(workers: int | None, scheduler: str | None):
    """A client on the given scheduler, or on a LocalCluster sized to this machine: one
    single-threaded worker process per core (the evaluation holds the GIL)."""
    import logging

    from distributed import Client, LocalCluster

    if scheduler:
        try:
            return Client(scheduler, timeout="20s"), None
        except OSError as exc:
            raise ExecutionError(SCHEDULER_UNREACHABLE.format(address=scheduler,
                                                              detail=exc)) from None
    n = workers or len(os.sched_getaffinity(0))
    cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=logging.ERROR,
                           host="127.0.0.1")
    return Client(cluster), cluster


def progress_bar(total: int, progress: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc="Evaluating", unit="project", disable=not progress,
                file=sys.stderr, leave=True)
