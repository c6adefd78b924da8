"""The notebook contract: thin, documented parameters, no committed outputs; each notebook
runs under papermill on a sample, and nbval (--nbval-lax) passes over what it produced."""

from __future__ import annotations

import ast
import json
import subprocess
import sys

import papermill
import pytest
from conftest import GENUINE, GOLDEN, REPO, SAMPLES

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
FORBIDDEN = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.For,
             ast.AsyncFor, ast.While, ast.ListComp, ast.SetComp, ast.DictComp,
             ast.GeneratorExp)


def code_cells(path):
    return [c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]


def test_there_are_notebooks():
    assert {p.name for p in NOTEBOOKS} == {"evaluation.ipynb", "app.ipynb", "portfolio.ipynb"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_thin(path):
    for cell in code_cells(path):
        source = "".join(cell["source"])
        tree = ast.parse(source)
        bad = [type(n).__name__ for n in ast.walk(tree) if isinstance(n, FORBIDDEN)]
        assert not bad, f"logic belongs in coprod_eval, not in a notebook cell: {bad}\n{source}"
        if "parameters" not in cell["metadata"].get("tags", []):
            calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
            outer = [c for c in calls if not any(c in ast.walk(o) and c is not o for o in calls)]
            assert len(outer) <= 1, f"one call per cell:\n{source}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    for cell in code_cells(path):
        assert cell["outputs"] == [] and cell["execution_count"] is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_parameters_are_typed_and_documented(path):
    tagged = [c for c in code_cells(path) if "parameters" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1
    params = papermill.inspect_notebook(str(path))
    assert params
    for name, spec in params.items():
        assert spec["inferred_type_name"] not in ("None", None), name
        assert spec["help"], f"parameter {name} needs a trailing # help comment"


def test_help_notebook_lists_parameters():
    done = subprocess.run([sys.executable, "-m", "papermill", "--help-notebook",
                           str(REPO / "notebooks" / "evaluation.ipynb")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0
    for name in ("evaluation_dir", "output_dir", "seed", "permutations",
                 "chart_renderer"):
        assert name in done.stdout
    assert "random seed" in done.stdout


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Each notebook executed by papermill on a sample, as a user would without the CLI."""
    out = tmp_path_factory.mktemp("executed")
    params_file = out / "params.yaml"
    params_file.write_text(f"evaluation_dir: {SAMPLES / GENUINE}\noutput_dir: {out / 'outputs'}\n")
    done = subprocess.run([sys.executable, "-m", "papermill", "--no-progress-bar",
                           str(REPO / "notebooks" / "evaluation.ipynb"),
                           str(out / "evaluation.ipynb"), "-f", str(params_file)],
                          capture_output=True, text=True, timeout=300, cwd=out)
    assert done.returncode == 0, done.stderr
    done = subprocess.run([sys.executable, "-m", "papermill", "--no-progress-bar",
                           str(REPO / "notebooks" / "app.ipynb"), str(out / "app.ipynb"),
                           "-p", "results_path", str(out / "outputs" / "results.json")],
                          capture_output=True, text=True, timeout=300, cwd=out)
    assert done.returncode == 0, done.stderr
    # the portfolio app's notebook, on a portfolio of one project (evaluated in-process)
    import shutil

    from coprod_eval.portfolio.evaluate import DATA_FILE, run_portfolio

    shutil.copytree(SAMPLES / GENUINE, out / "portfolio" / GENUINE,
                    ignore=shutil.ignore_patterns("runs"))
    info = run_portfolio(out / "portfolio", progress=False)
    done = subprocess.run([sys.executable, "-m", "papermill", "--no-progress-bar",
                           str(REPO / "notebooks" / "portfolio.ipynb"),
                           str(out / "portfolio.ipynb"), "-p", "data_path",
                           str(info.folder / DATA_FILE)],
                          capture_output=True, text=True, timeout=300, cwd=out)
    assert done.returncode == 0, done.stderr
    return out


def test_the_portfolio_notebook_draws_the_portfolio(executed):
    shown = (executed / "portfolio.ipynb").read_text()
    assert "This is not a league table" in shown and "Riverside Peer Recovery Service" in shown
    assert "heatmap-nesta_nef_six" in shown  # the heat map's table, in the widget's state


def test_papermill_outputs_match_golden_results(executed):
    written = (executed / "outputs" / "results.json").read_text()
    assert written == (GOLDEN / f"{GENUINE}.results.json").read_text()
    assert (executed / "outputs" / "report.html").stat().st_size > 10_000


def test_nbval_lax_passes_on_executed_notebooks(executed):
    done = subprocess.run([sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env",
                           "-p", "no:cacheprovider", "-q", "-W", "ignore::DeprecationWarning",
                           str(executed / "evaluation.ipynb"), str(executed / "app.ipynb"),
                           str(executed / "portfolio.ipynb")],
                          capture_output=True, text=True, timeout=600, cwd=executed)
    assert done.returncode == 0, done.stdout[-3000:]
    assert " passed" in done.stdout and " failed" not in done.stdout


def test_the_app_notebook_with_no_run_says_how_to_open_one(tmp_path):
    """Plain `voila notebooks/app.ipynb` (no parameters): a page on how to open a run, not
    test data and not an error."""
    done = subprocess.run([sys.executable, "-m", "papermill", "--no-progress-bar",
                           str(REPO / "notebooks" / "app.ipynb"), str(tmp_path / "app.ipynb")],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    shown = (tmp_path / "app.ipynb").read_text()
    assert "No run is open." in shown and "coprod-eval serve EVALUATION_FOLDER" in shown
    assert "Claim" not in shown  # no verdict from any sample or test data
