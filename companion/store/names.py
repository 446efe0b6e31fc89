"""Recognised names in the store: annotate a work, read its entities and mentions, and keep
the reader's corrections (which win over every re-annotation)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from companion.core.model import Block, story_text
from companion.core.names import Correction, Entity, Recognition, corrected, recognise
from companion.store.library import Store


@dataclass(frozen=True)
class StoredMention:
    """A mention in a stored chapter, pointing at a stored entity (or none, if unresolved)."""

    start: int
    end: int
    text: str
    kind: str
    entity_id: int | None
    entity: str | None


@dataclass(frozen=True)
class AnnotateResult:
    """What annotating a work changed."""

    work_id: int
    entities: int
    mentions: int


def annotate_stored_work(store: Store, work_id: int) -> AnnotateResult:
    """Recognise names in every chapter of a work and store them, in one transaction.

    Entities keep their ids across re-annotation (matched by canonical name); the reader's
    corrections are applied on top of what the text says. Running it twice changes nothing.
    Author's notes are not story text: no names are looked for in them.
    """
    rows = list(
        store.db.query(
            "SELECT id, number, body, blocks FROM chapters WHERE work_id = ? ORDER BY number",
            [work_id],
        )
    )
    texts = [
        (r["number"], story_text(r["body"], [Block(*b) for b in json.loads(r["blocks"])]))
        for r in rows
    ]
    result = corrected(_recognition(store, work_id, texts), corrections(store, work_id))
    chapter_ids = {r["number"]: r["id"] for r in rows}
    with store.db.atomic():
        known = {
            r["name"]: r["id"]
            for r in store.db.query("SELECT id, name FROM entities WHERE work_id = ?", [work_id])
        }
        ids: dict[str, int] = {}
        for entity in result.entities:
            values = _entity_values(entity)
            if entity.name in known:
                entity_id = known[entity.name]
                store.db.execute(
                    "UPDATE entities SET kind = ?, echelon = ?, parent = ?, side = ?, aliases = ?,"
                    " first_chapter = ? WHERE id = ?",
                    [*values, entity_id],
                )
            else:
                cursor = store.db.execute(
                    "INSERT INTO entities (kind, echelon, parent, side, aliases, first_chapter,"
                    " work_id, name) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [*values, work_id, entity.name],
                )
                entity_id = int(cursor.lastrowid)
            ids[entity.name] = entity_id
        gone = [i for name, i in known.items() if name not in ids]
        for entity_id in gone:
            store.db.execute("DELETE FROM entities WHERE id = ?", [entity_id])
        _update_search(
            store,
            list(known.values()),
            {ids[e.name]: " ; ".join([e.name, *e.aliases]) for e in result.entities},
        )
        store.db.execute(
            "DELETE FROM entity_facts WHERE entity_id IN"
            " (SELECT id FROM entities WHERE work_id = ?)",
            [work_id],
        )
        store.db.conn.executemany(
            "INSERT INTO entity_facts (entity_id, fact, value, chapter) VALUES (?, ?, ?, ?)",
            [
                (ids[entity.name], fact, value, chapter)
                for entity in result.entities
                for fact, value, chapter in entity.facts
            ],
        )
        store.db.execute(
            "DELETE FROM mentions WHERE chapter_id IN (SELECT id FROM chapters WHERE work_id = ?)",
            [work_id],
        )
        rows = [
            (chapter_ids[number], ids.get(m.entity or ""), m.start, m.end, m.text, m.kind)
            for number, mentions in result.chapters
            for m in mentions
        ]
        store.db.conn.executemany(
            "INSERT INTO mentions (chapter_id, entity_id, start, end, text, kind)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )
    return AnnotateResult(work_id, len(result.entities), len(rows))


# The last work this process recognised, with the texts it read: a correction, or undoing one,
# re-applies the corrections to it instead of finding every name again (1.0 s → 0.1 s for a
# 3 MB serial). It is used only while the texts are exactly the same.
_last_recognition: dict[tuple[str, int], tuple[list[tuple[int, str]], Recognition]] = {}


def _recognition(store: Store, work_id: int, texts: list[tuple[int, str]]) -> Recognition:
    key = (str(store.path), work_id)
    known = _last_recognition.get(key)
    if known is not None and known[0] == texts:
        return known[1]
    recognition = recognise(texts)
    _last_recognition.clear()  # one work at a time: a long serial's names take memory
    _last_recognition[key] = (texts, recognition)
    return recognition


def _update_search(store: Store, old_ids: list[int], names: dict[int, str]) -> None:
    """Keep the name index in step: rewrite only the rows whose names changed."""
    indexed = {}
    for chunk in range(0, len(old_ids), 500):
        part = old_ids[chunk : chunk + 500]
        marks = ", ".join("?" * len(part))
        indexed.update(
            (r["rowid"], r["names"])
            for r in store.db.query(
                f"SELECT rowid, names FROM entity_search WHERE rowid IN ({marks})", part
            )
        )
    for entity_id, text in indexed.items():
        if names.get(entity_id) != text:
            store.db.execute("DELETE FROM entity_search WHERE rowid = ?", [entity_id])
    for entity_id, text in names.items():
        if indexed.get(entity_id) != text:
            store.db.execute(
                "INSERT INTO entity_search (rowid, names) VALUES (?, ?)", [entity_id, text]
            )


def _entity_values(entity: Entity) -> list:
    return [
        entity.kind,
        entity.echelon,
        entity.parent,
        entity.side,
        json.dumps(entity.aliases, ensure_ascii=False),
        entity.first_chapter,
    ]


def chapter_mentions(store: Store, chapter_id: int) -> list[StoredMention]:
    """The mentions of one chapter, in text order."""
    return [
        StoredMention(r["start"], r["end"], r["text"], r["kind"], r["entity_id"], r["name"])
        for r in store.db.query(
            "SELECT m.start, m.end, m.text, m.kind, m.entity_id, e.name FROM mentions m"
            " LEFT JOIN entities e ON e.id = m.entity_id WHERE m.chapter_id = ?"
            " ORDER BY m.start",
            [chapter_id],
        )
    ]


def entities(store: Store, work_id: int) -> list[Entity]:
    """A work's entities with the facts stated about them, by kind and name."""
    facts: dict[int, list[tuple[str, str, int | None]]] = {}
    for r in store.db.query(
        "SELECT f.entity_id, f.fact, f.value, f.chapter FROM entity_facts f"
        " JOIN entities e ON e.id = f.entity_id WHERE e.work_id = ? ORDER BY f.rowid",
        [work_id],
    ):
        facts.setdefault(r["entity_id"], []).append((r["fact"], r["value"], r["chapter"]))
    return [
        _entity(r, facts.get(r["id"], []))
        for r in store.db.query(
            "SELECT * FROM entities WHERE work_id = ? ORDER BY kind, name COLLATE NOCASE",
            [work_id],
        )
    ]


def entity_by_id(store: Store, entity_id: int) -> Entity | None:
    """One stored entity (without its facts)."""
    r = next(iter(store.db.query("SELECT * FROM entities WHERE id = ?", [entity_id])), None)
    return _entity(r, []) if r is not None else None


def _entity(r: dict, facts: list[tuple[str, str, int | None]]) -> Entity:
    return Entity(
        name=r["name"],
        kind=r["kind"],
        echelon=r["echelon"],
        aliases=json.loads(r["aliases"]),
        parent=r["parent"],
        side=r["side"],
        first_chapter=r["first_chapter"],
        facts=facts,
    )


def entity_id(store: Store, work_id: int, name: str) -> int | None:
    """The id of the entity with this canonical name."""
    row = next(
        iter(
            store.db.query(
                "SELECT id FROM entities WHERE work_id = ? AND name = ?", [work_id, name]
            )
        ),
        None,
    )
    return row["id"] if row else None


@dataclass(frozen=True)
class StoredCorrection:
    """A correction as stored: its id orders it (older ones apply first)."""

    id: int
    correction: Correction
    created: str


def correction_list(store: Store, work_id: int) -> list[StoredCorrection]:
    """The reader's corrections to a work's names, oldest first."""
    return [
        StoredCorrection(r["id"], Correction(r["action"], r["entity"], r["value"]), r["created"])
        for r in store.db.query(
            "SELECT id, action, entity, value, created FROM corrections WHERE work_id = ?"
            " ORDER BY id",
            [work_id],
        )
    ]


def corrections(store: Store, work_id: int) -> list[Correction]:
    """The reader's corrections to a work's names, oldest first."""
    return [c.correction for c in correction_list(store, work_id)]


def add_corrections(
    store: Store, work_id: int, corrections: list[Correction]
) -> list[StoredCorrection]:
    """Record corrections and re-annotate the work once, in one transaction, so that they take
    effect at once. A rename or merge carries the reader's description and sibling order to
    the new name. Returns the stored rows (what `remove_corrections` takes back)."""
    with store.db.atomic():
        ids = [_record(store, work_id, c) for c in corrections]
        annotate_stored_work(store, work_id)
    rows = {c.id: c for c in correction_list(store, work_id)}
    return [rows[i] for i in ids]


def remove_corrections(store: Store, work_id: int, ids: list[int]) -> list[StoredCorrection]:
    """Take corrections back and re-annotate, in one transaction. A renamed entity's
    description and place go back to its old name; after a merge, the merged description
    stays with the entity merged into (nothing the reader wrote is dropped).
    Returns the removed rows, for `restore_corrections`."""
    wanted = set(ids)
    removed = [c for c in correction_list(store, work_id) if c.id in wanted]
    with store.db.atomic():
        for row in removed:
            store.db.execute("DELETE FROM corrections WHERE id = ?", [row.id])
        annotate_stored_work(store, work_id)
        names = {e.name for e in entities(store, work_id)}
        for row in reversed(removed):
            c = row.correction
            if c.action == "rename" and c.value and c.value not in names:
                _carry_reader_data(store, work_id, c.value, c.entity)
    return removed


def restore_corrections(store: Store, work_id: int, rows: list[StoredCorrection]) -> None:
    """Put removed corrections back with their ids (so in their old order) and re-annotate."""
    with store.db.atomic():
        for row in rows:
            _record(store, work_id, row.correction, row)
        annotate_stored_work(store, work_id)


def _record(
    store: Store, work_id: int, correction: Correction, row: StoredCorrection | None = None
) -> int:
    values = [work_id, correction.action, correction.entity, correction.value]
    if row is None:
        cursor = store.db.execute(
            "INSERT INTO corrections (work_id, action, entity, value) VALUES (?, ?, ?, ?)", values
        )
    else:
        cursor = store.db.execute(
            "INSERT INTO corrections (work_id, action, entity, value, id, created)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [*values, row.id, row.created],
        )
    if correction.action in ("rename", "merge") and correction.value:
        _carry_reader_data(store, work_id, correction.entity, correction.value)
    return int(cursor.lastrowid)


def _carry_reader_data(store: Store, work_id: int, old: str, new: str) -> None:
    notes = {
        r["name"]: r["text"]
        for r in store.db.query(
            "SELECT name, text FROM entity_notes WHERE work_id = ? AND name IN (?, ?)",
            [work_id, old, new],
        )
    }
    if old in notes:
        text = "\n\n".join(t for t in (notes.get(new), notes[old]) if t)
        store.db.execute(
            "DELETE FROM entity_notes WHERE work_id = ? AND name IN (?, ?)", [work_id, old, new]
        )
        store.db.execute(
            "INSERT INTO entity_notes (work_id, name, text) VALUES (?, ?, ?)", [work_id, new, text]
        )
    store.db.execute(
        "UPDATE OR IGNORE entity_order SET name = ? WHERE work_id = ? AND name = ?",
        [new, work_id, old],
    )
