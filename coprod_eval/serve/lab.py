"""``coprod-eval lab``: the evaluation folder in JupyterLab, at a run's notebook.

JupyterLab runs on loopback only, with a fresh token, rooted at the evaluation folder, and
opens the latest (or a named) run's ``evaluation.ipynb``. Run notebooks are signed when the
run writes them, so Lab shows their charts and styles (trusted) without ``jupyter trust``.
Lab's two calls off the machine (its news feed and its check for a newer version) are off,
and it does not ask about them: a settings folder of the session's own carries that default
(beside a copy of any settings the environment has, which still win).
Re-executing a finished run's notebook writes nothing into it (see render.notebook), and Lab
cannot save over it: every file of a finished run is read-only here (serve/labcontents.py),
and Lab's checkpoints are kept in the session's own folder, never in the evaluation's.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

from .voila import find_run, foreground, free_port

HOST = "127.0.0.1"
NOTEBOOK = "evaluation.ipynb"


# Lab's own defaults for this session: no news, no update check, and no toast asking.
OFFLINE_SETTINGS = {"@jupyterlab/apputils-extension:notification": {
    "fetchNews": "false", "checkForUpdates": False}}


def settings_dir(where: Path) -> Path:
    """Lab's settings for this session: the environment's (if any), and OFFLINE_SETTINGS as
    defaults the environment's own overrides still override."""
    from jupyterlab.labapp import LabApp

    settings = where / "settings"
    existing = Path(LabApp().app_settings_dir)
    if existing.is_dir():
        shutil.copytree(existing, settings)
    (settings / "overrides.d").mkdir(parents=True, exist_ok=True)
    (settings / "overrides.d" / "coprod-eval-offline.json").write_text(
        json.dumps(OFFLINE_SETTINGS, indent=2), encoding="utf-8")
    return settings


def lab_command(folder: Path, *, port: int, token: str, settings: Path) -> list[str]:
    # in a container one often is root; Jupyter refuses that unless told
    as_root = ["--ServerApp.allow_root=True"] if hasattr(os, "geteuid") and os.geteuid() == 0 \
        else []
    return [
        sys.executable, "-m", "jupyterlab", "--no-browser",
        f"--ServerApp.root_dir={folder}", f"--ServerApp.ip={HOST}", f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
        f"--LabApp.app_settings_dir={settings}",
        # the session's own workspace: only the run's notebook opens, not last session's tabs
        f"--LabApp.workspaces_dir={settings.parent / 'workspaces'}",
        # a finished run is read-only in Lab (serve/labcontents.py), and Lab's checkpoints are
        # kept outside the evaluation folder: opening a run leaves nothing in it
        "--ServerApp.contents_manager_class="
        "coprod_eval.serve.labcontents.FinishedRunsReadOnly",
        "--FileContentsManager.checkpoints_class="
        "coprod_eval.serve.labcontents.SessionCheckpoints",
        f"--FileCheckpoints.checkpoint_dir={settings.parent / 'checkpoints'}",
        "--Application.log_level=WARN", *as_root,
    ]


def lab_url(folder: Path, run_folder: Path, *, port: int, token: str) -> str:
    relative = (run_folder / NOTEBOOK).relative_to(folder).as_posix()
    return f"http://{HOST}:{port}/lab/tree/{quote(relative)}?token={token}"


def lab(folder: str | Path, *, run: str | None = None, port: int | None = None) -> int:
    """Start JupyterLab in the foreground on ``folder``; print the URL; return its exit code."""
    folder = Path(folder).resolve()
    run_folder = find_run(folder, run)
    port = port or free_port(HOST)
    token = secrets.token_urlsafe(24)
    print(f"Opening run {run_folder.name} of {folder} in JupyterLab", flush=True)
    print(f"Open: {lab_url(folder, run_folder, port=port, token=token)}", flush=True)
    print("Press Ctrl+C to stop.", flush=True)
    with tempfile.TemporaryDirectory(prefix="coprod-eval-lab-") as where:
        command = lab_command(folder, port=port, token=token, settings=settings_dir(Path(where)))
        return foreground(command, cwd=folder, env=dict(os.environ))
