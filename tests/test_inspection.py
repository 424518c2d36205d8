"""The inspection as data: the example letter loads with its due date counted in working days
with England's bank holidays, and every bad inspection file is refused naming its file, line and
fix."""

from __future__ import annotations

import fnmatch
import tomllib
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from caseaudit import settings
from caseaudit.cli import main
from caseaudit.errors import InspectionError, NotFoundError, WorkbookError
from caseaudit.example_inspection import (
    EXAMPLE_INSPECTION_DIR,
    EXAMPLE_INSPECTION_ID,
    copy_example_inspection,
)
from caseaudit.inspection import (
    list_inspection_ids,
    load_inspection,
    load_inspection_file,
    working_days_after,
)
from caseaudit.privacy import find_personal_data

ROOT = Path(__file__).parents[1]


@pytest.fixture
def inspections(tmp_path: Path) -> Path:
    """A folder of inspections holding a copy of the example."""
    folder = tmp_path / "inspections"
    copy_example_inspection(folder)
    return folder


def _edit(inspections: Path, old: str, new: str) -> Path:
    path = inspections / EXAMPLE_INSPECTION_ID / "inspection.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if text in line)


def _refused(path: Path) -> str:
    with pytest.raises(InspectionError) as caught:
        load_inspection_file(path)
    message = str(caught.value)
    assert str(path) in message and "nothing was saved" in message
    return message


# -- the example -------------------------------------------------------------------------------------

def test_the_example_is_the_seed_letters_findings_in_its_order(inspections: Path) -> None:
    inspection = load_inspection(EXAMPLE_INSPECTION_ID, inspections)
    assert (inspection.type, inspection.framework) == ("JTAI", "jtai-csa-family")
    assert inspection.inspectorates == ["Ofsted", "CQC", "HMICFRS", "HMI Probation"]
    assert (inspection.visit.start, inspection.visit.end) == (date(2026, 2, 9), date(2026, 2, 13))
    assert list(inspection.areas_by_id) == [f"A{i}" for i in range(1, 10)]
    assert [s.id for s in inspection.strengths] == [f"S{i}" for i in range(1, 9)]
    # the letter's first and last points, word for word
    assert inspection.areas_by_id["A1"].text == ("The involvement of the probation service in the "
                                                 "partnership at a strategic level.")
    assert inspection.areas_by_id["A9"].text.startswith("Levels of confidence and curiosity")
    assert inspection.strengths[-1].text == ("The role of education providers in supporting "
                                             "children who have been sexually abused.")
    assert list(inspection.lines_by_id) == ["identification", "assessment", "protection",
                                            "prevention"]
    assert inspection.lines_by_id["protection"].criteria[3:8] == ["4.1", "4.2", "4.3", "4.4", "4.5"]


def test_the_example_names_no_one(inspections: Path) -> None:
    """The letter is addressed to and signed by named people; none of them is in the data."""
    text = (EXAMPLE_INSPECTION_DIR / "inspection.yaml").read_text(encoding="utf-8")
    text += (EXAMPLE_INSPECTION_DIR / "action_plan.yaml").read_text(encoding="utf-8")
    seed = Path("/work/shared/seeds/001_1a7901fa23543e23.txt")
    people = ["Lyons", "Reeves", "Broughton", "Barber", "Hogg", "Browning", "Sutherland",
              "Yvette", "Fowler", "Kathryn", "Martin Jones"]
    if seed.exists():  # the letter itself, where this checkout has it
        assert all(name in seed.read_text(encoding="utf-8") for name in people)
    assert "@" not in text and not any(name in text for name in people)
    inspection = load_inspection(EXAMPLE_INSPECTION_ID, inspections)
    for finding in [*inspection.areas_for_improvement, *inspection.strengths]:
        assert not [f for f in find_personal_data(f"{finding.title}. {finding.text}")
                    if f.kind in ("name", "email")], finding.id


def test_the_example_ships_as_package_data() -> None:
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"]["caseaudit"]
    files = sorted(EXAMPLE_INSPECTION_DIR.iterdir())
    assert [f.name for f in files] == ["action_plan.yaml", "inspection.yaml"]
    for file in files:
        relative = file.relative_to(settings.PACKAGE_DIR).as_posix()
        assert any(fnmatch.fnmatch(relative, p) for p in patterns), relative


def test_demo_data_writes_the_example_beside_the_rounds(tmp_path: Path) -> None:
    audits = tmp_path / "demo" / "audits"
    result = CliRunner().invoke(main, ["demo-data", "--cases", "3", "--rounds", "1", "--audits",
                                       str(audits), "--db", str(tmp_path / "demo.db")])
    assert result.exit_code == 0, result.output
    written = tmp_path / "demo" / "inspections" / EXAMPLE_INSPECTION_ID
    assert "the example inspection" in result.output and str(written) in result.output
    for name in ("inspection.yaml", "action_plan.yaml"):
        assert (written / name).read_bytes() == (EXAMPLE_INSPECTION_DIR / name).read_bytes()
    assert list_inspection_ids(tmp_path / "demo" / "inspections") == [EXAMPLE_INSPECTION_ID]


# -- the statement of action's due date --------------------------------------------------------------

def test_the_statement_of_action_is_due_70_working_days_after_the_letter(inspections: Path) -> None:
    # the seed letter: dated 14 May 2026, "by 21 August 2026"
    assert load_inspection(EXAMPLE_INSPECTION_ID, inspections).statement_due == date(2026, 8, 21)
    assert working_days_after(date(2026, 5, 14), 70) == date(2026, 8, 21)
    # domain.md (e): a letter published 30 January 2018, statement due 11 May 2018
    assert working_days_after(date(2018, 1, 30), 70) == date(2018, 5, 11)


def test_working_days_skip_weekends_and_englands_bank_holidays() -> None:
    assert working_days_after(date(2026, 5, 14), 0) == date(2026, 5, 14)
    assert working_days_after(date(2026, 5, 14), 1) == date(2026, 5, 15)  # the letter's day not counted
    assert working_days_after(date(2026, 5, 15), 1) == date(2026, 5, 18)  # Friday -> Monday
    assert working_days_after(date(2026, 5, 22), 1) == date(2026, 5, 26)  # spring bank holiday
    assert working_days_after(date(2023, 12, 22), 1) == date(2023, 12, 27)  # Christmas, Boxing Day
    assert working_days_after(date(2027, 12, 24), 1) == date(2027, 12, 29)  # substitute days
    # England's calendar, not Scotland's: 2 January and St Andrew's Day are working days
    assert working_days_after(date(2026, 1, 1), 1) == date(2026, 1, 2)
    assert working_days_after(date(2026, 11, 27), 1) == date(2026, 11, 30)
    with pytest.raises(ValueError):
        working_days_after(date(2026, 5, 14), -1)


def test_a_date_the_letter_gives_wins_over_the_count(inspections: Path) -> None:
    _edit(inspections, "  working_days: 70\n", "  working_days: 70\n  due: 2026-08-28\n")
    assert load_inspection(EXAMPLE_INSPECTION_ID, inspections).statement_due == date(2026, 8, 28)
    _edit(inspections, "  due: 2026-08-28\n", "")
    _edit(inspections, "  working_days: 70\n", "  working_days: 20\n")
    assert load_inspection(EXAMPLE_INSPECTION_ID, inspections).statement_due == date(2026, 6, 12)


# -- bad inspection files ----------------------------------------------------------------------------

def test_malformed_yaml_names_the_line(inspections: Path) -> None:
    path = _edit(inspections, "theme: Child sexual abuse", "theme: [Child sexual abuse")
    message = _refused(path)
    assert "not valid YAML" in message and "line " in message and "indentation" in message


def test_an_inspection_without_its_areas_for_improvement_is_refused(inspections: Path) -> None:
    path = inspections / EXAMPLE_INSPECTION_ID / "inspection.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("areas_for_improvement:"), text.index("# \"Strengths\"")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    message = _refused(path)
    assert "the required field 'areas_for_improvement' is missing; add it" in message

    path.write_text(text[:start] + "areas_for_improvement: []\n" + text[end:], encoding="utf-8")
    message = _refused(path)
    assert f"line {_line_of(path, 'areas_for_improvement: []')}, areas_for_improvement" in message


def test_an_area_without_its_text_is_refused(inspections: Path) -> None:
    path = _edit(inspections, "    text: The quality and effectiveness of safety planning for "
                 "children.\n", "")
    message = _refused(path)
    assert (f"line {_line_of(path, 'id: A3')}, areas_for_improvement[2]: the required field 'text' "
            "is missing; add it") in message


def test_a_duplicate_id_is_refused_with_its_line(inspections: Path) -> None:
    original = _line_of(path := inspections / EXAMPLE_INSPECTION_ID / "inspection.yaml", "id: A4")
    _edit(inspections, "  - id: A4\n", "  - id: A3\n")
    assert (f"line {original}, areas_for_improvement[3].id: the id 'A3' is used twice; give each "
            "one its own") in _refused(path)


def test_a_strength_sharing_an_areas_id_is_refused(inspections: Path) -> None:
    path = _edit(inspections, "  - id: S8\n", "  - id: A8\n")
    assert "'A8' is also an area for improvement's id; give the strength another" in _refused(path)


def test_an_unknown_criterion_in_a_line_of_enquiry_names_the_framework(inspections: Path) -> None:
    path = _edit(inspections, '["1.1", "1.2", "1.3", "1.4"]', '["1.1", "1.2", "9.9", "1.4"]')
    message = _refused(path)
    line = _line_of(path, '"9.9"')
    assert (f"line {line}, lines_of_enquiry[0].criteria[2]: criterion '9.9' is not in framework "
            "jtai-csa-family (version 1.0); use one of its criteria: 1.1, 1.2") in message


def test_an_unknown_framework_is_refused(inspections: Path) -> None:
    path = _edit(inspections, "framework: jtai-csa-family", "framework: no-such-framework")
    message = _refused(path)
    assert f"line {_line_of(path, 'framework: no-such')}, framework: the framework cannot be used" \
        in message and "no-such-framework" in message


def test_a_letter_before_the_visit_ended_is_refused(inspections: Path) -> None:
    path = _edit(inspections, "letter_date: 2026-05-14", "letter_date: 2026-02-12")
    assert ("the letter (2026-02-12) is dated before the visit ended (2026-02-13); check both "
            "dates") in _refused(path)


def test_an_inspection_in_another_folder_than_its_id_is_refused(inspections: Path) -> None:
    path = _edit(inspections, "id: 2026-02-jtai", "id: 2026-03-jtai")
    assert ("the inspection id '2026-03-jtai' differs from its folder name '2026-02-jtai'; rename "
            "one so they match") in _refused(path)


def test_an_unknown_field_is_refused(inspections: Path) -> None:
    path = _edit(inspections, "theme:", "theem:")
    message = _refused(path)
    assert "theem" in message and f"line {_line_of(path, 'theem:')}" in message


def test_an_inspection_that_is_not_there_lists_those_that_are(inspections: Path) -> None:
    with pytest.raises(NotFoundError, match=r"no inspection '2026-09-jtai'.*Inspections there: "
                                            r"2026-02-jtai.*CASEAUDIT_INSPECTIONS"):
        load_inspection("2026-09-jtai", inspections)
    assert list_inspection_ids(inspections / "nowhere") == []


# -- settings ---------------------------------------------------------------------------------------

def test_inspections_are_kept_beside_the_audits_folder(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(settings.INSPECTIONS_ENV, raising=False)
    monkeypatch.setenv(settings.AUDITS_ENV, str(tmp_path / "demo" / "audits"))
    assert settings.inspections_dir() == (tmp_path / "demo" / "inspections").resolve()
    monkeypatch.setenv(settings.INSPECTIONS_ENV, str(tmp_path / "elsewhere"))
    assert settings.inspections_dir() == (tmp_path / "elsewhere").resolve()
    assert settings.inspections_dir(tmp_path / "given") == (tmp_path / "given").resolve()


def test_today_can_be_fixed_and_a_bad_value_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(settings.TODAY_ENV, "2026-11-27")
    assert settings.today() == date(2026, 11, 27)
    monkeypatch.setenv(settings.TODAY_ENV, "27/11/2026")
    with pytest.raises(WorkbookError, match="CASEAUDIT_TODAY is '27/11/2026': set it to a date "
                                            "written as YYYY-MM-DD"):
        settings.today()
    monkeypatch.delenv(settings.TODAY_ENV)
    assert settings.today() == date.today()
