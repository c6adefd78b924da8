"""Benchmark: what a `coprod-eval run` of a sample costs, next to one bare notebook run.

A run's cost is dominated by kernel starts: papermill running a notebook that only imports
pandas and altair takes about 4 s here. The target is a sample run within 1.5x of that.

    make bench          (or: .venv/bin/python bench/bench_run.py [--repeat N])
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SAMPLE = REPO / "data_samples" / "involvement-as-coproduction"
TARGET_RATIO = 1.5


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def check_bare(notebook: Path) -> None:
    """The denominator must pay what any kernel of ours pays: importing pandas and altair.
    (ruff's --fix once emptied this notebook, as its imports look unused, and the ratio
    doubled without anyone touching the run.)"""
    import nbformat

    source = "\n".join(c.source for c in nbformat.read(notebook, as_version=4).cells)
    for module in ("pandas", "altair"):
        if f"import {module}" not in source:
            sys.exit(f"{notebook} no longer imports {module}: restore it before measuring")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=11)
    args = parser.parse_args()
    from coprod_eval.runs.kernel import kernel_name

    kernel = kernel_name()
    check_bare(REPO / "bench" / "bare.ipynb")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        folder = tmp / SAMPLE.name
        shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("runs"))
        bare_cmd = [str(BIN / "papermill"), "--no-progress-bar", "-k", kernel,
                    str(REPO / "bench" / "bare.ipynb"), str(tmp / "bare-out.ipynb")]
        run_cmd = [str(BIN / "coprod-eval"), "run", str(folder), "--no-progress"]
        timed(bare_cmd, tmp)  # warm the file cache once for both
        timed(run_cmd, tmp)
        bare, run = [], []
        for _ in range(args.repeat):  # interleaved, so machine noise hits both alike
            bare.append(timed(bare_cmd, tmp))
            run.append(timed(run_cmd, tmp))
    bare_s, run_s = statistics.median(bare), statistics.median(run)
    ratio = run_s / bare_s
    print(f"bare notebook (papermill, imports pandas+altair): median {bare_s:.2f} s "
          f"over {args.repeat} runs (min {min(bare):.2f}, max {max(bare):.2f})")
    print(f"coprod-eval run {SAMPLE.name}: median {run_s:.2f} s "
          f"over {args.repeat} runs (min {min(run):.2f}, max {max(run):.2f})")
    print(f"ratio run / bare: {ratio:.2f}  (target <= {TARGET_RATIO}: "
          f"{'met' if ratio <= TARGET_RATIO else 'NOT met'})")


if __name__ == "__main__":
    main()
