"""The charts' titles, axis and legend words, and their text descriptions (what a screen
reader, a text-only viewer and the report's figure caption say)."""

from __future__ import annotations

from .catalog import _, and_list
from .names import rating_label
from .principles import agreeing_text

EVIDENCED, CLAIMED = "evidenced", "claimed"


def words(key: str) -> str:
    return {"rating": _("Rating"), "answers_axis": _("% of answers (disagree ← → agree)"),
            "evidenced": _("Evidenced"), "claimed": _("Claimed"), "evidence": _("Evidence"),
            "project_claim": _("Project's claim"), "joined": _("partners joined"),
            "plausible": _("plausible range")}[key]


def overview_title() -> str:
    return _("How each principle is rated")


def overview_label(result, principle) -> str:
    """A bar's label, written after the range line so it says what the line is."""
    low, high = principle.rating_range
    label = rating_label(result, principle.rating)
    if low == high:
        return label
    return _("{rating} (range {low}–{high})", rating=label, low=rating_label(result, low),
             high=rating_label(result, high))


def plausible(result, principle) -> str:
    low, high = principle.rating_range
    if low == high:
        return rating_label(result, low)
    return _("{low} to {high}", low=rating_label(result, low), high=rating_label(result, high))


def overview_description(result) -> str:
    parts = []
    for p in result.principles:
        low, high = p.rating_range
        parts.append(_("{principle}: {rating}", principle=p.name,
                       rating=rating_label(result, p.rating)) if low == high else
                     _("{principle}: {rating} (plausibly {range})", principle=p.name,
                       rating=rating_label(result, p.rating), range=plausible(result, p)))
    return _("Rating per principle, with the range of ratings its uncertainty allows. "
             "{parts}.", parts="; ".join(parts))


def partner_share(result, principle) -> str:
    shares = [(g["label"], principle.groups[g["id"]]) for g in result.groups
              if g["side"] == "partner" and g["id"] in principle.groups]
    shown = [(label, stats) for label, stats in shares if not stats.suppressed]
    if not shown:
        return _("no survey score")
    if len(shares) == 1:
        return _("{share} of partners' answers agree", share=agreeing_text(shown[0][1]))
    return "; ".join(_("{group}: {share} of answers agree", group=label,
                       share=agreeing_text(stats)) for label, stats in shown)


def distribution_title(result, roles) -> str:
    return _("What {who} said", who=and_list([result.group_label(r).lower() for r in roles]))


def distribution_description(result, principles, roles, withheld) -> str:
    parts = []
    for p in principles:
        shown = [_("{group} {share} agree", group=result.group_label(role),
                   share=agreeing_text(p.groups[role]))
                 for role in roles if not p.groups[role].suppressed]
        if shown:
            parts.append(_("{principle}: {shares}.", principle=p.name,
                           shares=", ".join(shown)))
    text = " ".join([_("Diverging bars of answers by group."), *parts])
    if withheld:
        text += " " + _("Withheld because too few people answered: {which}.",
                        which=", ".join(withheld))
    return text


def withheld_entry(principle_name: str, group: str) -> str:
    return _("{principle} ({group})", principle=principle_name, group=group)


def lifecycle_title() -> str:
    return _("Partner involvement across the project's lifecycle")


def lifecycle_description(result, stages) -> str:
    names = {lv["id"]: lv["name"] for lv in result.framework["ladder"]["levels"]}
    parts = []
    for s in stages:
        evidenced = names.get(s["evidenced_level"]) or _("not recorded")
        said = (_("{stage}: evidenced {evidenced}, claimed {claimed}", stage=s["name"],
                  evidenced=evidenced, claimed=names[s["claimed_level"]])
                if s["claimed_level"] else
                _("{stage}: evidenced {evidenced}", stage=s["name"], evidenced=evidenced))
        if s["partners_joined"]:
            said += " " + _("(partners joined here)")
        parts.append(said + ".")
    return " ".join([_("Level of partner involvement by stage."), *parts])


def claims_title() -> str:
    return _("What the project claims, and what the evidence shows")


def claims_description(result) -> str:
    parts = [_("{principle}: claimed {claimed}, evidence {rating}.", principle=p.name,
               claimed=rating_label(result, p.claimed_rating) if p.claimed_rating
               else _("nothing"), rating=rating_label(result, p.rating))
             for p in result.principles]
    return " ".join([_("Claimed and evidenced rating per principle."), *parts])
