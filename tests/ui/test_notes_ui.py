"""Highlights, notes and bookmarks in the window, on real widgets and a real database."""

from __future__ import annotations

import json
import re

import pytest
from PySide6.QtTest import QAbstractItemModelTester

from companion.core.parse import parse_chapter
from companion.resources import sample_serial
from companion.store.glossary import set_description
from companion.store.names import chapter_mentions
from companion.store.notes import find_quote, get_mark, marks, reanchor_chapter
from companion.ui.qt import QMessageBox, QPoint, Qt, QTextCursor
from companion.ui.reader import ReaderView

pytestmark = pytest.mark.gui

NOTE = "The feint works: the other side is drawn away."
FATAL = QAbstractItemModelTester.FailureReportingMode.Fatal


def first_sentence(chapter, after: int = -1) -> str:
    """The first sentence of the first paragraph that starts after body offset ``after``."""
    block = next(b for b in chapter.blocks if b.kind == "paragraph" and b.start > after)
    return re.split(r"(?<=[.!?])\s+", chapter.body[block.start : block.end])[0]


@pytest.fixture
def phrase(seed_chapter) -> str:
    """The first sentence after the first section heading, without its full stop."""
    return first_sentence(seed_chapter, seed_chapter.sections[0].start).rstrip(".")


@pytest.fixture
def earlier(seed_chapter, phrase) -> str:
    """A few words from the middle of the chapter's first sentence, before ``phrase``."""
    words = first_sentence(seed_chapter).split()
    middle = " ".join(words[len(words) // 2 - 2 : len(words) // 2 + 3])
    assert "*" not in middle and seed_chapter.body.count(middle) == 1
    assert seed_chapter.body.index(middle) < seed_chapter.body.index(phrase)
    return middle


@pytest.fixture
def window(make_window, shared_fixtures, phrase):
    window = make_window()
    assert window.import_paths([shared_fixtures / "seed-chapter-035.txt"])
    start, end = find_quote(window.store, window.work_id, window.chapter_number, phrase)
    spans = [(m.start, m.end) for m in chapter_mentions(window.store, window.chapter_id)]
    assert any(start <= a and b <= end for a, b in spans), "the phrase has no name link"
    return window


def answer(monkeypatch, window, text: str | None) -> list[str]:
    """Make the window's text dialogs answer ``text``; returns the texts they were given."""
    asked: list[str] = []

    def ask(title, label, prefilled, multiline=False):
        asked.append(prefilled)
        return text

    monkeypatch.setattr(window, "_ask_text", ask)
    return asked


def select(window, words: str) -> tuple[int, int]:
    """Select ``words`` in the reader as a mouse would; returns their body span."""
    start, end = find_quote(window.store, window.work_id, window.chapter_number, words)
    reader = window.reader
    cursor = reader.textCursor()
    cursor.setPosition(reader.doc_position(start))
    cursor.setPosition(reader.doc_position(end), QTextCursor.MoveMode.KeepAnchor)
    reader.setTextCursor(cursor)
    return start, end


def highlight(qtbot, monkeypatch, window, words: str, note: str = NOTE):
    select(window, words)
    answer(monkeypatch, window, note)
    with qtbot.waitSignal(window.marksChanged, timeout=3000):
        window.highlight_note_action.trigger()
    return max(marks(window.store, window.work_id), key=lambda m: m.id)


def shown_words(reader: ReaderView, mark_id: int) -> str:
    """The text the reader paints a highlight on."""
    start, end = next((s, e) for s, e, m in reader._spans() if m.id == mark_id)
    cursor = reader.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    painted = [s for s in reader.extraSelections() if s.cursor.selectionStart() == start]
    assert painted and painted[0].cursor.selectionEnd() == end
    return cursor.selectedText()


def off_link(window, mark) -> int:
    """A body offset inside ``mark``'s words on no name link: the middle of a plain word."""
    spans = [(m.start, m.end) for m in chapter_mentions(window.store, window.chapter_id)]
    words = window.reader.chapter.body[mark.start : mark.end]
    for word in re.finditer(r"\b[a-z]{4,}\b", words):
        start, end = mark.start + word.start(), mark.start + word.end()
        if all(end <= a or b <= start for a, b in spans):
            return (start + end) // 2
    raise AssertionError(f"every word of {words!r} is on a name link")


def point_in(reader: ReaderView, offset: int) -> QPoint:
    """A point of the viewport on the character at body offset ``offset``."""
    cursor = reader.textCursor()
    cursor.setPosition(reader.doc_position(offset))
    return reader.cursorRect(cursor).center() + QPoint(3, 0)


def texts(menu) -> list[str]:
    return [a.text().replace("&", "") for a in menu.actions()]


def shortcut(qtbot, widget, action) -> None:
    """Press an action's first shortcut in ``widget``."""
    widget.activateWindow()
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
    qtbot.keySequence(widget, action.shortcut())


def test_highlight_with_note_is_kept_across_a_restart_and_shows_its_note(
    qtbot, monkeypatch, make_window, window, phrase
):
    start, end = select(window, phrase)
    mark = highlight(qtbot, monkeypatch, window, phrase)
    assert (mark.start, mark.end, mark.note, mark.color) == (start, end, NOTE, "yellow")
    assert not window.reader.textCursor().hasSelection()
    window.close()

    again = make_window()
    with qtbot.waitSignal(again.chapterShown, timeout=3000):
        again.open_work(again.store.last_work())
    reader = again.reader
    assert [m.id for m in reader.marks] == [mark.id]
    assert shown_words(reader, mark.id) == phrase
    doc_start, doc_end, _ = reader._spans()[0]
    body = reader.chapter.body
    assert body[reader.body_offset(doc_start) : reader.body_offset(doc_end)] == phrase

    reader.reveal(mark.start)
    middle = point_in(reader, off_link(again, mark))  # not on a name link
    assert reader.anchorAt(middle) == ""
    qtbot.mouseMove(reader.viewport(), middle + QPoint(0, -400))
    with qtbot.waitSignal(reader.popover.shown, timeout=3000) as shown:
        qtbot.mouseMove(reader.viewport(), middle)
    assert shown.args == [f"mark:{mark.id}", NOTE]
    reader.popover.dismiss()
    with qtbot.waitSignal(reader.popover.shown, timeout=3000) as shown:
        qtbot.mouseClick(reader.viewport(), Qt.MouseButton.LeftButton, pos=middle)
    assert shown.args == [f"mark:{mark.id}", NOTE]


def test_ctrl_z_removes_a_highlight_and_redo_puts_it_back(qtbot, monkeypatch, window, phrase):
    mark = highlight(qtbot, monkeypatch, window, phrase)
    with qtbot.waitSignal(window.marksChanged, timeout=3000):
        shortcut(qtbot, window.reader, window.undo_action)
    assert marks(window.store, window.work_id) == []
    assert window.reader.marks == []
    with qtbot.waitSignal(window.marksChanged, timeout=3000):
        shortcut(qtbot, window.reader, window.redo_action)
    assert marks(window.store, window.work_id) == [mark]
    assert shown_words(window.reader, mark.id) == phrase


def test_ctrl_z_in_the_glossary_notes_undoes_the_typing_not_a_highlight(
    qtbot, monkeypatch, window, phrase
):
    highlight(qtbot, monkeypatch, window, phrase)
    window.glossary_dock.raise_()
    model = window.glossary.model
    window.glossary.tree.setCurrentIndex(model.index(0, 0, model.index(0, 0)))
    editor = window.glossary.notes
    qtbot.waitUntil(editor.isEnabled)
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    qtbot.keyClicks(editor, "abc")
    assert editor.toPlainText().endswith("abc")
    shortcut(qtbot, editor, window.undo_action)
    assert "abc" not in editor.toPlainText()
    assert len(marks(window.store, window.work_id)) == 1


def test_delete_from_the_context_menu_and_undo(qtbot, monkeypatch, window, phrase):
    mark = highlight(qtbot, monkeypatch, window, phrase)
    reader = window.reader
    reader.reveal(mark.start)
    pos = point_in(reader, off_link(window, mark))
    menu = reader.context_menu(pos)
    assert texts(menu)[:4] == ["Edit Note…", "Colour", "Delete Highlight", "Bookmark This Place…"]
    assert "Highlight" not in texts(menu)  # nothing is selected
    with qtbot.waitSignal(window.marksChanged, timeout=3000):
        next(a for a in menu.actions() if a.text() == "Delete Highlight").trigger()
    assert marks(window.store, window.work_id) == []
    assert reader.mark_at(pos) is None
    with qtbot.waitSignal(window.marksChanged, timeout=3000):
        window.undo_action.trigger()
    assert marks(window.store, window.work_id) == [mark]
    assert reader.mark_at(pos) == mark


def test_colours_and_notes_from_the_context_menu_with_undo(qtbot, monkeypatch, window, phrase):
    reader = window.reader
    select(window, phrase)
    reader.reveal(find_quote(window.store, window.work_id, window.chapter_number, phrase)[0])
    select(window, phrase)
    menu = reader.context_menu(QPoint(5, 5))
    colours = next(a for a in menu.actions() if a.text() == "Highlight").menu()
    assert texts(colours) == ["Yellow", "Green", "Blue", "Pink", "Orange"]
    assert texts(menu)[:3] == ["Highlight", "Highlight with Note…", "Bookmark This Place…"]
    with qtbot.waitSignal(window.marksChanged, timeout=3000):
        next(a for a in colours.actions() if a.text() == "Green").trigger()
    mark = marks(window.store, window.work_id)[0]
    assert (mark.color, mark.note) == ("green", "")
    assert window.last_color == "green"

    pos = point_in(reader, off_link(window, mark))
    menu = reader.context_menu(pos)
    colours = next(a for a in menu.actions() if a.text() == "Colour").menu()
    assert [a.isChecked() for a in colours.actions()] == [False, True, False, False, False]
    with qtbot.waitSignal(window.marksChanged, timeout=3000):
        next(a for a in colours.actions() if a.text() == "Blue").trigger()
    assert marks(window.store, window.work_id)[0].color == "blue"
    answer(monkeypatch, window, "Written later.")
    with qtbot.waitSignal(window.marksChanged, timeout=3000):
        next(a for a in reader.context_menu(pos).actions() if a.text() == "Edit Note…").trigger()
    assert marks(window.store, window.work_id)[0].note == "Written later."
    window.undo_action.trigger()
    window.undo_action.trigger()
    back = marks(window.store, window.work_id)[0]
    assert (back.id, back.color, back.note) == (mark.id, "green", "")


def test_ctrl_h_highlights_in_the_last_colour_and_needs_a_selection(qtbot, window, phrase):
    assert not window.highlight_action.isEnabled()
    window.last_color = "pink"
    select(window, phrase)
    assert window.highlight_action.isEnabled()
    with qtbot.waitSignal(window.marksChanged, timeout=3000):
        shortcut(qtbot, window.reader, window.highlight_action)
    assert marks(window.store, window.work_id)[0].color == "pink"


def test_bookmark_with_ctrl_d_and_jump_back_from_the_notes_pane(
    qtbot, monkeypatch, window, seed_chapter
):
    reader = window.reader
    bar = reader.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    top = reader.top_offset()
    asked = answer(monkeypatch, window, "Where the battle turns")
    with qtbot.waitSignal(window.marksChanged, timeout=3000):
        shortcut(qtbot, reader, window.bookmark_action)
    assert asked[0].startswith(f"{seed_chapter.title} — ")
    mark = marks(window.store, window.work_id, kind="bookmark")[0]
    assert mark.label == "Where the battle turns"
    assert abs(mark.start - top) < 80  # the first words in view
    words = mark.quote.split()[0]
    assert words in reader.chapter.body[top - 40 : top + 40]

    bar.setValue(0)
    window.notes_dock.raise_()
    tree = window.notes.tree
    index = window.notes.model.index_of_mark(mark.id)
    assert index.isValid()
    qtbot.waitUntil(lambda: tree.visualRect(index).isValid())
    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualRect(index).center()
    )
    qtbot.waitUntil(lambda: bar.value() > 0)
    shown = reader.cursorRect(reader.textCursor())
    assert 0 <= shown.top() < reader.viewport().height() // 2
    with qtbot.waitSignal(window.chapterShown, timeout=3000):
        window.back_action.trigger()
    assert bar.value() == 0


def test_notes_pane_groups_searches_and_lists_name_notes(
    qtbot, monkeypatch, window, phrase, earlier, seed_chapter, seed_key
):
    assert "feint" not in f"{phrase} {earlier}".lower()
    assert "vostrel" not in seed_chapter.body.lower()
    highlight(qtbot, monkeypatch, window, phrase, "feint regiment")
    highlight(qtbot, monkeypatch, window, earlier, "the tide turns")
    unit = next(e["name"] for e in seed_key["entities"] if e["kind"] == "unit")
    set_description(window.store, window.work_id, unit, "Held back at Vostrel.")
    window.notes.refresh()
    model = window.notes.model
    QAbstractItemModelTester(model, FATAL)
    groups = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert groups == [f"{seed_chapter.number}. {seed_chapter.title}", "Names"]
    chapter = model.index(0, 0)
    rows = [model.index(r, 0, chapter).data() for r in range(model.rowCount(chapter))]
    assert rows[0].startswith(f"“{earlier}")  # in the order of the text
    assert rows[0].endswith("the tide turns") and rows[1].endswith("feint regiment")

    window.notes.search.setText("feint")
    assert model.rowCount() == 1
    chapter = model.index(0, 0)
    assert model.rowCount(chapter) == 1
    assert "feint regiment" in model.index(0, 0, chapter).data()
    window.notes.search.setText("vostrel")
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["Names"]
    assert model.index(0, 0, model.index(0, 0)).data().startswith(f"{unit}\nHeld back")
    window.notes.search.setText("nothing-like-this")
    assert model.rowCount() == 0
    window.notes.search.clear()
    assert model.rowCount() == 2


def test_detached_notes_are_listed_with_their_quote(qtbot, monkeypatch, window, phrase):
    number = window.chapter_number
    mark = highlight(qtbot, monkeypatch, window, phrase)
    body = window.reader.chapter.body.replace(phrase, "Something else happened.")
    reanchor_chapter(window.store, window.work_id, number, body)
    window.marks_changed()
    model = window.notes.model
    assert model.index(0, 0).data().startswith("Detached")
    row = model.index(0, 0, model.index(0, 0)).data()
    assert row.startswith(f"Chapter {number}: “{phrase}”")
    assert window.reader.marks == []
    window.go_to_mark(mark.id)
    assert f"no longer in chapter {number}" in window.statusBar().currentMessage()


def test_huge_notes_and_markup_are_shown_as_written(qtbot, monkeypatch, window, phrase, earlier):
    markup = "<script>alert(1)</script> **bold** <b>b</b> &amp;"
    first = highlight(qtbot, monkeypatch, window, phrase, markup)
    huge = "x" * 1_000_000
    second = highlight(qtbot, monkeypatch, window, earlier, huge)
    assert get_mark(window.store, second.id).note == huge
    reader = window.reader
    for mark, shown in ((first, markup), (second, "x" * 1500 + "…")):
        with qtbot.waitSignal(reader.popover.shown, timeout=3000) as popover:
            assert reader.open_mark(mark.id)
        assert popover.args[1] == shown
        assert reader.popover.text.text() == shown
    assert reader.popover.text.textFormat() == Qt.TextFormat.PlainText
    model = window.notes.model
    rows = [model.index(r, 0, model.index(0, 0)) for r in range(2)]
    texts = [r.data() for r in rows]
    assert any(t.endswith(markup) for t in texts)
    assert all(len(t) < 400 for t in texts)
    tooltips = [r.data(Qt.ItemDataRole.ToolTipRole) for r in rows]
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in t for t in tooltips)
    asked = answer(monkeypatch, window, None)
    window.edit_note(second.id)
    assert asked == [huge]  # the whole note is there to edit


def test_offset_map_round_trips_in_every_block_of_the_sample(qtbot):
    reader = ReaderView()
    qtbot.addWidget(reader)
    reader.resize(800, 600)
    for path in sample_serial():
        chapter = parse_chapter(path.read_text(encoding="utf-8"))
        reader.set_chapter(chapter)
        text = reader.document().toPlainText().replace("\u00a0", " ")
        body = chapter.body
        unshown = {i for m in chapter.markers for i in range(m.start - 1, m.end)}
        checked = 0
        for block in chapter.blocks:
            if block.kind not in ("paragraph", "heading", "note"):
                continue
            start = block.text_start if block.text_start is not None else block.start
            end = block.text_end if block.text_end is not None else block.end
            for offset in range(start, end):
                if offset in unshown:
                    continue
                position = reader.doc_position(offset)
                assert reader.body_offset(position) == offset, (path.name, offset)
                assert text[position] == body[offset].replace("\n", " "), (path.name, offset)
                checked += 1
        assert checked > len(body) // 2, path.name


def test_export_and_import_notes(qtbot, monkeypatch, window, tmp_path, phrase):
    highlight(qtbot, monkeypatch, window, phrase)
    markdown, data = tmp_path / "notes.md", tmp_path / "notes.json"
    assert window.export_notes(markdown) and window.export_notes(data)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("notes")) == [
        "notes.json",
        "notes.md",
    ]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert f"“{phrase}”" in markdown.read_text(encoding="utf-8")
    assert json.loads(data.read_text(encoding="utf-8"))["notes"][0]["note"] == NOTE

    assert window.import_notes(data)
    assert "0 notes and bookmarks (1 already here)" in window.statusBar().currentMessage()
    assert len(marks(window.store, window.work_id)) == 1

    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warnings.append(a[2]))
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert not window.import_notes(broken)
    assert "invalid JSON" in warnings[0] and "Nothing was changed" in warnings[0]
    other = json.loads(data.read_text(encoding="utf-8")) | {"work": "Another Story"}
    broken.write_text(json.dumps(other), encoding="utf-8")
    assert not window.import_notes(broken)
    assert "Another Story" in warnings[1]
    assert len(marks(window.store, window.work_id)) == 1
