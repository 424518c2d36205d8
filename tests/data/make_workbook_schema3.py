"""Build tests/data/workbook-schema3.db: a workbook database written by the schema-3 workbook.

The upgrade test (tests/test_store_upgrade.py) opens a copy of it with the current code and checks
that every revision reads back as the schema-3 code read it, which this script recorded beside the
database in workbook-schema3.json. The database must therefore be written by the code of schema 3,
not the current one; it was made at commit 8afce46 (the last with schema 3), from the repository
root::

    git worktree add /tmp/schema3 8afce46
    PYTHONPATH=/tmp/schema3/lib .venv/bin/python tests/data/make_workbook_schema3.py
    git worktree remove /tmp/schema3

It writes the database, the expected reads (workbook-schema3.json) and the two rounds' folders
(workbook-schema3-audits/). Times of the moderation drafts and round events come from the clock,
so running it again makes a different but equivalent fixture: commit the three together.

What it holds, all synthetic (a two-round, four-case partnership from the seeded generator, plus a
few saves by hand so that every kind of history is there): forms with one, two and three revisions,
drafts with criteria left blank, not-applicable answers, evidence notes; moderations with several
revisions, a not-applicable agreed grade and no overall grade; moderation drafts, one current and
one overtaken by a later save; and the earlier round closed, reopened with a reason and closed again.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent
DB = DATA / "workbook-schema3.db"
EXPECTED = DATA / "workbook-schema3.json"
AUDITS = DATA / "workbook-schema3-audits"


def _answer(value: object) -> int | str | None:
    """A stored answer in the fixture's JSON, the same whichever code read it: the grade's code,
    "n/a", or null for no grade (schema-3 code reads not applicable as ``None`` in histories and no
    overall grade as ``None``; later code has its own answer type, which compares equal to "n/a"
    and "" respectively)."""
    if value is None or value == "":
        return None
    if value == "n/a":
        return "n/a"
    return int(value)  # type: ignore[call-overload]


def _history_answer(value: object) -> int | str:
    """A criterion's answer in a history: in a revision, ``None`` meant not applicable."""
    return "n/a" if value is None else _answer(value)  # type: ignore[return-value]


def _when(moment: datetime) -> str:
    return moment.isoformat()


def _frame(frame) -> dict[str, list]:  # type: ignore[no-untyped-def]
    """A frame as JSON: its columns, then its rows with missing values as null and times as ISO
    text (a column name is written once, not once per row, to keep the file small)."""

    def plain(value: object) -> object:
        if value is None:
            return None
        if isinstance(value, datetime):
            return _when(value)
        if hasattr(value, "item"):  # a numpy number or boolean
            return value.item()  # type: ignore[union-attr]
        return value

    rows = frame.astype(object).where(frame.notna(), None).itertuples(index=False, name=None)
    return {"columns": list(frame.columns), "rows": [[plain(v) for v in row] for row in rows]}


def reads(store) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Everything the workbook reads back from a store, as JSON: the schema-3 code's reads are the
    fixture's expectations, and the upgrade test compares the current code's with them."""
    statuses = store.form_statuses()
    forms = sorted({(r.round_id, r.case_id, r.agency, r.auditor) for r in statuses.itertuples()})
    heads = store.moderation_heads()
    cases = sorted({(r.round_id, r.case_id) for r in heads.itertuples()})
    round_ids = store.round_ids()
    out: dict[str, Any] = {
        "round_ids": round_ids,
        "form_statuses": _frame(statuses),
        "forms": {" ".join(key): [
            {"revision_no": r.revision_no, "status": r.status, "framework_id": r.framework_id,
             "framework_version": r.framework_version, "saved_by": r.saved_by,
             "saved_at": _when(r.saved_at), "based_on": r.based_on,
             "grades": {c: _history_answer(g) for c, g in sorted(r.grades.items())},
             "notes": dict(sorted(r.notes.items()))}
            for r in store.form_history(*key)] for key in forms},
        "moderations": {" ".join(key): [
            {"revision_no": m.revision_no, "based_on": m.based_on,
             "grades": {c: _history_answer(g) for c, g in sorted(m.grades.items())},
             "rationales": dict(sorted(m.rationales.items())), "overall": _answer(m.overall),
             "strengths": m.strengths, "development": m.development, "themes": list(m.themes),
             "saved_by": m.saved_by, "saved_at": _when(m.saved_at)}
            for m in store.moderation_history(*key)] for key in cases},
        "moderation_heads": _frame(heads),
        "drafts": {},
        "rounds": {},
    }
    for round_id in round_ids:
        for case_id in sorted({k[1] for k in forms if k[0] == round_id} | {c for r, c in cases
                                                                          if r == round_id}):
            draft = store.moderation_draft(round_id, case_id)
            if draft is not None:
                out["drafts"][f"{round_id} {case_id}"] = {
                    "based_on": draft.based_on, "state": draft.state, "saved_by": draft.saved_by,
                    "saved_at": _when(draft.saved_at)}
        out["rounds"][round_id] = {
            "locked": store.round_locked(round_id),
            "history": _frame(store.round_history(round_id)),
            "current_responses": _frame(store.current_responses(round_id)),
            "grade_counts": _frame(store.grade_counts(round_id)),
            "grade_counts_any_status": _frame(store.grade_counts(round_id, status=None)),
            "current_moderations": _frame(store.current_moderations(round_id)),
            "moderated_pair_counts": _frame(store.moderated_pair_counts(round_id)),
        }
    return out


def main() -> None:
    from datetime import timedelta

    from caseaudit.framework import load_framework
    from caseaudit.moderation import save_moderation
    from caseaudit.store import SCHEMA_VERSION, FormSave, open_store
    from caseaudit.synthetic import build_partnership, write_partnership

    assert SCHEMA_VERSION == 3, "run this with the schema-3 workbook (see the docstring)"
    jtai = load_framework("jtai-csa-family", "1.0")
    partnership = build_partnership(cases=4, rounds=2, seed=7, framework=jtai)
    earlier, latest = partnership.rounds
    for path in (DB, DB.with_name(DB.name + "-wal"), DB.with_name(DB.name + "-shm")):
        path.unlink(missing_ok=True)
    shutil.rmtree(AUDITS, ignore_errors=True)
    store = open_store(DB, create=True)
    write_partnership(partnership, AUDITS, store, jtai)

    # A form saved three times: a draft with a blank and a not-applicable answer, a second draft,
    # then submitted.
    case = next(c for c in latest.cases if "Prob" in c.agencies or "VCS" in c.agencies)
    agency = "Prob" if "Prob" in case.agencies else "VCS"
    auditor = next(a.id for a in latest.auditors if a.agency == agency)
    asked = [c.id for c in jtai.criteria_for(agency)]
    at = datetime(2026, 4, 20, 9, 30)
    done = store.latest_revision(latest.id, case.id, agency, auditor)
    based = done.revision_no if done else None
    first = store.save_form(latest, jtai, FormSave(
        case.id, agency, auditor, {asked[0]: "n/a", asked[1]: 3, asked[2]: ""},
        {asked[1]: "Synthetic note: seen in the chronology."}, "draft", based, saved_at=at))
    second = store.save_form(latest, jtai, FormSave(
        case.id, agency, auditor, {asked[0]: "n/a", asked[1]: 2}, {}, "draft", first.revision_no,
        saved_by="AUD-LEAD-COVER", saved_at=at + timedelta(hours=2)))
    store.save_form(latest, jtai, FormSave(
        case.id, agency, auditor, dict.fromkeys(asked, 2) | {asked[0]: "n/a"},
        {asked[3]: "Synthetic note: agreed with the team manager."}, "submitted",
        second.revision_no, saved_at=at + timedelta(days=1)))

    # Moderations of the latest round: one case moderated twice (a not-applicable agreed grade, no
    # overall grade at first), one case once; drafts before and after the saves.
    from caseaudit.moderation import case_criteria

    first_case, second_case = latest.cases[0], latest.cases[1]
    criteria = case_criteria(jtai, first_case)
    store.save_moderation_draft(latest.id, first_case.id, None, {"agreed": {criteria[0]: 2}},
                                "AUDIT-LEAD")
    rationale = dict.fromkeys(criteria, "Synthetic rationale: agreed at the meeting.")
    save_moderation(store, latest, jtai, first_case.id, {criteria[0]: 2, criteria[1]: "n/a"},
                    rationale, themes=["voice"], saved_by="AUDIT-LEAD")
    save_moderation(store, latest, jtai, first_case.id, dict.fromkeys(criteria, 3)
                    | {criteria[1]: "n/a"}, rationale, overall=3, strengths="Synthetic strengths.",
                    development="Synthetic development.", themes=["voice", "a local tag"],
                    based_on=1, saved_by="AUDIT-LEAD-2")
    store.save_moderation_draft(latest.id, first_case.id, 2, {"agreed": {criteria[0]: 1}},
                                "AUDIT-LEAD")
    second_criteria = case_criteria(jtai, second_case)
    save_moderation(store, latest, jtai, second_case.id, dict.fromkeys(second_criteria[:3], 2),
                    dict.fromkeys(second_criteria[:3], "Synthetic rationale."), overall=2,
                    saved_by="AUDIT-LEAD")
    store.save_moderation_draft(latest.id, second_case.id, None, {"agreed": {}}, "AUDIT-LEAD")

    # The earlier round: a second revision of one case's moderation, then closed, reopened, closed.
    moderated = earlier.cases[0]
    head = store.moderation_history(earlier.id, moderated.id)[-1]
    again = {c: "n/a" if g is None else g for c, g in head.grades.items()}  # None: n/a in schema 3
    save_moderation(store, earlier, jtai, moderated.id, again, head.rationales,
                    overall=1, strengths=head.strengths, development=head.development,
                    themes=head.themes, based_on=head.revision_no, saved_by="AUDIT-LEAD")
    store.close_round(earlier.id, "AUDIT-LEAD", "Moderation meeting finished.")
    store.reopen_round(earlier.id, "AUDIT-LEAD", "One case's overall grade was recorded wrongly.")
    store.close_round(earlier.id, "AUDIT-LEAD")

    expected = json.dumps(reads(store), sort_keys=True, separators=(",", ":"))
    EXPECTED.write_text(expected + "\n", encoding="utf-8")
    store.dispose()
    with sqlite3.connect(DB) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    with sqlite3.connect(DB, isolation_level=None) as conn:
        conn.execute("VACUUM")
    conn.close()
    print(f"wrote {DB} ({DB.stat().st_size:,} bytes), {EXPECTED} and {AUDITS}")


if __name__ == "__main__":
    main()
