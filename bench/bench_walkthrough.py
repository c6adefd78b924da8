"""Benchmark: a new evaluator's own questionnaire, from raw export to report (issue 26).

A scripted person drives the real commands in a terminal (pexpect): ``init --from`` on a
SmartSurvey export of 15 questions the suggester never saw (held-out corpus, three groups:
staff, people who use the service, carers; a 7-point scale with "Not sure"), ``map``
answering every prompt as someone who knows the right principle and reverse flag would
(Enter when the suggestion is right, the right answer typed when not: a correction),
``validate`` and ``run``; then the same people's Qualtrics export through ``init --like``,
``map`` (only what differs), ``validate`` and ``run``. Printed: prompts, corrections,
program seconds, an estimate of a person's minutes (a stated model, not a measurement), and
whether each report's verdict equals the verdict of the true mapping.

Targets for a person: <= 15 minutes for the first export, <= 3 minutes for each further one.

    .venv/bin/python bench/bench_walkthrough.py     (also part of make bench)
"""

from __future__ import annotations

import csv
import json
import random
import re
import sys
import tempfile
import time
from pathlib import Path

import pexpect
import yaml

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "suggest_heldout5.csv"
CLI = [sys.executable, "-m", "coprod_eval"]
SEVEN = ["Strongly disagree", "Disagree", "Somewhat disagree", "Neither agree nor disagree",
         "Somewhat agree", "Agree", "Strongly agree"]
GROUPS = {"staff": "I work for the service", "partner": "I use the service",
          "carer": "I care for someone who uses the service"}
ROLE_QUESTION = "Which of these describes you best?"
# The person model: seconds to read a prompt and press Enter, to work out and type a
# correction, and to type a command; the program's own time is added as measured.
READ, CORRECT, COMMAND = 15, 45, 30


def questionnaire(n: int = 15, seed: int = 3) -> list[dict]:
    """n held-out questions, as evenly over the principles as the corpus allows."""
    rows = list(csv.DictReader(CORPUS.open(encoding="utf-8")))
    rng = random.Random(seed)
    rng.shuffle(rows)
    chosen: list[dict] = []
    principles = sorted({r["principle"] for r in rows})
    while len(chosen) < n:
        for principle in principles:
            left = [r for r in rows if r["principle"] == principle and r not in chosen]
            if left and len(chosen) < n:
                chosen.append(left[0])
    return [{"id": f"Q{k:02d}", "text": r["question"], "principle": r["principle"],
             "also_ok": r["also_ok"], "reverse": r["reverse"] == "yes"}
            for k, r in enumerate(chosen, 1)]


# How far each principle is practised, as the people answering see it: some are, some not,
# so a wrong principle or reverse flag would move a rating.
PRACTISED = {"assets": 1.0, "capabilities": 0.6, "reciprocity": -0.8, "networks": 0.4,
             "blurring": -1.2, "catalysts": 0.0}


def people(questions: list[dict], n: int = 90, seed: int = 11) -> list[dict]:
    """Answers that go together within a person (a trait), staff more positive than the
    others, principles practised to different degrees, reverse-worded questions answered
    the other way."""
    rng = random.Random(seed)
    out = []
    for k in range(n):
        role = ("staff", "partner", "carer")[k % 3]
        trait = rng.gauss(0.6 if role == "staff" else 0.0, 0.6)
        answers = {}
        for q in questions:
            value = trait + PRACTISED[q["principle"]] + rng.gauss(0, 0.7)
            value = -value if q["reverse"] else value
            code = min(7, max(1, round(4 + 1.2 * value)))
            answers[q["id"]] = "Not sure" if rng.random() < 0.04 else SEVEN[code - 1]
        out.append({"id": f"R{k + 1:03d}", "role": role, "answers": answers})
    return out


def smartsurvey(path: Path, questions, persons) -> None:
    header = ["UserNo", "Name", "Email", "IP Address", "Unique ID", "Started", "Ended",
              ROLE_QUESTION] + [q["text"] for q in questions]
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        for p in persons:
            writer.writerow([p["id"], "", "", "0.0.0.0", "", "01/03/2026 10:00",
                             "01/03/2026 10:09", GROUPS[p["role"]],
                             *[p["answers"][q["id"]] for q in questions]])


def qualtrics(path: Path, questions, persons) -> None:
    meta = ["StartDate", "EndDate", "Status", "Progress", "Duration (in seconds)", "Finished",
            "RecordedDate", "ResponseId"]
    ids = meta + ["Q1"] + [f"Q2_{k}" for k in range(1, len(questions) + 1)]
    texts = meta + [ROLE_QUESTION] + [f"How far do you agree? - {q['text']}" for q in questions]
    imports = [json.dumps({"ImportId": m.lower()}) for m in meta] + [
        json.dumps({"ImportId": "QID1"})] + [json.dumps({"ImportId": f"QID2_{k}"})
                                           for k in range(1, len(questions) + 1)]
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerows([ids, texts, imports])
        for p in persons:
            writer.writerow(["2026-03-01 10:00:00", "2026-03-01 10:09:00", "0", "100", "540",
                             "True", "2026-03-01 10:09:00", p["id"], GROUPS[p["role"]],
                             *[p["answers"][q["id"]] for q in questions]])


class Person:
    """Answers map's prompts as someone who knows the truth; counts what it takes."""

    def __init__(self, questions, trusting: bool = False):
        self.truth = {q["text"]: q for q in questions}
        self.trusting = trusting  # presses Enter at every suggestion, right or wrong
        self.accepted_wrong: dict[str, set[str]] = {}  # question id → what was wrong
        self.prompts = self.corrections = 0
        self.wrong = {"principle": 0, "reverse": 0}  # the corrections, by kind
        self.current: dict | None = None

    def map(self, folder: Path) -> float:
        started = time.perf_counter()
        child = pexpect.spawn(CLI[0], [*CLI[1:], "map", str(folder)], encoding="utf-8",
                              timeout=120, dimensions=(50, 250))
        patterns = [r"(Q\d\d) \(\d+ of \d+\): (.*)\r\n",
                    r"principle\(s\) \[([^\]]*)\]: ",
                    r"reverse-worded .*\[(Y/n|y/N)\]: ",
                    r"who answered '([^']*)'\? \([^)]*\): ",
                    r"side of '[^']*' \(staff / partner\): ",
                    r"how reports name '[^']*' \[[^\]]*\]: ",
                    r"Enter keeps these names.*: ",
                    r"the same question\? \[Y/n\]: ",
                    r"Who confirmed this mapping\?.*: ",
                    pexpect.EOF]
        while True:
            which = child.expect(patterns)
            if which == 0:
                self.current = {**self._question(child.match.group(2)),
                                "shown_id": child.match.group(1)}
                continue
            if which == len(patterns) - 1:
                break
            self.prompts += 1
            child.sendline(self._answer(which, child.match))
        child.close()
        if child.exitstatus != 0:
            raise SystemExit(f"map failed: {child.before}")
        return time.perf_counter() - started

    def _question(self, shown: str) -> dict:
        """The question map shows (its wording as the instrument keeps it)."""
        import difflib

        best = max(self.truth, key=lambda t: difflib.SequenceMatcher(
            None, " ".join(t.split()), " ".join(shown.split())).ratio())
        return self.truth[best]

    def _judged(self, right: bool, kind: str, answer: str) -> str:
        """Enter on a right suggestion; on a wrong one, the right answer typed (a
        correction), or Enter all the same from a person who trusts every default."""
        if right:
            return ""
        if self.trusting:
            self.accepted_wrong.setdefault(self.current["shown_id"], set()).add(kind)
            return ""
        self.corrections += 1
        self.wrong[kind] += 1
        return answer

    def _answer(self, which: int, match) -> str:
        q = self.current
        if which == 1:  # the principle(s)
            said = [s.strip() for s in match.group(1).split(",")]
            # only the principle the answers were made from: a second acceptable one
            # would move both principles' ratings away from the truth's
            return self._judged(said == [q["principle"]], "principle", q["principle"])
        if which == 2:  # reverse-worded?
            return self._judged((match.group(1) == "Y/n") == q["reverse"], "reverse",
                                "y" if q["reverse"] else "n")
        if which == 3:  # which group an answer means
            return {v: k for k, v in GROUPS.items()}[match.group(1)]
        if which == 4:
            return "partner"
        if which == 8:
            return "evaluator, partner representative"
        return "y" if which == 7 else ""


def warned(folder: Path) -> set[str]:
    """The questions validate says run against or sit apart from their principle's others."""
    import subprocess

    done = subprocess.run([*CLI, "validate", str(folder)], capture_output=True, text=True,
                          timeout=900)
    return set(re.findall(r"\b(Q\d\d) (?:runs against|sits apart)", done.stdout))


def command(*args: str, refused_ok: bool = False) -> tuple[float, int]:
    """Run a command; its seconds and exit code (a failure stops the benchmark, but a
    validate that refuses a folder left to decide, when ``refused_ok``)."""
    import subprocess

    started = time.perf_counter()
    done = subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=900)
    if done.returncode != 0 and not (refused_ok and done.returncode == 1):
        raise SystemExit(f"{' '.join(args[:2])} failed:\n{done.stdout}\n{done.stderr}")
    return time.perf_counter() - started, done.returncode


def verdict(folder: Path) -> tuple[str, tuple]:
    """The claim's verdict and every principle's rating, from the latest run."""
    run = max((folder / "runs").iterdir())
    results = json.loads((run / "results.json").read_text())
    return results["overall"]["claim_verdict"], tuple(p["rating"] for p in
                                                      results["principles"])


def true_verdict(folder: Path, questions, tmp: Path) -> tuple[str, tuple]:
    """The verdict with every question mapped as it was written (the truth)."""
    import shutil

    copy = tmp / "truth"
    shutil.copytree(folder, copy, ignore=shutil.ignore_patterns("runs"))
    path = copy / "instrument" / "own_questionnaire.yaml"
    data = yaml.safe_load(path.read_text())
    by_text = {" ".join(q["text"].split()): q for q in questions}
    for item in data["items"]:
        q = by_text[" ".join(item["text"].split())]
        item["principles"], item["reverse"] = [q["principle"]], q["reverse"]
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    command("run", str(copy), "--no-progress")
    return verdict(copy)


def main() -> None:
    global CORPUS
    if len(sys.argv) > 1:
        CORPUS = Path(sys.argv[1])
    questions = questionnaire()
    persons = people(questions)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        smartsurvey(tmp / "smartsurvey.csv", questions, persons)
        qualtrics(tmp / "qualtrics.csv", questions, persons)
        rows = []
        person = Person(questions)
        first = tmp / "first"
        seconds = command("init", str(first), "--from", str(tmp / "smartsurvey.csv"))[0]
        seconds += person.map(first)
        seconds += command("validate", str(first))[0] + command(
            "run", str(first), "--no-progress")[0]
        rows.append(("first export (init --from, map)", person, seconds, 4))
        second_person = Person(questions)
        second = tmp / "second"
        seconds = command("init", str(second), "--from", str(tmp / "qualtrics.csv"),
                          "--like", str(first))[0]
        took, refused = command("validate", str(second), refused_ok=True)
        seconds, commands = seconds + took, 3
        if refused:  # something differs: map asks it, then validate again
            seconds += second_person.map(second) + command("validate", str(second))[0]
            commands += 2
        seconds += command("run", str(second), "--no-progress")[0]
        rows.append(("further export (init --like" + (", map)" if refused else ")"),
                     second_person, seconds, commands))
        truth = true_verdict(first, questions, tmp)
        trusting = Person(questions, trusting=True)
        trusted = tmp / "trusting"
        command("init", str(trusted), "--from", str(tmp / "smartsurvey.csv"))
        trusting.map(trusted)
        named = warned(trusted)
        command("run", str(trusted), "--no-progress")
        print("A new evaluator's own questionnaire, raw export to report: 15 held-out "
              "questions, 3 groups, 7-point scale with 'Not sure', 90 people")
        print(f"{'export':36} {'prompts':>7} {'corrections':>11} {'program s':>9} "
              f"{'person min*':>11} {'verdict':>16} {'right?':>6}")
        for (name, who, secs, commands), folder in zip(rows, (first, second)):
            minutes = (who.prompts * READ + who.corrections * (CORRECT - READ)
                       + commands * COMMAND + secs) / 60
            found = verdict(folder)
            kinds = f"{who.corrections} ({who.wrong['principle']}p {who.wrong['reverse']}r)"
            print(f"{name:36} {who.prompts:>7} {kinds:>11} {secs:>9.1f} "
                  f"{minutes:>11.1f} {found[0]:>16} {'yes' if found == truth else 'NO':>6}")
        print("corrections: p a principle suggestion, r a reverse flag")
        kept = trusting.accepted_wrong
        wrong_reverse = {k for k, kinds in kept.items() if "reverse" in kinds}
        wrong_principle = {k for k, kinds in kept.items() if "principle" in kinds}
        print(f"Trusting every default (Enter at every suggestion): verdict and ratings as the "
              f"true mapping's: {'yes' if verdict(trusted) == truth else 'NO'} "
              f"({verdict(trusted)[0]}: {', '.join(verdict(trusted)[1])}); wrong suggestions "
              f"kept: {len(wrong_principle)} principles, {len(wrong_reverse)} reverse flags, "
              f"on {len(kept)} questions; named by validate's data check: "
              f"{len(named & set(kept))} of those questions ({len(named & wrong_reverse)} of the "
              f"reverse flags)"
              + (f", and {len(named - set(kept))} right ones" if named - set(kept) else ""))
        print(f"* person minutes modelled: {READ} s a prompt read and accepted, {CORRECT} s a "
              f"correction, {COMMAND} s a command typed, plus the program's time. Targets: "
              "<= 15 min first export, <= 3 min each further export. Right: the claim's "
              f"verdict and all {len(truth[1])} principles' ratings as the true mapping's "
              f"({truth[0]}: {', '.join(truth[1])})")


if __name__ == "__main__":
    main()
