"""The truth oracle's checks: every published statement against the exact facts.

Reads what a reader reads — the report, the Easy Read summary, the workshop slides and the
terminal's verdict line, as text and tables — and holds each statement to the figures the
generator knows (tests/oracle/generate.py) and to the rest of the page. It parses the pages
as a reader would (headings, table cells, sentences); it does not ask the words layer what
it meant.

Each check returns (code, message) pairs; the code names the kind of lie.
"""

from __future__ import annotations

import math
import re

import lxml.html
from scipy.stats import binomtest

from .generate import Project, exact_share

EFFECT_BANDS = ((0.147, "negligible"), (0.33, "small"), (0.474, "medium"), (9, "large"))
NUMBER = r"[−-]?\d+(?:[.,]\d+)?"
PERCENT = re.compile(rf"^({NUMBER})%")
BAND = re.compile(rf"^({NUMBER})–({NUMBER})%")
PLAIN = re.compile(rf"^({NUMBER})\b")


def text_of(element) -> str:
    return " ".join(element.text_content().split())


def _number(text: str) -> float:
    return float(text.replace("−", "-").replace(",", ""))


def effect_of(delta: float) -> str:
    return next(word for limit, word in EFFECT_BANDS if abs(delta) < limit)


SIGNED = r"[−+-]?\d+(?:[.,]\d+)?"
# Cliff's delta as a figure ('−0.54') or, for a small group, as its size band ('between −1
# and −0.474')
DELTA = rf"(?:({SIGNED})|between ({SIGNED}) and ({SIGNED}))"


def delta_of(match, first: int):
    """(value, band) of a DELTA matched from group ``first``."""
    if match.group(first) is not None:
        return _number(match.group(first).lstrip("+")), None
    return None, (_number(match.group(first + 1).lstrip("+")),
                  _number(match.group(first + 2).lstrip("+")))


def delta_effect(value, band) -> str:
    """The size word a published delta (figure or band) earns."""
    if value is not None:
        return effect_of(value)
    return effect_of(min(abs(band[0]), abs(band[1])) if band[0] * band[1] >= 0 else 0.0)


def delta_sign(value, band) -> int:
    if value is not None:
        return (value > 0) - (value < 0)
    return (band[0] >= 0 and band[1] > 0) - (band[1] <= 0 and band[0] < 0)


def delta_holds(exact: float, value, band) -> bool:
    """The exact delta is the one published: within its two decimals, or inside its band
    (a band's end nearest zero holds; the other holds only at 1)."""
    if value is not None:
        return abs(value - exact) < 0.01  # two decimals, cut back toward its band
    low, high = band
    if low < 0 < high:
        return low < exact < high
    if low >= 0:
        return low <= exact < high or exact == high == 1
    return low < exact <= high or exact == low == -1


class Page:
    """A rendered page, as elements and as plain text."""

    def __init__(self, html: str):
        tree = lxml.html.fromstring(html)
        for drop in tree.xpath("//svg|//style|//script"):
            drop.getparent().remove(drop)
        self.tree = tree
        self.text = text_of(tree)


def shown_share(cell: str):
    """(value, band) of a share as a cell shows it: '81%', '50–60%'."""
    cell = cell.strip()
    band = BAND.match(cell)
    if band:
        return None, (_number(band.group(1)), _number(band.group(2)))
    value = PERCENT.match(cell)
    return (_number(value.group(1)), None) if value else (None, None)


def shown_order(a, b) -> int:
    """1 when everything ``a`` may be lies above everything ``b`` may be, -1 the reverse."""
    def above(x, y):
        low_x = x[0] if x[1] is None else x[1][0]
        high_y = y[0] if y[1] is None else y[1][1]
        return low_x > high_y or (low_x == high_y and y[1] is not None and y[1][0] < y[1][1])

    if a == (None, None) or b == (None, None):
        return 0
    return 1 if above(a, b) else -1 if above(b, a) else 0


def rating_of(value: float, thresholds, lower: bool) -> int:
    """Index of the highest rating whose threshold ``value`` meets (0: none)."""
    met = 0
    for i, t in enumerate(thresholds, start=1):
        if (value <= t) if lower else (value >= t):
            met = i
    return met


def band_rating(band, thresholds, lower: bool) -> int | None:
    """The one rating every figure in a band gets, or None when the band straddles a
    threshold (a band holds its lower end for higher-is-better shares, its upper end for
    lower-is-better ones)."""
    low, high = band
    if low == high:
        return rating_of(low, thresholds, lower)
    inside = (low, (low + high) / 2, high - 1e-6) if not lower else (low + 1e-6,
                                                                    (low + high) / 2, high)
    found = {rating_of(v, thresholds, lower) for v in inside}
    return found.pop() if len(found) == 1 else None


def check(project: Project, result, report: str, summary: str, slides: list[str],
          line: str) -> list[tuple[str, str]]:
    page, easy = Page(report), Page(summary)
    found: list[tuple[str, str]] = []
    labels = [r["label"] for r in result.framework["ratings"]]
    index = {label: i for i, label in enumerate(labels)}
    for check_ in (_ranges, _indicators, _tiles, _group_order, _disagreement_order,
                   _effects, _confidence_words, _counts, _unchecked, _rounds, _plurals,
                   _room, _withheld, _shares_near_exact, _common_ground, _deltas,
                   _easy_confidence, _item_checks, _conduct):
        found += check_(project, result, page, easy, index)
    for i, slide in enumerate(slides):
        found += [(code, f"slide {i}: {message}") for code, message in
                  _ranges(project, result, Page(slide), easy, index)
                  + _effects(project, result, Page(slide), easy, index)
                  + _counts(project, result, Page(slide), easy, index)]
    if f"({result.overall.confidence} confidence)" not in line:
        found.append(("confidence_words", f"the verdict line omits its confidence: {line}"))
    return found


# --- the checks ------------------------------------------------------------------------------

RANGE = re.compile(r"\(plausibly ([^()]+?) to ([^()]+?)\)")


def _ranges(project, result, page, easy, index):
    """Every rating shown with its range lies inside that range."""
    found = []
    for h3 in page.tree.xpath("//section[contains(@class,'principle')]/h3"
                              "|//section[contains(@class,'workshop-slide')]/h2"):
        badge = h3.xpath(".//span[contains(@class,'badge')]")
        span = RANGE.search(text_of(h3))
        if badge and span:
            found += _inside(text_of(badge[0]), span.groups(), index, text_of(h3))
    for tile in page.tree.xpath("//li[contains(@class,'tile')]"):
        rating = tile.xpath(".//p[@class='rating']/strong")
        span = RANGE.search(text_of(tile))
        if rating and span:
            found += _inside(text_of(rating[0]), span.groups(), index, text_of(tile)[:80])
    for row in page.tree.xpath("//section[contains(@class,'principle')]//table[1]/tbody/tr"):
        cells = row.xpath("./td")
        badge = cells[2].xpath(".//span[contains(@class,'badge')]") if len(cells) > 2 else []
        span = RANGE.search(text_of(cells[2])) if len(cells) > 2 else None
        if badge and span:
            found += _inside(text_of(badge[0]), span.groups(), index, text_of(row)[:80])
    return found


def _inside(rating, span, index, where):
    low, high = (s.strip() for s in span)
    if rating not in index or low not in index or high not in index:
        return []
    if not index[low] <= index[rating] <= index[high]:
        return [("rating_outside_range", f"{rating} shown with range {low} to {high}: {where}")]
    return []


def _yardstick(project, result, index):
    """Each principle's indicators by label, their thresholds as rating indexes."""
    from .generate import indicators

    rating_index = {r["id"]: i for i, r in enumerate(result.framework["ratings"])}
    out = {}
    for pid, found in indicators(project.framework).items():
        out[pid] = {i["label"]: dict(i, tops=[rating_index[r] for r, _ in i["thresholds"]],
                                     values=[v for _, v in i["thresholds"]]) for i in found}
    return out


def _shown_rating(indicator, value, band):
    met = (band_rating(band, indicator["values"], indicator["lower"]) if band is not None
           else rating_of(value, indicator["values"], indicator["lower"]))
    return None if met is None else (0 if met == 0 else indicator["tops"][met - 1])


def _indicators(project, result, page, easy, index):
    """An indicator's figure sits on its rating's side of every threshold (or the row says
    the figure shown is rounded), and the rule it quotes is its rating's."""
    found = []
    yardstick = _yardstick(project, result, index)
    for pid, by_label in yardstick.items():
        section = page.tree.xpath(f"//section[@id='principle-{pid}']")
        if not section:
            continue
        for row in section[0].xpath(".//table[1]/tbody/tr"):
            cells = [text_of(c) for c in row.xpath("./td")]
            indicator = by_label.get(cells[0]) if cells else None
            badge = row.xpath("./td[3]//span[contains(@class,'badge')]")
            if indicator is None or len(cells) < 4 or not badge:
                continue
            rating = index.get(text_of(badge[0]))
            value, band = _figure(cells[1], "%" if cells[1].split(" ")[0].endswith("%")
                                  else "")
            if value is None and band is None:
                continue
            if _shown_rating(indicator, value, band) != rating and "rounded" not in cells[3]:
                found.append(("figure_against_rating",
                              f"{pid}/{indicator['id']}: {cells[1]} shown, rated "
                              f"{text_of(badge[0])} ({cells[3]})"))
            quoted = re.search(r"(?:meets|within) the [‘']([^’']+)[’']", cells[3])
            if quoted and quoted.group(1) != text_of(badge[0]):
                found.append(("rule_against_rating", f"{pid}/{indicator['id']}: rated "
                              f"{text_of(badge[0])}, the rule quoted is {quoted.group(1)}'s"))
    return found


# the organisation's conduct towards few partners, as a reader reads it: a word and its shares
CONDUCT = re.compile(r"^(none|a few|about half|most|all) \(([^()]*)\)")


def conduct_said(cell: str):
    """(word, (low, high)) of a conduct figure as written, or None."""
    match = CONDUCT.match(cell)
    if not match:
        return None
    text = match.group(2)
    numbers = [_number(x) for x in re.findall(NUMBER, text)]
    if text.startswith(("under", "up to")):
        band = (0.0, numbers[0])
    elif "not all" in text:
        band = (numbers[0], 100.0)
    elif len(numbers) == 2:
        band = (numbers[0], numbers[1])
    else:
        band = (numbers[0], numbers[0])
    return match.group(1), band


def _figure(cell: str, unit: str):
    conduct = conduct_said(cell)
    if conduct:
        return None, conduct[1]
    band = BAND.match(cell)
    if band:
        return None, (_number(band.group(1)), _number(band.group(2)))
    match = (PERCENT if unit == "%" else PLAIN).match(cell)
    return (_number(match.group(1)), None) if match else (None, None)


def _conduct(project, result, page, easy, index):
    """The organisation's conduct in words holds the exact share, worked out here from the
    generated resources file: 'none' and 'all' only when it is so, 'a few' under 40%, 'about
    half' from 40% to under 60%, 'most' from 60% to under 100%."""
    path = project.folder / "evidence" / "resources.csv"
    if not path.is_file():
        return []
    import csv

    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    yes = [{k: v == "yes" for k, v in row.items()} for row in rows]
    exact = {  # measure → (k, n), as the measure is defined in the README's yardstick
        "pct_offered_payment": (sum(r["offered_payment"] for r in yes), len(rows)),
        "pct_offered_training": (sum(r["training_offered"] for r in yes), len(rows)),
        "pct_out_of_pocket": (sum(r["out_of_pocket"] for r in yes), len(rows)),
        "pct_paid_on_time": (sum(r["paid"] and row["days_late"] in ("", "0")
                                 for r, row in zip(yes, rows) if r["offered_payment"]),
                             sum(r["offered_payment"] for r in yes))}
    found = []
    for pid, by_label in _yardstick(project, result, index).items():
        section = page.tree.xpath(f"//section[@id='principle-{pid}']")
        for row in section[0].xpath(".//table[1]/tbody/tr") if section else ():
            cells = [text_of(c) for c in row.xpath("./td")]
            indicator = by_label.get(cells[0]) if cells else None
            said = conduct_said(cells[1]) if len(cells) > 1 else None
            if indicator is None or said is None:
                continue
            k, n = exact.get(indicator["measure"], (0, 0))
            if not n:
                found.append(("conduct_words", f"{pid}/{indicator['id']}: '{cells[1]}' shown "
                              "with nothing to measure"))
                continue
            share, lower = 100.0 * k / n, indicator["lower"]
            (low, high), word = said[1], said[0]
            inside = (low == high == share) or (
                low < high and (low < share <= high if lower else low <= share < high))
            cut = sum((c < share) if lower else (c <= share) for c in (40.0, 60.0))
            right = {"none": k == 0, "all": k == n}.get(
                word, 0 < k < n and word == ("a few", "about half", "most")[cut])
            if not (inside and right):
                found.append(("conduct_words", f"{pid}/{indicator['id']}: '{cells[1]}' shown, "
                              f"exactly {k} of {n}"))
    return found


def _tiles(project, result, page, easy, index):
    """A tile's 'set by its weakest indicator' figure earns the tile's rating."""
    found = []
    if "lowest rating among its indicators" not in page.text:  # not the weakest-link rule
        return found
    yardstick = _yardstick(project, result, index)
    for tile in page.tree.xpath("//li[contains(@class,'tile')]"):
        said = re.search(r"Set by its weakest indicator, (.+?): (\S+?)( \(a band\))?\.",
                         text_of(tile))
        rating = tile.xpath(".//p[@class='rating']/strong")
        if not said or not rating or "evaluator" in text_of(tile):
            continue
        by_label = {label.lower(): i for label, i in
                    yardstick.get(tile.get("data-principle"), {}).items()}
        indicator = by_label.get(said.group(1))
        unit = "%" if said.group(2).endswith("%") else ""
        value, band = _figure(said.group(2), unit)
        if indicator is None or (value is None and band is None):
            continue
        if _shown_rating(indicator, value, band) != index.get(text_of(rating[0])):
            found.append(("tile_figure_against_rating",
                          f"{tile.get('data-principle')}: {said.group(2)} beside "
                          f"{text_of(rating[0])}"))
    return found


def _group_order(project, result, page, easy, index):
    """Groups' shares shown side by side never stand in the opposite order to the exact
    shares without the page saying so."""
    found = []
    label_of = {g["label"]: g["id"] for g in project.groups}
    for principle in result.principles:
        section = page.tree.xpath(f"//section[@id='principle-{principle.id}']")
        if not section:
            continue
        items = project.principles.get(principle.id, [])
        table = section[0].xpath(".//table[caption[starts-with(normalize-space(.),"
                                 "'Survey answers by group')]]")
        if not table:
            continue
        shown = {}
        for row in table[0].xpath("./tbody/tr"):
            group = label_of.get(text_of(row.xpath("./th")[0]))
            cells = row.xpath("./td")
            if group and len(cells) == 4:
                shown[group] = shown_share(text_of(cells[3]))
        notes = " ".join(text_of(n) for n in section[0].xpath(".//p[@class='note']"))
        for a in shown:
            for b in shown:
                exact_a, exact_b = (exact_share(project, items, g) for g in (a, b))
                if math.isnan(exact_a) or math.isnan(exact_b) or exact_a >= exact_b:
                    continue  # look at each pair once, a the lower on the exact figures
                if shown_order(shown[a], shown[b]) == 1:
                    low = project_label(project, a).lower()
                    if f"On the exact figures {low} agree less often" not in notes:
                        found.append(("order_reversed", f"{principle.id}: {a} "
                                      f"{exact_a:.1f}% < {b} {exact_b:.1f}% exactly, shown "
                                      f"{shown[a]} above {shown[b]}"))
    return found


def project_label(project, group):
    return next(g["label"] for g in project.groups if g["id"] == group)


def map_rows(project, page):
    """The disagreement map's rows as (item, [group ids], [(value, band)], cells)."""
    label_of = {g["label"]: g["id"] for g in project.groups}
    for row in page.tree.xpath("//table[contains(@class,'disagreement-map')]/tbody/tr"):
        item = re.search(r"\((Q\d+)\)\s*$", text_of(row.xpath("./th")[0]))
        cells = [text_of(c) for c in row.xpath("./td")]
        if not item or len(cells) < 3:
            continue
        groups = [label_of.get(x.strip()) for x in cells[0].split(" / ")]
        shares = [shown_share(x.split(" (")[0]) for x in cells[1].split(" / ")]
        if None not in groups and len(shares) == 2:
            yield item.group(1), groups, shares, cells


def _disagreement_order(project, result, page, easy, index):
    found = []
    for item, groups, shares, cells in map_rows(project, page):
        exact = [exact_share(project, [item], g) for g in groups]
        order = shown_order(*shares)
        truth = (exact[0] > exact[1]) - (exact[0] < exact[1])
        if order and truth and order != truth and "on the exact figures" not in cells[1]:
            found.append(("order_reversed", f"{item}: {cells[1]} shown, exact "
                          f"{exact[0]:.1f}% and {exact[1]:.1f}%"))
    return found


DETAILS = re.compile(rf"Cliff's delta {DELTA} \((negligible|small|medium|large)\)")
SENTENCE = re.compile(r"score (lower|higher) than [^:]+: (.+?) — a (negligible|small|medium|"
                      r"large) difference")
TYPICAL = re.compile(rf"the typical score of .+? is ({NUMBER}) and of .+? ({NUMBER}) on the")


def _effects(project, result, page, easy, index):
    """Effect words match Cliff's delta's size bands; lower/higher match its sign; the
    typical scores shown do not point the other way unsaid."""
    found = []
    for match in DETAILS.finditer(page.text):
        value, band = delta_of(match, 1)
        word = match.group(4)
        if delta_effect(value, band) != word:
            found.append(("effect_word", f"Cliff's delta {match.group(0)} called {word}"))
    for details in page.tree.xpath("//section[contains(@class,'principle')]//details"
                                   "[summary[normalize-space(.)='The statistics behind this "
                                   "comparison']]"):
        detail = DETAILS.search(text_of(details))
        before = details.xpath("preceding-sibling::p[1]")
        if not detail or not before:
            continue
        sentence = text_of(before[0])
        said = SENTENCE.search(sentence)
        value, band = delta_of(detail, 1)
        sign, word = delta_sign(value, band), detail.group(4)
        if said:
            if (said.group(1) == "lower") != (sign < 0):
                found.append(("direction", f"'{said.group(1)}' with delta {detail.group(0)}"))
            if said.group(3) != word:
                found.append(("effect_word", f"'a {said.group(3)} difference' with delta "
                              f"{detail.group(0)} ({word})"))
            typical = TYPICAL.search(sentence)
            if typical and "compares every pair" not in sentence:
                mine, theirs = _number(typical.group(1)), _number(typical.group(2))
                if (said.group(1) == "lower" and mine > theirs) or (
                        said.group(1) == "higher" and mine < theirs):
                    found.append(("direction", f"typical {mine} against {theirs} said "
                                  f"{said.group(1)}"))
        elif "somewhat" in sentence and word == "large":
            found.append(("effect_word", f"'somewhat' with a large delta: {sentence}"))
        elif re.search(r"score (lower|higher) — a", sentence):
            lower = "score lower — a" in sentence
            if lower != (sign < 0) or f"a {word} difference" not in sentence:
                found.append(("effect_word", f"{sentence[:120]} with delta {detail.group(0)}"))
    for row in page.tree.xpath("//table[contains(@class,'disagreement-map')]/tbody/tr"):
        cells = [text_of(c) for c in row.xpath("./td")]
        said = re.search(rf"answer (less|more) favourably \((\w+)\): Cliff's delta {DELTA}",
                         cells[-1] if cells else "")
        if said:
            value, band = delta_of(said, 3)
            if delta_effect(value, band) != said.group(2) or (
                    (said.group(1) == "less") != (delta_sign(value, band) < 0)):
                found.append(("effect_word", f"disagreement row: {cells[-1][:100]}"))
    return found


def _confidence_words(project, result, page, easy, index):
    """'clearly' and 'confident' only with high confidence; never 'High confidence' beside
    'Borderline'."""
    found = []
    box = page.tree.xpath("//div[contains(@class,'verdict')]")
    said = text_of(box[0]) if box else ""
    high = result.overall.confidence == "high"
    for word in ("clearly", "We are confident"):
        if word in said and not high:
            found.append(("confidence_words", f"'{word}' with {result.overall.confidence} "
                          "confidence"))
    if f"({result.overall.confidence} confidence)" not in said:
        found.append(("confidence_words", "the verdict does not say its confidence"))
    for tile in page.tree.xpath("//li[contains(@class,'tile')]"):
        tile_text = text_of(tile)
        if "High confidence" in tile_text and "Borderline" in tile_text:
            found.append(("confidence_words", f"High confidence and Borderline: "
                          f"{tile_text[:60]}"))
    return found


COUNT = re.compile(r"\b(\d+) of (?:the |all |its )?(\d+)\b")


def _counts(project, result, page, easy, index):
    """A count in a sentence never exceeds its total."""
    found = []
    for text in (page.text, easy.text):
        for match in COUNT.finditer(text):
            part, whole = int(match.group(1)), int(match.group(2))
            if part > whole:
                found.append(("count_over_total", text[max(0, match.start() - 60):
                                                       match.end() + 20]))
    asked = re.search(r"We asked (\d+) questions?\.", easy.text)
    differ = re.search(r"answered (\d+) of them differently", easy.text)
    if asked and differ and int(differ.group(1)) > int(asked.group(1)):
        found.append(("count_over_total", f"Easy Read: {differ.group(0)} of {asked.group(0)}"))
    return found


def _unchecked(project, result, page, easy, index):
    """Nothing is said to need no change where evidence was never checked."""
    found = []
    missing = {"attendance", "decisions", "resources", "qualitative"} - project.streams
    if not missing:
        return found
    if "We did not find anything that needs to change." in easy.text:
        found.append(("unchecked_all_clear", "Easy Read says nothing needs to change, though "
                      f"{sorted(missing)} were never supplied"))
    for p in page.tree.xpath("//p"):
        said = text_of(p)
        if said.startswith("No shortfall found") and "not checked" not in said:
            found.append(("unchecked_all_clear", said))
    return found


def _rounds(project, result, page, easy, index):
    """The partners' reading of one round appears as that round's only."""
    found = []
    if project.sense_making_round is None:
        return found
    box = page.tree.xpath("//div[contains(@class,'verdict')]")
    said = text_of(box[0]) if box else ""
    current = project.sense_making_round == project.round
    if not current and "Partner reviewers (" in said:
        found.append(("earlier_round_on_front", f"round {project.sense_making_round}'s "
                      f"reading on round {project.round}'s front page"))
    if not current and "Partner reviewers (" in easy.text:
        found.append(("earlier_round_on_front", "an earlier round's reading in the Easy Read"))
    if current and "Partner reviewers (" not in said:
        found.append(("reading_missing", "this round's partners' reading is not on the front"))
    return found


PLURAL = re.compile(r"\b1 (partners|principles|excerpts|decisions|meetings|stages|questions|"
                    r"records|people|items|groups|comparisons|indicators)\b")


def _plurals(project, result, page, easy, index):
    return [("plural", page.text[max(0, m.start() - 40):m.end() + 10])
            for text in (page.text, easy.text) for m in PLURAL.finditer(text)]


def _room(project, result, page, easy, index):
    """Every category under-represented beyond noise (exact counts, Wilson's interval) is
    named as such, and no merged row hides it."""
    found = []
    for characteristic, entry in (project.room or {}).items():
        total = sum(entry["partners"].values())
        for category, share in entry["population"].items():
            k = entry["partners"][category]
            high = binomtest(k, total).proportion_ci(method="wilson").high if total else 1
            if total and high < share and category not in page.text.split(
                    "Who is in the room")[-1]:
                found.append(("missing_group_hidden", f"{characteristic}: {category}"))
            if total and high < share and "Fewer partners than the population" not in page.text:
                found.append(("missing_group_hidden", f"{characteristic}: {category} raised no "
                              "finding"))
    return found


def _withheld(project, result, page, easy, index):
    """An indicator that is supplied but cannot be known (too few people to show, too few
    records to measure) never leaves its principle above the bottom of the scale under the
    weakest-indicator rule; a declared budget is assessed, never turned away as one record."""
    found = []
    minimum = "lowest rating among its indicators" in page.text
    bottom = result.framework["ratings"][0]["label"]
    for section in page.tree.xpath("//section[contains(@class,'principle')]"):
        heading = section.xpath("./h3//span[contains(@class,'badge')]")
        rating = text_of(heading[0]) if heading else None
        for row in section.xpath(".//table[1]/tbody/tr"):
            cells = [text_of(c) for c in row.xpath("./td")]
            if len(cells) < 4:
                continue
            unknown = re.search(r"(Not shown: fewer than|Not known|rests on \d+ \w+.*fewer "
                                r"than the|fewer than the \d+ needed)", cells[3])
            if "budget" in cells[0].lower() and re.search(r"rests on|fewer than", cells[3]):
                found.append(("budget_not_assessed", f"{section.get('id')}: {cells[3]}"))
            elif unknown and minimum and rating not in (None, bottom) \
                    and "evaluator" not in text_of(section.xpath("./p")[1] if len(
                        section.xpath("./p")) > 1 else section):
                found.append(("withheld_raises", f"{section.get('id')} rated {rating} while "
                              f"{cells[0]} cannot be known"))
    return found


# a share shown as a figure is within this many points of the exact share: 2.5 from
# rounding the counts, and half a point more from writing it as a whole percentage
NEAR = 3.0


def _near(shown, exact: float) -> bool:
    """The share shown is near the exact one, and says all or none only when it is so."""
    value, band = shown
    if band is not None:
        low, high = band
        return low <= exact <= high
    if value is not None and ((value >= 100) != (exact >= 100) or (value <= 0) != (exact <= 0)):
        return False
    return value is None or abs(value - exact) <= NEAR


def _shares_near_exact(project, result, page, easy, index):
    """A share shown as a figure is within 2.5 points of the exact share; a band holds it."""
    found = []
    label_of = {g["label"]: g["id"] for g in project.groups}
    for pid, items in project.principles.items():
        section = page.tree.xpath(f"//section[@id='principle-{pid}']")
        table = section[0].xpath(".//table[caption[starts-with(normalize-space(.),"
                                 "'Survey answers by group')]]") if section else []
        for row in (table[0].xpath("./tbody/tr") if table else []):
            group = label_of.get(text_of(row.xpath("./th")[0]))
            cells = row.xpath("./td")
            if group and len(cells) == 4:
                exact = exact_share(project, items, group)
                if not math.isnan(exact) and not _near(shown_share(text_of(cells[3])), exact):
                    found.append(("share_far_from_exact", f"{pid}/{group}: "
                                  f"{text_of(cells[3])} shown, exact {exact:.1f}%"))
    for item, groups, shares, _cells in map_rows(project, page):
        for group, shown in zip(groups, shares):
            exact = exact_share(project, [item], group)
            if not math.isnan(exact) and not _near(shown, exact):
                found.append(("share_far_from_exact", f"{item}/{group}: {shown} shown, "
                              f"exact {exact:.1f}%"))
    return found


def _common_ground(project, result, page, easy, index):
    """A question called common ground has a majority of every group agreeing with the
    principle on the exact figures, and the line names every group."""
    found = []
    section = page.tree.xpath("//ul[@class='common-ground']/li")
    texts = {f"Statement {item} about {pid}.": item for pid, items in project.principles.items()
             for item in items}
    for li in section:
        said = text_of(li)
        item = next((i for t, i in texts.items() if t in said), None)
        if item is None:
            continue
        for g in project.groups:
            exact = exact_share(project, [item], g["id"])
            answered = sum(1 for who, given in project.answers.items()
                           if project.group_of[who] == g["id"] and item in given)
            if answered >= project.min_n and not exact > 50:
                found.append(("common_ground_false", f"{item}: {g['id']} {exact:.1f}%"))
    return found


DETAIL_GROUP = re.compile(r"^(?:No difference between )?(.+?) (?:score |and |are not)")


def _deltas(project, result, page, easy, index):
    """Each comparison's Cliff's delta, as published, is the one computed here from the
    people's answers (each person's mean answer, reverse-worded items turned)."""
    found = []
    label_of = {g["label"].lower(): g["id"] for g in project.groups}
    for pid, items in project.principles.items():
        section = page.tree.xpath(f"//section[@id='principle-{pid}']")
        if not section:
            continue
        for details in section[0].xpath(".//details[summary[normalize-space(.)='The "
                                        "statistics behind this comparison']]"):
            detail = DETAILS.search(text_of(details))
            before = details.xpath("preceding-sibling::p[1]")
            said = DETAIL_GROUP.search(text_of(before[0])) if before else None
            group = label_of.get(said.group(1).lower()) if said else None
            if not detail or group is None:
                continue
            exact = _cliffs_delta(project, items, group, "staff")
            value, band = delta_of(detail, 1)
            if exact is not None and not delta_holds(exact, value, band):
                found.append(("delta_wrong", f"{pid}/{group}: delta {detail.group(0)} shown, "
                              f"{exact:.4f} exactly"))
    return found


def _cliffs_delta(project, items, group, reference) -> float | None:
    def scores(g):
        out = []
        for who, given in project.answers.items():
            if project.group_of[who] != g:
                continue
            codes = [(project.scale + 1 - given[i]) if i in project.reverse else given[i]
                     for i in items if i in given]
            if codes:
                out.append(sum(codes) / len(codes))
        return out

    a, b = scores(group), scores(reference)
    if not a or not b:
        return None
    greater = sum(x > y for x in a for y in b)
    less = sum(x < y for x in a for y in b)
    return (greater - less) / (len(a) * len(b))


def _easy_confidence(project, result, page, easy, index):
    """The Easy Read says a principle plainly only when its rating is sure (high confidence,
    no other rating in range), and "We are sure" only with high confidence."""
    found = []
    for li in easy.tree.xpath("//li"):
        said = text_of(li)
        for p in result.principles:
            if said.startswith(f"{p.name}: we ") and "not completely sure" not in said and (
                    p.confidence != "high" or p.borderline):
                found.append(("confidence_words", f"Easy Read: '{said}' with "
                              f"{p.confidence} confidence"))
    if "We are sure about this." in easy.text and result.overall.confidence != "high":
        found.append(("confidence_words", "Easy Read: 'We are sure' with "
                      f"{result.overall.confidence} confidence"))
    return found


ITEM_CHECK = re.compile(rf"(\w+) (runs against|sits apart from) the other ‘([^’]+)’ questions "
                        rf"\(r = ({NUMBER}), 95% interval ({NUMBER}) to ({NUMBER})\)")


def _item_rest_exact(project, pid: str, item: str):
    """(r, low, high) of one question against the rest of its principle's, from the
    generated answers (reverse-worded ones reversed), or None with under 20 people."""
    from scipy.stats import pearsonr

    def code(item_, given):
        value = given[item_]
        return project.scale + 1 - value if item_ in project.reverse else value

    rest_items = [i for i in project.principles[pid] if i != item]
    pairs: dict[str, list[tuple[float, float]]] = {}
    for who, given in project.answers.items():
        rest = [code(i, given) for i in rest_items if given.get(i)]
        if given.get(item) and rest:
            pairs.setdefault(project.group_of[who], []).append(
                (code(item, given), sum(rest) / len(rest)))
    xs, ys = [], []  # each centred within its group
    for found in pairs.values():
        mean_x = sum(x for x, _ in found) / len(found)
        mean_y = sum(y for _, y in found) / len(found)
        xs += [x - mean_x for x, _ in found]
        ys += [y - mean_y for _, y in found]
    n, groups = len(xs), len(pairs)
    if n < 20 or n - 3 - (groups - 1) < 1 or max(xs) - min(xs) < 1e-12 or \
            max(ys) - min(ys) < 1e-12:
        return None
    r = pearsonr(xs, ys).statistic
    half = 1.959963984540054 / math.sqrt(n - 3 - (groups - 1))  # Fisher, a df per group
    z = math.atanh(max(-0.999999, min(0.999999, r)))
    return r, math.tanh(z - half), math.tanh(z + half)


def _item_checks(project, result, page, easy, index):
    """A question said to run against (or sit apart from) its principle's others does, by
    the figures beside it, which are the generated answers' (scipy); and every question whose
    interval, as published, says so is named."""
    found = []
    ids = {p.name: p.id for p in result.principles}
    said = {}
    for match in ITEM_CHECK.finditer(page.text):
        item, verb, name = match.group(1), match.group(2), match.group(3)
        r, low, high = (_number(match.group(k)) for k in (4, 5, 6))
        said[item] = verb
        exact = _item_rest_exact(project, ids.get(name, ""), item) if name in ids else None
        if exact is None:
            found.append(("item_check", f"{item}: said to {verb} ‘{name}’ with no figure"))
            continue
        if abs(exact[0] - r) > 0.0051 or not (low <= exact[1] and exact[2] <= high):
            found.append(("item_check", f"{item}: r {r} [{low}, {high}] shown, exact "
                                        f"{exact[0]:.4f} [{exact[1]:.4f}, {exact[2]:.4f}]"))
        if verb == "runs against" and not high < 0:
            found.append(("item_check", f"{item} said to run against, interval to {high}"))
        if verb == "sits apart from" and not 0 <= high <= 0.1:
            found.append(("item_check", f"{item} said to sit apart, interval to {high}"))
    for pid, items in project.principles.items():
        asked = [i for i in items if any(i in given for given in project.answers.values())]
        if len(asked) < 2:
            continue
        for item in asked:
            exact = _item_rest_exact(project, pid, item)
            if exact is None:
                continue
            high = math.ceil(exact[2] / 0.05 - 1e-9) * 0.05
            if high <= 0.1 + 1e-9 and item not in said:
                found.append(("item_check", f"{item} ({pid}): interval to {high:.2f} "
                                            "published, but the report does not name it"))
    return found
