"""An adversarial corpus of personal details written the ways people really write them, for
the quote tests. Built here from lists of its own: it imports nothing from coprod_eval and
shares no list or pattern with the publisher (safequote), the de-identifier or the audit.

Each leak is a ``Leak(text, needles)``: the text goes into a quote; none of the needles (what
would give the person away) may appear in anything a run publishes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

SPOKEN = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
SEPARATORS = [" ", "-", ".", ",", "_", "–", "—", " • ", "/", "\u200b", "\u00a0", "\u2009",
              " | ", "·", "\u2011", "~", ": ", "\u2060", "  ", "\u00ad"]
FIRST_NAMES = ["Zoey", "Bev", "Trev", "Siobhán", "Kasia", "Oluwaseun", "Jo-Anne", "Tamsin",
               "Wojtek", "Ngozi", "Aoife", "Gráinne", "Lowri", "Rhiannon", "Dafydd", "Parveen",
               "Shabnam", "Tariq", "Babs", "Dot", "Maisie", "Kyle", "Jayden", "Sue", "Pat",
               "Mark", "Rose", "Grace", "Bill", "Frank", "Dawn", "Joy", "Ray", "Ivy"]
SURNAMES = ["Okonkwo", "Wojcik", "Nguyen", "Featherstonehaugh", "Ramsbottom", "Higginbottom",
            "O’Brien", "D'Souza", "MacLeod", "Kowalczyk", "Achterberg", "Szymańska"]
PLACES = ["Skipton", "Hebden Bridge", "Harrogate", "Chapeltown", "Otley", "Keighley",
          "Harehills", "Todmorden", "Ilkley", "Pudsey", "Llandudno", "Ballymena"]
STREETS = ["Harehills Lane", "Roundhay Road", "Kirkstall Road", "Allerton Grange Street"]
UNUSUAL_NAMES = ["zoey", "bev", "trev", "siobhan", "kasia", "oluwaseun", "tamsin", "wojtek",
                 "ngozi", "aoife", "grainne", "lowri", "rhiannon", "dafydd", "parveen",
                 "shabnam", "tariq", "babs", "maisie", "jayden"]
CONDITIONS = ["Huntington's", "Fabry disease", "progeria", "Creutzfeldt-Jakob",
              "Ehlers-Danlos", "Tourette's", "ALS", "Kawasaki disease"]
FOREIGN_DIGITS = {"French": ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept",
                             "huit", "neuf"],
                  "German": ["null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben",
                             "acht", "neun"],
                  "Spanish": ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete",
                              "ocho", "nueve"],
                  "Polish": ["zero", "jeden", "dwa", "trzy", "cztery", "pięć", "sześć",
                             "siedem", "osiem", "dziewięć"]}
CYRILLIC = {"S": "Ѕ", "J": "Ј", "o": "о", "a": "а", "e": "е", "p": "р", "c": "с", "y": "у"}
MONTHS = ["January", "March", "June", "September", "November", "Jan", "Sept", "Dec"]
ORDINALS = ["first", "third", "nineteenth", "twenty-second", "thirty-first"]
TLDS = ["org", "net", "co.uk", "fr", "de", "ee", "me", "io", "ly", "nhs.net", "ac.uk", "info"]
CONTACT_AT = ["@", " (at) ", "[at]", " at ", "{at}", " AT ", "＠", "@\n", " @ ", "(@)"]
CONTACT_DOT = [".", " (dot) ", "[dot]", " dot ", " DOT ", "．"]


@dataclass(frozen=True)
class Leak:
    kind: str
    text: str
    needles: tuple[str, ...]


def nhs_number(rng: random.Random) -> str:
    """A ten-digit number with a valid modulus-11 check digit."""
    while True:
        body = [rng.randrange(10) for _ in range(9)]
        if body[0] == 0:
            continue
        check = 11 - sum(d * w for d, w in zip(body, range(10, 1, -1))) % 11
        if check == 11:
            check = 0
        if check != 10:
            return "".join(map(str, body)) + str(check)


def grouped(digits: str, sizes, separator: str) -> str:
    parts, at = [], 0
    for size in sizes:
        parts.append(digits[at:at + size])
        at += size
    return separator.join(parts)


def spoken(digits: str, rng: random.Random) -> str:
    words, i = [], 0
    while i < len(digits):
        d = digits[i]
        if i + 1 < len(digits) and digits[i + 1] == d and rng.random() < 0.7:
            words.append("double " + ("oh" if d == "0" else SPOKEN[int(d)]))
            i += 2
            continue
        words.append("oh" if d == "0" and rng.random() < 0.5 else SPOKEN[int(d)])
        i += 1
    return " ".join(words)


def corpus(seed: int = 2026) -> list[Leak]:
    rng = random.Random(seed)
    leaks: list[Leak] = []

    def add(kind, text, *needles):
        leaks.append(Leak(kind, text, needles or (text,)))

    for separator in SEPARATORS:  # NHS numbers, every separator, two groupings
        for sizes in ((3, 3, 4), (3, 4, 3)):
            number = nhs_number(rng)
            add("nhs", grouped(number, sizes, separator))
    for _ in range(6):
        number = nhs_number(rng)
        add("nhs", number)
        add("nhs fullwidth", "".join(chr(0xFF10 + int(d)) for d in number))
        add("nhs arabic-indic", "".join(chr(0x0660 + int(d)) for d in number))
        add("nhs spoken", spoken(number, rng))
        add("nhs mixed", number[:3] + " " + " ".join(SPOKEN[int(d)] for d in number[3:6])
            + " " + number[6:])
        add("nhs split", number[:5] + "\n" + number[5:])
    for _ in range(14):  # phones
        national = "07" + "".join(str(rng.randrange(10)) for _ in range(9))
        add("phone", grouped(national, (5, 3, 3), rng.choice(SEPARATORS)))
        add("phone", "+44 (0)" + national[1:5] + " " + national[5:])
        add("phone spoken", spoken(national, rng))
    for i in range(24):  # email addresses, obfuscated
        local = rng.choice(["carer", "peer", "mum", "sue", "jo"]) + rng.choice(
            [".", "_", ""]) + rng.choice(["one", "two", "bloggs", "smith", "x"]) + str(i)
        at, dot = CONTACT_AT[i % len(CONTACT_AT)], CONTACT_DOT[i % len(CONTACT_DOT)]
        domain = rng.choice(["example", "gmail", "hotmail", "nhs", "btinternet"])
        add("email", f"{local}{at}{domain}{dot}{rng.choice(TLDS)}", local)
    for i, tld in enumerate(TLDS):  # links and handles
        handle = f"carer{rng.choice(['sue', 'pat', 'jo', 'bev'])}{i}"
        add("link", f"example.{tld}/{handle}", handle)
        add("link", f"linktr.ee/{handle}x", handle + "x")
        add("handle", f"insta: @{handle}y", handle + "y")
    for url in ("https://bit.ly/3xYz", "www.facebook.com/carer.pat", "t.me/carerjo22",
                "wa.me/447700900555", "youtube.com/@peerbev"):
        add("link", url, url.rsplit("/", 1)[-1].lstrip("@"))
    for postcode in ("LS6-2QJ", "ls6 2qj", "LS6·2QJ", "SW1A1AA", "BD7 1DP", "hx7 8ab",
                     "L S 6 2 Q J", "M1\u200b1AE", "EH1–1YZ", "CF10 3AT"):
        add("postcode", postcode)
    for day, month, year in ((19, 3, 1962), (7, 11, 1948), (23, 6, 1975), (2, 2, 1939)):
        for form in (f"{day:02d} {month:02d} {year}", f"{day}.{month}.{str(year)[2:]}",
                     f"{day} {MONTHS[month % len(MONTHS)]} '{str(year)[2:]}",
                     f"{month}/{day}/{year}", f"{year}{month:02d}{day:02d}"):
            add("date", form)
    for ordinal in ORDINALS:
        add("date spoken", f"the {ordinal} of {rng.choice(MONTHS)} nineteen sixty-two",
            "nineteen sixty")
    for name in FIRST_NAMES:  # names in many forms
        add("name", f"{name} said so", name)
        add("name", f"my mate {name}'s husband", name)
    for name in UNUSUAL_NAMES:  # written in lower case: a name no dictionary has
        add("name lower case", f"ask for {name} at reception", name)
    for surname in SURNAMES:
        add("surname", f"Mrs {surname} from the ward", surname)
        add("surname", f"the {surname} family", surname)
    for initials, needle in (("J.S.", "J.S"), ("J. Smith", "Smith"), ("Mrs T", "Mrs T"),
                             ("Dr. Okafor", "Okafor"), ("M-J", "M-J"), ("A.B.C.", "A.B.C")):
        add("initials", f"ask {initials} about it", needle)
    for place in PLACES:
        add("place", f"we all live in {place}", place)
        add("place lower case", f"down {place.lower()} way", place.lower())
    for street in STREETS:
        add("address", f"12 {street}", street)
        add("address", f"flat 4b, {street.lower()}", street.lower())
    for condition in CONDITIONS:
        add("rare condition and place", f"the only one with {condition} in "
            f"{rng.choice(PLACES)}", condition.split()[0].removesuffix("'s"))
    for digits in FOREIGN_DIGITS.values():
        number = nhs_number(rng)
        add("foreign number", " ".join(digits[int(d)] for d in number[:6]))
    for name in ("Sue", "Jo", "Pat", "Sasha", "Joy"):  # confusables and hidden characters
        add("confusable", "".join(CYRILLIC.get(c, c) for c in name) + " helped",
            "".join(CYRILLIC.get(c, c) for c in name))
        add("zero width", "\u200b".join(name) + "'s idea", name)
        add("fullwidth", "".join(chr(ord(c) + 0xFEE0) for c in name) + " chaired it", name)
        add("bidi", f"\u202e{name[::-1]}\u202c chaired it", name[::-1])
    for pid in ("P-003", "P\u2011003", "P/005", "P 005", "p_005", "P.005", "P003", "(P007)",
                "S-010", "P–003", "P\u200b003"):
        add("participant id", f"ask {pid} about it", pid.strip("()"))
    for age in ("I'm 83", "aged eighty-three", "ninety one years old", "born in '62",
                "eighty seven next month", "she's 104"):
        add("age", age)
    for ward in ("Ward 7", "Bay 3", "Room 12B"):
        add("place in hospital", f"on {ward}", ward)
    return leaks
