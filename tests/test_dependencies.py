"""Every library the workbook's code imports is declared in pyproject.toml, so a fresh install has
it: a library that arrives only as a dependency of another (Jinja2 through pandas' Styler, tornado
through Voila) can disappear when that other one changes."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIB = ROOT / "lib" / "caseaudit"
#: Imported only through another library's optional feature, never by our code at import time.
INDIRECT = {"jinja2": "pandas' DataFrame.style (the moderation grid)"}
#: Modules run only on a partnership's hub, imported only there (lazily): what they import may come
#: from the ``hub`` extra instead of the default dependencies.
HUB_ONLY = {"hub_server.py"}


def _imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _declared(extra: str | None = None) -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = project["optional-dependencies"][extra] if extra else project["dependencies"]
    return {re.split(r"[<>=!~\[; ]", r, maxsplit=1)[0].lower().replace("_", "-")
            for r in requirements}


def _undeclared(modules: set[str], declared: set[str]) -> list[str]:
    third_party = sorted(m for m in modules
                         if m not in sys.stdlib_module_names and m not in ("caseaudit", "__future__"))
    distributions = packages_distributions()
    return [f"{m} (from {', '.join(distributions.get(m, ['?']))})" for m in third_party
            if not {d.lower().replace("_", "-") for d in distributions.get(m, [m])} & declared]


def test_every_imported_library_is_declared() -> None:
    everywhere = [p for p in LIB.rglob("*.py") if p.name not in HUB_ONLY]
    modules = set().union(*(_imported(p) for p in everywhere)) | set(INDIRECT)
    declared = _declared()
    missing = _undeclared(modules, declared)
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"
    assert "jinja2" in declared
    hub_modules = set().union(*(_imported(LIB / name) for name in HUB_ONLY))
    missing = _undeclared(hub_modules, declared | _declared("hub"))
    assert not missing, f"imported on the hub but not declared in the hub extra: {missing}"
