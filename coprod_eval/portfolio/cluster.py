"""The Dask cluster a portfolio is evaluated on (a LocalCluster, or the scheduler given), how
many lost workers it tolerates, and its progress bar."""

from __future__ import annotations

import os
import sys

from ..base.errors import ExecutionError

SCHEDULER_UNREACHABLE = ("cannot reach the Dask scheduler at {address} within {timeout} "
                         "(Dask's distributed.comm.timeouts.connect): {detail}")


# No dashboard, but the scheduler still serves its metrics over HTTP, on port 8787 unless told
# otherwise: a second portfolio (or test) on the machine would collide there. Any free port
# on this machine only.
NO_FIXED_PORT = {"dashboard_address": "127.0.0.1:0"}


def allowed_failures() -> int:
    import dask

    return int(dask.config.get("distributed.scheduler.allowed-failures"))


def dask_client(workers: int | None, scheduler: str | None):
    """A client on the given scheduler, or on a LocalCluster sized to this machine: one
    single-threaded worker process per core (the evaluation holds the GIL)."""
    import logging

    import dask
    from distributed import Client, LocalCluster

    if scheduler:
        # how long to keep trying: Dask's own setting (30 s unless the user's Dask
        # configuration or DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT says otherwise)
        timeout = dask.config.get("distributed.comm.timeouts.connect")
        try:
            return Client(scheduler, timeout=timeout), None
        except OSError as exc:
            raise ExecutionError(SCHEDULER_UNREACHABLE.format(
                address=scheduler, timeout=timeout, detail=exc)) from None
    n = workers or len(os.sched_getaffinity(0))
    cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=logging.ERROR,
                           host="127.0.0.1", scheduler_kwargs=NO_FIXED_PORT)
    return Client(cluster), cluster


def progress_bar(total: int, progress: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc="Evaluating", unit="project", disable=not progress,
                file=sys.stderr, leave=True)
