"""Import chapter files into the library: parse everything first, then one transaction."""

from __future__ import annotations

from pathlib import Path

from companion.core.model import Chapter
from companion.core.parse import parse_files
from companion.resources import sample_serial
from companion.store.library import ImportResult, Store
from companion.store.names import annotate_stored_work


def read_work(
    paths: list[Path], title: str | None = None
) -> tuple[str, list[tuple[Chapter, str]]]:
    """Parse ``paths`` as one work's chapters: its title and (chapter, source) pairs.

    The work is ``title``, else the story title the files give, else the folder's name. An
    unreadable file raises `InputError`.
    """
    chapters = parse_files(paths)
    if title is None:
        title = next((c.story for c in chapters if c.story), None)
    if title is None:
        folder = paths[0].resolve().parent.name
        title = folder if len(paths) > 1 and folder else chapters[0].title or paths[0].stem
    return title, [(c, str(p)) for c, p in zip(chapters, paths, strict=True)]


def save_work(store: Store, title: str, chapters: list[tuple[Chapter, str]]) -> ImportResult:
    """Store a work's chapters and recognise the names in it, in one transaction."""
    with store.db.atomic():
        result = store.import_chapters(title, chapters)
        if result.added or result.updated:
            annotate_stored_work(store, result.work_id)
    return result


def import_files(store: Store, paths: list[Path], title: str | None = None) -> ImportResult:
    """Parse ``paths``, store them as one work's chapters and annotate it: one transaction.

    Any unreadable file raises `InputError` before anything is written.
    """
    return save_work(store, *read_work(paths, title))


def ensure_sample(store: Store) -> int | None:
    """Import the bundled sample serial when the library is empty; returns its work id."""
    if store.works():
        return None
    return import_files(store, sample_serial()).work_id
