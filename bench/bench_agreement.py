"""Benchmark of the agreement statistics (`make bench`): alpha with a bootstrap interval for every
criterion of a round of 40 cases × 6 agencies (issue 4 aims at under 2 s), beside the floor of
computing each criterion's alpha once, without the bootstrap, in the same run."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

import bench_store as bs

from caseaudit.agreement import alpha_by_criterion, graded_pairs, krippendorff_alpha
from caseaudit.framework import load_framework
from caseaudit.store import open_store
from caseaudit.synthetic import build_partnership, write_partnership


def main() -> None:
    framework = load_framework("jtai-csa-family", "1.0")
    partnership = build_partnership(cases=40, rounds=2, seed=5, framework=framework)
    audit = partnership.rounds[0]  # the moderated one
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "agreement.db", create=True)
        write_partnership(partnership, Path(tmp) / "audits", store, framework)
        pairs = graded_pairs(store, audit, framework)
        timed, table = bs.timed(lambda: alpha_by_criterion(pairs, framework, n_boot=1000), 5)

        def floor() -> None:
            for cid in framework.criteria_by_id:
                part = pairs[pairs["criterion_id"] == cid]
                with contextlib.suppress(ValueError):
                    krippendorff_alpha([part["agency_pos"].tolist(),
                                        part["moderated_pos"].tolist()], "ordinal",
                                       value_domain=range(4))

        floor_times, _ = bs.timed(floor, 5)
        store.dispose()
    agencies = sorted(pairs["agency"].unique())
    med = bs.median(timed)
    print(f"\nagreement: round of {len(audit.cases)} cases x {len(agencies)} agencies, "
          f"{len(pairs):,} graded pairs, {len(table)} criteria")
    print(f"alpha with 1,000-resample bootstrap interval for every criterion: median "
          f"{bs.ms(med)}, max {bs.ms(max(timed))} | floor, each alpha once: "
          f"{bs.ms(bs.median(floor_times))} (ratio {med / bs.median(floor_times):.1f})")
    print(f"aim: under 2 s: {'met' if max(timed) < 2 else 'NOT met'}")


if __name__ == "__main__":
    main()
