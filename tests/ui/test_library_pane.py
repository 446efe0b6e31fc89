"""The library pane lists works with their progress and opens the one chosen."""

from __future__ import annotations

import pytest
from PySide6.QtTest import QAbstractItemModelTester

from companion.resources import sample_serial
from companion.store.importer import import_files
from companion.store.library import Store
from companion.ui.library import LibraryPane
from companion.ui.qt import DECORATION_ROLE, USER_ROLE

pytestmark = pytest.mark.gui


def test_works_with_progress_and_choosing_one(qtbot, tmp_path):
    store = Store(tmp_path / "library.sqlite3")
    try:
        work = import_files(store, sample_serial()).work_id
        other = tmp_path / "other.txt"
        other.write_text("Chapter 1: Alone\n\nThe 5th Rifle Brigade waited.\n", encoding="utf-8")
        import_files(store, [other], title="Another Story")
        store.mark_read(store.chapters(work)[0].id)

        pane = LibraryPane()
        qtbot.addWidget(pane)
        QAbstractItemModelTester(pane.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
        pane.set_store(store, current=work)
        model = pane.model
        assert model.rowCount() == 2
        titles = [model.index(r).data().split("\n")[0] for r in range(2)]
        assert titles == ["Another Story", "The Amber Coast Campaign"]
        amber = model.index(1)
        assert "1/4 chapters read" in amber.data()
        assert not amber.data(DECORATION_ROLE).isNull()
        assert pane.view.currentIndex() == amber
        with qtbot.waitSignal(pane.workChosen, timeout=2000) as chosen:
            pane.view.activated.emit(model.index(0))
        assert chosen.args == [model.index(0).data(USER_ROLE)]
    finally:
        store.close()
