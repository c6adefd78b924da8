"""Make a portfolio of N synthetic projects of varied size and quality (seeded: the same
N and seed give the same files).

    python data_samples/generate_portfolio.py OUTDIR [--projects N] [--seed S] [--rounds K]

Each project is one of the sample kinds (generate.py) — genuine co-production, involvement
called co-production, partial evidence, a survey only, or the UK Standards with three
groups — with its own people (8 to 40 a group) and its own leanings (each group's P(agree)
moved at random from the kind's). OUTDIR/portfolio.yaml lists them under three
commissioners and their programmes. With ``--rounds K``, every K-th project has been
examined before: its round 1 is run (in this process, as ``coprod-eval portfolio`` would)
and round 2 has evidence of its own, a little better or worse. People are invented; ids are
pseudonyms.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate as samples  # the sample generator beside this script

KINDS = ("genuine-coproduction", "involvement-as-coproduction", "partial-evidence",
         "survey-only", "uk-standards-three-groups")
KIND_WEIGHTS = (0.25, 0.3, 0.2, 0.15, 0.1)
COMMISSIONERS = {
    "North Riding Integrated Care Board": ("Community mental health", "Primary care networks"),
    "Eastmarsh County Council": ("Adult social care", "Carers' support"),
    "Health Research Fund": ("Public involvement in research",),
}
PLACES = ("Ashford", "Brookvale", "Castlemere", "Dunmoor", "Elmbridge", "Fenwick", "Glenholm",
          "Harrowgate", "Ivybridge", "Juniper Vale", "Kingsmoor", "Larchfield")
SERVICES = ("Peer Recovery Service", "Carers' Hub", "Wellbeing Network", "Dementia Support",
            "Community Mental Health Redesign", "Youth Participation Panel",
            "Maternity Voices Partnership", "Recovery College")


def project_spec(rng: np.random.Generator, kind: str, number: int, shift: float = 0.0,
                 sizes: list[int] | None = None) -> dict:
    """The kind's sample, with its own name, size and leanings (``shift``: added to every
    P(agree), and ``sizes``: each group's people as before, for a later round)."""
    base = samples.SAMPLES[kind]
    place = PLACES[number % len(PLACES)]
    service = SERVICES[(number * 7 + 3) % len(SERVICES)]
    spec = dict(base, project_name=f"{place} {service} ({number:03d})",
                organisation=f"{place} Health and Care Partnership")

    def moved(p: float) -> float:
        return float(np.clip(p + rng.normal(0, 0.06) + shift, 0.08, 0.985))

    if "groups" in base:
        spec["groups"] = [(gid, code, label, side, prefix,
                           sizes[i] if sizes else int(rng.integers(8, 41)),
                           {k: moved(v) for k, v in agree.items()})
                          for i, (gid, code, label, side, prefix, _, agree)
                          in enumerate(base["groups"])]
    else:
        # the records pick up to 7 staff and 7 partners for a meeting: at least 8 each
        spec["staff"], spec["partner"] = sizes or (int(rng.integers(8, 41)) for _ in range(2))
        spec["p_staff"] = {k: moved(v) for k, v in base["p_staff"].items()}
        spec["p_partner"] = {k: moved(v) for k, v in base["p_partner"].items()}
    return spec


def in_round(folder: Path, number: int, project_id: str, evidence: str) -> None:
    """evaluation.yaml says which round this is, and reads ``evidence/`` for it."""
    config = folder / "evaluation.yaml"
    text = re.sub(r"^round: \d+\n", "", config.read_text(), flags=re.M)
    text = text.replace("project:  ", f"round: {number}\nproject:  ", 1)
    if f"  id: {project_id}" not in text:
        text = text.replace("  name: ", f"  id: {project_id}\n  name: ", 1)
    text = re.sub(r"file: evidence/(round-\d+/)?", f"file: {evidence}/", text)
    config.write_text(text)


def generate_portfolio(out: Path, projects: int = 20, seed: int = 20261126,
                       rounds: int = 0) -> list[Path]:
    """Write ``projects`` evaluation folders and portfolio.yaml into ``out``."""
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    listing = ["portfolio: Synthetic co-production portfolio", "projects:"]
    commissioners = list(COMMISSIONERS)
    folders = []
    for number in range(1, projects + 1):
        kind = KINDS[int(rng.choice(len(KINDS), p=KIND_WEIGHTS))]
        spec = project_spec(rng, kind, number)
        name = f"project-{number:03d}"
        folder = samples.write_sample(out / name, kind, spec, rng)
        commissioner = commissioners[number % len(commissioners)]
        programmes = COMMISSIONERS[commissioner]
        listing += [f"  - folder: {name}", f"    commissioner: {commissioner}",
                    f"    organisation: {spec['organisation']}",
                    f"    programme: {programmes[number % len(programmes)]}"]
        if rounds and number % rounds == 0:
            second_round(folder, kind, rng, number, [g[5] for g in samples.groups_of(spec)])
        folders.append(folder)
    (out / "portfolio.yaml").write_text("\n".join(listing) + "\n", encoding="utf-8")
    return folders


def second_round(folder: Path, kind: str, rng: np.random.Generator, number: int,
                 sizes: list[int]) -> None:
    """Run round 1 in-process, then give round 2 evidence of its own: the same people
    answering again (a round whose people differ by a few has its comparison withheld)."""
    from coprod_eval.portfolio.worker import evaluate_project

    project_id = folder.name
    in_round(folder, 1, project_id, "evidence")
    done = evaluate_project(str(folder), cache_key="generated round 1")
    if done["outcome"] != "evaluated":
        raise SystemExit(f"round 1 of {folder} failed: {done['message']}")
    shift = float(rng.choice([-0.25, 0.2, 0.35]))
    spec = project_spec(rng, kind, number, shift, sizes)
    with tempfile.TemporaryDirectory() as scratch:
        later = samples.write_sample(Path(scratch) / "round-2", kind, spec, rng)
        shutil.copytree(later / "evidence", folder / "evidence" / "round-2")
        approvals = later / "quote-approvals.yaml"
        if approvals.is_file():
            shutil.copyfile(approvals, folder / "quote-approvals.yaml")
    in_round(folder, 2, project_id, "evidence/round-2")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--projects", type=int, default=20)
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--rounds", type=int, default=0,
                        help="every K-th project has a finished round 1 and a round 2")
    args = parser.parse_args(argv)
    folders = generate_portfolio(args.out, args.projects, args.seed, args.rounds)
    print(f"Wrote {len(folders)} projects and portfolio.yaml into {args.out}")


if __name__ == "__main__":
    main()
