"""The address guard: no connection to private, loopback or link-local addresses (in any spelling)
for hosts the site did not name; unit tests of the address check and of the guarded resolver."""

from __future__ import annotations

import asyncio
import ipaddress
import socket

import pytest
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Request
from scrapy.resolver import HostResolution
from scrapy.utils.test import get_crawler
from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.interfaces import IHostnameResolver
from zope.interface import implementer

from newsclean.crawler.components.addresses import parse_ip_literal, refusal
from newsclean.crawler.components.middlewares import (ROBOTS_REUSED, AddressGuardMiddleware, GuardedNameResolver,
                                            OneFetchRobotsTxtMiddleware, RefusedRequest, UserAgentFromContact,
                                            is_private_address)
from newsclean.crawler.spiders.news import NewsSpider
from newsclean.crawler.sites import adhoc_site


#: 127.0.0.1, 169.254.169.254 (cloud metadata) and private addresses in the spellings a URL
#: can carry; every one of them must be read as the address it is.
SPELLINGS = {
    "2130706433": "127.0.0.1", "0x7f000001": "127.0.0.1", "127.1": "127.0.0.1", "0177.0.0.1": "127.0.0.1",
    "0x7f.0.0.1": "127.0.0.1", "0x7f.1": "127.0.0.1", "0": "0.0.0.0", "127.0.0.1.": "127.0.0.1",
    "2852039166": "169.254.169.254", "0xa9fea9fe": "169.254.169.254", "0251.0376.0251.0376": "169.254.169.254",
    "169.254.43518": "169.254.169.254", "10.1": "10.0.0.1", "192.168.1": "192.168.0.1",
    "[::1]": "::1", "[::ffff:127.0.0.1]": "::ffff:7f00:1", "[::ffff:a9fe:a9fe]": "::ffff:a9fe:a9fe",
    "[fe80::1%eth0]": "fe80::1%eth0", "93.184.216.34": "93.184.216.34", "1.256": "1.0.1.0",
}


@pytest.mark.parametrize("host,address", SPELLINGS.items())
def test_every_ipv4_spelling_is_read_as_its_address(host: str, address: str) -> None:
    assert parse_ip_literal(host) == ipaddress.ip_address(address)
    if ":" not in host and not host.endswith("."):
        # the C library reads them the same way (what the connection would have used)
        assert str(parse_ip_literal(host)) == socket.inet_ntoa(socket.inet_aton(host))


@pytest.mark.parametrize("host", ["example.com", "1e100.net", "0x7g.0.0.1", "256.1.1.1", "1.2.65536", "4294967296",
                                  "127.0.0.1.evil.com", "[not:an:address]"])
def test_names_are_not_literals(host: str) -> None:
    assert parse_ip_literal(host) is None


@pytest.mark.parametrize("address,why", [
    ("127.0.0.1", "loopback"), ("127.9.9.9", "loopback"), ("::1", "loopback"), ("0.0.0.0", "unspecified"),
    ("::", "unspecified"), ("169.254.169.254", "link-local"), ("fe80::1", "link-local"), ("10.1.2.3", "private"),
    ("172.16.0.1", "private"), ("192.168.0.1", "private"), ("fd00:ec2::254", "private"), ("100.64.0.1", "shared"),
    ("224.0.0.1", "multicast"), ("ff02::1", "multicast"), ("240.0.0.1", "private"), ("192.0.2.1", "private"),
    # IPv6 carrying a refused IPv4 address: mapped, compatible, 6to4, NAT64
    ("::ffff:127.0.0.1", "loopback"), ("::ffff:169.254.169.254", "link-local"), ("::127.0.0.1", "loopback"),
    ("2002:a9fe:a9fe::", "link-local"), ("64:ff9b::a9fe:a9fe", "link-local"), ("64:ff9b::7f00:1", "loopback"),
    ("93.184.216.34", None), ("2606:4700::1111", None), ("::ffff:93.184.216.34", None),
])
def test_refusal_names_why(address: str, why: str | None) -> None:
    assert refusal(ipaddress.ip_address(address)) == why


@pytest.mark.parametrize("host,private", [
    ("169.254.169.254", True), ("2852039166", True), ("10.1.2.3", True), ("127.1", True), ("192.168.0.1", True),
    ("[::1]", True), ("::ffff:10.0.0.1", True), ("localhost", True), ("fe80::1", True),
    ("93.184.216.34", False), ("example.com", False),
])
def test_is_private_address(host: str, private: bool) -> None:
    assert is_private_address(host) is private


@implementer(IHostnameResolver)
class TableResolver:
    """The resolver under the guard in these tests: names from a table, no outside DNS."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table
        self.asked: list[str] = []

    def resolveHostName(self, receiver, hostName, portNumber=0, addressTypes=None, transportSemantics="TCP"):  # noqa: N802,N803
        self.asked.append(hostName)
        receiver.resolutionBegan(HostResolution(hostName))
        for text in self.table.get(hostName, []):
            cls = IPv6Address if ":" in text else IPv4Address
            receiver.addressResolved(cls("TCP", text, portNumber))
        receiver.resolutionComplete()


class Addresses:
    def __init__(self) -> None:
        self.got: list[str] = []
        self.complete = False

    def resolutionBegan(self, resolution) -> None:  # noqa: N802
        pass

    def addressResolved(self, address) -> None:  # noqa: N802
        self.got.append(address.host)

    def resolutionComplete(self) -> None:  # noqa: N802
        self.complete = True


TABLE = {"news.example": ["93.184.216.34"], "intranet.news.example": ["10.0.0.7"],
         "metadata.example": ["169.254.169.254"], "mixed.example": ["10.0.0.8", "93.184.216.35"],
         "rebind.example": ["127.0.0.1"], "v6.example": ["fd00::1", "2606:4700::1111"]}


def connect_to(guard: GuardedNameResolver, host: str) -> list[str]:
    """The addresses a connection to ``host`` would be handed (what HostnameEndpoint gets)."""
    receiver = Addresses()
    guard.resolveHostName(receiver, host, 443)
    assert receiver.complete
    return receiver.got


def test_resolver_hands_twisted_only_checked_addresses() -> None:
    inner = TableResolver(TABLE)
    guard = GuardedNameResolver(inner)
    guard.trusted = {"news.example"}
    assert connect_to(guard, "news.example") == ["93.184.216.34"]
    assert connect_to(guard, "intranet.news.example") == []             # in-domain name, private address
    assert connect_to(guard, "metadata.example") == []
    assert connect_to(guard, "mixed.example") == ["93.184.216.35"]       # the private answer is dropped
    assert connect_to(guard, "v6.example") == ["2606:4700::1111"]
    for spelling in ("2852039166", "0xa9fea9fe", "127.1", "0", "[::ffff:169.254.169.254]", "::1"):
        assert connect_to(guard, spelling) == [], spelling
    assert connect_to(guard, "93.184.216.34") == ["93.184.216.34"]
    assert connect_to(guard, "1572395042") == ["93.184.216.34"]          # a public address spelled as a number
    # literals are read by the guard itself, never passed to the system resolver
    assert inner.asked == ["news.example", "intranet.news.example", "metadata.example", "mixed.example", "v6.example"]


def test_site_own_private_host_is_allowed_and_the_setting_allows_all() -> None:
    guard = GuardedNameResolver(TableResolver(TABLE))
    guard.trusted = {"127.0.0.1", "intranet.news.example"}
    assert connect_to(guard, "127.0.0.1") == ["127.0.0.1"]
    assert connect_to(guard, "intranet.news.example") == ["10.0.0.7"]
    assert connect_to(guard, "2130706433") == []          # the same address, spelled by someone else
    guard.allow_private = True
    assert connect_to(guard, "2130706433") == ["127.0.0.1"]
    assert connect_to(guard, "metadata.example") == ["169.254.169.254"]


def test_lookup_reports_why_each_address_is_refused() -> None:
    guard = GuardedNameResolver(TableResolver(TABLE))
    d = guard.lookup("mixed.example")
    assert d.result == [("10.0.0.8", "private"), ("93.184.216.35", None)]
    assert guard.lookup("2852039166").result == [("169.254.169.254", "link-local")]
    assert guard.lookup("nowhere.example").result == []


def guard_for(urls: list[str], **settings: object) -> AddressGuardMiddleware:
    crawler = get_crawler(NewsSpider, settings_dict=settings)
    crawler.spider = NewsSpider(site=adhoc_site(urls))
    return AddressGuardMiddleware.from_crawler(crawler)


def test_other_schemes_are_never_fetched() -> None:
    guard = guard_for(["https://example.com/"], NEWSCLEAN_ALLOW_PRIVATE_ADDRESSES=True)
    with pytest.raises(IgnoreRequest):
        asyncio.run(guard.process_request(Request("file:///etc/passwd")))
    assert guard.stats.get_value("newsclean/guard/refused_scheme") == 1


def test_user_agent_names_the_contact_url() -> None:
    crawler = get_crawler(NewsSpider, settings_dict={"NEWSCLEAN_CONTACT_URL": "https://lab.example/crawler"})
    mw = UserAgentFromContact.from_crawler(crawler)
    request = Request("https://example.com/")
    mw.process_request(request)
    ua = request.headers[b"User-Agent"].decode()
    assert ua.startswith("newsclean/") and "+https://lab.example/crawler" in ua


# -- meta refresh: read from the page's head, never by decoding the whole page ------------------
REFRESH_PAGES = {
    "none": b"<html><head><title>Plain</title></head><body><p>No refresh here.</p></body></html>",
    "relative": b'<html><head><meta http-equiv="refresh" content="0; url=/news/next.html"></head></html>',
    "upper case, single quotes": b"<HTML><HEAD><META HTTP-EQUIV='REFRESH' CONTENT='5;URL=http://t.test/b'></HEAD></HTML>",
    "with a base": b'<html><head><base href="http://t.test/sub/"><meta http-equiv="refresh" content="1; url=page.html"></head></html>',
    "in a script": b'<html><head><script>document.write(\'<meta http-equiv="refresh" content="0; url=/x">\')</script></head></html>',
    "the word only": b"<html><head><script>function refreshAds() {}</script></head><body>refresh</body></html>",
    "non-ASCII URL, cp1252": '<html><head><meta charset="windows-1252"><meta http-equiv="refresh" content="0; url=/caf\u00e9">'
                             "</head></html>".encode("cp1252"),
    "utf-16 with a BOM": '\ufeff<html><head><meta http-equiv="refresh" content="0; url=/utf16"></head></html>'.encode("utf-16"),
    "after the first 4096 characters": (b"<html><head><title>Long</title></head><body>" + b"<p>padding</p>" * 400
                                        + b'<meta http-equiv="refresh" content="0; url=/late"></body></html>'),
    # the head the check decodes (META_REFRESH_BYTES) cut just after a "<meta": w3lib's prescan panicked
    "a <meta> cut at the head's end": (b"<html><head><script>refresh()</script>" + b" " * (16_384 - 43)
                                       + b'<meta http-equiv="refresh" content="0; url=/cut"></head></html>'),
    "multi-byte text first": ("<html><head><title>" + "\u65b0\u805e" * 1500 + '</title><meta http-equiv="refresh" '
                              'content="0; url=/cjk"></head></html>').encode("utf-8"),
}


@pytest.mark.parametrize("name", REFRESH_PAGES)
def test_meta_refresh_reads_what_scrapys_check_reads(name: str) -> None:
    from scrapy.utils.response import get_meta_refresh

    from newsclean.crawler.components.middlewares import meta_refresh

    def response() -> HtmlResponse:
        return HtmlResponse("http://t.test/a/start.html", body=REFRESH_PAGES[name],
                            headers={"Content-Type": "text/html"})

    assert meta_refresh(response()) == get_meta_refresh(response())


def test_meta_refresh_needs_no_decoded_page() -> None:
    from newsclean.crawler.components.middlewares import HeadMetaRefreshMiddleware

    crawler = get_crawler(NewsSpider, {"METAREFRESH_ENABLED": True})
    mw = HeadMetaRefreshMiddleware.from_crawler(crawler)
    page = HtmlResponse("http://t.test/a/story.html", body=REFRESH_PAGES["none"] * 200,
                        headers={"Content-Type": "text/html; charset=utf-8"})
    assert mw.process_response(Request(page.url), page) is page
    assert page._cached_ubody is None   # the body was never decoded (Scrapy's check kept a decoded copy)
    moved = HtmlResponse("http://t.test/a/old.html", body=REFRESH_PAGES["relative"], headers={"Content-Type": "text/html"})
    redirected = mw.process_response(Request(moved.url), moved)
    assert isinstance(redirected, Request) and redirected.url == "http://t.test/news/next.html"


@pytest.mark.parametrize("head", [
    '<meta http-equiv="refresh" content="30; url=http://t.test/a/live.html">',   # a live page's reload
    '<meta http-equiv="refresh" content="0; url=http://t.test/a/live.html#top">',
    '<meta http-equiv="refresh" content="0; url=http://[bad/x/">',
    '<base href="http://[bad/"><meta http-equiv="refresh" content="0; url=/elsewhere/">',
])
def test_a_refresh_to_the_page_itself_or_to_no_url_keeps_the_page(head: str) -> None:
    # followed, a reload was a redirect loop ending in an ignored fetch (not said); a refresh or a
    # <base> that is no URL was a failed fetch ('Invalid IPv6 URL'): the page in hand dropped
    from newsclean.crawler.components.middlewares import HeadMetaRefreshMiddleware

    mw = HeadMetaRefreshMiddleware.from_crawler(get_crawler(NewsSpider, {"METAREFRESH_ENABLED": True}))
    page = HtmlResponse("http://t.test/a/live.html", body=f"<html><head>{head}</head><body>Live</body></html>".encode(),
                        headers={"Content-Type": "text/html"})
    assert mw.process_response(Request(page.url), page) is page


def test_a_meta_refresh_page_leads_to_its_article(site_server, tmp_path) -> None:
    from ...conftest import read_parts, run_newsclean
    from ...e2e.test_e2e_bad_input import ARTICLE

    server, root = site_server
    base = server.base_url
    pages = {"/2026/01/05/old-address/index.html": b'<html><head><meta http-equiv="refresh" content="0; url='
                                                   + f"{base}/2026/01/05/harbour-berth-delayed/".encode() + b'"></head></html>',
             "/2026/01/05/harbour-berth-delayed/index.html": ARTICLE.format(title="Harbour berth delayed").encode(),
             "/sitemap.xml": f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{base}'
                             '/2026/01/05/old-address/</loc></url></urlset>'.encode(),
             "/robots.txt": f"User-agent: *\nSitemap: {base}/sitemap.xml\n".encode()}
    for path, body in pages.items():
        (root / path.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
        (root / path.lstrip("/")).write_bytes(body)
    out = tmp_path / "out"
    proc = run_newsclean("crawl", "--url", base + "/", "--out", str(out), "-s", "AUTOTHROTTLE_ENABLED=False")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert [r["url"] for r in read_parts(out)] == [f"{base}/2026/01/05/harbour-berth-delayed/"]


def test_robots_answer_serves_only_the_spiders_request_for_that_url_once() -> None:
    # Scrapy keys its robots.txt parsers by host, whatever the scheme: the answer the middleware
    # fetched over http is not https's file. Served once, then the spider's request goes out.
    mw = OneFetchRobotsTxtMiddleware(get_crawler(settings_dict={"ROBOTSTXT_OBEY": True}))
    body = b"User-agent: *\nSitemap: http://news.test/sitemap.xml\n"
    answer = HtmlResponse("http://news.test/robots.txt", body=body, request=Request("http://news.test/robots.txt"))
    mw._parsers["news.test"] = None   # fetched: nothing disallowed
    mw._answers["news.test"] = ("http://news.test/robots.txt", answer)

    def ask(url: str, **kw: object) -> object:
        return asyncio.run(mw.process_request(Request(url, **kw)))   # type: ignore[arg-type]

    assert ask("https://news.test/robots.txt") is None
    assert ask("http://news.test/robots.txt", meta={"dont_obey_robotstxt": True}) is None   # the middleware's own
    assert ask("http://news.test/robots.txt?x=1") is None
    served = ask("http://news.test/robots.txt", meta={"newsclean_kind": "robots"})
    assert served is not None and served.body == body and ROBOTS_REUSED in served.flags
    assert served.meta["newsclean_kind"] == "robots"   # the spider's request, its callback's meta
    assert ask("http://news.test/robots.txt") is None
    from newsclean.crawler.components.warc import WarcMiddleware

    assert WarcMiddleware(None).reused_flag == ROBOTS_REUSED   # archived once: the served copy is skipped


def test_robots_answer_is_the_middlewares_own_fetch_after_its_redirect() -> None:
    # The fetch Scrapy's middleware makes (its flag, no callback) is held under the URL it asked
    # for, after a redirect too; the spider's own request's answer or a query are not (a 5xx of
    # its own: see test_an_unreachable_robots_txt_disallows_its_host).
    from scrapy.http.request import NO_CALLBACK

    mw = OneFetchRobotsTxtMiddleware(get_crawler(settings_dict={"ROBOTSTXT_OBEY": True}))
    mw._parsers["news.test"] = None   # fetched: nothing disallowed
    own = {"dont_obey_robotstxt": True, "redirect_urls": ["http://news.test/robots.txt"]}
    moved = Request("https://www.news.test/robots.txt", meta=own, callback=NO_CALLBACK)
    body = b"User-agent: *\nSitemap: https://www.news.test/sitemap.xml\n"
    for request, status in [(Request("http://news.test/robots.txt"), 200),
                            (Request("http://news.test/robots.txt", meta={"dont_obey_robotstxt": True},
                                     callback=NO_CALLBACK), 404),
                            (Request("http://news.test/robots.txt?x", meta={"dont_obey_robotstxt": True},
                                     callback=NO_CALLBACK), 200)]:
        mw.process_response(request, HtmlResponse(request.url, status=status, body=body, request=request))
        served = asyncio.run(mw.process_request(Request("http://news.test/robots.txt")))
        assert (served is not None) == (status == 404)   # the 404 is the answer, the spider's request served it
    answer = HtmlResponse(moved.url, body=body, request=moved)
    assert mw.process_response(moved, answer) is answer
    served = asyncio.run(mw.process_request(Request("http://news.test/robots.txt")))
    assert served is not None and served.body == body and served.url == moved.url


def test_warc_names_the_robots_middlewares_own_fetch_robots() -> None:
    # The robots.txt record the archive holds is the middleware's fetch (the spider's request is
    # served its answer): it carries Newsclean-Kind like every other record, after a redirect too.
    from scrapy.http.request import NO_CALLBACK

    from newsclean.crawler.components.warc import request_kind

    own = {"dont_obey_robotstxt": True}
    assert request_kind(Request("http://news.test/robots.txt", meta=own, callback=NO_CALLBACK)) == "robots"
    moved = {**own, "redirect_urls": ["http://news.test/robots.txt"]}
    assert request_kind(Request("https://www.news.test/robots.txt", meta=moved, callback=NO_CALLBACK)) == "robots"
    assert request_kind(Request("http://news.test/robots.txt", meta={"newsclean_kind": "robots"})) == "robots"
    assert request_kind(Request("http://news.test/a/", meta={"newsclean_kind": "article"})) == "article"
    assert request_kind(Request("http://news.test/a/", meta=own)) is None


def test_robots_middleware_overrides_only_scrapys_public_hooks() -> None:
    # Scrapy's private methods change between the versions pyproject allows (_parse_robots was
    # synchronous, without the request, up to 2.17: its override there obeyed no robots.txt).
    from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware

    private = {name for name in vars(OneFetchRobotsTxtMiddleware) if name.startswith("_") and not name.startswith("__")}
    assert not private & set(vars(RobotsTxtMiddleware))


@pytest.mark.parametrize(("answer", "kind"), [(503, "http_503"), (500, "http_500"), (429, "http_429"),
                                              ("DownloadTimeoutError", "timeout"),
                                              ("DownloadConnectionRefusedError", "refused"),
                                              ("CannotResolveHostError", "dns"), ("DownloadFailedError", "broken_answer")])
def test_an_unreachable_robots_txt_disallows_its_host(answer: int | str, kind: str, caplog) -> None:
    # A robots.txt not had (a 5xx or 429 after the retries, a failed connection): its host is
    # disallowed for the run (RFC 9309), said once at WARNING and counted by kind; the failure
    # reaches Scrapy's middleware as an IgnoreRequest (no ERROR line of its own); the retries'
    # give-up line is DEBUG; requests to other hosts, and the address guard's refusals, go on.
    import scrapy.exceptions
    from scrapy.http.request import NO_CALLBACK

    crawler = get_crawler(settings_dict={"ROBOTSTXT_OBEY": True})
    crawler.stats.open_spider()
    mw = OneFetchRobotsTxtMiddleware(crawler)
    mw._parsers.update({"news.test": None, "other.test": None})   # fetched: nothing disallowed by their files
    own = Request("http://news.test/robots.txt", meta={"dont_obey_robotstxt": True}, callback=NO_CALLBACK)
    assert asyncio.run(mw.process_request(own)) is None and own.meta["give_up_log_level"] == "DEBUG"
    with pytest.raises(IgnoreRequest), caplog.at_level("WARNING"):
        if isinstance(answer, int):
            mw.process_response(own, HtmlResponse(own.url, status=answer, body=b"<html>busy</html>", request=own))
        else:
            mw.process_exception(own, getattr(scrapy.exceptions, answer)("no answer"))
    assert [r.levelname for r in caplog.records] == ["WARNING"] and "robots.txt of news.test unreachable" in caplog.text
    assert crawler.stats.get_value(f"newsclean/robots/unreachable/{kind}") == 1
    for url in ("http://news.test/robots.txt", "http://news.test/2026/01/a-story/"):   # the spider's too
        with pytest.raises(IgnoreRequest):
            asyncio.run(mw.process_request(Request(url)))
    assert asyncio.run(mw.process_request(Request("http://other.test/2026/01/a-story/"))) is None
    refused = Request("http://other.test/robots.txt", meta={"dont_obey_robotstxt": True}, callback=NO_CALLBACK)
    assert mw.process_exception(refused, RefusedRequest("refused: a loopback address")) is None   # said by the guard
    assert "other.test" not in mw._unreachable


def test_a_robots_txt_not_what_its_encoding_names_disallows_its_host(caplog) -> None:
    # Scrapy's decompression raised on it in its process_response, where only Scrapy's robots.txt
    # middleware saw it, as a file not had: allow-all, said nowhere. Inflated here before it (595,
    # after HttpCompression's 590), a body that is not gzip is an unreachable file (broken_answer);
    # a gzip one is inflated only to the bound and one byte more; other requests are left to Scrapy.
    import gzip

    from scrapy.http.request import NO_CALLBACK

    from newsclean.crawler.components.middlewares import RobotsTxtDecodingMiddleware
    from newsclean.crawler.settings import DOWNLOADER_MIDDLEWARES

    assert DOWNLOADER_MIDDLEWARES["newsclean.crawler.components.middlewares.RobotsTxtDecodingMiddleware"] > 590
    crawler = get_crawler(settings_dict={"ROBOTSTXT_OBEY": True, "NEWSCLEAN_ROBOTSTXT_MAX_BYTES": 100})
    crawler.stats.open_spider()
    mw, decoding = OneFetchRobotsTxtMiddleware(crawler), RobotsTxtDecodingMiddleware.from_crawler(crawler)
    own = Request("http://news.test/robots.txt", meta={"dont_obey_robotstxt": True}, callback=NO_CALLBACK)
    gzipped = {"Content-Encoding": "gzip"}
    bomb = HtmlResponse(own.url, body=gzip.compress(b"Disallow: /x/\n" * 100_000), headers=gzipped, request=own)
    inflated = decoding.process_response(own, bomb)
    assert len(inflated.body) == 101 and b"Content-Encoding" not in inflated.headers
    assert mw.process_response(own, inflated).body == b"Disallow: /x/\n" * 7   # to the last whole line
    assert crawler.stats.get_value("newsclean/robots/truncated") == 1
    page = Request("http://news.test/a/")
    answer = HtmlResponse(page.url, body=b"not gzip", headers=gzipped, request=page)
    assert decoding.process_response(page, answer) is answer
    broken = decoding.process_response(own, answer.replace(request=own))
    with pytest.raises(IgnoreRequest), caplog.at_level("WARNING"):
        mw.process_response(own, broken)
    assert crawler.stats.get_value("newsclean/robots/unreachable/broken_answer") == 1
    assert "not what its Content-Encoding names" in caplog.text


@pytest.mark.parametrize(("sent", "left"), [(b"none", b"none"), (b"UTF-8", b"utf-8"), (b"none, gzip", b"none")])
def test_a_robots_txt_of_a_content_encoding_of_another_name_is_read_as_it_came(sent: bytes, left: bytes) -> None:
    # Servers send 'Content-Encoding: none' or 'UTF-8' with a plain file. Scrapy's decompression
    # leaves an encoding it does not know (the body as it came); the robots.txt decoding took one
    # for a broken answer, its host disallowed for the run: a whole site unread. The encodings
    # after it are undone (gzip here, to the bound), it is left for HttpCompression to pass on.
    import gzip

    from scrapy.http.request import NO_CALLBACK

    from newsclean.crawler.components.middlewares import RobotsTxtDecodingMiddleware

    crawler = get_crawler(settings_dict={"ROBOTSTXT_OBEY": True})
    crawler.stats.open_spider()
    mw, decoding = OneFetchRobotsTxtMiddleware(crawler), RobotsTxtDecodingMiddleware.from_crawler(crawler)
    own = Request("http://news.test/robots.txt", meta={"dont_obey_robotstxt": True}, callback=NO_CALLBACK)
    rules = b"User-agent: *\nDisallow: /private/\n"
    answer = HtmlResponse(own.url, body=gzip.compress(rules) if sent.endswith(b"gzip") else rules,
                          headers={"Content-Encoding": sent}, request=own)
    read = mw.process_response(own, decoding.process_response(own, answer))
    assert read.body == rules and read.headers.getlist(b"Content-Encoding") == [left]
    assert crawler.stats.get_value("newsclean/robots/unreachable/broken_answer") is None


def _cut_stream(encoding: str, text: bytes) -> bytes:
    import gzip
    import zlib

    import brotli
    from backports import zstd

    return {"gzip": gzip.compress, "deflate": zlib.compress, "br": brotli.compress, "zstd": zstd.compress}[encoding](text)


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br", "zstd"])
def test_a_compressed_robots_txt_cut_on_the_wire_keeps_what_it_decodes_to(encoding: str) -> None:
    # A robots.txt whose download stopped at the read limit is a compressed stream cut short: its
    # decoded head is read to the limit, as for gzip. Before, a br stream gave its first chunk only
    # (32 KiB): the rules after it, inside the limit, were dropped.
    import base64
    import random

    from newsclean.crawler.components.middlewares import decoded_head

    rng = random.Random(7)   # lines that do not compress: the stream is cut after ~600 KB of text
    text = b"User-agent: *\nDisallow: /private/\n" + b"".join(
        b"# " + base64.b64encode(rng.randbytes(45)) + b"\n" for _ in range(20_000))
    sent = _cut_stream(encoding, text)
    head, undone = decoded_head(sent[:len(sent) // 2], [encoding.encode()], 400_001)
    assert undone == [] and len(head) == 400_001 and text.startswith(head)


@pytest.mark.parametrize("encoding", ["gzip", "zstd"])
def test_a_robots_txt_of_several_members_is_decoded_member_after_member(encoding: str) -> None:
    # RFC 1952 (2.2) makes `cat a.gz b.gz` one gzip file, RFC 8878 (3) a zstd body of several frames
    # one body; some servers stream so, a member a write. One decompressor stops at its member's
    # end: only the first was read, the Disallow in the second dropped without a word. NUL padding
    # between members is skipped, junk after the last ignored (as Scrapy's gunzip does), and the
    # limit holds over all of them (one more byte: the file is known cut).
    from newsclean.crawler.components.middlewares import decoded_head

    lines = [b"User-agent: *\n", b"Disallow: /private/\n", b"Disallow: /drafts/\n"]
    sent = b"".join(_cut_stream(encoding, line) + (b"\0\0" if encoding == "gzip" else b"") for line in lines)
    assert decoded_head(sent, [encoding.encode()], 1000) == (b"".join(lines), [])
    assert decoded_head(sent + b"junk", [encoding.encode()], 1000) == (b"".join(lines), [])
    assert decoded_head(sent, [encoding.encode()], 20) == (b"".join(lines)[:20], [])


def test_many_empty_members_are_read_in_linear_time() -> None:
    # Each member's end copies what follows it (zlib's unused_data): fed the whole rest each time,
    # the 25,000 empty members a 500 KB robots.txt holds cost ~6 GB of copies, quadratic in
    # their number. The bytes handed to zlib, ten times the members: about ten times as many.
    import gzip
    import zlib

    from newsclean.crawler.spiders.discovery import members_head

    def fed(members: int) -> int:
        sent = gzip.compress(b"") * members + gzip.compress(b"Disallow: /private/\n")
        total = [0]

        class Counting:
            def __init__(self) -> None:
                self.d = zlib.decompressobj(wbits=31)

            def decompress(self, data: bytes, max_length: int) -> bytes:
                total[0] += len(data)
                return self.d.decompress(data, max_length)

            def __getattr__(self, name: str) -> object:
                return getattr(self.d, name)

        assert members_head(sent, 1000, Counting) == b"Disallow: /private/\n"
        return total[0]

    assert fed(25_000) < 12 * fed(2_500)


@pytest.mark.parametrize(("url", "said"), [("http://127.0.0.1/a", "127.0.0.1 is a loopback address"),
                                           ("http://[::1]/a", "::1 is a loopback address"),
                                           ("http://0x7f.1/a", "0x7f.1 is 127.0.0.1, a loopback address")])
def test_a_refusal_names_the_address_once_when_the_host_is_it(url: str, said: str) -> None:
    # before: "refused: 127.0.0.1 is 127.0.0.1, a loopback address"
    guard = guard_for(["https://example.com/"])
    with pytest.raises(IgnoreRequest) as info:
        asyncio.run(guard.process_request(Request(url)))
    assert str(info.value) == f"refused: {said}"
