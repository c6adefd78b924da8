"""The survey formats coprod-eval reads, as a registry: what each tool's export looks like.

Everything that differs between tools is a field here (its id columns, columns that are
never answers, header rows, how it marks an unfinished response, whether it needs a data
dictionary, how to recognise it). No other module compares a format's name: they ask the
registry. Adding a tool is adding an entry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ...base.frozen import FrozenDict
from ...yardsticks.instrument import normalise


@dataclass(frozen=True)
class Layout:
    """How answers are laid out in a file, and so what evaluation.yaml says to read it."""

    id: str
    mapped: bool  # read through a mapping in evaluation.yaml (not: our own template, as is)
    one_row_per_answer: bool  # a row per answer (an item column); else a row per person
    lists_items: bool  # the mapping lists the export's question columns
    needs: tuple[str, ...] = ()  # survey keys it must be given
    unused: tuple[str, ...] = ()  # survey keys that do not apply to it
    duplicates: str = "keep_last"  # a respondent who answered twice, by default


OWN = Layout("coprod", mapped=False, one_row_per_answer=True, lists_items=False,
             unused=("respondent_id", "group", "items", "item_column", "response_column",
                     "answers", "header_rows", "duplicates", "partial", "ignore"),
             duplicates="refuse")
LONG = Layout("long", mapped=True, one_row_per_answer=True, lists_items=False,
              needs=("item_column", "response_column"))
WIDE = Layout("wide", mapped=True, one_row_per_answer=False, lists_items=True,
              unused=("item_column", "response_column"))


@dataclass(frozen=True)
class Format:
    """What one tool's export looks like."""

    id: str
    name: str  # how messages and evaluation.yaml's comments name it
    layout: Layout  # OWN (our template), LONG (one row per answer), WIDE (one per person)
    id_columns: tuple[str, ...] = ()  # the first present is the respondent id by default
    metadata: tuple[str, ...] = ()  # columns that are never answers
    metadata_prefixes: tuple[str, ...] = ()  # columns starting so are never answers
    metadata_suffixes: tuple[str, ...] = ()  # …or ending so
    header_rows: int = 1
    finished: tuple[str, tuple[str, ...]] | None = None  # (column, values meaning finished)
    # columns ending so must all say complete for a response to be finished (REDCap)
    complete_suffix: str | None = None
    complete_values: tuple[str, ...] = ()
    first_column_is_id: bool = False  # the id when no id column is named or found
    needs_dictionary: bool = False  # choice labels come from a data dictionary file
    takes_dictionary: bool = False  # …or may (Qualtrics' .qsf, for numeric exports)
    text_row: int = -1  # the header row holding the question's words (-1: the last)
    file_kind: str | None = None  # read only from this kind of file (RawTable.kind: "sav")
    # how to recognise an export: (normalised headers, the header row as written, first
    # data rows) → True
    looks_like: Callable[[set[str], Sequence[str], Sequence[Sequence[str]]], bool] | None = None

    @property
    def wide(self) -> bool:
        return self.layout is WIDE

    def is_metadata(self, title: str) -> bool:
        return (normalise(title) in {normalise(m) for m in self.metadata}
                or title.startswith(self.metadata_prefixes)
                or title.endswith(self.metadata_suffixes))


def _qualtrics(headers, header, rows) -> bool:
    return bool(rows) and any(cell.startswith('{"ImportId"') for cell in rows[-1])


def _redcap(headers, header, rows) -> bool:
    return any(h.startswith("redcap_") or h.endswith("_complete") for h in headers) or (
        bool(header) and normalise(header[0]) == "record_id")


# In the order they are tried when recognising an export.
FORMATS = FrozenDict({f.id: f for f in (
    Format("coprod", "coprod-eval's own template", OWN,
           looks_like=lambda h, header, rows: {"respondent_id", "group", "item_id",
                                               "response"} <= h),
    Format("qualtrics", "Qualtrics", WIDE, ("ResponseId",),
           ("StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)",
            "Finished", "RecordedDate", "ResponseId", "RecipientLastName",
            "RecipientFirstName", "RecipientEmail", "ExternalReference", "LocationLatitude",
            "LocationLongitude", "DistributionChannel", "UserLanguage"),
           header_rows=3, finished=("Finished", ("true", "1")), text_row=1,
           takes_dictionary=True, looks_like=_qualtrics),
    Format("microsoft_forms", "Microsoft Forms", WIDE, ("ID",),
           ("ID", "Start time", "Completion time", "Email", "Name", "Last modified time",
            "Total points", "Quiz feedback"),
           looks_like=lambda h, header, rows: {"id", "start time", "completion time"} <= h),
    Format("google_forms", "Google Forms", WIDE, (),
           ("Timestamp", "Email address", "Email Address", "Score"),
           looks_like=lambda h, header, rows: bool(header)
           and normalise(header[0]) == "timestamp"),
    Format("smartsurvey", "SmartSurvey", WIDE, ("UserNo", "UserID", "Response ID", "Unique ID"),
           ("UserNo", "UserID", "Response ID", "Name", "Email", "IP Address", "Unique ID",
            "Started", "Ended", "Tracking Link", "Custom Value", "Status"),
           finished=("Status", ("completed", "complete")),
           looks_like=lambda h, header, rows: "userno" in h
           or {"ip address", "started", "ended"} <= h),
    Format("redcap", "REDCap", WIDE, ("record_id",),
           ("record_id", "redcap_event_name", "redcap_repeat_instrument",
            "redcap_repeat_instance", "redcap_survey_identifier", "redcap_data_access_group"),
           metadata_prefixes=("redcap_",), metadata_suffixes=("_complete", "_timestamp"),
           complete_suffix="_complete", complete_values=("2", "complete"),
           first_column_is_id=True, needs_dictionary=True, looks_like=_redcap),
    Format("spss", "SPSS (.sav)", WIDE,
           ("ResponseId", "UserNo", "Response ID", "ID", "record_id", "respondent_id"),
           ("StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration__in_seconds_",
            "Duration (in seconds)", "Finished", "RecordedDate", "ResponseId",
            "RecipientLastName", "RecipientFirstName", "RecipientEmail", "ExternalReference",
            "LocationLatitude", "LocationLongitude", "DistributionChannel", "UserLanguage",
            "UserNo", "UserID", "Response ID", "Name", "Email", "IP Address", "Unique ID",
            "Started", "Ended", "Start time", "Completion time", "Last modified time"),
           header_rows=2, finished=("Finished", ("true", "1")), text_row=1, file_kind="sav"),
    Format("long", "a long table (one row per answer)", LONG),
    Format("wide", "a wide table (one row per respondent)", WIDE),
)})
FORMAT_IDS = tuple(FORMATS)
DEFAULT_FORMAT = "coprod"  # evaluation.yaml's survey without a format: our own template
MAPPED_FORMATS = tuple(f.id for f in FORMATS.values() if f.layout.mapped)
LONG_TABLE, WIDE_TABLE = "long", "wide"  # the formats of any tool's table, by its layout
WIDE_FORMATS = tuple(f.id for f in FORMATS.values() if f.wide)
TOOL_NAMES = FrozenDict({f.id: f.name for f in FORMATS.values()})


def recognise(header: Sequence[str], rows: Sequence[Sequence[str]],
              kind: str | None = None) -> str | None:
    """The format an export's header and first rows look like (a file of a kind only one
    format reads: that format), or None."""
    for fmt in FORMATS.values():
        if fmt.file_kind is not None and fmt.file_kind == kind:
            return fmt.id
    headers = {normalise(h) for h in header}
    for fmt in FORMATS.values():
        if fmt.looks_like is not None and fmt.file_kind is None and fmt.looks_like(
                headers, header, rows):
            return fmt.id
    return None
