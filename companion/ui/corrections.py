"""The reader's name corrections as undoable edits, and Edit → Name Corrections…, the list of
every correction of a work where any of them can be taken back.

Each edit records its corrections and re-annotates the work once (a wait cursor shows while
the names are found again); undo removes exactly those rows, redo puts them back with their ids
so that they keep their place among the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from companion.core.names import Correction
from companion.store.glossary import put_sibling_positions, set_sibling_order, sibling_order
from companion.store.library import Store
from companion.store.names import (
    StoredCorrection,
    add_corrections,
    correction_list,
    remove_corrections,
    restore_corrections,
)
from companion.ui.qt import (
    USER_ROLE,
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    Qt,
    QUndoCommand,
    QUndoStack,
    QVBoxLayout,
    QWidget,
)

Changed = Callable[[], None]


@contextmanager
def busy() -> Iterator[None]:
    """A wait cursor while the work's names are found again."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


class EditNames(QUndoCommand):
    """Corrections and/or a new sibling order from the order-of-battle pane."""

    def __init__(
        self,
        store: Store,
        work_id: int,
        corrections: list[Correction],
        order: list[str] | None,
        changed: Changed,
    ):
        super().__init__(corrections[0].describe() if corrections else "Reorder Units")
        self.store, self.work_id, self.changed = store, work_id, changed
        self.corrections, self.order = corrections, order or []
        self.rows: list[StoredCorrection] = []
        self.order_before: dict[str, int | None] = {}

    def redo(self) -> None:
        with busy():
            if self.rows:
                restore_corrections(self.store, self.work_id, self.rows)
            elif self.corrections:
                self.rows = add_corrections(self.store, self.work_id, self.corrections)
            if self.order:
                before = sibling_order(self.store, self.work_id)
                self.order_before = {name: before.get(name) for name in self.order}
                set_sibling_order(self.store, self.work_id, self.order)
        self.changed()

    def undo(self) -> None:
        with busy():
            if self.order:
                put_sibling_positions(self.store, self.work_id, self.order_before)
            if self.rows:
                remove_corrections(self.store, self.work_id, [r.id for r in self.rows])
        self.changed()


class RemoveCorrections(QUndoCommand):
    """Corrections taken back from the list: undo puts them back where they were."""

    def __init__(self, store: Store, work_id: int, rows: list[StoredCorrection],
                 changed: Changed):
        one = rows[0].correction.describe() if len(rows) == 1 else f"{len(rows)} Corrections"
        super().__init__(f"Take Back {one}")
        self.store, self.work_id, self.rows, self.changed = store, work_id, rows, changed

    def redo(self) -> None:
        with busy():
            remove_corrections(self.store, self.work_id, [r.id for r in self.rows])
        self.changed()

    def undo(self) -> None:
        with busy():
            restore_corrections(self.store, self.work_id, self.rows)
        self.changed()


def push(stack: QUndoStack | None, command: QUndoCommand) -> None:
    """Do ``command`` through ``stack`` (so that it can be undone), or at once without one."""
    if stack is None:
        command.redo()
    else:
        stack.push(command)


class CorrectionsDialog(QDialog):
    """Every correction of a work, oldest first; select some and take them back."""

    def __init__(self, store: Store, work_id: int, stack: QUndoStack | None,
                 changed: Changed, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Name Corrections")
        self.store, self.work_id, self.stack, self.changed = store, work_id, stack, changed
        self.list = QListWidget()
        self.list.setAccessibleName("Corrections")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.empty = QLabel("No corrections yet. Rename, merge, alias or mark “not a name” "
                            "from the order of battle's context menu.")
        self.empty.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.take_back = buttons.addButton("Take Back", QDialogButtonBox.ButtonRole.ActionRole)
        self.take_back.setToolTip("Undo the selected corrections (Ctrl+Z brings them back)")
        self.take_back.clicked.connect(self.take_back_selected)
        buttons.rejected.connect(self.reject)
        self.list.itemSelectionChanged.connect(self._update_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Your corrections win over every re-reading of the text."))
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)
        self.resize(520, 360)
        if stack is not None:
            stack.indexChanged.connect(self._on_undo_or_redo)
        self.refresh()

    def refresh(self) -> None:
        """Reload the list from the store."""
        self.list.clear()
        for row in correction_list(self.store, self.work_id):
            item = QListWidgetItem(row.correction.describe())
            item.setToolTip(f"Made {row.created.replace('T', ' ').rstrip('Z')} UTC")
            item.setData(USER_ROLE, row)
            self.list.addItem(item)
        empty = self.list.count() == 0
        self.list.setVisible(not empty)
        self.empty.setVisible(empty)
        self._update_button()

    def take_back_selected(self) -> None:
        """Undo the selected corrections (one undoable step)."""
        rows = [item.data(USER_ROLE) for item in self.list.selectedItems()]
        if rows:
            rows.sort(key=lambda r: r.id)
            push(self.stack, RemoveCorrections(self.store, self.work_id, rows, self.changed))
            if self.stack is None:
                self.refresh()

    def _on_undo_or_redo(self, _index: int) -> None:
        if self.isVisible():  # any undo or redo may change the list; a hidden one reloads on show
            self.refresh()

    def _update_button(self) -> None:
        self.take_back.setEnabled(bool(self.list.selectedItems()))
