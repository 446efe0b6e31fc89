"""The `companion` command run as a real process: version, parse --json, import, bad input."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from companion import __version__


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private home for the child processes, so no run can touch the real library."""
    home = tmp_path / "home"
    home.mkdir()
    for var in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(home if var == "HOME" else home / var.lower()))
    return home


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "companion", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        env=dict(os.environ),
    )


def db_rows(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}
    finally:
        conn.close()


CHAPTER = (
    "004 - Into the Hills - 2\n\n52 3 1\n\n"
    "The 9th Rifle Brigade *1 left the valley before dawn.\n\n* * *\n\n"
    "Hill 311, Observation Post (D-Day+2)\n\nThe guns opened at six.\n\n"
    "~~~~\n\nNotes\n\n*1: Formerly the 9th Militia Brigade.\n\n"
    "Grey HillsWhere stories live. Discover now"
)


@pytest.fixture
def chapter_file(tmp_path: Path) -> Path:
    path = tmp_path / "ch004.txt"
    path.write_text(CHAPTER, encoding="utf-8")
    return path


def test_version():
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"companion {__version__}"


def test_parse_json_shape(chapter_file):
    result = run("parse", chapter_file, "--json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    out = json.loads(result.stdout)
    assert set(out) == {"chapter"}
    chapter = out["chapter"]
    assert set(chapter) == {
        "story",
        "number",
        "title",
        "sections",
        "scene_breaks",
        "footnotes",
        "body",
        "warnings",
    }
    assert chapter["story"] == "Grey Hills"
    assert chapter["number"] == 4
    assert chapter["title"] == "Into the Hills - 2"
    assert chapter["sections"] == [{"heading": "Hill 311, Observation Post", "when": "D-Day+2"}]
    assert chapter["scene_breaks"] == 1
    assert chapter["footnotes"] == {"1": "Formerly the 9th Militia Brigade."}
    assert chapter["warnings"] == []
    assert chapter["body"].startswith("The 9th Rifle Brigade *1")
    for site_text in ("52 3 1", "Where stories live", "004 - Into the Hills"):
        assert site_text not in chapter["body"]


def test_parse_shared_fixture_matches_key(shared_fixtures):
    result = run("parse", shared_fixtures / "seed-chapter-035.txt", "--json")
    assert result.returncode == 0, result.stderr
    chapter = json.loads(result.stdout)["chapter"]
    gold = json.loads((shared_fixtures / "seed-chapter-035.gold.json").read_text("utf-8"))
    for key in ("story", "number", "title", "sections", "scene_breaks", "footnotes"):
        assert chapter[key] == gold["chapter"][key], key


def test_import_into_db(chapter_file, tmp_path):
    db = tmp_path / "lib.sqlite3"
    result = run("import", chapter_file, "--db", db)
    assert result.returncode == 0, result.stderr
    assert "1 added" in result.stdout
    rows = db_rows(db)
    assert [r[2] for r in rows["works"]] == ["Grey Hills"]
    assert len(rows["chapters"]) == 1 and len(rows["footnotes"]) == 1

    again = run("import", chapter_file, "--db", db)
    assert again.returncode == 0, again.stderr
    assert "0 added" in again.stdout and "1 unchanged" in again.stdout
    assert db_rows(db) == rows


def test_db_option_before_the_command(chapter_file, tmp_path, home):
    db = tmp_path / "lib.sqlite3"
    result = run("--db", db, "import", chapter_file)
    assert result.returncode == 0, result.stderr
    assert db.exists()
    assert not any(p.suffix == ".sqlite3" for p in home.rglob("*"))


def make_bad(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"bad-{kind}.txt"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "binary":
        path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    elif kind == "huge":
        with path.open("wb") as f:
            f.truncate(9 * 1024 * 1024)
    return path  # "missing": never created


BAD = ["empty", "binary", "huge", "missing"]


@pytest.mark.parametrize("kind", BAD)
def test_bad_import_fails_cleanly_and_leaves_db_unchanged(kind, chapter_file, tmp_path):
    db = tmp_path / "lib.sqlite3"
    assert run("import", chapter_file, "--db", db).returncode == 0
    before = db_rows(db)
    bad = make_bad(tmp_path, kind)
    result = run("import", chapter_file, bad, "--db", db)
    assert result.returncode != 0
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert bad.name in lines[0]
    assert result.stdout == ""
    assert db_rows(db) == before


@pytest.mark.parametrize("kind", BAD)
def test_bad_parse_fails_with_one_line(kind, tmp_path):
    bad = make_bad(tmp_path, kind)
    result = run("parse", bad, "--json")
    assert result.returncode != 0
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert bad.name in result.stderr
    assert result.stdout == ""


def test_bad_import_does_not_create_a_new_database(tmp_path):
    db = tmp_path / "new.sqlite3"
    result = run("import", make_bad(tmp_path, "empty"), "--db", db)
    assert result.returncode != 0
    assert not db.exists()


def test_markup_in_chapter_text_is_plain_text(tmp_path):
    hostile = (
        "The signal read <script>alert('x')</script> in clear.\n\n"
        'A sketch: <img src=http://x onerror="alert(1)"> of the ridge.\n\n'
        "See <a href=file:///etc/passwd>the file</a> &amp; more."
    )
    path = tmp_path / "markup.txt"
    path.write_text(f"Chapter 1: Markup\n\n{hostile}\n", encoding="utf-8")
    result = run("parse", path, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["chapter"]["body"] == hostile


# -- names ----------------------------------------------------------------------------------


def test_annotate_json_contract(chapter_file):
    result = run("annotate", chapter_file, "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert set(out) == {"chapter", "mentions", "entities"}
    body = out["chapter"]["body"]
    names = {e["name"]: e for e in out["entities"]}
    assert "9th Rifle Brigade" in names
    assert set(names["9th Rifle Brigade"]) == {
        "name",
        "kind",
        "echelon",
        "aliases",
        "parent",
        "side",
        "first_chapter",
    }
    assert names["9th Rifle Brigade"]["first_chapter"] == 4
    for m in out["mentions"]:
        assert set(m) == {"start", "end", "text", "kind", "entity"}
        assert body[m["start"] : m["end"]] == m["text"]
        assert m["entity"] is None or m["entity"] in names


def test_annotate_scores_on_the_shared_answer_key(shared_fixtures, tmp_path):
    out = tmp_path / "out.json"
    result = run("annotate", shared_fixtures / "seed-chapter-035.txt", "--json")
    out.write_text(result.stdout, encoding="utf-8")
    scorer = shared_fixtures.parent / "tools" / "score_annotations.py"
    key = shared_fixtures / "seed-chapter-035.gold.json"
    score = subprocess.run(
        [sys.executable, scorer, key, out, "--min-f1", "0.97"], capture_output=True, text=True
    )
    assert score.returncode == 0, score.stdout
    assert "coreference 4/4; relations 6/6; structure 8/8" in score.stdout


def test_entity_corrections_from_the_command_line(chapter_file, tmp_path):
    db = tmp_path / "lib.sqlite3"
    assert run("import", chapter_file, "--db", db).returncode == 0

    def names() -> dict:
        listed = run("entity", "list", "--json", "--db", db)
        assert listed.returncode == 0, listed.stderr
        return {e["name"]: e for e in json.loads(listed.stdout)}

    assert "9th Rifle Brigade" in names()
    assert run("entity", "rename", "9th Rifle Brigade", "Ninth Rifles", "--db", db).returncode == 0
    assert run("entity", "set", "Ninth Rifles", "--echelon", "regiment", "--db", db).returncode == 0
    assert run("annotate", "--db", db).returncode == 0  # re-annotation keeps the corrections
    after = names()
    assert "9th Rifle Brigade" not in after
    assert after["Ninth Rifles"]["echelon"] == "regiment"
    assert run("entity", "ignore", "Ninth Rifles", "--db", db).returncode == 0
    assert "Ninth Rifles" not in names()


def test_corrections_are_listed_and_undone_from_the_command_line(chapter_file, tmp_path):
    db = tmp_path / "lib.sqlite3"
    run("import", chapter_file, "--db", db)

    def names() -> str:
        return run("entity", "list", "--json", "--db", db).stdout

    pristine = names()
    assert run("entity", "ignore", "9th Rifle Brigade", "--db", db).returncode == 0
    assert run("entity", "set", "9th Militia Brigade", "--echelon", "army", "--side", "",
               "--db", db).returncode == 0

    listed = json.loads(run("entity", "corrections", "--json", "--db", db).stdout)
    assert [(c["action"], c["entity"], c["value"]) for c in listed] == [
        ("ignore", "9th Rifle Brigade", None),
        ("set_echelon", "9th Militia Brigade", "army"),
        ("set_side", "9th Militia Brigade", None),
    ]
    text = run("entity", "corrections", "--db", db).stdout
    assert "9th Rifle Brigade is not a name" in text and "Clear side of 9th Militia" in text

    undone = run("entity", "undo", "--db", db)  # the last one
    assert undone.stdout.strip() == "undone: Clear side of 9th Militia Brigade"
    bad = run("entity", "undo", "999", "--db", db)
    assert bad.returncode != 0 and "999" in bad.stderr
    ids = [str(c["id"]) for c in listed[:2]]
    assert run("entity", "undo", *ids, "--db", db).returncode == 0
    assert names() == pristine
    nothing = run("entity", "undo", "--db", db)
    assert nothing.returncode != 0 and "no corrections" in nothing.stderr


def test_entity_command_on_a_missing_name_fails_cleanly(chapter_file, tmp_path):
    db = tmp_path / "lib.sqlite3"
    run("import", chapter_file, "--db", db)
    before = db_rows(db)
    result = run("entity", "rename", "No Such Corps", "X", "--db", db)
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1
    assert "No Such Corps" in result.stderr
    assert db_rows(db) == before
