"""The workbook's server behind a partnership's JupyterHub: the dashboards as a hub service, and
each person's app (the scoring form, the practice week's forms, the meeting's form) as their own
single-user server.

JupyterHub starts both with its settings in the environment (``JUPYTERHUB_SERVICE_URL``: where to
listen; ``JUPYTERHUB_SERVICE_PREFIX``: the path the hub's proxy sends there; an API token and OAuth
client for checking who is signed in). The launcher (`caseaudit.voila_app`) then serves there and
lets a request in only with the hub's sign-in and the scopes the hub gave for it
(``access:services!service=dashboards``, ``access:servers!server=<user>/<name>``), using JupyterHub's
own identity provider rather than the server's token: a person signs in once, to the hub, and
nobody passes addresses with tokens around.

Only imported on a hub (``jupyterhub`` is the ``hub`` extra).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from jupyter_server.utils import url_path_join
from jupyterhub.singleuser.extension import JupyterHubAuthorizer, JupyterHubIdentityProvider

#: The hub's settings for a service or server it started; all of them mean "behind a hub".
HUB_SERVICE_ENV = ("JUPYTERHUB_API_TOKEN", "JUPYTERHUB_SERVICE_URL", "JUPYTERHUB_SERVICE_PREFIX")


@dataclass(frozen=True)
class HubPlace:
    """Where the hub wants the server: the address to listen on and the path it is reached by;
    and the hub's API token, for checking who is signed in."""

    ip: str
    port: int
    base_url: str
    api_token: str = field(repr=False)

    def routes(self, routes: list, identity_provider: JupyterHubIdentityProvider) -> list:
        """Voila's ``routes`` with the identity provider's own (the OAuth callback the hub sends a
        signed-in browser back to, and logout) under the server's path: Voila adds them at the
        root, where the hub's proxy never sends anything, so signing in ended in a 404."""
        own = {route[0] for route in identity_provider.get_handlers()}
        return [(url_path_join(self.base_url, route[0]), *route[1:]) if route[0] in own else route
                for route in routes]

    def hand_token_to(self, identity_provider: JupyterHubIdentityProvider) -> None:
        """Give the identity provider the hub's API token, which only it holds (see
        :func:`serve_behind_hub`)."""
        identity_provider.hub_auth.api_token = self.api_token


def hub_place(env: Mapping[str, str]) -> HubPlace | None:
    """Where to serve when a hub started this process (``env`` holds its settings), else ``None``."""
    if not all(env.get(name) for name in HUB_SERVICE_ENV):
        return None
    url = urlparse(env["JUPYTERHUB_SERVICE_URL"])
    prefix = env["JUPYTERHUB_SERVICE_PREFIX"]
    return HubPlace(url.hostname or "127.0.0.1", url.port or 8888,
                    prefix if prefix.endswith("/") else prefix + "/", env["JUPYTERHUB_API_TOKEN"])


class HubIdentityProvider(JupyterHubIdentityProvider):
    """JupyterHub's identity provider for a jupyter server, as Voila creates identity providers:
    Voila hands it a token and a login page, which behind a hub mean nothing (the hub signs people
    in, and its OAuth cookie is the only way in)."""

    def __init__(self, token: str | None = None, login_handler_class: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)


def serve_behind_hub(app: Any) -> HubPlace | None:
    """Set the launcher ``app`` (a Voila application) to serve where the hub says, signing people
    in through the hub and checking the hub's scopes on every request (the page, its kernel's
    websocket, the kernel API); ``None`` (and nothing changed) when no hub started this process."""
    place = hub_place(os.environ)
    if place is None:
        return None
    # Kernels inherit the server's environment (Voila copies it when it fills a pool, before the
    # server answers anyone), and a page's kernel runs whatever its websocket is sent: the hub's
    # API token, which could act as the server, leaves the environment now.
    for name in ("JUPYTERHUB_API_TOKEN", "JPY_API_TOKEN"):
        os.environ.pop(name, None)
    app.ip, app.port, app.port_retries = place.ip, place.port, 0
    app.base_url = place.base_url
    app.identity_provider_class = HubIdentityProvider
    app.authorizer_class = JupyterHubAuthorizer
    app.page = ""
    return place
