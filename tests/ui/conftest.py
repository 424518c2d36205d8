"""What the browser tests of the apps share: choosing from an ipywidgets drop-down as a person
would, by the start of the option's text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


def _choose(page: Any, index: int, text: str) -> None:
    select = page.locator("select").nth(index)
    # ipywidgets pads labels with no-break spaces; a person reads them as spaces
    options = select.evaluate("s => Array.from(s.options).map(o => o.text.replace(/\\u00a0/g, ' '))")
    select.select_option(index=next(i for i, o in enumerate(options) if o.startswith(text)))


@pytest.fixture
def choose() -> Callable[[Any, int, str], None]:
    """``choose(page, 1, "AUD-CSC-1")``: in the page's drop-down number ``index`` (from 0),
    select the first option whose text starts with ``text``."""
    return _choose
