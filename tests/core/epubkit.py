"""Small EPUBs built in code for the import tests (never downloaded, never copied)."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>"""


def xhtml(body: str, title: str = "", head: str = "") -> str:
    """An XHTML document around ``body``."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
        f"<head><title>{title}</title>{head}</head><body>{body}</body></html>"
    )


@dataclass
class Doc:
    """One XHTML file of the book: its href (under OEBPS/) and its text."""

    href: str
    text: str
    linear: bool = True
    in_spine: bool = True
    toc_title: str | None = None  # its entry in the nav/NCX


@dataclass
class Book:
    """An EPUB to write: documents, metadata and the kind of table of contents."""

    docs: list[Doc]
    title: str = "The Long Front"
    author: str = "A. Writer"
    source: str | None = None
    identifier: str = "urn:uuid:12345678-1234-1234-1234-123456789abc"
    version: int = 3  # 3: a nav document; 2: an NCX
    cover: bytes | None = None
    extra: dict[str, bytes | str] = field(default_factory=dict)  # more archive entries
    spine_order: list[str] | None = None  # hrefs, when not the docs' order
    opf: str | None = None  # a replacement package document


def package(book: Book) -> str:
    ids = {d.href: f"item{i}" for i, d in enumerate(book.docs)}
    items = [
        f'<item id="{ids[d.href]}" href="{d.href}" media-type="application/xhtml+xml"/>'
        for d in book.docs
    ]
    if book.version == 3:
        items.append('<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" '
                     'properties="nav"/>')
    else:
        items.append('<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>')
    meta = ""
    if book.cover is not None:
        props = ' properties="cover-image"' if book.version == 3 else ""
        items.append(
            f'<item id="cover-img" href="images/cover.png" media-type="image/png"{props}/>'
        )
        meta = '<meta name="cover" content="cover-img"/>'
    order = book.spine_order or [d.href for d in book.docs if d.in_spine]
    nonlinear = {d.href for d in book.docs if not d.linear}
    no = ' linear="no"'
    spine = "".join(f'<itemref idref="{ids[h]}"{no if h in nonlinear else ""}/>' for h in order)
    source = f"<dc:source>{book.source}</dc:source>" if book.source else ""
    toc = "" if book.version == 3 else ' toc="ncx"'
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="{book.version}.0" unique-identifier="id">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
    <dc:title>{book.title}</dc:title>
    <dc:creator opf:role="aut">{book.author}</dc:creator>
    <dc:identifier id="id">{book.identifier}</dc:identifier>
    <dc:language>en</dc:language>{source}{meta}
  </metadata>
  <manifest>{"".join(items)}</manifest>
  <spine{toc}>{spine}</spine>
</package>"""


def nav(book: Book) -> str:
    links = "".join(
        f'<li><a href="{d.href}">{d.toc_title}</a></li>' for d in book.docs if d.toc_title
    )
    return xhtml(f'<nav epub:type="toc" id="toc"><h1>Contents</h1><ol>{links}</ol></nav>')


def ncx(book: Book) -> str:
    points = "".join(
        f'<navPoint id="p{i}" playOrder="{i}"><navLabel><text>{d.toc_title}</text></navLabel>'
        f'<content src="{d.href}"/></navPoint>'
        for i, d in enumerate(book.docs, start=1) if d.toc_title
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE ncx PUBLIC "-//NISO//DTD ncx 2005-1//EN" '
        '"http://www.daisy.org/z3986/2005/ncx-2005-1.dtd">\n'
        '<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">'
        f"<head/><docTitle><text>{book.title}</text></docTitle><navMap>{points}</navMap></ncx>"
    )


def write_epub(path: Path, book: Book) -> Path:
    """Write ``book`` as an EPUB file at ``path``."""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/container.xml", CONTAINER, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/content.opf", book.opf or package(book), zipfile.ZIP_DEFLATED)
        if book.version == 3:
            z.writestr("OEBPS/nav.xhtml", nav(book), zipfile.ZIP_DEFLATED)
        else:
            z.writestr("OEBPS/toc.ncx", ncx(book), zipfile.ZIP_DEFLATED)
        for d in book.docs:
            z.writestr(f"OEBPS/{d.href}", d.text, zipfile.ZIP_DEFLATED)
        if book.cover is not None:
            z.writestr("OEBPS/images/cover.png", book.cover)
        for name, data in book.extra.items():
            z.writestr(name, data, zipfile.ZIP_DEFLATED)
    return path


def chapters_book(n: int, words: int = 40) -> Book:
    """A plain book of ``n`` numbered chapters."""
    docs = [
        Doc(
            f"ch{i}.xhtml",
            xhtml(f"<h2>Chapter {i}</h2>" + f"<p>Text of chapter {i}. </p>" * words),
            toc_title=f"Chapter {i}",
        )
        for i in range(1, n + 1)
    ]
    return Book(docs)
