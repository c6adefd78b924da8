"""Who is in the room, and who is missing: the partners described in aggregate beside the
population the service is for.

evaluation.yaml may give, per characteristic (age band, ethnicity group, disability, carer
status…), how many partners are in each category (counts, never people) and each category's
share of the population the service is for. Under the disclosure rules a category with
fewer partners than the minimum group is merged with the other small ones ("other
categories, merged"), and with the smallest others while the merged group is still small, so
nothing is withheld and nothing can be worked back from the rest. A category is
*under-represented* — our operationalisation — when even the top of the 95% Wilson interval
of the partners' share falls below its share of the population (fewer partners than the
population would give, beyond noise).
"""

from __future__ import annotations

from .privacy import rounded, safe_count
from .stats import wilson

MERGED = "other categories, merged"
SHORTFALL = 1.0  # under-represented: below the population's share, beyond noise


def room(stated: dict | None, *, min_n: int, round_to: int) -> dict | None:
    """The published profile: per characteristic, categories (small ones merged), partners
    (rounded), their share, the population's share, and whether under-represented."""
    if not stated:
        return None
    out = []
    for name, entry in stated.items():
        partners = {str(k): int(v) for k, v in entry["partners"].items()}
        population = {str(k): float(v) for k, v in entry["population"].items()}
        total = sum(partners.values())
        if total < min_n:  # too few partners to describe at all
            out.append({"characteristic": name, "partners_total": None, "categories": []})
            continue
        merged = _merged(partners, population, min_n)
        rows = [_row(c, partners.get(c, 0), total, population[c], round_to)
                for c in population if c not in merged]
        if merged:
            row = _row(MERGED, sum(partners.get(c, 0) for c in merged), total,
                       sum(population[c] for c in merged), round_to)
            row["merged"] = merged
            rows.append(row)
        out.append({"characteristic": name, "partners_total": safe_count(total, min_n, round_to),
                    "categories": rows})
    return {"characteristics": out}


def _merged(partners: dict[str, int], population: dict[str, float], min_n: int) -> list[str]:
    """Categories merged so no shown category has 1 to min_n - 1 partners: the small ones,
    then (while their sum is still small) the smallest others. Nothing is withheld, so no
    count or share can be worked back from the rest."""
    small = [c for c in population if 0 < partners.get(c, 0) < min_n]
    if not small:
        return []
    rest = sorted((c for c in population if c not in small and partners.get(c, 0)),
                  key=lambda c: (partners[c], c))  # a category with none stays: 0 names no one
    while sum(partners.get(c, 0) for c in small) < min_n and rest:
        small.append(rest.pop(0))
    return sorted(small)


def _row(category: str, n: int, total: int, population_share: float, round_to: int) -> dict:
    high = wilson(n, total)[1] if total else 1.0
    shown_total = rounded(total, round_to)
    return {"category": category, "partners": rounded(n, round_to),
            "share": (None if not shown_total
                      else round(100 * min(rounded(n, round_to), shown_total) / shown_total, 1)),
            "population_share": round(100 * population_share, 1), "merged": [],
            "under_represented": bool(total and high < SHORTFALL * population_share)}


def under_represented(profile: dict | None) -> list[tuple[str, str]]:
    """(characteristic, category) pairs the partners clearly under-represent."""
    if not profile:
        return []
    return [(c["characteristic"], row["category"]) for c in profile["characteristics"]
            for row in c["categories"] if row["under_represented"]]
