"""What evidence would settle a verdict that is not established: facts for the words layer.

Three kinds of answer, in order: evidence streams the framework uses that were not supplied;
for each source of an interval that spans a threshold, about how many more people (or
records) would narrow it to one rating, or that more of the same would not be enough (more
people than were invited, or results too close to a threshold); and, when confidence is low,
that other kinds of evidence are needed.
"""

from __future__ import annotations

import math

from ..yardsticks.streams import STREAM_UNITS

STREAMS = tuple(STREAM_UNITS)  # the streams counted in units: more of them could settle it
MORE_OF_THE_SAME = 5  # beyond this many times the people or records there are now: other evidence


def settle_facts(evaluation, per_principle: list[dict], confidence: str) -> list[dict]:
    """[{"reason": "supply", "streams"}, {"reason": "more", "stream", "group", "extra",
    "settled", "total"}, {"reason": "beyond_invited" | "other_evidence", "stream", "group"},
    {"reason": "low_confidence"}] — ``group`` is a survey indicator's group or side, None
    for records."""
    framework = evaluation.framework
    facts = []
    used = {i.stream for p in framework.principles for i in p.indicators}
    missing = [s for s in STREAMS if s in used and not any(
        a["status"] != "not_supplied" and a["indicator"].stream == s
        for item in per_principle for a in item["assessed"])]
    if missing:
        facts.append({"reason": "supply", "streams": missing})
    needs: dict[tuple[str, str | None], list[tuple[float, int]]] = {}
    for item in per_principle:
        for a in item["assessed"]:
            measured = a["measurement"]
            if a["status"] != "assessed" or measured is None or measured.low == measured.high:
                continue
            crossed = [t for _, t in a["indicator"].thresholds
                       if measured.low < t <= measured.high]
            if not crossed:
                continue
            distance = min(abs(measured.value - t) for t in crossed)
            extra = extra_people((measured.high - measured.low) / 2, distance, measured.n)
            stream = a["indicator"].stream
            key = (stream, (a["indicator"].group or "partner") if stream == "survey" else None)
            needs.setdefault(key, []).append((math.inf if extra is None else extra,
                                              measured.n))
    for (stream, group), found in needs.items():
        extras = sorted(extra for extra, _ in found)
        typical = extras[(len(extras) - 1) // 2]
        now = max(n for _, n in found)
        still = _not_yet_asked(evaluation, group, now) if group else None
        if still is not None and typical > still:
            facts.append({"reason": "beyond_invited", "stream": stream, "group": group})
        elif typical <= MORE_OF_THE_SAME * now:
            facts.append({"reason": "more", "stream": stream, "group": group,
                          "unit": STREAM_UNITS.get(stream, "record"), "extra": int(typical),
                          "settled": sum(extra <= typical for extra in extras),
                          "total": len(extras)})
        else:
            facts.append({"reason": "other_evidence", "stream": stream, "group": group})
    if confidence == "low":
        facts.append({"reason": "low_confidence"})
    return facts


def extra_people(half_width: float, distance: float, n: int) -> int | None:
    """About how many more people would narrow an interval of ``half_width`` to ``distance``
    (intervals narrow with the square root of the number of people); None when the value
    sits on the threshold itself."""
    if distance <= 0.5:
        return None
    needed = n * (half_width / distance) ** 2
    return max(5, math.ceil((needed - n) / 5.0) * 5)


def _not_yet_asked(evaluation, group: str, now: int) -> int | None:
    """How many of the people invited to a survey group (or side) have not answered; None
    when not every group it covers says how many were invited."""
    covered = [g for g in evaluation.groups if g.id == group or g.side == group]
    if not covered or any(not g.invited for g in covered):
        return None
    return max(0, sum(g.invited for g in covered) - now)
