"""Item pipelines: adapt Scrapy to ``cleaners`` (clean) and ``output`` (write).

``PageItem`` --CleanPipeline--> record ``dict`` (schema v1) or ``RejectItem``
             --OutputPipeline--> JSONL part files + rejects (when an output directory is set);
records go on to Scrapy's feed exports (``-O out.jsonl``), rejects never do.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newsclean.cleaners import Article
from newsclean.crawler.workers.cleaning import (Cleaner, CleanJob, article_record, language_filter, language_gate,
                                                published_instant, shared_book, since_gate)
from newsclean.crawler.items import ArticleItem, PageItem, RejectItem
from newsclean.crawler.components.health import TOO_OLD_STAT
from newsclean.crawler.sites import COVERAGE_FIELDS
from newsclean.crawler.state import state_dir
from newsclean.crawler.state.store import rejected_settle
from newsclean.output import OutputError, PartWriter, build_reject
from newsclean.output.writer import COMPRESSIONS

logger = logging.getLogger(__name__)


def output_compression(settings: Any) -> str:
    """``NEWSCLEAN_OUTPUT_COMPRESSION`` checked: "", "gzip" or "zstd" (else ValueError)."""
    value = str(settings.get("NEWSCLEAN_OUTPUT_COMPRESSION") or "").strip().lower()
    if value not in COMPRESSIONS:
        raise ValueError(f"NEWSCLEAN_OUTPUT_COMPRESSION must be one of \"\", \"gzip\", \"zstd\", got {value!r}")
    return value


class CleanPipeline:
    """Run the cleaners over each fetched page and turn it into a v1 record or a reject.

    The cleaning itself is done by a :class:`~newsclean.crawler.workers.cleaning.Cleaner` (inline by default),
    which also keeps each site's learned templates, loaded from and saved to the state dir.
    A page whose content hash equals the stored one is dropped here: nothing changed.
    """

    STATS = "newsclean/clean"
    FIELDS = COVERAGE_FIELDS

    def __init__(self, crawler: Crawler, run_id: str, cleaner: Cleaner,
                 languages: frozenset[str] = frozenset()) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.run_id = run_id
        self.cleaner = cleaner
        self.languages = languages   # NEWSCLEAN_LANGUAGES; empty: every language is kept

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CleanPipeline:
        from newsclean.crawler.workers.pool import NoCleaner, StallProbe, make_cleaner

        s = crawler.settings
        if s.getbool("NEWSCLEAN_STALL_PROBE", False):
            StallProbe.from_crawler(crawler)
        cleaner: Cleaner
        if not s.getbool("NEWSCLEAN_CLEAN_ENABLED", True):
            cleaner = NoCleaner(crawler.stats)
        else:
            workers = s.get("NEWSCLEAN_CLEAN_WORKERS")   # None: one per core; 0: inline
            cleaner = make_cleaner(shared_book(state_dir(s)), s.getfloat("NEWSCLEAN_CLEAN_TIMEOUT"),
                                   None if workers in (None, "") else int(workers), stats=crawler.stats)
        return cls(crawler, s["NEWSCLEAN_RUN_ID"], cleaner, language_filter(s))

    async def close_spider(self) -> None:
        # Off the reactor thread: joining the workers and saving the learned templates (an fsync:
        # 243 ms, the worst reactor stall of a 2,000-page bench crawl).
        from newsclean.crawler.components.extensions import stop_for_disk_full

        try:
            await asyncio.to_thread(self.cleaner.close)
        except OSError as exc:   # the templates (saved atomically) stay as they were
            if not stop_for_disk_full(self.crawler, exc):
                raise

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem):
            return item
        site, store = self.crawler.spider.site, self.crawler.spider.store
        try:
            rules = item.rules if item.rules is not None else site.rules
            cleaned = await self.cleaner.clean(CleanJob(item.html, item.url, item.site, rules, item.content_type))
        except DropItem:
            # Cleaning switched off: nothing of this fetch will be written. On Redis its in-flight
            # entry would otherwise outlive this worker and another would fetch the page again.
            if store is not None:
                store.settled(item.fetched.url)
            raise
        result = cleaned.result
        if cleaned.cpu:
            self.stats.inc_value(f"{self.STATS}/cleaner_cpu_us", round(cleaned.cpu * 1e6))
        for step, chars in result.removed.items():
            self.stats.inc_value(f"{self.STATS}/removed_chars/{step}", chars)
        result = since_gate(language_gate(result, self.languages), self.crawler.spider.cutoff())
        if not isinstance(result, Article):
            # out of the --since window: not a failure of the site (no reject rate health check)
            self.stats.inc_value(TOO_OLD_STAT if result.reason == "too_old"
                                 else f"{self.STATS}/dropped/{result.reason}")
            logger.info("rejected %s: %s%s", item.url, result.reason, f" ({result.detail})" if result.detail else "")
            if store is not None:
                store.record_fetch(item.fetched, unchanged=False)
            # too_old: when the article was published, kept by the store for a later run's wider window
            published = (published_instant(cleaned.result.published)
                         if result.reason == "too_old" and isinstance(cleaned.result, Article) else None)
            return RejectItem(url=item.url, site=item.site, reason=result.reason,
                              detail=result.detail, fetched=item.fetched, published=published)
        self.stats.inc_value(f"{self.STATS}/articles")
        if not result.published and self.crawler.spider.cutoff():
            self.stats.inc_value("newsclean/since/undated_kept")
        for name in self.FIELDS:
            if getattr(result, name):
                self.stats.inc_value(f"{self.STATS}/field/{name}")
        record = article_record(result, url=item.url, site=item.site, fetched_at=item.fetched_at,
                                run_id=self.run_id, digest=cleaned.digest, source=item.origin)
        if store is not None:
            unchanged = store.content_hash(item.fetched.url) == record["content_hash"]
            store.record_fetch(item.fetched, unchanged=unchanged)
            if unchanged:
                self.stats.inc_value("newsclean/store/unchanged_content")
                raise DropItem(f"unchanged since the last run: {item.url}", log_level="DEBUG")
        return ArticleItem(record=record, fetched=item.fetched,
                           minhash=cleaned.digest.minhash if cleaned.digest else None)


#: Signal: a part file is about to be committed; what batches its writes of the records in it
#: (the dedup index) writes them now (sent on the reactor thread, before the rename).
PARTS_COMMITTING = object()

#: Signal: commit every open part file now (``newsclean ccnews`` at the end of each WARC file,
#: which counts as done only once its records are committed). Send it with nothing in flight.
COMMIT_OPEN_PARTS = object()


class OutputPipeline:
    """Write records and rejects to atomic JSONL part files under ``NEWSCLEAN_OUTPUT_DIR``,
    and tell the article store what became durable.

    Each record is staged in the store with the part file it lands in *before* it is
    written; the store promotes it when the part is committed (renamed into view). Without
    an output directory (plain ``scrapy crawl site -O out.jsonl``) records only go to the
    feed exports. Rejects are never exported.
    """

    STATS = "newsclean/output"
    #: Rejects for these reasons are retried next run; the others are remembered as settled.
    TRANSIENT = frozenset({"timeout", "error"})

    def __init__(self, crawler: Crawler, root: Path | None, run_id: str, max_records: int,
                 compress: str = "") -> None:
        output_compression({"NEWSCLEAN_OUTPUT_COMPRESSION": compress})   # a bad value: ValueError, not a silent off
        self.crawler = crawler
        self.stats = crawler.stats
        self.root = root
        self.run_id = run_id
        self.max_records = max_records
        self.compress = compress
        self.articles: PartWriter | None = None
        self.rejects: PartWriter | None = None
        self.files: list[str] = []
        self._ids: set[bytes] = set()   # record ids written this run (16 bytes each)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OutputPipeline:
        s = crawler.settings
        root = Path(s["NEWSCLEAN_OUTPUT_DIR"]) if s.get("NEWSCLEAN_OUTPUT_DIR") else None
        o = cls(crawler, root, s["NEWSCLEAN_RUN_ID"], s.getint("NEWSCLEAN_PART_MAX_RECORDS"),
                output_compression(s))
        crawler.signals.connect(o.commit_open_parts, signal=COMMIT_OPEN_PARTS)
        return o

    @property
    def store(self) -> Any:
        return getattr(self.crawler.spider, "store", None)

    def open_spider(self) -> None:
        if self.root is None:
            return
        # background: a full part's fsync (~200 ms for 40 MB) is not done on the reactor thread
        self.articles = PartWriter(self.root, self.run_id, kind="articles", max_records=self.max_records,
                                   compress=self.compress, background=True, before_commit=self._before_commit)
        self.rejects = PartWriter(self.root, self.run_id, kind="rejects", max_records=self.max_records,
                                  compress=self.compress, background=True, before_commit=self._before_commit)

    def _before_commit(self) -> None:
        """Before a part becomes visible: the store's notes of its records (staged in batches)
        and the dedup index's entries are written, so a kill after the rename loses neither."""
        if self.store is not None:
            try:
                self.store.flush()
            except Exception as exc:  # noqa: BLE001 - any store error: the part must not be committed
                # an OutputError: the part stays uncommitted (its pages are fetched again next
                # run) and the run stops with one line, as for the part file itself
                raise OutputError(f"article store: {str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__}") from exc
        self.crawler.signals.send_catch_log(PARTS_COMMITTING)

    async def close_spider(self) -> None:
        try:
            await self._close_parts()
        finally:
            if self.articles is not None:
                # Written is what the committed parts hold: the records of parts a failed output
                # dropped were counted as they went in (a run that wrote none said the cleaned count).
                self.stats.set_value(f"{self.STATS}/records_written",
                                     self.stats.get_value(f"{self.STATS}/records_committed", 0))

    async def _close_parts(self) -> None:
        parts = []
        if self.root is not None:
            try:
                self._before_commit()   # here, on the reactor thread: the closes below run in another
            except OutputError as exc:
                self._fail(exc)
                # the open parts are not committed: their pages, unnoted, are fetched again next run
                for writer in (self.articles, self.rejects):
                    if writer is not None:
                        await asyncio.to_thread(writer.abort)
                return
        for writer in (self.articles, self.rejects):   # files first: the output must be whole
            if writer is not None:
                try:
                    parts += await asyncio.to_thread(writer.close)   # the last parts' fsync, off the reactor
                except OutputError as exc:
                    self._fail(exc)
        try:
            self._committed(parts)
        except Exception as exc:  # noqa: BLE001 - the store is gone (e.g. Redis): recovery settles it next run
            self.stats.set_value("newsclean/store/error", str(exc).splitlines()[0][:300])
            logger.error("article store not updated for the last parts: %s", str(exc).splitlines()[0][:300])

    async def commit_open_parts(self) -> None:
        """Commit the open parts (:data:`COMMIT_OPEN_PARTS`); their fsyncs off the reactor."""
        def commit_all() -> list[Any]:
            parts = []
            for writer in (self.articles, self.rejects):
                if writer is not None:
                    parts += writer.commit() + writer.drain_committed()
            return parts

        try:
            self._before_commit()
            parts = await asyncio.to_thread(commit_all)
        except OutputError as exc:
            self._fail(exc)
            return
        self._committed(parts)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, RejectItem):
            if self.rejects is not None:
                reject = build_reject(url=item.url, site=item.site, reason=item.reason, detail=item.detail,
                                      fetched_at=item.fetched.fetched_at, run_id=self.run_id)
                settled = None if item.reason in self.TRANSIENT else rejected_settle(item.reason, item.published)
                self._write(self.rejects, reject, item, settled)
                if settled is None and self.store is not None:   # timeout, worker crash: retried later
                    self.crawler.spider.retry_later(item.fetched.url)
                    self.store.settled(item.fetched.url)
                self.stats.inc_value(f"{self.STATS}/rejects_written")
            raise DropItem(f"rejected: {item.reason}", log_level="DEBUG")
        if isinstance(item, ArticleItem):
            if self._repeated(item.record["id"]):
                # Two URLs this run led to one article (a rel=canonical, a redirect, a start URL
                # also linked from a page): one record per id and run, the other is settled.
                self.stats.inc_value(f"{self.STATS}/repeated_id")
                return self.process_item(RejectItem(url=item.record["url"], site=item.record["site"], reason="duplicate",
                                                    detail=f"id {item.record['id']} already written in this run",
                                                    fetched=item.fetched))
            if self.articles is not None:
                self._write(self.articles, item.record, item, item.record["content_hash"])
                self.stats.inc_value(f"{self.STATS}/records_written")
            return item.record
        return item

    def _repeated(self, record_id: str) -> bool:
        try:
            key = bytes.fromhex(record_id)
        except ValueError:
            key = record_id.encode()
        if key in self._ids:
            return True
        self._ids.add(key)
        return False

    def _write(self, writer: PartWriter, record: dict[str, Any], item: Any, settled_hash: str | None) -> None:
        partition = {"site": item.site if isinstance(item, RejectItem) else record["site"],
                     "date": record["fetched_at"][:10]}
        try:
            if self.store is not None and settled_hash is not None:
                part = writer.target(partition)
                self.store.stage(self._rel(part), record.get("id", ""), settled_hash, item.fetched)
            writer.write(record, partition)
            parts = writer.drain_committed()
            if parts:   # most records commit nothing: the files' stat is not rewritten for each
                self._committed(parts)
        except OutputError as exc:
            self._fail(exc)
            raise DropItem(f"not written: {exc}") from None

    def _rel(self, path: Path | str) -> str:
        assert self.root is not None
        return str(Path(path).relative_to(self.root))

    def _committed(self, parts: list[Any]) -> None:
        for part in parts:
            rel = self._rel(part.path)
            self.stats.inc_value(f"{self.STATS}/parts_committed")
            if rel.startswith("articles/"):   # what a run stopped by force has written (sitequeue)
                self.stats.inc_value(f"{self.STATS}/records_committed", part.count)
            self.files.append(rel)
            if self.store is not None:
                self._promote(rel)
        self.stats.set_value(f"{self.STATS}/files", list(self.files))

    def _promote(self, rel: str) -> None:
        """The store's notes of the committed part ``rel`` promoted. A store that cannot be
        written (a full disk, another program's lock) stops the run in one line, not a traceback
        an item: the part is there and its notes staged, so the next run's recovery promotes them."""
        from newsclean.crawler.components.extensions import stop_for_disk_full

        assert self.store is not None
        try:
            self.store.commit_part(rel)
        except Exception as exc:
            if not stop_for_disk_full(self.crawler, exc):
                raise

    def _fail(self, exc: OutputError) -> None:
        """The output cannot be written (disk full...): stop the crawl, keep what is committed."""
        from newsclean.crawler.components.extensions import stop_for_disk_full

        if stop_for_disk_full(self.crawler, exc):
            return
        self.stats.set_value(f"{self.STATS}/error", str(exc))
        logger.error("output failed, stopping the crawl: %s", exc)
        engine = self.crawler.engine
        if engine is not None and engine.running:
            from scrapy.utils.defer import deferred_from_coro

            deferred_from_coro(engine.close_spider_async(reason="output_error"))
