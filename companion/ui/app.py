"""Starting the desktop app."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from companion.resources import data_dir
from companion.store.importer import ensure_sample
from companion.store.library import Store
from companion.ui.main_window import MainWindow
from companion.ui.qt import QApplication, QIcon, QTimer
from companion.ui.settings import Settings

APP_ID = "io.github.companion_reader.Companion"  # the desktop file's and metainfo's name


def has_display() -> bool:
    """Whether Qt can open a window here (or is told to draw offscreen)."""
    if os.environ.get("QT_QPA_PLATFORM") or sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def create_window(store: Store, settings: Settings, files: list[Path]) -> MainWindow:
    """Build the main window and open what the reader asked for, or where they left off."""
    window = MainWindow(store, settings)
    sample = ensure_sample(store)
    if files and window.import_paths(files):
        return window
    work_id = store.last_work() or sample or next((w.id for w in store.works()), None)
    if work_id is not None:
        window.open_work(work_id)
    return window


def run_gui(db_path: Path, files: list[Path], quit_after_paint: bool = False) -> int:
    """Run the app until its window closes; returns the exit code.

    ``quit_after_paint`` closes the app once the first chapter is drawn (for benchmarks).
    """
    if not has_display():
        print(
            "companion: no display found; run it in a desktop session, or under a virtual "
            "screen: xvfb-run -a companion",
            file=sys.stderr,
        )
        return 1
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Companion")
    app.setOrganizationName("Companion")
    app.setDesktopFileName(APP_ID)
    icons = data_dir("resources") / "icons"
    if (icons / "companion.svg").exists():
        icon = QIcon(str(icons / "companion.svg"))
        icon.addFile(str(icons / "companion-16.png"))  # drawn for 16 px, where the SVG blurs
        app.setWindowIcon(icon)
    store = Store(db_path)
    window = create_window(store, Settings(), files)
    if quit_after_paint:
        window.reader.chapterPainted.connect(lambda: QTimer.singleShot(0, window.close))
    window.show()
    try:
        return app.exec()
    finally:
        store.close()
