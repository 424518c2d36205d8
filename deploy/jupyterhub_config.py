# JupyterHub for the caseaudit workbook on one server (deploy/README.md says how to install it).
#
# Every secret comes from the environment (the systemd unit's EnvironmentFile, readable by root
# alone) or from files; none is written here, and none is ever on a command line:
#   OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, OAUTH_CALLBACK_URL, AAD_TENANT_ID   sign-in (Azure AD)
#   CASEAUDIT_HUB_DB        the workbook's PostgreSQL address, no user or password:
#                           postgresql://HOST:5432/caseaudit
#   CASEAUDIT_HUB_SECRETS   the folder of database passwords, one file per login (root only;
#                           default /etc/caseaudit/db-passwords; `python -m caseaudit.hub passwords`)
#   CASEAUDIT_PEOPLE        the people file: who may sign in and as what
#   CASEAUDIT_AUDITS, CASEAUDIT_INSPECTIONS, CASEAUDIT_PARTNERSHIP, ...  passed on to every server
#
# What each role may have and open is decided in caseaudit.hub (see its table), tested there.
import os

from caseaudit import hub

c = get_config()  # noqa: F821 (JupyterHub's config loader provides it)

settings = hub.HubSettings.from_environment()
people = settings.people()

# -- sign-in ---------------------------------------------------------------------------------
# A council signs its staff in with its own identity provider. Azure AD (Entra ID) through
# oauthenticator; for another OpenID Connect provider use "generic-oauth" and its settings. The
# sign-in name is the person's user principal name, lower-cased, as the people file lists them.
c.JupyterHub.authenticator_class = "azuread"
c.AzureAdOAuthenticator.username_claim = "preferred_username"
c.Authenticator.allowed_users = set(people)  # the people file says who may sign in at all
c.Authenticator.admin_users = set(filter(None, os.environ.get("CASEAUDIT_HUB_ADMINS", "").split(",")))

# -- roles: who may have which server and open what --------------------------------------------
c.JupyterHub.load_groups = hub.load_groups(people)
c.JupyterHub.load_roles = hub.load_roles()
c.JupyterHub.allow_named_servers = True  # an auditor's second server: the practice week's forms
c.JupyterHub.named_server_limit_per_user = max(len(servers) for servers in hub.SERVERS.values())
c.JupyterHub.default_url = hub.default_url(people)

# -- the dashboards, as a service behind the hub's sign-in -------------------------------------
c.JupyterHub.services = [hub.dashboards_service(settings)]

# -- each person's server ----------------------------------------------------------------------
# Its own transient systemd unit under a dynamic user: a person's kernel cannot read another's
# files nor the password folder. The environment (with the person's database password) reaches
# it in an environment file, never on a command line.
c.JupyterHub.spawner_class = "systemd"
c.SystemdSpawner.dynamic_users = True
c.SystemdSpawner.mem_limit = os.environ.get("CASEAUDIT_SERVER_MEMORY", "2G")
c.Spawner.pre_spawn_hook = hub.pre_spawn_hook(people, settings)
c.Spawner.http_timeout = 120  # a form's first page runs its notebook: give it time to answer

# -- the hub itself ----------------------------------------------------------------------------
c.JupyterHub.bind_url = "http://127.0.0.1:8000"  # nginx terminates TLS in front (deploy/nginx-caseaudit.conf)
c.JupyterHub.db_url = "sqlite:////var/lib/jupyterhub/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "/var/lib/jupyterhub/jupyterhub_cookie_secret"
c.JupyterHub.tornado_settings = {"headers": hub.HUB_HEADERS}
c.JupyterHub.cookie_max_age_days = 1  # a shared office computer forgets the session within a day
