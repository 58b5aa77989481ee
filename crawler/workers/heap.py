"""The C heap of a crawl's processes: give the memory of large, short-lived buffers back.

A crawl handles pages of 0.1-5 MB one after another (response bodies, their decoded text, the
copies sent to and parsed by the cleaning workers). glibc's malloc serves buffers over its
mmap threshold from their own mappings, returned to the system when freed, but raises that
threshold to the size of every such buffer freed (up to 32 MB): after the first large pages
every later one comes from the heap, which keeps its high-water mark. Fixing the thresholds
stops that. The cleaning workers set them (crawler/workers/worker_preload.py); the crawl's
main process does not: there it cost ~1.4 ms of CPU a page (+13%) and more reactor stalls over
200 ms in the bench crawl, for ~50 MB. The main process instead gives its heap's free pages back
every 0.2 s in which 1 MB of responses arrived (:func:`trim`, ``malloc_trim``, run by
:class:`~newsclean.crawler.components.extensions.HeapTrim`): bodies in flight come and go
between longer-lived objects, leaving 20-35 MB of free heap it kept otherwise. A cleaning
worker gives its free pages back after each large page (``pool.TRIM_AFTER_BYTES``).

Where to fix them is a trade of page faults (each 4 KB a buffer takes afresh from the system)
for memory. At 256 KB (both) a worker took 1,150 page faults a page of fundus-dev, 2.2 ms of
system CPU a page (8% of the cleaning); at 4 MB / 8 MB, 150 faults, 0.4 ms, for 8 MB more at
the worker's peak (283 against 275 MB RSS, the shared language model included; glibc's own
moving threshold: 306 MB, 0.1 ms).

Plain Python and ctypes; without glibc's ``mallopt`` (macOS, musl's no-op) nothing changes.
"""

from __future__ import annotations

import ctypes
from typing import Any

#: prctl option (linux/prctl.h): no transparent huge pages for this process and its children.
_PR_SET_THP_DISABLE = 41
#: mallopt parameters (glibc's malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
#: Buffers from this size get their own mapping (returned to the system when freed): the rare
#: page of several MB, not every page's copies.
MMAP_THRESHOLD = 4 * 1024 * 1024
#: Free space at the heap's top over this is released: what one ordinary page needs stays mapped.
TRIM_THRESHOLD = 8 * 1024 * 1024


def _libc_function(name: str, *argtypes: type) -> Any:
    """glibc's ``name`` with its argument types, looked up once; None where there is no glibc."""
    try:
        fn = getattr(ctypes.CDLL(None), name)
    except (OSError, AttributeError):
        return None
    fn.argtypes = argtypes
    return fn


_mallopt = _libc_function("mallopt", ctypes.c_int, ctypes.c_int)
#: Linux's prctl (None without glibc); the bench uses it too (a child subreaper).
prctl = _libc_function("prctl", ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong)
_malloc_trim = _libc_function("malloc_trim", ctypes.c_size_t)   # called up to five times a second: not looked up each time


def return_freed_memory() -> bool:
    """Set this process's malloc thresholds (inherited by forked children); True if applied."""
    if _mallopt is None:
        return False
    return bool(_mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(_mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))


def trim() -> bool:
    """Give the free pages of every malloc heap of this process back to the system
    (glibc's ``malloc_trim(0)``; ~0.5 ms for the crawl's heap); False where there is none."""
    return _malloc_trim is not None and bool(_malloc_trim(0))


def no_huge_pages() -> bool:
    """Back this process's memory, and its children's, with 4 KB pages only (Linux's
    ``PR_SET_THP_DISABLE``); True if applied. numpy asks for transparent huge pages on every
    array of 4 MB or more (``madvise``): in the workers' forkserver the language model's arrays
    marked 37 MB of its heap, and a worker that reused or grew that heap got every 2 MB of it
    whole, however little it wrote there (30-47 MB of huge pages a process)."""
    return prctl is not None and prctl(_PR_SET_THP_DISABLE, 1, 0, 0, 0) == 0
