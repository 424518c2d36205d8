"""The multi-agency audit meeting's form: agree a grade per criterion for each case, in a notebook
or, inside the meeting's app (:mod:`caseaudit.ui.meeting_app`), as a web page served by Voila.

The meeting goes through the cases one by one with every agency's grades side by side, so the
form shows them per criterion with wide disagreements highlighted and the evidence notes a click
away. What it records is final for the round's analysis, so it behaves like the scoring form:
nothing is overwritten (a second person saving the same case meanwhile is shown, with the choice
to reload or keep one's own as a new revision), what is typed is kept as a draft a couple of
seconds after each change (a meeting is long, and a laptop lid or a dropped connection must not
lose a case's rationales), and a closed round is read-only until the audit lead reopens it with a
reason. That shared behaviour is :class:`~caseaudit.ui.form_base.FormBase`'s; what is the
meeting's own is here.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import ipywidgets as widgets
import pandas as pd

from ..errors import ConflictError, WorkbookError
from ..framework import NOT_GRADED, Answer, Scale, answer_json, is_grade
from ..moderation import (
    Coverage,
    coverage,
    describe_grid,
    grid_notes,
    moderation_coverage,
    moderation_grid,
)
from ..progress import form_states
from ..rounds import AuditRound
from ..store import Moderation, ModerationDraft, ModerationRefused, ModerationSave, Store
from .form_base import AUTOSAVE_SECONDS, FormBase
from .kit import (
    STYLE,
    AnswerButtons,
    Scheduler,
    call_later,
    field_label,
    given_answers,
    labelled,
    message_html,
    save_button,
)

#: The meeting's own look, beside the forms' shared one (the meeting's app uses it too).
MEETING_STYLE = """<style>
.ca-wide {background:#fde2cf; border-radius:4px; padding:4px 6px;}
.ca-moderation-row {border-bottom:1px solid #e5e8eb; padding:4px 0 8px 0;}
.ca-chip {display:inline-block; border:1px solid #d0d7de; border-radius:10px; padding:0 8px;
          margin:2px 4px 2px 0; font-size:0.9em; line-height:1.6;}
.ca-chip .ca-who {color:#555;}
.ca-grid-table td, .ca-grid-table th {padding:2px 10px 2px 0; text-align:left; font-size:0.9em;}
.ca-grid-table tr.ca-wide-row td {background:#fde2cf;}
.ca-section-title {margin:14px 0 2px 0; font-size:1.05em;}
.ca-criterion-title {margin:0; font-size:1em; display:inline;}
.ca-round-box h2 {font-size:1.05em;}
.ca-hint {color:#555; font-size:0.9em;}
.ca-round-box {margin-top:24px; padding-top:8px; border-top:2px solid #d0d7de;}
.ca-theme {margin-right:18px;}
</style>"""


#: Beside a criterion whose agencies' grades are wide apart (highlighted too, but never by colour
#: alone).
WIDE = " ⚠ two or more levels apart"


def _grid_table(grid: pd.DataFrame, scorers: list[str]) -> str:
    """The grid side by side, one column per scorer, wide disagreements highlighted and said in
    words too (a highlight alone is lost on whoever cannot see the colour)."""
    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in ["Criterion", *scorers])
    rows = "".join(
        f'<tr class="{"ca-wide-row" if r["disagreement"] else ""}"><th scope="row">'
        f'{html.escape(r["criterion_id"])} {html.escape(r["criterion"])}'
        f'{WIDE if r["disagreement"] else ""}</th>'
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


class ModerationForm(FormBase):
    """The audit meeting's form for one case: each agency's grades beside the agreed grade,
    a rationale box per criterion, notes on demand, overall grade, strengths, areas for
    development and learning themes. Saved as a revision when the meeting presses Save; until
    then what is typed is kept as a draft that nothing but this form reads."""

    style = STYLE + MEETING_STYLE
    subject = "this case's moderation"
    conflict_advice = "reload to see theirs, or keep yours as a new revision on top."
    conflict_choice = "Choose just above."

    def __init__(self, store: Store, audit: AuditRound, moderator: str,
                 case_id: str | None = None,
                 on_saved: Callable[[Moderation], None] | None = None,
                 autosave_seconds: float = AUTOSAVE_SECONDS,
                 scheduler: Scheduler = call_later) -> None:
        super().__init__(store, autosave_seconds, scheduler)
        self.audit, self.moderator = audit, moderator
        self.on_saved = on_saved
        self.framework = audit.load_framework()
        self.case_picker = widgets.Dropdown(options=[], value=None, description="Case",
                                            style={"description_width": "80px"},
                                            layout=widgets.Layout(width="640px"))
        self.summary = widgets.HTML()
        self.grid = widgets.HTML()
        self.grid_box = widgets.Accordion(children=[self.grid], selected_index=None)
        self.grid_box.set_title(0, "The whole grid: every scorer's grade side by side")
        self.draft_status = widgets.HTML()
        self.draft_status.add_class("ca-draft-status")
        self.rows_box = widgets.VBox()
        # a case's overall grade is always a level: "not applicable" is no answer to it
        self.overall = AnswerButtons([(label, answer) for label, answer
                                      in self.framework.overall_scale.choices() if is_grade(answer)],
                                     label="Overall grade for the case", show_label=True)
        self.overall.add_class("ca-overall")
        self.overall.add_class("ca-choice")
        self.strengths = labelled(widgets.Textarea(placeholder="What worked well for this child",
                                                   layout=widgets.Layout(width="95%", height="96px")),
                                  "Strengths")
        self.strengths.add_class("ca-strengths")
        self.development = labelled(
            widgets.Textarea(placeholder="What should have happened, or happen next",
                             layout=widgets.Layout(width="95%", height="96px")),
            "Areas for development")
        self.development.add_class("ca-development")
        # the framework's themes as labelled boxes, the meeting's own tags as plain text: every
        # keystroke reaches the kernel (a tag half typed into a tag box was never sent)
        self.theme_boxes = {t.id: widgets.Checkbox(value=False, description=t.title, indent=False,
                                                   layout=widgets.Layout(width="auto"))
                            for t in self.framework.themes}
        for box in self.theme_boxes.values():
            box.add_class("ca-theme")
        self.other_themes = labelled(widgets.Text(
            placeholder="e.g. housing, transitions (separate tags with commas)",
            layout=widgets.Layout(width="95%")), "The meeting's own tags")
        self.other_themes.add_class("ca-other-themes")
        self.save_button = save_button("Save moderation", "ca-save-moderation", self.save,
                                       "160px")
        self.agreed: dict[str, AnswerButtons] = {}
        self.rationale: dict[str, widgets.Textarea] = {}
        self.todo: dict[str, widgets.HTML] = {}
        self.row_boxes: dict[str, widgets.VBox] = {}
        self._marked: dict[str, str] = {}  # criterion -> what a refused save said of it
        self.case_id: str | None = None  # the case the widgets hold, even while switching
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
        themes = widgets.HBox(list(self.theme_boxes.values()),
                              layout=widgets.Layout(flex_flow="row wrap"))
        return self._frame([
            self.case_picker, self.summary, self.grid_box, self.message, self.rows_box,
            self.overall, self.strengths, self.development,
            field_label("Learning themes"),
            widgets.HTML('<div class="ca-hint">Tick the framework\'s themes this case shows; add '
                         "the meeting's own short tags below (at most 60 characters each).</div>"),
            themes, self.other_themes],
            self.save_button, widgets.VBox([self.save_message, self.draft_status]))

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
        self._offer(self.case_picker, labels)
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
                rows.append(widgets.HTML(f'<h2 class="ca-section-title">'
                                         f"{html.escape(shown_domain.title)}</h2>"))
            rows.append(self._criterion_row(record, scorers, notes))
        self.rows_box.children = tuple(rows)
        self._load(latest)
        draft = self.store.moderation_draft(self.audit.id, case_id)
        if draft is not None and not self.locked:
            self._load_draft(draft)
        self._show_lock(self.audit.id, (*self.agreed.values(), *self.rationale.values(),
                                        self.overall, self.strengths, self.development,
                                        self.other_themes, *self.theme_boxes.values()),
                        self.save_button)

    def _criterion_row(self, record: dict[str, Any], scorers: list[str],
                       notes: pd.DataFrame) -> widgets.VBox:
        cid = record["criterion_id"]
        scale = self.framework.scale_of(cid)
        given = "".join(f'<span class="ca-chip"><span class="ca-who">{html.escape(col)}'
                        f"</span> {html.escape(record[col])}</span>"
                        for col in scorers if record[col])
        flag = WIDE if record["disagreement"] else ""
        agreed = AnswerButtons(scale.choices(),
                               label=f"Agreed grade for {cid} {record['criterion']}")
        agreed.add_class("ca-choice")
        rationale = labelled(widgets.Textarea(placeholder="Required where the agreed grade differs "
                                              "from an agency's",
                                              layout=widgets.Layout(width="95%", height="76px")),
                             "Rationale")
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
        heading = widgets.HTML(f'<h3 class="ca-criterion-title">{html.escape(cid)} '
                               f"{html.escape(record['criterion'])}</h3>{flag}<br>"
                               f"{given or 'No agency grade yet.'}")
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
        self.draft_status.value = ""
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
        with self._quietly():
            for cid, agreed in self.agreed.items():
                agreed.answer = grades.get(cid, NOT_GRADED)
                self.rationale[cid].value = rationales.get(cid, "")
            self.overall.answer = overall
            self.strengths.value = strengths
            self.development.value = development
            self._set_themes(list(themes))
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
            with self._quietly():
                self.other_themes.value = str(state["other_themes"])
        self.draft_status.value = message_html(
            f"Brought back what {draft.saved_by} typed at {draft.saved_at:%H:%M:%S} UTC but did "
            "not save: check it, then press Save moderation to record it.", "warn")

    # -- drafts -----------------------------------------------------------------------------------

    def _is_open(self) -> bool:
        return self.case_id is not None

    def _edited(self) -> None:
        # a criterion a refused save marked stays marked until its rationale is written
        self._mark({cid: text for cid, text in self._marked.items()
                    if not self.rationale[cid].value.strip()})

    def _keep_draft(self) -> ModerationDraft | None:
        """Keep what the form holds as a draft. A draft is not the meeting's decision: nothing
        reads it but this form, until Save moderation."""
        assert self.case_id is not None
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
            saved = self.store.save_moderation(self.audit, self.framework, ModerationSave(
                case_id, given_answers(self.agreed), rationales, self.overall.answer,
                self.strengths.value, self.development.value, self.themes(), self.based_on,
                self.moderator))
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
        self._saved(saved.revision_no)
        self._mark({})
        self.draft_status.value = ""
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

    def _latest(self) -> Moderation | None:
        history = self.store.moderation_history(self.audit.id, self.case_picker.value)
        return history[-1] if history else None

    def _save_again(self) -> Moderation | None:
        return self.save()
