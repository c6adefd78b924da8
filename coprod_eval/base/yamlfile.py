"""Read YAML safely, keeping where each value came from so problems can name a line.

Evaluation, framework, ladder and instrument files are small hand-written YAML. Before any
value is built, the file's events are streamed once (no recursion) to bound what it could
cost: nesting deeper than :data:`MAX_DEPTH`, or more than :data:`MAX_VALUES` values once
aliases are expanded (a "billion laughs" file of a few hundred bytes), is refused with the
line at fault. A key written twice in one mapping is refused with both lines (YAML would
silently keep the second). Dates stay text, as written.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

import yaml

from .errors import InvalidInputError, Problem, Problems, hidden_characters

MAX_DEPTH = 40  # nesting of mappings and lists
MAX_VALUES = 200_000  # values in the file once every alias is expanded

YAML_SYNTAX = "the file is not valid YAML ({detail})"
YAML_SYNTAX_FIX = "fix the YAML syntax at this line (check indentation, colons and quotes)"
YAML_NOT_TEXT_FIX = ("a YAML file is plain text: restore it from a backup, or write a new one "
                     "with coprod-eval init and copy your settings into it")
YAML_NOT_MAPPING = "the file does not hold a mapping of fields"
YAML_NOT_MAPPING_FIX = "start the file with 'field: value' lines, as in the template"
YAML_TOO_DEEP = "the file nests lists and fields more than {limit} levels deep"
YAML_TOO_DEEP_FIX = "no coprod-eval file needs that: check this part of the file"
YAML_TOO_BIG = ("the file expands to more than {limit:,} values once its aliases (*name) are "
                "filled in")
YAML_TOO_BIG_FIX = ("write the values out plainly instead of through nested aliases; a "
                    "coprod-eval file never needs that many")
MAX_YAML_BYTES = 2 * 2**20  # settings, yardsticks and ledgers are a few KB; 2 MB is generous
YAML_TOO_LARGE = "the file is {mb:.1f} MB; a coprod-eval YAML file is at most {limit} MB"
YAML_TOO_LARGE_FIX = ("look for something pasted in by mistake (a long comment or value); "
                      "evidence belongs in CSV or XLSX files under evidence/")
YAML_CONTROL = ("'{key}' holds a control character (an escape, a bell), which could change "
                "what a terminal or a page shows")
YAML_CONTROL_FIX = ("retype the value as plain text (in YAML, remove escapes such as \\e or "
                    "\\a)")
YAML_DUPLICATE = "the key '{key}' appears twice in the same place (lines {first} and {second})"
YAML_DUPLICATE_FIX = "keep one of them: YAML would silently use the second"
YAML_KEY_TYPE = "a key must be a plain value, not a list or a set of fields"
YAML_KEY_TYPE_FIX = "write the key as plain text"

Path_ = tuple[str | int, ...]


class LocatedYaml:
    """A parsed YAML document plus the line of every key and item in it."""

    def __init__(self, data: Any, lines: dict[Path_, int], display_name: str):
        self.data = data
        self.lines = lines
        self.display_name = display_name

    def line(self, path: Path_) -> int | None:
        """Line of the deepest existing node on ``path`` (1-based)."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)

    def problem(self, path: Path_, what: str, fix: str) -> Problem:
        column = ".".join(str(p) for p in path) or None
        return Problem(self.display_name, self.line(path), column, what, fix)


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """SafeLoader that refuses duplicate keys and keeps dates as text (libyaml's parser
    when PyYAML has it: the same events and marks, several times faster)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


class _Duplicate(yaml.MarkedYAMLError):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False):
    loader.flatten_mapping(node)
    seen: dict[Any, int] = {}
    mapping = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            hash(key)
        except TypeError:
            raise _Duplicate(None, None, YAML_KEY_TYPE, key_node.start_mark) from None
        line = key_node.start_mark.line + 1
        if key in seen:
            raise _Duplicate(None, None, YAML_DUPLICATE.format(key=key, first=seen[key],
                                                               second=line),
                             key_node.start_mark)
        seen[key] = line
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def check_cost(text: str, name: str) -> None:
    """Refuse YAML whose nesting or alias expansion would cost too much, before building it."""
    depth = 0
    stack: list[int] = []  # expanded size of each open collection
    anchored: dict[str, int] = {}
    anchors_open: list[str | None] = []
    total = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            line = event.start_mark.line + 1 if event.start_mark else None
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _fail(name, line, YAML_TOO_DEEP.format(limit=MAX_DEPTH),
                                YAML_TOO_DEEP_FIX)
                stack.append(1)
                anchors_open.append(event.anchor)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
                size = stack.pop()
                anchor = anchors_open.pop()
                if anchor:
                    anchored[anchor] = size
                total = _add(stack, size, total, name, line)
            elif isinstance(event, yaml.ScalarEvent):
                if event.anchor:
                    anchored[event.anchor] = 1
                total = _add(stack, 1, total, name, line)
            elif isinstance(event, yaml.AliasEvent):
                total = _add(stack, anchored.get(event.anchor, 1), total, name, line)
    except yaml.YAMLError:
        return  # the syntax error is reported, with its line, when the file is read


def _add(stack: list[int], size: int, total: int, name: str, line) -> int:
    if stack:
        stack[-1] += size
        if stack[-1] > MAX_VALUES:
            raise _fail(name, line, YAML_TOO_BIG.format(limit=MAX_VALUES), YAML_TOO_BIG_FIX)
        return total
    total += size
    if total > MAX_VALUES:
        raise _fail(name, line, YAML_TOO_BIG.format(limit=MAX_VALUES), YAML_TOO_BIG_FIX)
    return total


def _fail(name, line, what, fix) -> InvalidInputError:
    return InvalidInputError([Problem(name, line, None, what, fix)])


def parse_yaml(text: str, name: str):
    """(data, root node) of YAML text: bounded, duplicate keys refused, dates as text. The
    same text is parsed once per process (a portfolio worker reads the same framework for
    every project); each caller gets data of its own, the node is shared and only read."""
    data, node = _parse_yaml(text, name)
    return copy.deepcopy(data), node


@functools.lru_cache(maxsize=32)
def _parse_yaml(text: str, name: str):
    check_cost(text, name)
    try:
        node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        detail = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        if isinstance(exc, _Duplicate):
            fix = YAML_KEY_TYPE_FIX if detail == YAML_KEY_TYPE else YAML_DUPLICATE_FIX
            raise _fail(name, line, detail, fix) from None
        raise _fail(name, line, YAML_SYNTAX.format(detail=detail), YAML_SYNTAX_FIX) from None
    except RecursionError:
        raise _fail(name, None, YAML_TOO_DEEP.format(limit=MAX_DEPTH),
                    YAML_TOO_DEEP_FIX) from None
    return data, node


def read_yaml(path: Path, display_name: str | None = None) -> LocatedYaml:
    """Parse ``path``; raise :class:`InvalidInputError` naming the line of any problem."""
    name = display_name or path.name
    from .tables import decode, read_bytes

    try:
        size = Path(path).stat().st_size
    except OSError:
        size = 0  # read_bytes says why it cannot be read
    if size > MAX_YAML_BYTES:
        raise _fail(name, None, YAML_TOO_LARGE.format(mb=size / 2**20, limit=MAX_YAML_BYTES
                                                      // 2**20), YAML_TOO_LARGE_FIX)
    try:
        text, _ = decode(read_bytes(path, name), name)
    except InvalidInputError as exc:
        raise InvalidInputError([Problem(p.file, p.row, p.column, p.what, YAML_NOT_TEXT_FIX)
                                 for p in exc.problems]) from None
    data, node = parse_yaml(text, name)
    if not isinstance(data, dict):
        raise _fail(name, 1, YAML_NOT_MAPPING, YAML_NOT_MAPPING_FIX)
    lines: dict[Path_, int] = {}
    if node is not None:
        hidden = _walk(node, (), lines)
        if hidden:
            raise InvalidInputError([Problem(name, line, None, YAML_CONTROL.format(
                key=".".join(map(str, where)) or "(top)"), YAML_CONTROL_FIX)
                for line, where in hidden[:20]])
    return LocatedYaml(data, lines, name)


def _control(value) -> bool:
    """A control character (an escape, a bell). Invisible and direction characters in labels
    and codes are named by the evaluation's own checks, with what to do."""
    return hidden_characters(str(value), invisible=False, breaks=True)


def _walk(node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> list[tuple[int, Path_]]:
    """Line of every key and item, without recursion; the (line, place) of every value
    holding a control character. An alias is walked at each place it is used (its expanded
    size was bounded by :func:`check_cost`)."""
    pending = [(node, path)]
    hidden = []
    while pending:
        current, where = pending.pop()
        lines.setdefault(where, current.start_mark.line + 1)
        if isinstance(current, yaml.ScalarNode) and _control(current.value):
            hidden.append((current.start_mark.line + 1, where))
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                child = (*where, key.value)
                lines[child] = key.start_mark.line + 1
                if _control(key.value):
                    hidden.append((key.start_mark.line + 1, child))
                pending.append((value, child))
        elif isinstance(current, yaml.SequenceNode):
            for i, value in enumerate(current.value):
                child = (*where, i)
                lines[child] = value.start_mark.line + 1
                pending.append((value, child))
    return sorted(hidden)


def schema_problems(doc: LocatedYaml, schema: dict, limit: int = 50) -> list[Problem]:
    """Check ``doc`` against a JSON Schema; one friendly problem per violation (at most
    ``limit``, then one line saying how many more)."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)
    problems = Problems()
    errors = sorted(validator.iter_errors(doc.data), key=lambda e: list(map(str, e.path)))
    for err in errors:
        path = tuple(err.path)
        field = ".".join(str(p) for p in path) or "the file"
        if err.validator == "required":
            missing = err.message.split("'")[1]
            wanted = err.schema.get("properties", {}).get(missing, {})
            choices = (f": {wanted['description']}" if "description" in wanted else
                       f", one of: {', '.join(map(str, wanted['enum']))}" if "enum" in wanted
                       else "")
            problems.append(doc.problem(path, f"required field '{missing}' is missing",
                                        f"add '{missing}:' under {field}{choices}"))
        elif err.validator == "additionalProperties":
            extra = sorted(set(err.instance) - set(err.schema.get("properties", {})), key=str)
            known = ", ".join(sorted(err.schema.get("properties", {})))
            for key in extra:
                problems.append(doc.problem((*path, key), f"unknown field '{key}'",
                                            f"check the spelling; fields allowed here: {known}"))
        elif err.validator == "type":
            want = err.validator_value
            want = " or ".join(want) if isinstance(want, list) else want
            problems.append(doc.problem(path, f"'{field}' must be {_a(want)}, not "
                                              f"{_short(err.instance)}",
                                        f"write {_a(want)} for '{field}'"))
        elif err.validator == "enum":
            allowed = ", ".join(map(str, err.validator_value))
            problems.append(doc.problem(path, f"'{field}' is {_short(err.instance)}, which is "
                                              "not allowed", f"use one of: {allowed}"))
        elif err.validator in ("minimum", "maximum", "exclusiveMinimum"):
            problems.append(doc.problem(path, f"'{field}' is {_short(err.instance)}: "
                                              f"{_clip(err.message)}",
                                        f"choose a value for '{field}' within the allowed range"))
        elif err.validator in ("minItems", "minLength", "pattern"):
            problems.append(doc.problem(path, f"'{field}' is {_short(err.instance)}: "
                                              f"{_clip(err.message)}",
                                        f"correct '{field}'"))
        elif err.validator in ("oneOf", "anyOf") and "description" in err.schema:
            problems.append(doc.problem(path, f"'{field}' is {_short(err.instance)}, which is "
                                              "none of the forms allowed here",
                                        f"write {err.schema['description']}"))
        else:
            problems.append(doc.problem(path, f"'{field}': {_clip(err.message)}",
                                        f"correct '{field}'"))
    if len(problems) > limit:
        more = len(problems) - limit
        problems = problems[:limit] + [Problem(doc.display_name, None, None,
                                               f"{more} more problem(s) of the same kinds",
                                               "fix the ones above first, then validate again")]
    return problems


def _short(value, limit: int = 60) -> str:
    """A value as it was written, cut short: a huge value never floods a problem line."""
    return _clip(repr(value), limit)


def _clip(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _a(kind: str) -> str:
    names = {"string": "a text value", "integer": "a whole number", "number": "a number",
             "object": "a set of fields", "array": "a list", "boolean": "true or false",
             "null": "empty"}
    return names.get(kind, kind)
