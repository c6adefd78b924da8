"""Adding a framework, a ladder or a group is a data change: a new framework, a new ladder
and a third group are written into a temporary folder and evaluated end to end by the
command a user runs, with no change to coprod-eval's code."""

from __future__ import annotations

import csv
import json
import random
import subprocess
import sys
import textwrap

import pytest

import coprod_eval as ce
from coprod_eval.base.errors import InvalidInputError
from coprod_eval.runs.folder import completed_runs

FRAMEWORK = """\
id: kitchen_table
version: "0.1.0"
name: Kitchen-table principles
source: Written for this test.
instrument: kitchen_survey
default_ladder: ladders/three_rungs.yaml
rating_scale:
  - {id: absent, label: Absent, colour: "#D55E00", meaning: Not seen.}
  - {id: partial, label: Partial, colour: "#E69F00", meaning: Seen sometimes.}
  - {id: usual, label: Usual, colour: "#009E73", meaning: The usual way of working.}
stages:
  - {id: start, name: Start}
  - {id: middle, name: Middle}
  - {id: end, name: End}
stage_rule: {stages: [middle, end], design_stage: start}
confidence:
  min_rows: {qualitative: 4}
  high: {streams: 3, agree_within: 1}
  medium: {streams: 2, agree_within: 1}
default_indicators:
  - id: partner_agreement
    stream: survey
    measure: pct_agree
    group: partner
    direction: higher_is_better
    unit: "%"
    label: Partners who agree
    thresholds: {partial: 40, usual: 70}
rubric: {combine: minimum, no_evidence: absent}
principles:
  - id: listening
    name: Listening
    meaning: People are heard before anything is decided.
    items: [L1, L2]
  - id: sharing
    name: Sharing
    meaning: Money and decisions are shared.
    items: [S1, S2]
"""

INSTRUMENT = """\
id: kitchen_survey
version: "0.1.0"
name: Kitchen-table survey
scale:
  codes:
    - {code: 1, label: "No"}
    - {code: 2, label: Sometimes}
    - {code: 3, label: "Yes"}
  agree: [3]
  missing: ["Not sure"]
items:
  - {id: L1, staff: We listen first., partner: I am listened to first.}
  - {id: L2, staff: We act on what we hear., partner: What I say is acted on.}
  - {id: S1, staff: We share the budget., partner: The budget is shared with me.}
  - {id: S2, reverse: true, staff: We decide alone., partner: Staff decide alone.}
"""

LADDER = """\
id: three_rungs
version: "0.1.0"
name: Three-rung ladder
prose_names: quoted
levels:
  - {id: told, name: Told, band: Doing to, meaning: People are told.}
  - {id: asked, name: Asked, band: Doing for, meaning: People are asked.}
  - {id: sharing_power, name: Sharing power, band: Doing with, meaning: Power is shared.}
level_rules:
  - {level: sharing_power, all_at_least: usual}
  - level: asked
    at_least: {rating: partial, share: 1/2}
  - level: told
"""

EVALUATION = """\
schema_version: 1
project: {name: Kitchen Table Project, organisation: Test Trust, evaluator: Test evaluator}
framework: frameworks/kitchen.yaml
claimed_level: sharing_power
groups:
  staff: {code: staff, label: Staff}
  tenant: {code: tenant, label: Tenants, side: partner}
  neighbour: {code: neighbour, label: Neighbours, side: partner}
evidence:
  survey: {file: evidence/survey.csv, instrument: instrument/kitchen_survey.yaml}
privacy: {min_group_size: 8}
analysis: {seed: 7, permutations: 2000}
"""


def write_folder(root, evaluation=EVALUATION):
    for path, text in {"frameworks/kitchen.yaml": FRAMEWORK,
                       "ladders/three_rungs.yaml": LADDER,
                       "instrument/kitchen_survey.yaml": INSTRUMENT,
                       "evaluation.yaml": evaluation}.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    (root / "evidence").mkdir(exist_ok=True)
    rng = random.Random(3)
    agree = {"staff": 0.85, "tenant": 0.8, "neighbour": 0.35}
    with open(root / "evidence" / "survey.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["respondent_id", "group", "item_id", "response"])
        for group, prefix, people in (("staff", "S", 20), ("tenant", "T", 20),
                                      ("neighbour", "N", 16)):
            for k in range(people):
                for item in ("L1", "L2", "S1", "S2"):
                    good = rng.random() < agree[group]
                    code = 3 if good else rng.choice([1, 2])
                    if item == "S2":  # reverse-worded: a good experience disagrees
                        code = 4 - code
                    writer.writerow([f"{prefix}{k:03d}", group, item, str(code)])
    return root


def test_a_new_framework_ladder_and_third_group_run_end_to_end(tmp_path):
    folder = write_folder(tmp_path / "kitchen")
    done = subprocess.run([sys.executable, "-m", "coprod_eval", "run", str(folder),
                           "--no-progress"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    (run,) = completed_runs(folder)
    result = json.loads((run / "results.json").read_text())
    assert result["framework"]["id"] == "kitchen_table"
    assert result["framework"]["ladder"]["id"] == "three_rungs"
    assert [lv["id"] for lv in result["framework"]["ladder"]["levels"]] == [
        "told", "asked", "sharing_power"]
    assert [g["id"] for g in result["groups"]] == ["staff", "tenant", "neighbour"]
    for principle in result["principles"]:
        assert set(principle["groups"]) == {"staff", "tenant", "neighbour"}
        assert [(c["group"], c["reference"]) for c in principle["comparisons"]] == [
            ("tenant", "staff"), ("neighbour", "staff")]
        assert principle["rating"] in ("absent", "partial", "usual")
    # neighbours agree far less than staff: an inconvenient truth about them, by name
    truths = [t for t in result["overall"]["inconvenient_truths"]
              if t["kind"] == "groups_see_differently"]
    assert [t["facts"]["group"] for t in truths] == ["neighbour"], truths
    assert "Neighbours experience" in (run / "report.html").read_text()
    report = (run / "report.html").read_text()
    for words in ("Kitchen-table principles", "Three-rung ladder", "Tenants", "Neighbours",
                  "“Sharing power”"):
        assert words in report, words
    manifest = json.loads((run / "manifest.json").read_text())
    assert "ladders/three_rungs.yaml" in [entry["path"] for entry in manifest["inputs"]]


def test_a_claimed_level_is_checked_against_the_chosen_ladder(tmp_path):
    folder = write_folder(tmp_path / "kitchen",
                          EVALUATION.replace("claimed_level: sharing_power",
                                             "claimed_level: co_production"))
    with pytest.raises(InvalidInputError) as info:
        ce.load_evaluation(folder)
    (problem,) = info.value.problems
    assert str(problem).endswith("'co_production' is not a level of the ladder 'three_rungs' "
                                 "— use one of: told, asked, sharing_power")


@pytest.mark.parametrize("change, message", [
    ("reference_group: nobody\n", "'nobody' is not one of the groups — use one of: staff, "
                                  "tenant, neighbour"),
    ("", None),
])
def test_the_reference_group_is_one_of_the_groups(tmp_path, change, message):
    folder = write_folder(tmp_path / "kitchen", EVALUATION + change)
    if message is None:
        assert ce.load_evaluation(folder).reference_group == "staff"
        return
    with pytest.raises(InvalidInputError) as info:
        ce.load_evaluation(folder)
    assert str(info.value.problems[0]).endswith(message)


def test_two_staff_groups_need_a_named_reference(tmp_path):
    two_staff = EVALUATION.replace(
        "  neighbour: {code: neighbour, label: Neighbours, side: partner}",
        "  neighbour: {code: neighbour, label: Neighbours, side: partner}\n"
        "  managers: {code: manager, label: Managers, side: staff}")
    folder = write_folder(tmp_path / "kitchen", two_staff)
    with pytest.raises(InvalidInputError) as info:
        ce.load_evaluation(folder)
    assert "with 4 groups, the group the others are compared with must be named" in str(
        info.value.problems[0])
    folder.joinpath("evaluation.yaml").write_text(two_staff + "reference_group: managers\n")
    evaluation = ce.load_evaluation(folder)
    assert evaluation.compared == (("staff", "managers"), ("tenant", "managers"),
                                   ("neighbour", "managers"))


def test_every_built_in_framework_loads_with_its_own_instrument_and_ladder():
    from coprod_eval.yardsticks.framework import FRAMEWORKS_DIR, builtin_frameworks, load_framework
    from coprod_eval.yardsticks.instrument import builtin_instrument_path, load_instrument

    for framework_id in builtin_frameworks():
        framework = load_framework(framework_id)
        instrument = load_instrument(builtin_instrument_path(framework.instrument))
        used = {item for p in framework.principles for item in p.items}
        assert used == set(instrument.item_ids), framework_id  # every item evidences something
        assert all(p.items for p in framework.principles), framework_id
        text = (FRAMEWORKS_DIR / f"{framework_id}.yaml").read_text()
        assert "operationalisation" in text or framework_id == "nesta_nef_six", textwrap.shorten(
            text, 80)
