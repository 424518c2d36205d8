"""What the partnership's JupyterHub is told (deploy/jupyterhub_config.py calls these): who may sign
in and as what, which servers each workbook role may have and what it may open, the dashboards as
a hub service, and what each person's server is started with.

The people file decides everything here, as it decides the database roles (``caseaudit db-roles``)
and who "I am" is in the forms: what the hub offers and what the database allows cannot drift
apart. The hub is the first guard, not the only one: a person's server is theirs alone and signs
in to the database as their own login, so a page the hub should have hidden still cannot read or
write what the database refuses that login.

| role         | servers (name: what it runs)                                | dashboards |
|--------------|-------------------------------------------------------------|------------|
| auditor      | default: the scoring form; practice-week: the week's forms  | no         |
| moderator    | default: the audit meeting's moderation form                | yes        |
| qa_lead      | default: JupyterLab (notebooks, analyses, reports)          | yes        |
| board_viewer | none                                                        | yes        |

The apps run through the workbook's own launcher (no notebooks, no terminal, no file browser:
only the app's page and its kernel); JupyterLab is for the QA lead alone. Importing this module
needs no JupyterHub; :func:`pre_spawn_hook`'s refusal does.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from . import settings
from .errors import WorkbookError
from .page_headers import SECURITY_HEADERS
from .people import ROLES, Person, load_people

#: The hub service that serves the board's dashboards (at /services/dashboards/).
DASHBOARDS_SERVICE = "dashboards"
#: Where the dashboards service listens (the hub's proxy sends /services/dashboards/ there).
DASHBOARDS_SERVICE_URL = "http://127.0.0.1:10101"
#: The system account the dashboards service runs as: not the hub's, which can read every
#: database password, since a page's kernel runs whatever its websocket is sent.
SERVICE_USER_ENV = "CASEAUDIT_HUB_SERVICE_USER"
DEFAULT_SERVICE_USER = "caseaudit-dashboards"
#: The dashboard service's database login (made by ``caseaudit db-roles``): reads the board's
#: aggregate views, writes nothing.
DASHBOARDS_LOGIN = "caseaudit_dashboards"

#: Per workbook role, the servers a person may have: server name ("" is the default one) -> the
#: app it runs (an app of ``caseaudit.serve --app``, or "lab").
SERVERS: dict[str, dict[str, str]] = {
    "auditor": {"": "scoring", "practice-week": "practice-week"},
    "moderator": {"": "moderation"},
    "qa_lead": {"": "lab"},
    "board_viewer": {},
}
#: What each app is, in the words of a refusal.
APP_NAMES = {"scoring": "the scoring form", "practice-week": "the practice week's forms",
             "moderation": "the meeting's moderation form", "lab": "JupyterLab"}
#: The roles that may open the dashboards service (an auditor scores; the board's pages are not
#: theirs to read).
DASHBOARD_READERS = ("moderator", "qa_lead", "board_viewer")

#: Scopes on one's own servers: start and stop them, see them, and open them.
_OWN_SERVERS = ("servers!user", "read:servers!user", "access:servers!user")
_DASHBOARDS = f"access:services!service={DASHBOARDS_SERVICE}"

#: The hub's settings read from the environment (the systemd unit's EnvironmentFile, or a k8s
#: Secret): never written in the configuration file.
HUB_DB_ENV = "CASEAUDIT_HUB_DB"
SECRETS_ENV = "CASEAUDIT_HUB_SECRETS"
DEFAULT_SECRETS_DIR = Path("/etc/caseaudit/db-passwords")
#: The workbook settings a person's server and the dashboards service inherit from the hub.
KEPT_SETTINGS = (settings.AUDITS_ENV, settings.FRAMEWORKS_ENV, settings.INSPECTIONS_ENV,
                 settings.PARTNERSHIP_ENV, settings.SUPPRESSION_THRESHOLD_ENV,
                 settings.MAX_KERNELS_ENV)
#: Each server keeps computed results in its own home (the systemd unit's state directory, the
#: service account's home): a cache shared between logins of different rights would hand one what
#: another's database login read.
OWN_CACHE = "~/.cache/caseaudit"

#: The hub's own pages carry the same headers as the workbook's.
HUB_HEADERS = dict(SECURITY_HEADERS)


def role_scopes(role: str) -> list[str]:
    """The JupyterHub scopes a workbook ``role`` gives: its own servers if it has any, and the
    dashboards service if it reads them. A board viewer has no server of their own."""
    scopes = list(_OWN_SERVERS) if SERVERS[role] else []
    if role in DASHBOARD_READERS:
        scopes.append(_DASHBOARDS)
    return scopes


def load_roles() -> list[dict[str, Any]]:
    """JupyterHub's RBAC roles (``c.JupyterHub.load_roles``): one per workbook role, given to the
    group of the same name, and the hub's default ``user`` role cut down to reading oneself, so
    that signing in alone gives no server (JupyterHub's default gives everyone their own)."""
    roles: list[dict[str, Any]] = [{"name": "user", "description": "Everyone signed in: oneself only.",
                                    "scopes": ["read:users!user"]}]
    for role in ROLES:
        roles.append({"name": f"workbook-{role.replace('_', '-')}",
                      "description": f"The workbook's {role.replace('_', ' ')}s.",
                      "scopes": role_scopes(role), "groups": [role]})
    return roles


def load_groups(people: Mapping[str, Person]) -> dict[str, dict[str, list[str]]]:
    """JupyterHub's groups (``c.JupyterHub.load_groups``): one per workbook role, holding the
    people the file gives that role."""
    return {role: {"users": sorted(p.user for p in people.values() if p.role == role)}
            for role in ROLES}


def database_url(base: str, login: str) -> str:
    """``base`` (the workbook's PostgreSQL URL, with no user or password) signing in as ``login``.
    The password travels separately, in ``PGPASSWORD``, so that the URL can be shown."""
    parts = urlsplit(base)
    if parts.username or parts.password:
        raise WorkbookError(f"{HUB_DB_ENV} names a user or password ({parts.username}@...): give the "
                            "database's address only (postgresql://HOST:PORT/DATABASE); each "
                            "person's server signs in as their own login.")
    return urlunsplit(parts._replace(netloc=f"{login}@{parts.netloc}"))


def read_password(folder: Path, login: str) -> str:
    """The password of database ``login``, from the file of that name in ``folder`` (readable by
    the hub alone). A missing or empty file refuses the start with what to run."""
    path = folder / login
    try:
        password = path.read_text(encoding="utf-8").strip()
    except OSError:
        password = ""
    if not password:
        raise WorkbookError(f"The database password of {login} is missing ({path}). Run "
                            f"`python -m caseaudit.hub passwords` and `caseaudit db-roles "
                            "--set-password` as deploy/README.md says, then start again.")
    return password


@dataclass(frozen=True)
class HubSettings:
    """What the hub's environment says: the people file, the workbook's database and where the
    database passwords are kept, and the workbook settings every server inherits."""

    people_file: Path
    database: str
    secrets_dir: Path
    kept: Mapping[str, str]
    service_user: str = DEFAULT_SERVICE_USER
    python: str = sys.executable

    @classmethod
    def from_environment(cls, env: Mapping[str, str] | None = None) -> HubSettings:
        env = os.environ if env is None else env
        people = env.get(settings.PEOPLE_ENV) or str(settings.DEFAULT_PEOPLE_PATH)
        database = env.get(HUB_DB_ENV, "")
        if not database.startswith(("postgresql://", "postgres://")):
            raise WorkbookError(f"{HUB_DB_ENV} is {database!r}: set it to the workbook's PostgreSQL "
                                "address, postgresql://HOST:PORT/DATABASE (a shared server's "
                                "workbook is on PostgreSQL, whose roles enforce who may do what).")
        return cls(Path(people).expanduser().resolve(), database,
                   Path(env.get(SECRETS_ENV) or DEFAULT_SECRETS_DIR),
                   {name: env[name] for name in KEPT_SETTINGS if env.get(name)},
                   env.get(SERVICE_USER_ENV) or DEFAULT_SERVICE_USER)

    def people(self) -> dict[str, Person]:
        return load_people(self.people_file)

    def workbook_environment(self, login: str) -> dict[str, str]:
        """The environment of a server signing in to the database as ``login``."""
        return {**self.kept, settings.CACHE_ENV: OWN_CACHE,
                settings.DB_ENV: database_url(self.database, login),
                "PGPASSWORD": read_password(self.secrets_dir, login),
                settings.PEOPLE_ENV: str(self.people_file)}


def server_command(app: str, python: str = sys.executable) -> list[str]:
    """What a person's server runs: an app through the workbook's launcher, or JupyterLab."""
    if app == "lab":
        return [str(Path(python).with_name("jupyterhub-singleuser")), "--ServerApp.default_url=/lab"]
    return [python, "-m", "caseaudit.serve", "--app", app]


def spawner_environment(person: Person, server_name: str, hub: HubSettings) -> dict[str, str]:
    """The environment of ``person``'s server ``server_name``: their own database login and its
    password (never on a command line), the people file (so the forms know who is signed in) and
    the workbook settings, plus CASEAUDIT_WEB_APP for an app."""
    env = hub.workbook_environment(person.login_role)
    if SERVERS[person.role].get(server_name) != "lab":
        env[settings.WEB_APP_ENV] = "1"
    return env


def refusal(person: Person | None, user: str, server_name: str) -> str | None:
    """Why ``user`` may not start server ``server_name`` (a sentence for the hub's error page), or
    ``None`` when they may."""
    if person is None:
        return (f"{user} is not in the workbook's people file, so has no server here. Ask whoever "
                "runs the server to add you with your role.")
    allowed = SERVERS[person.role]
    if server_name in allowed:
        return None
    role = person.role.replace("_", " ")
    a_role = ("An " if role[0] in "aeiou" else "A ") + role
    if not allowed:
        return (f"{a_role} has no server of their own: the dashboards are at "
                f"/services/{DASHBOARDS_SERVICE}/.")
    names = ", ".join(f"'{name}' ({APP_NAMES[app]})" if name else f"the default one ({APP_NAMES[app]})"
                      for name, app in allowed.items())
    return f"{a_role} may have only these servers: {names}; not '{server_name}'."


def pre_spawn_hook(people: Mapping[str, Person], hub: HubSettings) -> Callable[[Any], None]:
    """``c.Spawner.pre_spawn_hook``: refuse a server the person's role does not have (403 with the
    reason), else set what it runs and its environment."""

    def hook(spawner: Any) -> None:
        from tornado.web import HTTPError

        user = spawner.user.name
        person = people.get(user)
        why = refusal(person, user, spawner.name)
        if why is not None:
            raise HTTPError(403, why)
        assert person is not None
        try:
            environment = spawner_environment(person, spawner.name, hub)
        except WorkbookError as exc:
            raise HTTPError(500, str(exc)) from None
        spawner.cmd = server_command(SERVERS[person.role][spawner.name], hub.python)
        spawner.environment.update(environment)

    return hook


def dashboards_service(hub: HubSettings) -> dict[str, Any]:
    """The dashboards as a hub-managed service: started with the hub as its own system account,
    reachable only through the hub by people whose role has the scope to open it, signing in to
    the database as the dashboard service's login (aggregate views only)."""
    return {"name": DASHBOARDS_SERVICE, "url": DASHBOARDS_SERVICE_URL, "oauth_no_confirm": True,
            "command": [hub.python, "-m", "caseaudit.serve"], "display": True,
            "user": hub.service_user, "environment": hub.workbook_environment(DASHBOARDS_LOGIN)}


def default_url(people: Mapping[str, Person]) -> Callable[[Any], str]:
    """``c.JupyterHub.default_url``: a board viewer lands on the overview dashboard, everyone else
    on the hub's home page with their servers."""
    overview = f"/services/{DASHBOARDS_SERVICE}/voila/render/{settings.DASHBOARDS[0][0]}"

    def where(handler: Any) -> str:
        user = handler.current_user
        person = people.get(user.name) if user is not None else None
        if person is not None and person.role == "board_viewer":
            return handler.base_url.rstrip("/") + overview
        return handler.hub.base_url + "home"

    return where


def write_missing_passwords(people: Mapping[str, Person], folder: Path) -> list[tuple[str, Path]]:
    """A fresh random password file (readable by its owner alone) for every database login of
    ``people`` and the dashboards service that has none; returns (user, file) for each written,
    for ``caseaudit db-roles --set-password USER < FILE``."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    written = []
    for user, login in [*((p.user, p.login_role) for p in people.values()),
                        (DASHBOARDS_LOGIN, DASHBOARDS_LOGIN)]:
        path = folder / login
        if path.exists():
            continue
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.write(secrets.token_urlsafe(24) + "\n")
        written.append((user, path))
    return written


def main(argv: list[str] | None = None) -> None:
    """``python -m caseaudit.hub passwords [--people FILE] [--folder DIR]``: write the missing
    password files and print ``USER FILE`` for each, one a line."""
    import click

    @click.group()
    def cli() -> None:
        """The partnership hub's helpers (see deploy/README.md)."""

    @cli.command()
    @click.option("--people", "people_file", type=click.Path(path_type=Path), default=None,
                  help="The people file (default: CASEAUDIT_PEOPLE, else deploy/people.yaml).")
    @click.option("--folder", type=click.Path(path_type=Path), default=None,
                  help=f"Where the passwords are kept (default: {SECRETS_ENV}, else {DEFAULT_SECRETS_DIR}).")
    def passwords(people_file: Path | None, folder: Path | None) -> None:
        """Give every database login in the people file (and the dashboards service) a random
        password file if it has none, and print USER FILE for each new one."""
        from .people import people_path

        people = load_people(people_file or people_path())
        target = folder or Path(os.environ.get(SECRETS_ENV) or DEFAULT_SECRETS_DIR)
        for user, path in write_missing_passwords(people, target):
            click.echo(f"{user} {path}")

    try:
        cli.main(argv, prog_name="python -m caseaudit.hub", standalone_mode=True)
    except WorkbookError as exc:
        sys.exit(str(exc))


if __name__ == "__main__":  # pragma: no cover
    main()
