"""Reading evidence tables as evaluators really have them: CSV or XLSX.

CSV files may be UTF-8 (with or without a byte-order mark), Windows-1252 (what Excel writes
by default in the UK) or UTF-16 (Excel's "Unicode text"), separated by commas, semicolons
or tabs; each is detected unless evaluation.yaml declares it. XLSX workbooks are read with
openpyxl, merged cells filled with their value as Excel shows them. Whatever is wrong with a
file becomes a ``file:row:column: what — fix`` problem; nothing here writes to a file.

Every cell comes back as text with outer spaces trimmed; blank rows (trailing ones
included) are skipped, and each row keeps the number a spreadsheet shows for it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InvalidInputError, Problem

ENCODINGS = ("auto", "utf-8", "utf-8-sig", "cp1252", "utf-16")
MAX_FILE_MB = 100  # default: far above any co-production survey; see limits.max_file_mb
MAX_UNPACKED_MB = 100  # a workbook's sheet and shared text may unpack to at most this
MAX_COLUMNS = 2_000  # no survey export is wider; see limits.max_columns
MAX_CELLS = 2_000_000  # cells in a worksheet (openpyxl holds each in memory); limits.max_cells
MAX_CELL_CHARS = 20_000  # a cell longer than this is not evidence a person wrote by hand

UNREADABLE = "the file cannot be opened ({detail})"
UNREADABLE_FIX = "check that it exists, is a file and that you may read it"
EMPTY_FILE = "the file is empty"
EMPTY_FILE_FIX = "save the table with its header row (coprod-eval init writes templates)"
TOO_BIG = "the file is {size:,.0f} MB, over the {limit} MB limit for one evidence file"
TOO_BIG_FIX = ("check it is the right file (a survey of 10,000 people is a few MB); if it is, "
               "raise limits.max_file_mb in evaluation.yaml")
BINARY = "the file is not text: it holds binary data ({detail})"
BINARY_FIX = ("export it again as CSV UTF-8 (Excel: Save As > CSV UTF-8) or as .xlsx, and "
              "check the file name points at the table")
BAD_ENCODING = "the file is not valid {encoding}: byte 0x{byte:02X} cannot be read"
BAD_ENCODING_FIX = ("set encoding: auto for this file in evaluation.yaml (utf-8, utf-8-sig, "
                    "cp1252 and utf-16 are detected), or save it as CSV UTF-8")
UTF16_NO_BOM = "the file seems to be UTF-16 text without the byte-order mark that says so"
UNKNOWN_ENCODING = ("cannot tell the file's text encoding: it is neither UTF-8 (byte 0x{byte:02X} "
                    "on this row) nor Windows-1252 ({detail})")
UNKNOWN_ENCODING_FIX = "open it in Excel or LibreOffice and save it as CSV UTF-8"
TOO_MANY_VALUES = "the row has {found} values but the header names {expected} columns"
TOO_MANY_VALUES_FIX = "remove the extra values, or quote a value that contains the separator"
LONG_CELL = "the cell holds {length:,} characters; the most accepted is {limit:,}"
LONG_CELL_FIX = "shorten it (split a long excerpt into several rows) or check the export"
BLANK_HEADER = "column {letter} has values but no header"
BLANK_HEADER_FIX = "give the column a name in the header row, or delete it"
DUPLICATE_HEADER = "the header '{header}' appears in columns {letters}"
DUPLICATE_HEADER_FIX = "rename one of them so every column has its own header"
OLD_EXCEL = "the file is an old-style Excel workbook (.xls) or a password-protected one"
OLD_EXCEL_FIX = "open it in Excel and save it as .xlsx (without a password) or as CSV UTF-8"
TOO_WIDE = "the table is {width:,} columns wide; the most accepted is {limit:,}"
TOO_WIDE_FIX = ("check the file (a cell far to the right, or the wrong separator); if the "
                "table really is that wide, raise limits.max_columns in evaluation.yaml")
NO_HEADER = "the file has no header row (row {row} is blank or missing)"
NO_HEADER_FIX = "put the column names in row {row}, or set header_row: in evaluation.yaml"
SHEET_FOR_CSV = "sheet '{sheet}' is set but the file is a CSV, which has no sheets"
SHEET_FOR_CSV_FIX = "remove sheet: from this file's entry in evaluation.yaml"

CHANGED_WHILE_READ = "the file changed while it was being read"
CHANGED_WHILE_READ_FIX = "wait until whoever is editing it has finished, then run again"
_RECORDERS: ContextVar[tuple[dict, ...]] = ContextVar("coprod_eval_reads", default=())

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class ReadOptions:
    """How to read one evidence file; "auto" detects."""

    encoding: str = "auto"
    delimiter: str = "auto"
    sheet: str | None = None
    header_row: int = 1  # spreadsheet row of the (first) header row
    header_rows: int = 1  # how many header rows (Qualtrics: 3)
    max_file_mb: float = MAX_FILE_MB
    max_unpacked_mb: float = MAX_UNPACKED_MB
    max_columns: int = MAX_COLUMNS
    max_cells: int = MAX_CELLS


@dataclass
class RawTable:
    """A table read from a file: header rows and data rows of text, with row numbers."""

    name: str  # how problems name the file
    headers: list[list[str]]  # header_rows rows, each as wide as the table
    rows: list[list[str]]  # data rows, padded to the table's width
    numbers: list[int]  # spreadsheet row number of each data row
    kind: str  # "csv" or "xlsx"
    encoding: str | None = None
    delimiter: str | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def header(self) -> list[str]:
        return self.headers[-1] if self.headers else []

    @property
    def header_row_number(self) -> int:
        return self._header_row

    _header_row: int = 1

    def frame(self, names: list[str] | None = None):
        """Data rows as a DataFrame of strings indexed by spreadsheet row number."""
        import pandas as pd  # here, not at the top: the command line reads YAML without it

        return pd.DataFrame(self.rows, columns=names or self.header,
                            index=pd.Index(self.numbers, name="row"), dtype=str)


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: how a spreadsheet names a column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """A → 0, Z → 25, AA → 26: the inverse of column_letter."""
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index - 1


def read_bytes(path: Path, name: str) -> bytes:
    """A file's bytes, or a problem saying why the operating system would not give them.

    Every read is recorded (the sha256 of exactly the bytes returned) by the
    :func:`recording_reads` blocks around it, so a run's manifest names the bytes that were
    parsed, not a later look at the file.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise table_error(name, None, UNREADABLE.format(detail=exc.strerror or exc),
                    UNREADABLE_FIX) from None
    recorders = _RECORDERS.get()
    if recorders:
        digest = hashlib.sha256(data).hexdigest()
        key = Path(path).resolve()
        for record in recorders:
            if record.get(key, digest) != digest:
                raise table_error(name, None, CHANGED_WHILE_READ, CHANGED_WHILE_READ_FIX)
            record[key] = digest
    return data


@contextmanager
def recording_reads() -> Iterator[dict[Path, str]]:
    """Within the block, every file read through :func:`read_bytes` is recorded as
    {real path: sha256 of the bytes read}."""
    record: dict[Path, str] = {}
    token = _RECORDERS.set((*_RECORDERS.get(), record))
    try:
        yield record
    finally:
        _RECORDERS.reset(token)


def mb_text(value: float) -> str:
    return f"{value:g}"


def table_error(name, row, what, fix, column=None) -> InvalidInputError:
    return InvalidInputError([Problem(name, row, column, what, fix)])


# --- CSV ---------------------------------------------------------------------------------

def decode(data: bytes, name: str, encoding: str = "auto") -> tuple[str, str]:
    """Bytes → (text, encoding used); a clear problem when the bytes are not text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) and encoding in ("auto", "utf-16"):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise table_error(name, None, BINARY.format(detail=f"broken UTF-16: {exc.reason}"),
                        BINARY_FIX) from None
    if b"\x00" in data:
        head = data[:400]
        if len(head) > 8 and (head[1::2].count(0) > len(head) // 3 or
                              head[0::2].count(0) > len(head) // 3):
            raise table_error(name, None, UTF16_NO_BOM, UNKNOWN_ENCODING_FIX)
        raise table_error(name, None, BINARY.format(detail="it contains NUL bytes"), BINARY_FIX)
    if encoding != "auto":
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise table_error(name, _row_of(data, exc.start), BAD_ENCODING.format(
                encoding=encoding, byte=data[exc.start]), BAD_ENCODING_FIX) from None
        used = encoding
    elif data.startswith(b"\xef\xbb\xbf"):
        try:
            text, used = data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise table_error(name, _row_of(data, exc.start), BAD_ENCODING.format(
                encoding="UTF-8 (it starts with a UTF-8 byte-order mark)",
                byte=data[exc.start]), UNKNOWN_ENCODING_FIX) from None
    else:
        try:
            text, used = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as utf8:
            try:
                text, used = data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError as exc:
                raise table_error(name, _row_of(data, utf8.start), UNKNOWN_ENCODING.format(
                    byte=data[utf8.start],
                    detail=f"byte 0x{data[exc.start]:02X} is undefined there"),
                    UNKNOWN_ENCODING_FIX) from None
    control = _CONTROL.search(text)
    if control:
        raise table_error(name, text.count("\n", 0, control.start()) + 1, BINARY.format(
            detail=f"control character U+{ord(control.group()):04X}"), BINARY_FIX)
    return text, used


def _row_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


# --- XLSX --------------------------------------------------------------------------------


# --- both --------------------------------------------------------------------------------

def assemble(records, name, kind, options: ReadOptions, problems) -> RawTable:
    """Numbered records → header rows + data rows, blank rows skipped, widths checked."""
    start = options.header_row
    head = [(n, r) for n, r in records if n >= start][: options.header_rows]
    body = [(n, r) for n, r in records if n >= start][options.header_rows:]
    if not head or head[0][0] != start or not any(c.strip() for c in head[0][1]):
        if not any(any(c.strip() for c in r) for _, r in records):
            raise table_error(name, 1, EMPTY_FILE, EMPTY_FILE_FIX)
        raise table_error(name, start, NO_HEADER.format(row=start), NO_HEADER_FIX.format(row=start))
    width = max(len(r) for _, r in head)
    used = body if kind == "xlsx" else []  # a worksheet column with values needs a header
    while width and not any(len(r) >= width and r[width - 1].strip() for _, r in head + used):
        width -= 1  # trailing empty cells (Excel pads rows)
    headers = [[c.strip() for c in r] + [""] * (width - len(r)) for _, r in head]
    headers = [h[:width] for h in headers]
    rows, numbers = [], []
    for number, record in body:
        if not any(cell.strip() for cell in record):
            continue
        record = [cell.strip() for cell in record] + [""] * (width - len(record))
        extra = [c for c in record[width:] if c]
        if extra:
            problems.append(Problem(name, number, None, TOO_MANY_VALUES.format(
                found=width + len(extra), expected=width), TOO_MANY_VALUES_FIX))
        record = record[:width]
        for i, cell in enumerate(record):
            if len(cell) > MAX_CELL_CHARS:
                problems.append(Problem(name, number, headers[-1][i] or column_letter(i),
                                        LONG_CELL.format(length=len(cell), limit=MAX_CELL_CHARS),
                                        LONG_CELL_FIX))
                record[i] = cell[:MAX_CELL_CHARS]
        rows.append(record)
        numbers.append(number)
    table = RawTable(name, headers, rows, numbers, kind, problems=problems)
    table._header_row = start + options.header_rows - 1
    return table


def check_header(table: RawTable) -> None:
    header = table.header
    for i, title in enumerate(header):
        if not title and any(row[i] for row in table.rows):
            table.problems.append(Problem(table.name, table.header_row_number, column_letter(i),
                                          BLANK_HEADER.format(letter=column_letter(i)),
                                          BLANK_HEADER_FIX))


def duplicate_headers(table: RawTable) -> list[Problem]:
    """Headers used by more than one column (a problem where columns are named by header)."""
    seen: dict[str, list[int]] = {}
    for i, title in enumerate(table.header):
        if title:
            seen.setdefault(title, []).append(i)
    return [Problem(table.name, table.header_row_number, title, DUPLICATE_HEADER.format(
        header=short(title), letters=", ".join(column_letter(i) for i in where)),
        DUPLICATE_HEADER_FIX) for title, where in seen.items() if len(where) > 1]


def short(text: str, limit: int = 60) -> str:
    """Text cut to ``limit`` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- formula injection ---------------------------------------------------------------------

FORMULA = re.compile(r"""^\s*(=|@\w|[+\-]\s*[A-Za-z_]+\w*\s*[(|!]|[+\-]\s*\d[\d.]*\s*[+\-*/^&]
                          |[+\-].*(cmd|powershell|\|\s*'))""", re.X | re.I)
LOOKS_LIKE_FORMULA = "'{value}' looks like a spreadsheet formula, not evidence"
LOOKS_LIKE_FORMULA_FIX = ("check the source: spreadsheet formulas are refused because they can "
                          "run when a file is opened; if these really are someone's words, "
                          "start the cell with an apostrophe (')")


def looks_like_formula(value: str) -> bool:
    """True for text a spreadsheet would run as a formula (=…, @…, +cmd|…, -2+3+…)."""
    return bool(FORMULA.match(value))


def neutralise(value):
    """A value safe to put in a CSV or XLSX cell: text that a spreadsheet would run as a
    formula gets a leading apostrophe (OWASP's advice); numbers are left as numbers."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r", "|"):
        return "'" + value
    return value
