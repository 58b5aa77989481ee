"""The article store: what earlier runs fetched and wrote, so a run fetches only what is new
or changed, and a killed run is completed without duplicates.

Plain Python over SQLite (WAL mode), one file per output directory. :class:`ArticleStore`
is the interface a Redis implementation fills for several workers (``crawler.redis_store``).

Per canonical URL it keeps first-seen and last-fetched times, the HTTP validators (ETag,
Last-Modified), the date the sitemap/feed listed, the content hash and the record id.

A record counts as written only once its part file is committed. The writer's commit is
two-phase: :meth:`ArticleStore.stage` notes which part file a record will land in *before*
the rename, :meth:`ArticleStore.commit_part` promotes those notes *after* it, and
:meth:`ArticleStore.recover` (run start) promotes notes whose part file exists and drops
those whose part never appeared. So a kill at any moment neither loses nor duplicates.
"""

from __future__ import annotations

import sqlite3
import weakref
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from newsclean.output.sqlite import Checkpointer, Transaction, connect_wal, mark_version, no_wait, refuse_newer

#: The layout of ``SCHEMA`` (with ``ADDED_COLUMNS``), kept in the file's ``PRAGMA user_version``:
#: a store of a higher number is refused. Raise it with any change of the layout (``INDEXES`` too).
#: 2 (2026-12-07): ``documents.read_since`` and the index ``articles_scheduled``.
SCHEMA_VERSION = 2

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    url            TEXT PRIMARY KEY,   -- canonical URL
    site           TEXT NOT NULL,
    record_id      TEXT,
    first_seen     TEXT NOT NULL,
    last_fetched   TEXT,
    etag           TEXT,
    last_modified  TEXT,
    listed_date    TEXT,               -- sitemap lastmod / news / feed date at the last fetch
    content_hash   TEXT,               -- of the last version committed to the output
    scheduled_run  TEXT                -- the run that last scheduled a fetch (in-run dedup)
    -- failed fetches (see RetryPolicy); attempts, retry_after and gave_up are added to older stores
);
-- Validators and the listed date are promoted with the record, never before: a change
-- fetched by a killed run must look unfetched to the next one, not "304 Not Modified".
CREATE TABLE IF NOT EXISTS staged (
    url            TEXT NOT NULL,
    part           TEXT NOT NULL,      -- path (relative to the output dir) of the part file
    record_id      TEXT NOT NULL,
    content_hash   TEXT NOT NULL,
    etag           TEXT,
    last_modified  TEXT,
    listed_date    TEXT,
    PRIMARY KEY (url, part)
);
CREATE INDEX IF NOT EXISTS staged_part ON staged(part);
-- HTTP validators of discovery documents (sitemaps, feeds, sections), from finished runs.
CREATE TABLE IF NOT EXISTS documents (
    url            TEXT PRIMARY KEY,
    etag           TEXT,
    last_modified  TEXT,
    read_since     TEXT                -- the --since cutoff it was read under (see validators_hold)
);
"""


#: The longest wait before a failed page is tried again, however often it failed: the doubling
#: went past any date (600 s at the 40th failure in a row: an OverflowError, the failure not
#: recorded); also the highest NEWSCLEAN_RETRY_BACKOFF taken.
LONGEST_RETRY_WAIT = 365 * 24 * 3600

#: Columns for failed fetches: failures in a row, when the next try is due, when given up.
RETRY_COLUMNS = {"attempts": "INTEGER NOT NULL DEFAULT 0", "retry_after": "TEXT", "gave_up": "TEXT"}
#: Columns added after a table's first layout, added to the stores written before them.
ADDED_COLUMNS = {"articles": RETRY_COLUMNS, "documents": {"read_since": "TEXT"}}
#: Made once the tables are checked (on another program's tables of these names they failed first).
INDEXES = (
    "CREATE INDEX IF NOT EXISTS articles_retry ON articles(retry_after) WHERE retry_after IS NOT NULL",
    # a run id given again is looked up by it (scheduled_under), not by reading every article
    "CREATE INDEX IF NOT EXISTS articles_scheduled ON articles(scheduled_run)",
)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """When a page whose fetch failed (fetch error, timeout, cleaning worker crash) is tried
    again: after ``backoff`` seconds, doubled at each failure in a row (at most
    :data:`LONGEST_RETRY_WAIT`), in later runs whether or not a listing names it again; after
    ``max_attempts`` failures in a row it is given up."""

    backoff: float = 600.0
    max_attempts: int = 5

    @classmethod
    def from_settings(cls, settings: object) -> RetryPolicy:
        get = getattr(settings, "get")
        return cls(float(get("NEWSCLEAN_RETRY_BACKOFF", cls.backoff)), int(get("NEWSCLEAN_RETRY_MAX_ATTEMPTS", cls.max_attempts)))

    def after_failure(self, attempts: int, now: datetime) -> tuple[str | None, str | None]:
        """(retry_after, gave_up) stamps after the ``attempts``-th failure in a row."""
        if attempts >= self.max_attempts:
            return None, stamp(now)
        wait = min(self.backoff * 2.0 ** min(attempts - 1, 1023), LONGEST_RETRY_WAIT)
        return stamp(now + timedelta(seconds=wait)), None


def stamp(dt: datetime) -> str:
    """A UTC time in one fixed-width form, so stamps compare as strings (SQL ``<=``)."""
    return dt.astimezone(timezone.utc).isoformat(timespec="seconds")   # strftime's %Y does not pad a year < 1000


@dataclass(frozen=True, slots=True)
class FetchDecision:
    """Whether to fetch an article URL, and the validators for a conditional request."""

    fetch: bool
    reason: str                      # new | changed | retry | in_window | unchanged | too_old | scheduled | backoff | given_up
    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        h = {}
        if self.etag:
            h["If-None-Match"] = self.etag
        if self.last_modified:
            h["If-Modified-Since"] = self.last_modified
        return h


@dataclass(frozen=True, slots=True)
class Fetched:
    """What one fetch of an article told us, recorded whatever came of it."""

    url: str
    site: str
    fetched_at: datetime
    etag: str | None = None
    last_modified: str | None = None
    listed_date: str | None = None


def to_iso(dt: datetime | None) -> str | None:
    """A moment as the state stores it: ISO 8601 in UTC ("+00:00"), None for none. Records write
    theirs with output.iso_utc ("Z"); a store's stamps compare as strings with ``stamp``."""
    return dt.astimezone(timezone.utc).isoformat() if dt else None


def _newer(listed: str | None, stored: str | None) -> bool:
    if not listed or not stored:
        return False
    try:
        a = datetime.fromisoformat(listed.replace("Z", "+00:00"))
        b = datetime.fromisoformat(stored.replace("Z", "+00:00"))
    except ValueError:
        return False
    if a.tzinfo is None:
        a = a.replace(tzinfo=timezone.utc)
    if b.tzinfo is None:
        b = b.replace(tzinfo=timezone.utc)
    return a > b


#: What the store keeps in place of a content hash for a page rejected as published before the
#: run's --since window, followed by ":" and the stamp of when it was published (see rejected_settle).
TOO_OLD_SETTLE = "reject:too_old"


def rejected_settle(reason: str, published: datetime | None = None) -> str:
    """What the store keeps, in place of a content hash, of a page rejected for ``reason`` (and
    not tried again: see OutputPipeline.TRANSIENT). Of a ``too_old`` page it keeps when the page
    was published (``published``: as --since reads it), so that a later run whose window reaches
    back to then fetches it again (:func:`decide`) and no other run does."""
    if reason != "too_old" or published is None:
        return f"reject:{reason}"
    try:
        return f"{TOO_OLD_SETTLE}:{stamp(published)}"
    except OverflowError:   # a date in the first hours of the year 1: inside no window
        return f"{TOO_OLD_SETTLE}:0001-01-01T00:00:00+00:00"


def _in_window(row: dict[str, str | None], cutoff: datetime | None) -> bool:
    """Whether a page settled as too_old is inside a window starting at ``cutoff`` (None: no
    window): published at or after it. A store written before the date was kept (2026-12-07)
    holds "reject:too_old" alone: the page was published before the cutoff of the run that
    rejected it, so before its fetch; only a window reaching back past the last fetch may take it
    in (it is fetched once, and its date kept). String comparison: stamps and ISO UTC times."""
    if cutoff is None:
        return True
    published = (row.get("content_hash") or "")[len(TOO_OLD_SETTLE) + 1:]
    return (published or row.get("last_fetched") or "") >= stamp(cutoff)


def decide(row: dict[str, str | None] | None, listed: str | None, run_id: str,
           now: datetime | None = None, cutoff: datetime | None = None) -> FetchDecision:
    """Skip / fetch / refetch for one article, from what the store holds about it. ``cutoff``:
    the start of the run's --since window (None: no window).

    The one place this policy lives; every store implementation calls it.
    """
    if row is None:
        return FetchDecision(True, "new")
    if row.get("scheduled_run") == run_id:
        return FetchDecision(False, "scheduled")        # twice in one crawl: once
    if row.get("retry_after"):                          # the last fetch failed
        if row["retry_after"] > stamp(now or datetime.now(timezone.utc)):
            return FetchDecision(False, "backoff")
        return FetchDecision(True, "retry", row.get("etag"), row.get("last_modified"))
    settled = row.get("content_hash")
    if settled is None:
        if row.get("gave_up"):
            return FetchDecision(False, "given_up")     # failed too often in a row
        return FetchDecision(True, "retry")             # seen before, never committed
    too_old = settled.startswith(TOO_OLD_SETTLE)
    if too_old and _in_window(row, cutoff):
        # rejected only for an earlier run's narrower window. No validators: a 304 would leave
        # nothing to write (the page was never written), and this page is to be cleaned.
        return FetchDecision(True, "in_window")
    if _newer(listed, row.get("listed_date") or row.get("last_fetched")):
        return FetchDecision(True, "changed", row.get("etag"), row.get("last_modified"))
    return FetchDecision(False, "too_old" if too_old else "unchanged")


def validators_hold(read_since: str | None, cutoff: datetime | None) -> bool:
    """Whether the validators of a discovery document saved by a run that read it under the
    --since cutoff ``read_since`` (a stamp; "" for none) may be sent by a run of ``cutoff``: only
    when that run passed over no entry this run's window takes in (its cutoff no later than this
    one's). Else the document is fetched whole: a 304 would hide the entries of the wider window
    (the operator's backfill). None: saved before the cutoff was kept (2026-12-07), not known."""
    return read_since is not None and since_stamp(cutoff) >= read_since


def since_stamp(cutoff: datetime | None) -> str:
    """How a discovery document's entry keeps the --since cutoff it was read under: its stamp,
    "" for none (every entry taken, which any later run's window may rely on)."""
    return stamp(cutoff) if cutoff else ""


def scheduled_under(path: Path, run_id: str) -> int:
    """How many articles the store at ``path`` holds scheduled by the run ``run_id`` (read only;
    0 when there is no store or it cannot be read: opening it says why). A run killed before its
    first part leaves these alone: no manifest, no part, but a run of that id would skip them as
    its own ("scheduled"), and they waited for a run of another id."""
    if not path.is_file():
        return 0
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1)
        try:
            return db.execute("SELECT COUNT(*) FROM articles WHERE scheduled_run = ?", (run_id,)).fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:
        return 0


class ArticleStore(ABC):
    """Decides skip / fetch / refetch per canonical URL and remembers what was written."""

    @abstractmethod
    def should_fetch(self, url: str, site: str, listed_date: datetime | None, run_id: str,
                     cutoff: datetime | None = None) -> FetchDecision:
        """Decide for one article URL (:func:`decide`; ``cutoff``: the start of the run's --since
        window); marks it scheduled for ``run_id`` when the answer is yes."""

    def should_fetch_many(self, urls: Sequence[tuple[str, str, datetime | None]], run_id: str,
                          cutoff: datetime | None = None) -> list[FetchDecision]:
        """:meth:`should_fetch` for several (url, site, listed_date), answers in order. Stores
        with a round trip per question (Redis) answer a batch at once."""
        return [self.should_fetch(url, site, listed, run_id, cutoff) for url, site, listed in urls]

    @abstractmethod
    def record_fetch(self, fetched: Fetched, *, unchanged: bool) -> None:
        """Note a fetch. ``unchanged`` (a 304, or the same content hash): nothing will be
        written, so the validators and listed date are current now; otherwise they wait
        for the record's commit (:meth:`stage`)."""

    @abstractmethod
    def content_hash(self, url: str) -> str | None:
        """Hash of the last committed version of ``url``."""

    @abstractmethod
    def record_failure(self, url: str, site: str, policy: RetryPolicy, now: datetime) -> bool:
        """The fetch of article ``url`` failed: schedule its retry (:class:`RetryPolicy`).
        Returns True when it is given up. A later commit or unchanged fetch clears it."""

    @abstractmethod
    def due_retries(self, site: str, now: datetime, limit: int = 10_000) -> list[str]:
        """Article URLs of ``site`` whose retry is due: fetched by the next run even when no
        listing names them again (their sitemap or feed may answer 304)."""

    @abstractmethod
    def stage(self, part: str, record_id: str, content_hash: str, fetched: Fetched) -> None:
        """Before a part file is renamed into view: note a record it will hold."""

    @abstractmethod
    def commit_part(self, part: str) -> int:
        """After the rename: the part's records are written. Returns how many."""

    @abstractmethod
    def recover(self, exclude_run: str | None = None) -> tuple[int, int]:
        """At run start: promote staged records whose part exists, drop the others —
        except the parts of ``exclude_run`` (the current run's, still being written).
        Returns (promoted, dropped)."""

    @abstractmethod
    def document_validators(self, url: str, cutoff: datetime | None = None) -> tuple[str | None, str | None]:
        """(ETag, Last-Modified) of a discovery document, from the last finished run that read it;
        none when that run's --since window was narrower than this one's (``cutoff``: its start,
        None for no window; see :func:`validators_hold`)."""

    @abstractmethod
    def save_document_validators(self, validators: dict[str, tuple[str | None, str | None]],
                                 cutoff: datetime | None = None) -> None:
        """Of the discovery documents this run read (under the --since ``cutoff``), at its end."""

    def flush(self) -> None:
        """Write what is noted but not yet written (stores that batch their writes). Called
        before a part file is committed: the records it holds must be staged first."""

    def taken(self, url: str) -> None:
        """``url``, just claimed by :meth:`should_fetch`, is being handled without a queued
        request (a start URL that is an article). Only shared stores that track claims need it."""

    def settled(self, url: str) -> None:
        """The fetch of ``url`` is over with nothing to commit (failed, or a transient reject).
        Only shared stores that track in-flight work across workers need it."""

    def stop_waiting(self) -> None:
        """The run is stopping because another program holds the store locked: later writes
        fail at once, not each after the busy timeout (5 s a page still in the pipeline)."""

    @abstractmethod
    def count(self) -> int: ...

    @abstractmethod
    def close(self) -> None: ...


def _check_columns(db: sqlite3.Connection) -> None:
    """Raise sqlite3.DatabaseError when a table of ``SCHEMA`` lacks a column of it: a store of
    other tables by these names (another program's, a hand-made one) was opened, every query of
    the crawl failed on it (a traceback a page) and the run went on as if no page were known."""
    model = sqlite3.connect(":memory:")
    model.executescript(SCHEMA)
    for (table,) in model.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        want = {r[1] for r in model.execute(f"PRAGMA table_info({table})")}
        missing = sorted(want - {r[1] for r in db.execute(f"PRAGMA table_info({table})")})
        if missing:
            raise sqlite3.DatabaseError(f"its table {table} has no column {', '.join(missing)}")
    model.close()


#: The open SQLite stores of each file (resolved path) in this process: the crawls of one run.
_OPEN_STORES: dict[Path, weakref.WeakSet[SqliteArticleStore]] = {}


class SqliteArticleStore(ArticleStore):
    """The embedded store: ``<output>/state/articles.sqlite3`` in WAL mode.

    The notes of each fetch (:meth:`record_fetch`) and of each record's part (:meth:`stage`)
    are written in batches of :attr:`BATCH`, one transaction each (a commit per statement
    was most of their cost on the reactor thread), and always before a part is committed
    (:meth:`flush`, called by the output before the rename; :meth:`commit_part` and
    :meth:`recover` flush first). What a killed run had not written is what its next run
    does not know it fetched: it fetches it again.
    """

    #: Fetch and stage notes held before they are written in one transaction.
    BATCH = 64

    def __init__(self, path: Path | str, *, root: Path | str | None = None) -> None:
        self.path = Path(path)
        self.root = Path(root) if root is not None else self.path.parent.parent
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = connect_wal(self.path)   # checkpoints off the reactor thread (output.sqlite)
        refuse_newer(self.db, SCHEMA_VERSION)
        self.db.executescript(SCHEMA)
        for table, columns in ADDED_COLUMNS.items():   # stores written before these columns existed
            have = {r[1] for r in self.db.execute(f"PRAGMA table_info({table})")}
            for name, decl in columns.items():
                if name not in have:
                    self.db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {decl}")
        _check_columns(self.db)
        for index in INDEXES:
            self.db.execute(index)
        mark_version(self.db, SCHEMA_VERSION)
        self._checkpointer = Checkpointer(self.path)
        self._unwritten: list[tuple[str, Any]] = []   # (statement, parameters), in order
        self._open = _OPEN_STORES.setdefault(self.path.resolve(), weakref.WeakSet())
        self._open.add(self)

    def _later(self, sql: str, params: Any) -> None:
        self._unwritten.append((sql, params))
        if len(self._unwritten) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        if not self._unwritten:
            return
        with self._tx():
            for sql, params in self._unwritten:
                self.db.execute(sql, params)
        self._unwritten.clear()

    _COLUMNS = ("content_hash", "listed_date", "last_fetched", "etag", "last_modified", "scheduled_run",
                "retry_after", "gave_up")
    _CLEAR_RETRY = "attempts = 0, retry_after = NULL, gave_up = NULL"

    def should_fetch(self, url: str, site: str, listed_date: datetime | None, run_id: str,
                     cutoff: datetime | None = None) -> FetchDecision:
        found = self.db.execute(f"SELECT {', '.join(self._COLUMNS)} FROM articles WHERE url = ?", (url,)).fetchone()
        decision = decide(dict(zip(self._COLUMNS, found)) if found else None, to_iso(listed_date), run_id,
                          cutoff=cutoff)
        if found is None:
            self.db.execute("INSERT INTO articles (url, site, first_seen, scheduled_run) VALUES (?, ?, ?, ?)",
                            (url, site, to_iso(datetime.now(timezone.utc)), run_id))
        elif decision.fetch:
            self.db.execute("UPDATE articles SET scheduled_run = ? WHERE url = ?", (run_id, url))
        return decision

    def record_fetch(self, fetched: Fetched, *, unchanged: bool) -> None:
        params = {"url": fetched.url, "site": fetched.site, "now": to_iso(fetched.fetched_at),
                  "etag": fetched.etag, "lm": fetched.last_modified, "listed": fetched.listed_date}
        self._later("INSERT INTO articles (url, site, first_seen, last_fetched) VALUES (:url, :site, :now, :now)"
                    " ON CONFLICT(url) DO UPDATE SET last_fetched = :now", params)
        if unchanged:
            self._later("UPDATE articles SET etag = COALESCE(:etag, etag),"
                        " last_modified = COALESCE(:lm, last_modified),"
                        f" listed_date = COALESCE(:listed, listed_date), {self._CLEAR_RETRY} WHERE url = :url",
                        params)

    def record_failure(self, url: str, site: str, policy: RetryPolicy, now: datetime) -> bool:
        self.flush()   # in order with this URL's earlier notes
        row = self.db.execute("SELECT attempts FROM articles WHERE url = ?", (url,)).fetchone()
        attempts = (row[0] if row else 0) + 1
        retry_after, gave_up = policy.after_failure(attempts, now)
        self.db.execute("INSERT INTO articles (url, site, first_seen, attempts, retry_after, gave_up)"
                        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET attempts = excluded.attempts,"
                        " retry_after = excluded.retry_after, gave_up = excluded.gave_up",
                        (url, site, stamp(now), attempts, retry_after, gave_up))
        return gave_up is not None

    def due_retries(self, site: str, now: datetime, limit: int = 10_000) -> list[str]:
        self.flush()
        return [r[0] for r in self.db.execute(
            "SELECT url FROM articles WHERE retry_after IS NOT NULL AND retry_after <= ? AND site = ?"
            " ORDER BY retry_after LIMIT ?", (stamp(now), site, limit))]

    def content_hash(self, url: str) -> str | None:
        row = self.db.execute("SELECT content_hash FROM articles WHERE url = ?", (url,)).fetchone()
        return row[0] if row else None

    def stage(self, part: str, record_id: str, content_hash: str, fetched: Fetched) -> None:
        self._later(
            "INSERT OR REPLACE INTO staged (url, part, record_id, content_hash, etag, last_modified, listed_date)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (fetched.url, part, record_id, content_hash, fetched.etag, fetched.last_modified, fetched.listed_date))

    def commit_part(self, part: str) -> int:
        self.flush()
        with self._tx():
            n = self.db.execute(
                "UPDATE articles SET content_hash = s.content_hash, record_id = s.record_id,"
                " etag = s.etag, last_modified = s.last_modified,"
                f" listed_date = COALESCE(s.listed_date, articles.listed_date), {self._CLEAR_RETRY}"
                " FROM staged AS s WHERE s.part = ? AND articles.url = s.url", (part,)).rowcount
            self.db.execute("DELETE FROM staged WHERE part = ?", (part,))
        return n

    def recover(self, exclude_run: str | None = None) -> tuple[int, int]:
        self.flush()
        promoted = dropped = 0
        parts = [r[0] for r in self.db.execute("SELECT DISTINCT part FROM staged").fetchall()]
        for part in parts:
            if exclude_run and f"part-{exclude_run}-" in part:
                continue
            if (self.root / part).exists():
                promoted += self.commit_part(part)
            else:
                with self._tx():
                    dropped += self.db.execute("DELETE FROM staged WHERE part = ?", (part,)).rowcount
        return promoted, dropped

    def document_validators(self, url: str, cutoff: datetime | None = None) -> tuple[str | None, str | None]:
        row = self.db.execute("SELECT etag, last_modified, read_since FROM documents WHERE url = ?", (url,)).fetchone()
        return (row[0], row[1]) if row and validators_hold(row[2], cutoff) else (None, None)

    def save_document_validators(self, validators: dict[str, tuple[str | None, str | None]],
                                 cutoff: datetime | None = None) -> None:
        since = since_stamp(cutoff)
        with self._tx():
            self.db.executemany("INSERT OR REPLACE INTO documents (url, etag, last_modified, read_since) VALUES (?, ?, ?, ?)",
                                [(u, e, lm, since) for u, (e, lm) in validators.items()])

    def stop_waiting(self) -> None:
        """This store's later writes fail at once when the file is locked, and so do those of every
        store of the file open in this process: the other crawls of a ``crawl --all`` run each
        waited the 5 s busy timeout at their next write before they stopped too."""
        no_wait(store.db for store in [self, *self._open])

    def count(self) -> int:
        self.flush()
        return self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    def close(self) -> None:
        self._open.discard(self)
        try:
            self.flush()
        finally:
            try:
                self._checkpointer.close(self.db)
            finally:   # a checkpoint that raised left the connection open, the file's locks held
                self.db.close()

    def _tx(self) -> Transaction:
        return Transaction(self.db)
