"""Whole-work search (FTS5 over chapter text) on real SQLite files."""

from __future__ import annotations

import pytest

from companion.core.parse import parse_chapter
from companion.resources import sample_serial
from companion.store.importer import import_files
from companion.store.library import Store
from companion.store.search import query_spans, query_terms, search_chapters


def chapter(number: int, text: str):
    return parse_chapter(f"Chapter {number}: Part {number}\n\n{text}\n")




@pytest.fixture
def work(store):
    """A small work: three chapters with words the tests look for."""
    result = store.import_chapters(
        "Search Test",
        [
            (chapter(1, "The 4th Corps crossed the river at dawn. Nobody expected it."), "a"),
            (chapter(2, "Rain. The corps waited; the river rose <script>alert(1)</script>."), "b"),
            (chapter(3, "The customs house burned while the 4th Corps held the bridge."), "c"),
        ],
    )
    return result.work_id


def numbers(result) -> list[int]:
    return [hit.number for hit in result.hits]


def test_words_match_word_starts_in_every_chapter_in_reading_order(store, work):
    assert numbers(search_chapters(store, work, "corps")) == [1, 2, 3]
    assert numbers(search_chapters(store, work, "CORP")) == [1, 2, 3]  # prefix, any case
    assert numbers(search_chapters(store, work, "river corps")) == [1, 2]  # every word
    assert numbers(search_chapters(store, work, "orps")) == []  # not inside a word


def test_quoted_phrases_match_those_words_in_order(store, work):
    assert numbers(search_chapters(store, work, '"4th Corps"')) == [1, 3]
    assert numbers(search_chapters(store, work, '"corps 4th"')) == []
    assert numbers(search_chapters(store, work, '"the customs house" 4th')) == [3]


def test_snippets_mark_the_matched_words(store, work):
    (hit,) = search_chapters(store, work, "customs").hits
    assert hit.title == "Part 3"
    assert ("customs", True) in hit.snippet
    text = "".join(part for part, _ in hit.snippet)
    assert "The customs house burned" in text
    assert all(not matched for part, matched in hit.snippet if part != "customs")
    (hit,) = search_chapters(store, work, "script").hits  # markup comes back as plain text
    assert ("script", True) in hit.snippet
    assert "<" in "".join(part for part, _ in hit.snippet)


def test_spoiler_scope_counts_later_chapters(store, work):
    result = search_chapters(store, work, "corps", up_to=1)
    assert numbers(result) == [1]
    assert result.later == 2
    assert search_chapters(store, work, "corps").later == 0


@pytest.mark.parametrize(
    "query",
    ["", "   ", "!!!", "...", '"', '""', '"""', "'", "*", "-", "^", "(", ")", ":", "+", "NEAR(",
     'a"b', '"unclosed phrase', "corps OR", "AND", "NOT corps", "col:corps", "{a b}", "\\", "%_"],
)
def test_any_query_is_searched_without_error(store, work, query):
    result = search_chapters(store, work, query)
    assert isinstance(result.hits, list)
    query_spans("some text", query)


def test_punctuation_only_queries_find_nothing(store, work):
    for query in ("!!!", '"', "''", "--", "*"):
        assert query_terms(query) == []
        assert search_chapters(store, work, query).hits == []


def test_operators_are_words_not_syntax(store, work):
    assert query_terms('NOT corps "a b" OR') == [["NOT"], ["corps"], ["a", "b"], ["OR"]]
    assert numbers(search_chapters(store, work, "expected OR")) == []  # "or" is a word here


def test_the_index_follows_imports_updates_and_deletes(store, work):
    assert numbers(search_chapters(store, work, "dawn")) == [1]
    store.import_chapters(
        "Search Test", [(chapter(1, "The 4th Corps crossed the river at dusk."), "a")]
    )
    assert numbers(search_chapters(store, work, "dawn")) == []
    assert numbers(search_chapters(store, work, "dusk")) == [1]
    store.import_chapters("Search Test", [(chapter(4, "Snow fell on the bridge."), "d")])
    assert numbers(search_chapters(store, work, "snow")) == [4]
    store.db.execute("UPDATE chapters SET is_new = 0")  # other columns leave the index be
    assert numbers(search_chapters(store, work, "snow")) == [4]
    store.db.execute("DELETE FROM works WHERE id = ?", [work])  # chapters go by cascade
    count = store.db.execute(
        "SELECT count(*) FROM chapter_search WHERE chapter_search MATCH 'corps'"
    ).fetchone()[0]
    assert count == 0
    integrity = "INSERT INTO chapter_search (chapter_search) VALUES ('integrity-check')"
    store.db.execute(integrity)  # raises if the index and the chapters disagree


def test_the_migration_indexes_chapters_already_in_the_library(tmp_path):
    path = tmp_path / "old.sqlite3"
    with Store(path) as store:
        work = import_files(store, sample_serial()).work_id
        for trigger in ("insert", "update", "delete"):
            store.db.execute(f"DROP TRIGGER chapter_search_{trigger}")
        store.db.execute("DROP TABLE chapter_search")
        store.db.execute("DELETE FROM migrations WHERE name = '005_chapter_search.sql'")
    with Store(path) as store:
        assert numbers(search_chapters(store, work, '"customs house"')) == [2]


def test_query_spans_find_what_the_search_matched():
    text = "The 4th  Corps and the\ncorpsmen; 4th-Corps. Corpse."
    assert query_spans(text, "corps") == [(9, 14), (23, 31), (37, 42), (44, 50)]
    assert [text[s:e] for s, e in query_spans(text, '"4th corps"')] == ["4th  Corps", "4th-Corps"]
    assert query_spans(text, "!!!") == []
