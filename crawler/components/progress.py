"""Progress of a running crawl: a live line on a terminal, a periodic log line under cron."""

from __future__ import annotations

import logging
import sys
import time
from typing import Any, TextIO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

logger = logging.getLogger(__name__)


def _sum(stats: dict[str, Any], prefix: str) -> int:
    return sum(v for k, v in stats.items() if k.startswith(prefix) and isinstance(v, int))


class Progress:
    """Every ``NEWSCLEAN_PROGRESS_INTERVAL`` seconds (default: 1 on a terminal, 60 otherwise):
    discovered, fetched, written, rejected, pages/s."""

    def __init__(self, crawler: Crawler, interval: float, stream: TextIO, live: bool) -> None:
        self.crawler = crawler
        self.interval = interval
        self.stream = stream
        self.live = live
        self._loop: task.LoopingCall | None = None
        self._open_line = False   # the live line is on screen without its newline
        self._last = (time.monotonic(), 0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        live = sys.stderr.isatty()
        interval = crawler.settings.getfloat("NEWSCLEAN_PROGRESS_INTERVAL") or (1.0 if live else 60.0)
        if interval < 0:
            raise NotConfigured  # off by setting: nothing to warn about
        o = cls(crawler, interval, sys.stderr, live)
        crawler.signals.connect(o.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(o.spider_closed, signal=signals.spider_closed)
        return o

    def line(self) -> str:
        own = getattr(self.crawler.spider, "progress_line", None)
        if own is not None:   # a spider that reads archives, not the web, says its own progress
            return str(own())
        s = self.crawler.stats.get_stats()
        fetched = s.get("response_received_count", 0)
        now = time.monotonic()
        then, before = self._last
        rate = (fetched - before) / (now - then) if now > then else 0.0
        self._last = (now, fetched)
        name = self.crawler.spider.name if self.crawler.spider else "?"
        return (f"{name}: discovered {_sum(s, 'newsclean/discovery/articles_from/')}"
                f" | fetched {fetched} | written {s.get('newsclean/output/records_written', s.get('newsclean/clean/articles', 0))}"
                f" | rejected {_sum(s, 'newsclean/clean/dropped/')} | {rate:.1f} pages/s")

    def tick(self) -> None:
        if self.live:
            self.stream.write("\r\x1b[K" + self.line())
            self.stream.flush()
            self._open_line = True
        else:
            logger.info("progress %s", self.line())

    def filter(self, record: logging.LogRecord) -> bool:
        """A log handler filter: end the live line before a log line is written after it."""
        if self._open_line:
            self.stream.write("\n")
            self._open_line = False
        return True

    def spider_opened(self, spider: Any) -> None:
        if self.live:   # the handlers writing where the live line is (not a LOG_FILE)
            for handler in logging.getLogger().handlers:
                if getattr(handler, "stream", None) is self.stream:
                    handler.addFilter(self)
        self._loop = task.LoopingCall(self.tick)
        self._loop.start(self.interval, now=False)

    def spider_closed(self, spider: Any) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        if self.live:
            for handler in logging.getLogger().handlers:
                handler.removeFilter(self)
            self.stream.write("\r\x1b[K" + self.line() + "\n")
            self.stream.flush()
            self._open_line = False
