"""The people file: the example loads; every bad file is refused naming its file, line and fix;
the signed-in person is the hub's user looked up in it."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseaudit import settings
from caseaudit.errors import PeopleError, WorkbookError
from caseaudit.people import ROLES, Person, load_people, login_role, signed_in
from caseaudit.privacy import find_personal_data

EXAMPLE = Path(__file__).parents[1] / "deploy" / "people.example.yaml"

GOOD = """\
people:
  - user: pol-auditor-1
    role: auditor
    agency: Pol
    auditor: AUD-POL-1
  - user: moderator-1
    role: moderator
  - user: qa.lead@example.org
    role: qa_lead
  - user: board-1
    role: board_viewer
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "people.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _refused(path: Path) -> str:
    with pytest.raises(PeopleError) as caught:
        load_people(path)
    message = str(caught.value)
    assert message.startswith(f"people file {path} cannot be used"), message
    assert "run `caseaudit db-roles --people FILE` again; nothing was saved" in message
    return message


def _line_of(path: Path, text: str, nth: int = 1) -> int:
    hits = [i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if text in line]
    return hits[nth - 1]


def test_the_example_lists_every_role_with_pseudonymous_names_only() -> None:
    people = load_people(EXAMPLE)
    assert {p.role for p in people.values()} == set(ROLES)
    auditors = [p for p in people.values() if p.role == "auditor"]
    assert auditors and all(p.agency and p.auditor for p in auditors)
    assert find_personal_data(EXAMPLE.read_text(encoding="utf-8")) == []


def test_a_good_file_gives_each_person_by_user(tmp_path: Path) -> None:
    people = load_people(_write(tmp_path, GOOD))
    assert people["pol-auditor-1"] == Person("pol-auditor-1", "auditor", "Pol", "AUD-POL-1")
    assert people["moderator-1"] == Person("moderator-1", "moderator", None, None)
    assert people["qa.lead@example.org"].login_role == "ca_qa_lead_example_org"
    assert login_role("pol-auditor-1") == "ca_pol_auditor_1"


def test_an_unknown_role_is_refused_at_its_line_with_the_roles_listed(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("role: qa_lead", "role: qa lead"))
    message = _refused(path)
    assert f"line {_line_of(path, 'role: qa lead')}, people[2].role" in message
    assert "unknown role 'qa lead'. Did you mean 'qa_lead'?" in message
    assert all(role in message for role in ROLES)


def test_an_auditor_without_agency_or_auditor_id_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("    agency: Pol\n", "").replace("    auditor: AUD-POL-1\n", ""))
    message = _refused(path)
    line = _line_of(path, "user: pol-auditor-1")
    assert f"line {line}, people[0]: an auditor needs 'agency': add the agency" in message
    assert f"line {line}, people[0]: an auditor needs 'auditor': add their pseudonymous" in message


def test_an_agency_on_someone_not_an_auditor_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("role: moderator\n", "role: moderator\n    agency: Pol\n"))
    message = _refused(path)
    assert (f"line {_line_of(path, 'agency: Pol', 2)}, people[1].agency: only an auditor has "
            "'agency' (this person is moderator); remove it") in message


def test_a_person_listed_twice_is_refused_at_the_second_listing(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD + "  - user: moderator-1\n    role: qa_lead\n")
    message = _refused(path)
    assert (f"line {_line_of(path, 'user: moderator-1', 2)}, people[4].user: user 'moderator-1' "
            "is listed twice (also at people[1]); list each person once") in message


def test_two_users_sharing_a_database_login_or_an_auditor_id_are_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD + "  - user: moderator_1\n    role: moderator\n"
                  "  - user: pol-auditor-2\n    role: auditor\n    agency: Pol\n    auditor: AUD-POL-1\n")
    message = _refused(path)
    assert (f"line {_line_of(path, 'user: moderator_1')}, people[4].user: user 'moderator_1' and "
            "'moderator-1' (people[1]) would share the database login ca_moderator_1") in message
    assert (f"line {_line_of(path, 'AUD-POL-1', 2)}, people[5].auditor: auditor id 'AUD-POL-1' is "
            "already user 'pol-auditor-1''s") in message


def test_a_capitalised_or_spaced_user_name_is_refused_with_the_fix(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("user: board-1", "user: Board-1")
                  .replace("user: moderator-1", "user: moderator 1"))
    message = _refused(path)
    assert f"line {_line_of(path, 'Board-1')}, people[3].user" in message
    assert "write it as 'board-1'" in message
    assert f"line {_line_of(path, 'moderator 1')}, people[1].user: user 'moderator 1' must be" in message


@pytest.mark.parametrize(("text", "expected"), [
    ("people:\n  - user: a\n   role: auditor\n", "line 3, (top level): this is not valid YAML"),
    ("people:\n  - user: a\n    user: b\n    role: qa_lead\n",
     "line 3, people[0].user: this key appears twice"),
    ("people: []\n", "people: list should have at least 1 item"),
    ("- user: a\n", "line 1, (top level): input should be a valid dictionary"),
    ("people:\n  - user: a\n    role: qa_lead\n    roles: x\n",
     "line 4, people[0].roles: unknown field 'roles'"),
    ("", "the file is empty"),
])
def test_malformed_yaml_is_refused_naming_the_line(tmp_path: Path, text: str, expected: str) -> None:
    assert expected in _refused(_write(tmp_path, text))


def test_a_missing_file_is_refused_naming_it(tmp_path: Path) -> None:
    assert "the file does not exist" in _refused(tmp_path / "people.yaml")


def test_signed_in_is_none_off_a_hub_and_the_hub_user_on_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, GOOD)
    monkeypatch.delenv(settings.HUB_USER_ENV, raising=False)
    monkeypatch.setenv(settings.PEOPLE_ENV, str(tmp_path / "absent.yaml"))
    assert signed_in() is None  # off a hub the file is not even read
    monkeypatch.setenv(settings.PEOPLE_ENV, str(path))
    monkeypatch.setenv(settings.HUB_USER_ENV, "pol-auditor-1")
    assert signed_in() == Person("pol-auditor-1", "auditor", "Pol", "AUD-POL-1")
    assert signed_in({"pol-auditor-1": Person("pol-auditor-1", "qa_lead")}).role == "qa_lead"


def test_a_hub_user_missing_from_the_file_gets_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, GOOD)
    monkeypatch.setenv(settings.PEOPLE_ENV, str(path))
    monkeypatch.setenv(settings.HUB_USER_ENV, "stranger")
    with pytest.raises(WorkbookError) as caught:
        signed_in()
    assert str(caught.value).startswith(f"You are signed in as stranger, but the people file {path} "
                                        "does not list you")
