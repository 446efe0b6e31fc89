"""Recognised names in a real SQLite library: annotation is stored, idempotent, and the
reader's corrections survive every re-annotation and re-import."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion.core.names import Correction
from companion.store.glossary import glossary, set_description, set_sibling_order, sibling_order
from companion.store.importer import import_files
from companion.store.library import Store
from companion.store.names import (
    add_corrections,
    annotate_stored_work,
    chapter_mentions,
    correction_list,
    corrections,
    entities,
    remove_corrections,
    restore_corrections,
)

CHAPTER_1 = """001 - The Crossing - 1

12 3 4

The Republic of Halvia mobilised on Monday. The 7th Rifle Division of the Halvian Army
moved to the river, and Colonel Brask's regiment followed. The 7th Division crossed at dawn.

. . .

Doren Ford (D-Day+2)

France protested. The 3rd Corps of the Halvian Army waited.

Harbour StoryWhere stories live. Discover now"""

CHAPTER_2 = """002 - The Bridgehead - 2

10 1 0

The 7th Rifle Division held the bridgehead. The 9th Guards Brigade of the 3rd Corps arrived.

Harbour StoryWhere stories live. Discover now"""




@pytest.fixture
def work(store, tmp_path) -> int:
    paths = []
    for n, text in ((1, CHAPTER_1), (2, CHAPTER_2)):
        path = tmp_path / f"ch{n}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return import_files(store, paths).work_id


def by_name(store: Store, work_id: int) -> dict:
    return {e.name: e for e in entities(store, work_id)}


def snapshot(store: Store) -> list:
    tables = ("entities", "entity_facts", "mentions")
    return [list(store.db.query(f"SELECT * FROM {t} ORDER BY rowid")) for t in tables]


def test_import_annotates_and_offsets_match_the_stored_body(store, work):
    names = by_name(store, work)
    assert names["7th Rifle Division"].kind == "unit"
    assert names["7th Rifle Division"].first_chapter == 1
    assert names["9th Guards Brigade"].first_chapter == 2
    assert names["Republic of Halvia"].kind == "nation"
    for info in store.chapters(work):
        body = store.load_chapter(info.id).body
        mentions = chapter_mentions(store, info.id)
        assert mentions
        for m in mentions:
            assert body[m.start : m.end] == m.text


def test_short_form_resolves_to_the_full_name(store, work):
    first = store.chapters(work)[0]
    texts = {m.text: m.entity for m in chapter_mentions(store, first.id)}
    assert texts["7th Division"] == "7th Rifle Division"


def test_reannotation_is_idempotent_and_keeps_entity_ids(store, work):
    before = snapshot(store)
    annotate_stored_work(store, work)
    annotate_stored_work(store, work)
    assert snapshot(store) == before


def test_corrections_survive_reannotation_and_reimport(store, work, tmp_path):
    add_corrections(store, work, [Correction("rename", "7th Rifle Division", "Halvian 7th Rifles")])
    add_corrections(store, work, [Correction("ignore", "France")])
    add_corrections(store, work, [Correction("merge", "3rd Corps", "Halvian Army")])
    add_corrections(store, work, [Correction("set_echelon", "9th Guards Brigade", "regiment")])

    def check() -> None:
        names = by_name(store, work)
        assert "Halvian 7th Rifles" in names and "7th Rifle Division" not in names
        assert "7th Rifle Division" in names["Halvian 7th Rifles"].aliases
        assert "France" not in names
        assert "3rd Corps" not in names
        assert names["9th Guards Brigade"].echelon == "regiment"
        mentioned = {m.entity for c in store.chapters(work) for m in chapter_mentions(store, c.id)}
        assert "France" not in mentioned
        assert "Halvian 7th Rifles" in mentioned

    check()
    annotate_stored_work(store, work)
    check()
    changed = tmp_path / "ch2.txt"
    changed.write_text(CHAPTER_2.replace("held the bridgehead", "still held the bridgehead"))
    result = import_files(store, [tmp_path / "ch1.txt", changed])
    assert result.updated
    check()
    assert len(corrections(store, work)) == 4


def test_corrections_survive_reopening_the_database(tmp_path, work, store):
    add_corrections(store, work, [Correction("alias", "Republic of Halvia", "Halvia")])
    path: Path = store.path
    store.close()
    with Store(path) as again:
        assert corrections(again, work) == [Correction("alias", "Republic of Halvia", "Halvia")]
        annotate_stored_work(again, work)
        assert "Halvia" in by_name(again, work)["Republic of Halvia"].aliases


def test_corrections_are_taken_back_and_restored_in_their_place(store, work):
    fixes = [Correction("ignore", "France"), Correction("set_echelon", "3rd Corps", "army")]
    first = add_corrections(store, work, fixes)
    second = add_corrections(store, work, [Correction("merge", "9th Guards Brigade", "3rd Corps")])
    listed = correction_list(store, work)
    assert [c.id for c in listed] == [c.id for c in first + second]
    assert [c.correction.describe() for c in listed] == [
        "France is not a name", "Set echelon of 3rd Corps to army",
        "Merge 9th Guards Brigade into 3rd Corps",
    ]
    assert "France" not in by_name(store, work)

    removed = remove_corrections(store, work, [first[0].id, second[0].id])
    assert [c.correction.action for c in removed] == ["ignore", "merge"]
    names = by_name(store, work)
    assert "France" in names and "9th Guards Brigade" in names
    assert names["3rd Corps"].echelon == "army"  # the one left in place still applies
    annotate_stored_work(store, work)
    assert "France" in by_name(store, work)

    restore_corrections(store, work, removed)
    assert correction_list(store, work) == listed  # same ids, order and times
    names = by_name(store, work)
    assert "France" not in names and "9th Guards Brigade" not in names


def test_taking_back_a_rename_returns_the_readers_description_and_place(store, work):
    set_description(store, work, "7th Rifle Division", "Crossed first.")
    set_sibling_order(store, work, ["7th Rifle Division"])
    rows = add_corrections(store, work, [Correction("rename", "7th Rifle Division", "Seventh")])
    rows += add_corrections(store, work, [Correction("rename", "Seventh", "The Seventh")])
    assert descriptions(store, work) == {"The Seventh": "Crossed first."}
    assert "The Seventh" in sibling_order(store, work)

    removed = remove_corrections(store, work, [r.id for r in rows])
    assert descriptions(store, work) == {"7th Rifle Division": "Crossed first."}
    assert set(sibling_order(store, work)) == {"7th Rifle Division"}
    restore_corrections(store, work, removed)
    assert descriptions(store, work) == {"The Seventh": "Crossed first."}


def test_taking_back_a_merge_keeps_every_description_written(store, work):
    set_description(store, work, "3rd Corps", "Reserve.")
    set_description(store, work, "Halvian Army", "The main force.")
    (row,) = add_corrections(store, work, [Correction("merge", "3rd Corps", "Halvian Army")])
    remove_corrections(store, work, [row.id])
    assert "3rd Corps" in by_name(store, work)
    assert descriptions(store, work) == {"Halvian Army": "The main force.\n\nReserve."}


def test_a_rename_onto_an_existing_name_taken_back_leaves_that_names_description(store, work):
    set_description(store, work, "Halvian Army", "The main force.")
    (row,) = add_corrections(store, work, [Correction("rename", "3rd Corps", "Halvian Army")])
    remove_corrections(store, work, [row.id])
    assert descriptions(store, work) == {"Halvian Army": "The main force."}


def test_a_transfer_shows_as_of_the_chapter_read(store, tmp_path):
    chapters = [
        "The 14th Rifle Division of the 3rd Guards Corps held the river through June.",
        "In July the 14th Rifle Division was transferred to the 5th Army Corps.",
        "The 9th Brigade waited.",
        "The 14th Rifle Division returned to the 3rd Guards Corps in the autumn.",
    ]
    paths = []
    for n, text in enumerate(chapters, 1):
        path = tmp_path / f"t{n}.txt"
        path.write_text(f"{n:03} - Part {n} - 1\n\n1 2 3\n\n{text}\n", encoding="utf-8")
        paths.append(path)
    work = import_files(store, paths, title="Transfers").work_id

    def parent(up_to: int | None) -> str | None:
        return next(e.parent for e in glossary(store, work, up_to)
                    if e.name == "14th Rifle Division")

    assert [parent(n) for n in (1, 2, 3, 4, None)] == [
        "3rd Guards Corps", "5th Army Corps", "5th Army Corps", "3rd Guards Corps",
        "3rd Guards Corps"]


def descriptions(store: Store, work: int) -> dict[str, str]:
    return {e.name: e.description for e in glossary(store, work) if e.description}


def test_authors_notes_are_not_scanned_for_names(store, tmp_path):
    page = tmp_path / "ch1.html"
    page.write_text(
        "<html><head><title>Chapter 1: Fog</title></head><body><h1>Chapter 1: Fog</h1>"
        "<div class='fff_chapter_notes'><p>A/N: thanks to everyone who asked about the "
        "9th Guards Division; it comes back later.</p></div>"
        "<p>The 4th Rifle Brigade of the Republic of Halvia crossed at dawn.</p></body></html>",
        encoding="utf-8",
    )
    work = import_files(store, [page], title="Fog").work_id
    names = by_name(store, work)
    assert "4th Rifle Brigade" in names
    assert "9th Guards Division" not in names
    chapter = store.load_chapter(store.chapters(work)[0].id)
    assert any(b.kind == "author_note" for b in chapter.blocks)
    assert "9th Guards Division" in chapter.body  # kept, just not a name of the story
