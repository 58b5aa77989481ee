"""Items that travel from the spider through the pipelines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(slots=True)
class PageItem:
    """A fetched article page, before cleaning. The clean pipeline turns it into a record."""

    url: str
    html: str
    site: str
    status: int
    fetched_at: datetime
    source: str                      # sitemap | feed | section | start
    listed_date: str | None = None   # date the sitemap/feed gave for it, ISO 8601
    etag: str | None = None
    last_modified: str | None = None


@dataclass(slots=True)
class RejectItem:
    """A page the cleaners rejected; written to the rejects file, never exported as a record."""

    url: str
    site: str
    reason: str
    detail: str
    fetched_at: datetime
