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
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..base.errors import InvalidInputError, Problems, UsageError
from ..base.paths import MANIFEST_FILE
from ..runs.folder import RunFolder
from ..runs.inputkey import SKIPPED_DIRS, cache_key, yardsticks_digest
from .cluster import allowed_failures, dask_client, progress_bar
from .data import link_reports, portfolio_data

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
        link_reports(root, data, work)
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
    bar = progress_bar(len(todo), progress)
    if len(todo) == 1 and scheduler is None:
        info.workers = 0
        project = todo[0]
        outcome = evaluate_project(str(project.folder), keys[project.key], notebooks)
        bar.update()
        bar.close()
        yield _outcome(project, outcome)
        return
    from distributed import as_completed

    client, cluster = dask_client(workers, scheduler)
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
                message = (WORKER_LOST.format(times=allowed_failures() + 1,
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


def _outcome(project: Project, outcome: dict) -> dict:
    return {"project": project.key, **{k: outcome.get(k) for k in
                                       ("outcome", "run_id", "message", "detail", "seconds",
                                        "pid", "peak_rss_mib")}}


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


# ── what the portfolio shows ──────────────────────────────────────────────────────────


