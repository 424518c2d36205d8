"""Reading the charts a dashboard's widgets hold: each is an HTML ``<figure>`` whose image is a
PNG in a data address, so a test can check how many there are and that each is a real image."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from typing import Any

_CHART = re.compile(r'<figure class="ca-figure" data-chart="([^"]+)"><img class="ca-chart" '
                    r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"')


def charts(items: Iterable[Any]) -> dict[str, bytes]:
    """The charts in ``items`` (widgets, or HTML text): each chart's key and its PNG bytes."""
    found: dict[str, bytes] = {}
    for item in items:
        text = item if isinstance(item, str) else getattr(item, "value", "")
        if isinstance(text, str):
            found.update((key, base64.b64decode(data)) for key, data in _CHART.findall(text))
    return found
