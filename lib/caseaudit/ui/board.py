"""What every board dashboard shares: a round picker above the round's view, drawn once per
state of the store, ready before anyone asks for it on a preheated page.

A dashboard subclasses :class:`RoundDashboard` with how it computes a round's results and how it
renders them (:meth:`RoundDashboard.compute`, :meth:`RoundDashboard.render`); everything else,
switching rounds, drawing ahead, refreshing after a save and saying plainly what went wrong, is
here once. No case id, free text, auditor, code or traceback reaches the page (a failure shows a
plain sentence, and the details go to the server log).
"""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence
from typing import Any, ClassVar

import ipywidgets as widgets

from .. import settings
from ..errors import WorkbookError
from ..practice_week import without_practice_weeks
from ..results import RoundResults, round_results
from ..rounds import AuditRound, scan_rounds
from ..store import Store, open_store
from .findings import render_symbols, symbols_on
from .kit import ahead_of_request, wait_for_viewer

log = logging.getLogger("caseaudit")

STYLE = """
<style>
.ca-cards {display:flex; flex-wrap:wrap; gap:12px; margin:8px 0 16px 0;}
.ca-card {border:1px solid #d0d7de; border-radius:6px; padding:10px 14px; min-width:150px;}
.ca-card .ca-value {font-size:1.6em; font-weight:600;}
.ca-card .ca-label {color:#555; font-size:0.9em;}
.ca-note {color:#555; font-size:0.9em;}
.ca-table th {text-align:left; padding:4px 12px 4px 0; border-bottom:1px solid #d0d7de;}
.ca-table td {padding:3px 12px 3px 0;}
.ca-loading {border:1px solid #d0d7de; border-radius:6px; background:#f6f8fa; padding:14px 18px;
             font-size:1.2em; color:#333; margin:8px 0;}
</style>
"""

NAV_STYLE = """
<style>
.ca-nav ul {display:flex; gap:18px; list-style:none; margin:0 0 10px 0; padding:0;}
.ca-nav a {font-size:1.05em; color:#0b57a4;}
.ca-nav a[aria-current="page"] {font-weight:700; color:#1f2328; text-decoration:none;}
</style>
"""


def dashboard_links(current: str) -> str:
    """The links between the board's dashboards, the one on show marked as such (in words for a
    screen reader, in bold for the eye). Relative, so they keep the server's address and the
    sign-in the page was opened with."""
    items = "".join(
        f'<li><a href="{html.escape(page)}"'
        + (' aria-current="page"' if page == current else "") + f">{html.escape(name)}</a></li>"
        for page, name in settings.DASHBOARDS)
    return f'{NAV_STYLE}<nav class="ca-nav" aria-label="Board dashboards"><ul>{items}</ul></nav>'


#: What the page shows, where the round picker is, while a newly chosen round is drawn.
LOADING = (STYLE + '<div class="ca-loading" data-state="loading" role="status">'
           "Loading the round…</div>")


class _Drawn:
    """A round as drawn under one state of the store (its ``marker``): the widgets on the page,
    or, for a round drawn ahead and not shown yet, only their HTML."""

    def __init__(self, marker: object, items: Sequence[widgets.HTML]) -> None:
        self.marker = marker
        self._items: tuple[widgets.HTML, ...] | None = tuple(items)
        self._content: tuple[str, ...] = ()

    def set_aside(self) -> None:
        """Keep the content only, closing the widgets (each widget lives in the page's state)."""
        if self._items is None:
            return
        self._content = tuple(w.value for w in self._items)
        for item in self._items:
            # a widget's layout and style are widgets of their own
            for part in (getattr(item, "style", None), item.layout):
                if part is not None:
                    part.close()
            item.close()
        self._items = None

    def widgets(self) -> tuple[widgets.HTML, ...]:
        if self._items is None:
            self._items = tuple(widgets.HTML(value) for value in self._content)
        return self._items


class RoundDashboard:
    """A round picker above a view of the chosen round (the latest by default); a dashboard says
    what it shows of a round's results (:meth:`view`), and how they are computed if not by
    :func:`round_results` (:meth:`compute`).

    Built once, it can be brought up to date cheaply: :meth:`refresh` redraws only when the
    store has changed since the round was drawn, so a page prepared before anyone asked for it
    shows the figures as they are when it is opened.
    """

    #: Which of :data:`~caseaudit.settings.DASHBOARDS` this is (its links at the top); none for
    #: a dashboard elsewhere.
    page: ClassVar[str] = ""
    #: What the picker chooses, and what the page says when there is none of it.
    picker_label: ClassVar[str] = "Audit round"
    nothing_yet: ClassVar[str] = "There are no audit rounds to show yet."

    def __init__(self, store: Store | None = None, rounds: Sequence[AuditRound] | None = None,
                 threshold: int | None = None) -> None:
        self.threshold = threshold
        self.message = widgets.HTML()
        self.notice = widgets.HTML()  # round folders that could not be read, if any
        self.body = widgets.VBox()
        self.store = store
        self.rounds: list[AuditRound] = []
        self.shown: str | None = None  # the round drawn in the body, and the store's state then
        self.drawn_at: object = None
        self._drawn: dict[str, _Drawn] = {}  # each round drawn, for switching to it again
        try:
            self.store = store or open_store(create=False)
            if rounds is not None:
                self.rounds = list(rounds)
            else:  # one broken round folder must not take the others down
                found = scan_rounds()
                self.rounds, set_apart = self.choose(found.rounds)
                self.notice.value = "".join([*(problem("A round is not shown. " + b.message)
                                               for b in found.broken), *set_apart])
        except WorkbookError as exc:
            log.error("dashboard could not start: %s", exc)
            self.message.value = problem("The dashboard cannot read the workbook: "
                                         + str(exc).splitlines()[0])
        options = [(self.option(r), r.id) for r in reversed(self.rounds)]
        self.picker = widgets.Dropdown(options=options, description=self.picker_label,
                                       layout=widgets.Layout(width="640px"),
                                       style={"description_width": "initial"})
        self.picker.observe(lambda change: self.show(change["new"]), names="value")
        top = [widgets.HTML(dashboard_links(self.page))] if self.page else []
        self._widget = widgets.VBox([*top, self.picker, self.notice, self.message, self.body])

    def choose(self, rounds: Sequence[AuditRound]) -> tuple[list[AuditRound], list[str]]:
        """The rounds of the audits folder this dashboard offers, and a paragraph (HTML) for each
        left out: a case-audit page leaves practice weeks out and says where their summary is."""
        kept, said = without_practice_weeks(rounds)
        link = ' Its summary is on the <a href="practice_week.ipynb">practice week dashboard</a>.'
        return kept, [f'<p class="ca-note">{html.escape(text)}{link}</p>' for text in said]

    def option(self, audit: AuditRound) -> str:
        """How the picker names a round: its title and the month it started."""
        return f"{audit.title} ({audit.period.start:%b %Y})"

    def widget(self) -> widgets.VBox:
        """The whole dashboard, ready to display."""
        return self._widget

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        """Shown as its widget, so a notebook can keep the dashboard and display it at once."""
        return self._widget._repr_mimebundle_(**kwargs)

    def show(self, round_id: str | None) -> None:
        """Draw the view of ``round_id`` into the dashboard, saying so while it is drawn."""
        if round_id is None or self.store is None:
            self.body.children = ()
            if not self.message.value:
                self.message.value = problem(self.nothing_yet)
            return
        self.body.children = (widgets.HTML(LOADING),)  # just below the picker just used
        audit = next(r for r in self.rounds if r.id == round_id)
        try:
            marker = self.store.last_change()
            drawn = self._drawn.get(round_id)
            if drawn is None or drawn.marker != marker:  # not drawn yet, or the store changed
                drawn = self._draw(audit, marker)
            items = drawn.widgets()
        except Exception as exc:  # a page must never show a traceback; the log keeps it
            self.body.children = ()
            self.message.value = failure(exc, f"round {round_id}")
            return
        self.message.value = ""
        self.body.children = items
        self.shown, self.drawn_at = round_id, marker

    def compute(self, audit: AuditRound) -> RoundResults:
        """The round's results (cached by the store's state, see :func:`round_results`)."""
        return round_results(self.store, audit, self.rounds)  # type: ignore[arg-type]

    def view(self, results: RoundResults) -> list[widgets.HTML]:
        """What the dashboard shows of a round's results, every figure through disclosure."""
        raise NotImplementedError

    def render(self, results: RoundResults) -> list[widgets.HTML]:
        """The view, then the key to the symbols it uses (only those), as every board page ends."""
        items = self.view(results)
        key = render_symbols(symbols_on(item.value for item in items), self.threshold)
        return [*items, widgets.HTML(key)]

    def _draw(self, audit: AuditRound, marker: object) -> _Drawn:
        drawn = self._drawn[audit.id] = _Drawn(marker, self.render(self.compute(audit)))
        return drawn

    def prepare(self) -> int:
        """Draw every other round ahead, as what it is drawn of (HTML and chart images) rather
        than as widgets, so that switching to any round costs no computing and the page does not
        carry widgets nobody is looking at. A preheated page does this before anyone asks for it.
        Returns how many rounds were drawn; a round that fails is left to :meth:`show` to report."""
        if self.store is None:
            return 0
        try:
            marker = self.store.last_change()
        except WorkbookError as exc:
            log.error("dashboard could not prepare: %s", exc)
            return 0
        done = 0
        for audit in self.rounds:
            drawn = self._drawn.get(audit.id)
            if audit.id == self.shown or (drawn is not None and drawn.marker == marker):
                continue
            try:
                self._draw(audit, marker).set_aside()
            except Exception:  # drawn again, and reported, if it is chosen
                log.exception("dashboard could not prepare round %s", audit.id)
                self._drawn.pop(audit.id, None)
                continue
            done += 1
        return done

    def refresh(self) -> bool:
        """Redraw the round on show if the store has changed since it was drawn (a form or
        moderation saved, a round closed); ``True`` if it redrew. Round folders are read when the
        dashboard is built."""
        if self.store is None or self.shown is None:
            return False
        try:
            if self.store.last_change() == self.drawn_at:
                return False
        except WorkbookError as exc:
            log.error("dashboard could not check the store: %s", exc)
            return False
        self.show(self.shown)
        return True


def problem(text: str) -> str:
    return f'<p class="ca-problem" style="color:#8a1c1c">{html.escape(text)}</p>'


def failure(exc: Exception, what: str) -> str:
    """What a dashboard shows in place of ``what`` (e.g. "round 2026-03-maca") that could not be
    drawn: a workbook error's first sentence, else a pointer to the server's log, which keeps the
    traceback. A page never shows one."""
    if isinstance(exc, WorkbookError):
        log.error("dashboard could not show %s: %s", what, exc)
        return problem(str(exc).splitlines()[0])
    log.error("dashboard failed for %s", what, exc_info=exc)
    return problem("This view could not be drawn. The QA lead can find the details in the "
                   "dashboard server's log.")


def serve(board: RoundDashboard) -> RoundDashboard:
    """Draw ``board``'s latest round, and on a preheated page every round while nobody waits,
    then bring it up to date when someone opens the page (the notebook's only call)."""
    board.show(board.picker.value)
    if ahead_of_request():  # a preheated page: draw every round while nobody waits, then
        board.prepare()     # bring the page up to date when someone opens it
        wait_for_viewer()
        board.refresh()
    return board
