"""What a glossary export holds: the entries in scope, the order of battle, the reader's notes.

Read from the store in one go (on the thread that owns it), so the PDF can be typeset on
another thread from plain data. No Qt here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from companion.core.oob import OobNode, build_oob
from companion.store.glossary import GlossaryEntry, affiliations, glossary, sibling_order
from companion.store.library import Store

KINDS = ("nation", "unit", "organization", "place", "person", "term")


class ExportError(Exception):
    """The export cannot be made as asked; the message says why in one line."""


@dataclass(frozen=True)
class NoteRef:
    """One of the reader's highlights (with its note, if any) that concerns an entry."""

    chapter: int
    quote: str
    note: str


@dataclass
class GlossaryContent:
    """Everything the PDF shows, already limited to the spoiler scope."""

    story: str
    scope: str  # "As of chapter 35 — Title" or "All chapters"
    up_to: int | None
    kinds: tuple[str, ...]
    entries: list[GlossaryEntry]  # of the kinds asked for
    tree: list[OobNode]  # the order of battle (empty when units are not asked for)
    affiliation: dict[str, str]  # side -> friend / hostile / neutral, as the reader marked
    side_of: dict[str, str]  # unit -> its side as the tree reckons it
    forces: dict[str, list[str]]  # nation -> its armed forces
    with_notes: bool = False
    notes: dict[str, list[NoteRef]] = field(default_factory=dict)  # entry name -> notes


def parse_kinds(text: str | None) -> tuple[str, ...]:
    """``"nation,unit"`` → ("nation", "unit"); every kind when empty. ExportError if unknown."""
    if not text or not text.strip():
        return KINDS
    asked = [k.strip().lower() for k in text.split(",") if k.strip()]
    unknown = [k for k in asked if k not in KINDS]
    if unknown:
        raise ExportError(f"unknown kind {unknown[0]!r}; use some of {', '.join(KINDS)}")
    return tuple(k for k in KINDS if k in asked)


def collect(
    store: Store,
    work_id: int,
    up_to: int | None = None,
    kinds: tuple[str, ...] = KINDS,
    with_notes: bool = False,
) -> GlossaryContent:
    """Read what the export shows of a work as of chapter number ``up_to`` (None: all)."""
    work = next((w for w in store.works() if w.id == work_id), None)
    if work is None:
        raise ExportError(f"no work with id {work_id} in the library")
    everything = glossary(store, work_id, up_to)
    tree = build_oob(everything, sibling_order(store, work_id))
    side_of: dict[str, str] = {}
    forces: dict[str, list[str]] = {}
    for root in tree:
        for node in root.walk():
            if node.kind == "unit" and node.side:
                side_of[node.label] = node.side
                if node.echelon == "armed force":
                    forces.setdefault(node.side, []).append(node.label)
    entries = [e for e in everything if e.kind in kinds]
    content = GlossaryContent(
        story=work.title,
        scope=_scope(store, work_id, up_to),
        up_to=up_to,
        kinds=kinds,
        entries=entries,
        tree=tree if "unit" in kinds else [],
        affiliation=affiliations(store, work_id),
        side_of=side_of,
        forces=forces,
        with_notes=with_notes,
    )
    if with_notes:
        content.notes = _notes_by_entry(store, work_id, up_to, entries)
    return content


def _scope(store: Store, work_id: int, up_to: int | None) -> str:
    if up_to is None:
        return "All chapters"
    title = next((c.title for c in store.chapters(work_id) if c.number == up_to), None)
    return f"As of chapter {up_to} — {title}" if title else f"As of chapter {up_to}"


def _notes_by_entry(
    store: Store, work_id: int, up_to: int | None, entries: list[GlossaryEntry]
) -> dict[str, list[NoteRef]]:
    """The reader's highlights in scope whose quote or note names an entry (or an alias)."""
    from companion.store.notes import marks

    notes = [
        NoteRef(m.chapter, m.quote, m.note)
        for m in marks(store, work_id, kind="highlight")
        if up_to is None or m.chapter <= up_to
    ]
    found: dict[str, list[NoteRef]] = {}
    if not notes:
        return found
    texts = [f"{n.quote}\n{n.note}" for n in notes]
    for entry in entries:
        names = sorted({entry.name, *entry.aliases}, key=len, reverse=True)
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, names)) + r")(?!\w)")
        hits = [n for n, text in zip(notes, texts, strict=True) if pattern.search(text)]
        if hits:
            found[entry.name] = hits
    return found
