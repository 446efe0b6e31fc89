"""Names in the reader are links: clicking one selects its entity; a right-click on one, or on
its glossary row, corrects it."""

from __future__ import annotations

import pytest

from companion.store.names import chapter_mentions, entity_by_id
from companion.store.names import entity_id as find_entity_id
from companion.ui.qt import QModelIndex, Qt

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


def texts(menu) -> list[str]:
    return [a.text() for a in menu.actions()]


def entry_named(window, name: str):
    """The glossary row of a name (invalid when it is not there)."""
    entity_id = find_entity_id(window.store, window.work_id, name)
    return window.glossary.model.index_of_entity(entity_id) if entity_id else QModelIndex()


def test_a_name_is_corrected_from_the_text_and_undone(qtbot, window):
    href = link_for(window, "France")
    reader = window.reader
    reader.scroll_to_link(href)
    menu = reader.context_menu(reader.anchor_rect(href).center())
    assert texts(menu)[0] == "Correct “France”"
    assert "Copy &Link Location" not in texts(menu)  # an internal address is no use to copy
    names = menu.actions()[0].menu()
    assert texts(names) == ["Rename…", "Merge into…", "Add alias…", "Not a name"]  # a nation
    with qtbot.waitSignal(window.oob.changed, timeout=10000):
        next(a for a in names.actions() if a.text() == "Not a name").trigger()
    assert "France" not in {m.entity for m in chapter_mentions(window.store, window.chapter_id)}
    assert not entry_named(window, "France").isValid()
    assert not reader.link_spans(href.split("@")[0] + "@")

    with qtbot.waitSignal(window.oob.changed, timeout=10000):
        window.undo_action.trigger()
    again = link_for(window, "France")
    assert reader.link_spans(again.split("@")[0] + "@")
    assert entry_named(window, "France").isValid()


def test_a_unit_is_renamed_from_the_glossary_and_stays_selected(qtbot, monkeypatch, window):
    glossary = window.glossary
    menu = glossary.context_menu(entry_named(window, "Aurelian Defence Force"))
    assert texts(menu)[:4] == ["Rename…", "Merge into…", "Add alias…", "Not a name"]
    assert {"Set side", "Set echelon"} <= set(texts(menu))  # a unit
    assert glossary.context_menu(glossary.model.index(0, 0)) is None  # a group row
    monkeypatch.setattr(window, "_ask_text", lambda title, label, text: "Aurelian Army")
    with qtbot.waitSignal(window.entitySelected, timeout=10000) as selected:
        next(a for a in menu.actions() if a.text() == "Rename…").trigger()
    assert entity_by_id(window.store, selected.args[0]).name == "Aurelian Army"
    assert glossary.tree.currentIndex().data() == "Aurelian Army"
    assert "Aurelian Army" in {m.entity for m in chapter_mentions(window.store, window.chapter_id)}
    assert window.undo_action.text() == "&Undo Rename Aurelian Defence Force to Aurelian Army"


def test_f2_renames_the_selected_name(qtbot, monkeypatch, window):
    window.reader.setFocus()
    qtbot.keyClick(window.reader, Qt.Key.Key_F2)
    assert "Select a name first" in window.statusBar().currentMessage()
    window.select_entity(find_entity_id(window.store, window.work_id, "1st Army Group"))
    monkeypatch.setattr(window, "_ask_text", lambda title, label, text: f"  {text}  ")
    qtbot.keyClick(window.reader, Qt.Key.Key_F2)  # the same name: nothing to do
    assert window.undo_stack.count() == 0
    monkeypatch.setattr(window, "_ask_text", lambda title, label, text: "Army Group Amber")
    with qtbot.waitSignal(window.entitySelected, timeout=10000) as selected:
        qtbot.keyClick(window.reader, Qt.Key.Key_F2)
    assert entity_by_id(window.store, selected.args[0]).name == "Army Group Amber"
    assert window.oob.model.unit_names().count("Army Group Amber") == 1
