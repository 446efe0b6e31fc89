"""The order-of-battle pane: tree shape, spoiler scope, drag and drop, context menu, symbols."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtTest import QAbstractItemModelTester

from companion.core.model import Chapter
from companion.resources import sample_serial
from companion.store.glossary import affiliations, set_affiliation, sibling_order
from companion.store.importer import import_files
from companion.store.library import Store
from companion.store.names import annotate_stored_work, corrections, entity_id
from companion.ui.oob import EMPTY_TEXT, ENTITY_ID_ROLE, MIME_TYPE, OobModel, OobPane
from companion.ui.qt import (
    DECORATION_ROLE,
    FONT_ROLE,
    TOOLTIP_ROLE,
    QApplication,
    QColor,
    QModelIndex,
    Qt,
)
from companion.ui.symbols import symbol_icon, symbol_pixmap

pytestmark = pytest.mark.gui

TITLE = "The Amber Coast Campaign"


# -- fixtures and helpers -------------------------------------------------------------------


@pytest.fixture
def store(db_path):
    opened = Store(db_path)
    yield opened
    opened.close()


@pytest.fixture
def work(store) -> int:
    """The bundled sample serial, imported and annotated."""
    return import_files(store, sample_serial()).work_id


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


def cli_tree(db) -> list[dict]:
    out = subprocess.run(
        [sys.executable, "-m", "companion", "oob", "--json", "--db", str(db), "--work", TITLE],
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
    assert list(shape) == ["Aurelian Republic", "Kingdom of Varnia", "Unknown side"]
    assert "1st Army Group" in shape["Aurelian Republic"]["Aurelian Defence Force"]
    assert "8th Armoured Division" in shape["Aurelian Republic"]["Unassigned"]
    assert list(shape["Aurelian Republic"])[-1] == "Unassigned"
    assert path_to(model, "44th Rifle Regiment")[-3:] == [
        "4th Corps", "12th Infantry Division", "44th Rifle Regiment"
    ]

    group = find(model, "Unknown side")
    assert group.data(ENTITY_ID_ROLE) is None
    assert group.data(FONT_ROLE).italic()
    assert group.data(DECORATION_ROLE) is None
    unit = find(model, "21st Armoured Division")
    assert unit.data(ENTITY_ID_ROLE) == entity_id(store, work, "21st Armoured Division")
    assert not unit.data(DECORATION_ROLE).isNull()
    assert "division" in unit.data(TOOLTIP_ROLE)
    assert "Kingdom of Varnia" in unit.data(TOOLTIP_ROLE)
    side = find(model, "Kingdom of Varnia")
    assert side.data(ENTITY_ID_ROLE) == entity_id(store, work, "Kingdom of Varnia")
    assert model.index_of_entity(unit.data(ENTITY_ID_ROLE)) == unit
    assert not model.index_of_entity(-5).isValid()
    assert pane.tree.isExpanded(find(model, "4th Corps"))  # expanded by default
    assert pane.tree.accessibleName() == "Order of battle"
    assert not pane.empty.isVisible()


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
    assert find(model, "1st Battalion").isValid() is False  # first mentioned in chapter 3
    assert not find(model, "31st Infantry Regiment").isValid()
    assert path_to(model, "5th Infantry Division")[-2] == "Unknown side"  # parent said in ch. 3
    pane.set_scope(3)
    assert find(model, "1st Battalion").isValid()
    assert path_to(model, "5th Infantry Division")[-2] == "2nd Corps"
    pane.refresh()
    assert path_to(model, "5th Infantry Division")[-2] == "2nd Corps"


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
    assert path_to(model, "15th Infantry Division")[-2] == "Unknown side"
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
    assert drop(model, "Second Army", find(model, "Kingdom of Varnia"))
    assert path_to(model, "Second Army") == ["Kingdom of Varnia", "Unassigned", "Second Army"]
    assert "Second Army" not in tree(model)["Unknown side"]["1st Coastal Army Group"]


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
        (find(model, "Unknown side"), -1),  # onto a group row
        (QModelIndex(), 0),  # the top level holds only sides
    ):
        assert not model.canDropMimeData(data, move, row, 0, target)
        assert not model.dropMimeData(data, move, row, 0, target)
    assert not model.canDropMimeData(None, move, -1, 0, find(model, "9th Corps"))
    assert (tree(model), corrections(store, work), sibling_order(store, work)) == before


def test_reorder_between_rows_persists(pane, store, work, db_path):
    pane.set_work(store, work)
    model = pane.model
    group = find(model, "Kingdom of Varnia")
    group = model.index(model.rowCount(group) - 1, 0, group)
    assert group.data() == "Unassigned"
    names = list(tree(model)["Kingdom of Varnia"]["Unassigned"])
    assert len(names) >= 3
    last = names[-1]
    assert drop(model, last, group, row=0)
    expected = [last, *names[:-1]]
    assert list(tree(model)["Kingdom of Varnia"]["Unassigned"]) == expected
    assert drop(model, last, find(model, "Unassigned"), row=-1) is False

    annotate_stored_work(store, work)
    again = OobModel()
    again.set_work(store, work)
    assert list(tree(again)["Kingdom of Varnia"]["Unassigned"]) == expected


def test_drop_between_rows_of_another_parent_moves_and_orders(pane, store, work):
    pane.set_work(store, work)
    model = pane.model
    corps = find(model, "4th Corps")
    before = [model.index(row, 0, corps).data() for row in range(model.rowCount(corps))]
    assert "3rd Mountain Brigade" not in before
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

    side_menu = pane.context_menu(find(pane.model, "Aurelian Republic"))
    assert [a.text() for a in side_menu.actions()] == [
        "Mark friendly", "Mark hostile", "Mark neutral", "Mark unknown"
    ]
    with qtbot.waitSignal(pane.changed, timeout=5000) as changed:
        menu_action(side_menu, "Mark hostile").trigger()
    assert changed.args[0].what == "affiliation"
    assert affiliations(store, work) == {"Aurelian Republic": "hostile"}
    assert pane.context_menu(find(pane.model, "Aurelian Republic")).actions()[1].isChecked()

    annotate_stored_work(store, work)
    pane.refresh()
    assert find(pane.model, "21st Panzer Division").isValid()
    assert affiliations(store, work) == {"Aurelian Republic": "hostile"}
    hostile = symbol_icon("hostile", "division", "armour").pixmap(28).toImage()
    shown = find(pane.model, "8th Armoured Division").data(DECORATION_ROLE)
    assert shown.pixmap(28).toImage() == hostile


def test_context_menu_side_echelon_alias_merge_ignore(pane, store, work, monkeypatch):
    pane.set_work(store, work)
    model = pane.model
    menu = pane.context_menu(find(model, "15th Infantry Division"))
    assert "Kingdom of Varnia" in [a.text() for a in menu_action(menu, "Set side").menu().actions()]
    menu_action(menu, "Set side", "Kingdom of Varnia").trigger()
    assert path_to(model, "15th Infantry Division")[:2] == ["Kingdom of Varnia", "Unassigned"]

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
    assert pane.context_menu(find(model, "Unknown side")) is None


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
    set_affiliation(store, work, "Kingdom of Varnia", "friend")
    pane.refresh()
    assert pane.tree.currentIndex().data() == "Y" * 300


def test_pane_without_a_store_is_empty_and_inert(pane):
    pane.set_work(None, None)
    assert pane.model.rowCount() == 0 and pane.empty.isVisible()
    assert pane.context_menu(QModelIndex()) is None
    pane.model.apply([])
    pane.model.mark_side("Nowhere", "friend")
    assert pane.selected_entity() is None
