"""“How sure are we?”: each conclusion as found, and whether it holds without any one person
or record and with every threshold moved; then the discussion of what the ratings mean."""

from __future__ import annotations

from .catalog import N_, _, and_list, or_list
from .names import level_name, level_words, rating_label, unit_name
from .verdict import headline

HOW_SURE_LEDE = N_("Each conclusion is checked two ways: leaving out, in turn, every single "
                 "respondent and every single record (a meeting, a decision, a partner's "
                 "payment record, an excerpt), and moving every threshold 5 percentage points "
                 "(one unit for counts such as people per meeting) stricter, then laxer. A "
                 "conclusion that does not hold is marked; read it as provisional.")


def how_sure_lede() -> str:
    return _(HOW_SURE_LEDE)


def _check(holds: bool, text: str) -> dict:
    return {"holds": holds, "text": text}


def robustness_rows(result) -> list[dict]:
    """Each conclusion as found, and whether it holds in each check (and if not, what it
    could become)."""
    rob = result.robustness
    loo, shift = rob["leave_one_out"], rob["threshold_shift"]
    overall = result.overall
    holds = _("holds")

    def left_out(held, units, could_become, words) -> dict:
        if held:
            return _check(True, holds)
        who = or_list(sorted({unit_name(u) for u in units})) or _("person or record")
        return _check(False, _("leaving out one {who} could make it {what}", who=who,
                               what=or_list([words(x) for x in could_become])
                               or _("different")))

    def shifted(key, found, words) -> list[dict]:
        return [_check(shift[side][key] == found, holds if shift[side][key] == found
                       else _("becomes {what}", what=words(shift[side][key])))
                for side in ("stricter", "laxer")]

    def span(pair) -> str:
        low, high = (level_name(result, x) for x in pair)
        return low if low == high else _("{low} to {high}", low=low, high=high)

    def level_range(side) -> dict:
        value = tuple(shift[side]["level_range"])
        same = value == tuple(overall.level_range)
        return _check(same, holds if same else _("becomes {what}", what=span(value)))

    verdict = overall.claim_verdict
    rows = [
        {"conclusion": _("Verdict"), "found": headline(verdict),
         "checks": [left_out(loo["verdict"], loo["verdict_changed_by"],
                             loo["verdict_could_become"], lambda v: headline(v).lower())]
         + shifted("verdict", verdict, lambda v: headline(v).lower())},
        {"conclusion": _("Level evidenced (as found)"),
         "found": level_name(result, overall.evidenced_level),
         "checks": [left_out(loo["level"], loo["level_changed_by"],
                             loo["level_could_become"], lambda v: level_name(result, v))]
         + shifted("level", overall.evidenced_level, lambda v: level_name(result, v))},
        {"conclusion": _("Level: plausible range (what the verdict is judged on)"),
         "found": span(overall.level_range),
         "checks": [_check(True, _("see the two rows above"))]
         + [level_range(side) for side in ("stricter", "laxer")]},
    ]
    could = loo.get("principles_could_become", {})
    for p in result.principles:
        cells = [_check(True, holds) if loo["principles"][p.id] else _check(False, _(
            "one person or record left out could make it {what}",
            what=or_list([rating_label(result, x) for x in could.get(p.id, [])])
            or _("different")))]
        for side in ("stricter", "laxer"):
            value = shift[side]["principles"][p.id]
            cells.append(_check(value == p.rating, holds if value == p.rating else
                                _("becomes {what}", what=rating_label(result, value))))
        rows.append({"conclusion": p.name, "found": rating_label(result, p.rating),
                     "checks": cells})
    return rows


def discussion(result) -> list[str]:
    overall = result.overall
    level = result.level(overall.evidenced_level)
    claimed = result.level(overall.claimed_level)
    verdict = {"supported": _("so the claim is supported"),
               "not_supported": _("so the claim is not supported"),
               "not_established": _("so the claim is neither established nor ruled out")
               }[overall.claim_verdict]
    first = _("On the evidence as found the project is at {level} ({band}): {meaning} The "
              "project claims {claimed} ({claimed_band}), {verdict}.",
              level=level_words(result, level["id"]), band=level["band"].lower(),
              meaning=level["meaning"], claimed=level_words(result, claimed["id"]),
              claimed_band=claimed["band"].lower(), verdict=verdict)
    if overall.partners_joined_stage:
        stage = next(s["name"] for s in overall.stages
                     if s["stage"] == overall.partners_joined_stage)
        first += " " + _("Community partners joined at the {stage} stage.",
                         stage=stage.lower())
    names = and_list([result.by_principle[w].name for w in overall.weakest])
    ratings = result.framework["ratings"]
    rating_id = result.principles[0].rating
    rating = rating_label(result, rating_id)
    every = len(overall.weakest) == len(result.principles)
    if every and rating_id == ratings[-1]["id"]:
        second = _("Every principle is rated {rating}: the evidence shows partnership across "
                   "all of them.", rating=rating)
    elif every and rating_id == ratings[0]["id"]:
        second = _("Every principle is rated {rating}: partnership needs to change across all "
                   "of them, not in one corner.", rating=rating)
    elif every:
        second = _("Every principle is rated {rating}.", rating=rating)
    else:
        weakest = rating_label(result, result.by_principle[overall.weakest[0]].rating)
        second = (_("The weakest principles are {names} (rated {rating}): that is where "
                    "partnership most needs to grow.", names=names, rating=weakest)
                  if len(overall.weakest) > 1 else
                  _("The weakest principle is {names} (rated {rating}): that is where "
                    "partnership most needs to grow.", names=names, rating=weakest))
    low = [p.name for p in result.principles if p.confidence == "low"]
    if low:
        second += " " + _("Ratings held with low confidence ({names}) rest on one kind of "
                          "evidence or on kinds that disagree, and should be read with care.",
                          names=and_list(low))
    borderline = [p.name for p in result.principles if p.borderline and not p.override]
    third = (_("Borderline ratings ({names}): the evidence allows more than one rating, or one "
               "person or record could change it. They are shown with their range; see “How "
               "sure are we?”.", names=and_list(borderline)) if borderline else "")
    return [x for x in (first, second, third) if x]
