"""Glossary benchmark: filter latency per keystroke with 10,000 names in the store.

Run with ``make bench`` or ``QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_glossary.py``.
Prints medians against goals (OK / OVER); never fails on timing.

A generated 100-chapter work mentions 10,000 distinct numbered units ("the 1234th Rifle
Division"), imported and annotated as a reader's import would be. Each keystroke of "123rd art"
is timed as the pane does it: the FTS5 search, then `GlossaryModel.set_filter`. Goal: 16 ms
(median over the keystrokes). Loading the glossary, building the model, clearing the filter
and the pane's whole path per keystroke (debounce, filter, tree expanded and re-selected) are
printed for scale.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from _util import median_ms, report  # noqa: E402

from companion.store.glossary import glossary, search  # noqa: E402
from companion.store.importer import import_files  # noqa: E402
from companion.store.library import Store  # noqa: E402
from companion.ui.glossary import GlossaryModel, GlossaryPane  # noqa: E402
from companion.ui.qt import QApplication  # noqa: E402

ENTITIES = 10_000
CHAPTERS = 100
KEYSTROKES = ("1", "12", "123", "123r", "123rd", "123rd a", "123rd art")
FILTER_GOAL_MS = 16.0
REPEAT = 15
TYPES = ("Rifle Division", "Tank Brigade", "Infantry Regiment", "Artillery Battalion",
         "Mechanized Corps", "Guards Rifle Division", "Motor Rifle Regiment", "Mountain Brigade")
FILLER = (
    "The rain had not stopped since the morning.",
    "Supply columns moved slowly along the coast road.",
    "Nobody at headquarters expected an attack before the thaw.",
)


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def write_work(folder: Path) -> list[Path]:
    """Chapters in the export format; every unit name is distinct (number and type)."""
    rng = random.Random(35)
    per_chapter = ENTITIES // CHAPTERS
    paths = []
    for c in range(CHAPTERS):
        sentences = []
        for i in range(per_chapter):
            n = c * per_chapter + i + 1
            unit = f"{ordinal(n)} {TYPES[n % len(TYPES)]}"
            sentences.append(f"The {unit} held the line near the river.")
            if rng.random() < 0.2:
                sentences.append(rng.choice(FILLER))
        body = "\n\n".join(" ".join(sentences[k : k + 6]) for k in range(0, len(sentences), 6))
        path = folder / f"ch{c + 1:03d}.txt"
        path.write_text(
            f"{c + 1:03d} - Long Front - 1\n\n9000 10 1\n\nThe Front (March {c % 28 + 1}, 1941)"
            f"\n\n{body}\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = Store(folder / "bench.sqlite3")
        start = time.perf_counter()
        work = import_files(store, write_work(folder), title="Long Front").work_id
        print(f"import and annotate {CHAPTERS} chapters: {time.perf_counter() - start:.1f} s")
        entries = glossary(store, work)
        print(f"entities in the store: {len(entries)}")

        report("glossary load (10k)", median_ms(lambda: glossary(store, work), 5))
        model = GlossaryModel()
        report("model set_entries (10k)", median_ms(lambda: model.set_entries(entries), 5))

        medians = []
        for query in KEYSTROKES:
            def keystroke(query: str = query) -> None:
                model.set_filter(search(store, work, query))

            medians.append(median_ms(keystroke, REPEAT))
            shown = sum(model.rowCount(model.index(g, 0)) for g in range(model.rowCount()))
            report(f"  {query!r} ({shown} rows)", medians[-1])
        report("filter per keystroke (median)", statistics.median(medians), FILTER_GOAL_MS)
        cleared = median_ms(lambda: model.set_filter(search(store, work, "")), REPEAT)
        report("clear the filter (info)", cleared)

        pane = GlossaryPane()
        pane.resize(320, 800)
        pane.show()
        pane.set_work(store, work)
        pane.select_entity(entries[len(entries) // 2].id)
        app.processEvents()

        def type_all() -> None:
            for query in KEYSTROKES:
                pane.filter_edit.setText(query)
                app.processEvents()  # the debounce fires, the tree lays out

        whole = median_ms(type_all, 5) / len(KEYSTROKES)
        report("pane keystroke incl. tree (info)", whole)
        pane.set_work(None, None)
        pane.close()
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
