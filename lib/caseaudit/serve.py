"""Serving the dashboards with Voila, the same way for `make demo`, a real server and the tests.

Voila serves only ``notebooks/dashboards/``, on 127.0.0.1, behind a token (``VOILA_TOKEN``, else a
fresh random one), without code cells or tracebacks in the page, and culls kernels of closed tabs.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from . import settings

DASHBOARDS_DIR = settings.PROJECT_DIR / "notebooks" / "dashboards"
DEFAULT_PORT = 8866


def voila_command(folder: Path, port: int, token: str, extra: Sequence[str] = ()) -> list[str]:
    """The Voila command line for ``folder``: token on, sources and tracebacks off."""
    return [
        sys.executable, "-m", "voila", str(folder),
        "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1", f"--token={token}",
        "--strip_sources=True", "--show_tracebacks=False",
        "--VoilaExecutor.timeout=120",
        "--MappingKernelManager.cull_interval=60", "--MappingKernelManager.cull_idle_timeout=300",
        *extra,
    ]


def dashboard_url(port: int, token: str, notebook: str = "partnership_overview.ipynb") -> str:
    """The address a person opens to read ``notebook``."""
    return f"http://127.0.0.1:{port}/voila/render/{notebook}?token={token}"


@click.command()
@click.option("--demo/--no-demo", default=False, help="Serve the synthetic demo partnership.")
@click.option("--folder", type=click.Path(path_type=Path, file_okay=False), default=DASHBOARDS_DIR,
              show_default=True)
def main(demo: bool, folder: Path) -> None:
    """Serve the dashboards; port from PORT (default 8866), token from VOILA_TOKEN."""
    port = int(os.environ.get("PORT") or DEFAULT_PORT)
    token = os.environ.get("VOILA_TOKEN") or secrets.token_urlsafe(24)
    env = dict(os.environ)
    if demo:
        env[settings.DB_ENV] = str(settings.DEMO_DB_PATH)
        env[settings.AUDITS_ENV] = str(settings.DEMO_AUDITS_DIR)
    click.echo("")
    click.echo("The dashboards are being served. Open this address in your browser:")
    click.echo(f"    {dashboard_url(port, token)}")
    click.echo(f"(database: {settings.database_url(env.get(settings.DB_ENV))}; "
               "press Ctrl+C to stop)")
    click.echo("", nl=True)
    sys.stdout.flush()
    os.execve(sys.executable, voila_command(folder, port, token), env)


if __name__ == "__main__":  # pragma: no cover
    main()
