"""Finding words: the find bar under the chapter (Ctrl+F) and the whole-work search pane
(Ctrl+Shift+F)."""

from __future__ import annotations

import html
import re

from companion.store.library import Store
from companion.store.search import Hit, search_chapters
from companion.ui.delegates import RichTextDelegate, item_colours
from companion.ui.qt import (
    DISPLAY_ROLE,
    TOOLTIP_ROLE,
    USER_ROLE,
    QAbstractItemView,
    QAbstractListModel,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QModelIndex,
    QPalette,
    QStyleOptionViewItem,
    Qt,
    QTextDocument,
    QTimer,
    QToolButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from companion.ui.reader import ReaderView

SEARCH_DELAY_MS = 250  # after the last key, before the whole-work search runs
SNIPPET_ROLE = USER_ROLE + 1  # the snippet as HTML, match in bold
HIT_ROLE = USER_ROLE + 2  # the Hit itself


def find_all(text: str, needle: str) -> list[tuple[int, int]]:
    """Every place ``needle`` occurs in ``text``, ignoring case; any run of spaces in it
    matches any run of white space (a line break too)."""
    words = needle.split()
    if not words:
        return []
    pattern = r"\s+".join(re.escape(w) for w in words)
    return [m.span() for m in re.finditer(pattern, text, re.IGNORECASE)]


class FindBar(QWidget):
    """Find in the chapter: every match shaded, the current one selected, "n of m"."""

    def __init__(self, reader: ReaderView, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("findBar")
        self.setAccessibleName("Find in chapter")
        self.reader = reader
        self.edit = QLineEdit()
        self.edit.setObjectName("findEdit")
        self.edit.setAccessibleName("Find in chapter")
        self.edit.setPlaceholderText("Find in chapter")
        self.edit.setClearButtonEnabled(True)
        self.edit.textChanged.connect(lambda _text: self.find())
        self.edit.installEventFilter(self)
        self.count = QLabel()
        self.count.setObjectName("findCount")
        self.count.setAccessibleName("Matches")
        self.previous_button = self._button("Previous match (Shift+F3)")
        self.previous_button.setArrowType(Qt.ArrowType.UpArrow)
        self.previous_button.clicked.connect(lambda: self.reader.step_found(-1))
        self.next_button = self._button("Next match (F3)")
        self.next_button.setArrowType(Qt.ArrowType.DownArrow)
        self.next_button.clicked.connect(lambda: self.reader.step_found(1))
        self.close_button = self._button("Close (Esc)")
        self.close_button.setText("\u2715")  # ✕, drawn in the theme's text colour
        self.close_button.clicked.connect(self.close_bar)
        self.edit.setMinimumWidth(240)
        self.edit.setMaximumWidth(360)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 3, 8, 3)
        layout.setSpacing(4)
        for widget in (self.edit, self.previous_button, self.next_button, self.count):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addWidget(self.close_button)
        reader.foundChanged.connect(self._show_count)
        self.hide()

    def _button(self, tip: str) -> QToolButton:
        button = QToolButton()
        button.setToolTip(tip)
        button.setAccessibleName(tip.split(" (")[0])
        button.setAutoRaise(True)
        return button

    def open(self) -> None:
        """Show the bar with the words selected in the chapter (if any), ready to type."""
        selected = self.reader.textCursor().selectedText()
        if selected and "\u2029" not in selected and len(selected) <= 80:
            self.edit.setText(selected.strip())
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()
        if self.edit.text().strip():
            self.find()

    def find(self) -> None:
        """Shade the matches of the text typed; select the one at or after the current match
        (or the top of the view)."""
        chapter = self.reader.chapter
        spans = find_all(chapter.body, self.edit.text()) if chapter is not None else []
        if self.reader.found_current >= 0:
            here = self.reader.found[self.reader.found_current][0]
        else:
            here = self.reader.top_offset()
        current = next((i for i, (start, _) in enumerate(spans) if start >= here), 0)
        self.reader.set_found(spans, current if spans else -1)

    def close_bar(self) -> None:
        """Hide the bar and clear its shading; the chapter keeps the focus."""
        self.hide()
        self.reader.set_found([])
        self.reader.setFocus()

    def _show_count(self, current: int, total: int) -> None:
        if not self.edit.text().strip():
            self.count.setText("")
        elif total == 0:
            self.count.setText("No matches")
        else:
            self.count.setText(f"{current + 1} of {total}" if current >= 0 else f"{total} found")
        self.previous_button.setEnabled(total > 0)
        self.next_button.setEnabled(total > 0)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.edit and event.type() == event.Type.KeyPress:
            key = event.key()
            if key == Qt.Key.Key_Escape:
                self.close_bar()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                self.reader.step_found(-1 if shift else 1)
                return True
        return super().eventFilter(watched, event)


# -- the whole work -----------------------------------------------------------------------


class SearchResultsModel(QAbstractListModel):
    """Chapters that match a search; ``USER_ROLE`` gives the chapter id, ``SNIPPET_ROLE``
    the snippet as HTML (the match in bold, everything else escaped)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._hits: list[Hit] = []

    def set_hits(self, hits: list[Hit]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: QModelIndex, role: int = DISPLAY_ROLE):
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role == DISPLAY_ROLE:
            return f"{hit.number}. {hit.title}: " + "".join(text for text, _ in hit.snippet)
        if role == TOOLTIP_ROLE:
            return f"Chapter {hit.number}: {hit.title}"
        if role == USER_ROLE:
            return hit.chapter_id
        if role == SNIPPET_ROLE:
            return snippet_html(hit)
        if role == HIT_ROLE:
            return hit
        return None


def snippet_html(hit: Hit, budget: int | None = None) -> str:
    """A hit's snippet as HTML: matched words in bold, all text escaped. With a ``budget``,
    only about that many characters around the first match, cut at words, with ellipses."""
    text = "".join(part for part, _ in hit.snippet)
    start, end = 0, len(text)
    if budget is not None and budget < len(text):
        first, at = 0, 0
        for part, matched in hit.snippet:
            if matched:
                first = at
                break
            at += len(part)
        start = max(0, min(first - budget // 3, len(text) - budget))
        end = start + budget
        if start > 0:
            start = text.find(" ", start, first + 1) + 1 or start
        if end < len(text):
            space = text.rfind(" ", start, end)
            end = space if space > start else end
    out, at = [], 0
    for part, matched in hit.snippet:
        piece = html.escape(text[max(at, start) : min(at + len(part), end)])
        if piece:
            out.append(f"<b>{piece}</b>" if matched else piece)
        at += len(part)
    before = "…" if start > 0 and not text[start:].startswith("…") else ""
    after = "…" if end < len(text) else ""
    return before + "".join(out).strip() + after


class _HitDelegate(RichTextDelegate):
    """Draws a hit as its chapter's number and title over two lines of snippet (cut at a
    word to fit)."""

    MARGIN = 5

    def document(self, option: QStyleOptionViewItem, index: QModelIndex) -> QTextDocument:
        """The title and the longest cut of the snippet that fits the row."""
        quiet = item_colours(option)[1]
        hit: Hit = index.data(HIT_ROLE)
        title = f'<div style="color:{quiet.name()}">{html.escape(index.data(TOOLTIP_ROLE))}</div>'
        doc = self.new_document(option)
        doc.setHtml(title + f"<div>{snippet_html(hit)}</div>")
        if doc.size().height() > option.rect.height():  # the longest cut that fits, by halving
            low, high = 0, sum(len(text) for text, _ in hit.snippet)
            while low < high:
                budget = (low + high + 1) // 2
                doc.setHtml(title + f"<div>{snippet_html(hit, budget)}</div>")
                if doc.size().height() <= option.rect.height():
                    low = budget
                else:
                    high = budget - 1
            doc.setHtml(title + f"<div>{snippet_html(hit, low)}</div>")
        return doc


class SearchPane(QWidget):
    """Search the whole work: a query box and the chapters that match, with snippets, up to
    the spoiler scope."""

    resultActivated = Signal(int, str)  # chapter id, the query
    searched = Signal(str, int)  # the query run and how many chapters match

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.store: Store | None = None
        self.work_id: int | None = None
        self.up_to: int | None = None
        self.edit = QLineEdit()
        self.edit.setObjectName("searchEdit")
        self.edit.setAccessibleName("Search the whole work")
        self.edit.setPlaceholderText('Search the work: words, "a phrase"')
        self.edit.setClearButtonEnabled(True)
        self.status = QLabel()
        self.status.setObjectName("searchStatus")
        self.status.setAccessibleName("Search status")
        self.status.setWordWrap(True)
        self.status.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.model = SearchResultsModel(self)
        self.results = QListView()
        self.results.setObjectName("searchResults")
        self.results.setAccessibleName("Search results")
        self.results.setModel(self.model)
        self.results.setItemDelegate(_HitDelegate(self.results))
        self.results.setUniformItemSizes(True)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.activated.connect(self._on_activated)
        self.results.clicked.connect(self._on_activated)
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.search)
        self.edit.textChanged.connect(lambda _text: self._timer.start())
        self.edit.returnPressed.connect(self.search)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.edit)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)

    def set_work(self, store: Store, work_id: int, up_to: int | None) -> None:
        """Search this work from now on (results of another work are cleared)."""
        changed = (store, work_id) != (self.store, self.work_id)
        self.store, self.work_id, self.up_to = store, work_id, up_to
        if changed:
            self.model.set_hits([])
            self.status.setText("")
        if self.edit.text().strip():
            self.search()

    def set_scope(self, up_to: int | None) -> None:
        """Search chapters up to ``up_to`` only (None: all); a shown search is run again."""
        if up_to != self.up_to:
            self.up_to = up_to
            if self.edit.text().strip() and self.isVisible():
                self.search()

    def search(self) -> None:
        """Run the query typed now."""
        self._timer.stop()
        query = self.edit.text()
        if self.store is None or self.work_id is None:
            return
        result = search_chapters(self.store, self.work_id, query, self.up_to)
        self.model.set_hits(result.hits)
        count = len(result.hits)
        if not query.strip():
            text = ""
        else:
            text = f"{count or 'No'} chapter{'' if count == 1 else 's'}"
            if result.later:
                text += (
                    f" · {result.later} more after chapter {self.up_to}"
                    " (Show Everything: Ctrl+Shift+E)"
                )
        self.status.setText(text)
        self.searched.emit(query, count)

    def focus_query(self) -> None:
        """Put the cursor in the query box, its text selected."""
        self.edit.setFocus()
        self.edit.selectAll()

    def _on_activated(self, index: QModelIndex) -> None:
        chapter_id = index.data(USER_ROLE)
        if chapter_id is not None:
            self.resultActivated.emit(chapter_id, self.edit.text())
