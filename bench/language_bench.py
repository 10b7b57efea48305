"""How long the language check (handbook §8) takes on a 5,000-word document.

    .venv/bin/python bench/language_bench.py [runs]

Prints the median of N runs (default 21). Target: under 50 ms. Not a test: timings vary by machine.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from safeguard.rules import language

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "tests" / "rules"
TARGET_MS = 50.0
WORDS = 5_000


def document(words: int = WORDS) -> str:
    """Both 'Sally' recordings and some quoted speech, repeated to ``words`` words."""
    sample = " ".join(
        [
            (FIXTURES / "sally_1.txt").read_text(encoding="utf-8"),
            (FIXTURES / "sally_2.txt").read_text(encoding="utf-8"),
            "She told staff \u201cI chose to go, I'm streetwise\u201d and said 'leave me alone'.\n\n",
        ]
    ).split(" ")
    return " ".join(sample[n % len(sample)] for n in range(words))


def main(argv: list[str]) -> int:
    runs = int(argv[1]) if len(argv) > 1 else 21
    text = document()
    language.check(text)  # warm up: compile and load once
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        flags = language.check(text)
        timings.append((time.perf_counter() - started) * 1000)
    median = statistics.median(timings)
    print(
        f"language check: {len(text.split())} words, {len(text)} characters, {len(flags)} flags; "
        f"median of {runs} runs {median:.1f} ms (target < {TARGET_MS:.0f} ms)"
    )
    return 0 if median < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
