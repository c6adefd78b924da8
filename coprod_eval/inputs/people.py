"""Who is in the evidence: every pseudonym it holds (what de-identification masks and a
withdrawal names), and whether a file names a person."""

from __future__ import annotations

import dataclasses

from ..base.identity import normalise_id
from ..yardsticks.streams import PERSON_COLUMNS, RECORD_STREAMS
from .evidence import load_evidence
from .load import Evaluation


def pseudonyms(evidence) -> frozenset[str]:
    """Every pseudonym in the evidence: survey respondents, attendees, paid partners and
    interviewees (what de-identification masks wherever it meets one)."""
    names: set[str] = set()
    if evidence.survey is not None:
        names.update(map(str, evidence.survey.respondent_ids))
    for stream, column in PERSON_COLUMNS:
        table = evidence.records.get(stream)
        if table is not None and column in table:
            names.update(str(v) for v in table[column].dropna() if str(v).strip())
    return frozenset(names)


def people_in(evaluation: Evaluation, *, include_withdrawn: bool = False) -> frozenset[str]:
    """Every person's pseudonym in the evidence (normalised): respondents, attendees,
    partners with payment records, participants quoted."""
    if include_withdrawn:
        evaluation = dataclasses.replace(evaluation, withdrawn=frozenset())
    evidence = load_evidence(evaluation)
    found = set(map(str, evidence.survey.respondent_ids)) if evidence.survey is not None else set()
    for stream, table in evidence.records.items():
        for column in (c.name for c in RECORD_STREAMS[stream].columns if c.person):
            found.update(v for v in table[column] if v)
    return frozenset(found)


def file_names_person(data: bytes, key: str) -> bool:
    """Whether an evidence file's bytes name a person (their normalised pseudonym as a whole
    cell), whatever the file's format."""
    import re

    if data.startswith(b"PK"):
        return True  # a workbook: cannot tell cheaply, so assume it does
    text = data.decode("utf-8", errors="ignore")
    cells = re.split(r"[,;\t\r\n\"]+", text)
    return any(normalise_id(cell) == key for cell in cells if cell)
