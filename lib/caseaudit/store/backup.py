"""Backing up a workbook database and restoring one: on SQLite here, on PostgreSQL through pg_dump
and pg_restore (:mod:`.backup_pg`), with the same promises and the same refusals.

On SQLite both go through SQLite's online backup API, which copies a consistent snapshot page by page while
other connections keep saving (WAL), and both write into a temporary file beside the destination
that is checked and then moved into place: a backup or a restore stopped half-way (a full disk, a
closed laptop) leaves the old file untouched, never half a database.

A restore is the one operation that replaces saved work, so it checks the backup before touching
anything, refuses to overwrite a database that holds work unless told, and keeps the database it
replaced beside it as ``<db>.before-restore``.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .. import settings
from ..errors import StoreError
from .connect import _check_sqlite_file
from .schema import HOLDINGS, SCHEMA_VERSION

#: The tables whose rows are work someone did: a database holding any is not restored over
#: without --replace. (A form row alone has no revision; stream records belong to revisions.)
WORK = ("revisions", "moderations", "round_events", "action_updates")

SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class Holdings:
    """How many rows of each kind a workbook database holds, and its schema version."""

    counts: dict[str, int]
    schema_version: int

    def work(self) -> int:
        return sum(self.counts[table] for table in WORK)

    def __str__(self) -> str:
        return ", ".join(f"{self.counts[table]:,} {name}" for table, name in HOLDINGS.items())


@dataclass(frozen=True)
class Restored:
    """What a restore did: what the database now holds, the schema the backup was written with
    (older ones are upgraded), and where the replaced database was kept (if there was one)."""

    holdings: Holdings
    from_schema: int
    kept: Path | None


def backup(db: str | os.PathLike[str] | None, output: Path, replace: bool = False) -> Holdings:
    """Copy the workbook database ``db`` (else CASEAUDIT_DB) to ``output``, while others may be
    saving, and return what the copy holds.

    Raises
    ------
    StoreError
        the database is missing, damaged, not a workbook or cannot be reached; ``output``
        exists and ``replace`` is false; the copy failed its check; on PostgreSQL, pg_dump is
        not installed or failed. Nothing is written to ``output``.
    """
    from .facade import open_store

    output = Path(output)
    _check_output(output, replace)
    url = settings.database_url(db)
    if url.startswith("postgresql"):
        from .backup_pg import backup_postgresql

        return backup_postgresql(url, output)
    source = _sqlite_database(db, "Backing up")
    open_store(str(source), create=False).dispose()  # checks it (and upgrades an older one)
    if output.resolve() == source.resolve():
        raise StoreError(f"{output} is the database itself; write the backup to another file. "
                         "Nothing was written.")
    temporary = _temporary(output, "backup")
    try:
        _copy(source, temporary)
        holdings = _check_copy(temporary, f"The backup of {source}")
        os.replace(temporary, output)
    finally:
        temporary.unlink(missing_ok=True)
    return holdings


def _check_output(output: Path, replace: bool) -> None:
    """A backup is written to a new file (or over one only when told), never into a folder."""
    if output.is_dir():
        raise StoreError(f"{output} is a folder; give the backup a file name such as "
                         f"{output / 'workbook-backup.db'}. Nothing was written.")
    if output.exists() and not replace:
        raise StoreError(f"{output} already exists ({output.stat().st_size:,} bytes); the backup "
                         "never overwrites a file unless told. Choose another name, or add "
                         "--replace to overwrite it. Nothing was written.")


def restore(backup_file: Path, db: str | os.PathLike[str] | None,
            replace: bool = False) -> Restored:
    """Make the workbook database ``db`` (else CASEAUDIT_DB) a copy of ``backup_file``, upgraded
    to this workbook's schema if the backup is older.

    Raises
    ------
    StoreError
        the backup is missing, not a backup of the database's kind (an SQLite file, or a
        PostgreSQL custom-format dump), not a workbook, damaged or cut short, or from a newer
        workbook; ``db`` holds work and ``replace`` is false. Nothing is written.
    """
    from .facade import open_store

    backup_file = Path(backup_file)
    url = settings.database_url(db)
    if url.startswith("postgresql"):
        from .backup_pg import restore_postgresql

        return restore_postgresql(backup_file, url, replace)
    found = _check_backup_file(backup_file)
    target = _sqlite_database(db, "Restoring", must_exist=False)
    if target.is_dir():
        raise StoreError(f"{settings.DB_ENV} (or --db) points at the folder {target}; point it at "
                         "a database file such as data/workbook.db. Nothing was written.")
    if target.exists() and target.resolve() == backup_file.resolve():
        raise StoreError(f"{backup_file} is the database itself; nothing to restore.")
    kept = Path(f"{target}.before-restore")
    holds = _holdings_of_target(target)
    if holds is not None and holds.work() and not replace:
        raise StoreError(
            f"The database {target} already holds work ({holds}). Restoring {backup_file} would "
            f"replace all of it. If that is what you want, add --replace: the database now there "
            f"is kept as {kept}. Nothing was changed.")
    if target.exists() and kept.exists():
        raise StoreError(f"{kept} is still there from an earlier restore; move it aside (or delete "
                         "it once you are sure it is not needed), then restore again. Nothing was "
                         "changed.")
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = _temporary(target, "restore")
    try:
        _copy(backup_file, temporary)
        if found < SCHEMA_VERSION:
            open_store(str(temporary), create=False).dispose()  # the existing upgrade path
            _quiesce(temporary)  # the upgrade wrote through a WAL: fold it into the file
        holdings = _check_copy(temporary, f"The restored copy of {backup_file}")
        _quiesce(target)
        if target.exists():
            _keep(target, kept)
        os.replace(temporary, target)
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{temporary}{suffix}").unlink(missing_ok=True)
    return Restored(holdings, found, kept if kept.exists() else None)


def holdings(path: Path) -> Holdings:
    """What the workbook database file at ``path`` holds, read through a read-only connection."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        version = conn.execute("SELECT value FROM schema_info WHERE key = 'schema_version'").fetchone()
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        counts = {table: (conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                          if table in tables else 0) for table in HOLDINGS}
    finally:
        conn.close()
    return Holdings(counts, int(version[0]) if version and str(version[0]).isdigit() else 0)


def _sqlite_database(db: str | os.PathLike[str] | None, doing: str, must_exist: bool = True) -> Path:
    """The SQLite file ``db`` names (PostgreSQL went to :mod:`.backup_pg`), or a StoreError for a
    database of another kind or a missing file."""
    url = settings.database_url(db)
    if not url.startswith("sqlite:///"):
        from .connect import open_engine

        open_engine(url, create=False)  # says which databases the workbook runs on
        raise StoreError(f"{doing} works on a workbook database file; {url} is not one.")
    path = Path(url.removeprefix("sqlite:///"))
    if must_exist and not path.exists():
        raise StoreError(f"There is no database at {path} to back up. Check {settings.DB_ENV} "
                         "(or --db) for a typo. Nothing was written.")
    return path


def _temporary(beside: Path, what: str) -> Path:
    """A temporary file in the destination's folder (so moving it into place is one rename)."""
    return beside.parent / f".{beside.name}.{what}-{os.getpid()}.tmp"


def _copy(source: Path, destination: Path) -> None:
    """SQLite's online backup of ``source`` into ``destination``: a consistent snapshot even while
    another connection writes, as one file (no WAL beside it)."""
    destination.unlink(missing_ok=True)
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(destination)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.Error as exc:
        raise StoreError(f"Copying {source} failed ({exc}); nothing was written. Check the disk "
                         "has room and try again.") from None
    finally:
        dst.close()
        src.close()


def _check_copy(path: Path, what: str) -> Holdings:
    """SQLite's quick check of a copy, and that it is a workbook of this schema version."""
    try:
        _check_sqlite_file(path, create=False)
    except StoreError as exc:
        raise StoreError(f"{what} failed its check, so it was not kept: {exc}") from None
    found = holdings(path)
    if found.schema_version != SCHEMA_VERSION:
        raise StoreError(f"{what} is at schema {found.schema_version}, not {SCHEMA_VERSION}, so it "
                         "was not kept. Nothing was written.")
    return found


def backup_header(path: Path) -> bytes:
    """The first bytes of the backup file ``path`` (enough to tell an SQLite file from a
    pg_dump), after checking there is such a file; shared by both databases' restores."""
    if not path.exists():
        raise StoreError(f"There is no backup file {path}. Check the name; nothing was changed.")
    if path.is_dir():
        raise StoreError(f"{path} is a folder; give the backup file's name. Nothing was changed.")
    with path.open("rb") as handle:
        return handle.read(len(SQLITE_HEADER))


def _check_backup_file(path: Path) -> int:
    """The schema version of the backup ``path``, after checking it is an undamaged workbook
    database this workbook can read: through a read-only connection, so nothing is written."""
    header = backup_header(path)
    if header.startswith(b"PGDMP"):
        raise StoreError(f"{path} is a backup of a PostgreSQL workbook, and the database to restore "
                         "into is an SQLite file. Restore it into a PostgreSQL database (--db "
                         "postgresql://user@host/database). Nothing was changed.")
    if header != SQLITE_HEADER:
        raise StoreError(f"{path} is not a database file, so it is not a workbook backup (one "
                         "made by `caseaudit backup`). Check the name; nothing was changed.")
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        found = [row[0] for row in conn.execute("PRAGMA quick_check(3)")]
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        version = (conn.execute("SELECT value FROM schema_info WHERE key = 'schema_version'").fetchone()
                   if "schema_info" in tables else None)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path} cannot be read as a database ({exc}); it is damaged or not a "
                         "workbook backup. Nothing was changed.") from None
    finally:
        conn.close()
    if found != ["ok"]:
        raise StoreError(f"The backup {path} is damaged (SQLite's check found: {found[0]}); use "
                         "another backup. Nothing was changed.")
    if "schema_info" not in tables:
        held = f" (it holds {', '.join(sorted(tables)[:5])})" if tables else " (it is empty)"
        raise StoreError(f"{path} is an SQLite database but not a caseaudit workbook{held}, so it "
                         "cannot be restored. Give a file made by `caseaudit backup`. Nothing "
                         "was changed.")
    if version is None or not str(version[0]).isdigit():
        raise StoreError(f"The backup {path} has no readable schema version; it may be damaged. "
                         "Use another backup. Nothing was changed.")
    if int(version[0]) > SCHEMA_VERSION:
        raise StoreError(f"The backup {path} was written by a newer version of the workbook "
                         f"(schema {version[0]}; this one understands up to {SCHEMA_VERSION}). "
                         "Update the workbook (git pull, then make install) and restore again. "
                         "Nothing was changed.")
    return int(version[0])


def _holdings_of_target(target: Path) -> Holdings | None:
    """What the database being restored over holds (None if there is none yet). One that cannot
    be read as a workbook is refused: restoring over a stranger's file is never what was meant."""
    if not target.exists() or target.stat().st_size == 0:
        return None
    _check_sqlite_file(target, create=True)  # damaged, or not a workbook: its own message
    return holdings(target)


#: How long a restore waits for a database's other users to let go before it says it is in use.
IN_USE_WAIT_SECONDS = 30


def _quiesce(target: Path) -> None:
    """Fold a database's WAL into its file, so the file alone is the whole database: the target's
    before it is moved (a WAL left beside the restored file would be read as part of it; one
    still in use means a server has it open), and an upgraded copy's before it is checked."""
    if not target.exists():
        return
    conn = sqlite3.connect(target, timeout=IN_USE_WAIT_SECONDS)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.OperationalError as exc:
        raise StoreError(f"The database {target} is in use ({exc}); stop the workbook's servers "
                         "and notebooks that use it, then restore again. Nothing was changed.") from None
    finally:
        conn.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)


def _keep(target: Path, kept: Path) -> None:
    """Keep the database being replaced as ``kept`` without ever leaving ``target`` missing:
    a second name for the same file (a copy where the file system has no hard links)."""
    try:
        os.link(target, kept)
    except OSError:
        shutil.copy2(target, kept)
