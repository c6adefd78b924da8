"""Survey-tool exports written the way each tool writes them, from intended answers.

Test code only, written from the tools' export layouts, not from coprod_eval's reader: the
tests import these files back and compare with the answers they were made from.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

LABELS = {1: "Strongly disagree", 2: "Disagree", 3: "Neither agree nor disagree", 4: "Agree",
          5: "Strongly agree"}
ROLE_QUESTION = "Which best describes you?"
ROLE_ANSWERS = {"staff": "I work for the service",
                "partner": "I use the service, or care for someone who does "
                           "(an ‘expert by experience’)"}
GRID = "How far do you agree with each statement?"
ITEMS_FILE = (Path(__file__).resolve().parent.parent
              / "coprod_eval/data/instruments/coprod_survey.yaml")
FORMATS = ("microsoft_forms", "smartsurvey", "google_forms", "qualtrics", "redcap", "long",
           "wide", "spss")


def instrument_items() -> list[dict]:
    return yaml.safe_load(ITEMS_FILE.read_text())["items"]


@dataclass
class Respondent:
    rid: str
    role: str  # staff / partner
    answers: dict[str, int | None]  # item → code 1-5, or None for no answer
    missing_token: dict[str, str] = field(default_factory=dict)  # item → "N/A", "" …
    finished: bool = True


@dataclass
class Mess:
    encoding: str = "utf-8"  # utf-8, utf-8-sig, cp1252
    delimiter: str = ","
    trailing_blank_rows: int = 0
    label_style: str = "plain"  # plain, upper, spaced
    codes: bool = False  # Qualtrics: numeric codes instead of labels
    duplicates: list[Respondent] = field(default_factory=list)  # earlier submissions
    labels: dict[int, str] = field(default_factory=lambda: dict(LABELS))  # the scale
    dont_know: int | None = None  # the code a tool gives "Don't know" (Qualtrics, REDCap)
    items: list[dict] | None = None  # the questions (default: the bundled instrument's)
    smart_quirks: bool = False  # SmartSurvey: curly apostrophes, a trailing "(e.g. …)"


def smart_header(text: str) -> str:
    """How SmartSurvey headers differ from the other tools' for the same question."""
    text = text.replace("'", "\u2019")
    return text + " (e.g. \u00a3 budget)" if "budget" in text else text


def _label(code: int, mess: Mess) -> str:
    text = mess.labels[code]
    return {"plain": text, "upper": text.upper(), "spaced": f"  {text} "}[mess.label_style]


def _cell(person: Respondent, item: str, mess: Mess, *, codes: bool = False) -> str:
    code = person.answers.get(item)
    if code is None:
        token = person.missing_token.get(item, "")
        if codes and token == "Don't know" and mess.dont_know is not None:
            return str(mess.dont_know)
        return token
    return str(code) if codes else _label(code, mess)


def _write_csv(path: Path, rows: list[list[str]], mess: Mess) -> None:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=mess.delimiter, lineterminator="\r\n")
    writer.writerows(rows)
    for _ in range(mess.trailing_blank_rows):
        out.write(mess.delimiter * (len(rows[0]) - 1) + "\r\n")
    path.write_bytes(out.getvalue().encode(mess.encoding))


def _in_order(people: list[Respondent], mess: Mess) -> list[Respondent]:
    return list(mess.duplicates) + list(people)  # earlier submissions come first


def write_export(fmt: str, folder: Path, people: list[Respondent], mess: Mess) -> dict:
    """Write evidence/<file> for ``fmt``; return the survey entry for evaluation.yaml."""
    items = mess.items or instrument_items()
    evidence = folder / "evidence"
    evidence.mkdir(parents=True, exist_ok=True)
    rows_people = _in_order(people, mess)
    group = {"column": ROLE_QUESTION,
             "values": {ROLE_ANSWERS["staff"]: "staff", ROLE_ANSWERS["partner"]: "partner"}}
    reading = {"encoding": "auto", "delimiter": "auto"}
    if fmt == "microsoft_forms":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = "Form1"
        header = ["ID", "Start time", "Completion time", "Email", "Name", ROLE_QUESTION]
        if all(i["staff"] == i["partner"] for i in items):  # one wording: one column each
            sheet.append(header + [i["partner"] for i in items])
            for p in rows_people:
                sheet.append([p.rid, "2026-03-01 10:00", "2026-03-01 10:09", "anonymous", None,
                              ROLE_ANSWERS[p.role],
                              *[_cell(p, i["id"], mess) or None for i in items]])
            book.save(evidence / "forms.xlsx")
            return {"file": "evidence/forms.xlsx", "format": fmt, "group": group,
                    "items": {i["id"]: i["partner"] for i in items}}
        header += [i["staff"] for i in items] + [i["partner"] for i in items]
        sheet.append(header)
        for p in rows_people:
            staff = [_cell(p, i["id"], mess) if p.role == "staff" else None for i in items]
            partner = [_cell(p, i["id"], mess) if p.role == "partner" else None for i in items]
            sheet.append([p.rid, "2026-03-01 10:00", "2026-03-01 10:09", "anonymous", None,
                          ROLE_ANSWERS[p.role], *[v or None for v in staff],
                          *[v or None for v in partner]])
        book.save(evidence / "forms.xlsx")
        letters = _letters(len(header))
        mapping = {i["id"]: [f"column {letters[6 + k]}", f"column {letters[6 + len(items) + k]}"]
                   for k, i in enumerate(items)}
        return {"file": "evidence/forms.xlsx", "format": fmt, "group": group, "items": mapping}
    if fmt == "google_forms":
        header = ["Timestamp", "Email address", ROLE_QUESTION]
        header += [f"{GRID} [{i['partner']}]" for i in items]
        rows = [header] + [["01/03/2026 10:00:00", p.rid if mess.duplicates else "",
                            ROLE_ANSWERS[p.role], *[_cell(p, i["id"], mess) for i in items]]
                           for p in rows_people]
        _write_csv(evidence / "google.csv", rows, mess)
        return {"file": "evidence/google.csv", "format": fmt, "group": group, **reading,
                "respondent_id": None if not mess.duplicates else "Email address",
                "items": {i["id"]: f"{GRID} [{i['partner']}]" for i in items}}
    if fmt == "smartsurvey":
        header = ["UserNo", "Name", "Email", "IP Address", "Unique ID", "Started", "Ended",
                  ROLE_QUESTION] + [smart_header(i["partner"]) if mess.smart_quirks
                                    else i["partner"] for i in items]
        rows = [header] + [[p.rid, "", "", "0.0.0.0", "", "01/03/2026 10:00",
                            "01/03/2026 10:09" if p.finished else "", ROLE_ANSWERS[p.role],
                            *[_cell(p, i["id"], mess) for i in items]] for p in rows_people]
        _write_csv(evidence / "smartsurvey.csv", rows, mess)
        return {"file": "evidence/smartsurvey.csv", "format": fmt, "group": group, **reading,
                "items": {i["id"]: i["partner"] for i in items}}
    if fmt == "qualtrics":
        meta = ["StartDate", "EndDate", "Status", "Progress", "Duration (in seconds)",
                "Finished", "RecordedDate", "ResponseId"]
        ids = meta + ["Q1"] + [f"Q2_{k}" for k in range(1, len(items) + 1)]
        texts = meta[:] + [ROLE_QUESTION] + [f"{GRID} - {i['partner']}" for i in items]
        imports = [json.dumps({"ImportId": m.lower()}) for m in meta] + [
            json.dumps({"ImportId": "QID1"})] + [json.dumps({"ImportId": f"QID2_{k}"})
                                               for k in range(1, len(items) + 1)]
        role_code = {"staff": "1", "partner": "2"}
        rows = [ids, texts, imports]
        for p in rows_people:
            role = role_code[p.role] if mess.codes else ROLE_ANSWERS[p.role]
            rows.append(["2026-03-01 10:00:00", "2026-03-01 10:09:00", "IP Address",
                         "100" if p.finished else "40", "540",
                         "True" if p.finished else "False", "2026-03-01 10:09:00", p.rid, role,
                         *[_cell(p, i["id"], mess, codes=mess.codes) for i in items]])
        _write_csv(evidence / "qualtrics.csv", rows, mess)
        entry = {"file": "evidence/qualtrics.csv", "format": fmt, **reading,
                 "group": {"column": "Q1", "values": (
                     {"1": "staff", "2": "partner"} if mess.codes else group["values"])},
                 "items": {i["id"]: f"Q2_{k}" for k, i in enumerate(items, 1)}}
        return entry
    if fmt == "spss":
        return _write_sav(evidence, rows_people, items, mess, group)
    if fmt == "redcap":
        header = ["record_id", "redcap_survey_identifier", "coprod_survey_timestamp", "role"]
        header += [i["id"].lower() for i in items] + ["coprod_survey_complete"]
        rows = [header]
        for p in rows_people:
            rows.append([p.rid, "", "2026-03-01 10:09:00", {"staff": "1", "partner": "2"}[p.role],
                         *[_cell(p, i["id"], mess, codes=True) for i in items],
                         "2" if p.finished else "0"])
        _write_csv(evidence / "redcap.csv", rows, mess)
        scale = dict(mess.labels)
        if mess.dont_know is not None:
            scale[mess.dont_know] = "Don't know"
        choices = " | ".join(f"{c}, {label}" for c, label in scale.items())
        dictionary = [["Variable / Field Name", "Form Name", "Section Header", "Field Type",
                       "Field Label", "Choices, Calculations, OR Slider Labels", "Field Note"],
                      ["record_id", "coprod_survey", "", "text", "Record ID", "", ""],
                      ["role", "coprod_survey", "", "radio", ROLE_QUESTION,
                       f"1, {ROLE_ANSWERS['staff']} | 2, {ROLE_ANSWERS['partner']}", ""]]
        dictionary += [[i["id"].lower(), "coprod_survey", "", "radio",
                        f"<p>{i['partner']}</p>", choices, ""] for i in items]
        _write_csv(evidence / "redcap_dictionary.csv", dictionary, Mess())
        return {"file": "evidence/redcap.csv", "format": fmt, **reading,
                "dictionary": "evidence/redcap_dictionary.csv",
                "group": {"column": "role", "values": group["values"]},
                "items": {i["id"]: i["id"].lower() for i in items}}
    if fmt == "long":
        rows = [["Resp", "Role", "Question", "Answer"]]
        for p in rows_people:
            for i in items:
                rows.append([p.rid, ROLE_ANSWERS[p.role], f"q{i['id']}", _cell(p, i["id"], mess)])
        _write_csv(evidence / "long.csv", rows, mess)
        return {"file": "evidence/long.csv", "format": fmt, **reading, "respondent_id": "Resp",
                "group": {**group, "column": "Role"}, "item_column": "Question",
                "response_column": "Answer",
                "items": {i["id"]: f"q{i['id']}" for i in items}}
    if fmt == "wide":
        header = ["Ref", ROLE_QUESTION] + [i["id"] for i in items]
        rows = [header] + [[p.rid, ROLE_ANSWERS[p.role], *[_cell(p, i["id"], mess)
                                                           for i in items]] for p in rows_people]
        _write_csv(evidence / "wide.csv", rows, mess)
        return {"file": "evidence/wide.csv", "format": fmt, **reading, "respondent_id": "Ref",
                "group": group, "items": {i["id"]: i["id"] for i in items}}
    raise ValueError(fmt)


def _letters(n: int) -> list[str]:
    from openpyxl.utils import get_column_letter

    return [get_column_letter(k) for k in range(1, n + 1)]


def use_survey_entry(folder: Path, entry: dict) -> None:
    """Point the evaluation's survey entry at an export (the other streams stay)."""
    path = folder / "evaluation.yaml"
    data = yaml.safe_load(path.read_text())
    data["evidence"]["survey"] = {k: v for k, v in entry.items() if v is not None}
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


# An evaluator's own questionnaire: 18 questions of its own wording, three per Nesta/NEF
# principle (one of them reverse-worded), asked on a 7-point agreement scale. The principle
# and reverse flag each question was written for are the truth a mapping is checked against.
OWN_QUESTIONS = [
    ("Q01", "assets", False, "What I know from living with my condition is valued here."),
    ("Q02", "assets", False, "People ask what I can bring, not just what I need."),
    ("Q03", "assets", True, "I'm mostly here to comment on plans that were already made."),
    ("Q04", "capabilities", False, "I've been offered training so I can take on new roles."),
    ("Q05", "capabilities", False, "I've had the chance to facilitate, train or co-evaluate."),
    ("Q06", "capabilities", True, "Skilled tasks are kept for staff."),
    ("Q07", "reciprocity", False, "I'm paid fairly for my time, from the project budget."),
    ("Q08", "reciprocity", False, "Taking part has never left me out of pocket."),
    ("Q09", "reciprocity", False, "Staff learn from me as much as I learn from them."),
    ("Q10", "networks", False, "I'm helped to connect with and support other members."),
    ("Q11", "networks", False, "Peer groups meet without staff there."),
    ("Q12", "networks", False, "The friendships I've made here would carry on without funding."),
    ("Q13", "blurring", False,
     "I sit on the groups that decide things, with the same papers and vote."),
    ("Q14", "blurring", False, "I run sessions together with staff."),
    ("Q15", "blurring", True, "There's a clear 'them and us' between staff and members."),
    ("Q16", "catalysts", False, "Members share control of the budget."),
    ("Q17", "catalysts", False, "Big decisions are made jointly with members like me."),
    ("Q18", "catalysts", False, "Things members start carry on without staff leading them."),
]
SEVEN = {1: "Strongly disagree", 2: "Disagree", 3: "Somewhat disagree",
         4: "Neither agree nor disagree", 5: "Somewhat agree", 6: "Agree", 7: "Strongly agree"}


def own_items() -> list[dict]:
    return [{"id": qid, "staff": text, "partner": text} for qid, _, _, text in OWN_QUESTIONS]


def _scale(mess: Mess) -> dict[int, str]:
    scale = dict(mess.labels)
    if mess.dont_know is not None:
        scale[mess.dont_know] = "Don't know"
    return scale


def _write_sav(evidence: Path, people: list[Respondent], items: list[dict], mess: Mess,
               group: dict) -> dict:
    """An SPSS file as Qualtrics exports one: variables named by the question's export tag
    (Q1, Q2_3), labelled with its words; answers as numbers, labelled with their words."""
    import pandas as pd
    import pyreadstat

    names = ["ResponseId", "Finished", "Q1"] + [f"Q2_{k}" for k in range(1, len(items) + 1)]
    labels = ["Response ID", "Finished", ROLE_QUESTION] + [f"{GRID} - {i['partner']}"
                                                          for i in items]
    # a word given instead of an answer ("N/A", "Don't know") is a code of its own, labelled
    tokens = sorted({t for p in people for t in p.missing_token.values() if t.strip()}
                    - {"Don't know"})
    scale = {float(k): (_label(k, mess) if k in mess.labels else v)
             for k, v in _scale(mess).items()}
    scale.update({90.0 + k: t for k, t in enumerate(tokens)})
    code_of = {v: k for k, v in scale.items()}
    rows = []
    for p in people:
        cells = [_cell(p, i["id"], mess, codes=True) for i in items]
        rows.append([p.rid, 1.0 if p.finished else 0.0, 1.0 if p.role == "staff" else 2.0,
                     *[float(c) if c.strip().isdigit() else code_of.get(c) for c in cells]])
    frame = pd.DataFrame(rows, columns=names)
    value_labels = {"Finished": {0.0: "False", 1.0: "True"},
                    "Q1": {1.0: ROLE_ANSWERS["staff"], 2.0: ROLE_ANSWERS["partner"]},
                    **dict.fromkeys(names[3:], scale)}
    pyreadstat.write_sav(frame, str(evidence / "qualtrics.sav"), column_labels=labels,
                         variable_value_labels=value_labels)
    return {"file": "evidence/qualtrics.sav", "format": "spss", "group": {
        "column": "Q1", "values": group["values"]},
        "items": {i["id"]: f"Q2_{k}" for k, i in enumerate(items, 1)}}


def write_qsf(path: Path, items: list[dict], mess: Mess) -> None:
    """The Qualtrics survey file (.qsf) of the Qualtrics export above: the group question
    (QID1, multiple choice) and the statements (QID2, a matrix on the scale)."""
    scale = _scale(mess)
    elements = [
        {"Element": "BL", "Payload": []},
        {"Element": "SQ", "PrimaryAttribute": "QID1", "Payload": {
            "QuestionID": "QID1", "DataExportTag": "Q1", "QuestionType": "MC",
            "QuestionText": ROLE_QUESTION,
            "Choices": {"1": {"Display": ROLE_ANSWERS["staff"]},
                        "2": {"Display": ROLE_ANSWERS["partner"]}}}},
        {"Element": "SQ", "PrimaryAttribute": "QID2", "Payload": {
            "QuestionID": "QID2", "DataExportTag": "Q2", "QuestionType": "Matrix",
            "QuestionText": GRID,
            "Choices": {str(k): {"Display": i["partner"]} for k, i in enumerate(items, 1)},
            # answer ids are not the numbers exported: the recode values are
            "Answers": {str(10 + code): {"Display": label} for code, label in scale.items()},
            "RecodeValues": {str(10 + code): str(code) for code in scale}}},
    ]
    path.write_text(json.dumps({"SurveyEntry": {"SurveyName": "Co-production survey"},
                                "SurveyElements": elements}), encoding="utf-8")
