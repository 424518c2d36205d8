"""The store: every saved form and moderation, as append-only revisions, in SQLite or PostgreSQL.

This package is the only code that talks to the database. It keeps the scoring forms (a practice
week's records of every stream among them, with their stream details), the meeting's moderations
and the progress updates on an inspection's actions. Three rules shape it:

* **Nothing is overwritten.** A save appends a revision in one transaction; the logs refuse UPDATE
  and DELETE, so any earlier state can be read back "as of" a time.
* **No save is silently lost.** A save names the revision it was based on; a save based on an
  older one is refused with who saved in between, and when.
* **Check before writing.** A form or moderation is checked against its round and framework
  before the transaction opens, so a bad one writes nothing.

Its modules, in the order a save goes through them:

``checks``     a form's, a moderation's and an action update's checks, side by side
``revisions``  the revision engine (head pointer, stale-save refusal) for forms, moderations,
               action updates and the drafts of the last two
``events``     closing and reopening a round
``reads``      current responses, grade counts, histories, statuses, moderation reads, actions'
               statuses
``schema``     the tables, the schema version, creating a database
``migrate``    which schema a database is at, and upgrading it through the Alembic scripts in
               ``migrations/`` (``caseaudit upgrade-db``)
``backup``     ``caseaudit backup`` and ``restore`` on SQLite; ``backup_pg`` on PostgreSQL
``connect``    opening a database, SQLite's settings, transactions, the database's errors as
               messages
``records``    what the store takes and gives back (:class:`FormSave`, :class:`Revision`...)
``facade``     :class:`Store`, which the rest of the workbook holds, and :func:`open_store`
"""

from ..errors import RoundLockedError
from ..framework import NOT_APPLICABLE
from .checks import ModerationRefused, UpdateRefused, case_criteria, check_form, check_moderation
from .facade import Store, open_store
from .records import (
    ActionDraft,
    ActionUpdate,
    ActionUpdateSave,
    FormKey,
    FormSave,
    Moderation,
    ModerationDraft,
    ModerationSave,
    Revision,
    StreamDetails,
)
from .schema import SCHEMA_VERSION

__all__ = [
    "NOT_APPLICABLE",
    "SCHEMA_VERSION",
    "ActionDraft",
    "ActionUpdate",
    "ActionUpdateSave",
    "FormKey",
    "FormSave",
    "Moderation",
    "ModerationDraft",
    "ModerationRefused",
    "ModerationSave",
    "Revision",
    "RoundLockedError",
    "Store",
    "StreamDetails",
    "UpdateRefused",
    "case_criteria",
    "check_form",
    "check_moderation",
    "open_store",
]
