"""What the report says about privacy: what was withheld and why, the quotes held back, and
the de-identification applied."""

from __future__ import annotations

import re

from .catalog import N_, Nn_, _, and_list, n_

LOG_NOTE = N_("The log of replacements stays in the run folder with the evaluation team and "
              "is in no report.")
REDACTION_KINDS = {"email": Nn_("{n} email", "{n} emails"),
                   "phone": Nn_("{n} phone", "{n} phones"),
                   "NHS number": Nn_("{n} NHS number", "{n} NHS numbers"),
                   "postcode": Nn_("{n} postcode", "{n} postcodes"),
                   "date": Nn_("{n} date", "{n} dates"),
                   "link": Nn_("{n} link", "{n} links"),
                   "handle": Nn_("{n} handle", "{n} handles"),
                   "participant": Nn_("{n} participant id", "{n} participant ids"),
                   "name": Nn_("{n} name", "{n} names")}


MASK_KINDS = {"name": Nn_("{n} name or place", "{n} names or places"),
              "number": Nn_("{n} number", "{n} numbers"),
              "detail": Nn_("{n} other detail", "{n} other details")}


def privacy_sentence(result) -> str:
    privacy = result.privacy
    return _("Statistics over fewer than {min_n} people are withheld and shown as withheld, "
             "never as zero; other counts of people are rounded to the nearest {base}, and "
             "shares are worked out from the rounded counts. A share is shown as a band of ten "
             "points instead (such as 70–80%; a band holds its lower end, not its upper) when "
             "fewer than 20 people are behind it, when the rounded counts would move it more "
             "than 2.5 points or across a threshold, when they would show all or none where "
             "that is not so, or when two groups' figures would stand the other way round to "
             "their exact shares. Bands are cut on the thresholds a share is judged against, "
             "so a band never sits on the wrong side of a threshold or puts two groups in the "
             "wrong order. A figure about few people keeps its coarse rating "
             "unless the rating itself would give away the count; then it is unknown. Groups "
             "are compared only when both are large enough. So that no group's exact size, and "
             "no one person's answers between two runs, can be worked back from the statistics: "
             "p-values are given as bands (such as 0.01 ≤ p < 0.05); Cliff's delta to two "
             "decimals, or as its size band when a group has fewer than 20 people; the ends of "
             "an interval about people are rounded outward to 5 points (10 under 20 people); "
             "a typical score (the middle person's) is given to the nearest half point; "
             "and what a comparison could detect, and intervals that depend on how many people "
             "there are, are worked out at the fewest people the rounded counts allow. "
             "Findings are still judged on the exact figures. No respondent identifier or "
             "pseudonym appears in any output.", min_n=privacy["min_group_size"],
             base=privacy["round_to"])


def withheld_lines(result) -> list[str]:
    lines = []
    for entry in result.privacy["withheld"]:
        principle = result.by_principle[entry["principle"]]
        if "group" in entry:
            lines.append(_("{principle}: {group}'s survey statistics", principle=principle.name,
                           group=result.group_label(entry["group"]).lower()))
        else:
            label = next(i.label for i in principle.evidence if i.id == entry["indicator"])
            lines.append(_("{principle}: {indicator}", principle=principle.name,
                           indicator=label))
    return lines


def quotes_held_back(result) -> str:
    privacy = result.privacy
    held = privacy.get("quotes_held_back") or {}
    parts = []
    if held.get("not_consented"):
        parts.append(n_("{n} excerpt whose speaker did not consent to being quoted",
                        "{n} excerpts whose speakers did not consent to being quoted",
                        held["not_consented"]))
    if held.get("awaiting_approval"):
        parts.append(n_("{n} excerpt awaiting the evaluator's approval",
                        "{n} excerpts awaiting the evaluator's approval",
                        held["awaiting_approval"]))
    if held.get("approval_lapsed"):
        parts.append(n_("{n} excerpt whose text changed after it was approved",
                        "{n} excerpts whose text changed after they were approved",
                        held["approval_lapsed"]))
    text = _("Quotes appear only with the speaker's consent and the evaluator's dated approval "
             "of each one.")
    if parts:
        text += " " + _("Counted in the ratings but not quoted: {parts}.",
                        parts=and_list(parts))
    if privacy.get("withdrawals"):
        text += " " + _("People who withdrew from the evaluation are left out of every "
                        "figure and quote.")
    return text


def redactions(result) -> str:
    """What was taken out of the quotes: the details the de-identifier replaced (in every
    excerpt) and what the published quotes mask as not known to be safe."""
    counts = result.privacy["redactions"]
    masked: dict[str, int] = {}
    for principle in result.principles:
        for quote in principle.quotes:
            for kind in re.findall(r"\[(name|number|detail)\]", quote["text"]):
                masked[kind] = masked.get(kind, 0) + 1
    if not counts and not masked:
        return _("No quote needed anything replaced or masked.")
    parts = []
    if counts:
        listed = [n_(*REDACTION_KINDS[kind], n) if kind in REDACTION_KINDS else f"{n} {kind}"
                  for kind, n in counts.items()]
        parts.append(_("Replaced in the excerpts: {listed}, each by a numbered placeholder "
                       "(the same detail gets the same placeholder throughout).",
                       listed=and_list(listed)))
    if masked:
        listed = [n_(*MASK_KINDS[kind], masked[kind]) for kind in MASK_KINDS if kind in masked]
        parts.append(_("Masked in the published quotes, as not known to be safe: {listed} "
                       "(shown as [name], [number] or [detail]).", listed=and_list(listed)))
    return " ".join(parts)
