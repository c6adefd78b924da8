"""report.pdf from report.html, printed by headless Chromium (Debian's ``chromium``).

nbconvert's webpdf cannot use a system browser and playwright cannot download one here, so
the report is printed with Chromium's own ``--print-to-pdf``: no extra Python dependency,
and the same offline page a commissioner sees.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..base.errors import ExecutionError, UsageError

PDF_FILE = "report.pdf"
SUMMARY_PDF = "summary.pdf"  # the partners' Easy Read summary
NO_CHROMIUM = ("report.pdf is printed by Chromium, which is not installed: install Debian's "
               "chromium (apt-get install chromium) or set COPROD_EVAL_CHROMIUM to its path")
ALREADY = "{path} already exists; coprod-eval never overwrites a run's files"
FAILED = "Chromium could not print {html}: {detail}"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw")


def chromium() -> str:
    found = os.environ.get("COPROD_EVAL_CHROMIUM") or shutil.which("chromium") or shutil.which(
        "chromium-browser")
    if not found:
        raise UsageError(NO_CHROMIUM)
    return found


def write_pdf(html: Path, pdf: Path) -> Path:
    """Print ``html`` to ``pdf`` (which must not exist yet)."""
    if pdf.exists():
        raise UsageError(ALREADY.format(path=pdf))
    browser = chromium()
    with tempfile.TemporaryDirectory(prefix="coprod-eval-pdf-") as profile:
        partial = pdf.with_name(f".{pdf.name}.partial")
        try:
            done = subprocess.run(
                [browser, *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={partial}",
                 html.resolve().as_uri()],
                capture_output=True, text=True, timeout=120)
            if done.returncode != 0 or not partial.is_file() or partial.stat().st_size == 0:
                detail = (done.stderr.strip().splitlines() or ["no output"])[-1]
                raise ExecutionError(FAILED.format(html=html, detail=detail))
            partial.rename(pdf)
        finally:
            partial.unlink(missing_ok=True)  # stopped or failed part-way: nothing half-made
    return pdf
