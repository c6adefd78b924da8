"""The package's shape: its folders are its layers, and they read as the pipeline does —

    base ─► disclosure ─► yardsticks ─► inputs ─► results ─► compute ─► pipeline
         ─► render (words, then pages) ─► runs ─► prepare ─► portfolio ─► serve ─► cli

A module imports only modules of its own layer or below (imports inside functions count
too), there is no import cycle, every module sits in a layer's folder, and what computes
findings (``compute/``) is reached from above only through ``pipeline.py``."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "coprod_eval"

# lowest first: (layer, the folders or top-level modules it is made of)
LAYERS = [
    ("base", ["base"]),
    ("disclosure", ["disclosure"]),
    ("yardsticks", ["yardsticks"]),
    ("inputs", ["inputs"]),
    ("results", ["results", "results_upgrade"]),
    ("compute", ["compute"]),
    ("pipeline", ["pipeline"]),
    ("words", ["render.words"]),  # the words layer reads results (and the yardstick's data)
    ("render", ["render"]),
    ("runs", ["runs"]),
    ("prepare", ["prepare"]),
    ("portfolio", ["portfolio"]),
    ("serve", ["serve"]),
    ("command line", ["cli", "__main__"]),
]
TOP_LEVEL = {"", "__main__", "pipeline", "results", "results_upgrade"}  # the rest in folders


def layer_of(module: str) -> int | None:
    """The layer a module belongs to: the longest folder (or module) name it starts with."""
    best, length = None, -1
    for i, (_, parts) in enumerate(LAYERS):
        for part in parts:
            if (module == part or module.startswith(part + ".")) and len(part) > length:
                best, length = i, len(part)
    return best


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules that ``name`` imports, anywhere in the file."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - (node.level - 1)]
            stem = base + (node.module.split(".") if node.module else [])
            for alias in node.names:
                for candidate in (".".join(stem + [alias.name]), ".".join(stem)):
                    if candidate in known:
                        out.add(candidate)
                        break
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""])
            for full in names:
                if full.startswith("coprod_eval."):
                    inner = full.removeprefix("coprod_eval.")
                    if inner in known:
                        out.add(inner)
    out.discard(name)
    out.discard("")  # the package itself (its __version__)
    return out


def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: imports(name, path, known) for name, path in found.items() if name}


def test_every_module_has_a_layer_and_sits_in_its_folder():
    found = graph()
    unplaced = sorted(name for name in found if layer_of(name) is None)
    assert not unplaced, f"give these modules a layer in {__file__}: {unplaced}"
    loose = sorted(name for name in modules() if "." not in name and name not in TOP_LEVEL
                   and not (PACKAGE / name).is_dir())
    assert not loose, f"put these modules in their layer's folder: {loose}"


def test_no_module_imports_a_layer_above_it():
    upward = [f"{name} ({LAYERS[layer_of(name)][0]}) imports {target} "
              f"({LAYERS[layer_of(target)][0]})"
              for name, targets in graph().items() for target in sorted(targets)
              if layer_of(target) > layer_of(name)]
    assert not upward, "\n".join(upward)


def test_compute_is_reached_from_above_only_through_the_pipeline():
    pipeline = layer_of("pipeline")
    around = [f"{name} imports {target}" for name, targets in graph().items()
              if layer_of(name) > pipeline for target in sorted(targets)
              if target.startswith("compute")]
    assert not around, "call pipeline.py instead:\n" + "\n".join(around)


def test_no_import_cycle():
    edges = graph()
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node):
        state[node] = 1
        path.append(node)
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                cycle = path[path.index(target):] + [target]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target)
        path.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)


def test_no_format_name_is_compared_outside_the_registry():
    """Survey tools and layouts are data in inputs/survey/formats.py: nowhere else compares
    a format's or a layout's name."""
    import re

    tools = ("redcap", "qualtrics", "smartsurvey", "google_forms", "microsoft_forms")
    # a layout (our own template, a long or a wide table) is asked for its properties
    name = r"""["'](coprod|long|wide)["']"""
    layout = re.compile(rf"(==|!=)\s*{name}|{name}\s*(==|!=)")
    offenders = []
    for name, path in modules().items():
        if name == "inputs.survey.formats":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#")[0]
            if any(f'"{tool}"' in code or f"'{tool}'" in code for tool in tools) or \
                    layout.search(code):
                offenders.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_evaluation_yaml_admits_exactly_the_registrys_formats():
    import json

    from coprod_eval.inputs.survey.formats import FORMAT_IDS

    schema = json.loads((PACKAGE / "data" / "schemas" / "evaluation.schema.json").read_text())
    survey = schema["properties"]["evidence"]["properties"]["survey"]["properties"]
    assert set(survey["format"]["enum"]) == set(FORMAT_IDS)


def test_evaluations_evidence_and_results_pickle_and_read_back_the_same():
    """Everything the pipeline makes crosses a process boundary (a portfolio worker, a
    kernel): an evaluation, its evidence, its result and the three together pickle, and
    read back give the same result."""
    import pickle

    from conftest import SAMPLES

    from coprod_eval.pipeline import evaluate_folder

    folders = sorted(p for p in SAMPLES.iterdir() if (p / "evaluation.yaml").is_file())
    assert len(folders) >= 5
    for folder in folders:
        evaluated = evaluate_folder(folder)
        again = pickle.loads(pickle.dumps(evaluated))
        assert again.result.to_json() == evaluated.result.to_json()
        assert again.evaluation.inputs == evaluated.evaluation.inputs
        assert again.evidence.notes == evaluated.evidence.notes


def test_every_reader_collects_its_problems_in_the_one_collector():
    """Problems are collected in errors.Problems (grouped, capped, printed one way), never
    in a list a reader keeps of its own."""
    import re

    own_list = re.compile(r"\bproblems(: list(\[Problem\])?)? = (\[\]|list\(\))")
    offenders = [f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
                 for name, path in modules().items()
                 for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
                 if own_list.search(line)]
    assert not offenders, "use errors.Problems():\n" + "\n".join(offenders)


def test_the_evidence_streams_are_listed_once_in_their_registry():
    """yardsticks/streams.py lists the streams; nowhere else lists them again (a line naming
    three or more is a list), and every stream has its words and its scaffold."""
    import re

    from coprod_eval.prepare.scaffold import STREAM_ENTRIES
    from coprod_eval.render.words.names import STREAM_NAMES
    from coprod_eval.yardsticks.streams import STREAM_IDS

    ids = "|".join(STREAM_IDS)
    quoted = re.compile(rf"""["']({ids})["']""")
    offenders = [f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
                 for name, path in modules().items() if name != "yardsticks.streams"
                 for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
                 if len(set(quoted.findall(line.split("#")[0]))) >= 3]
    assert not offenders, "ask yardsticks/streams.py instead:\n" + "\n".join(offenders)
    assert set(STREAM_NAMES) == set(STREAM_IDS)
    assert set(STREAM_ENTRIES) == set(STREAM_IDS)


def test_init_proposes_a_mapping_against_the_groups_it_writes(tmp_path):
    """The groups init --from matches an export's answers to are the ones evaluation.yaml
    is written with (data in one place: the template), each with its side declared."""
    import yaml

    from coprod_eval.prepare.scaffold import DEFAULT_GROUPS, init

    folder = init(tmp_path / "new")
    written = yaml.safe_load((folder / "evaluation.yaml").read_text())["groups"]
    assert [(key, g["code"], g["label"], g["side"]) for key, g in written.items()] == [
        (g.id, g.code, g.label, g.side) for g in DEFAULT_GROUPS]


def test_a_run_starts_its_kernel_before_importing_the_heavy_libraries():
    """coprod-eval run starts the notebook's kernel first and imports pandas, altair and
    scipy while it warms up: the modules it needs before that import none of them (one
    stray import cost every run two seconds)."""
    import subprocess
    import sys

    code = ("import sys, coprod_eval.cli, coprod_eval.cli.running, coprod_eval.runs.run, "
            "coprod_eval.runs.engines\n"
            "print(sorted(m for m in ('altair', 'pandas', 'scipy', 'jinja2') "
            "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]", done.stdout


def test_run_folders_are_written_in_one_place_and_rendering_keeps_no_books():
    """Only runs/folder.py makes, publishes or fails a run folder (a project's or a
    portfolio's); the run's own records (provenance, the people key, the anonymisation log)
    are written by runs/bookkeeping.py, and nothing in render/ names them."""
    import re

    making = re.compile(r"""f?["']\.(incomplete|failed)-""")
    records = re.compile(r"PROVENANCE_FILE|ANONYMISATION_LOG|PEOPLE_KEY|people-key|"
                         r"anonymisation-log\.json|provenance\.json")
    found = []
    for name, path in modules().items():
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            code = line.split("#")[0]
            if making.search(code) and name != "runs.folder":
                found.append(f"{name}:{number}: makes a run folder: {line.strip()}")
            if records.search(code) and name.startswith("render"):
                found.append(f"{name}:{number}: keeps a run's records: {line.strip()}")
    assert not found, "\n".join(found)
