"""HTML chapters into the plain-text `Chapter` model.

Nothing of the HTML is kept but its text and structure: block elements become paragraphs,
headings the chapter title and dated section headings, ``<hr>`` and ornaments scene breaks,
note references footnote markers (``[1]``) and the notes themselves footnotes. Scripts,
styles, frames, forms, images and links are dropped (a link keeps its text), so what is
stored is inert whatever the file held. The stdlib ``html.parser`` never fetches or expands
anything external.

Notes are found in every common markup: EPUB 3 ``epub:type`` noteref/footnote/endnote/
rearnote (also in another file of the book, through ``resolve``), ``role="doc-footnote"``,
plain ``<aside>``, ``<sup><a href="#fn1">1</a></sup>`` with a closing list, and, when none of
those is there, the plain-text rules (``*1`` markers and a Notes section). Author's notes
(FanFicFare's chapter-notes blocks, AO3's notes, "A/N:" paragraphs) become "author_note"
blocks.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import PurePosixPath

from companion.core.model import Block, Chapter, Marker
from companion.core.parse import (
    is_notes_heading,
    is_scene_break,
    marked_heading,
    read_header,
    section_heading,
    text_notes,
)
from companion.core.textfile import InputError, decode_text

MAX_HTML_BYTES = 32 * 1024 * 1024
MAX_DEPTH = 200  # deeper nesting is flattened, so nothing recurses without bound
SCENE_BREAK = "* * *"

_VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr", "keygen", "frame",
}
_SKIP = {
    "head", "script", "style", "template", "iframe", "frame", "frameset", "object", "embed",
    "applet", "svg", "math", "noscript", "form", "select", "textarea", "button", "nav",
    "audio", "video", "canvas", "map", "title", "input", "option", "datalist", "dialog",
}
_BLOCKS = {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "header", "hgroup",
    "html", "legend", "li", "main", "ol", "p", "pre", "section", "summary", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "ul",
}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_CLOSES_P = _BLOCKS | set(_HEADINGS) | {"hr"}
_AUTOCLOSE = {  # a start tag closes an open element of these tags (up to a boundary)
    "li": ({"li"}, {"ul", "ol"}),
    "dt": ({"dt", "dd"}, {"dl"}),
    "dd": ({"dt", "dd"}, {"dl"}),
    "tr": ({"tr", "td", "th"}, {"table", "tbody", "thead", "tfoot"}),
    "td": ({"td", "th"}, {"tr", "table"}),
    "th": ({"td", "th"}, {"tr", "table"}),
}
_NOTE_TYPES = {"footnote", "endnote", "rearnote", "note"}
_NOTE_CONTAINER_TYPES = {"footnotes", "endnotes", "rearnotes"}
_NOTE_ROLES = {"doc-footnote", "doc-endnote"}
_NOTE_CONTAINER_CLASSES = {"footnotes", "endnotes", "footnote-list"}
_AUTHOR_CLASSES = {
    "fff_chapter_notes", "fff_head_notes", "fff_foot_notes", "notes", "chapter-notes",
    "chapter_notes", "author-note", "author_note", "authors-note", "authors_note", "authornote",
    "author-notes", "authors-notes", "authorsnote", "a-n",
}
_AUTHOR_PARAGRAPH = re.compile(r"^\W{0,3}(?:A/N\b|Author[’']?s?\s+notes?\s*[:\-–—])\s*\S", re.I)
_REF_TEXT = re.compile(r"^[\[(]?\s*(?:[*^†‡§]?\d{1,3}[a-z]?|[*†‡§]{1,3}|[a-z])\s*[\])]?$", re.I)
_SUP_NUMBER = re.compile(r"^\s*[\[(]?\s*(\d{1,3})\s*[\])]?\s*$")
_BACK_TEXTS = {"↩", "↩︎", "↑", "^", "⤴", "back", "return", "top", "[back]", "⇧", "←"}
_BREAK_HINT = re.compile(r"break|divider|separator|ornament|scene|dinkus|fleuron", re.I)
_SPACE = re.compile(r"[ \t\n\r\f\v\u00a0\u2028\u2029]+")
_LABEL = re.compile(r"^\w{1,6}$")
_NOTE_LABEL = re.compile(  # "[1]", "(a)", "*1", "1." leading a note
    r"^\s*(?:[\[(][*^†‡]?\w{1,3}[\])]|[*^†‡]\d{0,3}|\d{1,3}(?=[.:)]))[.:)]?\s*"
)
_SPACE_LINES = re.compile(r"\n\s*\n\s*")
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([-\w.:]{1,40})""", re.I
)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]{0,200}?encoding\s*=\s*["']([-\w.:]{1,40})["']""")
Resolver = Callable[[str, str], str | None]


# -- decoding ------------------------------------------------------------------------------


def decode_html(data: bytes, name: str = "file") -> tuple[str, list[str]]:
    """Decode an HTML file: a BOM, else the declared encoding (XML declaration or ``<meta
    charset>``), else UTF-8, else Windows-1252 with a warning. Raises `InputError` on
    empty, binary or oversized input; never on a bad declaration."""
    if len(data) > MAX_HTML_BYTES or data.startswith(
        (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    ):
        return decode_text(data, name, limit=MAX_HTML_BYTES)
    head = data[:4096]
    found = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if found:
        label = found.group(1).decode("ascii", "replace").lower()
        if label in ("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "l1"):
            label = "cp1252"  # what browsers do with these labels
        try:
            encoding = codecs.lookup(label).name
        except LookupError:
            text, warnings = decode_text(data, name, limit=MAX_HTML_BYTES)
            return text, [f"{name}: unknown encoding {label!r} declared; read as UTF-8 or "
                          "Windows-1252", *warnings]
        if encoding.startswith(("utf-16", "utf-32")):
            encoding = "utf-8"  # a UTF-16 page without a BOM cannot declare itself in ASCII
        if encoding != "utf-8":
            try:
                text = data.decode(encoding)
                warnings = []
            except UnicodeDecodeError:
                text = data.decode(encoding, errors="replace")
                warnings = [f"{name}: not valid {label} text; bad bytes replaced"]
            return decode_text(text.encode("utf-8"), name, limit=MAX_HTML_BYTES)[0], warnings
    return decode_text(data, name, limit=MAX_HTML_BYTES)


def has_entity_declarations(text: str) -> bool:
    """Whether the prolog declares entities (``<!ENTITY``): refused, never expanded."""
    head = text[: text.find("<html") if "<html" in text[:65536] else 65536]
    return "<!entity" in head.lower()


# -- the tree ------------------------------------------------------------------------------


class Node:
    """An element: tag, attributes (lowercase names), children (nodes and strings)."""

    __slots__ = ("tag", "attrs", "children", "parent", "order")

    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None, order: int):
        self.tag = tag
        self.attrs = attrs
        self.children: list[Node | str] = []
        self.parent = parent
        self.order = order

    def tokens(self, attr: str) -> set[str]:
        """The whitespace-separated, lowercased values of an attribute."""
        return set(self.attrs.get(attr, "").lower().split())

    def iter(self) -> list[Node]:
        """This node and every element under it, in document order."""
        out, stack = [], [self]
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed([c for c in node.children if isinstance(c, Node)]))
        return out

    def text(self) -> str:
        """All the text under this node, whitespace collapsed."""
        parts: list[str] = []
        stack: list[Node | str] = [self]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                parts.append(item)
            elif item.tag not in _SKIP or item is self:
                stack.extend(reversed(item.children))
        return _SPACE.sub(" ", "".join(parts)).strip()


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.count = 0
        self.root = Node("#root", {}, None, 0)
        self.stack = [self.root]

    def _node(self, tag: str, attrs: list[tuple[str, str | None]]) -> Node:
        values: dict[str, str] = {}
        for key, value in attrs:
            values.setdefault(key.lower(), value or "")
        self.count += 1
        node = Node(tag, values, self.stack[-1], self.count)
        self.stack[-1].children.append(node)
        return node

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _CLOSES_P and self.stack[-1].tag == "p":
            self.stack.pop()
        if tag in _AUTOCLOSE:
            closes, bounds = _AUTOCLOSE[tag]
            for i in range(len(self.stack) - 1, 0, -1):
                if self.stack[i].tag in bounds:
                    break
                if self.stack[i].tag in closes:
                    del self.stack[i:]
                    break
        node = self._node(tag, attrs)
        if tag not in _VOID and len(self.stack) < MAX_DEPTH:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._node(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        children = self.stack[-1].children
        if children and isinstance(children[-1], str):
            children[-1] += data
        else:
            children.append(data)


@dataclass
class Document:
    """A parsed HTML file: its element tree, ids, ``<title>`` and ``<meta>`` values."""

    root: Node
    ids: dict[str, Node]
    title: str
    meta: dict[str, str]
    warnings: list[str] = field(default_factory=list)

    def note_text(self, fragment: str) -> str | None:
        """The text of the note with this id (for notes referred to from another file)."""
        node = self.ids.get(fragment)
        target = _note_block(node) if node is not None else None
        return _note_text(target) if target is not None else None


def parse_html(text: str) -> Document:
    """Parse HTML text into a `Document`; never raises on malformed input."""
    builder = _TreeBuilder()
    warnings = []
    try:
        builder.feed(text)
        builder.close()
    except Exception:  # html.parser can still trip on pathological declarations
        warnings.append("malformed HTML; read as far as possible")
    root = builder.root
    ids: dict[str, Node] = {}
    title = ""
    meta: dict[str, str] = {}
    for node in root.iter():
        for key in ("id", "name") if node.tag == "a" else ("id",):
            if node.attrs.get(key):
                ids.setdefault(node.attrs[key], node)
        if node.tag == "title" and not title:
            title = node.text()
        elif node.tag == "meta" and node.attrs.get("name") and "content" in node.attrs:
            meta.setdefault(node.attrs["name"].lower(), node.attrs["content"].strip())
    return Document(root, ids, title, meta, warnings)


# -- notes ---------------------------------------------------------------------------------


def _is_note(node: Node) -> bool:
    types = node.tokens("epub:type")
    if types & _NOTE_TYPES or node.attrs.get("role", "").lower() in _NOTE_ROLES:
        return True
    return node.tag == "aside" and not types


def _is_note_container(node: Node) -> bool:
    return bool(
        node.tokens("epub:type") & _NOTE_CONTAINER_TYPES
        or node.attrs.get("role", "").lower() in ("doc-endnotes", "doc-footnotes")
        or node.tokens("class") & _NOTE_CONTAINER_CLASSES
    )


def _is_author_note(node: Node) -> bool:
    return bool(node.tokens("class") & _AUTHOR_CLASSES) and not _is_note_container(node)


def _note_block(node: Node) -> Node | None:
    """The element holding a note whose id is on ``node`` (often an inline anchor), or None
    when the target is no note (a heading, a section, the whole page)."""
    while node is not None and node.tag not in _BLOCKS and node.tag not in _HEADINGS:
        if _is_note(node):
            return node
        node = node.parent
    if node is None or node.tag in ("body", "html", "main", "article", "#root", *_HEADINGS):
        return None
    if _is_note(node):
        return node
    if any(n.tag in _HEADINGS for n in node.iter()) or len(node.text()) > 4000:
        return None
    return node


def _looks_like_ref(a: Node) -> bool:
    if "noteref" in a.tokens("epub:type") or a.attrs.get("role", "").lower() == "doc-noteref":
        return True
    text = a.text()
    in_sup = (a.parent is not None and a.parent.tag == "sup") or any(
        isinstance(c, Node) and c.tag == "sup" for c in a.children
    )
    classes = " ".join(a.tokens("class"))
    return bool(_REF_TEXT.match(text)) and (
        in_sup or "note" in classes or "fn" in classes or bool(re.search(r"\d", text))
    )


def _inside(node: Node, ancestors: set[int]) -> bool:
    while node is not None:
        if id(node) in ancestors:
            return True
        node = node.parent
    return False


@dataclass
class _Notes:
    """The notes of a document: which elements are notes and where each reference points."""

    skip: set[int] = field(default_factory=set)  # id() of note and container elements
    placed: dict[int, tuple] = field(default_factory=dict)  # id(note element) -> key
    refs: dict[int, tuple] = field(default_factory=dict)  # id(<a>) -> key
    texts: dict[tuple, str] = field(default_factory=dict)  # key -> note text
    ref_text: dict[int, str] = field(default_factory=dict)  # id(<a>) -> its visible text


def _find_notes(doc: Document, name: str, resolve: Resolver | None) -> _Notes:
    notes = _Notes()
    nodes = doc.root.iter()
    for node in nodes:
        if _is_note_container(node) or _is_note(node):
            notes.skip.add(id(node))
    for node in nodes:  # a note container's items are notes even without markup of their own
        if _is_note_container(node):
            items = [n for n in node.iter() if n.tag == "li" or _is_note(n)]
            if not items:
                items = [c for c in node.children if isinstance(c, Node) and c.tag == "p"]
            item_ids = {id(n) for n in items}
            for item in items:
                if not _inside(item.parent, item_ids):
                    notes.placed.setdefault(id(item), ("local", id(item)))
                    notes.texts.setdefault(("local", id(item)), _note_text(item))
        elif _is_note(node) and not _inside(node.parent, notes.skip):
            notes.placed[id(node)] = ("local", id(node))
            notes.texts[("local", id(node))] = _note_text(node)
    here = PurePosixPath(name).name
    blocks: dict[int, Node | None] = {}  # id(target) -> its note element, looked up once
    for a in nodes:
        href = a.attrs.get("href", "") if a.tag == "a" else ""
        if "#" not in href or _inside(a, notes.skip) or not _looks_like_ref(a):
            continue
        path, _, fragment = href.partition("#")
        explicit = "noteref" in a.tokens("epub:type") or a.attrs.get("role") == "doc-noteref"
        notes.ref_text[id(a)] = a.text()
        if explicit:  # marked as a reference: a marker even when its note cannot be found
            notes.refs[id(a)] = ("missing", id(a))
        if path and PurePosixPath(path).name != here:
            text = resolve(path, fragment) if resolve is not None else None
            if text is not None:
                key = ("file", path, fragment)
                notes.texts[key] = text
                notes.refs[id(a)] = key
            continue
        target = doc.ids.get(fragment)
        if target is not None and id(target) not in blocks:
            blocks[id(target)] = _note_block(target)
        block = blocks.get(id(target)) if target is not None else None
        if block is None or _inside(a, {id(block)}):
            continue
        if block.order <= a.order and id(block) not in notes.placed:
            continue  # a back-link, or a link back up the page
        key = notes.placed.get(id(block)) or ("local", id(block))
        if id(block) not in notes.skip:
            notes.skip.add(id(block))
            notes.placed[id(block)] = key
            notes.texts[key] = _note_text(block)
        notes.refs[id(a)] = key
    return notes


def _note_text(node: Node) -> str:
    """A note's text, its paragraphs joined by blank lines, back-links and its label cut."""
    walker = _Walker(_Notes(), in_note=True)
    walker.walk(node)
    walker.flush()
    text = "\n\n".join(b.text for b in walker.blocks if b.kind != "note_at")
    return _NOTE_LABEL.sub("", text, 1)


# -- walking the tree into raw blocks ------------------------------------------------------


@dataclass
class _Raw:
    """A block as found: kind "p", "h", "break", "note_at"; its text and references."""

    kind: str
    text: str = ""
    refs: list[tuple[int, int, tuple, str]] = field(default_factory=list)  # start, end, key
    author: bool = False
    level: int = 0
    key: tuple | None = None  # the note placed here ("note_at")


class _Walker:
    def __init__(self, notes: _Notes, in_note: bool = False) -> None:
        self.notes = notes
        self.in_note = in_note
        self.blocks: list[_Raw] = []
        self.pieces: list[str] = []
        self.length = 0
        self.refs: list[tuple[int, int, tuple, str]] = []
        self.author = 0
        self.level = 0
        self.counters: dict[int, int] = {}  # id(<ol>) -> the number of its next item

    def add(self, text: str) -> None:
        text = _SPACE.sub(" ", text)
        if not self.pieces or self.pieces[-1].endswith(" "):
            text = text.lstrip(" ")
        if text:
            self.pieces.append(text)
            self.length += len(text)

    def flush(self) -> None:
        text = "".join(self.pieces).rstrip(" ")
        if text.strip():
            self.blocks.append(_Raw("h" if self.level else "p", text, self.refs,
                                    self.author > 0, self.level))
        self.pieces, self.length, self.refs = [], 0, []

    def walk(self, node: Node) -> None:
        for child in node.children:
            if isinstance(child, str):
                self.add(child)
            else:
                self.element(child)

    def element(self, node: Node) -> None:
        tag = node.tag
        if tag in _SKIP or "hidden" in node.attrs or _hidden_style(node):
            return
        if id(node) in self.notes.skip:
            self.flush()
            for inner in node.iter():  # a notes list holds many
                if id(inner) in self.notes.placed:
                    self.blocks.append(_Raw("note_at", key=self.notes.placed[id(inner)]))
            return
        if tag == "br":
            self.flush()
        elif tag == "hr" or (tag == "img" and _BREAK_HINT.search(_img_hint(node))):
            self.flush()
            self.blocks.append(_Raw("break", SCENE_BREAK, author=self.author > 0))
        elif tag == "a" and id(node) in self.notes.refs:
            self.marker(self.notes.refs[id(node)], self.notes.ref_text[id(node)])
        elif tag == "a" and self.in_note and _is_back_link(node):
            return
        elif tag == "sup" and (m := _SUP_NUMBER.match(node.text())) and not any(
            isinstance(c, Node) and c.tag == "a" and id(c) in self.notes.refs for c in node.iter()
        ):
            self.add(f"[{m.group(1)}]")
        elif tag in _HEADINGS or (_is_author_note(node) and not self.in_note):
            self.flush()
            level, self.level = self.level, _HEADINGS.get(tag, self.level)
            author = _is_author_note(node)
            self.author += author
            self.walk(node)
            self.flush()
            self.level = level
            self.author -= author
        elif tag in ("td", "th"):
            if self.pieces:
                self.add(" | ")
            self.walk(node)
        elif tag == "li":
            self.flush()
            parent = node.parent
            if parent is not None and parent.tag == "ol" and not self.in_note:
                number = self.counters.get(id(parent), _list_start(parent))
                self.counters[id(parent)] = number + 1
                self.add(f"{number}. ")
            self.walk(node)
            self.flush()
        elif tag in _BLOCKS:
            self.flush()
            if tag == "div" and not node.children and _BREAK_HINT.search(
                node.attrs.get("class", "")
            ):
                self.blocks.append(_Raw("break", SCENE_BREAK, author=self.author > 0))
            self.walk(node)
            self.flush()
        else:
            self.walk(node)

    def marker(self, key: tuple, shown: str) -> None:
        start = self.length
        self.add("[]")  # a placeholder; the label is known once the chapter is assembled
        self.refs.append((start, self.length, key, shown))


def _hidden_style(node: Node) -> bool:
    style = node.attrs.get("style", "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style


def _img_hint(node: Node) -> str:
    return " ".join(node.attrs.get(k, "") for k in ("class", "alt", "src", "id"))


def _is_back_link(a: Node) -> bool:
    text = a.text().lower()
    href = a.attrs.get("href", "")
    return "#" in href and (text in _BACK_TEXTS or bool(_REF_TEXT.match(text)) or not text)


def _list_start(node: Node) -> int:
    try:
        return int(node.attrs.get("start", "1"))
    except ValueError:
        return 1


def _body_root(doc: Document) -> Node:
    """The page's one ``<main>`` or ``<article>`` when it has one, else the whole page."""
    nodes = doc.root.iter()
    for tag in ("main", "article"):
        found = [n for n in nodes if n.tag == tag]
        if len(found) == 1:
            return found[0]
    return doc.root


# -- assembling chapters -------------------------------------------------------------------


@dataclass
class HtmlResult:
    """What one HTML file gives: its chapters, and what came before the first of several."""

    chapters: list[Chapter]
    title: str  # the page's <title>
    author: str | None
    chapter_url: str | None  # FanFicFare's <meta name="chapterurl">
    skipped: list[str] = field(default_factory=list)


def html_to_chapter(
    text: str, *, name: str = "file", number: int | None = None,
    resolve: Resolver | None = None,
) -> Chapter:
    """Convert one HTML chapter to a `Chapter` (never split; never raises on odd HTML)."""
    doc = parse_html(text)
    raws, texts = _raw_blocks(doc, name, resolve)
    chapter = _assemble(raws, texts, number=number, name=name)
    chapter.warnings[:0] = doc.warnings
    return chapter


def html_chapters(
    text: str, *, name: str = "file", resolve: Resolver | None = None
) -> HtmlResult:
    """Convert an HTML file to chapters: one, or several when it holds several chapter
    headings (``Chapter 1``, ``Chapter 2``...) at one heading level (AO3's full-work page)."""
    doc = parse_html(text)
    raws, texts = _raw_blocks(doc, name, resolve)
    result = HtmlResult([], doc.title, doc.meta.get("author") or None,
                        doc.meta.get("chapterurl") or None)
    groups = _split(raws)
    if len(groups) > 1 and any(r.kind != "note_at" for r in groups[0]):
        result.skipped.append(f"{name}: text before the first chapter heading")
    for raw in groups[1:] if len(groups) > 1 else groups:
        chapter = _assemble(raw, texts, name=name)
        chapter.warnings[:0] = doc.warnings
        result.chapters.append(chapter)
    return result


def _raw_blocks(
    doc: Document, name: str, resolve: Resolver | None
) -> tuple[list[_Raw], dict[tuple, str]]:
    walker = _Walker(_find_notes(doc, name, resolve))
    walker.walk(_body_root(doc))
    walker.flush()
    for raw in walker.blocks:
        if raw.kind == "p" and _AUTHOR_PARAGRAPH.match(raw.text):
            raw.author = True
    return walker.blocks, walker.notes.texts


def _split(raws: list[_Raw]) -> list[list[_Raw]]:
    """[front, chapter, chapter...] when the file holds several chapters, else [all]."""
    heads = [
        i for i, r in enumerate(raws)
        if r.kind == "h" and not r.author and read_header(r.text, Chapter(""))
    ]
    if len(heads) < 2:
        return [raws]
    level = raws[heads[0]].level
    cuts = [
        i for i, r in enumerate(raws)
        if i >= heads[0] and r.kind == "h" and not r.author and r.level == level
    ]
    bounds = [*cuts, len(raws)]
    return [raws[: cuts[0]]] + [raws[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def _is_break_text(text: str) -> bool:
    stripped = text.strip()
    return is_scene_break(stripped) or (
        len(stripped) <= 30 and not any(c.isalnum() for c in stripped)
        and not any(c in "\"'“”‘’…?!()[]" for c in stripped)
    )


def _take_title(raws: list[_Raw], chapter: Chapter) -> list[_Raw]:
    """Set the chapter's title (and number) from a leading heading; the other blocks."""
    first = next((r for r in raws if r.kind != "note_at"), None)
    if first is None or first.kind != "h" or first.author or first.refs:
        return raws
    if marked_heading(first.text, 0, len(first.text)).when is not None:
        return raws  # a dated section heading, not the chapter's title
    if not read_header(first.text, chapter):
        chapter.title = first.text.strip()
    return [r for r in raws if r is not first]


class _Labels:
    """Footnote labels for one chapter: the reference's own text when it is short and
    free, else the next free number."""

    def __init__(self) -> None:
        self.labels: dict[tuple, str] = {}

    def __call__(self, key: tuple, shown: str = "") -> str:
        if key not in self.labels:
            used = set(self.labels.values())
            wanted = shown.strip().strip("[]()^*† ")
            if not _LABEL.match(wanted) or wanted in used:
                n = len(used) + 1
                while str(n) in used:
                    n += 1
                wanted = str(n)
            self.labels[key] = wanted
        return self.labels[key]


def _assemble(
    raws: list[_Raw], texts: dict[tuple, str], *, number: int | None = None, name: str = "file"
) -> Chapter:
    chapter = Chapter(body="", number=number)
    raws = _take_title(raws, chapter)
    chapter.numbered_by_order = chapter.number is None and number is not None
    label_for = _Labels()
    parts: list[str] = []
    blocks: list[Block] = []
    markers: list[Marker] = []
    placed: list[tuple] = []
    pos = 0
    next_text: list[str | None] = [None] * len(raws)  # the text of the next paragraph
    for index in range(len(raws) - 2, -1, -1):
        after = raws[index + 1]
        next_text[index] = after.text if after.kind in ("p", "h") else next_text[index + 1]
    for index, raw in enumerate(raws):
        if raw.kind == "note_at":
            placed.append(raw.key)
            continue
        kind = "author_note" if raw.author else raw.kind
        if raw.kind == "break" or (raw.kind == "p" and not raw.refs and _is_break_text(raw.text)):
            if not blocks or blocks[-1].kind == "break":
                continue
            kind = "break"
        text, refs = _fill_labels(raw, label_for)
        start = pos + (2 if parts else 0)
        parts.append(("\n\n" if parts else "") + text)
        pos = start + len(text)
        if kind in ("break", "author_note"):
            blocks.append(Block(kind, start, pos))
        elif kind == "h":
            blocks.append(marked_heading(text, start, pos))
        else:
            following = next_text[index]
            after_break = not blocks or blocks[-1].kind == "break"
            heading = None if refs else section_heading(
                text, start, pos, after_break=after_break, following=following
            )
            blocks.append(heading or Block("paragraph", start, pos))
        markers.extend(Marker(label, start + a, start + b) for a, b, label in refs)
    body = "".join(parts)
    keys = list(label_for.labels) + [k for k in placed if k not in label_for.labels]
    keys = [k for k in dict.fromkeys(keys) if k in texts]
    while blocks and (blocks[-1].kind == "break" or keys and blocks[-1].kind == "heading"
                      and is_notes_heading(body[blocks[-1].start : blocks[-1].end])):
        blocks.pop()  # a closing break, or the source's own "Notes" heading: ours replaces it
    body = body[: blocks[-1].end] if blocks else ""
    markers = [m for m in markers if m.end <= len(body)]
    if not keys:
        chapter.body = body
        chapter.blocks, chapter.markers, chapter.footnotes = text_notes(body, blocks)
        for label in sorted({m.label for m in chapter.markers} - chapter.footnotes.keys()):
            chapter.warnings.append(f"footnote marker {label} has no note")
        return chapter
    marked = {m.label for m in markers}
    head = "Notes"
    start = len(body) + (2 if body else 0)
    body += ("\n\n" if body else "") + head
    blocks.append(Block("notes_heading", start, start + len(head)))
    for key in keys:
        label = label_for(key)
        note = _SPACE_LINES.sub("\n\n", texts[key].strip()) or "(empty note)"
        prefix = f"[{label}] "
        start = len(body) + 2
        body += "\n\n" + prefix + note
        blocks.append(Block("note", start, len(body), label=label,
                            text_start=start + len(prefix), text_end=len(body)))
        chapter.footnotes[label] = note
        if label not in marked:
            chapter.warnings.append(f"note {label} has no marker in the text")
    for label in sorted(marked - chapter.footnotes.keys()):
        chapter.warnings.append(f"footnote marker {label} has no note")
    chapter.body, chapter.blocks, chapter.markers = body, blocks, markers
    return chapter


def _fill_labels(
    raw: _Raw, label_for: Callable[[tuple, str], str]
) -> tuple[str, list[tuple[int, int, str]]]:
    """The block's text with each reference's placeholder replaced by ``[label]``."""
    if not raw.refs:
        return raw.text, []
    out, refs, pos, shift = [], [], 0, 0
    for start, end, key, shown in raw.refs:
        label = label_for(key, shown)
        out.append(raw.text[pos:start])
        marker = f"[{label}]"
        out.append(marker)
        refs.append((start + shift, start + shift + len(marker), label))
        shift += len(marker) - (end - start)
        pos = end
    out.append(raw.text[pos:])
    return "".join(out), refs


def read_html_file(data: bytes, name: str) -> tuple[HtmlResult, list[str]]:
    """Decode and convert an HTML file's bytes; `InputError` when it is not usable."""
    text, warnings = decode_html(data, name)
    if has_entity_declarations(text):
        raise InputError(
            f"{name}: declares XML entities (as in XXE or billion-laughs attacks); refused"
        )
    result = html_chapters(text, name=name)
    if not any(c.body.strip() for c in result.chapters):
        raise InputError(f"{name}: no chapter text in this HTML file")
    return result, warnings
