"""Backing up and restoring a PostgreSQL workbook database: PostgreSQL's own ``pg_dump``
(custom format) and ``pg_restore``, driven so that they keep :mod:`.backup`'s promises.

* **Consistent, and counted as copied.** The backup exports the snapshot of a read transaction to
  ``pg_dump --snapshot``, so what the command reports holding is exactly what the file holds,
  however many people save meanwhile.
* **Nothing half-written.** A backup is written to a temporary file beside the destination,
  checked with ``pg_restore --list`` and moved into place. A restore turns the backup into SQL
  first (a truncated or damaged file fails there, before the database is touched), then runs it,
  after dropping the tables it replaces, as ONE transaction through ``psql``: it all happens, or
  nothing does.
* **Never over work unless told.** A database that holds work is replaced only with --replace,
  and then a backup of it is written first, beside the restored file, as ``<database>.before-
  restore.dump``.
* **No password on a command line** (any user of the server can list processes): the programs get
  it in their environment (PGPASSWORD), and the rest of the connection as a libpq connection
  string.

The programs come with PostgreSQL's client (Debian's postgresql-client): on PATH, or under
/usr/lib/postgresql/<version>/bin as Debian installs them (the newest, which reads older servers'
dumps).
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import DatabaseError

from ..errors import StoreError
from .backup import SQLITE_HEADER, Holdings, Restored, _temporary, backup_header
from .connect import open_engine, opening_error, where
from .migrate import Found, read, refuse_newer, upgrade
from .schema import HOLDINGS, SCHEMA_VERSION

#: The first bytes of a pg_dump custom-format file.
_CUSTOM_HEADER = b"PGDMP"
#: How long a restore waits for other sessions to let go of the tables it replaces.
LOCK_TIMEOUT = "60s"


def backup_postgresql(url: str, output: Path) -> Holdings:
    """Write a pg_dump of the workbook database ``url`` to ``output`` (checked by the caller:
    not a folder, not an existing file unless replacing) and return what it holds."""
    engine = open_engine(url, create=False)
    shown = where(engine)
    temp = _temporary(output, "backup")
    try:
        with _snapshot(engine) as (conn, snapshot):
            found = read(conn, shown)
            if found.schema is None:
                raise StoreError(f"The database {shown} holds no workbook ({_tables(found)}), so "
                                 "there is nothing to back up. Check --db. Nothing was written.")
            refuse_newer(found, shown)
            holdings = Holdings(_counts(conn, found), found.schema)
            _run("pg_dump", engine.url, ["--format=custom", f"--snapshot={snapshot}",
                                         f"--file={temp}"], f"Backing up {shown}")
        _list(temp, f"The backup of {shown}")
        os.replace(temp, output)
    except DatabaseError as exc:
        raise opening_error(exc, shown) from None
    finally:
        temp.unlink(missing_ok=True)
        engine.dispose()
    return holdings


def restore_postgresql(backup_file: Path, url: str, replace: bool) -> Restored:
    """Make the PostgreSQL workbook database ``url`` a copy of the pg_dump ``backup_file``,
    upgraded to this workbook's schema if the backup is older (see :func:`.backup.restore`)."""
    found_schema = check_dump(backup_file)
    engine = open_engine(url, create=False)
    shown = where(engine)
    database = engine.url.database or ""
    kept = backup_file.resolve().parent / f"{database}.before-restore.dump"
    try:
        with engine.connect() as conn, conn.begin():
            found = read(conn, shown)
            if found.tables and found.schema is None:
                raise StoreError(f"The database {shown} holds other tables ({_tables(found)}) "
                                 "but is not a caseaudit workbook; restoring would replace them. "
                                 "Restore into an empty database or a workbook's. Nothing was changed.")
            holds = Holdings(_counts(conn, found), found.schema or 0) if found.tables else None
        if holds is not None and holds.work() and not replace:
            raise StoreError(
                f"The database {shown} already holds work ({holds}). Restoring {backup_file} would "
                f"replace all of it. If that is what you want, add --replace: a backup of the "
                f"database now there is written first, to {kept}. Nothing was changed.")
        if holds is not None and holds.work() and kept.exists():
            raise StoreError(f"{kept} is still there from an earlier restore; move it aside (or "
                             "delete it once you are sure it is not needed), then restore again. "
                             "Nothing was changed.")
        with tempfile.TemporaryDirectory(prefix="caseaudit-restore-") as folder:
            script = Path(folder) / "restore.sql"
            _to_sql(backup_file, script, found.tables)
            if holds is not None and holds.work():
                backup_postgresql(url, kept)
            else:
                kept = None  # type: ignore[assignment]
            try:
                _run("psql", engine.url, ["--no-psqlrc", "--quiet", "--single-transaction",
                                          "--set=ON_ERROR_STOP=1", f"--file={script}"],
                     f"Restoring {backup_file} into {shown}", waits=True)
            except StoreError:
                if kept is not None:  # the database is as it was: its backup is not needed
                    kept.unlink(missing_ok=True)
                raise
        if found_schema < SCHEMA_VERSION:
            _upgrade_restored(engine, backup_file, found_schema)
        with engine.connect() as conn, conn.begin():
            now = read(conn, shown)
            holdings = Holdings(_counts(conn, now), now.schema or 0)
    except DatabaseError as exc:
        raise opening_error(exc, shown) from None
    finally:
        engine.dispose()
    return Restored(holdings, found_schema, kept)


def check_dump(path: Path) -> int:
    """The schema version of the pg_dump ``path``, after checking it is a whole workbook backup
    this workbook can read; nothing is written anywhere."""
    header = backup_header(path)
    if header == SQLITE_HEADER:
        raise StoreError(f"{path} is a backup of an SQLite workbook, and the database to restore "
                         "into is PostgreSQL. Restore it into a workbook file (--db data/workbook.db), "
                         "or give a backup made by `caseaudit backup` of a PostgreSQL workbook. "
                         "Nothing was changed.")
    if not header.startswith(_CUSTOM_HEADER):
        raise StoreError(f"{path} is not a PostgreSQL backup, so it is not a workbook backup (one "
                         "made by `caseaudit backup`). Check the name; nothing was changed.")
    listing = _list(path, f"The backup {path}")
    if not re.search(r"TABLE DATA public schema_info ", listing):
        raise StoreError(f"{path} is a PostgreSQL backup but not of a caseaudit workbook (it has no "
                         "schema_info table), so it cannot be restored. Give a file made by "
                         "`caseaudit backup`. Nothing was changed.")
    data = _run("pg_restore", None, ["--data-only", "--table=schema_info", "--file=-", str(path)],
                f"Reading {path}", damaged=path)
    version = re.search(r"^schema_version\t(\d+)$", data, re.MULTILINE)
    if version is None:
        raise StoreError(f"The backup {path} has no readable schema version; it may be damaged. "
                         "Use another backup. Nothing was changed.")
    found = int(version.group(1))
    if found > SCHEMA_VERSION:
        raise StoreError(f"The backup {path} was written by a newer version of the workbook "
                         f"(schema {found}; this one understands up to {SCHEMA_VERSION}). "
                         "Update the workbook (git pull, then make install) and restore again. "
                         "Nothing was changed.")
    return found


def client_program(name: str) -> Path:
    """PostgreSQL's client program ``name`` (pg_dump, pg_restore, psql), or a StoreError saying
    how to install it."""
    found = shutil.which(name)
    if found:
        return Path(found)
    versions = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                      key=lambda p: int(Path(p).parent.parent.name))
    if versions:
        return Path(versions[-1])
    raise StoreError(f"PostgreSQL's {name} is not installed, and backing up or restoring a "
                     "PostgreSQL workbook uses it. Install PostgreSQL's client programs (on Debian "
                     "or Ubuntu: `sudo apt-get install postgresql-client`, the same major version "
                     "as the server or newer), then try again. Nothing was written.")


@contextmanager
def _snapshot(engine: Engine) -> Iterator[tuple[Connection, str]]:
    """A repeatable-read transaction and its exported snapshot, open until the block ends."""
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn, conn.begin():
        snapshot = str(conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar())
        yield conn, snapshot


def _counts(conn: Connection, found: Found) -> dict[str, int]:
    return {table: (int(conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar() or 0)
                    if table in found.tables else 0) for table in HOLDINGS}


def _tables(found: Found) -> str:
    return ", ".join(sorted(found.tables)[:5]) or "no tables at all"


def _list(path: Path, what: str) -> str:
    """pg_restore's table of contents of ``path``: a file it cannot read is refused."""
    return _run("pg_restore", None, ["--list", str(path)], what, damaged=path)


def _to_sql(backup_file: Path, script: Path, replaced: frozenset[str]) -> None:
    """The restore as one SQL script: drop the workbook's tables (and the append-only guards'
    function) in the database restored over, then the backup's own SQL; the whole backup is read
    here, so a truncated one fails before the database is touched."""
    body = script.with_suffix(".body.sql")
    _run("pg_restore", None, ["--no-owner", f"--file={body}", str(backup_file)],
         f"Reading {backup_file}", damaged=backup_file)
    drops = "".join(f'DROP TABLE IF EXISTS public."{table}" CASCADE;\n' for table in sorted(replaced))
    with script.open("w", encoding="utf-8") as out:
        os.chmod(script, 0o600)
        out.write(drops + "DROP FUNCTION IF EXISTS public.caseaudit_append_only() CASCADE;\n")
        with body.open(encoding="utf-8") as restored:
            shutil.copyfileobj(restored, out)
    body.unlink()


def _upgrade_restored(engine: Engine, backup_file: Path, found_schema: int) -> None:
    """A restored backup of an older schema, brought to this one (the person restoring owns the
    tables they have just made, so they may)."""
    try:
        upgrade(engine)
    except StoreError as exc:
        raise StoreError(f"{backup_file} was restored into {where(engine)}, at the schema it was "
                         f"written with ({found_schema}), but upgrading it failed: {exc} Run "
                         f"`caseaudit upgrade-db --db {where(engine)}` as the database's owner "
                         "before using it.") from None


def _conninfo(url: URL) -> str:
    """The libpq connection string for ``url``, without its password."""
    def quoted(value: object) -> str:
        return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"

    parts = {"dbname": url.database, "host": url.host, "port": url.port, "user": url.username}
    parts |= {key: value for key, value in url.query.items() if isinstance(value, str)}
    return " ".join(f"{key}={quoted(value)}" for key, value in parts.items() if value)


def _run(program: str, url: URL | None, arguments: list[str], doing: str,
         damaged: Path | None = None, waits: bool = False) -> str:
    """Run a PostgreSQL client program (against ``url``, its password in the environment); what
    it printed, or a StoreError with its first error line. One that ``waits`` for other sessions'
    locks (a restore dropping tables they read) gives up after a minute instead of hanging."""
    argv = [str(client_program(program)), *arguments]
    env = {**os.environ, "PGCONNECT_TIMEOUT": os.environ.get("PGCONNECT_TIMEOUT", "10")}
    if waits:
        env["PGOPTIONS"] = f"{os.environ.get('PGOPTIONS', '')} -c lock_timeout={LOCK_TIMEOUT}".strip()
    if url is not None:
        argv.append(f"--dbname={_conninfo(url)}")
        if url.password:
            env["PGPASSWORD"] = str(url.password)
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    if done.returncode == 0:
        return done.stdout
    said = [line for line in done.stderr.splitlines() if line.strip()]
    first = next((line for line in said if "error" in line.lower() or "fatal" in line.lower()),
                 said[0] if said else f"{program} stopped with code {done.returncode}")
    first = first.removeprefix(f"{program}: ").strip()
    if damaged is not None:
        raise StoreError(f"{damaged} cannot be read as a whole workbook backup ({first}); it is "
                         "damaged, cut short or not a backup. Use another backup. Nothing was "
                         "changed.")
    if "lock timeout" in first:
        raise StoreError(f"{doing} failed: the database is in use (other sessions kept its tables "
                         "busy). Stop the workbook's servers and notebooks that use it, then "
                         "restore again. Nothing was changed.")
    if "role" in first and "does not exist" in first:
        raise StoreError(f"{doing} failed: {program} said: {first}. The backup gives rights to the "
                         "workbook's database roles, which this server does not have yet: run "
                         "`caseaudit db-roles` on it first, then restore again. Nothing was changed.")
    raise StoreError(f"{doing} failed: {program} said: {first}. Nothing was changed.")
