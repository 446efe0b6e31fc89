"""The window's name corrections: the entries on a name in the text and in the glossary, and
the Name Corrections list."""

from __future__ import annotations

from companion.core.names import Correction
from companion.store.glossary import glossary
from companion.store.names import entity_by_id
from companion.ui.corrections import CorrectionsDialog, add_name_actions, ask_new_name
from companion.ui.qt import QMenu


def entity_of(href: str) -> int | None:
    """The entity id of a name link ``ent:ID@START``."""
    if not href.startswith("ent:"):
        return None
    ident = href[4:].split("@", 1)[0]
    return int(ident) if ident.isdigit() else None


class NamesMixin:
    """Name corrections for ``MainWindow``, which gives ``store``, ``work_id``, ``scope()``,
    the ``oob`` pane (whose model stores the edits on ``undo_stack``), ``select_entity`` and
    ``refresh_names``."""

    _corrections: CorrectionsDialog | None = None

    def name_menu(self, parent: QMenu, href: str) -> QMenu | None:
        """A submenu of ``parent`` with the corrections of the name linked by ``href``."""
        entity_id = entity_of(href)
        if entity_id is None or self.work_id is None:
            return None
        entity = entity_by_id(self.store, entity_id)
        if entity is None:
            return None
        menu = QMenu(f"Correct “{entity.name}”", parent)
        self.add_name_entries(menu, entity_id)
        return menu

    def add_name_entries(self, menu: QMenu, entity_id: int) -> None:
        """Append the corrections of one name (rename, merge, alias, not a name; for a unit
        also side and echelon) to ``menu``."""
        entity = entity_by_id(self.store, entity_id) if self.work_id is not None else None
        if entity is None:
            return
        oob = self.oob.model

        def same_kind() -> list[str]:
            if entity.kind == "unit":
                return oob.unit_names()
            entries = glossary(self.store, self.work_id, self.scope())
            return sorted((e.name for e in entries if e.kind == entity.kind), key=str.casefold)

        add_name_actions(
            menu, entity.name, entity.kind, self,
            lambda fixes, show: oob.apply(fixes, entity=show),
            same_kind, oob.nations, entity.side, entity.echelon,
        )

    def rename_selected(self) -> None:
        """Edit → Rename Selected Name… (F2): a new name for the name selected last."""
        entity = None
        if self.work_id is not None and self.selected_entity is not None:
            entity = entity_by_id(self.store, self.selected_entity)
        if entity is None:
            self.statusBar().showMessage("Select a name first: click it in the text or a pane.",
                                         4000)
            return
        new = ask_new_name(self, entity.name)
        if new:
            self.oob.model.apply([Correction("rename", entity.name, new)], entity=new)

    def show_corrections(self) -> None:
        """Edit → Name Corrections…: the work's corrections, any of which can be taken back."""
        if self.work_id is None:
            return
        dialog = self._corrections
        if dialog is None or dialog.work_id != self.work_id:
            if dialog is not None:
                dialog.close()
            dialog = self._corrections = CorrectionsDialog(
                self.store, self.work_id, self.undo_stack, self.refresh_names, self
            )
        dialog.refresh()
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
