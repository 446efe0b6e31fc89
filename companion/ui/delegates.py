"""Item delegates shared by the panes."""

from __future__ import annotations

from companion.ui.qt import (
    QAbstractTextDocumentLayout,
    QApplication,
    QColor,
    QModelIndex,
    QPalette,
    QSize,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTextDocument,
)


def item_colours(option: QStyleOptionViewItem) -> tuple[QColor, QColor]:
    """An item's text colour and its quieter colour (both the highlighted text's if selected)."""
    if option.state & QStyle.StateFlag.State_Selected:
        colour = option.palette.color(QPalette.ColorRole.HighlightedText)
        return colour, colour
    palette = option.palette
    return palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.PlaceholderText)


def draw_item_without_text(painter, option: QStyleOptionViewItem) -> QStyle:
    """Draw an item's background, focus and icon (not its text); return the style used."""
    option.text = ""
    style = option.widget.style() if option.widget else QApplication.style()
    style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
    return style


class RichTextDelegate(QStyledItemDelegate):
    """Draws an item as a rich text document (``document``), ``LINES`` lines high."""

    MARGIN = 4
    LINES = 3

    def document(self, option: QStyleOptionViewItem, index: QModelIndex) -> QTextDocument:
        """The item's text laid out in ``option.rect``; start from ``new_document``."""
        raise NotImplementedError

    def new_document(self, option: QStyleOptionViewItem) -> QTextDocument:
        """An empty document in the item's font, as wide as the item."""
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(self.MARGIN)
        doc.setTextWidth(option.rect.width())
        return doc

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        draw_item_without_text(painter, opt)
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, item_colours(opt)[0])
        doc = self.document(opt, index)  # kept alive while its layout draws
        painter.save()
        painter.translate(opt.rect.topLeft())
        painter.setClipRect(0, 0, opt.rect.width(), opt.rect.height())
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        return QSize(1, self.LINES * option.fontMetrics.lineSpacing() + 2 * self.MARGIN + 2)
