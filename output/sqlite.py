"""SQLite files written from a latency-sensitive thread (Scrapy's reactor): checkpoints off it.

A WAL checkpoint copies the log into the database file and, with ``synchronous=NORMAL``,
fsyncs it. SQLite runs one inside whichever commit crosses ``wal_autocheckpoint`` pages: on
the reactor thread, where a slow disk turned a commit of the dedup index into a 0.8 s stall
(20,000-page benchmark, 20 stalls over 200 ms). Here the writing connection never
checkpoints; a daemon thread with its own connection runs a PASSIVE checkpoint (it never
waits for, nor blocks, the writer) every ``interval`` seconds, and closing truncates the log.

Plain Python: never imports Scrapy or ``crawler``.
"""

from __future__ import annotations

import errno
import itertools
import logging
import os
import resource
import sqlite3
import stat
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

logger = logging.getLogger(__name__)

#: Seconds between background checkpoints: the log holds about this long of writes.
CHECKPOINT_EVERY = 1.0
#: Page cache of a connection, in KiB (SQLite's default is 2,000). A crawl holds two files (the
#: article store, the dedup index) open for its whole run, and their caches filled as the files
#: grew: 4.35 MB of a 12,000-URL crawl's main process against 1.35 MB at this size. Their
#: lookups are by key, their pages in the system's file cache anyway.
CACHE_KIB = 512
#: Seconds a write waits for the lock another connection holds before it fails ("database is
#: locked"): the busy timeout of :func:`connect_wal`'s connections, the wait of :func:`begin_stoppable`.
BUSY_TIMEOUT = 5.0
#: Seconds between two tries of :func:`begin_stoppable` (the last repeated): SQLite's busy handler's.
_BUSY_PAUSES = (0.001, 0.002, 0.005, 0.01, 0.015, 0.02, 0.025, 0.025, 0.025, 0.05, 0.05, 0.1)


class Transaction:
    """``with Transaction(db):`` one write transaction, taken at its start (``BEGIN IMMEDIATE``:
    another connection's writes wait, none fails half-way), rolled back if the block raises.
    With ``stop``: taken by :func:`begin_stoppable`, its wait for the lock ended by ``stop``."""

    def __init__(self, db: sqlite3.Connection, stop: threading.Event | None = None) -> None:
        self.db = db
        self.stop = stop

    def __enter__(self) -> None:
        if self.stop is None:
            self.db.execute("BEGIN IMMEDIATE")
        else:
            begin_stoppable(self.db, self.stop)

    def __exit__(self, exc_type: object, *_: object) -> None:
        if exc_type is None:
            try:
                self.db.execute("COMMIT")
                return
            except BaseException:
                self._rollback()   # a COMMIT that fails (a full disk in WAL mode) may leave it open
                raise
        self._rollback()

    def _rollback(self) -> None:
        # SQLite may have rolled it back already (SQLITE_FULL, IOERR): a ROLLBACK then would
        # raise "no transaction is active" in place of the error that ended it
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")


#: What SQLite and the OS say when no byte more fits (messages survive exceptions re-raised
#: ``from None``, such as the dedup index's).
_FULL_MESSAGES = ("database or disk is full", "No space left on device", "Disk quota exceeded")


def _chain(exc: BaseException | None, most: int = 10) -> Iterator[BaseException]:
    """``exc`` and the exceptions it was raised from (its cause, else its context), ``most`` of
    them: the store's and the index's errors wrap SQLite's and the OS's."""
    while exc is not None and most > 0:
        yield exc
        exc = exc.__cause__ or exc.__context__
        most -= 1


def primary_code(exc: BaseException) -> int:
    """SQLite's primary result code of ``exc`` (its extended code's low byte), 0 if it has none."""
    return (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF


def is_disk_full(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or an exception it was raised from) says the disk or quota is full:
    ENOSPC/EDQUOT from a write, SQLITE_FULL from SQLite; or a file may not grow (the file size
    limit, ``ulimit -f``: see :func:`size_limit_note`)."""
    if size_limit_note(exc):
        return True
    return any(isinstance(e, OSError) and e.errno in (errno.ENOSPC, errno.EDQUOT)
               or isinstance(e, sqlite3.Error) and getattr(e, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
               or any(m in str(e) for m in _FULL_MESSAGES) for e in _chain(exc))


def is_locked(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or an exception it was raised from) is SQLite's "database is locked"
    (SQLITE_BUSY or SQLITE_LOCKED, after the connection's busy timeout): another program holds
    the file's write lock, an sqlite3 shell or a database browser left in a transaction."""
    return any(isinstance(e, sqlite3.OperationalError) and primary_code(e) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
               for e in _chain(exc))


#: SQLite's extended codes for a write the OS refused, as a file size limit refuses them: a write
#: past the limit (IOERR_WRITE: EFBIG), a short one up to it (FULL), a file grown by truncation
#: (IOERR_TRUNCATE) and the shared-memory file grown (IOERR_SHMSIZE).
_REFUSED_GROWTH = frozenset({sqlite3.SQLITE_IOERR_WRITE, sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR_TRUNCATE,
                             sqlite3.SQLITE_IOERR_SHMSIZE})
#: A file that a limit stopped is at most this far below it: the write it refused did not fit
#: (a WAL frame, a page, a 32 KB step of the shared-memory file).
_REFUSED_WITHIN = 64 * 1024


def size_limit_note(exc: BaseException | None) -> str:
    """`` (files may not grow past N KB here: ulimit -f)`` when the process has a file size
    limit and ``exc`` (or what it was raised from) is a write that limit refused: EFBIG from the
    OS, or SQLite's error for a refused write (which reads as a failing disk or a full one: SQLite
    keeps the errno to itself) while a file the process holds open has reached the limit; else "".
    Such a run stops as on a full disk (one line; the next run with room loses nothing): before,
    the store's writes failed one by one (a traceback a page) and the run ended 'ok' without the
    pages. Any other I/O error under a limit (a read, a lock, the shared memory's map, a write
    that failed for another reason) is not said as the limit: it was, limit or not."""
    if exc is None:
        return ""
    limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    if limit == resource.RLIM_INFINITY:
        return ""
    causes = list(_chain(exc))
    if any(isinstance(e, OSError) and e.errno == errno.EFBIG for e in causes) \
            or any(isinstance(e, sqlite3.Error) and getattr(e, "sqlite_errorcode", None) in _REFUSED_GROWTH
                   for e in causes) and _open_file_at(limit):
        return limit_note(limit)
    return ""


def limit_note(limit: int) -> str:
    """What a run stopped by a file size limit of ``limit`` bytes adds to its disk-full line
    (:func:`size_limit_note`): the limit, in KB, and how it is set. Built here alone."""
    return f" (files may not grow past {limit // 1024} KB here: ulimit -f)"


def _open_file_at(limit: int) -> bool:
    """Whether a regular file this process holds open has grown to ``limit`` bytes (up to a refused
    write below it): what a write the limit refused leaves. Where open files cannot be listed
    (no ``/dev/fd``), SQLite's code alone is taken."""
    try:
        fds = os.listdir("/dev/fd")
    except OSError:
        return True
    for fd in fds:
        try:
            st = os.fstat(int(fd))
        except (OSError, ValueError):   # the listing's own descriptor, closed by now
            continue
        if stat.S_ISREG(st.st_mode) and limit - _REFUSED_WITHIN <= st.st_size <= limit:
            return True
    return False


class NewerVersionError(sqlite3.DatabaseError):
    """A file written by a newer newsclean: its schema version (``PRAGMA user_version``) is
    above the one this code writes. Opened without a word, its rows were read and written as
    this version's layout."""


def refuse_newer(db: sqlite3.Connection, version: int) -> None:
    """Raise NewerVersionError when ``db``'s schema version is above ``version``. Called before
    the schema is created or altered: a newer layout is never touched. A file without a version
    (0: new, or written before versions) is taken for today's layout (see :func:`mark_version`)."""
    found = db.execute("PRAGMA user_version").fetchone()[0]
    if found > version:
        raise NewerVersionError(f"written by a newer newsclean (schema version {found}; this one reads "
                                f"{version} and older): upgrade newsclean, or move the file away to start anew")


def mark_version(db: sqlite3.Connection, version: int) -> None:
    """Once the schema of ``version`` is in place: its number in ``db`` (written only when it
    differs, so opening a current file writes nothing)."""
    if db.execute("PRAGMA user_version").fetchone()[0] != version:
        db.execute(f"PRAGMA user_version = {int(version)}")


def connect_wal(path: Path | str) -> sqlite3.Connection:
    """A connection in WAL mode (durable at checkpoints, never corrupt) that leaves
    checkpoints to a :class:`Checkpointer`. ``isolation_level=None``: transactions explicit."""
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
        db.execute("PRAGMA wal_autocheckpoint=0")
        db.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    except BaseException:
        db.close()
        raise
    return db


def no_wait(dbs: Iterable[sqlite3.Connection]) -> None:
    """Writes of these connections fail at once when their file is locked, not after the busy
    timeout (a run stopping because another program holds the file); a closed one is skipped."""
    for db in dbs:
        try:
            db.execute("PRAGMA busy_timeout=0")
        except sqlite3.ProgrammingError:
            pass   # closed already: its file may be the locked one, met at the crawl's end


def begin_stoppable(db: sqlite3.Connection, stop: threading.Event, timeout: float = BUSY_TIMEOUT) -> None:
    """``BEGIN IMMEDIATE`` on ``db`` (busy timeout 0: see :func:`no_wait`), tried again while another
    connection holds the file's lock, as SQLite's busy timeout does, until ``timeout`` seconds
    have passed or ``stop`` is set (at once, from any thread): then the last try's "database is
    locked" is raised. For a thread whose wait another must be able to end: SQLite's own wait
    ends with neither a PRAGMA from another thread (it waits for the connection) nor
    ``Connection.interrupt()`` (tried, SQLite 3.40: the wait ran its 5 s)."""
    deadline = time.monotonic() + timeout
    for i in itertools.count():
        try:
            db.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            left = deadline - time.monotonic()
            if not is_locked(exc) or left <= 0 or stop.wait(min(_BUSY_PAUSES[min(i, len(_BUSY_PAUSES) - 1)], left)):
                raise


class Checkpointer:
    """Checkpoint ``path``'s write-ahead log from a thread of its own until :meth:`close`."""

    def __init__(self, path: Path | str, interval: float = CHECKPOINT_EVERY) -> None:
        self.path = Path(path)
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"checkpoint-{self.path.name}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        failed = False
        try:
            while not self._stop.wait(self.interval):
                try:
                    db.execute("PRAGMA wal_checkpoint(PASSIVE)")
                    failed = False
                except sqlite3.Error as exc:   # the log keeps every write: retried next time
                    if not failed:
                        logger.warning("%s: checkpoint failed, will retry: %s", self.path, exc)
                    failed = True
        finally:
            db.close()

    def close(self, db: sqlite3.Connection | None = None) -> None:
        """Stop the thread; with the writer's connection ``db``, fold the whole log into the
        file (TRUNCATE), so a finished run leaves no WAL behind."""
        self._stop.set()
        self._thread.join(self.interval + 5)
        if db is not None:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
