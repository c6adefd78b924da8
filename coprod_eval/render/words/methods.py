"""Aim, methods, the yardstick's rules in words, privacy, and the evaluation's own limits."""

from __future__ import annotations

import re

from .catalog import N_, _, and_list, n_, number, sentence
from .figures import pct, share_text
from .names import rating_label, rule_stage_names, stream_name
from .verdict import judgement_sentence

RUBRIC = {"minimum": N_("A principle's rating is the lowest rating among its indicators (a "
                        "principle is only as strong as its weakest evidence)."),
          "median": N_("A principle's rating is the middle rating among its indicators.")}
TASK_NAMES = {"yardstick": N_("set the yardstick"), "questions": N_("set the questions"),
              "coding": N_("coded the excerpts"), "interpretation": N_("interpreted the findings")}
OWN_LAYOUT_NOTE = N_("Every file is in coprod-eval's own layout (the templates' columns); "
                     "nothing was left out.")


# --- the yardstick -------------------------------------------------------------------------------

def rubric(result) -> str:
    rule = result.framework["rubric"]
    return (_(RUBRIC[rule["combine"]]) + " "
            + _("With no indicator that can be assessed, the rating is ‘{rating}’ and its range "
                "the whole scale. An indicator that was supplied but cannot be known (too few "
                "people to show it, too few records to measure it) is unknown: its range is "
                "the whole scale, and the rating as found counts it at the bottom, so holding "
                "a figure back never raises a rating.",
                rating=rating_label(result, rule["no_evidence"])))


def confidence_rule(result) -> str:
    rule = result.framework["confidence"]
    return _("Confidence is high when at least {high} independent evidence streams were "
             "assessed and their ratings lie within {high_within} of each other, medium with "
             "at least {medium} such streams, and low otherwise; each indicator that cannot "
             "be known lowers it one step, and a principle whose evidence allows more than "
             "one rating, or that one person or record could change, is at most medium.",
             high=rule["high"]["streams"],
             high_within=n_("{n} step", "{n} steps", rule["high"]["agree_within"]),
             medium=rule["medium"]["streams"])


def stage_rule(result) -> str:
    return _("The overall level can be no higher than the lowest level recorded at the "
             "{stages} stages.", stages=and_list(rule_stage_names(result)))


def yardstick(result) -> str:
    fw = result.framework
    where = (_("coprod-eval's built-in file") if fw["builtin"]
             else _("the file chosen for this evaluation"))
    ladder_where = (_("built in") if fw["ladder"]["builtin"]
                    else _("the file chosen for this evaluation"))
    return _("The thresholds and rules are those of the framework {framework} version "
             "{version} ({where}), read on the {ladder} version {ladder_version} "
             "({ladder_where}), agreed as the yardstick for this evaluation. They are a "
             "judgement of what good looks like, set out in advance so anyone can check "
             "them — not validated cut-offs.", framework=fw["name"], version=fw["version"],
             where=where, ladder=fw["ladder"]["name"], ladder_version=fw["ladder"]["version"],
             ladder_where=ladder_where)


# --- what was examined ---------------------------------------------------------------------

def streams(result) -> tuple[list[str], list[str]]:
    present = [stream_name(n) for n, s in result.evidence.items() if s.get("present")]
    missing = [stream_name(n) for n, s in result.evidence.items() if not s.get("present")]
    return present, missing


def methods_summary(result) -> str:
    present, missing = streams(result)
    evaluator = result.project.get("evaluator") or _("an evaluator not named in "
                                                      "evaluation.yaml")
    gaps = (_("Not available: {missing}, so ratings rest on less evidence and their "
              "confidence is lower.", missing=and_list(missing)) if missing
            else _("All evidence streams were available."))
    return " ".join([
        _("Carried out by {evaluator}.", evaluator=evaluator),
        _("Evidence examined: {present}.", present=and_list(present) or _("none")), gaps,
        _("Each principle is rated from indicators drawn from these streams, against "
          "thresholds set in the framework file; the rules are quoted beside every rating and "
          "in full under “Methods and limitations”. Every rating carries the range its "
          "uncertainty allows, and every conclusion is checked against leaving out any one "
          "person or record and against moving the thresholds (“How sure are we?”).")])


def evidence_sentence(result) -> str:
    survey = result.evidence.get("survey", {})
    if not survey.get("present"):
        return _("No survey evidence was supplied.")
    min_n = result.parameters["min_group_size"]
    counts = []
    for g in result.groups:
        n = survey["respondents"][g["id"]]
        counts.append(_("{group}: about {n}", group=g["label"], n=n) if n is not None
                      else _("{group}: fewer than {n}", group=g["label"], n=min_n))
    bands = survey.get("response_rate_band") or {}
    rates = [_("{group} {rate}", group=g["label"], rate=share_text(
                 survey["response_rate"].get(g["id"]), bands.get(g["id"])))
             for g in result.groups if survey["response_rate"].get(g["id"]) is not None
             or bands.get(g["id"])]
    text = _("Survey: {items} items; respondents — {counts} (counts of people are rounded to "
             "the nearest {base}, so no small group can be picked out; a response rate is "
             "shown from the rounded count, or as a band where that would mislead).",
             items=survey["items"], counts="; ".join(counts), base=result.privacy["round_to"])
    if rates:
        text += " " + _("Response rates: {rates}.", rates=", ".join(rates))
    return text + " " + _("{missing}% of possible answers were missing (blank or “don't "
                          "know”), and left out rather than counted as neutral.",
                          missing=number(survey["pct_missing"], 1).removesuffix(".0")
                          if survey["pct_missing"] is not None else "0")


def questions_used(result) -> list[str]:
    """Which survey questions each principle rests on (reverse-worded ones marked), and who
    confirmed an own questionnaire's mapping: so any reader can check it."""
    params = result.parameters
    questions = params.get("questions")
    if not questions:
        return []
    confirmed = params.get("mapping_confirmed")
    if params.get("own_questionnaire"):
        lead = (_("The survey is the evaluator's own questionnaire. Which principle each "
                  "question evidences is a validity decision, confirmed by the {by} on "
                  "{date}.", by=_(" and the ").join(confirmed["by"]), date=confirmed["date"])
                if confirmed else
                _("The survey is the evaluator's own questionnaire. Which principle each "
                  "question evidences is a validity decision, not recorded as confirmed."))
    else:
        lead = _("The survey uses the framework's own questions ({instrument}).",
                 instrument=params["instrument"]["id"])
    by_id = {q["id"]: q for q in questions}
    parts = []
    for principle in result.principles:
        used = [by_id[i] for i in principle.items if i in by_id]
        if not used:
            parts.append(_("{principle}: no question (its survey indicator is not assessed).",
                           principle=principle.name))
            continue
        shown = "; ".join(
            (_("{id} “{text}” (reverse-worded, reversed)", id=q["id"], text=q["text"])
             if q["reverse"] else _("{id} “{text}”", id=q["id"], text=q["text"]))
            for q in used)
        parts.append(_ended(_("{principle}: {questions}", principle=principle.name,
                              questions=shown)))
    unused = [q["id"] for q in questions if not q["principles"]]
    text = lead + " " + _("Questions used, per principle — {parts}", parts=" ".join(parts))
    if unused:
        text += " " + _("Questions used for no principle: {ids}.", ids=", ".join(unused))
    return [text]


def item_check_sentence(check, principle: str) -> str:
    """One question whose answers run against or sit apart from its principle's other
    questions, what that may mean, and what the evaluator recorded about it."""
    figures = _("r = {r}, 95% interval {low} to {high}", r=_correlation(check["r"]),
                low=_correlation(check["interval"][0]),
                high=_correlation(check["interval"][1]))
    if check["kind"] == "against":
        found = _("{item} runs against the other ‘{principle}’ questions ({figures})",
                  item=check["item"], principle=principle, figures=figures)
    else:
        found = _("{item} sits apart from the other ‘{principle}’ questions ({figures})",
                  item=check["item"], principle=principle, figures=figures)
    if check["r"] < 0:
        asked = (_("is it really reverse-worded, or about this principle?") if check["reverse"]
                 else _("is it reverse-worded, or about another principle?"))
    else:
        asked = _("does it evidence this principle?")
    if check.get("pair"):
        asked += " " + _("(With two questions, the check cannot tell which of the pair is "
                         "out of step.)")
    recorded = (_("The evaluator kept it as mapped: {why}", why=check["kept"].rstrip(".?!"))
                if check["kept"] else _("Not yet confirmed or dismissed by the evaluator"))
    return _("{found}: {asked} {recorded}.", found=found, asked=asked, recorded=recorded)


def _correlation(value: float) -> str:
    """A correlation to two decimals, a true minus sign before a negative one."""
    text = number(abs(value), 2)
    return ("−" + text) if round(value, 2) < 0 else text


def item_checks_said(result) -> list[str]:
    """The answers' check of the mapping (compute/itemcheck.py), when there was a survey."""
    checks = result.parameters.get("item_checks")
    if "item_checks" not in result.parameters or not result.evidence["survey"]["present"]:
        return []  # no survey, or a result from before the check
    if checks is None:
        return [_("The answers could not check the mapping: no principle has two questions "
                  "answered by at least 20 people.")]
    lead = _("The answers check the mapping: each question is compared with the rest of its "
             "principle's questions (Pearson's item–rest correlation, each answer centred "
             "within its group so the groups' different levels do not count, with Fisher's "
             "95% interval, from at least 20 people answering both; a question whose interval "
             "lies below zero runs against them, one whose interval reaches no more than 0.1 "
             "sits apart). "
             "With few people only a clearly negative correlation can be named.")
    if not checks:
        return [lead + " " + _("No question runs against or sits apart from the rest of its "
                               "principle's questions.")]
    names = {p.id: p.name for p in result.principles}
    return [lead + " " + " ".join(item_check_sentence(c, names[c["principle"]])
                                  for c in checks)]


def _ended(part: str) -> str:
    """A full stop, unless the question's own ends the part."""
    return part if re.search(r"[.?!][”\"]\)?$", part) else part + "."


def _methods_used(result) -> list[str]:
    used = sorted({c.method for p in result.principles for c in p.comparisons if c.shown})
    return [_("{method} test", method=m) if not m.startswith("normal") else m for m in used]


def coder_agreement(result) -> str:
    agreement = result.agreement
    if agreement is None:
        return ""
    if agreement["cohen_kappa"] is None:
        return n_("Only {n} excerpt was coded by two coders; agreement is not estimated below "
                  "{min}.", "Only {n} excerpts were coded by two coders; agreement is not "
                  "estimated below {min}.", agreement["double_coded"],
                  min=agreement["min_double_coded"])
    weak = agreement["cohen_kappa"] < 0.4
    return (_("On the {n} excerpts coded by two coders, they agreed on whether each supports "
              "or contradicts its principle with Cohen's kappa {kappa} and Krippendorff's "
              "alpha {alpha}", n=agreement["double_coded"],
              kappa=number(agreement["cohen_kappa"], 2),
              alpha=number(agreement["krippendorff_alpha"], 2))
            + (_(" — weak agreement, so the excerpt indicator should be read with care")
               if weak else "")
            + _(", and chose the same principle for {share} of them. Ratings use the first "
                "coder's codes; disagreements are reported here, not resolved.",
                share=pct(agreement["principle_agreement"])))


def methods_paragraphs(result) -> list[str]:
    params = result.parameters
    scale = ", ".join(f"{s['code']} = {s['label']}" for s in params["scale"])
    agree = ", ".join(str(c) for c in params["agree_codes"])
    methods = and_list(_methods_used(result)) or _("no comparison could be made")
    return [
        " ".join(x for x in (_("Framework: {name} (version {version}).",
                               name=result.framework["name"],
                               version=result.framework["version"]),
                             result.framework["source"], yardstick(result)) if x),
        *questions_used(result),
        *item_checks_said(result),
        _("Survey instrument {instrument} version {version}, answered on the scale {scale}. "
          "Answers {agree} count as agreeing. Reverse-worded items were reversed before "
          "analysis. Because the answers are ordered categories, the report leads with "
          "medians, quartiles and the share agreeing; means are kept in the machine-readable "
          "results for comparison only.", instrument=params["instrument"]["id"],
          version=params["instrument"]["version"], scale=scale, agree=agree),
        _("Shares agreeing carry a 95% interval that allows for one person's answers "
          "resembling each other: Wilson's score interval on the effective number of answers, "
          "the design effect estimated from each person's share of answers agreeing (with one "
          "pseudo-person agreeing with half of an average number of answers, so a small group "
          "that happens to agree unanimously does not look certain), and Student's t with "
          "(people − 1) degrees of freedom. In simulations it covers the true share at least "
          "93% of the time from 8 people. Proportions of records (meetings, decisions, "
          "partners) use Wilson's score interval, a median its distribution-free "
          "order-statistic interval."),
        " ".join(x for x in (_(
            "Groups are compared on each person's mean answer with the Mann–Whitney test: "
            "exact (every split of the people counted, ties included) whenever that is "
            "affordable — which covers groups of up to a few hundred —; past that a "
            "permutation test ({permutations} random splits, seed {seed}) when a group is "
            "under 20 or ties are heavy, and otherwise the normal approximation. In this "
            "evaluation: {methods}. p-values are Holm-corrected across every comparison made; "
            "a difference is a finding only when it survives the correction and Cliff's "
            "delta is at least small (0.147; 0.33 medium, 0.474 large). When no difference "
            "is established, the smallest difference the comparison could have detected (80% "
            "power, at the strictest step of the correction, Noether's approximation) is "
            "given. Internal consistency is Cronbach's alpha per group with Feldt's 95% "
            "interval, from 10 complete answers.",
            permutations=number(params["permutations"]), seed=params["seed"], methods=methods),
            coder_agreement(result)) if x),
        _("Ratings are compared with thresholds on exact values; figures are rounded only for "
          "display. An indicator's range is the ratings its 95% interval reaches; a "
          "principle's range combines its indicators' ranges by the same rule as its rating; "
          "the level's range is the level of the principles' low ends to that of their high "
          "ends. The claim is not supported when even the top of that range falls short of "
          "it, supported when its bottom reaches the claim with at least medium confidence, "
          "and otherwise not established."),
    ]


# --- privacy ---------------------------------------------------------------------------------


# --- the evaluation itself -----------------------------------------------------------------------

def reflections(result) -> list[str]:
    present, missing = streams(result)
    evaluator = result.project.get("evaluator") or _("an evaluator not named")
    text = " ".join([
        _("Evaluation carried out by {evaluator}.", evaluator=evaluator),
        _("Evidence streams used: {present}.", present=and_list(present) or _("none")),
        (_("Not supplied: {missing}; principles that depend on them are rated on less "
           "evidence.", missing=and_list(missing)) if missing
         else _("Every evidence stream was supplied.")),
        _("Survey answers tell us what people experience and records what was done; where "
          "they disagree, the rating follows the weaker of the two. Quotes are de-identified "
          "excerpts chosen by excerpt id, not for effect.")])
    paragraphs = [text]
    overridden = [p for p in result.principles if p.override]
    if overridden:
        paragraphs.append(_("The evaluator overrode the computed rating of {which}.",
                            which=and_list([
                                _("{principle} ({computed} → {rating}: {reason})",
                                  principle=p.name,
                                  computed=rating_label(result, p.computed_rating),
                                  rating=rating_label(result, p.rating),
                                  reason=p.override["reason"]) for p in overridden])))
    paragraphs += coproduction_limitations(result)
    paragraphs.append(judgement_sentence(result))
    return paragraphs


def coproduction_rows(result) -> list[dict]:
    return [{"task": sentence(_(TASK_NAMES[t["task"]]).capitalize()).rstrip("."),
             "roles": and_list(t["roles"]) or _("not recorded"),
             "partners": _("yes") if t["partners"] else _("no")}
            for t in (result.coproduced or {}).get("tasks", [])]


def coproduction_limitations(result) -> list[str]:
    """What the evaluation did not co-produce, said in its limitations."""
    from .verdict import sense_making

    stated = result.coproduced
    if stated is None:
        return [_("How this evaluation was itself shaped is not recorded: whether partners set "
                  "the yardstick or the questions, coded the excerpts or interpreted the "
                  "findings cannot be said, and no partner reviewed the draft findings.")]
    said = []
    without = [_(TASK_NAMES[t["task"]]) for t in stated["tasks"] if not t["partners"]]
    if without:
        said.append(_("Partners had no part in how this evaluation {tasks}.",
                      tasks=and_list(without)))
    if sense_making(result) is None:
        said.append(_("Partners did not review this round's draft findings before this "
                      "report: no sense-making step for it is recorded."))
    return said
