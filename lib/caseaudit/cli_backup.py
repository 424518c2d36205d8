"""The command line for keeping a workbook database safe: ``caseaudit backup`` and ``caseaudit
restore``, on SQLite and PostgreSQL (the work is :mod:`caseaudit.store.backup`'s).

Kept apart from :mod:`caseaudit.cli` so that each module stays readable; cli.py adds the two
commands to ``caseaudit``'s main command. Only click is imported at the top.
"""

from __future__ import annotations

from pathlib import Path

import click

_DB = click.option("--db", default=None, help="Database path or URL (default: CASEAUDIT_DB, else "
                   "data/workbook.db).")
_REPLACE_HELP = {
    "backup": "Overwrite FILE if it already exists.",
    "restore": "Restore even over a database that holds work; that database is kept as "
               "<db>.before-restore.",
}


def _shown(url: str) -> str:
    """The database as messages name it: a file by its path, a server's by its URL without the
    password."""
    if url.startswith("sqlite:///"):
        return url.removeprefix("sqlite:///")
    from sqlalchemy import make_url

    return make_url(url).render_as_string(hide_password=True)


def _db(db: str | None) -> str | None:
    """The database a command works on: the demo's under --demo, else --db."""
    from .cli import _places

    return _places(db, None)[0]


@click.command("backup")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="The backup file to write, e.g. backups/workbook-2026-05-01.db (a PostgreSQL "
              "workbook's is a pg_dump: backups/workbook-2026-05-01.dump).")
@click.option("--replace", is_flag=True, help=_REPLACE_HELP["backup"])
@_DB
def backup_command(output: Path, replace: bool, db: str | None) -> None:
    """Copy the workbook database to a backup file, safely while others are saving."""
    from .store.backup import backup

    holdings = backup(_db(db), output, replace)
    click.echo(f"Wrote the backup {output} (schema {holdings.schema_version}, checked): "
               f"{holdings}.")


@click.command("restore")
@click.argument("backup_file", metavar="FILE", type=click.Path(path_type=Path))
@click.option("--replace", is_flag=True, help=_REPLACE_HELP["restore"])
@_DB
def restore_command(backup_file: Path, replace: bool, db: str | None) -> None:
    """Make the workbook database a copy of a backup made by `caseaudit backup`.

    Refuses to replace a database that holds work unless --replace is given."""
    from . import settings
    from .store.backup import restore

    db = _db(db)
    restored = restore(backup_file, db, replace)
    where = _shown(settings.database_url(db))
    upgraded = (f", upgraded from schema {restored.from_schema}"
                if restored.from_schema != restored.holdings.schema_version else "")
    kept = (f" The database it replaced is kept as {restored.kept}." if restored.kept else "")
    if restored.kept and restored.kept.suffix == ".dump":
        kept = f" A backup of the database it replaced was written first, to {restored.kept}."
    click.echo(f"Restored {backup_file} into {where}{upgraded}: {restored.holdings}.{kept}")
