"""The building blocks every validated input model shares: strict models, ids and versions.

They sit apart from the framework so that the models around it (streams of a practice week,
rounds, inspections, plans) can use them without importing one another in a circle.
"""

from __future__ import annotations

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
