"""``coprod-eval init``: a new evaluation folder with a commented evaluation.yaml, empty
evidence templates and the survey instrument in staff and community-partner versions."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from .config import DEFAULT_SEED, EVALUATION_FILE
from .errors import UsageError
from .evidence import SURVEY_COLUMNS
from .framework import builtin_instrument_path, load_instrument
from .paths import PACKAGE_DATA

ALREADY_EXISTS = ("{path} already holds an evaluation; coprod-eval never overwrites one. "
                  "Choose a new folder.")

GUIDE = """# {name} — evaluation folder

Made by `coprod-eval init`. What to do next:

1. Edit `evaluation.yaml`: project name, evaluator, the level the project claims.
2. Run the survey: `instrument/staff-questionnaire.md` for staff and
   `instrument/partner-questionnaire.md` for community partners. The two versions ask about
   the same things in parallel wording, so their answers can be compared.
3. Put the answers in `evidence/survey.csv`, one row per answer:
   `respondent_id,group,item_id,response`. Use pseudonyms, never names.
4. `coprod-eval validate {folder}` — lists every problem as `file:row:column: what — fix`.
5. `coprod-eval run {folder}` — a new run folder under `runs/` with the report.
6. `coprod-eval serve {folder}` — the report app for commissioners.
"""


def init(folder: str | Path, *, project_name: str = "My co-production project",
         organisation: str = "", evaluator: str = "", claimed_level: str = "co_production",
         seed: int = DEFAULT_SEED) -> Path:
    root = Path(folder)
    if (root / EVALUATION_FILE).exists():
        raise UsageError(ALREADY_EXISTS.format(path=root))
    (root / "evidence").mkdir(parents=True, exist_ok=True)
    (root / "instrument").mkdir(exist_ok=True)
    template = (PACKAGE_DATA / "scaffold" / "evaluation.yaml.tmpl").read_text("utf-8")
    text = template.format(folder=root.name, project_name=_yaml_str(project_name),
                           organisation=_yaml_str(organisation), evaluator=_yaml_str(evaluator),
                           claimed_level=claimed_level, seed=seed)
    (root / EVALUATION_FILE).write_text(text, encoding="utf-8")
    survey = root / "evidence" / "survey.csv"
    if not survey.exists():
        survey.write_text(",".join(SURVEY_COLUMNS) + "\n", encoding="utf-8")
    source = builtin_instrument_path("coprod_survey")
    shutil.copyfile(source, root / "instrument" / source.name)
    instrument = load_instrument(source)
    for version, title in (("staff", "Staff"), ("partner", "Community partner")):
        (root / "instrument" / f"{version}-questionnaire.md").write_text(
            _questionnaire(instrument, version, title), encoding="utf-8")
    (root / "README.md").write_text(GUIDE.format(name=project_name, folder=root.name),
                                    encoding="utf-8")
    return root


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
