"""Two groups compared, worded as tested: each person's typical (mean) answer, Mann–Whitney,
Cliff's delta for the direction and size, Holm for chance. Plain words first; the test and
its figures behind "details"."""

from __future__ import annotations

from .catalog import _, number
from .figures import delta_text, effect_word, p_value
from .principles import agreeing_text, order_notes

LARGE = 0.474  # Cliff's delta from which a difference is large


def typical_text(result, comparison) -> str:
    """The two groups' typical scores (published to the nearest half point), with a note
    when they do not show the order Cliff's delta has."""
    group = result.group_label(comparison.group).lower()
    reference = result.group_label(comparison.reference).lower()
    mine, theirs = comparison.typical
    scale = [s["code"] for s in result.parameters["scale"]]
    sign = comparison.sign
    places = 1
    text = _("the typical score of {group} is {mine} and of {reference} {theirs} on the "
             "{low}–{high} scale", group=group, mine=number(mine, places),
             reference=reference, theirs=number(theirs, places), low=min(scale),
             high=max(scale))
    shown = (round(mine, places) > round(theirs, places)) - (round(mine, places)
                                                              < round(theirs, places))
    if sign and shown != sign:
        text += _(" (Cliff's delta compares every pair of people, not the middle person of "
                  "each group, so it can see a difference the typical scores do not)")
    return text


def comparison_sentence(result, comparison) -> str:
    """A group compared with the reference group, in plain words."""
    group = result.group_label(comparison.group)
    reference = result.group_label(comparison.reference).lower()
    if not comparison.shown:
        return _("{group} and {reference} are not compared: one of the groups has fewer than "
                 "{n} people.", group=group, reference=reference,
                 n=result.parameters["min_group_size"])
    typical = typical_text(result, comparison)
    lower = comparison.sign < 0
    effect = effect_word(comparison.effect)
    if comparison.finding:
        return (_("{group} score lower than {reference}: {typical} — a {effect} difference, "
                  "beyond chance.", group=group, reference=reference, typical=typical,
                  effect=effect) if lower else
                _("{group} score higher than {reference}: {typical} — a {effect} difference, "
                  "beyond chance.", group=group, reference=reference, typical=typical,
                  effect=effect))
    if comparison.beyond_chance:
        return _("{group} and {reference} differ beyond chance, but only by a negligible "
                 "amount ({typical}).", group=group, reference=reference, typical=typical)
    if comparison.effect == "negligible":
        seen = _("Their scores overlap almost completely.")
    else:
        values = dict(group=group.lower(), effect=effect)
        seen = (_("In this sample {group} score lower — a {effect} difference by Cliff's "
                  "delta — but with this many people that could be chance.", **values)
                if lower else
                _("In this sample {group} score higher — a {effect} difference by Cliff's "
                  "delta — but with this many people that could be chance.", **values))
    return " ".join([_("No difference between {group} and {reference} is established "
                       "({typical}).", group=group.lower(), reference=reference,
                       typical=typical), seen, detectable_sentence(comparison)])


def detectable_sentence(comparison) -> str:
    if comparison.detectable is None or comparison.detectable >= LARGE:
        return _("With this many people only a large difference could have been detected "
                 "reliably, so the absence of a finding says little.")
    from ...base.stats import effect_words

    values = dict(effect=effect_word(effect_words(comparison.detectable)),
                  delta=number(comparison.detectable, 2))
    if comparison.detectable_points is not None and comparison.detectable_points <= 1.0:
        return _("The comparison could reliably detect a {effect} difference or larger "
                 "(Cliff's delta of {delta} or more, about {points} points on the answer "
                 "scale).", points=number(comparison.detectable_points, 1), **values)
    return _("The comparison could reliably detect a {effect} difference or larger (Cliff's "
             "delta of {delta} or more).", **values)


def comparison_details(result, principle, comparison) -> str:
    """The statistics behind a comparison, for the curious reader."""
    if not comparison.shown:
        return ""
    stats = principle.groups
    said = _("Mann–Whitney test on each person's mean answer ({method}), {p_holm} after Holm's "
             "correction across all comparisons ({p} before); Cliff's delta {delta} ({effect}). "
             "As a description only: {share} of answers from {group} agree, {reference_share} "
             "of answers from {reference}.", method=comparison.method,
             p_holm=p_value(comparison.p_holm_band), p=p_value(comparison.p_band),
             delta=delta_text(comparison.effect_size, comparison.effect_band),
             effect=effect_word(comparison.effect),
             share=agreeing_text(stats[comparison.group]),
             group=result.group_label(comparison.group).lower(),
             reference_share=agreeing_text(stats[comparison.reference]),
             reference=result.group_label(comparison.reference).lower())
    notes = order_notes(result, principle, [comparison.group, comparison.reference])
    return " ".join([said, *notes])
