"""Hardening: bounded memory for hostile files, provenance that cannot lie, parameters and
run folders that fail cleanly, the right to withdraw, quotes only with consent and sign-off,
and published figures that give back no hidden count."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import yaml
from conftest import (
    GENUINE,
    INVOLVEMENT,
    PARTIAL,
    SAMPLES,
    SURVEY_ONLY,
    THREE_GROUPS,
    approve_quotes,
    copy_sample,
)

import coprod_eval as ce
from coprod_eval.cli import main

sys.path.insert(0, str(Path(__file__).parent / "hostile"))
from build import ALIAS_BOMB, FILES, generated

CEILING_MB = 500


def _peak_of_validate(folder: Path) -> tuple[int, float, str]:
    """Run validate in a fresh process (memory capped at 4 GB as a safety net); its exit
    code, peak memory in MB and output."""
    code = textwrap.dedent(f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (4 * 2**30, 4 * 2**30))
        from coprod_eval.cli import main
        status = main(["validate", {str(folder)!r}])
        # VmHWM is this process's own high-water mark; ru_maxrss would carry over the
        # parent's (Linux keeps it across fork and exec), so a big pytest would fail this.
        hwm = [line for line in open("/proc/self/status") if line.startswith("VmHWM:")]
        print("PEAK", int(hwm[0].split()[1]) / 1024)
        sys.exit(status)
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    peak = float(done.stdout.rsplit("PEAK", 1)[1]) if "PEAK" in done.stdout else -1
    return done.returncode, peak, done.stdout + done.stderr


def _with_attendance(folder: Path, name: str) -> None:
    target = folder / "evidence" / f"attendance{Path(name).suffix}"
    if name in generated():
        generated()[name](target)
    else:
        target.write_bytes((FILES / name).read_bytes())
    data = yaml.safe_load((folder / "evaluation.yaml").read_text())
    data["evidence"]["attendance"]["file"] = target.relative_to(folder).as_posix()
    (folder / "evaluation.yaml").write_text(yaml.safe_dump(data, sort_keys=False))


@pytest.mark.parametrize("bomb", ["yaml-aliases", "instrument-aliases", "xlsx-far-cell",
                                  "xlsx-unpacks-huge", "xlsx-merged-huge", "csv-million-columns",
                                  "csv-one-line-50mb"])
def test_a_few_kilobytes_cost_a_bounded_amount_of_memory(bomb, tmp_path):
    folder = copy_sample(PARTIAL if bomb.startswith(("yaml", "instrument")) else GENUINE,
                         tmp_path)
    if bomb == "yaml-aliases":
        config = folder / "evaluation.yaml"
        config.write_text(config.read_text() + ALIAS_BOMB)
    elif bomb == "instrument-aliases":
        (folder / "instrument" / "coprod_survey.yaml").write_text(ALIAS_BOMB)
    else:
        _with_attendance(folder, {"xlsx-far-cell": "far-cell.xlsx",
                                  "xlsx-unpacks-huge": "xlsx-bomb.xlsx",
                                  "xlsx-merged-huge": "merged-huge.xlsx",
                                  "csv-million-columns": "million-columns.csv",
                                  "csv-one-line-50mb": "one-line.csv"}[bomb])
    status, peak, output = _peak_of_validate(folder)
    assert status == 1, output
    assert "Traceback" not in output and "MemoryError" not in output
    assert 0 < peak < CEILING_MB, f"{bomb}: peak {peak:.0f} MB"
    first = output.splitlines()[0]
    assert " — " in first and len(first) < 400  # one readable line, not a flood


# --- provenance -------------------------------------------------------------------------------

def test_a_file_changed_between_checking_and_reading_fails_the_run(tmp_path, monkeypatch, capsys):
    """The notebook must parse the bytes that were checked: a file swapped after validation
    and put back before the end fails the run (exit 3); no manifest describes it."""
    import coprod_eval.inputs.evidence
    import coprod_eval.runs.folder as runner

    folder = copy_sample(GENUINE, tmp_path)
    survey = folder / "evidence" / "survey.csv"
    original = survey.read_bytes()
    real = coprod_eval.inputs.evidence.load_evidence

    def load_then_swap(evaluation):
        evidence = real(evaluation)
        lines = original.decode().splitlines()
        lines[1] = lines[1].rsplit(",", 1)[0] + ",Neither agree nor disagree"
        survey.write_text("\n".join(lines) + "\n")  # the notebook will read this
        return evidence

    monkeypatch.setattr(coprod_eval.inputs.evidence, "load_evidence", load_then_swap)
    try:
        status = main(["run", str(folder), "--no-progress"])
    finally:
        survey.write_bytes(original)  # restored before anyone looks
    _, err = capsys.readouterr()
    assert status == 3
    assert "evidence/survey.csv changed while the run was in progress" in err
    assert runner.completed_runs(folder) == []
    failed = list((folder / "runs").glob(".failed-*"))
    assert failed and not (failed[0] / "manifest.json").exists()


def test_manifest_names_a_framework_outside_the_folder_by_its_real_path(tmp_path):
    folder = copy_sample(GENUINE, tmp_path)
    outside = tmp_path / "shared-yardstick.yaml"
    outside.write_bytes((Path(ce.__file__).parent / "data" / "frameworks" /
                         "nesta_nef_six.yaml").read_bytes())
    config = folder / "evaluation.yaml"
    config.write_text(config.read_text().replace("framework: nesta_nef_six",
                                                 "framework: ../shared-yardstick.yaml"))
    evaluation = ce.load_evaluation(folder)
    assert outside.resolve().as_posix() in evaluation.inputs
    assert not any(name.startswith("<built-in>/frameworks") for name in evaluation.inputs)


# --- parameters and run folders --------------------------------------------------------------

@pytest.mark.parametrize("value", ["seed=abc", "seed=-1", "seed=99999999999",
                                   "permutations=5000000", "permutations=10",
                                   "chart_renderer=html"])
def test_parameters_are_typed_and_bounded(value, tmp_path, capsys):
    folder = copy_sample(PARTIAL, tmp_path)
    assert main(["run", str(folder), "-p", value]) == 2
    err = capsys.readouterr().err
    assert err.startswith("coprod-eval: parameter ") and len(err.strip().splitlines()) == 1
    assert not (folder / "runs").exists()


def test_runs_being_a_file_is_one_line_and_exit_3(tmp_path, capsys):
    folder = copy_sample(PARTIAL, tmp_path)
    (folder / "runs").write_text("not a folder")
    assert main(["run", str(folder), "--no-progress"]) == 3
    err = capsys.readouterr().err
    assert "cannot make a run folder" in err and len(err.strip().splitlines()) == 1


def test_a_run_folder_that_may_not_be_written_is_exit_3(tmp_path, capsys, monkeypatch):
    folder = copy_sample(PARTIAL, tmp_path)
    real_mkdir = Path.mkdir

    def refuse(self, *args, **kwargs):
        if self.parent.name == "runs" or self.name == "runs":
            raise PermissionError(13, "Permission denied", str(self))
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", refuse)
    assert main(["run", str(folder), "--no-progress"]) == 3
    err = capsys.readouterr().err
    assert "Permission denied" in err and "Traceback" not in err


# --- the right to withdraw ---------------------------------------------------------------------

def test_withdrawal_leaves_a_person_out_and_supersedes_earlier_runs(tmp_path, capsys):
    folder = copy_sample(INVOLVEMENT, tmp_path)
    assert main(["run", str(folder), "--no-progress"]) == 0
    (earlier,) = [p for p in (folder / "runs").iterdir() if not p.name.startswith(".")]
    capsys.readouterr()
    before = ce.load_evidence(ce.load_evaluation(folder))
    assert main(["withdraw", str(folder), "P002", "--reason", "asked to leave",
                 "--by", "lead evaluator"]) == 0
    out = capsys.readouterr().out
    assert "P002 withdrew" in out and f"run {earlier.name} holds their evidence" in out
    record = yaml.safe_load((folder / "withdrawals.yaml").read_text())
    assert record[0]["id"] == "P002" and record[0]["superseded"] == [earlier.name]
    # the evidence files are untouched; every later reading leaves P002 out everywhere
    after = ce.load_evidence(ce.load_evaluation(folder))
    assert "P002" in before.survey.respondent_ids and "P002" not in after.survey.respondent_ids
    for stream, column in (("attendance", "attendee"), ("resources", "partner"),
                           ("qualitative", "participant")):
        assert "P002" in set(before.records[stream][column])
        assert "P002" not in set(after.records[stream][column])
    assert any("withdrew" in note for note in after.notes)
    # the earlier run is never cleared for sharing again, nor served in the app
    assert main(["audit", str(earlier)]) == 1
    assert "superseded" in capsys.readouterr().out
    assert main(["serve", str(folder), "--run", earlier.name]) == 2
    assert f"run {earlier.name} is not served: a participant withdrew" in capsys.readouterr().err
    assert main(["serve", str(folder)]) == 2  # the latest run is the superseded one
    capsys.readouterr()
    # a new run does not hold them and may be shared
    assert main(["run", str(folder), "--no-progress"]) == 0
    latest = max(p for p in (folder / "runs").iterdir() if not p.name.startswith("."))
    assert json.loads((latest / "results.json").read_text())["privacy"]["withdrawals"] is True
    capsys.readouterr()
    assert main(["audit", str(latest)]) == 0
    # withdrawing twice, or someone not in the evidence, is refused
    assert main(["withdraw", str(folder), "P002", "--reason", "x", "--by", "y"]) == 2
    assert main(["withdraw", str(folder), "Z999", "--reason", "x", "--by", "y"]) == 2


# --- quotes: consent and sign-off ------------------------------------------------------------

def test_quotes_need_consent_and_an_approval_of_the_very_words(tmp_path, capsys):
    folder = copy_sample(GENUINE, tmp_path)
    (folder / "quote-approvals.yaml").unlink()
    result = ce.evaluate(*_loaded(folder))
    assert all(not p.quotes for p in result.principles)  # nothing approved: nothing quoted
    held = result.privacy["quotes_held_back"]
    assert held["awaiting_approval"] > 0 and held["not_consented"] > 0
    assert main(["quotes", str(folder)]) == 0
    listing = capsys.readouterr().out
    assert "not yet approved" in listing and "[email 1]" in listing  # shown de-identified
    assert "jo.bloggs@example.org" not in listing
    from coprod_eval.base.errors import UsageError

    with pytest.raises(UsageError, match="not quotable: E007"):
        approve_quotes(folder, ["E007"])  # its speaker did not consent
    approve_quotes(folder, ["E001"])
    result = ce.evaluate(*_loaded(folder))
    quoted = [q["text"] for p in result.principles for q in p.quotes]
    assert len(quoted) == 1 and "[email 1]" in quoted[0]
    # the words change after the approval: the approval lapses, the quote is held back
    qualitative = folder / "evidence" / "qualitative.csv"
    qualitative.write_text(qualitative.read_text().replace(
        "They asked what I could bring", "They asked what I could give"))
    result = ce.evaluate(*_loaded(folder))
    assert all(not p.quotes for p in result.principles)
    assert result.privacy["quotes_held_back"]["approval_lapsed"] == 1


def _loaded(folder):
    evaluation = ce.load_evaluation(folder)
    return evaluation, ce.load_evidence(evaluation)


# --- no count can be recovered ---------------------------------------------------------------

def _preimage(shown: int, base: int = 5) -> range:
    """The exact counts a count shown as ``shown`` (rounded to 5, never to 0) can be."""
    if shown == 0:
        return range(1)
    if shown == base:
        return range(1, base + base // 2 + 1)
    return range(shown - base // 2, shown + base // 2 + 1)


def _recover(distribution: dict, people: int | None, items: int) -> list[tuple]:
    """An attacker's best try: every vector of exact answer counts that would publish this
    distribution. A unique answer means a recovered count."""
    shares = [distribution[str(c)] for c in range(1, 6)]
    most = (people + 3) * items if people else 400
    candidates = set()
    for total in range(5, most + 10, 5):  # the rounded number of answers, unknown to them
        shown = [5 * round(s * total / 500) for s in shares]
        if sum(shown) != total or any(
                round(100 * v / total, 1) != s for v, s in zip(shown, shares)):
            continue
        sizes = [len(_preimage(v)) for v in shown]
        if np.prod(sizes) > 1:
            return [None, None]  # more than one exact vector fits: nothing recovered
        candidates.add(tuple(_preimage(v)[0] for v in shown))
    return list(candidates)


@pytest.mark.parametrize("sample", [GENUINE, INVOLVEMENT, PARTIAL, THREE_GROUPS])
def test_published_distributions_give_back_no_exact_count(sample):
    result = ce.evaluate(*_loaded(SAMPLES / sample))
    for p in result.principles:
        for role, stats in p.groups.items():
            if stats.suppressed:
                continue
            found = _recover(stats.distribution, stats.n, len(p.items))
            assert len(found) != 1, (sample, p.id, role, found)


def test_shares_of_people_with_a_small_part_are_withheld():
    """41.7% of 12 partners gives 5 of 12 away: such figures must not be shown."""
    result = ce.evaluate(*_loaded(SAMPLES / INVOLVEMENT))
    for p in result.principles:
        for ind in p.evidence:
            # (the budget under joint control is the project's declaration, not people)
            if ind.stream == "resources" and ind.value is not None \
                    and ind.measure != "pct_budget_joint_control":
                raise AssertionError(f"{p.id}/{ind.id}: {ind.value} shown for 12 partners")


def test_two_runs_one_partner_apart_do_not_give_that_partners_answers(tmp_path):
    from conftest import drop_partners

    full = copy_sample(GENUINE, tmp_path / "full")
    fewer = copy_sample(GENUINE, tmp_path / "fewer")
    drop_partners(fewer, keep=39)  # the same project, one partner fewer
    before = ce.evaluate(*_loaded(fewer))
    after = ce.evaluate(*_loaded(full))
    determined = 0
    for p in after.principles:
        d1 = after.by_principle[p.id].groups["partner"].distribution
        d0 = before.by_principle[p.id].groups["partner"].distribution
        items = len(p.items)
        # what the attacker can tell about the partner's answer in each category
        ranges = []
        for code in range(1, 6):
            options = set()
            for total1 in range(5, 45 * items, 5):
                for total0 in (total1 - 5, total1):
                    shown1 = 5 * round(d1[str(code)] * total1 / 500)
                    shown0 = 5 * round(d0[str(code)] * total0 / 500) if total0 > 0 else 0
                    options.update(a - b for a in _preimage(shown1) for b in _preimage(shown0)
                                   if 0 <= a - b <= items)
            ranges.append(options)
        if all(len(r) == 1 for r in ranges):
            determined += 1
    assert determined == 0, f"{determined} principle(s) give the partner's answers away"


@pytest.mark.parametrize("dropped, shown", [(0, True), (1, False), (7, False), (8, True)])
def test_the_app_compares_runs_only_when_they_differ_by_enough_people(tmp_path, dropped, shown):
    """A change between two runs a few people apart is those people's doing: the app's
    'compared with the earlier run' is withheld unless no group changed or one changed by
    at least the minimum group size."""
    from conftest import drop_partners

    from coprod_eval.base.paths import PROVENANCE_FILE
    from coprod_eval.inputs.rounds import comparison_withheld
    from coprod_eval.runs.bookkeeping import people_digests

    runs = []
    for name, keep in (("earlier", 40 - dropped), ("later", 40)):
        folder = copy_sample(GENUINE, tmp_path / name)
        drop_partners(folder, keep=keep)
        evaluation, evidence = _loaded(folder)
        run = tmp_path / "runs" / name
        run.mkdir(parents=True)
        (run / PROVENANCE_FILE).write_text(json.dumps({"people": people_digests(evidence, b"key")}))
        (run / "results.json").write_text(json.dumps(
            {"privacy": {"min_group_size": evaluation.min_group_size}}))
        runs.append(run)
    earlier, later = runs
    why = comparison_withheld(later, earlier)
    assert (why == "") == shown, why
    if not shown:
        assert "fewer than 8 people" in why


def test_the_app_does_not_compare_with_a_run_that_does_not_say_whose_evidence_it_used(tmp_path):
    from coprod_eval.inputs.rounds import comparison_withheld

    for name in ("earlier", "later"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "results.json").write_text('{"privacy": {"min_group_size": 8}}')
    assert "does not record whose evidence" in comparison_withheld(tmp_path / "later",
                                                                   tmp_path / "earlier")


def test_runs_whose_people_were_recorded_with_different_keys_are_not_compared(tmp_path):
    from coprod_eval.base.paths import PROVENANCE_FILE
    from coprod_eval.inputs.rounds import comparison_withheld
    from coprod_eval.runs.bookkeeping import people_digests

    _, evidence = _loaded(SAMPLES / GENUINE)
    for name, key in (("earlier", b"one"), ("later", b"two")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "results.json").write_text('{"privacy": {"min_group_size": 8}}')
        (tmp_path / name / PROVENANCE_FILE).write_text(
            json.dumps({"people": people_digests(evidence, key)}))
    assert "cannot be matched" in comparison_withheld(tmp_path / "later", tmp_path / "earlier")


@pytest.mark.parametrize("escape", ["\\e[31m", "\\a", "\\x1b]0;owned\\a"])
def test_control_characters_in_evaluation_yaml_are_refused_with_their_line(tmp_path, capsys,
                                                                           escape):
    """A group label with an escape or a bell (YAML ``\\e``, ``\\a``) would reach a terminal
    and a page: validate names the line and the field instead of a run failing later."""
    folder = copy_sample(GENUINE, tmp_path)
    path = folder / "evaluation.yaml"
    lines = path.read_text().splitlines()
    at = next(i for i, line in enumerate(lines) if "label: Staff" in line)
    lines[at] = lines[at].replace("label: Staff", f'label: "Staff{escape}"')
    path.write_text("\n".join(lines) + "\n")
    assert main(["validate", str(folder)]) == 1
    said = capsys.readouterr()
    said = said.out + said.err
    assert f"evaluation.yaml:{at + 1}:" in said and "'groups.staff.label' holds a control" in said


def test_a_run_under_an_address_space_limit_says_it_needs_more_exit_3(tmp_path):
    """vl-convert's engine reserves far more address space than it uses: under ``ulimit -v``
    the run says so in one line, exit 3, before writing anything."""
    import resource

    folder = copy_sample(SURVEY_ONLY, tmp_path)

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (8 * 2**30, 8 * 2**30))

    done = subprocess.run([sys.executable, "-m", "coprod_eval", "run", str(folder),
                           "--no-progress"], capture_output=True, text=True, timeout=300,
                          preexec_fn=limit)
    assert done.returncode == 3, done.stderr
    assert "needs more address space than the limit set on it" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (folder / "runs").exists()


def test_a_huge_comment_in_evaluation_yaml_is_refused_before_parsing(tmp_path, capsys):
    """A 50 MB comment line once took 210 s to be accepted: a YAML file over 2 MB is refused
    at once, by its size."""
    folder = copy_sample(SURVEY_ONLY, tmp_path)
    with open(folder / "evaluation.yaml", "a", encoding="utf-8") as fh:
        fh.write("# " + "x" * (3 * 2**20) + "\n")
    assert main(["validate", str(folder)]) == 1
    said = capsys.readouterr()
    assert "a coprod-eval YAML file is at most 2 MB" in said.out + said.err


@pytest.mark.parametrize("argv", [
    ["withdraw", "{folder}", "P002", "--reason", "left\x07", "--by", "lead"],
    ["withdraw", "{folder}", "P002", "--reason", "left", "--by", "lead\x1b[31m"],
    ["quotes", "{folder}", "--approve", "E001", "--by", "lead\u202e"],
    ["validate", "{folder}\x1b"],
])
def test_control_characters_on_the_command_line_are_refused(tmp_path, capsys, argv):
    folder = copy_sample(GENUINE, tmp_path)
    before = sorted(p.name for p in folder.iterdir())
    assert main([a.replace("{folder}", str(folder)) for a in argv]) == 2
    assert "holds a control character" in capsys.readouterr().err
    assert sorted(p.name for p in folder.iterdir()) == before  # no ledger written
