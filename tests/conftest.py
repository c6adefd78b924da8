"""Shared fixtures: copies of the bundled samples, so no test writes into the repository."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "data_samples"
GOLDEN = Path(__file__).resolve().parent / "golden"
ARTIFACTS = REPO / "test-artifacts"
GENUINE = "genuine-coproduction"
INVOLVEMENT = "involvement-as-coproduction"
PARTIAL = "partial-evidence"


def copy_sample(name: str, where: Path) -> Path:
    target = where / name
    shutil.copytree(SAMPLES / name, target, ignore=shutil.ignore_patterns("runs"))
    return target


@pytest.fixture
def genuine(tmp_path) -> Path:
    return copy_sample(GENUINE, tmp_path)


@pytest.fixture
def involvement(tmp_path) -> Path:
    return copy_sample(INVOLVEMENT, tmp_path)


def checksums(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder`` except run folders."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and "runs" not in p.parts}


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
