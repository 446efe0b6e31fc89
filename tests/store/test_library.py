"""The library database on real SQLite files: migrations, imports, round trips, positions."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from companion.core.model import Chapter
from companion.core.parse import parse_files
from companion.core.textfile import InputError
from companion.resources import data_dir, sample_serial
from companion.store.importer import ensure_sample, import_files
from companion.store.library import Position, Store

TABLES = {"migrations", "works", "chapters", "footnotes", "reading_positions", "state"}


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "library.sqlite3"


@pytest.fixture
def store(db_path: Path):
    s = Store(db_path)
    yield s
    s.close()


@pytest.fixture
def seed_file(shared_fixtures: Path, tmp_path: Path) -> Path:
    """A private copy of the shared chapter, so tests may rewrite it."""
    return Path(shutil.copy(shared_fixtures / "seed-chapter-035.txt", tmp_path / "ch035.txt"))


def table_names(store: Store) -> set[str]:
    return {r["name"] for r in store.db.query("SELECT name FROM sqlite_master WHERE type='table'")}


def snapshot(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table, to compare a database before and after."""
    conn = store.db.conn
    return {
        t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
        for t in sorted(table_names(store))
    }


def file_bytes(store: Store) -> bytes:
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return store.path.read_bytes()


def write_chapter(path: Path, number: int, text: str, story: str = "Iron Rain") -> Path:
    path.write_text(
        f"{number:03d} - Chapter {number}\n\n10 2 0\n\n{text}\n\n"
        f"{story}Where stories live. Discover now",
        encoding="utf-8",
    )
    return path


# -- schema -------------------------------------------------------------------------------


def test_migrations_from_an_empty_file(db_path):
    db_path.touch()
    store = Store(db_path)
    try:
        assert table_names(store) >= TABLES
        shipped = sorted(p.name for p in data_dir("db").glob("[0-9][0-9][0-9]_*.sql"))
        assert store.applied_migrations() == shipped
        assert shipped[0] == "001_initial.sql"
    finally:
        store.close()


def test_reopen_does_not_reapply(db_path):
    Store(db_path).close()
    store = Store(db_path)
    try:
        assert store.migrate() == []
        applied = store.applied_migrations()
        rows = list(store.db.query("SELECT count(*) AS n FROM migrations"))
        assert rows[0]["n"] == len(applied) == len(set(applied))
    finally:
        store.close()


def test_wal_and_foreign_keys(store, db_path):
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute(
            "INSERT INTO chapters (work_id, number, title, body, blocks, markers, digest)"
            " VALUES (999, 1, 't', 'b', '[]', '[]', 'd')"
        )
    # WAL is a property of the file: a second connection sees it too.
    other = sqlite3.connect(db_path)
    try:
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        other.close()


# -- import -------------------------------------------------------------------------------


def test_import_shared_fixture(store, seed_file, seed_key):
    chapter = seed_key["chapter"]
    result = import_files(store, [seed_file])
    assert len(result.added) == 1 and not result.updated and not result.unchanged
    (work,) = store.works()
    assert (work.id, work.title, work.chapters) == (result.work_id, chapter["story"], 1)
    (info,) = store.chapters(work.id)
    assert (info.id, info.number, info.title) == (
        result.added[0],
        chapter["number"],
        chapter["title"],
    )
    # Case and spacing do not matter: lower-case it, double the first space, upper-case the end.
    words = chapter["story"].lower().split()
    assert len(words) >= 3
    loose = " ".join([words[0] + " ", *words[1:-1], words[-1].upper()])
    assert loose != chapter["story"]
    assert store.find_work(loose) == work


def test_reimport_same_file_makes_no_duplicates(store, seed_file):
    first = import_files(store, [seed_file])
    before = store.chapters(first.work_id)
    rows = snapshot(store)
    again = import_files(store, [seed_file])
    assert again.work_id == first.work_id
    assert (again.added, again.updated, again.unchanged) == ([], [], first.added)
    assert store.chapters(first.work_id) == before
    assert len(store.works()) == 1
    assert snapshot(store) == rows


def test_reimport_changed_text_updates_in_place(store, seed_file):
    first = import_files(store, [seed_file])
    (chapter_id,) = first.added
    text = seed_file.read_text(encoding="utf-8")
    seed_file.write_text(text.replace("counting trees", "counting birch trees"), encoding="utf-8")
    again = import_files(store, [seed_file])
    assert (again.added, again.updated, again.unchanged) == ([], [chapter_id], [])
    loaded = store.load_chapter(chapter_id)
    assert "counting birch trees" in loaded.footnotes["2"]
    assert "counting birch trees" in loaded.body
    assert len(store.chapters(first.work_id)) == 1
    n = store.db.execute("SELECT count(*) FROM footnotes WHERE chapter_id = ?", [chapter_id])
    assert n.fetchone()[0] == 3


def test_load_chapter_round_trips(store, seed_file):
    (parsed,) = parse_files([seed_file])
    result = import_files(store, [seed_file])
    loaded = store.load_chapter(result.added[0])
    assert loaded == parsed
    assert loaded.sections == parsed.sections
    for m in loaded.markers:
        assert loaded.body[m.start : m.end] == f"*{m.label}"


def test_load_missing_chapter(store):
    with pytest.raises(KeyError):
        store.load_chapter(12345)


def test_import_several_files_in_one_work(store, tmp_path):
    paths = [
        write_chapter(tmp_path / f"c{n}.txt", n, f"Text of chapter {n} *1.\n\n~~~~\n\n*1: n{n}")
        for n in (2, 1, 3)
    ]
    result = import_files(store, paths)
    assert len(result.added) == 3
    assert [c.number for c in store.chapters(result.work_id)] == [1, 2, 3]
    assert store.works()[0].title == "Iron Rain"


def test_bad_file_in_multi_file_import_leaves_database_unchanged(store, tmp_path):
    good = write_chapter(tmp_path / "c1.txt", 1, "The first chapter.")
    import_files(store, [good])
    store.save_position(store.works()[0].id, None, 0.25)
    rows = snapshot(store)
    before = file_bytes(store)

    changed = write_chapter(tmp_path / "c1.txt", 1, "The first chapter, rewritten.")
    new = write_chapter(tmp_path / "c2.txt", 2, "The second chapter.")
    empty = tmp_path / "c3.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "c4.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    for bad in (empty, binary, tmp_path / "missing.txt"):
        with pytest.raises(InputError):
            import_files(store, [changed, new, bad])
    assert snapshot(store) == rows
    assert file_bytes(store) == before


def test_failed_store_transaction_rolls_back_everything(store):
    good = Chapter(body="Text.", number=1, title="One")
    broken = Chapter(body="x", number=2, title=None)  # violates NOT NULL in the schema
    with pytest.raises(sqlite3.IntegrityError):
        store.import_chapters("Brand New Work", [(good, None), (broken, None)])
    assert store.works() == []
    assert snapshot(store)["chapters"] == []


# -- reading position ---------------------------------------------------------------------


def test_position_and_last_work(store, tmp_path):
    a = import_files(store, [write_chapter(tmp_path / "a.txt", 1, "A.", story="Alpha")])
    b = import_files(store, [write_chapter(tmp_path / "b.txt", 1, "B.", story="Bravo")])
    assert store.position(a.work_id) is None
    assert store.last_work() is None

    store.save_position(a.work_id, a.added[0], 0.5)
    assert store.position(a.work_id) == Position(a.work_id, a.added[0], 0.5)
    assert store.last_work() == a.work_id

    store.save_position(b.work_id, b.added[0], 0.1)
    store.save_position(a.work_id, a.added[0], 0.75)
    assert store.position(a.work_id) == Position(a.work_id, a.added[0], 0.75)
    assert store.position(b.work_id) == Position(b.work_id, b.added[0], 0.1)
    assert store.last_work() == a.work_id


def test_scroll_is_clamped(store, tmp_path):
    r = import_files(store, [write_chapter(tmp_path / "a.txt", 1, "A.")])
    store.save_position(r.work_id, r.added[0], 7.0)
    assert store.position(r.work_id).scroll == 1.0
    store.save_position(r.work_id, r.added[0], -1.0)
    assert store.position(r.work_id).scroll == 0.0


def test_position_survives_reopen(db_path, tmp_path):
    store = Store(db_path)
    r = import_files(store, [write_chapter(tmp_path / "a.txt", 1, "A.")])
    store.save_position(r.work_id, r.added[0], 0.3)
    store.close()
    store = Store(db_path)
    try:
        assert store.last_work() == r.work_id
        assert store.position(r.work_id) == Position(r.work_id, r.added[0], 0.3)
    finally:
        store.close()


# -- the bundled sample -------------------------------------------------------------------


def test_ensure_sample_imports_once(store):
    files = sample_serial()
    assert len(files) >= 3
    work_id = ensure_sample(store)
    assert work_id is not None
    chapters = store.chapters(work_id)
    assert len(chapters) == len(files)
    rows = snapshot(store)
    assert ensure_sample(store) is None
    assert snapshot(store) == rows
    for info in chapters:
        chapter = store.load_chapter(info.id)
        assert chapter.footnotes and chapter.sections and chapter.warnings == []


def test_ensure_sample_leaves_a_nonempty_library_alone(store, tmp_path):
    import_files(store, [write_chapter(tmp_path / "a.txt", 1, "A.")])
    assert ensure_sample(store) is None
    assert len(store.works()) == 1


# -- known store problems -----------------------------------------------------------------


def test_reimporting_one_headerless_file_does_not_overwrite_another(store, tmp_path):
    folder = tmp_path / "Quiet Front"
    folder.mkdir()
    first = folder / "first.txt"
    second = folder / "second.txt"
    first.write_text("The first chapter's text.", encoding="utf-8")
    second.write_text("The second chapter's text.", encoding="utf-8")
    work = import_files(store, [first, second]).work_id
    # Re-import just the second file into the same work: it is parsed as chapter 1 and
    # replaces the first chapter's text.
    import_files(store, [second], title="Quiet Front")
    bodies = [store.load_chapter(c.id).body for c in store.chapters(work)]
    assert bodies == ["The first chapter's text.", "The second chapter's text."]
