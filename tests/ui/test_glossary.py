"""The glossary pane: names by kind, the filter, details, notes, mentions and spoiler scope.

Most tests run on small serials of their own, written below, that name each unit in full;
the relations they rely on are pinned with the reader's corrections (which always win over
recognition) or stated in the plainest construction ("the 7th Rifle Regiment of the 12th
Rifle Division"). Tests on the bundled sample or the shared fixture check only what holds
for any reasonable recognition.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtTest import QAbstractItemModelTester

from companion.core.names import Correction
from companion.resources import sample_serial
from companion.store.glossary import GlossaryEntry, glossary, mention_places
from companion.store.importer import import_files
from companion.store.library import Store
from companion.store.names import add_corrections, entity_id
from companion.ui.glossary import GlossaryModel, GlossaryPane
from companion.ui.qt import (
    DISPLAY_ROLE,
    TOOLTIP_ROLE,
    USER_ROLE,
    QModelIndex,
    QPoint,
    Qt,
    QTextCursor,
)

pytestmark = pytest.mark.gui

FATAL = QAbstractItemModelTester.FailureReportingMode.Fatal


def write_chapters(folder: Path, bodies: list[str]) -> list[Path]:
    """Chapters in the serial site's export format, numbered from 1."""
    folder.mkdir(exist_ok=True)
    paths = []
    for number, body in enumerate(bodies, 1):
        path = folder / f"ch{number:02d}.txt"
        path.write_text(
            f"{number:03d} - Scene {number} - 1\n\n120 3 1\n\n"
            f"Border Post (March {number}, 1940)\n\n{body}\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


THREE_CHAPTERS = [
    "The 12th Rifle Division held the line near the river. The Kingdom of Varnia watched.",
    "The 12th Rifle Division dug in for the winter.\n\nFar to the south, the 7th Rifle"
    " Regiment arrived by rail.",
    "The 7th Rifle Regiment of the 12th Rifle Division attacked at dawn. The 44th Tank Brigade"
    " joined the 12th Rifle Division. The 7th Rifle Regiment took the bridge.",
]


# A serial for the filter, details, notes and mentions: one name with "Rifle", one with "9th",
# two corps; the 21st Armoured Division is named five times in three chapters.
ESK = "Kingdom of Esk"
CHAPTERS = [
    "The Kingdom of Esk sent troops to the frontier.\n\n"
    "The 44th Rifle Regiment guarded the ford below the town. The 12th Infantry Division"
    " camped on the ridge. The 4th Corps waited by the railway.\n\n"
    "The 21st Armoured Division arrived after dark.",
    "The 9th Corps crossed the hills. The 15th Infantry Division dug in by the lake.\n\n"
    "The 21st Armoured Division refuelled at the depot. Later the 21st Armoured Division moved"
    " north.",
    "The 21st Armoured Division reached the coast. The 4th Corps followed.\n\n"
    "At dusk the 21st Armoured Division halted.",
]
PINS = [
    Correction("set_parent", "44th Rifle Regiment", "12th Infantry Division"),
    Correction("set_side", "44th Rifle Regiment", ESK),
]




@pytest.fixture
def pane(qtbot, store):
    pane = GlossaryPane()
    qtbot.addWidget(pane)
    pane.resize(320, 760)
    pane.show()
    qtbot.waitExposed(pane)
    yield pane
    pane.set_work(None, None)  # saves pending notes while the store is still open


@pytest.fixture
def sample(store) -> int:
    return import_files(store, sample_serial()).work_id


@pytest.fixture
def serial(store, tmp_path) -> int:
    """The serial above, imported, with its relations pinned."""
    work = import_files(store, write_chapters(tmp_path / "esk", CHAPTERS), title="Esk").work_id
    for correction in PINS:
        add_corrections(store, work, [correction])
    return work


def entry_rows(model) -> list[QModelIndex]:
    rows = []
    for g in range(model.rowCount()):
        group = model.index(g, 0)
        rows += [model.index(r, 0, group) for r in range(model.rowCount(group))]
    return rows


def names(model) -> list[str]:
    return [i.data(DISPLAY_ROLE) for i in entry_rows(model)]


def group_labels(model) -> list[str]:
    return [model.index(g, 0).data(DISPLAY_ROLE) for g in range(model.rowCount())]


def type_filter(qtbot, pane: GlossaryPane, text: str) -> None:
    pane.filter_edit.clear()
    with qtbot.waitSignal(pane.filterApplied, timeout=3000):
        if text.isascii():
            qtbot.keyClicks(pane.filter_edit, text)
        else:  # QTest types Latin-1 only; an input method would insert the text whole
            pane.filter_edit.insert(text)


def entry(name: str, kind: str, mentions: int = 1, parent: str | None = None) -> GlossaryEntry:
    return GlossaryEntry(0, name, kind, None, (), parent, None, 1, mentions, "")


# -- the model --------------------------------------------------------------------------


GROUP_ORDER = [
    ("nation", "Nations"), ("unit", "Units"), ("organization", "Organizations"),
    ("place", "Places"), ("person", "People"), ("term", "Terms"),
]


def test_model_passes_the_tester_across_resets_and_filters(qtbot, store, sample):
    model = GlossaryModel()
    QAbstractItemModelTester(model, FATAL)
    entries = glossary(store, sample)
    model.set_entries(entries)
    counts = Counter(e.kind for e in entries)
    assert counts["unit"] >= 3 and counts["nation"] >= 2  # the sample has names to show
    assert group_labels(model) == [
        f"{label} ({counts[kind]})" for kind, label in GROUP_ORDER if counts[kind]
    ]
    assert len(entry_rows(model)) == len(entries)
    units = [e.id for e in entries if e.kind == "unit"][:3]
    model.set_filter(set(units))
    assert group_labels(model) == ["Units (3)"]
    model.set_filter(set())
    assert model.rowCount() == 0
    model.set_filter(None)
    assert len(entry_rows(model)) == len(entries)
    model.set_entries(entries[:5])
    model.set_entries([])
    assert model.rowCount() == 0


def test_model_groups_in_order_with_counts_ids_and_tooltips():
    model = GlossaryModel()
    QAbstractItemModelTester(model, FATAL)
    kinds = ["term", "person", "place", "organization", "unit", "nation"]
    entries = [
        GlossaryEntry(i, f"{k} {i}", k, None, (), None, None, 1, i, "") for i, k in enumerate(kinds)
    ]
    entries.append(
        GlossaryEntry(9, "4th Corps", "unit", "corps", (), "Second Army", "Varnia", 1, 7, "")
    )
    model.set_entries(entries)
    assert group_labels(model) == [
        "Nations (1)", "Units (2)", "Organizations (1)", "Places (1)", "People (1)", "Terms (1)"
    ]
    assert model.index(1, 0).data(USER_ROLE) is None
    corps = model.index_of_entity(9)
    assert corps.data(DISPLAY_ROLE) == "4th Corps" and corps.data(USER_ROLE) == 9
    assert corps.siblingAtColumn(1).data(DISPLAY_ROLE) == "7"
    tip = corps.data(TOOLTIP_ROLE)
    assert "corps" in tip and "Side: Varnia" in tip and "Part of: Second Army" in tip
    model.set_filter({0})
    assert not model.index_of_entity(9).isValid()


def test_units_sort_by_number():
    model = GlossaryModel()
    model.set_entries([entry(n, "unit") for n in ("12th Corps", "2nd Corps", "1st Corps")])
    assert names(model) == ["1st Corps", "2nd Corps", "12th Corps"]


# -- the filter -------------------------------------------------------------------------


def test_typing_601_leaves_only_names_with_a_word_starting_601(qtbot, store, pane,
                                                               shared_fixtures):
    work = import_files(store, [shared_fixtures / "seed-chapter-035.txt"]).work_id
    pane.set_work(store, work)
    assert len(entry_rows(pane.model)) > 10
    type_filter(qtbot, pane, "601")
    expected = [
        e for e in glossary(store, work)
        if any(re.match(r"601", word) for n in (e.name, *e.aliases) for word in re.findall(
            r"\w+", n))
    ]
    assert "601st Mechanized Division" in names(pane.model)
    assert sorted(names(pane.model)) == sorted(e.name for e in expected)
    counts = Counter(e.kind for e in expected)
    assert group_labels(pane.model) == [
        f"{label} ({counts[kind]})" for kind, label in GROUP_ORDER if counts[kind]
    ]


def test_typing_a_number_leaves_one_row(qtbot, store, pane, serial):
    pane.set_work(store, serial)
    assert len(entry_rows(pane.model)) >= 7
    type_filter(qtbot, pane, "44")
    assert names(pane.model) == ["44th Rifle Regiment"]
    assert group_labels(pane.model) == ["Units (1)"]


@pytest.mark.parametrize("query", ["!!!", '"*(', "   ", "*", "\\"])
def test_punctuation_only_shows_everything(qtbot, store, pane, serial, query):
    pane.set_work(store, serial)
    everything = names(pane.model)
    type_filter(qtbot, pane, "rifle")
    assert names(pane.model) == ["44th Rifle Regiment"]
    type_filter(qtbot, pane, query)
    assert names(pane.model) == everything


def test_refresh_keeps_filter_and_selection(qtbot, store, pane, serial):
    pane.set_work(store, serial)
    type_filter(qtbot, pane, "inf div")
    chosen = entity_id(store, serial, "15th Infantry Division")
    assert pane.select_entity(chosen)
    pane.refresh()
    assert pane.filter_edit.text() == "inf div"
    assert "44th Rifle Regiment" not in names(pane.model)
    assert pane.tree.currentIndex().data(USER_ROLE) == chosen
    assert pane.title.text() == "15th Infantry Division"


def test_select_entity_clears_a_hiding_filter_and_emits_nothing(qtbot, store, pane, serial):
    pane.set_work(store, serial)
    type_filter(qtbot, pane, "corps")
    regiment = entity_id(store, serial, "44th Rifle Regiment")
    with qtbot.assertNotEmitted(pane.entityChosen):
        assert pane.select_entity(regiment)
    assert pane.filter_edit.text() == ""
    assert pane.tree.currentIndex().data(USER_ROLE) == regiment
    assert not pane.select_entity(999_999)


def test_enter_in_the_filter_chooses_the_first_match(qtbot, store, pane, serial):
    pane.set_work(store, serial)
    type_filter(qtbot, pane, "9th")
    with qtbot.waitSignal(pane.entityChosen, timeout=3000) as chosen:
        qtbot.keyClick(pane.filter_edit, Qt.Key.Key_Return)
    assert chosen.args == [entity_id(store, serial, "9th Corps")]
    assert pane.title.text() == "9th Corps"


# -- details and links ------------------------------------------------------------------


def test_choosing_a_row_shows_details_and_the_parent_link(qtbot, store, pane, serial):
    pane.set_work(store, serial)
    regiment = entity_id(store, serial, "44th Rifle Regiment")
    division = entity_id(store, serial, "12th Infantry Division")
    index = pane.model.index_of_entity(regiment)
    pane.tree.scrollTo(index)
    with qtbot.waitSignal(pane.entityChosen, timeout=3000) as chosen:
        qtbot.mouseClick(
            pane.tree.viewport(), Qt.MouseButton.LeftButton,
            pos=pane.tree.visualRect(index).center(),
        )
    assert chosen.args == [regiment]
    assert pane.title.text() == "44th Rifle Regiment"
    assert "regiment" in pane.kind_label.text()
    assert pane.parent_link.isVisible() and pane.side_link.isVisible()
    assert f'href="{division}"' in pane.parent_link.text()
    assert pane.first_label.text().startswith("First mentioned in chapter 1 — ")

    link = pane.parent_link
    with qtbot.waitSignal(pane.entityLinkActivated, timeout=3000) as activated:
        qtbot.mouseClick(
            link, Qt.MouseButton.LeftButton, pos=QPoint(link.contentsRect().left() + 4,
                                                         link.height() // 2)
        )
    assert activated.args == [division]


# -- notes ------------------------------------------------------------------------------


def description(store: Store, work: int, name: str) -> str:
    return next(e.description for e in glossary(store, work) if e.name == name)


def test_notes_are_saved_as_typed_and_survive_reopening(qtbot, store, pane, serial, tmp_path):
    pane.set_work(store, serial)
    corps = entity_id(store, serial, "4th Corps")
    pane.select_entity(corps)
    pane.notes.setFocus()
    with qtbot.waitSignal(pane.descriptionSaved, timeout=3000) as saved:
        qtbot.keyClicks(pane.notes, "Wennerholm's corps; lands at Veskar.")
    assert saved.args == [corps]
    assert description(store, serial, "4th Corps") == "Wennerholm's corps; lands at Veskar."

    qtbot.keyClicks(pane.notes, " <b>[sic]</b>")
    pane.select_entity(entity_id(store, serial, "9th Corps"))  # saves at once
    assert description(store, serial, "4th Corps").endswith("<b>[sic]</b>")
    assert pane.notes.toPlainText() == ""

    pane.set_work(None, None)
    store.close()
    with Store(tmp_path / "library.sqlite3") as reopened:
        text = description(reopened, serial, "4th Corps")
    assert text == "Wennerholm's corps; lands at Veskar. <b>[sic]</b>"


def test_a_refresh_on_save_keeps_the_new_choice(qtbot, store, pane, serial):
    pane.descriptionSaved.connect(pane.refresh)  # as a change hub would
    pane.set_work(store, serial)
    pane.select_entity(entity_id(store, serial, "4th Corps"))
    pane.notes.setFocus()
    qtbot.keyClicks(pane.notes, "Lands at Veskar.")
    corps = entity_id(store, serial, "9th Corps")
    index = pane.model.index_of_entity(corps)
    with qtbot.waitSignal(pane.entityChosen, timeout=3000) as chosen:
        qtbot.mouseClick(
            pane.tree.viewport(), Qt.MouseButton.LeftButton,
            pos=pane.tree.visualRect(index).center(),
        )
    assert chosen.args == [corps]
    assert pane.tree.currentIndex().data(USER_ROLE) == corps
    assert pane.title.text() == "9th Corps" and pane.notes.toPlainText() == ""
    assert description(store, serial, "4th Corps") == "Lands at Veskar."


def test_focus_out_saves_and_undo_works(qtbot, store, pane, serial):
    pane.set_work(store, serial)
    pane.select_entity(entity_id(store, serial, "9th Corps"))
    pane.notes.setFocus()
    qtbot.keyClicks(pane.notes, "Breaks through the Kessen Gap.")
    pane.filter_edit.setFocus()  # focus-out saves without waiting for the timer
    assert description(store, serial, "9th Corps") == "Breaks through the Kessen Gap."

    pane.select_entity(entity_id(store, serial, "4th Corps"))
    pane.select_entity(entity_id(store, serial, "9th Corps"))  # loads the saved note afresh
    assert pane.notes.toPlainText() == "Breaks through the Kessen Gap."
    pane.notes.setFocus()
    pane.notes.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(pane.notes, " Or not.")
    assert pane.notes.toPlainText() == "Breaks through the Kessen Gap. Or not."
    qtbot.keyClick(pane.notes, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert pane.notes.toPlainText() == "Breaks through the Kessen Gap."
    qtbot.keyClick(pane.notes, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert pane.notes.toPlainText() == "Breaks through the Kessen Gap."  # the loaded note stays
    pane.save_notes()
    assert description(store, serial, "9th Corps") == "Breaks through the Kessen Gap."


# -- mentions ---------------------------------------------------------------------------


def chapter_body(store: Store, chapter_id: int) -> str:
    return store.load_chapter(chapter_id).body


def test_activating_a_mention_gives_its_place(qtbot, store, pane, serial):
    pane.set_work(store, serial)
    armoured = entity_id(store, serial, "21st Armoured Division")
    pane.select_entity(armoured)
    mentions = pane.mentions
    places = mention_places(store, armoured)
    assert mentions.count() == len(places) >= 5  # named in full five times
    assert all(mentions.item(i).text().startswith("Ch. ") for i in range(mentions.count()))
    assert [mentions.item(i).text()[:5] for i in (0, mentions.count() - 1)] == ["Ch. 1", "Ch. 3"]

    at = mentions.visualItemRect(mentions.item(0)).center()
    assert mentions.viewport().rect().contains(at)
    with qtbot.waitSignal(pane.mentionActivated, timeout=3000) as activated:
        qtbot.mouseClick(mentions.viewport(), Qt.MouseButton.LeftButton, pos=at)
        qtbot.mouseDClick(mentions.viewport(), Qt.MouseButton.LeftButton, pos=at)
    chapter_id, start, end = activated.args
    assert (chapter_id, start, end) == (places[0].chapter_id, places[0].start, places[0].end)
    assert chapter_body(store, chapter_id)[start:end] == "21st Armoured Division"

    mentions.setFocus()
    mentions.setCurrentRow(3)
    with qtbot.waitSignal(pane.mentionActivated, timeout=3000) as activated:
        qtbot.keyClick(mentions, Qt.Key.Key_Return)
    chapter_id, start, end = activated.args
    assert (chapter_id, start, end) == (places[3].chapter_id, places[3].start, places[3].end)
    text = chapter_body(store, chapter_id)[start:end]
    assert text == places[3].text
    pane.grab()  # the snippets paint
    parts = mentions.item(3).data(USER_ROLE + 1)
    assert parts[2] == text


# -- spoiler scope ----------------------------------------------------------------------


def test_scope_hides_later_names_counts_and_relations(qtbot, store, pane, tmp_path):
    work = import_files(
        store, write_chapters(tmp_path / "serial", THREE_CHAPTERS), title="Border Serial"
    ).work_id
    brigade = entity_id(store, work, "44th Tank Brigade")
    regiment = entity_id(store, work, "7th Rifle Regiment")
    division = entity_id(store, work, "12th Rifle Division")

    early, every = mention_places(store, division, 2), mention_places(store, division)
    assert len(early) >= 2 and len(every) > len(early)  # named in every chapter

    pane.set_work(store, work, up_to=2)
    assert "44th Tank Brigade" not in names(pane.model)
    assert not pane.select_entity(brigade)
    count = pane.model.index_of_entity(division).siblingAtColumn(1)
    assert count.data(DISPLAY_ROLE) == str(len(early))
    pane.select_entity(regiment)
    assert pane.parent_link.isHidden()
    assert "12th Rifle Division" not in (pane.model.index_of_entity(regiment).data(TOOLTIP_ROLE))
    pane.select_entity(division)
    assert pane.mentions.count() == len(early)
    shown = {pane.mentions.item(i).text()[:5] for i in range(pane.mentions.count())}
    assert shown == {"Ch. 1", "Ch. 2"}

    pane.set_scope(3)
    assert "44th Tank Brigade" in names(pane.model)
    count = pane.model.index_of_entity(division).siblingAtColumn(1)
    assert count.data(DISPLAY_ROLE) == str(len(every))
    assert pane.title.text() == "12th Rifle Division" and pane.mentions.count() == len(every)
    pane.select_entity(regiment)
    assert not pane.parent_link.isHidden()
    assert f'href="{division}"' in pane.parent_link.text()

    pane.set_scope(0)
    assert pane.model.rowCount() == 0
    assert pane.empty_label.isVisible() and not pane.tree.isVisible()
    assert "No names" in pane.empty_label.text()


# -- bad input --------------------------------------------------------------------------

LONG_NAME = ("Long-Named Guards Division of the Northern Coast " * 8)[:300]
ODD_NAMES = {
    "11th Rifle Division": 'The "Iron" Division',
    "12th Rifle Division": '<b>[Brackets]</b> (& Co) {x}',
    "13th Rifle Division": "חטיבת הברזל 7",
    "14th Rifle Division": "第一師団",
    "15th Rifle Division": LONG_NAME,
    "16th Rifle Division": "Ü" * 300,
}


def test_odd_names_display_without_exception(qtbot, store, pane, tmp_path):
    body = (
        "The 11th Rifle Division, the 12th Rifle Division, the 13th Rifle Division, the 14th"
        " Rifle Division, the 15th Rifle Division and the 16th Rifle Division crossed the river."
        " The 3rd Rifle Regiment of the 12th Rifle Division led."
        " Locals called them 鉄の師団 and חטיבה 7."
    )
    work = import_files(store, write_chapters(tmp_path / "odd", [body]), title="Odd").work_id
    parent = Correction("set_parent", "3rd Rifle Regiment", "12th Rifle Division")
    add_corrections(store, work, [parent])  # pinned; the renames below carry it along
    for old, new in ODD_NAMES.items():
        add_corrections(store, work, [Correction("rename", old, new)])
    add_corrections(store, work, [Correction("alias", "第一師団", "鉄の師団")])  # mentions in CJK
    add_corrections(store, work, [Correction("alias", "חטיבת הברזל 7", "חטיבה 7")])  # and in RTL

    pane.set_work(store, work)
    shown = names(pane.model)
    assert set(ODD_NAMES.values()) <= set(shown)
    for name in ODD_NAMES.values():
        assert pane.select_entity(entity_id(store, work, name))
        assert pane.title.text() == name
        pane.grab()  # paints the tree, details and mentions
    for name, alias in (("第一師団", "鉄の師団"), ("חטיבת הברזל 7", "חטיבה 7")):
        pane.select_entity(entity_id(store, work, name))
        assert alias in pane.aliases_label.text()
        count = pane.mentions.count()
        mentioned = [pane.mentions.item(i).data(USER_ROLE + 1)[2] for i in range(count)]
        assert count >= 2 and alias in mentioned
        pane.grab()
    pane.select_entity(entity_id(store, work, "3rd Rifle Regiment"))
    assert html.escape('<b>[Brackets]</b> (& Co) {x}') in pane.parent_link.text()
    for query in ("第一", "חטיבת", '"Iron', "[Brackets]", "Long-Named Guards"):
        type_filter(qtbot, pane, query)
        assert pane.model.rowCount() >= 1
        pane.grab()
    assert pane.width() <= 400
