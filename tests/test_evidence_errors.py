"""Validation of evaluation.yaml and survey evidence: exact messages, all at once, inputs
untouched."""

from __future__ import annotations

from conftest import checksums

from coprod_eval import validate
from coprod_eval.cli import main

HEADER = "respondent_id,group,item_id,response\n"


def write_survey(folder, body: str) -> None:
    (folder / "evidence" / "survey.csv").write_text(HEADER + body, encoding="utf-8")


def messages(folder) -> list[str]:
    return [str(p) for p in validate(folder)]


def test_samples_are_valid(genuine, involvement):
    assert messages(genuine) == []
    assert messages(involvement) == []


def test_every_survey_problem_listed_with_row_and_column(genuine):
    write_survey(genuine, "\n".join([
        "S001,staff,AS1,Agree",            # row 2: fine
        ",staff,AS2,Agree",                # row 3: blank id
        "S001,volunteer,AS3,Agree",        # row 4: unknown group (and S001 in two groups)
        "S001,staff,ZZ9,Agree",            # row 5: unknown item
        "S001,staff,AS4,Strongly agre",    # row 6: unknown response
        "S001,staff,AS1,Disagree",         # row 7: duplicate answer
        "S002,partner,CA1,7",              # row 8: code out of range
        "S002,partner,CA2,don't KNOW",     # row 9: fine (missing, any case)
    ]) + "\n")
    labels = ('"Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", '
              '"Strongly agree"')
    response_fix = (f"use a label ({labels}), a code 1–5, or leave it blank / \"Don't know\" "
                    "when there is no answer")
    assert messages(genuine) == [
        "evidence/survey.csv:3:respondent_id: respondent_id is blank — give every row the "
        "pseudonymous id of the person who answered",
        "evidence/survey.csv:4:group: 'volunteer' is not a group of this evaluation — use "
        "'staff' or 'partner' (set in evaluation.yaml under groups)",
        "evidence/survey.csv:4:group: respondent 'S001' appears in more than one group — put "
        "each respondent in one group only",
        "evidence/survey.csv:5:item_id: 'ZZ9' is not an item of the instrument 'coprod_survey' "
        "— use an item id from the instrument (e.g. AS1, AS2, AS3)",
        f"evidence/survey.csv:6:response: 'Strongly agre' is not an answer on the response "
        f"scale — {response_fix}",
        "evidence/survey.csv:7:item_id: respondent 'S001' answers item 'AS1' more than once — "
        "keep one answer per respondent and item",
        f"evidence/survey.csv:8:response: '7' is not an answer on the response scale — "
        f"{response_fix}",
    ]


def test_missing_and_unknown_columns(genuine):
    (genuine / "evidence" / "survey.csv").write_text("respondent,group,item_id\nS1,staff,AS1\n")
    assert messages(genuine) == [
        "evidence/survey.csv:1:respondent_id: required column 'respondent_id' is missing — add "
        "a 'respondent_id' column; the header must be: respondent_id,group,item_id,response",
        "evidence/survey.csv:1:response: required column 'response' is missing — add a "
        "'response' column; the header must be: respondent_id,group,item_id,response",
    ]


def test_empty_file_and_non_utf8(genuine):
    (genuine / "evidence" / "survey.csv").write_bytes(b"")
    assert messages(genuine) == [
        "evidence/survey.csv:1:-: the file is empty — save the table with its header row "
        "(coprod-eval init writes templates)"]
    (genuine / "evidence" / "survey.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff")
    (message,) = messages(genuine)
    assert message == (
        "evidence/survey.csv:-:-: the file is not text: it holds binary data (it "
        "contains NUL bytes) — export it again as CSV UTF-8 (Excel: Save As > CSV UTF-8) or as "
        ".xlsx, and check the file name points at the table")


def test_evaluation_yaml_problems_name_line_and_field(genuine):
    path = genuine / "evaluation.yaml"
    text = path.read_text()
    text = text.replace("claimed_level: co_production", "claimed_level: coproduction")
    text = text.replace("    file: evidence/survey.csv", "    file: evidence/answers.csv")
    text = text.replace("privacy:", "colour: blue\nprivacy:")
    path.write_text(text)
    lines = text.splitlines()

    def line(needle):
        return next(i for i, s in enumerate(lines, 1) if s.startswith(needle))

    # Schema problems (the unknown field) come first; fix them and the rest appear.
    assert messages(genuine) == [
        f"evaluation.yaml:{line('colour:')}:colour: unknown field 'colour' — check the spelling; "
        "fields allowed here: analysis, claimed_level, coproduced, evidence, framework, groups, "
        "ladder, limits, overrides, privacy, project, reference_group, round, schema_version, "
        "sign_off, who_is_in_the_room"]
    text = text.replace("colour: blue\n", "")
    path.write_text(text)
    lines = text.splitlines()
    assert messages(genuine) == [
        f"evaluation.yaml:{line('claimed_level:')}:claimed_level: 'coproduction' is not a level "
        "of the ladder 'tlap7' — use one of: coercion, educating, informing, consultation, "
        "engagement, co_design, co_production",
        f"evaluation.yaml:{line('    file:')}:evidence.survey.file: evidence file "
        "'evidence/answers.csv' does not exist — put the file there or correct the path "
        "(relative to the evaluation folder)",
    ]


def test_wrong_type_and_threshold_floor(genuine):
    path = genuine / "evaluation.yaml"
    text = path.read_text().replace("min_group_size: 8", "min_group_size: 2")
    text = text.replace("permutations: 20000", "permutations: many")
    path.write_text(text)
    found = messages(genuine)
    assert any(m.endswith("'analysis.permutations' must be a whole number, not 'many' — "
                          "write a whole number for 'analysis.permutations'")
               for m in found), found
    assert any(":privacy.min_group_size: 'privacy.min_group_size' is 2: 2 is less than the "
               "minimum of 3" in m for m in found), found


def test_validate_cli_exit_codes_and_inputs_untouched(genuine, capsys):
    before = checksums(genuine)
    assert main(["validate", str(genuine)]) == 0
    write_survey(genuine, "S001,staff,AS1,Agreee\n")
    broken = checksums(genuine)
    assert main(["validate", str(genuine)]) == 1
    out = capsys.readouterr().out
    assert "evidence/survey.csv:2:response: 'Agreee' is not an answer" in out
    assert checksums(genuine) == broken != before
    assert not (genuine / "runs").exists()


def test_validate_missing_folder(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nowhere")]) == 1
    assert "the evaluation folder does not exist — check the path" in capsys.readouterr().out


def test_rows_are_counted_as_a_spreadsheet_shows_them(genuine):
    write_survey(genuine, "S001,staff,AS1,Agree\n\n,,,\nS001 , staff ,AS2, Agree \n"
                          "S001,staff,AS3,Sometimes\nS001,staff,AS4,Agree,but only just\n")
    assert [str(p).split(" — ")[0] for p in validate(genuine)] == [
        "evidence/survey.csv:6:response: 'Sometimes' is not an answer on the response scale",
        "evidence/survey.csv:7:-: the row has 5 values but the header names 4 columns"]


def test_every_problem_is_counted_past_the_thousand_kept_of_a_kind(genuine):
    """A collector keeps 1,000 problems of one kind and counts the rest: the count survives
    every reader that passes problems on (2,500 bad dates in the attendance records are
    2,500 problems), and the thousand named are the first rows."""
    from coprod_eval import check_folder
    from coprod_eval.base.errors import InvalidInputError

    rows = "".join(f"M{i:04d},08/01/2026,decision_making,S002,staff\n" for i in range(2500))
    (genuine / "evidence" / "attendance.csv").write_text(
        "meeting_id,date,meeting_type,attendee,role\n" + rows, encoding="utf-8")
    try:
        check_folder(genuine)
    except InvalidInputError as exc:
        error = exc
    else:
        raise AssertionError("2,500 bad dates were accepted")
    assert error.count == 2500
    first = str(error).splitlines()
    assert first[0] == "2500 problem(s) found:"
    assert "(the same in 1000 cells: rows 2–1001 in date)" in first[1], first[1]
    assert "and 1,500 more problem(s) like those above" in first[2], first[2]
