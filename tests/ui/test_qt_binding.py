"""The Qt binding Companion runs on must not lose references to None (PySide6 6.12.0 did,
and aborted the app after a few thousand calls)."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import sys
from PySide6.QtGui import QGuiApplication, QTextCursor, QTextDocument
app = QGuiApplication([])
cursor = QTextCursor(QTextDocument())
before = sys.getrefcount(None)
for _ in range(20000):
    cursor.insertText("x")
print(sys.getrefcount(None) - before)
"""


def test_many_void_calls_keep_none_alive():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr[-500:]
    assert abs(int(result.stdout.strip())) < 100
