"""Military unit symbols (a simplified APP-6 / MIL-STD-2525 look) drawn with QPainter.

A symbol is a frame whose shape and fill say the affiliation (friend rectangle, hostile
diamond, neutral square, unknown quatrefoil), the echelon mark above it (I, II, XX, ...) and
a type icon inside (infantry ✕, armour oval, artillery dot, ...). Drawn in a 100 × 100 box
and scaled to the size asked for; pixmaps are cached and sharp on high-DPI screens.
`paint_symbol` draws the same vectors onto any painter (the PDF export uses it).
"""

from __future__ import annotations

from companion.core.oob import ECHELON_MARKS
from companion.ui.qt import (
    QApplication,
    QColor,
    QIcon,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QPointF,
    QRectF,
    Qt,
)

FILLS = {
    "friend": QColor("#80e0ff"),
    "hostile": QColor("#ff8080"),
    "neutral": QColor("#aaffaa"),
    None: QColor("#ffff80"),
}
ICON_SIZES = (16, 24, 28, 32, 48)
MARK_BAND = 32.0  # height of the echelon band above the frame, in the 100-unit box

_pixmaps: dict[tuple, QPixmap] = {}
_icons: dict[tuple, QIcon] = {}


def _affiliation(affiliation: str | None) -> str | None:
    return affiliation if affiliation in FILLS else None


def _ratio() -> float:
    app = QApplication.instance()
    return float(app.devicePixelRatio()) if app is not None else 1.0


def symbol_pixmap(
    affiliation: str | None,
    echelon: str | None,
    unit_type: str | None,
    size: int,
    dark: bool = False,
) -> QPixmap:
    """A ``size`` × ``size`` (device-independent pixels) symbol on a transparent background."""
    ratio = _ratio()
    key = (_affiliation(affiliation), echelon, unit_type, size, dark, ratio)
    pixmap = _pixmaps.get(key)
    if pixmap is None:
        pixmap = QPixmap(max(1, round(size * ratio)), max(1, round(size * ratio)))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        paint_symbol(painter, QRectF(0, 0, size, size), key[0], echelon, unit_type, dark)
        painter.end()
        _pixmaps[key] = pixmap
    return pixmap


def symbol_icon(
    affiliation: str | None,
    echelon: str | None,
    unit_type: str | None,
    dark: bool = False,
) -> QIcon:
    """The symbol as an icon, with a pixmap drawn for each common size."""
    key = (_affiliation(affiliation), echelon, unit_type, dark, _ratio())
    icon = _icons.get(key)
    if icon is None:
        icon = QIcon()
        for size in ICON_SIZES:
            icon.addPixmap(symbol_pixmap(affiliation, echelon, unit_type, size, dark))
        _icons[key] = icon
    return icon


def paint_symbol(
    painter: QPainter,
    rect: QRectF,
    affiliation: str | None,
    echelon: str | None,
    unit_type: str | None,
    dark: bool = False,
) -> None:
    """Draw a symbol as vectors into ``rect`` of any painter (a pixmap, an image, a PDF page).

    Lines are about 1.5 device units thick on a pixmap; on a fine device such as a PDF page
    they keep the least thickness `draw_symbol` allows (3.5 % of the box).
    """
    painter.save()
    painter.translate(rect.topLeft())
    painter.scale(rect.width() / 100.0, rect.height() / 100.0)
    pen_scale = 100.0 / max(rect.width(), 1e-6)
    draw_symbol(painter, _affiliation(affiliation), echelon, unit_type, dark, pen_scale)
    painter.restore()


def frame_path(affiliation: str | None) -> tuple[QPainterPath, QRectF]:
    """The frame's outline and the box inside it where the type icon goes."""
    path = QPainterPath()
    cx, cy = 50.0, (MARK_BAND + 100) / 2
    if affiliation == "friend":  # rectangle, about 3 : 2
        box = QRectF(3, cy - 29, 94, 58)
        path.addRect(box)
        return path, box
    if affiliation == "hostile":  # diamond
        r = 33.0
        path.moveTo(cx, cy - r)
        path.lineTo(cx + r, cy)
        path.lineTo(cx, cy + r)
        path.lineTo(cx - r, cy)
        path.closeSubpath()
        return path, QRectF(cx - r / 2, cy - r / 2, r, r)
    if affiliation == "neutral":  # square
        box = QRectF(cx - 30, cy - 30, 60, 60)
        path.addRect(box)
        return path, box
    r = 16.0  # unknown: quatrefoil, four overlapping circles
    for dx, dy in ((0, -1), (1, 0), (0, 1), (-1, 0)):
        lobe = QPainterPath()
        lobe.addEllipse(QPointF(cx + dx * r * 0.95, cy + dy * r * 0.95), r, r)
        path = path.united(lobe)
    return path, QRectF(cx - r, cy - r, 2 * r, 2 * r)


def draw_symbol(
    painter: QPainter,
    affiliation: str | None,
    echelon: str | None,
    unit_type: str | None,
    dark: bool = False,
    pen_scale: float = 1.0,
) -> None:
    """Draw a symbol into the 100 × 100 box of ``painter``'s coordinates.

    ``pen_scale`` is how many box units one device-independent pixel is, so that lines stay
    about as thick in pixels at every size.
    """
    ink = QColor("#f0f0f0") if dark else QColor("#000000")
    line = max(3.5, 1.5 * pen_scale)
    path, box = frame_path(affiliation)
    painter.setPen(QPen(ink, line))
    painter.setBrush(FILLS[affiliation])
    painter.drawPath(path)
    painter.save()
    painter.setClipPath(path)
    _draw_type(painter, unit_type, box, line)
    painter.restore()
    mark = ECHELON_MARKS.get(echelon or "")
    if mark:
        _draw_mark(painter, mark, ink, max(5.0, 2.0 * pen_scale))


def _draw_type(painter: QPainter, unit_type: str | None, box: QRectF, line: float) -> None:
    black = QColor("#000000")
    painter.setPen(QPen(black, line, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    cx, cy, w, h = box.center().x(), box.center().y(), box.width(), box.height()
    if unit_type in ("infantry", "mechanized"):
        painter.drawLine(box.topLeft(), box.bottomRight())
        painter.drawLine(box.bottomLeft(), box.topRight())
    if unit_type in ("armour", "mechanized"):
        oval = QRectF(cx - w * 0.32, cy - h * 0.24, w * 0.64, h * 0.48)
        painter.drawRoundedRect(oval, oval.height() / 2, oval.height() / 2)
    elif unit_type == "artillery":
        painter.setBrush(black)
        r = min(w, h) * 0.18
        painter.drawEllipse(QPointF(cx, cy), r, r)
    elif unit_type == "aviation":  # a propeller: two blades meeting at the centre
        painter.setBrush(black)
        dx, dy = min(w * 0.34, h * 0.5), h * 0.24
        bow = QPainterPath(QPointF(cx - dx, cy - dy))
        bow.lineTo(cx + dx, cy + dy)
        bow.lineTo(cx + dx, cy - dy)
        bow.lineTo(cx - dx, cy + dy)
        bow.closeSubpath()
        painter.drawPath(bow)
    elif unit_type == "naval":  # an anchor
        top, bottom, arm = cy - h * 0.34, cy + h * 0.3, min(w, h) * 0.3
        painter.drawLine(QPointF(cx, top), QPointF(cx, bottom))
        painter.drawLine(QPointF(cx - arm * 0.55, top + h * 0.14),
                         QPointF(cx + arm * 0.55, top + h * 0.14))
        bowl = QRectF(cx - arm, bottom - 1.6 * arm, 2 * arm, 1.6 * arm)
        painter.drawArc(bowl, 180 * 16, 180 * 16)


_GLYPH_WIDTH = {"X": 0.72, "I": 0.3, "●": 0.45, "Ø": 0.7}


def _draw_mark(painter: QPainter, mark: str, ink: QColor, line: float) -> None:
    """The echelon mark centred above the frame, drawn as strokes so it stays crisp."""
    height = MARK_BAND - 5
    gap = height * 0.32
    widths = [_GLYPH_WIDTH.get(c, 0.7) * height for c in mark]
    total = sum(widths) + gap * (len(mark) - 1)
    if total > 96:  # a long mark (XXXXX) gets narrower glyphs
        scale = 96 / total
        widths, gap, total = [w * scale for w in widths], gap * scale, 96.0
    x = 50 - total / 2
    top, bottom = MARK_BAND - 1 - height, MARK_BAND - 1
    painter.setPen(QPen(ink, line, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
    for char, width in zip(mark, widths, strict=True):
        if char == "X":
            painter.drawLine(QPointF(x, top), QPointF(x + width, bottom))
            painter.drawLine(QPointF(x, bottom), QPointF(x + width, top))
        elif char == "I":
            painter.drawLine(QPointF(x + width / 2, top), QPointF(x + width / 2, bottom))
        elif char == "●":
            painter.setBrush(ink)
            painter.drawEllipse(QRectF(x, bottom - width, width, width))
            painter.setBrush(Qt.BrushStyle.NoBrush)
        else:  # Ø: a team
            painter.drawEllipse(QRectF(x, top + (height - width) / 2, width, width))
            painter.drawLine(QPointF(x + width, top), QPointF(x, bottom))
        x += width + gap
