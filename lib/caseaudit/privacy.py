"""Warning when an evidence note looks like it holds personal data.

Evidence notes are free text, written in a hurry from a case file; an NHS number, a postcode or
a child's name can slip in. The workbook never refuses a note for this (losing an auditor's work
is worse), it warns, naming what it found, so the auditor can rewrite it. Usable on its own:

>>> [f.kind for f in find_personal_data("Seen at home, LS6 2AB; mother Amelia Jones present.")]
['postcode', 'name']

Names are the hard part. Case files in England name children and parents of every origin, so the
first names come from Faker's lists for many countries (loaded once, on first use) and from the
workbook's own list (data/first_names.txt) for communities Faker covers thinly. But audit prose is
full of capitalised words that are not names (Strategy Discussion, Early Help, Kent Police, May)
and of names that are everyday words (Will, Grace, Hope). So a capital letter is never enough on
its own for those: a first name that is also an English word, a place or a month counts only with
something that shows a person around it (a title or relationship word before it, an age or a
relationship after it, a surname, a verb of speech), and a word nobody lists counts only after a
title or relationship word ("Mrs Okafor", "mother Zirelle").
"""

from __future__ import annotations

import importlib
import itertools
import pkgutil
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from typing import NamedTuple

from .identifiers import is_valid_nhs_number, looks_like_date
from .settings import PACKAGE_DIR

_DATA = PACKAGE_DIR / "data"

_NHS = re.compile(r"(?<![\d-])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\d-])")
_POSTCODE = re.compile(
    r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?(\d[ABD-HJLNP-UW-Z]{2}))\b", re.IGNORECASE)
_ORDINAL = re.compile(r"1st|2nd|3rd|[04-9]th")  # "S47 2nd" is a second Section 47, not a postcode
_EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")
_MONTHS = (r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*")
_DATE = re.compile(
    rf"\b(?:\d{{1,2}}[/.\-]\d{{1,2}}[/.\-](?:\d{{4}}|\d{{2}})|\d{{4}}-\d{{1,2}}-\d{{1,2}}|"
    rf"\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}\s+\d{{4}})\b", re.IGNORECASE)
_BIRTH_CUE = re.compile(r"(?:\bd\.?o\.?b\b|\bborn\b|date of birth|birthday)\W{0,3}(?:\w+\W+){0,2}$",
                        re.IGNORECASE)

# A word as the name pass sees it: letters of any alphabet, with inner apostrophes or hyphens
# (O'Brien, Khan-Ali, Ana-Maria, Kwame's).
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+|-[^\W\d_]+)*")
_LATIN_NAME = re.compile(r"[A-Za-zÀ-ÖØ-öø-ɏ]{2,}(?:['’-][A-Za-zÀ-ÖØ-öø-ɏ]+)*")
_CONTRACTION = re.compile(r"['’](?:t|re|ve|ll|d|m)$", re.IGNORECASE)

class _Gap:
    """What may stand between the words of one name, after a title ("Mr. Khan") and after a cue
    word ("mother: Amy"): only these gaps join words into one candidate."""

    SPACE = re.compile(r"[ \t]+")
    TITLE = re.compile(r"\.?[ \t]+")
    CUE = re.compile(r"[ \t]*[:,(]?[ \t]*")

# A capital after a sentence break is no evidence of a name; an age just after a word is
# ("Amy (7)", "Amy, aged 7").
_SENTENCE_BREAK = re.compile(r"[.!?;:\n•*]|\s[-–]\s")
_AGE_AFTER = re.compile(r"\s*(?:\(\s*|,\s*)\d{1,2}\s*[),]")
_AGED_AFTER = re.compile(r"\s*[(,]?\s*aged?\s+\d", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    """Something in a note that looks like personal data."""

    kind: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class _Vocabulary:
    """The word lists the name pass reads, loaded once per process (see `_vocabulary`)."""

    names: frozenset[str]  # first names that count as names on their own (Title case)
    word_names: frozenset[str]  # first names that are also everyday English words (Title case)
    surnames: frozenset[str]  # surnames (Title case)
    everyday: frozenset[str]  # everyday English words (lower case)
    domain: frozenset[str]  # audit vocabulary that is never a name (lower case)
    ambiguous: frozenset[str]  # places, months and faiths that are also names (lower case)
    organisation: frozenset[str]  # words after a name that make it a place or body (lower case)
    named_after: frozenset[str]  # words after a possessive name that make it a law, a charity...
    titles: frozenset[str]
    relations: frozenset[str]
    naming: frozenset[tuple[str, ...]]
    contact: frozenset[tuple[str, ...]]
    speech: frozenset[str]
    apposition: re.Pattern[str]
    not_surnames: frozenset[str]  # words that end a name: organisation words, titles, relations


def _sections(path_name: str) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = ""
    for raw in (_DATA / path_name).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            sections[current] = []
        else:
            sections.setdefault(current, []).append(line)
    return sections


def _lines(path_name: str) -> list[str]:
    return _sections(path_name).get("", [])


def _is_latin_name(name: str) -> bool:
    """True for a name written in the Latin alphabet, Title case ("Łukasz", "McDonald", "O'Neill")."""
    return bool(_LATIN_NAME.fullmatch(name)) and name[0].isupper() and name[1].islower()


def _folded(name: str) -> str:
    """The name without accents ("Răzvan" -> "Razvan"), as notes often type it."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def _faker_names(prefixes: tuple[str, ...]) -> set[str]:
    """Every Latin-script name in Faker's person providers whose list name starts with a prefix.

    Faker keeps its names as plain tuples or weighted dicts on each locale's Provider class; the
    lists are read directly, without building a Faker generator (which would cost far more).
    """
    import faker.providers.person as person

    found: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = getattr(importlib.import_module(f"{person.__name__}.{module.name}"), "Provider", None)
        for field in dir(provider):
            if not field.startswith(prefixes):
                continue
            value = getattr(provider, field, None)
            if isinstance(value, (list, tuple, dict)):
                found.update(value)
    return {n for n in found if isinstance(n, str) and _is_latin_name(n)}


@cache
def _vocabulary() -> _Vocabulary:
    """Load the name lists once, on first use (about 0.1 s: the guard runs on every draft save)."""
    everyday = frozenset(w for w in _lines("everyday_words.txt"))
    words = _sections("note_words.txt")
    lower = {k: frozenset(w.casefold() for w in v) for k, v in words.items()}
    own = set(_lines("first_names.txt"))
    listed = _faker_names(("first_names", "first_romanized_names")) | own
    listed |= {_folded(n) for n in listed if not n.isascii()}
    # A name from the packages that is also an everyday word needs more than a capital letter; the
    # workbook's own list vouches for names that are names far more often (John, Harry, Ruby).
    word_names = frozenset({n for n in listed if n.casefold() in everyday and n not in own}
                           | set(words["word names"]))
    not_names = lower["domain"] | lower["ambiguous"]
    names = frozenset(n for n in listed - word_names if n.casefold() not in not_names)
    surnames = _faker_names(("last_names", "last_romanized_names"))
    surnames |= {_folded(n) for n in surnames if not n.isascii()}
    relations = lower["relation"]
    apposition = re.compile(
        r"\s*(?:\(\s*|,\s*(?:the|her|his|their|a|an|our)?\s*)(?:(?:the|her|his|their|a|an|maternal|paternal|"
        r"older|younger|eldest|youngest|birth|half|step)\s+)*(?:" +
        "|".join(sorted((re.escape(r) for r in relations), key=len, reverse=True)) + r")\b",
        re.IGNORECASE)
    return _Vocabulary(
        names=names, word_names=word_names, surnames=frozenset(surnames), everyday=everyday,
        domain=lower["domain"], ambiguous=lower["ambiguous"], organisation=lower["organisation"],
        named_after=lower["named after"],
        titles=lower["title"], relations=relations,
        naming=frozenset(tuple(p.split()) for p in lower["naming"]),
        contact=frozenset(tuple(p.split()) for p in lower["contact"]),
        speech=lower["speech"], apposition=apposition,
        not_surnames=lower["organisation"] | lower["title"] | relations)


def first_names() -> frozenset[str]:
    """First names that, on their own, suggest a person: Title case, from Faker's lists for many
    countries and the workbook's own list, less those that are also everyday English words, places
    or months (Will, Grace, May, Kent), which only count as names with more around them."""
    return _vocabulary().names


def is_first_name(word: str) -> bool:
    """True if ``word`` (in any case: "oliwia", "OLIWIA") is one of `first_names`."""
    return word[:1].upper() + word[1:].lower() in _vocabulary().names or word in _vocabulary().names


def _year(text: str) -> int | None:
    years = re.findall(r"\d{4}", text)
    if years:
        return int(years[-1])
    two = re.findall(r"\d{2}$", text)
    return 2000 + int(two[0]) if two else None


class _Phone:
    """libphonenumber finds the candidates in any shape ("(0113) 496 0000", "+44 (0)20 7946 0018",
    "07700-900-123", "+48 512 345 678"); these keep those typed as phone numbers, not dates or
    references that happen to have enough digits."""

    PREFIX = re.compile(r"\+|00|\(?0")
    GROUPS = re.compile(r"\d+")
    COUNTRY = re.compile(r"^(?:\+|00)\d{1,3}|\(0\)")


def _phone_numbers(text: str) -> Iterator[tuple[int, int]]:
    """Where ``text`` has something written as a phone number (UK, or international with +)."""
    if not re.search(r"\d{3}", text):
        return
    import phonenumbers  # only when a note has digits enough for a number

    for m in phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE):
        raw = m.raw_string
        if not _Phone.PREFIX.match(raw):
            continue  # "2025-26", "943 476 5918": numbers, but not typed as phone numbers
        groups = _Phone.GROUPS.findall(_Phone.COUNTRY.sub("", raw.split("ext")[0]))
        if any(len(g) < 2 for g in groups):
            continue  # "0 1 2 3 4 5 6 7 8 9" is a list of digits
        number = m.number
        if number.country_code == 44:
            national = str(number.national_number)
            if not (9 <= len(national) <= 10 and national[0] in "1235789"):
                continue  # "01.02.2019" has too few digits for a UK number
        elif not phonenumbers.is_possible_number(number):
            continue
        yield m.start, m.end


class _Token(NamedTuple):
    text: str  # the word, without a possessive 's
    start: int
    end: int  # where the word ends, before any possessive 's
    possessive: bool
    next_start: int  # where the text after the word (and its 's) starts


def _tokens(text: str) -> list[_Token]:
    tokens = []
    for m in _WORD.finditer(text):
        word, start, end = m.group(0), m.start(), m.end()
        if "'" in word or "’" in word:
            if word.endswith(("'s", "’s")):
                tokens.append(_Token(word[:-2], start, end - 2, True, end))
                continue
            if _CONTRACTION.search(word):
                word = ""  # "Don't", "She'll": never a name
        tokens.append(_Token(word, start, end, False, end))
    return tokens


def _capitalised(word: str) -> bool:
    return len(word) > 1 and word[0].isupper() and not word.isupper()


@lru_cache(maxsize=65536)
def _word_class(word: str) -> str:
    """How the name pass reads a capitalised word: "name", "word-name" (a first name that is also
    an everyday word), "place" (a place, month or faith that is also a name), "word", "surname",
    "domain" (audit vocabulary) or "unknown"."""
    vocab = _vocabulary()
    key = word.casefold()
    if key in vocab.domain:
        return "domain"
    if key in vocab.ambiguous:
        return "place"
    if word in vocab.names:
        return "name"
    if word in vocab.word_names:
        return "word-name"
    if "-" in word:  # Mary-Jane is a name; Multi-Agency and Step-Down are words
        parts = [_word_class(p) if _capitalised(p) else "word" for p in word.split("-")]
        if "domain" in parts or ("word" in parts and "name" not in parts):
            return "word"
        return "name" if parts[0] == "name" else "unknown"
    if key in vocab.everyday:
        return "word"
    if word in vocab.surnames:
        return "surname"
    return "unknown"


class _Note:
    """One note split into words, with what the name pass asks about the words around a name."""

    def __init__(self, text: str, vocab: _Vocabulary) -> None:
        self.text = text
        self.vocab = vocab
        self.tokens = _tokens(text)
        # spaced[i]: only spaces or tabs between word i-1 and word i (so they are one phrase).
        self.spaced = [False] + [bool(_Gap.SPACE.fullmatch(text[a.next_start:b.start]))
                                 for a, b in itertools.pairwise(self.tokens)]

    def gap_before(self, i: int) -> str:
        return self.text[self.tokens[i - 1].next_start:self.tokens[i].start] if i else self.text[:0]

    def phrase_before(self, i: int, phrases: frozenset[tuple[str, ...]]) -> bool:
        """True if the words just before word ``i`` are one of ``phrases`` (e.g. "spoke to")."""
        for length in (1, 2, 3):
            if length > i or not all(self.spaced[i - length + 1:i + 1]):
                break
            if tuple(t.text.casefold() for t in self.tokens[i - length:i]) in phrases:
                return True
        return False

    def name_at(self, i: int) -> tuple[int, int, int] | None:
        """(start, end, next word) of a name beginning at word ``i``, or ``None``."""
        tokens, vocab, text = self.tokens, self.vocab, self.text
        token = tokens[i]
        kind = _word_class(token.text)
        if kind == "domain":
            return None
        prev = tokens[i - 1] if i else None
        cue = prev.text.casefold() if prev else ""
        gap = self.gap_before(i)
        # A title ("Mrs Okafor") or an initial ("J. Smith", "SW J Okafor") before the word.
        titled = bool(prev) and bool(_Gap.TITLE.fullmatch(gap)) and (
            cue in vocab.titles or (len(cue) == 1 and prev.text.isupper() and  # type: ignore[union-attr]
                                    (cue not in ("a", "i") or gap.startswith("."))))
        if titled and len(cue) == 1 and kind not in ("name", "unknown", "surname") and \
                token.text not in vocab.surnames:
            titled = False  # "Plan B Review", "Grade C English": a letter, not an initial
        if kind in ("word", "surname") and not titled:
            return None  # an everyday word or a lone surname: a name only after a title ("Mrs Young")
        if cue in ("st", "saint") and _Gap.TITLE.fullmatch(gap):
            return None  # St Mary's, Saint Anne's: a church or a school
        # The surname (or second name) after it: up to two capitalised words, nothing between.
        j = i + 1
        while j < len(tokens) and j - i < 3 and not tokens[j - 1].possessive and self.spaced[j]:
            word = tokens[j].text
            if not _capitalised(word) or word.casefold() in vocab.not_surnames:
                break
            if _word_class(word) not in ("name", "word-name", "unknown", "surname") and \
                    word not in vocab.surnames:
                break
            j += 1
        last = tokens[j - 1]
        after = tokens[j] if j < len(tokens) and self.spaced[j] and not last.possessive else None
        after_class = _word_class(after.text) if after and _capitalised(after.text) else ""
        if after_class and (after.text.casefold() in vocab.organisation or  # type: ignore[union-attr]
                            (kind != "name" and after_class == "domain")):
            return None  # Kent Police, Victoria Road, Florence Nightingale Ward, May Strategy Discussion
        if last.possessive and j < len(tokens) and _capitalised(tokens[j].text) and \
                tokens[j].text.casefold() in vocab.named_after:
            return None  # Clare's Law, Winston's Wish, Down's Syndrome
        found = (prev.start if titled and prev else token.start, last.end, j)
        if kind == "name" or titled:
            return found
        # Everything else needs something around it that shows a person.
        related = cue in vocab.relations and bool(_Gap.CUE.fullmatch(gap))
        related_lower = related and prev is not None and prev.text.islower()
        bracketed = related and "(" in gap and text[last.end:last.end + 1] == ")"  # "Mum (Blessing)"
        rest = text[last.end:]
        if last.possessive:  # "Grace's mother"
            nxt = tokens[j] if j < len(tokens) else None
            relation_after = bool(nxt and nxt.text.casefold() in vocab.relations)
            age_after = False
        else:  # "Grace (sister)", "Grace, the mother,", "Grace, aged 7", "Grace (7)"
            relation_after = bool(vocab.apposition.match(rest) or _AGED_AFTER.match(rest))
            age_after = bool(_AGE_AFTER.match(rest))
        # After a place or a month, only brackets tie a relationship to it: "Jordan (brother)",
        # where "In May, mother said" and "Kent's child protection team" are not names.
        bracket_after = relation_after and rest.lstrip().startswith("(")
        if after_class == "word":
            # One of a run of capitalised words (Early Help, Sunny Bank, Young Carers): a name only
            # where a relationship word says so.
            return found if related_lower or bracketed or relation_after else None
        surnames = [(_word_class(t.text), t.text) for t in tokens[i + 1:j]]
        real_surname = any(k in ("name", "unknown", "surname") for k, _ in surnames)
        sentence_start = prev is None or bool(_SENTENCE_BREAK.search(gap))
        strong_before = related_lower or bracketed or (related and real_surname) or \
            self.phrase_before(i, vocab.naming)
        if kind == "place":
            hit = strong_before or bracket_after or real_surname
        elif kind == "word-name":
            speech_after = bool(after and after.text.casefold() in vocab.speech)
            word_surname = any(k in ("word", "word-name") and w in vocab.surnames for k, w in surnames)
            hit = (strong_before or relation_after or age_after or speech_after or real_surname
                   or (word_surname and not sentence_start) or self.phrase_before(i, vocab.contact))
        else:  # unknown: a word no list knows, which may be a name ("mother Zanele", "Mr Okafor")
            hit = (strong_before or related or relation_after or age_after
                   or (not sentence_start and any(k == "surname" for k, _ in surnames)))
        return found if hit else None


def _names(text: str, vocab: _Vocabulary) -> Iterator[tuple[int, int]]:
    """Where ``text`` names a person, by the rules in the module docstring."""
    note = _Note(text, vocab)
    i = 0
    while i < len(note.tokens):
        if _capitalised(note.tokens[i].text) and (found := note.name_at(i)):
            start, end, i = found
            yield start, end
        else:
            i += 1


def find_personal_data(text: str, today: date | None = None) -> list[Finding]:
    """Everything in ``text`` that looks like personal data, in order of appearance.

    Looks for NHS numbers (with a valid check digit), UK postcodes, e-mail addresses, phone
    numbers (UK in any common shape, or international), dates of birth (a date after "born" or
    "DOB", or any full date two or more years old, since audits look at recent practice), and
    people's names (see the module docstring for how a capitalised word counts as a name).
    """
    today = today or date.today()
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, start: int, end: int) -> None:
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            return
        taken.append((start, end))
        found.append(Finding(kind, text[start:end], start, end))

    for m in _EMAIL.finditer(text):
        add("e-mail address", m.start(), m.end())
    for start, end in _phone_numbers(text):  # first: "+44 (0)113 496 0387" holds ten digits
        add("phone number", start, end)
    for m in _NHS.finditer(text):
        if is_valid_nhs_number(m.group(0)):
            add("NHS number", m.start(), m.end())
    for m in _DATE.finditer(text):
        candidate = re.sub(r"(?<=\d)(st|nd|rd|th)", "", m.group(0), flags=re.IGNORECASE)
        if not looks_like_date(candidate):
            continue
        cued = bool(_BIRTH_CUE.search(text[max(0, m.start() - 30):m.start()]))
        year = _year(candidate)
        if cued or (year is not None and year <= today.year - 2):
            add("date of birth", m.start(), m.end())
    for m in _POSTCODE.finditer(text):
        if not (m.group(1) and _ORDINAL.fullmatch(m.group(1))):
            add("postcode", m.start(), m.end())
    for start, end in _names(text, _vocabulary()):
        add("name", start, end)
    return sorted(found, key=lambda f: f.start)


def describe_findings(findings: list[Finding]) -> str:
    """A warning an auditor can act on, or ``""`` when nothing was found."""
    if not findings:
        return ""
    parts = [f"{f.kind} ({f.text})" for f in findings]
    return ("This note may contain personal data: " + "; ".join(parts) + ". It has been saved; "
            "please rewrite it without identifying details (say 'the child', 'the mother', "
            "'the family home').")
