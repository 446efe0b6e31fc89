"""The glossary pane: the work's names grouped by kind, a filter, and one name's details."""

from __future__ import annotations

import html
import re
from dataclasses import replace

from companion.store.glossary import (
    GlossaryEntry,
    MentionPlace,
    glossary,
    mention_places,
    search,
    set_description,
)
from companion.store.library import Store
from companion.store.names import entity_id as find_entity_id
from companion.ui.delegates import RichTextDelegate
from companion.ui.models import GroupedModel
from companion.ui.qt import (
    ALIGN_CENTER,
    ALIGN_RIGHT,
    DISPLAY_ROLE,
    FOREGROUND_ROLE,
    TEXT_ALIGNMENT_ROLE,
    TOOLTIP_ROLE,
    USER_ROLE,
    QApplication,
    QColor,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QModelIndex,
    QPalette,
    QPlainTextEdit,
    QPoint,
    QSplitter,
    QStyleOptionViewItem,
    Qt,
    QTextDocument,
    QTimer,
    QTreeView,
    QVBoxLayout,
    QWidget,
    Signal,
)

GROUPS = {
    "nation": "Nations",
    "unit": "Units",
    "organization": "Organizations",
    "place": "Places",
    "person": "People",
    "term": "Terms",
}
KINDS = {
    "nation": "Nation",
    "unit": "Unit",
    "organization": "Organization",
    "place": "Place",
    "person": "Person",
    "term": "Term",
}
SAVE_DELAY_MS = 500  # notes are saved this long after the last keystroke
SNIPPET_CONTEXT = 48  # characters of text either side of a mention
SNIPPET_LINES = 3
PARTS_ROLE = USER_ROLE + 1  # a mention row's (chapter number, before, mention, after)


def _natural_key(name: str) -> list:
    """Sort "2nd Corps" before "12th Corps"."""
    parts = re.split(r"([0-9]+)", name)
    return [int(p) if i % 2 else p.casefold() for i, p in enumerate(parts)]


def _kind_key(kind: str) -> tuple[int, str]:
    order = list(GROUPS)
    return (order.index(kind), "") if kind in GROUPS else (len(order), kind)


def _muted(palette: QPalette) -> QColor:
    return palette.color(QPalette.ColorRole.PlaceholderText)


class GlossaryModel(GroupedModel):
    """Entities in kind groups (Nations, Units, …) with their mention counts in column 1.

    ``USER_ROLE`` is the entity id on an entry row and None on a group row.
    """

    COLUMNS = 2

    def __init__(self, parent=None):
        super().__init__(parent)
        self._entries: list[GlossaryEntry] = []
        self._filter: set[int] | None = None
        self._groups: list[tuple[str, list[GlossaryEntry]]] = []
        self._rows: dict[int, tuple[int, int]] | None = None

    def set_entries(self, entries: list[GlossaryEntry]) -> None:
        """Show these entries (the current filter still applies)."""
        ordered = sorted(entries, key=lambda e: (_kind_key(e.kind), _natural_key(e.name)))
        self._update(ordered, self._filter)

    def set_filter(self, ids: set[int] | None) -> None:
        """Show only these entity ids (None: all); groups left empty disappear."""
        self._update(self._entries, None if ids is None else set(ids))

    def _update(self, entries: list[GlossaryEntry], ids: set[int] | None) -> None:
        """Reset when the rows change; when only their values do, keep the views' state."""
        groups: list[tuple[str, list[GlossaryEntry]]] = []
        for entry in entries:
            if ids is not None and entry.id not in ids:
                continue
            if not groups or groups[-1][0] != entry.kind:
                groups.append((entry.kind, []))
            groups[-1][1].append(entry)
        same_rows = _shape(groups) == _shape(self._groups)
        if not same_rows:
            self.beginResetModel()
        self._entries, self._filter, self._groups = entries, ids, groups
        if not same_rows:
            self._rows = None
            self.endResetModel()
        elif groups:
            self.dataChanged.emit(self.index(0, 0), self.index(len(groups) - 1, 1))
            for row, (_, group) in enumerate(groups):
                top = self.index(row, 0)
                self.dataChanged.emit(self.index(0, 0, top), self.index(len(group) - 1, 1, top))

    def index_of_entity(self, entity_id: int) -> QModelIndex:
        """The row of an entity (invalid when it is filtered out or not in the model)."""
        if self._rows is None:
            self._rows = {
                e.id: (g, r)
                for g, (_, group) in enumerate(self._groups)
                for r, e in enumerate(group)
            }
        where = self._rows.get(entity_id)
        return QModelIndex() if where is None else self._child_index(*where)

    def entry(self, index: QModelIndex) -> GlossaryEntry | None:
        """The entry shown on a row (None on a group row)."""
        return self._child(index)

    # -- GroupedModel -----------------------------------------------------------------------

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.is_group(index):
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY_ROLE):
        if orientation == Qt.Orientation.Horizontal and role == DISPLAY_ROLE:
            return ("Name", "Mentions")[section] if 0 <= section < 2 else None
        return None

    def group_label(self, group: str, rows: list[GlossaryEntry]) -> str:
        return f"{GROUPS.get(group, group.title())} ({len(rows)})"

    def row_data(self, row: GlossaryEntry, column: int, role: int):
        if role == DISPLAY_ROLE:
            return row.name if column == 0 else str(row.mentions)
        if role == USER_ROLE:
            return row.id
        if role == TOOLTIP_ROLE:
            return _tooltip(row)
        if column == 1 and role == TEXT_ALIGNMENT_ROLE:
            return ALIGN_RIGHT
        if column == 1 and role == FOREGROUND_ROLE:
            return _muted(QApplication.palette())
        return None


def _shape(groups: list[tuple[str, list[GlossaryEntry]]]) -> list[list[int]]:
    return [[e.id for e in group] for _, group in groups]


def _tooltip(entry: GlossaryEntry) -> str:
    lines = [entry.name, " · ".join(filter(None, [KINDS.get(entry.kind), entry.echelon]))]
    if entry.side:
        lines.append(f"Side: {entry.side}")
    if entry.parent:
        lines.append(f"Part of: {entry.parent}")
    lines.append(f"{entry.mentions} mention{'' if entry.mentions == 1 else 's'}")
    return "\n".join(line for line in lines if line)


def _snippet_parts(place: MentionPlace, context: int) -> tuple[str, str, str]:
    """The snippet split around its mention (the occurrence nearest where it should be)."""
    snippet, text = place.snippet, " ".join(place.text.split())
    expected = min(place.start, context) + snippet.startswith("…")
    best, at = -1, snippet.find(text) if text else -1
    while at != -1:
        if best == -1 or abs(at - expected) < abs(best - expected):
            best = at
        at = snippet.find(text, at + 1)
    if best == -1:
        return snippet, "", ""
    before, after = snippet[:best], snippet[best + len(text) :]
    if before.startswith("…") and " " in before:  # do not start or end on a cut word
        before = "…" + before.split(" ", 1)[1]
    if after.endswith("…") and " " in after.strip():
        after = after.rsplit(" ", 1)[0] + "…"
    return before, text, after


class _MentionDelegate(RichTextDelegate):
    """Draws a mention as "Ch. N" and its snippet with the mention in bold (up to 3 lines)."""

    LINES = SNIPPET_LINES

    def document(self, option: QStyleOptionViewItem, index: QModelIndex) -> QTextDocument:
        """The snippet laid out in the row, words cut from its ends until it fits."""
        number, before, text, after = index.data(PARTS_ROLE)
        doc = self.new_document(option)
        muted = _muted(option.palette).name()
        for _ in range(12):
            doc.setHtml(
                f'<span style="color:{muted}">Ch.&nbsp;{number}</span>&nbsp; '
                f"{html.escape(before)}<b>{html.escape(text)}</b>{html.escape(after)}"
            )
            if doc.size().height() <= option.rect.height():
                break
            if after.strip(" …").count(" ") > 1:
                after = after.rstrip(" …").rsplit(" ", 1)[0] + "…"
            elif before.strip(" …").count(" ") > 1:
                before = "…" + before.lstrip(" …").split(" ", 1)[1]
            else:
                break
        return doc


class _NotesEdit(QPlainTextEdit):
    """The reader's notes on a name; says when it loses focus so they are saved at once."""

    focusLost = Signal()

    def focusOutEvent(self, event) -> None:
        self.focusLost.emit()
        super().focusOutEvent(event)


def _label(*, wrap: bool = True, selectable: bool = True) -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setMinimumWidth(1)  # a long unbroken name is cut, not a reason to widen the dock
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class GlossaryPane(QWidget):
    """The glossary dock: a filter, the names by kind, and the chosen name's details.

    Shows only what the spoiler scope allows (`set_scope`); the reader's notes are saved as
    they are typed.
    """

    entityChosen = Signal(int)  # the reader picked a row
    entityLinkActivated = Signal(int)  # the reader clicked the side or parent of a name
    mentionActivated = Signal(int, int, int)  # chapter id, start, end of a mention
    descriptionSaved = Signal(int)  # entity id whose notes were written to the store
    filterApplied = Signal(str)  # the filter text now shown (after the debounce)
    menuRequested = Signal(object, int)  # a context menu being built for an entity id

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("glossaryPane")
        self.store: Store | None = None
        self.work_id: int | None = None
        self.up_to: int | None = None
        self._entries: dict[int, GlossaryEntry] = {}
        self._titles: dict[int, str] = {}
        self._shown: GlossaryEntry | None = None
        self._quiet = False  # selecting a row from code: do not emit entityChosen
        self._loading = False  # filling the notes editor from code: nothing to save
        self._dirty = False

        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("glossaryFilter")
        self.filter_edit.setAccessibleName("Filter names")
        self.filter_edit.setPlaceholderText("Filter names…")
        self.filter_edit.setClearButtonEnabled(True)
        self._filter_timer = QTimer(self, singleShot=True, interval=0)
        self._filter_timer.timeout.connect(self._apply_filter)
        self.filter_edit.textChanged.connect(self._filter_timer.start)
        self.filter_edit.returnPressed.connect(self._choose_first)

        self.model = GlossaryModel(self)
        self.tree = QTreeView()
        self.tree.setObjectName("glossaryTree")
        self.tree.setAccessibleName("Names")
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setIndentation(14)
        self.tree.setEditTriggers(QTreeView.EditTrigger.NoEditTriggers)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(1, self.fontMetrics().horizontalAdvance("00000") + 8)
        self.tree.selectionModel().currentChanged.connect(self._on_current)
        self.tree.activated.connect(self._on_activated)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._show_menu)

        self.details = self._build_details()
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)

        self.empty_label = QLabel()
        self.empty_label.setObjectName("glossaryEmpty")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(ALIGN_CENTER)
        self.empty_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.empty_label, 1)
        self._update_empty_state()

    def _build_details(self) -> QWidget:
        details = QWidget()
        details.setObjectName("glossaryDetails")
        self.title = _label()
        self.title.setAccessibleName("Name")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.kind_label = _label()
        self.kind_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.aliases_label = _label()
        self.side_link = self._link_label("Side")
        self.parent_link = self._link_label("Part of")
        self.form = QFormLayout()
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.form.addRow("Side:", self.side_link)
        self.form.addRow("Part of:", self.parent_link)
        self.first_label = _label()

        self.notes = _NotesEdit()
        self.notes.setObjectName("glossaryNotes")
        self.notes.setAccessibleName("Your notes")
        self.notes.setPlaceholderText("Your notes on this name…")
        self.notes.setTabChangesFocus(True)
        lines = self.notes.fontMetrics().lineSpacing()
        self.notes.setMinimumHeight(2 * lines + 12)
        self.notes.setMaximumHeight(5 * lines + 12)
        self._save_timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_notes)
        self.notes.textChanged.connect(self._on_notes_changed)
        self.notes.focusLost.connect(self.save_notes)

        self.mentions_label = _label(selectable=False)
        self.mentions = QListWidget()
        self.mentions.setObjectName("glossaryMentions")
        self.mentions.setAccessibleName("Mentions")
        self.mentions.setUniformItemSizes(True)
        self.mentions.setMinimumHeight(2 * (SNIPPET_LINES * lines + 10))
        self.mentions.setItemDelegate(_MentionDelegate(self.mentions))
        self.mentions.itemActivated.connect(self._on_mention)

        layout = QVBoxLayout(details)
        layout.setContentsMargins(2, 6, 2, 0)
        layout.setSpacing(4)
        for widget in (self.title, self.kind_label, self.aliases_label):
            layout.addWidget(widget)
        layout.addLayout(self.form)
        layout.addWidget(self.first_label)
        layout.addWidget(self.notes)
        layout.addWidget(self.mentions_label)
        layout.addWidget(self.mentions, 1)
        details.setVisible(False)
        return details

    def _link_label(self, name: str) -> QLabel:
        label = QLabel()
        label.setAccessibleName(name)
        label.setWordWrap(True)
        label.setMinimumWidth(1)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        label.linkActivated.connect(lambda href: self.entityLinkActivated.emit(int(href)))
        return label

    # -- public API -----------------------------------------------------------------------

    def set_work(self, store: Store | None, work_id: int | None, up_to: int | None = None) -> None:
        """Show a work's names as of chapter number ``up_to`` (all when None)."""
        self.save_notes()
        self.store, self.work_id, self.up_to = store, work_id, up_to
        self._shown = None
        self._titles = (
            {c.number: c.title for c in store.chapters(work_id)}
            if store is not None and work_id is not None
            else {}
        )
        self.filter_edit.clear()
        self.refresh()

    def set_scope(self, up_to: int | None) -> None:
        """Show names, counts, relations and mentions only up to this chapter number."""
        if up_to != self.up_to:
            self.up_to = up_to
            self.refresh()

    def select_entity(self, entity_id: int) -> bool:
        """Select a name and show its details, without emitting ``entityChosen``.

        Clears the filter if it hides the name. False when the name is not in scope.
        """
        entry = self._entries.get(entity_id)
        if entry is None:
            return False
        if not self.model.index_of_entity(entity_id).isValid() and self.filter_edit.text():
            self.filter_edit.clear()
            self._apply_filter()
        self._show(entry)
        self._select_row(entity_id, QTreeView.ScrollHint.PositionAtCenter)
        return True

    def selected_entity(self) -> int | None:
        """The entity whose details are shown."""
        return self._shown.id if self._shown else None

    def refresh(self) -> None:
        """Reload from the store, keeping the selected name and the filter."""
        self.save_notes()
        entries = []
        if self.store is not None and self.work_id is not None:
            entries = glossary(self.store, self.work_id, self.up_to)
        self._entries = {e.id: e for e in entries}
        self.model.set_entries(entries)
        self._apply_filter()
        self._show(self._entries.get(self._shown.id) if self._shown else None)
        self._update_empty_state()

    def save_notes(self) -> None:
        """Write the notes being typed to the store now (they are also saved as typed)."""
        self._save_timer.stop()
        if not self._dirty or self._shown is None or self.store is None:
            return
        self._dirty = False
        text = self.notes.toPlainText()
        set_description(self.store, self.work_id, self._shown.name, text)
        self._shown = replace(self._shown, description=text)
        self._entries[self._shown.id] = self._shown
        self.descriptionSaved.emit(self._shown.id)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self.tree, self._center_current)  # once the tree is laid out

    def _center_current(self) -> None:
        if self.tree.currentIndex().isValid():
            self.tree.scrollTo(self.tree.currentIndex(), QTreeView.ScrollHint.PositionAtCenter)

    # -- filtering and selection --------------------------------------------------------

    def _apply_filter(self) -> None:
        self._filter_timer.stop()
        ids = None
        if self.store is not None and self.work_id is not None:
            ids = search(self.store, self.work_id, self.filter_edit.text())
        self.model.set_filter(ids)
        self.tree.expandAll()
        if self._shown is not None:
            self._select_row(self._shown.id)
        self.filterApplied.emit(self.filter_edit.text())

    def _select_row(
        self, entity_id: int, hint: QTreeView.ScrollHint = QTreeView.ScrollHint.EnsureVisible
    ) -> None:
        index = self.model.index_of_entity(entity_id)
        self._quiet = True
        try:
            self.tree.setCurrentIndex(index)
            if index.isValid():
                self.tree.scrollTo(index, hint)
        finally:
            self._quiet = False

    def _choose_first(self) -> None:
        if self.model.rowCount():
            self.tree.setCurrentIndex(self.model.index(0, 0, self.model.index(0, 0)))
            self.tree.setFocus()

    def context_menu(self, index: QModelIndex) -> QMenu | None:
        """The menu for a name's row, filled by whoever listens to ``menuRequested`` (None on
        a group row or when nobody adds anything)."""
        entry = self.model.entry(index)
        if entry is None:
            return None
        menu = QMenu(self)
        self.menuRequested.emit(menu, entry.id)
        return menu if menu.actions() else None

    def _show_menu(self, pos: QPoint) -> None:
        menu = self.context_menu(self.tree.indexAt(pos))
        if menu is not None:
            menu.exec(self.tree.viewport().mapToGlobal(pos))
            menu.deleteLater()

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        entry = self.model.entry(current)
        if self._quiet or entry is None:
            return
        self._show(entry)
        self.entityChosen.emit(entry.id)

    def _on_activated(self, index: QModelIndex) -> None:
        entry = self.model.entry(index)
        if entry is not None:
            self.entityChosen.emit(entry.id)

    def _update_empty_state(self) -> None:
        empty = not self._entries
        if self.work_id is None:
            self.empty_label.setText("Open a work to see the names in it.")
        elif self.up_to is not None:
            self.empty_label.setText("No names yet in the chapters read so far.")
        else:
            self.empty_label.setText("No names found in this work.")
        if self.splitter.isHidden() == empty:
            return
        self.filter_edit.setVisible(not empty)
        self.splitter.setVisible(not empty)
        self.empty_label.setVisible(empty)
        self.layout().activate()  # lay out now, so that the splitter shares its real height

    # -- details --------------------------------------------------------------------------

    def _show(self, entry: GlossaryEntry | None) -> None:
        """Fill the detail view with an entry (hide it for None)."""
        self.save_notes()  # may refresh the pane, if descriptionSaved is wired to refresh()
        same = self._shown is not None and entry is not None and self._shown.id == entry.id
        self._shown = entry
        if entry is None:
            self.details.setVisible(False)
            return
        if self.details.isHidden():  # the tree had the whole pane: share it again
            self.details.setVisible(True)
            total = sum(self.splitter.sizes())
            if total > 0:
                self.splitter.setSizes([total * 2 // 5, total - total * 2 // 5])
        self.title.setText(entry.name)
        self.kind_label.setText(
            " · ".join(filter(None, [KINDS.get(entry.kind, entry.kind.title()), entry.echelon]))
        )
        self.aliases_label.setText("Also: " + ", ".join(entry.aliases) if entry.aliases else "")
        self.aliases_label.setVisible(bool(entry.aliases))
        self._set_link(self.side_link, entry.side)
        self._set_link(self.parent_link, entry.parent)
        title = self._titles.get(entry.first_chapter or -1)
        first = f"First mentioned in chapter {entry.first_chapter}"
        self.first_label.setText(f"{first} — {title}" if title else first)
        self.first_label.setVisible(entry.first_chapter is not None)
        if not same or self.notes.toPlainText() != entry.description:
            self._loading = True
            self.notes.setPlainText(entry.description)
            self._loading = False
        self._fill_mentions(entry)
        current = self.model.entry(self.tree.currentIndex())
        if current is not None and current.id != entry.id:
            self._select_row(entry.id)

    def _set_link(self, label: QLabel, name: str | None) -> None:
        target = find_entity_id(self.store, self.work_id, name) if name else None
        if name and target is not None:
            label.setText(f'<a href="{target}">{html.escape(name)}</a>')
        else:
            label.setText(html.escape(name or ""))
        self.form.setRowVisible(label, bool(name))

    def _fill_mentions(self, entry: GlossaryEntry) -> None:
        places = mention_places(self.store, entry.id, self.up_to, SNIPPET_CONTEXT)
        self.mentions_label.setText(
            f"{len(places)} mention{'' if len(places) == 1 else 's'}" if places else "No mentions"
        )
        self.mentions.clear()
        for place in places:
            before, text, after = _snippet_parts(place, SNIPPET_CONTEXT)
            item = QListWidgetItem(f"Ch. {place.chapter_number}: {place.snippet}")
            item.setData(USER_ROLE, [place.chapter_id, place.start, place.end])
            item.setData(PARTS_ROLE, [place.chapter_number, before, text, after])
            item.setToolTip(f"Chapter {place.chapter_number} — {place.chapter_title}")
            self.mentions.addItem(item)

    def _on_mention(self, item: QListWidgetItem) -> None:
        chapter_id, start, end = item.data(USER_ROLE)
        self.mentionActivated.emit(int(chapter_id), int(start), int(end))

    def _on_notes_changed(self) -> None:
        if not self._loading and self._shown is not None:
            self._dirty = True
            self._save_timer.start()
