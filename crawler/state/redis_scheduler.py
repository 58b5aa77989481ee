"""The Redis request queue and scheduler of a scaled-out crawl (see :mod:`newsclean.crawler.state.redis_state`).

Apart from the rest of the Redis code because they subclass scrapy-redis's classes: a crawl
imports this module (and redis, scrapy-redis: 7 MB of its main process) only when
:class:`~newsclean.crawler.state.redis_state.RedisAddon` names its scheduler, on Redis.
"""

from __future__ import annotations

import logging
from typing import Any

import redis
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request
from scrapy_redis.queue import PriorityQueue as _PriorityQueue
from scrapy_redis.scheduler import Scheduler as _RedisScheduler

from newsclean.crawler.state.redis_state import (connect, held_by, inflight_key, namespace, redis_failure, redis_url,
                                                 request_entry, worker_id)

logger = logging.getLogger(__name__)


class Queue(_PriorityQueue):
    """scrapy-redis's priority queue with each hand-over of a request atomic, so that a worker
    killed at any instant leaves every request where
    :func:`~newsclean.crawler.state.redis_state.reclaim_dead` finds it:

    - push: the request enters the queue and leaves ``<ns>:claimed`` in one transaction;
    - pop: one script moves it from the queue to ``<queue>:taken:<worker>``, then one
      transaction notes it in ``<ns>:inflight`` and removes it from there.

    (A pop used to be noted in flight by a downloader middleware, which Scrapy runs a loop
    turn later: a worker killed in its first second lost the requests it had just popped.)
    """

    ns = "newsclean"   # both set by Scheduler.open
    worker = ""

    _TAKE = """
    local top = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
    if #top == 0 then return false end
    redis.call('ZREMRANGEBYRANK', KEYS[1], 0, 0)
    redis.call('HSET', KEYS[2], top[1], top[2])
    return top[1]
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # EVALSHA: a pop per request must not send the script's text each time
        self._take = self.server.register_script(self._TAKE)

    @property
    def taken_key(self) -> str:
        return f"{self.key}:taken:{self.worker}"

    def push(self, request: Request) -> None:
        with self.server.pipeline(transaction=True) as pipe:
            pipe.execute_command("ZADD", self.key, -request.priority, self._encode_request(request))
            pipe.hdel(f"{self.ns}:claimed", inflight_key(request))
            pipe.execute()

    def pop(self, timeout: int = 0) -> Request | None:
        data = self._take(keys=[self.key, self.taken_key])
        if not data:
            return None
        request = self._decode_request(data)
        with self.server.pipeline(transaction=True) as pipe:
            if request.meta.get("newsclean_kind"):
                pipe.hset(f"{self.ns}:inflight", inflight_key(request), held_by(self.worker, request_entry(request)))
            pipe.hdel(self.taken_key, data)
            pipe.execute()
        return request


class Scheduler(_RedisScheduler):
    """scrapy-redis's scheduler, connected through :func:`connect` (redacted errors), that
    stops the crawl cleanly when Redis goes away instead of failing on every request."""

    @classmethod
    def from_settings(cls, settings: Any) -> Scheduler:  # type: ignore[override]
        url = redis_url(settings)
        if not url:
            raise NotConfigured  # not on Redis: nothing to warn about
        ns = namespace(settings)
        return cls(
            server=connect(url),                     # one place makes clients: ours (redacted errors)
            persist=True,                            # the last worker clears the queue, not the first
            queue_key=f"{ns}:%(spider)s:requests",
            dupefilter_key=f"{ns}:%(spider)s:dupefilter",
            dupefilter_cls="scrapy_redis.dupefilter.RFPDupeFilter",
            queue_cls="newsclean.crawler.state.redis_scheduler.Queue",
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Scheduler:  # type: ignore[override]
        instance = cls.from_settings(crawler.settings)
        instance.stats = crawler.stats
        instance.crawler = crawler
        return instance

    def open(self, spider: Any) -> None:
        from scrapy_redis.dupefilter import RFPDupeFilter

        # scrapy-redis would build its own client from REDIS_URL; share ours instead.
        self.df = RFPDupeFilter(self.server, key=self.dupefilter_key % {"spider": spider.name})
        super().open(spider)
        self.queue.ns, self.queue.worker = namespace(self.crawler.settings), worker_id(self.crawler.settings)

    def _gone(self, exc: Exception) -> None:
        msg = redis_failure(exc)
        if self.stats is not None and not self.stats.get_value("newsclean/redis/error"):
            self.stats.set_value("newsclean/redis/error", msg)
            logger.error("%s; stopping this worker", msg)
            from scrapy.utils.defer import deferred_from_coro

            deferred_from_coro(self.crawler.engine.close_spider_async(reason="redis_error"))

    def enqueue_request(self, request: Request) -> bool:
        try:
            return super().enqueue_request(request)
        except redis.RedisError as exc:
            self._gone(exc)
            return False

    def next_request(self) -> Request | None:
        try:
            return super().next_request()
        except redis.RedisError as exc:
            self._gone(exc)
            return None

    def has_pending_requests(self) -> bool:
        try:
            return super().has_pending_requests()
        except redis.RedisError:
            return False

    def close(self, reason: str) -> None:
        try:
            super().close(reason)
        except redis.RedisError:
            pass
