"""Names in the reader are links: clicking one selects its entity."""

from __future__ import annotations

import pytest

from companion.store.names import chapter_mentions, entity_by_id
from companion.ui.qt import Qt

pytestmark = pytest.mark.gui


def link_for(window, text: str) -> str:
    mention = next(m for m in chapter_mentions(window.store, window.chapter_id) if m.text == text)
    return f"ent:{mention.entity_id}@{mention.start}"


def test_clicking_a_unit_selects_it(qtbot, make_window, shared_fixtures):
    window = make_window()
    assert window.import_paths([shared_fixtures / "seed-chapter-035.txt"])
    href = link_for(window, "2nd Corps")
    reader = window.reader
    rect = reader.anchor_rect(href)
    assert rect is not None
    reader.verticalScrollBar().setValue(max(0, rect.top() - 100))
    rect = reader.anchor_rect(href)
    with (
        qtbot.waitSignal(window.entitySelected, timeout=3000) as selected,
        qtbot.waitSignal(reader.popover.shown, timeout=3000) as card,
    ):
        qtbot.mouseClick(reader.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    entity = entity_by_id(window.store, selected.args[0])
    assert entity.name == "2nd Corps"
    assert entity.parent == "Japanese Combined Armed Forces"
    assert "Japanese Combined Armed Forces" in window.statusBar().currentMessage()
    assert card.args[0] == href
    assert "Part of Japanese Combined Armed Forces" in reader.popover.text.text()
    assert reader.popover.title.text() == "2nd Corps"


def test_units_and_nations_are_styled_apart(qtbot, make_window, shared_fixtures):
    window = make_window()
    window.import_paths([shared_fixtures / "seed-chapter-035.txt"])
    html = window.reader.toHtml()
    assert "Japanese Combined Armed Forces" in window.reader.toPlainText()
    unit = link_for(window, "Japanese Combined Armed Forces")
    nation = link_for(window, "Poland")
    colours = {}
    for href in (unit, nation):
        at = html.index(f'href="{href}"')
        colours[href] = html[at : at + 200].split("color:", 1)[1].split(";", 1)[0]
    assert colours[unit] != colours[nation]
