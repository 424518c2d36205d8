"""Spotting identifiers that look like real personal data.

Case ids must be pseudonymous. A typing slip that puts an NHS number, a date of birth or a child's
name in the case-id column would put personal data into every export, so such ids are refused
when a round is loaded. (Issue 3 extends this module to free-text evidence notes.)
"""

from __future__ import annotations

import re
from datetime import date

_NHS_RE = re.compile(r"^\d{3}[ -]?\d{3}[ -]?\d{4}$")
_DOB_PATTERNS = [
    re.compile(r"^(?P<d>\d{1,2})[/.\- ](?P<m>\d{1,2})[/.\- ](?P<y>\d{2}|\d{4})$"),
    re.compile(r"^(?P<y>\d{4})[/.\-](?P<m>\d{1,2})[/.\-](?P<d>\d{1,2})$"),
    re.compile(r"^(?P<d>\d{2})(?P<m>\d{2})(?P<y>\d{4})$"),
    re.compile(r"^(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})$"),
]
_MONTHS = ("jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|"
           "july|august|september|october|november|december")
_DOB_WORDS = re.compile(rf"^\d{{1,2}}(st|nd|rd|th)?[ \-]?({_MONTHS})[ \-,]*\d{{2,4}}$", re.I)
_NAME_PART = r"(?:O['’])?[A-Z][a-z]+(?:['’-][A-Z]?[a-z]+)*"
_NAME_RE = re.compile(rf"^{_NAME_PART}(?:[ _.]+{_NAME_PART}){{1,2}}$")
#: What separates the parts of a name typed as an id: jane.doe, JANE-DOE, Doe_Jane, "DOE, Jane".
_NAME_SEPARATORS = re.compile(r"[ ._,-]+")
_APOSTROPHES = re.compile(r"['’]")


def is_valid_nhs_number(text: str) -> bool:
    """True if ``text`` is ten digits (spaces or hyphens allowed) passing the NHS modulus-11 check.

    The check: weights 10..2 on the first nine digits; 11 minus the sum mod 11 is the check digit,
    where 11 becomes 0 and 10 means the number is invalid (NHS Data Dictionary, "NHS Number").
    """
    if not _NHS_RE.match(text.strip()):
        return False
    digits = [int(c) for c in text if c.isdigit()]
    total = sum(d * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == digits[9]


def looks_like_date(text: str) -> bool:
    """True if ``text`` is a whole date (day, month and year) in a common written form."""
    if _DOB_WORDS.match(text):
        return True
    for pattern in _DOB_PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        year = int(m["y"])
        year = year + 2000 if year < 100 else year
        try:
            date(year, int(m["m"]), int(m["d"]))
        except ValueError:
            continue
        return True
    return False


def identifier_problem(case_id: str, instead: str | None = None) -> str | None:
    """Why ``case_id`` looks like a real identifier, or ``None`` if it looks pseudonymous.

    ``instead`` replaces the closing advice (which suggests a case reference) for ids of people,
    e.g. "use a pseudonymous id such as P-03 instead".
    """
    problem = _identifier_problem(case_id.strip())
    if problem is not None and instead is not None:
        return f"{problem.split('; use ')[0]}; {instead}"
    return problem


def _identifier_problem(text: str) -> str | None:
    if is_valid_nhs_number(text):
        return ("looks like an NHS number (ten digits passing the NHS check); use the "
                "partnership's pseudonymous case reference instead")
    if looks_like_date(text):
        return "looks like a date of birth; use a pseudonymous case reference instead"
    if _NAME_RE.match(text):
        return ("looks like a person's name (Firstname Lastname); use a pseudonymous case "
                "reference such as C-014 instead")
    first = _first_name_in(text)
    if first:
        return (f"looks like a person's name ('{first}' is a first name); use a pseudonymous "
                "case reference such as C-014 instead")
    return None


def _first_name_in(text: str) -> str | None:
    """The known first name in ``text`` if it is a name in another shape, else ``None``.

    A name typed as an id comes in many shapes (jane.doe, JANE-DOE, Doe_Jane, "DOE, Jane"), so
    the test is on the parts rather than on the case: two or three parts made only of letters, one
    of which is a known first name. Any part counts, not just the first, because case files often
    write the surname first. Pseudonymous references keep a digit somewhere (C-014, MACA26-017)
    or are short codes (HSB-A), and a one-letter part is never taken for a name, so they pass.
    """
    from .privacy import first_names  # privacy imports this module; import on use

    parts = [p for p in _NAME_SEPARATORS.split(text.strip()) if p]
    if not 2 <= len(parts) <= 3:
        return None
    if not all(_APOSTROPHES.sub("", p).isalpha() for p in parts):
        return None
    names = first_names()
    for part in parts:
        if len(part) >= 2 and part.title() in names:
            return part
    return None
