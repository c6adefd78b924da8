"""Where the package's data, notebooks and templates live, in a checkout or an install."""

from __future__ import annotations

import json
import sys
from functools import cache
from importlib import resources
from pathlib import Path

PACKAGE_DATA = Path(str(resources.files("coprod_eval") / "data"))
MANIFEST_FILE = "manifest.json"  # in a run folder; written last, so it marks a finished run
PROVENANCE_FILE = "provenance.json"  # in a run folder: the bytes parsed, whose evidence
_CHECKOUT = Path(__file__).resolve().parents[2]
_SHARE = Path(sys.prefix) / "share"


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.exists():
            return candidate
    return candidates[0]


def notebooks_dir() -> Path:
    """The notebook suite: the checkout's ``notebooks/`` or the installed copy."""
    return _first_existing(_CHECKOUT / "notebooks", _SHARE / "coprod-eval" / "notebooks")


def samples_dir() -> Path:
    """The sample evaluations: the checkout's ``data_samples/`` or the installed copy."""
    return _first_existing(_CHECKOUT / "data_samples", _SHARE / "coprod-eval" / "samples")


def sample_names() -> list[str]:
    folder = samples_dir()
    return sorted(p.name for p in folder.iterdir() if (p / "evaluation.yaml").is_file()) \
        if folder.is_dir() else []


def jupyter_data_dir() -> Path:
    """A Jupyter data root holding ``voila/templates/coprod-eval`` (for ``JUPYTER_PATH``)."""
    return _first_existing(_CHECKOUT / "templates", _SHARE / "jupyter")


def voila_template_dir() -> Path:
    return jupyter_data_dir() / "voila" / "templates" / "coprod-eval"


def resolve_builtin(kind: str, ref: str, base: Path | None = None) -> Path | None:
    """A built-in id of ``kind`` ("frameworks", "ladders") or a path (relative to ``base``)
    → the file, or None."""
    if ref in builtin_ids(kind):
        return PACKAGE_DATA / kind / f"{ref}.yaml"
    path = Path(ref) if base is None else base / ref
    return path if path.is_file() else None


def builtin_ids(kind: str) -> list[str]:
    """The ids of the built-in frameworks, ladders or instruments (``kind`` is the data
    folder: "frameworks", "ladders", "instruments")."""
    return sorted(p.stem for p in (PACKAGE_DATA / kind).glob("*.yaml"))


@cache
def schema(name: str) -> dict:
    """A JSON Schema shipped with the package, e.g. ``schema("results")``."""
    return json.loads((PACKAGE_DATA / "schemas" / f"{name}.schema.json").read_text("utf-8"))


@cache
def stylesheet() -> str:
    """The report's styles, shared by report.html, the notebooks and the app."""
    return (voila_template_dir() / "static" / "coprod.css").read_text("utf-8")


def results_schema_path() -> Path:
    return PACKAGE_DATA / "schemas" / "results.schema.json"


def input_name(path: Path, folder: Path) -> str:
    """How the manifest names a file that was read: relative to the evaluation folder, as
    ``<built-in>/…`` when it ships with coprod-eval, and by its real path otherwise."""
    real = Path(path).resolve()
    if real.is_relative_to(Path(folder).resolve()):
        return real.relative_to(Path(folder).resolve()).as_posix()
    if real.is_relative_to(PACKAGE_DATA.resolve()):
        return "<built-in>/" + real.relative_to(PACKAGE_DATA.resolve()).as_posix()
    return real.as_posix()


def report_template_dir() -> Path:
    return _first_existing(_CHECKOUT / "templates" / "report",
                           _SHARE / "coprod-eval" / "templates" / "report")


def link_or_copy(source: Path, target: Path) -> Path:
    """``target`` made the same file as ``source``: a hard link where the file system
    allows (no copy; our published files are never rewritten), else a copy."""
    import os
    import shutil

    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
    return target
