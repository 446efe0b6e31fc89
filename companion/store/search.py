"""Searching the whole work: chapters whose text matches a query (FTS5), with snippets.

A query is words, each matching the start of a word, and "quoted phrases"; a chapter matches
when it has all of them. Anything else (punctuation, stray quotes) is ignored, so no query is
an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from companion.store.library import Store

SNIPPET_TOKENS = 16  # words around the match in a snippet
_START, _END = "\x02", "\x03"  # marks around the matched words in snippet()
_TERM = re.compile(r'"([^"]*)"?|(\w+)')  # a quoted phrase (closed or not), or a word


@dataclass(frozen=True)
class Hit:
    """A chapter that matches, with a snippet as (text, matched) parts."""

    chapter_id: int
    number: int
    title: str
    snippet: tuple[tuple[str, bool], ...]


@dataclass(frozen=True)
class SearchResult:
    """The chapters that match up to the spoiler scope, and how many later ones match too."""

    hits: list[Hit]
    later: int = 0


def query_terms(query: str) -> list[list[str]]:
    """The query's terms, each a list of words (one word, or a phrase's words)."""
    terms = []
    for found in _TERM.finditer(query):
        words = re.findall(r"\w+", found[1] if found[1] is not None else found[2])
        if words:
            terms.append(words)
    return terms


def _match_expression(terms: list[list[str]]) -> str:
    """An FTS5 MATCH expression: every term as a quoted phrase, its last word a prefix."""
    return " ".join('"' + " ".join(words) + '"*' for words in terms)


def search_chapters(
    store: Store, work_id: int, query: str, up_to: int | None = None, limit: int = 500
) -> SearchResult:
    """The work's chapters (numbered up to ``up_to``, or all) that match ``query``, in reading
    order, with a snippet of the text around a match."""
    terms = query_terms(query)
    if not terms:
        return SearchResult([])
    match = _match_expression(terms)
    rows = store.db.execute(
        "SELECT c.id, c.number, c.title,"
        f" snippet(chapter_search, 1, ?, ?, '…', {SNIPPET_TOKENS}) AS snippet"
        " FROM chapter_search s JOIN chapters c ON c.id = s.rowid"
        " WHERE chapter_search MATCH ? AND c.work_id = ? AND (? IS NULL OR c.number <= ?)"
        " ORDER BY c.number LIMIT ?",
        [_START, _END, match, work_id, up_to, up_to, limit],
    ).fetchall()
    hits = [Hit(r[0], r[1], r[2], _parts(r[3])) for r in rows]
    later = 0
    if up_to is not None:
        later = store.db.execute(
            "SELECT count(*) FROM chapter_search s JOIN chapters c ON c.id = s.rowid"
            " WHERE chapter_search MATCH ? AND c.work_id = ? AND c.number > ?",
            [match, work_id, up_to],
        ).fetchone()[0]
    return SearchResult(hits, later)


def query_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Where ``query``'s terms occur in ``text`` (as the search matches them), in order."""
    terms = query_terms(query)
    if not terms:
        return []
    patterns = [r"\b" + r"\W+".join(re.escape(w) for w in words) + r"\w*" for words in terms]
    found = re.finditer("|".join(patterns), text, re.IGNORECASE)
    return [m.span() for m in found if m.end() > m.start()]


def _parts(snippet: str) -> tuple[tuple[str, bool], ...]:
    """A snippet with match marks as (text, matched) parts, whitespace made single spaces."""
    parts = []
    for i, piece in enumerate(re.split(f"[{_START}{_END}]", snippet)):
        piece = re.sub(r"\s+", " ", piece)
        if piece:
            parts.append((piece, i % 2 == 1))
    return tuple(parts)
