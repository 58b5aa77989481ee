"""Crash-safe JSONL part files: write to a dot-prefixed temp file, fsync, rename when complete."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import gzip
import os
import re
import shutil
import socket
import stat
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, BinaryIO

import orjson
import zstandard

from newsclean.output.reader import is_temp_part

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
_CAUSES = {
    errno.ENOSPC: "disk full",
    errno.EDQUOT: "disk quota exceeded",
    errno.EROFS: "read-only file system",
    errno.EACCES: "permission denied",
    errno.EIO: "I/O error",
}


class OutputError(OSError):
    """Output cannot be written (disk full, read-only...). One-line message: path and cause."""


class StdoutError(Exception):
    """A write to standard output failed (a full or failing device, a pipe its reader closed).
    Told from the same errors of an output file by where it happened (a write to stdout), not by
    its errno; no OSError, so no ``except OSError`` on the way takes it for another file's."""

    def __init__(self, exc: OSError) -> None:
        super().__init__(exc.strerror or str(exc))
        self.errno, self.strerror = exc.errno, exc.strerror or str(exc)


@dataclass(frozen=True, slots=True)
class CommittedPart:
    """A part file renamed to its final name: every line in it is complete and durable."""

    path: Path
    count: int
    ids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _OpenPart:
    tmp: Path
    final: Path
    fh: BinaryIO                  # the raw temp file (flushed, fsynced, renamed)
    out: Any = None               # what records are written to: fh itself, or a compressor over it
    count: int = 0
    ids: list[str] = field(default_factory=list)


#: Part file compressions (``NEWSCLEAN_OUTPUT_COMPRESSION``) and the suffix each adds to ``.jsonl``.
COMPRESSIONS = MappingProxyType({"": "", "gzip": ".gz", "zstd": ".zst"})


def _compressor(fh: BinaryIO, compress: str) -> Any:
    """A writable stream over ``fh`` that compresses; closing it leaves ``fh`` open for the fsync."""
    if compress == "gzip":
        # mtime=0: the same records give the same bytes (no timestamp in the header).
        return gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0)
    if compress == "zstd":
        return zstandard.ZstdCompressor(level=3).stream_writer(fh, closefd=False)
    return fh


def _sanitize(value: str) -> str:
    return _SAFE.sub("_", str(value)).strip(".") or "_"


def _output_error(path: Path, exc: OSError) -> OutputError:
    cause = _CAUSES.get(exc.errno or 0, exc.strerror or type(exc).__name__)
    return OutputError(exc.errno or 0, f"cannot write {path}: {cause}")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class PartWriter:
    """Append records to hive-partitioned part files, committed atomically by rename.

    Layout: ``<root>/<kind>/site=<site>/date=<YYYY-MM-DD>/part-<run_id>-<seq:05d>.jsonl``;
    the open part is ``.part-<run_id>-<seq:05d>.jsonl.tmp`` in the same directory, so readers
    (and :func:`find_parts`) never see a torn line. ``compress="gzip"``/``"zstd"`` writes
    ``.jsonl.gz``/``.jsonl.zst`` parts the same way: the compressed stream is ended, fsynced,
    then renamed, so a visible part is always a complete gzip member / zstd frame.

    ``background=True``: a part that reaches ``max_records`` is committed (fsync, rename) by a
    thread of its own while records go on into the next part; :meth:`drain_committed` returns
    it once it is done, :meth:`commit`/:meth:`close` wait for it. For a caller on an event
    loop: the fsync of a 40 MB part took ~200 ms, the reactor's worst stall in a 20,000-page
    crawl.

    ``before_commit``: called before any part is committed, by :meth:`write` at a rotation and
    by :meth:`commit`/:meth:`close` (on the thread that calls them, not the background one), so
    what must be durable before a part becomes visible (the article store's notes of the records
    it holds, the dedup index's entries, written in batches) is written first.
    """

    def __init__(self, root: Path | str, run_id: str, *, kind: str = "articles",
                 max_records: int = 1000, compress: str | None = None, background: bool = False,
                 before_commit: Callable[[], None] | None = None) -> None:
        compress = compress or ""
        if compress not in COMPRESSIONS:
            raise ValueError(f"unknown compression {compress!r}: use one of {', '.join(repr(c) for c in COMPRESSIONS)}")
        if max_records < 1:
            raise ValueError("max_records must be >= 1")
        self.root = Path(root)
        self.run_id = _sanitize(run_id)
        self.kind = _sanitize(kind)
        self.max_records = max_records
        self.compress = compress
        self._open: dict[Path, _OpenPart] = {}
        self._seq: dict[Path, int] = {}
        self._committed: list[CommittedPart] = []
        self._pending: list[Future[CommittedPart]] = []
        self._executor = ThreadPoolExecutor(1, thread_name_prefix=f"commit-{self.kind}") if background else None
        self.before_commit = before_commit
        #: The folders this writer opened temporary parts in, listed in :attr:`journal` (see
        #: :func:`cleanup_orphans`): its own name, several writers of one run at once (one a site).
        self.journal = self.root / self.kind / f"{JOURNAL_PREFIX}{self.run_id}-{os.urandom(3).hex()}{JOURNAL_SUFFIX}"
        self._listed: set[Path] = set()

    # ------------------------------------------------------------ paths
    def _dir(self, partition: dict[str, str] | None) -> Path:
        d = self.root / self.kind
        for key, value in (partition or {}).items():
            d = d / f"{_sanitize(key)}={_sanitize(value)}"
        return d

    def _names(self, directory: Path, seq: int) -> tuple[Path, Path]:
        stem = f"part-{self.run_id}-{seq:05d}.jsonl{COMPRESSIONS[self.compress]}"
        return directory / f".{stem}.tmp", directory / stem

    def _next_seq(self, directory: Path) -> int:
        # Skip sequence numbers already on disk so a rerun with the same run id never overwrites.
        seq = self._seq.get(directory, 0)
        while any(p.exists() for p in self._names(directory, seq)):
            seq += 1
        return seq

    def target(self, partition: dict[str, str] | None = None) -> Path:
        """Final path of the part the next ``write(..., partition)`` goes into."""
        directory = self._dir(partition)
        part = self._open.get(directory)
        if part is not None:
            return part.final
        return self._names(directory, self._next_seq(directory))[1]

    # ------------------------------------------------------------ writing
    def _open_part(self, directory: Path) -> _OpenPart:
        seq = self._next_seq(directory)
        tmp, final = self._names(directory, seq)
        try:
            directory.mkdir(parents=True, exist_ok=True)
            self._list_folder(directory)
            fh = open(tmp, "xb")
        except OSError as exc:
            raise _output_error(tmp, exc) from exc
        self._seq[directory] = seq + 1
        part = _OpenPart(tmp=tmp, final=final, fh=fh, out=_compressor(fh, self.compress))
        self._open[directory] = part
        return part

    def _list_folder(self, directory: Path) -> None:
        """Note ``directory`` in :attr:`journal` before the first temporary part in it is made:
        where a killed writer can have left one. The line is fsynced, and the journal's folder when
        the line made the journal, as a part's folder is once it is renamed there: after a power
        cut the temporary part could be on disk and the journal not (nothing orders the two
        folders' entries), and :func:`cleanup_orphans` did not look where it was. Once a folder
        a writer (a site and day of a run), on the writing thread: one small file's fsync each."""
        if directory in self._listed:
            return
        made = not self.journal.exists()
        with open(self.journal, "a", encoding="utf-8") as fh:
            fh.write(f"{directory.relative_to(self.root / self.kind).as_posix()}\n")
            fh.flush()
            os.fsync(fh.fileno())
        if made:
            _fsync_dir(self.journal.parent)
        self._listed.add(directory)

    def _unlist(self) -> None:
        """Every temporary part committed or removed: the journal has no more to say."""
        if not self._open:
            self.journal.unlink(missing_ok=True)
            self._listed.clear()

    def write(self, record: dict[str, Any], partition: dict[str, str] | None = None) -> None:
        """Append one JSON line to the open part of ``partition``; rotate at ``max_records``.

        Raises :class:`OutputError` on any OSError; the torn temp part is then removed.
        """
        directory = self._dir(partition)
        part = self._open.get(directory) or self._open_part(directory)
        line = orjson.dumps(record) + b"\n"
        try:
            part.out.write(line)
            # Flush per record: a full disk must surface here, at the record that did not fit.
            # A compressor is not flushed (a flush per line would ruin the ratio): a full disk
            # then surfaces at a later record or at the commit, still before the rename.
            if part.out is part.fh:
                part.fh.flush()
        except OSError as exc:
            self._discard(directory)
            raise _output_error(part.tmp, exc) from exc
        part.count += 1
        if isinstance(record.get("id"), str):
            part.ids.append(record["id"])
        if part.count >= self.max_records:
            if self.before_commit is not None:
                self.before_commit()
            if self._executor is None:
                self._committed.append(self._commit_one(directory))
            else:
                self._pending.append(self._executor.submit(self._finish, self._open.pop(directory)))

    def _discard(self, directory: Path) -> None:
        self._discard_part(self._open.pop(directory))

    @staticmethod
    def _discard_part(part: _OpenPart) -> None:
        try:
            if part.out is not part.fh:
                part.out.close()
            part.fh.close()
        except OSError:
            pass  # the data is being thrown away; a failing close changes nothing
        part.tmp.unlink(missing_ok=True)

    def _commit_one(self, directory: Path) -> CommittedPart:
        return self._finish(self._open.pop(directory))

    def _finish(self, part: _OpenPart) -> CommittedPart:
        try:
            if part.out is not part.fh:
                part.out.close()   # ends the gzip member / zstd frame; the raw file stays open
            part.fh.flush()
            os.fsync(part.fh.fileno())
            part.fh.close()
            os.replace(part.tmp, part.final)
            _fsync_dir(part.final.parent)
        except OSError as exc:
            self._discard_part(part)
            raise _output_error(part.tmp, exc) from exc
        return CommittedPart(path=part.final, count=part.count, ids=part.ids)

    def _collect(self, wait: bool) -> None:
        """Move background commits that are done (all of them with ``wait``) to the committed
        list; raise the first failure after collecting the others."""
        error: OutputError | None = None
        still: list[Future[CommittedPart]] = []
        for future in self._pending:
            if not wait and not future.done():
                still.append(future)
                continue
            try:
                self._committed.append(future.result())
            except OutputError as exc:
                error = error or exc
        self._pending = still
        if error is not None:
            raise error

    # ------------------------------------------------------------ lifecycle
    def commit(self) -> list[CommittedPart]:
        """Commit every open part; return them (auto-rotated parts stay in :meth:`drain_committed`)."""
        done: list[CommittedPart] = []
        error: OutputError | None = None
        if self._open and self.before_commit is not None:
            self.before_commit()
        try:
            self._collect(wait=True)
        except OutputError as exc:
            error = exc
        for directory in list(self._open):
            try:
                done.append(self._commit_one(directory))
            except OutputError as exc:
                error = error or exc  # commit the others anyway, then report the first failure
        if error is not None:
            self._committed.extend(done)
            raise error
        return done

    def drain_committed(self) -> list[CommittedPart]:
        """Return and forget the parts committed automatically by rotation since the last drain
        (a failed background commit raises here; the parts committed stay for the next drain)."""
        self._collect(wait=False)
        done, self._committed = self._committed, []
        return done

    def close(self) -> list[CommittedPart]:
        """Commit all open parts; returns those plus any not yet drained."""
        try:
            done = self.commit()
        finally:
            if self._executor is not None:
                self._executor.shutdown()
            self._unlist()
        return self.drain_committed() + done

    def abort(self) -> None:
        """Remove every open temp part without committing it (background commits finish)."""
        for directory in list(self._open):
            self._discard(directory)
        if self._executor is not None:
            self._executor.shutdown()
        self._unlist()

    @property
    def open_parts(self) -> int:
        """Number of temp parts currently open."""
        return len(self._open)

    def __enter__(self) -> PartWriter:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


#: The folders of an output directory that part files are written in (a PartWriter's kinds).
PART_KINDS = ("articles", "rejects")
#: A writer's journal in its kind's folder, ``.open-<run>-<token>.dirs``: the folders (relative to
#: the kind's) it opened temporary parts in, one a line; removed when it closes, left when killed.
JOURNAL_PREFIX, JOURNAL_SUFFIX = ".open-", ".dirs"
#: In a kind's folder once every folder of it was looked through: its writers keep journals since.
JOURNALED = ".open-listed"


def cleanup_orphans(root: Path | str) -> int:
    """Remove leftover ``.part-*.tmp`` files (from killed runs) under ``root``'s part folders
    (:data:`PART_KINDS`); return how many. Only there: ``--out ~`` (or ``.``) walked the whole home
    tree at every run's start, and deleted any file of that name the user kept anywhere in it.
    And only in the folders a killed writer's journal names (:attr:`PartWriter.journal`): every
    part folder of the corpus was read at each run's start, a cron job's cost growing with its
    history (68 ms at 12,000 parts). A kind's folder without :data:`JOURNALED` (written by a
    version without journals) is looked through whole, once.

    Call only while holding the run lock: it would delete a live writer's temp parts.
    """
    removed = 0
    for kind in PART_KINDS:
        base = Path(root, kind)
        try:
            with os.scandir(base) as entries:
                names = [entry.name for entry in entries if entry.name.startswith(JOURNAL_PREFIX)]
        except OSError:   # no part folder yet
            continue
        journals = [base / name for name in names if name.endswith(JOURNAL_SUFFIX)]
        folders = _walk(base) if JOURNALED not in names else {f for j in journals for f in _journaled(base, j)}
        for folder in folders:
            removed += _remove_temps(folder)
        for journal in journals:
            journal.unlink(missing_ok=True)
        if JOURNALED not in names:
            with contextlib.suppress(OSError):   # looked through whole again next time
                Path(base, JOURNALED).touch()
    return removed


def _walk(base: Path) -> list[Path]:
    """``base`` and every folder under it (symbolic links to folders not followed)."""
    return [base, *(Path(top, name) for top, dirs, _files in os.walk(base) for name in dirs)]


def _journaled(base: Path, journal: Path) -> list[Path]:
    """The folders ``journal`` names under ``base``; a line naming anything else (absolute, or
    climbing out with ``..``) is passed over: nothing outside the part folders is removed."""
    try:
        lines = journal.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    return [base / line for line in lines
            if line and not Path(line).is_absolute() and ".." not in Path(line).parts]


def _remove_temps(folder: Path) -> int:
    removed = 0
    try:
        with os.scandir(folder) as entries:
            temps = [entry.path for entry in entries if is_temp_part(entry.name) and entry.is_file(follow_symlinks=False)]
    except OSError:   # gone, or never made
        return 0
    for tmp in temps:
        try:
            os.unlink(tmp)
            removed += 1
        except FileNotFoundError:
            pass
    return removed


#: The name that means standard output for an output (and standard input for an input).
STDIO = "-"


class AtomicFile:
    """One output file that appears whole or not at all.

    Written under a hidden temporary name beside ``path``, its own (the process id and a token):
    :meth:`commit` fsyncs it and renames it over ``path``, :meth:`discard` removes it (``path``
    keeps what it had). Two runs writing one ``path`` at once (an hourly export that outlasts
    its hour) shared one temporary name: each truncated and wrote the other's file, and the one
    renamed into place held both, a Parquet file that did not read. A killed run's temporary
    file is removed by the next run writing ``path`` on the same host (the name holds the host:
    on a file system shared between hosts, another host's writer's process id means nothing
    here, and its live file was removed), and only when its lock is free (each writer holds
    one on its temporary file: two hosts given one name). ``-`` is standard output: streamed as
    written, or, with ``spool=True`` (formats that are only valid whole, such as Parquet), kept
    in a temporary file and copied out by :meth:`commit`.
    """

    def __init__(self, path: Path | str, *, spool: bool = False) -> None:
        self.name = str(path)
        self.tmp: Path | None = None
        self.fh: BinaryIO
        #: Where a stream goes: standard output, or a device or pipe ``path`` names (written into).
        self.sink: BinaryIO | None = None
        final = Path(path)
        if self.name == STDIO:
            self.sink = sys.stdout.buffer
        elif _written_in_place(final):
            try:
                self.sink = open(final, "wb")
            except OSError as exc:
                raise _output_error(final, exc) from exc
        if self.sink is not None:
            self.fh = tempfile.TemporaryFile() if spool else self.sink   # type: ignore[assignment]
            return
        final = _link_target(final)
        self.name = str(final)
        _remove_killed_temps(final)
        self.tmp = final.with_name(f".{final.name}.{_host()}.{os.getpid()}-{os.urandom(3).hex()}.tmp")
        try:
            self.fh = open(self.tmp, "xb")
        except OSError as exc:
            raise _output_error(final, exc) from exc
        # Held until the rename: the next writer of ``path`` removes the file only when it can
        # take the lock (its writer gone), whatever the name says: two hosts of one name on a
        # shared file system each took the other's live writer's process id for a dead one here.
        with contextlib.suppress(OSError):   # no locks on this file system: the name's test alone
            fcntl.flock(self.fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def write(self, data: bytes) -> None:
        """Append ``data``; a full disk, a closed pipe or a full device is an OutputError (one line)."""
        try:
            self.fh.write(data)
        except OSError as exc:
            raise self.error(exc) from exc

    def error(self, exc: OSError) -> OutputError | StdoutError:
        """``exc``, met writing :attr:`fh`, as the error naming where it was written (a writer
        that takes ``fh`` itself, such as pyarrow's, raises OSErrors that name no file)."""
        if self.name != STDIO:
            return _output_error(Path(self.name), exc)
        if self.fh is sys.stdout.buffer:
            return StdoutError(exc)
        return _output_error(Path(f"standard output's spool in {tempfile.gettempdir()}"), exc)

    def commit(self) -> None:
        """Make the output visible: rename it into place (or copy the spooled bytes to stdout,
        or to the device or pipe named)."""
        if self.sink is not None:
            try:
                if self.fh is not self.sink:
                    self.fh.seek(0)
                    shutil.copyfileobj(self.fh, self.sink)
                    self.fh.close()
                self.sink.flush()
                if self.name != STDIO:
                    self.sink.close()
            except OSError as exc:
                self.discard()
                raise (StdoutError(exc) if self.name == STDIO else _output_error(Path(self.name), exc)) from exc
            return
        try:
            self.fh.flush()
            os.fsync(self.fh.fileno())
            os.replace(self.tmp, self.name)   # still locked while it has the temporary name
            self.fh.close()
            _fsync_dir(Path(self.name).parent)
        except OSError as exc:
            self.discard()
            raise _output_error(Path(self.name), exc) from exc

    def discard(self) -> None:
        """Drop what was written (a stream keeps what it already sent)."""
        stdout = self.sink if self.name == STDIO else None   # not sys.stdout.buffer: a StringIO (a notebook's) has none
        for fh in {id(f): f for f in (self.fh, self.sink) if f is not None and f is not stdout}.values():
            try:
                fh.close()
            except OSError:
                pass   # the data is being thrown away
        if self.tmp is not None:
            self.tmp.unlink(missing_ok=True)


def _link_target(final: Path) -> Path:
    """The file a symbolic link ``final`` names (through any chain of links; a link to no file
    yet: the file it would name), else ``final``. Renamed over, the link itself was replaced by
    the output: the link was lost and the file it named was left stale."""
    if not final.is_symlink():
        return final
    return Path(os.path.realpath(final))


def _written_in_place(final: Path) -> bool:
    """Whether ``final`` is written into, not replaced: a device, a pipe or a socket (links to
    them too), a directory (its error then said at once), and any name in /dev or /proc
    (/dev/stdout, /dev/fd/N). Renamed over, ``--parquet /dev/full`` (as root) replaced the
    device with a regular file, and a FIFO's reader waited for ever."""
    try:
        if not stat.S_ISREG(os.stat(final).st_mode):
            return True
    except OSError:
        pass   # no such file yet (or none that can be read): a new file
    try:
        parent = final.parent.resolve()
    except OSError:
        return False
    return parent == Path("/dev") or parent.is_relative_to("/proc")


def _remove_killed_temps(final: Path) -> None:
    """The temporary files of ``final`` (``.<name>.<host>.<pid>-<token>.tmp``) that this host's
    writers left and that no longer run (killed: SIGKILL, a power cut), removed; a running
    writer's are left to it, and so are another host's (its process ids are not this host's)
    and the host-less names earlier versions wrote (whose host is unknown). A file whose lock
    is held is a live writer's whatever its name says (another host given this one's name)."""
    prefix = f".{final.name}.{_host()}."
    try:
        names = [p.name for p in final.parent.iterdir() if p.name.startswith(prefix) and p.name.endswith(".tmp")]
    except OSError:
        return   # no directory yet (said when the file is opened)
    for name in names:
        pid, _, token = name[len(prefix):-len(".tmp")].partition("-")
        if not (pid.isdigit() and len(token) == 6) or _running(int(pid)):
            continue
        _remove_unlocked(final.parent / name)


def _remove_unlocked(path: Path) -> None:
    """Remove ``path`` unless a writer holds its lock (taken and held while removing it); a
    file on a file system without locks goes on its name's test alone, as before locks."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_NOFOLLOW)   # O_RDWR: NFS emulates flock with write locks
    except OSError:
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return   # a live writer's
        except OSError:
            pass     # no locks on this file system
        with contextlib.suppress(OSError):
            path.unlink()
    finally:
        os.close(fd)


def _host() -> str:
    """This host's name as a part of a file name: letters, digits, "-" and "_" (the name's
    fields are parted by dots), at most 64 characters. Hosts sharing a file system need names
    of their own (two containers given one name would take each other's files for their own)."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", socket.gethostname())[:64] or "host"


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:   # another user's process: running
        return True
    return True


def write_json_atomic(path: Path | str, obj: Any) -> Path:
    """Write ``obj`` as indented JSON to ``path`` whole or not at all (an :class:`AtomicFile`:
    two processes writing one file at once, such as two runs' ``merge-manifests`` into one
    output, shared one temporary name and published a torn or the other's half-written file)."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _output_error(path, exc) from exc
    out = AtomicFile(f"./{STDIO}" if str(path) == STDIO else path)   # a file named '-', not standard output
    try:
        out.write(orjson.dumps(obj, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n")
    except BaseException:
        out.discard()
        raise
    out.commit()
    return path
