"""Every sentence a commissioner reads, in one place.

Plain words lead; test names and statistics go in the methods and behind "details". A
sentence never claims more than its test: group differences are described in the terms of
the test (each person's typical answer), with the direction from Cliff's delta; a verdict
says how sure it is in its first sentence. Figures are rounded only here, at the end, and
never so that a shown figure seems to contradict the threshold it was rated against.
"""

from __future__ import annotations

import math
import re

VERDICT_HEADLINES = {"supported": "Claim supported", "not_supported": "Claim not supported",
                     "not_established": "Claim not established"}
VERDICT_MARKS = {"supported": "✔", "not_supported": "✘", "not_established": "?"}
CONFIDENCE_WORDS = {"high": "High confidence", "medium": "Medium confidence",
                    "low": "Low confidence"}
CONFIDENCE_MEANS = {"high": "several independent kinds of evidence agree",
                    "medium": "two kinds of evidence agree, or several disagree",
                    "low": "it rests on one kind of evidence, or kinds that disagree"}
STREAM_NAMES = {"survey": "survey answers", "attendance": "meeting attendance records",
                "decisions": "decision log", "stages": "stage records",
                "resources": "payment, expenses and training records",
                "qualitative": "coded interview excerpts",
                "self_assessment": "self-assessment"}
EVIDENCE_NAMES = {
    "survey": "the staff and community-partner survey",
    "attendance": "the meeting attendance records",
    "decisions": "the decision log",
    "resources": "the payment, expenses and training records",
    "qualitative": "the coded interview and focus-group excerpts",
    "stages": "the records of involvement at each stage",
    "self_assessment": "the project's self-assessment",
    "ratings": "the principle ratings and the rules that set the level (see Methods)",
}
UNIT_LEFT_OUT = {"respondent": "one respondent left out changes it",
                 "meeting": "one meeting left out changes it",
                 "decision": "one decision left out changes it",
                 "partner": "one partner's record left out changes it",
                 "excerpt": "one excerpt left out changes it"}
UNIT_NAMES = {"respondent": "respondent", "meeting": "meeting", "decision": "decision",
              "partner": "partner's record", "excerpt": "excerpt"}

AGREEMENT_TOO_FEW = ("Only {n} excerpts were coded by two coders; agreement is not estimated "
                     "below {min}.")
AGREEMENT_NOTE = ("Agreement between two coders on whether an excerpt supports or contradicts "
                  "its principle (Cohen's kappa and Krippendorff's alpha, nominal), and the "
                  "share coded to the same principle. Ratings use the first coder's codes.")


# --- numbers -----------------------------------------------------------------------------

def p_value(p: float) -> str:
    """A p-value as it may be printed: never 'p = 0'."""
    if p < 0.001:
        return "p < 0.001"
    return f"p = {p:.3f}" if p < 0.1 else f"p = {p:.2f}"


def pct(value: float, decimals: int = 0) -> str:
    """A percentage for display, never rounded onto a round number it did not reach (79.99
    is shown as 79.99%, not 80%: thresholds sit on round numbers)."""
    return figure_text(value, decimals) + "%"


def figure_text(value: float, decimals: int = 0) -> str:
    for places in range(decimals, 4):
        text = f"{value:.{places}f}"
        shown = float(text)
        if shown == value or abs(shown) % 5 > 1e-9:
            return text
    return f"{value:.3f}"


def delta_text(delta: float) -> str:
    """Cliff's delta with two decimals, or three near a cut-off between effect sizes."""
    from .stats import EFFECT_SIZES

    near = any(abs(abs(delta) - limit) < 0.006 for limit, _ in EFFECT_SIZES)
    return f"{delta:+.3f}" if near else f"{delta:+.2f}"


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"


def shown_value(value: float, indicator) -> float:
    """``value`` rounded for display without crossing a threshold it did not cross."""
    higher = indicator.direction == "higher_is_better"
    for decimals in (1, 2, 3):
        shown = round(float(value), decimals)
        if all(((shown >= t) == (value >= t)) if higher else ((shown <= t) == (value <= t))
               for _, t in indicator.thresholds):
            return shown
    return round(float(value), 3)


def _figure(value: float, unit: str) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".") if value != round(value, 1) else f"{value:.1f}"
    return f"{text}{unit}"


def _threshold(value: float, unit: str) -> str:
    return f"{value:g}{unit}"


# --- indicators ----------------------------------------------------------------------------

MET_TOP = "{value} meets the '{label}' threshold ({threshold}), the highest rating."
MET_BETWEEN = ("{value} meets the '{label}' threshold ({threshold}) but not "
               "'{next_label}' ({next_threshold}).")
MET_NONE = "{value} does not reach the '{next_label}' threshold ({next_threshold})."
LIMIT_TOP = "{value} is within the '{label}' limit ({threshold}), the highest rating."
LIMIT_BETWEEN = ("{value} is within the '{label}' limit ({threshold}) but above "
                 "'{next_label}' ({next_threshold}).")
LIMIT_NONE = "{value} is above the '{next_label}' limit ({next_threshold})."


def explain(indicator, value: float, rating: str, framework,
            shown: float | None = None) -> str:
    """The threshold met and the next one missed, in words. ``shown`` is the figure as
    published when privacy rounds it; the rating is always on the exact value."""
    unit = indicator.unit
    thresholds = dict(indicator.thresholds)
    order = [rid for rid, _ in indicator.thresholds]  # lowest rating first
    if shown is not None and shown != value:
        from .rating import rate

        note = (" (The figure shown is calculated from counts rounded to protect a small "
                "group; the rating is on the exact figure.)")
        if rate(indicator, shown, framework) != rating:
            return (f"Rated {framework.rating(rating).label} on the exact figure"
                    f"{_band(indicator, rating, framework)}." + note)
        return explain(indicator, shown, rating, framework) + note
    shown = _figure(shown_value(value, indicator), unit)
    if indicator.direction == "lower_is_better":
        none, between, top = LIMIT_NONE, LIMIT_BETWEEN, LIMIT_TOP
    else:
        none, between, top = MET_NONE, MET_BETWEEN, MET_TOP
    if rating not in thresholds:
        return none.format(value=shown, next_label=framework.rating(order[0]).label,
                           next_threshold=_threshold(thresholds[order[0]], unit))
    label = framework.rating(rating).label
    position = order.index(rating)
    if position == len(order) - 1:
        return top.format(value=shown, label=label,
                          threshold=_threshold(thresholds[rating], unit))
    nxt = order[position + 1]
    return between.format(value=shown, label=label,
                          threshold=_threshold(thresholds[rating], unit),
                          next_label=framework.rating(nxt).label,
                          next_threshold=_threshold(thresholds[nxt], unit))


def _band(indicator, rating: str, framework) -> str:
    """', which is at least 60% and below 80%' — the band of a rating, in words."""
    thresholds = dict(indicator.thresholds)
    order = [rid for rid, _ in indicator.thresholds]
    unit = indicator.unit
    higher = indicator.direction == "higher_is_better"
    parts = []
    if rating in thresholds:
        parts.append(("at least " if higher else "at most ")
                     + _threshold(thresholds[rating], unit))
    following = order[order.index(rating) + 1] if rating in order and order.index(
        rating) + 1 < len(order) else (order[0] if rating not in thresholds else None)
    if following:
        parts.append(("below " if higher else "above ") + _threshold(thresholds[following], unit))
    return ", which is " + " and ".join(parts) if parts else ""


def not_assessed(evaluation, assessed: dict) -> str:
    stream = STREAM_NAMES[assessed["indicator"].stream]
    status = assessed["status"]
    if status == "not_supplied":
        return f"Not assessed: the project supplied no {stream}."
    if status == "no_questions":
        return ("Not assessed: no question of the survey is assigned to this principle "
                "(the confirmed mapping gives it none).")
    if status == "too_few_records" and "unit" in assessed:
        unit = {"meeting": "meetings", "decision": "decisions", "partner": "partners",
                "excerpt": "excerpts"}.get(assessed["unit"], "records")
        return (f"Not assessed: it rests on {assessed['rows']} {unit}, fewer than the "
                f"{assessed['needed']} the framework needs.")
    if status == "too_few_records":
        return (f"Not assessed: the {stream} hold {assessed['rows']} rows, fewer than the "
                f"{assessed['needed']} needed.")
    return f"Not assessed: the {stream} hold nothing this measure can use."


def figure_withheld(label: str, min_n: int, small_part: bool = False) -> str:
    if small_part:
        return (f"Rated {label}; the figure is withheld because fewer than {min_n} people are "
                "on one side of it (it would single them out).")
    return (f"Rated {label}; the figure is withheld because it concerns fewer than {min_n} "
            "people.")


def rating_withheld(min_n: int) -> str:
    return (f"Not shown: fewer than {min_n} people are behind this figure, and even its rating "
            "would give away their answers. It counts as unknown, so the principle's range "
            "reaches the bottom of the scale.")


# --- the yardstick ---------------------------------------------------------------------------

RUBRIC_TEXT = {
    "minimum": ("A principle's rating is the lowest rating among its indicators (a principle "
                "is only as strong as its weakest evidence)."),
    "median": "A principle's rating is the middle rating among its indicators.",
}


def rubric(framework) -> str:
    return (RUBRIC_TEXT[framework.combine]
            + f" With no indicator that can be assessed, the rating is "
              f"'{framework.rating(framework.no_evidence).label}' and its range the whole "
              "scale. An indicator that was measured but cannot be shown (too few people) "
              "counts as unknown: its range is the whole scale.")


def confidence_rule(framework) -> str:
    high, medium = framework.confidence_high, framework.confidence_medium
    return (f"Confidence is high when at least {high.streams} independent evidence streams "
            f"were assessed and their ratings lie within {high.agree_within} step(s) of each "
            f"other, medium with at least {medium.streams} such streams, and low otherwise; "
            "each indicator that cannot be shown lowers it one step.")


def stage_rule(framework) -> str:
    return (f"The overall level can be no higher than the lowest level recorded at the "
            f"{', '.join(framework.stage_rule_stages)} stages.")


def yardstick(framework, evaluation) -> str:
    from .framework import FRAMEWORKS_DIR

    builtin = str(evaluation.framework_file).startswith(str(FRAMEWORKS_DIR))
    where = ("coprod-eval's built-in file" if builtin
             else "the file chosen for this evaluation")
    ladder = framework.ladder
    ladder_where = ("built in" if ladder.builtin else "the file chosen for this evaluation")
    return (f"The thresholds and rules are those of the framework {framework.name} version "
            f"{framework.version} ({where}), read on the {ladder.name} version "
            f"{ladder.version} ({ladder_where}), agreed as the yardstick for this evaluation. "
            "They are a judgement of what good looks like, set out in advance so anyone can "
            "check them — not validated cut-offs.")


# --- verdict ----------------------------------------------------------------------------------

def level_name(result, level_id: str) -> str:
    return result.level(level_id)["name"]


def level_words(result, level_id: str) -> str:
    """A level as a sentence names it: 'co-production' (lowercase ladders), '“Empower”'."""
    name = level_name(result, level_id)
    return name.lower() if result.framework["ladder"].get("prose_names", "lowercase") == \
        "lowercase" else f"“{name}”"


def verdict_sentence(result) -> str:
    """The verdict's first sentence: what it is and how sure we are — and, when it hangs on
    the stage records, where a threshold is drawn or on one person, that too."""
    overall = result.overall
    low, high = (level_words(result, x) for x in overall.level_range)
    claimed = level_words(result, overall.claimed_level)
    sure = overall.confidence
    robust = result.robustness
    if overall.claim_verdict == "supported":
        text = (f"We are confident the evidence supports the claim ({sure} confidence): even "
                f"at the cautious end of its uncertainty it shows {low}, and the project "
                f"claims {claimed}.")
    elif overall.claim_verdict == "not_supported":
        text = (f"The evidence clearly falls short of the claim: even at the generous end of "
                f"its uncertainty it shows no more than {high}, and the project claims "
                f"{claimed}.")
        without = robust.get("without_stage_records")
        if without and without["verdict"] != "not_supported":
            stage = level_words(result, overall.stage_level)
            text += (f" The shortfall comes from the stage records, which show no more than "
                     f"{stage} at the {and_words(_stage_names(result))} stages; the other "
                     "evidence alone would not rule the claim out.")
        return text
    else:
        span = low if low == high else f"anything from {low} to {high}"
        why = ("" if sure != "low" or low != high else
               " Its confidence is low: the ratings rest on too few independent kinds of "
               "evidence.")
        return (f"The evidence is not strong enough to say either way: it is consistent with "
                f"{span}, and the project claims {claimed}.{why}")
    return text + fragility(result)


def fragility(result) -> str:
    """What a supported verdict hangs on, if anything."""
    robust = result.robustness
    shift = robust["threshold_shift"]
    verdict = result.overall.claim_verdict
    notes = []
    for side in ("stricter", "laxer"):
        if shift[side]["verdict"] != verdict:
            notes.append(f"with every threshold 5 points {side} it would be "
                         f"{VERDICT_HEADLINES[shift[side]['verdict']].lower()}")
    if not robust["leave_one_out"]["verdict"]:
        units = sorted({UNIT_NAMES.get(u, u)
                        for u in robust["leave_one_out"]["verdict_changed_by"]})
        notes.append("leaving out a single " + and_words(units) + " could change it")
    if not notes:
        return ""
    return " It is close to the line: " + "; ".join(notes) + " (see “How sure are we?”)."


def _stage_names(result) -> list[str]:
    names = {s["id"]: s["name"].lower() for s in result.framework["stages"]}
    return [names.get(s, s) for s in result.framework.get("stage_rule_stages", ())] or [
        "design, delivery and evaluation"]


def evidenced_sentence(result) -> str:
    overall = result.overall
    level = result.level(overall.evidenced_level)
    text = (f"On the evidence as found the project is at {level_words(result, level['id'])} "
            f"(“{level['band'].lower()}”).")
    if overall.level_range[0] != overall.level_range[1]:
        low, high = (level_name(result, x) for x in overall.level_range)
        text += (f" Allowing for uncertainty it could be anywhere from {low.lower()} to "
                 f"{high.lower()}.")
    return text


def judgement_sentence(result) -> str:
    """Whose verdict this is: the evaluator's, informed by the evidence and rules shown."""
    evaluator = result.project.get("evaluator") or "the evaluator (not named)"
    sign = result.sign_off
    base = (f"This verdict is the judgement of {evaluator}, informed by the evidence and the "
            "rules set out in this report; coprod-eval computes, the evaluator judges.")
    if not sign:
        return base + " DRAFT: the evaluator has not yet signed it off."
    by = sign.get("by") or evaluator
    role = f" ({sign['role']})" if sign.get("role") else ""
    return base + f" Signed off by {by}{role} on {sign['date']}."


def settle(evaluation, principles, per_principle, found, confidence) -> list[str]:
    """What evidence would settle a verdict that is not established, in a few sentences."""
    framework = evaluation.framework
    lines = []
    used = {i.stream for p in framework.principles for i in p.indicators}
    missing = [s for s in ("survey", "attendance", "decisions", "resources", "qualitative")
               if s in used and not any(a["status"] != "not_supplied" and
                                        a["indicator"].stream == s
                                        for item in per_principle for a in item["assessed"])]
    if missing:
        lines.append("Supply the evidence that is missing: "
                     + and_words([STREAM_NAMES[s] for s in missing]) + ".")
    needs: dict[str, list[tuple[float, int]]] = {}  # who → (extra needed, units now)
    for item in per_principle:
        for a in item["assessed"]:
            measured = a["measurement"]
            if a["status"] != "assessed" or measured is None or measured.low == measured.high:
                continue
            crossed = [t for _, t in a["indicator"].thresholds
                       if measured.low < t <= measured.high]
            if not crossed:
                continue
            distance = min(abs(measured.value - t) for t in crossed)
            extra = extra_people((measured.high - measured.low) / 2, distance, measured.n)
            needs.setdefault(_who(evaluation, a["indicator"]), []).append(
                (math.inf if extra is None else extra, measured.n))
    for who, found in needs.items():
        extras = sorted(extra for extra, _ in found)
        typical = extras[(len(extras) - 1) // 2]
        now = max(n for _, n in found)
        ceiling = _still_to_ask(evaluation, who)
        if ceiling is not None and typical > ceiling:
            lines.append(f"More {who.split(' answering')[0]} than were invited would be needed "
                         "to narrow the survey results to single ratings: other kinds of "
                         "evidence, not more of the same, can settle it.")
        elif typical <= 5 * now:
            settled = sum(extra <= typical for extra in extras)
            lines.append(f"About {int(typical)} more {who} would narrow {settled} of the "
                         f"{len(extras)} results that now span more than one rating to a "
                         "single rating; results closer to a threshold need more.")
        else:
            lines.append(f"The results resting on {who.split(' answering')[0]} sit close to a "
                         "threshold: more evidence of the same kind would take a great deal "
                         "to settle them; other kinds of evidence can.")
    if confidence == "low":
        lines.append("Confidence is low because the ratings rest on too few independent kinds "
                     "of evidence: records of practice (attendance, decisions, payments) or "
                     "coded interviews would corroborate or challenge the survey.")
    return lines


def extra_people(half_width: float, distance: float, n: int) -> int | None:
    """About how many more people would narrow an interval of ``half_width`` to ``distance``
    (intervals narrow with the square root of the number of people); None when the value
    sits on the threshold itself."""
    if distance <= 0.5:
        return None
    needed = n * (half_width / distance) ** 2
    return max(5, math.ceil((needed - n) / 5.0) * 5)


def _still_to_ask(evaluation, who: str) -> int | None:
    """How many people were invited, for a survey group (None: unknown)."""
    for group in evaluation.groups:
        if who.startswith(group.label.lower()) and group.invited:
            return max(0, group.invited)
    return None


def group_words(evaluation, name: str) -> str:
    """An indicator's ``group:`` in words: one group's label, or a side of the work (all its
    groups: 'carers and people who use services')."""
    if name in ("staff", "partner"):
        labels = [g.label for g in evaluation.groups if g.side == name]
        return and_words([label.lower() for label in labels]) if labels else name
    return evaluation.group(name).label.lower()


def _who(evaluation, indicator) -> str:
    if indicator.stream == "survey":
        return f"{group_words(evaluation, indicator.group or 'partner')} answering the survey"
    from .measures import STREAM_UNITS

    unit = STREAM_UNITS.get(indicator.stream, "record")
    return {"meeting": "meetings recorded", "decision": "decisions logged",
            "partner": "partners' payment records", "excerpt": "coded excerpts"}.get(
        unit, "records")


def and_words(items: list[str]) -> str:
    """'a, b and c' — or 'a; b; and c' when an item has 'and' or a comma in it."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    if any(" and " in item or "," in item for item in items):
        return "; ".join(items[:-1]) + "; and " + items[-1]
    return ", ".join(items[:-1]) + " and " + items[-1]


# --- principles -------------------------------------------------------------------------------

def no_truths(result) -> str:
    _, missing = streams(result)
    unchecked = f" Not checked, for want of evidence: {and_words(missing)}." if missing else ""
    return NO_TRUTHS + unchecked


def set_by(result, principle) -> str:
    """Which indicator sets a principle's rating (the weakest), in a line for its tile."""
    if principle.override:
        return "Set by the evaluator's judgement."
    rated = [i for i in principle.evidence if i.rating]
    if not rated:
        return "No indicator could be assessed."
    order = [r["id"] for r in result.framework["ratings"]]
    if len({i.rating for i in rated}) == 1 and len(rated) > 1:
        return (f"All {len(rated)} indicators assessed are rated "
                f"{result.rating(rated[0].rating)['label']}.")
    weakest = min(rated, key=lambda i: order.index(i.rating))
    figure = "" if weakest.value is None else f": {_figure(weakest.value, weakest.unit)}"
    return f"Set by its weakest indicator, {weakest.label.lower()}{figure}."


def rating_phrase(result, principle) -> str:
    """'Developing (plausibly Emerging to Embedded)' — the rating with its range."""
    label = result.rating(principle.rating)["label"]
    low, high = principle.rating_range
    if low == high:
        return label
    return (f"{label} (plausibly {result.rating(low)['label']} to "
            f"{result.rating(high)['label']})")


def stability_note(principle) -> str:
    if principle.override:
        return "The evaluator's judgement."
    notes = []
    if principle.rating_range[0] != principle.rating_range[1]:
        notes.append("Borderline: the evidence allows more than one rating.")
    if not principle.stable:
        notes.append("One person or record could change this rating.")
    return " ".join(notes)


def share_agreeing(result, principle, role: str) -> str:
    stats = principle.groups[role]
    label = result.group_label(role)
    if stats.suppressed:
        return (f"{label}: withheld (fewer than {result.parameters['min_group_size']} "
                "answered).")
    return (f"{pct(stats.pct_agree)} of answers from {label.lower()} agree (95% interval "
            f"{pct(stats.ci[0])} to {pct(stats.ci[1])}).")


def score_text(result, principle) -> str:
    """The survey's word on a principle from the partners' side, group by group."""
    partners = [g["id"] for g in result.groups if g["side"] == "partner"]
    shown = [g for g in partners if g in principle.groups and not principle.groups[g].suppressed]
    if not shown:
        return (f"No survey score: {partners_label(result.groups).lower()}' answers are not "
                "available or are withheld.")
    return " ".join(share_agreeing(result, principle, g) for g in shown)


def comparison_sentence(result, comparison) -> str:
    """A group compared with the reference group, worded as tested."""
    group = result.group_label(comparison.group)
    reference = result.group_label(comparison.reference)
    g, r = group.lower(), reference.lower()
    if not comparison.shown:
        return (f"{group} and {r} are not compared: one of the groups has fewer than "
                f"{result.parameters['min_group_size']} people.")
    typical_g, typical_r = comparison.typical
    scale = [s["code"] for s in result.parameters["scale"]]
    typical = (f"a typical {_singular(g)} scores {typical_g:.1f} and a typical "
               f"{_singular(r)} {typical_r:.1f} on the {min(scale)}–{max(scale)} scale")
    direction = "lower" if comparison.effect_size < 0 else "higher"
    if comparison.finding:
        return (f"{group} score {direction} than {r}: {typical} — a {comparison.effect} "
                "difference, beyond chance.")
    if comparison.p_holm is not None and comparison.p_holm < 0.05:
        return (f"{group} and {r} differ beyond chance, but only by a negligible amount "
                f"({typical}).")
    if comparison.effect == "negligible":
        seen = "Their scores overlap almost completely."
    else:
        seen = (f"In this sample {g} score somewhat {direction} ({comparison.effect} by "
                "Cliff's delta), but with this many people that could be chance.")
    return (f"No difference between {g} and {r} is established ({typical}). {seen} "
            + detectable_sentence(comparison))


def detectable_sentence(comparison) -> str:
    if comparison.detectable is None or comparison.detectable >= 0.474:
        return ("With this many people only a large difference could have been detected "
                "reliably, so the absence of a finding says little.")
    from .stats import effect_words

    points = (f", about {comparison.detectable_points:.1f} points on the answer scale"
              if comparison.detectable_points is not None
              and comparison.detectable_points <= 1.0 else "")
    return (f"The comparison could reliably detect a {effect_words(comparison.detectable)} "
            f"difference or larger (Cliff's delta of {comparison.detectable:.2f} or more"
            f"{points}).")


def comparison_details(result, comparison) -> str:
    """The statistics behind a comparison, for the curious reader."""
    if not comparison.shown:
        return ""
    share_g, share_r = comparison.pct_agree
    return (f"Mann–Whitney test on each person's mean answer ({comparison.method}), "
            f"{p_value(comparison.p_holm)} after Holm's correction across all comparisons "
            f"({p_value(comparison.p)} before); Cliff's delta "
            f"{delta_text(comparison.effect_size)} ({comparison.effect}). As a description "
            f"only: {pct(share_g)} of answers from "
            f"{result.group_label(comparison.group).lower()} agree, {pct(share_r)} of "
            f"answers from {result.group_label(comparison.reference).lower()}.")


def _singular(label: str) -> str:
    words = {"staff": "staff member", "community partners": "community partner",
             "partners": "partner", "carers": "carer", "people who use services":
             "person who uses services", "commissioners": "commissioner"}
    if label in words:
        return words[label]
    return label[:-1] if label.endswith("s") else label


# --- truths -----------------------------------------------------------------------------------

def truth_not_supplied(stream: str, principles: list[str], version: int) -> str:
    name = EVIDENCE_NAMES.get(stream, stream)
    return (f"The partnership's plan (version {version}) promised {name} as evidence for "
            f"{and_words(principles)}; none was supplied.")


def truth_claim(framework, overall) -> str:
    claimed = framework.level(overall.claimed_level).name
    high = framework.level(overall.level_range[1]).name
    return (f"The project claims {claimed}; even at the generous end of the evidence's "
            f"uncertainty it shows no more than {high}. The claim of "
            f"{framework.ladder.words(overall.claimed_level)} is not supported.")


def truth_overstated(framework, overstated, total: int) -> str:
    listed = "; ".join(
        f"{p.name} (claimed {framework.rating(p.claimed_rating).label}, the evidence allows "
        f"at most {framework.rating(p.rating_range[1]).label})" for p in overstated)
    return (f"The project's self-assessment rates {len(overstated)} of {total} principles "
            f"higher than the evidence allows: {listed}.")


def truth_stage_claims(framework, stages) -> str:
    listed = and_words([f"{s['name'].lower()} (claimed {framework.level(s['claimed_level']).name}, "
                   f"recorded {framework.level(s['evidenced_level']).name})" for s in stages])
    return (f"The project claims more partner involvement than its own records show at "
            f"{plural(len(stages), 'stage')}: {listed}.")


def truth_practice(truth: str, result) -> str:
    if result.value is None:
        return truth + " The figure is withheld: it concerns few people."
    low, high = result.interval
    return (f"{truth} {result.label}: {_figure(result.value, result.unit)} (95% interval "
            f"{_figure(low, result.unit)} to {_figure(high, result.unit)}).")


def truth_gap(principles, labels, group: str) -> str:
    """Where one group scores lower than its reference group beyond chance."""
    rows = []
    reference = None
    for p in principles:
        for c in p.comparisons:
            if c.group == group and c.finding and c.effect_size < 0:
                reference = c.reference
                rows.append(f"{p.name} (typical {_singular(labels[c.group].lower())} "
                            f"{c.typical[0]:.1f}, {_singular(labels[c.reference].lower())} "
                            f"{c.typical[1]:.1f}: a {c.effect} difference)")
    return (f"{labels[group]} experience {plural(len(rows), 'principle')} as less practised "
            f"than {labels[reference].lower()} do, beyond chance: " + "; ".join(rows) + ".")


def partners_label(groups) -> str:
    """The people on the partners' side, as a report names them: the one group's label, or
    'partners (carers and people who use services)' when there are several."""
    labels = [g["label"] for g in groups if g["side"] == "partner"]
    if len(labels) == 1:
        return labels[0]
    return f"partners ({and_words([label.lower() for label in labels])})"


def truth_joined(framework, joined: str | None, groups) -> str:
    who = partners_label(groups)
    if joined is None:
        return f"The stage records show no point at which {who.lower()} joined."
    name = next(s.name for s in framework.stages if s.id == joined).lower()
    return f"{_capital(who)} joined at the {name} stage, after the design was fixed."


def _capital(words: str) -> str:
    return words[:1].upper() + words[1:]


def quotes_held_back(privacy) -> str:
    held = privacy.get("quotes_held_back") or {}
    parts = []
    if held.get("not_consented"):
        parts.append(f"{plural(held['not_consented'], 'excerpt')} whose speaker did not "
                     "consent to being quoted")
    if held.get("awaiting_approval"):
        parts.append(f"{plural(held['awaiting_approval'], 'excerpt')} awaiting the "
                     "evaluator's approval")
    if held.get("approval_lapsed"):
        parts.append(f"{plural(held['approval_lapsed'], 'excerpt')} whose text changed after "
                     "it was approved")
    text = ("Quotes appear only with the speaker's consent and the evaluator's dated approval "
            "of each one.")
    if parts:
        text += " Counted in the ratings but not quoted: " + and_words(parts) + "."
    if privacy.get("withdrawals"):
        text += (" People who withdrew from the evaluation are left out of every figure and "
                 "quote.")
    return text


def redactions(counts: dict[str, int]) -> str:
    if not counts:
        return "No quote needed anything replaced."
    listed = and_words([f"{n} {kind}{'s' if n > 1 else ''}" for kind, n in counts.items()])
    return (f"Replaced in the quotes: {listed}, each by a numbered placeholder (the same "
            "detail gets the same placeholder throughout).")


# --- the report's words -------------------------------------------------------------------------

DRAFT_NOTE = ("The evaluator has not yet signed this verdict off; it may change before it is "
              "final.")
NO_TRUTHS = "No shortfall found in the evidence supplied."
TRUTHS_LEDE = ("Claims the evidence clearly does not support, and practice that falls "
               "short, most serious first.")
HOW_SURE_LEDE = ("Each conclusion is checked two ways: leaving out, in turn, every single "
                 "respondent and every single record (a meeting, a decision, a partner's "
                 "payment record, an excerpt), and moving every threshold 5 percentage points "
                 "(one unit for counts such as people per meeting) stricter, then laxer. A "
                 "conclusion that does not hold is marked; read it as provisional.")
LOG_NOTE = ("The log of replacements stays in the run folder with the evaluation team and is "
            "in no report.")
OWN_LAYOUT_NOTE = ("Every file is in coprod-eval's own layout (the templates' columns); nothing "
                   "was left out.")
LADDER_WORDS = {"evidenced": "evidenced", "plausible": "within the plausible range",
                "claimed": "claimed"}
INDICATOR_STATUS = {"not_supplied": "not assessed", "too_few_records": "not assessed",
                    "no_questions": "not assessed",
                    "no_value": "not assessed", "rating_withheld": "not shown"}


def title(result) -> str:
    claimed = level_words(result, result.overall.claimed_level)
    return f"{result.project['name']}: does the claim of {claimed} hold?"


def lede(result) -> str:
    project = result.project
    who = [project["organisation"]] if project.get("organisation") else []
    if project.get("evaluator"):
        who.append(f"evaluated by {project['evaluator']}")
    if project.get("id") or (project.get("round") or 1) > 1:  # examined in rounds
        who.insert(0, f"Round {project.get('round') or 1}"
                   + (f" of project {project['id']}" if project.get("id") else ""))
    return ((" · ".join(who) + ". ") if who else "") + (
        f"Measured against the {result.framework['name']} and the "
        f"{result.framework['ladder']['name']}.")


def ladder_marks(result, level_id: str) -> list[str]:
    overall = result.overall
    order = [lv["id"] for lv in result.framework["ladder"]["levels"]]
    marks = []
    low, high = (order.index(x) for x in overall.level_range)
    if level_id == overall.evidenced_level:
        marks.append("evidenced")
    elif low <= order.index(level_id) <= high:
        marks.append("plausible")
    if level_id == overall.claimed_level:
        marks.append("claimed")
    return marks


def weakest_sentence(result) -> str:
    overall = result.overall
    names = and_words([result.by_principle[p].name for p in overall.weakest])
    rating = result.rating(result.by_principle[overall.weakest[0]].rating)["label"]
    if len(overall.weakest) == len(result.principles):
        return f"Every principle is rated {rating}."
    many = len(overall.weakest) > 1
    return f"Weakest {'principles' if many else 'principle'}: {names} (rated {rating})."


def aim_sentence(result) -> str:
    claimed = level_words(result, result.overall.claimed_level)
    return (f"To examine independently whether {result.project['name']} reaches {claimed}, as "
            f"the project claims, measured against the {result.framework['name']} and the "
            f"{result.framework['ladder']['name']}.")


def streams(result) -> tuple[list[str], list[str]]:
    present = [STREAM_NAMES[n] for n, s in result.evidence.items() if s.get("present")]
    missing = [STREAM_NAMES[n] for n, s in result.evidence.items() if not s.get("present")]
    return present, missing


def methods_summary(result) -> str:
    present, missing = streams(result)
    who = result.project.get("evaluator") or "an evaluator not named in evaluation.yaml"
    gaps = (f"Not available: {and_words(missing)}, so ratings rest on less evidence and their "
            "confidence is lower." if missing else "All evidence streams were available.")
    return (f"Carried out by {who}. Evidence examined: {and_words(present) or 'none'}. {gaps} Each "
            "principle is rated from indicators drawn from these streams, against thresholds "
            "set in the framework file; the rules are quoted beside every rating and in full "
            "under “Methods and limitations”. Every rating carries the range its uncertainty "
            "allows, and every conclusion is checked against leaving out any one person or "
            "record and against moving the thresholds (“How sure are we?”).")


def judgement_of(result, principle) -> str:
    used = sorted({STREAM_NAMES[i.stream] for i in principle.evidence if i.rating})
    missing = sorted({STREAM_NAMES[i.stream] for i in principle.evidence
                      if i.status == "not_supplied"} - set(used))
    parts = [f"{CONFIDENCE_WORDS[principle.confidence]}: "
             f"{CONFIDENCE_MEANS[principle.confidence]} (evidence from "
             f"{and_words(used) or 'no stream'}"
             + (f"; not supplied: {and_words(missing)}" if missing else "") + "). Confidence is "
             "about whether the kinds of evidence agree; the plausible range is about how "
             "precise they are."]
    if principle.override:
        parts.append(f"The evaluator rated this principle "
                     f"{result.rating(principle.override['rating'])['label']}, where the rules "
                     f"give {result.rating(principle.computed_rating)['label']}. Reason: "
                     f"{principle.override['reason']}")
    if principle.claimed_rating:
        claim = result.rating(principle.claimed_rating)["label"]
        index = result.rating_index
        if index(principle.claimed_rating) <= index(principle.rating):
            verdict = "the evidence bears this out"
        elif index(principle.claimed_rating) <= index(principle.rating_range[1]):
            verdict = "the evidence could bear this out but does not establish it"
        else:
            verdict = "the evidence does not bear this out"
        parts.append(f"The project rates itself {claim}: {verdict}.")
    return " ".join(parts)


def indicator_value(indicator) -> str:
    if indicator.value is None:
        return "withheld" if indicator.status in ("figure_withheld", "rating_withheld") else "—"
    value = _figure(indicator.value, indicator.unit)
    if indicator.interval is None or indicator.interval[0] == indicator.interval[1]:
        return value
    low, high = indicator.interval
    return f"{value} ({low:g}–{high:g}{indicator.unit})"


def unstable_note(indicator) -> str:
    from .measures import STREAM_UNITS

    return UNIT_LEFT_OUT.get(STREAM_UNITS.get(indicator.stream, ""),
                             "one record left out changes it")


def withheld_group(result) -> str:
    least = result.parameters["min_group_size"]
    return f"withheld: fewer than {least} people in this group answered"


def suppressed_roles(principle) -> list[str]:
    return [role for role, stats in principle.groups.items() if stats.suppressed]


def alpha_text(stats) -> str:
    alpha = stats.alpha
    if alpha is None:
        return "withheld"
    left = (f"; left out (too few answers): {', '.join(alpha['items_left_out'])}"
            if alpha["items_left_out"] else "")
    if alpha["value"] is None:
        return alpha["note"] + left
    value = alpha["value"]
    meaning = ("the items measure one thing consistently" if value >= 0.7 else
               "the items measure one thing only loosely" if value >= 0.5 else
               "the items do not measure one thing consistently for this group, so read its "
               "survey result with care")
    ceiling = ("; with nearly every answer agreeing there is little variation for "
               "consistency to show, so a low value here says little"
               if value < 0.5 and stats.pct_agree is not None and stats.pct_agree >= 85 else "")
    return (f"Cronbach's alpha {value:.2f} (95% interval {alpha['ci'][0]:.2f} to "
            f"{alpha['ci'][1]:.2f}): {meaning}{left}{ceiling}.")


def discussion(result) -> list[str]:
    overall = result.overall
    level = result.level(overall.evidenced_level)
    claimed = result.level(overall.claimed_level)
    joined = ""
    if overall.partners_joined_stage:
        stage = next(s["name"] for s in overall.stages
                     if s["stage"] == overall.partners_joined_stage)
        joined = f" Community partners joined at the {stage.lower()} stage."
    verdict = {"supported": "is supported", "not_supported": "is not supported",
               "not_established": "is neither established nor ruled out"}[overall.claim_verdict]
    first = (f"On the evidence as found the project is at {level_words(result, level['id'])} "
             f"({level['band'].lower()}): {level['meaning']} The project claims "
             f"{level_words(result, claimed['id'])} ({claimed['band'].lower()}), so the claim "
             f"{verdict}.{joined}")
    names = and_words([result.by_principle[w].name for w in overall.weakest])
    top = result.framework["ratings"][-1]["id"]
    bottom = result.framework["ratings"][0]["id"]
    rating_id = result.principles[0].rating
    rating = result.rating(rating_id)["label"]
    if len(overall.weakest) == len(result.principles) and rating_id == top:
        second = (f"Every principle is rated {rating}: the evidence shows partnership across "
                  "all of them.")
    elif len(overall.weakest) == len(result.principles) and rating_id == bottom:
        second = (f"Every principle is rated {rating}: partnership needs to change across all "
                  "of them, not in one corner.")
    elif len(overall.weakest) == len(result.principles):
        second = f"Every principle is rated {rating}."
    else:
        many = len(overall.weakest) > 1
        second = (f"The weakest {'principles are' if many else 'principle is'} {names} (rated "
                  f"{result.rating(result.by_principle[overall.weakest[0]].rating)['label']}"
                  "): that is where partnership most needs to grow.")
    low = [p.name for p in result.principles if p.confidence == "low"]
    if low:
        second += (f" Ratings held with low confidence ({and_words(low)}) rest on one kind of "
                   "evidence or on kinds that disagree, and should be read with care.")
    borderline = [p.name for p in result.principles if p.borderline and not p.override]
    third = (f"Borderline ratings ({and_words(borderline)}): the evidence allows more than one "
             "rating, or one person or record could change it. They are shown with their "
             "range; see “How sure are we?”." if borderline else "")
    return [x for x in (first, second, third) if x]


def evidence_sentence(result) -> str:
    survey = result.evidence.get("survey", {})
    if not survey.get("present"):
        return "No survey evidence was supplied."
    min_n = result.parameters["min_group_size"]
    base = result.privacy["round_to"]
    counts = []
    for g in result.groups:
        n = survey["respondents"][g["id"]]
        counts.append(f"{g['label']}: {f'about {n}' if n is not None else f'fewer than {min_n}'}")
    rates = [f"{g['label']} about {5 * round(survey['response_rate'][g['id']] / 5):.0f}%"
             for g in result.groups if survey["response_rate"].get(g["id"]) is not None]
    rate_text = (f" Response rates: {', '.join(rates)}." if rates else "")
    return (f"Survey: {survey['items']} items; respondents — {'; '.join(counts)} (counts of "
            f"people are rounded to the nearest {base}, and rates come from the rounded "
            f"counts, so no small group can be picked out).{rate_text} "
            f"{survey['pct_missing']:g}% of possible answers were missing (blank or “don't "
            "know”), and left out rather than counted as neutral.")


def robustness_rows(result) -> list[dict]:
    """Each conclusion as found, and whether it holds in each check (and if not, what it
    could become)."""
    rob = result.robustness
    loo, shift = rob["leave_one_out"], rob["threshold_shift"]
    overall = result.overall

    def check(holds: bool, text: str) -> dict:
        return {"holds": holds, "text": text}

    def left_out(holds, units, could_become, words) -> dict:
        if holds:
            return check(True, "holds")
        who = and_words(sorted({UNIT_NAMES.get(u, u) for u in units})) or "person or record"
        return check(False, f"leaving out one {who} could make it "
                            f"{_or([words(x) for x in could_become])}")

    def shifted(key, found, words) -> list[dict]:
        cells = []
        for side in ("stricter", "laxer"):
            value = shift[side][key]
            cells.append(check(value == found, "holds" if value == found
                               else f"becomes {words(value)}"))
        return cells

    def level_range(found_range, side) -> dict:
        value = tuple(shift[side]["level_range"])
        return check(value == tuple(found_range),
                     "holds" if value == tuple(found_range) else "becomes " + _range(value))

    def _range(pair) -> str:
        low, high = (level_name(result, x) for x in pair)
        return low if low == high else f"{low} to {high}"

    verdict = overall.claim_verdict
    rows = [
        {"conclusion": "Verdict", "found": VERDICT_HEADLINES[verdict],
         "checks": [left_out(loo["verdict"], loo["verdict_changed_by"],
                             loo["verdict_could_become"],
                             lambda v: VERDICT_HEADLINES[v].lower())]
         + shifted("verdict", verdict, lambda v: VERDICT_HEADLINES[v].lower())},
        {"conclusion": "Level evidenced (as found)",
         "found": level_name(result, overall.evidenced_level),
         "checks": [left_out(loo["level"], loo["level_changed_by"],
                             loo["level_could_become"], lambda v: level_name(result, v))]
         + shifted("level", overall.evidenced_level, lambda v: level_name(result, v))},
        {"conclusion": "Level: plausible range (what the verdict is judged on)",
         "found": _range(overall.level_range),
         "checks": [check(True, "see the two rows above")]
         + [level_range(overall.level_range, side) for side in ("stricter", "laxer")]},
    ]
    could = loo.get("principles_could_become", {})
    for p in result.principles:
        holds = loo["principles"][p.id]
        cells = [check(True, "holds") if holds else check(False, (
            "one person or record left out could make it "
            + _or([result.rating(x)["label"] for x in could.get(p.id, [])])))]
        for side in ("stricter", "laxer"):
            value = shift[side]["principles"][p.id]
            cells.append(check(value == p.rating, "holds" if value == p.rating
                               else f"becomes {result.rating(value)['label']}"))
        rows.append({"conclusion": p.name, "found": result.rating(p.rating)["label"],
                     "checks": cells})
    return rows


def _or(items: list[str]) -> str:
    items = list(dict.fromkeys(items))
    if len(items) <= 1:
        return "".join(items) or "different"
    return ", ".join(items[:-1]) + " or " + items[-1]


def questions_used(result) -> list[str]:
    """Which survey questions each principle rests on (reverse-worded ones marked), and who
    confirmed an own questionnaire's mapping: so any reader can check it."""
    params = result.parameters
    questions = params.get("questions")
    if not questions:
        return []
    confirmed = params.get("mapping_confirmed")
    if params.get("own_questionnaire"):
        lead = ("The survey is the evaluator's own questionnaire. Which principle each question "
                "evidences is a validity decision, " + (
                    f"confirmed by the {' and the '.join(confirmed['by'])} on "
                    f"{confirmed['date']}." if confirmed else "not recorded as confirmed."))
    else:
        lead = f"The survey uses the framework's own questions ({params['instrument']['id']})."
    by_id = {q["id"]: q for q in questions}
    parts = []
    for principle in result.principles:
        used = [by_id[i] for i in principle.items if i in by_id]
        if not used:
            parts.append(f"{principle.name}: no question (its survey indicator is not "
                         "assessed)")
            continue
        shown = "; ".join(f"{q['id']} “{q['text']}”" + (" (reverse-worded, reversed)"
                                                          if q["reverse"] else "")
                          for q in used)
        parts.append(f"{principle.name}: {shown}")
    unused = [q["id"] for q in questions if not q["principles"]]
    tail = (f" Questions used for no principle: {', '.join(unused)}." if unused else "")
    def ended(part: str) -> str:  # a full stop, unless the question's own ends the part
        return part if re.search(r"[.?!][”\"]\)?$", part) else part + "."

    return [lead + " Questions used, per principle — " + " ".join(map(ended, parts)) + tail]


def methods_paragraphs(result) -> list[str]:
    params = result.parameters
    scale = ", ".join(f"{s['code']} = {s['label']}" for s in params["scale"])
    agree = ", ".join(str(c) for c in params["agree_codes"])
    agreement = result.agreement
    coders = ""
    if agreement is not None:
        coders = (agreement["note"] if agreement["cohen_kappa"] is None else
                  f"On the {agreement['double_coded']} excerpts coded by two coders, they "
                  f"agreed on whether each supports or contradicts its principle with "
                  f"Cohen's kappa {agreement['cohen_kappa']:.2f} and Krippendorff's alpha "
                  f"{agreement['krippendorff_alpha']:.2f}"
                  + (" — weak agreement, so the excerpt indicator should be read with care"
                     if agreement["cohen_kappa"] < 0.4 else "")
                  + f", and chose the same principle for "
                  f"{pct(agreement['principle_agreement'])} of them. Ratings use the first "
                  "coder's codes; disagreements are reported here, not resolved.")
    return [
        f"Framework: {result.framework['name']} (version {result.framework['version']}). "
        f"{result.framework['source']} {result.framework['yardstick']}",
        *questions_used(result),
        f"Survey instrument {params['instrument']['id']} version "
        f"{params['instrument']['version']}, answered on the scale {scale}. Answers {agree} "
        "count as agreeing. Reverse-worded items were reversed before analysis. Because the "
        "answers are ordered categories, the report leads with medians, quartiles and the "
        "share agreeing; means are kept in the machine-readable results for comparison "
        "only.",
        "Shares agreeing carry a 95% interval that allows for one person's answers resembling "
        "each other: Wilson's score interval on the effective number of answers, the design "
        "effect estimated from each person's share of answers agreeing (with one pseudo-person "
        "agreeing with half of an average number of answers, so a small group that happens to "
        "agree unanimously does not look certain), and Student's t with (people − 1) degrees "
        "of freedom. In simulations it covers the true share at least 93% of the time from 8 "
        "people. Proportions of records (meetings, decisions, partners) use Wilson's score "
        "interval, a median its distribution-free order-statistic interval.",
        "Groups are compared on each person's mean answer with the Mann–Whitney test: exact "
        "(every split of the people counted, ties included) whenever that is affordable — "
        "which covers groups of up to a few hundred —; past that a permutation test "
        f"({params['permutations']:,} random splits, seed {params['seed']}) when a group is "
        "under 20 or ties are heavy, and otherwise the normal approximation. In this "
        f"evaluation: {and_words(_methods_used(result)) or 'no comparison could be made'}. "
        "p-values are Holm-corrected across every comparison made; a difference is a finding "
        "only when it survives the correction and Cliff's delta is at least small (0.147; "
        "0.33 medium, 0.474 large). When no difference is established, the smallest "
        "difference the comparison could have detected (80% power, at the strictest step of "
        "the correction, Noether's approximation) is given. Internal consistency is "
        "Cronbach's alpha per group with Feldt's 95% interval, from 10 complete answers. "
        + coders,
        "Ratings are compared with thresholds on exact values; figures are rounded only for "
        "display. An indicator's range is the ratings its 95% interval reaches; a principle's "
        "range combines its indicators' ranges by the same rule as its rating; the level's "
        "range is the level of the principles' low ends to that of their high ends. The claim "
        "is not supported when even the top of that range falls short of it, supported when "
        "its bottom reaches the claim with at least medium confidence, and otherwise not "
        "established.",
    ]


def _methods_used(result) -> list[str]:
    used = sorted({c.method for p in result.principles for c in p.comparisons if c.shown})
    return [f"{m} test" if not m.startswith("normal") else m for m in used]


def reflections(result) -> list[str]:
    present, missing = streams(result)
    overridden = [p for p in result.principles if p.override]
    text = (f"Evaluation carried out by "
            f"{result.project.get('evaluator') or 'an evaluator not named'}. Evidence streams "
            f"used: {and_words(present) or 'none'}. "
            + (f"Not supplied: {and_words(missing)}; principles that depend on them are rated on "
               "less evidence. " if missing else "Every evidence stream was supplied. ")
            + "Survey answers tell us what people experience and records what was done; where "
              "they disagree, the rating follows the weaker of the two. Quotes are "
              "de-identified excerpts chosen by excerpt id, not for effect.")
    paragraphs = [text]
    if overridden:
        paragraphs.append("The evaluator overrode the computed rating of " + and_words([
            f"{p.name} ({result.rating(p.computed_rating)['label']} → "
            f"{result.rating(p.rating)['label']}: {p.override['reason']})"
            for p in overridden]) + ".")
    paragraphs += coproduction_limitations(result)
    paragraphs.append(judgement_sentence(result))
    return paragraphs


def privacy_sentence(result) -> str:
    privacy = result.privacy
    return (f"Statistics over fewer than {privacy['min_group_size']} people are withheld and "
            "shown as withheld, never as zero; other counts of people are rounded to the "
            f"nearest {privacy['round_to']}. A figure about few people keeps its coarse "
            "rating unless the rating itself would give away the count; then it is unknown. "
            "Groups are compared only when both are large enough. No respondent identifier "
            "or pseudonym appears in any output.")


def comparison_rows(result, previous) -> list[dict]:
    rows = []
    before = previous.by_principle
    order = [r["id"] for r in result.framework["ratings"]]
    for p in result.principles:
        was = before.get(p.id)
        if was is None:
            rows.append({"name": p.name, "then": "—",
                         "now": result.rating(p.rating)["label"], "change": "new principle"})
            continue
        step = order.index(p.rating) - order.index(was.rating) if was.rating in order else 0
        overlap = not (order.index(p.rating_range[0]) > order.index(was.rating_range[1]) or
                       order.index(p.rating_range[1]) < order.index(was.rating_range[0]))
        change = ("no change" if step == 0 else
                  ("better" if step > 0 else "worse")
                  + (" (within the uncertainty of both)" if overlap else ", beyond noise"))
        rows.append({"name": p.name, "then": previous.rating(was.rating)["label"],
                     "now": result.rating(p.rating)["label"], "change": change})
    return rows


def stage_sentence(result, stage_id: str) -> str:
    names = {lv["id"]: lv["name"] for lv in result.framework["ladder"]["levels"]}
    overall = result.overall
    if stage_id == "all":
        joined = next((s["name"] for s in overall.stages if s["partners_joined"]), None)
        return (f"Partners joined at the {joined.lower()} stage." if joined
                else "The records show no stage at which partners joined.")
    s = next(s for s in overall.stages if s["stage"] == stage_id)
    if not s["evidenced_level"]:
        return f"{s['name']}: no record of partner involvement at this stage."
    order = [st["stage"] for st in overall.stages]
    joined_at = overall.partners_joined_stage
    when = ("Partners joined at this stage." if s["partners_joined"] else
            "Partners had not yet joined." if joined_at and order.index(stage_id)
            < order.index(joined_at) else "")
    claim = (f"; the project claims {names[s['claimed_level']]}" if s["claimed_level"] else "")
    return f"{s['name']}: the records show {names[s['evidenced_level']]}{claim}. {when}".strip()


def filter_status(result, principle_id: str | None, group_id: str | None) -> str:
    """What the app's detail shows after a filter change, said once to screen readers."""
    what = (f"all {len(result.principles)} principles" if principle_id is None
            else result.by_principle[principle_id].name)
    who = "every group" if group_id is None else result.group_label(group_id).lower() + " only"
    return f"Showing {what}, {who}."


def stage_status(result, stage_id: str | None) -> str:
    """What the lifecycle panel shows after its filter changes."""
    if stage_id is None:
        return "Lifecycle chart: every stage."
    name = next(s["name"] for s in result.overall.stages if s["stage"] == stage_id)
    return f"Lifecycle chart: {name}."


# --- the disagreement map --------------------------------------------------------------------

DISAGREEMENT_LEDE = (
    "Item by item, where the groups answer the same question differently beyond noise: "
    "places to start a conversation, not scores. Largest differences first, each with the "
    "range its uncertainty allows. Then the common ground: questions a clear majority of "
    "each group agrees with. Shares agreeing are worked out from counts rounded to protect "
    "small groups, so for a small group they move in large steps; the test and the "
    "difference use every answer.")


def disagreement_summary(result) -> str:
    """How many item comparisons the map made, differed, agreed, and were withheld."""
    d = result.disagreement or {"items_compared": 0, "entries": []}
    shown = [e for e in d["entries"] if e["shown"]]
    if not d["entries"]:
        return "No survey was examined, so there is no item-by-item comparison."
    differ = sum(e["beyond_noise"] for e in shown)
    common = sum(e["common_ground"] for e in shown)
    withheld = len(d["entries"]) - len(shown)
    said = (f"{differ} of {len(shown)} item comparisons differ beyond noise (Mann–Whitney "
            f"tests, Holm's correction across all {len(shown)}, and at least a small "
            f"difference); {common} are common ground.")
    if withheld:
        said += (f" {withheld} are withheld: a group gave fewer than "
                 f"{result.privacy['min_group_size']} answers to the question.")
    return said


def statement_text(entry) -> str:
    """The question's wording, saying when agreement is counted the other way round."""
    if entry["reverse"]:
        return (f"{entry['statement']} (worded the other way: agreeing with the principle "
                "here means disagreeing with this)")
    return entry["statement"]


def disagreement_rows(result, *, beyond_noise_only: bool) -> list[dict]:
    """The map's rows for display: who, how many agree in each group, and the difference."""
    d = result.disagreement or {"entries": []}
    rows = []
    for e in d["entries"]:
        if not e["shown"] or (beyond_noise_only and not e["beyond_noise"]):
            continue
        group, reference = result.group_label(e["group"]), result.group_label(e["reference"])
        low, high = e["effect_ci"]
        side = "less" if e["effect_size"] < 0 else "more"  # favourably to the principle
        rows.append({
            "item": e["item"], "statement": statement_text(e),
            "groups": f"{group} / {reference}",
            "agreeing": f"{pct(e['pct_agree'][0])} / {pct(e['pct_agree'][1])}",
            "difference": (f"{group} answer {side} favourably ({e['effect']}): Cliff's delta "
                           f"{e['effect_size']:+.2f} (95% interval {low:+.2f} to {high:+.2f})"),
            "noise": ("beyond noise" if e["beyond_noise"]
                      else "within noise") + f" ({p_value(e['p_holm'])} after Holm)"})
    return rows


def common_ground(result) -> list[str]:
    d = result.disagreement or {"entries": []}
    return [f"{statement_text(e)}: {pct(e['pct_agree'][0])} of "
            f"{result.group_label(e['group']).lower()} and {pct(e['pct_agree'][1])} of "
            f"{result.group_label(e['reference']).lower()} agree."
            for e in d["entries"] if e["shown"] and e["common_ground"]]


# --- the partnership's plan ------------------------------------------------------------------

def plan_sentence(result) -> str:
    plan = result.plan
    said = (f"The partnership agreed its plan (version {plan['version']}) on "
            f"{plan['agreed_date']}: {and_words(plan['agreed_by'])}. It intends to claim "
            f"{result.level(plan['claimed_level'])['name'].lower()}.")
    if plan["changed"]:
        changed = plan["changed"]
        said += (f" The plan was changed on {changed['date']} ({and_words(changed['by'])}): "
                 f"{changed['what']}")
        said += "" if said.endswith(".") else "."
    reached = sum(row["reached"] for row in plan["principles"])
    said += (f" {reached} of {len(plan['principles'])} principles reach the rating the plan "
             "aims for.")
    return said


def plan_rows(result) -> list[dict]:
    label = {r["id"]: r["label"] for r in result.framework["ratings"]}
    rows = []
    for row in result.plan["principles"]:
        if row["reached"]:
            status = "Reached"
        elif row["within_range"]:
            status = "Not reached on the evidence as found; within its plausible range"
        else:
            status = "Not reached"
        rows.append({
            "name": result.by_principle[row["id"]].name, "target": label[row["target"]],
            "evidenced": label[row["evidenced"]], "status": status,
            "promised": and_words([EVIDENCE_NAMES.get(s, s) for s in row["promised"]])
            or "none",
            "missing": and_words([EVIDENCE_NAMES.get(s, s) for s in row["not_supplied"]])
            or "none"})
    return rows


def since_sentence(result, previous) -> str:
    then, now = previous.result, result
    rows = comparison_rows(now, then)
    moved = [row for row in rows if row["change"].endswith("beyond noise")]
    level = (f"Overall level evidenced: {then.level(then.overall.evidenced_level)['name']} in "
             f"round {previous.round}, {now.level(now.overall.evidenced_level)['name']} now.")
    if not moved:
        return level + " No principle's rating moved beyond the uncertainty of both rounds."
    return level + (f" {len(moved)} of {len(rows)} principles moved beyond the uncertainty "
                    "of both rounds: " + and_words([f"{row['name']} ({row['change'].split(',')[0]})"
                                                    for row in moved]) + ".")


# --- responses -------------------------------------------------------------------------------

SIDE_NAMES = {"project": "The project", "partners": "Community partners"}
STANCE_WORDS = {"accepted": "accepts this finding", "disputed": "disputes this finding",
                "noted": "notes this finding"}
ACTION_STATUS = {"done": "done", "not_done": "not done",
                 "planned": "no evidence yet that it was done"}


def response_line(entry) -> str:
    verb, rest = STANCE_WORDS[entry["stance"]].split(" ", 1)
    if entry["side"] == "partners":  # plural: "community partners accept"
        verb = verb.removesuffix("s")
    said = f"{SIDE_NAMES[entry['side']]} {verb} {rest}"
    said += f": {entry['reason']}" if entry["reason"] else "."
    return said if said.endswith((".", "!", "?")) else said + "."


def action_line(action) -> str:
    return (f"Action: {action['what']} (owner: {action['owner']}; due {action['due']}; "
            f"status: {ACTION_STATUS[action['status']]}).")


def _stance_cell(entry) -> str:
    """'Accepts', 'Notes', or 'Disputes: why' (a dispute always with its reason)."""
    if entry is None:
        return "No response"
    word = STANCE_WORDS[entry["stance"]].split()[0].capitalize()
    return f"{word}: {entry['reason']}" if entry["reason"] else word


def earlier_actions(previous) -> list[dict]:
    """The previous round's findings that had a response, with each action's status."""
    rows = []
    for truth in previous.result.overall.inconvenient_truths:
        said = previous.responses.get(truth["rank"], [])
        if not said:
            continue
        by_side = {entry["side"]: entry for entry in said}
        actions = [entry["action"] for entry in said if entry.get("action")]
        rows.append({
            "finding": truth["text"],
            "project": _stance_cell(by_side.get("project")),
            "partners": _stance_cell(by_side.get("partners")),
            "actions": [f"{a['what']} ({a['owner']}, due {a['due']}): "
                        f"{ACTION_STATUS[a['status']]}" for a in actions] or ["none agreed"]})
    return rows


# --- the partners' Easy Read summary ---------------------------------------------------------
# Short sentences, one idea each, everyday words: a list of lines for each part.

EASY_VERDICT = {"supported": "The evidence shows this is true.",
                "not_supported": "The evidence does not show this.",
                "not_established": "We cannot say yet if this is true. We need more evidence."}


def easy_verdict(result) -> list[str]:
    overall = result.overall
    claimed = result.level(overall.claimed_level)
    shown = result.level(overall.evidenced_level)
    return [f"We looked at how {result.project['name']} works with the people who use it.",
            f"The project said it was at this level: {claimed['name']}.",
            EASY_VERDICT[overall.claim_verdict],
            f"The evidence shows this level: {shown['name']}.",
            f"This means: {shown['meaning']}"]


def easy_rating(result, rating_id: str) -> str:
    order = [r["id"] for r in result.framework["ratings"]]
    i, top = order.index(rating_id), len(order) - 1
    if i == 0:
        return "we did not see this"
    if i == top:
        return "we saw this clearly"
    return "we saw a little of this" if i <= top / 2 else "we saw some of this"


def easy_principles(result) -> list[str]:
    return [f"{p.name}: {easy_rating(result, p.rating)}." for p in result.principles]


def easy_changes(result, kinds) -> list[str]:
    """Each kind of inconvenient truth found, once, in everyday words, most serious first."""
    words = {kind.id: kind.easy_read for kind in kinds}
    seen, lines = set(), []
    for truth in result.overall.inconvenient_truths:
        if truth["kind"] == "claim_not_supported" or truth["kind"] in seen:
            continue
        seen.add(truth["kind"])
        lines.append(words[truth["kind"]])
    return lines


def easy_views(result) -> list[str]:
    d = result.disagreement or {"entries": []}
    shown = [e for e in d["entries"] if e["shown"]]
    if not shown:
        return []
    differ = sum(e["beyond_noise"] for e in shown)
    common = sum(e["common_ground"] for e in shown)
    lines = [f"We asked {len({e['item'] for e in shown})} questions."]
    lines.append(f"Staff and partners answered {differ} of them differently."
                 if differ else "Staff and partners mostly answered them the same way.")
    if common:
        lines.append(f"Most people in every group agreed about {common} of them.")
    return lines


EASY_ACTION = {"done": "This was done.", "not_done": "This was not done.",
               "planned": "We do not know yet if this was done."}


def easy_actions(previous) -> list[str]:
    if previous is None:
        return []
    lines = []
    for said in previous.responses.values():
        for entry in said:
            if entry.get("action"):
                lines += [f"The {'project' if entry['side'] == 'project' else 'partners'} "
                          f"promised: {entry['action']['what'].rstrip('.')}.",
                          EASY_ACTION[entry["action"]["status"]]]
    return lines


# --- the evaluation's own co-production -----------------------------------------------------

TASK_NAMES = {"yardstick": "set the yardstick", "questions": "set the questions",
              "coding": "coded the excerpts", "interpretation": "interpreted the findings"}


def partner_sign_line(result) -> str:
    """Whether partner reviewers co-sign the report or dissent ("" when none reviewed it)."""
    making = (result.coproduced or {}).get("sense_making")
    if not making:
        return ""
    who = and_words(making["reviewers"])
    if making["sign"] == "co-sign":
        return f"Partner reviewers ({who}) co-sign this report."
    return f"Partner reviewers ({who}) dissent from this report: {making['why']}"


def coproduction_rows(result) -> list[dict]:
    return [{"task": TASK_NAMES[t["task"]].capitalize(),
             "roles": and_words(t["roles"]) or "not recorded",
             "partners": "yes" if t["partners"] else "no"}
            for t in (result.coproduced or {}).get("tasks", [])]


def coproduction_limitations(result) -> list[str]:
    """What the evaluation did not co-produce, said in its limitations."""
    stated = result.coproduced
    if stated is None:
        return ["How this evaluation was itself shaped is not recorded: whether partners set "
                "the yardstick or the questions, coded the excerpts or interpreted the "
                "findings cannot be said, and no partner reviewed the draft findings."]
    said = []
    without = [TASK_NAMES[t["task"]] for t in stated["tasks"] if not t["partners"]]
    if without:
        said.append("Partners had no part in how this evaluation " + and_words(without) + ".")
    if stated["sense_making"] is None:
        said.append("Partners did not review the draft findings before this report: no "
                    "sense-making step is recorded.")
    return said


# --- who is in the room ----------------------------------------------------------------------

def truth_under_represented(profile, missing) -> str:
    by = {}
    for characteristic, category in missing:
        by.setdefault(characteristic, []).append(category)
    parts = [f"{characteristic.replace('_', ' ')}: {and_words(categories)}"
             for characteristic, categories in by.items()]
    return ("Fewer partners than the population the service is for would give, beyond "
            "noise, in " + "; ".join(parts) + ".")


def room_rows(result) -> list[dict]:
    rows = []
    for c in (result.room or {}).get("characteristics", []):
        if not c["categories"]:
            rows.append({"characteristic": c["characteristic"].replace("_", " "),
                         "category": "—", "partners": "withheld: too few partners",
                         "population": "", "flag": ""})
            continue
        for row in c["categories"]:
            category = row["category"] + (f" ({and_words(row['merged'])})" if row["merged"]
                                          else "")
            rows.append({"characteristic": c["characteristic"].replace("_", " "),
                         "category": category,
                         "partners": f"{row['partners']} ({pct(row['share'])})",
                         "population": pct(row["population_share"]),
                         "flag": "under-represented" if row["under_represented"] else ""})
    return rows


ROOM_NOTE = ("Counts of partners are rounded; a category with fewer partners than the minimum "
             "group is merged with others, so no small number is shown or can be worked back. "
             "Under-represented: even the top of the 95% interval of the partners' share is "
             "below the population's share (our operationalisation).")


# --- workshop mode ---------------------------------------------------------------------------

WORKSHOP_KEYS = ("Workshop view: one principle at a time. Move with the Next and Previous "
                 "buttons, or the right and left arrow keys.")


def workshop_status(index: int, total: int, title: str) -> str:
    return f"Slide {index + 1} of {total}: {title}."


def principle_disagreements(result, principle_id: str) -> list[dict]:
    """The map's rows for one principle's questions, beyond noise first."""
    d = result.disagreement or {"entries": []}
    ids = {e["item"] for e in d["entries"] if principle_id in e["principles"]}
    return [row for row in disagreement_rows(result, beyond_noise_only=False)
            if row["item"] in ids]


def principle_truths(result, principle_id: str | None) -> list[dict]:
    return [t for t in result.overall.inconvenient_truths if t["principle"] == principle_id]


def turnover_lines(previous) -> list[str]:
    """Who kept taking part: each partner group's survey respondents then and now. When any
    of the four counts is too small to show, none is: the others would give it away."""
    lines = []
    for row in previous.turnover:
        counts = [row[k] for k in ("then", "now", "dropped", "joined")]
        if any(c is None for c in counts):
            lines.append(f"{row['group']}: who kept taking part since round {previous.round} "
                         "is not shown: some of the numbers concern too few people.")
            continue
        lines.append(f"{row['group']}: {row['then']} answered the survey in round "
                     f"{previous.round}, {row['now']} now; of round {previous.round}'s, "
                     f"{row['dropped']} did not answer again (drop-out) and {row['joined']} "
                     "are new. Counts are rounded.")
    return lines


EASY_STANCE = {("project", "accepted"): "The project agreed.",
               ("project", "disputed"): "The project did not agree",
               ("project", "noted"): "The project noted this.",
               ("partners", "accepted"): "Partners agreed.",
               ("partners", "disputed"): "Partners did not agree",
               ("partners", "noted"): "Partners noted this."}


def easy_responses(result, responses, kinds) -> list[str]:
    """Each finding that had a response, in everyday words, then what each side said."""
    if not responses:
        return []
    words = {kind.id: kind.easy_read for kind in kinds}
    lines = []
    for truth in result.overall.inconvenient_truths:
        said = responses.get(truth["rank"]) or []
        if not said:
            continue
        lines.append(f"We found: {words[truth['kind']]}")
        for entry in said:
            stance = EASY_STANCE[(entry["side"], entry["stance"])]
            if entry["stance"] == "disputed":
                stance += f": {entry['reason'].rstrip('.')}."
            lines.append(stance)
            if entry.get("action"):
                who = "The project" if entry["side"] == "project" else "Partners"
                lines.append(f"{who} will: {entry['action']['what'].rstrip('.')}, by "
                             f"{entry['action']['due']}.")
    return lines
