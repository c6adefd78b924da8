"""The hostile-input corpus: bad evidence files and bad evaluation.yaml files, each with the
problem coprod-eval must report for it.

``python tests/hostile/build.py`` writes the files into tests/hostile/files/ (committed);
the 200 MB file is made at test time in a temporary folder, never committed. Each case names
the stream it replaces, how evaluation.yaml points at it, and the first problem expected:
(file, row, column, the start of what is wrong). Row and column are None where the problem
is the whole file (binary data, no worksheets), shown as "-".
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"
sys.path.insert(0, str(HERE.parent))

SURVEY_HEADER = "respondent_id,group,item_id,response\n"
GOOD_ROWS = "S001,staff,AS1,Agree\nS002,partner,AS1,Disagree\n"
ROLE = "Which best describes you?"


@dataclass(frozen=True)
class Case:
    name: str
    stream: str  # the evidence stream whose file it replaces, or "evaluation.yaml"
    file: str  # name in the corpus (and in evidence/)
    expect: tuple  # (file, row, column, start of what)
    entry: dict = field(default_factory=dict)  # extra keys for the stream's entry
    yaml_text: tuple[str, str] | None = None  # (old, new) replaced in evaluation.yaml
    target: str | None = None  # another file of the folder the case's file replaces


def _xlsx(rows, *, title="Form1", merge=None) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for rng in merge or ():
        sheet.merge_cells(rng)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _no_sheets() -> bytes:
    source = zipfile.ZipFile(io.BytesIO(_xlsx([["a"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/workbook.xml":
                data = re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", data)
            if not info.filename.startswith("xl/worksheets/"):
                target.writestr(info, data)
    return out.getvalue()


def _forms(answer_as1="Agree", first_id="1", sheet="Form1") -> bytes:
    from exportkit import instrument_items

    items = instrument_items()
    header = ["ID", "Start time", "Completion time", "Email", "Name", ROLE] + [
        i["partner"] for i in items]
    rows = [header]
    for k in range(1, 11):
        rows.append([first_id if k == 1 else str(k), "2026-03-01 10:00", "2026-03-01 10:05",
                     "anonymous", None, "Staff" if k <= 5 else "Community partners",
                     answer_as1 if k == 3 else "Agree", *["Disagree"] * (len(items) - 1)])
    return _xlsx(rows, title=sheet)


def _forms_entry(**extra) -> dict:
    from exportkit import instrument_items

    return {"format": "microsoft_forms", "group": {"column": ROLE},
            "items": {i["id"]: i["partner"] for i in instrument_items()}, **extra}


def _qualtrics(q2="4", role="Staff") -> bytes:
    ids = ["StartDate", "Finished", "ResponseId", "Q1", "Q2_1"]
    text = ["Start Date", "Finished", "Response ID", ROLE, "Agree? - lived experience"]
    imports = ['{"ImportId":"startDate"}', '{"ImportId":"finished"}', '{"ImportId":"_recordId"}',
               '{"ImportId":"QID1"}', '{"ImportId":"QID2_1"}']
    rows = [ids, text, imports, ["2026-03-01", "True", "R_1", "Staff", "4"],
            ["2026-03-01", "True", "R_2", role, q2]]
    return "\n".join(",".join(f'"{c}"' for c in r) for r in rows).encode() + b"\n"


QUALTRICS_ENTRY = {"format": "qualtrics", "group": {"column": "Q1"}, "items": {"AS1": "Q2_1"}}

ATTENDANCE = "meeting_id,date,meeting_type,attendee,role\n"
DECISIONS = ("decision_id,date,forum,proposed_by,decided_by,partner_proposal_adopted,"
             "feedback_given,outside_joint_forum\n")
QUALITATIVE = "excerpt_id,source,principle,code,coder,excerpt\n"
RESOURCES = "partner,offered_payment,paid,days_late,out_of_pocket,training_offered\n"


def _undetectable() -> bytes:
    # invalid as UTF-8 (0xC3 0x28) and 0x81, which Windows-1252 leaves undefined
    return (SURVEY_HEADER + "S001,staff,AS1,Agree\n").encode() + b"S\xc3\x28\x81,staff,AS2,Agree\n"


ALIAS_BOMB = "\n".join(
    ["bomb0: &a0 [" + ",".join(["x"] * 10) + "]"]
    + [f"bomb{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]) + "\n"
ZW = "\u200b"  # zero-width space
RLO = "\u202e"  # right-to-left override


def generated() -> dict[str, callable]:
    """Files too large to commit, made at test time: name → function(path)."""
    return {"huge.csv": _huge, "one-line.csv": _one_line, "xlsx-bomb.xlsx": _xlsx_bomb,
            "million-columns.csv": _million_columns}


def _million_columns(path: Path) -> None:
    path.write_bytes((",".join(f"c{i}" for i in range(1_000_000)) + "\n1\n").encode())


def _huge(path: Path) -> None:
    with open(path, "wb") as out:
        row = b"M01,2026-01-08,decision_making,P001,partner\n"
        out.write(b"meeting_id,date,meeting_type,attendee,role\n")
        block = row * (2**20 // len(row))
        while out.tell() < 200 * 2**20:
            out.write(block)
        out.truncate(200 * 2**20)


def _one_line(path: Path) -> None:
    path.write_bytes(b"x" * 50_000_000)


def _xlsx_bomb(path: Path) -> None:
    """A few MB that unpack to a sheet of three million cells (a decompression bomb)."""
    source = zipfile.ZipFile(io.BytesIO(_xlsx([["a", "b"]])))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info, source.read(info.filename))
                continue
            with target.open(info.filename, "w", force_zip64=True) as sheet:
                sheet.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlfor'
                            b'mats.org/spreadsheetml/2006/main"><sheetData>')
                row = b'<row r="1">' + b'<c r="A1" t="inlineStr"><is><t>x</t></is></c>' * 1000 \
                    + b"</row>"
                for _ in range(3000):
                    sheet.write(row)
                sheet.write(b"</sheetData></worksheet>")


def _far_cell() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["meeting_id", "date", "meeting_type", "attendee", "role"])
    sheet.append(["M1", "2026-01-08", "decision_making", "P001", "partner"])
    sheet["XFD1048576"] = "x"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _merged_huge() -> bytes:
    """A small workbook whose sheet declares one merged cell over 4.5 million cells."""
    source = zipfile.ZipFile(io.BytesIO(_xlsx([
        ["meeting_id", "date", "meeting_type", "attendee", "role"],
        ["M1", "2026-01-08", "decision_making", "P001", "partner"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b'</sheetData><mergeCells count="1">'
                                    b'<mergeCell ref="A3:E900000"/></mergeCells>')
            target.writestr(info, data)
    return out.getvalue()


def _late(bad: bytes, header: str = "respondent_id,group,item_id,response\n") -> bytes:
    """A bad byte past the first 64 KB, behind good rows."""
    good = "".join(f"S{k:04d},staff,AS1,Agree\n" for k in range(4000)).encode()
    return header.encode() + good + b"S9999,staff,AS1,Agr" + bad + b"ee\n"


def more_cases() -> list[Case]:
    """Issue 12's cases: bounded resources, strictness, whole-file checks."""
    s = "evidence/survey.csv"
    y = "evaluation.yaml"
    return [
        # --- resources: a few KB that would once cost gigabytes ----------------------------
        Case("yaml-alias-bomb", "evaluation.yaml", "",
             (y, "line", None, "the file expands to more than 200,000 values"),
             yaml_text=("analysis:", ALIAS_BOMB + "analysis:")),
        Case("instrument-alias-bomb", "evaluation.yaml", "instrument-bomb.yaml",
             ("instrument/coprod_survey.yaml", "line", None, "the file expands to more than"),
             target="instrument/coprod_survey.yaml"),
        Case("yaml-deep-nesting", "evaluation.yaml", "",
             (y, "line", None, "the file nests lists and fields more than 40 levels deep"),
             yaml_text=("analysis:", "deep: " + "[" * 500 + "]" * 500 + "\nanalysis:")),
        Case("xlsx-far-cell", "attendance", "far-cell.xlsx",
             ("evidence/attendance.xlsx", 1048576, "XFD", "the table is 16,384 columns wide")),
        Case("xlsx-decompression-bomb", "attendance", "xlsx-bomb.xlsx",
             ("evidence/attendance.xlsx", None, None, "the worksheet holds more than 2,000,000 "
                                                      "cells")),
        Case("xlsx-merged-huge", "attendance", "merged-huge.xlsx",
             ("evidence/attendance.xlsx", None, None, "the worksheet holds more than "
                                                      "2,000,000 cells")),
        Case("csv-very-wide-header", "survey", "wide-header.csv",
             (s, 1, None, "the table is 3,000 columns wide; the most accepted is 2,000")),
        Case("csv-million-columns", "survey", "million-columns.csv",
             (s, 1, None, "line 1 is 7,888,889 characters long without a line break")),
        Case("csv-50mb-one-line", "attendance", "one-line.csv",
             ("evidence/attendance.csv", 1, None, "line 1 is 50,000,000 characters long")),
        # --- whole-file checks ---------------------------------------------------------------
        Case("nul-after-64kb", "survey", "late-nul.csv",
             (s, None, None, "the file is not text: it holds binary data (it contains NUL")),
        Case("control-after-64kb", "survey", "late-control.csv",
             (s, 4002, None, "the file is not text: it holds binary data (control character "
                             "U+0007)")),
        Case("ansi-escape-after-64kb", "survey", "late-ansi.csv",
             (s, 4002, None, "the file is not text: it holds binary data (control character "
                             "U+001B)")),
        # --- strictness ----------------------------------------------------------------------
        Case("yaml-duplicate-key", "evaluation.yaml", "",
             (y, "line", None, "the key 'privacy' appears twice in the same place (lines"),
             yaml_text=("analysis:", "privacy:\n  min_group_size: 3\nanalysis:")),
        Case("yaml-duplicate-nested-key", "evaluation.yaml", "",
             (y, "line", None, "the key 'min_group_size' appears twice"),
             yaml_text=("  min_group_size: 8", "  min_group_size: 8\n  min_group_size: 3")),
        Case("yaml-list-as-key", "evaluation.yaml", "",
             (y, "line", None, "a key must be a plain value"),
             yaml_text=("analysis:", "? [a, b]\n: c\nanalysis:")),
        Case("yaml-retired-bootstrap", "evaluation.yaml", "",
             (y, "line", "analysis.bootstrap_resamples", "'analysis.bootstrap_resamples' is no "
                                                         "longer used"),
             yaml_text=("analysis:", "analysis:\n  bootstrap_resamples: 2000")),
        Case("yaml-sign-off-bad-date", "evaluation.yaml", "",
             (y, "line", "sign_off.date", "'sign_off.date' is '20/11/2026'"),
             yaml_text=("sign_off: null", "sign_off:\n  by: A. Evaluator\n  date: 20/11/2026")),
        Case("yaml-sign-off-no-date", "evaluation.yaml", "",
             (y, "line", "sign_off", "required field 'date' is missing"),
             yaml_text=("sign_off: null", "sign_off:\n  by: A. Evaluator")),
        Case("group-label-zero-width", "evaluation.yaml", "",
             (y, "line", "groups.staff.label", "'Staff<U+200B>' holds invisible"),
             yaml_text=("    label: Staff ", f"    label: Staff{ZW} ")),
        Case("group-label-right-to-left", "evaluation.yaml", "",
             (y, "line", "groups.partner.label", "'Community partners<U+202E>' holds "
                                                  "invisible"),
             yaml_text=("label: Community partners", f"label: Community partners{RLO}")),
        Case("group-label-look-alike-letters", "evaluation.yaml", "",
             (y, "line", "groups.staff.label", "'Ѕtaff' mixes letters of different alphabets"),
             yaml_text=("    label: Staff ", "    label: Ѕtaff ")),
        Case("group-labels-look-the-same", "evaluation.yaml", "",
             (y, "line", "groups.partner.label", "the groups' labels 'Staff' and 'STAFF' would "
                                                 "look the same"),
             yaml_text=("label: Community partners", "label: STAFF")),
        Case("group-code-zero-width", "evaluation.yaml", "",
             (y, "line", "groups.partner.code", "'partner<U+200B>' holds invisible"),
             yaml_text=("    code: partner ", f"    code: partner{ZW} ")),
        Case("limits-out-of-range", "evaluation.yaml", "",
             (y, "line", "limits.max_columns", "'limits.max_columns' is 5"),
             yaml_text=("analysis:", "limits:\n  max_columns: 5\nanalysis:")),
        Case("permutations-out-of-range", "evaluation.yaml", "",
             (y, "line", "analysis.permutations", "'analysis.permutations' is 5000000"),
             yaml_text=("permutations: 20000", "permutations: 5000000")),
        Case("round-to-zero", "evaluation.yaml", "",
             (y, "line", "privacy.round_to", "'privacy.round_to' is 0"),
             yaml_text=("  min_group_size: 8", "  min_group_size: 8\n  round_to: 0")),
        Case("evidence-outside-folder", "attendance", "",
             (y, "line", "evidence.attendance.file", "'../../etc/passwd' points outside the "
                                                     "evaluation folder"),
             entry={"file": "../../etc/passwd"}),
        Case("evidence-is-a-folder", "attendance", "",
             (y, "line", "evidence.attendance.file", "evidence file 'evidence' does not exist"),
             entry={"file": "evidence"}),
        Case("roster-missing", "evaluation.yaml", "",
             (y, "line", "privacy.roster", "evidence file 'evidence/roster.txt' does not exist"),
             yaml_text=("  min_group_size: 8", "  min_group_size: 8\n  roster: "
                                               "evidence/roster.txt")),
        Case("withdrawals-not-a-list", "evaluation.yaml", "withdrawals-broken.yaml",
             ("withdrawals.yaml", 1, None, "this record file is not a list of entries"),
             target="withdrawals.yaml"),
        Case("quote-approvals-alias-bomb", "evaluation.yaml", "instrument-bomb.yaml",
             ("quote-approvals.yaml", "line", None, "the file expands to more than"),
             target="quote-approvals.yaml"),
        Case("survey-ids-differ-by-zero-width", "survey", "zero-width-ids.csv",
             (s, 3, "respondent_id", "'S001' and 'S001<U+200B>' are different ids that look "
                                     "the same")),
        Case("survey-ids-fullwidth", "survey", "fullwidth-ids.csv",
             (s, 3, "respondent_id", "'S001' and 'Ｓ００１' are different ids that look the "
                                     "same")),
        Case("attendance-ids-differ-by-direction-mark", "attendance", "attendee-rtl.csv",
             ("evidence/attendance.csv", 3, "attendee", "'P001' and 'P001<U+200F>' are "
                                                        "different ids")),
        Case("resources-partner-twice-invisibly", "resources", "resources-zw.csv",
             ("evidence/resources.csv", 3, "partner", "'P001' and 'P001<U+200B>' are different "
                                                      "ids")),
        Case("decisions-id-twice-invisibly", "decisions", "decisions-zw.csv",
             ("evidence/decisions.csv", 3, "decision_id", "'D1' and 'D1<U+200B>' are different "
                                                          "ids")),
        Case("qualitative-consent-maybe", "qualitative", "consent-maybe.csv",
             ("evidence/qualitative.csv", 2, "consent_to_quote", "'maybe' is not yes or no")),
        Case("qualitative-participant-formula", "qualitative", "participant-formula.csv",
             ("evidence/qualitative.csv", 2, "participant", "'=1+1' looks like a spreadsheet "
                                                            "formula")),
        Case("stages-duplicate-stage", "stages", "stages-duplicate.csv",
             ("evidence/stages.csv", 3, "stage", "'design' appears more than once in stage")),
        Case("self-assessment-unknown-rating", "self_assessment", "self-unknown.csv",
             ("evidence/self_assessment.csv", 2, "claimed_rating", "'excellent' is not an "
                                                                   "allowed value")),
        Case("attendance-wrong-group", "attendance", "attendance-group.csv",
             ("evidence/attendance.csv", 2, "role", "'volunteer' is not an allowed value")),
        Case("decisions-unknown-decider", "decisions", "decisions-decider.csv",
             ("evidence/decisions.csv", 2, "decided_by", "'the board' is not an allowed "
                                                         "value")),
        Case("resources-days-late-text", "resources", "resources-days.csv",
             ("evidence/resources.csv", 2, "days_late", "'a week' is not a number")),
        Case("survey-blank-group", "survey", "blank-group.csv",
             (s, 2, "group", "'' is not a group of this evaluation")),
        Case("cp1252-undefined-byte", "survey", "cp1252-undefined.csv",
             (s, 2, None, "cannot tell the file's text encoding")),
        Case("utf8-bom-then-invalid", "survey", "bom-invalid.csv",
             (s, 2, None, "the file is not valid UTF-8 (it starts with a UTF-8 byte-order "
                          "mark)")),
        Case("many-bad-answers-grouped", "survey", "many-bad.csv",
             (s, 2, "response", "'Don't really know' is not an answer on the response scale "
                                "(the same in 500 cells")),
    ]


def cases() -> list[Case]:
    return original_cases() + more_cases()


def original_cases() -> list[Case]:
    s = "evidence/survey.csv"
    return [
        # --- survey, our own CSV layout --------------------------------------------------
        Case("empty", "survey", "empty.csv", (s, 1, None, "the file is empty")),
        Case("header-only", "survey", "header-only.csv",
             (s, 2, None, "the file has a header but no answers")),
        Case("wrong-delimiter", "survey", "semicolons.csv",
             (s, 1, None, "the header row is a single column, 'respondent_id;group;item_id;"
                          "response': the file seems to be separated by semicolon, not comma"),
             entry={"delimiter": ","}),
        Case("pipe-delimiter", "survey", "pipes.csv",
             (s, 1, None, "the header row is a single column, 'respondent_id|group|item_id|"
                          "response': the values seem to be separated by '|'")),
        Case("undetectable-encoding", "survey", "undetectable.csv",
             (s, 3, None, "cannot tell the file's text encoding")),
        Case("binary-junk", "survey", "junk.csv",
             (s, None, None, "the file is not text: it holds binary data")),
        Case("control-characters", "survey", "control.csv",
             (s, 2, None, "the file is not text: it holds binary data (control "
                          "character U+0007)")),
        Case("out-of-range-code", "survey", "code-7.csv",
             (s, 3, "response", "'7' is not an answer on the response scale")),
        Case("unknown-label", "survey", "unknown-label.csv",
             (s, 2, "response", "'Agree a lot' is not an answer on the response scale")),
        Case("duplicate-answer", "survey", "duplicate-answer.csv",
             (s, 4, "item_id", "respondent 'S001' answers item 'AS1' more than once")),
        Case("missing-column", "survey", "missing-column.csv",
             (s, 1, "response", "required column 'response' is missing")),
        Case("formula-hyperlink-id", "survey", "formula-hyperlink.csv",
             (s, 2, "respondent_id", "'=HYPERLINK(\"http://example.invalid\",\"cl…' looks "
                                     "like a spreadsheet formula")),
        Case("formula-plus-id", "survey", "formula-plus.csv",
             (s, 2, "respondent_id", "'+cmd|' /C calc'!A0' looks like a spreadsheet formula")),
        Case("formula-minus-id", "survey", "formula-minus.csv",
             (s, 2, "respondent_id", "'-2+3+cmd|' /C calc'!A0' looks like a spreadsheet "
                                     "formula")),
        Case("formula-at-id", "survey", "formula-at.csv",
             (s, 2, "respondent_id", "'@SUM(1+1)*cmd|' /C calc'!A0' looks like a "
                                     "spreadsheet formula")),
        Case("very-long-text", "survey", "long-text.csv",
             (s, 2, "response", "the cell holds 60,000 characters; the most accepted is "
                                "20,000")),
        Case("unknown-item", "survey", "unknown-item.csv",
             (s, 2, "item_id", "'ZZ9' is not an item of the instrument 'coprod_survey'")),
        Case("too-many-values", "survey", "extra-values.csv",
             (s, 2, None, "the row has 6 values but the header names 4 columns")),
        Case("unclosed-quote", "survey", "unclosed-quote.csv",
             (s, 3, None, "a quoted value opened on this row is never closed")),
        Case("two-groups", "survey", "two-groups.csv",
             (s, 3, "group", "respondent 'S001' appears in more than one group")),
        # --- survey, tool exports --------------------------------------------------------
        Case("xlsx-no-sheets", "survey", "no-sheets.xlsx",
             ("evidence/survey.xlsx", None, None, "the workbook has no worksheets"),
             entry=_forms_entry()),
        Case("xlsx-corrupt", "survey", "corrupt.xlsx",
             ("evidence/survey.xlsx", None, None, "the file is not a readable .xlsx workbook"),
             entry=_forms_entry()),
        Case("xls-old-excel", "survey", "old-excel.xls",
             ("evidence/survey.xls", None, None, "the file is an old-style Excel workbook"),
             entry=_forms_entry()),
        Case("forms-unknown-label", "survey", "forms-unknown-label.xlsx",
             ("evidence/survey.xlsx", 4, "G (My lived experience is treated as expertise in th…)",
              "'Agree a lot' is not an answer on the response scale"), entry=_forms_entry()),
        Case("forms-no-such-sheet", "survey", "forms.xlsx",
             ("evidence/survey.xlsx", None, None, "the workbook has no sheet 'Responses'; it "
                                                  "has: 'Form1'"),
             entry=_forms_entry(sheet="Responses")),
        Case("forms-mapped-column-missing", "survey", "forms.xlsx",
             ("evaluation.yaml", "line", "evidence.survey.items.AS1",
              "column 'My lived experience is expertise here.' is not in "
              "evidence/survey.xlsx"),
             entry={**_forms_entry(), "items": {"AS1": "My lived experience is expertise here."}}),
        Case("forms-blank-id", "survey", "forms-blank-id.xlsx",
             ("evidence/survey.xlsx", 2, "A (ID)", "the respondent id is blank"),
             entry=_forms_entry()),
        Case("forms-formula-answer", "survey", "forms-formula.xlsx",
             ("evidence/survey.xlsx", 4, "G (My lived experience is treated as expertise in th…)",
              "'@SUM(1+1)' is not an answer on the response scale"), entry=_forms_entry()),
        Case("qualtrics-out-of-range", "survey", "qualtrics-code-9.csv",
             ("evidence/survey.csv", 5, "E (Q2_1)", "'9' is not an answer on the response "
                                                    "scale"), entry=QUALTRICS_ENTRY),
        Case("qualtrics-unmapped-group", "survey", "qualtrics-volunteer.csv",
             ("evidence/survey.csv", 5, "D (Q1)", "'Volunteer' in the group column is not "
                                                  "mapped to a group"), entry=QUALTRICS_ENTRY),
        Case("redcap-without-dictionary", "survey", "redcap.csv",
             ("evaluation.yaml", "line", "evidence.survey.dictionary",
              "format 'redcap' needs the data dictionary"),
             entry={"format": "redcap", "group": {"column": "role"}, "items": {"AS1": "as1"}}),
        Case("google-duplicates-refused", "survey", "google-duplicates.csv",
             ("evidence/survey.csv", 2, "B (Email address)",
              "respondent id 'a@example.org' was submitted again on row 3"),
             entry={"format": "google_forms", "respondent_id": "Email address",
                    "duplicates": "refuse", "group": {"column": ROLE},
                    "items": {"AS1": "Agree? [Lived experience]"}}),
        Case("long-unmapped-item", "survey", "long-unmapped.csv",
             ("evidence/survey.csv", 3, "C (Question)", "'Q99' is not mapped to an item"),
             entry={"format": "long", "respondent_id": "Resp", "group": {"column": "Role"},
                    "item_column": "Question", "response_column": "Answer",
                    "items": {"AS1": "Q1"}}),
        # --- record streams --------------------------------------------------------------
        Case("attendance-mixed-dates", "attendance", "mixed-dates.csv",
             ("evidence/attendance.csv", 3, "date", "'31/01/2026' is not a date in the form "
                                                    "YYYY-MM-DD")),
        Case("attendance-empty", "attendance", "empty.csv",
             ("evidence/attendance.csv", 1, None, "the file is empty")),
        Case("attendance-header-only", "attendance", "attendance-header-only.csv",
             ("evidence/attendance.csv", 2, None, "the file has a header but no rows")),
        Case("attendance-formula", "attendance", "attendance-formula.csv",
             ("evidence/attendance.csv", 2, "attendee", "'=1+2' looks like a spreadsheet "
                                                        "formula")),
        Case("attendance-xlsx-blank-header", "attendance", "attendance-blank-header.xlsx",
             ("evidence/attendance.xlsx", 1, "F", "column F has values but no header")),
        Case("decisions-duplicate-id", "decisions", "decisions-duplicate.csv",
             ("evidence/decisions.csv", 3, "decision_id", "'D1' appears more than once in "
                                                          "decision_id")),
        Case("decisions-missing-column", "decisions", "decisions-missing.csv",
             ("evidence/decisions.csv", 1, "outside_joint_forum",
              "required column 'outside_joint_forum' is missing")),
        Case("stages-unknown-stage", "stages", "stages-unknown.csv",
             ("evidence/stages.csv", 2, "stage", "'launch' is not an allowed value for stage")),
        Case("resources-negative-days", "resources", "resources-negative.csv",
             ("evidence/resources.csv", 2, "days_late", "'-3' is not a number of zero or "
                                                        "more")),
        Case("qualitative-formula-excerpt", "qualitative", "qualitative-formula.csv",
             ("evidence/qualitative.csv", 2, "excerpt", "'=HYPERLINK(\"http://example.invalid"
                                                        "/x\",\"…' looks like a spreadsheet")),
        Case("qualitative-very-long", "qualitative", "qualitative-long.csv",
             ("evidence/qualitative.csv", 2, "excerpt", "the cell holds 30,000 characters")),
        Case("qualitative-unknown-principle", "qualitative", "qualitative-principle.csv",
             ("evidence/qualitative.csv", 2, "principle", "'empowerment' is not an allowed "
                                                          "value for principle")),
        Case("self-assessment-binary", "self_assessment", "junk.csv",
             ("evidence/self_assessment.csv", None, None, "the file is not text")),
        Case("self-assessment-utf16-without-bom", "self_assessment", "utf16-no-bom.csv",
             ("evidence/self_assessment.csv", None, None, "the file seems to be UTF-16 text "
                                                          "without the byte-order mark")),
        Case("huge-200mb", "attendance", "huge.csv",
             ("evidence/attendance.csv", None, None, "the file is 200 MB, over the 100 MB "
                                                     "limit for one evidence file")),
        # --- evaluation.yaml -------------------------------------------------------------
        Case("yaml-syntax-error", "evaluation.yaml", "",
             ("evaluation.yaml", "line", None, "the file is not valid YAML"),
             yaml_text=("claimed_level: co_production", "claimed_level: [co_production")),
        Case("yaml-bad-indentation", "evaluation.yaml", "",
             ("evaluation.yaml", "line", None, "the file is not valid YAML"),
             yaml_text=("  staff:   ", " staff:   ")),
        Case("yaml-wrong-type", "evaluation.yaml", "",
             ("evaluation.yaml", "line", "privacy.min_group_size",
              "'privacy.min_group_size' must be a whole number, not 'eight'"),
             yaml_text=("min_group_size: 8", "min_group_size: eight")),
        Case("yaml-unknown-format", "survey", "",
             ("evaluation.yaml", "line", "evidence.survey.format",
              "'evidence.survey.format' is 'surveymonkey', which is not allowed"),
             entry={"format": "surveymonkey"}),
        Case("yaml-unknown-item", "survey", "forms.xlsx",
             ("evaluation.yaml", "line", "evidence.survey.items.ZZ9",
              "'ZZ9' is not an item of the instrument 'coprod_survey'"),
             entry={**_forms_entry(), "items": {"ZZ9": "Name"}}),
        Case("yaml-group-value-not-a-code", "survey", "forms.xlsx",
             ("evaluation.yaml", "line", "evidence.survey.group.values.Staff",
              "'employees' is not a group code of this evaluation"),
             entry={**_forms_entry(), "group": {"column": ROLE, "values": {
                 "Staff": "employees"}}}),
        Case("yaml-binary", "evaluation.yaml", "junk.csv",
             ("evaluation.yaml", None, None, "the file is not text: it holds binary data")),
    ]


def contents() -> dict[str, bytes]:
    """Every corpus file's bytes, by name (the 200 MB file is made by the test)."""
    long = "x" * 60_000
    mixed = "\n".join(["M1,2026-01-08,decision_making,P001,partner",
                       "M2,31/01/2026,decision_making,P002,partner",
                       "M3,02-14-2026,consultative,P003,partner"]) + "\n"
    return {
        "empty.csv": b"",
        "header-only.csv": SURVEY_HEADER.encode(),
        "semicolons.csv": (SURVEY_HEADER + GOOD_ROWS).replace(",", ";").encode(),
        "pipes.csv": (SURVEY_HEADER + GOOD_ROWS).replace(",", "|").encode(),
        "undetectable.csv": _undetectable(),
        "junk.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
        "control.csv": (SURVEY_HEADER + "S001,staff,AS1,Agree\x07\n").encode(),
        "code-7.csv": (SURVEY_HEADER + "S001,staff,AS1,Agree\nS002,partner,AS1,7\n").encode(),
        "unknown-label.csv": (SURVEY_HEADER + "S001,staff,AS1,Agree a lot\n").encode(),
        "duplicate-answer.csv": (SURVEY_HEADER + GOOD_ROWS + "S001,staff,AS1,Disagree\n").encode(),
        "missing-column.csv": b"respondent_id,group,item_id\nS001,staff,AS1\n",
        "formula-hyperlink.csv": (SURVEY_HEADER + '"=HYPERLINK(""http://example.invalid"",'
                                  '""click"")",staff,AS1,Agree\n').encode(),
        "formula-plus.csv": (SURVEY_HEADER + "\"+cmd|' /C calc'!A0\",staff,AS1,Agree\n").encode(),
        "formula-minus.csv": (SURVEY_HEADER + "\"-2+3+cmd|' /C calc'!A0\",staff,AS1,Agree\n"
                              ).encode(),
        "formula-at.csv": (SURVEY_HEADER + "\"@SUM(1+1)*cmd|' /C calc'!A0\",staff,AS1,Agree\n"
                           ).encode(),
        "long-text.csv": (SURVEY_HEADER + f"S001,staff,AS1,{long}\n").encode(),
        "unknown-item.csv": (SURVEY_HEADER + "S001,staff,ZZ9,Agree\n").encode(),
        "extra-values.csv": (SURVEY_HEADER + "S001,staff,AS1,Agree,extra,more\n").encode(),
        "unclosed-quote.csv": (SURVEY_HEADER + 'S001,staff,AS1,Agree\nS002,staff,AS2,"Agree\n'
                               "S003,staff,AS3,Agree\n").encode(),
        "two-groups.csv": (SURVEY_HEADER + "S001,staff,AS1,Agree\nS001,partner,AS2,Agree\n"
                           ).encode(),
        "no-sheets.xlsx": _no_sheets(),
        "corrupt.xlsx": b"PK\x03\x04" + b"not really a workbook " * 50,
        "old-excel.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,
        "forms.xlsx": _forms(),
        "forms-unknown-label.xlsx": _forms(answer_as1="Agree a lot"),
        "forms-blank-id.xlsx": _forms(first_id=None),
        "forms-formula.xlsx": _forms(answer_as1="@SUM(1+1)"),
        "qualtrics-code-9.csv": _qualtrics(q2="9"),
        "qualtrics-volunteer.csv": _qualtrics(role="Volunteer"),
        "redcap.csv": b"record_id,role,as1,coprod_survey_complete\n1,1,4,2\n",
        "google-duplicates.csv": (f'Timestamp,Email address,{ROLE},Agree? [Lived experience]\n'
                                  "01/03/2026 10:00:00,a@example.org,Staff,Agree\n"
                                  "01/03/2026 10:05:00,a@example.org,Staff,Disagree\n").encode(),
        "long-unmapped.csv": b"Resp,Role,Question,Answer\nR1,Staff,Q1,Agree\nR1,Staff,Q99,Agree\n",
        "mixed-dates.csv": (ATTENDANCE + mixed).encode(),
        "attendance-header-only.csv": ATTENDANCE.encode(),
        "attendance-formula.csv": (ATTENDANCE + "M1,2026-01-08,decision_making,=1+2,partner\n"
                                   ).encode(),
        "attendance-blank-header.xlsx": _xlsx([
            ["meeting_id", "date", "meeting_type", "attendee", "role", None],
            ["M1", "2026-01-08", "decision_making", "P001", "partner", "note"]]),
        "decisions-duplicate.csv": (DECISIONS + "D1,2026-01-08,steering group,partner,jointly,"
                                    "yes,yes,no\nD1,2026-01-09,steering group,staff,staff_only,"
                                    ",yes,no\n").encode(),
        "decisions-missing.csv": (DECISIONS.replace(",outside_joint_forum", "")
                                  + "D1,2026-01-08,steering group,partner,jointly,yes,yes\n"
                                  ).encode(),
        "stages-unknown.csv": b"stage,level,claimed_level,partners_joined\n"
                              b"launch,co_design,co_production,yes\n",
        "resources-negative.csv": (RESOURCES + "P001,yes,yes,-3,no,yes\n").encode(),
        "qualitative-formula.csv": (QUALITATIVE + 'E1,interview,assets,supports,coder_a,"=HYPER'
                                    'LINK(""http://example.invalid/x"",""read more"")"\n'
                                    ).encode(),
        "qualitative-long.csv": (QUALITATIVE + "E1,interview,assets,supports,coder_a,"
                                 + "y" * 30_000 + "\n").encode(),
        "qualitative-principle.csv": (QUALITATIVE + "E1,interview,empowerment,supports,coder_a,"
                                      "We were heard.\n").encode(),
        "utf16-no-bom.csv": "principle,claimed_rating\nassets,embedded\n".encode("utf-16-le"),
        **more_contents(),
    }


def more_contents() -> dict[str, bytes]:
    survey = "respondent_id,group,item_id,response\n"
    return {
        "instrument-bomb.yaml": ALIAS_BOMB.encode(),
        "far-cell.xlsx": _far_cell(),
        "merged-huge.xlsx": _merged_huge(),
        "wide-header.csv": (",".join(f"c{i}" for i in range(3000)) + "\n1\n").encode(),
        "late-nul.csv": _late(b"\x00"),
        "late-control.csv": _late(b"\x07"),
        "late-ansi.csv": _late(b"\x1b[31m"),
        "withdrawals-broken.yaml": b"id: P001\ndate: 2026-11-20\n",
        "zero-width-ids.csv": (survey + f"S001,staff,AS1,Agree\nS001{ZW},staff,AS2,Agree\n"
                               ).encode(),
        "fullwidth-ids.csv": (survey + "S001,staff,AS1,Agree\nＳ００１,staff,AS2,Agree\n").encode(),
        "attendee-rtl.csv": (ATTENDANCE + "M1,2026-01-08,decision_making,P001,partner\n"
                             "M1,2026-01-08,decision_making,P001\u200f,partner\n").encode(),
        "resources-zw.csv": (RESOURCES + "P001,yes,yes,0,no,yes\n"
                             f"P001{ZW},yes,yes,0,no,yes\n").encode(),
        "decisions-zw.csv": (DECISIONS + "D1,2026-01-08,SG,partner,jointly,yes,yes,no\n"
                             f"D1{ZW},2026-01-09,SG,staff,jointly,,yes,no\n").encode(),
        "consent-maybe.csv": (QUALITATIVE.strip() + ",consent_to_quote\n"
                              "E1,interview,assets,supports,coder_a,We were heard.,maybe\n"
                              ).encode(),
        "participant-formula.csv": (QUALITATIVE.strip() + ",consent_to_quote,participant\n"
                                    "E1,interview,assets,supports,coder_a,We were heard.,yes,"
                                    "=1+1\n").encode(),
        "stages-duplicate.csv": b"stage,level,claimed_level,partners_joined\n"
                                b"design,co_design,co_production,yes\n"
                                b"design,co_design,co_production,no\n",
        "self-unknown.csv": b"principle,claimed_rating\nassets,excellent\n",
        "attendance-group.csv": (ATTENDANCE + "M1,2026-01-08,decision_making,P001,volunteer\n"
                                 ).encode(),
        "decisions-decider.csv": (DECISIONS + "D1,2026-01-08,SG,partner,the board,yes,yes,no\n"
                                  ).encode(),
        "resources-days.csv": (RESOURCES + "P001,yes,yes,a week,no,yes\n").encode(),
        "blank-group.csv": (survey + "S001,,AS1,Agree\n").encode(),
        "cp1252-undefined.csv": (survey.encode() + b"S001,staff,AS1,Agr\x81e\xe9\n"),
        "bom-invalid.csv": b"\xef\xbb\xbf" + survey.encode() + b"S001,staff,AS1,\xff\n",
        "many-bad.csv": (survey + "".join(f"S{k:03d},staff,AS1,Don't really know\n"
                                          for k in range(500))).encode(),
    }


def build() -> None:
    """Write the corpus; a workbook already there is kept (openpyxl stamps the time it was
    written, so rewriting it would change the committed file for nothing)."""
    FILES.mkdir(exist_ok=True)
    for name, data in contents().items():
        path = FILES / name
        if not (name.endswith(".xlsx") and path.exists()):
            path.write_bytes(data)


if __name__ == "__main__":
    build()
    print(f"{len(contents())} files in {FILES}; {len(cases())} cases")
