"""``coprod-eval serve``: the Voila report app on one run, with the project's template.

Voila serves a folder made for the purpose holding only ``app.ipynb`` (with the run's
results path injected as its parameter), so no evidence file, executed notebook or other
run is reachable over HTTP.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

from .errors import CoprodEvalError, UsageError
from .pdf import write_pdf
from .paths import jupyter_data_dir, notebooks_dir
from .runner import completed_runs

TEMPLATE = "coprod-eval"
APP_NOTEBOOK = "app.ipynb"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
NO_RUNS = "{folder} has no finished run yet; make one with: coprod-eval run {folder}"
NO_SUCH_RUN = "{folder} has no finished run called '{run}'; finished runs: {runs}"


def find_run(folder: str | Path, run: str | None = None) -> Path:
    runs = completed_runs(folder)
    if not runs:
        raise UsageError(NO_RUNS.format(folder=folder))
    if run is None:
        return runs[-1]
    for candidate in runs:
        if candidate.name == run:
            return candidate
    raise UsageError(NO_SUCH_RUN.format(folder=folder, run=run,
                                        runs=", ".join(r.name for r in runs)))


def prepare_app(run_folder: Path, where: Path, previous: Path | None = None) -> Path:
    """Write app.ipynb into ``where``, parameterised with the run's files.

    report.pdf comes from the run when it has one; otherwise it is printed into ``where``
    (the run itself is never touched). Without Chromium the app says the PDF is unavailable.
    """
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    source = load_notebook_node(str(notebooks_dir() / APP_NOTEBOOK))
    pdf = run_folder / "report.pdf"
    if not pdf.is_file():
        try:
            pdf = write_pdf(run_folder / "report.html", where / "report.pdf")
        except CoprodEvalError:
            pdf = None
    parameters = {
        "results_path": str((run_folder / "results.json").resolve()),
        "previous_results_path": str((previous / "results.json").resolve()) if previous else "",
        "report_path": str((run_folder / "report.html").resolve()),
        "pdf_path": str(pdf.resolve()) if pdf else "",
    }
    app = parameterize_notebook(source, parameters, report_mode=False)
    target = where / APP_NOTEBOOK
    nbformat.write(app, target)
    return target


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:
    """In the Voila child: be stopped if serve itself dies (Linux), so none is orphaned."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def voila_command(notebook: Path, *, host: str, port: int, token: str | None) -> list[str]:
    command = [
        sys.executable, "-m", "voila", str(notebook), "--no-browser",
        f"--port={port}", f"--Voila.ip={host}", f"--template={TEMPLATE}", "--theme=light",
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.strip_sources=True",
        "--preheat_kernel=True", "--pool_size=1",
        "--MappingKernelManager.cull_idle_timeout=600",
        "--MappingKernelManager.cull_interval=60",
        "--MappingKernelManager.cull_connected=False",
    ]
    if token:
        command.append(f"--token={token}")
    return command


def serve(folder: str | Path, *, run: str | None = None, host: str = "127.0.0.1",
          port: int | None = None, token: str | None = None) -> int:
    """Start Voila in the foreground; print the URL; return its exit code."""
    run_folder = find_run(folder, run)
    earlier = [r for r in completed_runs(folder) if r.name < run_folder.name]
    previous = earlier[-1] if earlier else None
    if host not in LOOPBACK and not token:
        token = secrets.token_urlsafe(24)
    port = port or free_port(host if host in LOOPBACK else "0.0.0.0")
    with tempfile.TemporaryDirectory(prefix="coprod-eval-app-") as where:
        notebook = prepare_app(run_folder, Path(where), previous)
        env = dict(os.environ)
        env["JUPYTER_PATH"] = os.pathsep.join(
            p for p in (str(jupyter_data_dir()), env.get("JUPYTER_PATH")) if p)
        query = f"?token={token}" if token else ""
        print(f"Serving run {run_folder.name} of {Path(folder)}", flush=True)
        if host in LOOPBACK:
            print(f"Open the report app at: http://127.0.0.1:{port}/{query}", flush=True)
        else:
            shown = socket.gethostname() if host in ("0.0.0.0", "::") else host
            print(f"Open the report app at: http://{shown}:{port}/{query}", flush=True)
            print(f"(on this machine: http://127.0.0.1:{port}/{query}; anyone without the "
                  f"token is refused)", flush=True)
        print("Press Ctrl+C to stop.", flush=True)
        # Stopping serve (Ctrl+C or a plain kill, even mid start-up) stops Voila and its
        # kernels with it.
        started: list[subprocess.Popen] = []
        previous = signal.signal(signal.SIGTERM,
                                 lambda *_: [p.terminate() for p in started] or sys.exit(0))
        try:
            process = subprocess.Popen(voila_command(notebook, host=host, port=port, token=token),
                                       cwd=where, env=env, preexec_fn=_die_with_parent)
            started.append(process)
            return process.wait()
        except KeyboardInterrupt:
            return 0
        finally:
            for process in started:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
            signal.signal(signal.SIGTERM, previous)
