"""Back and forward through the places the reader jumped from."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    """A reading place: a chapter and how far down it the view was."""

    chapter_id: int
    scroll: float


class History:
    """Browser-style history: ``push`` before a jump, then ``back`` and ``forward``."""

    def __init__(self, limit: int = 100):
        self._back: list[Place] = []
        self._forward: list[Place] = []
        self._limit = limit

    def push(self, place: Place) -> None:
        """Remember where the reader was before a jump; forgets the forward places."""
        if not self._back or self._back[-1] != place:
            self._back.append(place)
            del self._back[: -self._limit]
        self._forward.clear()

    def back(self, current: Place) -> Place | None:
        """The place before ``current``, if any (``current`` becomes a forward place)."""
        if not self._back:
            return None
        self._forward.append(current)
        return self._back.pop()

    def forward(self, current: Place) -> Place | None:
        """The place ``back`` left, if any."""
        if not self._forward:
            return None
        self._back.append(current)
        return self._forward.pop()

    def can_go_back(self) -> bool:
        return bool(self._back)

    def can_go_forward(self) -> bool:
        return bool(self._forward)
