"""A run's own records, written into its work folder by every engine (the notebook's cells
call these through ``coprod_eval``; the in-process engine calls them directly):

- ``provenance.json``: every file the pipeline read, with the sha256 of exactly the bytes it
  parsed, and whose evidence each group's figures rest on (keyed digests of pseudonyms);
- ``anonymisation-log.json``: the placeholders and what they replaced, from the one
  redaction the pipeline made (never redacted again here).

Nothing is written when ``output_dir`` is empty or a finished run.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..base.paths import PROVENANCE_FILE

ANONYMISATION_LOG = "anonymisation-log.json"
PEOPLE_KEY = ".people-key"


def write_provenance(run, *rest, output_dir: str | None = None) -> list[str]:
    """Every file the pipeline read, with the sha256 of exactly the bytes it parsed.

    ``write_provenance(run, output_dir)`` with what :func:`pipeline.evaluate_folder`
    returned; notebooks of earlier releases call ``(evaluation, evidence, output_dir)``."""
    from ..render.notebook import finished_run  # (imports the charts: not before a run starts)

    rest = rest + ((output_dir,) if output_dir is not None else ())
    evaluation, evidence, output_dir = _arguments(run, rest)
    if not output_dir or finished_run(output_dir):
        return []
    inputs = {**evaluation.inputs, **evidence.inputs}
    Path(output_dir).mkdir(parents=True, exist_ok=True)
    path = Path(output_dir) / PROVENANCE_FILE
    runs = path.resolve().parent.parent  # the key lives beside the runs, in none of them
    path.write_text(json.dumps({"inputs": dict(sorted(inputs.items())),
                                "people": people_digests(evidence, _people_key(runs))},
                               indent=2) + "\n",
                    encoding="utf-8")
    return [path.name]


def write_anonymisation_log(run, *rest, output_dir: str | None = None) -> list[str]:
    """The placeholders and what they replaced, into the run folder only.

    It holds the originals by design: keep it within the evaluation team. No report, app or
    results.json ever reads it. ``write_anonymisation_log(run, output_dir)`` with what
    :func:`pipeline.evaluate_folder` returned; notebooks of earlier releases call
    ``(evaluation, evidence, output_dir)``, which redacts the evidence again."""
    from ..inputs.people import pseudonyms
    from ..render.notebook import finished_run

    rest = rest + ((output_dir,) if output_dir is not None else ())
    evaluation, evidence, output_dir = _arguments(run, rest)
    if not output_dir or finished_run(output_dir):
        return []
    if rest and len(rest) == 2:  # an earlier release's notebook: no log at hand
        from ..pipeline import evaluate_checked

        entries = evaluate_checked(evaluation, evidence).anonymisation
    else:
        entries = run.anonymisation
    path = Path(output_dir) / ANONYMISATION_LOG
    # the people, for an audit of the run away from its evaluation (coprod-eval audit)
    people = {"roster": list(evaluation.roster), "ids": sorted(pseudonyms(evidence))}
    path.write_text(json.dumps({"note": "Originals of de-identified text. Do not share.",
                                "entries": list(entries), "people": people},
                               indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return [path.name]


def _arguments(run, rest: tuple) -> tuple:
    """(evaluation, evidence, output_dir) from either way of calling."""
    if len(rest) == 2:
        return run, rest[0], rest[1]
    if len(rest) == 1:
        return run.evaluation, run.evidence, rest[0]
    raise TypeError("call with (run, output_dir): run is what evaluate_folder returned")


def _people_key(runs: Path) -> bytes:
    """The evaluation's secret for digests of pseudonyms: beside its runs (runs/.people-key,
    a dot-file like the runs still being made), never in one."""
    import secrets

    path = runs / PEOPLE_KEY
    try:
        with open(path, "xb") as created:  # the first run makes it; later runs read it
            created.write(secrets.token_bytes(32))
        path.chmod(0o600)
    except FileExistsError:
        pass
    return path.read_bytes()


def people_digests(evidence, key: bytes) -> dict[str, list[str]]:
    """Who each group's figures rest on (survey respondents by group; everyone in the
    records) as keyed digests of their pseudonyms, so that two runs can be compared without
    either holding an id. Without the key, kept beside the runs and in none of them, a
    digest cannot be matched to an id even by trying every likely pseudonym."""
    import hashlib
    import hmac

    from ..yardsticks.streams import RECORD_STREAMS

    def digests(ids) -> list[str]:
        return sorted({hmac.new(key, str(i).encode(), hashlib.sha256).hexdigest()
                       for i in ids if i})

    # which key made them: digests made with different keys cannot be compared
    people: dict[str, list[str]] = {"key": [digests(["coprod-eval key check"])[0]]}

    survey = evidence.survey
    if survey is not None:
        for code in sorted({int(c) for c in survey.roles}):
            answered = survey.respondent_ids[survey.roles == code]
            people[f"survey {code}"] = digests(map(str, answered))
    in_records = set()
    for stream, table in evidence.records.items():
        for column in (c.name for c in RECORD_STREAMS[stream].columns if c.person):
            in_records.update(table[column])
    people["records"] = digests(in_records)
    return people


def parsed_inputs(work: Path) -> dict[str, str]:
    """The inputs the pipeline recorded reading in a work folder (name → sha256 of the
    bytes it parsed)."""
    path = work / PROVENANCE_FILE
    if not path.is_file():
        return {}
    return dict(json.loads(path.read_text(encoding="utf-8"))["inputs"])
