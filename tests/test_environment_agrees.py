"""environment.yml (conda) and pyproject.toml (pip) ask for the same packages."""

from __future__ import annotations

import re
import tomllib

import yaml
from conftest import REPO


def _split(spec: str) -> tuple[str, str]:
    name, _, version = re.match(r"^([A-Za-z0-9_.\-]+)(\[[^\]]*\])?(.*)$", spec.strip()).groups()
    return name.lower().replace("_", "-"), version.strip()


# PyPI name → conda-forge name, where they differ (checked on anaconda.org/conda-forge)
CONDA_NAMES = {"playwright": "playwright-python", "duckdb": "python-duckdb"}


def test_conda_and_pip_dependencies_agree():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["test"]
    pip = {CONDA_NAMES.get(name, name): version for name, version in map(_split, declared)}
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    assert "conda-forge" in env["channels"]
    conda, pip_section = {}, None
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip_section = dep["pip"]
        else:
            name, version = _split(dep)
            if name not in ("python", "pip"):
                conda[name] = version
    assert conda == pip
    assert pip_section == ["-e ."], "the project itself is installed with pip"
