"""Warning when an evidence note looks like it holds personal data.

Evidence notes are free text, written in a hurry from a case file; an NHS number, a postcode or
a child's name can slip in. The workbook never refuses a note for this (losing an auditor's work
is worse), it warns, naming what it found, so the auditor can rewrite it. Usable on its own:

>>> [f.kind for f in find_personal_data("Seen at home, LS6 2AB; mother Amelia Jones present.")]
['postcode', 'name']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from .identifiers import is_valid_nhs_number, looks_like_date
from .settings import PACKAGE_DIR

_NHS = re.compile(r"(?<![\d-])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\d-])")
_POSTCODE = re.compile(
    r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE)
_EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")
_PHONE = re.compile(r"(?<![\d+])(?:\+44\s?\(?0?\)?\s?|0044\s?|0)\d(?:[\s-]?\d){8,9}(?!\d)")
_MONTHS = (r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*")
_DATE = re.compile(
    rf"\b(?:\d{{1,2}}[/.\-]\d{{1,2}}[/.\-](?:\d{{4}}|\d{{2}})|\d{{4}}-\d{{1,2}}-\d{{1,2}}|"
    rf"\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}\s+\d{{4}})\b", re.IGNORECASE)
_BIRTH_CUE = re.compile(r"(?:\bd\.?o\.?b\b|\bborn\b|date of birth|birthday)\W{0,3}(?:\w+\W+){0,2}$",
                        re.IGNORECASE)
_NAME = re.compile(r"\b([A-Z][a-z]+)\s+((?:O['’]|Mc|Mac)?[A-Z][a-z'’]+(?:-[A-Z][a-z]+)?)\b")


@dataclass(frozen=True)
class Finding:
    """Something in a note that looks like personal data."""

    kind: str
    text: str
    start: int
    end: int


@cache
def first_names() -> frozenset[str]:
    """Common first names (shipped with the package), for spotting "Firstname Surname"."""
    path = PACKAGE_DIR / "data" / "first_names.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(n.strip() for n in lines if n.strip() and not n.startswith("#"))


def _year(text: str) -> int | None:
    years = re.findall(r"\d{4}", text)
    if years:
        return int(years[-1])
    two = re.findall(r"\d{2}$", text)
    return 2000 + int(two[0]) if two else None


def find_personal_data(text: str, today: date | None = None) -> list[Finding]:
    """Everything in ``text`` that looks like personal data, in order of appearance.

    Looks for NHS numbers (with a valid check digit), UK postcodes, e-mail addresses, UK phone
    numbers, dates of birth (a date after "born" or "DOB", or any full date two or more years
    old, since audits look at recent practice), and a common first name followed by a capitalised
    word.
    """
    today = today or date.today()
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, m: re.Match[str]) -> None:
        if any(m.start() < end and start < m.end() for start, end in taken):
            return
        taken.append((m.start(), m.end()))
        found.append(Finding(kind, m.group(0), m.start(), m.end()))

    for m in _EMAIL.finditer(text):
        add("e-mail address", m)
    for m in _NHS.finditer(text):
        if is_valid_nhs_number(m.group(0)):
            add("NHS number", m)
    for m in _PHONE.finditer(text):
        add("phone number", m)
    for m in _DATE.finditer(text):
        candidate = re.sub(r"(?<=\d)(st|nd|rd|th)", "", m.group(0), flags=re.IGNORECASE)
        if not looks_like_date(candidate):
            continue
        cued = bool(_BIRTH_CUE.search(text[max(0, m.start() - 30):m.start()]))
        year = _year(candidate)
        if cued or (year is not None and year <= today.year - 2):
            add("date of birth", m)
    for m in _POSTCODE.finditer(text):
        add("postcode", m)
    names = first_names()
    for m in _NAME.finditer(text):
        if m.group(1) in names:
            add("name", m)
    return sorted(found, key=lambda f: f.start)


def describe_findings(findings: list[Finding]) -> str:
    """A warning an auditor can act on, or ``""`` when nothing was found."""
    if not findings:
        return ""
    parts = [f"{f.kind} ({f.text})" for f in findings]
    return ("This note may contain personal data: " + "; ".join(parts) + ". It has been saved; "
            "please rewrite it without identifying details (say 'the child', 'the mother', "
            "'the family home').")
