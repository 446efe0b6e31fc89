"""The one place the UI gets Qt from, with short names for long enums."""

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QEvent,
    QModelIndex,
    QObject,
    QPoint,
    QRect,
    QSettings,
    QSize,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QColor,
    QDesktopServices,
    QFont,
    QIcon,
    QKeySequence,
    QPalette,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QFrame,
    QLabel,
    QListView,
    QMainWindow,
    QMessageBox,
    QTextBrowser,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

ALIGN_CENTER = Qt.AlignmentFlag.AlignCenter
LEFT_DOCK = Qt.DockWidgetArea.LeftDockWidgetArea
RIGHT_DOCK = Qt.DockWidgetArea.RightDockWidgetArea
DISPLAY_ROLE = Qt.ItemDataRole.DisplayRole
USER_ROLE = Qt.ItemDataRole.UserRole
TOOLTIP_ROLE = Qt.ItemDataRole.ToolTipRole

__all__ = [
    "ALIGN_CENTER",
    "DISPLAY_ROLE",
    "LEFT_DOCK",
    "RIGHT_DOCK",
    "TOOLTIP_ROLE",
    "USER_ROLE",
    "QAbstractListModel",
    "QAction",
    "QApplication",
    "QByteArray",
    "QCloseEvent",
    "QColor",
    "QDesktopServices",
    "QDockWidget",
    "QEvent",
    "QFileDialog",
    "QFont",
    "QFrame",
    "QIcon",
    "QKeySequence",
    "QLabel",
    "QListView",
    "QMainWindow",
    "QMessageBox",
    "QModelIndex",
    "QObject",
    "QPalette",
    "QPoint",
    "QRect",
    "QSettings",
    "QSize",
    "QTextBrowser",
    "QTextCursor",
    "QTextDocument",
    "QTimer",
    "QToolBar",
    "QUrl",
    "QVBoxLayout",
    "QWidget",
    "Qt",
    "Signal",
]
