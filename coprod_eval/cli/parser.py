"""The command line's arguments: one subcommand each, with its help."""

from __future__ import annotations

import argparse
from pathlib import Path

import yaml

from ..base.paths import builtin_ids, sample_names
from ..inputs.survey.formats import MAPPED_FORMATS


def _ladder_levels() -> str:
    """Each built-in ladder's levels, for --help."""

    from ..base.paths import PACKAGE_DATA

    parts = []
    for ladder_id in builtin_ids("ladders"):
        try:
            data = yaml.safe_load((PACKAGE_DATA / "ladders" / f"{ladder_id}.yaml").read_text(
                encoding="utf-8"))
            parts.append(f"{ladder_id}: " + ", ".join(level["id"] for level in data["levels"]))
        except Exception:  # help must print even if a ladder file is broken
            parts.append(ladder_id)
    return "; ".join(parts)


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coprod-eval",
        description="Independent examination of co-production in health and care projects.")
    from .. import __version__

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
    p.add_argument("--like", type=Path, metavar="CONFIRMED",
                   help="with --from: reuse the mapping confirmed in the evaluation folder "
                        "CONFIRMED (instrument, groups, answers); only what differs is left "
                        "TO CONFIRM")
    p.add_argument("--format", choices=MAPPED_FORMATS,
                   help="the tool that wrote EXPORT, when it cannot be told")
    p.add_argument("--dictionary", type=Path,
                   help="REDCap: the data dictionary CSV; Qualtrics with numeric values: "
                        "the survey file (.qsf) saying what each number means")
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
    _folder(p)
    p.add_argument("--answers", type=Path, metavar="FILE",
                   help="a YAML file of decisions (questions:, same_question:, groups:, "
                        "new_groups:, labels:, confirmed_by:) applied without asking; map asks "
                        "only what it "
                        "leaves out (see README: map without prompts)")
    p.add_argument("--yes", action="store_true",
                   help="ask nothing: take init's suggestion wherever the answers file is "
                        "silent (refused if a question or group answer has none)")
    p.add_argument("--by", metavar="ROLES",
                   help="who confirmed the mapping, comma-separated roles (e.g. 'evaluator, "
                        "partner representative')")

    p = sub.add_parser("reproduce", help="re-run a finished run from its recorded inputs and "
                                         "method; exit 0 if results.json is byte-identical, "
                                         "1 if an input changed, 4 if the results differ")
    p.add_argument("run", type=Path, help="a run folder, or an evaluation folder (latest run)")
    p.add_argument("--json", action="store_true", help="print the account as JSON")
    p.add_argument("--keep", type=Path, metavar="DIR",
                   help="leave the re-run (a copy of the evaluation folder) in DIR, new")

    p = sub.add_parser("plan", help="write plan.yaml: the rating each principle aims for, the "
                                    "evidence the partnership will keep, who agreed, when")
    _folder(p)

    p = sub.add_parser("respond", help="write a responses file for one side to answer a run's "
                                       "inconvenient truths (accepted, disputed, actions)")
    _folder(p)
    p.add_argument("--side", required=True, choices=["project", "partners"],
                   help="whose responses: the project's or the community partners' (each side "
                        "has its own file; neither edits the other's)")
    p.add_argument("--run", help="run id (default: the latest finished run)")
    p.add_argument("--check", action="store_true",
                   help="check the run's responses files instead of writing one")

    p = sub.add_parser("validate", help="check evaluation.yaml and every evidence file")
    _folder(p)

    p = sub.add_parser("upgrade", help="write an evaluation folder of an earlier release in "
                       "today's form: beside the old files, or in their place with --replace")
    _folder(p)
    p.add_argument("--replace", action="store_true",
                   help="put the upgraded files in place, keeping each old one as "
                        "NAME.previous.yaml")

    p = sub.add_parser("run", help="validate, then run the notebook suite into runs/<run-id>/")
    _folder(p)
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
    _folder(p)
    p.add_argument("--run", help="run id (default: the latest finished run)")
    p.add_argument("--port", type=int, help="port (default: a free one)")
    return parser


def _folder(p: argparse.ArgumentParser) -> None:
    """The evaluation folder argument most commands take."""
    p.add_argument("folder", type=Path,
                   help="the evaluation folder (the one holding evaluation.yaml)")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 10_000:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number from 1 to 10000")
    return value
