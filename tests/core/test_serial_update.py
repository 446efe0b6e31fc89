"""A newer download of a serial already in the library: new chapters are added and marked
new, changed ones updated, and the reader's notes stay on their words."""

from __future__ import annotations

from epubkit import Book, Doc, write_epub, xhtml

from companion.store.importer import import_files
from companion.store.library import Store
from companion.store.notes import add_highlight, find_quote, marks

STORY = (
    "The {n}th Rifle Brigade marched north through the pine hills. Its scouts reported the "
    "river crossing at Varde open, and the brigade reached the far bank before nightfall."
)


def book(chapters: int, changed: bool = False) -> Book:
    docs = []
    for n in range(1, chapters + 1):
        text = STORY.format(n=n)
        if changed and n == 2:  # the author revised chapter 2: words before and inside
            text = "At first light, " + text.replace("pine hills", "dark pine hills")
        body = f"<h2>Chapter {n}: March {n}</h2><p>{text}</p><p>Camp was made.</p>"
        docs.append(Doc(f"chapter{n:03}.xhtml", xhtml(body), toc_title=f"Chapter {n}: March {n}"))
    return Book(docs, title="The Northern March")


def test_update_adds_marks_new_and_keeps_notes(tmp_path):
    with Store(tmp_path / "library.sqlite3") as store:
        first = write_epub(tmp_path / "march-v1.epub", book(10))
        work = import_files(store, [first]).work_id
        start, end = find_quote(store, work, 2, "marched north through the pine hills")
        note = add_highlight(store, work, 2, start, end, note="the long way round")

        newer = write_epub(tmp_path / "march-v2.epub", book(12, changed=True))
        result = import_files(store, [newer])
        assert result.work_id == work
        chapters = store.chapters(work)
        assert len(chapters) == 12
        assert [c.number for c in chapters if c.new] == [11, 12]
        assert len(result.updated) == 1 and len(result.added) == 2

        (kept,) = marks(store, work)
        body = store.load_chapter(chapters[1].id).body
        assert kept.id == note.id and not kept.detached
        assert body[kept.start : kept.end] == "marched north through the dark pine hills"
        assert kept.note == "the long way round"
