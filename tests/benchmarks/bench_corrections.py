"""Name corrections on a long serial: how long a rename, its undo and its redo take.

Run: ``python tests/benchmarks/bench_corrections.py`` (or ``make bench``). The ~3 MB serial of
``bench_annotate`` is imported into a temporary library; each correction is stored and the work
re-annotated as the order-of-battle pane does it. The names found in the text are kept from the
last annotation of the same texts, so a correction re-applies the corrections and rewrites the
stored names without finding every name again. Printed: medians against a full re-annotation
of the same work. Goal: a correction in at most half the time of a full re-annotation.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from _util import median_ms, report  # noqa: E402
from bench_annotate import make_text  # noqa: E402

from companion.core.names import Correction  # noqa: E402
from companion.store.importer import import_files  # noqa: E402
from companion.store.library import Store  # noqa: E402
from companion.store.names import (  # noqa: E402
    _last_recognition,
    add_corrections,
    annotate_stored_work,
    entities,
    remove_corrections,
    restore_corrections,
)


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="companion-bench-"))
    chapters = make_text(3_000_000)
    for number, body in chapters:
        (folder / f"ch{number:03}.txt").write_text(f"Chapter {number}\n\n{body}\n", "utf-8")
    with Store(folder / "library.sqlite3") as store:
        work = import_files(store, [folder]).work_id
        size = sum(len(body) for _, body in chapters) / 1e6
        units = sorted(e.name for e in entities(store, work) if e.kind == "unit")
        print(f"{len(chapters)} chapters, {size:.2f} MB, {len(units)} units")

        full = median_ms(
            lambda: annotate_stored_work(store, work), repeat=3, setup=_last_recognition.clear
        )
        report("full re-annotation", full)
        renames = iter(units)
        done: list = []

        def rename() -> None:
            old = next(renames)
            done.append(add_corrections(store, work, [Correction("rename", old, old + " X")]))

        correct = median_ms(rename, repeat=5)
        report("rename (stored, names rewritten)", correct, full / 2)
        undo = median_ms(lambda: remove_corrections(store, work, [done[-1][0].id]), repeat=1,
                         warmup=0)
        redo = median_ms(lambda: restore_corrections(store, work, done[-1]), repeat=1, warmup=0)
        report("undo that rename", undo, full / 2)
        report("redo it", redo, full / 2)


if __name__ == "__main__":
    main()
