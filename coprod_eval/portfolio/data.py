"""What a portfolio run shows: every project's latest round from the store, with its
framework, its previous round and what moved, and links to its reports."""

from __future__ import annotations

import json
from pathlib import Path

from .. import __version__
from ..base.paths import link_or_copy


def link_reports(root: Path, data: dict, work: Path) -> None:
    """Each shown project's report, hard-linked (copied across file systems) into the
    portfolio run as projects/<n>/report.html: the board's report links to them, and the
    portfolio run can be shared as one folder."""
    for number, project in enumerate(data["projects"], 1):
        source = root / project.pop("report_source")
        target = link_or_copy(source, work / "projects" / f"{number:04d}" / "report.html")
        project["report"] = target.relative_to(work).as_posix()


def portfolio_data(con, title: str, run_id: str, info, root: Path) -> dict:
    """Everything the portfolio report and app show, from the store: the latest run of
    each project evaluated or unchanged in this portfolio run, with the previous round's
    ratings where the comparison may be shown. Projects in a fixed order (commissioner,
    programme, name), never by any rating."""
    failed = {o["project"]: o["message"] for o in info.outcomes if o["outcome"] == "failed"}
    keys = [o["project"] for o in info.outcomes if o["outcome"] != "failed"]
    frameworks: dict[str, dict] = {}
    shown = []
    if keys:
        marks = ", ".join("?" * len(keys))
        runs = _records(con.execute(
            f"SELECT r.*, p.commissioner, p.organisation, p.programme "
            f"FROM latest_runs r JOIN projects p USING (project) WHERE project IN ({marks}) "
            "ORDER BY p.commissioner, p.programme, p.name, project", keys))
        cells: dict[tuple[str, str], list[dict]] = {}
        for cell in _records(con.execute(f"SELECT * FROM principles WHERE project IN ({marks}) "
                                         "ORDER BY project, run_id, position", keys)):
            cells.setdefault((cell["project"], cell["run_id"]), []).append(cell)
        for run in runs:
            fw = frameworks.get(run["framework"])
            if fw is None:
                fw = frameworks[run["framework"]] = _framework(root / run["report"])
            then = _previous_round(con, run) if run["round"] > 1 else None
            order = [r["id"] for r in fw["ratings"]]
            principles = []
            for cell in cells[(run["project"], run["run_id"])]:
                since = None
                if then is not None and not run["comparison_withheld"]:
                    before = then.get(cell["principle"])
                    since = _moved(order, before, cell) if before else None
                principles.append({k: cell[k] for k in (
                    "principle", "name", "rating", "rating_label", "range_low", "range_high",
                    "confidence", "borderline", "stable")} | {"since": since})
            shown.append({
                "project": run["project"], "name": run["name"] or run["project"],
                "commissioner": run["commissioner"], "organisation": run["organisation"],
                "programme": run["programme"], "framework": run["framework"],
                "ladder": run["ladder"], "run_id": run["run_id"], "round": run["round"],
                "claimed_level": run["claimed_level"],
                "evidenced_level": run["evidenced_level"],
                "level_range": [run["level_low"], run["level_high"]],
                "verdict": run["verdict"], "confidence": run["confidence"],
                "truths": run["truths"],
                "comparison_withheld": run["comparison_withheld"] or "",
                "report_source": run["report"], "principles": principles})
    names = [p["name"] for p in shown]
    for p in shown:  # a name two projects share is told apart by the project's folder
        p["label"] = p["name"] if names.count(p["name"]) == 1 else f"{p['name']} [{p['project']}]"
    return {
        "title": title, "portfolio_run": run_id, "version": __version__,
        "counts": {"projects": len(info.outcomes), "evaluated": info.count("evaluated"),
                   "unchanged": info.count("unchanged"), "failed": info.count("failed")},
        "frameworks": frameworks, "projects": shown,
        "failed": [{"project": k, "message": m} for k, m in sorted(failed.items())],
    }


def _framework(report: Path) -> dict:
    """A framework's ratings (with colours), principles and ladder, as its run recorded."""
    results = json.loads((report.parent / "results.json").read_text("utf-8"))
    fw = results["framework"]
    return {"id": fw["id"], "name": fw["name"], "version": fw["version"],
            "ratings": [{k: r[k] for k in ("id", "label", "colour")} for r in fw["ratings"]],
            "principles": [{"id": p["id"], "name": p["name"]} for p in results["principles"]],
            "ladder": {"id": fw["ladder"]["id"], "name": fw["ladder"]["name"],
                       "levels": [{"id": lv["id"], "name": lv["name"]}
                                  for lv in fw["ladder"]["levels"]]},
            "prose_names": fw["ladder"].get("prose_names")}


def _previous_round(con, run: dict) -> dict | None:
    """The principles of the run this run's own report compared with."""
    rows = con.execute(
        "SELECT principle, range_low, range_high, rating FROM principles WHERE project = ? "
        "AND run_id = ?", [run["project"], run["compared_with"]]).fetchall()
    return {r[0]: {"range_low": r[1], "range_high": r[2], "rating": r[3]} for r in rows} or None


def _moved(order: list[str], before: dict, now: dict) -> dict:
    """Whether a principle's rating moved since the previous round beyond the uncertainty of
    both rounds (the ranges do not overlap), as the run's own report judges it."""
    lo, hi = order.index(now["range_low"]), order.index(now["range_high"])
    was_lo, was_hi = order.index(before["range_low"]), order.index(before["range_high"])
    if lo > was_hi:
        change = "better"
    elif hi < was_lo:
        change = "worse"
    else:
        change = "within"
    return {"was": before["rating"], "change": change}


def _records(cursor) -> list[dict]:
    """A query's rows as dicts of plain Python values."""
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]
