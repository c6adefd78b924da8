"""Writes data_samples/own-questionnaire: an evaluation whose survey is the evaluator's own
questionnaire (18 questions of its own wording, three of them reverse-worded, on a 7-point
scale), exported from SmartSurvey, set up the way a user does it:

    coprod-eval init own-questionnaire --from smartsurvey.csv
    coprod-eval map own-questionnaire        (answers below, as typed at the prompts)

The answers are synthetic (a fixed seed); the export is written by tests/exportkit.py, the
test suite's model of each tool's layout. Run: python data_samples/own_questionnaire.py
[FOLDER] (make samples; into FOLDER/own-questionnaire instead, as the tests do).
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from exportkit import OWN_QUESTIONS, SEVEN, Mess, Respondent, own_items, write_export  # noqa: E402

TARGET = HERE / "own-questionnaire"
# What the evaluator and the partner representative typed at each prompt of coprod-eval map:
# they accept most suggestions and type these (where a suggestion was wrong on some day).
CORRECTIONS = {"Q03": "assets", "Q05": "capabilities", "Q09": "reciprocity", "Q12": "networks",
               "Q17": "catalysts"}


def people(seed: int = 11) -> list[Respondent]:
    rng = random.Random(seed)
    out = []
    for k in range(46):
        role = "staff" if k < 18 else "partner"
        answers, tokens = {}, {}
        # how far this person sees partnership, across the questions: a person's answers go
        # together (as real answers do), so the item check can tell a question out of step
        trait = rng.gauss(0, 1)
        for qid, principle, reverse, _ in OWN_QUESTIONS:
            # staff see co-production more than partners do, most of all in sharing power
            pool = [4, 5, 5, 6, 6, 7] if role == "staff" else (
                [2, 3, 3, 4, 5, 6] if principle in ("blurring", "catalysts") else
                [3, 4, 5, 5, 6, 6])
            at = round((len(pool) - 1) / 2 + 1.4 * trait + rng.gauss(0, 1.1))
            value = pool[min(max(at, 0), len(pool) - 1)]
            if reverse:
                value = 8 - value
            if rng.random() < 0.04:
                value, tokens[qid] = None, "Don't know"
            answers[qid] = value
        out.append(Respondent(f"SS{1000 + k}", role, answers, tokens))
    return out


def main(target: Path = TARGET) -> None:
    if target.exists():
        shutil.rmtree(target)
    with tempfile.TemporaryDirectory() as tmp:
        entry = write_export("smartsurvey", Path(tmp), people(),
                             Mess(labels=SEVEN, items=own_items(), smart_quirks=True))
        export = Path(tmp) / entry["file"]
        cli = [sys.executable, "-m", "coprod_eval"]
        subprocess.run([*cli, "init", str(target), "--from", str(export), "--project",
                        "Riverside Peer Support Service"], check=True)
        answers = []
        for qid, *_ in OWN_QUESTIONS:
            answers += [CORRECTIONS.get(qid, ""), ""]
        answers += ["staff", "partner", "", "evaluator, partner representative"]  # "" keeps names
        subprocess.run([*cli, "map", str(target)], input="\n".join(answers) + "\n", text=True,
                       check=True, capture_output=True)
    # a fixed confirmation date, so the sample's results do not change with the day
    config = target / "evaluation.yaml"
    text = config.read_text()
    start = text.index("date: ", text.index("\n    mapping_confirmed: {"))
    config.write_text(text[:start] + "date: 2026-11-20}" + text[text.index("}", start) + 1:])
    print(f"wrote {target}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) / TARGET.name if len(sys.argv) > 1 else TARGET)
