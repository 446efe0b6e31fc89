"""The chapter parser: the shared answer key, every header/break/heading/marker form, fuzzing."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.core.model import Chapter
from companion.core.parse import parse_chapter, parse_files

MARKER_TEXT = re.compile(r"^(?:\*\d+|\[\^?\d+\]|\^\d+)$")


def parse(text: str, **kwargs) -> Chapter:
    chapter = parse_chapter(text, **kwargs)
    assert_offsets(chapter)
    return chapter


def assert_offsets(chapter: Chapter) -> None:
    """Every block and marker lies inside the body and covers the text it claims."""
    body = chapter.body
    for b in chapter.blocks:
        assert 0 <= b.start <= b.end <= len(body)
        text = body[b.start : b.end]
        assert text.strip(), b
        assert text == text.strip("\n"), b
        if b.text_start is not None:
            assert b.text_end is not None
            assert b.start <= b.text_start <= b.text_end <= len(body)
    for m in chapter.markers:
        assert MARKER_TEXT.match(body[m.start : m.end]), m
        assert any(
            b.kind in ("paragraph", "heading") and b.start <= m.start and m.end <= b.end
            for b in chapter.blocks
        ), m


def kinds(chapter: Chapter) -> list[str]:
    return [b.kind for b in chapter.blocks]


def texts(chapter: Chapter, kind: str) -> list[str]:
    return [chapter.block_text(b) for b in chapter.blocks if b.kind == kind]


# -- the shared fixture and its answer key ------------------------------------------------


@pytest.fixture
def seed(shared_fixtures: Path) -> tuple[Chapter, dict]:
    (chapter,) = parse_files([shared_fixtures / "seed-chapter-035.txt"])
    gold = json.loads((shared_fixtures / "seed-chapter-035.gold.json").read_text("utf-8"))
    return chapter, gold["chapter"]


def test_seed_chapter_metadata(seed):
    chapter, gold = seed
    assert chapter.story == gold["story"]
    assert chapter.number == gold["number"]
    assert chapter.title == gold["title"]


def test_seed_chapter_sections_and_breaks(seed):
    chapter, gold = seed
    assert [{"heading": s.heading, "when": s.when} for s in chapter.sections] == gold["sections"]
    assert chapter.scene_breaks == gold["scene_breaks"]


def test_seed_chapter_footnotes_word_for_word(seed):
    chapter, gold = seed
    assert chapter.footnotes == gold["footnotes"]
    assert {m.label for m in chapter.markers} == set(gold["footnotes"])
    assert chapter.warnings == []


def test_seed_chapter_body_has_no_site_text(seed):
    chapter, gold = seed
    for site_text in gold["not_story_text"]:
        assert site_text not in chapter.body
    assert_offsets(chapter)


def test_seed_chapter_json_matches_key(seed):
    chapter, gold = seed
    out = chapter.to_json()
    for key in ("story", "number", "title", "sections", "scene_breaks", "footnotes"):
        assert out[key] == gold[key], key
    assert out["warnings"] == []


# -- headers ------------------------------------------------------------------------------

STORY = "The sappers crossed the river before dawn.\n\nThe bridge held."


@pytest.mark.parametrize(
    ("header", "number", "title"),
    [
        ("035 - Title - 8", 35, "Title - 8"),
        ("007 - The Long Road", 7, "The Long Road"),
        ("Chapter 12: The Ford", 12, "The Ford"),
        ("Chapter 12 - The Ford", 12, "The Ford"),
        ("Chapter Twelve", 12, "Chapter Twelve"),
        ("Chapter twenty-one: Snow", 21, "Snow"),
        ("CHAPTER XIV", 14, "CHAPTER XIV"),
        ("Chapter IV: Mud", 4, "Mud"),
    ],
)
def test_header_forms(header, number, title):
    chapter = parse(f"{header}\n\n{STORY}\n", number=99, filename="ignored.txt")
    assert (chapter.number, chapter.title) == (number, title)
    assert header not in chapter.body
    assert chapter.body == STORY


def test_no_header_takes_number_argument_and_title_from_filename():
    chapter = parse(STORY, number=4, filename="the_long_road.txt")
    assert chapter.number == 4
    assert chapter.title == "the long road"
    assert chapter.body == STORY
    assert kinds(chapter) == ["paragraph", "paragraph"]


def test_a_sentence_starting_like_a_header_is_story_text():
    text = "Part of the regiment had gone.\n\nThe rest stayed."
    chapter = parse(text, number=3, filename="c.txt")
    assert chapter.number == 3
    assert chapter.body == text


def test_a_word_that_only_looks_roman_is_not_a_chapter_number():
    chapter = parse("Chapter dim\n\nThe lamps were low.", number=5)
    assert chapter.number == 5


# -- site text -----------------------------------------------------------------------------


def test_stats_line_removed():
    chapter = parse("012 - Crossing\n\n4521 17 3\n      \n\nThe column moved.\n")
    assert chapter.body == "The column moved."
    assert chapter.number == 12


def test_stats_like_line_kept_without_header():
    chapter = parse("4521 17 3\n\nThe column moved.", number=1)
    assert chapter.body.startswith("4521 17 3")


def test_footer_with_glued_story_title_is_removed_and_kept_as_story():
    text = (
        "012 - Crossing\n\n88 2 0\n\nThe column moved.\n\n"
        "River of IronWhere stories live. Discover now"
    )
    chapter = parse(text)
    assert chapter.story == "River of Iron"
    assert "Where stories live" not in chapter.body
    assert "River of Iron" not in chapter.body
    assert chapter.body == "The column moved."


def test_footer_alone_is_removed_without_a_story():
    chapter = parse("The column moved.\n\nWhere stories live. Discover now\n", number=1)
    assert chapter.story is None
    assert chapter.body == "The column moved."


# -- paragraphs ---------------------------------------------------------------------------


def test_one_paragraph_per_line():
    text = "First short line.\nSecond short line.\nThird."
    chapter = parse(text, number=1)
    assert texts(chapter, "paragraph") == ["First short line.", "Second short line.", "Third."]


def test_hard_wrapped_paragraph_is_one_block():
    wrapped = (
        "The engineers had no bridging equipment left after the retreat from\n"
        "the northern bank, so the division waited three days for the pontoon\n"
        "train to come up."
    )
    chapter = parse(f"{wrapped}\n\nThen they crossed.", number=1)
    assert texts(chapter, "paragraph") == [wrapped, "Then they crossed."]


def test_crlf_and_bom_are_normalised():
    chapter = parse("\ufeffChapter 2: Rain\r\n\r\nIt rained.\r\n")
    assert (chapter.number, chapter.title, chapter.body) == (2, "Rain", "It rained.")


# -- scene breaks and rules ---------------------------------------------------------------


@pytest.mark.parametrize("mark", [". . .", "...", "***", "* * *", "~~~", "#", "  * * *  "])
def test_scene_break_forms(mark):
    chapter = parse(f"Before the break.\n\n{mark}\n\nAfter the break.", number=1)
    assert kinds(chapter) == ["paragraph", "break", "paragraph"]
    assert chapter.scene_breaks == 1


def test_several_breaks_inside_the_text():
    text = "A one.\n\n***\n\nB two.\n\n~~~\n\nC three.\n\n#\n\nD four."
    chapter = parse(text, number=1)
    assert chapter.scene_breaks == 3
    assert texts(chapter, "paragraph") == ["A one.", "B two.", "C three.", "D four."]


def test_rule_before_notes_is_not_a_scene_break():
    text = "The guns *1 fired.\n\n. . .\n\nSilence.\n\n~~~~~~~~\n\nNotes\n\n*1: Field guns."
    chapter = parse(text, number=1)
    assert chapter.scene_breaks == 1
    assert kinds(chapter) == [
        "paragraph",
        "break",
        "paragraph",
        "rule",
        "notes_heading",
        "note",
    ]
    assert chapter.footnotes == {"1": "Field guns."}


# -- section headings and dates ----------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "heading", "when"),
    [
        (
            "Kessel Ridge, Operation Larch – 3 (D-Day+48~52)",
            "Kessel Ridge, Operation Larch – 3",
            "D-Day+48~52",
        ),
        ("Corps Headquarters (D-Day+3)", "Corps Headquarters", "D-Day+3"),
        ("Port Aven, Harbour Office (12 March 1942)", "Port Aven, Harbour Office", "12 March 1942"),
        ("Port Aven, Harbour Office (1942)", "Port Aven, Harbour Office", "1942"),
    ],
)
def test_dated_heading_forms(line, heading, when):
    chapter = parse(f"Opening paragraph.\n\n{line}\n\nThe story goes on.", number=1)
    assert [(s.heading, s.when) for s in chapter.sections] == [(heading, when)]
    assert kinds(chapter) == ["paragraph", "heading", "paragraph"]


def test_heading_with_comma_date_after_a_break():
    text = "Opening.\n\n. . .\n\nSomewhere, 12 March 1942\n\nThe guns were quiet."
    chapter = parse(text, number=1)
    assert [(s.heading, s.when) for s in chapter.sections] == [("Somewhere", "12 March 1942")]


def test_heading_positions_point_into_the_body():
    chapter = parse("Opening.\n\nNorth Camp (D-Day+3)\n\nText.", number=1)
    (section,) = chapter.sections
    assert chapter.body[section.start :].startswith("North Camp (D-Day+3)")


@pytest.mark.parametrize(
    "line",
    [
        "He was born, as his mother always said, in the year of the flood (1921)",
        "Later that year the army of the north was rebuilt (1942)",
        "The report was filed the same evening (12 March 1942).",
    ],
)
def test_sentence_ending_in_a_parenthesised_date_is_not_a_heading(line):
    chapter = parse(f"Opening paragraph.\n\n{line}\n\nThe story goes on.", number=1)
    assert chapter.sections == []
    assert kinds(chapter) == ["paragraph", "paragraph", "paragraph"]


# -- footnote markers and notes ----------------------------------------------------------


@pytest.mark.parametrize(
    ("marked", "note"),
    [
        ("the brigades *1 moved", "*1: Two brigades."),
        ("the brigades [1] moved", "[1] Two brigades."),
        ("the brigades[1] moved", "[1]: Two brigades."),
        ("the brigades ^1 moved", "^1 Two brigades."),
        ("the brigades^1 moved", "1. Two brigades."),
    ],
)
def test_marker_and_note_forms(marked, note):
    chapter = parse(f"Then {marked} north.\n\nNotes\n\n{note}", number=1)
    assert chapter.footnotes == {"1": "Two brigades."}
    assert [m.label for m in chapter.markers] == ["1"]
    assert chapter.warnings == []


@pytest.mark.parametrize("heading", ["Notes", "Footnotes", "Translator's notes", "Notes:"])
def test_notes_heading_forms(heading):
    text = f"A *1 and *2.\n\n{heading}\n\n*1: First note.\n\n*2: Second note."
    chapter = parse(text, number=1)
    assert chapter.footnotes == {"1": "First note.", "2": "Second note."}
    assert chapter.sections == []
    assert texts(chapter, "notes_heading") == [heading]


def test_notes_after_just_a_rule():
    chapter = parse("The tanks *1 came.\n\n~~~~\n\n*1: Light tanks.", number=1)
    assert chapter.footnotes == {"1": "Light tanks."}
    assert kinds(chapter) == ["paragraph", "rule", "note"]
    assert chapter.scene_breaks == 0


def test_notes_are_part_of_the_body_with_offsets():
    chapter = parse("The tanks *1 came.\n\n~~~~\n\n*1: Light tanks.", number=1)
    (note,) = [b for b in chapter.blocks if b.kind == "note"]
    assert note.label == "1"
    assert chapter.body[note.text_start : note.text_end] == "Light tanks."


def test_marker_without_note_and_note_without_marker_are_kept_and_reported():
    text = "A *1 and *2.\n\nNotes\n\n*1: First.\n\n*3: Orphan note."
    chapter = parse(text, number=1)
    assert [m.label for m in chapter.markers] == ["1", "2"]
    assert chapter.footnotes == {"1": "First.", "3": "Orphan note."}
    assert any("2" in w and "no note" in w for w in chapter.warnings)
    assert any("3" in w and "no marker" in w for w in chapter.warnings)
    assert len(chapter.warnings) == 2


def test_multi_paragraph_note():
    text = "A *1 and *2.\n\nNotes\n\n*1: First part.\n\nSecond part.\n\n*2: Other."
    chapter = parse(text, number=1)
    assert chapter.footnotes == {"1": "First part.\n\nSecond part.", "2": "Other."}
    assert chapter.warnings == []


def test_markers_offsets_and_number_like_text_is_not_a_marker():
    text = "In 1942 *1 the 5*3 rule and [12] men^2 said 2^8.\n\nNotes\n\n*1: a\n\n*2: b\n\n*12: c"
    chapter = parse(text, number=1)
    assert [chapter.body[m.start : m.end] for m in chapter.markers] == ["*1", "[12]", "^2"]
    assert chapter.warnings == []


def test_marker_in_a_heading_is_found():
    text = "Opening.\n\nNorth Camp *1 (D-Day+3)\n\nText.\n\nNotes\n\n*1: A camp."
    chapter = parse(text, number=1)
    assert [m.label for m in chapter.markers] == ["1"]
    assert chapter.warnings == []


def test_every_block_text_and_marker_offset_matches_the_body():
    text = (
        "003 - Offsets - 1\n\n10 1 0\n\nFirst *1 paragraph.\n\n* * *\n\n"
        "Hill 204 (D-Day+2)\n\nSecond ^2 paragraph [3].\n\n~~~~\n\nNotes\n\n"
        "*1: one\n\n^2: two\n\n[3] three\n\nStoryWhere stories live. Discover now"
    )
    chapter = parse(text)
    for b in chapter.blocks:
        assert chapter.block_text(b) in text
    assert [chapter.body[m.start : m.end] for m in chapter.markers] == ["*1", "^2", "[3]"]
    assert chapter.footnotes == {"1": "one", "2": "two", "3": "three"}


# -- any text at all ----------------------------------------------------------------------

LINES = st.sampled_from(
    [
        "",
        "",
        "Some words here.",
        "Chapter 3: X",
        "012 - T - 1",
        "12 3 4",
        "* * *",
        ". . .",
        "~~~~",
        "#",
        "Notes",
        "*1: note",
        "[2] note",
        "^3 x",
        "word *1 word",
        "x[2] y^3",
        "North Camp (D-Day+3)",
        "Somewhere, 12 March 1942",
        "(1942)",
        "StoryWhere stories live. Discover now",
        "\ufeff",
        "   ",
        "\t",
        "*1",
        "[",
        "^",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.text(max_size=300), st.lists(st.one_of(LINES, st.text(max_size=20))).map("\n".join)
    )
)
def test_parse_never_raises_and_offsets_are_sound(text):
    chapter = parse_chapter(text, number=1, filename="x.txt")
    body = chapter.body
    for b in chapter.blocks:
        assert 0 <= b.start <= b.end <= len(body)
    for m in chapter.markers:
        assert 0 <= m.start < m.end <= len(body)
        assert any(
            b.kind in ("paragraph", "heading") and b.start <= m.start and m.end <= b.end
            for b in chapter.blocks
        )
    chapter.to_json()
