"""The evidence streams of a practice week, as a framework declares them.

A practice week is not one form but several (domain.md (b)): senior leaders audit cases with the
practitioners who hold them, observe practice, and hear from children, families and
practitioners. Each stream grades its own domains of the framework, so the framework says which
domains belong to which stream; a domain graded in two streams, or in none, would give the
week's summary criteria counted twice or never asked, so both are refused when it is loaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from ._model import Identifier, _Strict

if TYPE_CHECKING:
    from .framework import Domain

#: What a stream gathers: graded case files, graded observed events, or people's answers.
StreamKind = Literal["case audit", "observation", "feedback"]

Loc = tuple[str | int, ...]


class Stream(_Strict):
    """One evidence stream of a practice week, e.g. the observations of practice.

    ``event_kinds`` (an observation stream's only) are the kinds of event an observer may record
    (home visit, strategy discussion...): data, so a partnership can name its own meetings.
    """

    id: Identifier
    title: str = Field(min_length=1)
    kind: StreamKind
    domains: list[Identifier] = Field(min_length=1)
    event_kinds: list[str] = Field(default_factory=list)


def stream_problems(streams: list[Stream], domains: list[Domain]) -> list[tuple[Loc, str]]:
    """What is wrong with a framework's ``streams``, each with its place under the framework.

    No streams is no problem (a framework for case audits alone); with streams, every domain
    belongs to exactly one of them.
    """
    if not streams:
        return []
    problems: list[tuple[Loc, str]] = []
    domain_ids = [d.id for d in domains]
    first: dict[str, int] = {}
    owner: dict[str, str] = {}
    for s_i, stream in enumerate(streams):
        if stream.id in first:
            problems.append((("streams", s_i, "id"), f"stream id '{stream.id}' is used twice (also "
                             f"at streams[{first[stream.id]}]); ids must be unique"))
        first.setdefault(stream.id, s_i)
        for d_i, domain in enumerate(stream.domains):
            place: Loc = ("streams", s_i, "domains", d_i)
            if domain not in domain_ids:
                problems.append((place, f"domain '{domain}' is not one of the framework's domains "
                                 f"({', '.join(domain_ids)}); correct the id or add the domain"))
            elif domain in owner:
                problems.append((place, f"domain '{domain}' is already graded in stream "
                                 f"'{owner[domain]}'; list each domain in one stream only"))
            else:
                owner[domain] = stream.id
        problems += _event_kind_problems(stream, s_i)
    for d_i, domain in enumerate(domain_ids):
        if domain not in owner:
            problems.append((("domains", d_i, "id"), f"domain '{domain}' is in no stream, so no "
                             "form would ask its criteria; add it to one stream's domains"))
    return problems


def _event_kind_problems(stream: Stream, s_i: int) -> list[tuple[Loc, str]]:
    """An observation stream lists the kinds of event, once each; another stream lists none."""
    place: Loc = ("streams", s_i, "event_kinds")
    if stream.kind != "observation":
        if stream.event_kinds:
            return [(place, f"stream '{stream.id}' is a {stream.kind} stream; only an observation "
                     "stream lists event_kinds, so remove them here")]
        return []
    if not stream.event_kinds:
        return [(place, f"observation stream '{stream.id}' lists no event_kinds; list the kinds "
                 "of event observed, e.g. [home visit, strategy discussion, other]")]
    out: list[tuple[Loc, str]] = []
    seen: set[str] = set()
    for k_i, kind in enumerate(stream.event_kinds):
        if not kind.strip():
            out.append(((*place, k_i), "an event kind is blank; name it or remove it"))
        elif kind.casefold() in seen:
            out.append(((*place, k_i), f"event kind '{kind}' is listed twice; list it once"))
        seen.add(kind.strip().casefold())
    return out
