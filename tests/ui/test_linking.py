"""The text, the glossary and the order of battle stay linked; the panes stay spoiler-safe;
back and forward return through the places the reader jumped from."""

from __future__ import annotations

import pytest

from companion.resources import sample_serial
from companion.store.glossary import glossary
from companion.store.names import chapter_mentions, entity_id
from companion.ui.qt import QPoint, Qt

pytestmark = pytest.mark.gui


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
def fixture_window(make_window, shared_fixtures):
    window = make_window()
    assert window.import_paths([shared_fixtures / "seed-chapter-035.txt"])
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
    assert row.parent().data() == "Japanese Combined Armed Forces"
    assert "Part of Japanese Combined Armed Forces" in window.reader.popover.text.text()


def test_hovering_a_name_shows_its_card(qtbot, fixture_window):
    window = fixture_window
    href = mention_href(window, "Japanese Combined Armed Forces")
    window.reader.scroll_to_link(href)
    rect = window.reader.anchor_rect(href)
    qtbot.mouseMove(window.reader.viewport(), rect.center() + QPoint(0, 80))
    with qtbot.waitSignal(window.reader.popover.shown, timeout=3000) as shown:
        qtbot.mouseMove(window.reader.viewport(), rect.center())
    assert shown.args[0] == href
    assert window.reader.popover.title.text() == "Japanese Combined Armed Forces"
    assert "Side: Japan" in window.reader.popover.text.text()


def test_choosing_in_a_pane_highlights_and_scrolls_to_the_mentions(qtbot, fixture_window):
    window = fixture_window
    division = entity_id(window.store, window.work_id, "601st Mechanized Division")
    count = sum(
        1 for m in chapter_mentions(window.store, window.chapter_id) if m.entity_id == division
    )
    assert count >= 2
    window.reader.verticalScrollBar().setValue(0)
    with qtbot.waitSignal(window.entitySelected, timeout=3000):
        window.glossary.entityChosen.emit(division)
    assert len(window.reader.extraSelections()) == count
    first = window.reader.link_spans(f"ent:{division}@")[0][2]
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
