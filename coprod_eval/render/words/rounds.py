"""The examination cycle in words: the partnership's plan, the change since an earlier run or
round, the responses to findings and what became of the actions agreed."""

from __future__ import annotations

from .catalog import N_, _, and_list, n_, sentence
from .names import evidence_name, level_name, rating_label
from .truths import truth_text

SIDE_NAMES = {"project": N_("The project"), "partners": N_("Community partners")}
STANCES = {("project", "accepted"): N_("The project accepts this finding"),
           ("project", "disputed"): N_("The project disputes this finding"),
           ("project", "noted"): N_("The project notes this finding"),
           ("partners", "accepted"): N_("Community partners accept this finding"),
           ("partners", "disputed"): N_("Community partners dispute this finding"),
           ("partners", "noted"): N_("Community partners note this finding")}
STANCE_CELLS = {"accepted": N_("Accepts"), "disputed": N_("Disputes"), "noted": N_("Notes")}
ACTION_STATUS = {"done": N_("done"), "not_done": N_("not done"),
                 "planned": N_("no evidence yet that it was done")}
CHANGES = {"none": N_("no change"), "new": N_("new principle"),
           "better_within": N_("better (within the uncertainty of both)"),
           "worse_within": N_("worse (within the uncertainty of both)"),
           "better_beyond": N_("better, beyond noise"),
           "worse_beyond": N_("worse, beyond noise")}


# --- the plan ----------------------------------------------------------------------------------

def plan_sentence(result) -> str:
    plan = result.plan
    said = _("The partnership agreed its plan (version {version}) on {date}: {by}. It intends "
             "to claim {level}.", version=plan["version"], date=plan["agreed_date"],
             by=and_list(plan["agreed_by"]),
             level=level_name(result, plan["claimed_level"]).lower())
    if plan["changed"]:
        changed = plan["changed"]
        said += " " + sentence(_("The plan was changed on {date} ({by}): {what}",
                                 date=changed["date"], by=and_list(changed["by"]),
                                 what=changed["what"]))
    reached = sum(row["reached"] for row in plan["principles"])
    said += " " + n_("{reached} of {n} principle reaches the rating the plan aims for.",
                     "{reached} of {n} principles reach the rating the plan aims for.",
                     len(plan["principles"]), reached=reached)
    return said


def plan_rows(result) -> list[dict]:
    rows = []
    for row in result.plan["principles"]:
        status = (_("Reached") if row["reached"] else
                  _("Not reached on the evidence as found; within its plausible range")
                  if row["within_range"] else _("Not reached"))
        rows.append({
            "name": result.by_principle[row["id"]].name,
            "target": rating_label(result, row["target"]),
            "evidenced": rating_label(result, row["evidenced"]), "status": status,
            "promised": and_list([evidence_name(s) for s in row["promised"]]) or _("none"),
            "missing": and_list([evidence_name(s) for s in row["not_supplied"]]) or _("none")})
    return rows


# --- the change since an earlier run ------------------------------------------------------------

def change(result, previous, principle) -> str:
    """A principle's change since ``previous``: none, better or worse, and whether beyond
    the uncertainty of both (a code of CHANGES)."""
    was = previous.by_principle.get(principle.id)
    if was is None:
        return "new"
    order = [r["id"] for r in result.framework["ratings"]]
    step = order.index(principle.rating) - order.index(was.rating) if was.rating in order else 0
    if step == 0:
        return "none"
    overlap = not (order.index(principle.rating_range[0]) > order.index(was.rating_range[1])
                   or order.index(principle.rating_range[1])
                   < order.index(was.rating_range[0]))
    return ("better" if step > 0 else "worse") + ("_within" if overlap else "_beyond")


def comparison_rows(result, previous) -> list[dict]:
    rows = []
    for p in result.principles:
        was = previous.by_principle.get(p.id)
        rows.append({"name": p.name,
                     "then": "—" if was is None else rating_label(previous, was.rating),
                     "now": rating_label(result, p.rating),
                     "change": _(CHANGES[change(result, previous, p)])})
    return rows


def since_sentence(result, previous) -> str:
    then, now = previous.result, result
    moved = [p for p in now.principles if change(now, then, p).endswith("_beyond")]
    level = _("Overall level evidenced: {then} in round {round}, {now} now.",
              then=level_name(then, then.overall.evidenced_level), round=previous.round,
              now=level_name(now, now.overall.evidenced_level))
    if not moved:
        return level + " " + _("No principle's rating moved beyond the uncertainty of both "
                               "rounds.")
    listed = and_list([_("{principle} ({change})", principle=p.name,
                         change=_("better") if change(now, then, p).startswith("better")
                         else _("worse")) for p in moved])
    return level + " " + n_("{moved} of {n} principle moved beyond the uncertainty of both "
                            "rounds: {listed}.", "{moved} of {n} principles moved beyond the "
                            "uncertainty of both rounds: {listed}.", len(now.principles),
                            moved=len(moved), listed=listed)


def earlier_level_sentence(result, previous) -> str:
    return _("Overall level evidenced: {then} then, {now} now.",
             then=level_name(previous, previous.overall.evidenced_level),
             now=level_name(result, result.overall.evidenced_level))


def turnover_lines(previous) -> list[str]:
    """Who kept taking part: each partner group's survey respondents then and now. When any
    of the four counts is too small to show, none is: the others would give it away."""
    lines = []
    for row in previous.turnover:
        counts = [row[k] for k in ("then", "now", "dropped", "joined")]
        if any(c is None for c in counts):
            lines.append(_("{group}: who kept taking part since round {round} is not shown: "
                           "some of the numbers concern too few people.", group=row["group"],
                           round=previous.round))
            continue
        lines.append(_("{group}: {then} answered the survey in round {round}, {now} now; of "
                       "round {round}'s, {dropped} did not answer again (drop-out) and "
                       "{joined} are new. Counts are rounded.", group=row["group"],
                       then=row["then"], now=row["now"], round=previous.round,
                       dropped=row["dropped"], joined=row["joined"]))
    return lines


# --- responses and actions ----------------------------------------------------------------------

def response_line(entry) -> str:
    said = _(STANCES[(entry["side"], entry["stance"])])
    return sentence(_("{stance}: {reason}", stance=said, reason=entry["reason"])
                    if entry["reason"] else said)


def action_line(action) -> str:
    return _("Action: {what} (owner: {owner}; due {due}; status: {status}).",
             what=action["what"].rstrip("."), owner=action["owner"], due=action["due"],
             status=_(ACTION_STATUS[action["status"]]))


def stance_cell(entry) -> str:
    """'Accepts', 'Notes', or 'Disputes: why' (a dispute always with its reason)."""
    if entry is None:
        return _("No response")
    word = _(STANCE_CELLS[entry["stance"]])
    return _("{stance}: {reason}", stance=word, reason=entry["reason"]) if entry["reason"] \
        else word


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
            "finding": truth_text(previous.result, truth),
            "project": stance_cell(by_side.get("project")),
            "partners": stance_cell(by_side.get("partners")),
            "actions": [_("{what} ({owner}, due {due}): {status}", what=a["what"].rstrip("."),
                          owner=a["owner"], due=a["due"], status=_(ACTION_STATUS[a["status"]]))
                        for a in actions] or [_("none agreed")]})
    return rows


def stage_sentence(result, stage_id: str) -> str:
    names = {lv["id"]: lv["name"] for lv in result.framework["ladder"]["levels"]}
    overall = result.overall
    if stage_id == "all":
        joined = next((s["name"] for s in overall.stages if s["partners_joined"]), None)
        return (_("Partners joined at the {stage} stage.", stage=joined.lower()) if joined
                else _("The records show no stage at which partners joined."))
    s = next(s for s in overall.stages if s["stage"] == stage_id)
    if not s["evidenced_level"]:
        return _("{stage}: no record of partner involvement at this stage.", stage=s["name"])
    order = [st["stage"] for st in overall.stages]
    joined_at = overall.partners_joined_stage
    when = (_("Partners joined at this stage.") if s["partners_joined"] else
            _("Partners had not yet joined.") if joined_at and order.index(stage_id)
            < order.index(joined_at) else "")
    said = (_("{stage}: the records show {level}; the project claims {claimed}.",
              stage=s["name"], level=names[s["evidenced_level"]],
              claimed=names[s["claimed_level"]]) if s["claimed_level"] else
            _("{stage}: the records show {level}.", stage=s["name"],
              level=names[s["evidenced_level"]]))
    return f"{said} {when}".strip()
