"""The base of every form that keeps drafts and handles conflicts (the scoring form and the
meeting's form; the practice-week and action forms to come).

What a person types must never be lost and never silently overwrite someone else's work, so each
such form behaves the same way, and that behaviour lives here once:

* a change is kept as a draft a pause after the last one (``autosave_seconds``), not on every
  keystroke, and :meth:`FormBase.flush` keeps it at once (before switching case or round);
* a save refused because someone else saved meanwhile shows who and when, and offers to reload
  theirs or keep one's own as a new revision on top of it;
* a message about the form as a whole sits above it; what a press did, or why it did not, sits
  beside the button in a bar that, in the web app, stays at the foot of the window;
* a closed round opens read-only, and says so before anyone types.

A subclass says what "open", "the latest saved" and "keep a draft" mean for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

import ipywidgets as widgets

from ..errors import ConflictError
from ..store import Store
from .kit import STYLE, Scheduler, call_later, conflict_panel, in_web_app, message_html

#: Seconds after the last change before the draft is kept: long enough not to save on every
#: keystroke, short enough that a closed laptop lid loses at most a sentence.
AUTOSAVE_SECONDS = 2.0


class Saved(Protocol):
    """A saved revision of what a form holds (a form's revision, a case's moderation)."""

    @property
    def revision_no(self) -> int: ...


class FormBase:
    """A form that keeps drafts and handles conflicts; see the module's docstring."""

    #: The page's style: the forms' shared look, plus a subclass's own.
    style = STYLE
    #: How the conflict panel names what was saved meanwhile ("this form").
    subject = "this form"
    #: After "Nothing has been overwritten:", what the person can do.
    conflict_advice = "compare and choose."
    #: Beside the button, after a refused save: where to choose.
    conflict_choice = "Compare just above and choose."

    def __init__(self, store: Store, autosave_seconds: float = AUTOSAVE_SECONDS,
                 scheduler: Scheduler = call_later) -> None:
        self.store = store
        self.autosave_seconds = autosave_seconds
        self.scheduler = scheduler
        self._pending: Any = None
        self._loading = False  # values put in by the form itself are not the person's changes
        self.dirty = False
        self.locked = False
        self.based_on: int | None = None
        self.message = widgets.HTML()
        self.message.add_class("ca-message")
        self.save_message = widgets.HTML()
        self.save_message.add_class("ca-save-message")
        self.conflict = widgets.VBox()

    # -- what a subclass says -----------------------------------------------------------------------

    def _is_open(self) -> bool:
        """Whether the form holds something that can be saved (a case chosen, its widgets built)."""
        raise NotImplementedError

    def _keep_draft(self) -> object | None:
        """Keep what the form holds as a draft; ``None`` if that was refused (and said)."""
        raise NotImplementedError

    def _latest(self) -> Saved | None:
        """The latest saved revision of what the form holds, as the store has it now."""
        raise NotImplementedError

    def _load(self, latest: Any) -> None:
        """Show ``latest`` (or nothing saved) in the widgets, as unchanged."""
        raise NotImplementedError

    def _save_again(self) -> object | None:
        """Save what the form holds on top of :attr:`based_on` (after "keep mine")."""
        raise NotImplementedError

    def _conflict_table(self) -> str:
        """The HTML comparing theirs and the person's own, under the conflict's explanation."""
        return ""

    def _edited(self) -> None:
        """What else follows a change the person made (a count, marks that the fix removes)."""

    # -- layout -------------------------------------------------------------------------------------

    def _frame(self, parts: Sequence[widgets.Widget], button: widgets.Button,
               beside: widgets.Widget) -> widgets.VBox:
        """The whole form: ``parts`` under the style, then the conflict panel, then the bar with
        ``button`` and ``beside`` it what a press did (at the foot of the window in the web app)."""
        footer = widgets.HBox([button, beside])
        footer.add_class("ca-footer")
        form = widgets.VBox([widgets.HTML(self.style), *parts, self.conflict, footer])
        form.add_class("ca-form")
        if in_web_app():
            form.add_class("ca-web")
        return form

    def _say(self, text: str, kind: str) -> None:
        """A message about the form as a whole, above it (which form, read-only, who you are)."""
        self.message.value = message_html(text, kind)

    def _said(self, text: str, kind: str, items: Iterable[str] = ()) -> None:
        """What a save did, or why it did not, beside the button that was pressed."""
        self.save_message.value = message_html(text, kind, items)

    @contextmanager
    def _quietly(self) -> Iterator[None]:
        """While the form puts values in itself (a saved revision, a draft, new options), they
        are not the person's changes: nothing is marked dirty, nothing is opened."""
        self._loading = True
        try:
            yield
        finally:
            self._loading = False

    def _offer(self, picker: widgets.Dropdown, options: Sequence[tuple[str, str]]) -> None:
        """New options for ``picker`` (labels that say each case's state), quietly: what was
        chosen stays chosen while it is offered."""
        current = picker.value
        with self._quietly():
            picker.options = list(options)
            picker.value = current if current in [value for _, value in options] else None

    # -- the read-only round ------------------------------------------------------------------------

    def _show_lock(self, round_id: str, fields: Iterable[widgets.DOMWidget],
                   button: widgets.Button) -> None:
        """Disable ``fields`` and ``button`` while the round is closed (:attr:`locked`), and say
        so above the form and beside the button, before anyone types, not after a refused save."""
        for field in fields:
            field.disabled = self.locked
        button.disabled = self.locked
        if self.locked:
            self._say(f"Round {round_id} is closed: its forms and moderations are final, and can be "
                      "read but not changed. If something must change, the audit lead can reopen "
                      "it, giving a reason.", "warn")
            self._said("Read-only: the round is closed.", "warn")

    # -- drafts -------------------------------------------------------------------------------------

    def _changed(self) -> None:
        """A widget changed: unless the form put the value there itself, the form is dirty and
        its draft is kept a pause after the last change."""
        if self._loading or self.locked or not self._is_open():
            return
        self.dirty = True
        self._edited()
        self._cancel_pending()
        self._pending = self.scheduler(self.autosave_seconds, self.flush)

    def _cancel_pending(self) -> None:
        if self._pending is not None and hasattr(self._pending, "cancel"):
            self._pending.cancel()
        self._pending = None

    def flush(self) -> Any:
        """Keep pending changes as a draft now (the autosave calls this); ``None`` when there is
        nothing to keep or it was refused."""
        self._cancel_pending()
        if not self.dirty or self.locked or not self._is_open():
            return None
        return self._keep_draft()

    def _saved(self, revision_no: int) -> None:
        """After a save the store accepted: the form is clean, based on the new revision."""
        self.based_on = revision_no
        self._cancel_pending()
        self.dirty = False
        self.conflict.children = ()

    # -- conflicts ----------------------------------------------------------------------------------

    def _show_conflict(self, exc: ConflictError) -> None:
        """Someone else saved since :attr:`based_on`: nothing was written; show who and when, and
        the two ways on."""
        self.conflict.children = conflict_panel(
            f"{exc.saved_by} saved {self.subject} at {exc.saved_at} (revision {exc.latest}) after "
            f"you opened it. Nothing has been overwritten: {self.conflict_advice}",
            self._conflict_table(), self.reload, self.keep_mine)
        self._said(f"Not saved: someone else changed {self.subject}. {self.conflict_choice}",
                   "error")

    def reload(self) -> None:
        """Drop unsaved changes and show the latest saved revision."""
        self._cancel_pending()
        self.conflict.children = ()
        self.save_message.value = ""
        self._load(self._latest())

    def keep_mine(self) -> Any:
        """Save what the form holds as a new revision on top of the other person's."""
        latest = self._latest()
        self.based_on = latest.revision_no if latest else None
        self.dirty = True
        return self._save_again()
