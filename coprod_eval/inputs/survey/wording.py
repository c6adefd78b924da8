"""Whether a question looks reverse-worded: agreeing with it means the principle is NOT
practised ("The final say on the big decisions stayed with senior managers").

Read from its wording as a careful evaluator would: what turns a statement against the
principle (a negation — not, never, no-one —, or words that say partners were kept out,
held back, unpaid, talked down to, consulted on what was already decided, or that staff kept
the power), counted so that two of them cancel ("Nobody was left out of pocket", "No decision
was made without partners"); and, where those say nothing, from a logistic regression on the
words of labelled example questions (data/examples, learnt by bench/learn_reverse.py), which
catches a poor practice said in plain words ("The menu was chosen by the manager and then
shown to residents"). It is a suggestion, shown with its reason and confirmed by a
person (``coprod-eval map``); the answers then check it (compute/itemcheck.py).
Measured on questions written apart from it: ``make bench`` (bench/bench_suggest.py).
"""

from __future__ import annotations

import csv
import functools
import html
import math
import re
from collections import Counter

from ...base.paths import PACKAGE_DATA

# Said as a negation but meaning none: left out before counting.
_NOT_NEGATIONS = (
    # "not just a problem to be fixed", "never as something I could build on": a contrast
    r"\b(not|never) (just |only |simply |merely )?(as )?(a |an )?(problem|burden|risk|deficit|"
    r"case|number|diagnosis|label)s?( to be (fixed|solved|managed))?\b",
    r",? (never|not) as (something|someone)\b[^.;,]*",  # "…, never as something to build on"
    r",? not (on |about |by )?what (was|is|'s|were|are) (wrong|the matter)( with [a-z]+)?",
    r"\b(rather than|instead of|not) (by |trying to |try to )?(doing|do|did|running|run|"
    r"delivering|deliver|providing|provide) (things|everything|it all|all of it)"
    r"( (for|to) [a-z]+| itself| themselves)?",
    r"\beven (when|if) [^.;]{0,30}\b(not|aren't|isn't|weren't|wasn't) (there|present|around|in "
    r"the room)\b",
    r"\bnot (just |only )?(on |about )?what (i|we|they|he|she|you|people) (had|have|has) lost\b",
    r"\b(no longer|not|never) (feel|felt|feeling|am|are|is|was|were) (so |as )?(cut off|alone|"
    r"isolated|lonely|left out|excluded|shut out|ignored)\b",
    r"\bnot (just|only|simply|merely)\b", r"\bno matter\b", r"\bno longer had to\b",
    r"\b(did not|didn't|never) (know|realise|realize|think|thought|believe|believed|expect|"
    r"expected|imagine|imagined) (i|we|they|he|she|you|people) "
    r"(had|could|would)\b",
    # a contrast: "with partners, not for them" (but "…but not to the planning meetings")
    r"(?<!but)(?<!but,),? not (?=(by|for|from|with|to|on|through|in|instead|what|how)\b)",
    r"(?<!but), not (?=as\b)",  # "as equals, not as customers" (but "saw us not as partners")
    r"\bno (problems?|delays?|fuss|hassle|trouble|difficulty)\b",
    r"\b(not|never) (afraid|worried|scared|nervous|embarrassed|ashamed)\b",
    r"\bno (one|single) (group|person|side|organisation|voice|profession) (dominat|control|ran|"
    r"led|had)\w*", r"\bnot on what\b", r"\bnothing about us without us\b",
    r"\b(had|have|has) (not|never) (done|tried|had the chance to try) (it |this |that )?before\b",
    r"\b(that|which|what) (i|we|they|he|she|you) (did not|didn't|never) (have|had|know|knew)\b",
    r"\b(seldom|rarely|least)[- ]heard (groups?|people|voices|communities|residents)\b",
    r"\b(seldom|rarely|least)[- ]heard(?=,? (are|were|is|was) (actively |now |also )?(sought|"
    r"reached|included|invited|involved|supported|welcomed))",
    r"\bhard[- ]to[- ]reach (groups?|people|communities|residents)\b",
    r"\b(that|who) (are|were|is|was) (often |usually )?(seldom|rarely|least)[- ]heard\b",
    r"\b(never|not) (once )?(made|left) to feel (that )?[^.;]{0,40}\b(nuisance|burden|stupid|"
    r"unwelcome|bother|judged|rushed|small|silly|in the way|a pest)\b",
    r"\b(remov|reduc|overc|tackl|address|lower)\w* (the |any |practical |many )?barriers\b",
    r"\bbarriers\b[^.;]{0,60}\b(were|are|have been|got) (removed|reduced|overcome|tackled)",
)
_NEGATORS = re.compile(  # "neither … nor" is one negation: nor is not counted
    r"\b(not|never|no|nobody|no-one|no one|none|nothing|nowhere|neither|hardly|barely|"
    r"rarely|seldom|cannot|can't|couldn't|didn't|don't|doesn't|wasn't|weren't|isn't|aren't|"
    r"won't|wouldn't|haven't|hasn't|hadn't|shouldn't|lack|lacked|lacking|dont|cant|didnt|"
    r"doesnt|wasnt|werent|isnt|arent|wont|wouldnt|couldnt|havent|hasnt)\b")
# After a negation these turn it back ("No decision was made without partners").
_SECOND_NEGATIONS = re.compile(r"\b(without|until|unless|except)\b")
_PARTNERS = (r"(partners?|people|service users?|users|members|carers|parents|patients|"
             r"residents|young people|us|we|them|peers|the community|community members|"
             r"experts by experience|lived experience)\b")
_STAFF = (r"(senior )?(managers?|management( team)?|staff|the organisation|the trust|the "
          r"council|the service|professionals|clinicians|consultants|commissioners|the board|"
          r"the nhs|officers|the team|the project (lead|board|team|manager)|the programme "
          r"board|the steering group|the executive|leadership|senior leaders|senior officers|"
          r"directors|the provider|the clinic|(the |our |a )([a-z-]+ ){0,2}(team|lead|leads|"
          r"manager|managers|director|directorate|headquarters|hq|officers?|professionals|"
          r"clinicians)|(trust|council|nhs) (headquarters|hq|officers|managers)|adult "
          r"professionals|provider representatives|workers)\b")
# Words that say a principle is not practised, each with the name shown as the reason.
_AGAINST = [(re.compile(pattern), reason) for pattern, reason in (
    (r"(?<!worked )(?<!work )(?<!works )(?<!tried )(?<!try )\b(hard|difficult|impossible|"
     r"a struggle|awkward) (for [a-z -]{1,40} )?to\b", "hard to"),
    (r"\bstruggl", "struggled"),
    (r"\b(faced|face|faces|facing|met|hit|there (were|are|was|is)|too many|many|practical) "
     r"([a-z]+ )?barriers?\b", "barriers"),
    (r"\b(left|shut|kept|locked|frozen) out\b", "left out"),
    (r"\bexclud", "excluded"),
    (r"\bkept (from|away|at arm)", "kept from"),
    (r"\b(ignored|dismissed|overruled|sidelined|brushed aside|talked down|talked over|"
     r"patronis|patroniz)", "ignored"),
    (r"\btoken", "tokenism"), (r"\b(box|tick)[- ]?tick", "box-ticking"),
    (r"\bfor show\b", "for show"), (r"\bwindow[- ]dressing\b", "for show"),
    (r"\b(so|in order) that (the project|the service|the organisation|they|it) could say\b",
     "to be able to say"),
    (r"\brubber[- ]?stamp", "rubber-stamp"),
    (r"\balready (been )?(decided|made|agreed|designed|written|set|planned|drawn up|fixed)",
     "already decided"),
    (r"\b(designed|planned|decided|written|drawn up|agreed) before\b", "decided before"),
    (r"\b(comment on|feedback on|react to) (a |the )?(finished|final|ready-made|completed)",
     "asked to comment"),
    (r"\b(presented|taken|brought|handed) to " + _PARTNERS + r" (for|to) (comment|approval|"
     r"sign|note|rubber)", "presented for comment"),
    (r"\bonly (asked|told|invited|consulted|informed|there|here) (to|for|about|at)\b",
     "only asked"),
    (r"\b(mainly|mostly|just|only) (here |there )?(to )?(listen|comment|give feedback|"
     r"give (our|their|my) views|tell our stor|share our stor|turn up)", "only to listen"),
    (r"\bturn up and listen\b", "only to listen"),
    (r"\bonly (from |by |for |with )?" + _STAFF + r"\b", "only staff"),
    (r"\bstaff[- ]only\b", "only staff"),
    (r"\b(stayed|stays|rested|rests|remained|remains|sat|sits|lay|lies) (firmly )?with " + _STAFF,
     "kept by staff"),
    (r"\b(decided|made|set|controlled|chaired|led|run|ran|signed off|held|owned|drawn up|"
     r"written|rewritten|agreed|taken|finalised|finalized|planned|delivered|staffed|organised|"
     r"organized|designed|done|chosen|picked|selected) (entirely |only |solely |mainly |"
     r"mostly |always |all )?by " + _STAFF + r"(?! (and|with|alongside|together|jointly)\b)",
     "decided by staff"),
    (r"\b(passed|handed|cascaded|sent|imposed) (down|from above)\b", "passed down"),
    (r"\b(then|afterwards|later|only then) (taken|brought|put|sent|went|presented|shared) "
     r"(out )?(to|for) (consultation|comment|partners|people|members|residents|carers|the "
     r"panel|the group)", "consulted afterwards"),
    (r"\basked to (approve|sign( it)? off|endorse|rubber|nod)", "asked to approve"),
    (r"\b(made up|composed|consisting|consisted) (entirely |only |wholly |solely )?of " + _STAFF,
     "only staff"),
    (r"\b(whatever|regardless of what|no matter what) " + _PARTNERS + r"( [a-z]+)? (said|"
     r"wanted|asked|thought|suggested)", "whatever partners said"),
    (r"\b(checklist|list) of (my |our |their |his |her )?(symptoms|risks|needs|problems|"
     r"deficits|diagnos)", "deficits first"),
    (r"\bwhat (she|he|they|i|we) (had|have|has) lost\b|\bwhat was going wrong\b",
     "deficits first"),
    (r"\bas (a |an )?(cost|cost pressure|extra pairs? of hands|spare pairs? of hands|free "
     r"labour|cheap labour|unpaid help|an audience)\b", "treated as a cost"),
    (r"\bwithout (being |getting |ever being )?(named|credited|acknowledged|thanked|paid|"
     r"recognised|recognized|asked)\b", "uncredited"),
    (r"\b(nothing|anything) in return\b", "unpaid"),
    (r"\b(little|nothing) to offer\b", "little to offer"),
    (r"\btick(ed|ing|s)? (the|a|their|our|an) ([a-z]+ )?box", "box-ticking"),
    (r"\bthe only ([a-z]+ ){0,3}(came|was|were|is|are) (from|by|given by|offered by|run by) "
     + _STAFF, "only staff"),
    (r"\b(controlled|held|kept|run|owned) (entirely|solely|wholly|tightly)\b", "kept by staff"),
    (r"\b(keep|keeps|kept|has|have|had|hold|holds|held|retain\w*) (tight|full|total|close|"
     r"firm|sole) control\b", "kept by staff"),
    (r"(?<!and )(?<!& )\b" + _STAFF + r" (chaired|led|ran|controlled|decided|kept hold|"
     r"held on|kept control|"
     r"had the final say|had the last word|set the agenda|took the decisions|made the "
     r"decisions|called the shots|pulled rank)", "kept by staff"),
    (_STAFF + r" (kept|keep|keeps) (hold|control|the power|the budget)\b", "kept by staff"),
    (r"\b(had|has|have) to go through\b", "had to go through staff"),
    (r"\bpulled rank\b", "pulled rank"),
    (r"\b(out of pocket|unpaid|at (my|our|their) own (cost|expense)|had to pay|"
     r"paid (for it )?myself|without pay)\b", "unpaid"),
    (r"\b(give|gave|giving|work|worked|working|volunteer\w*|time|help|helped) [a-z ]{0,25}"
     r"for free\b", "unpaid"),
    (r"\bcost (me|us|them|partners|people|carers|parents)\b", "cost"),
    (r"\bchas(e|ed|ing) (up )?(payment|expenses|money)", "had to chase payment"),
    (r"\b(benefits?|income) (were |was )?(put )?at risk\b", "put at risk"),
    (r"\bput (my|our|their) benefits at risk\b", "put at risk"),
    (r"\bone[- ](way|sided)\b", "one-way"),
    (r"\b(do|does|did|doing|deliver\w*|run\w*|provid\w*) (everything|it all|all of it) "
     r"(itself|themselves|ourselves)\b", "did it all itself"),
    (r"\b(took|take|takes|taken|taking) over\b", "took over"),
    (r"\b(support|sessions?|groups?|meetings?|visits?|activities|scheme|help|contact)\b"
     r"(?:(?!\b(?:after|since|when|once|until|even|carried|continued|kept|beyond)\b)[^,;.])"
     r"{0,40}\b(stopped|ceased|folded|ended|closed( down)?)\b", "stopped"),
    (r"\b(like|as) (an? )?(outsiders?|strangers?|intruders?|an afterthought|a nuisance|"
     r"a number)\b", "made to feel an outsider"),
    (r"\bcut off\b", "alone"),
    (r"\b(heard|got|received) nothing back\b", "heard nothing back"),
    (r"\b(isolated|in isolation|lonely|alone|(left|were|was) on (my|our|their) own|on (my|our|"
     r"their) own again)\b", "alone"),
    (r"\bdiscourag", "discouraged"), (r"\bfell away\b", "fell away"),
    (r"\b(burden|a problem to be|part of the problem|problems and needs|deficits?|what was "
     r"wrong|what (they|we|people) (could not|couldn't|can't|cannot) do)\b", "deficit framing"),
    (r"\b(treated|seen|viewed|regarded|talked about|described|labelled|spoken of|thought of) "
     r"([a-z' ]{0,30} )?as '?(patients|customers|clients|recipients|passive|a burden|"
     r"difficult|challenging|unable|vulnerable|problems?|a risk)", "treated as recipients"),
    (r"\breceiv\w* [a-z ]{0,25}rather than (to )?(give|contribut|help|offer)", "passive"),
    (r"\bdoubt(ed|s|ing)? (what|whether|that|if) ", "doubted"),
    (r"\bwithout (the |any )?(involving |asking |consulting |input from |agreement of )?"
     + _PARTNERS, "without partners"),
    (r"\bprovider\b.{0,120}\bcustomers?\b", "provider and customers"),
    (r"\bassum(ed|es|ing) (they|staff|professionals|we) (already )?(knew|know)", "assumed"),
    (r"\b(did|do|does|doing) (things|everything|it all|all of it) (for|to) (me\b|" + _PARTNERS
     + ")",
     "did things for people"),
    (r"\bcould have done (for )?(themselves|ourselves|myself)\b", "did things for people"),
    (r"\bcounted for less\b|\bless (important|weight|value|say)\b", "counted for less"),
    (r"\bthem and us\b", "them and us"),
    (_STAFF + r" (always |still |usually )?(have|has|had|keep|keeps|kept|hold|holds|held) the "
     r"(final|last) (say|word)",
     "kept by staff"),
    (r"\bthe same (few|small group of|handful of) ", "the same few"),
    (r"\bonly (once|after) ([a-z]+ ){0,3}(are|is|was|were|had been|have been) (made|taken|"
     r"decided|agreed|signed off)", "told after the decision"),
    (r"\b(taken|made|decided|settled) (outside|elsewhere|behind closed doors)\b",
     "decided elsewhere"),
    (r"\b(made|taken|decided|agreed|settled) before ([a-z]+ ){0,4}(are|is|were|was|have been|"
     r"had been|get|got) (asked|consulted|involved|invited|told)", "decided before"),
    (r"\btoo late\b", "too late"),
    (r"\b(kept|reserved|saved|left) for " + _STAFF, "kept for staff"),
    (r"\b(little|no real|not much) say\b", "little say"),
    (r"\btold what to do\b", "told what to do"),
    (r"\b(passive|recipients?)\b", "passive"),
    (r"\b(mainly|mostly|largely) (to|for) the (organisation|service|trust|council|staff)\b",
     "for the organisation"),
    (r"\brather than (from |by |with |to |as )?(the )?" + _PARTNERS + r"\b",
     "rather than partners"),
    (r"\b(the same way|as) it always had\b|\bbusiness as usual\b", "nothing changed"),
    (r"\bbut not (to |in |at |on )?(the )?(planning|decision|decisions|meetings|board)",
     "but not in the decisions"),
)]


MAX_CHARS = 2000  # a question is read this far (a longer one is not a questionnaire's)


def _clean(text: str) -> str:
    return _cleaned(text)[0]


def _reads_as_practised(text: str) -> bool:
    """Whether a negation in it means none ("not just", "not afraid", "no matter")."""
    return _cleaned(text)[1]


@functools.lru_cache(maxsize=1024)
def _cleaned(text: str) -> tuple[str, bool]:
    """(the question as read: its words, lower case, its number, answer options, examples in
    brackets and negations that mean none left out; whether it had such a negation)."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", text[:MAX_CHARS]))  # an export's HTML
    text = text.casefold().replace("’", "'").replace("‘", "'")
    text = re.sub(r"^\s*(q\s*)?\d+[.):]\s*", "", text)  # "7. ", "Q7."
    text = re.sub(r"\((please |select |tick |choose )[^()]*\)\s*$", "", text)
    text = re.sub(r"\(\s*(yes|no)\s*/\s*(yes|no)[^()]*\)", "", text)  # answer options
    # an example in brackets does not turn the statement ("(e.g. where there is no signal)")
    text = re.sub(r"\(\s*(for example|e\.g\.?|eg|such as|for instance|like)\b[^()]*\)", " ",
                  text)
    practised = False
    for pattern in _NOT_NEGATIONS:
        text, found = re.subn(pattern, " ", text)
        practised = practised or found > 0
    return " ".join(text.split()), practised


# A statement in parts (each may turn against the principle on its own): ";", ":", "but",
# and an "and" or "with" that starts a negation ("…at risk and no one helped").
_CLAUSES = re.compile(r";|:|\bbut\b(?! not)|,? (?:and|with) (?=(?:no|nobody|no one|no-one|never|"
                      r"none|nothing)\b)")
# A reason given ("…because I am not a professional") does not turn the statement round.
_REASON = re.compile(r"\b(because|since|as (i|we|they|he|she) (am|are|is|was|were))\b")


def _clause(said: str) -> tuple[bool, list[str]]:
    """(turned against the principle, the words that turn it) for one clause."""
    reasons, rest = [], said
    for pattern, reason in _AGAINST:
        for match in pattern.finditer(said):
            rest = rest[:match.start()] + " " * (match.end() - match.start()) + rest[match.end():]
            if reason not in reasons:
                reasons.append(reason)
    reason_at = _REASON.search(rest)
    main = rest[:reason_at.start()] if reason_at else rest
    if reason_at and not main.strip():  # "Since the worker left, nobody comes": the reason
        main = rest[rest.find(",", reason_at.end()) + 1:] if "," in rest else rest  # first
    found = list(_NEGATORS.finditer(main))
    negations = [m.group(0) for m in found]
    if found:  # a second negation after the first turns it back ("no decision … without")
        negations += [m.group(0) for m in _SECOND_NEGATIONS.finditer(main, found[0].end())]
    # the rules' names for what they found (not the question's words), then its negations
    words = list(reasons) + [f"'{n}'" for n in negations]
    return (len(reasons) > 0) != (len(negations) % 2 == 1), words


_WORD = re.compile(r"[a-z']+")
# Words too common to be shown as a reason (they still count)
_LITTLE = frozenset((
    "a", "an", "the", "i", "we", "you", "he", "she", "they", "it", "is", "was", "were", "are",
    "be", "been", "am", "to", "of", "in", "on", "at", "for", "and", "or", "my", "our", "your",
    "their", "his", "her", "its", "this", "that", "with", "as", "by", "me", "us", "them", "up",
    "so", "do", "did", "had", "have"))
LEARNT = PACKAGE_DATA / "examples" / "reverse_words.csv"
THRESHOLD = 0.5  # the learnt likelihood above which a question is suggested reverse-worded


def _words(text: str) -> tuple[list[str], list[str]]:
    """(the question's words as read here, each with a plain ending cut: "decided" and
    "decides" are one; the same words as written)."""
    written = _WORD.findall(_clean(text))
    return [re.sub(r"(?<=[a-z']{3})(ing|ed|es|s|ly)$", "", w) for w in written], written


def features(text: str) -> list[str]:
    """The words and word pairs a question is compared with the example bank by: its words
    as read here (negations that mean none left out), each with a plain ending cut, and each
    pair of neighbouring words."""
    return _pairs(_words(text)[0])


def _pairs(words: list[str]) -> list[str]:
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])]


@functools.lru_cache(maxsize=1)
def _learnt() -> tuple[float, dict[str, tuple[float, float]]]:
    """(intercept, {feature: (its rarity, its weight)}): what was learnt from the example
    questions (bench/learn_reverse.py writes it from data/examples)."""
    with LEARNT.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return (float(rows[0]["weight"]),
            {r["feature"]: (float(r["idf"]), float(r["weight"])) for r in rows[1:]})


def learnt_reading(text: str) -> tuple[float, list[str]]:
    """(how likely the question is reverse-worded, the words that most make it so), from a
    logistic regression on the example questions' words (tf-idf, as scikit-learn computes
    it: a word's count as 1 + log, times its rarity, the whole scaled to length 1)."""
    intercept, model = _learnt()
    stems, written = _words(text)
    counts = Counter(f for f in _pairs(stems) if f in model)
    x = {f: (1 + math.log(n)) * model[f][0] for f, n in counts.items()}
    norm = math.sqrt(sum(v * v for v in x.values())) or 1.0
    pull = {f: v / norm * model[f][1] for f, v in x.items()}
    score = intercept + sum(pull.values())
    shown = {}  # each feature as the question writes it (its first place)
    for k in range(len(stems)):
        shown.setdefault(stems[k], written[k])
        if k + 1 < len(stems):
            shown.setdefault(f"{stems[k]} {stems[k + 1]}", f"{written[k]} {written[k + 1]}")
    words: list[str] = []  # the three that pull most: no little word, none inside another
    for f in sorted(pull, key=lambda f: (-pull[f], f)):
        if len(words) == 3 or pull[f] <= 0:
            break
        parts = set(f.split())
        if not parts & _LITTLE and not any(parts <= set(w.split()) or set(w.split()) <= parts
                                           for w in words):
            words.append(f)
    return 1 / (1 + math.exp(-score)), [shown[f] for f in words]


def reverse_reading(text: str) -> tuple[bool, str]:
    """(looks reverse-worded, why): the words that turn it against the principle, or why
    it reads the principle as practised."""
    said = _clean(text)
    parts = [part for part in _CLAUSES.split(said) if part.strip()]
    against, cancelled = [], []
    for part in parts:
        turned, words = _clause(part)
        (against if turned else cancelled).extend(words)
        if turned:
            return True, "looks reverse-worded: " + ", and ".join(against)
    if cancelled or _reads_as_practised(text):  # the wording itself says which way it reads
        likely = 0.0
    else:
        likely, words = learnt_reading(text)
    if likely > THRESHOLD:
        said = f"from its words ({', '.join(map(repr, words))})" if words else \
            "from its wording"
        return True, (f"looks reverse-worded {said}, like reverse-worded example questions "
                      f"({likely:.0%} likely)")
    if cancelled:
        return False, (" and ".join(cancelled) + " cancel each other out: agreeing says the "
                       "principle is practised")
    return False, "agreeing says the principle is practised"


__all__ = ["reverse_reading"]
