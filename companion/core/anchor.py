"""Anchors that survive edits: a text quote with a little context, found again in changed text.

Like the W3C Web Annotation ``TextQuoteSelector``: the exact words, a prefix and a suffix. When
a chapter's text changes, the quote is looked for again, first as written (the occurrence whose
context agrees best, nearest to where it was), then between its old prefix and suffix, then
between its own first and last words; a quote found nowhere leaves the annotation detached.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

CONTEXT = 32  # characters of prefix and suffix kept with a quote
MIN_SIMILARITY = 0.6  # how alike changed words must be to the quote to count as it


@dataclass(frozen=True)
class Quote:
    """The words an annotation is on, and the text just before and after them."""

    exact: str
    prefix: str
    suffix: str


def make_quote(body: str, start: int, end: int) -> Quote:
    """The quote of ``body[start:end]`` with its context."""
    return Quote(body[start:end], body[max(0, start - CONTEXT) : start], body[end : end + CONTEXT])


def reanchor(body: str, quote: Quote, near: int | None = None) -> tuple[int, int] | None:
    """Where the quote stands in ``body`` now, or None when it cannot be placed.

    ``near`` is where it stood before, to choose between equally good places.
    """
    if not quote.exact:
        return None
    return (
        _exact(body, quote, near)
        or _between(body, quote.prefix, quote.suffix, quote.exact, near)
        or _between(body, *_ends(quote.exact), quote.exact, near, keep_ends=True)
    )


def _exact(body: str, quote: Quote, near: int | None) -> tuple[int, int] | None:
    best, best_score = None, None
    start = body.find(quote.exact)
    while start >= 0:
        end = start + len(quote.exact)
        agree = _common_suffix(body[max(0, start - len(quote.prefix)) : start], quote.prefix)
        agree += _common_prefix(body[end : end + len(quote.suffix)], quote.suffix)
        score = (agree, -abs(start - near) if near is not None else 0)
        if best_score is None or score > best_score:
            best, best_score = (start, end), score
        start = body.find(quote.exact, start + 1)
    return best


def _between(
    body: str, before: str, after: str, exact: str, near: int | None, keep_ends: bool = False
) -> tuple[int, int] | None:
    """The best stretch of ``body`` that lies between ``before`` and ``after`` and reads like
    ``exact``. With ``keep_ends``, ``before`` and ``after`` are part of the stretch."""
    if len(before) < 8 or len(after) < 8:
        return None
    best, best_score = None, None
    reach = 2 * len(exact) + 64
    found = body.find(before)
    while found >= 0:
        start = found if keep_ends else found + len(before)
        after_at = body.find(after, found + len(before), found + len(before) + reach)
        if after_at >= 0:
            end = after_at + len(after) if keep_ends else after_at
            similarity = SequenceMatcher(None, exact, body[start:end], autojunk=False).ratio()
            score = (similarity, -abs(start - near) if near is not None else 0)
            if similarity >= MIN_SIMILARITY and (best_score is None or score > best_score):
                best, best_score = (start, end), score
        found = body.find(before, found + 1)
    return best


def _ends(exact: str) -> tuple[str, str]:
    """The quote's first and last few words (at most a third of it each)."""
    size = min(24, max(8, len(exact) // 3))
    return exact[:size], exact[-size:]


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])
