"""The glossary as the reader sees it: entities, counts and facts as of a chapter (spoiler-safe),
the reader's descriptions, side affiliations and sibling order, and the name filter (FTS5)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from companion.store.library import Store

AFFILIATIONS = ("friend", "hostile", "neutral")


@dataclass(frozen=True)
class GlossaryEntry:
    """One entity as of a chapter: facts stated later are not shown."""

    id: int
    name: str
    kind: str
    echelon: str | None
    aliases: tuple[str, ...]
    parent: str | None
    side: str | None
    first_chapter: int | None
    mentions: int
    description: str

    def to_json(self) -> dict:
        """The entry as ``companion glossary --json`` prints it."""
        return {
            "name": self.name,
            "kind": self.kind,
            "echelon": self.echelon,
            "aliases": list(self.aliases),
            "parent": self.parent,
            "side": self.side,
            "first_chapter": self.first_chapter,
            "mentions": self.mentions,
            "description": self.description,
        }


@dataclass(frozen=True)
class MentionPlace:
    """Where a mention stands, with a little context to show in a list."""

    chapter_id: int
    chapter_number: int
    chapter_title: str
    start: int
    end: int
    text: str
    snippet: str


def glossary(
    store: Store, work_id: int, up_to: int | None = None, only: int | None = None
) -> list[GlossaryEntry]:
    """The work's entities as of chapter number ``up_to`` (all of them when None); ``only``
    limits it to one entity id.

    An entity is in scope once it has been mentioned; its parent and side show only once a
    chapter in scope states them (or the reader set them) and the parent or side itself is in
    scope. Mention counts are of chapters in scope.
    """
    scope = {"work": work_id, "up_to": up_to, "only": only}
    in_scope_sql = "e.work_id = :work AND (:up_to IS NULL OR e.first_chapter <= :up_to)"
    rows = list(
        store.db.query(
            "SELECT e.*, n.text AS description,"
            " (SELECT count(*) FROM mentions m JOIN chapters c ON c.id = m.chapter_id"
            "  WHERE m.entity_id = e.id AND (:up_to IS NULL OR c.number <= :up_to)) AS mentions"
            " FROM entities e LEFT JOIN entity_notes n ON n.work_id = e.work_id AND n.name = e.name"
            f" WHERE {in_scope_sql} AND (:only IS NULL OR e.id = :only)",
            scope,
        )
    )
    in_scope = {
        r["name"]
        for r in store.db.query(f"SELECT name FROM entities e WHERE {in_scope_sql}", scope)
    }
    stated: dict[tuple[int, str], list[tuple[int | None, str]]] = {}
    for f in store.db.query(
        "SELECT f.entity_id, f.fact, f.value, f.chapter FROM entity_facts f"
        " JOIN entities e ON e.id = f.entity_id WHERE e.work_id = :work"
        " AND (:only IS NULL OR e.id = :only) ORDER BY f.rowid",
        scope,
    ):
        stated.setdefault((f["entity_id"], f["fact"]), []).append((f["chapter"], f["value"]))

    def shown(row: dict, fact: str) -> str | None:
        """The parent or side as the text has stated it by ``up_to``: of what it stated,
        what the latest chapter in scope says (a unit transferred in chapter 9 shows its old
        parent up to chapter 8)."""
        value = row[fact]
        if value is None:
            return None
        facts = stated.get((row["id"], fact), [])
        if up_to is None or all(v != value for _, v in facts):
            # everything is in scope, or set by the reader, or inferred
            return value if value in in_scope else None
        known = [(c, v) for c, v in facts if (c is None or c <= up_to) and v in in_scope]
        if not known:
            return None
        latest = max(-1 if c is None else c for c, _ in known)
        now = [v for c, v in known if (-1 if c is None else c) == latest]
        return value if value in now else now[0]

    entries = [
        GlossaryEntry(
            id=r["id"],
            name=r["name"],
            kind=r["kind"],
            echelon=r["echelon"],
            aliases=tuple(json.loads(r["aliases"])),
            parent=shown(r, "parent"),
            side=shown(r, "side"),
            first_chapter=r["first_chapter"],
            mentions=r["mentions"],
            description=r["description"] or "",
        )
        for r in rows
    ]
    return sorted(entries, key=lambda e: (e.kind, e.name.casefold()))


def search(store: Store, work_id: int, query: str) -> set[int] | None:
    """Ids of the work's entities whose names or aliases match ``query`` word by word, each
    word as a prefix ("12" finds "12th Infantry Division", "inf div" finds it too).
    None when the query has no words (show everything)."""
    words = re.findall(r"\w+", query)
    if not words:
        return None
    match = " ".join('"' + w.replace('"', "") + '"*' for w in words)
    # CROSS JOIN keeps SQLite from running the full-text match once per entity.
    return {
        r["rowid"]
        for r in store.db.query(
            "SELECT s.rowid FROM entity_search s CROSS JOIN entities e ON e.id = s.rowid"
            " WHERE entity_search MATCH ? AND e.work_id = ?",
            [match, work_id],
        )
    }


def mention_places(
    store: Store, entity_id: int, up_to: int | None = None, context: int = 60
) -> list[MentionPlace]:
    """Every mention of an entity in reading order, with a snippet of its sentence."""
    places = []
    for r in store.db.query(
        "SELECT m.chapter_id, c.number, c.title, m.start, m.end, m.text,"
        " substr(c.body, max(1, m.start + 1 - :ctx), m.end - m.start + 2 * :ctx) AS around,"
        " max(0, m.start - :ctx) AS around_start"
        " FROM mentions m JOIN chapters c ON c.id = m.chapter_id"
        " WHERE m.entity_id = :entity AND (:up_to IS NULL OR c.number <= :up_to)"
        " ORDER BY c.number, m.start",
        {"entity": entity_id, "up_to": up_to, "ctx": context},
    ):
        snippet = " ".join(r["around"].split())
        lead = "…" if r["around_start"] > 0 else ""
        places.append(
            MentionPlace(
                r["chapter_id"],
                r["number"],
                r["title"],
                r["start"],
                r["end"],
                r["text"],
                f"{lead}{snippet}…",
            )
        )
    return places


def set_description(store: Store, work_id: int, name: str, text: str) -> None:
    """Save the reader's description of an entity (an empty text removes it)."""
    with store.db.atomic():
        if text.strip():
            store.db.execute(
                "INSERT INTO entity_notes (work_id, name, text) VALUES (?, ?, ?)"
                " ON CONFLICT(work_id, name) DO UPDATE SET text = excluded.text,"
                " updated = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
                [work_id, name, text],
            )
        else:
            store.db.execute(
                "DELETE FROM entity_notes WHERE work_id = ? AND name = ?", [work_id, name]
            )


def affiliations(store: Store, work_id: int) -> dict[str, str]:
    """The sides the reader marked friend, hostile or neutral."""
    return {
        r["side"]: r["affiliation"]
        for r in store.db.query(
            "SELECT side, affiliation FROM side_affiliations WHERE work_id = ?", [work_id]
        )
    }


def set_affiliation(store: Store, work_id: int, side: str, affiliation: str | None) -> None:
    """Mark a side friend, hostile or neutral (None: unknown again)."""
    if affiliation is not None and affiliation not in AFFILIATIONS:
        raise ValueError(f"affiliation must be one of {', '.join(AFFILIATIONS)}")
    with store.db.atomic():
        store.db.execute(
            "DELETE FROM side_affiliations WHERE work_id = ? AND side = ?", [work_id, side]
        )
        if affiliation is not None:
            store.db.execute(
                "INSERT INTO side_affiliations (work_id, side, affiliation) VALUES (?, ?, ?)",
                [work_id, side, affiliation],
            )


def sibling_order(store: Store, work_id: int) -> dict[str, int]:
    """The reader's own order of entities among their siblings in the order of battle."""
    return {
        r["name"]: r["position"]
        for r in store.db.query(
            "SELECT name, position FROM entity_order WHERE work_id = ?", [work_id]
        )
    }


def set_sibling_order(store: Store, work_id: int, names: list[str]) -> None:
    """Put these siblings in this order (the reader dragged one between two others)."""
    put_sibling_positions(store, work_id, {name: i for i, name in enumerate(names)})


def put_sibling_positions(store: Store, work_id: int, positions: dict[str, int | None]) -> None:
    """Set each name's place among its siblings (None: no place of the reader's, as before)."""
    with store.db.atomic():
        for name, position in positions.items():
            if position is None:
                store.db.execute(
                    "DELETE FROM entity_order WHERE work_id = ? AND name = ?", [work_id, name]
                )
                continue
            store.db.execute(
                "INSERT INTO entity_order (work_id, name, position) VALUES (?, ?, ?)"
                " ON CONFLICT(work_id, name) DO UPDATE SET position = excluded.position",
                [work_id, name, position],
            )
