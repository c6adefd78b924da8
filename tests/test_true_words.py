"""Every sentence true to its facts (issue 23): each thing a reader was told that the exact
figures contradict, reproduced as a named test. The truth oracle (test_truth_oracle.py)
checks the same on generated projects."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import GENUINE, INVOLVEMENT, SAMPLES, SURVEY_ONLY, THREE_GROUPS, copy_sample

import coprod_eval as ce
from coprod_eval.render.report import report_html, summary_html
from coprod_eval.runs.artefacts import html_text

LABEL_CODES = {"strongly disagree": 1, "disagree": 2, "neither agree nor disagree": 3,
               "agree": 4, "strongly agree": 5}


def evaluate(folder: Path):
    evaluation = ce.load_evaluation(folder)
    return ce.evaluate(evaluation, ce.load_evidence(evaluation))


def exact_shares(folder: Path, items, instrument_reverse) -> dict[str, float]:
    """Each survey group's exact share of answers agreeing, from the raw CSV (independent of
    the package: labels and codes read here, reverse-worded items turned here)."""
    agree, total = {}, {}
    with open(folder / "evidence" / "survey.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["item_id"] not in items:
                continue
            answer = row["response"].strip().lower()
            code = int(answer) if answer.isdigit() else LABEL_CODES.get(answer)
            if code is None:
                continue
            if row["item_id"] in instrument_reverse:
                code = 6 - code
            total[row["group"]] = total.get(row["group"], 0) + 1
            agree[row["group"]] = agree.get(row["group"], 0) + (code >= 4)
    return {g: 100 * agree[g] / total[g] for g in total}


def shown(stats):
    """(value, band) of a group's published share."""
    return stats.pct_agree, stats.pct_agree_band


def above(a, b) -> bool:
    """Everything ``a`` may be lies above everything ``b`` may be."""
    low = a[0] if a[1] is None else a[1][0]
    high = b[0] if b[1] is None else b[1][1]
    return low > high or (low == high and b[1] is not None)


# --- 1. disclosure rounding never reverses which group agrees more -------------------------

def test_rounding_never_reverses_which_group_agrees_more():
    folder = SAMPLES / THREE_GROUPS
    evaluation = ce.load_evaluation(folder)
    result = evaluate(folder)
    codes = {g.id: g.code for g in evaluation.groups}
    reverse = {item.id for item in evaluation.instrument.items if item.reverse}
    html = report_html(result)
    checked = 0
    for p in result.principles:
        exact = exact_shares(folder, set(p.items), reverse)
        groups = [g for g in p.groups if not p.groups[g].suppressed]
        for a in groups:
            for b in groups:
                ea, eb = exact[codes[a]], exact[codes[b]]
                if ea >= eb:
                    continue
                checked += 1
                # the published ranks are the exact order
                assert p.groups[a].agree_rank < p.groups[b].agree_rank, (p.id, a, b)
                if above(shown(p.groups[a]), shown(p.groups[b])):  # shown the wrong way
                    note = (f"On the exact figures {result.group_label(a).lower()} agree less "
                            "often")
                    assert note in html, (p.id, a, b)
    assert checked >= 6
    # a small group's share is a band holding its exact share, never a rounded figure
    carers = [p.groups["carer"] for p in result.principles]
    for p, stats in zip(result.principles, carers):
        if stats.pct_agree_band:
            low, high = stats.pct_agree_band
            assert low <= exact_shares(folder, set(p.items), reverse)["carer"] <= high


def test_the_disagreement_map_never_reverses_an_order_unsaid():
    folder = SAMPLES / THREE_GROUPS
    evaluation = ce.load_evaluation(folder)
    result = evaluate(folder)
    codes = {g.id: g.code for g in evaluation.groups}
    reverse = {item.id for item in evaluation.instrument.items if item.reverse}
    for e in result.disagreement["entries"]:
        if not e["shown"]:
            continue
        mine = exact_shares(folder, {e["item"]}, reverse)[codes[e["group"]]]
        theirs = exact_shares(folder, {e["item"]}, reverse)[codes[e["reference"]]]
        assert e["agree_order"] == (mine > theirs) - (mine < theirs), e["item"]


# --- 2. a figure beside its threshold never contradicts its rating ---------------------------

def test_a_rounded_share_that_would_cross_its_threshold_is_shown_as_a_band():
    from coprod_eval.disclosure.privacy import band, crosses, rounded_share

    # 39 of 101 answers agree: 38.6%, below the 40% threshold; counts rounded to 5 give 40
    # of 100, on the threshold. The figure shown would meet a threshold the exact one misses.
    assert rounded_share(39, 101, 5) == 40.0 and crosses(40.0, 100 * 39 / 101, [40, 60, 80])
    assert band(100 * 39 / 101, [40, 60, 80]) == (30.0, 40.0)
    # in a report: every indicator shown as a figure sits on its rating's side
    for sample in (GENUINE, INVOLVEMENT, THREE_GROUPS, SURVEY_ONLY):
        result = evaluate(SAMPLES / sample)
        for p in result.principles:
            for i in p.evidence:
                if i.rating is None or (i.value is None and i.band is None):
                    continue
                thresholds = [(t["rating"], t["value"]) for t in i.thresholds]
                lower = i.direction == "lower_is_better"
                points = [i.value] if i.band is None else [i.band[0], i.band[1] - 1e-9] \
                    if not lower else [i.band[0] + 1e-9, i.band[1]]
                for value in points:
                    met = [r for r, t in thresholds if (value <= t if lower else value >= t)]
                    expected = met[-1] if met else result.framework["ratings"][0]["id"]
                    assert expected == i.rating or i.rounded, (sample, p.id, i.id, value)


# --- 3. a rating always lies inside its own range ---------------------------------------------

def test_a_rating_lies_inside_its_range_at_none_of_twelve(genuine):
    from coprod_eval.base.stats import wilson

    for n in (10, 11, 12, 13, 40):
        assert wilson(0, n)[0] == 0.0 and wilson(n, n)[1] == 1.0
    resources = genuine / "evidence" / "resources.csv"
    rows = resources.read_text().splitlines()
    resources.write_text("\n".join(rows[:13]) + "\n")  # 12 partners, none out of pocket
    result = evaluate(genuine)
    order = [r["id"] for r in result.framework["ratings"]]
    for p in result.principles:
        for i in p.evidence:
            if i.rating:
                low, high = (order.index(x) for x in i.rating_range)
                assert low <= order.index(i.rating) <= high, (p.id, i.id)


# --- 4. a withheld or thin indicator never lifts a rating, a level or a verdict --------------

def _bad_resources(folder: Path, rows: int) -> None:
    lines = ["partner,offered_payment,paid,days_late,out_of_pocket,training_offered"]
    lines += [f"P{k:03d},no,no,,yes,no" for k in range(rows)]
    (folder / "evidence" / "resources.csv").write_text("\n".join(lines) + "\n")


@pytest.mark.parametrize("rows", range(1, 7))
def test_fewer_records_of_a_bad_figure_never_give_a_better_verdict(genuine, rows):
    """The issue's case: genuine-coproduction with resources cut to a few unpaid, untrained
    partners. With too few records the payment indicators are unknown, never dropped: the
    principles they belong to are counted at the bottom, and the claim is never supported."""
    _bad_resources(genuine, rows)
    result = evaluate(genuine)
    assets = result.by_principle["assets"]
    payment = next(i for i in assets.evidence if i.id == "partners_offered_payment")
    assert payment.status not in ("not_supplied", "no_questions")  # never dropped
    if payment.rating is None:
        assert payment.rating_range == ("not_evident", "embedded")  # the whole scale
    assert assets.rating == "not_evident"  # at the bottom, whatever the payment figure is
    assert result.overall.claim_verdict != "supported"
    assert result.overall.evidenced_level != "co_production"
    assert assets.confidence != "high"


@pytest.mark.parametrize("people", range(11))
def test_fewer_people_never_give_a_better_rating(genuine, people):
    """0 to 10 community partners, each disagreeing with everything: the survey indicator is
    withheld, unknown or bottom-rated, never dropped, and never lifts a principle."""
    survey = genuine / "evidence" / "survey.csv"
    rows = list(csv.reader(survey.read_text().splitlines()))
    partners = list(dict.fromkeys(r[0] for r in rows[1:] if r[1] == "partner"))[:people]
    kept = [rows[0]] + [r[:3] + ["Strongly disagree"] if r[1] == "partner" else r
                        for r in rows[1:] if r[1] != "partner" or r[0] in partners]
    survey.write_text("\n".join(",".join(r) for r in kept) + "\n")
    result = evaluate(genuine)
    for p in result.principles:
        survey_indicator = next(i for i in p.evidence if i.stream == "survey")
        assert survey_indicator.status not in ("not_supplied",)
        if survey_indicator.rating is None:
            assert survey_indicator.rating_range == ("not_evident", "embedded")
        else:
            assert survey_indicator.rating == "not_evident"
        assert p.rating == "not_evident", (people, p.id)
    assert result.overall.claim_verdict != "supported"


def test_a_declared_budget_is_assessed_as_the_declaration_it_is():
    result = evaluate(SAMPLES / GENUINE)
    budget = next(i for p in result.principles for i in p.evidence
                  if i.measure == "pct_budget_joint_control")
    # £110,000 of £240,000 declared: assessed, not turned away as "one record"
    assert budget.status == "assessed" and budget.value == pytest.approx(45.8, abs=0.05)
    assert budget.rating == "embedded"


# --- 5. words no stronger than the numbers -----------------------------------------------------

@pytest.mark.parametrize("sample", [INVOLVEMENT, SURVEY_ONLY, "partial-evidence",
                                    "own-questionnaire", GENUINE, THREE_GROUPS])
def test_words_are_never_stronger_than_the_confidence(sample):
    result = evaluate(SAMPLES / sample)
    text = html_text(report_html(result))
    verdict = text.split("How the level is set")[0]
    assert f"({result.overall.confidence} confidence)" in verdict
    if result.overall.confidence != "high":
        assert "clearly" not in verdict and "We are confident" not in verdict
    for p in result.principles:
        if p.borderline:
            assert p.confidence != "high"  # a rating the evidence leaves open is not sure
    assert "somewhat lower (large" not in text and "somewhat higher (large" not in text
    assert not re.search(r"\b1 (partners|principles|excerpts|decisions|meetings)\b", text)
    assert "when no rule above holds" not in verdict  # the floor is said as the floor


def test_equal_typical_scores_are_never_called_lower():
    from coprod_eval.render.words.comparisons import comparison_sentence

    result = evaluate(SAMPLES / THREE_GROUPS)
    for p in result.principles:
        for c in p.comparisons:
            if not c.shown:
                continue
            said = comparison_sentence(result, c)
            numbers = re.search(r"is ([\d.]+) and of .+? ([\d.]+) on the", said)
            if numbers and ("lower" in said.split("—")[0] or "higher" in said.split("—")[0]):
                mine, theirs = map(float, numbers.groups())
                assert mine != theirs or "compares every pair" in said, said


def test_the_easy_read_counts_questions_not_comparisons():
    result = evaluate(SAMPLES / THREE_GROUPS)
    easy = html_text(summary_html(result))
    asked = int(re.search(r"We asked (\d+) questions", easy).group(1))
    assert asked == len({e["item"] for e in result.disagreement["entries"] if e["shown"]})
    differ = re.search(r"answered (\d+) of them differently", easy)
    assert differ is None or int(differ.group(1)) <= asked


def test_nothing_is_said_to_need_no_change_where_evidence_was_never_checked():
    result = evaluate(SAMPLES / SURVEY_ONLY)
    easy = html_text(summary_html(result))
    assert "We did not find anything that needs to change." not in easy
    assert "We could not check everything." in easy
    text = html_text(report_html(result))
    for said in re.findall(r"No shortfall found[^.]*\.", text):
        assert "not checked" in said


def test_common_ground_says_disagreeing_with_a_reverse_worded_statement():
    from coprod_eval.render.words.disagreement import common_ground

    result = evaluate(SAMPLES / GENUINE)
    reverse = [e for e in result.disagreement["entries"]
               if e["shown"] and e["common_ground"] and e["reverse"]]
    assert reverse, "the sample has reverse-worded common ground"
    lines = common_ground(result)
    for e in reverse:
        line = next(x for x in lines if e["statement"] in x)
        assert "disagree with it" in line and " agree." not in line


# --- 6. who is in the room names who is missing ------------------------------------------------

def test_who_is_in_the_room_names_young_adults_missing():
    from coprod_eval.compute.room import room
    from coprod_eval.compute.truths import inconvenient_truths
    from coprod_eval.render.words.truths import truth_text

    profile = room({"age_band": {"partners": {"18-34": 3, "35-64": 25, "65+": 12},
                                 "population": {"18-34": 0.35, "35-64": 0.45, "65+": 0.20}}},
                   min_n=8, round_to=5)
    result = evaluate(SAMPLES / GENUINE)
    truths = inconvenient_truths(
        ce.load_evaluation(SAMPLES / GENUINE).framework, list(result.principles),
        result.overall, result.groups, None, profile)
    missing = [t for t in truths if t["kind"] == "under_represented"]
    assert missing and truth_text(result, missing[0]).endswith("in age band: 18-34.")


# --- 7. sense-making belongs to the round it read ---------------------------------------------

SENSE = """coproduced:
  partner_roles: [partner representative]
  sense_making:
    {round}date: 2026-05-01
    reviewers: [partner representative]
    reading: The partners read round one's draft and disagree with its payment finding.
    sign: dissent
    why: Payment was fixed in March.
"""


def test_an_earlier_rounds_dissent_is_history_not_this_rounds_front_page(tmp_path):
    folder = copy_sample(INVOLVEMENT, tmp_path)
    config = folder / "evaluation.yaml"
    base = config.read_text().replace("project:  ", "round: 2\nproject:  ", 1).replace(
        "  name: ", "  id: northgate\n  name: ", 1)
    config.write_text(base + SENSE.format(round=""))
    done = subprocess.run([sys.executable, "-m", "coprod_eval", "validate", str(folder)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1 and "does not say which round's findings it read" in done.stdout
    config.write_text(base + SENSE.format(round="round: 1\n    "))
    result = evaluate(folder)
    assert result.coproduced["sense_making"]["round"] == 1
    html = report_html(result)
    front = html_text(html).split("How the level is set")[0]
    assert "dissent" not in front and "Partner reviewers (" not in front
    assert "History: the partners' reading of round 1's findings" in html_text(html)
    assert "Partner reviewers" not in html_text(summary_html(result))


# --- 8. print carries everything; p-values stored in full --------------------------------------

def test_p_values_are_stored_as_bands_a_machine_can_read():
    """Issue 23 asked that "p < 0.001" be told apart from a figure; issue 24 that no p-value
    give back a group's size. Both: results.json stores each p-value as its band, and the
    page writes the band."""
    data = json.loads((Path(__file__).parent / "golden" /
                       f"{INVOLVEMENT}.results.json").read_text())
    shown = [e for e in data["disagreement"]["entries"] if e["shown"]]
    assert all("p" not in e and "p_holm" not in e for e in shown)
    bands = {tuple(e["p_band"]) for e in shown}
    assert (0.0, 0.001) in bands and len(bands) >= 3
    from coprod_eval.render.words.figures import p_value

    assert p_value((0.0, 0.001)) == "p < 0.001"


@pytest.mark.browser
def test_pdf_docx_and_html_carry_the_same_words(tmp_path):
    """Every word of report.html (the details sections' included) is in report.pdf and in
    report.docx."""
    from collections import Counter

    import docx

    from coprod_eval.render.docx import write_docx
    from coprod_eval.render.pdf import write_pdf

    result = evaluate(SAMPLES / INVOLVEMENT)
    html = tmp_path / "report.html"
    html.write_text(report_html(result), encoding="utf-8")
    pdf = write_pdf(html, tmp_path / "report.pdf")
    words_pdf = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                               text=True, check=True).stdout
    document = docx.Document(write_docx(html, tmp_path / "report.docx"))
    words_docx = " ".join([p.text for p in document.paragraphs] + [
        cell.text for table in document.tables for row in table.rows for cell in row.cells])

    def count(text: str) -> Counter:  # (pdftotext joins a word hyphenated at a line's end)
        return Counter(re.findall(r"[A-Za-z]{4,}", text.replace("-", "")))

    import lxml.html

    tree = lxml.html.fromstring(html.read_text(encoding="utf-8"))
    for drop in tree.xpath("//svg|//style|//script|//title"):
        drop.getparent().remove(drop)
    wanted = count(" ".join(tree.itertext()))
    for name, got in (("pdf", count(words_pdf)), ("docx", count(words_docx))):
        missing = {w: n - got[w] for w, n in wanted.items() if got[w] < n}
        assert not missing, (name, sorted(missing.items(), key=lambda kv: -kv[1])[:10])
    assert "Mann" in words_pdf and "statistics behind this comparison" in words_pdf


def test_the_words_cannot_change_a_statistic():
    """Rendering reads results only: two renders of the same result give the same page, and
    the result's JSON is unchanged by rendering."""
    result = evaluate(SAMPLES / INVOLVEMENT)
    before = result.to_json()
    assert report_html(result) == report_html(result)
    assert result.to_json() == before
    assert np.isfinite([p.groups["staff"].typical for p in result.principles]).all()


def test_a_share_says_all_or_none_only_when_it_is_so():
    from coprod_eval.disclosure.privacy import published_share

    # 39 of 40 answers agree: rounded counts would say 40 of 40 ("100%")
    assert published_share(39, 40, 5, people=40) == (None, (90.0, 100.0))
    assert published_share(40, 40, 5, people=40) == (100.0, None)
    assert published_share(1, 40, 5, people=40) == (None, (0.0, 10.0))
    assert published_share(0, 40, 5, people=40) == (0.0, None)


def test_shares_side_by_side_are_banded_rather_than_reversed():
    from coprod_eval.disclosure.privacy import keep_order

    # exact 87.69 and 88.30; counts rounded to 5 would show 87.2 and 86.8, the other way round
    kept = keep_order({"partners": (87.69, 87.2, None, (40, 60, 80)),
                       "staff": (88.30, 86.8, None, (40, 60, 80))})
    assert kept == {"partners": (None, (80.0, 90.0)), "staff": (None, (80.0, 90.0))}
    # in the samples, no group's share (figure or band) stands above one that agrees more
    for sample in (GENUINE, INVOLVEMENT, THREE_GROUPS, SURVEY_ONLY, "own-questionnaire"):
        result = evaluate(SAMPLES / sample)
        for p in result.principles:
            shown_groups = [s for s in p.groups.values() if not s.suppressed]
            for a in shown_groups:
                for b in shown_groups:
                    if a.agree_rank < b.agree_rank:
                        assert not above(shown(a), shown(b)), (sample, p.id)


BAD = {
    "attendance": lambda k: ["meeting_id,date,meeting_type,attendee,role"] + [
        f"M{m:02d},2026-01-{m + 1:02d},decision_making,S{s:03d},staff"
        for m in range(k) for s in range(2)],
    "decisions": lambda k: ["decision_id,date,forum,proposed_by,decided_by,"
                            "partner_proposal_adopted,feedback_given,outside_joint_forum"] + [
        f"D{d:02d},2026-01-{d + 1:02d},Board,partner,staff_only,no,no,yes" for d in range(k)],
    "qualitative": lambda k: ["excerpt_id,source,principle,code,coder,excerpt,"
                              "consent_to_quote,participant"] + [
        f"E{p}{e:02d},interview,{p},contradicts,coder_a,It did not happen here.,no,"
        for p in ("assets", "capabilities", "reciprocity", "networks", "blurring", "catalysts")
        for e in range(k)],
    "resources": lambda k: ["partner,offered_payment,paid,days_late,out_of_pocket,"
                            "training_offered"] + [f"P{p:03d},no,no,,yes,no" for p in range(k)],
}


@pytest.mark.parametrize("stream", sorted(BAD))
@pytest.mark.parametrize("records", range(1, 7))
def test_a_few_bad_records_of_any_stream_never_lift_a_rating(tmp_path, stream, records):
    """Every record stream, 1 to 6 records of bad practice: its indicators are rated at the
    bottom or unknown (whole scale) — never dropped — so every principle they belong to is
    at the bottom, whatever the other streams say, and the claim is never supported."""
    folder = copy_sample(GENUINE, tmp_path)
    (folder / "evidence" / f"{stream}.csv").write_text("\n".join(BAD[stream](records)) + "\n")
    result = evaluate(folder)
    bottom, top = (r["id"] for r in (result.framework["ratings"][0],
                                     result.framework["ratings"][-1]))
    touched = 0
    for p in result.principles:
        mine = [i for i in p.evidence if i.stream == stream
                and i.measure != "pct_budget_joint_control"]  # the budget is a declaration
        for i in mine:
            assert i.status not in ("not_supplied", "no_questions"), (p.id, i.id)
            assert i.rating == bottom or (i.rating is None
                                          and i.rating_range == (bottom, top)), (p.id, i.id)
        if mine:
            touched += 1
            assert p.rating == bottom, (stream, records, p.id)
    assert touched and result.overall.claim_verdict != "supported"
