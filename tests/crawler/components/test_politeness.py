"""Politeness on real local servers: the per-site concurrency bound holds (counted at the
server), and a 429/503's Retry-After pauses the whole site (seconds and HTTP dates, capped)."""

from __future__ import annotations

import asyncio
import email.utils
import gzip
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from scrapy import Request
from warcio.archiveiterator import ArchiveIterator

from newsclean.crawler.hostile import HostileServer, Reply
from newsclean.crawler.components.politeness import retry_after_seconds

from ...conftest import read_parts, run_newsclean
from ...e2e.test_e2e_bad_input import ARTICLE

FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "NEWSCLEAN_PROGRESS_INTERVAL=-1"]


class Site:
    """A news site on 127.0.0.1 whose article answers are held ``hold`` seconds, counting how
    many requests it holds at once, and whose answers can be scripted per article."""

    def __init__(self, n: int, hold: float = 0.0, robots: Reply | None = None) -> None:
        self.server = HostileServer()
        self.hold = hold
        self.lock = threading.Lock()
        self.in_flight = 0
        self.most = 0
        self.at_arrival: list[int] = []   # requests held at each article request's arrival, itself included
        self.times: list[tuple[float, str, int]] = []   # (monotonic, path, status) of article answers
        self.script: dict[str, list[Reply | Callable[[], Reply]]] = {}
        base = self.server.base_url
        self.urls = [f"{base}/2026/01/{i % 28 + 1:02d}/story-{i}/" for i in range(n)]
        self.server.page("/robots.txt", robots or Reply(f"User-agent: *\nSitemap: {base}/sitemap.xml\n".encode(),
                                                        ctype="text/plain"))
        self.server.page("/sitemap.xml", '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                         + "".join(f"<url><loc>{u}</loc></url>" for u in self.urls) + "</urlset>", "application/xml")
        self.server.route(r"/2026/.*", self._article)

    def _article(self, m, hit) -> Reply:
        with self.lock:
            self.in_flight += 1
            self.most = max(self.most, self.in_flight)
            self.at_arrival.append(self.in_flight)
            scripted = self.script.get(hit.path)
            reply = scripted.pop(0) if scripted else Reply(ARTICLE.format(title=f"Story {hit.path}").encode())
        if callable(reply):
            reply = reply()   # built when served (an HTTP date relative to now)
        time.sleep(self.hold)
        with self.lock:
            self.in_flight -= 1
            self.times.append((time.monotonic(), hit.path, reply.status))
        return reply

    def crawl(self, out: Path, *settings: str, env: dict[str, str] | None = None):
        return run_newsclean("crawl", "--url", self.server.url("/"), "--out", str(out), *FAST, *settings, env=env)


@pytest.fixture
def site_factory():
    sites: list[Site] = []

    def make(n: int, hold: float = 0.0, robots: Reply | None = None) -> Site:
        sites.append(Site(n, hold, robots))
        return sites[-1]

    yield make
    for s in sites:
        s.server.stop()


@pytest.mark.parametrize("bound", [1, 2])
def test_per_site_concurrency_bound_holds_without_a_delay(site_factory, tmp_path: Path, bound: int) -> None:
    """Scrapy 2.19 sent a slot's whole queue at once with no download delay (10 requests in
    flight at CONCURRENT_REQUESTS_PER_DOMAIN=2); the server counts what it holds at once."""
    site = site_factory(24, hold=0.4)
    proc = site.crawl(tmp_path / "out", "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={bound}")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert len(read_parts(tmp_path / "out")) == 24
    assert site.most == bound, f"{site.most} requests in flight at once, bound {bound}"


def test_bodies_in_flight_are_bounded_in_bytes(site_factory, tmp_path: Path) -> None:
    """NEWSCLEAN_INFLIGHT_BYTES: no request starts while the bodies in flight (downloads in
    progress, at the crawl's mean response size, and responses waiting for the pipelines) reach
    the bound. Pages of ~200 KB under a 600 KB bound: a few at once, not the 16 the concurrency
    settings allow (before: 16 at the server at once). Every page is still written. The bound is
    read as any number the command line accepts ("6.144e5" was a traceback as an int setting)."""
    site = site_factory(30, hold=0.3)
    padding = "<!-- " + "x" * 200_000 + " -->"
    for url in site.urls:
        path = url.split(site.server.base_url, 1)[1]
        site.script[path] = [Reply((ARTICLE.format(title=f"Story {path}") + padding).encode())]
    proc = site.crawl(tmp_path / "out", "-s", "CONCURRENT_REQUESTS=16", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
                      "-s", "NEWSCLEAN_INFLIGHT_BYTES=6.144e5", "-s", "NEWSCLEAN_CLEAN_WORKERS=0")   # 600 KB, as a number
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert len(read_parts(tmp_path / "out")) == 30
    assert 1 <= site.most <= 4, f"{site.most} requests in flight at once under a 600 KB bound, pages of 200 KB"


def test_requests_start_as_the_pipelines_free_room_not_in_bursts(site_factory, tmp_path: Path) -> None:
    """The bound on bodies in flight is the only gate: Scrapy's own (the scraper slot's 5 MB of
    responses) is lifted to it. With both, a crawl whose cleaning is slower than its fetching
    started its requests in bursts: each time the waiting bodies fell below Scrapy's 5 MB, as
    many at once as the bound's room held at the mean size (here ~10 of 300 KB, each held 50 ms
    by the server: 9-10 at the server at once), a burst that holds more than the bound when its
    pages come larger than the mean. Now a request starts as a page leaves the pipelines. One
    worker, each page held 0.1 s before it is cleaned (the pool's stall hook); the requests of
    the crawl's start (nothing waits yet: ~27 downloads) are not counted."""
    site = site_factory(80, hold=0.05)
    padding = "<!-- " + "x" * 300_000 + " -->"
    for url in site.urls:
        path = url.split(site.server.base_url, 1)[1]
        site.script[path] = [Reply((ARTICLE.format(title=f"Story {path}") + padding + "SLOW-CLEANING").encode())]
    proc = site.crawl(tmp_path / "out", "-s", "CONCURRENT_REQUESTS=32", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=32",
                      "-s", "NEWSCLEAN_INFLIGHT_BYTES=8e6", "-s", "NEWSCLEAN_CLEAN_WORKERS=1",
                      "-s", "NEWSCLEAN_CLEAN_TIMEOUT=0.05", env={"NEWSCLEAN_TEST_FAULTS": "stall=SLOW-CLEANING"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert len(read_parts(tmp_path / "out")) == 80
    after_start = site.at_arrival[40:]
    assert after_start and max(after_start) <= 3, f"requests at the server at once after the start: {after_start}"


@pytest.mark.parametrize("bound", ["0", "-1", "inf", "1e400"])
def test_no_bound_on_bodies_in_flight_at_zero(site_factory, tmp_path: Path, bound: str) -> None:
    """NEWSCLEAN_INFLIGHT_BYTES=0: only the concurrency settings bound the requests in flight; so
    below 0 and at a bound no int holds (it was an OverflowError traceback at the crawl's start)."""
    site = site_factory(12, hold=0.4)
    proc = site.crawl(tmp_path / "out", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=6", "-s", f"NEWSCLEAN_INFLIGHT_BYTES={bound}",
                      "-s", "NEWSCLEAN_CLEAN_WORKERS=0")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert len(read_parts(tmp_path / "out")) == 12
    assert site.most == 6


def paused(proc, counts: dict[str, int]) -> tuple[int, list[str]]:
    """The seconds the crawl decided to pause for (``newsclean/politeness/paused_seconds``) and
    the slots its log said it paused (``nothing more to SLOT for Ns``)."""
    slots = [line.split("nothing more to ", 1)[1].split(" for ", 1)[0]
             for line in proc.stderr.splitlines() if "nothing more to " in line]
    return counts["newsclean/politeness/paused_seconds"], slots


@pytest.mark.parametrize("status,header", [(429, "4"), (503, "date+5")])
def test_retry_after_pauses_the_whole_site(site_factory, tmp_path: Path, status: int, header: str) -> None:
    """The pause is read from what the crawl decided (its count of seconds, and the slot its log
    names: the site's, every request to it), not from the seconds between requests at the server;
    test_a_paused_site_sends_nothing_until_its_time shows a paused slot sends nothing."""
    site = site_factory(6)
    path = site.urls[0].split(site.server.base_url, 1)[1]
    sent: list[str] = []

    def slow_down() -> Reply:
        sent.append(email.utils.formatdate(time.time() + 5, usegmt=True) if header == "date+5" else header)
        return Reply(b"slow down", status=status, ctype="text/plain", headers={"Retry-After": sent[-1]})

    site.script[path] = [slow_down]
    proc = site.crawl(tmp_path / "out", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert len(read_parts(tmp_path / "out")) == 6
    assert [s for _, p, s in site.times if p == path] == [status, 200]   # retried, once
    (manifest,) = (tmp_path / "out" / "manifests").glob("*.json")
    counts = orjson.loads(manifest.read_bytes())["counts"]
    assert counts["newsclean/politeness/slow_down"] == 1 and counts["newsclean/politeness/retry_after"] == 1
    seconds, slots = paused(proc, counts)
    # an HTTP date five seconds ahead, in whole seconds, is read when the answer arrives: 5 at most
    assert seconds == 4 if header == "4" else 0 <= seconds <= 5, (seconds, sent)
    assert slots == ["127.0.0.1"], proc.stderr[-2000:]   # the site's slot: its every request


def test_retry_after_is_capped(site_factory, tmp_path: Path) -> None:
    site = site_factory(2)
    path = site.urls[0].split(site.server.base_url, 1)[1]
    site.script[path] = [Reply(b"", status=429, ctype="text/plain", headers={"Retry-After": "3600"})]
    proc = site.crawl(tmp_path / "out", "-s", "NEWSCLEAN_RETRY_AFTER_MAX=2", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert [s for _, p, s in site.times if p == path] == [429, 200]
    (manifest,) = (tmp_path / "out" / "manifests").glob("*.json")
    seconds, slots = paused(proc, orjson.loads(manifest.read_bytes())["counts"])
    assert (seconds, slots) == (2, ["127.0.0.1"]), proc.stderr[-2000:]   # the cap, not the hour


#: Set in the process of its own that test_a_paused_site_sends_nothing_until_its_time runs in.
_OWN_PROCESS = "NEWSCLEAN_TEST_OWN_PROCESS"


def test_a_paused_site_sends_nothing_until_its_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in a process of its own: a crawl run earlier in the same process leaves its reactor's
    name resolver (the address guard, refusing 127.0.0.1) and its event loop behind, and this
    test's downloader then failed ('DNS lookup failed: no results for hostname lookup: 127.0.0.1')
    or waited forever, by the order of the tests in a worker."""
    if os.environ.get(_OWN_PROCESS):
        return _paused_site_sends_nothing_until_its_time(monkeypatch)
    node = f"{__file__}::test_a_paused_site_sends_nothing_until_its_time"
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", node],
                         env={**os.environ, _OWN_PROCESS: "1"}, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and "1 passed" in run.stdout, run.stdout[-3000:] + run.stderr[-2000:]


def _paused_site_sends_nothing_until_its_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """PoliteDownloader.pause, in this process on a clock the test moves: the paused slot's
    requests (a retry and another page) stay queued, the slot asks to be called back when the
    pause is over, another site's request is sent and answered meanwhile; once the clock has
    passed the pause and the call back comes, the site's requests are sent and answered. A
    shorter pause after a longer one leaves the longer."""
    from scrapy import Spider
    from scrapy.utils.test import get_crawler

    from newsclean.crawler.components import politeness

    now = [1_000.0]
    later: list[tuple[float, Callable[..., object], tuple[object, ...]]] = []
    monkeypatch.setattr(politeness, "monotonic", lambda: now[0])

    def call_later(delay: float, func: Callable[..., object], *args: object) -> object:
        later.append((delay, func, args))
        return later[-1]   # the slot's latercall, till it is called

    monkeypatch.setattr(politeness, "call_later", call_later)
    server = HostileServer()
    server.route(r"/.*", lambda m, hit: Reply(b"ok", ctype="text/plain"))

    async def crawl() -> None:
        crawler = get_crawler(settings_dict={"DOWNLOAD_DELAY": 0, "CONCURRENT_REQUESTS_PER_DOMAIN": 1})
        crawler.spider = Spider("paused")
        downloader = politeness.PoliteDownloader(crawler)
        try:
            retry, page = Request(server.url("/2026/01/01/a/")), Request(server.url("/2026/01/02/b/"))
            key, slot = downloader._get_slot(retry)
            assert downloader.pause(key, 4.0) == 4.0 and downloader.pause(key, 1.0) == 4.0
            waiting = [asyncio.ensure_future(downloader._enqueue_request(r)) for r in (retry, page)]
            other = Request(server.url("/elsewhere/"), meta={"download_slot": "another-site"})
            assert (await downloader._enqueue_request(other)).status == 200
            assert len(slot.queue) == 2 and not slot.transferring and not any(w.done() for w in waiting)
            assert [delay for delay, _, _ in later] == [4.0]
            assert [h.path for h in server.hits] == ["/elsewhere/"]
            now[0] += 4.0
            _, func, args = later.pop()
            func(*args)
            assert [r.status for r in await asyncio.gather(*waiting)] == [200, 200]
            assert [h.path for h in server.hits] == ["/elsewhere/", "/2026/01/01/a/", "/2026/01/02/b/"]
        finally:
            await downloader.handlers._close()

    try:
        asyncio.run(crawl())
    finally:
        server.stop()


def test_retry_after_values() -> None:
    from datetime import datetime, timezone

    now = datetime(2026, 12, 4, 12, 0, 0, tzinfo=timezone.utc)
    assert retry_after_seconds("20") == 20
    assert retry_after_seconds(b" 7 ") == 7
    assert retry_after_seconds("Fri, 04 Dec 2026 12:00:30 GMT", now) == 30
    assert retry_after_seconds("Fri, 04 Dec 2026 11:00:00 GMT", now) == 0     # in the past
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None and retry_after_seconds("-5") is None


@pytest.mark.parametrize("robots", ["sitemap", "missing"])
def test_robots_txt_is_fetched_once_a_crawl(site_factory, tmp_path: Path, robots: str) -> None:
    """Scrapy's robots.txt middleware fetched the file before the site's first request, and the
    spider fetched it again to read its Sitemap: lines: two fetches of one file a site a crawl.
    The middleware's answer now serves the spider's request, a 404 as well as a file. The
    sitemap it names is still read, and what it disallows is still not fetched. A site without
    a robots.txt is no news: its 404 is no WARNING (it was 'fetch failed for robots ...: HTTP
    404', one such line a site without the file)."""
    if robots == "missing":   # no robots.txt: the articles are linked from the front page
        site = site_factory(6, robots=Reply(b"not here", status=404, ctype="text/plain"))
        site.server.page("/", "<html><body>" + "".join(f'<a href="{u}">story</a>' for u in site.urls) + "</body></html>")
    else:
        site = site_factory(6, robots=Reply(b"User-agent: *\nDisallow: /2026/01/01/\nSitemap: /sitemap.xml\n",
                                            ctype="text/plain"))
    proc = site.crawl(tmp_path / "out")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert len(read_parts(tmp_path / "out")) == (6 if robots == "missing" else 5)
    assert site.server.count(r"^/robots\.txt$") == 1, [h.path for h in site.server.hits]
    assert site.server.count(r"^/2026/01/01/") == (1 if robots == "missing" else 0)
    assert [line for line in proc.stderr.splitlines() if " WARNING: " in line and "robots" in line] == []
    # nor a failed fetch: it was counted in the summary's "fetch failures", the error rate and the
    # discovery monitor's "N discovery fetches failed" of every run of a site without the file
    (manifest,) = (tmp_path / "out" / "manifests").glob("*.json")
    counts = orjson.loads(manifest.read_bytes())["counts"]
    assert "newsclean/fetch/failed/robots" not in counts, counts
    assert counts.get("newsclean/robots/missing", 0) == (robots == "missing")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig", "utf-16-le+bad"])
def test_robots_txt_is_read_by_its_byte_order_mark(site_factory, tmp_path: Path, encoding: str) -> None:
    """Scrapy reads robots.txt as UTF-8 whatever its byte order mark: a UTF-16 file's Disallow
    was NUL-separated letters and what it disallowed was fetched (hostile5). Each encoding's
    rules and Sitemap: line are read now; a file with bytes that are not text in its encoding
    (an odd byte after UTF-16 text) keeps the lines that are, and is counted."""
    text = "User-agent: *\nDisallow: /2026/01/01/\nSitemap: /sitemap.xml\n"
    if encoding == "utf-16-le+bad":
        body = b"\xff\xfe" + text.encode("utf-16-le") + b"\x00\xdc" + "#\n".encode("utf-16-le")   # a lone low surrogate
    elif encoding == "utf-16-be":
        body = b"\xfe\xff" + text.encode("utf-16-be")
    else:
        body = text.encode(encoding)   # Python's utf-16 and utf-32 write a BOM (little-endian here)
    site = site_factory(6, robots=Reply(body, ctype="text/plain"))
    site.server.page("/", "<html><body>" + "".join(f'<a href="{u}">story</a>' for u in site.urls) + "</body></html>")
    proc = site.crawl(tmp_path / "out")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert site.server.count(r"^/2026/01/01/") == 0, [h.path for h in site.server.hits]
    assert site.server.count(r"^/sitemap\.xml$") == 1
    assert len(read_parts(tmp_path / "out")) == 5
    (manifest,) = (tmp_path / "out" / "manifests").glob("*.json")
    counts = orjson.loads(manifest.read_bytes())["counts"]
    assert counts.get("newsclean/robots/undecodable", 0) == (encoding == "utf-16-le+bad")


def _robots_timeout(handler: object) -> None:
    time.sleep(8)   # past the test's DOWNLOAD_TIMEOUT (1 s), short of the server's lifetime


def _robots_closed(handler: object) -> None:
    pass            # the connection closed without a byte: no whole HTTP answer


@pytest.mark.parametrize("failure", ["http_503", "http_500", "timeout", "broken_answer"])
def test_an_unreachable_robots_txt_disallows_its_host_for_the_run(site_factory, tmp_path: Path, failure: str) -> None:
    """A robots.txt that cannot be had (a 5xx after the retries, a timeout, a connection closed
    without an answer) disallows all of its host for the run (RFC 9309 2.3.1.4): no sitemap,
    page or article of it is asked for, the spider's own request for the file is not sent again,
    and the run is degraded, saying why. Before: two ERROR lines of Scrapy's ("Gave up retrying",
    "Error downloading <the sitemap's URL>"), counted nowhere of ours, and everything fetched
    as if it allowed all (a 5xx: not even a line)."""
    from newsclean.crawler.hostile import Raw

    robots = {"http_503": Reply(b"busy", status=503, ctype="text/plain"),
              "http_500": Reply(b"<html>Internal error</html>", status=500),
              "timeout": Raw(_robots_timeout), "broken_answer": Raw(_robots_closed)}[failure]
    site = site_factory(4, robots=robots)   # type: ignore[arg-type]
    site.server.page("/", "<html><body>" + "".join(f'<a href="{u}">story</a>' for u in site.urls) + "</body></html>")
    proc = site.crawl(tmp_path / "out", "-s", "DOWNLOAD_TIMEOUT=1", "-s", "RETRY_TIMES=1")
    host = site.server.base_url.split("//", 1)[1]
    assert proc.returncode == 1, proc.stderr[-3000:]
    # the middleware's own fetch and its one retry, nothing else: not the spider's request for the file
    assert [h.path for h in site.server.hits] == ["/robots.txt", "/robots.txt"]
    warnings = [line for line in proc.stderr.splitlines() if "WARNING" in line or "ERROR" in line]
    said = [line for line in warnings if f"robots.txt of {host} unreachable" in line]
    assert len(said) == 1 and "nothing is fetched from" in said[0], warnings
    assert [line for line in warnings if "ERROR" in line and "[Spidermon] FAIL" not in line] == [], warnings
    assert "Traceback" not in proc.stderr and "Gave up retrying" not in proc.stderr
    assert proc.stderr.strip().splitlines()[-1] == (
        f"newsclean: degraded: discovery failed: no article URL found, robots.txt unreachable on 1 host ({failure}: 1): "
        "nothing fetched there")
    assert f"  robots.txt:       unreachable on 1 host ({failure}: 1): nothing fetched there this run" in proc.stdout
    (manifest,) = (tmp_path / "out" / "manifests").glob("*.json")
    counts = orjson.loads(manifest.read_bytes())["counts"]
    assert {k: v for k, v in counts.items() if k.startswith("newsclean/robots/")} == {
        f"newsclean/robots/unreachable/{failure}": 1}


def _large_robots(encoding: str) -> Reply:
    """A robots.txt of ~100 KB whose first lines disallow /2026/01/01/ and name the sitemap, and
    whose last line, past the first 4 KB, disallows /2026/01/02/; gzip: the same rules before
    ~2 MB of comment lines, sent gzip-encoded (~2 KB on the wire: a decompression bomb at a
    DOWNLOAD_MAXSIZE of 64 KB)."""
    head = "User-agent: *\nDisallow: /2026/01/01/\nSitemap: /sitemap.xml\n"
    if encoding == "gzip":
        text = head + ("#" * 63 + "\n") * 32_000 + "Disallow: /2026/01/02/\n"
        return Reply(gzip.compress(text.encode()), ctype="text/plain", headers={"Content-Encoding": "gzip"})
    text = head + "".join(f"Disallow: /nothing/{i:06d}/\n" for i in range(4_000)) + "Disallow: /2026/01/02/\n"
    if encoding == "utf-16":
        return Reply(text.encode("utf-16"), ctype="text/plain")
    return Reply(text.encode(), ctype="text/plain")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "gzip"])
def test_a_robots_txt_over_the_limit_is_obeyed_to_its_first_bytes(site_factory, tmp_path: Path, encoding: str) -> None:
    """A robots.txt larger than NEWSCLEAN_ROBOTSTXT_MAX_BYTES (500 KiB by default; 4 KB here) is
    read to its first bytes, cut at the last whole line (in UTF-16 too), and obeyed, as RFC 9309
    (2.5) asks and Google does: its first Disallow holds, one past the cut does not; one WARNING
    names the host, newsclean/robots/truncated counts it, the file is fetched once. Before: a
    file over DOWNLOAD_MAXSIZE (64 KB here) was cancelled and its host disallowed for the run
    (unreachable/too_large, exit 1), a smaller one read whole, whatever its size; a gzip one
    that inflated past DOWNLOAD_MAXSIZE was dropped by Scrapy's decompression without a word
    and the host crawled as if it allowed all."""
    site = site_factory(6, robots=_large_robots(encoding))
    site.server.page("/", "<html><body>" + "".join(f'<a href="{u}">story</a>' for u in site.urls) + "</body></html>")
    proc = site.crawl(tmp_path / "out", "-s", "NEWSCLEAN_ROBOTSTXT_MAX_BYTES=4096", "-s", "DOWNLOAD_MAXSIZE=65536")
    host = site.server.base_url.split("//", 1)[1]
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert site.server.count(r"^/2026/01/01/") == 0, [h.path for h in site.server.hits]   # before the cut: obeyed
    assert site.server.count(r"^/2026/01/02/") == 1   # past the cut: not read
    assert site.server.count(r"^/robots\.txt$") == 1 and site.server.count(r"^/sitemap\.xml$") == 1
    assert len(read_parts(tmp_path / "out")) == 5
    said = [line for line in proc.stderr.splitlines() if "WARNING" in line and f"robots.txt of {host}" in line]
    assert len(said) == 1 and "larger than 4096 bytes" in said[0], proc.stderr[-3000:]
    (manifest,) = (tmp_path / "out" / "manifests").glob("*.json")
    counts = orjson.loads(manifest.read_bytes())["counts"]
    assert {k: v for k, v in counts.items() if k.startswith("newsclean/robots/")} == {"newsclean/robots/truncated": 1}
    assert ("  robots.txt:       read to its first bytes on 1 host (larger than NEWSCLEAN_ROBOTSTXT_MAX_BYTES) this run"
            in proc.stdout), proc.stdout


def test_a_brotli_robots_txt_cut_at_the_limit_is_obeyed_to_the_limit(site_factory, tmp_path: Path) -> None:
    """A brotli robots.txt that does not compress (~1.3 MB sent), its download stopped at the
    default NEWSCLEAN_ROBOTSTXT_MAX_BYTES (500 KiB): the stream cut there is decoded as far as it
    goes and obeyed to the limit, its first Disallow and one ~100 KB on held, one past the limit
    not read; counted truncated, archived WARC-Truncated: length. Before: one call of brotli's
    decompressor gave the cut stream's first 32 KiB only: /2026/01/03/ was fetched."""
    import base64
    import random

    import brotli

    rng = random.Random(3)

    def filler(n: int) -> str:
        return "".join(f"# {base64.b64encode(rng.randbytes(45)).decode()}\n" for _ in range(n))

    text = ("User-agent: *\nDisallow: /2026/01/01/\nSitemap: /sitemap.xml\n" + filler(1_600)
            + "Disallow: /2026/01/03/\n" + filler(20_000) + "Disallow: /2026/01/02/\n")
    site = site_factory(6, robots=Reply(brotli.compress(text.encode()), ctype="text/plain",
                                        headers={"Content-Encoding": "br"}))
    site.server.page("/", "<html><body>" + "".join(f'<a href="{u}">story</a>' for u in site.urls) + "</body></html>")
    proc = site.crawl(tmp_path / "out", "--warc")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert site.server.count(r"^/2026/01/0[13]/") == 0, [h.path for h in site.server.hits]   # before the limit
    assert site.server.count(r"^/2026/01/02/") == 1   # past it: not read
    (manifest,) = (tmp_path / "out" / "manifests").glob("*.json")
    counts = orjson.loads(manifest.read_bytes())["counts"]
    assert {k: v for k, v in counts.items() if k.startswith("newsclean/robots/")} == {"newsclean/robots/truncated": 1}
    (archive,) = (tmp_path / "out" / "warc").glob("*.warc.gz")
    with archive.open("rb") as fh:
        (robots,) = [r for r in ArchiveIterator(fh) if r.rec_type == "response"
                     and r.rec_headers.get_header("WARC-Target-URI").endswith("/robots.txt")]
        assert robots.rec_headers.get_header("WARC-Truncated") == "length"


def test_a_robots_txt_read_to_its_first_bytes_is_archived_as_truncated(site_factory, tmp_path: Path) -> None:
    """The archive's record of a robots.txt whose download stopped at NEWSCLEAN_ROBOTSTXT_MAX_BYTES
    holds what came before the stop: it says so (``WARC-Truncated: length``, WARC 1.1), as the
    records of whole answers do not. Before, the cut file was archived as if it were the whole."""
    site = site_factory(4, robots=_large_robots("utf-8"))
    site.server.page("/", "<html><body>" + "".join(f'<a href="{u}">story</a>' for u in site.urls) + "</body></html>")
    proc = site.crawl(tmp_path / "out", "--warc", "-s", "NEWSCLEAN_ROBOTSTXT_MAX_BYTES=4096")
    assert proc.returncode == 0, proc.stderr[-3000:]
    (archive,) = (tmp_path / "out" / "warc").glob("*.warc.gz")
    truncated: dict[str, str | None] = {}
    with archive.open("rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type == "response":
                uri = record.rec_headers.get_header("WARC-Target-URI")
                truncated[uri.split("/", 3)[-1]] = record.rec_headers.get_header("WARC-Truncated")
                body = record.content_stream().read()
                if uri.endswith("/robots.txt"):
                    assert 4096 < len(body) < len(_large_robots("utf-8").body)   # what came, not the file
    assert truncated.pop("robots.txt") == "length"
    assert truncated and set(truncated.values()) == {None}, truncated   # the pages, the sitemap: whole


def test_a_robots_txt_sent_with_a_content_encoding_of_another_name_is_obeyed(site_factory, tmp_path: Path) -> None:
    """A plain robots.txt sent with ``Content-Encoding: none`` (servers do): read as it came and
    obeyed, as Scrapy's decompression leaves an encoding it does not know. Before: taken for a
    broken answer, its host disallowed for the run (unreachable/broken_answer, exit 1, nothing written)."""
    text = b"User-agent: *\nDisallow: /2026/01/01/\nSitemap: /sitemap.xml\n"
    site = site_factory(4, robots=Reply(text, ctype="text/plain", headers={"Content-Encoding": "none"}))
    proc = site.crawl(tmp_path / "out")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert site.server.count(r"^/2026/01/01/") == 0 and len(read_parts(tmp_path / "out")) == 3
    (manifest,) = (tmp_path / "out" / "manifests").glob("*.json")
    counts = orjson.loads(manifest.read_bytes())["counts"]
    assert {k: v for k, v in counts.items() if k.startswith("newsclean/robots/")} == {}


def test_a_robots_txt_start_url_in_utf16_is_read_as_robots_txt(site_factory, tmp_path: Path) -> None:
    """``--url .../robots.txt`` served in UTF-16 (with its byte order mark): the start URL's
    answer is told a robots.txt, as in UTF-8, and its Sitemap: line read. Before: sniffed as
    'unknown' (a NUL between its letters), counted invalid, nothing written."""
    text = "User-agent: *\nDisallow: /2026/01/01/\nSitemap: /sitemap.xml\n"
    site = site_factory(4, robots=Reply(text.encode("utf-16"), ctype="text/plain"))
    proc = run_newsclean("crawl", "--url", site.server.url("/robots.txt"), "--out", str(tmp_path / "out"), *FAST)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert len(read_parts(tmp_path / "out")) == 3   # story-0 is under /2026/01/01/, disallowed
    (manifest,) = (tmp_path / "out" / "manifests").glob("*.json")
    counts = orjson.loads(manifest.read_bytes())["counts"]
    assert counts.get("newsclean/discovery/sniffed/robots") == 1 and "newsclean/discovery/invalid/start" not in counts


def _robots_redirects(kind: str, server: HostileServer | None = None) -> Reply:
    """A ``/robots.txt`` answer redirecting ``kind``-wise: to itself (``loop``), on through 30 new
    paths of ``server`` to a file disallowing all (``chain``), to a non-HTTP scheme (``scheme``),
    or to a link-local address (``refused``, the cloud metadata one the address guard never reaches)."""
    moved = {"loop": "/robots.txt", "chain": "/r/1/robots.txt", "scheme": "ftp://127.0.0.1/robots.txt",
             "refused": "http://169.254.169.254/robots.txt"}[kind]
    if server is not None:
        server.route(r"/r/(\d+)/robots\.txt", lambda m, h: Reply(status=302, headers={"Location": f"/r/{int(m[1]) + 1}/robots.txt"})
                     if int(m[1]) < 30 else Reply(b"User-agent: *\nDisallow: /\n", ctype="text/plain"))
    return Reply(status=301, headers={"Location": moved})


@pytest.mark.parametrize("kind", ["loop", "chain", "scheme", "refused"])
def test_a_robots_txt_not_reached_through_its_redirects_is_unavailable_and_said(site_factory, tmp_path: Path,
                                                                                kind: str) -> None:
    """A robots.txt whose redirects lead nowhere (a loop, past REDIRECT_MAX_TIMES, to a
    non-HTTP scheme or an address the guard refuses) is unavailable, as RFC 9309 (2.3.1.2)
    allows and Google does (a 404: all allowed), and said so: one WARNING naming the host,
    newsclean/robots/unavailable/<kind>; a loop is left at its first repeat, and the spider's
    own request for the file is not sent again. Before: all allowed without a word or a count,
    and the spider followed a chain's redirects a second time (12 requests of robots.txt paths
    at REDIRECT_MAX_TIMES=5; a loop's 7), a redirect to ftp: said as 'fetch failed ... HTTP 301'."""
    site = site_factory(4, robots=_robots_redirects(kind))
    _robots_redirects(kind, site.server)
    site.server.page("/", "<html><body>" + "".join(f'<a href="{u}">story</a>' for u in site.urls) + "</body></html>")
    proc = site.crawl(tmp_path / "out", "-s", "REDIRECT_MAX_TIMES=5")
    host = site.server.base_url.split("//", 1)[1]
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert len(read_parts(tmp_path / "out")) == 4
    robots = [h.path for h in site.server.hits if h.path.endswith("robots.txt")]
    # the middleware's fetch and its redirects, once: a loop's first hop, a chain's first 5
    assert robots == {"loop": ["/robots.txt"], "chain": ["/robots.txt", *(f"/r/{i}/robots.txt" for i in range(1, 6))],
                      "scheme": ["/robots.txt"], "refused": ["/robots.txt"]}[kind]
    said = [line for line in proc.stderr.splitlines() if "WARNING" in line and f"robots.txt of {host}" in line]
    assert len(said) == 1 and "unavailable" in said[0] and "all allowed" in said[0], proc.stderr[-3000:]
    # one line for the event: the guard's own 'refused <url>' was a second WARNING (until session 43)
    assert [line for line in proc.stderr.splitlines() if " WARNING: " in line] == said
    if kind == "refused":   # where it was sent and why it was refused
        assert "redirected to http://169.254.169.254/robots.txt, refused: " in said[0] and "link-local" in said[0]
    assert " ERROR: " not in proc.stderr and "Traceback" not in proc.stderr
    (manifest,) = (tmp_path / "out" / "manifests").glob("*.json")
    counts = orjson.loads(manifest.read_bytes())["counts"]
    key = {"loop": "redirect_loop", "chain": "redirects", "scheme": "redirect_scheme", "refused": "redirect_refused"}[kind]
    assert {k: v for k, v in counts.items() if k.startswith("newsclean/robots/")} == {
        f"newsclean/robots/unavailable/{key}": 1}
    # the summary, which cron mails, says it too (it named unreachable hosts only)
    assert f"  robots.txt:       unavailable on 1 host ({key}: 1): all allowed there this run" in proc.stdout, proc.stdout
