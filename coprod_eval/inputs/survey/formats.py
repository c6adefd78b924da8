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
class Format:
    """What one tool's export looks like."""

    id: str
    name: str  # how messages and evaluation.yaml's comments name it
    layout: str  # "coprod" (our template), "long" (one row per answer), "wide" (per person)
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
    text_row: int = -1  # the header row holding the question's words (-1: the last)
    # how to recognise an export: (normalised headers, the header row as written, first
    # data rows) → True
    looks_like: Callable[[set[str], Sequence[str], Sequence[Sequence[str]]], bool] | None = None

    @property
    def wide(self) -> bool:
        return self.layout == "wide"

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
    Format("coprod", "coprod-eval's own template", "coprod",
           looks_like=lambda h, header, rows: {"respondent_id", "group", "item_id",
                                               "response"} <= h),
    Format("qualtrics", "Qualtrics", "wide", ("ResponseId",),
           ("StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)",
            "Finished", "RecordedDate", "ResponseId", "RecipientLastName",
            "RecipientFirstName", "RecipientEmail", "ExternalReference", "LocationLatitude",
            "LocationLongitude", "DistributionChannel", "UserLanguage"),
           header_rows=3, finished=("Finished", ("true", "1")), text_row=1,
           looks_like=_qualtrics),
    Format("microsoft_forms", "Microsoft Forms", "wide", ("ID",),
           ("ID", "Start time", "Completion time", "Email", "Name", "Last modified time",
            "Total points", "Quiz feedback"),
           looks_like=lambda h, header, rows: {"id", "start time", "completion time"} <= h),
    Format("google_forms", "Google Forms", "wide", (),
           ("Timestamp", "Email address", "Email Address", "Score"),
           looks_like=lambda h, header, rows: bool(header)
           and normalise(header[0]) == "timestamp"),
    Format("smartsurvey", "SmartSurvey", "wide", ("UserNo", "UserID", "Response ID", "Unique ID"),
           ("UserNo", "UserID", "Response ID", "Name", "Email", "IP Address", "Unique ID",
            "Started", "Ended", "Tracking Link", "Custom Value", "Status"),
           finished=("Status", ("completed", "complete")),
           looks_like=lambda h, header, rows: "userno" in h
           or {"ip address", "started", "ended"} <= h),
    Format("redcap", "REDCap", "wide", ("record_id",),
           ("record_id", "redcap_event_name", "redcap_repeat_instrument",
            "redcap_repeat_instance", "redcap_survey_identifier", "redcap_data_access_group"),
           metadata_prefixes=("redcap_",), metadata_suffixes=("_complete", "_timestamp"),
           complete_suffix="_complete", complete_values=("2", "complete"),
           first_column_is_id=True, needs_dictionary=True, looks_like=_redcap),
    Format("long", "a long table (one row per answer)", "long"),
    Format("wide", "a wide table (one row per respondent)", "wide"),
)})
FORMAT_IDS = tuple(FORMATS)
WIDE_FORMATS = tuple(f.id for f in FORMATS.values() if f.wide)
TOOL_NAMES = FrozenDict({f.id: f.name for f in FORMATS.values()})


def recognise(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str | None:
    """The format an export's header and first rows look like, or None."""
    headers = {normalise(h) for h in header}
    for fmt in FORMATS.values():
        if fmt.looks_like is not None and fmt.looks_like(headers, header, rows):
            return fmt.id
    return None
