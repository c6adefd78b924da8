"""``coprod-eval portfolio DIR``: every project a commissioner funds, evaluated together.

    DIR ─► projects()       portfolio.yaml's list, or every folder holding evaluation.yaml
        ─► cache_key()      inputs' bytes, built-in yardsticks, package version
        ─► evaluate         changed projects only: on Dask workers (worker.evaluate_project, no
                            kernel per project) or, for a single project, in this process
        ─► store            each finished run into portfolio.duckdb (store.py), whole
                            runs per transaction, from this process only, as they finish
        ─► portfolio run    portfolio-runs/<id>/: portfolio.json, report.html (and PDF),
                            each project's report, the store exported to Parquet

A portfolio run is built in ``portfolio-runs/.incomplete-<id>-<pid>/`` and renamed when
everything is written, as runs are. A project that fails is listed with its folder and
where its problems are; it never stops the others, and the portfolio shows none of its
earlier results as if they were current.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .. import __version__
from ..base.errors import ExecutionError, InvalidInputError, Problems, UsageError
from ..base.paths import MANIFEST_FILE, link_or_copy
from ..runs.folder import RunFolder
from ..runs.inputkey import SKIPPED_DIRS, cache_key, yardsticks_digest

PORTFOLIO_FILE = "portfolio.yaml"
PORTFOLIO_RUNS = "portfolio-runs"
DATA_FILE = "portfolio.json"
NOT_GIVEN = "Not given"
STORE_BATCH = 25  # finished runs written to the store together, in one transaction
LISTED_KEYS = ("folder", "commissioner", "organisation", "programme")
NO_PROJECTS = ("{folder} holds no evaluation folder (none with evaluation.yaml) and no "
               "portfolio.yaml; make one with: coprod-eval init {folder}/PROJECT")
NOT_A_FOLDER = "{folder} is not a folder"
AN_EVALUATION = ("{folder} is an evaluation folder, not a portfolio: give the folder that "
                 "holds the projects' folders (or run this one with: coprod-eval run {folder})")
WORKER_LOST = ("the worker evaluating it was lost {times} times (killed, or out of memory); "
               "nothing of it was kept: run the portfolio again, or run this project alone "
               "with coprod-eval run {folder}")
SCHEDULER_UNREACHABLE = "cannot reach the Dask scheduler at {address}: {detail}"


@dataclass(frozen=True)
class Project:
    key: str  # folder relative to the portfolio: the project's name in the store
    folder: Path
    commissioner: str = NOT_GIVEN
    organisation: str = ""
    programme: str = NOT_GIVEN


@dataclass
class PortfolioInfo:
    run_id: str
    folder: Path
    store: Path
    outcomes: list[dict] = field(default_factory=list)
    seconds: float = 0.0
    workers: int = 0
    worker_memory: dict = field(default_factory=dict)  # worker address → peak RSS (MiB)

    def count(self, outcome: str) -> int:
        return sum(o["outcome"] == outcome for o in self.outcomes)


# ── which projects ────────────────────────────────────────────────────────────────────


def projects(root: str | Path) -> tuple[str, list[Project]]:
    """The portfolio's title and projects: portfolio.yaml's list when there is one (checked,
    every problem at once), else every folder under ``root`` holding evaluation.yaml."""
    root = Path(root)
    if not root.is_dir():
        raise UsageError(NOT_A_FOLDER.format(folder=root))
    if (root / "evaluation.yaml").is_file():
        raise UsageError(AN_EVALUATION.format(folder=root))
    listing = root / PORTFOLIO_FILE
    if listing.is_file():
        return _listed(root, listing)
    found = []
    for config in sorted(root.rglob("evaluation.yaml")):
        rel = config.parent.relative_to(root)
        if any(part in SKIPPED_DIRS or part.startswith(".") for part in rel.parts):
            continue
        found.append(Project(rel.as_posix() or ".", config.parent,
                             organisation=_organisation(config)))
    if not found:
        raise UsageError(NO_PROJECTS.format(folder=root))
    return root.resolve().name, found


def _organisation(config: Path) -> str:
    """project.organisation from evaluation.yaml, read cheaply (the run checks it fully)."""
    import yaml

    try:
        data = yaml.safe_load(config.read_text("utf-8")) or {}
        return str((data.get("project") or {}).get("organisation") or NOT_GIVEN)
    except (OSError, yaml.YAMLError, AttributeError):
        return NOT_GIVEN


def _listed(root: Path, listing: Path) -> tuple[str, list[Project]]:
    from ..base.yamlfile import read_yaml

    doc = read_yaml(listing)
    data = doc.data
    problems = Problems()
    entries = data.get("projects")
    if not isinstance(entries, list) or not entries:
        raise InvalidInputError([doc.problem(("projects",), "no projects are listed",
                                             "list each project's folder under projects:, "
                                             "e.g. '- folder: riverside-peer-recovery'")])
    found, seen = [], set()
    for i, entry in enumerate(entries):
        where = ("projects", i)
        if isinstance(entry, str):
            entry = {"folder": entry}
        if not isinstance(entry, dict):
            problems.append(doc.problem(where, "an entry is not a mapping",
                                        "give folder: and, if known, commissioner:, "
                                        "organisation: and programme:"))
            continue
        for key in entry:
            if key not in LISTED_KEYS:
                problems.append(doc.problem((*where, key), f"unknown key '{key}'",
                                            "use only: " + ", ".join(LISTED_KEYS)))
        rel = str(entry.get("folder") or "")
        folder = (root / rel).resolve()
        if not rel or not (folder / "evaluation.yaml").is_file():
            problems.append(doc.problem((*where, "folder"), f"'{rel}' is not an evaluation "
                                        "folder (no evaluation.yaml in it)",
                                        "give the project's folder relative to "
                                        f"{PORTFOLIO_FILE}"))
            continue
        if folder in seen:
            problems.append(doc.problem((*where, "folder"), f"'{rel}' is listed twice",
                                        "list each project once"))
            continue
        seen.add(folder)
        if not folder.is_relative_to(root.resolve()):
            problems.append(doc.problem((*where, "folder"), f"'{rel}' is outside the "
                                        "portfolio folder",
                                        "move or copy the project into the portfolio folder "
                                        "(its runs are written in its own folder, and the "
                                        "portfolio's audit reads them there)"))
            continue
        key = folder.relative_to(root.resolve()).as_posix()
        found.append(Project(
            key, folder, str(entry.get("commissioner") or NOT_GIVEN),
            str(entry.get("organisation") or _organisation(folder / "evaluation.yaml")),
            str(entry.get("programme") or NOT_GIVEN)))
    if problems:
        raise InvalidInputError(problems)
    title = data.get("portfolio") or root.resolve().name
    return str(title), found


# ── what changed ──────────────────────────────────────────────────────────────────────


def finished_portfolio_runs(folder: Path) -> list[Path]:
    """The portfolio's finished runs, oldest first (none when it has not been run)."""
    runs = folder / PORTFOLIO_RUNS
    if not runs.is_dir():
        return []
    return sorted(p for p in runs.iterdir()
                  if not p.name.startswith(".") and (p / DATA_FILE).is_file())


def latest_run(folder: Path) -> tuple[Path, dict] | None:
    """The project's latest finished run and its manifest (None when there is none)."""
    from ..runs.folder import completed_runs

    runs = completed_runs(folder)
    if not runs:
        return None
    try:
        return runs[-1], json.loads((runs[-1] / MANIFEST_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return None


def unchanged(folder: Path, key: str) -> str | None:
    """The latest run's id when it was made from exactly these inputs (same key), by the
    portfolio or by ``coprod-eval run`` (which records the key too, without parameters)."""
    latest = latest_run(folder)
    if latest and latest[1].get("cache_key") == key:
        return latest[0].name
    return None


# ── the portfolio run ─────────────────────────────────────────────────────────────────


def run_portfolio(root: str | Path, *, workers: int | None = None,
                  scheduler: str | None = None, notebooks: bool = False, pdf: bool = False,
                  store: str | Path | None = None, progress: bool = True) -> PortfolioInfo:
    """Evaluate what changed, update the store, write a new portfolio run; return it."""
    from . import store as db

    started = time.perf_counter()
    started_utc = datetime.now(UTC)
    root = Path(root).resolve()
    title, listed = projects(root)
    if pdf:
        from ..render.pdf import chromium

        chromium()  # fail before evaluating anything if the PDF cannot be made
    store_path = Path(store).resolve() if store else root / db.STORE_FILE
    con = db.connect(store_path)  # busy or newer: refused before anything is run
    target = RunFolder(root, started_utc, runs_dir=PORTFOLIO_RUNS)  # the one run writer
    run_id, work = target.run_id, target.work
    info = PortfolioInfo(run_id, work, store_path)
    try:
        yardsticks = yardsticks_digest()
        keys = {p.key: cache_key(p.folder, yardsticks) for p in listed}
        todo = []
        for project in listed:
            done = unchanged(project.folder, keys[project.key])
            if done:
                info.outcomes.append({"project": project.key, "outcome": "unchanged",
                                      "run_id": done, "message": "", "seconds": 0.0})
            else:
                todo.append(project)
        by_key = {p.key: p for p in listed}
        stored = {(p, r): h for p, r, h in db.stored_runs(con)}
        pending: list[dict] = []
        # each run into the store as it finishes, in batches of whole runs (a transaction
        # each), while the workers go on
        for outcome in _evaluate(todo, keys, workers, scheduler, notebooks, progress, info):
            info.outcomes.append(outcome)
            if outcome["outcome"] == "evaluated":
                pending += _new_rows(root, by_key[outcome["project"]], stored)
                if len(pending) >= STORE_BATCH:
                    db.write_runs(con, pending)
                    pending.clear()
        for outcome in info.outcomes:  # unchanged projects, earlier rounds, new responses
            if outcome["outcome"] == "unchanged":
                pending += _new_rows(root, by_key[outcome["project"]], stored)
        db.write_runs(con, pending)
        db.write_projects(con, [(by_key[o["project"]], o["outcome"], o["message"])
                                for o in info.outcomes])
        info.seconds = round(time.perf_counter() - started, 3)
        _record(con, info, started_utc)
        from ..render.portfolio import write_portfolio

        data = portfolio_data(con, title, run_id, info, root)
        _link_reports(root, data, work)
        (work / DATA_FILE).write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n",
                                      encoding="utf-8")
        write_portfolio(data, work, pdf=pdf)
        db.export_parquet(con, work / "parquet")
        con.close()
        final = target.publish(None)
        info.folder, info.run_id = final, final.name
        info.seconds = round(time.perf_counter() - started, 3)  # all of it, for the user
        return info
    finally:
        try:
            con.close()
        except Exception:
            pass
        target.discard()  # something stopped the portfolio run: leave nothing half-made


def _evaluate(todo: list[Project], keys: dict, workers: int | None, scheduler: str | None,
              notebooks: bool, progress: bool, info: PortfolioInfo):
    """Yield each project's outcome as it finishes: on Dask when there is more than one
    project (or a scheduler is given), else in this process."""
    from .worker import evaluate_project, peak_rss_mib

    if not todo:
        return
    bar = _bar(len(todo), progress)
    if len(todo) == 1 and scheduler is None:
        info.workers = 0
        project = todo[0]
        outcome = evaluate_project(str(project.folder), keys[project.key], notebooks)
        bar.update()
        bar.close()
        yield _outcome(project, outcome)
        return
    from distributed import as_completed

    client, cluster = _client(workers, scheduler)
    try:
        info.workers = len(client.scheduler_info()["workers"])
        # a task name of its own for each project in each portfolio run: on a shared
        # cluster, two runs (or two copies of one project) never share a result
        futures = {client.submit(evaluate_project, str(p.folder), keys[p.key], notebooks,
                                 key=f"coprod-eval-{p.key}-{uuid.uuid4().hex}", pure=False): p
                   for p in todo}
        for future in as_completed(futures):
            project = futures[future]
            try:
                outcome = future.result()
            except Exception as exc:  # KilledWorker after the allowed retries, or lost
                lost = type(exc).__name__ == "KilledWorker"
                message = (WORKER_LOST.format(times=_allowed_failures() + 1,
                                              folder=project.folder)
                           if lost else f"{type(exc).__name__}: {exc}")
                outcome = {"folder": str(project.folder), "outcome": "failed",
                           "run_id": None, "message": message, "detail": "", "seconds": 0.0}
            bar.update()
            yield _outcome(project, outcome)
        info.worker_memory = client.run(peak_rss_mib)
    finally:
        bar.close()
        client.close()
        if cluster is not None:
            cluster.close()


def _allowed_failures() -> int:
    import dask

    return int(dask.config.get("distributed.scheduler.allowed-failures"))


def _outcome(project: Project, outcome: dict) -> dict:
    return {"project": project.key, **{k: outcome.get(k) for k in
                                       ("outcome", "run_id", "message", "detail", "seconds",
                                        "pid", "peak_rss_mib")}}


def _client(workers: int | None, scheduler: str | None):
    """A client on the given scheduler, or on a LocalCluster sized to this machine: one
    single-threaded worker process per core (the evaluation holds the GIL)."""
    import logging

    from distributed import Client, LocalCluster

    if scheduler:
        try:
            return Client(scheduler, timeout="20s"), None
        except OSError as exc:
            raise ExecutionError(SCHEDULER_UNREACHABLE.format(address=scheduler,
                                                              detail=exc)) from None
    n = workers or len(os.sched_getaffinity(0))
    cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=logging.ERROR,
                           host="127.0.0.1")
    return Client(cluster), cluster


def _bar(total: int, progress: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc="Evaluating", unit="project", disable=not progress,
                file=sys.stderr, leave=True)


def _new_rows(root: Path, project: Project, stored: dict) -> list[dict]:
    """The store's rows for the project's latest finished run of each round, except runs
    already stored with the same results and no responses (which may have changed)."""
    from ..inputs.rounds import finished, round_of
    from . import store as db

    newest = latest_run(project.folder)
    if (newest and (project.key, newest[0].name) in stored
            and not (project.folder / "responses").is_dir()):
        return []  # its latest run is stored (so were the earlier rounds'), nothing to add
    latest: dict[int, Path] = {}
    for run, results, _ in finished(project.folder):
        latest[round_of(results)] = run
    rows = []
    for run in latest.values():
        digest = hashlib.sha256((run / "results.json").read_bytes()).hexdigest()
        responded = (project.folder / "responses" / run.name).is_dir()
        if stored.get((project.key, run.name)) == digest and not responded:
            continue
        report = (run / "report.html").relative_to(root).as_posix()
        rows.append(db.run_rows(project.key, run, report, None))
        stored[(project.key, run.name)] = digest
    return rows


def _record(con, info: PortfolioInfo, started_utc: datetime) -> None:
    con.execute("BEGIN")
    con.execute("INSERT OR REPLACE INTO portfolio_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [
        info.run_id, started_utc.isoformat(timespec="seconds"),
        datetime.now(UTC).isoformat(timespec="seconds"), len(info.outcomes),
        info.count("evaluated"), info.count("unchanged"), info.count("failed"), info.workers,
        info.seconds])
    con.executemany("INSERT OR REPLACE INTO outcomes VALUES (?, ?, ?, ?, ?, ?)", [
        (info.run_id, o["project"], o["outcome"], o["run_id"], o["message"], o["seconds"])
        for o in info.outcomes])
    con.execute("COMMIT")


def _link_reports(root: Path, data: dict, work: Path) -> None:
    """Each shown project's report, hard-linked (copied across file systems) into the
    portfolio run as projects/<n>/report.html: the board's report links to them, and the
    portfolio run can be shared as one folder."""
    for number, project in enumerate(data["projects"], 1):
        source = root / project.pop("report_source")
        target = link_or_copy(source, work / "projects" / f"{number:04d}" / "report.html")
        project["report"] = target.relative_to(work).as_posix()


# ── what the portfolio shows ──────────────────────────────────────────────────────────


def portfolio_data(con, title: str, run_id: str, info: PortfolioInfo, root: Path) -> dict:
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
