"""Schema changes through Alembic: upgrading a database the previous release wrote keeps every row,
on SQLite and PostgreSQL; the upgraded database works; a database newer than the code is refused;
an older PostgreSQL one is refused on opening until its owner runs `caseaudit upgrade-db`; and an
upgrade that fails half-way leaves the database as it was.

tests/data/workbook-schema5/ was written by the previous release's code (schema 5, commit e0aec51)
with tests/data/make_workbook_schema5.py: an SQLite file and a PostgreSQL plain dump.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from caseaudit.cli import main
from caseaudit.errors import StoreError
from caseaudit.framework import load_framework
from caseaudit.rounds import load_rounds
from caseaudit.store import SCHEMA_VERSION, FormSave, migrate, open_store, schema

from .database_rows import PREVIOUS
from .database_rows import rows as _rows
from .postgres import Cluster

KINDS = ("sqlite", "postgresql")


def _sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


@pytest.fixture
def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """``fresh("sqlite")``: the URL of a new empty database of that kind (dropped afterwards)."""
    made: list[str] = []

    def make(kind: str) -> str:
        if kind == "sqlite":
            return _sqlite_url(tmp_path / f"db{len(made)}-{len(list(tmp_path.iterdir()))}.db")
        cluster: Cluster = request.getfixturevalue("pg_cluster")
        made.append(cluster.create_database())
        return cluster.url(made[-1])

    yield make
    if made:
        cluster = request.getfixturevalue("pg_cluster")
        for name in made:
            cluster.drop_database(name)


@pytest.fixture
def previous(request: pytest.FixtureRequest, tmp_path: Path,
             fresh: Callable[[str], str]) -> Callable[[str], str]:
    """``previous("postgresql")``: the URL of a new copy of the previous release's workbook."""

    def make(kind: str) -> str:
        if kind == "sqlite":
            path = tmp_path / "previous.db"
            shutil.copy(PREVIOUS / "workbook.db", path)
            return _sqlite_url(path)
        url = fresh(kind)
        cluster: Cluster = request.getfixturevalue("pg_cluster")
        cluster.psql((PREVIOUS / "workbook.sql").read_text(encoding="utf-8"), sa.make_url(url).database)
        return url

    return make


def _sql(url: str, statement: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(statement)
    finally:
        engine.dispose()


def _upgrade_db(url: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["upgrade-db", "--db", url])


def test_the_fixtures_are_the_previous_releases_workbooks_with_every_kind_of_history(
        previous: Callable[[str], str]) -> None:
    """What the upgrade tests rely on: without these they would check less than they say."""
    for kind in KINDS:
        rows = _rows(previous(kind))
        assert ("schema_version", "5") in rows["schema_info"], kind
        assert "alembic_version" not in rows and "stream_details" not in rows, kind
        for table in ("revisions", "scores", "moderations", "moderation_grades", "moderation_drafts",
                      "round_events", "action_updates", "action_heads"):
            assert rows[table], (kind, table)
        per_form = [r[1] for r in rows["revisions"]]
        assert max(per_form.count(form) for form in set(per_form)) >= 3, kind
        per_case = [(r[1], r[2]) for r in rows["moderations"]]
        assert max(per_case.count(case) for case in set(per_case)) >= 2, kind
        assert {r[2] for r in rows["round_events"]} == {"close", "reopen"}, kind
        per_action = [r[2] for r in rows["action_updates"]]
        assert max(per_action.count(action) for action in set(per_action)) >= 2, kind


@pytest.mark.parametrize("kind", KINDS)
def test_upgrading_the_previous_release_keeps_every_row_and_the_database_then_works(
        kind: str, previous: Callable[[str], str]) -> None:
    url = previous(kind)
    before = _rows(url)
    result = _upgrade_db(url)
    assert result.exit_code == 0, result.output
    revisions = len(before["revisions"])
    assert "from schema 5" in result.output and f"to schema {SCHEMA_VERSION}" in result.output
    assert f"{revisions:,} form revisions" in result.output
    assert f"{len(before['moderations']):,} moderations" in result.output
    assert f"{len(before['round_events']):,} round events" in result.output
    assert f"{len(before['action_updates']):,} action updates" in result.output

    after = _rows(url)
    for table, rows in before.items():
        if table != "schema_info":
            assert after[table] == rows, table
    assert after["schema_info"] == [r if r[0] != "schema_version" else ("schema_version", str(SCHEMA_VERSION))
                                    for r in before["schema_info"]]
    assert after["alembic_version"] == [(migrate.head(),)]
    assert after["stream_details"] == []
    assert set(after) == set(before) | {"alembic_version", "stream_details"}

    again = _upgrade_db(url)
    assert again.exit_code == 0 and "is up to date" in again.output, again.output
    assert _rows(url) == after

    earlier, latest = load_rounds(PREVIOUS / "audits")
    jtai = load_framework("jtai-csa-family", "1.0")
    store = open_store(url)
    form = next(r for r in store.form_statuses(latest.id).itertuples() if r.status == "draft")
    head = store.latest_revision(latest.id, form.case_id, form.agency, form.auditor)
    saved = store.save_form(latest, jtai, FormSave(form.case_id, form.agency, form.auditor,
                                                   head.grades, head.notes, "draft",
                                                   head.revision_no, saved_by="QA-LEAD"))
    assert saved.revision_no == head.revision_no + 1
    assert store.form_history(latest.id, form.case_id, form.agency, form.auditor)[:-1] \
        == store.form_history(latest.id, form.case_id, form.agency, form.auditor)[:head.revision_no]
    assert store.round_locked(earlier.id)
    store.dispose()
    assert len(_rows(url)["revisions"]) == revisions + 1
    for table in ("revisions", "round_events", "action_updates"):  # the logs still refuse changes
        with pytest.raises(sa.exc.DatabaseError, match="append-only"):
            _sql(url, f"DELETE FROM {table}")


def test_opening_an_older_sqlite_workbook_upgrades_it(previous: Callable[[str], str]) -> None:
    url = previous("sqlite")
    before = _rows(url)
    store = open_store(url)
    assert store.schema_version() == SCHEMA_VERSION
    store.dispose()
    after = _rows(url)
    assert after["alembic_version"] == [(migrate.head(),)]
    assert all(after[table] == rows for table, rows in before.items() if table != "schema_info")


def test_an_older_postgresql_workbook_is_refused_on_opening_until_its_owner_runs_upgrade_db(
        previous: Callable[[str], str]) -> None:
    url = previous("postgresql")
    before = _rows(url)
    with pytest.raises(StoreError) as refused:
        open_store(url)
    message = str(refused.value)
    assert "older version of the workbook (schema 5" in message
    assert "caseaudit upgrade-db" in message and "owner" in message
    assert "Nothing was changed" in message
    assert _rows(url) == before
    assert _upgrade_db(url).exit_code == 0
    open_store(url).dispose()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("newer", ["schema", "migration"])
def test_a_database_newer_than_the_code_is_refused(kind: str, newer: str,
                                                  fresh: Callable[[str], str]) -> None:
    url = fresh(kind)
    open_store(url, create=True).dispose()
    if newer == "schema":
        _sql(url, f"UPDATE schema_info SET value = '{SCHEMA_VERSION + 1}' WHERE key = 'schema_version'")
    else:
        _sql(url, "UPDATE alembic_version SET version_num = '0999'")
    before = _rows(url)
    with pytest.raises(StoreError, match="newer version of the workbook") as refused:
        open_store(url)
    assert "Update the workbook" in str(refused.value)
    assert ("migration 0999" in str(refused.value)) == (newer == "migration")
    result = _upgrade_db(url)
    assert result.exit_code == 1 and "newer version of the workbook" in result.output
    assert "Traceback" not in result.output
    assert _rows(url) == before


@pytest.mark.parametrize("kind", KINDS)
def test_an_upgrade_that_fails_half_way_leaves_the_database_as_it_was(
        kind: str, previous: Callable[[str], str], monkeypatch: pytest.MonkeyPatch) -> None:
    url = previous(kind)
    before = _rows(url)

    def fail(*_args: object) -> None:  # after 0002 made its table: that must be undone too
        raise sa.exc.OperationalError("CREATE TRIGGER", {}, Exception("disk I/O error"))

    monkeypatch.setattr(schema, "guard_append_only", fail)
    result = _upgrade_db(url)
    assert result.exit_code == 1, result.output
    assert "disk I/O error" in result.output and "Nothing was changed" in result.output
    assert "Traceback" not in result.output
    assert _rows(url) == before  # no stream_details, no alembic_version, still schema 5


@pytest.mark.parametrize("kind", KINDS)
def test_the_migrations_make_the_same_tables_as_a_new_workbook(
        kind: str, fresh: Callable[[str], str]) -> None:
    """The frozen scripts and the current tables agree, so an upgraded database is the same as a
    new one: every table, column, key, index and append-only guard."""
    assert migrate.schema_at(migrate.head()) == SCHEMA_VERSION
    new, migrated = fresh(kind), fresh(kind)
    open_store(new, create=True).dispose()
    engine = sa.create_engine(migrated)
    with engine.begin() as conn:
        migrate._run_migrations(conn)
    engine.dispose()
    assert _shape(migrated) == _shape(new)


@pytest.mark.parametrize("kind", KINDS)
def test_the_first_migration_makes_the_previous_releases_tables(
        kind: str, previous: Callable[[str], str], fresh: Callable[[str], str]) -> None:
    """0001 is the previous release's schema: from an empty database it makes the tables that
    release made (its PostgreSQL databases had no append-only guards; 0002 adds them)."""
    migrated = fresh(kind)
    engine = sa.create_engine(migrated)
    with engine.begin() as conn:
        migrate._run_migrations(conn, "0001")
    engine.dispose()
    made, old = _shape(migrated), _shape(previous(kind))
    made.pop("alembic_version")
    if kind == "postgresql":
        assert old.pop("triggers") == []
        made.pop("triggers")
    assert made == old


def _shape(url: str) -> dict[str, object]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            inspector = sa.inspect(conn)
            shape: dict[str, object] = {}
            for table in sorted(inspector.get_table_names()):
                shape[table] = (
                    [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)],
                    inspector.get_pk_constraint(table)["constrained_columns"],
                    sorted((tuple(f["constrained_columns"]), f["referred_table"])
                           for f in inspector.get_foreign_keys(table)),
                    sorted((i["name"], tuple(i["column_names"])) for i in inspector.get_indexes(table)),
                    sorted(tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)))
            if conn.dialect.name == "sqlite":
                shape["triggers"] = sorted(r[0] for r in conn.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger'"))
            else:
                shape["triggers"] = sorted(r[0] for r in conn.exec_driver_sql(
                    "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"))
    finally:
        engine.dispose()
    return shape


def test_upgrade_db_as_a_role_without_the_owners_rights_says_who_may_run_it(
        previous: Callable[[str], str], pg_cluster: Cluster) -> None:
    url = previous("postgresql")
    database = sa.make_url(url).database
    pg_cluster.psql("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ca_reader') "
                    "THEN CREATE ROLE ca_reader LOGIN PASSWORD 'reader-secret'; END IF; END $$")
    pg_cluster.psql("GRANT SELECT ON ALL TABLES IN SCHEMA public TO ca_reader", database)
    before = _rows(url)
    result = _upgrade_db(pg_cluster.url(database, user="ca_reader", password="reader-secret"))
    assert result.exit_code == 1, result.output
    assert "needs the rights of the owner" in result.output and "Nothing was changed" in result.output
    assert "reader-secret" not in result.output
    assert _rows(url) == before


def test_a_workbook_of_this_schema_from_before_the_migrations_is_stamped_on_opening(
        fresh: Callable[[str], str]) -> None:
    """A database written between schema 6 and the migrations (the demo's, a tester's) has every
    table but no Alembic version: it is recorded as at the newest migration, nothing else."""
    url = fresh("sqlite")
    open_store(url, create=True).dispose()
    _sql(url, "DROP TABLE alembic_version")
    before = _rows(url)
    open_store(url).dispose()
    after = _rows(url)
    assert after.pop("alembic_version") == [(migrate.head(),)]
    assert after == before


def test_upgrade_db_refuses_a_missing_or_empty_database(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    result = _upgrade_db(str(missing))
    assert result.exit_code == 1 and f"There is no database at {missing}" in result.output
    assert not missing.exists()
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    result = _upgrade_db(str(empty))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "caseaudit init" in result.output
    assert empty.stat().st_size == 0
