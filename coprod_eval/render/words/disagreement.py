"""The disagreement map in words: where groups answer the same question differently beyond
noise, and the common ground."""

from __future__ import annotations

from ...disclosure.privacy import delta_sign
from .catalog import N_, _, and_list, n_, signed
from .figures import delta_text, effect_word, p_value, reversed_pair, share_text

DISAGREEMENT_LEDE = N_(
    "Item by item, where the groups answer the same question differently beyond noise: "
    "places to start a conversation, not scores. Largest differences first, each with the "
    "range its uncertainty allows. Then the common ground: questions a clear majority of "
    "each group agrees with. Shares agreeing are worked out from counts rounded to protect "
    "small groups, or shown as bands where that would mislead (see “Protecting the people "
    "in the evidence”); the test and the difference use every answer.")


def lede() -> str:
    return _(DISAGREEMENT_LEDE)


def _entries(result) -> list:
    return list((result.disagreement or {"entries": []})["entries"])


def summary(result) -> str:
    """How many questions the map compared, how many differ, how many are common ground,
    and how many comparisons were withheld."""
    entries = _entries(result)
    if not entries:
        return _("No survey was examined, so there is no item-by-item comparison.")
    shown = [e for e in entries if e["shown"]]
    questions = len({e["item"] for e in shown})
    differ = len({e["item"] for e in shown if e["beyond_noise"]})
    common = len(common_items(result))
    comparisons = n_("the {n} comparison", "all {n} comparisons", len(shown))
    said = n_("{differ} of the {n} question compared differ beyond noise between at least two "
              "groups (Mann–Whitney tests, Holm's correction across {comparisons}, and at "
              "least a small difference); {common} are common ground.",
              "{differ} of the {n} questions compared differ beyond noise between at least two "
              "groups (Mann–Whitney tests, Holm's correction across {comparisons}, and at "
              "least a small difference); {common} are common ground.",
              questions, differ=differ, comparisons=comparisons, common=common)
    withheld = len(entries) - len(shown)
    if withheld:
        said += " " + n_("{n} comparison is withheld: a group gave fewer than {min_n} answers "
                         "to the question.", "{n} comparisons are withheld: a group gave "
                         "fewer than {min_n} answers to the question.", withheld,
                         min_n=result.privacy["min_group_size"])
    return said


def statement_text(entry) -> str:
    """The question's wording, saying when agreement is counted the other way round."""
    if entry["reverse"]:
        return _("{statement} (worded the other way: agreeing with the principle here means "
                 "disagreeing with this)", statement=entry["statement"])
    return entry["statement"]


def _shares(entry) -> tuple[tuple, tuple]:
    bands = entry.get("pct_agree_band") or [None, None]
    return ((entry["pct_agree"][0], bands[0]), (entry["pct_agree"][1], bands[1]))


def rows(result, *, beyond_noise_only: bool, principle: str | None = None) -> list[dict]:
    """The map's rows for display (of one principle's questions, or all): who, how many
    agree in each group, and the difference."""
    out = []
    for e in _entries(result):
        if not e["shown"] or (beyond_noise_only and not e["beyond_noise"]):
            continue
        if principle is not None and principle not in e["principles"]:
            continue
        group, reference = result.group_label(e["group"]), result.group_label(e["reference"])
        mine, theirs = _shares(e)
        values = dict(group=group, effect=effect_word(e["effect"]),
                      delta=delta_text(e["effect_size"], e.get("effect_band")))
        lower = delta_sign(e["effect_size"], e.get("effect_band")) < 0
        if e.get("effect_ci") is None:
            difference = (_("{group} answer less favourably ({effect}): Cliff's delta {delta}",
                            **values) if lower else
                          _("{group} answer more favourably ({effect}): Cliff's delta {delta}",
                            **values))
        else:
            values.update(low=signed(e["effect_ci"][0], 2), high=signed(e["effect_ci"][1], 2))
            difference = (_("{group} answer less favourably ({effect}): Cliff's delta {delta} "
                            "(95% interval {low} to {high})", **values) if lower else
                          _("{group} answer more favourably ({effect}): Cliff's delta {delta} "
                            "(95% interval {low} to {high})", **values))
        noise = (_("beyond noise ({p} after Holm)", p=p_value(e["p_holm_band"]))
                 if e["beyond_noise"] else
                 _("within noise ({p} after Holm)", p=p_value(e["p_holm_band"])))
        agreeing = _("{mine} / {theirs}", mine=share_text(*mine), theirs=share_text(*theirs))
        if reversed_pair(mine, theirs, e["agree_order"]):
            agreeing += " " + _("(on the exact figures {low} agree less often: the shares "
                                "shown come from rounded counts)",
                                low=(group if e["agree_order"] < 0 else reference).lower())
        out.append({"item": e["item"], "statement": statement_text(e),
                    "groups": _("{group} / {reference}", group=group, reference=reference),
                    "agreeing": agreeing, "difference": difference, "noise": noise})
    return out


def common_items(result) -> list[list[dict]]:
    """Questions that are common ground for every group: each comparison made on the question
    is shown and is common ground (a clear majority of both groups agrees, and they do not
    differ beyond noise). A question with a comparison withheld, or one pair apart, is not."""
    by_item: dict[str, list[dict]] = {}
    for e in _entries(result):
        by_item.setdefault(e["item"], []).append(e)
    return [entries for entries in by_item.values()
            if all(e["shown"] and e["common_ground"] for e in entries)]


def common_ground(result) -> list[str]:
    """Each question every group agrees with the principle on, with each group's share:
    said as agreement with the statement, or, for a reverse-worded one, as disagreement with
    it; and where the shares shown stand in the other order to the exact ones, that too."""
    lines = []
    for entries in common_items(result):
        first = entries[0]
        shares = [(first["reference"], _shares(first)[1])] + [
            (e["group"], _shares(e)[0]) for e in entries]
        listed = and_list([_("{share} of {group}", share=share_text(*shown),
                             group=result.group_label(group).lower())
                           for group, shown in shares])
        line = (_("“{statement}” — {shares} disagree with it (it is worded the other way, so "
                  "disagreeing agrees with the principle).", statement=first["statement"],
                  shares=listed) if first["reverse"] else
                _("“{statement}” — {shares} agree.", statement=first["statement"],
                  shares=listed))
        for e in entries:
            mine, theirs = _shares(e)
            if reversed_pair(mine, theirs, e["agree_order"]):
                low, high = ((e["group"], e["reference"]) if e["agree_order"] < 0
                             else (e["reference"], e["group"]))
                line += " " + _("(On the exact figures {low} agree less often than {high}: "
                                "the shares shown come from rounded counts.)",
                                low=result.group_label(low).lower(),
                                high=result.group_label(high).lower())
        lines.append(line)
    return lines


def principle_rows(result, principle_id: str) -> list[dict]:
    """The map's rows for one principle's questions, beyond noise first."""
    return rows(result, beyond_noise_only=False, principle=principle_id)


def questions_differing(result) -> tuple[int, int]:
    """(questions compared, questions on which some pair of groups differs beyond noise)."""
    shown = [e for e in _entries(result) if e["shown"]]
    return len({e["item"] for e in shown}), len({e["item"] for e in shown if e["beyond_noise"]})

