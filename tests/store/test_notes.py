"""Highlights, notes and bookmarks in a real SQLite library: anchors survive edits, exports
round-trip, bad imports change nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from companion.core.anchor import Quote, make_quote, reanchor
from companion.resources import sample_serial
from companion.store.glossary import set_description
from companion.store.importer import import_files
from companion.store.library import Store
from companion.store.notes import (
    NotesError,
    add_bookmark,
    add_highlight,
    delete_mark,
    export_json,
    export_markdown,
    find_quote,
    get_mark,
    import_json,
    marks,
    restore_mark,
    search_marks,
    update_mark,
)


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "library.sqlite3")
    yield s
    s.close()


@pytest.fixture
def seed(shared_fixtures, tmp_path) -> Path:
    return Path(shutil.copy(shared_fixtures / "seed-chapter-035.txt", tmp_path / "ch035.txt"))


def highlight(store, work, chapter, words, **kw):
    return add_highlight(store, work, chapter, *find_quote(store, work, chapter, words), **kw)


def snapshot(store) -> list:
    return sorted(store.db.execute("SELECT * FROM annotations").fetchall(), key=repr)


# -- anchors --------------------------------------------------------------------------------


def test_reanchor_rules_on_own_text():
    body = "Alpha company crossed the river at dawn. Bravo company waited by the mill."
    quote = make_quote(body, body.index("crossed"), body.index(" at dawn"))
    moved = "Early that day, " + body
    assert moved[slice(*reanchor(moved, quote))] == "crossed the river"
    inside = body.replace("crossed the river", "crossed the cold river")
    assert inside[slice(*reanchor(inside, quote))] == "crossed the cold river"
    gone = body.replace("crossed the river at dawn", "stayed put")
    assert reanchor(gone, quote) is None
    twice = "He crossed the river. " + body
    assert reanchor(twice, quote) == (twice.index("crossed the river at"), twice.index(" at dawn"))
    assert reanchor(body, Quote("", "", "")) is None


def test_highlights_follow_their_words_when_the_chapter_changes(store, seed):
    work = import_files(store, [seed]).work_id
    decoy = highlight(store, work, 35, "using a regimental unit as a decoy", note="clever")
    melee = highlight(
        store, work, 35, "The battle turned into a melee, and the front lines became so jumbled"
    )
    ending = highlight(store, work, 35, "This marked the end of the Battle for Khabarovsk.")
    text = seed.read_text(encoding="utf-8")
    changed = (
        text.replace("More than a month had passed", "Well over a month had already passed")
        .replace("turned into a melee, and the front", "turned into a bloody melee, and the front")
        .replace(" This marked the end of the Battle for Khabarovsk.", "")
    )
    deleted = next(p for p in text.split("\n\n") if p.startswith("In the end, it was decided"))
    changed = changed.replace(deleted + "\n\n", "")
    seed.write_text(changed, encoding="utf-8")
    assert import_files(store, [seed]).updated

    body = store.load_chapter(store.chapters(work)[0].id).body
    after = {m.id: m for m in marks(store, work)}
    assert body[after[decoy.id].start : after[decoy.id].end] == "using a regimental unit as a decoy"
    assert after[decoy.id].note == "clever"
    moved = after[melee.id]
    assert body[moved.start : moved.end] == (
        "The battle turned into a bloody melee, and the front lines became so jumbled"
    )
    assert after[ending.id].detached
    assert after[ending.id].quote == "This marked the end of the Battle for Khabarovsk."
    assert len(after) == 3  # nothing dropped


def test_bookmarks_default_label_and_search(store):
    work = import_files(store, sample_serial()).work_id
    mark = add_bookmark(store, work, 2, 400)
    assert mark.kind == "bookmark" and mark.label.startswith("Landing at Veskar")
    assert mark.quote.split()[0] in mark.label
    note = highlight(store, work, 1, "Treaty of Sellin", note="the old grievance")
    assert search_marks(store, work, "grievance") == {note.id}
    assert search_marks(store, work, "landing") == {mark.id}
    assert search_marks(store, work, "!!!") is None
    with pytest.raises(NotesError):
        add_highlight(store, work, 1, 5, 5)
    with pytest.raises(NotesError):
        add_highlight(store, work, 99, 0, 4)
    with pytest.raises(NotesError):
        find_quote(store, work, 1, "words that are not there")


def test_edit_delete_and_restore(store):
    work = import_files(store, sample_serial()).work_id
    mark = highlight(store, work, 1, "Kingdom of Varnia", color="blue")
    edited = update_mark(store, mark.id, note="**bold** <script>x</script>", color="pink")
    assert (edited.note, edited.color) == ("**bold** <script>x</script>", "pink")
    gone = delete_mark(store, mark.id)
    assert marks(store, work) == []
    assert restore_mark(store, gone) == get_mark(store, mark.id) == gone
    assert search_marks(store, work, "bold") == {mark.id}


def test_a_one_megabyte_note(store):
    work = import_files(store, sample_serial()).work_id
    big = "word " * 200_000
    mark = highlight(store, work, 3, "Marl", note=big)
    assert get_mark(store, mark.id).note == big


# -- export and import ----------------------------------------------------------------------


def test_json_round_trip_into_a_fresh_library(store, tmp_path):
    work = import_files(store, sample_serial()).work_id
    highlight(store, work, 1, "Aurelian Republic", note="the other side", color="green")
    add_bookmark(store, work, 4, 0, "Armistice")
    set_description(store, work, "4th Corps", "Wennerholm's corps")
    exported = json.loads(export_json(store, work))

    with Store(tmp_path / "other.sqlite3") as other:
        again = import_files(other, sample_serial()).work_id
        counts = import_json(other, again, json.dumps(exported))
        assert (counts.added, counts.already_there, counts.name_notes) == (2, 0, 1)
        assert json.loads(export_json(other, again))["notes"] == exported["notes"]
        assert json.loads(export_json(other, again))["name_notes"] == exported["name_notes"]
        repeat = import_json(other, again, json.dumps(exported))
        assert (repeat.added, repeat.already_there, repeat.name_notes) == (0, 2, 0)


def test_partly_duplicated_import_adds_only_the_new(store):
    work = import_files(store, sample_serial()).work_id
    highlight(store, work, 1, "Aurelian Republic")
    data = json.loads(export_json(store, work))
    extra = dict(data["notes"][0], uuid="another", quote="Kingdom of Varnia", note="new")
    data["notes"].append(extra)
    counts = import_json(store, work, json.dumps(data))
    assert (counts.added, counts.already_there) == (1, 1)
    assert len(marks(store, work)) == 2


@pytest.mark.parametrize(
    "text, message",
    [
        ("{not json", "invalid JSON"),
        ("[1, 2]", "not a Companion notes file"),
        ('{"format": "companion-notes", "version": 1}', "no list of notes"),
        ('{"format": "companion-notes", "version": 9, "notes": []}', "version"),
        ('{"format": "companion-notes", "version": 1, "notes": [{"quote": "x"}]}', "chapter"),
        ('{"format": "companion-notes", "version": 1, "work": "Other", "notes": []}', "Other"),
    ],
)
def test_bad_imports_are_refused_and_change_nothing(store, text, message):
    work = import_files(store, sample_serial()).work_id
    highlight(store, work, 1, "Aurelian Republic")
    before = snapshot(store)
    with pytest.raises(NotesError, match=message):
        import_json(store, work, text)
    assert snapshot(store) == before


def test_markdown_export_is_grouped_and_shows_markup_as_written(store):
    work = import_files(store, sample_serial()).work_id
    highlight(store, work, 2, "CRR force", note="<b>fast</b> and *light*", color="orange")
    add_bookmark(store, work, 1, 0)
    text = export_markdown(store, work)
    assert text.startswith("# Notes — The Amber Coast Campaign\n")
    assert text.index("## Chapter 1") < text.index("## Chapter 2")
    assert "“CRR force” *(orange)*" in text
    assert "&lt;b>fast&lt;/b> and *light*" in text
    assert "\n\n\n" not in text
