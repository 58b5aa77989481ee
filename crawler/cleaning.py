"""How the clean pipeline runs the cleaners: inline, or in a pool of worker processes.

A :class:`Cleaner` takes a page and returns an ``Article`` or ``Rejected`` asynchronously,
so the pipeline code is the same whether cleaning happens on the reactor thread (inline,
for tests and ``scrapy shell``) or in worker processes (:mod:`crawler.pool`, the default for
crawls). Per-site template learning lives here, with the caller: one
:class:`~cleaners.SiteTemplates` per site, loaded from and saved to the state directory.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from cleaners import CleanResult, SiteRules, SiteTemplates, clean_html


@dataclass(frozen=True, slots=True)
class CleanJob:
    html: str
    url: str
    site: str
    rules: SiteRules


class Cleaner(Protocol):
    async def clean(self, job: CleanJob) -> CleanResult: ...

    def close(self) -> None: ...


class TemplateBook:
    """The learned templates of every site a crawl sees, persisted under ``state/templates``."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self._sites: dict[str, SiteTemplates] = {}

    def _path(self, site: str) -> Path | None:
        return self.directory / "templates" / f"{site}.json" if self.directory else None

    def get(self, site: str) -> SiteTemplates:
        if site not in self._sites:
            path = self._path(site)
            self._sites[site] = SiteTemplates.load(path) if path and path.exists() else SiteTemplates(site)
        return self._sites[site]

    def save(self) -> None:
        for site, templates in self._sites.items():
            path = self._path(site)
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                templates.save(path)


class InlineCleaner:
    """Clean on the calling thread. Simple and deterministic; blocks the reactor per page."""

    def __init__(self, book: TemplateBook, timeout: float) -> None:
        self.book = book
        self.timeout = timeout

    async def clean(self, job: CleanJob) -> CleanResult:
        templates = self.book.get(job.site)
        templates.observe(job.html, job.url)
        return clean_html(job.html, job.url, job.rules, templates=templates, timeout=self.timeout)

    def close(self) -> None:
        self.book.save()
