"""``coprod-eval serve``: the Voila report app on one run, with the project's template.

Voila serves a folder made for the purpose holding only ``app.ipynb`` (with the run's
results path injected as its parameter), so no evidence file, executed notebook or other
run is reachable over HTTP.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

from ..base.errors import CoprodEvalError, UsageError
from ..base.paths import jupyter_data_dir, link_or_copy, notebooks_dir
from ..inputs.responses import by_truth, load_responses
from ..inputs.rounds import comparison_withheld, previous_run
from ..render.pdf import write_pdf
from ..runs.folder import completed_runs

TEMPLATE = "coprod-eval"
APP_NOTEBOOK = "app.ipynb"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
# JupyterLab extensions Voila would load into the page that the app does not use (Lab's
# Voila preview; code highlighting, with no code shown): less to load, fewer warnings.
UNUSED_EXTENSIONS = ("@voila-dashboards/jupyterlab-preview", "jupyterlab_pygments")
# The only files Voila offers from the app's folder (relative to the page's URL).
FILES_URL = "voila/files/"
FILES_ALLOWED = r"report\.(html|pdf)|projects/[0-9]{4}/report\.html"
NO_RUNS = "{folder} has no finished run yet; make one with: coprod-eval run {folder}"
NO_SUCH_RUN = "{folder} has no finished run called '{run}'; finished runs: {runs}"
SUPERSEDED = ("run {run} is not served: {why}. Make a run without their evidence with: "
              "coprod-eval run {folder}")


def find_run(folder: str | Path, run: str | None = None, *, shown: bool = False) -> Path:
    """A finished run of the evaluation: the one named, or the latest. ``shown``: the run
    is about to be shown to others (the app), so a run superseded by a withdrawal is
    refused — it holds the evidence of someone who withdrew."""
    runs = completed_runs(folder)
    if not runs:
        raise UsageError(NO_RUNS.format(folder=folder))
    found = runs[-1] if run is None else next((r for r in runs if r.name == run), None)
    if found is None:
        raise UsageError(NO_SUCH_RUN.format(folder=folder, run=run,
                                            runs=", ".join(r.name for r in runs)))
    if shown:
        from ..inputs.ledger import superseded_runs

        why = superseded_runs(Path(folder)).get(found.name)
        if why:
            raise UsageError(SUPERSEDED.format(run=found.name, why=why, folder=folder))
    return found


def prepare_app(run_folder: Path, where: Path, previous: Path | None = None,
                workshop: bool = False) -> Path:
    """Write app.ipynb into ``where``, parameterised with the run's files.

    report.pdf comes from the run when it has one; otherwise it is printed into ``where``
    (the run itself is never touched). Without Chromium the app says the PDF is unavailable.
    """
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    source = load_notebook_node(str(notebooks_dir() / APP_NOTEBOOK))
    # The app's folder holds copies of the two report files, which Voila offers by name
    # (FILES_ALLOWED): a link, not a megabyte of data URL in the page.
    report = Path(shutil.copyfile(run_folder / "report.html", where / "report.html"))
    pdf = run_folder / "report.pdf"
    if pdf.is_file():
        pdf = Path(shutil.copyfile(pdf, where / "report.pdf"))
    else:
        try:
            pdf = write_pdf(report, where / "report.pdf")
        except CoprodEvalError:
            pdf = None
    withheld = comparison_withheld(run_folder, previous) if previous else ""
    parameters = {
        "results_path": str((run_folder / "results.json").resolve()),
        "previous_results_path": (str((previous / "results.json").resolve())
                                  if previous and not withheld else ""),
        "comparison_withheld": withheld,
        "report_path": str(report.resolve()),
        "pdf_path": str(pdf.resolve()) if pdf else "",
        "files_url": FILES_URL,
        "workshop": workshop,
        # checked here: a responses file with a problem stops serve with the problem named
        "responses_json": json.dumps(by_truth(load_responses(run_folder.parent.parent,
                                                             run_folder))),
    }
    app = parameterize_notebook(source, parameters, report_mode=False)
    app.metadata["title"] = page_title(run_folder)
    target = where / APP_NOTEBOOK
    nbformat.write(app, target)
    return target


def page_title(run_folder: Path) -> str:
    """The browser tab's title: the project's name."""
    try:
        project = json.loads((run_folder / "results.json").read_text("utf-8"))["project"]
        return f"{project['name']}: co-production evaluation"
    except (OSError, ValueError, KeyError):
        return "Co-production evaluation"


NOISE = ("is not trusted", "without encryption", "Traceback", "zmq", "  File ",
         "KeyboardInterrupt", "asyncio", "Task was destroyed", "Kernel shutdown",
         "JupyterHub", "RuntimeWarning", "DeprecationWarning",
         "websocket_ping_timeout")


def _noise(line: str) -> bool:
    """Log lines meant for notebook-server administrators, not for someone serving a
    report: they are dropped."""
    return any(marker in line for marker in NOISE) or line.startswith((" ", "\t"))


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:
    """In the Voila child: be stopped if serve itself dies (Linux), so none is orphaned."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def voila_command(notebook: Path, *, host: str, port: int, token: str | None,
                  max_kernels: int = 0, idle_minutes: float = 10,
                  unconnected_seconds: int = 60) -> list[str]:
    """The app server (Voila with a kernel cap and culling, see appserver.py)."""
    manager = "CullingKernelManager"
    command = [
        sys.executable, "-m", "coprod_eval.serve.appserver", str(notebook), "--no-browser",
        f"--port={port}", f"--Voila.ip={host}", f"--template={TEMPLATE}", "--theme=light",
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.strip_sources=True",
        f"--VoilaConfiguration.file_allowlist=['{FILES_ALLOWED}']",
        f"--VoilaConfiguration.extension_denylist={list(UNUSED_EXTENSIONS)}",
        "--preheat_kernel=True", "--pool_size=1",
        "--VoilaConfiguration.multi_kernel_manager_class="
        f"coprod_eval.serve.appserver.{manager}",
        f"--AppServer.max_kernels={max_kernels}",
        f"--{manager}.cull_idle_timeout={int(idle_minutes * 60)}",
        f"--{manager}.cull_interval={max(5, min(60, unconnected_seconds // 2))}",
        f"--{manager}.cull_connected=True",
        f"--{manager}.unconnected_timeout={unconnected_seconds}",
        "--Application.log_level=WARN",
    ]
    if token:
        command.append(f"--token={token}")
    return command


PORTFOLIO_APP = "portfolio.ipynb"
NO_PORTFOLIO_RUN = ("{folder} has no finished portfolio run{named}; make one with: "
                    "coprod-eval portfolio {folder}")


def prepare_portfolio_app(portfolio_run: Path, where: Path) -> Path:
    """Write portfolio.ipynb into ``where``, with the portfolio run's report and, as links,
    its projects' reports: the only files the page offers (FILES_ALLOWED)."""
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    from ..portfolio.evaluate import DATA_FILE

    source = load_notebook_node(str(notebooks_dir() / PORTFOLIO_APP))
    shutil.copyfile(portfolio_run / "report.html", where / "report.html")
    if (portfolio_run / "report.pdf").is_file():
        shutil.copyfile(portfolio_run / "report.pdf", where / "report.pdf")
    # Voila serves no file reached through a symbolic link: each is linked or copied
    for report in sorted((portfolio_run / "projects").glob("*/report.html")):
        link_or_copy(report, where / report.relative_to(portfolio_run))
    app = parameterize_notebook(source, {
        "data_path": str((portfolio_run / DATA_FILE).resolve()), "files_url": FILES_URL},
        report_mode=False)
    data = json.loads((portfolio_run / DATA_FILE).read_text("utf-8"))
    app.metadata["title"] = f"{data['title']}: co-production across the portfolio"
    target = where / APP_NOTEBOOK
    nbformat.write(app, target)
    return target


def find_portfolio_run(folder: Path, run: str | None = None) -> Path | None:
    """The latest (or the named) finished portfolio run; None when ``folder`` is not a
    portfolio (it holds evaluation.yaml, or no portfolio-runs/)."""
    from ..portfolio.evaluate import PORTFOLIO_FILE, PORTFOLIO_RUNS, finished_portfolio_runs

    if (folder / "evaluation.yaml").is_file():
        return None
    if not (folder / PORTFOLIO_RUNS).is_dir() and not (
            (folder / PORTFOLIO_FILE).is_file() or any(folder.glob("*/evaluation.yaml"))):
        return None  # not a portfolio (one not yet run is told how to run it, below)
    done = finished_portfolio_runs(folder)
    if run:
        done = [p for p in done if p.name == run]
    if not done:
        raise UsageError(NO_PORTFOLIO_RUN.format(folder=folder,
                                                 named=f" called '{run}'" if run else ""))
    return done[-1]


def serve(folder: str | Path, *, run: str | None = None, host: str = "127.0.0.1",
          port: int | None = None, token: str | None = None, max_kernels: int = 0,
          idle_minutes: float = 10, unconnected_seconds: int = 60,
          workshop: bool = False) -> int:
    """Start Voila in the foreground; print the URL; return its exit code. A portfolio
    folder (with portfolio-runs/) gets the portfolio app on its latest portfolio run."""
    portfolio_run = find_portfolio_run(Path(folder), run)
    if portfolio_run is not None:
        run_folder, previous = portfolio_run, None
    else:
        run_folder = find_run(folder, run, shown=True)
        previous = previous_run(Path(folder), run_folder)  # in round 2 on: the previous round
    if host not in LOOPBACK and not token:
        token = secrets.token_urlsafe(24)
    port = port or free_port(host if host in LOOPBACK else "0.0.0.0")
    with tempfile.TemporaryDirectory(prefix="coprod-eval-app-") as where:
        notebook = (prepare_portfolio_app(run_folder, Path(where)) if portfolio_run else
                    prepare_app(run_folder, Path(where), previous, workshop))
        env = dict(os.environ)
        env["JUPYTER_PATH"] = os.pathsep.join(
            p for p in (str(jupyter_data_dir()), env.get("JUPYTER_PATH")) if p)
        query = f"?token={token}" if token else ""
        print(f"Serving {'portfolio run' if portfolio_run else 'run'} {run_folder.name} of "
              f"{Path(folder)}", flush=True)
        if host in LOOPBACK:
            print(f"Open the report app at: http://127.0.0.1:{port}/{query}", flush=True)
        else:
            shown = socket.gethostname() if host in ("0.0.0.0", "::") else host
            print(f"Open the report app at: http://{shown}:{port}/{query}", flush=True)
            print(f"(on this machine: http://127.0.0.1:{port}/{query}; anyone without the "
                  f"token is refused)", flush=True)
        print("Press Ctrl+C to stop.", flush=True)
        command = voila_command(notebook, host=host, port=port, token=token,
                                max_kernels=max_kernels, idle_minutes=idle_minutes,
                                unconnected_seconds=unconnected_seconds)
        return foreground(command, cwd=Path(where), env=env)


def foreground(command: list[str], *, cwd: Path, env: dict[str, str]) -> int:
    """Run a Jupyter server in the foreground, its log without the noise; return its exit
    code. Stopping us (Ctrl+C, or SIGINT or SIGTERM even in the background, even mid
    start-up) stops the server and its kernels with it."""
    started: list[subprocess.Popen] = []

    def stop(*_):
        for process in started:
            process.terminate()
        raise SystemExit(0)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        process = subprocess.Popen(command, cwd=cwd, env=env, preexec_fn=_die_with_parent,
                                   stderr=subprocess.PIPE, text=True)
        started.append(process)
        for line in process.stderr:  # the server's own warnings, without the noise
            if not _noise(line):
                sys.stderr.write(line)
        return process.wait()
    except SystemExit:
        return 0
    finally:
        for process in started:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
            try:  # what it logged while being stopped is not lost
                sys.stderr.writelines(line for line in process.stderr.read().splitlines(True)
                                      if not _noise(line))
            except (OSError, ValueError):
                pass
        for sig, handler in previous.items():
            signal.signal(sig, handler)
