"""How the chapter reads, from the View menu: font, text size, line width and spacing,
theme, full screen and focus mode."""

from __future__ import annotations

from dataclasses import replace

from companion.ui.qt import (
    QAction,
    QActionGroup,
    QApplication,
    QFont,
    QFontDialog,
    QFontInfo,
    QKeySequence,
    QMenu,
    Qt,
)
from companion.ui.settings import LAYOUT_VERSION, SPACINGS, THEMES, WIDTHS
from companion.ui.themes import apply_theme
from companion.ui.window_help import keys

FONT_SIZES = (6.0, 40.0)  # smallest and largest point size of the chapter text
SPACING_NAMES = dict(zip(SPACINGS, ("&Compact", "&Normal", "&Relaxed"), strict=True))
FULL_SCREEN = Qt.WindowState.WindowFullScreen


class LookMixin:
    """The reading look for ``MainWindow``, which gives ``settings``, ``look``, ``reader``,
    ``find_bar``, ``toolbar``, ``_focus_state``, ``_full_screen_pending`` and ``_docks``."""

    def _build_look_actions(self, menu: QMenu) -> None:
        """View menu entries for how the chapter reads: font, size, measure, spacing, theme,
        full screen and focus mode."""
        self.font_action = QAction("Reading &Font…", self)
        self.font_action.triggered.connect(self.choose_font)
        self.zoom_in_action = QAction("&Larger Text", self)
        self.zoom_in_action.setShortcuts(keys(QKeySequence.StandardKey.ZoomIn, "Ctrl+="))
        self.zoom_in_action.triggered.connect(lambda: self.zoom(1))
        self.zoom_out_action = QAction("&Smaller Text", self)
        self.zoom_out_action.setShortcuts(keys(QKeySequence.StandardKey.ZoomOut))
        self.zoom_out_action.triggered.connect(lambda: self.zoom(-1))
        self.zoom_reset_action = QAction("&Default Text Size", self)
        self.zoom_reset_action.setShortcut(QKeySequence("Ctrl+0"))
        self.zoom_reset_action.triggered.connect(lambda: self.set_look(size=0.0))
        for action in (
            self.font_action,
            self.zoom_in_action,
            self.zoom_out_action,
            self.zoom_reset_action,
        ):
            menu.addAction(action)
        self.width_actions = self._choice_menu(
            menu, "Line &Width", {w: "&" + w.capitalize() for w in WIDTHS}, self.look.width,
            lambda width: self.set_look(width=width),
        )
        self.spacing_actions = self._choice_menu(
            menu, "Line &Spacing", SPACING_NAMES, self.look.spacing,
            lambda spacing: self.set_look(spacing=spacing),
        )
        self.theme_actions = self._choice_menu(
            menu, "&Theme", {t: "&" + t.capitalize() for t in THEMES}, self.settings.theme(),
            self.set_theme,
        )
        menu.addSeparator()
        self.full_screen_action = QAction("F&ull Screen", self, checkable=True)
        self.full_screen_action.setShortcuts(keys(QKeySequence.StandardKey.FullScreen, "F11"))
        self.full_screen_action.toggled.connect(self.set_full_screen)
        self.focus_action = QAction("F&ocus Mode", self, checkable=True)
        self.focus_action.setShortcut(QKeySequence("Ctrl+Shift+M"))
        self.focus_action.setToolTip("Only the chapter: hide the panes and the toolbar (Esc)")
        self.focus_action.toggled.connect(self.set_focus_mode)
        menu.addAction(self.full_screen_action)
        menu.addAction(self.focus_action)

    def _choice_menu(self, menu: QMenu, title: str, names: dict, current, choose) -> dict:
        """A submenu of exclusive choices; ``choose(value)`` runs on a pick. Returns the
        actions by value."""
        submenu = menu.addMenu(title)
        group = QActionGroup(submenu)
        actions = {}
        for value, name in names.items():
            action = submenu.addAction(name)
            action.setCheckable(True)
            action.setChecked(value == current)
            action.setActionGroup(group)
            action.triggered.connect(lambda _checked=False, v=value: choose(v))
            actions[value] = action
        return actions

    def set_look(self, **changes) -> None:
        """Change how the chapter text is set (family, size, width, spacing); remembered."""
        self.look = replace(self.look, **changes)
        self.settings.save_look(self.look)
        self._apply_look()

    def _apply_look(self) -> None:
        font = QFont(self.reader.font())
        if self.look.family:
            font.setFamily(self.look.family)
        if self.look.size > 0:
            font.setPointSizeF(self.look.size)
        self.reader.set_look(font, self.look.width, self.look.spacing)
        self.width_actions[self.look.width].setChecked(True)
        self.spacing_actions[self.look.spacing].setChecked(True)

    def text_size(self) -> float:
        """The chapter text's point size now."""
        return self.look.size or QFontInfo(self.reader.font()).pointSizeF()

    def zoom(self, step: int) -> None:
        """Make the chapter text ``step`` points larger (or smaller)."""
        low, high = FONT_SIZES
        self.set_look(size=min(high, max(low, self.text_size() + step)))

    def choose_font(self) -> None:
        """Ask for the chapter text's font and size."""
        font = QFont(self.reader.font())
        font.setFamily(self.look.family or font.family())
        font.setPointSizeF(self.text_size())
        ok, chosen = QFontDialog.getFont(font, self, "Reading Font")
        if ok:
            self.set_look(family=chosen.family(), size=chosen.pointSizeF())

    def set_theme(self, theme: str) -> None:
        """Show the app in a theme ("system", "light", "dark" or "sepia"); remembered."""
        self.settings.set_theme(theme)
        self.theme_actions[theme].setChecked(True)
        apply_theme(QApplication.instance(), theme)

    def _on_color_scheme(self, _scheme) -> None:
        if self.settings.theme() == "system":
            self.set_theme("system")

    def set_full_screen(self, on: bool) -> None:
        """Fill the screen with the window (F11), or not; remembered."""
        state = self.windowState()
        self.setWindowState(state | FULL_SCREEN if on else state & ~FULL_SCREEN)
        self.settings.set_full_screen(on)

    def set_focus_mode(self, on: bool) -> None:
        """Only the chapter (the panes and toolbar hidden), or everything back as it was."""
        if on == (self._focus_state is not None):
            return
        if on:
            self._focus_state = self.saveState(LAYOUT_VERSION)
            for widget in [*self._docks(), self.toolbar]:
                widget.hide()
        else:
            state, self._focus_state = self._focus_state, None
            self.restoreState(state, LAYOUT_VERSION)
        self.focus_action.setChecked(on)
        self.settings.set_focus_mode(on)

    def showEvent(self, event) -> None:
        if self._full_screen_pending:  # here, as a resize before the first show undoes it
            self._full_screen_pending = False
            self.setWindowState(self.windowState() | FULL_SCREEN)
        super().showEvent(event)

    def keyPressEvent(self, event) -> None:
        """Esc closes the find bar, then leaves focus mode, then full screen."""
        if event.key() == Qt.Key.Key_Escape:
            if self.find_bar.isVisible():
                self.find_bar.close_bar()
            elif self._focus_state is not None:
                self.set_focus_mode(False)
            elif self.isFullScreen():
                self.set_full_screen(False)
            else:
                super().keyPressEvent(event)
            return
        super().keyPressEvent(event)
