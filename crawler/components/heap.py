"""The C heap of a crawl's processes: give the memory of large, short-lived buffers back.

A crawl handles pages of 0.1-5 MB one after another (response bodies, their decoded text, the
copies sent to and parsed by the cleaning workers). glibc's malloc serves buffers over its
mmap threshold from their own mappings, returned to the system when freed, but raises that
threshold to the size of every such buffer freed (up to 32 MB): after the first large pages
every later one comes from the heap, which keeps its high-water mark. Fixing the threshold
(and the heap's trim threshold) stops that. The cleaning workers set it (crawler/components/worker_preload.py):
their CPU is spent parsing, a page fault per 4 KB of a large buffer is little beside it. The
crawl's main process does not: there it cost ~1.4 ms of CPU a page (+13%) and more reactor stalls
over 200 ms in the bench crawl, for ~50 MB.

Plain Python and ctypes; without glibc's ``mallopt`` (macOS, musl's no-op) nothing changes.
"""

from __future__ import annotations

import ctypes

#: mallopt parameters (glibc's malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
#: Buffers from this size get their own mapping; free space over it at the heap's top is released.
THRESHOLD = 256 * 1024


def return_freed_memory() -> bool:
    """Set this process's malloc thresholds (inherited by forked children); True if applied."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    return bool(mallopt(_M_MMAP_THRESHOLD, THRESHOLD)) and bool(mallopt(_M_TRIM_THRESHOLD, THRESHOLD))
