"""Where a run's state lives, from the settings: the article store and learned templates."""

from __future__ import annotations

import errno
import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Any, NoReturn

from newsclean.crawler.components.health import disk_full_error, locked_error
from newsclean.crawler.state.lock import LockedError
from newsclean.crawler.state.store import ArticleStore, SqliteArticleStore
from newsclean.output import OutputError
from newsclean.output.sqlite import NewerVersionError, is_disk_full, is_locked, primary_code, size_limit_note


def state_dir(settings: Any) -> Path | None:
    """``NEWSCLEAN_STATE_DIR``, else ``<NEWSCLEAN_OUTPUT_DIR>/state``, else None (stateless)."""
    if settings.get("NEWSCLEAN_STATE_DIR"):
        return Path(settings["NEWSCLEAN_STATE_DIR"])
    if settings.get("NEWSCLEAN_OUTPUT_DIR"):
        return Path(settings["NEWSCLEAN_OUTPUT_DIR"]) / "state"
    return None


def open_store(settings: Any) -> ArticleStore | None:
    """The article store for this run; None without an output or state directory
    (plain ``scrapy crawl site -O out.jsonl`` fetches everything, remembers nothing)."""
    if not settings.getbool("NEWSCLEAN_STORE_ENABLED", True):
        return None
    directory = state_dir(settings)
    if directory is None:
        return None
    root = Path(settings["NEWSCLEAN_OUTPUT_DIR"]) if settings.get("NEWSCLEAN_OUTPUT_DIR") else directory.parent
    from newsclean.crawler.state.redis_state import open_redis_store, redis_url

    if redis_url(settings):
        return open_redis_store(settings, str(root))
    return SqliteArticleStore(directory / "articles.sqlite3", root=root)


class StateError(Exception):
    """The run's state cannot be opened (a file that is not SQLite, a state path that is a file):
    one line, naming the file, before the crawl starts."""


def check_state(settings: Any) -> None:
    """Open and close what a crawl with ``settings`` opens of its state (the article store, the
    duplicate index), so that state it cannot use is said as one line before Scrapy starts: in
    the crawl it was a traceback, or a run that 'ended with None'. Raises StateError (Redis:
    RedisUnavailable; a disk too full to open them: OutputError; a file another program holds
    locked: LockedError)."""
    from newsclean.crawler.state.redis_state import check_writable, connect, namespace, redis_url
    from newsclean.output.dedup import DedupIndex, DedupIndexError

    directory = state_dir(settings)
    if directory is None:
        return
    if (url := redis_url(settings)):   # the store and the index are there: connected to and written
        # once only (opening the store would take the crawl's id before the crawl does)
        check_writable(connect(url), url, namespace(settings))
        return
    opens = [(directory / "articles.sqlite3", open_store)]
    if settings.getbool("NEWSCLEAN_DEDUP_ENABLED", True):
        opens.append((directory / "dedup.sqlite3", lambda _: DedupIndex(directory / "dedup.sqlite3").entries))
    for path, opener in opens:
        try:
            opened = opener(settings)
            if opened is not None:
                try:
                    _check_unlocked(opened.db)
                finally:
                    opened.close()
        except (sqlite3.DatabaseError, OSError, DedupIndexError) as exc:
            if is_locked(exc):   # exit 3, as when another run holds the output directory
                raise LockedError(locked_error(path)) from None
            if _out_of_room(exc, directory):   # said as a full disk mid-run is, not as a usage error
                raise OutputError(errno.ENOSPC, f"{disk_full_error(path, size_limit_note(exc))}; no manifest written") from None
            _refuse(exc, path)


def _check_unlocked(db: sqlite3.Connection) -> None:
    """Take and drop the write lock of ``db``'s file: sqlite3.OperationalError (SQLITE_BUSY, after
    the connection's busy timeout) when another program holds it, an sqlite3 shell or a database
    browser left in a transaction. The crawl ran on, each write of its state failing after its
    wait (tracebacks in the log), and ended 'ok'. (No other newsclean run: its run lock is held.)"""
    try:
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        db.execute("PRAGMA busy_timeout=0")   # its close's checkpoint need not wait again
        raise
    db.execute("ROLLBACK")


def locked_state_file(settings: Any) -> Path | None:
    """The state file of ``settings`` whose write lock another program holds now (each file's
    lock taken and dropped at once, not waited for), or None. The error of a write that found it
    locked mid-run names no file."""
    directory = state_dir(settings)
    if directory is None:
        return None
    for path in sorted(directory.glob("*.sqlite3")):
        try:
            db = sqlite3.connect(path, timeout=0, isolation_level=None)
        except sqlite3.Error:
            continue
        try:
            _check_unlocked(db)
        except sqlite3.Error as exc:
            if is_locked(exc):
                return path
        finally:
            db.close()
    return None


def _refuse(exc: BaseException, path: Path) -> NoReturn:
    """The state at ``path`` cannot be used: StateError, one line."""
    if isinstance(exc, NewerVersionError):   # newsclean's, of a later version
        raise StateError(f"state {path}: {exc}") from None
    if isinstance(exc, sqlite3.DatabaseError):
        if primary_code(exc) in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY) \
                and (why := _unwritable(path.parent)):
            # a read-only state directory was "unable to open database file (not the database
            # newsclean keeps there)", as if the file were someone else's
            raise StateError(f"state {path.parent}: cannot write there: {why}") from None
        raise StateError(f"state {path}: {exc} (not the database newsclean keeps there)") from None
    if isinstance(exc, OSError):
        raise StateError(f"state {exc.filename or path}: {exc.strerror or exc}") from None
    raise StateError(f"state {exc}") from None   # DedupIndexError: it names the file


def _unwritable(directory: Path) -> str | None:
    """Why no file can be written in ``directory`` (its reason, lower case), or None."""
    try:
        with tempfile.TemporaryFile(dir=directory):
            return None
    except OSError as exc:
        return (exc.strerror or str(exc)).lower()


#: Free bytes under which an I/O error of SQLite is taken for a full disk (SQLite says "disk I/O
#: error", not "disk is full", when the shared-memory file of WAL mode finds no room).
_NEARLY_FULL = 1 << 20


def _out_of_room(exc: BaseException, directory: Path) -> bool:
    """Whether opening the state failed for want of disk space."""
    if is_disk_full(exc):
        return True
    if not (isinstance(exc, sqlite3.Error) and primary_code(exc) == sqlite3.SQLITE_IOERR):
        return False
    try:
        return shutil.disk_usage(directory).free < _NEARLY_FULL
    except OSError:
        return False
