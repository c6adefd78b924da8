"""An evaluator's own questionnaire, read from a tool's export (``init --from``).

When an export's questions are not the framework's bundled instrument, each question becomes
an item of a new instrument with its full wording, and for each one the principle(s) it
evidences and whether it is reverse-worded are *suggested* from the wording (against the
principles' descriptions and the bundled items) and written ``TO CONFIRM``: never used until
someone confirms them (``coprod-eval map``). The response scale is recognised from the
answers (labels, codes or REDCap's choices); codes a tool gives "Don't know" or "N/A" beyond
the labelled range are proposed as missing, with the reason.
"""

from __future__ import annotations

import csv
import functools
import json
import re
from dataclasses import dataclass, field

from ...base.paths import PACKAGE_DATA
from ...yardsticks.instrument import LABEL_WORDINGS, SCALES, TO_CONFIRM, normalise
from .columns import header_parts, question_key
from .wording import reverse_reading

# Answers meaning "no answer" in the usual wordings (normalised).
MISSING_WORDS = ("don't know", "dont know", "do not know", "not sure", "unsure", "n/a", "na",
                 "not applicable", "prefer not to say", "rather not say", "can't say",
                 "cannot say", "no opinion", "not answered", "skip", "skipped")
# Wording that usually means agreeing is a sign the principle is NOT practised.
STOP = frozenset(str.split(
    "a an the and or of to in on for with by is are am be been was were it its this "
           "that these those as at from we our us i my me you your they their them he she "
           "staff partner partners community project people do does did have has had can "
           "not no so than then there here what which who how far each"))
SUGGEST_FLOOR = 0.12  # a principle is suggested only above this similarity…
SUGGEST_SHARE = 0.75  # a second principle within this share of the best is named as close


@dataclass
class Question:
    id: str
    text: str  # the full wording, as the export gives it
    ref: str | list[str]  # how evaluation.yaml names its column(s): the wording every
    principles: list[str]  # tool's header of it shares, or column letters
    why: str
    reverse: bool
    reverse_why: str
    column: str = ""  # its first column, by header or letter


@dataclass
class ScaleGuess:
    name: str | None  # a key of SCALES, or None when the answers fit none
    codes: list[tuple[int, str]]
    agree_from: int | None
    missing: list[str]  # answers (labels) read as no answer
    answers: dict[str, str] = field(default_factory=dict)  # export answer → "missing" (codes)
    reasons: dict[str, str] = field(default_factory=dict)  # export answer → why
    unknown: list[str] = field(default_factory=list)


@dataclass
class OwnQuestionnaire:
    instrument_id: str
    questions: list[Question]
    ignore: list[tuple[str, str]]  # (column ref, why)
    scale: ScaleGuess
    framework: str

    def instrument_yaml(self) -> str:
        q = _quote
        lines = [
            "# The evaluator's own questionnaire, written by coprod-eval init --from from the",
            "# survey export. Each question's principles and reverse flag are SUGGESTIONS from",
            "# its wording, marked TO CONFIRM: nothing runs until someone confirms each one",
            "# (coprod-eval map FOLDER, or edit them here: 'principles: [assets]',",
            "# 'reverse: false'). Deciding which principle a question evidences is a validity",
            "# decision: make it with a partner representative.",
            f"id: {self.instrument_id}",
            'version: "1.0.0"',
            f"name: {q('Own questionnaire (' + self.framework + ')')}",
            "",
            "# The response scale, recognised from the answers in the export: check it.",
            "scale:",
            "  codes:",
        ]
        lines += [f"    - {{code: {c}, label: {q(label)}}}" for c, label in self.scale.codes]
        if self.scale.agree_from is not None:
            agreeing = ", ".join(label for c, label in self.scale.codes
                                 if c >= self.scale.agree_from)
            lines.append(f"  agree_from: {self.scale.agree_from}   # agreeing: {agreeing}")
        else:
            lines.append(f"  agree_from: {q(TO_CONFIRM)}   # the first code that counts as "
                         "agreeing")
        lines.append("  missing: [" + ", ".join(q(m) for m in self.scale.missing) + "]")
        lines += ["", "items:"]
        for question in self.questions:
            lines += [
                f"  - id: {question.id}",
                f"    text: {q(question.text)}",
                f"    # suggested: {question.why}",
                f"    principles: {q(TO_CONFIRM + ': ' + _names(question.principles))}",
                f"    # reverse-worded? {question.reverse_why}",
                f"    reverse: {q(TO_CONFIRM + ': ' + ('yes' if question.reverse else 'no'))}",
            ]
        return "\n".join(lines) + "\n"


def _names(principles: list[str]) -> str:
    return ", ".join(principles) or "none suggested"


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def statement(text: str) -> str:
    """The most specific wording a header carries (a grid row or the statement after the
    question), without HTML or a trailing clarification in brackets."""
    text = header_parts(text, separators=(" - ",))[0]
    stripped = re.sub(r"\s*\([^()]*\)\s*$", "", text).strip()
    return stripped or text.strip()


# --- the scale -----------------------------------------------------------------------------------

def _usual(value: str) -> str:
    key = normalise(value)
    key = re.sub(r"^\d+\s*[-=.:)]\s*", "", key)  # "5 - Strongly agree", "10 = Completely"
    return LABEL_WORDINGS.get(key, key)


def _is_missing(value: str) -> bool:
    return normalise(value).strip(" .") in MISSING_WORDS


def detect_scale(values: list[str]) -> ScaleGuess:
    """The agreement scale the answers come from (labels or codes)."""
    distinct = [v for v in dict.fromkeys(v.strip() for v in values) if v]
    missing = ["Don't know", "Prefer not to say", "Not applicable", "N/A"]
    labelled = [v for v in distinct if not re.fullmatch(r"-?\d+", v)]
    numbers = sorted({int(v) for v in distinct if re.fullmatch(r"-?\d+", v)})
    if labelled and len(labelled) >= len(numbers):
        found = {_usual(v) for v in labelled if not _is_missing(v)}
        for name, (labels, cut) in SCALES.items():
            if name != "zero_to_ten" and found <= {normalise(x) for x in labels}:
                guess = ScaleGuess(name, list(enumerate(labels, 1)), cut, missing)
                break
        else:
            return ScaleGuess(None, [], None, missing, unknown=sorted(
                v for v in labelled if not _is_missing(v)))
        for v in labelled:
            if _is_missing(v) and normalise(v) not in {normalise(m) for m in missing}:
                missing.append(v)
        return guess
    if not numbers:
        return ScaleGuess(None, [], None, missing)
    low, high = numbers[0], numbers[-1]
    if low == 0 and high <= 10:
        labels = SCALES["zero_to_ten"][0]
        return ScaleGuess("zero_to_ten", [(k, labels[k]) for k in range(11)],
                          SCALES["zero_to_ten"][1], missing)
    points = {4: "agree4", 5: "agree5", 7: "agree7"}
    guess = ScaleGuess(None, [], None, missing, unknown=[str(n) for n in numbers])
    if high in points:
        name = points[high]
    elif high - 1 in points:  # one code beyond a known scale: the tool's "Don't know"
        name = points[high - 1]
    else:
        return guess
    labels, cut = SCALES[name]
    guess = ScaleGuess(name, list(enumerate(labels, 1)), cut, missing)
    for extra in (n for n in numbers if n > len(labels) or n < 1):
        guess.answers[str(extra)] = "missing"
        guess.reasons[str(extra)] = (
            f"code {extra} is outside the {len(labels)}-point scale: Qualtrics and REDCap give "
            "'Don't know' / 'N/A' the next code after the scale. Check it in the tool")
    return guess


# --- suggestions ---------------------------------------------------------------------------------

def _stem(word: str) -> str:
    for suffix in ("ings", "ing", "ied", "ies", "ed", "es", "s", "ly", "ment", "ments"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


# Words that say the same thing in questionnaires about involvement → one concept, so a
# question and a principle's description can meet without sharing a word.
CONCEPTS = {
    "expertise": ("know", "knowledge", "expert", "expertise", "experience", "lived", "insight",
                  "valued", "value", "strength", "asset", "wisdom"),
    "contribute": ("bring", "contribute", "contribution", "offer", "give"),
    "skill": ("train", "training", "skill", "skilled", "develop", "development", "learn",
              "capabl", "capability", "facilitate", "facilitator", "trainer", "role"),
    "pay": ("pay", "paid", "payment", "reward", "expense", "pocket", "fair", "fairly",
            "voucher", "remunerat"),
    "mutual": ("mutual", "reciproc", "each other", "both ways", "as much as"),
    "network": ("connect", "connection", "network", "peer", "friend", "friendship",
                "relationship", "support", "member", "community", "group"),
    "decide": ("decide", "decision", "vote", "board", "committee", "agenda", "say", "control",
               "govern", "power"),
    "together": ("together", "jointly", "joint", "alongside", "share", "shared", "equal",
                 "same", "them and us", "deliver", "run", "co", "coproduc", "codesign",
                 "codeliver", "coevaluat"),
    "lead": ("lead", "leading", "start", "started", "initiat", "own", "without staff",
             "carry on", "sustain", "enable", "catalyst"),
    "budget": ("budget", "money", "fund", "funding", "resource"),
}
_CONCEPT_OF = {_w: _c for _c, _ws in CONCEPTS.items() for _w in _ws if " " not in _w}


def _bag(text: str) -> set[str]:
    key = question_key(text).replace("'", "")
    words = re.findall(r"[a-z]+", key)
    bag = {_stem(w) for w in words if w not in STOP and len(w) > 2}
    for word in words:
        concept = _CONCEPT_OF.get(word) or _CONCEPT_OF.get(_stem(word))
        if concept is None:
            concept = next((c for w, c in _CONCEPT_OF.items() if len(w) >= 5
                            and word.startswith(w)), None)
        if concept:
            bag.add("@" + concept)
    bag |= {"@" + c for c, ws in CONCEPTS.items() for w in ws if " " in w and w in key}
    return bag


def _similar(a: set[str], b: set[str]) -> float:
    return len(a & b) / (len(a | b) ** 0.5 * max(1, min(len(a), len(b))) ** 0.5) if a and b \
        else 0.0


K_NEAREST = 9  # examples a question is compared with (chosen on the development corpora)
ALSO_OK = 0.5  # what an example's second acceptable principle counts for


@functools.lru_cache(maxsize=8)
def _examples(framework_id: str) -> tuple[tuple[frozenset, str, str, str], ...]:
    """The framework's labelled example questions (data/examples/<id>.csv), as (bag of
    words, principle, second acceptable principle, wording); none for most frameworks."""
    path = PACKAGE_DATA / "examples" / f"{framework_id}.csv"
    if not path.is_file():
        return ()
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple((frozenset(_bag(row["question"])), row["principle"], row["also_ok"],
                      row["question"]) for row in csv.DictReader(handle))


def ranked(text: str, framework, bundled) -> list[tuple[str, float, object]]:
    """Every principle for one question's wording, the closest first: (principle id, its
    similarity, what it is closest to: a bundled question, an example question's wording,
    or None). A principle's similarity is its description's or nearest bundled question's,
    plus the similarity of each of the question's nine nearest example questions labelled
    with it (half for an example's second acceptable principle)."""
    words = _bag(text)
    item_of = {item.id: item for item in bundled.items}
    scores, nearest = {}, {}
    for principle in framework.principles:
        about = _bag(principle.name + " " + principle.meaning)
        scores[principle.id], nearest[principle.id] = _similar(words, about), None
        for item_id in principle.items:
            item = item_of.get(item_id)
            if item is None:
                continue
            s = max(_similar(words, _bag(item.staff)), _similar(words, _bag(item.partner)))
            if s > scores[principle.id]:
                scores[principle.id], nearest[principle.id] = s, item
    examples = sorted(((_similar(words, bag), pid, also, wording)
                       for bag, pid, also, wording in _examples(framework.id)),
                      key=lambda e: -e[0])[:K_NEAREST]
    votes = dict.fromkeys(scores, 0.0)
    closest = dict(scores)  # what the reason names: the most similar of all it was compared to
    for s, pid, also, wording in examples:
        if pid in votes:
            if s > closest[pid]:
                closest[pid], nearest[pid] = s, wording
            votes[pid] += s
        if also in votes:
            votes[also] += ALSO_OK * s
    found = [(pid, scores[pid] + votes[pid], nearest[pid]) for pid in scores]
    return sorted(found, key=lambda entry: -entry[1])


def suggest(text: str, framework, bundled) -> tuple[list[str], str, bool, str]:
    """(principles, why, reverse, why) suggested for one question's wording."""
    order = ranked(text, framework, bundled)
    scores = {pid: score for pid, score, _ in order}
    best_item = {pid: nearest for pid, _, nearest in order}
    top = max(scores.values(), default=0.0)
    ordered = [pid for pid, s in sorted(scores.items(), key=lambda kv: -kv[1])
               if s >= SUGGEST_FLOOR]
    # one principle is suggested (on the development corpora one was right more often than
    # two); a close second is named in the reason, for the person deciding
    chosen = ordered[:1]
    close = [pid for pid in ordered[1:2] if scores[pid] >= SUGGEST_SHARE * top]
    if not chosen:
        why = "no principle's description or bundled question shares its wording: choose one"
    else:
        parts = []
        for pid in chosen:
            item = best_item[pid]
            name = framework.principle(pid).name
            if isinstance(item, str):
                parts.append(f"{pid} ({name}): like the example question '{item}'")
            else:
                parts.append(f"{pid} ({name}): close to {item.id} '{item.partner}'" if item
                             else f"{pid} ({name}): shares words with its description")
            parts[-1] += _shared(text, item, framework.principle(pid))
        parts += [_runner_up(k, pid, text, best_item[pid], framework, pid in close)
                  for k, pid in enumerate(ordered[1:3], 2)]
        why = "; ".join(parts)
    reverse, reverse_why = reverse_reading(text)
    return chosen, why, reverse, f"suggested {'yes' if reverse else 'no'}: {reverse_why}"


# Words shared with anything, not shown as what led to a principle
_WEAK = frozenset(("but", "other", "others", "could", "would", "should", "such", "see",
                   "also", "more", "some", "very", "just", "well", "there", "been", "being"))


def _shared(text: str, nearest, principle) -> str:
    """The question's own words that led to a principle: those it shares with what it is
    closest to (an example's wording, a bundled question, or the principle's description)."""
    other = nearest if isinstance(nearest, str) else (
        f"{nearest.staff} {nearest.partner}" if nearest else
        f"{principle.name} {principle.meaning}")
    theirs = _bag(other)
    words = []
    for word in re.findall(r"[A-Za-z][A-Za-z'’-]*", text):
        key = word.casefold().replace("’", "'")
        if key not in STOP and key not in _WEAK and len(key) > 2 and _stem(key) in theirs \
                and key not in words:
            words.append(key)
    return f" (from its words {', '.join(repr(w) for w in words[:3])})" if words else ""


def _runner_up(rank: int, pid: str, text: str, nearest, framework, close: bool) -> str:
    """The second or third principle, with the words that led to it."""
    name = framework.principle(pid).name
    lead = "also close" if close else f"{'second' if rank == 2 else 'third'}"
    return f"{lead}: {pid} ({name}){_shared(text, nearest, framework.principle(pid))}"


def _scale_like(answers: list[str]) -> bool:
    """True when most answers are on an agreement or 0-10 scale (not free text)."""
    known = {normalise(label) for labels, _ in SCALES.values() for label in labels}
    known |= set(LABEL_WORDINGS)
    given = [a for a in answers if a.strip() and not _is_missing(a)]
    if not given:
        return False
    fits = sum(_usual(a) in known or bool(re.fullmatch(r"\d{1,2}", a.strip())) for a in given)
    return fits >= 0.8 * len(given)


def build_own(columns: list[tuple[int, str, list[str]]], framework, bundled, ref,
              instrument_id: str = "own_questionnaire") -> OwnQuestionnaire:
    """The questions among ``columns`` ((index, wording, answers) of every column that is not
    the id, the group or tool metadata), with suggestions; the rest proposed for ignore:."""
    questions, ignore, answers = [], [], []
    statements = [statement(w) for _, w, _ in columns]
    seen: dict[str, Question] = {}  # the same wording in two columns (a staff and a partner
    for (index, wording, given), said in zip(columns, statements):  # branch): one question
        if not _scale_like(given):
            ignore.append((ref(index), "free text or not on a scale" if given else "no answers"))
            continue
        answers += given
        key = question_key(said)
        if key in seen:
            first = seen[key]
            if isinstance(first.ref, str):
                first.ref = [first.column, ref(index)]
            else:
                first.ref.append(ref(index))
            continue
        principles, why, reverse, reverse_why = suggest(said or wording, framework, bundled)
        question = Question(f"Q{len(questions) + 1:02d}", wording,
                            said if statements.count(said) == 1 and said else ref(index),
                            principles, why, reverse, reverse_why, column=ref(index))
        seen[key] = question
        questions.append(question)
    return OwnQuestionnaire(instrument_id, questions, ignore, detect_scale(answers),
                            framework.id)
