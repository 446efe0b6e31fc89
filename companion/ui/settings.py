"""How the reader likes the window, kept between runs (QSettings). The reader's data lives in
SQLite instead."""

from __future__ import annotations

from dataclasses import dataclass

from companion.ui.qt import QByteArray, QSettings

MAX_RECENT = 8
WIDTHS = ("narrow", "medium", "wide")  # line width (measure) of the chapter text
SPACINGS = (1.3, 1.5, 1.7)  # line spacing of the chapter text
THEMES = ("system", "light", "dark", "sepia")


LAYOUT_VERSION = 2  # of the saved dock layout: bump when panes are added or removed


@dataclass(frozen=True)
class Look:
    """How the chapter text is set: font (empty family / 0 size: the default), measure,
    line spacing."""

    family: str = ""
    size: float = 0.0
    width: str = "medium"
    spacing: float = 1.5


class Settings:
    """The one object that reads and writes QSettings: window layout, the reading look,
    theme, full screen and focus mode, and the recent works."""

    def __init__(self, path: str | None = None):
        self._qs = (
            QSettings(path, QSettings.Format.IniFormat)
            if path
            else QSettings("Companion", "Companion")
        )

    # -- window -------------------------------------------------------------------------

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

    def full_screen(self) -> bool:
        return self._flag("window/full_screen")

    def set_full_screen(self, on: bool) -> None:
        self._qs.setValue("window/full_screen", on)

    def focus_mode(self) -> bool:
        return self._flag("window/focus_mode")

    def set_focus_mode(self, on: bool) -> None:
        self._qs.setValue("window/focus_mode", on)

    # -- reading --------------------------------------------------------------------------

    def look(self) -> Look:
        """The chapter text's font, measure and spacing (defaults for anything unknown)."""
        default = Look()
        width = str(self._qs.value("reader/width", default.width))
        spacing = self._number("reader/spacing", default.spacing)
        return Look(
            family=str(self._qs.value("reader/family", default.family)),
            size=max(0.0, self._number("reader/size", default.size)),
            width=width if width in WIDTHS else default.width,
            spacing=spacing if spacing in SPACINGS else default.spacing,
        )

    def save_look(self, look: Look) -> None:
        for key in ("family", "size", "width", "spacing"):
            self._qs.setValue(f"reader/{key}", getattr(look, key))

    def theme(self) -> str:
        """"system" (the default: dark when the desktop is), "light", "dark" or "sepia"."""
        theme = str(self._qs.value("reader/theme", "system"))
        return theme if theme in THEMES else "system"

    def set_theme(self, theme: str) -> None:
        self._qs.setValue("reader/theme", theme)

    # -- recent works -----------------------------------------------------------------------

    def recent_works(self) -> list[int]:
        """Ids of the works opened last, most recent first."""
        text = str(self._qs.value("recent/works", ""))
        return [int(part) for part in text.split(",") if part.strip().isdigit()][:MAX_RECENT]

    def add_recent_work(self, work_id: int) -> None:
        ids = [work_id] + [i for i in self.recent_works() if i != work_id]
        self._qs.setValue("recent/works", ",".join(map(str, ids[:MAX_RECENT])))

    def clear_recent_works(self) -> None:
        self._qs.remove("recent/works")

    def sync(self) -> None:
        """Write everything to disk now."""
        self._qs.sync()

    def _flag(self, key: str) -> bool:
        return str(self._qs.value(key, False)).lower() == "true"

    def _number(self, key: str, default: float) -> float:
        try:
            return float(self._qs.value(key, default))
        except (TypeError, ValueError):
            return default
