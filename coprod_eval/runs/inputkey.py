"""What a run is made from, as one key: every file its evaluation folder may read, the
built-in yardsticks and this package's version. Every run records its key (manifest.json,
``cache_key``); ``coprod-eval portfolio`` evaluates a project again only when its key has
changed since its latest run."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .. import __version__

# Never inputs: the runs themselves, the responses to them (read when the store is
# written, not by an evaluation) and a portfolio's own outputs.
SKIPPED_DIRS = {"runs", "responses", "portfolio-runs", "__pycache__"}


def yardsticks_digest() -> str:
    """One digest of every built-in framework, ladder, instrument and truths.yaml, and of
    this package's version: changing any of them re-evaluates every project."""
    from ..base.paths import PACKAGE_DATA

    digest = hashlib.sha256(f"coprod-eval {__version__}\n".encode())
    for kind in ("frameworks", "ladders", "instruments"):
        for path in sorted((PACKAGE_DATA / kind).glob("*.yaml")):
            digest.update(f"{kind}/{path.name}\n".encode() + path.read_bytes())
    digest.update((PACKAGE_DATA / "truths.yaml").read_bytes())
    return digest.hexdigest()


def cache_key(folder: Path, yardsticks: str) -> str:
    """sha256 over every file the evaluation may read (the folder without its runs,
    responses and hidden files), with the yardsticks' digest: equal keys, equal results."""
    digest = hashlib.sha256(yardsticks.encode())
    for path in sorted(_inputs(folder)):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _inputs(folder: Path):
    for path in folder.iterdir():
        if path.name.startswith(".") or path.name in SKIPPED_DIRS:
            continue
        if path.is_dir():
            yield from _inputs(path)
        elif path.is_file():
            yield path
