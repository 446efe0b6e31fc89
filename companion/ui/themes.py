"""Light, dark and sepia themes as application palettes; "system" follows the desktop."""

from __future__ import annotations

from companion.ui.qt import (
    QApplication,
    QColor,
    QGuiApplication,
    QIcon,
    QPainter,
    QPalette,
    QSize,
    Qt,
)

_ROLES = QPalette.ColorRole
_COLOURS = {
    "dark": {
        "window": "#2b2b2e",
        "button": "#35353a",
        "base": "#1e1e21",
        "alternate": "#27272b",
        "text": "#e4e2dd",
        "highlight": "#3d6fb6",
        "highlighted_text": "#ffffff",
        "link": "#8ab4f8",
        "tooltip": "#34343a",
        "placeholder": "#9a9a9f",
        "disabled": "#76767c",
    },
    "sepia": {
        "window": "#eadfc6",
        "button": "#e2d5b8",
        "base": "#f5ecd7",
        "alternate": "#eee3cb",
        "text": "#2b2218",
        "highlight": "#85602f",
        "highlighted_text": "#ffffff",
        "link": "#8a4a12",
        "tooltip": "#fbf5e6",
        "placeholder": "#76664f",
        "disabled": "#a89a84",
    },
}


def effective_theme(theme: str) -> str:
    """The theme to show for a chosen one: "system" is dark when the desktop is, else light."""
    if theme == "system":
        scheme = QGuiApplication.styleHints().colorScheme()
        return "dark" if scheme == Qt.ColorScheme.Dark else "light"
    return theme if theme in _COLOURS else "light"


def palette(theme: str) -> QPalette:
    """The application palette of "dark" or "sepia"."""
    c = {key: QColor(value) for key, value in _COLOURS[theme].items()}
    result = QPalette(c["button"], c["window"])  # derives the bevel shades from these two
    for role, key in (
        (_ROLES.WindowText, "text"),
        (_ROLES.Base, "base"),
        (_ROLES.AlternateBase, "alternate"),
        (_ROLES.Text, "text"),
        (_ROLES.ButtonText, "text"),
        (_ROLES.BrightText, "highlighted_text"),
        (_ROLES.Highlight, "highlight"),
        (_ROLES.HighlightedText, "highlighted_text"),
        (_ROLES.Link, "link"),
        (_ROLES.LinkVisited, "link"),
        (_ROLES.ToolTipBase, "tooltip"),
        (_ROLES.ToolTipText, "text"),
        (_ROLES.PlaceholderText, "placeholder"),
    ):
        result.setColor(role, c[key])
    disabled = QPalette.ColorGroup.Disabled
    for role in (_ROLES.WindowText, _ROLES.Text, _ROLES.ButtonText):
        result.setColor(disabled, role, c["disabled"])
    return result


def apply_theme(app: QApplication, theme: str) -> str:
    """Give the application the theme's palette (dark and sepia in the Fusion style, where
    palettes apply fully; light in the style it started with). Returns the theme shown."""
    shown = effective_theme(theme)
    if app.property("companionTheme") in (shown, None if shown == "light" else shown):
        return shown  # already shown (light: nothing was ever changed)
    base = app.property("companionBaseStyle") or app.style().name()
    app.setProperty("companionBaseStyle", base)
    if shown == "light":
        app.setStyle(base)
        app.setPalette(app.style().standardPalette())
    else:
        if app.style().name().lower() != "fusion":
            app.setStyle("Fusion")
        app.setPalette(palette(shown))
    app.setProperty("companionTheme", shown)
    return shown


def tinted(icon: QIcon, colour: QColor, size: QSize) -> QIcon:
    """The icon in one colour (its shape kept): style icons made legible on any theme."""
    pixmap = icon.pixmap(size)
    painter = QPainter(pixmap)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
    painter.fillRect(pixmap.rect(), colour)
    painter.end()
    return QIcon(pixmap)
