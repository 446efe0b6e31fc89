"""The notes pane (a work's highlights, notes, bookmarks and name notes by chapter, searchable)
and the undoable changes to marks."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from companion.store.library import ChapterInfo, Store
from companion.store.notes import (
    Mark,
    delete_mark,
    marks,
    name_notes,
    restore_mark,
    search_marks,
    update_mark,
)
from companion.ui.delegates import draw_item_without_text, item_colours
from companion.ui.models import GroupedModel
from companion.ui.qt import (
    DECORATION_ROLE,
    DISPLAY_ROLE,
    TOOLTIP_ROLE,
    USER_ROLE,
    QApplication,
    QColor,
    QIcon,
    QLabel,
    QLineEdit,
    QModelIndex,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QPoint,
    QSize,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
    QTreeView,
    QUndoCommand,
    QVBoxLayout,
    QWidget,
    Signal,
)
from companion.ui.render import MARK_HUES

QUOTE_CHARS = 140  # of a quote shown in a row (the view elides the rest)
NOTE_CHARS = 160  # of a note shown under it
TOOLTIP_CHARS = 600

# -- undoable changes -------------------------------------------------------------------------


class AddMark(QUndoCommand):
    """A mark just made: undo deletes it, redo puts it back as it was."""

    def __init__(self, store: Store, mark: Mark, changed: Callable[[], None]):
        super().__init__("Add Bookmark" if mark.kind == "bookmark" else "Highlight")
        self.store, self.mark, self.changed = store, mark, changed
        self._first = True  # pushing it runs redo; the mark is made already

    def redo(self) -> None:
        if not self._first:
            restore_mark(self.store, self.mark)
        self._first = False
        self.changed()

    def undo(self) -> None:
        delete_mark(self.store, self.mark.id)
        self.changed()


class EditMark(QUndoCommand):
    """A new note, colour or label for a mark (None keeps that one)."""

    def __init__(
        self,
        store: Store,
        mark: Mark,
        changed: Callable[[], None],
        *,
        note: str | None = None,
        color: str | None = None,
        label: str | None = None,
    ):
        text = "Edit Note" if note is not None else "Change Colour" if color else "Rename Bookmark"
        super().__init__(text)
        self.store, self.mark_id, self.changed = store, mark.id, changed
        self.before = {"note": mark.note, "color": mark.color, "label": mark.label}
        self.after = {"note": note, "color": color, "label": label}

    def redo(self) -> None:
        update_mark(self.store, self.mark_id, **self.after)
        self.changed()

    def undo(self) -> None:
        update_mark(self.store, self.mark_id, **self.before)
        self.changed()


class DeleteMark(QUndoCommand):
    """A mark deleted: undo puts it back with the same id."""

    def __init__(self, store: Store, mark: Mark, changed: Callable[[], None]):
        super().__init__("Delete Bookmark" if mark.kind == "bookmark" else "Delete Highlight")
        self.store, self.mark, self.changed = store, mark, changed

    def redo(self) -> None:
        delete_mark(self.store, self.mark.id)
        self.changed()

    def undo(self) -> None:
        restore_mark(self.store, self.mark)
        self.changed()


# -- the model ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoteItem:
    """One row of the notes pane: a mark, or the reader's note on a name."""

    mark: Mark | None = None
    name: str = ""
    text: str = ""


def group_notes(
    chapters: list[ChapterInfo], work_marks: list[Mark], names: list[tuple[str, str]]
) -> list[tuple[str, list[NoteItem]]]:
    """Rows by group: each chapter with marks, then "Detached", then "Names"."""
    titles = {c.number: f"{c.number}. {c.title}" for c in chapters}
    groups: dict[str, list[NoteItem]] = {}
    detached = []
    for mark in work_marks:
        if mark.detached:
            detached.append(NoteItem(mark))
        else:
            title = titles.get(mark.chapter, f"Chapter {mark.chapter}")
            groups.setdefault(title, []).append(NoteItem(mark))
    out = list(groups.items())
    if detached:
        out.append(("Detached (their words are no longer in the chapter)", detached))
    if names:
        out.append(("Names", [NoteItem(name=n, text=t) for n, t in names]))
    return out


def _line(text: str, limit: int) -> str:
    """The text on one line, cut after ``limit`` characters."""
    text = " ".join(text[: limit * 2].split())
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


class NotesModel(GroupedModel):
    """Notes in groups. ``USER_ROLE`` is a mark's id (None on a group or name row)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._groups: list[tuple[str, list[NoteItem]]] = []

    def set_groups(self, groups: list[tuple[str, list[NoteItem]]]) -> None:
        """Show these groups of rows."""
        self.beginResetModel()
        self._groups = groups
        self.endResetModel()

    def item(self, index: QModelIndex) -> NoteItem | None:
        """The note of an item row (None on a group row)."""
        return self._child(index)

    def index_of_mark(self, mark_id: int) -> QModelIndex:
        """The row of a mark, if shown."""
        for g, (_, items) in enumerate(self._groups):
            for r, item in enumerate(items):
                if item.mark is not None and item.mark.id == mark_id:
                    return self._child_index(g, r)
        return QModelIndex()

    def group_label(self, group: str, rows: list[NoteItem]) -> str:
        return group

    def row_data(self, row: NoteItem, column: int, role: int):
        mark = row.mark
        if role == DISPLAY_ROLE:
            return _row_text(row)
        if role == DECORATION_ROLE:
            return _icon(mark.kind if mark else "name", mark.color if mark else None)
        if role == TOOLTIP_ROLE:
            return _tooltip(row)
        if role == USER_ROLE:
            return mark.id if mark else None
        return None


def _row_text(item: NoteItem) -> str:
    mark = item.mark
    if mark is None:
        first, second = item.name, item.text
    elif mark.kind == "bookmark":
        first, second = mark.label or "Bookmark", ""
    else:
        first, second = f"“{_line(mark.quote, QUOTE_CHARS)}”", mark.note
    if mark is not None and mark.detached:
        first = f"Chapter {mark.chapter}: {first}"
    second = _line(second, NOTE_CHARS)
    return f"{first}\n{second}" if second else first


def _tooltip(item: NoteItem) -> str:
    """Rich text showing the note exactly as written (markup in it is escaped)."""
    mark = item.mark
    parts = [item.name, item.text] if mark is None else [mark.label or mark.quote, mark.note]
    parts = [p.strip() for p in parts if p and p.strip()]
    text = "\n\n".join(parts)
    text = text if len(text) <= TOOLTIP_CHARS else text[:TOOLTIP_CHARS] + "…"
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>"


_icons: dict[tuple, QIcon] = {}


def _icon(kind: str, color: str | None) -> QIcon:
    """A colour dot for a highlight, a ribbon for a bookmark, a pen nib square for a name."""
    key = (kind, color)
    if key not in _icons:
        ratio = QApplication.instance().devicePixelRatio() if QApplication.instance() else 1.0
        pixmap = QPixmap(round(16 * ratio), round(16 * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if kind == "bookmark":
            path = QPainterPath()
            path.moveTo(4, 2)
            path.lineTo(12, 2)
            path.lineTo(12, 14)
            path.lineTo(8, 10.5)
            path.lineTo(4, 14)
            path.closeSubpath()
            painter.fillPath(path, QColor("#d04a3c"))
        elif kind == "name":
            painter.setPen(QPen(QColor("#8a8a8a"), 1.4))
            painter.drawRoundedRect(3, 3, 10, 10, 2, 2)
            painter.drawLine(6, 7, 10, 7)
            painter.drawLine(6, 10, 10, 10)
        else:
            hue = QColor(MARK_HUES.get(color or "", "#888888"))
            painter.setPen(QPen(hue.darker(130), 1))
            painter.setBrush(hue)
            painter.drawEllipse(3, 3, 10, 10)
        painter.end()
        _icons[key] = QIcon(pixmap)
    return _icons[key]


def colour_icon(color: str) -> QIcon:
    """The dot of a highlight colour (for menus)."""
    return _icon("highlight", color)


class _NoteDelegate(QStyledItemDelegate):
    """Draws a row's second line (the note) in a quieter colour than its first."""

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        first, _, second = opt.text.partition("\n")
        if not second:
            super().paint(painter, option, index)
            return
        style = draw_item_without_text(painter, opt)
        text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, opt.widget)
        colour, quiet = item_colours(opt)
        line = opt.fontMetrics.height()
        painter.save()
        for i, (text, pen) in enumerate(((first, colour), (second, quiet))):
            rect = text_rect.adjusted(2, i * line, -2, 0)
            rect.setHeight(line)
            painter.setPen(pen)
            elided = opt.fontMetrics.elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
            painter.drawText(
                rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), elided
            )
        painter.restore()


# -- the pane -------------------------------------------------------------------------------


class NotesPane(QWidget):
    """The notes dock: a search box and the work's notes by chapter; a row jumps to its place."""

    markActivated = Signal(int)  # mark id of a row chosen
    nameActivated = Signal(str)  # name of a name-note row chosen
    markMenuRequested = Signal(int, QPoint)  # mark id, global position of a right-click

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("notesPane")
        self.store: Store | None = None
        self.work_id: int | None = None
        self.search = QLineEdit()
        self.search.setObjectName("notesSearch")
        self.search.setPlaceholderText("Search notes and highlights")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search notes")
        self.search.textChanged.connect(lambda _text: self.refresh())
        self.model = NotesModel(self)
        self.tree = QTreeView()
        self.tree.setObjectName("notesTree")
        self.tree.setAccessibleName("Notes")
        self.tree.setModel(self.model)
        self.tree.setItemDelegate(_NoteDelegate(self.tree))
        self.tree.setHeaderHidden(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.setAlternatingRowColors(False)
        self.tree.setIndentation(12)
        self.tree.setUniformRowHeights(False)
        self.tree.activated.connect(self._activate)
        self.tree.clicked.connect(self._activate)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._menu)
        self.empty = QLabel(
            "No notes yet.\n\nSelect words in the chapter and press Ctrl+H to highlight them, "
            "Ctrl+Shift+H to add a note, or Ctrl+D to bookmark your place."
        )
        self.empty.setObjectName("notesEmpty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self.empty.setContentsMargins(12, 18, 12, 12)
        self.empty.setStyleSheet("color: palette(placeholder-text);")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.search)
        layout.addWidget(self.tree)
        layout.addWidget(self.empty)
        self.empty.hide()

    def sizeHint(self) -> QSize:
        return QSize(260, 360)  # as narrow as the glossary it shares the dock area with

    def set_work(self, store: Store | None, work_id: int | None) -> None:
        """Show this work's notes."""
        self.store, self.work_id = store, work_id
        self.refresh()

    def refresh(self) -> None:
        """Reload the notes from the store, filtered by the search box."""
        if self.store is None or self.work_id is None:
            self.model.set_groups([])
            return
        query = self.search.text()
        work_marks = marks(self.store, self.work_id)
        names = name_notes(self.store, self.work_id)
        ids = search_marks(self.store, self.work_id, query)
        if ids is not None:
            work_marks = [m for m in work_marks if m.id in ids]
            words = re.findall(r"\w+", query.casefold())
            names = [(n, t) for n, t in names if _matches(words, f"{n} {t}")]
        groups = group_notes(self.store.chapters(self.work_id), work_marks, names)
        self.model.set_groups(groups)
        self.tree.expandAll()
        self.empty.setVisible(not groups and not query.strip())
        self.tree.setVisible(bool(groups) or bool(query.strip()))

    def _activate(self, index: QModelIndex) -> None:
        item = self.model.item(index)
        if item is not None and item.mark is not None:
            self.markActivated.emit(item.mark.id)
        elif item is not None:
            self.nameActivated.emit(item.name)

    def _menu(self, pos: QPoint) -> None:
        item = self.model.item(self.tree.indexAt(pos))
        if item is not None and item.mark is not None:
            self.markMenuRequested.emit(item.mark.id, self.tree.viewport().mapToGlobal(pos))


def _matches(words: list[str], text: str) -> bool:
    """Whether every word starts a word of ``text`` (as the FTS5 search of marks does)."""
    found = set(re.findall(r"\w+", text.casefold()))
    return all(any(f.startswith(w) for f in found) for w in words)
