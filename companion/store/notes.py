"""The reader's highlights, notes and bookmarks ("marks"): saved as made, found again when a
chapter's text changes, searchable, and exported or imported as Markdown or JSON."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from companion.core.anchor import Quote, make_quote, reanchor
from companion.store.library import Store

COLORS = ("yellow", "green", "blue", "pink", "orange")
EXPORT_FORMAT = "companion-notes"
EXPORT_VERSION = 1


class NotesError(ValueError):
    """A note cannot be made or imported as asked; the message says why."""


@dataclass(frozen=True)
class Mark:
    """A highlight (with or without a note) or a bookmark in a chapter of a work."""

    id: int
    uuid: str
    work_id: int
    chapter: int  # the chapter's number as the work numbers it
    kind: str  # "highlight" or "bookmark"
    start: int | None  # None when the quote could not be found after an edit
    end: int | None
    quote: str
    prefix: str
    suffix: str
    note: str
    color: str | None
    label: str | None
    created: str
    updated: str

    @property
    def detached(self) -> bool:
        return self.start is None

    def to_json(self) -> dict:
        """The mark as ``notes list --json`` and the JSON export give it (a stable shape)."""
        return {
            "uuid": self.uuid,
            "chapter": self.chapter,
            "kind": self.kind,
            "quote": self.quote,
            "prefix": self.prefix,
            "suffix": self.suffix,
            "note": self.note,
            "color": self.color,
            "label": self.label,
            "start": self.start,
            "end": self.end,
            "detached": self.detached,
            "created": self.created,
            "updated": self.updated,
        }


# -- making and changing marks ------------------------------------------------------------


def add_highlight(
    store: Store,
    work_id: int,
    chapter: int,
    start: int,
    end: int,
    color: str = "yellow",
    note: str = "",
) -> Mark:
    """Highlight ``body[start:end]`` of chapter number ``chapter``, optionally with a note."""
    if color not in COLORS:
        raise NotesError(f"unknown colour {color!r}; use one of {', '.join(COLORS)}")
    body = _body(store, work_id, chapter)
    if not 0 <= start < end <= len(body) or not body[start:end].strip():
        raise NotesError("a highlight needs some words of the chapter")
    quote = make_quote(body, start, end)
    return _insert(
        store, work_id, chapter, "highlight", (start, end), quote, note=note, color=color
    )


def find_quote(store: Store, work_id: int, chapter: int, text: str) -> tuple[int, int]:
    """Where ``text`` first stands in the chapter (spaces may differ); NotesError if nowhere."""
    body = _body(store, work_id, chapter)
    words = text.split()
    if not words:
        raise NotesError("the quote is empty")
    found = re.search(r"\s+".join(map(re.escape, words)), body)
    if found is None:
        raise NotesError(f"chapter {chapter} has no text {text!r}")
    return found.start(), found.end()


def add_bookmark(
    store: Store, work_id: int, chapter: int, offset: int = 0, label: str | None = None
) -> Mark:
    """Bookmark a place in a chapter; the label defaults to the chapter title and the first
    words there."""
    body = _body(store, work_id, chapter)
    start, end = _bookmark_words(body, chapter, offset).span()
    label = label or bookmark_label(store, work_id, chapter, offset)
    quote = make_quote(body, start, end)
    return _insert(store, work_id, chapter, "bookmark", (start, end), quote, label=label)


def bookmark_label(store: Store, work_id: int, chapter: int, offset: int = 0) -> str:
    """The label `add_bookmark` gives a place by default: chapter title and first words."""
    words = _bookmark_words(_body(store, work_id, chapter), chapter, offset)
    title = store.db.execute(
        "SELECT title FROM chapters WHERE work_id = ? AND number = ?", [work_id, chapter]
    ).fetchone()[0]
    return f"{title} — {' '.join(words.group().split()[:6])}…"


def _bookmark_words(body: str, chapter: int, offset: int) -> re.Match:
    """The first words at or after ``offset`` (moved back to the start of its word)."""
    offset = min(max(offset, 0), len(body))
    while 0 < offset < len(body) and not body[offset - 1].isspace():  # start at a word
        offset -= 1
    words = re.compile(r"\S+(?:\s+\S+){0,7}").search(body, offset)
    if words is None:
        raise NotesError(f"chapter {chapter} has no words to bookmark")
    return words


def update_mark(
    store: Store,
    mark_id: int,
    *,
    note: str | None = None,
    color: str | None = None,
    label: str | None = None,
) -> Mark:
    """Change a mark's note, colour or label; returns it as saved."""
    if color is not None and color not in COLORS:
        raise NotesError(f"unknown colour {color!r}; use one of {', '.join(COLORS)}")
    with store.db.atomic():
        store.db.execute(
            "UPDATE annotations SET note = coalesce(?, note), color = coalesce(?, color),"
            " label = coalesce(?, label), updated = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
            " WHERE id = ?",
            [note, color, label, mark_id],
        )
        mark = get_mark(store, mark_id)
        _index(store, mark)
    return mark


def delete_mark(store: Store, mark_id: int) -> Mark:
    """Delete a mark; returns it, so an undo can put it back with `restore_mark`."""
    mark = get_mark(store, mark_id)
    with store.db.atomic():
        store.db.execute("DELETE FROM annotations WHERE id = ?", [mark_id])
        store.db.execute("DELETE FROM annotation_search WHERE rowid = ?", [mark_id])
    return mark


def restore_mark(store: Store, mark: Mark) -> Mark:
    """Put back a deleted mark exactly as it was (same id and uuid)."""
    with store.db.atomic():
        store.db.execute(
            "INSERT INTO annotations (id, uuid, work_id, chapter, kind, start, end, quote, prefix,"
            " suffix, note, color, label, created, updated)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                mark.id,
                mark.uuid,
                mark.work_id,
                mark.chapter,
                mark.kind,
                mark.start,
                mark.end,
                mark.quote,
                mark.prefix,
                mark.suffix,
                mark.note,
                mark.color,
                mark.label,
                mark.created,
                mark.updated,
            ],
        )
        _index(store, mark)
    return mark


# -- reading marks --------------------------------------------------------------------------


def get_mark(store: Store, mark_id: int) -> Mark:
    """One mark by id."""
    row = store.db.execute("SELECT * FROM annotations WHERE id = ?", [mark_id]).fetchone()
    if row is None:
        raise NotesError(f"no note or bookmark with id {mark_id}")
    return _mark(row)


def marks(
    store: Store, work_id: int, chapter: int | None = None, kind: str | None = None
) -> list[Mark]:
    """A work's marks (of one chapter, of one kind) in reading order; detached ones last in
    their chapter."""
    rows = store.db.execute(
        "SELECT * FROM annotations WHERE work_id = ? AND (? IS NULL OR chapter = ?)"
        " AND (? IS NULL OR kind = ?) ORDER BY chapter, start IS NULL, start, id",
        [work_id, chapter, chapter, kind, kind],
    ).fetchall()
    return [_mark(r) for r in rows]


def search_marks(store: Store, work_id: int, query: str) -> set[int] | None:
    """Ids of marks whose quote, note or label match every word of ``query`` (as prefixes);
    None when the query has no words."""
    words = re.findall(r"\w+", query)
    if not words:
        return None
    match = " ".join('"' + w + '"*' for w in words)
    rows = store.db.execute(
        "SELECT a.id FROM annotation_search s CROSS JOIN annotations a ON a.id = s.rowid"
        " WHERE annotation_search MATCH ? AND a.work_id = ?",
        [match, work_id],
    ).fetchall()
    return {r[0] for r in rows}


def name_notes(store: Store, work_id: int) -> list[tuple[str, str]]:
    """The reader's descriptions of names (glossary entries) as (name, text), by name."""
    rows = store.db.execute(
        "SELECT name, text FROM entity_notes WHERE work_id = ? ORDER BY name", [work_id]
    ).fetchall()
    return [(name, text) for name, text in rows]


# -- when a chapter's text changes ---------------------------------------------------------


def reanchor_chapter(store: Store, work_id: int, chapter: int, body: str) -> list[Mark]:
    """Find every mark of a chapter again in its new text; those not found are kept, detached.
    Returns the marks that became detached."""
    detached = []
    for mark in marks(store, work_id, chapter):
        place = reanchor(body, Quote(mark.quote, mark.prefix, mark.suffix), mark.start)
        if place is None:
            if not mark.detached:
                detached.append(mark)
            store.db.execute(
                "UPDATE annotations SET start = NULL, end = NULL WHERE id = ?", [mark.id]
            )
            continue
        quote = make_quote(body, *place)
        store.db.execute(
            "UPDATE annotations SET start = ?, end = ?, quote = ?, prefix = ?, suffix = ?"
            " WHERE id = ?",
            [place[0], place[1], quote.exact, quote.prefix, quote.suffix, mark.id],
        )
    return detached


# -- export and import ----------------------------------------------------------------------


def export_json(store: Store, work_id: int) -> str:
    """All of a work's marks and name notes as JSON that `import_json` reads back."""
    title = store.db.execute("SELECT title FROM works WHERE id = ?", [work_id]).fetchone()[0]
    names = name_notes(store, work_id)
    data = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "work": title,
        "exported": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "notes": [m.to_json() for m in marks(store, work_id)],
        "name_notes": [{"name": n, "text": t} for n, t in names],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def export_markdown(store: Store, work_id: int) -> str:
    """The work's marks and name notes as tidy Markdown, grouped by chapter."""
    title = store.db.execute("SELECT title FROM works WHERE id = ?", [work_id]).fetchone()[0]
    chapter_titles = dict(
        store.db.execute("SELECT number, title FROM chapters WHERE work_id = ?", [work_id])
    )
    out = [f"# Notes — {title}", ""]
    current = None
    for mark in marks(store, work_id):
        if mark.chapter != current:
            current = mark.chapter
            name = chapter_titles.get(current)
            out += [f"## Chapter {current}" + (f" — {name}" if name else ""), ""]
        quote = _md(" ".join(mark.quote.split()))
        detached = " *(detached: its words are no longer in the chapter)*" if mark.detached else ""
        if mark.kind == "bookmark":
            out.append(f"- **Bookmark:** {mark.label}{detached}")
        else:
            out.append(f"- “{quote}” *({mark.color})*{detached}")
            if mark.note.strip():
                out.append("")
                out += [f"  {_md(line)}".rstrip() for line in mark.note.strip().splitlines()]
        out.append("")
    names = name_notes(store, work_id)
    if names:
        out += ["## Names", ""]
        for name, text in names:
            lines = [_md(line) for line in text.strip().splitlines()] or [""]
            out.append(f"- **{_md(name)}**: {lines[0]}")
            out += [f"  {line}".rstrip() for line in lines[1:]]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


@dataclass(frozen=True)
class ImportCounts:
    added: int
    already_there: int
    name_notes: int


def import_json(store: Store, work_id: int, text: str) -> ImportCounts:
    """Read back an export: marks not already in the work are added (one transaction).

    Raises NotesError for a malformed file or one exported from another work.
    """
    data = _read_export(text)
    title = store.db.execute("SELECT title FROM works WHERE id = ?", [work_id]).fetchone()[0]
    if data.get("work") and str(data["work"]).strip().casefold() != title.strip().casefold():
        raise NotesError(f"these notes are for {data['work']!r}, not for {title!r}")
    added = already = name_notes = 0
    with store.db.atomic():
        for item in data["notes"]:
            mark = _mark_from_export(item)
            if _already_there(store, work_id, mark):
                already += 1
                continue
            quote = Quote(mark["quote"], mark["prefix"], mark["suffix"])
            body = store.db.execute(
                "SELECT body FROM chapters WHERE work_id = ? AND number = ?",
                [work_id, mark["chapter"]],
            ).fetchone()
            place = reanchor(body[0], quote, mark["start"]) if body else None
            span = place or (None, None)  # not in this library's text: kept, detached
            extra = {k: mark[k] for k in ("note", "color", "label", "uuid", "created", "updated")}
            _insert(store, work_id, mark["chapter"], mark["kind"], span, quote, **extra)
            added += 1
        for item in data.get("name_notes", []):
            name_notes += _merge_name_note(store, work_id, item)
    return ImportCounts(added, already, name_notes)


def _read_export(text: str) -> dict:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotesError(f"not a notes file: invalid JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise NotesError('not a Companion notes file (no "format": "companion-notes")')
    if not isinstance(data.get("notes"), list):
        raise NotesError("the notes file has no list of notes")
    if data.get("version") != EXPORT_VERSION:
        raise NotesError(f"notes file version {data.get('version')!r} is not one this reads")
    return data


def _mark_from_export(item) -> dict:
    if not isinstance(item, dict):
        raise NotesError("a note in the file is not an object")
    try:
        mark = {
            "uuid": str(item.get("uuid") or uuid.uuid4()),
            "chapter": int(item["chapter"]),
            "kind": str(item.get("kind", "highlight")),
            "quote": str(item["quote"]),
            "prefix": str(item.get("prefix") or ""),
            "suffix": str(item.get("suffix") or ""),
            "note": str(item.get("note") or ""),
            "color": item.get("color"),
            "label": item.get("label"),
            "start": None if item.get("detached") else item.get("start"),
            "end": None if item.get("detached") else item.get("end"),
            "created": item.get("created"),
            "updated": item.get("updated"),
        }
    except (KeyError, TypeError, ValueError) as exc:
        raise NotesError(f"a note in the file lacks a valid {exc}") from None
    if mark["kind"] not in ("highlight", "bookmark"):
        raise NotesError(f"a note in the file has an unknown kind {mark['kind']!r}")
    for key in ("start", "end"):
        if mark[key] is not None and not isinstance(mark[key], int):
            raise NotesError(f"a note in the file has a {key} that is not a number")
    return mark


def _already_there(store: Store, work_id: int, mark: dict) -> bool:
    row = store.db.execute(
        "SELECT 1 FROM annotations WHERE uuid = ? OR (work_id = ? AND chapter = ? AND kind = ?"
        " AND quote = ? AND note = ? AND coalesce(label, '') = ?)",
        [
            mark["uuid"],
            work_id,
            mark["chapter"],
            mark["kind"],
            mark["quote"],
            mark["note"],
            mark["label"] or "",
        ],
    ).fetchone()
    return row is not None


def _merge_name_note(store: Store, work_id: int, item) -> int:
    if not isinstance(item, dict) or not item.get("name") or not str(item.get("text", "")).strip():
        return 0
    name, text = str(item["name"]), str(item["text"])
    row = store.db.execute(
        "SELECT text FROM entity_notes WHERE work_id = ? AND name = ?", [work_id, name]
    ).fetchone()
    if row is not None and text.strip() in row[0]:
        return 0
    merged = text if row is None else f"{row[0]}\n\n{text}"
    store.db.execute(
        "INSERT INTO entity_notes (work_id, name, text) VALUES (?, ?, ?)"
        " ON CONFLICT(work_id, name) DO UPDATE SET text = excluded.text",
        [work_id, name, merged],
    )
    return 1


# -- helpers -------------------------------------------------------------------------------


def _md(text: str) -> str:
    """Text for the Markdown export: the reader's Markdown stays, HTML tags show as written."""
    return text.replace("<", "&lt;")


def _body(store: Store, work_id: int, chapter: int) -> str:
    row = store.db.execute(
        "SELECT body FROM chapters WHERE work_id = ? AND number = ?", [work_id, chapter]
    ).fetchone()
    if row is None:
        raise NotesError(f"the work has no chapter {chapter}")
    return row[0]


def _insert(
    store: Store,
    work_id: int,
    chapter: int,
    kind: str,
    span: tuple[int | None, int | None],
    quote: Quote,
    **extra: str | None,
) -> Mark:
    """Insert a mark; ``span`` is (start, end) or (None, None) for a detached one; ``extra``
    holds note, color, label, uuid, created, updated where given."""
    values = {
        "uuid": extra.pop("uuid", None) or str(uuid.uuid4()),
        "work_id": work_id,
        "chapter": chapter,
        "kind": kind,
        "start": span[0],
        "end": span[1],
        "quote": quote.exact,
        "prefix": quote.prefix,
        "suffix": quote.suffix,
        **{k: v for k, v in extra.items() if v is not None},
    }
    columns = ", ".join(values)
    marks_ = ", ".join("?" * len(values))
    with store.db.atomic():
        cursor = store.db.execute(
            f"INSERT INTO annotations ({columns}) VALUES ({marks_})", list(values.values())
        )
        mark = get_mark(store, int(cursor.lastrowid))
        _index(store, mark)
    return mark


def _index(store: Store, mark: Mark) -> None:
    store.db.execute("DELETE FROM annotation_search WHERE rowid = ?", [mark.id])
    text = " ".join(t for t in (mark.quote, mark.note, mark.label) if t)
    store.db.execute("INSERT INTO annotation_search (rowid, text) VALUES (?, ?)", [mark.id, text])


def _mark(row: tuple) -> Mark:
    return Mark(*row)  # the table's columns are the dataclass's fields, in order
