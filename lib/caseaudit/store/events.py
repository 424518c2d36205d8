"""Closing a round and reopening it.

Closing a round makes its forms and moderations final: every save into it (a form, a moderation,
a moderation draft) is refused with who closed it, until the audit lead reopens it with a reason.
Both are kept in ``round_events``, in order, so the round's history says who changed what was
final, when and why.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ..errors import RoundLockedError, StoreError
from .connect import reading, serialise, writing
from .schema import round_events, utcnow


def last_event(conn: Connection, round_id: str) -> sa.Row | None:
    """The round's latest close or reopen, if any."""
    return conn.execute(sa.select(round_events).where(round_events.c.round_id == round_id)
                        .order_by(round_events.c.event_id.desc()).limit(1)).first()


def assert_open(conn: Connection, round_id: str) -> None:
    """Refuse a save into a closed round, inside the save's transaction (so a close cannot slip
    in between the check and the write; on PostgreSQL the close waits for the saves under way)."""
    serialise(conn, "round", round_id, shared=True)
    event = last_event(conn, round_id)
    if event is not None and event.action == "close":
        raise RoundLockedError(
            f"Round {round_id} was closed by {event.by} at {event.at:%Y-%m-%d %H:%M} UTC: its "
            "forms and moderations are final, so nothing was saved. Ask the audit lead to reopen "
            "it (with a reason) first.")


def round_locked(engine: Engine, round_id: str) -> bool:
    """True while the round is closed."""
    with reading(engine) as conn:
        event = last_event(conn, round_id)
    return event is not None and event.action == "close"


def record_event(engine: Engine, round_id: str, action: str, by: str, reason: str) -> None:
    """Close (``action="close"``) or reopen a round, refusing what does not follow from its state."""
    if not by or not by.strip():
        raise StoreError("Say who is closing or reopening the round; nothing was changed.")
    if action == "reopen" and (not reason or not reason.strip()):
        raise StoreError(f"Reopening round {round_id} needs a reason (it is recorded with "
                         "your name); nothing was changed.")
    doing = "the closing" if action == "close" else "the reopening"
    with writing(engine, f"{doing} of round {round_id}") as conn:
        serialise(conn, "round", round_id)
        event = last_event(conn, round_id)
        closed = event is not None and event.action == "close"
        if action == "close" and closed:
            raise RoundLockedError(f"Round {round_id} is already closed (by {event.by}).")
        if action == "reopen" and not closed:
            raise StoreError(f"Round {round_id} is not closed, so it cannot be reopened.")
        conn.execute(round_events.insert().values(round_id=round_id, action=action,
                                                  by=by.strip(), at=utcnow(),
                                                  reason=reason.strip()))


def round_history(engine: Engine, round_id: str) -> pd.DataFrame:
    """Every close and reopen of a round, oldest first, with who, when and why."""
    query = (sa.select(round_events.c.action, round_events.c.by, round_events.c.at,
                       round_events.c.reason)
             .where(round_events.c.round_id == round_id).order_by(round_events.c.event_id))
    with reading(engine) as conn:
        return pd.DataFrame(conn.execute(query).all(), columns=["action", "by", "at", "reason"])
