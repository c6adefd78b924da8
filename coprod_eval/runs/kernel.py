"""The notebook kernel a run executes on: which one (the project's registered kernel), a
kernel started early that imports what the notebooks need while inputs are checked, and
whether one can start at all under the process's address-space limit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ..base.errors import ExecutionError
from ..base.startup import SKIP_UNUSED_IMPORTS

KERNEL_NAME = "coprod-eval"
ADDRESS_SPACE = ("this run needs more address space than the limit set on it (ulimit -v, "
                 "{limit}): its charts are drawn by vl-convert, whose JavaScript engine "
                 "reserves a large address space up front though it uses little memory. Run "
                 "without that limit (ulimit -v unlimited) and cap memory another way if "
                 "needed (e.g. systemd-run --scope -p MemoryMax=2G coprod-eval run …); nothing "
                 "was written")


def kernel_name() -> str:
    """The project's registered kernel if there is one, else the default Python kernel."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(KERNEL_NAME)
        return KERNEL_NAME
    except NoSuchKernel:
        return "python3"


def check_address_space() -> None:
    """Charts are drawn by vl-convert, whose JavaScript engine reserves a very large address
    space up front (more than 64 GB, of which it uses little). Under an address-space limit
    (``ulimit -v``) it cannot start and takes the kernel with it: say so before running."""
    import resource

    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        return
    probe = subprocess.run([sys.executable, "-c", "import vl_convert; vl_convert."
                            "vegalite_to_svg({'mark': 'point', 'data': {'values': []}})"],
                           capture_output=True, timeout=300)
    if probe.returncode != 0:
        raise ExecutionError(ADDRESS_SPACE.format(limit=f"{soft / 2**30:.1f} GB"))


class WarmKernel:
    """A kernel started early, importing what the notebooks need while inputs are checked.

    The warm-up runs silently (no output, no execution count); papermill then executes the
    notebooks on this kernel, in the same order a fresh kernel would see them.
    """

    # openpyxl (for results.xlsx, written last) is imported on a thread of its own, so the
    # first cells need not wait for it.
    WARM_UP = (SKIP_UNUSED_IMPORTS +
               "import importlib, threading, vl_convert\n"
               "threading.Thread(target=vl_convert.vegalite_to_svg,\n"
               "                 args=({'mark': 'point', 'data': {'values': []}},)).start()\n"
               "import coprod_eval.pipeline, coprod_eval.render.notebook\n"
               "import coprod_eval.runs.bookkeeping\n"
               "threading.Thread(target=importlib.import_module, args=('openpyxl',),\n"
               "                 daemon=True).start()\n"
               # the word lists quotes are judged against (a second or so), read meanwhile
               "import coprod_eval.disclosure.safewords as _sw\n"
               "threading.Thread(target=lambda: (_sw.places(), _sw.given_names(),\n"
               "                                 _sw.zipf('the')), daemon=True).start()\n")

    def __init__(self, name: str, cwd: Path):
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self.name = name
        self._run_sync = run_sync
        self.manager = AsyncKernelManager(kernel_name=name)
        # The kernel's own log lines (not cell output, which papermill records) stay quiet.
        run_sync(self.manager.start_kernel)(cwd=str(cwd), stderr=subprocess.DEVNULL)
        self._client = self.manager.blocking_client()
        # Only the shell channel: no heartbeat thread that could still be opening its socket
        # when a run that fails validation shuts the kernel down at once.
        self._client.start_channels(shell=True, iopub=False, stdin=False, hb=False,
                                    control=False)
        self._client.execute(self.WARM_UP, silent=True, store_history=False)

    def shutdown(self) -> None:
        self._client.stop_channels()
        if self._run_sync(self.manager.is_alive)():
            # Nothing in the kernel needs saving: the notebooks are written already.
            self._run_sync(self.manager.shutdown_kernel)(now=True)
