"""``coprod-eval init``: a new evaluation folder with a commented evaluation.yaml, empty
evidence templates and the survey instrument in staff and community-partner versions."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from ..base.errors import UsageError
from ..base.paths import PACKAGE_DATA
from ..inputs.evidence import SURVEY_COLUMNS
from ..inputs.load import DEFAULT_SEED, EVALUATION_FILE, Group
from ..yardsticks.instrument import builtin_instrument_path, load_instrument
from ..yardsticks.sides import PARTNER, STAFF
from ..yardsticks.streams import RECORD_STREAMS

ALREADY_EXISTS = ("{path} already holds an evaluation; coprod-eval never overwrites one. "
                  "Choose a new folder.")

GUIDE = """# {name} — evaluation folder

Made by `coprod-eval init`. What to do next:

1. Edit `evaluation.yaml`: project name, evaluator, the level the project claims.
2. Run the survey: `instrument/staff-questionnaire.md` for staff and
   `instrument/partner-questionnaire.md` for community partners. The two versions ask about
   the same things in parallel wording, so their answers can be compared.
3. Put the answers in `evidence/survey.csv`, one row per answer:
   `respondent_id,group,item_id,response`. Use pseudonyms, never names. Or use your survey
   tool's export as it is: `coprod-eval init NEW-FOLDER --from export.xlsx` proposes how
   its columns map onto the instrument, for you to confirm in `evaluation.yaml`.
   Any evidence table may be CSV (UTF-8 or Excel's Windows-1252; commas, semicolons or
   tabs) or an .xlsx workbook.
4. `coprod-eval validate {folder}` — lists every problem as `file:row:column: what — fix`.
5. `coprod-eval run {folder}` — a new run folder under `runs/` with the report.
6. `coprod-eval serve {folder}` — the report app for commissioners.
"""


OWN_GUIDE = """# {name} — evaluation folder

Made by `coprod-eval init --from` from your survey tool's export, which is copied into
`evidence/` (the original is untouched). Your questions are your own, so they are written to
`instrument/own_questionnaire.yaml`, each with a suggested principle and reverse flag marked
TO CONFIRM. What to do next:

1. `coprod-eval map {folder}` — go through each question with a partner representative:
   accept or change its principle(s) and reverse flag, or leave it out; say which group each
   answer to the group question means, and who confirmed the mapping.
2. Edit `evaluation.yaml`: project name, evaluator, the level the project claims; add other
   evidence streams (attendance, decisions, payments, excerpts) if you have them.
3. `coprod-eval validate {folder}` — lists every problem as `file:row:column: what — fix`.
4. `coprod-eval run {folder}` — a new run folder under `runs/` with the report.
5. `coprod-eval serve {folder}` — the report app for commissioners.
"""


# the groups evaluation.yaml.tmpl declares (init --from matches an export's answers to them)
DEFAULT_GROUPS = (Group("staff", "staff", "Staff", STAFF),
                  Group("partner", "partner", "Community partners", PARTNER))

STREAM_ENTRIES = {
    "survey": """  survey:                  # the staff and community-partner survey
    # One row per answer: respondent_id,group,item_id,response
    # response is a scale label ("Strongly agree") or its code (1-5); "Don't know" or blank
    # means no answer. Use pseudonymous respondent ids, never names.
    # A survey tool's export can be used as it is (Microsoft Forms, SmartSurvey, Google
    # Forms, Qualtrics, REDCap, any wide or long CSV/XLSX): coprod-eval init DIR --from
    # EXPORT writes its mapping (format, respondent_id, group, items, answers) for you.
    file: evidence/survey.csv
    # The survey instrument (items, wording, response scale) the answers refer to.
    instrument: instrument/{instrument}.yaml""",
    "attendance": """  attendance:              # who attended which meeting, in which role
    file: evidence/attendance.csv""",
    "decisions": """  decisions:               # the decision log: who proposed, who decided, feedback
    file: evidence/decisions.csv""",
    "stages": """  stages:                  # ladder level of partner involvement at each stage
    file: evidence/stages.csv""",
    "resources": """  resources:               # payment, expenses, training; budget under joint control
    file: evidence/resources.csv
    budget_total: null       # the whole project budget (any currency)
    budget_joint_control: null  # the part of it partners control jointly with staff""",
    "qualitative": """  qualitative:             # coded excerpts from interviews, focus groups, documents
    file: evidence/qualitative.csv""",
    "self_assessment": """  self_assessment:         # the project's own claimed rating per principle
    file: evidence/self_assessment.csv""",
}


def _evidence_section(streams, survey_entry: str | None = None,
                      instrument: str = "coprod_survey") -> str:
    lines = []
    for name, entry in STREAM_ENTRIES.items():
        entry = entry.replace("{instrument}", instrument)
        if name == "survey" and survey_entry is not None:
            lines.append(survey_entry)
        elif name in streams:
            lines.append(entry)
        else:
            lines.append("\n".join("# " + line for line in entry.splitlines()))
    return "\n".join(lines)


def init(folder: str | Path, *, project_name: str = "My co-production project",
         organisation: str = "", evaluator: str = "", claimed_level: str | None = None,
         seed: int = DEFAULT_SEED, streams: tuple[str, ...] = ("survey",),
         survey_entry: str | None = None, framework: str = "nesta_nef_six",
         ladder: str | None = None, own_instrument: tuple[str, str] | None = None) -> Path:
    """A new evaluation folder for a built-in ``framework`` (read on ``ladder``, by default
    the framework's own); ``survey_entry`` replaces the survey template's entry (used by
    ``init --from`` with the mapping it proposes). The claimed level defaults to the top of
    the ladder."""
    folder = Path(folder)
    if (folder / EVALUATION_FILE).exists():
        raise UsageError(ALREADY_EXISTS.format(path=folder))
    chosen = _chosen_yardstick(framework, ladder, claimed_level)
    (folder / "evidence").mkdir(parents=True, exist_ok=True)
    (folder / "instrument").mkdir(exist_ok=True)
    template = (PACKAGE_DATA / "scaffold" / "evaluation.yaml.tmpl").read_text("utf-8")
    text = template.format(folder=folder.name, project_name=_yaml_str(project_name),
                           organisation=_yaml_str(organisation), evaluator=_yaml_str(evaluator),
                           seed=seed,
                           evidence=_evidence_section(streams, survey_entry,
                                                      chosen["instrument"]),
                           **chosen)
    (folder / EVALUATION_FILE).write_text(text, encoding="utf-8")
    templates = {"survey": ",".join(SURVEY_COLUMNS)} if survey_entry is None else {}
    templates.update({name: spec.header for name, spec in RECORD_STREAMS.items()})
    for name, header in templates.items():
        path = folder / "evidence" / f"{name}.csv"
        if not path.exists():
            path.write_text(header + "\n", encoding="utf-8")
    (folder / "evidence" / "COLUMNS.md").write_text(_columns_guide(), encoding="utf-8")
    if own_instrument is not None:  # the evaluator's own questionnaire: (id, YAML text)
        (folder / "instrument" / f"{own_instrument[0]}.yaml").write_text(own_instrument[1],
                                                                     encoding="utf-8")
        (folder / "README.md").write_text(OWN_GUIDE.format(name=project_name,
                                                         folder=folder.name), encoding="utf-8")
        return folder
    source = builtin_instrument_path(chosen["instrument"])
    shutil.copyfile(source, folder / "instrument" / source.name)
    instrument = load_instrument(source)
    for version, title in (("staff", "Staff"), ("partner", "Community partner")):
        (folder / "instrument" / f"{version}-questionnaire.md").write_text(
            _questionnaire(instrument, version, title), encoding="utf-8")
    (folder / "README.md").write_text(GUIDE.format(name=project_name, folder=folder.name),
                                    encoding="utf-8")
    return folder


def _chosen_yardstick(framework: str, ladder: str | None, claimed: str | None) -> dict:
    """What the template says about the framework and ladder chosen."""
    from ..yardsticks.framework import builtin_frameworks, load_framework
    from ..yardsticks.ladder import builtin_ladders

    if framework not in builtin_frameworks():
        raise UsageError(f"'{framework}' is not a built-in framework; use one of: "
                         + ", ".join(builtin_frameworks()))
    if ladder is not None and ladder not in builtin_ladders():
        raise UsageError(f"'{ladder}' is not a built-in ladder; use one of: "
                         + ", ".join(builtin_ladders()))
    loaded = load_framework(framework, ladder=ladder)
    levels = [lv.id for lv in loaded.levels]
    if claimed is not None and claimed not in levels:
        raise UsageError(f"'{claimed}' is not a level of the {loaded.ladder.name}; use one "
                         "of: " + ", ".join(levels))
    return {"framework": framework,
            "framework_comment": _comment(
                "The yardstick: a built-in framework id (" + ", ".join(builtin_frameworks())
                + ") or a path to a framework YAML file."),
            "ladder_comment": _comment(
                "The ladder the level is read on: a built-in id ("
                + ", ".join(builtin_ladders()) + ") or a path to a ladder YAML file. Leave it "
                f"out to use the framework's own ({loaded.default_ladder})."),
            "ladder_line": f"ladder: {ladder}" if ladder else f"# ladder: {loaded.ladder.id}",
            "level_comment": _comment(
                f"The level of participation the project claims, on that ladder "
                f"({loaded.ladder.name}): " + ", ".join(levels)),
            "claimed_level": claimed or levels[-1], "instrument": loaded.instrument}


def _comment(text: str) -> str:
    import textwrap

    return textwrap.fill(text, 90, initial_indent="# ", subsequent_indent="# ",
                         break_on_hyphens=False)


def _columns_guide() -> str:
    lines = ["# What each evidence table holds", "",
             "Yes/no columns take yes or no; dates are YYYY-MM-DD; use pseudonyms, never names.",
             ""]
    for spec in RECORD_STREAMS.values():
        lines += [f"## {spec.stream}.csv — {spec.title}", "", "| column | holds |", "|---|---|"]
        for c in spec.columns:
            choices = f" ({', '.join(c.choices)})" if c.choices else ""
            optional = " — may be blank" if not c.required else ""
            lines.append(f"| {c.name} | {c.help}{choices}{optional} |")
        lines.append("")
    return "\n".join(lines)


def _yaml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False) if value else '""'


def _questionnaire(instrument, version: str, title: str) -> str:
    scale = " · ".join(f"{label} ({code})" for code, label in instrument.codes)
    missing = ", ".join(f'"{m}"' for m in instrument.missing)
    lines = [
        f"# {instrument.name} — {title} version",
        "",
        f"Instrument `{instrument.id}` version {instrument.version}. "
        "Please say how far you agree with each statement about this project.",
        "",
        f"Answer scale: {scale}. You may also answer {missing}.",
        "",
        "| Item | Statement |",
        "|---|---|",
    ]
    lines += [f"| {item.id} | {getattr(item, version)} |" for item in instrument.items]
    return "\n".join(lines) + "\n"


def copy_into(source: Path, folder: Path) -> str:
    """Copy an export into the folder's evidence/ (never move or change it); its new path."""
    target = folder / "evidence" / source.name
    if source.resolve() == target.resolve():
        return target.relative_to(folder).as_posix()
    if target.exists():
        raise UsageError(f"{target} exists already; coprod-eval never overwrites evidence")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target.relative_to(folder).as_posix()
