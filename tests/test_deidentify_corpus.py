"""De-identification against an adversarial corpus: more than a hundred quotes, each hiding a
known leak (an NHS number, phone number, date, email, link, handle, postcode, roster name or
evidence pseudonym, in the many ways people write them). After redaction none may survive —
checked by a scanner written here, independently of both the redactor and ``audit`` — and
``audit``'s own detectors must flag every leak in the raw text."""

from __future__ import annotations

import re
import unicodedata

import pytest

from coprod_eval.disclosure.deidentify import Redactor
from coprod_eval.runs import audit

ROSTER = ("John Smith", "Margaret Thornton", "Siobhán Murphy", "Zoë Adams", "Mary-Jane O'Neill",
          "Sue Carter", "Priya Patel", "Oluwaseun Adeyemi", "Katarzyna Nowak",
          "Mohammed Al-Rashid")
PSEUDONYMS = frozenset({f"P{k:03d}" for k in range(1, 21)} | {f"S{k:03d}" for k in range(1, 11)}
                       | {"1", "2", "3", "12"})

NHS = ["943 476 5919", "943 4765 919", "943.476.5919", "943-476-5919", "9434765919",
       "94 34 76 59 19", "943/476/5919".replace("/", " "), "401 023 2137", "401-023-2137",
       "4010232137"]
PHONES = ["020 7946 0958", "(020) 7946 0958", "0207 946 0958", "07700 900123", "07700900123",
          "07700.900.123", "+44 7700 900123", "+447700900123", "0044 7700 900123",
          "+44 (0)7700 900123", "0117 496 0123", "(0117) 496 0123", "01632 960 001"]
DATES = ["1962-03-14", "14/03/1962", "14.03.62", "14-03-1962", "14 March 1962",
         "14th March 1962", "March 14, 1962", "March 14th 1962", "14 Mar 1962", "Mar 14 1962",
         "3 September 1958", "the 3rd of September 1958", "September 1958", "Sept 1958",
         "2001-12-25"]
CONTACTS = ["jo.bloggs@example.org", "sam+carers@nhs.example.net", "https://x.example/jo",
            "www.example.org/profiles/jo", "twitter.com/carer_sue", "facebook.com/jo.bloggs",
            "instagram.com/sue.c_1962", "tiktok.com/@peerjo", "@carer_sue", "@PeerJo62",
            "linkedin.com/in/jo-bloggs"]
POSTCODES = ["SW1A 1AA", "sw1a1aa", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "ls1 4ap",
             "EH1 1YZ"]
NAMES = [  # (as written in the quote, the leak to look for)
    ("John Smith", "John"), ("John Smith", "Smith"), ("Jon", "Jon"), ("Johnny", "Johnny"),
    ("Jack", "Jack"), ("Smiht", "Smiht"), ("Jhon", "Jhon"), ("Margaret", "Margaret"),
    ("Maggie", "Maggie"), ("Peggy", "Peggy"), ("Thornton", "Thornton"),
    ("Thorton", "Thorton"), ("Siobhán", "Siobhán"), ("Siobhan", "Siobhan"),
    ("SIOBHAN", "SIOBHAN"), ("Murphy", "Murphy"), ("Zoë", "Zoë"), ("Zoe", "Zoe"),
    ("Adams", "Adams"), ("Mary Jane", "Mary"), ("Mary Jane", "Jane"), ("Mary-Jane", "Mary"),
    ("Maryjane", "Maryjane"), ("O’Neill", "Neill"), ("O'Neill", "Neill"), ("ONeill", "ONeill"),
    ("Sue", "Sue"), ("Susie", "Susie"), ("Carter", "Carter"), ("Priya", "Priya"),
    ("Patel", "Patel"), ("Oluwaseun", "Oluwaseun"), ("Oluwasuen", "Oluwasuen"),
    ("Adeyemi", "Adeyemi"), ("Katarzyna", "Katarzyna"), ("Kasia", "Kasia"),
    ("Nowak", "Nowak"), ("Mohammed", "Mohammed"), ("Mohamed", "Mohamed"),
    ("Al-Rashid", "Rashid"), ("Al Rashid", "Rashid"), ("Alrashid", "Alrashid"),
]
IDS = ["P001", "P-001", "p 001", "P_001", "p001", "P.007", "S 010", "s-003", "P 020", "P012"]

SENTENCES = ["I told them, {x}, and nobody wrote it down.",
             "Ring me on {x} if you want the rest.",
             "My details are {x} — please keep them.",
             "{x} was on the sheet they passed round.",
             "It happened on {x}, I remember it well."]


def corpus() -> list[tuple[str, list[str]]]:
    """(quote, the leaks it holds)."""
    items = []
    for x in NHS:
        items.append((f"My NHS number {x} was on the attendance sheet.", [x]))
    for i, x in enumerate(PHONES):
        items.append((SENTENCES[i % len(SENTENCES)].format(x=x), [x]))
    for x in DATES:
        items.append((f"I was born on {x} and still came to every meeting.", [x]))
    for i, x in enumerate(CONTACTS):
        items.append((SENTENCES[(i + 2) % len(SENTENCES)].format(x=x), [x]))
    for x in POSTCODES:
        items.append((f"I brought two neighbours from near {x} into the group.", [x]))
    for written, leak in NAMES:
        items.append((f"When {written} chaired the meeting, partners were heard.", [leak]))
    for x in IDS:
        items.append((f"As {x} said in the focus group, the money was never shared.", [x]))
    items += [  # several at once
        ("Siobhan (0117 496 0123, siobhan.m@example.org) was born 02/02/1970 in BS1 4DJ.",
         ["Siobhan", "0117 496 0123", "siobhan.m@example.org", "02/02/1970", "BS1 4DJ"]),
        ("P-014 and Maggie shared NHS 401 023 2137 by mistake on 5 May 2025.",
         ["P-014", "Maggie", "401 023 2137", "5 May 2025"]),
        ("Text Johnny on 07700 900123 or follow @peerjo on twitter.com/peerjo",
         ["Johnny", "07700 900123", "@peerjo", "twitter.com/peerjo"]),
        ("Mrs O’Neill from CR2 6XH said Kasia helped her fill in the form on 2024-06-01.",
         ["Neill", "CR2 6XH", "Kasia", "2024-06-01"]),
        ("Zoe Adams, s-003 and Mohamed met at 10:30 on 14th Feb 2026; ring 020 7946 0958.",
         ["Zoe", "Adams", "s-003", "Mohamed", "14th Feb 2026", "020 7946 0958"]),
        ("email sue.carter@example.com, or call +44 (0)117 496 0123, or see "
         "www.example.com/sue", ["sue.carter@example.com", "+44 (0)117 496 0123",
                                 "www.example.com/sue"]),
    ]
    return items


CLEAN = ["We met 3 times in 2026 and 95% felt heard.",
         "A 1-in-10 chance, so we tried again at 10:30.",
         "Mark my words, the bill came and we will see.",
         "May was a good month; the budget was £240,000.",
         "Scores went from 3.4 to 4.5 out of 5 over 12 months.",
         "Respondent 1 and 2 both said the same.",
         "The steering group has 8 members and meets every 2 weeks."]


def fold(text: str) -> str:
    """Accents off, lower case, apostrophes and hyphens out: the scanner's own folding."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().translate(
        str.maketrans("", "", "'’-‐"))


def leaks(redacted: str, secrets: list[str]) -> list[str]:
    """The secrets that survive in redacted text, looked for three ways."""
    text = re.sub(r"\[[A-Za-z ]+ \d+\]", " ", redacted)
    found = []
    for secret in secrets:
        digits = re.sub(r"\D", "", secret)
        as_text = fold(secret) in fold(text)
        as_digits = len(digits) >= 6 and digits[-6:] in re.sub(r"\D", "", text)
        as_word = re.fullmatch(r"[^\W\d_]+", secret) and re.search(
            rf"\b{re.escape(fold(secret))}\b", fold(text))
        if as_text or as_digits or as_word:
            found.append(secret)
    return found


def test_corpus_is_large_and_varied():
    items = corpus()
    assert len(items) >= 100
    assert sum(len(secrets) for _, secrets in items) >= 120


def test_no_leak_survives_redaction():
    redact = Redactor(roster=ROSTER, pseudonyms=PSEUDONYMS)
    failures = []
    for quote, secrets in corpus():
        redacted = redact(quote)
        if leaks(redacted, secrets):
            failures.append((quote, redacted, leaks(redacted, secrets)))
    assert not failures, "\n".join(f"{q!r} -> {r!r}: {s}" for q, r, s in failures)


def test_ordinary_words_and_figures_are_left_alone():
    redact = Redactor(roster=ROSTER, pseudonyms=PSEUDONYMS)
    for sentence in CLEAN:
        assert redact(sentence) == sentence


def test_the_same_detail_gets_the_same_placeholder_in_any_form():
    redact = Redactor(roster=ROSTER, pseudonyms=PSEUDONYMS)
    once = redact("Ring 07700 900123 or +44 7700 900123 or 07700.900.123; NHS 943 476 5919 "
                  "or 9434765919; P-001 and p001; Siobhán and Siobhan")
    assert once == ("Ring [phone 1] or [phone 1] or [phone 1]; NHS [NHS number 1] or "
                    "[NHS number 1]; [participant 1] and [participant 1]; [name 1] and [name 1]")


def test_audit_flags_every_leak_in_raw_text_by_its_own_detectors():
    forms = audit._roster_forms(ROSTER)
    ids = audit._id_set(PSEUDONYMS)
    missed = []
    for quote, _ in corpus():
        flagged = (audit.numbers(quote) + audit.contacts(quote) + [("date", d) for d in
                                                                  audit.dates(quote)]
                   + [("name", n) for n in audit.names(quote, forms)]
                   + [("id", i) for i in audit.pseudonyms(quote, ids)])
        if len(flagged) < 1:
            missed.append(quote)
    assert not missed, missed


def test_audit_raises_nothing_on_clean_text_or_redacted_text():
    redact = Redactor(roster=ROSTER, pseudonyms=PSEUDONYMS)
    forms, ids = audit._roster_forms(ROSTER), audit._id_set(PSEUDONYMS)
    for text in CLEAN + [redact(q) for q, _ in corpus()]:
        text = re.sub(r"\[[A-Za-z ]+ \d+\]", " ", text)
        assert not (audit.numbers(text) + audit.contacts(text) + audit.dates(text)
                    + audit.names(text, forms) + audit.pseudonyms(text, ids)), text


@pytest.mark.parametrize("numeric_ids", [[str(k) for k in range(1, 200)]])
def test_numeric_respondent_ids_are_not_taken_for_pseudonyms(numeric_ids):
    """Survey tools number responses 1, 2, 3…: every figure would otherwise match one."""
    redact = Redactor(roster=(), pseudonyms=frozenset(numeric_ids))
    assert redact("Scored 4 of 5 by 12 people in 2026") == "Scored 4 of 5 by 12 people in 2026"
    assert audit.pseudonyms("Scored 4 of 5 by 12 people", audit._id_set(numeric_ids)) == []
