"""Build tests/data/workbook-schema5/: a workbook written by the previous release (schema 5), as an
SQLite file and as a PostgreSQL plain-SQL dump.

The migration tests (tests/test_migrations.py) upgrade a copy of each with the current code and
compare every row of every table before and after. The databases must therefore be written by the
code of schema 5, not the current one; they were made at commit e0aec51 (the last with schema 5),
from the repository root::

    git worktree add /tmp/prev e0aec51
    PYTHONPATH=/tmp/prev/lib .venv/bin/python tests/data/make_workbook_schema5.py
    git worktree remove /tmp/prev

The PostgreSQL half starts a throwaway cluster with tests/postgres.py (so the server must be
installed, as for `make test`) and dumps the database with ``pg_dump --format=plain --no-owner
--no-privileges``, so the dump loads into any test database whoever owns it (without psql's
``\\restrict`` lines, which a psql older than 2025's minor releases would not know).

What it holds, all synthetic (the seeded generator's two-round, four-case partnership, the example
inspection with the demo's progress updates, plus saves by hand so that every kind of history is
there): a form saved three times (two drafts, with a not-applicable answer and a note, then
submitted), moderations with two revisions and a moderation draft, the earlier round closed,
reopened with a reason and closed again, and action updates with several revisions.
"""

from __future__ import annotations

import importlib.util
import shutil
import sqlite3
import sys
from datetime import datetime, timedelta
from pathlib import Path

DATA = Path(__file__).parent
FOLDER = DATA / "workbook-schema5"
DB = FOLDER / "workbook.db"
DUMP = FOLDER / "workbook.sql"
AUDITS = FOLDER / "audits"


def fill(store) -> None:  # type: ignore[no-untyped-def]
    """Write the partnership and the hand-made history into ``store`` (schema-5 code)."""
    from caseaudit.framework import load_framework
    from caseaudit.store import FormSave, ModerationSave, case_criteria
    from caseaudit.synthetic import build_partnership, write_demo

    jtai = load_framework("jtai-csa-family", "1.0")
    partnership = build_partnership(cases=4, rounds=2, seed=7, framework=jtai)
    earlier, latest = partnership.rounds
    shutil.rmtree(AUDITS, ignore_errors=True)
    shutil.rmtree(FOLDER / "inspections", ignore_errors=True)
    write_demo(partnership, AUDITS, store)

    case = next(c for c in latest.cases if "Prob" in c.agencies or "VCS" in c.agencies)
    agency = "Prob" if "Prob" in case.agencies else "VCS"
    auditor = next(a.id for a in latest.auditors if a.agency == agency)
    asked = [c.id for c in jtai.criteria_for(agency)]
    at = datetime(2026, 4, 20, 9, 30)
    done = store.latest_revision(latest.id, case.id, agency, auditor)
    first = store.save_form(latest, jtai, FormSave(
        case.id, agency, auditor, {asked[0]: "n/a", asked[1]: 3},
        {asked[1]: "Synthetic note: seen in the chronology."}, "draft",
        done.revision_no if done else None, saved_at=at))
    second = store.save_form(latest, jtai, FormSave(
        case.id, agency, auditor, {asked[0]: "n/a", asked[1]: 2}, {}, "draft", first.revision_no,
        saved_by="AUD-LEAD-COVER", saved_at=at + timedelta(hours=2)))
    store.save_form(latest, jtai, FormSave(
        case.id, agency, auditor, dict.fromkeys(asked, 2) | {asked[0]: "n/a"},
        {asked[2]: "Synthetic note: agreed with the team manager."}, "submitted",
        second.revision_no, saved_at=at + timedelta(days=1)))

    moderated = latest.cases[0]
    criteria = case_criteria(jtai, moderated)
    head = store.moderation_history(latest.id, moderated.id)
    rationale = dict.fromkeys(criteria, "Synthetic rationale: agreed at the meeting.")
    saved = store.save_moderation(latest, jtai, ModerationSave(
        moderated.id, dict.fromkeys(criteria, 3) | {criteria[0]: "n/a"}, rationale, overall=3,
        strengths="Synthetic strengths.", themes=["voice", "a local tag"],
        based_on=head[-1].revision_no if head else None, saved_by="AUDIT-LEAD"))
    store.save_moderation(latest, jtai, ModerationSave(
        moderated.id, dict.fromkeys(criteria, 2), rationale, overall=2,
        based_on=saved.revision_no, saved_by="AUDIT-LEAD-2"))
    store.save_moderation_draft(latest.id, latest.cases[1].id, None, {"agreed": {criteria[0]: 1}},
                                "AUDIT-LEAD")

    store.close_round(earlier.id, "AUDIT-LEAD", "Moderation meeting finished.")
    store.reopen_round(earlier.id, "AUDIT-LEAD", "One case's overall grade was recorded wrongly.")
    store.close_round(earlier.id, "AUDIT-LEAD")


def _postgres():  # type: ignore[no-untyped-def]
    """tests/postgres.py, loaded by path (this script runs with the old release's lib first)."""
    spec = importlib.util.spec_from_file_location("postgres", DATA.parent / "postgres.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules["postgres"] = module  # its dataclass looks itself up there
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def main() -> None:
    import tempfile

    from caseaudit.store import SCHEMA_VERSION, open_store

    assert SCHEMA_VERSION == 5, "run this with the schema-5 workbook (see the docstring)"
    FOLDER.mkdir(exist_ok=True)
    for path in (DB, DB.with_name(DB.name + "-wal"), DB.with_name(DB.name + "-shm"), DUMP):
        path.unlink(missing_ok=True)
    store = open_store(DB, create=True)
    fill(store)
    store.dispose()
    with sqlite3.connect(DB, isolation_level=None) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("VACUUM")
    conn.close()

    postgres = _postgres()
    with tempfile.TemporaryDirectory() as folder, \
            postgres.throwaway_cluster(Path(folder) / "cluster") as cluster:
        name = cluster.create_database("workbook_schema5")
        store = open_store(cluster.url(name), create=True)
        fill(store)
        store.dispose()
        dumped = cluster.run("pg_dump", "--format=plain", "--no-owner", "--no-privileges",
                             "-h", str(cluster.socket_dir), "-p", str(cluster.port),
                             "-U", postgres.ADMIN, "-d", name)
    # psql's \restrict guard (added in 2025's minor releases) would stop an older psql: leave it out
    lines = [line for line in dumped.stdout.splitlines(keepends=True)
             if not line.startswith(("\\restrict", "\\unrestrict"))]
    DUMP.write_text("".join(lines), encoding="utf-8")
    print(f"wrote {DB} ({DB.stat().st_size:,} bytes), {DUMP} ({DUMP.stat().st_size:,} bytes) "
          f"and {AUDITS}", file=sys.stderr)


if __name__ == "__main__":
    main()
