"""Keyboard shortcuts (the keys the actions get, and Help → Keyboard Shortcuts) and Help →
About."""

from __future__ import annotations

from companion import __version__
from companion.ui.qt import (
    QAction,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QKeySequence,
    QMenu,
    QMessageBox,
    Qt,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)


def keys(standard: QKeySequence.StandardKey, *extra: str) -> list[QKeySequence]:
    """The platform's keys for a standard action (those typed with a modifier, and function
    keys), then ``extra`` ones it lacks."""
    found = [k for k in QKeySequence.keyBindings(standard) if _typed(k)]
    return found + [QKeySequence(k) for k in extra if QKeySequence(k) not in found]


def _typed(sequence: QKeySequence) -> bool:
    """Whether a key sequence is typed with a modifier or is a function key (not a special
    key such as Find or Back that few keyboards have, nor a bare Backspace)."""
    combination = sequence[0]
    key = combination.key()
    function_key = Qt.Key.Key_F1.value <= key.value <= Qt.Key.Key_F35.value
    return combination.keyboardModifiers() != Qt.KeyboardModifier.NoModifier or function_key


class HelpMixin:
    """The Help menu for ``MainWindow``."""

    def _build_help_actions(self, menu: QMenu) -> None:
        """Help menu entries: the keyboard shortcuts and About."""
        self.shortcuts_action = QAction("&Keyboard Shortcuts", self)
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        self.about_action = QAction("&About Companion", self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        menu.addAction(self.shortcuts_action)
        menu.addAction(self.about_action)

    def shortcut_list(self) -> list[tuple[str, str, str]]:
        """(menu, command, keys) of every menu entry that has a shortcut, in menu order."""
        rows: list[tuple[str, str, str]] = []

        def walk(menu: QMenu, path: str) -> None:
            for action in menu.actions():
                if action.menu() is not None:
                    walk(action.menu(), f"{path} › {_plain(action.text())}")
                elif action.shortcuts():
                    text = ", ".join(
                        k.toString(QKeySequence.SequenceFormat.NativeText)
                        for k in action.shortcuts()
                    )
                    rows.append((path, _plain(action.text()), text))

        for action in self.menuBar().actions():
            if action.menu() is not None:
                walk(action.menu(), _plain(action.text()))
        return rows

    def show_shortcuts(self) -> QDialog:
        """Help → Keyboard Shortcuts: every command with a shortcut, by menu."""
        dialog = QDialog(self)
        dialog.setObjectName("shortcutsDialog")
        dialog.setWindowTitle("Keyboard Shortcuts")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        tree = QTreeWidget()
        tree.setObjectName("shortcutsList")
        tree.setAccessibleName("Keyboard shortcuts")
        tree.setHeaderLabels(["Command", "Shortcut"])
        tree.setRootIsDecorated(False)
        groups: dict[str, QTreeWidgetItem] = {}
        for menu, command, shortcut in self.shortcut_list():
            if menu not in groups:
                groups[menu] = QTreeWidgetItem(tree, [menu])
                font = groups[menu].font(0)
                font.setBold(True)
                groups[menu].setFont(0, font)
                groups[menu].setFirstColumnSpanned(True)
            QTreeWidgetItem(groups[menu], [command, shortcut])
        tree.expandAll()
        tree.resizeColumnToContents(0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.close)
        layout = QVBoxLayout(dialog)
        layout.addWidget(tree)
        layout.addWidget(buttons)
        dialog.resize(520, 560)
        dialog.show()
        return dialog

    def show_about(self) -> QMessageBox:
        """Help → About Companion: what it is, its version and licence."""
        box = QMessageBox(self)
        box.setObjectName("aboutBox")
        box.setWindowTitle("About Companion")
        box.setIconPixmap(QApplication.windowIcon().pixmap(64, 64))
        box.setText(f"<b>Companion {__version__}</b>")
        box.setInformativeText(
            "A reading companion for long serialized military fiction: footnotes in place, "
            "and every unit, corps and nation kept track of.<br><br>Licence: MIT"
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box


def _plain(text: str) -> str:
    """A menu text without its mnemonic marks."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")
