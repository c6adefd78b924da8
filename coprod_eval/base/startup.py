"""Start-up work our own processes need not do.

jsonschema (imported by altair, and by our YAML checks) imports the optional
``rfc3987_syntax`` package if it is installed, which compiles 38 Lark grammars: about 1 s on
this machine, paid by every process that validates anything. It only adds checks of the
``iri`` and ``iri-reference`` formats, which neither our schemas nor Vega-Lite's use (and our
YAML checks check no format at all). A process we own (the command line, a run's kernel)
therefore marks it as not importable before anything imports jsonschema. A library import
never does this: a user's own kernel keeps its process-wide state as it was.
"""

from __future__ import annotations

import sys

UNUSED_MODULES = ("rfc3987_syntax",)

# The same, as code for a kernel we start ourselves.
SKIP_UNUSED_IMPORTS = "import sys\n" + "".join(
    f"sys.modules.setdefault({name!r}, None)\n" for name in UNUSED_MODULES)


def skip_unused_imports() -> None:
    """Make the modules above fail to import (their importers treat them as optional)."""
    for name in UNUSED_MODULES:
        sys.modules.setdefault(name, None)
