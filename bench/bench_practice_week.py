"""Benchmark of the practice week's forms at a million rows (`make bench`, after bench_store.py).

Prints, for each stream (collaborative case audit, observation, family and practitioner
feedback), measured in the same run on the same store as ratios to floors:

- opening the practice-week form on a record (a new form object, the week, the person, the
  stream and the record chosen: what someone waits for), beside the store call alone (reading the
  record's latest revision, details and all);
- saving a draft from it (one answer changed: the autosave, with the list of one's records
  refreshed), beside Store.save_form alone with the same record's details.

The store is bench_store.py's (``--keep DIR``, built if missing) with the demo's two practice
weeks added (125 records each, through Store.save_forms) on a scratch copy, so a kept store never
changes; the records timed are the later week's. Aims, as for the scoring form (issue 3): open
under 1 s, save under 100 ms at the 95th percentile.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import bench_store as bs

from caseaudit.framework import Framework
from caseaudit.rounds import AuditRound
from caseaudit.store import FormSave, Store, open_store
from caseaudit.synthetic_practice_week import build_practice_weeks, write_practice_weeks
from caseaudit.ui.practice_week import PracticeWeekForm


def _other_answer(scale, current: object) -> int:  # type: ignore[no-untyped-def]
    """A different grade on the scale that needs no evidence note (a draft's one change)."""
    return next(c for c in scale.codes if c != current and c not in scale.note_required_for)


def bench_stream(store: Store, audit: AuditRound, framework: Framework, stream_id: str,
                 count: int) -> dict[str, list[float]]:
    """Open ``count`` of the stream's records (consent given, so an answer can change) in a new
    form each, change one answer, and time the same reads and saves by the store alone."""
    records = store.stream_records(audit.id)
    mine = records[(records["stream_id"] == stream_id) & (records["consent"].fillna("") != "declined")]
    opened, saved, floor_open, floor_save = [], [], [], []
    for row in mine.head(count).itertuples():
        start = time.perf_counter()
        form = PracticeWeekForm(store, [audit], auditor=row.auditor, remember=False,
                                autosave_seconds=0)
        form.stream_picker.value = stream_id
        form.record_picker.value = row.record_id
        opened.append(time.perf_counter() - start)
        assert form.fields is not None and form.record_id == row.record_id, form.message.value
        cid, criterion_row = next(iter(form.fields.rows.items()))
        before = form.based_on
        answer = _other_answer(criterion_row.scale, criterion_row.grade.value)
        start = time.perf_counter()
        criterion_row.grade.value = answer  # the autosave saves at once here
        saved.append(time.perf_counter() - start)
        assert form.based_on == (before or 0) + 1, form.save_message.value

        start = time.perf_counter()
        latest = store.latest_revision(audit.id, row.record_id, row.agency, row.auditor)
        floor_open.append(time.perf_counter() - start)
        scale = framework.scale_of(cid)
        save = FormSave(row.record_id, row.agency, row.auditor,
                        latest.grades | {cid: _other_answer(scale, latest.grades.get(cid))},
                        latest.notes, "draft", latest.revision_no, saved_by=row.auditor,
                        details=latest.details)
        start = time.perf_counter()
        store.save_form(audit, framework, save)
        floor_save.append(time.perf_counter() - start)
    return {"open": opened, "save": saved, "floor_open": floor_open, "floor_save": floor_save}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="reuse (or build) the store of bench_store.py --keep DIR")
    parser.add_argument("--records", type=int, default=20, help="records opened and saved per stream")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="caseaudit-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    db, work = folder / bs.STORE_FILE, folder / bs.WORK_FILE
    weeks_dir = Path(tempfile.mkdtemp(prefix="caseaudit-weeks-"))
    try:
        if not db.exists():
            bs.build(folder, args.rows)
        bs.working_copy(db, work)
        store = open_store(work, create=False)
        try:
            weeks = build_practice_weeks(bs.SEED)
            write_practice_weeks(weeks, weeks_dir, store)
            audit = weeks[-1].audit
            framework = audit.load_framework()
            size = bs.store_size(store, work)
            kept = sum(len(store.stream_records(w.audit.id, status=None)) for w in weeks)
            figures = {stream: bench_stream(store, audit, framework, stream, args.records)
                       for stream in audit.streams}
        finally:
            store.dispose()
    finally:
        bs.remove_db(work)
        shutil.rmtree(weeks_dir, ignore_errors=True)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)

    med, p95, ms = bs.median, bs.p95, bs.ms
    print(f"\npractice-week forms at {size.current_rows:,} current score rows ({size.forms:,} forms, "
          f"the two weeks' {kept} records among them)")
    for stream, f in figures.items():
        print(f"{stream} ({len(f['open'])} records): open median {ms(med(f['open']))}, p95 "
              f"{ms(p95(f['open']))} | floor, its latest revision: median {ms(med(f['floor_open']))} "
              f"(ratio {med(f['open']) / med(f['floor_open']):.0f}); save a draft median "
              f"{ms(med(f['save']))}, p95 {ms(p95(f['save']))} | floor, Store.save_form alone: p95 "
              f"{ms(p95(f['floor_save']))} (p95 ratio {p95(f['save']) / p95(f['floor_save']):.1f})")
    met = {True: "met", False: "NOT met"}
    print(f"aims: open < 1 s: {met[max(p95(f['open']) for f in figures.values()) < 1]}; save p95 "
          f"< 100 ms: {met[max(p95(f['save']) for f in figures.values()) < 0.1]}")


if __name__ == "__main__":
    main()
