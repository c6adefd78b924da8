"""``coprod-eval audit RUN``: check every artefact of a run for what must never leave it.

Scans HTML (visible text), PDF (text, with pdftotext), notebooks (sources and outputs), JSON
(string values), CSV and XLSX (cells) for personal details (the de-identification patterns),
for the pseudonyms and roster names of the evaluation's evidence, and results.json for small
cells (counts of 1 to threshold-1 people, or counts not rounded). The anonymisation log is
skipped: it holds the originals by design and never leaves the evaluation team.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from .deidentify import PATTERNS
from .runner import run_folder

SKIPPED = ("anonymisation-log.json",)
PLACEHOLDER = re.compile(r"\[[A-Za-z ]+ \d+\]")
DIGEST = re.compile(r"\b[0-9a-f]{32,}\b")  # sha256 checksums in the manifest
COUNT_KEYS = ("n", "respondents", "records", "staff", "partner")


@dataclass(frozen=True)
class Finding:
    file: str
    what: str
    where: str

    def __str__(self) -> str:
        return f"{self.file}: {self.what} — {self.where}"


class _Text(HTMLParser):
    """Visible text of an HTML document (no style, script or tag attributes)."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("style", "script")

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "script") and self._skip > 0

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _notebook_text(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    parts = []
    for cell in nb.get("cells", []):
        parts.append("".join(cell.get("source", "")))
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                parts.append(html_text("".join(data["text/html"])))
            for key in ("text/plain", "text/markdown"):
                if key in data:
                    parts.append("".join(data[key]))
            if "text" in output:
                parts.append("".join(output["text"]))
    return "\n".join(parts)


def _xlsx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as book:
        xml = [book.read(n).decode("utf-8", "replace") for n in book.namelist()
               if n.startswith("xl/") and n.endswith(".xml")]
    return " ".join(re.sub(r"<[^>]+>", " ", x) for x in xml)


def artefact_text(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix == ".html":
        return html_text(path.read_text(encoding="utf-8"))
    if suffix == ".ipynb":
        return _notebook_text(path)
    if suffix == ".json":
        return "\n".join(_strings(json.loads(path.read_text(encoding="utf-8"))))
    if suffix in (".csv", ".txt", ".md"):
        return path.read_text(encoding="utf-8", errors="replace")
    if suffix == ".xlsx":
        return _xlsx_text(path)
    if suffix == ".pdf" and shutil.which("pdftotext"):
        done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
        return done.stdout
    return None


def _small_cells(results: dict, min_n: int, base: int, file: str) -> list[Finding]:
    found = []

    def walk(value, where):
        if isinstance(value, dict):
            for key, item in value.items():
                if key in COUNT_KEYS and isinstance(item, int) and not isinstance(item, bool):
                    if 0 < item < min_n:
                        found.append(Finding(file, f"a count of {item} people (below {min_n})",
                                             f"{where}.{key}"))
                    elif item % base:
                        found.append(Finding(file, f"a count of {item} not rounded to {base}",
                                             f"{where}.{key}"))
                walk(item, f"{where}.{key}")
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, f"{where}[{i}]")

    walk({k: v for k, v in results.items() if k not in ("parameters", "privacy", "framework")},
         "results")
    return found


def _mask(text: str) -> str:
    return text[:2] + "…" if len(text) > 2 else "…"


def audit(run: str | Path) -> tuple[list[Finding], list[str]]:
    """Findings in a run's artefacts, and the files that were scanned."""
    run = run_folder(run)
    names: set[str] = set()
    min_n, base = 8, 5
    results_path = run / "results.json"
    if results_path.is_file():
        privacy = json.loads(results_path.read_text()).get("privacy", {})
        min_n, base = privacy.get("min_group_size", min_n), privacy.get("round_to", base)
    evaluation_root = run.parent.parent
    try:
        from .config import load_evaluation
        from .evidence import load_evidence
        from .assessment import _pseudonyms

        evaluation = load_evaluation(evaluation_root)
        names = set(_pseudonyms(load_evidence(evaluation))) | {
            t for n in evaluation.roster for t in n.split() if len(t) >= 3}
    except Exception:  # noqa: BLE001 - the evidence may have changed since; scan what we can
        names = set()
    name_pattern = (re.compile(r"\b(" + "|".join(map(re.escape, sorted(names))) + r")\b", re.I)
                    if names else None)

    findings: list[Finding] = []
    scanned = []
    for path in sorted(p for p in run.rglob("*") if p.is_file()):
        rel = path.relative_to(run).as_posix()
        if path.name in SKIPPED:
            continue
        text = artefact_text(path)
        if text is None:
            continue
        scanned.append(rel)
        clean = DIGEST.sub(" ", PLACEHOLDER.sub(" ", text))
        for kind, pattern in PATTERNS:
            if kind == "date" and path.name == "manifest.json":
                continue  # the manifest records when the run happened
            for match in pattern.finditer(clean):
                findings.append(Finding(rel, f"possible {kind}", _mask(match.group(0))))
        if name_pattern is not None:
            for match in name_pattern.finditer(clean):
                findings.append(Finding(rel, "a name or pseudonym from the evidence",
                                        _mask(match.group(0))))
        if path.name == "results.json":
            findings += _small_cells(json.loads(path.read_text()), min_n, base, rel)
    return findings, scanned
