"""Commands about the people in the evidence: withdraw, quotes, respond."""

from __future__ import annotations

from ..base.errors import EXIT_OK, UsageError, printable
from .common import program


def withdraw_command(args) -> int:
    """``coprod-eval withdraw``."""
    from ..prepare.people import withdraw

    entry = withdraw(args.folder, args.person, reason=args.reason, by=args.by)
    print(f"Recorded in {args.folder / 'withdrawals.yaml'}: {entry['id']} withdrew on "
          f"{entry['date']}; every later run leaves their evidence out.")
    for run in entry["superseded"]:
        print(f"  run {run} holds their evidence: superseded (audit will not clear it "
              "for sharing)")
    return EXIT_OK


def quotes_command(args) -> int:
    """List consented excerpts exactly as they would be published, or approve some."""
    from ..inputs.evidence import load_evidence
    from ..inputs.load import load_evaluation
    from ..pipeline import quote_candidates
    from ..prepare.people import approve_quotes

    if args.approve:
        if not args.by:
            raise UsageError("--approve needs --by: who approves the quotes")
        entries = approve_quotes(args.folder, args.approve, by=args.by, role=args.role,
                                 keep=tuple(args.keep), reason=args.reason)
        print(f"Approved {len(entries)} quote(s) as shown by coprod-eval quotes, recorded in "
              f"{args.folder / 'quote-approvals.yaml'}; the next run publishes them.")
        return EXIT_OK
    if args.keep:
        raise UsageError("--keep goes with --approve EXCERPT_ID --by NAME --reason WHY")
    evaluation = load_evaluation(args.folder)
    candidates = quote_candidates(evaluation, load_evidence(evaluation))
    consented = [c for c in candidates if c["consented"]]
    print(f"{len(consented)} of {len(candidates)} excerpt(s) may be quoted (their speaker "
          "consented). Each is shown as it would be published; ⟦[name] ← …⟧ marks what is "
          "masked (anything not known to be safe) and ⟦kept: …⟧ what you kept on purpose:")
    for c in consented:
        approval = evaluation.quote_approvals.get(c["excerpt"])
        state = ("approved" if approval and approval.get("fingerprint") == c["fingerprint"]
                 else "approved, but the quote or the masking rules have changed since: "
                      "approve again" if approval
                 else "not yet approved")
        print(f"  {c['excerpt']} [{c['principle']}, {c['code']}, {c['source']}] {state}")
        print(f"    published: “{printable(c['text'])}”")
        if c["masked"] or c["kept"]:
            print(f"    marked:    “{printable(c['marked'])}”")
    print(f"Approve with: coprod-eval quotes {args.folder} --approve ID [ID …] --by NAME; "
          "keep a masked detail with --approve ID --keep TEXT --reason WHY --by NAME")
    return EXIT_OK


def respond_command(args) -> int:
    """``coprod-eval respond``."""
    from ..inputs.responses import load_responses, responses_file
    from ..render.reply import template
    from ..serve.voila import find_run

    run_dir = find_run(args.folder, args.run)
    if args.check:
        found = load_responses(args.folder, run_dir)
        print(f"Responses to run {run_dir.name}: "
              + (", ".join(sorted(found)) or "none yet") + "; no problem found")
        return EXIT_OK
    target = responses_file(args.folder, run_dir.name, args.side)
    if target.exists():
        raise UsageError(f"{target} exists already; coprod-eval never overwrites it: "
                         "edit it (and check it with --check)")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(template(run_dir, args.side), encoding="utf-8")
    print(f"Wrote {target}: complete it, then check it with: "
          f"{program()} respond {args.folder} --side {args.side} --check")
    return EXIT_OK
