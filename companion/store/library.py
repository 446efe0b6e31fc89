"""The library database: works, chapters, footnotes and reading positions."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from sqlite_utils import Database

from companion.core.model import Block, Chapter, Marker
from companion.resources import data_dir


def default_db_path() -> Path:
    """The library file in the user's data folder."""
    return Path(platformdirs.user_data_dir("companion", appauthor=False)) / "library.sqlite3"


@dataclass(frozen=True)
class WorkInfo:
    id: int
    title: str
    chapters: int


@dataclass(frozen=True)
class ChapterInfo:
    id: int
    work_id: int
    number: int
    title: str
    read: bool = False  # the reader finished it
    new: bool = False  # an update brought it in or changed it, and the reader has not opened it


@dataclass(frozen=True)
class Position:
    work_id: int
    chapter_id: int | None
    scroll: float


@dataclass(frozen=True)
class ImportResult:
    """What an import changed: the work and the chapter ids added, updated and left alone."""

    work_id: int
    added: list[int]
    updated: list[int]
    unchanged: list[int]


def work_key(title: str) -> str:
    """How works are matched on re-import: case- and space-insensitive title."""
    return re.sub(r"\s+", " ", title).strip().casefold()


class Store:
    """One open library database. The only code in Companion that writes SQL."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self.db = Database(conn)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")  # the reader's notes outlive a power cut
        self.migrate()

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # -- schema -------------------------------------------------------------------------

    def migrate(self) -> list[str]:
        """Apply the numbered migrations in ``db/`` not applied yet, each in one transaction."""
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied TEXT NOT NULL"
            " DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))"
        )
        done = {row["name"] for row in self.db.query("SELECT name FROM migrations")}
        applied = []
        for script in sorted(data_dir("db").glob("[0-9][0-9][0-9]_*.sql")):
            if script.name in done:
                continue
            with self.db.atomic():
                for statement in _statements(script.read_text(encoding="utf-8")):
                    self.db.execute(statement)
                self.db.execute("INSERT INTO migrations (name) VALUES (?)", [script.name])
            applied.append(script.name)
        return applied

    def applied_migrations(self) -> list[str]:
        """Names of the migrations recorded in the database, in order."""
        return [r["name"] for r in self.db.query("SELECT name FROM migrations ORDER BY name")]

    # -- import -------------------------------------------------------------------------

    def import_chapters(
        self, title: str, chapters: list[tuple[Chapter, str | None]]
    ) -> ImportResult:
        """Add or update a work's chapters in one transaction.

        A chapter is matched by its number within the work; one with the same text is left
        alone, one with changed text is updated in place (its id stays, and the reader's
        highlights and bookmarks are found again in its new text). A chapter numbered
        only by its file's place is matched by its source file or its text instead, and a new
        one is numbered after the work's last chapter.
        """
        from companion.store.notes import reanchor_chapter  # notes builds on this module

        added: list[int] = []
        updated: list[int] = []
        unchanged: list[int] = []
        with self.db.atomic():
            key = work_key(title)
            row = self._one("SELECT id FROM works WHERE key = ?", [key])
            if row is None:
                cursor = self.db.execute(
                    "INSERT INTO works (key, title) VALUES (?, ?)", [key, title.strip()]
                )
                work_id = int(cursor.lastrowid)
            else:
                work_id = row["id"]
            last = self._one("SELECT max(number) AS n FROM chapters WHERE work_id = ?", [work_id])
            next_number = (last["n"] or 0) + 1 if row is not None else None
            for chapter, source in chapters:
                digest = hashlib.sha256(chapter.body.encode("utf-8")).hexdigest()
                number = chapter.number
                if chapter.numbered_by_order or number is None:
                    same = self._one(
                        "SELECT number FROM chapters WHERE work_id = ?"
                        " AND (source = ? OR digest = ?) ORDER BY source = ? DESC LIMIT 1",
                        [work_id, source, digest, source],
                    )
                    if same is not None:
                        number = same["number"]
                    elif next_number is not None or number is None:
                        number = next_number or 1
                        next_number = number + 1
                existing = self._one(
                    "SELECT id, digest FROM chapters WHERE work_id = ? AND number = ?",
                    [work_id, number],
                )
                values = [
                    chapter.title,
                    chapter.body,
                    json.dumps([_block_row(b) for b in chapter.blocks]),
                    json.dumps([[m.label, m.start, m.end] for m in chapter.markers]),
                    json.dumps(chapter.warnings),
                    source,
                    digest,
                ]
                if existing is None:
                    cursor = self.db.execute(
                        "INSERT INTO chapters (title, body, blocks, markers, warnings, source,"
                        " digest, work_id, number) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [*values, work_id, number],
                    )
                    chapter_id = int(cursor.lastrowid)
                    added.append(chapter_id)
                elif existing["digest"] != digest:
                    chapter_id = existing["id"]
                    self.db.execute(
                        "UPDATE chapters SET title = ?, body = ?, blocks = ?, markers = ?,"
                        " warnings = ?, source = ?, digest = ?,"
                        " imported = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?",
                        [*values, chapter_id],
                    )
                    self.db.execute("DELETE FROM footnotes WHERE chapter_id = ?", [chapter_id])
                    reanchor_chapter(self, work_id, number, chapter.body)
                    updated.append(chapter_id)
                else:
                    unchanged.append(existing["id"])
                    continue
                if row is not None and existing is None:  # an update brought a new chapter
                    self.db.execute("UPDATE chapters SET is_new = 1 WHERE id = ?", [chapter_id])
                for label, text in chapter.footnotes.items():
                    self.db.execute(
                        "INSERT INTO footnotes (chapter_id, label, text) VALUES (?, ?, ?)",
                        [chapter_id, label, text],
                    )
        return ImportResult(work_id, added, updated, unchanged)

    # -- reading ------------------------------------------------------------------------

    def works(self) -> list[WorkInfo]:
        """Every work in the library, by title."""
        return [
            WorkInfo(r["id"], r["title"], r["n"])
            for r in self.db.query(
                "SELECT w.id, w.title, count(c.id) AS n FROM works w"
                " LEFT JOIN chapters c ON c.work_id = w.id GROUP BY w.id ORDER BY w.title"
            )
        ]

    def find_work(self, title: str) -> WorkInfo | None:
        """The work with this title (matched as on import), if any."""
        return next((w for w in self.works() if work_key(w.title) == work_key(title)), None)

    def chapters(self, work_id: int) -> list[ChapterInfo]:
        """A work's chapters in reading order."""
        return [
            ChapterInfo(
                r["id"],
                work_id,
                r["number"],
                r["title"],
                r["read_at"] is not None,
                bool(r["is_new"]),
            )
            for r in self.db.query(
                "SELECT id, number, title, read_at, is_new FROM chapters WHERE work_id = ?"
                " ORDER BY number",
                [work_id],
            )
        ]

    def chapter_info(self, chapter_id: int) -> ChapterInfo | None:
        """One chapter's id, work, number and title."""
        r = self._one("SELECT id, work_id, number, title FROM chapters WHERE id = ?", [chapter_id])
        return ChapterInfo(r["id"], r["work_id"], r["number"], r["title"]) if r else None

    def load_chapter(self, chapter_id: int) -> Chapter:
        """The stored chapter, as the parser produced it."""
        r = self._one(
            "SELECT c.*, w.title AS story FROM chapters c JOIN works w ON w.id = c.work_id"
            " WHERE c.id = ?",
            [chapter_id],
        )
        if r is None:
            raise KeyError(f"no chapter with id {chapter_id}")
        footnotes = {
            f["label"]: f["text"]
            for f in self.db.query(
                "SELECT label, text FROM footnotes WHERE chapter_id = ? ORDER BY rowid",
                [chapter_id],
            )
        }
        return Chapter(
            body=r["body"],
            number=r["number"],
            title=r["title"],
            story=r["story"],
            blocks=[Block(*b) for b in json.loads(r["blocks"])],
            markers=[Marker(*m) for m in json.loads(r["markers"])],
            footnotes=footnotes,
            warnings=json.loads(r["warnings"]),
        )

    # -- reading state ------------------------------------------------------------------

    def mark_opened(self, chapter_id: int) -> None:
        """The reader opened a chapter: it is no longer new to them."""
        self.db.execute("UPDATE chapters SET is_new = 0 WHERE id = ? AND is_new", [chapter_id])

    def mark_read(self, chapter_id: int) -> None:
        """The reader finished a chapter (reached its end or went on to the next)."""
        self.db.execute(
            "UPDATE chapters SET read_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), is_new = 0"
            " WHERE id = ? AND read_at IS NULL",
            [chapter_id],
        )

    def set_work_details(
        self,
        work_id: int,
        author: str | None,
        source: str | None,
        cover: bytes | None,
        cover_type: str | None,
    ) -> None:
        """Record who wrote a work, where it came from and its cover (what is known is kept)."""
        self.db.execute(
            "UPDATE works SET author = coalesce(?, author), source = coalesce(?, source),"
            " cover = coalesce(?, cover), cover_type = coalesce(?, cover_type) WHERE id = ?",
            [author, source, cover, cover_type, work_id],
        )

    def library_overview(self) -> list[dict]:
        """Each work's id, title, author, source and its counts of chapters, read and new."""
        return list(
            self.db.query(
                "SELECT w.id, w.title, w.author, w.source, count(c.id) AS chapters,"
                " count(c.read_at) AS read, coalesce(sum(c.is_new), 0) AS new"
                " FROM works w LEFT JOIN chapters c ON c.work_id = w.id"
                " GROUP BY w.id ORDER BY w.title COLLATE NOCASE"
            )
        )

    def cover(self, work_id: int) -> bytes | None:
        """The work's cover image, if its source had one."""
        row = self._one("SELECT cover FROM works WHERE id = ?", [work_id])
        return row["cover"] if row else None

    def library(self) -> list[dict]:
        """Every work with its chapters' number, title, footnote and word counts, and read and
        new flags, as ``companion library --json`` prints it."""
        works = []
        for work in self.db.query(
            "SELECT w.id, w.title, w.author, w.source, w.cover IS NOT NULL AS has_cover,"
            " p.chapter_id AS current FROM works w"
            " LEFT JOIN reading_positions p ON p.work_id = w.id ORDER BY w.title COLLATE NOCASE"
        ):
            chapters = [
                {
                    "number": c["number"],
                    "title": c["title"],
                    "footnotes": c["footnotes"],
                    "words": c["words"],
                    "read": c["read_at"] is not None,
                    "new": bool(c["is_new"]),
                }
                for c in self.db.query(
                    "SELECT number, title, read_at, is_new,"
                    " (SELECT count(*) FROM footnotes f WHERE f.chapter_id = c.id) AS footnotes,"
                    " body AS words FROM chapters c WHERE work_id = ? ORDER BY number",
                    [work["id"]],
                )
            ]
            for chapter in chapters:
                chapter["words"] = len(chapter["words"].split())
            read = sum(c["read"] for c in chapters)
            works.append(
                {
                    "title": work["title"],
                    "author": work["author"],
                    "source": work["source"],
                    "cover": bool(work["has_cover"]),
                    "chapter_count": len(chapters),
                    "read_chapters": read,
                    "progress": round(read / len(chapters), 3) if chapters else 0.0,
                    "new_chapters": sum(c["new"] for c in chapters),
                    "chapters": chapters,
                }
            )
        return works

    # -- reading position ---------------------------------------------------------------

    def save_position(self, work_id: int, chapter_id: int | None, scroll: float) -> None:
        """Remember where the reader is in a work, and that it is the last work read."""
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO reading_positions (work_id, chapter_id, scroll) VALUES (?, ?, ?)"
                " ON CONFLICT(work_id) DO UPDATE SET chapter_id = excluded.chapter_id,"
                " scroll = excluded.scroll, updated = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
                [work_id, chapter_id, min(max(scroll, 0.0), 1.0)],
            )
            self.db.execute(
                "INSERT INTO state (key, value) VALUES ('last_work', ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [str(work_id)],
            )

    def position(self, work_id: int) -> Position | None:
        """Where the reader left a work."""
        r = self._one(
            "SELECT chapter_id, scroll FROM reading_positions WHERE work_id = ?", [work_id]
        )
        return Position(work_id, r["chapter_id"], r["scroll"]) if r else None

    def last_work(self) -> int | None:
        """The work read most recently, if it is still in the library."""
        r = self._one(
            "SELECT w.id FROM state s JOIN works w ON w.id = CAST(s.value AS INTEGER)"
            " WHERE s.key = 'last_work'"
        )
        return r["id"] if r else None

    def _one(self, sql: str, params: list | None = None) -> dict | None:
        return next(iter(self.db.query(sql, params or [])), None)


def _block_row(b: Block) -> list:
    return [b.kind, b.start, b.end, b.when, b.label, b.text_start, b.text_end]


def _statements(script: str) -> list[str]:
    """Split a migration script into complete SQL statements."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip():
                statements.append(current.strip())
            current = ""
    if current.strip() and not all(
        ln.strip().startswith("--") or not ln.strip() for ln in current.splitlines()
    ):
        raise ValueError("migration script ends with an incomplete statement")
    return statements
