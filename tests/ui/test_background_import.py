"""Importing from the window: on a worker thread with progress, the library pane and the
chapter list's new and read flags follow."""

from __future__ import annotations

import pytest

from companion.resources import sample_serial

pytestmark = pytest.mark.gui


def test_import_in_background_opens_the_work(qtbot, make_window):
    window = make_window()
    with qtbot.waitSignal(window.importFinished, timeout=30000) as done:
        window.import_in_background(sample_serial()[:2])
    assert done.args[0].result is not None
    assert window.chapter_model.rowCount() == 2  # the chapter first; the panes on the next turn
    qtbot.waitUntil(lambda: window.library.model.rowCount() == 1)
    assert window.glossary.model.rowCount() > 0
    assert "0/2 chapters read" in window.library.model.index(0).data()


def test_a_bad_file_in_the_background_shows_a_dialog(qtbot, make_window, tmp_path, monkeypatch):
    from companion.ui.qt import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    bad = tmp_path / "bad.epub"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    window = make_window()
    with qtbot.waitSignal(window.importFinished, timeout=30000) as done:
        window.import_in_background([bad])
    assert done.args[0].error and shown and "Nothing was changed" in shown[0]
    assert window.store.works() == []


def test_update_marks_new_chapters_and_reading_marks_them_read(qtbot, make_window):
    window = make_window()
    window.import_paths(sample_serial()[:2])
    assert window.import_paths(sample_serial())
    chapters = window.store.chapters(window.work_id)
    assert window.chapter_id == chapters[2].id  # the update opens on its first new chapter
    assert [c.new for c in chapters] == [False, False, False, True]
    assert window.chapter_model.index(3).data().endswith("• new")

    window.show_chapter(chapters[1].id)
    bar = window.reader.verticalScrollBar()
    bar.setValue(bar.maximum())
    window.next_action.trigger()  # read to the end, then on to chapter 3
    after = window.store.chapters(window.work_id)
    assert [c.read for c in after] == [False, True, False, False]
    assert after[3].new
    window.library.set_store(window.store, window.work_id)
    assert "1/4 chapters read" in window.library.model.index(0).data()


def test_panes_filled_after_an_import_follow_the_chapter_read_meanwhile(qtbot, make_window):
    window = make_window()
    with qtbot.waitSignal(window.importFinished, timeout=30000):
        window.import_in_background(sample_serial())
    chapters = window.store.chapters(window.work_id)
    window.show_chapter(chapters[1].id)  # before the panes have loaded
    qtbot.waitUntil(lambda: window.library.model.rowCount() == 1)
    qtbot.waitUntil(lambda: window.glossary.up_to == chapters[1].number)
    assert window.oob.model.up_to == chapters[1].number
