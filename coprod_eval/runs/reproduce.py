"""``coprod-eval reproduce RUN``: prove that a run's results follow from its evidence and
method, or say exactly what differs.

1. Every input the run's manifest records is hashed again: a changed or missing evidence or
   settings file is named (exit 1) — the evidence changed, so the run cannot be re-derived.
2. The environment is compared with the one recorded (Python, every installed distribution,
   the built-in framework, ladder and instrument files): each difference is reported first.
3. The evaluation folder (without its runs) is copied to a temporary folder and the same
   notebooks are executed there through papermill, with the recorded parameters and seed.
4. The new results.json is compared with the recorded one byte for byte: identical → exit 0;
   different → exit 4 with what changed in the findings (verdict, levels, each principle's
   rating and range, truths) and why it may have.
Nothing in the evaluation folder or the run is written.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..base.errors import ExecutionError, InvalidInputError, UsageError
from ..base.paths import MANIFEST_FILE, PACKAGE_DATA
from .engines import RUNNER_PARAMETERS
from .folder import RUNS_DIR, environment, remove_tree, run_folder, stray_files
from .run import run

BUILT_IN = "<built-in>/"
EXIT_SAME, EXIT_INPUTS, EXIT_FAILED, EXIT_DIFFERENT = 0, 1, 3, 4


@dataclass
class Reproduction:
    run: Path
    inputs: list[dict] = field(default_factory=list)  # path, kind, status (same/changed/missing)
    environment: list[dict] = field(default_factory=list)  # name, recorded, current
    parameters: dict = field(default_factory=dict)
    findings: list[dict] = field(default_factory=list)  # what, recorded, now
    other_differences: int = 0  # values of results.json that differ, in all
    identical: bool | None = None  # None: not re-run (the inputs changed)
    kept: str | None = None
    failed: str | None = None  # why the re-run itself failed
    stray: list[str] = field(default_factory=list)  # files in the run it did not write

    @property
    def exit_code(self) -> int:
        if any(i["status"] != "same" for i in self.inputs
               if i["kind"] != "method (built in)" or "manifest" in i["status"]):
            return EXIT_INPUTS
        if self.failed is not None:
            return EXIT_FAILED
        return EXIT_SAME if self.identical else EXIT_DIFFERENT

    def as_json(self) -> dict:
        return {"run": str(self.run), "exit_code": self.exit_code, "identical": self.identical,
                "inputs": self.inputs, "environment": self.environment,
                "parameters": self.parameters, "findings": self.findings,
                "other_differences": self.other_differences, "failed": self.failed,
                "stray_files": self.stray}

    def lines(self) -> list[str]:
        out = [f"Reproducing run {self.run.name} of {self.run.parent.parent}"]
        changed = [i for i in self.inputs if i["status"] != "same"]
        out.append(f"Inputs: {len(self.inputs) - len(changed)} of {len(self.inputs)} as "
                   "recorded (sha256)." if self.inputs else "Inputs: none recorded.")
        for i in changed:
            out.append(f"  {i['path']} ({i['kind']}): {i['status']}"
                       + (f" — {i['note']}" if i.get("note") else ""))
        if self.environment:
            out.append("Environment differs from the recording:")
            out += [f"  {e['name']}: {e['recorded']} recorded, {e['current']} now"
                    for e in self.environment]
        else:
            out.append("Environment: as recorded.")
        if self.stray:
            out.append("Files in the run that it did not write (an editor's checkpoint, a "
                       "test runner's cache, a copy; coprod-eval audit checks them too):")
            out += [f"  {name}" for name in self.stray]
        if self.failed is not None:
            out.append(f"The re-run failed, so nothing could be compared: {self.failed}")
            if self.environment:
                out.append("The environment differences above may be why (a newer "
                           "coprod-eval may check the inputs more strictly).")
            return out
        if self.identical is None and any("edited" in i["status"] for i in self.inputs):
            out.append("Not re-run: the run folder's record of what it read has been edited, "
                       "so it is no longer a record of this run. Make a new run.")
            return out
        if self.identical is None:
            out.append("Not re-run: the evidence or settings above changed since the run, so "
                       "its results cannot be re-derived from them. Restore the recorded "
                       "files, or make a new run.")
            return out
        settings = ", ".join(f"{k} {v}" for k, v in self.parameters.items())
        if self.identical:
            out.append(f"Re-ran the notebooks ({settings}): results.json is byte-identical. "
                       "The run reproduces.")
            if self.environment:
                out.append("It reproduces although the environment differs as listed.")
            return out
        out.append(f"Re-ran the notebooks ({settings}): results.json DIFFERS.")
        if self.findings:
            out.append("What changed in the findings:")
            out += [f"  {f['what']}: {f['recorded']} → {f['now']}" for f in self.findings]
        else:
            out.append("No verdict, level, rating or truth changed.")
        if self.other_differences:
            out.append(f"In all, {self.other_differences} value(s) of results.json differ.")
        edited = [f["what"] for f in self.findings if f["what"].startswith("parameters.")]
        if edited:
            out.append(f"Why it differs: the manifest's parameters ({', '.join(edited)}) are not "
                       "those the recorded results.json was made with — the manifest or the "
                       "results were edited after the run.")
        elif self.environment:
            out.append("Why it may differ: the environment differences listed above (a "
                       "changed package, framework, ladder or instrument changes the method).")
        else:
            out.append("Why it may differ: the environment is as recorded, so the difference "
                       "is in the run itself (its results.json edited, or a source of "
                       "non-determinism — please report it).")
        if self.kept:
            out.append(f"The re-run is kept in {self.kept}")
        return out


def _sha256(path: Path) -> str | None:
    if not path.is_file():
        return None
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _kind(path: str) -> str:
    if path.startswith(BUILT_IN):
        return "method (built in)"
    if path == "evaluation.yaml":
        return "settings"
    if path.startswith("evidence/"):
        return "evidence"
    if path.endswith((".yaml", ".yml")) and not path.startswith("evidence/"):
        return "method"
    return "evidence"


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("inputs"), list):
        raise UsageError(f"{path} is not the manifest coprod-eval wrote (not readable JSON with "
                         "its inputs): the run folder has been edited, so the run cannot be "
                         "reproduced; make a new run")
    return data


def _unlisted(manifest: dict, run_dir: Path) -> list[dict]:
    """Inputs the run read (its provenance.json, written as it read them) that its manifest
    no longer lists: a manifest with inputs taken out has been tampered with."""
    listed = {entry.get("path") for entry in manifest["inputs"]}
    try:
        read = json.loads((run_dir / "provenance.json").read_text(encoding="utf-8"))["inputs"]
    except (OSError, ValueError, KeyError, TypeError):
        return [{"path": "provenance.json", "kind": "the run's record of what it read",
                 "status": "missing or unreadable: the run folder has been edited"}]
    return [{"path": name, "kind": _kind(name),
             "status": "read by the run but not in its manifest (the manifest was edited)"}
            for name in sorted(read) if name not in listed]


def _not_inputs(directory: str, names: list[str]) -> set[str]:
    """What the re-run's copy of the evaluation folder leaves out: its runs, version control
    and any Python environment kept inside it (a CI runner's .venv-ci is a gigabyte; the
    re-run uses the installed package, never the folder's copy of it)."""
    return {name for name in names
            if name in (RUNS_DIR, ".git", "node_modules", "__pycache__")
            or (Path(directory, name, "pyvenv.cfg").is_file())}


def _check_inputs(manifest: dict, folder: Path) -> list[dict]:
    checked = []
    for entry in manifest.get("inputs", []):
        path = entry["path"]
        file = (PACKAGE_DATA / path.removeprefix(BUILT_IN)) if path.startswith(BUILT_IN) \
            else folder / path
        now = _sha256(file)
        status = "same" if now == entry["sha256"] else ("missing" if now is None else "changed")
        checked.append({"path": path, "kind": _kind(path), "status": status})
    settings = next((i for i in checked if i["path"] == "evaluation.yaml"), None)
    if settings and settings["status"] == "changed":
        try:
            import yaml

            data = yaml.safe_load((folder / "evaluation.yaml").read_text("utf-8")) or {}
            seed = data.get("seed", next((v.get("seed") for v in data.values()
                                          if isinstance(v, dict) and "seed" in v), None))
            if seed is not None and seed != manifest.get("seed"):
                settings["note"] = f"its seed is now {seed}; the run used {manifest.get('seed')}"
        except Exception:  # a note only: the change itself is already reported
            pass
    return checked


def _environment_differences(manifest: dict, checked: list[dict]) -> list[dict]:
    recorded = {k.lower(): v for k, v in (manifest.get("versions") or {}).items()}
    recorded.update(manifest.get("environment") or {})  # the full lock, where recorded
    current = environment()
    differences = [{"name": name, "recorded": version, "current": current.get(name,
                                                                               "not installed")}
                   for name, version in sorted(recorded.items())
                   if current.get(name, "not installed") != version]
    if manifest.get("environment"):
        differences += [{"name": name, "recorded": "not installed", "current": version}
                        for name, version in current.items() if name not in recorded]
    differences += [{"name": f"built-in file {i['path'].removeprefix(BUILT_IN)}",
                     "recorded": "as recorded", "current": i["status"]}
                    for i in checked if i["kind"] == "method (built in)" and i["status"] != "same"]
    return differences


def _findings(recorded: dict, now: dict) -> tuple[list[dict], int]:
    """What changed in the findings a commissioner reads, and how many other leaves differ."""
    out = []

    def note(what, a, b):
        if a != b:
            out.append({"what": what, "recorded": a, "now": b})

    ro, no = recorded.get("overall", {}), now.get("overall", {})
    note("verdict", ro.get("claim_verdict"), no.get("claim_verdict"))
    note("level evidenced", ro.get("evidenced_level"), no.get("evidenced_level"))
    note("level range", ro.get("level_range"), no.get("level_range"))
    note("confidence", ro.get("confidence"), no.get("confidence"))
    before = {p["id"]: p for p in recorded.get("principles", [])}
    for principle in now.get("principles", []):
        old = before.get(principle["id"], {})
        note(f"{principle['id']}: rating", old.get("rating"), principle.get("rating"))
        note(f"{principle['id']}: range", old.get("rating_range"), principle.get("rating_range"))
    def truths(overall):
        return sorted(f"{t['kind']}" + (f" ({t['principle']})" if t.get("principle") else "")
                      for t in overall.get("inconvenient_truths", []))

    note("inconvenient truths", truths(ro), truths(no))
    leaves_a, leaves_b = dict(_leaves(recorded)), dict(_leaves(now))
    other = sorted(k for k in set(leaves_a) | set(leaves_b)
                   if leaves_a.get(k) != leaves_b.get(k))
    named = [k for k in other if k.lstrip(".").startswith(("parameters", "framework",
                                                            "schema_version"))]
    for key in named[:5]:  # the settings and method recorded in results.json itself
        note(key.lstrip("."), leaves_a.get(key), leaves_b.get(key))
    return out, len(other)


def _leaves(value, where=""):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, f"{where}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _leaves(item, f"{where}[{i}]")
    else:
        yield where, value


def reproduce(path: str | Path, keep: str | Path | None = None) -> Reproduction:
    """Check, re-run and compare one finished run (``path``: a run folder, or an evaluation
    folder for its latest run). ``keep``: a new folder to leave the re-run in."""
    run_dir = run_folder(path).resolve()
    manifest = _read_json(run_dir / MANIFEST_FILE)
    folder = run_dir.parent.parent
    if not (folder / "evaluation.yaml").is_file():  # a run copied out of its folder
        recorded_folder = Path(manifest.get("evaluation_dir") or "")
        if not (recorded_folder / "evaluation.yaml").is_file():
            raise UsageError(f"{run_dir} is not inside its evaluation folder (EVALUATION/runs/"
                             f"{run_dir.name}) and the folder it was run from "
                             f"({recorded_folder}) is not here: put the run back under its "
                             "evaluation folder's runs/")
        folder = recorded_folder
    if keep is not None:
        keep = Path(keep).resolve()
        if keep.exists():
            raise UsageError(f"{keep} exists already; --keep needs a new folder")
        if keep.is_relative_to(folder.resolve()):
            raise UsageError(f"--keep {keep} is inside the evaluation folder; reproduce never "
                             "writes there: choose a folder outside it")
    result = Reproduction(run_dir, stray=stray_files(run_dir, manifest))
    result.inputs = _check_inputs(manifest, folder) + _unlisted(manifest, run_dir)
    result.environment = _environment_differences(manifest, result.inputs)
    result.parameters = {k: v for k, v in (manifest.get("parameters") or {}).items()
                         if k not in RUNNER_PARAMETERS}  # the copy's own places
    if result.exit_code == EXIT_INPUTS:
        return result
    scratch = Path(tempfile.mkdtemp(prefix="coprod-reproduce-"))
    try:
        copy = scratch / folder.name
        shutil.copytree(folder, copy, ignore=_not_inputs, symlinks=False)
        for sibling in folder.resolve().parent.iterdir():  # '../shared/…' paths still resolve
            if sibling.name != folder.name and not (scratch / sibling.name).exists():
                (scratch / sibling.name).symlink_to(sibling)
        try:
            info = run(copy, parameters=result.parameters, progress=False)
        except (InvalidInputError, UsageError, ExecutionError) as exc:
            result.failed = " ".join(str(exc).split())
            return result
        recorded = (run_dir / "results.json").read_bytes()
        now = info.results.read_bytes()
        result.identical = recorded == now
        if not result.identical:
            result.findings, result.other_differences = _findings(
                json.loads(recorded), json.loads(now))
        if keep is not None:
            shutil.copytree(copy, keep)
            result.kept = str(keep)
    finally:
        remove_tree(scratch)
    return result
