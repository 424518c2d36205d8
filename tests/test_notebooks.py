"""The notebook convention: only key-figure cells keep outputs, and nbval fails when one moves."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from caseaudit import settings
from caseaudit.notebooks import CHECK_MARK

NOTEBOOKS = sorted((Path(__file__).parents[1] / "notebooks").rglob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_only_key_figure_cells_keep_outputs(path: Path) -> None:
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        checked = "".join(cell["source"]).lstrip().startswith(CHECK_MARK)
        if checked:
            assert cell["outputs"] and cell["execution_count"], (
                f"{path.name}: a key-figure cell has no stored output; run make refresh-notebooks")
        else:
            assert not cell["outputs"], f"{path.name}: unchecked cell kept outputs"
        assert not any(o.get("output_type") == "error" for o in cell["outputs"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_use_only_the_public_face(path: Path) -> None:
    """A notebook imports from ``caseaudit`` itself (never a submodule), and every ``ca.`` name it
    uses is public: a refactor of the library's insides cannot break a QA lead's notebook."""
    import ast

    import caseaudit

    for cell in json.loads(path.read_text())["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "\n".join(line for line in "".join(cell["source"]).splitlines()
                           if not line.lstrip().startswith(("%", "!")))
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith("caseaudit."), f"{path.name}: {node.module}"
                if node.module == "caseaudit":
                    unknown = {a.name for a in node.names} - set(caseaudit.__all__)
                    assert not unknown, f"{path.name} imports {unknown}, not public"
            if isinstance(node, ast.Import):
                assert all(not a.name.startswith("caseaudit.") for a in node.names), path.name
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id == "ca":
                assert node.attr in caseaudit.__all__, f"{path.name} uses ca.{node.attr}, not public"


def test_the_qa_notebook_has_papermill_parameters() -> None:
    nb = json.loads((Path(__file__).parents[1] / "notebooks" / "analyse_round.ipynb").read_text())
    tagged = [c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1
    source = "".join(tagged[0]["source"])
    assert "round_id = None" in source and "database = None" in source


def test_a_moved_key_figure_fails_the_notebook_check(tmp_path: Path) -> None:
    source = Path(__file__).parents[1] / "notebooks" / "analyse_round.ipynb"
    assert _nbval(source, tmp_path / "same").returncode == 0  # as committed, it passes here
    nb = json.loads(source.read_text())
    cell = next(c for c in nb["cells"] if "".join(c["source"]).startswith(CHECK_MARK))
    text = "".join(cell["outputs"][0]["text"])
    changed = text.replace("Good or better: ", "Good or better: 1", 1)
    assert changed != text
    cell["outputs"][0]["text"] = changed
    changed_path = tmp_path / "changed.ipynb"
    changed_path.write_text(json.dumps(nb))
    run = _nbval(changed_path, tmp_path / "changed")
    assert run.returncode == 1, run.stdout[-2000:]
    assert "1 failed" in run.stdout


def _nbval(notebook: Path, folder: Path) -> subprocess.CompletedProcess[str]:
    """Run nbval on a copy of ``notebook`` in ``folder`` (the session's demo data, inherited)."""
    folder.mkdir()
    target = folder / "analyse_round.ipynb"
    target.write_text(notebook.read_text())
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax",
         "--nbval-current-env", "--rootdir", str(folder), str(target)],
        capture_output=True, text=True, timeout=300, cwd=folder)


def test_the_qa_notebook_runs_with_papermill_for_a_chosen_round(tmp_path: Path) -> None:
    import papermill

    from caseaudit.rounds import list_round_ids

    first = list_round_ids()[0]
    source = Path(__file__).parents[1] / "notebooks" / "analyse_round.ipynb"
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(str(source), str(out), parameters={"round_id": first},
                               cwd=str(source.parent), progress_bar=False, kernel_name="python3")
    nb = json.loads(out.read_text())
    printed = [
        "".join(o.get("text", "")) for c in nb["cells"] if c["cell_type"] == "code"
        for o in c["outputs"] if o.get("output_type") == "stream"
    ]
    assert any(text.startswith(f"Round {first}\n") for text in printed)


def test_every_board_dashboard_is_linked_from_the_others() -> None:
    """The links at the top of each dashboard name every notebook Voila serves, and only those:
    a board member opens the overview's address and finds the trends and equality pages from it."""
    from caseaudit.serve import DASHBOARDS_DIR
    from caseaudit.ui.board import dashboard_links

    served = sorted(p.name for p in DASHBOARDS_DIR.glob("*.ipynb"))
    assert sorted(file for file, _ in settings.DASHBOARDS) == served
    links = dashboard_links("trends.ipynb")
    assert links.count("<a ") == len(served)
    assert '<a href="trends.ipynb" aria-current="page">Trends</a>' in links
    assert links.count(" aria-current=") == 1  # (the style sheet names it once too)
