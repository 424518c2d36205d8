"""One criterion of a form: its question, guidance on demand, the answer buttons and the
evidence note, with what it still needs before a submit and the privacy guard's warning.

The scoring form and the practice week's forms ask criteria the same way, so a grade looks,
reads and is checked the same in both; the row lives here, apart from either form.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence

import ipywidgets as widgets

from ..framework import NOT_GRADED, Answer, Criterion, Framework, is_grade
from .kit import AnswerButtons, labelled, privacy_warning


class CriterionRow:
    """The widgets of one criterion: question, guidance on demand, grade buttons and note.

    ``with_note=False`` is a question put to a person (a practice week's feedback): their answer,
    with no evidence note beside it, since what they say in their own words is kept once, apart.
    """

    def __init__(self, framework: Framework, criterion: Criterion,
                 on_change: Callable[[], None], with_note: bool = True) -> None:
        self.criterion = criterion
        self.scale = framework.scale_of(criterion.id)
        self.with_note = with_note
        self.grade = AnswerButtons(self.scale.choices(), label=(
            f"{'Grade' if with_note else 'Answer'} for {criterion.id} {criterion.title}"))
        self.grade.add_class("ca-grade")
        # every keystroke reaches the kernel, so the draft is kept a pause after typing stops,
        # not only when the box loses focus (a reload with the cursor in the box lost the note)
        self.note = labelled(widgets.Textarea(placeholder="What in the record shows this",
                                              continuous_update=True,
                                              layout=widgets.Layout(width="95%", height="86px")),
                             "Evidence note")
        self.note.add_class("ca-note-input")
        if not with_note:
            self.note.layout.display = "none"
        needs = [self.scale.label(c) for c in self.scale.note_required_for] if with_note else []
        self.needs_note = widgets.HTML(
            f'<span class="ca-needs-note">Evidence note required for {", ".join(needs)}</span>'
            if needs else "")
        self.guidance = widgets.HTML(
            f'<div class="ca-guidance"><b>What good looks like:</b> '
            f"{html.escape(criterion.good_looks_like)}</div>",
            layout=widgets.Layout(display="none"))
        self.show_guidance = widgets.ToggleButton(description="What good looks like",
                                                  value=False, icon="info",
                                                  layout=widgets.Layout(width="auto"))
        self.show_guidance.observe(self._toggle_guidance, names="value")
        self.warning = widgets.HTML()
        self.todo = widgets.HTML()
        self.box = widgets.VBox([
            widgets.HTML(f'<h2 class="ca-question"><b>{html.escape(criterion.id)} '
                         f"{html.escape(criterion.title)}</b>: {html.escape(criterion.question)}"
                         "</h2>"),
            widgets.HBox([self.show_guidance, self.needs_note]), self.guidance, self.todo,
            self.grade, self.note, self.warning,
        ])
        self.box.add_class("ca-criterion")
        self.box.add_class(f"ca-criterion-{criterion.id.replace('.', '-')}")
        self.grade.observe(lambda _: on_change(), names="value")
        self.note.observe(lambda _: on_change(), names="value")

    def _toggle_guidance(self, change: dict) -> None:
        self.guidance.layout.display = "block" if change["new"] else "none"

    def value(self) -> Answer:
        """The answer the auditor has given, or ``NOT_GRADED``."""
        return self.grade.answer

    def set(self, answer: Answer, note: str) -> None:
        """Show a saved answer and note."""
        self.grade.answer = answer
        self.note.value = note
        self.check_note()

    def needs(self) -> str | None:
        """What stops this criterion being submitted: ``"grade"``, ``"note"`` or ``None``."""
        answer = self.value()
        if answer is NOT_GRADED:
            return "grade"
        if self.with_note and is_grade(answer) and answer in self.scale.note_required_for \
                and not self.note.value.strip():
            return "note"
        return None

    def mark(self, need: str | None) -> None:
        """Show, on the criterion itself, what it still needs (after a refused submit)."""
        if need is None:
            self.todo.value = ""
            self.box.remove_class("ca-attention")
            return
        text = ("Choose an answer to this question." if need == "grade" and not self.with_note
                else "Choose a grade for this criterion." if need == "grade" else
                f"Write the evidence note: a grade of {self.scale.answer_label(self.value())} "
                "needs one.")
        self.todo.value = f'<div class="ca-todo">⚠ {html.escape(text)}</div>'
        self.box.add_class("ca-attention")

    def check_note(self) -> bool:
        """Warn under the note if it looks like it holds personal data; True if it does.

        Run on every save and on every reload, so a restored note keeps its warning."""
        self.warning.value = privacy_warning(self.note.value)
        return bool(self.warning.value)


def still_to_do(cids: Sequence[str], todo: Mapping[str, str], verb: str = "grade") -> list[str]:
    """What the criteria ``cids`` of a section still need before a submit, as parts of a sentence
    ("grade 1.3, 1.4", "write the evidence note for 1.1"), from :meth:`CriterionRow.needs` by
    criterion (``verb`` "answer" for a person's answers)."""
    grade = [c for c in cids if todo.get(c) == "grade"]
    note = [c for c in cids if todo.get(c) == "note"]
    return ([f"{verb} {', '.join(grade)}"] if grade else []) + \
        ([f"write the evidence note for {', '.join(note)}"] if note else [])
