"""``coprod-eval init DIR --ci github|gitlab``: the evaluation as code.

Writes a CI workflow that installs coprod-eval into an environment pinned by a lock file the
evaluation commits (``requirements.lock``: every distribution at the version tested, with the
sha256 of each of its files on PyPI, installed with ``--require-hashes``), then validates,
runs, audits and reproduces the evaluation and checks the executed notebook with nbval. Only
a run the audit passed is kept as a build artefact (report.html, report.pdf, results.json,
manifest.json); a last step that runs whatever happened deletes the evidence, the private
files, the runs and the reproduced copy from the runner. A .gitignore keeps evidence, runs,
the roster, withdrawals and people keys out of the repository.

The workflow targets the organisation's own (self-hosted) runners: survey answers and
interview excerpts are personal data and do not belong on a hosted CI service. The evidence
reaches the runner from folders on it, named by variables of the runner's own environment
(``EVIDENCE_DIR``: the evidence files; ``PRIVATE_DIR``, optional: roster and withdrawals.yaml),
so they reach every step.
"""

from __future__ import annotations

import json
from pathlib import Path

from .. import __version__
from ..base.errors import UsageError

SERVICES = ("github", "gitlab")
WORKFLOW = {"github": Path(".github/workflows/coprod-eval.yml"),
            "gitlab": Path(".gitlab-ci.yml")}
# What a build keeps: the latest run's shareable files, copied out once the audit passed.
SHARED = ("report.html", "report.pdf", "results.json", "manifest.json")
REPORT_DIR = "coprod-eval-report"
LOCK_FILE = "requirements.lock"
# Actions pinned to the commit of a release (a tag can be moved; a commit cannot).
CHECKOUT = "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683  # v4.2.2"
UPLOAD = "actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02  # v4.6.2"
KEEP = '"${RUNNER_TEMP:-${TMPDIR:-/tmp}}/coprod-eval-reproduced-${CI_JOB_ID:-${GITHUB_RUN_ID:-0}}"'

# The steps, in order: (name, shell command). The same commands for every service.
STEPS = [
    ("Install coprod-eval into the locked environment",
     "python3 -m venv .venv-ci && .venv-ci/bin/pip install --quiet --require-hashes "
     f"--no-deps -r {LOCK_FILE} && .venv-ci/bin/pip install --quiet --no-deps "
     '"${COPROD_EVAL_PACKAGE:-coprod-eval==%s}"'),
    ("Bring in the evidence and the private files from the runner",
     'if [ -n "${EVIDENCE_DIR:-}" ]; then mkdir -p evidence && cp -R "$EVIDENCE_DIR"/. '
     'evidence/; fi && if [ -n "${PRIVATE_DIR:-}" ]; then cp -R "$PRIVATE_DIR"/. .; fi'),
    ("Validate", ".venv-ci/bin/coprod-eval validate ."),
    ("Run", ".venv-ci/bin/coprod-eval run . --no-progress"),
    ("Print report.pdf (needs chromium on the runner)",
     '.venv-ci/bin/coprod-eval report . --pdf || echo "report.pdf skipped: no chromium"'),
    ("Audit for personal details and small numbers", ".venv-ci/bin/coprod-eval audit ."),
    ("Keep the audited report, results and manifest as the build's artefacts",
     f"RUN=$(ls -d runs/[0-9]* | tail -n 1) && mkdir -p {REPORT_DIR} && for f in "
     f'{" ".join(SHARED)}; do if [ -f "$RUN/$f" ]; then cp "$RUN/$f" {REPORT_DIR}/; fi; done'),
    ("Reproduce the run from its recorded inputs (the re-run kept outside the folder)",
     f"KEEP={KEEP} && chmod -R u+w \"$KEEP\" 2>/dev/null; rm -rf \"$KEEP\" && "
     '.venv-ci/bin/coprod-eval reproduce . --keep "$KEEP"'),
    ("Check the executed notebook (nbval, on the reproduced copy)",
     f"KEEP={KEEP} && "
     '.venv-ci/bin/python -m pytest -p no:cacheprovider --nbval-lax '
     '"$KEEP"/runs/*/evaluation.ipynb'),
]
# Whatever happened: nothing personal stays on the runner (a self-hosted runner keeps its
# workspace and its temporary folder between jobs). Files brought from PRIVATE_DIR are
# removed by name; committed files are never touched.
CLEAN_UP = "Delete the evidence, private files, runs and reproduced copy from the runner"


def clean_up(report: bool = True) -> str:
    """The last step's command; ``report``: the artefacts' folder too (GitLab uploads
    artefacts after its after_script, so there it stays)."""
    # finished runs are read-only (runs/folder.py): made writable again to be deleted
    return (f"chmod -R u+w runs {KEEP} 2>/dev/null; "
            f"rm -rf evidence runs {REPORT_DIR + ' ' if report else ''}{KEEP} && if [ -n "
            '"${PRIVATE_DIR:-}" ]; then for f in "$PRIVATE_DIR"/*; do git ls-files '
            '--error-unmatch "./${f##*/}" >/dev/null 2>&1 || rm -rf "./${f##*/}"; done; fi')


GITIGNORE = """# coprod-eval: survey answers and interview excerpts are personal data. They stay
# out of the repository unless you decide otherwise (delete a line to opt in, knowingly): the CI
# workflow copies the evidence in from a folder on your own runner (EVIDENCE_DIR), and the
# roster and withdrawals from another (PRIVATE_DIR).
evidence/
runs/
.venv-ci/
coprod-eval-report/
roster*.txt
roster*.csv
withdrawals.yaml
.people-key
*.people-key
anonymisation-log.json
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
             *_comment("On the runner, set EVIDENCE_DIR (a folder holding the evidence files) "
                       "and, if you use them, PRIVATE_DIR (roster and withdrawals.yaml) in the "
                       "runner's .env file, so every step sees them. Artefacts are kept only "
                       "when every step passed, the audit included."),
             "name: coprod-eval", "on:", "  push:", "  workflow_dispatch:",
             "permissions:", "  contents: read", "jobs:",
             "  evaluate:", "    runs-on: [self-hosted]", "    steps:",
             f"      - uses: {CHECKOUT}", "        with:", "          persist-credentials: false"]
    for name, command in steps():
        lines += [f"      - name: {json.dumps(name)}", f"        run: {json.dumps(command)}"]
    lines += [f"      - uses: {UPLOAD}", "        with:",
              "          name: coprod-eval-report", f"          path: {REPORT_DIR}/"]
    lines += [f"      - name: {json.dumps(CLEAN_UP)}", "        if: always()",
              f"        run: {json.dumps(clean_up())}"]
    return "\n".join(lines) + "\n"


def gitlab() -> str:
    lines = ["# coprod-eval: validate, run, audit and reproduce this evaluation on every push.",
             *_comment(WHY),
             *_comment("Register your runner with the tag 'coprod-eval'; set EVIDENCE_DIR (a "
                       "folder on the runner holding the evidence files) and, if you use them, "
                       "PRIVATE_DIR (roster and withdrawals.yaml) in the runner's environment. "
                       "Artefacts are kept only when every step passed, the audit included."),
             "evaluate:", "  tags: [coprod-eval]", "  script:"]
    lines += [f"    - {json.dumps(command)}   # {name}" for name, command in steps()]
    lines += ["  after_script:  # runs whatever happened",
              f"    - {json.dumps(clean_up(report=False))}   # {CLEAN_UP}"]
    lines += ["  artifacts:", "    when: on_success", "    paths:", f"      - {REPORT_DIR}/"]
    return "\n".join(lines) + "\n"


def installed_closure(roots=("coprod-eval", "nbval", "pytest")) -> dict[str, str]:
    """Every distribution the roots need in this environment (extras and markers as they
    apply here), name → installed version; coprod-eval itself is installed apart."""
    from importlib.metadata import PackageNotFoundError, distribution

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    found: dict[str, str] = {}
    extras_seen: dict[str, set[str]] = {}
    pending = [(root, frozenset()) for root in roots]
    while pending:
        name, extras = pending.pop()
        key = canonicalize_name(name)
        if key in extras_seen and extras <= extras_seen[key]:
            continue
        try:
            dist = distribution(name)
        except PackageNotFoundError:
            raise UsageError(f"{name} is needed by coprod-eval but not installed here: the "
                             "lock is written from a working environment (make demo)") from None
        extras_seen[key] = extras_seen.get(key, set()) | extras
        found[key] = dist.version
        for text in dist.requires or ():
            requirement = Requirement(text)
            if requirement.marker and not any(requirement.marker.evaluate({"extra": extra})
                                               for extra in (extras or {""})):
                continue
            pending.append((requirement.name, frozenset(requirement.extras)))
    found.pop("coprod-eval", None)
    return dict(sorted(found.items()))


def lock_text(pins: dict[str, str]) -> str:
    """requirements.lock: each pin with the sha256 of the file pip installs for it here (from
    the indexes pip is configured with), as pip itself reports it."""
    import platform
    import subprocess
    import sys
    import tempfile

    with tempfile.TemporaryDirectory(prefix="coprod-eval-lock-") as where:
        wanted, report = Path(where) / "pins.txt", Path(where) / "report.json"
        wanted.write_text("".join(f"{n}=={v}\n" for n, v in pins.items()), encoding="utf-8")
        done = subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run",
                               "--ignore-installed", "--no-deps", "--quiet", "--report",
                               str(report), "-r", str(wanted)],
                              capture_output=True, text=True, timeout=1800)
        if done.returncode != 0 or not report.is_file():
            last = (done.stderr.strip().splitlines() or ["no answer"])[-1]
            raise UsageError(f"pip could not find the files of this environment to lock them "
                             f"({last}); the lock is written once, where pip can reach its "
                             "package index: try again there")
        chosen = json.loads(report.read_text(encoding="utf-8"))["install"]
    hashes = {}
    for item in chosen:
        info = item.get("download_info") or {}
        digest = ((info.get("archive_info") or {}).get("hashes") or {}).get("sha256")
        if not digest:
            raise UsageError(f"pip gave no sha256 for {item['metadata']['name']}: the lock "
                             "cannot pin it")
        hashes[_canonical(item["metadata"]["name"])] = digest
    lines = [f"# The environment coprod-eval {__version__} was tested in (Python "
             f"{platform.python_version()}, {sys.platform}), written by coprod-eval init --ci.",
             "# Commit it. CI installs exactly this: pip install --require-hashes --no-deps "
             f"-r {LOCK_FILE}"]
    lines += [f"{name}=={version} --hash=sha256:{hashes[_canonical(name)]}"
              for name, version in pins.items()]
    return "\n".join(lines) + "\n"


def _canonical(name: str) -> str:
    from packaging.utils import canonicalize_name

    return canonicalize_name(name)


def write_ci(folder: Path, service: str, lock: str | None = None) -> list[Path]:
    """Write the workflow, the lock of the environment (unless the evaluation has one) and the
    .gitignore into the evaluation folder (never over a file)."""
    if service not in SERVICES:
        raise UsageError(f"unknown CI service '{service}'; use one of: {', '.join(SERVICES)}")
    files = {WORKFLOW[service]: {"github": github, "gitlab": gitlab}[service](),
             Path(".gitignore"): GITIGNORE}
    if not (folder / LOCK_FILE).exists():
        files[Path(LOCK_FILE)] = lock if lock is not None else lock_text(installed_closure())
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
