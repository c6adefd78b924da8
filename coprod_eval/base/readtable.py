"""An evidence table read, whatever it is: a CSV (tables.py), an XLSX workbook (xlsx.py) or
an SPSS data file (savfile.py), bounded and checked before it is parsed."""

from __future__ import annotations

from pathlib import Path

from .csvtable import read_csv
from .savfile import is_sav, read_sav
from .tables import (
    EMPTY_FILE,
    EMPTY_FILE_FIX,
    OLD_EXCEL,
    OLD_EXCEL_FIX,
    OLE_MAGIC,
    SHEET_FOR_CSV,
    SHEET_FOR_CSV_FIX,
    TOO_BIG,
    TOO_BIG_FIX,
    UNREADABLE,
    UNREADABLE_FIX,
    ZIP_MAGIC,
    RawTable,
    ReadOptions,
    check_header,
    mb_text,
    read_bytes,
    table_error,
)
from .xlsx import read_xlsx


def read_raw(path: Path, name: str, options: ReadOptions = ReadOptions()) -> RawTable:
    """Read a CSV, XLSX or SPSS evidence file; raise InvalidInputError when it cannot be
    read."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise table_error(name, None, UNREADABLE.format(detail=exc.strerror or exc),
                    UNREADABLE_FIX) from None
    if size > options.max_file_mb * 2**20:
        raise table_error(name, None, TOO_BIG.format(
            size=size / 2**20, limit=mb_text(options.max_file_mb)), TOO_BIG_FIX)
    data = read_bytes(path, name)
    if not data.strip():
        raise table_error(name, 1, EMPTY_FILE, EMPTY_FILE_FIX)
    if data.startswith(OLE_MAGIC):
        raise table_error(name, None, OLD_EXCEL, OLD_EXCEL_FIX)
    if is_sav(path, data):
        table = read_sav(path, name, options)
    elif data.startswith(ZIP_MAGIC) or path.suffix.lower() in (".xlsx", ".xlsm"):
        table = read_xlsx(data, name, options)
    else:
        if options.sheet:
            raise table_error(name, None, SHEET_FOR_CSV.format(sheet=options.sheet),
                        SHEET_FOR_CSV_FIX)
        table = read_csv(data, name, options)
    check_header(table)
    return table
