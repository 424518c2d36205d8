"""The people file: who may sign in to a shared server, and as what.

A partnership's server lists every person once, by their sign-in name on the hub, with one role
(auditor, moderator, QA lead, board viewer); an auditor also names the agency they score for and
the pseudonymous auditor id the rounds know them by. The hub, the forms ("I am" is the signed-in
person, not a choice) and the database roles (``caseaudit db-roles``) all read this one file, so
that what the pages offer and what the database allows cannot drift apart. The file is written by
hand, so every problem is reported with its line and what to do, as for rounds and frameworks.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from . import settings
from ._model import Identifier, _Strict
from ._yaml import ReferenceProblems, read_yaml, validate_model
from .errors import PeopleError, WorkbookError

ROLES = ("auditor", "moderator", "qa_lead", "board_viewer")
Role = Literal["auditor", "moderator", "qa_lead", "board_viewer"]

#: What a role is for, in the words a message to the person who keeps the file uses.
ROLE_MEANINGS = {
    "auditor": "scores forms for their own agency",
    "moderator": "records the multi-agency meeting",
    "qa_lead": "reads everything, runs analyses, closes rounds and records action updates",
    "board_viewer": "reads the dashboards and reports only",
}

#: A hub's sign-in names: JupyterHub lower-cases them, and some authenticators use an e-mail
#: address, hence '@'. 60 characters keep the database login role (``ca_`` + name) within
#: PostgreSQL's 63.
_USER_RE = re.compile(r"^[a-z0-9][a-z0-9._@-]*$")
_USER_MAX = 60


def login_role(user: str) -> str:
    """The PostgreSQL login role of the hub user ``user``: ``ca_`` and the name with every
    character a role name would need quoting for ('.', '-', '@') turned into '_'."""
    return "ca_" + re.sub(r"[^a-z0-9_]", "_", user.lower())


@dataclass(frozen=True)
class Person:
    """One person who may sign in: their hub user name, role and, for an auditor, the agency they
    score for and their pseudonymous auditor id in the rounds."""

    user: str
    role: str
    agency: str | None = None
    auditor: str | None = None

    @property
    def login_role(self) -> str:
        """Their own PostgreSQL login role (see :func:`login_role`)."""
        return login_role(self.user)


class _Entry(_Strict):
    """One person as written in the file."""

    user: str
    role: Role
    agency: Identifier | None = None
    auditor: Identifier | None = None

    @field_validator("user", mode="before")
    @classmethod
    def _sign_in_name(cls, value: object) -> object:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            return value
        if value != value.lower() and _USER_RE.match(value.lower()):
            raise ValueError(f"user {value!r} has capital letters, but the hub lower-cases sign-in "
                             f"names; write it as {value.lower()!r}")
        if not _USER_RE.match(value) or len(value) > _USER_MAX:
            raise ValueError(f"user {value!r} must be the hub sign-in name: lower-case letters, "
                             f"digits, '.', '_', '-' and '@' (no spaces), starting with a letter "
                             f"or digit, up to {_USER_MAX} characters")
        return value

    @field_validator("role", mode="before")
    @classmethod
    def _known_role(cls, value: object) -> object:
        if isinstance(value, str) and value not in ROLES:
            close = difflib.get_close_matches(value.lower().replace(" ", "_"), ROLES, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            listing = "; ".join(f"{r} ({m})" for r, m in ROLE_MEANINGS.items())
            raise ValueError(f"unknown role {value!r}.{hint} Use one of: {listing}")
        return value

    @model_validator(mode="after")
    def _auditor_fields(self) -> _Entry:
        problems: list[tuple[tuple[str | int, ...], str]] = []
        if self.role == "auditor":
            for field, what in (("agency", "the agency they score for, e.g. agency: Pol"),
                                ("auditor", "their pseudonymous auditor id in the rounds, "
                                            "e.g. auditor: POL-1")):
                if getattr(self, field) is None:
                    problems.append(((), f"an auditor needs '{field}': add {what}"))
        else:
            for field in ("agency", "auditor"):
                if getattr(self, field) is not None:
                    problems.append(((field,), f"only an auditor has '{field}' (this person is "
                                               f"{self.role}); remove it"))
        if problems:
            raise ReferenceProblems(problems)
        return self


class _PeopleFile(_Strict):
    people: list[_Entry] = Field(min_length=1)

    @model_validator(mode="after")
    def _each_once(self) -> _PeopleFile:
        problems: list[tuple[tuple[str | int, ...], str]] = []
        users: dict[str, int] = {}
        roles: dict[str, int] = {}
        auditors: dict[str, int] = {}
        for i, entry in enumerate(self.people):
            if entry.user in users:
                problems.append((("people", i, "user"),
                                 f"user '{entry.user}' is listed twice (also at people"
                                 f"[{users[entry.user]}]); list each person once, with one role"))
                continue
            users[entry.user] = i
            role_name = login_role(entry.user)
            if role_name in roles:
                other = self.people[roles[role_name]].user
                problems.append((("people", i, "user"),
                                 f"user '{entry.user}' and '{other}' (people[{roles[role_name]}]) "
                                 f"would share the database login {role_name}, since '.', '-' "
                                 "and '@' all become '_'; one of them must differ in a letter or "
                                 "digit"))
            roles.setdefault(role_name, i)
            if entry.auditor is not None:
                if entry.auditor in auditors:
                    other = self.people[auditors[entry.auditor]].user
                    problems.append((("people", i, "auditor"),
                                     f"auditor id '{entry.auditor}' is already user '{other}''s "
                                     f"(people[{auditors[entry.auditor]}]); each auditor id "
                                     "belongs to one person"))
                auditors.setdefault(entry.auditor, i)
        if problems:
            raise ReferenceProblems(problems)
        return self


def load_people(path: str | Path) -> dict[str, Person]:
    """The people file at ``path``, by hub user name.

    Raises
    ------
    PeopleError
        naming the file, the line and what to do, for every problem found.
    """
    path = Path(path)
    data, lines = read_yaml(path, PeopleError, "people file")
    model = validate_model(_PeopleFile, data, lines, path, PeopleError, "people file")
    return {e.user: Person(e.user, e.role, e.agency, e.auditor) for e in model.people}


def people_path() -> Path:
    """Where the people file is: ``CASEAUDIT_PEOPLE``, else deploy/people.yaml."""
    raw = os.environ.get(settings.PEOPLE_ENV) or settings.DEFAULT_PEOPLE_PATH
    return Path(raw).expanduser().resolve()


def signed_in(people: Mapping[str, Person] | None = None) -> Person | None:
    """The person signed in to the hub (``JUPYTERHUB_USER``), looked up in ``people`` (else the
    people file); ``None`` when not on a hub (a laptop, the tests, ``make demo``).

    Raises
    ------
    WorkbookError
        when the hub's user is not in the people file: the hub let them in, but nobody said what
        they may do, so they get nothing rather than a guess.
    PeopleError
        when the people file cannot be used.
    """
    user = os.environ.get(settings.HUB_USER_ENV, "").strip()
    if not user:
        return None
    where = "the people list given"
    if people is None:
        path = people_path()
        people = load_people(path)
        where = f"the people file {path}"
    person = people.get(user) or people.get(user.lower())
    if person is None:
        raise WorkbookError(f"You are signed in as {user}, but {where} does not list you, so the "
                            "workbook does not know what you may do. Ask whoever runs the server "
                            "to add you with your role.")
    return person
