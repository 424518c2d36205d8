"""The note privacy guard against the aims of issue 8, on notes it was not fitted to.

The evaluation notes live in tests/data (built by make_privacy_notes.py, see its docstring): the
*held-out* half was kept apart while the rules were written, and the *fresh* notes were written
after they were finished. The aims: at least 95% of notes with personal data get a warning, and at
most one warning in ten is false. bench/bench_privacy.py prints the same figures with the misses.
"""

from __future__ import annotations

import importlib.util
import json
from datetime import date
from pathlib import Path

import pytest

from caseaudit.privacy import find_personal_data

DATA = Path(__file__).parent / "data"
TODAY = date(2026, 11, 24)  # the day the notes were written for (recent dates are not births)


def _notes(split: str) -> list[dict]:
    lines = (DATA / f"privacy_notes_{split}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line]


@pytest.mark.parametrize("split", ["heldout", "fresh"])
def test_the_guard_meets_the_aims_on_notes_it_was_not_fitted_to(split: str) -> None:
    notes = _notes(split)
    flagged = {n["id"] for n in notes if find_personal_data(n["text"], today=TODAY)}
    personal = {n["id"] for n in notes if n["personal"]}
    assert len(personal) >= 150 and len(notes) - len(personal) >= 150  # half and half
    recall = len(flagged & personal) / len(personal)
    precision = len(flagged & personal) / len(flagged)
    assert recall >= 0.95, f"{split}: {recall:.1%} of notes with personal data flagged"
    assert precision >= 0.9, f"{split}: {1 - precision:.1%} of warnings false"


@pytest.mark.parametrize("split", ["heldout", "fresh"])
def test_each_kind_of_personal_data_is_named_as_that_kind(split: str) -> None:
    missed: dict[str, int] = {}
    for note in _notes(split):
        kinds = {f.kind for f in find_personal_data(note["text"], today=TODAY)}
        for kind in set(note["kinds"]) - kinds:
            missed[kind] = missed.get(kind, 0) + 1
    # Numbers and addresses have fixed shapes: none may be missed. A name can be missed when it
    # is also an everyday word with nothing around it ("It was Robin who disclosed").
    assert {k: n for k, n in missed.items() if k != "name"} == {}
    assert missed.get("name", 0) <= 3


def test_the_evaluation_notes_are_rebuilt_exactly_from_their_seed() -> None:
    spec = importlib.util.spec_from_file_location("make_privacy_notes", DATA / "make_privacy_notes.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for split, file in (("tuning", "tuning"), ("held-out", "heldout"), ("fresh", "fresh")):
        rebuilt = [json.loads(json.dumps(n, ensure_ascii=False)) for n in module.build(split)]
        assert rebuilt == _notes(file), split
