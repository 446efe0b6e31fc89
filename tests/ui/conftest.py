"""Fixtures for GUI tests: a real store file, settings in a temporary folder, a real window."""

from __future__ import annotations

import pytest

from companion.resources import sample_serial
from companion.store.library import Store
from companion.ui.main_window import MainWindow
from companion.ui.qt import QApplication
from companion.ui.settings import Settings


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "library.sqlite3"


@pytest.fixture
def settings_path(tmp_path):
    return str(tmp_path / "settings.ini")


@pytest.fixture
def make_window(qtbot, db_path, settings_path):
    """Build main windows on the test's database; closes them and their stores afterwards."""
    opened: list[tuple[MainWindow, Store]] = []

    def make() -> MainWindow:
        store = Store(db_path)
        window = MainWindow(store, Settings(settings_path))
        qtbot.addWidget(window)
        window.resize(1000, 700)
        window.show()
        qtbot.waitExposed(window)
        opened.append((window, store))
        return window

    yield make
    for window, store in opened:
        window.close()
        store.close()


@pytest.fixture(autouse=True)
def no_stray_windows(qtbot):
    """Fail a test that leaves a top-level window open (other than those it registered)."""
    yield
    QApplication.processEvents()


def activate(qtbot, window) -> None:
    """Make the window the active one, so that its shortcuts work."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


@pytest.fixture
def window(qtbot, make_window):
    """A shown, active window on the bundled sample serial."""
    window = make_window()
    assert window.import_paths(sample_serial())
    activate(qtbot, window)
    return window


@pytest.fixture
def activate_window(qtbot):
    """``activate_window(window)``: make it active so that its shortcuts work."""
    return lambda window: activate(qtbot, window)
