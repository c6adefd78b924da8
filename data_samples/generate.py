"""Make the synthetic sample evaluations in data_samples/ (fixed seed: same files every time).

    python data_samples/generate.py            # rewrite the samples beside this script
    python data_samples/generate.py OUTDIR     # write them somewhere else (tests do this)

Four projects, all claiming co-production:
- genuine-coproduction: staff and community partners alike experience all six principles,
  and the records (meetings, decisions, payments, stages, interviews) bear it out. It is a
  large, well-recorded project (40 partners, 40 meetings, 60 decisions, 30 coded excerpts per
  principle): a claim of co-production is only *supported* when even the cautious end of
  every interval reaches it, which takes that much evidence.
- involvement-as-coproduction: staff rate the work highly; community partners do not. Partners
  are absent from decision meetings, paid late or not at all, and joined after the design was
  fixed. Its claim of co-production must come out unsupported.
- partial-evidence: only a survey, the stage records and a self-assessment; no meeting,
  decision, payment or interview records. Confidence must come out low.
- survey-only: nothing but a survey, in which partners agree about 70% of the time and staff
  about 80%. The evidence neither establishes nor rules out the claim: not established.
- uk-standards-three-groups: a dementia support service examined against the UK Standards
  for Public Involvement, read on the IAP2 spectrum, with three groups (staff, people who
  use the service, carers). It claims "empower"; the evidence shows less, and carers see
  less partnership than staff do.
People are invented; ids are pseudonyms such as S001, P001 and C001.
"""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

import numpy as np

from coprod_eval.prepare.scaffold import init
from coprod_eval.yardsticks.framework import load_framework
from coprod_eval.yardsticks.instrument import builtin_instrument_path, load_instrument

SEED = 20261125
HERE = Path(__file__).resolve().parent

# P(agree) for each group, by the principle an item evidences first.
SAMPLES = {
    "genuine-coproduction": dict(
        project_name="Riverside Peer Recovery Service",
        organisation="Riverside NHS Foundation Trust with Riverside Lived Experience CIC",
        evaluator="Independent evaluation team (synthetic sample)",
        staff=40, partner=40, missing=0.04,
        p_staff={"assets": .95, "capabilities": .94, "reciprocity": .95, "networks": .9,
                 "blurring": .93, "catalysts": .92},
        p_partner={"assets": .97, "capabilities": .97, "reciprocity": .97, "networks": .95,
                   "blurring": .97, "catalysts": .96},
    ),
    "involvement-as-coproduction": dict(
        project_name="Northgate Community Mental Health Redesign",
        organisation="Northgate Integrated Care Board",
        evaluator="Independent evaluation team (synthetic sample)",
        staff=30, partner=12, missing=0.07,
        p_staff={"assets": .88, "capabilities": .82, "reciprocity": .85, "networks": .8,
                 "blurring": .84, "catalysts": .86},
        p_partner={"assets": .5, "capabilities": .3, "reciprocity": .35, "networks": .45,
                   "blurring": .25, "catalysts": .2},
    ),
}


SAMPLES["partial-evidence"] = dict(
    project_name="Eastbrook Carers' Hub",
    organisation="Eastbrook Council Adult Social Care",
    evaluator="Independent evaluation team (synthetic sample)",
    staff=14, partner=10, missing=0.05,
    p_staff={"assets": .85, "capabilities": .8, "reciprocity": .8, "networks": .75,
             "blurring": .8, "catalysts": .78},
    p_partner={"assets": .72, "capabilities": .66, "reciprocity": .7, "networks": .64,
               "blurring": .62, "catalysts": .6},
)

SAMPLES["survey-only"] = dict(
    project_name="Westvale Community Wellbeing Network",
    organisation="Westvale Primary Care Network",
    evaluator="Independent evaluation team (synthetic sample)",
    staff=20, partner=12, missing=0.05,
    p_staff={"assets": .85, "capabilities": .84, "reciprocity": .84, "networks": .83,
             "blurring": .84, "catalysts": .84},
    p_partner={"assets": .8, "capabilities": .8, "reciprocity": .8, "networks": .79,
               "blurring": .8, "catalysts": .8},
)

# The fifth sample: another framework, another ladder, three groups. Every key of a group:
# (id, group code in the evidence, label, side, id prefix, people, P(agree) by standard).
SAMPLES["uk-standards-three-groups"] = dict(
    project_name="Hillside Dementia Support Service",
    organisation="Hillside Community Health Partnership",
    evaluator="Independent evaluation team (synthetic sample)",
    framework="uk_standards_pi", ladder="iap2_5", claimed="empower", missing=0.05,
    groups=[
        ("staff", "staff", "Staff", "staff", "S", 30,
         {"inclusive_opportunities": .92, "working_together": .93, "support_learning": .9,
          "communications": .92, "impact": .9, "governance": .9}),
        ("service_user", "service user", "People who use the service", "partner", "P", 30,
         {"inclusive_opportunities": .93, "working_together": .92, "support_learning": .9,
          "communications": .9, "impact": .88, "governance": .85}),
        ("carer", "carer", "Carers", "partner", "C", 24,
         {"inclusive_opportunities": .7, "working_together": .6, "support_learning": .55,
          "communications": .5, "impact": .6, "governance": .5}),
    ],
)

STREAMS = {
    "genuine-coproduction": ("survey", "attendance", "decisions", "stages", "resources",
                             "qualitative", "self_assessment"),
    "involvement-as-coproduction": ("survey", "attendance", "decisions", "stages", "resources",
                                    "qualitative", "self_assessment"),
    "partial-evidence": ("survey", "stages", "self_assessment"),
    "survey-only": ("survey",),
    "uk-standards-three-groups": ("survey", "attendance", "decisions", "stages", "resources",
                                  "qualitative", "self_assessment"),
}

# Per project: stage -> (level the records show, level claimed, partners joined here)
STAGES = {
    "genuine-coproduction": [("problem_definition", "co_design", "co_production", "yes"),
                             ("commissioning", "co_design", "co_production", "no"),
                             ("design", "co_production", "co_production", "no"),
                             ("delivery", "co_production", "co_production", "no"),
                             ("evaluation", "co_production", "co_production", "no")],
    "involvement-as-coproduction": [("problem_definition", "informing", "co_production", "no"),
                                    ("commissioning", "informing", "co_production", "no"),
                                    ("design", "consultation", "co_production", "no"),
                                    ("delivery", "consultation", "co_production", "yes"),
                                    ("evaluation", "engagement", "co_production", "no")],
    "partial-evidence": [("problem_definition", "consultation", "co_production", "no"),
                         ("commissioning", "consultation", "co_production", "no"),
                         ("design", "co_design", "co_production", "yes"),
                         ("delivery", "co_design", "co_production", "no"),
                         ("evaluation", "engagement", "co_production", "no")],
    "survey-only": [],
    "uk-standards-three-groups": [("problem_definition", "consult", "empower", "no"),
                                  ("commissioning", "involve", "empower", "yes"),
                                  ("design", "collaborate", "empower", "no"),
                                  ("delivery", "collaborate", "empower", "no"),
                                  ("evaluation", "involve", "empower", "no")],
}

BUDGET = {"genuine-coproduction": (240000, 110000), "involvement-as-coproduction": (480000, 0),
          "uk-standards-three-groups": (150000, 45000)}

# What people said, by principle: (supports, contradicts). Some excerpts carry details that
# must never reach a report (an email, a phone number, an NHS number, a postcode): the
# de-identification in coprod_eval replaces them.
SAID = {
    "assets": (["They asked what I could bring, not what was wrong with me. Email me at "
                "jo.bloggs@example.org if you want the notes.",
                "My years of caring were treated as expertise in the design sessions.",
                "The report credits the lived experience panel by name of the group."],
               ["We were there to give feedback on plans that were already made.",
                "It felt like we were patients in the room, not partners."]),
    "capabilities": (["I trained as a co-facilitator and now run sessions with the nurse.",
                      "They built on what I already do in my community group."],
                     ["The skilled work was always kept for staff.",
                      "Nobody asked what I could do; they asked how I felt."]),
    "reciprocity": (["I was paid for my time within the week, which made it possible to come.",
                     "We agreed at the start what we could expect of each other."],
                    ["I waited three months for my payment; ring me on 07700 900123 and I will "
                     "tell you the rest.",
                     "I was out of pocket for the bus fares every single meeting."]),
    "networks": (["The peer group still meets at the library without staff.",
                  "I brought two neighbours from the estate near AB1 2CD into the group."],
                 ["Once the project sessions stopped, so did the contact.",
                  "We never met each other outside the official meetings."]),
    "blurring": (["I sit on the steering group with the same papers and vote as the managers.",
                  "We co-deliver the groups: a peer worker and a clinician together."],
                 ["Decisions happened in the managers' meeting we were not invited to.",
                  "There is still a clear them and us; my NHS number 943 476 5919 was on the "
                  "attendance sheet they circulated."]),
    "catalysts": (["We control part of the budget and decided how the small grants were spent.",
                   "Staff stepped back and let the peer group run the drop-in."],
                  ["The money was never on the table.",
                   "Staff delivered everything; we were the audience."]),
}


SAID.update({
    "inclusive_opportunities": (["They held the group at the day centre so I could bring my "
                                 "husband along.",
                                 "The leaflet came in large print and they rang to check I "
                                 "could get there."],
                                ["It is always the same handful of us; nobody asked the carers "
                                 "who work.",
                                 "Evening meetings rule out anyone caring at home."]),
    "working_together": (["We agreed the ground rules together at the first meeting.",
                          "My views were given the same time as the consultant's."],
                         ["As a carer I was there to listen while the service users and "
                          "staff talked.",
                          "We were asked for stories, not for decisions."]),
    "support_learning": (["I was given training to co-chair the meeting.",
                          "They paid me on the day, which matters when you are caring."],
                         ["Nobody explained the jargon; I felt lost.",
                          "I waited two months to be paid; call me on 01632 960 123."]),
    "communications": (["The papers came a week before, in plain English.",
                        "They wrote back to say what had changed because of us."],
                       ["We heard about the decision from the newsletter.",
                        "Emails went to my old address, jan.smith@example.net, for months."]),
    "impact": (["The new visiting hours were our idea and they happened.",
                "They showed us the report with a page on what we changed."],
               ["I cannot point to one thing that changed because of me.",
                "Our suggestions were noted and that was it."]),
    "governance": (["Two of us sit on the programme board with a vote.",
                    "We decided how the small grants budget was spent."],
                   ["The real decisions are made at the partnership executive.",
                    "Carers have no seat where the money is decided."]),
})


PERSON_SPREAD = 1.6  # how far people differ in how positive they are overall (logit scale)
CUTS = (-2.5, -0.8, 0.0, 1.6)  # latent cut-points between the codes 1|2, 2|3, 3|4 and 4|5


def answer(rng: np.random.Generator, base: float, lean: float) -> int:
    """One answer (code 1-5) from an ordered logistic model: a person who leans positive
    tends to agree, and to agree strongly, across a principle's items."""
    latent = np.log(base / (1 - base)) + lean + rng.logistic()
    return 1 + sum(latent > cut for cut in CUTS)


def groups_of(spec: dict) -> list[tuple]:
    """(id, code, label, side, prefix, people, P(agree) by principle) of each group."""
    if "groups" in spec:
        return spec["groups"]
    return [("staff", "staff", "Staff", "staff", "S", spec["staff"], spec["p_staff"]),
            ("partner", "partner", "Community partners", "partner", "P", spec["partner"],
             spec["p_partner"])]


def group_yaml(groups: list[tuple]) -> str:
    """evaluation.yaml's groups: block for the sample's groups."""
    lines = ["groups:"]
    for gid, code, label, side, _, people, _ in groups:
        lines += [f"  {gid}:", f"    code: {code}", f"    label: {label}", f"    side: {side}",
                  f"    invited: {people + people // 4}"]
    return "\n".join(lines) + "\n"


def generate(out: Path) -> list[Path]:
    folders = []
    for name, spec in SAMPLES.items():
        # the first four samples share one random stream (as they always have); others have
        # their own, so adding a sample never changes an existing one
        if name == "genuine-coproduction":
            rng = np.random.default_rng(SEED)
        elif "framework" in spec:
            rng = np.random.default_rng([SEED, len(folders)])
        folders.append(write_sample(out / name, name, spec, rng))
    return folders


def write_sample(folder: Path, name: str, spec: dict, rng: np.random.Generator) -> Path:
    """One project's evaluation folder: ``name`` is the kind of project (a key of SAMPLES:
    its streams, stages, budget and records), ``spec`` its people and P(agree)."""
    framework = load_framework(spec.get("framework", "nesta_nef_six"),
                               ladder=spec.get("ladder"))
    instrument = load_instrument(builtin_instrument_path(framework.instrument))
    first_principle = {}
    for principle in framework.principles:
        for item in principle.items:
            first_principle.setdefault(item, principle.id)
    labels = dict(instrument.codes)
    if folder.exists():
        shutil.rmtree(folder)
    init(folder, project_name=spec["project_name"], organisation=spec["organisation"],
         evaluator=spec["evaluator"], claimed_level=spec.get("claimed", "co_production"),
         seed=SEED, streams=STREAMS[name], framework=framework.id,
         ladder=spec.get("ladder"))
    config = folder / "evaluation.yaml"
    text = config.read_text()
    if "groups" in spec:
        start = text.index("groups:\n")
        end = text.index("\n\n", start) + 1
        text = text[:start] + group_yaml(spec["groups"]) + text[end:]
    for _, _, _, _, _, people, _ in groups_of(spec):  # invited: gives response rates
        text = text.replace("invited: null", f"invited: {people + people // 4}", 1)
    config.write_text(text)
    if name in BUDGET:
        total, joint = BUDGET[name]
        config.write_text(config.read_text()
                          .replace("budget_total: null", f"budget_total: {total}")
                          .replace("budget_joint_control: null",
                                   f"budget_joint_control: {joint}"))
    write_survey(folder / "evidence" / "survey.csv", spec, rng, instrument, first_principle,
                 labels)
    records = make_records(name, spec, rng, framework)
    for stream, rows in records.items():
        if stream in STREAMS[name]:
            write_csv(folder / "evidence" / f"{stream}.csv", rows)
    if "qualitative" in STREAMS[name]:
        approve_some_quotes(folder)
    return folder


def write_survey(path: Path, spec: dict, rng: np.random.Generator, instrument,
                 first_principle: dict, labels: dict) -> None:
    rows = []
    for _, role, _, _, prefix, people, agree in groups_of(spec):
        for k in range(1, people + 1):
            rid = f"{prefix}{k:03d}"
            # each person leans more or less positive overall, so their answers to one
            # principle's items hang together (as real answers do)
            lean = float(rng.normal(0, PERSON_SPREAD))
            for item in instrument.items:
                code = answer(rng, agree[first_principle[item.id]], lean)
                if item.reverse:  # the experience is good, so the answer disagrees
                    code = 6 - code
                draw = rng.random()
                if draw < spec["missing"] / 2:
                    response = ""
                elif draw < spec["missing"]:
                    response = "Don't know"
                elif draw < 0.85:
                    response = labels[code]
                else:
                    response = str(code)
                rows.append((rid, role, item.id, response))
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["respondent_id", "group", "item_id", "response"])
        writer.writerows(rows)


def approve_some_quotes(folder: Path) -> None:
    """The evaluator's sign-off of a quote bank: for each principle, the first consented
    supporting and contradicting excerpts, approved on a fixed date."""
    from datetime import date

    from coprod_eval.compute.quotes import quote_candidates
    from coprod_eval.inputs.evidence import load_evidence
    from coprod_eval.inputs.load import load_evaluation
    from coprod_eval.prepare.people import approve_quotes

    evaluation = load_evaluation(folder)
    chosen, seen = [], set()
    for candidate in quote_candidates(evaluation, load_evidence(evaluation)):
        key = (candidate["principle"], candidate["code"])
        if candidate["consented"] and key not in seen:
            seen.add(key)
            chosen.append(candidate["excerpt"])
    approve_quotes(folder, chosen, by="Independent evaluation team (synthetic sample)",
                   role="Lead evaluator", on=date(2026, 11, 20))


def write_csv(path: Path, rows: list[tuple]) -> None:
    header = path.read_text().strip().split(",")
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def make_records(name: str, spec: dict, rng: np.random.Generator, framework) -> dict:
    """Meetings, decisions, stages, payments, excerpts and self-assessment for one project."""
    genuine = name in ("genuine-coproduction", "uk-standards-three-groups")
    partner_codes = {}  # partner → the group code the records give them
    for _, code, _, side, prefix, people, _ in groups_of(spec):
        if side == "partner":
            partner_codes.update({f"{prefix}{k:03d}": code for k in range(1, people + 1)})
    partners = list(partner_codes)
    staff = [f"S{k:03d}" for k in range(1, groups_of(spec)[0][5] + 1)]
    attendance = []
    types = (["decision_making"] * 36 + ["consultative"] * 3 + ["delivery"] * 1 if genuine
             else ["decision_making"] * 6 + ["consultative"] * 5 + ["delivery"])
    for m, meeting_type in enumerate(types, 1):
        date = f"2026-{1 + m * 11 // 40:02d}-{1 + (m * 7) % 27:02d}"
        n_staff = 6 if genuine else 7
        if genuine:
            n_partners = 5 + int(rng.integers(0, 3))
        elif meeting_type == "decision_making":
            n_partners = 1 if m == 1 else 0
        else:
            n_partners = 3 + int(rng.integers(0, 3))
        who = ([(s, "staff") for s in rng.choice(staff, n_staff, replace=False)]
               + [(p, partner_codes[p]) for p in rng.choice(partners, n_partners,
                                                            replace=False)])
        attendance += [(f"M{m:02d}", date, meeting_type, person, role) for person, role in who]

    decisions = []
    for d in range(1, 61 if genuine else 19):
        date = f"2026-{1 + d * 11 // 60:02d}-{1 + (d * 5) % 27:02d}"
        by_partner = d % 2 == 0 if genuine else d % 4 == 0
        if genuine:
            decided = ("partners" if d % 10 == 4 else "staff_only" if d in (7, 33)
                       else "jointly")
            adopted = ("no" if d in (6, 46) else "yes") if by_partner else ""
            feedback = "no" if d == 19 else "yes"
            outside = "no"
        else:
            decided = "jointly" if d in (2, 8, 12, 16) else "staff_only"
            adopted = ("yes" if d == 4 else "no") if by_partner else ""
            feedback = ("yes" if d == 4 else "no") if by_partner else "yes"
            outside = "yes" if d % 9 in (1, 3, 5, 7) else "no"
        forum = "Steering group" if outside == "no" else "Managers' meeting"
        proposer = partner_codes[partners[d % len(partners)]] if by_partner else "staff"
        decisions.append((f"D{d:02d}", date, forum, proposer, decided, adopted, feedback,
                          outside))

    resources = []
    for k, partner in enumerate(partners):
        if genuine:
            resources.append((partner, "yes", "yes", "0", "no", "no" if k == 9 else "yes"))
        else:
            offered = k < 5
            paid = offered and k < 2
            late = {0: "45", 1: "60"}.get(k, "") if paid else ""
            resources.append((partner, "yes" if offered else "no", "yes" if paid else "no", late,
                              "yes" if k % 2 == 0 else "no", "yes" if k in (0, 1) else "no"))

    qualitative = []
    e = 0
    for principle in framework.principles:
        supports, contradicts = SAID[principle.id]
        plan = (["supports"] * 14 + ["contradicts"] + ["supports"] * 14 + ["contradicts"]
                if genuine else ["supports"] + ["contradicts"] * 4)
        for i, code in enumerate(plan):
            e += 1
            bank = supports if code == "supports" else contradicts
            text = bank[i % len(bank)]
            source = ("interview", "focus_group", "document")[i % 3]
            # who said it (documents have no speaker), and whether they agreed to be quoted
            speaker = "" if source == "document" else partners[e % len(partners)]
            consent = "no" if e % 7 == 0 else "yes"
            qualitative.append((f"E{e:03d}", source, principle.id, code, "coder_a", text,
                                consent, speaker))
            if e % 3 == 0:  # a second coder codes every third excerpt
                second = code if e % 9 else ("contradicts" if code == "supports" else "supports")
                qualitative.append((f"E{e:03d}", source, principle.id, second, "coder_b", text,
                                    consent, speaker))

    self_assessment = [(p.id, "embedded") for p in framework.principles]
    return {"attendance": attendance, "decisions": decisions,
            "stages": list(STAGES[name]), "resources": resources,
            "qualitative": qualitative, "self_assessment": self_assessment}


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    for folder in generate(target):
        print(folder)
