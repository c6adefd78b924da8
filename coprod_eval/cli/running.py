"""Commands that check, run and read runs: validate, run, reproduce, report, audit."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

from ..base.errors import EXIT_INVALID_INPUT, EXIT_OK, UsageError
from .common import program

BAD_PARAMETER = "parameters are given as NAME=VALUE, not {value!r}"
MAX_PARAMETER = 1000
LONG_PARAMETER = ("-p {name}=…: the value is longer than {limit} characters; no parameter of "
                  "the notebooks needs that (a seed is a whole number up to 4294967295)")


def parse_parameters(pairs: list[str]) -> dict:
    params = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise UsageError(BAD_PARAMETER.format(value=pair))
        if len(value) > MAX_PARAMETER:
            raise UsageError(LONG_PARAMETER.format(name=name.strip(), limit=MAX_PARAMETER))
        try:
            params[name.strip()] = yaml.safe_load(value) if value else ""
        except (yaml.YAMLError, ValueError) as exc:
            raise UsageError(f"-p {name.strip()}=…: the value does not read as a number, text "
                             f"or list ({' '.join(str(exc).split())[:120]})") from None
    return params


def verdict_line(result) -> str:
    from ..render.words.verdict import verdict_line

    return verdict_line(result)


def validate_command(args) -> int:
    """``coprod-eval validate``."""
    from ..pipeline import check

    mapping: list = []
    problems, notes = check(args.folder, mapping=mapping)
    if problems:
        raise problems.error()

    print(f"{args.folder} is valid")
    for note in notes:
        print(f"  note: {note}")
    for found, principle in mapping:
        print(f"  warning: {mapping_warning(found, principle)}")
    return EXIT_OK


MAPPING_FIX = ("If it is reverse-worded, or about another principle, change its reverse: or "
               "principles: in the instrument file (coprod-eval map); if it is right as it is, "
               "say why under evidence.survey.kept_despite_data in evaluation.yaml "
               "({item}: \"your reason\"), and the report will give the reason.")


def mapping_warning(found: dict, principle: str) -> str:
    """A question the answers question (compute/itemcheck.py), and how to settle it."""
    from ..render.words.methods import item_check_sentence

    said = item_check_sentence(found, principle)
    return said if found["kept"] else f"{said} {MAPPING_FIX.format(item=found['item'])}"


def run_command(args) -> int:
    """``coprod-eval run``."""
    from ..results import EvaluationResult
    from ..runs.folder import interrupted_runs
    from ..runs.run import run

    for left in interrupted_runs(args.folder):
        print(f"note: {left} was left by an interrupted run; it is not a finished run "
              "and can be deleted", file=sys.stderr)

    if sys.stderr.isatty():  # something at once, before the kernel is up
        print(f"Validating {args.folder} and starting the notebooks…",
              file=sys.stderr, flush=True)
    info = run(args.folder, parameters=parse_parameters(args.parameter),
               progress=not args.no_progress and sys.stderr.isatty(), pdf=args.pdf,
               docx=args.docx)
    for note in info.notes:
        print(f"note: {note}")
    result = EvaluationResult.read(info.results)
    print(f"Run {info.run_id} finished in {info.duration_s:.1f} s")
    print(f"Verdict:    {verdict_line(result)}")
    names = {p.id: p.name for p in result.principles}
    for found in result.parameters.get("item_checks") or ():
        if not found["kept"]:  # the report says it too, in its methods
            print(f"warning: {mapping_warning(found, names[found['principle']])}")
    print(f"Run folder: {info.folder}")
    print(f"Report:     {info.report}")
    print(f"Easy Read:  {info.folder / 'summary.html'}")
    if args.pdf:
        print(f"PDF:        {info.folder / 'report.pdf'}")
    if args.docx:
        print(f"Word:       {info.folder / 'report.docx'}")
    print(f"Open the app: {program()} serve {args.folder}")
    return EXIT_OK


def reproduce_command(args) -> int:
    """``coprod-eval reproduce``."""
    from ..runs.reproduce import reproduce

    account = reproduce(args.run, keep=args.keep)
    if args.json:
        print(json.dumps(account.as_json(), indent=2, default=str))
    else:
        print("\n".join(account.lines()))
    return account.exit_code


def report_command(args) -> int:
    """``coprod-eval report``."""
    from ..runs.folder import adding_to, run_folder

    folder = run_folder(args.run)
    print(f"Report: {folder / 'report.html'}")
    if args.pdf or args.docx or args.responses:
        with adding_to(folder):  # a finished run is sealed: printed forms are all it gains
            _printed_forms(args, folder)
    return EXIT_OK


def _printed_forms(args, folder: Path) -> None:
    from ..render.pdf import PDF_FILE, SUMMARY_PDF, write_pdf

    def printed(what: str, source: str, target: str, write) -> None:
        path = folder / target
        if path.exists():  # printed before (a run's files are never written over)
            print(f"{what} {path} (printed before)")
        elif (folder / source).is_file():  # a summary: runs made before it had none
            print(f"{what} {write(folder / source, path)}")

    if args.pdf:
        printed("PDF:   ", "report.html", PDF_FILE, write_pdf)
        printed("Easy Read PDF:", "summary.html", SUMMARY_PDF, write_pdf)
    if args.docx:
        from ..render.docx import DOCX_FILE, write_docx

        printed("Word:  ", "report.html", DOCX_FILE, write_docx)
    if args.responses:
        for path in _with_responses(folder):
            print(f"With responses: {path}")
            printed = path.with_suffix(".pdf")
            if args.pdf and not printed.exists():  # the same responses: already printed
                print(f"With responses: {write_pdf(path, printed)}")


def _with_responses(run_dir: Path) -> list[Path]:
    """The run's report and summary with the responses to its findings (checked first)."""
    from ..inputs.load import load_evaluation
    from ..inputs.responses import by_truth, load_responses
    from ..pipeline import previous_round
    from ..render.report import write_with_responses
    from ..results import EvaluationResult

    folder = run_dir.parent.parent
    responses = by_truth(load_responses(folder, run_dir))
    if not responses:
        raise UsageError(f"no responses to run {run_dir.name} yet: write them with "
                         f"{program()} respond {folder} --side project (or partners)")
    result = EvaluationResult.read(run_dir / "results.json")
    previous = previous_round(load_evaluation(folder), run_dir,
                              round_number=int(result.project.get("round") or 1))
    return write_with_responses(result, run_dir, previous, responses)


def audit_command(args) -> int:
    """``coprod-eval audit``."""
    from ..portfolio.audit import audit_portfolio, portfolio_run_of
    from ..runs.audit import audit

    portfolio_run = portfolio_run_of(args.run)
    findings, scanned = (audit_portfolio(portfolio_run) if portfolio_run
                         else audit(args.run))
    for finding in findings:
        print(finding)
    print(f"Scanned {len(scanned)} artefact(s): {', '.join(scanned)}", file=sys.stderr)
    if findings:
        print(f"{len(findings)} finding(s): this run must not be shared as it is.",
              file=sys.stderr)
        return EXIT_INVALID_INPUT
    print("Nothing found: no personal details or small numbers in this run's artefacts.")
    return EXIT_OK
