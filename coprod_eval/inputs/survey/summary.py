"""What init --from says of its proposal, in the terminal: how the export was read, what
matched, and what the evaluator must confirm."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .formats import FORMATS, TOOL_NAMES

if TYPE_CHECKING:
    from .proposal import Proposal


def own_summary(p: Proposal) -> list[str]:
    own = p.own
    scale = own.scale
    lines = [f"Read as {TOOL_NAMES[p.format]}: your own questionnaire of {len(own.questions)} "
             f"question(s), written to instrument/{own.instrument_id}.yaml with a suggested "
             "principle and reverse flag for each, TO CONFIRM:"]
    for question in own.questions:
        flag = ", reverse-worded?" if question.reverse else ""
        lines.append(f"  {question.id} [{', '.join(question.principles) or 'no suggestion'}"
                     f"{flag}] {question.text}")
    if scale.name:
        agreeing = [label for c, label in scale.codes if c >= scale.agree_from]
        lines.append(f"Scale: {len(scale.codes)} points ({scale.codes[0][1]} … "
                     f"{scale.codes[-1][1]}); agreeing: {', '.join(agreeing)}.")
    else:
        lines.append("NOT FOUND: the response scale — write it under scale: in the instrument.")
    for answer, reason in scale.reasons.items():
        lines.append(f"Proposed as missing: '{answer}' ({reason}).")
    for column, why in own.ignore:
        lines.append(f"Left out (ignore:): '{column}' — {why}.")
    return lines


def summary(p: Proposal, total_items: int) -> list[str]:
    if p.own is not None:
        return own_summary(p) + _common_summary(p)
    matched = total_items - len(p.items_without_column)
    per_answer = FORMATS[p.format].layout.one_row_per_answer
    where = f"values of column '{p.item_column}'" if per_answer else "columns"
    lines = [f"Read as {TOOL_NAMES[p.format]}: {matched} of {total_items} items matched to "
             f"{where} by their wording."]
    if per_answer:
        lines.append(f"Answers: column '{p.response_column}'.")
    return lines + _common_summary(p)


def _common_summary(p: Proposal) -> list[str]:
    lines = []
    if p.respondent_id:
        lines.append(f"Respondent id: column '{p.respondent_id}'.")
    elif FORMATS[p.format].layout.one_row_per_answer:
        lines.append("NOT FOUND: the respondent id column (a long table needs one).")
    else:
        lines.append("No respondent id column: each row is one respondent (duplicates cannot "
                     "be detected).")
    if p.group_column:
        lines.append(f"Group: column '{p.group_column}'.")
    else:
        lines.append("NOT FOUND: the column saying whether someone is staff or a partner.")
    if p.group_unmatched:
        lines.append("TO CONFIRM, group answers: " + "; ".join(f"'{v}'" for v in p.group_unmatched))
    if p.group_unmatched and all(v.strip().isdigit() for v in p.group_unmatched) and \
            FORMATS[p.format].takes_dictionary and not p.dictionary:
        lines.append("The export holds numbers, not the answers' words: give "
                     f"{TOOL_NAMES[p.format]}'s survey file (.qsf: Survey > Tools > "
                     "Import/Export > Export survey) with --dictionary, or export again with "
                     "choice text, to read which is which.")
    if p.items_without_column:
        lines.append("Items with no column: " + ", ".join(p.items_without_column))
    if p.unmatched_columns:
        lines.append("Questions matching no item (left out): " + "; ".join(
            f"'{c}'" for c in p.unmatched_columns))
    if p.personal_columns:
        lines.append("Personal details in the export (" + ", ".join(p.personal_columns) + "): "
                     "coprod-eval never reads them, but the copy in evidence/ holds them — "
                     "delete those columns from it if you do not need them.")
    if p.unknown_answers:
        lines.append("Answers the scale does not know (map them under answers:): " + "; ".join(
            f"'{a}'" for a in p.unknown_answers))
    return lines
