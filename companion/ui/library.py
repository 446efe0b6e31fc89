"""The library pane: every work with its cover, author, chapters and how far the reader is."""

from __future__ import annotations

from companion.store.library import Store
from companion.ui.qt import (
    DECORATION_ROLE,
    DISPLAY_ROLE,
    TOOLTIP_ROLE,
    USER_ROLE,
    QAbstractListModel,
    QColor,
    QIcon,
    QListView,
    QModelIndex,
    QPainter,
    QPixmap,
    QSize,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)

COVER = QSize(36, 52)


class LibraryModel(QAbstractListModel):
    """Works in the library; ``USER_ROLE`` gives the work's id."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._works: list[dict] = []
        self._covers: dict[int, QIcon] = {}

    def set_store(self, store: Store) -> None:
        """Reload the works from the store."""
        self.beginResetModel()
        self._works = store.library_overview()
        self._covers = {w["id"]: _cover_icon(w["title"], store.cover(w["id"])) for w in self._works}
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._works)

    def data(self, index: QModelIndex, role: int = DISPLAY_ROLE):
        if not index.isValid() or not 0 <= index.row() < len(self._works):
            return None
        work = self._works[index.row()]
        if role == DISPLAY_ROLE:
            author = f" · {work['author']}" if work["author"] else ""
            new = f" · {work['new']} new" if work["new"] else ""
            progress = f"{work['read']}/{work['chapters']} chapters read"
            return f"{work['title']}\n{progress}{author}{new}"
        if role == DECORATION_ROLE:
            return self._covers.get(work["id"])
        if role == TOOLTIP_ROLE:
            return work["source"] or work["title"]
        if role == USER_ROLE:
            return work["id"]
        return None

    def row_of(self, work_id: int) -> int | None:
        """The row showing this work."""
        return next((i for i, w in enumerate(self._works) if w["id"] == work_id), None)


class LibraryPane(QWidget):
    """The works in the library; activating one opens it where the reader left it."""

    workChosen = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.model = LibraryModel(self)
        self.view = QListView()
        self.view.setObjectName("libraryList")
        self.view.setAccessibleName("Works in the library")
        self.view.setModel(self.model)
        self.view.setIconSize(COVER)
        self.view.setSpacing(2)
        self.view.setWordWrap(True)
        self.view.activated.connect(self._chosen)
        self.view.clicked.connect(self._chosen)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

    def set_store(self, store: Store, current: int | None = None) -> None:
        """Show the store's works, the open one selected."""
        self.model.set_store(store)
        row = self.model.row_of(current) if current is not None else None
        if row is not None:
            self.view.setCurrentIndex(self.model.index(row))

    def _chosen(self, index: QModelIndex) -> None:
        work_id = index.data(USER_ROLE)
        if work_id is not None:
            self.workChosen.emit(work_id)


def _cover_icon(title: str, cover: bytes | None) -> QIcon:
    """The work's cover, or a plain card with its initials when it has none."""
    pixmap = QPixmap()
    if cover and pixmap.loadFromData(cover):
        return QIcon(
            pixmap.scaled(
                COVER,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
    pixmap = QPixmap(COVER)
    pixmap.fill(QColor("#3b5b7a"))
    painter = QPainter(pixmap)
    painter.setPen(QColor("#f2f2f2"))
    font = painter.font()
    font.setBold(True)
    font.setPixelSize(14)
    painter.setFont(font)
    initials = "".join(word[0] for word in title.split()[:2] if word[:1].isalnum()).upper()
    painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, initials or "?")
    painter.end()
    return QIcon(pixmap)
