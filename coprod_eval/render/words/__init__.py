"""The words layer: every sentence a reader sees, chosen when a report is drawn.

results.json holds facts (numbers, codes, reason codes); these modules turn them into
sentences through message catalogs (:mod:`.catalog`), one module per part of a report, each
reading a result and nothing else. A wording change is a catalog edit; it never changes
results.json. Templates reach the modules as ``w`` (``w.verdict.title(r)``) and the
catalog as ``_`` and ``n_``.
"""

from __future__ import annotations

from types import SimpleNamespace

from . import (
    app,
    catalog,
    charts,
    comparisons,
    disagreement,
    easy,
    figures,
    methods,
    names,
    principles,
    privacy,
    robustness,
    room,
    rounds,
    truths,
    verdict,
)
from .catalog import N_, _, language, n_

MODULES = SimpleNamespace(app=app, catalog=catalog, charts=charts, comparisons=comparisons,
                          disagreement=disagreement, easy=easy, figures=figures,
                          methods=methods, names=names, principles=principles, privacy=privacy,
                          robustness=robustness, room=room, rounds=rounds, truths=truths,
                          verdict=verdict)

__all__ = ["MODULES", "N_", "_", "language", "n_"]
