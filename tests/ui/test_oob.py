"""The order-of-battle pane: tree shape, spoiler scope, drag and drop, context menu, symbols.

The tests run on a small serial of their own, written below. Its text names every unit in the
plainest way, and every relation the tests rely on is pinned with the reader's corrections
(which always win over recognition), so the expected tree is fixed by this file and not by how
good the name recognizer happens to be. The one relation left to the text is the simplest
construction there is ("the 5th Infantry Division of the 2nd Corps"), stated only in chapter 3,
for the spoiler-scope test.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtTest import QAbstractItemModelTester

from companion.core.model import Chapter
from companion.core.names import Correction
from companion.core.oob import UNASSIGNED, UNKNOWN_SIDE
from companion.resources import sample_serial
from companion.store.glossary import affiliations, glossary, set_affiliation, sibling_order
from companion.store.importer import import_files
from companion.store.library import Store
from companion.store.names import (
    add_corrections,
    annotate_stored_work,
    chapter_mentions,
    corrections,
    entity_id,
)
from companion.ui.oob import EMPTY_TEXT, ENTITY_ID_ROLE, MIME_TYPE, OobModel, OobPane
from companion.ui.qt import (
    DECORATION_ROLE,
    FONT_ROLE,
    TOOLTIP_ROLE,
    QApplication,
    QColor,
    QModelIndex,
    Qt,
    QUndoStack,
)
from companion.ui.symbols import symbol_icon, symbol_pixmap

pytestmark = pytest.mark.gui

TITLE = "The Salt Marsh War"
ESK = "Kingdom of Esk"
MORVATH = "Republic of Morvath"

# The serial, in the site's export format (see `write_chapters`). Each unit is named in full,
# mostly in sentences of its own. "1st Battalion" and "31st Infantry Regiment" first appear
# in chapter 3; the 5th Infantry Division's parent is stated only in chapter 3.
CHAPTERS = [
    "The Kingdom of Esk and the Republic of Morvath had quarrelled over the salt marshes for a"
    " generation.\n\n"
    "The Esk Armed Forces mustered on the northern bank. The 1st Army Group gathered by the"
    " lakes. The Second Army marched first. The Sixth Army followed a day behind.\n\n"
    "The 4th Corps camped by the ferry. The 12th Infantry Division camped on the hill. The 44th"
    " Rifle Regiment dug trenches. The 8th Armoured Division waited in the woods.",
    "Across the marshes the 2nd Corps held the causeway. The 9th Corps held the mill. The 3rd"
    " Mountain Brigade watched the passes.\n\n"
    "The 21st Armoured Division rolled south at dawn.\n\n"
    "Nobody knew whom the 15th Infantry Division obeyed. The 17th Infantry Division kept to"
    " itself.\n\n"
    "The 5th Infantry Division marched alone along the dykes.",
    "The 5th Infantry Division of the 2nd Corps crossed the causeway at noon.\n\n"
    "The 1st Battalion stormed the mill. The 31st Infantry Regiment came up in the evening.\n\n"
    "The 21st Armoured Division turned east.",
]

# unit -> (parent, side), pinned with corrections; None clears whatever the text may suggest.
PINS = {
    "Esk Armed Forces": (None, ESK),
    "1st Army Group": ("Esk Armed Forces", None),
    "Second Army": ("1st Army Group", None),
    "Sixth Army": ("1st Army Group", None),
    "4th Corps": ("Second Army", None),
    "12th Infantry Division": ("4th Corps", None),
    "44th Rifle Regiment": ("12th Infantry Division", None),
    "1st Battalion": ("44th Rifle Regiment", None),
    "8th Armoured Division": (None, ESK),
    "2nd Corps": (None, MORVATH),
    "9th Corps": (None, MORVATH),
    "3rd Mountain Brigade": ("9th Corps", None),
    "21st Armoured Division": (None, MORVATH),
    "15th Infantry Division": (None, None),
    "17th Infantry Division": (None, None),
    "31st Infantry Regiment": ("5th Infantry Division", None),
}

# Where every unit of the serial sits in the whole tree (sides sort by name, "Unassigned" last
# within a side, "Unknown side" last of all).
PATHS = {
    "Esk Armed Forces": [ESK],
    "1st Army Group": [ESK, "Esk Armed Forces"],
    "Second Army": [ESK, "Esk Armed Forces", "1st Army Group"],
    "Sixth Army": [ESK, "Esk Armed Forces", "1st Army Group"],
    "4th Corps": [ESK, "Esk Armed Forces", "1st Army Group", "Second Army"],
    "12th Infantry Division": [ESK, "Esk Armed Forces", "1st Army Group", "Second Army",
                               "4th Corps"],
    "44th Rifle Regiment": [ESK, "Esk Armed Forces", "1st Army Group", "Second Army",
                            "4th Corps", "12th Infantry Division"],
    "1st Battalion": [ESK, "Esk Armed Forces", "1st Army Group", "Second Army", "4th Corps",
                      "12th Infantry Division", "44th Rifle Regiment"],
    "8th Armoured Division": [ESK, UNASSIGNED],
    "2nd Corps": [MORVATH, UNASSIGNED],
    "5th Infantry Division": [MORVATH, UNASSIGNED, "2nd Corps"],
    "31st Infantry Regiment": [MORVATH, UNASSIGNED, "2nd Corps", "5th Infantry Division"],
    "9th Corps": [MORVATH, UNASSIGNED],
    "3rd Mountain Brigade": [MORVATH, UNASSIGNED, "9th Corps"],
    "21st Armoured Division": [MORVATH, UNASSIGNED],
    "15th Infantry Division": [UNKNOWN_SIDE],
    "17th Infantry Division": [UNKNOWN_SIDE],
}


def write_chapters(folder: Path, bodies: list[str]) -> list[Path]:
    """Chapters in the serial site's export format, numbered from 1."""
    folder.mkdir(exist_ok=True)
    paths = []
    for number, body in enumerate(bodies, 1):
        path = folder / f"ch{number:02d}.txt"
        path.write_text(
            f"{number:03d} - Salt Marsh War - {number}\n\n900 12 3\n\n"
            f"The Marshes (May {number}, 1911)\n\n{body}\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


# -- fixtures and helpers -------------------------------------------------------------------


@pytest.fixture
def store(db_path):
    opened = Store(db_path)
    yield opened
    opened.close()


@pytest.fixture
def work(store, tmp_path) -> int:
    """The serial above, imported and annotated, with its relations pinned."""
    work_id = import_files(
        store, write_chapters(tmp_path / "serial", CHAPTERS), title=TITLE
    ).work_id
    add_corrections(store, work_id, [Correction("set_echelon", "Esk Armed Forces", "armed force")])
    for unit, (parent, side) in PINS.items():
        add_corrections(store, work_id, [Correction("set_parent", unit, parent)])
        add_corrections(store, work_id, [Correction("set_side", unit, side)])
    # its parent is left to the text (chapter 3), its side to the parent's
    add_corrections(store, work_id, [Correction("set_side", "5th Infantry Division", None)])
    return work_id


@pytest.fixture
def pane(qtbot):
    """A shown pane whose model runs under QAbstractItemModelTester (fatal) throughout."""
    widget = OobPane()
    widget.tester = QAbstractItemModelTester(
        widget.model, QAbstractItemModelTester.FailureReportingMode.Fatal
    )
    qtbot.addWidget(widget)
    widget.resize(420, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def tree(model, parent: QModelIndex | None = None) -> dict:
    """The model as nested {label: {...}} (unit names are unique)."""
    parent = parent or QModelIndex()
    out = {}
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        out[index.data()] = tree(model, index)
    return out


def rows(model, parent: QModelIndex | None = None) -> list[QModelIndex]:
    """Every row of the model, depth first."""
    parent = parent or QModelIndex()
    out = []
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        out += [index, *rows(model, index)]
    return out


def path_to(model, name: str) -> list[str] | None:
    """The labels from the top of the tree down to the row named ``name``."""

    def walk(parent, trail):
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            here = [*trail, index.data()]
            if index.data() == name:
                return here
            found = walk(index, here)
            if found:
                return found
        return None

    return walk(QModelIndex(), [])


def find(model, name: str) -> QModelIndex:
    def walk(parent):
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            if index.data() == name:
                return index
            found = walk(index)
            if found.isValid():
                return found
        return QModelIndex()

    return walk(QModelIndex())


def drop(model, name: str, target: QModelIndex, row: int = -1) -> bool:
    data = model.mimeData([find(model, name)])
    return model.dropMimeData(data, Qt.DropAction.MoveAction, row, 0, target)


def cli_tree(db, title: str = TITLE) -> list[dict]:
    out = subprocess.run(
        [sys.executable, "-m", "companion", "oob", "--json", "--db", str(db), "--work", title],
        capture_output=True, text=True, check=True, timeout=60,
    )
    return json.loads(out.stdout)


def cli_path(nodes: list[dict], name: str, trail: tuple = ()) -> list[str] | None:
    for node in nodes:
        here = [*trail, node["name"]]
        if node["name"] == name:
            return here
        found = cli_path(node["children"], name, tuple(here))
        if found:
            return found
    return None


def menu_action(menu, *labels: str):
    """The action reached through submenus by these labels."""
    for label in labels[:-1]:
        menu = next(a.menu() for a in menu.actions() if a.text() == label)
    return next(a for a in menu.actions() if a.text() == labels[-1])


# -- the tree ---------------------------------------------------------------------------------


def test_sides_armed_forces_formations_and_groups(pane, store, work):
    pane.set_work(store, work)
    model = pane.model
    shape = tree(model)
    assert list(shape) == [ESK, MORVATH, UNKNOWN_SIDE]
    for unit, path in PATHS.items():
        assert path_to(model, unit) == [*path, unit], unit
    assert list(shape[ESK]) == ["Esk Armed Forces", UNASSIGNED]  # armed forces, then the rest
    assert list(shape[MORVATH]) == [UNASSIGNED]
    assert list(shape[MORVATH][UNASSIGNED]) == [  # by echelon, then by number
        "2nd Corps", "9th Corps", "21st Armoured Division"
    ]
    assert list(shape[ESK]["Esk Armed Forces"]["1st Army Group"]) == ["Second Army", "Sixth Army"]
    shown = [model.node(i).name for i in rows(model) if model.node(i).kind == "unit"]
    units = [e.name for e in glossary(store, work) if e.kind == "unit"]
    assert sorted(shown, key=str.casefold) == sorted(units, key=str.casefold)
    assert model.unit_names() == sorted(shown, key=str.casefold)  # every unit, each exactly once

    group = find(model, UNKNOWN_SIDE)
    assert group.data(ENTITY_ID_ROLE) is None
    assert group.data(FONT_ROLE).italic()
    assert group.data(DECORATION_ROLE) is None
    assert find(model, UNASSIGNED).data(ENTITY_ID_ROLE) is None
    unit = find(model, "21st Armoured Division")
    assert unit.data(ENTITY_ID_ROLE) == entity_id(store, work, "21st Armoured Division")
    assert not unit.data(DECORATION_ROLE).isNull()
    assert "division" in unit.data(TOOLTIP_ROLE)
    assert MORVATH in unit.data(TOOLTIP_ROLE)
    assert ESK in find(model, "1st Battalion").data(TOOLTIP_ROLE)  # the side is inherited
    side = find(model, MORVATH)
    assert side.data(ENTITY_ID_ROLE) == entity_id(store, work, MORVATH)
    assert side.data(FONT_ROLE).bold()
    assert model.index_of_entity(unit.data(ENTITY_ID_ROLE)) == unit
    assert not model.index_of_entity(-5).isValid()
    assert pane.tree.isExpanded(find(model, "4th Corps"))  # expanded by default
    assert pane.tree.accessibleName() == "Order of battle"
    assert not pane.empty.isVisible()


def cli_shape(nodes: list[dict]) -> dict:
    return {node["name"]: cli_shape(node["children"]) for node in nodes}


def test_the_bundled_sample_gives_a_well_formed_tree_that_agrees_with_the_cli(
    pane, store, db_path
):
    """Holds for any recognition: the tree's rules, not what it recognizes."""
    work = import_files(store, sample_serial()).work_id
    pane.set_work(store, work)
    model = pane.model
    units = [e.name for e in glossary(store, work) if e.kind == "unit"]
    shown = [model.node(i).name for i in rows(model) if model.node(i).kind == "unit"]
    assert units and sorted(shown, key=str.casefold) == sorted(units, key=str.casefold)
    top = [model.node(model.index(r, 0)) for r in range(model.rowCount())]
    assert all(n.kind == "side" for n in top if n.label != UNKNOWN_SIDE)
    assert UNKNOWN_SIDE not in [n.label for n in top[:-1]]  # last, if there at all
    for side in (model.index(r, 0) for r in range(model.rowCount())):
        children = [model.node(model.index(r, 0, side)) for r in range(model.rowCount(side))]
        if model.node(side).kind == "side":
            assert [c.label for c in children[:-1]].count(UNASSIGNED) == 0  # last, if there
            assert all(c.echelon == "armed force" for c in children if c.kind == "unit")
        else:
            assert all(c.kind == "unit" for c in children)
    for index in rows(model):  # a unit's children are units, and nothing is empty but units
        node = model.node(index)
        if node.kind == "unit":
            assert all(model.node(model.index(r, 0, index)).kind == "unit"
                       for r in range(model.rowCount(index)))
        else:
            assert model.rowCount(index) > 0
    assert cli_shape(cli_tree(db_path, store.works()[0].title)) == tree(model)


def test_empty_pane_says_so(pane, store, work):
    assert pane.empty.isVisible() and pane.empty.text() == EMPTY_TEXT
    pane.set_work(store, work)
    pane.set_scope(0)
    assert pane.model.rowCount() == 0
    assert pane.empty.isVisible() and not pane.tree.isVisible()
    pane.set_scope(None)
    assert pane.tree.isVisible() and not pane.empty.isVisible()


def test_scope_hides_later_units_and_later_relations(pane, store, work):
    pane.set_work(store, work)
    pane.set_scope(2)
    model = pane.model
    assert not find(model, "1st Battalion").isValid()  # first mentioned in chapter 3
    assert not find(model, "31st Infantry Regiment").isValid()
    assert path_to(model, "5th Infantry Division") == [UNKNOWN_SIDE, "5th Infantry Division"]
    assert path_to(model, "2nd Corps") == [MORVATH, UNASSIGNED, "2nd Corps"]  # parent: ch. 3
    assert model.rowCount(find(model, "2nd Corps")) == 0
    assert list(tree(model))[-1] == UNKNOWN_SIDE
    pane.set_scope(3)
    assert find(model, "1st Battalion").isValid()
    assert path_to(model, "5th Infantry Division")[-2] == "2nd Corps"
    assert path_to(model, "31st Infantry Regiment")[-3:-1] == ["2nd Corps", "5th Infantry Division"]
    pane.refresh()
    assert path_to(model, "5th Infantry Division")[-2] == "2nd Corps"
    pane.set_scope(1)
    assert not find(model, "2nd Corps").isValid() and find(model, "4th Corps").isValid()
    assert UNKNOWN_SIDE not in tree(model)  # nothing without a side yet: no group row


def test_refresh_keeps_collapsed_rows_and_selection(pane, store, work):
    pane.set_work(store, work)
    corps = find(pane.model, "4th Corps")
    pane.tree.collapse(corps)
    pane.select_entity(entity_id(store, work, "21st Armoured Division"))
    pane.refresh()
    assert not pane.tree.isExpanded(find(pane.model, "4th Corps"))
    assert pane.tree.isExpanded(find(pane.model, "2nd Corps"))
    assert pane.tree.currentIndex().data() == "21st Armoured Division"


def test_select_entity_expands_and_does_not_emit(pane, qtbot, store, work):
    pane.set_work(store, work)
    pane.tree.collapseAll()
    battalion = entity_id(store, work, "1st Battalion")
    with qtbot.assertNotEmitted(pane.entityChosen):
        assert pane.select_entity(battalion)
    index = pane.tree.currentIndex()
    assert index.data() == "1st Battalion"
    assert pane.tree.isExpanded(index.parent()) and pane.tree.isExpanded(index.parent().parent())
    assert not pane.select_entity(None)

    target = find(pane.model, "2nd Corps")
    pane.tree.scrollTo(target)
    with qtbot.waitSignal(pane.entityChosen, timeout=2000) as chosen:
        qtbot.mouseClick(
            pane.tree.viewport(), Qt.MouseButton.LeftButton,
            pos=pane.tree.visualRect(target).center(),
        )
    assert chosen.args == [entity_id(store, work, "2nd Corps")]


# -- drag and drop ----------------------------------------------------------------------------


def test_drag_division_onto_another_parent_agrees_with_cli(pane, qtbot, store, work, db_path):
    pane.set_work(store, work)
    model = pane.model
    assert path_to(model, "15th Infantry Division")[-2] == UNKNOWN_SIDE
    target = find(model, "2nd Corps")
    data = model.mimeData([find(model, "15th Infantry Division")])
    assert data.hasFormat(MIME_TYPE)
    assert model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, 0, target)
    with qtbot.waitSignal(pane.changed, timeout=5000) as changed:
        assert drop(model, "15th Infantry Division", target)
    assert changed.args[0].what == "names"
    assert path_to(model, "15th Infantry Division")[-2:] == ["2nd Corps", "15th Infantry Division"]

    store.close()
    reopened = Store(db_path)
    try:
        again = OobModel()
        again.set_work(reopened, work)
        assert path_to(again, "15th Infantry Division")[-2] == "2nd Corps"
    finally:
        reopened.close()
    assert cli_path(cli_tree(db_path), "15th Infantry Division")[-2] == "2nd Corps"


def test_drop_on_a_side_sets_the_side_and_clears_the_parent(pane, store, work):
    pane.set_work(store, work)
    model = pane.model
    assert drop(model, "Second Army", find(model, MORVATH))
    assert path_to(model, "Second Army") == [MORVATH, UNASSIGNED, "Second Army"]
    assert list(tree(model)[ESK]["Esk Armed Forces"]["1st Army Group"]) == ["Sixth Army"]
    assert path_to(model, "4th Corps")[:4] == [MORVATH, UNASSIGNED, "Second Army", "4th Corps"]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # QDragMoveEvent(QPoint, ...) in 6.12
def test_real_drop_event_on_the_view(pane, store, work):
    pane.set_work(store, work)
    view, model = pane.tree, pane.model
    source, target = find(model, "17th Infantry Division"), find(model, "9th Corps")
    view.scrollTo(target)
    data = model.mimeData([source])
    pos = view.visualRect(target).center()
    actions, buttons = Qt.DropAction.MoveAction, Qt.MouseButton.LeftButton
    none = Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(pos, actions, data, buttons, none)
    QApplication.sendEvent(view.viewport(), enter)
    move = QDragMoveEvent(pos, actions, data, buttons, none)
    QApplication.sendEvent(view.viewport(), move)
    assert move.isAccepted()
    QApplication.sendEvent(view.viewport(), QDropEvent(QPointF(pos), actions, data, buttons, none))
    assert path_to(model, "17th Infantry Division")[-2] == "9th Corps"


def test_cycle_and_group_drops_are_refused(pane, store, work):
    pane.set_work(store, work)
    model = pane.model
    before = (tree(model), corrections(store, work), sibling_order(store, work))
    data = model.mimeData([find(model, "4th Corps")])
    move = Qt.DropAction.MoveAction
    for target, row in (
        (find(model, "44th Rifle Regiment"), -1),  # its own grandchild
        (find(model, "1st Battalion"), 0),  # between the rows under a descendant
        (find(model, "4th Corps"), -1),  # itself
        (find(model, "4th Corps"), 0),  # among its own children
        (find(model, UNKNOWN_SIDE), -1),  # onto a group row
        (find(model, UNASSIGNED), -1),  # onto a group row
        (QModelIndex(), 0),  # the top level holds only sides
    ):
        assert not model.canDropMimeData(data, move, row, 0, target)
        assert not model.dropMimeData(data, move, row, 0, target)
    assert not model.canDropMimeData(None, move, -1, 0, find(model, "9th Corps"))
    assert (tree(model), corrections(store, work), sibling_order(store, work)) == before


def test_reorder_between_rows_persists(pane, store, work, db_path):
    pane.set_work(store, work)
    model = pane.model
    group = find(model, MORVATH)
    group = model.index(model.rowCount(group) - 1, 0, group)
    assert group.data() == UNASSIGNED
    names = list(tree(model)[MORVATH][UNASSIGNED])
    assert names == ["2nd Corps", "9th Corps", "21st Armoured Division"]
    last = names[-1]
    assert drop(model, last, group, row=0)
    expected = [last, *names[:-1]]
    assert list(tree(model)[MORVATH][UNASSIGNED]) == expected
    assert drop(model, last, find(model, UNASSIGNED), row=-1) is False

    annotate_stored_work(store, work)
    again = OobModel()
    again.set_work(store, work)
    assert list(tree(again)[MORVATH][UNASSIGNED]) == expected


def test_drop_between_rows_of_another_parent_moves_and_orders(pane, store, work):
    pane.set_work(store, work)
    model = pane.model
    corps = find(model, "4th Corps")
    before = [model.index(row, 0, corps).data() for row in range(model.rowCount(corps))]
    assert before == ["12th Infantry Division"]
    assert path_to(model, "3rd Mountain Brigade")[-2] == "9th Corps"
    assert drop(model, "3rd Mountain Brigade", corps, row=0)
    corps = find(model, "4th Corps")
    after = [model.index(row, 0, corps).data() for row in range(model.rowCount(corps))]
    assert after == ["3rd Mountain Brigade", *before]


# -- context menu -------------------------------------------------------------------------------


def test_context_menu_rename_and_mark_hostile_survive_reannotation(
    pane, qtbot, store, work, monkeypatch
):
    pane.set_work(store, work)
    monkeypatch.setattr(pane, "_ask_text", lambda title, label, default: "21st Panzer Division")
    menu = pane.context_menu(find(pane.model, "21st Armoured Division"))
    assert [a.text() for a in menu.actions() if a.text()] == [
        "Rename…", "Merge into…", "Add alias…", "Not a name", "Set side", "Set echelon"
    ]
    with qtbot.waitSignal(pane.changed, timeout=5000):
        menu_action(menu, "Rename…").trigger()
    assert find(pane.model, "21st Panzer Division").isValid()
    assert not find(pane.model, "21st Armoured Division").isValid()

    side_menu = pane.context_menu(find(pane.model, ESK))
    assert [a.text() for a in side_menu.actions()] == [
        "Mark friendly", "Mark hostile", "Mark neutral", "Mark unknown", "",
        "Rename…", "Merge into…", "Add alias…", "Not a name",
    ]
    with qtbot.waitSignal(pane.changed, timeout=5000) as changed:
        menu_action(side_menu, "Mark hostile").trigger()
    assert changed.args[0].what == "affiliation"
    assert affiliations(store, work) == {ESK: "hostile"}
    assert pane.context_menu(find(pane.model, ESK)).actions()[1].isChecked()

    annotate_stored_work(store, work)
    pane.refresh()
    assert find(pane.model, "21st Panzer Division").isValid()
    assert affiliations(store, work) == {ESK: "hostile"}
    assert path_to(pane.model, "21st Panzer Division") == [MORVATH, UNASSIGNED,
                                                           "21st Panzer Division"]
    hostile = symbol_icon("hostile", "division", "armour").pixmap(28).toImage()
    shown = find(pane.model, "8th Armoured Division").data(DECORATION_ROLE)
    assert shown.pixmap(28).toImage() == hostile


def test_context_menu_side_echelon_alias_merge_ignore(pane, store, work, monkeypatch):
    pane.set_work(store, work)
    model = pane.model
    menu = pane.context_menu(find(model, "15th Infantry Division"))
    sides = [a.text() for a in menu_action(menu, "Set side").menu().actions()]
    assert ESK in sides and MORVATH in sides
    menu_action(menu, "Set side", MORVATH).trigger()
    assert path_to(model, "15th Infantry Division") == [MORVATH, UNASSIGNED,
                                                        "15th Infantry Division"]

    menu = pane.context_menu(find(model, "15th Infantry Division"))
    assert menu_action(menu, "Set echelon", "division").isChecked()
    menu_action(menu, "Set echelon", "brigade").trigger()
    assert "brigade" in find(model, "15th Infantry Division").data(TOOLTIP_ROLE)

    monkeypatch.setattr(pane, "_ask_text", lambda title, label, default: "the Fifteenth")
    menu_action(pane.context_menu(find(model, "15th Infantry Division")), "Add alias…").trigger()
    assert any(c.action == "alias" and c.value == "the Fifteenth" for c in corrections(store, work))

    offered = []
    monkeypatch.setattr(
        pane, "_ask_item", lambda title, label, items: offered.extend(items) or "2nd Corps"
    )
    menu_action(pane.context_menu(find(model, "9th Corps")), "Merge into…").trigger()
    assert "9th Corps" not in offered and "2nd Corps" in offered
    assert not find(model, "9th Corps").isValid()
    assert path_to(model, "3rd Mountain Brigade")[-2] == "2nd Corps"

    menu_action(pane.context_menu(find(model, "Sixth Army")), "Not a name").trigger()
    assert not find(model, "Sixth Army").isValid()
    annotate_stored_work(store, work)
    pane.refresh()
    assert not find(model, "Sixth Army").isValid() and not find(model, "9th Corps").isValid()

    monkeypatch.setattr(pane, "_ask_text", lambda title, label, default: None)  # cancelled
    before = corrections(store, work)
    menu_action(pane.context_menu(find(model, "2nd Corps")), "Rename…").trigger()
    assert corrections(store, work) == before
    assert pane.context_menu(find(model, UNKNOWN_SIDE)) is None


# -- undo ---------------------------------------------------------------------------------------


def test_a_drop_is_one_undoable_step_that_restores_parent_side_and_order(pane, store, work):
    pane.set_work(store, work)
    model = pane.model
    model.undo_stack = stack = QUndoStack()
    before = (tree(model), corrections(store, work), sibling_order(store, work))
    assert drop(model, "3rd Mountain Brigade", find(model, "4th Corps"), row=0)
    assert stack.count() == 1 and stack.undoText().startswith("Set parent of 3rd Mountain")
    after = tree(model)
    assert path_to(model, "3rd Mountain Brigade")[-2] == "4th Corps"

    stack.undo()
    assert (tree(model), corrections(store, work), sibling_order(store, work)) == before
    stack.redo()
    assert tree(model) == after


def test_name_edits_undo_with_ctrl_z_and_the_corrections_dialog_takes_back(
    window, qtbot, monkeypatch
):
    pane, store, work = window.oob, window.store, window.work_id
    unit = "17th Infantry Division"
    renamed = "The Seventeenth"
    monkeypatch.setattr(pane, "_ask_text", lambda title, label, default: renamed)
    with qtbot.waitSignal(pane.changed, timeout=10000):
        menu_action(pane.context_menu(find(pane.model, unit)), "Rename…").trigger()
    assert find(pane.model, renamed).isValid() and not find(pane.model, unit).isValid()
    assert window.undo_action.text() == f"&Undo Rename {unit} to {renamed}"
    assert renamed in link_names(window)

    window.reader.setFocus()
    with qtbot.waitSignal(pane.changed, timeout=10000):
        qtbot.keyClick(window.reader, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert find(pane.model, unit).isValid() and not find(pane.model, renamed).isValid()
    assert corrections(store, work) == []
    assert unit in link_names(window) and renamed not in link_names(window)
    with qtbot.waitSignal(pane.changed, timeout=10000):
        window.redo_action.trigger()
    assert find(pane.model, renamed).isValid()

    menu_action(pane.context_menu(find(pane.model, "Sixth Army")), "Not a name").trigger()
    window.corrections_action.trigger()
    dialog = window._corrections
    qtbot.waitExposed(dialog)
    rows = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert rows == [f"Rename {unit} to {renamed}", "Sixth Army is not a name"]
    assert not dialog.take_back.isEnabled()
    dialog.list.item(1).setSelected(True)
    with qtbot.waitSignal(window.undo_stack.indexChanged, timeout=10000):
        qtbot.mouseClick(dialog.take_back, Qt.MouseButton.LeftButton)
    assert find(pane.model, "Sixth Army").isValid()
    assert [dialog.list.item(i).text() for i in range(dialog.list.count())] == rows[:1]
    with qtbot.waitSignal(window.undo_stack.indexChanged, timeout=10000):
        window.undo_action.trigger()  # puts the correction back
    assert not find(pane.model, "Sixth Army").isValid()
    assert dialog.list.count() == 2
    dialog.close()


def link_names(window) -> set[str]:
    """The names the chapter on screen links to."""
    return {m.entity for m in chapter_mentions(window.store, window.chapter_id)}


# -- symbols --------------------------------------------------------------------------------------


def colour(image, x: int, y: int) -> QColor:
    return image.pixelColor(x, y)


def test_symbols_differ_by_affiliation_and_draw_the_echelon_mark():
    images = {
        aff: symbol_pixmap(aff, "division", "infantry", 100).toImage()
        for aff in ("friend", "hostile", "neutral", None)
    }
    assert len({bytes(i.constBits()) for i in images.values()}) == 4
    for image in images.values():
        assert not image.isNull() and image.width() >= 100
    # the fill colour of each frame, left of the infantry cross
    assert colour(images["friend"], 10, 66).name() == "#80e0ff"
    assert colour(images["hostile"], 32, 66).name() == "#ff8080"
    assert colour(images["neutral"], 30, 66).name() == "#aaffaa"
    assert colour(images[None], 50, 45).name() == "#ffff80"
    # XX above the frame: the middle of the first X is inked; an armed force has no mark
    division = symbol_pixmap("friend", "division", None, 100).toImage()
    force = symbol_pixmap("friend", "armed force", None, 100).toImage()
    dark = symbol_pixmap("friend", "division", None, 100, dark=True).toImage()
    assert colour(division, 36, 17).alpha() > 200 and colour(division, 36, 17).lightness() < 60
    assert colour(dark, 36, 17).lightness() > 200
    assert all(colour(force, x, y).alpha() == 0 for x in range(0, 100, 3) for y in range(0, 30))
    assert colour(division, 2, 2).alpha() == 0  # transparent background
    # cached, and an icon at every common size
    first = symbol_pixmap("friend", "division", None, 100).cacheKey()
    assert symbol_pixmap("friend", "division", None, 100).cacheKey() == first
    assert not symbol_icon("hostile", "corps", "armour").pixmap(24).isNull()


def test_every_echelon_and_type_draws():
    for echelon in ("team", "squad", "section", "platoon", "company", "battalion", "regiment",
                    "brigade", "division", "corps", "army", "army group", "theater", None, "??"):
        for kind in ("infantry", "armour", "mechanized", "artillery", "aviation", "naval", None):
            pixmap = symbol_pixmap("neutral", echelon, kind, 24)
            assert pixmap.width() >= 24 and not pixmap.toImage().isNull()


# -- bad input ------------------------------------------------------------------------------------


def _bare_work(store: Store) -> int:
    chapter = Chapter(body="Nothing here.", number=1, title="One")
    return store.import_chapters("Bad Names", [(chapter, None)]).work_id


def _entity(store, work, name, kind="unit", echelon=None, parent=None, side=None):
    store.db.execute(
        "INSERT INTO entities (work_id, name, kind, echelon, parent, side, first_chapter)"
        " VALUES (?, ?, ?, ?, ?, ?, 1)",
        [work, name, kind, echelon, parent, side],
    )


WEIRD = [
    'The "Iron" Division',
    "O'Brien's [Own] Rifles (Reserve)",
    "الفرقة المدرعة الأولى",
    "第一軍団",
    "שריון 7",
    "X" * 300,
    "<b>bold</b> & co",
]


def test_weird_names_and_five_thousand_siblings(pane, qtbot, store):
    work = _bare_work(store)
    with store.db.atomic():
        _entity(store, work, "Nation «Ω»", kind="nation")
        _entity(store, work, "Great Corps", echelon="corps", side="Nation «Ω»")
        for name in WEIRD:
            _entity(store, work, name, echelon="division", parent="Great Corps")
        for i in range(5000):
            _entity(store, work, f"{i + 1}th Rifle Battalion", echelon="battalion",
                    parent="Great Corps")
    pane.set_work(store, work)
    model = pane.model
    corps = find(model, "Great Corps")
    assert model.rowCount(corps) == 5000 + len(WEIRD)
    for name in WEIRD:
        index = find(model, name)
        assert index.data() == name and not index.data(DECORATION_ROLE).isNull()
    assert "division" in find(model, "X" * 300).data(TOOLTIP_ROLE)
    pane.select_entity(find(model, "第一軍団").data(ENTITY_ID_ROLE))
    assert pane.tree.currentIndex().data() == "第一軍団"

    assert drop(model, "4999th Rifle Battalion", corps, row=0)  # reorder among 5,007
    assert model.index(0, 0, find(model, "Great Corps")).data() == "4999th Rifle Battalion"
    assert len(sibling_order(store, work)) == 5000 + len(WEIRD)
    pane.tree.viewport().repaint()
    qtbot.wait(10)


def test_rename_to_weird_names_and_mark_sides(pane, store, work, monkeypatch):
    pane.set_work(store, work)
    for new in ('"Quoted" [Bracketed] Division', "第一軍団 الفرقة", "Y" * 300):
        old = pane.tree.currentIndex().data() or "21st Armoured Division"
        monkeypatch.setattr(pane, "_ask_text", lambda title, label, default, new=new: new)
        menu_action(pane.context_menu(find(pane.model, old)), "Rename…").trigger()
        assert find(pane.model, new).isValid()
        pane.select_entity(find(pane.model, new).data(ENTITY_ID_ROLE))
    set_affiliation(store, work, MORVATH, "friend")
    pane.refresh()
    assert pane.tree.currentIndex().data() == "Y" * 300


def test_pane_without_a_store_is_empty_and_inert(pane):
    pane.set_work(None, None)
    assert pane.model.rowCount() == 0 and pane.empty.isVisible()
    assert pane.context_menu(QModelIndex()) is None
    pane.model.apply([])
    pane.model.mark_side("Nowhere", "friend")
    assert pane.selected_entity() is None
