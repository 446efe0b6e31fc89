"""The glossary as a PDF a reader would print: a title block, Nations, the order of battle with
its symbols, Units A–Z and the other kinds, with running heads, page numbers and an outline.

Typeset with QPdfWriter + QPainter (vectors and text only, so it may run on any thread) in two
steps: every line becomes an item with a height and a "keep with next" flag, the items are
paginated (no heading alone at a page's foot, short entries kept whole), then drawn. The file
is written next to OUT under a temporary name and renamed at the end, so a failed or
cancelled export leaves nothing at OUT. The outline (bookmarks) is added with pypdf.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextCharFormat,
    QTextLayout,
    QTextOption,
)

from companion.core.oob import OobNode, natural_key, unit_type
from companion.export.content import ExportError, GlossaryContent, NoteRef
from companion.store.glossary import GlossaryEntry

PAGE_SIZES = {"A4": QPageSize.PageSizeId.A4, "Letter": QPageSize.PageSizeId.Letter}
SERIF = ["DejaVu Serif", "Noto Serif", "Liberation Serif", "FreeSerif", "serif"]
SANS = ["DejaVu Sans", "Noto Sans", "Liberation Sans", "FreeSans", "sans-serif"]
RESOLUTION = 1200  # device units per inch
INK, GREY, RULE = QColor("#1b1b1b"), QColor("#5f5f5f"), QColor("#9a9a9a")
SECTIONS = (  # (kind, title) in the order they are printed
    ("nation", "Nations"),
    ("oob", "Order of battle"),
    ("unit", "Units A–Z"),
    ("organization", "Organizations"),
    ("place", "Places"),
    ("person", "People"),
    ("term", "Terms"),
)
SEPARATOR = "\u00a0\u00a0·\u00a0 "  # the dot stays on the line of the fact before it
AFFILIATION_WORDS = {"friend": "friendly", "hostile": "hostile", "neutral": "neutral"}

Progress = Callable[[int, int], None]


class ExportCancelled(ExportError):
    """The reader cancelled the export; nothing was written."""


@dataclass(frozen=True)
class ExportResult:
    """What was written: the file, its pages, entries and sections, and the names no
    installed font could show (they print as boxes)."""

    path: Path
    pages: int
    entries: int
    sections: list[str]
    unshown: list[str]


@dataclass
class _Item:
    """One line (or row) of the document: its height, how to draw it at a top y, whether it
    stays on the page of the item after it, and the space above it (dropped at a page top)."""

    height: float
    draw: Callable[[QPainter, float], None] | None = None
    keep: bool = False
    space: float = 0.0
    section: str | None = None  # the first item of a section names it


def export_glossary_pdf(
    content: GlossaryContent,
    out: str | Path,
    page_size: str = "A4",
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ExportResult:
    """Write ``content`` as a PDF at ``out``; ExportError (one line) when it cannot, and
    ExportCancelled when ``cancelled()`` turns true. A QGuiApplication must exist."""
    if page_size not in PAGE_SIZES:
        raise ExportError(f"unknown page size {page_size!r}; use A4 or Letter")
    out = Path(out)
    if out.is_dir():
        raise ExportError(f"{out}: is a folder, not a file")
    try:
        fd, temp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
        os.close(fd)
    except OSError as exc:
        raise ExportError(f"{out}: cannot be written ({exc.strerror or exc})") from None
    try:
        typesetter = _Typesetter(content, temp, page_size, progress, cancelled)
        pages, outline = typesetter.run()
        _add_outline(temp, outline)
        typesetter.check_cancelled()
        os.replace(temp, out)
    except OSError as exc:
        raise ExportError(f"{out}: cannot be written ({exc.strerror or exc})") from None
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
    if progress is not None:
        progress(100, 100)
    return ExportResult(
        out, pages, len(content.entries), [title for title, _ in outline], typesetter.unshown
    )


def _add_outline(path: str, outline: list[tuple[str, int]]) -> None:
    """Add one bookmark per section (QPdfWriter has no outline API)."""
    if not outline:
        return
    from pypdf import PdfReader, PdfWriter

    with open(path, "rb") as f:
        reader = PdfReader(io.BytesIO(f.read()))
    writer = PdfWriter(clone_from=reader)
    for title, page in outline:
        writer.add_outline_item(title=title, page_number=page)
    writer.page_mode = "/UseOutlines"
    with open(path, "wb") as f:
        writer.write(f)


def _font(families: list[str], points: float, bold: bool = False, italic: bool = False) -> QFont:
    font = QFont()
    font.setFamilies(families)
    font.setPointSizeF(points)
    font.setBold(bold)
    font.setItalic(italic)
    font.setKerning(True)
    if hasattr(font, "setFeature"):  # Qt 6.7+: no "ﬁ" ligatures, so names copy and search
        font.setFeature(QFont.Tag("liga"), 0)
    return font


class _Typesetter:
    """Lays out the content as items, paginates them and draws the pages."""

    def __init__(
        self,
        content: GlossaryContent,
        path: str,
        page_size: str,
        progress: Progress | None,
        cancelled: Callable[[], bool] | None,
    ):
        self.content, self.progress, self.cancelled = content, progress, cancelled
        self.writer = QPdfWriter(path)
        self.writer.setResolution(RESOLUTION)
        self.writer.setPageLayout(
            QPageLayout(
                QPageSize(PAGE_SIZES[page_size]),
                QPageLayout.Orientation.Portrait,
                QMarginsF(0, 0, 0, 0),
            )
        )
        self.writer.setTitle(f"{content.story} — Glossary")
        self.writer.setCreator("Companion")
        self.pt = RESOLUTION / 72.0  # device units per point
        page = self.writer.pageLayout().fullRectPixels(RESOLUTION)
        self.page_w, self.page_h = float(page.width()), float(page.height())
        self.left, self.right = 72 * self.pt, self.page_w - 72 * self.pt
        self.top, self.bottom = 76 * self.pt, self.page_h - 68 * self.pt
        self.width = self.right - self.left
        self.f_title = _font(SERIF, 24, bold=True)
        self.f_subtitle = _font(SERIF, 13, italic=True)
        self.f_section = _font(SANS, 14, bold=True)
        self.f_name = _font(SERIF, 10.5, bold=True)
        self.f_body = _font(SERIF, 10)
        self.f_note = _font(SERIF, 9)
        self.f_meta = _font(SANS, 8)
        self.f_small = _font(SANS, 7.5)
        self.f_tree = _font(SERIF, 10)
        self.f_side = _font(SERIF, 10.5, bold=True)
        self.f_group = _font(SERIF, 9.5, italic=True)
        self.items: list[_Item] = []
        self.section_pages: dict[str, int] = {}
        self.unshown: list[str] = []
        self._progress_at = -1

    # -- the steps -------------------------------------------------------------------------

    def run(self) -> tuple[int, list[tuple[str, int]]]:
        """Typeset and draw; returns the page count and the outline (section, page index)."""
        self.check_cancelled()
        self.unshown = self._unshown_names()
        self._title_block()
        self._sections()
        pages = self._paginate()
        outline = [(title, self.section_pages[title]) for title in self._section_titles()]
        self._draw(pages)
        return len(pages), outline

    def check_cancelled(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise ExportCancelled("export cancelled")

    def _report(self, percent: int) -> None:
        self.check_cancelled()
        if self.progress is not None and percent != self._progress_at:
            self._progress_at = percent
            self.progress(percent, 100)

    # -- text ------------------------------------------------------------------------------

    def _lines(
        self,
        text: str,
        font: QFont,
        indent: float = 0.0,
        color: QColor = INK,
        leading: float = 1.3,
        formats: list[QTextLayout.FormatRange] | None = None,
        bar: bool = False,
    ) -> list[_Item]:
        """A paragraph wrapped to the text width, one item per line."""
        layout = QTextLayout(text, font, self.writer)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(option)
        if formats:
            layout.setFormats(formats)
        step = font.pointSizeF() * leading * self.pt
        layout.beginLayout()
        count = 0
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(self.width - indent)
            line.setPosition(QPointF(0, count * step))
            count += 1
        layout.endLayout()
        return [
            _Item(step, partial(self._draw_line, layout, i, indent, color, step, bar))
            for i in range(count)
        ]

    def _draw_line(
        self,
        layout: QTextLayout,
        index: int,
        indent: float,
        color: QColor,
        step: float,
        bar: bool,
        painter: QPainter,
        y: float,
    ) -> None:
        line = layout.lineAt(index)
        painter.setPen(color)
        offset = (step - line.height()) / 2
        line.draw(painter, QPointF(self.left + indent, y + offset - line.y()))
        if bar:  # a rule in the margin of the reader's notes
            painter.setPen(QPen(RULE, 0.8 * self.pt))
            x = self.left + indent - 6 * self.pt
            painter.drawLine(QPointF(x, y), QPointF(x, y + step))

    def _unshown_names(self) -> list[str]:
        """Names (and aliases) with a character no installed font has a glyph for."""
        names: list[str] = []
        for entry in self.content.entries:
            names += [entry.name, *entry.aliases]
        for root in self.content.tree:
            names += [node.label for node in root.walk()]
        missing: list[str] = []
        for name in dict.fromkeys(names):
            layout = QTextLayout(name, self.f_name, self.writer)
            layout.beginLayout()
            layout.createLine()
            layout.endLayout()
            if any(0 in run.glyphIndexes() for run in layout.glyphRuns()):
                missing.append(name)
        return missing

    # -- content ---------------------------------------------------------------------------

    def _section_titles(self) -> list[str]:
        return [title for _, title in SECTIONS if title in self.section_pages]

    def _title_block(self) -> None:
        c, pt = self.content, self.pt
        items = self._lines(c.story, self.f_title, leading=1.25)
        items += self._lines("Glossary and order of battle", self.f_subtitle)
        items[-1].space = 4 * pt
        scope = self._lines(c.scope, self.f_meta, color=GREY)
        scope[0].space = 14 * pt
        items += scope
        today = date.today()
        when = f"Exported {today.day} {today:%B %Y}"
        if c.with_notes:
            when += " · with your notes"
        items += self._lines(when, self.f_meta, color=GREY)
        spoiler = (
            f"Spoiler-safe: only what the story has told by the end of chapter {c.up_to}."
            if c.up_to is not None
            else "Covers every stored chapter, so it may hold spoilers."
        )
        items += self._lines(spoiler, self.f_meta, color=GREY)
        if self.unshown:
            text = (
                f"{len(self.unshown)} name(s) use characters no installed font has and "
                f"print as boxes: {', '.join(self.unshown)}."
            )
            warn = self._lines(text, self.f_meta, color=QColor("#8a1c1c"))
            warn[0].space = 6 * pt
            items += warn
        items.append(_Item(18 * pt, self._draw_rule))
        for item in items:
            item.keep = True
        self.items += items
        titles = [title for kind, title in SECTIONS if self._has(kind)]
        if not titles:
            empty = (
                f"The glossary is empty: no names have been found up to chapter {c.up_to}."
                if c.up_to is not None
                else "The glossary is empty: no names have been found in this work."
            )
            self.items += self._lines(empty, self.f_body)
            return
        head = self._lines("Contents", self.f_small, color=GREY)
        head[0].keep = True
        self.items += head
        for title in titles:
            self.items.append(_Item(14 * pt, partial(self._draw_contents_line, title)))
        self.items[-1].keep = False

    def _draw_rule(self, painter: QPainter, y: float) -> None:
        painter.setPen(QPen(RULE, 0.6 * self.pt))
        mid = y + 9 * self.pt
        painter.drawLine(QPointF(self.left, mid), QPointF(self.right, mid))

    def _draw_contents_line(self, title: str, painter: QPainter, y: float) -> None:
        metrics = QFontMetricsF(self.f_body, self.writer)
        base = y + 10.5 * self.pt
        number = str(self.section_pages.get(title, 0) + 1)
        painter.setFont(self.f_body)
        painter.setPen(INK)
        painter.drawText(QPointF(self.left, base), title)
        painter.drawText(QPointF(self.right - metrics.horizontalAdvance(number), base), number)
        start = self.left + metrics.horizontalAdvance(title) + 6 * self.pt
        end = self.right - metrics.horizontalAdvance(number) - 6 * self.pt
        painter.setPen(QPen(RULE, 0.8 * self.pt, Qt.PenStyle.DotLine))
        painter.drawLine(QPointF(start, base), QPointF(end, base))

    def _has(self, kind: str) -> bool:
        if kind == "oob":
            return bool(self.content.tree)
        return any(e.kind == kind for e in self.content.entries)

    def _sections(self) -> None:
        entries = self.content.entries
        total, done = max(1, len(entries)), 0
        for kind, title in SECTIONS:
            if not self._has(kind):
                continue
            heading = self._heading(title)
            if kind == "oob":
                self.items += heading + self._legend() + self._tree()
                continue
            self.items += heading
            chosen = sorted(
                (e for e in entries if e.kind == kind), key=lambda e: natural_key(e.name)
            )
            for entry in chosen:
                self.items += self._entry(entry)
                done += 1
                if done % 25 == 0:
                    self._report(int(40 * done / total))

    def _heading(self, title: str) -> list[_Item]:
        pt = self.pt
        item = _Item(30 * pt, partial(self._draw_heading, title), True, 16 * pt, title)
        return [item]

    def _draw_heading(self, title: str, painter: QPainter, y: float) -> None:
        painter.setFont(self.f_section)
        painter.setPen(INK)
        base = y + 17 * self.pt
        painter.drawText(QPointF(self.left, base), title)
        painter.setPen(QPen(INK, 0.9 * self.pt))
        rule = base + 6 * self.pt
        painter.drawLine(QPointF(self.left, rule), QPointF(self.right, rule))

    def _entry(self, e: GlossaryEntry) -> list[_Item]:
        """Name; a line of facts; the reader's description; their notes on it."""
        pt = self.pt
        items = self._lines(e.name, self.f_name, leading=1.35)
        items[0].space = 7 * pt
        items += self._lines(SEPARATOR.join(self._facts(e)), self.f_meta, color=GREY, leading=1.45)
        if e.kind == "nation" and self.content.forces.get(e.name):
            forces = ", ".join(self.content.forces[e.name])
            items += self._lines(f"Armed forces: {forces}", self.f_meta, leading=1.45)
        for paragraph in [p for p in e.description.splitlines() if p.strip()]:
            lines = self._lines(paragraph.strip(), self.f_body)
            lines[0].space = 2 * pt
            items += lines
        for note in self.content.notes.get(e.name, []):
            items += self._note(note)
        n = len(items)
        for i, item in enumerate(items):  # short entries stay whole; long ones keep 2 + 3
            item.keep = i < n - 1 and (n <= 8 or i < 2 or i >= n - 3)
        return items

    def _facts(self, e: GlossaryEntry) -> list[str]:
        facts = [(e.echelon or "unit").capitalize() if e.kind == "unit" else e.kind.capitalize()]
        if e.aliases:
            facts.append("also " + ", ".join(e.aliases))
        if e.kind == "unit":
            if e.parent:
                facts.append(f"part of {e.parent}")
            side = e.side or self.content.side_of.get(e.name)
            if side:
                word = AFFILIATION_WORDS.get(self.content.affiliation.get(side, ""), "")
                facts.append(f"side: {side}" + (f" ({word})" if word else ""))
        else:
            if e.parent:
                facts.append(f"part of {e.parent}")
            if e.side:
                facts.append(f"side: {e.side}")
        if e.first_chapter is not None:
            facts.append(f"first\u00a0in\u00a0chapter\u00a0{e.first_chapter}")
        facts.append(f"{e.mentions}\u00a0mention" + ("" if e.mentions == 1 else "s"))
        return facts

    def _note(self, note: NoteRef) -> list[_Item]:
        quote = f"“{' '.join(note.quote.split())}”"
        text = f"{quote}  {note.note.strip()}" if note.note.strip() else quote
        text += f"  (ch. {note.chapter})"
        italic = QTextCharFormat()
        italic.setFontItalic(True)
        quoted = QTextLayout.FormatRange()
        quoted.start, quoted.length, quoted.format = 0, len(quote), italic
        lines = self._lines(text, self.f_note, 14 * self.pt, formats=[quoted], bar=True)
        lines[0].space = 3 * self.pt
        return lines

    # -- the order of battle ---------------------------------------------------------------

    def _legend(self) -> list[_Item]:
        return [_Item(26 * self.pt, self._draw_legend, keep=True, space=4 * self.pt)]

    def _draw_legend(self, painter: QPainter, y: float) -> None:
        from companion.ui.symbols import paint_symbol

        pt, x = self.pt, self.left
        metrics = QFontMetricsF(self.f_small, self.writer)
        painter.setFont(self.f_small)
        base = y + 13 * pt
        for affiliation, word in (*AFFILIATION_WORDS.items(), (None, "unknown")):
            size = 14 * pt
            box = QRectF(x, base - 0.78 * size, size, size)
            paint_symbol(painter, box, affiliation, None, None)
            x += size + 3 * pt
            painter.setPen(GREY)
            painter.drawText(QPointF(x, base), word)
            x += metrics.horizontalAdvance(word) + 12 * pt
        painter.drawText(QPointF(x, base), "— sides as you marked them; echelon above, arm inside")

    def _tree(self) -> list[_Item]:
        items: list[_Item] = []
        total = max(1, sum(1 for root in self.content.tree for _ in root.walk()))

        def visit(node: OobNode, continues: list[bool]) -> None:
            row = _Item(22 * self.pt, partial(self._draw_row, node, continues))
            row.keep = bool(node.children)
            if not continues:
                row.space = 8 * self.pt
            items.append(row)
            if len(items) % 50 == 0:
                self._report(40 + int(10 * len(items) / total))
            for i, child in enumerate(node.children):
                visit(child, [*continues, i < len(node.children) - 1])

        for root in self.content.tree:
            visit(root, [])
        return items

    def _draw_row(self, node: OobNode, continues: list[bool], painter: QPainter, y: float) -> None:
        from companion.ui.symbols import paint_symbol

        pt = self.pt
        indent, size, height = 20 * pt, 18 * pt, 22 * pt
        depth = len(continues)
        mid = y + height * 0.6
        x = self.left + depth * indent
        guide = QPen(RULE, 0.6 * pt)
        painter.setPen(guide)
        for level, more in enumerate(continues, start=1):
            gx = self.left + (level - 1) * indent + size / 2
            if level < depth and more:
                painter.drawLine(QPointF(gx, y), QPointF(gx, y + height))
            elif level == depth:
                painter.drawLine(QPointF(gx, y), QPointF(gx, y + height if more else mid))
                painter.drawLine(QPointF(gx, mid), QPointF(x - 2 * pt, mid))
        text_x = x
        if node.kind in ("side", "unit"):
            frame_mid = 0.66 * size  # the frame's centre in the 100-unit box
            box = QRectF(x, mid - frame_mid, size, size)
            affiliation = self.content.affiliation.get(node.side or "")
            if node.kind == "side":
                paint_symbol(painter, box, affiliation, None, None)
            else:
                paint_symbol(painter, box, affiliation, node.echelon, unit_type(node.label))
            if node.children:
                painter.setPen(guide)
                cx = x + size / 2
                painter.drawLine(QPointF(cx, box.bottom() - 0.02 * size), QPointF(cx, y + height))
            text_x = x + size + 5 * pt
        font = {"side": self.f_side, "group": self.f_group}.get(node.kind, self.f_tree)
        metrics = QFontMetricsF(font, self.writer)
        base = mid + (metrics.ascent() - metrics.descent()) / 2
        label = metrics.elidedText(node.label, Qt.TextElideMode.ElideRight, self.right - text_x)
        painter.setFont(font)
        painter.setPen(GREY if node.kind == "group" else INK)
        painter.drawText(QPointF(text_x, base), label)
        extra = node.echelon if node.kind == "unit" else None
        if node.kind == "side":
            extra = AFFILIATION_WORDS.get(self.content.affiliation.get(node.label, ""))
        if extra:
            painter.setFont(self.f_small)
            painter.setPen(GREY)
            painter.drawText(
                QPointF(text_x + metrics.horizontalAdvance(label) + 6 * pt, base), extra
            )

    # -- pages -----------------------------------------------------------------------------

    def _paginate(self) -> list[list[tuple[_Item, float]]]:
        """Place items on pages: a chain of "keep" items moves to a new page whole when it
        fits on one; the space above an item is dropped at a page top."""
        pages: list[list[tuple[_Item, float]]] = [[]]
        items, y, body = self.items, self.top, self.bottom - self.top
        for i, item in enumerate(items):
            page = pages[-1]
            chain, j = (item.space if page else 0.0) + item.height, i
            while items[j].keep and j + 1 < len(items) and chain <= body:
                j += 1
                chain += items[j].space + items[j].height
            too_tall = y + item.space + item.height > self.bottom
            if page and ((y + chain > self.bottom and chain <= body) or too_tall):
                pages.append([])
                page, y = pages[-1], self.top
            if page:
                y += item.space
            if item.section is not None:
                self.section_pages[item.section] = len(pages) - 1
            page.append((item, y))
            y += item.height
        return pages

    def _draw(self, pages: list[list[tuple[_Item, float]]]) -> None:
        painter = QPainter()
        if not painter.begin(self.writer):
            raise ExportError("the PDF could not be started")
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        try:
            section = ""
            for index, page in enumerate(pages):
                if index:
                    self.writer.newPage()
                if page and page[0][0].section:
                    section = page[0][0].section
                if index:
                    self._furniture(painter, index, section)
                for item, y in page:
                    if item.draw is not None:
                        item.draw(painter, y)
                    if item.section:
                        section = item.section
                self._report(50 + int(45 * (index + 1) / len(pages)))
        finally:
            painter.end()

    def _furniture(self, painter: QPainter, index: int, section: str) -> None:
        """The running head (story, section) and the page number."""
        pt = self.pt
        metrics = QFontMetricsF(self.f_small, self.writer)
        painter.setFont(self.f_small)
        painter.setPen(GREY)
        head = self.top - 30 * pt
        story = metrics.elidedText(self.content.story, Qt.TextElideMode.ElideRight,
                                   self.width * 0.6)
        painter.drawText(QPointF(self.left, head), story)
        painter.drawText(QPointF(self.right - metrics.horizontalAdvance(section), head), section)
        painter.setPen(QPen(RULE, 0.5 * pt))
        painter.drawLine(QPointF(self.left, head + 5 * pt), QPointF(self.right, head + 5 * pt))
        number = str(index + 1)
        painter.setPen(GREY)
        painter.setFont(self.f_meta)
        width = QFontMetricsF(self.f_meta, self.writer).horizontalAdvance(number)
        painter.drawText(QPointF((self.left + self.right - width) / 2, self.bottom + 34 * pt),
                         number)
