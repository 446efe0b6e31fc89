"""Imports on a worker thread: the result arrives by signal; Cancel and errors change nothing."""

from __future__ import annotations

import sqlite3

import pytest

from companion.resources import sample_serial
from companion.store.library import Store
from companion.ui.import_worker import ImportWorker, start_import
from companion.ui.qt import QThread

pytestmark = pytest.mark.gui


def rows(db) -> list:
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return [sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables]


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "library.sqlite3"
    Store(path).close()
    return path


def test_import_on_a_worker_thread(qtbot, db):
    worker, thread = start_import(db, sample_serial(), None)
    with qtbot.waitSignal(worker.finished, timeout=30000) as done:
        pass
    qtbot.waitUntil(thread.isFinished)
    outcome = done.args[0]
    assert outcome.error is None and not outcome.cancelled
    assert len(outcome.result.added) == 4
    with Store(db) as store:
        assert store.works()[0].chapters == 4


def test_a_bad_file_reports_and_changes_nothing(qtbot, db, tmp_path):
    before = rows(db)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    worker, thread = start_import(db, [*sample_serial(), empty], None)
    with qtbot.waitSignal(worker.finished, timeout=30000) as done:
        pass
    qtbot.waitUntil(thread.isFinished)
    assert "empty" in done.args[0].error
    assert rows(db) == before


def test_cancel_leaves_the_library_as_it_was(qtbot, db):
    before = rows(db)
    thread = QThread()
    worker = ImportWorker(db, sample_serial())
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    worker.finished.connect(thread.quit)
    worker.cancel()
    with qtbot.waitSignal(worker.finished, timeout=30000) as done:
        thread.start()
    qtbot.waitUntil(thread.isFinished)
    assert done.args[0].cancelled
    assert rows(db) == before
