"""The main window: the chapter, its chapter list, glossary, order of battle and notes,
navigation, spoiler scope, history and the reading position. Highlights and bookmarks
(window_marks), the reading look (window_look), importing and exporting (window_files) and
Help (window_help) are mixins it is assembled from."""

from __future__ import annotations

from companion.store.glossary import glossary
from companion.store.library import Store
from companion.store.names import chapter_mentions
from companion.store.names import entity_id as find_entity_id
from companion.store.notes import COLORS
from companion.store.search import query_spans
from companion.ui.corrections import Asking
from companion.ui.glossary import GlossaryPane
from companion.ui.history import History, Place
from companion.ui.import_worker import ImportJob
from companion.ui.library import LibraryPane
from companion.ui.models import ChapterListModel
from companion.ui.notes import NotesPane
from companion.ui.oob import OobChange, OobPane
from companion.ui.qt import (
    LEFT_DOCK,
    RIGHT_DOCK,
    USER_ROLE,
    QAction,
    QCloseEvent,
    QDockWidget,
    QEvent,
    QGuiApplication,
    QKeySequence,
    QLabel,
    QListView,
    QMainWindow,
    QProgressDialog,
    QStyle,
    Qt,
    QThreadPool,
    QTimer,
    QToolBar,
    QUndoStack,
    QVBoxLayout,
    QWidget,
    Signal,
)
from companion.ui.reader import ReaderView
from companion.ui.render import entity_card, footnote_links, name_links
from companion.ui.search import FindBar, SearchPane
from companion.ui.settings import LAYOUT_VERSION, Settings
from companion.ui.themes import tinted
from companion.ui.window_files import FilesMixin
from companion.ui.window_help import HelpMixin, keys
from companion.ui.window_look import LookMixin
from companion.ui.window_marks import MarksMixin
from companion.ui.window_names import NamesMixin, entity_of

SAVE_POSITION_DELAY_MS = 400


class MainWindow(MarksMixin, NamesMixin, LookMixin, FilesMixin, HelpMixin, Asking, QMainWindow):
    """Companion's window. Opens a work from the store and remembers where the reader is."""

    chapterShown = Signal(int)  # chapter id, once rendered and scrolled into place
    importFinished = Signal(object)  # the ImportOutcome of a background import
    entitySelected = Signal(int)  # entity id, from a click in the text or a pane
    scopeChanged = Signal(object)  # the chapter number panes show up to, or None for all
    marksChanged = Signal()  # highlights, notes or bookmarks were added, changed or deleted

    def __init__(self, store: Store, settings: Settings):
        super().__init__()
        self.store = store
        self.settings = settings
        self.work_id: int | None = None
        self.chapter_id: int | None = None
        self.chapter_number: int | None = None
        self.selected_entity: int | None = None
        self._import: tuple[ImportJob, QProgressDialog] | None = None
        self._panes_work: int | None = None  # the work the panes show
        self.history = History()
        self.undo_stack = QUndoStack(self)
        self.last_color = COLORS[0]  # Ctrl+H highlights in the colour chosen last
        self._mark_place: tuple[int, Place] | None = None  # the mark jumped to, and where
        self._focus_state = None  # the dock layout to return to, while in focus mode
        self.look = settings.look()
        self.setWindowTitle("Companion")
        self.setObjectName("mainWindow")

        self.reader = ReaderView(self)
        self.find_bar = FindBar(self.reader)
        page = QWidget()
        page.setObjectName("page")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.reader, 1)
        layout.addWidget(self.find_bar)
        self.setCentralWidget(page)

        self.chapter_model = ChapterListModel(self)
        self.chapter_list = QListView()
        self.chapter_list.setObjectName("chapterList")
        self.chapter_list.setAccessibleName("Chapters")
        self.chapter_list.setModel(self.chapter_model)
        self.chapter_list.setUniformItemSizes(True)
        self.chapter_list.activated.connect(self._on_chapter_activated)
        self.chapter_list.clicked.connect(self._on_chapter_activated)
        self.chapters_dock = self._add_dock(
            "Chapters", "chaptersDock", self.chapter_list, LEFT_DOCK
        )
        self.library = LibraryPane()
        self.library.workChosen.connect(self._on_work_chosen)
        self.library_dock = self._add_dock("Library", "libraryDock", self.library, LEFT_DOCK)
        self.tabifyDockWidget(self.chapters_dock, self.library_dock)
        self.chapters_dock.raise_()

        self.oob = OobPane()
        self.oob_dock = self._add_dock("Order of Battle", "oobDock", self.oob, LEFT_DOCK)
        self.glossary = GlossaryPane()
        self.glossary_dock = self._add_dock("Glossary", "glossaryDock", self.glossary, RIGHT_DOCK)
        self.notes = NotesPane()
        self.notes_dock = self._add_dock("Notes", "notesDock", self.notes, RIGHT_DOCK)
        self.search = SearchPane()
        self.search_dock = self._add_dock("Search", "searchDock", self.search, RIGHT_DOCK)
        self.tabifyDockWidget(self.glossary_dock, self.notes_dock)
        self.tabifyDockWidget(self.notes_dock, self.search_dock)
        self.search_dock.hide()
        self.glossary_dock.raise_()

        self._save_timer = QTimer(self, singleShot=True, interval=SAVE_POSITION_DELAY_MS)
        self._save_timer.timeout.connect(self.save_position)
        self.reader.scrolled.connect(lambda _fraction: self._save_timer.start())
        self.reader.entityActivated.connect(self._on_name_clicked)
        self.reader.entityHovered.connect(self._on_name_hovered)
        for pane in (self.glossary, self.oob):
            pane.entityChosen.connect(self._on_pane_chose)
        self.glossary.entityLinkActivated.connect(self._on_pane_chose)
        self.glossary.mentionActivated.connect(self.go_to_mention)
        self.oob.changed.connect(self.refresh_names)
        self.oob.model.undo_stack = self.undo_stack
        self.glossary.menuRequested.connect(self.add_name_entries)
        self.glossary.descriptionSaved.connect(lambda _entity: self.notes.refresh())
        self.reader.menuRequested.connect(self._fill_reader_menu)
        self.reader.copyAvailable.connect(self._update_mark_actions)
        self.notes.markActivated.connect(self.go_to_mark)
        self.notes.nameActivated.connect(self._on_name_note_chosen)
        self.notes.markMenuRequested.connect(self._show_mark_menu)
        self.search.resultActivated.connect(self.open_search_hit)
        self.scopeChanged.connect(self.search.set_scope)
        self.chapterShown.connect(self._find_again)

        self._build_actions()
        self.scope_label = QLabel()
        self.scope_label.setAccessibleName("Spoiler scope")
        self.position_label = QLabel()
        self.position_label.setAccessibleName("Position in the work")
        self.statusBar().addPermanentWidget(self.scope_label)
        self.statusBar().addPermanentWidget(self.position_label)
        self.resize(1280, 820)
        geometry, state = settings.window_geometry(), settings.window_state()
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is None or not self.restoreState(state, LAYOUT_VERSION):
            # first run, or a layout saved before the docks changed: the default layout, with
            # the order of battle given more room than the chapter list
            self.resizeDocks(
                [self.chapters_dock, self.oob_dock], [200, 520], Qt.Orientation.Vertical
            )
            self.resizeDocks([self.glossary_dock], [300], Qt.Orientation.Horizontal)
        self._apply_look()
        self.set_theme(settings.theme())
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_color_scheme)
        self._full_screen_pending = settings.full_screen()  # set on the first show
        if settings.focus_mode():
            self.set_focus_mode(True)

    def _add_dock(self, title: str, name: str, widget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        widget.setAccessibleName(title)
        self.addDockWidget(area, dock)
        return dock

    def _build_actions(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self._build_file_actions(file_menu)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        quit_action.setShortcuts(keys(QKeySequence.StandardKey.Quit, "Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        edit_menu = self.menuBar().addMenu("&Edit")
        self._build_mark_actions()
        self.find_action = QAction("&Find in Chapter…", self)
        self.find_action.setShortcuts(keys(QKeySequence.StandardKey.Find))
        self.find_action.triggered.connect(self.find_bar.open)
        self.find_next_action = QAction("Find &Next", self)
        self.find_next_action.setShortcuts(keys(QKeySequence.StandardKey.FindNext))
        self.find_next_action.triggered.connect(lambda: self.find_step(1))
        self.find_previous_action = QAction("Find Pre&vious", self)
        self.find_previous_action.setShortcuts(keys(QKeySequence.StandardKey.FindPrevious))
        self.find_previous_action.triggered.connect(lambda: self.find_step(-1))
        self.search_action = QAction("&Search the Whole Work…", self)
        self.search_action.setShortcut(QKeySequence("Ctrl+Shift+F"))
        self.search_action.triggered.connect(self.open_search)
        self.rename_name_action = QAction("Re&name Selected Name…", self)
        self.rename_name_action.setShortcut(QKeySequence("F2"))
        self.rename_name_action.setStatusTip("Give the name selected in the text or a pane another")
        self.rename_name_action.triggered.connect(self.rename_selected)
        self.corrections_action = QAction("Name &Corrections…", self)
        self.corrections_action.setStatusTip("Every rename, merge, alias and “not a name”")
        self.corrections_action.triggered.connect(self.show_corrections)
        for action in (
            self.undo_action,
            self.redo_action,
            None,
            self.highlight_action,
            self.highlight_note_action,
            self.bookmark_action,
            None,
            self.rename_name_action,
            self.corrections_action,
            None,
            self.find_action,
            self.find_next_action,
            self.find_previous_action,
            self.search_action,
        ):
            edit_menu.addAction(action) if action else edit_menu.addSeparator()
        self._update_mark_actions()

        go_menu = self.menuBar().addMenu("&Go")
        self.back_action = QAction("&Back", self)
        self.back_action.setShortcut(QKeySequence.StandardKey.Back)
        self.back_action.triggered.connect(self.go_back)
        self.forward_action = QAction("&Forward", self)
        self.forward_action.setShortcut(QKeySequence.StandardKey.Forward)
        self.forward_action.triggered.connect(self.go_forward)
        self.prev_action = QAction("&Previous Chapter", self)
        self.prev_action.setShortcuts([QKeySequence("Ctrl+PgUp"), QKeySequence("[")])
        self.prev_action.triggered.connect(lambda: self.step_chapter(-1))
        self.next_action = QAction("&Next Chapter", self)
        self.next_action.setShortcuts([QKeySequence("Ctrl+PgDown"), QKeySequence("]")])
        self.next_action.triggered.connect(lambda: self.step_chapter(1))
        navigation = (self.back_action, self.forward_action, None, self.prev_action,
                      self.next_action)
        for action in navigation:
            go_menu.addAction(action) if action else go_menu.addSeparator()

        view_menu = self.menuBar().addMenu("&View")
        self.spoilers_action = QAction("Show &Everything (Spoilers)", self, checkable=True)
        self.spoilers_action.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.spoilers_action.setToolTip(
            "Show names and facts from every chapter, including those you have not read yet"
        )
        self.spoilers_action.toggled.connect(lambda _on: self._apply_scope())
        view_menu.addAction(self.spoilers_action)
        view_menu.addSeparator()
        self._build_look_actions(view_menu)
        view_menu.addSeparator()
        for dock in self._docks():
            view_menu.addAction(dock.toggleViewAction())

        help_menu = self.menuBar().addMenu("&Help")
        self._build_help_actions(help_menu)

        style = self.style()
        toolbar = self.toolbar = QToolBar("Navigation", self)
        toolbar.setObjectName("navigationToolbar")
        toolbar.setAccessibleName("Navigation")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action in (*navigation, None, self.spoilers_action):
            toolbar.addAction(action) if action else toolbar.addSeparator()
        self.addToolBar(toolbar)
        self._update_history_actions()
        self.import_action.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_DialogOpenButton))
        self._set_icons()

    def _set_icons(self) -> None:
        """The toolbar's icons, in the theme's text colour."""
        style, colour = self.style(), self.palette().buttonText().color()
        for action, icon in (
            (self.back_action, QStyle.StandardPixmap.SP_ArrowBack),
            (self.forward_action, QStyle.StandardPixmap.SP_ArrowForward),
            (self.prev_action, QStyle.StandardPixmap.SP_MediaSkipBackward),
            (self.next_action, QStyle.StandardPixmap.SP_MediaSkipForward),
        ):
            action.setIcon(tinted(style.standardIcon(icon), colour, self.toolbar.iconSize()))

    def _docks(self) -> list[QDockWidget]:
        return [
            self.chapters_dock,
            self.oob_dock,
            self.glossary_dock,
            self.notes_dock,
            self.search_dock,
        ]

    # -- opening ------------------------------------------------------------------------

    def open_work(
        self, work_id: int, chapter_id: int | None = None, panes_later: bool = False
    ) -> None:
        """Show a work: the given chapter, else where the reader left it, else its first.

        With ``panes_later`` the chapter shows first and the panes fill on the next turn of the
        event loop, so the window never freezes for long (after a background import)."""
        chapters = self.store.chapters(work_id)
        if not chapters:
            return
        if work_id != self.work_id:
            self.undo_stack.clear()
        self.work_id = work_id
        self.history = History()
        self.chapter_model.set_chapters(chapters)
        scroll = 0.0
        if chapter_id is None:
            position = self.store.position(work_id)
            if position is not None and position.chapter_id is not None:
                chapter_id, scroll = position.chapter_id, position.scroll
        if chapter_id is None or self.chapter_model.row_of(chapter_id) is None:
            chapter_id, scroll = chapters[0].id, 0.0
        number = self.chapter_model.chapter_at(self.chapter_model.row_of(chapter_id)).number
        self._panes_work = None
        if not panes_later:
            self._load_panes(work_id, None if self.spoilers_action.isChecked() else number)
        self.settings.add_recent_work(work_id)
        self.show_chapter(chapter_id, scroll)
        if panes_later:
            QTimer.singleShot(0, lambda: self._load_panes(work_id, self.scope(), later=True))

    def _load_panes(self, work_id: int, up_to: int | None, later: bool = False) -> None:
        """Show a work in the glossary, order of battle, notes, search and library panes;
        ``later``: one pane per turn of the event loop, so none holds up the window."""
        steps = [
            lambda: self.glossary.set_work(self.store, work_id, up_to),
            lambda: self.oob.set_work(self.store, work_id, up_to),
            lambda: self.notes.set_work(self.store, work_id),
            lambda: self.search.set_work(self.store, work_id, up_to),
            lambda: self.library.set_store(self.store, work_id),
        ]

        def run(remaining: list) -> None:
            if work_id != self.work_id:
                return  # another work was opened meanwhile
            if not remaining:
                self._panes_work = work_id
                if later:
                    self._apply_scope()  # the reader may have moved on meanwhile
                return
            remaining[0]()
            if later:
                QTimer.singleShot(0, lambda: run(remaining[1:]))
            else:
                run(remaining[1:])

        run(steps)

    def show_chapter(self, chapter_id: int, scroll: float = 0.0) -> None:
        """Render a chapter of the open work and scroll to ``scroll`` (0..1)."""
        if self.chapter_id is not None and self.chapter_id != chapter_id:
            self._note_progress()
        chapter = self.store.load_chapter(chapter_id)
        self.store.mark_opened(chapter_id)
        self.chapter_id = chapter_id
        self.chapter_number = chapter.number
        links = footnote_links(chapter) + name_links(chapter_mentions(self.store, chapter_id))
        self.reader.set_chapter(chapter, links)
        self.reader.set_marks(self._chapter_marks())
        self.reader.set_scroll_fraction(scroll)
        self._highlight_selected()
        row = self.chapter_model.row_of(chapter_id)
        if row is not None:
            self.chapter_list.setCurrentIndex(self.chapter_model.index(row))
            total = self.chapter_model.rowCount()
            self.position_label.setText(f"Chapter {row + 1} of {total}")
            self.prev_action.setEnabled(row > 0)
            self.next_action.setEnabled(row < total - 1)
        self.setWindowTitle(f"{chapter.title} — {chapter.story or 'Companion'}")
        if chapter.warnings:
            self.statusBar().showMessage("; ".join(chapter.warnings), 8000)
        self._apply_scope()
        self.save_position()
        self.chapterShown.emit(chapter_id)

    def _note_progress(self) -> None:
        """Leaving a chapter the reader got to the end of (or past the middle of, on the way to
        the next one) marks it read; the chapter list follows."""
        if self.chapter_id is None or self.work_id is None:
            return
        if self.reader.scroll_fraction() >= 0.95:
            self.store.mark_read(self.chapter_id)
        self.chapter_model.set_chapters(self.store.chapters(self.work_id))

    def _on_work_chosen(self, work_id: int) -> None:
        if work_id != self.work_id:
            self.save_position()
            self.open_work(work_id)

    def step_chapter(self, step: int) -> None:
        """Go to the previous (-1) or next (+1) chapter."""
        row = self.chapter_model.row_of(self.chapter_id) if self.chapter_id is not None else None
        target = self.chapter_model.chapter_at(row + step) if row is not None else None
        if target is not None:
            if step > 0 and self.reader.scroll_fraction() >= 0.5:
                self.store.mark_read(self.chapter_id)  # read on to the next chapter
            self.show_chapter(target.id)

    def _on_chapter_activated(self, index) -> None:
        chapter_id = index.data(USER_ROLE)
        if chapter_id is not None and chapter_id != self.chapter_id:
            self.jump(chapter_id)

    # -- spoiler scope ------------------------------------------------------------------

    def scope(self) -> int | None:
        """The chapter number the panes and cards show up to; None shows everything."""
        return None if self.spoilers_action.isChecked() else self.chapter_number

    def _apply_scope(self) -> None:
        up_to = self.scope()
        panes = (self.glossary, self.oob) if self._panes_work == self.work_id else ()
        for pane in panes:
            pane.set_scope(up_to)
        if up_to is None and self.spoilers_action.isChecked():
            self.scope_label.setText("⚠ Showing everything: spoilers")
            self.scope_label.setStyleSheet(
                "QLabel { background: #b3261e; color: white; padding: 1px 8px;"
                " border-radius: 3px; font-weight: 600; }"
            )
            suffix = " — all chapters"
        else:
            self.scope_label.setText(f"Up to chapter {up_to}" if up_to is not None else "")
            self.scope_label.setStyleSheet("")
            suffix = ""
        self.glossary_dock.setWindowTitle("Glossary" + suffix)
        self.oob_dock.setWindowTitle("Order of Battle" + suffix)
        if self.selected_entity is not None:
            for pane in panes:
                pane.select_entity(self.selected_entity)
        self.scopeChanged.emit(up_to)

    # -- names --------------------------------------------------------------------------

    def select_entity(self, entity_id: int) -> None:
        """Select an entity: in both panes, and shaded wherever the chapter mentions it."""
        self.selected_entity = entity_id
        for pane in (self.glossary, self.oob):
            pane.select_entity(entity_id)
        self._highlight_selected()
        entry = self._entry(entity_id)
        if entry is not None:
            title, text = entity_card(entry)
            facts = text.split("\n\n", 1)[0].replace("\n", " · ")
            self.statusBar().showMessage(f"{title} — {facts}")
        self.entitySelected.emit(entity_id)

    def _highlight_selected(self) -> None:
        prefix = f"ent:{self.selected_entity}@" if self.selected_entity is not None else None
        self.reader.highlight_links(prefix)

    def _entry(self, entity_id: int):
        if self.work_id is None:
            return None
        entries = glossary(self.store, self.work_id, self.scope(), only=entity_id)
        return entries[0] if entries else None

    def _open_card(self, href: str) -> None:
        entity_id = entity_of(href)
        entry = self._entry(entity_id) if entity_id is not None else None
        if entry is not None:
            self.reader.open_card(href, *entity_card(entry))

    def _on_name_clicked(self, href: str) -> None:
        entity_id = entity_of(href)
        if entity_id is not None:
            self.select_entity(entity_id)
            self._open_card(href)

    def _on_name_hovered(self, href: str) -> None:
        self._open_card(href)

    def _on_pane_chose(self, entity_id: int) -> None:
        self.select_entity(entity_id)
        first = next(iter(self.reader.link_spans(f"ent:{entity_id}@")), None)
        if first is not None:
            self.history.push(self._place())
            self.reader.scroll_to_link(first[2])
            self._update_history_actions()

    def go_to_mention(self, chapter_id: int, start: int, end: int) -> None:
        """Show one mention (e.g. from the glossary's list): its chapter, scrolled to it."""
        if chapter_id != self.chapter_id:
            self.jump(chapter_id)
        else:
            self.history.push(self._place())
        href = next(
            (s[2] for s in self.reader.link_spans("ent:") if s[2].endswith(f"@{start}")), None
        )
        if href is not None:
            self.reader.scroll_to_link(href)
            entity_id = entity_of(href)
            if entity_id is not None and entity_id != self.selected_entity:
                self.select_entity(entity_id)
        self._update_history_actions()

    def refresh_names(self, change: OobChange | None = None) -> None:
        """The reader edited names: re-render the chapter's links and refresh the panes, and
        select the name an edit left (a renamed unit under its new name)."""
        if self.chapter_id is None:
            return
        scroll = self.reader.scroll_fraction()
        chapter = self.reader.chapter
        links = footnote_links(chapter) + name_links(chapter_mentions(self.store, self.chapter_id))
        self.reader.set_chapter(chapter, links)
        self.reader.set_scroll_fraction(scroll)
        for pane in (self.glossary, self.oob):
            pane.refresh()
        edited = change.entity if change is not None and change.what == "names" else None
        entity_id = find_entity_id(self.store, self.work_id, edited) if edited else None
        if entity_id is not None:
            self.select_entity(entity_id)
        else:
            self._highlight_selected()

    def _on_name_note_chosen(self, name: str) -> None:
        entity_id = find_entity_id(self.store, self.work_id, name) if self.work_id else None
        if entity_id is None:
            self.statusBar().showMessage(f"{name} is no longer a name of this work.", 4000)
        else:
            self._on_pane_chose(entity_id)

    # -- finding and searching -------------------------------------------------------------

    def find_step(self, step: int) -> None:
        """F3 / Shift+F3: the next or previous match of the find bar or the last search."""
        if not self.reader.step_found(step):
            self.find_bar.open()

    def _find_again(self, _chapter_id: int) -> None:
        if self.find_bar.isVisible() and self.find_bar.edit.text().strip():
            self.find_bar.find()

    def open_search(self) -> None:
        """Show the whole-work search, ready to type."""
        self.search_dock.show()
        self.search_dock.raise_()
        self.search.focus_query()

    def open_search_hit(self, chapter_id: int, query: str) -> None:
        """Show a search result: its chapter (Alt+Left returns), its matches shaded and the
        first selected."""
        if chapter_id != self.chapter_id:
            self.jump(chapter_id)
        if self.reader.chapter is not None:
            spans = query_spans(self.reader.chapter.body, query)
            self.reader.set_found(spans, 0 if spans else -1)

    # -- the window's events ------------------------------------------------------------

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.WindowStateChange:
            self.full_screen_action.setChecked(self.isFullScreen())
        elif event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._set_icons()

    # -- history ------------------------------------------------------------------------

    def _place(self) -> Place:
        return Place(self.chapter_id or 0, self.reader.scroll_fraction())

    def jump(self, chapter_id: int, scroll: float = 0.0) -> None:
        """Go to a chapter, remembering where the reader was (Alt+Left returns)."""
        if self.chapter_id is not None:
            self.history.push(self._place())
        self.show_chapter(chapter_id, scroll)
        self._update_history_actions()

    def go_back(self) -> None:
        """Return to where the reader jumped from."""
        place = self.history.back(self._place())
        if place is not None:
            self.show_chapter(place.chapter_id, place.scroll)
        self._update_history_actions()

    def go_forward(self) -> None:
        """Undo a go_back."""
        place = self.history.forward(self._place())
        if place is not None:
            self.show_chapter(place.chapter_id, place.scroll)
        self._update_history_actions()

    def _update_history_actions(self) -> None:
        self.back_action.setEnabled(self.history.can_go_back())
        self.forward_action.setEnabled(self.history.can_go_forward())

    # -- saving -------------------------------------------------------------------------

    def save_position(self) -> None:
        """Store the reading position now."""
        if self.work_id is not None:
            self.store.save_position(self.work_id, self.chapter_id, self.reader.scroll_fraction())

    def closeEvent(self, event: QCloseEvent) -> None:
        self._save_timer.stop()
        self.save_position()
        self.glossary.save_notes()
        self.reader.blockSignals(True)  # nothing more to save once closed
        for pane in (self.glossary, self.oob):
            pane.set_work(None, None)  # the store may close after the window
        self._save_timer.stop()
        if self._import is not None:
            self._import[0].cancel()
            QThreadPool.globalInstance().waitForDone(10000)
        state = (
            self._focus_state if self._focus_state is not None else self.saveState(LAYOUT_VERSION)
        )
        self.settings.save_window(self.saveGeometry(), state)
        super().closeEvent(event)
