"""Backing up and restoring an SQLite workbook database (caseaudit backup / restore): every row
comes back, a backup taken during a save is consistent, and each refusal writes nothing.
PostgreSQL's are in test_backup_postgres.py."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from caseaudit.cli import main
from caseaudit.store import SCHEMA_VERSION, open_store
from caseaudit.store.backup import WORK, holdings

DATA = Path(__file__).parent / "data"

#: Every kind of saved work the issue names, compared row by row (and every other table too).
COMPARED = ("forms", "revisions", "scores", "stream_details", "moderations", "moderation_grades",
            "round_events", "action_updates")


def _run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _rows(path: Path) -> dict[str, list[tuple]]:
    """Every table's rows, in a fixed order, read through a read-only connection."""
    with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                             "ORDER BY name")]
        rows = {}
        for table in tables:
            width = len(conn.execute(f"SELECT * FROM {table} LIMIT 0").description)
            order = ", ".join(str(i) for i in range(1, width + 1))
            rows[table] = conn.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
    conn.close()
    return rows


def _state(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Each file in ``folder``: its bytes and modification time, to show nothing was written.
    SQLite's own -wal and -shm beside a database in WAL mode are left out: reading the database
    makes them (empty of any change) and they are not the database."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())
            if p.is_file() and not p.name.endswith(("-wal", "-shm"))}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo partnership (rounds, moderations, practice weeks' stream records, action
    updates) with a round closed, so every kind of work is there."""
    folder = tmp_path_factory.mktemp("demo")
    db = folder / "demo.db"
    result = _run("demo-data", "--cases", "5", "--rounds", "2", "--audits", str(folder / "audits"),
                  "--db", str(db))
    assert result.exit_code == 0, result.output
    store = open_store(db)
    store.close_round(store.round_ids()[0], "QA-LEAD", "meeting held")
    store.dispose()
    return db


@pytest.fixture
def source(tmp_path: Path, demo_db: Path) -> Path:
    path = tmp_path / "source" / "workbook.db"
    path.parent.mkdir()
    shutil.copy(demo_db, path)
    return path


def test_a_backup_restored_into_an_empty_path_holds_every_row(tmp_path: Path, source: Path) -> None:
    backup = tmp_path / "backups" / "b.db"
    backup.parent.mkdir()
    result = _run("backup", "-o", str(backup), "--db", str(source))
    assert result.exit_code == 0, result.output
    counts = holdings(source).counts
    assert all(counts[table] > 0 for table in counts), counts
    assert f"{counts['revisions']:,} form revisions" in result.output
    assert f"{counts['stream_details']:,} stream records" in result.output
    assert [p.name for p in backup.parent.iterdir()] == ["b.db"]  # no temporary file left

    restored = tmp_path / "new" / "workbook.db"
    result = _run("restore", str(backup), "--db", str(restored))
    assert result.exit_code == 0, result.output
    assert "kept as" not in result.output
    before, after = _rows(source), _rows(restored)
    assert set(before) == set(after)
    for table in COMPARED:
        assert before[table], table
        assert after[table] == before[table], table
    for table in before:
        assert after[table] == before[table], table
    reopened = open_store(restored, create=False)
    assert reopened.schema_version() == SCHEMA_VERSION
    reopened.dispose()


def test_a_backup_during_an_open_write_transaction_completes_and_is_consistent(
        tmp_path: Path, source: Path) -> None:
    writer = sqlite3.connect(source, isolation_level=None, timeout=30)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO round_events (round_id, action, by, at, reason) "
                   "VALUES ('r', 'close', 'X', '2026-01-01 00:00:00', 'uncommitted')")
    try:
        backup = tmp_path / "b.db"
        result = _run("backup", "-o", str(backup), "--db", str(source))
        assert result.exit_code == 0, result.output
    finally:
        writer.execute("COMMIT")
        writer.close()
    copied = _rows(backup)
    now = _rows(source)
    assert ("uncommitted",) not in [(r[-1],) for r in copied["round_events"]]
    assert len(now["round_events"]) == len(copied["round_events"]) + 1
    for table in COMPARED:
        if table != "round_events":
            assert copied[table] == now[table], table
    with sqlite3.connect(backup) as conn:
        assert conn.execute("PRAGMA quick_check").fetchone() == ("ok",)
    conn.close()


def test_restoring_over_work_is_refused_without_replace_and_keeps_the_old_database_with_it(
        tmp_path: Path, source: Path, demo_db: Path) -> None:
    backup = tmp_path / "b.db"
    assert _run("backup", "-o", str(backup), "--db", str(demo_db)).exit_code == 0
    store = open_store(source)
    store.reopen_round(store.round_ids()[0], "QA-LEAD", "one more event than the backup")
    store.dispose()
    unchanged = _state(source.parent)
    result = CliRunner().invoke(main, ["restore", str(backup), "--db", str(source)])
    assert result.exit_code == 1
    assert "already holds work" in result.output and "--replace" in result.output
    assert f"{source}.before-restore" in result.output
    assert "Traceback" not in result.output
    assert _state(source.parent) == unchanged

    old_rows = _rows(source)
    result = _run("restore", str(backup), "--db", str(source), "--replace")
    assert result.exit_code == 0, result.output
    kept = Path(f"{source}.before-restore")
    assert f"kept as {kept}" in result.output
    assert _rows(kept) == old_rows
    assert _rows(source) == _rows(backup)
    assert sorted(p.name for p in source.parent.iterdir()
                  if not p.name.endswith(("-wal", "-shm"))) == ["workbook.db", "workbook.db.before-restore"]


def test_restoring_over_an_empty_workbook_needs_no_replace(tmp_path: Path, source: Path) -> None:
    empty = tmp_path / "empty.db"
    open_store(empty, create=True).dispose()
    assert holdings(empty).work() == 0
    result = _run("restore", str(source), "--db", str(empty))
    assert result.exit_code == 0, result.output
    assert holdings(empty).work() == sum(holdings(source).counts[t] for t in WORK)


def test_a_backup_of_an_older_schema_is_restored_and_upgraded(tmp_path: Path) -> None:
    target = tmp_path / "workbook.db"
    result = _run("restore", str(DATA / "workbook-schema3.db"), "--db", str(target))
    assert result.exit_code == 0, result.output
    assert "upgraded from schema 3" in result.output
    assert holdings(target).schema_version == SCHEMA_VERSION
    old = _rows(DATA / "workbook-schema3.db")
    new = _rows(target)
    for table in ("forms", "revisions", "scores", "moderations", "moderation_grades", "round_events"):
        assert new[table] == old[table], table
    assert sorted(p.name for p in tmp_path.iterdir()) == ["workbook.db"]


def _refused(args: list[str], folder: Path, *words: str) -> str:
    """Run a command that must be refused: exit 1, a message with ``words``, no traceback, and
    no file in ``folder`` written, changed or left behind."""
    unchanged = _state(folder)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output, (word, result.output)
    assert _state(folder) == unchanged
    return result.output


def test_each_bad_backup_file_is_refused_naming_it(tmp_path: Path) -> None:
    target = tmp_path / "workbook.db"
    missing = tmp_path / "nope.db"
    _refused(["restore", str(missing), "--db", str(target)], tmp_path,
             f"There is no backup file {missing}")
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n", encoding="utf-8")
    _refused(["restore", str(text), "--db", str(target)], tmp_path,
             f"{text} is not a database file", "caseaudit backup")
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE patients (id INTEGER)")
    conn.close()
    _refused(["restore", str(other), "--db", str(target)], tmp_path,
             f"{other} is an SQLite database but not a caseaudit workbook", "patients")
    newer = tmp_path / "newer.db"
    shutil.copy(DATA / "workbook-schema3.db", newer)
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE schema_info SET value = ? WHERE key = 'schema_version'",
                     (str(SCHEMA_VERSION + 1),))
    conn.close()
    _refused(["restore", str(newer), "--db", str(target)], tmp_path,
             f"The backup {newer} was written by a newer version", "Update the workbook")
    assert not target.exists()


def test_a_backup_refuses_an_existing_file_a_missing_database_and_an_unreachable_server(
        tmp_path: Path, source: Path) -> None:
    existing = tmp_path / "b.db"
    existing.write_bytes(b"an older backup")
    _refused(["backup", "-o", str(existing), "--db", str(source)], tmp_path,
             f"{existing} already exists", "--replace")
    missing = tmp_path / "missing.db"
    _refused(["backup", "-o", str(tmp_path / "c.db"), "--db", str(missing)], tmp_path,
             f"There is no database at {missing}")
    assert not (tmp_path / "c.db").exists()
    # PostgreSQL's own are in test_backup_postgres.py: a server that is not there, and an SQLite
    # backup given to a PostgreSQL restore
    _refused(["backup", "-o", str(tmp_path / "c.db"), "--db", "postgresql://qa@localhost:9/workbook"],
             tmp_path, "qa@localhost:9/workbook")
    _refused(["restore", str(source), "--db", "postgresql://qa@localhost:9/workbook"], tmp_path,
             f"{source} is a backup of an SQLite workbook", "PostgreSQL")

    result = _run("backup", "-o", str(existing), "--db", str(source), "--replace")
    assert result.exit_code == 0, result.output
    assert _rows(existing) == _rows(source)


@pytest.mark.parametrize("holding", ["an open connection", "a read under way"])
def test_restoring_over_a_database_a_server_has_open_is_refused_and_changes_nothing(
        tmp_path: Path, source: Path, demo_db: Path, holding: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A dashboard or notebook still has the workbook open: the restore says to stop them first
    (after a short wait here; half a minute for real) and leaves the database as it was."""
    monkeypatch.setattr("caseaudit.store.backup.IN_USE_WAIT_SECONDS", 0.5)
    backup = tmp_path / "b.db"
    assert _run("backup", "-o", str(backup), "--db", str(demo_db)).exit_code == 0
    server = open_store(source)  # the server's store, which keeps its connection in its pool
    try:
        assert server.round_ids()
        with server.engine.connect() as conn:
            if holding == "a read under way":
                conn.begin()  # ended when the connection closes
                conn.exec_driver_sql("SELECT count(*) FROM revisions").scalar()
            before = _rows(source)
            result = CliRunner().invoke(main, ["restore", str(backup), "--db", str(source), "--replace"])
            assert result.exit_code == 1, result.output
            assert "is in use" in result.output and "stop the workbook's servers" in result.output
            assert "Traceback" not in result.output
            assert not Path(f"{source}.before-restore").exists()
        assert _rows(source) == before and server.round_ids()
    finally:
        server.dispose()
