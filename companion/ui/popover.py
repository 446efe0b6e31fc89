"""A small frameless panel anchored at a spot in the reader: footnotes (and later cards)."""

from __future__ import annotations

from companion.ui.qt import (
    QApplication,
    QColor,
    QFrame,
    QGraphicsDropShadowEffect,
    QLabel,
    QRect,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)

MAX_WIDTH = 380
STYLE = (
    "#popover {{ border: 1px solid {border}; border-radius: 6px; background: {base}; }}"
    "#popoverTitle {{ font-weight: 600; color: {title}; }}"
    "#popoverText {{ color: {text}; }}"
)
GAP = 6


class Popover(QFrame):
    """A note panel over the reader's viewport. It never takes focus or moves the text."""

    shown = Signal(str, str)  # key (e.g. "fn:2"), text shown
    closed = Signal(str)  # key

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("popover")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.key = ""
        self.title = QLabel(self)
        self.title.setObjectName("popoverTitle")
        self.text = QLabel(self)
        self.text.setObjectName("popoverText")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 10)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        shadow = QGraphicsDropShadowEffect(self)
        shadow.setBlurRadius(18)
        shadow.setOffset(0, 3)
        shadow.setColor(QColor(0, 0, 0, 70))
        self.setGraphicsEffect(shadow)
        self.hide()

    def _restyle(self) -> None:
        """Colours from the application's palette as it is now (the theme may have changed)."""
        palette = QApplication.palette()
        colours = {
            "border": palette.mid().color().name(),
            "base": palette.toolTipBase().color().name(),
            "title": palette.link().color().name(),
            "text": palette.toolTipText().color().name(),
        }
        self.setStyleSheet(STYLE.format(**colours))

    def open_at(self, key: str, anchor: QRect, title: str, text: str) -> None:
        """Show ``text`` under ``title`` next to ``anchor`` (parent coordinates)."""
        self.key = key
        self._restyle()
        self.title.setText(title)
        self.text.setText(text)
        self.place(anchor)
        self.show()
        self.raise_()
        self.shown.emit(key, text)

    def place(self, anchor: QRect) -> None:
        """Put the panel below the anchor, or above it when there is no room below."""
        area = self.parentWidget().rect()
        width = max(160, min(MAX_WIDTH, area.width() - 2 * GAP))
        self.text.setFixedWidth(width - 24)
        self.setFixedWidth(width)
        self.adjustSize()
        x = min(max(GAP, anchor.center().x() - width // 2), area.width() - width - GAP)
        y = anchor.bottom() + GAP
        if y + self.height() > area.height() and anchor.top() - GAP - self.height() >= 0:
            y = anchor.top() - GAP - self.height()
        self.move(x, max(GAP, y))

    def dismiss(self) -> None:
        """Close the panel if it is open."""
        if self.isVisible():
            self.hide()
            self.closed.emit(self.key)
