"""Every command the README shows works, as written, straight after `make demo`.

A new QA lead copies the README's commands right after the demo is up; a command that fails there
is a dead end on their first day. The commands run in a scratch folder laid out like a clone (the
project's .venv and notebooks, the tracked example round), on a demo generated as `make demo`
generates it, so nothing here touches the project's own data/ folder.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from caseaudit import settings

README = settings.PROJECT_DIR / "README.md"


def readme_commands() -> list[str]:
    """The command lines of the README's ``sh`` blocks that run the workbook's own tools."""
    blocks = re.findall(r"^[ ]*```sh\n(.*?)^[ ]*```", README.read_text(encoding="utf-8"),
                        flags=re.MULTILINE | re.DOTALL)
    lines = [line.strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if line.startswith(".venv/bin/")]


@pytest.mark.timeout(600)
def test_every_readme_command_works_straight_after_make_demo(tmp_path: Path) -> None:
    commands = readme_commands()
    tools = {c.split()[0] for c in commands}
    assert {".venv/bin/caseaudit", ".venv/bin/papermill"} <= tools and len(commands) >= 10
    clone = tmp_path / "clone"
    clone.mkdir()
    (clone / ".venv").symlink_to(settings.PROJECT_DIR / ".venv")
    (clone / "notebooks").symlink_to(settings.PROJECT_DIR / "notebooks")
    example = settings.PROJECT_DIR / "audits" / "2026-03-example"
    shutil.copytree(example, clone / "audits" / example.name)
    env = {**os.environ, settings.DEMO_HOME_ENV: str(clone / "data"),
           settings.DB_ENV: str(clone / "data" / "workbook.db"),
           settings.AUDITS_ENV: str(clone / "audits")}
    (clone / "data").mkdir()
    subprocess.run([".venv/bin/caseaudit", "demo-data"], cwd=clone, env=env, check=True,
                   capture_output=True)  # what `make demo` runs first
    for command in commands:
        done = subprocess.run(["bash", "-c", command], cwd=clone, env=env, capture_output=True,
                              text=True, timeout=300)
        output = done.stdout + done.stderr
        assert done.returncode == 0, f"README command failed: {command}\n{output}"
        assert "Traceback" not in output, f"{command}\n{output}"
    assert (clone / "out.ipynb").exists() and (clone / "police.xlsx").exists()
    assert (clone / "data" / "workbook.db").exists()  # `caseaudit init` made the real database
