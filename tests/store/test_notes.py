"""Highlights, notes and bookmarks in a real SQLite library: anchors survive edits, exports
round-trip, bad imports change nothing."""

from __future__ import annotations

import json
import re
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


def sentences(paragraph: str) -> list[str]:
    """The sentences of a paragraph, split after ``.``, ``!`` or ``?`` before a capital."""
    return re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", paragraph)


def plain(sentence: str, words: int = 8) -> bool:
    """A sentence with at least ``words`` words and no footnote marker."""
    return "*" not in sentence and len(sentence.split()) >= words


def test_highlights_follow_their_words_when_the_chapter_changes(store, seed, seed_chapter):
    body = seed_chapter.body
    heading = seed_chapter.sections[0].start
    second_section = seed_chapter.sections[1].start
    blocks = [b for b in seed_chapter.blocks if b.kind == "paragraph"]
    before = [body[b.start : b.end] for b in blocks if b.start < heading]
    first_section = [body[b.start : b.end] for b in blocks if heading < b.start < second_section]
    # Words from the middle of the first sentence after the first heading: left as they are.
    first = sentences(first_section[0])[0].split()
    decoy_words = " ".join(first[len(first) // 2 - 3 : len(first) // 2 + 3])
    # A later sentence of another paragraph: a word is inserted inside it.
    melee_paragraph, melee_words = next(
        (p, t) for p in first_section[1:-1] for t in sentences(p)[1:] if plain(t, 12)
    )
    words = melee_words.split()
    melee_changed = " ".join([*words[:5], "bloody", *words[5:]])
    # The last sentence of the first section: deleted.
    ending_words = sentences(first_section[-1])[-1]
    # The shortest paragraph before the first heading, whole: deleted.
    deleted = min(before[1:], key=len)
    text = seed.read_text(encoding="utf-8")
    for words in (decoy_words, melee_words, ending_words, before[0], deleted):
        assert text.count(words) == body.count(words) == 1, words
    assert len({first_section[0], melee_paragraph, first_section[-1], deleted}) == 4

    work = import_files(store, [seed]).work_id
    decoy = highlight(store, work, 35, decoy_words, note="clever")
    melee = highlight(store, work, 35, melee_words)
    ending = highlight(store, work, 35, ending_words)
    changed = text
    for old, new in (
        (before[0], "Some words were added at the start. " + before[0]),
        (melee_words, melee_changed),
        (" " + ending_words, ""),
        (deleted + "\n\n", ""),
    ):
        assert changed.count(old) == 1, old
        changed = changed.replace(old, new)
    seed.write_text(changed, encoding="utf-8")
    assert import_files(store, [seed]).updated

    body = store.load_chapter(store.chapters(work)[0].id).body
    assert body.startswith("Some words were added at the start.") and deleted not in body
    after = {m.id: m for m in marks(store, work)}
    assert body[after[decoy.id].start : after[decoy.id].end] == decoy_words
    assert after[decoy.id].start != decoy.start  # it moved with its words
    assert after[decoy.id].note == "clever"
    moved = after[melee.id]
    assert body[moved.start : moved.end] == melee_changed
    assert after[ending.id].detached
    assert after[ending.id].quote == ending_words
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
