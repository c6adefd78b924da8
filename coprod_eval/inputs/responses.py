"""The right of reply: the project's and the partners' responses to a run's inconvenient
truths, each side in a file of its own (neither edits the other's).

``responses/<run-id>/project.yaml`` and ``responses/<run-id>/partners.yaml``: per truth (by
its number in that run's report) a stance (accepted, disputed with a reason, or noted) and
optionally an action with an owner (a role) and a due date, whose status is updated as it
goes (planned, done, not done). They are shown beside each truth, clearly as responses, and
never change a computed finding: results.json does not read them. The next round's report
lists the previous round's actions and their status.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..base.errors import InvalidInputError, Problem
from ..base.yamlfile import read_yaml

RESPONSES_DIR = "responses"
SIDES = {"project": "The project", "partners": "Community partners"}
STANCES = ("accepted", "disputed", "noted")
STATUSES = ("planned", "done", "not_done")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def responses_file(folder: Path, run_id: str, side: str) -> Path:
    return Path(folder) / RESPONSES_DIR / run_id / f"{side}.yaml"


def load_responses(folder: Path, run_dir: Path) -> dict[str, dict]:
    """Both sides' responses to a run's truths (a side with no file is absent); raise
    InvalidInputError listing every problem."""
    results = json.loads((run_dir / "results.json").read_text(encoding="utf-8"))
    ranks = {t["rank"] for t in results["overall"]["inconvenient_truths"]}
    found, problems = {}, []
    for side in SIDES:
        path = responses_file(folder, run_dir.name, side)
        if path.is_file():
            loaded = _side(path, side, run_dir.name, ranks, problems)
            if loaded is not None:
                found[side] = loaded
    if problems:
        raise InvalidInputError(problems)
    return found


def _side(path: Path, side: str, run_id: str, ranks: set[int],
          problems: list[Problem]) -> dict | None:
    name = f"{RESPONSES_DIR}/{run_id}/{path.name}"
    doc = read_yaml(path, name)
    data = doc.data if isinstance(doc.data, dict) else {}
    before = len(problems)
    if data.get("run") != run_id:
        problems.append(doc.problem(("run",), f"'{data.get('run')}' is not the run {run_id}",
                                    f"a responses file answers the run whose folder it is in: "
                                    f"run: {run_id}"))
    if data.get("side") != side:
        problems.append(doc.problem(("side",), f"'{data.get('side')}' is not '{side}'",
                                    f"this file holds the {side}' responses only"))
    responded = data.get("responded") or {}
    by = responded.get("by") if isinstance(responded, dict) else None
    if not (isinstance(by, list) and by and all(isinstance(b, str) and b.strip()
                                                and b != "ROLE" for b in by)):
        problems.append(doc.problem(("responded", "by"), "who responded is not recorded",
                                    "list the roles that agreed these responses"))
    date = responded.get("date") if isinstance(responded, dict) else None
    if not (isinstance(date, str) and DATE.match(date)):
        problems.append(doc.problem(("responded", "date"), f"'{date}' is not a date",
                                    "write the date as YYYY-MM-DD"))
    entries = []
    for i, entry in enumerate(data.get("responses") or []):
        where = ("responses", i)
        if not isinstance(entry, dict):
            problems.append(doc.problem(where, "a response is not a mapping",
                                        "give truth, stance and reason"))
            continue
        if entry.get("truth") not in ranks:
            problems.append(doc.problem((*where, "truth"), f"run {run_id} has no inconvenient "
                                        f"truth {entry.get('truth')}",
                                        f"use the numbers in its report: {sorted(ranks)}"))
        stance = entry.get("stance")
        if stance not in STANCES:
            problems.append(doc.problem((*where, "stance"), f"'{stance}' is not a stance",
                                        "use one of: " + ", ".join(STANCES)))
        reason = str(entry.get("reason") or "").strip()
        if stance == "disputed" and not reason:
            problems.append(doc.problem((*where, "reason"), "a disputed finding has no reason",
                                        "say why it is disputed"))
        action = entry.get("action")
        if action is not None:
            action = _action(doc, (*where, "action"), action, problems)
        entries.append({"truth": entry.get("truth"), "stance": stance, "reason": reason,
                        "action": action})
    if len(problems) > before:
        return None
    return {"side": side, "by": list(by), "date": date, "responses": entries}


def _action(doc, where, action, problems) -> dict | None:
    if not isinstance(action, dict):
        problems.append(doc.problem(where, "an action is not a mapping",
                                    "give what, owner, due and status"))
        return None
    if not str(action.get("what") or "").strip():
        problems.append(doc.problem((*where, "what"), "the action does not say what",
                                    "say what will be done"))
    owner = action.get("owner")
    if not (isinstance(owner, str) and owner.strip() and owner != "ROLE"):
        problems.append(doc.problem((*where, "owner"), "the action has no owner",
                                    "name the role that owns it (never a person's name)"))
    if not (isinstance(action.get("due"), str) and DATE.match(action["due"])):
        problems.append(doc.problem((*where, "due"), f"'{action.get('due')}' is not a date",
                                    "write the due date as YYYY-MM-DD"))
    status = action.get("status", "planned")
    if status not in STATUSES:
        problems.append(doc.problem((*where, "status"), f"'{status}' is not a status",
                                    "use one of: " + ", ".join(STATUSES)))
    return {"what": str(action.get("what") or ""), "owner": owner, "due": action.get("due"),
            "status": status}


def by_truth(responses: dict[str, dict]) -> dict[int, list[dict]]:
    """Truth number → each side's response to it, the project's first."""
    found: dict[int, list[dict]] = {}
    for side in SIDES:
        for entry in (responses.get(side) or {}).get("responses", []):
            found.setdefault(entry["truth"], []).append({**entry, "side": side})
    return found
