"""Who the auditor is, without asking where possible.

Auditors open the scoring form many times over a round, in JupyterLab, on a shared JupyterHub or
as a web page, and choosing oneself from a list each time is both tedious and a way to save a
form under someone else's id. So the form asks the place it runs in first: JupyterHub's login,
the web app's address, or the small settings file a notebook session left behind.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from .. import settings
from ..rounds import Auditor, AuditRound
from .kit import in_web_app

if TYPE_CHECKING:
    import ipywidgets as widgets


def settings_path() -> Path:
    """The small local file remembering who the auditor is (``CASEAUDIT_SETTINGS`` overrides)."""
    raw = os.environ.get(settings.SETTINGS_ENV)
    return Path(raw).expanduser() if raw else Path.home() / ".config" / "caseaudit" / "auditor.json"


def remembered_auditor() -> dict[str, str] | None:
    """The auditor id and agency kept from a previous session, if any."""
    path = settings_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(data, dict) and isinstance(data.get("auditor"), str):
        return {"auditor": data["auditor"], "agency": str(data.get("agency", ""))}
    return None


def remember_auditor(auditor: Auditor) -> None:
    """Keep the auditor's pseudonymous id and agency for next time."""
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"auditor": auditor.id, "agency": auditor.agency}), encoding="utf-8")


def auditor_from_address() -> str | None:
    """The auditor named in the web app's address (``...?token=...&auditor=AUD-POL-1``).

    A web page has no local settings file to remember its auditor in, so the audit lead gives each
    auditor an address that names them; the id is only ever compared with the round's auditors,
    never written into the page as given.
    """
    if not in_web_app():
        return None
    try:
        from voila.utils import get_query_string  # waits for the request in a preheated kernel

        query = get_query_string() or ""
    except (ImportError, OSError):
        query = os.environ.get(settings.QUERY_STRING_ENV, "")
    values = parse_qs(query).get("auditor")
    return values[0].strip() if values else None


def identify_auditor(audit: AuditRound, remembered: bool = True) -> Auditor | None:
    """Who is scoring, without asking where possible: ``JUPYTERHUB_USER`` on a shared server, the
    web app's address, else (``remembered``) the settings kept from last time; ``None`` if none
    names one of the round's auditors."""
    for candidate in (os.environ.get(settings.HUB_USER_ENV), auditor_from_address()):
        if candidate and candidate in audit.auditors_by_id:
            return audit.auditors_by_id[candidate]
    kept = remembered_auditor() if remembered else None
    if kept and kept["auditor"] in audit.auditors_by_id:
        return audit.auditors_by_id[kept["auditor"]]
    return None


def offer_auditors(picker: widgets.Dropdown, audit: AuditRound, preset: str | None,
                   remembered: bool = True) -> Auditor | None:
    """Fill a form's "I am" ``picker`` with the round's auditors and choose the one the place
    names (``preset``, the form's own argument, else :func:`identify_auditor`), so every form
    recognises people the same way; returns who was chosen, ``None`` when nobody was."""
    picker.options = [(f"{a.id} ({a.agency})", a.id) for a in audit.auditors]
    known = audit.auditors_by_id.get(preset) if preset else identify_auditor(audit, remembered)
    picker.value = known.id if known else None
    return known


def recognise_next_time(auditor: Auditor, remembered: bool, lead: str) -> str:
    """Keep who was just chosen for next time (JupyterLab's settings file), or, in the web app,
    which has none, the sentence asking them to bookmark an address naming them (``lead``: who
    can send it, "your audit lead"); "" when nothing needs saying."""
    web = in_web_app()
    if remembered and not web:
        remember_auditor(auditor)
    if web and auditor_from_address() != auditor.id:
        return (f"To be recognised next time, add &auditor={auditor.id} to the end of this page's "
                f"address and bookmark it ({lead} can send you that address).")
    return ""
