"""One answer type: a grade on the scale, not applicable, or not graded, with one label each, one
parser and one way to store it, defined in the framework layer and nowhere else."""

from __future__ import annotations

import ast
import io
import json
import re
import tokenize
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from caseaudit.errors import GradeError
from caseaudit.framework import (
    ANSWER_LABELS,
    NOT_APPLICABLE,
    NOT_GRADED,
    Framework,
    NotGrade,
    Scale,
    answer_columns,
    answer_from_columns,
    answer_json,
    is_grade,
)
from caseaudit.rounds import AuditRound
from caseaudit.store import FormSave, ModerationSave, Store
from caseaudit.ui.kit import AnswerButtons

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ROOT / "lib" / "caseaudit"
#: The one module allowed to say what "not applicable" is called and written as.
HOME = LIBRARY / "framework.py"
#: A string that is the not-applicable label or word, however cased or padded.
_NOT_APPLICABLE_TEXT = re.compile(r"^\s*(not[ -]applicable|n/?a)\s*$", re.IGNORECASE)


def _definitions(source: str) -> list[tuple[int, str]]:
    """Each string literal of ``source`` that spells the not-applicable label or word, with its
    line: a second place that would have to change if the label did."""
    found = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type != tokenize.STRING:
            continue
        try:
            value = ast.literal_eval(token.string)
        except (ValueError, SyntaxError):  # an f-string: its text without the braces
            value = re.sub(r"\{[^}]*\}", "", token.string.split(token.string[-1], 1)[-1][:-1])
        if not isinstance(value, str):
            continue
        if _NOT_APPLICABLE_TEXT.match(value) or "Not applicable" in value or \
                re.search(r"(?<![\w/])n/a(?![\w/])", value, re.IGNORECASE):
            found.append((token.start[0], token.string))
    return found


def _notebook_code(path: Path) -> str:
    """The code cells of a notebook, one after another (magics and shell lines left out)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    lines = []
    for cell in cells:
        if cell["cell_type"] == "code":
            source = "".join(cell["source"])
            lines += [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    return "\n".join(lines) + "\n"


def _sources() -> list[tuple[Path, str]]:
    modules = [(p, p.read_text(encoding="utf-8")) for p in sorted(LIBRARY.rglob("*.py")) if p != HOME]
    notebooks = [(p, _notebook_code(p)) for p in sorted((ROOT / "notebooks").rglob("*.ipynb"))]
    return modules + notebooks


def test_the_search_finds_a_second_definition_where_there_is_one() -> None:
    planted = ('NA_LABEL = "Not applicable"\nx = {"1.1": \'n/a\'}\ny = f"{a}: Not applicable"\n'
               'z = "N/A "\nok = "a case that is not applicable here"\n')
    assert [line for line, _ in _definitions(planted)] == [1, 2, 3, 4]


def test_no_module_or_notebook_defines_the_not_applicable_label_or_word_again() -> None:
    sources = _sources()
    assert len(sources) > 20 and any(p.suffix == ".ipynb" for p, _ in sources)
    found = [f"{path.relative_to(ROOT)}:{line}: {text}"
             for path, source in sources for line, text in _definitions(source)]
    assert found == [], ("use caseaudit.framework's NOT_APPLICABLE, ANSWER_LABELS, "
                         "Scale.choices() or Scale.answer_label() instead of:\n" + "\n".join(found))


@pytest.fixture
def scale(jtai: Framework) -> Scale:
    return jtai.scale_of("1.1")


def test_the_parser_reads_every_way_an_answer_is_given(scale: Scale) -> None:
    assert scale.parse_answer(2) == 2 and scale.parse_answer(2.0) == 2
    # a grade taken from a frame is a numpy integer: read as the plain code it is
    for taken in (np.int64(3), np.float64(3.0)):
        answer = scale.parse_answer(taken)
        assert answer == 3 and type(answer) is int
    assert scale.parse_answer("2") == 2 and scale.parse_answer(" good ") == 2
    assert scale.parse_answer("Requires improvement to be good") == 3
    for word in ("n/a", "N/A", "na", "Not applicable", "not-applicable", NOT_APPLICABLE):
        assert scale.parse_answer(word) is NOT_APPLICABLE
    for blank in (None, "", "   ", NOT_GRADED):
        assert scale.parse_answer(blank) is NOT_GRADED


@pytest.mark.parametrize(("value", "message"), [
    (7, "7 is not on the scale 'ofsted4'; use one of 1 (Outstanding), 2 (Good)"),
    ("Excellent", "'Excellent' is not on the scale"),
    (True, "True is not a grade"),
    (2.5, "2.5 is not on the scale"),
])
def test_the_parser_refuses_what_is_not_on_the_scale_and_says_what_is(scale: Scale, value: object,
                                                                      message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        scale.parse_answer(value)


def test_not_applicable_is_refused_where_the_scale_does_not_allow_it(scale: Scale) -> None:
    strict = scale.model_copy(update={"not_applicable": False})
    for value in ("n/a", NOT_APPLICABLE, "Not applicable"):
        with pytest.raises(ValueError, match="'not applicable' is not allowed on the scale"):
            strict.parse_answer(value)
    assert [answer for _, answer in strict.choices()] == [1, 2, 3, 4]


def test_each_answer_has_one_label_and_every_choice_reads_back(scale: Scale) -> None:
    assert scale.choices() == [("Outstanding", 1), ("Good", 2),
                               ("Requires improvement to be good", 3), ("Inadequate", 4),
                               (ANSWER_LABELS[NOT_APPLICABLE], NOT_APPLICABLE)]
    for label, answer in scale.choices():
        assert scale.answer_label(answer) == label
        assert scale.parse_answer(label) == answer and scale.parse_answer(label.upper()) == answer
    assert scale.answer_label(NOT_GRADED) == ANSWER_LABELS[NOT_GRADED]
    assert len(set(ANSWER_LABELS.values()) | {lvl.label for lvl in scale.levels}) == 6


def test_storage_columns_and_draft_json_round_trip_every_answer(scale: Scale) -> None:
    answers = [*scale.codes, NOT_APPLICABLE, NOT_GRADED]
    assert answer_columns(NOT_APPLICABLE) == (None, True)
    assert answer_columns(NOT_GRADED) == (None, False) and answer_columns(3) == (3, False)
    for answer in answers:
        assert answer_from_columns(*answer_columns(answer)) == answer
        assert scale.parse_answer(json.loads(json.dumps(answer_json(answer)))) == answer
        assert is_grade(answer) == (answer in scale.codes)
    # as a frame row holds them: numpy scalars and pandas' missing markers
    assert answer_from_columns(np.int64(2), np.False_) == 2
    assert type(answer_from_columns(np.int64(2), np.False_)) is int
    assert answer_from_columns(pd.NA, np.True_) is NOT_APPLICABLE
    assert answer_from_columns(pd.NA, False) is NOT_GRADED
    assert answer_from_columns(float("nan"), pd.NA) is NOT_GRADED
    assert json.dumps({"1.1": NOT_APPLICABLE}) == '{"1.1": "n/a"}'  # what older drafts hold


def _form(audit: AuditRound) -> tuple[str, str, str]:
    case = next(c for c in audit.cases if "CSC" in c.agencies)
    auditor = next(a.id for a in audit.auditors if a.agency == "CSC")
    return case.id, "CSC", auditor


def test_a_form_keeps_each_answer_in_memory_and_in_frames(store: Store, audit: AuditRound,
                                                          jtai: Framework) -> None:
    case_id, agency, auditor = _form(audit)
    saved = store.save_form(audit, jtai, FormSave(
        case_id, agency, auditor, {"1.1": "Good", "3.1": "Not applicable", "1.3": "", "2.1": None},
        {"1.3": "a note before its grade"}))
    assert saved.grades == {"1.1": 2, "3.1": NOT_APPLICABLE}
    [read] = store.form_history(audit.id, case_id, agency, auditor)
    assert read.grades == saved.grades and read.grades["3.1"] is NOT_APPLICABLE
    frame = store.current_responses(audit.id).set_index("criterion_id")
    assert [answer_from_columns(r.grade, r.not_applicable) for r in frame.itertuples()] == \
        [2, NOT_GRADED, NOT_APPLICABLE]
    assert str(frame["grade"].dtype) == "Int64" and frame["not_applicable"].dtype == bool
    for as_of in (None, pd.Timestamp("2100-01-01").to_pydatetime()):
        counts = store.grade_counts(audit.id, status=None, as_of=as_of).set_index("criterion_id")
        assert counts.loc["3.1", "not_applicable"] and pd.isna(counts.loc["3.1", "grade"])
        assert not counts.loc["1.1", "not_applicable"] and counts.loc["1.1", "grade"] == 2


def test_a_moderation_keeps_not_applicable_and_a_missing_overall_grade(
        store: Store, audit: AuditRound, jtai: Framework) -> None:
    case_id, _, _ = _form(audit)
    saved = store.save_moderation(audit, jtai, ModerationSave(
        case_id, {"1.1": 2, "1.3": "n/a", "1.4": ""}, saved_by="LEAD-1"))
    [read] = store.moderation_history(audit.id, case_id)
    assert saved.grades == read.grades == {"1.1": 2, "1.3": NOT_APPLICABLE}
    assert saved.overall is NOT_GRADED and read.overall is NOT_GRADED
    again = store.save_moderation(audit, jtai, ModerationSave(
        case_id, read.grades, overall="Good", based_on=1, saved_by="LEAD-1"))
    assert store.moderation_history(audit.id, case_id)[-1].overall == again.overall == 2


def test_a_case_overall_grade_cannot_be_not_applicable(store: Store, audit: AuditRound,
                                                        jtai: Framework) -> None:
    case_id, _, _ = _form(audit)
    with pytest.raises(GradeError, match="overall grade cannot be 'not applicable'; give the grade the "
                                         "meeting agreed"):
        store.save_moderation(audit, jtai, ModerationSave(case_id, {"1.1": 2}, overall="n/a",
                                                          saved_by="LEAD-1"))
    assert store.moderation_history(audit.id, case_id) == []


def test_the_buttons_show_not_graded_as_nothing_pressed(scale: Scale) -> None:
    buttons = AnswerButtons(scale.choices(), label="Grade for 1.1 Indicators without disclosure")
    # the row is named for a screen reader, which otherwise hears "Good" with no criterion
    assert buttons.description == "Grade for 1.1 Indicators without disclosure"
    assert buttons.value is None and buttons.answer is NOT_GRADED
    buttons.answer = NOT_APPLICABLE
    assert buttons.label == ANSWER_LABELS[NOT_APPLICABLE] and buttons.answer is NOT_APPLICABLE
    buttons.value = 3  # a click
    assert buttons.answer == 3
    buttons.answer = NOT_GRADED
    assert buttons.value is None
    overall = AnswerButtons([c for c in scale.choices() if is_grade(c[1])], label="Overall grade")
    overall.answer = NOT_APPLICABLE  # not offered: nothing pressed rather than an error
    assert overall.value is None and isinstance(overall.answer, NotGrade)
