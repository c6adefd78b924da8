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
           "wide")


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


def _label(code: int, style: str) -> str:
    text = LABELS[code]
    return {"plain": text, "upper": text.upper(), "spaced": f"  {text} "}[style]


def _cell(person: Respondent, item: str, mess: Mess, *, codes: bool = False) -> str:
    code = person.answers.get(item)
    if code is None:
        return person.missing_token.get(item, "")
    return str(code) if codes else _label(code, mess.label_style)


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
    items = instrument_items()
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
                  ROLE_QUESTION] + [i["partner"] for i in items]
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
    if fmt == "redcap":
        header = ["record_id", "redcap_survey_identifier", "coprod_survey_timestamp", "role"]
        header += [i["id"].lower() for i in items] + ["coprod_survey_complete"]
        rows = [header]
        for p in rows_people:
            rows.append([p.rid, "", "2026-03-01 10:09:00", {"staff": "1", "partner": "2"}[p.role],
                         *[_cell(p, i["id"], mess, codes=True) for i in items],
                         "2" if p.finished else "0"])
        _write_csv(evidence / "redcap.csv", rows, mess)
        choices = " | ".join(f"{c}, {label}" for c, label in LABELS.items())
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
