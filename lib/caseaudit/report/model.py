"""The committee report as plain data: sections of paragraphs, lists, tables and charts.

One model, three writers: :mod:`.content` decides what the report says (every figure already
through :mod:`caseaudit.disclosure`), and the HTML, DOCX and PDF writers only lay that out. So a
figure cannot differ between the formats, and a writer cannot show a number the model does not
hold. Everything here is text or PNG bytes: no frame, no case id, nothing to recompute.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of running text; ``lead`` is a short bold opening (a figure, a verdict)."""

    text: str
    lead: str = ""


@dataclass(frozen=True)
class Bullets:
    """A list of short findings, each a sentence a committee member can repeat."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table with one header row; ``row_headers`` says the first column names each row (so a
    screen reader announces it with every cell). ``note`` says what the symbols in it mean."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    row_headers: bool = True
    note: str = ""


@dataclass(frozen=True)
class Chart:
    """A chart as a PNG with the text alternative that states its figures (what a reader who
    cannot see it is told), and its drawn size in inches, so no writer stretches it."""

    title: str
    png: bytes
    alt: str
    width_in: float
    height_in: float


Block = Paragraph | Bullets | Table | Chart


@dataclass(frozen=True)
class Section:
    """A heading and what follows it. ``level`` 1 is a part of the report (Heading 1 in the DOCX,
    ``<h2>`` under the page's ``<h1>`` title in HTML), 2 a part of a part."""

    title: str
    blocks: tuple[Block, ...]
    level: int = 1


@dataclass(frozen=True)
class Report:
    """The whole report: its title, the partnership and date it is for, and its sections."""

    title: str
    partnership: str
    date: str
    subtitle: str
    sections: tuple[Section, ...]
    #: round id, rounds used, as-of, framework, code version: for the methods note and metadata
    provenance: dict[str, str] = field(default_factory=dict)

    def text(self) -> str:
        """Every word of the report as plain text, in order (what a test or a search reads)."""
        parts = [self.title, self.partnership, self.date, self.subtitle]
        for section in self.sections:
            parts.append(section.title)
            for block in section.blocks:
                if isinstance(block, Paragraph):
                    parts.append(f"{block.lead} {block.text}".strip())
                elif isinstance(block, Bullets):
                    parts.extend(block.items)
                elif isinstance(block, Table):
                    parts.append(block.caption)
                    parts.extend(" | ".join(row) for row in (block.header, *block.rows))
                    parts.append(block.note)
                else:
                    parts.extend((block.title, block.alt))
        return "\n".join(p for p in parts if p)
