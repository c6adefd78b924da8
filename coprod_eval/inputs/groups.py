"""The groups of an evaluation checked: codes and labels that tell them apart, sides, and the
group every other is compared with."""

from __future__ import annotations

from ..base.errors import Problem, Problems
from ..base.identity import INVISIBLE, scripts, shown, skeleton
from ..yardsticks.sides import PARTNER, STAFF

SAME_GROUP_CODE = "groups '{first}' and '{second}' share the code '{value}'"
SAME_GROUP_CODE_FIX = "give each group the distinct value used in the survey's group column"
NO_PARTNER_GROUP = "no group is on the partners' side"
NO_PARTNER_GROUP_FIX = ("add the people with lived experience (e.g. 'partner:' or 'carer:'), "
                        "or mark a group 'side: partner'")
UNKNOWN_REFERENCE = "'{value}' is not one of the groups"
UNKNOWN_REFERENCE_FIX = "use one of: {allowed}"
NO_REFERENCE = ("with {count} groups, the group the others are compared with must be named "
                "(there is no single staff group to take)")
NO_REFERENCE_FIX = "add 'reference_group:' naming one of: {allowed}"
HIDDEN_CHARACTERS = "'{value}' holds invisible or text-direction characters"
HIDDEN_CHARACTERS_FIX = "type it again as plain text (they can make two groups look the same)"
MIXED_SCRIPTS = "'{value}' mixes letters of different alphabets ({scripts})"
MIXED_SCRIPTS_FIX = ("type it again in one alphabet: look-alike letters make a group's name "
                     "read as another's")
LOOK_ALIKE = "the groups' {key}s '{first}' and '{second}' would look the same in a report"
LOOK_ALIKE_FIX = "give each group a clearly different name"


def reference_group(doc, data, groups) -> tuple[str | None, list[Problem]]:
    """The group the others are compared with: as named, else the one staff group."""
    ids = [g.id for g in groups]
    named = data.get("reference_group")
    if named is not None:
        if named not in ids:
            return None, [doc.problem(("reference_group",), UNKNOWN_REFERENCE.format(
                value=named), UNKNOWN_REFERENCE_FIX.format(allowed=", ".join(ids)))]
        return named, []
    if len(groups) < 2:
        return None, []
    staff = [g.id for g in groups if g.side == STAFF]
    if len(staff) == 1:
        return staff[0], []
    return None, [doc.problem(("groups",), NO_REFERENCE.format(count=len(groups)),
                              NO_REFERENCE_FIX.format(allowed=", ".join(ids)))]


# the survey mapping's word for rows that are nobody's answers (inputs/survey/mapping.py)
NOT_A_RESPONDENT = "not_a_respondent"
RESERVED_CODE = "'{value}' is reserved: it marks survey rows that are nobody's answers"
RESERVED_CODE_FIX = "give the group another id and code"


def group_problems(doc, groups) -> list[Problem]:
    """Group codes must differ; labels must be plain text that cannot be mistaken for each
    other in a report (no invisible or direction characters, no look-alike letters); at
    least one group is on the partners' side."""
    problems = Problems()
    if not any(g.side == PARTNER for g in groups):
        problems.append(doc.problem(("groups",), NO_PARTNER_GROUP, NO_PARTNER_GROUP_FIX))
    for group in groups:
        if group.code == NOT_A_RESPONDENT or group.id == NOT_A_RESPONDENT:
            problems.append(doc.problem(("groups", group.id, "code"), RESERVED_CODE.format(
                value=NOT_A_RESPONDENT), RESERVED_CODE_FIX))
        for key in ("code", "label"):
            value = getattr(group, key)
            if INVISIBLE.search(value):
                problems.append(doc.problem(("groups", group.id, key), HIDDEN_CHARACTERS.format(
                    value=shown(value)), HIDDEN_CHARACTERS_FIX))
            elif len(scripts(value)) > 1:
                problems.append(doc.problem(("groups", group.id, key), MIXED_SCRIPTS.format(
                    value=value, scripts=", ".join(sorted(scripts(value))).lower()),
                    MIXED_SCRIPTS_FIX))
    for i, first in enumerate(groups):
        for second in groups[i + 1:]:
            if first.code == second.code:
                problems.append(doc.problem(("groups", second.id, "code"), SAME_GROUP_CODE.format(
                    first=first.id, second=second.id, value=first.code), SAME_GROUP_CODE_FIX))
                continue
            for key in ("label", "code"):
                a, b = getattr(first, key), getattr(second, key)
                if a != b and skeleton(a) == skeleton(b):
                    problems.append(doc.problem(("groups", second.id, key), LOOK_ALIKE.format(
                        key=key, first=a, second=b), LOOK_ALIKE_FIX))
    return problems
