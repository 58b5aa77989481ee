"""Run a crawl's sites a few at a time: :class:`SiteRunner`.

``newsclean crawl`` runs one Scrapy crawler per site in one process. Opened all at once, a
``--all`` run over the 175-site catalog had 175 crawlers' requests, queues and stores open
together. At most ``NEWSCLEAN_CONCURRENT_SITES`` crawlers are open at once; when one finishes,
the next site starts, until every site has run. A finished crawler leaves only its final
stats (for the run's manifest and exit code); a site that never started (the run was
interrupted, or the disk is full) is still named in the manifest.
"""

from __future__ import annotations

import logging
from collections import deque
from typing import Any, Callable

from newsclean.crawler.components.health import RUN_STOPPING_ERRORS

logger = logging.getLogger(__name__)

SETTING = "NEWSCLEAN_CONCURRENT_SITES"
DEFAULT_CONCURRENT_SITES = 8
#: Stats of a site the run stopped before starting (counted once per such site in the manifest).
STAT_NOT_STARTED = "newsclean/run/not_started"
#: Finish reasons after which no further site starts: the run is being stopped.
STOPPING = frozenset({"shutdown", "cancelled", "interrupted"})


def concurrent_sites(settings: Any) -> int:
    """``NEWSCLEAN_CONCURRENT_SITES`` checked: a whole number, 1 or more (else ValueError)."""
    raw = settings.get(SETTING)
    try:
        n = DEFAULT_CONCURRENT_SITES if raw in (None, "") else int(raw)
    except (TypeError, ValueError):
        n = 0
    if n < 1:
        raise ValueError(f"{SETTING} must be a whole number of sites, 1 or more; got {raw!r}")
    return n


def job_name(spider: Any, kwargs: dict[str, Any]) -> str:
    """The spider name a job runs under (its manifest entry), before the spider exists."""
    return str(kwargs.get("name") or (spider if isinstance(spider, str) else spider.name))


def _stats_of(crawler: Any) -> dict[str, Any]:
    """A crawler's stats so far; none before its crawl started (Scrapy 2.19 raises there)."""
    try:
        return dict(crawler.stats.get_stats()) if crawler.stats else {}
    except RuntimeError:
        return {}


class SiteRunner:
    """Start ``jobs`` (spider, spider kwargs) on ``process`` (a CrawlerProcess), ``limit`` at a
    time, each next one as one finishes; ``on_error(failure, crawler)`` is an errback each
    crawl gets first. Call :meth:`start` before ``process.start()``: the process's own join
    waits for the crawls started later too (each starts while the one before it is finishing)."""

    def __init__(self, process: Any, jobs: list[tuple[Any, dict[str, Any]]], limit: int,
                 on_error: Callable[[Any, Any], Any] | None = None) -> None:
        self.process = process
        self.pending = deque(jobs)
        self.limit = limit
        self.on_error = on_error
        self.running = 0
        self.stopped: str | None = None   # the finish reason that stopped the run, if any
        self.results: dict[str, dict[str, Any]] = {}
        self.crawl_ids: list[Any] = []
        self.unfinished: dict[str, Any] = {}   # crawlers started whose crawl has not ended (by job name)
        self._filling = False

    def start(self) -> None:
        self._fill()

    def _fill(self) -> None:
        if self._filling:
            return   # a crawl that ended as it started: the loop below goes on
        self._filling = True
        try:
            while self.pending and self.running < self.limit and self.stopped is None:
                self._start(*self.pending.popleft())
        finally:
            self._filling = False

    def _start(self, spider: Any, kwargs: dict[str, Any]) -> None:
        name = job_name(spider, kwargs)
        crawler = self.process.create_crawler(spider)
        self.running += 1
        logger.info("site %s starting (%d of at most %d open, %d waiting)", name, self.running, self.limit,
                    len(self.pending))
        self.unfinished[name] = crawler
        d = self.process.crawl(crawler, **kwargs)
        if self.on_error is not None:
            d.addErrback(self.on_error, crawler)
        d.addBoth(self._finished, crawler, name)

    def _finished(self, result: Any, crawler: Any, name: str) -> Any:
        self.running -= 1
        self.unfinished.pop(name, None)
        stats = _stats_of(crawler)
        spider = crawler.spider
        self.results[spider.name if spider is not None else name] = stats
        self.crawl_ids.append(getattr(getattr(spider, "store", None), "crawl_id", None))
        reason = str(stats.get("finish_reason", ""))
        if reason in STOPPING or str(stats.get("newsclean/output/error", "")).startswith(RUN_STOPPING_ERRORS):
            if self.stopped is None and self.pending:
                logger.warning("%d sites not started: the run is stopping (%s)", len(self.pending), reason)
            self.stopped = self.stopped or reason
        self._fill()
        return result

    def per_site(self) -> dict[str, dict[str, Any]]:
        """Every job's final stats by spider name; a job the run stopped before starting has
        the stopping crawl's finish reason and ``newsclean/run/not_started``."""
        out = dict(self.results)
        for name, crawler in self.unfinished.items():
            # a second Ctrl-C stops the reactor without ending the crawls: interrupted, not 'no spider
            # ran'; written are the records of committed parts (the open ones are dropped)
            stats = _stats_of(crawler)
            out[name] = {**stats, "finish_reason": "interrupted",
                         "newsclean/output/records_written": stats.get("newsclean/output/records_committed", 0)}
        for spider, kwargs in self.pending:
            out[job_name(spider, kwargs)] = {"finish_reason": self.stopped or "not_started", STAT_NOT_STARTED: 1}
        return out
