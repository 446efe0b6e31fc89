"""EPUB import benchmark: a generated 400-chapter, ~3 MB EPUB read, stored and annotated.

Run with ``make bench`` or ``python tests/benchmarks/bench_epub.py``. Prints times against
goals (OK / OVER); never fails on timing. Times `read_source` alone (unzip, safety checks,
HTML to chapters), then `import_files` (read + store + annotate, one transaction) into a
fresh database, and prints the process's peak RSS. Goals: import + annotation <= 10 s, peak
RSS <= 300 MB.
"""

from __future__ import annotations

import random
import resource
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from _util import median_ms, report  # noqa: E402

from companion.core.sources import read_source  # noqa: E402

CHAPTERS = 400
TARGET_BYTES = 3_000_000
IMPORT_GOAL_S = 10.0
RSS_GOAL_MB = 300.0
UNITS = ["3rd Shock Army", "12th Panzer Division", "1st Guards Tank Brigade",
         "XXX Corps", "101st Airborne Division", "7th Rifle Regiment", "2nd Marine Battalion"]
PEOPLE = ["General Harlan", "Colonel Voss", "Major Kessler", "Captain Ostrov", "Lieutenant Lind"]
PLACES = ["Kharkov", "the Dnieper", "Arnhem", "Kursk", "the Donets", "Minsk", "Orel"]
FILLER = [
    "The weather had turned, and the roads were mud for most of the week.",
    "Supplies came forward slowly, and the men slept where they could.",
    "By noon the artillery had fallen silent, and the staff officers argued over the maps.",
    "It was a question of fuel, of ammunition and of time, and none of the three could wait.",
    "In the evening the rain stopped and the columns moved again under a low grey sky.",
]


def chapter_xhtml(n: int, rng: random.Random, size: int) -> str:
    parts = [f"<h2>Chapter {n}: {rng.choice(PLACES).title()}</h2>",
             f"<h3>{rng.choice(PLACES)}, {n % 28 + 1} March 1942</h3>"]
    length = 0
    notes = 0
    while length < size:
        sentences = []
        for _ in range(5):
            if rng.random() < 0.5:
                sentences.append(f"The {rng.choice(UNITS)} reached {rng.choice(PLACES)} "
                                 f"under {rng.choice(PEOPLE)}.")
            else:
                sentences.append(rng.choice(FILLER))
        text = " ".join(sentences)
        if rng.random() < 0.1:
            notes += 1
            text += f'<a epub:type="noteref" href="#n{notes}">{notes}</a>'
        paragraph = f"<p>{text}</p>"
        if rng.random() < 0.05:
            paragraph += "<hr/>"
        parts.append(paragraph)
        length += len(paragraph)
    parts.extend(
        f'<aside epub:type="footnote" id="n{i}"><p>Note {i}: the {rng.choice(UNITS)}.</p>'
        "</aside>"
        for i in range(1, notes + 1)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
        f"<head><title>Chapter {n}</title></head><body>{''.join(parts)}</body></html>"
    )


def write_book(path: Path) -> int:
    """Write the generated EPUB; returns its uncompressed text size in bytes."""
    rng = random.Random(7)
    per_chapter = TARGET_BYTES // CHAPTERS
    items, refs, points, total = [], [], [], 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        z.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0"?><container version="1.0" '
            'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
            '<rootfile full-path="OEBPS/content.opf" '
            'media-type="application/oebps-package+xml"/></rootfiles></container>',
        )
        for n in range(1, CHAPTERS + 1):
            text = chapter_xhtml(n, rng, per_chapter)
            total += len(text.encode("utf-8"))
            z.writestr(f"OEBPS/ch{n:04d}.xhtml", text)
            items.append(f'<item id="c{n}" href="ch{n:04d}.xhtml" '
                         'media-type="application/xhtml+xml"/>')
            refs.append(f'<itemref idref="c{n}"/>')
            points.append(f'<li><a href="ch{n:04d}.xhtml">Chapter {n}</a></li>')
        z.writestr(
            "OEBPS/nav.xhtml",
            '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml" '
            'xmlns:epub="http://www.idpf.org/2007/ops"><body><nav epub:type="toc"><ol>'
            + "".join(points) + "</ol></nav></body></html>",
        )
        z.writestr(
            "OEBPS/content.opf",
            '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
            '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
            "<dc:title>Bench Front</dc:title><dc:creator>Bench Writer</dc:creator></metadata>"
            '<manifest><item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" '
            f'properties="nav"/>{"".join(items)}</manifest><spine>{"".join(refs)}</spine>'
            "</package>",
        )
    return total


def peak_rss_mb() -> float:
    """Peak resident set size of this process (ru_maxrss is KB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (2**20 if sys.platform == "darwin" else 1024)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        book = folder / "bench.epub"
        size = write_book(book)
        print(f"generated {CHAPTERS} chapters, {size / 1e6:.1f} MB of XHTML, "
              f"{book.stat().st_size / 1e6:.2f} MB zipped", flush=True)
        work = read_source(book)
        words = sum(len(c.body.split()) for c in work.chapters)
        notes = sum(len(c.footnotes) for c in work.chapters)
        print(f"read: {len(work.chapters)} chapters, {words} words, {notes} footnotes")
        report("read_source (EPUB -> chapters)", median_ms(lambda: read_source(book), 3) / 1000,
               unit="s")
        try:
            from companion.store.importer import import_files
            from companion.store.library import Store
        except ImportError as exc:  # the store is not there: report the read alone
            print(f"import_files skipped ({exc})")
        else:
            store = Store(folder / "bench.sqlite3")
            start = time.perf_counter()
            result = import_files(store, [book])
            elapsed = time.perf_counter() - start
            store.close()
            print(f"imported {len(result.added)} chapters")
            report("import_files (read+store+annotate)", elapsed, IMPORT_GOAL_S, unit="s")
        report("peak RSS", peak_rss_mb(), RSS_GOAL_MB, unit="MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
