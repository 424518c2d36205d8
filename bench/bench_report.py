"""Benchmark of the committee report on the million-row store (`make bench`).

Prints, measured in the same run, the time `caseaudit report` takes for the latest round of the
store bench_store.py keeps (``--keep DIR``; built there first if missing), beside a FLOOR: the
papermill command running an empty notebook (one empty cell) in a fresh kernel, the least any
papermill-run report can cost. Issue 10 aims at under 30 s for one round.

(a) DOCX, first run: the round's results computed (a fresh results cache);
(b) DOCX, HTML and PDF again: the results read back from the cache, as a rerun finds them;
(c) the progress report on an inspection's action plan (``--inspection``, DOCX) over the store's
rounds: the inspection bench_impact.py writes, its review computed afresh each run (it is not
cached);
each a fresh process, timed from start to exit, medians of ``--repeat`` runs, alternated with the
floor so that a busy moment hits both. The store is a scratch copy, so the kept one never changes.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bench_impact as bi
import bench_store as bs
import nbformat

from caseaudit.rounds import load_rounds

BIN = Path(sys.executable).parent
AIM_SECONDS = 30.0


def _empty_notebook(path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.cells = [nbformat.v4.new_code_cell("")]
    nbformat.write(nb, path)


def _seconds(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True, env=env)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, metavar="DIR", default=Path("bench/results/store"),
                        help="where bench_store.py keeps the million-row store (built if missing)")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of a store built here")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each warm report")
    args = parser.parse_args()
    kept = args.keep / bs.STORE_FILE
    if not kept.exists():
        args.keep.mkdir(parents=True, exist_ok=True)
        bs.build(args.keep, args.rows)
    audits = args.keep / bs.AUDITS_DIR
    latest = load_rounds(audits)[-1]
    with tempfile.TemporaryDirectory(prefix="caseaudit-bench-report-") as tmp:
        work = Path(tmp)
        db = work / "report.db"
        bs.working_copy(kept, db)
        empty = work / "empty.ipynb"
        _empty_notebook(empty)
        env = {**os.environ, "CASEAUDIT_CACHE": str(work / "cache")}
        floor = [str(BIN / "papermill"), "--no-progress-bar", str(empty), str(work / "floor-out.ipynb")]

        def report(fmt: str) -> list[str]:
            return [str(BIN / "caseaudit"), "report", "--round", latest.id, "--format", fmt,
                    "-o", str(work / f"report.{fmt}"), "--db", str(db), "--audits", str(audits)]

        bs.say(f"store: {kept} ({kept.stat().st_size / 2**20:,.0f} MB); round {latest.id}, "
               f"{len(latest.cases):,} cases")
        _seconds(floor, env)  # untimed: files into the page cache, the kernel spec found
        floors = [_seconds(floor, env)]
        cold = _seconds(report("docx"), env)
        floors.append(_seconds(floor, env))
        base = bs.median(floors)
        bs.say(f"(a) docx, results computed: {cold:.1f} s | floor, papermill on an empty notebook: "
               f"{base:.1f} s (ratio {cold / base:.1f}; aim under {AIM_SECONDS:.0f} s: "
               f"{'met' if cold <= AIM_SECONDS else 'NOT met'})")
        for fmt in ("docx", "html", "pdf"):
            ours: list[float] = []
            for _ in range(args.repeat):
                ours.append(_seconds(report(fmt), env))
                floors.append(_seconds(floor, env))
            base = bs.median(floors)
            size = (work / f"report.{fmt}").stat().st_size / 1024
            bs.say(f"(b) {fmt}, results from the cache: median {bs.median(ours):.1f} s, max "
                   f"{max(ours):.1f} s ({size:,.0f} KB) | floor {base:.1f} s (ratio "
                   f"{bs.median(ours) / base:.1f})")
        inspections = work / "inspections"
        (inspections / bi.INSPECTION_ID).mkdir(parents=True)
        (inspections / bi.INSPECTION_ID / "inspection.yaml").write_text(bi.INSPECTION)
        (inspections / bi.INSPECTION_ID / "action_plan.yaml").write_text(bi._plan())
        progress = [str(BIN / "caseaudit"), "report", "--inspection", bi.INSPECTION_ID, "--format",
                    "docx", "-o", str(work / "progress.docx"), "--db", str(db), "--audits",
                    str(audits), "--inspections", str(inspections)]
        ours = []
        for _ in range(args.repeat):
            ours.append(_seconds(progress, env))
            floors.append(_seconds(floor, env))
        base = bs.median(floors)
        bs.say(f"(c) docx, progress report on inspection {bi.INSPECTION_ID}: median "
               f"{bs.median(ours):.1f} s, max {max(ours):.1f} s | floor {base:.1f} s (ratio "
               f"{bs.median(ours) / base:.1f}; aim under {AIM_SECONDS:.0f} s: "
               f"{'met' if bs.median(ours) <= AIM_SECONDS else 'NOT met'})")


if __name__ == "__main__":
    main()
