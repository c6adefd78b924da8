"""A run's artefacts as text, the way a reader meets them: HTML's visible text (a <q> in its
quotation marks), PDF through pdftotext, DOCX paragraphs, notebooks' sources and outputs,
JSON's strings, CSV and XLSX cell by cell. What the audit reads."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path


class _Text(HTMLParser):
    """Visible text of an HTML document (no style, script or tag attributes), one text node
    per line, so figures in neighbouring cells never run together."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("style", "script")
        if tag == "q" and not self._skip:
            self.parts.append("“")  # as a browser shows it, so a quote is read as one

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "script") and self._skip > 0
        if tag == "q" and not self._skip:
            self.parts.append("”")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "\n".join(" ".join(p.split()) for p in parser.parts if p.strip())


def strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def _notebook_text(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    parts = []
    for cell in nb.get("cells", []):
        parts.append("".join(cell.get("source", "")))
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            for key in ("text/html", "image/svg+xml"):
                if key in data:
                    parts.append(html_text("".join(data[key])))
            for key in ("text/plain", "text/markdown"):
                if key in data:
                    parts.append("".join(data[key]))
            if "text" in output:
                parts.append("".join(output["text"]))
    return "\n".join(parts)


def _xlsx_text(path: Path) -> str:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    return "\n".join(str(v) for sheet in book.worksheets for row in sheet.iter_rows(
        values_only=True) for v in row if v is not None)


def _csv_text(path: Path) -> str:
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    return "\n".join(cell for row in csv.reader(io.StringIO(text)) for cell in row)


def artefact_text(path: Path) -> str | None:
    """Every piece of text in an artefact, one cell or text node per line."""
    suffix = path.suffix.lower()
    if suffix in (".html", ".svg"):
        return html_text(path.read_text(encoding="utf-8"))
    if suffix == ".ipynb":
        return _notebook_text(path)
    if suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        if path.name == "manifest.json" and isinstance(data, dict):
            # run facts written by coprod-eval itself, never evidence: ids, times, versions
            data = {k: v for k, v in data.items() if k in ("evidence_notes", "parameters")}
        return "\n".join(strings(data))
    if suffix == ".csv":
        return _csv_text(path)
    if suffix in (".txt", ".md"):
        return path.read_text(encoding="utf-8", errors="replace")
    if suffix == ".xlsx":
        return _xlsx_text(path)
    if suffix == ".docx":
        return _docx_text(path)
    if suffix == ".pdf" and shutil.which("pdftotext"):
        done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
        return done.stdout
    return None


def _docx_text(path: Path) -> str:
    import zipfile

    with zipfile.ZipFile(path) as book:
        xml = book.read("word/document.xml").decode("utf-8", "replace")
    return "\n".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))
