"""Qt item models over the store."""

from __future__ import annotations

from typing import Any

from companion.store.library import ChapterInfo
from companion.ui.qt import (
    DISPLAY_ROLE,
    FONT_ROLE,
    FOREGROUND_ROLE,
    TOOLTIP_ROLE,
    USER_ROLE,
    QAbstractItemModel,
    QAbstractListModel,
    QApplication,
    QFont,
    QModelIndex,
)

_GROUP = 0  # internal id of a group row; a child row's is its group's row + 1


class GroupedModel(QAbstractItemModel):
    """Two levels, groups over their rows, from ``self._groups``: a list of (group, rows).

    Group rows show ``group_label`` in bold; subclasses give a child row's data in
    ``row_data`` and may set ``COLUMNS``.
    """

    COLUMNS = 1

    def __init__(self, parent=None):
        super().__init__(parent)
        self._groups: list[tuple[Any, list[Any]]] = []

    def group_label(self, group: Any, rows: list[Any]) -> str:
        """The text of a group row."""
        raise NotImplementedError

    def row_data(self, row: Any, column: int, role: int):
        """The data of a child row (None for roles it does not give)."""
        raise NotImplementedError

    @staticmethod
    def is_group(index: QModelIndex) -> bool:
        """Whether an index is a group row."""
        return index.isValid() and index.internalId() == _GROUP

    def _child(self, index: QModelIndex) -> Any | None:
        """The object of a child row (None on a group row or an invalid index)."""
        if not index.isValid() or index.internalId() == _GROUP:
            return None
        return self._groups[index.internalId() - 1][1][index.row()]

    def _child_index(self, group: int, row: int) -> QModelIndex:
        """The index of row ``row`` in group ``group``."""
        return self.createIndex(row, 0, group + 1)

    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        return self.createIndex(row, column, parent.row() + 1 if parent.isValid() else _GROUP)

    def parent(self, index: QModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not index.isValid() or index.internalId() == _GROUP:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _GROUP)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._groups)
        if parent.column() != 0 or parent.internalId() != _GROUP:
            return 0
        return len(self._groups[parent.row()][1])

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return self.COLUMNS

    def data(self, index: QModelIndex, role: int = DISPLAY_ROLE):
        if not index.isValid():
            return None
        if index.internalId() != _GROUP:
            return self.row_data(self._child(index), index.column(), role)
        if role == DISPLAY_ROLE and index.column() == 0:
            return self.group_label(*self._groups[index.row()])
        if role == FONT_ROLE:
            font = QFont()
            font.setBold(True)
            return font
        return None


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
