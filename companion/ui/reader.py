"""The chapter pane: the rendered chapter, its links and highlights, and popovers."""

from __future__ import annotations

from bisect import bisect_right

from companion.core.model import Chapter
from companion.store.notes import Mark
from companion.ui.popover import Popover
from companion.ui.qt import (
    QColor,
    QEvent,
    QFont,
    QFontMetricsF,
    QMenu,
    QObject,
    QPoint,
    QPointF,
    QRect,
    Qt,
    QTextBrowser,
    QTextCharFormat,
    QTextCursor,
    QTextEdit,
    QTimer,
    QUrl,
    Signal,
)
from companion.ui.render import MARK_HUES, SEGMENT, Link, chapter_html, footnote_links, stylesheet

MEASURES = {"narrow": 66, "medium": 84, "wide": 110}  # characters a line holds at most
FOUND_HUE = "#9b6ee0"  # matches of a find or search; the current one takes the selection colour
FOUND_TINT = 0.34
HOVER_DELAY_MS = 450
MARK_TINT = 0.36  # share of a highlight's hue in its background (the rest is the page's)
NOTE_PREVIEW = 1500  # characters of a note a popover shows


class ReaderView(QTextBrowser):
    """Shows one chapter and its highlights. Footnote markers and highlights with notes open a
    popover; names emit ``entityActivated``.

    Body offsets (``chapter.body``) and document positions convert both ways with
    `doc_position` and `body_offset`: every run of rendered body text starts with an empty
    anchor naming its span in the body.
    """

    entityActivated = Signal(str)  # href of a name link clicked, e.g. "ent:12@340"
    entityHovered = Signal(str)  # href of a name link the mouse rests on
    scrolled = Signal(float)  # fraction of the chapter scrolled, 0..1
    chapterPainted = Signal()  # the chapter set last has been drawn on screen
    # a context menu being built, the Mark under it, and the link there ("" if none)
    menuRequested = Signal(object, object, str)
    foundChanged = Signal(int, int)  # the current match (-1 for none) and how many are shaded

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("reader")
        self.setAccessibleName("Chapter text")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.document().setDocumentMargin(24)
        self.chapter: Chapter | None = None
        self.links: list[Link] = []
        self.marks: list[Mark] = []  # the chapter's highlights shown
        self.found: list[tuple[int, int]] = []  # body spans of a find's or search's matches
        self.found_current = -1  # the match selected, or -1
        self._found_doc: list[tuple[int, int]] | None = None
        self._font = QFont(self.font())
        self._measure = MEASURES["medium"]
        self._line_height = 1.5
        self.popover = Popover(self.viewport())
        self._suppress_href = ""
        self._press_key = ""
        self._shade_prefix: str | None = None
        self._segments: list[tuple[int, int, int, int]] | None = None
        self._doc_starts: list[int] = []
        self._body_starts: list[int] = []
        self._mark_spans: list[tuple[int, int, Mark]] | None = None
        self._paint_pending = False
        self._hover_href = ""
        self._hover_timer = QTimer(self, singleShot=True, interval=HOVER_DELAY_MS)
        self._hover_timer.timeout.connect(self._open_hovered)
        self.anchorClicked.connect(self._on_anchor)
        self.verticalScrollBar().valueChanged.connect(self._on_scroll)
        self.viewport().installEventFilter(self)
        self._apply_style()

    # -- content ------------------------------------------------------------------------

    def set_chapter(self, chapter: Chapter, links: list[Link] | None = None) -> None:
        """Render a chapter; ``links`` defaults to its footnote markers. Rendering the same
        chapter again keeps its highlights."""
        self.popover.dismiss()
        other = chapter is not self.chapter
        if other:
            self.marks = []
            self.found, self.found_current = [], -1
        self.chapter = chapter
        self.links = links if links is not None else footnote_links(chapter)
        self.setHtml(chapter_html(chapter, self.links))
        self._segments = self._mark_spans = self._found_doc = None
        self._apply_measure()
        if self.marks or self._shade_prefix or self.found or self.extraSelections():
            self._update_selections()
        self._paint_pending = True
        if other:
            self.foundChanged.emit(-1, 0)

    def set_marks(self, marks: list[Mark]) -> None:
        """Show the chapter's highlights (bookmarks and detached marks are left out)."""
        self.marks = [m for m in marks if m.kind == "highlight" and not m.detached]
        self._mark_spans = None
        if self.popover.key.startswith("mark:"):  # its note may have changed or gone
            self.popover.dismiss()
        self._update_selections()

    def set_found(self, spans: list[tuple[int, int]], current: int = -1) -> None:
        """Shade the matches (body spans) of a find or a search; the ``current`` one is
        selected and scrolled to."""
        self.found = list(spans)
        self._found_doc = None
        self._show_found(current)

    def step_found(self, step: int) -> bool:
        """Select the next (+1) or previous (-1) match, round the ends; False if none."""
        if not self.found:
            return False
        if self.found_current < 0:
            self._show_found(0 if step > 0 else len(self.found) - 1)
        else:
            self._show_found((self.found_current + step) % len(self.found))
        return True

    def _show_found(self, current: int) -> None:
        self.found_current = current if 0 <= current < len(self.found) else -1
        self._update_selections()
        if self.found_current >= 0:
            self.reveal(*self.found[self.found_current])
        self.foundChanged.emit(self.found_current, len(self.found))

    # -- body offsets and document positions ---------------------------------------------

    def doc_position(self, offset: int) -> int:
        """The document position of body offset ``offset``; an offset between rendered runs
        (or inside a footnote marker) goes to the end of the run before it."""
        segments = self._segment_map()
        if not segments:
            return 0
        i = max(0, bisect_right(self._body_starts, offset) - 1)
        doc, doc_length, start, length = segments[i]
        k = offset - start
        return doc + (doc_length if k >= length else max(0, min(k, doc_length)))

    def body_offset(self, position: int) -> int:
        """The body offset of document position ``position`` (text that is not the body's,
        like the title, goes to the nearest run)."""
        segments = self._segment_map()
        if not segments:
            return 0
        i = max(0, bisect_right(self._doc_starts, position) - 1)
        doc, doc_length, start, length = segments[i]
        k = position - doc
        return start + (length if k >= doc_length else max(0, min(k, length)))

    def _segment_map(self) -> list[tuple[int, int, int, int]]:
        """(doc start, doc length, body start, body length) of every rendered run, in order."""
        if self._segments is None:
            starts = []
            block = self.document().begin()
            while block.isValid():
                block_end = block.position() + block.length() - 1
                it = block.begin()
                while not it.atEnd():
                    fragment = it.fragment()
                    for name in fragment.charFormat().anchorNames():
                        found = SEGMENT.fullmatch(name)
                        if found:
                            start, end = int(found[1]), int(found[2])
                            starts.append((fragment.position(), block_end, start, end - start))
                    it += 1
                block = block.next()
            self._segments = [
                (doc, min(starts[i + 1][0] if i + 1 < len(starts) else end, end) - doc, *body)
                for i, (doc, end, *body) in enumerate(starts)
            ]
            self._doc_starts = [s[0] for s in self._segments]
            self._body_starts = [s[2] for s in self._segments]
        return self._segments

    def selected_span(self) -> tuple[int, int] | None:
        """The body span of the selected text, without spaces at its ends; None if none."""
        cursor = self.textCursor()
        if self.chapter is None or not cursor.hasSelection():
            return None
        start = self.body_offset(cursor.selectionStart())
        end = self.body_offset(cursor.selectionEnd())
        body = self.chapter.body
        while start < end and body[start].isspace():
            start += 1
        while end > start and body[end - 1].isspace():
            end -= 1
        return (start, end) if start < end else None

    def top_offset(self) -> int:
        """The body offset of the first words at the top of the view."""
        cursor = self.cursorForPosition(QPoint(self.viewport().width() // 2, 8))
        return self.body_offset(cursor.position())

    def reveal(self, start: int, end: int | None = None) -> None:
        """Scroll to body offset ``start``: to the top of the view, or, with an ``end``, a
        third of the way down with ``start..end`` selected."""
        cursor = self.textCursor()
        cursor.setPosition(self.doc_position(start))
        if end is not None:
            cursor.setPosition(self.doc_position(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        cursor.setPosition(self.doc_position(start))
        top = self.cursorRect(cursor).top() + self.verticalScrollBar().value()
        share = self.viewport().height() // 3 if end is not None else 12
        self.verticalScrollBar().setValue(top - share)

    # -- highlights -----------------------------------------------------------------------

    def mark_at(self, pos: QPoint) -> Mark | None:
        """The highlight under a point of the viewport, if any."""
        point = QPointF(
            pos.x() + self.horizontalScrollBar().value(), pos.y() + self.verticalScrollBar().value()
        )
        hit = self.document().documentLayout().hitTest(point, Qt.HitTestAccuracy.ExactHit)
        if hit < 0:
            return None
        spans = self._spans()
        inside = (m for start, end, m in spans if start <= hit < end)
        return next(inside, None) or next((m for s, e, m in spans if s < hit == e), None)

    def open_mark(self, mark_id: int) -> bool:
        """Open the popover with a highlight's note; False if the chapter does not show it."""
        mark = next((m for m in self.marks if m.id == mark_id), None)
        rect = self.anchor_rect(f"mark:{mark_id}")
        if mark is None or rect is None:
            return False
        note = mark.note.strip()
        if note:
            text = note[:NOTE_PREVIEW] + ("…" if len(note) > NOTE_PREVIEW else "")
        else:
            text = "No note yet. Right-click the highlight to write one."
        self.popover.open_at(f"mark:{mark_id}", rect, "Note" if note else "Highlight", text)
        return True

    def _spans(self) -> list[tuple[int, int, Mark]]:
        """(doc start, doc end, mark) of every highlight shown."""
        if self._mark_spans is None:
            self._mark_spans = [
                (self.doc_position(m.start), self.doc_position(m.end), m) for m in self.marks
            ]
        return self._mark_spans

    def _mark_key(self, pos: QPoint, with_note: bool = False) -> str:
        mark = self.mark_at(pos)
        return f"mark:{mark.id}" if mark and (mark.note.strip() or not with_note) else ""

    def _update_selections(self) -> int:
        """Draw highlights and the shaded links; returns how many links are shaded."""
        selections = []
        for start, end, mark in self._spans():
            fmt = QTextCharFormat()
            fmt.setBackground(self._mark_colours.get(mark.color or "", self._highlight_colour))
            if mark.note.strip():  # a dotted underline says "there is a note"
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
                fmt.setUnderlineColor(QColor(MARK_HUES.get(mark.color or "", "#888888")))
            selections.append(self._selection(start, end, fmt))
        prefix = self._shade_prefix
        shaded = self.link_spans(prefix) if prefix else []
        for position, length, _ in shaded:
            fmt = QTextCharFormat()
            fmt.setBackground(self._highlight_colour)
            selections.append(self._selection(position, position + length, fmt))
        if self._found_doc is None:
            self._found_doc = [(self.doc_position(s), self.doc_position(e)) for s, e in self.found]
        palette = self.palette()
        for i, (start, end) in enumerate(self._found_doc):
            fmt = QTextCharFormat()
            if i == self.found_current:
                fmt.setBackground(palette.highlight())
                fmt.setForeground(palette.highlightedText())
            else:
                fmt.setBackground(self._found_colour)
            selections.append(self._selection(start, end, fmt))
        self.setExtraSelections(selections)
        return len(shaded)

    def _selection(self, start: int, end: int, fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        selection.cursor = self.textCursor()
        selection.cursor.setPosition(start)
        selection.cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        selection.format = fmt
        return selection

    def scroll_fraction(self) -> float:
        """How far down the chapter the view is, 0..1."""
        bar = self.verticalScrollBar()
        return bar.value() / bar.maximum() if bar.maximum() > 0 else 0.0

    def set_scroll_fraction(self, fraction: float) -> None:
        """Scroll to a fraction of the chapter (after laying out the whole document)."""
        self.document().documentLayout().documentSize()
        bar = self.verticalScrollBar()
        bar.setValue(round(fraction * bar.maximum()))

    def link_spans(self, prefix: str) -> list[tuple[int, int, str]]:
        """(position, length, href) in the document of every link whose href starts so."""
        spans: list[tuple[int, int, str]] = []
        block = self.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                href = fragment.charFormat().anchorHref() if fragment.isValid() else ""
                if href and href.startswith(prefix):
                    position, length = fragment.position(), fragment.length()
                    if spans and spans[-1][2] == href and sum(spans[-1][:2]) == position:
                        position, length = spans[-1][0], spans.pop()[1] + length  # one link
                    spans.append((position, length, href))
                it += 1
            block = block.next()
        return spans

    def anchor_rect(self, key: str) -> QRect | None:
        """Where the link ``key`` (an href) or highlight ``mark:ID`` is drawn, in viewport
        coordinates."""
        span = self._span_of(key)
        if span is None:
            return None
        cursor = self.textCursor()
        cursor.setPosition(span[0])
        left = self.cursorRect(cursor)
        cursor.setPosition(span[0] + span[1])
        return left.united(self.cursorRect(cursor))

    def _span_of(self, key: str) -> tuple[int, int] | None:
        if key.startswith("mark:"):
            return next(((s, e - s) for s, e, m in self._spans() if f"mark:{m.id}" == key), None)
        return next(((p, n) for p, n, href in self.link_spans(key) if href == key), None)

    def highlight_links(self, prefix: str | None) -> int:
        """Shade every link whose href starts with ``prefix`` (None clears); returns how many."""
        self._shade_prefix = prefix
        return self._update_selections()

    def scroll_to_link(self, href: str) -> bool:
        """Bring a link into the middle of the view; False if the chapter has no such link."""
        span = self._span_of(href)
        if span is None:
            return False
        cursor = self.textCursor()
        cursor.setPosition(span[0])
        top = self.cursorRect(cursor).top() + self.verticalScrollBar().value()
        self.verticalScrollBar().setValue(top - self.viewport().height() // 3)
        return True

    def open_card(self, href: str, title: str, text: str) -> bool:
        """Open the popover at link ``href`` with a title and text."""
        rect = self.anchor_rect(href)
        if rect is None:
            return False
        self.popover.open_at(href, rect, title, text)
        return True

    # -- footnotes ----------------------------------------------------------------------

    def open_footnote(self, label: str) -> bool:
        """Open the popover for footnote ``label`` at its marker; False if there is none."""
        if self.chapter is None:
            return False
        text = self.chapter.footnotes.get(label, "This marker has no note in the chapter.")
        return self.open_card(f"fn:{label}", f"Note {label}", text)

    def _on_anchor(self, url: QUrl) -> None:
        href = url.toString()
        if href == self._suppress_href:
            self._suppress_href = ""
            return
        if href.startswith("fn:"):
            self.open_footnote(href[3:])
        else:
            self.entityActivated.emit(href)

    def _on_hover(self, key: str) -> None:
        """The pointer rests on a link's href, a highlight ``mark:ID`` with a note, or ""."""
        if key == self._hover_href:
            return
        self._hover_href = key
        if key and not (self.popover.isVisible() and self.popover.key == key):
            self._hover_timer.start()
        else:
            self._hover_timer.stop()

    def _open_hovered(self) -> None:
        key = self._hover_href
        if key.startswith("fn:"):
            self.open_footnote(key[3:])
        elif key.startswith("mark:"):
            self.open_mark(int(key[5:]))
        elif key:
            self.entityHovered.emit(key)

    def _on_scroll(self) -> None:
        if self.popover.isVisible():
            rect = self.anchor_rect(self.popover.key)
            if rect is None or not self.viewport().rect().intersects(rect):
                self.popover.dismiss()
            else:
                self.popover.place(rect)
        self.scrolled.emit(self.scroll_fraction())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type() if watched is self.viewport() else None
        if kind == QEvent.Type.MouseMove:
            pos = event.position().toPoint()
            self._on_hover(self.anchorAt(pos) or self._mark_key(pos, with_note=True))
        elif kind == QEvent.Type.MouseButtonPress:
            pos = event.position().toPoint()
            self._press_key = self.popover.key if self.popover.isVisible() else ""
            if self.popover.isVisible() and not self.popover.geometry().contains(pos):
                if self.anchorAt(pos) == self.popover.key:
                    self._suppress_href = self.popover.key  # the marker again: close only
                self.popover.dismiss()
        elif kind == QEvent.Type.MouseButtonRelease and event.button() == Qt.MouseButton.LeftButton:
            pos = event.position().toPoint()
            plain = not (self.textCursor().hasSelection() or self.anchorAt(pos))
            key = self._mark_key(pos) if plain else ""
            if key and key != self._press_key:  # a click on a highlight shows its note
                self.open_mark(int(key[5:]))
        return super().eventFilter(watched, event)

    def contextMenuEvent(self, event) -> None:
        menu = self.context_menu(event.pos())
        menu.exec(event.globalPos())
        menu.deleteLater()

    def context_menu(self, pos: QPoint) -> QMenu:
        """The menu for a right-click at ``pos`` (viewport coordinates): the window's entries
        (added on `menuRequested`, with the highlight and link there if any), then Copy and
        Select All."""
        scroll = QPoint(self.horizontalScrollBar().value(), self.verticalScrollBar().value())
        menu = self.createStandardContextMenu(pos + scroll)
        for action in menu.actions():
            if action.objectName() == "link-copy":  # "ent:12@345" means nothing to a reader
                menu.removeAction(action)
        self.menuRequested.emit(menu, self.mark_at(pos), self.anchorAt(pos))
        return menu

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if self._paint_pending:
            self._paint_pending = False
            self.chapterPainted.emit()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape and self.popover.isVisible():
            self.popover.dismiss()
            event.accept()
            return
        super().keyPressEvent(event)

    # -- look ---------------------------------------------------------------------------

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._apply_measure()
        if self.popover.isVisible():
            self._on_scroll()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_style()
        elif event.type() == QEvent.Type.FontChange:
            self.document().setDefaultFont(self._font)  # QTextEdit reset it to the widget's

    def set_look(self, font: QFont, measure: str, line_height: float) -> None:
        """Set the chapter text's font, measure ("narrow", "medium" or "wide") and line
        spacing (1.5 is half a line between lines); the chapter is set again in place."""
        self._font = QFont(font)
        self.document().setDefaultFont(self._font)
        self._measure = MEASURES.get(measure, MEASURES["medium"])
        self._line_height = line_height
        self._apply_style()

    def _apply_measure(self) -> None:
        """Keep lines at a readable length by growing the side margins of the page."""
        measure = round(self._measure * QFontMetricsF(self._font).averageCharWidth())
        side = max(0, (self.viewport().width() - measure) // 2)
        root = self.document().rootFrame()
        fmt = root.frameFormat()
        if fmt.leftMargin() != side:
            fmt.setLeftMargin(side)
            fmt.setRightMargin(side)
            root.setFrameFormat(fmt)

    def _apply_style(self) -> None:
        palette = self.palette()
        text = palette.text().color()
        base = palette.base().color()
        quiet = _blend(text, base, 0.34)
        link = palette.link().color()
        self._highlight_colour = _blend(base, palette.highlight().color(), 0.3)
        self._found_colour = _blend(base, QColor(FOUND_HUE), FOUND_TINT)
        self._mark_colours = {
            name: _blend(base, QColor(hue), MARK_TINT) for name, hue in MARK_HUES.items()
        }
        unit = _blend(text, QColor("#2f6fb3"), 0.45)
        nation = _blend(text, QColor("#9a6a1f"), 0.45)
        self.document().setDefaultStyleSheet(
            stylesheet(
                text.name(), quiet.name(), link.name(), unit.name(), nation.name(),
                self._line_height,
            )
        )
        if self.chapter is not None:
            scroll = self.scroll_fraction()
            self.set_chapter(self.chapter, self.links)
            self.set_scroll_fraction(scroll)
        else:
            self._apply_measure()


def _blend(a: QColor, b: QColor, share_of_b: float) -> QColor:
    """A colour between ``a`` and ``b``."""
    k = share_of_b
    return QColor(
        round(a.red() * (1 - k) + b.red() * k),
        round(a.green() * (1 - k) + b.green() * k),
        round(a.blue() * (1 - k) + b.blue() * k),
    )
