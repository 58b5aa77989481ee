"""Clean pages in worker processes, off the reactor thread: :class:`PoolCleaner`.

The parent (the crawl process) owns every site's learned templates (a
:class:`~newsclean.crawler.workers.cleaning.TemplateBook` behind a :class:`~newsclean.crawler.workers.cleaning.LearningWindow`).
A job carries the page and the learned block set its window position allows; a worker caches
that set per site and version, so it travels once per epoch, not once per page. The worker
cleans the page with it and sends back the result (with the article text's digest: content
hash, word count, dedup signature, so none of that runs on the reactor thread) plus the
page's block hashes, which the
parent counts (in arrival order, so results do not depend on which worker got which page:
they equal :class:`~newsclean.crawler.workers.cleaning.InlineCleaner`'s for the same arrival order).

A crawl's crawlers (one per site) clean in one :class:`WorkerPool` per process
(:func:`shared_pool`, counted by its users and closed by the last); each crawler's
:class:`PoolCleaner` keeps its own learning window, so its pages in flight, timeout and stats
stay its own.

One thread per worker feeds its process through a pipe and waits for the answer with a hard
deadline in the worker's CPU time (wall-clock time only as a backstop, :data:`WALL_FACTOR` times
longer): a loaded machine or the workers' lower priority slows a page down without making it
time out. A page over it kills and replaces the worker and is cleaned once more in the new one;
a second timeout makes it ``Rejected("timeout")``,
a worker that dies mid-page (segfault, ``os._exit``, OOM kill) is replaced
(``Rejected("error", "worker crashed")``). The threads only block on pipes; results go back
to the event loop with ``call_soon_threadsafe``.

Workers start from a ``forkserver`` (never a fork of the running reactor) that preloads
``cleaners``, ignore SIGINT/SIGTERM (the parent shuts them down: Scrapy's graceful shutdown
calls ``close()``), and exit when the parent's end of the pipe closes, so a killed crawl
leaves no orphans.

This module imports no Scrapy at module level: workers import it to find their entry point.
"""

from __future__ import annotations

import asyncio
import atexit
import collections
import contextlib
import gc
import itertools
import logging
import multiprocessing
import multiprocessing.util   # its exit handler is registered on import: before ours (see _close_pools_at_exit)
import os
import signal
import sys
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from newsclean.cleaners import CleanResult, Rejected, SiteTemplates
from newsclean.cleaners.reading.encoding import decode
from newsclean.crawler.components.health import UNCLEANED_STAT
from newsclean.crawler.workers.cleaning import Cleaned, CleanJob, LearningWindow, TemplateBook, declared_canonical, digest_of
from newsclean.crawler.workers.heap import trim
from newsclean.crawler.workers.procfs import cpu_seconds, usable_cpus

logger = logging.getLogger(__name__)

#: Stats keys (stable strings).
STAT_TIMEOUTS = "newsclean/pool/timeouts"
STAT_CRASHES = "newsclean/pool/crashes"
STAT_RESTARTS = "newsclean/pool/restarts"
STAT_WORKERS = "newsclean/pool/workers"

#: Seconds a worker gets beyond the cleaning timeout before it is killed: clean_html's own
#: (cooperative) timeout should answer first; the kill is for code that never yields.
KILL_GRACE = 1.0
#: Seconds a new worker may take to import the cleaners (and warm them up) before it counts as crashed.
STARTUP_WAIT = 120.0
#: A page is also given up when this many times the timeout has passed on the wall clock (a
#: worker that sleeps or waits uses no CPU); generous, so that load alone never reaches it.
WALL_FACTOR = 6.0
#: Seconds between looks at a cleaning worker's CPU time.
CPU_POLL = 0.25
#: Times a page that timed out is cleaned again (in a fresh worker) before it is rejected.
TIMEOUT_RETRIES = 1
STAT_RETRIED = "newsclean/pool/retried"
#: Seconds close() waits for a worker to exit after asking it to.
EXIT_WAIT = 3.0

#: Niceness a worker adds to its own: with one worker per core, the workers and the reactor
#: thread compete for the cores, and a reactor thread waiting for a core is a stalled crawl.
#: At +5 the kernel's scheduler weighs a worker a third of the reactor, so the reactor runs
#: when it has work and the workers take all the CPU it leaves (the throughput is theirs anyway).
WORKER_NICE = 5

#: A worker gives its heap's free pages back (``malloc_trim``) after a page of this many bytes or
#: more. Large pages grow a worker's heap by 10-20 MB, which it kept, free, until the next large
#: one: the workers were 75-78 MB PSS each at the end of a 600-URL bench crawl of fundus-dev,
#: 57 MB with this. One page in eight there is this large; it costs the worker ~0.6 ms of system
#: CPU a page on average (the trim, and the page faults of growing the heap again: 77 -> 271 a
#: page). After every page it cost 2.7 ms.
TRIM_AFTER_BYTES = 512 * 1024

#: Pages of this many bytes or more are cleaned one at a time across the pool's workers (the
#: others take the smaller pages queued behind them): cleaning a page grows its worker by ~10x
#: its size at the peak (fundus-dev: +20 MB for a 2.1 MB page, +9-11 MB for 1.1-1.6 MB, +3 MB
#: for 230 KB), so two workers on two such pages at once were the crawl's highest moments, and
#: a longer crawl met more of them. One page in 30 of fundus-dev is this large.
LARGE_PAGE_BYTES = 1024 * 1024

#: Test hook, inert unless set: ``NEWSCLEAN_TEST_FAULTS="hang=MARK,crash=MARK,stall=MARK"`` makes
#: a worker sleep forever / ``os._exit`` / sleep twice the timeout before cleaning (a worker the
#: machine's load keeps off the CPU) on a page whose HTML contains MARK. Read from the crawl's
#: environment when a worker starts (a forkserver may predate the variable).
FAULTS_ENV = "NEWSCLEAN_TEST_FAULTS"


class FixedTemplates(SiteTemplates):
    """A site's learned blocks frozen at one version: what a page is cleaned with.

    It only answers :meth:`learned` (hence ``prune_tree``/``filter_lines``); learning happens
    in the parent. ``prune_tree`` also records the block hashes of the tree ``clean_html``
    hands it (already parsed, after the generic pruning), so the page is not parsed a second
    time for learning: those are the blocks template pruning can act on.
    """

    def __init__(self, site: str, learned: frozenset[int]) -> None:
        super().__init__(site)
        self._fixed = learned
        self.last_blocks: frozenset[int] | None = None

    def learned(self) -> frozenset[int]:
        return self._fixed

    def prune_tree(self, tree: Any) -> int:
        removed, self.last_blocks = self.prune_tree_with_blocks(tree)   # one walk for both
        return removed


def clean_with_blocks(html: str | bytes, url: str, rules: Any, learned: frozenset[int], site: str,
                      timeout: float, content_type: str | None = None) -> tuple[Cleaned, frozenset[int] | None]:
    """Clean one page with a site's learned blocks (an article with its text's digest); also
    return the page's block hashes for the parent to count (None when the cleaner rejected
    the page before pruning). Bytes are decoded with ``content_type``'s charset (else the
    page's own, else the detected one) in the worker, by ``clean_html``: it lets go of the
    decoded page once it is parsed, which it cannot do with a str its caller holds.

    Shared by the inline cleaner and the workers so both give the same answer.
    """
    from newsclean.cleaners import clean_html   # not at module level: the crawl's main process never cleans
    from newsclean.cleaners.core import DEFAULT_OPTIONS

    if isinstance(html, bytes) and len(html) > DEFAULT_OPTIONS.max_bytes:
        html = decode(html, content_type)   # clean_html bounds a str in characters, and the crawl always did
    templates = FixedTemplates(site, learned)
    result: CleanResult
    started = time.thread_time()   # the cleaner's own CPU under the crawl's load (the bench's figure)
    try:
        result = clean_html(html, url, rules, templates=templates, timeout=timeout, content_type=content_type)
    except Exception as exc:  # noqa: BLE001 — one bad page must not stop a worker
        result = Rejected(url, "error", detail=f"{type(exc).__name__}: {exc}"[:300])
    cpu = time.thread_time() - started
    return Cleaned(result, digest_of(result), cpu), templates.last_blocks


def _parse_faults(spec: str | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in (spec or "").split(","):
        kind, _, mark = part.partition("=")
        if kind.strip() in ("hang", "crash", "stall") and mark.strip():
            out[kind.strip()] = mark.strip()
    return out


#: A page cleaned by each new worker before it says it is ready: the first real page used to
#: pay for what the cleaners load on first use (language model, date parsers, extractor
#: tables), 0.6 s of CPU measured, against its timeout.
_WARM_UP_PAGE = ("<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Warm up</title>"
                 "<meta property='article:published_time' content='2026-01-01T08:00:00+00:00'></head><body>"
                 "<nav><a href='/'>Home</a></nav><article><h1>Warm up</h1><p class='byline'>By A Writer</p>"
                 + "<p>The council said on Monday that the new bridge over the river would open in the "
                   "spring, after engineers finished their checks of the older piers and the road.</p>" * 4
                 + "</article></body></html>")


def _warm_up() -> None:
    from newsclean.cleaners import clean_html

    try:
        clean_html(_WARM_UP_PAGE, "https://warm-up.invalid/2026/01/01/warm-up-page-for-workers/")
    except Exception:  # noqa: BLE001 - a failed warm-up only costs the first page time
        pass


def _inject_fault(faults: dict[str, str], html: str | bytes, timeout: float) -> None:
    """The test hook of :data:`FAULTS_ENV` for one page."""
    def marked(kind: str) -> bool:
        mark = faults.get(kind)
        return bool(mark) and (mark in html if isinstance(html, str) else mark.encode() in html)  # type: ignore[operator]

    if marked("hang"):
        time.sleep(10**6)
    if marked("crash"):
        os._exit(70)
    if marked("stall"):
        time.sleep(2 * timeout)


def _after_page(size: int) -> bool:
    """After a page of ``size`` bytes: give the heap's free pages back if it was a large one
    (:data:`TRIM_AFTER_BYTES`); True if it did."""
    return size >= TRIM_AFTER_BYTES and trim()


#: A worker's cyclic garbage collector runs between pages, not inside them (``gc.disable`` at
#: its start): cleaning a page makes no reference cycles (a full collection after each of the
#: 1,314 pages of wcxb-dev, fundus-dev and 400 of trafilatura-eval, the collector off while
#: cleaning, found nothing to free), so the ~10 young-generation collections a page that 700
#: allocations each set off freed nothing, for 0.4-0.6 ms of a worker's CPU a page (fundus-dev,
#: the worker's steps in one process). What a page may still leave (an error's traceback held
#: in a cycle) goes with the young generation after the page, the rest with a full collection
#: every this many pages.
FULL_COLLECT_PAGES = 64


def _collect_after_page(pages: int) -> None:
    """The collections a worker makes after its ``pages``-th page (see :data:`FULL_COLLECT_PAGES`)."""
    gc.collect(2 if pages % FULL_COLLECT_PAGES == 0 else 0)


def _worker_main(conn: Any, fault_spec: str | None = None) -> None:
    """A worker process: clean jobs from the pipe until it closes or says stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        os.nice(WORKER_NICE)
    except OSError:
        pass   # not allowed here: cleaning still works, the reactor just gets no precedence
    faults = _parse_faults(fault_spec)
    gc.disable()   # collected between pages (_collect_after_page)
    _warm_up()
    try:
        conn.send("ready")   # imports are done: the parent's clock for a page starts after this
    except OSError:   # BrokenPipeError included
        return   # the parent is gone (killed while this worker warmed up): end without a traceback in its log
    cache: dict[str, tuple[int, frozenset[int]]] = {}
    for pages in itertools.count(1):
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        if msg is None:
            return
        html, content_type, url, rules, site, version, learned, timeout = msg
        if learned is not None:
            cache[site] = (version, learned)
        # The parent sends a site's set whenever this process lacks that version.
        current = cache[site][1] if site in cache and cache[site][0] == version else frozenset()
        if faults:
            _inject_fault(faults, html, timeout)
        cleaned, blocks = clean_with_blocks(html, url, rules, current, site, timeout, content_type)
        try:
            conn.send((cleaned, blocks))
        except (BrokenPipeError, OSError):
            return
        size = len(html)
        del msg, html, cleaned, blocks   # the page's memory is free before it is given back
        _collect_after_page(pages)
        _after_page(size)


@dataclass(slots=True)
class _Task:
    job: CleanJob
    version: int
    learned: frozenset[int]
    future: asyncio.Future
    owner: PoolCleaner   # the crawler's cleaner: its timeout, stats and event loop


def _large(html: str | bytes) -> bool:
    """Whether a page has :data:`LARGE_PAGE_BYTES` or more; a page given as text (``newsclean
    clean``'s JSONL) counts as its UTF-8, as the parser holds it (600,000 Cyrillic letters are
    1.2 MB), encoded only where its length leaves that open (UTF-8: 1-4 bytes a character)."""
    if isinstance(html, bytes) or len(html) >= LARGE_PAGE_BYTES or 4 * len(html) < LARGE_PAGE_BYTES:
        return len(html) >= LARGE_PAGE_BYTES
    return len(html.encode("utf-8", "surrogatepass")) >= LARGE_PAGE_BYTES


class _Tasks:
    """The pool's pages, taken in arrival order, except that at most one page of
    :data:`LARGE_PAGE_BYTES` or more is cleaned at a time: a worker skips a large page while
    another cleans one and takes the next smaller page instead (the learning window, not the
    order of cleaning, decides what a page is cleaned with). ``None`` stops a worker's thread."""

    def __init__(self) -> None:
        self._items: collections.deque[tuple[_Task | None, bool]] = collections.deque()   # with whether it is large
        self._cond = threading.Condition()
        self._large_busy = False

    def put(self, task: _Task | None) -> None:
        large = task is not None and _large(task.job.html)
        with self._cond:
            self._items.append((task, large))
            self._cond.notify()

    def get(self) -> tuple[_Task | None, bool]:
        """The next task this worker may take, and whether it is a large page (then
        :meth:`large_done` must follow); waits while there is none."""
        with self._cond:
            while True:
                for i, (task, large) in enumerate(self._items):
                    if not (large and self._large_busy):
                        del self._items[i]
                        self._large_busy = self._large_busy or large
                        return task, large
                self._cond.wait()

    def large_done(self) -> None:
        with self._cond:
            self._large_busy = False
            self._cond.notify_all()

    def qsize(self) -> int:
        return len(self._items)


class _Slot:
    """One worker process and the thread that feeds it; replaces the process when it dies."""

    def __init__(self, pool: WorkerPool, index: int) -> None:
        self.pool = pool
        self.index = index
        self.proc: Any = None
        self.conn: Any = None
        self.sent: dict[str, tuple[int, int]] = {}   # site -> (cleaner, learned version) this process holds
        self.thread = threading.Thread(target=self._run, name=f"newsclean-clean-{index}", daemon=True)

    def start_process(self) -> None:
        parent, child = self.pool.ctx.Pipe(duplex=True)
        proc = self.pool.ctx.Process(target=_worker_main,
                                     args=(child, os.environ.get(FAULTS_ENV)), name=f"newsclean-worker-{self.index}",
                                     daemon=True)
        proc.start()
        child.close()
        self.proc, self.conn, self.sent = proc, parent, {}
        # Wait for the worker's imports here, so they never count against a page's timeout.
        if not (parent.poll(STARTUP_WAIT) and parent.recv() == "ready"):
            raise OSError("cleaning worker did not start")

    def kill(self) -> None:
        if self.proc is not None and self.proc.is_alive():
            self.proc.kill()
        if self.proc is not None:
            self.proc.join(EXIT_WAIT)
            self.proc.close()
        if self.conn is not None:
            self.conn.close()
        self.proc = self.conn = None

    def stop(self) -> None:
        """Ask the process to exit; kill it if it does not."""
        if self.proc is None:
            return
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.proc.join(EXIT_WAIT)
        self.kill()

    def _run(self) -> None:
        try:
            self.start_process()   # now: the first pages should not wait for imports
        except (EOFError, OSError):
            self.kill()            # retried with the first job
        while True:
            task, large = self.pool.tasks.get()
            if task is None:
                self.stop()
                return
            try:
                if not task.future.cancelled():
                    task.owner.deliver(task, self._do(task))
            finally:
                if large:
                    self.pool.tasks.large_done()

    def _do(self, task: _Task) -> tuple[Cleaned, frozenset[int] | None]:
        """Clean the task's page; a page that times out is cleaned once more in a fresh worker."""
        for attempt in range(TIMEOUT_RETRIES + 1):
            cleaned, blocks = self._attempt(task)
            result = cleaned.result
            if not (isinstance(result, Rejected) and result.reason == "timeout") or attempt == TIMEOUT_RETRIES:
                return cleaned, blocks
            task.owner.count(STAT_RETRIED)
            logger.info("cleaning %s timed out (%s); trying once more", task.job.url, result.detail)
        raise AssertionError("unreachable")

    def _answer(self, timeout: float) -> bool:
        """Wait for the worker's answer until it has used ``timeout`` (+ grace) seconds of CPU
        on this page, or :data:`WALL_FACTOR` times that on the wall clock; True if it answered."""
        started, pid = time.monotonic(), self.proc.pid
        cpu0 = cpu_seconds(pid)
        wall_limit = (timeout + KILL_GRACE) * (WALL_FACTOR if cpu0 is not None else 1.0)
        while True:
            left = wall_limit - (time.monotonic() - started)
            if self.conn.poll(max(0.0, min(CPU_POLL, left))):
                return True
            if left <= 0:
                return False
            cpu = cpu_seconds(pid) if cpu0 is not None else None
            if cpu is not None and cpu - cpu0 > timeout + KILL_GRACE:   # type: ignore[operator]
                return False

    def _attempt(self, task: _Task) -> tuple[Cleaned, frozenset[int] | None]:
        job, owner = task.job, task.owner
        if self.proc is None:
            try:
                self.start_process()
            except (EOFError, OSError) as exc:
                self.kill()
                owner.count(STAT_CRASHES)
                logger.warning("cleaning worker %d failed to start: %s", self.index, exc)
                return Cleaned(Rejected(job.url, "error", detail="worker failed to start")), None
        # Two crawlers may clean a site of one name with different learned sets: the worker
        # holds one set per site, so it is sent again when the other crawler's page comes.
        holds = (owner.key, task.version)
        send_learned = task.learned if self.sent.get(job.site) != holds else None
        try:
            self.conn.send((job.html, job.content_type, job.url, job.rules, job.site, task.version, send_learned,
                            owner.timeout))
            self.sent[job.site] = holds
            if self._answer(owner.timeout):
                return self.conn.recv()
        except (EOFError, OSError):
            owner.count(STAT_CRASHES)
            owner.count(STAT_RESTARTS)
            code = self.proc.exitcode if self.proc is not None else None
            self.kill()
            logger.warning("cleaning worker %d crashed on %s (exit code %s); replaced", self.index, job.url, code)
            return Cleaned(Rejected(job.url, "error", detail="worker crashed")), None
        owner.count(STAT_TIMEOUTS)
        owner.count(STAT_RESTARTS)
        self.kill()
        logger.warning("cleaning %s took over %.1f s of CPU (or %.0f s in all); worker %d replaced", job.url,
                       owner.timeout, (owner.timeout + KILL_GRACE) * WALL_FACTOR, self.index)
        return Cleaned(Rejected(job.url, "timeout", detail=f"over {owner.timeout:g} s (worker killed)")), None


#: A Unix socket's path holds at most 107 bytes. The forkserver listens on one in
#: multiprocessing's temporary directory, ``$TMPDIR/pymp-XXXXXXXX/listener-XXXXXXXX``.
SOCKET_PATH_MAX = 107


def _short_socket_dir() -> None:
    """Under a long ``TMPDIR`` the forkserver cannot bind its socket (``AF_UNIX path too long``)
    and no worker starts: every page became a crash. multiprocessing's own temporary directory
    (its sockets only) then goes under the system's default instead; the crawl's files stay
    where ``TMPDIR`` says."""
    import tempfile
    from multiprocessing import util

    if len(os.path.join(tempfile.gettempdir(), "pymp-xxxxxxxx", "listener-xxxxxxxx")) <= SOCKET_PATH_MAX:
        return
    chosen, tempfile.tempdir = tempfile.tempdir, "/tmp" if os.access("/tmp", os.W_OK) else os.curdir
    try:
        util.get_temp_dir()   # created now and kept for this process: the forkserver's socket goes there
    finally:
        tempfile.tempdir = chosen


def _no_resource_tracker() -> None:
    """Start no resource tracker process for the workers (7 MB of the crawl's memory, PSS).

    multiprocessing's forkserver starts one before itself and hands its pipe to every worker:
    it unlinks the named semaphores and shared memory a crashed process left. The pool creates
    neither (pipes and processes only), so the tracker is given a pipe to nowhere
    (``/dev/null``), which it takes as a tracker that is running: one process fewer. Something
    that does register a resource later in this process still works; only its clean-up after a
    hard kill is lost. A tracker already running is left as it is."""
    from multiprocessing import resource_tracker

    tracker = getattr(resource_tracker, "_resource_tracker", None)
    lock = getattr(tracker, "_lock", None)
    # private attributes: a Python whose tracker lacks one keeps its tracker (as before)
    if lock is None or getattr(tracker, "_fd", 0) is not None or not hasattr(tracker, "_pid"):
        return
    with lock:
        if tracker._fd is None:
            tracker._fd = os.open(os.devnull, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))


class WorkerPool:
    """``workers`` cleaning processes and the threads that feed them, taking pages from one
    queue in arrival order; shared by every :class:`PoolCleaner` of a process (:func:`shared_pool`)."""

    def __init__(self, workers: int, start_method: str = "forkserver") -> None:
        if workers < 1:
            raise ValueError("a pool needs at least one worker (use InlineCleaner for none)")
        self.size = workers
        self.start_method = start_method
        _OPEN_POOLS.add(self)
        self.ctx = multiprocessing.get_context(start_method)
        if start_method == "forkserver":
            _short_socket_dir()
            _no_resource_tracker()
            self.ctx.set_forkserver_preload(["newsclean.crawler.workers.worker_preload"])
        self.tasks = _Tasks()
        self.closed = False
        self.users = 0        # PoolCleaners using the shared pool now
        self.max_timeout = 0.0
        self.slots = [_Slot(self, i) for i in range(workers)]
        for slot in self.slots:
            slot.thread.start()   # each thread starts its process now, off the event loop

    def close(self) -> None:
        """Stop the workers (each finishes its page) and join them."""
        if self.closed:
            return
        self.closed = True
        for _ in self.slots:
            self.tasks.put(None)
        deadline = time.monotonic() + self.max_timeout + KILL_GRACE + EXIT_WAIT + 1
        for slot in self.slots:   # a huge timeout (-s NEWSCLEAN_CLEAN_TIMEOUT=inf) is the longest wait there is
            slot.thread.join(min(threading.TIMEOUT_MAX, max(0.1, deadline - time.monotonic())))
        for slot in self.slots:
            if slot.thread.is_alive():
                slot.kill()


#: Every pool not garbage yet: closed at the interpreter's exit if its users have not closed it.
_OPEN_POOLS: weakref.WeakSet[WorkerPool] = weakref.WeakSet()


def _close_pools_at_exit() -> None:
    """Close the pools left open at exit. A second Ctrl-C forces Scrapy down without closing its
    spiders, so their pool was never released; its workers ignore SIGTERM (a Ctrl-C is their
    parent's to handle), and multiprocessing's own exit, which joins its children after sending
    them SIGTERM, waited for them forever. Registered after multiprocessing's (imported above),
    so it runs first."""
    for pool in list(_OPEN_POOLS):
        pool.close()


atexit.register(_close_pools_at_exit)

_SHARED: dict[tuple[int, str], WorkerPool] = {}
_SHARED_LOCK = threading.Lock()
_KEPT_OPEN = 0   # runs (pools_kept_open) that keep idle shared pools for their next crawler


def shared_pool(workers: int, start_method: str = "forkserver") -> WorkerPool:
    """The process's pool of ``workers`` processes, started by its first user; every crawler of
    a run cleans in it (one pool per crawler made ~350 workers for 175 sites on 2 cores)."""
    with _SHARED_LOCK:
        pool = _SHARED.get((workers, start_method))
        if pool is None or pool.closed:
            pool = _SHARED[(workers, start_method)] = WorkerPool(workers, start_method)
        pool.users += 1
        return pool


def release_pool(pool: WorkerPool) -> None:
    """A user is done with a shared pool: the last one closes it (unless a run keeps it open)."""
    with _SHARED_LOCK:
        pool.users -= 1
        idle = pool.users <= 0 and _KEPT_OPEN == 0
        if idle and _SHARED.get((pool.size, pool.start_method)) is pool:
            del _SHARED[(pool.size, pool.start_method)]
    if idle:
        pool.close()


@contextlib.contextmanager
def pools_kept_open() -> Iterator[None]:
    """While a run starts crawler after crawler, keep the shared pool's workers (warm) between
    them; closed at the end when no crawler uses them."""
    global _KEPT_OPEN
    with _SHARED_LOCK:
        _KEPT_OPEN += 1
    try:
        yield
    finally:
        with _SHARED_LOCK:
            _KEPT_OPEN -= 1
            idle = [key for key, pool in _SHARED.items() if pool.users <= 0] if _KEPT_OPEN == 0 else []
            pools = [_SHARED.pop(key) for key in idle]
        for pool in pools:
            pool.close()


class PoolCleaner:
    """A :class:`~newsclean.crawler.workers.cleaning.Cleaner` that cleans in ``workers`` processes.

    ``clean(job)`` must be awaited on the event loop that runs the crawl (Twisted's asyncio
    reactor). In-flight jobs are bounded by the learning window (at most two epochs), so an
    awaiting pipeline holds Scrapy's scraper slot and fetching slows down to cleaning speed.
    ``shared``: clean in the process's :func:`shared_pool` (the crawl: one pool for all its
    crawlers; each keeps its own window, so each site's back-pressure and learning are its own
    and a slow site holds only its own pages back), else in a pool of its own.
    ``stats``: anything with ``inc_value(key, n=1)`` / ``set_value`` (Scrapy's stats), or None.
    """

    _keys = itertools.count(1)

    def __init__(self, book: TemplateBook, timeout: float, workers: int, *, stats: Any = None,
                 window: LearningWindow | None = None, start_method: str = "forkserver",
                 shared: bool = False) -> None:
        if workers < 1:
            raise ValueError("a pool needs at least one worker (use InlineCleaner for none)")
        self.book = book
        self.timeout = timeout
        self.stats = stats
        self.window = window or LearningWindow(book, stats=stats)
        self.key = next(self._keys)
        self.shared = shared
        self.pool = shared_pool(workers, start_method) if shared else WorkerPool(workers, start_method)
        self.pool.max_timeout = max(self.pool.max_timeout, timeout)
        self.loop: asyncio.AbstractEventLoop | None = None
        self.closed = False
        if stats is not None:
            stats.set_value(STAT_WORKERS, self.pool.size)

    @property
    def slots(self) -> list[_Slot]:
        return self.pool.slots

    def count(self, key: str) -> None:
        """Count an event from any thread (the stats object is only touched on the loop)."""
        if self.stats is None:
            return
        if self.loop is not None and threading.current_thread() is not threading.main_thread():
            self.loop.call_soon_threadsafe(self.stats.inc_value, key)
        else:
            self.stats.inc_value(key)

    def deliver(self, task: _Task, outcome: tuple[Cleaned, frozenset[int] | None]) -> None:
        def settle() -> None:
            if not task.future.done():
                task.future.set_result(outcome)
        assert self.loop is not None
        try:
            self.loop.call_soon_threadsafe(settle)
        except RuntimeError:
            pass  # the loop is closed: nobody waits any more

    async def clean(self, job: CleanJob) -> Cleaned:
        if self.closed:
            raise RuntimeError("PoolCleaner is closed")
        self.loop = asyncio.get_running_loop()
        seq = self.window.next_seq()
        blocks: frozenset[int] | None = None
        cleaned: Cleaned | None = None
        try:
            await self.window.wait_turn(seq)
            version, learned = self.window.snapshot(job.site, seq)
            future = self.loop.create_future()
            self.pool.tasks.put(_Task(job, version, learned, future, self))
            cleaned, blocks = await future
        finally:
            self.window.finish(seq, job.site, job.url, blocks, declared_canonical(cleaned))
        return cleaned

    def close(self) -> None:
        """Let the workers go (a pool of its own, or the shared pool's last user: stop them, each
        finishing its page) and save the learned templates."""
        if self.closed:
            return
        self.closed = True
        if self.shared:
            release_pool(self.pool)
        else:
            self.pool.close()
        self.window.close()


def make_cleaner(book: TemplateBook, timeout: float, workers: int | None,
                 stats: Any = None) -> Any:
    """The cleaner for a crawl: a pool of ``workers`` processes (None: one per usable CPU) shared by
    the process's crawlers, inline for 0."""
    from newsclean.crawler.workers.cleaning import InlineCleaner

    n = usable_cpus() if workers is None else workers
    if n <= 0:
        return InlineCleaner(book, timeout, stats=stats)
    return PoolCleaner(book, timeout, n, stats=stats, shared=True)


class StallProbe:
    """Measure how long the reactor thread runs without going back to its wait for I/O: each
    turn of the event loop is timed from the moment its selector's ``select`` returns to the
    moment the loop calls it again (the loop's selector wrapped while the probe runs). The
    longest turn is stat ``newsclean/reactor/max_stall_ms``; a turn over
    ``NEWSCLEAN_STALL_REPORT_MS`` counts as a stall (``newsclean/reactor/stalls``).
    A watchdog thread looks at the reactor thread while a turn has lasted that long and logs
    the stack of the worst stall at the end, so a stall names the code that caused it.

    It used to time a 50 ms timer's lateness: 20 wake-ups a second of an otherwise idle loop,
    ~2.9 ms of the main process's CPU a second (4.3 with the watchdog), which the bench's crawl
    CPU counted (0.3-1 ms a page of a 600-URL crawl, more the slower the crawl). The selector's
    turns wake nothing and are exact.
    """

    STAT = "newsclean/reactor/max_stall_ms"
    #: Seconds between the watchdog's looks.
    WATCH_EVERY = 0.05

    def __init__(self, stats: Any, clock: Callable[[], float] = time.monotonic,
                 report_after: float = 0.2) -> None:
        self.stats = stats
        self.clock = clock
        self.worst = 0.0
        #: When the turn in progress began (its ``select`` returned); None while the loop waits.
        self.busy_since: float | None = None
        self.report_after = report_after
        self.stalls = 0
        self.worst_stack: tuple[float, Any] | None = None   # (seconds, traceback.StackSummary)
        self._reactor_thread = threading.get_ident()
        self._done = threading.Event()
        self._watchdog: threading.Thread | None = None
        self._selector: Any = None   # the loop's selector whose select is wrapped
        self._gc_start = 0.0
        self.gc_worst = 0.0

    @classmethod
    def from_crawler(cls, crawler: Any) -> StallProbe:
        from scrapy import signals

        probe = cls(crawler.stats, report_after=crawler.settings.getfloat("NEWSCLEAN_STALL_REPORT_MS", 200) / 1000)
        # Strong references: nothing else holds the probe (signals are weak by default).
        crawler.signals.connect(probe.start, signal=signals.spider_opened, weak=False)
        crawler.signals.connect(probe.stop, signal=signals.spider_closed, weak=False)
        return probe

    def turn_ended(self) -> None:
        """The reactor thread ends a turn (it is about to wait for I/O): measure it."""
        since, self.busy_since = self.busy_since, None
        if since is None:
            return
        took = self.clock() - since
        if took > self.worst:
            self.worst = took
            self.stats.set_value(self.STAT, round(took * 1000))
        if took > self.report_after:
            # Counted here, where the length is exact: the watchdog samples (and missed a
            # 211 ms stall, reported as "0 over 200 ms" beside "max stall 211 ms").
            self.stalls += 1
            self.stats.set_value("newsclean/reactor/stalls", self.stalls)

    def turn_began(self) -> None:
        """The reactor thread's wait for I/O is over: a turn begins."""
        self.busy_since = self.clock()

    def _wrap(self, selector: Any) -> None:
        """Time ``selector``'s turns for this probe. One wrapper serves every probe running on
        the selector (a run crawls several sites at once, a probe each, on one loop): each
        stopped probe leaves it, the last one puts the selector's own select back. (A wrapper
        a probe, each over the one before, left a stopped probe's in the path while a later
        one ran: one pass-through more for each site of a long run.)"""
        timed: _TimedSelect | None = vars(selector).get("select")
        if not isinstance(timed, _TimedSelect):
            timed = selector.select = _TimedSelect(selector)
        timed.probes.append(self)
        self._selector = selector

    def _unwrap(self) -> None:
        timed = vars(self._selector).get("select")
        if isinstance(timed, _TimedSelect) and self in timed.probes:
            timed.probes.remove(self)
            if not timed.probes:
                timed.restore()

    def _watch(self) -> None:
        """While the reactor thread is blocked, note where (the stack of the longest stall)."""
        import traceback

        while not self._done.wait(self.WATCH_EVERY):   # stalls of interest last 200 ms or more
            since = self.busy_since
            if since is None:
                continue
            blocked = self.clock() - since
            if blocked < self.report_after:
                continue
            if self.worst_stack is None or blocked > self.worst_stack[0]:
                frame = sys._current_frames().get(self._reactor_thread)
                if frame is not None:
                    # Its source lines are read when reported: read now, linecache kept every
                    # file of the stack in the crawl's memory (1.4 MB in a bench crawl).
                    stack = traceback.StackSummary.extract(traceback.walk_stack(frame), limit=12, lookup_lines=False)
                    stack.reverse()
                    self.worst_stack = (blocked, stack)

    def _gc(self, phase: str, info: dict[str, int]) -> None:
        """Time the full (generation 2) collections: with a large heap they stall too."""
        if info.get("generation") != 2:
            return
        if phase == "start":
            self._gc_start = time.perf_counter()
            return
        took = time.perf_counter() - self._gc_start
        self.stats.inc_value("newsclean/reactor/gc_full_collections")
        if took > self.gc_worst:
            self.gc_worst = took
            self.stats.set_value("newsclean/reactor/gc_max_ms", round(took * 1000))

    def start(self) -> None:
        """On the reactor thread, its loop running (at the spider's open)."""
        self.stats.set_value(self.STAT, 0)
        self._reactor_thread = threading.get_ident()
        selector = getattr(_running_loop(), "_selector", None)   # asyncio's selector loops (Twisted's asyncio reactor)
        if selector is None:
            logger.warning("stall probe: the reactor's loop has no selector to time; no stall is measured")
        else:
            self._wrap(selector)
            self.turn_began()   # this handler runs in a turn
        gc.callbacks.append(self._gc)
        self._watchdog = threading.Thread(target=self._watch, name="newsclean-stall-watchdog", daemon=True)
        self._watchdog.start()

    def stop(self) -> None:
        # The turn in progress (spider_closed handlers run before this one) is measured here:
        # no select follows it while the probe runs.
        self.turn_ended()
        self._done.set()
        if self._selector is not None:
            self._unwrap()
        if self._gc in gc.callbacks:
            gc.callbacks.remove(self._gc)
        if self.worst_stack is not None:
            blocked, stack = self.worst_stack
            logger.warning("reactor blocked %d times over %d ms; the longest (%d ms or more) was in:\n%s",
                           self.stalls, self.report_after * 1000, blocked * 1000, "".join(stack.format()))


class _TimedSelect:
    """A selector's ``select`` that tells the stall probes running on it when each turn of the
    loop ends (the loop waits for I/O) and begins (the wait is over)."""

    def __init__(self, selector: Any) -> None:
        self.selector = selector
        self.select = selector.select
        self.own = "select" not in vars(selector)   # the class's select (else one set on the selector before)
        self.probes: list[StallProbe] = []

    def __call__(self, timeout: float | None = None) -> Any:
        for probe in self.probes:
            probe.turn_ended()
        try:
            return self.select(timeout)
        finally:
            for probe in self.probes:
                probe.turn_began()

    def restore(self) -> None:
        if self.own:
            del self.selector.select
        else:
            self.selector.select = self.select


def _running_loop() -> Any:
    """The asyncio loop running the crawl (Twisted's asyncio reactor's), or None."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        from twisted.internet import reactor

        return getattr(reactor, "_asyncioEventloop", None)


class NoCleaner:
    """``NEWSCLEAN_CLEAN_ENABLED=False``: drop every page uncleaned (counted as
    ``newsclean/clean/skipped``). For measuring the crawl's own speed (fetch only)."""

    STAT = UNCLEANED_STAT

    def __init__(self, stats: Any = None) -> None:
        self.stats = stats

    async def clean(self, job: CleanJob) -> Cleaned:
        from scrapy.exceptions import DropItem

        if self.stats is not None:
            self.stats.inc_value(self.STAT)
        raise DropItem(f"cleaning disabled: {job.url}", log_level="DEBUG")

    def close(self) -> None:
        pass
