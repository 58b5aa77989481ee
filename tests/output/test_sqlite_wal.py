"""newsclean.output.sqlite: commits on the writing thread never checkpoint; a thread of its own does."""

from __future__ import annotations

import errno
import os
import sqlite3
import time
from pathlib import Path

import pytest

from newsclean.crawler.state.store import SqliteArticleStore
from newsclean.output.dedup import DedupIndex
from newsclean.output.sqlite import (CACHE_KIB, Checkpointer, Transaction, connect_wal, is_disk_full, is_locked,
                                     limit_note, size_limit_note)


def _wal(path: Path) -> int:
    wal = path.with_name(path.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


def test_commits_leave_checkpoints_to_the_thread(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite3"
    db = connect_wal(path)
    db.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)")
    idle = Checkpointer(path, interval=3600)        # does not run during the writes
    for _ in range(300):                            # ~1,200 pages: past SQLite's default autocheckpoint (1,000)
        db.execute("BEGIN")
        db.execute("INSERT INTO t (v) VALUES (?)", (os.urandom(16_000),))
        db.execute("COMMIT")
    assert path.stat().st_size < 100_000            # no commit folded the log into the file
    assert _wal(path) > 4_000_000
    idle.close()

    busy = Checkpointer(path, interval=0.05)
    deadline = time.monotonic() + 20
    while path.stat().st_size < 4_000_000 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert path.stat().st_size >= 4_000_000         # the thread copied the log into the file
    busy.close(db)
    assert _wal(path) == 0                          # closing truncates the log
    assert db.execute("SELECT COUNT(*) FROM t").fetchone()[0] == 300
    db.close()


def test_the_crawl_databases_use_it(tmp_path: Path) -> None:
    store = SqliteArticleStore(tmp_path / "state" / "articles.sqlite3")
    index = DedupIndex(tmp_path / "state" / "dedup.sqlite3")
    try:
        for db in (store.db, index.entries.db):
            assert db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        store.close()
        index.close()
    assert _wal(tmp_path / "state" / "articles.sqlite3") == 0 and _wal(tmp_path / "state" / "dedup.sqlite3") == 0


def test_the_crawl_databases_keep_a_small_page_cache(tmp_path: Path) -> None:
    """The article store and the dedup index stay open for a whole crawl: with SQLite's default
    cache (2,000 KiB each) the crawl's main process grew with them, 4.35 MB at 12,000 URLs."""
    store = SqliteArticleStore(tmp_path / "state" / "articles.sqlite3")
    index = DedupIndex(tmp_path / "state" / "dedup.sqlite3")
    try:
        for db in (store.db, index.entries.db):
            assert db.execute("PRAGMA cache_size").fetchone()[0] == -CACHE_KIB
        assert CACHE_KIB < 2000
    finally:
        store.close()
        index.close()


def test_a_transaction_whose_commit_fails_is_rolled_back(tmp_path: Path) -> None:
    # COMMIT itself can fail (a full disk: in WAL mode the pages are written then; here a
    # deferred foreign key): the connection must not be left inside the failed transaction,
    # where every later BEGIN fails ("cannot start a transaction within a transaction").
    import sqlite3

    import pytest

    db = connect_wal(tmp_path / "t.sqlite3")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
    db.execute("CREATE TABLE child (parent INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)")
    with pytest.raises(sqlite3.IntegrityError), Transaction(db):
        db.execute("INSERT INTO child VALUES (1)")
    assert not db.in_transaction
    with Transaction(db):
        db.execute("INSERT INTO parent VALUES (1)")
        db.execute("INSERT INTO child VALUES (1)")
    assert db.execute("SELECT COUNT(*) FROM child").fetchone()[0] == 1
    # an error after SQLite ended the transaction itself is the error raised, not ROLLBACK's
    with pytest.raises(ZeroDivisionError), Transaction(db):
        db.execute("COMMIT")
        1 / 0  # noqa: B018
    db.close()


def _raised_from(inner: BaseException) -> BaseException:
    """``inner`` wrapped as the store and the dedup index wrap SQLite's and the OS's errors."""
    try:
        try:
            raise inner
        except BaseException as e:
            raise RuntimeError("article store: write failed") from e
    except RuntimeError as outer:
        return outer


def test_errors_are_told_apart_through_what_they_were_raised_from(tmp_path: Path) -> None:
    # a real "database is locked": another connection holds the write lock, this one waits 0 s
    path = tmp_path / "s.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    waiter = sqlite3.connect(path, timeout=0)
    try:
        waiter.execute("INSERT INTO t VALUES (1)")
    except sqlite3.OperationalError as e:
        locked = e
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        waiter.close()
    full = OSError(errno.ENOSPC, "No space left on device")
    assert is_locked(_raised_from(locked)) and not is_disk_full(_raised_from(locked))
    assert is_disk_full(_raised_from(full)) and not is_locked(_raised_from(full))
    assert not is_locked(None) and not is_disk_full(None) and not is_disk_full(_raised_from(ValueError("x")))
    # no file size limit in the test process: a refused write is not told as one
    assert size_limit_note(_raised_from(OSError(errno.EFBIG, "File too large"))) == ""


def _io_error(code: int) -> sqlite3.OperationalError:
    """SQLite's error of extended code ``code``, as the module raises it."""
    exc = sqlite3.OperationalError("disk I/O error")
    exc.sqlite_errorcode = code   # type: ignore[attr-defined]
    return exc


def test_the_file_size_limit_is_said_only_where_it_refused_the_write(tmp_path: Path) -> None:
    # before: under any `ulimit -f` every SQLite I/O error (a read, a lock, the shared memory's
    # map, a write failing for another reason) read as the limit: 'disk full (...) (files may not
    # grow past N KB here: ulimit -f)'. Now: EFBIG, or SQLite's code for a refused write while a
    # file the process holds open is at the limit. A real refusal: a WAL grown to the limit.
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    limit = 2 * 1024 * 1024 + 4321   # no other file of the test process is this size
    note = limit_note(limit)
    assert f" {limit // 1024} KB" in note   # the user is told the limit, whatever the wording around it
    path = tmp_path / "s.sqlite3"
    db = connect_wal(path)
    db.execute("CREATE TABLE t (x BLOB)")
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        # no file at the limit: a write's I/O error is not the limit's (a failing disk)
        assert size_limit_note(_raised_from(_io_error(sqlite3.SQLITE_IOERR_WRITE))) == ""
        assert not is_disk_full(_raised_from(_io_error(sqlite3.SQLITE_IOERR_WRITE)))
        refused = None
        for _ in range(2000):
            try:
                db.execute("INSERT INTO t VALUES (?)", (os.urandom(3000),))
            except sqlite3.Error as exc:
                refused = exc
                break
        assert refused is not None and limit - 64 * 1024 <= _wal(path) <= limit, (refused, _wal(path))
        assert size_limit_note(_raised_from(refused)) == note and is_disk_full(_raised_from(refused))
        assert size_limit_note(_raised_from(OSError(errno.EFBIG, "File too large"))) == note
        # the WAL at the limit, still open: an error of another kind is still not the limit's
        for code in (sqlite3.SQLITE_IOERR_READ, sqlite3.SQLITE_IOERR_SHMMAP, sqlite3.SQLITE_IOERR_LOCK,
                     sqlite3.SQLITE_IOERR_FSYNC):
            assert size_limit_note(_raised_from(_io_error(code))) == "", code
            assert not is_disk_full(_raised_from(_io_error(code))), code
        assert size_limit_note(_raised_from(OSError(errno.EIO, "Input/output error"))) == ""
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        db.close()


def test_a_close_whose_checkpoint_raises_still_closes_the_connection(tmp_path: Path) -> None:
    # A read of the connection left unfinished makes the close's TRUNCATE checkpoint raise
    # ('database table is locked'). Before: the article store's and the dedup index's close raised
    # with their connection left open (its file's locks held for the rest of the process).
    store = SqliteArticleStore(tmp_path / "state" / "articles.sqlite3")
    index = DedupIndex(tmp_path / "state" / "dedup.sqlite3")
    for close, db in ((store.close, store.db), (index.close, index.entries.db)):
        unfinished = db.execute("SELECT name FROM sqlite_master")
        assert unfinished.fetchone() is not None
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            close()
        with pytest.raises(sqlite3.ProgrammingError, match="closed"):
            db.execute("SELECT 1")
    again = DedupIndex(tmp_path / "state" / "dedup.sqlite3")   # the files open again
    again.close()
    SqliteArticleStore(tmp_path / "state" / "articles.sqlite3").close()


def test_a_state_file_found_locked_stops_every_connection_of_the_process_to_it_waiting(tmp_path: Path) -> None:
    # crawl --all: each site's crawl has its own connections to the run's state files. Before: the
    # crawl that met the lock stopped waiting; every other open crawl still waited its 5 s busy
    # timeout once, at its next write, before it stopped too.
    state = tmp_path / "state"

    def timeout(db: sqlite3.Connection) -> int:
        return db.execute("PRAGMA busy_timeout").fetchone()[0]

    stores = [SqliteArticleStore(state / "articles.sqlite3") for _ in range(3)]
    indexes = [DedupIndex(state / "dedup.sqlite3", batch=4, background=True) for _ in range(3)]
    elsewhere = [SqliteArticleStore(tmp_path / "x" / "articles.sqlite3"), DedupIndex(tmp_path / "x" / "dedup.sqlite3")]
    stores[2].close()
    indexes[2].close()                                  # a crawl that ended: nothing to tell
    try:
        stores[0].stop_waiting()
        indexes[1].stop_waiting()
        assert [timeout(s.db) for s in stores[:2]] == [0, 0]
        assert [(timeout(i.entries.db), i.entries._stopped_waiting.is_set()) for i in indexes[:2]] == [(0, True), (0, True)]
        assert [timeout(elsewhere[0].db), timeout(elsewhere[1].entries.db)] == [5000, 5000]   # other files
        later = SqliteArticleStore(state / "articles.sqlite3"), DedupIndex(state / "dedup.sqlite3")
        assert [timeout(later[0].db), timeout(later[1].entries.db)] == [5000, 5000]   # opened after: waits
        for closing in later:
            closing.close()
    finally:
        for closing in [*stores[:2], *indexes[:2], *elsewhere]:
            closing.close()


def test_a_background_write_waiting_for_the_lock_stops_when_another_crawl_is_told_to(tmp_path: Path) -> None:
    # crawl --all: crawl A's background write of the index waits for the lock an sqlite3 shell
    # holds; crawl B meets the lock and stops every connection to the file waiting. Before: A's
    # write, already in SQLite's busy wait (which neither a PRAGMA from another thread nor
    # Connection.interrupt() ends), waited its 5 s out, once.
    import threading

    from newsclean.output import dedup

    path = tmp_path / "state" / "dedup.sqlite3"
    a, b = (DedupIndex(path, batch=2, background=True) for _ in range(2))
    pauses: list[bool] = []   # A's write's pauses between two tries that met the lock: ended by the stop?
    waiting = threading.Event()

    class Watched(threading.Event):
        def wait(self, timeout: float | None = None) -> bool:
            waiting.set()
            stopped = super().wait(timeout)
            pauses.append(stopped)
            return stopped

    a.entries._stopped_waiting = Watched()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")                      # the shell's write lock, held throughout
    try:
        for i in range(2):                                # a full batch: written in the background
            a.observe(f"{i:032x}", f"h{i}", f"story number {i} " * 40, run_id="r1", site="s")
        write = dedup._WRITING[path.resolve()]
        assert waiting.wait(60), "the background write never met the lock"
        b.stop_waiting()                                  # crawl B met the lock
        write.wait()
        assert is_locked(write.error), write.error
        # ended by the stop, no try after it; a wait run out would end on a pause that was not stopped
        assert pauses[-1] and not any(pauses[:-1]), pauses
        assert len(a.entries._unwritten) == 2             # left for the next write
    finally:
        other.close()
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        a.flush()                                         # the write's error, raised on the caller's thread
    a.flush()                                             # the lock gone: written
    assert a.count() == 2
    for index in (a, b):
        index.close()
