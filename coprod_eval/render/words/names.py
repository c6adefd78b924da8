"""The names sentences use: evidence streams, units, groups, ratings, levels and stages.

Names from the yardstick and the evaluation (a principle's name, a rating's label, a group's
label) are data in results.json; the words around them are here.
"""

from __future__ import annotations

from .catalog import N_, _, and_list

STREAM_NAMES = {"survey": N_("survey answers"), "attendance": N_("meeting attendance records"),
                "decisions": N_("decision log"), "stages": N_("stage records"),
                "resources": N_("payment, expenses and training records"),
                "qualitative": N_("coded interview excerpts"),
                "self_assessment": N_("self-assessment")}
EVIDENCE_NAMES = {
    "survey": N_("the staff and community-partner survey"),
    "attendance": N_("the meeting attendance records"),
    "decisions": N_("the decision log"),
    "resources": N_("the payment, expenses and training records"),
    "qualitative": N_("the coded interview and focus-group excerpts"),
    "stages": N_("the records of involvement at each stage"),
    "self_assessment": N_("the project's self-assessment"),
    "ratings": N_("the principle ratings and the rules that set the level (see Methods)"),
    "plan": N_("the partnership's plan (plan.yaml)"),
    "room": N_("who is in the room (evaluation.yaml)"),
}
UNIT_NAMES = {"respondent": N_("respondent"), "meeting": N_("meeting"),
              "decision": N_("decision"), "partner": N_("partner's record"),
              "excerpt": N_("excerpt"), "row": N_("row"), "record": N_("record")}
UNITS_PLURAL = {"respondent": N_("respondents"), "meeting": N_("meetings"),
                "decision": N_("decisions"), "partner": N_("partners' records"),
                "excerpt": N_("excerpts"), "row": N_("rows"), "record": N_("records")}


def stream_name(stream: str) -> str:
    return _(STREAM_NAMES.get(stream, stream))


def evidence_name(code: str) -> str:
    return _(EVIDENCE_NAMES[code]) if code in EVIDENCE_NAMES else code


def unit_name(unit: str) -> str:
    return _(UNIT_NAMES.get(unit, "record"))


def units_name(unit: str) -> str:
    return _(UNITS_PLURAL.get(unit, "records"))


def rating_label(result, rating_id: str) -> str:
    return result.rating(rating_id)["label"]


def level_name(result, level_id: str) -> str:
    return result.level(level_id)["name"]


def level_words(result, level_id: str) -> str:
    """A level as a sentence names it: 'co-production' (lowercase ladders), '“Empower”'."""
    name = level_name(result, level_id)
    if result.framework["ladder"].get("prose_names", "lowercase") == "lowercase":
        return name.lower()
    return _("“{name}”", name=name)


def stage_name(result, stage_id: str) -> str:
    return next((s["name"] for s in result.framework["stages"] if s["id"] == stage_id),
                stage_id)


def rule_stage_names(result) -> list[str]:
    return [stage_name(result, s).lower() for s in result.framework["stage_rule_stages"]]


def group_label(result, group_id: str) -> str:
    return result.group_label(group_id)


def who(result, group: str | None) -> str:
    """An indicator's ``group:`` in words: one group's label, or a side of the work (all its
    groups: 'carers and people who use services')."""
    name = group or "partner"
    if name in ("staff", "partner"):
        labels = [g["label"].lower() for g in result.groups if g["side"] == name]
        return and_list(labels) if labels else _(name)
    return result.group_label(name).lower()


def partners_label(result) -> str:
    """The people on the partners' side: the one group's label, or 'partners (carers and
    people who use services)' when there are several."""
    labels = [g["label"] for g in result.groups if g["side"] == "partner"]
    if len(labels) == 1:
        return labels[0]
    return _("partners ({groups})", groups=and_list([label.lower() for label in labels]))


def principle_name(result, principle_id: str) -> str:
    return result.by_principle[principle_id].name
