"""The partners' Easy Read summary (issue 16, part 7): its own HTML and PDF beside the
commissioner's report; the verdict in everyday words; short sentences, one idea per line;
offline, accessible (axe-core), and naming no one."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest
from conftest import CHROMIUM, FLAGS, is_local
from playwright.sync_api import sync_playwright
from test_browser import axe_violations
from test_rounds import ROUND_1, cli, runs

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("summary") / "ev"
    shutil.copytree(ROUND_1, folder, ignore=shutil.ignore_patterns("runs"))
    done = cli("run", folder, "--no-progress")
    assert done.returncode == 0, done.stderr
    assert "Easy Read:" in done.stdout
    return runs(folder)[-1]


def test_the_summary_says_the_verdict_in_everyday_words_one_idea_per_line(run):
    page = lxml.html.parse(str(run / "summary.html")).getroot()
    lines = [" ".join(li.text_content().split()) for li in page.iter("li")]
    results = json.loads((run / "results.json").read_text())
    assert results["overall"]["claim_verdict"] == "not_supported"
    assert "The evidence does not show this." in lines
    for line in lines:
        for sentence in re.split(r"(?<=[.!?])\s+", line):
            assert len(sentence.split()) <= 25, sentence
    # every principle, in the framework's order, with its rating in everyday words
    names = [p["name"] for p in results["principles"]]
    said = [line for line in lines if line.split(":")[0] in names]
    assert [line.split(":")[0] for line in said] == names
    for line, p in zip(said, results["principles"]):
        sure = (p["confidence"] == "high" and p["rating_range"][0] == p["rating_range"][1]
                and p["stable"])
        ending = "." if sure else ", but we are not completely sure."
        assert line.endswith(tuple(words + ending for words in (
            "we did not see this", "we saw a little of this", "we saw some of this",
            "we saw this clearly"))), line
    text = page.text_content()
    assert not re.search(r"\b[SP]\d{3}\b", text)  # no respondent ids


def test_the_summary_is_offline_and_accessible_and_prints(run, artifacts):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1000, "height": 1200})
        off = []
        page.on("request", lambda r: None if is_local(r.url) else off.append(r.url))
        page.goto((run / "summary.html").as_uri())
        page.wait_for_selector("#easy-verdict")
        page.screenshot(path=str(artifacts / "summary.png"), full_page=True)
        assert axe_violations(page) == []
        assert off == []
        browser.close()
    done = cli("report", run, "--pdf")
    assert done.returncode == 0, done.stderr
    info = subprocess.run(["pdfinfo", str(run / "summary.pdf")], capture_output=True,
                          text=True, check=True).stdout
    assert "(A4)" in info
    text = subprocess.run(["pdftotext", str(run / "summary.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "The evidence does not show this." in text
    audited = cli("audit", run)
    assert audited.returncode == 0, audited.stdout
    assert "summary.html" in audited.stderr and "summary.pdf" in audited.stderr
