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
    by = f" · evaluated by {e(project['evaluator'])}" if project.get("evaluator") else ""
    org = f"{e(project['organisation'])}" if project.get("organisation") else ""
    return f"""
<section class="coprod" aria-labelledby="verdict-heading">
  <h1 id="verdict-heading">{e(project['name'])}: is it co-produced?</h1>
  <p class="lede">{org}{by}. Measured against the {e(result.framework['name'])}.</p>
  <div class="verdict {'supported' if ok else 'unsupported'}" role="status">
    <p class="headline"><span class="mark" aria-hidden="true">{'✔' if ok else '✘'}</span>
      Claim {'supported' if ok else 'not supported'}</p>
    <p>{e(sentence)}</p>
    <p>Weakest {'principle' if len(overall.weakest) == 1 else 'principles'}: {e(weakest)}
      (rated {e(weakest_rating)}).</p>
    <p class="note">How the level is set: {e(overall.rule)}.</p>
    <p class="note">{e(result.framework['ladder']['name'])}, lowest to highest:</p>
    <ol class="ladder">{ladder}</ol>
  </div>
</section>"""


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
        f'<p class="rating">Rating: <strong>{e(result.rating(p.rating)["label"])}</strong></p>'
        f'<p class="score">{e(_score_text(result, p))}</p></li>'
        for p in result.principles)
    return (f'<section class="coprod" aria-labelledby="tiles-heading">'
            f'<h2 id="tiles-heading">The principles at a glance</h2>'
            f'<ul class="tiles">{tiles}</ul></section>')


def _group_rows(result: EvaluationResult, p: PrincipleResult, roles) -> str:
    rows = []
    min_n = result.parameters["min_group_size"]
    for role in roles:
        stats = p.groups[role]
        label = e(result.group_label(role))
        if stats.suppressed:
            rows.append(f'<tr><th scope="row">{label}</th>'
                        f'<td colspan="3" class="withheld">{e(WITHHELD.format(n=min_n))}</td></tr>')
        else:
            rows.append(f'<tr><th scope="row">{label}</th><td class="num">{stats.n}</td>'
                        f'<td class="num">{stats.median:g}</td>'
                        f'<td class="num">{stats.pct_agree:.1f}%</td></tr>')
    return "".join(rows)


def gap_sentence(result: EvaluationResult, p: PrincipleResult) -> str:
    gap = p.gap.pct_agree
    partner, staff = result.group_label("partner"), result.group_label("staff").lower()
    if gap is None:
        return "The two groups cannot be compared: one of them is too small to show."
    if abs(gap) < 10:
        return f"{partner} and {staff} broadly agree (a difference of {abs(gap):.0f} points)."
    direction = "less" if gap < 0 else "more"
    return (f"{partner} agree {abs(gap):.0f} percentage points {direction} often than "
            f"{staff} do.")


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
  <p>{e(_score_text(result, p))} {e(gap_sentence(result, p))}</p>
  <table><caption class="note">How the rating was reached</caption>
    <thead><tr><th scope="col">Indicator</th><th scope="col">Value</th>
      <th scope="col">Rating</th><th scope="col">Rule met or missed</th></tr></thead>
    <tbody>{indicators}</tbody></table>
  <table><caption class="note">Survey answers by group (items {e(", ".join(p.items))})</caption>
    <thead><tr><th scope="col">Group</th><th scope="col">People</th>
      <th scope="col">Median answer (1–5)</th><th scope="col">Agreeing</th></tr></thead>
    <tbody>{_group_rows(result, p, roles)}</tbody></table>
  {figure}
</section>"""


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
        body = (f"<p>Survey: {survey['items']} items; respondents — {'; '.join(counts)}. "
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
    missing = [name for name, s in result.evidence.items() if not s.get("present")]
    present = [name for name, s in result.evidence.items() if s.get("present")]
    return f"""
<section class="coprod" aria-labelledby="methods-heading">
  <h2 id="methods-heading">Methods and limitations</h2>
  <p>Framework: {e(result.framework['name'])} (version {e(result.framework['version'])}).
    {e(result.framework['source'])}</p>
  <p>Survey instrument {e(params['instrument']['id'])} version
    {e(params['instrument']['version'])}, answered on the scale {e(scale)}. Answers {e(agree)}
    count as agreeing. Reverse-worded items were reversed before analysis. Because the answers
    are ordered categories, the report uses medians and the share agreeing, not means.</p>
  <p>Confidence intervals are {int(params['confidence_level'] * 100)}% percentile bootstrap
    intervals from {params['bootstrap_resamples']} resamples of respondents (seed
    {params['seed']}): each resample redraws whole people, keeping each person's answers
    together.</p>
  <p>Privacy: no group of fewer than {params['min_group_size']} people is shown on its own;
    no respondent identifier appears in any output.</p>
  <h3>Ratings</h3><ul>{ratings}</ul>
  <p>{e(result.framework['rubric'])}</p>
  <h3>How the overall level is set (first rule that holds)</h3><ol>{rules}</ol>
  <h3>Limitations</h3>
  <p>Evidence streams used: {e(', '.join(present) or 'none')}.
    {('Not supplied: ' + e(', '.join(missing)) + '.') if missing else ''}
    Survey answers tell us what people experience, not what the records show; the rating
    rests on community partners' answers, because the claim is about partnership with them.</p>
</section>"""
