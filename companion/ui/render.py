"""Chapter → HTML for the reader pane. Every piece of chapter text is escaped."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from companion.core.model import Block, Chapter

SCENE_BREAK = "\u2042"  # ⁂, the asterism
SEGMENT = re.compile(r"o(\d+)_(\d+)")  # name of the anchor that starts a run of body text
MARK_HUES = {  # highlight colours; the reader blends them with the page's base colour
    "yellow": "#f2c200",
    "green": "#35b558",
    "blue": "#3b8eea",
    "pink": "#e6559f",
    "orange": "#f2851f",
}


@dataclass(frozen=True)
class Link:
    """A clickable span of the body: a footnote marker or, later, a name."""

    start: int
    end: int
    href: str
    css: str
    label: str | None = None  # shown instead of the body text (a marker shows its number)


def footnote_links(chapter: Chapter) -> list[Link]:
    """One link per footnote marker: ``fn:LABEL`` shown as a superscript number."""
    return [Link(m.start, m.end, f"fn:{m.label}", "footnote", m.label) for m in chapter.markers]


def name_links(mentions: list) -> list[Link]:
    """One link per resolved mention: ``ent:ID@START``, styled by the mention's kind."""
    return [
        Link(m.start, m.end, f"ent:{m.entity_id}@{m.start}", m.kind)
        for m in mentions
        if m.entity_id is not None
    ]


def chapter_html(chapter: Chapter, links: list[Link] | None = None) -> str:
    """The chapter as HTML: title block, sections with dates, breaks, notes; links inline."""
    links = sorted(links if links is not None else footnote_links(chapter), key=lambda k: k.start)
    out = ['<div class="chapter">']
    if chapter.story:
        out.append(f'<p class="story">{_esc(chapter.story)}</p>')
    if chapter.number is not None:
        out.append(f'<p class="number">Chapter {chapter.number}</p>')
    out.append(f"<h1>{_esc(chapter.title)}</h1>")
    for block in chapter.blocks:
        out.append(_block_html(chapter, block, links))
    out.append("</div>")
    return "\n".join(part for part in out if part)


def _block_html(chapter: Chapter, block: Block, links: list[Link]) -> str:
    if block.kind == "break":
        return f'<p class="break" align="center">{SCENE_BREAK}</p>'
    if block.kind == "rule":
        return ""
    if block.kind == "author_note":  # the author speaking, not the story: set apart, quieter
        text = _inline(chapter.body, block.start, block.end, links)
        return f'<p class="author-note"><i>{text}</i></p>'
    if block.kind == "notes_heading":
        return f'<h3 class="notes">{_esc(chapter.block_text(block).strip())}</h3>'
    if block.kind == "heading":
        start, end = block.text_start or block.start, block.text_end or block.end
        when = f'<p class="when">{_esc(block.when)}</p>' if block.when else ""
        return f"<h2>{_inline(chapter.body, start, end, links)}</h2>{when}"
    if block.kind == "note":
        start = block.text_start if block.text_start is not None else block.start
        end = block.text_end if block.text_end is not None else block.end
        label = _esc(block.label or "")
        text = _inline(chapter.body, start, end, links).replace("\n\n", '</p><p class="note">')
        return f'<p class="note"><a name="note-{label}"></a><b>{label}</b>&nbsp;&nbsp;{text}</p>'
    if block.label == "note-continuation":
        return ""  # rendered as part of its note
    return f"<p>{_inline(chapter.body, block.start, block.end, links)}</p>"


def _inline(body: str, start: int, end: int, links: list[Link]) -> str:
    """Escaped text of body[start:end] with the links that fall inside it.

    Each run of text and each link starts with an empty anchor named ``o{start}_{end}`` (its
    span in the body), from which the reader maps document positions to body offsets.
    """
    parts = []
    pos = start
    for link in links:
        if link.start < pos or link.end > end:
            continue
        before = body[pos : link.start]
        if link.css == "footnote":
            before = before.rstrip(" ")  # "text *1" reads as "text¹"
        parts.append(_run(before, pos, link.start))
        href = html.escape(link.href, quote=True)
        text = _esc(link.label if link.label is not None else body[link.start : link.end])
        anchor = f'<a class="{link.css}" href="{href}">{text}</a>'
        segment = f'<a name="o{link.start}_{link.end}"></a>'
        parts.append(segment + (f"<sup>{anchor}</sup>" if link.css == "footnote" else anchor))
        pos = link.end
    parts.append(_run(body[pos:end], pos, end))
    return "".join(parts)


def _run(text: str, start: int, end: int) -> str:
    """A run of body text with its segment anchor; each character shows as one."""
    if not text:
        return ""
    if "  " in text or "\t" in text or "\n" in text:  # keep every space: no collapsing
        text = re.sub(r"(?<=\s)\s", "\u00a0", re.sub(r"\s", " ", text))
    return f'<a name="o{start}_{end}"></a>{_esc(text)}'


def _esc(text: str) -> str:
    return html.escape(text, quote=False).replace("\n", " ")


def stylesheet(
    text_color: str,
    quiet_color: str,
    link_color: str,
    unit_color: str,
    nation_color: str,
    line_height: float = 1.5,
) -> str:
    """The reader's document style sheet for the given palette colours and line spacing."""
    return f"""
    body {{ color: {text_color}; }}
    p {{ margin-top: 0; margin-bottom: 0.9em; line-height: {round(line_height * 100)}%; }}
    h1 {{ font-size: 1.7em; font-weight: 600; margin-top: 0.2em; margin-bottom: 1.2em; }}
    h2 {{ font-size: 1.15em; font-weight: 600; margin-top: 1.2em; margin-bottom: 0.1em; }}
    h3 {{ font-size: 1.0em; font-weight: 600; margin-top: 2.0em; margin-bottom: 0.6em; }}
    p.story {{ color: {quiet_color}; font-size: 0.9em; margin-bottom: 0.2em; }}
    p.number {{ color: {quiet_color}; font-size: 0.9em; margin-bottom: 0; }}
    p.when {{ color: {quiet_color}; font-size: 0.85em; font-style: italic; margin-bottom: 1em; }}
    p.break {{ color: {quiet_color}; font-size: 1.3em; margin-top: 0.6em; margin-bottom: 1.1em; }}
    p.note {{ font-size: 0.9em; }}
    p.author-note {{ color: {quiet_color}; font-size: 0.92em; margin-left: 1.5em;
                     margin-right: 1.5em; }}
    a {{ color: {link_color}; text-decoration: none; }}
    a.footnote {{ font-weight: 600; }}
    a.unit {{ color: {unit_color}; }}
    a.nation {{ color: {nation_color}; }}
    a.organization, a.place, a.person, a.term {{ color: {text_color}; }}
    """


def entity_card(entry) -> tuple[str, str]:
    """Title and text of an entity's card: kind, echelon, side, parent, first appearance and
    the first lines of the reader's description. ``entry`` is a glossary entry."""
    kind = entry.kind if not entry.echelon else f"{entry.kind} · {entry.echelon}"
    lines = [kind.capitalize()]
    if entry.parent:
        lines.append(f"Part of {entry.parent}")
    if entry.side:
        lines.append(f"Side: {entry.side}")
    if entry.aliases:
        lines.append("Also: " + ", ".join(entry.aliases[:4]))
    if entry.first_chapter is not None:
        times = "mention" if entry.mentions == 1 else "mentions"
        lines.append(f"First in chapter {entry.first_chapter} · {entry.mentions} {times}")
    description = entry.description.strip().splitlines()[:3]
    if description:
        lines.append("")
        lines.extend(description)
    return entry.name, "\n".join(lines)
