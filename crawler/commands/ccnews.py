"""Common Crawl's CC-NEWS as a source: ``newsclean ccnews --from DAY --to DAY``.

The WARC files of those days are listed from ``crawl-data/CC-NEWS/YYYY/MM/warc.paths.gz``
under ``NEWSCLEAN_CCNEWS_BASE_URL`` and read one at a time, streamed (never written to disk):
a reader thread parses each record's WARC headers, keeps the HTTP responses of the chosen
domains and decodes their pages; :class:`CCNewsSpider` sends them through the crawl's own
item pipelines (cleaning pool, dedup, output parts, article store), so records, rejects,
manifest and state are those of a crawl. Each record's ``cleaning.source`` names the WARC
file and the record's offset.

A file is marked done (:class:`FileLedger`) only once every record read from it has left the
pipelines and the parts holding them are committed. A killed run leaves its file unmarked:
the next run reads it again and skips, without cleaning them, the pages the article store
already holds (written, or settled as rejects). With ``--redis`` the files are work items
leased to one worker at a time; a lease lasts as long as its worker's heartbeat, so a killed
worker's file goes back to the others.

Bad input is counted and said, never a traceback: a listing that is not gzip stops the run
before it starts (one line); a listed file answering 404 is skipped (and read again by a
later run); a damaged record (corrupt or cut gzip member) is skipped and reading goes on at
the next gzip member; a slow or broken connection is retried with backoff from the last
record read (HTTP Range), up to ``NEWSCLEAN_CCNEWS_RETRIES`` times.
"""

from __future__ import annotations

import asyncio
import gzip
import http.client
import logging
import os
import re
import socket
import threading
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import Crawler
from warcio.archiveiterator import ArchiveIterator

from newsclean.crawler.items import PageItem
from newsclean.crawler.state import open_store, state_dir
from newsclean.crawler.state.store import ArticleStore, Fetched, decide
from newsclean.crawler.components.warc import WarcResponse, read_record, html_of
from newsclean.output import canonicalize_url
from newsclean.output.stats import counted

logger = logging.getLogger(__name__)

BASE_URL_ENV = "NEWSCLEAN_CCNEWS_BASE_URL"
DEFAULT_BASE_URL = "https://data.commoncrawl.org/"
STATS = "newsclean/ccnews"
#: Pages in the item pipelines at once: enough to keep every cleaning worker busy.
INFLIGHT = 64
#: Kept pages the reader thread may be ahead of the pipelines.
READ_AHEAD = 256
_CHUNK = 1 << 16
_GZIP_MAGIC = b"\x1f\x8b\x08"
_FILE_DAY = re.compile(r"CC-NEWS-(\d{8})\d*-\d+\.warc(\.gz)?$")


class SourceError(RuntimeError):
    """The archive cannot be used (listing missing or not gzip): one line, the run stops."""


class FileMissing(RuntimeError):
    """A listed file answers 404/410: skipped, read again by a later run."""


def base_url(settings: Any) -> str:
    """``NEWSCLEAN_CCNEWS_BASE_URL`` (setting, else environment, else Common Crawl's); ValueError
    when it is no http(s) URL: a path or a typo was a traceback from urllib ('unknown url type'),
    another scheme (ftp://) five retries and a minute and a half of waiting before 'failed'."""
    from urllib.parse import urlsplit

    given = settings.get(BASE_URL_ENV)
    url = str(given or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL)
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        where = "-s " if given else "the environment's "
        raise ValueError(f"{where}{BASE_URL_ENV}={url!r}: an http(s) URL expected (the archive's root, "
                         f"default {DEFAULT_BASE_URL})")
    return url if url.endswith("/") else url + "/"


#: The longest a read waits, in seconds: a socket's timeout refuses ~1e10 s and more
#: (OverflowError); a longer -s NEWSCLEAN_CCNEWS_TIMEOUT ('inf') is no bound.
LONGEST_WAIT = 365 * 24 * 3600.0


@dataclass(frozen=True, slots=True)
class Fetcher:
    """HTTP GETs with a read timeout and retries with exponential backoff."""

    timeout: float = 60.0
    retries: int = 5
    backoff: float = 2.0
    user_agent: str = "newsclean (CC-NEWS reader)"
    on_retry: Callable[[str], None] | None = None

    def open(self, url: str, offset: int = 0) -> Any:
        """The response to ``url`` from byte ``offset`` on (Range; a server that ignores it
        has the first bytes read and dropped). Raises :class:`FileMissing` on 404/410,
        ``OSError`` once the retries are spent."""
        attempt = 0
        while True:
            try:
                return self._open_once(url, offset)
            except urllib.error.HTTPError as exc:
                if exc.code in (404, 410):
                    raise FileMissing(f"HTTP {exc.code}") from None
                if exc.code < 500 and exc.code != 429:
                    raise OSError(f"HTTP {exc.code}") from None
                error: Exception = exc
            except (OSError, http.client.HTTPException) as exc:   # timeouts, resets, refused
                error = exc
            attempt += 1
            if attempt > self.retries:
                raise OSError(f"{describe(error)} (after {self.retries} retries)") from None
            self.wait(attempt, url, error)

    def wait(self, attempt: int, url: str, error: Exception) -> None:
        delay = self.backoff * 2 ** (attempt - 1)
        if self.on_retry is not None:
            self.on_retry(f"{url}: {describe(error)}; retry {attempt}/{self.retries} in {delay:.1f}s")
        time.sleep(delay)

    def _open_once(self, url: str, offset: int) -> Any:
        headers = {"User-Agent": self.user_agent}
        if offset:
            headers["Range"] = f"bytes={offset}-"
        response = urllib.request.urlopen(urllib.request.Request(url, headers=headers),
                                          timeout=min(self.timeout, LONGEST_WAIT))
        if offset and response.status != 206:
            left = offset
            while left:   # no Range support: skip what was read already
                chunk = response.read(min(left, _CHUNK))
                if not chunk:
                    raise OSError(f"file ends before byte {offset}")
                left -= len(chunk)
        return response

    def get(self, url: str) -> bytes:
        """A whole (small) document, retried like :meth:`open`."""
        attempt = 0
        while True:
            response = self.open(url)
            try:
                with response:
                    return response.read()
            except (OSError, http.client.HTTPException) as exc:
                attempt += 1
                if attempt > self.retries:
                    raise OSError(f"{describe(exc)} (after {self.retries} retries)") from None
                self.wait(attempt, url, exc)


def fetcher_from(settings: Any, on_retry: Callable[[str], None] | None = None) -> Fetcher:
    """The fetcher the ``NEWSCLEAN_CCNEWS_*`` settings describe, with the crawl's User-Agent."""
    from newsclean.crawler.components.middlewares import user_agent

    return Fetcher(timeout=settings.getfloat("NEWSCLEAN_CCNEWS_TIMEOUT", 60.0),
                   retries=settings.getint("NEWSCLEAN_CCNEWS_RETRIES", 5),
                   backoff=settings.getfloat("NEWSCLEAN_CCNEWS_BACKOFF", 2.0),
                   user_agent=user_agent(settings), on_retry=on_retry)


def describe(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.URLError) and not isinstance(exc, urllib.error.HTTPError):
        exc = exc.reason if isinstance(exc.reason, BaseException) else exc
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return "timed out"
    text = " ".join(str(exc).split())[:160]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


# -- the listing ---------------------------------------------------------------------------------

def months(first: date, last: date) -> Iterator[tuple[int, int]]:
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        yield y, m
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def file_day(path: str) -> date | None:
    """The capture day in a CC-NEWS file name (``CC-NEWS-20261101123456-00012.warc.gz``)."""
    m = _FILE_DAY.search(path)
    if not m:
        return None
    try:
        return datetime.strptime(m.group(1), "%Y%m%d").date()
    except ValueError:
        return None


def list_files(base: str, first: date, last: date, fetcher: Fetcher) -> list[str]:
    """The WARC files (paths under ``base``) of the days ``first`` .. ``last``, in order."""
    out = []
    for year, month in months(first, last):
        url = f"{base}crawl-data/CC-NEWS/{year}/{month:02d}/warc.paths.gz"
        try:
            raw = fetcher.get(url)
        except FileMissing as exc:
            raise SourceError(f"no CC-NEWS listing for {year}-{month:02d}: {url}: {exc}") from None
        except OSError as exc:
            raise SourceError(f"cannot read the CC-NEWS listing {url}: {describe(exc)}") from None
        try:
            text = gzip.decompress(raw).decode("utf-8")
        except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
            raise SourceError(f"the CC-NEWS listing {url} is not a gzip list of paths "
                              f"({describe(exc)}; it starts with {raw[:20]!r})") from None
        for line in text.splitlines():
            path = line.strip()
            day = file_day(path)
            if day is not None and first <= day <= last:
                out.append(path)
    return sorted(dict.fromkeys(out))


# -- choosing records ----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class DomainFilter:
    """Hosts on these domains (or subdomains of them); every host when empty."""

    domains: frozenset[str] = frozenset()

    def __call__(self, url: str) -> bool:
        if not self.domains:
            return True
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
        while host:
            if host in self.domains:
                return True
            _, _, host = host.partition(".")
        return False


# -- reading one file ----------------------------------------------------------------------------

@dataclass(slots=True)
class Kept:
    """A kept response record: the page and where it is."""

    offset: int
    response: WarcResponse
    html: str


@dataclass(slots=True)
class Problem:
    """A damaged stretch or a failed read, said and counted."""

    offset: int | None
    kind: str          # damaged | missing | failed
    message: str


@dataclass
class ReadCounts:
    """Updated by the reader thread, read by the progress line (plain ints: no lock needed)."""

    records: int = 0
    kept: int = 0
    bytes: int = 0
    not_html: int = 0
    length: int | None = None   # the current file's size, when the server says
    file_start: int = 0         # ``bytes`` when the current file was opened


class _Counting:
    """A response wrapper counting the bytes read from the network."""

    def __init__(self, raw: Any, counts: ReadCounts) -> None:
        self.raw = raw
        self.counts = counts

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n)
        self.counts.bytes += len(data)
        return data

    def readinto(self, b: Any) -> int:
        data = self.read(len(b))
        b[:len(data)] = data
        return len(data)

    def close(self) -> None:
        self.raw.close()


def _next_member(fetcher: Fetcher, url: str, after: int) -> int | None:
    """Offset of the first gzip member starting after byte ``after``, or None (end of file)."""
    response = fetcher.open(url, after + 1)
    pos, tail = after + 1, b""
    with response:
        while chunk := response.read(_CHUNK):
            data = tail + chunk
            hit = data.find(_GZIP_MAGIC)
            if hit >= 0:
                return pos - len(tail) + hit
            tail = data[-(len(_GZIP_MAGIC) - 1):]
            pos += len(chunk)
    return None


_TRANSIENT = (socket.timeout, TimeoutError, ConnectionError, http.client.IncompleteRead, urllib.error.URLError)


def read_warc(url: str, wanted: Callable[[str], bool], fetcher: Fetcher, counts: ReadCounts,
              stop: threading.Event) -> Iterator[Kept | Problem]:
    """The kept response records of the WARC at ``url``, streamed, in file order.

    A network failure resumes at the record it broke in (HTTP Range), with the fetcher's
    retries and backoff; a damaged record is reported and reading goes on at the next gzip
    member. Ends with a :class:`Problem` of kind ``missing``/``failed`` if the file cannot be read.
    """
    start, failures = 0, 0
    while not stop.is_set():
        try:
            raw = fetcher.open(url, start)
        except FileMissing as exc:
            yield Problem(None, "missing", str(exc))
            return
        except OSError as exc:
            yield Problem(start or None, "failed", describe(exc))
            return
        if start == 0:
            length = raw.headers.get("Content-Length")
            counts.length = int(length) if length and length.isdigit() else None
            counts.file_start = counts.bytes
        at = start            # start of the record being read
        it: ArchiveIterator | None = None
        try:
            with raw:
                it = ArchiveIterator(_Counting(raw, counts))
                for record in it:
                    at = start + it.offset
                    if stop.is_set():
                        return
                    counts.records += 1
                    target = record.rec_headers.get_header("WARC-Target-URI") or ""
                    if record.rec_type != "response" or not wanted(target):
                        continue   # the iterator skips its block (decompressed, not decoded)
                    response = read_record(record, at)
                    if response is None:
                        continue
                    html = html_of(response)
                    if html is None:
                        counts.not_html += 1
                        continue
                    counts.kept += 1
                    yield Kept(at, response, html)
                    failures = 0
            return
        except _TRANSIENT as exc:
            at = _failed_at(at, start, it)
            failures += 1
            if failures > fetcher.retries:
                yield Problem(at, "failed", f"{describe(exc)} (after {fetcher.retries} retries)")
                return
            fetcher.wait(failures, url, exc)
            start = at            # that record again; those before it were read whole
        except Exception as exc:  # noqa: BLE001 - warcio and zlib raise many kinds on bad bytes
            at = _failed_at(at, start, it)
            yield Problem(at, "damaged", describe(exc))
            try:
                nxt = _next_member(fetcher, url, at)
            except (FileMissing, OSError) as exc2:
                yield Problem(at, "failed", describe(exc2))
                return
            if nxt is None:
                return
            start = nxt


def _failed_at(at: int, start: int, it: ArchiveIterator | None) -> int:
    """Where the record that failed starts: the iterator moves its offset to the next record
    before parsing it, so an error while looking for a record is that record's."""
    return max(at, start + it.offset) if it is not None else at


class Reader:
    """Runs :func:`read_warc` on a thread, handing kept records to the event loop, at most
    ``READ_AHEAD`` ahead of the consumer."""

    END = object()

    def __init__(self, url: str, wanted: Callable[[str], bool], fetcher: Fetcher, counts: ReadCounts) -> None:
        self.url = url
        self.wanted = wanted
        self.fetcher = fetcher
        self.counts = counts
        self.stop = threading.Event()
        self.queue: asyncio.Queue[Any] = asyncio.Queue()
        self._room = threading.Semaphore(READ_AHEAD)
        self._loop = asyncio.get_running_loop()
        self._thread = threading.Thread(target=self._run, name="newsclean-ccnews-reader", daemon=True)

    def start(self) -> Reader:
        self._thread.start()
        return self

    def _put(self, value: Any) -> None:
        self._loop.call_soon_threadsafe(self.queue.put_nowait, value)

    def _run(self) -> None:
        try:
            for event in read_warc(self.url, self.wanted, self.fetcher, self.counts, self.stop):
                while not self._room.acquire(timeout=0.5):
                    if self.stop.is_set():
                        return
                self._put(event)
        except Exception as exc:  # noqa: BLE001 - a reader that dies must still end the file
            self._put(Problem(None, "failed", describe(exc)))
        finally:
            try:
                self._put(self.END)
            except RuntimeError:
                pass   # the loop is closed: the run is over

    async def get(self) -> Any:
        event = await self.queue.get()
        if event is not self.END:
            self._room.release()
        return event

    def close(self) -> None:
        self.stop.set()
        self._thread.join(timeout=5)


# -- which files are done ------------------------------------------------------------------------

WAIT = "wait"   # FileLedger.take: nothing free now, but files are leased to live workers


class FileLedger:
    """Which WARC files are done, and which one this worker reads next."""

    def take(self, files: list[str]) -> str | None:
        """The next file to read (leased to this worker), None when all are done, or
        :data:`WAIT` while the others are leased to live workers."""
        raise NotImplementedError

    def done(self, path: str, counts: dict[str, int]) -> None:
        raise NotImplementedError

    def release(self, path: str) -> None:
        """Give a file back unfinished (its read failed): a later run reads it again."""

    def count_done(self, files: list[str]) -> int:
        raise NotImplementedError

    def close(self) -> None: ...


class SqliteLedger(FileLedger):
    """``OUT/state/ccnews.sqlite3``: done files. One run at a time holds the output directory,
    so a file is taken by reading it; files failed in this run are not taken again in it."""

    def __init__(self, path: Path) -> None:
        from newsclean.output.sqlite import connect_wal

        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = connect_wal(path)
        self.db.execute("CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, done_at TEXT NOT NULL,"
                        " records INTEGER, kept INTEGER)")
        self._given_back: set[str] = set()

    def take(self, files: list[str]) -> str | None:
        done = {r[0] for r in self.db.execute("SELECT path FROM files")}
        return next((f for f in files if f not in done and f not in self._given_back), None)

    def done(self, path: str, counts: dict[str, int]) -> None:
        self.db.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)",
                        (path, datetime.now(timezone.utc).isoformat(), counts.get("records"), counts.get("kept")))
        self.db.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def release(self, path: str) -> None:
        self._given_back.add(path)

    def count_done(self, files: list[str]) -> int:
        done = {r[0] for r in self.db.execute("SELECT path FROM files")}
        return sum(f in done for f in files)

    def close(self) -> None:
        self.db.close()


class RedisLedger(FileLedger):
    """Files as work items on Redis: ``<ns>:ccnews:done`` (a set) and ``<ns>:ccnews:leases``
    (file -> worker). A lease holds while its worker's heartbeat key (``<ns>:worker:<id>``,
    the one crawl workers keep) lives; a thread of this ledger keeps it."""

    #: Leases the first candidate that is not done and not leased to a live worker.
    #: KEYS[1] done set, KEYS[2] leases; ARGV[1] worker key prefix, ARGV[2] me, ARGV[3..] files.
    _TAKE = """
    local waiting = false
    for i = 3, #ARGV do
      local f = ARGV[i]
      if redis.call('SISMEMBER', KEYS[1], f) == 0 then
        local holder = redis.call('HGET', KEYS[2], f)
        if holder and holder ~= ARGV[2] and redis.call('EXISTS', ARGV[1] .. holder) == 1 then
          waiting = true
        else
          redis.call('HSET', KEYS[2], f, ARGV[2])
          return f
        end
      end
    end
    if waiting then return 'wait' end
    return false
    """

    def __init__(self, client: Any, ns: str, worker: str) -> None:
        from newsclean.crawler.state.redis_state import HEARTBEAT_EVERY_S

        self.r = client
        self.ns = ns
        self.worker = worker
        self._take = client.register_script(self._TAKE)
        self._given_back: set[str] = set()
        self._stop = threading.Event()
        self._every = HEARTBEAT_EVERY_S
        self.beat()
        self._thread = threading.Thread(target=self._beat_loop, name="newsclean-ccnews-heartbeat", daemon=True)
        self._thread.start()

    def beat(self) -> None:
        from newsclean.crawler.state.redis_state import HEARTBEAT_TTL_MS

        self.r.set(f"{self.ns}:worker:{self.worker}", "busy", px=HEARTBEAT_TTL_MS)

    def _beat_loop(self) -> None:
        import redis

        while not self._stop.wait(self._every):
            try:
                self.beat()
            except redis.RedisError:
                pass   # the next call on Redis reports it; a missed beat only delays a hand-back

    def take(self, files: list[str]) -> str | None:
        todo = [f for f in files if f not in self._given_back]
        if not todo:
            return None
        got = self._take(keys=[f"{self.ns}:ccnews:done", f"{self.ns}:ccnews:leases"],
                         args=[f"{self.ns}:worker:", self.worker, *todo])
        return got.decode() if isinstance(got, bytes) else got

    def done(self, path: str, counts: dict[str, int]) -> None:
        with self.r.pipeline() as pipe:
            pipe.sadd(f"{self.ns}:ccnews:done", path)
            pipe.hdel(f"{self.ns}:ccnews:leases", path)
            pipe.execute()

    def release(self, path: str) -> None:
        self._given_back.add(path)
        self.r.hdel(f"{self.ns}:ccnews:leases", path)

    def count_done(self, files: list[str]) -> int:
        if not files:
            return 0
        return sum(self.r.smismember(f"{self.ns}:ccnews:done", files))

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        try:
            self.r.delete(f"{self.ns}:worker:{self.worker}")
        finally:
            self.r.close()


def open_ledger(settings: Any) -> FileLedger:
    from newsclean.crawler.state.redis_state import connect, namespace, redis_url, worker_id

    url = redis_url(settings)
    if url:
        return RedisLedger(connect(url), namespace(settings), worker_id(settings))
    directory = state_dir(settings)
    assert directory is not None, "newsclean ccnews needs an output directory"
    return SqliteLedger(directory / "ccnews.sqlite3")


# -- the spider ----------------------------------------------------------------------------------

def is_known(store: ArticleStore | None, key: str, run_id: str) -> bool:
    """Whether ``store`` holds the page ``key`` as a run without a --since window (ccnews) leaves
    it: written, or settled as a reject for good. By :func:`~newsclean.crawler.state.store.decide`,
    the one place of that rule, from the settle alone: no window takes in every page a crawl
    rejected only for its window (too_old), and those are cleaned."""
    held = store.content_hash(key) if store is not None else None
    return held is not None and not decide({"content_hash": held}, None, run_id).fetch


@dataclass
class _Run:
    files_total: int = 0
    files_done: int = 0
    started: float = field(default_factory=time.monotonic)
    last: tuple[float, int] = (0.0, 0)


class CCNewsSpider(scrapy.Spider):
    """Reads the WARC files it is given (paths under the base URL) and sends the kept pages
    through the item pipelines; fetches nothing itself."""

    name = "ccnews"

    def __init__(self, files: list[str] | None = None, domains: list[str] | None = None,
                 allow_skips: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.files = list(files or [])
        self.wanted = DomainFilter(frozenset(d.lower().strip(".") for d in domains or ()))
        self.allow_skips = allow_skips
        self.site = None   # pages carry their own site and rules (PageItem.rules)
        self.store: ArticleStore | None = None
        self.ledger: FileLedger | None = None
        self.counts = ReadCounts()
        self.run = _Run(files_total=len(self.files))
        self.problems = 0
        self.item_errors = 0
        self.pages_done = 0          # pages of this run through the pipelines
        self._file_pages = (0, 0)    # (kept, pages_done) when the current file started
        self._current: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> CCNewsSpider:
        from scrapy import signals

        from newsclean.crawler.commands.clean import SiteResolver
        from newsclean.crawler.sites import registry_from

        spider = super().from_crawler(crawler, *args, **kwargs)
        s = crawler.settings
        spider.base = base_url(s)
        spider.resolve = SiteResolver(registry_from(crawler.settings))
        spider.fetcher = fetcher_from(s, on_retry=spider._retrying)
        spider.store = open_store(s)
        spider.ledger = open_ledger(s)
        crawler.signals.connect(spider._opened, signal=signals.spider_opened)
        crawler.signals.connect(spider._item_error, signal=signals.item_error)
        return spider

    def cutoff(self) -> datetime | None:
        """No --since window: CC-NEWS days are chosen by --from/--to."""
        return None

    def _item_error(self) -> None:
        # A page the pipelines failed on is not written: its file must not count as done.
        self.item_errors += 1

    def _inc(self, key: str, n: int = 1) -> None:
        self.crawler.stats.inc_value(f"{STATS}/{key}", n)

    def _retrying(self, message: str) -> None:
        self._inc("retries")
        logger.warning("slow or failed read: %s", message)

    def _settle_staged(self) -> None:
        """Settle what killed runs and dead workers left staged (see newsclean.crawler.state.store):
        their committed parts count as written, so their pages are not written again."""
        if self.store is not None:
            promoted, dropped = self.store.recover(exclude_run=self.settings["NEWSCLEAN_RUN_ID"])
            self.crawler.stats.inc_value("newsclean/store/recovered_records", promoted)
            self.crawler.stats.inc_value("newsclean/store/dropped_uncommitted", dropped)

    def _opened(self) -> None:
        self._settle_staged()
        assert self.ledger is not None
        self.run.files_done = self.ledger.count_done(self.files)
        self.crawler.stats.set_value(f"{STATS}/files_listed", len(self.files))
        self.crawler.stats.set_value(f"{STATS}/files_done_before", self.run.files_done)

    async def start(self) -> AsyncIterator[Any]:
        assert self.ledger is not None
        while True:
            path = await asyncio.to_thread(self.ledger.take, self.files)
            if path is None:
                break
            if path == WAIT:   # another worker reads the last files: wait, in case it dies
                await asyncio.sleep(1.0)
                continue
            # Again before each file: the file may come back from a worker that died after
            # committing some of its parts, and those were still staged when this run opened
            # (its heartbeat had not expired yet): their pages would be written twice.
            await asyncio.to_thread(self._settle_staged)
            await self._read_file(path)
        return
        yield   # an async generator that yields nothing: the pages go straight to the pipelines

    async def _read_file(self, path: str) -> None:
        assert self.ledger is not None
        self._current = path
        before = (self.counts.records, self.counts.kept)
        errors_before = self.item_errors
        self._file_pages = (self.counts.kept, self.pages_done)
        reader = Reader(self.base + path, self.wanted, self.fetcher, self.counts).start()
        slots = asyncio.Semaphore(INFLIGHT)
        tasks: set[asyncio.Task[None]] = set()
        seen: set[str] = set()
        failed = False
        try:
            while (event := await reader.get()) is not Reader.END:
                if isinstance(event, Problem):
                    failed |= event.kind != "damaged"
                    self._problem(path, event)
                    continue
                item = self._item(path, event, seen)
                if item is None:
                    continue
                await slots.acquire()
                task = asyncio.ensure_future(self._process(item))
                tasks.add(task)
                task.add_done_callback(lambda t: (tasks.discard(t), slots.release()))
            if tasks:
                # asyncio.wait, not gather: a SIGTERM cancels start(), and the pages in flight
                # must still go through (gather would cancel them with it).
                await asyncio.wait(tasks)
        finally:
            reader.close()
            self._current = None
            self._sync_stats()
        if self.item_errors > errors_before:
            failed = True
            self._problem(path, Problem(None, "failed", f"{counted(self.item_errors - errors_before, 'page')} failed "
                                        "in the item pipelines (see the errors above)"))
        if failed:
            await asyncio.to_thread(self.ledger.release, path)
            return
        # Done only once every record of the file is in a committed part (or settled).
        from newsclean.crawler.components.pipelines import COMMIT_OPEN_PARTS

        await self.crawler.signals.send_catch_log_async(signal=COMMIT_OPEN_PARTS)
        if self.crawler.stats.get_value("newsclean/output/error"):
            return   # not committed: the file stays to do
        counts = {"records": self.counts.records - before[0], "kept": self.counts.kept - before[1]}
        await asyncio.to_thread(self.ledger.done, path, counts)
        self.run.files_done += 1
        self._inc("files_read")
        logger.info("CC-NEWS file done: %s (%d records, %d kept)", path, counts["records"], counts["kept"])

    def _item(self, path: str, kept: Kept, seen: set[str]) -> PageItem | None:
        """The page to clean, or None when the store already holds it (written, or settled as
        a reject, by this run or an earlier one: a resumed file) or this file had it already.
        A page a crawl into the same output rejected only for its --since window (too_old) is
        cleaned: this command has no window, which takes every page in (:func:`is_known`)."""
        response = kept.response
        try:
            key = canonicalize_url(response.url)
        except ValueError:
            self._inc("skipped_bad_url")
            return None
        if key in seen or is_known(self.store, key, self.settings["NEWSCLEAN_RUN_ID"]):
            self._inc("skipped_known")
            return None
        seen.add(key)
        site, rules = self.resolve(response.url, None)
        headers = {k.lower(): v for k, v in response.headers}
        fetched = Fetched(url=key, site=site, fetched_at=response.fetched_at,
                          etag=headers.get("etag"), last_modified=headers.get("last-modified"))
        return PageItem(url=response.url, html=kept.html, site=site, status=response.status, source="ccnews",
                        fetched=fetched, rules=rules, origin={"warc": path, "offset": kept.offset})

    async def _process(self, item: PageItem) -> None:
        engine = self.crawler.engine
        assert engine is not None
        try:
            await engine.scraper.start_itemproc_async(item, response=None)
        finally:
            self.pages_done += 1
            # Scrapy checks whether a closing spider's scraper is idle only when a response is
            # done: without this, a SIGTERM with pages in flight would wait forever.
            engine.scraper._check_if_closing()

    def _problem(self, path: str, problem: Problem) -> None:
        self.problems += 1
        self._inc(f"problems/{problem.kind}")
        where = f"{path}@{problem.offset}" if problem.offset is not None else path
        what = {"damaged": "damaged record skipped", "missing": "listed file not found, skipped",
                "failed": "file not read to its end, skipped"}[problem.kind]
        logger.warning("CC-NEWS %s: %s: %s", what, where, problem.message)

    def _sync_stats(self) -> None:
        c = self.counts
        stats = self.crawler.stats
        stats.set_value(f"{STATS}/records_read", c.records)
        stats.set_value(f"{STATS}/records_kept", c.kept)
        stats.set_value(f"{STATS}/bytes_read", c.bytes)
        stats.set_value(f"{STATS}/not_html", c.not_html)

    def progress_line(self) -> str:
        """For the Progress extension: files done / total, records read / kept, MB/s, ETA."""
        self._sync_stats()
        c, r = self.counts, self.run
        now = time.monotonic()
        then, before = r.last or (r.started, 0)
        r.last = (now, c.bytes)
        rate = (c.bytes - before) / (now - then) / 1e6 if now > then else 0.0
        # ETA from the share of files done, counting the current file by its bytes read times
        # the share of its pages read so far that are through the pipelines (the reader runs ahead).
        part = 0.0
        if c.length and self._current:
            kept, done = c.kept - self._file_pages[0], self.pages_done - self._file_pages[1]
            part = min(1.0, (c.bytes - c.file_start) / c.length) * (done / kept if kept else 1.0)
        done = r.files_done + part
        elapsed = now - r.started
        todo = r.files_total - done
        eta = elapsed / done * todo if done > 0 and todo > 0 else None
        s = self.crawler.stats
        written = s.get_value("newsclean/output/records_written", 0)
        return (f"ccnews: files {r.files_done}/{r.files_total} | records read {c.records} / kept {c.kept}"
                f" | written {written} | {rate:.1f} MB/s | ETA {_duration(eta)}")

    def closed(self, reason: str) -> None:
        self._sync_stats()
        stats = self.crawler.stats
        stats.set_value(f"{STATS}/files_done", self.run.files_done)
        if self.problems and not self.allow_skips:
            stats.set_value("newsclean/health/input", f"FAIL: {self.problems} CC-NEWS input problem(s): "
                            "damaged records or files not read (see the log; --allow-skips accepts them)")
        else:
            stats.set_value("newsclean/health/input", "OK")
        if self.ledger is not None:
            self.ledger.close()
        if self.store is not None:
            stats.set_value("newsclean/store/articles", self.store.count())
            self.store.close()


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return str(timedelta(seconds=int(seconds)))


def parse_day(value: str) -> date:
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise ValueError(f"bad day {value!r}: use YYYY-MM-DD") from None
