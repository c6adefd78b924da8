"""Record streams (attendance, decisions, stages, resources, qualitative, self-assessment):
validation messages, measures on hand-made tables, confidence, overrides, stages and the
ranking of inconvenient truths."""

from __future__ import annotations

import json

import pytest
from conftest import GENUINE, INVOLVEMENT, SAMPLES, approve_quotes, copy_sample

import coprod_eval as ce
from coprod_eval.render.words.principles import explanation
from coprod_eval.render.words.truths import truth_text

HEADERS = {
    "attendance": "meeting_id,date,meeting_type,attendee,role",
    "decisions": ("decision_id,date,forum,proposed_by,decided_by,partner_proposal_adopted,"
                  "feedback_given,outside_joint_forum"),
    "stages": "stage,level,claimed_level,partners_joined",
    "resources": "partner,offered_payment,paid,days_late,out_of_pocket,training_offered",
    "qualitative": "excerpt_id,source,principle,code,coder,excerpt,consent_to_quote",
    "self_assessment": "principle,claimed_rating",
}


def write(folder, stream, *rows):
    (folder / "evidence" / f"{stream}.csv").write_text(
        HEADERS[stream] + "\n" + "".join(r + "\n" for r in rows))


def problems(folder):
    return [str(p) for p in ce.validate(folder)]


def evaluate(folder):
    evaluation = ce.load_evaluation(folder)
    return ce.evaluate(evaluation, ce.load_evidence(evaluation))


@pytest.mark.parametrize("stream, row, expected", [
    ("attendance", "M1,2026-13-01,decision_making,P1,partner",
     "evidence/attendance.csv:2:date: '2026-13-01' is not a date in the form YYYY-MM-DD — "
     "write dates as year-month-day, e.g. 2026-03-31"),
    ("attendance", "M1,2026-01-01,board,P1,partner",
     "evidence/attendance.csv:2:meeting_type: 'board' is not an allowed value for "
     "meeting_type — use one of: decision_making, consultative, delivery"),
    ("attendance", "M1,2026-01-01,consultative,P1,carer",
     "evidence/attendance.csv:2:role: 'carer' is not an allowed value for role — use one of: "
     "staff, partner"),
    ("decisions", "D1,2026-01-01,Steering group,staff,jointly,,maybe,no",
     "evidence/decisions.csv:2:feedback_given: 'maybe' is not yes or no — write yes or no"),
    ("stages", "design,co-production,,no",
     "evidence/stages.csv:2:level: 'co-production' is not an allowed value for level — use "
     "one of: coercion, educating, informing, consultation, engagement, co_design, "
     "co_production"),
    ("stages", "build,co_design,,no",
     "evidence/stages.csv:2:stage: 'build' is not an allowed value for stage — use one of: "
     "problem_definition, commissioning, design, delivery, evaluation"),
    ("resources", "P1,yes,yes,-3,no,yes",
     "evidence/resources.csv:2:days_late: '-3' is not a number of zero or more — write a "
     "number such as 0, 3 or 12.5"),
    ("qualitative", "E1,interview,trust,supports,a,It was good,yes",
     "evidence/qualitative.csv:2:principle: 'trust' is not an allowed value for principle — "
     "use one of: assets, capabilities, reciprocity, networks, blurring, catalysts"),
    ("qualitative", "E1,interview,assets,supports,a,,yes",
     "evidence/qualitative.csv:2:excerpt: excerpt is blank — fill in excerpt: the excerpt's "
     "words (de-identified before any report)"),
    ("self_assessment", "assets,excellent",
     "evidence/self_assessment.csv:2:claimed_rating: 'excellent' is not an allowed value for "
     "claimed_rating — use one of: not_evident, emerging, developing, embedded"),
])
def test_each_stream_names_file_row_column(genuine, stream, row, expected):
    write(genuine, stream, row)
    assert problems(genuine) == [expected]


def test_duplicates_missing_columns_and_empty_tables_across_streams(genuine):
    write(genuine, "decisions", "D1,2026-01-01,SG,staff,jointly,,yes,no",
          "D1,2026-01-02,SG,staff,jointly,,yes,no")
    (genuine / "evidence" / "stages.csv").write_text("stage,level\ndesign,co_design\n")
    write(genuine, "resources")
    assert problems(genuine) == [
        "evidence/decisions.csv:3:decision_id: 'D1' appears more than once in decision_id — "
        "give each row its own decision_id",
        "evidence/resources.csv:2:-: the file has a header but no rows — add the resources "
        "records below the header, or remove the resources entry from evaluation.yaml if you "
        "have none",
        "evidence/stages.csv:1:claimed_level: required column 'claimed_level' is missing — add "
        "it; the stages header is: stage,level,claimed_level,partners_joined",
        "evidence/stages.csv:1:partners_joined: required column 'partners_joined' is missing — "
        "add it; the stages header is: stage,level,claimed_level,partners_joined",
    ]


def test_measures_on_hand_made_records(genuine):
    write(genuine, "attendance",
          "M1,2026-01-01,decision_making,P1,partner", "M1,2026-01-01,decision_making,S1,staff",
          "M2,2026-01-08,decision_making,S1,staff",
          "M3,2026-01-15,consultative,P1,partner", "M3,2026-01-15,consultative,P2,partner",
          "M3,2026-01-15,consultative,P3,partner",
          "M4,2026-01-22,decision_making,S2,staff", "M5,2026-01-29,delivery,P2,partner")
    write(genuine, "decisions",
          "D1,2026-01-01,SG,partner,jointly,yes,yes,no",
          "D2,2026-01-02,SG,partner,staff_only,no,no,yes",
          "D3,2026-01-03,SG,staff,staff_only,,yes,yes",
          "D4,2026-01-04,SG,partner,partners,yes,yes,no",
          "D5,2026-01-05,SG,staff,jointly,,no,no")
    write(genuine, "resources", "P1,yes,yes,0,no,yes", "P2,yes,yes,14,yes,no",
          "P3,yes,no,,no,no", "P4,no,no,,yes,yes")
    write(genuine, "qualitative",
          "E1,interview,networks,supports,a,x,yes", "E1,interview,networks,contradicts,b,x,yes",
          "E2,interview,networks,contradicts,a,y,yes", "E3,document,networks,supports,a,z,yes",
          "E4,focus_group,networks,supports,a,w,yes", "E5,interview,assets,contradicts,a,v,yes")
    # so few records that most figures would be withheld or not assessed: the measures
    # themselves are checked here (what is published is checked in test_privacy)
    from coprod_eval.yardsticks.measures import MEASURES, PrincipleEvidence

    evaluation = ce.load_evaluation(genuine)
    evidence = ce.load_evidence(evaluation)

    def value(principle, indicator):
        p = evaluation.framework.principle(principle)
        ind = next(i for i in p.indicators if i.id == indicator)
        context = PrincipleEvidence(p, evidence, {}, None, (4, 5), {})
        measured = MEASURES[ind.measure](context, ind)
        return round(measured.value, 1)

    # hand counts from the rows above
    assert value("blurring", "decision_meetings_with_partners") == round(100 * 1 / 3, 1)
    assert value("networks", "partners_per_meeting") == 1.0  # meetings: 1, 0, 3, 0, 1
    assert value("blurring", "joint_decisions") == 60.0  # D1, D4 (partners), D5
    assert value("catalysts", "partner_proposals_adopted") == round(100 * 2 / 3, 1)
    assert value("catalysts", "decided_outside_forum") == 40.0
    assert value("reciprocity", "feedback_given") == round(100 * 2 / 3, 1)  # partner proposals
    assert value("reciprocity", "paid_on_time") == round(100 * 1 / 3, 1)  # of 3 offered
    assert value("reciprocity", "out_of_pocket") == 50.0
    assert value("assets", "partners_offered_payment") == 75.0
    assert value("capabilities", "partners_offered_training") == 50.0
    assert value("networks", "excerpts_supporting") == 75.0  # first coder: E1 supports
    assert value("catalysts", "budget_joint_control") == round(100 * 110000 / 240000, 1)
    # and what a report may show of them: too few records to rate, or the organisation's
    # conduct towards so few partners in words, rated on the exact share
    result = evaluate(genuine)
    shown = {i.id: i for p in result.principles for i in p.evidence}
    assert shown["decision_meetings_with_partners"].status == "too_few_records"
    assert explanation(result, shown["decision_meetings_with_partners"]).startswith(
        "Not known: it rests on 3 meetings, fewer than the 5 the framework needs. It counts "
        "as unknown")
    paid = shown["paid_on_time"]  # 1 of the 3 offered payment: a few, under 40%
    assert (paid.status, paid.value, paid.band_word) == ("assessed", None, "few")
    assert paid.band[0] <= 100 * 1 / 3 < paid.band[1] <= 40


def test_confidence_follows_the_streams(genuine):
    # three streams agree on every principle: high, unless the evidence allows more than
    # one rating (then at most medium)
    for p in evaluate(genuine).principles:
        assert p.confidence == ("medium" if p.borderline else "high"), p.id
    partial = evaluate(SAMPLES / "partial-evidence")
    assert {p.confidence for p in partial.principles} == {"low"}
    config = genuine / "evaluation.yaml"
    text = config.read_text()
    for stream in ("attendance", "decisions", "resources"):  # leave survey + qualitative
        text = text.replace(f"  {stream}:", f"  # {stream}:").replace(
            f"    file: evidence/{stream}.csv", f"    # file: evidence/{stream}.csv")
    text = text.replace("    budget_total:", "    # budget_total:").replace(
        "    budget_joint_control:", "    # budget_joint_control:")
    config.write_text(text)
    result = evaluate(genuine)
    assert result.evidence["resources"] == {"present": False}
    assert {p.confidence for p in result.principles} == {"medium"}
    paid = next(i for i in result.by_principle["reciprocity"].evidence if i.id == "paid_on_time")
    assert paid.rating is None and paid.status == "not_supplied"
    assert explanation(result, paid) == (
        "Not assessed: the project supplied no payment, expenses and training records.")


def test_override_keeps_the_computed_rating_and_reason(genuine, tmp_path):
    config = genuine / "evaluation.yaml"
    config.write_text(config.read_text().replace("overrides: {}", (
        "overrides:\n  networks:\n    rating: embedded\n    reason: Peer groups now meet "
        "weekly without staff; the survey predates them.")))
    result = evaluate(genuine)
    networks = result.by_principle["networks"]
    config.write_text(config.read_text().replace("rating: embedded", "rating: emerging"))
    result = evaluate(genuine)
    networks = result.by_principle["networks"]
    assert networks.rating == "emerging" and networks.computed_rating == "embedded"
    assert networks.rating_range == ("emerging", "emerging")  # the evaluator's judgement
    assert networks.override["reason"].startswith("Peer groups now meet weekly")
    data = json.loads(result.to_json())
    entry = next(p for p in data["principles"] if p["id"] == "networks")
    assert entry["override"] == {"rating": "emerging", "reason": networks.override["reason"]}
    from coprod_eval.render.report import report_html
    html = report_html(result)
    assert "The evaluator rated this principle Emerging, where the rules give Embedded" in html
    assert "Peer groups now meet weekly without staff" in html


def test_override_of_unknown_principle_is_an_input_error(genuine):
    config = genuine / "evaluation.yaml"
    config.write_text(config.read_text().replace("overrides: {}", (
        "overrides:\n  trust:\n    rating: embedded\n    reason: Because I say so, firmly.")))
    (message,) = problems(genuine)
    assert ":overrides.trust: 'trust' is not a principle of the framework — use one of:" in message


def test_inconvenient_truths_ranked_most_serious_first():
    result = evaluate(SAMPLES / INVOLVEMENT)
    truths = result.overall.inconvenient_truths
    assert [t["rank"] for t in truths] == list(range(1, len(truths) + 1))
    texts = [truth_text(result, t) for t in truths]
    assert texts[0].startswith("The project claims Co-production; even at the generous end of "
                               "the evidence's uncertainty it shows no more than Consultation")
    assert texts[1].startswith("The project's self-assessment rates 6 of 6 principles higher")
    assert texts[2] == ("Community partners joined at the delivery stage, after the design was "
                        "fixed.")
    assert any(t.startswith("Partners offered payment were not paid, or were paid late")
               for t in texts)
    assert any(t.startswith("Decisions were taken outside the joint forum") for t in texts)
    gap = next(truth_text(result, t) for t in truths if t["kind"] == "groups_see_differently")
    assert gap.startswith("Community partners experience 6 principles as less practised than "
                          "staff do, beyond chance")
    kinds = [t["kind"] for t in truths]
    assert kinds[:3] == ["claim_not_supported", "self_assessment_overstated",
                         "partners_joined_late"]
    assert "stage_claims_overstated" in kinds
    for t in truths:
        assert t["evidence"] and (t["principle"] is None or t["principle"] in result.by_principle)
        assert all(" " not in e for e in t["evidence"])  # codes; the words say them


def test_stages_cap_the_overall_level(genuine):
    write(genuine, "stages", "problem_definition,co_production,co_production,yes",
          "design,co_production,co_production,no", "delivery,consultation,co_production,no",
          "evaluation,co_production,co_production,no")
    result = evaluate(genuine)
    assert result.overall.principle_level == "co_production"
    assert result.overall.stage_level == "consultation"
    assert result.overall.evidenced_level == "consultation"
    assert result.overall.claim_verdict == "not_supported"
    commissioning = next(s for s in result.overall.stages if s["stage"] == "commissioning")
    assert commissioning["evidenced_level"] is None


def test_quotes_are_de_identified_everywhere(tmp_path):
    folder = copy_sample(GENUINE, tmp_path)
    write(folder, "qualitative",
          "E1,interview,assets,supports,a,Write to jo.bloggs@example.org or call 07700 900123,yes",
          "E2,interview,assets,supports,a,NHS 943-476-5919 and 9434765919 at ab12cd,yes",
          "E3,interview,assets,contradicts,a,see https://x.example/jo?mail=jo@example.org,yes",
          "E4,interview,assets,contradicts,a,jo.bloggs@example.org again,yes")
    approve_quotes(folder)
    result = evaluate(folder)
    quotes = [q["text"] for q in result.by_principle["assets"].quotes]
    assert quotes == ["Write to [email 1] or call [phone 1]",
                      "NHS [NHS number 1] and [NHS number 1] at [postcode 1]",
                      "see [link 1]", "[email 1] again"]
    text = result.to_json()
    for secret in ("jo.bloggs", "07700", "943", "ab12cd", "x.example"):
        assert secret not in text
