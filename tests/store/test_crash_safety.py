"""Nothing the reader saw saved is lost when the app is killed mid-write."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from companion.resources import sample_serial
from companion.store.importer import import_files
from companion.store.library import Store

WRITER = """
import sys
from companion.store.library import Store
from companion.store.notes import add_highlight, update_mark

store = Store(sys.argv[1])
work = store.works()[0].id
n = int(sys.argv[2])
while True:
    mark = add_highlight(store, work, 1, 10, 60, note=f"note {n}")
    update_mark(store, mark.id, note=f"note {n} edited")
    print(mark.uuid, flush=True)  # reported only once committed
    n += 1
"""

KILLS = 50


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_notes_survive_sigkill_at_random_moments(tmp_path):
    db = tmp_path / "library.sqlite3"
    with Store(db) as store:
        import_files(store, sample_serial()[:1])
    rng = random.Random(35)
    reported: list[str] = []
    for kill in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db), str(kill * 10_000)],
            stdout=subprocess.PIPE,
            text=True,
        )
        first = child.stdout.readline()  # wait until it is writing
        assert first, "the writer did not start"
        reported.append(first.split()[0])
        time.sleep(rng.uniform(0.0, 0.05))  # a random moment inside its write loop
        os.kill(child.pid, signal.SIGKILL)
        out, _ = child.communicate()
        reported += [line.split()[0] for line in out.splitlines() if line.strip()]

    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        saved = {row[0] for row in conn.execute("SELECT uuid FROM annotations")}
        edited = {
            row[0] for row in conn.execute("SELECT uuid FROM annotations WHERE note LIKE '%edited'")
        }
    finally:
        conn.close()
    assert set(reported) <= saved
    assert set(reported) <= edited
    assert len(reported) >= KILLS
