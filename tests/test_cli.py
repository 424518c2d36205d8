"""The command line: demo data, validation, progress and rounds, with plain errors and exit codes
(exports: test_export.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from caseaudit.cli import main
from caseaudit.store import open_store


def _run(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


@pytest.fixture
def demo(tmp_path: Path) -> tuple[Path, Path]:
    audits, db = tmp_path / "demo" / "audits", tmp_path / "demo.db"
    result = _run("demo-data", "--cases", "6", "--rounds", "2", "--audits", str(audits),
                  "--db", str(db))
    assert result.exit_code == 0, result.output
    return audits, db


def test_demo_data_is_the_same_byte_for_byte_for_the_same_seed(tmp_path: Path) -> None:
    outputs = []
    for name in ("a", "b", "c"):
        audits, db = tmp_path / name / "audits", tmp_path / name / "demo.db"
        seed = "11" if name != "c" else "12"
        assert _run("demo-data", "--cases", "7", "--rounds", "3", "--seed", seed,
                    "--audits", str(audits), "--db", str(db)).exit_code == 0
        files = {p.relative_to(audits).as_posix(): p.read_bytes()
                 for p in sorted(audits.rglob("*")) if p.is_file()}
        exports = {}
        for round_id in sorted({k.split("/")[0] for k in files}):
            out = tmp_path / name / f"{round_id}.csv"
            assert _run("export", "--round", round_id, "--format", "csv", "-o", str(out),
                        "--db", str(db), "--audits", str(audits)).exit_code == 0
            exports[round_id] = out.read_bytes()
        outputs.append((files, exports))
    # audit.yaml and cases.csv for each of 3 rounds and the 2 practice weeks
    assert len(outputs[0][0]) == 10
    assert outputs[0] == outputs[1]
    assert outputs[0][1] != outputs[2][1]


def test_demo_data_refuses_to_run_twice_without_replace(demo: tuple[Path, Path]) -> None:
    audits, db = demo
    again = _run("demo-data", "--cases", "6", "--rounds", "2", "--audits", str(audits), "--db", str(db))
    assert again.exit_code == 1 and "--replace" in again.output
    replaced = _run("demo-data", "--cases", "5", "--rounds", "2", "--audits", str(audits),
                    "--db", str(db), "--replace")
    assert replaced.exit_code == 0, replaced.output
    assert "2 rounds of 5 cases" in replaced.output


def test_demo_data_never_touches_the_real_database(tmp_path: Path) -> None:
    real = tmp_path / "real.db"
    result = _run("demo-data", "--db", str(real), "--audits", str(tmp_path / "a"),
                  env={"CASEAUDIT_DB": str(real)})
    assert result.exit_code == 1 and "real workbook database" in result.output
    assert not real.exists()


def test_validate_reports_good_and_bad_files(demo: tuple[Path, Path], tmp_path: Path) -> None:
    audits, _ = demo
    rounds = sorted(p for p in audits.iterdir() if p.name.endswith("-maca"))  # not the practice weeks
    framework = Path(__file__).parents[1] / "lib/caseaudit/frameworks/jtai-csa-family.yaml"
    ok = _run("validate", str(framework), str(rounds[0]), str(rounds[1] / "audit.yaml"))
    assert ok.exit_code == 0, ok.output
    assert ok.output.count("ok:") == 3

    bad = tmp_path / "bad-round" / "audit.yaml"
    bad.parent.mkdir()
    bad.write_text((rounds[0] / "audit.yaml").read_text().replace("kind: maca", "knd: maca"))
    (bad.parent / "cases.csv").write_text((rounds[0] / "cases.csv").read_text())
    result = _run("validate", str(rounds[0]), str(bad))
    assert result.exit_code == 1
    assert "unknown field 'knd'" in result.output and "Did you mean 'kind'?" in result.output
    assert "1 of 2 file(s) invalid" in result.output


def test_validate_refuses_a_partnership_framework_that_clashes_with_a_built_in_one(tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    builtin = Path(__file__).parents[1] / "lib/caseaudit/frameworks/jtai-csa-family.yaml"
    ours = tmp_path / "frameworks" / "our-jtai.yaml"
    ours.parent.mkdir()
    ours.write_text(builtin.read_text(encoding="utf-8"), encoding="utf-8")
    result = _run("validate", str(ours), env={"CASEAUDIT_FRAMEWORKS": str(ours.parent)})
    assert result.exit_code == 1 and "ok:" not in result.output
    assert "our-jtai.yaml" in result.output and "jtai-csa-family.yaml" in result.output
    assert "own id" in result.output


def test_a_database_setting_that_is_not_a_database_fails_plainly(demo: tuple[Path, Path],
                                                                 tmp_path: Path) -> None:
    audits, _ = demo
    bogus = tmp_path / "bogus.db"
    bogus.write_text("not a database\n" * 100)
    round_id = sorted(p.name for p in audits.iterdir())[-1]
    result = _run("export", "--round", round_id, "-o", str(tmp_path / "x.csv"),
                  "--audits", str(audits), env={"CASEAUDIT_DB": str(bogus)})
    assert result.exit_code == 1
    assert "is not a workbook database" in result.output and "Traceback" not in result.output
    assert bogus.read_text() == "not a database\n" * 100


def test_a_database_from_a_newer_workbook_fails_plainly(demo: tuple[Path, Path],
                                                       tmp_path: Path) -> None:
    import sqlite3

    from caseaudit.store import SCHEMA_VERSION

    audits, db = demo
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE schema_info SET value = ? WHERE key = 'schema_version'",
                     (str(SCHEMA_VERSION + 1),))
    before = db.read_bytes()
    round_id = sorted(p.name for p in audits.iterdir())[-1]
    result = _run("export", "--round", round_id, "-o", str(tmp_path / "x.csv"), "--db", str(db),
                  "--audits", str(audits))
    assert result.exit_code == 1 and "newer version of the workbook" in result.output
    assert db.read_bytes() == before and not (tmp_path / "x.csv").exists()


def test_progress_prints_and_exports(demo: tuple[Path, Path], tmp_path: Path) -> None:
    audits, db = demo
    round_id = sorted(p.name for p in audits.iterdir())[-1]
    out = tmp_path / "progress.csv"
    result = _run("progress", "--round", round_id, "-o", str(out), "--db", str(db),
                  "--audits", str(audits))
    assert result.exit_code == 0, result.output
    assert "expected" in result.output and "Total" in result.output
    frame = pd.read_csv(out)
    assert set(frame["state"]) <= {"missing", "draft", "submitted"}
    assert len(frame) == int(result.output.split("Wrote ")[1].split()[0])


def test_closing_and_reopening_a_round(demo: tuple[Path, Path]) -> None:
    audits, db = demo
    round_id = sorted(p.name for p in audits.iterdir())[-1]
    where = ("--db", str(db), "--audits", str(audits))
    result = _run("close-round", "--round", round_id, "--by", "AUDIT-LEAD", *where)
    assert result.exit_code == 0, result.output
    assert open_store(db, create=False).round_locked(round_id)
    again = _run("close-round", "--round", round_id, "--by", "AUDIT-LEAD", *where)
    assert again.exit_code == 1 and "already closed" in again.output
    blank = _run("reopen-round", "--round", round_id, "--by", "AUDIT-LEAD", "--reason", " ", *where)
    assert blank.exit_code == 1 and "needs a reason" in blank.output
    assert open_store(db, create=False).round_locked(round_id)
    result = _run("reopen-round", "--round", round_id, "--by", "AUDIT-LEAD", "--reason",
                  "late police form", *where)
    assert result.exit_code == 0, result.output
    history = open_store(db, create=False).round_history(round_id)
    assert list(history["action"]) == ["close", "reopen"]
    assert history.iloc[-1]["reason"] == "late police form"
    unknown = _run("close-round", "--round", "no-such-round", "--by", "AUDIT-LEAD", *where)
    assert unknown.exit_code == 1 and "no-such-round" in unknown.output


# -- a database only when asked; the demo by name ----------------------------------------------------

def test_init_makes_a_new_workbook_and_never_touches_an_existing_one(tmp_path: Path) -> None:
    db = tmp_path / "new" / "workbook.db"
    made = _run("init", "--db", str(db))
    assert made.exit_code == 0, made.output
    assert f"Created a new, empty workbook database at sqlite:///{db}" in made.output
    assert open_store(db).round_ids() == []
    before = db.read_bytes()
    again = _run("init", "--db", str(db))
    assert again.exit_code == 1 and "already exists" in again.output
    assert "move that file aside first" in again.output
    assert db.read_bytes() == before
    demo = _run("--demo", "init")
    assert demo.exit_code == 1 and "the demo's is made by `caseaudit demo-data`" in demo.output


def test_a_typo_in_caseaudit_db_imports_nothing_anywhere(tmp_path: Path, audit, jtai) -> None:  # type: ignore[no-untyped-def]
    from caseaudit.excel import write_template
    from caseaudit.rounds import write_round

    write_round(audit, tmp_path / "audits")
    template = tmp_path / "pol.xlsx"
    write_template(audit, jtai, "Pol", template)
    typo = tmp_path / "dtaa" / "workbook.db"
    result = _run("import-excel", str(template), "--audits", str(tmp_path / "audits"),
                  env={"CASEAUDIT_DB": str(typo)})
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"the folder {typo.parent} does not exist either" in result.output
    assert not typo.parent.exists()


@pytest.fixture
def as_demo(demo: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """The demo fixture's database and rounds standing where `make demo` puts them."""
    from caseaudit import settings

    audits, db = demo
    monkeypatch.setattr(settings, "DEMO_DB_PATH", db)
    monkeypatch.setattr(settings, "DEMO_AUDITS_DIR", audits)
    return audits, db


def test_demo_points_every_command_at_the_demo(as_demo: tuple[Path, Path], tmp_path: Path) -> None:
    audits, db = as_demo
    round_id = sorted(p.name for p in audits.iterdir())[-1]
    nowhere = {"CASEAUDIT_DB": str(tmp_path / "absent.db"), "CASEAUDIT_AUDITS": str(tmp_path)}
    progress = _run("--demo", "progress", "--round", round_id, env=nowhere)
    assert progress.exit_code == 0, progress.output
    assert "Total" in progress.output
    out = tmp_path / "demo.csv"
    exported = _run("--demo", "export", "--round", round_id, "-o", str(out), env=nowhere)
    assert exported.exit_code == 0, exported.output
    assert len(pd.read_csv(out)) == len(open_store(db).current_responses(round_id))
    template = _run("--demo", "excel-template", "--round", round_id, "--agency", "Pol",
                    "-o", str(tmp_path / "pol.xlsx"), env=nowhere)
    assert template.exit_code == 0, template.output
    both = _run("--demo", "progress", "--round", round_id, "--db", str(db))
    assert both.exit_code == 1 and "leave out --db and --audits, or leave out --demo" in both.output
    assert not (tmp_path / "absent.db").exists()


def test_a_demo_round_asked_of_the_real_rounds_points_at_the_demo(as_demo: tuple[Path, Path],
                                                                    tmp_path: Path) -> None:
    audits, _ = as_demo
    round_id = sorted(p.name for p in audits.iterdir())[-1]
    real = tmp_path / "audits"
    real.mkdir()
    result = _run("progress", "--round", round_id, env={"CASEAUDIT_AUDITS": str(real)})
    assert result.exit_code == 1 and f"There is no audit round '{round_id}'" in result.output
    assert "add --demo to the command" in result.output


def test_demo_before_make_demo_says_how_to_make_it(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from caseaudit import settings

    monkeypatch.setattr(settings, "DEMO_DB_PATH", tmp_path / "demo.db")
    result = _run("--demo", "progress", "--round", "2026-03-maca")
    assert result.exit_code == 1 and "There is no demo partnership yet" in result.output
    assert "`make demo-data`" in result.output and not (tmp_path / "demo.db").exists()


@pytest.mark.parametrize("command", ["progress", "export"])
def test_a_damaged_database_is_reported_by_progress_and_export(demo: tuple[Path, Path], tmp_path: Path,
                                                               command: str) -> None:
    audits, db = demo
    round_id = sorted(p.name for p in audits.iterdir())[-1]
    with db.open("r+b") as fh:  # a page in the middle overwritten, as by a failing disk
        fh.seek(db.stat().st_size // 2 // 4096 * 4096)
        fh.write(b"\xff\x00junk" * 700)
    damaged = db.read_bytes()
    out = tmp_path / "out.csv"
    result = _run(command, "--round", round_id, "-o", str(out), "--db", str(db), "--audits", str(audits))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"The database {db} is damaged" in result.output and "Restore it from a backup" in result.output
    assert db.read_bytes() == damaged and not out.exists()


# -- a fast start ------------------------------------------------------------------------------------

HEAVY = ("pandas", "seaborn", "statsmodels", "sklearn", "matplotlib", "scipy")


def _modules_after(code: str) -> set[str]:
    import subprocess
    import sys

    found = subprocess.run([sys.executable, "-c", f"{code}\nimport sys\nprint(' '.join(sys.modules))"],
                           capture_output=True, text=True, check=True).stdout.split()
    return {name.split(".")[0] for name in found}


def test_the_command_line_starts_without_the_analysis_libraries() -> None:
    assert not _modules_after("import caseaudit.cli") & set(HEAVY)
    assert not _modules_after("import caseaudit") & {*HEAVY, "sqlalchemy", "pydantic", "yaml"}
    # validate needs rounds and frameworks, not the analysis libraries
    assert not _modules_after("from caseaudit.cli import validate\nimport caseaudit.rounds") & set(HEAVY)


def test_the_package_still_offers_every_public_name() -> None:
    import caseaudit

    assert set(caseaudit._MODULE_OF) == set(caseaudit.__all__)
    assert set(caseaudit.__all__) <= set(dir(caseaudit))
    for name in caseaudit.__all__:
        value = getattr(caseaudit, name)
        assert getattr(value, "__name__", name) == name or name == "SUPPRESSED"
    from caseaudit import Store, open_store, summarise_round  # noqa: F401
    with pytest.raises(AttributeError, match="has no attribute 'no_such_name'"):
        caseaudit.no_such_name  # noqa: B018
