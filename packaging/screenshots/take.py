"""Open Companion on the sample serial with a footnote popover showing, for screenshots.

Run under a virtual screen, e.g.:
  ../shared/tools/screenshot packaging/screenshots/reader.png -- .venv/bin/python packaging/screenshots/take.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from companion.store.library import Store
from companion.ui.app import create_window
from companion.ui.qt import QApplication, QTimer
from companion.ui.settings import Settings


def main() -> int:
    app = QApplication(sys.argv[:1])
    folder = Path(tempfile.mkdtemp(prefix="companion-shot-"))
    store = Store(folder / "library.sqlite3")
    window = create_window(store, Settings(str(folder / "settings.ini")), [])
    window.setGeometry(0, 0, 1280, 800)
    window.show()
    label = sys.argv[1] if len(sys.argv) > 1 else "1"
    QTimer.singleShot(800, lambda: window.reader.open_footnote(label))
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
