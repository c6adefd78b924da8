"""results.json: schema, round trip, and nothing in it that would break byte-for-byte
comparison or identify anyone."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
from conftest import GOLDEN

import coprod_eval as ce
from coprod_eval.base.paths import results_schema_path
from coprod_eval.yardsticks.framework import builtin_frameworks


@pytest.fixture(params=sorted(GOLDEN.glob("*.results.json")), ids=lambda p: p.name)
def golden(request):
    return request.param


def test_golden_results_validate_against_the_schema(golden):
    schema = json.loads(results_schema_path().read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(json.loads(golden.read_text()), schema)


def test_round_trip_is_byte_identical(golden, tmp_path):
    result = ce.EvaluationResult.read(golden)
    assert result.write(tmp_path / "again.json").read_text() == golden.read_text()


def test_result_is_frozen_with_named_accessors(golden):
    result = ce.EvaluationResult.read(golden)
    with pytest.raises(AttributeError):
        result.overall = None
    assert set(result.by_principle) == {p.id for p in result.principles}
    first = result.principles[0].id
    assert result.comparisons[first] is result.by_principle[first].comparisons
    with pytest.raises(TypeError):
        result.by_principle[first].groups["staff"] = None


def test_result_pickles(golden):
    import pickle

    result = ce.EvaluationResult.read(golden)
    assert pickle.loads(pickle.dumps(result)).to_json() == result.to_json()


def test_required_keys_present(golden):
    data = json.loads(golden.read_text())
    assert data["schema_version"] and data["framework"]["id"] in builtin_frameworks()
    ratings = [r["id"] for r in data["framework"]["ratings"]]
    for p in data["principles"]:
        assert {"id", "name", "rating", "rating_range", "stable", "groups",
                "comparisons"} <= set(p)
        low, high = (ratings.index(x) for x in p["rating_range"])
        assert low <= ratings.index(p["rating"]) <= high
        for group in p["groups"].values():
            assert {"n", "median", "pct_agree", "ci"} <= set(group)
            if group["ci"] is not None:  # the share shown (a figure or a band) meets its CI
                low, high = ([group["pct_agree"]] * 2 if group["pct_agree"] is not None
                             else group["pct_agree_band"])
                assert group["ci"][0] <= high and low <= group["ci"][1]
    overall = data["overall"]
    assert {"evidenced_level", "level_range", "claimed_level", "claim_verdict",
            "claim_supported"} <= set(overall)
    assert overall["claim_supported"] is (overall["claim_verdict"] == "supported")


def test_no_timestamps_paths_or_respondent_ids(golden):
    text = golden.read_text()
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", text)
    assert "/work/" not in text and "/tmp/" not in text and "\\\\" not in text
    assert not re.search(r'"[SP]\d{3}"', text), "respondent ids must never reach results"


def test_schema_rejects_a_broken_result(golden):
    data = json.loads(golden.read_text())
    del data["principles"][0]["rating_range"]
    with pytest.raises(jsonschema.ValidationError):
        ce.EvaluationResult.from_dict(data)
