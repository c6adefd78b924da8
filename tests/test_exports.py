"""Survey-tool exports: each tool's layout imports back to the answers it was made from;
init --from proposes the mapping; encodings, delimiters, merged cells, duplicates, partial
responses; record streams from XLSX and Windows-1252 CSV."""

from __future__ import annotations

import random
import subprocess
import sys

import numpy as np
import pytest
import yaml
from conftest import checksums
from exportkit import (
    FORMATS,
    LABELS,
    ROLE_ANSWERS,
    Mess,
    Respondent,
    instrument_items,
    use_survey_entry,
    write_export,
)

from coprod_eval.base.errors import InvalidInputError
from coprod_eval.inputs.evidence import load_evidence
from coprod_eval.inputs.load import load_evaluation
from coprod_eval.pipeline import check

ITEMS = [i["id"] for i in instrument_items()]
REVERSE = {i["id"] for i in instrument_items() if i.get("reverse")}


def people(seed: int, n_staff: int = 10, n_partner: int = 12) -> list[Respondent]:
    rng = random.Random(seed)
    out = []
    for k in range(n_staff + n_partner):
        answers = {i: rng.choice([1, 2, 3, 4, 5, 5, 4, None]) for i in ITEMS}
        tokens = {i: rng.choice(["", "N/A", "Prefer not to say", "Don't know"])
                  for i, v in answers.items() if v is None}
        out.append(Respondent(f"R{k:03d}", "staff" if k < n_staff else "partner", answers,
                              tokens))
    return out


def expected(persons: list[Respondent]) -> dict[str, tuple[str, list[int]]]:
    """respondent id → (role, codes in item order, reverse-keyed items reversed, 0 missing)."""
    out = {}
    for p in persons:
        codes = [0 if p.answers[i] is None else (6 - p.answers[i] if i in REVERSE
                                                 else p.answers[i]) for i in ITEMS]
        out[p.rid] = (p.role, codes)
    return out


def imported(folder) -> dict[str, tuple[str, list[int]]]:
    survey = load_evidence(load_evaluation(folder)).survey
    assert survey.items == tuple(ITEMS)
    return {str(rid): ("staff" if role == 0 else "partner", list(map(int, row)))
            for rid, role, row in zip(survey.respondent_ids, survey.roles, survey.codes)}


def by_row_ids(found: dict, persons: list[Respondent]) -> dict:
    """Google Forms without an id column: respondents are named by their row."""
    return dict(zip((p.rid for p in persons), (found[k] for k in sorted(
        found, key=lambda r: int(r.split()[-1])))))


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_imports_the_intended_answers(fmt, genuine):
    persons = people(1)
    use_survey_entry(genuine, write_export(fmt, genuine, persons, Mess()))
    before = checksums(genuine)
    found = imported(genuine)
    if fmt == "google_forms":
        found = by_row_ids(found, persons)
    assert found == expected(persons)
    assert checksums(genuine) == before


@pytest.mark.parametrize("fmt", ["qualtrics", "smartsurvey", "wide", "long", "redcap"])
def test_messy_exports_cp1252_semicolons_codes_duplicates_blank_rows(fmt, genuine):
    persons = people(2)
    earlier = Respondent(persons[3].rid, persons[3].role, dict.fromkeys(ITEMS, 1))
    mess = Mess(encoding="cp1252", delimiter=";", trailing_blank_rows=3, label_style="upper",
                codes=True, duplicates=[earlier])
    use_survey_entry(genuine, write_export(fmt, genuine, persons, mess))
    assert imported(genuine) == expected(persons)  # the later submission wins
    problems, notes = check(genuine)
    assert problems == []
    assert any("duplicated submission" in n or "repeated answer" in n for n in notes), notes


def test_duplicate_policies(genuine):
    persons = people(3)
    first = Respondent(persons[0].rid, "staff", dict.fromkeys(ITEMS, 2))
    entry = write_export("microsoft_forms", genuine, persons, Mess(duplicates=[first]))
    use_survey_entry(genuine, entry)
    problems, notes = check(genuine)
    assert problems == [] and notes[1] == (
        "evidence/forms.xlsx: 1 duplicated submission(s) left out, the last of each respondent "
        "kept (duplicates: keep_last): rows 2")
    use_survey_entry(genuine, {**entry, "duplicates": "keep_first"})
    assert imported(genuine)[persons[0].rid][1] == [
        4 if i in REVERSE else 2 for i in ITEMS]
    use_survey_entry(genuine, {**entry, "duplicates": "refuse"})
    assert [str(p) for p in check(genuine)[0]] == [
        f"evidence/forms.xlsx:2:A (ID): respondent id '{persons[0].rid}' was submitted again on "
        "row 3 — remove the submission that should not count, or set duplicates: keep_last (or "
        "keep_first) under evidence.survey in evaluation.yaml"]


def test_partial_responses_kept_as_missing_or_dropped(genuine):
    persons = people(4)
    for p in persons[:3]:
        p.finished = False
        for item in ITEMS[12:]:
            p.answers[item] = None
    entry = write_export("qualtrics", genuine, persons, Mess())
    use_survey_entry(genuine, entry)
    assert imported(genuine) == expected(persons)
    notes = check(genuine)[1]
    assert ("evidence/qualtrics.csv: 3 unfinished response(s) kept, their unanswered items "
            "missing (partial: keep): rows 4, 5, 6") in notes
    use_survey_entry(genuine, {**entry, "partial": "drop"})
    assert imported(genuine) == expected(persons[3:])


def test_answers_mapping_and_missing_tokens(genuine):
    persons = people(5)
    entry = write_export("wide", genuine, persons, Mess())
    path = genuine / entry["file"]
    text = path.read_text().replace("Strongly agree", "Totally agree").replace(
        "Prefer not to say", "Rather not say")
    path.write_text(text)
    use_survey_entry(genuine, entry)
    problems = check(genuine)[0]
    # every cell that said "Totally agree" or "Rather not say", in spreadsheet order: rows
    # from 2, item columns from C (after Ref and the role question)
    assert [(p.file, p.row, p.column, p.what) for p in problems] == [
        ("evidence/wide.csv", row, f"{chr(ord('C') + k)} ({item})",
         f"'{said}' is not an answer on the response scale")
        for row, person in enumerate(persons, start=2)
        for k, item in enumerate(ITEMS)
        for said in [{5: "Totally agree"}.get(person.answers[item]) or (
            "Rather not say" if person.missing_token.get(item) == "Prefer not to say"
            and person.answers[item] is None else None)] if said]
    assert problems[0].fix.startswith("map it under evidence.survey.answers in evaluation.yaml")
    use_survey_entry(genuine, {**entry, "answers": {"Totally agree": "Strongly agree",
                                                    "Rather not say": "missing"}})
    assert imported(genuine) == expected(persons)


def test_merged_header_cells_in_xlsx(genuine):
    from openpyxl import Workbook

    persons = people(6)
    book = Workbook()
    sheet = book.active
    sheet.append(["Ref", "Which best describes you?", "How far do you agree?"] + [None] * 23)
    sheet.append([None, None] + ITEMS)
    sheet.merge_cells(start_row=1, start_column=3, end_row=1, end_column=2 + len(ITEMS))
    sheet.merge_cells("A1:A2")
    sheet.merge_cells("B1:B2")
    for p in persons:
        sheet.append([p.rid, ROLE_ANSWERS[p.role], *[
            p.answers[i] if p.answers[i] is not None else p.missing_token.get(i) or None
            for i in ITEMS]])
    sheet.append([None] * 26)  # trailing blank rows
    book.save(genuine / "evidence" / "merged.xlsx")
    use_survey_entry(genuine, {
        "file": "evidence/merged.xlsx", "format": "wide", "header_rows": 2,
        "respondent_id": "Ref", "group": {"column": "Which best describes you?", "values": {
            ROLE_ANSWERS["staff"]: "staff", ROLE_ANSWERS["partner"]: "partner"}},
        "items": {i: i for i in ITEMS}})
    assert imported(genuine) == expected(persons)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_encodings_detected(encoding, genuine):
    persons = people(7)
    entry = write_export("smartsurvey", genuine, persons, Mess(delimiter="\t"))
    path = genuine / entry["file"]
    path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))
    use_survey_entry(genuine, entry)
    assert imported(genuine) == expected(persons)


def test_declared_encoding_that_does_not_fit_names_the_row(genuine):
    entry = write_export("smartsurvey", genuine, people(8), Mess(encoding="cp1252"))
    use_survey_entry(genuine, {**entry, "encoding": "utf-8"})
    (message,) = [str(p) for p in check(genuine)[0]]
    # rows 2-11 are the ten staff; row 12, the first partner's, has the curly quote (0x91)
    assert message.startswith("evidence/smartsurvey.csv:12:-: the file is not valid utf-8: byte "
                              "0x91 cannot be read — set encoding: auto")


def test_records_from_xlsx_and_cp1252_semicolon_csv(genuine):
    import csv
    import datetime

    from openpyxl import Workbook

    before = load_evidence(load_evaluation(genuine)).records
    rows = list(csv.reader((genuine / "evidence" / "attendance.csv").open()))
    book = Workbook()
    sheet = book.active
    sheet.title = "Attendance"
    sheet.append(rows[0])
    for row in rows[1:]:
        sheet.append([row[0], datetime.datetime.fromisoformat(row[1]), *row[2:]])
    book.create_sheet("Notes").append(["kept by the project office"])
    book.save(genuine / "evidence" / "attendance.xlsx")
    decisions = (genuine / "evidence" / "decisions.csv").read_text()
    (genuine / "evidence" / "decisions-excel.csv").write_bytes(
        decisions.replace(",", ";").replace("steering group", "steering group – café")
        .encode("cp1252"))
    data = yaml.safe_load((genuine / "evaluation.yaml").read_text())
    data["evidence"]["attendance"] = {"file": "evidence/attendance.xlsx", "sheet": "Attendance"}
    data["evidence"]["decisions"] = {"file": "evidence/decisions-excel.csv"}
    (genuine / "evaluation.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    after = load_evidence(load_evaluation(genuine)).records
    assert after["attendance"].reset_index(drop=True).equals(
        before["attendance"].reset_index(drop=True))
    assert (after["decisions"]["forum"].str.replace(" – café", "")
            == before["decisions"]["forum"]).all()


def init_from(tmp_path, fmt, persons, mess=None):
    mess = Mess() if mess is None else mess
    source = tmp_path / "downloads"
    entry = write_export(fmt, source, persons, mess)
    export = source / entry["file"]
    args = [sys.executable, "-m", "coprod_eval", "init", str(tmp_path / "ev"), "--from",
            str(export)]
    if fmt == "redcap":
        args += ["--dictionary", str(source / entry["dictionary"])]
    before = checksums(source)
    result = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert checksums(source) == before  # the export is copied, never changed
    return result, tmp_path / "ev", entry


def confirm_groups(folder, values):
    path = folder / "evaluation.yaml"
    text = path.read_text()
    for answer, code in values.items():
        text = text.replace(f'"{answer}": "TO CONFIRM: staff or partner"', f'"{answer}": {code}')
    path.write_text(text)


@pytest.mark.parametrize("fmt", ["microsoft_forms", "smartsurvey", "google_forms", "qualtrics",
                                 "redcap", "wide"])
def test_init_from_proposes_the_mapping_for_the_evaluator_to_confirm(fmt, tmp_path):
    persons = people(9)
    result, folder, _ = init_from(tmp_path, fmt, persons)
    assert result.returncode == 0, result.stderr
    assert "24 of 24 items matched" in result.stdout
    assert "TO CONFIRM, group answers" in result.stdout
    survey = yaml.safe_load((folder / "evaluation.yaml").read_text())["evidence"]["survey"]
    assert survey["format"] == fmt and len(survey["items"]) == 24
    # the group answers are not guessed: validate says so until the evaluator confirms them
    problems = [str(p) for p in check(folder)[0]]
    assert problems and all("is not a group code" in p for p in problems)
    confirm_groups(folder, {ROLE_ANSWERS["staff"]: "staff", ROLE_ANSWERS["partner"]: "partner"})
    found = imported(folder)
    if fmt == "google_forms":
        found = by_row_ids(found, persons)
    assert found == expected(persons)


def test_init_from_lists_what_it_cannot_match(tmp_path):
    persons = people(10)
    result, _, entry = init_from(tmp_path / "a", "smartsurvey", persons)
    export = tmp_path / "a" / "downloads" / entry["file"]
    text = export.read_text()
    fa4 = next(i for i in instrument_items() if i["id"] == "FA4")["partner"]
    (tmp_path / "b").mkdir()
    odd = tmp_path / "b" / "smartsurvey.csv"
    odd.write_text(text.replace(fa4, "What is your favourite colour?").replace(
        "Strongly agree", "Totally agree"))
    result = subprocess.run([sys.executable, "-m", "coprod_eval", "init", str(tmp_path / "ev2"),
                             "--from", str(odd)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "23 of 24 items matched" in result.stdout
    assert "Items with no column: FA4" in result.stdout
    assert ("Questions matching no item (left out): 'What is your favourite colour?'"
            in result.stdout)
    assert "Answers the scale does not know (map them under answers:): 'Totally agree'" in (
        result.stdout)
    # the kit's SmartSurvey rows carry an IP address (0.0.0.0) and no names or emails
    assert "Personal details in the export (IP Address): coprod-eval never reads them" in (
        result.stdout)
    with_emails = tmp_path / "b" / "with-emails.csv"
    with_emails.write_text(text.replace(",,0.0.0.0,", ",jo@example.org,0.0.0.0,", 1))
    result = subprocess.run([sys.executable, "-m", "coprod_eval", "init", str(tmp_path / "ev3"),
                             "--from", str(with_emails)], capture_output=True, text=True,
                            timeout=120)
    assert "Personal details in the export (Email, IP Address): coprod-eval never reads them" in (
        result.stdout)
    text = (tmp_path / "ev2" / "evaluation.yaml").read_text()
    assert "# FA4: NO COLUMN FOUND" in text
    assert '"Totally agree": "TO CONFIRM: a scale label, a code or missing"' in text


def test_init_from_an_unreadable_export_creates_nothing(tmp_path):
    junk = tmp_path / "export.csv"
    junk.write_bytes(bytes(range(256)) * 40)
    result = subprocess.run([sys.executable, "-m", "coprod_eval", "init", str(tmp_path / "ev"),
                             "--from", str(junk)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stdout.startswith("export.csv:-:-: the file is not text: it holds binary data")
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "ev").exists()


def test_matrix_shape_matches_respondents(genuine):
    persons = people(11, 9, 9)
    use_survey_entry(genuine, write_export("redcap", genuine, persons, Mess()))
    survey = load_evidence(load_evaluation(genuine)).survey
    assert survey.codes.shape == (18, 24) and survey.codes.dtype == np.int8
    with pytest.raises(InvalidInputError):
        use_survey_entry(genuine, {**write_export("redcap", genuine, persons, Mess()),
                                   "dictionary": None})
        load_evaluation(genuine)


def test_a_file_the_system_will_not_give_is_a_problem_not_a_traceback(tmp_path):
    from coprod_eval.base.readtable import read_raw

    folder = tmp_path / "looks-like-a-file.csv"
    folder.mkdir()
    with pytest.raises(InvalidInputError) as raised:
        read_raw(folder, "evidence/looks-like-a-file.csv")
    assert [str(p) for p in raised.value.problems] == [
        "evidence/looks-like-a-file.csv:-:-: the file cannot be opened (Is a directory) — check "
        "that it exists, is a file and that you may read it"]


def test_init_from_a_long_table_finds_its_columns_and_items(tmp_path):
    import csv

    persons = people(12)
    items = {i["id"]: i for i in instrument_items()}
    export = tmp_path / "answers.csv"
    with export.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["Respondent", "Role", "Statement", "Answer"])
        for p in persons:
            for item in ITEMS:
                code = p.answers[item]
                writer.writerow([p.rid, p.role, items[item][p.role],
                                 LABELS[code] if code else p.missing_token.get(item, "")])
    result = subprocess.run([sys.executable, "-m", "coprod_eval", "init", str(tmp_path / "ev"),
                             "--from", str(export)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert ("Read as a long table (one row per answer): 24 of 24 items matched to values of "
            "column 'Statement'") in result.stdout
    survey = yaml.safe_load((tmp_path / "ev" / "evaluation.yaml").read_text())["evidence"][
        "survey"]
    assert (survey["format"], survey["respondent_id"], survey["item_column"],
            survey["response_column"], survey["group"]["column"]) == (
        "long", "Respondent", "Statement", "Answer", "Role")
    assert check(tmp_path / "ev")[0] == []
    assert imported(tmp_path / "ev") == expected(persons)
