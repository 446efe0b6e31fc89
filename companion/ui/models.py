"""Qt item models over the store."""

from __future__ import annotations

from companion.store.library import ChapterInfo
from companion.ui.qt import (
    DISPLAY_ROLE,
    FONT_ROLE,
    FOREGROUND_ROLE,
    TOOLTIP_ROLE,
    USER_ROLE,
    QAbstractListModel,
    QApplication,
    QFont,
    QModelIndex,
)


class ChapterListModel(QAbstractListModel):
    """A work's chapters in reading order; ``USER_ROLE`` gives the chapter id."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._chapters: list[ChapterInfo] = []

    def set_chapters(self, chapters: list[ChapterInfo]) -> None:
        """Replace the list (e.g. when another work is opened)."""
        self.beginResetModel()
        self._chapters = list(chapters)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._chapters)

    def data(self, index: QModelIndex, role: int = DISPLAY_ROLE):
        if not index.isValid() or not 0 <= index.row() < len(self._chapters):
            return None
        chapter = self._chapters[index.row()]
        if role == DISPLAY_ROLE:
            new = "  • new" if chapter.new else ""
            return f"{chapter.number}. {chapter.title}{new}"
        if role == TOOLTIP_ROLE:
            state = "New since you last read" if chapter.new else "Read" if chapter.read else ""
            return f"{chapter.title}\n{state}".strip()
        if role == FONT_ROLE and chapter.new:
            font = QFont()
            font.setBold(True)
            return font
        if role == FOREGROUND_ROLE and chapter.read and not chapter.new:
            return QApplication.palette().placeholderText()
        if role == USER_ROLE:
            return chapter.id
        return None

    def row_of(self, chapter_id: int) -> int | None:
        """The row showing this chapter, if it is in the list."""
        return next((i for i, c in enumerate(self._chapters) if c.id == chapter_id), None)

    def chapter_at(self, row: int) -> ChapterInfo | None:
        """The chapter shown in this row."""
        return self._chapters[row] if 0 <= row < len(self._chapters) else None
