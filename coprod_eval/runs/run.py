"""``coprod-eval run`` (and every other way a run is made): validate, let the chosen engine
(runs/engines.py) write the run into a work folder (runs/folder.py), check it read the bytes
that were validated, record the manifest and publish.

    folder ─► load_evaluation           settings checked before anything starts
           ─► engine starts             papermill: a kernel, warming up meanwhile
           ─► load_evidence             every evidence file checked (nothing written if not)
           ─► engine.execute            the pipeline, the report's files, the run's records
           ─► PDF / DOCX                when asked
           ─► provenance == validated   else the run is kept as failed
           ─► RunFolder.publish         manifest.json last, then the run id
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..base.errors import ExecutionError, UsageError
from ..base.paths import MANIFEST_FILE
from ..inputs.load import load_evaluation
from .bookkeeping import parsed_inputs
from .engines import ENGINES, base_parameters
from .folder import RunFolder, build_manifest

INPUT_CHANGED = ("input file(s) {path} changed while the run was in progress (what the notebook "
                 "read is not what was checked); run again when nobody is editing them")
UNKNOWN_ENGINE = "unknown run engine '{name}'; the engines are: {known}"


@dataclass(frozen=True)
class RunInfo:
    run_id: str
    folder: Path
    results: Path
    report: Path
    manifest: Path
    duration_s: float
    notes: tuple[str, ...] = ()  # how the evidence was read (formats, duplicates left out…)


def run(folder: str | Path, *, engine: str = "papermill",
        parameters: dict[str, Any] | None = None, progress: bool = True, pdf: bool = False,
        docx: bool = False, extra: dict | None = None) -> RunInfo:
    """Validate the folder, make a new run of it with ``engine``, return where it is.

    ``parameters``: the notebook's, given with -p (papermill only). ``extra``: more for the
    manifest (the portfolio's cache key)."""
    started = time.perf_counter()
    started_utc = datetime.now(UTC)
    if engine not in ENGINES:
        raise UsageError(UNKNOWN_ENGINE.format(name=engine, known=", ".join(ENGINES)))
    chosen = ENGINES[engine]
    folder = Path(folder).resolve()
    overrides = dict(parameters or {})
    # evaluation.yaml, the framework, the ladder and the instrument, checked before a folder
    # is made or a kernel started (raises InvalidInputError listing every problem)
    evaluation = load_evaluation(folder)
    chosen.check(overrides)
    extra = dict(extra or {})
    if not overrides and "cache_key" not in extra:  # what `coprod-eval portfolio` finds
        from .inputkey import cache_key, yardsticks_digest  # the run by (same inputs)

        extra["cache_key"] = cache_key(folder, yardsticks_digest())
    if pdf:
        from ..render.pdf import chromium

        chromium()  # fail before running anything if the PDF cannot be made
    target = RunFolder(folder, started_utc)
    try:
        session = chosen(target.work)
        try:
            from ..inputs.evidence import load_evidence  # pandas, imported as a kernel starts

            evidence = load_evidence(evaluation)  # while a kernel starts; every problem
            validated = time.perf_counter()
            params = _json_safe({**base_parameters(evaluation), **overrides})
            timings = session.execute(evaluation, evidence, target, params, progress)
        finally:
            session.close()
        _documents(target.work, pdf, docx)
        inputs = {**evaluation.inputs, **evidence.inputs}  # the bytes validated
        used = parsed_inputs(target.work)  # the bytes the pipeline parsed
        if used != inputs:
            changed = sorted(p for p in set(used) | set(inputs) if used.get(p) != inputs.get(p))
            message = INPUT_CHANGED.format(path=", ".join(changed))
            target.fail(message)
            raise ExecutionError(message)
        finished = time.perf_counter()
        manifest = build_manifest(
            evaluation, started_utc=started_utc, inputs=inputs, parameters=params,
            notes=evidence.notes, engine=chosen.name, notebooks=session.notebooks,
            kernel=session.kernel_name, work=target.work, extra=extra,
            timings={"validate_s": round(validated - started, 3), "notebooks": timings,
                     "total_s": round(finished - started, 3)})
        final = target.publish(manifest)
    finally:
        target.discard()  # stopped before it was published or kept as failed: nothing left
    return RunInfo(final.name, final, final / "results.json", final / "report.html",
                   final / MANIFEST_FILE, round(finished - started, 3), evidence.notes)


def _documents(work: Path, pdf: bool, docx: bool) -> None:
    """The PDF and DOCX of the report, when asked, from the report the engine wrote."""
    if pdf:
        from ..render.pdf import PDF_FILE, SUMMARY_PDF, write_pdf

        write_pdf(work / "report.html", work / PDF_FILE)
        write_pdf(work / "summary.html", work / SUMMARY_PDF)
    if docx:
        from ..render.docx import DOCX_FILE, write_docx

        write_docx(work / "report.html", work / DOCX_FILE)


def _json_safe(params: dict) -> dict:
    # papermill writes non-JSON types (numpy scalars, dates, tuples) as unescaped strings.
    return json.loads(json.dumps(params, default=str))
