"""The chapter pane: the rendered chapter, its links, and footnote popovers."""

from __future__ import annotations

from companion.core.model import Chapter
from companion.ui.popover import Popover
from companion.ui.qt import (
    QColor,
    QEvent,
    QObject,
    QPoint,
    QRect,
    Qt,
    QTextBrowser,
    QTextCursor,
    QTextEdit,
    QTimer,
    QUrl,
    Signal,
)
from companion.ui.render import Link, chapter_html, footnote_links, stylesheet

MEASURE = 720  # widest line of text, in pixels, before the margins grow
HOVER_DELAY_MS = 450


class ReaderView(QTextBrowser):
    """Shows one chapter. Footnote markers open a popover; names emit ``entityActivated``."""

    entityActivated = Signal(str)  # href of a name link clicked, e.g. "ent:12@340"
    entityHovered = Signal(str)  # href of a name link the mouse rests on
    scrolled = Signal(float)  # fraction of the chapter scrolled, 0..1
    chapterPainted = Signal()  # the chapter set last has been drawn on screen

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
        self.popover = Popover(self.viewport())
        self._suppress_href = ""
        self._paint_pending = False
        self._hover_href = ""
        self._hover_timer = QTimer(self, singleShot=True, interval=HOVER_DELAY_MS)
        self._hover_timer.timeout.connect(self._open_hovered)
        self.anchorClicked.connect(self._on_anchor)
        self.highlighted.connect(self._on_hover)
        self.verticalScrollBar().valueChanged.connect(self._on_scroll)
        self.viewport().installEventFilter(self)
        self._apply_style()

    # -- content ------------------------------------------------------------------------

    def set_chapter(self, chapter: Chapter, links: list[Link] | None = None) -> None:
        """Render a chapter; ``links`` defaults to its footnote markers."""
        self.popover.dismiss()
        self.chapter = chapter
        self.links = links if links is not None else footnote_links(chapter)
        self.setHtml(chapter_html(chapter, self.links))
        self._apply_measure()
        self._paint_pending = True

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
        spans = []
        block = self.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                href = fragment.charFormat().anchorHref() if fragment.isValid() else ""
                if href and href.startswith(prefix):
                    spans.append((fragment.position(), fragment.length(), href))
                it += 1
            block = block.next()
        return spans

    def anchor_rect(self, href: str) -> QRect | None:
        """Where the link ``href`` is drawn, in viewport coordinates."""
        span = next((s for s in self.link_spans(href) if s[2] == href), None)
        if span is None:
            return None
        cursor = self.textCursor()
        cursor.setPosition(span[0])
        left = self.cursorRect(cursor)
        cursor.setPosition(span[0] + span[1])
        return left.united(self.cursorRect(cursor))

    def highlight_links(self, prefix: str | None) -> int:
        """Shade every link whose href starts with ``prefix`` (None clears); returns how many."""
        selections = []
        for position, length, _ in self.link_spans(prefix) if prefix else []:
            selection = QTextEdit.ExtraSelection()
            selection.cursor = self.textCursor()
            selection.cursor.setPosition(position)
            selection.cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
            selection.format.setBackground(self._highlight_colour)
            selections.append(selection)
        self.setExtraSelections(selections)
        return len(selections)

    def scroll_to_link(self, href: str) -> bool:
        """Bring a link into the middle of the view; False if the chapter has no such link."""
        span = next((s for s in self.link_spans(href) if s[2] == href), None)
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

    def _on_hover(self, url: QUrl) -> None:
        href = url.toString() if isinstance(url, QUrl) else str(url)
        self._hover_href = href
        if href and not (self.popover.isVisible() and self.popover.key == href):
            self._hover_timer.start()
        else:
            self._hover_timer.stop()

    def _open_hovered(self) -> None:
        if self._hover_href.startswith("fn:"):
            self.open_footnote(self._hover_href[3:])
        elif self._hover_href:
            self.entityHovered.emit(self._hover_href)

    def _on_scroll(self) -> None:
        if self.popover.isVisible():
            rect = self.anchor_rect(self.popover.key)
            if rect is None or not self.viewport().rect().intersects(rect):
                self.popover.dismiss()
            else:
                self.popover.place(rect)
        self.scrolled.emit(self.scroll_fraction())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        pressed = watched is self.viewport() and event.type() == QEvent.Type.MouseButtonPress
        if pressed and self.popover.isVisible():
            pos: QPoint = event.position().toPoint()
            if not self.popover.geometry().contains(pos):
                if self.anchorAt(pos) == self.popover.key:
                    self._suppress_href = self.popover.key  # the marker again: close only
                self.popover.dismiss()
        return super().eventFilter(watched, event)

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
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_style()
        super().changeEvent(event)

    def _apply_measure(self) -> None:
        """Keep lines at a readable length by growing the side margins of the page."""
        side = max(0, (self.viewport().width() - MEASURE) // 2)
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
        quiet = _blend(text, base, 0.5)
        link = palette.link().color()
        self._highlight_colour = _blend(base, palette.highlight().color(), 0.3)
        unit = _blend(text, QColor("#2f6fb3"), 0.45)
        nation = _blend(text, QColor("#9a6a1f"), 0.45)
        self.document().setDefaultStyleSheet(
            stylesheet(text.name(), quiet.name(), link.name(), unit.name(), nation.name())
        )
        if self.chapter is not None:
            scroll = self.scroll_fraction()
            self.set_chapter(self.chapter, self.links)
            self.set_scroll_fraction(scroll)


def _blend(a: QColor, b: QColor, share_of_b: float) -> QColor:
    """A colour between ``a`` and ``b``."""
    k = share_of_b
    return QColor(
        round(a.red() * (1 - k) + b.red() * k),
        round(a.green() * (1 - k) + b.green() * k),
        round(a.blue() * (1 - k) + b.blue() * k),
    )
