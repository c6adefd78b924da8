"""Learn which words make a question reverse-worded from the labelled example questions
(coprod_eval/data/examples/*.csv) and the bundled instruments' statements, and write what
was learnt to coprod_eval/data/examples/reverse_words.csv, which init --from reads
(coprod_eval/inputs/survey/wording.py: learnt_reading). A logistic regression
(scikit-learn) on tf-idf of each question's words and word pairs, its classes weighted
equally. Run after the example bank changes (make examples); tests/test_wording.py checks
the file is what this writes.

    .venv/bin/python bench/learn_reverse.py            write the file
    .venv/bin/python bench/learn_reverse.py --check    print cross-validated figures only
"""

from __future__ import annotations

import csv
from pathlib import Path

import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from coprod_eval.base.paths import builtin_ids, resolve_builtin
from coprod_eval.inputs.survey.own import statement
from coprod_eval.inputs.survey.wording import LEARNT, features

C = 10.0  # regularisation: learnt from the first two corpora, the third (held out) read best at
# 3 or 10, and 10 moved least with the threshold


def examples() -> tuple[list[str], list[bool], list[str]]:
    """(questions, reverse-worded?, where each came from): every example bank's questions,
    then every bundled instrument's staff and partner statements."""
    texts, labels, source = [], [], []
    for path in sorted(LEARNT.parent.glob("*.csv")):
        if path == LEARNT:
            continue
        for row in csv.DictReader(path.open(encoding="utf-8")):
            texts.append(statement(row["question"]) or row["question"])
            labels.append(row["reverse"] == "yes")
            source.append(path.stem)
    for ref in builtin_ids("instruments"):
        for item in yaml.safe_load(resolve_builtin("instruments", ref).read_text(
                encoding="utf-8"))["items"]:
            for side in ("staff", "partner"):
                if item.get(side):
                    texts.append(item[side])
                    labels.append(bool(item.get("reverse")))
                    source.append(ref)
    return texts, labels, source


def learn(texts: list[str], labels: list[bool]):
    """(the vectoriser, the fitted model)."""
    vectoriser = TfidfVectorizer(analyzer=features, sublinear_tf=True)
    # fitted to the optimum (the loss is strictly convex), so another release of the solver
    # gives the same weights to many places
    model = LogisticRegression(C=C, class_weight="balanced", max_iter=100000, tol=1e-10)
    model.fit(vectoriser.fit_transform(texts), labels)
    return vectoriser, model


def rows(vectoriser, model) -> list[tuple[str, str, str]]:
    """What is written: the intercept, then each feature with its rarity and weight, in the
    vectoriser's order (weights of exactly 0 kept: the rarity still scales the rest)."""
    out = [("(intercept)", "", repr(float(model.intercept_[0])))]
    for feature, idf, weight in zip(vectoriser.get_feature_names_out(), vectoriser.idf_,
                                    model.coef_[0]):
        out.append((str(feature), repr(float(idf)), repr(float(weight))))
    return out


def write(path: Path = LEARNT) -> None:
    texts, labels, _ = examples()
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(("feature", "idf", "weight"))
        out.writerows(rows(*learn(texts, labels)))
    print(f"{path}: learnt from {len(texts)} questions, {sum(labels)} reverse-worded")


if __name__ == "__main__":
    write()
