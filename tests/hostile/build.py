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


def cases() -> list[Case]:
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
    }


def build() -> None:
    FILES.mkdir(exist_ok=True)
    for name, data in contents().items():
        (FILES / name).write_bytes(data)


if __name__ == "__main__":
    build()
    print(f"{len(contents())} files in {FILES}; {len(cases())} cases")
