"""File → Export Glossary as PDF…: where to save, with or without notes, which page size; the
export runs on a worker thread behind a progress dialog that can cancel it, and the dialog
says what was written (and which names no installed font could show)."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path

# Not (yet) in companion.ui.qt: the dialog's own widgets and the worker thread.
from PySide6.QtCore import QThread
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QProgressDialog,
    QPushButton,
)

from companion.export.content import KINDS, ExportError, collect
from companion.export.pdf import ExportCancelled, ExportResult, export_glossary_pdf
from companion.store.library import Store
from companion.ui.qt import (
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QObject,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)


@dataclass(frozen=True)
class ExportOutcome:
    """How an export ended: a result, an error message, or cancelled."""

    path: Path
    result: ExportResult | None = None
    error: str | None = None
    cancelled: bool = False

    def message(self) -> str:
        """One or two sentences for the reader."""
        if self.cancelled:
            return "Export cancelled; nothing was written."
        if self.result is None:
            return f"Could not export: {self.error}"
        r = self.result
        pages = "1 page" if r.pages == 1 else f"{r.pages} pages"
        text = f"Wrote {r.path.name}: {pages}, {r.entries} names."
        if r.unshown:
            text += (
                f"\nNo installed font can show {len(r.unshown)} name(s); they print as boxes: "
                + ", ".join(r.unshown)
            )
        return text


class _Worker(QObject):
    """Runs one export on the worker thread; the progress callback emits a signal."""

    progress = Signal(int, int)
    done = Signal(object)  # ExportOutcome

    def __init__(self, content, path: Path, page_size: str, cancel: threading.Event):
        super().__init__()
        self.content, self.path, self.page_size, self.cancel = content, path, page_size, cancel

    def run(self) -> None:
        try:
            result = export_glossary_pdf(
                self.content, self.path, self.page_size, self.progress.emit, self.cancel.is_set
            )
        except ExportCancelled:
            self.done.emit(ExportOutcome(self.path, cancelled=True))
        except ExportError as exc:
            self.done.emit(ExportOutcome(self.path, error=str(exc)))
        except Exception as exc:  # a bug must not leave the dialog waiting forever
            self.done.emit(ExportOutcome(self.path, error=f"the export failed ({exc})"))
        else:
            self.done.emit(ExportOutcome(self.path, result))


class ExportGlossaryDialog(QDialog):
    """Options for the PDF and the export itself; `exported` tells how it ended."""

    exported = Signal(object)  # ExportOutcome

    def __init__(
        self, parent: QWidget | None, store: Store, work_id: int, up_to: int | None
    ):
        super().__init__(parent)
        self.store, self.work_id, self.up_to = store, work_id, up_to
        self.setWindowTitle("Export Glossary as PDF")
        title = next((w.title for w in store.works() if w.id == work_id), "glossary")
        safe = re.sub(r'[\\/:*?"<>|]+', " ", title).strip() or "glossary"
        self.path_edit = QLineEdit(str(Path.home() / f"{safe} — glossary.pdf"))
        self.choose_button = QPushButton("Choose…")
        self.choose_button.clicked.connect(self._choose)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.choose_button)
        self.notes_box = QCheckBox("Include my highlights and notes")
        self.page_size = QComboBox()
        self.page_size.addItems(["A4", "Letter"])
        scope = f"chapters up to {up_to} (spoiler-safe)" if up_to is not None else "all chapters"
        form = QFormLayout()
        form.addRow("Save as:", row)
        form.addRow("Covers:", QLabel(scope))
        form.addRow("", self.notes_box)
        form.addRow("Page size:", self.page_size)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = self.buttons.addButton(
            "Export", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.progress: QProgressDialog | None = None
        self._thread: QThread | None = None
        self._worker: _Worker | None = None
        self._cancel = threading.Event()

    def ask_path(self) -> str:
        """The file to write, from a save dialog ("" when the reader cancels it)."""
        path, _ = QFileDialog.getSaveFileName(
            self, "Export Glossary as PDF", self.path_edit.text(), "PDF files (*.pdf)"
        )
        return path

    def _choose(self) -> None:
        path = self.ask_path()
        if path:
            if not path.lower().endswith(".pdf"):
                path += ".pdf"
            self.path_edit.setText(path)

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        """Read the glossary and start writing the PDF on a worker thread."""
        if self.running:
            return
        path = Path(self.path_edit.text().strip()).expanduser()
        if not self.path_edit.text().strip():
            self.status.setText("Choose where to save the PDF.")
            return
        try:
            content = collect(
                self.store, self.work_id, self.up_to, KINDS, self.notes_box.isChecked()
            )
        except ExportError as exc:
            self._finished(ExportOutcome(path, error=str(exc)))
            return
        self._cancel = threading.Event()
        self.export_button.setEnabled(False)
        self.status.setText("Exporting…")
        self.progress = QProgressDialog("Writing the glossary PDF…", "Cancel", 0, 100, self)
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.setMinimumDuration(300)
        self.progress.canceled.connect(self.cancel)
        self._thread = QThread(self)
        self._worker = _Worker(content, path, self.page_size.currentText(), self._cancel)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progress.connect(self._progress)
        self._worker.done.connect(self._finished)
        self._thread.start()

    def cancel(self) -> None:
        """Stop the export; the worker notices between lines and removes its temporary file."""
        self._cancel.set()

    def _progress(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress.setMaximum(total)
            self.progress.setValue(done)

    def _finished(self, outcome: ExportOutcome) -> None:
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
            self._thread.deleteLater()
            self._worker.deleteLater()
            self._thread = self._worker = None
        if self.progress is not None:
            self.progress.canceled.disconnect(self.cancel)
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        self.export_button.setEnabled(True)
        self.status.setText(outcome.message())
        self.exported.emit(outcome)

    def done(self, result: int) -> None:
        """Closing the dialog while it exports cancels the export and waits for it."""
        if self._thread is not None:
            self.cancel()
            self._thread.quit()
            self._thread.wait()
        super().done(result)


def export_glossary_pdf_dialog(
    parent: QWidget | None, store: Store, work_id: int, up_to: int | None
) -> ExportGlossaryDialog:
    """Open the export dialog (not blocking) for a work as of chapter ``up_to`` (None: all)."""
    dialog = ExportGlossaryDialog(parent, store, work_id, up_to)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, parent is not None)
    dialog.open()
    return dialog
