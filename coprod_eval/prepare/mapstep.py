"""``coprod-eval map FOLDER``: confirm an own questionnaire's mapping, question by question.

For each question of the instrument the evaluation uses, the terminal shows its full wording
and the suggested principle(s) and reverse flag (from ``init --from``); Enter accepts a
suggestion, anything else changes it, ``-`` leaves the question out (its column goes under
``ignore:``). Nothing is accepted without someone pressing a key on it, and the mapping is
recorded as confirmed only with the roles of who confirmed it (e.g. evaluator and a partner
representative) and today's date. Only the lines that change are rewritten: comments and the
rest of both files stay as they were; each file is replaced whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

from ..base.errors import UsageError
from ..base.yamlfile import read_yaml
from ..inputs.ledger import replace_together
from ..inputs.load import EVALUATION_FILE
from ..yardsticks.framework import load_framework
from ..yardsticks.instrument import TO_CONFIRM
from .mapanswers import (
    MAX_TEXT,
    MapAnswers,
    load_map_answers,
    plain_text,
    principles_of,
)
from .mapgroups import end_of_groups, map_group_answers, rename_groups, unused_groups
from .maplines import BLOCK_LIST, confirm_mapping, end_of_items, set_line, show_why

NO_OWN = ("{folder}'s survey uses no instrument of its own (evidence.survey.instrument): map "
          "applies to your own questionnaire, written by coprod-eval init DIR --from EXPORT")


def _suggested(value, kind: str):
    """The suggestion (or the current value) of a principles/reverse entry."""
    if isinstance(value, str) and value.strip().startswith(TO_CONFIRM):
        said = value.split(":", 1)[1].strip() if ":" in value else ""
        if kind == "reverse":
            return said.lower() in ("yes", "true")
        return [p.strip() for p in said.split(",") if p.strip() and p.strip() != "none suggested"]
    if kind == "reverse":  # a hand-written "no" is not true
        return value.strip().lower() in ("yes", "true", "y") if isinstance(value, str) \
            else bool(value)
    if isinstance(value, str):
        return [p.strip() for p in value.split(",") if p.strip()]
    return list(value or [])


def _well_formed(doc, config) -> None:
    """Both files as validate reads them (their schemas): map rewrites only what it can
    read, and refuses the rest before a single prompt."""
    from ..base.errors import InvalidInputError
    from ..base.paths import schema
    from ..base.yamlfile import schema_problems

    problems = schema_problems(config, schema("evaluation")) + schema_problems(
        doc, schema("instrument"))
    if problems:
        raise InvalidInputError(problems)
    if not doc.data.get("items"):
        raise UsageError(f"{doc.display_name} has no questions: nothing to map")


def _preflight(doc, lines: list[str], config, config_lines: list[str]) -> None:
    """Refuse, before a single prompt, a layout map cannot rewrite line by line."""
    _well_formed(doc, config)
    refusals: list[str] = []  # what map cannot rewrite, each a line of one UsageError
    for i, item in enumerate(doc.data.get("items") or []):
        line = doc.lines.get(("items", i, "principles"))
        if line is None:
            refusals.append(f"question {item.get('id', i + 1)} has no 'principles:' line: add "
                            "'principles: \"TO CONFIRM\"' (and 'reverse:') to it")
        elif isinstance(item.get("principles"), list) and item["principles"] and \
                doc.lines.get(("items", i, "principles", len(item["principles"]) - 1)) != line:
            refusals.append(BLOCK_LIST.format(id=item.get("id")))
    survey = config.data["evidence"]["survey"]
    for answer, code in (((survey.get("group") or {}).get("values")) or {}).items():
        line = config.lines.get(("evidence", "survey", "group", "values", answer))
        if str(code).startswith(TO_CONFIRM) and json.dumps(code, ensure_ascii=False) not in \
                config_lines[line - 1]:
            refusals.append(f"evaluation.yaml:{line}: write the group of '{answer}' as "
                            f"\"{TO_CONFIRM}: …\" in double quotes on the answer's line")
    ignore = survey.get("ignore")
    line = config.lines.get(("evidence", "survey", "ignore"))
    if ignore and line is not None and "[" in config_lines[line - 1]:
        refusals.append(f"evaluation.yaml:{line}: write ignore: as a list, one '- column' per "
                        "line, for map to add to it")
    confirmed = survey.get("mapping_confirmed")
    line = config.lines.get(("evidence", "survey", "mapping_confirmed"))
    if isinstance(confirmed, dict) and line is not None and "{" not in config_lines[line - 1]:
        refusals.append(f"evaluation.yaml:{line}: write mapping_confirmed on one line "
                        "({by: [...], date: ...}) or set it to null, for map to replace it")
    if refusals:
        raise UsageError("map cannot rewrite these files safely; nothing asked, nothing "
                         "written:\n  " + "\n  ".join(refusals))


def _parses(text: str, name: str) -> None:
    """The rewritten file must still be YAML (checked before anything is replaced)."""
    import yaml

    try:
        yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise UsageError(f"map could not rewrite {name} safely ({exc.__class__.__name__}); "
                         "nothing written: edit it by hand") from None


def map_questions(folder: Path, ask: Callable[[str], str] = input,
                  say: Callable[[str], None] = print, today: dt.date | None = None, *,
                  answers: Path | None = None, yes: bool = False,
                  by: list[str] | None = None) -> int:
    """Go through every question; write the confirmed mapping. Returns how many questions
    are used. ``answers``: a file of decisions (mapanswers.py) applied without a prompt;
    ``yes``: whatever it does not say, the suggestion is taken (nothing is asked)."""
    folder = Path(folder)
    config = read_yaml(folder / EVALUATION_FILE, EVALUATION_FILE)
    survey = ((config.data or {}).get("evidence") or {}).get("survey") or {}
    if not survey.get("instrument"):
        raise UsageError(NO_OWN.format(folder=folder))
    instrument_path = folder / survey["instrument"]
    doc = read_yaml(instrument_path, survey["instrument"])
    framework = load_framework(config.data["framework"], base=folder,
                               ladder=config.data.get("ladder"))
    ids = [p.id for p in framework.principles]
    lines = instrument_path.read_text(encoding="utf-8").splitlines(keepends=True)
    _preflight(doc, lines, config, (folder / EVALUATION_FILE).read_text(
        encoding="utf-8").splitlines(keepends=True))
    items = doc.data["items"]
    values = (((survey.get("group") or {}).get("values")) or {})
    open_answers = [a for a, c in values.items() if str(c).startswith(TO_CONFIRM)]
    refs = survey.get("items") or {}
    near = {str(k): str(v) for k, v in refs.items()  # init --like's near wordings
            if isinstance(v, str) and v.startswith(TO_CONFIRM)}
    script = MapAnswers() if answers is None else load_map_answers(
        answers, principles=ids, questions=[str(item["id"]) for item in items],
        group_answers=open_answers, near=list(near),
        groups={str(k): str(g["code"]) for k, g in config.data["groups"].items()})
    by = script.confirmed_by or by or []
    if yes:
        _all_said(items, script, open_answers, by)
    pending = {i for i, item in enumerate(items) if _open(item)}
    say(f"Mapping the questions of {survey['instrument']} onto {framework.name}.")
    say("Principles: " + "; ".join(f"{k} {p.id} ({p.name})"
                                     for k, p in enumerate(framework.principles, 1)))
    # a first mapping (a question TO CONFIRM): every question; another export's, whose
    # questions are confirmed (init --like): only what differs; nothing left to decide:
    # every question again, to revise it
    asked = set() if not pending and (near or open_answers) else set(range(len(items)))
    if not yes and asked:
        say("For each question: Enter accepts the suggestion in [brackets]; type principle ids "
            "or numbers (e.g. '2 5' or 'assets, networks') to change it, or '-' to leave the "
            "question out. Decide it with a partner representative.")
    left_out = _map_items((items, asked), (lines, doc), ids, script, yes, ask, say)
    used = len(items) - len(left_out)
    if not used:
        raise UsageError("every question was left out: nothing written")
    config_lines = (folder / EVALUATION_FILE).read_text(encoding="utf-8").splitlines(
        keepends=True)
    different = _near_columns(config_lines, config, near, script, yes, ask, say)
    added, meant = map_group_answers(config_lines, config, ask, say, script)
    rename_groups(config_lines, config, ask, say, script,
                   ask_them=not yes and "labels" not in script.said)
    unused_groups(config, meant, say)
    say("")
    while not by:
        roles = ask("Who confirmed this mapping? Their roles, comma-separated (e.g. evaluator, "
                    "partner representative): ")
        by = [plain_text(r) for r in roles.split(",") if r.strip()]
        if None in by:
            say(f"  write each role as plain text (at most {MAX_TEXT} characters)")
            by = []
    on = (today or dt.date.today()).isoformat()
    for i in reversed(left_out):  # remove the questions left out, last first
        start = doc.line(("items", i)) - 1
        end = doc.line(("items", i + 1)) - 1 if i + 1 < len(items) else end_of_items(
            doc, len(lines))
        del lines[start:end]
    confirm_mapping(config_lines, config, by, on,
             [refs.get(items[i]["id"]) for i in left_out] + list(different.values()),
             [items[i]["id"] for i in left_out] + list(different))
    if added:  # last: the groups come before every line written above
        at = end_of_groups(config, config_lines)
        config_lines[at:at] = added
    _parses("".join(lines), survey["instrument"])
    _parses("".join(config_lines), EVALUATION_FILE)
    replace_together({instrument_path: "".join(lines).encode("utf-8"),
                      folder / EVALUATION_FILE: "".join(config_lines).encode("utf-8")})
    say(f"Written: {used} question(s) mapped in {survey['instrument']}"
        + (f", {len(left_out)} left out (ignore:)" if left_out else "")
        + f"; mapping_confirmed by {', '.join(by)} on {on} in {EVALUATION_FILE}.")
    say(f"Next: coprod-eval validate {folder}")
    return used


def _open(item) -> bool:
    """A question whose principles or reverse flag still say TO CONFIRM."""
    return any(isinstance(item.get(key), str) and item[key].strip().startswith(TO_CONFIRM)
               for key in ("principles", "reverse"))


def _map_items(questions: tuple, where: tuple, ids: list[str], script: MapAnswers, yes: bool,
               ask, say) -> list[int]:
    """Each question asked (or decided by the answers file, or its suggestion taken with
    --yes) written into the instrument's lines; the indexes of those left out."""
    items, asked = questions
    lines, doc = where
    left_out: list[int] = []
    for i, item in enumerate(items):
        decision = script.questions.get(str(item["id"]))
        if i not in asked and decision is None:
            continue
        principles = _suggested(item.get("principles"), "principles")
        reverse = _suggested(item.get("reverse", False), "reverse")
        if decision is not None or yes:
            chosen = decision.principles if decision is not None else principles
            flag = decision.reverse if decision is not None else None
            if flag is None and chosen is not None and not yes:
                flag = _ask_reverse(item, i, len(items), reverse, lines, doc, ask, say)
            flag = reverse if flag is None else flag
            say(f"{item['id']}: " + (f"[{', '.join(chosen)}], reverse {'yes' if flag else 'no'}"
                                     if chosen else "left out")
                + (" (answers file)" if decision is not None else " (suggestion taken: --yes)"))
        else:
            chosen, flag = _ask_question(item, i, len(items), (principles, reverse), ids,
                                         (lines, doc), ask, say)
        if chosen is None:
            left_out.append(i)
            continue
        set_line(lines, doc, ("items", i, "principles"),
                  "principles: [" + ", ".join(chosen) + "]", item["id"])
        set_line(lines, doc, ("items", i, "reverse"), f"reverse: {'true' if flag else 'false'}",
                  item["id"], after=("items", i, "principles"))
    return left_out


def _near_columns(lines: list[str], config, near: dict[str, str], script: MapAnswers,
                  yes: bool, ask, say) -> dict[str, str]:
    """Each column init --like proposed for a question under a near wording: the same
    question (its TO CONFIRM removed) or not (returned, item → column, to be left out)."""
    different: dict[str, str] = {}
    for item_id, value in near.items():
        line = config.lines[("evidence", "survey", "items", item_id)]
        ref = value.split(":", 1)[1].strip()
        written = json.dumps(value, ensure_ascii=False)
        if written not in lines[line - 1]:
            raise UsageError(f"evaluation.yaml:{line}: write {item_id}'s column on one line "
                             f"as {written}, then run map again")
        same = script.same_question.get(item_id)
        if same is None and yes:
            same = True
        if same is None:
            say("")
            say(f"{item_id}: " + (lines[line - 1].split("#", 1)[1].strip()
                                  if "#" in lines[line - 1] else f"proposed column '{ref}'"))
            said = None
            while said not in ("y", "yes", "n", "no", ""):
                said = ask("  the same question? [Y/n]: ").strip().lower()
            same = not said.startswith("n")
        else:
            say(f"{item_id}: column '{ref}' " + ("is" if same else "is not")
                + " the confirmed question")
        if same:
            lines[line - 1] = lines[line - 1].replace(written, json.dumps(
                ref, ensure_ascii=False), 1)
        else:
            different[item_id] = ref
    return different


YES_NEEDS = ("--yes takes every suggestion, but some have none; nothing asked, nothing "
             "written:\n  {missing}\nGive them in an answers file (--answers FILE: questions:, "
             "groups:, confirmed_by:), or run map without --yes")


def _all_said(items, script: MapAnswers, open_answers: list[str], by: list[str]) -> None:
    """--yes asks nothing: refuse, before anything, what has neither a suggestion nor an
    answer in the answers file."""
    missing = [f"question {item['id']} has no suggested principle" for item in items
               if str(item["id"]) not in script.questions
               and not _suggested(item.get("principles"), "principles")]
    missing += [f"the group answer '{a}' is not mapped to a group" for a in open_answers
                if a not in script.groups]
    if not by:
        missing.append("nobody is named as confirming the mapping (--by 'evaluator, partner "
                       "representative', or confirmed_by: in the answers file)")
    if missing:
        raise UsageError(YES_NEEDS.format(missing="\n  ".join(missing)))


def _ask_question(item, i: int, count: int, suggested: tuple, ids: list[str], where: tuple,
                  ask, say) -> tuple[list[str] | None, bool]:
    """One question asked at the terminal: its principle(s) (None: left out) and reverse."""
    principles, reverse = suggested
    lines, doc = where
    say("")
    say(f"{item['id']} ({i + 1} of {count}): {_wording(item)}")
    show_why(lines, doc, ("items", i, "principles"), "# suggested:", say)
    while True:
        answer = ask(f"  principle(s) [{', '.join(principles) or 'none: type one'}]: ").strip()
        if answer == "-":
            say(f"  {item['id']} left out: its column goes under ignore:")
            return None, False
        chosen = principles if not answer else principles_of(answer, ids)
        if chosen:
            break
        say(f"  not understood: use ids ({', '.join(ids)}) or numbers 1-{len(ids)}")
    return chosen, _ask_reverse(item, i, count, reverse, lines, doc, ask, say, shown=True)


def _ask_reverse(item, i: int, count: int, reverse: bool, lines, doc, ask, say,
                 shown: bool = False) -> bool:
    """Whether agreeing with the question means the principle is NOT practised."""
    if not shown:
        say("")
        say(f"{item['id']} ({i + 1} of {count}): {_wording(item)}")
    show_why(lines, doc, ("items", i, "reverse"), "# reverse-worded? suggested", say)
    while True:
        said = ask(f"  reverse-worded (agreeing means the principle is NOT practised)? "
                   f"[{'Y/n' if reverse else 'y/N'}]: ").strip().lower()
        if said in ("", "y", "yes", "n", "no"):
            return reverse if not said else said.startswith("y")


def _wording(item) -> str:
    return item.get("text") or item.get("partner") or item.get("staff")


