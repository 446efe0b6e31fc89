"""Where the bundled resources and migrations live, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The folder ``resources`` or ``db``: inside the package when installed from a wheel,
    at the top of the checkout when installed in editable mode."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"Companion's {name!r} folder is missing from the installation")


def sample_serial() -> list[Path]:
    """The bundled sample serial's chapter files, in reading order."""
    return sorted((data_dir("resources") / "sample").glob("ch*.txt"))
