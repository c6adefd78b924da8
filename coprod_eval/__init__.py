"""coprod-eval: independent examination of co-production in health and care projects.

One straight line, readable from the module names::

    evaluation.yaml ─► load_evaluation() ─► Evaluation (framework, instrument, settings)
                    ─► load_evidence()   ─► Evidence (validated, immutable)
                    ─► evaluate()        ─► EvaluationResult (frozen, results.json round-trip)
                    ─► render / charts   ─► notebooks (papermill), Voila app, report.html

Public names are grouped below. They are imported on first use, so the command line starts
(and starts its kernel) without waiting for pandas, pandera or Altair.
"""

from importlib import import_module

_loading = {"load_evaluation": "config", "load_evidence": "evidence",
            "load_framework": "framework", "load_instrument": "framework",
            "validate": "validation"}
_computing = {"evaluate": "assessment"}
_types = {"Evaluation": "config", "Evidence": "evidence", "EvaluationResult": "results",
          "Framework": "framework", "Instrument": "framework", "Problem": "errors"}
_errors = {"CoprodEvalError": "errors", "InvalidInputError": "errors", "UsageError": "errors",
           "ExecutionError": "errors"}
_display = {"setup_display": "charts", "rating_overview_chart": "charts",
            "distribution_chart": "charts", "lifecycle_chart": "charts",
            "claims_chart": "charts", "show_truths": "display", "show_verdict": "display",
            "show_principles": "display", "show_evidence_summary": "display",
            "show_methods": "display", "write_outputs": "display",
            "write_anonymisation_log": "display", "show_app": "app",
            "show_evidence_notes": "display", "show_how_sure": "display",
            "write_provenance": "display"}
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
