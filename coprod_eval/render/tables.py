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

from ..base.tables import neutralise
from ..results import EvaluationResult
from .words import _
from .words.catalog import N_
from .words.figures import band_text, delta_text
from .words.truths import truth_text

WITHHELD = N_("withheld (fewer than {n} people)")
CSV_FILES = ("principles.csv", "truths.csv", "quotes.csv")
XLSX_FILE = "results.xlsx"


def tables(result: EvaluationResult) -> dict[str, tuple[list[str], list[list]]]:
    """name → (header, rows) of every exported table."""
    threshold = result.privacy.get("min_group_size")
    withheld = _(WITHHELD, n=threshold)
    # partners' groups first, then staff; each compared group after its reference
    groups = sorted(result.groups, key=lambda g: g["side"] != "partner")
    pairs = [(g["id"], next(r["id"] for r in result.groups if r["reference"]))
             for g in result.groups if not g["reference"] and any(
                 r["reference"] for r in result.groups)]

    def figure(value, suppressed=False):
        return withheld if suppressed else ("" if value is None else value)

    principles = []
    for p in result.principles:
        cells = []
        for g in groups:
            stats = p.groups.get(g["id"])
            hidden = bool(stats and stats.suppressed)
            share = None if not stats else (stats.pct_agree if stats.pct_agree_band is None
                                            else band_text(stats.pct_agree_band))  # a band
            cells += [figure(stats.n if stats else None, hidden), figure(share, hidden)]
        principles.append([
            p.name, result.rating(p.rating)["label"], result.rating(p.computed_rating)["label"],
            (p.override or {}).get("reason", ""),
            result.rating(p.claimed_rating)["label"] if p.claimed_rating else "",
            p.confidence, *cells,
            _("{low} to {high}", low=result.rating(p.rating_range[0])["label"],
              high=result.rating(p.rating_range[1])["label"]),
            _("yes") if p.stable else _("no"),
            *[value for pair in pairs for value in _comparison(p, *pair)],
        ])
    label = result.group_label
    header = [_("principle"), _("rating"), _("computed rating"), _("override reason"),
              _("claimed rating"), _("confidence")]
    for g in groups:
        header += [_("{group}: people (rounded)", group=g["label"]),
                   _("{group}: % agreeing (or a band)", group=g["label"])]
    header += [_("plausible range"), _("holds without any one person or record")]
    for group, reference in pairs:
        values = dict(group=label(group).lower(), reference=label(reference).lower())
        header += [_("typical {group} score", **values),
                   _("typical {reference} score (against {group})", **values),
                   _("Cliff's delta ({group} over {reference})", **values),
                   _("difference established ({group} and {reference})", **values)]
    names = {p.id: p.name for p in result.principles}
    truths = [[t["rank"], names.get(t["principle"], ""), truth_text(result, t)]
              for t in result.overall.inconvenient_truths]
    quotes = [[p.name, q.get("code", ""), q.get("source", ""), q.get("text", "")]
              for p in result.principles for q in p.quotes]
    return {
        "principles": (header, principles),
        "truths": ([_("rank"), _("principle"), _("inconvenient truth")], truths),
        "quotes": ([_("principle"), _("code"), _("source"), _("de-identified quote")], quotes),
    }


def _comparison(principle, group: str, reference: str) -> list:
    found = [c for c in principle.comparisons
             if c.group == group and c.reference == reference and c.shown]
    if not found:
        return ["", "", "", _("not compared (a group is too small)")]
    c = found[0]
    # Cliff's delta as a number, or its size band as words when it is published as one
    delta = c.effect_size if c.effect_size is not None else delta_text(None, c.effect_band)
    return [c.typical[0], c.typical[1], delta,
            _("yes") if c.finding else _("no")]


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
    path.write_bytes(_reproducible_xlsx(book))
    written.append(path)
    return written


def _reproducible_xlsx(book) -> bytes:
    """The workbook's bytes, the same for the same results: openpyxl stamps the time of
    saving in the document properties and in every zip entry; both are fixed here."""
    import datetime as dt
    import zipfile

    from openpyxl.writer.excel import ExcelWriter

    fixed = dt.datetime(2000, 1, 1)
    book.properties.created = book.properties.modified = fixed
    first = io.BytesIO()
    with zipfile.ZipFile(first, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    out = io.BytesIO()
    with zipfile.ZipFile(first) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
