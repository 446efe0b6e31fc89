"""The order-of-battle tree built from plain entries (no store, no Qt)."""

from __future__ import annotations

from dataclasses import dataclass

from companion.core.oob import (
    UNASSIGNED,
    UNKNOWN_SIDE,
    build_oob,
    echelon_rank,
    natural_key,
    unit_type,
)


@dataclass
class E:
    name: str
    kind: str = "unit"
    echelon: str | None = None
    parent: str | None = None
    side: str | None = None


def shape(nodes) -> list:
    return [(n.label, shape(n.children)) if n.children else n.label for n in nodes]


def test_sides_forces_formations_and_groups():
    entries = [
        E("Esk", "nation"),
        E("Esk Armed Forces", echelon="armed force", side="Esk"),
        E("3rd Corps", echelon="corps", parent="Esk Armed Forces"),
        E("12th Division", echelon="division", parent="3rd Corps"),
        E("2nd Division", echelon="division", parent="3rd Corps"),
        E("7th Brigade", echelon="brigade", side="Esk"),
        E("Lost Battalion", echelon="battalion"),
    ]
    assert shape(build_oob(entries)) == [
        (
            "Esk",
            [
                ("Esk Armed Forces", [("3rd Corps", ["2nd Division", "12th Division"])]),
                (UNASSIGNED, ["7th Brigade"]),
            ],
        ),
        (UNKNOWN_SIDE, ["Lost Battalion"]),
    ]


def test_a_top_unit_takes_the_side_its_subordinates_agree_on():
    entries = [
        E("Esk", "nation"),
        E("Tarn", "nation"),
        E("4th Corps", echelon="corps"),
        E("9th Division", echelon="division", parent="4th Corps", side="Esk"),
        E("10th Division", echelon="division", parent="4th Corps"),
        E("5th Corps", echelon="corps"),
        E("1st Division", echelon="division", parent="5th Corps", side="Esk"),
        E("2nd Division", echelon="division", parent="5th Corps", side="Tarn"),
    ]
    tree = {n.label: n for root in build_oob(entries) for n in root.walk()}
    assert tree["4th Corps"].side == "Esk"
    assert tree["10th Division"].side == "Esk"  # inherited from its corps
    assert tree["5th Corps"].side is None  # its divisions disagree: no guess


def test_cycles_and_missing_parents_do_not_loop():
    entries = [
        E("A Corps", echelon="corps", parent="B Corps"),
        E("B Corps", echelon="corps", parent="A Corps"),
        E("C Division", echelon="division", parent="Not In Scope"),
    ]
    labels = [n.label for root in build_oob(entries) for n in root.walk()]
    assert sorted(labels) == ["A Corps", "B Corps", "C Division", UNKNOWN_SIDE]


def test_readers_order_comes_first():
    entries = [E("Esk", "nation")] + [
        E(f"{n}th Brigade", echelon="brigade", side="Esk") for n in (4, 5, 6)
    ]
    order = {"6th Brigade": 0, "4th Brigade": 1}
    (esk,) = build_oob(entries, order)
    assert [c.label for c in esk.children[0].children] == [
        "6th Brigade",
        "4th Brigade",
        "5th Brigade",
    ]


def test_helpers():
    assert echelon_rank("armed force") < echelon_rank("corps") < echelon_rank("company")
    assert echelon_rank("front") == echelon_rank("army group")
    assert unit_type("17th Mechanized Division") == "mechanized"
    assert unit_type("3rd Tank Brigade") == "armour"
    assert unit_type("11th Rifle Division") == "infantry"
    assert unit_type("Royal Fleet") == "naval"
    assert unit_type("2nd Corps") is None
    assert sorted(["10th", "2nd", "1st"], key=natural_key) == ["1st", "2nd", "10th"]
