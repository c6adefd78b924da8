"""``coprod-eval audit RUN``: check every artefact of a run for what must never leave it.

The audit checks the de-identification promise with detectors of its own, written
differently from the redactor (so one mistake cannot hide in both): numbers are found by
collapsing the separators people put between digits and counting them; dates by month names
near numbers; names by comparing folded words with the roster and its nicknames (exact, or a
close spelling in a capitalised word); pseudonyms by collapsing the separators people put
between letters and digits. It scans HTML (visible text, SVG labels included), PDF (pdftotext),
notebooks (sources and outputs), JSON (string values), CSV and XLSX (cell by cell), and checks
results.json for small cells (counts of 1 to threshold-1 people, or counts not rounded).
The anonymisation log is skipped (it holds the originals by design and never leaves the
evaluation team). A run superseded by a participant's withdrawal is never cleared.
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
import json
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .artefacts import artefact_text, strings
from .folder import run_folder, stray_files

SKIPPED = ("anonymisation-log.json",)
PLACEHOLDER = re.compile(r"\[[A-Za-z ]+ \d+\]")
DIGEST = re.compile(r"\b[0-9a-f]{32,}\b")  # sha256 checksums in the manifest
COUNT_KEYS = ("n", "respondents", "records", "staff", "partner")
MONTH_WORDS = {"january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december", "jan", "feb", "mar", "apr",
               "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
DOMAINS = ("com", "org", "net", "uk", "io", "me", "info", "co", "ly", "app", "social", "tv",
           "gov", "nhs", "edu", "blog", "online", "site", "page", "dev")


@dataclass(frozen=True)
class Finding:
    file: str
    what: str
    where: str

    def __str__(self) -> str:
        return f"{self.file}: {self.what} — {self.where}"


# --- detectors (independent of coprod_eval.disclosure.deidentify) ------------------------------

def numbers(text: str) -> list[tuple[str, str]]:
    """Numbers that could identify someone: separators between digits collapsed, then any
    run of ten or more digits (an NHS number, a phone number in any form)."""
    found = []
    for line in _plain(text).splitlines():
        collapsed = re.sub(r"(?<=\d)(?:[^\w\n]|_){1,3}(?=\d)", "", line)
        collapsed = re.sub(r"\(\s*0\s*\)", "", collapsed)
        for match in re.finditer(r"(\+?)(\d{10,})", collapsed):
            digits = match.group(2)
            kind = ("phone number" if match.group(1) or digits.startswith(("0", "44"))
                    else "NHS number")
            found.append((kind, digits))
    return found


def dates(text: str) -> list[str]:
    """Dates: year-month-day, day/month/year, or a month's name beside a number."""
    found = re.findall(r"\b\d{4}-\d\d-\d\d\b|\b\d{1,2}([/.\-])\d{1,2}\1\d{2,4}\b", text)
    words = re.findall(r"[A-Za-z]+|\d+", text)
    for i, word in enumerate(words):
        if word.lower().rstrip(".") in MONTH_WORDS:
            near = words[max(0, i - 3):i + 4]
            dated = any(w.isdigit() and (len(w) <= 2 or len(w) == 4) for w in near)
            if dated and (word.lower() != "may" or any(w.isdigit() and len(w) == 4
                                                        for w in near)):
                found.append(" ".join(near))
    return found


def contacts(text: str) -> list[tuple[str, str]]:
    text = _plain(text)
    found = [("email address", m) for m in re.findall(r"\S+@\S+\.[A-Za-z]{2,}", text)]
    found += [("link", m) for m in re.findall(r"https?://\S+|www\.\S+", text)]
    found += [("link", m) for m in re.findall(
        r"\b[\w-]+\.(?:" + "|".join(DOMAINS) + r")(?:\.[a-z]{2})?/\S+", text, re.I)]
    found += [("social handle", m) for m in re.findall(r"(?:^|\s)(@\w{2,})", text)]
    found += [("postcode", m) for m in re.findall(
        r"\b[A-Za-z]{1,2}\d[A-Za-z\d]?\s?\d[A-Za-z]{2}\b", text)]
    return found


@functools.lru_cache(maxsize=32)  # each artefact's text is read three ways
def _plain(text: str) -> str:
    """Text as a reader sees it: compatibility forms folded (fullwidth, ligatures), invisible
    characters dropped."""
    return unicodedata.normalize("NFKC", text).translate(_invisible())


@functools.cache
def _invisible() -> dict[int, None]:
    """Every format character (Unicode category Cf: zero-width, direction marks…)."""
    return dict.fromkeys(c for c in range(sys.maxunicode + 1)
                         if unicodedata.category(chr(c)) == "Cf")


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    letters = [c for c in decomposed if c.isalpha() and not unicodedata.combining(c)]
    return "".join(letters).lower()


def names(text: str, roster_forms: set[str]) -> list[str]:
    """Words that are a roster name, a part of one, or its nickname — exactly, or (in a
    capitalised word of four letters or more) spelled nearly the same."""
    found = []
    if not roster_forms:
        return found
    for word in re.findall(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*", text):
        folded = _fold(word)
        if folded in roster_forms or (word[:1].isupper() and len(folded) >= 5 and any(
                len(form) >= 5 and difflib.SequenceMatcher(None, folded, form).ratio() >= 0.8
                for form in roster_forms)):
            found.append(word)
        elif word[:1].isupper() and len(folded) == 4 and any(
                sorted(form) == sorted(folded) for form in roster_forms if len(form) == 4):
            found.append(word)  # two letters swapped in a short name (Jhon)
    return found


def pseudonyms(text: str, ids: set[str]) -> list[str]:
    """Evidence pseudonyms however they are written (P001, p-001, P 001, p_001)."""
    if not ids:
        return []
    collapsed = re.sub(r"(?<=[A-Za-z])(?:[^\w\n]|_){1,3}(?=\d)", "", _plain(text))
    return [token for token in re.findall(r"\b[A-Za-z]{1,6}\d{1,8}\b|\S{3,}", collapsed)
            if token.upper() in ids]


def _roster_forms(roster) -> set[str]:
    from ..disclosure.deidentify import name_family  # a list of names and nicknames, not a detector

    forms = set()
    for entry in roster:
        parts = [_fold(p) for p in re.split(r"[\s\-]+", entry) if _fold(p)]
        for part in (p for p in parts if len(p) >= 2):
            forms.update(name_family(part))
        for i in range(len(parts)):
            for j in range(i + 2, len(parts) + 1):
                forms.add("".join(parts[i:j]))
    return forms


def _id_set(ids) -> set[str]:
    """Pseudonyms that identify: not short numbers (row numbers say nothing about anyone)."""
    keep = set()
    for value in ids:
        text = str(value).strip()
        if text.isdigit() and len(text) < 6:
            continue
        keep.add(re.sub(r"[\s\-_.]", "", text).upper())
    return keep


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
    min_n, base = 8, 5
    results_path = run / "results.json"
    if results_path.is_file():
        privacy = json.loads(results_path.read_text()).get("privacy", {})
        min_n, base = privacy.get("min_group_size", min_n), privacy.get("round_to", base)
    people = _evidence_people(run.parent.parent) or _logged_people(run)
    findings: list[Finding] = _superseded(run) + _strays(run)
    if people is None:
        findings.append(Finding("(the run)", "names and pseudonyms could not be checked",
                                "neither its evaluation folder nor its anonymisation-log.json "
                                "is at hand: audit the run where it was made"))
    roster, ids = people or ((), set())
    roster_forms, id_set = _roster_forms(roster), _id_set(ids)
    check, kept = _quote_check(run)
    public_dates = _public_dates(run)
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
        for kind, value in numbers(clean) + contacts(clean):
            findings.append(Finding(rel, f"possible {kind}", _mask(value)))
        if path.name != "manifest.json":  # the manifest records when the run happened
            for public in public_dates:  # when the mapping was confirmed: about no one
                clean = clean.replace(public, " ")
            findings += [Finding(rel, "possible date", _mask(d)) for d in dates(clean)]
        for word in names(clean, roster_forms) + pseudonyms(clean, id_set):
            findings.append(Finding(rel, "a name or pseudonym from the evidence", _mask(word)))
        for quote in _quotes_in(path, text):
            findings += [Finding(rel, what, _mask(value)) for what, value in check(quote, kept)]
        if path.name == "results.json":
            findings += _small_cells(json.loads(path.read_text()), min_n, base, rel)
    return findings, scanned


def _strays(run: Path) -> list[Finding]:
    """Files a finished run did not write (its manifest lists what it wrote)."""
    try:
        manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [Finding(name, "a file this run did not write", "an editor's checkpoint, a test "
                    "runner's cache or a copy left in a finished run: move it out (the run "
                    "folder is read-only: chmod u+w it first), or audit a fresh run")
            for name in stray_files(run, manifest)]


def _quote_check(run: Path):
    """The quote check with the run's own words (every string results.json publishes but its
    quotes), and the spans the evaluator kept on purpose."""
    try:
        results = json.loads((run / "results.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        results = {}
    kept, own = set(), []
    for key, value in results.items():
        if key != "principles":
            own += strings(value)
    for principle in results.get("principles") or ():
        for key, value in principle.items():
            if key != "quotes":
                own += strings(value)
        for quote in principle.get("quotes") or ():
            kept.update(quote.get("kept") or ())
    return _checker(tuple(own)), tuple(sorted(kept))


@functools.lru_cache(maxsize=4)
def _checker(own: tuple[str, ...]):
    """One quote check per run's words (it remembers the quotes it has read)."""
    from ..disclosure.quotecheck import QuoteCheck

    return QuoteCheck(own)


def _quotes_in(path: Path, text: str) -> list[str]:
    """Published quotes in an artefact: text within “ ” (HTML's <q>, DOCX, PDF), results.json's
    quotes, and the cells of a column headed as quotes (CSV, XLSX)."""
    if path.suffix.lower() == ".pdf":  # the running footer, printed inside a page-spanning quote
        text = re.sub(r"(?m)^[ \t]*Page \d+ of \d+[ \t]*$", " ", text)
    found = re.findall(r"“([^“”]{1,5000})”", text)
    if path.name == "results.json":
        data = json.loads(path.read_text(encoding="utf-8"))
        found += [q.get("text", "") for p in data.get("principles") or ()
                  for q in p.get("quotes") or ()]
    elif path.suffix.lower() in (".csv", ".xlsx"):
        found += _quote_cells(path)
    return [" ".join(q.split()) for q in found]


def _quote_cells(path: Path) -> list[str]:
    if path.suffix.lower() == ".csv":
        rows = [list(csv.reader(io.StringIO(path.read_text("utf-8-sig", errors="replace"))))]
    else:
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        rows = [[[str(v) if v is not None else "" for v in row]
                 for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets]
    cells = []
    for table in rows:
        if not table:
            continue
        columns = [i for i, head in enumerate(table[0]) if "quote" in head.casefold()]
        cells += [row[i] for row in table[1:] for i in columns if i < len(row)]
    return cells


def _public_dates(run: Path) -> list[str]:
    """Dates a run publishes on purpose, all about the process and none about a person:
    when the question mapping was confirmed, when the plan was agreed or changed, when
    partners reviewed the draft, and the responses' dates and actions' due dates."""
    found = []
    try:
        results = json.loads((run / "results.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    confirmed = (results.get("parameters") or {}).get("mapping_confirmed") or {}
    plan = results.get("plan") or {}
    making = (results.get("coproduced") or {}).get("sense_making") or {}
    found += [confirmed.get("date"), plan.get("agreed_date"),
              (plan.get("changed") or {}).get("date"), making.get("date")]
    # every responses file of the evaluation: a later round's report lists earlier actions
    import yaml

    for path in sorted((run.parent.parent / "responses").glob("*/*.yaml")):
        try:
            data = yaml.safe_load(path.read_text("utf-8")) or {}
            found.append((data.get("responded") or {}).get("date"))
            found += [(entry.get("action") or {}).get("due")
                      for entry in data.get("responses") or [] if isinstance(entry, dict)]
        except (OSError, yaml.YAMLError, AttributeError):
            continue  # unreadable: its dates stay findings
    return sorted({str(d) for d in found if d})


def _evidence_people(folder: Path) -> tuple[tuple[str, ...], set[str]] | None:
    """The roster and the pseudonyms of the evaluation the run belongs to (None when the
    evaluation folder is not beside the run, or its evidence no longer reads)."""
    try:
        from ..inputs.evidence import load_evidence
        from ..inputs.load import load_evaluation
        from ..inputs.people import pseudonyms

        evaluation = load_evaluation(folder)
        return evaluation.roster, set(pseudonyms(load_evidence(evaluation)))
    except Exception:
        return None


def _logged_people(run: Path) -> tuple[tuple[str, ...], set[str]] | None:
    """The roster and pseudonyms the run recorded in its anonymisation log (never published),
    so a run copied away from its evaluation is audited the same."""
    try:
        log = json.loads((run / "anonymisation-log.json").read_text(encoding="utf-8"))
        people = log["people"]
        return tuple(people["roster"]), set(people["ids"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _superseded(run: Path) -> list[Finding]:
    from ..inputs.ledger import superseded_runs

    why = superseded_runs(run.parent.parent).get(run.name)
    return [Finding("(the run)", "superseded: " + why, "run again to share a run without "
                    "the withdrawn person's evidence")] if why else []
