"""Values that flow through and out of the cleaners: inputs (rules) and results."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

#: Stable, machine-readable reasons a page is not turned into an article.
REJECT_REASONS = (
    "empty",            # no bytes / no text at all
    "not_html",         # binary or non-HTML payload
    "too_large",        # over the size bound
    "extract_failed",   # the extractor found no body
    "too_short",        # body below the minimum length
    "not_article",      # page is a listing / index / non-article by its own markup
    "timeout",          # a step ran past its time bound
    "language",         # language filter rejected it
    "too_old",          # published before the crawl's --since window (set by the crawler)
    "duplicate",        # dedup decided it (set by the pipeline, not by clean_html)
    "refused",          # the crawler refused to fetch it (address guard: private/loopback address)
    "error",            # an unexpected internal error, caught and reported
)


@dataclass(frozen=True, slots=True)
class SiteRules:
    """Per-site cleaning knowledge (data, loaded from the site registry).

    Site rules refine the generic cleaning; they never replace it.
    """

    name: str = "generic"
    #: CSS selectors of elements dropped from the DOM before extraction.
    drop_selectors: tuple[str, ...] = ()
    #: XPath expressions of elements dropped from the DOM before extraction.
    drop_xpaths: tuple[str, ...] = ()
    #: Regular expressions; an extracted line that fully matches one is dropped.
    drop_line_patterns: tuple[str, ...] = ()
    #: Optional CSS selector of the article body, used as evidence, not as the only source.
    body_selector: str | None = None
    #: Minimum characters of body text for an article (shorter -> Rejected("too_short")).
    min_chars: int = 80


@dataclass(slots=True)
class Article:
    """A cleaned article: the body text and its metadata."""

    url: str
    text: str                                  # clean body, one paragraph a line
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None               # ISO 8601, with offset when known
    modified: str | None = None
    language: str | None = None                # ISO 639-1
    description: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    canonical_url: str | None = None           # the page's rel=canonical / og:url, raw
    method: str = "trafilatura"                # which extraction path produced the body
    date_sources: dict[str, str] = field(default_factory=dict)  # e.g. {"published": "json-ld"}
    removed: dict[str, int] = field(default_factory=dict)       # characters removed per step

    @property
    def word_count(self) -> int:
        return len(self.text.split())


@dataclass(slots=True)
class Rejected:
    """A page that did not yield an article, with a stable reason."""

    url: str
    reason: str                                # one of REJECT_REASONS
    detail: str = ""                           # human-readable, for logs and the rejects file
    removed: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.reason not in REJECT_REASONS:
            raise ValueError(f"unknown reject reason {self.reason!r}")


CleanResult = Union[Article, Rejected]
