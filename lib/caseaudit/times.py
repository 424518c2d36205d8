"""A time a person types (``--as-of``), read one way by every command that takes one; and a day,
or a list of things, written the way a committee paper writes them.

The store keeps times in UTC; a date alone is the start of that day, and a time without an
offset is UTC, so the same text always names the same moment whichever command reads it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from .errors import WorkbookError


def parse_as_of(text: str | None) -> datetime | None:
    """``text`` as an aware UTC time; ``None`` (or blank) for the store as it is now. A time in
    the future is left for the caller to refuse, since only it knows what "now" it reads."""
    if text is None or not str(text).strip():
        return None
    try:
        moment = datetime.fromisoformat(str(text).strip())
    except ValueError:
        raise WorkbookError(f"--as-of {str(text)!r} is not a date or time the workbook can read; "
                            "write it as 2026-05-01 (the start of that day, UTC) or "
                            "2026-05-01T17:30 (UTC unless an offset such as +01:00 is "
                            "given).") from None
    return moment.astimezone(UTC) if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def long_date(day: date) -> str:
    """``27 November 2026``: how a committee paper (and the command line, about an inspection)
    writes a date."""
    return f"{day.day} {day:%B %Y}"


def listing(parts: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
