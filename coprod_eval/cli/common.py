"""What every command shares: how the user started us."""

from __future__ import annotations

import sys
from pathlib import Path


def program() -> str:
    """How the user started us, so the printed command works as typed."""
    return sys.argv[0] if Path(sys.argv[0]).name == "coprod-eval" else "coprod-eval"
