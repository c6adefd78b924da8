"""Commands that make or change an evaluation folder: init, map, plan, upgrade."""

from __future__ import annotations

import contextlib
import shutil
import sys
from pathlib import Path

from ..base.errors import EXIT_OK, EXIT_USAGE, UsageError
from .common import program


def _init_sample(args) -> int:
    """init DIR --sample NAME: a copy of a bundled sample evaluation (never its runs)."""
    from ..base.paths import samples_dir
    from ..inputs.load import EVALUATION_FILE

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
    from ..prepare.scaffold import init

    folder = init(args.folder, project_name=args.project, claimed_level=args.claimed_level,
                  framework=args.framework, ladder=args.ladder)
    print(f"Created evaluation folder {folder}")
    print(f"Next: edit {folder / 'evaluation.yaml'}, add evidence, then "
          f"coprod-eval validate {folder}")
    return EXIT_OK


@contextlib.contextmanager
def _whole_or_nothing(folder: Path):
    """Make a new evaluation folder in the block: if anything fails, a folder that was not
    there before is removed, so a bad export leaves nothing behind."""
    existed = folder.exists()
    try:
        yield
    except BaseException:
        if not existed:
            shutil.rmtree(folder, ignore_errors=True)
        raise


def _copy_exports(args, folder: Path) -> None:
    """The export (and its dictionary) copied into the folder's evidence/, unchanged."""
    from ..prepare.scaffold import copy_into

    copy_into(args.export, folder)
    if args.dictionary is not None:
        copy_into(args.dictionary, folder)


def _init_from(args) -> int:
    """init DIR --from EXPORT: read the export first, so a bad one leaves nothing behind."""
    from ..inputs.load import EVALUATION_FILE
    from ..inputs.survey.propose import propose
    from ..inputs.survey.summary import summary
    from ..prepare.scaffold import ALREADY_EXISTS, DEFAULT_GROUPS, init
    from ..yardsticks.instrument import builtin_instrument_path, load_instrument

    folder = args.folder
    if (folder / EVALUATION_FILE).exists():
        raise UsageError(ALREADY_EXISTS.format(path=folder))
    for given in (args.export, args.dictionary):
        if given is not None and not given.is_file():
            raise UsageError(f"{given} does not exist or is not a file")
    from ..yardsticks.framework import load_framework

    framework = load_framework(args.framework, ladder=args.ladder)
    instrument = load_instrument(builtin_instrument_path(framework.instrument))
    groups = DEFAULT_GROUPS  # the groups init writes; map adds the project's own
    target = f"evidence/{args.export.name}"
    target_dictionary = f"evidence/{args.dictionary.name}" if args.dictionary else None
    proposal = propose(args.export, instrument, groups, fmt=args.format,
                       dictionary=args.dictionary, target_file=target,
                       target_dictionary=target_dictionary, framework=framework,
                       own=True if args.own else None)
    own = proposal.own
    with _whole_or_nothing(folder):
        init(folder, project_name=args.project, claimed_level=args.claimed_level,
             survey_entry=proposal.yaml_entry(), framework=args.framework, ladder=args.ladder,
             own_instrument=None if own is None else (own.instrument_id, own.instrument_yaml()))
        _copy_exports(args, folder)
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


def _init_like(args) -> int:
    """init NEW --from EXPORT --like CONFIRMED: the confirmed folder's decisions reused for
    another export; only what differs is left TO CONFIRM (see prepare/like.py)."""

    from ..base.readtable import read_raw
    from ..base.tables import ReadOptions
    from ..inputs.load import EVALUATION_FILE
    from ..inputs.survey.formats import FORMATS
    from ..inputs.survey.propose import propose
    from ..prepare.like import confirmed_folder, regroup, reuse, survey_lines
    from ..prepare.scaffold import ALREADY_EXISTS, init
    from ..yardsticks.instrument import load_instrument

    folder, like = args.folder, args.like
    if args.own or args.framework != "nesta_nef_six" or args.ladder:
        raise UsageError("--like takes the framework, ladder and questions of the confirmed "
                         "folder: leave out --framework, --ladder and --own")
    if (folder / EVALUATION_FILE).exists():
        raise UsageError(ALREADY_EXISTS.format(path=folder))
    for given in (args.export, args.dictionary):
        if given is not None and not given.is_file():
            raise UsageError(f"{given} does not exist or is not a file")
    doc, _ = confirmed_folder(like)
    instrument_file = doc.data["evidence"]["survey"]["instrument"]
    instrument = load_instrument(like / instrument_file, instrument_file)
    proposal = propose(args.export, instrument, (), fmt=args.format, dictionary=args.dictionary,
                       target_file=f"evidence/{args.export.name}",
                       target_dictionary=f"evidence/{args.dictionary.name}"
                       if args.dictionary else None, own=False)
    raw = read_raw(args.export, args.export.name,
                   ReadOptions(header_rows=FORMATS[proposal.format].header_rows))
    found = reuse(like, raw, proposal.format, [*proposal.group_values,
                                                 *proposal.group_unmatched])
    proposal.instrument = Path(instrument_file).stem
    with _whole_or_nothing(folder):
        init(folder, project_name=args.project,
             claimed_level=args.claimed_level or found.claimed_level,
             survey_entry=survey_lines(found, proposal, like), framework=found.framework,
             ladder=found.ladder, own_instrument=(proposal.instrument, (
                 like / instrument_file).read_text(encoding="utf-8")))
        regroup(folder / EVALUATION_FILE, found.groups_text)
        _copy_exports(args, folder)
    print(f"Created evaluation folder {folder} from {args.export.name}, reusing the mapping "
          f"confirmed in {like} (its instrument, groups, answers and confirmation)")
    print(f"  {len(found.items) - len(found.near)} question(s) found under their confirmed "
          "wording")
    for item, (column, wording) in found.near.items():
        print(f"  TO CONFIRM, {item}: is '{column}' the question '{wording}'?")
    for item in found.missing:
        print(f"  {item}: no column in this export (its principle has one question fewer)")
    for answer, group in found.group_values.items():
        if group.startswith("TO CONFIRM"):
            print(f"  TO CONFIRM, group answer '{answer}' (coprod-eval map asks it)")
    print(f"Next: coprod-eval validate {folder} — it names whatever is left to decide, and "
          "any column this export has that the confirmed one did not")
    return EXIT_OK


def init_command(args) -> int:
    """``coprod-eval init``."""
    if args.sample is not None:
        return _init_sample(args)
    from ..inputs.load import EVALUATION_FILE

    # --ci on an existing evaluation folder adds only the CI files
    existing = args.ci is not None and args.export is None and (
        args.folder / EVALUATION_FILE).is_file()
    if args.like is not None and args.export is None:
        raise UsageError("--like reuses a confirmed mapping for an export: give the export "
                         "with --from EXPORT")
    status = EXIT_OK if existing else (
        _init_like(args) if args.like is not None else
        _init_from(args) if args.export is not None else _init(args))
    if args.ci is not None:
        from ..prepare.ci import write_ci

        for path in write_ci(args.folder, args.ci):
            print(f"Wrote {path}")
    return status


def map_command(args) -> int:
    """``coprod-eval map``."""
    from ..prepare.mapanswers import plain_text
    from ..prepare.mapstep import map_questions

    by = [plain_text(r) for r in (args.by or "").split(",") if r.strip()]
    if None in by:
        raise UsageError("--by: write each role as plain text on one line")
    try:
        map_questions(args.folder, answers=args.answers, yes=args.yes, by=by or None)
    except (EOFError, KeyboardInterrupt):
        print("\nStopped: nothing written.", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def plan_command(args) -> int:
    """``coprod-eval plan``."""
    from ..inputs.load import load_evaluation
    from ..yardsticks.plan import PLAN_FILE, plan_template

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


def upgrade_command(args) -> int:
    """``coprod-eval upgrade``: what changes, then the files written (see folderformat)."""
    from ..base.folderformat import FORMAT, plan_upgrade, write_upgrade

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
              f"{program()} validate {args.folder}")
    else:
        print("Nothing was changed in place: read the *.upgraded.yaml files, then put them in "
              f"place with: {program()} upgrade {args.folder} --replace")
    return EXIT_OK
