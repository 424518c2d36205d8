"""What every form shares: its look, its messages, the conflict panel, the answer buttons, the
rounds it offers and the timer its autosave runs on.

A person reads the scoring form and the meeting's form as one product, so a message, a chosen
grade or a conflict looks and reads the same in both; keeping them here is what keeps them so.
"""

from __future__ import annotations

import asyncio
import html
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

import ipywidgets as widgets

from .. import settings
from ..framework import NOT_GRADED, Answer, Scale
from ..practice_week import PRACTICE_WEEK, without_practice_weeks
from ..privacy import describe_findings, find_personal_data
from ..rounds import AuditRound, RoundsFound, scan_rounds

#: Run a function after a delay in seconds; returns a handle with ``cancel()`` (or ``None`` when
#: it ran at once). Tests pass their own to fire the autosave by hand.
Scheduler = Callable[[float, Callable[[], None]], Any]


def in_web_app() -> bool:
    """True when the form is served as a web app (``CASEAUDIT_WEB_APP``), not in JupyterLab."""
    return bool(os.environ.get(settings.WEB_APP_ENV))


def ahead_of_request() -> bool:
    """True in a kernel Voila started for its pool: the page is being prepared before anyone
    has asked for it, so what the viewer will want next can be done now."""
    return os.environ.get(settings.PREHEAT_ENV) == "True"


def wait_for_viewer() -> None:
    """Hold the rest of the notebook back until a person opens the page; in JupyterLab, under
    nbval, or in a kernel started for its page, return at once.

    Voila runs a preheated kernel's notebook before anyone asks for the page: what comes before
    this call is ready ahead (the slow part: imports, reading the store, drawing), and what comes
    after runs for the viewer (bringing the page up to date, reading the address's query string,
    which is in ``os.environ["QUERY_STRING"]`` by then). The wait has no time limit; the cells
    after it have the server's.
    """
    if ahead_of_request():
        from voila.utils import wait_for_request

        wait_for_request()


def call_later(delay: float, fn: Callable[[], None]) -> Any:
    """Run ``fn`` after ``delay`` seconds on the kernel's event loop (where widget callbacks
    run), or at once where there is no running loop."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        try:
            loop = asyncio.get_event_loop_policy().get_event_loop()
        except RuntimeError:
            loop = None
    if loop is None or not loop.is_running() or delay <= 0:
        fn()
        return None
    return loop.call_later(delay, fn)


def open_rounds(rounds: Sequence[AuditRound] | None, practice_weeks: bool = False
                ) -> tuple[list[AuditRound], str]:
    """The rounds a form offers, and a warning naming any round folder that could not be read:
    one broken folder must not stop every auditor scoring the others.

    The case-audit forms offer the case audits, saying why each practice week is not there; the
    practice-week form (``practice_weeks``) offers the practice weeks alone (given ``rounds``
    too), since a case audit has no streams to record.
    """
    if practice_weeks:
        found = scan_rounds() if rounds is None else RoundsFound(list(rounds), [])
        return ([r for r in found.rounds if r.kind == PRACTICE_WEEK],
                "".join(message_html("A round is not offered. " + b.message, "warn")
                        for b in found.broken))
    if rounds is not None:
        return list(rounds), ""
    found = scan_rounds()
    offered, set_apart = without_practice_weeks(found.rounds, "offered")
    return offered, "".join([*(message_html("A round is not offered. " + b.message, "warn")
                               for b in found.broken),
                             *(message_html(text, "info") for text in set_apart)])


def save_button(description: str, css: str, press: Callable[[], object],
                min_width: str = "120px") -> widgets.Button:
    """A form's one green button that saves (Submit, Save update, Save moderation), disabled
    until the form has something to save: every form's looks and sits the same, beside the bar
    that says what the press did. ``css`` names it for the page's style and the browser tests."""
    button = widgets.Button(description=description, button_style="success", icon="check",
                            disabled=True, layout=widgets.Layout(width="auto", min_width=min_width))
    button.add_class(css)
    button.on_click(lambda _: press())
    return button


def picker(description: str, options: Sequence[tuple[str, str]] = (), wide: bool = False,
           **kwargs: Any) -> widgets.Dropdown:
    """A drop-down with its label, nothing chosen, lined up with the form's others (``wide``
    for the ones whose options are long: rounds' titles, cases with their state)."""
    layout = widgets.Layout(width="640px") if wide else widgets.Layout()
    return widgets.Dropdown(options=list(options), value=None, description=description,
                            style={"description_width": "110px"}, layout=layout, **kwargs)


def round_picker(rounds: Sequence[AuditRound]) -> widgets.Dropdown:
    """The rounds a form offers, newest first (the one most people want is at the top)."""
    return picker("Audit round", [(r.title, r.id) for r in reversed(rounds)], wide=True)


def message_html(text: str, kind: str, items: Iterable[str] = ()) -> str:
    """A message box for a form (``kind``: info, ok, warn or error), with an optional list under
    it; ``""`` clears it. Everything is escaped: messages quote what people typed."""
    if not text:
        return ""
    listing = "".join(f"<li>{html.escape(item)}</li>" for item in items)
    return (f'<div class="ca-msg ca-{kind}">{html.escape(text)}'
            + (f"<ul>{listing}</ul>" if listing else "") + "</div>")


def conflict_panel(explanation: str, table: str, reload: Callable[[], object],
                   keep: Callable[[], object]) -> tuple[widgets.Widget, widgets.Widget]:
    """What a form shows when someone else saved the same thing meanwhile: who and when, the two
    versions, and the two ways on (nothing is overwritten until the person chooses)."""
    reload_button = widgets.Button(description="Reload their version", icon="refresh",
                                   layout=widgets.Layout(width="auto"))
    keep_button = widgets.Button(description="Keep mine as a new revision", button_style="warning",
                                 layout=widgets.Layout(width="auto"))
    reload_button.on_click(lambda _: reload())
    keep_button.on_click(lambda _: keep())
    return (widgets.HTML(f'<div class="ca-conflict">{html.escape(explanation)}</div>' + table),
            widgets.HBox([reload_button, keep_button]))


def answers_table(scales: Mapping[str, Scale],
                  columns: Sequence[tuple[str, Mapping[str, Answer]]]) -> str:
    """A table of answer labels per criterion (those of ``scales``, in its order), one column
    per named set of answers: theirs beside yours, or every scorer's."""
    head = "".join(f"<th>{html.escape(name)}</th>" for name, _ in columns)
    lines = [f"<tr><td>{html.escape(cid)}</td>" + "".join(
                 f"<td>{html.escape(scale.answer_label(answers.get(cid, NOT_GRADED)))}</td>"
                 for _, answers in columns) + "</tr>"
             for cid, scale in scales.items()]
    return (f'<table class="ca-conflict-table"><tr><th>Criterion</th>{head}</tr>'
            + "".join(lines) + "</table>")


def privacy_warning(text: str, today: date | None = None) -> str:
    """The warning shown under a text a person typed when it looks like it holds personal data
    (a name, a postcode, an NHS number...), naming what was found; ``""`` when nothing was.
    The text is still saved: losing someone's work is worse; the warning asks them to rewrite it."""
    found = describe_findings(find_personal_data(text, today))
    return f'<div class="ca-privacy">{html.escape(found)}</div>' if found else ""


def field_label(text: str) -> widgets.HTML:
    """A visible label over a group of fields that have their own (the learning themes' boxes)."""
    return widgets.HTML(f'<div class="ca-field-label">{html.escape(text)}</div>')


def labelled(widget: widgets.DescriptionWidget, text: str) -> widgets.DescriptionWidget:
    """``widget`` with ``text`` as its label above it: a real ``<label>`` tied to the field, so a
    screen reader says it and a click on it reaches the field (a placeholder alone vanishes as soon
    as someone types, and a label drawn beside it in HTML names nothing)."""
    widget.description = text
    widget.style.description_width = "initial"
    widget.add_class("ca-label-above")
    return widget


class AnswerButtons(widgets.ToggleButtons):
    """A button per answer a person may pick (from :meth:`Scale.choices`), none pressed while
    the criterion is not graded.

    ``label`` names the row of buttons for a screen reader ("Grade for 1.1 ..."), which otherwise
    hears "Good" with no criterion; it is shown above the buttons only when ``show_label`` (where
    no question heads them). The page's template makes the row a group named by it and says which
    button is pressed (ipywidgets marks that by colour alone).

    ToggleButtons say "nothing pressed" with ``None``; :attr:`answer` is the one place that is
    read as, and written from, ``NOT_GRADED``, so the forms deal only in answers.
    """

    def __init__(self, choices: Sequence[tuple[str, Answer]], label: str,
                 show_label: bool = False, **kwargs: Any) -> None:
        super().__init__(options=list(choices), value=None, description=label,
                         style={"button_width": "auto", "description_width": "initial"}, **kwargs)
        self.add_class("ca-label-above" if show_label else "ca-label-hidden")

    @property
    def answer(self) -> Answer:
        """The answer pressed, or ``NOT_GRADED``."""
        return NOT_GRADED if self.value is None else self.value

    @answer.setter
    def answer(self, answer: Answer) -> None:
        # an answer the buttons do not offer (a draft kept under an older framework) presses none
        self.value = answer if answer in [value for _, value in self.options] else None


def given_answers(buttons: Mapping[str, AnswerButtons]) -> dict[str, Answer]:
    """The answers given so far, by criterion; criteria not graded are left out, as the store
    and a moderation keep them."""
    return {cid: answer for cid, button in buttons.items()
            if (answer := button.answer) is not NOT_GRADED}


#: The forms' shared look. A chosen grade is unmistakable (filled dark blue with a tick, not the
#: default slightly darker grey); what stops a submit is marked in amber on the criterion; in the
#: web app the bar with the save button and its result stays at the foot of the window (sticky:
#: Voila's page scrolls inside a box with ``contain: strict``, where a fixed bar would scroll
#: away), so the answer to a press is always where the person pressed. Colours meet WCAG 2.2 AA:
#: text 4.5:1 against its background (ipywidgets' green and orange buttons do not: white on them
#: is 4.1:1 and 2.7:1), a button's edge and the amber mark 3:1 against the page.
STYLE = """<style>
.ca-msg {padding:6px 10px; border-radius:4px; margin:4px 0;}
.ca-msg ul {margin:4px 0 0 0; padding-left:20px;}
.ca-info {background:#eef4fb;} .ca-ok {background:#e8f5ec;} .ca-warn {background:#fff5db;}
.ca-error {background:#fdecea; color:#7a1c13;}
.ca-needs-note {color:#7a4b00; font-size:0.9em; margin-left:8px;}
.ca-privacy {color:#7a4b00; font-size:0.9em;}
.ca-question {margin:10px 0 0 0; font-size:1em; font-weight:normal; line-height:1.4;}
.ca-field-label {font-weight:600; margin-top:10px;}
.ca-label-above {flex-direction:column; align-items:stretch;}
.ca-label-above.widget-inline-hbox {height:auto;}
.ca-label-above.widget-dropdown > select {flex:0 0 auto; height:var(--jp-widgets-inline-height, 28px);}
.ca-label-above > .widget-label {width:auto !important; text-align:left; font-weight:600;
  margin:8px 0 2px 0; white-space:normal;}
.ca-label-hidden > .widget-label {position:absolute !important; width:1px !important; height:1px;
  overflow:hidden; clip:rect(0 0 0 0); white-space:nowrap; margin:0; padding:0;}
.jupyter-button.mod-success {background-color:#2e7d32;}
.jupyter-button.mod-warning {background-color:#8a4b00;}
.ca-conflict {background:#fdecea; padding:6px 10px;}
.ca-conflict-table td, .ca-conflict-table th {padding:2px 10px 2px 0; text-align:left;}
.ca-grade .widget-toggle-button, .ca-choice .widget-toggle-button {border:1px solid #757575;}
.ca-grade .widget-toggle-button.mod-active, .ca-choice .widget-toggle-button.mod-active {
  background:#1d4f91 !important; color:#fff !important; font-weight:600;
  border-color:#0b2e5c !important; box-shadow:inset 0 0 0 1px #0b2e5c;}
.ca-grade .widget-toggle-button.mod-active::before,
.ca-choice .widget-toggle-button.mod-active::before {content:"✓ ";}
.ca-attention {border-left:4px solid #b06a00; padding-left:8px; background:#fffaf0;}
.ca-todo {color:#7a4b00; font-weight:600;}
.ca-footer {align-items:center; gap:10px; padding:8px 0; background:#fff;}
.ca-footer .ca-msg {margin:0;}
.ca-web .ca-footer {position:sticky; bottom:0; z-index:100; padding:8px 12px;
  border-top:1px solid #d0d7de; box-shadow:0 -2px 6px rgba(0,0,0,0.08);
  max-height:40vh; overflow-y:auto;}
.jp-OutputArea:has(.ca-footer), .jp-OutputArea-child:has(.ca-footer), .jp-OutputArea-output:has(.ca-footer),
.widget-box:has(.ca-footer) {overflow:visible !important;}
</style>"""
