"""Frameworks as data: the built-in ones load, and every kind of bad file gets a placed message."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseaudit import settings
from caseaudit.errors import FrameworkError, NotFoundError
from caseaudit.framework import NOT_APPLICABLE, list_frameworks, load_framework, load_framework_file

GOOD = """\
id: local-test
version: "2.0"
title: A small framework
agencies:
  - {id: CSC, name: Children's social care}
  - {id: Pol, name: Police}
scales:
  - id: four
    title: Four grades
    levels:
      - {code: 1, label: Outstanding}
      - {code: 2, label: Good}
      - {code: 3, label: Requires improvement to be good}
      - {code: 4, label: Inadequate}
    good_or_better: [1, 2]
    not_applicable: true
domains:
  - id: D1
    title: Identification
    criteria:
      - id: "1.1"
        title: Indicators
        question: Was abuse considered without a disclosure?
        good_looks_like: Behaviour prompted the hypothesis.
        answered_by: all
        scale: four
      - id: "1.2"
        title: Referral
        question: Did the referral state the worry?
        good_looks_like: It did, with history.
        answered_by: [Pol]
        scale: four
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "framework.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _error(tmp_path: Path, text: str) -> FrameworkError:
    with pytest.raises(FrameworkError) as caught:
        load_framework_file(_write(tmp_path, text))
    return caught.value


@pytest.mark.parametrize(("framework_id", "domains", "criteria"),
                         [("jtai-csa-family", 7, 27), ("maca-generic", 8, None)])
def test_built_in_frameworks_load(framework_id: str, domains: int, criteria: int | None) -> None:
    framework = load_framework(framework_id)
    assert framework.version == "1.0"
    assert len(framework.domains) == domains
    if criteria is not None:
        assert len(framework.criteria_by_id) == criteria
    ofsted = framework.scales_by_id["ofsted4"]
    assert [lv.label for lv in ofsted.levels][:2] == ["Outstanding", "Good"]
    assert ofsted.good_or_better == [1, 2] and ofsted.not_applicable


def test_jtai_has_every_criterion_of_domains_d1_to_d7() -> None:
    framework = load_framework("jtai-csa-family", "1.0")
    expected = {f"{d}.{i}" for d, n in [(1, 4), (2, 6), (3, 3), (4, 5), (5, 3), (6, 4), (7, 2)]
                for i in range(1, n + 1)}
    assert set(framework.criteria_by_id) == expected
    assert [d.id for d in framework.domains] == [f"D{i}" for i in range(1, 8)]
    assert set(framework.answered_by("2.3")) == {"Prob", "Pol", "CSC"}
    assert set(framework.answered_by("3.1")) == set(framework.agency_ids)


def test_a_good_file_loads(tmp_path: Path) -> None:
    framework = load_framework_file(_write(tmp_path, GOOD))
    assert framework.key == ("local-test", "2.0")
    assert [c.id for c in framework.criteria_for("CSC")] == ["1.1"]
    scale = framework.scale_of("1.1")
    assert scale.parse_answer("good") == 2 and scale.parse_answer(4) == 4
    assert scale.parse_answer("N/A") is NOT_APPLICABLE


@pytest.mark.parametrize(
    ("change", "place", "line", "message"),
    [
        # misspelt field: never silently ignored, and the right spelling is suggested
        (("    title: Identification", "    titel: Identification"),
         "domains[0].titel", 19, "Did you mean 'title'?"),
        # a criterion naming a scale that is not defined
        (("[Pol]\n        scale: four", "[Pol]\n        scale: five"),
         "domains[0].criteria[1].scale", 32, "scale 'five' is not defined"),
        # duplicate criterion ids
        (('      - id: "1.2"', '      - id: "1.1"'), "domains[0].criteria[1].id", 27, "used twice"),
        # an agency the framework does not define
        (("answered_by: [Pol]", "answered_by: [Police]"),
         "domains[0].criteria[1].answered_by[0]", 31, "agency 'Police'"),
        # good_or_better naming a code that is not a level
        (("good_or_better: [1, 2]", "good_or_better: [1, 5]"), "scales[0]", 8, "[5]"),
        # a missing required field
        (("        good_looks_like: It did, with history.\n", ""), "domains[0].criteria[1]", 27,
         "'good_looks_like' is missing"),
        # a version written as a number
        (('version: "2.0"', "version: 2.0"), "version", 2, "in quotes"),
    ],
)
def test_bad_frameworks_are_placed_precisely(tmp_path: Path, change: tuple[str, str], place: str,
                                             line: int, message: str) -> None:
    old, new = change
    assert old in GOOD
    error = _error(tmp_path, GOOD.replace(old, new, 1))
    found = [p for p in error.problems if p.place == place]
    assert found, f"no problem at {place}: {error.problems}"
    assert message in found[0].message
    assert found[0].line == line
    assert str(tmp_path / "framework.yaml") in str(error)


def test_yaml_that_does_not_parse_names_its_line(tmp_path: Path) -> None:
    error = _error(tmp_path, GOOD.replace("    title: Identification", "    title: [Identification"))
    assert error.problems[0].line is not None and 19 <= error.problems[0].line <= 21
    assert "not valid YAML" in str(error)


def test_a_duplicate_key_is_reported_not_collapsed(tmp_path: Path) -> None:
    error = _error(tmp_path, GOOD.replace('title: A small framework\n',
                                          'title: A small framework\ntitle: Again\n'))
    assert error.problems[0].place == "title" and error.problems[0].line == 4


def test_an_empty_file_is_reported(tmp_path: Path) -> None:
    assert "empty" in str(_error(tmp_path, "# nothing here\n"))


def test_an_unknown_framework_or_version_lists_what_exists() -> None:
    with pytest.raises(NotFoundError, match=r"jtai-csa-family 1\.0"):
        load_framework("jtai-csa-family", "9.9")
    with pytest.raises(NotFoundError, match="no framework jtai-csa-famly"):
        load_framework("jtai-csa-famly")


def test_user_frameworks_are_found_through_caseaudit_frameworks(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, GOOD)
    monkeypatch.setenv("CASEAUDIT_FRAMEWORKS", str(tmp_path))
    assert load_framework("local-test", "2.0").title == "A small framework"


def _builtin(framework_id: str) -> Path:
    return settings.BUILTIN_FRAMEWORKS_DIR / f"{framework_id}.yaml"


def test_a_user_framework_with_a_built_in_id_and_version_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "our-jtai.yaml"
    copy.write_text(_builtin("jtai-csa-family").read_text(encoding="utf-8") + "# our copy\n",
                    encoding="utf-8")
    monkeypatch.setenv("CASEAUDIT_FRAMEWORKS", str(tmp_path))
    for load in (lambda: load_framework("jtai-csa-family", "1.0"),
                 lambda: load_framework("jtai-csa-family"), list_frameworks):
        with pytest.raises(FrameworkError) as caught:
            load()
        error = caught.value
        assert error.path == str(copy)
        (problem,) = error.problems
        assert problem.place == "id" and problem.line == 1
        assert (f"framework jtai-csa-family version 1.0 is also defined by the built-in "
                f"{_builtin('jtai-csa-family')}") in problem.message
        assert "its own id (e.g. jtai-csa-family-local) or a new version" in problem.message
    assert load_framework("maca-generic", "1.0").id == "maca-generic"  # not ambiguous


def test_two_user_files_with_one_id_and_version_are_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text(GOOD, encoding="utf-8")
    second.write_text(GOOD.replace("title: A small framework", "title: Another"), encoding="utf-8")
    monkeypatch.setenv("CASEAUDIT_FRAMEWORKS", str(tmp_path))
    with pytest.raises(FrameworkError) as caught:
        load_framework("local-test", "2.0")
    assert caught.value.path == str(first)
    assert f"local-test version 2.0 is also defined by {second};" in str(caught.value)
    with pytest.raises(FrameworkError, match="is also defined by"):
        list_frameworks()
    second.write_text(GOOD.replace('version: "2.0"', 'version: "2.1"'), encoding="utf-8")
    assert load_framework("local-test").version == "2.1"
    assert load_framework("local-test", "2.0").title == "A small framework"


def test_the_built_in_folder_named_again_is_not_a_second_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEAUDIT_FRAMEWORKS", str(settings.BUILTIN_FRAMEWORKS_DIR))
    assert load_framework("jtai-csa-family", "1.0").id == "jtai-csa-family"
    assert sorted(f.id for f in list_frameworks()) == ["jtai-csa-family", "maca-generic", "practice-week"]


def test_a_framework_file_that_cannot_be_read_does_not_hide_the_others(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"PK\x03\x04" + bytes(range(256)))
    (tmp_path / "folder.yaml").mkdir()
    locked = tmp_path / "locked.yaml"
    locked.write_text(GOOD, encoding="utf-8")
    locked.chmod(0)
    real = Path.read_bytes

    def refuse(self: Path) -> bytes:  # chmod does not stop root from reading
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    monkeypatch.setenv("CASEAUDIT_FRAMEWORKS", str(tmp_path))
    assert load_framework("jtai-csa-family", "1.0").id == "jtai-csa-family"
    with pytest.raises(NotFoundError) as caught:
        load_framework("local-test")
    message = str(caught.value)
    assert f"The framework file {binary} could not be read: this is an Excel workbook" in message
    assert f"The framework file {tmp_path / 'folder.yaml'} could not be read: this is a folder" in message
    assert f"The framework file {locked} could not be read: your account may not read" in message
    with pytest.raises(FrameworkError) as listed:
        list_frameworks()
    assert listed.value.path == str(binary)
