"""Politeness the downloader keeps per site: its concurrency bound, and Retry-After.

:class:`PoliteDownloader` (the ``DOWNLOADER`` setting) is Scrapy's downloader with two changes:

- **The per-domain bound holds at any delay.** Scrapy 2.19 takes a request off a slot's queue
  and only marks it transferring when its download task starts, on a later turn of the loop;
  the loop that fills the slot counts the free places before that, so with no download delay
  it emptied the whole queue at once (9 requests in flight to one host with
  ``CONCURRENT_REQUESTS_PER_DOMAIN=2``, measured). Here the request is marked transferring as
  it leaves the queue.
- **Bodies in flight are bounded in bytes** (``NEWSCLEAN_INFLIGHT_BYTES``): no new request
  starts while the responses that wait for or are in the pipelines (Scrapy's scraper slot)
  and the downloads in progress (counted at the crawl's mean response size) reach the bound.
  Scrapy bounds the first only (``SCRAPER_SLOT_MAX_ACTIVE_SIZE``, 5 MB) and only stops
  *starting* requests past it: the downloads already in progress all arrive after, so a crawl
  whose cleaning is slower than its fetching held 10 MB of bodies on average and up to 22 MB
  in 45 responses (bench crawl, 3,000 URLs of fundus-dev, 32 requests at once), where a few
  pages waiting are all two workers need. Scrapy's gate is lifted to this bound (it is the
  only one): under it, requests started in bursts, each time the waiting bodies fell below
  Scrapy's 5 MB, as many at once as the bound's room held at the mean size (12 downloads of
  pages that came 0.78 MB each: 9.4 MB arriving in 0.1 s); with this bound alone a request
  starts as a page leaves the pipelines, one or two at a time.
- **A slot can be paused** until a time: :class:`RetryAfterMiddleware` pauses a site's slot for
  the ``Retry-After`` of a 429 or 503 answer (seconds or an HTTP date, at most
  ``NEWSCLEAN_RETRY_AFTER_MAX``), so the retry and every other request to that site wait,
  and doubles the site's download delay (up to ``AUTOTHROTTLE_MAX_DELAY``).
"""

from __future__ import annotations

import email.utils
import logging
import math
from collections import deque
from datetime import datetime, timezone
from time import monotonic
from typing import Any

from scrapy import signals
from scrapy.core.downloader import Downloader, Slot
from scrapy.crawler import Crawler
from scrapy.http import Request, Response
from scrapy.utils.asyncio import call_later

logger = logging.getLogger(__name__)

STATS = "newsclean/politeness"
#: The size of a response before the crawl has seen its own pages (a news page: 0.1-0.5 MB).
GUESSED_BODY_BYTES = 256 * 1024
#: Answers that tell a crawler to slow down.
SLOW_DOWN = (429, 503)


class _SlotQueue(deque):  # type: ignore[type-arg]
    """A slot's queue that marks each request transferring as it hands it out (so the slot's
    free places are counted right at once), and holds the time before which the slot sends
    nothing (``resume_at``, monotonic seconds)."""

    def __init__(self, slot: Slot) -> None:
        super().__init__(slot.queue)
        self.slot = slot
        self.resume_at = 0.0

    def popleft(self) -> Any:
        request, dfd = super().popleft()
        self.slot.transferring.add(request)   # Scrapy adds it again when the download starts: a set
        return request, dfd


def _queue(slot: Slot) -> _SlotQueue:
    if not isinstance(slot.queue, _SlotQueue):
        slot.queue = _SlotQueue(slot)
    return slot.queue


class PoliteDownloader(Downloader):
    """Scrapy's downloader whose per-slot concurrency bound holds, whose slots can be paused,
    and which starts no request while the bodies in flight reach ``NEWSCLEAN_INFLIGHT_BYTES``."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        # read as a number (the command line checks it as one: "4e6" is one); <= 0, and a bound
        # too large for an int ("inf", "1e400"), is no bound
        bound = crawler.settings.getfloat("NEWSCLEAN_INFLIGHT_BYTES", 0)
        self.inflight_bytes = int(bound) if math.isfinite(bound) else 0
        self._estimate = float(GUESSED_BODY_BYTES)
        self._seen = (0, 0)   # (responses, bytes) the estimate has taken in
        if self.inflight_bytes > 0:
            crawler.signals.connect(self.lift_scraper_gate, signal=signals.spider_opened)

    def lift_scraper_gate(self) -> None:
        """Raise Scrapy's own gate (the scraper slot's ``max_active_size``, made at the
        spider's open) to :attr:`inflight_bytes`, so that this bound is the one that acts: two
        gates made the requests start in bursts (see the module's doc)."""
        engine = self.crawler.engine
        slot = engine.scraper.slot if engine is not None else None
        if slot is not None:
            slot.max_active_size = max(slot.max_active_size, self.inflight_bytes)

    def needs_backout(self) -> bool:
        return super().needs_backout() or self.bodies_over_bound()

    def bodies_over_bound(self) -> bool:
        """True when the bodies waiting for the pipelines and those being downloaded (each at
        :meth:`_body_estimate`) reach :attr:`inflight_bytes`. The
        engine asks again whenever a response is through the pipelines, so the crawl goes on
        as the cleaning frees room; a single body over the bound passes alone."""
        if self.inflight_bytes <= 0:
            return False
        engine = self.crawler.engine
        slot = engine.scraper.slot if engine is not None else None
        waiting = slot.active_size if slot is not None else 0
        if not waiting and not self.active:
            return False
        return waiting + len(self.active) * self._body_estimate() >= self.inflight_bytes

    def _body_estimate(self) -> float:
        """The size a download in progress is counted at: a moving mean of the responses'
        sizes (each new response weighs 1/16), from :data:`GUESSED_BODY_BYTES` before the
        first. A plain mean over the crawl is the sizes of its robots.txt and sitemaps at first,
        far from a page's, and moves ever slower."""
        stats = self.crawler.stats
        count = stats.get_value("downloader/response_count", 0) or 0
        received = stats.get_value("downloader/response_bytes", 0) or 0
        new = count - self._seen[0]
        if new > 0:
            weight = 1 - (15 / 16) ** new   # as if the new responses came one by one, each of their mean size
            self._estimate += weight * ((received - self._seen[1]) / new - self._estimate)
            self._seen = (count, received)
        return self._estimate

    def _get_slot(self, request: Request, spider: Any = None) -> tuple[str, Slot]:
        key, slot = super()._get_slot(request)
        _queue(slot)
        return key, slot

    def pause(self, key: str, seconds: float) -> float:
        """Send nothing to slot ``key`` for ``seconds`` (a longer pause already set stays);
        the seconds the slot now waits."""
        slot = self.slots.get(key)
        if slot is None:
            return 0.0
        queue = _queue(slot)
        queue.resume_at = max(queue.resume_at, monotonic() + seconds)
        return queue.resume_at - monotonic()

    def _process_queue(self, slot: Slot) -> None:
        wait = _queue(slot).resume_at - monotonic()
        if wait > 0:
            if slot.latercall is None:
                slot.latercall = call_later(wait, self._latercall, slot)
            return   # an earlier latercall (a download delay) comes back here and waits on
        super()._process_queue(slot)


def retry_after_seconds(value: str | bytes | None, now: datetime | None = None) -> float | None:
    """A ``Retry-After`` value in seconds from now: delta-seconds or an HTTP date (RFC 9110
    10.2.3); None when absent or unreadable. A date in the past is 0."""
    if value is None:
        return None
    text = (value.decode("latin-1") if isinstance(value, bytes) else value).strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


class RetryAfterMiddleware:
    """Downloader middleware (before RetryMiddleware sees the answer): on a 429 or 503, pause
    the site's slot for its Retry-After (capped by ``NEWSCLEAN_RETRY_AFTER_MAX``) and double the
    site's download delay (capped by ``AUTOTHROTTLE_MAX_DELAY``). Counted:
    ``newsclean/politeness/slow_down`` (such answers), ``newsclean/politeness/retry_after``
    (with a Retry-After honoured), ``newsclean/politeness/paused_seconds``."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.cap = crawler.settings.getfloat("NEWSCLEAN_RETRY_AFTER_MAX")
        self.max_delay = crawler.settings.getfloat("AUTOTHROTTLE_MAX_DELAY")
        self.min_delay = max(crawler.settings.getfloat("DOWNLOAD_DELAY"), 1.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status not in SLOW_DOWN:
            return response
        stats = self.crawler.stats
        stats.inc_value(f"{STATS}/slow_down")
        downloader = self.crawler.engine.downloader
        key = request.meta.get(Downloader.DOWNLOAD_SLOT)
        slot = downloader.slots.get(key) if key is not None else None
        if slot is None:
            return response
        slot.delay = min(max(2 * slot.delay, self.min_delay), max(self.max_delay, self.min_delay))
        seconds = retry_after_seconds(response.headers.get(b"Retry-After"))
        if seconds is not None and isinstance(downloader, PoliteDownloader):
            seconds = min(seconds, self.cap)
            paused = downloader.pause(key, seconds)
            stats.inc_value(f"{STATS}/retry_after")
            stats.inc_value(f"{STATS}/paused_seconds", round(seconds))
            logger.info("%s answered %d with Retry-After %s: nothing more to %s for %.0fs, delay now %.1fs",
                        request.url, response.status, response.headers.get(b"Retry-After", b"").decode("latin-1"),
                        key, paused, slot.delay)
        return response
