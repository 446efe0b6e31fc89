"""Read and new flags, and the library listing other programs read."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from companion.resources import sample_serial
from companion.store.importer import import_files


def test_an_update_marks_added_chapters_new(store, tmp_path):
    files = [shutil.copy(p, tmp_path / p.name) for p in sample_serial()]
    work = import_files(store, files[:3]).work_id
    assert not any(c.new for c in store.chapters(work))  # a first import: nothing is "new"

    second = tmp_path / "ch02.txt"
    second.write_text(second.read_text(encoding="utf-8").replace("D-Day", "Day One", 1))
    import_files(store, files)
    assert [c.new for c in store.chapters(work)] == [False, False, False, True]

    chapters = store.chapters(work)
    store.mark_opened(chapters[3].id)
    store.mark_read(chapters[0].id)
    after = store.chapters(work)
    assert [c.new for c in after] == [False, False, False, False]
    assert [c.read for c in after] == [True, False, False, False]


def test_library_listing(store):
    work = import_files(store, sample_serial()).work_id
    store.mark_read(store.chapters(work)[0].id)
    (listed,) = store.library()
    assert listed["title"] == "The Amber Coast Campaign"
    assert listed["chapter_count"] == 4 and listed["read_chapters"] == 1
    assert listed["progress"] == 0.25
    first = listed["chapters"][0]
    assert set(first) == {"number", "title", "footnotes", "words", "read", "new"}
    assert first["number"] == 1 and first["read"] and not first["new"]
    assert first["footnotes"] == 4 and 800 < first["words"] < 1500


def test_library_command(tmp_path):
    db = tmp_path / "lib.sqlite3"

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "companion", *map(str, args), "--db", db],
            capture_output=True,
            text=True,
            timeout=60,
        )

    assert run("import", *sample_serial()).returncode == 0
    out = json.loads(run("library", "--json").stdout)
    assert [w["title"] for w in out] == ["The Amber Coast Campaign"]
    assert [c["number"] for c in out[0]["chapters"]] == [1, 2, 3, 4]
    text = run("library").stdout
    assert text.startswith("The Amber Coast Campaign: 0/4 read")
