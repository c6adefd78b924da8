"""The portfolio store: one DuckDB file of every project × round × principle, queryable in SQL.

Its schema, with what each column means, is ``data/portfolio_store.sql`` (also what
analysts read). Only ``coprod-eval portfolio`` writes it, from the client process, whole
runs per transaction: a crash mid-write leaves each run's rows all there or all absent, and
writing a run again replaces its rows, so re-running is idempotent. Rows come from finished
runs' results.json and responses files only.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..base.errors import ExecutionError

SCHEMA_VERSION = "2"
# What brings a store of an earlier version up to this one, in one transaction, version by
# version: 2 adds the conduct band (results.json 4.4).
UPGRADES = {"1": ("ALTER TABLE indicators ADD COLUMN band_word VARCHAR",)}
SCHEMA_FILE = Path(__file__).resolve().parents[1] / "data" / "portfolio_store.sql"
STORE_FILE = "portfolio.duckdb"
# Tables with one row (or more) per run; written together, in one transaction.
RUN_TABLES = ("runs", "principles", "indicators", "truths", "responses")
EXPORTED = ("projects", *RUN_TABLES, "portfolio_runs", "outcomes")
STORE_BUSY = ("the portfolio store {path} is in use by another process ({detail}); wait for "
              "the other portfolio run to finish (nothing was changed)")
STORE_CORRUPT = ("the portfolio store {path} cannot be read: it is damaged or not a DuckDB "
                 "file ({detail}); restore it from a backup, or give a new file with --store "
                 "(nothing was changed)")
STORE_OTHER = ("{path} is not a portfolio store this coprod-eval can write (its tables "
               "{tables} are not those of data/portfolio_store.sql); give another file with "
               "--store, or move this one away (nothing was changed)")
STORE_NEWER = ("the portfolio store {path} has schema version {found}; this coprod-eval writes "
               "version {want} (use the coprod-eval that made it, or --store NEW_FILE)")


def connect(path: Path, *, read_only: bool = False):
    """Open (creating when writable) the store, its schema in place."""
    import duckdb

    try:
        # one thread: its writes are small, and a portfolio's cores belong to its workers
        con = duckdb.connect(str(path), read_only=read_only, config={"threads": 1})
    except duckdb.Error as exc:
        detail = " ".join(str(exc).split())[:200]
        lock = isinstance(exc, duckdb.IOException) and "lock" in detail.casefold()
        raise ExecutionError((STORE_BUSY if lock else STORE_CORRUPT).format(
            path=path, detail=detail)) from None
    if read_only:
        return con
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables"
                                        ).fetchall()}
    if "store_info" in tables:
        version = con.execute("SELECT value FROM store_info WHERE key = 'schema_version'"
                              ).fetchone()
        while version and version[0] in UPGRADES:
            con.execute("BEGIN")
            for statement in UPGRADES[version[0]]:
                con.execute(statement)
            version = (str(int(version[0]) + 1),)
            con.execute("UPDATE store_info SET value = ? WHERE key = 'schema_version'",
                        [version[0]])
            con.execute("COMMIT")
        if version and version[0] != SCHEMA_VERSION:
            con.close()
            raise ExecutionError(STORE_NEWER.format(path=path, found=version[0],
                                                    want=SCHEMA_VERSION))
    # a file that is not (or not yet) our store is never written to
    found, want = _columns(con), _columns(_schema_only())
    differ = sorted(t for t in found if found[t] != want.get(t))
    if differ:
        con.close()
        raise ExecutionError(STORE_OTHER.format(path=path, tables=", ".join(differ)))
    con.execute("BEGIN")
    con.execute(SCHEMA_FILE.read_text(encoding="utf-8"))
    con.execute("INSERT OR REPLACE INTO store_info VALUES ('schema_version', ?)",
                [SCHEMA_VERSION])
    con.execute("COMMIT")
    return con


def _columns(con) -> dict[str, list[tuple[str, str]]]:
    """Every table and view in the database, with its columns and their types."""
    names = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                       "WHERE table_schema = 'main'").fetchall()]
    return {t: [(c[0], c[1]) for c in con.execute(f'DESCRIBE "{t}"').fetchall()]
            for t in names}


def _schema_only():
    import duckdb

    con = duckdb.connect(":memory:")
    con.execute(SCHEMA_FILE.read_text(encoding="utf-8"))
    return con


def stored_runs(con) -> set[tuple[str, str, str]]:
    """(project, run id, results sha256) of every run in the store."""
    return set(con.execute("SELECT project, run_id, results_sha256 FROM runs").fetchall())


def run_rows(project: str, run_folder: Path, report: str, cache_key: str | None) -> dict:
    """Every row one finished run contributes, by table (nothing written)."""
    from ..inputs.responses import by_truth, load_responses
    from ..inputs.rounds import comparison_withheld, previous_run

    raw = (run_folder / "results.json").read_bytes()
    results = json.loads(raw)
    run_id = run_folder.name
    framework = results["framework"]
    ratings = [r["id"] for r in framework["ratings"]]
    labels = {r["id"]: r["label"] for r in framework["ratings"]}
    overall = results["overall"]
    survey = (results.get("evidence") or {}).get("survey") or {}
    counts = list((survey.get("respondents") or {}).values())
    respondents = (sum(counts) if counts and None not in counts else None)
    round_number = int((results.get("project") or {}).get("round") or 1)
    withheld, compared = "", None
    evaluation_folder = run_folder.parent.parent
    if round_number > 1:  # what the run's own report compares with, and whether it may
        previous = previous_run(evaluation_folder, run_folder)
        compared = previous.name if previous else None
        withheld = (comparison_withheld(run_folder, previous) if previous else
                    "the previous round has no finished run")
    manifest = json.loads((run_folder / "manifest.json").read_text("utf-8"))
    key = cache_key or manifest.get("cache_key")
    rows = {table: [] for table in RUN_TABLES}
    rows["runs"].append((
        project, run_id, round_number, results["project"]["name"], key,
        hashlib.sha256(raw).hexdigest(),
        framework["id"], framework["version"], framework["ladder"]["id"],
        framework["ladder"]["version"], (manifest.get("versions") or {}).get("coprod-eval"),
        overall["claimed_level"], overall["evidenced_level"], overall["level_range"][0],
        overall["level_range"][-1], overall["claim_verdict"], overall["confidence"],
        len(overall["inconvenient_truths"]), respondents, compared, withheld, report))
    for position, p in enumerate(results["principles"]):
        low, high = p["rating_range"][0], p["rating_range"][-1]
        rows["principles"].append((
            project, run_id, p["id"], p["name"], position, p["rating"], labels[p["rating"]],
            ratings.index(p["rating"]), low, high, p.get("claimed_rating"), p["confidence"],
            low != high, p.get("stable")))
        for e in p.get("evidence") or []:
            interval = e.get("interval") or [None, None]
            rows["indicators"].append((
                project, run_id, p["id"], e["id"], e.get("label"), e.get("stream"),
                e.get("measure"), e.get("group"), e.get("unit"), e.get("status"),
                e.get("value"), interval[0], interval[-1], e.get("rating"),
                e.get("band_word")))
    if overall["inconvenient_truths"]:
        from ..render.words.truths import truth_text
        from ..results import EvaluationResult

        result = EvaluationResult.from_dict(results)  # the words read a result
        for t in result.overall.inconvenient_truths:
            rows["truths"].append((project, run_id, t["rank"], t["kind"], t["principle"],
                                   truth_text(result, t)))
    for truth, said in by_truth(load_responses(evaluation_folder, run_folder)).items():
        for entry in said:
            action = entry.get("action") or {}
            rows["responses"].append((project, run_id, truth, entry["side"], entry["stance"],
                                      entry["reason"], action.get("what"), action.get("due"),
                                      action.get("status")))
    return rows


def write_run(con, rows: dict) -> None:
    """Replace one run's rows (:func:`run_rows`): all of them or, on any failure, none."""
    write_runs(con, [rows])


def write_runs(con, runs: list[dict]) -> None:
    """Replace the rows of whole runs in one transaction: every run's rows or, on any
    failure (a crash included), none of them. Many runs at once cost little more than one
    (a table is written with one statement, not one per row)."""
    import pandas as pd

    if not runs:
        return
    keys = pd.DataFrame([r["runs"][0][:2] for r in runs], columns=["project", "run_id"])
    con.execute("BEGIN")
    try:
        con.register("written", keys)
        for table in RUN_TABLES:
            con.execute(f"DELETE FROM {table} WHERE (project, run_id) IN "
                        "(SELECT project, run_id FROM written)")
            rows = [row for run in runs for row in run[table]]
            if rows:
                columns = [c[0] for c in con.execute(f"DESCRIBE {table}").fetchall()]
                con.register("incoming", pd.DataFrame(rows, columns=columns))
                con.execute(f"INSERT INTO {table} SELECT * FROM incoming")
                con.unregister("incoming")
        con.unregister("written")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def write_projects(con, projects: list[tuple]) -> None:
    """Each (Project, outcome, message) as the portfolio lists it, named as its latest
    stored run names it, in one transaction."""
    import pandas as pd

    listed = pd.DataFrame([(p.key, p.commissioner, p.organisation, p.programme, outcome,
                            message) for p, outcome, message in projects],
                          columns=["project", "commissioner", "organisation", "programme",
                                   "last_outcome", "last_message"])
    con.execute("BEGIN")
    con.register("listed", listed)
    con.execute("INSERT OR REPLACE INTO projects SELECT l.project, r.name, l.commissioner, "
                "l.organisation, l.programme, l.last_outcome, l.last_message FROM listed l "
                "LEFT JOIN (SELECT project, name FROM runs QUALIFY row_number() OVER "
                "(PARTITION BY project ORDER BY round DESC, run_id DESC) = 1) r USING (project)")
    con.unregister("listed")
    con.execute("COMMIT")


def export_parquet(con, folder: Path) -> list[Path]:
    """Every table as Parquet (DuckDB's own writer), for analysts' tools."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in EXPORTED:
        target = folder / f"{table}.parquet"
        con.execute(f"COPY (SELECT * FROM {table} ORDER BY ALL) TO '{_quoted(target)}' "
                    "(FORMAT parquet)")
        written.append(target)
    return written


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")
