"""map's writing: a confirmed value put on the line of the YAML file that holds it, so
comments and everything else stay as written (see mapstep.py)."""

from __future__ import annotations

import json
import re

from ..base.errors import UsageError

BLOCK_LIST = ("question {id} writes its principles as a list over several lines: write them on "
              "one line (principles: [a, b]) and run map again")


def show_why(lines: list[str], doc, path: tuple, lead: str, say) -> None:
    """The reason init --from gave for a suggestion (its comment above the key), shown."""
    line = doc.lines.get(path)
    if line and line >= 2 and lines[line - 2].strip().startswith(lead):
        say("  " + lines[line - 2].strip().lstrip("# ").replace("reverse-worded? ", "", 1))


def end_of_items(doc, total: int) -> int:
    """The line before the first top-level key after items: (the file's end if none)."""
    start = doc.lines[("items",)]
    later = [line for key, line in doc.lines.items() if len(key) == 1 and line > start]
    return min(later) - 1 if later else total


def set_line(lines: list[str], doc, path: tuple, text: str, item_id: str,
              after: tuple | None = None) -> None:
    """Write ``key: value`` on the line of ``path`` (or add it after ``after``'s line)."""
    line = doc.lines.get(path)
    if line is None:
        anchor = doc.lines.get(after) if after else doc.lines.get(path[:-1])
        indent = re.match(r"\s*(-\s*)?", lines[anchor - 1]).end()
        lines.insert(anchor, " " * indent + text + "\n")  # keeps later line numbers valid
        doc.lines.update({k: v + 1 for k, v in doc.lines.items() if v > anchor})
        return
    current = lines[line - 1]
    key = path[-1]
    if not re.match(rf"\s*(-\s*)?{key}:", current):
        raise UsageError(BLOCK_LIST.format(id=item_id))
    value = doc.data
    for part in path:
        value = value[part]
    if isinstance(value, list) and len(value) > 0 and doc.lines.get((*path, 0), line) != line:
        raise UsageError(BLOCK_LIST.format(id=item_id))
    indent = current[: len(current) - len(current.lstrip())]
    lead = re.match(r"\s*(-\s*)?", current).group(0)
    comment = re.search(r"\s+#.*$", current.rstrip("\n"))
    lines[line - 1] = (lead if lead.strip() else indent) + text + (
        comment.group(0) if comment and "TO CONFIRM" not in current else "") + "\n"


def confirm_mapping(lines: list[str], config, by: list[str], on: str, ignored_refs, ignored_ids):
    """mapping_confirmed: and ignore: in evaluation.yaml; the items left out removed."""
    survey_path = ("evidence", "survey")
    record = "mapping_confirmed: {by: [" + ", ".join(json.dumps(b) for b in by) + \
        f"], date: {on}}}"
    removals = []
    for item_id in ignored_ids:
        line = config.lines.get((*survey_path, "items", item_id))
        if line is not None:
            removals.append(line)
    line = config.lines.get((*survey_path, "mapping_confirmed"))
    survey_line = config.lines[survey_path]
    child = lines[config.lines[(*survey_path, "file")] - 1]  # the survey entry's own indent
    inner = child[: len(child) - len(child.lstrip())]
    if line is not None:
        lines[line - 1] = inner + record + "\n"
    else:
        lines.insert(survey_line, inner + record + "\n")
        removals = [r + 1 if r > survey_line else r for r in removals]
        config.lines = {k: v + 1 if v > survey_line else v for k, v in config.lines.items()}
    # a question's column, or the first of the wordings it may have ({any_of: [...]})
    refs = [(r.get("any_of") or [None])[0] if isinstance(r, dict) else r for r in ignored_refs]
    refs = [r for r in refs if r]
    if refs:
        ignore_line = config.lines.get((*survey_path, "ignore"))
        entries = [f"{inner}  - {json.dumps(r, ensure_ascii=False)}   # left out in "
                   "coprod-eval map\n" for r in refs]
        if ignore_line is None:
            at = config.lines.get((*survey_path, "mapping_confirmed"), survey_line + 1) - 1
            lines[at:at] = [inner + "ignore:\n", *entries]
            removals = [r + len(entries) + 1 if r > at else r for r in removals]
        else:
            current = config.data["evidence"]["survey"].get("ignore") or []
            if not current:
                lines[ignore_line - 1] = inner + "ignore:\n"
                at = ignore_line
            else:
                at = config.lines.get((*survey_path, "ignore", len(current) - 1), ignore_line)
            lines[at:at] = entries
            removals = [r + len(entries) if r > at else r for r in removals]
    for line in sorted(removals, reverse=True):
        del lines[line - 1]
