"""Reading a CSV table as evaluators have them: its encoding and delimiter found, its rows
bounded, and a quote left open or a line that is no table's named."""

from __future__ import annotations

import csv
import io
import itertools

from .errors import Problem, Problems
from .tables import (
    EMPTY_FILE,
    EMPTY_FILE_FIX,
    TOO_WIDE,
    TOO_WIDE_FIX,
    RawTable,
    ReadOptions,
    assemble,
    decode,
    short,
    table_error,
)

DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
MAX_LINE_CHARS = 2_000_000  # one line of a CSV file (a header, a row)
CSV_FIELD_LIMIT = 10 * 2**20
ONE_COLUMN = ("the header row is a single column, '{header}': the file seems to be separated "
              "by {found}, not {expected}")
ONE_COLUMN_FIX = ("set delimiter: auto (comma, semicolon and tab are detected) or save the "
                  "file with commas")
ODD_DELIMITER = ("the header row is a single column, '{header}': the values seem to be "
                 "separated by '{found}'")
ODD_DELIMITER_FIX = "save the file with commas, semicolons or tabs between values"
BROKEN_CSV = "the CSV cannot be read from here on: {detail}"
BROKEN_CSV_FIX = ("look for an unclosed quote (\") or a cell far too long on this row; export "
                  "the file again")
UNCLOSED_QUOTE = "a quoted value opened on this row is never closed"
UNCLOSED_QUOTE_FIX = ("close the quote (\") or remove it: a value holding the separator or a "
                      "line break must be quoted at both ends")
LONG_LINE = "line {row} is {length:,} characters long without a line break"
LONG_LINE_FIX = ("this is not a table a person made: check it is the right file (a CSV has "
                 "one row of values per line)")


def sniff_delimiter(line: str) -> str:
    """The candidate delimiter appearing most often outside quotes in the header line."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(data: bytes, name: str, options: ReadOptions) -> RawTable:
    text, encoding = decode(data, name, options.encoding)
    if not text.strip():
        raise table_error(name, 1, EMPTY_FILE, EMPTY_FILE_FIX)
    start = _long_line(text)
    if start is not None:
        end = text.find("\n", start)
        row = text.count("\n", 0, start) + 1
        raise table_error(name, row, LONG_LINE.format(
            row=row, length=(len(text) if end < 0 else end) - start), LONG_LINE_FIX)
    lines = itertools.islice(io.StringIO(text, newline=""), options.header_row - 1, None)
    first = next((line for line in lines if line.strip()), "")
    declared = {"comma": ",", "semicolon": ";", "tab": "\t"}.get(options.delimiter,
                                                                  options.delimiter)
    delimiter = sniff_delimiter(first) if declared == "auto" else declared
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    problems = Problems()
    # the csv module's field limit is process-wide: raised for this read, then put back
    previous_limit = csv.field_size_limit(CSV_FIELD_LIMIT)
    try:
        line = 1
        for record in reader:
            if len(record) > options.max_columns:
                if not records:  # the header: nothing after it can be read as a table
                    raise table_error(name, line, TOO_WIDE.format(
                        width=len(record), limit=options.max_columns), TOO_WIDE_FIX)
                record = record[:options.max_columns + 1]  # enough to say it is too long
            records.append((line, record))
            line = reader.line_num + 1
    except csv.Error as exc:
        problems.append(Problem(name, reader.line_num + 1, None,
                                BROKEN_CSV.format(detail=exc), BROKEN_CSV_FIX))
    finally:
        csv.field_size_limit(previous_limit)
    if records and any("\n" in f or "\r" in f for f in records[-1][1]) and _unclosed_quote(
            text, records[-1][0], delimiter):
        start = records.pop()[0]  # it swallowed every line after it
        problems.append(Problem(name, start, None, UNCLOSED_QUOTE, UNCLOSED_QUOTE_FIX))
    table = assemble(records, name, "csv", options, problems)
    table.encoding, table.delimiter = encoding, delimiter
    header = table.header
    if len(header) == 1 and header[0]:  # a wrong separator explains every other problem
        others = [d for d in DELIMITERS if d != delimiter and d in header[0]]
        odd = next((c for c in "|:^~" if c in header[0]), None)
        if others:
            raise table_error(name, table.header_row_number, ONE_COLUMN.format(
                header=short(header[0]), found=DELIMITERS[others[0]],
                expected=DELIMITERS[delimiter]), ONE_COLUMN_FIX)
        if odd:
            raise table_error(name, table.header_row_number, ODD_DELIMITER.format(
                header=short(header[0]), found=odd), ODD_DELIMITER_FIX)
    return table


def _long_line(text: str) -> int | None:
    """Where the first line longer than MAX_LINE_CHARS starts, or None. Jumps from the last
    line break in each window, so it costs a few steps even for a file of many lines."""
    position = 0
    while position + MAX_LINE_CHARS < len(text):
        last = text.rfind("\n", position, position + MAX_LINE_CHARS + 1)
        if last < 0:
            return position
        position = last + 1
    return None


def _unclosed_quote(text: str, start: int, delimiter: str) -> bool:
    """True when the record starting on line ``start`` opens a quote that never closes (it
    then runs to the end of the file); only the last record can do that."""
    tail = "".join(text.splitlines(keepends=True)[start - 1:])
    try:
        for _ in csv.reader(io.StringIO(tail, newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False
