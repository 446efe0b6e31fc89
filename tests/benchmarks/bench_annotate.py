"""Annotation throughput on a generated multi-chapter serial.

Run: ``python tests/benchmarks/bench_annotate.py``. Builds ~3 MB of war-serial prose from
templates (units, nations, commanders, coordinated and possessive forms, notes), annotates it
at 1x/2x/4x of 0.75 MB to show linear growth, and compares the 3 MB pass with one pass of one
compiled regex over the same text (a capitalised-run pattern; a plain word pattern is printed
too). Goal: 3 MB in <= 1.5 s and <= 5x the single-regex pass. Also times the same text in all
capitals, which must not be pathological.
"""

from __future__ import annotations

import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from companion.core.names import annotate_work  # noqa: E402

MB = 1_000_000
STATES = ["Kingdom of Talmar", "Republic of Esk", "Osgard Federation", "Japan", "Soviet Union",
          "Britain", "France", "Germany", "Poland", "the United States"]
ADJ = ["Talmari", "Eskish", "Osgardian", "Japanese", "Soviet", "British", "French", "German"]
TYPES = ["Infantry", "Mechanized", "Armoured", "Rifle", "Mountain", "Guards", "Red Banner",
         "Marine", "Cavalry", "Motor Rifle"]
ECH = ["Division", "Brigade", "Regiment", "Corps", "Army", "Battalion", "Army Group"]
PEOPLE = ["Harlan", "Voss", "Kessler", "Ostrov", "Lind", "Marek", "Danov", "Ruiz"]
FILLER = [
    "The weather had turned, and the roads were mud for most of the week.",
    "Supplies came forward slowly, and the men slept where they could.",
    "By noon the artillery had fallen silent, and the staff officers argued over the maps.",
    "Nobody in the headquarters believed the reports, least of all the chief of staff.",
    "It was a question of fuel, of ammunition and of time, and none of the three could wait.",
    "The bridge had been rebuilt twice already, and the engineers expected to rebuild it again.",
    "Casualties were heavier than expected, and the field hospitals ran short of plasma.",
    "In the evening the rain stopped and the columns moved again under a low grey sky.",
    "the regiment dug in along the ridge and waited for the counterattack that never came.",
]


def ordinal(n: int) -> str:
    suf = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suf}"


def unit(rng: random.Random) -> str:
    return f"{ordinal(rng.randint(1, 120))} {rng.choice(TYPES)} {rng.choice(ECH)}"


def paragraph(rng: random.Random) -> str:
    a, b = rng.sample(PEOPLE, 2)
    forms = [
        f"The {unit(rng)} of the {rng.choice(ADJ)} Combined Armed Forces advanced on the river.",
        f"{rng.choice(STATES)} and {rng.choice(STATES)} protested, but the {rng.choice(ADJ)} "
        f"troops held the line.",
        f"{a}'s division and the {ordinal(rng.randint(1, 9))} and "
        f"{ordinal(rng.randint(10, 19))} Corps were ordered south by the {unit(rng)}.",
        f"The {rng.choice(ADJ)} Expeditionary Force (EF unit) crossed at dawn; EF troops "
        f"seized the bridge.",
        f"The brigades of {a} and {b} waited while the {unit(rng)} regrouped.",
        f"The Federal {ordinal(rng.randint(1, 30))} Division, commanded by General {b}, "
        f"reached the {rng.choice(['Talmar', 'Esk'])} Sea coast. *1",
        f"However, the {rng.choice(ADJ)}s were not convinced. They spoke French among "
        f"themselves and waited for the {rng.choice(STATES)} to decide.",
    ]
    # about half of the sentences are plain narrative, as in the serials this app reads
    return " ".join(rng.choice(forms) if rng.random() < 0.45 else rng.choice(FILLER)
                    for _ in range(rng.randint(4, 9)))


def make_text(size: int, seed: int = 7) -> list[tuple[int, str]]:
    """Chapters of about 20 kB until ``size`` characters in all."""
    rng = random.Random(seed)
    chapters: list[tuple[int, str]] = []
    total = 0
    n = 1
    while total < size:
        paras = []
        clen = 0
        while clen < 20_000:
            p = paragraph(rng)
            paras.append(p)
            clen += len(p) + 2
        body = "\n\n".join(paras) + "\n\n~~~~\n\nNotes\n\n*1: The Republic of Esk sent observers."
        chapters.append((n, body))
        total += len(body)
        n += 1
    return chapters


def timed(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def main() -> None:
    full = make_text(3 * MB)
    text = "\n".join(b for _, b in full)
    # Baselines: one pass of one compiled regex over the whole text, every match consumed.
    # The ratio goal is stated against the first (the pattern the recognizer itself starts
    # from); the second, a plain word pass, is printed for scale.
    baselines = [
        ("capitalised-run regex", r"(?<![\w'])[A-Z][\w'\-]*(?:[ \t]+(?:of[ \t]+)?[A-Z][\w'\-]*)*"),
        ("word regex", r"\b\w+\b"),
    ]
    base_times = []
    for label, pat in baselines:
        rx = re.compile(pat)
        t = timed(lambda rx=rx: sum(1 for _ in rx.finditer(text)), 3)
        base_times.append(t)
        print(f"single compiled regex ({label} /{pat}/) over {len(text) / MB:.2f} MB: "
              f"{t:.3f} s ({len(text) / MB / t:.1f} MB/s)")
    base = base_times[0]
    annotate_work(full[:5])  # warm the lexicon cache
    results = []
    for mult in (1, 2, 4):
        size = int(0.75 * MB * mult)
        chapters, acc = [], 0
        for ch in full:
            if acc >= size:
                break
            chapters.append(ch)
            acc += len(ch[1])
        med = timed(lambda c=chapters: annotate_work(c), 3)
        n_mentions = sum(len(ms) for _, ms in annotate_work(chapters).chapters)
        results.append((mult, acc, med))
        print(f"{mult}x: {acc / MB:.2f} MB in {med:.3f} s median of 3 "
              f"({acc / MB / med:.2f} MB/s, {n_mentions} mentions)")
    (_, s1, t1), (_, _, t2), (_, s4, t4) = results
    print(f"growth: 2x/1x = {t2 / t1:.2f}, 4x/1x = {t4 / t1:.2f} (linear: 2.0, 4.0)")
    full_t = t4 * len(text) / s4
    print(f"3 MB pass: {full_t:.3f} s (goal <= 1.5 s); "
          f"ratio to the capitalised-run regex: {full_t / base:.2f}x (goal <= 5x); "
          f"to the word regex: {full_t / base_times[1]:.2f}x")
    caps = [(n, b.upper()) for n, b in full]
    t_caps = timed(lambda: annotate_work(caps), 1)
    print(f"same 3 MB in all capitals: {t_caps:.3f} s")


if __name__ == "__main__":
    main()
