"""The audit meeting's app (``make moderation``): choose the round and who records, moderate
its cases one by one in :class:`~caseaudit.ui.meeting.ModerationForm`, and close or reopen the
round.

Closing the round is what makes its figures final: every auditor's form and every moderation in
it are locked until the audit lead reopens it, giving a reason. Both are recorded with who and
when, so nothing here happens before the person has said who they are, and closing takes a
second press.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as widgets

from ..errors import WorkbookError
from ..framework import Framework
from ..moderation import moderation_coverage
from ..rounds import AuditRound
from ..store import Store, open_store
from .kit import (
    STYLE,
    ahead_of_request,
    in_web_app,
    message_html,
    open_rounds,
    picker,
    round_picker,
    wait_for_viewer,
)
from .meeting import MEETING_STYLE, ModerationForm


class ModerationApp:
    """Choose the round and who is recording, moderate its cases one by one, and close or reopen
    the round (the web app ``make moderation`` serves). Nothing can be recorded, closed or
    reopened before the person has said who they are."""

    def __init__(self, store: Store | None = None,
                 rounds: Sequence[AuditRound] | None = None) -> None:
        self.store = store or open_store(create=False)
        self.rounds, notice = open_rounds(rounds)
        self.notice = widgets.HTML(notice)
        self.audit: AuditRound | None = None
        self.framework: Framework | None = None  # the round's, loaded once when it is chosen
        self.form: ModerationForm | None = None
        self.round_picker = round_picker(self.rounds)
        self.moderator_picker = picker("I am")
        self.status = widgets.HTML()
        self.status.add_class("ca-round-status")
        self.hint = widgets.HTML()
        self.hint.add_class("ca-app-hint")
        self.reason = widgets.Text(placeholder="Why (recorded with your id); needed to reopen",
                                   description="Reason", style={"description_width": "60px"},
                                   layout=widgets.Layout(width="480px"))
        self.close_button = widgets.Button(description="Close the round",
                                           icon="lock", button_style="warning",
                                           layout=widgets.Layout(width="auto"))
        self.reopen_button = widgets.Button(description="Reopen round", icon="unlock",
                                            layout=widgets.Layout(width="auto"))
        self.close_button.on_click(lambda _: self.close_round())
        self.reopen_button.on_click(lambda _: self.reopen_round())
        self.message = widgets.HTML()
        self.message.add_class("ca-app-message")
        self.body = widgets.VBox()
        self.round_box = widgets.VBox([
            widgets.HTML("<h2>Closing the round</h2><p class=\"ca-hint\">When the meeting has "
                         "moderated every case, closing the round locks every auditor's form and "
                         "every moderation in it. Reopening needs a reason; both are recorded "
                         "with who and when.</p>"),
            widgets.HBox([self.close_button, self.reopen_button]), self.reason, self.message],
            layout=widgets.Layout(display="none"))
        self.round_box.add_class("ca-round-box")
        self._confirm_close = False
        self.round_picker.observe(lambda c: self._choose_round(c["new"]), names="value")
        self.moderator_picker.observe(lambda _: self._show_form(), names="value")
        if self.rounds:
            self.round_picker.value = self.rounds[-1].id

    def widget(self) -> widgets.VBox:
        """The whole app, ready to display."""
        app = widgets.VBox([widgets.HTML(STYLE + MEETING_STYLE), self.notice, self.round_picker,
                            self.moderator_picker, self.hint, self.status, self.body,
                            self.round_box])
        if in_web_app():
            app.add_class("ca-web")
        return app

    def _keep_typing(self) -> None:
        """Keep the open case's unsaved changes as a draft before the form goes or locks."""
        if self.form is not None:
            self.form.flush()

    def _choose_round(self, round_id: str | None) -> None:
        self._keep_typing()
        self.audit = next((r for r in self.rounds if r.id == round_id), None)
        self.body.children = ()
        self.form = None
        self.round_box.layout.display = "none"
        if self.audit is None:
            return
        self.framework = self.audit.load_framework()
        people = [(f"{m} (audit lead)", m) for m in self.audit.moderators]
        people += [(f"{a.id} ({a.agency})", a.id) for a in self.audit.auditors
                   if a.id not in self.audit.moderators]
        self.moderator_picker.options = people
        self.moderator_picker.value = None
        self._show_status()
        self.hint.value = message_html("Choose who is recording the meeting's grades.", "info")

    def _show_form(self) -> None:
        self._keep_typing()
        self._confirm_close = False
        self.message.value = ""
        if self.audit is None or self.moderator_picker.value is None:
            self.body.children = ()
            self.form = None
            self.round_box.layout.display = "none"
            return
        try:
            self.form = ModerationForm(self.store, self.audit, self.moderator_picker.value,
                                       on_saved=lambda _: self._show_status())
        except WorkbookError as exc:
            self.hint.value = message_html(str(exc).splitlines()[0], "error")
            return
        self.hint.value = ""
        self.body.children = (self.form.widget(),)
        self.round_box.layout.display = "flex"

    def refresh(self) -> None:
        """Read the chosen round's state again (closed or open, how many cases moderated): a page
        prepared before it was opened shows the round as it is when it is opened."""
        if self.audit is not None:
            self._show_status()

    def _show_status(self) -> None:
        assert self.audit is not None and self.framework is not None
        history = self.store.round_history(self.audit.id)
        moderated = moderation_coverage(self.store, self.audit, self.framework)
        complete = int(moderated["complete"].sum())
        partly = len(moderated) - complete
        progress = f"{complete} of {len(self.audit.cases)} cases moderated"
        progress += f"; {partly} partly moderated." if partly else "."
        if not history.empty and history.iloc[-1]["action"] == "close":
            last = history.iloc[-1]
            state = (f"Closed by {last['by']} on {last['at']:%d %B %Y at %H:%M} UTC: its forms "
                     "and moderations are final.")
            self.status.value = message_html(f"{state} {progress}", "warn")
        else:
            state = "Open: auditors can still change their forms."
            if not history.empty:
                last = history.iloc[-1]
                state = (f"Reopened by {last['by']} on {last['at']:%d %B %Y at %H:%M} UTC "
                         f"({last['reason']}). " + state)
            self.status.value = message_html(f"{state} {progress}", "info")
        locked = self.store.round_locked(self.audit.id)
        self.close_button.disabled = locked
        self.reopen_button.disabled = not locked

    def _who(self) -> str | None:
        who = self.moderator_picker.value
        if who is None:
            self._say("Choose who you are first: closing and reopening are recorded with your id.",
                      "error")
        return who

    def close_round(self) -> None:
        """Lock the round's forms and moderations; the first press asks for a second."""
        who = self._who()
        if self.audit is None or who is None:
            return
        if not self._confirm_close:
            self._confirm_close = True
            self._say("Closing locks every auditor's form and every moderation in this round. "
                      "Press “Close the round” again to confirm.", "warn")
            return
        self._confirm_close = False
        audit = self.audit
        self._record(lambda: self.store.close_round(audit.id, who, self.reason.value.strip()),
                     f"Round {audit.id} is closed: its forms and moderations are final. The "
                     "audit lead can reopen it, giving a reason.")

    def reopen_round(self) -> None:
        """Unlock the round; the reason is required and recorded with who reopened it."""
        self._confirm_close = False
        who = self._who()
        if self.audit is None or who is None:
            return
        audit = self.audit
        self._record(lambda: self.store.reopen_round(audit.id, who, self.reason.value),
                     f"Round {audit.id} is open again; the reopening is recorded.")

    def _record(self, change: Callable[[], None], done: str) -> None:
        """Close or reopen: a refusal is said and changes nothing; otherwise the case list, the
        open case and then the status are redrawn for the new state."""
        self._keep_typing()
        try:
            change()
        except WorkbookError as exc:
            self._say(str(exc), "error")
            return
        self.reason.value = ""
        if self.form is not None:  # the form first, so the status never announces a lock early
            case_id = self.form.case_picker.value
            self.form.refresh_cases()
            if case_id is not None:
                self.form.open_case(case_id)
        self._show_status()
        self._say(done, "ok")

    def _say(self, text: str, kind: str) -> None:
        """Beside the close and reopen buttons, where the person pressed."""
        self.message.value = message_html(text, kind)


def moderation_app(store: Store | None = None) -> Any:
    """The moderation app, ready to display (the web app's notebook's only call). In the web app
    a problem reading the workbook is a sentence on the page, never a traceback."""
    try:
        app = ModerationApp(store)
        if ahead_of_request():  # a preheated page: the round's state is read again when opened
            wait_for_viewer()
            app.refresh()
        return app.widget()
    except WorkbookError as exc:
        if not in_web_app():
            raise
        return widgets.HTML(f'<p class="ca-problem">{html.escape(str(exc).splitlines()[0])}</p>')
