"""End to end with the files evaluators really have: a Microsoft Forms workbook, records in
XLSX and in Excel's Windows-1252 CSV run to the same results.json as the template layout;
result tables neutralise formula injection; a run killed part-way loses nothing."""

from __future__ import annotations

import csv
import datetime
import os
import signal
import subprocess
import sys
import time

import yaml
from conftest import GENUINE, GOLDEN, approve_quotes, checksums, copy_sample
from exportkit import ROLE_QUESTION, instrument_items
from openpyxl import Workbook, load_workbook

from coprod_eval.compute.assessment import evaluate
from coprod_eval.inputs.evidence import load_evidence
from coprod_eval.inputs.load import load_evaluation
from coprod_eval.render.tables import write_tables
from coprod_eval.runs.folder import completed_runs

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_number(text: str) -> bool:
    """Numbers such as -2.0 are data, not formulas: a spreadsheet reads them as numbers."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def cli(*args, **kw):
    return subprocess.run([sys.executable, "-m", "coprod_eval", *map(str, args)],
                          capture_output=True, text=True, timeout=600, **kw)


def as_forms_workbook(folder) -> None:
    """The sample's survey as Microsoft Forms exports it: one row per respondent, question
    text as headers, the role as an answer to a question; the CSV template is removed."""
    rows = list(csv.DictReader((folder / "evidence" / "survey.csv").open(encoding="utf-8")))
    items = instrument_items()
    people: dict[str, dict] = {}
    for row in rows:
        person = people.setdefault(row["respondent_id"], {"group": row["group"]})
        person[row["item_id"]] = row["response"]
    book = Workbook()
    sheet = book.active
    sheet.append(["ID", "Start time", "Completion time", "Email", "Name", ROLE_QUESTION]
                 + [i["partner"] for i in items])
    for rid, person in people.items():
        sheet.append([rid, datetime.datetime(2026, 3, 1, 10), datetime.datetime(2026, 3, 1, 10, 7),
                      "anonymous", None,
                      "I work here" if person["group"] == "staff" else "I take part as a partner",
                      *[person.get(i["id"]) or None for i in items]])
    book.save(folder / "evidence" / "forms.xlsx")
    (folder / "evidence" / "survey.csv").unlink()
    data = yaml.safe_load((folder / "evaluation.yaml").read_text())
    data["evidence"]["survey"] = {
        "file": "evidence/forms.xlsx", "instrument": "instrument/coprod_survey.yaml",
        "format": "microsoft_forms",
        "group": {"column": ROLE_QUESTION, "values": {"I work here": "staff",
                                                      "I take part as a partner": "partner"}},
        "items": {i["id"]: i["partner"] for i in items}}
    (folder / "evaluation.yaml").write_text(yaml.safe_dump(data, sort_keys=False))


def records_as_spreadsheets(folder) -> None:
    """Attendance kept in a workbook (real date cells); decisions saved by Excel as CSV with
    semicolons in Windows-1252."""
    rows = list(csv.reader((folder / "evidence" / "attendance.csv").open(encoding="utf-8")))
    book = Workbook()
    sheet = book.active
    sheet.append(rows[0])
    for row in rows[1:]:
        sheet.append([row[0], datetime.datetime.fromisoformat(row[1]), *row[2:]])
    book.save(folder / "evidence" / "attendance.xlsx")
    (folder / "evidence" / "attendance.csv").unlink()
    decisions = folder / "evidence" / "decisions.csv"
    text = decisions.read_text(encoding="utf-8")
    decisions.unlink()
    (folder / "evidence" / "decisions-excel.csv").write_bytes(
        "\r\n".join(";".join(r) for r in csv.reader(text.splitlines())).encode("cp1252"))
    data = yaml.safe_load((folder / "evaluation.yaml").read_text())
    data["evidence"]["attendance"] = {"file": "evidence/attendance.xlsx"}
    data["evidence"]["decisions"] = {"file": "evidence/decisions-excel.csv"}
    (folder / "evaluation.yaml").write_text(yaml.safe_dump(data, sort_keys=False))


def test_forms_workbook_and_spreadsheet_records_give_the_template_results(tmp_path):
    folder = copy_sample(GENUINE, tmp_path)
    as_forms_workbook(folder)
    records_as_spreadsheets(folder)
    before = checksums(folder)
    result = cli("run", folder, "--no-progress")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "note: evidence/forms.xlsx: read as Microsoft Forms" in result.stdout
    (run,) = completed_runs(folder)
    # the same answers and records, however they were stored, give the same finding
    assert (run / "results.json").read_text() == (GOLDEN / f"{GENUINE}.results.json").read_text()
    manifest = yaml.safe_load((run / "manifest.json").read_text())
    assert any("Microsoft Forms" in n for n in manifest["evidence_notes"])
    assert checksums(folder) == before
    audit = cli("audit", run)
    assert audit.returncode == 0, audit.stdout + audit.stderr


def test_result_tables_neutralise_formula_injection(tmp_path):
    folder = copy_sample(GENUINE, tmp_path)
    data = yaml.safe_load((folder / "evaluation.yaml").read_text())
    data["overrides"] = {"networks": {"rating": "developing", "reason":
                                      '=HYPERLINK("http://example.invalid","more")'}}
    (folder / "evaluation.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    excerpts = folder / "evidence" / "qualitative.csv"
    rows = list(csv.reader(excerpts.open(encoding="utf-8")))
    rows[1][5] = "- we were paid late, every time"  # legitimate words starting with '-'
    rows[2][5] = "@ the start it felt like a token gesture"
    with excerpts.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    approve_quotes(folder, [rows[1][0], rows[2][0]])  # the evaluator signs the new words off
    evaluation = load_evaluation(folder)
    result = evaluate(evaluation, load_evidence(evaluation))
    written = write_tables(result, tmp_path)
    cells = []
    for path in written[:-1]:
        for row in csv.reader(path.open(encoding="utf-8-sig")):
            cells += row
    assert "'=HYPERLINK(\"http://example.invalid\",\"more\")" in cells
    assert any(c.startswith("'- we were paid late") for c in cells)
    assert not [c for c in cells if c.startswith(FORMULA_START) and not is_number(c)]
    book = load_workbook(written[-1])
    seen = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                    assert cell.quotePrefix and cell.data_type == "s"
                    seen.append(cell.value)
    assert '=HYPERLINK("http://example.invalid","more")' in seen
    assert any(v.startswith("- we were paid late") for v in seen)
    # a published quote never starts with '@': the publisher masks it as a detail
    assert not any(c.startswith(("@", "'@")) for c in cells)
    assert "[detail] the start it felt like a token gesture" in cells


def test_a_run_killed_part_way_leaves_earlier_runs_intact(tmp_path):
    folder = copy_sample(GENUINE, tmp_path)
    first = cli("run", folder, "--no-progress")
    assert first.returncode == 0, first.stderr
    (earlier,) = completed_runs(folder)
    earlier_files = checksums(earlier)
    inputs = checksums(folder)

    proc = subprocess.Popen([sys.executable, "-m", "coprod_eval", "run", str(folder),
                             "--no-progress"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while not list((folder / "runs").glob(".incomplete-*")):
        assert proc.poll() is None and time.monotonic() < deadline, "the run never started"
        time.sleep(0.05)
    # validated, and the notebook under way: its kernel started — a condition with a
    # deadline, not a fixed wait
    import psutil

    def kernel_started() -> bool:
        try:
            return any("ipykernel" in " ".join(child.cmdline())
                       for child in psutil.Process(proc.pid).children(recursive=True))
        except psutil.Error:
            return False

    while not kernel_started():
        assert proc.poll() is None and time.monotonic() < deadline, "the kernel never started"
        time.sleep(0.05)
    assert proc.poll() is None, "the run finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)

    assert completed_runs(folder) == [earlier]  # nothing new looks finished
    assert checksums(earlier) == earlier_files
    left = [p for p in (folder / "runs").iterdir() if p != earlier and p.is_dir()]
    assert left and all(p.name.startswith(".incomplete-") for p in left)
    assert not any((p / "manifest.json").exists() for p in left)
    assert cli("report", folder).stdout.startswith(f"Report: {earlier / 'report.html'}")

    again = cli("run", folder, "--no-progress")
    assert again.returncode == 0, again.stderr
    assert "was left by an interrupted run" in again.stderr
    runs = completed_runs(folder)
    assert len(runs) == 2 and runs[0] == earlier
    assert (runs[1] / "results.json").read_text() == (earlier / "results.json").read_text()
    assert checksums(earlier) == earlier_files and checksums(folder) == inputs
