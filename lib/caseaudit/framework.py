"""Criteria frameworks: domains of criteria, each graded on a scale, all defined as YAML data.

A framework is data so that a partnership can audit against its own criteria without a
programmer. It is validated in full on load, because an error found while an auditor is scoring
costs far more than one found when the file is written.
"""

from __future__ import annotations

import functools
import numbers
import os
import re
from collections.abc import Iterator
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from . import settings
from ._model import Identifier, Version, _Strict
from ._yaml import ReferenceProblems, format_loc, read_yaml, read_yaml_text, validate_model
from .errors import FrameworkError, NotFoundError, Problem
from .streams import Stream, stream_problems


class NotGrade(StrEnum):
    """The two answers to a criterion that are not a level of its scale.

    A string enum, so that an answer written into a draft's JSON reads ``"n/a"`` and compares
    equal to what older drafts hold.
    """

    NOT_APPLICABLE = "n/a"
    NOT_GRADED = ""

    def __repr__(self) -> str:
        return self.name


#: The criterion does not apply to this case (allowed only where the scale says so).
NOT_APPLICABLE = NotGrade.NOT_APPLICABLE
#: Nobody has answered the criterion yet (a draft may leave it so; a submitted form may not).
NOT_GRADED = NotGrade.NOT_GRADED

#: What a criterion holds in a form, a moderation, a revision or an import: the code of a level on
#: its scale, ``NOT_APPLICABLE`` or ``NOT_GRADED``. The one type for an answer everywhere.
Answer = int | NotGrade

#: What people read for the two answers that are not grades (a level's label is its own).
ANSWER_LABELS: dict[NotGrade, str] = {NOT_APPLICABLE: "Not applicable", NOT_GRADED: "Not graded"}

#: Words that mean "not applicable" when an answer is typed or imported rather than clicked.
NOT_APPLICABLE_WORDS = frozenset({NOT_APPLICABLE.value, "na", ANSWER_LABELS[NOT_APPLICABLE].casefold(),
                                  "not-applicable"})


def answer_columns(answer: Answer) -> tuple[int | None, bool]:
    """An answer as the store keeps it: ``(grade, not_applicable)``; not graded is ``(None, False)``.

    The database columns stay as they are (an integer grade and a flag) so that SQL can count
    grades; this pair and :func:`answer_from_columns` are the only translation to and from them.
    """
    if answer is NOT_APPLICABLE:
        return None, True
    if answer is NOT_GRADED:
        return None, False
    return int(answer), False


def answer_from_columns(grade: object, not_applicable: object) -> Answer:
    """The answer a stored ``(grade, not_applicable)`` pair (or a frame row's) holds."""
    if not _missing(not_applicable) and bool(not_applicable):
        return NOT_APPLICABLE
    if grade is None or _missing(grade):
        return NOT_GRADED
    return int(grade)  # type: ignore[call-overload]


def _missing(value: object) -> bool:
    """True for the missing markers frames hold (``NaN``, ``pd.NA``), without importing pandas."""
    try:
        return bool(value != value)  # NaN is the one value not equal to itself
    except TypeError:  # pd.NA refuses to be a truth value
        return True


def answer_json(answer: Answer) -> int | str | None:
    """An answer in a draft's JSON: the code, ``"n/a"`` or ``null``; :meth:`Scale.parse_answer`
    reads it back."""
    if answer is NOT_APPLICABLE:
        return NOT_APPLICABLE.value
    if answer is NOT_GRADED:
        return None
    return int(answer)


def is_grade(answer: Answer) -> bool:
    """True when the answer is a level of the scale (neither not applicable nor not graded)."""
    return not isinstance(answer, NotGrade)


class Agency(_Strict):
    """An agency that can answer criteria, e.g. ``CSC`` (children's social care)."""

    id: Identifier
    name: str


class Level(_Strict):
    """One level of a grade scale: the numeric code stored and the label people read."""

    code: int
    label: str = Field(min_length=1)


class Scale(_Strict):
    """A grade scale. Levels are listed best first; that order is the scale's ordinal order."""

    id: Identifier
    title: str
    levels: list[Level] = Field(min_length=2)
    good_or_better: list[int] = Field(
        min_length=1, description="codes of the levels that count as good or better"
    )
    not_applicable: bool = False
    note_required_for: list[int] = Field(
        default_factory=list, description="codes whose grade needs an evidence note"
    )

    @model_validator(mode="after")
    def _check_levels(self) -> Scale:
        codes = [lvl.code for lvl in self.levels]
        labels = [lvl.label.casefold() for lvl in self.levels]
        dup_codes = sorted({c for c in codes if codes.count(c) > 1})
        if dup_codes:
            raise ValueError(f"level codes must differ; {dup_codes} appear more than once")
        dup_labels = sorted({lb for lb in labels if labels.count(lb) > 1})
        if dup_labels:
            raise ValueError(f"level labels must differ; {dup_labels} appear more than once")
        for name in ("good_or_better", "note_required_for"):
            unknown = [c for c in getattr(self, name) if c not in codes]
            if unknown:
                raise ValueError(f"{name} names codes {unknown} that are not levels; use {codes}")
        if any(lb in NOT_APPLICABLE_WORDS for lb in labels):
            raise ValueError("a level cannot be labelled 'not applicable'; set not_applicable: true")
        return self

    @cached_property
    def codes(self) -> tuple[int, ...]:
        """Codes best first."""
        return tuple(lvl.code for lvl in self.levels)

    def position(self, code: int) -> int:
        """Ordinal position of a grade (0 = the best level), so scales with any codes compare
        alike."""
        return self.codes.index(code)

    def label(self, code: int) -> str:
        """The label of ``code``."""
        for lvl in self.levels:
            if lvl.code == code:
                return lvl.label
        raise KeyError(code)

    def allowed(self) -> list[str]:
        """Human listing of what may be entered, for error messages."""
        out = [f"{lvl.code} ({lvl.label})" for lvl in self.levels]
        if self.not_applicable:
            out.append(f"'{NOT_APPLICABLE.value}' ({ANSWER_LABELS[NOT_APPLICABLE].lower()})")
        return out

    def answer_label(self, answer: Answer) -> str:
        """What people read for ``answer``: a level's label, "Not applicable" or "Not graded"."""
        if isinstance(answer, NotGrade):
            return ANSWER_LABELS[answer]
        return self.label(answer)

    def choices(self) -> list[tuple[str, Answer]]:
        """The answers a person may pick, best level first, with their labels (the widgets' and
        the Excel list's options); not applicable last, where the scale allows it."""
        out: list[tuple[str, Answer]] = [(lvl.label, lvl.code) for lvl in self.levels]
        if self.not_applicable:
            out.append((ANSWER_LABELS[NOT_APPLICABLE], NOT_APPLICABLE))
        return out

    def parse_answer(self, value: object) -> Answer:
        """A typed, clicked, imported or stored answer as an :data:`Answer`.

        Accepts an answer, a code, a label (any case), a not-applicable word, and blank or ``None``
        for not graded. Raises ``ValueError`` naming what is allowed, because the caller knows
        the row and criterion to add to the message.
        """
        if isinstance(value, NotGrade):
            if value is NOT_APPLICABLE and not self.not_applicable:
                raise self._no_not_applicable()
            return value
        if value is None or (isinstance(value, str) and not value.strip()):
            return NOT_GRADED
        if isinstance(value, bool):
            raise ValueError(f"{value!r} is not a grade; use one of {', '.join(self.allowed())}")
        if isinstance(value, numbers.Integral) and int(value) in self.codes:  # numpy's too
            return int(value)
        if isinstance(value, numbers.Real) and float(value).is_integer() \
                and int(value) in self.codes:
            return int(value)
        if isinstance(value, str):
            text = value.strip()
            if text.casefold() in NOT_APPLICABLE_WORDS:
                if self.not_applicable:
                    return NOT_APPLICABLE
                raise self._no_not_applicable()
            for lvl in self.levels:
                if text.casefold() == lvl.label.casefold() or text == str(lvl.code):
                    return lvl.code
        raise ValueError(
            f"{value!r} is not on the scale '{self.id}'; use one of {', '.join(self.allowed())}"
        )

    def _no_not_applicable(self) -> ValueError:
        return ValueError(f"'not applicable' is not allowed on the scale '{self.id}'; "
                          f"use one of {', '.join(self.allowed())}")


class Criterion(_Strict):
    """One question an auditor grades."""

    id: Identifier
    title: str
    question: str
    good_looks_like: str
    answered_by: list[Identifier] | Literal["all"] = "all"
    scale: Identifier


class Domain(_Strict):
    """A group of criteria, e.g. ``D3 Voice of the child``."""

    id: Identifier
    title: str
    criteria: list[Criterion] = Field(min_length=1)


class Theme(_Strict):
    """A learning theme the moderation meeting can tag a case with."""

    id: Identifier
    title: str


class Framework(_Strict):
    """A criteria framework: what an audit round scores against."""

    id: Identifier
    version: Version
    title: str
    description: str = ""
    agencies: list[Agency] = Field(min_length=1)
    scales: list[Scale] = Field(min_length=1)
    domains: list[Domain] = Field(min_length=1)
    #: Written ``overall_scale`` in the YAML; :attr:`overall_scale` is the scale it names.
    overall_scale_id: Identifier | None = Field(
        default=None, alias="overall_scale",
        description="the scale of a case's overall grade (the first scale if unset)")
    themes: list[Theme] = Field(default_factory=list)
    #: A practice week's evidence streams and the domains each grades (none: case audits only).
    streams: list[Stream] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_references(self) -> Framework:
        problems: list[tuple[tuple[str | int, ...], str]] = []
        problems += _duplicates("agencies", [a.id for a in self.agencies], "agency")
        problems += _duplicates("scales", [s.id for s in self.scales], "scale")
        problems += _duplicates("domains", [d.id for d in self.domains], "domain")
        problems += _duplicates("themes", [t.id for t in self.themes], "theme")
        all_criteria = [(d_i, c_i, c) for d_i, d in enumerate(self.domains)
                        for c_i, c in enumerate(d.criteria)]
        seen: dict[str, str] = {}
        scale_ids = [s.id for s in self.scales]
        agency_ids = [a.id for a in self.agencies]
        for d_i, c_i, crit in all_criteria:
            base = ("domains", d_i, "criteria", c_i)
            if crit.id in seen:
                problems.append(((*base, "id"), f"criterion id '{crit.id}' is used twice (also at "
                                 f"{seen[crit.id]}); criterion ids must be unique"))
            else:
                seen[crit.id] = format_loc(base)
            if crit.scale not in scale_ids:
                problems.append(((*base, "scale"), f"scale '{crit.scale}' is not defined; defined "
                                 f"scales: {', '.join(scale_ids)}"))
            if crit.answered_by != "all":
                for a_i, agency in enumerate(crit.answered_by):
                    if agency not in agency_ids:
                        problems.append(((*base, "answered_by", a_i), f"agency '{agency}' is not "
                                         f"among the framework's agencies: {', '.join(agency_ids)}"))
        if self.overall_scale_id is not None and self.overall_scale_id not in scale_ids:
            problems.append((("overall_scale",), f"scale '{self.overall_scale_id}' is not defined; "
                             f"defined scales: {', '.join(scale_ids)}"))
        problems += stream_problems(self.streams, self.domains)
        if problems:
            raise ReferenceProblems(problems)
        return self

    @property
    def overall_scale(self) -> Scale:
        """The scale of a case's overall moderated grade."""
        return self.scales_by_id[self.overall_scale_id] if self.overall_scale_id else self.scales[0]

    # -- look-ups -------------------------------------------------------------------------------

    def criteria(self) -> Iterator[tuple[Domain, Criterion]]:
        """Every criterion with its domain, in framework order."""
        for domain in self.domains:
            for criterion in domain.criteria:
                yield domain, criterion

    @cached_property
    def criteria_by_id(self) -> dict[str, Criterion]:
        """Criteria by id."""
        return {c.id: c for _, c in self.criteria()}

    @cached_property
    def scales_by_id(self) -> dict[str, Scale]:
        """Scales by id."""
        return {s.id: s for s in self.scales}

    @cached_property
    def streams_by_id(self) -> dict[str, Stream]:
        """A practice week's streams by id."""
        return {s.id: s for s in self.streams}

    def stream_criteria(self, stream_id: str) -> list[Criterion]:
        """The criteria a stream's form asks, in framework order."""
        domains = set(self.streams_by_id[stream_id].domains)
        return [c for d, c in self.criteria() if d.id in domains]

    @property
    def agency_ids(self) -> list[str]:
        """Agency ids in framework order."""
        return [a.id for a in self.agencies]

    def scale_of(self, criterion_id: str) -> Scale:
        """The scale a criterion is graded on."""
        return self.scales_by_id[self.criteria_by_id[criterion_id].scale]

    def answered_by(self, criterion_id: str) -> list[str]:
        """The agencies that answer a criterion."""
        who = self.criteria_by_id[criterion_id].answered_by
        return self.agency_ids if who == "all" else list(who)

    def criteria_for(self, agency: str) -> list[Criterion]:
        """The criteria an agency's form asks, in framework order."""
        return [c for _, c in self.criteria() if agency in self.answered_by(c.id)]

    @property
    def key(self) -> tuple[str, str]:
        """``(id, version)``."""
        return (self.id, self.version)


def _duplicates(field: str, ids: list[str], noun: str) -> list[tuple[tuple[str | int, ...], str]]:
    first: dict[str, int] = {}
    out = []
    for i, ident in enumerate(ids):
        if ident in first:
            out.append(((field, i, "id"), f"{noun} id '{ident}' is used twice (also at "
                        f"{field}[{first[ident]}]); ids must be unique"))
        else:
            first[ident] = i
    return out


def load_framework_file(path: str | Path) -> Framework:
    """Load and validate one framework YAML file.

    Raises
    ------
    FrameworkError
        naming the file, the place (e.g. ``domains[2].criteria[0].scale``), its line, and what to do.
    """
    path = Path(path)
    data, lines = read_yaml(path, FrameworkError, "framework")
    return validate_model(Framework, data, lines, path, FrameworkError, "framework")


def framework_files() -> list[Path]:
    """Every framework file on the search path, user folders first (each file once, even when a
    folder is named twice or CASEAUDIT_FRAMEWORKS names the built-in folder)."""
    files: list[Path] = []
    seen: set[Path] = set()
    for folder in settings.framework_dirs():
        if folder.is_dir():
            for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
                if path.resolve() not in seen:
                    seen.add(path.resolve())
                    files.append(path)
    return files


def list_frameworks() -> list[Framework]:
    """Every framework that loads, in search-path order (a broken file raises its error, and so
    do two files declaring the same id and version)."""
    loaded = [(load_framework_file(p), p) for p in framework_files()]
    first: dict[tuple[str, str], Path] = {}
    for framework, path in loaded:
        if framework.key in first:
            raise _ambiguous(framework.id, framework.version, [first[framework.key], path])
        first[framework.key] = path
    return [framework for framework, _ in loaded]


_ID_RE = re.compile(r"^id:\s*['\"]?([^'\"\s#]+)", re.MULTILINE)
_VERSION_RE = re.compile(r"^version:\s*['\"]?([^'\"\s#]+)", re.MULTILINE)


def _ambiguous(framework_id: str, version: str, paths: list[Path]) -> FrameworkError:
    """Two files declaring one id and version: refused rather than one silently winning, since
    a round names only the id and version and its scores would follow whichever file won."""
    builtin = settings.BUILTIN_FRAMEWORKS_DIR.resolve()

    def is_builtin(path: Path) -> bool:
        return path.resolve().is_relative_to(builtin)

    target = next((p for p in paths if not is_builtin(p)), paths[0])  # the partnership's file
    others = ", ".join(f"the built-in {p}" if is_builtin(p) else str(p) for p in paths if p != target)
    try:
        text = target.read_text(encoding="utf-8", errors="replace")
        match = _ID_RE.search(text)
        line = text[:match.start()].count("\n") + 1 if match else None
    except OSError:
        line = None
    return FrameworkError(target, [Problem(
        "id", f"framework {framework_id} version {version} is also defined by {others}; give the "
        f"partnership's framework its own id (e.g. {framework_id}-local) or a new version, and "
        "name that in the rounds that use it", line)], "framework")


def load_framework(framework_id: str, version: str | None = None) -> Framework:
    """The framework ``framework_id`` at ``version`` (the newest found when omitted).

    Each id and version is read once per process while the framework files keep their paths,
    sizes and modification times (drawing a round asks for its framework in many places); an
    edited or added file is read again.

    Raises
    ------
    NotFoundError
        listing the frameworks and versions that do exist (and any file that could not be read).
    FrameworkError
        if the file is invalid, or two files declare this id and version.
    """
    files = tuple((str(p), s.st_mtime_ns, s.st_size) for p in framework_files() if (s := _stat(p)))
    return _read_framework(framework_id, None if version is None else str(version), files)


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:  # gone since its folder was listed
        return None


@functools.lru_cache(maxsize=32)
def _read_framework(framework_id: str, version: str | None,
                    files: tuple[tuple[str, int, int], ...]) -> Framework:
    """:func:`load_framework` for one state of the framework files (a failure is not cached)."""
    found: list[tuple[str, str, Path]] = []
    unreadable: list[FrameworkError] = []
    for path in (Path(name) for name, _, _ in files):
        try:
            head = read_yaml_text(path, FrameworkError, "framework")
        except FrameworkError as exc:  # one broken file must not hide every other framework
            unreadable.append(exc)
            continue
        m_id, m_ver = _ID_RE.search(head), _VERSION_RE.search(head)
        if m_id and m_ver:
            found.append((m_id.group(1), m_ver.group(1), path))
    matches = [(v, p) for i, v, p in found if i == framework_id]
    if version is not None:
        matches = [(v, p) for v, p in matches if v == str(version)]
    if not matches:
        known = ", ".join(sorted(f"{i} {v}" for i, v, _ in found)) or "none"
        wanted = framework_id if version is None else f"{framework_id} version {version}"
        skipped = "".join(f" The framework file {exc.path} could not be read: {exc.problems[0].message}."
                          for exc in unreadable)
        raise NotFoundError(
            f"There is no framework {wanted}. Frameworks available: {known}. Check the id and "
            f"version, or put the framework's YAML file in a folder named by "
            f"{settings.FRAMEWORKS_ENV}.{skipped}"
        )
    matches.sort(key=lambda vp: _version_key(vp[0]))
    newest = matches[-1][0]
    same = [p for v, p in matches if v == newest]
    if len(same) > 1:
        raise _ambiguous(framework_id, newest, same)
    framework = load_framework_file(same[0])
    if framework.id != framework_id or (version is not None and framework.version != str(version)):
        raise NotFoundError(f"{same[0]} does not declare {framework_id} {version}")
    return framework


def _version_key(version: str) -> tuple:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"[.-]", version))
