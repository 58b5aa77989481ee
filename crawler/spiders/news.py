"""The generic news spider: one class, driven by a :class:`~crawler.sites.Site`.

Discovery: robots.txt sitemaps, sitemap indexes, (news) sitemaps, RSS/Atom feeds and section
pages with pagination. Only URLs that the site's article filter accepts become article
requests; article pages are handed to the item pipelines as :class:`~crawler.items.PageItem`.
Links found on article pages are not followed: discovery documents bound the crawl.
"""

from __future__ import annotations

import inspect
import re
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, DownloadCancelledError, IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.http import Request, Response, TextResponse
from twisted.python.failure import Failure
from w3lib.url import safe_url_string

from newsclean.crawler.spiders import discovery
from newsclean.crawler.components.extensions import stop_for_disk_full
from newsclean.crawler.components.logs import broken_answer_said, is_expected
from newsclean.crawler.items import PageItem, RejectItem
from newsclean.crawler.components.middlewares import RefusedRequest
from newsclean.crawler.sites import PatternTimeout, Site, adhoc_site, ascii_host, check_url, covered_by, get_site
from newsclean.crawler.state import open_store
from newsclean.crawler.state.store import ArticleStore, FetchDecision, Fetched, RetryPolicy
from newsclean.output import canonicalize_url

STATS = "newsclean/discovery"
RETRY_STATS = "newsclean/retry"
#: URLs skipped because a site pattern passed its CPU bound on them (Spider._site_says).
PATTERN_TIMEOUT_STAT = "newsclean/sites/pattern_timeout"
#: URLs skipped unasked: the question's patterns passed their bound PATTERN_TIMEOUTS_A_RUN times.
PATTERN_SPENT_STAT = "newsclean/sites/pattern_spent"
#: Matches past the bound one site question (``is_article_url``, ``is_pagination_url``) may cost a
#: run before it is asked no more: each holds the reactor the bound (site_patterns.PATTERN_TIMEOUT),
#: and a sitemap of 50,000 URLs near-missing a pattern the load's tries did not catch held it 83
#: minutes. Past them the site file is broken for this site's URLs: the rest are skipped, counted.
PATTERN_TIMEOUTS_A_RUN = 20
#: Sections an ad-hoc start page's links may add (its navigation, not every link on it).
MAX_START_SECTIONS = 30
#: Listed URLs the store is asked about at once when they go straight to the scheduler (Redis
#: mode): one round trip each, where a transaction per URL blocked the reactor for seconds
#: on a 2,000-URL sitemap.
STORE_BATCH = 200
#: Meta of the spider's requests: a fetch that failed after its retries is said once, by
#: ``on_error`` ("fetch failed for KIND URL: why", at WARNING), not a second time by Scrapy's retry
#: middleware ("Gave up retrying ...", at ERROR; RETRY_GIVE_UP_LOG_LEVEL, Scrapy 2.17+).
SAID_BY_ON_ERROR = {"give_up_log_level": "DEBUG"}
_URL_DATE = re.compile(r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/")
_DURATION = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$")
_HTML_TYPES = (b"text/html", b"application/xhtml")


def parse_since(value: str | timedelta | None) -> timedelta | None:
    """``"2d"``, ``"12h"``, ``"30m"``, ``"1w"`` as a timedelta (None for none)."""
    if value is None or isinstance(value, timedelta):
        return value
    m = _DURATION.match(str(value))
    if not m:
        raise ValueError(f"bad duration {value!r}: use a number above 0 and a unit s/m/h/d/w, e.g. 2d")
    n, unit = int(m.group(1)), m.group(2)
    if n == 0:   # a window of no time: every dated article was dropped as too old, and the run said 'ok'
        raise ValueError(f"bad duration {value!r}: a window of no time keeps nothing; more than 0 expected, e.g. 2d")
    try:   # the window's start must be a date: '9999999999d' was a traceback, '999999999d' an
        # error in every check of an article's date during the crawl
        window = timedelta(**{{"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}[unit]: n})
        datetime.now(timezone.utc) - window
    except OverflowError:
        raise ValueError(f"bad duration {value!r}: it reaches back before the year 1") from None
    return window


def date_from_url(url: str) -> datetime | None:
    m = _URL_DATE.search(urlsplit(url).path)
    if not m:
        return None
    try:
        return datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), tzinfo=timezone.utc)
    except ValueError:
        return None


class NewsSpider(scrapy.Spider):
    """Crawl one site's articles. Registered sites get a subclass each (``scrapy list``)."""

    name = "adhoc"
    registered_site: Site | None = None   # set on the per-site subclasses (crawler/spiders/sites.py)

    def __init__(self, **kwargs: Any) -> None:
        """``kwargs``: the spider's arguments (``-a NAME=VALUE``), those of :meth:`read_arguments`
        read there; Scrapy makes any other one an attribute (``name`` the spider's name)."""
        arguments = {name: kwargs.pop(name) for name in self.argument_names() if name in kwargs}
        super().__init__(**kwargs)
        resolved, self.since, self.max_articles, self.article_urls = self.read_arguments(**arguments)
        self.site: Site = resolved
        # and the hosts of the site file's own start URLs outside them (a feed on a CDN,
        # e00-elmundo.uecdn.es): Scrapy's offsite filter dropped those at DEBUG, their robots.txt
        # too, and the run said 'ok - 0 articles written'. The articles they list must still be
        # on the domains (Site.is_article_url).
        self.allowed_domains = list(resolved.domains) + sorted(h for h in resolved.hosts() if not resolved.claims(h))
        self._articles_scheduled = 0
        self._started = datetime.now(timezone.utc)
        self._timed_out: set[str] = set()   # the site patterns said to have passed their bound
        self._timeouts: dict[str, int] = {}   # a site question's name: its matches past the bound
        self.store: ArticleStore | None = None
        # Validators of the discovery documents read this run, saved only when the run
        # finishes: a killed run must read its sitemaps again, not get a 304 for them.
        self._validators: dict[str, tuple[str | None, str | None]] = {}
        # Listed article URLs wait here, compact, and become requests only as the scheduler
        # drains (see _top_up). None: straight to the scheduler (Redis mode, where
        # the queue is shared and lives in Redis, not in this process). Each listing's
        # entries are read from its parsed document only as they are released.
        self._frontier: deque[tuple[Iterator[discovery.Entry], str]] | None = None
        self._high_water = 32
        self._topping_up = False
        self._max_queued = 0
        # Discovery documents fetched this run, against the NEWSCLEAN_MAX_* bounds (see _admit).
        self._listings = 0
        self._section_pages = 0
        self._cuts_said: set[str] = set()
        self._admitted: set[str] = set()   # discovery URLs already let through (at most the bounds)
        self._offsite_said: set[str] = set()   # hosts of robots.txt sitemaps not followed, said once
        self._bad_urls_said: set[str] = set()   # kinds of discovery document that listed a URL that is none, said once

    @classmethod
    def argument_names(cls) -> list[str]:
        """The spider's arguments: :meth:`read_arguments`' parameters (not its catch-all)."""
        return [name for name in inspect.signature(cls.read_arguments).parameters if not name.startswith("_")]

    @classmethod
    def read_arguments(
        cls,
        site: Site | str | None = None,
        urls: str | list[str] | None = None,
        base_url: str | None = None,
        since: str | timedelta | None = None,
        max_articles: int | str | None = None,
        article_urls: str | list[str] | None = None,
        **_others: Any,
    ) -> tuple[Site, timedelta | None, int, list[str]]:
        """The site, date window, article bound and article URLs the spider's arguments give.

        A bad one (an unknown site, a URL that is not http(s), '2 days') raises ValueError or
        UnknownSiteError here, which plain ``scrapy crawl`` calls before the crawl starts
        (newsclean.crawler.commands.crawl): inside the crawl it was a traceback.
        """
        # article_urls (``--urls``): fetched as they are, once each; nothing else is discovered
        listed = [u.strip() for u in (article_urls.split(",") if isinstance(article_urls, str)
                                      else list(article_urls or ())) if u.strip()]
        if isinstance(article_urls, str) and not listed:   # '-a article_urls=' crawled nothing, said 'ok'
            raise ValueError("-a article_urls: give at least one URL (-a article_urls=URL[,URL...])")
        for url in listed:   # a path ('/2026/03/x') was a traceback mid-crawl and a degraded run
            check_url(url, "-a article_urls")
        if urls and (site or cls.registered_site is not None):
            # the site's own discovery ran instead, without a word
            named = site.name if isinstance(site, Site) else site or cls.registered_site.name   # type: ignore[union-attr]
            raise ValueError(f"-a urls is the adhoc spider's start URLs (scrapy crawl adhoc -a urls=URL[,URL...]), "
                             f"not {named}'s; its articles by URL: -a article_urls=URL[,URL...]")
        if isinstance(site, Site):
            resolved = site
        elif site:
            resolved = get_site(str(site))
        elif cls.registered_site is not None:
            resolved = cls.registered_site
        elif listed:
            resolved = adhoc_site(listed, discover=False)
        elif urls:
            resolved = adhoc_site(urls.split(",") if isinstance(urls, str) else list(urls))
        else:
            raise ValueError("the adhoc spider needs -a urls=URL[,URL...] (or use a site's own spider)")
        if base_url:
            resolved = resolved.rebased(base_url)
        if max_articles in (None, ""):
            limit = resolved.limits.max_articles
        else:
            try:
                limit = int(max_articles)   # type: ignore[arg-type]
            except ValueError:
                limit = -1
            if limit < 0:   # a negative bound scheduled nothing, and the run said 'ok'
                raise ValueError(f"max_articles: a whole number, 0 or more, expected, got {max_articles!r}")
        return resolved, parse_since(since), limit, listed

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.store = open_store(crawler.settings)
        from newsclean.crawler.state.redis_state import redis_url

        if not redis_url(crawler.settings):
            spider._frontier = deque()
            spider._high_water = 2 * crawler.settings.getint("CONCURRENT_REQUESTS", 16)
            crawler.signals.connect(spider._top_up, signal=signals.request_left_downloader)
            crawler.signals.connect(spider._keep_open, signal=signals.spider_idle)
        crawler.signals.connect(spider._note_queued, signal=signals.request_scheduled)
        crawler.signals.connect(spider._recover_store, signal=signals.spider_opened)
        return spider

    def _recover_store(self) -> None:
        """Settle what a killed earlier run left staged (see newsclean.crawler.state.store)."""
        if self.store is not None:
            try:
                promoted, dropped = self.store.recover(exclude_run=self.settings["NEWSCLEAN_RUN_ID"])
            except Exception as exc:
                if stop_for_disk_full(self.crawler, exc):
                    return
                raise
            self.crawler.stats.set_value("newsclean/store/recovered_records", promoted)
            self.crawler.stats.set_value("newsclean/store/dropped_uncommitted", dropped)

    def closed(self, reason: str) -> None:
        if self.store is not None:
            try:
                if reason == "finished" and not self.crawler.stats.get_value("newsclean/output/error"):
                    self.store.save_document_validators(self._validators, self.cutoff())
                self.crawler.stats.set_value("newsclean/store/articles", self.store.count())
                self.store.close()
            except Exception as exc:
                if not stop_for_disk_full(self.crawler, exc):
                    raise

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        super().update_settings(settings)
        if cls.registered_site is not None:
            limits = cls.registered_site.limits
            settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", limits.concurrency, priority="spider")
            settings.set("DOWNLOAD_DELAY", limits.download_delay, priority="spider")
        if not settings.get("NEWSCLEAN_RUN_ID"):
            from newsclean.output.manifest import new_run_id

            settings.set("NEWSCLEAN_RUN_ID", new_run_id(), priority="spider")

    # -- helpers ----------------------------------------------------------------------------
    def _inc(self, key: str, n: int = 1) -> None:
        self.crawler.stats.inc_value(f"{STATS}/{key}", n)

    def _site_says(self, question: Callable[..., bool], url: str, **kwargs: Any) -> bool:
        """The site's answer of ``question`` (``is_article_url``, ``is_pagination_url``) about
        ``url``; no where one of its patterns passed its CPU bound (site_patterns): the URL is
        skipped, counted in ``newsclean/sites/pattern_timeout``, the file and field said once.
        Past :data:`PATTERN_TIMEOUTS_A_RUN` such URLs the question is asked no more: every later
        URL is skipped unasked (``newsclean/sites/pattern_spent``), said once."""
        name = getattr(question, "__name__", repr(question))
        if self._timeouts.get(name, 0) >= PATTERN_TIMEOUTS_A_RUN:
            self.crawler.stats.inc_value(PATTERN_SPENT_STAT)
            return False
        try:
            return question(url, **kwargs)
        except PatternTimeout as exc:
            self.crawler.stats.inc_value(PATTERN_TIMEOUT_STAT)
            self._timeouts[name] = spent = self._timeouts.get(name, 0) + 1
            if exc.where not in self._timed_out:
                self._timed_out.add(exc.where)
                self.logger.warning("%s: %s (the next are counted in %s)", exc, url, PATTERN_TIMEOUT_STAT)
            if spent == PATTERN_TIMEOUTS_A_RUN:
                self.logger.warning("%s: %d URLs past the bound: %s is asked no more this run, every later URL "
                                    "skipped (counted in %s); fix the pattern (docs/sites.md)",
                                    exc.where, spent, name, PATTERN_SPENT_STAT)
            return False

    def _bad_url(self, response: Response, kind: str) -> Callable[[str], None]:
        """What a discovery document of ``kind`` tells of each URL it lists that is none (see
        :func:`discovery.join_url`): counted in ``newsclean/discovery/bad_url/<kind>``, said once
        a kind at WARNING; the document's other URLs are read on. (It holds the document's URL,
        not its response: a listing waiting in the frontier holds it.)"""
        listing = response.url

        def skipped(href: str) -> None:
            self._inc(f"bad_url/{kind}")
            if kind not in self._bad_urls_said:
                self._bad_urls_said.add(kind)
                self.logger.warning("skipped %r listed by %s %s: not a URL (the rest are counted in %s/bad_url/%s)",
                                    href[:200], kind, listing, STATS, kind)
        return skipped

    def _discovery_request(self, url: str, kind: str, depth: int = 0) -> Request:
        self._inc(f"requests/{kind}")
        url = safe_url_string(url)   # the form the request sends and _read_to_end saves
        meta: dict[str, Any] = {"newsclean_kind": kind, "newsclean_depth": depth, **SAID_BY_ON_ERROR}
        if kind in ("sitemap", "feed", "sniff", "robots"):
            # The sitemap protocol allows 50 MB; DOWNLOAD_MAXSIZE is an article page's bound.
            meta["download_maxsize"] = max(self.settings.getint("DOWNLOAD_MAXSIZE"), discovery.MAX_DOCUMENT_BYTES)
        headers: dict[str, str] = {}
        if self.store is not None:
            etag, last_modified = self.store.document_validators(url, self.cutoff())
            headers = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", last_modified)) if v}
            if headers:
                meta["handle_httpstatus_list"] = [304]
        # Discovery documents are fetched every run (conditionally when validators are known).
        return Request(url, callback=self.parse_discovery, errback=self.on_error, priority=10,
                       headers=headers, meta=meta)

    def _read_to_end(self, entries: Iterable[discovery.Entry], response: Response) -> Iterator[discovery.Entry]:
        """A listing's ``entries``; its validators are remembered once the last is read. Only for
        leaf documents (urlsets, feeds), which list articles themselves: an unchanged robots.txt
        or sitemap index may still point to changed sitemaps. None of a listing the run stopped
        reading at the article limit (``unread_at_limit``): they made the next run's fetch a 304,
        and the entries left unread were never fetched. The response is not held while the
        entries wait in the frontier (its body was, beside the listing's own copy)."""
        etag = (response.headers.get(b"ETag") or b"").decode("latin-1") or None
        last_modified = (response.headers.get(b"Last-Modified") or b"").decode("latin-1") or None
        return self._validators_at_end(entries, response.request.url, etag, last_modified)

    def _validators_at_end(self, entries: Iterable[discovery.Entry], url: str, etag: str | None,
                           last_modified: str | None) -> Iterator[discovery.Entry]:
        yield from entries
        if etag or last_modified:
            self._validators[url] = (etag, last_modified)

    def parse_discovery(self, response: Response) -> Iterable[Request | PageItem]:
        """Every discovery document passes here: a 304 means nothing new is listed there."""
        kind = response.meta["newsclean_kind"]
        if response.status == 304:
            self._inc(f"not_modified/{kind}")
            return []
        parser = {"robots": self.parse_robots, "sitemap": self.parse_sitemap, "feed": self.parse_feed,
                  "section": self.parse_section, "sniff": self.parse_sniff}[kind]
        return parser(response)

    def cutoff(self) -> datetime | None:
        """The start of the --since window (None: no window)."""
        return self._started - self.since if self.since else None

    def too_old(self, date: datetime | None) -> bool:
        cutoff = self.cutoff()
        if not (cutoff and date):
            return False
        return (date if date.tzinfo else date.replace(tzinfo=timezone.utc)) < cutoff

    def _candidate(self, url: str, listed_date: datetime | None, source: str) -> str | None:
        """The store key (canonical URL) of a listed URL worth asking the store about, or None
        when the site filter or --since says no."""
        if source != "urls" and not self._site_says(self.site.is_article_url, url,
                                                    listed=source in ("sitemap", "feed", "retry")):
            self._inc("not_article_url")
            return None
        if self._too_long(url):
            # Scrapy's UrlLengthMiddleware would drop the request after the store (on Redis: a
            # claim other workers wait on) had taken it for fetched.
            return None
        if self.too_old(listed_date or date_from_url(url)):
            self._inc("skipped_old")
            return None
        return canonicalize_url(url)

    def _too_long(self, url: str) -> bool:
        """Whether ``url`` is longer than ``URLLENGTH_LIMIT`` (counted in ``url_too_long``)."""
        limit = self.settings.getint("URLLENGTH_LIMIT")
        if limit and len(url) > limit:
            self._inc("url_too_long")
            return True
        return False

    def _requests_for(self, candidates: list[tuple[str, str, datetime | None]], source: str) -> list[Request]:
        """Ask the store about (url, key, listed_date) candidates at once (one round trip on
        Redis, not one transaction per URL on the reactor); requests for those to fetch."""
        if not candidates:
            return []
        decisions: list[FetchDecision | None] = [None] * len(candidates)
        if self.store is not None:
            decisions = list(self.store.should_fetch_many([(key, self.site.name, listed) for _, key, listed in candidates],
                                                          self.settings["NEWSCLEAN_RUN_ID"], self.cutoff()))
        out = []
        for (url, key, listed_date), decision in zip(candidates, decisions):
            headers: dict[str, str] = {}
            meta: dict[str, Any] = {}
            if decision is not None:
                if not decision.fetch:
                    self.crawler.stats.inc_value(f"newsclean/store/skipped_{decision.reason}")
                    continue
                self.crawler.stats.inc_value(f"newsclean/store/fetch_{decision.reason}")
                if decision.reason == "retry":
                    self.crawler.stats.inc_value(f"{RETRY_STATS}/fetched")
                headers = decision.headers()
                if headers:
                    meta["handle_httpstatus_list"] = [304]
            self._articles_scheduled += 1
            self._inc(f"articles_from/{source}")
            out.append(self.known_article_request(url, key, source, listed_date.isoformat() if listed_date else None,
                                                  headers=headers, meta=meta))
        return out

    def known_article_request(self, url: str, key: str, source: str, listed_date: str | None, *,
                              headers: dict[str, str] | None = None, meta: dict[str, Any] | None = None) -> Request:
        """The request of an article URL the store let this crawl fetch (store key ``key``,
        ``listed_date`` ISO): listed by discovery, or taken over from a worker that died."""
        # The store dedups article URLs within and across runs, so Scrapy's dupefilter does
        # not have to remember every article fingerprint of a long crawl.
        return Request(url, callback=self.parse_article, errback=self.on_error, headers=headers or {},
                       dont_filter=self.store is not None,
                       meta={**(meta or {}), "newsclean_kind": "article", "newsclean_source": source,
                             "newsclean_key": key, "newsclean_listed_date": listed_date, **SAID_BY_ON_ERROR})

    def _limit_reached(self, pending: int = 0) -> bool:
        return bool(self.max_articles) and self._articles_scheduled + pending >= self.max_articles

    def article_request(self, url: str, source: str, listed_date: datetime | None = None) -> Request | None:
        """A request for an article URL, or None when the site filter, --since, the article
        limit or the store says no. What is fetched is decided here and in :meth:`_articles`,
        with the same steps (:meth:`_candidate`, the limit, :meth:`_requests_for`)."""
        key = self._candidate(url, listed_date, source)
        if key is None:
            return None
        if self._limit_reached():   # not reached from _release, which stops reading first
            return None
        requests = self._requests_for([(url, key, listed_date)], source)
        return requests[0] if requests else None

    def _limit_cut(self, n: int = 1) -> bool:
        """Whether the article limit is reached: nothing more can be fetched (the count of
        requests made never goes down), so the ``n`` listings not read to their end are
        counted in ``unread_at_limit`` (said once) and dropped unread. A 60,000-URL sitemap
        was read to its end under ``--max-articles 5``, 59,995 entries counted ``skipped_limit``."""
        if not self._limit_reached():
            return False
        self._inc("unread_at_limit", n)
        if "max_articles" not in self._cuts_said:
            self._cuts_said.add("max_articles")
            self.logger.info("the article limit (%s) is reached: the listings not read yet are left unread "
                             "(counted in %s/unread_at_limit)", self.max_articles, STATS)
        return True

    def _articles(self, entries: Iterable[discovery.Entry], source: str) -> Iterable[Request]:
        if self._limit_cut():
            return
        if self._frontier is not None:
            self._frontier.append((iter(entries), source))
            from twisted.internet import reactor

            reactor.callLater(0, self._top_up)
            return
        # Redis mode: straight to the shared queue, the store asked about STORE_BATCH URLs at once.
        batch: list[tuple[str, str, datetime | None]] = []
        for entry in entries:
            key = self._candidate(entry.url, entry.date, source)
            if key is None:
                continue
            if self._limit_reached(len(batch)):
                yield from self._requests_for(batch, source)   # the store may skip some of these
                batch = []
                if self._limit_cut():
                    return
            batch.append((entry.url, key, entry.date))
            if len(batch) >= STORE_BATCH:
                yield from self._requests_for(batch, source)
                batch = []
        yield from self._requests_for(batch, source)

    def _counted(self, entries: Iterable[discovery.Entry], key: str) -> Iterator[discovery.Entry]:
        for entry in entries:
            self._inc(key)
            yield entry

    def _scheduled_pending(self) -> int:
        stats = self.crawler.stats
        return (stats.get_value("scheduler/enqueued", 0) or 0) - (stats.get_value("scheduler/dequeued", 0) or 0)

    def _top_up(self, *_: Any, **__: Any) -> None:
        """Turn listed article URLs into requests only while the scheduler holds few.

        A 20,000-URL sitemap scheduled at once keeps 20,000 Request objects alive: every
        full garbage collection walks them all (measured: 58 reactor stalls over 200 ms, the
        worst 0.55 s, on a 20,000-page crawl) and memory grows with the sitemap. Waiting in
        the frontier they cost a parsed XML node each, and the store is asked about each URL
        just before it is fetched. Called when a request leaves the downloader, when a
        listing was read, and when the spider would otherwise go idle.
        """
        if not self._frontier or self._topping_up:
            return
        engine = self.crawler.engine
        if engine is None or not engine.running:
            return
        self._topping_up = True
        try:
            self._release(engine)
        except Exception as exc:   # a signal handler: Scrapy would only log it, for every request
            if not stop_for_disk_full(self.crawler, exc):
                raise
        finally:
            self._topping_up = False

    def _release(self, engine: Any) -> None:
        """The body of :meth:`_top_up`: listed URLs to the scheduler, a bounded number per call."""
        budget = 500   # entries looked at per call: bounded time on the reactor
        while self._frontier and budget and self._scheduled_pending() < self._high_water:
            if self._limit_cut(len(self._frontier)):
                self._frontier.clear()
                return
            entries, source = self._frontier[0]
            entry = next(entries, None)
            if entry is None:
                self._frontier.popleft()
                continue
            budget -= 1
            if (req := self.article_request(entry.url, source, entry.date)) is not None:
                engine.crawl(req)
        if self._frontier and not budget:   # more to look at: after other work has run
            from twisted.internet import reactor

            reactor.callLater(0, self._top_up)

    def _note_queued(self) -> None:
        """Stat ``newsclean/scheduler/max_queued``: the most requests waiting at once."""
        queued = self._scheduled_pending() + 1   # this one is counted as enqueued just after
        if queued > self._max_queued:
            self._max_queued = queued
            self.crawler.stats.set_value("newsclean/scheduler/max_queued", queued)

    def _keep_open(self) -> None:
        """spider_idle: the frontier still holds URLs, so the crawl is not over."""
        if self._frontier:
            self._top_up()
            raise DontCloseSpider

    # -- callbacks --------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Any]:
        # --urls: exactly the listed articles; a registered site's discovery is not run
        listings = {} if self.article_urls else self.site.start_urls()
        for kind, urls in listings.items():
            for url in urls:   # start URLs are always fetched, and count against the bounds
                self._listings += kind in ("sitemap", "feed")
                self._admitted.add(safe_url_string(url))
                yield self._discovery_request(url, kind)
        for request in self._articles([discovery.Entry(u) for u in self.article_urls], "urls"):
            yield request
        for request in self._articles(self._due_retries(), "retry"):
            yield request

    def _due_retries(self) -> list[discovery.Entry]:
        """Pages whose earlier fetch failed and whose backoff is over: asked for again even when
        the listings that named them answer 304 this run."""
        if self.store is None:
            return []
        due = self.store.due_retries(self.site.name, datetime.now(timezone.utc))
        self.crawler.stats.set_value(f"{RETRY_STATS}/due", len(due))
        return [discovery.Entry(url) for url in due]

    def retry_later(self, key: str) -> None:
        """The fetch of article ``key`` (store key) failed: a later run tries it again, with a
        backoff, until NEWSCLEAN_RETRY_MAX_ATTEMPTS failures in a row."""
        if self.store is None:
            return
        if self.store.record_failure(key, self.site.name, RetryPolicy.from_settings(self.settings), datetime.now(timezone.utc)):
            self.crawler.stats.inc_value(f"{RETRY_STATS}/given_up")
            self.logger.warning("giving up on %s after %s failed fetches in a row", key,
                                self.settings.get("NEWSCLEAN_RETRY_MAX_ATTEMPTS"))
        else:
            self.crawler.stats.inc_value(f"{RETRY_STATS}/scheduled")

    def _admit(self, kind: str, depth: int, n: int = 1) -> int:
        """How many of ``n`` more discovery documents of ``kind`` at ``depth`` this run may
        fetch; the rest are counted in ``newsclean/discovery/cut/<bound>`` (and said once).

        Generated sitemap indexes and pagination never end (an index chain was fetched 2,827
        times in 40 s; five new page links per page cost 5^5 fetches a section), so the
        sitemaps and feeds of a site, their nesting and its section pages are bounded per run.
        """
        s = self.settings
        if kind in ("sitemap", "feed"):
            if depth > s.getint("NEWSCLEAN_MAX_SITEMAP_DEPTH", 3):
                return self._cut("sitemap_depth", n, "sitemap indexes nested deeper than NEWSCLEAN_MAX_SITEMAP_DEPTH")
            bound, used, name = s.getint("NEWSCLEAN_MAX_SITEMAPS", 1000), self._listings, "sitemaps"
        elif kind == "section":
            bound, used, name = s.getint("NEWSCLEAN_MAX_SECTION_PAGES", 200), self._section_pages, "section_pages"
        else:
            return n
        admitted = n if bound <= 0 else max(0, min(n, bound - used))
        if kind == "section":
            self._section_pages += admitted
        else:
            self._listings += admitted
        if admitted < n:
            self._cut(name, n - admitted, f"more {name} than NEWSCLEAN_MAX_{name.upper()} ({bound})")
        return admitted

    def _cut(self, bound: str, n: int, why: str) -> int:
        self._inc(f"cut/{bound}", n)
        if bound not in self._cuts_said:
            self._cuts_said.add(bound)
            self.logger.warning("discovery cut short: %s; the rest is counted in %s/cut/%s", why, STATS, bound)
        return 0

    def _bounded(self, urls: Iterable[str], kind: str, depth: int) -> list[Request]:
        """Discovery requests for ``urls`` within this run's bounds (see :meth:`_admit`)."""
        # As the request will send them (an internationalized host in IDNA): one URL under its
        # two forms is one document, and its validators are found under the form they were saved.
        # (one longer than URLLENGTH_LIMIT: Scrapy's UrlLengthMiddleware said each at INFO, after
        # it was counted against the bound)
        urls = [u for u in dict.fromkeys(map(safe_url_string, urls)) if u not in self._admitted and not self._too_long(u)]
        if urls and self._limit_cut(len(urls)):
            return []
        urls = urls[:self._admit(kind, depth, len(urls))]
        self._admitted.update(urls)
        return [self._discovery_request(u, kind, depth) for u in urls]

    def parse_robots(self, response: Response) -> Iterable[Request]:
        listed = discovery.sitemaps_from_robots(response.body, response.url, self._bad_url(response, "robots"))
        return self._bounded([u for u in listed if self._on_site_hosts(u, "robots_sitemaps")], "sitemap", 0)

    #: What each stat of sitemaps not followed counts, as the INFO line says it.
    _OFFSITE_SOURCES = {"robots_sitemaps": "robots.txt's sitemap", "index_sitemaps": "a sitemap index's sitemap"}

    def _on_site_hosts(self, url: str, source: str) -> bool:
        """Whether a sitemap listed by robots.txt or a sitemap index (``source``) is on the site's
        hosts (its domains and their subdomains, the hosts its site file names: what the offsite
        filter lets through). One elsewhere is not followed (a listing may name any host; the site
        file can name it): said once a host at INFO and counted, where the offsite filter dropped
        it at DEBUG. One of another scheme than http(s) is not followed either (counted in
        ``not_http/<source>``): an ``ftp:`` sitemap on the site's host was requested, then
        refused by the address guard in a WARNING of its own, one a sitemap."""
        parts = urlsplit(url)
        host = ascii_host(parts.hostname or "")
        if parts.scheme.lower() not in ("http", "https"):
            self._inc(f"not_http/{source}")
            return False
        if covered_by(host, self.allowed_domains):
            return True
        self._inc(f"offsite/{source}")
        if host not in self._offsite_said:
            self._offsite_said.add(host)
            self.logger.info("not following %s %s: %s is not a host of site %s (a site file's "
                             "[discovery] sitemaps may name it)", self._OFFSITE_SOURCES[source], url, host,
                             self.site.name)
        return False

    def parse_sitemap(self, response: Response) -> Iterable[Request]:
        try:
            kind, entries = discovery.iter_sitemap(response.body, response.url, self._bad_url(response, "sitemap"))
        except discovery.DiscoveryError as exc:
            return self._bad_document(response, "sitemap", exc)
        entries = self._counted(entries, "sitemap_entries")
        if kind == "sitemapindex":
            depth = response.meta.get("newsclean_depth", 0) + 1
            return self._bounded((e.url for e in entries if not self.too_old(e.date)
                                  and self._on_site_hosts(e.url, "index_sitemaps")), "sitemap", depth)
        # Lazy: Scrapy takes a callback's output a slice at a time, so a 50,000-URL sitemap
        # (a store lookup each) does not block the reactor while pages wait to be cleaned.
        return self._articles(self._read_to_end(entries, response), "sitemap")

    def parse_feed(self, response: Response) -> Iterable[Request]:
        try:
            entries = discovery.parse_feed(response.body, response.url, self._bad_url(response, "feed"))
        except discovery.DiscoveryError as exc:
            return self._bad_document(response, "feed", exc)
        self._inc("feed_entries", len(entries))
        return self._articles(self._read_to_end(entries, response), "feed")

    def parse_section(self, response: Response) -> Iterable[Request]:
        if not isinstance(response, TextResponse):
            return self._bad_document(response, "section", discovery.DiscoveryError("not an HTML page"))
        return self._section_links(response, response.css("a::attr(href)").getall())

    def _section_links(self, response: Response, hrefs: list[str]) -> Iterable[Request]:
        depth = response.meta.get("newsclean_depth", 0)
        bad = self._bad_url(response, "section")
        articles: list[discovery.Entry] = []
        for href in dict.fromkeys(hrefs):
            if (joined := discovery.join_url(response.url, href.strip(), bad)) is None:
                continue
            url = joined.split("#", 1)[0]
            if self._site_says(self.site.is_pagination_url, url):
                if depth < self.site.discovery.section_pages and ascii_host(urlsplit(url).hostname or "") in self.site.hosts():
                    yield from self._bounded([url], "section", depth + 1)
            else:
                articles.append(discovery.Entry(url))
        # The page's other links wait in the frontier as a sitemap's entries do: each became a
        # request at once, all queued (a page of 20,000 links: 19,338 requests queued, +53 MB).
        yield from self._articles(articles, "section")

    def parse_sniff(self, response: Response) -> Iterable[Request]:
        """An ad-hoc start URL: decide from the answer whether it is a sitemap, feed or page."""
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1")
        kind = discovery.sniff(response.body, ctype)
        self._inc(f"sniffed/{kind}")
        if kind in ("sitemapindex", "urlset"):
            return self.parse_sitemap(response)
        if kind == "feed":
            return self.parse_feed(response)
        if kind == "robots":
            return self.parse_robots(response)
        if kind == "html":
            if discovery.declares_article(response.body):
                self._inc("sniffed/article")
                return self._start_article(response)               # an article: not a section to read
            if self._site_says(self.site.is_article_url, response.url) and urlsplit(response.url).path not in ("", "/"):
                # No markup either way, an article-like URL: clean it as well as reading its links.
                return [*self._start_article(response), *self.parse_section(response)]
            return [*self._start_page_discovery(response), *self.parse_section(response)]
        return self._bad_document(response, "start", discovery.DiscoveryError("not a sitemap, feed or HTML page"))

    def _start_page_discovery(self, response: TextResponse) -> list[Request]:
        """An ad-hoc start page (a home page, a section): the feeds it advertises or links and the
        sections its navigation links to are read too, as a site file's [discovery] would list
        them. Without them a home page gave only what its first screen and the sitemaps list
        (24 of the demo's 27 articles, where its site file finds all)."""
        feeds, sections = discovery.start_page_links(
            response.url, response.css("a::attr(href)").getall(),
            response.css("link[rel~=alternate][type*=rss]::attr(href), link[rel~=alternate][type*=atom]::attr(href)").getall())
        # (a link that is no URL is skipped there, and counted once, by parse_section on the same page)
        hosts = self.site.hosts()
        sections = [u for u in sections if urlsplit(u).hostname in hosts and not self._site_says(self.site.is_pagination_url, u)
                    and not self._site_says(self.site.is_article_url, u)][:MAX_START_SECTIONS]
        if response.meta.get("newsclean_depth", 0):   # a linked "feed" that was a page: no further
            return []
        feeds = [u for u in feeds if urlsplit(u).hostname in hosts][:MAX_START_SECTIONS]
        return [*self._bounded(feeds, "sniff", 1), *self._bounded(sections, "section", 0)]

    def _start_article(self, response: Response) -> list[PageItem | RejectItem]:
        """A start URL that is an article: cleaned once, and marked in the store first so that
        a link to it (its own page, a section) does not fetch and write it again this run."""
        key = canonicalize_url(response.url)
        if self.store is not None:
            if self.store.should_fetch(key, self.site.name, None, self.settings["NEWSCLEAN_RUN_ID"], self.cutoff()).fetch:
                self.store.taken(key)
        response.meta["newsclean_key"] = key
        response.meta.setdefault("newsclean_source", "start")
        return list(self.parse_article(response))

    def parse_article(self, response: Response) -> Iterable[PageItem | RejectItem]:
        if response.status == 304:
            self.crawler.stats.inc_value("newsclean/store/not_modified")
            if self.store is not None:
                self.store.record_fetch(self.fetched(response), unchanged=True)
            return []
        ctype = response.headers.get(b"Content-Type", b"").lower()
        if not isinstance(response, TextResponse) or (ctype and not any(t in ctype for t in _HTML_TYPES)):
            return self._not_html(response, ctype.decode("latin-1"))
        return [PageItem(
            url=response.url,
            # The body as fetched: the worker that cleans it decodes it (cleaners.reading.encoding.decode:
            # the charset the page declares, else the one its bytes show), not the reactor thread.
            html=response.body,
            site=self.site.name,
            status=response.status,
            source=response.meta.get("newsclean_source", "start"),
            fetched=self.fetched(response),
            content_type=ctype.decode("latin-1") or None,
        )]

    def _not_html(self, response: Response, ctype: str) -> list[RejectItem]:
        """An article URL that answered with something else than HTML (a PDF, an image): a
        ``not_html`` reject, so that every page a run counts is findable by URL in its rejects
        (it was a count alone), and remembered like any reject: not fetched again each run."""
        self.crawler.stats.inc_value("newsclean/fetch/skipped_not_html")
        self.crawler.stats.inc_value("newsclean/clean/dropped/not_html")
        detail = f"served as {ctype.split(';')[0].strip() or 'no type'}, not HTML"
        self.logger.info("rejected %s: not_html (%s)", response.url, detail)
        fetched = self.fetched(response)
        if self.store is not None:
            self.store.record_fetch(fetched, unchanged=False)
        return [RejectItem(url=response.url, site=self.site.name, reason="not_html", detail=detail, fetched=fetched)]

    def fetched(self, response: Response) -> Fetched:
        """What this fetch tells the article store about the article."""
        return Fetched(
            url=response.meta.get("newsclean_key") or canonicalize_url(response.url),
            site=self.site.name,
            fetched_at=datetime.now(timezone.utc),
            etag=(response.headers.get(b"ETag") or b"").decode("latin-1") or None,
            last_modified=(response.headers.get(b"Last-Modified") or b"").decode("latin-1") or None,
            listed_date=response.meta.get("newsclean_listed_date"),
        )

    # -- failures ---------------------------------------------------------------------------
    def _bad_document(self, response: Response, kind: str, exc: Exception) -> list[Request]:
        self._inc(f"invalid/{kind}")
        if isinstance(exc, discovery.DocumentBomb):
            self._inc("bombs")
        self.logger.warning("skipped %s %s: %s", kind, response.url, exc)
        return []

    def on_error(self, failure: Failure) -> list[RejectItem]:
        request = failure.request  # type: ignore[attr-defined]
        kind = request.meta.get("newsclean_kind", "unknown")
        refusal = fetch_refusal(failure.value)
        if refusal is not None:
            return self._refused(request, kind, *refusal)
        if self.store is not None:   # nothing of this fetch will be committed
            self.store.settled(request.meta.get("newsclean_key") or request.url if kind == "article"
                               else "discovery:" + request.url)
        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            # Refused on purpose (robots.txt, the address guard, offsite): counted by whoever
            # refused it, and not a failure of the site.
            self.crawler.stats.inc_value(f"newsclean/fetch/ignored/{kind}")
            return []
        reason = type(failure.value).__name__
        status = getattr(getattr(failure.value, "response", None), "status", None)
        if kind == "robots" and status in (404, 410):
            # a site without a robots.txt is no news (a 404 or 410 allows all, RFC 9309 2.3.1.3):
            # no failed fetch in the summary, the error rate or the discovery monitor's reason
            self.crawler.stats.inc_value("newsclean/robots/missing")
            self.logger.debug("no robots.txt at %s: HTTP %s (all allowed)", request.url, status)
            return []
        if status:
            reason = f"http_{status}"
        self.crawler.stats.inc_value(f"newsclean/fetch/failed/{kind}")
        if kind == "article":
            self.retry_later(request.meta.get("newsclean_key") or canonicalize_url(request.url))
        self.crawler.stats.inc_value(f"newsclean/fetch/failed_reason/{reason}")
        # the status, not HttpError's "Ignoring non-200 response": this is the failure's one line
        said = f"HTTP {status}" if status else broken_answer_said(failure.value) or failure.getErrorMessage() or reason
        self.logger.warning("fetch failed for %s %s: %s", kind, request.url, said)
        if not is_expected(failure.value):   # a refused connection's is Twisted's insides, even under -v
            self.logger.debug("%s", failure.getTraceback())
        return []

    def _refused(self, request: Request, kind: str, key: str, reason: str, detail: str) -> list[RejectItem]:
        """A response newsclean would not take (over-size body, decompression bomb, address
        guard): counted under its own key, and an article becomes a reject that says why; a
        discovery document is counted invalid."""
        self.crawler.stats.inc_value(f"newsclean/fetch/{key}")
        if key != "refused":   # the guard logs its refusals itself
            self.logger.warning("refused %s %s: %s", kind, request.url, detail)
        if kind != "article":
            if self.store is not None:
                self.store.settled("discovery:" + request.url)
            if key != "refused":   # the guard counts its refusals itself
                self._inc(f"invalid/{kind}")
            return []
        self.crawler.stats.inc_value(f"newsclean/clean/dropped/{reason}")
        fetched = Fetched(url=request.meta.get("newsclean_key") or canonicalize_url(request.url), site=self.site.name,
                          fetched_at=datetime.now(timezone.utc), listed_date=request.meta.get("newsclean_listed_date"))
        if self.store is not None:
            self.store.record_fetch(fetched, unchanged=False)
        url = request.meta.get("redirect_urls", [request.url])[0]   # the article's URL, not where it led
        if url != request.url:
            detail += " (after a redirect)" if key == "refused" else f" (redirected to {request.url})"
        return [RejectItem(url=url, site=self.site.name, reason=reason, detail=detail, fetched=fetched)]


def fetch_refusal(exc: BaseException) -> tuple[str, str, str] | None:
    """``(stats key, reject reason, detail)`` when a failed fetch was refused for what the
    server sent, not lost: a body over DOWNLOAD_MAXSIZE (``too_large``), one that inflates
    past it (``bomb``), an address the guard refuses (``refused``). None for other failures."""
    detail = " ".join(str(exc).split())[:300]
    if isinstance(exc, DownloadCancelledError) and ("max size" in detail or not detail):
        # Scrapy cancels a download for its size only; a body that grows past the bound
        # without announcing its length is cancelled without a message.
        return "too_large", "too_large", detail or "body larger than DOWNLOAD_MAXSIZE (cut while receiving)"
    if isinstance(exc, IgnoreRequest) and type(exc.__cause__).__name__ == "_DecompressionMaxSizeExceeded":
        return "bomb", "too_large", "decompression bomb: " + detail
    if isinstance(exc, RefusedRequest):
        # What was refused, never the URL or address itself (that is what was kept out).
        return "refused", "refused", f"address guard: {exc.kind or 'refused address'}"
    return None
