"""What evaluation.yaml declares beside the evidence, checked: how the evaluation itself was
co-produced (dissent, sense-making and its round) and who is in the room."""

from __future__ import annotations

from ..base.errors import Problem, Problems

SENSE_MAKING_ROUND = ("the partners' sense-making does not say which round's findings it "
                      "read, and this is round {round}")


SENSE_MAKING_ROUND_FIX = ("add 'round:' to coproduced.sense_making: {round} if the partners "
                          "read this round's draft findings, or the earlier round they read "
                          "(it is then shown as that round's, not as this one's)")


SENSE_MAKING_LATER = "the sense-making reads round {said}, but this is round {round}"


SENSE_MAKING_LATER_FIX = "set its round to {round} or earlier"


def coproduced_problems(doc, coproduced, current: int) -> list[Problem]:
    """A dissent must say why; a sense-making step says which round's findings it read
    (needed from round 2 on, when it could be an earlier round's)."""
    making = (coproduced or {}).get("sense_making") or {}
    problems = Problems()
    if making.get("sign") == "dissent" and not str(making.get("why") or "").strip():
        problems.append(doc.problem(("coproduced", "sense_making", "why"),
                                    "the partner reviewers dissent but no reason is recorded",
                                    "say in 'why' why they dissent (it is printed in the "
                                    "report)"))
    if making and "round" not in making and current > 1:
        problems.append(doc.problem(("coproduced", "sense_making"),
                                    SENSE_MAKING_ROUND.format(round=current),
                                    SENSE_MAKING_ROUND_FIX.format(round=current)))
    if making and int(making.get("round") or 1) > current:
        problems.append(doc.problem(("coproduced", "sense_making", "round"),
                                    SENSE_MAKING_LATER.format(said=making["round"],
                                                              round=current),
                                    SENSE_MAKING_LATER_FIX.format(round=current)))
    return problems


def room_problems(doc, stated) -> list[Problem]:
    """Every partner category is a population category; population shares add up to 1."""
    problems = Problems()
    for name, entry in (stated or {}).items():
        unknown = sorted(set(map(str, entry["partners"])) - set(map(str, entry["population"])))
        if unknown:
            problems.append(doc.problem(("who_is_in_the_room", name, "partners"),
                                        f"{unknown} have no share of the population",
                                        "give every category a share under 'population'"))
        total = sum(entry["population"].values())
        if abs(total - 1) > 0.02:
            problems.append(doc.problem(("who_is_in_the_room", name, "population"),
                                        f"the population shares add up to {total:.2f}, not 1",
                                        "give each category's share of the population the "
                                        "service is for, as fractions adding up to 1"))
    return problems
