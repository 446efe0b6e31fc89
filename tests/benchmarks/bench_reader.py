"""Reader benchmarks: opening a long chapter, and cold start to the first painted chapter.

Run with ``make bench`` or ``QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_reader.py``.
Prints medians and ratios against goals (OK / OVER); never fails on timing.

1. Chapter open: parse a generated ~10,000-word chapter in the export format, render it in a
   `ReaderView` and paint it, against `QTextBrowser.setPlainText` of the same body painted
   in a widget of the same size. Goal: at most 1.5x the plain widget.
2. Cold start: ``python -m companion --db TMP --quit-after-paint`` until the first chapter is
   painted, on the sample serial and on a library holding a 400-chapter work. Goal: 1.0 s.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _util import median_ms, report

REPEAT = 7  # cold-start runs (subprocesses)
REPEAT_IN_PROCESS = 11  # chapter-open runs: cheap, so more of them against noise
CHAPTER_OPEN_GOAL = 1.5  # ratio to QTextBrowser.setPlainText
COLD_START_GOAL_S = 1.0
COLD_START_TIMEOUT_S = 60
WIDGET_SIZE = (1000, 800)
LONG_WORDS = 10_000
LONG_PARAGRAPHS = 60
LIBRARY_CHAPTERS = 400

# -- generated chapters ------------------------------------------------------------------

_SYLLABLES = (
    "var", "ald", "hol", "mark", "sten", "brek", "lin", "dor", "vask", "tor", "gran", "hel", "rud",
    "mer", "sel", "kov", "nar", "bel", "ost", "fen", "drav", "ul", "mir", "tas", "kel", "am",
    "ber", "rav", "gol", "dun",
)
_PLACE_ENDS = ("burg", "holm", "stad", "vik", "grad", "heim", "ov", "ingen", "mark", "sund")
_OPERATIONS = (
    "Ironwood", "Tidewater", "Hammerfall", "Northwind", "Kestrel", "Granite", "Bastion", "Sickle",
    "Lantern", "Harrow", "Citadel", "Overcast",
)
_RANKS = ("General", "Colonel", "Major", "Captain", "Lieutenant", "Sergeant", "Admiral")
_FORMATIONS = (
    "Infantry Division", "Rifle Regiment", "Armoured Brigade", "Mountain Battalion",
    "Motorised Regiment", "Engineer Battalion", "Artillery Regiment", "Cavalry Squadron",
)
_NOUNS = (
    "ridge", "bridgehead", "crossing", "railhead", "depot", "road", "column", "battery", "trench",
    "line", "flank", "salient", "village", "ford", "embankment", "airfield", "harbour", "supply",
    "convoy", "reserve", "position", "headquarters", "perimeter", "valley", "forest", "marsh",
    "canal", "river", "highway", "junction", "garrison", "outpost",
)
_ADJECTIVES = (
    "northern", "southern", "eastern", "western", "forward", "exposed", "frozen", "muddy",
    "narrow", "shattered", "abandoned", "fortified", "heavy", "light", "understrength",
    "exhausted", "fresh", "scattered",
)
_VERBS = (
    "advanced toward", "fell back from", "shelled", "secured", "reinforced", "held", "crossed",
    "probed", "encircled", "abandoned", "counterattacked at", "dug in along", "reached",
    "bypassed", "reported on",
)
_ADVERBIALS = (
    "before dawn", "under heavy fire", "in the early afternoon", "despite the weather",
    "without air cover", "as the fog lifted", "late in the evening", "against orders",
    "with little ammunition left", "for the third time that week", "in good order",
    "after a short bombardment", "by the end of the day",
)
_CLAUSES = (
    "which the staff had not expected", "although the maps were out of date",
    "while the reserve was still on the road", "because the bridges were down",
    "so that the guns could be brought forward", "and the losses were heavier than reported",
    "but the enemy did not follow", "though nobody at headquarters believed it",
)
_SPEECH = (
    "We hold until relieved", "The road is cut behind us", "Tell the battery to stand by",
    "Nobody moves until the smoke clears", "Get the wounded to the rear",
    "They will come again at first light", "Send the message in clear if you must",
)


class ProseGenerator:
    """Plausible, meaningless military prose from a seeded random word list."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.places = [self._name(2) + self.rng.choice(_PLACE_ENDS) for _ in range(24)]
        self.people = [f"{self._name(2)} {self._name(3)}" for _ in range(16)]

    def _name(self, syllables: int) -> str:
        return "".join(self.rng.choice(_SYLLABLES) for _ in range(syllables)).capitalize()

    def unit(self) -> str:
        n = self.rng.randint(1, 48)
        return f"the {n}{_ordinal(n)} {self.rng.choice(_FORMATIONS)}"

    def sentence(self) -> str:
        r = self.rng
        kind = r.random()
        if kind < 0.12:
            rank, person = r.choice(_RANKS), r.choice(self.people)
            return f'"{r.choice(_SPEECH)}," {rank} {person} said.'
        subject = self.unit() if kind < 0.7 else f"{r.choice(_RANKS)} {r.choice(self.people)}"
        obj = f"the {r.choice(_ADJECTIVES)} {r.choice(_NOUNS)}"
        if r.random() < 0.5:
            obj += f" near {r.choice(self.places)}"
        text = f"{subject} {r.choice(_VERBS)} {obj} {r.choice(_ADVERBIALS)}"
        if r.random() < 0.4:
            text += f", {r.choice(_CLAUSES)}"
        if r.random() < 0.3:
            text += f", at {r.randint(0, 23):02d}{r.choice(('00', '15', '30', '45'))} hours"
        return text[0].upper() + text[1:] + "."

    def paragraph(self, words: int) -> str:
        sentences: list[str] = []
        count = 0
        while count < words - 8:  # sentences average ~17 words; end near the target
            sentence = self.sentence()
            sentences.append(sentence)
            count += len(sentence.split())
        return " ".join(sentences)

    def heading(self) -> str:
        r = self.rng
        day = r.randint(1, 40)
        when = f"D-Day+{day}~{day + r.randint(1, 4)}" if r.random() < 0.7 else f"D-Day+{day}"
        operation = f"Operation {r.choice(_OPERATIONS)} – {r.randint(1, 9)}"
        return f"{r.choice(self.places)}, {operation} ({when})"


def _ordinal(n: int) -> str:
    return "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def generate_chapter(
    number: int, *, words: int, paragraphs: int, notes: int, seed: int, story: str
) -> str:
    """One chapter in the export format: header, stats, sections, breaks, notes, footer."""
    gen = ProseGenerator(seed)
    per_paragraph = max(8, words // paragraphs)
    marked = sorted(gen.rng.sample(range(paragraphs), min(notes, paragraphs)))
    breaks = {paragraphs // 3, 2 * paragraphs // 3} if paragraphs >= 6 else set()
    title = f"The {gen.rng.choice(_ADJECTIVES).capitalize()} {gen.rng.choice(_NOUNS).capitalize()}"
    lines = [f"{number:03d} - {title} - {gen.rng.randint(1, 12)}", ""]
    lines += [f"{words + gen.rng.randint(0, 400)} {gen.rng.randint(20, 900)} "
              f"{gen.rng.randint(0, 90)}", ""]
    lines += [gen.heading(), ""]
    for index in range(paragraphs):
        if index in breaks:
            lines += [". . .", "", gen.heading(), ""]
        text = gen.paragraph(per_paragraph)
        if index in marked:
            label = marked.index(index) + 1
            cut = text.find(" ", len(text) // 2)
            text = f"{text[:cut]} *{label}{text[cut:]}"
        lines += [text, ""]
    if marked:
        lines += ["~~~~~~~~~~~~~~~~~~~", "", "Notes", ""]
        for label in range(1, len(marked) + 1):
            lines += [f"*{label}: {gen.paragraph(24)}", ""]
    lines.append(f"{story}Where stories live. Discover now")
    return "\n".join(lines) + "\n"


def long_chapter() -> str:
    return generate_chapter(
        12, words=LONG_WORDS, paragraphs=LONG_PARAGRAPHS, notes=8, seed=1942,
        story="The Winter Front",
    )


def check_long_chapter(chapter) -> None:
    """Warn (not fail) when the generated chapter no longer parses into the intended shape."""
    words = len(chapter.body.split())
    kinds = [b.kind for b in chapter.blocks]
    problems = []
    if not 9_000 <= words <= 11_500:
        problems.append(f"{words} words")
    if kinds.count("break") != 2 or kinds.count("heading") != 3:
        problems.append(f"{kinds.count('break')} breaks, {kinds.count('heading')} headings")
    if len(chapter.markers) != 8 or len(chapter.footnotes) != 8 or chapter.warnings:
        problems.append(f"{len(chapter.markers)} markers, {len(chapter.footnotes)} notes, "
                        f"warnings {chapter.warnings}")
    if problems:
        print(f"WARNING: the generated chapter parsed unexpectedly: {'; '.join(problems)}")


# -- 1. chapter open ---------------------------------------------------------------------


def bench_chapter_open() -> None:
    from PySide6.QtCore import QEventLoop

    from companion.core.parse import parse_chapter
    from companion.ui.qt import QApplication, QTextBrowser, QTimer, Signal
    from companion.ui.reader import ReaderView
    from companion.ui.render import chapter_html, footnote_links

    app = QApplication.instance() or QApplication(sys.argv[:1])
    text = long_chapter()
    chapter = parse_chapter(text)
    check_long_chapter(chapter)
    body = chapter.body

    class PlainView(QTextBrowser):
        chapterPainted = Signal()  # as ReaderView's, on every paint

        def paintEvent(self, event) -> None:
            super().paintEvent(event)
            self.chapterPainted.emit()

    reader = ReaderView()
    plain = PlainView()
    for widget in (reader, plain):
        widget.resize(*WIDGET_SIZE)
        widget.show()
    for _ in range(3):
        app.processEvents()
    painted = []
    reader.chapterPainted.connect(lambda: painted.append(True))

    def open_reader() -> None:
        reader.set_chapter(parse_chapter(text))
        reader.viewport().repaint()

    def open_plain() -> None:
        plain.setPlainText(body)
        plain.viewport().repaint()

    def open_reader_laid_out() -> None:
        open_reader()
        reader.document().documentLayout().documentSize()  # as set_scroll_fraction does

    def open_plain_laid_out() -> None:
        open_plain()
        plain.document().documentLayout().documentSize()

    def until_painted(widget, show) -> None:
        """As in the app: set the text, then let the event loop paint it (5 s at most)."""
        loop = QEventLoop()
        timeout = QTimer(singleShot=True, interval=5000)
        timeout.timeout.connect(loop.quit)
        widget.chapterPainted.connect(loop.quit)
        timeout.start()
        show()
        loop.exec()
        timeout.stop()
        widget.chapterPainted.disconnect(loop.quit)

    def open_reader_looped() -> None:
        until_painted(reader, lambda: reader.set_chapter(parse_chapter(text)))

    def open_plain_looped() -> None:
        until_painted(plain, lambda: plain.setPlainText(body))

    settle = app.processEvents  # leftovers of the previous run stay out of the timing
    words = len(body.split())
    print(f"-- chapter open: {words:,} words, {len(chapter.blocks)} blocks, "
          f"{len(chapter.markers)} markers, widget {WIDGET_SIZE[0]}x{WIDGET_SIZE[1]}")
    ours = median_ms(open_reader, REPEAT_IN_PROCESS, setup=settle)
    if not painted:
        print("WARNING: ReaderView.chapterPainted never fired; the repaint did not paint")
    base = median_ms(open_plain, REPEAT_IN_PROCESS, setup=settle)
    label = f"chapter open ({words // 1000}k words)"
    report(label, ours, CHAPTER_OPEN_GOAL, "ms", ratio=ours / base)
    report("  QTextBrowser.setPlainText", base)

    ours_full = median_ms(open_reader_laid_out, REPEAT_IN_PROCESS, setup=settle)
    base_full = median_ms(open_plain_laid_out, REPEAT_IN_PROCESS, setup=settle)
    report("  incl. full layout (info)", ours_full, ratio=ours_full / base_full)
    report("  QTextBrowser incl. full layout", base_full)
    ours_loop = median_ms(open_reader_looped, REPEAT_IN_PROCESS, setup=settle)
    base_loop = median_ms(open_plain_looped, REPEAT_IN_PROCESS, setup=settle)
    report("  via event loop (info)", ours_loop, ratio=ours_loop / base_loop)
    report("  QTextBrowser via event loop", base_loop)

    # Where ReaderView's time goes (informational).
    links = footnote_links(chapter)
    report("  parse_chapter", median_ms(lambda: parse_chapter(text), REPEAT_IN_PROCESS))
    report("  chapter_html", median_ms(lambda: chapter_html(chapter, links), REPEAT_IN_PROCESS))
    report("  set_chapter (setHtml, margins)",
           median_ms(lambda: reader.set_chapter(chapter), REPEAT_IN_PROCESS, setup=settle))
    report("  repaint after set_chapter",
           median_ms(reader.viewport().repaint, REPEAT_IN_PROCESS,
                     setup=lambda: (settle(), reader.set_chapter(chapter))))
    reader.close()
    plain.close()


# -- 2. cold start -----------------------------------------------------------------------


def _companion(db: Path, env: dict[str, str]) -> float:
    """Wall time in seconds of one ``companion --quit-after-paint`` run."""
    cmd = [sys.executable, "-m", "companion", "--db", str(db), "--quit-after-paint"]
    start = time.perf_counter()
    done = subprocess.run(
        cmd, env=env, capture_output=True, text=True, timeout=COLD_START_TIMEOUT_S
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"companion exited with {done.returncode}:\n{done.stderr[-2000:]}")
    return elapsed


def _cold_start(label: str, db: Path, env: dict[str, str]) -> None:
    _companion(db, env)  # warm-up: migrates the db (and imports the sample if empty), warms caches
    times = [_companion(db, env) for _ in range(REPEAT)]
    report(label, statistics.median(times), COLD_START_GOAL_S, "s")


def _bare_qt(env: dict[str, str]) -> float:
    """Wall time of a bare Qt app painting a QTextBrowser: the floor under any start-up."""
    script = (
        "import sys\n"
        "from PySide6.QtCore import QTimer\n"
        "from PySide6.QtWidgets import QApplication, QTextBrowser\n"
        "app = QApplication(sys.argv[:1])\n"
        "class W(QTextBrowser):\n"
        "    def paintEvent(self, event):\n"
        "        super().paintEvent(event)\n"
        "        QTimer.singleShot(0, self.close)\n"
        "w = W()\n"
        "w.setPlainText('x ' * 2000)\n"
        "w.resize(1180, 800)\n"
        "w.show()\n"
        "sys.exit(app.exec())\n"
    )
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", script], env=env, check=True, capture_output=True,
                   timeout=COLD_START_TIMEOUT_S)
    return time.perf_counter() - start


def library_with_long_work(db: Path) -> None:
    """A library holding one work of 400 small generated chapters."""
    from companion.core.parse import parse_chapter
    from companion.store.library import Store

    story = "The Long Winter Front"
    chapters = [
        parse_chapter(generate_chapter(n, words=320, paragraphs=5, notes=1, seed=n, story=story))
        for n in range(1, LIBRARY_CHAPTERS + 1)
    ]
    store = Store(db)
    try:
        store.import_chapters(story, [(c, None) for c in chapters])
    finally:
        store.close()


def bench_cold_start() -> None:
    print("-- cold start: python -m companion --quit-after-paint, until the chapter is painted")
    with tempfile.TemporaryDirectory(prefix="companion-bench-") as tmp:
        root = Path(tmp)
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        # Keep window geometry (QSettings) and any data out of the user's own folders.
        env["XDG_CONFIG_HOME"] = str(root / "config")
        env["XDG_DATA_HOME"] = str(root / "data")
        _cold_start("cold start, sample serial", root / "sample.sqlite3", env)
        library_with_long_work(root / "long.sqlite3")
        _cold_start(f"cold start, {LIBRARY_CHAPTERS}-chapter work", root / "long.sqlite3", env)
        _bare_qt(env)
        floor = statistics.median(_bare_qt(env) for _ in range(REPEAT))
        report("  bare Qt app, painted (floor)", floor, unit="s")


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    start = time.perf_counter()
    bench_chapter_open()
    bench_cold_start()
    print(f"-- bench_reader done in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
