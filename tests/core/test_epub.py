"""EPUB books built in code: spine, titles, layouts, notes across files, and hostile archives."""

from __future__ import annotations

import struct
import time
import zipfile
from pathlib import Path

import pytest
from epubkit import CONTAINER, Book, Doc, chapters_book, package, write_epub, xhtml

from companion.core.epub import read_epub
from companion.core.textfile import InputError

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def story(chapter) -> list[str]:
    return [chapter.block_text(b) for b in chapter.blocks if b.kind == "paragraph"]


# -- structure ------------------------------------------------------------------------------


def test_spine_order_and_non_linear_items_kept_apart(tmp_path):
    book = Book([
        Doc("a.xhtml", xhtml("<h2>Departure</h2><p>First.</p>"), toc_title="Departure"),
        Doc("b.xhtml", xhtml("<h2>Crossing</h2><p>Second.</p>"), toc_title="Crossing"),
        Doc("map.xhtml", xhtml("<h2>Map notes</h2><p>A map.</p>"), linear=False),
        Doc("c.xhtml", xhtml("<h2>Arrival</h2><p>Third.</p>"), toc_title="Arrival"),
    ], spine_order=["b.xhtml", "a.xhtml", "map.xhtml", "c.xhtml"])
    work = read_epub(write_epub(tmp_path / "book.epub", book))
    assert [c.title for c in work.chapters] == ["Crossing", "Departure", "Arrival"]
    assert [c.number for c in work.chapters] == [1, 2, 3]
    assert all(c.numbered_by_order for c in work.chapters)
    assert [c.title for c in work.extras] == ["Map notes"]
    assert [c.source_id for c in work.chapters] == ["b.xhtml", "a.xhtml", "c.xhtml"]
    assert (work.title, work.author) == ("The Long Front", "A. Writer")


@pytest.mark.parametrize("version", [2, 3])
def test_titles_come_from_the_nav_or_ncx_and_carry_numbers(tmp_path, version):
    book = Book([
        Doc("x1.xhtml", xhtml("<p>No heading here.</p>"), toc_title="Chapter 11: Kharkov"),
        Doc("x2.xhtml", xhtml("<h1>ignored heading</h1><p>Text.</p>"),
            toc_title="012 - The Donets"),
        Doc("x3.xhtml", xhtml("<h2>Chapter 13: Own Heading</h2><p>More.</p>")),
        Doc("x4.xhtml", xhtml("<h2>Chapter 14: Fuller Heading</h2><p>Last.</p>"),
            toc_title="Chapter 14"),
    ], version=version)
    work = read_epub(write_epub(tmp_path / "book.epub", book))
    assert [(c.number, c.title) for c in work.chapters] == [
        (11, "Kharkov"), (12, "The Donets"), (13, "Own Heading"), (14, "Fuller Heading"),
    ]
    assert not any(c.numbered_by_order for c in work.chapters)


def test_repeated_or_missing_title_numbers_fall_back_to_spine_position(tmp_path):
    book = Book([
        Doc("p.xhtml", xhtml("<h2>Prologue</h2><p>P.</p>")),
        Doc("c1.xhtml", xhtml("<h2>Chapter 1</h2><p>One.</p>")),
        Doc("c2.xhtml", xhtml("<h2>Chapter 2</h2><p>Two.</p>")),
    ])
    work = read_epub(write_epub(tmp_path / "book.epub", book))
    assert [(c.number, c.title) for c in work.chapters] == [
        (1, "Prologue"), (2, "Chapter 1"), (3, "Chapter 2"),
    ]


def test_one_file_holding_many_chapters_is_split(tmp_path):
    body = (
        '<div class="preface"><h1>The Long Front</h1><p>by A. Writer</p></div>'
        + "".join(
            f'<div class="chapter"><h2 class="heading">Chapter {n}: Part {n}</h2>'
            f"<p>Text of part {n}.</p></div>"
            for n in (1, 2, 3)
        )
    )
    book = Book([Doc("work.xhtml", xhtml(body), toc_title="The Long Front")])
    work = read_epub(write_epub(tmp_path / "ao3.epub", book))
    assert [(c.number, c.title) for c in work.chapters] == [
        (1, "Part 1"), (2, "Part 2"), (3, "Part 3"),
    ]
    assert [story(c) for c in work.chapters] == [[f"Text of part {n}."] for n in (1, 2, 3)]
    assert [c.source_id for c in work.chapters] == [f"work.xhtml#{n}" for n in (1, 2, 3)]
    assert any("before the first chapter" in s for s in work.skipped)


def test_cover_bytes_and_type_from_the_manifest(tmp_path):
    for version in (2, 3):
        book = chapters_book(2)
        book.cover, book.version = PNG, version
        work = read_epub(write_epub(tmp_path / f"c{version}.epub", book))
        assert (work.cover, work.cover_type) == (PNG, "image/png")


def test_epub_without_container_finds_its_package(tmp_path):
    path = tmp_path / "bare.epub"
    book = chapters_book(2)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("content.opf", package(book).replace('href="', 'href="OEBPS/'))
        for d in book.docs:
            z.writestr(f"OEBPS/{d.href}", d.text)
    work = read_epub(path)
    assert [c.title for c in work.chapters] == ["Chapter 1", "Chapter 2"]


# -- layouts from the common tools ----------------------------------------------------------


def fanficfare_book() -> Book:
    title_page = xhtml(
        "<h3>The Long Front</h3><div>by <b>A. Writer</b></div>"
        "<p>Source: https://fiction.example/s/42</p><p>Status: In-Progress</p>",
        title="The Long Front",
    )
    docs = [Doc("title_page.xhtml", title_page)]
    for n in (1, 2):
        head = f'<meta name="chapterurl" content="https://fiction.example/s/42/{n}"/>'
        body = (
            f'<h3 class="fff_chapter_title">Chapter {n}</h3>'
            '<div class="fff_chapter_notes fff_head_notes"><b>Author\'s Note:</b>'
            f"<blockquote><p>Thanks to Captain Helpful for chapter {n}.</p></blockquote></div>"
            f"<p>General Brandt studied the map of sector {n}.</p>"
            '<div class="fff_chapter_notes fff_foot_notes"><b>End Notes:</b>'
            "<blockquote><p>Please review.</p></blockquote></div>"
        )
        docs.append(Doc(f"file{n:04d}.xhtml", xhtml(body, head=head), toc_title=f"Chapter {n}"))
    return Book(docs, source="https://fiction.example/s/42", version=2)


def test_fanficfare_layout(tmp_path):
    work = read_epub(write_epub(tmp_path / "fff.epub", fanficfare_book()))
    assert work.source_url == "https://fiction.example/s/42"
    assert [(c.number, c.title) for c in work.chapters] == [(1, "Chapter 1"), (2, "Chapter 2")]
    assert [c.source_id for c in work.chapters] == [
        "https://fiction.example/s/42/1", "https://fiction.example/s/42/2",
    ]
    assert any("title_page" in s for s in work.skipped)
    first = work.chapters[0]
    assert [b.kind for b in first.blocks] == ["author_note"] * 2 + ["paragraph"] + [
        "author_note"
    ] * 2
    story_text = first.story_text()
    assert "Brandt" in story_text and "Captain" not in story_text and "review" not in story_text


def test_webtoepub_layout_with_trailing_footnotes(tmp_path):
    docs = [
        Doc(
            f"{n:04d}_chapter-{n}.xhtml",
            xhtml(
                f"<h1>Chapter {n}: Road {n}</h1>"
                f'<p>The convoy<sup><a href="#Footnote_{n}_1" id="ref_{n}_1">[1]</a></sup> '
                f'moved past the depot<sup><a href="#Footnote_{n}_2">[2]</a></sup>.</p>'
                "<hr/><h3>Footnotes</h3><ol>"
                f'<li id="Footnote_{n}_1"><a href="#ref_{n}_1">^</a> Trucks of the {n}th.</li>'
                f'<li id="Footnote_{n}_2">A fuel depot.</li></ol>'
            ),
            toc_title=f"Chapter {n}: Road {n}",
        )
        for n in (1, 2)
    ]
    work = read_epub(write_epub(tmp_path / "w2e.epub", Book(docs, version=2)))
    assert [c.title for c in work.chapters] == ["Road 1", "Road 2"]
    second = work.chapters[1]
    assert second.footnotes == {"1": "Trucks of the 2th.", "2": "A fuel depot."}
    assert [m.label for m in second.markers] == ["1", "2"]
    assert "Footnotes" not in second.body and "^" not in second.body


def test_endnotes_collected_in_a_separate_file(tmp_path):
    chapter = xhtml(
        '<h2>Chapter 1</h2><p>The corps<a epub:type="noteref" href="notes.xhtml#en1">1</a> '
        'held the line<a epub:type="noteref" href="notes.xhtml#en2">2</a>.</p>'
    )
    notes = xhtml(
        '<section epub:type="endnotes"><h2>Notes</h2><ol>'
        '<li epub:type="endnote" id="en1"><p>The XXX Corps.</p></li>'
        '<li epub:type="endnote" id="en2"><p>Along the canal. '
        '<a href="chapter1.xhtml#r2">↩</a></p></li></ol></section>'
    )
    book = Book([
        Doc("chapter1.xhtml", chapter, toc_title="Chapter 1"),
        Doc("notes.xhtml", notes, toc_title="Notes"),
    ])
    work = read_epub(write_epub(tmp_path / "end.epub", book))
    assert [c.title for c in work.chapters] == ["Chapter 1"]
    assert work.chapters[0].footnotes == {"1": "The XXX Corps.", "2": "Along the canal."}
    assert [m.label for m in work.chapters[0].markers] == ["1", "2"]
    assert any(s.startswith("OEBPS/notes.xhtml: notes") for s in work.skipped)


# -- hostile archives -----------------------------------------------------------------------


def refused(path: Path, match: str) -> str:
    with pytest.raises(InputError, match=match) as info:
        read_epub(path)
    message = str(info.value)
    assert "\n" not in message and message.startswith(path.name)
    return message


def test_xxe_in_the_package_is_refused(tmp_path):
    book = chapters_book(1)
    book.opf = package(book).replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml version="1.0"?><!DOCTYPE package [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    ).replace("<dc:title>The Long Front", "<dc:title>&xxe;")
    refused(write_epub(tmp_path / "xxe.epub", book), "entities")


def test_billion_laughs_is_refused(tmp_path):
    lol = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    book = chapters_book(1)
    book.opf = package(book).replace(
        '<?xml version="1.0" encoding="UTF-8"?>', f"<?xml version=\"1.0\"?><!DOCTYPE p [{lol}]>"
    ).replace("<dc:title>The Long Front", "<dc:title>&lol9;")
    start = time.perf_counter()
    refused(write_epub(tmp_path / "lol.epub", book), "billion")
    assert time.perf_counter() - start < 2


def test_entities_in_a_chapter_file_are_refused(tmp_path):
    book = chapters_book(2)
    book.docs[1].text = (
        '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>&xxe;</p></body></html>'
    )
    refused(write_epub(tmp_path / "xxe2.epub", book), "ch2.xhtml declares XML entities")


def test_xxe_in_the_container_is_refused(tmp_path):
    book = chapters_book(1)
    book.extra = {}
    path = write_epub(tmp_path / "c.epub", book)
    evil = CONTAINER.replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "http://evil.example/">]>',
    )
    rewrite(path, {"META-INF/container.xml": evil})
    refused(path, "container.xml declares XML entities")


def rewrite(path: Path, replace: dict[str, str | bytes]) -> None:
    with zipfile.ZipFile(path) as z:
        entries = {i.filename: z.read(i) for i in z.infolist()}
    entries.update(replace)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)


def test_zip_bomb_by_ratio_is_refused_before_unpacking(tmp_path):
    book = chapters_book(1)
    path = write_epub(tmp_path / "bomb.epub", book)
    with zipfile.ZipFile(path, "a") as z:
        info = zipfile.ZipInfo("OEBPS/bomb.xhtml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w", force_zip64=True) as out:
            block = b"\0" * (1 << 20)
            for _ in range(48):  # 48 MB of zeros: about 48 KB compressed
                out.write(block)
    refused(path, "zip bomb")


def test_zip_bomb_declaring_a_gigabyte_is_refused(tmp_path):
    path = write_epub(tmp_path / "giga.epub", chapters_book(1))
    data = bytearray(path.read_bytes())
    at = data.rfind(b"PK\x01\x02")  # the last central directory record (ch1.xhtml)
    struct.pack_into("<I", data, at + 24, 1 << 30)  # its uncompressed size: 1 GB
    path.write_bytes(bytes(data))
    refused(path, "would unpack to 1024 MB")


def test_entry_lying_about_its_size_cannot_unpack_more(tmp_path):
    path = write_epub(tmp_path / "liar.epub", chapters_book(1))
    data = bytearray(path.read_bytes())
    at = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, at + 24, 10)  # says 10 bytes; holds more
    path.write_bytes(bytes(data))
    refused(path, "ch1.xhtml cannot be unpacked")


@pytest.mark.parametrize("name", ["../evil.xhtml", "OEBPS/../../evil.xhtml", "/abs.xhtml",
                                  "C:/windows.xhtml", "..\\back.xhtml"])
def test_unsafe_entry_paths_are_refused(tmp_path, name):
    book = chapters_book(1)
    book.extra = {name: "<p>x</p>"}
    refused(write_epub(tmp_path / "evil.epub", book), "unsafe entry path")


def test_broken_central_directory_is_reported(tmp_path):
    path = write_epub(tmp_path / "broken.epub", chapters_book(3))
    data = path.read_bytes()
    path.write_bytes(data[: data.rfind(b"PK\x05\x06") - 30])
    refused(path, "broken ZIP archive")


def test_not_a_zip_at_all(tmp_path):
    path = tmp_path / "fake.epub"
    path.write_bytes(b"this is not a zip file at all")
    refused(path, "broken ZIP archive")


def test_manifest_href_climbing_out_of_the_book_is_ignored(tmp_path):
    book = chapters_book(2)
    book.opf = package(book).replace('href="ch2.xhtml"', 'href="../../../etc/passwd"')
    work = read_epub(write_epub(tmp_path / "climb.epub", book))
    assert [c.title for c in work.chapters] == ["Chapter 1"]


def test_hostile_content_is_stored_inert(tmp_path):
    body = (
        '<h2>Chapter 1</h2><script>alert(1)</script><p onclick="x()">Safe words.</p>'
        '<p><img src="http://evil.example/p.png"/><a href="file:///etc/passwd">local</a> '
        '<a href="javascript:alert(1)">js</a> <a href="http://evil.example">away</a></p>'
        '<iframe src="http://evil.example"></iframe>'
    )
    book = Book([Doc("ch1.xhtml", xhtml(body, head='<link rel="stylesheet" '
                                              'href="http://evil.example/s.css"/>'))])
    (chapter,) = read_epub(write_epub(tmp_path / "x.epub", book)).chapters
    assert chapter.body == "Safe words.\n\nlocal js away"
    assert chapter.markers == []


def test_book_with_no_chapters_is_refused(tmp_path):
    book = Book([Doc("cover.xhtml", xhtml('<img src="cover.png"/>'))])
    refused(write_epub(tmp_path / "empty.epub", book), "no chapters")


def test_note_reference_climbing_out_of_the_book_is_not_followed(tmp_path):
    body = ('<h2>Chapter 1</h2><p>Word<a epub:type="noteref" '
            'href="../../../../etc/passwd#root">1</a>.</p>')
    work = read_epub(write_epub(tmp_path / "c.epub", Book([Doc("c.xhtml", xhtml(body))])))
    (chapter,) = work.chapters
    assert chapter.footnotes == {} and "root:" not in chapter.body
    assert chapter.warnings == ["footnote marker 1 has no note"]


def test_calibre_style_notes_file_with_back_links(tmp_path):
    def ref(n: int) -> str:
        return f'<a id="r{n}" href="part0003.html#fn{n}"><sup>{n}</sup></a>'

    docs = [
        Doc("part0001.html", xhtml(f"<h2>Chapter 1</h2><p>Guns{ref(1)} and tanks{ref(2)}.</p>")),
        Doc("part0002.html", xhtml("<h2>Chapter 2</h2><p>Quiet.</p>")),
        Doc("part0003.html", xhtml(
            '<p><a id="fn1" href="part0001.html#r1">1</a> Field guns.</p>'
            '<p><a id="fn2" href="part0001.html#r2">2</a> Light tanks.</p>'
        )),
    ]
    work = read_epub(write_epub(tmp_path / "calibre.epub", Book(docs)))
    assert [c.title for c in work.chapters] == ["Chapter 1", "Chapter 2"]
    assert work.chapters[0].footnotes == {"1": "Field guns.", "2": "Light tanks."}
    assert any(s.startswith("OEBPS/part0003.html: notes") for s in work.skipped)
