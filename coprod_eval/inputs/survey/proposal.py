"""What init --from proposes for an export, and the survey entry of evaluation.yaml it
writes for the evaluator to confirm (see propose.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from .formats import FORMATS, TOOL_NAMES
from .own import OwnQuestionnaire

TO_CONFIRM_GROUP = "TO CONFIRM: staff or partner"
TO_CONFIRM_ANSWER = "TO CONFIRM: a scale label, a code or missing"


@dataclass
class Proposal:
    """How an export is read, as init --from proposes it."""

    format: str
    file: str  # relative to the new evaluation folder
    respondent_id: str | None
    group_column: str | None
    group_values: dict[str, str]
    group_unmatched: list[str]
    items: dict[str, list[str]]  # item → column refs
    unmatched_columns: list[str]  # questions that match no item
    items_without_column: list[str]
    unknown_answers: list[str]
    dictionary: str | None = None
    item_texts: dict[str, str] = field(default_factory=dict)  # item → matched question
    personal_columns: list[str] = field(default_factory=list)  # names, emails, IP addresses
    item_column: str | None = None  # long tables: the column naming the item
    response_column: str | None = None  # long tables: the column holding the answer
    instrument: str = "coprod_survey"  # the instrument's id (its file in instrument/)
    header_rows: int = 1
    notes: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)  # columns left out (listed under ignore:)
    own: OwnQuestionnaire | None = None  # the evaluator's own questionnaire, when it is one

    def yaml_entry(self) -> str:
        """The survey entry of evaluation.yaml, commented for the evaluator to confirm."""
        q = quoted
        lines = [
            "  survey:                  # the staff and community-partner survey",
            "    # Proposed by coprod-eval init --from: CHECK every line before running.",
            f"    file: {q(self.file)}",
            f"    format: {self.format}      # {TOOL_NAMES[self.format]}",
            f"    instrument: instrument/{self.instrument}.yaml",
            "    encoding: auto           # auto, utf-8, utf-8-sig, cp1252 or utf-16",
            "    delimiter: auto          # auto, comma, semicolon or tab",
        ]
        if self.dictionary:
            lines.append(f"    dictionary: {q(self.dictionary)}   # what the tool's codes mean")
        lines.append(f"    respondent_id: {q(self.respondent_id) if self.respondent_id else 'null'}"
                     "   # column with each response's id (null: the row number)")
        if FORMATS[self.format].layout.one_row_per_answer:
            lines.append(f"    item_column: {q(self.item_column)}   # the column naming the item")
            lines.append(f"    response_column: {q(self.response_column)}   # the answer")
        lines.append("    duplicates: keep_last    # same id submitted twice: keep_last, "
                     "keep_first or refuse")
        lines.append("    partial: keep            # unfinished responses: keep (unanswered = "
                     "missing) or drop")
        lines.append("    group:                   # which answer means staff, which partner")
        if self.group_column:
            lines.append(f"      column: {q(self.group_column)}")
        else:
            lines.append("      column: null           # NOT FOUND: name the column that says "
                         "whether someone is staff or a partner")
        if self.group_values or self.group_unmatched:
            lines.append("      values:                # each answer in that column: its group "
                         "code")
        else:
            lines.append("      values: {}             # answer: group code, when the answers are "
                         "not the codes themselves")
        for answer, code in self.group_values.items():
            lines.append(f"        {q(answer)}: {code}")
        for answer in self.group_unmatched:
            lines.append(f"        {q(answer)}: {q(TO_CONFIRM_GROUP)}")
        if self.own is not None:
            return "\n".join(lines + self._own_lines())
        lines.append("    items:                   # item id: the column(s) answering it"
                     if not FORMATS[self.format].layout.one_row_per_answer else
                     "    items:                   # item id: how the item column names it")
        for item, refs in self.items.items():
            value = q(refs[0]) if len(refs) == 1 else "[" + ", ".join(map(q, refs)) + "]"
            text = self.item_texts.get(item, "")
            comment = "" if not text or text in refs else f"   # {' '.join(text.split())}"
            lines.append(f"      {item}: {value}{comment}")
        for item in self.items_without_column:
            lines.append(f"      # {item}: NO COLUMN FOUND")
        if self.unknown_answers:
            lines.append("    answers:                 # answers the scale does not know: map "
                         "each to a scale label, a code or missing")
            for answer in self.unknown_answers:
                lines.append(f"      {q(answer)}: {q(TO_CONFIRM_ANSWER)}")
        if self.ignore:
            lines.append("    ignore:                  # questions that match no item, left out: "
                         "map any that is an item above")
            lines += [f"      - {q(c)}" for c in self.ignore]
        return "\n".join(lines)

    def _own_lines(self) -> list[str]:
        """items:, ignore:, answers: and mapping_confirmed: of an own questionnaire."""
        q, own = quoted, self.own
        lines = ["    items:                   # question id: its column (the wording every "
                 "tool's export of it shares)"]
        lines += [f"      {question.id}: " + (q(question.ref) if isinstance(question.ref, str)
                                                  else "[" + ", ".join(map(q, question.ref)) + "]")
                  for question in own.questions]
        if own.ignore:
            lines.append("    ignore:                  # columns left out on purpose: move any "
                         "that is a question into the instrument")
            lines += [f"      - {q(c)}   # {why}" for c, why in own.ignore]
        else:
            lines.append("    ignore: []               # columns left out on purpose")
        if own.scale.answers or self.unknown_answers:
            lines.append("    answers:                 # answers the scale does not know")
            lines += [f"      {q(a)}: {t}   # proposed: {own.scale.reasons.get(a, '')}"
                      for a, t in own.scale.answers.items()]
            lines += [f"      {q(a)}: {q(TO_CONFIRM_ANSWER)}" for a in self.unknown_answers]
        lines += [
            "    # Which principle each question evidences is a validity decision: confirm it",
            "    # with a partner representative (coprod-eval map FOLDER), then say who and when,",
            "    # e.g. mapping_confirmed: {by: [evaluator, partner representative], "
            "date: 2026-01-31}",
            "    mapping_confirmed: null",
        ]
        return lines


def quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)
