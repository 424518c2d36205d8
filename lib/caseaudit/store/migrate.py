"""Which schema a workbook database is at, and bringing it to this code's, through Alembic.

Two records say where a database is, kept in step by every upgrade: ``schema_info``'s version (a
number every release of the workbook reads, so an older release still refuses a database a newer
one upgraded) and Alembic's ``alembic_version`` (which migration script ran last). A database from
before the migrations has only the first: one from schema 1 to 4 is brought to schema 5 (the
previous release) by the old in-place steps, then stamped with the migration of its schema, and
Alembic takes it from there.

Opening a store checks, with a plain read, and refuses a database newer than the code. An older
one is upgraded on opening when it is an SQLite file (one person's laptop: nobody else to ask); on
PostgreSQL opening refuses it, because a shared server's auditors have no right to change tables:
its owner runs ``caseaudit upgrade-db``. Either way an upgrade is one transaction, so one that
fails half-way leaves the database as it was, and it checks before committing that every log
holds as many rows as before.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DatabaseError

from ..errors import StoreError
from .connect import not_a_workbook, reading, where, write_error, writing
from .schema import APPEND_ONLY, HOLDINGS, SCHEMA_VERSION, create_tables, schema_info

log = logging.getLogger("caseaudit")

#: The folder of the Alembic scripts (package data, so a pip-installed workbook has them).
MIGRATIONS = Path(__file__).parent / "migrations"

#: The previous release's schema, the first with a migration (0001): a database from before the
#: migrations is brought to it by :func:`_before_migrations`, then stamped.
BASELINE = 5


@dataclass(frozen=True)
class Found:
    """What a database holds that says its schema: its tables, ``schema_info``'s version (None
    without one) and Alembic's revision (None before the migrations)."""

    tables: frozenset[str]
    schema: int | None
    revision: str | None

    def current(self) -> bool:
        return self.schema == SCHEMA_VERSION and self.revision == head()


@dataclass(frozen=True)
class Upgraded:
    """What ``caseaudit upgrade-db`` did: from which schema and migration to which, and how many
    rows of each kind of saved work the database held (the same before and after)."""

    where: str
    from_schema: int
    to_schema: int
    from_revision: str | None
    to_revision: str
    kept: dict[str, int]

    @property
    def changed(self) -> bool:
        return (self.from_schema, self.from_revision) != (self.to_schema, self.to_revision)

    def kept_text(self) -> str:
        return ", ".join(f"{self.kept[table]:,} {name}" for table, name in HOLDINGS.items()
                         if table in self.kept)


@functools.cache
def _script():  # type: ignore[no-untyped-def]
    """The migration scripts (read once per process)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS))


def head() -> str:
    """The newest migration: the one a database of this code's schema is at."""
    return str(_script().get_current_head())


def schema_at(revision: str) -> int | None:
    """The schema version migration ``revision`` brings a database to; None for a migration this
    code does not know (a newer workbook's)."""
    from alembic.util import CommandError

    try:
        script = _script().get_revision(revision)
    except CommandError:
        return None
    return int(script.module.SCHEMA) if script is not None else None


def revision_for(schema: int) -> str:
    """The migration that brings a database to ``schema`` (BASELINE or later)."""
    return next(script.revision for script in _script().walk_revisions()
                if schema == script.module.SCHEMA)


def read(conn: Connection, shown: str) -> Found:
    """Where the database on ``conn`` is, refusing one with an unreadable version."""
    tables = frozenset(sa.inspect(conn).get_table_names())
    schema = revision = None
    if "schema_info" in tables:
        value = conn.execute(sa.select(schema_info.c.value)
                             .where(schema_info.c.key == "schema_version")).scalar()
        if value is None or not str(value).isdigit():
            raise StoreError(f"The database {shown} has no readable schema version; it may be "
                             "damaged. Restore it from a backup.")
        schema = int(value)
    if "alembic_version" in tables:
        revision = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    return Found(tables, schema, revision)


def refuse_newer(found: Found, shown: str) -> None:
    """A database written by a newer workbook (a higher schema, or a migration this code does not
    know) is never read: it could be misread, and an older code's save could damage it."""
    unknown = found.revision is not None and schema_at(found.revision) is None
    if (found.schema or 0) > SCHEMA_VERSION or unknown:
        migration = f", migration {found.revision}" if unknown else ""
        raise StoreError(
            f"The database {shown} was written by a newer version of the workbook "
            f"(schema {found.schema}{migration}; this one understands up to {SCHEMA_VERSION}). "
            "Update the workbook (git pull, then make install) before using this database; "
            "nothing was changed.")


def ensure(engine: Engine, create: bool) -> None:
    """Open's check (see :func:`caseaudit.store.schema.ensure_schema`)."""
    shown = where(engine)
    with reading(engine) as conn:
        found = read(conn, shown)
    if found.schema is not None:
        refuse_newer(found, shown)
        if found.current():
            return
        if engine.dialect.name != "sqlite":
            raise StoreError(
                f"The database {shown} was written by an older version of the workbook (schema "
                f"{found.schema}; this one needs schema {SCHEMA_VERSION}), and on a shared server "
                "only the database's owner may upgrade it. Ask whoever looks after the workbook to "
                f"run `caseaudit upgrade-db --db {shown}` signed in as the owner of its tables, "
                "then open it again. Nothing was changed.")
        upgrade(engine)
        return
    if found.tables:
        raise not_a_workbook(shown, found.tables)
    if not create:
        raise StoreError(f"The database {shown} has no workbook tables yet. Run `caseaudit init "
                         f"--db {shown}` to start a workbook in it; nothing was changed.")
    with writing(engine, "the new workbook's tables") as conn:
        _lock(conn)
        found = read(conn, shown)
        if found.schema is not None:  # another process created it meanwhile
            refuse_newer(found, shown)
            return
        if found.tables:
            raise not_a_workbook(shown, found.tables)
        create_tables(conn)
        _stamp(conn, head())


def upgrade(engine: Engine) -> Upgraded:
    """Bring the workbook database to this code's schema in one transaction, keeping every row of
    every log; a database already there is left alone.

    Raises
    ------
    StoreError
        the database is not a workbook, is newer than the code, or the upgrade failed (the
        database is as it was: nothing is written unless all of it is).
    """
    shown = where(engine)
    target = SCHEMA_VERSION
    with reading(engine) as conn:
        found = read(conn, shown)
    _check_workbook(found, shown)
    refuse_newer(found, shown)
    if found.current():
        return Upgraded(shown, target, target, head(), head(), _counts_of(engine, found))
    try:
        with engine.connect().execution_options(caseaudit_write=True) as conn, conn.begin():
            _lock(conn)
            found = read(conn, shown)  # as it is now: another process may have upgraded it
            _check_workbook(found, shown)
            refuse_newer(found, shown)
            before = _counts(conn, found.tables)
            if found.current():
                kept = {table: count for table, count in before.items() if table in HOLDINGS}
                return Upgraded(shown, target, target, head(), head(), kept)
            if found.revision is None:
                if found.schema < BASELINE:  # type: ignore[operator]
                    _before_migrations(conn, found.schema)  # type: ignore[arg-type]
                _stamp(conn, revision_for(max(found.schema, BASELINE)))  # type: ignore[type-var]
            _run_migrations(conn)
            conn.execute(schema_info.update().where(schema_info.c.key == "schema_version")
                         .values(value=str(target)))
            after = _counts(conn, found.tables)
            if after != before:
                raise StoreError(f"Upgrading the database {shown} would have changed how many rows "
                                 f"its logs hold ({before} before, {after} after), so it was "
                                 "stopped and nothing was changed. Please report this.")
    except StoreError:
        raise
    except DatabaseError as exc:
        raise _upgrade_error(exc, shown) from None
    log.info("upgraded workbook schema %s (%s) to %s (%s)", found.schema, found.revision, target,
             head())
    kept = {table: count for table, count in before.items() if table in HOLDINGS}
    return Upgraded(shown, found.schema, target, found.revision, head(), kept)  # type: ignore[arg-type]


def _check_workbook(found: Found, shown: str) -> None:
    if found.schema is None:
        if found.tables:
            raise not_a_workbook(shown, found.tables)
        raise StoreError(f"The database {shown} has no workbook tables yet, so there is nothing to "
                         f"upgrade. Run `caseaudit init --db {shown}` to start a workbook in it.")


def _counts(conn: Connection, tables: frozenset[str]) -> dict[str, int]:
    """How many rows each log among ``tables`` holds."""
    return {table: int(conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar() or 0)
            for table in APPEND_ONLY if table in tables}


def _counts_of(engine: Engine, found: Found) -> dict[str, int]:
    with reading(engine) as conn:
        return {t: n for t, n in _counts(conn, found.tables).items() if t in HOLDINGS}


def _lock(conn: Connection) -> None:
    """Two processes creating or upgrading one PostgreSQL database at once take turns (SQLite's
    write transaction already holds the file's lock)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(hashtext('caseaudit schema'))")


def _before_migrations(conn: Connection, version: int) -> None:
    """A database from before schema 5, brought to it as the previous release did: the schema-5
    tables it lacks (empty: no older workbook recorded what they hold), and the moderation heads
    built from the moderations' log for one from before schema 4."""
    from .migrations import schema5

    schema5.create(conn)
    if version < 4:
        schema5.build_moderation_heads(conn)


def _stamp(conn: Connection, revision: str) -> None:
    """Record that the database is at migration ``revision`` without running it."""
    from alembic.runtime.migration import MigrationContext

    MigrationContext.configure(conn).stamp(_script(), revision)


def _run_migrations(conn: Connection, target: str = "head") -> None:
    """Alembic's upgrade to migration ``target`` (the newest), on ``conn`` inside its transaction."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    command.upgrade(config, target)


def _upgrade_error(exc: DatabaseError, shown: str) -> StoreError:
    """A database error during an upgrade: a role without the owner's rights says who may run it."""
    text = str(exc.orig)
    if "permission denied" in text or "must be owner" in text:
        return StoreError(f"The upgrade of the database {shown} needs the rights of the owner of "
                          f"its tables ({text.splitlines()[0]}). Run `caseaudit upgrade-db` signed "
                          "in as the database's owner. Nothing was changed.")
    return write_error(exc, shown, f"the upgrade of the workbook database to schema {SCHEMA_VERSION}")
