"""The partners' Easy Read summary: short sentences, one idea each, everyday words."""

from __future__ import annotations

from .catalog import N_, _, and_list, n_
from .disagreement import common_items, questions_differing
from .names import stream_name
from .verdict import partner_sign_line

EASY_VERDICT = {"supported": N_("The evidence shows this is true."),
                "not_supported": N_("The evidence does not show this."),
                "not_established": N_("We cannot say yet if this is true. We need more "
                                      "evidence.")}
EASY_SURE = {"high": N_("We are sure about this."),
             "medium": N_("We are fairly sure about this."),
             "low": N_("We are not sure about this. We need more evidence.")}
EASY_ACTION = {"done": N_("This was done."), "not_done": N_("This was not done."),
               "planned": N_("We do not know yet if this was done.")}
EASY_STANCE = {("project", "accepted"): N_("The project agreed."),
               ("project", "disputed"): N_("The project did not agree"),
               ("project", "noted"): N_("The project noted this."),
               ("partners", "accepted"): N_("Partners agreed."),
               ("partners", "disputed"): N_("Partners did not agree"),
               ("partners", "noted"): N_("Partners noted this.")}


def verdict(result) -> list[str]:
    overall = result.overall
    claimed = result.level(overall.claimed_level)
    shown = result.level(overall.evidenced_level)
    lines = [_("We looked at how {project} works with the people who use it.",
               project=result.project["name"]),
             _("The project said it was at this level: {level}.", level=claimed["name"]),
             _(EASY_VERDICT[overall.claim_verdict]),
             _(EASY_SURE[overall.confidence]),
             (_("The evidence shows this level: {level}.", level=shown["name"])
              if overall.level_range[0] == overall.level_range[1] else
              _("The evidence shows this level most likely: {level}. It could be higher or "
                "lower.", level=shown["name"])),
             _("This means: {meaning}", meaning=shown["meaning"])]
    signed = partner_sign_line(result)
    return lines + ([signed] if signed else [])


def rating(result, rating_id: str) -> str:
    """A rating in everyday words."""
    order = [r["id"] for r in result.framework["ratings"]]
    i, top = order.index(rating_id), len(order) - 1
    if i == 0:
        return _("we did not see this")
    if i == top:
        return _("we saw this clearly")
    return _("we saw a little of this") if i <= top / 2 else _("we saw some of this")


def principles(result) -> list[str]:
    """Each principle in everyday words; said plainly only when the rating is sure (high
    confidence, and the evidence allows no other rating)."""
    lines = []
    for p in result.principles:
        said = rating(result, p.rating)
        if p.confidence == "high" and not p.borderline:
            lines.append(_("{principle}: {rating}.", principle=p.name, rating=said))
        else:
            lines.append(_("{principle}: {rating}, but we are not completely sure.",
                           principle=p.name, rating=said))
    return lines


def changes(result, kinds) -> list[str]:
    """Each kind of inconvenient truth found, once, in everyday words, most serious first."""
    lines = []
    for truth in result.overall.inconvenient_truths:
        if truth["kind"] == "claim_not_supported":
            continue
        line = easy_truth(result, truth, kinds)
        if line not in lines:
            lines.append(line)
    return lines


def easy_truth(result, truth, kinds) -> str:
    """A truth in everyday words (truths.yaml's easy_read), naming its groups where it has
    them ({group} saw less … than {reference} did)."""
    words = next(kind.easy_read for kind in kinds if kind.id == truth["kind"])
    facts = truth.get("facts") or {}
    if "{group}" in words or "{reference}" in words:
        words = words.format(
            group=result.group_label(facts["group"]) if "group" in facts else _("Partners"),
            reference=(result.group_label(facts["reference"]).lower()
                       if "reference" in facts else _("staff")))
    return words


def not_checked(result) -> list[str]:
    """What we could not check, for want of evidence: said wherever we found nothing."""
    missing = [stream_name(n) for n, s in result.evidence.items() if not s.get("present")]
    if not missing:
        return []
    return [_("We could not check everything."),
            _("We did not have: {missing}.", missing=and_list(missing))]


def nothing_to_change(result) -> str:
    """Said where no inconvenient truth was found: never that nothing needs to change where
    evidence was missing or a principle has room to grow."""
    top = result.framework["ratings"][-1]["id"]
    growing = any(p.rating != top for p in result.principles)
    if any(not s.get("present") for s in result.evidence.values()):
        said = _("In what we could check, we did not find a clear problem.")
    else:
        said = _("We did not find a clear problem.")
    return said + (" " + _("There is still room to grow.") if growing else "")


def views(result) -> list[str]:
    questions, differ = questions_differing(result)
    if not questions:
        return []
    lines = [n_("We asked {n} question.", "We asked {n} questions.", questions)]
    lines.append(n_("People in different groups answered {n} of them differently.",
                    "People in different groups answered {n} of them differently.", differ)
                 if differ else _("We did not find clear differences between the groups."))
    common = len(common_items(result))
    if common:
        lines.append(n_("Most people in every group agreed about {n} of them.",
                        "Most people in every group agreed about {n} of them.", common))
    return lines


def actions(previous) -> list[str]:
    if previous is None:
        return []
    lines = []
    for said in previous.responses.values():
        for entry in said:
            if entry.get("action"):
                lines += [(_("The project promised: {what}.",
                             what=entry["action"]["what"].rstrip("."))
                           if entry["side"] == "project" else
                           _("The partners promised: {what}.",
                             what=entry["action"]["what"].rstrip("."))),
                          _(EASY_ACTION[entry["action"]["status"]])]
    return lines


def responses(result, said_back, kinds) -> list[str]:
    """Each finding that had a response, in everyday words, then what each side said."""
    if not said_back:
        return []
    lines = []
    for truth in result.overall.inconvenient_truths:
        said = said_back.get(truth["rank"]) or []
        if not said:
            continue
        lines.append(_("We found: {finding}", finding=easy_truth(result, truth, kinds)))
        for entry in said:
            stance = _(EASY_STANCE[(entry["side"], entry["stance"])])
            if entry["stance"] == "disputed":
                stance = _("{stance}: {reason}.", stance=stance,
                           reason=entry["reason"].rstrip("."))
            lines.append(stance)
            if entry.get("action"):
                values = dict(what=entry["action"]["what"].rstrip("."),
                              due=entry["action"]["due"])
                lines.append(_("The project will: {what}, by {due}.", **values)
                             if entry["side"] == "project" else
                             _("Partners will: {what}, by {due}.", **values))
    return lines
