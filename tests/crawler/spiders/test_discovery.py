"""Parsers of robots.txt, sitemaps and feeds, on good and broken documents."""

from __future__ import annotations

import gzip
from datetime import datetime, timezone

import pytest

from lxml import etree

from newsclean.crawler.spiders.discovery import (MAX_DOCUMENT_BYTES, DiscoveryError, DocumentBomb, StreamedSitemap, iter_sitemap, join_url,
                                                parse_date,
                                                parse_feed, parse_sitemap, sitemap_entries, sitemaps_from_robots, sniff,
                                                start_page_links)

BASE = "https://example.com/"

NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://example.com/news/a-1/</loc>
    <news:news><news:publication><news:name>Ex</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>2026-03-04T10:00:00+05:00</news:publication_date><news:title>A</news:title></news:news>
  </url>
  <url><loc>https://example.com/b/</loc><lastmod>2026-01-02</lastmod></url>
</urlset>"""

INDEX = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>/sitemaps/posts.xml</loc><lastmod>2026-02-01T00:00:00Z</lastmod></sitemap>
</sitemapindex>"""

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>
<item><title>One</title><link>https://example.com/one/</link><pubDate>Tue, 03 Mar 2026 08:00:00 +0000</pubDate></item>
<item><title>Two</title><guid>https://example.com/two/</guid></item>
</channel></rss>"""

ATOM = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>
<entry><title>A</title><link rel="alternate" href="https://example.com/a/"/><link rel="edit" href="https://example.com/edit"/>
<updated>2026-03-01T00:00:00Z</updated></entry></feed>"""


def test_news_sitemap_gives_publication_dates() -> None:
    kind, entries = parse_sitemap(NEWS_SITEMAP, BASE)
    assert kind == "urlset"
    assert [e.url for e in entries] == ["https://example.com/news/a-1/", "https://example.com/b/"]
    assert entries[0].date == datetime(2026, 3, 4, 5, 0, tzinfo=timezone.utc)
    assert entries[1].date == datetime(2026, 1, 2, tzinfo=timezone.utc)


def test_a_sitemaps_nodes_leave_its_document_as_its_entries_are_read() -> None:
    """A sitemap waits in the spider's frontier for the whole crawl: its parsed tree held every
    node until the last entry was fetched (3.5 MB for 12,000 URLs). Read entries are gone from it."""
    body = (b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><!-- c --><other/>'
            + b"".join(b"<url><loc>/p/%d/</loc></url>" % i for i in range(100)) + b"</urlset>")
    root = etree.fromstring(body, etree.XMLParser(remove_comments=True))   # as iter_sitemap parses it
    entries = sitemap_entries(root, BASE)
    assert len(root) == 101
    first = [next(entries) for _ in range(40)]
    assert len(root) == 60
    assert [e.url for e in first + list(entries)] == [f"https://example.com/p/{i}/" for i in range(100)]
    assert len(root) == 0


def _sitemap_of(n: int, *, broken: bool = False) -> bytes:
    return (b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><!-- c --><other/>'
            + b"".join(b"<url><loc>/p/%d/</loc><lastmod>2026-01-02</lastmod></url>" % i for i in range(n))
            + (b"<url><loc>/p/x/</loc></junk></urlset>" if broken else b"</urlset>"))


@pytest.mark.parametrize("compress", [False, True])
def test_a_sitemap_waiting_in_the_frontier_holds_no_parsed_document(compress: bool) -> None:
    """A sitemap waits in the spider's frontier for the whole crawl: its parsed tree (5.1 MB for
    12,000 URLs) made the crawl's memory grow with its length. A clean document is read again
    from its bytes as its entries are taken: only the parser's read-ahead is parsed at a time."""
    body = _sitemap_of(20_000)
    kind, entries = iter_sitemap(gzip.compress(body) if compress else body, BASE)
    assert kind == "urlset" and isinstance(entries, StreamedSitemap)
    read, held = [], []
    for entry in entries:
        read.append(entry)
        if len(read) % 1000 == 1:
            held.append(len(entries.document))   # the nodes parsed and not yet read
    assert 0 < max(held) < 1_000   # not the 20,000 entries of the document
    assert [e.url for e in read] == [f"https://example.com/p/{i}/" for i in range(20_000)]
    assert {e.date for e in read} == {datetime(2026, 1, 2, tzinfo=timezone.utc)}


def test_a_recovered_sitemap_is_read_from_its_checked_tree() -> None:
    """A document that needed recovering gives what recovery kept, from the tree that was checked."""
    kind, entries = iter_sitemap(_sitemap_of(100, broken=True), BASE)
    assert kind == "urlset" and not isinstance(entries, StreamedSitemap)
    assert [e.url for e in entries] == [f"https://example.com/p/{i}/" for i in range(100)] + ["https://example.com/p/x/"]


def test_sitemap_index_resolves_relative_locs_and_gzip() -> None:
    kind, entries = parse_sitemap(gzip.compress(INDEX), BASE)
    assert kind == "sitemapindex"
    assert entries[0].url == "https://example.com/sitemaps/posts.xml"


def test_rss_and_atom_feeds() -> None:
    assert [(e.url, e.title) for e in parse_feed(RSS, BASE)] == [
        ("https://example.com/one/", "One"), ("https://example.com/two/", "Two")]
    atom = parse_feed(ATOM, BASE)
    assert [e.url for e in atom] == ["https://example.com/a/"]
    assert atom[0].date == datetime(2026, 3, 1, tzinfo=timezone.utc)


@pytest.mark.parametrize("body", [b"", b"\x1f\x8b\x08garbage", b"<html><body>oops</body></html>", b"\x00\x01\x02"])
def test_broken_sitemaps_raise_a_discovery_error(body: bytes) -> None:
    with pytest.raises(DiscoveryError):
        parse_sitemap(body, BASE)


def test_truncated_sitemap_keeps_what_it_can() -> None:
    kind, entries = parse_sitemap(NEWS_SITEMAP[: NEWS_SITEMAP.index(b"<url><loc>https://example.com/b/")], BASE)
    assert kind == "urlset" and [e.url for e in entries] == ["https://example.com/news/a-1/"]


def _laughs(root: bytes) -> bytes:
    ents = b'<!ENTITY a0 "lol">' + b"".join(b'<!ENTITY a%d "%s">' % (i, b"&a%d;" % (i - 1) * 10) for i in range(1, 10))
    return b'<?xml version="1.0"?><!DOCTYPE r [' + ents + b"]>" + root


def test_xml_bombs_are_refused_not_read_as_empty() -> None:
    # Before: the feed parsed (recovered) into a tree without its item, read as an empty feed.
    with pytest.raises(DocumentBomb, match="XML bomb"):
        parse_feed(_laughs(b"<rss><channel><title>&a9;</title><item><link>https://example.com/a/</link>"
                           b"</item></channel></rss>"), BASE)
    with pytest.raises(DocumentBomb):
        parse_sitemap(_laughs(b"<urlset><url><loc>https://example.com/&a9;</loc></url></urlset>"), BASE)


@pytest.mark.parametrize("body", [b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/',
                                  b"<urlset><junk>&&&</junk"])
def test_junk_that_recovers_to_nothing_is_invalid(body: bytes) -> None:
    with pytest.raises(DiscoveryError, match="broken XML"):
        parse_sitemap(body, BASE)
    with pytest.raises(DiscoveryError, match="broken XML"):
        parse_feed(body.replace(b"urlset", b"rss"), BASE)


def test_slightly_broken_feed_keeps_its_items() -> None:
    entries = parse_feed(b"<rss><channel><item><link>https://example.com/a & b/</link></item>", BASE)
    assert [e.url for e in entries] == ["https://example.com/a  b/"]


def test_entities_are_never_resolved() -> None:
    xxe = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           b'<urlset><url><loc>https://example.com/&x;</loc></url></urlset>')
    _, entries = parse_sitemap(xxe, BASE)
    assert all("root:" not in e.url for e in entries)


def test_robots_and_sniff() -> None:
    robots = b"User-agent: *\nDisallow: /search/\nSitemap: https://example.com/sitemap_index.xml\nsitemap: /news.xml\n"
    assert sitemaps_from_robots(robots, BASE) == ["https://example.com/sitemap_index.xml", "https://example.com/news.xml"]
    assert sniff(INDEX) == "sitemapindex"
    assert sniff(gzip.compress(NEWS_SITEMAP)) == "urlset"
    assert sniff(RSS) == "feed" and sniff(ATOM) == "feed"
    assert sniff(b"<!DOCTYPE html><html></html>") == "html"
    assert sniff(robots) == "robots"
    assert sniff(b"\x89PNG\r\n") == "unknown"


def test_sniff_inflates_a_gzip_body_only_to_its_head() -> None:
    # A .xml.gz start URL was inflated whole to read 4 KB of it: a bomb's DocumentBomb (and a
    # broken file's DiscoveryError) escaped the spider's callback as a traceback, counted
    # nowhere. Its head is read now; the parser that reads the document refuses the bomb.
    bomb = gzip.compress(NEWS_SITEMAP[:-len(b"</urlset>")] + b" " * (MAX_DOCUMENT_BYTES + 1) + b"</urlset>")
    assert sniff(bomb) == "urlset" and sniff(gzip.compress(b" " * (MAX_DOCUMENT_BYTES + 1))) == "unknown"
    assert sniff(gzip.compress(NEWS_SITEMAP)[:40]) == "unknown" and sniff(b"\x1f\x8bnot gzip") == "unknown"
    with pytest.raises(DocumentBomb):
        parse_sitemap(bomb, BASE)


def test_sniff_reads_a_gzip_file_of_several_members() -> None:
    # `cat head.gz rest.gz` is one gzip file (RFC 1952 2.2), which parse_sitemap reads whole
    # (GzipFile): sniff read the first member only, an XML declaration, and told the sitemap
    # 'unknown' (counted invalid, its articles never fetched).
    declaration, rest = NEWS_SITEMAP.split(b"?>", 1)
    sent = gzip.compress(declaration + b"?>") + gzip.compress(rest)
    assert sniff(sent) == "urlset" and parse_sitemap(sent, BASE) == parse_sitemap(NEWS_SITEMAP, BASE)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_a_start_url_in_utf16_or_utf32_is_sniffed_by_its_byte_order_mark(encoding: str) -> None:
    # sniff read the bytes: a UTF-16 robots.txt's 'user-agent:' was NUL-separated letters, the
    # start URL 'unknown' and counted invalid, where decode_robots reads it by its mark
    def encoded(text: str) -> bytes:
        return b"\xfe\xff" + text.encode(encoding) if encoding == "utf-16-be" else text.encode(encoding)

    robots = "User-agent: *\nDisallow: /search/\nSitemap: /news.xml\n"
    assert sniff(encoded(robots)) == "robots"
    assert sitemaps_from_robots(encoded(robots), BASE) == [BASE + "news.xml"]
    assert sniff(encoded("Sitemap: /news.xml\n")) == "robots"   # the mark before its first line
    assert sniff(encoded(INDEX.decode())) == "sitemapindex" and sniff(encoded(RSS.decode())) == "feed"
    assert sniff(encoded(robots)[:4095]) == "robots"   # a head cut inside a character


def test_a_listed_url_that_is_none_is_skipped_and_told_the_rest_read_on() -> None:
    # an unclosed IPv6 bracket (urljoin's ValueError) and a port out of range stopped the whole
    # listing in the spider's callback: the entries after them were lost, with a traceback
    bad = ["http://[bad/x/", "http://example.com:99999/y/"]
    told: list[str] = []
    urlset = ("<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
              + "".join(f"<url><loc>{u}</loc></url>" for u in ["/a/", *bad, "/b/"]) + "</urlset>").encode()
    for body in (urlset, urlset.replace(b"</urlset>", b"<url><loc>/c/</loc>")):   # streamed, and recovered
        told.clear()
        assert [e.url for e in iter_sitemap(body, BASE, told.append)[1]][:2] == [BASE + "a/", BASE + "b/"]
        assert told == bad
    told.clear()
    rss = RSS.replace(b"<item><title>Two", b"<item><link>http://[bad/x/</link></item><item><title>Two")
    assert [e.url for e in parse_feed(rss, BASE, told.append)] == [BASE + "one/", BASE + "two/"] and told == bad[:1]
    told.clear()
    robots = b"Sitemap: http://[bad/x/\nSitemap: /news.xml\n"
    assert sitemaps_from_robots(robots, BASE, told.append) == [BASE + "news.xml"] and told == bad[:1]
    feeds, sections = start_page_links(BASE, ["http://[bad/x/", "/world/"], [])
    assert sections == [BASE + "world/"]


@pytest.mark.parametrize("value", ["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00",
                                   "Fri, 31 Dec 9999 23:59:59 -0500"])
def test_a_date_no_datetime_holds_in_utc_is_no_date(value: str) -> None:
    # astimezone raised OverflowError: the listing stopped there, like a URL that is none
    assert parse_date(value) is None
    sitemap = f"<urlset><url><loc>/a/</loc><lastmod>{value}</lastmod></url><url><loc>/b/</loc></url></urlset>".encode()
    assert [(e.url, e.date) for e in parse_sitemap(sitemap, BASE)[1]] == [(BASE + "a/", None), (BASE + "b/", None)]


@pytest.mark.parametrize("href", ["http://ev il.example.com/a/", "http://ev\x00il.example.com/a/", "http://ev%20il.example.com/a/",
                                  "http://%00.example.com/a/", "http://example.com\\evil.org/a/", "http://<b>.example.com/a/",
                                  "http://ev\u3000il.example.com/a/", "http://:80/a/", "http:///a/", "http://[::1/a/"])
def test_a_host_holding_what_no_host_holds_is_no_url(href: str) -> None:
    # A space, a NUL, a '<' or a '%20' in a host: urlsplit keeps them, and a site claiming
    # example.com took 'ev il.example.com' for its own: its robots.txt fetched ('Invalid URI'), the
    # host said unreachable in a WARNING, the article an ignored fetch. Each is a counted skip now.
    told: list[str] = []
    assert join_url("https://example.com/news/", href, told.append) is None and told == [href]


@pytest.mark.parametrize(("href", "url"), [("http://[::1]:8080/a/", "http://[::1]:8080/a/"),
                                           ("http://[fe80::1%25eth0]/a/", "http://[fe80::1%25eth0]/a/"),
                                           ("http://b\u00fccher.example/a/", "http://b\u00fccher.example/a/"),
                                           ("http://user:pw@example.com:81/a/", "http://user:pw@example.com:81/a/"),
                                           ("/a/?q=%20x", "https://example.com/a/?q=%20x"), ("mailto:desk@example.com", "mailto:desk@example.com"),
                                           ("https:///a/", "https://example.com/a/"), ("https://?q=1", "https://example.com/news/?q=1")])
def test_hosts_that_are_hosts_are_joined(href: str, url: str) -> None:
    told: list[str] = []
    assert join_url("https://example.com/news/", href, told.append) == url and told == []


def test_a_large_sitemap_waits_packed() -> None:
    # A sitemap's entries wait in the spider's frontier, maybe behind many others (a sitemap index
    # of 20 sitemaps of 50,000 URLs): each held its whole body, 3.4 MB of the 68 listed. A plain
    # one over PACK_WAITING_ABOVE waits gzipped now, read from that as its entries are taken.
    import tracemalloc

    from newsclean.crawler.spiders.discovery import PACK_WAITING_ABOVE

    urls = [f"https://example.com/news/{i}/a-story-of-the-day-{i}/" for i in range(20_000)]
    tracemalloc.start()
    try:
        body = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                + "".join(f"<url><loc>{u}</loc></url>" for u in urls) + "</urlset>").encode()
        size = len(body)
        assert size > 4 * PACK_WAITING_ABOVE
        kind, entries = iter_sitemap(body, BASE)
        first = next(entries)
        del body
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert kind == "urlset" and first.url == urls[0] and held < size // 4, (held, size)
    assert [e.url for e in entries] == urls[1:]
