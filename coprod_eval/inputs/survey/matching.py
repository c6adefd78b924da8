"""Which instrument question an export's column asks, from its wording."""

from __future__ import annotations

import difflib
import re

from ...yardsticks.instrument import Instrument, normalise

MATCH = 0.9  # similarity a question needs to be taken as an item's wording
MARGIN = 0.05  # and by how much it must beat every other item


def words(text: str) -> str:
    text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(re.sub(r"[^\w\s]", " ", normalise(text)).split())


def _candidates(text: str) -> list[str]:
    """The wordings a header may carry: whole, a Google grid row, a Qualtrics statement."""
    out = [text]
    grid = re.match(r"^(.*)\[(.+)\]\s*$", text)
    if grid:
        out.append(grid.group(2))
    for sep in (" - ", " – ", ": "):
        if sep in text:
            out.append(text.rsplit(sep, 1)[1])
    return [words(t) for t in out if t.strip()]


def match_item(texts: list[str], instrument: Instrument) -> str | None:
    """The one item whose wording these header texts carry, or None."""
    scores = {}
    for item in instrument.items:
        wordings = {words(item.staff), words(item.partner)}
        best = 0.0
        for text in (c for t in texts for c in _candidates(t)):
            for wording in wordings:
                ratio = difflib.SequenceMatcher(None, text, wording).ratio()
                best = max(best, ratio)
        scores[item.id] = best
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    if ranked and ranked[0][1] >= MATCH and (len(ranked) == 1 or
                                             ranked[0][1] - ranked[1][1] >= MARGIN):
        return ranked[0][0]
    return None
