"""The Export Glossary as PDF dialog: choose a file, export on a worker thread, cancel, errors."""

from __future__ import annotations

import threading

import pypdf
import pytest

from companion.resources import sample_serial
from companion.store.importer import import_files
from companion.store.library import Store
from companion.ui import export_dialog
from companion.ui.export_dialog import ExportGlossaryDialog, export_glossary_pdf_dialog
from companion.ui.qt import QApplication

pytestmark = pytest.mark.gui


@pytest.fixture
def store(db_path):
    opened = Store(db_path)
    yield opened
    opened.close()


@pytest.fixture
def work(store) -> int:
    return import_files(store, sample_serial()).work_id


@pytest.fixture
def dialog(qtbot, store, work, tmp_path, monkeypatch):
    monkeypatch.setattr(ExportGlossaryDialog, "ask_path", lambda self: str(tmp_path / "out"))
    opened = export_glossary_pdf_dialog(None, store, work, 3)
    qtbot.addWidget(opened)
    yield opened
    opened.close()


def test_exports_the_chosen_file_off_the_ui_thread(qtbot, dialog, tmp_path, monkeypatch):
    dialog.choose_button.click()
    assert dialog.path_edit.text() == str(tmp_path / "out.pdf")
    dialog.notes_box.setChecked(True)
    dialog.page_size.setCurrentText("Letter")
    seen_threads = []
    real = export_dialog.export_glossary_pdf

    def spy(*args, **kwargs):
        seen_threads.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(export_dialog, "export_glossary_pdf", spy)
    with qtbot.waitSignal(dialog.exported, timeout=30_000) as blocker:
        dialog.export_button.click()
        assert not dialog.export_button.isEnabled()
    outcome = blocker.args[0]
    assert seen_threads == [False]
    assert outcome.result is not None and outcome.result.pages >= 2
    reader = pypdf.PdfReader(tmp_path / "out.pdf")
    assert round(float(reader.pages[0].mediabox.width)) == 612
    assert "1st Federal Observer Brigade" not in " ".join(p.extract_text() for p in reader.pages)
    assert dialog.status.text().startswith("Wrote out.pdf:")
    assert dialog.export_button.isEnabled() and dialog.progress is None


def test_cancel_in_the_progress_dialog_leaves_no_file(qtbot, dialog, tmp_path, monkeypatch):
    gate = threading.Event()
    real = export_dialog.export_glossary_pdf

    def gated(*args, **kwargs):  # hold the worker until the reader has pressed Cancel
        gate.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(export_dialog, "export_glossary_pdf", gated)
    dialog.choose_button.click()
    with qtbot.waitSignal(dialog.exported, timeout=30_000) as blocker:
        dialog.export_button.click()
        dialog.progress.canceled.emit()  # what the dialog's Cancel button sends
        gate.set()
    assert blocker.args[0].cancelled
    assert dialog.status.text() == "Export cancelled; nothing was written."
    assert list(tmp_path.glob("out.pdf*")) == [] and list(tmp_path.glob(".out.pdf*")) == []


def test_an_unwritable_path_is_reported_in_the_dialog(qtbot, dialog, tmp_path):
    dialog.path_edit.setText(str(tmp_path / "missing" / "out.pdf"))
    with qtbot.waitSignal(dialog.exported, timeout=30_000) as blocker:
        dialog.export_button.click()
    assert blocker.args[0].error is not None
    assert "cannot be written" in dialog.status.text()
    QApplication.processEvents()
