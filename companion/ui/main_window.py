"""The main window: the chapter, its chapter list, glossary, order of battle and notes,
navigation, spoiler scope, highlights and bookmarks, and the reading position."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from companion import __version__
from companion.core.files import write_atomically
from companion.core.textfile import InputError
from companion.store.glossary import glossary
from companion.store.importer import import_files
from companion.store.library import Store
from companion.store.names import chapter_mentions
from companion.store.names import entity_id as find_entity_id
from companion.store.notes import (
    COLORS,
    Mark,
    NotesError,
    add_bookmark,
    add_highlight,
    bookmark_label,
    export_json,
    export_markdown,
    get_mark,
    import_json,
    marks,
)
from companion.store.search import query_spans
from companion.ui.export_dialog import export_glossary_pdf_dialog
from companion.ui.glossary import GlossaryPane
from companion.ui.history import History, Place
from companion.ui.import_worker import ImportJob, ImportOutcome
from companion.ui.library import LibraryPane
from companion.ui.models import ChapterListModel
from companion.ui.notes import (
    AddMark,
    DeleteMark,
    EditMark,
    NotesPane,
    colour_icon,
)
from companion.ui.oob import OobPane
from companion.ui.qt import (
    LEFT_DOCK,
    RIGHT_DOCK,
    USER_ROLE,
    QAction,
    QActionGroup,
    QApplication,
    QCloseEvent,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QEvent,
    QFileDialog,
    QFont,
    QFontDialog,
    QFontInfo,
    QGuiApplication,
    QInputDialog,
    QKeySequence,
    QLabel,
    QListView,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPoint,
    QProgressDialog,
    QStyle,
    Qt,
    QThreadPool,
    QTimer,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
    QUndoStack,
    QVBoxLayout,
    QWidget,
    Signal,
)
from companion.ui.reader import ReaderView
from companion.ui.render import entity_card, footnote_links, name_links
from companion.ui.search import FindBar, SearchPane
from companion.ui.settings import SPACINGS, THEMES, WIDTHS, Settings
from companion.ui.themes import apply_theme, tinted

SAVE_POSITION_DELAY_MS = 400
FONT_SIZES = (6.0, 40.0)  # smallest and largest point size of the chapter text
SPACING_NAMES = dict(zip(SPACINGS, ("&Compact", "&Normal", "&Relaxed"), strict=True))
FULL_SCREEN = Qt.WindowState.WindowFullScreen


def keys(standard: QKeySequence.StandardKey, *extra: str) -> list[QKeySequence]:
    """The platform's keys for a standard action (those typed with a modifier, and function
    keys), then ``extra`` ones it lacks."""
    found = [k for k in QKeySequence.keyBindings(standard) if _typed(k)]
    return found + [QKeySequence(k) for k in extra if QKeySequence(k) not in found]


def _typed(sequence: QKeySequence) -> bool:
    """Whether a key sequence is typed with a modifier or is a function key (not a special
    key such as Find or Back that few keyboards have, nor a bare Backspace)."""
    combination = sequence[0]
    key = combination.key()
    function_key = Qt.Key.Key_F1.value <= key.value <= Qt.Key.Key_F35.value
    return combination.keyboardModifiers() != Qt.KeyboardModifier.NoModifier or function_key


def entity_of(href: str) -> int | None:
    """The entity id of a name link ``ent:ID@START``."""
    if not href.startswith("ent:"):
        return None
    ident = href[4:].split("@", 1)[0]
    return int(ident) if ident.isdigit() else None


class MainWindow(QMainWindow):
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
        if state is not None:
            self.restoreState(state)
        else:  # first run: the order of battle needs more room than the chapter list
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
        self.import_action = QAction("&Import Chapters…", self)
        self.import_action.setShortcut(QKeySequence.StandardKey.Open)
        self.import_action.triggered.connect(self.choose_files)
        file_menu.addAction(self.import_action)
        self.import_folder_action = QAction("Import &Folder…", self)
        self.import_folder_action.triggered.connect(self.choose_folder)
        file_menu.addAction(self.import_folder_action)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        self.export_notes_action = QAction("&Export Notes…", self)
        self.export_notes_action.triggered.connect(self.choose_export_file)
        self.import_notes_action = QAction("Import &Notes…", self)
        self.import_notes_action.triggered.connect(self.choose_notes_file)
        file_menu.addAction(self.export_notes_action)
        file_menu.addAction(self.import_notes_action)
        self.export_pdf_action = QAction("Export &Glossary as PDF…", self)
        self.export_pdf_action.triggered.connect(self.export_glossary_pdf)
        file_menu.addAction(self.export_pdf_action)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        quit_action.setShortcuts(keys(QKeySequence.StandardKey.Quit, "Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        edit_menu = self.menuBar().addMenu("&Edit")
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
        for action in (
            self.undo_action,
            self.redo_action,
            None,
            self.highlight_action,
            self.highlight_note_action,
            self.bookmark_action,
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
        for action in (
            self.back_action,
            self.forward_action,
            None,
            self.prev_action,
            self.next_action,
        ):
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
        self.shortcuts_action = QAction("&Keyboard Shortcuts", self)
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        self.about_action = QAction("&About Companion", self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction(self.about_action)

        style = self.style()
        toolbar = self.toolbar = QToolBar("Navigation", self)
        toolbar.setObjectName("navigationToolbar")
        toolbar.setAccessibleName("Navigation")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action in (
            self.back_action,
            self.forward_action,
            None,
            self.prev_action,
            self.next_action,
            None,
            self.spoilers_action,
        ):
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

    def _build_look_actions(self, menu: QMenu) -> None:
        """View menu entries for how the chapter reads: font, size, measure, spacing, theme,
        full screen and focus mode."""
        self.font_action = QAction("Reading &Font…", self)
        self.font_action.triggered.connect(self.choose_font)
        self.zoom_in_action = QAction("&Larger Text", self)
        self.zoom_in_action.setShortcuts(keys(QKeySequence.StandardKey.ZoomIn, "Ctrl+="))
        self.zoom_in_action.triggered.connect(lambda: self.zoom(1))
        self.zoom_out_action = QAction("&Smaller Text", self)
        self.zoom_out_action.setShortcuts(keys(QKeySequence.StandardKey.ZoomOut))
        self.zoom_out_action.triggered.connect(lambda: self.zoom(-1))
        self.zoom_reset_action = QAction("&Default Text Size", self)
        self.zoom_reset_action.setShortcut(QKeySequence("Ctrl+0"))
        self.zoom_reset_action.triggered.connect(lambda: self.set_look(size=0.0))
        for action in (
            self.font_action,
            self.zoom_in_action,
            self.zoom_out_action,
            self.zoom_reset_action,
        ):
            menu.addAction(action)
        self.width_actions = self._choice_menu(
            menu, "Line &Width", {w: "&" + w.capitalize() for w in WIDTHS}, self.look.width,
            lambda width: self.set_look(width=width),
        )
        self.spacing_actions = self._choice_menu(
            menu, "Line &Spacing", SPACING_NAMES, self.look.spacing,
            lambda spacing: self.set_look(spacing=spacing),
        )
        self.theme_actions = self._choice_menu(
            menu, "&Theme", {t: "&" + t.capitalize() for t in THEMES}, self.settings.theme(),
            self.set_theme,
        )
        menu.addSeparator()
        self.full_screen_action = QAction("F&ull Screen", self, checkable=True)
        self.full_screen_action.setShortcuts(keys(QKeySequence.StandardKey.FullScreen, "F11"))
        self.full_screen_action.toggled.connect(self.set_full_screen)
        self.focus_action = QAction("F&ocus Mode", self, checkable=True)
        self.focus_action.setShortcut(QKeySequence("Ctrl+Shift+M"))
        self.focus_action.setToolTip("Only the chapter: hide the panes and the toolbar (Esc)")
        self.focus_action.toggled.connect(self.set_focus_mode)
        menu.addAction(self.full_screen_action)
        menu.addAction(self.focus_action)

    def _choice_menu(self, menu: QMenu, title: str, names: dict, current, choose) -> dict:
        """A submenu of exclusive choices; ``choose(value)`` runs on a pick. Returns the
        actions by value."""
        submenu = menu.addMenu(title)
        group = QActionGroup(submenu)
        actions = {}
        for value, name in names.items():
            action = submenu.addAction(name)
            action.setCheckable(True)
            action.setChecked(value == current)
            action.setActionGroup(group)
            action.triggered.connect(lambda _checked=False, v=value: choose(v))
            actions[value] = action
        return actions

    def _docks(self) -> list[QDockWidget]:
        return [
            self.chapters_dock,
            self.oob_dock,
            self.glossary_dock,
            self.notes_dock,
            self.search_dock,
        ]

    # -- opening ------------------------------------------------------------------------

    def open_work(self, work_id: int, chapter_id: int | None = None) -> None:
        """Show a work: the given chapter, else where the reader left it, else its first."""
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
        up_to = None if self.spoilers_action.isChecked() else number
        for pane in (self.glossary, self.oob):
            pane.set_work(self.store, work_id, up_to)
        self.notes.set_work(self.store, work_id)
        self.search.set_work(self.store, work_id, up_to)
        self.settings.add_recent_work(work_id)
        self.library.set_store(self.store, work_id)
        self.show_chapter(chapter_id, scroll)

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
        for pane in (self.glossary, self.oob):
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
            for pane in (self.glossary, self.oob):
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

    def refresh_names(self, _change=None) -> None:
        """The reader edited names: re-render the chapter's links and refresh the panes."""
        if self.chapter_id is None:
            return
        scroll = self.reader.scroll_fraction()
        chapter = self.reader.chapter
        links = footnote_links(chapter) + name_links(chapter_mentions(self.store, self.chapter_id))
        self.reader.set_chapter(chapter, links)
        self.reader.set_scroll_fraction(scroll)
        for pane in (self.glossary, self.oob):
            pane.refresh()
        self._highlight_selected()

    # -- highlights, notes and bookmarks -------------------------------------------------

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

    def _on_name_note_chosen(self, name: str) -> None:
        entity_id = find_entity_id(self.store, self.work_id, name) if self.work_id else None
        if entity_id is None:
            self.statusBar().showMessage(f"{name} is no longer a name of this work.", 4000)
        else:
            self._on_pane_chose(entity_id)

    def _update_mark_actions(self, _selected: bool = False) -> None:
        selected = self.reader.textCursor().hasSelection()
        self.highlight_action.setEnabled(selected)
        self.highlight_note_action.setEnabled(selected)

    def _fill_reader_menu(self, menu: QMenu, mark: Mark | None) -> None:
        """Put the highlight entries at the top of the reader's context menu."""
        entries: list[QAction] = []
        if self.reader.selected_span() is not None:
            colours = self._colour_menu("Highlight", menu, None, self.highlight_selection)
            entries += [colours.menuAction(), self.highlight_note_action]
        if mark is not None:
            entries += self._mark_actions(menu, mark)
        entries.append(self.bookmark_action)
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

    def _ask_text(self, title: str, label: str, text: str, multiline: bool = False) -> str | None:
        """Ask the reader for a text; None if they cancel."""
        if multiline:
            answer, ok = QInputDialog.getMultiLineText(self, title, label, text)
        else:
            answer, ok = QInputDialog.getText(self, title, label, text=text)
        return answer if ok else None

    # -- exporting and importing notes ------------------------------------------------------

    def choose_export_file(self) -> None:
        """Ask where to export the work's notes: Markdown or JSON by the file's extension."""
        if self.work_id is None:
            return
        name, chosen = QFileDialog.getSaveFileName(
            self, "Export Notes", "notes.md", "Markdown (*.md);;JSON (*.json)"
        )
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() not in (".md", ".json"):
            path = path.with_name(path.name + (".json" if "json" in chosen.lower() else ".md"))
        self.export_notes(path)

    def export_notes(self, path: Path) -> bool:
        """Write the work's notes to ``path`` (JSON for a .json file, else Markdown), whole or
        not at all."""
        if self.work_id is None:
            return False
        as_json = path.suffix.lower() == ".json"
        text = (export_json if as_json else export_markdown)(self.store, self.work_id)
        try:
            write_atomically(path, text)
        except OSError as exc:
            QMessageBox.warning(self, "Cannot export notes", f"{path}: {exc.strerror or exc}")
            return False
        count = len(marks(self.store, self.work_id))
        self.statusBar().showMessage(f"Exported {count} notes and bookmarks to {path}", 8000)
        return True

    def choose_notes_file(self) -> None:
        """Ask for a notes file (JSON, from File → Export Notes or the CLI) and import it."""
        name, _ = QFileDialog.getOpenFileName(
            self, "Import Notes", "", "Companion notes (*.json);;All files (*)"
        )
        if name:
            self.import_notes(Path(name))

    def import_notes(self, path: Path) -> bool:
        """Add the notes of an export that the work does not have yet; a bad file gets a
        dialog and changes nothing."""
        if self.work_id is None:
            return False
        try:
            counts = import_json(self.store, self.work_id, path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, NotesError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            QMessageBox.warning(
                self, "Cannot import notes", f"{path.name}: {reason}\n\nNothing was changed."
            )
            return False
        self.marks_changed()
        self.glossary.refresh()
        self.statusBar().showMessage(
            f"Imported {counts.added} notes and bookmarks ({counts.already_there} already here),"
            f" {counts.name_notes} name notes",
            8000,
        )
        return True

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

    # -- reading comfort -------------------------------------------------------------------

    def set_look(self, **changes) -> None:
        """Change how the chapter text is set (family, size, width, spacing); remembered."""
        self.look = replace(self.look, **changes)
        self.settings.save_look(self.look)
        self._apply_look()

    def _apply_look(self) -> None:
        font = QFont(self.reader.font())
        if self.look.family:
            font.setFamily(self.look.family)
        if self.look.size > 0:
            font.setPointSizeF(self.look.size)
        self.reader.set_look(font, self.look.width, self.look.spacing)
        self.width_actions[self.look.width].setChecked(True)
        self.spacing_actions[self.look.spacing].setChecked(True)

    def text_size(self) -> float:
        """The chapter text's point size now."""
        return self.look.size or QFontInfo(self.reader.font()).pointSizeF()

    def zoom(self, step: int) -> None:
        """Make the chapter text ``step`` points larger (or smaller)."""
        low, high = FONT_SIZES
        self.set_look(size=min(high, max(low, self.text_size() + step)))

    def choose_font(self) -> None:
        """Ask for the chapter text's font and size."""
        font = QFont(self.reader.font())
        font.setFamily(self.look.family or font.family())
        font.setPointSizeF(self.text_size())
        ok, chosen = QFontDialog.getFont(font, self, "Reading Font")
        if ok:
            self.set_look(family=chosen.family(), size=chosen.pointSizeF())

    def set_theme(self, theme: str) -> None:
        """Show the app in a theme ("system", "light", "dark" or "sepia"); remembered."""
        self.settings.set_theme(theme)
        self.theme_actions[theme].setChecked(True)
        apply_theme(QApplication.instance(), theme)

    def _on_color_scheme(self, _scheme) -> None:
        if self.settings.theme() == "system":
            self.set_theme("system")

    def set_full_screen(self, on: bool) -> None:
        """Fill the screen with the window (F11), or not; remembered."""
        state = self.windowState()
        self.setWindowState(state | FULL_SCREEN if on else state & ~FULL_SCREEN)
        self.settings.set_full_screen(on)

    def set_focus_mode(self, on: bool) -> None:
        """Only the chapter (the panes and toolbar hidden), or everything back as it was."""
        if on == (self._focus_state is not None):
            return
        if on:
            self._focus_state = self.saveState()
            for widget in [*self._docks(), self.toolbar]:
                widget.hide()
        else:
            state, self._focus_state = self._focus_state, None
            self.restoreState(state)
        self.focus_action.setChecked(on)
        self.settings.set_focus_mode(on)

    def showEvent(self, event) -> None:
        if self._full_screen_pending:  # here, as a resize before the first show undoes it
            self._full_screen_pending = False
            self.setWindowState(self.windowState() | FULL_SCREEN)
        super().showEvent(event)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.WindowStateChange:
            self.full_screen_action.setChecked(self.isFullScreen())
        elif event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._set_icons()

    def keyPressEvent(self, event) -> None:
        """Esc closes the find bar, then leaves focus mode, then full screen."""
        if event.key() == Qt.Key.Key_Escape:
            if self.find_bar.isVisible():
                self.find_bar.close_bar()
            elif self._focus_state is not None:
                self.set_focus_mode(False)
            elif self.isFullScreen():
                self.set_full_screen(False)
            else:
                super().keyPressEvent(event)
            return
        super().keyPressEvent(event)

    # -- help and recent works ---------------------------------------------------------------

    def shortcut_list(self) -> list[tuple[str, str, str]]:
        """(menu, command, keys) of every menu entry that has a shortcut, in menu order."""
        rows: list[tuple[str, str, str]] = []

        def walk(menu: QMenu, path: str) -> None:
            for action in menu.actions():
                if action.menu() is not None:
                    walk(action.menu(), f"{path} › {_plain(action.text())}")
                elif action.shortcuts():
                    text = ", ".join(
                        k.toString(QKeySequence.SequenceFormat.NativeText)
                        for k in action.shortcuts()
                    )
                    rows.append((path, _plain(action.text()), text))

        for action in self.menuBar().actions():
            if action.menu() is not None:
                walk(action.menu(), _plain(action.text()))
        return rows

    def show_shortcuts(self) -> QDialog:
        """Help → Keyboard Shortcuts: every command with a shortcut, by menu."""
        dialog = QDialog(self)
        dialog.setObjectName("shortcutsDialog")
        dialog.setWindowTitle("Keyboard Shortcuts")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        tree = QTreeWidget()
        tree.setObjectName("shortcutsList")
        tree.setAccessibleName("Keyboard shortcuts")
        tree.setHeaderLabels(["Command", "Shortcut"])
        tree.setRootIsDecorated(False)
        groups: dict[str, QTreeWidgetItem] = {}
        for menu, command, shortcut in self.shortcut_list():
            if menu not in groups:
                groups[menu] = QTreeWidgetItem(tree, [menu])
                font = groups[menu].font(0)
                font.setBold(True)
                groups[menu].setFont(0, font)
                groups[menu].setFirstColumnSpanned(True)
            QTreeWidgetItem(groups[menu], [command, shortcut])
        tree.expandAll()
        tree.resizeColumnToContents(0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.close)
        layout = QVBoxLayout(dialog)
        layout.addWidget(tree)
        layout.addWidget(buttons)
        dialog.resize(520, 560)
        dialog.show()
        return dialog

    def show_about(self) -> QMessageBox:
        """Help → About Companion: what it is, its version and licence."""
        box = QMessageBox(self)
        box.setObjectName("aboutBox")
        box.setWindowTitle("About Companion")
        box.setIconPixmap(QApplication.windowIcon().pixmap(64, 64))
        box.setText(f"<b>Companion {__version__}</b>")
        box.setInformativeText(
            "A reading companion for long serialized military fiction: footnotes in place, "
            "and every unit, corps and nation kept track of.<br><br>Licence: MIT"
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    def _fill_recent_menu(self) -> None:
        """File → Open Recent: the works opened last that the library still has."""
        self.recent_menu.clear()
        titles = {w.id: w.title for w in self.store.works()}
        recent = [i for i in self.settings.recent_works() if i in titles]
        for n, work_id in enumerate(recent, 1):
            action = self.recent_menu.addAction(f"&{n} {titles[work_id].replace('&', '&&')}")
            action.setData(work_id)
            action.triggered.connect(lambda _checked=False, w=work_id: self.open_work(w))
        if not recent:
            self.recent_menu.addAction("No Recent Works").setEnabled(False)
        self.recent_menu.addSeparator()
        clear = self.recent_menu.addAction("&Clear Menu")
        clear.setEnabled(bool(recent))
        clear.triggered.connect(self.settings.clear_recent_works)

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

    # -- importing ----------------------------------------------------------------------

    def choose_files(self) -> None:
        """Ask for an EPUB, HTML or text chapters and import them as one work, in the
        background."""
        names, _ = QFileDialog.getOpenFileNames(
            self,
            "Import a Work",
            "",
            "Books and chapters (*.epub *.html *.htm *.xhtml *.txt);;All files (*)",
        )
        if names:
            self.import_in_background([Path(n) for n in names])

    def choose_folder(self) -> None:
        """Ask for a folder of chapter files and import it as one work, in the background."""
        folder = QFileDialog.getExistingDirectory(self, "Import a Folder of Chapters")
        if folder:
            self.import_in_background([Path(folder)])

    def import_in_background(self, paths: list[Path]) -> ImportJob:
        """Import on a worker thread with a progress dialog and Cancel; the work opens when
        done. ``importFinished`` carries the outcome."""
        progress = QProgressDialog("Importing…", "Cancel", 0, 0, self)
        progress.setWindowTitle("Importing")
        progress.setMinimumDuration(300)
        progress.setAutoClose(False)
        job = ImportJob(self.store.path, paths, self)
        job.progress.connect(progress.setLabelText)
        progress.canceled.connect(job.cancel)
        job.finished.connect(self._import_done)
        self._import = (job, progress)
        job.start()
        return job

    def _import_done(self, outcome: ImportOutcome) -> None:
        job, progress = self._import
        self._import = None
        progress.reset()
        progress.deleteLater()
        job.deleteLater()
        if outcome.error:
            QMessageBox.warning(self, "Cannot import", outcome.error + "\n\nNothing was changed.")
        elif outcome.cancelled:
            self.statusBar().showMessage("Import cancelled; nothing was changed.", 6000)
        else:
            result = outcome.result
            first = (result.added + result.updated + result.unchanged or [None])[0]
            self.open_work(result.work_id, first)
            self.statusBar().showMessage(
                f"Imported: {len(result.added)} chapters added, {len(result.updated)} updated",
                8000,
            )
        self.importFinished.emit(outcome)

    def import_paths(self, paths: list[Path]) -> bool:
        """Import files and open the work; a bad file gets a dialog and changes nothing."""
        try:
            result = import_files(self.store, paths)
        except InputError as exc:
            QMessageBox.warning(self, "Cannot import", str(exc))
            return False
        first = (result.added + result.updated + result.unchanged or [None])[0]
        self.open_work(result.work_id, first)
        return True

    def export_glossary_pdf(self):
        """File → Export Glossary as PDF…: the glossary as far as the panes show it."""
        if self.work_id is None:
            return None
        return export_glossary_pdf_dialog(self, self.store, self.work_id, self.scope())

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
        state = self._focus_state if self._focus_state is not None else self.saveState()
        self.settings.save_window(self.saveGeometry(), state)
        super().closeEvent(event)


def _plain(text: str) -> str:
    """A menu text without its mnemonic marks."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")
