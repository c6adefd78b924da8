"""The bundled samples: made by the generator, valid, and telling the story they were built
for. Their golden results.json is regenerated with `make golden`."""

from __future__ import annotations

import coprod_eval as ce
from conftest import GENUINE, GOLDEN, INVOLVEMENT, PARTIAL, SAMPLE_NAMES, SAMPLES, checksums


def _evaluate(folder):
    evaluation = ce.load_evaluation(folder)
    return ce.evaluate(evaluation, ce.load_evidence(evaluation))


def test_generator_reproduces_the_committed_samples(tmp_path):
    import runpy
    import sys

    argv = sys.argv
    sys.argv = ["generate.py", str(tmp_path)]
    try:
        runpy.run_path(str(SAMPLES / "generate.py"), run_name="__main__")
    finally:
        sys.argv = argv
    for name in SAMPLE_NAMES:
        assert checksums(tmp_path / name) == checksums(SAMPLES / name), name


def test_genuine_project_claim_is_supported():
    result = _evaluate(SAMPLES / GENUINE)
    assert result.overall.claimed_level == "co_production"
    assert result.overall.evidenced_level == "co_production"
    assert result.overall.claim_verdict == "supported" and result.overall.claim_supported
    assert all(p.rating in ("developing", "embedded") for p in result.principles)


def test_involvement_presented_as_coproduction_is_not_supported():
    result = _evaluate(SAMPLES / INVOLVEMENT)
    assert result.overall.claimed_level == "co_production"
    assert result.overall.claim_supported is False
    # staff rate the work highly; community partners do not, and the records agree
    for p in result.principles:
        assert p.groups["staff"].pct_agree >= 65
        comparison = p.comparisons[0]
        assert comparison.finding and comparison.effect_size < 0  # partners score lower
        assert p.rating in ("not_evident", "emerging")
        assert p.confidence == "high"
    assert result.overall.partners_joined_stage == "delivery"


def test_partial_evidence_gives_low_confidence_and_names_missing_streams():
    result = _evaluate(SAMPLES / PARTIAL)
    assert {p.confidence for p in result.principles} == {"low"}
    missing = sorted(n for n, s in result.evidence.items() if not s["present"])
    assert missing == ["attendance", "decisions", "qualitative", "resources"]
    assert result.overall.claim_supported is False
    from coprod_eval.report import report_html

    html = report_html(result)
    assert ("Not available: meeting attendance records; decision log; payment, expenses and "
            "training records; and coded interview excerpts") in html


def test_golden_results_are_current():
    for name in SAMPLE_NAMES:
        expected = (GOLDEN / f"{name}.results.json").read_text()
        assert _evaluate(SAMPLES / name).to_json() == expected, (
            f"{name}: results changed; if intended, run `make golden` and review the diff")
