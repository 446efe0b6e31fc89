"""Small helpers shared by the benchmark scripts: a median timer and a one-line report.

Benchmarks print their numbers and never fail on timing: a result over its goal is
reported as OVER, and the script still exits 0.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

NAME_WIDTH = 34


def median_ms(
    fn: Callable[[], object],
    repeat: int = 7,
    *,
    warmup: int = 1,
    setup: Callable[[], object] | None = None,
) -> float:
    """Median wall time of ``fn()`` in milliseconds over ``repeat`` runs (time.perf_counter).

    ``warmup`` untimed runs come first; ``setup``, if given, runs untimed before every run.
    """
    if repeat < 1:
        raise ValueError("repeat must be at least 1")
    for _ in range(warmup):
        if setup is not None:
            setup()
        fn()
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times)


def _number(value: float, unit: str) -> str:
    """A value with as many decimals as its unit needs (0.82 s, 41.2 ms)."""
    return f"{value:.2f}" if unit == "s" else f"{value:.1f}"


def report(
    name: str,
    median: float,
    goal: float | None = None,
    unit: str = "ms",
    *,
    ratio: float | None = None,
) -> bool:
    """Print one aligned result line; returns whether it met its goal (True without one).

    With ``ratio`` the goal is a ratio (``goal <= 1.5x``) and is checked against it;
    otherwise ``goal`` is in ``unit`` and is checked against ``median``. A line without a
    goal is informational.
    """
    value = _number(median, unit)
    line = f"{name:<{NAME_WIDTH}} median {value:>7} {unit:<2}"
    line += f"   ratio {ratio:5.2f}x" if ratio is not None else " " * 16
    ok = True
    if goal is not None:
        checked = ratio if ratio is not None else median
        ok = checked <= goal
        target = f"{goal:g}x" if ratio is not None else f"{_number(goal, unit)} {unit}"
        line += f"  goal <= {target:<8} {'OK' if ok else 'OVER'}"
    print(line.rstrip(), flush=True)
    return ok
