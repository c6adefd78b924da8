"""Who is in the room (issue 16, part 6): partners in aggregate beside the population the
service is for; small categories merged, never shown; under-represented groups an
inconvenient truth; nothing recoverable from what is published."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from test_rounds import ROUND_1, cli, runs

from coprod_eval.room import MERGED, room

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


def test_small_categories_are_merged_and_nothing_small_is_published():
    for seed_counts in ({"a": 1, "b": 2, "c": 40}, {"a": 7, "b": 9, "c": 0, "d": 15},
                        {"a": 3, "b": 3, "c": 3, "d": 3}):
        population = {k: 1 / len(seed_counts) for k in seed_counts}
        found = room({"x": {"partners": seed_counts, "population": population}},
                     min_n=8, round_to=5)
        rows = found["characteristics"][0]["categories"]
        for row in rows:
            n = sum(seed_counts[c] for c in row["merged"]) if row["merged"] \
                else seed_counts[row["category"]]
            assert n == 0 or n >= 8, row  # no shown category holds 1-7 partners
            assert row["partners"] is None or row["partners"] % 5 == 0
        shown = {c for row in rows for c in (row["merged"] or [row["category"]])}
        assert shown == set(seed_counts)  # every category accounted for, none dropped
    tiny = room({"x": {"partners": {"a": 3, "b": 2}, "population": {"a": .5, "b": .5}}},
                min_n=8, round_to=5)
    assert tiny["characteristics"][0] == {"characteristic": "x", "partners_total": None,
                                          "categories": []}


def test_under_represented_groups_are_an_inconvenient_truth(folder):
    (folder / "evaluation.yaml").write_text((folder / "evaluation.yaml").read_text() + PROFILE)
    done = cli("run", folder, "--no-progress")
    assert done.returncode == 0, done.stdout + done.stderr
    run = runs(folder)[-1]
    results = json.loads((run / "results.json").read_text())
    age, carer = results["room"]["characteristics"]
    # 3 partners aged 85+: merged with the smallest other category, never shown alone
    merged = next(r for r in age["categories"] if r["category"] == MERGED)
    assert merged["merged"] == ["18-34", "85+"] and merged["partners"] == 10
    assert "85+" not in [r["category"] for r in age["categories"]]
    yes = next(r for r in carer["categories"] if r["category"] == "yes")
    # shares from rounded counts: 12 carers of 60 partners shown as 10 of 60
    assert (yes["partners"], yes["share"], yes["under_represented"]) == (10, 16.7, True)
    assert not next(r for r in age["categories"] if r["category"] == "65+")["under_represented"]
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
