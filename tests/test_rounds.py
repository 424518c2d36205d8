"""Audit rounds: a good round loads; each kind of bad round is refused with its place."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseaudit.errors import NotFoundError, RoundError
from caseaudit.identifiers import identifier_problem, is_valid_nhs_number
from caseaudit.rounds import AuditRound, load_round, load_round_file, write_round

ROUND = """\
id: 2026-05-thematic
title: Thematic audit of safety planning
kind: thematic
framework: {id: jtai-csa-family, version: "1.0"}
period: {start: 2026-05-01, end: 2026-05-31}
agencies: [CSC, Pol, Hlth]
auditors:
  - {id: AUD-CSC-7, agency: CSC}
  - {id: AUD-POL-7, agency: Pol}
cases:
  - {id: T26-001, agencies: [CSC, Pol], age_band: 5-9, gender: female, ethnicity_group: White,
     disability: "no", plan_type: child protection}
  - {id: T26-002, agencies: [CSC, Hlth], age_band: 10-15, gender: male, ethnicity_group: Black,
     disability: "yes", plan_type: child in need}
"""


def _round_file(tmp_path: Path, text: str, folder: str = "2026-05-thematic") -> Path:
    path = tmp_path / folder / "audit.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _problems(tmp_path: Path, text: str) -> list:
    with pytest.raises(RoundError) as caught:
        load_round_file(_round_file(tmp_path, text))
    assert "nothing was saved" in str(caught.value)
    return caught.value.problems


def test_an_inline_round_loads(tmp_path: Path) -> None:
    audit = load_round_file(_round_file(tmp_path, ROUND))
    assert audit.kind == "thematic"
    assert audit.expected_forms() == [("T26-001", "CSC"), ("T26-001", "Pol"),
                                      ("T26-002", "CSC"), ("T26-002", "Hlth")]
    assert audit.load_framework().id == "jtai-csa-family"


def test_a_written_round_reads_back_identically(tmp_path: Path, audit: AuditRound) -> None:
    path = write_round(audit, tmp_path)
    assert (path.parent / "cases.csv").read_text().startswith("case_id,agencies,age_band")
    assert load_round_file(path) == audit
    first = path.read_bytes(), (path.parent / "cases.csv").read_bytes()
    write_round(load_round_file(path), tmp_path)
    assert (path.read_bytes(), (path.parent / "cases.csv").read_bytes()) == first


@pytest.mark.parametrize(
    ("old", "new", "place", "line", "message"),
    [
        ("title: Thematic", "tilte: Thematic", "tilte", 2, "Did you mean 'title'?"),
        ("kind: thematic", "kind: audit", "kind", 3, "'maca'"),
        ("id: T26-002", "id: T26-001", "cases[1].id", 13, "listed twice"),
        ("agencies: [CSC, Hlth]", "agencies: [CSC, Prob]", "cases[1].agencies[1]", 13,
         "agency 'Prob', which is not in the round's agencies"),
        ("{id: AUD-POL-7, agency: Pol}", "{id: AUD-POL-7, agency: Edu}", "auditors[1].agency", 9,
         "not one of the round's agencies"),
        ('version: "1.0"}', 'version: "7.3"}', "framework", 4, "no framework jtai-csa-family version 7.3"),
        ("{id: jtai-csa-family,", "{id: jtai-csa-famly,", "framework", 4, "no framework jtai-csa-famly"),
        ("agencies: [CSC, Pol, Hlth]", "agencies: [CSC, Pol, Hlth, Fire]", "agencies[3]", 6,
         "not one of the framework"),
        ("id: T26-001", "id: 943 476 5919", "cases[0].id", 11, "NHS number"),
        ("id: T26-001", "id: 14/03/2015", "cases[0].id", 11, "date of birth"),
        ("id: T26-001", "id: Jessica Smith", "cases[0].id", 11, "person's name"),
        ("end: 2026-05-31", "end: 2026-04-30", "period", 5, "before it starts"),
        ("cases:\n", "moderators: [QA-1, QA-1]\ncases:\n", "moderators[1]", 10, "listed twice"),
        ("cases:\n", "moderators: [QA lead]\ncases:\n", "moderators[0]", 10, "QA lead"),
    ],
)
def test_bad_rounds_are_placed_precisely(tmp_path: Path, old: str, new: str, place: str, line: int,
                                         message: str) -> None:
    assert old in ROUND
    problems = _problems(tmp_path, ROUND.replace(old, new, 1))
    found = [p for p in problems if p.place == place]
    assert found, problems
    assert message in found[0].message
    assert found[0].line == line


def test_yaml_that_does_not_parse_names_its_line(tmp_path: Path) -> None:
    problems = _problems(tmp_path, ROUND.replace("kind: thematic", "kind: [thematic"))
    assert "not valid YAML" in problems[0].message and problems[0].line in (3, 4)


def test_a_round_in_a_folder_of_another_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RoundError, match="differs from its folder name"):
        load_round_file(_round_file(tmp_path, ROUND, folder="may-audit"))


def test_a_case_list_csv_with_a_wrong_column_says_which(tmp_path: Path, audit: AuditRound) -> None:
    path = write_round(audit, tmp_path)
    csv_path = path.parent / "cases.csv"
    csv_path.write_text(csv_path.read_text().replace("age_band", "age"), encoding="utf-8")
    with pytest.raises(RoundError) as caught:
        load_round_file(path)
    text = str(caught.value)
    assert "cases.csv" in text and "missing column(s) age_band" in text
    assert "unknown column(s) age" in text


def test_a_bad_value_in_the_case_list_names_its_row_and_column(tmp_path: Path,
                                                                audit: AuditRound) -> None:
    path = write_round(audit, tmp_path)
    csv_path = path.parent / "cases.csv"
    lines = csv_path.read_text().splitlines()
    lines[3] = lines[3].replace(audit.cases[2].plan_type, "foster care")
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(RoundError) as caught:
        load_round_file(path)
    places = [p.place for p in caught.value.problems]
    assert "cases.csv row 4, column plan_type" in places


def test_an_unknown_round_lists_the_rounds_there(filled) -> None:  # type: ignore[no-untyped-def]
    _, audits = filled
    with pytest.raises(NotFoundError, match="Rounds there: 2025-12-maca, 2026-03-maca") as caught:
        load_round("2019-01-maca", audits)
    assert "CASEAUDIT_AUDITS" in str(caught.value)


@pytest.mark.parametrize("text", ["943 476 5919", "9434765919", "943-476-5919"])
def test_nhs_numbers_with_a_valid_check_digit_are_spotted(text: str) -> None:
    assert is_valid_nhs_number(text)
    assert identifier_problem(text)


@pytest.mark.parametrize("text", ["9434765918", "123456789", "M2603-001", "C-014", "AUD-CSC-1"])
def test_pseudonymous_ids_and_invalid_numbers_pass(text: str) -> None:
    assert not is_valid_nhs_number(text)
    assert identifier_problem(text) is None


@pytest.mark.parametrize("text", ["2015-03-14", "14.03.2015", "14032015", "3 March 2015",
                                  "14/3/15", "Amelia Jones", "Mary-Jane O'Neil"])
def test_dates_of_birth_and_names_are_refused(text: str) -> None:
    assert identifier_problem(text)
