"""Benchmark of the command line's start and of opening a store (`make bench`).

Prints, measured in the same run as ratios to floors (issue 8 aims at every command within 2x of
importing its light dependencies alone):

(a) `caseaudit --help`, beside `python -c "import click"`;
(b) `caseaudit validate` on the committed example round, beside importing click, PyYAML and
    pydantic's BaseModel (``import pydantic`` alone loads almost nothing: pydantic imports its
    parts on first use);
(c) `caseaudit progress` on a demo partnership (the one `make demo` makes: 40 cases, 6 rounds,
    the default seed, generated into a temporary folder), beside importing the same and
    SQLAlchemy and pandas;
(d) opening a store, which runs SQLite's quick check on it, beside the same open with the check
    left out: on the demo's database and, with ``--keep DIR``, on the million-row store
    bench_store.py keeps there.

Each command is a fresh process (what a user waits for), timed from start to exit with its
output thrown away; medians of ``--repeat`` runs after one untimed run, so the files are cached.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import bench_store as bs

import caseaudit.store.connect as store_module
from caseaudit.store import open_store

ROOT = Path(__file__).resolve().parents[1]
CASEAUDIT = str(Path(sys.executable).parent / "caseaudit")
EXAMPLE_ROUND = ROOT / "audits" / "2026-03-example"
DEMO_ROUND = "2026-09-maca"  # the latest, still in progress
AIM = 2.0


def run(command: list[str]) -> None:
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)


def imports(*modules: str) -> list[str]:
    return [sys.executable, "-c", f"import {', '.join(modules)}; from pydantic import BaseModel"
            if "pydantic" in modules else f"import {', '.join(modules)}"]


def compare(label: str, command: list[str], floor_label: str, floor: list[str], repeat: int) -> float:
    """Time ``command`` and ``floor`` alternately (so that a busy moment hits both); print and
    return the ratio of medians."""
    ours: list[float] = []
    base: list[float] = []
    for _ in range(repeat):
        ours += bs.timed(lambda: run(command), 1, warmup=0 if ours else 1)[0]
        base += bs.timed(lambda: run(floor), 1, warmup=0 if base else 1)[0]
    ratio = bs.median(ours) / bs.median(base)
    bs.say(f"{label}: median {bs.ms(bs.median(ours))}, max {bs.ms(max(ours))} | {floor_label}: "
           f"{bs.ms(bs.median(base))} (ratio {ratio:.2f}; aim <= {AIM:.0f}: "
           f"{'met' if ratio <= AIM else 'NOT met'})")
    return ratio


def compare_open(label: str, db: Path, repeat: int) -> None:
    """open_store as every command, form and dashboard calls it, beside the same open without
    the quick check (the check swapped for a no-op in this process)."""
    def opened() -> None:
        open_store(db).dispose()

    checked, _ = bs.timed(opened, repeat)
    real = store_module._check_sqlite_file
    store_module._check_sqlite_file = lambda path, create: None
    try:
        unchecked, _ = bs.timed(opened, repeat)
    finally:
        store_module._check_sqlite_file = real
    size = db.stat().st_size / 2**20
    bs.say(f"{label} ({size:,.1f} MB): open_store with the quick check median "
           f"{bs.ms(bs.median(checked))} | without it {bs.ms(bs.median(unchecked))} (ratio "
           f"{bs.median(checked) / bs.median(unchecked):.1f}; the check adds "
           f"{bs.ms(bs.median(checked) - bs.median(unchecked))})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="timed runs of each command")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="also time opening the million-row store bench_store.py keeps in DIR")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="caseaudit-bench-cli-") as tmp:
        demo_db, demo_audits = Path(tmp) / "demo.db", Path(tmp) / "audits"
        bs.say(f"generating the demo partnership in {tmp} ...")
        run([CASEAUDIT, "demo-data", "--db", str(demo_db), "--audits", str(demo_audits)])
        bs.say("")
        compare("(a) caseaudit --help", [CASEAUDIT, "--help"],
                "floor, import click", imports("click"), args.repeat)
        compare("(b) caseaudit validate (example round)", [CASEAUDIT, "validate", str(EXAMPLE_ROUND)],
                "floor, import click, yaml, pydantic.BaseModel", imports("click", "pydantic", "yaml"),
                args.repeat)
        compare("(c) caseaudit progress (demo, 40 cases)",
                [CASEAUDIT, "progress", "--round", DEMO_ROUND, "--db", str(demo_db),
                 "--audits", str(demo_audits)],
                "floor, import click, yaml, pydantic.BaseModel, sqlalchemy, pandas",
                imports("click", "pydantic", "yaml", "sqlalchemy", "pandas"), args.repeat)
        compare_open("(d) opening the demo's store", demo_db, max(args.repeat, 20))
    if args.keep:
        kept = args.keep / bs.STORE_FILE
        if kept.exists():
            compare_open("(d) opening the million-row store", kept, args.repeat)
        else:
            bs.say(f"(d) no kept store at {kept}: run bench_store.py --keep {args.keep} first")


if __name__ == "__main__":
    main()
