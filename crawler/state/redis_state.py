"""Scale-out on Redis: several newsclean workers share one request queue, one dupefilter
(both scrapy-redis) and one article store (:class:`RedisArticleStore`).

How a crawl over several workers works (see docs/scale-out.md):

- The first worker creates the crawl id (``<ns>:crawl``); workers that join later read it.
  The store's "scheduled in this crawl" mark uses it, so an article listed by two feeds that
  two workers read is fetched once, whichever worker gets it.
- Each worker keeps a heartbeat key (``<ns>:worker:<id>``, short TTL) saying whether it is busy.
- Every request is in exactly one place at every instant, each hand-over one atomic step:
  an article URL the store let a worker fetch is in ``<ns>:claimed`` until its request is
  queued (:class:`~newsclean.crawler.state.redis_scheduler.Queue`); a popped request is in the worker's ``taken`` hash until it is
  noted in ``<ns>:inflight``, where it stays until its outcome is settled (written and
  committed, unchanged, rejected, or failed).
- A worker that runs out of requests does not stop while another worker is busy. It first
  takes over what workers whose heartbeat has expired (killed, crashed) held
  (:func:`reclaim_dead`): that is how requests held by a SIGKILLed worker are recovered. The crawl ends when the
  queue is empty, nothing is in flight and every worker is idle; the last worker clears the
  queue, the dupefilter and the crawl id, so the next crawl starts with fresh discovery.
- Passwords never reach logs, manifests or error messages: URLs are shown redacted.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Sequence
from datetime import datetime, timezone
from hashlib import sha1
from typing import TYPE_CHECKING, Any

import orjson
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.http import Request
from twisted.internet import task

from newsclean.crawler.state.store import (ArticleStore, FetchDecision, Fetched, RetryPolicy, decide, since_stamp, stamp,
                                           to_iso, validators_hold)
from newsclean.output.redact import mask_credentials

if TYPE_CHECKING:
    import redis

logger = logging.getLogger(__name__)

URL_ENV = "NEWSCLEAN_REDIS_URL"
HEARTBEAT_TTL_MS = 5_000
HEARTBEAT_EVERY_S = 1.0
STARTUP_GRACE_S = 10.0
#: Keys a SCAN step looks at. SCAN walks the whole keyspace (one hash per article, the dedup
#: index) whatever the pattern; at Redis's default of 10 the idle check took hundreds of round
#: trips on the reactor thread (stalls of 0.3-2.6 s in a 2,000-page bench crawl).
SCAN_COUNT = 1000
#: ``redis://user:secret@host`` -> ``redis://user:***@host`` anywhere in a text (any URL scheme).
redact = mask_credentials


class RedactSecrets(logging.Filter):
    """Keep the credentials of every URL (Redis passwords, a site's user:password) out of every
    log line (Scrapy logs its overridden settings and every URL it fails to fetch)."""

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        if "@" in msg:
            clean = redact(msg)
            if clean != msg:
                record.msg, record.args = clean, ()
        if record.exc_info and record.exc_info[1] is not None:
            # the traceback quotes the URL too (Twisted: "invalid hostname: user:secret@host")
            text = record.exc_text or logging.Formatter().formatException(record.exc_info)
            if "@" in text and (clean := redact(text)) != text:
                record.exc_text = clean
        return True


def redis_url(settings: Any) -> str | None:
    """The Redis URL from ``NEWSCLEAN_REDIS_URL`` (setting, else environment)."""
    return settings.get("NEWSCLEAN_REDIS_URL") or os.environ.get(URL_ENV) or None


def redis_error() -> type[Exception]:
    """redis's base error class, imported on first need: a crawl that is not on Redis never
    loads the client (and where this is asked for, it holds one, so it is loaded already)."""
    import redis

    return redis.RedisError


class RedisUnavailable(RuntimeError):
    """Redis cannot be reached; the message names the redacted URL and the cause."""


def connect(url: str) -> redis.Redis:
    """A client for ``url`` (``redis://``, ``rediss://`` for TLS, with user/password), checked
    with a PING. Raises :class:`RedisUnavailable` with a redacted one-line message."""
    import redis   # here, not at module level: only a Redis crawl pays for the client (7 MB)

    try:
        client = redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=5,
                                      health_check_interval=30, retry_on_timeout=True)
        client.ping()
    except (redis.RedisError, ValueError, OSError) as exc:
        raise RedisUnavailable(f"cannot use Redis at {redact(url)}: {redact(str(exc))}") from None
    return client


def check_writable(client: redis.Redis, url: str, ns: str) -> None:
    """Raise :class:`RedisUnavailable` when Redis answers but refuses writes (a replica: READONLY;
    full under ``maxmemory`` with ``noeviction``: OOM; a user its ACL lets only read): the crawl's
    first write failed inside Scrapy's start, a traceback and 'run ended early: unknown'. One key
    of the namespace, expiring in 10 s, is written."""
    import redis

    try:
        client.set(f"{ns}:probe", b"1", px=10_000)
    except redis.RedisError as exc:
        raise RedisUnavailable(f"cannot use Redis at {redact(url)}: it refuses writes: {redact(str(exc))}") from None


def redis_failure(exc: BaseException) -> str:
    """Why a worker stops on a Redis error mid-crawl, as its last line says it: gone (no connection,
    a timeout) or refusing writes (full under maxmemory, a replica after a failover: it was said
    as 'went away' too)."""
    import redis

    what = ("Redis refuses writes" if isinstance(exc, (redis.exceptions.OutOfMemoryError, redis.exceptions.ReadOnlyError))
            else "Redis went away")
    return f"{what}: {redact(str(exc))}"


def namespace(settings: Any) -> str:
    return settings.get("NEWSCLEAN_REDIS_NAMESPACE") or "newsclean"


# -- the article store ----------------------------------------------------------------------

class RedisArticleStore(ArticleStore):
    """The article store on Redis, behind the same interface as the SQLite one.

    One hash per canonical URL (``<ns>:a:<sha1>``); staged records per part file; failed
    fetches to retry in the sorted set ``<ns>:retry`` (URL by due time). The
    ``run_id`` given to :meth:`should_fetch` is replaced by the crawl id all workers share.
    """

    def __init__(self, client: redis.Redis, ns: str, crawl_id: str, worker: str, root: str) -> None:
        self.r = client
        self.ns = ns
        self.crawl_id = crawl_id
        self.worker = worker
        self.root = root
        self._claim = client.register_script(self._CLAIM)

    def _key(self, url: str) -> str:
        return f"{self.ns}:a:{sha1(url.encode()).hexdigest()}"

    @staticmethod
    def _row(raw: dict[bytes, bytes]) -> dict[str, str | None]:
        return {k.decode(): v.decode() for k, v in raw.items()}

    #: Claims article URLs for the crawl (ARGV[1]) unless it already holds them: two workers
    #: deciding on one URL fetch it once. The claim is noted in the claimed hash (ARGV[3]) until
    #: the request is queued (:meth:`Queue.push`), so a worker killed in between leaves it to
    #: :func:`reclaim_dead`. KEYS: article hashes; ARGV[2]: the article set; then per key:
    #: "1" to claim ("0": leave it), url, site, first_seen, the claim entry.
    _CLAIM = """
    local out = {}
    for i, key in ipairs(KEYS) do
      local at = 4 + (i - 1) * 5
      out[i] = 0
      if ARGV[at] == '1' and redis.call('HGET', key, 'scheduled_run') ~= ARGV[1] then
        if redis.call('EXISTS', key) == 0 then
          redis.call('HSET', key, 'url', ARGV[at + 1], 'site', ARGV[at + 2], 'first_seen', ARGV[at + 3])
          redis.call('SADD', ARGV[2], key)
        end
        redis.call('HSET', key, 'scheduled_run', ARGV[1])
        redis.call('HSET', ARGV[3], ARGV[at + 1], ARGV[at + 4])
        out[i] = 1
      end
    end
    return out
    """

    def should_fetch(self, url: str, site: str, listed_date: datetime | None, run_id: str,
                     cutoff: datetime | None = None) -> FetchDecision:
        return self.should_fetch_many([(url, site, listed_date)], run_id, cutoff)[0]

    def should_fetch_many(self, urls: Sequence[tuple[str, str, datetime | None]], run_id: str,
                          cutoff: datetime | None = None) -> list[FetchDecision]:
        """Two round trips for the batch: read every URL's row (pipelined), decide, then claim
        the ones to fetch in one script. Only the claim needs to be atomic: between the read
        and the claim the only change another worker of the crawl can make to a row is its
        own claim (it fetches, and writes the row, after that), and the script sees it."""
        if not urls:
            return []
        keys = [self._key(url) for url, _, _ in urls]
        with self.r.pipeline(transaction=False) as pipe:
            for key in keys:
                pipe.hgetall(key)
            rows = pipe.execute()
        decisions = [decide(self._row(raw) if raw else None, to_iso(listed), self.crawl_id, cutoff=cutoff)
                     for raw, (_, _, listed) in zip(rows, urls)]
        if not any(d.fetch for d in decisions):
            return decisions
        now = to_iso(datetime.now(timezone.utc)) or ""
        args = [self.crawl_id, f"{self.ns}:articles", f"{self.ns}:claimed"]
        for decision, (url, site, listed) in zip(decisions, urls):
            claim = held_by(self.worker, {"url": url, "kind": "article", "listed_date": to_iso(listed)}) if decision.fetch else b""
            args += ["1" if decision.fetch else "0", url, site, now, claim]
        claimed = self._claim(keys=keys, args=args)
        return [d if ok or not d.fetch else FetchDecision(False, "scheduled") for d, ok in zip(decisions, claimed)]

    def record_fetch(self, fetched: Fetched, *, unchanged: bool) -> None:
        key = self._key(fetched.url)
        fields = {"url": fetched.url, "site": fetched.site, "last_fetched": to_iso(fetched.fetched_at) or ""}
        if unchanged:
            fields.update({k: v for k, v in (("etag", fetched.etag), ("last_modified", fetched.last_modified),
                                             ("listed_date", fetched.listed_date)) if v})
        self.r.hset(key, mapping=fields)
        self.r.hsetnx(key, "first_seen", fields["last_fetched"])
        if unchanged:
            self._clear_retry(self.r, fetched.url)
            self.settled(fetched.url)

    _RETRY_FIELDS = ("attempts", "retry_after", "gave_up")

    def _clear_retry(self, client: Any, url: str) -> None:
        """A fetch of ``url`` succeeded (``client``: the store's client or a pipeline)."""
        client.hdel(self._key(url), *self._RETRY_FIELDS)
        client.zrem(f"{self.ns}:retry", url)

    def record_failure(self, url: str, site: str, policy: RetryPolicy, now: datetime) -> bool:
        key = self._key(url)
        attempts = int(self.r.hincrby(key, "attempts", 1))
        retry_after, gave_up = policy.after_failure(attempts, now)
        with self.r.pipeline() as pipe:
            pipe.hsetnx(key, "url", url)
            pipe.hsetnx(key, "site", site)
            pipe.hsetnx(key, "first_seen", stamp(now))
            pipe.sadd(f"{self.ns}:articles", key)
            if retry_after is not None:
                pipe.hset(key, "retry_after", retry_after)
                pipe.zadd(f"{self.ns}:retry", {url: datetime.fromisoformat(retry_after).timestamp()})
            else:
                pipe.hdel(key, "retry_after")
                pipe.hset(key, "gave_up", gave_up or "")
                pipe.zrem(f"{self.ns}:retry", url)
            pipe.execute()
        return gave_up is not None

    def due_retries(self, site: str, now: datetime, limit: int = 10_000) -> list[str]:
        urls = [u.decode() for u in self.r.zrangebyscore(f"{self.ns}:retry", "-inf", now.timestamp(), start=0, num=limit)]
        with self.r.pipeline(transaction=False) as pipe:
            for url in urls:
                pipe.hget(self._key(url), "site")
            sites = pipe.execute()
        return [url for url, s in zip(urls, sites) if s is not None and s.decode() == site]

    def content_hash(self, url: str) -> str | None:
        value = self.r.hget(self._key(url), "content_hash")
        return value.decode() if value else None

    def stage(self, part: str, record_id: str, content_hash: str, fetched: Fetched) -> None:
        entry = {"record_id": record_id, "content_hash": content_hash, "etag": fetched.etag,
                 "last_modified": fetched.last_modified, "listed_date": fetched.listed_date}
        owner = orjson.dumps({"worker": self.worker, "host": socket.gethostname(), "root": os.path.abspath(self.root)})
        with self.r.pipeline() as pipe:
            pipe.hset(f"{self.ns}:staged:{part}", fetched.url, orjson.dumps(entry))
            pipe.hset(f"{self.ns}:staged_parts", part, owner)
            pipe.hset(f"{self.ns}:inflight", fetched.url, held_by(self.worker, {"url": fetched.url}, part=part))
            pipe.execute()

    def commit_part(self, part: str) -> int:
        staged = self.r.hgetall(f"{self.ns}:staged:{part}")
        with self.r.pipeline() as pipe:
            for url_b, raw in staged.items():
                url, entry = url_b.decode(), orjson.loads(raw)
                key = self._key(url)
                pipe.hset(key, mapping={"content_hash": entry["content_hash"], "record_id": entry["record_id"]})
                for name in ("etag", "last_modified"):
                    if entry[name]:
                        pipe.hset(key, name, entry[name])
                    else:
                        pipe.hdel(key, name)
                if entry["listed_date"]:
                    pipe.hset(key, "listed_date", entry["listed_date"])
                self._clear_retry(pipe, url)
                pipe.hdel(f"{self.ns}:inflight", url)
            pipe.delete(f"{self.ns}:staged:{part}")
            pipe.hdel(f"{self.ns}:staged_parts", part)
            pipe.execute()
        return len(staged)

    def recover(self, exclude_run: str | None = None) -> tuple[int, int]:
        """Settle parts staged by this machine's earlier runs (their files are local) and by
        dead workers (whose files cannot be seen from here: their records are refetched)."""
        promoted = dropped = 0
        live = live_workers(self.r, self.ns)
        for part_b, owner_b in self.r.hgetall(f"{self.ns}:staged_parts").items():
            part, owner = part_b.decode(), orjson.loads(owner_b)
            if exclude_run and f"part-{exclude_run}-" in part or owner["worker"] in live:
                continue
            outcome = self.resolve_part(part, owner)
            promoted += outcome if outcome > 0 else 0
            dropped += -outcome if outcome < 0 else 0
        return promoted, dropped

    def resolve_part(self, part: str, owner: dict[str, str]) -> int:
        """Settle a part a dead worker staged, if this machine can see where it would be:
        promote its records if the file exists (+n), drop them if it does not (-n).
        0: the part lives on another machine; a worker there settles it when it starts."""
        if owner["host"] != socket.gethostname():
            return 0
        if os.path.exists(os.path.join(owner["root"], part)):
            return self.commit_part(part)
        urls = self.r.hkeys(f"{self.ns}:staged:{part}")
        with self.r.pipeline() as pipe:
            pipe.delete(f"{self.ns}:staged:{part}")
            pipe.hdel(f"{self.ns}:staged_parts", part)
            pipe.execute()
        return -len(urls)

    def taken(self, url: str) -> None:
        self.r.hdel(f"{self.ns}:claimed", url)

    def settled(self, url: str) -> None:
        self.r.hdel(f"{self.ns}:inflight", url)

    # The --since cutoff a document was read under is in a hash of its own (<ns>:documents_since),
    # not a third item of <ns>:documents' [etag, last_modified]: a worker of an older newsclean in
    # the same crawl reads those as a pair. A document without one: saved before it was kept.
    def document_validators(self, url: str, cutoff: datetime | None = None) -> tuple[str | None, str | None]:
        with self.r.pipeline(transaction=False) as pipe:
            pipe.hget(f"{self.ns}:documents", url)
            pipe.hget(f"{self.ns}:documents_since", url)
            raw, since = pipe.execute()
        if not raw or not validators_hold(since.decode() if since is not None else None, cutoff):
            return None, None
        etag, last_modified = orjson.loads(raw)
        return etag, last_modified

    def save_document_validators(self, validators: dict[str, tuple[str | None, str | None]],
                                 cutoff: datetime | None = None) -> None:
        if validators:
            with self.r.pipeline() as pipe:
                pipe.hset(f"{self.ns}:documents", mapping={u: orjson.dumps(list(v)) for u, v in validators.items()})
                pipe.hset(f"{self.ns}:documents_since", mapping=dict.fromkeys(validators, since_stamp(cutoff)))
                pipe.execute()

    def count(self) -> int:
        return int(self.r.scard(f"{self.ns}:articles"))

    def close(self) -> None:
        self.r.close()


def live_workers(client: redis.Redis, ns: str) -> set[str]:
    return {k.decode().rsplit(":", 1)[1] for k in client.scan_iter(f"{ns}:worker:*", count=SCAN_COUNT)}


def held_by(worker: str, request: dict[str, Any], **extra: Any) -> bytes:
    """A ``<ns>:claimed`` or ``<ns>:inflight`` value: who holds the request, and how to redo it."""
    return orjson.dumps({"worker": worker, "request": request, **extra})


def inflight_key(request: Request) -> str:
    """Articles by their store key (settled when committed); discovery documents by URL."""
    if request.meta.get("newsclean_kind") == "article":
        return request.meta.get("newsclean_key") or request.url
    return "discovery:" + request.url


def request_entry(request: Request) -> dict[str, Any]:
    return {"url": request.url, "kind": request.meta["newsclean_kind"], "source": request.meta.get("newsclean_source"),
            "depth": request.meta.get("newsclean_depth", 0), "listed_date": request.meta.get("newsclean_listed_date")}


#: Moves a dead worker's entry (ARGV[1] in hash KEYS[1], held by ARGV[2]) to the claims of
#: the reclaiming worker (ARGV[3]): one reclaimer wins, and the entry is never in no hash.
_TRANSFER = """
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return false end
local held = cjson.decode(raw)
if held['worker'] ~= ARGV[2] then return false end
redis.call('HDEL', KEYS[1], ARGV[1])
held['worker'] = ARGV[3]
held['part'] = nil
redis.call('HSET', KEYS[2], ARGV[1], cjson.encode(held))
return raw
"""

#: Puts the requests a dead worker popped but had not noted in flight (hash KEYS[1]: encoded
#: request -> score) back in the queue (KEYS[2]).
_RETURN_TAKEN = """
local kv = redis.call('HGETALL', KEYS[1])
for i = 1, #kv, 2 do redis.call('ZADD', KEYS[2], kv[i + 1], kv[i]) end
redis.call('DEL', KEYS[1])
return #kv / 2
"""


def reclaim_dead(client: redis.Redis, ns: str, me: str, store: RedisArticleStore | None) -> tuple[int, list[tuple[str, dict[str, Any]]]]:
    """What workers whose heartbeat expired held, taken over by worker ``me``.

    Requests they had popped but not noted go back to the queue as they were (the count is
    returned first). Their claims (listed, not yet queued) and in-flight entries become claims
    of ``me``, returned as ``(key, request entry)`` for the caller to queue: :meth:`Queue.push`
    clears the claim in the transaction that queues the request, so a reclaimer killed in turn
    leaves them to the next one. Articles staged in a dead worker's part file are settled by
    looking at the file (:meth:`RedisArticleStore.resolve_part`) and redone only if it is lost.
    """
    live = live_workers(client, ns) | {me}
    requeued = 0
    for key in client.scan_iter(f"{ns}:*:requests:taken:*", count=SCAN_COUNT):
        name = key.decode()
        if name.rsplit(":", 1)[1] not in live:
            requeued += int(client.eval(_RETURN_TAKEN, 2, name, name.rsplit(":taken:", 1)[0]))
    redo: list[tuple[str, dict[str, Any]]] = []
    for table in ("claimed", "inflight"):
        for key_b, raw in client.hgetall(f"{ns}:{table}").items():
            held = orjson.loads(raw)
            if held["worker"] in live:
                continue
            if held.get("part") and store is not None:
                # Cleaned and staged in a part file of the dead worker: written if that part
                # was renamed into view before it died, lost if not. Only a look at the file
                # can tell; a worker on another machine leaves it to one on that machine.
                owner_raw = client.hget(f"{ns}:staged_parts", held["part"])
                if owner_raw is not None and store.resolve_part(held["part"], orjson.loads(owner_raw)) >= 0:
                    continue   # promoted (written) or not ours to judge
            if client.eval(_TRANSFER, 2, f"{ns}:{table}", f"{ns}:claimed", key_b, held["worker"], me):
                redo.append((key_b.decode(), held["request"]))
    return requeued, redo


# -- coordination (the Redis queue and scheduler: crawler/state/redis_scheduler.py) --------------

class Coordinator:
    """Extension: heartbeat, in-flight recovery and the crawl's end across workers."""

    def __init__(self, crawler: Crawler, client: redis.Redis, ns: str, worker: str) -> None:
        self.crawler = crawler
        self.r = client
        self.ns = ns
        self.worker = worker
        self._beat: task.LoopingCall | None = None
        self._opened = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Coordinator:
        url = redis_url(crawler.settings)
        if not url:
            raise NotConfigured
        o = cls(crawler, connect(url), namespace(crawler.settings), worker_id(crawler.settings))
        crawler.signals.connect(o.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(o.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(o.spider_closed, signal=signals.spider_closed)
        return o

    def _busy(self) -> bool:
        engine = self.crawler.engine
        if engine is None:
            return False
        slot = getattr(engine, "_slot", None)
        inprogress = len(getattr(slot, "inprogress", ())) if slot else 0
        scraper = getattr(engine, "scraper", None)
        active = len(getattr(getattr(scraper, "slot", None), "active", ())) if scraper else 0
        return bool(len(engine.downloader.active) or inprogress or active)

    def heartbeat(self) -> None:
        # A worker counts as busy in its first seconds: its discovery may not have queued
        # anything yet, and others must not take an empty queue for the end of the crawl.
        busy = self._busy() or time.monotonic() - self._opened < STARTUP_GRACE_S
        try:
            self.r.set(f"{self.ns}:worker:{self.worker}", "busy" if busy else "idle", px=HEARTBEAT_TTL_MS)
        except redis_error():
            pass   # the scheduler reports Redis failures; a missed beat only delays recovery

    def spider_opened(self, spider: Any) -> None:
        self._opened = time.monotonic()
        self.heartbeat()
        self._beat = task.LoopingCall(self.heartbeat)
        self._beat.start(HEARTBEAT_EVERY_S, now=False)

    def reclaim(self, spider: Any) -> int:
        """Take over what workers whose heartbeat has expired held (:func:`reclaim_dead`)."""
        store = getattr(spider, "store", None)
        requeued, redo = reclaim_dead(self.r, self.ns, self.worker, store if isinstance(store, RedisArticleStore) else None)
        for key, req in redo:
            if req.get("kind", "article") == "article":
                request = spider.known_article_request(req["url"], key, req.get("source") or "reclaimed",
                                                       req.get("listed_date")).replace(dont_filter=True)
            else:
                request = spider._discovery_request(req["url"], req["kind"], req.get("depth") or 0)
                request = request.replace(dont_filter=True)
            spider.crawler.engine.crawl(request)
        n = requeued + len(redo)
        if n:
            self.crawler.stats.inc_value("newsclean/redis/reclaimed", n)
            logger.info("re-queued %d requests held by workers that stopped", n)
        return n

    def spider_idle(self, spider: Any) -> None:
        if self.crawler.stats.get_value("newsclean/redis/error"):
            return   # Redis is gone: let this worker close
        try:
            self.heartbeat()
            if self.reclaim(spider):
                raise DontCloseSpider
            others_busy = any(self.r.get(f"{self.ns}:worker:{w}") == b"busy"
                              for w in live_workers(self.r, self.ns) if w != self.worker)
            queued = sum(self.r.zcard(k) for k in self.r.scan_iter(f"{self.ns}:*:requests", count=SCAN_COUNT))
        except redis_error() as exc:
            self.crawler.stats.set_value("newsclean/redis/error", redis_failure(exc))
            return
        # In-flight entries of live, idle workers do not count: they are records waiting in
        # open part files, committed when their worker closes. Dead workers' entries were
        # re-queued above.
        if others_busy or queued:
            raise DontCloseSpider

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self._beat is not None and self._beat.running:
            self._beat.stop()
        try:
            self.r.delete(f"{self.ns}:worker:{self.worker}")
            if reason == "finished" and not live_workers(self.r, self.ns):
                # The last worker out: the next crawl starts with fresh discovery.
                for key in self.r.scan_iter(f"{self.ns}:*:requests", count=SCAN_COUNT):
                    self.r.delete(key)
                for key in self.r.scan_iter(f"{self.ns}:*:dupefilter", count=SCAN_COUNT):
                    self.r.delete(key)
                self.r.delete(f"{self.ns}:crawl")
        except redis_error():
            pass


class RedisAddon:
    """Scrapy add-on: with ``NEWSCLEAN_REDIS_URL`` set (setting or environment), use the
    scrapy-redis scheduler and dupefilter. Without it, nothing changes."""

    def update_settings(self, settings: Any) -> None:
        if redis_url(settings):
            settings.set("SCHEDULER", "newsclean.crawler.state.redis_scheduler.Scheduler", priority="addon")
            settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter", priority="addon")


def worker_id(settings: Any) -> str:
    return settings.get("NEWSCLEAN_WORKER_ID") or f"{socket.gethostname()}-{os.getpid()}"


def crawl_id(client: redis.Redis, ns: str, proposal: str) -> str:
    """The id of the crawl this worker joins (created by the first worker)."""
    client.set(f"{ns}:crawl", proposal, nx=True)
    value = client.get(f"{ns}:crawl")
    return value.decode() if value else proposal


def open_redis_store(settings: Any, root: str) -> RedisArticleStore:
    url = redis_url(settings)
    assert url
    client = connect(url)
    ns = namespace(settings)
    cid = crawl_id(client, ns, settings.get("NEWSCLEAN_RUN_ID") or uuid.uuid4().hex)
    return RedisArticleStore(client, ns, cid, worker_id(settings), root)


class InflightSpiderMiddleware:
    """Spider middleware: a discovery document is settled once everything its callback
    produced has been scheduled (Redis mode only)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> InflightSpiderMiddleware:
        if not redis_url(crawler.settings):
            raise NotConfigured
        return cls(crawler)

    def _settle(self, response: Any) -> None:
        store = getattr(self.crawler.spider, "store", None)
        request = getattr(response, "request", None)
        if isinstance(store, RedisArticleStore) and request is not None \
                and request.meta.get("newsclean_kind") not in (None, "article"):
            store.settled(inflight_key(request))

    def process_spider_output(self, response: Any, result: Any) -> Any:
        yield from result
        self._settle(response)

    async def process_spider_output_async(self, response: Any, result: Any) -> Any:
        async for item in result:
            yield item
        self._settle(response)


#: Names this module had before the queue and scheduler moved to redis_scheduler.py (35380de):
#: settings written then keep working (importing them here would import scrapy-redis on every crawl).
_MOVED = ("Queue", "Scheduler")


def __getattr__(name: str) -> Any:
    if name not in _MOVED:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from newsclean.crawler.state import redis_scheduler

    logger.warning("%s.%s has moved: name newsclean.crawler.state.redis_scheduler.%s in your settings",
                   __name__, name, name)
    found = globals()[name] = getattr(redis_scheduler, name)   # said once a process
    return found
