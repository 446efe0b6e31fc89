"""Fixtures shared by every test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from companion.core.model import Chapter
from companion.core.parse import parse_chapter

SHARED_FIXTURES = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures"


@pytest.fixture
def shared_fixtures() -> Path:
    """The read-only fixtures in ../shared/fixtures; skips the test when they are absent."""
    if not (SHARED_FIXTURES / "seed-chapter-035.txt").is_file():
        pytest.skip("../shared/fixtures is absent")
    return SHARED_FIXTURES


@pytest.fixture
def seed_key(shared_fixtures: Path) -> dict:
    """The hand-checked answer key of the shared chapter (its gold JSON), read at run time."""
    return json.loads((shared_fixtures / "seed-chapter-035.gold.json").read_text(encoding="utf-8"))


@pytest.fixture
def seed_chapter(shared_fixtures: Path) -> Chapter:
    """The shared chapter, parsed; tests take the words they need from it, never copy them."""
    text = (shared_fixtures / "seed-chapter-035.txt").read_text(encoding="utf-8")
    return parse_chapter(text)


@pytest.fixture
def store(tmp_path: Path):
    """A library in a fresh SQLite file, closed after the test."""
    from companion.store.library import Store

    opened = Store(tmp_path / "library.sqlite3")
    yield opened
    opened.close()
