"""Commands that open what a run made, or many projects at once: serve, lab, notebooks,
portfolio."""

from __future__ import annotations

import sys

from ..base.errors import EXIT_INVALID_INPUT, EXIT_OK, printable
from .common import program


def serve_command(args) -> int:
    """``coprod-eval serve``."""
    from ..serve.voila import serve

    return serve(args.folder, run=args.run, host=args.host, port=args.port,
                 token=args.token, max_kernels=args.max_kernels,
                 idle_minutes=args.idle_minutes,
                 unconnected_seconds=args.unused_seconds, workshop=args.workshop)


def lab_command(args) -> int:
    """``coprod-eval lab``."""
    from ..serve.lab import lab

    return lab(args.folder, run=args.run, port=args.port)


def notebooks_command(args) -> int:
    """``coprod-eval notebooks``."""
    from ..base.paths import notebooks_dir

    print(notebooks_dir())
    return EXIT_OK


def portfolio_command(args) -> int:
    from ..portfolio.evaluate import run_portfolio

    info = run_portfolio(args.folder, workers=args.workers, scheduler=args.scheduler,
                         notebooks=args.notebooks, pdf=args.pdf, store=args.store,
                         progress=not args.no_progress and sys.stderr.isatty())
    print(f"Portfolio run {info.run_id} finished in {info.seconds:.1f} s: "
          f"{len(info.outcomes)} projects, {info.count('evaluated')} evaluated, "
          f"{info.count('unchanged')} unchanged, {info.count('failed')} failed"
          + (f" ({info.workers} Dask workers)" if info.workers else ""))
    for outcome in info.outcomes:
        if outcome["outcome"] == "failed":  # the details for the evaluator, here only
            print(f"FAILED {outcome['project']}: {printable(outcome['message'])}")
            for line in (outcome.get("detail") or "").splitlines():
                if line != outcome["message"]:
                    print(f"    {printable(line)}")
    print(f"Store:      {info.store}")
    print(f"Report:     {info.folder / 'report.html'}")
    if args.pdf:
        print(f"PDF:        {info.folder / 'report.pdf'}")
    print(f"Parquet:    {info.folder / 'parquet'}")
    print(f"Open the app: {program()} serve {args.folder}")
    if info.count("failed"):
        print(f"{info.count('failed')} project(s) could not be evaluated: they are listed in "
              "the report and left out of its figures.", file=sys.stderr)
        return EXIT_INVALID_INPUT
    return EXIT_OK
