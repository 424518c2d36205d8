"""The action plan dashboard as widgets, without a browser: every section in order with the
figures disclosure gives, a picker only when there are several inspections, a plain sentence when
there is no inspection, no plan or a failure, and the page drawn once per state of the store."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml

from caseaudit import disclosure, settings
from caseaudit.findings import pages_of_rounds
from caseaudit.results import round_results
from caseaudit.rounds import load_rounds
from caseaudit.ui.action_plan import NO_INSPECTION, ActionPlanDashboard, render_action_plan
from tests.review_frames import PRIVATE, hand_review, inspection

SECTIONS = ["inspection", "status", "due", "impact", "readiness", "suggestions", "symbols"]


def _page(items) -> str:  # type: ignore[no-untyped-def]
    return "".join(item.value for item in items)


def _write_inspection(folder: Path, ident: str, letter: str) -> None:
    data = inspection().model_dump(mode="json") | {"id": ident, "letter_date": letter}
    (folder / ident).mkdir(parents=True)
    (folder / ident / "inspection.yaml").write_text(yaml.safe_dump(data, sort_keys=False))


def test_the_page_has_every_section_in_order_with_the_figures_disclosure_gives() -> None:
    review = hand_review()
    page = _page(render_action_plan(review))
    found = re.findall(r'data-section="([a-z-]+)"', page)
    assert [s for s in found if s in SECTIONS] == SECTIONS
    impact = disclosure.impact_for_board(review).set_index("action_id")
    row = re.search(r'data-action="A1\.1">(.*?)</tr>', page, re.S).group(1)
    cells = [html.unescape(re.sub(r"<[^>]+>", " ", c)).split()
             for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
    assert " ".join(cells[1]).startswith(impact.loc["A1.1", "before"])
    assert " ".join(cells[2]).startswith(impact.loc["A1.1", "after"])
    assert " ".join(cells[4]) == "improved"
    hidden = re.search(r'data-action="A2\.2">(.*?)</tr>', page, re.S).group(1)
    assert re.findall(r"<td[^>]*>(.*?)</td>", hidden)[2:5] == ["c", "c", "c"]  # after, change, verdict
    assert 'data-due="A1.1"' in page  # the overdue action, in the due table too
    assert "Overdue</span> by 15 days" in page and "overdue by" not in page
    assert page.count('class="ca-figure"') == 3  # status, impact, readiness: each with its table
    assert page.count("The chart's figures as a table") == 3


def test_the_key_lists_the_symbols_used_and_nothing_private_is_on_the_page() -> None:
    page = _page(render_action_plan(hand_review()))
    key = page[page.index('data-section="symbols"'):]
    assert "<dt>c</dt>" in key and "<dt>:</dt>" in key and "<dt>x</dt>" not in key
    for secret in PRIVATE:
        assert secret not in page
    assert "only 3 cases" not in page and "Traceback" not in page


def test_counts_of_actions_are_whole_on_the_page() -> None:
    page = _page(render_action_plan(hand_review()))
    status = page[page.index('data-table="status"'):page.index("</table>", page.index('data-table="status"'))]
    assert "<td>c</td>" not in status
    assert re.search(r'data-figure="actions"><div class="ca-value">4<', page)
    assert re.search(r'data-figure="overdue"><div class="ca-value">1<', page)


def test_a_picker_appears_only_when_there_are_several_inspections(tmp_path: Path) -> None:
    folder = tmp_path / "inspections"
    _write_inspection(folder, "2026-02-jtai", "2026-05-14")
    one = ActionPlanDashboard(inspections=folder, review_of=lambda _: hand_review())
    assert one.picker.layout.display == "none"
    one.show(one.picker.value)
    assert one.shown == "2026-02-jtai" and len(one.body.children) == len(SECTIONS)
    _write_inspection(folder, "2024-01-jtai", "2024-03-01")
    two = ActionPlanDashboard(inspections=folder, review_of=lambda _: hand_review())
    assert two.picker.layout.display is None
    assert [value for _, value in two.picker.options] == ["2026-02-jtai", "2024-01-jtai"]
    assert two.picker.options[0][0] == ("JTAI: Child sexual abuse in the family environment "
                                        "(letter May 2026)")
    two.show(two.picker.value)
    two.picker.value = "2024-01-jtai"  # choosing another draws it
    assert two.shown == "2024-01-jtai"


def test_no_inspection_says_so_in_a_sentence(tmp_path: Path) -> None:
    board = ActionPlanDashboard(inspections=tmp_path / "none", review_of=lambda _: hand_review())
    board.show(board.picker.value)
    assert board.body.children == ()
    assert html.escape(NO_INSPECTION) in board.message.value
    assert 'data-state="empty"' in board.message.value  # said as a state, not a failure


def test_an_inspection_without_a_plan_says_so_in_words(tmp_path: Path, store) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "inspections"
    _write_inspection(folder, "2026-02-jtai", "2026-05-14")
    board = ActionPlanDashboard(store, inspections=folder)
    board.show(board.picker.value)
    assert board.body.children == ()
    assert "has no action plan yet" in board.message.value
    assert "ca-problem" not in board.message.value
    assert "Traceback" not in board.message.value and str(tmp_path) not in board.message.value


def test_a_failure_is_a_plain_sentence_never_a_traceback(tmp_path: Path) -> None:
    folder = tmp_path / "inspections"
    _write_inspection(folder, "2026-02-jtai", "2026-05-14")

    def broken(_: str):  # type: ignore[no-untyped-def]
        raise KeyError("share_after")

    board = ActionPlanDashboard(inspections=folder, review_of=broken)
    board.show(board.picker.value)
    assert "could not be drawn" in board.message.value and "KeyError" not in board.message.value


def test_the_page_is_drawn_once_per_state_and_redrawn_when_the_day_changes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "inspections"
    _write_inspection(folder, "2026-02-jtai", "2026-05-14")
    calls = []
    monkeypatch.setenv(settings.TODAY_ENV, "2026-10-15")

    def review_of(ident: str):  # type: ignore[no-untyped-def]
        calls.append(ident)
        return hand_review()

    board = ActionPlanDashboard(inspections=folder, review_of=review_of)
    board.show(board.picker.value)
    board.show(board.picker.value)
    assert not board.refresh() and calls == ["2026-02-jtai"]
    monkeypatch.setenv(settings.TODAY_ENV, "2026-10-16")
    assert board.refresh() and len(calls) == 2


def test_the_pages_a_review_hides_behind_are_each_rounds_own(filled) -> None:  # type: ignore[no-untyped-def]
    store, audits = filled
    rounds = load_rounds(audits)
    pages = pages_of_rounds(store, [r.id for r in rounds], audits)
    assert list(pages) == [r.id for r in rounds]
    latest = round_results(store, rounds[-1], rounds)
    assert pages[rounds[-1].id] is latest.good_or_better
    assert pages_of_rounds(store, ["no-such-round"], audits) is None
