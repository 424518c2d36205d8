"""Benchmark of the store at about a million current score rows (`make bench`).

Prints, all measured in the same run on the same database so that the ratios mean something on
any machine:

(a) the time from the store to every criterion and criterion × agency figure with its Wilson
    interval (``summarise_store``), beside two floors: a plain SQL GROUP BY over a flat table
    holding exactly the same current rows, and the same group-by in pandas on those rows already
    in memory; and, for information, reading every current row into pandas, which the design
    avoids;
(b) the latency of saving one 25-criterion form into a store of that size, beside a bare 25-row
    insert transaction in the same database with the same PRAGMAs;
(c) peak memory: of the analysis alone (in a fresh process, so the build does not dominate) and
    of the whole benchmark.

It is a benchmark, not a test: nothing fails on a slow machine; only the sanity checks that the
analysis agrees with the floors stop it. The store is built through the real save path
(``write_partnership`` calls ``Store.save_forms``, one transaction per round); ``--keep DIR``
builds it once and reuses it, and (a) and (b) run on a scratch copy so a kept store never drifts.
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
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

from caseaudit.analysis import summarise_store
from caseaudit.framework import Framework
from caseaudit.rounds import AuditRound, FrameworkRef, load_rounds
from caseaudit.store import FormSave, Store, open_store
from caseaudit.synthetic import build_partnership, write_partnership

T = TypeVar("T")

SEED = 99
ROUNDS = 8
#: Measured for seed 99 over 8 rounds: a case averages 77 current score rows (graded + n/a);
#: 1,623 cases a round give 1,000,348.
ROWS_PER_CASE = 77
FORM_CRITERIA = 25
AGENCY = "CSC"  # the agency with the longest form (23 criteria of jtai-csa-family)
STORE_FILE = "bench.db"
WORK_FILE = "work.db"
AUDITS_DIR = "audits"
GROUP_SQL = ("SELECT round_id, criterion_id, agency, grade, count(*) FROM floor_rows "
             "GROUP BY 1, 2, 3, 4")


# -- measuring ------------------------------------------------------------------------------------

def timed(fn: Callable[[], T], repeat: int, warmup: int = 1) -> tuple[list[float], T]:
    """Seconds of each of ``repeat`` runs of ``fn`` after ``warmup`` untimed ones (caches, imports,
    pooled connections), and the last result, which the sanity checks compare."""
    for _ in range(warmup):
        fn()
    times: list[float] = []
    result: T | None = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return times, result  # type: ignore[return-value]  # None only when repeat is 0


def median(times: list[float]) -> float:
    return statistics.median(times) if times else float("nan")


def p95(times: list[float]) -> float:
    return float(np.percentile(times, 95)) if times else float("nan")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def peak_rss_mb() -> float:
    """This process's peak RSS (getrusage ru_maxrss, kB on Linux), in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def own_peak_rss_mb() -> float:
    """This process's own peak RSS, in MB, not counting the process that started it.

    On Linux ru_maxrss survives fork and exec, so a child started by a parent that holds 800 MB
    reports 800 MB however little it uses; /proc's VmHWM belongs to the new address space only.
    Falls back to ru_maxrss where there is no /proc.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return peak_rss_mb()


def current_rss_mb() -> float:
    """Resident memory now, in MB (nan without /proc)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def say(text: str) -> None:
    """Progress, flushed: a build takes a minute or two and silence looks like a hang."""
    print(text, flush=True)


# -- the store ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class StoreSize:
    current_rows: int  # graded + n/a scores of current revisions, any status
    score_rows: int  # every score row, superseded revisions included
    forms: int
    revisions: int
    rounds: int


def build(folder: Path, rows: int) -> None:
    """Build about ``rows`` current score rows into ``folder``, through the real save path.

    Writes to a scratch name and renames at the end, so an interrupted build is never reused.
    """
    cases = max(1, round(rows / (ROWS_PER_CASE * ROUNDS)))
    partial, audits = folder / "building.db", folder / AUDITS_DIR
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    shutil.rmtree(audits, ignore_errors=True)
    say(f"building {ROUNDS} rounds x {cases:,} cases (seed {SEED}) in {folder} ...")
    start = time.perf_counter()
    partnership = build_partnership(cases=cases, rounds=ROUNDS, seed=SEED)
    generated = time.perf_counter()
    store = open_store(partial, create=True)
    write_partnership(partnership, audits, store)
    store.dispose()  # the last connection to close checkpoints and removes the WAL
    partial.replace(folder / STORE_FILE)
    done = time.perf_counter()
    saves = sum(len(s) for s in partnership.saves.values())
    say(f"built in {done - start:.1f} s: generating {generated - start:.1f} s, saving {saves:,} "
        f"forms through Store.save_forms {done - generated:.1f} s")


def store_size(store: Store, db: Path) -> StoreSize:
    """Row counts, current rows counted the way the workbook counts them."""
    current = int(store.grade_counts(status=None)["count"].sum())
    conn = sqlite3.connect(db)
    try:
        def one(sql: str) -> int:
            return int(conn.execute(sql).fetchone()[0])
        return StoreSize(current, one("SELECT count(*) FROM scores"),
                         one("SELECT count(*) FROM forms"), one("SELECT count(*) FROM revisions"),
                         one("SELECT count(DISTINCT round_id) FROM forms"))
    finally:
        conn.close()


def working_copy(source: Path, target: Path) -> None:
    """A page-for-page copy (SQLite's backup API, safe with WAL) that (a) and (b) may change."""
    remove_db(target)
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def remove_db(path: Path) -> None:
    for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        file.unlink(missing_ok=True)


def frameworks_for(audits: Path) -> tuple[list[AuditRound], dict[str, Framework], dict[str, str]]:
    """Rounds, and the two mappings summarise_store takes: key -> framework, round id -> key."""
    rounds = load_rounds(audits)
    frameworks: dict[str, Framework] = {}
    mapping: dict[str, str] = {}
    for audit in rounds:
        key = f"{audit.framework.id} {audit.framework.version}"
        if key not in frameworks:
            frameworks[key] = audit.load_framework()
        mapping[audit.id] = key
    return rounds, frameworks, mapping


# -- (a) analysis ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class AnalysisFigures:
    ours: list[float]
    sql: list[float]
    pandas: list[float]
    read_all: list[float]
    floor_rows: int
    read_rows: int
    peak_before_read_mb: float  # this process's peak before reading every row into pandas


def make_floor_table(db: Path) -> int:
    """Materialise (untimed) exactly the current rows of submitted forms that summarise_store
    counts: graded or n/a, of each form's head revision. Returns how many there are."""
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("DROP TABLE IF EXISTS floor_rows")
        conn.execute(
            "CREATE TABLE floor_rows AS "
            "SELECT h.round_id, s.criterion_id, f.agency, s.grade "
            "FROM form_heads h JOIN scores s ON s.revision_id = h.revision_id "
            "JOIN forms f ON f.form_id = h.form_id "
            "WHERE h.status = 'submitted' AND (s.grade IS NOT NULL OR s.not_applicable)")
        return int(conn.execute("SELECT count(*) FROM floor_rows").fetchone()[0])
    finally:
        conn.close()


def check_agreement(by_criterion: pd.DataFrame, by_agency: pd.DataFrame,
                    floor: list[tuple], grouped: pd.Series, rows: int) -> None:
    """Sanity: summarise_store's n + not_applicable are the floor's counts, cell by cell."""
    counts = pd.DataFrame(floor, columns=["round_id", "criterion_id", "agency", "grade", "count"])
    for ours, keys in ((by_criterion, ["round_id", "criterion_id"]),
                       (by_agency, ["round_id", "criterion_id", "agency"])):
        expected = counts.groupby(keys)["count"].sum().astype("int64").sort_index()
        got = (ours.assign(total=ours["n"] + ours["not_applicable"]).set_index(keys)["total"]
               .astype("int64").sort_index())
        pd.testing.assert_series_equal(got, expected, check_names=False)
        graded = ours["n"] > 0
        if ours.loc[graded, ["ci_low", "ci_high"]].isna().any().any():
            raise AssertionError(f"an interval is missing in the {' x '.join(keys)} figures")
    if int(counts["count"].sum()) != rows or int(grouped.sum()) != rows:
        raise AssertionError(f"the floors count {counts['count'].sum():,} (SQL) and "
                             f"{grouped.sum():,} (pandas) rows, not {rows:,}")


def pandas_floor(db: Path, repeat: int) -> tuple[list[float], pd.Series]:
    """The same group-by in pandas, on floor_rows loaded (untimed) into a DataFrame; the frame
    is dropped on return, before the read-all step measures its own memory."""
    conn = sqlite3.connect(db)
    try:
        flat = pd.read_sql_query("SELECT round_id, criterion_id, agency, grade FROM floor_rows",
                                 conn)
    finally:
        conn.close()
    keys = ["round_id", "criterion_id", "agency", "grade"]
    return timed(lambda: flat.groupby(keys, dropna=False).size(), repeat)


def bench_analysis(store: Store, db: Path, frameworks: dict[str, Framework],
                   mapping: dict[str, str], repeat: int, read_repeat: int) -> AnalysisFigures:
    """(a): summarise_store against the SQL and pandas floors, then reading every row."""
    rows = make_floor_table(db)
    say(f"(a) floor_rows: {rows:,} current rows of submitted forms; timing {repeat} runs each ...")
    ours, (by_criterion, by_agency) = timed(
        lambda: summarise_store(store, frameworks, mapping), repeat)

    conn = sqlite3.connect(db)
    try:
        sql, floor = timed(lambda: conn.execute(GROUP_SQL).fetchall(), repeat)
    finally:
        conn.close()
    in_pandas, grouped = pandas_floor(db, repeat)
    check_agreement(by_criterion, by_agency, floor, grouped, rows)
    say(f"(a) summarise_store agrees with both floors ({len(by_criterion):,} criterion and "
        f"{len(by_agency):,} criterion x agency figures); reading every current row "
        f"({read_repeat} runs) ...")
    peak_before_read = peak_rss_mb()
    read_all, tidy = timed(store.current_responses, read_repeat, warmup=0)
    read_rows = len(tidy)
    del tidy
    return AnalysisFigures(ours, sql, in_pandas, read_all, rows, read_rows, peak_before_read)


# -- (b) saving one form --------------------------------------------------------------------------

@dataclass(frozen=True)
class SaveFigures:
    real: list[float]  # the agency's real form (23 criteria)
    real_criteria: int
    wide: list[float]  # a 25-criterion form
    bare: list[float]


def widened(framework: Framework, size: int) -> Framework:
    """The framework's first ``size`` criteria, all answered by every agency.

    No agency's form in the built-in frameworks has 25 criteria (children's social care answers
    23 of jtai-csa-family's 27), so the 25-criterion figure uses this framework, saved through
    the same path in a round that mirrors a real one.
    """
    data = framework.model_dump(by_alias=True)
    kept, domains = 0, []
    for domain in data["domains"]:
        criteria = domain["criteria"][: size - kept]
        for criterion in criteria:
            criterion["answered_by"] = "all"
        kept += len(criteria)
        if criteria:
            domains.append({**domain, "criteria": criteria})
    if kept != size:
        raise ValueError(f"framework {framework.id} has only {kept} criteria, not {size}")
    return Framework.model_validate({**data, "id": f"{framework.id}-bench{size}",
                                     "domains": domains})


def pick_forms(store: Store, audit: AuditRound, count: int) -> list[tuple[str, str]]:
    """(case, auditor) of ``count`` saved forms of AGENCY in the round, spread through it."""
    statuses = store.form_statuses(audit.id)
    mine = statuses[statuses["agency"] == AGENCY].reset_index(drop=True)
    step = max(1, len(mine) // max(1, count))
    chosen = mine.iloc[::step].head(count)
    return list(zip(chosen["case_id"], chosen["auditor"], strict=True))


def save_timed(store: Store, audit: AuditRound, framework: Framework, case_id: str, auditor: str,
               rng: np.random.Generator) -> float:
    """Seconds to save a draft revision of one form, based on its current revision (looked up
    outside the timing, as the scoring form knows which revision it opened)."""
    latest = store.latest_revision(audit.id, case_id, AGENCY, auditor)
    criteria = [c.id for c in framework.criteria_for(AGENCY)]
    grades = dict(zip(criteria, (int(g) for g in rng.integers(1, 5, size=len(criteria))),
                      strict=True))
    save = FormSave(case_id, AGENCY, auditor, grades, {criteria[0]: "Synthetic bench note."},
                    status="draft", based_on=latest.revision_no if latest else None)
    start = time.perf_counter()
    store.save_form(audit, framework, save)
    return time.perf_counter() - start


def bench_save(store: Store, db: Path, audit: AuditRound, framework: Framework,
               count: int) -> SaveFigures:
    """(b): real forms, 25-criterion forms and bare 25-row transactions, interleaved so that WAL
    checkpoints and cache state fall on all three alike."""
    forms = pick_forms(store, audit, count)
    wide_framework = widened(framework, FORM_CRITERIA)
    wide_round = AuditRound.model_validate({
        **audit.model_dump(), "id": f"{audit.id}-bench{FORM_CRITERIA}",
        "framework": FrameworkRef(id=wide_framework.id, version=wide_framework.version)})
    rng = np.random.default_rng(SEED)
    for case_id, auditor in forms:  # untimed first saves: the timed ones revise existing forms
        save_timed(store, wide_round, wide_framework, case_id, auditor, rng)
    say(f"(b) saving {len(forms)} forms of each kind into {audit.id} ...")

    conn = sqlite3.connect(db, isolation_level=None)
    for pragma in ("busy_timeout = 30000", "journal_mode = WAL", "synchronous = NORMAL"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute("CREATE TABLE IF NOT EXISTS floor_insert "
                 "(form INTEGER, criterion_id TEXT, grade INTEGER, note TEXT)")
    wide_ids = [c.id for c in wide_framework.criteria_for(AGENCY)]
    real, wide, bare = [], [], []
    try:
        for i, (case_id, auditor) in enumerate(forms):
            real.append(save_timed(store, audit, framework, case_id, auditor, rng))
            wide.append(save_timed(store, wide_round, wide_framework, case_id, auditor, rng))
            rows = [(i, cid, int(g), "") for cid, g in
                    zip(wide_ids, rng.integers(1, 5, size=len(wide_ids)), strict=True)]
            start = time.perf_counter()
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany("INSERT INTO floor_insert VALUES (?, ?, ?, ?)", rows)
            conn.execute("COMMIT")
            bare.append(time.perf_counter() - start)
    finally:
        conn.close()
    return SaveFigures(real, len(framework.criteria_for(AGENCY)), wide, bare)


# -- (c) the analysis alone, in a fresh process ---------------------------------------------------

def analysis_only(db: Path, audits: Path) -> None:
    """Open the store, summarise every round once, print memory figures as one JSON line."""
    _, frameworks, mapping = frameworks_for(audits)
    store = open_store(db, create=False)
    before = current_rss_mb()
    start = time.perf_counter()
    by_criterion, by_agency = summarise_store(store, frameworks, mapping)
    seconds = time.perf_counter() - start
    store.dispose()
    print(json.dumps({"peak_mb": own_peak_rss_mb(), "before_mb": before,
                      "ru_maxrss_mb": peak_rss_mb(), "seconds": seconds,
                      "figures": len(by_criterion) + len(by_agency)}))


def run_analysis_only(db: Path, audits: Path) -> dict[str, float]:
    child = subprocess.run(
        [sys.executable, __file__, "--analysis-only", str(db), "--audits", str(audits)],
        capture_output=True, text=True, check=False)
    if child.returncode != 0:
        raise RuntimeError(f"the --analysis-only run failed:\n{child.stderr}")
    return json.loads(child.stdout.strip().splitlines()[-1])


# -- the run --------------------------------------------------------------------------------------

def report(size: StoreSize, a: AnalysisFigures, b: SaveFigures, c: dict[str, float],
           whole_mb: float) -> None:
    met = {True: "met", False: "NOT met"}
    ours, sql, in_pandas = median(a.ours), median(a.sql), median(a.pandas)
    aim_a = ours < 1.0 and ours <= 2 * sql
    aim_b = p95(b.wide) < 0.050
    aim_c = c["peak_mb"] < 1024
    say("")
    say(f"(a) medians of {len(a.ours)} runs after a warm-up; reading every current row "
        f"({a.read_rows:,} rows): median of {len(a.read_all)}")
    say(f"(b) {len(b.wide)} saves of each; real {AGENCY} form ({b.real_criteria} criteria): "
        f"median {ms(median(b.real))}, p95 {ms(p95(b.real))}, max {ms(max(b.real))}; "
        f"25-criterion max {ms(max(b.wide))}")
    say(f"(c) analysis alone: {c['peak_mb']:,.0f} MB peak, of which {c['before_mb']:,.0f} MB "
        f"before summarise_store (interpreter, pandas, SQLAlchemy, an open store); its "
        f"ru_maxrss reads {c['ru_maxrss_mb']:,.0f} MB because Linux carries the parent's peak "
        f"across fork and exec, so the figure is /proc's VmHWM; this process peaked at "
        f"{a.peak_before_read_mb:,.0f} MB before reading every current row into pandas")
    say("")
    say(f"store: {size.current_rows:,} current score rows ({size.score_rows:,} incl. superseded), "
        f"{size.forms:,} forms, {size.rounds} rounds")
    say(f"(a) summarise_store: {ms(ours)} | SQL floor {ms(sql)} (ratio {ours / sql:.2f}) | "
        f"pandas floor {ms(in_pandas)} (ratio {ours / in_pandas:.2f}) | "
        f"read all rows {ms(median(a.read_all))}")
    say(f"(b) save one 25-criterion form: median {ms(median(b.wide))}, p95 {ms(p95(b.wide))} | "
        f"bare insert floor: median {ms(median(b.bare))}, p95 {ms(p95(b.bare))}")
    say(f"(c) peak RSS: analysis alone {c['peak_mb']:,.0f} MB; whole benchmark {whole_mb:,.0f} MB")
    say(f"aims: (a) < 1 s and <= 2x SQL floor: {met[aim_a]}; (b) p95 < 50 ms: {met[aim_b]}; "
        f"(c) < 1 GB (analysis alone): {met[aim_c]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000,
                        help="current score rows to build (default 1,000,000)")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="build the store into DIR, or reuse the one already there")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per (a) figure")
    parser.add_argument("--read-repeat", type=int, default=3,
                        help="timed runs of reading every current row into pandas")
    parser.add_argument("--forms", type=int, default=200, help="forms saved for (b)")
    parser.add_argument("--analysis-only", type=Path, metavar="DB",
                        help="only open DB, run summarise_store once and print peak memory")
    parser.add_argument("--audits", type=Path, help="rounds of --analysis-only's DB "
                        "(default: the audits folder beside DB)")
    args = parser.parse_args()
    if args.analysis_only:
        analysis_only(args.analysis_only, args.audits or args.analysis_only.parent / AUDITS_DIR)
        return

    folder = args.keep or Path(tempfile.mkdtemp(prefix="caseaudit-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    db, work, audits = folder / STORE_FILE, folder / WORK_FILE, folder / AUDITS_DIR
    try:
        if db.exists():
            say(f"reusing the store in {folder} (--rows does not apply)")
        else:
            build(folder, args.rows)
        rounds, frameworks, mapping = frameworks_for(audits)
        working_copy(db, work)
        store = open_store(work, create=False)
        try:
            size = store_size(store, work)
            say(f"store: {size.current_rows:,} current score rows, {size.score_rows:,} score rows "
                f"in {size.revisions:,} revisions of {size.forms:,} forms, {size.rounds} rounds")
            a = bench_analysis(store, work, frameworks, mapping, args.repeat, args.read_repeat)
            latest = rounds[-1]
            b = bench_save(store, work, latest, frameworks[mapping[latest.id]], args.forms)
        finally:
            store.dispose()
        say("(c) running the analysis alone in a fresh process ...")
        c = run_analysis_only(db, audits)
        report(size, a, b, c, peak_rss_mb())
    finally:
        remove_db(work)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
