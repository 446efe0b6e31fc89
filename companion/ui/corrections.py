"""The reader's name corrections: the context-menu entries that make them (in the order of
battle, the glossary and the text), the undoable edits that store them, and Edit → Name
Corrections…, the list of every correction of a work where any of them can be taken back.

Each edit records its corrections and re-annotates the work once (a wait cursor shows while
the names are found again); undo removes exactly those rows, redo puts them back with their ids
so that they keep their place among the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from companion.core.names import Correction
from companion.core.names.lexicon import load_lexicon
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
    QAction,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    Qt,
    QUndoCommand,
    QUndoStack,
    QVBoxLayout,
    QWidget,
)

Changed = Callable[[], None]
Apply = Callable[[list[Correction], str], None]  # corrections, and the name to show after


class Asking:
    """Dialogs that ask the reader for a text or a choice (a mixin of widgets; tests replace
    these two methods)."""

    def _ask_text(self, title: str, label: str, text: str, multiline: bool = False) -> str | None:
        """Ask the reader for a text; None if they cancel."""
        if multiline:
            answer, ok = QInputDialog.getMultiLineText(self, title, label, text)
        else:
            answer, ok = QInputDialog.getText(self, title, label, text=text)
        return answer if ok else None

    def _ask_item(self, title: str, label: str, items: list[str]) -> str | None:
        """Ask the reader to pick one of ``items``; None if they cancel (or there is none)."""
        if not items:
            return None
        item, ok = QInputDialog.getItem(self, title, label, items, 0, False)
        return item if ok else None


def ask_new_name(asker: Asking, name: str) -> str | None:
    """Ask the reader for a new name for ``name`` (None: cancelled or unchanged)."""
    new = (asker._ask_text("Rename", f"New name for {name}:", name) or "").strip()
    return new if new and new != name else None


def add_name_actions(
    menu: QMenu,
    name: str,
    kind: str,
    asker: Asking,
    apply: Apply,
    merge_into: Callable[[], list[str]],
    sides: Sequence[str] = (),
    side: str | None = None,
    echelon: str | None = None,
) -> None:
    """Append the corrections of one name to ``menu``: rename, merge into (one of
    ``merge_into()``), add alias, not a name, and for a unit its side and echelon."""

    def correct(action: str, value: str | None) -> None:
        apply([Correction(action, name, value)], value if action in ("rename", "merge") else name)

    def rename() -> None:
        new = ask_new_name(asker, name)
        if new:
            correct("rename", new)

    def merge() -> None:
        others = [n for n in merge_into() if n != name]
        into = asker._ask_item("Merge into", f"Merge {name} into:", others)
        if into and into in others:
            correct("merge", into)

    def alias() -> None:
        new = (asker._ask_text("Add alias", f"Another name for {name}:", "") or "").strip()
        if new:
            correct("alias", new)

    add_action(menu, "Rename…", rename)
    add_action(menu, "Merge into…", merge)
    add_action(menu, "Add alias…", alias)
    add_action(menu, "Not a name", lambda: correct("ignore", None))
    if kind != "unit":
        return
    menu.addSeparator()
    choices = (
        ("Set side", "set_side", [*sides, None], side),
        ("Set echelon", "set_echelon", load_lexicon().ladder, echelon),
    )
    for title, action, values, current in choices:
        submenu = menu.addMenu(title)
        for value in values:
            item = add_action(submenu, value or "No side", lambda a=action, v=value: correct(a, v))
            item.setCheckable(True)
            item.setChecked(value == current)


def add_action(menu: QMenu, text: str, slot: Callable[[], None]) -> QAction:
    """A menu entry that runs ``slot()``."""
    action = menu.addAction(text)
    action.triggered.connect(lambda _checked=False: slot())
    return action


@contextmanager
def busy() -> Iterator[None]:
    """A wait cursor while the work's names are found again."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


class EditNames(QUndoCommand):
    """Corrections and/or a new sibling order. ``changed(name)`` runs after each redo and
    undo with the name to show then (``show``, or the corrected name once undone)."""

    def __init__(
        self,
        store: Store,
        work_id: int,
        corrections: list[Correction],
        order: list[str] | None,
        changed: Callable[[str | None], None],
        show: str | None = None,
    ):
        super().__init__(corrections[0].describe() if corrections else "Reorder Units")
        self.store, self.work_id, self.changed = store, work_id, changed
        self.corrections, self.order = corrections, order or []
        self.show_done = show
        self.show_undone = corrections[0].entity if corrections else show
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
        self.changed(self.show_done)

    def undo(self) -> None:
        with busy():
            if self.order:
                put_sibling_positions(self.store, self.work_id, self.order_before)
            if self.rows:
                remove_corrections(self.store, self.work_id, [r.id for r in self.rows])
        self.changed(self.show_undone)


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
