"""What the board should conclude, as the overview shows it: the sentences of
:mod:`caseaudit.findings` (the one wording, shared with the committee report) set in HTML, and the
key to the symbols a page uses.

The text is escaped here, so a label can never become markup; only the words a finding marks as
``strong`` are set in bold.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

import pandas as pd

from .. import disclosure
from ..findings import Finding, round_before
from ..findings import findings as plain_findings
from ..results import RoundResults

FINDINGS_STYLE = """
<style>
.ca-findings {border-left:4px solid #0072B2; padding:4px 0 4px 14px; margin:8px 0 16px 0;
              max-width:60em;}
.ca-findings li {margin:4px 0; line-height:1.45;}
.ca-symbols {margin:4px 0;}
.ca-symbols div {margin:2px 0;}
.ca-symbols dt, .ca-symbols dd {display:inline; float:none; width:auto; margin:0; padding:0;}
.ca-symbols dt {font-weight:700; font-family:monospace; font-size:1.1em; margin-right:0.6em;}
</style>
"""


def finding_html(finding: Finding) -> str:
    """A finding's plain text as HTML: escaped, its ``strong`` words in bold, its items a list."""
    text = html.escape(finding.text, quote=False)  # element text: only &, < and > need escaping
    if finding.strong:
        strong = html.escape(finding.strong, quote=False)
        text = text.replace(strong, f"<b>{strong}</b>", 1)
    if finding.items:
        text += "<ul>" + "".join(f"<li>{html.escape(item, quote=False)}</li>"
                                 for item in finding.items) + "</ul>"
    return text


def findings(results: RoundResults, threshold: int | None = None) -> list[tuple[str, str]]:
    """The sentences of :func:`caseaudit.findings.findings`, in order, each with its kind, as
    HTML."""
    return [(f.kind, finding_html(f)) for f in plain_findings(results, threshold)]


def render_findings(results: RoundResults, threshold: int | None = None) -> str:
    """The "what changed" section that opens the overview."""
    sentences = findings(results, threshold)
    before = round_before(results, results.change)
    before = f" since {before}" if before else ""
    return (FINDINGS_STYLE + '<section class="ca-findings" data-section="what-changed" '
            'aria-labelledby="ca-what-changed"><h3 id="ca-what-changed">What changed'
            f"{html.escape(before)}</h3><ul>"
            + "".join(f'<li data-sentence="{k}">{t}</li>' for k, t in sentences)
            + "</ul></section>")


_SYMBOL_AT = re.compile(r"<td[^>]*>\s*([cxz:])(?:\s[^<]*)?\s*</td>|"
                        r'<div class="ca-value">([cxz:])</div>|\(([cxz:])\)')


def symbols_on(pages: Iterable[str]) -> list[str]:
    """The symbols a page's HTML shows in place of a figure: in a table cell (alone or before
    its n), as a headline figure, or in brackets in a sentence."""
    return [next(g for g in found if g) for text in pages for found in _SYMBOL_AT.findall(text)]


def render_symbols(used: Iterable[pd.DataFrame | str], threshold: int | None = None) -> str:
    """The key to the symbols the page uses (only those, so a reader is told nothing they will
    not meet), or a sentence saying that every figure is shown."""
    key = disclosure.symbol_key(list(used), threshold)
    rows = "".join(f"<div><dt>{html.escape(symbol)}</dt><dd>{html.escape(meaning)}</dd></div>"
                   for symbol, meaning in key)
    body = (f'<dl class="ca-symbols">{rows}</dl>' if key else
            "<p>Every figure on this page is shown: no symbol stands in for one.</p>")
    return (FINDINGS_STYLE + '<section data-section="symbols" aria-labelledby="ca-symbols">'
            f'<h3 id="ca-symbols">Symbols used on this page</h3>{body}</section>')
