"""Benchmark of the store at about a million current score rows (`make bench`).

Prints, all measured in the same run so the ratios mean something on any machine:

(a) the time from the store to every criterion and criterion × agency figure with its Wilson
    interval, beside two floors: a plain SQL GROUP BY over a flat table holding exactly the same
    current rows, and the same group-by in pandas on those rows already in memory (and, for
    information, the time to read every current row into pandas, which the design avoids);
(b) the latency of saving one 25-criterion form at that size, beside a bare 25-row insert
    transaction in the same database;
(c) peak memory: of the analysis alone (in a fresh process) and of the whole benchmark.

It is a benchmark, not a test: nothing here fails on a slow machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from caseaudit.analysis import summarise_store
from caseaudit.framework import Framework, load_framework
from caseaudit.rounds import AuditRound, FrameworkRef, load_rounds
from caseaudit.store import FormSave, Store, open_store
from caseaudit.synthetic import build_partnership, write_partnership

ROWS_PER_CASE = 75  # measured: the generator's cases average about 75 current score rows
SEED = 99


def timed(fn: Callable[[], object], repeat: int) -> tuple[list[float], object]:
    """Run ``fn`` once to warm caches, then ``repeat`` times; seconds of each timed run."""
    result = fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return times, result


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.2f} ms"


def peak_rss_mb() -> float:
    """Peak resident memory of this process, in MB.

    Read from /proc (VmHWM) where there is one: getrusage's ru_maxrss survives exec, so a child
    started from a big parent would report the parent's peak.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(folder: Path, rows: int) -> None:
    """A synthetic partnership of about ``rows`` current score rows, saved through the store."""
    rounds = 8
    cases = max(1, round(rows / ROWS_PER_CASE / rounds))
    start = time.perf_counter()
    partnership = build_partnership(cases=cases, rounds=rounds, seed=SEED)
    store = open_store(folder / "bench.db")
    write_partnership(partnership, folder / "audits", store)
    store.dispose()
    print(f"built {rounds} rounds of {cases} cases in {time.perf_counter() - start:.1f} s")


def frameworks_for(audits: Path) -> tuple[dict, dict]:
    rounds = load_rounds(audits)
    frameworks = {r.framework.id + " " + r.framework.version: r.load_framework() for r in rounds}
    mapping = {r.id: r.framework.id + " " + r.framework.version for r in rounds}
    return frameworks, mapping


def bench_analysis(store: Store, folder: Path, repeat: int) -> dict[str, float]:
    db = folder / "bench.db"
    frameworks, mapping = frameworks_for(folder / "audits")
    # the floors' flat table: exactly the current rows of submitted forms, materialised once
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE IF EXISTS floor_rows")
        conn.execute(
            "CREATE TABLE floor_rows AS SELECT h.round_id, s.criterion_id, f.agency, s.grade "
            "FROM form_heads h JOIN scores s ON s.revision_id = h.revision_id "
            "JOIN forms f ON f.form_id = h.form_id "
            "WHERE h.status = 'submitted' AND (s.grade IS NOT NULL OR s.not_applicable)")
    ours, (by_criterion, by_agency) = timed(lambda: summarise_store(store, frameworks, mapping),
                                            repeat)
    conn = sqlite3.connect(db)
    sql = ("SELECT round_id, criterion_id, agency, grade, count(*) FROM floor_rows "
           "GROUP BY 1, 2, 3, 4")
    sql_floor, floor_result = timed(lambda: conn.execute(sql).fetchall(), repeat)
    flat = pd.read_sql("SELECT * FROM floor_rows", conn)
    conn.close()
    pandas_floor, _ = timed(
        lambda: flat.groupby(["round_id", "criterion_id", "agency", "grade"], dropna=False).size(),
        repeat)
    peak = peak_rss_mb()  # before the read-all below, which is not a path the workbook takes
    read_all, tidy = timed(lambda: store.current_responses(), max(1, repeat // 2))

    # sanity: our per-criterion totals are the floor's counts
    floor = pd.DataFrame(floor_result, columns=["round_id", "criterion_id", "agency", "grade", "n"])
    floor_totals = floor.groupby(["round_id", "criterion_id"])["n"].sum().sort_index()
    our_totals = (by_criterion.assign(total=by_criterion["n"] + by_criterion["not_applicable"])
                  .set_index(["round_id", "criterion_id"])["total"].sort_index())
    assert (floor_totals.to_numpy() == our_totals.to_numpy()).all(), "analysis disagrees with SQL"
    assert by_agency["ci_low"].notna().any()
    return {
        "ours": statistics.median(ours), "sql": statistics.median(sql_floor),
        "pandas": statistics.median(pandas_floor), "read_all": statistics.median(read_all),
        "rows": float(len(flat)), "tidy_rows": float(len(tidy)),  # type: ignore[arg-type]
        "peak_mb": peak,
    }


def form_of_25(audit: AuditRound) -> tuple[AuditRound, Framework]:
    """The latest round's cases under a 25-criterion form: the JTAI framework's first 25
    criteria, all answered by every agency (no built-in agency form has exactly 25 criteria:
    children's social care answers 23 of the JTAI framework's 27)."""
    base = load_framework(audit.framework.id, audit.framework.version).model_dump()
    kept = 0
    for domain in base["domains"]:
        domain["criteria"] = domain["criteria"][: max(0, 25 - kept)]
        kept += len(domain["criteria"])
        for criterion in domain["criteria"]:
            criterion["answered_by"] = "all"
    base["domains"] = [d for d in base["domains"] if d["criteria"]]
    framework = Framework.model_validate({**base, "id": "bench-25", "version": "1"})
    ref = FrameworkRef(id="bench-25", version="1")
    return audit.model_copy(update={"id": f"{audit.id}-bench", "framework": ref}), framework


def bench_save(store: Store, folder: Path, forms: int) -> dict[str, float]:
    audit, framework = form_of_25(load_rounds(folder / "audits")[-1])
    criteria = [c.id for c in framework.criteria_for("CSC")]
    assert len(criteria) == 25
    auditor = next(a.id for a in audit.auditors if a.agency == "CSC")
    saves = []
    rng = np.random.default_rng(1)
    for case in audit.cases[:forms]:
        latest = store.latest_revision(audit.id, case.id, "CSC", auditor)
        based_on = latest.revision_no if latest else None
        grades = {cid: int(g) for cid, g in zip(criteria, rng.integers(1, 5, size=25), strict=True)}
        start = time.perf_counter()
        store.save_form(audit, framework, FormSave(case.id, "CSC", auditor, grades,
                                                   {criteria[0]: "Bench note."}, "draft", based_on))
        saves.append(time.perf_counter() - start)
    # floor: a bare transaction of 25 rows in the same database, same pragmas
    conn = sqlite3.connect(folder / "bench.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("CREATE TABLE IF NOT EXISTS floor_insert (k INTEGER, c TEXT, g INTEGER)")
    bare = []
    for i in range(forms):
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT INTO floor_insert VALUES (?, ?, ?)",
                         [(i, cid, 2) for cid in criteria])
        conn.execute("COMMIT")
        bare.append(time.perf_counter() - start)
    conn.close()
    return {"median": statistics.median(saves), "p95": float(np.percentile(saves, 95)),
            "floor_median": statistics.median(bare), "floor_p95": float(np.percentile(bare, 95)),
            "forms": float(len(saves))}


def measure(folder: Path, repeat: int, forms: int) -> dict[str, dict[str, float]]:
    """(a) and (b) in a process that did not build the store, so (c) is the workbook's own."""
    store = open_store(folder / "bench.db", create=False)
    b = bench_save(store, folder, forms)
    a = bench_analysis(store, folder, repeat)
    store.dispose()
    return {"a": a, "b": b}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="current score rows to build")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per figure")
    parser.add_argument("--forms", type=int, default=200, help="forms saved for (b)")
    parser.add_argument("--keep", type=Path, help="build into (or reuse) this folder")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.repeat, args.forms)))
        return

    folder = args.keep or Path(tempfile.mkdtemp(prefix="caseaudit-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        if not (folder / "bench.db").exists():
            build(folder, args.rows)
        with sqlite3.connect(folder / "bench.db") as conn:
            current = conn.execute("SELECT count(*) FROM scores s JOIN form_heads h "
                                   "ON s.revision_id = h.revision_id").fetchone()[0]
            all_rows = conn.execute("SELECT count(*) FROM scores").fetchone()[0]
            form_count = conn.execute("SELECT count(*) FROM forms").fetchone()[0]
            rounds = conn.execute("SELECT count(DISTINCT round_id) FROM forms").fetchone()[0]
        child = subprocess.run(
            [sys.executable, __file__, "--measure", str(folder), "--repeat", str(args.repeat),
             "--forms", str(args.forms)], capture_output=True, text=True, check=True)
        figures = json.loads(child.stdout.strip().splitlines()[-1])
        a, b = figures["a"], figures["b"]
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)

    met = {True: "met", False: "NOT met"}
    print()
    print(f"store: {current:,} current score rows ({all_rows:,} incl. superseded), "
          f"{form_count:,} forms, {rounds} rounds")
    print(f"(a) summarise_store: {ms(a['ours'])} | SQL floor {ms(a['sql'])} "
          f"(ratio {a['ours'] / a['sql']:.2f}) | pandas floor {ms(a['pandas'])} "
          f"(ratio {a['ours'] / a['pandas']:.2f}) | for information, reading every current row "
          f"into pandas {ms(a['read_all'])} (ratio {a['read_all'] / a['sql']:.2f} to SQL)")
    print(f"(b) save one 25-criterion form ({int(b['forms'])} saves): median {ms(b['median'])}, "
          f"p95 {ms(b['p95'])} | bare 25-row insert floor: median {ms(b['floor_median'])}, "
          f"p95 {ms(b['floor_p95'])} (p95 ratio {b['p95'] / b['floor_p95']:.1f})")
    print(f"(c) peak RSS of the process doing (a) and (b): {a['peak_mb']:,.0f} MB; "
          f"this process, which built the store: {peak_rss_mb():,.0f} MB")
    print(f"aims: (a) < 1 s and <= 2x SQL floor: "
          f"{met[a['ours'] < 1 and a['ours'] <= 2 * a['sql']]}; (b) p95 < 50 ms: "
          f"{met[b['p95'] < 0.05]}; (c) < 1 GB: {met[a['peak_mb'] < 1024]}")


if __name__ == "__main__":
    main()
