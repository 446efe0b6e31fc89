"""Window layout kept between runs (QSettings). The reader's data lives in SQLite instead."""

from __future__ import annotations

from companion.ui.qt import QByteArray, QSettings


class Settings:
    """The few things Companion keeps in QSettings: window geometry and dock layout."""

    def __init__(self, path: str | None = None):
        self._qs = (
            QSettings(path, QSettings.Format.IniFormat)
            if path
            else QSettings("Companion", "Companion")
        )

    def window_geometry(self) -> QByteArray | None:
        value = self._qs.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def window_state(self) -> QByteArray | None:
        value = self._qs.value("window/state")
        return value if isinstance(value, QByteArray) else None

    def save_window(self, geometry: QByteArray, state: QByteArray) -> None:
        """Remember the main window's geometry and dock layout."""
        self._qs.setValue("window/geometry", geometry)
        self._qs.setValue("window/state", state)
        self._qs.sync()
