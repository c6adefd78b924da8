"""The app's and the workshop's own words: what a filter change shows, how to move."""

from __future__ import annotations

from .catalog import N_, _, n_

WORKSHOP_KEYS = N_("Workshop view: one principle at a time. Move with the Next and Previous "
                   "buttons, or the right and left arrow keys.")


def filter_status(result, principle_id: str | None, group_id: str | None) -> str:
    """What the app's detail shows after a filter change, said once to screen readers."""
    what = (n_("all {n} principle", "all {n} principles", len(result.principles))
            if principle_id is None else result.by_principle[principle_id].name)
    who = (_("every group") if group_id is None
           else _("{group} only", group=result.group_label(group_id).lower()))
    return _("Showing {what}, {who}.", what=what, who=who)


def stage_status(result, stage_id: str | None) -> str:
    """What the lifecycle panel shows after its filter changes."""
    if stage_id is None:
        return _("Lifecycle chart: every stage.")
    name = next(s["name"] for s in result.overall.stages if s["stage"] == stage_id)
    return _("Lifecycle chart: {stage}.", stage=name)


def workshop_keys() -> str:
    return _(WORKSHOP_KEYS)


def workshop_status(index: int, total: int, title: str) -> str:
    return _("Slide {index} of {total}: {title}.", index=index + 1, total=total, title=title)


def principle_truths(result, principle_id: str | None) -> list[dict]:
    return [t for t in result.overall.inconvenient_truths if t["principle"] == principle_id]
