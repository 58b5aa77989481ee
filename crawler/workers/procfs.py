"""What Linux's /proc says of a process: its CPU time and its proportional memory; and the CPUs
it may run on (and so the most cleaning workers it starts).

Read by the cleaning pool (a page's timeout counts its worker's CPU, not the wall clock) and by
the benchmark (CPU and PSS of whole process trees). Plain Python: importing it costs a process
nothing it would not load anyway. Elsewhere than Linux every reader answers None.
"""

from __future__ import annotations

import os

_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity mask: ``taskset``, a container's cpuset),
    which its workers share; ``os.cpu_count()`` counts the machine's, all of them."""
    process_cpu_count = getattr(os, "process_cpu_count", None)   # Python 3.13+
    if process_cpu_count is not None:
        return process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


#: Cleaning processes a run may start for each usable CPU: more only wait for the CPU and hold memory.
WORKERS_A_CPU = 4


def most_workers() -> int:
    """The most cleaning processes a run starts (-s NEWSCLEAN_CLEAN_WORKERS, clean --workers):
    ``WORKERS_A_CPU`` for each CPU this process may run on now (under `taskset -c 0`, 4, not 4
    for each of the machine's). Asked each time, not fixed at import: a process's CPUs can
    change after it imported the command line (a notebook pinned later; 100000 workers once
    started that many)."""
    return WORKERS_A_CPU * usable_cpus()


def stat_fields(pid: int) -> list[bytes] | None:
    """The fields of ``/proc/PID/stat`` after the command name (``state`` is field 0, ``ppid``
    field 1); None where unreadable (the process is gone, or no /proc)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            # the name in parentheses may hold spaces and ")": split after its last ")"
            return fh.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) a process has used; None where unreadable."""
    fields = stat_fields(pid)
    try:
        return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS if fields else None
    except (IndexError, ValueError):
        return None


def pss_bytes(pid: int) -> int | None:
    """A process's proportional set size (pages shared with others counted by their share);
    None where unreadable."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            return next((int(line.split()[1]) * 1024 for line in fh if line.startswith(b"Pss:")), 0)
    except (OSError, ValueError, IndexError):
        return None
