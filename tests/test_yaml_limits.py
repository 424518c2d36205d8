"""YAML input that cannot be a round or a framework is refused quickly, naming the file and line.

The timeouts are guards, not measurements: a regression (an alias bomb expanded, a stack blown by
nesting) must fail the test rather than hang the suite or take the machine's memory.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from caseaudit._yaml import MAX_DEPTH, MAX_VALUES, MAX_YAML_BYTES, read_yaml
from caseaudit.errors import FrameworkError, InputFileError, RoundError
from caseaudit.framework import load_framework_file
from caseaudit.rounds import load_round_file


def _alias_bomb(levels: int = 9) -> str:
    """The "billion laughs": each level is nine aliases of the one before (9**9 values, in 1 KB)."""
    names = "abcdefghijklmnop"
    text = f"{names[0]}: &{names[0]} [x, x, x, x, x, x, x, x, x]\n"
    for prev, name in itertools.pairwise(names[:levels]):
        text += f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]\n"
    return text


def _write(tmp_path: Path, text: str | bytes, name: str = "audit.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _only_problem(error: InputFileError) -> str:
    assert len(error.problems) == 1, error.problems
    assert "nothing was saved" in str(error)
    return str(error.problems[0])


@pytest.mark.timeout(60)
def test_an_alias_bomb_in_a_round_is_refused(tmp_path: Path) -> None:
    text = "id: bomb\ntitle: t\n" + _alias_bomb()
    assert len(text) < 1200
    path = _write(tmp_path, text)
    with pytest.raises(RoundError) as caught:
        load_round_file(path)
    problem = _only_problem(caught.value)
    assert f"more than {MAX_VALUES:,} values once its aliases are expanded" in problem
    assert caught.value.path == str(path)
    assert caught.value.problems[0].line is not None


@pytest.mark.timeout(60)
def test_an_alias_bomb_in_a_framework_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "id: x\nversion: '1'\n" + _alias_bomb(), "framework.yaml")
    with pytest.raises(FrameworkError, match="aliases are expanded"):
        load_framework_file(path)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("nested", [
    "[" * 20_000 + "]" * 20_000,
    "{a: " * 20_000 + "1" + "}" * 20_000,
    "\n" + "- " * 20_000 + "x",
])
def test_deep_nesting_is_refused_before_it_exhausts_the_stack(tmp_path: Path, nested: str) -> None:
    path = _write(tmp_path, f"id: deep\ncases: {nested}\n")
    with pytest.raises(RoundError) as caught:
        load_round_file(path)
    problem = _only_problem(caught.value)
    assert f"nested more than {MAX_DEPTH} levels deep" in problem
    assert caught.value.problems[0].line in (2, 3)


def test_nesting_up_to_the_limit_reads_and_one_more_level_is_refused(tmp_path: Path) -> None:
    lists = MAX_DEPTH - 1  # inside the top-level mapping
    data, _ = read_yaml(_write(tmp_path, "a: " + "[" * lists + "1" + "]" * lists + "\n"))
    inner = data["a"]
    for _ in range(lists - 1):
        inner = inner[0]
    assert inner == [1]
    with pytest.raises(InputFileError, match="nested more than"):
        read_yaml(_write(tmp_path, "a: " + "[" * (lists + 1) + "1" + "]" * (lists + 1) + "\n"))


@pytest.mark.timeout(60)
def test_an_alias_inside_what_it_names_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputFileError) as caught:
        read_yaml(_write(tmp_path, "a: &loop [1, *loop]\n"))
    assert "alias *loop is used inside the very list or mapping it names" in _only_problem(
        caught.value)


def test_a_few_aliases_as_an_author_would_use_them_still_read(tmp_path: Path) -> None:
    text = ("statutory: &statutory [CSC, Pol, Hlth]\n"
            "first: {answered_by: *statutory}\n"
            "second: {answered_by: *statutory}\n"
            "base: &base {scale: four}\n"
            "third: {<<: *base, id: '1.3'}\n"
            "fourth: {<<: *base, scale: five}\n")
    data, lines = read_yaml(_write(tmp_path, text))
    assert data["second"]["answered_by"] == ["CSC", "Pol", "Hlth"]
    assert data["third"] == {"scale": "four", "id": "1.3"}
    assert data["fourth"] == {"scale": "five"}  # overriding a merged key is not a duplicate
    assert lines.line(("second", "answered_by")) == 3


@pytest.mark.timeout(60)
def test_a_file_far_larger_than_any_round_is_refused_unread(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, "id: big\nnote: '" + "x" * MAX_YAML_BYTES + "'\n")

    def never(self: Path) -> bytes:
        raise AssertionError(f"{self} was read although it is too large")

    monkeypatch.setattr(Path, "read_bytes", never)
    with pytest.raises(RoundError) as caught:
        load_round_file(path)
    assert "more than any round needs" in _only_problem(caught.value)


@pytest.mark.parametrize(("content", "expected"), [
    (b"id: x\ntitle: caf\xe9\n", "line 2: the text is not UTF-8 (byte 0xE9"),
    (b"id: x\n\x00\x01\x02", "line 2: the file holds binary data"),
    (b"PK\x03\x04\x14\x00\x06\x00", "an Excel workbook (or another packed file), not text"),
])
def test_a_file_that_is_not_utf8_text_says_how_to_save_it(tmp_path: Path, content: bytes,
                                                          expected: str) -> None:
    with pytest.raises(FrameworkError) as caught:
        load_framework_file(_write(tmp_path, content, "framework.yaml"))
    problem = _only_problem(caught.value)
    assert expected in problem
    assert "save it as UTF-8 text" in problem
