"""Who is in the room, and who is missing: the partners described in aggregate beside the
population the service is for.

evaluation.yaml may give, per characteristic (age band, ethnicity group, disability, carer
status…), how many partners are in each category (counts, never people) and each category's
share of the population the service is for. A category is *under-represented* — our
operationalisation — when even the top of the 95% Wilson interval of the partners' share falls
below its share of the population (fewer partners than the population would give, beyond
noise). That is judged on the exact counts, category by category, before anything is merged:
merging can hide a count, never a finding.

Under the disclosure rules a category with fewer partners than the minimum group is merged
with others, but only with categories on the same side of their population share (below it,
or at or above it), so a merged row never averages a missing group away with an
over-represented one. When the categories on one side hold fewer than the minimum between
them, no partner count or share of that characteristic is shown at all (the other side's
counts and the total would give theirs away): each category's side and whether it is
under-represented are still shown, with the reason the counts are not.
"""

from __future__ import annotations

from ..base.stats import wilson
from ..disclosure.privacy import rounded, safe_count

SHORTFALL = 1.0  # under-represented: below the population's share, beyond noise
BELOW, AT_OR_ABOVE = "below", "at_or_above"


def room(stated: dict | None, *, min_n: int, round_to: int) -> dict | None:
    """The published profile: per characteristic, its rows (a category, or several of the
    same side merged), partners (rounded) and their share unless counts are withheld, the
    population's share, each category's side of it and whether it is under-represented."""
    if not stated:
        return None
    out = []
    for name, entry in stated.items():
        partners = {str(k): int(v) for k, v in entry["partners"].items()}
        population = {str(k): float(v) for k, v in entry["population"].items()}
        total = sum(partners.values())
        side = {c: _side(partners.get(c, 0), total, population[c]) for c in population}
        under = [c for c in population if _under(partners.get(c, 0), total, population[c])]
        groups = [_merged([c for c in population if side[c] == s], partners, min_n)
                  for s in (BELOW, AT_OR_ABOVE)]
        rows = [row for rows in groups for row in rows]
        small = [side[row[0]] for row in rows
                 if 0 < sum(partners.get(c, 0) for c in row) < min_n]
        withheld = None
        if total < min_n:
            withheld = "too_few_partners"
        elif small:
            withheld = "small_side"
        shown_total = rounded(total, round_to)
        published = []
        for categories in rows:
            n = sum(partners.get(c, 0) for c in categories)
            share = (None if withheld or not shown_total
                     else round(100 * min(rounded(n, round_to), shown_total) / shown_total, 1))
            published.append({
                "categories": categories,
                "partners": None if withheld else rounded(n, round_to),
                "share": share,
                "population_share": round(100 * sum(population[c] for c in categories), 1),
                "side": side[categories[0]],
                "under_represented": [c for c in categories if c in under]})
        out.append({"characteristic": name,
                    "partners_total": None if withheld else safe_count(total, min_n, round_to),
                    "counts_withheld": withheld,
                    "small_side": small[0] if withheld == "small_side" else None,
                    "min_group_size": min_n,
                    "rows": published})
    return {"characteristics": out}


def _side(n: int, total: int, population_share: float) -> str:
    """Whether the partners' exact share of a category is below its population share."""
    return BELOW if total and n / total < population_share else AT_OR_ABOVE


def _under(n: int, total: int, population_share: float) -> bool:
    """Fewer partners in the category than the population would give, beyond noise."""
    return bool(total and wilson(n, total)[1] < SHORTFALL * population_share)


def _merged(categories: list[str], partners: dict[str, int], min_n: int) -> list[list[str]]:
    """The rows of one side: each category on its own, except the small ones (1 to
    min_n - 1 partners), which are merged together and, while their sum is still small,
    with the smallest others of the same side. A category with none stays on its own:
    0 names no one. A side too small to merge into a large enough row keeps its small row,
    and the characteristic's counts are then withheld (see :func:`room`)."""
    small = [c for c in categories if 0 < partners.get(c, 0) < min_n]
    if not small:
        return [[c] for c in categories]
    rest = sorted((c for c in categories if c not in small and partners.get(c, 0)),
                  key=lambda c: (partners[c], c))
    while sum(partners.get(c, 0) for c in small) < min_n and rest:
        small.append(rest.pop(0))
    merged = sorted(small)
    return [[c] for c in categories if c not in merged] + [merged]


def under_represented(profile: dict | None) -> list[tuple[str, str]]:
    """(characteristic, category) pairs the partners clearly under-represent."""
    if not profile:
        return []
    return [(c["characteristic"], category) for c in profile["characteristics"]
            for row in c["rows"] for category in row["under_represented"]]
