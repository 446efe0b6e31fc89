"""Find in the chapter (Ctrl+F, F3) and search the whole work (Ctrl+Shift+F), on real widgets."""

from __future__ import annotations

import re

import pytest
from PySide6.QtTest import QAbstractItemModelTester

from companion.store.notes import add_highlight, find_quote
from companion.store.search import Hit
from companion.ui.qt import Qt
from companion.ui.search import SNIPPET_ROLE, find_all, snippet_html

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def selected(window) -> str:
    return window.reader.textCursor().selectedText()


def found_shades(window) -> int:
    """How many extra selections the reader draws in its find colours."""
    reader = window.reader
    colours = {reader._found_colour.name(), reader.palette().highlight().color().name()}
    return sum(s.format.background().color().name() in colours for s in reader.extraSelections())


def test_ctrl_f_shades_every_match_and_f3_moves_to_the_next(qtbot, window):
    reader = window.reader
    body = reader.chapter.body
    expected = len(re.findall("corps", body, re.IGNORECASE))
    assert expected >= 3
    qtbot.keyClick(reader, Qt.Key.Key_F, CTRL)
    assert window.find_bar.isVisible()
    assert window.find_bar.edit.hasFocus()
    with qtbot.waitSignal(reader.foundChanged, check_params_cb=lambda _c, n: n == expected):
        qtbot.keyClicks(window.find_bar.edit, "Corps")  # found again at every key
    assert window.find_bar.count.text() == f"1 of {expected}"
    assert found_shades(window) == expected
    first = reader.found[0]
    assert selected(window).lower() == "corps"
    assert reader.textCursor().selectionStart() == reader.doc_position(first[0])

    with qtbot.waitSignal(reader.foundChanged) as blocker:
        qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_F3)
    assert blocker.args == [1, expected]
    assert window.find_bar.count.text() == f"2 of {expected}"
    assert reader.textCursor().selectionStart() == reader.doc_position(reader.found[1][0])
    qtbot.keyClick(reader, Qt.Key.Key_F3, SHIFT)
    assert reader.found_current == 0
    qtbot.keyClick(reader, Qt.Key.Key_F3, SHIFT)  # round the start to the last
    assert reader.found_current == expected - 1
    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Return)  # Enter: next, round the end
    assert reader.found_current == 0

    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible()
    assert reader.found == [] and found_shades(window) == 0


def test_matches_shade_over_names_and_highlights_and_go_away_alone(qtbot, window):
    reader = window.reader
    span = find_quote(window.store, window.work_id, window.chapter_number, "Second Army")
    add_highlight(window.store, window.work_id, window.chapter_number, *span, "green", "")
    window.marks_changed()
    entity = next(int(h[4:].split("@")[0]) for _, _, h in reader.link_spans("ent:"))
    window.select_entity(entity)
    others = 1 + len(reader.link_spans(f"ent:{entity}@"))
    assert len(reader.extraSelections()) == others
    window.find_bar.open()
    window.find_bar.edit.setText("the")
    total = len(reader.found)
    assert total > 5
    assert len(reader.extraSelections()) == others + total
    assert found_shades(window) == total
    window.find_bar.close_bar()
    assert len(reader.extraSelections()) == others  # the highlight and names stay shaded


def test_finding_nothing_says_so(qtbot, window):
    window.find_bar.open()
    window.find_bar.edit.setText("zzzq")
    assert window.find_bar.count.text() == "No matches"
    assert not window.find_bar.next_button.isEnabled()
    window.find_bar.edit.setText("")
    assert window.find_bar.count.text() == ""


def test_the_find_follows_to_the_next_chapter(qtbot, window):
    window.find_bar.open()
    window.find_bar.edit.setText("division")
    before = len(window.reader.found)
    with qtbot.waitSignal(window.chapterShown):
        window.step_chapter(1)
    body = window.reader.chapter.body
    assert len(window.reader.found) == len(find_all(body, "division"))
    assert window.reader.found != [] or before == 0


def test_find_all_ignores_case_and_line_breaks():
    text = "The customs\nhouse; the CUSTOMS house."
    assert find_all(text, "customs house") == [(4, 17), (23, 36)]
    assert find_all(text, "  ") == []
    assert find_all(text, "a.b(") == []


def test_whole_work_search_lists_chapters_with_snippets_and_jumps(qtbot, window):
    window.spoilers_action.setChecked(True)  # search every chapter
    start_chapter = window.chapter_id
    qtbot.keyClick(window.reader, Qt.Key.Key_F, CTRL | SHIFT)
    assert window.search_dock.isVisible()
    assert window.search.edit.hasFocus()
    with qtbot.waitSignal(window.search.searched, timeout=3000) as blocker:
        qtbot.keyClicks(window.search.edit, '"customs house"')
    assert blocker.args == ['"customs house"', 1]
    model = window.search.model
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    index = model.index(0, 0)
    snippet = index.data(SNIPPET_ROLE)
    assert "<b>customs house</b>" in snippet
    assert "Chapter 2" in index.data(Qt.ItemDataRole.ToolTipRole)
    chapter_id = index.data(Qt.ItemDataRole.UserRole)
    assert chapter_id != start_chapter

    with qtbot.waitSignal(window.chapterShown) as shown:
        window.search.results.activated.emit(index)
    assert shown.args == [chapter_id]
    assert window.chapter_id == chapter_id
    assert selected(window).lower() == "customs house"
    assert window.reader.found_current == 0 and found_shades(window) >= 1

    window.back_action.trigger()  # the jump went into the history
    assert window.chapter_id == start_chapter


def test_search_results_are_escaped(qtbot, window, tmp_path):
    path = tmp_path / "ch05.txt"
    path.write_text("Chapter 5: Markup\n\nThe <b>bold</b> & <script>x()</script> text.\n")
    assert window.import_paths([path])
    window.spoilers_action.setChecked(True)
    window.open_search()
    with qtbot.waitSignal(window.search.searched):
        window.search.edit.setText("script")
        window.search.search()
    snippet = window.search.model.index(0, 0).data(SNIPPET_ROLE)
    assert "&lt;<b>script</b>&gt;" in snippet
    assert "&lt;b&gt;bold&lt;/b&gt; &amp;" in snippet


def test_search_keeps_to_the_spoiler_scope(qtbot, window):
    window.show_chapter(window.store.chapters(window.work_id)[0].id)
    window.open_search()
    with qtbot.waitSignal(window.search.searched) as blocker:
        window.search.edit.setText('"customs house"')
        window.search.search()
    assert blocker.args[1] == 0
    assert "1 more after chapter 1" in window.search.status.text()
    with qtbot.waitSignal(window.search.searched) as blocker:
        window.spoilers_action.setChecked(True)
    assert blocker.args[1] == 1


@pytest.mark.parametrize("query", ['"', "!!!", '"unclosed', "*", "NEAR(a b"])
def test_odd_queries_show_no_results_and_no_error(qtbot, window, query):
    window.open_search()
    with qtbot.waitSignal(window.search.searched):
        window.search.edit.setText(query)
        window.search.search()
    assert window.search.model.rowCount() in (0, 1, 2, 3, 4)


def test_a_cut_snippet_keeps_its_match():
    hit = Hit(1, 2, "t", (("…the task of occupying the ", False), ("customs house", True),
                          (", the building", False)))
    assert snippet_html(hit) == "…the task of occupying the <b>customs house</b>, the building"
    cut = snippet_html(hit, 30)
    assert "<b>customs house</b>" in cut and cut.startswith("…") and cut.endswith("…")
    assert len(cut.replace("<b>", "").replace("</b>", "")) <= 32
