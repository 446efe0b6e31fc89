"""Render the app icon's PNG sizes (hicolor layout) from its SVG, with Qt's SVG renderer.

    .venv/bin/python packaging/render_icons.py

The master is icons/hicolor/scalable/apps/ID.svg; 16 px is drawn on its own pixel grid
(icons/companion-16.svg), where the master's detail would blur. Also copies the master to
resources/icons/companion.svg (the window icon the app loads) with the 16 px PNG beside it.
The PNGs are committed; run this again after editing either SVG.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

APP_ID = "io.github.companion_reader.Companion"
SIZES = (16, 32, 48, 64, 128, 256)
HERE = Path(__file__).resolve().parent
HICOLOR = HERE / "icons" / "hicolor"
MASTER = HICOLOR / "scalable" / "apps" / f"{APP_ID}.svg"
SMALL = HERE / "icons" / "companion-16.svg"
RUNTIME = HERE.parent / "resources" / "icons"


def render(svg: Path, size: int, out: Path) -> None:
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        sys.exit(f"render_icons: {svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(out), "PNG"):
        sys.exit(f"render_icons: could not write {out}")
    print(f"{out.relative_to(HERE.parent)}")


def main() -> int:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841
    for size in SIZES:
        out = HICOLOR / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        render(SMALL if size == 16 else MASTER, size, out)
    RUNTIME.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(MASTER, RUNTIME / "companion.svg")
    shutil.copyfile(HICOLOR / "16x16" / "apps" / f"{APP_ID}.png", RUNTIME / "companion-16.png")
    print("resources/icons/companion.svg, resources/icons/companion-16.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
