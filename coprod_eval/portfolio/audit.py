"""``coprod-eval audit PORTFOLIO-RUN``: the portfolio's artefacts (report, portfolio.json, the
Parquet tables) checked with the audit's detectors against every project's people and
disclosure rules (see :mod:`coprod_eval.runs.audit`)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..runs.artefacts import artefact_text
from ..runs.audit import (
    DIGEST,
    PLACEHOLDER,
    Finding,
    _evidence_people,
    _id_set,
    _logged_people,
    _mask,
    _public_dates,
    _roster_forms,
    contacts,
    dates,
    names,
    numbers,
    pseudonyms,
)

PROCESS_TABLES = ("portfolio_runs", "outcomes")  # when the portfolio ran: about no one
RUN_ID = re.compile(r"\b\d{8}-\d{6}(?:-\d+)?\b")


def portfolio_run_of(path: str | Path) -> Path | None:
    """``path`` itself when it is a portfolio run, the latest portfolio run of a portfolio
    folder, or None when it is neither."""
    from .evaluate import DATA_FILE, finished_portfolio_runs

    path = Path(path)
    if (path / DATA_FILE).is_file():
        return path
    if (path / "evaluation.yaml").is_file():
        return None
    done = finished_portfolio_runs(path)
    return done[-1] if done else None


def audit_portfolio(run: Path) -> tuple[list[Finding], list[str]]:
    """Findings in a portfolio run's artefacts: its report (and PDF), portfolio.json, the
    Parquet export and the projects' reports it links, against every project's roster and
    pseudonyms (a name from any project is a finding anywhere), with every project's own
    public dates allowed, and each project's published counts checked against its own
    disclosure rules."""
    data = json.loads((run / "portfolio.json").read_text(encoding="utf-8"))
    root = run.parent.parent
    roster, ids, public = set(), set(), set()
    # run ids (when a run was made, e.g. 20261126-135719) name runs, not people
    run_ids = {p.name for p in (root / "portfolio-runs").iterdir()}
    rules = {}
    for project in data["projects"]:
        folder = root / project["project"]
        run_ids.update(p.name for p in (folder / "runs").glob("[0-9]*"))
        project_run = folder / "runs" / project["run_id"]
        their_roster, their_ids = (_evidence_people(folder) or _logged_people(project_run)
                                   or ((), set()))
        roster.update(their_roster)
        ids.update(their_ids)
        public.update(_public_dates(project_run))
        try:
            privacy = json.loads((project_run / "results.json").read_text())["privacy"]
            rules[project["project"]] = (privacy["min_group_size"], privacy["round_to"])
        except (OSError, ValueError, KeyError):
            rules[project["project"]] = (8, 5)
    roster_forms, id_set = _roster_forms(tuple(roster)), _id_set(ids)
    findings: list[Finding] = []
    scanned = []
    for path in sorted(p for p in run.rglob("*") if p.is_file()):
        rel = path.relative_to(run).as_posix()
        if path.suffix == ".parquet":
            text = _parquet_text(path, process=path.stem in PROCESS_TABLES)
            if path.stem == "runs":
                findings += _small_respondents(path, rules, rel)
        else:
            text = artefact_text(path)
        if text is None:
            continue
        scanned.append(rel)
        clean = DIGEST.sub(" ", PLACEHOLDER.sub(" ", text))
        clean = RUN_ID.sub(lambda m: " " if m.group() in run_ids else m.group(), clean)
        for kind, value in numbers(clean) + contacts(clean):
            findings.append(Finding(rel, f"possible {kind}", _mask(value)))
        for date in sorted(public, key=len, reverse=True):
            clean = clean.replace(date, " ")
        findings += [Finding(rel, "possible date", _mask(d)) for d in dates(clean)]
        for word in names(clean, roster_forms) + pseudonyms(clean, id_set):
            findings.append(Finding(rel, "a name or pseudonym from the evidence", _mask(word)))
    return findings, scanned


def _parquet_text(path: Path, *, process: bool) -> str:
    """Every text value of a Parquet table, one per line (a process table's times left
    out: when the portfolio ran is about no one)."""
    import duckdb

    con = duckdb.connect()
    try:
        table = con.execute("SELECT * FROM read_parquet(?)", [str(path)])
        columns = [d[0] for d in table.description]
        rows = table.fetchall()
    finally:
        con.close()
    return "\n".join(str(v) for row in rows for c, v in zip(columns, row)
                     if v is not None and not (process and c.endswith("_utc")))


def _small_respondents(path: Path, rules: dict, rel: str) -> list[Finding]:
    """A project's respondents as stored: none of 1 to its threshold - 1, none unrounded."""
    import duckdb

    con = duckdb.connect()
    try:
        rows = con.execute("SELECT project, respondents FROM read_parquet(?) WHERE "
                           "respondents IS NOT NULL", [str(path)]).fetchall()
    finally:
        con.close()
    found = []
    for project, n in rows:
        min_n, base = rules.get(project, (8, 5))
        if 0 < n < min_n or n % base:
            found.append(Finding(rel, f"a small or unrounded count of people ({project})",
                                 str(n)))
    return found
