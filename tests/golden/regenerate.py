"""Regenerate the golden results.json of each sample evaluation:

    make golden        (or: .venv/bin/python tests/golden/regenerate.py)

Review the diff before committing: a change here is a change in findings.
"""

from pathlib import Path

import coprod_eval as ce

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parent.parent / "data_samples"

for folder in sorted(p for p in SAMPLES.iterdir() if (p / "evaluation.yaml").is_file()):
    evaluation = ce.load_evaluation(folder)
    result = ce.evaluate(evaluation, ce.load_evidence(evaluation))
    print(result.write(HERE / f"{folder.name}.results.json"))
