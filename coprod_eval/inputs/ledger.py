"""Recorded decisions about the people in the evidence, kept in the evaluation folder.

Two append-only records, written by commands rather than by hand, and read by every run:

- ``withdrawals.yaml`` — a person's right to withdraw: ``coprod-eval withdraw DIR ID``
  records who withdrew (their pseudonym), when, and why; every later run leaves their
  evidence out, and the earlier runs that held it are marked superseded (``audit`` will not
  clear them for sharing). The evidence files themselves are never edited.
- ``quote-approvals.yaml`` — the evaluator's sign-off of the quote bank:
  ``coprod-eval quotes DIR --approve E003 E010 --by NAME`` records, dated, which excerpts may
  be quoted, each with a fingerprint of its de-identified text, so an approval lapses if the
  text it approved changes. A quote is published only when the person consented to being
  quoted (the qualitative evidence says so) and the evaluator has approved it.

Each entry is appended; an existing entry is never rewritten.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from pathlib import Path

import yaml

from ..base.errors import InvalidInputError, Problem
from ..base.identity import normalise_id

WITHDRAWALS = "withdrawals.yaml"
QUOTE_APPROVALS = "quote-approvals.yaml"
HEADER = {
    WITHDRAWALS: ("# Withdrawals recorded by `coprod-eval withdraw`. Every run leaves these "
                  "people's evidence out.\n# Append-only: do not edit by hand.\n"),
    QUOTE_APPROVALS: ("# Quotes approved by the evaluator with `coprod-eval quotes --approve`. "
                      "A quote is published\n# only with the person's consent and an approval "
                      "whose fingerprint matches its text.\n# Append-only: do not edit by "
                      "hand.\n"),
}
BAD_LEDGER = "this record file is not a list of entries written by coprod-eval"
BAD_LEDGER_FIX = "restore it from a backup (it is append-only and written by coprod-eval)"


def fingerprint(text: str) -> str:
    """A short fingerprint of a quote's de-identified text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def read_ledger(folder: Path, name: str, text: str | None = None) -> list[dict]:
    """The entries of a record file (empty when there is none). ``text``: its contents as
    already read (so the bytes parsed are the bytes recorded)."""
    from ..base.yamlfile import parse_yaml

    path = Path(folder) / name
    if text is None:
        if not path.is_file():
            return []
        text = path.read_text(encoding="utf-8")
    data, _ = parse_yaml(text, name)
    if data is None:
        return []
    if not isinstance(data, list) or not all(isinstance(e, dict) for e in data):
        raise InvalidInputError([Problem(name, 1, None, BAD_LEDGER, BAD_LEDGER_FIX)])
    return data


def append(folder: Path, name: str, entries: list[dict]) -> Path:
    """Add entries to a record file: the old bytes are kept as they are, the new ones added
    after them, and the file replaced in one step (never half-written)."""
    path = Path(folder) / name
    old = path.read_bytes() if path.is_file() else HEADER[name].encode("utf-8")
    added = yaml.safe_dump(entries, sort_keys=False, allow_unicode=True).encode("utf-8")
    replace_whole(path, (old if old.endswith(b"\n") else old + b"\n") + added)
    return path


def replace_whole(path: Path, data: bytes) -> None:
    """Replace a file in one step: readers see the old bytes or the new, never half."""
    replace_together({path: data})


def replace_together(files: dict[Path, bytes]) -> None:
    """Replace several files, each in one step, only once every new version is written in
    full beside its file (a full disk or a file-size limit leaves every file as it was);
    each keeps its permissions."""
    written: dict[Path, str] = {}
    try:
        for path, data in files.items():
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
            written[path] = temporary
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            if path.exists():
                os.chmod(temporary, stat.S_IMODE(path.stat().st_mode))
        for path, temporary in written.items():
            os.replace(temporary, path)
    except BaseException:
        for temporary in written.values():
            Path(temporary).unlink(missing_ok=True)
        raise


# --- withdrawals --------------------------------------------------------------------------------

def withdrawn_ids(entries: list[dict]) -> frozenset[str]:
    return frozenset(normalise_id(str(e["id"])) for e in entries if e.get("id"))


def superseded_runs(folder: Path) -> dict[str, str]:
    """Run id → why it is superseded (a withdrawal recorded after it)."""
    try:
        entries = read_ledger(folder, WITHDRAWALS)
    except InvalidInputError:
        return {}
    marked = {}
    for entry in entries:
        for run in entry.get("superseded") or ():
            marked.setdefault(str(run), f"a participant withdrew on {entry.get('date')}; this "
                                        "run holds their evidence")
    return marked


# --- quote approvals ---------------------------------------------------------------------------

def approvals(entries: list[dict]) -> dict[str, dict]:
    """Excerpt id → its latest approval (fingerprint, by, role, date)."""
    latest = {}
    for entry in entries:
        if entry.get("excerpt"):
            latest[str(entry["excerpt"])] = entry
    return latest
