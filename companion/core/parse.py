"""Parse a chapter exported from a serial site (or ordinary plain text) into a `Chapter`.

The export format: a header line (``035 - Title - 8``), a stats line of numbers, the story
with ``. . .`` scene breaks, dated section headings and ``*1`` footnote markers, a rule and a
``Notes`` section, and the site footer glued to the story title. Plain text with
``Chapter 12: Title`` headers, or none at all, parses too.
"""

from __future__ import annotations

import re
from pathlib import Path

from companion.core.model import Block, Chapter, Marker
from companion.core.textfile import read_text_file

SITE_FOOTERS = ("Where stories live. Discover now",)

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
DATE = re.compile(
    rf"""^(?:
        D-?Day\s*(?:[+\-−]\s*\d+(?:\s*[~–\-]\s*\d+)?)?        # D-Day+48~52
      | (?:Day|Week|Month|Year)\s+\d+(?:\s*[~–\-]\s*\d+)?       # Day 12
      | \d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\.?,?\s+\d{{3,4}}  # 12 March 1942
      | (?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{3,4}}  # March 12, 1942
      | (?:(?:Early|Mid|Late)[\s-]+)?(?:{_MONTHS})\.?,?\s+\d{{3,4}}  # March 1942
      | \d{{4}}-\d{{2}}-\d{{2}}                                  # 1942-03-12
      | (?:Spring|Summer|Autumn|Fall|Winter),?\s+\d{{3,4}}
      | \d{{3,4}}(?:\s*[~–\-]\s*\d{{3,4}})?                       # 1942
    )$""",
    re.IGNORECASE | re.VERBOSE,
)

_NUMBERED_HEADER = re.compile(r"^\s*(\d{1,5})\s*[-–—:.]\s+(\S.*?)\s*$")
_CHAPTER_HEADER = re.compile(
    r"^\s*(?:chapter|ch\.|episode|part)\s+([0-9]+|[ivxlcdm]+|[a-z]+(?:[\s-][a-z]+)?)"
    r"\s*(?:[:.\-–—]\s*(.*?))?\s*$",
    re.IGNORECASE,
)
_STATS_LINE = re.compile(r"^\s*(?:[\d.,]+[KkMm]?\s+){1,5}[\d.,]+[KkMm]?\s*$")
_BREAK = re.compile(
    r"^\s*(?:(?:\.\s*){3,}|(?:\*\s*){3,}|(?:~\s*){3,}|(?:-\s*){3,}|(?:=\s*){3,}|#|◇+|◆+|§)\s*$"
)
_RULE = re.compile(
    r"^\s*(?:(?:~\s*){3,}|(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,}|(?:=\s*){3,})\s*$"
)
_NOTES_HEADING = re.compile(
    r"^\s*(?:notes?|footnotes?|end\s?notes?|translator[’']?s?\s+notes?|tl\s+notes?"
    r"|author[’']?s?\s+notes?)\s*:?\s*$",
    re.IGNORECASE,
)
_NOTE_START = re.compile(  # "*1: text", "[1] text", "^1 text", "1. text"
    r"^\s*(?:(?:\*|\^|\[\^?)(\d{1,3})\]?(?:\s*[:.)\]]\s*|\s+)|(\d{1,3})\s*[:.)\]]\s*)(?=\S)"
)
_MARKER = re.compile(r"(?<![\d*^\[])(?:\*(\d{1,3})|\[\^?(\d{1,3})\]|\^(\d{1,3}))(?![\d:\w])")
_TRAILING_DATE = re.compile(r"^(.*?\S)\s*\(([^()]{1,60})\)\s*$")
_SEP_DATE = re.compile(r"^(.*?\S)\s*(?:,|\s[-–—]\s)\s*([^,–—]{3,40})$")
_SENTENCE_END = re.compile(r"[.!?…:;\"”’)»]\s*$")
_YEAR_ONLY = re.compile(r"^\d{3,4}(?:\s*[~–\-]\s*\d{3,4})?$")
_ROMAN_NUMERAL = re.compile(r"^m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$")
_HEADING_MAX_WORDS = 12

_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
)
_NUMBER_WORDS = {w: i for i, w in enumerate(_UNITS.split())}
_TENS_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety"
_TENS = {w: 10 * i for i, w in enumerate(_TENS_WORDS.split(), start=2)}
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


def parse_chapter(text: str, *, number: int | None = None, filename: str | None = None) -> Chapter:
    """Parse one chapter's text.

    ``number`` is used when the text has no numbered header (e.g. the file's position in a
    folder); ``filename`` gives the title when there is no header at all.
    """
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line if line.strip() else "" for line in lines]
    if lines and lines[0].startswith("\ufeff"):
        lines[0] = lines[0][1:]
    chapter = Chapter(body="", number=number)

    first = _first_nonblank(lines, 0)
    header_found = False
    if first is not None:
        header_found = _read_header(lines[first], chapter)
        if header_found:
            lines = lines[first + 1 :]
    if not header_found:
        chapter.numbered_by_order = number is not None
        if filename:
            chapter.title = _title_from_filename(filename)
    stats = _first_nonblank(lines, 0)
    if header_found and stats is not None and stats < 3 and _STATS_LINE.match(lines[stats]):
        lines = lines[stats + 1 :]
    lines = _strip_footer(lines, chapter)

    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    chapter.body = "\n".join(lines)
    _read_blocks(lines, chapter)
    _check_footnotes(chapter)
    return chapter


def _first_nonblank(lines: list[str], start: int) -> int | None:
    return next((i for i in range(start, len(lines)) if lines[i]), None)


def _read_header(line: str, chapter: Chapter) -> bool:
    m = _NUMBERED_HEADER.match(line)
    if m and len(line) <= 200 and not _SENTENCE_END.search(m.group(2)[-1:] or ""):
        chapter.number = int(m.group(1))
        chapter.title = m.group(2)
        return True
    m = _CHAPTER_HEADER.match(line)
    if m and len(line) <= 200:
        value = _number_from_words(m.group(1))
        if value is not None:
            chapter.number = value
            chapter.title = m.group(2) or line.strip()
            return True
    return False


def _number_from_words(word: str) -> int | None:
    """'12' -> 12, 'Twelve' -> 12, 'twenty-one' -> 21, 'XIV' -> 14."""
    w = word.strip().lower()
    if w.isdigit():
        return int(w)
    parts = re.split(r"[\s-]+", w)
    if all(p in _NUMBER_WORDS or p in _TENS for p in parts) and len(parts) <= 2:
        return sum(_NUMBER_WORDS.get(p, 0) + _TENS.get(p, 0) for p in parts)
    if w and _ROMAN_NUMERAL.match(w):
        total = 0
        for a, b in zip(w, w[1:] + " ", strict=True):
            v = _ROMAN[a]
            total += -v if b in _ROMAN and _ROMAN[b] > v else v
        return total
    return None


def _title_from_filename(filename: str) -> str:
    stem = Path(filename).stem
    return re.sub(r"[_\s]+", " ", stem).strip()


def _strip_footer(lines: list[str], chapter: Chapter) -> list[str]:
    last = len(lines) - 1
    while last >= 0 and not lines[last]:
        last -= 1
    if last < 0:
        return lines
    for footer in SITE_FOOTERS:
        pos = lines[last].find(footer)
        if pos >= 0:
            story = lines[last][:pos].strip()
            if story:
                chapter.story = story
            return lines[:last]
    return lines


def _paragraph_spans(lines: list[str]) -> list[tuple[int, int]]:
    """Line ranges [first, last] of blocks: one per line, or wrapped groups joined."""
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        if not lines[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(lines) and lines[j + 1]:
            j += 1
        group = lines[i : j + 1]
        wrapped = len(group) > 1 and all(40 <= len(g) <= 100 for g in group[:-1])
        if wrapped and not any(_BREAK.match(g) or _NOTE_START.match(g) for g in group):
            spans.append((i, j))
        else:
            spans.extend((k, k) for k in range(i, j + 1))
        i = j + 1
    return spans


def _read_blocks(lines: list[str], chapter: Chapter) -> None:
    offsets = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    spans = [(offsets[a], offsets[b] + len(lines[b])) for a, b in _paragraph_spans(lines)]
    body = chapter.body
    texts = [body[s:e] for s, e in spans]
    notes_from = _notes_start(texts)

    blocks: list[Block] = []
    for index, ((start, end), text) in enumerate(zip(spans, texts, strict=True)):
        if notes_from is not None and index >= notes_from:
            blocks.append(_notes_block(text, start, end, blocks))
            continue
        if _BREAK.match(text):
            blocks.append(Block("break", start, end))
            continue
        previous = blocks[-1].kind if blocks else "break"
        following = texts[index + 1] if index + 1 < len(texts) else None
        heading = _heading(text, start, end, previous == "break", following)
        blocks.append(heading or Block("paragraph", start, end))
    chapter.blocks = blocks
    for b in blocks:
        if b.kind == "note" and b.label is not None and b.text_start is not None:
            chapter.footnotes.setdefault(b.label, body[b.text_start : b.text_end])
    chapter.markers = [
        Marker(next(g for g in m.groups() if g), m.start(), m.end())
        for b in blocks
        if b.kind in ("paragraph", "heading")
        for m in _MARKER.finditer(body, b.start, b.end)
    ]


def _notes_start(texts: list[str]) -> int | None:
    """Index of the first block of the notes section (its rule or heading), if any."""
    for i in range(len(texts) - 1, -1, -1):
        if _NOTES_HEADING.match(texts[i]):
            return i - 1 if i > 0 and _RULE.match(texts[i - 1]) else i
    for i in range(len(texts) - 1, -1, -1):
        if _RULE.match(texts[i]):
            rest = texts[i + 1 :]
            if rest and _NOTE_START.match(rest[0]):
                return i
            return None
    # No rule or heading: a run of "*1:" entries closing the chapter.
    i = len(texts)
    while i > 0 and texts[i - 1].lstrip().startswith(("*", "[", "^")):
        if not _NOTE_START.match(texts[i - 1]):
            break
        i -= 1
    return i if i < len(texts) else None


def _notes_block(text: str, start: int, end: int, blocks: list[Block]) -> Block:
    if _RULE.match(text):
        return Block("rule", start, end)
    if _NOTES_HEADING.match(text):
        return Block("notes_heading", start, end)
    m = _NOTE_START.match(text)
    if m:
        label = m.group(1) or m.group(2)
        return Block("note", start, end, label=label, text_start=start + m.end(), text_end=end)
    # A further paragraph of the note before it: extend that note.
    if blocks and blocks[-1].kind == "note":
        prev = blocks.pop()
        blocks.append(Block("note", prev.start, prev.end, label=prev.label,
                            text_start=prev.text_start, text_end=end))
        return Block("paragraph", start, end, label="note-continuation")
    return Block("paragraph", start, end)


def _heading(
    text: str, start: int, end: int, after_break: bool, following: str | None
) -> Block | None:
    """A section heading block when the line looks like one, else None."""
    if "\n" in text or len(text) > 140:
        return None
    stripped = text.strip()
    lead = len(text) - len(text.lstrip())
    m = _TRAILING_DATE.match(stripped)
    if m and DATE.match(m.group(2).strip()) and _dated_title(m.group(1), m.group(2).strip()):
        return Block("heading", start, end, when=m.group(2).strip(), text_start=start + lead,
                     text_end=start + lead + m.end(1))
    if DATE.match(stripped) and not stripped.isdigit():
        return Block("heading", start, end, when=stripped, text_start=start + lead,
                     text_end=start + lead + len(stripped))
    looks_title = (
        after_break
        and following is not None
        and len(stripped) <= 80
        and len(stripped.split()) <= 10
        and stripped[:1].isupper()
        and not _SENTENCE_END.search(stripped)
        and not _BREAK.match(following)
    )
    if not looks_title:
        return None
    m = _SEP_DATE.match(stripped)
    if m and DATE.match(m.group(2).strip()):
        return Block("heading", start, end, when=m.group(2).strip(), text_start=start + lead,
                     text_end=start + lead + m.end(1))
    return Block(
        "heading", start, end, text_start=start + lead, text_end=start + lead + len(stripped)
    )


def _dated_title(title: str, when: str) -> bool:
    """Whether ``title (when)`` reads as a heading rather than a sentence ending in a date.

    A heading is short and does not end like a sentence; with only a year in the brackets,
    which sentences often end with, most of its longer words must also be capitalised.
    """
    words = title.split()
    if _SENTENCE_END.search(title) or len(words) > _HEADING_MAX_WORDS:
        return False
    if not _YEAR_ONLY.match(when):
        return True
    long_words = [w for w in words if len(w) > 3 and w[0].isalpha()]
    capitalised = sum(1 for w in long_words if w[0].isupper())
    return bool(long_words) and 2 * capitalised >= len(long_words)


def read_header(line: str, chapter: Chapter) -> bool:
    """Set ``chapter``'s number and title from a header line (``035 - X``, ``Chapter 12: X``).

    Returns whether the line was a header.
    """
    return _read_header(line, chapter)


def is_scene_break(text: str) -> bool:
    """Whether a line is a scene break (``* * *``, ``. . .``, ``~~~``, ``◇``...)."""
    return bool(_BREAK.match(text))


def is_notes_heading(text: str) -> bool:
    """Whether a line heads a notes section (``Notes``, ``Footnotes``, ``TL notes``...)."""
    return bool(_NOTES_HEADING.match(text))


def section_heading(
    text: str, start: int, end: int, *, after_break: bool, following: str | None
) -> Block | None:
    """A section heading block when a paragraph looks like one (the plain-text rules)."""
    return _heading(text, start, end, after_break, following)


def marked_heading(text: str, start: int, end: int) -> Block:
    """A heading block for text the source marks as a heading, with its date if it has one."""
    block = _heading(text, start, end, True, "")
    if block is not None and block.when:
        return block
    stripped = text.strip()
    lead = len(text) - len(text.lstrip())
    for pattern in (_TRAILING_DATE, _SEP_DATE):
        m = pattern.match(stripped)
        if m and DATE.match(m.group(2).strip()) and not _YEAR_ONLY.match(m.group(2).strip()):
            return Block("heading", start, end, when=m.group(2).strip(), text_start=start + lead,
                         text_end=start + lead + m.end(1))
    return Block("heading", start, end, text_start=start + lead,
                 text_end=start + lead + len(stripped))


def text_notes(body: str, blocks: list[Block]) -> tuple[list[Block], list[Marker], dict[str, str]]:
    """Apply the plain-text notes rules (``*1`` markers, a closing Notes section) to blocks
    built elsewhere (e.g. from HTML): the new blocks, the markers and the footnotes."""
    story = [i for i, b in enumerate(blocks) if b.kind != "author_note"]
    notes_from = _notes_start([body[blocks[i].start : blocks[i].end] for i in story])
    first_note = story[notes_from] if notes_from is not None else len(blocks)
    out: list[Block] = []
    for index, block in enumerate(blocks):
        if index >= first_note and block.kind != "author_note":
            out.append(_notes_block(body[block.start : block.end], block.start, block.end, out))
        else:
            out.append(block)
    footnotes: dict[str, str] = {}
    for b in out:
        if b.kind == "note" and b.label is not None and b.text_start is not None:
            footnotes.setdefault(b.label, body[b.text_start : b.text_end])
    markers = [
        Marker(next(g for g in m.groups() if g), m.start(), m.end())
        for b in out
        if b.kind in ("paragraph", "heading")
        for m in _MARKER.finditer(body, b.start, b.end)
    ]
    return out, markers, footnotes


def _check_footnotes(chapter: Chapter) -> None:
    marked = {m.label for m in chapter.markers}
    for label in sorted(marked - chapter.footnotes.keys(), key=int):
        chapter.warnings.append(f"footnote marker {label} has no note")
    for label in sorted(chapter.footnotes.keys() - marked, key=int):
        chapter.warnings.append(f"note {label} has no marker in the text")


def parse_files(paths: list[Path]) -> list[Chapter]:
    """Read and parse chapter files in the order given; raises `InputError` on a bad file.

    A file without a numbered header takes its place in the list as its number.
    """
    chapters = []
    for index, path in enumerate(paths, start=1):
        text, warnings = read_text_file(path)
        chapter = parse_chapter(text, number=index, filename=path.name)
        chapter.warnings[:0] = warnings
        chapters.append(chapter)
    return chapters
