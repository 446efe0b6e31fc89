"""Domain objects shared by every layer: a parsed chapter and the spans inside it.

All offsets are character offsets into ``Chapter.body``, the chapter's plain text without
the site's header, stats line and footer. The body includes the notes section, so names
mentioned in footnotes have offsets like any other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal[
    "paragraph", "heading", "break", "rule", "notes_heading", "note", "author_note"
]  # "author_note": a paragraph of the author's own note (before/after the story): not story


@dataclass(frozen=True)
class Block:
    """One block of the chapter: ``body[start:end]`` is its text as written."""

    kind: BlockKind
    start: int
    end: int
    when: str | None = None  # in-story date of a section heading, e.g. "D-Day+48~52"
    label: str | None = None  # footnote label of a "note" block, e.g. "1"
    text_start: int | None = None  # where a heading's title or a note's text starts
    text_end: int | None = None  # where a heading's title or a note's text ends


@dataclass(frozen=True)
class Marker:
    """A footnote marker (``*1``, ``[1]``, ``^1``) in the text: ``body[start:end]``."""

    label: str
    start: int
    end: int


@dataclass(frozen=True)
class Section:
    """A section heading with the in-story date it gives, if any."""

    heading: str
    when: str | None
    start: int


@dataclass
class Chapter:
    """A parsed chapter: metadata, body text and the structure found in it."""

    body: str
    number: int | None = None
    title: str = ""
    story: str | None = None
    blocks: list[Block] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    footnotes: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    numbered_by_order: bool = False  # no header gave the number: it is the file's place
    source_id: str | None = None  # where it came from in its source (EPUB href, chapter URL)

    @property
    def sections(self) -> list[Section]:
        """Section headings in reading order."""
        return [
            Section(self.body[b.text_start : b.text_end], b.when, b.start)
            for b in self.blocks
            if b.kind == "heading" and b.text_start is not None and b.text_end is not None
        ]

    @property
    def scene_breaks(self) -> int:
        """How many scene breaks the chapter has."""
        return sum(1 for b in self.blocks if b.kind == "break")

    def story_spans(self) -> list[tuple[int, int]]:
        """The (start, end) spans of the body that are story text: everything but author's
        notes. Names are recognised in these spans only."""
        return story_spans(self.body, self.blocks)

    def story_text(self) -> str:
        """The body with author's notes blanked out (same length, so offsets still hold)."""
        return story_text(self.body, self.blocks)

    def block_text(self, block: Block) -> str:
        """The text of one block as written in the body."""
        return self.body[block.start : block.end]

    def to_json(self) -> dict:
        """The chapter as the CLI's ``parse --json`` prints it."""
        return {
            "story": self.story,
            "number": self.number,
            "title": self.title,
            "sections": [{"heading": s.heading, "when": s.when} for s in self.sections],
            "scene_breaks": self.scene_breaks,
            "footnotes": dict(self.footnotes),
            "body": self.body,
            "warnings": list(self.warnings),
        }


@dataclass
class Work:
    """A whole work as read from its source (an EPUB, HTML or text files, a folder)."""

    title: str | None = None
    author: str | None = None
    source_url: str | None = None  # http(s) only; metadata, never fetched
    cover: bytes | None = None  # the cover image as stored in the book, size-capped
    cover_type: str | None = None  # its media type, e.g. "image/jpeg"
    chapters: list[Chapter] = field(default_factory=list)
    extras: list[Chapter] = field(default_factory=list)  # non-linear items (EPUB linear="no")
    warnings: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "path: why", front matter and the like


def story_spans(body: str, blocks: list[Block]) -> list[tuple[int, int]]:
    """The spans of ``body`` outside its "author_note" blocks, in order."""
    spans = []
    pos = 0
    for b in sorted((b for b in blocks if b.kind == "author_note"), key=lambda b: b.start):
        if b.start > pos:
            spans.append((pos, b.start))
        pos = max(pos, b.end)
    if pos < len(body):
        spans.append((pos, len(body)))
    return spans


def story_text(body: str, blocks: list[Block]) -> str:
    """``body`` with every character of its author's notes but newlines made a space."""
    notes = [b for b in blocks if b.kind == "author_note"]
    if not notes:
        return body
    chars = list(body)
    for b in notes:
        for i in range(b.start, b.end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)
