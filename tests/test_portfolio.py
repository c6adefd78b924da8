"""The portfolio (issue 17): every project evaluated together on Dask workers, in-process,
with results byte for byte those of single `coprod-eval run`s; a cache on the inputs; a
DuckDB store that is idempotent and survives a crash mid-write; a worker killed mid-run; a
failed project reported without stopping the others; the portfolio report, app and audit."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest
from conftest import REPO, app_page
from test_responses import respond

from coprod_eval.portfolio.cluster import NO_FIXED_PORT
from coprod_eval.portfolio.evaluate import PORTFOLIO_RUNS, run_portfolio
from coprod_eval.portfolio.store import RUN_TABLES, STORE_FILE
from coprod_eval.render.portfolio import NOT_A_LEAGUE_TABLE

spec = importlib.util.spec_from_file_location(
    "generate_portfolio", REPO / "data_samples" / "generate_portfolio.py")
generator = importlib.util.module_from_spec(spec)
spec.loader.exec_module(generator)

SEED = 7
# every third project has a finished round 1 and is now in round 2
PROJECTS, ROUNDS = 6, 3
# Every file a run writes that depends on nothing but the inputs (the manifest records when
# and how the run was made; the executed notebook only exists in a notebook run).
SAME_BYTES = ("results.json", "report.html", "summary.html", "principles.csv", "truths.csv",
              "quotes.csv", "results.xlsx", "provenance.json", "anonymisation-log.json")


def cli(*args, timeout: float = 600, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "coprod_eval", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def finished(folder: Path) -> list[Path]:
    return sorted(p for p in (folder / "runs").iterdir()
                  if not p.name.startswith(".") and (p / "manifest.json").is_file())


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("portfolio") / "funded"
    generator.generate_portfolio(out, PROJECTS, SEED, ROUNDS)
    return out


@pytest.fixture(scope="module")
def portfolio(generated) -> tuple[Path, subprocess.CompletedProcess]:
    """The generated portfolio, evaluated once by the command line on a 2-worker cluster."""
    done = cli("portfolio", generated, "--workers", "2", "--no-progress")
    return generated, done


def latest_portfolio_run(folder: Path) -> Path:
    return sorted(p for p in (folder / PORTFOLIO_RUNS).iterdir()
                  if not p.name.startswith("."))[-1]


def test_generator_is_seeded(tmp_path):
    a, b, c = (tmp_path / x for x in "abc")
    generator.generate_portfolio(a, 3, SEED)
    generator.generate_portfolio(b, 3, SEED)
    generator.generate_portfolio(c, 3, SEED + 1)
    assert tree_digest(a) == tree_digest(b)
    assert tree_digest(a) != tree_digest(c)
    listed = (a / "portfolio.yaml").read_text()
    assert listed.count("- folder: project-") == 3 and "commissioner: " in listed


def test_two_workers_evaluate_every_project_as_single_runs_would(portfolio):
    folder, done = portfolio
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{PROJECTS} projects, {PROJECTS} evaluated, 0 unchanged, 0 failed" in done.stdout
    assert "(2 Dask workers)" in done.stdout
    for project in sorted(folder.glob("project-*")):
        made = finished(project)[-1]
        manifest = json.loads((made / "manifest.json").read_text())
        assert manifest["kernel"] is None and manifest["notebooks"] == []
        assert manifest["engine"].startswith("in-process")
        # the same folder, run the usual way: a kernel and the notebook
        single = cli("run", project, "--no-progress")
        assert single.returncode == 0, single.stdout + single.stderr
        notebook_run = finished(project)[-1]
        assert notebook_run != made and (notebook_run / "evaluation.ipynb").is_file()
        for name in SAME_BYTES:
            assert (made / name).read_bytes() == (notebook_run / name).read_bytes(), \
                f"{project.name}: {name} differs"


def test_store_holds_every_run_and_matches_results(portfolio):
    folder, _ = portfolio
    run = latest_portfolio_run(folder)
    data = json.loads((run / "portfolio.json").read_text())
    con = duckdb.connect(str(folder / STORE_FILE), read_only=True)
    try:
        for project in data["projects"]:
            results = json.loads((folder / project["project"] / "runs" / project["run_id"]
                                  / "results.json").read_text())
            stored = dict(con.execute(
                "SELECT principle, rating FROM principles WHERE project = ? AND run_id = ?",
                [project["project"], project["run_id"]]).fetchall())
            assert stored == {p["id"]: p["rating"] for p in results["principles"]}
            verdict, rnd = con.execute("SELECT verdict, round FROM runs WHERE project = ? AND "
                                       "run_id = ?", [project["project"],
                                                      project["run_id"]]).fetchone()
            assert verdict == results["overall"]["claim_verdict"]
            assert rnd == results["project"]["round"] == project["round"]
            # the organisation's conduct towards few partners, in words where no figure is
            stored_words = dict(con.execute(
                "SELECT principle || '/' || indicator, band_word FROM indicators WHERE "
                "project = ? AND run_id = ?", [project["project"], project["run_id"]]
            ).fetchall())
            assert stored_words == {f"{p['id']}/{e['id']}": e["band_word"]
                                    for p in results["principles"] for e in p["evidence"]}
        # earlier rounds are in the store too: trends across rounds
        rounds = dict(con.execute("SELECT project, count(DISTINCT round) FROM runs "
                                  "GROUP BY project").fetchall())
        assert sorted(rounds.values()) == [1] * 4 + [2] * 2
        # the Parquet export is the store, table by table
        for table in RUN_TABLES:
            exported = con.execute(f"SELECT count(*) FROM read_parquet('{run}/parquet/"
                                   f"{table}.parquet')").fetchone()[0]
            assert exported == con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def test_the_page_is_not_a_league_table(portfolio):
    folder, _ = portfolio
    run = latest_portfolio_run(folder)
    data = json.loads((run / "portfolio.json").read_text())
    report = (run / "report.html").read_text()
    assert NOT_A_LEAGUE_TABLE in report
    # projects in a fixed order that is not any rating's
    order = [(p["commissioner"], p["programme"], p["name"]) for p in data["projects"]]
    assert order == sorted(order)
    from coprod_eval.runs.artefacts import html_text

    visible = " ".join(html_text(report).split()).lower()
    for word in ("rank", "score", "league position", "top ", "bottom "):
        assert word not in visible.replace(NOT_A_LEAGUE_TABLE.lower(), ""), word
    # every heat-map cell states the rating, its range, the confidence and the movement
    cells = re.findall(r"<td style=\"background: (#[0-9A-Fa-f]{6}); color: #[0-9a-f]{6}\""
                       r"(?: class=\"low\")?><strong>([^<]+)</strong><br>([^<]+)<br>"
                       r"([^<]+)<br>([^<]+)</td>", report)
    expected = [(c["rating_label"], c["confidence"], c["borderline"], p["round"])
                for framework in sorted({p["framework"] for p in data["projects"]})
                for p in data["projects"] if p["framework"] == framework
                for c in p["principles"]]
    assert len(cells) == len(expected)
    for (_, rating, spread, confidence, since), (label, level, borderline, rnd) in zip(
            cells, expected):
        assert rating == label and confidence.lower().startswith(level)
        assert spread.startswith("range ") == borderline
        assert (since == "first round") == (rnd == 1)
    # a project's drill-down link works from the portfolio run folder itself
    for project in data["projects"]:
        assert (run / project["report"]).read_bytes() == (
            folder / project["project"] / "runs" / project["run_id"] / "report.html"
        ).read_bytes()
        assert f'href="{project["report"]}"' in report


def test_the_portfolio_charts_stand_out_and_read_at_12_px(portfolio):
    """Issue 32 (WCAG 1.4.11, 1.4.10), read from each drawn SVG as for a project's charts."""
    from test_charts import marks_stand_out

    from coprod_eval.render.portfolio import claims_chart, trend_chart, verdict_chart

    folder, _ = portfolio
    data = json.loads((latest_portfolio_run(folder) / "portfolio.json").read_text())
    projects = data["projects"]
    charts = {"verdicts": verdict_chart(data, projects), "movement": trend_chart(data, projects),
              **{f"claims-{ladder}": claims_chart(data, projects, ladder)
                 for ladder in sorted({p["ladder"] for p in projects})}}
    assert sum(marks_stand_out(name, chart) for name, chart in charts.items()) > 10


def test_rerun_is_incremental_and_idempotent(portfolio):
    folder, _ = portfolio
    before = latest_portfolio_run(folder)
    kept = tree_digest(before)
    # both sides answer one project's findings: their responses reach the store
    data = json.loads((before / "portfolio.json").read_text())
    answered = next(p for p in data["projects"] if p["truths"] >= 1)
    latest = finished(folder / answered["project"])[-1]
    respond(folder / answered["project"], latest, "project", [
        {"truth": 1, "stance": "disputed", "reason": "Our records were incomplete.",
         "action": {"what": "Pay partners within a week", "owner": "service manager",
                    "due": "2027-01-31", "status": "planned"}}])
    # the single runs made above have the same inputs: found by their key, not run again
    # (the store takes them in as the projects' latest runs)
    again = cli("portfolio", folder, "--no-progress")
    assert again.returncode == 0, again.stderr
    assert f"{PROJECTS} projects, 0 evaluated, {PROJECTS} unchanged" in again.stdout
    con = duckdb.connect(str(folder / STORE_FILE), read_only=True)
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in RUN_TABLES}
    assert con.execute("SELECT project, run_id, truth, side, stance, action, action_due FROM "
                       "responses").fetchall() == [
        (answered["project"], latest.name, 1, "project", "disputed",
         "Pay partners within a week", "2027-01-31")]
    con.close()
    again = cli("portfolio", folder, "--no-progress")  # nothing new: the store as it was
    assert again.returncode == 0, again.stderr
    assert f"{PROJECTS} projects, 0 evaluated, {PROJECTS} unchanged" in again.stdout
    con = duckdb.connect(str(folder / STORE_FILE), read_only=True)
    assert counts == {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                      for t in RUN_TABLES}
    con.close()
    assert tree_digest(before) == kept  # the earlier portfolio run is untouched
    # one project's evidence changed: only it is evaluated (in this process, no cluster)
    survey = folder / "project-001" / "evidence" / "survey.csv"
    lines = survey.read_text().splitlines()
    lines[1] = lines[1].rsplit(",", 1)[0] + ","  # one answer now missing
    survey.write_text("\n".join(lines) + "\n")
    changed = cli("portfolio", folder, "--no-progress")
    assert changed.returncode == 0, changed.stderr
    assert f"{PROJECTS} projects, 1 evaluated, {PROJECTS - 1} unchanged" in changed.stdout


def test_a_failed_project_is_reported_and_never_stops_the_others(tmp_path):
    folder = tmp_path / "funded"
    generator.generate_portfolio(folder, 3, SEED)
    survey = folder / "project-002" / "evidence" / "survey.csv"
    lines = survey.read_text().splitlines()
    fields = lines[5].split(",")
    fields[1] = "Jane Doe"  # not a group: the problem would quote it
    lines[5] = ",".join(fields)
    survey.write_text("\n".join(lines) + "\n")
    done = cli("portfolio", folder, "--workers", "2", "--no-progress", "--pdf")
    assert done.returncode == 1
    assert "3 projects, 2 evaluated, 0 unchanged, 1 failed" in done.stdout
    assert "FAILED project-002: " in done.stdout and "evidence/survey.csv:6:" in done.stdout
    assert "coprod-eval validate" in done.stdout
    run = latest_portfolio_run(folder)
    report = (run / "report.html").read_text()
    assert "project-002" in report and "evidence/survey.csv:6:" in report
    # the board's PDF: the same report, printed
    printed = subprocess.run(["pdftotext", str(run / "report.pdf"), "-"], capture_output=True,
                             text=True, check=True).stdout
    assert "This is not a league table" in printed and "evidence/survey.csv:6:" in printed
    data = json.loads((run / "portfolio.json").read_text())
    assert [p["project"] for p in data["projects"]] == ["project-001", "project-003"] or \
        sorted(p["project"] for p in data["projects"]) == ["project-001", "project-003"]
    assert not (folder / "project-002" / "runs").exists() or not finished(
        folder / "project-002")
    for path in [run / "report.html", run / "portfolio.json", *run.glob("parquet/*")]:
        assert b"Jane Doe" not in path.read_bytes(), path


def test_notebooks_executes_each_projects_notebook_too(tmp_path):
    folder = tmp_path / "funded"
    generator.generate_portfolio(folder, 2, SEED)
    done = cli("portfolio", folder, "--workers", "2", "--notebooks", "--no-progress")
    assert done.returncode == 0, done.stdout + done.stderr
    for project in sorted(folder.glob("project-*")):
        run = finished(project)[-1]
        manifest = json.loads((run / "manifest.json").read_text())
        assert manifest["engine"] == "papermill" and manifest["kernel"]
        assert (run / "evaluation.ipynb").is_file() and (run / "report.html").is_file()


def test_portfolio_yaml_problems_are_all_named_and_nothing_is_written(tmp_path):
    folder = tmp_path / "funded"
    generator.generate_portfolio(folder, 2, SEED)
    (folder / "portfolio.yaml").write_text(
        "projects:\n"
        "  - folder: project-001\n"
        "    comissioner: Typo ICB\n"
        "  - folder: nowhere\n"
        "  - folder: project-001\n"
        "  - folder: ../elsewhere\n")
    shutil.copytree(folder / "project-002", tmp_path / "elsewhere")
    done = cli("portfolio", folder, "--no-progress")
    assert done.returncode == 1
    assert "portfolio.yaml:3:projects.0.comissioner: unknown key 'comissioner'" in done.stdout
    assert "portfolio.yaml:4:projects.1.folder: 'nowhere' is not an evaluation folder" \
        in done.stdout
    assert "portfolio.yaml:5:projects.2.folder: 'project-001' is listed twice" in done.stdout
    assert ("portfolio.yaml:6:projects.3.folder: '../elsewhere' is outside the portfolio "
            "folder") in done.stdout
    assert not (folder / PORTFOLIO_RUNS).exists() and not (folder / STORE_FILE).exists()
    assert not (tmp_path / "elsewhere" / "runs").exists()


def test_a_store_of_the_last_release_is_upgraded_in_place_and_keeps_its_rows(tmp_path):
    """Store version 1 (before results.json 4.4) gains the conduct band column; its rows
    stay, and it is then a store like any other."""
    from coprod_eval.portfolio.store import SCHEMA_FILE, SCHEMA_VERSION, connect

    old = tmp_path / "last-release.duckdb"
    schema = SCHEMA_FILE.read_text(encoding="utf-8")
    version_1 = re.sub(r"\n  band_word VARCHAR,[^\n]*\n[^\n]*\n", "\n", schema)
    assert "band_word" not in version_1 and version_1 != schema
    con = duckdb.connect(str(old))
    con.execute(version_1)
    con.execute("INSERT INTO store_info VALUES ('schema_version', '1')")
    con.execute("INSERT INTO indicators VALUES ('p', 'r', 'reciprocity', 'paid_on_time', "
                "'Paid on time', 'resources', 'pct_paid_on_time', NULL, '%', "
                "'figure_withheld', NULL, NULL, NULL, 'not_evident')")
    con.close()
    con = connect(old)
    try:
        assert con.execute("SELECT value FROM store_info WHERE key = 'schema_version'"
                           ).fetchone() == (SCHEMA_VERSION,) == ("2",)
        assert con.execute("SELECT status, rating, band_word FROM indicators").fetchall() == [
            ("figure_withheld", "not_evident", None)]
    finally:
        con.close()
    con = connect(old)  # opened again: as it is, nothing to upgrade
    con.close()


def test_a_file_that_is_not_our_store_is_never_written(tmp_path):
    folder = tmp_path / "funded"
    generator.generate_portfolio(folder, 2, SEED)
    other = tmp_path / "analysts.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE runs (project VARCHAR, score DOUBLE)")
    con.execute("INSERT INTO runs VALUES ('a', 1.0)")
    con.close()
    before = other.read_bytes()
    done = cli("portfolio", folder, "--store", other, "--no-progress")
    assert done.returncode == 3
    assert "is not a portfolio store this coprod-eval can write (its tables runs" in done.stderr
    assert other.read_bytes() == before
    assert not (folder / PORTFOLIO_RUNS).exists()
    assert not any((folder / "project-001").glob("runs/*"))  # nothing was evaluated


def test_a_damaged_store_is_named_damaged_not_busy(tmp_path):
    folder = tmp_path / "funded"
    generator.generate_portfolio(folder, 2, SEED)
    damaged = tmp_path / "damaged.duckdb"
    damaged.write_bytes(b"DUCK" * 4096)
    done = cli("portfolio", folder, "--store", damaged, "--no-progress")
    assert done.returncode == 3 and "Traceback" not in done.stderr
    assert "cannot be read: it is damaged or not a DuckDB file" in done.stderr
    assert "in use by another process" not in done.stderr
    assert damaged.read_bytes() == b"DUCK" * 4096
    assert not any((folder / "project-001").glob("runs/*"))  # nothing was evaluated


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path):
    folder = tmp_path / "funded"
    generator.generate_portfolio(folder, 2, SEED)
    # Dask's own setting says how long to keep trying (30 s by default)
    done = cli("portfolio", folder, "--scheduler", "tcp://127.0.0.1:9", "--no-progress",
               env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"})
    assert done.returncode == 3
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9 within 2s" in done.stderr
    assert not (folder / PORTFOLIO_RUNS).exists()  # no half-made portfolio run, no empty folder


def test_a_worker_killed_mid_run(tmp_path):
    """One worker process is killed while it evaluates: Dask gives its work to another (the
    nanny restarts it), every project completes, and the store has each once, whole."""
    from distributed import Client, LocalCluster

    folder = tmp_path / "funded"
    generator.generate_portfolio(folder, 8, SEED)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None, host="127.0.0.1",
                      scheduler_kwargs=NO_FIXED_PORT) as cluster, \
            Client(cluster) as client:
        pids = client.run(os.getpid)
        outcome = {}

        def run():
            outcome["info"] = run_portfolio(folder, scheduler=cluster.scheduler_address,
                                            progress=False)

        thread = threading.Thread(target=run)
        thread.start()
        victim = None
        deadline = time.monotonic() + 120
        while victim is None and time.monotonic() < deadline:
            busy = [w for w, tasks in client.processing().items() if tasks]
            if busy and (folder / "project-002" / "runs").exists():
                victim = busy[0]
            time.sleep(0.05)
        assert victim is not None, "no worker ever started a project"
        os.kill(pids[victim], signal.SIGKILL)
        thread.join(timeout=600)
    info = outcome["info"]
    assert len(info.outcomes) == 8
    assert all(o["outcome"] == "evaluated" for o in info.outcomes), info.outcomes
    con = duckdb.connect(str(folder / STORE_FILE), read_only=True)
    try:
        per_project = con.execute("SELECT project, count(*) FROM latest_runs GROUP BY project"
                                  ).fetchall()
        assert sorted(p for p, n in per_project) == [f"project-{i:03d}" for i in range(1, 9)]
        whole = con.execute("SELECT r.project, r.run_id, count(p.principle) FROM runs r "
                            "LEFT JOIN principles p USING (project, run_id) "
                            "GROUP BY ALL").fetchall()
        assert all(n >= 6 for _, _, n in whole), whole
        for project, run_id, _ in whole:  # every stored run is a finished run on disk
            assert (folder / project / "runs" / run_id / "manifest.json").is_file()
    finally:
        con.close()


CRASH_WRITER = """
import json, sys
from pathlib import Path
from coprod_eval.portfolio import store
con = store.connect(Path(sys.argv[1]))
rows = json.loads(Path(sys.argv[2]).read_text())
print("ready", flush=True)
n = 0
while True:
    n += 1
    run_id = f"crash-{n:06d}"
    mine = {t: [[run_id if i == 1 else v for i, v in enumerate(r)] for r in rows[t]]
            for t in rows}
    store.write_run(con, mine)
    if n == 1:
        print("wrote", flush=True)
"""


def test_the_store_survives_a_crash_mid_write(portfolio, tmp_path):
    """A writer killed at an arbitrary moment: every run in the store is whole (its every
    row there), and the store opens and is written again as before."""
    from coprod_eval.portfolio import store

    folder, _ = portfolio
    project = folder / "project-001"
    made = [r for r in finished(project)
            if json.loads((r / "manifest.json").read_text()).get("engine")][-1]
    rows = store.run_rows("project-001", made, "x", None)
    sizes = {t: len(v) for t, v in rows.items()}
    (tmp_path / "rows.json").write_text(json.dumps(rows, default=str))
    path = tmp_path / "crash.duckdb"
    for attempt in range(3):
        writer = subprocess.Popen([sys.executable, "-c", CRASH_WRITER, str(path),
                                   str(tmp_path / "rows.json")], stdout=subprocess.PIPE,
                                  text=True)
        assert writer.stdout.readline().strip() == "ready"
        # wait for the first whole run (a condition, not a fixed time), then kill the writer
        # part-way through a later one
        assert writer.stdout.readline().strip() == "wrote"
        time.sleep(0.05 + 0.13 * attempt)
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        con = store.connect(path)
        runs = [r[0] for r in con.execute("SELECT run_id FROM runs").fetchall()]
        assert runs, "nothing was written before the kill"
        for table in RUN_TABLES:
            counts = dict(con.execute(f"SELECT run_id, count(*) FROM {table} GROUP BY run_id"
                                      ).fetchall())
            for run_id in runs:
                assert counts.get(run_id, 0) == sizes[table], (table, run_id)
            assert set(counts) <= set(runs)
        # written again: replaced, not doubled
        store.write_run(con, {t: [[runs[0] if i == 1 else v for i, v in enumerate(r)]
                                  for r in rows[t]] for t in rows})
        assert con.execute("SELECT count(*) FROM principles WHERE run_id = ?",
                           [runs[0]]).fetchone()[0] == sizes["principles"]
        con.close()


def test_audit_clears_the_portfolio_and_finds_what_is_planted(portfolio, tmp_path):
    folder, _ = portfolio
    clean = cli("audit", folder)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "parquet/runs.parquet" in clean.stderr and "report.html" in clean.stderr
    # a copy with a pseudonym from one project's evidence, and a small count of people
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy, symlinks=True)
    run = latest_portfolio_run(copy)
    report = run / "report.html"
    report.write_text(report.read_text().replace("</main>", "<p>Thanks to P003.</p></main>"))
    con = duckdb.connect()
    target = run / "parquet" / "runs.parquet"
    con.execute(f"COPY (SELECT * REPLACE (3 AS respondents) FROM read_parquet('{target}')) "
                f"TO '{run}/parquet/runs2.parquet' (FORMAT parquet)")
    con.close()
    os.replace(run / "parquet" / "runs2.parquet", target)
    found = cli("audit", copy)
    assert found.returncode == 1
    assert "report.html: a name or pseudonym from the evidence — P0…" in found.stdout
    assert "parquet/runs.parquet: a small or unrounded count of people" in found.stdout


HEATMAPS = "table.heatmap"


def heatmap_text(page) -> str:
    """The text of every heat map of the page (one per framework)."""
    return " ".join(h.inner_text() for h in page.locator(HEATMAPS).all())


@pytest.mark.browser
def test_portfolio_app_in_chromium(portfolio, artifacts):
    from test_browser import assert_reflows_on_a_phone, axe_violations

    folder, _ = portfolio
    data = json.loads((latest_portfolio_run(folder) / "portfolio.json").read_text())
    with app_page(folder, height=1100) as (page, off):
        page.wait_for_selector(".coprod-portfolio-charts table.heatmap", timeout=120_000)
        text = page.inner_text("body")
        assert NOT_A_LEAGUE_TABLE in " ".join(text.split())
        assert page.locator(HEATMAPS).count() == len({p["framework"]
                                                      for p in data["projects"]})
        drawn = heatmap_text(page)
        for project in data["projects"]:
            assert project["label"] in drawn
        page.screenshot(path=str(artifacts / "portfolio-app.png"), full_page=True)
        assert axe_violations(page) == []
        # filter by one commissioner: only their projects are drawn
        commissioner = data["projects"][0]["commissioner"]
        mine = [p for p in data["projects"] if p["commissioner"] == commissioner]
        page.locator(".coprod-app select").first.select_option(label=commissioner)
        page.wait_for_function(
            "n => document.querySelector('.coprod-status') && document.querySelector("
            "'.coprod-status').innerText.includes(`Showing ${n} of`)", arg=len(mine),
            timeout=60_000)
        drawn = heatmap_text(page)
        for project in data["projects"]:
            assert (project["label"] in drawn) == (project in mine), project["label"]
        # drill down: the project's details and its own report, served
        page.locator(".coprod-app select").nth(4).select_option(label=mine[0]["label"])
        page.wait_for_selector(".coprod-portfolio-detail table", timeout=60_000)
        detail = page.inner_text(".coprod-portfolio-detail")
        assert mine[0]["name"] in detail and "Since the last round" in detail
        link = page.locator(".coprod-portfolio-detail a").get_attribute("href")
        response = page.request.get(page.url.split("?")[0].rstrip("/") + "/" + link)
        assert response.status == 200 and mine[0]["name"].encode() in response.body()
        page.screenshot(path=str(artifacts / "portfolio-app-drilldown.png"), full_page=True)
        assert axe_violations(page) == []
        assert_reflows_on_a_phone(page, artifacts, "portfolio-app")  # issue 32
    assert off == []
