"""Plain-language HTML fragments of an EvaluationResult, shared by notebooks, the Voila app
and report.html. They read the result only (never evidence) and escape every value."""

from __future__ import annotations

from functools import cache
from html import escape

from .paths import voila_template_dir
from .results import EvaluationResult, PrincipleResult

SUPPORTED = ("The evidence supports the project's claim: it shows {evidenced}, and the project "
             "claims {claimed}.")
UNSUPPORTED = ("The evidence does not support the project's claim. The project claims "
               "{claimed}; the evidence shows {evidenced}.")
WITHHELD = "withheld: fewer than {n} people in this group answered"


@cache
def stylesheet() -> str:
    return (voila_template_dir() / "static" / "coprod.css").read_text("utf-8")


def e(value) -> str:
    return escape(str(value), quote=True)


def _level_phrase(result: EvaluationResult, level_id: str) -> str:
    level = result.level(level_id)
    return f"{level['name'].lower()} (“{level['band'].lower()}”)"


def verdict_html(result: EvaluationResult) -> str:
    """The headline: evidenced vs claimed level on the ladder, and whether the claim holds."""
    overall = result.overall
    evidenced = _level_phrase(result, overall.evidenced_level)
    claimed = _level_phrase(result, overall.claimed_level)
    ok = overall.claim_supported
    sentence = (SUPPORTED if ok else UNSUPPORTED).format(evidenced=evidenced, claimed=claimed)
    weakest = ", ".join(result.by_principle[p].name for p in overall.weakest)
    weakest_rating = result.rating(result.by_principle[overall.weakest[0]].rating)["label"]
    ladder = "".join(
        f'<li class="{" ".join(c for c, on in (("evidenced", lv["id"] == overall.evidenced_level), ("claimed", lv["id"] == overall.claimed_level)) if on)}">'
        f'{e(lv["name"])}'
        f'{" — evidenced" if lv["id"] == overall.evidenced_level else ""}'
        f'{" — claimed" if lv["id"] == overall.claimed_level else ""}</li>'
        for lv in result.framework["ladder"]["levels"])
    project = result.project
    who = [e(project["organisation"])] if project.get("organisation") else []
    if project.get("evaluator"):
        who.append(f"evaluated by {e(project['evaluator'])}")
    lede = (" · ".join(who) + ". " if who else "") + "Measured against the "
    return f"""
<section class="coprod" aria-labelledby="verdict-heading">
  <h1 id="verdict-heading">{e(project['name'])}: is it co-produced?</h1>
  <p class="lede">{lede}{e(result.framework['name'])}.</p>
  <div class="verdict {'supported' if ok else 'unsupported'}" role="status">
    <p class="headline"><span class="mark" aria-hidden="true">{'✔' if ok else '✘'}</span>
      Claim {'supported' if ok else 'not supported'}</p>
    <p>{e(sentence)}</p>
    <p>{e(_weakest_sentence(result, weakest, weakest_rating))}</p>
    {_top_truths(result)}
    <p class="note">How the level is set: {e(overall.rule)}.</p>
    <p class="note">{e(result.framework['ladder']['name'])}, lowest to highest:</p>
    <ol class="ladder">{ladder}</ol>
  </div>
</section>"""


TOP_TRUTHS = 3
CONFIDENCE_WORDS = {"high": "High confidence", "medium": "Medium confidence",
                    "low": "Low confidence"}


def _top_truths(result: EvaluationResult) -> str:
    truths = result.overall.inconvenient_truths[:TOP_TRUTHS]
    if not truths:
        return "<p>No inconvenient truths: the evidence bears out what the project says.</p>"
    items = "".join(f"<li>{e(t['text'])}</li>" for t in truths)
    more = len(result.overall.inconvenient_truths) - len(truths)
    tail = (f'<p class="note">{more} more in “Inconvenient truths” below.</p>' if more else "")
    return (f'<p><strong>What the board should know first:</strong></p><ol class="truths">{items}'
            f"</ol>{tail}")


def truths_html(result: EvaluationResult) -> str:
    """Every inconvenient truth, ranked, each linked to the principle it concerns."""
    truths = result.overall.inconvenient_truths
    if not truths:
        body = "<p>None found: the evidence bears out what the project says.</p>"
    else:
        items = []
        for t in truths:
            link = (f' <a href="#principle-{e(t["principle"])}">See '
                    f'{e(result.by_principle[t["principle"]].name)}.</a>' if t["principle"] else "")
            items.append(f"<li>{e(t['text'])}{link}"
                         f"<br><span class=\"note\">Evidence: {e(', '.join(t['evidence']))}"
                         f"</span></li>")
        body = f'<ol class="truths">{"".join(items)}</ol>'
    return (f'<section class="coprod" aria-labelledby="truths-heading">'
            f'<h2 id="truths-heading">Inconvenient truths</h2>'
            f'<p class="lede">Claims the evidence does not support, and practice that falls '
            f'short, most serious first.</p>{body}</section>')


def _weakest_sentence(result: EvaluationResult, weakest: str, rating: str) -> str:
    count = len(result.overall.weakest)
    if count == len(result.principles):
        return f"Every principle is rated {rating}."
    return f"Weakest {'principle' if count == 1 else 'principles'}: {weakest} (rated {rating})."


def _score_text(result: EvaluationResult, p: PrincipleResult) -> str:
    partner = result.group_label("partner").lower()
    if p.score is None:
        return f"No survey score: {partner}' answers are not available or withheld."
    return (f"{p.score:.0f}% of {partner}' answers agree "
            f"(95% CI {p.ci[0]:.0f}–{p.ci[1]:.0f}%).")


def badge(result: EvaluationResult, rating_id: str) -> str:
    rating = result.rating(rating_id)
    return (f'<span class="badge" style="--rating-colour:{e(rating["colour"])}">'
            f'{e(rating["label"])}</span>')


def tiles_html(result: EvaluationResult) -> str:
    """One tile per principle: name, rating in words and colour, partner score."""
    tiles = "".join(
        f'<li class="tile" style="--rating-colour:{e(result.rating(p.rating)["colour"])}" '
        f'data-principle="{e(p.id)}">'
        f'<p class="name">{e(p.name)}</p>'
        f'<p class="rating">Rating: <strong>{e(result.rating(p.rating)["label"])}</strong>'
        f'{" (evaluator’s judgement)" if p.override else ""}</p>'
        f'<p class="score">{e(CONFIDENCE_WORDS[p.confidence])}. {e(_score_text(result, p))}'
        f'</p></li>'
        for p in result.principles)
    return (f'<section class="coprod" aria-labelledby="tiles-heading">'
            f'<h2 id="tiles-heading">The principles at a glance</h2>'
            f'<ul class="tiles">{tiles}</ul></section>')


def _alpha_text(alpha) -> str:
    if alpha is None:
        return "withheld"
    left = (f"; left out (too few answers): {', '.join(alpha['items_left_out'])}"
            if alpha["items_left_out"] else "")
    if alpha["value"] is None:
        return "too few complete answers to say" + left
    value = alpha["value"]
    meaning = ("the items hang together" if value >= 0.7 else
               "the items hang together only loosely" if value >= 0.5 else
               "the items do not hang together: read this survey result with care")
    return (f"{value:.2f} (95% CI {alpha['ci'][0]:.2f} to {alpha['ci'][1]:.2f}): "
            f"{meaning}{left}")


def _group_rows(result: EvaluationResult, p: PrincipleResult, roles) -> str:
    rows = []
    min_n = result.parameters["min_group_size"]
    for role in roles:
        stats = p.groups[role]
        label = e(result.group_label(role))
        if stats.suppressed:
            rows.append(f'<tr><th scope="row">{label}</th>'
                        f'<td colspan="4" class="withheld">{e(WITHHELD.format(n=min_n))}</td></tr>')
        else:
            rows.append(f'<tr><th scope="row">{label}</th><td class="num">{stats.n}</td>'
                        f'<td class="num">{stats.median:g} ({stats.iqr[0]:g}–{stats.iqr[1]:g})</td>'
                        f'<td class="num">{stats.pct_agree:.1f}%</td>'
                        f'<td>{e(_alpha_text(stats.alpha))}</td></tr>')
    return "".join(rows)


def gap_sentence(result: EvaluationResult, p: PrincipleResult) -> str:
    gap = p.gap
    partner, staff = result.group_label("partner"), result.group_label("staff").lower()
    if gap.pct_agree is None:
        return "The two groups cannot be compared: one of them is too small to show."
    if not gap.finding:
        return (f"{partner} and {staff} broadly agree: the difference of "
                f"{abs(gap.pct_agree):.0f} points is not a finding once chance and the number "
                f"of comparisons are allowed for.")
    direction = "less" if gap.pct_agree < 0 else "more"
    return (f"{partner} agree {abs(gap.pct_agree):.0f} percentage points {direction} often than "
            f"{staff} do (Mann–Whitney p = {gap.p_holm:.3g} after Holm's correction; Cliff's "
            f"delta {gap.effect_size:+.2f}; 95% CI of the gap {gap.ci[0]:.0f} to "
            f"{gap.ci[1]:.0f} points).")


def principle_html(result: EvaluationResult, principle_id: str, *, chart_svg: str = "",
                   roles: list[str] | None = None) -> str:
    """A principle's rating, the evidence behind it, and (optionally) its chart."""
    p = result.by_principle[principle_id]
    roles = roles or [g["role"] for g in result.groups]
    indicators = "".join(
        f'<tr><td>{e(ind.label)}</td>'
        f'<td class="num">{"—" if ind.value is None else f"{ind.value:g}{e(ind.unit)}"}</td>'
        f'<td>{badge(result, ind.rating) if ind.rating else "not assessed"}</td>'
        f'<td>{e(ind.explanation)}</td></tr>' for ind in p.evidence)
    figure = (f'<figure>{chart_svg}<figcaption>Answers to the items on this principle '
              f'({e(", ".join(p.items))}), by group.</figcaption></figure>') if chart_svg else ""
    return f"""
<section class="coprod principle" id="principle-{e(p.id)}" aria-labelledby="h-{e(p.id)}">
  <h3 id="h-{e(p.id)}">{e(p.name)}: {badge(result, p.rating)}</h3>
  <p>{e(p.meaning)}</p>
  {_judgement(result, p)}
  <p>{e(_score_text(result, p))} {e(gap_sentence(result, p))}</p>
  <table><caption class="note">How the rating was reached</caption>
    <thead><tr><th scope="col">Indicator</th><th scope="col">Value</th>
      <th scope="col">Rating</th><th scope="col">Rule met or missed</th></tr></thead>
    <tbody>{indicators}</tbody></table>
  <table><caption class="note">Survey answers by group (items {e(", ".join(p.items))})</caption>
    <thead><tr><th scope="col">Group</th><th scope="col">People</th>
      <th scope="col">Median answer (1–5; quartiles)</th><th scope="col">Agreeing</th>
      <th scope="col">Consistency (Cronbach's alpha)</th></tr></thead>
    <tbody>{_group_rows(result, p, roles)}</tbody></table>
  {figure}
  {_quotes(p)}
</section>"""


def _judgement(result: EvaluationResult, p: PrincipleResult) -> str:
    parts = [f"{CONFIDENCE_WORDS[p.confidence]} ({_streams_used(p)})."]
    if p.override:
        parts.append(f"The evaluator rated this principle "
                     f"{result.rating(p.override['rating'])['label']}, where the rules give "
                     f"{result.rating(p.computed_rating)['label']}. Reason: "
                     f"{p.override['reason']}")
    if p.claimed_rating:
        ratings = [r["id"] for r in result.framework["ratings"]]
        holds = ratings.index(p.claimed_rating) <= ratings.index(p.rating)
        parts.append(f"The project rates itself {result.rating(p.claimed_rating)['label']}: "
                     f"the evidence {'bears' if holds else 'does not bear'} this out.")
    return f"<p>{e(' '.join(parts))}</p>"


def _streams_used(p: PrincipleResult) -> str:
    used = sorted({i.stream.replace("_", " ") for i in p.evidence if i.rating})
    missing = sorted({i.stream.replace("_", " ") for i in p.evidence if not i.rating} - set(used))
    text = f"evidence from {', '.join(used) if used else 'no stream'}"
    return text + (f"; not assessed: {', '.join(missing)}" if missing else "")


def _quotes(p: PrincipleResult) -> str:
    blocks = []
    for code, title in (("supports", "Supporting"), ("contradicts", "Contradicting")):
        quotes = [q for q in p.quotes if q["code"] == code]
        if quotes:
            items = "".join(f'<li><q>{e(q["text"])}</q> <span class="note">— '
                            f'{e(q["source"])}</span></li>' for q in quotes)
            blocks.append(f'<h4>{title} excerpts (de-identified)</h4>'
                          f'<ul class="quotes">{items}</ul>')
    return "".join(blocks)


def evidence_html(result: EvaluationResult) -> str:
    """Which evidence was used, with group sizes (withheld when small)."""
    survey = result.evidence.get("survey", {})
    if not survey.get("present"):
        body = "<p>No survey evidence was supplied.</p>"
    else:
        counts = []
        for g in result.groups:
            n = survey["respondents"][g["role"]]
            counts.append(f"{e(g['label'])}: {n if n is not None else 'fewer than ' + str(result.parameters['min_group_size'])}")
        rates = [f"{e(g['label'])} {survey['response_rate'][g['role']]:.0f}%"
                 for g in result.groups if survey["response_rate"].get(g["role"]) is not None]
        rate_text = f" Response rates: {', '.join(rates)}." if rates else ""
        body = (f"<p>Survey: {survey['items']} items; respondents — {'; '.join(counts)}.{rate_text} "
                f"{survey['pct_missing']:g}% of possible answers were missing "
                f"(blank or “don't know”), and left out rather than counted as neutral.</p>")
    return (f'<section class="coprod" aria-labelledby="evidence-heading">'
            f'<h2 id="evidence-heading">The evidence examined</h2>{body}</section>')


def methods_html(result: EvaluationResult) -> str:
    """Methods, rules and limitations, for the evaluator and the curious commissioner."""
    params = result.parameters
    rules = "".join(f"<li>{e(rule)}</li>" for rule in result.framework["level_rules"])
    ratings = "".join(f"<li>{badge(result, r['id'])} {e(r['meaning'])}</li>"
                      for r in result.framework["ratings"])
    scale = ", ".join(f"{s['code']} = {s['label']}" for s in params["scale"])
    agree = ", ".join(str(c) for c in params["agree_codes"])
    present, missing = _streams(result)
    overridden = [p for p in result.principles if p.override]
    overrides = (" The evaluator overrode the computed rating of " + e(", ".join(
        f"{p.name} ({result.rating(p.computed_rating)['label']} → "
        f"{result.rating(p.rating)['label']}: {p.override['reason']})" for p in overridden))
        + "." if overridden else "")
    return f"""
<section class="coprod" aria-labelledby="methods-heading">
  <h2 id="methods-heading">Methods and limitations</h2>
  <p>Framework: {e(result.framework['name'])} (version {e(result.framework['version'])}).
    {e(result.framework['source'])}</p>
  <p>Survey instrument {e(params['instrument']['id'])} version
    {e(params['instrument']['version'])}, answered on the scale {e(scale)}. Answers {e(agree)}
    count as agreeing. Reverse-worded items were reversed before analysis. Because the answers
    are ordered categories, the report leads with medians, quartiles and the share agreeing;
    means appear in results.json for comparison only, as they treat the categories as
    numbers. Staff and partners are compared with the Mann–Whitney test on each person's
    mean answer, Holm-corrected across all comparisons; a difference is reported as a finding
    only when it survives the correction and Cliff's delta is at least small (0.147).
    Internal consistency is Cronbach's alpha per group with Feldt's 95% interval.
    {_agreement_text(result)}</p>
  <p>Confidence intervals are {int(params['confidence_level'] * 100)}% percentile bootstrap
    intervals from {params['bootstrap_resamples']} resamples of respondents (seed
    {params['seed']}): each resample redraws whole people, keeping each person's answers
    together.</p>
  {privacy_html(result)}
  <h3>Ratings</h3><ul>{ratings}</ul>
  <p>{e(result.framework['rubric'])}</p>
  <p>{e(result.framework['confidence_rule'])}</p>
  <h3>How the overall level is set (first rule that holds)</h3><ol>{rules}</ol>
  <p>{e(result.framework['stage_rule'])}</p>
  <h2>Reflections and limitations</h2>
  <p>Evaluation carried out by {e(result.project.get('evaluator') or 'an evaluator not named')}.
    Evidence streams used: {e(', '.join(present) or 'none')}.
    {('Not supplied: ' + e(', '.join(missing)) + '; principles that depend on them are rated '
      'on less evidence.') if missing else 'Every evidence stream was supplied.'}
    {overrides}
    Survey answers tell us what people experience and records what was done; where they
    disagree, the rating follows the weaker of the two. Quotes are de-identified excerpts
    chosen by excerpt id, not for effect.</p>
</section>"""


def _streams(result: EvaluationResult) -> tuple[list[str], list[str]]:
    present = [n.replace("_", " ") for n, s in result.evidence.items() if s.get("present")]
    missing = [n.replace("_", " ") for n, s in result.evidence.items() if not s.get("present")]
    return present, missing


def aim_html(result: EvaluationResult) -> str:
    """GRIPP2 1 — aim."""
    claimed = result.level(result.overall.claimed_level)["name"].lower()
    return f"""
<section class="coprod" aria-labelledby="aim-heading">
  <h2 id="aim-heading">Aim</h2>
  <p>To examine independently whether {e(result.project['name'])} is {e(claimed)}, as the
  project claims, measured against the {e(result.framework['name'])} and the
  {e(result.framework['ladder']['name'])}.</p>
  {f"<p>{e(result.project['description'])}</p>" if result.project.get('description') else ""}
</section>"""


def methods_summary_html(result: EvaluationResult) -> str:
    """GRIPP2 2 — methods, in brief (the full methods close the report)."""
    present, missing = _streams(result)
    who = result.project.get("evaluator") or "an evaluator not named in evaluation.yaml"
    return f"""
<section class="coprod" aria-labelledby="methods-summary-heading">
  <h2 id="methods-summary-heading">Methods</h2>
  <p>Carried out by {e(who)}. Evidence examined: {e(', '.join(present) or 'none')}.
  {('Not available: ' + e(', '.join(missing)) + ', so ratings rest on less evidence and their '
    'confidence is lower.') if missing else 'All evidence streams were available.'}
  Each principle is rated from indicators drawn from these streams, against thresholds set
  in the framework file; the rules are quoted beside every rating and in full under
  “Methods and limitations”.</p>
</section>"""


def _weakest_discussion(result: EvaluationResult, weakest: str) -> str:
    count = len(result.overall.weakest)
    if count == len(result.principles):
        rating = result.rating(result.principles[0].rating)["label"]
        return (f"Every principle is rated {rating}: partnership needs to change across all of "
                f"them, not in one corner.")
    return (f"The weakest {'principle is' if count == 1 else 'principles are'} {weakest}: "
            f"that is where partnership most needs to change.")


def discussion_html(result: EvaluationResult) -> str:
    """GRIPP2 4 — discussion: what the findings mean for the claim."""
    overall = result.overall
    names = {p.id: p.name for p in result.principles}
    weakest = ", ".join(names[w] for w in overall.weakest)
    level = result.level(overall.evidenced_level)
    claimed = result.level(overall.claimed_level)
    joined = ""
    if overall.partners_joined_stage:
        stage = next(s["name"] for s in overall.stages
                     if s["stage"] == overall.partners_joined_stage)
        joined = f" Community partners joined at the {stage.lower()} stage."
    low = [p.name for p in result.principles if p.confidence == "low"]
    return f"""
<section class="coprod" aria-labelledby="discussion-heading">
  <h2 id="discussion-heading">Discussion</h2>
  <p>The evidence places the project at {e(level['name'].lower())} ({e(level['band'].lower())}):
  {e(level['meaning'])} The project claims {e(claimed['name'].lower())}
  ({e(claimed['band'].lower())}), so the claim is
  {'supported' if overall.claim_supported else 'not supported'}.{e(joined)}</p>
  <p>{e(_weakest_discussion(result, weakest))}
  {('Ratings held with low confidence (' + e(', '.join(low)) + ') rest on one stream or on '
    'streams that disagree, and should be read with care.') if low else ''}</p>
</section>"""


def _agreement_text(result: EvaluationResult) -> str:
    agreement = result.agreement
    if agreement is None:
        return ""
    if agreement["cohen_kappa"] is None:
        return e(agreement["note"])
    return e(f"Coders agreed on {agreement['double_coded']} double-coded excerpts with Cohen's "
             f"kappa {agreement['cohen_kappa']:.2f} and Krippendorff's alpha "
             f"{agreement['krippendorff_alpha']:.2f} (nominal: principle and code).")


def privacy_html(result: EvaluationResult) -> str:
    """What disclosure control and de-identification did, with the thresholds used."""
    privacy = result.privacy
    withheld = privacy["withheld"]
    redactions = privacy["redactions"]
    redacted = (", ".join(f"{n} {kind}{'s' if n > 1 else ''}" for kind, n in redactions.items())
                if redactions else "nothing needed replacing")
    listed = ("".join(f"<li>{e(w)}</li>" for w in withheld))
    return f"""
  <h3>Protecting the people in the evidence</h3>
  <p>Statistics over fewer than {privacy['min_group_size']} people are withheld and shown as
    withheld, never as zero; other counts of people are rounded to the nearest
    {privacy['round_to']}. Groups are compared only when both are large enough. No respondent
    identifier or pseudonym appears in any output.</p>
  <p>Withheld in this report: {f'<ul>{listed}</ul>' if withheld else 'nothing.'}</p>
  <p>Quotes were de-identified before leaving the run: {e(redacted)} replaced by numbered
    placeholders (the same detail gets the same placeholder throughout). The log of
    replacements stays in the run folder with the evaluation team and is in no report.</p>"""
