"""The hostile-input corpus (tests/hostile/): every bad file or evaluation.yaml gets a clear
``file:row:column: what — fix`` line from validate and from run, exit code 1, no traceback,
no input changed and no run folder that looks complete."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml
from conftest import GENUINE, checksums, copy_sample

from coprod_eval.cli import main
from coprod_eval.runs.folder import completed_runs

sys.path.insert(0, str(Path(__file__).parent / "hostile"))
from build import FILES, cases, generated

LINE = re.compile(r"^(?P<file>[^:]+):(?P<row>-|\d+):(?P<column>.+?): (?P<what>.+) — (?P<fix>.+)$",
                  re.S)


def place(case, folder: Path) -> None:
    """Put the case's file and settings into the evaluation folder, as a user would."""
    config = folder / "evaluation.yaml"
    if case.target:
        (folder / case.target).write_bytes((FILES / case.file).read_bytes())
        return
    if case.stream == "evaluation.yaml":
        if case.file:
            config.write_bytes((FILES / case.file).read_bytes())
        else:
            old, new = case.yaml_text
            text = config.read_text()
            assert old in text
            config.write_text(text.replace(old, new, 1))
        return
    data = yaml.safe_load(config.read_text())
    entry = dict(data["evidence"].get(case.stream) or {})
    if case.file:
        target = folder / "evidence" / f"{case.stream}{Path(case.file).suffix}"
        if case.file in generated():
            generated()[case.file](target)
        else:
            target.write_bytes((FILES / case.file).read_bytes())
        entry["file"] = target.relative_to(folder).as_posix()
    entry.update(case.entry)
    data["evidence"][case.stream] = entry
    config.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def parse(line: str) -> dict:
    match = LINE.match(line)
    assert match, f"not a file:row:column: what — fix line: {line!r}"
    return match.groupdict()


def check_first(lines: list[str], case) -> None:
    assert lines, "no problem reported"
    parsed = [parse(line) for line in lines]
    for p in parsed:
        assert p["what"].strip() and p["fix"].strip()
    file, row, column, what = case.expect
    first = parsed[0]
    assert first["file"] == file
    if row == "line":
        assert first["row"].isdigit()
    else:
        assert first["row"] == ("-" if row is None else str(row))
    assert first["column"] == (column or "-")
    assert first["what"].startswith(what), first["what"]


def test_corpus_is_large_and_covers_every_stream_and_format():
    all_cases = cases()
    assert len(all_cases) >= 100
    assert len({c.name for c in all_cases}) == len(all_cases)
    streams = {c.stream for c in all_cases}
    assert streams == {"survey", "attendance", "decisions", "stages", "resources",
                       "qualitative", "self_assessment", "evaluation.yaml"}
    formats = {c.entry.get("format", "coprod") for c in all_cases if c.stream == "survey"}
    assert {"coprod", "microsoft_forms", "qualtrics", "redcap", "google_forms", "long"} <= formats
    assert all((FILES / c.file).is_file() for c in all_cases
               if c.file and c.file not in generated())


@pytest.mark.parametrize("case", cases(), ids=lambda c: c.name)
def test_hostile_input_is_refused_clearly_and_loses_nothing(case, tmp_path, capsys):
    folder = copy_sample(GENUINE, tmp_path)
    place(case, folder)
    before = checksums(folder)

    assert main(["validate", str(folder)]) == 1
    out, err = capsys.readouterr()
    check_first(out.splitlines(), case)
    assert "Traceback" not in out + err

    assert main(["run", str(folder), "--no-progress"]) == 1
    out, err = capsys.readouterr()
    check_first(out.splitlines(), case)
    assert "nothing was run" in err and "Traceback" not in out + err

    assert checksums(folder) == before  # no input changed
    assert completed_runs(folder) == []
    assert not (folder / "runs").exists() or not any(
        not p.name.startswith(".") for p in (folder / "runs").iterdir())
