"""Read YAML keeping where each value came from, so problems can name a line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import InvalidInputError, Problem

YAML_SYNTAX = "the file is not valid YAML ({detail})"
YAML_SYNTAX_FIX = "fix the YAML syntax at this line (check indentation, colons and quotes)"
YAML_NOT_TEXT_FIX = ("a YAML file is plain text: restore it from a backup, or write a new one "
                     "with coprod-eval init and copy your settings into it")
YAML_NOT_MAPPING = "the file does not hold a mapping of fields"
YAML_NOT_MAPPING_FIX = "start the file with 'field: value' lines, as in the template"

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


def _walk(node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = (*path, key.value)
            lines[child] = key.start_mark.line + 1
            _walk(value, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for i, value in enumerate(node.value):
            child = (*path, i)
            lines[child] = value.start_mark.line + 1
            _walk(value, child, lines)


def read_yaml(path: Path, display_name: str | None = None) -> LocatedYaml:
    """Parse ``path``; raise :class:`InvalidInputError` naming the line on a syntax error."""
    name = display_name or path.name
    from .tables import decode, read_bytes

    try:
        text, _ = decode(read_bytes(path, name), name)
    except InvalidInputError as exc:
        raise InvalidInputError([Problem(p.file, p.row, p.column, p.what, YAML_NOT_TEXT_FIX)
                                 for p in exc.problems]) from None
    try:
        data = yaml.safe_load(text)
        node = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        detail = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InvalidInputError(
            [Problem(name, line, None, YAML_SYNTAX.format(detail=detail), YAML_SYNTAX_FIX)]
        ) from None
    if not isinstance(data, dict):
        raise InvalidInputError([Problem(name, 1, None, YAML_NOT_MAPPING, YAML_NOT_MAPPING_FIX)])
    lines: dict[Path_, int] = {}
    if node is not None:
        _walk(node, (), lines)
    return LocatedYaml(data, lines, name)


def schema_problems(doc: LocatedYaml, schema: dict) -> list[Problem]:
    """Check ``doc`` against a JSON Schema; one friendly problem per violation."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)
    problems = []
    for err in sorted(validator.iter_errors(doc.data), key=lambda e: list(map(str, e.path))):
        path = tuple(err.path)
        field = ".".join(str(p) for p in path) or "the file"
        if err.validator == "required":
            missing = err.message.split("'")[1]
            problems.append(doc.problem(path, f"required field '{missing}' is missing",
                                        f"add '{missing}:' under {field}"))
        elif err.validator == "additionalProperties":
            extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
            known = ", ".join(sorted(err.schema.get("properties", {})))
            for key in extra:
                problems.append(doc.problem((*path, key), f"unknown field '{key}'",
                                            f"check the spelling; fields allowed here: {known}"))
        elif err.validator == "type":
            want = err.validator_value
            want = " or ".join(want) if isinstance(want, list) else want
            problems.append(doc.problem(path, f"'{field}' must be {_a(want)}, not {err.instance!r}",
                                        f"write {_a(want)} for '{field}'"))
        elif err.validator == "enum":
            allowed = ", ".join(map(str, err.validator_value))
            problems.append(doc.problem(path, f"'{field}' is {err.instance!r}, which is not allowed",
                                        f"use one of: {allowed}"))
        elif err.validator in ("minimum", "maximum", "exclusiveMinimum"):
            problems.append(doc.problem(path, f"'{field}' is {err.instance!r}: {err.message}",
                                        f"choose a value for '{field}' within the allowed range"))
        elif err.validator in ("minItems", "minLength", "pattern"):
            problems.append(doc.problem(path, f"'{field}' is {err.instance!r}: {err.message}",
                                        f"correct '{field}'"))
        else:
            problems.append(doc.problem(path, f"'{field}': {err.message}", f"correct '{field}'"))
    return problems


def _a(kind: str) -> str:
    names = {"string": "a text value", "integer": "a whole number", "number": "a number",
             "object": "a set of fields", "array": "a list", "boolean": "true or false",
             "null": "empty"}
    return names.get(kind, kind)
