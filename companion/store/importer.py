"""Import chapter files into the library: parse everything first, then one transaction."""

from __future__ import annotations

from pathlib import Path

from companion.core.model import Chapter, Work
from companion.core.sources import read_sources
from companion.resources import sample_serial
from companion.store.library import ImportResult, Store
from companion.store.names import annotate_stored_work


def read_import(paths: list[Path], title: str | None = None) -> Work:
    """Read ``paths`` (one EPUB or folder, or chapter files) as one work, with its title set.

    The title is ``title``, else the book's own (EPUB metadata), else the story title the
    files give, else the folder's name, else the first chapter's title or the file's name.
    An unreadable or hostile file raises `InputError` before anything is written.
    """
    work = read_sources(paths)
    chapters = work.chapters
    title = title or work.title or next((c.story for c in chapters if c.story), None)
    if title is None:
        folder = paths[0].resolve().parent.name
        title = folder if len(paths) > 1 and folder else chapters[0].title or paths[0].stem
    work.title = title
    return work


def sources(work: Work, paths: list[Path]) -> list[tuple[Chapter, str]]:
    """Each chapter with its source identity (its file, EPUB item or chapter URL), which is
    how a later import of the same work finds it again."""
    return [(c, c.source_id or str(paths[0])) for c in work.chapters]


def save_work(store: Store, work: Work, paths: list[Path]) -> ImportResult:
    """Store a work read by `read_import` and recognise the names in it, in one transaction."""
    with store.db.atomic():
        result = store.import_chapters(work.title or "", sources(work, paths))
        store.set_work_details(
            result.work_id, work.author, work.source_url, work.cover, work.cover_type
        )
        if result.added or result.updated:
            annotate_stored_work(store, result.work_id)
    return result


def import_files(store: Store, paths: list[Path], title: str | None = None) -> ImportResult:
    """Read ``paths``, store them as one work and annotate it, in one transaction.

    Any unreadable or hostile file raises `InputError` before anything is written.
    """
    return save_work(store, read_import(paths, title), paths)


def ensure_sample(store: Store) -> int | None:
    """Import the bundled sample serial when the library is empty; returns its work id."""
    if store.works():
        return None
    return import_files(store, sample_serial()).work_id
