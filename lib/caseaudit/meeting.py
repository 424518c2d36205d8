"""The multi-agency audit meeting's form: agree a grade per criterion for each case, in a notebook
or as a web page served by Voila (``make moderation``).

The meeting goes through the cases one by one with every agency's grades side by side, so the
form shows them per criterion with wide disagreements highlighted and the evidence notes a click
away. What it records is final for the round's analysis, so it behaves like the scoring form:
nothing is overwritten (a second person saving the same case meanwhile is shown, with the choice
to reload or keep one's own as a new revision), what is typed is kept as a draft a couple of
seconds after each change (a meeting is long, and a laptop lid or a dropped connection must not
lose a case's rationales), and a round closed for moderation is read-only until the audit lead
reopens it with a reason.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import ipywidgets as widgets
import pandas as pd

from .errors import ConflictError, WorkbookError
from .forms import (
    _STYLE,
    AUTOSAVE_SECONDS,
    WEB_APP_ENV,
    AnswerButtons,
    Scheduler,
    _default_scheduler,
    conflict_panel,
    given_answers,
    message_html,
    open_rounds,
)
from .framework import NOT_GRADED, Answer, Framework, Scale, answer_json, is_grade
from .moderation import (
    Coverage,
    ModerationRefused,
    coverage,
    describe_grid,
    grid_notes,
    moderation_coverage,
    moderation_grid,
    save_moderation,
)
from .progress import form_states
from .rounds import AuditRound
from .store import Moderation, ModerationDraft, Store, open_store

_MEETING_STYLE = """<style>
.ca-wide {background:#fde2cf; border-radius:4px; padding:4px 6px;}
.ca-moderation-row {border-bottom:1px solid #e5e8eb; padding:4px 0 8px 0;}
.ca-chip {display:inline-block; border:1px solid #d0d7de; border-radius:10px; padding:0 8px;
          margin:2px 4px 2px 0; font-size:0.9em; line-height:1.6;}
.ca-chip .ca-who {color:#555;}
.ca-grid-table td, .ca-grid-table th {padding:2px 10px 2px 0; text-align:left; font-size:0.9em;}
.ca-grid-table tr.ca-wide-row td {background:#fde2cf;}
.ca-section-title {margin:14px 0 2px 0; font-size:1.05em;}
.ca-field-label {font-weight:600; margin-top:10px;}
.ca-hint {color:#555; font-size:0.9em;}
.ca-round-box {margin-top:24px; padding-top:8px; border-top:2px solid #d0d7de;}
.ca-theme {margin-right:18px;}
</style>"""


def _grid_table(grid: pd.DataFrame, scorers: list[str]) -> str:
    """The grid side by side, one column per scorer, wide disagreements highlighted."""
    head = "".join(f"<th>{html.escape(c)}</th>" for c in ["Criterion", *scorers])
    rows = "".join(
        f'<tr class="{"ca-wide-row" if r["disagreement"] else ""}"><td>'
        f'{html.escape(r["criterion_id"])} {html.escape(r["criterion"])}</td>'
        + "".join(f"<td>{html.escape(str(r[c]))}</td>" for c in scorers) + "</tr>"
        for r in grid.to_dict("records"))
    return f'<table class="ca-grid-table"><tr>{head}</tr>{rows}</table>'


def _draft_answer(scale: Scale, value: object) -> Answer:
    """An answer as a draft's JSON keeps it; one the scale no longer offers (a draft kept under an
    older framework) is left out rather than stopping the case opening."""
    try:
        return scale.parse_answer(value)
    except ValueError:
        return NOT_GRADED


def _label(text: str) -> widgets.HTML:
    """A field's visible label (a placeholder vanishes as soon as someone types)."""
    return widgets.HTML(f'<div class="ca-field-label">{html.escape(text)}</div>')


class ModerationForm:
    """The audit meeting's form for one case: each agency's grades beside the agreed grade,
    a rationale box per criterion, notes on demand, overall grade, strengths, areas for
    development and learning themes. Saved as a revision when the meeting presses Save."""

    def __init__(self, store: Store, audit: AuditRound, moderator: str,
                 case_id: str | None = None,
                 on_saved: Callable[[Moderation], None] | None = None,
                 autosave_seconds: float = AUTOSAVE_SECONDS,
                 scheduler: Scheduler = _default_scheduler) -> None:
        self.store, self.audit, self.moderator = store, audit, moderator
        self.on_saved = on_saved
        self.framework = audit.load_framework()
        self.case_picker = widgets.Dropdown(options=[], value=None, description="Case",
                                            style={"description_width": "80px"},
                                            layout=widgets.Layout(width="640px"))
        self.summary = widgets.HTML()
        self.grid = widgets.HTML()
        self.grid_box = widgets.Accordion(children=[self.grid], selected_index=None)
        self.grid_box.set_title(0, "The whole grid: every scorer's grade side by side")
        self.message = widgets.HTML()
        self.message.add_class("ca-message")
        self.draft_status = widgets.HTML()
        self.draft_status.add_class("ca-draft-status")
        self.save_message = widgets.HTML()
        self.save_message.add_class("ca-save-message")
        self.conflict = widgets.VBox()
        self.rows_box = widgets.VBox()
        # a case's overall grade is always a level: "not applicable" is no answer to it
        self.overall = AnswerButtons([(label, answer) for label, answer
                                      in self.framework.overall_scale.choices() if is_grade(answer)])
        self.overall.add_class("ca-overall")
        self.overall.add_class("ca-choice")
        self.strengths = widgets.Textarea(placeholder="What worked well for this child",
                                          layout=widgets.Layout(width="95%", height="70px"))
        self.strengths.add_class("ca-strengths")
        self.development = widgets.Textarea(placeholder="What should have happened, or happen next",
                                            layout=widgets.Layout(width="95%", height="70px"))
        self.development.add_class("ca-development")
        # the framework's themes as labelled boxes, the meeting's own tags as plain text: every
        # keystroke reaches the kernel (a tag half typed into a tag box was never sent)
        self.theme_boxes = {t.id: widgets.Checkbox(value=False, description=t.title, indent=False,
                                                   layout=widgets.Layout(width="auto"))
                            for t in self.framework.themes}
        for box in self.theme_boxes.values():
            box.add_class("ca-theme")
        self.other_themes = widgets.Text(
            placeholder="e.g. housing, transitions (separate tags with commas)",
            layout=widgets.Layout(width="95%"))
        self.other_themes.add_class("ca-other-themes")
        self.save_button = widgets.Button(description="Save moderation", button_style="success",
                                          icon="check", disabled=True,
                                          layout=widgets.Layout(width="auto", min_width="160px"))
        self.save_button.add_class("ca-save-moderation")
        self.save_button.on_click(lambda _: self.save())
        self.agreed: dict[str, AnswerButtons] = {}
        self.rationale: dict[str, widgets.Textarea] = {}
        self.todo: dict[str, widgets.HTML] = {}
        self.row_boxes: dict[str, widgets.VBox] = {}
        self._marked: dict[str, str] = {}  # criterion -> what a refused save said of it
        self.based_on: int | None = None
        self.case_id: str | None = None  # the case the widgets hold, even while switching
        self.locked = False
        self._loading = False
        self.autosave_seconds = autosave_seconds
        self.scheduler = scheduler
        self._pending: Any = None
        self.dirty = False
        for widget in (self.overall, self.strengths, self.development, self.other_themes,
                       *self.theme_boxes.values()):
            widget.observe(lambda _: self._changed(), names="value")
        self.refresh_cases()
        self.case_picker.observe(lambda c: None if self._loading else self.open_case(c["new"]),
                                 names="value")
        if case_id is not None:
            self.case_picker.value = case_id

    def widget(self) -> widgets.VBox:
        """The whole form, ready to display: what a save did (or why it did not) is said in the
        bar beside Save moderation, which in the web app stays at the foot of the window."""
        footer = widgets.HBox([self.save_button, widgets.VBox([self.save_message,
                                                              self.draft_status])])
        footer.add_class("ca-footer")
        themes = widgets.HBox(list(self.theme_boxes.values()),
                              layout=widgets.Layout(flex_flow="row wrap"))
        form = widgets.VBox([
            widgets.HTML(_STYLE + _MEETING_STYLE), self.case_picker, self.summary, self.grid_box,
            self.message, self.rows_box,
            _label("Overall grade for the case"), self.overall,
            _label("Strengths"), self.strengths,
            _label("Areas for development"), self.development,
            _label("Learning themes"),
            widgets.HTML('<div class="ca-hint">Tick the framework\'s themes this case shows; add '
                         "the meeting's own short tags below (at most 60 characters each).</div>"),
            themes, self.other_themes, self.conflict, footer])
        form.add_class("ca-form")
        if os.environ.get(WEB_APP_ENV):
            form.add_class("ca-web")
        return form

    # -- themes -----------------------------------------------------------------------------------

    def themes(self) -> list[str]:
        """The learning themes as saved: ticked framework themes (by id, framework order), then
        the meeting's own tags as typed."""
        ticked = [tid for tid, box in self.theme_boxes.items() if box.value]
        tags = [t.strip() for t in self.other_themes.value.split(",") if t.strip()]
        return ticked + [t for t in tags if t not in ticked]

    def _set_themes(self, themes: Sequence[str]) -> None:
        for tid, box in self.theme_boxes.items():
            box.value = tid in themes
        self.other_themes.value = ", ".join(t for t in themes if t not in self.theme_boxes)

    # -- cases ------------------------------------------------------------------------------------

    def coverage(self) -> Coverage | None:
        """How much of the open case the form holds agreed."""
        if self.case_id is None:
            return None
        return coverage(self.framework, self.audit.cases_by_id[self.case_id],
                        given_answers(self.agreed), self.overall.answer)

    def refresh_cases(self) -> None:
        """Case choices, each saying whether the meeting has moderated it (in full or in part)
        and how many agency forms are submitted (what the chair needs to choose the next case)."""
        moderated = moderation_coverage(self.store, self.audit, self.framework)
        heads = {r.case_id: r for r in moderated.itertuples()}
        states = form_states(self.store.form_statuses(self.audit.id), self.audit.scorers_per_form)
        submitted = states[states["state"] == "submitted"].groupby("case_id").size().to_dict()
        labels = []
        for case in self.audit.cases:
            head = heads.get(case.id)
            if head is None:
                state = "○ not moderated"
            elif head.complete:
                state = f"✓ moderated (revision {head.revision_no})"
            else:
                state = "◐ " + Coverage(head.agreed, head.expected, head.overall).describe()
            labels.append((f"{case.id} — {state}; {submitted.get(case.id, 0)} of "
                           f"{len(case.agencies)} agency forms submitted", case.id))
        current = self.case_picker.value
        self._loading = True
        try:
            self.case_picker.options = labels
            self.case_picker.value = current
        finally:
            self._loading = False
        self.locked = self.store.round_locked(self.audit.id)
        self.save_button.disabled = self.locked or self.case_picker.value is None

    def open_case(self, case_id: str | None) -> None:
        """Show a case's grid and the latest moderation, if any, ready to edit; an unsaved
        draft on top of it is brought back."""
        self.flush()  # the case being left keeps what was typed
        self.case_id = case_id
        self.draft_status.value = ""
        self.save_message.value = ""
        self.rows_box.children = ()
        self.conflict.children = ()
        self.agreed, self.rationale, self.todo, self.row_boxes = {}, {}, {}, {}
        self.locked = self.store.round_locked(self.audit.id)
        self.save_button.disabled = case_id is None or self.locked
        if case_id is None:
            return
        grid = moderation_grid(self.store, self.audit, self.framework, case_id)
        self.summary.value = f'<p class="ca-grid-summary">{html.escape(describe_grid(grid))}</p>'
        notes = grid_notes(self.store, self.audit, case_id)
        history = self.store.moderation_history(self.audit.id, case_id)
        latest = history[-1] if history else None
        self.based_on = latest.revision_no if latest else None
        scorers = [c for c in grid.columns
                   if c not in ("criterion_id", "criterion", "spread", "disagreement")]
        self.grid.value = _grid_table(grid, scorers)
        domain_of = {c.id: d for d, c in self.framework.criteria()}
        rows: list[widgets.Widget] = []
        shown_domain = None
        for record in grid.to_dict("records"):
            cid = record["criterion_id"]
            if domain_of[cid] is not shown_domain:
                shown_domain = domain_of[cid]
                rows.append(widgets.HTML(f'<h4 class="ca-section-title">'
                                         f"{html.escape(shown_domain.title)}</h4>"))
            rows.append(self._criterion_row(record, scorers, notes))
        self.rows_box.children = tuple(rows)
        self._load(latest)
        draft = self.store.moderation_draft(self.audit.id, case_id)
        if draft is not None and not self.locked:
            self._load_draft(draft)
        for widget in (*self.agreed.values(), *self.rationale.values(), self.overall,
                       self.strengths, self.development, self.other_themes,
                       *self.theme_boxes.values()):
            widget.disabled = self.locked
        if self.locked:
            self._say("This round is closed for moderation: the grades below can be read but not "
                      "changed. The audit lead can reopen it, giving a reason.", "warn")
            self._said("Read-only: the round is closed for moderation.", "warn")

    def _criterion_row(self, record: dict[str, Any], scorers: list[str],
                       notes: pd.DataFrame) -> widgets.VBox:
        cid = record["criterion_id"]
        scale = self.framework.scale_of(cid)
        given = "".join(f'<span class="ca-chip"><span class="ca-who">{html.escape(col)}'
                        f"</span> {html.escape(record[col])}</span>"
                        for col in scorers if record[col])
        flag = " ⚠ two or more levels apart" if record["disagreement"] else ""
        agreed = AnswerButtons(scale.choices())
        agreed.add_class("ca-choice")
        rationale = widgets.Textarea(placeholder="Rationale (required where the agreed grade "
                                     "differs from an agency's)",
                                     layout=widgets.Layout(width="95%", height="50px"))
        mine = notes[notes["criterion_id"] == cid]
        shown = widgets.HTML("".join(
            f"<div><b>{html.escape(r.agency)}</b>: {html.escape(r.note)}</div>"
            for r in mine.itertuples()), layout=widgets.Layout(display="none"))
        shown.add_class("ca-notes")
        toggle = widgets.ToggleButton(description=f"Notes ({len(mine)})", value=False,
                                      disabled=mine.empty, layout=widgets.Layout(width="110px"))
        toggle.observe(lambda c, box=shown: setattr(box.layout, "display",
                                                    "block" if c["new"] else "none"),
                       names="value")
        heading = widgets.HTML(f"<b>{html.escape(cid)} {html.escape(record['criterion'])}"
                               f"</b>{flag}<br>{given or 'No agency grade yet.'}")
        if record["disagreement"]:
            heading.add_class("ca-wide")
        todo = widgets.HTML()
        box = widgets.VBox([heading, agreed, rationale, todo, toggle, shown])
        box.add_class("ca-moderation-row")
        box.add_class(f"ca-moderate-{cid.replace('.', '-')}")
        self.agreed[cid], self.rationale[cid] = agreed, rationale
        self.todo[cid], self.row_boxes[cid] = todo, box
        agreed.observe(lambda _: self._changed(), names="value")
        rationale.observe(lambda _: self._changed(), names="value")
        return box

    def _load(self, latest: Moderation | None) -> None:
        self._fill(latest.grades if latest else {}, latest.rationales if latest else {},
                   latest.overall if latest else NOT_GRADED, latest.strengths if latest else "",
                   latest.development if latest else "", latest.themes if latest else [])
        self.based_on = latest.revision_no if latest else None
        self._mark({})
        cover = self.coverage()
        self._say(f"Moderation revision {latest.revision_no} by {latest.saved_by}: the case is "
                  f"{cover.describe() if cover else 'moderated'}." if latest else "", "info")

    def _fill(self, grades: Mapping[str, Answer], rationales: Mapping[str, str], overall: Answer,
              strengths: str, development: str, themes: Sequence[str]) -> None:
        """Put values into the widgets without counting them as the meeting's changes."""
        self._loading = True
        try:
            for cid, agreed in self.agreed.items():
                agreed.answer = grades.get(cid, NOT_GRADED)
                self.rationale[cid].value = rationales.get(cid, "")
            self.overall.answer = overall
            self.strengths.value = strengths
            self.development.value = development
            self._set_themes(list(themes))
        finally:
            self._loading = False
        self.dirty = False

    def _state(self) -> dict[str, Any]:
        """The form's values as a draft keeps them."""
        return {"grades": {cid: answer_json(answer)
                           for cid, answer in given_answers(self.agreed).items()},
                "rationales": {cid: w.value for cid, w in self.rationale.items() if w.value},
                "overall": answer_json(self.overall.answer), "strengths": self.strengths.value,
                "development": self.development.value, "themes": self.themes(),
                "other_themes": self.other_themes.value}

    def _load_draft(self, draft: ModerationDraft) -> None:
        state = draft.state
        grades = {cid: _draft_answer(self.framework.scale_of(cid), value)
                  for cid, value in dict(state.get("grades", {})).items()
                  if cid in self.framework.criteria_by_id}
        self._fill(grades, dict(state.get("rationales", {})),
                   _draft_answer(self.framework.overall_scale, state.get("overall")),
                   str(state.get("strengths", "")),
                   str(state.get("development", "")), list(state.get("themes", [])))
        if "other_themes" in state:  # the tag text exactly as typed, trailing comma and all
            self._loading = True
            try:
                self.other_themes.value = str(state["other_themes"])
            finally:
                self._loading = False
        self.draft_status.value = message_html(
            f"Brought back what {draft.saved_by} typed at {draft.saved_at:%H:%M:%S} UTC but did "
            "not save: check it, then press Save moderation to record it.", "warn")

    # -- drafts -----------------------------------------------------------------------------------

    def _changed(self) -> None:
        if self._loading or self.locked or self.case_id is None:
            return
        self.dirty = True
        self._mark({cid: text for cid, text in self._marked.items()
                    if not self.rationale[cid].value.strip()})
        self._cancel_pending()
        self._pending = self.scheduler(self.autosave_seconds, self.flush)

    def _cancel_pending(self) -> None:
        if self._pending is not None and hasattr(self._pending, "cancel"):
            self._pending.cancel()
        self._pending = None

    def flush(self) -> ModerationDraft | None:
        """Keep what the form holds as a draft now (the autosave calls this). A draft is not the
        meeting's decision: nothing reads it but this form, until Save moderation."""
        self._cancel_pending()
        if not self.dirty or self.locked or self.case_id is None:
            return None
        try:
            draft = self.store.save_moderation_draft(self.audit.id, self.case_id, self.based_on,
                                                     self._state(), self.moderator)
        except WorkbookError as exc:
            self._said(str(exc), "error")
            return None
        self.dirty = False
        self.draft_status.value = message_html(
            f"Draft kept at {draft.saved_at:%H:%M:%S} UTC; press Save moderation to record the "
            "meeting's grades.", "info")
        return draft

    # -- saving -----------------------------------------------------------------------------------

    def _mark(self, problems: dict[str, str]) -> None:
        """Mark each criterion a refused save named, on the criterion itself."""
        self._marked = dict(problems)
        for cid, box in self.row_boxes.items():
            text = problems.get(cid)
            self.todo[cid].value = (f'<div class="ca-todo">⚠ {html.escape(text[0].upper() + text[1:])}'
                                    "</div>" if text else "")
            if text:
                box.add_class("ca-attention")
            else:
                box.remove_class("ca-attention")

    def _refusal_lines(self, exc: ModerationRefused) -> list[str]:
        """One line per problem, by section and criterion, in the framework's order."""
        lines = list(exc.other)
        for domain, criterion in self.framework.criteria():
            if criterion.id in exc.by_criterion:
                lines.append(f"{domain.title}, {criterion.id} {criterion.title}: "
                             f"{exc.by_criterion[criterion.id]}")
        return lines

    def save(self) -> Moderation | None:
        """Save the meeting's grades; problems (a missing rationale, a stale revision, a closed
        round) are said plainly beside the button and nothing is written."""
        case_id = self.case_picker.value
        rationales = {cid: w.value for cid, w in self.rationale.items() if w.value.strip()}
        try:
            saved = save_moderation(self.store, self.audit, self.framework, case_id,
                                    given_answers(self.agreed), rationales, self.overall.answer,
                                    self.strengths.value, self.development.value, self.themes(),
                                    self.based_on, self.moderator)
        except ConflictError as exc:
            self._show_conflict(exc)
            return None
        except ModerationRefused as exc:
            self._mark(exc.by_criterion)
            self._said("Not saved: nothing was recorded. Please put right:", "error",
                       self._refusal_lines(exc))
            return None
        except WorkbookError as exc:
            self._said(str(exc), "error")
            return None
        self.based_on = saved.revision_no
        self._cancel_pending()
        self.dirty = False
        self._mark({})
        self.draft_status.value = ""
        self.conflict.children = ()
        cover = self.coverage()
        if cover is not None and not cover.complete:
            self._said(f"Moderation saved (revision {saved.revision_no}). The case is "
                       f"{cover.describe()}: it counts as moderated once every criterion and "
                       "the overall grade are agreed.", "warn")
        else:
            self._said(f"Moderation saved (revision {saved.revision_no}): the case is "
                       "moderated.", "ok")
        self._say(f"Moderation revision {saved.revision_no} by {saved.saved_by}.", "info")
        self.refresh_cases()
        if self.on_saved is not None:
            self.on_saved(saved)
        return saved

    def _show_conflict(self, exc: ConflictError) -> None:
        self.conflict.children = conflict_panel(
            f"{exc.saved_by} saved this case's moderation at {exc.saved_at} (revision "
            f"{exc.latest}) after you opened it. Nothing has been overwritten: reload to see "
            "theirs, or keep yours as a new revision on top.", "", self.reload, self.keep_mine)
        self._said("Not saved: someone else changed this case's moderation. Choose just above.",
                   "error")

    def reload(self) -> None:
        """Drop the meeting's unsaved changes and show the latest saved moderation."""
        self._cancel_pending()
        self.draft_status.value = ""
        self.save_message.value = ""
        self.conflict.children = ()
        history = self.store.moderation_history(self.audit.id, self.case_picker.value)
        self._load(history[-1] if history else None)

    def keep_mine(self) -> Moderation | None:
        """Save what the form holds as a new revision on top of the other person's."""
        history = self.store.moderation_history(self.audit.id, self.case_picker.value)
        self.based_on = history[-1].revision_no if history else None
        return self.save()

    def _say(self, text: str, kind: str) -> None:
        """About the case as a whole, above its criteria (which revision, read-only)."""
        self.message.value = message_html(text, kind)

    def _said(self, text: str, kind: str, items: Sequence[str] = ()) -> None:
        """What a save did, or why it did not, beside the Save moderation button."""
        self.save_message.value = message_html(text, kind, items)


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
        self.round_picker = widgets.Dropdown(
            options=[(r.title, r.id) for r in reversed(self.rounds)], value=None,
            description="Audit round", style={"description_width": "110px"},
            layout=widgets.Layout(width="640px"))
        self.moderator_picker = widgets.Dropdown(options=[], value=None, description="I am",
                                                 style={"description_width": "110px"})
        self.status = widgets.HTML()
        self.status.add_class("ca-round-status")
        self.hint = widgets.HTML()
        self.hint.add_class("ca-app-hint")
        self.reason = widgets.Text(placeholder="Why (recorded with your id); needed to reopen",
                                   description="Reason", style={"description_width": "60px"},
                                   layout=widgets.Layout(width="480px"))
        self.close_button = widgets.Button(description="Close round for moderation",
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
            widgets.HTML("<h3>Closing the round</h3><p class=\"ca-hint\">When the meeting has "
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
        app = widgets.VBox([widgets.HTML(_STYLE + _MEETING_STYLE), self.notice, self.round_picker,
                            self.moderator_picker, self.hint, self.status, self.body,
                            self.round_box])
        if os.environ.get(WEB_APP_ENV):
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
            state = (f"Closed for moderation by {last['by']} on {last['at']:%d %B %Y at %H:%M} "
                     "UTC: forms and moderations are locked.")
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
                      "Press “Close round for moderation” again to confirm.", "warn")
            return
        self._confirm_close = False
        audit = self.audit
        self._record(lambda: self.store.close_round(audit.id, who, self.reason.value.strip()),
                     f"Round {audit.id} is closed for moderation.")

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
        return ModerationApp(store).widget()
    except WorkbookError as exc:
        if not os.environ.get(WEB_APP_ENV):
            raise
        return widgets.HTML(f'<p class="ca-problem">{html.escape(str(exc).splitlines()[0])}</p>')
