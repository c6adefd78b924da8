"""What the partnership agreed "good" looks like, before the work: ``plan.yaml``.

Per principle of the framework: the rating it aims for and the evidence it commits to keep;
the level it intends to claim; who agreed (roles, not names) and when. Every examination
then reports against it: target against evidenced, evidence promised against supplied.

A plan is frozen by its version: every run records the plan's sha256 (it is an input, in
the manifest) and version (in results.json). A plan that changed after a run used it must
say so, as a new version with what changed, who agreed and when; otherwise the folder does
not validate. So a changed yardstick is always visible in the next report.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..base.errors import Problem
from ..base.paths import MANIFEST_FILE
from ..base.yamlfile import read_yaml
from .streams import STREAM_IDS

PLAN_FILE = "plan.yaml"
STREAM_NAMES = STREAM_IDS
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

CHANGED_UNDECLARED = ("plan.yaml has changed since run {run} used version {version}, but it "
                      "still says version {version}")
CHANGED_UNDECLARED_FIX = ("a changed plan is a new version: set 'version: {next}' and say "
                          "under 'changed:' what changed (what), who agreed (by: roles) and "
                          "when (date)")


def plan_template(framework, claimed_level: str) -> str:
    """A plan.yaml for the partnership to complete, one block per principle."""
    ratings = ", ".join(r.id for r in framework.ratings)
    levels = ", ".join(level.id for level in framework.levels)
    lines = [
        "# What this partnership agrees \"good\" looks like, before the work. Complete it",
        "# together, then keep it: every examination reports against it. Once a run has",
        "# used it, a change is a new version (raise 'version' and fill in 'changed').",
        "version: 1",
        "agreed:",
        "  by: [partnership board]     # who agreed: roles, never names",
        "  date: YYYY-MM-DD            # when",
        f"claimed_level: {claimed_level}   # the level you intend to claim: {levels}",
        "principles:                  # per principle: the rating aimed for, and the",
        f"  # evidence you will keep ({', '.join(STREAM_NAMES)})",
        f"  # ratings: {ratings}",
    ]
    for principle in framework.principles:
        lines += [f"  {principle.id}:   # {principle.name}",
                  f"    target: {framework.ratings[-1].id}",
                  "    evidence: [survey]"]
    return "\n".join(lines) + "\n"


def _agreed(doc, found) -> tuple[list[str], str | None]:
    """Who agreed the plan (roles) and when, each recorded."""
    agreed = doc.data.get("agreed") or {}
    by = agreed.get("by") if isinstance(agreed, dict) else None
    if not (isinstance(by, list) and by and all(isinstance(b, str) and b.strip() for b in by)):
        found.append(doc.problem(("agreed", "by"), "who agreed the plan is not recorded",
                                 "list the roles that agreed it, e.g. [partnership board]"))
        by = []
    date = agreed.get("date") if isinstance(agreed, dict) else None
    if not (isinstance(date, str) and DATE.match(date)):
        found.append(doc.problem(("agreed", "date"), f"'{date}' is not a date",
                                 "write the date agreed as YYYY-MM-DD"))
    return by, date


def _targets(doc, framework, found) -> list[dict]:
    """Per principle of the framework: the rating aimed for and the evidence committed to."""
    rating_ids = [r.id for r in framework.ratings]
    stated = doc.data.get("principles") or {}
    if not isinstance(stated, dict):
        stated = {}
    principles = []
    for principle in framework.principles:
        entry = stated.get(principle.id)
        if not isinstance(entry, dict):
            found.append(doc.problem(("principles",), f"principle '{principle.id}' has no target",
                                     f"add '{principle.id}:' with 'target:' and 'evidence:'"))
            continue
        if entry.get("target") not in rating_ids:
            found.append(doc.problem(("principles", principle.id, "target"),
                                     f"'{entry.get('target')}' is not a rating",
                                     "use one of: " + ", ".join(rating_ids)))
        evidence = entry.get("evidence") or []
        unknown = [s for s in evidence if s not in STREAM_NAMES] if isinstance(
            evidence, list) else [evidence]
        if unknown:
            found.append(doc.problem(("principles", principle.id, "evidence"),
                                     f"{unknown} are not evidence streams",
                                     "list streams from: " + ", ".join(STREAM_NAMES)))
            evidence = []
        principles.append({"id": principle.id, "target": entry.get("target"),
                           "evidence": list(evidence)})
    for key in sorted(set(stated) - {p.id for p in framework.principles}, key=str):
        found.append(doc.problem(("principles", key), f"'{key}' is not a principle of "
                                 f"{framework.name}", "use the framework's principle ids"))
    return principles


def load_plan(folder: Path, framework, problems: list[Problem]) -> dict | None:
    """plan.yaml checked against the framework and the folder's earlier runs (None when the
    folder has no plan). Problems are added to ``problems``."""
    path = folder / PLAN_FILE
    if not path.is_file():
        return None
    doc = read_yaml(path, PLAN_FILE)
    data = doc.data if isinstance(doc.data, dict) else {}
    found: list[Problem] = []
    if not isinstance(doc.data, dict):
        found.append(doc.problem((), "the plan is not a mapping of fields",
                                 "start from the file 'coprod-eval plan' writes"))
        problems += found
        return None
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        found.append(doc.problem(("version",), f"'{version}' is not a version number",
                                 "use a whole number from 1"))
        version = None
    by, date = _agreed(doc, found)
    level_ids = [level.id for level in framework.levels]
    if data.get("claimed_level") not in level_ids:
        found.append(doc.problem(("claimed_level",),
                                 f"'{data.get('claimed_level')}' is not a level of the ladder "
                                 f"'{framework.ladder.id}'", "use one of: " + ", ".join(level_ids)))
    principles = _targets(doc, framework, found)
    changed = data.get("changed")
    if version is not None and version > 1 and not (
            isinstance(changed, dict) and changed.get("what") and changed.get("by")
            and isinstance(changed.get("date"), str) and DATE.match(changed["date"])):
        found.append(doc.problem(("changed",), f"version {version} does not say what changed",
                                 "add 'changed:' with what, by (roles) and date (YYYY-MM-DD)"))
    if version is not None:
        found += _undeclared_change(folder, path, version, doc)
    problems += found
    if found:
        return None
    return {"version": version, "agreed_by": list(by), "agreed_date": date,
            "claimed_level": data["claimed_level"],
            "changed": ({"what": str(changed["what"]), "by": list(changed["by"]),
                         "date": changed["date"]} if version > 1 else None),
            "principles": principles}


def _undeclared_change(folder: Path, path: Path, version: int, doc) -> list[Problem]:
    """A plan edited after a run used it, without a new version number."""
    import hashlib

    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    for run in sorted((folder / "runs").glob("[0-9]*/" + MANIFEST_FILE)):
        try:
            manifest = json.loads(run.read_text(encoding="utf-8"))
            used = next((i["sha256"] for i in manifest.get("inputs", [])
                         if i.get("path") == PLAN_FILE), None)
            results = json.loads((run.parent / "results.json").read_text(encoding="utf-8"))
            recorded = (results.get("plan") or {}).get("version")
        except (OSError, ValueError, AttributeError):
            continue
        if used and used != digest and recorded == version:
            return [doc.problem(("version",), CHANGED_UNDECLARED.format(
                run=run.parent.name, version=version),
                CHANGED_UNDECLARED_FIX.format(next=version + 1))]
    return []


def against_plan(plan: dict | None, framework, principles,
                 supplied: dict[str, bool]) -> dict | None:
    """The examination against the plan: per principle, target against evidenced (reached
    when the evidenced rating is at least the target), and evidence promised against
    supplied. ``supplied``: stream → whether it was supplied."""
    if plan is None:
        return None
    index = framework.rating_index
    rated = {p.id: p for p in principles}
    rows = []
    for entry in plan["principles"]:
        p = rated[entry["id"]]
        missing = [s for s in entry["evidence"] if not supplied.get(s)]
        rows.append({"id": entry["id"], "target": entry["target"], "evidenced": p.rating,
                     "reached": index(p.rating) >= index(entry["target"]),
                     "within_range": index(p.rating_range[1]) >= index(entry["target"]),
                     "promised": entry["evidence"], "not_supplied": missing})
    return {**{k: plan[k] for k in ("version", "agreed_by", "agreed_date", "claimed_level",
                                    "changed")}, "principles": rows}
