"""map's group step: which group each answer of the group question means (a group added,
renamed or merged on the way, or the answer declared nobody's), written into evaluation.yaml's
lines (see mapstep.py)."""

from __future__ import annotations

import json
import re

from ..base.errors import UsageError
from ..inputs.load import EVALUATION_FILE
from ..inputs.survey.mapping import NOT_A_RESPONDENT
from ..yardsticks.instrument import TO_CONFIRM
from .mapanswers import GROUP_ID, MAX_TEXT, YAML_WORDS, MapAnswers, default_label, plain_text

SIDES_SAID = {"staff": "people employed to run or deliver the service",
              "partner": "people who use the service, carers, community members"}


def map_group_answers(lines: list[str], config, ask, say,
                   script: MapAnswers) -> tuple[list[str], set[str]]:
    """Which group each answer of the group question still marked TO CONFIRM means (the
    answers file's, or asked); a group not yet in evaluation.yaml (carers, say) gets its side
    and name, and its lines are returned, to be added to the groups."""
    values = (((config.data["evidence"]["survey"].get("group") or {}).get("values")) or {})
    codes = [str(g["code"]) for g in config.data["groups"].values()]
    added: list[str] = []
    meant = {str(a): str(c) for a, c in values.items() if not str(c).startswith(TO_CONFIRM)}
    prompt = "Group question: who answered '{answer}'? ({codes}, or - for nobody's): "
    if any(str(code).startswith(TO_CONFIRM) and answer not in script.groups
           for answer, code in values.items()):
        say("Group question: each answer means one of the groups, or a group to add (type "
            "its id, e.g. carer: you are asked its side and name), or '-' if its rows are "
            "nobody's answers (a test, staff trying the form).")
    for answer, code in values.items():
        if not str(code).startswith(TO_CONFIRM):
            continue
        chosen = script.groups.get(answer)
        if chosen is not None and chosen not in codes and chosen != NOT_A_RESPONDENT:
            side, label = script.new_groups[chosen]
            added += _group_lines(chosen, side, label)
            codes.append(chosen)
            say(f"'{answer}': {chosen}, a new group on the {side} side (answers file)")
        elif chosen is not None:
            say(f"'{answer}': {chosen} (answers file)")
        else:
            chosen = _ask_group(answer, codes, config, ask, say, prompt, added)
        line = config.lines[("evidence", "survey", "group", "values", answer)]
        written = json.dumps(code, ensure_ascii=False)
        if written not in lines[line - 1]:
            raise UsageError(f"evaluation.yaml:{line}: write the group of '{answer}' on the "
                             "same line as the answer, then run map again")
        lines[line - 1] = lines[line - 1].replace(written, chosen, 1)
        meant[answer] = chosen
    if meant and all(group == NOT_A_RESPONDENT for group in meant.values()):
        raise UsageError("every answer of the group question was declared nobody's: no answer "
                         "would be read; nothing written")
    return added, set(meant.values())


def _ask_group(answer: str, codes: list[str], config, ask, say, prompt: str,
               added: list[str]) -> str:
    """One group answer asked at the terminal: an existing group, a new one (its lines added
    to ``added``), or nobody's (not_a_respondent)."""
    keys = list(config.data["groups"])
    chosen = ask(prompt.format(answer=answer, codes=" / ".join(codes))).strip()
    while chosen not in codes:
        if chosen in ("-", NOT_A_RESPONDENT):
            say(f"  rows answering '{answer}' will be left out as nobody's answers")
            return NOT_A_RESPONDENT
        if chosen in keys or chosen in YAML_WORDS:
            say(f"  '{chosen}' cannot name a new group (it is "
                + ("a group already, with another code" if chosen in keys else
                   "a YAML word") + f"): type one of {', '.join(codes)} or another id")
        elif GROUP_ID.fullmatch(chosen):
            added += _new_group(chosen, ask, say)
            codes.append(chosen)
            return chosen
        else:
            say(f"  '{chosen}' is not a group: type one of {', '.join(codes)}, or a new "
                "group's id (lower-case letters, digits and _) to add it")
        chosen = ask(prompt.format(answer=answer, codes=" / ".join(codes))).strip()
    return chosen


def rename_groups(lines: list[str], config, ask, say, script: MapAnswers,
                   ask_them: bool) -> None:
    """How reports name each group: the answers file's new names, then (at a terminal) one
    prompt to change any."""
    groups = config.data["groups"]
    names = dict(script.labels)
    if ask_them:
        say("Groups in reports: " + "; ".join(
            f"{gid} '{names.get(gid, g.get('label'))}' ({g.get('side')} side)"
            for gid, g in groups.items()))
        while True:
            said = ask("  Enter keeps these names; or rename one as id=new name (e.g. "
                       "partner=People who use the service): ").strip()
            if not said:
                break
            gid, _, name = said.partition("=")
            if gid.strip() in groups and plain_text(name):
                names[gid.strip()] = plain_text(name)
                say(f"  {gid.strip()} will be named '{names[gid.strip()]}'")
            else:
                say(f"  not understood: write a group id ({', '.join(groups)}), '=' and "
                    "the name")
    for gid, name in names.items():
        if gid not in groups:
            continue  # a new group: its name is in the lines added
        line = config.lines.get(("groups", gid, "label"))
        if line is None:
            raise UsageError(f"evaluation.yaml: group '{gid}' has no 'label:' line: add one, "
                             "then run map again")
        current = lines[line - 1]
        comment = re.search(r"\s+#.*$", current.rstrip("\n"))
        lead = current[: len(current) - len(current.lstrip())]
        lines[line - 1] = (f"{lead}label: {json.dumps(name, ensure_ascii=False)}"
                           + (comment.group(0) if comment else "") + "\n")


def unused_groups(config, meant: set[str], say) -> None:
    """A group no answer of the group question means (once mapped) is named, with what to
    do: it would be empty in every survey figure."""
    survey = config.data["evidence"]["survey"]
    values = ((survey.get("group") or {}).get("values")) or {}
    if not values:
        return  # the answers are the groups' own codes or names: nothing to tell
    for gid, group in config.data["groups"].items():
        code, label = str(group.get("code")), str(group.get("label"))
        if code not in meant and label not in values and code not in values:
            say(f"Note: no answer of the group question means '{gid}' ({label}): if the "
                f"project has no such group, remove it from groups: in {EVALUATION_FILE}")


def _new_group(group: str, ask, say) -> list[str]:
    """A group added while mapping: its side (what the comparisons rest on) and its name."""
    say(f"  New group '{group}': which side is it on? staff ({SIDES_SAID['staff']}) or "
        f"partner ({SIDES_SAID['partner']})")
    side = ""
    while side not in SIDES_SAID:
        side = ask(f"  side of '{group}' (staff / partner): ").strip().lower()
    label = None
    while label is None:
        said = ask(f"  how reports name '{group}' [{default_label(group)}]: ").strip()
        label = plain_text(said) if said else default_label(group)
        if label is None:
            say(f"  write the name as plain text (at most {MAX_TEXT} characters)")
    say(f"  '{group}' added to the groups in {EVALUATION_FILE} ({side} side)")
    return _group_lines(group, side, label)


def _group_lines(group: str, side: str, label: str) -> list[str]:
    return [f"  {group}:                   # added by coprod-eval map\n",
            f"    code: {json.dumps(group)}\n",
            f"    label: {json.dumps(label, ensure_ascii=False)}\n",
            f"    side: {side}\n", "    invited: null\n"]


def end_of_groups(config, lines: list[str]) -> int:
    """The index in the file's lines just after the groups: block (its last line that is
    neither blank nor a comment, a folded label's lines included)."""
    start = config.lines[("groups",)]
    later = [line for key, line in config.lines.items() if len(key) == 1 and line > start]
    end = min(later) - 1 if later else len(lines)
    while end > start and (not lines[end - 1].strip()
                           or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return end
