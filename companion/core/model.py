"""Domain objects shared by every layer: a parsed chapter and the spans inside it.

All offsets are character offsets into ``Chapter.body``, the chapter's plain text without
the site's header, stats line and footer. The body includes the notes section, so names
mentioned in footnotes have offsets like any other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["paragraph", "heading", "break", "rule", "notes_heading", "note"]


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
