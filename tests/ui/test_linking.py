"""The text, the glossary and the order of battle stay linked; the panes stay spoiler-safe;
back and forward return through the places the reader jumped from.

The linking tests run on a chapter of their own, written below, whose relations are pinned
with the reader's corrections, so what the cards and panes must show does not depend on how
good the name recognizer is. The tests on the bundled sample check only what holds for any
reasonable recognition.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from companion.core.names import Correction
from companion.resources import sample_serial
from companion.store.glossary import glossary
from companion.store.names import add_corrections, chapter_mentions, entity_id
from companion.ui.qt import QPoint, Qt

pytestmark = pytest.mark.gui

ESK = "Kingdom of Esk"
FORCES = "Esk Armed Forces"
DIVISION = "601st Mechanized Division"
# One chapter: the kingdom, its armed forces and a corps near the top; a long stretch without
# names; then the division, named twice, well below the first screen.
FILLER = "Rain fell on the marsh all through the night, and the sentries counted the hours."
CHAPTER = "\n\n".join([
    "The Kingdom of Esk had kept the peace for thirty years.",
    "The Esk Armed Forces were small but well drilled.",
    "The 2nd Corps guarded the capital.",
    *[FILLER] * 60,
    f"At first light the {DIVISION} broke camp.",
    f"By noon the {DIVISION} had reached the river.",
])
PINS = [
    Correction("set_echelon", FORCES, "armed force"),
    Correction("set_parent", FORCES, None),
    Correction("set_side", FORCES, ESK),
    Correction("set_parent", "2nd Corps", FORCES),
    Correction("set_side", "2nd Corps", None),
]


def write_chapter(folder: Path, body: str) -> Path:
    """One chapter in the serial site's export format."""
    folder.mkdir(exist_ok=True)
    path = folder / "ch01.txt"
    path.write_text(
        f"001 - The Esk Watch - 1\n\n700 9 2\n\nThe Capital (June 1, 1912)\n\n{body}\n",
        encoding="utf-8",
    )
    return path


def mention_href(window, name: str) -> str:
    m = next(m for m in chapter_mentions(window.store, window.chapter_id) if m.entity == name)
    return f"ent:{m.entity_id}@{m.start}"


def click_name(qtbot, window, name: str) -> str:
    href = mention_href(window, name)
    window.reader.scroll_to_link(href)
    rect = window.reader.anchor_rect(href)
    with qtbot.waitSignal(window.reader.popover.shown, timeout=3000):
        qtbot.mouseClick(window.reader.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    return href


@pytest.fixture
def fixture_window(make_window, tmp_path):
    """A window on the chapter above, its relations pinned as the reader would."""
    window = make_window()
    assert window.import_paths([write_chapter(tmp_path / "esk", CHAPTER)])
    for correction in PINS:
        add_corrections(window.store, window.work_id, [correction])
    window.refresh_names()
    return window


@pytest.fixture
def sample_window(make_window):
    window = make_window()
    assert window.import_paths(sample_serial())
    return window


def test_clicking_a_name_selects_it_in_both_panes_with_its_card(qtbot, fixture_window):
    window = fixture_window
    click_name(qtbot, window, "2nd Corps")
    corps = entity_id(window.store, window.work_id, "2nd Corps")
    assert window.glossary.selected_entity() == corps
    assert window.oob.selected_entity() == corps
    row = window.oob.model.index_of_entity(corps)
    assert row.parent().data() == FORCES
    assert row.parent().parent().data() == ESK
    assert f"Part of {FORCES}" in window.reader.popover.text.text()


def test_hovering_a_name_shows_its_card(qtbot, fixture_window):
    window = fixture_window
    href = mention_href(window, FORCES)
    window.reader.scroll_to_link(href)
    rect = window.reader.anchor_rect(href)
    qtbot.mouseMove(window.reader.viewport(), rect.center() + QPoint(0, 80))
    with qtbot.waitSignal(window.reader.popover.shown, timeout=3000) as shown:
        qtbot.mouseMove(window.reader.viewport(), rect.center())
    assert shown.args[0] == href
    assert window.reader.popover.title.text() == FORCES
    assert f"Side: {ESK}" in window.reader.popover.text.text()


def test_choosing_in_a_pane_highlights_and_scrolls_to_the_mentions(qtbot, fixture_window):
    window = fixture_window
    division = entity_id(window.store, window.work_id, DIVISION)
    count = sum(
        1 for m in chapter_mentions(window.store, window.chapter_id) if m.entity_id == division
    )
    assert count >= 2
    window.reader.verticalScrollBar().setValue(0)
    first = window.reader.link_spans(f"ent:{division}@")[0][2]
    assert not window.reader.viewport().rect().intersects(window.reader.anchor_rect(first))
    with qtbot.waitSignal(window.entitySelected, timeout=3000):
        window.glossary.entityChosen.emit(division)
    assert len(window.reader.extraSelections()) == count
    assert window.reader.viewport().rect().intersects(window.reader.anchor_rect(first))
    assert window.oob.selected_entity() == division
    with qtbot.waitSignal(window.chapterShown, timeout=3000):
        window.back_action.trigger()  # the jump to the mention is in the history
    assert window.reader.verticalScrollBar().value() == 0


def test_back_and_forward_return_through_jumps(qtbot, sample_window):
    window = sample_window
    chapters = window.store.chapters(window.work_id)
    window.reader.verticalScrollBar().setValue(window.reader.verticalScrollBar().maximum() // 2)
    where = window.reader.scroll_fraction()
    index = window.chapter_model.index(2)
    with qtbot.waitSignal(window.chapterShown, timeout=3000):
        window.chapter_list.clicked.emit(index)
    assert window.chapter_id == chapters[2].id
    window.activateWindow()
    window.reader.setFocus()
    with qtbot.waitSignal(window.chapterShown, timeout=3000) as shown:
        qtbot.keyClick(window.reader, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert shown.args[0] == chapters[0].id
    assert abs(window.reader.scroll_fraction() - where) < 0.02
    assert window.forward_action.isEnabled()
    with qtbot.waitSignal(window.chapterShown, timeout=3000) as shown:
        qtbot.keyClick(window.reader, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert shown.args[0] == chapters[2].id


def test_a_mention_in_another_chapter_opens_there(qtbot, sample_window):
    window = sample_window
    chapters = window.store.chapters(window.work_id)
    later = next(
        m for m in chapter_mentions(window.store, chapters[3].id) if m.entity_id is not None
    )
    with qtbot.waitSignal(window.chapterShown, timeout=3000):
        window.glossary.mentionActivated.emit(chapters[3].id, later.start, later.end)
    assert window.chapter_id == chapters[3].id
    assert window.selected_entity == later.entity_id
    href = f"ent:{later.entity_id}@{later.start}"
    assert window.reader.viewport().rect().intersects(window.reader.anchor_rect(href))


def test_panes_show_only_what_the_reader_has_reached(qtbot, sample_window):
    window = sample_window
    chapters = window.store.chapters(window.work_id)
    everything = glossary(window.store, window.work_id)
    late = next(e for e in everything if e.first_chapter == chapters[2].number)

    window.show_chapter(chapters[1].id)
    assert not window.glossary.model.index_of_entity(late.id).isValid()
    assert window.oob.model.index_of_entity(late.id).isValid() is False or late.kind != "unit"
    assert "spoilers" not in window.scope_label.text()

    window.spoilers_action.trigger()
    assert window.glossary.model.index_of_entity(late.id).isValid()
    assert "spoilers" in window.scope_label.text()
    assert "all chapters" in window.glossary_dock.windowTitle()
    window.spoilers_action.trigger()
    assert not window.glossary.model.index_of_entity(late.id).isValid()

    window.show_chapter(chapters[2].id)
    assert window.glossary.model.index_of_entity(late.id).isValid()
