"""Cleaning in worker processes: same results as inline, hangs and crashes become rejects,
the crawl completes (issue 6)."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import random
import threading
import time
from collections.abc import Callable, Coroutine
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import orjson
import pytest

from newsclean.cleaners import Article, Rejected, SiteRules, clean_html
from newsclean.cleaners.learned.templates import page_blocks
from newsclean.crawler.workers.cleaning import Cleaned, CleanJob, InlineCleaner, LearningWindow, TemplateBook, article_record
from newsclean.crawler.workers.pool import (FAULTS_ENV, FULL_COLLECT_PAGES, LARGE_PAGE_BYTES, STAT_CRASHES, STAT_RESTARTS, STAT_RETRIED,
                                               STAT_TIMEOUTS, TRIM_AFTER_BYTES, WORKER_NICE, PoolCleaner, StallProbe, _Task,
                                               _Tasks)

from newsclean.output.dedup import TextDigest

from ...conftest import modules_imported, read_parts, run_newsclean, run_python

# Invented site: a sidebar of teaser headlines that repeats on every page (template), around
# articles of invented text.
SIDEBAR = "".join(f"<li><a href='/t/{i}'>Teaser headline number {i} about the harbour</a></li>" for i in range(8))
WORDS = "harbour council river budget school ferry winter market bridge library orchard".split()


def article(i: int, extra: str = "") -> str:
    rng = random.Random(i)
    paras = "".join("<p>" + " ".join(rng.choice(WORDS) for _ in range(40)).capitalize() + ".</p>" for _ in range(5))
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Story {i} of the harbour</title></head>"
            f"<body><header><nav><a href='/'>Home</a></nav></header><div class='main'><article><h1>Story {i} of the harbour</h1>"
            f"{paras}{extra}</article><div class='side'><ul>{SIDEBAR}</ul>"
            "<p>Teaser paragraph that every page shows in its sidebar and no article owns at all...</p></div></div>"
            "</body></html>")


class Stats:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, n: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + n

    def set_value(self, key: str, v: int) -> None:
        self.values[key] = v


def run_all_cleaned(cleaner, jobs: list[CleanJob]) -> list[Cleaned]:
    async def go() -> list:
        try:
            return await asyncio.gather(*(cleaner.clean(j) for j in jobs))
        finally:
            cleaner.close()
    return asyncio.run(go())


def run_all(cleaner, jobs: list[CleanJob]) -> list:
    return [c.result for c in run_all_cleaned(cleaner, jobs)]


def jobs_for(n: int) -> list[CleanJob]:
    rules = SiteRules(name="t")
    return [CleanJob(article(i), f"http://t.test/news/{i}.html", "t", rules) for i in range(n)]


def as_tuple(r) -> tuple:
    return (type(r).__name__, getattr(r, "text", None), getattr(r, "reason", None))


def test_pool_results_equal_inline_and_learning_is_the_same(tmp_path: Path) -> None:
    jobs = jobs_for(60)
    inline_book, pool_book = TemplateBook(tmp_path / "a"), TemplateBook(tmp_path / "b")
    inline = run_all(InlineCleaner(inline_book, 10.0), jobs)
    pool = run_all(PoolCleaner(pool_book, 10.0, 2, stats=Stats()), jobs)
    assert [as_tuple(r) for r in pool] == [as_tuple(r) for r in inline]
    assert all(isinstance(r, Article) for r in pool)
    # Both learned the same state, and saved it on close.
    assert pool_book.get("t").to_dict() == inline_book.get("t").to_dict()
    assert (tmp_path / "b" / "templates" / "t.json").exists()


def test_large_pages_are_cleaned_one_at_a_time_and_smaller_ones_pass_them() -> None:
    """Cleaning a page grows its worker by ~10x its size: two workers on two 2 MB pages at once
    were a crawl's highest moments. A worker skips a large page while another cleans one."""
    def task(size: int) -> _Task:
        return _Task(CleanJob(b"x" * size, f"http://t.test/{size}", "t", SiteRules(name="t")), 0, frozenset(), None, None)

    large1, large2, small1, small2 = task(LARGE_PAGE_BYTES), task(LARGE_PAGE_BYTES + 1), task(100), task(LARGE_PAGE_BYTES - 1)
    tasks = _Tasks()
    for t in (large1, large2, small1, small2):
        tasks.put(t)
    assert tasks.get() == (large1, True)
    assert tasks.get() == (small1, False)     # large2 waits: large1 is being cleaned
    assert tasks.get() == (small2, False)
    got: list = []
    asking = threading.Event()

    def ask() -> None:
        asking.set()
        got.append(tasks.get())

    waiter = threading.Thread(target=ask)
    waiter.start()
    assert asking.wait(10)                    # it has asked (else "still waiting" would say nothing)
    waiter.join(0.3)
    assert waiter.is_alive() and not got      # only a large page is left, and one is being cleaned
    tasks.large_done()
    waiter.join(10)
    assert got == [(large2, True)]
    tasks.put(None)                           # the stop sign is never held back
    assert tasks.get() == (None, False)


def test_a_page_given_as_text_is_large_by_its_utf8_bytes() -> None:
    """``newsclean clean`` hands the pool JSONL pages as text: 600,000 Cyrillic letters are
    1.2 MB as the parser holds them, a large page, though fewer characters than LARGE_PAGE_BYTES."""
    def task(html: str | bytes) -> _Task:
        return _Task(CleanJob(html, "http://t.test/p", "t", SiteRules(name="t")), 0, frozenset(), None, None)

    cyrillic, large_bytes, small = task("я" * 600_000), task(b"x" * LARGE_PAGE_BYTES), task("x" * 600_000)
    assert len(cyrillic.job.html) < LARGE_PAGE_BYTES <= len(cyrillic.job.html.encode())
    tasks = _Tasks()
    for t in (cyrillic, large_bytes, small):
        tasks.put(t)
    assert tasks.get() == (cyrillic, True)
    assert tasks.get() == (small, False)       # the large page in bytes waits for the large text
    tasks.large_done()
    assert tasks.get() == (large_bytes, True)


def test_a_pool_with_large_pages_gives_what_inline_cleaning_gives(tmp_path: Path) -> None:
    padding = "<!-- " + "x" * LARGE_PAGE_BYTES + " -->"
    rules = SiteRules(name="t")
    jobs = [CleanJob(article(i, padding if i % 3 == 0 else ""), f"http://t.test/news/{i}.html", "t", rules)
            for i in range(36)]
    inline = run_all(InlineCleaner(TemplateBook(tmp_path / "a"), 10.0), jobs)
    pool = run_all(PoolCleaner(TemplateBook(tmp_path / "b"), 10.0, 2, stats=Stats()), jobs)
    assert [as_tuple(r) for r in pool] == [as_tuple(r) for r in inline]
    assert all(isinstance(r, Article) for r in pool)


def test_articles_come_back_with_their_texts_digest() -> None:
    # The content hash, word count and dedup signature are computed in the worker (off the
    # reactor); the record built from them must be the one built without them.
    jobs = [*jobs_for(4), CleanJob("<html><body><p>Too short.</p></body></html>", "http://t.test/x", "t",
                                   SiteRules(name="t"))]
    cleaned = run_all_cleaned(PoolCleaner(TemplateBook(None), 10.0, 2), jobs)
    assert isinstance(cleaned[-1].result, Rejected) and cleaned[-1].digest is None
    now = datetime(2026, 1, 2, tzinfo=timezone.utc)
    for c in cleaned[:-1]:
        assert isinstance(c.result, Article) and c.digest == TextDigest.of(c.result.text)
        with_digest = article_record(c.result, url=c.result.url, site="t", fetched_at=now, run_id="r", digest=c.digest)
        assert with_digest == article_record(c.result, url=c.result.url, site="t", fetched_at=now, run_id="r")


def test_workers_run_at_a_lower_priority_than_the_reactor() -> None:
    # Two workers and the reactor thread on two cores: the reactor must not wait for a core.
    pool = PoolCleaner(TemplateBook(None), 10.0, 2)
    try:
        assert all(isinstance(c.result, Article) for c in asyncio.run(_clean_some(pool, jobs_for(4))))
        mine = os.getpriority(os.PRIO_PROCESS, 0)
        nices = [os.getpriority(os.PRIO_PROCESS, slot.proc.pid) for slot in pool.slots]
        assert nices == [min(19, mine + WORKER_NICE)] * 2 and WORKER_NICE > 0
    finally:
        pool.close()


NO_TRACKER = """
import asyncio, os
from newsclean.crawler.workers.cleaning import CleanJob, TemplateBook
from newsclean.crawler.workers.pool import PoolCleaner
from newsclean.cleaners import Article, SiteRules

page = "<html><head><title>Harbour</title></head><body><article><h1>Harbour</h1>" + (
    "<p>The council said on Monday that the new bridge over the river would open in spring.</p>" * 6) + "</article></body></html>"
pool = PoolCleaner(TemplateBook(None), 10.0, 1)
try:
    cleaned = asyncio.run(pool.clean(CleanJob(page, "http://t.test/news/1.html", "t", SiteRules(name="t"))))
    children = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat", "rb") as fh:
                ppid = int(fh.read().rsplit(b")", 1)[1].split()[1])
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                cmd = fh.read()
        except OSError:
            continue
        if ppid == os.getpid():
            children.append("tracker" if b"resource_tracker" in cmd else "forkserver" if b"forkserver" in cmd else "other")
    print(type(cleaned.result).__name__, " ".join(sorted(children)))
finally:
    pool.close()
"""


def test_the_pool_starts_no_resource_tracker() -> None:
    # multiprocessing's forkserver starts a resource tracker (a process of 7 MB) for semaphores
    # and shared memory the pool never makes: the crawl's children are the forkserver alone.
    result, *children = run_python(NO_TRACKER, timeout=180).split()
    assert result == "Article"
    assert children == ["forkserver"]


def test_a_resource_tracker_unlike_pythons_own_is_left_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    # The pool reads the tracker's private attributes: on a Python where they differ it must
    # start the workers as before, not fail the crawl's start.
    from multiprocessing import resource_tracker

    from newsclean.crawler.workers.pool import _no_resource_tracker

    class Unlike:   # no _lock; then no _pid; then a tracker already given a pipe
        def __init__(self, **attrs: object) -> None:
            vars(self).update(attrs)

    for attrs in ({"_fd": None, "_pid": None}, {"_fd": None, "_lock": resource_tracker.threading.Lock()},
                  {"_fd": 7, "_pid": 1, "_lock": resource_tracker.threading.Lock()}, {}):
        tracker = Unlike(**attrs)
        monkeypatch.setattr(resource_tracker, "_resource_tracker", tracker)
        _no_resource_tracker()
        assert vars(tracker) == attrs


AFTER_A_LARGE_PAGE = """
from newsclean.crawler.workers import heap, pool
from newsclean.cleaners import SiteRules

heap.return_freed_memory()   # the workers' malloc thresholds

def private_kb():
    with open("/proc/self/smaps_rollup") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("Private_Dirty:"))

words = "council harbour river budget school ferry winter market bridge library".split()
paras = "".join(f"<p>{' '.join(words[(i + j) % 10] for j in range(60))}.</p>" for i in range(600))
nav = "".join(f"<li><a href='/s/{i}'>Section {i} {words[i % 10]}</a></li>" for i in range(6000))
page = f"<html><head><title>Harbour</title></head><body><nav><ul>{nav}</ul></nav><article><h1>Harbour</h1>{paras}</article></body></html>"
small = "<html><body><article><p>" + " ".join(words * 20) + "</p></article></body></html>"
pool.clean_with_blocks(small, "http://t.test/0.html", SiteRules(name="t"), frozenset(), "t", 30)
cleaned = pool.clean_with_blocks(page, "http://t.test/1.html", SiteRules(name="t"), frozenset(), "t", 30)
del cleaned
before = private_kb()
print(len(page), pool._after_page(len(small)), pool._after_page(len(page)), before - private_kb())
"""


def test_a_worker_gives_its_heap_back_after_a_large_page() -> None:
    # A large page grows the worker's heap by 10-20 MB it kept, free, until the next large one
    # (workers 75-78 MB PSS at the end of a bench crawl, 57 MB with this); after a small page
    # nothing is done (a trim after every page cost 2.7 ms of CPU a page).
    size, after_small, after_large, freed_kb = run_python(AFTER_A_LARGE_PAGE, timeout=120).split()
    assert int(size) >= TRIM_AFTER_BYTES
    assert (after_small, after_large) == ("False", "True")
    assert int(freed_kb) > 5_000, f"only {freed_kb} KB given back after a page of {size} bytes"


COLLECTED_BETWEEN_PAGES = """
import gc
from newsclean.crawler.workers import pool

page = ("<html><body><article><h1>Ferry</h1><p>" + "The harbour ferry runs again from Monday, the council said. " * 20
        + "</p></article></body></html>")
enabled_while_cleaning, collections, sent = [], [], []
clean = pool.clean_with_blocks
def spy(*args, **kwargs):
    enabled_while_cleaning.append(gc.isenabled())
    return clean(*args, **kwargs)
pool.clean_with_blocks = spy

class Conn:
    jobs = [(page, None, f"http://t.test/{i}.html", None, "t", 0, frozenset(), 30.0) for i in range(pool.FULL_COLLECT_PAGES)]
    def recv(self):
        return self.jobs.pop(0) if self.jobs else None
    def send(self, msg):
        sent.append(msg)
        if msg != "ready":   # from here on, the collections this page's end makes
            collections.append([])

gc.callbacks.append(lambda phase, info: phase == "start" and collections and collections[-1].append(info["generation"]))
pool._worker_main(Conn())
print(set(enabled_while_cleaning), len(sent) - 1, collections[0], collections[-1])
"""


def test_a_worker_collects_its_garbage_between_pages_not_while_cleaning() -> None:
    # Cleaning a page makes no reference cycles, so the young-generation collections that its
    # allocations set off (~10 a page) freed nothing, for 0.4-0.6 ms of CPU a page: a worker
    # collects after each page (the young generation; everything every FULL_COLLECT_PAGES).
    # A fresh process: _worker_main renices itself and ignores SIGINT.
    enabled, pages, first, last = run_python(COLLECTED_BETWEEN_PAGES, timeout=120).strip().split(" ", 3)
    assert enabled == "{False}"
    assert int(pages) == FULL_COLLECT_PAGES
    assert (first, last) == ("[0]", "[2]"), "one young collection after a page, a full one after the last of a round"


async def _clean_some(pool: PoolCleaner, jobs: list[CleanJob]) -> list[Cleaned]:
    return await asyncio.gather(*(pool.clean(j) for j in jobs))


def test_later_pages_lose_the_learned_sidebar() -> None:
    jobs = jobs_for(70)
    results = run_all(PoolCleaner(TemplateBook(None), 10.0, 2), jobs)
    # Pages cleaned before anything was learned may keep the teaser; after two epochs none does.
    late = [r for r in results[40:] if isinstance(r, Article)]
    assert late and not any("every page shows in its sidebar" in r.text for r in late)
    # Article text is kept.
    assert all("Harbour" in r.text or "harbour" in r.text for r in late)


def test_a_crawl_learns_a_block_only_where_the_share_of_its_pages_repeat_it() -> None:
    # A batch (clean_many) learns a block on 4 pages; a crawl of 100 distinct stories must not
    # learn a paragraph five of them quote, only what a share of its pages repeat (a sidebar).
    book = TemplateBook(None)
    templates = book.get("t")
    quote = "The minister said the harbour would reopen once the bridge repairs were finished."
    for i in range(100):
        extra = (f"<p>{quote}</p>" if i % 20 == 0 else "") + ("<p>Sidebar of the week</p>" if i % 4 == 0 else "")
        templates.add_page(f"http://t.test/{i}", page_blocks(article(i, extra)))
    learned = templates.learned()
    assert page_blocks("<p>Sidebar of the week</p>") <= learned, "on 25 of 100 pages: a template"
    assert not page_blocks(f"<p>{quote}</p>") & learned, "on 5 of 100 stories: their text"


def test_window_counts_pages_in_arrival_order_whatever_finishes_first() -> None:
    book_a, book_b = TemplateBook(None), TemplateBook(None)
    wa, wb = LearningWindow(book_a, epoch=4), LearningWindow(book_b, epoch=4)
    pages = [(f"http://t.test/{i}", page_blocks(article(i))) for i in range(20)]
    seqs = [wa.next_seq() for _ in pages]
    for s in seqs:
        wa.finish(s, "t", *pages[s])
    seqs = [wb.next_seq() for _ in pages]
    for s in reversed(seqs):        # finished in the opposite order
        wb.finish(s, "t", *pages[s])
    assert book_a.get("t").to_dict() == book_b.get("t").to_dict()
    assert wa.snapshot("t", 19) == wb.snapshot("t", 19)
    assert wa.barrier(19) == 12 and wa.barrier(5) == 0


@pytest.mark.parametrize("saved, says", [(b"{bad", "bad JSON"), (b'{"version": 99}', "version 99"),
                                         (b'["not", "a", "state"]', "AttributeError"), (b"\xff\xfe", "codec"),
                                         (b'{"version": 1}', "KeyError: 'min_pages'")])
def test_a_templates_file_that_cannot_be_read_is_said_kept_aside_and_counted_once(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, saved: bytes, says: str) -> None:
    # before: a corrupt or other-version state/templates/<site>.json raised out of the first page's
    # cleaning (a traceback in the log, no article of the site written, the file left as it was)
    path = tmp_path / "templates" / "t.json"
    path.parent.mkdir()
    path.write_bytes(saved)
    book, stats, other = TemplateBook(tmp_path), Stats(), Stats()
    window, second = LearningWindow(book, epoch=4, stats=stats), LearningWindow(book, epoch=4, stats=other)
    with caplog.at_level("WARNING", logger="newsclean.crawler.workers.cleaning"):
        assert window.snapshot("t", 0) == (0, frozenset())
        second.snapshot("t", 0)   # a second crawler of the run on the same site: counted once
    assert stats.values == {"newsclean/templates/unreadable": 1} and other.values == {}
    [warning] = [r.getMessage() for r in caplog.records]
    assert warning.startswith(f"{path}: unreadable (") and says in warning, warning
    assert "learned again from its pages; the file is kept as t.json.unreadable" in warning, warning
    aside = path.with_name("t.json.unreadable")
    assert aside.read_bytes() == saved and not path.exists()
    for i in range(3):
        window.finish(window.next_seq(), "t", f"http://t.test/{i}", page_blocks(article(i)))
    window.close()
    second.close()
    assert orjson.loads(path.read_bytes())["pages"] == 3   # learned again and saved beside the old file
    assert aside.read_bytes() == saved


@pytest.mark.parametrize("error, says", [(PermissionError(13, "Permission denied"), "Permission denied"),
                                         (IsADirectoryError(21, "Is a directory"), "Is a directory"),
                                         (OSError(30, "Read-only file system"), "Read-only file system")])
def test_templates_that_cannot_be_saved_are_said_and_counted_the_other_sites_saved(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch, error: OSError,
        says: str) -> None:
    # before: the save's OSError raised out of the clean pipeline's close_spider (a traceback, the
    # crawler's close cut short) and the sites after the failing one were not saved at all
    from newsclean.cleaners import SiteTemplates

    real_save = SiteTemplates.save

    def save(self: SiteTemplates, path: Path) -> None:
        if self.site == "a":
            raise error
        real_save(self, path)

    monkeypatch.setattr(SiteTemplates, "save", save)
    book, stats = TemplateBook(tmp_path), Stats()
    window = LearningWindow(book, epoch=4, stats=stats)
    for i, site in enumerate(("a", "b")):
        window.snapshot(site, i)
        window.finish(window.next_seq(), site, f"http://{site}.test/{i}", page_blocks(article(i)))
    with caplog.at_level("WARNING", logger="newsclean.crawler.workers.cleaning"):
        window.close()
    path = tmp_path / "templates" / "a.json"
    assert stats.values == {"newsclean/templates/save_failed": 1,
                            "newsclean/templates/save_error": f"{path}: {says}"}
    [warning] = [r.getMessage() for r in caplog.records]
    assert warning == f"{path}: the learned templates could not be saved ({says}): the next run learns the site again from its pages"
    assert orjson.loads((tmp_path / "templates" / "b.json").read_bytes())["pages"] == 1


def test_templates_on_a_full_disk_still_stop_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsclean.cleaners import SiteTemplates

    def save(self: SiteTemplates, path: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(SiteTemplates, "save", save)
    window = LearningWindow(TemplateBook(tmp_path), epoch=4, stats=Stats())
    window.snapshot("a", 0)
    with pytest.raises(OSError, match="No space"):   # the pipeline's close: stop_for_disk_full
        window.close()


def test_hang_and_crash_become_rejects_and_workers_are_replaced(monkeypatch) -> None:
    monkeypatch.setenv(FAULTS_ENV, "hang=HANG-ME-PLEASE,crash=CRASH-ME-PLEASE")
    jobs = jobs_for(6)
    rules = SiteRules(name="t")
    jobs[2] = CleanJob(article(2, "<p>HANG-ME-PLEASE</p>"), "http://t.test/news/2.html", "t", rules)
    jobs[4] = CleanJob(article(4, "<p>CRASH-ME-PLEASE</p>"), "http://t.test/news/4.html", "t", rules)
    stats = Stats()
    results = run_all(PoolCleaner(TemplateBook(None), 1.0, 2, stats=stats), jobs)
    assert isinstance(results[2], Rejected) and results[2].reason == "timeout"
    assert isinstance(results[4], Rejected) and results[4].reason == "error"
    assert results[4].detail == "worker crashed"
    assert all(isinstance(results[i], Article) for i in (0, 1, 3, 5))
    # the hanging page was tried twice (each in a fresh worker) before it became a reject
    assert stats.values[STAT_TIMEOUTS] == 2 and stats.values[STAT_RETRIED] == 1 and stats.values[STAT_CRASHES] == 1
    assert stats.values[STAT_RESTARTS] == 3


@pytest.mark.parametrize("timeout", [1e12, float("inf")])
def test_a_pool_with_a_huge_timeout_cleans_and_closes(timeout: float) -> None:
    # -s NEWSCLEAN_CLEAN_TIMEOUT=inf (or 1e12) was an OverflowError traceback when the run ended:
    # the pool's close waited that long for its workers, longer than a thread's join can
    results = run_all(PoolCleaner(TemplateBook(None), timeout, 1), jobs_for(2))
    assert all(isinstance(r, Article) for r in results), results


def test_a_page_is_not_rejected_for_the_machines_load(monkeypatch) -> None:
    """Issue #14 point 12. A worker kept off the CPU (the stall fault sleeps twice the timeout
    before cleaning, as a loaded machine deschedules a nice +5 worker) used to be killed by the
    wall-clock deadline and its good page rejected as timeout; the deadline is the worker's CPU
    time now. The first page of a new worker no longer pays the cleaners' start-up either."""
    monkeypatch.setenv(FAULTS_ENV, "stall=STALLED-BY-LOAD")
    jobs = jobs_for(3)
    jobs[1] = CleanJob(article(1, "<p>STALLED-BY-LOAD</p>"), "http://t.test/news/1.html", "t", SiteRules(name="t"))
    stats = Stats()
    results = run_all(PoolCleaner(TemplateBook(None), 1.0, 1, stats=stats), jobs)
    assert all(isinstance(r, Article) for r in results), results
    assert STAT_TIMEOUTS not in stats.values


def test_workers_are_warm_before_their_first_page() -> None:
    from newsclean.crawler.workers import pool

    assert isinstance(clean_html(pool._WARM_UP_PAGE, "https://warm-up.invalid/2026/01/01/warm-up-page-for-workers/"),
                      Article), "the warm-up page must go through every step of the cleaners"


def test_a_worker_whose_crawl_is_killed_while_it_starts_ends_without_a_traceback(capfd: pytest.CaptureFixture[str]) -> None:
    # kill -9 of a crawl while its workers warm up: each worker found the pipe closed when it said
    # "ready" and printed a BrokenPipeError traceback into the crawl's log (the cron log).
    from newsclean.crawler.workers.pool import _worker_main

    ctx = multiprocessing.get_context("spawn")   # the worker holds only its own end, as under the forkserver
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_worker_main, args=(child,), name="newsclean-worker-0")
    proc.start()
    child.close()
    parent.close()   # the crawl's process is gone before the worker has imported and warmed up
    proc.join(120)
    err = capfd.readouterr().err
    assert proc.exitcode == 0, err
    assert "Traceback" not in err


def test_the_forkserver_loads_what_every_worker_would_build_alone() -> None:
    # What the workers' forkserver loads is one copy shared by every worker: the language model,
    # the promotion regexes (compiled on first use),
    # and jusText's stoplist of all languages, which each worker built on its first jusText
    # fallback before. The stoplist's words are held once (trafilatura's tuple of them and
    # jusText's lower-cased set were two copies: 12 MB) and are every language's words, lower-cased.
    # A fresh process, as the forkserver is.
    code = ("import newsclean.crawler.workers.worker_preload\n"
            "from justext.core import define_stoplist\n"
            "from justext.utils import get_stoplist, get_stoplists\n"
            "from trafilatura import external\n"
            "from newsclean.cleaners.metadata.language import _identifier\n"
            "from newsclean.cleaners.body_lines.lines import _promo_split\n"
            "words = define_stoplist(external.JT_STOPLIST)\n"
            "ids = {id(w) for w in words}\n"
            "print(words == frozenset(w.lower() for lang in get_stoplists() for w in get_stoplist(lang)),\n"
            "      len(external.JT_STOPLIST) == len(words) and all(id(w) in ids for w in external.JT_STOPLIST),\n"
            "      define_stoplist(('Und', 'the')) == {'und', 'the'}, _identifier.cache_info().currsize,\n"
            "      _promo_split.cache_info().currsize)\n"
            "from newsclean.cleaners.extraction import readability_gate\n"
            "print(define_stoplist is readability_gate._define_stoplist)")
    # one lookup in jusText's place, the cleaners' (the forkserver's own wrapper was wrapped again
    # by the cleaners' around each page)
    assert run_python(code).split() == ["True", "True", "True", "1", "1", "True"]


def test_the_stoplist_can_be_shared_again() -> None:
    # the import shares it once; a second call (a test, a re-warm) gives the same words again
    # instead of an AttributeError from the wrapper it had put in jusText's place
    code = ("from newsclean.crawler.workers.worker_preload import share_stoplist\n"
            "import justext.core\n"
            "from trafilatura import external\n"
            "first = justext.core.define_stoplist(external.JT_STOPLIST)\n"
            "again = share_stoplist()\n"
            "print(again == first, justext.core.define_stoplist(external.JT_STOPLIST) is again,\n"
            "      justext.core.define_stoplist(('Und', 'the')) == {'und', 'the'})")
    assert run_python(code).split() == ["True", "True", "True"]


def test_the_stoplist_from_its_cache_has_every_languages_words(tmp_path: Path) -> None:
    # jusText's all-language stoplist is read from the table cache (0.1 s of CPU less in every
    # crawl's forkserver): built on a miss, read on a hit, built again from a damaged file;
    # always every language's words, lower-cased, as jusText makes them.
    code = ("import os\n"
            f"os.environ['NEWSCLEAN_CACHE_DIR'] = {str(tmp_path)!r}\n"
            "from pathlib import Path\n"
            "from justext.utils import get_stoplist, get_stoplists\n"
            "from newsclean.crawler.workers.worker_preload import stoplist_words\n"
            "expected = frozenset(w.lower() for lang in get_stoplists() for w in get_stoplist(lang))\n"
            "path = Path(os.environ['NEWSCLEAN_CACHE_DIR']) / 'justext-stoplist.npz'\n"
            "first = stoplist_words() == expected and path.is_file()\n"
            "again = stoplist_words() == expected\n"
            "path.write_bytes(path.read_bytes()[:1000])\n"
            "print(len(expected) > 100_000, first, again, stoplist_words() == expected, path.stat().st_size > 1000)")
    assert run_python(code).split() == ["True"] * 5


def test_the_language_models_compact_tables_answer_as_py3langids_own() -> None:
    # Two of the model's tables are kept as arrays instead of lists of Python ints (8 MB less in
    # the workers' shared memory) and its state table split in two: every answer must be that
    # of the model as py3langid loads it.
    code = ("import array\n"
            "from py3langid.langid import MODEL_FILE, LanguageIdentifier\n"
            "from newsclean.cleaners.metadata.language import _identifier\n"
            "ours = _identifier()\n"
            "theirs = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)\n"
            "theirs.set_languages([code for code in theirs.labels if len(code) == 2])\n"
            "texts = ['The council met on Tuesday to discuss the harbour budget.',\n"
            "         'Der Stadtrat hat am Dienstag den Haushalt für den Hafen beschlossen.',\n"
            "         'El ayuntamiento aprobó el martes el presupuesto del puerto.',\n"
            "         'Городской совет во вторник утвердил бюджет порта.', '東京都は火曜日に港の予算を承認した。',\n"
            "         'x', '1234 5678', 'شہر کی کونسل نے منگل کو بندرگاہ کا بجٹ منظور کیا']\n"
            "print(all(ours.classify(t) == theirs.classify(t) for t in texts),\n"
            "      isinstance(ours._rowbase, array.array) and isinstance(ours.tk_output, array.array))\n"
            # The state table is held split in two (29 MB instead of 39): every one of its 9.8 M
            # next states must come back whole, so every walk is py3langid's own.
            "import numpy as np\n"
            "table = np.asarray(theirs.tk_nextmove, dtype=np.int64)\n"
            "low = np.frombuffer(ours.next_low, dtype=np.uint16).astype(np.int64)\n"
            "high = np.frombuffer(ours.next_high, dtype=np.uint8).astype(np.int64)\n"
            "print(ours.tk_nextmove is None, bool(table.max() >= 1 << 16), np.array_equal(low | high << 16, table))")
    assert run_python(code).split() == ["True", "True", "True", "True", "True"]


def test_the_crawls_main_process_imports_no_extractor() -> None:
    # The main process fetches, counts templates and writes; the workers clean. Importing the
    # extractors there (trafilatura, jusText, py3langid: ~12 MB; numpy, 12 MB, which the dedup
    # index no longer needs: the workers compute the signatures) and Scrapy's remote control,
    # which a None in EXTENSIONS imported to name it (aiohttp: 9 MB), cost memory and start-up
    # CPU for nothing; so do the cleaners' DOM rules, which only the learner's own parse needs.
    # A fresh process, as a crawl is.
    code = ("from scrapy.settings import Settings\n"
            "from newsclean.crawler import settings\n"
            "from newsclean.crawler.components import dedup, pipelines\n"
            "from newsclean.crawler.workers import cleaning, pool\n"
            "s = Settings()\n"
            "s.setmodule(settings)\n"
            "for name in ('EXTENSIONS', 'DOWNLOADER_MIDDLEWARES', 'SPIDER_MIDDLEWARES', 'ITEM_PIPELINES'):\n"
            "    s.get_component_priority_dict_with_base(name)   # names each component, as a crawl does")
    assert modules_imported(code, ("trafilatura", "justext", "py3langid", "aiohttp", "numpy",
                                   "newsclean.cleaners.dom", "lxml.cssselect")) == []


def _one_story_site(site_server) -> str:
    """One article in the site's sitemap; the site's base URL."""
    server, root = site_server
    base = server.base_url
    (root / "2026/03/01/one-story").mkdir(parents=True)
    (root / "2026/03/01/one-story/index.html").write_text(article(1))
    (root / "sitemap.xml").write_text(f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                                      f"<url><loc>{base}/2026/03/01/one-story/</loc></url></urlset>")
    (root / "robots.txt").write_text(f"User-agent: *\nSitemap: {base}/sitemap.xml\n")
    return base


def test_a_crawl_under_a_long_tmpdir_still_cleans(site_server, tmp_path: Path) -> None:
    # The forkserver's socket lives under TMPDIR; past 107 bytes it cannot bind, no worker
    # started and every page was a crash (seen under pytest-xdist's long tmp_path).
    base = _one_story_site(site_server)
    long_tmp = tmp_path / ("t" * 60) / ("m" * 40)
    long_tmp.mkdir(parents=True)
    out = tmp_path / "out"
    proc = run_newsclean("crawl", "--url", base + "/", "--out", str(out), "-s", "AUTOTHROTTLE_ENABLED=False",
                         "-s", "NEWSCLEAN_CLEAN_WORKERS=1", env={"TMPDIR": str(long_tmp)})
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert [r["url"] for r in read_parts(out)] == [base + "/2026/03/01/one-story/"]
    assert list(long_tmp.iterdir()) == []   # nothing of multiprocessing's left behind there either


def test_a_plain_crawl_loads_redis_never_and_spidermon_only_to_run_its_monitors(site_server, tmp_path: Path) -> None:
    # A crawl that is not on Redis needs neither redis nor scrapy-redis (7 MB of its main
    # process), and spidermon with jsonschema (8 MB) only for the health checks it runs when
    # the spider closes. The probe wraps the monitors' close handler of a real crawl.
    base = _one_story_site(site_server)
    out = tmp_path / "out"
    code = f"""
import sys
import orjson
from newsclean.crawler.components import extensions
heavy = ("redis", "scrapy_redis", "spidermon", "jsonschema")
seen = {{}}
run_monitors = extensions.ClosingMonitors.spider_closed
def probe(self, spider):
    seen["before"] = [m for m in heavy if m in sys.modules]
    run_monitors(self, spider)
    seen["after"] = [m for m in heavy if m in sys.modules]
extensions.ClosingMonitors.spider_closed = probe
from newsclean.crawler.commands import cli
rc = cli.main(["crawl", "--url", {base + "/"!r}, "--out", {str(out)!r}, "-s", "AUTOTHROTTLE_ENABLED=False",
               "-s", "NEWSCLEAN_CLEAN_WORKERS=0"])
print(orjson.dumps({{"rc": rc, **seen}}).decode())
"""
    seen = orjson.loads(run_python(code).splitlines()[-1])
    assert seen == {"rc": 0, "before": [], "after": ["spidermon", "jsonschema"]}
    manifest = orjson.loads(next((out / "manifests").glob("*.json")).read_bytes())
    checks = {c["name"]: c["passed"] for c in manifest["checks"]}
    assert checks["articles_written"] is True and checks["discovery"] is True   # the monitors ran


def test_monitors_that_run_before_the_close_get_spidermon_from_the_start() -> None:
    from scrapy.utils.test import get_crawler
    from spidermon.contrib.scrapy.extensions import Spidermon

    from newsclean.crawler import settings
    from newsclean.crawler.components.extensions import ClosingMonitors

    project = {k: getattr(settings, k) for k in dir(settings) if k.isupper() and k != "TWISTED_REACTOR"}
    assert type(ClosingMonitors.from_crawler(get_crawler(settings_dict=project))) is ClosingMonitors
    early = get_crawler(settings_dict={**project, "SPIDERMON_SPIDER_OPEN_MONITORS": project["SPIDERMON_SPIDER_CLOSE_MONITORS"]})
    assert type(ClosingMonitors.from_crawler(early)) is Spidermon


def test_early_monitor_settings_switched_off_by_hand_keep_spidermon_for_the_close() -> None:
    # Settings given on the command line are strings: "-s SPIDERMON_ADD_FIELD_COVERAGE=False"
    # or an empty list of periodic monitors switch nothing on, so spidermon still waits.
    from scrapy.utils.test import get_crawler

    from newsclean.crawler import settings
    from newsclean.crawler.components.extensions import ClosingMonitors

    project = {k: getattr(settings, k) for k in dir(settings) if k.isupper() and k != "TWISTED_REACTOR"}
    for name, off in (("SPIDERMON_ADD_FIELD_COVERAGE", "False"), ("SPIDERMON_ADD_FIELD_COVERAGE", "0"),
                      ("SPIDERMON_PERIODIC_MONITORS", "{}"), ("SPIDERMON_SPIDER_OPEN_MONITORS", "")):
        crawler = get_crawler(settings_dict={**project, name: off})
        assert type(ClosingMonitors.from_crawler(crawler)) is ClosingMonitors, (name, off)


def test_a_close_monitor_whose_module_is_not_there_fails_the_crawl_at_its_start() -> None:
    # Built at the close, spidermon met the mistyped suite only there: the whole crawl ran,
    # exited 0 and wrote its manifest without checks. Spidermon's own extension failed at start.
    from scrapy.utils.test import get_crawler

    from newsclean.crawler import settings
    from newsclean.crawler.components.extensions import ClosingMonitors

    project = {k: getattr(settings, k) for k in dir(settings) if k.isupper() and k != "TWISTED_REACTOR"}
    for suite in ("newsclean.crawler.components.monitorz.HealthSuite", "newsclean_nowhere.monitors.HealthSuite"):
        with pytest.raises(ValueError, match=f"no module .* for the monitor suite '{suite}'"):
            # (Scrapy's get_crawler builds the extensions already)
            ClosingMonitors.from_crawler(get_crawler(settings_dict={**project, "SPIDERMON_SPIDER_CLOSE_MONITORS": [suite]}))


def test_stall_probe_records_the_longest_turn() -> None:
    stats = Stats()
    now = [0.0]
    probe = StallProbe(stats, clock=lambda: now[0])
    for began, ended in ((0.0, 0.05), (0.10, 0.35), (0.40, 0.611), (0.70, 0.72)):
        now[0] = began
        probe.turn_began()
        now[0] = ended
        probe.turn_ended()
    assert stats.values[StallProbe.STAT] == 250
    # Each stall over 200 ms is counted from the turn's exact length (211 ms here: a sampling
    # watchdog used to miss such a stall and report "max 211 ms, 0 over 200 ms").
    assert stats.values["newsclean/reactor/stalls"] == 2


def test_stall_probe_counts_a_stall_that_ends_at_the_close() -> None:
    # A stall in the close's handlers (importing the monitors) has no turn after it: the
    # bench printed "blocked 0 times over 200 ms; the longest (250 ms or more)" beside it.
    stats = Stats()
    now = [0.15]
    probe = StallProbe(stats, clock=lambda: now[0])
    probe.turn_began()
    now[0] = 0.40
    probe.stop()
    assert stats.values[StallProbe.STAT] == 250
    assert stats.values["newsclean/reactor/stalls"] == 1


def test_stall_probe_times_the_loops_turns_and_adds_no_timer() -> None:
    # It timed a 50 ms timer: 20 wake-ups a second of an idle loop, ~3 ms of CPU a second of
    # the crawl's main process. Now the turns between two waits of the loop's selector.
    import asyncio

    stats = Stats()

    async def crawl() -> None:
        probe = StallProbe(stats)
        probe.start()
        assert not asyncio.get_running_loop()._scheduled   # type: ignore[attr-defined]  # no timer of its own
        await asyncio.sleep(0)
        time.sleep(0.25)   # a handler that blocks the loop
        await asyncio.sleep(0.01)
        probe.stop()

    _run_leaving_the_selectors_select(crawl)
    assert stats.values[StallProbe.STAT] >= 250
    assert stats.values["newsclean/reactor/stalls"] >= 1


def _run_leaving_the_selectors_select(crawl: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Run ``crawl()`` on a new asyncio loop; after it the loop's selector has its own select again."""
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(crawl())
        assert "select" not in vars(loop._selector)   # type: ignore[attr-defined]  # no probe's wrapper left
    finally:
        loop.close()


def test_stall_probes_of_crawls_that_overlap_leave_the_selectors_own_select() -> None:
    # A run crawls several sites at once, a probe each on the one loop: a probe stopped while a
    # later one was running stayed in the select's path for the rest of the process (a
    # pass-through a site: 176 of them after a --all run).
    import asyncio

    stats = [Stats() for _ in range(3)]

    async def crawls() -> None:
        a, b, c = (StallProbe(s) for s in stats)
        a.start()
        b.start()
        await asyncio.sleep(0)
        a.stop()   # the first site ends while the second runs
        c.start()
        await asyncio.sleep(0)
        time.sleep(0.25)   # a handler that blocks the loop while b and c run
        await asyncio.sleep(0.01)
        b.stop()
        c.stop()

    _run_leaving_the_selectors_select(crawls)
    assert stats[0].values[StallProbe.STAT] < 250
    assert stats[1].values[StallProbe.STAT] >= 250 and stats[2].values[StallProbe.STAT] >= 250


def _a_stalling_handler(noted: threading.Event) -> None:
    noted.wait(120)   # the line the probe's report shows


def test_stall_probe_reads_the_stalls_source_lines_only_to_report_them(caplog) -> None:
    # Formatting the stack at each stall read every source file of the stack into linecache,
    # kept for the rest of the crawl (1.4 MB of the bench crawl's main process).
    import linecache
    import logging
    import threading

    probe = StallProbe(Stats(), report_after=0.1)
    linecache.clearcache()
    probe.busy_since = probe.clock()
    watchdog = threading.Thread(target=probe._watch, daemon=True)
    watchdog.start()
    # Blocked until the watchdog has noted the stall inside the handler, however late the loaded
    # machine runs it: a look while this thread still started the helper thread below (its
    # Thread.start waits for the thread to run) noted that stack, and the report lacked the
    # handler (1 run in ~50 under load); a look after the handler returned could note the test's
    # own lines over it. The watchdog ends before the handler returns, so its last note stays.
    noted = threading.Event()

    def in_handler() -> bool:
        return probe.worst_stack is not None and any(f.name == "_a_stalling_handler" for f in probe.worst_stack[1])

    def note_when_noted() -> None:
        while not in_handler() and watchdog.is_alive():
            time.sleep(0.01)
        probe._done.set()
        watchdog.join()
        noted.set()

    threading.Thread(target=note_when_noted, daemon=True).start()
    _a_stalling_handler(noted)
    assert probe.worst_stack is not None
    assert __file__ not in linecache.cache
    with caplog.at_level(logging.WARNING, logger="newsclean.crawler.workers.pool"):
        probe.stop()
    assert "_a_stalling_handler" in caplog.text and "the line the probe's report shows" in caplog.text


def test_crawl_with_a_hanging_and_a_crashing_page_completes(site_server, tmp_path: Path) -> None:
    server, root = site_server
    base = server.base_url
    good = [f"/2026/02/{d:02d}/story-{d}/" for d in range(1, 6)]
    hang, crash = "/2026/02/10/hangs-the-cleaner/", "/2026/02/11/crashes-the-worker/"
    for n, path in enumerate(good):
        (root / path.strip("/")).mkdir(parents=True)
        (root / path.strip("/") / "index.html").write_text(article(n))
    for path, mark in ((hang, "HANG-ME-PLEASE"), (crash, "CRASH-ME-PLEASE")):
        (root / path.strip("/")).mkdir(parents=True)
        (root / path.strip("/") / "index.html").write_text(article(50, f"<p>{mark}</p>"))
    locs = "".join(f"<url><loc>{base}{p}</loc></url>" for p in good + [hang, crash])
    (root / "sitemap.xml").write_text(f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>')
    (root / "robots.txt").write_text(f"User-agent: *\nSitemap: {base}/sitemap.xml\n")

    out = tmp_path / "out"
    proc = run_newsclean("crawl", "--url", base + "/", "--out", str(out), "-s", "AUTOTHROTTLE_ENABLED=False",
                         "-s", "NEWSCLEAN_CLEAN_WORKERS=2", "-s", "NEWSCLEAN_CLEAN_TIMEOUT=1",
                         env={FAULTS_ENV: "hang=HANG-ME-PLEASE,crash=CRASH-ME-PLEASE"}, timeout=120)
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    rejects = {r["url"]: r["reason"] for r in read_parts(out, "rejects")}
    assert rejects.get(base + hang) == "timeout"
    assert rejects.get(base + crash) == "error"
    assert {r["url"] for r in read_parts(out)} == {base + p for p in good}


@pytest.mark.parametrize("workers", ["0"])
def test_inline_setting_still_crawls(site_server, tmp_path: Path, workers: str) -> None:
    base = _one_story_site(site_server)
    out = tmp_path / "out"
    proc = run_newsclean("crawl", "--url", base + "/", "--out", str(out), "-s", "AUTOTHROTTLE_ENABLED=False",
                         "-s", f"NEWSCLEAN_CLEAN_WORKERS={workers}")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert [r["url"] for r in read_parts(out)] == [base + "/2026/03/01/one-story/"]


def test_pipelines_close_off_the_reactor_thread(tmp_path: Path) -> None:
    # Closing saves the learned templates and commits the last part files: fsyncs that
    # stalled the reactor 243 ms at the end of a 2,000-page bench crawl. They now run in a
    # thread while the event loop goes on.
    import threading

    from scrapy.utils.test import get_crawler

    from newsclean.crawler.components.pipelines import CleanPipeline, OutputPipeline

    saved_on: list[int] = []

    class Book(TemplateBook):
        def save(self, sites=None) -> None:
            saved_on.append(threading.get_ident())
            super().save(sites)

    crawler = get_crawler(settings_dict={"NEWSCLEAN_OUTPUT_DIR": str(tmp_path), "NEWSCLEAN_RUN_ID": "r",
                                          "NEWSCLEAN_PART_MAX_RECORDS": 10})
    clean = CleanPipeline(crawler, "r", InlineCleaner(Book(tmp_path / "state"), 10.0))
    out = OutputPipeline.from_crawler(crawler)
    out.open_spider()
    out.articles.write({"id": "0" * 32, "text": "x"}, {"site": "s", "date": "2026-03-04"})

    async def close() -> int:
        await asyncio.gather(clean.close_spider(), out.close_spider())
        return threading.get_ident()

    loop_thread = asyncio.run(close())
    assert saved_on and loop_thread not in saved_on
    assert out.files == ["articles/site=s/date=2026-03-04/part-r-00000.jsonl"]
    assert (tmp_path / out.files[0]).exists()


def test_one_article_under_many_urls_is_written_from_every_url(site_server, tmp_path: Path) -> None:
    # Issue 17: each article served under many URLs (tracking parameters, print and AMP
    # variants). Counted once per URL, its own paragraphs crossed the learning threshold and
    # later copies came out too_short. Half the articles declare a canonical URL and vary a
    # block per copy; the other half are byte-identical copies with no canonical.
    server, root = site_server
    base = server.base_url
    copies, paths, stories = 40, [], {}
    for i in range(4):
        for n in range(copies):
            path = f"/2026/04/{i}/story-{i}-v{n}/"
            page = article(100 + i)
            if i % 2 == 0:
                page = page.replace("</head>", f"<link rel='canonical' href='https://t.test/story-{i}/'></head>")
                page = page.replace("</body>", f"<div class='views'>Read {1000 + n} times today</div></body>")
            (root / path.strip("/")).mkdir(parents=True)
            (root / path.strip("/") / "index.html").write_text(page)
            paths.append(path)
            stories[base + path] = i
    locs = "".join(f"<url><loc>{base}{p}</loc></url>" for p in sorted(paths, key=lambda p: p.split("-v")[1]))
    (root / "sitemap.xml").write_text(f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>')
    (root / "robots.txt").write_text(f"User-agent: *\nSitemap: {base}/sitemap.xml\n")

    out = tmp_path / "out"
    proc = run_newsclean("crawl", "--url", base + "/", "--out", str(out), "-s", "AUTOTHROTTLE_ENABLED=False",
                         "-s", "DOWNLOAD_DELAY=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
                         "-s", "NEWSCLEAN_ALLOW_PRIVATE_ADDRESSES=True", "-s", "NEWSCLEAN_CLEAN_WORKERS=2")
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    rejects = [(r["url"], r["reason"]) for r in read_parts(out, "rejects")]
    assert rejects == []
    records = read_parts(out)
    assert len(records) == len(paths)
    first_para = {i: article(100 + i).split("<p>")[1].split("</p>")[0] for i in range(4)}
    for r in records:
        assert first_para[stories[r["url"]]][:200] in r["text"], r["url"]


def test_a_process_exits_with_a_pool_its_crawl_never_released(tmp_path: Path) -> None:
    # A second Ctrl-C forces Scrapy down without closing its spiders: their shared pool was never
    # released, and at exit multiprocessing joined the workers after a SIGTERM they ignore, forever
    # (`newsclean crawl` printed its summary and hung). The pool is closed at exit now.
    import subprocess
    import sys

    script = tmp_path / "left_open.py"
    script.write_text(
        "import time\n"
        "from newsclean.crawler.workers.pool import shared_pool\n"
        "if __name__ == '__main__':\n"
        "    pool = shared_pool(1)\n"
        "    while not all(s.proc is not None and s.proc.is_alive() for s in pool.slots):\n"
        "        time.sleep(0.05)\n"
        "    print('workers started', flush=True)\n")
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout == "workers started\n", proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
