"""The ``coprod-eval`` command: one module a kind of command (setup, running, people,
viewing), one function a command, one table of them; ``main`` parses, dispatches and says
what went wrong.

Exit codes: 0 ok, 1 invalid input, 2 usage error, 3 execution failure.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..base.errors import (
    EXIT_EXECUTION,
    EXIT_OK,
    CoprodEvalError,
    InvalidInputError,
    UsageError,
    hidden_characters,
    printable,
)
from ..base.startup import skip_unused_imports
from .parser import parser
from .people import quotes_command, respond_command, withdraw_command
from .running import audit_command, report_command, reproduce_command, run_command, validate_command
from .setup import init_command, map_command, plan_command, upgrade_command
from .viewing import lab_command, notebooks_command, portfolio_command, serve_command


def refuse_control_characters(args) -> None:
    """Every value given on the command line may reach a terminal, a ledger or a page: one
    holding a control, invisible or direction character is refused."""
    for name, value in vars(args).items():
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str | Path) and hidden_characters(str(text)):
                raise UsageError(f"the {name.replace('_', ' ')} given holds a control "
                                 "character or a direction override: type it again as plain "
                                 "text")


# one function a command: main parses, dispatches and says what went wrong
COMMANDS = {
    "notebooks": notebooks_command,
    "init": init_command,
    "map": map_command,
    "reproduce": reproduce_command,
    "validate": validate_command,
    "run": run_command,
    "report": report_command,
    "audit": audit_command,
    "withdraw": withdraw_command,
    "quotes": quotes_command,
    "serve": serve_command,
    "plan": plan_command,
    "respond": respond_command,
    "portfolio": portfolio_command,
    "lab": lab_command,
    "upgrade": upgrade_command,
}


def main(argv: list[str] | None = None) -> int:
    skip_unused_imports()
    args = parser().parse_args(argv)
    try:
        refuse_control_characters(args)
        return COMMANDS[args.command](args)
    except InvalidInputError as exc:
        for line in exc.lines():
            print(line)
        where = getattr(args, "folder", None) or getattr(args, "run", "")
        done = "; nothing was run." if args.command == "run" else f" in {where}."
        print(f"{exc.count} problem(s) found{done}", file=sys.stderr)
        return exc.exit_code
    except CoprodEvalError as exc:
        print(f"coprod-eval: {printable(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # the reader went away (e.g. | head): nothing more to say
        return EXIT_OK
    except OSError as exc:  # a full disk, a folder that may not be written: one line
        where = f" ({exc.filename})" if exc.filename else ""
        done = "; the run was not completed" if args.command == "run" else ""
        print(f"coprod-eval: {exc.strerror or exc}{where}{done}", file=sys.stderr)
        return EXIT_EXECUTION
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
