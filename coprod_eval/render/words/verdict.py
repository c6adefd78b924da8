"""The verdict box: the headline, how sure it is, the level evidenced, how the level was set,
what would settle a verdict that is not established, and whose judgement it is.

A verdict never sounds surer than its confidence: "clearly" and "confident" are said only
with high confidence, and the confidence is said in the verdict's own first sentence.
"""

from __future__ import annotations

from .catalog import N_, _, and_list, n_, or_list
from .names import (
    level_name,
    level_words,
    rating_label,
    rule_stage_names,
    stream_name,
    unit_name,
    who,
)

VERDICT_HEADLINES = {"supported": N_("Claim supported"),
                     "not_supported": N_("Claim not supported"),
                     "not_established": N_("Claim not established")}
VERDICT_MARKS = {"supported": "✔", "not_supported": "✘", "not_established": "?"}
CONFIDENCE_WORDS = {"high": N_("High confidence"), "medium": N_("Medium confidence"),
                    "low": N_("Low confidence")}
CONFIDENCE_LOWER = {"high": N_("high confidence"), "medium": N_("medium confidence"),
                    "low": N_("low confidence")}
CONFIDENCE_MEANS = {
    "high": N_("several independent kinds of evidence agree and the rating is precise"),
    "medium": N_("two kinds of evidence agree, several disagree, or the evidence allows "
                 "more than one rating"),
    "low": N_("it rests on one kind of evidence, or kinds that disagree")}
LADDER_WORDS = {"evidenced": N_("evidenced"), "plausible": N_("within the plausible range"),
                "claimed": N_("claimed")}
DRAFT_NOTE = N_("The evaluator has not yet signed this verdict off; it may change before it "
                "is final.")


def headline(verdict: str) -> str:
    return _(VERDICT_HEADLINES[verdict])


def confidence_words(confidence: str) -> str:
    return _(CONFIDENCE_WORDS[confidence])


def confidence_means(confidence: str) -> str:
    return _(CONFIDENCE_MEANS[confidence])


def ladder_word(mark: str) -> str:
    return _(LADDER_WORDS[mark])


def title(result) -> str:
    return _("{project}: does the claim of {level} hold?", project=result.project["name"],
             level=level_words(result, result.overall.claimed_level))


def lede(result) -> str:
    project = result.project
    who_parts = [project["organisation"]] if project.get("organisation") else []
    if project.get("evaluator"):
        who_parts.append(_("evaluated by {evaluator}", evaluator=project["evaluator"]))
    if project.get("id") or (project.get("round") or 1) > 1:  # examined in rounds
        who_parts.insert(0, _("Round {round} of project {project}", round=project["round"],
                              project=project["id"]) if project.get("id")
                         else _("Round {round}", round=project.get("round") or 1))
    measured = _("Measured against the {framework} and the {ladder}.",
                 framework=result.framework["name"], ladder=result.framework["ladder"]["name"])
    return ((" · ".join(who_parts) + ". ") if who_parts else "") + measured


def verdict_sentence(result) -> str:
    """The verdict's first sentence: what it is and how sure — and, when it hangs on the
    stage records, where a threshold is drawn or on one person, that too."""
    overall = result.overall
    low, high = (level_words(result, x) for x in overall.level_range)
    claimed = level_words(result, overall.claimed_level)
    sure = _(CONFIDENCE_LOWER[overall.confidence])
    if overall.claim_verdict == "supported":
        if overall.confidence == "high":
            text = _("We are confident the evidence supports the claim ({confidence}): even "
                     "at the cautious end of its uncertainty it shows {low}, and the project "
                     "claims {claimed}.", confidence=sure, low=low, claimed=claimed)
        else:
            text = _("The evidence supports the claim ({confidence}): even at the cautious "
                     "end of its uncertainty it shows {low}, and the project claims "
                     "{claimed}.", confidence=sure, low=low, claimed=claimed)
    elif overall.claim_verdict == "not_supported":
        if overall.confidence == "high":
            text = _("The evidence clearly falls short of the claim ({confidence}): even at "
                     "the generous end of its uncertainty it shows no more than {high}, and "
                     "the project claims {claimed}.", confidence=sure, high=high,
                     claimed=claimed)
        else:
            text = _("The evidence falls short of the claim ({confidence}): even at the "
                     "generous end of its uncertainty it shows no more than {high}, and the "
                     "project claims {claimed}.", confidence=sure, high=high, claimed=claimed)
        if overall.confidence == "low":
            text += " " + _("Its confidence is low: the ratings rest on too few independent "
                            "kinds of evidence, so more evidence could change the picture.")
        without = result.robustness.get("without_stage_records")
        if without and without["verdict"] != "not_supported":
            text += " " + _("The shortfall comes from the stage records: the lowest level "
                            "they record across the {stages} stages is {stage}, and the other "
                            "evidence alone would not rule the claim out.",
                            stage=level_words(result, overall.stage_level),
                            stages=and_list(rule_stage_names(result)))
        return text
    else:
        span = (low if low == high else
                _("anything from {low} to {high}", low=low, high=high))
        text = _("The evidence is not strong enough to say either way ({confidence}): it is "
                 "consistent with {span}, and the project claims {claimed}.",
                 confidence=sure, span=span, claimed=claimed)
        if overall.confidence == "low" and low == high:
            text += " " + _("Its confidence is low: the ratings rest on too few independent "
                            "kinds of evidence.")
        return text
    return text + fragility(result)


def fragility(result) -> str:
    """What a supported verdict hangs on, if anything."""
    robust = result.robustness
    shift = robust["threshold_shift"]
    verdict = result.overall.claim_verdict
    notes = []
    for side, words in (("stricter", N_("with every threshold 5 points stricter it would "
                                        "be {verdict}")),
                        ("laxer", N_("with every threshold 5 points laxer it would be "
                                     "{verdict}"))):
        if shift[side]["verdict"] != verdict:
            notes.append(_(words, verdict=headline(shift[side]["verdict"]).lower()))
    if not robust["leave_one_out"]["verdict"]:
        units = sorted({unit_name(u) for u in robust["leave_one_out"]["verdict_changed_by"]})
        notes.append(_("leaving out a single {units} could change it",
                       units=or_list(units)))
    if not notes:
        return ""
    return " " + _("It is close to the line: {notes} (see “How sure are we?”).",
                   notes="; ".join(notes))


def evidenced_sentence(result) -> str:
    overall = result.overall
    level = result.level(overall.evidenced_level)
    text = _("On the evidence as found the project is at {level} (“{band}”).",
             level=level_words(result, level["id"]), band=level["band"].lower())
    if overall.level_range[0] != overall.level_range[1]:
        low, high = (level_name(result, x).lower() for x in overall.level_range)
        text += " " + _("Allowing for uncertainty it could be anywhere from {low} to {high}.",
                        low=low, high=high)
    return text


def rule_sentence(result) -> str:
    """How the level as found was set: the ladder rule that held (the floor said as the
    floor), and the stage records when they hold it lower."""
    overall = result.overall
    rules = result.framework["level_rules"]
    text = level_rule(result, rules[overall.rule], floor_alone=True)
    if overall.capped_by_stages:
        text += " " + _("The stage records hold it at {level}: the lowest level recorded "
                        "across the {stages} stages.",
                        level=level_name(result, overall.stage_level),
                        stages=and_list(rule_stage_names(result)))
    return text


def level_rule(result, rule, *, floor_alone: bool = False) -> str:
    """A ladder rule in words. The floor (a rule with no condition) reads 'when no rule above
    holds' in the list of rules, and as what it is when shown alone."""
    level = level_name(result, rule["level"])
    parts = []
    if rule["all_at_least"]:
        parts.append(_("every principle is rated at least ‘{rating}’",
                       rating=rating_label(result, rule["all_at_least"])))
    if rule["at_least_rating"]:
        top = rule["at_least_rating"] == result.framework["ratings"][-1]["id"]
        rating = rating_label(result, rule["at_least_rating"])
        parts.append(n_("at least {n} principle is rated ‘{rating}’",
                        "at least {n} principles are rated ‘{rating}’",
                        rule["at_least_count"], rating=rating) if top else
                     n_("at least {n} principle is rated ‘{rating}’ or better",
                        "at least {n} principles are rated ‘{rating}’ or better",
                        rule["at_least_count"], rating=rating))
    if parts:
        return _("{level}: when {conditions}.", level=level, conditions=_(" and ").join(parts))
    if floor_alone:
        return _("{level}: the ladder's floor, as none of its rules for a higher level holds.",
                 level=level)
    return _("{level}: when no rule above holds.", level=level)


def settle_lines(result) -> list[str]:
    """What evidence would settle a verdict that is not established."""
    lines = []
    for fact in result.overall.settle:
        reason = fact["reason"]
        if reason == "supply":
            lines.append(_("Supply the evidence that is missing: {streams}.",
                           streams=and_list([stream_name(s) for s in fact["streams"]])))
        elif reason == "beyond_invited":
            lines.append(_("More {who} than were invited would be needed to narrow the survey "
                           "results to single ratings: other kinds of evidence, not more of "
                           "the same, can settle it.", who=who(result, fact["group"])))
        elif reason == "more":
            source = (who(result, fact["group"]) if fact["stream"] == "survey"
                      else _("records in the {stream}", stream=stream_name(fact["stream"])))
            lines.append(n_("About {extra} more {source} would narrow {settled} of the {n} "
                            "result that now spans more than one rating to a single rating; "
                            "results closer to a threshold need more.",
                            "About {extra} more {source} would narrow {settled} of the {n} "
                            "results that now span more than one rating to a single rating; "
                            "results closer to a threshold need more.",
                            fact["total"], extra=fact["extra"], source=source,
                            settled=fact["settled"]))
        elif reason == "other_evidence":
            source = (who(result, fact["group"]) if fact["stream"] == "survey"
                      else stream_name(fact["stream"]))
            lines.append(_("The results resting on {source} sit close to a threshold: more "
                           "evidence of the same kind would take a great deal to settle "
                           "them; other kinds of evidence can.", source=source))
        elif reason == "legacy":  # an earlier release's result: its own words
            lines.append(fact["text"])
        else:
            lines.append(_("Confidence is low because the ratings rest on too few "
                           "independent kinds of evidence: records of practice (attendance, "
                           "decisions, payments) or coded interviews would corroborate or "
                           "challenge the survey."))
    return lines


def weakest_sentence(result) -> str:
    overall = result.overall
    names = and_list([result.by_principle[p].name for p in overall.weakest])
    rating = result.rating(result.by_principle[overall.weakest[0]].rating)["label"]
    if len(overall.weakest) == len(result.principles):
        return _("Every principle is rated {rating}.", rating=rating)
    return n_("Weakest principle: {names} (rated {rating}).",
              "Weakest principles: {names} (rated {rating}).", len(overall.weakest),
              names=names, rating=rating)


def judgement_sentence(result) -> str:
    """Whose verdict this is: the evaluator's, informed by the evidence and rules shown."""
    evaluator = result.project.get("evaluator") or _("the evaluator (not named)")
    base = _("This verdict is the judgement of {evaluator}, informed by the evidence and the "
             "rules set out in this report; coprod-eval computes, the evaluator judges.",
             evaluator=evaluator)
    sign = result.sign_off
    if not sign:
        return base + " " + _("DRAFT: the evaluator has not yet signed it off.")
    by = sign.get("by") or evaluator
    if sign.get("role"):
        return base + " " + _("Signed off by {by} ({role}) on {date}.", by=by,
                              role=sign["role"], date=sign["date"])
    return base + " " + _("Signed off by {by} on {date}.", by=by, date=sign["date"])


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


def aim_sentence(result) -> str:
    return _("To examine independently whether {project} reaches {level}, as the project "
             "claims, measured against the {framework} and the {ladder}.",
             project=result.project["name"],
             level=level_words(result, result.overall.claimed_level),
             framework=result.framework["name"], ladder=result.framework["ladder"]["name"])


# --- the partners' reading of the draft findings ------------------------------------------------

def sense_making(result) -> dict | None:
    """The partners' sense-making of *this* round's findings (None when it read another
    round's, or there was none)."""
    making = (result.coproduced or {}).get("sense_making")
    if not making or making["round"] != (result.project.get("round") or 1):
        return None
    return making


def earlier_sense_making(result) -> dict | None:
    """A sense-making of an earlier round's findings, carried in this round's folder."""
    making = (result.coproduced or {}).get("sense_making")
    if not making or making["round"] == (result.project.get("round") or 1):
        return None
    return making


def partner_sign_line(result) -> str:
    """Whether partner reviewers co-sign this round's report or dissent ("" when none
    reviewed it)."""
    making = sense_making(result)
    if not making:
        return ""
    reviewers = and_list(making["reviewers"])
    if making["sign"] == "co-sign":
        return _("Partner reviewers ({reviewers}) co-sign this report.", reviewers=reviewers)
    return _("Partner reviewers ({reviewers}) dissent from this report: {why}",
             reviewers=reviewers, why=making["why"])


def earlier_sign_line(result) -> str:
    making = earlier_sense_making(result)
    if not making:
        return ""
    reviewers = and_list(making["reviewers"])
    if making["sign"] == "co-sign":
        return _("Round {round} ({date}): partner reviewers ({reviewers}) co-signed that "
                 "round's report.", round=making["round"], date=making["date"],
                 reviewers=reviewers)
    return _("Round {round} ({date}): partner reviewers ({reviewers}) dissented from that "
             "round's report: {why}", round=making["round"], date=making["date"],
             reviewers=reviewers, why=making["why"])


def verdict_line(result) -> str:
    """The verdict in one line, for the terminal."""
    overall = result.overall
    low, high = (level_name(result, x) for x in overall.level_range)
    return _("{headline} — the evidence shows {shown} ({confidence}); the project claims "
             "{claimed}", headline=headline(overall.claim_verdict),
             shown=low if low == high else _("{low} to {high}", low=low, high=high),
             confidence=_(CONFIDENCE_LOWER[overall.confidence]),
             claimed=level_name(result, overall.claimed_level))
