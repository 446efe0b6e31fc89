"""What a path is — .txt, .html, .epub, folder — and importing each into the library."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from epubkit import Book, Doc, chapters_book, write_epub, xhtml

from companion.cli import main
from companion.core.sources import natural_key, read_source, read_sources
from companion.core.textfile import InputError
from companion.store.importer import import_files, read_import, sources
from companion.store.library import Store


def txt(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def html(path: Path, body: str) -> Path:
    path.write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    return path


def test_natural_sort_key():
    names = ["ch10.txt", "ch2.html", "ch1.txt", "Ch3.txt", "ch2b.txt"]
    assert sorted(names, key=natural_key) == [
        "ch1.txt", "ch2.html", "ch2b.txt", "Ch3.txt", "ch10.txt",
    ]


def test_single_text_file_uses_the_plain_text_parser(tmp_path):
    path = txt(tmp_path / "c.txt", "035 - The Line\n\nThe text *1.\n\n~~~~\n\n*1: A note.")
    work = read_source(path)
    (chapter,) = work.chapters
    assert (chapter.number, chapter.title, chapter.footnotes) == (35, "The Line", {"1": "A note."})
    assert chapter.source_id == str(path)


def test_single_html_file(tmp_path):
    path = html(tmp_path / "page.html", "<h1>Chapter 4: Kiev</h1><p>Encircled.</p>")
    (chapter,) = read_source(path).chapters
    assert (chapter.number, chapter.title, chapter.body) == (4, "Kiev", "Encircled.")


def test_html_without_a_heading_takes_its_place_and_file_name(tmp_path):
    a = html(tmp_path / "first_part.html", "<p>One.</p>")
    b = html(tmp_path / "second_part.htm", "<p>Two.</p>")
    work = read_sources([a, b])
    assert [(c.number, c.title, c.numbered_by_order) for c in work.chapters] == [
        (1, "first part", True), (2, "second part", True),
    ]


def test_folder_in_natural_order_mixing_text_and_html(tmp_path):
    folder = tmp_path / "Grey Hills"
    folder.mkdir()
    txt(folder / "ch1.txt", "Snow fell.")
    html(folder / "ch2.html", "<p>Wind rose.</p>")
    txt(folder / "ch10.txt", "Spring came.")
    txt(folder / ".hidden.txt", "never")
    (folder / "cover.jpg").write_bytes(b"\xff\xd8\xff")
    (folder / "sub").mkdir()
    work = read_source(folder)
    assert [c.body for c in work.chapters] == ["Snow fell.", "Wind rose.", "Spring came."]
    assert [c.number for c in work.chapters] == [1, 2, 3]
    assert work.title == "Grey Hills"


def test_empty_folder_is_refused(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no .txt or .html chapter files"):
        read_source(tmp_path / "empty")


def test_epub_with_other_files_is_refused(tmp_path):
    book = write_epub(tmp_path / "b.epub", chapters_book(1))
    with pytest.raises(InputError, match="on its own"):
        read_sources([book, txt(tmp_path / "a.txt", "x")])


def test_epub_found_by_content_whatever_its_name(tmp_path):
    path = write_epub(tmp_path / "download.zip", chapters_book(2))
    assert len(read_source(path).chapters) == 2


def test_hostile_html_file_is_refused_with_one_line(tmp_path):
    path = tmp_path / "x.html"
    path.write_text('<!DOCTYPE html [<!ENTITY a "aaaa">]><html><body><p>&a;</p></body></html>')
    with pytest.raises(InputError, match="entities") as info:
        read_source(path)
    assert "\n" not in str(info.value)


# -- the importer --------------------------------------------------------------------------


def test_read_import_gives_the_book_title_and_source_identities(tmp_path):
    book = chapters_book(3)
    book.source = "https://fiction.example/s/7"
    path = write_epub(tmp_path / "b.epub", book)
    work = read_import([path])
    assert work.title == "The Long Front"
    assert [s for _, s in sources(work, [path])] == ["ch1.xhtml", "ch2.xhtml", "ch3.xhtml"]
    work = read_import([path], title="Renamed")
    assert (work.title, work.author, work.source_url) == (
        "Renamed", "A. Writer", "https://fiction.example/s/7",
    )


def test_import_epub_into_the_library(tmp_path):
    book = Book([
        Doc("c1.xhtml", xhtml(
            '<h2>Chapter 1</h2><p>The 3rd Panzer Division<a epub:type="noteref" '
            'href="#n1">1</a> crossed the Dnieper.</p>'
            '<aside epub:type="footnote" id="n1">Under General Model.</aside>'
        )),
        Doc("c2.xhtml", xhtml("<h2>Chapter 2</h2><p>The 3rd Panzer Division halted.</p>")),
    ])
    path = write_epub(tmp_path / "front.epub", book)
    with Store(tmp_path / "lib.sqlite3") as store:
        result = import_files(store, [path])
        assert len(result.added) == 2
        chapters = store.chapters(result.work_id)
        assert [c.number for c in chapters] == [1, 2]
        assert store.works()[0].title == "The Long Front"
        again = import_files(store, [path])
        assert len(again.unchanged) == 2


def test_refused_epub_import_leaves_the_database_byte_identical(tmp_path):
    db = tmp_path / "lib.sqlite3"
    with Store(db) as store:
        import_files(store, [write_epub(tmp_path / "ok.epub", chapters_book(2))])
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = db.read_bytes()
    bad = chapters_book(3)
    bad.extra = {"../../evil.sh": "rm -rf ~"}
    evil = write_epub(tmp_path / "evil.epub", bad)
    with Store(db) as store, pytest.raises(InputError, match="unsafe entry path"):
        import_files(store, [evil])
    assert db.read_bytes() == before


def test_cli_imports_an_epub_a_folder_and_html_files(tmp_path, capsys):
    db = tmp_path / "lib.sqlite3"
    folder = tmp_path / "Quiet Front"
    folder.mkdir()
    txt(folder / "ch1.txt", "One.")
    txt(folder / "ch2.txt", "Two.")
    a = html(tmp_path / "a.html", "<h2>Chapter 1</h2><p>A.</p>")
    b = html(tmp_path / "b.html", "<h2>Chapter 2</h2><p>B.</p>")
    epub = write_epub(tmp_path / "book.epub", chapters_book(3))
    assert main(["import", str(epub), "--db", str(db)]) == 0
    assert main(["import", str(folder), "--db", str(db)]) == 0
    assert main(["import", str(a), str(b), "--db", str(db), "--work", "Pages"]) == 0
    out = capsys.readouterr().out
    assert "'The Long Front': 3 added" in out and "'Quiet Front': 2 added" in out
    assert "'Pages': 2 added" in out
    rows = sqlite3.connect(db).execute("SELECT title FROM works ORDER BY id").fetchall()
    assert rows == [("The Long Front",), ("Quiet Front",), ("Pages",)]
    broken = tmp_path / "broken.epub"
    broken.write_bytes(epub.read_bytes()[:200])
    assert main(["import", str(broken), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "broken ZIP archive" in err
