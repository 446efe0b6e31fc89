"""The reader window on real widgets: footnote popovers, navigation, position restore."""

from __future__ import annotations

import pytest

from companion.resources import sample_serial
from companion.store.importer import import_files
from companion.store.library import Store
from companion.ui.app import create_window
from companion.ui.qt import QPoint, Qt
from companion.ui.settings import Settings

pytestmark = pytest.mark.gui


def click_link(qtbot, reader, href):
    rect = reader.anchor_rect(href)
    assert rect is not None, f"no link {href} on screen"
    qtbot.mouseClick(reader.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def scroll_to_link(reader, href):
    cursor = reader.textCursor()
    block = reader.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            if it.fragment().charFormat().anchorHref() == href:
                cursor.setPosition(it.fragment().position())
                reader.setTextCursor(cursor)
                reader.ensureCursorVisible()
                return
            it += 1
        block = block.next()


def open_fixture(make_window, fixture_path):
    window = make_window()
    assert window.import_paths([fixture_path])
    return window


def test_clicking_a_marker_opens_its_note_and_esc_closes_it(
    qtbot, make_window, shared_fixtures, seed_key
):
    window = open_fixture(make_window, shared_fixtures / "seed-chapter-035.txt")
    reader = window.reader
    scroll_to_link(reader, "fn:2")
    before = reader.verticalScrollBar().value()
    with qtbot.waitSignal(reader.popover.shown, timeout=3000) as shown:
        click_link(qtbot, reader, "fn:2")
    assert shown.args[0] == "fn:2"
    text = reader.popover.text.text()
    assert text == seed_key["chapter"]["footnotes"]["2"]
    assert reader.popover.isVisible()
    assert reader.verticalScrollBar().value() == before
    with qtbot.waitSignal(reader.popover.closed, timeout=3000):
        qtbot.keyClick(reader, Qt.Key.Key_Escape)
    assert not reader.popover.isVisible()
    assert reader.verticalScrollBar().value() == before


def test_marker_again_and_click_outside_close_the_popover(qtbot, make_window, shared_fixtures):
    window = open_fixture(make_window, shared_fixtures / "seed-chapter-035.txt")
    reader = window.reader
    with qtbot.waitSignal(reader.popover.shown, timeout=3000):
        click_link(qtbot, reader, "fn:1")
    with qtbot.waitSignal(reader.popover.closed, timeout=3000):
        click_link(qtbot, reader, "fn:1")
    assert not reader.popover.isVisible()
    with qtbot.waitSignal(reader.popover.shown, timeout=3000):
        click_link(qtbot, reader, "fn:1")
    with qtbot.waitSignal(reader.popover.closed, timeout=3000):
        qtbot.mouseClick(
            reader.viewport(),
            Qt.MouseButton.LeftButton,
            pos=reader.viewport().rect().topLeft() + reader.viewport().rect().center() / 4,
        )
    assert not reader.popover.isVisible()


def test_hovering_a_marker_shows_the_note(qtbot, make_window, shared_fixtures):
    window = open_fixture(make_window, shared_fixtures / "seed-chapter-035.txt")
    reader = window.reader
    rect = reader.anchor_rect("fn:1")
    qtbot.mouseMove(reader.viewport(), rect.center() + QPoint(0, 60))
    with qtbot.waitSignal(reader.highlighted, timeout=3000):
        qtbot.mouseMove(reader.viewport(), rect.center())
    with qtbot.waitSignal(reader.popover.shown, timeout=3000) as shown:
        pass
    assert shown.args[0] == "fn:1"
    assert "volunteer units" in reader.popover.text.text()


def test_restart_restores_chapter_and_position(qtbot, make_window, db_path):
    window = make_window()
    assert window.import_paths(sample_serial())
    third = window.store.chapters(window.work_id)[2].id
    window.show_chapter(third)
    bar = window.reader.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum() // 2)
    fraction = window.reader.scroll_fraction()
    window.close()

    again = make_window()
    with qtbot.waitSignal(again.chapterShown, timeout=3000) as shown:
        again.open_work(again.store.last_work())
    assert shown.args[0] == third
    assert abs(again.reader.scroll_fraction() - fraction) < 0.02


def test_next_and_previous_chapter_shortcuts(qtbot, make_window):
    window = make_window()
    window.import_paths(sample_serial())
    chapters = window.store.chapters(window.work_id)
    assert window.chapter_id == chapters[0].id
    assert not window.prev_action.isEnabled()
    window.activateWindow()
    window.reader.setFocus()
    qtbot.waitUntil(window.reader.hasFocus)
    with qtbot.waitSignal(window.chapterShown, timeout=3000) as shown:
        qtbot.keyClick(window.reader, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert shown.args[0] == chapters[1].id
    with qtbot.waitSignal(window.chapterShown, timeout=3000) as shown:
        window.prev_action.trigger()
    assert shown.args[0] == chapters[0].id


def test_chapter_text_is_shown_as_text_never_as_markup(qtbot, make_window, tmp_path):
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(
        "Chapter 1: Trouble\n\nThe 3rd Corps <script>alert(1)</script> arrived.\n\n"
        '<img src="http://example.invalid/x.png"> and <a href="file:///etc/passwd">a link</a>.\n',
        encoding="utf-8",
    )
    window = make_window()
    assert window.import_paths([hostile])
    shown = window.reader.toPlainText()
    assert "<script>alert(1)</script>" in shown
    assert '<a href="file:///etc/passwd">' in shown
    assert "file:///etc/passwd" not in window.reader.toHtml().replace(
        "&quot;file:///etc/passwd&quot;", ""
    )


def test_bad_file_shows_a_dialog_and_changes_nothing(qtbot, make_window, tmp_path, monkeypatch):
    from companion.ui.qt import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    window = make_window()
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert not window.import_paths([empty])
    assert shown and "empty" in shown[0]
    assert window.store.works() == []


def test_first_run_opens_the_sample_serial(qtbot, db_path, settings_path):
    store = Store(db_path)
    window = create_window(store, Settings(settings_path), [])
    try:
        assert [p.name for p in sample_serial()] == ["ch01.txt", "ch02.txt", "ch03.txt", "ch04.txt"]
        assert window.reader.chapter is not None
        assert window.reader.chapter.story == "The Amber Coast Campaign"
        assert window.chapter_model.rowCount() == len(sample_serial())
    finally:
        window.close()
        store.close()


def test_dock_layout_is_remembered(qtbot, make_window):
    window = make_window()
    window.chapters_dock.hide()
    window.close()
    again = make_window()
    assert not again.chapters_dock.isVisible()


def test_importing_the_same_file_twice_adds_nothing(qtbot, make_window, shared_fixtures):
    window = open_fixture(make_window, shared_fixtures / "seed-chapter-035.txt")
    assert window.import_paths([shared_fixtures / "seed-chapter-035.txt"])
    assert len(window.store.works()) == 1
    assert window.chapter_model.rowCount() == 1
    assert import_files(window.store, [shared_fixtures / "seed-chapter-035.txt"]).unchanged


def test_authors_notes_are_set_apart_and_have_no_name_links(qtbot, make_window, tmp_path):
    page = tmp_path / "ch1.html"
    page.write_text(
        "<html><body><h1>Chapter 1: Fog</h1>"
        "<div class='fff_chapter_notes'><p>A/N: the 9th Guards Division returns soon.</p></div>"
        "<p>The 4th Rifle Brigade of the Republic of Halvia crossed at dawn.</p></body></html>",
        encoding="utf-8",
    )
    window = make_window()
    assert window.import_paths([page])
    html = window.reader.toHtml()
    note_at = html.index("9th Guards Division")
    assert "italic" in html[html.rfind("<p", 0, note_at) : note_at]
    body = window.reader.chapter.body
    starts = {int(href.split("@")[1]) for _, _, href in window.reader.link_spans("ent:")}
    assert body.index("4th Rifle Brigade") in starts
    assert body.index("9th Guards Division") not in starts
