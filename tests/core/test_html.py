"""HTML chapters into the plain-text model: structure, every notes markup, safety, encodings."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.core.html import decode_html, html_chapters, html_to_chapter, read_html_file
from companion.core.model import Chapter
from companion.core.textfile import InputError

MARKER_TEXT = re.compile(r"^(?:\*\w+|\[\^?\w+\]|\^\w+)$")


def assert_valid(chapter: Chapter) -> None:
    """Blocks and markers lie inside the body; markers sit in story paragraphs or headings."""
    body = chapter.body
    for b in chapter.blocks:
        assert 0 <= b.start <= b.end <= len(body), b
        assert body[b.start : b.end].strip(), b
        if b.text_start is not None:
            assert b.text_end is not None and b.start <= b.text_start <= b.text_end <= len(body)
    for m in chapter.markers:
        assert MARKER_TEXT.match(body[m.start : m.end]), (m, body[m.start : m.end])
        holders = [b for b in chapter.blocks if b.kind in ("paragraph", "heading", "author_note")]
        assert any(b.start <= m.start <= m.end <= b.end for b in holders), m


def convert(text: str) -> Chapter:
    chapter = html_to_chapter(text)
    assert_valid(chapter)
    return chapter


def kinds(chapter: Chapter) -> list[str]:
    return [b.kind for b in chapter.blocks]


def texts(chapter: Chapter, kind: str) -> list[str]:
    return [chapter.block_text(b) for b in chapter.blocks if b.kind == kind]


def marked(chapter: Chapter) -> list[tuple[str, str]]:
    """(label, the word just before the marker) for each marker."""
    return [(m.label, chapter.body[: m.start].split()[-1]) for m in chapter.markers]


# -- structure ------------------------------------------------------------------------------


def test_title_number_sections_breaks_and_paragraphs():
    chapter = convert(
        "<html><body><h2>Chapter 12: The Bridge</h2>"
        "<p>First   paragraph,\n  wrapped.</p><hr/>"
        "<h3>Arnhem (D-Day+48~52)</h3><p>Second.</p>"
        '<p class="center">* * *</p><p>Third.</p>'
        '<p style="text-align:center">❦</p><p>Fourth.</p>'
        "<h3>Berlin, 12 March 1942</h3><p>Fifth.</p></body></html>"
    )
    assert (chapter.number, chapter.title) == (12, "The Bridge")
    assert not chapter.numbered_by_order
    assert kinds(chapter) == [
        "paragraph", "break", "heading", "paragraph", "break", "paragraph", "break",
        "paragraph", "heading", "paragraph",
    ]
    assert texts(chapter, "paragraph")[0] == "First paragraph, wrapped."
    assert [(s.heading, s.when) for s in chapter.sections] == [
        ("Arnhem", "D-Day+48~52"), ("Berlin", "12 March 1942"),
    ]
    assert chapter.scene_breaks == 3


def test_dated_first_heading_stays_a_section_and_title_is_empty():
    chapter = convert("<h3>Kursk, July 1943</h3><p>Tanks.</p>")
    assert chapter.title == ""
    assert [(s.heading, s.when) for s in chapter.sections] == [("Kursk", "July 1943")]


def test_tables_and_lists_become_paragraphs():
    chapter = convert(
        "<p>Order of battle:</p><table><tr><th>Unit</th><th>Men</th></tr>"
        "<tr><td>1st Rifle</td><td>900</td></tr></table>"
        "<ol><li>Advance</li><li>Hold</li></ol><ul><li>Fuel</li></ul>"
    )
    assert texts(chapter, "paragraph") == [
        "Order of battle:", "Unit | Men", "1st Rifle | 900", "1. Advance", "2. Hold", "Fuel",
    ]


def test_br_splits_paragraphs_and_blank_paragraphs_vanish():
    chapter = convert("<div>One, he said.<br>Two.<br/><br/>Three.</div><p>&nbsp;</p><p> </p>")
    assert texts(chapter, "paragraph") == ["One, he said.", "Two.", "Three."]


def test_several_chapters_in_one_file_are_split():
    result = html_chapters(
        "<h1>Iron Rain</h1><p>Summary of the work.</p>"
        "<h2>Chapter 1: Dawn</h2><p>One.</p>"
        "<h2>Interlude</h2><p>Between.</p>"
        "<h2>Chapter 2</h2><h3>Minsk, June 1941</h3><p>Two.</p>"
    )
    assert [(c.number, c.title) for c in result.chapters] == [
        (1, "Dawn"), (None, "Interlude"), (2, "Chapter 2"),
    ]
    assert [c.body.split("\n\n")[-1] for c in result.chapters] == ["One.", "Between.", "Two."]
    assert result.chapters[2].sections[0].when == "June 1941"
    assert result.skipped and "before the first chapter" in result.skipped[0]
    for c in result.chapters:
        assert_valid(c)


def test_one_chapter_heading_does_not_split():
    result = html_chapters("<h2>Chapter 3</h2><p>A.</p><h3>Part two</h3><p>B.</p>")
    assert len(result.chapters) == 1


# -- notes in every markup ------------------------------------------------------------------


def test_epub3_noteref_and_footnote_aside():
    chapter = convert(
        '<h2>Chapter 1</h2><p>The river<a epub:type="noteref" href="#n1">1</a> was cold, '
        'the bridge<a epub:type="noteref" href="#n2">2</a> intact.</p>'
        '<aside epub:type="footnote" id="n1"><p>The Rhine.</p></aside>'
        '<aside epub:type="footnote" id="n2"><p>At Arnhem.</p><p>Built in 1935.</p></aside>'
    )
    assert chapter.footnotes == {"1": "The Rhine.", "2": "At Arnhem.\n\nBuilt in 1935."}
    assert marked(chapter) == [("1", "river"), ("2", "bridge")]
    assert kinds(chapter)[-3:] == ["notes_heading", "note", "note"]
    assert chapter.warnings == []


@pytest.mark.parametrize("kind", ["endnote", "rearnote"])
def test_epub3_endnotes_in_a_list(kind):
    chapter = convert(
        f'<p>Word<a epub:type="noteref" href="#e1">*</a>.</p>'
        f'<section epub:type="endnotes"><h2>Notes</h2><ol>'
        f'<li epub:type="{kind}" id="e1"><p>An endnote. <a href="#r1">↩</a></p></li>'
        "</ol></section>"
    )
    assert chapter.footnotes == {"1": "An endnote."}
    assert [m.label for m in chapter.markers] == ["1"]


def test_aria_roles_mark_notes_too():
    chapter = convert(
        '<p>Word<a role="doc-noteref" href="#x">a</a>.</p>'
        '<div role="doc-footnote" id="x">Lettered note.</div>'
    )
    assert chapter.footnotes == {"a": "Lettered note."}
    assert chapter.body[chapter.markers[0].start : chapter.markers[0].end] == "[a]"


def test_plain_aside_notes():
    chapter = convert(
        '<p>He said<sup><a href="#tn1">1</a></sup> it.</p>'
        '<aside id="tn1">1. A translator\'s note.</aside>'
    )
    assert chapter.footnotes == {"1": "A translator's note."}


def test_unreferenced_aside_is_kept_as_a_note_with_a_warning():
    chapter = convert("<p>Story.</p><aside>Aside text.</aside>")
    assert chapter.footnotes == {"1": "Aside text."}
    assert chapter.warnings == ["note 1 has no marker in the text"]


def test_sup_links_with_a_closing_list_pandoc_style():
    chapter = convert(
        '<p>Alpha<sup id="fnref1"><a href="#fn1" class="footnote-ref">1</a></sup> and '
        'beta<sup id="fnref2"><a href="#fn2">2</a></sup>.</p>'
        '<section class="footnotes"><hr/><ol>'
        '<li id="fn1"><p>First note.<a href="#fnref1" class="footnote-back">↩︎</a></p></li>'
        '<li id="fn2"><p>Second note.<a href="#fnref2">↩︎</a></p></li></ol></section>'
    )
    assert chapter.footnotes == {"1": "First note.", "2": "Second note."}
    assert marked(chapter) == [("1", "Alpha"), ("2", "beta")]
    assert "↩" not in chapter.body and "footnote" not in chapter.body


def test_webtoepub_trailing_footnotes_list():
    chapter = convert(
        "<h1>Chapter 7 - The Pass</h1>"
        '<p>The pass<sup><a href="#Footnote_1">[1]</a></sup> was held.</p>'
        '<p>The guns<sup><a href="#Footnote_2">[2]</a></sup> too.</p>'
        "<hr/><h3>Footnotes</h3><ol>"
        '<li id="Footnote_1">A mountain pass.</li><li id="Footnote_2">Field guns.</li></ol>'
    )
    assert (chapter.number, chapter.title) == (7, "The Pass")
    assert chapter.footnotes == {"1": "A mountain pass.", "2": "Field guns."}
    assert texts(chapter, "notes_heading") == ["Notes"]
    assert "Footnotes" not in chapter.body and chapter.scene_breaks == 0


def test_unlinked_footnotes_list_falls_back_to_the_text_rules():
    chapter = convert(
        "<p>The pass<sup>1</sup> was held, the guns[2] too.</p>"
        "<p>Footnotes</p><ol><li>A mountain pass.</li><li>Field guns.</li></ol>"
    )
    assert chapter.footnotes == {"1": "A mountain pass.", "2": "Field guns."}
    assert [m.label for m in chapter.markers] == ["1", "2"]


def test_inline_star_markers_with_a_notes_section():
    chapter = convert(
        "<p>The 3rd Shock Army *1 moved.</p><p>~~~~</p><p>Notes</p>"
        "<p>*1: Formed in 1941.</p>"
    )
    assert chapter.footnotes == {"1": "Formed in 1941."}
    assert [m.label for m in chapter.markers] == ["1"]
    assert "notes_heading" in kinds(chapter)


def test_fanficfare_chapter_notes_are_author_notes():
    chapter = convert(
        '<h3 class="fff_chapter_title">Chapter 4</h3>'
        '<div class="fff_chapter_notes fff_head_notes"><b>Author\'s Note:</b>'
        "<blockquote><p>Thanks to Colonel Reader for the help!</p></blockquote></div>"
        "<p>General Halder frowned.</p>"
        '<div class="fff_chapter_notes fff_foot_notes"><b>End Notes:</b>'
        "<blockquote>Next week: Kiev.</blockquote></div>"
        "<p>A/N: Posted late, sorry Major Patience.</p>"
    )
    assert chapter.number == 4
    assert kinds(chapter) == [
        "author_note", "author_note", "paragraph", "author_note", "author_note", "author_note",
    ]
    spans = chapter.story_spans()
    story = "".join(chapter.body[a:b] for a, b in spans)
    assert "Halder" in story and "Colonel" not in story and "Patience" not in story
    blanked = chapter.story_text()
    assert len(blanked) == len(chapter.body)
    assert "Halder" in blanked and "Colonel" not in blanked and "Kiev" not in blanked


def test_ao3_notes_module_is_an_author_note():
    chapter = convert(
        '<h2>Chapter 1</h2><div id="notes" class="notes module"><h3>Notes:</h3>'
        '<blockquote class="userstuff"><p>See the end for more.</p></blockquote></div>'
        "<p>Story text.</p>"
    )
    assert kinds(chapter) == ["author_note", "author_note", "paragraph"]


def test_reference_to_a_missing_note_is_reported():
    chapter = convert('<p>Word<a epub:type="noteref" href="#gone">1</a>.</p>')
    assert chapter.footnotes == {}
    assert "footnote marker 1 has no note" in chapter.warnings


def test_links_to_sections_are_not_notes():
    chapter = convert(
        '<p>See <a href="#part2">2</a> below.</p><h2 id="part2">Part 2</h2><p>Here.</p>'
    )
    assert chapter.footnotes == {} and "Part 2" in chapter.body


# -- safety ---------------------------------------------------------------------------------

HOSTILE = (
    "<html><head><script>alert('head')</script>"
    '<link rel="stylesheet" href="http://evil.example/x.css">'
    "<style>body{background:url(http://evil.example/t.png)}</style></head>"
    "<body onload=\"steal()\"><h2>Chapter 1</h2>"
    '<p onclick="steal()">Plain <b>words</b> here.<script>document.cookie</script></p>'
    '<p><img src="http://evil.example/pixel.png" alt="">Tracked.</p>'
    '<iframe src="http://evil.example/frame"></iframe>'
    '<p><a href="file:///etc/passwd">the passwd link</a> and '
    '<a href="javascript:alert(1)">a js link</a> and '
    '<a href="../../../outside.xhtml">a climbing link</a>.</p>'
    '<form action="http://evil.example/post"><input name="q" value="typed"/>'
    "<button>Send</button></form>"
    '<object data="http://evil.example/x.swf">fallback</object><embed src="x.swf">'
    "<svg><script>x()</script><text>svg text</text></svg>"
    "<template><p>template text</p></template><noscript>noscript text</noscript>"
    '<p style="display:none">hidden text</p>'
    "</body></html>"
)


def test_hostile_markup_is_stored_inert():
    chapter = convert(HOSTILE)
    body = chapter.body
    assert body == "Plain words here.\n\nTracked.\n\nthe passwd link and a js link and " \
                   "a climbing link."
    for bad in ("<", ">", "script", "steal", "http", "evil", "passwd:", "/etc", "javascript",
                "file:", "iframe", "typed", "Send", "svg", "template", "hidden", "fallback"):
        assert bad not in body, bad
    assert chapter.markers == []  # nothing in the body is a link of any kind


def test_entity_declarations_in_html_stay_text_and_files_with_them_are_refused():
    text = (
        '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        "<html><body><p>Value: &xxe;</p></body></html>"
    )
    assert "root:" not in html_to_chapter(text).body
    with pytest.raises(InputError, match="entities"):
        read_html_file(text.encode(), "x.html")


# -- encodings ------------------------------------------------------------------------------


def test_declared_windows_1252():
    data = (
        b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
        b"</head><body><p>Caf\xe9 \x93quoted\x94 \x96 dash</p></body></html>"
    )
    text, warnings = decode_html(data, "w.html")
    assert "Café “quoted” – dash" in text and warnings == []


def test_declared_iso_8859_1_reads_as_windows_1252():
    data = b'<?xml version="1.0" encoding="ISO-8859-1"?><p>it\x92s na\xefve</p>'
    text, warnings = decode_html(data, "l.xhtml")
    assert "it’s naïve" in text and warnings == []


def test_utf16_with_bom():
    data = "<html><body><p>Ünïcödé — text</p></body></html>".encode("utf-16")
    text, warnings = decode_html(data, "u.html")
    assert "Ünïcödé — text" in text and warnings == []
    assert html_to_chapter(text).body == "Ünïcödé — text"


def test_undeclared_latin1_is_a_reported_fallback():
    text, warnings = decode_html(b"<p>na\xefve caf\xe9</p>", "n.html")
    assert "naïve café" in text
    assert warnings == ["n.html: not UTF-8; read as Windows-1252 (Latin-1)"]


def test_bogus_declaration_is_reported_not_a_crash():
    text, warnings = decode_html(b'<meta charset="x-klingon"><p>plain</p>', "k.html")
    assert "plain" in text and "unknown encoding" in warnings[0]


def test_declared_encoding_that_lies_replaces_bad_bytes():
    text, warnings = decode_html(b'<meta charset="shift_jis"><p>\x82\xa0 \xff\xff</p>', "j.html")
    assert warnings and "replaced" in warnings[0]


def test_empty_and_binary_html_are_refused():
    with pytest.raises(InputError, match="empty"):
        decode_html(b"   ", "e.html")
    with pytest.raises(InputError, match="no chapter text"):
        read_html_file(b"<html><body><script>x</script></body></html>", "s.html")


# -- fuzzing --------------------------------------------------------------------------------

TOKENS = st.sampled_from([
    "<p>", "</p>", "<div>", "</div>", "<h2>", "</h2>", "<h3>", "</h3>", "<hr>", "<br/>",
    "<sup>", "</sup>", "<aside id='n1'>", "</aside>", "<a href='#n1'>", "<a href='#n2'>",
    "</a>", "<a epub:type='noteref' href='x.xhtml#n1'>", "<ol>", "<li id='n2'>", "</li>",
    "</ol>", "<table><tr><td>", "</td><td>", "</td></tr></table>", "<script>", "</script>",
    "<!--", "-->", "<![CDATA[", "]]>", "<!DOCTYPE x>", "<?xml?>", "&amp;", "&#0;", "&#x110000;",
    "&nbsp;", "Chapter 2", "1", "*1", "[2]", "* * *", "Notes", "*1: note", "March 1942", " ",
    "\n", "Word", "<div class='fff_chapter_notes'>", "A/N: hi", "<", ">", "\"", "'", "=",
    "<p class='center'>~</p>", "<h2>Chapter 3: X</h2>",
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TOKENS, max_size=60), st.text(max_size=40))
def test_never_raises_and_offsets_stay_valid(tokens, noise):
    text = "".join(tokens) + noise
    assert_valid(html_to_chapter(text, resolve=lambda path, fragment: "far note"))
    for chapter in html_chapters(text).chapters:
        assert_valid(chapter)


def test_deep_nesting_does_not_recurse_without_bound():
    chapter = convert("<div>" * 50_000 + "<p>Deep.</p>" + "</div>" * 50_000)
    assert chapter.body == "Deep."
