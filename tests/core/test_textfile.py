"""Reading chapter files safely: every bad input gets a one-line InputError naming the file."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from companion.core.textfile import MAX_CHAPTER_BYTES, InputError, decode_text, read_text_file

TEXT = "The 3rd Brigade crossed the Marl – at night.\n"


def error_for(path: Path) -> str:
    with pytest.raises(InputError) as info:
        read_text_file(path)
    message = str(info.value)
    assert "\n" not in message
    assert path.name in message
    return message


def write(tmp_path: Path, data: bytes, name: str = "chapter.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_plain_utf8(tmp_path):
    assert read_text_file(write(tmp_path, TEXT.encode())) == (TEXT, [])


def test_empty_file(tmp_path):
    assert "empty" in error_for(write(tmp_path, b""))


def test_whitespace_only_file_is_empty(tmp_path):
    assert "empty" in error_for(write(tmp_path, b"  \n\n\t \r\n"))


def test_png_bytes_are_binary(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4
    assert "binary" in error_for(write(tmp_path, png, "cover.png"))


def test_nul_bytes_are_binary(tmp_path):
    assert "binary" in error_for(write(tmp_path, b"Some text\x00\x00\x00more text"))


def test_control_characters_are_binary(tmp_path):
    assert "binary" in error_for(write(tmp_path, bytes(range(1, 32)) * 20))


def test_file_over_the_size_limit(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: nothing is written
    assert "too large" in error_for(path)


def test_bytes_over_the_size_limit():
    with pytest.raises(InputError, match="too large"):
        decode_text(b"a" * (MAX_CHAPTER_BYTES + 1), "big.txt")


def test_file_just_under_the_limit_is_read(tmp_path):
    line = b"word " * 19 + b"\n"
    data = line * (MAX_CHAPTER_BYTES // len(line))
    text, warnings = read_text_file(write(tmp_path, data))
    assert len(text) == len(data) and warnings == []


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(tmp_path, encoding):
    bom = codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE
    path = write(tmp_path, bom + TEXT.encode(encoding))
    assert read_text_file(path) == (TEXT, [])


def test_utf32_with_bom(tmp_path):
    assert read_text_file(write(tmp_path, TEXT.encode("utf-32"))) == (TEXT, [])


def test_utf8_bom_is_dropped(tmp_path):
    assert read_text_file(write(tmp_path, codecs.BOM_UTF8 + TEXT.encode())) == (TEXT, [])


def test_truncated_utf16_is_refused(tmp_path):
    message = error_for(write(tmp_path, codecs.BOM_UTF16_LE + "abc".encode("utf-16-le") + b"x"))
    assert "UTF-16" in message


def test_latin1_bytes_decode_with_a_warning(tmp_path):
    text = "Café Société, Müller’s brigade – 1942\n"
    path = write(tmp_path, text.encode("cp1252"))
    decoded, warnings = read_text_file(path)
    assert decoded == text
    assert len(warnings) == 1 and "chapter.txt" in warnings[0] and "UTF-8" in warnings[0]


def test_folder(tmp_path):
    folder = tmp_path / "chapters"
    folder.mkdir()
    assert "folder" in error_for(folder)


def test_missing_path(tmp_path):
    assert "cannot be read" in error_for(tmp_path / "nowhere.txt")
