"""The building blocks every validated input model shares: strict models, ids and versions.

They sit apart from the framework so that the models around it (streams of a practice week,
rounds, inspections, plans) can use them without importing one another in a circle.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

Identifier = Annotated[
    str,
    Field(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$"),
]


def _version_is_text(value: object) -> object:
    """YAML reads ``version: 1.10`` as the number 1.1; asking for quotes keeps versions exact."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError(f"write the version in quotes, e.g. version: \"{value}\"")
    return value


Version = Annotated[
    str,
    BeforeValidator(_version_is_text),
    Field(min_length=1, max_length=40, pattern=r"^[0-9A-Za-z][0-9A-Za-z._-]*$"),
]


class _Strict(BaseModel):
    """Unknown or misspelt fields are errors, never silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def listed_twice(field: str, ids: Sequence[str], by_id: bool = True
                 ) -> list[tuple[tuple[str | int, ...], str]]:
    """Each id of the list ``field`` that is listed again, placed at its second listing (at the
    entry's ``id`` when ``by_id``, the entry itself for a list of plain ids), naming the first:
    the one wording of the rule for every list of a round."""
    problems: list[tuple[tuple[str | int, ...], str]] = []
    first: dict[str, int] = {}
    for i, ident in enumerate(ids):
        if ident in first:
            problems.append(((field, i, "id") if by_id else (field, i),
                             f"'{ident}' is listed twice (also at {field}[{first[ident]}]); "
                             "each must be listed once"))
        first.setdefault(ident, i)
    return problems
