"""The automated accessibility check every page the workbook serves must pass.

Councils and health bodies are bound by the public sector accessibility regulations (WCAG 2.2 AA),
so each browser test of a page runs axe-core over it, with the form's widgets open, on the rules
tagged for WCAG 2.0, 2.1 and 2.2 at levels A and AA. axe-core comes inside axe-playwright-python:
nothing is downloaded when the tests run.

A failure lists each violation a person can act on: the rule, how much it hurts, which element
(its CSS selector) and what the rule asks for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

#: The axe-core tags of the WCAG success criteria the regulations require (A and AA, every version).
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa")

#: Violations outside the workbook's reach, by rule and the selector axe names: (rule id, a
#: substring of the element's selector) -> why it cannot be fixed from our code. Each entry waives
#: exactly that rule on exactly those elements; everything else on the page is still checked.
OUT_OF_REACH: Mapping[tuple[str, str], str] = {}


def _selector(node: Mapping[str, Any]) -> str:
    """The element's selector as axe gives it (a list, one entry per frame or shadow root)."""
    target = node.get("target") or []
    return " >> ".join(t if isinstance(t, str) else " ".join(t) for t in target)


def _waived(rule: str, selector: str, waivers: Mapping[tuple[str, str], str]) -> bool:
    return any(rule == r and part in selector for (r, part) in waivers)


def violations(page: Any, waivers: Mapping[tuple[str, str], str] = OUT_OF_REACH) -> list[str]:
    """Every WCAG A/AA violation axe-core finds on ``page`` (a Playwright page) now, one line per
    element, less those ``waivers`` accept."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": list(WCAG_TAGS)},
                                       "resultTypes": ["violations"]})
    found = []
    for violation in results.response["violations"]:
        for node in violation["nodes"]:
            selector = _selector(node)
            if not _waived(violation["id"], selector, waivers):
                found.append(f"{violation['id']} ({violation.get('impact') or node.get('impact')}): "
                             f"{selector}: {violation['help']}")
    return found


def assert_accessible(page: Any, waivers: Mapping[tuple[str, str], str] = OUT_OF_REACH,
                      what: str = "the page") -> None:
    """Fail, listing every violation (rule, impact, element, what the rule asks), unless axe-core
    finds none on ``page`` in the WCAG 2.0/2.1/2.2 A and AA rules."""
    found = violations(page, waivers)
    assert not found, _report(what, found)


def _report(what: str, found: Iterable[str]) -> str:
    lines = list(found)
    return f"{what} fails {len(lines)} WCAG A/AA check(s):\n" + "\n".join(f"  - {line}" for line in lines)
