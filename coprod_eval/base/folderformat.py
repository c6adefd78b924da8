"""Evaluation folders written by an earlier release: read as today's, and written anew.

An evaluator's folder outlives a release. Each file says its format in ``schema_version``:

- **evaluation.yaml** — 3 is this release's.
  - Format 1 (releases 3.x and before) may hold ``analysis.bootstrap_resamples``: it is read
    and ignored (intervals for shares are score intervals now and need no resampling), with a
    note. From format 2 it is refused, as a mistake.
  - Formats 1 and 2 let a group leave out ``side:``: the group keyed ``staff`` was the staff
    side and every other the partners'. Such a file is still read that way, with a note; from
    format 3 every group says its side, whatever it is called.
- **a framework file** — 2 is this release's (absent means 1). Format 1 kept the ladder
  inside the framework (``level_scale`` and ``level_rules``): it is read as the framework's
  own ladder, with a note. In format 2 the ladder is a file of its own, named by
  ``default_ladder``.

Reading an earlier format never changes a file. ``coprod-eval upgrade FOLDER`` writes each
file that needs it anew, beside the old one (``evaluation.upgraded.yaml``; a framework's
``NAME.upgraded.yaml`` and ``NAME-ladder.yaml``), keeping every comment, and says what
changed; ``--replace`` puts them in place and keeps the old ones as ``*.previous.yaml``.
Nothing is written when nothing needs upgrading, or when a file it would write exists.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import UsageError

FORMAT = 3  # the schema_version this release writes in evaluation.yaml
FRAMEWORK_FORMAT = 2  # … and in framework (and ladder) files
EVALUATION_FILE = "evaluation.yaml"

# evaluation.yaml fields no longer read: path → (the format that retired it, why)
RETIRED = {("analysis", "bootstrap_resamples"): (2, (
    "intervals for shares agreeing are now score intervals, which need no resampling; "
    "analysis.permutations sets the random splits of a permutation test"))}
# From this format every group says its side; before it, a group without one was on the
# side its key named (the group keyed staff on the staff side, every other on the partners').
SIDES_DECLARED = 3
_SIDE_BY_KEY = {"staff": "staff"}
_OTHER_SIDE = "partner"
LADDER_FIELDS = ("level_scale", "level_rules")


def format_of(data) -> int:
    """A file's declared format (absent: 1)."""
    version = data.get("schema_version") if isinstance(data, dict) else None
    return version if isinstance(version, int) and not isinstance(version, bool) else 1


def read_retired(data: dict) -> list[tuple[tuple[str, ...], int, str]]:
    """The retired fields an evaluation.yaml's data holds, each (path, the format that retired
    it, why), taken out of ``data`` so the rest reads as today's."""
    found = []
    for path, (since, why) in RETIRED.items():
        parent = data
        for key in path[:-1]:
            parent = parent.get(key) if isinstance(parent, dict) else None
        if isinstance(parent, dict) and path[-1] in parent:
            del parent[path[-1]]
            found.append((path, since, why))
    return found


def undeclared_sides(data: dict) -> dict[str, str]:
    """The groups of an evaluation.yaml of an earlier format that leave out ``side:``, each
    with the side that format gave it (by its key). Empty from format 3, where a group
    without a side is refused."""
    groups = data.get("groups") if isinstance(data, dict) else None
    if format_of(data) >= SIDES_DECLARED or not isinstance(groups, dict):
        return {}
    return {key: _SIDE_BY_KEY.get(key, _OTHER_SIDE) for key, entry in groups.items()
            if isinstance(entry, dict) and "side" not in entry}


def ladder_of(framework: dict) -> dict:
    """The ladder a format-1 framework held (``level_scale`` and ``level_rules``), as a
    ladder file's data."""
    scale = framework.get("level_scale") or {}
    return {
        "schema_version": FRAMEWORK_FORMAT,
        "id": scale.get("id") or f"{framework.get('id', 'framework')}_ladder",
        "version": str(framework.get("version", "1.0.0")),
        "name": scale.get("name") or f"{framework.get('name', 'Framework')} ladder",
        "source": scale.get("source") or (
            f"the ladder of {framework.get('name', 'the framework')}, as its file held it "
            "(level_scale and level_rules)"),
        "prose_names": "lowercase",
        "levels": scale.get("levels") or [],
        "level_rules": framework.get("level_rules") or [],
    }


# --- writing a folder anew -------------------------------------------------------------------

@dataclass
class Upgrade:
    """What ``upgrade`` would write: file → new text, and what changed, in words."""

    files: dict[Path, str] = field(default_factory=dict)
    changes: list[str] = field(default_factory=list)


def plan_upgrade(folder: Path) -> Upgrade:
    """The files of ``folder`` an upgrade rewrites (nothing when all are of today's
    format)."""
    from .paths import PACKAGE_DATA

    path = folder / EVALUATION_FILE
    if not path.is_file():
        raise UsageError(f"{folder} has no {EVALUATION_FILE}: nothing to upgrade")
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    out = Upgrade()
    if format_of(data) < FORMAT:
        new = text
        for (_, key), (_, why) in RETIRED.items():
            new, gone = _drop_line(new, key)
            if gone:
                out.changes.append(f"{EVALUATION_FILE}: removed analysis.{key}: {why}")
        sides = undeclared_sides(data)
        for key, side in sides.items():
            new = _add_side(new, key, side)
            out.changes.append(f"{EVALUATION_FILE}: group {key}: side: {side} written (the "
                               "side its key gave it before sides were declared)")
        try:
            written = (yaml.safe_load(new) or {}).get("groups") or {}
        except yaml.YAMLError:
            written = {}
        wanted = {key: {**entry, **({"side": sides[key]} if key in sides else {})}
                  for key, entry in (data.get("groups") or {}).items()}
        unwritten = [str(key) for key in sides if written.get(key) != wanted.get(key)]
        if unwritten:
            raise UsageError(f"{path}: could not write side: into group(s) "
                             f"{', '.join(unwritten)} (an unusual layout): add 'side: staff' or "
                             "'side: partner' to each by hand, then upgrade again (nothing was "
                             "written)")
        new = _set_format(new, FORMAT)
        out.changes.append(f"{EVALUATION_FILE}: schema_version {format_of(data)} → {FORMAT}")
        out.files[path] = new
    reference = str(data.get("framework") or "")
    framework = (folder / reference) if reference else None
    if (framework is not None and framework.is_file()
            and framework.resolve().parent != (PACKAGE_DATA / "frameworks").resolve()):
        out = _framework_upgrade(folder, framework, out)
    return out


def _framework_upgrade(folder: Path, path: Path, out: Upgrade) -> Upgrade:
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    if format_of(data) >= FRAMEWORK_FORMAT:
        return out
    name = Path(os.path.relpath(path, folder)).as_posix()
    new = text
    if any(key in data for key in LADDER_FIELDS):
        ladder = path.with_name(f"{path.stem}-ladder.yaml")
        for key in LADDER_FIELDS:
            new = _drop_block(new, key)
        relative = Path(os.path.relpath(ladder, folder)).as_posix()
        new = new.rstrip("\n") + (
            "\n\n# The ladder the level is read on, unless evaluation.yaml names another: a "
            "built-in id\n# (arnstein8, iap2_5, tlap7) or a ladder file. Written by coprod-eval "
            f"upgrade from\n# this file's level_scale and level_rules.\ndefault_ladder: "
            f"{relative}\n")
        out.files[ladder] = (
            f"# The ladder {name} held (level_scale and level_rules), as a ladder file of "
            "its own.\n# Written by coprod-eval upgrade; see coprod_eval/data/ladders/"
            "tlap7.yaml for every field.\n" + yaml.safe_dump(ladder_of(data), sort_keys=False,
                                                            allow_unicode=True, width=88))
        out.changes.append(f"{name}: level_scale and level_rules moved into {relative}, "
                           f"named by default_ladder")
    out.files[path] = _set_format(new, FRAMEWORK_FORMAT)
    out.changes.append(f"{name}: schema_version {format_of(data)} → {FRAMEWORK_FORMAT}")
    return out


def write_upgrade(plan: Upgrade, *, replace: bool) -> list[Path]:
    """Write the plan: every file beside the old ones as ``*.upgraded.yaml`` (to read
    first), or in place, each old file kept as ``*.previous.yaml``. Refuses before writing
    anything when a file it would write or keep exists already with other content."""
    moves = []
    for path, text in plan.files.items():
        if not replace:
            moves.append((path.with_name(f"{path.stem}.upgraded{path.suffix}"), None, text))
        elif path.is_file() and path.read_text(encoding="utf-8") != text:
            moves.append((path, path.with_name(f"{path.stem}.previous{path.suffix}"), text))
        else:  # a new file (the ladder), or one already as it would be written
            moves.append((path, None, text))
    for target, keep, text in moves:
        if keep is not None and keep.exists():
            raise UsageError(f"{keep} exists already: move it away, then upgrade again "
                             "(nothing was written)")
        if keep is None and target.exists() and target.read_text(encoding="utf-8") != text:
            raise UsageError(f"{target} exists already: move it away, then upgrade again "
                             "(nothing was written)")
    written = []
    for target, keep, text in moves:
        if keep is not None:
            target.rename(keep)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


def _drop_line(text: str, key: str) -> tuple[str, bool]:
    """``text`` without the line setting ``key`` (with its comment)."""
    new, count = re.subn(rf"(?m)^[ \t]*{re.escape(key)}[ \t]*:.*\n?", "", text)
    return new, bool(count)


def _drop_block(text: str, key: str) -> str:
    """``text`` without the top-level ``key:`` and everything indented under it (the
    comments just above it go too: they described it)."""
    lines = text.splitlines(keepends=True)
    out, skipping = [], False
    for line in lines:
        if re.match(rf"{re.escape(key)}\s*:", line):
            skipping = True
            while out and out[-1].lstrip().startswith("#"):
                out.pop()
            continue
        if skipping and (not line.strip() or line[0] in " \t" or line.lstrip().startswith("-")):
            continue
        skipping = False
        out.append(line)
    return "".join(out)


def _add_side(text: str, key: str, side: str) -> str:
    """``text`` with ``side:`` written into group ``key`` of the top-level ``groups:``: as the
    group's first field (on the line after its key, at its fields' indentation), or inside the
    braces of a group written on one line (``key: {code: …}``). The caller checks the result
    reads as the same groups with the side added."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if re.match(r"groups\s*:", line)), None)
    for i in range(len(lines) if start is None else start + 1, len(lines)):
        if re.match(r"[^\s#]", lines[i]):
            break  # past the groups block
        head = re.match(rf"([ \t]+){re.escape(str(key))}[ \t]*:[ \t]*(\{{.*\}})?(.*)$",
                        lines[i].rstrip("\n"))
        if not head:
            continue
        if head.group(2):
            lines[i] = f"{head.group(1)}{key}: {head.group(2)[:-1].rstrip()}, side: {side}}}" \
                       f"{head.group(3)}\n"
            return "".join(lines)
        following = next((line for line in lines[i + 1:]
                          if line.strip() and not line.lstrip().startswith("#")), "")
        indent = re.match(r"[ \t]*", following).group(0)
        if len(indent) <= len(head.group(1)):
            indent = head.group(1) + "  "
        lines.insert(i + 1, f"{indent}side: {side}\n")
        return "".join(lines)
    return text


def _set_format(text: str, version: int) -> str:
    """``schema_version: version`` in ``text``: the existing line changed (its comment kept
    and corrected), or a new first setting after the opening comments."""
    pattern = re.compile(r"(?m)^schema_version[ \t]*:[ \t]*\d+(.*)$")
    if pattern.search(text):
        return pattern.sub(lambda m: f"schema_version: {version}"
                           + re.sub(r"leave as \d+", f"leave as {version}", m.group(1)), text,
                           count=1)
    lines = text.splitlines(keepends=True)
    at = 0
    while at < len(lines) and (lines[at].startswith("#") or not lines[at].strip()):
        at += 1
    lines.insert(at, f"schema_version: {version}          # format of this file; leave as "
                     f"{version}\n")
    return "".join(lines)
