"""coprod-eval: independent examination of co-production in health and care projects.

One straight line, readable from the module names (pipeline.py holds it)::

    folder ─► inputs/load.py          load_evaluation() ─► Evaluation (framework, ladder…)
           ─► inputs/evidence.py      load_evidence()   ─► Evidence (validated, immutable)
           ─► compute/assessment.py   evaluate()        ─► EvaluationResult (results.py)
           ─► render/                 report.html, charts, tables, notebook cells, the app
           ─► runs/                   run folders (papermill or in-process), manifest,
                                      provenance

Public names are grouped below. They are imported on first use, so the command line starts
(and starts its kernel) without waiting for pandas, pandera or Altair.
"""

from importlib import import_module

_loading = {"load_evaluation": "inputs.load", "load_evidence": "inputs.evidence",
            "load_framework": "yardsticks.framework", "load_instrument": "yardsticks.instrument",
            "load_ladder": "yardsticks.ladder", "validate": "pipeline", "check_folder": "pipeline"}
_computing = {"evaluate": "compute.assessment", "evaluate_folder": "pipeline",
              "previous_round": "pipeline"}
_types = {"Evaluation": "inputs.load", "Evidence": "inputs.evidence",
          "EvaluationResult": "results", "Evaluated": "pipeline",
          "Framework": "yardsticks.framework", "Instrument": "yardsticks.instrument",
          "Ladder": "yardsticks.ladder", "Problem": "base.errors"}
_errors = dict.fromkeys(("CoprodEvalError", "InvalidInputError", "UsageError",
                         "ExecutionError"), "base.errors")
_charts = dict.fromkeys(("setup_display", "rating_overview_chart", "distribution_chart",
                        "lifecycle_chart", "claims_chart"), "render.charts")
_cells = dict.fromkeys(("show_truths", "show_verdict", "show_principles",
                       "show_evidence_summary", "show_methods", "write_outputs",
                       "show_evidence_notes", "show_how_sure", "show_disagreement",
                       "show_plan", "show_since"), "render.notebook")
_records = dict.fromkeys(("write_provenance", "write_anonymisation_log"), "runs.bookkeeping")
_display = {**_charts, **_cells, **_records, "show_app": "render.app",
            "show_portfolio_app": "render.portfolio_app",
            "open_results": "render.app"}
_PUBLIC = {**_loading, **_computing, **_types, **_errors, **_display}

__all__ = list(_PUBLIC)
__version__ = "0.1.0"


def __getattr__(name):
    if name not in _PUBLIC:
        raise AttributeError(f"module 'coprod_eval' has no attribute {name!r}")
    value = getattr(import_module(f".{_PUBLIC[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(list(globals()) + __all__)
