"""Benchmark of the partnership dashboard at a million rows (`make bench`, after bench_store.py).

Prints, measured in the same run on the same store, as ratios to a floor:

- drawing the overview of a round with nothing cached (headline, charts, table and the agreement
  section: agreement with the meeting in every moderated round up to it, leniency, alpha per
  criterion with its bootstrap interval, learning themes), for the latest round (not yet
  moderated) and the round before it (moderated);
- computing the round's results alone (the reads and the analyses, no drawing);
- floor: the reads the agreement section cannot avoid, the database pairing and counting each
  moderated round's submitted grades with the meeting's (``Store.moderated_pair_counts``); for
  information, reading those rounds' submitted responses into pandas, as a first version did;
- the same round again with the store unchanged: switching back to it on the same page (nothing
  is drawn again), another viewer in the same process, and another in a new process (every Voila
  page view is one: the results come from the disk cache), where only drawing the charts is left.

The bench store's rounds are about 1,600 cases each, far above a real partnership's 40 or so; the
aim is that a board member's round switch stays interactive (a few seconds) even so.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import bench_store as bs

from caseaudit import settings
from caseaudit.results import compute_results, forget_results
from caseaudit.rounds import AuditRound
from caseaudit.store import open_store
from caseaudit.ui.dashboard import OverviewDashboard


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
        cache = Path(tempfile.mkdtemp(prefix="caseaudit-bench-cache-"))  # not beside the kept store
        os.environ[settings.CACHE_ENV] = str(cache)
        try:
            size = bs.store_size(store, db)
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

                shows: list[float] = []
                for _ in range(args.repeat):  # nothing cached, in this process or on disk
                    forget_results()
                    shutil.rmtree(cache, ignore_errors=True)
                    board = OverviewDashboard(store, rounds)  # a new page
                    start = time.perf_counter()
                    board.show(audit.id)
                    shows.append(time.perf_counter() - start)
                assert board.message.value == "", board.message.value
                compute = timed(lambda audit=audit, history=history:
                                compute_results(store, audit, history), args.repeat)
                back = timed(lambda audit=audit, board=board: board.show(audit.id), args.repeat)
                again = timed(lambda audit=audit: OverviewDashboard(store, rounds).show(audit.id),
                              args.repeat)

                def new_process(audit: AuditRound = audit) -> None:
                    forget_results()  # what a new kernel starts with; the disk cache stays
                    OverviewDashboard(store, rounds).show(audit.id)

                other = timed(new_process, args.repeat)
                results[label] = (shows, compute, timed(floor, args.repeat), timed(rows, 1),
                                  back, again, other, len(reads), len(audit.cases))
        finally:
            store.dispose()
            shutil.rmtree(cache, ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)

    med, ms = bs.median, bs.ms
    print(f"\ndashboard at {size.current_rows:,} current score rows ({size.rounds} rounds)")
    for label, (show, compute, floor, rows, back, again, other, reads, cases) in results.items():
        print(f"{label} ({cases:,} cases; {reads} moderated rounds read): whole overview, nothing "
              f"cached, median {ms(med(show))}, its results alone {ms(med(compute))} | floor, the "
              f"store's pair counts for those rounds: {ms(med(floor))} (ratios "
              f"{med(show) / med(floor):.1f} and {med(compute) / med(floor):.1f}) | for "
              f"information, reading their submitted responses into pandas: {ms(rows[0])}")
        print(f"  again with the store unchanged, as ratios to that first view: switching back to "
              f"the round {ms(med(back))} ({med(back) / med(show):.3f}); another viewer, same "
              f"process {ms(med(again))} ({med(again) / med(show):.2f}), new process, results from "
              f"the disk cache {ms(med(other))} ({med(other) / med(show):.2f}): drawing the charts "
              "is what is left")

if __name__ == "__main__":
    main()
