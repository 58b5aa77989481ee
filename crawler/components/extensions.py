"""Extensions: the run manifest written when a crawl ends; garbage collection kept short; the
crawl's stats collector."""

from __future__ import annotations

import errno
import gc
import importlib.util
import linecache
import logging
import os
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import MemoryStatsCollector

from newsclean.crawler.components import health
from newsclean.crawler.components.logs import causes
from newsclean.output import RunManifest, config_hash, versions
from newsclean.output.sqlite import is_disk_full, is_locked, size_limit_note

logger = logging.getLogger(__name__)

OUTPUT_ERROR = "newsclean/output/error"
#: Stats that measure the process, not one site's work: the manifest takes their largest value.
GAUGES = frozenset({"newsclean/pool/workers", "newsclean/reactor/max_stall_ms", "newsclean/reactor/gc_max_ms"})


class QuickStatsCollector(MemoryStatsCollector):
    """Scrapy's in-memory stats collector (``STATS_CLASS``) read and written without the wrapper
    Scrapy 2.13+ puts around every attribute read: its ``__getattribute__`` formats a name, and
    raises and catches an ``AttributeError`` for each attribute it does not wrap (the stats
    dict, read inside every call, included), to warn callers that still pass ``spider=``.
    5-6 µs a call instead of 0.3; a crawl makes ~39 calls a page (26 fetching alone): ~0.2 ms
    of the main process's CPU a page. The same stats; a caller passing ``spider=`` still works,
    unwarned."""

    __getattribute__ = object.__getattribute__


def refused_write(exc: BaseException | None) -> tuple[str, str] | None:
    """(path, why) when ``exc`` (or what it was raised from) is a write the system refuses for good,
    whatever the site: a read-only file system (EROFS; a folder of another user's, EACCES, may be
    one site's alone: its run fails, the next site's starts). The path: the folder of the part
    file the writer could not write (its ``cannot write <path>: <why>``: a hidden temporary name,
    of no use to the reader), else the file the error names."""
    for e in causes(exc, 5):
        if isinstance(e, OSError) and e.errno == errno.EROFS:
            why = os.strerror(e.errno)
            said = re.fullmatch(r"cannot write (.+): [^:]+", str(e.strerror or ""))   # an OutputError's
            return (str(Path(said[1]).parent) if said else str(e.filename or "?")), why[:1].lower() + why[1:]
    return None


def stop_for_disk_full(crawler: Crawler, exc: BaseException | None) -> bool:
    """When ``exc`` says the disk is full, that another program holds a state file locked, or that
    a folder is read-only: fail the run with ``disk full
    (<path>)``, ``another program holds <path> locked ...`` or ``cannot write <path>: <why>: ...``
    (said once) and stop the crawl; what is committed stays, and the next run fetches the rest.
    False (nothing done) for any other error."""
    if exc is None:
        return False
    if (refused := refused_write(exc)) is not None:
        # A mount gone read-only mid-run: an ERROR and a WARNING a page after it, 'output failed:
        # [Errno 30] ...', and the other sites of a `crawl --all` started to fail alike.
        error = health.unwritable_error(*refused)
    elif is_disk_full(exc):
        path = getattr(exc, "filename", None) or crawler.settings.get("NEWSCLEAN_OUTPUT_DIR") or "."
        error = health.disk_full_error(path, size_limit_note(exc))
    elif is_locked(exc):
        # An sqlite3 shell left in a transaction after the crawl started: each write waited its
        # busy timeout and failed (a traceback each) and the run ended 'ok', exit 0.
        from newsclean.crawler.state import locked_state_file, state_dir

        path = locked_state_file(crawler.settings) or f"a state file in {state_dir(crawler.settings)}"
        if (store := getattr(crawler.spider, "store", None)) is not None:
            store.stop_waiting()
        error = health.locked_error(path)
    else:
        return False
    if crawler.stats.get_value(OUTPUT_ERROR):
        return True   # already failing: one line, one stop
    crawler.stats.set_value(OUTPUT_ERROR, error)
    logger.error("%s: stopping the crawl; committed output stays", error)
    engine = crawler.engine
    if engine is not None and engine.running:
        from scrapy.utils.defer import deferred_from_coro

        deferred_from_coro(engine.close_spider_async(reason="output_error"))
    return True


class DiskFullStop:
    """A full disk fails the run at its first sign, wherever it shows (the article store, the
    dedup index, templates, part files): before, every later item failed on its own with a
    traceback (155 of them) and the run ended on an uncaught OutputError without a manifest.
    An item a pipeline failed on otherwise (an error no one expected: its record is lost) is
    counted in ``newsclean/output/items_failed``, and the run is degraded: it was 'ok', exit 0,
    with a record lost behind one ERROR line (a lone surrogate the JSONL writer refused)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DiskFullStop:
        o = cls(crawler)
        crawler.signals.connect(o.item_failed, signal=signals.item_error)
        crawler.signals.connect(o.failed, signal=signals.spider_error)
        return o

    def failed(self, failure: Any, **_: Any) -> bool:
        return stop_for_disk_full(self.crawler, getattr(failure, "value", None))

    def item_failed(self, failure: Any, **_: Any) -> None:
        if not self.failed(failure):
            self.crawler.stats.inc_value(health.ITEMS_FAILED)


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def build_manifest(run_id: str, started_at: datetime, per_site: dict[str, dict[str, Any]],
                   settings: dict[str, Any]) -> RunManifest:
    """One manifest for a run of one or more spiders, from their final stats."""
    counts: dict[str, int] = {}
    dropped: dict[str, int] = {}
    files: list[str] = []
    checks: list[dict[str, Any]] = []
    statuses: list[tuple[str, str, str]] = []
    for site, stats in sorted(per_site.items()):
        status, reason, site_checks = health.assess(stats)
        statuses.append((site, status, reason))
        checks += [{"site": site, **c.to_dict()} for c in site_checks]
        files += stats.get("newsclean/output/files", []) + stats.get("newsclean/warc/files", [])
        for key, value in stats.items():
            if key.startswith("newsclean/") and isinstance(value, int):
                # A gauge is the run's, not a site's: the worst, not the sum (8 workers were
                # reported for 4 sites that shared one pool of 2).
                counts[key] = max(counts.get(key, 0), value) if key in GAUGES else counts.get(key, 0) + value
                if key.startswith("newsclean/clean/dropped/"):
                    r = key.rsplit("/", 1)[1]
                    dropped[r] = dropped.get(r, 0) + value
    order = ["ok", "degraded", "interrupted", "failed"]
    worst = max(statuses, key=lambda s: order.index(s[1]), default=("", "failed", "no spider ran"))
    status = worst[1]
    reason = worst[2] if status != "ok" else "; ".join(f"{s}: {r}" for s, _, r in statuses)
    if status != "ok" and len(statuses) > 1:
        reason = f"{worst[0]}: {reason}"
    exit_code = health.EXIT_CODES[status]
    return RunManifest(
        run_id=run_id, crawl_id=run_id, started_at=started_at.isoformat(), finished_at=datetime.now(timezone.utc).isoformat(),
        status=status, exit_code=exit_code, reason=reason, sites=sorted(per_site), versions=versions(),
        config_hash=config_hash({k: _jsonable(v) for k, v in settings.items() if k.startswith("NEWSCLEAN_")
                                 and k not in ("NEWSCLEAN_RUN_ID",)}),
        counts=counts, dropped=dropped, files=sorted(files), checks=checks,
    )


class RunManifestExtension:
    """Write ``manifests/<run_id>.json`` when a plain ``scrapy crawl`` with an output directory
    ends. The ``newsclean`` command writes one manifest for all its spiders instead."""

    def __init__(self, crawler: Crawler, root: Path) -> None:
        self.crawler = crawler
        self.root = root
        self.started_at = datetime.now(timezone.utc)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunManifestExtension:
        s = crawler.settings
        if not s.get("NEWSCLEAN_OUTPUT_DIR") or not s.getbool("NEWSCLEAN_WRITE_MANIFEST"):
            # No output directory, or the newsclean command writes the manifest itself.
            raise NotConfigured
        o = cls(crawler, Path(s["NEWSCLEAN_OUTPUT_DIR"]))
        crawler.signals.connect(o.spider_closed, signal=signals.spider_closed)
        return o

    def spider_closed(self, spider: Any, reason: str) -> None:
        stats = dict(self.crawler.stats.get_stats())
        stats["finish_reason"] = reason
        manifest = build_manifest(self.crawler.settings["NEWSCLEAN_RUN_ID"], self.started_at,
                                  {spider.name: stats}, self.crawler.settings.copy_to_dict())
        path = manifest.write(self.root)
        logger.info("run %s: %s (%s); manifest %s", manifest.run_id, manifest.status, manifest.reason, path)


class HeapTrim:
    """While crawlers run, give the process's free heap pages back to the system
    (:func:`~newsclean.crawler.workers.heap.trim`) every 0.2 s in which the crawlers received
    at least :attr:`MIN_BYTES` of responses. One timer for all the crawlers of a process: the
    first to open starts it, the last to close stops it. The bodies of a crawl at 25 pages/s
    leave ~20 MB of freed heap a second: trimmed once a second, the main process's PSS rose and
    fell by that much (bench crawl, 600 URLs of fundus-dev: peaks of 97-103 MB); every 0.2 s,
    89 MB. A trim costs ~0.5 ms of CPU: a polite crawl (a few pages a second) trims about once a
    second, not five times, and an idle one not at all."""

    INTERVAL = 0.2
    #: Response bytes (``downloader/response_bytes``, all open crawlers) between two trims.
    MIN_BYTES = 1024 * 1024
    #: The reactor by default; a test gives a ``twisted.internet.task.Clock``.
    clock: Any = None
    _stats: list[Any] = []     # the open crawlers' stats
    _trimmed_at = 0            # their response bytes at the last trim
    _call: Any = None

    def __init__(self, stats: Any) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HeapTrim:
        ext = cls(crawler.stats)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    @staticmethod
    def _received() -> int:
        return sum(stats.get_value("downloader/response_bytes", 0) for stats in HeapTrim._stats)

    @staticmethod
    def _tick() -> None:
        from newsclean.crawler.workers.heap import trim

        received = HeapTrim._received()
        if received - HeapTrim._trimmed_at >= HeapTrim.MIN_BYTES:
            trim()
            HeapTrim._trimmed_at = received

    def spider_opened(self) -> None:
        from twisted.internet.task import LoopingCall

        HeapTrim._stats.append(self.stats)
        if HeapTrim._call is None:
            HeapTrim._trimmed_at = HeapTrim._received()
            HeapTrim._call = LoopingCall(HeapTrim._tick)
            if HeapTrim.clock is not None:
                HeapTrim._call.clock = HeapTrim.clock
            HeapTrim._call.start(self.INTERVAL, now=False)

    def spider_closed(self) -> None:
        if self.stats in HeapTrim._stats:
            HeapTrim._stats.remove(self.stats)
            # the bytes it received leave the sum: start the count afresh from what remains
            HeapTrim._trimmed_at = HeapTrim._received()
        if not HeapTrim._stats and HeapTrim._call is not None:
            if HeapTrim._call.running:
                HeapTrim._call.stop()
            HeapTrim._call = None


class GcFreeze:
    """Keep what lives for the whole crawl out of the cyclic garbage collector's way.

    Every full collection walks every tracked object; imported modules (Scrapy, Twisted,
    lxml, trafilatura), settings and components are alive for the whole run anyway. At
    spider open they are frozen (``gc.freeze()``), so full collections only walk what the
    crawl itself allocates. With the frontier keeping the scheduler short, the longest full
    collection of a 20,000-page crawl measured 13 ms. (Raising the collection thresholds
    instead was measured too: fewer collections, but cyclic garbage holding response bodies
    piled up, 545 MB peak RSS against 200 MB.) ``NEWSCLEAN_GC_FREEZE = False`` turns it off.
    The source lines read at start-up are let go first: Scrapy's deprecated classes look up
    their caller with ``inspect.stack()``, which reads every file of the stack into
    ``linecache`` (0.74 MB of the main process, 7,300 objects, for the whole crawl).
    """

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> GcFreeze:
        if not crawler.settings.getbool("NEWSCLEAN_GC_FREEZE", True):
            raise NotConfigured
        ext = cls()
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self) -> None:
        linecache.clearcache()   # a traceback reads its lines again when it is formatted
        gc.collect()
        gc.freeze()

    def spider_closed(self) -> None:
        gc.unfreeze()


class ClosingMonitors:
    """Spidermon, imported when its monitors run: at spider close.

    The crawl's monitors (``SPIDERMON_SPIDER_CLOSE_MONITORS``, the health checks) run when a
    spider closes, but Scrapy imports an extension's class at start: spidermon and what it
    pulls in (jsonschema, unittest, slugify: 8 MB of the main process) sat in memory for the
    whole crawl. This stands in its place (the same order, the same settings) and builds
    spidermon's own extension when the spider closes, running its close monitors there.
    Monitors that must run earlier (on open, periodic, at engine stop, field coverage) need
    spidermon from the start: with any of them set, spidermon's extension is used as it is.
    At the close it is built with its constructor, which connects nothing, not with its
    ``from_crawler``, which connects its handlers to a crawl already closing: whether a handler
    connected while ``spider_closed`` is being sent is called too depends on Scrapy's dispatch
    (its ``send_catch_log`` calls it, ``send_catch_log_async`` does not): the checks would run
    twice in some versions, the second time after the manifest.
    """

    #: Spidermon settings whose monitors or counters run before the spider closes.
    EARLY = ("SPIDERMON_SPIDER_OPEN_MONITORS", "SPIDERMON_SPIDER_OPEN_EXPRESSION_MONITORS",
             "SPIDERMON_ENGINE_STOP_MONITORS", "SPIDERMON_ENGINE_STOP_EXPRESSION_MONITORS",
             "SPIDERMON_PERIODIC_MONITORS", "SPIDERMON_ADD_FIELD_COVERAGE")

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Any:
        settings = crawler.settings
        if not settings.getbool("SPIDERMON_ENABLED"):
            raise NotConfigured
        if any(cls._early(settings, name) for name in cls.EARLY):
            from spidermon.contrib.scrapy.extensions import Spidermon

            return Spidermon.from_crawler(crawler)
        cls._check_suites(settings.getlist("SPIDERMON_SPIDER_CLOSE_MONITORS"))
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    @staticmethod
    def _check_suites(suites: list[Any]) -> None:
        """Fail at the start, as spidermon's own extension does, when a close monitor's module is
        not there: built at the close, the crawl would run whole and end without its checks.
        The module is found, not imported (importing it is importing spidermon)."""
        for suite in suites:
            module = suite.rpartition(".")[0] if isinstance(suite, str) else ""
            try:
                found = importlib.util.find_spec(module) is not None if module else True
            except ImportError:   # a package on its path is not there
                found = False
            if not found:
                raise ValueError(f"SPIDERMON_SPIDER_CLOSE_MONITORS: no module {module!r} for the monitor suite {suite!r}")

    @staticmethod
    def _early(settings: Any, name: str) -> bool:
        # read as spidermon reads it: "-s SPIDERMON_ADD_FIELD_COVERAGE=False" or "{}" is a
        # string, and switches nothing on
        if name == "SPIDERMON_ADD_FIELD_COVERAGE":
            return settings.getbool(name)
        if name == "SPIDERMON_PERIODIC_MONITORS":
            return bool(settings.getdict(name))
        return bool(settings.getlist(name))

    def spider_closed(self, spider: Any) -> None:
        from spidermon.contrib.scrapy.extensions import Spidermon

        settings = self.crawler.settings
        monitors = Spidermon(self.crawler,
                             spider_closed_suites=settings.getlist("SPIDERMON_SPIDER_CLOSE_MONITORS"),
                             spider_closed_expression_suites=settings.getlist("SPIDERMON_SPIDER_CLOSE_EXPRESSION_MONITORS"),
                             expressions_monitor_class=settings.get("SPIDERMON_EXPRESSIONS_MONITOR_CLASS"))
        monitors.spider_opened(spider)   # no open or periodic suite given: it runs nothing
        monitors.spider_closed(spider)
