"""EPUB 2 and 3 books into `Chapter`s, read defensively.

The archive is checked before anything is decompressed: no entry may have an absolute path
or ``..``, and entry count, per-entry and total uncompressed size and compression ratio are
capped (zip bombs); every read is also stream-limited, since sizes in headers can lie. XML
(container, OPF, NCX, nav and the XHTML itself) goes through defusedxml first, so a DTD
with entities (billion laughs, XXE) is refused. Content becomes plain text (`core.html`).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from companion.core.html import (
    Document,
    decode_html,
    has_entity_declarations,
    html_chapters,
    parse_html,
)
from companion.core.model import Chapter, Work
from companion.core.parse import read_header
from companion.core.textfile import InputError

MAX_EPUB_BYTES = 512 * 1024 * 1024  # the .epub file itself
MAX_ENTRIES = 10_000
MAX_ENTRY_BYTES = 64 * 1024 * 1024  # uncompressed, any one entry
MAX_TOTAL_BYTES = 512 * 1024 * 1024  # uncompressed, all entries together
MAX_RATIO = 100  # uncompressed / compressed, for entries over RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_DOCUMENT_BYTES = 32 * 1024 * 1024  # one XHTML/XML file
MAX_COVER_BYTES = 5 * 1024 * 1024
COVER_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
HTML_TYPES = ("application/xhtml+xml", "text/html", "text/x-oeb1-document", "application/xml")
FRONT_MATTER = {
    "cover", "titlepage", "title_page", "title-page", "title", "toc", "toc_page", "contents",
    "nav", "copyright", "colophon", "log_page", "information", "info", "jacket",
}


@dataclass
class _Item:
    path: str  # full path inside the archive
    href: str  # as the manifest gives it
    media_type: str
    properties: set[str]


class _Book:
    """An open EPUB archive with safe reads."""

    def __init__(self, path: Path) -> None:
        self.name = path.name
        try:
            size = path.stat().st_size
            if size > MAX_EPUB_BYTES:
                raise self.error(f"too large ({size / 2**20:.0f} MB)")
            self.zip = zipfile.ZipFile(path)
        except zipfile.BadZipFile as exc:
            raise self.error(f"not a readable EPUB: broken ZIP archive ({exc})") from None
        except IsADirectoryError:
            raise self.error("is a folder, not an EPUB") from None
        except OSError as exc:
            raise self.error(f"cannot be read ({exc.strerror or exc})") from None
        self._check_entries()
        self.names = {i.filename for i in self.zip.infolist()}
        self.lower = {n.lower(): n for n in self.names}
        self.docs: dict[str, Document] = {}

    def error(self, reason: str) -> InputError:
        return InputError(f"{self.name}: {reason}".replace("\n", " "))

    def _check_entries(self) -> None:
        infos = self.zip.infolist()
        if len(infos) > MAX_ENTRIES:
            raise self.error(f"too many entries in the archive ({len(infos)})")
        total = 0
        for info in infos:
            name = info.filename
            parts = re.split(r"[/\\]", name)
            if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in parts \
                    or "\x00" in name:
                raise self.error(f"unsafe entry path {name!r} in the archive, refused")
            if info.file_size > MAX_ENTRY_BYTES:
                raise self.error(
                    f"entry {name!r} would unpack to {info.file_size / 2**20:.0f} MB "
                    f"(the limit is {MAX_ENTRY_BYTES // 2**20} MB), refused"
                )
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
                raise self.error(
                    f"entry {name!r} is compressed {ratio:.0f}:1, like a zip bomb; refused"
                )
            total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise self.error(f"would unpack to {total / 2**20:.0f} MB in all; refused")

    def find(self, path: str) -> str | None:
        """The archive name for ``path`` (exact, else ignoring case), or None."""
        return path if path in self.names else self.lower.get(path.lower())

    def read(self, path: str, limit: int = MAX_DOCUMENT_BYTES) -> bytes:
        """An entry's bytes, reading at most ``limit`` (headers can lie about sizes)."""
        name = self.find(path)
        if name is None:
            raise self.error(f"{path} is missing from the archive")
        try:
            with self.zip.open(name) as entry:
                data = entry.read(limit + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
            raise self.error(f"{name} cannot be unpacked ({exc})") from None
        except (RuntimeError, NotImplementedError) as exc:  # encrypted, unknown compression
            raise self.error(f"{name} cannot be unpacked ({exc})") from None
        if len(data) > limit:
            raise self.error(f"{name} unpacks to more than {limit // 2**20} MB; refused")
        return data

    def xml(self, path: str) -> Element:
        """Parse an XML entry with defusedxml: no DTD entities, no external references."""
        data = self.read(path)
        try:
            return SafeET.fromstring(data)
        except DefusedXmlException:
            raise self.error(
                f"{path} declares XML entities or external references (as in XXE or "
                "billion-laughs attacks); refused"
            ) from None
        except ParseError as exc:
            raise self.error(f"{path} is not well-formed XML ({exc})") from None

    def html(self, path: str) -> tuple[str, list[str]]:
        """Decode an XHTML entry, refusing entity declarations as `xml` does."""
        data = self.read(path)
        text, warnings = decode_html(data, f"{self.name}: {path}")
        if has_entity_declarations(text):
            raise self.error(
                f"{path} declares XML entities (as in XXE or billion-laughs attacks); refused"
            )
        try:
            SafeET.fromstring(data)
        except DefusedXmlException:
            raise self.error(f"{path} declares XML entities or external references; "
                             "refused") from None
        except (ParseError, ValueError):
            pass  # tag soup is fine: the HTML parser reads it
        return text, warnings

    def document(self, path: str) -> Document | None:
        """A parsed XHTML entry (cached), or None when it is missing."""
        if path not in self.docs:
            if self.find(path) is None:
                return None
            self.docs[path] = parse_html(self.html(path)[0])
        return self.docs[path]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _resolve(base: str, href: str) -> str | None:
    """The archive path ``href`` points to from the file ``base``; None if it leaves the book."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(base), unquote(parts.path)))
    if joined.startswith(("../", "/")) or joined == "..":
        return None
    return joined


def read_epub(path: str | Path) -> Work:
    """Read an EPUB 2 or 3 file: metadata, chapters in spine order, non-linear items apart.

    Raises `InputError` with a one-line reason for a broken or hostile file.
    """
    book = _Book(Path(path))
    with book.zip:
        return _read(book)


def _read(book: _Book) -> Work:
    work = Work()
    if book.find("mimetype") and book.read("mimetype", 1024).strip() != b"application/epub+zip":
        work.warnings.append(f"{book.name}: mimetype is not application/epub+zip")
    opf_path = _package_path(book)
    opf = book.xml(opf_path)
    _metadata(opf, work)
    items: dict[str, _Item] = {}
    for node in opf.iter():
        if _local(node.tag) == "item" and node.get("id") and node.get("href"):
            full = _resolve(opf_path, node.get("href", ""))
            if full is not None:
                items[node.get("id", "")] = _Item(
                    full, node.get("href", ""), node.get("media-type", ""),
                    set(node.get("properties", "").split()),
                )
    spine = next((n for n in opf.iter() if _local(n.tag) == "spine"), None)
    if spine is None:
        raise book.error("the package document has no spine")
    titles = _toc_titles(book, items, spine)
    _cover(book, opf, items, work)

    note_files: dict[str, set[str]] = {}
    found: list[tuple[str, Chapter, bool]] = []  # (path, chapter, linear)
    nav_paths = {i.path for i in items.values() if "nav" in i.properties}
    spine_paths = [
        items[r.get("idref", "")].path
        for r in spine if _local(r.tag) == "itemref" and r.get("idref", "") in items
    ]
    for ref in (n for n in spine if _local(n.tag) == "itemref"):
        item = items.get(ref.get("idref", ""))
        if item is None:
            work.warnings.append(f"{book.name}: spine item {ref.get('idref')!r} not in manifest")
            continue
        stem = posixpath.splitext(posixpath.basename(item.path))[0].lower()
        if item.media_type not in HTML_TYPES and not item.path.endswith((".xhtml", ".html")):
            work.skipped.append(f"{item.path}: not a text document ({item.media_type})")
            continue
        if item.path in nav_paths or stem in FRONT_MATTER or ref.get("idref", "").lower() in \
                FRONT_MATTER:
            work.skipped.append(f"{item.path}: front matter")
            continue
        if book.find(item.path) is None:
            work.warnings.append(f"{book.name}: {item.path} is missing from the archive")
            continue
        text, warnings = book.html(item.path)
        resolve = _note_resolver(book, item.path, note_files, spine_paths)
        result = html_chapters(text, name=item.path, resolve=resolve)
        work.skipped.extend(result.skipped)
        linear = ref.get("linear", "yes").strip().lower() != "no"
        for index, chapter in enumerate(result.chapters):
            chapter.warnings[:0] = warnings
            if len(result.chapters) == 1:
                toc = titles.get(item.path)
                if toc:
                    numbered = Chapter("")
                    if not read_header(toc, numbered):
                        chapter.title = toc
                    elif not (numbered.number == chapter.number and numbered.title == toc):
                        chapter.number, chapter.title = numbered.number, numbered.title
                    # else the heading says more ("Chapter 3: Dawn" for "Chapter 3"): keep it
                chapter.source_id = result.chapter_url or item.href
            else:
                chapter.source_id = f"{result.chapter_url or item.href}#{index + 1}"
            if not chapter.title:
                chapter.title = titles.get(item.path) or stem
            found.append((item.path, chapter, linear))

    for path, chapter, linear in found:
        if path in note_files and _mostly_notes(chapter, len(note_files[path]), path):
            work.skipped.append(f"{path}: notes, shown with the chapters that refer to them")
        elif not chapter.body.strip():
            work.skipped.append(f"{path}: no text")
        elif linear:
            work.chapters.append(chapter)
        else:
            work.extras.append(chapter)
    if not work.chapters:
        raise book.error("no chapters found in the book")
    _number(work.chapters)
    return work


def _package_path(book: _Book) -> str:
    if book.find("META-INF/container.xml"):
        for node in book.xml("META-INF/container.xml").iter():
            full = node.get("full-path")
            if _local(node.tag) == "rootfile" and full:
                path = _resolve("", full)
                if path and book.find(path):
                    return book.find(path) or path
    opfs = sorted(n for n in book.names if n.lower().endswith(".opf"))
    if not opfs:
        raise book.error("not an EPUB: no package document (.opf)")
    return opfs[0]


def _metadata(opf: Element, work: Work) -> None:
    dc: dict[str, list[Element]] = {}
    for node in opf.iter():
        if node.tag.startswith("{http://purl.org/dc/elements/1.1/}"):
            dc.setdefault(_local(node.tag), []).append(node)

    def text(node: Element) -> str:
        return " ".join("".join(node.itertext()).split())

    work.title = next((text(n) for n in dc.get("title", []) if text(n)), None)
    creators = dc.get("creator", [])
    authors = [n for n in creators if n.get("{http://www.idpf.org/2007/opf}role") == "aut"]
    work.author = next((text(n) for n in authors or creators if text(n)), None)
    for node in dc.get("source", []) + dc.get("identifier", []):
        value = re.sub(r"^(?:url|uri):", "", text(node), flags=re.I)
        if re.match(r"^https?://\S+$", value, re.I):
            work.source_url = value
            break


def _toc_titles(book: _Book, items: dict[str, _Item], spine: Element) -> dict[str, str]:
    """Titles by file path, from the EPUB 3 nav, else the EPUB 2 NCX."""
    titles: dict[str, str] = {}
    nav = next((i for i in items.values() if "nav" in i.properties), None)
    if nav is not None and book.find(nav.path):
        doc = book.document(nav.path)
        navs = [n for n in doc.root.iter() if n.tag == "nav"] if doc else []
        toc = next((n for n in navs if "toc" in n.tokens("epub:type")), navs[0] if navs else None)
        for a in toc.iter() if toc is not None else []:
            if a.tag == "a" and a.attrs.get("href"):
                target = _resolve(nav.path, a.attrs["href"])
                if target and a.text():
                    titles.setdefault(target, a.text())
    if not titles:
        ncx = items.get(spine.get("toc", "")) or next(
            (i for i in items.values() if i.media_type == "application/x-dtbncx+xml"), None
        )
        if ncx is not None and book.find(ncx.path):
            for point in book.xml(ncx.path).iter():
                if _local(point.tag) != "navPoint":
                    continue
                label = next((n for n in point if _local(n.tag) == "navLabel"), None)
                content = next((n for n in point if _local(n.tag) == "content"), None)
                if label is None or content is None:
                    continue
                name = " ".join("".join(label.itertext()).split())
                target = _resolve(ncx.path, content.get("src", ""))
                if target and name:
                    titles.setdefault(target, name)
    return titles


def _cover(book: _Book, opf: Element, items: dict[str, _Item], work: Work) -> None:
    """The cover image's bytes and type, when the book names one and it is small enough."""
    cover = next((i for i in items.values() if "cover-image" in i.properties), None)
    if cover is None:
        meta = next((n for n in opf.iter() if _local(n.tag) == "meta"
                     and n.get("name") == "cover"), None)
        cover = items.get(meta.get("content", "")) if meta is not None else None
    if cover is None:
        cover = next((i for key, i in items.items() if i.media_type in COVER_TYPES
                      and "cover" in (key + i.path).lower()), None)
    if cover is None or cover.media_type not in COVER_TYPES or not book.find(cover.path):
        return
    try:
        work.cover = book.read(cover.path, MAX_COVER_BYTES)
        work.cover_type = cover.media_type
    except InputError as exc:
        work.warnings.append(f"cover not used: {exc}")


def _note_resolver(
    book: _Book, base: str, note_files: dict[str, set[str]], spine: list[str]
) -> Callable[[str, str], str | None]:
    """Look up a note another file of the book holds (``notes.xhtml#n3``): one later in the
    spine or outside it (a link to an earlier file is a notes file's back-link)."""
    here = spine.index(base) if base in spine else -1

    def resolve(href: str, fragment: str) -> str | None:
        path = _resolve(base, href)
        if path is None or (path in spine and spine.index(path) <= here):
            return None
        doc = book.document(path)
        text = doc.note_text(fragment) if doc is not None else None
        if text is not None and path:
            note_files.setdefault(path, set()).add(fragment)
        return text

    return resolve


def _mostly_notes(chapter: Chapter, referenced: int, path: str) -> bool:
    """Whether a file other chapters take notes from is a notes file, not a chapter: named
    so, or more notes than prose, or most of its paragraphs referred to as notes."""
    if re.search(r"note", f"{posixpath.basename(path)} {chapter.title}", re.I):
        return True
    prose = sum(b.end - b.start for b in chapter.blocks if b.kind in ("paragraph", "heading"))
    notes = sum(b.end - b.start for b in chapter.blocks if b.kind == "note")
    paragraphs = sum(1 for b in chapter.blocks if b.kind == "paragraph")
    return notes >= prose or (referenced >= 2 and referenced * 2 >= paragraphs)


def _number(chapters: list[Chapter]) -> None:
    """Numbers from the titles when every chapter has one and none repeats, else by order."""
    numbers = [c.number for c in chapters]
    if all(n is not None for n in numbers) and len(set(numbers)) == len(numbers):
        for c in chapters:
            c.numbered_by_order = False
        return
    for index, c in enumerate(chapters, start=1):
        c.number = index
        c.numbered_by_order = True
