"""JupyterLab's files as ``coprod-eval lab`` serves them: a finished run is read-only.

Lab saves what it shows: by hand, and every two minutes by itself. A finished run's notebook is
the record of that run, so this contents manager tells Lab that every file of a finished run is
not writable (Lab then marks the notebook read-only and never autosaves it) and refuses any
save, rename, deletion or new file inside a run with a one-line reason. The rest of the
evaluation folder behaves as usual. Lab's checkpoints are kept outside the folder by the
launcher (serve/lab.py), so opening a run leaves nothing in it.
"""

from __future__ import annotations

from pathlib import Path

from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager
from tornado import web

from ..runs.folder import finished_run_holding

READ_ONLY = ("{path} is in run {run}, a finished run: coprod-eval never changes it. Keep a "
             "copy with File > Save Notebook As…, outside runs/")


class FinishedRunsReadOnly(AsyncLargeFileManager):
    """Lab's contents manager, with every finished run read-only."""

    def _run_of(self, path: str) -> Path | None:
        return finished_run_holding(Path(self._get_os_path(path.strip("/"))))

    def _refuse(self, *paths: str) -> None:
        for path in paths:
            run = self._run_of(path)
            if run is not None:
                raise web.HTTPError(403, reason=READ_ONLY.format(path=path.strip("/"),
                                                                 run=run.name))

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
        return await super().save(model, path)

    async def delete_file(self, path):
        self._refuse(path)
        return await super().delete_file(path)

    async def rename_file(self, old_path, new_path):
        self._refuse(old_path, new_path)
        return await super().rename_file(old_path, new_path)

    async def restore_checkpoint(self, checkpoint_id, path):
        self._refuse(path)
        return await super().restore_checkpoint(checkpoint_id, path)
