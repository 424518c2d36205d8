"""The one exception family of the workbook.

Every error a user can cause derives from :class:`WorkbookError`, so a notebook, the command line
or a dashboard can catch one type and show its message. Each subclass carries the facts (file,
place, value) the message is built from, because a message that names the file and the row is one
a non-programmer can act on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


class WorkbookError(Exception):
    """Root of every error the workbook raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an input file: where it is and what to do about it."""

    place: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.place or "(top level)"
        if self.line is not None:
            where = f"line {self.line}, {where}"
        return f"{where}: {self.message}"


class InputFileError(WorkbookError):
    """Raised when a framework, audit round or case list cannot be used as written.

    It lists every problem found, not only the first, so that one edit can fix them all.
    """

    def __init__(self, path: str | Path, problems: Sequence[Problem], what: str = "file") -> None:
        self.path = str(path)
        self.problems = list(problems)
        self.what = what
        lines = [f"{what} {self.path} cannot be used ({len(self.problems)} problem(s)):"]
        lines += [f"  - {p}" for p in self.problems]
        lines.append("  Fix the file and run `caseaudit validate` on it again; nothing was saved.")
        super().__init__("\n".join(lines))


class FrameworkError(InputFileError):
    """Raised when a framework YAML file is malformed or inconsistent."""


class RoundError(InputFileError):
    """Raised when an audit round (audit.yaml or its case list) is malformed or inconsistent."""


class NotFoundError(WorkbookError):
    """Raised when a framework, framework version or audit round asked for does not exist."""


class GradeError(WorkbookError):
    """Raised when a form holds a grade off the scale, an unknown criterion or agency, or a case
    outside the round; checked before anything is written."""

    def __init__(self, problems: Sequence[str], context: str = "") -> None:
        self.problems = list(problems)
        head = f"The form {context} was not saved:" if context else "The form was not saved:"
        super().__init__("\n".join([head, *[f"  - {p}" for p in self.problems]]))


class RecordTakenError(GradeError):
    """Raised when a new observation or feedback record takes an id another person's record of
    the week already holds: two observers pressing "New observation" at once were both offered
    the next number. Nothing is written; the form saves again under the stream's next id."""


class StoreError(WorkbookError):
    """Raised when the database cannot be opened or used: not a database, a newer schema, locked."""


class ConflictError(StoreError):
    """Raised when a save is based on a revision that is no longer the latest.

    Carries who saved in between and when, so the form can say it and offer to reload.
    ``theirs`` names what the reload shows ("their grades"; "their update" for an action).
    """

    def __init__(
        self,
        form: str,
        based_on: int | None,
        latest: int,
        saved_by: str,
        saved_at: str,
        theirs: str = "their grades",
    ) -> None:
        self.form = form
        self.based_on = based_on
        self.latest = latest
        self.saved_by = saved_by
        self.saved_at = saved_at
        opened = "a new form" if based_on is None else f"revision {based_on}"
        super().__init__(
            f"{form} was changed by {saved_by} at {saved_at} (now revision {latest}) after you "
            f"opened {opened}. Your save was refused so that their work is not overwritten: "
            f"reload the form to see {theirs}, then save again."
        )


class RoundLockedError(StoreError):
    """Raised when a form, a moderation or a moderation draft is saved to a closed round (its
    forms and moderations are final); says who closed it and that the audit lead must reopen it,
    with a reason, first."""


class InspectionError(InputFileError):
    """Raised when an inspection file (inspections/<id>/inspection.yaml) is malformed or
    inconsistent."""


class PeopleError(InputFileError):
    """Raised when the people file (who may sign in to a shared server, and as what) is malformed
    or inconsistent. `caseaudit validate` does not read it; db-roles checks it again."""

    def __init__(self, path: str | Path, problems: Sequence[Problem], what: str = "people file") -> None:
        super().__init__(path, problems, what)
        self.args = (str(self).replace("run `caseaudit validate` on it again",
                                       "run `caseaudit db-roles --people FILE` again"),)


class PlanError(InputFileError):
    """Raised when an action plan (inspections/<id>/action_plan.yaml, or the Excel plan read back
    into it) is malformed or inconsistent."""
