"""Backing up and restoring a PostgreSQL workbook (caseaudit backup / restore through pg_dump and
pg_restore): a backup restored into an empty database holds every row of every table; restoring
over work needs --replace and backs the replaced database up first; an older backup is restored
and upgraded; each file that is not a backup is refused with nothing written; the password never
reaches a command line."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from caseaudit.cli import main
from caseaudit.store import SCHEMA_VERSION, backup_pg, open_store
from caseaudit.store.backup import WORK

from .database_rows import PREVIOUS
from .database_rows import rows as _rows
from .postgres import ADMIN, Cluster

#: Every kind of saved work the issue names, compared row by row (and every other table too).
COMPARED = ("forms", "revisions", "scores", "stream_details", "moderations", "moderation_grades",
            "round_events", "action_updates")


def _run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def databases(pg_cluster: Cluster) -> Callable[[], str]:
    """``databases()``: the URL of a new empty database, dropped after the test."""
    made: list[str] = []

    def make() -> str:
        made.append(pg_cluster.create_database())
        return pg_cluster.url(made[-1])

    yield make
    for name in made:
        pg_cluster.drop_database(name)


@pytest.fixture(scope="module")
def demo(pg_cluster: Cluster, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo partnership (rounds, moderations, practice weeks' stream records, action
    updates) in a PostgreSQL database, with a round closed: every kind of work is there."""
    folder = tmp_path_factory.mktemp("pgdemo")
    name = pg_cluster.create_database()
    url = pg_cluster.url(name)
    result = _run("demo-data", "--cases", "5", "--rounds", "2", "--audits", str(folder / "audits"),
                  "--db", url)
    assert result.exit_code == 0, result.output
    store = open_store(url)
    store.close_round(store.round_ids()[0], "QA-LEAD", "meeting held")
    store.dispose()
    yield url
    pg_cluster.drop_database(name)


@pytest.fixture
def dump(tmp_path: Path, demo: str) -> Path:
    path = tmp_path / "backups" / "workbook.dump"
    path.parent.mkdir()
    result = _run("backup", "-o", str(path), "--db", demo)
    assert result.exit_code == 0, result.output
    return path


def _pg_dump(cluster: Cluster, database: str, path: Path) -> Path:
    """A custom-format pg_dump of ``database`` made by hand (not by caseaudit backup)."""
    subprocess.run([str(cluster.bin / "pg_dump"), "--format=custom", f"--file={path}",
                    f"--dbname=host=127.0.0.1 port={cluster.port} user={ADMIN} dbname={database}"],
                   env={"PGPASSWORD": cluster.password}, check=True, capture_output=True)
    return path


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_a_backup_restored_into_an_empty_database_holds_every_row(
        tmp_path: Path, demo: str, databases: Callable[[], str]) -> None:
    backup = tmp_path / "b.dump"
    result = _run("backup", "-o", str(backup), "--db", demo)
    assert result.exit_code == 0, result.output
    before = _rows(demo)
    assert f"{len(before['revisions']):,} form revisions" in result.output
    assert f"{len(before['stream_details']):,} stream records" in result.output
    assert f"schema {SCHEMA_VERSION}" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["b.dump"]  # no temporary file left

    target = databases()
    result = _run("restore", str(backup), "--db", target)
    assert result.exit_code == 0, result.output
    assert "upgraded" not in result.output and "replaced" not in result.output
    assert sa.make_url(target).password not in result.output
    after = _rows(target)
    assert set(after) == set(before)
    for table in COMPARED:
        assert before[table], table
        assert after[table] == before[table], table
    for table in before:
        assert after[table] == before[table], table
    store = open_store(target)  # current, and the logs still guarded
    assert store.schema_version() == SCHEMA_VERSION
    store.dispose()
    engine = sa.create_engine(target)
    with pytest.raises(sa.exc.DatabaseError, match="append-only"), engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM revisions")
    engine.dispose()


def test_a_backup_taken_while_someone_saves_holds_what_it_says(
        tmp_path: Path, demo: str, databases: Callable[[], str]) -> None:
    engine = sa.create_engine(demo)
    with engine.connect() as writer:
        writer.begin()
        writer.exec_driver_sql("INSERT INTO round_events (round_id, action, by, at, reason) "
                               "VALUES ('r', 'close', 'X', '2026-01-01 00:00:00', 'uncommitted')")
        backup = tmp_path / "b.dump"
        result = _run("backup", "-o", str(backup), "--db", demo)
        writer.rollback()
    engine.dispose()
    assert result.exit_code == 0, result.output
    target = databases()
    assert _run("restore", str(backup), "--db", target).exit_code == 0
    assert _rows(target) == _rows(demo)


def test_restoring_over_work_is_refused_without_replace_and_backs_it_up_first_with_it(
        tmp_path: Path, dump: Path, demo: str, databases: Callable[[], str]) -> None:
    target = databases()
    assert _run("restore", str(dump), "--db", target).exit_code == 0
    store = open_store(target)
    store.reopen_round(store.round_ids()[0], "QA-LEAD", "one more event than the backup")
    store.dispose()
    old_rows = _rows(target)
    database = sa.make_url(target).database
    kept = dump.parent / f"{database}.before-restore.dump"
    result = CliRunner().invoke(main, ["restore", str(dump), "--db", target])
    assert result.exit_code == 1
    assert "already holds work" in result.output and "--replace" in result.output
    assert str(kept) in result.output and "Traceback" not in result.output
    assert _rows(target) == old_rows
    assert sorted(p.name for p in dump.parent.iterdir()) == ["workbook.dump"]

    result = _run("restore", str(dump), "--db", target, "--replace")
    assert result.exit_code == 0, result.output
    assert f"written first, to {kept}" in result.output
    assert _rows(target) == _rows(demo)
    again = databases()  # what was replaced is in the backup written first
    assert _run("restore", str(kept), "--db", again).exit_code == 0
    assert _rows(again) == old_rows

    refused = CliRunner().invoke(main, ["restore", str(dump), "--db", target, "--replace"])
    assert refused.exit_code == 1 and f"{kept} is still there" in refused.output


def test_restoring_over_an_empty_workbook_needs_no_replace(dump: Path, demo: str,
                                                           databases: Callable[[], str]) -> None:
    target = databases()
    open_store(target, create=True).dispose()
    result = _run("restore", str(dump), "--db", target)
    assert result.exit_code == 0, result.output
    assert _rows(target) == _rows(demo)
    assert all(_rows(target)[table] for table in WORK)


def test_a_backup_of_an_older_schema_is_restored_and_upgraded(
        tmp_path: Path, pg_cluster: Cluster, databases: Callable[[], str]) -> None:
    old = databases()
    name = sa.make_url(old).database
    pg_cluster.psql((PREVIOUS / "workbook.sql").read_text(encoding="utf-8"), name)
    backup = tmp_path / "schema5.dump"
    _pg_dump(pg_cluster, name, backup)
    target = databases()
    result = _run("restore", str(backup), "--db", target)
    assert result.exit_code == 0, result.output
    assert "upgraded from schema 5" in result.output
    before, after = _rows(old), _rows(target)
    for table in before:
        if table != "schema_info":
            assert after[table] == before[table], table
    assert ("schema_version", str(SCHEMA_VERSION)) in after["schema_info"]
    open_store(target).dispose()


def _refused(args: list[str], target: str, folder: Path, *words: str) -> str:
    """A restore or backup that must be refused: exit 1, ``words`` in its message, no traceback,
    the database and the files in ``folder`` as they were."""
    rows, files = _rows(target), _files(folder)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output, (word, result.output)
    assert _rows(target) == rows
    assert _files(folder) == files
    return result.output


def test_each_file_that_is_not_a_postgresql_workbook_backup_is_refused(
        tmp_path: Path, dump: Path, databases: Callable[[], str], pg_cluster: Cluster) -> None:
    target = databases()
    missing = tmp_path / "nope.dump"
    _refused(["restore", str(missing), "--db", target], target, tmp_path,
             f"There is no backup file {missing}")
    text = tmp_path / "notes.txt"
    text.write_text("not a backup\n", encoding="utf-8")
    _refused(["restore", str(text), "--db", target], target, tmp_path,
             f"{text} is not a PostgreSQL backup", "caseaudit backup")
    sqlite_backup = PREVIOUS / "workbook.db"
    _refused(["restore", str(sqlite_backup), "--db", target], target, tmp_path,
             f"{sqlite_backup} is a backup of an SQLite workbook", "PostgreSQL")
    truncated = tmp_path / "truncated.dump"
    truncated.write_bytes(dump.read_bytes()[: dump.stat().st_size * 2 // 3])
    _refused(["restore", str(truncated), "--db", target], target, tmp_path,
             f"{truncated} cannot be read as a whole workbook backup", "cut short")
    other = databases()
    pg_cluster.psql("CREATE TABLE patients (id integer); INSERT INTO patients VALUES (1)",
                    sa.make_url(other).database)
    foreign = tmp_path / "other.dump"
    assert _run("backup", "-o", str(foreign), "--db", other).exit_code == 1  # not a workbook
    _pg_dump(pg_cluster, sa.make_url(other).database, foreign)
    _refused(["restore", str(foreign), "--db", target], target, tmp_path,
             f"{foreign} is a PostgreSQL backup but not of a caseaudit workbook")
    _refused(["restore", str(foreign), "--db", other], other, tmp_path,
             "not of a caseaudit workbook")
    assert _rows(target) == {}  # nothing ever reached the empty database


def test_a_postgresql_backup_is_refused_by_an_sqlite_restore(tmp_path: Path, dump: Path) -> None:
    target = tmp_path / "workbook.db"
    result = CliRunner().invoke(main, ["restore", str(dump), "--db", str(target)])
    assert result.exit_code == 1
    assert f"{dump} is a backup of a PostgreSQL workbook" in result.output
    assert not target.exists()


def test_a_newer_backup_is_refused(tmp_path: Path, demo: str, databases: Callable[[], str],
                                   pg_cluster: Cluster) -> None:
    newer = databases()
    name = sa.make_url(newer).database
    assert _run("restore", str(_backup_of(demo, tmp_path / "b.dump")), "--db", newer).exit_code == 0
    pg_cluster.psql(f"UPDATE schema_info SET value = '{SCHEMA_VERSION + 1}' "
                    "WHERE key = 'schema_version'", name)
    result = CliRunner().invoke(main, ["backup", "-o", str(tmp_path / "n.dump"), "--db", newer])
    assert result.exit_code == 1 and "newer version of the workbook" in result.output
    dumped = tmp_path / "newer.dump"
    _pg_dump(pg_cluster, name, dumped)
    target = databases()
    _refused(["restore", str(dumped), "--db", target], target, tmp_path,
             f"The backup {dumped} was written by a newer version", "Update the workbook")


def _backup_of(url: str, path: Path) -> Path:
    result = _run("backup", "-o", str(path), "--db", url)
    assert result.exit_code == 0, result.output
    return path


def test_the_password_reaches_the_programs_only_through_their_environment(
        tmp_path: Path, dump: Path, demo: str, databases: Callable[[], str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[list[str], dict[str, str]]] = []
    real = subprocess.run

    def watched(argv, **kwargs):  # type: ignore[no-untyped-def]
        calls.append((list(argv), dict(kwargs.get("env") or {})))
        return real(argv, **kwargs)

    monkeypatch.setattr(backup_pg.subprocess, "run", watched)
    password = sa.make_url(demo).password
    _backup_of(demo, tmp_path / "again.dump")
    target = databases()
    assert _run("restore", str(dump), "--db", target).exit_code == 0
    programs = {Path(argv[0]).name for argv, _ in calls}
    assert {"pg_dump", "pg_restore", "psql"} <= programs
    for argv, env in calls:
        assert not any(password in arg for arg in argv), argv
        if any(arg.startswith("--dbname=") for arg in argv):
            assert env["PGPASSWORD"] == password


def test_missing_client_programs_are_named_with_the_package_to_install(
        tmp_path: Path, demo: str, dump: Path, databases: Callable[[], str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backup_pg.shutil, "which", lambda _name: None)
    monkeypatch.setattr(backup_pg.glob, "glob", lambda _pattern: [])
    output = tmp_path / "out.dump"
    result = CliRunner().invoke(main, ["backup", "-o", str(output), "--db", demo])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "pg_dump is not installed" in result.output and "postgresql-client" in result.output
    assert not output.exists()
    target = databases()
    _refused(["restore", str(dump), "--db", target], target, dump.parent,
             "pg_restore is not installed", "postgresql-client")


def test_a_restore_over_a_database_in_use_gives_up_and_changes_nothing(
        dump: Path, databases: Callable[[], str], monkeypatch: pytest.MonkeyPatch) -> None:
    target = databases()
    assert _run("restore", str(dump), "--db", target).exit_code == 0
    monkeypatch.setattr(backup_pg, "LOCK_TIMEOUT", "1s")
    engine = sa.create_engine(target)
    with engine.connect() as reader:
        reader.begin()
        reader.exec_driver_sql("SELECT count(*) FROM revisions")  # a dashboard's open read
        rows = {table: len(found) for table, found in _rows(target).items()}
        result = CliRunner().invoke(main, ["restore", str(dump), "--db", target, "--replace"])
        reader.rollback()
    engine.dispose()
    assert result.exit_code == 1, result.output
    assert "in use" in result.output and "Nothing was changed" in result.output
    assert {table: len(found) for table, found in _rows(target).items()} == rows
    assert sorted(p.name for p in dump.parent.iterdir()) == ["workbook.dump"]


def test_a_backup_granting_rights_to_roles_this_server_lacks_says_to_make_them_first(
        tmp_path: Path, dump: Path, databases: Callable[[], str], pg_cluster: Cluster) -> None:
    source = databases()
    name = sa.make_url(source).database
    assert _run("restore", str(dump), "--db", source).exit_code == 0
    pg_cluster.psql("CREATE ROLE caseaudit_gone_viewer")
    pg_cluster.psql("GRANT SELECT ON round_events TO caseaudit_gone_viewer", name)
    backup = _backup_of(source, tmp_path / "granted.dump")
    pg_cluster.psql("DROP OWNED BY caseaudit_gone_viewer", name)
    pg_cluster.psql("DROP ROLE caseaudit_gone_viewer")
    target = databases()
    _refused(["restore", str(backup), "--db", target], target, tmp_path,
             "caseaudit_gone_viewer", "caseaudit db-roles", "Nothing was changed")
