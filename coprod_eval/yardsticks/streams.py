"""The evidence streams, as one registry: every stream an evaluation may hold, what one unit
of it is, and each record stream's columns and what each may hold. Everything else that
knows the streams (frameworks, plans, evidence readers, the scaffold, the words) asks here:
adding a stream is adding an entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..base.frozen import FrozenDict


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # text, choice, yesno, date, number, group, principle, level, rating, stage
    help: str
    required: bool = True
    choices: tuple[str, ...] = ()
    unique: bool = False
    identifier: bool = False  # an id or pseudonym: compared as people read it
    optional: bool = False  # the column may be left out of the file altogether
    person: bool = False  # names a person (who may withdraw)


@dataclass(frozen=True)
class Stream:
    """One evidence stream: its id (evaluation.yaml's key, a framework indicator's
    ``stream``), its title, what one unit of it is (leaving one out is how stability is
    checked; None: not counted so) and, for a record stream, its columns."""

    stream: str
    title: str
    columns: tuple[Column, ...] = ()
    unit: str | None = None

    @property
    def header(self) -> str:
        return ",".join(c.name for c in self.columns)


# the survey's answers are read by inputs/survey (its columns are a tool's export or the
# template in inputs/evidence.py); every other stream is a table declared here
SURVEY = Stream("survey", "Survey answers", unit="respondent")
RECORD_STREAMS: Mapping[str, Stream] = FrozenDict({spec.stream: spec for spec in (
    Stream("attendance", "Meeting attendance", (
        Column("meeting_id", "text", "an id for the meeting (same on every row of it)",
               identifier=True),
        Column("date", "date", "date of the meeting, YYYY-MM-DD"),
        Column("meeting_type", "choice", "what the meeting was for",
               choices=("decision_making", "consultative", "delivery")),
        Column("attendee", "text", "a pseudonym for the person attending, never a name",
               identifier=True, person=True),
        Column("role", "group", "the attendee's group code (as in evaluation.yaml groups)"),
    ), unit="meeting"),
    Stream("decisions", "Decision log", (
        Column("decision_id", "text", "an id for the decision", unique=True, identifier=True),
        Column("date", "date", "date of the decision, YYYY-MM-DD"),
        Column("forum", "text", "where it was decided (e.g. steering group)"),
        Column("proposed_by", "group", "group code of whoever proposed it"),
        Column("decided_by", "choice", "who decided", choices=("jointly", "staff_only",
                                                               "partners")),
        Column("partner_proposal_adopted", "yesno",
               "for proposals from partners: was it adopted? (blank otherwise)", required=False),
        Column("feedback_given", "yesno",
               "were the proposers told what happened to it (\"you said, we did\")?"),
        Column("outside_joint_forum", "yesno", "was it decided outside the joint forum?"),
    ), unit="decision"),
    Stream("stages", "Involvement by lifecycle stage", (
        Column("stage", "stage", "lifecycle stage", unique=True),
        Column("level", "level", "ladder level of partner involvement the records show"),
        Column("claimed_level", "level", "ladder level the project claims for this stage",
               required=False),
        Column("partners_joined", "yesno", "yes on the stage at which partners first joined"),
    )),
    Stream("resources", "Payment, expenses and training for partners", (
        Column("partner", "text", "a pseudonym for the partner, never a name", unique=True,
               identifier=True, person=True),
        Column("offered_payment", "yesno", "was the partner offered payment for their time?"),
        Column("paid", "yesno", "has the partner been paid what they were owed?"),
        Column("days_late", "number", "days payment was late (0 if on time; blank if unpaid)",
               required=False),
        Column("out_of_pocket", "yesno", "was the partner left out of pocket (expenses unpaid)?"),
        Column("training_offered", "yesno", "was the partner offered training?"),
    ), unit="partner"),
    Stream("qualitative", "Coded interview, focus-group and document excerpts", (
        Column("excerpt_id", "text", "an id for the excerpt (the same for both coders)",
               identifier=True),
        Column("source", "choice", "where it comes from",
               choices=("interview", "focus_group", "document")),
        Column("principle", "principle", "the principle the excerpt speaks to"),
        Column("code", "choice", "does it support or contradict the principle?",
               choices=("supports", "contradicts")),
        Column("coder", "text", "who coded it (a second coder codes a subset)"),
        Column("excerpt", "text", "the excerpt's words (de-identified before any report)"),
        Column("consent_to_quote", "yesno", "did the person agree to be quoted word for word? "
               "(blank or no: the excerpt is counted but never quoted)", required=False,
               optional=True),
        Column("participant", "text", "a pseudonym for the person speaking (so they can "
               "withdraw); blank for documents", required=False, optional=True,
               identifier=True, person=True),
    ), unit="excerpt"),
    Stream("self_assessment", "The project's own assessment", (
        Column("principle", "principle", "a principle of the framework", unique=True),
        Column("claimed_rating", "rating", "the rating the project claims for it"),
    )),
)})
STREAMS: Mapping[str, Stream] = FrozenDict({"survey": SURVEY, **RECORD_STREAMS})
STREAM_IDS = tuple(STREAMS)
# what one unit of each stream is, where it is counted in units
STREAM_UNITS = FrozenDict({s.stream: s.unit for s in STREAMS.values() if s.unit})
# the columns that name a person (who may withdraw; whose pseudonym is masked in quotes)
PERSON_COLUMNS = tuple((s.stream, c.name) for s in RECORD_STREAMS.values()
                       for c in s.columns if c.person)
