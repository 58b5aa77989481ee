"""Items that travel from the spider through the pipelines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from newsclean.cleaners import SiteRules
from newsclean.crawler.state.store import Fetched


@dataclass(slots=True)
class PageItem:
    """A fetched article page, before cleaning. The clean pipeline turns it into a record."""

    url: str
    html: str | bytes                # bytes: the body as fetched, decoded where it is cleaned
    site: str
    status: int
    source: str                      # sitemap | feed | section | start
    fetched: Fetched                 # store key, fetch time, validators, listed date
    rules: SiteRules | None = None   # cleaning rules when not the spider's site's (ccnews: per domain)
    origin: dict[str, Any] | None = None   # the archive record it was read from: {"warc", "offset"}
    content_type: str | None = None  # the Content-Type header: its charset decodes bytes

    @property
    def fetched_at(self) -> datetime:
        return self.fetched.fetched_at

    def __repr__(self) -> str:
        # Scrapy logs an item by its repr (a dropped item: one for each page a full disk refused):
        # the page's URL and size, not its body
        return f"PageItem(url={self.url!r}, site={self.site!r}, status={self.status}, {len(self.html)} bytes)"


@dataclass(slots=True)
class RejectItem:
    """A page the cleaners rejected; written to the rejects file, never exported as a record."""

    url: str
    site: str
    reason: str
    detail: str
    fetched: Fetched
    published: datetime | None = None   # too_old: the article's date as --since read it (the store keeps it)


@dataclass(slots=True)
class ArticleItem:
    """A cleaned article: its v1 record, and what the store must learn once it is written.

    The output pipeline unwraps it, so feed exports (``-O``) receive the plain record."""

    record: dict[str, Any]
    fetched: Fetched
    minhash: bytes | None = None     # the text's dedup signature, if computed where it was cleaned

    def __repr__(self) -> str:   # as PageItem's: the record's id and URL, not its text
        return f"ArticleItem(id={self.record.get('id')!r}, url={self.record.get('url')!r})"
