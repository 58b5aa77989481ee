"""One run at a time per output directory: a kernel-held ``flock``.

The kernel releases the lock when the holding process dies, however it dies (``kill -9``
included), so a stale lock never blocks the next run — unlike a PID file.
"""

from __future__ import annotations

import fcntl
import os
import sys
from datetime import datetime, timezone
from pathlib import Path

from newsclean.output.redact import mask_credentials


#: The lock's file in the directory it locks, left there when the run ends (an output directory's
#: mark of newsclean's own: cli.foreign_entries).
LOCK_NAME = ".newsclean.lock"


class LockedError(RuntimeError):
    """Another run holds the lock; the message says which."""


class RunLock:
    def __init__(self, directory: Path | str) -> None:
        self.path = Path(directory) / LOCK_NAME
        self._fd: int | None = None

    def acquire(self) -> RunLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            # masked on reading too: a lock written by an older version may hold a password
            holder = mask_credentials(os.pread(fd, 512, 0).decode("utf-8", "replace").strip()) or "unknown process"
            os.close(fd)
            raise LockedError(f"another newsclean run holds {self.path} ({holder})") from None
        os.ftruncate(fd, 0)
        started = datetime.now(timezone.utc).isoformat(timespec="seconds")
        # The command line names the Redis URL (--redis / -s NEWSCLEAN_REDIS_URL=...): never its password.
        command = mask_credentials(" ".join(sys.argv))[:300]
        os.pwrite(fd, f"pid {os.getpid()} since {started}: {command}\n".encode("utf-8", "surrogateescape"), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> RunLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def holder_pid(directory: Path | str) -> int | None:
    """The process that holds ``directory``'s run lock now, read from the kernel's ``/proc/locks``
    (no lock is taken: a probe with ``flock`` could make a run starting at that moment exit 3);
    None when none holds it, or where this cannot be told (no ``/proc``, another file system's numbers)."""
    try:
        st = os.stat(Path(directory) / LOCK_NAME)
        table = Path("/proc/locks").read_text()
    except OSError:
        return None
    file_id = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    for line in table.splitlines():   # "5: FLOCK  ADVISORY  WRITE 23170 fe:00:2146544 0 EOF"
        fields = line.split()
        if "FLOCK" in fields and "->" not in fields and file_id in fields:   # "->": a process waiting for it
            pid = fields[fields.index(file_id) - 1]
            return int(pid) if pid.isdigit() else None
    return None
