"""Benchmark of scoring at a million rows (`make bench`, after bench_store.py).

Prints, measured in the same run on the same store as ratios to floors:

- opening the scoring form for a case (a new form object, the case chosen: what an auditor waits
  for) and saving a draft from it (one grade changed: the autosave, with the case list's refresh),
  beside the store calls alone (reading the form's latest revision; saving the same form);
- importing an Excel return of 40 cases × 30 criteria, beside openpyxl reading the same file;
- the audit meeting's form in a moderated round: opening it on a case (grid, notes, latest
  moderation, any draft) and keeping a draft after one change, beside reading the case's
  moderation history and the store's draft call alone;
- the action plan's progress-update form: opening it on an action (its plan, status and history)
  and saving an update, beside reading the action's history and Store.save_action_update alone.

Aims (issue 3): open under 1 s, save under 100 ms at the 95th percentile, import under 2 s; the
meeting's form is held to the same.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import bench_store as bs
import numpy as np
from openpyxl import load_workbook

from caseaudit import settings
from caseaudit.action_plan import ActionPlan
from caseaudit.excel import COLUMNS, FIRST_ROW, SHEET, import_return, write_template
from caseaudit.framework import Framework
from caseaudit.inspection import Inspection
from caseaudit.rounds import FrameworkRef
from caseaudit.store import ActionUpdateSave, FormSave, open_store
from caseaudit.ui.actions import ActionUpdateForm
from caseaudit.ui.meeting import ModerationForm
from caseaudit.ui.scoring import ScoringForm

AGENCY, AUDITOR = "CSC", "AUD-CSC-1"


def bench_form(store, audit, framework, cases: int) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    chosen = [c.id for c in audit.cases if AGENCY in c.agencies][:cases]
    opened, saved, floor_open, floor_save = [], [], [], []
    rng = np.random.default_rng(3)
    for case_id in chosen:
        start = time.perf_counter()
        form = ScoringForm(store, [audit], auditor=AUDITOR, remember=False, autosave_seconds=0)
        form.case_picker.value = case_id
        opened.append(time.perf_counter() - start)
        cid = next(iter(form.rows))
        start = time.perf_counter()
        form.rows[cid].grade.value = int(rng.integers(1, 5))  # autosave fires at once here
        saved.append(time.perf_counter() - start)
        assert form.last_saved is not None, form.message.value

        start = time.perf_counter()
        latest = store.latest_revision(audit.id, case_id, AGENCY, AUDITOR)
        floor_open.append(time.perf_counter() - start)
        save = FormSave(case_id, AGENCY, AUDITOR, latest.grades | {cid: 2}, latest.notes,
                        "draft", latest.revision_no)
        start = time.perf_counter()
        store.save_form(audit, framework, save)
        floor_save.append(time.perf_counter() - start)
    return {"open": opened, "save": saved, "floor_open": floor_open, "floor_save": floor_save}


def bench_meeting(store, audit, cases: int) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    chosen = [c.id for c in audit.cases][:cases]
    opened, kept, floor_open, floor_keep = [], [], [], []
    form = ModerationForm(store, audit, "AUDIT-LEAD", autosave_seconds=0)
    for case_id in chosen:
        start = time.perf_counter()
        form.case_picker.value = case_id
        opened.append(time.perf_counter() - start)
        start = time.perf_counter()
        form.strengths.value = f"Synthetic strengths {case_id}"  # the draft is kept at once here
        kept.append(time.perf_counter() - start)
        assert "Draft kept" in form.draft_status.value, form.message.value

        start = time.perf_counter()
        history = store.moderation_history(audit.id, case_id)
        floor_open.append(time.perf_counter() - start)
        start = time.perf_counter()
        store.save_moderation_draft(audit.id, case_id, history[-1].revision_no if history
                                    else None, {"strengths": "floor"}, "AUDIT-LEAD")
        floor_keep.append(time.perf_counter() - start)
    return {"open": opened, "keep": kept, "floor_open": floor_open, "floor_keep": floor_keep}


def bench_actions(store, updates: int) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    """The update form on a nine-action plan (the example letter's size), each action updated in
    turn, so its history grows as a real plan's does."""
    inspection = Inspection.model_validate({
        "id": "bench-jtai", "type": "JTAI", "theme": "Benchmark", "inspectorates": ["Ofsted"],
        "visit": {"start": "2026-02-09", "end": "2026-02-13"}, "letter_date": "2026-05-14",
        "framework": "jtai-csa-family",
        "areas_for_improvement": [{"id": f"A{i}", "title": f"Area {i}", "text": "Synthetic."}
                                  for i in range(1, 10)]})
    plan = ActionPlan.model_validate({"inspection": inspection.id, "areas": [
        {"area": f"A{i}", "outcome": "Synthetic.", "governance_owner": "Partnership board",
         "actions": [{"id": f"A{i}.1", "description": "Synthetic action.", "lead_agency": "CSC",
                      "lead_role": "Head of service", "start": "2026-06-01", "due": "2026-12-31",
                      "success_measure": "Synthetic."}]} for i in range(1, 10)]})
    ids = list(plan.actions_by_id)
    opened, saved, floor_open, floor_save = [], [], [], []
    for n in range(updates):
        action_id = ids[n % len(ids)]
        start = time.perf_counter()
        form = ActionUpdateForm(store, [(inspection, plan)], recorder="BM-1", autosave_seconds=0)
        form.action_picker.value = action_id
        opened.append(time.perf_counter() - start)
        form.status.value, form.narrative.value = "on track", f"Synthetic update {n}."
        start = time.perf_counter()
        assert form.save() is not None, form.save_message.value
        saved.append(time.perf_counter() - start)

        start = time.perf_counter()
        history = store.action_history(inspection.id, action_id)
        floor_open.append(time.perf_counter() - start)
        save = ActionUpdateSave(inspection.id, action_id, "at risk", settings.today(),
                                "Synthetic floor.", "", "BM-1", history[-1].revision_no)
        start = time.perf_counter()
        store.save_action_update(plan, save)
        floor_save.append(time.perf_counter() - start)
    return {"open": opened, "save": saved, "floor_open": floor_open, "floor_save": floor_save}


def thirty(framework: Framework) -> Framework:
    """A 30-criterion form: the framework's criteria for every agency, topped up with copies
    (the built-in frameworks have 27 and 20 criteria)."""
    wide = bs.widened(framework, len(framework.criteria_by_id))
    data = wide.model_dump(by_alias=True)
    extra = [{**c, "id": f"{c['id']}b"} for _, c in
             zip(range(30 - len(wide.criteria_by_id)), data["domains"][0]["criteria"], strict=False)]
    data["domains"][-1]["criteria"] += extra
    return Framework.model_validate({**data, "id": f"{framework.id}-bench30"})


def bench_excel(store, audit, framework, folder: Path, repeat: int) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    wide = thirty(framework)
    cases = [c for c in audit.cases if "Pol" in c.agencies][:40]
    imports, floor = [], []
    for i in range(repeat):
        ref = FrameworkRef(id=wide.id, version=wide.version)
        copy = audit.model_copy(update={"id": f"{audit.id}-excel{i}", "framework": ref,
                                        "cases": cases})
        path = folder / f"return{i}.xlsx"
        rows = write_template(copy, wide, "Pol", path)
        assert rows == 40 * 30, rows
        wb = load_workbook(path)
        ws = wb[SHEET]
        grade, auditor = COLUMNS.index("grade") + 1, COLUMNS.index("auditor") + 1
        for row in range(FIRST_ROW, FIRST_ROW + rows):
            ws.cell(row, grade).value = "Good"
            ws.cell(row, auditor).value = "AUD-POL-1"
        wb.save(path)
        start = time.perf_counter()
        result = import_return(store, copy, wide, path)
        imports.append(time.perf_counter() - start)
        assert len(result.saved) == 40
        start = time.perf_counter()
        load_workbook(path, data_only=True)
        floor.append(time.perf_counter() - start)
    return {"import": imports, "floor": floor}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="reuse (or build) the store of bench_store.py --keep DIR")
    parser.add_argument("--cases", type=int, default=60, help="forms opened and saved")
    parser.add_argument("--repeat", type=int, default=5, help="Excel imports timed")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="caseaudit-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    db, work, audits = folder / bs.STORE_FILE, folder / bs.WORK_FILE, folder / bs.AUDITS_DIR
    try:
        if not db.exists():
            bs.build(folder, args.rows)
        rounds, frameworks, mapping = bs.frameworks_for(audits)
        latest = rounds[-1]
        framework = frameworks[mapping[latest.id]]
        bs.working_copy(db, work)
        store = open_store(work, create=False)
        try:
            size = bs.store_size(store, work)
            f = bench_form(store, latest, framework, args.cases)
            x = bench_excel(store, latest, framework, folder, args.repeat)
            m = bench_meeting(store, rounds[-2], args.cases)
            a = bench_actions(store, args.cases)
        finally:
            store.dispose()
    finally:
        bs.remove_db(work)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)

    med, p95, ms = bs.median, bs.p95, bs.ms
    print(f"\nscoring at {size.current_rows:,} current score rows ({size.forms:,} forms)")
    print(f"open the form for a case ({len(f['open'])} cases): median {ms(med(f['open']))}, "
          f"p95 {ms(p95(f['open']))} | floor, reading its latest revision: median "
          f"{ms(med(f['floor_open']))} (ratio {med(f['open']) / med(f['floor_open']):.0f})")
    print(f"save a draft from the form: median {ms(med(f['save']))}, p95 {ms(p95(f['save']))} | "
          f"floor, Store.save_form alone: median {ms(med(f['floor_save']))}, p95 "
          f"{ms(p95(f['floor_save']))} (p95 ratio {p95(f['save']) / p95(f['floor_save']):.1f})")
    print(f"import a 40-case × 30-criterion Excel return ({len(x['import'])} runs): median "
          f"{ms(med(x['import']))}, max {ms(max(x['import']))} | floor, openpyxl reading it: "
          f"median {ms(med(x['floor']))} (ratio {med(x['import']) / med(x['floor']):.1f})")
    print(f"meeting's form, open a case ({len(m['open'])} cases of a moderated round): median "
          f"{ms(med(m['open']))}, p95 {ms(p95(m['open']))} | floor, reading its moderation "
          f"history: median {ms(med(m['floor_open']))} (ratio "
          f"{med(m['open']) / med(m['floor_open']):.0f})")
    print(f"meeting's form, keep a draft: median {ms(med(m['keep']))}, p95 {ms(p95(m['keep']))} | "
          f"floor, Store.save_moderation_draft alone: median {ms(med(m['floor_keep']))}, p95 "
          f"{ms(p95(m['floor_keep']))} (p95 ratio {p95(m['keep']) / p95(m['floor_keep']):.1f})")
    print(f"progress-update form, open an action and save an update ({len(a['open'])} updates): "
          f"open median {ms(med(a['open']))}, save p95 {ms(p95(a['save']))} | floor, the action's "
          f"history: median {ms(med(a['floor_open']))}, Store.save_action_update: p95 "
          f"{ms(p95(a['floor_save']))} (open ratio {med(a['open']) / med(a['floor_open']):.0f}, "
          f"save p95 ratio {p95(a['save']) / p95(a['floor_save']):.1f})")
    met = {True: "met", False: "NOT met"}
    print(f"aims: open < 1 s: {met[max(p95(f['open']), p95(m['open'])) < 1]}; save p95 < 100 ms: "
          f"{met[max(p95(f['save']), p95(m['keep'])) < 0.1]}; import < 2 s: "
          f"{met[max(x['import']) < 2]}")


if __name__ == "__main__":
    main()
