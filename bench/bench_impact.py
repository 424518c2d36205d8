"""Benchmark of the inspection review (the impact view) on the million-row store (`make bench`).

Prints, measured in the same run on the same store, as ratios to a floor:

- (a) the whole review of an inspection over the store's eight rounds (the inspection and plan
  read and checked, each round's judgement counts, the progress, impact of every action and
  area before and after its start, readiness by line of enquiry, sampling suggestions), now;
- (b) the same review as of a time (every read then takes the revision it had then);
- floor: the reads the review cannot avoid, the store counting each of those rounds' judgements
  (``Store.judgement_counts``, now and as of the same time), which hold the linked criteria's.

The store is the one bench_store.py keeps (``--keep DIR``; built there first if missing). Its
rounds run from June 2024 to March 2026, so the inspection written here (the example inspection's
nine areas, actions starting a year earlier than the example's, June 2025 to October 2025) has
rounds before and after its actions. Nothing is saved to the store.
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import bench_store as bs

from caseaudit.review import inspection_review
from caseaudit.rounds import load_rounds
from caseaudit.store import open_store

INSPECTION_ID = "2025-02-bench"
INSPECTION = f"""\
id: {INSPECTION_ID}
type: JTAI
theme: Child sexual abuse in the family environment
inspectorates: [Ofsted, CQC, HMICFRS, HMI Probation]
visit: {{start: 2025-02-10, end: 2025-02-14}}
letter_date: 2025-05-15
framework: jtai-csa-family
lines_of_enquiry:
  - {{id: identification, title: Identification, criteria: ["1.1", "1.2", "1.3", "1.4"]}}
  - {{id: assessment, title: "Assessment, planning and decision-making",
     criteria: ["2.1", "2.2", "2.3", "2.4", "2.5", "2.6"]}}
  - {{id: protection, title: "Protection, support and care", criteria: ["3.1", "3.2", "3.3", "4.1",
     "4.2", "4.3", "4.4", "4.5", "6.1", "6.2", "6.3", "6.4"]}}
  - {{id: prevention, title: Prevention, criteria: ["5.1", "5.2", "5.3", "7.1", "7.2"]}}
areas_for_improvement:
{"".join(f"  - {{id: A{i}, title: Area {i}, text: Synthetic area {i}.}}{chr(10)}" for i in range(1, 10))}\
"""
#: (action, lead agency, start, due, criteria): the contract's example plan a year earlier.
ACTIONS = [("A1.1", "Prob", "2025-06-01", "2025-09-30", ["2.1", "2.3"]),
           ("A2.1", "Partnership", "2025-06-15", "2025-12-31", []),
           ("A3.1", "CSC", "2025-06-01", "2025-08-31", ["4.1", "4.2", "4.5"]),
           ("A4.1", "Pol", "2025-06-01", "2025-10-31", ["5.1", "5.2"]),
           ("A5.1", "Edu", "2025-07-01", "2025-12-31", ["1.1", "1.4"]),
           ("A6.1", "Partnership", "2025-09-01", "2026-03-31", ["1.3"]),
           ("A7.1", "Pol", "2025-07-01", "2025-12-31", ["2.3", "4.3"]),
           ("A8.1", "Prob", "2025-10-01", "2026-03-31", ["2.3", "4.3"]),
           ("A9.1", "Partnership", "2025-06-01", "2025-11-30", ["1.3", "6.3"])]


def _plan() -> str:
    lines = [f"inspection: {INSPECTION_ID}", "areas:"]
    for action, agency, start, due, criteria in ACTIONS:
        area = action.split(".")[0]
        lines += [f"  - area: {area}", "    outcome: Children are safer.",
                  "    governance_owner: Partnership board", "    actions:",
                  f"      - {{id: {action}, description: Synthetic action, lead_agency: {agency}, "
                  f"lead_role: Head of Service, start: {start}, due: {due}, success_measure: "
                  f"Audits show it, criteria: {criteria}}}"]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, metavar="DIR", default=Path("bench/results/store"),
                        help="where bench_store.py keeps the million-row store (built if missing)")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of a store built here")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each")
    args = parser.parse_args()
    db, audits = args.keep / bs.STORE_FILE, args.keep / bs.AUDITS_DIR
    if not db.exists():
        args.keep.mkdir(parents=True, exist_ok=True)
        bs.build(args.keep, args.rows)
    rounds = load_rounds(audits)
    with tempfile.TemporaryDirectory(prefix="caseaudit-bench-impact-") as tmp:
        inspections = Path(tmp)
        (inspections / INSPECTION_ID).mkdir()
        (inspections / INSPECTION_ID / "inspection.yaml").write_text(INSPECTION)
        (inspections / INSPECTION_ID / "action_plan.yaml").write_text(_plan())
        store = open_store(db)
        try:
            as_of = datetime.now(UTC)
            frameworks = {r.id: r.load_framework() for r in rounds}

            def floor(when: datetime | None) -> None:
                for audit in rounds:
                    store.judgement_counts(audit.id, frameworks[audit.id], when)

            def review(when: datetime | None):  # type: ignore[no-untyped-def]
                return inspection_review(store, INSPECTION_ID, inspections=inspections,
                                         audits=audits, as_of=when)

            cases = sum(len(r.cases) for r in rounds)
            bs.say(f"store: {db} ({db.stat().st_size / 2**20:,.0f} MB); {len(rounds)} rounds "
                   f"({rounds[0].id} .. {rounds[-1].id}), {cases:,} cases; "
                   f"{len(ACTIONS)} actions; medians of {args.repeat}")
            for name, when in (("(a) review now", None), ("(b) review as of a time", as_of)):
                floors, _ = bs.timed(lambda w=when: floor(w), args.repeat)
                times, result = bs.timed(lambda w=when: review(w), args.repeat)
                base, took = bs.median(floors), bs.median(times)
                bs.say(f"{name}: {bs.ms(took)} | floor, judgement counts of the {len(rounds)} "
                       f"rounds: {bs.ms(base)} (ratio {took / base:.2f})")
            verdicts = result.impact.loc[result.impact["level"] == "action", "verdict"]
            bs.say("verdicts: " + ", ".join(f"{k} {v}" for k, v in
                                            verdicts.value_counts().items()))
        finally:
            store.dispose()


if __name__ == "__main__":
    main()
