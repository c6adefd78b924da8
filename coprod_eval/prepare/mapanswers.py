"""``coprod-eval map FOLDER --answers FILE``: the answers to map's questions, written down.

A team that has agreed its mapping in a meeting (or an evaluator mapping a second export of
the same questionnaire) writes the decisions once and map applies them without a prompt::

    questions:            # question id: principle id(s), or '-' to leave it out
      Q01: assets
      Q02: {principles: [assets, reciprocity], reverse: true}
      Q07: "-"
    same_question:        # init --like's near wordings: the confirmed question or not
      Q13: true
    groups:               # each group answer: a group id (or code), or not_a_respondent
      "Carer": carer
      "Test response": not_a_respondent
    new_groups:           # groups the template did not have: side and name
      carer: {side: partner, label: Carers}
    labels:               # how reports name a group (rename)
      partner: People who use the service
    confirmed_by: [evaluator, partner representative]

Everything is checked before map asks or writes anything; whatever the file does not say,
map asks (or, with ``--yes``, takes the suggestion ``init --from`` wrote).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..base.errors import InvalidInputError, Problem, Problems
from ..base.identity import UNSHOWABLE
from ..base.yamlfile import read_yaml
from ..inputs.survey.mapping import NOT_A_RESPONDENT

KEYS = ("questions", "same_question", "groups", "new_groups", "labels", "confirmed_by")
GROUP_ID = re.compile(r"[a-z][a-z0-9_]{0,30}")
YAML_WORDS = {"null", "true", "false", "yes", "no", "on", "off", "y", "n"}
SIDES = ("staff", "partner")


@dataclass
class Decision:
    """One question's mapping as the answers file gives it."""

    principles: list[str] | None  # None: left out
    reverse: bool | None = None  # None: not said (asked, or the suggestion with --yes)


@dataclass
class MapAnswers:
    """The answers file, checked: decisions by question id and group answer."""

    questions: dict[str, Decision] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)  # group answer → group id
    new_groups: dict[str, tuple[str, str]] = field(default_factory=dict)  # id → (side, label)
    labels: dict[str, str] = field(default_factory=dict)  # group id → its new name
    # question id → whether init --like's column under a near wording is that question
    same_question: dict[str, bool] = field(default_factory=dict)
    confirmed_by: list[str] = field(default_factory=list)
    said: frozenset[str] = frozenset()  # the keys the file has (labels: [] says keep them)


def default_label(gid: str) -> str:
    """How reports name a group added without a name: carer → Carers."""
    return f"{gid.replace('_', ' ').capitalize()}s"


def principles_of(answer: str, ids: list[str]) -> list[str] | None:
    """'2 5' or 'assets, networks' → principle ids (None if any token is not one)."""
    chosen = []
    for token in re.split(r"[\s,;]+", answer):
        if token.isdigit() and 1 <= int(token) <= len(ids):
            chosen.append(ids[int(token) - 1])
        elif token in ids:
            chosen.append(token)
        elif token:
            return None
    return list(dict.fromkeys(chosen)) or None


MAX_TEXT = 200  # a group's name or a role: a few words


def plain_text(value) -> str | None:
    """A name or role as a report can show it: text, on one line (line breaks and tabs
    become spaces), no control or direction characters, at most MAX_TEXT characters; None
    when it is not."""
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text if text and len(text) <= MAX_TEXT and not UNSHOWABLE.search(text) else None


def load_map_answers(path: Path, *, principles: list[str], questions: list[str],
                     group_answers: list[str], groups: dict[str, str],
                     near: list[str] = ()) -> MapAnswers:
    """Read and check an answers file against the folder it is for; every problem at once.
    ``groups``: each group's id → its code (either names it in the file)."""
    if not Path(path).is_file():
        raise InvalidInputError([Problem(str(path), None, None, "the answers file does not "
                                         "exist or is not a file", "give the path of a YAML "
                                         "file")])
    doc = read_yaml(Path(path), Path(path).name)
    data = doc.data if isinstance(doc.data, dict) else {}
    problems = Problems()
    found = MapAnswers()

    def problem(where: tuple, what: str, fix: str) -> None:
        problems.append(doc.problem(where, what, fix))

    for key in data:
        if key not in KEYS:
            problem((key,), f"'{key}' is not a key of a map answers file",
                    f"use {', '.join(KEYS)}")
        elif key != "confirmed_by" and data[key] is not None and not isinstance(data[key],
                                                                                dict):
            problem((key,), f"{key}: must be a mapping ('name: value' lines under it)",
                    "see coprod-eval map --help and the README (map without prompts)")
    data = {k: v for k, v in data.items()
            if k == "confirmed_by" or isinstance(v, dict) or v is None}
    _questions(data.get("questions") or {}, found, principles, questions, problem)
    _new_groups(data.get("new_groups") or {}, found, list(groups), problem)
    for qid, same in (data.get("same_question") or {}).items():
        if str(qid) not in near:
            problem(("same_question", qid), f"'{qid}' has no column proposed under a near "
                    "wording", f"use {', '.join(near) or 'none: remove same_question:'}")
        elif not isinstance(same, bool):
            problem(("same_question", qid), f"'{same}' is not true or false",
                    "write true if the export's column is the confirmed question, else false")
        else:
            found.same_question[str(qid)] = same
    _group_answers(data.get("groups") or {}, found, group_answers, groups, problem)
    _labels_and_roles(data, found, groups, problem)
    if problems:
        raise InvalidInputError(problems)
    found.said = frozenset(data)
    return found


def _group_answers(given: dict, found: MapAnswers, group_answers: list[str],
                   groups: dict[str, str], problem) -> None:
    """Each group answer's group (named by id or code: the code is kept), checked."""
    code_of = {**groups, **{c: c for c in groups.values()},
               **{g: g for g in found.new_groups}, NOT_A_RESPONDENT: NOT_A_RESPONDENT}
    for answer, gid in given.items():
        if isinstance(answer, bool) or answer is None:
            problem(("groups", answer), f"the answer {answer} was read as a YAML word, not "
                    "text", "write the answer in quotes (\"Yes\": staff)")
            continue
        answer, gid = str(answer), str(gid)
        if answer not in group_answers:
            problem(("groups", answer), f"'{answer}' is not an answer of the group question "
                    "left to confirm", "use an answer as evaluation.yaml's group: values: "
                    f"writes it ({'; '.join(group_answers[:4]) or 'none is left'})")
        elif gid not in code_of:
            problem(("groups", answer), f"'{gid}' is not a group",
                    f"use {', '.join(code_of)}, or add it under new_groups:")
        else:
            found.groups[answer] = code_of[gid]
    for gid in found.new_groups:
        if gid not in found.groups.values():
            problem(("new_groups", gid), f"no answer of the group question is given to the new "
                    f"group '{gid}'", "map an answer to it under groups:, or remove it")
    if group_answers and found.groups and set(found.groups) == set(group_answers) and all(
            g == NOT_A_RESPONDENT for g in found.groups.values()):
        problem(("groups",), "every group answer is declared nobody's: no answer would be "
                "read", "map the answers of real respondents to their groups")


def _labels_and_roles(data: dict, found: MapAnswers, groups, problem) -> None:
    for gid, label in (data.get("labels") or {}).items():
        if str(gid) not in groups and str(gid) not in found.new_groups:
            problem(("labels", gid), f"'{gid}' is not a group", f"use {', '.join(groups)}")
        elif plain_text(label) is None:
            problem(("labels", gid), "the new name is not plain text on one line of at most "
                    f"{MAX_TEXT} characters", "write how reports name the group")
        elif str(gid) in found.new_groups:
            found.new_groups[str(gid)] = (found.new_groups[str(gid)][0], plain_text(label))
        else:
            found.labels[str(gid)] = plain_text(label)
    by = data.get("confirmed_by")
    if by is not None:
        given = by if isinstance(by, list) else str(by).split(",") if isinstance(by, str) \
            else [by]
        roles = [plain_text(r.strip()) if isinstance(r, str) else None for r in given]
        found.confirmed_by = [r for r in roles if r]
        if not found.confirmed_by or None in roles:
            problem(("confirmed_by",), "confirmed_by must list roles as plain text",
                    "write the roles of who confirmed the mapping, e.g. [evaluator, partner "
                    "representative]")


def _questions(given: dict, found: MapAnswers, principles: list[str], questions: list[str],
               problem) -> None:
    for qid, value in given.items():
        qid = str(qid)
        if qid not in questions:
            problem(("questions", qid), f"'{qid}' is not a question of the instrument",
                    f"use a question id ({', '.join(questions[:4])}, …)")
            continue
        decision = _decision(value, principles)
        if decision is None:
            problem(("questions", qid), f"'{value}' does not say which principle(s) {qid} "
                    "evidences", f"write principle ids ({', '.join(principles)}) or numbers, "
                    "a {principles: [...], reverse: true|false} mapping, or '-' to leave it "
                    "out")
            continue
        found.questions[qid] = decision


def _new_groups(given: dict, found: MapAnswers, groups: list[str], problem) -> None:
    for gid, value in given.items():
        gid = str(gid)
        side = value.get("side") if isinstance(value, dict) else None
        if not isinstance(value, dict):
            problem(("new_groups", gid), f"new group '{gid}' says nothing of itself",
                    "write {side: staff} or {side: partner} (with label: its name)")
            continue
        if not GROUP_ID.fullmatch(gid) or gid in YAML_WORDS or gid in groups or \
                gid == NOT_A_RESPONDENT:
            problem(("new_groups", gid), f"'{gid}' cannot name a new group",
                    "use lower-case letters, digits and _, not an existing group's id")
        elif side not in SIDES:
            problem(("new_groups", gid), f"new group '{gid}' has no side",
                    "write {side: staff} or {side: partner} (with label: its name)")
        elif value.get("label") is not None and plain_text(value["label"]) is None:
            problem(("new_groups", gid), "its label is not plain text on one line of at most "
                    f"{MAX_TEXT} characters", "write how reports name the group")
        else:
            found.new_groups[gid] = (side, plain_text(value.get("label")) or default_label(gid))


def _decision(value, principles: list[str]) -> Decision | None:
    if isinstance(value, str) and value.strip() == "-":
        return Decision(None)
    reverse = None
    if isinstance(value, dict):
        reverse = value.get("reverse")
        if reverse is not None and not isinstance(reverse, bool):
            return None
        value = value.get("principles")
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    if not isinstance(value, (str, int)):
        return None
    chosen = principles_of(str(value), principles)
    return Decision(chosen, reverse) if chosen else None

