"""``coprod-eval init DIR --ci github|gitlab``: the evaluation as code.

Writes a CI workflow that installs coprod-eval, then validates, runs, audits and reproduces
the evaluation, checks the executed notebook with nbval, and keeps report.html, report.pdf
and results.json as build artefacts; and a .gitignore that keeps evidence/ and runs/ out of
the repository. The workflow targets the organisation's own (self-hosted) runners by
default: survey answers and interview excerpts are personal data and do not belong on a
hosted CI service. The evidence reaches the runner from a folder on it (EVIDENCE_DIR).
"""

from __future__ import annotations

import json
from pathlib import Path

from . import __version__
from .errors import UsageError

SERVICES = ("github", "gitlab")
WORKFLOW = {"github": Path(".github/workflows/coprod-eval.yml"),
            "gitlab": Path(".gitlab-ci.yml")}
ARTEFACTS = ["runs/*/report.html", "runs/*/report.pdf", "runs/*/results.json",
             "runs/*/manifest.json"]

# The steps, in order: (name, shell command). The same commands for every service.
STEPS = [
    ("Install coprod-eval",
     'python3 -m venv .venv-ci && .venv-ci/bin/pip install --quiet '
     '"${COPROD_EVAL_PACKAGE:-coprod-eval==%s}" nbval'),
    ("Bring in the evidence from the runner",
     'if [ -n "${EVIDENCE_DIR:-}" ]; then mkdir -p evidence && cp -R "$EVIDENCE_DIR"/. '
     'evidence/; fi'),
    ("Validate", ".venv-ci/bin/coprod-eval validate ."),
    ("Run", ".venv-ci/bin/coprod-eval run . --no-progress"),
    ("Print report.pdf (needs chromium on the runner)",
     '.venv-ci/bin/coprod-eval report . --pdf || echo "report.pdf skipped: no chromium"'),
    ("Audit for personal details and small numbers", ".venv-ci/bin/coprod-eval audit ."),
    ("Reproduce the run from its recorded inputs (the re-run kept outside the folder)",
     'KEEP="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/coprod-eval-reproduced" && rm -rf "$KEEP" && '
     '.venv-ci/bin/coprod-eval reproduce . --keep "$KEEP"'),
    ("Check the executed notebook (nbval, on the reproduced copy)",
     'KEEP="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/coprod-eval-reproduced" && '
     '.venv-ci/bin/python -m pytest -p no:cacheprovider --nbval-lax '
     '"$KEEP"/runs/*/evaluation.ipynb'),
]

GITIGNORE = """# coprod-eval: survey answers and interview excerpts are personal data. They stay
# out of the repository unless you decide otherwise (delete a line to opt in, knowingly): the CI
# workflow copies the evidence in from a folder on your own runner (EVIDENCE_DIR).
evidence/
runs/
.venv-ci/
"""

WHY = ("Runs on your organisation's own runner: the evidence is personal data (survey answers, "
       "interview excerpts) and must not go to a hosted CI service. Use a hosted runner only "
       "for synthetic or aggregate data.")


def _comment(text: str) -> list[str]:
    import textwrap

    return ["# " + line for line in textwrap.wrap(text, 86)]


def steps() -> list[tuple[str, str]]:
    return [(name, command.replace("%s", __version__)) for name, command in STEPS]


def github() -> str:
    lines = ["# coprod-eval: validate, run, audit and reproduce this evaluation on every push.",
             *_comment(WHY),
             "# Set EVIDENCE_DIR (a folder on the runner holding evidence/) as a repository",
             "# variable.",
             "name: coprod-eval", "on:", "  push:", "  workflow_dispatch:", "jobs:",
             "  evaluate:", "    runs-on: [self-hosted]", "    env:",
             "      EVIDENCE_DIR: ${{ vars.EVIDENCE_DIR }}", "    steps:",
             "      - uses: actions/checkout@v4"]
    for name, command in steps():
        lines += [f"      - name: {json.dumps(name)}", f"        run: {json.dumps(command)}"]
    lines += ["      - uses: actions/upload-artifact@v4", "        if: always()", "        with:",
              "          name: coprod-eval-report", "          path: |"]
    lines += [f"            {a}" for a in ARTEFACTS]
    return "\n".join(lines) + "\n"


def gitlab() -> str:
    lines = ["# coprod-eval: validate, run, audit and reproduce this evaluation on every push.",
             *_comment(WHY),
             "# Register your runner with the tag 'coprod-eval'; set EVIDENCE_DIR (a folder on",
             "# the runner holding evidence/) as a CI/CD variable.",
             "evaluate:", "  tags: [coprod-eval]", "  script:"]
    lines += [f"    - {json.dumps(command)}   # {name}" for name, command in steps()]
    lines += ["  artifacts:", "    when: always", "    paths:"]
    lines += [f"      - {json.dumps(a)}" for a in ARTEFACTS]
    return "\n".join(lines) + "\n"


def write_ci(folder: Path, service: str) -> list[Path]:
    """Write the workflow and the .gitignore into the evaluation folder (never over a file)."""
    if service not in SERVICES:
        raise UsageError(f"unknown CI service '{service}'; use one of: {', '.join(SERVICES)}")
    files = {WORKFLOW[service]: {"github": github, "gitlab": gitlab}[service](),
             Path(".gitignore"): GITIGNORE}
    ignore = folder / ".gitignore"
    if ignore.exists():
        wanted = [line for line in GITIGNORE.splitlines() if line and not line.startswith("#")]
        present = ignore.read_text(encoding="utf-8").splitlines()
        if all(line in present for line in wanted):
            del files[Path(".gitignore")]  # already keeps the evidence out
        else:
            raise UsageError(f"{ignore} exists without " + ", ".join(
                line for line in wanted if line not in present) + ": add those lines to it "
                "(the evidence is personal data), then run this again")
    for relative in files:
        if (folder / relative).exists():
            raise UsageError(f"{folder / relative} exists already; coprod-eval never overwrites "
                             "it (merge the template by hand: coprod-eval init --help)")
    written = []
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
