"""Imports on a pool thread: the outcome arrives by signal; Cancel and errors change nothing."""

from __future__ import annotations

import sqlite3

import pytest

from companion.resources import sample_serial
from companion.store.library import Store
from companion.ui.import_worker import ImportJob

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


def run_job(qtbot, job: ImportJob):
    with qtbot.waitSignal(job.finished, timeout=30000) as done:
        job.start()
    return done.args[0]


def test_import_on_a_pool_thread(qtbot, db):
    outcome = run_job(qtbot, ImportJob(db, sample_serial()))
    assert outcome.error is None and not outcome.cancelled
    assert len(outcome.result.added) == 4
    with Store(db) as store:
        assert store.works()[0].chapters == 4


def test_a_bad_file_reports_and_changes_nothing(qtbot, db, tmp_path):
    before = rows(db)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    outcome = run_job(qtbot, ImportJob(db, [*sample_serial(), empty]))
    assert "empty" in outcome.error
    assert rows(db) == before


def test_cancel_leaves_the_library_as_it_was(qtbot, db):
    before = rows(db)
    job = ImportJob(db, sample_serial())
    job.cancel()
    assert run_job(qtbot, job).cancelled
    assert rows(db) == before
