"""``coprod-eval init NEW --from EXPORT --like CONFIRMED``: a confirmed mapping reused.

The second export of a questionnaire (another tool, another wave, another project asking the
same questions) needs none of the first one's decisions again: the confirmed instrument (its
principles and reverse flags), the groups, the answers mapping, the columns left out and the
record of who confirmed the mapping are carried over. Only what differs is left to decide,
and ``validate`` refuses the folder until it is decided:

- a question found under the same wording (the normalisation every export shares) is read
  as confirmed;
- a question found only under a *near* wording ("No-one" for "Nobody was…") is proposed as
  ``TO CONFIRM: <the export's column>``, with the confirmed wording beside it;
- a group answer the confirmed folder did not have is ``TO CONFIRM`` (map asks it);
- a column that is none of these is neither mapped nor ignored, so validate names it.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..base.errors import InvalidInputError, UsageError
from ..base.paths import schema
from ..base.yamlfile import read_yaml, schema_problems
from ..inputs.load import EVALUATION_FILE
from ..inputs.survey.columns import Columns, question_keys
from ..inputs.survey.mapping import LETTER_REF, SurveySource
from ..yardsticks.instrument import TO_CONFIRM, load_instrument, normalise

NEAR = 0.8  # how alike a column's wording and a confirmed question's must be to propose it
NOT_CONFIRMED = ("{folder} has no confirmed mapping to reuse (evidence.survey.mapping_confirmed "
                 "is not set): confirm it there first (coprod-eval map {folder})")


@dataclass
class Reused:
    """What a confirmed folder gives a new export: its lines and what is left to decide."""

    items: dict[str, list[str]] = field(default_factory=dict)  # item → refs (TO CONFIRM: …)
    # item → (the column's words, the confirmed question's)
    near: dict[str, tuple[str, str]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # items the export has no column for
    ignore: list[str] = field(default_factory=list)  # confirmed ignores the export has
    group_values: dict[str, str] = field(default_factory=dict)  # answer → group (or TO CONFIRM)
    answers: dict[str, str] = field(default_factory=dict)  # the confirmed answers mapping
    kept: dict[str, str] = field(default_factory=dict)  # kept_despite_data
    confirmed: dict | None = None
    instrument_file: str = ""
    groups_text: str = ""  # the groups: block, as written
    framework: str = "nesta_nef_six"
    ladder: str | None = None
    claimed_level: str | None = None


def confirmed_folder(folder: Path) -> tuple[dict, list[str]]:
    """The confirmed folder's evaluation.yaml (data and lines), refused if nothing is
    confirmed in it."""
    if not (folder / EVALUATION_FILE).is_file():
        raise UsageError(f"{folder} is not an evaluation folder (no {EVALUATION_FILE})")
    doc = read_yaml(folder / EVALUATION_FILE, f"{folder.name}/{EVALUATION_FILE}")
    problems = schema_problems(doc, schema("evaluation"))
    if problems:
        raise InvalidInputError(problems)
    survey = ((doc.data.get("evidence") or {}).get("survey")) or {}
    if not survey.get("mapping_confirmed") or not survey.get("instrument"):
        raise UsageError(NOT_CONFIRMED.format(folder=folder))
    return doc, (folder / EVALUATION_FILE).read_text(encoding="utf-8").splitlines()


def reuse(folder: Path, raw, fmt: str, group_answers: list[str]) -> Reused:
    """Match the confirmed folder's questions, group answers and ignores to a new export
    (``raw``, read as ``fmt``)."""
    doc, lines = confirmed_folder(folder)
    data = doc.data
    survey = data["evidence"]["survey"]
    display = f"{folder.name}/{survey['instrument']}"
    instrument = load_instrument(folder / survey["instrument"], display)
    written = read_yaml(folder / survey["instrument"], display).data
    if TO_CONFIRM in json.dumps([(i.get("principles"), i.get("reverse"))
                                 for i in written.get("items") or []]):
        raise UsageError(NOT_CONFIRMED.format(folder=folder))
    found = Reused(answers={str(k): str(v) for k, v in (survey.get("answers") or {}).items()
                            if not str(v).startswith(TO_CONFIRM)},
                   kept={str(k): str(v) for k, v in
                         (survey.get("kept_despite_data") or {}).items()},
                   confirmed=dict(survey["mapping_confirmed"]),
                   instrument_file=survey["instrument"],
                   groups_text=_block(doc, lines, "groups"),
                   framework=str(data.get("framework", "nesta_nef_six")),
                   ladder=data.get("ladder"), claimed_level=data.get("claimed_level"))
    columns = Columns(raw, SurveySource(file=Path(raw.name), name=raw.name, format=fmt))
    taken: set[int] = set()
    wording = {item.id: item.partner or item.staff for item in instrument.items}
    for item_id, refs in (survey.get("items") or {}).items():
        one_of = isinstance(refs, dict)  # {any_of: [...]}: the first wording found
        if one_of:
            refs = refs.get("any_of") or []
        elif not isinstance(refs, list):
            refs = [refs]
        for ref in refs:
            index = None if LETTER_REF.match(str(ref).strip()) else columns.find(
                str(ref), (), [])
            if index is not None and index not in taken:
                taken.add(index)
                found.items.setdefault(item_id, []).append(str(ref))
                if one_of:
                    break
    for item_id, text in wording.items():
        if item_id in found.items:
            continue
        index = _nearest(raw, text, taken)
        if index is None:
            found.missing.append(item_id)
            continue
        taken.add(index)
        ref, shown = _ref(raw, index)
        found.items[item_id] = [f"{TO_CONFIRM}: {ref}"]
        found.near[item_id] = (shown, text)
    if len(found.near) == len(found.items):
        raise UsageError(f"none of the {len(wording)} questions confirmed in {folder} is in "
                         f"{raw.name} under its wording: is it an export of the same "
                         "questionnaire? (coprod-eval init DIR --from EXPORT maps a new one)")
    for ref in survey.get("ignore") or []:
        index = columns.find(str(ref), (), [])
        if index is not None and index not in taken:
            found.ignore.append(str(ref))
    known = {normalise(str(g.get(key))): str(g.get("code")) for g in data["groups"].values()
             for key in ("code", "label")}  # answers that name a group need no mapping
    known.update({normalise(str(k)): str(v) for k, v in
                  ((survey.get("group") or {}).get("values") or {}).items()})
    for answer in group_answers:
        found.group_values[answer] = known.get(normalise(answer), f"{TO_CONFIRM}: a group id")
    return found


def _nearest(raw, text: str, taken: set[int]) -> int | None:
    """The column (not yet taken) whose wording is nearest a confirmed question's, when it
    is near enough to propose."""
    target = question_keys(text)[:1]
    if not target:
        return None
    best, best_ratio = None, NEAR
    for i in range(len(raw.header)):
        if i in taken:
            continue
        for header in (h[i] for h in raw.headers if h[i]):
            for key in question_keys(header):
                ratio = difflib.SequenceMatcher(None, key, target[0]).ratio()
                if ratio >= best_ratio:
                    best, best_ratio = i, ratio
    return best


def _ref(raw, index: int) -> tuple[str, str]:
    """A column as evaluation.yaml names it (its first header row's text when no other
    column has it, else its letter) and as a person reads it (its longest header text: the
    question's words)."""
    from ..base.tables import column_letter

    top = raw.headers[0][index]
    unique = top and sum(normalise(h) == normalise(top) for h in raw.headers[0]) == 1
    texts = [h[index] for h in raw.headers if h[index] and not h[index].startswith("{")]
    return (top if unique else f"column {column_letter(index)}",
            max(texts, key=len) if texts else top)


def _block(doc, lines: list[str], key: str) -> str:
    """A top-level block of a YAML file, as written (comments within it kept)."""
    start = doc.lines[(key,)]
    later = [line for k, line in doc.lines.items() if len(k) == 1 and line > start]
    end = min(later) - 1 if later else len(lines)
    while end > start and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return "\n".join(lines[start - 1:end])


def survey_lines(found: Reused, proposal, like: Path) -> str:
    """The survey entry of the new evaluation.yaml: the new export's reading (file, format,
    id, group column) with the confirmed folder's decisions."""
    q = lambda text: json.dumps(text, ensure_ascii=False)  # noqa: E731
    head = proposal.yaml_entry().split("\n    group:")[0].replace(
        "# Proposed by coprod-eval init --from: CHECK every line before running.",
        f"# Reused from {like} (init --like): only lines marked TO CONFIRM differ.")
    column = q(proposal.group_column) if proposal.group_column else \
        "null   # NOT FOUND: name the column saying who is in which group"
    lines = [head, "    group:", f"      column: {column}"]
    lines.append("      values:" + ("" if found.group_values else " {}"))
    lines += [f"        {q(a)}: {q(g) if g.startswith(TO_CONFIRM) else g}"
              for a, g in found.group_values.items()]
    lines.append("    items:                   # as confirmed; TO CONFIRM: a near wording found")
    for item_id, refs in found.items.items():
        value = q(refs[0]) if len(refs) == 1 else "[" + ", ".join(map(q, refs)) + "]"
        near = found.near.get(item_id)
        note = (f"   # the export asks {q(near[0])}; the confirmed question: {q(near[1])}"
                if near else "")
        lines.append(f"      {item_id}: {value}{note}")
    lines += [f"      # {item_id}: NO COLUMN FOUND in this export" for item_id in found.missing]
    if found.ignore:
        lines.append("    ignore:")
        lines += [f"      - {q(ref)}" for ref in found.ignore]
    else:
        lines.append("    ignore: []")
    if found.answers:
        lines.append("    answers:")
        lines += [f"      {q(a)}: {q(t)}" for a, t in found.answers.items()]
    if found.kept:
        lines.append("    kept_despite_data:")
        lines += [f"      {q(k)}: {q(v)}" for k, v in found.kept.items()]
    by = ", ".join(q(str(b)) for b in found.confirmed.get("by") or [])
    lines.append(f"    # confirmed in {like} and reused here by init --like")
    lines.append(f"    mapping_confirmed: {{by: [{by}], date: {found.confirmed.get('date')}}}")
    return "\n".join(lines)



def regroup(path: Path, groups_text: str) -> None:
    """Put the confirmed folder's groups: block in place of the template's."""
    doc = read_yaml(path, EVALUATION_FILE)
    lines = path.read_text(encoding="utf-8").splitlines()
    start = doc.lines[("groups",)]
    end = start + len(_block(doc, lines, "groups").splitlines()) - 1
    lines[start - 1:end] = groups_text.splitlines()
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
