"""The crawl's C heap: freed memory goes back to the system (crawler/workers/heap.py)."""

from __future__ import annotations

import pytest

from ...conftest import run_python

# A fresh process: 80 MB of 4 KB buffers from the heap, 49 of every 50 freed, so the free space
# lies between live buffers where free() never returns it; then trim() (which must say it ran).
CODE = """
from newsclean.crawler.workers import heap

def anon_kb():
    with open("/proc/self/smaps_rollup") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("Anonymous:"))

keep, drop = [], []
for i in range(20000):
    (keep if i % 50 == 0 else drop).append(bytearray(4000))
del drop
before = anon_kb()
ran = heap.trim()
print(ran, before - anon_kb())
"""


def test_trim_gives_the_heaps_free_pages_back() -> None:
    ran, freed_kb = run_python(CODE, timeout=60).split()
    assert ran == "True"
    assert int(freed_kb) > 40_000, f"only {freed_kb} KB given back of ~78 MB freed"


TIMER = """
from twisted.internet.task import Clock

from newsclean.crawler.workers import heap
from newsclean.crawler.components.extensions import HeapTrim

class Stats:   # a crawler's stats: the bytes its downloader received
    def __init__(self):
        self.received = 0
    def get_value(self, key, default=None):
        return self.received if key == "downloader/response_bytes" else default

trims = []
heap.trim = lambda: trims.append(1) or True
clock = HeapTrim.clock = Clock()
MB = HeapTrim.MIN_BYTES
a, b = Stats(), Stats()
first, second = HeapTrim(a), HeapTrim(b)
first.spider_opened()
second.spider_opened()
clock.pump([HeapTrim.INTERVAL] * 5)
print(len(trims))                # nothing received: nothing to give back
for _ in range(5):               # each tick, one crawler or the other receives a megabyte
    a.received += MB // 2
    b.received += MB // 2
    clock.pump([HeapTrim.INTERVAL])
print(len(trims))                # one timer, not one per crawler
a.received += MB // 4
clock.pump([HeapTrim.INTERVAL] * 3)
print(len(trims))                # less than MIN_BYTES since the last trim
first.spider_closed()
b.received += MB
clock.pump([HeapTrim.INTERVAL])
print(len(trims))                # the other crawler still runs
second.spider_closed()
print(HeapTrim._call is None and not clock.getDelayedCalls())
third = HeapTrim(Stats())        # a later crawler starts a new timer
third.spider_opened()
third.stats.received = 3 * MB
clock.pump([HeapTrim.INTERVAL])
third.spider_closed()
print(len(trims), not clock.getDelayedCalls())
"""


def test_one_trim_timer_runs_while_any_crawler_runs() -> None:
    # Crawlers of one process (newsclean crawl --all) share the timer: the first to open
    # starts it, it keeps going while one is open, and the last to close stops it; it trims
    # only after MIN_BYTES of responses. In a fresh process: a LoopingCall installs Twisted's
    # default reactor where none is.
    assert run_python(TIMER, timeout=60).split() == ["0", "5", "5", "6", "True", "7", "True"]


POOL_THP = """
import time

from newsclean.crawler.workers.pool import WorkerPool

def thp(pid):
    with open(f"/proc/{pid}/status") as fh:
        return next((line.split()[1] for line in fh if line.startswith("THP_enabled:")), "?")

pool = WorkerPool(1)
slot = pool.slots[0]
for _ in range(600):   # its thread starts the worker
    if slot.proc is not None and slot.conn is not None:
        break
    time.sleep(0.1)
print(thp(slot.proc.pid), thp("self"))
pool.close()
"""


def test_cleaning_workers_get_no_transparent_huge_pages() -> None:
    # numpy madvises huge pages for its arrays (the language model's): in the forkserver that
    # marked 37 MB of its heap, and each worker reusing that heap got whole 2 MB pages (30-50 MB
    # of them a worker). The forkserver turns them off for itself and every worker it forks;
    # the crawl's own process keeps the system's setting.
    worker, main = run_python(POOL_THP, timeout=180).split()
    if worker == "?":
        pytest.skip("no THP_enabled in /proc/PID/status (not Linux 5.0+)")
    if main == "0":   # a container may turn them off for every process: nothing to tell apart
        pytest.skip("transparent huge pages are off for this test's own processes already")
    assert (worker, main) == ("0", "1")


LINES = """
import linecache

import scrapy.core.downloader.tls   # its deprecated classes read their caller's source: inspect.stack()
from newsclean.crawler.components.extensions import GcFreeze

before = len(linecache.cache)
GcFreeze().spider_opened()
print(before, len(linecache.cache))
"""


def test_the_source_lines_read_at_start_up_are_let_go_at_the_spiders_open() -> None:
    """Scrapy's deprecated classes look up their caller with ``inspect.stack()``, which reads
    every file of the stack into ``linecache``: 0.74 MB of the crawl's main process for the
    whole crawl (tracemalloc). Dropped when the spider opens, before the start-up's objects
    are frozen."""
    before, after = map(int, run_python(LINES, timeout=60).split())
    assert before > 0, "nothing was read at start-up: the test no longer shows the leftovers"
    assert after == 0
