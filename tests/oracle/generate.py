"""Projects nobody wrote by hand, for the truth oracle: seeded, varied, written as evaluation
folders the way an evaluator would write them.

Independent of coprod_eval on purpose: it reads only the yardstick files (the framework's
principle ids, the ladder's level ids) and writes plain files. What it generated is kept in a
:class:`Project`, so the oracle knows the exact figures behind every published one without
asking the code under test.

Varied on every axis the reports speak about: 2–5 groups (one or two of them staff), 3–60
people a group, 3- to 11-point scales with missing answers and reverse-worded questions,
record streams present or missing and with 1–20 records (so some indicators have too few),
the budget, a self-assessment, stage records, who is in the room, and a second round whose
partners' reading may be of the first round.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parents[2] / "coprod_eval" / "data"
FRAMEWORKS = ("nesta_nef_six", "uk_standards_pi", "nhse_2022_ten", "nihr_coproduction")
LABELS = ("People who use the service", "Carers", "Family members", "Volunteers",
          "Peer workers", "Community members")
STAGES_ORDER = ("problem_definition", "commissioning", "design", "delivery", "evaluation")
WORDS = ("we met every month and planned the sessions together with the team",
         "the staff listened to what we said about the service and changed the plan",
         "nobody asked us before the decision was made about the new rota",
         "the group still meets at the library when the project is closed",
         "i was paid for my time and the expenses came quickly")


@dataclass
class Project:
    """What was generated: the ground truth behind one evaluation folder."""

    seed: int
    folder: Path
    framework: str
    principles: dict[str, list[str]]  # principle → its items
    scale: int  # answer codes 1..scale
    agree_from: int
    reverse: set[str]
    groups: list[dict]  # id, label, side, size
    answers: dict[str, dict[str, int]]  # respondent → item → code (after nothing: as given)
    group_of: dict[str, str]  # respondent → group id
    streams: set[str]
    round: int = 1
    sense_making_round: int | None = None
    min_n: int = 8
    room: dict | None = None
    notes: list[str] = field(default_factory=list)
    shares: dict = field(default_factory=dict, repr=False)  # exact shares, once worked out

    def agreeing(self, item: str, code: int) -> bool:
        """Whether an answer agrees with the principle (a reverse-worded item the other way)."""
        if self.reverse and item in self.reverse:
            code = self.scale + 1 - code
        return code >= self.agree_from


@cache
def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _framework(name: str) -> tuple[list[str], str]:
    data = _yaml(DATA / "frameworks" / f"{name}.yaml")
    return [p["id"] for p in data["principles"]], data.get("default_ladder", "tlap7")


def indicators(name: str) -> dict[str, list[dict]]:
    """Each principle's indicators as the framework file gives them: id, label, measure,
    direction and thresholds (rating → value), lowest rating first."""
    data = _yaml(DATA / "frameworks" / f"{name}.yaml")
    order = [r["id"] for r in data["rating_scale"]]
    out = {}
    for p in data["principles"]:
        out[p["id"]] = [{"id": i["id"], "label": i["label"], "measure": i["measure"],
                         "lower": i.get("direction") == "lower_is_better",
                         "thresholds": sorted(i["thresholds"].items(),
                                              key=lambda kv: order.index(kv[0]))}
                        for i in (p.get("indicators") or data.get("default_indicators", []))]
    return out


def _levels(ladder: str) -> list[str]:
    return [lv["id"] for lv in _yaml(DATA / "ladders" / f"{ladder}.yaml")["levels"]]


def _ratings(name: str) -> list[str]:
    return [r["id"] for r in _yaml(DATA / "frameworks" / f"{name}.yaml")["rating_scale"]]


def generate(seed: int, root: Path, *, legacy: bool = False) -> Project:
    """A project's evaluation folder under ``root``. ``legacy``: as the release before the
    facts-only results could read it (no round on the partners' sense-making), to show the
    oracle failing on that release."""
    rng = random.Random(seed)
    framework = rng.choice(FRAMEWORKS)
    principle_ids, ladder = _framework(framework)
    levels, ratings = _levels(ladder), _ratings(framework)
    folder = root / f"p{seed}"
    (folder / "evidence").mkdir(parents=True)
    (folder / "instrument").mkdir()

    # --- the questionnaire: 1-4 questions a principle, some reverse-worded ---------------
    scale = rng.randint(3, 11)
    agree_from = scale // 2 + 2 if scale % 2 else scale // 2 + 1
    principles, reverse, n = {}, set(), 0
    for pid in principle_ids:
        items = []
        for _ in range(rng.choice((1, 1, 2, 2, 3, 4))):
            n += 1
            item = f"Q{n:02d}"
            items.append(item)
            if rng.random() < 0.2:
                reverse.add(item)
        principles[pid] = items

    # --- groups and their answers ----------------------------------------------------------
    count = rng.choice((2, 2, 2, 3, 3, 4, 5))
    labels = rng.sample(LABELS, count - 1)
    groups = [{"id": "staff", "label": "Staff", "side": "staff", "size": rng.randint(3, 60)}]
    for i, label in enumerate(labels):
        side = "staff" if i == count - 2 and count >= 4 and rng.random() < 0.3 else "partner"
        groups.append({"id": f"g{i + 1}", "label": label if side == "partner" else
                       "Managers", "side": side, "size": rng.choice(
                           (rng.randint(3, 12), rng.randint(8, 25), rng.randint(3, 60)))})
    answers, group_of = {}, {}
    missing_rate = rng.choice((0.0, 0.05, 0.2))
    good = rng.random() < 0.25  # a project that does well, so every verdict is reached
    for g in groups:
        # how far the group's answers lean to agreeing
        lean = rng.uniform(0.75, 1.0) if good else rng.uniform(0.15, 0.95)
        spread = rng.uniform(0.5, 2.5)
        for k in range(g["size"]):
            who = f"{g['id'][0].upper()}{g['id']}-{k:03d}"
            person = rng.gauss(0, spread * 0.6)
            group_of[who] = g["id"]
            answers[who] = {}
            for items in principles.values():
                for item in items:
                    if rng.random() < missing_rate:
                        continue
                    centre = 1 + lean * (scale - 1) + person + rng.gauss(0, spread)
                    code = min(scale, max(1, round(centre)))
                    if item in reverse:
                        code = scale + 1 - code
                    answers[who][item] = code
    rows = ["respondent_id,group,item_id,response"]
    for who, given in answers.items():
        for item, code in given.items():
            rows.append(f"{who},{group_of[who]},{item},{code}")
        if not given:  # nothing answered but "Don't know": not a respondent
            rows.append(f"{who},{group_of[who]},{next(iter(principles.values()))[0]},"
                        "Don't know")
    (folder / "evidence" / "survey.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    instrument = {
        "id": "generated", "version": "1.0.0", "name": f"Generated {scale}-point",
        "scale": {"codes": [{"code": c, "label": f"Point {c}"} for c in range(1, scale + 1)],
                  "agree_from": agree_from, "missing": ["Don't know"]},
        "items": [{"id": item, "text": f"Statement {item} about {pid}.",
                   "principles": [pid], "reverse": item in reverse}
                  for pid, items in principles.items() for item in items]}
    (folder / "instrument" / "generated.yaml").write_text(
        yaml.safe_dump(instrument, sort_keys=False), encoding="utf-8")

    # --- records -------------------------------------------------------------------------------
    streams = {"survey"}
    evidence = {"survey": {"file": "evidence/survey.csv",
                           "instrument": "instrument/generated.yaml",
                           "mapping_confirmed": {"by": ["evaluator"], "date": "2026-01-01"}}}
    partner_ids = [g["id"] for g in groups if g["side"] == "partner"]
    pseud = [f"X{k:03d}" for k in range(80)]

    def present(p: float = 0.6) -> bool:
        return rng.random() < p

    if present():
        meetings, lines = rng.randint(1, 12), ["meeting_id,date,meeting_type,attendee,role"]
        for m in range(meetings):
            kind = rng.choice(("decision_making", "consultative", "delivery"))
            for s in range(rng.randint(1, 4)):
                lines.append(f"M{m:02d},2026-02-{m + 1:02d},{kind},S{s:02d},staff")
            for p in rng.sample(pseud, rng.choice((0, 0, 1, 2, 4, 6))):
                lines.append(f"M{m:02d},2026-02-{m + 1:02d},{kind},{p},"
                             f"{rng.choice(partner_ids)}")
        _write(folder, "attendance", lines)
        evidence["attendance"] = {"file": "evidence/attendance.csv"}
        streams.add("attendance")
    if present():
        lines = ["decision_id,date,forum,proposed_by,decided_by,partner_proposal_adopted,"
                 "feedback_given,outside_joint_forum"]
        for d in range(rng.randint(1, 15)):
            by = rng.choice(["staff", rng.choice(partner_ids)])
            adopted = rng.choice(("yes", "no")) if by != "staff" else ""
            lines.append(f"D{d:02d},2026-03-{d + 1:02d},Board,{by},"
                         f"{rng.choice(('jointly', 'staff_only', 'partners'))},{adopted},"
                         f"{rng.choice(('yes', 'no'))},{rng.choice(('yes', 'no', 'no'))}")
        _write(folder, "decisions", lines)
        evidence["decisions"] = {"file": "evidence/decisions.csv"}
        streams.add("decisions")
    if present():
        lines = ["partner,offered_payment,paid,days_late,out_of_pocket,training_offered"]
        care = rng.uniform(0.9, 1.0) if good else rng.random()  # how well partners are paid
        for p in rng.sample(pseud, rng.randint(1, 20)):
            offered = rng.random() < care + 0.2
            paid = offered and rng.random() < care + 0.1
            late = "" if not paid else str(rng.choice((0, 0, 0, 3, 30)))
            lines.append(f"{p},{_yn(offered)},{_yn(paid)},{late},{_yn(rng.random() > care)},"
                         f"{_yn(rng.random() < care)}")
        _write(folder, "resources", lines)
        evidence["resources"] = {"file": "evidence/resources.csv"}
        if present(0.7):
            total = rng.choice((50_000, 240_000, 1_000_000))
            evidence["resources"].update(budget_total=total,
                                         budget_joint_control=int(total * rng.random() ** 2))
        streams.add("resources")
    if present():
        lines = ["excerpt_id,source,principle,code,coder,excerpt,consent_to_quote,participant"]
        for e in range(rng.randint(1, 30)):
            pid = rng.choice(principle_ids)
            code = rng.choice(("supports", "contradicts"))
            text = rng.choice(WORDS)
            lines.append(f"E{e:03d},interview,{pid},{code},coder_a,{text},"
                         f"{rng.choice(('yes', 'no'))},{rng.choice(pseud)}")
            if rng.random() < 0.3:
                second = code if rng.random() < 0.8 else ("supports" if code == "contradicts"
                                                          else "contradicts")
                lines.append(f"E{e:03d},interview,{pid},{second},coder_b,{text},yes,")
        _write(folder, "qualitative", lines)
        evidence["qualitative"] = {"file": "evidence/qualitative.csv"}
        streams.add("qualitative")
    if present(0.5):
        joined = rng.randrange(len(STAGES_ORDER))
        lines = ["stage,level,claimed_level,partners_joined"]
        for i, stage in enumerate(STAGES_ORDER):
            lines.append(f"{stage},{rng.choice(levels)},"
                         f"{rng.choice(levels + [''])},{_yn(i == joined)}")
        _write(folder, "stages", lines)
        evidence["stages"] = {"file": "evidence/stages.csv"}
        streams.add("stages")
    if present(0.5):
        lines = ["principle,claimed_rating"] + [f"{pid},{rng.choice(ratings)}"
                                                for pid in principle_ids]
        _write(folder, "self_assessment", lines)
        evidence["self_assessment"] = {"file": "evidence/self_assessment.csv"}
        streams.add("self_assessment")

    # --- the evaluation file --------------------------------------------------------------------
    min_n = rng.choice((5, 8, 8, 8, 10))
    project = Project(seed=seed, folder=folder, framework=framework, principles=principles,
                      scale=scale, agree_from=agree_from, reverse=reverse, groups=groups,
                      answers=answers, group_of=group_of, streams=streams, min_n=min_n)
    config = {
        "schema_version": 3,
        "project": {"name": f"Generated project {seed}", "organisation": "Test trust",
                    "evaluator": "Oracle", "description": None},
        "framework": framework, "claimed_level": rng.choice(levels), "reference_group": "staff",
        "groups": {g["id"]: {"code": g["id"], "label": g["label"], "side": g["side"],
                             "invited": rng.choice((None, g["size"] + rng.randint(0, 40)))}
                   for g in groups},
        "evidence": evidence,
        "privacy": {"min_group_size": min_n},
        "overrides": {},
        "analysis": {"seed": seed, "permutations": 2000},
        "sign_off": None,
    }
    if rng.random() < 0.2:
        project.round = 2
        config["project"]["id"] = f"gen-{seed}"
        config["round"] = 2
    if rng.random() < 0.4:
        making_round = rng.randint(1, project.round)
        project.sense_making_round = making_round
        config["coproduced"] = {
            "partner_roles": ["partner representative"],
            "yardstick": ["evaluator", "partner representative"],
            "sense_making": {**({} if legacy else {"round": making_round}),
                             "date": "2026-04-01",
                             "reviewers": ["partner representative"],
                             "reading": f"Our reading of round {making_round}.",
                             "sign": rng.choice(("co-sign", "dissent")),
                             "why": f"We dissent from round {making_round}."}}
    if rng.random() < 0.25:
        project.room = _room(rng)
        config["who_is_in_the_room"] = project.room
    (folder / "evaluation.yaml").write_text(yaml.safe_dump(config, sort_keys=False,
                                                           allow_unicode=True), encoding="utf-8")
    return project


def _room(rng: random.Random) -> dict:
    out = {}
    for name, categories in (("age_band", ("18-34", "35-49", "50-64", "65+")),
                             ("carer", ("yes", "no"))):
        if rng.random() < 0.6:
            weights = [rng.random() + 0.05 for _ in categories]
            population = [round(w / sum(weights), 3) for w in weights]
            population[-1] = round(1 - sum(population[:-1]), 3)
            total = rng.randint(3, 60)
            counts = [0] * len(categories)
            for _ in range(total):
                counts[rng.randrange(len(categories))] += 1
            out[name] = {"partners": dict(zip(categories, counts)),
                         "population": dict(zip(categories, population))}
    return out or {"carer": {"partners": {"yes": 3, "no": 20},
                             "population": {"yes": 0.5, "no": 0.5}}}


def _write(folder: Path, stream: str, lines: list[str]) -> None:
    (folder / "evidence" / f"{stream}.csv").write_text("\n".join(lines) + "\n",
                                                       encoding="utf-8")


def _yn(value: bool) -> str:
    return "yes" if value else "no"


def exact_share(project: Project, items: list[str], group: str) -> float:
    """The exact share of a group's answers to ``items`` agreeing with the principle."""
    key = (tuple(items), group)
    if key not in project.shares:
        project.shares[key] = _exact_share(project, items, group)
    return project.shares[key]


def _exact_share(project: Project, items: list[str], group: str) -> float:
    agree = total = 0
    for who, given in project.answers.items():
        if project.group_of[who] != group:
            continue
        for item in items:
            if item in given:
                total += 1
                agree += project.agreeing(item, given[item])
    return math.nan if total == 0 else 100 * agree / total


def people(project: Project, items: list[str], group: str) -> int:
    return sum(1 for who, given in project.answers.items()
               if project.group_of[who] == group and any(i in given for i in items))
