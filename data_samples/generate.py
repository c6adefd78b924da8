"""Make the synthetic sample evaluations in data_samples/ (fixed seed: same files every time).

    python data_samples/generate.py            # rewrite the samples beside this script
    python data_samples/generate.py OUTDIR     # write them somewhere else (tests do this)

Two projects, both claiming co-production:
- genuine-coproduction: staff and community partners alike experience all six principles.
- involvement-as-coproduction: staff rate the work highly; community partners do not. Its
  claim of co-production must come out unsupported.
Respondents are invented; ids are pseudonyms such as S001 and P001.
"""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

import numpy as np

from coprod_eval.framework import builtin_instrument_path, load_framework, load_instrument
from coprod_eval.scaffold import init

SEED = 20261125
HERE = Path(__file__).resolve().parent

# P(agree) for each group, by the principle an item evidences first.
SAMPLES = {
    "genuine-coproduction": dict(
        project_name="Riverside Peer Recovery Service",
        organisation="Riverside NHS Foundation Trust with Riverside Lived Experience CIC",
        evaluator="Independent evaluation team (synthetic sample)",
        staff=24, partner=16, missing=0.04,
        p_staff={"assets": .9, "capabilities": .88, "reciprocity": .9, "networks": .8,
                 "blurring": .86, "catalysts": .84},
        p_partner={"assets": .9, "capabilities": .86, "reciprocity": .92, "networks": .72,
                   "blurring": .88, "catalysts": .85},
    ),
    "involvement-as-coproduction": dict(
        project_name="Northgate Community Mental Health Redesign",
        organisation="Northgate Integrated Care Board",
        evaluator="Independent evaluation team (synthetic sample)",
        staff=30, partner=12, missing=0.07,
        p_staff={"assets": .88, "capabilities": .82, "reciprocity": .85, "networks": .8,
                 "blurring": .84, "catalysts": .86},
        p_partner={"assets": .5, "capabilities": .3, "reciprocity": .35, "networks": .45,
                   "blurring": .25, "catalysts": .2},
    ),
}


def answer_probabilities(p_agree: float) -> np.ndarray:
    """Probabilities of codes 1..5 for a given chance of agreeing."""
    disagree = 1 - p_agree
    return np.array([.2 * disagree, .45 * disagree, .35 * disagree, .55 * p_agree, .45 * p_agree])


def generate(out: Path) -> list[Path]:
    rng = np.random.default_rng(SEED)
    instrument = load_instrument(builtin_instrument_path("coprod_survey"))
    framework = load_framework("nesta_nef_six")
    first_principle = {}
    for principle in framework.principles:
        for item in principle.items:
            first_principle.setdefault(item, principle.id)
    labels = dict(instrument.codes)
    folders = []
    for name, spec in SAMPLES.items():
        folder = out / name
        if folder.exists():
            shutil.rmtree(folder)
        init(folder, project_name=spec["project_name"], organisation=spec["organisation"],
             evaluator=spec["evaluator"], claimed_level="co_production", seed=SEED)
        rows = []
        for role, prefix in (("staff", "S"), ("partner", "P")):
            for k in range(1, spec[role] + 1):
                rid = f"{prefix}{k:03d}"
                for item in instrument.items:
                    p = spec[f"p_{role}"][first_principle[item.id]]
                    code = int(rng.choice(5, p=answer_probabilities(p))) + 1
                    if item.reverse:  # the experience is good, so the answer disagrees
                        code = 6 - code
                    draw = rng.random()
                    if draw < spec["missing"] / 2:
                        response = ""
                    elif draw < spec["missing"]:
                        response = "Don't know"
                    elif draw < 0.85:
                        response = labels[code]
                    else:
                        response = str(code)
                    rows.append((rid, role, item.id, response))
        with open(folder / "evidence" / "survey.csv", "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(["respondent_id", "group", "item_id", "response"])
            writer.writerows(rows)
        folders.append(folder)
    return folders


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    for folder in generate(target):
        print(folder)
