"""results.json of the last release (schema 3.2.0, frozen copies in golden/released/) is
read as today's facts: the app, a later round and the portfolio can still use a run made
before the upgrade, and its words are what that release wrote or the same rules restated."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from coprod_eval.render.report import report_html, summary_html
from coprod_eval.render.words.truths import truth_text
from coprod_eval.render.words.verdict import level_rule
from coprod_eval.results import SCHEMA_VERSION, EvaluationResult

RELEASED = sorted((Path(__file__).parent / "golden" / "released").glob("*/*.results.json"))


def plain(text: str) -> str:
    return re.sub(r"[‘’']", "'", text).rstrip(".")


@pytest.mark.parametrize("path", RELEASED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_released_result_reads_as_todays_facts(path):
    old = json.loads(path.read_text())
    assert old["schema_version"].startswith("3.")
    result = EvaluationResult.read(path)
    assert result.schema_version == SCHEMA_VERSION
    # the ladder's rules are the same rules: restated, they read as the release wrote them
    restated = [plain(level_rule(result, rule)) for rule in result.framework["level_rules"]]
    assert restated == [plain(text) for text in old["framework"]["level_rules"]]
    assert plain(old["overall"]["rule"]).startswith(
        restated[result.overall.rule].split(":")[0])
    # what no fact can give back is kept in the release's own words
    assert [truth_text(result, t) for t in result.overall.inconvenient_truths] == [
        t["text"] for t in old["overall"]["inconvenient_truths"]]
    # every rating, verdict and figure is as the release published it
    assert [p.rating for p in result.principles] == [p["rating"] for p in old["principles"]]
    assert result.overall.claim_verdict == old["overall"]["claim_verdict"]
    for p, was in zip(result.principles, old["principles"]):
        assert [i.value for i in p.evidence] == [i["value"] for i in was["evidence"]]
    html = report_html(result)
    assert old["project"]["name"] in html and summary_html(result)
    for t in old["overall"]["inconvenient_truths"]:
        assert t["text"].split(".")[0].replace("'", "&#39;") in html
