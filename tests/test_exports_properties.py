"""Property-based: messy but valid exports — any tool, encoding, separator, label spelling,
missing-answer wording, trailing blank rows, resubmissions — import back to the answers
they were made from."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from conftest import GENUINE, copy_sample
from exportkit import FORMATS, Mess, Respondent, instrument_items, use_survey_entry, write_export
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coprod_eval.inputs.evidence import load_evidence
from coprod_eval.inputs.load import load_evaluation

ITEMS = [i["id"] for i in instrument_items()]
REVERSE = {i["id"] for i in instrument_items() if i.get("reverse")}
TOKENS = ["", "N/A", "n/a ", "Prefer not to say", "Don't know", "don’t know"]

answer = st.one_of(st.integers(1, 5), st.none())
rid = st.from_regex(r"[A-Za-z][A-Za-z0-9 ,'\"é_-]{0,8}[A-Za-z0-9]", fullmatch=True)


@st.composite
def respondent(draw, rid_value, role):
    answers = {i: draw(answer) for i in ITEMS}
    tokens = {i: draw(st.sampled_from(TOKENS)) for i, v in answers.items() if v is None}
    return Respondent(rid_value, role, answers, tokens)


@st.composite
def survey(draw):
    ids = draw(st.lists(rid, min_size=2, max_size=9, unique_by=lambda s: s.casefold()))
    roles = draw(st.lists(st.sampled_from(["staff", "partner"]), min_size=len(ids),
                          max_size=len(ids)))
    persons = [draw(respondent(i, r)) for i, r in zip(ids, roles)]
    fmt = draw(st.sampled_from(FORMATS))
    earlier = []
    if fmt != "google_forms" or draw(st.booleans()):
        for target in draw(st.lists(st.sampled_from(persons), max_size=2)):
            earlier.append(draw(respondent(target.rid, target.role)))
    mess = Mess(encoding=draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"])),
                delimiter=draw(st.sampled_from([",", ";", "\t"])),
                trailing_blank_rows=draw(st.integers(0, 3)),
                label_style=draw(st.sampled_from(["plain", "upper", "spaced"])),
                codes=draw(st.booleans()), duplicates=earlier)
    return fmt, persons, mess


def intended(persons):
    """What the import must give: each respondent with any non-blank cell, their codes
    (reverse-keyed items reversed, missing as 0)."""
    out = {}
    for p in persons:
        if all(p.answers[i] is None and not p.missing_token.get(i, "").strip() for i in ITEMS):
            continue
        out[p.rid] = (p.role, [0 if p.answers[i] is None else
                               (6 - p.answers[i] if i in REVERSE else p.answers[i])
                               for i in ITEMS])
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(survey())
def test_messy_valid_exports_import_to_the_intended_answers(case):
    fmt, persons, mess = case
    with tempfile.TemporaryDirectory() as tmp:
        folder = copy_sample(GENUINE, Path(tmp))
        use_survey_entry(folder, write_export(fmt, folder, persons, mess))
        survey_ = load_evidence(load_evaluation(folder)).survey
        found = {str(r): ("staff" if role == 0 else "partner", list(map(int, row)))
                 for r, role, row in zip(survey_.respondent_ids, survey_.roles, survey_.codes)}
        if fmt == "google_forms" and not mess.duplicates:  # no id column: rows name people
            rows = sorted(found, key=lambda r: int(r.split()[-1]))
            row_of = {f"row {n}": p.rid for n, p in enumerate(persons, start=2)}
            found = {row_of[r]: found[r] for r in rows}
        assert found == intended(persons)
        shutil.rmtree(folder)
