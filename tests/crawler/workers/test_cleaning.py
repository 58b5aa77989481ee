"""The gates after cleaning: --since by the article's own date."""

from __future__ import annotations

from datetime import datetime, timezone

from newsclean.cleaners import Article
from newsclean.crawler.workers.cleaning import since_gate

CUTOFF = datetime(2026, 3, 4, 12, tzinfo=timezone.utc)


def article(published: str | None) -> Article:
    return Article(url="https://example.com/a/", text="Text.", title=None, authors=[], published=published, modified=None,
                   language="en", section=None, tags=[], description=None, canonical_url=None, method="test",
                   removed={}, date_sources={})


def test_since_reads_a_date_alone_as_its_whole_day_and_keeps_what_it_cannot_date() -> None:
    kept = {p: type(since_gate(article(p), CUTOFF)).__name__ for p in (
        "2026-03-04", "2026-03-03", "2026-03-04T11:59:59+00:00", "2026-03-04T13:00:00+02:00", "2026-03-04T12:00:00",
        None, "not a date", "9999-12-31")}
    assert kept == {"2026-03-04": "Article", "2026-03-03": "Rejected", "2026-03-04T11:59:59+00:00": "Rejected",
                    "2026-03-04T13:00:00+02:00": "Rejected", "2026-03-04T12:00:00": "Article",   # no offset: UTC
                    None: "Article", "not a date": "Article",
                    "9999-12-31": "Article"}   # before: its day's end past any date, an OverflowError
    assert since_gate(article("2026-03-03"), None).published == "2026-03-03"   # no window
