"""Order-of-battle benchmark: building the tree model for 2,000 units.

Run with ``make bench`` or ``QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_oob.py``.
Prints medians against the goal (OK / OVER); never fails on timing.

A work with 3 nations and 2,000 units (armed forces → corps → divisions → brigades →
battalions, some without a parent or a side) is stored in a temporary library; the model is
rebuilt from the store (glossary query, tree, rows) as ``OobModel.refresh`` does it.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from _util import median_ms, report

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from companion.core.model import Chapter  # noqa: E402
from companion.core.oob import build_oob  # noqa: E402
from companion.store.glossary import glossary, sibling_order  # noqa: E402
from companion.store.library import Store  # noqa: E402
from companion.ui.oob import OobModel, OobPane  # noqa: E402
from companion.ui.qt import QApplication  # noqa: E402

UNITS = 2_000
GOAL_MS = 100.0
REPEAT = 15
NATIONS = ("Kingdom of Varnia", "Aurelian Republic", "Northern Federation")
LADDER = ("corps", "division", "brigade", "battalion")
ARMS = ("Infantry", "Armoured", "Mechanized", "Artillery", "Rifle", "Mountain")


def make_work(store: Store) -> int:
    """A stored work whose entities form a 2,000-unit order of battle."""
    chapter = Chapter(body="The war began.", number=1, title="One")
    work = store.import_chapters("Benchmark", [(chapter, None)]).work_id
    rows = [(name, "nation", None, None, None) for name in NATIONS]
    parents: dict[int, list[str]] = {0: []}
    for side in NATIONS:
        force = f"{side} Armed Forces"
        rows.append((force, "unit", "armed force", None, side))
        parents[0].append(force)
    for i in range(UNITS - len(NATIONS)):
        level = 1 + i % len(LADDER)
        echelon = LADDER[level - 1]
        name = f"{i + 1}th {ARMS[i % len(ARMS)]} {echelon.title()}"
        above = parents.get(level - 1) or parents[0]
        parent = None if i % 17 == 0 else above[i % len(above)]
        side = NATIONS[i % 3] if i % 29 else None
        rows.append((name, "unit", echelon, parent, side))
        parents.setdefault(level, []).append(name)
    with store.db.atomic():
        for name, kind, echelon, parent, side in rows:
            store.db.execute(
                "INSERT INTO entities (work_id, name, kind, echelon, parent, side, first_chapter)"
                " VALUES (?, ?, ?, ?, ?, ?, 1)",
                [work, name, kind, echelon, parent, side],
            )
    return work


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "library.sqlite3")
        work = make_work(store)
        model = OobModel()
        model.set_work(store, work)
        units = sum(1 for r in model._rows if r.node.kind == "unit")
        print(f"order of battle: {units} units, {len(model._rows)} rows")
        entries = glossary(store, work)
        report("glossary query (2,000 units)", median_ms(lambda: glossary(store, work), REPEAT))
        report(
            "build_oob (2,000 units)",
            median_ms(lambda: build_oob(entries, sibling_order(store, work)), REPEAT),
        )
        report("tree model build (2,000 units)", median_ms(model.refresh, REPEAT), GOAL_MS)
        pane = OobPane()
        pane.set_work(store, work)
        report("pane refresh, tree expanded", median_ms(pane.refresh, REPEAT))
        pane.deleteLater()
        store.close()
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
