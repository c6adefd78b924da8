"""Reading an XLSX workbook as evaluators have them, bounded before openpyxl opens it: its size
unpacked, its sheets, its cells and merged areas (tables.py reads CSV and holds what both
share)."""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from datetime import date, datetime, time

from .tables import (
    TOO_WIDE,
    TOO_WIDE_FIX,
    RawTable,
    ReadOptions,
    assemble,
    column_index,
    column_letter,
    table_error,
)

NOT_XLSX = "the file is not a readable .xlsx workbook ({detail})"
NOT_XLSX_FIX = "open it in Excel or LibreOffice and save it again as .xlsx, or as CSV UTF-8"
XLSX_BOMB = ("the workbook's {part} unpacks to more than {limit:g} MB, more than any "
             "evidence table needs")
XLSX_BOMB_FIX = ("check it is the right file and save only the sheet with the evidence; if it "
                 "really is that large, raise limits.max_unpacked_mb in evaluation.yaml")
XLSX_TOO_MANY_CELLS = "the worksheet holds more than {limit:,} cells"
XLSX_TOO_MANY_CELLS_FIX = ("save only the evidence on its own sheet; if the table really is "
                           "that large, raise limits.max_cells in evaluation.yaml")
MERGED_TOO_BIG = "a merged cell covers {area:,} cells ({range})"
MERGED_TOO_BIG_FIX = "unmerge it, or save the evidence on a sheet of its own"
NO_SHEETS = "the workbook has no worksheets"
NO_SHEETS_FIX = "save the workbook with the evidence on a worksheet"
NO_SUCH_SHEET = "the workbook has no sheet '{sheet}'; it has: {sheets}"
NO_SUCH_SHEET_FIX = "set sheet: in evaluation.yaml to one of those names"

_MERGED = re.compile(rb'<mergeCell\s+ref="([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})"')


def read_xlsx(data: bytes, name: str, options: ReadOptions) -> RawTable:
    import openpyxl

    check_workbook(data, name, options)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it does not read
            book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:
        if "no worksheet" in str(exc).lower() or "sheets" in str(exc).lower():
            raise table_error(name, None, NO_SHEETS, NO_SHEETS_FIX) from None
        detail = str(exc).split("\n")[0][:120] or type(exc).__name__
        raise table_error(name, None, NOT_XLSX.format(detail=detail), NOT_XLSX_FIX) from None
    sheets = book.sheetnames
    if not sheets:
        raise table_error(name, None, NO_SHEETS, NO_SHEETS_FIX)
    if options.sheet is not None and options.sheet not in sheets:
        raise table_error(name, None, NO_SUCH_SHEET.format(sheet=options.sheet, sheets=", ".join(
            f"'{s}'" for s in sheets)), NO_SUCH_SHEET_FIX)
    sheet = book[options.sheet or sheets[0]]
    display = f"{name}[{sheet.title}]" if len(sheets) > 1 else name
    # The cells that exist, never the whole rectangle up to the farthest one (a single cell
    # at XFD1048576 would otherwise mean 17 billion empty ones).
    cells: dict[int, list[str]] = {}
    for (r, c), cell in sorted(sheet._cells.items()):
        text = _cell_text(cell.value)
        if not text:
            continue
        if c > options.max_columns:
            raise table_error(display, r, TOO_WIDE.format(width=c, limit=options.max_columns),
                        TOO_WIDE_FIX, column=column_letter(c - 1))
        line = cells.setdefault(r, [])
        line += [""] * (c - len(line))
        line[c - 1] = text
    for merged in sheet.merged_cells.ranges:  # show merged cells as Excel does
        area = (merged.max_row - merged.min_row + 1) * (merged.max_col - merged.min_col + 1)
        if area > options.max_cells or merged.max_col > options.max_columns:
            raise table_error(display, merged.min_row, MERGED_TOO_BIG.format(
                area=area, range=merged.coord), MERGED_TOO_BIG_FIX,
                column=column_letter(merged.min_col - 1))
        value = _cell_text(sheet._cells[(merged.min_row, merged.min_col)].value
                           if (merged.min_row, merged.min_col) in sheet._cells else None)
        for r in range(merged.min_row, merged.max_row + 1):
            line = cells.setdefault(r, [])
            line += [""] * (merged.max_col - len(line))
            for c in range(merged.min_col - 1, merged.max_col):
                line[c] = value
    width = max((len(line) for line in cells.values()), default=0)
    records = [(r, line + [""] * (width - len(line))) for r, line in sorted(cells.items())]
    return assemble(records, display, "xlsx", options, [])


def check_workbook(data: bytes, name: str, options: ReadOptions) -> None:
    """Refuse a workbook that would cost too much before openpyxl builds any of it: every
    worksheet and the shared text are unpacked as a stream (never in full) and measured,
    and their cells counted."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = [info for info in archive.infolist()
                 if info.filename.startswith("xl/worksheets/") or
                 info.filename in ("xl/sharedStrings.xml", "xl/workbook.xml")]
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise table_error(name, None, NOT_XLSX.format(detail=exc), NOT_XLSX_FIX) from None
    budget = options.max_unpacked_mb * 2**20
    unpacked = cells = 0
    for info in parts:
        try:
            with archive.open(info) as stream:
                tail = b""
                while chunk := stream.read(1 << 20):
                    unpacked += len(chunk)
                    if unpacked > budget:
                        raise table_error(name, None, XLSX_BOMB.format(
                            part=_part_name(info.filename), limit=options.max_unpacked_mb),
                            XLSX_BOMB_FIX)
                    if info.filename.startswith("xl/worksheets/"):
                        joined = tail + chunk
                        cells += joined.count(b"<c ") + joined.count(b"<c>") - (
                            tail.count(b"<c ") + tail.count(b"<c>"))
                        for merged in _MERGED.finditer(joined):  # openpyxl fills every cell
                            if merged.end() > len(tail):  # not counted with the last chunk
                                cells += _area(*merged.groups())
                        tail = chunk[-80:]
                        if cells > options.max_cells:
                            raise table_error(name, None, XLSX_TOO_MANY_CELLS.format(
                                limit=options.max_cells), XLSX_TOO_MANY_CELLS_FIX)
        except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
            raise table_error(name, None, NOT_XLSX.format(detail=str(exc)[:120]),
                        NOT_XLSX_FIX) from None


def _area(first_col: bytes, first_row: bytes, last_col: bytes, last_row: bytes) -> int:
    columns = column_index(last_col.decode()) - column_index(first_col.decode()) + 1
    return max(0, columns) * max(0, int(last_row) - int(first_row) + 1)


def _part_name(filename: str) -> str:
    if filename == "xl/sharedStrings.xml":
        return "shared text"
    return "worksheet " + filename.rsplit("/", 1)[-1].removesuffix(".xml")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return (value.date().isoformat() if value.time() == time() else
                value.isoformat(sep=" ", timespec="seconds"))
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
