"""The window's highlights, notes and bookmarks: adding, editing and deleting them through
the undo stack, their context-menu entries, and going to one."""

from __future__ import annotations

from companion.store.notes import (
    COLORS,
    Mark,
    NotesError,
    add_bookmark,
    add_highlight,
    bookmark_label,
    get_mark,
    marks,
)
from companion.ui.notes import AddMark, DeleteMark, EditMark, colour_icon
from companion.ui.qt import QAction, QKeySequence, QMenu, QPoint


class MarksMixin:
    """Highlights, notes and bookmarks for ``MainWindow``, which gives ``store``, ``reader``,
    ``notes``, ``undo_stack``, ``last_color``, ``_mark_place``, the open work and chapter, the
    history (``jump``, ``_place``) and the ``marksChanged`` signal."""

    def _build_mark_actions(self) -> None:
        """The Edit menu's undo, redo, highlight and bookmark actions (the window lays out
        the menu)."""
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        self.highlight_action = QAction("&Highlight", self)
        self.highlight_action.setShortcut(QKeySequence("Ctrl+H"))
        self.highlight_action.triggered.connect(lambda: self.highlight_selection())
        self.highlight_note_action = QAction("Highlight with &Note…", self)
        self.highlight_note_action.setShortcut(QKeySequence("Ctrl+Shift+H"))
        self.highlight_note_action.triggered.connect(
            lambda: self.highlight_selection(with_note=True)
        )
        self.bookmark_action = QAction("&Bookmark This Place…", self)
        self.bookmark_action.setShortcut(QKeySequence("Ctrl+D"))
        self.bookmark_action.triggered.connect(self.bookmark_here)

    def highlight_selection(self, color: str | None = None, with_note: bool = False) -> Mark | None:
        """Highlight the words selected in the chapter, in ``color`` (else the last one used),
        asking for a note first when ``with_note``."""
        span = self.reader.selected_span()
        if span is None or self.work_id is None or self.chapter_number is None:
            self.statusBar().showMessage("Select some words of the chapter to highlight.", 4000)
            return None
        note = self._ask_text("Highlight with Note", "Note:", "", True) if with_note else ""
        if note is None:
            return None
        color = color or self.last_color
        try:
            mark = add_highlight(self.store, self.work_id, self.chapter_number, *span, color, note)
        except NotesError as exc:
            self.statusBar().showMessage(str(exc), 6000)
            return None
        self.last_color = color
        cursor = self.reader.textCursor()
        cursor.clearSelection()
        self.reader.setTextCursor(cursor)
        self.undo_stack.push(AddMark(self.store, mark, self.marks_changed))
        return mark

    def bookmark_here(self) -> Mark | None:
        """Bookmark the first words at the top of the view, with a label the reader may edit."""
        if self.work_id is None or self.chapter_number is None:
            return None
        offset = self.reader.top_offset()
        try:
            default = bookmark_label(self.store, self.work_id, self.chapter_number, offset)
        except NotesError as exc:
            self.statusBar().showMessage(str(exc), 6000)
            return None
        label = self._ask_text("Bookmark", "Label:", default)
        if label is None:
            return None
        number = self.chapter_number
        mark = add_bookmark(self.store, self.work_id, number, offset, label.strip() or default)
        self.undo_stack.push(AddMark(self.store, mark, self.marks_changed))
        self.statusBar().showMessage(f"Bookmarked: {mark.label}", 4000)
        return mark

    def edit_note(self, mark_id: int) -> None:
        """Ask for a mark's new note (or a bookmark's new label) and save it."""
        mark = get_mark(self.store, mark_id)
        if mark.kind == "bookmark":
            label = self._ask_text("Rename Bookmark", "Label:", mark.label or "")
            if label is not None and label.strip() and label != mark.label:
                self.undo_stack.push(EditMark(self.store, mark, self.marks_changed, label=label))
            return
        note = self._ask_text("Edit Note", "Note:", mark.note, multiline=True)
        if note is not None and note != mark.note:
            self.undo_stack.push(EditMark(self.store, mark, self.marks_changed, note=note))

    def set_mark_color(self, mark_id: int, color: str) -> None:
        """Give a highlight another colour."""
        mark = get_mark(self.store, mark_id)
        self.last_color = color
        if color != mark.color:
            self.undo_stack.push(EditMark(self.store, mark, self.marks_changed, color=color))

    def delete_mark(self, mark_id: int) -> None:
        """Delete a highlight or bookmark (Ctrl+Z brings it back)."""
        mark = get_mark(self.store, mark_id)
        self.undo_stack.push(DeleteMark(self.store, mark, self.marks_changed))

    def marks_changed(self) -> None:
        """Show the marks as the store has them now: in the text and in the notes pane."""
        self.reader.set_marks(self._chapter_marks())
        self.notes.refresh()
        self.marksChanged.emit()

    def go_to_mark(self, mark_id: int) -> None:
        """Show a mark: its chapter, scrolled to it (a highlight selected); Alt+Left returns."""
        mark = get_mark(self.store, mark_id)
        chapter = next(
            (c for c in self.store.chapters(mark.work_id) if c.number == mark.chapter), None
        )
        if chapter is None:
            return
        if self._mark_place != (mark_id, self._place()):  # not there already
            if chapter.id != self.chapter_id:
                self.jump(chapter.id)
            else:
                self.history.push(self._place())
                self._update_history_actions()
        if mark.detached:
            self.statusBar().showMessage(
                f"The words of this note are no longer in chapter {mark.chapter}.", 6000
            )
        else:
            self.reader.reveal(mark.start, mark.end if mark.kind == "highlight" else None)
        self._mark_place = (mark_id, self._place())

    def _chapter_marks(self) -> list[Mark]:
        if self.work_id is None or self.chapter_number is None:
            return []
        return marks(self.store, self.work_id, self.chapter_number, "highlight")

    def _update_mark_actions(self, _selected: bool = False) -> None:
        selected = self.reader.textCursor().hasSelection()
        self.highlight_action.setEnabled(selected)
        self.highlight_note_action.setEnabled(selected)

    def _fill_reader_menu(self, menu: QMenu, mark: Mark | None, href: str = "") -> None:
        """Put the highlight entries at the top of the reader's context menu (and, on a name,
        its corrections)."""
        entries: list[QAction] = []
        if self.reader.selected_span() is not None:
            colours = self._colour_menu("Highlight", menu, None, self.highlight_selection)
            entries += [colours.menuAction(), self.highlight_note_action]
        if mark is not None:
            entries += self._mark_actions(menu, mark)
        entries.append(self.bookmark_action)
        names = self.name_menu(menu, href)
        if names is not None:
            entries.insert(0, names.menuAction())
        first = menu.actions()[0] if menu.actions() else None
        menu.insertActions(first, entries)
        menu.insertSeparator(first)

    def _show_mark_menu(self, mark_id: int, where: QPoint) -> None:
        menu = QMenu(self)
        menu.addActions(self._mark_actions(menu, get_mark(self.store, mark_id)))
        menu.exec(where)
        menu.deleteLater()

    def _mark_actions(self, menu: QMenu, mark: Mark) -> list[QAction]:
        """Edit, recolour and delete entries for a mark, owned by ``menu``."""
        is_bookmark = mark.kind == "bookmark"
        edit = QAction("Rename Bookmark…" if is_bookmark else "Edit Note…", menu)
        edit.triggered.connect(lambda: self.edit_note(mark.id))
        delete = QAction("Delete Bookmark" if is_bookmark else "Delete Highlight", menu)
        delete.triggered.connect(lambda: self.delete_mark(mark.id))
        if is_bookmark:
            return [edit, delete]
        colours = self._colour_menu(
            "Colour", menu, mark.color, lambda color: self.set_mark_color(mark.id, color)
        )
        return [edit, colours.menuAction(), delete]

    def _colour_menu(self, title: str, parent: QMenu, current: str | None, choose) -> QMenu:
        """A submenu of the highlight colours; ``choose(colour)`` runs on a pick."""
        menu = QMenu(title, parent)
        for color in COLORS:
            action = menu.addAction(colour_icon(color), color.capitalize())
            action.setCheckable(current is not None)
            action.setChecked(color == current)
            action.triggered.connect(lambda _checked=False, c=color: choose(c))
        return menu

