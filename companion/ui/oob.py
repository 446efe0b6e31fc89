"""The order-of-battle pane: a tree of sides → armed forces → formations, with military symbols,
drag and drop to reparent or reorder, and a context menu of corrections.

Every edit is stored as the reader's correction (or affiliation, or sibling order), so it
survives re-annotation; the model then rebuilds and emits ``changed``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from companion.core.names import Correction
from companion.core.oob import OobNode, build_oob, unit_type
from companion.store.glossary import (
    affiliations,
    glossary,
    set_affiliation,
    sibling_order,
)
from companion.store.library import Store
from companion.ui.corrections import Asking, EditNames, add_action, add_name_actions, push
from companion.ui.qt import (
    DECORATION_ROLE,
    DISPLAY_ROLE,
    FONT_ROLE,
    TOOLTIP_ROLE,
    USER_ROLE,
    QAbstractItemModel,
    QAbstractItemView,
    QApplication,
    QEvent,
    QFont,
    QItemSelectionModel,
    QLabel,
    QMenu,
    QMimeData,
    QModelIndex,
    QPalette,
    QPoint,
    QSize,
    Qt,
    QTreeView,
    QUndoStack,
    QVBoxLayout,
    QWidget,
    Signal,
)
from companion.ui.symbols import symbol_icon

ENTITY_ID_ROLE = USER_ROLE
MIME_TYPE = "application/x-companion-entity"
ICON_SIZE = 28
AFFILIATION_LABELS = (
    ("friend", "Mark friendly"),
    ("hostile", "Mark hostile"),
    ("neutral", "Mark neutral"),
    (None, "Mark unknown"),
)
EMPTY_TEXT = "No units yet in the chapters read so far."


@dataclass(frozen=True)
class OobChange:
    """What an edit in the tree changed.

    ``what`` is "names" (a correction: entities and mentions were re-annotated), "order"
    (the reader's sibling order) or "affiliation" (a side marked friend/hostile/...).
    """

    work_id: int
    what: str
    entity: str | None = None


@dataclass
class _Row:
    node: OobNode
    parent: int  # row id of the parent row, -1 at the top
    row: int  # position among the parent's children
    entity_id: int | None
    children: list[int] = field(default_factory=list)
    type: str | None = None  # the unit's arm, worked out when first drawn
    typed: bool = False


def _key(node: OobNode) -> str:
    """A name for a row that stays the same across rebuilds."""
    if node.kind == "group":
        return f"group:{node.side or ''}"
    return f"{node.kind}:{node.name}"


class OobModel(QAbstractItemModel):
    """The order of battle of one work as of a chapter (spoiler-safe), one column.

    ``ENTITY_ID_ROLE`` gives a unit's or side's entity id (None for the group rows).
    """

    changed = Signal(object)  # an OobChange, after an edit was stored

    def __init__(self, parent=None):
        super().__init__(parent)
        self.store: Store | None = None
        self.work_id: int | None = None
        self.up_to: int | None = None
        self.nations: list[str] = []  # nations in scope, for "Set side"
        self.affiliation: dict[str, str] = {}
        self.undo_stack: QUndoStack | None = None  # where edits go, so that Ctrl+Z undoes them
        self._rows: list[_Row] = []
        self._top: list[int] = []
        self._by_key: dict[str, int] = {}
        self._by_entity: dict[int, int] = {}
        self._dark = False
        self._italic = QFont()
        self._italic.setItalic(True)
        self._bold = QFont()
        self._bold.setBold(True)

    # -- content ------------------------------------------------------------------------

    def set_work(self, store: Store | None, work_id: int | None, up_to: int | None = None) -> None:
        """Show another work's tree (None: an empty tree), as of chapter number ``up_to``."""
        self.store, self.work_id, self.up_to = store, work_id, up_to
        self.refresh()

    def set_scope(self, up_to: int | None) -> None:
        """Show the tree as of chapter number ``up_to`` (None: everything)."""
        if up_to != self.up_to:
            self.up_to = up_to
            self.refresh()

    def refresh(self) -> None:
        """Rebuild from the store (the view keeps its expansion and selection by key)."""
        self.beginResetModel()
        self._rows, self._top, self._by_key, self._by_entity = [], [], {}, {}
        self.nations, self.affiliation = [], {}
        window = QApplication.palette().color(QPalette.ColorRole.Window)
        self._dark = window.lightness() < 128
        if self.store is not None and self.work_id is not None:
            self._build()
        self.endResetModel()

    def _build(self) -> None:
        assert self.store is not None and self.work_id is not None
        entries = glossary(self.store, self.work_id, self.up_to)
        ids = {e.name: e.id for e in entries}
        self.nations = sorted((e.name for e in entries if e.kind == "nation"), key=str.casefold)
        self.affiliation = affiliations(self.store, self.work_id)
        roots = build_oob(entries, sibling_order(self.store, self.work_id))
        stack = [(node, -1, row) for row, node in reversed(list(enumerate(roots)))]
        while stack:
            node, parent, row = stack.pop()
            entity_id = ids.get(node.name) if node.name is not None else None
            rid = len(self._rows)
            self._rows.append(_Row(node, parent, row, entity_id))
            (self._rows[parent].children if parent >= 0 else self._top).append(rid)
            self._by_key[_key(node)] = rid
            if entity_id is not None:
                self._by_entity[entity_id] = rid
            stack.extend((c, rid, i) for i, c in reversed(list(enumerate(node.children))))

    # -- lookups ------------------------------------------------------------------------

    def node(self, index: QModelIndex) -> OobNode | None:
        """The tree node shown at ``index``."""
        return self._rows[index.internalId()].node if index.isValid() else None

    def key(self, index: QModelIndex) -> str | None:
        """A key for the row that survives a refresh (for keeping expansion)."""
        return _key(self._rows[index.internalId()].node) if index.isValid() else None

    def index_of_key(self, key: str | None) -> QModelIndex:
        rid = self._by_key.get(key or "")
        return QModelIndex() if rid is None else self._index(rid)

    def index_of_entity(self, entity_id: int | None) -> QModelIndex:
        """The row of a unit or side (invalid when it is not in the tree)."""
        rid = self._by_entity.get(entity_id) if entity_id is not None else None
        return QModelIndex() if rid is None else self._index(rid)

    def branches(self) -> list[QModelIndex]:
        """Every row that has children."""
        return [self._index(rid) for rid, r in enumerate(self._rows) if r.children]

    def unit_names(self) -> list[str]:
        """Every unit in the tree, by name."""
        return sorted(
            (r.node.name for r in self._rows if r.node.kind == "unit" and r.node.name),
            key=str.casefold,
        )

    def _index(self, rid: int) -> QModelIndex:
        return self.createIndex(self._rows[rid].row, 0, rid)

    # -- QAbstractItemModel ---------------------------------------------------------------

    def index(self, row: int, column: int = 0, parent: QModelIndex = QModelIndex()):  # noqa: B008
        children = self._rows[parent.internalId()].children if parent.isValid() else self._top
        if column != 0 or not 0 <= row < len(children):
            return QModelIndex()
        return self.createIndex(row, 0, children[row])

    def parent(self, index: QModelIndex = QModelIndex()):  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        parent = self._rows[index.internalId()].parent
        return QModelIndex() if parent < 0 else self._index(parent)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.column() > 0:
            return 0
        return len(self._rows[parent.internalId()].children if parent.isValid() else self._top)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 1

    def hasChildren(self, parent: QModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return self.rowCount(parent) > 0

    def data(self, index: QModelIndex, role: int = DISPLAY_ROLE):
        if not index.isValid():
            return None
        row = self._rows[index.internalId()]
        node = row.node
        if role == DISPLAY_ROLE:
            return node.label
        if role == ENTITY_ID_ROLE:
            return row.entity_id
        if role == DECORATION_ROLE:
            if node.kind == "group":
                return None
            if node.kind == "side":
                return symbol_icon(self.affiliation.get(node.name or ""), None, None, self._dark)
            if not row.typed:
                row.type, row.typed = unit_type(node.label), True
            aff = self.affiliation.get(node.side or "")
            return symbol_icon(aff, node.echelon, row.type, self._dark)
        if role == FONT_ROLE:
            return {"group": self._italic, "side": self._bold}.get(node.kind)
        if role == TOOLTIP_ROLE:
            return self._tooltip(node)
        return None

    def _tooltip(self, node: OobNode) -> str:
        aff = self.affiliation.get(node.side or "", "unknown")
        if node.kind == "side":
            return f"{node.label} — side ({aff})"
        if node.kind == "group":
            what = "without a known parent" if node.side else "without a known side"
            return f"Units {what}"
        parts = [node.echelon or "unit", f"{node.side} ({aff})" if node.side else "side unknown"]
        return f"{node.label}\n" + " · ".join(parts)

    def flags(self, index: QModelIndex):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        kind = self._rows[index.internalId()].node.kind
        flags = Qt.ItemFlag.ItemIsEnabled
        if kind == "unit":
            flags |= Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
            flags |= Qt.ItemFlag.ItemIsDropEnabled
        elif kind == "side":
            flags |= Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDropEnabled
        return flags

    # -- drag and drop --------------------------------------------------------------------

    def supportedDragActions(self):
        return Qt.DropAction.MoveAction

    def supportedDropActions(self):
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes) -> QMimeData | None:
        names = [n.name for n in map(self.node, indexes) if n is not None and n.kind == "unit"]
        if not names:
            return None
        data = QMimeData()
        data.setData(MIME_TYPE, names[0].encode("utf-8"))
        return data

    def _dragged(self, data: QMimeData | None) -> int | None:
        """The row id of the unit a drag carries, if it is in this tree."""
        if data is None or not data.hasFormat(MIME_TYPE):
            return None
        name = bytes(data.data(MIME_TYPE).data()).decode("utf-8", "replace")
        return self._by_key.get(f"unit:{name}")

    def _within(self, rid: int, ancestor: int) -> bool:
        """Whether row ``rid`` is ``ancestor`` or below it."""
        while rid >= 0:
            if rid == ancestor:
                return True
            rid = self._rows[rid].parent
        return False

    def canDropMimeData(self, data, action, row: int, column: int, parent: QModelIndex) -> bool:
        source = self._dragged(data)
        if source is None or not parent.isValid() or self.store is None:
            return False
        target = parent.internalId()
        if self._within(target, source):
            return False  # onto itself or one of its own units: a loop
        return not (row < 0 and self._rows[target].node.kind == "group")

    def dropMimeData(self, data, action, row: int, column: int, parent: QModelIndex) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        source = self._dragged(data)
        assert source is not None
        moved = self._rows[source].node
        target = self._rows[parent.internalId()]
        new_parent, new_side = self._placement(target.node)
        fixes = []
        if new_parent != self._parent_name(source):
            fixes.append(Correction("set_parent", moved.name or "", new_parent))
        if new_side is not False and new_side != moved.side:
            fixes.append(Correction("set_side", moved.name or "", new_side))
        order = None
        if row >= 0:
            siblings = [
                self._rows[c].node.name for c in target.children
                if self._rows[c].node.kind == "unit"
            ]
            before = [n for n in siblings[:row] if n != moved.name]
            after = [n for n in siblings[row:] if n != moved.name]
            order = [n for n in (*before, moved.name, *after) if n]
        self.apply(fixes, order=order, entity=moved.name)
        return True

    def _parent_name(self, rid: int) -> str | None:
        """The unit a row sits under in the tree (None under a side or a group)."""
        parent = self._rows[rid].parent
        node = self._rows[parent].node if parent >= 0 else None
        return node.name if node is not None and node.kind == "unit" else None

    def _placement(self, target: OobNode) -> tuple[str | None, str | None | bool]:
        """(parent, side) a unit dropped into ``target`` gets; side False: leave as is."""
        if target.kind == "unit":
            return target.name, target.side if target.side else False
        return None, target.side  # a side, its "Unassigned", or "Unknown side" (None)

    # -- edits ----------------------------------------------------------------------------

    def apply(
        self, corrections: list[Correction], order: list[str] | None = None,
        entity: str | None = None,
    ) -> None:
        """Store corrections (re-annotating the work once) and a sibling order, then refresh;
        one step on ``undo_stack`` when there is one."""
        if self.store is None or self.work_id is None or not (corrections or order):
            return
        work_id = self.work_id
        what = "names" if corrections else "order"

        def changed(show: str | None) -> None:
            if self.work_id == work_id:
                self.refresh()
            self.changed.emit(OobChange(work_id, what, show))

        push(self.undo_stack, EditNames(self.store, work_id, corrections, order, changed, entity))

    def mark_side(self, side: str, affiliation: str | None) -> None:
        """Mark a side friend, hostile or neutral (None: unknown)."""
        if self.store is None or self.work_id is None:
            return
        set_affiliation(self.store, self.work_id, side, affiliation)
        self.refresh()
        self.changed.emit(OobChange(self.work_id, "affiliation", side))


class OobPane(Asking, QWidget):
    """The order-of-battle tree, with an "empty" note, drag and drop and a context menu."""

    entityChosen = Signal(int)  # the reader selected a unit's or side's row
    changed = Signal(object)  # an OobChange, after an edit (re-emitted from the model)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.model = OobModel(self)
        self.model.changed.connect(self.changed)
        self.tree = QTreeView(self)
        self.tree.setObjectName("oobTree")
        self.tree.setAccessibleName("Order of battle")
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
        self.tree.setModel(self.model)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setDragEnabled(True)
        self.tree.setAcceptDrops(True)
        self.tree.setDropIndicatorShown(True)
        # DragDrop rather than InternalMove: the model does the move, and a unit dragged
        # from another pane (same MIME type) can be dropped here too.
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._show_menu)
        self.tree.selectionModel().currentChanged.connect(self._on_current)
        self.empty = QLabel(EMPTY_TEXT, self)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree)
        layout.addWidget(self.empty)
        self._quiet = False
        self._forget = False  # a new work: forget what was collapsed and selected
        self._collapsed: set[str] = set()
        self._selected: str | None = None
        self._scroll = 0
        self.model.modelAboutToBeReset.connect(self._remember)
        self.model.modelReset.connect(self._restore)
        self._restore()

    # -- public ---------------------------------------------------------------------------

    def set_work(self, store: Store | None, work_id: int | None, up_to: int | None = None) -> None:
        """Show a work's tree (expanded) as of chapter number ``up_to``."""
        self._forget = True
        self.model.set_work(store, work_id, up_to)

    def set_scope(self, up_to: int | None) -> None:
        """Show the tree as of chapter number ``up_to`` (None: everything)."""
        self.model.set_scope(up_to)

    def refresh(self) -> None:
        """Rebuild from the store, keeping what is collapsed and selected."""
        self.model.refresh()

    def select_entity(self, entity_id: int | None) -> bool:
        """Select a unit's or side's row and scroll to it, without emitting entityChosen."""
        index = self.model.index_of_entity(entity_id)
        if not index.isValid():
            return False
        parent = index.parent()
        while parent.isValid():
            self.tree.expand(parent)
            parent = parent.parent()
        self._select(index)
        self.tree.scrollTo(index)
        return True

    def selected_entity(self) -> int | None:
        """The entity id of the selected row."""
        return self.tree.currentIndex().data(ENTITY_ID_ROLE)

    # -- keeping the view's state across rebuilds -----------------------------------------

    def _remember(self) -> None:
        if self._forget:
            self._collapsed, self._selected, self._scroll = set(), None, 0
            self._forget = False
            return
        self._collapsed = {
            self.model.key(index) or "" for index in self.model.branches()
            if not self.tree.isExpanded(index)
        }
        self._selected = self.model.key(self.tree.currentIndex())
        self._scroll = self.tree.verticalScrollBar().value()

    def _restore(self) -> None:
        self.tree.expandAll()
        for key in self._collapsed:
            index = self.model.index_of_key(key)
            if index.isValid():
                self.tree.collapse(index)
        index = self.model.index_of_key(self._selected)
        if index.isValid():
            self._select(index)
        self.tree.verticalScrollBar().setValue(self._scroll)
        empty = self.model.rowCount() == 0
        self.tree.setVisible(not empty)
        self.empty.setVisible(empty)

    def _select(self, index: QModelIndex) -> None:
        self._quiet = True
        try:
            self.tree.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        finally:
            self._quiet = False

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        entity_id = current.data(ENTITY_ID_ROLE) if current.isValid() else None
        if not self._quiet and entity_id is not None:
            self.entityChosen.emit(entity_id)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self.model.refresh()  # symbols for a light or dark palette
        super().changeEvent(event)

    # -- context menu -----------------------------------------------------------------------

    def _show_menu(self, pos: QPoint) -> None:
        menu = self.context_menu(self.tree.indexAt(pos))
        if menu is not None:
            menu.exec(self.tree.viewport().mapToGlobal(pos))
            menu.deleteLater()

    def context_menu(self, index: QModelIndex) -> QMenu | None:
        """The menu for a row: corrections for a unit, affiliations for a side."""
        node = self.model.node(index)
        if node is None or node.kind == "group" or not node.name:
            return None
        menu = QMenu(self)
        name = node.name
        if node.kind == "side":
            current = self.model.affiliation.get(name)
            mark = self.model.mark_side
            for affiliation, label in AFFILIATION_LABELS:
                action = add_action(menu, label, lambda a=affiliation: mark(name, a))
                action.setCheckable(True)
                action.setChecked(current == affiliation)
            menu.addSeparator()
            add_name_actions(menu, name, "nation", self, self._apply, lambda: self.model.nations)
            return menu
        add_name_actions(
            menu, name, "unit", self, self._apply, self.model.unit_names, self.model.nations,
            node.side, node.echelon,
        )
        return menu

    def _apply(self, corrections: list[Correction], show: str) -> None:
        self.model.apply(corrections, entity=show)
