"""Getting things in and out of the window, from the File menu: importing works (in the
background), the recent works, exporting and importing notes, and the glossary as PDF."""

from __future__ import annotations

from pathlib import Path

from companion.core.files import write_atomically
from companion.core.textfile import InputError
from companion.store.importer import import_files
from companion.store.notes import NotesError, export_json, export_markdown, import_json, marks
from companion.ui.export_dialog import export_glossary_pdf_dialog
from companion.ui.import_worker import ImportJob, ImportOutcome
from companion.ui.qt import QAction, QFileDialog, QKeySequence, QMenu, QMessageBox, QProgressDialog


class FilesMixin:
    """Importing and exporting for ``MainWindow``, which gives ``store``, ``settings``,
    ``work_id``, ``_import``, ``open_work``, ``marks_changed``, ``scope`` and the
    ``importFinished`` signal."""

    def _build_file_actions(self, file_menu: QMenu) -> None:
        """File menu entries for importing, the recent works and exporting (the window adds
        Quit)."""
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
            self.open_work(result.work_id, first, panes_later=True)
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
