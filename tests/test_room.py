"""Who is in the room (issue 16, part 6): partners in aggregate beside the population the
service is for; small categories merged, never shown; under-represented groups an
inconvenient truth; nothing recoverable from what is published."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from test_rounds import ROUND_1, cli, runs

from coprod_eval.compute.room import room

PROFILE = """who_is_in_the_room:
  age_band:
    partners: {"18-34": 8, "35-64": 40, "65+": 9, "85+": 3}
    population: {"18-34": 0.30, "35-64": 0.40, "65+": 0.25, "85+": 0.05}
  carer:
    partners: {"yes": 12, "no": 48}
    population: {"yes": 0.5, "no": 0.5}
"""


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "ev"
    shutil.copytree(ROUND_1, target, ignore=shutil.ignore_patterns("runs"))
    return target


def _shown_count(counts, row) -> int:
    return sum(counts[c] for c in row["categories"])


def test_small_categories_are_merged_and_nothing_small_is_published():
    for counts in ({"a": 1, "b": 2, "c": 40}, {"a": 7, "b": 9, "c": 0, "d": 15},
                   {"a": 3, "b": 3, "c": 3, "d": 3}, {"a": 12, "b": 1, "c": 1, "d": 1}):
        population = {k: 1 / len(counts) for k in counts}
        found = room({"x": {"partners": counts, "population": population}},
                     min_n=8, round_to=5)["characteristics"][0]
        rows = found["rows"]
        shown = {c for row in rows for c in row["categories"]}
        assert shown == set(counts)  # every category accounted for, none dropped
        for row in rows:
            # a merged row never mixes categories below their population share with ones
            # at or above it
            sides = {"below" if counts[c] / sum(counts.values()) < population[c]
                     else "at_or_above" for c in row["categories"]}
            assert sides == {row["side"]}
            if row["partners"] is not None:
                n = _shown_count(counts, row)
                assert n == 0 or n >= 8, row  # no shown count holds 1-7 partners
                assert row["partners"] % 5 == 0
        if any(0 < _shown_count(counts, row) < 8 for row in rows):
            # a small side: no count of the characteristic at all (the rest would give it)
            assert found["counts_withheld"] == "small_side"
            assert found["partners_total"] is None
            assert all(row["partners"] is None and row["share"] is None for row in rows)
    tiny = room({"x": {"partners": {"a": 3, "b": 2}, "population": {"a": .5, "b": .5}}},
                min_n=8, round_to=5)["characteristics"][0]
    assert tiny["counts_withheld"] == "too_few_partners" and tiny["partners_total"] is None
    assert all(row["partners"] is None for row in tiny["rows"])


def test_missing_young_adults_are_named_not_merged_away():
    """The issue's two cases: a missing group merged with the groups that are present hid
    the finding. Merging now keeps each side apart, and under-representation is judged on
    each category's exact count."""
    ethnicity = room({"ethnicity": {
        "partners": {"White British": 12, "Asian": 1, "Black": 1, "Mixed": 1, "Other": 0},
        "population": {"White British": 0.62, "Asian": 0.18, "Black": 0.10, "Mixed": 0.07,
                       "Other": 0.03}}}, min_n=8, round_to=5)["characteristics"][0]
    # 15 partners: each missing group is below its share, but not beyond noise; none is
    # merged with White British, and the three below their share are too few to count
    sides = {c: row["side"] for row in ethnicity["rows"] for c in row["categories"]}
    assert sides["White British"] == "at_or_above"
    assert {sides[c] for c in ("Asian", "Black", "Mixed", "Other")} == {"below"}
    assert not any(row["under_represented"] for row in ethnicity["rows"])
    assert ethnicity["counts_withheld"] == "small_side"  # 3 partners below: no count shown
    age = room({"age_band": {
        "partners": {"18-34": 3, "35-64": 25, "65+": 12},
        "population": {"18-34": 0.35, "35-64": 0.45, "65+": 0.20}}},
        min_n=8, round_to=5)["characteristics"][0]
    assert any("18-34" in row["under_represented"] for row in age["rows"])
    for row in age["rows"]:  # 18-34 is never merged with the over-represented 65+
        assert not {"18-34", "65+"} <= set(row["categories"])


def test_under_represented_groups_are_an_inconvenient_truth(folder):
    (folder / "evaluation.yaml").write_text((folder / "evaluation.yaml").read_text() + PROFILE)
    done = cli("run", folder, "--no-progress")
    assert done.returncode == 0, done.stdout + done.stderr
    run = runs(folder)[-1]
    results = json.loads((run / "results.json").read_text())
    age, carer = results["room"]["characteristics"]
    # 3 partners aged 85+ (their population share or more): merged with the smallest other
    # category on the same side, never shown alone, never with one below its share
    merged = next(r for r in age["rows"] if "85+" in r["categories"])
    assert merged["categories"] == ["35-64", "85+"] and merged["partners"] == 45
    assert merged["side"] == "at_or_above"
    yes = next(r for r in carer["rows"] if r["categories"] == ["yes"])
    # shares from rounded counts: 12 carers of 60 partners shown as 10 of 60
    assert (yes["partners"], yes["share"], yes["under_represented"]) == (10, 16.7, ["yes"])
    assert not next(r for r in age["rows"] if r["categories"] == ["65+"])["under_represented"]
    truths = [t for t in results["overall"]["inconvenient_truths"]
              if t["kind"] == "under_represented"]
    assert len(truths) == 1
    text = " ".join(re.sub(r"<[^>]+>", " ", (run / "report.html").read_text()).split())
    assert "Who is in the room, and who is missing" in text
    assert "under-represented" in text
    summary = (run / "summary.html").read_text()
    assert "Some of the people the service is for were not in the room." in summary
    audited = cli("audit", run)
    assert audited.returncode == 0, audited.stdout


def test_a_profile_that_does_not_add_up_is_refused(folder):
    bad = PROFILE.replace('"85+": 0.05', '"85+": 0.25').replace('"no": 48', '"no": 48, "maybe": 1')
    (folder / "evaluation.yaml").write_text((folder / "evaluation.yaml").read_text() + bad)
    done = cli("validate", folder)
    assert done.returncode == 1
    assert "the population shares add up to 1.20, not 1" in done.stdout
    assert "['maybe'] have no share of the population" in done.stdout
