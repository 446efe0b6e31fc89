"""Reading chapter files safely: size limit, binary refusal, encoding detection."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

MAX_CHAPTER_BYTES = 8 * 1024 * 1024  # a long web-serial chapter is well under 1 MB
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")  # control characters but \t\n\f\r


class InputError(Exception):
    """A file the reader gave us cannot be used; the message says why, in one line."""


def decode_text(
    data: bytes, name: str = "file", *, limit: int = MAX_CHAPTER_BYTES
) -> tuple[str, list[str]]:
    """Decode chapter bytes to text, returning the text and any warnings.

    UTF-8 (with or without BOM) and UTF-16/32 with a BOM are decoded as declared; other
    bytes fall back to Windows-1252 with a warning. Empty, binary or oversized input raises
    :class:`InputError`; ``limit`` is the size limit in bytes.
    """
    if len(data) > limit:
        raise _too_large(name, len(data), limit)
    warnings: list[str] = []
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                reason = f"not valid {encoding.upper()} text ({exc.reason})"
                raise InputError(f"{name}: {reason}") from None
            break
    else:
        if b"\x00" in data:
            raise InputError(f"{name}: binary data, not a text chapter")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
            warnings.append(f"{name}: not UTF-8; read as Windows-1252 (Latin-1)")
    if _looks_binary(text):
        raise InputError(f"{name}: binary data, not a text chapter")
    if not text.strip():
        raise InputError(f"{name}: empty file, no chapter text")
    return text, warnings


def read_text_file(path: str | Path) -> tuple[str, list[str]]:
    """Read a chapter file from disk; see :func:`decode_text`."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_CHAPTER_BYTES:
            raise _too_large(p.name, size)
        data = p.read_bytes()
    except IsADirectoryError:
        raise InputError(f"{p}: is a folder, not a chapter file") from None
    except OSError as exc:
        raise InputError(f"{p}: cannot be read ({exc.strerror or exc})") from None
    return decode_text(data, p.name)


def _too_large(name: str, size: int, limit: int = MAX_CHAPTER_BYTES) -> InputError:
    return InputError(
        f"{name}: too large for a chapter ({size / 2**20:.1f} MB; "
        f"the limit is {limit // 2**20} MB)"
    )


def _looks_binary(text: str) -> bool:
    """True when control characters make up more than 1% of the first 64 KB."""
    sample = text[:65536]
    return len(_CONTROLS.findall(sample)) > max(8, len(sample) // 100)
