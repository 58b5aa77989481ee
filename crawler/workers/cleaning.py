"""How the clean pipeline runs the cleaners: inline, or in a pool of worker processes.

A :class:`Cleaner` takes a page and returns an ``Article`` or ``Rejected`` asynchronously,
so the pipeline code is the same whether cleaning happens on the reactor thread (inline,
for tests and ``scrapy shell``) or in worker processes (:mod:`newsclean.crawler.workers.pool`, the default for
crawls). Per-site template learning lives here, with the caller: one
:class:`~cleaners.SiteTemplates` per site, loaded from and saved to the state directory.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Protocol

from newsclean.cleaners import Article, CleanResult, Rejected, SiteRules, SiteTemplates
from newsclean.output import build_record, canonicalize_url
from newsclean.output.dedup import TextDigest

logger = logging.getLogger(__name__)

#: Stat: sites whose templates file could not be read (corrupt, of another version) and were learned again.
STAT_UNREADABLE = "newsclean/templates/unreadable"
#: Stats: sites whose learned templates could not be saved (not for a full disk, which stops the run),
#: and the first file and reason (the health check's word).
STAT_SAVE_FAILED = "newsclean/templates/save_failed"
STAT_SAVE_ERROR = "newsclean/templates/save_error"


@dataclass(frozen=True, slots=True)
class CleanJob:
    html: str | bytes            # bytes: decoded where the page is cleaned (a worker, not the reactor)
    url: str
    site: str
    rules: SiteRules
    content_type: str | None = None   # the Content-Type header, for decoding bytes


@dataclass(frozen=True, slots=True)
class Cleaned:
    """What a :class:`Cleaner` returns: the page's result and, for an article, its text's
    digest, computed where the page was cleaned (None: not computed, e.g. a reject), and the
    CPU seconds ``clean_html`` took there (its thread's clock; 0.0: not cleaned)."""

    result: CleanResult
    digest: TextDigest | None = None
    cpu: float = 0.0


def digest_of(result: CleanResult) -> TextDigest | None:
    """The digest of an article's text (None for a reject, or if it cannot be computed: the
    record is then built without it, as before)."""
    if not isinstance(result, Article):
        return None
    try:
        return TextDigest.of(result.text)
    except Exception:  # noqa: BLE001 - an optimisation only: the main process computes it instead
        return None


def declared_canonical(cleaned: Cleaned | None) -> str | None:
    """The canonical URL a cleaned page declares (the learner's name for its document)."""
    return getattr(cleaned.result, "canonical_url", None) if cleaned is not None else None


def article_record(article: Article, *, url: str, site: str, fetched_at: datetime, run_id: str,
                   digest: TextDigest | None = None, source: dict[str, Any] | None = None) -> dict[str, Any]:
    """The v1 record of a cleaned page: one function, so a crawl, ``newsclean clean`` over
    its WARC archive and ``newsclean ccnews`` build records the same way."""
    return build_record(article, url=url, site=site, fetched_at=fetched_at, run_id=run_id,
                        canonical_url=canonicalize_url(url, article.canonical_url),
                        text_hash=digest.content_hash if digest else None,
                        word_count=digest.word_count if digest else None, source=source)


class Cleaner(Protocol):
    async def clean(self, job: CleanJob) -> Cleaned: ...

    def close(self) -> None: ...


class TemplateBook:
    """The learned templates of every site a crawl sees, persisted under ``state/templates``.

    One book per state directory serves every crawler of a process (:func:`shared_book`): two
    crawlers that see the same site (``--url`` and ``--urls`` are both ``adhoc``) learn into one
    state instead of the last to close overwriting the other's file. A window holds each
    site it cleans (:meth:`hold`) and releases them when its crawler closes (:meth:`release`): a site no crawler
    holds any more is saved and, when it can be read back, forgotten, so a run over many sites
    keeps only the open ones in memory. The crawl's event loop reads and learns; a closing
    crawler saves from another thread (a site asked for while it is being written is learned
    into a copy).
    """

    #: Distinct blocks a site keeps counts for (the most frequent win). A crawl sees ~10 new
    #: blocks per article; boilerplate is among the most frequent, so this bounds memory
    #: (~4 MB per site) without losing what is learned.
    MAX_BLOCKS = 20_000
    #: A crawl learns a block on at most this many distinct pages (``SiteTemplates``' saturation;
    #: a batch's is 4). A crawl is dense in time: a day's sidebar is on hundreds of its pages,
    #: while a quote or a background paragraph four stories of a week share is their text.
    SATURATION = 25

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self._sites: dict[str, SiteTemplates] = {}
        self._holders: dict[str, int] = {}     # site -> windows cleaning it now
        self._saving: dict[str, SiteTemplates] = {}   # site -> the state a closing crawler is writing
        self._unreadable: set[str] = set()   # sites whose file could not be read, not yet counted
        self._lock = threading.Lock()

    def _path(self, site: str) -> Path | None:
        return self.directory / "templates" / f"{site}.json" if self.directory else None

    def get(self, site: str) -> SiteTemplates:
        with self._lock:
            templates = self._sites.get(site)
            if templates is None:
                templates = self._sites[site] = self._load(site)
            elif templates is self._saving.get(site):
                # Being written by another thread: learn into a copy (that one is left as read);
                # later pages learn into the copy, not into a copy each.
                templates = self._sites[site] = SiteTemplates.from_dict(templates.to_dict())
            return templates

    def _load(self, site: str) -> SiteTemplates:
        """The site's saved state, else a new one. A file that cannot be read (corrupt JSON, a
        cut-off write by another tool, another version) is said as a warning naming it, moved aside
        to ``<site>.json.unreadable`` (not overwritten by this run's save) and the site learned
        again from its pages: it was a traceback at the site's first page, and nothing written."""
        path = self._path(site)
        if path is None or not path.exists():
            return SiteTemplates(site, max_blocks=self.MAX_BLOCKS, saturation=self.SATURATION)
        try:
            return SiteTemplates.load(path)
        except json.JSONDecodeError as exc:
            why = f"bad JSON: {exc}"
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            why = str(exc) if isinstance(exc, ValueError) else f"{type(exc).__name__}: {exc}"
        aside = path.with_name(path.name + ".unreadable")
        try:
            os.replace(path, aside)
            kept = f"the file is kept as {aside.name}"
        except OSError as exc:
            kept = f"it could not be moved aside ({exc.strerror or exc})"
        logger.warning("%s: unreadable (%s): the site's templates are learned again from its pages; %s",
                       path, why[:300], kept)
        self._unreadable.add(site)
        return SiteTemplates(site, max_blocks=self.MAX_BLOCKS, saturation=self.SATURATION)

    def take_unreadable(self, site: str) -> bool:
        """Whether ``site``'s file was unreadable and not yet counted (once: the first window asking counts it)."""
        with self._lock:
            if site in self._unreadable:
                self._unreadable.discard(site)
                return True
            return False

    def sites(self) -> dict[str, SiteTemplates]:
        """The sites in memory and their state."""
        with self._lock:
            return dict(self._sites)

    def hold(self, site: str) -> None:
        """A window cleans ``site`` from now on, until it releases it."""
        with self._lock:
            self._holders[site] = self._holders.get(site, 0) + 1

    def release(self, sites: Iterable[str]) -> list[tuple[Path, OSError]]:
        """A window is done with ``sites``: save those no other window holds, and forget them
        where they can be loaded again (the one still holding a site saves it later). Returns
        the files that could not be saved (see :meth:`save`)."""
        done = []
        with self._lock:
            for site in sites:
                left = self._holders.get(site, 0) - 1
                if left > 0:
                    self._holders[site] = left
                else:
                    self._holders.pop(site, None)
                    done.append(site)
        failed = self.save(done)
        if self.directory is None:
            return failed   # nowhere to load them from again: kept
        with self._lock:
            for site in done:
                if not self._holders.get(site) and site not in self._saving:
                    self._sites.pop(site, None)
        return failed

    def observe_blocks(self, site: str, url: str, blocks: frozenset[int], canonical: str | None = None) -> None:
        """Count one page of ``site`` given its block hashes (computed where it was cleaned) and
        the canonical URL it declares (its copies under other URLs are one document)."""
        self.get(site).add_page(url, blocks, canonical)

    def bound(self, sites: Iterable[str] | None = None) -> None:
        """Keep these sites' (default: all) counters within their ``max_blocks`` (memory flat on long crawls)."""
        for templates in (self.sites().values() if sites is None else map(self.get, sites)):
            # SiteTemplates.observe evicts at the same size; add_page leaves that to its caller.
            if len(getattr(templates, "_counts", ())) > 2 * templates.max_blocks:
                templates.evict()

    def save(self, sites: Iterable[str] | None = None) -> list[tuple[Path, OSError]]:
        """Write these sites' (default: all in memory) templates, each atomically. A file that
        cannot be written (permission denied, a directory or a file in the way, a read-only state
        directory) is a warning naming it and its reason, returned with it, and the other sites are
        saved: it raised out of the pipeline's close, a traceback that cut the crawler's close
        short (the article store not told of the last parts). A full disk still raises: it stops
        the run (``stop_for_disk_full``)."""
        from newsclean.output.sqlite import is_disk_full

        failed: list[tuple[Path, OSError]] = []
        for site in list(self.sites() if sites is None else sites):
            path = self._path(site)
            with self._lock:
                templates = self._sites.get(site)
                if path is None or templates is None:
                    continue
                self._saving[site] = templates
            try:
                templates.save(path)   # makes its directory
            except OSError as exc:
                if is_disk_full(exc):
                    raise
                failed.append((path, exc))
                logger.warning("%s: the learned templates could not be saved (%s): the next run learns "
                               "the site again from its pages", path, save_error(path, exc))
            finally:
                with self._lock:
                    self._saving.pop(site, None)
        return failed


def save_error(path: Path, exc: OSError) -> str:
    """Why ``path`` could not be written, naming the file in the way when it is another one
    (``state/templates`` a file: "File exists" alone said nothing)."""
    why = exc.strerror or str(exc)
    return f"{why}: {exc.filename}" if exc.filename and str(exc.filename) != str(path) else why


_BOOKS: dict[Path, TemplateBook] = {}
_BOOKS_LOCK = threading.Lock()


def shared_book(directory: Path | None) -> TemplateBook:
    """The process's book for a state directory, shared by every crawler that uses it (a new
    book each time for None: nothing is saved, so nothing can be lost between crawlers)."""
    if directory is None:
        return TemplateBook(None)
    key = Path(directory).resolve()
    with _BOOKS_LOCK:
        if key not in _BOOKS:
            _BOOKS[key] = TemplateBook(Path(directory))
        return _BOOKS[key]


class LearningWindow:
    """When a page's observation becomes learned state, independent of how pages are cleaned.

    Pages are numbered in the order they reach the cleaner. Page ``i`` is cleaned with each
    site's learned blocks as they stood after exactly the pages numbered below
    ``max(0, i // epoch - 1) * epoch`` were counted (pages are counted in number order, whatever
    order their cleaning finishes in). So the inline cleaner and a pool of any size give the same
    text for the same arrival order, at most ``2 * epoch`` pages are in flight, and the learned
    set is recomputed once per epoch, not per page.
    """

    def __init__(self, book: TemplateBook, epoch: int = 16, stats: Any = None) -> None:
        if epoch < 1:
            raise ValueError("epoch must be >= 1")
        self.book = book
        self.stats = stats   # the crawler's (``inc_value``), or None
        self.epoch = epoch
        self._next = 0
        self._counted = 0                                  # pages < this are counted
        self._done: dict[int, tuple[str, str, frozenset[int] | None, str | None]] = {}
        self._snapshots: dict[int, dict[str, frozenset[int]]] = {0: {}}
        self._waiters: dict[int, list] = {}
        self._baseline: dict[str, frozenset[int]] = {}     # learned set of a site when first seen

    def next_seq(self) -> int:
        seq, self._next = self._next, self._next + 1
        return seq

    def barrier(self, seq: int) -> int:
        """Pages numbered below this must be counted before page ``seq`` is cleaned."""
        return max(0, seq // self.epoch - 1) * self.epoch

    async def wait_turn(self, seq: int) -> None:
        """Wait until page ``seq`` may be cleaned (its barrier is counted)."""
        import asyncio

        b = self.barrier(seq)
        if self._counted >= b:
            return
        fut = asyncio.get_running_loop().create_future()
        self._waiters.setdefault(b, []).append(fut)
        await fut

    def snapshot(self, site: str, seq: int) -> tuple[int, frozenset[int]]:
        """(version, learned hashes) of ``site`` for page ``seq``; its barrier must be counted."""
        b = self.barrier(seq)
        snap = self._snapshots[b]
        if site not in snap:
            # Not in the book when snapshot b was taken: at b the site had its loaded state.
            if site not in self._baseline:
                self.book.hold(site)
                self._baseline[site] = self.book.get(site).learned()
                if self.book.take_unreadable(site) and self.stats is not None:
                    self.stats.inc_value(STAT_UNREADABLE)   # in the run's manifest
            snap[site] = self._baseline[site]
        return b, snap[site]

    def finish(self, seq: int, site: str, url: str, blocks: frozenset[int] | None,
               canonical: str | None = None) -> None:
        """Page ``seq`` is done (``blocks`` None: nothing to count, e.g. a timeout)."""
        self._done[seq] = (site, url, blocks, canonical)
        while self._counted in self._done:
            site_, url_, blocks_, canonical_ = self._done.pop(self._counted)
            if blocks_ is not None:
                self.book.observe_blocks(site_, url_, blocks_, canonical_)
            self._counted += 1
            if self._counted % self.epoch == 0:
                self._take_snapshot(self._counted)

    def _take_snapshot(self, b: int) -> None:
        # This window's sites only: the book may hold other crawlers' sites too.
        self.book.bound(self._baseline)
        self._snapshots[b] = {site: self.book.get(site).learned() for site in self._baseline}
        for old in [k for k in self._snapshots if k < b - 2 * self.epoch]:
            del self._snapshots[old]
        for fut in self._waiters.pop(b, []):
            if not fut.done():
                fut.set_result(None)

    def close(self) -> None:
        """The crawler is done: save its sites' templates (see :meth:`TemplateBook.release`)."""
        sites, self._baseline, self._snapshots = list(self._baseline), {}, {0: {}}
        failed = self.book.release(sites)
        if failed and self.stats is not None:   # the crawler's close waits for this thread: no other writer
            self.stats.inc_value(STAT_SAVE_FAILED, len(failed))
            path, exc = failed[0]
            self.stats.set_value(STAT_SAVE_ERROR, f"{path}: {save_error(path, exc)}")


class InlineCleaner:
    """Clean on the calling thread. Simple and deterministic; blocks the reactor per page.

    Learning follows the same :class:`LearningWindow` as the pool, so both give equal results.
    """

    def __init__(self, book: TemplateBook, timeout: float, window: LearningWindow | None = None,
                 stats: Any = None) -> None:
        self.book = book
        self.timeout = timeout
        self.window = window or LearningWindow(book, stats=stats)

    async def clean(self, job: CleanJob) -> Cleaned:
        from newsclean.crawler.workers.pool import clean_with_blocks

        seq = self.window.next_seq()
        blocks = cleaned = None
        try:
            version, learned = self.window.snapshot(job.site, seq)  # inline: the barrier is always met
            cleaned, blocks = clean_with_blocks(job.html, job.url, job.rules, learned, job.site, self.timeout,
                                                job.content_type)
        finally:
            self.window.finish(seq, job.site, job.url, blocks, declared_canonical(cleaned))
        return cleaned

    def close(self) -> None:
        self.window.close()


def language_gate(result: CleanResult, languages: frozenset[str]) -> CleanResult:
    """An article not in one of ``languages`` (empty: all are kept) becomes a reject with
    reason ``language`` — in the crawl and in ``newsclean clean`` alike."""
    if isinstance(result, Article) and languages and result.language not in languages:
        return Rejected(result.url, "language",
                        detail=f"{result.language or 'unknown'} not in NEWSCLEAN_LANGUAGES {sorted(languages)}")
    return result


def published_instant(published: str | None) -> datetime | None:
    """An article's ``published`` as --since reads it: the latest instant it may mean (a date
    without a time counts as its whole day: its end; no offset: UTC). None when it has none or
    it is no date."""
    if not published:
        return None
    try:
        instant = datetime.fromisoformat(published.replace("Z", "+00:00"))
    except ValueError:
        return None
    if len(published) <= 10:   # a date alone: the article may be from any time that day
        instant = instant + timedelta(days=1) if instant.date() < date.max else datetime.max
    return instant if instant.tzinfo else instant.replace(tzinfo=timezone.utc)


def since_gate(result: CleanResult, cutoff: datetime | None) -> CleanResult:
    """An article published before ``cutoff`` (``--since``) becomes a reject with reason
    ``too_old``: discovery can only bound what its listings date (a section page's links carry
    no date), the article's own date settles it (:func:`published_instant`). An undated article
    is kept (it cannot be told old)."""
    if not (isinstance(result, Article) and cutoff):
        return result
    published = published_instant(result.published)
    if published is None or published >= cutoff:
        return result
    return Rejected(result.url, "too_old", detail=f"published {result.published}, before {cutoff.isoformat(timespec='seconds')} (--since)")


def language_filter(settings: Any) -> frozenset[str]:
    """``NEWSCLEAN_LANGUAGES`` (a list, or ``en,ur`` from ``-s``) as ISO 639-1 codes (else ValueError)."""
    raw = settings.get("NEWSCLEAN_LANGUAGES") or []
    codes = frozenset(str(c).strip().lower() for c in (raw.split(",") if isinstance(raw, str) else raw) if str(c).strip())
    from newsclean.crawler.iso_codes import LANGUAGES

    # a code of two letters that is none ('xx', 'en-gb' cut short) rejected every page as 'language'
    bad = sorted(c for c in codes if c not in LANGUAGES)
    if bad:
        raise ValueError(f"NEWSCLEAN_LANGUAGES takes ISO 639-1 codes like en, ur; got {', '.join(map(repr, bad))}")
    return codes
