"""`companion notes` and `companion bookmarks` as other programs use them."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from companion.resources import sample_serial


def run(*args) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "companion", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "library.sqlite3"
    assert run("import", *sample_serial(), "--db", path).returncode == 0
    return path


def rows(db: Path) -> list:
    with sqlite3.connect(db) as conn:
        return sorted(conn.execute("SELECT * FROM annotations").fetchall(), key=repr)


def test_add_and_list(db):
    added = run(
        "notes",
        "add",
        "--chapter",
        2,
        "--quote",
        "The 1st Marine Battalion",
        "--note",
        "first ashore",
        "--color",
        "green",
        "--db",
        db,
    )
    assert added.returncode == 0, added.stderr
    assert len(rows(db)) == 1  # committed before the command returned
    listed = json.loads(run("notes", "list", "--json", "--db", db).stdout)
    assert [(n["chapter"], n["quote"], n["note"], n["color"], n["detached"]) for n in listed] == [
        (2, "The 1st Marine Battalion", "first ashore", "green", False)
    ]


def test_bookmarks(db):
    assert run("bookmarks", "add", "--chapter", 3, "--label", "Pocket", "--db", db).returncode == 0
    quoted = run("bookmarks", "add", "--chapter", 1, "--quote", "Gulf of Sell", "--db", db)
    assert quoted.returncode == 0, quoted.stderr
    listed = json.loads(run("bookmarks", "list", "--json", "--db", db).stdout)
    assert listed[0]["label"] == "Amber Coast Campaign - 1 — Gulf of Sell. Its only port…"
    assert [b["chapter"] for b in listed] == [1, 3]
    assert json.loads(run("notes", "list", "--json", "--db", db).stdout) == []


def test_export_import_round_trip(db, tmp_path):
    run("notes", "add", "--chapter", 1, "--quote", "Kingdom of Varnia", "--db", db)
    run("bookmarks", "add", "--chapter", 4, "--db", db)
    out = tmp_path / "notes.json"
    assert run("notes", "export", "--format", "json", "-o", out, "--db", db).returncode == 0
    before = rows(db)
    again = run("notes", "import", out, "--db", db)
    assert again.returncode == 0 and "0 notes (2 already there)" in again.stdout
    assert rows(db) == before

    other = tmp_path / "other.sqlite3"
    run("import", *sample_serial(), "--db", other)
    assert run("notes", "import", out, "--db", other).returncode == 0
    exported = json.loads(out.read_text(encoding="utf-8"))["notes"]
    other_out = json.loads(run("notes", "export", "--format", "json", "--db", other).stdout)
    assert other_out["notes"] == exported


def test_markdown_export_to_stdout(db):
    run("notes", "add", "--chapter", 2, "--quote", "CRR force", "--note", "the marines", "--db", db)
    text = run("notes", "export", "--db", db).stdout
    assert text.startswith("# Notes — The Amber Coast Campaign")
    assert "“CRR force” *(yellow)*" in text and "  the marines" in text


@pytest.mark.parametrize(
    "args",
    [
        ("notes", "add", "--chapter", 9, "--quote", "Varnia"),
        ("notes", "add", "--chapter", 1, "--quote", "no such words at all"),
        ("notes", "add", "--chapter", 1, "--quote", "Varnia", "--color", "plaid"),
        ("notes", "import", "MISSING.json"),
        ("notes", "export", "-o", "/nonexistent-dir/notes.md"),
    ],
)
def test_bad_requests_fail_cleanly_and_change_nothing(db, args):
    before = rows(db)
    result = run(*args, "--db", db)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert rows(db) == before


def test_malformed_import_changes_nothing(db, tmp_path):
    run("notes", "add", "--chapter", 1, "--quote", "Kingdom of Varnia", "--db", db)
    before = rows(db)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "companion-notes", "version": 1, "notes": [{"quote": 3}]}')
    result = run("notes", "import", bad, "--db", db)
    assert result.returncode == 1 and "chapter" in result.stderr
    assert rows(db) == before
