"""The package's shape: no import cycle, and no upward arrow — a module only imports modules
of its own layer or below (imports inside functions count too). The layers read as the
pipeline does, so a newcomer can name it from the file names."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "coprod_eval"

# lowest first; a module may import its own layer and the layers above it in this list
LAYERS = [
    ("base", {"errors", "paths", "identity", "privacy", "stats", "deidentify", "safewords",
              "frozen", "reliability", "safequote", "artefacts", "quotecheck", "startup"}),
    ("files", {"yamlfile", "tables", "ledger", "inputkey", "folderformat"}),
    ("yardstick", {"measures", "instrument", "ladder", "framework", "plan"}),
    ("loading", {"survey", "survey.formats", "survey.mapping", "survey.read", "survey.propose",
                 "survey.own",
                 "records",
                 "load", "evidence", "rounds", "responses"}),
    ("analysis", {"rating", "groups", "results", "upgrade", "settle", "truths", "assessment",
                  "quotes", "disagreement", "room"}),
    ("pipeline", {"pipeline"}),
    # the words layer reads results only (and the yardstick's data): one module a part
    ("words", {"render.words", *(f"render.words.{name}" for name in (
        "catalog", "names", "figures", "verdict", "methods", "principles", "comparisons",
        "truths", "robustness", "disagreement", "rounds", "easy", "room", "app",
        "charts", "extract"))}),
    ("rendering", {"render", "render.html", "render.charts", "render.report", "render.app",
                   "render.pdf", "render.docx", "render.tables", "render.notebook",
                   "render.portfolio", "render.portfolio_app", "render.reply"}),
    ("runs and people", {"runs", "kernel", "audit", "audit_portfolio", "people",
                         "scaffold", "serve", "appserver",
                         "mapstep", "reproduce", "ci", "lab", "batch", "store", "portfolio"}),
    ("command line", {"cli", "cli.common", "cli.parser", "cli.setup", "cli.running",
                      "cli.people", "cli.viewing", "__main__"}),
]
LAYER_OF = {module: i for i, (_, modules) in enumerate(LAYERS) for module in modules}


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
    return out


def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: imports(name, path, known) for name, path in found.items() if name}


def test_every_module_has_a_layer():
    unplaced = sorted(set(graph()) - set(LAYER_OF))
    assert not unplaced, f"give these modules a layer in {__file__}: {unplaced}"


def test_no_module_imports_a_layer_above_it():
    upward = [f"{name} ({LAYERS[LAYER_OF[name]][0]}) imports {target} "
              f"({LAYERS[LAYER_OF[target]][0]})"
              for name, targets in graph().items() for target in sorted(targets)
              if name in LAYER_OF and target in LAYER_OF and LAYER_OF[target] > LAYER_OF[name]]
    assert not upward, "\n".join(upward)


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
    """Survey tools are data in survey/formats.py: nowhere else compares a format's name."""
    tools = ("redcap", "qualtrics", "smartsurvey", "google_forms", "microsoft_forms")
    offenders = []
    for name, path in modules().items():
        if name == "survey.formats":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#")[0]
            if any(f'"{tool}"' in code or f"'{tool}'" in code for tool in tools):
                offenders.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_evaluation_yaml_admits_exactly_the_registrys_formats():
    import json

    from coprod_eval.survey.formats import FORMAT_IDS

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
