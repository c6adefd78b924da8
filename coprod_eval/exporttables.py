"""The run's findings as tables a commissioner can open in a spreadsheet.

``principles.csv``, ``truths.csv`` and ``quotes.csv`` (UTF-8 with a byte-order mark, so Excel
reads them right) and ``results.xlsx`` holding the same three sheets. Every text cell that a
spreadsheet would run as a formula (=, +, -, @, tab, carriage return) is neutralised: in CSV
with a leading apostrophe, in XLSX by storing it as plain text with Excel's quote prefix. The
tables carry only what results.json carries: suppressed figures stay withheld.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .results import EvaluationResult
from .tables import neutralise

WITHHELD = "withheld (fewer than {n} people)"
CSV_FILES = ("principles.csv", "truths.csv", "quotes.csv")
XLSX_FILE = "results.xlsx"


def tables(result: EvaluationResult) -> dict[str, tuple[list[str], list[list]]]:
    """name → (header, rows) of every exported table."""
    staff, partner = result.group_label("staff"), result.group_label("partner")
    threshold = result.privacy.get("min_group_size")
    withheld = WITHHELD.format(n=threshold)

    def figure(value, suppressed=False):
        return withheld if suppressed else ("" if value is None else value)

    principles = []
    for p in result.principles:
        s, c = p.groups.get("staff"), p.groups.get("partner")
        principles.append([
            p.name, result.rating(p.rating)["label"], result.rating(p.computed_rating)["label"],
            (p.override or {}).get("reason", ""),
            result.rating(p.claimed_rating)["label"] if p.claimed_rating else "",
            p.confidence,
            figure(c.n if c else None, bool(c and c.suppressed)),
            figure(c.pct_agree if c else None, bool(c and c.suppressed)),
            figure(s.n if s else None, bool(s and s.suppressed)),
            figure(s.pct_agree if s else None, bool(s and s.suppressed)),
            f"{p.rating_range[0]} to {p.rating_range[1]}",
            "yes" if p.stable else "no",
            *_comparison(p),
        ])
    names = {p.id: p.name for p in result.principles}
    truths = [[t.get("rank"), names.get(t.get("principle"), ""), t.get("text", "")]
              for t in result.overall.inconvenient_truths]
    quotes = [[p.name, q.get("code", ""), q.get("source", ""), q.get("text", "")]
              for p in result.principles for q in p.quotes]
    return {
        "principles": (["principle", "rating", "computed rating", "override reason",
                        "claimed rating", "confidence", f"{partner}: people (rounded)",
                        f"{partner}: % agreeing", f"{staff}: people (rounded)",
                        f"{staff}: % agreeing", "plausible range",
                        "holds without any one person or record",
                        f"typical {partner} score", f"typical {staff} score",
                        "Cliff's delta (partners over staff)", "difference established"],
                       principles),
        "truths": (["rank", "principle", "inconvenient truth"], truths),
        "quotes": (["principle", "code", "source", "de-identified quote"], quotes),
    }


def _comparison(principle) -> list:
    shown = [c for c in principle.comparisons if c.shown]
    if not shown:
        return ["", "", "", "not compared (a group is too small)"]
    c = shown[0]
    return [c.typical[0], c.typical[1], c.effect_size, "yes" if c.finding else "no"]


def write_tables(result: EvaluationResult, folder: Path) -> list[Path]:
    """Write the CSV files and results.xlsx; every cell neutralised against formulas."""
    from openpyxl import Workbook

    written = []
    book = Workbook()
    book.remove(book.active)
    for name, (header, rows) in tables(result).items():
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([neutralise(h) for h in header])
        writer.writerows([[neutralise(v) for v in row] for row in rows])
        path = folder / f"{name}.csv"
        path.write_text(out.getvalue(), encoding="utf-8-sig")
        written.append(path)
        sheet = book.create_sheet(name)
        for r, row in enumerate([header, *rows], start=1):
            for c, value in enumerate(row, start=1):
                cell = sheet.cell(r, c)
                if isinstance(value, str):
                    cell.value = value
                    cell.data_type = "s"  # text, never a formula, whatever it starts with
                    if neutralise(value) != value:
                        cell.quotePrefix = True
                else:
                    cell.value = value
    path = folder / XLSX_FILE
    book.save(path)
    written.append(path)
    return written
