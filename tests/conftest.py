"""Fixtures shared by every test."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_FIXTURES = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures"


@pytest.fixture
def shared_fixtures() -> Path:
    """The read-only fixtures in ../shared/fixtures; skips the test when they are absent."""
    if not (SHARED_FIXTURES / "seed-chapter-035.txt").is_file():
        pytest.skip("../shared/fixtures is absent")
    return SHARED_FIXTURES
