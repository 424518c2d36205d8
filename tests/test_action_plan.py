"""The action plan as data: the example plan loads against its inspection, and every plan that
does not fit the inspection or its framework is refused naming its file, line and fix; writing a
plan is all or nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from caseaudit import action_plan
from caseaudit.action_plan import (
    PARTNERSHIP,
    STATUSES,
    ActionPlan,
    load_plan,
    plan_path,
    write_plan,
)
from caseaudit.errors import NotFoundError, PlanError
from caseaudit.example_inspection import EXAMPLE_INSPECTION_ID, copy_example_inspection
from caseaudit.inspection import Inspection, load_inspection


@pytest.fixture
def inspections(tmp_path: Path) -> Path:
    folder = tmp_path / "inspections"
    copy_example_inspection(folder)
    return folder


@pytest.fixture
def inspection(inspections: Path) -> Inspection:
    return load_inspection(EXAMPLE_INSPECTION_ID, inspections)


def _plan_file(inspections: Path) -> Path:
    return inspections / EXAMPLE_INSPECTION_ID / "action_plan.yaml"


def _edit(inspections: Path, old: str, new: str, count: int = 1) -> Path:
    path = _plan_file(inspections)
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


def _line_of(path: Path, text: str, after: str = "") -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i, line in enumerate(lines[start:], start + 1) if text in line)


def _refused(inspection: Inspection, path: Path) -> str:
    with pytest.raises(PlanError) as caught:
        load_plan(inspection, path)
    message = str(caught.value)
    assert str(path) in message and "nothing was saved" in message
    return message


# -- the example -------------------------------------------------------------------------------------

def test_the_example_plan_answers_every_area_with_the_contracts_actions(
        inspection: Inspection, inspections: Path) -> None:
    plan = load_plan(inspection, inspections=inspections)
    assert plan.inspection == inspection.id
    assert [a.area for a in plan.areas] == list(inspection.areas_by_id)
    expected = {  # contract11.md: the actions the impact helper's synthetic effects are built on
        "A1.1": ("Prob", date(2026, 6, 1), date(2026, 9, 30), ["2.1", "2.3"]),
        "A2.1": (PARTNERSHIP, date(2026, 6, 15), date(2026, 12, 31), []),
        "A3.1": ("CSC", date(2026, 6, 1), date(2026, 8, 31), ["4.4", "4.5"]),
        "A4.1": ("Pol", date(2026, 6, 1), date(2026, 10, 31), ["5.1", "5.2"]),
        "A5.1": ("Edu", date(2026, 7, 1), date(2026, 12, 31), ["1.1", "1.4"]),
        "A6.1": (PARTNERSHIP, date(2026, 9, 1), date(2027, 3, 31), ["1.3"]),
        "A7.1": ("Pol", date(2026, 7, 1), date(2026, 12, 31), ["2.3", "4.3"]),
        "A8.1": ("Prob", date(2026, 10, 1), date(2027, 3, 31), ["2.3", "4.3"]),
        "A9.1": (PARTNERSHIP, date(2026, 6, 1), date(2026, 11, 30), ["1.3", "6.3"]),
    }
    got = {a.id: (a.lead_agency, a.start, a.due, a.criteria) for a in plan.actions_by_id.values()}
    assert got == expected
    assert plan.area_of["A3.1"] == "A3" and plan.area_of["A9.1"] == "A9"
    assert [action.id for _, action in plan.all_actions()] == list(expected)
    assert all(area.outcome and area.governance_owner for area in plan.areas)
    assert STATUSES == ("not started", "on track", "at risk", "off track", "complete")


def test_real_role_titles_pass_the_privacy_guard(inspection: Inspection, inspections: Path) -> None:
    roles = ["Designated Nurse for Safeguarding Children", "Named GP for Safeguarding",
             "Director of Children's Services", "Local Authority Designated Officer",
             "Detective Chief Inspector, Management of Sexual Offenders", "Principal Social Worker",
             "Service Manager, MASH", "ChISVA Team Manager", "Head of Virtual School"]
    path = _plan_file(inspections)
    for role in roles:
        _edit(inspections, "lead_role: Head of Probation Delivery Unit",
              f"lead_role: {role}")
        assert load_plan(inspection, path).actions_by_id["A1.1"].lead_role == role
        _edit(inspections, f"lead_role: {role}", "lead_role: Head of Probation Delivery Unit")


# -- bad plans ---------------------------------------------------------------------------------------

def test_a_persons_name_or_contact_as_lead_role_is_refused(inspection: Inspection,
                                                           inspections: Path) -> None:
    path = _edit(inspections, "lead_role: MAPPA Coordinator", "lead_role: Sarah Jones")
    message = _refused(inspection, path)
    assert (f"line {_line_of(path, 'Sarah Jones')}, areas[7].actions[0].lead_role: 'Sarah Jones' "
            "looks like it names a person or their contact details (name 'Sarah Jones'); "
            "write the role or body only (e.g. 'Head of Service')") in message
    _edit(inspections, "lead_role: Sarah Jones", "lead_role: mappa.coordinator@example.org")
    assert "(e-mail address 'mappa.coordinator@example.org')" in _refused(inspection, path)
    _edit(inspections, "lead_role: mappa.coordinator@example.org", "lead_role: MAPPA Coordinator")
    path = _edit(inspections, "governance_owner: CSA subgroup", "governance_owner: Dr Patel")
    assert "areas[2].governance_owner: 'Dr Patel' looks like it names a person" in \
        _refused(inspection, path)


def test_a_name_in_the_plans_words_is_refused_as_the_board_reads_them(inspection: Inspection,
                                                                      inspections: Path) -> None:
    path = _edit(inspections, "        description: >-\n", "        description: >-\n"
                 "          Chris Walker will lead this.\n")
    message = _refused(inspection, path)
    assert (f"line {_line_of(path, 'description')}, areas[0].actions[0].description: this looks "
            "like it names a person or their contact details (name 'Chris Walker'); write roles "
            "or teams instead") in message
    _edit(inspections, "          Chris Walker will lead this.\n", "")
    path = _edit(inspections, "        success_measure: >-\n", "        success_measure: >-\n"
                 "          Reported to jo.bloggs@example.org each month.\n")
    assert "areas[0].actions[0].success_measure: this looks like it names a person or their " \
        "contact details (e-mail address 'jo.bloggs@example.org')" in _refused(inspection, path)


def test_an_area_the_inspection_lacks_is_refused_listing_those_it_has(
        inspection: Inspection, inspections: Path) -> None:
    path = _edit(inspections, "  - area: A9\n", "  - area: A10\n")
    assert (f"line {_line_of(path, 'area: A10')}, areas[8].area: area 'A10' is not one of "
            "inspection 2026-02-jtai's areas for improvement (A1, A2, A3, A4, A5, A6, A7, A8, A9); "
            "use one of those ids") in _refused(inspection, path)


def test_a_plan_for_an_area_dropped_from_the_inspection_is_refused(inspections: Path) -> None:
    """An inspection file with a missing area: the plan still answering it no longer loads."""
    letter = inspections / EXAMPLE_INSPECTION_ID / "inspection.yaml"
    text = letter.read_text(encoding="utf-8")
    start = text.index("  - id: A9\n")
    letter.write_text(text[:start] + text[text.index("# \"Strengths\""):], encoding="utf-8")
    shorter = load_inspection(EXAMPLE_INSPECTION_ID, inspections)
    assert "A9" not in shorter.areas_by_id
    message = _refused(shorter, _plan_file(inspections))
    assert "area 'A9' is not one of inspection 2026-02-jtai's areas for improvement (A1, A2" in message


def test_due_before_start_is_refused(inspection: Inspection, inspections: Path) -> None:
    path = _edit(inspections, "due: 2026-08-31", "due: 2026-05-31")
    assert (f"line {_line_of(path, 'due: 2026-05-31')}, areas[2].actions[0].due: the action is due "
            "(2026-05-31) before it starts (2026-06-01); correct one of the dates") in \
        _refused(inspection, path)


def test_a_date_that_is_not_a_date_is_refused(inspection: Inspection, inspections: Path) -> None:
    path = _edit(inspections, "due: 2026-08-31", "due: end of August")
    message = _refused(inspection, path)
    assert f"line {_line_of(path, 'end of August')}, areas[2].actions[0].due" in message


def test_an_unknown_criterion_is_refused(inspection: Inspection, inspections: Path) -> None:
    path = _edit(inspections, 'criteria: ["4.4", "4.5"]', 'criteria: ["4.5", "4.40"]')
    assert (f"line {_line_of(path, '4.40')}, areas[2].actions[0].criteria[1]: criterion '4.40' is "
            "not in framework jtai-csa-family (version 1.0); use one of its criteria: 1.1,") in \
        _refused(inspection, path)


def test_an_unknown_lead_agency_is_refused(inspection: Inspection, inspections: Path) -> None:
    path = _edit(inspections, "lead_agency: CSC", "lead_agency: Police")
    assert (f"line {_line_of(path, 'lead_agency: Police')}, areas[2].actions[0].lead_agency: lead "
            "agency 'Police' is not one of CSC, Pol, Hlth, Edu, Prob, VCS, Partnership; use one of "
            "those") in _refused(inspection, path)


def test_a_duplicate_action_id_or_area_is_refused(inspection: Inspection, inspections: Path) -> None:
    path = _edit(inspections, "id: A4.1", "id: A3.1")
    assert (f"line {_line_of(path, 'id: A3.1', after='area: A4')}, areas[3].actions[0].id: action "
            "id 'A3.1' is used twice; give each action its own") in _refused(inspection, path)
    path.write_text(path.read_text().replace("id: A3.1", "id: A4.1").replace("id: A4.1", "id: A3.1", 1))
    path = _edit(inspections, "  - area: A5\n", "  - area: A4\n")
    assert "areas[4].area: area 'A4' has two sections; merge their actions into one" in \
        _refused(inspection, path)


def test_a_plan_for_another_inspection_is_refused(inspection: Inspection, inspections: Path) -> None:
    path = _edit(inspections, "inspection: 2026-02-jtai", "inspection: 2025-11-jtai")
    assert (f"line {_line_of(path, 'inspection: 2025-11-jtai')}, inspection: the plan is for "
            "inspection '2025-11-jtai', not '2026-02-jtai'; correct the id") in \
        _refused(inspection, path)


def test_malformed_yaml_and_unknown_fields_name_the_line(inspection: Inspection,
                                                         inspections: Path) -> None:
    path = _edit(inspections, "    governance_owner: Partnership board\n",
                 "    governance_owner: [Partnership board\n")
    assert "not valid YAML" in _refused(inspection, path)
    _edit(inspections, "    governance_owner: [Partnership board\n",
          "    governance_owner: Partnership board\n")
    path = _edit(inspections, "success_measure:", "succes_measure:")
    message = _refused(inspection, path)
    assert f"line {_line_of(path, 'succes_measure')}" in message and "succes_measure" in message


def test_no_plan_yet_says_how_to_start_one(inspection: Inspection, inspections: Path) -> None:
    _plan_file(inspections).unlink()
    with pytest.raises(NotFoundError, match=r"has no action plan yet.*caseaudit plan template "
                                            r"--inspection 2026-02-jtai"):
        load_plan(inspection, inspections=inspections)


# -- writing ----------------------------------------------------------------------------------------

def test_a_written_plan_reads_back_the_same(inspection: Inspection, inspections: Path,
                                            tmp_path: Path) -> None:
    plan = load_plan(inspection, inspections=inspections)
    out = write_plan(plan, tmp_path / "copy" / "action_plan.yaml")
    assert load_plan(inspection, out) == plan
    # dates as a person writes them, for editing by hand
    assert "\n    due: 2026-08-31\n" in out.read_text(encoding="utf-8")


def test_a_failed_write_leaves_the_old_plan_whole(inspection: Inspection, inspections: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = plan_path(inspection, inspections)
    before = path.read_bytes()
    plan = load_plan(inspection, path)
    changed = ActionPlan.model_validate({**plan.model_dump(), "areas": plan.model_dump()["areas"][:1]})

    def broken(plan: ActionPlan) -> str:
        raise OSError("disk full")

    monkeypatch.setattr(action_plan, "plan_yaml", broken)
    with pytest.raises(OSError, match="disk full"):
        write_plan(changed, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["action_plan.yaml", "inspection.yaml"]
