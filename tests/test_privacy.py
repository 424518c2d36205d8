"""The personal-data detector for evidence notes, on positive and negative examples."""

from __future__ import annotations

from datetime import date

import pytest

from caseaudit.privacy import describe_findings, find_personal_data

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("GP record 943 476 5919 shows no follow-up.", "NHS number", "943 476 5919"),
        ("NHS no. 9434765919.", "NHS number", "9434765919"),
        ("Family moved to LS6 2AB in May.", "postcode", "LS6 2AB"),
        ("Visit at sw1a 1aa was cancelled.", "postcode", "sw1a 1aa"),
        ("Referral from head@school.example.org was late.", "e-mail address",
         "head@school.example.org"),
        ("Mother can be reached on 07700 900123.", "phone number", "07700 900123"),
        ("Call +44 113 496 0000 for the duty team.", "phone number", "+44 113 496 0000"),
        ("DOB 14/03/2026 recorded on the referral.", "date of birth", "14/03/2026"),
        ("Child born 3 March 2024 was not seen.", "date of birth", "3 March 2024"),
        ("Assessment dated 2015-03-14 is out of date.", "date of birth", "2015-03-14"),
        ("Amelia Jones said she felt safe.", "name", "Amelia Jones"),
        ("Spoke with Mohammed Khan-Ali at school.", "name", "Mohammed Khan-Ali"),
        ("Seen with Liam O'Brien after school.", "name", "Liam O'Brien"),
    ],
)
def test_personal_data_is_found(text: str, kind: str, found: str) -> None:
    findings = find_personal_data(text, today=TODAY)
    assert [(f.kind, f.text) for f in findings] == [(kind, found)]
    assert text[findings[0].start:findings[0].end] == found
    message = describe_findings(findings)
    assert kind in message and found in message and "has been saved" in message


@pytest.mark.parametrize(
    "text",
    [
        "Strategy discussion held within 24 hours; police and health attended.",
        "The child was seen alone on 12/10/2026 and their words are recorded.",  # recent event
        "Number 9434765918 fails the check digit.",
        "Case M2603-017 reviewed; Good practice evident in Safety Planning.",
        "The Head Teacher and the Designated Safeguarding Lead met.",
        "Score 4 of 10; plan reviewed at week 6.",
        "Probation shared MAPPA level 2 status.",
        "",
    ],
)
def test_ordinary_audit_notes_pass(text: str) -> None:
    assert find_personal_data(text, today=TODAY) == []
    assert describe_findings([]) == ""


def test_several_findings_are_all_named_in_order() -> None:
    text = "Jessica Smith (DOB 01/02/2019) lives at LS6 2AB, NHS 943 476 5919."
    kinds = [f.kind for f in find_personal_data(text, today=TODAY)]
    assert kinds == ["name", "date of birth", "postcode", "NHS number"]


# -- phone numbers in the shapes people write them (Ofcom's drama ranges; NANP's 555-01xx) -------

@pytest.mark.parametrize(
    "number",
    [
        "(0113) 496 0000", "(020) 7946 0018", "(0161) 496 0123", "(01632) 960 123",
        "+44 (0)113 496 0000", "+44 (0)20 7946 0018", "+44 (0)7700 900123",
        "07700 900123", "07700900123", "07700 900 123", "07700-900-123",
        "+44 7700 900123", "0044 20 7946 0018", "0113-496-0000", "0113 4960999",
        "0191 498 0123", "029 2018 0456", "028 9649 6123", "01632 960123",
        "+1 202 555 0143",
    ],
)
def test_phone_numbers_in_every_common_shape_are_found(number: str) -> None:
    text = f"Family can be reached on {number} after 6pm."
    assert [(f.kind, f.text) for f in find_personal_data(text, today=TODAY)] == [("phone number", number)]


@pytest.mark.parametrize(
    "text",
    [
        "Academic year 2025-26: attendance 88%.",
        "Visits 0 1 2 3 4 5 6 7 8 9 were counted.",
        "Seen between 09:30-11:45 at school.",
        "Reference 0001234567 on the referral.",
        "Dialled 0113 but nobody answered.",
        "Plan reviewed at week 6 and week 10; 3 of 12 actions done.",
    ],
)
def test_numbers_that_are_not_phone_numbers_pass(text: str) -> None:
    assert find_personal_data(text, today=TODAY) == []


def test_a_date_is_a_date_of_birth_not_a_phone_number() -> None:
    findings = find_personal_data("DOB 01.02.2019 and 01 02 2019 on the form.", today=TODAY)
    assert [f.kind for f in findings] == ["date of birth"]


def test_a_phone_number_holding_ten_digits_is_not_taken_for_an_nhs_number() -> None:
    text = "Mobile +44 (0)113 496 0387 is on the plan."  # 113 496 0387 passes the NHS check
    assert [(f.kind, f.text) for f in find_personal_data(text, today=TODAY)] == [
        ("phone number", "+44 (0)113 496 0387")]


def test_an_ordinal_after_a_section_is_not_a_postcode() -> None:
    assert find_personal_data("S47 2nd strategy discussion; Y10 6th form place.", today=TODAY) == []
    assert [f.text for f in find_personal_data("Moved to S47 2ND in May.", today=TODAY)] == ["S47 2ND"]
