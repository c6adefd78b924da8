"""The evaluator's own questionnaire: init --from suggests, nothing runs until a person
confirms (in a real terminal, under tmux), one mapping serves every tool's export, reverse
questions are reversed, nothing in an export goes unnoticed, and audit passes on every
format. Expected shares are computed here from the answers the exports were written from."""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from exportkit import (
    OWN_QUESTIONS,
    ROLE_ANSWERS,
    SEVEN,
    Mess,
    Respondent,
    own_items,
    write_export,
)

from coprod_eval.pipeline import check

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data_samples" / "own-questionnaire"
CLI = [sys.executable, "-m", "coprod_eval"]
TOOLS = ("microsoft_forms", "smartsurvey", "google_forms", "qualtrics", "redcap")
TRUTH = {qid: (principle, reverse) for qid, principle, reverse, _ in OWN_QUESTIONS}


def people(n: int = 36, seed: int = 5) -> list[Respondent]:
    rng = random.Random(seed)
    out = []
    for k in range(n):
        role = "staff" if k < n // 2 else "partner"
        answers, tokens = {}, {}
        for qid, *_ in OWN_QUESTIONS:
            value = rng.randint(3, 7) if role == "staff" else rng.randint(1, 6)
            if rng.random() < 0.05:
                value, tokens[qid] = None, "Don't know"
            answers[qid] = value
        out.append(Respondent(f"{k + 1}", role, answers, tokens))
    return out


def export(tool: str, folder: Path, persons) -> dict:
    mess = Mess(labels=SEVEN, items=own_items(), smart_quirks=True, dont_know=8,
                codes=tool == "qualtrics")
    return write_export(tool, folder, persons, mess)


def init_from(tool: str, tmp: Path, persons) -> tuple[Path, subprocess.CompletedProcess]:
    entry = export(tool, tmp / "downloads", persons)
    folder = tmp / f"ev-{tool}"
    extra = ["--dictionary", str(tmp / "downloads" / entry["dictionary"])] \
        if "dictionary" in entry else []
    done = subprocess.run([*CLI, "init", str(folder), "--from",
                           str(tmp / "downloads" / entry["file"]), *extra],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return folder, done


def confirmed_instrument(folder: Path) -> None:
    """Write the truth into the instrument as a person would at the map prompts."""
    path = folder / "instrument" / "own_questionnaire.yaml"
    data = yaml.safe_load(path.read_text())
    for item in data["items"]:
        principle, reverse = TRUTH[item["id"]]
        item["principles"], item["reverse"] = [principle], reverse
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def survey_entry(folder: Path) -> dict:
    return yaml.safe_load((folder / "evaluation.yaml").read_text())["evidence"]["survey"]


def set_survey(folder: Path, entry: dict) -> None:
    path = folder / "evaluation.yaml"
    data = yaml.safe_load(path.read_text())
    data["evidence"]["survey"] = entry
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def test_init_from_suggests_and_nothing_runs_until_confirmed(tmp_path):
    folder, done = init_from("smartsurvey", tmp_path, people())
    assert "your own questionnaire of 18 question(s)" in done.stdout
    # full wording printed, never cut
    longest = max((text for *_, text in OWN_QUESTIONS), key=len)
    assert longest.replace("'", "\u2019") in done.stdout
    data = yaml.safe_load((folder / "instrument" / "own_questionnaire.yaml").read_text())
    assert [item["id"] for item in data["items"]] == list(TRUTH)
    assert all(str(item["principles"]).startswith("TO CONFIRM") for item in data["items"])
    first = {item["id"]: item["principles"].split(": ")[1].split(", ")[0]
             for item in data["items"]}
    right = sum(first[q] == TRUTH[q][0] for q in TRUTH)
    assert right >= 15, first  # suggestions a person corrects, not guesses they accept
    flagged = {item["id"] for item in data["items"] if item["reverse"].endswith("yes")}
    assert flagged == {q for q, (_, reverse) in TRUTH.items() if reverse}
    assert data["scale"]["agree_from"] == 5 and len(data["scale"]["codes"]) == 7
    result = subprocess.run([*CLI, "validate", str(folder)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1
    assert "18 question(s) still say TO CONFIRM (Q01, Q02" in result.stdout
    assert "run coprod-eval map FOLDER" in result.stdout
    confirmed_instrument(folder)  # the questions confirmed, but not who confirmed them
    result = subprocess.run([*CLI, "validate", str(folder)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1
    assert "nobody has confirmed which principle each question" in result.stdout


def _wait_for(session: str, text: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        screen = subprocess.run(["tmux", "capture-pane", "-p", "-t", session, "-S", "-50"],
                                capture_output=True, text=True).stdout
        if text in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"'{text}' never appeared:\n{screen}")


def test_map_step_in_a_real_terminal(tmp_path):
    if shutil.which("tmux") is None:
        pytest.fail("tmux is needed for this test: make test installs it")
    folder, _ = init_from("smartsurvey", tmp_path, people())
    session = f"map{tmp_path.name[-8:]}"
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "200", "-y", "50",
                    " ".join([*CLI, "map", str(folder)]) + "; sleep 30"], check=True)
    try:
        for k, qid in enumerate(TRUTH, 1):
            screen = _wait_for(session, f"{qid} ({k} of 18)")
            suggested = re.findall(r"principle\(s\) \[([^\]]*)\]", screen)[-1].split(", ")
            principle, reverse = TRUTH[qid]
            keys = "" if suggested == [principle] else principle
            if qid == "Q11":  # a question left out: its column goes under ignore:
                keys = "-"
            subprocess.run(["tmux", "send-keys", "-t", session, keys, "Enter"], check=True)
            if keys == "-":
                continue
            screen = _wait_for(session, f"{qid} ({k} of 18)")
            _wait_for(session, "reverse-worded")
            subprocess.run(["tmux", "send-keys", "-t", session, "y" if reverse else "n",
                            "Enter"], check=True)
        for _ in range(2):
            screen = _wait_for(session, "who answered")
            answer = "staff" if screen.rstrip().splitlines()[-1].count("work for") else "partner"
            subprocess.run(["tmux", "send-keys", "-t", session, answer, "Enter"], check=True)
            time.sleep(0.5)
        _wait_for(session, "Enter keeps these names")
        subprocess.run(["tmux", "send-keys", "-t", session, "", "Enter"], check=True)
        _wait_for(session, "Who confirmed this mapping?")
        subprocess.run(["tmux", "send-keys", "-t", session,
                        "evaluator, partner representative", "Enter"], check=True)
        _wait_for(session, "Next: coprod-eval validate")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    data = yaml.safe_load((folder / "instrument" / "own_questionnaire.yaml").read_text())
    assert {item["id"]: (item["principles"], item["reverse"]) for item in data["items"]} == {
        q: ([p], r) for q, (p, r) in TRUTH.items() if q != "Q11"}
    entry = survey_entry(folder)
    assert entry["mapping_confirmed"]["by"] == ["evaluator", "partner representative"]
    assert "Q11" not in entry["items"] and len(entry["ignore"]) == 1
    assert "Peer groups meet without staff there" in entry["ignore"][0]
    problems, _ = check(folder)
    assert not problems, [str(p) for p in problems]


def _share_agreeing(persons, principle: str, role: str, reverse: bool = True) -> float:
    """(agreeing, answered) of a group's answers (5-7 of 7 agrees), reverse questions
    reversed."""
    agree = answered = 0
    for person in (p for p in persons if p.role == role):
        for qid, (p, reversed_) in TRUTH.items():
            value = person.answers.get(qid)
            if p != principle or value is None:
                continue
            value = 8 - value if reversed_ and reverse else value
            answered += 1
            agree += value >= 5
    return agree, answered


def _published(counts: tuple[int, int]) -> float:
    """The share as published: agreeing and answered counts each rounded to the nearest 5
    (the NHS rounding the privacy settings name) before dividing."""
    k, n = (5 * int(c / 5 + 0.5) for c in counts)
    return 100 * min(k, n) / n


def test_one_mapping_for_five_exports_reverse_reversed_and_audit_passes(tmp_path):
    persons = people()
    (tmp_path / "shared").mkdir()
    mapped, _ = init_from("smartsurvey", tmp_path / "shared", persons)
    confirmed_instrument(mapped)
    shared = survey_entry(mapped)
    shared["mapping_confirmed"] = {"by": ["evaluator", "partner representative"],
                                   "date": "2026-11-20"}
    results = {}
    for tool in TOOLS:
        folder, _ = init_from(tool, tmp_path, persons)
        shutil.copyfile(mapped / "instrument" / "own_questionnaire.yaml",
                        folder / "instrument" / "own_questionnaire.yaml")
        own = survey_entry(folder)
        # the tool's own settings (file, format, id, group, dictionary, its "Don't know"
        # code) with the one shared questions block
        entry = {**own, "items": shared["items"], "mapping_confirmed":
                 shared["mapping_confirmed"], "ignore": shared.get("ignore") or []}
        values = entry["group"].get("values") or {}
        entry["group"]["values"] = {k: ("staff" if k in ("1", "I work for the service")
                                        else "partner") for k in values}
        set_survey(folder, entry)
        done = subprocess.run([*CLI, "run", str(folder), "--no-progress"], capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, (tool, done.stderr[-2000:])
        audit = subprocess.run([*CLI, "audit", str(folder)], capture_output=True, text=True,
                               timeout=120)
        assert audit.returncode == 0, (tool, audit.stdout[-2000:])
        run = max((folder / "runs").iterdir())
        results[tool] = json.loads((run / "results.json").read_text())
    first = results["smartsurvey"]
    for tool, result in results.items():
        assert result["principles"] == first["principles"], tool
        assert result["overall"] == first["overall"], tool
    for principle in first["principles"]:
        assert list(principle["items"]) == [q for q, (p, _) in TRUTH.items()
                                             if p == principle["id"]]
        for role in ("staff", "partner"):
            # published shares come from counts rounded to 5 (disclosure control): within a
            # few points of the exact share; a mapping that did not reverse would miss by more
            # (a group of fewer than 20 shows a band of ten points holding the exact share)
            published = principle["groups"][role]["pct_agree"]
            band = principle["groups"][role]["pct_agree_band"]
            counts = _share_agreeing(persons, principle["id"], role)
            if band is None:
                assert published == pytest.approx(_published(counts), abs=0.051), (
                    principle["id"], role, published, counts)
            else:
                assert band[0] <= 100 * counts[0] / counts[1] <= band[1], (principle["id"],
                                                                         role, band, counts)
            if role == "staff" and any(TRUTH[q] == (principle["id"], True) for q in TRUTH):
                k, n = _share_agreeing(persons, principle["id"], role, reverse=False)
                if band is None:
                    assert abs(published - _published((k, n))) > 4, (principle["id"], role)
                else:  # the unreversed share would fall outside the band
                    assert not band[0] <= 100 * k / n < band[1], (principle["id"], role)


def test_every_column_is_used_or_ignored_and_a_principle_without_questions_is_named(tmp_path):
    persons = people()
    folder, _ = init_from("google_forms", tmp_path, persons)
    confirmed_instrument(folder)
    entry = survey_entry(folder)
    entry["mapping_confirmed"] = {"by": ["evaluator"], "date": "2026-11-20"}
    entry["group"]["values"] = {k: "staff" if "work for" in k else "partner"
                                for k in entry["group"]["values"]}
    # the networks questions are left out on purpose: their principle has no question
    networks = [q for q, (p, _) in TRUTH.items() if p == "networks"]
    path = folder / "instrument" / "own_questionnaire.yaml"
    data = yaml.safe_load(path.read_text())
    data["items"] = [i for i in data["items"] if i["id"] not in networks]
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    dropped = [entry["items"].pop(q) for q in networks]
    set_survey(folder, entry)
    problems, _ = check(folder)
    assert len(problems) == 1
    assert "3 column(s) of evidence/google.csv are neither mapped to a question nor ignored" in (
        problems[0].what)
    entry["ignore"] = dropped
    set_survey(folder, entry)
    problems, _ = check(folder)
    assert not problems, [str(p) for p in problems]
    done = subprocess.run([*CLI, "run", str(folder), "--no-progress"], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    run = max((folder / "runs").iterdir())
    result = json.loads((run / "results.json").read_text())
    net = next(p for p in result["principles"] if p["id"] == "networks")
    survey = [e for e in net["evidence"] if e["stream"] == "survey"]
    assert survey and all(e["status"] == "no_questions" for e in survey)
    report = (run / "report.html").read_text()
    assert "Peer support networks: no question (its survey indicator is not assessed)" in report


def test_an_own_instrument_without_assignments_says_what_to_do(tmp_path):
    folder, _ = init_from("smartsurvey", tmp_path, people())
    path = folder / "instrument" / "own_questionnaire.yaml"
    data = yaml.safe_load(path.read_text())
    for item in data["items"]:
        del item["principles"], item["reverse"]
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    problems, _ = check(folder)
    texts = [str(p) for p in problems]
    assert len([t for t in texts if "nesta_nef_six.yaml" in t]) == 0, texts
    assert any("is not the framework's own and does not say which principle" in t
               and "coprod-eval map FOLDER" in t for t in texts), texts


def test_scales_are_recognised_with_tool_codes_proposed_missing():
    from coprod_eval.inputs.survey.own import detect_scale

    four = detect_scale(["Strongly disagree", "Disagree", "Agree", "Agree strongly"])
    assert four.name == "agree4" and four.agree_from == 3
    seven = detect_scale(["Somewhat agree", "Strongly agree", "Neither agree or disagree",
                          "Don't know"])
    assert seven.name == "agree7" and seven.agree_from == 5 and not seven.unknown
    ten = detect_scale([str(k) for k in (0, 3, 10, 7)])
    assert ten.name == "zero_to_ten" and ten.codes[0] == (0, "0")
    qualtrics = detect_scale(["1", "2", "5", "6", "4"])  # 6 = Don't know after a 5-point scale
    assert qualtrics.name == "agree5" and qualtrics.answers == {"6": "missing"}
    assert "outside the 5-point scale" in qualtrics.reasons["6"]


def test_the_own_questionnaire_sample_runs_and_passes_audit(tmp_path):
    folder = tmp_path / "own-questionnaire"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("runs"))
    done = subprocess.run([*CLI, "run", str(folder), "--no-progress"], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert subprocess.run([*CLI, "audit", str(folder)], capture_output=True,
                          timeout=120).returncode == 0
    result = json.loads((max((folder / "runs").iterdir()) / "results.json").read_text())
    assert result["parameters"]["own_questionnaire"] is True
    assert result["parameters"]["mapping_confirmed"] == {
        "by": ["evaluator", "partner representative"], "date": "2026-11-20"}
    assert [q["id"] for q in result["parameters"]["questions"] if q["reverse"]] == [
        q for q, (_, reverse) in TRUTH.items() if reverse]


def test_a_zero_to_ten_scale_is_published_in_its_own_codes(tmp_path):
    """0 is an answer on a 0-10 scale, not 'missing': medians and distributions are in the
    scale's own codes (checked with numpy on the answers the export was written from)."""
    import numpy as np

    from coprod_eval.pipeline import evaluate_folder

    rng = random.Random(9)
    persons = [Respondent(f"{k + 1}", "staff" if k < 20 else "partner",
                          {q: rng.randint(0, 10) if k < 20 else rng.randint(0, 6)
                           for q in TRUTH}) for k in range(40)]
    entry = write_export("google_forms", tmp_path / "downloads", persons,
                         Mess(labels={k: str(k) for k in range(11)}, items=own_items()))
    folder = tmp_path / "ev"
    done = subprocess.run([*CLI, "init", str(folder), "--from",
                           str(tmp_path / "downloads" / entry["file"])], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Scale: 11 points (0 … 10); agreeing: 7, 8, 9, 10." in done.stdout
    confirmed_instrument(folder)
    survey = survey_entry(folder)
    survey["mapping_confirmed"] = {"by": ["evaluator"], "date": "2026-11-20"}
    survey["group"]["values"] = {k: "staff" if "work for" in k else "partner"
                                 for k in survey["group"]["values"]}
    set_survey(folder, survey)
    result = evaluate_folder(folder).result
    for principle in result.principles:
        for role in ("staff", "partner"):
            answers = [10 - p.answers[q] if TRUTH[q][1] else p.answers[q]  # reversed: 10-x
                       for p in persons if p.role == role for q in principle.items]
            stats = principle.groups[role]
            assert stats.median == float(np.median(answers)), (principle.id, role)
            assert set(stats.distribution) == {str(k) for k in range(11)}
            assert stats.mean == pytest.approx(np.mean(answers), abs=0.051)


def test_map_reads_hand_written_values_and_refuses_what_it_cannot_rewrite_before_asking(
        tmp_path):
    from coprod_eval.base.errors import UsageError
    from coprod_eval.prepare.mapstep import map_questions

    folder, _ = init_from("smartsurvey", tmp_path, people())
    path = folder / "instrument" / "own_questionnaire.yaml"
    text = path.read_text()
    # Q01 confirmed by hand as plain text: "no" is not true, "assets" is one principle
    text = text.replace('principles: "TO CONFIRM: assets"', 'principles: "assets"', 1)
    path.write_text(text.replace('reverse: "TO CONFIRM: no"', 'reverse: "no"', 1))
    asked = []

    def enter(prompt: str) -> str:
        asked.append(prompt)
        if "Who confirmed" in prompt:
            return " , evaluator"
        if "who answered" in prompt:
            return "staff" if "work for" in prompt else "partner"
        return ""

    map_questions(folder, ask=enter, say=lambda _: None)
    first = yaml.safe_load(path.read_text())["items"][0]
    assert (first["principles"], first["reverse"]) == (["assets"], False)
    assert survey_entry(folder)["mapping_confirmed"]["by"] == ["evaluator"]
    # a question without a principles line: refused before a single question is asked
    with path.open("a") as handle:
        handle.write('  - id: Q19\n    text: "x"\n')
    before = path.read_bytes()
    asked.clear()
    said = []
    with pytest.raises(UsageError, match="question Q19 has no 'principles:' line"):
        map_questions(folder, ask=enter, say=said.append)
    assert asked == [] and said == [] and path.read_bytes() == before


def test_map_adds_a_group_the_template_did_not_have(tmp_path):
    """Issue 26: a third group (carers) is added while mapping — its side and name asked,
    written into evaluation.yaml — not squeezed into staff or partner; a word that is not a
    group id is answered with a message, not asked again in silence."""
    folder, _ = init_from("smartsurvey", tmp_path, people())
    answers = [""] * (2 * len(TRUTH))  # every suggestion accepted
    answers += ["staff", "Carers!", "carer", "both", "partner", "",
                "partner People", "partner=People who use the service", "",
                "evaluator, carer rep"]
    done = subprocess.run([*CLI, "map", str(folder)], input="\n".join(answers) + "\n",
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "'Carers!' is not a group: type one of staff, partner, or a new group's id" in (
        done.stdout)
    assert "'carer' added to the groups in evaluation.yaml (partner side)" in done.stdout
    # each suggestion's reason is shown before it is asked about
    assert "suggested yes: looks reverse-worded: kept for staff" in done.stdout
    data = yaml.safe_load((folder / "evaluation.yaml").read_text())
    assert data["groups"]["carer"] == {"code": "carer", "label": "Carers", "side": "partner",
                                       "invited": None}
    # renamed at the one prompt after the group answers; a malformed rename is explained
    assert "not understood: write a group id (staff, partner), '=' and the name" in done.stdout
    assert data["groups"]["partner"]["label"] == "People who use the service"
    # the template's partner group now has no answer: said, with what to do
    assert "no answer of the group question means 'partner'" in done.stdout
    assert set(data["evidence"]["survey"]["group"]["values"].values()) == {"staff", "carer"}
    checked = subprocess.run([*CLI, "validate", str(folder)], capture_output=True, text=True,
                             timeout=120)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_one_mapping_reads_an_export_worded_slightly_differently_and_names_the_closest(
        tmp_path):
    """Issue 26: a tool (or a second project's copy) writing "&" for "and", "No-one" for
    "Nobody" or "can't" for "cannot" is the same question; a wording that really differs is
    refused with the closest question of the export named, for Qualtrics (whose question
    text is its second header row) as for any other tool."""
    persons = people()
    (tmp_path / "shared").mkdir()
    mapped, _ = init_from("smartsurvey", tmp_path / "shared", persons)
    confirmed_instrument(mapped)
    shared = survey_entry(mapped)
    folder, _ = init_from("qualtrics", tmp_path, persons)
    shutil.copyfile(mapped / "instrument" / "own_questionnaire.yaml",
                    folder / "instrument" / "own_questionnaire.yaml")
    own = survey_entry(folder)
    entry = {**own, "items": shared["items"], "ignore": shared.get("ignore") or [],
             "mapping_confirmed": {"by": ["evaluator"], "date": "2026-11-20"}}
    entry["group"]["values"] = {k: "staff" if k == "1" else "partner"
                                for k in entry["group"].get("values") or {}}
    set_survey(folder, entry)
    export = folder / own["file"]
    text = export.read_text(encoding="utf-8-sig")
    assert "with the same papers and vote" in text
    export.write_text(text.replace("with the same papers and vote",
                                   "with the same papers & vote"), encoding="utf-8")
    done = subprocess.run([*CLI, "validate", str(folder)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    export.write_text(text.replace("with the same papers and vote",
                                   "with the same papers and a vote"), encoding="utf-8")
    done = subprocess.run([*CLI, "validate", str(folder)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1
    assert re.search(r"closest: '[^']*same papers and a vote", done.stdout), done.stdout
    # one mapping for both: the question may have either wording (the first found is read)
    q13 = entry["items"]["Q13"]
    entry["items"]["Q13"] = {"any_of": [q13, q13.replace("and vote", "and a vote")]}
    set_survey(folder, entry)
    done = subprocess.run([*CLI, "validate", str(folder)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    entry["items"]["Q13"] = {"any_of": [q13.replace("and vote", "or a vote"),
                                        q13.replace("and vote", "and one vote")]}
    set_survey(folder, entry)
    done = subprocess.run([*CLI, "validate", str(folder)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1 and "evidence.survey.items.Q13.any_of" in done.stdout, (
        done.stdout)


def test_map_without_prompts_from_an_answers_file_and_yes(tmp_path):
    """Issue 26: map runs without a terminal: an answers file's decisions (questions, a new
    group, a rename) applied with nothing asked; --yes takes the suggestions where the file
    is silent and refuses, before writing anything, whatever has none; a wrong answers file
    is refused at its line."""
    folder, _ = init_from("smartsurvey", tmp_path, people())
    before = {p: p.read_bytes() for p in (folder / "evaluation.yaml",
                                          folder / "instrument" / "own_questionnaire.yaml")}

    def mapped(*extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([*CLI, "map", str(folder), *extra], input="", text=True,
                              capture_output=True, timeout=120)

    done = mapped("--yes")  # group answers have no suggestion; nobody named as confirming
    assert done.returncode == 2, done.stdout + done.stderr
    assert "the group answer 'I work for the service' is not mapped to a group" in done.stderr
    assert "nobody is named as confirming the mapping" in done.stderr
    assert {p: p.read_bytes() for p in before} == before  # nothing written
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("questions:\n  Q01: [assets]\n  Q99: assets\n  Q02: sharing\n"
                     "groups:\n  I work for the service: managers\n", encoding="utf-8")
    done = mapped("--answers", str(wrong))
    assert done.returncode == 1, done.stdout + done.stderr
    for said in ("wrong.yaml:3", "'Q99' is not a question of the instrument",
                 "wrong.yaml:4", "'sharing' does not say which principle(s) Q02 evidences",
                 "wrong.yaml:6", "'managers' is not a group"):
        assert said in done.stdout + done.stderr, done.stdout + done.stderr
    assert {p: p.read_bytes() for p in before} == before
    partner_answer = next(a for a in survey_entry(folder)["group"]["values"]
                          if a.startswith("I use"))
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump({
        "questions": {q: ("-" if q == "Q11" else {"principles": [p], "reverse": r})
                      for q, (p, r) in TRUTH.items()},
        "groups": {"I work for the service": "staff", partner_answer: "member"},
        "new_groups": {"member": {"side": "partner", "label": "Members"}},
        "labels": {"staff": "Project staff"},
        "confirmed_by": ["evaluator", "members' representative"]}, allow_unicode=True),
        encoding="utf-8")
    done = mapped("--answers", str(answers))  # stdin is empty: any prompt would fail
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Q11: left out (answers file)" in done.stdout
    data = yaml.safe_load((folder / "instrument" / "own_questionnaire.yaml").read_text())
    assert {item["id"]: (item["principles"], item["reverse"]) for item in data["items"]} == {
        q: ([p], r) for q, (p, r) in TRUTH.items() if q != "Q11"}
    config = yaml.safe_load((folder / "evaluation.yaml").read_text())
    assert config["groups"]["member"] == {"code": "member", "label": "Members",
                                          "side": "partner", "invited": None}
    assert config["groups"]["staff"]["label"] == "Project staff"
    assert config["evidence"]["survey"]["mapping_confirmed"]["by"] == [
        "evaluator", "members' representative"]
    problems, _ = check(folder)
    assert not problems, [str(p) for p in problems]


def test_a_group_answer_declared_nobodys_is_left_out_and_said(tmp_path):
    """Issue 26: every group answer lands in a group or is declared not a respondent (a
    test submission): undeclared it is refused with that way out named; declared, its rows
    are left out and the note says how many and which."""
    persons = people()
    folder, _ = init_from("smartsurvey", tmp_path, persons)
    confirmed_instrument(folder)
    entry = survey_entry(folder)
    entry["group"]["values"] = {k: "staff" if k.startswith("I work") else "partner"
                                for k in entry["group"]["values"]}
    entry["mapping_confirmed"] = {"by": ["evaluator"], "date": "2026-11-20"}
    set_survey(folder, entry)
    export = folder / entry["file"]
    text = export.read_text(encoding="utf-8-sig")
    last = next(line for line in text.splitlines() if "I work for the service" in line)
    test_row = last.replace("I work for the service", "Just testing").replace(
        last.split(",", 1)[0], "999", 1)
    assert "Just testing" in test_row
    export.write_text(text.rstrip("\n") + "\n" + test_row + "\n", encoding="utf-8")
    done = subprocess.run([*CLI, "validate", str(folder)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1
    assert "'Just testing' in the group column is not mapped to a group" in done.stdout
    assert "not_a_respondent" in done.stdout
    entry["group"]["values"]["Just testing"] = "not_a_respondent"
    set_survey(folder, entry)
    problems, notes = check(folder)
    assert not problems, [str(p) for p in problems]
    assert any("1 row(s) left out as nobody's answers (group answer 'Just testing'" in n
               for n in notes), notes


def _answers(folder: Path) -> dict:
    from coprod_eval.pipeline import check_folder

    survey = check_folder(folder)[1].survey
    return {str(r): (int(role), [int(c) for c in row]) for r, role, row in zip(
        survey.respondent_ids, survey.roles, survey.codes)}


def test_spss_and_a_qualtrics_survey_file_read_numbers_as_the_words_people_chose(tmp_path):
    """Issue 26: Qualtrics' numeric codes are read from the tool's own labels — an SPSS .sav
    export's value labels, or the survey file (.qsf) given with a numeric CSV export — so the
    group answers are proposed in words, never worked out by matching rows; without either,
    init says what to give. The same mapping then reads the same answers as SmartSurvey's."""
    from exportkit import write_qsf

    persons = people()
    (tmp_path / "shared").mkdir()
    mapped, _ = init_from("smartsurvey", tmp_path / "shared", persons)
    confirmed_instrument(mapped)
    shared = survey_entry(mapped)
    shared["mapping_confirmed"] = {"by": ["evaluator"], "date": "2026-11-20"}
    shared["group"]["values"] = {k: "staff" if k.startswith("I work") else "partner"
                                 for k in shared["group"]["values"]}
    set_survey(mapped, shared)
    mess = Mess(labels=SEVEN, items=own_items(), dont_know=8, codes=True)
    downloads = tmp_path / "downloads"
    write_export("spss", downloads, persons, mess)
    numeric = write_export("qualtrics", downloads, persons, mess)
    write_qsf(downloads / "survey.qsf", own_items(), mess)
    made = {}
    for name, extra in (("sav", [str(downloads / "evidence" / "qualtrics.sav")]),
                        ("codes", [str(downloads / numeric["file"])]),
                        ("qsf", [str(downloads / numeric["file"]), "--dictionary",
                                 str(downloads / "survey.qsf")])):
        folder = tmp_path / f"ev-{name}"
        done = subprocess.run([*CLI, "init", str(folder), "--from", *extra],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        made[name] = (folder, done.stdout)
    assert "Read as SPSS (.sav)" in made["sav"][1]
    assert "The export holds numbers, not the answers' words" in made["codes"][1]
    assert set(survey_entry(made["codes"][0])["group"]["values"]) == {"1", "2"}
    for name in ("sav", "qsf"):
        folder, said = made[name]
        assert "The export holds numbers" not in said
        entry = survey_entry(folder)
        assert set(entry["group"]["values"]) == set(ROLE_ANSWERS.values()), name
        assert not entry.get("answers"), name  # every answer read as a word the scale knows
        shutil.copyfile(mapped / "instrument" / "own_questionnaire.yaml",
                        folder / "instrument" / "own_questionnaire.yaml")
        entry.update(items=shared["items"], ignore=shared.get("ignore") or [],
                     mapping_confirmed={"by": ["evaluator"], "date": "2026-11-20"})
        entry["group"]["values"] = {k: "staff" if k.startswith("I work") else "partner"
                                    for k in entry["group"]["values"]}
        set_survey(folder, entry)
        assert _answers(folder) == _answers(mapped), name


def test_a_survey_file_that_cannot_say_which_choice_was_meant_is_refused(tmp_path):
    """A .qsf whose recode values write one number for two choices would read a number as
    either: init refuses, naming the question and what to change, and makes no folder. One
    that is another survey's (none of its questions the export's columns) would leave the
    numbers read as they are: validate names each column and what to give instead."""
    from exportkit import write_qsf

    mess = Mess(labels=SEVEN, items=own_items(), dont_know=8, codes=True)
    downloads = tmp_path / "downloads"
    numeric = downloads / write_export("qualtrics", downloads, people(), mess)["file"]
    write_qsf(downloads / "survey.qsf", own_items(), mess)
    survey = json.loads((downloads / "survey.qsf").read_text(encoding="utf-8"))
    matrix = survey["SurveyElements"][2]["Payload"]
    first, second = list(matrix["RecodeValues"])[:2]
    matrix["RecodeValues"][second] = matrix["RecodeValues"][first]
    (downloads / "clash.qsf").write_text(json.dumps(survey), encoding="utf-8")
    done = subprocess.run([*CLI, "init", str(tmp_path / "clash"), "--from", str(numeric),
                           "--dictionary", str(downloads / "clash.qsf")],
                          capture_output=True, text=True, timeout=120)
    said = done.stdout + done.stderr
    assert done.returncode != 0 and "Traceback" not in said, said
    assert re.search(r"question QID2_\d+ writes 1 for more than one choice", said), said
    assert "Recode values" in said and not (tmp_path / "clash").exists()
    # a clash in a question the export does not hold, or between two "no answer" choices,
    # reads nothing wrongly: no matter
    matrix["RecodeValues"][second] = str(int(matrix["RecodeValues"][first]) + 1)
    matrix["Answers"]["98"], matrix["Answers"]["99"] = {"Display": "Don't know"}, {
        "Display": "Prefer not to say"}
    matrix["RecodeValues"]["98"] = matrix["RecodeValues"]["99"] = "99"
    survey["SurveyElements"].append({"Element": "SQ", "PrimaryAttribute": "QID99", "Payload": {
        "QuestionID": "QID99", "QuestionType": "MC", "Choices": {"1": {"Display": "Yes"},
                                                                  "2": {"Display": "No"}},
        "RecodeValues": {"1": "1", "2": "1"}}})
    (downloads / "fine.qsf").write_text(json.dumps(survey), encoding="utf-8")
    done = subprocess.run([*CLI, "init", str(tmp_path / "fine"), "--from", str(numeric),
                           "--dictionary", str(downloads / "fine.qsf")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr

    folder = tmp_path / "ev"
    done = subprocess.run([*CLI, "init", str(folder), "--from", str(numeric), "--dictionary",
                           str(downloads / "survey.qsf")], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump({"groups": {
        a: "staff" if a.startswith("I work") else "partner"
        for a in survey_entry(folder)["group"]["values"]}, "confirmed_by": ["evaluator"]},
        allow_unicode=True), encoding="utf-8")
    done = subprocess.run([*CLI, "map", str(folder), "--answers", str(answers), "--yes"],
                          input="", capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert subprocess.run([*CLI, "validate", str(folder)], capture_output=True,
                          timeout=120).returncode == 0
    kept = folder / survey_entry(folder)["dictionary"]
    other = json.loads(kept.read_text(encoding="utf-8").replace('"QID', '"QID7'))
    kept.write_text(json.dumps(other), encoding="utf-8")
    checked = subprocess.run([*CLI, "validate", str(folder)], capture_output=True,
                             text=True, timeout=120)
    assert checked.returncode == 1, checked.stdout
    named = re.findall(r"this column \((QID[\d_]+)\) is not a question of evidence/survey.qsf",
                       checked.stdout)
    more = re.search(r"and (\d+) more problem\(s\) like those above", checked.stdout)
    assert named[:2] == ["QID1", "QID2_1"], checked.stdout  # the group, then each question
    assert len(named) + int(more.group(1)) == 1 + len(own_items()), checked.stdout
    assert "Export survey" in checked.stdout


def test_init_like_reuses_a_confirmed_mapping_and_asks_only_what_differs(tmp_path):
    """Issue 26: one confirmed mapping serves another export: init --like carries the
    instrument, groups, answers and confirmation over; an export of the same questions reads
    at once (the same answers as the first), and one whose question is worded a little
    differently gets that question proposed TO CONFIRM with the confirmed wording beside it,
    refused by validate until someone decides."""
    persons = people()
    first, _ = init_from("smartsurvey", tmp_path, persons)
    answers = tmp_path / "answers.yaml"
    partner_answer = next(a for a in survey_entry(first)["group"]["values"]
                          if a.startswith("I use"))
    answers.write_text(yaml.safe_dump({
        "questions": {q: {"principles": [p], "reverse": r} for q, (p, r) in TRUTH.items()},
        "groups": {"I work for the service": "staff", partner_answer: "member"},
        "new_groups": {"member": {"side": "partner", "label": "Members"}}, "labels": {},
        "confirmed_by": ["evaluator", "members' representative"]}, allow_unicode=True),
        encoding="utf-8")
    done = subprocess.run([*CLI, "map", str(first), "--answers", str(answers)], input="",
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    mess = Mess(labels=SEVEN, items=own_items(), dont_know=8)
    entry = write_export("qualtrics", tmp_path / "wave2", persons, mess)
    export = tmp_path / "wave2" / entry["file"]
    second = tmp_path / "ev-second"
    done = subprocess.run([*CLI, "init", str(second), "--from", str(export), "--like",
                           str(first)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "18 question(s) found under their confirmed wording" in done.stdout
    config = yaml.safe_load((second / "evaluation.yaml").read_text())
    assert config["groups"]["member"]["label"] == "Members"
    assert config["evidence"]["survey"]["format"] == "qualtrics"
    assert _answers(second) == _answers(first)
    # a third export words one question a little differently
    text = export.read_text(encoding="utf-8-sig")
    export.write_text(text.replace("with the same papers and vote",
                                   "with the same papers and a vote"), encoding="utf-8")
    third = tmp_path / "ev-third"
    done = subprocess.run([*CLI, "init", str(third), "--from", str(export), "--like",
                           str(first)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "TO CONFIRM, Q13: is" in done.stdout and "same papers and a vote" in done.stdout
    checked = subprocess.run([*CLI, "validate", str(third)], capture_output=True, text=True,
                             timeout=120)
    assert checked.returncode == 1
    assert "Q13's column is proposed, not confirmed" in checked.stdout
    # map asks only what differs: that question, the groups' names, who decided
    done = subprocess.run([*CLI, "map", str(third)], input="y\n\nevaluator\n",
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("the same question? [Y/n]") == 1
    assert "principle(s) [" not in done.stdout and "reverse-worded" not in done.stdout
    assert _answers(third) == _answers(first)
    instrument = third / "instrument" / "own_questionnaire.yaml"
    assert instrument.read_bytes() == (first / "instrument" / "own_questionnaire.yaml"
                                       ).read_bytes()


def test_map_and_init_refuse_what_a_hostile_review_fed_them(tmp_path):
    """From an independent attack on the issue 26 commands: each of these crashed, wrote
    half, or was accepted wrongly; each is now refused with its place, or kept as it was."""
    persons = people()
    folder, _ = init_from("smartsurvey", tmp_path, persons)
    config = folder / "evaluation.yaml"
    instrument = folder / "instrument" / "own_questionnaire.yaml"
    for path in (config, instrument):
        path.chmod(0o644)
    before = {p: p.read_bytes() for p in (config, instrument)}
    bad = tmp_path / "bad.yaml"
    bad.write_text("questions: [Q01]\ngroups: staff\nlabels: {partner: [a, b]}\n"
                   "confirmed_by: {evaluator: yes}\nnew_groups: {carer: {side: partner}}\n",
                   encoding="utf-8")
    done = subprocess.run([*CLI, "map", str(folder), "--answers", str(bad)], input="",
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    for said in ("bad.yaml:1", "questions: must be a mapping", "bad.yaml:2",
                 "the new name is not plain text", "confirmed_by must list roles",
                 "bad.yaml:5", "no answer of the group question is given to the new group"):
        assert said in done.stdout + done.stderr, done.stdout + done.stderr
    assert {p: p.read_bytes() for p in before} == before
    # a group named by its id where its code differs: the code is written
    config.write_text(config.read_text().replace("    code: staff ", "    code: S ", 1))
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump({
        "groups": {"I work for the service": "staff", next(
            a for a in survey_entry(folder)["group"]["values"] if a.startswith("I use")):
            "partner"}, "confirmed_by": ["evaluator"]}, allow_unicode=True), encoding="utf-8")
    done = subprocess.run([*CLI, "map", str(folder), "--answers", str(answers), "--yes"],
                          input="", capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert survey_entry(folder)["group"]["values"]["I work for the service"] == "S"
    assert "no answer of the group question means" not in done.stdout
    assert {oct(p.stat().st_mode & 0o777) for p in (config, instrument)} == {"0o644"}
    # two questions reading one column count its answers twice: refused
    entry = survey_entry(folder)
    entry["items"]["Q01"] = entry["items"]["Q02"]
    set_survey(folder, entry)
    checked = subprocess.run([*CLI, "validate", str(folder)], capture_output=True, text=True,
                             timeout=120)
    assert checked.returncode == 1, checked.stdout
    assert re.search(r"Q0[12] and Q0[12] both read column", checked.stdout), checked.stdout
    # an export with no answers makes no folder
    export = folder / entry["file"]
    empty = tmp_path / "header-only.csv"
    empty.write_text(export.read_text(encoding="utf-8-sig").splitlines()[0] + "\n",
                     encoding="utf-8")
    done = subprocess.run([*CLI, "init", str(tmp_path / "none"), "--from", str(empty)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "Traceback" not in done.stderr, done.stderr
    assert not (tmp_path / "none").exists()
    # a tool named with --format that the export plainly is not: refused, nothing made
    done = subprocess.run([*CLI, "init", str(tmp_path / "wrong"), "--from", str(export),
                           "--format", "qualtrics"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "looks like SmartSurvey's export, not Qualtrics's" in done.stderr
    assert not (tmp_path / "wrong").exists()
    # an item's wordings written wrongly: said in the forms an item may take
    entry = survey_entry(folder)
    entry["items"]["Q01"] = {"any_of": "only one wording"}
    set_survey(folder, entry)
    checked = subprocess.run([*CLI, "validate", str(folder)], capture_output=True, text=True,
                             timeout=120)
    assert checked.returncode == 1, checked.stdout
    assert "'evidence.survey.items.Q01' is {'any_of': 'only one wording'}, which is none of " \
           "the forms allowed here — write its column's header" in checked.stdout, checked.stdout
    assert 'any_of: ["one wording", "another"]' in checked.stdout


def test_a_column_the_survey_file_does_not_know_is_refused_only_when_it_holds_numbers():
    """Embedded data, a slider or a text question is no multiple-choice question of the
    .qsf, yet its words read as they are: only a column of bare numbers the survey file
    cannot turn into words is refused (found by a hostile review)."""
    from types import SimpleNamespace

    from coprod_eval.inputs.survey.dictionary import survey_file_problems
    from coprod_eval.inputs.survey.mapping import SurveySource

    raw = SimpleNamespace(name="export.csv", header_row_number=3, header=[
        '{"ImportId":"Role"}', '{"ImportId":"QID9_1"}', '{"ImportId":"QID2_1"}'],
        rows=[["staff", "1", "4"], ["partner", "", "5"], ["partner", "2", ""]])
    source = SurveySource(file=Path("export.csv"), name="export.csv", format="qualtrics",
                          dictionary=Path("survey.qsf"), dictionary_name="survey.qsf")
    choices = {"QID2_1": {"4": "Agree", "5": "Strongly agree"}}
    problems = survey_file_problems(source, raw, [0, 1, 2], choices, lambda i: f"column {i}")
    assert [(p.column, "QID9_1" in p.what) for p in problems] == [("column 1", True)]
