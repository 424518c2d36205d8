"""Who the auditor is, without asking where possible.

Auditors open the scoring form many times over a round, in JupyterLab, on a shared JupyterHub or
as a web page, and choosing oneself from a list each time is both tedious and a way to save a
form under someone else's id. So the form asks the place it runs in first: JupyterHub's login,
the web app's address, or the small settings file a notebook session left behind.

On a partnership's hub (``JUPYTERHUB_USER`` set and a people file present) the sign-in decides
alone: "I am" shows only the signed-in person and cannot be changed, neither an address's
``?auditor=`` nor a form's argument names anyone else, and a person who is not one of the round's
auditors is told so instead of being shown a form.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from .. import settings
from ..errors import WorkbookError
from ..people import ROLE_MEANINGS, Person, people_path, signed_in
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


class NotAnAuditorHere(WorkbookError):
    """The person signed in to the hub does not score this round: the form refuses them."""


def hub_person() -> Person | None:
    """The person signed in to the partnership's hub, from the people file; ``None`` off a hub
    (no ``JUPYTERHUB_USER``, or no people file: a laptop, the tests, ``make demo``).

    Raises
    ------
    WorkbookError
        when the hub's user is not in the people file, or the file cannot be used.
    """
    if not os.environ.get(settings.HUB_USER_ENV, "").strip() or not people_path().is_file():
        return None
    return signed_in()


def hub_auditor(audit: AuditRound) -> Auditor | None:
    """On a hub, the round's auditor the signed-in person is; ``None`` off a hub.

    Raises
    ------
    NotAnAuditorHere
        saying why, when the signed-in person is not one of ``audit``'s auditors (or is not in the
        people file at all): they get a refusal instead of a form.
    """
    try:
        person = hub_person()
    except WorkbookError as exc:
        raise NotAnAuditorHere(str(exc)) from None
    if person is None:
        return None
    if person.role != "auditor" or person.auditor is None:
        raise NotAnAuditorHere(
            f"You are signed in as {person.user}, a {person.role.replace('_', ' ')} (who "
            f"{ROLE_MEANINGS[person.role]}): this form is for the auditors of round {audit.id}, so it "
            "is not shown to you. If you should be scoring, ask whoever runs the server to list "
            "you as an auditor in the people file.")
    auditor = audit.auditors_by_id.get(person.auditor)
    if auditor is None:
        raise NotAnAuditorHere(
            f"You are signed in as {person.user} (auditor {person.auditor}), who is not among the "
            f"auditors of round {audit.id}, so this form is not shown to you. If you should be "
            f"scoring it, ask your audit lead to add {person.auditor} to the round's audit.yaml.")
    return auditor


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
    recognises people the same way; returns who was chosen, ``None`` when nobody was.

    On a hub the picker offers only the signed-in person and is disabled.

    Raises
    ------
    NotAnAuditorHere
        on a hub, when the signed-in person does not score ``audit`` (the picker is left empty).
    """
    try:
        on_hub = hub_auditor(audit)
    except NotAnAuditorHere:
        picker.options, picker.disabled = [], True
        raise
    if on_hub is not None:
        picker.options = [(f"{on_hub.id} ({on_hub.agency})", on_hub.id)]
        picker.value, picker.disabled = on_hub.id, True
        return on_hub
    picker.disabled = False
    picker.options = [(f"{a.id} ({a.agency})", a.id) for a in audit.auditors]
    known = audit.auditors_by_id.get(preset) if preset else identify_auditor(audit, remembered)
    picker.value = known.id if known else None
    return known


def choose_who(picker: widgets.Dropdown, audit: AuditRound, preset: str | None, remembered: bool,
               hint: str) -> tuple[str, str] | None:
    """:func:`offer_auditors` as every form opening a round calls it: what the form then says
    above itself, as (text, kind): on a hub, why the signed-in person gets no form; ``hint`` when
    nobody is chosen yet; ``None`` when someone is."""
    try:
        known = offer_auditors(picker, audit, preset, remembered)
    except NotAnAuditorHere as exc:  # signed in to the hub as someone who does not score it
        return str(exc), "error"
    return (hint, "info") if known is None else None


def recognise_next_time(auditor: Auditor, remembered: bool, lead: str) -> str:
    """Keep who was just chosen for next time (JupyterLab's settings file), or, in the web app,
    which has none, the sentence asking them to bookmark an address naming them (``lead``: who
    can send it, "your audit lead"); "" when nothing needs saying."""
    if hub_person() is not None:  # the sign-in recognises them every time
        return ""
    web = in_web_app()
    if remembered and not web:
        remember_auditor(auditor)
    if web and auditor_from_address() != auditor.id:
        return (f"To be recognised next time, add &auditor={auditor.id} to the end of this page's "
                f"address and bookmark it ({lead} can send you that address).")
    return ""
