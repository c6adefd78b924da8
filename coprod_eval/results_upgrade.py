"""results.json written by an earlier release, read as today's facts.

A run folder is never rewritten, so a project examined before results.json held facts only
(schema 3.x) keeps its 3.x results: a later round compares with them, the app serves them,
the portfolio stores them. :func:`upgrade` turns such a file into a 4.0 one in memory: the
yardstick's rules, the rubric and the confidence rule back from the sentences 3.x wrote (they
were written from these facts by one rule each); indicator thresholds from the built-in
framework file they came from; and what no fact can give back — a truth's words, what would
settle a verdict — kept as the earlier release wrote them (``legacy_text``), shown as they
were. Every field 4.0 added and 3.x could not know is null or empty, never guessed.

The changes from 3.x to 4.0, field by field, are in ``data/schemas/results-migration.md``.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from .disclosure.privacy import p_band

EVIDENCE_CODES = {
    "the staff and community-partner survey": "survey",
    "the meeting attendance records": "attendance", "the decision log": "decisions",
    "the payment, expenses and training records": "resources",
    "the coded interview and focus-group excerpts": "qualitative",
    "the records of involvement at each stage": "stages",
    "the project's self-assessment": "self_assessment",
    "the principle ratings and the rules that set the level (see Methods)": "ratings",
    "plan.yaml": "plan", "who_is_in_the_room in evaluation.yaml": "room"}
UNKNOWN = ("rating_withheld", "too_few_records", "no_value")


def upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """A 4.4 result from a 3.x or 4.x one (a 4.4 one is returned as it is)."""
    version = str(data.get("schema_version", ""))
    if version.startswith("3."):
        data = _from_3(data)
    elif version in ("4.0.0", "4.1.0", "4.2.0", "4.3.0"):
        data = copy.deepcopy(data)
    else:
        return data
    for principle in data["principles"]:
        for indicator in principle.get("evidence") or ():
            indicator.setdefault("band_word", None)  # 4.4: conduct in words (was withheld)
    if version not in ("4.2.0", "4.3.0"):
        for principle in data["principles"]:
            for quote in principle.get("quotes") or ():
                quote.setdefault("kept", [])  # 4.1: spans the evaluator kept on purpose
            for comparison in principle.get("comparisons") or ():
                _coarse(comparison)
        for entry in (data.get("disagreement") or {}).get("entries") or ():
            if entry.get("shown"):
                _coarse(entry)
    data["parameters"].setdefault("item_checks", None)  # 4.3: the answers were not checked
    data["schema_version"] = "4.4.0"
    return data


def _coarse(figures: dict) -> None:
    """4.2: p-values as their bands; Cliff's delta keeps its figure (effect_band null)."""
    for name in ("p", "p_holm"):
        value = figures.pop(name, None)
        figures[f"{name}_band"] = None if value is None else list(p_band(value))
    if "effect_size" in figures:
        figures.setdefault("effect_band", None)


def _from_3(data: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(data)
    data["schema_version"] = "4.0.0"
    framework = data["framework"]
    ratings = {r["label"]: r["id"] for r in framework["ratings"]}
    levels = {lv["name"]: lv["id"] for lv in framework["ladder"]["levels"]}
    yardstick = framework.pop("yardstick", "")
    framework["builtin"] = "coprod-eval's built-in file" in yardstick
    framework["ladder"]["builtin"] = "(built in)" in yardstick
    old_rules = list(framework["level_rules"])
    framework["level_rules"] = [_rule(text, ratings, levels) for text in old_rules]
    rubric = framework["rubric"]
    no_evidence = re.search(r"the rating is '([^']+)'", rubric)
    framework["rubric"] = {"combine": "minimum" if "lowest rating" in rubric else "median",
                           "no_evidence": ratings.get(no_evidence.group(1) if no_evidence
                                                      else "", framework["ratings"][0]["id"])}
    framework["confidence"] = _confidence(framework.pop("confidence_rule", ""))
    framework.pop("stage_rule", None)
    framework["min_rows"] = {}
    thresholds = _thresholds(framework)
    names = {p["name"]: p for p in data["principles"]}
    for p in data["principles"]:
        for stats in p["groups"].values():
            stats.setdefault("pct_agree_band", None)
            stats.setdefault("agree_rank", None)
            if stats.get("alpha"):
                stats["alpha"] = _alpha(stats["alpha"])
        for c in p["comparisons"]:
            c.pop("pct_agree", None)
        p["evidence"] = [_indicator(i, thresholds.get((p["id"], i["id"])), framework)
                         for i in p["evidence"]]
    overall = data["overall"]
    said = overall["rule"]
    overall["rule"] = next((i for i, text in enumerate(old_rules)
                            if said.split(";")[0] == text), len(old_rules) - 1)
    overall["capped_by_stages"] = "; capped at" in said
    overall["settle"] = [{"reason": "legacy", "text": line} for line in overall["settle"]]
    overall["inconvenient_truths"] = [
        {"rank": t["rank"], "kind": t["kind"], "principle": t["principle"],
         "facts": {"legacy_text": t["text"]},
         "evidence": [EVIDENCE_CODES.get(e, e) for e in t["evidence"]]}
        for t in overall["inconvenient_truths"]]
    data["privacy"]["withheld"] = [w for w in (_withheld(line, names, data["groups"])
                                               for line in data["privacy"]["withheld"]) if w]
    if data.get("agreement"):
        data["agreement"].pop("note", None)
        data["agreement"].setdefault("principle_agreement", None)
        data["agreement"]["min_double_coded"] = 10
    for e in (data.get("disagreement") or {}).get("entries", []):
        if e["shown"]:
            e["pct_agree_band"] = [None, None]
            mine, theirs = e["pct_agree"]
            e["agree_order"] = (mine > theirs) - (mine < theirs)  # as shown: all 3.x knew
    if data.get("room"):
        data["room"] = _room(data["room"], data["privacy"]["min_group_size"])
    making = (data.get("coproduced") or {}).get("sense_making")
    if making:
        making["round"] = int(data["project"].get("round") or 1)
    return data


def _rule(text: str, ratings: dict, levels: dict) -> dict:
    level, _, condition = text.partition(": when ")
    rule = {"level": levels.get(level, level), "all_at_least": None, "at_least_rating": None,
            "at_least_count": 0}
    every = re.search(r"every principle is rated at least '([^']+)'", condition)
    if every:
        rule["all_at_least"] = ratings.get(every.group(1))
    some = re.search(r"at least (\d+) principles? (?:is|are) rated '([^']+)'", condition)
    if some:
        rule["at_least_count"], rule["at_least_rating"] = int(some.group(1)), ratings.get(
            some.group(2))
    return rule


def _confidence(text: str) -> dict:
    high = re.search(r"at least (\d+) independent evidence streams were assessed and their "
                     r"ratings lie within (\d+)", text)
    medium = re.search(r"medium with at least (\d+)", text)
    within = int(high.group(2)) if high else 1
    return {"high": {"streams": int(high.group(1)) if high else 3, "agree_within": within},
            "medium": {"streams": int(medium.group(1)) if medium else 2,
                       "agree_within": within}}


def _thresholds(framework: dict) -> dict:
    """(principle, indicator) → direction, thresholds and truth, from the built-in framework
    file the result names (only when it is the same version)."""
    if not framework["builtin"]:
        return {}
    from .yardsticks.framework import load_framework

    try:
        loaded = load_framework(framework["id"])
    except Exception:  # an id no longer built in: no thresholds to give back
        return {}
    if loaded.version != framework["version"]:
        return {}
    return {(p.id, i.id): {"direction": i.direction, "truth": i.truth,
                           "thresholds": [{"rating": r, "value": t} for r, t in i.thresholds]}
            for p in loaded.principles for i in p.indicators}


def _indicator(old: dict, known: dict | None, framework: dict) -> dict:
    explanation = old.pop("explanation", "")
    scale = [r["id"] for r in framework["ratings"]]
    known = known or {"direction": "lower_is_better" if " limit " in explanation
                      else "higher_is_better", "truth": None, "thresholds": []}
    status = old["status"]
    return {**old, **known, "band": None,
            "rating_range": ((scale[0], scale[-1]) if status in UNKNOWN
                             else old.get("rating_range")),
            "rounded": "rounded to protect a small group" in explanation,
            "record_count": None, "needed": None, "record_unit": None,
            "small_part": ("on one side of it" in explanation
                           if status == "figure_withheld" else None)}


def _alpha(old: dict) -> dict:
    note = old.pop("note", "")
    least = re.search(r"fewer than (\d+) people", note)
    status = ("too_few" if note.startswith("Not estimated: fewer") else
              "no_variation" if "every complete set" in note else "estimated")
    return {**old, "status": status, "min_people": int(least.group(1)) if least else 10}


def _withheld(line: str, names: dict, groups: list) -> dict | None:
    name, _, what = line.partition(": ")
    principle = names.get(name)
    if principle is None:
        return None
    for group in groups:
        if what == f"{group['label'].lower()}'s survey statistics":
            return {"principle": principle["id"], "group": group["id"]}
    indicator = next((i for i in principle["evidence"] if i["label"] == what), None)
    return None if indicator is None else {"principle": principle["id"],
                                           "indicator": indicator["id"]}


def _room(old: dict, min_n: int) -> dict:
    out = []
    for c in old["characteristics"]:
        rows = [{"categories": list(row["merged"]) or [row["category"]],
                 "partners": row["partners"], "share": row["share"],
                 "population_share": row["population_share"],
                 "side": ("below" if row["share"] is not None
                          and row["share"] < row["population_share"] else "at_or_above"),
                 "under_represented": (list(row["merged"]) or [row["category"]])
                 if row["under_represented"] else []} for row in c["categories"]]
        out.append({"characteristic": c["characteristic"],
                    "partners_total": c["partners_total"],
                    "counts_withheld": "too_few_partners" if not rows else None,
                    "small_side": None, "min_group_size": min_n, "rows": rows})
    return {"characteristics": out}
