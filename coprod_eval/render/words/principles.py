"""A principle in words: its tile, its judgement, its indicators and rules, its survey
answers group by group."""

from __future__ import annotations

from .catalog import _, and_list, n_, number
from .figures import (
    band_text,
    conduct_words,
    pct,
    reversed_pair,
    share_text,
    shown_figure,
    threshold_text,
)
from .names import rating_label, stream_name, unit_name, units_name
from .verdict import confidence_means, confidence_words

UNKNOWN = ("rating_withheld", "too_few_records", "no_value")
LEFT_OUT = ("not_supplied", "not_declared", "no_questions")


def range_note(result, low: str, high: str) -> str:
    if low == high:
        return ""
    return _("(plausibly {low} to {high})", low=rating_label(result, low),
             high=rating_label(result, high))


def stability_note(principle) -> str:
    if principle.override:
        return _("The evaluator's judgement.")
    notes = []
    if principle.rating_range[0] != principle.rating_range[1]:
        notes.append(_("Borderline: the evidence allows more than one rating."))
    if not principle.stable:
        notes.append(_("One person or record could change this rating."))
    return " ".join(notes)


def set_by(result, principle) -> str:
    """What sets a principle's rating, in a line for its tile."""
    if principle.override:
        return _("Set by the evaluator's judgement.")
    unknown = [i for i in principle.evidence if i.status in UNKNOWN]
    rated = [i for i in principle.evidence if i.rating]
    bottom = result.framework["ratings"][0]["id"]
    if unknown and result.framework["rubric"]["combine"] == "minimum" and not any(
            i.rating == bottom for i in rated):  # (a rated one at the bottom sets it anyway)
        return n_("Counted at the bottom of the scale: {labels} cannot be known, so it could "
                  "be the weakest.", "Counted at the bottom of the scale: {labels} cannot be "
                  "known, so any of them could be the weakest.", len(unknown),
                  labels=and_list([i.label.lower() for i in unknown]))
    if not rated:
        return _("No indicator could be assessed.")
    if result.framework["rubric"]["combine"] != "minimum":
        return _("Set by the middle of its indicators' ratings.")
    order = [r["id"] for r in result.framework["ratings"]]
    if len({i.rating for i in rated}) == 1 and len(rated) > 1:
        return n_("The {n} indicator assessed is rated {rating}.",
                  "All {n} indicators assessed are rated {rating}.", len(rated),
                  rating=rating_label(result, rated[0].rating))
    weakest = min(rated, key=lambda i: order.index(i.rating))
    if weakest.band is not None:
        return _("Set by its weakest indicator, {label}: {figure} (a band).",
                 label=weakest.label.lower(), figure=band_text(weakest.band))
    if weakest.value is None:
        return _("Set by its weakest indicator, {label} (its figure is withheld).",
                 label=weakest.label.lower())
    return _("Set by its weakest indicator, {label}: {figure}.", label=weakest.label.lower(),
             figure=shown_figure(weakest))


def judgement_of(result, principle) -> str:
    used = sorted({stream_name(i.stream) for i in principle.evidence if i.rating})
    missing = sorted({stream_name(i.stream) for i in principle.evidence
                      if i.status == "not_supplied"} - set(used))
    evidence = (_("evidence from {used}; not supplied: {missing}", used=and_list(used),
                  missing=and_list(missing)) if missing and used else
                _("evidence from {used}", used=and_list(used)) if used else
                _("no stream assessed; not supplied: {missing}", missing=and_list(missing))
                if missing else _("no stream assessed"))
    parts = [_("{confidence}: {means} ({evidence}). Confidence is about whether the kinds of "
               "evidence agree and how precise they are; the plausible range shows what the "
               "uncertainty allows.", confidence=confidence_words(principle.confidence),
               means=confidence_means(principle.confidence), evidence=evidence)]
    if principle.override:
        parts.append(_("The evaluator rated this principle {rating}, where the rules give "
                       "{computed}. Reason: {reason}",
                       rating=rating_label(result, principle.override["rating"]),
                       computed=rating_label(result, principle.computed_rating),
                       reason=principle.override["reason"]))
    if principle.claimed_rating:
        index = result.rating_index
        claim = rating_label(result, principle.claimed_rating)
        if index(principle.claimed_rating) <= index(principle.rating_range[0]):
            parts.append(_("The project rates itself {claim}: the evidence bears this out.",
                           claim=claim))
        elif index(principle.claimed_rating) <= index(principle.rating_range[1]):
            parts.append(_("The project rates itself {claim}: the evidence could bear this "
                           "out but does not establish it.", claim=claim))
        else:
            parts.append(_("The project rates itself {claim}: the evidence does not bear this "
                           "out.", claim=claim))
    return " ".join(parts)


# --- indicators -------------------------------------------------------------------------------

def explanation(result, indicator) -> str:
    """The rule an indicator met or missed, or why it has no rating."""
    status = indicator.status
    if status == "not_supplied":
        return _("Not assessed: the project supplied no {stream}.",
                 stream=stream_name(indicator.stream))
    if status == "not_declared":
        return _("Not assessed: the project declared no such figure in evaluation.yaml (for "
                 "the budget: budget_total and budget_joint_control under resources).")
    if status == "no_questions":
        return _("Not assessed: no question of the survey is assigned to this principle (the "
                 "confirmed mapping gives it none).")
    unknown = _("It counts as unknown: its range is the whole scale, and its principle is "
                "rated as if it were at the bottom.")
    if status == "rating_withheld":
        return _("Not shown: fewer than {n} people are behind this figure, and even its rating "
                 "would give away their answers.",
                 n=result.parameters["min_group_size"]) + " " + unknown
    if status == "too_few_records":
        if indicator.needed is None:  # an earlier release's result did not record how many
            said = _("Not known: there are too few records to measure it.")
        elif indicator.record_count is None:
            said = _("Not known: it rests on fewer than {needed} {units}, the least the "
                     "framework needs.", needed=indicator.needed,
                     units=units_name(indicator.record_unit))
        else:
            said = n_("Not known: it rests on {n} {unit}, fewer than the {needed} the "
                      "framework needs.", "Not known: it rests on {n} {units}, fewer than the "
                      "{needed} the framework needs.", indicator.record_count,
                      unit=unit_name(indicator.record_unit),
                      units=units_name(indicator.record_unit), needed=indicator.needed)
        return said + " " + unknown
    if status == "no_value":
        return _("Not known: the {stream} hold nothing this measure can use.",
                 stream=stream_name(indicator.stream)) + " " + unknown
    label = rating_label(result, indicator.rating)
    if status == "figure_withheld":
        if indicator.small_part:
            return _("Rated {rating}; the figure is withheld because fewer than {n} people are "
                     "on one side of it (it would single them out).", rating=label,
                     n=result.parameters["min_group_size"])
        return _("Rated {rating}; the figure is withheld because it concerns fewer than {n} "
                 "people.", rating=label, n=result.parameters["min_group_size"])
    return _rule(result, indicator)


def _rule(result, indicator) -> str:
    unit = indicator.unit
    if not indicator.thresholds:  # an earlier release's result, its yardstick not at hand
        return _("Rated {rating}.", rating=rating_label(result, indicator.rating))
    thresholds = {t["rating"]: t["value"] for t in indicator.thresholds}
    order = [t["rating"] for t in indicator.thresholds]  # lowest rating first
    lower = indicator.direction == "lower_is_better"
    if indicator.band_word is not None:
        shown = _("The share is {words}, and the exact figure", words=conduct_words(indicator))
    elif indicator.band is not None:
        shown = _("The exact figure lies in {band}, which", band=band_text(indicator.band))
    else:
        shown = shown_figure(indicator)
    rating = indicator.rating
    if rating not in thresholds:
        first = order[0]
        said = (_("{value} is above the ‘{label}’ limit ({threshold}).", value=shown,
                  label=rating_label(result, first), threshold=threshold_text(
                      thresholds[first], unit)) if lower else
                _("{value} does not reach the ‘{label}’ threshold ({threshold}).", value=shown,
                  label=rating_label(result, first),
                  threshold=threshold_text(thresholds[first], unit)))
    else:
        label = rating_label(result, rating)
        threshold = threshold_text(thresholds[rating], unit)
        position = order.index(rating)
        if position == len(order) - 1:
            said = (_("{value} is within the ‘{label}’ limit ({threshold}), the highest "
                      "rating.", value=shown, label=label, threshold=threshold) if lower else
                    _("{value} meets the ‘{label}’ threshold ({threshold}), the highest "
                      "rating.", value=shown, label=label, threshold=threshold))
        else:
            nxt = order[position + 1]
            values = dict(value=shown, label=label, threshold=threshold,
                          next_label=rating_label(result, nxt),
                          next_threshold=threshold_text(thresholds[nxt], unit))
            said = (_("{value} is within the ‘{label}’ limit ({threshold}) but above "
                      "‘{next_label}’ ({next_threshold}).", **values) if lower else
                    _("{value} meets the ‘{label}’ threshold ({threshold}) but not "
                      "‘{next_label}’ ({next_threshold}).", **values))
    if indicator.band_word is not None:
        return said + " " + _("(Shown in words: how the organisation treats its partners is "
                              "the commissioner's to see, but an exact share of so few "
                              "partners, or with so few on one side, would single them out; "
                              "the rating is on the exact figure.)")
    if indicator.band is not None:
        return said + " " + _("(Shown as a band: few people are behind it, or the figure from "
                              "rounded counts would mislead; the rating is on the exact "
                              "figure.)")
    if indicator.rounded:
        return said + " " + _("(The figure shown is calculated from counts rounded to protect "
                              "a small group; the rating is on the exact figure.)")
    return said


def indicator_status(indicator) -> str:
    """What the rating column says of an indicator with no rating."""
    if indicator.status in LEFT_OUT:
        return _("not assessed")
    if indicator.status == "rating_withheld":
        return _("not shown (counted as unknown)")
    return _("not known (counted as unknown)")


def unstable_note(indicator) -> str:
    from ...yardsticks.streams import STREAM_UNITS

    return _("one {unit} left out changes it",
             unit=unit_name(STREAM_UNITS.get(indicator.stream, "record")))


# --- survey answers ------------------------------------------------------------------------------

def withheld_group(result) -> str:
    return _("withheld: fewer than {n} people in this group answered",
             n=result.parameters["min_group_size"])


def suppressed_roles(principle) -> list[str]:
    return [role for role, stats in principle.groups.items() if stats.suppressed]


def agreeing_text(stats) -> str:
    """A group's share agreeing as published: a figure or a band."""
    return share_text(stats.pct_agree, stats.pct_agree_band)


def share_agreeing(result, principle, role: str) -> str:
    stats = principle.groups[role]
    label = result.group_label(role)
    if stats.suppressed:
        return _("{group}: withheld (fewer than {n} answered).", group=label,
                 n=result.parameters["min_group_size"])
    values = dict(group=label.lower(), low=pct(stats.ci[0]), high=pct(stats.ci[1]))
    if stats.pct_agree_band is not None:
        return _("Between {band_low}% and {band_high}% of answers from {group} agree (95% "
                 "interval {low} to {high}).", band_low=number(stats.pct_agree_band[0]),
                 band_high=number(stats.pct_agree_band[1]), **values)
    return _("{share} of answers from {group} agree (95% interval {low} to {high}).",
             share=pct(stats.pct_agree), **values)


def score_text(result, principle) -> str:
    """The survey's word on a principle from the partners' side, group by group."""
    partners = [g["id"] for g in result.groups if g["side"] == "partner"]
    shown = [g for g in partners if g in principle.groups and not principle.groups[g].suppressed]
    if not shown:
        from .names import partners_label

        return _("No survey score: the answers of {who} are not available or are withheld.",
                 who=partners_label(result).lower())
    said = " ".join(share_agreeing(result, principle, g) for g in shown)
    notes = order_notes(result, principle, shown)
    return " ".join([said, *notes])


def order_notes(result, principle, roles: list[str]) -> list[str]:
    """A sentence for each pair of groups whose shares, as shown, stand in the opposite order
    to the exact shares (rounding a group's counts can do that)."""
    notes = []
    shown = [r for r in roles if not principle.groups[r].suppressed]
    for i, a in enumerate(shown):
        for b in shown[i + 1:]:
            sa, sb = principle.groups[a], principle.groups[b]
            if sa.agree_rank is None or sb.agree_rank is None:
                continue
            exact = (sa.agree_rank > sb.agree_rank) - (sa.agree_rank < sb.agree_rank)
            if reversed_pair((sa.pct_agree, sa.pct_agree_band),
                             (sb.pct_agree, sb.pct_agree_band), exact):
                low, high = (a, b) if exact < 0 else (b, a)
                notes.append(_("On the exact figures {low} agree less often than {high}: the "
                               "shares shown come from rounded counts, which put them the "
                               "other way round.", low=result.group_label(low).lower(),
                               high=result.group_label(high).lower()))
    return notes


def alpha_text(stats) -> str:
    alpha = stats.alpha
    if alpha is None:
        return _("withheld")
    left = (_("; left out (too few answers): {items}", items=", ".join(alpha["items_left_out"]))
            if alpha["items_left_out"] else "")
    if alpha["status"] == "too_few":
        return _("Not estimated: fewer than {n} people answered every item (alpha is "
                 "unreliable below that).", n=alpha["min_people"]) + left
    if alpha["status"] == "no_variation":
        return _("Not estimated: every complete set of answers is the same, so consistency is "
                 "undefined (not low).") + left
    value = alpha["value"]
    meaning = (_("the items measure one thing consistently") if value >= 0.7 else
               _("the items measure one thing only loosely") if value >= 0.5 else
               _("the items do not measure one thing consistently for this group, so read its "
                 "survey result with care"))
    agreeing = stats.pct_agree if stats.pct_agree is not None else (
        stats.pct_agree_band[0] if stats.pct_agree_band else None)
    ceiling = (_("; with nearly every answer agreeing there is little variation for "
                 "consistency to show, so a low value here says little")
               if value < 0.5 and agreeing is not None and agreeing >= 85 else "")
    return _("Cronbach's alpha {value} (95% interval {low} to {high}): {meaning}{left}"
             "{ceiling}.", value=number(value, 2), low=number(alpha["ci"][0], 2),
             high=number(alpha["ci"][1], 2), meaning=meaning, left=left, ceiling=ceiling)
