"""Print table sizes, load times and the keystroke-search median: ``python -m store.params``.

Load time is the median of repeated parses of the shipped file (the cached ``table()`` would only
measure a dict lookup after the first call). The search figure is the median over the prefixes a
person types while building up a few realistic queries in the divisions picker.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from store.params import TABLE_NAMES, table
from store.params.loader import data_text, parse

KEYSTROKE_QUERIES = (
    "gdsz",
    "4403",
    "深圳",
    "bjcy",
    "110105",
    "浙江",
    "hz",
    "重庆",
    "3301",
    "乌鲁木齐",
)


def keystroke_prefixes(queries: tuple[str, ...] = KEYSTROKE_QUERIES) -> list[str]:
    """Every prefix of every query, as typed one key at a time."""
    return [q[:i] for q in queries for i in range(1, len(q) + 1)]


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def search_median_ms(name: str = "divisions", rounds: int = 20) -> float:
    """Median milliseconds of one ``search`` call over the keystroke prefixes."""
    t = table(name)
    times = []
    for _ in range(rounds):
        for prefix in keystroke_prefixes():
            start = time.perf_counter()
            t.search(prefix)
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def load_median_ms(name: str, repeat: int = 20) -> float:
    text = data_text(name)
    return median_ms(lambda: parse(name, text), repeat)


def main() -> None:
    for name in TABLE_NAMES:
        t = table(name)
        print(
            f"{name:26} {t.title:10} {len(t):5d} rows  as of {t.as_of}  load {load_median_ms(name):6.2f} ms"
        )
    prefixes = keystroke_prefixes()
    print(
        f"divisions search: median {search_median_ms():.3f} ms per keystroke "
        f"over {len(prefixes)} prefixes of {', '.join(KEYSTROKE_QUERIES)}"
    )


if __name__ == "__main__":
    main()
