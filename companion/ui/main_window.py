"""The main window: the chapter pane, the chapter list, navigation and reading position."""

from __future__ import annotations

from pathlib import Path

from companion.core.textfile import InputError
from companion.store.importer import import_files
from companion.store.library import Store
from companion.store.names import chapter_mentions, entity_by_id
from companion.ui.models import ChapterListModel
from companion.ui.qt import (
    LEFT_DOCK,
    USER_ROLE,
    QAction,
    QCloseEvent,
    QDockWidget,
    QFileDialog,
    QKeySequence,
    QLabel,
    QListView,
    QMainWindow,
    QMessageBox,
    QTimer,
    QToolBar,
    Signal,
)
from companion.ui.reader import ReaderView
from companion.ui.render import footnote_links, name_links
from companion.ui.settings import Settings

SAVE_POSITION_DELAY_MS = 400


class MainWindow(QMainWindow):
    """Companion's window. Opens a work from the store and remembers where the reader is."""

    chapterShown = Signal(int)  # chapter id, once rendered and scrolled into place
    entitySelected = Signal(int)  # entity id, when the reader clicks a name

    def __init__(self, store: Store, settings: Settings):
        super().__init__()
        self.store = store
        self.settings = settings
        self.work_id: int | None = None
        self.chapter_id: int | None = None
        self.setWindowTitle("Companion")
        self.setObjectName("mainWindow")

        self.reader = ReaderView(self)
        self.setCentralWidget(self.reader)

        self.chapter_model = ChapterListModel(self)
        self.chapter_list = QListView()
        self.chapter_list.setObjectName("chapterList")
        self.chapter_list.setAccessibleName("Chapters")
        self.chapter_list.setModel(self.chapter_model)
        self.chapter_list.setUniformItemSizes(True)
        self.chapter_list.activated.connect(self._on_chapter_activated)
        self.chapter_list.clicked.connect(self._on_chapter_activated)
        dock = QDockWidget("Chapters", self)
        dock.setObjectName("chaptersDock")
        dock.setWidget(self.chapter_list)
        self.addDockWidget(LEFT_DOCK, dock)
        self.chapters_dock = dock

        self._save_timer = QTimer(self, singleShot=True, interval=SAVE_POSITION_DELAY_MS)
        self._save_timer.timeout.connect(self.save_position)
        self.reader.scrolled.connect(lambda _fraction: self._save_timer.start())
        self.reader.entityActivated.connect(self._on_name_clicked)
        self.selected_entity: int | None = None

        self._build_actions(dock)
        self.position_label = QLabel()
        self.statusBar().addPermanentWidget(self.position_label)
        self.resize(1180, 800)
        geometry, state = settings.window_geometry(), settings.window_state()
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)

    def _build_actions(self, dock: QDockWidget) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.import_action = QAction("&Import Chapters…", self)
        self.import_action.setShortcut(QKeySequence.StandardKey.Open)
        self.import_action.triggered.connect(self.choose_files)
        file_menu.addAction(self.import_action)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        go_menu = self.menuBar().addMenu("&Go")
        self.prev_action = QAction("&Previous Chapter", self)
        self.prev_action.setShortcuts([QKeySequence("Ctrl+PgUp"), QKeySequence("[")])
        self.prev_action.triggered.connect(lambda: self.step_chapter(-1))
        self.next_action = QAction("&Next Chapter", self)
        self.next_action.setShortcuts([QKeySequence("Ctrl+PgDown"), QKeySequence("]")])
        self.next_action.triggered.connect(lambda: self.step_chapter(1))
        go_menu.addAction(self.prev_action)
        go_menu.addAction(self.next_action)

        view_menu = self.menuBar().addMenu("&View")
        view_menu.addAction(dock.toggleViewAction())

        toolbar = QToolBar("Navigation", self)
        toolbar.setObjectName("navigationToolbar")
        toolbar.setMovable(False)
        toolbar.addAction(self.prev_action)
        toolbar.addAction(self.next_action)
        self.addToolBar(toolbar)

    # -- opening ------------------------------------------------------------------------

    def open_work(self, work_id: int, chapter_id: int | None = None) -> None:
        """Show a work: the given chapter, else where the reader left it, else its first."""
        chapters = self.store.chapters(work_id)
        if not chapters:
            return
        self.work_id = work_id
        self.chapter_model.set_chapters(chapters)
        scroll = 0.0
        if chapter_id is None:
            position = self.store.position(work_id)
            if position is not None and position.chapter_id is not None:
                chapter_id, scroll = position.chapter_id, position.scroll
        if chapter_id is None or self.chapter_model.row_of(chapter_id) is None:
            chapter_id, scroll = chapters[0].id, 0.0
        self.show_chapter(chapter_id, scroll)

    def show_chapter(self, chapter_id: int, scroll: float = 0.0) -> None:
        """Render a chapter of the open work and scroll to ``scroll`` (0..1)."""
        chapter = self.store.load_chapter(chapter_id)
        self.chapter_id = chapter_id
        links = footnote_links(chapter) + name_links(chapter_mentions(self.store, chapter_id))
        self.reader.set_chapter(chapter, links)
        self.reader.set_scroll_fraction(scroll)
        row = self.chapter_model.row_of(chapter_id)
        if row is not None:
            self.chapter_list.setCurrentIndex(self.chapter_model.index(row))
            total = self.chapter_model.rowCount()
            self.position_label.setText(f"Chapter {row + 1} of {total}")
            self.prev_action.setEnabled(row > 0)
            self.next_action.setEnabled(row < total - 1)
        story = chapter.story or "Companion"
        self.setWindowTitle(f"{chapter.title} — {story}")
        if chapter.warnings:
            self.statusBar().showMessage("; ".join(chapter.warnings), 8000)
        self.save_position()
        self.chapterShown.emit(chapter_id)

    def _on_name_clicked(self, href: str) -> None:
        if not href.startswith("ent:") or self.work_id is None:
            return
        entity = entity_by_id(self.store, int(href[4:]))
        if entity is None:
            return
        self.selected_entity = int(href[4:])
        facts = [entity.kind, entity.echelon, entity.parent and f"of {entity.parent}"]
        facts.append(entity.side and f"side: {entity.side}")
        self.statusBar().showMessage(f"{entity.name} — " + ", ".join(f for f in facts if f))
        self.entitySelected.emit(self.selected_entity)

    def step_chapter(self, step: int) -> None:
        """Go to the previous (-1) or next (+1) chapter."""
        row = self.chapter_model.row_of(self.chapter_id) if self.chapter_id is not None else None
        target = self.chapter_model.chapter_at((row or 0) + step) if row is not None else None
        if target is not None:
            self.show_chapter(target.id)

    def _on_chapter_activated(self, index) -> None:
        chapter_id = index.data(USER_ROLE)
        if chapter_id is not None and chapter_id != self.chapter_id:
            self.show_chapter(chapter_id)

    # -- importing ----------------------------------------------------------------------

    def choose_files(self) -> None:
        """Ask for chapter files and import them as one work."""
        names, _ = QFileDialog.getOpenFileNames(
            self, "Import Chapters", "", "Text chapters (*.txt);;All files (*)"
        )
        if names:
            self.import_paths([Path(n) for n in names])

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

    # -- saving -------------------------------------------------------------------------

    def save_position(self) -> None:
        """Store the reading position now."""
        if self.work_id is not None:
            self.store.save_position(self.work_id, self.chapter_id, self.reader.scroll_fraction())

    def closeEvent(self, event: QCloseEvent) -> None:
        self._save_timer.stop()
        self.save_position()
        self.settings.save_window(self.saveGeometry(), self.saveState())
        super().closeEvent(event)
