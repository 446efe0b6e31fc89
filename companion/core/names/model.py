"""Result types of the name recognizer (plain dataclasses, JSON-ready)."""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("nation", "unit", "organization", "place", "person", "term")


@dataclass(slots=True)
class Mention:
    """One name in a chapter body: ``body[start:end] == text``; ``entity`` is a canonical name."""

    start: int
    end: int
    text: str
    kind: str
    entity: str | None
    chapter: int | None = None

    def to_json(self) -> dict:
        """The mention as ``companion annotate --json`` prints it."""
        return {"start": self.start, "end": self.end, "text": self.text, "kind": self.kind,
                "entity": self.entity}


@dataclass
class Entity:
    """A nation, unit or other named thing of the work, with what the text states about it.

    ``facts`` holds ``(fact, value, chapter)`` triples such as ``("parent", "X", 35)``: where
    each relation was stated, so a later view can show the tree as of any chapter.
    """

    name: str
    kind: str
    echelon: str | None = None
    aliases: list[str] = field(default_factory=list)
    parent: str | None = None
    side: str | None = None
    first_chapter: int | None = None
    facts: list[tuple[str, str, int | None]] = field(default_factory=list)

    def to_json(self) -> dict:
        """The entity as ``companion annotate --json`` prints it (facts excluded)."""
        return {"name": self.name, "kind": self.kind, "echelon": self.echelon,
                "aliases": list(self.aliases), "parent": self.parent, "side": self.side,
                "first_chapter": self.first_chapter}


@dataclass(frozen=True)
class Recognition:
    """What the text alone says of a work's names, before the reader's corrections: per chapter
    ``(number, body, mentions)``, and the entities. `copy` gives objects safe to edit, so one
    recognition serves any number of correction sets."""

    chapters: list[tuple[int | None, str, list[Mention]]]
    entities: list[Entity]

    def copy(self) -> Recognition:
        """A deep copy of the mentions and entities (the bodies are shared)."""
        return Recognition(
            [(ch, body, [Mention(m.start, m.end, m.text, m.kind, m.entity, m.chapter)
                         for m in ms]) for ch, body, ms in self.chapters],
            [Entity(e.name, e.kind, e.echelon, list(e.aliases), e.parent, e.side,
                    e.first_chapter, list(e.facts)) for e in self.entities],
        )


@dataclass
class Annotation:
    """Mentions of one chapter and the entities they point to."""

    mentions: list[Mention]
    entities: list[Entity]


@dataclass
class WorkAnnotation:
    """Mentions per chapter (in the order the bodies were given) and the work's entities."""

    chapters: list[tuple[int | None, list[Mention]]]
    entities: list[Entity]

    def mentions_of(self, chapter: int | None) -> list[Mention]:
        """The mentions of one chapter number (empty if it was not annotated)."""
        for ch, ms in self.chapters:
            if ch == chapter:
                return ms
        return []

    def entity(self, name: str) -> Entity | None:
        """The entity with this canonical name, if any."""
        for e in self.entities:
            if e.name == name:
                return e
        return None


CORRECTION_ACTIONS = ("rename", "merge", "alias", "split_alias", "ignore", "set_kind",
                      "set_echelon", "set_parent", "set_side")


@dataclass(frozen=True)
class Correction:
    """A reader's edit, re-applied after every annotation so that it always wins.

    - ``rename``: entity -> new canonical name ``value`` (the old name stays an alias)
    - ``merge``: entity is folded into the entity named ``value``
    - ``alias``: ``value`` becomes an alias of entity; its occurrences in the text become mentions
    - ``split_alias``: mentions written ``value`` leave entity and form an entity of their own
    - ``ignore``: "not a name": entity and its mentions disappear (``value`` given: only mentions
      written that way)
    - ``set_kind`` / ``set_echelon`` / ``set_parent`` / ``set_side``: set that field to ``value``
      (``None`` clears it)
    """

    action: str
    entity: str
    value: str | None = None

    def describe(self) -> str:
        """The edit in words, for undo menus and the list of corrections."""
        a, e, v = self.action, self.entity, self.value
        if a == "rename":
            return f"Rename {e} to {v}"
        if a == "merge":
            return f"Merge {e} into {v}"
        if a == "alias":
            return f"Add alias {v} to {e}"
        if a == "split_alias":
            return f"Split {v} off {e}"
        if a == "ignore":
            return f"{v} is not a name of {e}" if v else f"{e} is not a name"
        field = a.removeprefix("set_")
        return f"Set {field} of {e} to {v}" if v else f"Clear {field} of {e}"
