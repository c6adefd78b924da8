"""Issue 25, item 5: an evaluator's folders from the last release still run, and `coprod-eval
upgrade` writes them in today's form without losing a comment or changing a file in place
unasked. The folders are frozen copies in tests/released_folders (see its README)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import coprod_eval as ce

RELEASED = Path(__file__).parent / "released_folders" / "3.x" / "involvement-as-coproduction"


def cli(*args):
    return subprocess.run([sys.executable, "-m", "coprod_eval", *map(str, args)],
                          capture_output=True, text=True, timeout=300)


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and "runs" not in p.parts}


@pytest.fixture
def released(tmp_path) -> Path:
    folder = tmp_path / "released"
    shutil.copytree(RELEASED, folder)
    return folder


@pytest.fixture
def builtin_framework(released) -> Path:
    """The same folder naming the built-in framework, as most evaluators' folders do."""
    path = released / "evaluation.yaml"
    path.write_text(path.read_text().replace("framework: my-framework.yaml",
                                             "framework: nesta_nef_six"))
    (released / "my-framework.yaml").unlink()
    return released


def test_a_released_folder_is_read_as_today_with_a_note_and_nothing_changed(released):
    before = digests(released)
    done = cli("validate", released)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{released} is valid" in done.stdout
    assert "evaluation.yaml:74: analysis.bootstrap_resamples is from an earlier release and " \
           "is ignored" in done.stdout
    assert "my-framework.yaml: level_scale and level_rules are from an earlier release" \
           in done.stdout
    assert "groups without side: are read as earlier releases read them, by their key " \
           "(staff as staff, partner as partner)" in done.stdout
    assert f"coprod-eval upgrade {released}" in done.stdout
    assert digests(released) == before


def test_a_released_folder_runs_end_to_end(builtin_framework):
    done = cli("run", builtin_framework, "--no-progress")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "note: evaluation.yaml:74: analysis.bootstrap_resamples" in done.stdout
    assert "Verdict:" in done.stdout and "not supported" in done.stdout.lower()


def test_reading_in_memory_and_the_upgraded_files_give_the_same_results(released, tmp_path):
    upgraded = tmp_path / "upgraded"
    shutil.copytree(released, upgraded)
    done = cli("upgrade", upgraded, "--replace")
    assert done.returncode == 0, done.stdout + done.stderr

    def result(folder):
        evaluation = ce.load_evaluation(folder)
        return evaluation, ce.evaluate(evaluation, ce.load_evidence(evaluation))

    (old_eval, old), (new_eval, new) = result(released), result(upgraded)
    assert len(old_eval.upgraded) == 3 and new_eval.upgraded == ()
    assert old.to_json() == new.to_json()
    # the framework's own ladder is the one it held: Think Local Act Personal's seven rungs
    assert [lv.id for lv in new_eval.framework.levels][-1] == "co_production"
    assert [r.level for r in new_eval.framework.level_rules] == [
        "co_production", "co_design", "engagement", "consultation", "informing"]


def test_upgrade_writes_beside_the_old_files_then_in_place_on_request(released):
    before = digests(released)
    done = cli("upgrade", released)
    assert done.returncode == 0, done.stderr
    assert "evaluation.yaml: removed analysis.bootstrap_resamples" in done.stdout
    assert "my-framework.yaml: level_scale and level_rules moved into " \
           "my-framework-ladder.yaml" in done.stdout
    assert "Nothing was changed in place" in done.stdout
    after = digests(released)
    assert {k: v for k, v in after.items() if k in before} == before  # the old untouched
    assert set(after) - set(before) == {"evaluation.upgraded.yaml", "my-framework.upgraded.yaml",
                                        "my-framework-ladder.upgraded.yaml"}
    old_text = (released / "evaluation.yaml").read_text()
    new_text = (released / "evaluation.upgraded.yaml").read_text()
    # every line but two kept, comments included
    removed = set(old_text.splitlines()) - set(new_text.splitlines())
    assert {line.split("#")[0].strip() for line in removed} == {
        "schema_version: 1", "bootstrap_resamples: 2000"}
    assert "schema_version: 3          # format of this file; leave as 3" in new_text
    # each group says its side, on a line of its own after its label
    added = set(new_text.splitlines()) - set(old_text.splitlines())
    assert {line.strip() for line in added} >= {"side: staff", "side: partner"}
    assert "evaluation.yaml: group staff: side: staff written" in done.stdout

    done = cli("upgrade", released, "--replace")
    assert done.returncode == 0, done.stderr
    assert (released / "evaluation.previous.yaml").read_text() == old_text
    assert (released / "evaluation.yaml").read_text() == new_text
    assert "default_ladder: my-framework-ladder.yaml" in (
        released / "my-framework.yaml").read_text()
    checked = cli("validate", released)
    assert checked.returncode == 0 and "note:" not in checked.stdout, checked.stdout
    again = cli("upgrade", released)
    assert again.returncode == 0 and "nothing to upgrade" in again.stdout


def test_upgrade_refuses_before_writing_anything_when_it_would_overwrite(released):
    (released / "my-framework.previous.yaml").write_text("an evaluator's own notes\n")
    before = digests(released)
    done = cli("upgrade", released, "--replace")
    assert done.returncode == 2
    assert "my-framework.previous.yaml exists already" in done.stderr
    assert "nothing was written" in done.stderr
    assert digests(released) == before


def test_a_file_of_today_holding_a_retired_field_is_refused(released):
    path = released / "evaluation.yaml"
    path.write_text(path.read_text().replace("schema_version: 1", "schema_version: 2"))
    done = cli("validate", released)
    assert done.returncode == 1
    assert "evaluation.yaml:74:analysis.bootstrap_resamples: 'analysis." \
           "bootstrap_resamples' is no longer used" in done.stdout
    path.write_text(path.read_text().replace("schema_version: 2", "schema_version: 1"))
    framework = released / "my-framework.yaml"
    framework.write_text("schema_version: 2\n" + framework.read_text())
    done = cli("validate", released)
    assert done.returncode == 1
    assert "'level_scale' is no longer part of a framework" in done.stdout


def _groups_without_side(folder: Path, version: int) -> None:
    """The folder with a third group, of carers, and no group saying its side."""
    path = folder / "evaluation.yaml"
    text = path.read_text().replace("schema_version: 1", f"schema_version: {version}")
    text = text.replace("  partner:", "  carer:\n    code: carer\n    label: Carers\n  partner:", 1)
    text = "".join(line for line in text.splitlines(keepends=True)
                   if "bootstrap_resamples" not in line)
    path.write_text(text)


def test_a_group_without_a_side_is_refused_from_format_3_whatever_its_key(released):
    _groups_without_side(released, 3)
    done = cli("validate", released)
    assert done.returncode == 1, done.stdout
    for group in ("staff", "carer", "partner"):
        assert f"groups.{group}: required field 'side' is missing — add 'side:' under " \
               f"groups.{group}: staff (employed to run or deliver the service) or partner" \
               in done.stdout, done.stdout


def test_a_format_2_folder_reads_its_groups_by_key_and_upgrades_to_declared_sides(released,
                                                                                tmp_path):
    _groups_without_side(released, 2)
    evaluation = ce.load_evaluation(released)
    assert {g.id: g.side for g in evaluation.groups} == {
        "staff": "staff", "carer": "partner", "partner": "partner"}
    assert any("carer as partner" in note for note in evaluation.upgraded)
    done = cli("upgrade", released, "--replace")
    assert done.returncode == 0, done.stdout + done.stderr
    upgraded = ce.load_evaluation(released)
    assert {g.id: g.side for g in upgraded.groups} == {g.id: g.side for g in evaluation.groups}
    assert not any("side" in note for note in upgraded.upgraded)


def test_upgrade_writes_sides_into_any_layout_of_groups_without_changing_them(tmp_path):
    """A folded or wrapped label, a comment under the key, a group on one line: each reads
    as before, plus its side (the upgrade checks this before writing)."""
    from coprod_eval.base.folderformat import plan_upgrade

    folder = tmp_path / "ev"
    shutil.copytree(RELEASED, folder)
    path = folder / "evaluation.yaml"
    text = path.read_text()
    groups = ("groups:\n  staff:   # the staff\n    # who they are\n    code: staff\n"
              "    label: >-\n      Staff who run\n      the service\n"
              "  carer: {code: carer, label: Carers}   # one line\n"
              "  partner:\n    code: partner\n    label: Community\n      partners\n")
    start = text.index("groups:")
    end = text.index("\n\n", start)
    path.write_text(text[:start] + groups.rstrip("\n") + text[end:])
    plan = plan_upgrade(folder)
    new = yaml.safe_load(plan.files[path])["groups"]
    assert new == {"staff": {"code": "staff", "label": "Staff who run the service",
                             "side": "staff"},
                   "carer": {"code": "carer", "label": "Carers", "side": "partner"},
                   "partner": {"code": "partner", "label": "Community partners",
                               "side": "partner"}}
