"""De-identify free text before any of it leaves a run.

What is replaced, each by a numbered placeholder that is the same wherever the same detail
appears (``[email 1]`` every time that address appears):

- links (with or without ``http``, e.g. ``twitter.com/carer_sue``), emails, social handles;
- numbers that identify: NHS numbers (10 digits in any grouping, with spaces, dots, hyphens
  or none — on the pattern, whatever the modulus-11 check says) and UK phone numbers (``020
  7946 0958``, ``(020) 7946 0958``, ``07700.900.123``, ``+44 7700 900123``, ``0044 …``);
- UK postcodes (any case, with or without the space);
- dates: ISO (``1962-03-14``), numeric (``14/03/1962``, ``14.03.62``) and written
  (``14 March 1962``, ``March 14th, 1962``, ``14th of Mar 1962``, ``March 1962``);
- names from the evaluator's roster: the full name, the first name or surname alone, common
  nicknames (``Johnny``, ``Maggie``), with accents folded (``Siobhan`` for ``Siobhán``),
  hyphens, spaces and apostrophes in any form (``Mary Jane`` for ``Mary-Jane``, ``O’Neill``),
  and typos (one or two letters wrong, missing, extra or swapped) in capitalised words;
- the pseudonyms used in the evidence (``P001``), also written ``P-001``, ``p 001``, ``P_001``.

Pattern matching cannot see context ("the only Polish carer"): quotes are published only
with the person's consent and the evaluator's sign-off (see :mod:`coprod_eval.compute.quotes`), and
``coprod-eval audit`` checks every artefact with detectors of its own.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

TLDS = ("com|org|net|uk|io|me|info|biz|co|ly|gl|app|dev|social|page|link|tv|gov|nhs|edu|"
        "ac|eu|ie|scot|wales|london|online|site|blog")
MONTHS = ("jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          "sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"

# Order matters: a link is replaced whole before the email inside it could be, and dates
# before the digit runs they are made of.
PATTERNS: tuple[tuple[str, re.Pattern], ...] = (
    ("link", re.compile(r"\b(?:https?://|www\.)\S+|\b(?:[a-z0-9-]+\.)+(?:" + TLDS
                        + r")(?:\.[a-z]{2})?/[^\s,;)\]]*", re.I)),
    ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.I)),
    ("handle", re.compile(r"(?<![\w@/])@[A-Za-z0-9_]{2,}")),
    ("date", re.compile(
        r"\b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b"  # 1962-03-14
        r"|\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b"  # 14/03/1962, 14.03.62
        rf"|\b{DAY}\s+(?:of\s+)?(?:{MONTHS})\.?,?\s+\d{{2,4}}\b"  # 14 March 1962
        rf"|\b(?:{MONTHS})\.?\s+{DAY},?\s+\d{{4}}\b"  # March 14th, 1962
        rf"|\b(?:{MONTHS})\.?\s+\d{{4}}\b", re.I)),  # March 1962
    ("postcode", re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.I)),
)
# A run of digits with the separators people write numbers with.
DIGIT_RUN = re.compile(r"(?<![\w+])(?:\+\s?|\(\s?\+?)?\d(?:[\s.\-()]{0,3}\d)*\)?")
WORD = re.compile(r"[^\W\d_]+(?:['’ʼ`\-‐][^\W\d_]+)*")
ID_TOKEN = re.compile(r"\w[\w.\-]*\w|\w")
ID_SHAPE = re.compile(r"\b([A-Za-z]{1,6})[\s\-_.]?(\d{1,8})\b")
APOSTROPHES = str.maketrans({"’": "", "'": "", "ʼ": "", "`": "", "-": "", "‐": ""})

NICKNAMES = {
    "john": ("jon", "johnny", "jonny", "jack", "jock"),
    "jonathan": ("jon", "jonny", "nathan"),
    "margaret": ("maggie", "maggy", "meg", "peggy", "margie", "marge", "greta", "mags"),
    "william": ("will", "bill", "billy", "liam", "willy"),
    "robert": ("rob", "bob", "bobby", "robbie", "bert"),
    "elizabeth": ("liz", "lizzie", "beth", "betty", "eliza", "libby", "lisa", "bess"),
    "james": ("jim", "jimmy", "jamie", "jem"),
    "michael": ("mike", "mick", "micky", "mikey"),
    "richard": ("rich", "rick", "ricky", "dick", "richie"),
    "catherine": ("kate", "cath", "cathy", "katie", "kath", "cat"),
    "katherine": ("kate", "kath", "kathy", "katie", "kat"),
    "christopher": ("chris", "kit"),
    "christine": ("chris", "chrissie", "tina"),
    "thomas": ("tom", "tommy"),
    "anthony": ("tony", "ant"),
    "david": ("dave", "davy", "davie"),
    "daniel": ("dan", "danny"),
    "joseph": ("joe", "joey"),
    "patricia": ("pat", "patty", "trish", "tricia"),
    "patrick": ("pat", "paddy"),
    "jennifer": ("jen", "jenny"),
    "rebecca": ("becky", "becca", "bex"),
    "alexander": ("alex", "sandy", "xander"),
    "alexandra": ("alex", "sandra", "lexi"),
    "edward": ("ed", "eddie", "ted", "ned"),
    "andrew": ("andy", "drew"),
    "samuel": ("sam", "sammy"),
    "samantha": ("sam", "sammy"),
    "benjamin": ("ben", "benny"),
    "nicholas": ("nick", "nicky"),
    "stephen": ("steve", "stevie"),
    "steven": ("steve", "stevie"),
    "deborah": ("debbie", "deb", "debs"),
    "victoria": ("vicky", "vic", "tori"),
    "charles": ("charlie", "chas", "chuck"),
    "henry": ("harry", "hal"),
    "frederick": ("fred", "freddie"),
    "matthew": ("matt", "matty"),
    "timothy": ("tim", "timmy"),
    "peter": ("pete",),
    "philip": ("phil",),
    "gerald": ("gerry",),
    "gerard": ("gerry",),
    "barbara": ("barb", "babs"),
    "dorothy": ("dot", "dotty", "dottie"),
    "helen": ("nell", "nellie"),
    "eleanor": ("ellie", "nell", "nora"),
    "josephine": ("jo", "josie"),
    "joanne": ("jo", "jojo"),
    "kenneth": ("ken", "kenny"),
    "leonard": ("len", "lenny", "leo"),
    "ronald": ("ron", "ronnie"),
    "donald": ("don", "donny"),
    "raymond": ("ray",),
    "terence": ("terry",),
    "theresa": ("tess", "terry", "tessa"),
    "jacqueline": ("jackie", "jacqui"),
    "siobhan": ("shiv",),
    "zoe": ("zo",),
    "katarzyna": ("kasia", "kasha", "kate", "kat"),
    "susan": ("sue", "susie", "suzy", "suzanne"),
    "mohammed": ("mo", "moe"),
    "oluwaseun": ("seun", "shaun"),
    "priya": ("pri",),
}


def name_family(part: str) -> set[str]:
    """A name with its common nicknames, and a nickname with its full name and siblings
    (``sue`` → susan, susie, suzy)."""
    family = {part, *NICKNAMES.get(part, ())}
    for formal, nicknames in NICKNAMES.items():
        if part in nicknames:
            family.update((formal, *nicknames))
    return family


def fold(text: str) -> str:
    """A word as compared with names: accents removed, case folded, apostrophes and hyphens
    dropped (``O’Neill`` → ``oneill``, ``Siobhán`` → ``siobhan``)."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return plain.casefold().translate(APOSTROPHES)


def number_kind(run: str) -> str | None:
    """What a run of digits is, as written: a phone number, an NHS number, or nothing."""
    digits = re.sub(r"\D", "", run)
    international = run.lstrip("( ").startswith("+") or digits.startswith("00")
    if international:
        national = digits[2:] if digits.startswith("00") else digits
        return "phone" if national.startswith("44") and len(national) >= 11 else None
    if len(digits) == 11 and digits.startswith("0"):
        return "phone"
    if len(digits) == 10:
        return "phone" if digits.startswith("0") else "NHS number"
    return None


def national_number(run: str) -> str:
    """A UK phone number as dialled inside the UK: 07700900123 for +44 (0)7700 900123."""
    digits = re.sub(r"\D", "", run)
    if digits.startswith("0044"):
        digits = digits[4:]
    elif digits.startswith("44") and run.lstrip("( ").startswith("+"):
        digits = digits[2:]
    return "0" + digits.lstrip("0")


def roster_names(roster: tuple[str, ...]) -> tuple[dict[str, str], set[str]]:
    """(folded name or nickname → the roster name it stands for; the exact forms)."""
    forms: dict[str, str] = {}
    for entry in roster:
        parts = [fold(p) for p in re.split(r"[\s\-‐]+", entry.strip()) if fold(p)]
        for part in parts:
            if len(part) >= 2:
                for form in name_family(part):
                    forms.setdefault(form, part)
        for size in range(2, len(parts) + 1):  # written together: Maryjane, AlRashid
            for start in range(len(parts) - size + 1):
                joined = "".join(parts[start:start + size])
                forms.setdefault(joined, joined)
    return forms, set(forms)


def pseudonym_keys(pseudonyms) -> tuple[set[str], set[str]]:
    """(shaped ids as LETTERS+DIGITS, other ids folded). Short all-digit ids (row numbers,
    1…n) are not treated as pseudonyms: they say nothing about anyone, and every number in a
    quote would match them."""
    shaped, other = set(), set()
    for value in pseudonyms:
        text = str(value).strip()
        match = re.fullmatch(r"([A-Za-z]{1,6})[\s\-_.]?(\d{1,8})", text)
        if match:
            shaped.add(match.group(1).upper() + match.group(2))
        elif text.isdigit() and len(text) < 6:
            continue
        elif len(text) >= 3:
            other.add(fold(text))
    return shaped, other


@dataclass
class Redactor:
    """Replaces identifying text with numbered placeholders, consistently across calls."""

    roster: tuple[str, ...] = ()
    pseudonyms: frozenset[str] = frozenset()
    placeholders: dict[tuple[str, str], str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    originals: dict[str, list[str]] = field(default_factory=dict)  # placeholder → as found

    def __post_init__(self):
        self._names, _ = roster_names(self.roster)
        self._shaped, self._other_ids = pseudonym_keys(self.pseudonyms)

    def _placeholder(self, kind: str, found: str, same_as: str | None = None) -> str:
        if same_as is None and kind in ("NHS number", "phone", "postcode"):
            same_as = re.sub(r"[^0-9a-z]", "", found.casefold())  # one number, any spacing
            if kind == "phone":
                same_as = national_number(found)
        key = (kind, (same_as or found).casefold())
        if key not in self.placeholders:
            self.counts[kind] = self.counts.get(kind, 0) + 1
            self.placeholders[key] = f"[{kind} {self.counts[kind]}]"
        placeholder = self.placeholders[key]
        seen = self.originals.setdefault(placeholder, [])
        if found not in seen:
            seen.append(found)
        return placeholder

    def log(self) -> list[dict]:
        """Each placeholder with the text it replaced: for the run folder only, never a report."""
        return [{"placeholder": p, "replaced": list(found)} for p, found in self.originals.items()]

    def __call__(self, text: str) -> str:
        text = unicodedata.normalize("NFC", text)
        for kind, pattern in PATTERNS:
            text = pattern.sub(lambda m, k=kind: self._placeholder(k, m.group(0)), text)
        text = DIGIT_RUN.sub(self._number, text)
        if self._shaped:
            text = ID_SHAPE.sub(self._shaped_id, text)
        if self._other_ids:
            text = ID_TOKEN.sub(self._other_id, text)
        if self._names:
            text = WORD.sub(self._word, text)
        return text

    def _number(self, match: re.Match) -> str:
        run = match.group(0)
        core = run.strip()
        kind = number_kind(core)
        if kind is None:
            return run
        lead = run[: len(run) - len(run.lstrip())]
        return lead + self._placeholder(kind, core)

    def _shaped_id(self, match: re.Match) -> str:
        key = match.group(1).upper() + match.group(2)
        if key in self._shaped:
            return self._placeholder("participant", match.group(0), same_as=key)
        return match.group(0)

    def _other_id(self, match: re.Match) -> str:
        token = match.group(0)
        if fold(token) in self._other_ids:
            return self._placeholder("participant", token, same_as=fold(token))
        return token

    def _word(self, match: re.Match) -> str:
        word = match.group(0)
        folded = fold(word)
        name = self._name_of(word, folded)
        if name is not None:
            return self._placeholder("name", word, same_as=name)
        return word

    def _name_of(self, word: str, folded: str) -> str | None:
        if folded in self._names:
            return self._names[folded]
        if folded.endswith("s") and folded[:-1] in self._names and len(folded) > 3:
            return self._names[folded[:-1]]  # smith's, the smiths (apostrophes are folded)
        if not word[:1].isupper() or len(folded) < 4:
            return None  # typos are looked for only in capitalised words (names, not prose)
        for name in self._names:
            if len(name) < 4 or abs(len(name) - len(folded)) > 2:
                continue
            if typo_distance(folded, name) > (1 if len(name) < 8 else 2):
                continue
            # in short names a changed letter is as likely another word (Mark, Mary): only a
            # letter missing, added or swapped counts there
            if len(name) <= 5 and len(folded) == len(name) and sorted(folded) != sorted(name):
                continue
            return self._names[name]
        return None


def typo_distance(a: str, b: str) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) turning ``a`` into ``b``."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1,
                             previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]
