"""Shared fixtures: copies of the bundled samples, so no test writes into the repository."""

from __future__ import annotations

import hashlib
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "data_samples"
GOLDEN = Path(__file__).resolve().parent / "golden"
ARTIFACTS = REPO / "test-artifacts"
GENUINE = "genuine-coproduction"
INVOLVEMENT = "involvement-as-coproduction"
PARTIAL = "partial-evidence"
SURVEY_ONLY = "survey-only"
THREE_GROUPS = "uk-standards-three-groups"
SAMPLE_NAMES = (GENUINE, INVOLVEMENT, PARTIAL, SURVEY_ONLY, THREE_GROUPS)

# Units of work for pytest-xdist (make test: -n 2 --dist loadfile --no-loadscope-reorder): a
# test file is one unit, so its module fixtures are made once, except the tests below, each
# parameter of which is a unit of its own. The slowest units go first, so the workers finish
# together; the truth oracle's parts, small and many, go last and fill in round the rest.
# (The scheduler is ours because xdist_group marks are lost on pytest 9.2: xdist issue 1386.)
OWN_UNITS = ("tests/test_reproduce.py::test_the_ci_workflow_runs_in_order_in_a_fresh_venv",
             "tests/test_truth_oracle.py::test_no_published_statement_contradicts_the_exact_"
             "figures")
SLOWEST_FIRST = (OWN_UNITS[0], "tests/test_portfolio.py", "tests/test_browser.py",
                 "tests/test_own_questionnaire.py", "tests/test_responses.py",
                 "tests/test_privacy.py", "tests/test_quotes_cannot_leak.py",
                 "tests/test_rounds.py", "tests/test_notebooks.py", "tests/test_hostile.py",
                 "tests/test_stats_vs_scipy.py")


def unit_of(nodeid: str) -> str:
    for own in OWN_UNITS:
        if nodeid == own or nodeid.startswith(own + "["):
            return nodeid
    return nodeid.split("::")[0]


def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ByUnit(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return unit_of(nodeid)

    return ByUnit(config, log)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    def place(item) -> tuple[int, int]:
        unit = unit_of(item.nodeid)
        if unit in SLOWEST_FIRST:
            return 0, SLOWEST_FIRST.index(unit)
        return (2, 0) if unit.startswith(OWN_UNITS[1]) else (1, 0)

    items.sort(key=place)  # a stable sort: each file's tests keep their order


def copy_sample(name: str, where: Path) -> Path:
    target = where / name
    shutil.copytree(SAMPLES / name, target, ignore=shutil.ignore_patterns("runs"))
    return target


@pytest.fixture
def genuine(tmp_path) -> Path:
    return copy_sample(GENUINE, tmp_path)


@pytest.fixture
def involvement(tmp_path) -> Path:
    return copy_sample(INVOLVEMENT, tmp_path)


def checksums(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder`` except run folders."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and "runs" not in p.parts}


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def drop_partners(folder: Path, keep: int) -> None:
    """Keep only the first ``keep`` community partners' survey answers (a test's copy)."""
    import csv

    path = folder / "evidence" / "survey.csv"
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    partners = list(dict.fromkeys(r[0] for r in rows[1:] if r[1] == "partner"))[:keep]
    kept = [rows[0]] + [r for r in rows[1:] if r[1] != "partner" or r[0] in partners]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(kept)


def approve_quotes(folder: Path, excerpts: list[str] | None = None) -> None:
    """The evaluator's sign-off of quotes as they read now (all consented ones by default)."""
    from datetime import date

    import coprod_eval as ce
    from coprod_eval.compute.quotes import quote_candidates
    from coprod_eval.prepare.people import approve_quotes as approve

    if excerpts is None:
        evaluation = ce.load_evaluation(folder)
        excerpts = [c["excerpt"] for c in quote_candidates(evaluation,
                                                           ce.load_evidence(evaluation))
                    if c["consented"]]
    approve(folder, excerpts, by="Test evaluator", role="Lead evaluator", on=date(2026, 11, 21))


def served_url(process, timeout: float = 60,
               said: str = "Open the report app at: ") -> str | None:
    """The URL `coprod-eval serve` (or lab, with ``said="Open: "``) prints when it is ready
    (None if it never does)."""
    import re
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        match = re.search(re.escape(said) + r"(\S+)", process.stdout.readline())
        if match:
            return match.group(1)
    return None


# Debian's chromium, as the browser tests drive it (playwright cannot download browsers here)
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


def is_local(url: str) -> bool:
    from urllib.parse import urlparse

    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "about", "file"):
        return True
    return parsed.hostname in LOCAL_HOSTS


@contextmanager
def app_page(folder: Path, *args: str, height: int = 1000):
    """``coprod-eval serve FOLDER ARGS…`` opened in Chromium: yields the page and the list of
    requests it made off the machine (which a test expects to stay empty)."""
    import subprocess
    import sys
    import time

    from playwright.sync_api import sync_playwright

    process = subprocess.Popen([sys.executable, "-m", "coprod_eval", "serve", str(folder),
                                *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True)
    try:
        url = served_url(process)
        assert url, "serve printed no URL"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page(viewport={"width": 1280, "height": height})
            off: list[str] = []
            page.on("request", lambda r: None if is_local(r.url) else off.append(r.url))
            for _ in range(120):
                try:
                    page.goto(url)
                    break
                except Exception:  # the server is still starting
                    time.sleep(0.5)
            yield page, off
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=20)
