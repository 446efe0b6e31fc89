"""PDF export benchmark: a 2,000-entity glossary written as a PDF.

Run with ``make bench`` or ``QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_pdf.py``.
Prints medians against goals (OK / OVER); never fails on timing.

The glossary is generated: 40 nations, each with an armed force, armies, corps, divisions and
regiments (1,880 units in all, a deep order of battle), and 80 places and terms; every third
entry has a reader's description of about 60 words and every tenth unit a note. Goal: the whole
export (typesetting, drawing, outline, rename) in 5 s. The layout and the pypdf outline pass
are printed for scale.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from _util import median_ms, report  # noqa: E402

from companion.core.oob import build_oob  # noqa: E402
from companion.export.content import KINDS, GlossaryContent, NoteRef  # noqa: E402
from companion.export.pdf import _add_outline, export_glossary_pdf  # noqa: E402
from companion.store.glossary import GlossaryEntry  # noqa: E402
from companion.ui.qt import QApplication  # noqa: E402

GOAL_S = 5.0
TOTAL, NATIONS, UNITS_PER_NATION = 2000, 40, 47
OTHERS = TOTAL - NATIONS * (1 + UNITS_PER_NATION)  # places and terms
WORDS = ("the", "corps", "held", "river", "line", "until", "relieved", "by", "reserve",
         "armour", "after", "heavy", "losses", "in", "winter", "offensive")
ECHELONS = ("army", "corps", "division", "regiment")
ARMS = ("Rifle", "Tank", "Artillery", "Mechanized", "Infantry", "Mountain")


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def describe(i: int) -> str:
    return " ".join(WORDS[(i * 7 + k) % len(WORDS)] for k in range(60)).capitalize() + "."


def make_content() -> GlossaryContent:
    entries: list[GlossaryEntry] = []

    def add(name, kind, echelon=None, parent=None, side=None) -> None:
        i = len(entries)
        entries.append(GlossaryEntry(i, name, kind, echelon, (), parent, side, 1 + i % 50,
                                     1 + i % 17, describe(i) if i % 3 == 0 else ""))

    nations = [f"Republic of Nation {n}" for n in range(NATIONS)]
    for nation in nations:
        add(nation, "nation")
    per_nation = UNITS_PER_NATION
    count = 0
    for n, nation in enumerate(nations):
        force = f"Armed Forces of Nation {n}"
        add(force, "unit", "armed force", None, nation)
        count += 1
        parents = [force]
        made = 1
        while made < per_nation:
            level = min(len(parents) - 1, len(ECHELONS) - 1)
            echelon = ECHELONS[level]
            name = f"{ordinal(count)} {ARMS[count % len(ARMS)]} {echelon.capitalize()}"
            add(name, "unit", echelon, parents[-1 if made % 3 else max(0, len(parents) - 2)])
            if len(parents) < len(ECHELONS) + 1:
                parents.append(name)
            elif made % 5 == 0:
                parents = parents[:2]
            made += 1
            count += 1
    for i in range(OTHERS):
        add(f"Place or Term {i}", "place" if i % 2 else "term")
    tree = build_oob(entries)
    side_of = {node.label: node.side for root in tree for node in root.walk() if node.side}
    notes = {e.name: [NoteRef(e.first_chapter or 1, f"the {e.name} crossed the river",
                              "check the map")] for e in entries[::10] if e.kind == "unit"}
    return GlossaryContent("Long Front", "All chapters", None, KINDS, entries, tree,
                           {nations[0]: "friend", nations[1]: "hostile"}, side_of, {}, True,
                           notes)


def main() -> int:
    QApplication.instance() or QApplication(sys.argv[:1])
    start = time.perf_counter()
    content = make_content()
    print(f"generated {len(content.entries)} entities in {time.perf_counter() - start:.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "glossary.pdf"
        result = export_glossary_pdf(content, out)
        size = out.stat().st_size / 1e6
        print(f"{result.pages} pages, {len(result.sections)} sections, {size:.1f} MB")
        whole = median_ms(lambda: export_glossary_pdf(content, out), 3) / 1000.0
        report("export 2,000 entities", whole, GOAL_S, "s")
        data = out.read_bytes()

        def outline_only() -> None:
            copy = Path(tmp) / "copy.pdf"
            copy.write_bytes(data)
            _add_outline(str(copy), [("Nations", 0), ("Units A–Z", 1)])

        report("  of which the outline pass (info)", median_ms(outline_only, 3))
    return 0


if __name__ == "__main__":
    sys.exit(main())
