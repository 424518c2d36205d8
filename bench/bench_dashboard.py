"""Benchmark of the partnership dashboard at a million rows (`make bench`, after bench_store.py).

Prints, measured in the same run on the same store, as ratios to a floor:

- drawing the overview of a round (headline, charts, table and the agreement section: agreement
  with the meeting in every moderated round up to it, leniency, alpha per criterion with its
  bootstrap interval, learning themes), for the latest round (not yet moderated) and the round
  before it (moderated);
- the agreement section alone;
- floor: the reads the agreement section cannot avoid, the database pairing and counting each
  moderated round's submitted grades with the meeting's (``Store.moderated_pair_counts``); for
  information, reading those rounds' submitted responses into pandas, as a first version did.

The bench store's rounds are about 1,600 cases each, far above a real partnership's 40 or so; the
aim is that a board member's round switch stays interactive (a few seconds) even so.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import bench_store as bs

from caseaudit.dashboard import OverviewDashboard, render_agreement
from caseaudit.store import open_store


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="reuse (or build) the store of bench_store.py --keep DIR")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="caseaudit-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    db, audits = folder / bs.STORE_FILE, folder / bs.AUDITS_DIR
    try:
        if not db.exists():
            bs.build(folder, args.rows)
        rounds, _, _ = bs.frameworks_for(audits)
        store = open_store(db, create=False)  # read only: nothing here writes
        try:
            size = bs.store_size(store, db)
            board = OverviewDashboard(store, rounds)
            results = {}
            for label, audit in (("latest round, not moderated", rounds[-1]),
                                 ("the round before, moderated", rounds[-2])):
                history = rounds[: rounds.index(audit) + 1]
                moderated = set(store.current_moderations()["round_id"])
                reads = [r.id for r in history if r.id in moderated]

                def floor(reads: list[str] = reads) -> None:
                    for round_id in reads:
                        store.moderated_pair_counts(round_id)

                def rows(reads: list[str] = reads) -> None:
                    for round_id in reads:
                        store.current_responses(round_id, status="submitted")

                show = timed(lambda audit=audit: board.show(audit.id), args.repeat)
                assert board.message.value == "", board.message.value
                section = timed(lambda audit=audit: render_agreement(store, audit, rounds),
                                args.repeat)
                results[label] = (show, section, timed(floor, args.repeat), timed(rows, 1),
                                  len(reads), len(audit.cases))
        finally:
            store.dispose()
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)

    med, ms = bs.median, bs.ms
    print(f"\ndashboard at {size.current_rows:,} current score rows ({size.rounds} rounds)")
    for label, (show, section, floor, rows, reads, cases) in results.items():
        print(f"{label} ({cases:,} cases; {reads} moderated rounds read): whole overview median "
              f"{ms(med(show))}, agreement section {ms(med(section))} | floor, the store's pair "
              f"counts for those rounds: {ms(med(floor))} (ratios {med(show) / med(floor):.1f} "
              f"and {med(section) / med(floor):.1f}) | for information, reading their submitted "
              f"responses into pandas: {ms(rows[0])}")


if __name__ == "__main__":
    main()
