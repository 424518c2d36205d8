"""The command line for a shared server's database roles: ``caseaudit db-roles`` (the work is
:mod:`caseaudit.store.roles`'s).

Kept apart from :mod:`caseaudit.cli` so that each module stays readable; cli.py adds the command
to ``caseaudit``'s main command. Only click is imported at the top.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from .people import Person

#: Shorter passwords are refused: a database login reachable over the network is guessed at.
MIN_PASSWORD = 12
_ROLE_NAMES = {"auditor": "auditor", "moderator": "moderator", "qa_lead": "QA lead",
               "board_viewer": "board viewer"}


@click.command("db-roles")
@click.option("--people", "people_file", type=click.Path(path_type=Path), default=None,
              help="The people file (default: CASEAUDIT_PEOPLE, else deploy/people.yaml).")
@click.option("--set-password", "user", default=None, metavar="USER",
              help="Set the password of USER's database login (a user in the people file, or "
                   "caseaudit_dashboards for the dashboard service) and let it sign in. The "
                   "password is read from CASEAUDIT_NEW_PASSWORD, else standard input, else asked "
                   "for; never from the command line.")
@click.option("--db", default=None, help="The PostgreSQL workbook's URL (default: CASEAUDIT_DB).")
def db_roles_command(people_file: Path | None, user: str | None, db: str | None) -> None:
    """Make a PostgreSQL workbook enforce the people file's roles: one login per person, their
    agency's forms only for an auditor, aggregate views only for a board viewer.

    Run it as the owner of the workbook's tables, again after editing the people file and after
    `caseaudit upgrade-db`."""
    from . import settings
    from .cli import _places
    from .people import load_people, people_path
    from .store import open_store
    from .store.roles import DASHBOARDS, apply_roles, refuse_sqlite, set_password

    db = _places(db, None)[0]
    refuse_sqlite(settings.database_url(db))
    path = people_file if people_file is not None else people_path()
    people = load_people(path)
    store = open_store(db)
    try:
        if user is not None:
            role = _login_of(user, people, path, DASHBOARDS)
            set_password(store.engine, role, _new_password(role))
            click.echo(f"{role} may now sign in with its new password.")
            return
        applied = apply_roles(store.engine, people)
    finally:
        store.dispose()
    counts = ", ".join(f"{n} {_ROLE_NAMES[role]}{'s' if n != 1 else ''}"
                       for role, n in sorted(applied.people.items()))
    click.echo(f"Database roles set from {path}: {counts}.")
    if applied.without_password:
        click.echo("These cannot sign in until their password is set (caseaudit db-roles "
                   f"--set-password USER): {', '.join(applied.without_password)}.")
    if applied.disabled:
        click.echo("No longer in the people file, so their login is switched off: "
                   f"{', '.join(applied.disabled)}.")


def _login_of(user: str, people: Mapping[str, Person], path: Path, dashboards: str) -> str:
    """The database login role whose password is set: the person's, or the dashboard service's."""
    from .errors import WorkbookError

    if user == dashboards:
        return dashboards
    if user not in people:
        raise WorkbookError(f"{user} is not in the people file {path}: add them there, run "
                            "`caseaudit db-roles` to make their login, then set its password. "
                            "Nothing was changed.")
    return people[user].login_role


def _new_password(role: str) -> str:
    """The new password from CASEAUDIT_NEW_PASSWORD, else the first line of standard input (a
    pipe from a password manager), else typed twice at a prompt: never an argument, which any
    account on the server can read in the process list and the shell keeps in its history."""
    from . import settings
    from .errors import WorkbookError

    password = os.environ.get(settings.NEW_PASSWORD_ENV)
    if password is None:
        if sys.stdin.isatty():
            password = click.prompt(f"New password for {role}", hide_input=True,
                                    confirmation_prompt=True)
        else:
            password = sys.stdin.readline().rstrip("\r\n")
    if len(password) < MIN_PASSWORD:
        raise WorkbookError(f"The password for {role} is {'empty' if not password else 'too short'}: "
                            f"give one of at least {MIN_PASSWORD} characters (through "
                            f"{settings.NEW_PASSWORD_ENV}, standard input or the prompt). Nothing "
                            "was changed.")
    return password
