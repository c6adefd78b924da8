"""How sure the verdict is: the judgement with each respondent or record left out in turn
(leave one out), and with every threshold moved a step stricter or laxer."""

from __future__ import annotations

from ..yardsticks.streams import STREAM_UNITS
from .rating import VERDICTS, Entry, judge


def leave_one_out(framework, entries, found, settings) -> dict:
    """For each stream with units: which conclusions one unit left out can change.

    Returns {"indicators": set of entry indexes, "principles": set of principle indexes,
    "level": set of streams, "verdict": set of streams}.
    """
    changed = {"indicators": set(), "principles": set(), "level": set(), "verdict": set(),
               "principle_to": {}, "level_to": set(), "verdict_to": set()}
    for stream in STREAM_UNITS:
        mine = [i for i, e in enumerate(entries) if e.stream == stream and not e.unknown
                and e.loo is not None]
        if not mine:
            continue
        units = len(entries[mine[0]].loo[0])
        if units == 0:
            continue
        swapped = list(entries)
        for i in mine:
            value, low, high = entries[i].loo
            swapped[i] = Entry(entries[i].principle, entries[i].indicator, stream, value, low,
                               high)
        loo = judge(framework, swapped, cases=units, **settings)
        for i in mine:
            if (loo.indicator_point[i] != found.indicator_point[i, 0]).any():
                changed["indicators"].add(i)
        for p in range(settings["principles"]):
            other = loo.point[p][loo.point[p] != found.point[p, 0]]
            if other.size:
                changed["principles"].add(p)
                changed["principle_to"].setdefault(p, set()).update(int(x) for x in other)
        other = loo.level[loo.level != found.level[0]]
        if other.size:
            changed["level"].add(stream)
            changed["level_to"].update(int(x) for x in other)
        other = loo.verdict[loo.verdict != found.verdict[0]]
        if other.size:
            changed["verdict"].add(stream)
            changed["verdict_to"].update(int(x) for x in other)
    return changed


def loo_values(measured) -> tuple | None:
    if measured is None or measured.loo_value is None:
        return None
    return measured.loo_value, measured.loo_low, measured.loo_high


def how_sure(framework, principles, found, unstable, stricter, laxer, uncapped) -> dict:
    ratings = [r.id for r in framework.ratings]
    levels = [lv.id for lv in framework.levels]

    def shifted(j):
        return {"verdict": VERDICTS[j.verdict[0]], "level": levels[j.level[0]],
                "level_range": [levels[j.level_low[0]], levels[j.level_high[0]]],
                "principles": {p.id: ratings[j.point[i, 0]] for i, p in enumerate(principles)}}

    return {
        "leave_one_out": {
            "verdict": not unstable["verdict"], "level": not unstable["level"],
            "principles": {p.id: p.stable for p in principles},
            "verdict_changed_by": sorted(STREAM_UNITS[s] for s in unstable["verdict"]),
            "level_changed_by": sorted(STREAM_UNITS[s] for s in unstable["level"]),
            "verdict_could_become": [VERDICTS[v] for v in sorted(unstable["verdict_to"])],
            "level_could_become": [levels[v] for v in sorted(unstable["level_to"])],
            "principles_could_become": {
                principles[p].id: [ratings[r] for r in sorted(to)]
                for p, to in sorted(unstable["principle_to"].items())
                if principles[p].override is None},
        },
        "threshold_shift": {
            "percentage_points": 5, "other_units": 1,
            "stricter": shifted(stricter), "laxer": shifted(laxer),
        },
        "without_stage_records": None if uncapped is None else {
            "verdict": VERDICTS[uncapped.verdict[0]],
            "level_range": [levels[uncapped.level_low[0]], levels[uncapped.level_high[0]]]},
    }
