"""The command line for upgrading a workbook database to this version's schema: ``caseaudit
upgrade-db`` (the work is :mod:`caseaudit.store.migrate`'s).

On PostgreSQL this is the only way an older database is upgraded: opening it refuses, because the
people who open it (auditors, the board's dashboards) have no right to change its tables. Its
owner runs this once after installing a new version. Only click is imported at the top.
"""

from __future__ import annotations

import click


@click.command("upgrade-db")
@click.option("--db", default=None, help="Database path or URL (default: CASEAUDIT_DB, else "
              "data/workbook.db). On PostgreSQL, sign in as the owner of the workbook's tables.")
def upgrade_db_command(db: str | None) -> None:
    """Upgrade the workbook database to this version's schema, keeping every revision.

    Says from which schema to which, and how many revisions it kept; a database already up to
    date is left as it is."""
    from .cli import _places
    from .store.connect import open_engine
    from .store.migrate import upgrade

    engine = open_engine(_places(db, None)[0], create=False)
    try:
        done = upgrade(engine)
    finally:
        engine.dispose()
    if not done.changed:
        click.echo(f"The workbook database {done.where} is up to date (schema {done.to_schema}, "
                   f"migration {done.to_revision}); nothing was changed.")
        return
    before = (f"migration {done.from_revision}" if done.from_revision
              else "made before migrations were recorded")
    click.echo(f"Upgraded the workbook database {done.where} from schema {done.from_schema} "
               f"({before}) to schema {done.to_schema} (migration {done.to_revision}). Every "
               f"revision was kept: {done.kept_text()}.")
