"""The ``coprod-eval`` command: init, validate, run, serve.

Exit codes: 0 ok, 1 invalid input, 2 usage error, 3 execution failure.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import yaml

from .errors import (
    EXIT_EXECUTION,
    EXIT_INVALID_INPUT,
    EXIT_OK,
    EXIT_USAGE,
    CoprodEvalError,
    InvalidInputError,
    UsageError,
    hidden_characters,
    printable,
)
from .paths import builtin_ids, sample_names
from .startup import skip_unused_imports
from .survey.formats import FORMAT_IDS

BAD_PARAMETER = "parameters are given as NAME=VALUE, not {value!r}"
MAX_PARAMETER = 1000
LONG_PARAMETER = ("-p {name}=…: the value is longer than {limit} characters; no parameter of "
                  "the notebooks needs that (a seed is a whole number up to 4294967295)")


def _ladder_levels() -> str:
    """Each built-in ladder's levels, for --help."""
    import yaml

    from .paths import PACKAGE_DATA

    parts = []
    for ladder_id in builtin_ids("ladders"):
        try:
            data = yaml.safe_load((PACKAGE_DATA / "ladders" / f"{ladder_id}.yaml").read_text(
                encoding="utf-8"))
            parts.append(f"{ladder_id}: " + ", ".join(level["id"] for level in data["levels"]))
        except Exception:  # help must print even if a ladder file is broken
            parts.append(ladder_id)
    return "; ".join(parts)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coprod-eval",
        description="Independent examination of co-production in health and care projects.")
    from . import __version__

    parser.add_argument("--version", action="version", version=f"coprod-eval {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("init", help="scaffold a new evaluation folder")
    p.add_argument("folder", type=Path,
                   help="the new evaluation folder (never one holding an evaluation)")
    p.add_argument("--project", default="My co-production project", help="project name")
    p.add_argument("--framework", default="nesta_nef_six", choices=builtin_ids("frameworks"),
                   help="the yardstick (default nesta_nef_six)")
    p.add_argument("--ladder", choices=builtin_ids("ladders"),
                   help="the ladder the level is read on (default: the framework's own)")
    p.add_argument("--claimed-level",
                   help="the level the project claims, on the ladder (default: its top "
                        "level); " + _ladder_levels())
    p.add_argument("--from", dest="export", type=Path, metavar="EXPORT",
                   help="a survey-tool export (Microsoft Forms, SmartSurvey, Google Forms, "
                        "Qualtrics, REDCap, or any wide CSV/XLSX): copied into evidence/, its "
                        "mapping proposed in evaluation.yaml for you to confirm")
    p.add_argument("--format", choices=[f for f in FORMAT_IDS if f != "coprod"],
                   help="the tool that wrote EXPORT, when it cannot be told")
    p.add_argument("--dictionary", type=Path, help="REDCap: the data dictionary CSV")
    p.add_argument("--ci", choices=("github", "gitlab"),
                   help="also write a CI workflow (validate, run, audit, reproduce, nbval; "
                        "self-hosted runner) and a .gitignore keeping evidence/ and runs/ out "
                        "of git; on an existing evaluation folder, only these")
    p.add_argument("--sample", choices=sample_names(), metavar="NAME",
                   help="start from a bundled sample evaluation, to try the tool: " + ", ".join(
                       sample_names()))
    p.add_argument("--own", action="store_true",
                   help="read EXPORT as your own questionnaire even if some questions match "
                        "the bundled instrument (by default: when fewer than half do)")

    sub.add_parser("notebooks", help="print the folder holding the notebook suite (for "
                                     "papermill or JupyterLab, in a checkout or an install)")

    p = sub.add_parser("map", help="confirm your own questionnaire's mapping, question by "
                                   "question (suggested principles and reverse flags)")
    p.add_argument("folder", type=Path,
                   help="the evaluation folder (the one holding evaluation.yaml)")

    p = sub.add_parser("reproduce", help="re-run a finished run from its recorded inputs and "
                                         "method; exit 0 if results.json is byte-identical, "
                                         "1 if an input changed, 4 if the results differ")
    p.add_argument("run", type=Path, help="a run folder, or an evaluation folder (latest run)")
    p.add_argument("--json", action="store_true", help="print the account as JSON")
    p.add_argument("--keep", type=Path, metavar="DIR",
                   help="leave the re-run (a copy of the evaluation folder) in DIR, new")

    p = sub.add_parser("plan", help="write plan.yaml: the rating each principle aims for, the "
                                    "evidence the partnership will keep, who agreed, when")
    p.add_argument("folder", type=Path,
                   help="the evaluation folder (the one holding evaluation.yaml)")

    p = sub.add_parser("respond", help="write a responses file for one side to answer a run's "
                                       "inconvenient truths (accepted, disputed, actions)")
    p.add_argument("folder", type=Path,
                   help="the evaluation folder (the one holding evaluation.yaml)")
    p.add_argument("--side", required=True, choices=["project", "partners"],
                   help="whose responses: the project's or the community partners' (each side "
                        "has its own file; neither edits the other's)")
    p.add_argument("--run", help="run id (default: the latest finished run)")
    p.add_argument("--check", action="store_true",
                   help="check the run's responses files instead of writing one")

    p = sub.add_parser("validate", help="check evaluation.yaml and every evidence file")
    p.add_argument("folder", type=Path,
                   help="the evaluation folder (the one holding evaluation.yaml)")

    p = sub.add_parser("upgrade", help="write an evaluation folder of an earlier release in "
                       "today's form: beside the old files, or in their place with --replace")
    p.add_argument("folder", type=Path,
                   help="the evaluation folder (the one holding evaluation.yaml)")
    p.add_argument("--replace", action="store_true",
                   help="put the upgraded files in place, keeping each old one as "
                        "NAME.previous.yaml")

    p = sub.add_parser("run", help="validate, then run the notebook suite into runs/<run-id>/")
    p.add_argument("folder", type=Path,
                   help="the evaluation folder (the one holding evaluation.yaml)")
    p.add_argument("-p", "--parameter", action="append", default=[], metavar="NAME=VALUE",
                   help="a notebook parameter (e.g. seed=7); unknown names are refused")
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    p.add_argument("--pdf", action="store_true", help="also print report.pdf (needs chromium)")
    p.add_argument("--docx", action="store_true",
                   help="also write report.docx (editable, for board papers)")

    p = sub.add_parser("report", help="where a run's report is; --pdf prints report.pdf, "
                                      "--docx writes report.docx")
    p.add_argument("run", type=Path, help="a run folder, or an evaluation folder (latest run)")
    p.add_argument("--pdf", action="store_true", help="print report.pdf with headless chromium")
    p.add_argument("--docx", action="store_true",
                   help="write report.docx: the same report, editable in Word, A4")
    p.add_argument("--responses", action="store_true",
                   help="write the report and Easy Read summary again with the responses to "
                        "the run's findings beside them (new files; the run's own are kept)")

    p = sub.add_parser("audit", help="scan a run's (or a portfolio run's) artefacts for "
                                     "personal details and small numbers; exit 1 if anything "
                                     "is found")
    p.add_argument("run", type=Path, help="a run folder, or an evaluation folder (latest run), "
                                          "or a portfolio folder or portfolio run")

    p = sub.add_parser("withdraw", help="record that a person withdrew: every later run leaves "
                                        "their evidence out; earlier runs are superseded")
    p.add_argument("folder", type=Path, help="the evaluation folder")
    p.add_argument("person", help="their pseudonym in the evidence (e.g. P007)")
    p.add_argument("--reason", required=True, help="why, in a few words (recorded)")
    p.add_argument("--by", required=True, help="who records it (a role, e.g. 'lead evaluator')")

    p = sub.add_parser("quotes", help="list the excerpts that may be quoted, or approve some "
                                      "(a quote is published only when approved)")
    p.add_argument("folder", type=Path, help="the evaluation folder")
    p.add_argument("--approve", nargs="+", metavar="EXCERPT_ID",
                   help="excerpt ids to approve for quotation, as they read now")
    p.add_argument("--by", help="who approves (with --approve)")
    p.add_argument("--role", default="", help="their role (with --approve)")
    p.add_argument("--keep", nargs="+", default=[], metavar="TEXT",
                   help="with --approve of one quote: masked text to publish after all "
                        "(as shown between ⟦ ⟧), with --reason")
    p.add_argument("--reason", default="", help="why the kept text is safe to publish")

    p = sub.add_parser("serve", help="open the report app (Voila) on the latest or a named run; "
                                     "on a portfolio folder, the portfolio app")
    p.add_argument("folder", type=Path,
                   help="the evaluation folder (the one holding evaluation.yaml), or a "
                        "portfolio folder (with portfolio-runs/)")
    p.add_argument("--run", help="run id (default: the latest finished run)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to bind (default 127.0.0.1; others require a token)")
    p.add_argument("--port", type=int, help="port (default: a free one)")
    p.add_argument("--token", help="access token (generated when binding off loopback)")
    p.add_argument("--max-kernels", type=_positive, default=0, metavar="N",
                   help="most kernels at once, the preheated one included: N-1 viewers, each "
                        "with a kernel of their own; beyond it a 'busy, try again' page "
                        "(default: sized to this machine's memory)")
    p.add_argument("--idle-minutes", type=_positive, default=10, metavar="M",
                   help="close a viewer's kernel after this long without use, tab open or "
                        "not (default 10)")
    p.add_argument("--workshop", action="store_true",
                   help="the view for a joint staff-partner session: the verdict, then one "
                        "principle at a time with the disagreement map and the responses, "
                        "large type, arrow keys to move")
    p.add_argument("--unused-seconds", type=_positive, default=60, metavar="S",
                   help="close the kernel of a page nobody has open (a closed tab, a request "
                        "that never ran the page) after this long (default 60)")

    p = sub.add_parser("portfolio", help="evaluate every project in a folder (or listed in its "
                                         "portfolio.yaml) whose inputs changed, in parallel on "
                                         "Dask; update portfolio.duckdb; write the portfolio "
                                         "report into portfolio-runs/<id>/")
    p.add_argument("folder", type=Path,
                   help="a folder of evaluation folders, or one holding portfolio.yaml")
    p.add_argument("--workers", type=_positive, metavar="N",
                   help="Dask worker processes on this machine (default: one per core)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on an existing Dask cluster (e.g. tcp://10.0.0.5:8786) instead "
                        "of one on this machine; its workers must see the same folders")
    p.add_argument("--store", type=Path,
                   help="the DuckDB store (default: FOLDER/portfolio.duckdb)")
    p.add_argument("--notebooks", action="store_true",
                   help="execute each project's notebook too (a kernel per project: slower; "
                        "the executed notebook kept in its run)")
    p.add_argument("--pdf", action="store_true",
                   help="also print the portfolio report as report.pdf (needs chromium)")
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    p = sub.add_parser("lab", help="open the evaluation folder in JupyterLab at a run's notebook "
                                   "(loopback, with a token)")
    p.add_argument("folder", type=Path,
                   help="the evaluation folder (the one holding evaluation.yaml)")
    p.add_argument("--run", help="run id (default: the latest finished run)")
    p.add_argument("--port", type=int, help="port (default: a free one)")
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 10_000:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number from 1 to 10000")
    return value


def _parse_parameters(pairs: list[str]) -> dict:
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


def _init_sample(args) -> int:
    """init DIR --sample NAME: a copy of a bundled sample evaluation (never its runs)."""
    import shutil

    from .load import EVALUATION_FILE
    from .paths import samples_dir

    if args.export is not None or args.ci is not None:
        raise UsageError("--sample cannot be combined with --from or --ci")
    if (args.folder / EVALUATION_FILE).exists() or (
            args.folder.exists() and any(args.folder.iterdir())):
        raise UsageError(f"{args.folder} exists and is not empty; coprod-eval never writes "
                         "over it. Choose a new folder.")
    shutil.copytree(samples_dir() / args.sample, args.folder,
                    ignore=shutil.ignore_patterns("runs", "*.py"), dirs_exist_ok=True)
    print(f"Created evaluation folder {args.folder} from the sample '{args.sample}' "
          "(synthetic data)")
    print(f"Next: coprod-eval run {args.folder}")
    return EXIT_OK


def _init(args) -> int:
    from .scaffold import init

    folder = init(args.folder, project_name=args.project, claimed_level=args.claimed_level,
                  framework=args.framework, ladder=args.ladder)
    print(f"Created evaluation folder {folder}")
    print(f"Next: edit {folder / 'evaluation.yaml'}, add evidence, then "
          f"coprod-eval validate {folder}")
    return EXIT_OK


def _init_from(args) -> int:
    """init DIR --from EXPORT: read the export first, so a bad one leaves nothing behind."""
    from .instrument import builtin_instrument_path, load_instrument
    from .load import EVALUATION_FILE, Group
    from .scaffold import ALREADY_EXISTS, init
    from .survey.propose import copy_into, propose, summary

    folder = args.folder
    if (folder / EVALUATION_FILE).exists():
        raise UsageError(ALREADY_EXISTS.format(path=folder))
    for given in (args.export, args.dictionary):
        if given is not None and not given.is_file():
            raise UsageError(f"{given} does not exist or is not a file")
    from .framework import load_framework

    framework = load_framework(args.framework, ladder=args.ladder)
    instrument = load_instrument(builtin_instrument_path(framework.instrument))
    groups = (Group("staff", "staff", "Staff", "staff"),
              Group("partner", "partner", "Community partners", "partner"))
    target = f"evidence/{args.export.name}"
    target_dictionary = f"evidence/{args.dictionary.name}" if args.dictionary else None
    proposal = propose(args.export, instrument, groups, fmt=args.format,
                       dictionary=args.dictionary, target_file=target,
                       target_dictionary=target_dictionary, framework=framework,
                       own=True if args.own else None)
    own = proposal.own
    existed = folder.exists()
    try:
        init(folder, project_name=args.project, claimed_level=args.claimed_level,
             survey_entry=proposal.yaml_entry(), framework=args.framework, ladder=args.ladder,
             own_instrument=None if own is None else (own.instrument_id, own.instrument_yaml()))
        copy_into(args.export, folder)
        if args.dictionary is not None:
            copy_into(args.dictionary, folder)
    except BaseException:
        if not existed:
            import shutil

            shutil.rmtree(folder, ignore_errors=True)
        raise
    print(f"Created evaluation folder {folder} with {args.export.name} copied into evidence/ "
          "(the original is untouched)")
    for line in summary(proposal, len(instrument.items)):
        print("  " + line)
    if own is not None:
        print(f"Next: coprod-eval map {folder} — go through each question's suggested "
              "principle(s) and reverse flag with a partner representative; then coprod-eval "
              f"validate {folder}")
    else:
        print(f"Next: check the proposed mapping in {folder / EVALUATION_FILE} (evidence: "
              f"survey:), then coprod-eval validate {folder}")
    return EXIT_OK


def _quotes(args) -> int:
    """List consented excerpts exactly as they would be published, or approve some."""
    from .evidence import load_evidence
    from .load import load_evaluation
    from .people import approve_quotes
    from .quotes import quote_candidates

    if args.approve:
        if not args.by:
            raise UsageError("--approve needs --by: who approves the quotes")
        entries = approve_quotes(args.folder, args.approve, by=args.by, role=args.role,
                                 keep=tuple(args.keep), reason=args.reason)
        print(f"Approved {len(entries)} quote(s) as shown by coprod-eval quotes, recorded in "
              f"{args.folder / 'quote-approvals.yaml'}; the next run publishes them.")
        return EXIT_OK
    if args.keep:
        raise UsageError("--keep goes with --approve EXCERPT_ID --by NAME --reason WHY")
    evaluation = load_evaluation(args.folder)
    candidates = quote_candidates(evaluation, load_evidence(evaluation))
    consented = [c for c in candidates if c["consented"]]
    print(f"{len(consented)} of {len(candidates)} excerpt(s) may be quoted (their speaker "
          "consented). Each is shown as it would be published; ⟦[name] ← …⟧ marks what is "
          "masked (anything not known to be safe) and ⟦kept: …⟧ what you kept on purpose:")
    for c in consented:
        approval = evaluation.quote_approvals.get(c["excerpt"])
        state = ("approved" if approval and approval.get("fingerprint") == c["fingerprint"]
                 else "approved, but the quote or the masking rules have changed since: "
                      "approve again" if approval
                 else "not yet approved")
        print(f"  {c['excerpt']} [{c['principle']}, {c['code']}, {c['source']}] {state}")
        print(f"    published: “{printable(c['text'])}”")
        if c["masked"] or c["kept"]:
            print(f"    marked:    “{printable(c['marked'])}”")
    print(f"Approve with: coprod-eval quotes {args.folder} --approve ID [ID …] --by NAME; "
          "keep a masked detail with --approve ID --keep TEXT --reason WHY --by NAME")
    return EXIT_OK


def verdict_line(result) -> str:
    from .render.words.verdict import verdict_line

    return verdict_line(result)


def _with_responses(run_dir: Path) -> list[Path]:
    """The run's report and summary with the responses to its findings (checked first)."""
    from .load import load_evaluation
    from .pipeline import previous_round
    from .render.report import write_with_responses
    from .responses import by_truth, load_responses
    from .results import EvaluationResult

    folder = run_dir.parent.parent
    responses = by_truth(load_responses(folder, run_dir))
    if not responses:
        raise UsageError(f"no responses to run {run_dir.name} yet: write them with "
                         f"{_program()} respond {folder} --side project (or partners)")
    result = EvaluationResult.read(run_dir / "results.json")
    previous = previous_round(load_evaluation(folder), run_dir,
                              round_number=int(result.project.get("round") or 1))
    return write_with_responses(result, run_dir, previous, responses)


def _portfolio(args) -> int:
    from .portfolio import run_portfolio

    info = run_portfolio(args.folder, workers=args.workers, scheduler=args.scheduler,
                         notebooks=args.notebooks, pdf=args.pdf, store=args.store,
                         progress=not args.no_progress and sys.stderr.isatty())
    print(f"Portfolio run {info.run_id} finished in {info.seconds:.1f} s: "
          f"{len(info.outcomes)} projects, {info.count('evaluated')} evaluated, "
          f"{info.count('unchanged')} unchanged, {info.count('failed')} failed"
          + (f" ({info.workers} Dask workers)" if info.workers else ""))
    for outcome in info.outcomes:
        if outcome["outcome"] == "failed":  # the details for the evaluator, here only
            print(f"FAILED {outcome['project']}: {printable(outcome['message'])}")
            for line in (outcome.get("detail") or "").splitlines():
                if line != outcome["message"]:
                    print(f"    {printable(line)}")
    print(f"Store:      {info.store}")
    print(f"Report:     {info.folder / 'report.html'}")
    if args.pdf:
        print(f"PDF:        {info.folder / 'report.pdf'}")
    print(f"Parquet:    {info.folder / 'parquet'}")
    print(f"Open the app: {_program()} serve {args.folder}")
    if info.count("failed"):
        print(f"{info.count('failed')} project(s) could not be evaluated: they are listed in "
              "the report and left out of its figures.", file=sys.stderr)
        return EXIT_INVALID_INPUT
    return EXIT_OK


def _program() -> str:
    """How the user started us, so the printed command works as typed."""
    return sys.argv[0] if Path(sys.argv[0]).name == "coprod-eval" else "coprod-eval"


def _refuse_control_characters(args) -> None:
    """Every value given on the command line may reach a terminal, a ledger or a page: one
    holding a control, invisible or direction character is refused."""
    for name, value in vars(args).items():
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str | Path) and hidden_characters(str(text)):
                raise UsageError(f"the {name.replace('_', ' ')} given holds a control "
                                 "character or a direction override: type it again as plain "
                                 "text")


def _upgrade(args) -> int:
    """``coprod-eval upgrade``: what changes, then the files written (see folderformat)."""
    from .folderformat import FORMAT, plan_upgrade, write_upgrade

    plan = plan_upgrade(args.folder)
    if not plan.files:
        print(f"{args.folder} is in today's form (schema_version {FORMAT}): nothing to upgrade")
        return EXIT_OK
    print(f"Upgrading {args.folder} to today's form (schema_version {FORMAT}):")
    for change in plan.changes:
        print(f"  {change}")
    written = write_upgrade(plan, replace=args.replace)
    for path in written:
        print(f"Wrote {path}")
    if args.replace:
        print("The old files are kept beside as *.previous.yaml. Check it with: "
              f"{_program()} validate {args.folder}")
    else:
        print("Nothing was changed in place: read the *.upgraded.yaml files, then put them in "
              f"place with: {_program()} upgrade {args.folder} --replace")
    return EXIT_OK


def _notebooks_command(args) -> int:
    """``coprod-eval notebooks``."""
    from .paths import notebooks_dir

    print(notebooks_dir())
    return EXIT_OK


def _init_command(args) -> int:
    """``coprod-eval init``."""
    if args.sample is not None:
        return _init_sample(args)
    from .load import EVALUATION_FILE

    # --ci on an existing evaluation folder adds only the CI files
    existing = args.ci is not None and args.export is None and (
        args.folder / EVALUATION_FILE).is_file()
    status = EXIT_OK if existing else (
        _init_from(args) if args.export is not None else _init(args))
    if args.ci is not None:
        from .ci import write_ci

        for path in write_ci(args.folder, args.ci):
            print(f"Wrote {path}")
    return status


def _map_command(args) -> int:
    """``coprod-eval map``."""
    from .mapstep import map_questions

    try:
        map_questions(args.folder)
    except (EOFError, KeyboardInterrupt):
        print("\nStopped: nothing written.", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def _reproduce_command(args) -> int:
    """``coprod-eval reproduce``."""
    from .reproduce import reproduce

    account = reproduce(args.run, keep=args.keep)
    if args.json:
        print(json.dumps(account.as_json(), indent=2, default=str))
    else:
        print("\n".join(account.lines()))
    return account.exit_code


def _validate_command(args) -> int:
    """``coprod-eval validate``."""
    from .pipeline import check

    problems, notes = check(args.folder)
    if problems:
        raise problems.error()

    print(f"{args.folder} is valid")
    for note in notes:
        print(f"  note: {note}")
    return EXIT_OK


def _run_command(args) -> int:
    """``coprod-eval run``."""
    from .results import EvaluationResult
    from .runs import interrupted_runs, run

    for left in interrupted_runs(args.folder):
        print(f"note: {left} was left by an interrupted run; it is not a finished run "
              "and can be deleted", file=sys.stderr)

    if sys.stderr.isatty():  # something at once, before the kernel is up
        print(f"Validating {args.folder} and starting the notebooks…",
              file=sys.stderr, flush=True)
    info = run(args.folder, parameters=_parse_parameters(args.parameter),
               progress=not args.no_progress and sys.stderr.isatty(), pdf=args.pdf,
               docx=args.docx)
    for note in info.notes:
        print(f"note: {note}")
    print(f"Run {info.run_id} finished in {info.duration_s:.1f} s")
    print(f"Verdict:    {verdict_line(EvaluationResult.read(info.results))}")
    print(f"Run folder: {info.folder}")
    print(f"Report:     {info.report}")
    print(f"Easy Read:  {info.folder / 'summary.html'}")
    if args.pdf:
        print(f"PDF:        {info.folder / 'report.pdf'}")
    if args.docx:
        print(f"Word:       {info.folder / 'report.docx'}")
    print(f"Open the app: {_program()} serve {args.folder}")
    return EXIT_OK


def _report_command(args) -> int:
    """``coprod-eval report``."""
    from .render.pdf import PDF_FILE, SUMMARY_PDF, write_pdf
    from .runs import run_folder

    folder = run_folder(args.run)
    print(f"Report: {folder / 'report.html'}")
    if args.pdf:
        print(f"PDF:    {write_pdf(folder / 'report.html', folder / PDF_FILE)}")
        if (folder / "summary.html").is_file():  # runs made before it had none
            print(f"Easy Read PDF: "
                  f"{write_pdf(folder / 'summary.html', folder / SUMMARY_PDF)}")
    if args.docx:
        from .render.docx import DOCX_FILE, write_docx

        print(f"Word:   {write_docx(folder / 'report.html', folder / DOCX_FILE)}")
    if args.responses:
        for path in _with_responses(folder):
            print(f"With responses: {path}")
            printed = path.with_suffix(".pdf")
            if args.pdf and not printed.exists():  # the same responses: already printed
                print(f"With responses: {write_pdf(path, printed)}")
    return EXIT_OK


def _audit_command(args) -> int:
    """``coprod-eval audit``."""
    from .audit import audit
    from .audit_portfolio import audit_portfolio, portfolio_run_of

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


def _withdraw_command(args) -> int:
    """``coprod-eval withdraw``."""
    from .people import withdraw

    entry = withdraw(args.folder, args.person, reason=args.reason, by=args.by)
    print(f"Recorded in {args.folder / 'withdrawals.yaml'}: {entry['id']} withdrew on "
          f"{entry['date']}; every later run leaves their evidence out.")
    for run in entry["superseded"]:
        print(f"  run {run} holds their evidence: superseded (audit will not clear it "
              "for sharing)")
    return EXIT_OK


def _serve_command(args) -> int:
    """``coprod-eval serve``."""
    from .serve import serve

    return serve(args.folder, run=args.run, host=args.host, port=args.port,
                 token=args.token, max_kernels=args.max_kernels,
                 idle_minutes=args.idle_minutes,
                 unconnected_seconds=args.unused_seconds, workshop=args.workshop)


def _plan_command(args) -> int:
    """``coprod-eval plan``."""
    from .load import load_evaluation
    from .plan import PLAN_FILE, plan_template

    target = args.folder / PLAN_FILE
    if target.exists():
        raise UsageError(f"{target} exists already; coprod-eval never overwrites it "
                         "(a changed plan is a new version: edit it, raise 'version' "
                         "and fill in 'changed')")
    evaluation = load_evaluation(args.folder)
    target.write_text(plan_template(evaluation.framework, evaluation.claimed_level),
                      encoding="utf-8")
    print(f"Wrote {target}: complete it together with partners, then run as usual")
    return EXIT_OK


def _respond_command(args) -> int:
    """``coprod-eval respond``."""
    from .render.reply import template
    from .responses import load_responses, responses_file
    from .serve import find_run

    run_dir = find_run(args.folder, args.run)
    if args.check:
        found = load_responses(args.folder, run_dir)
        print(f"Responses to run {run_dir.name}: "
              + (", ".join(sorted(found)) or "none yet") + "; no problem found")
        return EXIT_OK
    target = responses_file(args.folder, run_dir.name, args.side)
    if target.exists():
        raise UsageError(f"{target} exists already; coprod-eval never overwrites it: "
                         "edit it (and check it with --check)")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(template(run_dir, args.side), encoding="utf-8")
    print(f"Wrote {target}: complete it, then check it with: "
          f"{_program()} respond {args.folder} --side {args.side} --check")
    return EXIT_OK


def _lab_command(args) -> int:
    """``coprod-eval lab``."""
    from .lab import lab

    return lab(args.folder, run=args.run, port=args.port)


# one function a command: main parses, dispatches and says what went wrong
COMMANDS = {
    "notebooks": _notebooks_command,
    "init": _init_command,
    "map": _map_command,
    "reproduce": _reproduce_command,
    "validate": _validate_command,
    "run": _run_command,
    "report": _report_command,
    "audit": _audit_command,
    "withdraw": _withdraw_command,
    "quotes": _quotes,
    "serve": _serve_command,
    "plan": _plan_command,
    "respond": _respond_command,
    "portfolio": _portfolio,
    "lab": _lab_command,
    "upgrade": _upgrade,
}


def main(argv: list[str] | None = None) -> int:
    skip_unused_imports()
    args = _parser().parse_args(argv)
    try:
        _refuse_control_characters(args)
        return COMMANDS[args.command](args)
    except InvalidInputError as exc:
        for line in exc.lines():
            print(line)
        where = getattr(args, "folder", None) or getattr(args, "run", "")
        done = "; nothing was run." if args.command == "run" else f" in {where}."
        print(f"{exc.count} problem(s) found{done}", file=sys.stderr)
        return exc.exit_code
    except CoprodEvalError as exc:
        print(f"coprod-eval: {printable(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # the reader went away (e.g. | head): nothing more to say
        return EXIT_OK
    except OSError as exc:  # a full disk, a folder that may not be written: one line
        where = f" ({exc.filename})" if exc.filename else ""
        done = "; the run was not completed" if args.command == "run" else ""
        print(f"coprod-eval: {exc.strerror or exc}{where}{done}", file=sys.stderr)
        return EXIT_EXECUTION
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
