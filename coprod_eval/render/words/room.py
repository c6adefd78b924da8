"""Who is in the room, and who is missing: the partners beside the population served."""

from __future__ import annotations

from .catalog import N_, _, and_list
from .figures import pct

ROOM_NOTE = N_("Counts of partners are rounded; a category with fewer partners than the "
               "minimum group is merged with others on the same side of their population share "
               "(below it, or at or above it), so no small number is shown or can be worked "
               "back and no missing group is averaged away. Under-represented: even the top of "
               "the 95% interval of the partners' share is below the population's share, "
               "judged on each category's exact count (our operationalisation).")
WITHHELD = {"too_few_partners": N_("Partner counts not shown: fewer than {n} partners in all."),
            "small_side": N_("Partner counts not shown: the categories {side} their population "
                             "share hold fewer than {n} partners between them, and any count "
                             "shown would give theirs away. Which side of the population "
                             "share each category is on, and whether it is under-represented, "
                             "are still shown.")}


def note() -> str:
    return _(ROOM_NOTE)


def _characteristic(name: str) -> str:
    return name.replace("_", " ")


def rows(result) -> list[dict]:
    out = []
    for c in (result.room or {}).get("characteristics", []):
        for row in c["rows"]:
            categories = row["categories"]
            category = (categories[0] if len(categories) == 1 else
                        _("{categories} (merged)", categories=and_list(categories)))
            partners = (_("not shown") if row["partners"] is None else
                        _("{n} ({share})", n=row["partners"], share=pct(row["share"])))
            under = row["under_represented"]
            flag = (_("under-represented: {categories}", categories=and_list(under))
                    if under and len(categories) > 1 else
                    _("under-represented") if under else
                    _("below its population share, within noise") if row["side"] == "below"
                    else _("at or above its population share"))
            out.append({"characteristic": _characteristic(c["characteristic"]),
                        "category": category, "partners": partners,
                        "population": pct(row["population_share"]), "flag": flag})
    return out


def withheld_notes(result) -> list[str]:
    """Why a characteristic's counts are not shown, one line each."""
    notes = []
    for c in (result.room or {}).get("characteristics", []):
        reason = c["counts_withheld"]
        if reason is None:
            continue
        side = _("below") if c.get("small_side") == "below" else _("at or above")
        notes.append(_("{characteristic}: {why}", characteristic=_characteristic(
            c["characteristic"]), why=_(WITHHELD[reason], n=c["min_group_size"], side=side)))
    return notes
