"""The order of battle: sides → armed forces → formations by echelon, as a plain tree.

Pure Python, built from any entries that have ``name``, ``kind``, ``echelon``, ``parent`` and
``side`` (the store's glossary entries, the recognizer's entities).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from companion.core.names.lexicon import load_lexicon

UNASSIGNED = "Unassigned"
UNKNOWN_SIDE = "Unknown side"

# APP-6 echelon amplifiers, shown above a unit's symbol.
ECHELON_MARKS = {
    "team": "Ø",
    "squad": "●",
    "section": "●●",
    "platoon": "●●●",
    "company": "I",
    "battery": "I",
    "troop": "I",
    "battalion": "II",
    "squadron": "II",
    "regiment": "III",
    "group": "III",
    "brigade": "X",
    "legion": "X",
    "division": "XX",
    "corps": "XXX",
    "army": "XXXX",
    "army group": "XXXXX",
    "front": "XXXXX",
    "theater": "XXXXXX",
}

# Words in a unit's name that say what arm it is, checked in this order.
UNIT_TYPES = (
    ("mechanized", r"mechani[sz]ed|motori[sz]ed|motor rifle|panzergrenadier|armou?red infantry"),
    ("armour", r"armou?r(?:ed)?|tanks?|panzer|cavalry tank"),
    ("artillery", r"artillery|guns?|howitzers?|rockets?|mortars?"),
    ("aviation", r"air|aviation|wings?|aerial|airborne"),
    ("naval", r"navy|naval|fleets?|flotillas?|marines?|squadron of ships"),
    ("infantry", r"infantry|rifles?|fusiliers?|grenadiers?|mountain|jäger|jaeger|light"),
)
_TYPE_RES = [(kind, re.compile(rf"\b(?:{words})\b", re.IGNORECASE)) for kind, words in UNIT_TYPES]


class EntryLike(Protocol):
    name: str
    kind: str
    echelon: str | None
    parent: str | None
    side: str | None


@dataclass
class OobNode:
    """One row of the tree: a side, a group ("Unassigned", "Unknown side") or a unit."""

    label: str
    kind: str  # "side", "group" or "unit"
    name: str | None = None  # canonical entity name of a side or unit
    echelon: str | None = None
    side: str | None = None  # the side the row belongs to (inherited from its parents)
    children: list[OobNode] = field(default_factory=list)

    def to_json(self) -> dict:
        """The node as ``companion oob --json`` prints it."""
        return {
            "name": self.label,
            "kind": self.kind,
            "echelon": self.echelon,
            "side": self.side,
            "children": [c.to_json() for c in self.children],
        }

    def walk(self):
        """This node and every node below it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


def echelon_rank(echelon: str | None) -> int:
    """Position of an echelon on the ladder: 0 for armed forces, larger for smaller units."""
    lexicon = load_lexicon()
    if echelon is None:
        return len(lexicon.ladder)
    rung = lexicon.ladder_alias.get(echelon, echelon)
    return lexicon.ladder.index(rung) if rung in lexicon.ladder else len(lexicon.ladder)


def unit_type(name: str) -> str | None:
    """What arm a unit's name says it is: infantry, armour, mechanized, artillery, ..."""
    for kind, pattern in _TYPE_RES:
        if pattern.search(name):
            return kind
    return None


def natural_key(text: str) -> tuple:
    """Sort key that puts "2nd" before "10th"."""
    return tuple(int(p) if p.isdigit() else p.casefold() for p in re.split(r"(\d+)", text))


def build_oob(entries: Sequence[EntryLike], order: dict[str, int] | None = None) -> list[OobNode]:
    """The tree of sides, their armed forces and formations, "Unassigned" and "Unknown side".

    ``order`` gives the reader's own position for an entity among its siblings; the rest
    follow by echelon, then name.
    """
    order = order or {}
    units = {e.name: e for e in entries if e.kind == "unit"}
    nations = {e.name for e in entries if e.kind == "nation"}
    parent = {name: _unit_parent(name, units) for name in units}
    stated = {name: _stated_side(units[name], nations) for name in units}
    for name, side in _sides_from_subordinates(units, parent, stated).items():
        stated[name] = side
    side_of = {name: _side(name, parent, stated) for name in units}

    nodes = {
        name: OobNode(name, "unit", name, e.echelon, side_of[name]) for name, e in units.items()
    }
    sides: dict[str, OobNode] = {}
    groups: dict[str | None, OobNode] = {}
    for name in units:
        if parent[name] is not None:
            nodes[parent[name]].children.append(nodes[name])
            continue
        side = side_of[name]
        if side is None:
            groups.setdefault(None, OobNode(UNKNOWN_SIDE, "group")).children.append(nodes[name])
            continue
        if side not in sides:
            sides[side] = OobNode(side, "side", side, None, side)
        side_node = sides[side]
        if units[name].echelon == "armed force":
            side_node.children.append(nodes[name])
        else:
            group = groups.setdefault(side, OobNode(UNASSIGNED, "group", None, None, side))
            group.children.append(nodes[name])
    for side, group in groups.items():
        if side is not None:
            sides[side].children.append(group)

    def sort(node: OobNode) -> None:
        node.children.sort(
            key=lambda c: (
                c.kind == "group",
                order.get(c.name or "", 1 << 30),
                echelon_rank(c.echelon),
                natural_key(c.label),
            )
        )
        for child in node.children:
            sort(child)

    roots = sorted(sides.values(), key=lambda n: natural_key(n.label))
    if None in groups:
        roots.append(groups[None])
    for root in roots:
        sort(root)
    return roots


def _unit_parent(name: str, units: dict[str, EntryLike]) -> str | None:
    """The unit's parent if it is a unit in the tree and following parents never loops."""
    seen = {name}
    current = units[name].parent
    first = current
    while current is not None and current in units:
        if current in seen:
            return None
        seen.add(current)
        current = units[current].parent
    return first if first in units else None


def _stated_side(entry: EntryLike, nations: set[str]) -> str | None:
    """The side the entry itself names: its side, or a nation given as its parent."""
    if entry.side in nations:
        return entry.side
    return entry.parent if entry.parent in nations else None


def _sides_from_subordinates(
    units: dict[str, EntryLike], parent: dict[str, str | None], stated: dict[str, str | None]
) -> dict[str, str]:
    """Sides for top units that state none, taken from what their subordinates state: a
    corps whose divisions are all Varnian is Varnian. Only when they agree."""
    below: dict[str, set[str]] = {}
    for name, side in stated.items():
        if side is None:
            continue
        current, seen = parent[name], {name}
        while current is not None and current not in seen:
            seen.add(current)
            below.setdefault(current, set()).add(side)
            current = parent[current]
    return {
        name: next(iter(sides))
        for name, sides in below.items()
        if len(sides) == 1 and parent[name] is None and stated[name] is None
    }


def _side(name: str, parent: dict[str, str | None], stated: dict[str, str | None]) -> str | None:
    """The unit's own side, else its nearest ancestor's."""
    current: str | None = name
    seen: set[str] = set()
    while current is not None and current not in seen:
        seen.add(current)
        if stated[current] is not None:
            return stated[current]
        current = parent[current]
    return None
