"""Offline recognition of nations, units and armed forces in a serial's chapters.

``annotate_text`` annotates one chapter body; ``annotate_work`` annotates a whole work so that
entities accumulate across chapters (first chapter, aliases, stated relations) and the reader's
``Correction`` list is applied last, so their edits always win. No Qt, no network, linear time.

Importing this package loads only the result types: the grammar, its patterns and the
gazetteer load on the first annotation, off the application's cold-start path.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from .model import (
    CORRECTION_ACTIONS,
    KINDS,
    Annotation,
    Correction,
    Entity,
    Mention,
    Recognition,
    WorkAnnotation,
)

__all__ = [
    "CORRECTION_ACTIONS",
    "KINDS",
    "Annotation",
    "Correction",
    "Entity",
    "Mention",
    "Recognition",
    "WorkAnnotation",
    "annotate_text",
    "annotate_work",
    "corrected",
    "recognise",
]


def annotate_work(bodies: Iterable[tuple[int | None, str]],
                  corrections: Iterable[Correction] = ()) -> WorkAnnotation:
    """Annotate a work's chapters given as ``(chapter_number, body)`` in reading order.

    Deterministic and idempotent: the same bodies and corrections give the same result.
    """
    with _collector_paused():
        return _apply(_recognise(bodies), corrections)  # its own recognition: no copy needed


def recognise(bodies: Iterable[tuple[int | None, str]]) -> Recognition:
    """Find the names of a work's chapters, ``(chapter_number, body)`` in reading order, as
    the text alone gives them (`corrected` applies the reader's corrections)."""
    with _collector_paused():
        return _recognise(bodies)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The pass allocates many small, acyclic objects: the cyclic collector would only rescan
    them over and over (~15% of the time), so it pauses for the pass."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _recognise(bodies: Iterable[tuple[int | None, str]]) -> Recognition:
    from .grammar import Grammar
    from .resolve import Resolver

    chapters = [(ch, body or "") for ch, body in bodies]
    grammar = Grammar()
    runs = [grammar.runs(body) for _, body in chapters]
    for (_, body), r in zip(chapters, runs, strict=True):
        grammar.discover(body, r)
    grammar.infer_demonyms()
    resolver = Resolver(grammar)
    done: list[tuple[int | None, str, list[Mention]]] = []
    for (ch, body), r in zip(chapters, runs, strict=True):
        items = grammar.parse(body, r)
        done.append((ch, body, resolver.chapter(body, items, ch)))
    return Recognition(done, resolver.finish())


def corrected(recognition: Recognition, corrections: Iterable[Correction] = ()) -> WorkAnnotation:
    """The work's names with the reader's corrections applied, oldest first, so that they
    always win (``recognition`` itself is left as it was)."""
    with _collector_paused():
        return _apply(recognition.copy(), corrections)


def _apply(work: Recognition, corrections: Iterable[Correction]) -> WorkAnnotation:
    """`corrected`, editing ``work`` in place."""
    from .resolve import apply_corrections

    done, entities = work.chapters, work.entities
    corrections = list(corrections)
    if corrections:
        entities = apply_corrections(entities, done, corrections)
    used = {m.entity for _, _, ms in done for m in ms}
    used |= {e.parent for e in entities} | {e.side for e in entities}
    entities = [e for e in entities if e.name in used or e.aliases]
    return WorkAnnotation([(ch, ms) for ch, _, ms in done], entities)


def annotate_text(body: str, chapter: int | None = None,
                  corrections: Iterable[Correction] = ()) -> Annotation:
    """Annotate one chapter body: mentions with offsets into ``body`` and their entities."""
    work = annotate_work([(chapter, body)], corrections)
    return Annotation(work.chapters[0][1], work.entities)
