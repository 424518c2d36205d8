"""Reaching the database: which databases the workbook runs on, SQLite's settings, checking a file
before anything writes to it, transactions, and the database's errors as messages a person can act
on.

Every write goes through :func:`writing`, so no save (a form, a moderation, a draft, closing a
round) can let a raw SQLAlchemy error past the forms' error handling: a busy, read-only or damaged
database becomes a :class:`~caseaudit.errors.StoreError` saying what was not saved and what to do.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError

from .. import settings
from ..errors import StoreError

#: The databases the workbook runs on, by SQLAlchemy backend name.
SUPPORTED_DATABASES = {"sqlite": "SQLite (a file path such as data/workbook.db)",
                       "postgresql": "PostgreSQL (a postgresql://user@host/database URL)"}

#: How long a save waits for another to finish on SQLite before it gives up, in milliseconds.
BUSY_TIMEOUT_MS = 30_000


def where(engine: Engine) -> str:
    """The database as messages name it: an SQLite file by its path, as people write it in
    CASEAUDIT_DB; any other by its URL, never with its password."""
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return url.database
    return url.render_as_string(hide_password=True)


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A read transaction: one consistent view of the database (a read the signed-in database
    account may not make, or a server gone away since the store was opened, is a StoreError
    saying so)."""
    try:
        with engine.connect() as conn, conn.begin():
            yield conn
    except DatabaseError as exc:
        if (refused := refused_by_rights(exc, where(engine))) is not None:
            raise refused from None
        if (unreachable := server_refused(str(exc.orig), where(engine))) is not None:
            raise StoreError(unreachable) from None  # the server went away after opening
        raise


@contextmanager
def writing(engine: Engine, what: str) -> Iterator[Connection]:
    """A write transaction, the only kind there is: on SQLite it takes the write lock at BEGIN (two
    savers queue instead of deadlocking on a lock upgrade), and the database's errors become a
    StoreError naming ``what`` was not saved (a noun phrase: "the form for case M-1 (CSC)")."""
    try:
        with engine.connect().execution_options(caseaudit_write=True) as conn, conn.begin():
            yield conn
    except DatabaseError as exc:
        raise write_error(exc, where(engine), what) from None


def serialise(conn: Connection, *key: str, shared: bool = False) -> None:
    """Make the saves of one record (named by ``key``, e.g. ``"form", round_id, case_id``) wait
    for each other until their transactions end, so that the second reads the head the first
    moved and is refused with who saved first, as on SQLite, instead of failing on a unique key.

    SQLite needs nothing: a write transaction holds the whole database from BEGIN IMMEDIATE. On
    PostgreSQL it is a transaction-level advisory lock on the key's hash (a rare collision of two
    keys only makes two unrelated saves wait in turn); ``shared`` ones (the saves into a round)
    run side by side but wait for an exclusive one (closing it).
    """
    if conn.dialect.name != "postgresql":
        return
    function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    conn.execute(sa.text(f"SELECT {function}(hashtextextended(:key, 0))"),
                 {"key": "\x1f".join(key)})


def sentence(phrase: str) -> str:
    """A noun phrase ("the form for case M-1") as the start of a sentence."""
    return phrase[:1].upper() + phrase[1:]


def refused_by_rights(exc: DatabaseError, where: str, what: str | None = None) -> StoreError | None:
    """PostgreSQL refusing the signed-in account's rights (SQLSTATE 42501: a privilege it lacks,
    or a row-level security policy of its role, see caseaudit.store.roles) as the person should
    read it, saving ``what`` (else reading); ``None`` for any other error."""
    text = str(exc.orig)
    connect = "permission denied for database" in text  # refused at sign-in: no SQLSTATE yet
    if getattr(exc.orig, "sqlstate", None) != "42501" and not connect:
        return None
    account = sa.make_url(where).username if "://" in where else None
    who = f"Your database account {account}" if account else "Your database account"
    reason = text.splitlines()[0].split("FATAL:")[-1].strip()
    if connect:
        return StoreError(f"{who} may not connect to the workbook {where} ({reason}). Nothing was "
                          "changed; ask whoever runs the server to add you to the people file.")
    if what is None:
        return StoreError(f"{who} may not read this in the workbook {where} ({reason}). "
                          "Nothing was changed; ask whoever runs the server if your role should.")
    why = ("it lets your account write only its own agency's records" if "row-level security" in text
           else "your account's role does not allow it")
    return StoreError(f"{who} may not save {what}: {why} ({reason}). Nothing was saved; ask "
                      "whoever runs the server to check your role and agency in the people file.")


def write_error(exc: DatabaseError, where: str, what: str) -> StoreError:
    """A database error during a save, as the person saving should read it."""
    if (refused := refused_by_rights(exc, where, what)) is not None:
        return refused
    text = str(exc.orig)
    if isinstance(exc, IntegrityError):
        # Only a race (two saves of one record at once, on a database without a write lock)
        # gets here: the checks ran before the transaction.
        return StoreError(f"Someone else saved {what} at the same moment, so this save was "
                          "refused and nothing was saved. Reload it and save again.")
    unsaved = f"{sentence(what)} was not saved"
    if (unreachable := server_refused(text, where)) is not None:
        return StoreError(f"{unsaved}: {unreachable[:1].lower()}{unreachable[1:]}")
    if isinstance(exc, OperationalError):
        if "locked" in text or "busy" in text:
            return StoreError(f"{unsaved}: the database {where} stayed busy with another save for "
                              "too long. Nothing was changed; try again in a moment.")
        if "readonly" in text or "read-only" in text:
            return StoreError(f"{unsaved}: the database {where} cannot be written (read-only file "
                              "or folder). Nothing was changed; check its permissions.")
    return StoreError(f"{unsaved}: the database {where} refused it ({text}). Nothing was changed; "
                      "try again, and if it happens again ask whoever looks after the workbook to "
                      "check the database (it may be full or damaged).")


def _quoted(text: str, before: str) -> str:
    """The double-quoted name that follows ``before`` in a server's message ("" if none)."""
    found = re.search(re.escape(before) + r' "([^"]*)"', text)
    return found.group(1) if found else ""


def server_refused(text: str, where: str) -> str | None:
    """Why a database server could not be reached or signed in to, and what to do, from its
    driver's message ``text``; ``None`` for any other error. The message is built from the
    names in ``text`` and ``where`` (which hides the password), never the password."""
    fix = f"Check {settings.DB_ENV} (or --db)"
    if "password authentication failed" in text or "no password supplied" in text:
        user = _quoted(text, "for user") or "the user"
        return (f"The database server of {where} refused to sign in {user}: the password is "
                f"wrong, or there is no such user. {fix}: its user and password, or ask whoever "
                "looks after the database for yours. Nothing was changed.")
    if "does not exist" in text and (name := _quoted(text, "database")):
        return (f"There is no database {name} on the server of {where}. {fix} for a typo in its "
                f"name; for a new workbook, ask whoever looks after the server to create it "
                f"(createdb {name}), then run `caseaudit init --db` with its URL. Nothing was "
                "changed.")
    if "could not translate host name" in text or "Name or service not known" in text:
        return (f"The database server of {where} cannot be found: its host name is not known. "
                f"{fix} for a typo in the host name. Nothing was changed.")
    if "Connection refused" in text or "timeout expired" in text or "server closed the connection" in text \
            or "No route to host" in text:
        return (f"The database server of {where} is not answering. Check that it is running "
                f"and that {settings.DB_ENV} (or --db) names its host and port; then try again. "
                "Nothing was changed.")
    return None


def opening_error(exc: DatabaseError, where: str) -> StoreError:
    """A database error while opening the store, as the person opening it should read it."""
    text = str(exc.orig)
    if (unreachable := server_refused(text, where)) is not None:
        return StoreError(unreachable)
    if "not a database" in text or "malformed" in text or "encrypted" in text:
        return StoreError(
            f"{where} is not a workbook database (or it is damaged): {text}. Check that "
            f"{settings.DB_ENV} names the right file; restore it from a backup if it is damaged. "
            "Nothing was changed.")
    return StoreError(f"The database {where} could not be opened: {text}")


def not_a_workbook(where: str, tables: Iterable[str]) -> StoreError:
    return StoreError(f"The database {where} holds other tables ({', '.join(sorted(tables)[:5])}) "
                      f"but is not a caseaudit workbook. Point {settings.DB_ENV} at a workbook "
                      "database or at a new file.")


def open_engine(url: str | os.PathLike[str] | None, create: bool) -> Engine:
    """The engine for the workbook database ``url`` (else ``CASEAUDIT_DB``, else
    data/workbook.db), after checking an SQLite file is there (or may be made) and healthy.

    Raises
    ------
    StoreError
        see :func:`caseaudit.store.open_store`.
    """
    engine = _engine(settings.database_url(url))
    if engine.dialect.name == "sqlite":
        database = engine.url.database
        if database and database != ":memory:":
            _check_sqlite_path(Path(database), create)
        _configure_sqlite(engine)
    return engine


def _check_sqlite_path(path: Path, create: bool) -> None:
    if path.is_dir():
        raise StoreError(f"{settings.DB_ENV} points at the folder {path}; point it at a "
                         "database file such as data/workbook.db.")
    if not path.exists():
        if not create:
            raise StoreError(_no_database(path))
        path.parent.mkdir(parents=True, exist_ok=True)
    elif path.stat().st_size == 0:
        if not create:
            raise StoreError(
                f"The database file {path} is empty (0 bytes), so it is not a workbook "
                f"database. Check {settings.DB_ENV} (or --db); to start a new workbook in "
                f"this file, run `caseaudit init --db {path}`. Nothing was changed.")
    else:
        _check_sqlite_file(path, create)


def _configure_sqlite(engine: Engine) -> None:
    """WAL for many readers beside one writer; a busy timeout instead of instant 'locked' errors;
    writes take the lock at BEGIN so two savers queue instead of deadlocking on lock upgrade."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_MS)}")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("caseaudit_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _engine(url: str) -> Engine:
    """The engine for ``url``, or a StoreError saying which databases the workbook runs on, or
    which package to install for a missing driver; never an ImportError's traceback."""
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise StoreError(f"{settings.DB_ENV} (or --db) is neither a file path nor a database URL "
                         "that can be read; give a path such as data/workbook.db or a URL such "
                         "as postgresql://user@host/database.") from None
    shown = parsed.render_as_string(hide_password=True)
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED_DATABASES:
        raise StoreError(f"The workbook does not run on {backend} ({shown}); it runs on "
                         f"{' or '.join(SUPPORTED_DATABASES.values())}. Point {settings.DB_ENV} "
                         "(or --db) at one of those.")
    try:
        # a server restarted overnight leaves every open page's pooled connections dead: test
        # each before use, so the next read reconnects instead of failing (SQLite has no server)
        return sa.create_engine(parsed, pool_pre_ping=backend == "postgresql")
    except ImportError as exc:
        raise StoreError(f"The database {shown} needs the Python package {exc.name or 'driver'}, "
                         "which is not installed: run `pip install 'caseaudit[postgres]'` (in this "
                         "checkout: .venv/bin/pip install -e '.[postgres]').") from None
    except sa.exc.NoSuchModuleError:
        raise StoreError(f"The workbook cannot reach {shown}: SQLAlchemy has no driver "
                         f"'{parsed.get_driver_name()}' for it. Write the URL as "
                         "postgresql://user@host/database.") from None


def _shown(path: Path) -> str:
    """``path`` as the user would type it: relative to the working folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _no_database(path: Path) -> str:
    """Why there is no database at ``path`` and how to get one, for the person at the keyboard
    right after `make demo` as much as for one who mistyped CASEAUDIT_DB."""
    shown = _shown(path)
    if path == settings.DEFAULT_DB_PATH.resolve() and not os.environ.get(settings.DB_ENV):
        if settings.DEMO_DB_PATH.exists():
            return (f"There is no workbook database at {shown}. To try the commands on the demo "
                    f"partnership, add --demo (caseaudit --demo export ...) or set "
                    f"{settings.DB_ENV}={_shown(settings.DEMO_DB_PATH)} and "
                    f"{settings.AUDITS_ENV}={_shown(settings.DEMO_AUDITS_DIR)}; to start real work "
                    "run `caseaudit init`.")
        return (f"There is no workbook database at {shown}. Run `make demo` (or `caseaudit "
                "demo-data`) for a synthetic partnership to try, or `caseaudit init` to start "
                "real work.")
    folder = "" if path.parent.is_dir() else f" (the folder {_shown(path.parent)} does not exist either)"
    return (f"There is no database at {shown}{folder}. Check {settings.DB_ENV} (or --db) for a "
            f"typo; to start a new workbook there, run `caseaudit init --db {shown}`. Nothing was "
            "created.")


def _check_sqlite_file(path: Path, create: bool) -> None:
    """Refuse a damaged database, or one that is not a workbook, before the engine's settings
    (WAL mode) write to it: through a plain connection that only reads.

    SQLite's quick check reads every page and checks its structure (not the indexes against the
    tables, which the full integrity check adds at about twice the time), so pages overwritten
    by a failing disk or a bad copy are found here instead of being read as data: about a tenth
    of a second for a million score rows, a few milliseconds for a partnership's real workbook.
    """
    import sqlite3

    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=30)
    except sqlite3.Error as exc:
        raise StoreError(f"The database {path} could not be opened: {exc}. Check that the file "
                         "and its folder can be read and written.") from None
    try:
        found = [row[0] for row in conn.execute("PRAGMA quick_check(3)")]
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc) or "encrypted" in str(exc):
            raise StoreError(
                f"{path} is not a workbook database (or it is damaged): {exc}. Check that "
                f"{settings.DB_ENV} names the right file; restore it from a backup if it is "
                "damaged. Nothing was changed.") from None
        found, tables = [str(exc)], set()
    finally:
        conn.close()
    if found != ["ok"]:
        first = " ".join(found[0].replace("*** in database main ***", "").split())
        more = f" and {len(found) - 1} more problem(s)" if len(found) > 1 else ""
        raise StoreError(f"The database {path} is damaged (SQLite's check found: {first}{more}). "
                         "Restore it from a backup; nothing was changed.")
    if tables and "schema_info" not in tables:
        raise not_a_workbook(str(path), tables)
    if not tables and not create:
        raise StoreError(f"The database {path} has no workbook tables yet. Run `caseaudit init "
                         f"--db {path}` to start a workbook in it; nothing was changed.")
