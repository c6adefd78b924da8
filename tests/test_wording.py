"""Reverse-worded questions are suggested as such, with the words that make them so
(issue 26: two of an evaluator's fifteen were proposed as "not reverse", and Enter accepted
it). How often it is right on questions written apart from it: bench/bench_suggest.py."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from coprod_eval.base.paths import builtin_ids, resolve_builtin
from coprod_eval.inputs.survey.wording import reverse_reading

# the issue's own two, and others of the kinds an evaluator writes
AGAINST = {
    "The final say on the big decisions stayed with senior managers": "kept by staff",
    "Meetings were run in a way that made it hard for non-staff to speak": "hard to",
    "I'm mostly here to comment on plans that were already made.": "already decided",
    "Taking part has left me out of pocket.": "unpaid",
    "Partners were kept out of the meetings where the real decisions were taken.": "left out",
    "Decisions were made without partners.": "without partners",
    "Payment arrangements put my benefits at risk and no one helped me sort this out.":
        "put at risk",
    "Partners were invited to the celebration event but not to the planning meetings.":
        "but not in the decisions",
    "Staff never asked what I could bring.": "never",
    # found by an independent review
    "Partners are rarely heard in meetings.": "rarely",
    "Neither staff nor partners had a real say.": "neither",
    "Decisions are made by the project board.": "decided by staff",
    "I dont feel listened to.": "dont",
}
# a negation and a word against the principle cancel, as they do for a reader
PRACTISED = (
    "Nobody was left out of pocket for taking part.",
    "No decision was made without partners in the room.",
    "Partners never had to chase payment or expenses.",
    "Taking part helped me discover skills I did not know I had.",
    "People ask what I can bring, not just what I need.",
    "Peer groups meet without staff there.",
    "We remove barriers to taking part (times, places, formats, costs).",
    "People who are seldom heard are actively sought out.",
    "Staff learn from me as much as I learn from them.",
    # found by an independent review
    "Staff worked hard to include everyone.",
    "Decisions were agreed by staff and partners together.",
    "Staff do things with partners, not for them.",
    "I was not afraid to speak up in meetings.",
    "My expenses were paid promptly, with no delays.",
    "Were you paid for your time? (Yes / No)",
    "Partners who are unable to attend in person can join online.",
    "Partners and staff share responsibility; no one group dominates.",
)


@pytest.mark.parametrize("text,why", AGAINST.items())
def test_a_question_against_the_principle_is_suggested_reverse_with_its_reason(text, why):
    reverse, reason = reverse_reading(text)
    assert reverse, reason
    assert reason.startswith("looks reverse-worded because of") and f"'{why}'" in reason


@pytest.mark.parametrize("text", PRACTISED)
def test_a_question_that_says_the_principle_happened_is_not(text):
    reverse, reason = reverse_reading(text)
    assert not reverse, reason
    assert "principle is practised" in reason


def test_every_bundled_question_is_read_the_way_its_instrument_flags_it():
    """The four bundled instruments' 154 statements (staff and partner wordings), each
    flagged reverse or not by the instrument's authors."""
    checked = 0
    for path in [resolve_builtin("instruments", ref) for ref in builtin_ids("instruments")]:
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["items"]:
            for side in ("staff", "partner"):
                if item.get(side):
                    reverse, reason = reverse_reading(item[side])
                    assert reverse == bool(item.get("reverse")), (path.name, item["id"],
                                                                  item[side], reason)
                    checked += 1
    assert checked >= 150


def test_the_example_bank_is_the_development_corpora_and_never_the_held_out_one():
    """The principles are ranked by labelled example questions (data/examples): exactly the
    two development corpora, so the held-out corpus measured by make bench stays unseen."""
    import csv

    from coprod_eval.base.paths import PACKAGE_DATA

    def read(path):
        return [(r["question"], r["principle"], r["also_ok"], r["reverse"])
                for r in csv.DictReader(path.open(encoding="utf-8"))]

    bench = Path(__file__).resolve().parent.parent / "bench"
    bank = read(PACKAGE_DATA / "examples" / "nesta_nef_six.csv")
    assert bank == read(bench / "suggest_corpus.csv") + read(bench / "suggest_heldout.csv")
    held_out = {r[0] for r in read(bench / "suggest_heldout2.csv")}
    assert len(held_out) == 120 and not held_out & {r[0] for r in bank}
