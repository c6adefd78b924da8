"""What a survey tool says its codes mean: a REDCap data dictionary (each field's label and
its choices' codes and labels) or a Qualtrics survey file (.qsf: each question's choices and
the numbers an export with numeric values writes for them)."""

from __future__ import annotations

import dataclasses
import html
import json
import re

from ...base.errors import InvalidInputError, Problem, Problems
from ...base.identity import plain_words
from ...base.readtable import read_raw
from ...yardsticks.instrument import normalise
from .mapping import (
    DICTIONARY_COLUMNS,
    DICTIONARY_COLUMNS_FIX,
    SurveySource,
)
from .own import MISSING_WORDS

QSF_MB = 20  # a .qsf of several hundred questions is a few MB
QSF_UNREADABLE = "{file} is not a Qualtrics survey file (.qsf) that can be read ({detail})"
QSF_UNREADABLE_FIX = ("export it again from Qualtrics (Survey > Tools > Import/Export > Export "
                      "survey) and give that file unchanged")
QSF_SAME_CODE = ("{file}: question {qid} writes {code} for more than one choice ({labels}), so "
                 "a numeric export cannot say which was chosen")
QSF_SAME_CODE_FIX = ("in Qualtrics, give each choice its own number (the question's Recode "
                     "values), then export the data and the survey file again")
QSF_NOT_IN = ("this column ({qid}) is not a question of {file}, so its numbers cannot be read "
              "as words")
QSF_NOT_IN_FIX = ("give the survey file (.qsf) of the survey this export came from, exported "
                  "from it now (Survey > Tools > Import/Export > Export survey), or an export "
                  "with choice text instead of numbers")





class Clash(str):
    """A number a survey file gives to more than one choice (its words joined); a used
    column with one is refused (``survey_file_problems``), an unused one is no matter."""

    labels: tuple[str, ...] = ()


def read_dictionary(source: SurveySource) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """The tool's dictionary → (column → question label, column → {code → choice label});
    a column is a REDCap field name or a Qualtrics import id (QID5_2)."""
    if source.dictionary.suffix.lower() == ".qsf":
        return {}, read_qsf(source.dictionary, source.dictionary_name or source.dictionary.name)
    raw = read_raw(source.dictionary, source.dictionary_name or "dictionary",
                   dataclasses.replace(source.read, header_row=1, header_rows=1, sheet=None,
                                       delimiter="auto"))
    header = [normalise(h) for h in raw.header]
    wanted = {"field": "variable / field name", "label": "field label",
              "choices": "choices, calculations, or slider labels"}
    index = {}
    problems = Problems() + raw.problems
    for key, title in wanted.items():
        if title in header:
            index[key] = header.index(title)
        else:
            problems.append(Problem(raw.name, raw.header_row_number, title,
                                    DICTIONARY_COLUMNS.format(column=title),
                                    DICTIONARY_COLUMNS_FIX))
    if problems:
        raise InvalidInputError(problems)
    labels, choices = {}, {}
    for row in raw.rows:
        name = row[index["field"]]
        labels[name] = _strip_html(row[index["label"]])
        parsed = {}
        for part in row[index["choices"]].split("|"):
            code, sep, label = part.partition(",")
            if sep and code.strip():
                parsed[code.strip()] = _strip_html(label)
        if parsed:
            choices[name] = parsed
    return labels, choices


def _strip_html(text: str) -> str:
    """A label as words: no HTML tags or entities, no control or direction characters."""
    return plain_words(html.unescape(re.sub(r"<[^>]+>", " ", text)))


def read_qsf(path, name: str) -> dict[str, dict[str, str]]:
    """A Qualtrics survey file → import id → {the number a numeric export writes → the
    choice's words}: a multiple-choice question's choices (QID1), each statement of a matrix
    its scale points (QID2_3), through the question's recode values where it has them."""
    try:
        if path.stat().st_size > QSF_MB * 2**20:
            raise ValueError(f"larger than {QSF_MB} MB")
        survey = json.loads(path.read_bytes().decode("utf-8-sig"))
        elements = survey["SurveyElements"]
        if not isinstance(elements, list):
            raise ValueError("SurveyElements is not a list")
    except (OSError, ValueError, KeyError, TypeError, RecursionError) as exc:
        detail = str(exc) if not isinstance(exc, (KeyError, RecursionError)) else (
            f"no {exc}" if isinstance(exc, KeyError) else "nested too deeply")
        raise InvalidInputError([Problem(name, None, None, QSF_UNREADABLE.format(
            file=name, detail=detail[:120]), QSF_UNREADABLE_FIX)]) from None
    choices: dict[str, dict[str, str]] = {}
    for element in elements:
        if not isinstance(element, dict) or element.get("Element") != "SQ" or \
                not isinstance(element.get("Payload"), dict):
            continue
        payload = element["Payload"]
        qid = str(payload.get("QuestionID") or element.get("PrimaryAttribute") or "")
        recode = payload.get("RecodeValues") if isinstance(payload.get("RecodeValues"),
                                                            dict) else {}
        kind = payload.get("QuestionType")
        if kind not in ("Matrix", "MC"):
            continue
        options = _options(payload.get("Answers" if kind == "Matrix" else "Choices"), recode)
        scale = {code: _one(labels) for code, labels in options.items()}
        for key in (_keys(payload.get("Choices")) if kind == "Matrix" else [None]):
            choices[qid if key is None else f"{qid}_{key}"] = scale
    return choices


def _one(labels: list[str]) -> str:
    """The words of a number's choice: one, or all "no answer" alike (Don't know and N/A
    both 99 say the same thing); else a Clash."""
    if len(labels) == 1 or all(normalise(w).strip(" .") in MISSING_WORDS for w in labels):
        return labels[0]
    clash = Clash(" / ".join(labels))
    clash.labels = tuple(labels)
    return clash


def _keys(options) -> list[str]:
    if isinstance(options, dict):
        return [str(k) for k in options]
    return [str(k) for k in range(len(options))] if isinstance(options, list) else []


def _options(options, recode: dict) -> dict[str, list[str]]:
    """{code as exported → the words of each option written as it}: a list's ids are its
    positions; more than one option under a code is a survey a numeric export cannot read."""
    items = options.items() if isinstance(options, dict) else enumerate(
        options if isinstance(options, list) else [])
    found: dict[str, list[str]] = {}
    for k, v in items:
        if not isinstance(v, dict):
            continue
        code, label = recode.get(str(k), k), _strip_html(str(v.get("Display") or ""))
        if code is None or not str(code).strip() or not label:
            continue  # no number an export could write, or no words to read it as
        found.setdefault(str(code).strip(), []).append(label)
    return found


def survey_file_problems(source: SurveySource, raw, used: list[int], choices,
                         label) -> Problems:
    """A problem for each used column (the group, the mapped questions) a Qualtrics survey
    file given with the export cannot read: one whose numbers it says nothing of (they would
    be read as they are), or one of whose numbers it gives to two choices."""
    problems = Problems()
    if source.dictionary is None or source.dictionary.suffix.lower() != ".qsf":
        return problems
    file = source.dictionary_name or source.dictionary.name
    for i in used:
        header, scale = raw.header[i], choices_for(choices, raw.header[i])
        qid = _import_id(header) or "no import id"
        problems += _clashes(scale, (raw.name, raw.header_row_number, label(i)), qid, file)
        given = [row[i].strip() for row in raw.rows if row[i].strip()]
        if not scale and given and all(re.fullmatch(r"-?\d+(\.0+)?", v) for v in given):
            problems.append(Problem(raw.name, raw.header_row_number, label(i), QSF_NOT_IN.format(
                qid=qid, file=file), QSF_NOT_IN_FIX))
    return problems


def clashes_in_export(header: list[str], choices, file: str, name: str) -> Problems:
    """A problem for each column of the export whose numbers the survey file gives to more
    than one choice (init refuses these before proposing anything)."""
    problems = Problems()
    for title in header:
        qid = _import_id(title) or title
        problems += _clashes(choices_for(choices, title), (name, None, qid), qid, file)
    return problems


def _clashes(scale: dict[str, str], where: tuple, qid: str, file: str) -> list[Problem]:
    """A problem, at ``where`` (file, row, column), for each number of one column's scale
    the survey file gives to more than one choice."""
    return [Problem(*where, QSF_SAME_CODE.format(file=file, qid=qid, code=code,
                                                 labels="; ".join(words.labels)),
                    QSF_SAME_CODE_FIX)
            for code, words in scale.items() if isinstance(words, Clash)]


def _import_id(header: str) -> str | None:
    if not header.startswith("{"):
        return None
    try:
        found = json.loads(header).get("ImportId")
    except (ValueError, AttributeError):
        return None
    return str(found) if found else None


def choices_for(choices: dict[str, dict[str, str]], header: str) -> dict[str, str]:
    """A column's choices by its header: a REDCap field name, or a Qualtrics import-id cell
    ({"ImportId":"QID5_2"})."""
    if header in choices:
        return choices[header]
    found = _import_id(header)
    return choices.get(found, {}) if found else {}
