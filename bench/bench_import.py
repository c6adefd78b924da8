"""Benchmark: reading survey-tool exports at scale.

A Qualtrics CSV of 100,000 responses x 24 items (three header rows, Windows-1252, semicolons,
a few unfinished responses and resubmissions) and a Microsoft Forms workbook of 10,000
responses, each read and validated by load_evidence() in a fresh process. Targets: each in
at most 30 s and 2 GB peak memory (a file at the default 100 MB limit then stays well under
the machine's memory).

    .venv/bin/python bench/bench_import.py        (also part of make bench)
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from conftest import GENUINE, copy_sample  # noqa: E402
from exportkit import Mess, Respondent, instrument_items, use_survey_entry, write_export  # noqa: E402

TARGET_S, TARGET_MB = 30, 2048
MEASURE = """
import json, resource, sys, time
t0 = time.perf_counter()
from coprod_eval.inputs.load import load_evaluation
from coprod_eval.inputs.evidence import load_evidence
evidence = load_evidence(load_evaluation(sys.argv[1]))
seconds = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak,
                  "respondents": int(evidence.survey.codes.shape[0]),
                  "notes": list(evidence.notes)}))
"""


def people(n: int, seed: int) -> list[Respondent]:
    rng = random.Random(seed)
    items = [i["id"] for i in instrument_items()]
    out = []
    for k in range(n):
        answers = {i: rng.choice((1, 2, 3, 4, 4, 5, None)) for i in items}
        out.append(Respondent(f"R_{k:07d}", "staff" if k % 3 == 0 else "partner", answers,
                              {i: "N/A" for i, v in answers.items() if v is None},
                              finished=k % 50 != 0))
    return out


def measure(fmt: str, n: int, mess: Mess, tmp: Path) -> dict:
    folder = copy_sample(GENUINE, tmp / fmt)
    persons = people(n, 20261125)
    mess.duplicates = [Respondent(p.rid, p.role, dict.fromkeys(p.answers, 3))
                       for p in persons[:: max(1, n // 100)]]
    entry = write_export(fmt, folder, persons, mess)
    use_survey_entry(folder, entry)
    size = (folder / entry["file"]).stat().st_size / 2**20
    out = subprocess.run([sys.executable, "-c", MEASURE, str(folder)], capture_output=True,
                         text=True, check=True)
    return {**json.loads(out.stdout), "size_mb": size}


def report(label: str, m: dict) -> None:
    met = m["seconds"] <= TARGET_S and m["peak_mb"] <= TARGET_MB
    print(f"{label}: {m['size_mb']:.1f} MB file, {m['respondents']:,} respondents read")
    print(f"  time {m['seconds']:.1f} s, process peak RSS {m['peak_mb']:.0f} MiB "
          f"(targets <= {TARGET_S} s, <= {TARGET_MB} MiB: {'met' if met else 'NOT met'})")
    for note in m["notes"][1:]:
        print(f"  {note[:150]}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        report("Qualtrics CSV, 100,000 responses x 24 items, cp1252, semicolons",
               measure("qualtrics", 100_000, Mess(encoding="cp1252", delimiter=";"), tmp))
        report("Microsoft Forms XLSX, 10,000 responses x 48 item columns (staff + partner)",
               measure("microsoft_forms", 10_000, Mess(), tmp))


if __name__ == "__main__":
    main()
