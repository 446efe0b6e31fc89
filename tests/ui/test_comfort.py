"""Reading comfort and conventions: themes, text size, measure, spacing, full screen, focus
mode, Help and Open Recent, remembered between runs (same settings file)."""

from __future__ import annotations

import pytest

from companion import __version__
from companion.resources import sample_serial
from companion.ui.qt import (
    QAction,
    QApplication,
    QColor,
    QEvent,
    Qt,
    QTreeWidget,
)
from companion.ui.settings import MAX_RECENT, Settings
from companion.ui.themes import apply_theme, palette

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture(autouse=True)
def light_afterwards(make_window):
    """Themes change the whole application: windows of earlier tests (closed, their stores
    too) go first; the next test gets the light theme back while this one's are still open."""
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    yield
    apply_theme(QApplication.instance(), "light")
    QApplication.processEvents()  # the panes restyle now, not after their store is closed


def reader_points(window) -> float:
    return window.reader.document().defaultFont().pointSizeF()


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours."""

    def luminance(c: QColor) -> float:
        def channel(v: int) -> float:
            v /= 255
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue())

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_theme_text_size_look_and_docks_survive_a_restart(qtbot, make_window, settings_path):
    first = make_window()
    first.import_paths(sample_serial())
    default = reader_points(first)
    first.set_theme("sepia")
    first.zoom(2)
    first.set_look(width="narrow", spacing=1.7)
    first.oob_dock.hide()
    first.open_search()
    assert reader_points(first) == default + 2
    first.close()

    apply_theme(QApplication.instance(), "light")  # as a fresh start would have it
    second = make_window()
    second.open_work(second.store.works()[0].id)
    assert second.settings.theme() == "sepia" and second.theme_actions["sepia"].isChecked()
    assert QApplication.palette().base().color() == palette("sepia").base().color()
    assert reader_points(second) == default + 2
    assert second.width_actions["narrow"].isChecked()
    assert second.spacing_actions[1.7].isChecked()
    assert "line-height: 170%" in second.reader.document().defaultStyleSheet()
    assert not second.oob_dock.isVisible()
    assert second.search_dock.isVisible() and second.chapters_dock.isVisible()


def test_zoom_keys_change_the_text_size(qtbot, window, settings_path):
    default = reader_points(window)
    qtbot.keyClick(window.reader, Qt.Key.Key_Equal, CTRL)
    assert reader_points(window) == default + 1
    qtbot.keyClick(window.reader, Qt.Key.Key_Plus, CTRL)
    assert reader_points(window) == default + 2
    qtbot.keyClick(window.reader, Qt.Key.Key_Minus, CTRL)
    assert reader_points(window) == default + 1
    qtbot.keyClick(window.reader, Qt.Key.Key_0, CTRL)
    assert reader_points(window) == default
    assert Settings(settings_path).look().size == 0.0
    for _ in range(60):
        window.zoom(1)
    assert reader_points(window) == 40.0  # the largest size


def test_line_width_narrows_the_text(qtbot, window):
    window.resize(1600, 900)
    qtbot.waitUntil(lambda: window.reader.viewport().width() > 1000)
    margins = {}
    for width in ("wide", "medium", "narrow"):
        window.width_actions[width].trigger()
        margins[width] = window.reader.document().rootFrame().frameFormat().leftMargin()
    assert margins["wide"] < margins["medium"] < margins["narrow"]


@pytest.mark.parametrize("theme", ["light", "dark", "sepia"])
def test_every_theme_keeps_text_names_and_shading_legible(qtbot, window, theme):
    window.set_theme(theme)
    reader = window.reader
    page = palette(theme).base().color() if theme != "light" else QColor("#ffffff")
    qtbot.waitUntil(lambda: reader.palette().base().color() == page)  # palettes propagate
    base = reader.palette().base().color()
    text = reader.palette().text().color()
    css = reader.document().defaultStyleSheet()
    for selector in ("body", "a", "a.unit", "a.nation", "p.story"):
        colour = QColor(css.split(selector + " { color: ", 1)[1][:7])
        assert contrast(colour, base) >= 4.5, (theme, selector)
    backgrounds = [reader._highlight_colour, reader._found_colour, *reader._mark_colours.values()]
    for background in backgrounds:
        assert contrast(text, background) >= 4.5, (theme, background.name())
    if theme != "light":
        assert QApplication.style().name().lower() == "fusion"


def test_the_system_theme_follows_the_desktop(qtbot, window, monkeypatch):
    hints = QApplication.styleHints()
    monkeypatch.setattr(type(hints), "colorScheme", lambda _self: Qt.ColorScheme.Dark)
    window.set_theme("system")
    assert QApplication.palette().base().color() == palette("dark").base().color()
    monkeypatch.setattr(type(hints), "colorScheme", lambda _self: Qt.ColorScheme.Light)
    window._on_color_scheme(Qt.ColorScheme.Light)
    assert QApplication.palette().base().color() != palette("dark").base().color()


def test_full_screen_toggles_and_is_remembered(qtbot, make_window, settings_path, activate_window):
    window = make_window()
    activate_window(window)
    qtbot.keyClick(window.reader, Qt.Key.Key_F11)
    qtbot.waitUntil(window.isFullScreen)
    assert window.full_screen_action.isChecked()
    window.close()
    again = make_window()
    assert again.isFullScreen() and again.full_screen_action.isChecked()
    activate_window(again)
    qtbot.keyClick(again.reader, Qt.Key.Key_Escape)  # Esc leaves full screen too
    qtbot.waitUntil(lambda: not again.isFullScreen())
    assert not again.full_screen_action.isChecked()
    assert not Settings(settings_path).full_screen()


def test_focus_mode_hides_the_panes_and_esc_brings_them_back(qtbot, window):
    window.notes_dock.raise_()
    visible = [dock.isVisible() for dock in window._docks()]
    assert any(visible)
    qtbot.keyClick(window.reader, Qt.Key.Key_M, CTRL | SHIFT)
    assert window.focus_action.isChecked()
    assert not any(dock.isVisible() for dock in window._docks())
    assert not window.toolbar.isVisible()
    qtbot.keyClick(window.reader, Qt.Key.Key_Escape)
    assert not window.focus_action.isChecked()
    assert [dock.isVisible() for dock in window._docks()] == visible
    assert window.toolbar.isVisible()


def test_focus_mode_is_remembered_with_the_layout_to_return_to(qtbot, make_window):
    first = make_window()
    first.oob_dock.hide()
    first.focus_action.trigger()
    first.close()
    second = make_window()
    assert second.focus_action.isChecked()
    assert not any(dock.isVisible() for dock in second._docks())
    second.focus_action.trigger()
    assert second.chapters_dock.isVisible() and not second.oob_dock.isVisible()


def test_help_lists_every_shortcut_of_the_window(qtbot, window):
    dialog = window.show_shortcuts()
    qtbot.waitExposed(dialog)
    tree = dialog.findChild(QTreeWidget, "shortcutsList")
    rows = {}
    for i in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(i)
        for j in range(group.childCount()):
            rows[group.child(j).text(0)] = group.child(j).text(1)
    assert "Ctrl+D" in rows["Bookmark This Place…"]
    assert "Ctrl+F" in rows["Find in Chapter…"]
    assert "F3" in rows["Find Next"]
    assert "Ctrl+Shift+F" in rows["Search the Whole Work…"]
    assert "F11" in rows["Full Screen"]
    with_keys = [a for a in window.findChildren(QAction) if a.shortcuts()]
    assert {a.text().replace("&", "") for a in with_keys} <= set(rows)
    dialog.close()


def test_about_gives_version_and_licence(qtbot, window):
    box = window.show_about()
    qtbot.waitExposed(box)
    assert __version__ in box.text()
    assert "MIT" in box.informativeText()
    box.close()


def test_open_recent_lists_works_last_opened_first(qtbot, window, tmp_path, settings_path):
    sample = window.work_id
    path = tmp_path / "other.txt"
    path.write_text("Chapter 1: Elsewhere\n\nAnother story entirely.\n")
    assert window.import_paths([path])
    other = window.work_id
    assert other != sample
    window.recent_menu.aboutToShow.emit()
    entries = [a for a in window.recent_menu.actions() if a.data() is not None]
    assert [a.data() for a in entries] == [other, sample]
    with qtbot.waitSignal(window.chapterShown):
        entries[1].trigger()
    assert window.work_id == sample
    assert Settings(settings_path).recent_works()[:2] == [sample, other]


def test_recent_works_keep_the_last_few(settings_path):
    settings = Settings(settings_path)
    for work_id in range(1, 12):
        settings.add_recent_work(work_id)
    settings.add_recent_work(5)
    assert settings.recent_works() == [5, 11, 10, 9, 8, 7, 6, 4][:MAX_RECENT]
    settings.clear_recent_works()
    assert settings.recent_works() == []


def test_panes_and_controls_have_accessible_names(qtbot, window):
    for dock in window._docks():
        assert dock.widget().accessibleName()
    bar, search = window.find_bar, window.search
    for widget in (window.reader, window.toolbar, bar, search, search.edit, search.results):
        assert widget.accessibleName()
    for widget in (bar.edit, bar.count, bar.previous_button, bar.next_button, bar.close_button):
        assert widget.accessibleName()
