"""What the reader gave us — a .txt, an .html, an .epub, a folder — read as one `Work`."""

from __future__ import annotations

import re
from pathlib import Path

from companion.core.epub import read_epub
from companion.core.html import MAX_HTML_BYTES, read_html_file
from companion.core.model import Chapter, Work
from companion.core.parse import parse_chapter
from companion.core.textfile import InputError, read_text_file

TEXT_SUFFIXES = (".txt", ".text")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
EPUB_SUFFIXES = (".epub",)


def natural_key(name: str) -> list[tuple[int, int | str]]:
    """Sort key putting ``ch2`` before ``ch10``."""
    return [(0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"(\d+)", name.lower()) if p]


def read_source(path: str | Path) -> Work:
    """Read one path: an EPUB, a folder of chapter files, or one .txt/.html chapter file.

    Raises `InputError` (one line) for anything unusable, before anything is stored.
    """
    p = Path(path)
    if p.is_dir():
        return read_folder(p)
    if p.suffix.lower() in EPUB_SUFFIXES or _is_zip(p):
        return read_epub(p)
    return read_files([p])


def read_sources(paths: list[Path]) -> Work:
    """Read the paths given on one import as one work: one EPUB or folder, or chapter files."""
    if not paths:
        raise InputError("no files given")
    if len(paths) == 1:
        return read_source(paths[0])
    for p in paths:
        if p.is_dir() or p.suffix.lower() in EPUB_SUFFIXES:
            raise InputError(f"{p}: import an EPUB or a folder on its own, not with other files")
    return read_files(paths)


def read_folder(folder: Path) -> Work:
    """A folder's .txt and .html chapter files, in natural order (ch2 before ch10)."""
    try:
        files = [
            p for p in folder.iterdir()
            if p.is_file() and not p.name.startswith(".")
            and p.suffix.lower() in TEXT_SUFFIXES + HTML_SUFFIXES
        ]
    except OSError as exc:
        raise InputError(f"{folder}: cannot be read ({exc.strerror or exc})") from None
    if not files:
        raise InputError(f"{folder}: no .txt or .html chapter files in this folder")
    work = read_files(sorted(files, key=lambda p: natural_key(p.name)))
    if work.title is None and len({c.story for c in work.chapters if c.story}) == 0:
        work.title = folder.resolve().name or None
    return work


def read_files(paths: list[Path]) -> Work:
    """Chapter files in the order given; a file without a numbered header takes its place.

    A .txt file is one chapter; an .html file one, or several when it holds several chapter
    headings.
    """
    work = Work()
    for path in paths:
        if path.suffix.lower() in HTML_SUFFIXES:
            chapters = _html_file(path, work)
        else:
            text, warnings = read_text_file(path)
            chapter = parse_chapter(text, number=len(work.chapters) + 1, filename=path.name)
            chapter.warnings[:0] = warnings
            chapters = [chapter]
        for index, chapter in enumerate(chapters, start=1):
            chapter.source_id = str(path) if len(chapters) == 1 else f"{path}#{index}"
        work.chapters.extend(chapters)
    return work


def _html_file(path: Path, work: Work) -> list[Chapter]:
    try:
        size = path.stat().st_size
        if size > MAX_HTML_BYTES:
            raise InputError(f"{path.name}: too large for an HTML file ({size / 2**20:.1f} MB)")
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a chapter file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    result, warnings = read_html_file(data, path.name)
    work.skipped.extend(result.skipped)
    if len(result.chapters) > 1:  # a whole work in one page
        work.title = work.title or result.title or None
        work.author = work.author or result.author
    for place, chapter in enumerate(result.chapters, start=len(work.chapters) + 1):
        chapter.warnings[:0] = warnings
        if chapter.number is None:
            chapter.number = place
            chapter.numbered_by_order = True
        if not chapter.title:
            chapter.title = re.sub(r"[_\s]+", " ", path.stem).strip()
    return result.chapters


def _is_zip(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(4) == b"PK\x03\x04"
    except OSError:
        return False
