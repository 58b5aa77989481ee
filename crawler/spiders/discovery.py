"""Parsers for discovery documents: robots.txt, sitemaps (index, urlset, news), RSS/Atom feeds.

Plain functions over bytes, no Scrapy: each returns what it found or raises
:class:`DiscoveryError` with a one-line cause, which the spider counts and logs.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Literal
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree
from w3lib.encoding import read_bom

#: Uncompressed size bound for one sitemap or feed (the sitemap protocol allows 50 MB).
MAX_DOCUMENT_BYTES = 60 * 1024 * 1024

Kind = Literal["sitemapindex", "urlset", "feed", "html", "robots", "unknown"]
#: Told each URL a document lists that is none (see :func:`join_url`); the spider counts them.
OnBad = Callable[[str], None] | None


class DiscoveryError(ValueError):
    """A discovery document could not be read (broken XML, not a sitemap, too large...)."""


class DocumentBomb(DiscoveryError):
    """A discovery document built to exhaust the reader: entity expansion, a gzip bomb."""



@dataclass(frozen=True, slots=True)
class Entry:
    """One URL listed by a sitemap or feed, with the date the listing gives for it."""

    url: str
    date: datetime | None = None     # lastmod / news publication date / feed date
    title: str | None = None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def maybe_gunzip(body: bytes) -> bytes:
    """Decompress a gzip body (``.xml.gz`` sitemaps), bounded by :data:`MAX_DOCUMENT_BYTES`."""
    if body[:2] != b"\x1f\x8b":
        return body
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as f:
            data = f.read(MAX_DOCUMENT_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise DiscoveryError(f"broken gzip: {exc}") from None
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentBomb(f"larger than {MAX_DOCUMENT_BYTES} bytes uncompressed")
    return data


def parse_date(value: str | None) -> datetime | None:
    """A W3C/ISO 8601 or RFC 822 date as an aware UTC datetime; None when unparsable."""
    if not value:
        return None
    value = value.strip()
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            dt = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    try:
        return dt.astimezone(timezone.utc)
    except OverflowError:   # 9999-12-31T23:00-05:00 is past year 9999 in UTC: it stopped the whole listing
        return None


#: What no host holds once its percent-escapes are undone (WHATWG URL's forbidden domain code
#: points, and any space): urlsplit keeps them in ``hostname``.
_NOT_IN_HOST = re.compile(r"[\x00-\x20\x7f#%/:<>?@\[\\\]^|\s]")


def join_url(base_url: str, href: str, on_bad: OnBad = None) -> str | None:
    """``href`` made absolute against ``base_url``; None (``on_bad`` told) when it is no URL that
    can be fetched: an unclosed IPv6 bracket (``http://[x/``) or a port out of range (urljoin's
    ValueError stopped the whole listing or section page there, the entries after it lost), an
    http(s) URL without a host (``http://:80/``), or a host holding what no host holds (a space,
    a NUL, ``<``, a ``%20``...: ``http://ev il.example/``, which a site claiming example.com took
    for its own: its robots.txt was fetched, an 'Invalid URI', and the host said unreachable)."""
    try:
        url = urljoin(base_url, href)
        parts = urlsplit(url)
        parts.port
        host = parts.hostname or ""
        if parts.scheme.lower() in ("http", "https") and (
                not host or (":" not in host and _NOT_IN_HOST.search(unquote(host)))):   # (':': an IPv6 literal)
            raise ValueError("no host")
    except ValueError:
        if on_bad is not None:
            on_bad(href)
        return None
    return url


#: libxml2 errors that mean the document tried to blow up its reader (billion laughs & co).
_BOMB_ERRORS = frozenset({"ERR_RESOURCE_LIMIT", "ERR_ENTITY_LOOP", "ERR_ENTITY_AMPLIFICATION"})


#: What every reading of a discovery document uses: real sitemaps and feeds are often slightly
#: broken (recover); entities are never resolved and the network is never touched (XXE-safe).
_XML_OPTIONS = dict(recover=True, resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True,
                    huge_tree=False)


def _parse_xml(body: bytes, entry_tags: frozenset[str]) -> etree._Element:
    """The parsed document. Recovered errors are tolerated only when the document still holds
    an element of ``entry_tags``: a junk or cut document is not read as an empty listing."""
    return _checked_xml(body, entry_tags)[0]


def _checked_xml(body: bytes, entry_tags: frozenset[str]) -> tuple[etree._Element, bool]:
    """:func:`_parse_xml`, and whether the document parsed without any error (recovered or not)."""
    body = maybe_gunzip(body)
    if not body.strip():
        raise DiscoveryError("empty document")
    parser = etree.XMLParser(**_XML_OPTIONS)
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise DiscoveryError(f"not XML: {exc}") from None
    errors = list(parser.error_log)
    bomb = next((e for e in errors if e.type_name in _BOMB_ERRORS or "amplification" in e.message), None)
    if bomb is not None:
        raise DocumentBomb(f"XML bomb refused: {bomb.message.strip()}")
    if root is None:
        raise DiscoveryError("not XML")
    if errors and not any(_local(el.tag) in entry_tags for el in root.iter()):
        first = errors[0]
        raise DiscoveryError(f"broken XML, nothing listed: line {first.line}: {first.message.strip()}")
    return root, not errors


#: Compressed bytes handed to a decompressor at once by :func:`members_head`: what it copies at
#: each member's end (``unused_data``), so a body of many tiny members is read in linear time.
_MEMBER_CHUNK = 4096
_PADDING = re.compile(rb"\0*")


def members_head(body: bytes, limit: int, decompressor: Callable[[], Any]) -> bytes:
    """The first ``limit`` bytes (at most) of ``body`` decompressed member after member (gzip, RFC
    1952 2.2: ``cat a.gz b.gz`` is one gzip file) or frame after frame (zstd, RFC 8878 3), by a new
    ``decompressor()`` each (``zlib.decompressobj``-like: ``decompress(data, max_length)``, ``eof``,
    ``unused_data``), decompressing no more than that. One decompressor stops at the end of its
    member: a robots.txt sent as several had its first read only, the rules in the others dropped
    without a word. NUL bytes between members are padding; what follows the last member and is
    none, or a broken later member, ends the read with what came before it (as Scrapy's gunzip
    and Python's gzip read them). A broken first member raises (zlib.error, zstd.ZstdError...)."""
    view = memoryview(body)
    parts: list[bytes] = []
    got = pos = member = 0
    d = decompressor()
    while got < limit and pos < len(body):
        chunk = view[pos:pos + _MEMBER_CHUNK]
        try:
            parts.append(d.decompress(chunk, limit - got))
        except Exception:
            if member == 0:
                raise
            break
        got += len(parts[-1])
        if d.eof:   # the member ends in this chunk: the next one starts after it (and any padding)
            pos = _PADDING.match(body, pos + len(chunk) - len(d.unused_data)).end()
            d, member = decompressor(), member + 1
        else:   # zlib keeps what the limit left unread in unconsumed_tail (zstd: inside, and got == limit)
            pos += len(chunk) - len(getattr(d, "unconsumed_tail", b""))
    return b"".join(parts)


def gunzipped_head(body: bytes, size: int) -> bytes:
    """The first ``size`` bytes of a gzip ``body`` (a ``.xml.gz`` sitemap, its members one after
    another), inflating no more: what a body cut short or broken holds up to there (nothing when
    it is not gzip)."""
    try:
        return members_head(body, size, lambda: zlib.decompressobj(wbits=31))
    except zlib.error:
        return b""


def sniff(body: bytes, content_type: str = "") -> Kind:
    """What kind of discovery document a start URL answered with (read from its first 4 KB: a
    gzip file is inflated that far only, and :func:`maybe_gunzip` refuses a bomb when it is read;
    inflated whole here, a ``.xml.gz`` bomb given as ``--url`` was a traceback, counted nowhere)."""
    head = body[:4096] if body[:2] != b"\x1f\x8b" else gunzipped_head(body, 4096)
    codec, bom = read_bom(head)
    if codec is not None:   # a UTF-16 or UTF-32 robots.txt or sitemap: read as bytes, a NUL between its letters
        head = head[len(bom):].decode(codec, "ignore").encode()
    head = head.lstrip().lower()
    if b"<sitemapindex" in head:
        return "sitemapindex"
    if b"<urlset" in head:
        return "urlset"
    if re.search(rb"<(rss|feed|rdf:rdf)[\s>]", head):
        return "feed"
    if "html" in content_type.lower() or re.search(rb"<(!doctype html|html|head|body)[\s>]", head):
        return "html"
    if re.search(rb"^\s*(user-agent|sitemap|disallow|allow)\s*:", head, re.M):
        return "robots"
    return "unknown"


#: Markup by which a page says it is one article (Open Graph, article meta) ...
_ARTICLE_META = re.compile(
    rb"""<meta[^>]+(?:property|name)\s*=\s*["'](?:og:type["'][^>]+content\s*=\s*["']article|article:published_time)["']"""
    rb"""|<meta[^>]+content\s*=\s*["']article["'][^>]+property\s*=\s*["']og:type["']""", re.I)
#: ... or schema.org JSON-LD: one article type, on a page that is not a listing of them.
_LD_ARTICLE = re.compile(rb'"@type"\s*:\s*\[?\s*"(?:\w*Article|BlogPosting|LiveBlogPosting)"')
_LD_LISTING = re.compile(rb'"@type"\s*:\s*\[?\s*"(?:ItemList|CollectionPage|SearchResultsPage)"')


def declares_article(body: bytes) -> bool:
    """Whether an HTML page declares itself a single article (og:type article,
    article:published_time, one schema.org NewsArticle/BlogPosting...). A section page, which
    lists articles, does not; so an ad-hoc start URL is cleaned as an article, not read for links."""
    head = body[:500_000]
    if _ARTICLE_META.search(head):
        return True
    return len(_LD_ARTICLE.findall(head)) == 1 and not _LD_LISTING.search(head)


#: Link targets that are feeds by their name (WordPress /feed/, /rss.xml, /atom.xml, .rss ...).
_FEED_PATH = re.compile(r"(?:/(?:feed|rss)/?|/(?:atom|rss|feed|index)\.xml|\.(?:rss|atom))$", re.I)
#: Paths that are not news sections although a home page links to them.
_NOT_SECTION = re.compile(r"/(?:tags?|topics?|authors?|writers?|search|page|about(?:-us)?|contact(?:-us)?|privacy(?:-policy)?"
                          r"|terms|login|register|subscribe|newsletter|feed|rss|wp-[a-z]+|cdn-cgi)(?:/|$)|\.[a-z0-9]{2,5}$", re.I)


def start_page_links(page_url: str, hrefs: list[str], alternate_feeds: list[str],
                     on_bad: OnBad = None) -> tuple[list[str], list[str]]:
    """(feeds, sections) an ad-hoc start page points to on its own host: the feeds it
    advertises (``<link rel=alternate>``) or links by name, and the pages one or two path
    segments deep that may be sections (the caller drops articles and pagination). A home
    page's navigation names what a site file would list under [discovery]."""
    base = urlsplit(page_url)
    feeds: list[str] = []
    sections: list[str] = []
    for href in dict.fromkeys([*alternate_feeds, *hrefs]):
        if (joined := join_url(page_url, href.strip(), on_bad)) is None:
            continue
        url = joined.split("#", 1)[0]
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.hostname != base.hostname or url == page_url:
            continue
        if href in alternate_feeds or _FEED_PATH.search(parts.path):
            feeds.append(url)
        elif not parts.query and 1 <= len([s for s in parts.path.split("/") if s]) <= 2 \
                and not _NOT_SECTION.search(parts.path):
            sections.append(url)
    return list(dict.fromkeys(feeds)), list(dict.fromkeys(sections))


def parse_sitemap(body: bytes, base_url: str, on_bad: OnBad = None) -> tuple[Literal["sitemapindex", "urlset"], list[Entry]]:
    """Entries of a sitemap index (child sitemaps) or a urlset (pages, news sitemaps included)."""
    kind, entries = iter_sitemap(body, base_url, on_bad)
    return kind, list(entries)


def iter_sitemap(body: bytes, base_url: str, on_bad: OnBad = None) -> tuple[Literal["sitemapindex", "urlset"], Iterator[Entry]]:
    """Like :func:`parse_sitemap`, but the entries are read as they are taken: the document
    is parsed and checked at once, then read again entry by entry only when they are needed.

    A sitemap waits in the spider's frontier for the whole crawl: its parsed tree (~430 bytes
    an entry, 5.1 MB for 12,000 URLs, nodes leaving it as read) made the crawl's memory grow
    with the sitemap. A document that parsed without an error is read again from its bytes
    (:class:`StreamedSitemap`); one that needed recovering keeps its checked tree
    (:func:`sitemap_entries`), so it gives the entries it gave before. ``on_bad`` is told each
    location that is no URL (see :func:`join_url`), skipped.
    """
    root, clean = _checked_xml(body, frozenset({"sitemap", "url"}))
    kind = _local(root.tag)
    if kind not in ("sitemapindex", "urlset"):
        raise DiscoveryError(f"not a sitemap (root element <{kind}>)")
    if clean:
        return kind, StreamedSitemap(body, base_url, on_bad)  # type: ignore[return-value]
    return kind, sitemap_entries(root, base_url, on_bad)  # type: ignore[return-value]


def sitemap_entries(root: etree._Element, base_url: str, on_bad: OnBad = None) -> Iterator[Entry]:
    """The entries of a parsed sitemap ``root``, read as they are taken; each of its nodes leaves
    ``root`` as it is read (a sitemap waits in the spider's frontier for the whole crawl, and its
    tree held all its nodes to the end: 3.5 MB for 12,000 URLs)."""
    while (node := next(iter(root), None)) is not None:
        root.remove(node)
        if (entry := _sitemap_entry(node, base_url, on_bad)) is not None:
            yield entry


#: A plain sitemap larger than this is kept gzipped (level 1: 5-10% of its size) while its
#: entries wait to be read (:class:`StreamedSitemap`).
PACK_WAITING_ABOVE = 256 * 1024


class StreamedSitemap:
    """The entries of a sitemap :func:`_checked_xml` found clean, parsed again from its bytes as
    they are taken (a gzipped body stays compressed): only the parser's read-ahead is parsed
    at a time, not the whole document while its entries wait."""

    def __init__(self, body: bytes, base_url: str, on_bad: OnBad = None) -> None:
        if len(body) > PACK_WAITING_ABOVE and body[:2] != b"\x1f\x8b":
            # it waits in the frontier, maybe behind many others: each held its whole body, a
            # sitemap index of 20 sitemaps of 50,000 URLs 70 MB (~16 ms a MB, once)
            body = gzip.compress(body, compresslevel=1, mtime=0)
        self._document: list[etree._Element] = []   # the generator holds this, not self: no cycle
        self._entries = self._read(body, base_url, self._document, on_bad)

    @property
    def document(self) -> etree._Element | None:
        """The part of the document parsed and not yet read (None before the first entry)."""
        return self._document[0] if self._document else None

    def __iter__(self) -> StreamedSitemap:
        return self

    def __next__(self) -> Entry:
        return next(self._entries)

    @staticmethod
    def _read(body: bytes, base_url: str, document: list[etree._Element], on_bad: OnBad) -> Iterator[Entry]:
        source = gzip.GzipFile(fileobj=io.BytesIO(body)) if body[:2] == b"\x1f\x8b" else io.BytesIO(body)
        for event, node in etree.iterparse(source, events=("start", "end"), **_XML_OPTIONS):
            if not document:
                document.append(node)   # the first start: the document's root
            elif event == "end" and node.getparent() is document[0]:   # an entry, whole
                document[0].remove(node)
                if (entry := _sitemap_entry(node, base_url, on_bad)) is not None:
                    yield entry


def _sitemap_entry(node: etree._Element, base_url: str, on_bad: OnBad = None) -> Entry | None:
    """The entry of a ``<url>`` or ``<sitemap>`` node (None for another node, or one without a
    location or with one that is no URL)."""
    if _local(node.tag) not in ("sitemap", "url"):
        return None
    loc = lastmod = news_date = title = None
    for child in node.iter():
        name = _local(child.tag)
        if name == "loc" and loc is None:
            loc = (child.text or "").strip()
        elif name == "lastmod":
            lastmod = child.text
        elif name == "publication_date":
            news_date = child.text
        elif name == "title" and child.text:
            title = child.text.strip()
    if not loc or (url := join_url(base_url, loc, on_bad)) is None:
        return None
    return Entry(url, parse_date(news_date) or parse_date(lastmod), title)


def parse_feed(body: bytes, base_url: str, on_bad: OnBad = None) -> list[Entry]:
    """Items of an RSS 0.9x/1.0/2.0 or Atom feed, with their dates (``on_bad``: see :func:`iter_sitemap`)."""
    root = _parse_xml(body, frozenset({"item", "entry"}))
    if _local(root.tag) not in ("rss", "feed", "rdf"):
        raise DiscoveryError(f"not a feed (root element <{_local(root.tag)}>)")
    entries: list[Entry] = []
    for item in root.iter():
        if _local(item.tag) not in ("item", "entry"):
            continue
        link = date = title = None
        for child in item:
            name = _local(child.tag)
            if name == "link":
                href = child.get("href")
                rel = child.get("rel", "alternate")
                if href and rel == "alternate":
                    link = href
                elif not href and child.text and not link:
                    link = child.text.strip()
            elif name in ("pubdate", "published", "date") or (name == "updated" and date is None):
                date = child.text
            elif name == "title":
                title = (child.text or "").strip() or None
            elif name == "guid" and not link and (child.text or "").startswith("http") \
                    and child.get("isPermaLink", "true") != "false":
                link = child.text.strip()
        if link and (url := join_url(base_url, link, on_bad)) is not None:
            entries.append(Entry(url, parse_date(date), title))
    return entries


def decode_robots(body: bytes, errors: str = "replace") -> tuple[str, bool]:
    """A robots.txt's text in the encoding its byte order mark names (UTF-8, UTF-16 or UTF-32, LE
    or BE), else UTF-8 (RFC 9309), and whether it was all text in that encoding. Bytes that are
    not are dropped or replaced (``errors``) and the lines around them still read. Read as UTF-8,
    a UTF-16 file was a NUL between every letter and none of its rules applied."""
    codec, bom = read_bom(body)   # w3lib's, as the cleaners' decoding reads a page's
    if codec is None:
        codec = "utf-8"
    else:
        body = body[len(bom):]
    try:
        return body.decode(codec), True
    except UnicodeDecodeError:
        return body.decode(codec, errors), False


def sitemaps_from_robots(body: bytes, base_url: str, on_bad: OnBad = None) -> list[str]:
    """The ``Sitemap:`` URLs a robots.txt announces (``on_bad``: see :func:`iter_sitemap`)."""
    text, _ = decode_robots(body)
    urls = (join_url(base_url, m.group(1).strip(), on_bad)
            for m in re.finditer(r"^\s*sitemap\s*:\s*(\S+)", text, re.I | re.M))
    return [u for u in urls if u is not None]
