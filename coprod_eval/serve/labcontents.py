"""JupyterLab's files as ``coprod-eval lab`` serves them: a finished run is read-only.

Lab saves what it shows: by hand, and every two minutes by itself. A finished run's notebook is
the record of that run, so this contents manager tells Lab that every file of a finished run is
not writable (Lab then marks the notebook read-only and never autosaves it) and refuses any
save, rename, deletion, copy or new file inside a run (or under runs/) with a one-line
reason, and never moves or deletes a folder holding runs. The rest of the
evaluation folder behaves as usual. Lab's checkpoints are kept outside the folder by the
launcher (serve/lab.py), so opening a run leaves nothing in it.
"""

from __future__ import annotations

import os
from pathlib import Path

from jupyter_server.services.contents.filecheckpoints import AsyncFileCheckpoints
from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager
from tornado import web

from ..runs.folder import RUNS_DIR, finished_run_holding

READ_ONLY = ("{path} is in run {run}, a finished run: coprod-eval never changes it. Keep a "
             "copy with File > Save Notebook As..., outside runs/")
HOLDS_RUNS = ("{path} holds finished runs: coprod-eval never moves or deletes them from Lab "
              "(a run is deleted by hand: chmod -R u+w, then rm -r)")
INTO_RUNS = ("{path} is in runs/, where only coprod-eval run makes folders: copy it anywhere "
             "else in the evaluation folder")


class SessionCheckpoints(AsyncFileCheckpoints):
    """Lab's checkpoints in the session's own folder (checkpoint_dir, absolute), each under
    the folder of the file it belongs to, so two notebooks of one name never share one."""

    def checkpoint_path(self, checkpoint_id, path):
        parent, name = ("/" + path.strip("/")).rsplit("/", 1)
        stem, suffix = os.path.splitext(name)
        folder = os.path.join(self.checkpoint_dir, parent.strip("/"))
        os.makedirs(folder, exist_ok=True)
        return os.path.join(folder, f"{stem}-{checkpoint_id}{suffix}")


class FinishedRunsReadOnly(AsyncLargeFileManager):
    """Lab's contents manager, with every finished run read-only."""

    def _os_path(self, path: str) -> Path:
        return Path(self._get_os_path(path.strip("/"))).resolve()

    def _run_of(self, path: str) -> Path | None:
        return finished_run_holding(self._os_path(path))

    def _refuse(self, *paths: str) -> None:
        for path in paths:
            run = self._run_of(path)
            if run is not None:
                # the sentence is the reply's message, which Lab shows
                raise web.HTTPError(403, READ_ONLY.format(path=path.strip("/"), run=run.name))

    def _refuse_moving_runs(self, path: str) -> None:
        """A folder that holds finished runs (runs/ itself, or a folder above it) is never
        moved or deleted from Lab."""
        where = self._os_path(path)
        if where.is_dir() and (where.name == RUNS_DIR or any(where.rglob(RUNS_DIR))):
            raise web.HTTPError(403, HOLDS_RUNS.format(path=path.strip("/") or "/"))

    async def get(self, path, content=True, type=None, format=None, **kwargs):
        model = await super().get(path, content=content, type=type, format=format, **kwargs)
        if self._run_of(path) is not None:
            model["writable"] = False
        if model.get("type") == "directory" and isinstance(model.get("content"), list):
            for child in model["content"]:
                if self._run_of(child["path"]) is not None:
                    child["writable"] = False
        return model

    async def save(self, model, path=""):
        self._refuse(path)
        self._refuse_into_runs(path)
        return await super().save(model, path)

    async def delete_file(self, path):
        self._refuse(path)
        self._refuse_moving_runs(path)
        return await super().delete_file(path)

    async def rename_file(self, old_path, new_path):
        self._refuse(old_path, new_path)
        self._refuse_moving_runs(old_path)
        self._refuse_into_runs(new_path)
        return await super().rename_file(old_path, new_path)

    async def copy(self, from_path, to_path=None):
        self._refuse(to_path or from_path)
        self._refuse_into_runs(to_path or from_path)
        return await super().copy(from_path, to_path)

    def _refuse_into_runs(self, path: str) -> None:
        """Nothing new appears under runs/ but what coprod-eval run makes: a copy there
        could pass for a finished run."""
        where, root = self._os_path(path), Path(self.root_dir).resolve()
        if where.is_relative_to(root) and RUNS_DIR in where.relative_to(root).parts:
            raise web.HTTPError(403, INTO_RUNS.format(path=path.strip("/")))

    async def restore_checkpoint(self, checkpoint_id, path):
        self._refuse(path)
        return await super().restore_checkpoint(checkpoint_id, path)
