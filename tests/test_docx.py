"""report.docx for board papers: the same sections, tables and charts as report.html, A4,
editable, each chart with its text alternative; read back with python-docx and LibreOffice-free
checks against the HTML it came from (lxml), not against the writer's own output."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import lxml.html
import pytest
from docx.shared import Mm

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data_samples" / "involvement-as-coproduction"


def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "coprod_eval", *map(str, args)],
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def run_with_docx(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("docx") / "ev"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("runs"))
    done = cli("run", folder, "--no-progress", "--docx")
    assert done.returncode == 0, done.stderr
    assert "Word:" in done.stdout
    return next(p for p in (folder / "runs").iterdir() if not p.name.startswith("."))


def _words(text: str) -> str:
    return " ".join(text.split())


def test_the_docx_has_the_reports_headings_tables_and_charts(run_with_docx, artifacts):
    run = run_with_docx
    shutil.copyfile(run / "report.docx", artifacts / "report.docx")
    page = lxml.html.parse(str(run / "report.html")).getroot()
    main = page.find(".//main")
    document = docx.Document(str(run / "report.docx"))

    headings = [_words(p.text) for p in document.paragraphs
                if p.style.name == "Title" or p.style.name.startswith("Heading")]
    assert headings == [_words(h.text_content()) for h in main.iter("h1", "h2", "h3", "h4")]

    assert len(document.tables) == len(main.findall(".//table"))
    for table, html in zip(document.tables, main.iter("table"), strict=True):
        header = [_words(th.text_content()) for th in html.findall("./thead/tr/th")]
        if header:
            assert [_words(c.text) for c in table.rows[0].cells] == header
        assert len(table.rows) == len(html.findall(".//tr"))

    captions = [_words(c.text_content()) for c in main.iter("figcaption")]
    pictures = document.inline_shapes
    assert len(pictures) == len(captions) >= 3
    alternatives = [_words(p._inline.docPr.get("descr")) for p in pictures]
    assert alternatives == captions  # every chart carries its description as alt text
    for picture in pictures:
        assert picture.width > Mm(100)  # drawn, not an empty placeholder

    body = _words(" ".join(p.text for p in document.paragraphs))
    verdict = _words(main.find(".//*[@class='headline']").text_content())
    assert verdict.split(" ", 1)[-1] in body  # the headline (its mark is decoration)
    for truth in main.findall(".//section[@aria-labelledby='truths-heading']//ol/li"):
        assert _words(truth.text.strip()) in body


def test_the_docx_is_a4_with_the_project_and_page_numbers_in_its_footer(run_with_docx):
    document = docx.Document(str(run_with_docx / "report.docx"))
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1)
    assert abs(section.page_height - Mm(297)) < Mm(1)
    name = re.search(r'"name": "([^"]+)"', (run_with_docx / "results.json").read_text())[1]
    with zipfile.ZipFile(run_with_docx / "report.docx") as book:
        footers = " ".join(book.read(n).decode() for n in book.namelist()
                           if n.startswith("word/footer"))
    assert name in footers
    assert 'w:instr="PAGE"' in footers and 'w:instr="NUMPAGES"' in footers


def test_report_docx_never_overwrites_and_is_audited(run_with_docx):
    before = (run_with_docx / "report.docx").read_bytes()
    again = cli("report", run_with_docx, "--docx")
    assert again.returncode == 0 and "report.docx (printed before)" in again.stdout
    assert (run_with_docx / "report.docx").read_bytes() == before  # never written over
    audited = cli("audit", run_with_docx)
    assert audited.returncode == 0, audited.stdout
    assert "report.docx" in audited.stderr  # its text was scanned too


def test_report_docx_on_an_earlier_run(run_with_docx, tmp_path):
    copy = tmp_path / "ev"
    shutil.copytree(run_with_docx.parent.parent, copy)
    run = copy / "runs" / run_with_docx.name
    (run / "report.docx").unlink()
    done = cli("report", run, "--docx")
    assert done.returncode == 0, done.stderr
    assert str(run / "report.docx") in done.stdout
    assert not list(run.glob(".*partial"))
