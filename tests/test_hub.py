"""The partnership hub's configuration (caseaudit.hub, deploy/jupyterhub_config.py): who may sign
in, which servers each workbook role may have and what it may open, the dashboards as a service
behind the hub's sign-in, and each person's server started with their own database login, its
password passed through the environment from the secrets folder and never on a command line."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from jupyterhub.app import JupyterHub
from jupyterhub.roles import _validate_role_name
from jupyterhub.scopes import _check_scopes_exist
from tornado.web import HTTPError

from caseaudit import hub
from caseaudit.errors import WorkbookError
from caseaudit.people import load_people
from caseaudit.settings import PROJECT_DIR

CONFIG = PROJECT_DIR / "deploy" / "jupyterhub_config.py"
EXAMPLE_PEOPLE = PROJECT_DIR / "deploy" / "people.example.yaml"
DB = "postgresql://db.example:5432/caseaudit"


@pytest.fixture
def people():  # type: ignore[no-untyped-def]
    return load_people(EXAMPLE_PEOPLE)


@pytest.fixture
def secrets_dir(tmp_path: Path, people) -> Path:  # type: ignore[no-untyped-def]
    folder = tmp_path / "db-passwords"
    hub.write_missing_passwords(people, folder)
    return folder


@pytest.fixture
def hub_env(monkeypatch: pytest.MonkeyPatch, secrets_dir: Path, tmp_path: Path) -> dict[str, str]:
    env = {"CASEAUDIT_PEOPLE": str(EXAMPLE_PEOPLE), "CASEAUDIT_HUB_DB": DB,
           "CASEAUDIT_HUB_SECRETS": str(secrets_dir), "CASEAUDIT_AUDITS": str(tmp_path / "audits"),
           "AAD_TENANT_ID": "00000000-0000-0000-0000-000000000000"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


def _spawner(user: str, name: str = "") -> SimpleNamespace:
    return SimpleNamespace(user=SimpleNamespace(name=user), name=name, cmd=["jupyterhub-singleuser"],
                           environment={})


def test_each_role_has_its_own_scopes_and_only_real_ones() -> None:
    roles = {r["name"]: r for r in hub.load_roles()}
    for spec in roles.values():
        _validate_role_name(spec["name"])
        _check_scopes_exist(spec["scopes"])
    assert roles["user"]["scopes"] == ["read:users!user"]  # signing in alone gives no server
    dashboards = "access:services!service=dashboards"
    assert roles["workbook-board-viewer"]["scopes"] == [dashboards]  # no server of their own
    assert roles["workbook-board-viewer"]["groups"] == ["board_viewer"]
    assert dashboards not in roles["workbook-auditor"]["scopes"]
    assert "access:servers!user" in roles["workbook-auditor"]["scopes"]
    for role in ("moderator", "qa-lead"):
        assert {"servers!user", "access:servers!user", dashboards} <= set(roles[f"workbook-{role}"]["scopes"])


def test_groups_hold_the_people_file_by_role(people) -> None:  # type: ignore[no-untyped-def]
    groups = hub.load_groups(people)
    assert groups["auditor"]["users"] == sorted(u for u, p in people.items() if p.role == "auditor")
    assert groups["board_viewer"]["users"] == ["board-1"]
    assert set(groups) == {"auditor", "moderator", "qa_lead", "board_viewer"}


def test_an_auditor_gets_the_apps_with_their_own_database_login(people, hub_env, secrets_dir) -> None:  # type: ignore[no-untyped-def]
    settings = hub.HubSettings.from_environment()
    hook = hub.pre_spawn_hook(people, settings)
    for name, app in (("", "scoring"), ("practice-week", "practice-week")):
        spawner = _spawner("pol-auditor-1", name)
        hook(spawner)
        assert spawner.cmd[1:] == ["-m", "caseaudit.serve", "--app", app]
        env = spawner.environment
        assert env["CASEAUDIT_DB"] == "postgresql://ca_pol_auditor_1@db.example:5432/caseaudit"
        password = (secrets_dir / "ca_pol_auditor_1").read_text().strip()
        assert env["PGPASSWORD"] == password and len(password) >= 24
        assert not any(password in part for part in spawner.cmd)  # never on a command line
        assert env["CASEAUDIT_PEOPLE"] == str(EXAMPLE_PEOPLE.resolve())
        assert env["CASEAUDIT_WEB_APP"] == "1" and env["CASEAUDIT_AUDITS"] == hub_env["CASEAUDIT_AUDITS"]
        assert env["CASEAUDIT_CACHE"] == "~/.cache/caseaudit"  # its own, not shared with other logins


@pytest.mark.parametrize(("user", "server", "says"), [
    ("pol-auditor-1", "lab", "An auditor may have only these servers: the default one (the scoring "
                             "form), 'practice-week' (the practice week's forms); not 'lab'."),
    ("board-1", "", "A board viewer has no server of their own: the dashboards are at "
                    "/services/dashboards/."),
    ("moderator-1", "practice-week", "A moderator may have only these servers"),
    ("someone-else", "", "someone-else is not in the workbook's people file"),
])
def test_a_server_the_role_does_not_have_is_refused_with_the_reason(  # type: ignore[no-untyped-def]
        people, hub_env, user: str, server: str, says: str) -> None:
    spawner = _spawner(user, server)
    with pytest.raises(HTTPError) as refused:
        hub.pre_spawn_hook(people, hub.HubSettings.from_environment())(spawner)
    assert refused.value.status_code == 403 and says in refused.value.log_message
    assert spawner.environment == {} and spawner.cmd == ["jupyterhub-singleuser"]


def test_the_qa_lead_gets_jupyterlab_and_the_moderator_the_meeting(people, hub_env) -> None:  # type: ignore[no-untyped-def]
    hook = hub.pre_spawn_hook(people, hub.HubSettings.from_environment())
    lead, moderator = _spawner("qa-lead-1"), _spawner("moderator-1")
    hook(lead)
    hook(moderator)
    assert Path(lead.cmd[0]).name == "jupyterhub-singleuser" and "--ServerApp.default_url=/lab" in lead.cmd
    assert "CASEAUDIT_WEB_APP" not in lead.environment
    assert lead.environment["CASEAUDIT_DB"].startswith("postgresql://ca_qa_lead_1@")
    assert moderator.cmd[-2:] == ["--app", "moderation"]


def test_a_missing_password_stops_the_start_with_what_to_run(people, hub_env, secrets_dir) -> None:  # type: ignore[no-untyped-def]
    (secrets_dir / "ca_moderator_1").unlink()
    with pytest.raises(HTTPError) as refused:
        hub.pre_spawn_hook(people, hub.HubSettings.from_environment())(_spawner("moderator-1"))
    assert refused.value.status_code == 500
    assert "The database password of ca_moderator_1 is missing" in refused.value.log_message
    assert "python -m caseaudit.hub passwords" in refused.value.log_message


@pytest.mark.parametrize(("database", "says"), [
    ("", "CASEAUDIT_HUB_DB is '': set it to the workbook's PostgreSQL address"),
    ("/srv/workbook.db", "set it to the workbook's PostgreSQL address"),
])
def test_a_hub_without_a_postgresql_address_is_refused(monkeypatch, database: str, says: str) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CASEAUDIT_HUB_DB", database)
    with pytest.raises(WorkbookError, match=says):
        hub.HubSettings.from_environment()


def test_an_address_with_credentials_is_refused() -> None:
    with pytest.raises(WorkbookError, match="names a user or password"):
        hub.database_url("postgresql://owner:secret@db.example/caseaudit", "ca_x")


def test_passwords_are_written_once_readable_by_their_owner_alone(people, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "pw"
    written = hub.write_missing_passwords(people, folder)
    assert {user for user, _ in written} == {*people, "caseaudit_dashboards"}
    assert all(oct(path.stat().st_mode & 0o777) == "0o600" for _, path in written)
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    before = {path: path.read_text() for _, path in written}
    assert hub.write_missing_passwords(people, folder) == []  # nothing replaced
    assert {path: path.read_text() for path in before} == before


def test_the_passwords_command_prints_user_and_file(people, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as done:
        hub.main(["passwords", "--people", str(EXAMPLE_PEOPLE), "--folder", str(tmp_path / "pw")])
    assert done.value.code == 0
    lines = capsys.readouterr().out.splitlines()
    assert f"pol-auditor-1 {tmp_path / 'pw' / 'ca_pol_auditor_1'}" in lines
    assert len(lines) == len(people) + 1


def test_a_board_viewer_lands_on_the_dashboards(people) -> None:  # type: ignore[no-untyped-def]
    where = hub.default_url(people)

    def handler(user: str) -> SimpleNamespace:
        return SimpleNamespace(current_user=SimpleNamespace(name=user), base_url="/",
                               hub=SimpleNamespace(base_url="/hub/"))

    assert where(handler("board-1")) == "/services/dashboards/voila/render/partnership_overview.ipynb"
    assert where(handler("pol-auditor-1")) == "/hub/home"


def test_jupyterhub_loads_the_deploy_configuration(hub_env, secrets_dir, people) -> None:  # type: ignore[no-untyped-def]
    app = JupyterHub()
    app.load_config_file(str(CONFIG))
    assert app.authenticator_class.__name__ == "AzureAdOAuthenticator" or \
        app.config.JupyterHub.authenticator_class == "azuread"
    assert set(app.config.Authenticator.allowed_users) == set(people)
    assert app.allow_named_servers and app.named_server_limit_per_user == 2
    assert app.load_groups == hub.load_groups(people) and app.load_roles == hub.load_roles()
    (service,) = app.services
    assert service["name"] == "dashboards" and service["command"][1:] == ["-m", "caseaudit.serve"]
    assert service["user"] == "caseaudit-dashboards" and service["url"] == hub.DASHBOARDS_SERVICE_URL
    env = service["environment"]
    assert env["CASEAUDIT_DB"] == "postgresql://caseaudit_dashboards@db.example:5432/caseaudit"
    assert env["PGPASSWORD"] == (secrets_dir / "caseaudit_dashboards").read_text().strip()
    assert app.tornado_settings["headers"]["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in app.tornado_settings["headers"]["Content-Security-Policy"]
    assert app.bind_url == "http://127.0.0.1:8000"
    spawner = app.config.Spawner
    assert callable(spawner.pre_spawn_hook) and app.config.JupyterHub.spawner_class == "systemd"
    assert app.config.SystemdSpawner.dynamic_users is True
    moderator = _spawner("moderator-1")
    spawner.pre_spawn_hook(moderator)
    assert moderator.cmd[-2:] == ["--app", "moderation"]
    assert callable(app.default_url)


def test_the_configuration_file_holds_no_secret() -> None:
    """Secrets are read from the environment and files; the file sets none and names no
    database credentials."""
    code = [line for line in CONFIG.read_text().splitlines() if not line.lstrip().startswith("#")]
    assert not [line for line in code if re.search(r"(secret|password|token)\s*=", line, re.I)]
    assert not [line for line in code if re.search(r"postgres(ql)?://[^/\s]*@", line)]
