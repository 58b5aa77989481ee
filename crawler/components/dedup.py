"""The dedup step of the crawl: between cleaning and output, mark (or drop) copies of records
written before, in this run or any earlier one (see :mod:`output.dedup`).

``NEWSCLEAN_DUPLICATES = "keep"`` (default) writes a copy with ``duplicate_of`` set to the
earliest record's id; ``"drop"`` turns it into a reject with reason ``duplicate``.
"""

from __future__ import annotations

import logging
import os
import socket
import sqlite3
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from newsclean.crawler.components.pipelines import PARTS_COMMITTING
from newsclean.crawler.items import ArticleItem, RejectItem
from newsclean.crawler.state.redis_state import connect, live_workers, namespace, redact, redis_error, redis_url, worker_id
from newsclean.crawler.state import state_dir
from newsclean.output import iter_records
from newsclean.output.dedup import DEFAULT_THRESHOLD, DedupIndex, RedisEntries, written_in_run
from newsclean.output.sqlite import is_locked

logger = logging.getLogger(__name__)

MODES = ("keep", "drop")


def dedup_options(settings: Any) -> tuple[str, float]:
    """(mode, threshold) from ``NEWSCLEAN_DUPLICATES`` / ``NEWSCLEAN_DEDUP_THRESHOLD`` (a
    Settings object or a plain dict of overrides); ValueError naming the setting if bad."""
    raw_mode = settings.get("NEWSCLEAN_DUPLICATES") or "keep"
    mode = str(raw_mode).strip().lower()
    if mode not in MODES:
        raise ValueError(f"NEWSCLEAN_DUPLICATES must be one of {', '.join(MODES)}, got {raw_mode!r}")
    raw = settings.get("NEWSCLEAN_DEDUP_THRESHOLD")
    try:
        threshold = DEFAULT_THRESHOLD if raw in (None, "") else float(raw)
    except (TypeError, ValueError):
        threshold = float("nan")
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"NEWSCLEAN_DEDUP_THRESHOLD must be a number between 0 and 1, got {raw!r}")
    return mode, threshold


class DedupPipeline:
    """Find each article's earliest copy in the persisted index; keep it marked or drop it.

    Every record that goes on is indexed as pending; once the crawl is closed (its part files
    committed) the entries whose records are in this crawl's committed parts are kept and the
    rest forgotten. A killed run's entries are settled the same way when the next run opens,
    from that run's committed parts.
    """

    STATS = "newsclean/dedup"
    #: Entries written to the SQLite index in one transaction (see :class:`SqliteEntries`).
    BATCH = 64

    def __init__(self, crawler: Crawler, index_path: Path | None, root: Path | None, run_id: str,
                 mode: str = "keep", threshold: float = DEFAULT_THRESHOLD) -> None:
        if mode not in MODES:
            raise ValueError(f"NEWSCLEAN_DUPLICATES must be one of {', '.join(MODES)}, got {mode!r}")
        self.crawler = crawler
        self.stats = crawler.stats
        self.index_path = index_path
        self.root = root
        self.run_id = run_id
        self.mode = mode
        self.threshold = threshold
        self.index: DedupIndex | None = None
        self._redis: Any = None
        #: What a broken index raises: SQLite's errors, and Redis's when the index is there.
        self.index_errors: tuple[type[Exception], ...] = (sqlite3.Error,)
        self.site = ""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupPipeline:
        s = crawler.settings
        if not s.getbool("NEWSCLEAN_DEDUP_ENABLED", True):
            raise NotConfigured  # off by setting: nothing to warn about
        directory = state_dir(s)
        root = Path(s["NEWSCLEAN_OUTPUT_DIR"]) if s.get("NEWSCLEAN_OUTPUT_DIR") else None
        mode, threshold = dedup_options(s)
        o = cls(crawler, directory / "dedup.sqlite3" if directory is not None else None, root,
                s["NEWSCLEAN_RUN_ID"] or "", mode, threshold)
        crawler.signals.connect(o.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(o.flush, signal=PARTS_COMMITTING)
        return o

    def flush(self) -> None:
        """A part file is about to be committed: write the index entries of its records."""
        if self.index is None:
            return
        try:
            self.index.flush()
        except self.index_errors as exc:   # as in process_item: one line, or a full disk stops the run
            self._index_error(exc)

    def _open_index(self) -> DedupIndex:
        settings = self.crawler.settings
        url = redis_url(settings)
        if not url:   # entries written in batches (in a thread: not on the reactor's), and before each part file is committed
            return DedupIndex(self.index_path, threshold=self.threshold, batch=self.BATCH, background=True)
        # On Redis the index is shared by every worker (see docs/scale-out.md).
        self._redis = connect(url)
        self.index_errors = (sqlite3.Error, redis_error())
        owner = {"worker": worker_id(settings), "host": socket.gethostname(),
                 "root": os.path.abspath(self.root) if self.root is not None else ""}
        return DedupIndex(threshold=self.threshold, entries=RedisEntries(self._redis, namespace(settings), owner))

    def _settle_root(self, run: str) -> Path | None:
        """Where a run's committed parts are, if this worker may settle its entries now."""
        owner = self.index.run_owner(run) if self.index is not None else None
        if owner is None:
            return self.root   # SQLite: the index lives in this output directory's state
        if owner["host"] != socket.gethostname() or not owner["root"]:
            return None        # another machine's files: a worker there settles them
        me = worker_id(self.crawler.settings)
        if owner["worker"] != me and owner["worker"] in live_workers(self._redis, namespace(self.crawler.settings)):
            return None        # still running (a worker runs one run: our own id is an earlier life)
        return Path(owner["root"])

    def open_spider(self) -> None:
        spider = self.crawler.spider
        self.site = getattr(getattr(spider, "site", None), "name", None) or getattr(spider, "name", "") or ""
        self.index = self._open_index()
        # Entries a killed run left pending: keep what reached its committed parts.
        for run in self.index.pending_runs():
            if run == self.run_id:
                continue   # another crawl of this very run (newsclean crawl --all) is writing them
            root = self._settle_root(run)
            if root is None and self.index.run_owner(run) is not None:
                continue
            written = written_in_run(root, run) if root is not None else set()
            kept, forgotten = self.index.settle(run, written)
            self.stats.inc_value(f"{self.STATS}/recovered", kept)
            self.stats.inc_value(f"{self.STATS}/forgotten_uncommitted", forgotten)
            logger.info("dedup index: run %s left %d pending entries, %d written", run, kept + forgotten, kept)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, ArticleItem) or self.index is None:
            return item
        record = item.record
        try:
            match = self.index.observe(record["id"], record["content_hash"], record["text"],
                                       run_id=self.run_id, site=self.site, keep=self.mode == "keep",
                                       minhash=item.minhash)
        except self.index_errors as exc:
            # The index is gone (Redis down, disk full): the record still goes out, unmarked.
            self._index_error(exc)
            return item
        if match is None:
            return item
        self.stats.inc_value(f"{self.STATS}/{match.kind}")
        if self.mode == "drop":
            self.stats.inc_value(f"{self.STATS}/dropped")
            logger.info("duplicate dropped: %s (%s copy of %s)", record["url"], match.kind, match.duplicate_of)
            return RejectItem(url=record["url"], site=record["site"], reason="duplicate",
                              detail=f"{match.kind} copy of {match.duplicate_of} (similarity {match.similarity:.2f})",
                              fetched=item.fetched)
        record["duplicate_of"] = match.duplicate_of
        return item

    def _index_error(self, exc: Exception) -> None:
        from newsclean.crawler.components.extensions import stop_for_disk_full

        if stop_for_disk_full(self.crawler, exc):   # the run fails: records would not fit either
            self.stats.inc_value(f"{self.STATS}/errors")
            if is_locked(exc) and self.index is not None:
                self.index.stop_waiting()   # the run stops: the writes left fail at once
            return
        if not self.stats.get_value(f"{self.STATS}/errors"):
            logger.error("dedup index unavailable, records go out unmarked: %s", redact(str(exc).splitlines()[0][:300]))
        self.stats.inc_value(f"{self.STATS}/errors")

    def spider_closed(self, spider: Any, reason: str) -> None:
        """After the output pipeline committed its parts: settle this crawl's entries."""
        if self.index is None:
            return
        try:
            if self.root is None:
                kept, forgotten = self.index.settle(self.run_id, lambda _id, _hash: True, site=self.site)
            else:   # only what this crawl committed: other crawls of the run may still be writing
                files = self.stats.get_value("newsclean/output/files") or []
                parts = [self.root / f for f in files if Path(f).parts[:1] == ("articles",)]
                written = {(r.get("id", ""), r.get("content_hash", "")) for r in iter_records(parts)}
                kept, forgotten = self.index.settle(self.run_id, written, site=self.site)
            self.stats.set_value(f"{self.STATS}/indexed", kept)
            if forgotten:
                self.stats.set_value(f"{self.STATS}/forgotten_unwritten", forgotten)
            self.stats.set_value(f"{self.STATS}/index_size", self.index.count())
        except self.index_errors as exc:   # the entries stay pending: the next run settles them
            self._index_error(exc)
        finally:
            try:
                self.index.close()   # writes the entries a failed flush left: may fail the same way
            except self.index_errors as exc:
                self._index_error(exc)
            self.index = None
            if self._redis is not None:
                self._redis.close()
