"""Duplicates across runs: exact copies by ``content_hash``, near copies (syndicated wire
stories, lightly edited reposts) by MinHash LSH over word shingles (datasketch).

Plain Python: never imports Scrapy or ``crawler``.

The index persists in SQLite (``<state>/dedup.sqlite3``, :class:`SqliteEntries`) or, for
workers sharing a Redis, on Redis (:class:`RedisEntries`): per indexed record its id, content
hash, MinHash signature, the id it counts as a copy of (``root``: itself for an original) and
the order it was indexed in, and its LSH band buckets (datasketch's banding: ``b`` bands of
``r`` hash values, ``b, r`` from :class:`datasketch.MinHashLSH` for the threshold). Candidates
are looked up in the stored buckets, so opening an index loads nothing and a process's memory
does not grow with the index; a lookup sees at once what other connections added (the crawls
of one ``newsclean crawl --all`` run, workers sharing a Redis).

The earliest record wins: a copy points at the *root* of the earliest matching entry, so
``duplicate_of`` always names an original, never a copy of a copy. A record never points at
itself: entries with its own id (an earlier version of a refetched, changed article) are
not candidates.

Crash safety follows the article store's staging. :meth:`DedupIndex.add` indexes a record as
*pending* for its run (visible at once, so copies within the run are found);
:meth:`DedupIndex.settle` later keeps the pending entries whose records were written and
forgets the others, so no later copy can point at a record that never reached the output.
Lookups for a run (``find(..., run_id=)``) never take another run's pending entries.
"""

from __future__ import annotations

import array
import contextlib
import functools
import hashlib
import itertools
import json
import math
import re
import sqlite3
import threading
import unicodedata
import weakref
from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsclean.output.reader import find_parts, iter_records
from newsclean.output.schema import content_hash as text_hash
from newsclean.output.sqlite import (Checkpointer, NewerVersionError, Transaction, connect_wal, mark_version,
                                     no_wait, refuse_newer)

if TYPE_CHECKING:
    import numpy as np
    from datasketch import LeanMinHash

#: Signature parameters. They are stored in the index file: an index built with other values
#: cannot be compared against, and opening it says so.
NUM_PERM = 128
SHINGLE_WORDS = 5
SEED = 1
#: Estimated Jaccard similarity of the 5-word shingle sets from which two texts are copies.
#: Measured on tests/fixtures/dedup (``python -m tests.dedup_fixtures``): a syndicated copy of
#: a six-paragraph story with its own intro line and one reworded sentence is at 0.59-0.7,
#: so 0.8 found 7 of 16 copies and 0.5 all 16; distinct articles on the same event share
#: at most 0.016 (no false merge at any threshold from 0.3 to 0.9).
DEFAULT_THRESHOLD = 0.5
#: LSH band weights (false positives, false negatives): a bucket hit is only a candidate,
#: checked against the threshold with the signatures, while a missed one is lost; so favour
#: recall (b=32, r=4 at 0.5: a pair at 0.5 is a candidate with p=0.87, at 0.6 p=0.99).
LSH_WEIGHTS = (0.1, 0.9)

_WORD = re.compile(r"\w+", re.UNICODE)

#: The layout of ``SCHEMA``, kept in the file's ``PRAGMA user_version``: an index of a higher
#: number is refused. Raise it with any change of the layout.
SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,   -- indexing order: the earliest wins
    id            TEXT NOT NULL,                       -- record id
    content_hash  TEXT NOT NULL,
    minhash       BLOB NOT NULL,                       -- NUM_PERM uint64 hash values
    root          TEXT NOT NULL,                       -- id this record is a copy of, or its own
    run_id        TEXT NOT NULL,
    site          TEXT NOT NULL DEFAULT '',            -- the crawl that indexed it (settled per site)
    pending       INTEGER NOT NULL DEFAULT 1           -- 1 until the record is known written
);
CREATE INDEX IF NOT EXISTS entries_hash ON entries(content_hash);
CREATE INDEX IF NOT EXISTS entries_pending ON entries(pending, run_id, site);
-- The LSH buckets: entry seq is in bucket key of band (see band_keys).
CREATE TABLE IF NOT EXISTS bands (
    band  INTEGER NOT NULL,
    key   INTEGER NOT NULL,
    seq   INTEGER NOT NULL,
    PRIMARY KEY (band, key, seq)
) WITHOUT ROWID;
"""


class DedupIndexError(RuntimeError):
    """The index file cannot be used (other signature parameters, not an index)."""


@dataclass(frozen=True, slots=True)
class Match:
    """A record is a copy of ``duplicate_of``; ``kind`` is ``exact`` or ``near``."""

    duplicate_of: str
    kind: str
    similarity: float


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """Lower-cased word ``size``-grams of ``text`` (NFC, as ``output.schema.normalize_text`` reads it: its
    spacing changes no word); a text shorter than that is one shingle."""
    words = _WORD.findall(unicodedata.normalize("NFC", text or "").lower())
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def shingle_hashes(text: str) -> bytes:
    """The 32-bit SHA-1 hash (the digest's first 4 bytes) of each of :func:`shingles`, as datasketch
    hashes them: cut as slices of the words joined once and encoded once, not joined and
    encoded one shingle at a time (a quarter of a worker's signature CPU). A shingle that comes
    twice is hashed twice, which changes no minimum."""
    words = _WORD.findall(unicodedata.normalize("NFC", text or "").lower())
    size = SHINGLE_WORDS
    joined = " ".join(words)
    data = joined.encode("utf-8")
    sha1 = hashlib.sha1
    if len(words) <= size:
        return sha1(data).digest()[:4] if words else b""
    # Byte offsets of the words' starts (one more: where a word after the last would start).
    lengths = map(len, words) if len(data) == len(joined) else [len(w.encode("utf-8")) for w in words]
    starts = [0, *itertools.accumulate(n + 1 for n in lengths)]
    return b"".join([sha1(data[start:end - 1]).digest()[:4] for start, end in zip(starts, starts[size:])])


#: datasketch's MinHash constants: hash values are 32-bit, permuted modulo a Mersenne prime.
_MERSENNE_BITS = 61
_MERSENNE_PRIME = (1 << 61) - 1
_MAX_HASH = (1 << 32) - 1


@functools.lru_cache(maxsize=1)
def _permutations() -> np.ndarray:
    """The seed's permutation parameters (rows a and b), drawn as datasketch's MinHash draws
    them: they depend on the seed alone, so they are drawn once per process."""
    import numpy as np

    gen = np.random.RandomState(SEED)
    return np.array([(gen.randint(1, _MERSENNE_PRIME, dtype=np.uint64), gen.randint(0, _MERSENNE_PRIME, dtype=np.uint64))
                     for _ in range(NUM_PERM)], dtype=np.uint64).T


def signature_values(text: str) -> np.ndarray:
    """The NUM_PERM hash values of ``text``'s MinHash: datasketch's ``MinHash.update_batch``
    (SHA-1 32-bit hashes, universal-hash permutations, minimum per permutation) in numpy alone,
    so the cleaning workers never import datasketch (whose import loads scipy: ~48 MB a process).
    numpy is imported here: the crawl's main process, which is handed the values, never does."""
    import numpy as np

    max_hash, prime = np.uint64(_MAX_HASH), np.uint64(_MERSENNE_PRIME)
    digests = shingle_hashes(text)
    if not digests:
        return np.full(NUM_PERM, max_hash, dtype=np.uint64)
    a, b = _permutations()
    hashes = np.frombuffer(digests, dtype="<u4").astype(np.uint64)
    # SIGNATURE_ROWS shingles at a time: the minimum of the blocks' minima is the same, and a long
    # article's arrays stay small (31,700 characters: 13 MB at once, a cleaning worker's peak)
    values = _block_minima(hashes[:SIGNATURE_ROWS], a, b, prime, max_hash)
    for start in range(SIGNATURE_ROWS, len(hashes), SIGNATURE_ROWS):
        np.minimum(values, _block_minima(hashes[start:start + SIGNATURE_ROWS], a, b, prime, max_hash), out=values)
    return values   # each value <= max_hash: datasketch's start value is never the minimum


#: Shingles whose permuted hashes :func:`signature_values` holds at once (x NUM_PERM x 8 bytes, twice).
SIGNATURE_ROWS = 1024


def _block_minima(hashes: np.ndarray, a: np.ndarray, b: np.ndarray, prime: np.uint64, max_hash: np.uint64) -> np.ndarray:
    """The minimum per permutation of ``hashes`` permuted."""
    import numpy as np

    # (h * a + b) mod 2**64 (numpy wraps, as datasketch's), then mod the Mersenne prime p
    # without a division: x mod p = (x & p) + (x >> 61), less p once if still >= p (rare:
    # looked for first, then done where needed). In place: one array of shingles x NUM_PERM.
    x = np.multiply.outer(hashes, a)
    x += b
    high = np.right_shift(x, np.uint64(_MERSENNE_BITS))
    x &= prime
    x += high
    over = x >= prime
    if over.any():
        np.subtract(x, prime, out=x, where=over)
    x &= max_hash
    return x.min(axis=0)


def signature(text: str) -> LeanMinHash:
    """The MinHash of ``text``'s shingles (empty text: the empty signature), as datasketch's
    ``LeanMinHash`` (imports datasketch: for tools and tests; the index takes a :class:`Signature`)."""
    from datasketch import LeanMinHash

    return LeanMinHash(seed=SEED, hashvalues=signature_values(text))


@dataclass(frozen=True, slots=True)
class TextDigest:
    """What a record and the dedup index compute from an article's text besides the text:
    its ``content_hash``, ``word_count`` and MinHash signature (``minhash``: NUM_PERM uint64
    hash values). Plain data, so it is computed where the page is cleaned (a worker process)
    and travels with the article: the signature is the costliest step of a page after the
    cleaning (in a bench crawl, 40% of the reactor thread's busy time when computed there)."""

    content_hash: str
    word_count: int
    minhash: bytes

    @classmethod
    def of(cls, text: str) -> TextDigest:
        return cls(text_hash(text), len(text.split()), signature_values(text).tobytes())


@dataclass(frozen=True, slots=True)
class Signature:
    """A text's MinHash values (NUM_PERM uint64), as the index compares them. Wherever one is
    taken, a datasketch ``MinHash``/``LeanMinHash`` of the same seed does as well (only
    ``hashvalues`` is read): the crawl itself never imports datasketch, whose import loads
    scipy (in a bench crawl, a tenth of the main process's CPU and ~48 MB)."""

    hashvalues: Any   # uint64 values: an array.array("Q"), numpy's array, a list


def _values(hashvalues: Any) -> array.array:
    """A signature's values as an ``array.array("Q")`` (machine order, as numpy's uint64), from
    bytes, numpy's array (datasketch's ``hashvalues``) or any sequence of ints: without numpy,
    which the crawl's main process does not import (12 MB)."""
    if isinstance(hashvalues, array.array) and hashvalues.typecode == "Q":
        return hashvalues
    values = array.array("Q")
    if isinstance(hashvalues, (bytes, bytearray, memoryview)):
        values.frombytes(hashvalues)
    elif hasattr(hashvalues, "astype"):   # numpy's
        values.frombytes(hashvalues.astype("uint64").tobytes())
    else:
        values.extend(int(v) for v in hashvalues)
    return values


def _jaccard(a: Any, b: Any) -> float:
    """The Jaccard estimate of two signatures' values (datasketch's ``MinHash.jaccard``)."""
    a, b = _values(a), _values(b)
    return float(sum(x == y for x, y in zip(a, b))) / float(len(a))


def _legendre(n: int, x: float) -> tuple[float, float]:
    """P_n(x) and its derivative P_n'(x) (Bonnet's recurrence), for ``x`` inside (-1, 1)."""
    p0, p1 = 1.0, x
    for k in range(2, n + 1):
        p0, p1 = p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k
    return p1, n * (x * p1 - p0) / (x * x - 1)


def _gauss_legendre(n: int) -> tuple[list[float], list[float]]:
    """Nodes and weights of n-point Gauss-Legendre quadrature on [-1, 1] (numpy's ``leggauss``):
    each node is a root of the Legendre polynomial P_n, found by Newton's method."""
    nodes, weights = [], []
    for i in range(1, n + 1):
        x = math.cos(math.pi * (i - 0.25) / (n + 0.5))
        for _ in range(100):
            value, derivative = _legendre(n, x)
            step = value / derivative
            x -= step
            if abs(step) < 1e-15:
                break
        derivative = _legendre(n, x)[1]
        nodes.append(x)
        weights.append(2 / ((1 - x * x) * derivative * derivative))
    return nodes, weights


@functools.lru_cache(maxsize=8)
def lsh_params(threshold: float) -> tuple[int, int]:
    """(bands, rows per band) datasketch's MinHashLSH chooses for ``threshold`` and
    :data:`LSH_WEIGHTS`: the least weighted sum of the false positive and false negative
    probabilities (datasketch's ``_optimal_param``, integrated here without scipy: the
    integrands are polynomials of degree <= NUM_PERM, which Gauss-Legendre quadrature with
    this many nodes integrates exactly)."""
    nodes, weights = _gauss_legendre(NUM_PERM // 2 + 8)
    below, above = threshold / 2, (1 - threshold) / 2      # half the widths of [0, t] and [t, 1]
    s_below = [below * x + below for x in nodes]
    s_above = [above * x + (1 + threshold) / 2 for x in nodes]
    fp_weight, fn_weight = LSH_WEIGHTS
    best, opt = float("inf"), (0, 0)
    for b in range(1, NUM_PERM + 1):
        for r in range(1, NUM_PERM // b + 1):
            # P(candidate) at similarity s is 1 - (1 - s^r)^b: false positives below t, false negatives above
            fp = below * math.fsum(w * (1 - (1 - s ** r) ** b) for w, s in zip(weights, s_below))
            fn = above * math.fsum(w * (1 - s ** r) ** b for w, s in zip(weights, s_above))
            error = fp * fp_weight + fn * fn_weight
            if error < best:
                best, opt = error, (b, r)
    return opt


def _band_hash(band: bytes) -> bytes:
    return hashlib.blake2b(band, digest_size=8).digest()


def band_keys(hashvalues: Any, bands: int, rows: int) -> list[tuple[int, int]]:
    """(band, key) of each LSH bucket a signature falls in: MinHashLSH's band bytes (the band's
    hash values big-endian, as its ``_byteswap``) through an 8-byte blake2b, i.e. the buckets of
    ``MinHashLSH(hashfunc=_band_hash)``; a signed 64-bit key fits a SQLite INTEGER. A key
    collision only adds a candidate, which the signature comparison then rejects."""
    if bands < 1 or rows < 1:
        raise ValueError(f"no LSH bands set ({bands} x {rows}): call Entries.use_bands first")
    hv = _values(hashvalues)[:bands * rows]   # a slice: a copy, the caller's values stay as they are
    hv.byteswap()   # big-endian, as MinHashLSH's band bytes
    raw, width = hv.tobytes(), rows * 8
    return [(b, int.from_bytes(_band_hash(raw[b * width:(b + 1) * width]), "big", signed=True)) for b in range(bands)]


@dataclass(frozen=True, slots=True)
class Entry:
    """One indexed record version."""

    seq: int
    id: str
    root: str
    run_id: str
    pending: bool
    minhash: bytes

    def may_be_original_of(self, record_id: str, run_id: str | None) -> bool:
        """Whether this entry can be ``record_id``'s original: not ``record_id`` itself, and with
        ``run_id``, not another run's pending entry (its record may never be written: a killed
        run, a worker on another machine still writing). ``SqliteEntries.first_with_hash`` asks
        the same in SQL."""
        return self.id != record_id and (run_id is None or not self.pending or self.run_id == run_id)


class Entries(ABC):
    """Where the index entries and their LSH buckets live."""

    #: (bands, rows) the stored buckets are cut with; set by :meth:`use_bands`.
    bands: tuple[int, int] = (0, 0)

    @abstractmethod
    def use_bands(self, bands: int, rows: int) -> None:
        """Cut buckets with ``bands`` x ``rows`` from now on. Buckets stored with other values
        (another threshold, an index from before buckets were stored) are rebuilt from the
        signatures, streamed. Connections that share an index must use one threshold."""

    @abstractmethod
    def near(self, keys: list[tuple[int, int]]) -> list[Entry]:
        """Entries in any of the buckets ``keys`` (see :func:`band_keys`), in indexing order."""

    @abstractmethod
    def rows(self, seqs: Iterable[int]) -> list[Entry]:
        """The entries among ``seqs`` that still exist, in indexing order."""

    @abstractmethod
    def with_hash(self, content_hash: str) -> list[Entry]:
        """Entries with this content hash, in indexing order."""

    def first_with_hash(self, content_hash: str, record_id: str, run_id: str | None) -> Entry | None:
        """The earliest entry with this content hash that can be ``record_id``'s original
        (:meth:`Entry.may_be_original_of`)."""
        return next((e for e in self.with_hash(content_hash) if e.may_be_original_of(record_id, run_id)), None)

    @abstractmethod
    def has_version(self, record_id: str, content_hash: str) -> bool: ...

    @abstractmethod
    def insert(self, record_id: str, content_hash: str, minhash: bytes, root: str, run_id: str, site: str) -> int:
        """Add a pending entry and its buckets; returns its seq (higher than every earlier one)."""

    @abstractmethod
    def pending(self, run_id: str, site: str | None) -> list[tuple[int, str, str]]:
        """(seq, id, content_hash) of ``run_id``'s pending entries (``site``'s only, if given)."""

    @abstractmethod
    def resolve(self, run_id: str, keep: list[int], forget: list[tuple[int, str]]) -> None:
        """Mark ``keep`` written; delete ``forget`` (and its buckets) and re-root the copies of what it deleted:
        their new root is the earliest remaining copy (unless another version of the lost
        record is still indexed, which means that record exists)."""

    @abstractmethod
    def pending_runs(self) -> dict[str, dict[str, str] | None]:
        """Runs with pending entries, each with its owner (worker, host, root) when known."""

    @abstractmethod
    def count(self) -> int: ...

    def flush(self) -> None:
        """Write the entries added but not yet written (entries that batch their writes)."""

    def stop_waiting(self) -> None:
        """The run is stopping because another program holds the index locked: later writes fail
        at once, not each after the busy timeout. Only entries in a file that others can lock need it."""

    @abstractmethod
    def close(self) -> None: ...


#: Provisional sequence numbers of entries not yet written: after every written one, in the
#: order they were added (a lookup only orders by them).
_UNWRITTEN_SEQ = 1 << 62
#: Per index file (resolved path): the entries this process added but has not written yet,
#: (id, content_hash, minhash, root, run_id, site, band keys). Shared by every connection of
#: the process to the file (the crawls of one run), so each lookup sees every entry at once,
#: as when each was written at once; only one process writes an output's index (its run lock).
#: Entries a failed write left (a full disk, a read-only file) stay here, seen by lookups, and
#: go with the next write of any connection of the process to the file (the next batch, a
#: flush, a close, the next crawl's open): as pending entries of their run, which settling
#: keeps only if their records reached a committed part. Whatever is still here when the
#: process ends is lost: those records are not in the index, as when their lookup failed.
_UNWRITTEN: dict[Path, list[tuple[str, str, bytes, str, str, str, frozenset[tuple[int, int]]]]] = {}
#: At most this many entries wait per index file while their writes fail (a file that stays
#: read-only for the rest of a crawl): an entry beyond them is dropped when its write fails
#: (its record goes out unindexed, the failure is raised as any other) and the earlier ones,
#: the roots of later copies, are kept. Bounds the memory (~6 KB an entry) and every lookup's
#: scan of the unwritten entries.
MAX_UNWRITTEN = 4096
#: Per index file: the batch a background writer (``SqliteEntries(background=True)``) is writing,
#: as (its thread, the first n entries of the file's ``_UNWRITTEN`` it writes, the error it ended
#: with). One at a time per file, whichever connection started it: every write of the file's
#: unwritten entries waits for it, so none is written twice.
_WRITING: dict[Path, _BatchWrite] = {}
#: Per index file: its connections (``SqliteEntries``) open in this process, the crawls of one run:
#: told to stop waiting together (:meth:`SqliteEntries.stop_waiting`).
_OPEN_ENTRIES: dict[Path, weakref.WeakSet[SqliteEntries]] = {}


class _BatchWrite:
    """The first ``n`` unwritten entries of an index file written in a thread of their own
    (its own connection: a write there does not hold the reactor thread's connection), then
    removed from the unwritten list, so a lookup sees each entry at every moment: unwritten,
    or written (read the list first, then the file: it may see an entry twice, never not)."""

    def __init__(self, entries: SqliteEntries, n: int) -> None:
        self.n = n
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(entries,), name="dedup-write", daemon=True)
        self._thread.start()

    def _run(self, entries: SqliteEntries) -> None:
        try:
            entries._write_rows(entries._writer(), self.n, entries._stopped_waiting)
        except BaseException as exc:  # noqa: BLE001 - handed to the next write on the caller's thread
            self.error = exc

    def done(self) -> bool:
        return not self._thread.is_alive()

    def wait(self) -> None:
        self._thread.join()


class SqliteEntries(Entries):
    """Entries in a SQLite file (WAL), or in memory with ``path=None``.

    ``batch``: entries are written ``batch`` at a time, one transaction each (a transaction
    per entry was ~2/3 of the crawl's dedup step on the reactor thread), and whenever
    :meth:`flush` is called: before a part file is committed, so the entries of the records it
    holds are written by then (what a killed run had not written, its records were not in
    a committed part either: they are fetched again). Reads see the unwritten entries too.

    ``background`` (with ``batch``): a full batch is written in a thread with a connection of its
    own (:class:`_BatchWrite`), so the caller (the crawl's reactor thread) does not wait for it:
    its ~2,000 bucket rows land all over a table larger than the page cache (a batch dirties most
    of its pages), and one such write stalled the reactor 818 ms in a 12,000-URL crawl. A write's
    error is raised by the next call that writes (an insert filling a batch, :meth:`flush`);
    :meth:`flush` waits for the thread and writes the rest itself.
    """

    def __init__(self, path: Path | str | None, *, batch: int = 0, background: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self.batch = batch if self.path is not None else 0
        self._key = self.path.resolve() if self.path is not None else None
        self._unwritten = _UNWRITTEN.setdefault(self._key, []) if self._key is not None else []
        self.background = background and self.batch > 0
        self._writer_db: sqlite3.Connection | None = None   # the background writes' connection
        self._stopped_waiting = threading.Event()   # set by stop_waiting: ends the background write's wait
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # Checkpoints run in a thread of their own (output.sqlite): run inside an add on the
        # reactor thread, one took 0.8 s on a busy disk.
        try:
            self.db = connect_wal(self.path) if self.path is not None else \
                sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        except sqlite3.DatabaseError as exc:
            raise DedupIndexError(f"{self.path}: not a dedup index ({exc})") from None
        try:
            refuse_newer(self.db, SCHEMA_VERSION)
            self.db.executescript(SCHEMA)
        except NewerVersionError as exc:
            self.db.close()
            raise DedupIndexError(f"{self.path}: {exc}") from None
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise DedupIndexError(f"{self.path}: not a dedup index ({exc})") from None
        want = _params()
        have = {k: v for k, v in self.db.execute("SELECT key, value FROM meta") if k in want}
        if not have:
            self.db.executemany("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", want.items())
        elif have != want:
            self.db.close()
            raise DedupIndexError(f"{self.path}: built with {have}, this version uses {want}; "
                                  "move the file away to start a new index")
        mark_version(self.db, SCHEMA_VERSION)
        self._checkpointer = Checkpointer(self.path) if self.path is not None else None
        self._open = _OPEN_ENTRIES.setdefault(self._key, weakref.WeakSet()) if self._key is not None \
            else weakref.WeakSet()
        self._open.add(self)

    _ROW = "seq, id, root, run_id, pending, minhash"

    def _unwritten_entries(self, wanted: Callable[[tuple[Any, ...]], bool],
                           rows: list[tuple[Any, ...]] | None = None) -> list[Entry]:
        """``rows``: a copy of the unwritten list taken before the file was read (a background
        write removes the entries it wrote from the list after its commit)."""
        rows = list(self._unwritten) if rows is None else rows
        return [Entry(_UNWRITTEN_SEQ + i, row[0], row[3], row[4], True, row[2])
                for i, row in enumerate(rows) if wanted(row)]

    def flush(self) -> None:
        self._write_unwritten()

    def _finish_background(self) -> None:
        """Wait for the file's background write, if any; raise the error it ended with."""
        if self._key is None:
            return
        write = _WRITING.get(self._key)
        if write is None:
            return
        write.wait()
        if _WRITING.get(self._key) is write:
            del _WRITING[self._key]
        if write.error is not None:
            raise write.error

    def _write_unwritten(self) -> int | None:
        """Write the entries added but not yet written, in one transaction; the seq of the last."""
        self._finish_background()
        return self._write_rows(self.db, len(self._unwritten))

    def _write_rows(self, db: sqlite3.Connection, n: int, stop: threading.Event | None = None) -> int | None:
        """Write the first ``n`` unwritten entries with ``db`` in one transaction, then drop them
        from the list; the seq of the last. ``stop``: ends the transaction's wait for the file's lock."""
        if not n:
            return None
        seq = None
        buckets = []
        with Transaction(db, stop):
            for record_id, content_hash, minhash, root, run_id, site, keys in self._unwritten[:n]:
                seq = db.execute("INSERT INTO entries (id, content_hash, minhash, root, run_id, site)"
                                 " VALUES (?, ?, ?, ?, ?, ?)", (record_id, content_hash, minhash, root, run_id, site)).lastrowid
                buckets += [(b, k, seq) for b, k in keys]
            # In the table's order: the batch's ~2,000 rows go to random places of a table larger
            # than the page cache; in key order each page is read and dirtied once.
            buckets.sort()
            db.executemany("INSERT OR IGNORE INTO bands (band, key, seq) VALUES (?, ?, ?)", buckets)
        del self._unwritten[:n]   # after the commit: a lookup meanwhile sees them in the list
        return seq

    def _writer(self) -> sqlite3.Connection:
        """The background writes' connection (opened by the first, in its thread). It never waits
        in SQLite: its writes wait for the lock in :func:`begin_stoppable`, which stop_waiting ends."""
        if self._writer_db is None:
            self._writer_db = connect_wal(self.path)
            no_wait([self._writer_db])
        return self._writer_db

    def stop_waiting(self) -> None:
        """Every later write, of this thread and of the background writer's, fails at once when the
        file is locked; the close's checkpoint does not wait either. Before: each write (a flush
        before each part, the settling, the close) and the close's checkpoint waited the 5 s busy
        timeout (36 s to stop a 60-page crawl). This connection's background write is not waiting
        now: a stop follows a write on the caller's thread that failed, which waited for it first.
        So do the writes of every connection to the file open in this process: the other crawls of
        a ``crawl --all`` run each waited the 5 s at their next write before they stopped too; a
        background write of theirs already waiting for the lock stops waiting now (before, it
        waited its 5 s out: SQLite's own wait cannot be ended from another thread, see
        :func:`~newsclean.output.sqlite.begin_stoppable`)."""
        every = [self, *self._open]
        for entries in every:
            entries._stopped_waiting.set()
        no_wait(entries.db for entries in every)

    def _write_in_background(self) -> None:
        """Start writing the unwritten entries in a thread, unless one is writing this file's; raise
        the error of the one that ended (its entries are still unwritten: written with a later batch)."""
        assert self._key is not None
        write = _WRITING.get(self._key)
        if write is not None:
            if not write.done():
                return   # this batch goes with the next write
            self._finish_background()
        _WRITING[self._key] = _BatchWrite(self, len(self._unwritten))

    def use_bands(self, bands: int, rows: int) -> None:
        self.flush()
        self.bands = (bands, rows)
        want = f"{bands}x{rows}"
        if self._stored_bands() == want:
            return
        self.db.execute("PRAGMA busy_timeout=600000")   # another connection may be rebuilding: wait
        with Transaction(self.db):
            self.db.execute("PRAGMA busy_timeout=5000")
            if self._stored_bands() != want:   # another connection may have rebuilt meanwhile
                self.db.execute("DELETE FROM bands")
                cursor = self.db.execute("SELECT seq, minhash FROM entries ORDER BY seq")
                while batch := cursor.fetchmany(1000):
                    self.db.executemany("INSERT OR IGNORE INTO bands (band, key, seq) VALUES (?, ?, ?)",
                                        [(b, k, seq) for seq, blob in batch
                                         for b, k in band_keys(blob, bands, rows)])
                self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('lsh_bands', ?)", (want,))

    def _stored_bands(self) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = 'lsh_bands'").fetchone()
        return row[0] if row else None

    def near(self, keys: list[tuple[int, int]]) -> list[Entry]:
        if not keys:
            return []
        unwritten = list(self._unwritten)   # before the file: see _BatchWrite
        marks = ",".join("(?, ?)" for _ in keys)
        # A join, not "(band, key) IN (VALUES ...)": SQLite 3.40 scans the table for the latter.
        written = [Entry(*r[:4], bool(r[4]), r[5]) for r in self.db.execute(
            f"SELECT {self._ROW} FROM entries WHERE seq IN (SELECT b.seq FROM (VALUES {marks}) AS v"
            " JOIN bands AS b ON b.band = v.column1 AND b.key = v.column2) ORDER BY seq",
            [v for bk in keys for v in bk])]
        if not unwritten:
            return written
        wanted = set(keys)
        return written + self._unwritten_entries(lambda row: not wanted.isdisjoint(row[6]), unwritten)

    def rows(self, seqs: Iterable[int]) -> list[Entry]:
        self.flush()
        wanted = list(seqs)
        marks = ",".join("?" * len(wanted))
        return [Entry(*r[:4], bool(r[4]), r[5]) for r in self.db.execute(
            f"SELECT {self._ROW} FROM entries WHERE seq IN ({marks}) ORDER BY seq", wanted)]

    def with_hash(self, content_hash: str) -> list[Entry]:
        unwritten = list(self._unwritten)   # before the file: see _BatchWrite
        return [Entry(*r[:4], bool(r[4]), r[5]) for r in self.db.execute(
            f"SELECT {self._ROW} FROM entries WHERE content_hash = ? ORDER BY seq", (content_hash,))] + \
            self._unwritten_entries(lambda row: row[1] == content_hash, unwritten)

    def first_with_hash(self, content_hash: str, record_id: str, run_id: str | None) -> Entry | None:
        # The first row only: a text served under many URLs has as many entries, and reading
        # them all for each of its copies grew with the copies (a 12,000-URL bench crawl
        # serves each page ~58 times).
        unwritten = list(self._unwritten)   # before the file: see _BatchWrite
        pending = "" if run_id is None else " AND (pending = 0 OR run_id = ?)"
        row = self.db.execute(f"SELECT {self._ROW} FROM entries WHERE content_hash = ? AND id != ?{pending}"
                              " ORDER BY seq LIMIT 1", (content_hash, record_id, *(() if run_id is None else (run_id,)))
                              ).fetchone()
        if row is not None:
            return Entry(*row[:4], bool(row[4]), row[5])
        # unwritten entries come after every written one; all are pending, of their own run
        return next(iter(self._unwritten_entries(
            lambda row: row[1] == content_hash and row[0] != record_id and (run_id is None or row[4] == run_id),
            unwritten)), None)

    def has_version(self, record_id: str, content_hash: str) -> bool:
        if any(row[0] == record_id and row[1] == content_hash for row in list(self._unwritten)):
            return True
        return self.db.execute("SELECT 1 FROM entries WHERE id = ? AND content_hash = ? LIMIT 1",
                               (record_id, content_hash)).fetchone() is not None

    def insert(self, record_id: str, content_hash: str, minhash: bytes, root: str, run_id: str, site: str) -> int:
        self._unwritten.append((record_id, content_hash, minhash, root, run_id, site, frozenset(self._keys(minhash))))
        if self.batch and len(self._unwritten) < self.batch:
            return _UNWRITTEN_SEQ + len(self._unwritten) - 1
        try:
            if self.background:
                self._write_in_background()
                return _UNWRITTEN_SEQ + len(self._unwritten) - 1
            seq = self._write_unwritten()   # after another connection's, added earlier
        except BaseException:
            if len(self._unwritten) > MAX_UNWRITTEN:
                self._unwritten.pop()   # this one: see MAX_UNWRITTEN
            raise
        assert seq is not None
        return seq

    def _keys(self, minhash: bytes) -> list[tuple[int, int]]:
        return band_keys(minhash, *self.bands)

    def pending(self, run_id: str, site: str | None) -> list[tuple[int, str, str]]:
        self.flush()
        sql = "SELECT seq, id, content_hash FROM entries WHERE pending = 1 AND run_id = ?"
        if site is None:
            return self.db.execute(sql, (run_id,)).fetchall()
        return self.db.execute(sql + " AND site = ?", (run_id, site)).fetchall()

    def resolve(self, run_id: str, keep: list[int], forget: list[tuple[int, str]]) -> None:
        self.flush()
        with Transaction(self.db):
            self.db.executemany("UPDATE entries SET pending = 0 WHERE seq = ?", [(s,) for s in keep])
            for seq, _ in forget:
                row = self.db.execute("SELECT minhash FROM entries WHERE seq = ?", (seq,)).fetchone()
                if row is not None:   # its buckets, by primary key: no index on seq needed
                    self.db.executemany("DELETE FROM bands WHERE band = ? AND key = ? AND seq = ?",
                                        [(b, k, seq) for b, k in self._keys(row[0])])
                self.db.execute("DELETE FROM entries WHERE seq = ?", (seq,))
            for lost in {rid for _, rid in forget}:
                if self.db.execute("SELECT 1 FROM entries WHERE id = ? LIMIT 1", (lost,)).fetchone():
                    continue
                first = self.db.execute("SELECT id FROM entries WHERE root = ? ORDER BY seq LIMIT 1", (lost,)).fetchone()
                if first is not None:
                    self.db.execute("UPDATE entries SET root = ? WHERE root = ?", (first[0], lost))

    def pending_runs(self) -> dict[str, dict[str, str] | None]:
        self.flush()
        return {r[0]: None for r in self.db.execute("SELECT DISTINCT run_id FROM entries WHERE pending = 1")}

    def count(self) -> int:
        self.flush()
        return int(self.db.execute("SELECT COUNT(*) FROM entries").fetchone()[0])

    def close(self) -> None:
        self._open.discard(self)
        # Each step runs whatever the one before raised (last registered, first run): a checkpoint
        # that raised left self.db open, its file's locks held for the rest of the process.
        with contextlib.ExitStack() as steps:
            steps.callback(self.db.close)
            if self._checkpointer is not None:
                steps.callback(self._checkpointer.close, self.db)
            steps.callback(self._close_writer)
            self.flush()   # what cannot be written (disk full) waits for this process's next write: see _UNWRITTEN

    def _close_writer(self) -> None:
        if self._writer_db is not None:
            if self._key is not None and (write := _WRITING.get(self._key)) is not None:
                write.wait()   # a failed flush may leave one running: not on a closed connection
            self._writer_db.close()


# LSH buckets on Redis: one hash per band (<ns>:b:<band>), field = the 8-byte bucket key,
# value = the seqs in that bucket joined by ','. A hash field costs far less server memory
# than a key per bucket, and nearly every bucket holds one entry.
_BUCKET_LUA = """
local function bucket_add(key, field, seq)
  local v = redis.call('HGET', key, field)
  if v then redis.call('HSET', key, field, v .. ',' .. seq) else redis.call('HSET', key, field, seq) end
end
local function bucket_remove(key, field, seq)
  local v = redis.call('HGET', key, field)
  if not v then return end
  local kept = {}
  for s in string.gmatch(v, '[^,]+') do if s ~= seq then kept[#kept + 1] = s end end
  if #kept == 0 then redis.call('HDEL', key, field) else redis.call('HSET', key, field, table.concat(kept, ',')) end
end
"""

# One atomic step, so a reader never sees the counter ahead of the entry it numbers, nor an
# entry without its buckets. ARGV[8..]: the bucket keys, band 0 first.
_INSERT_LUA = _BUCKET_LUA + """
local ns = KEYS[1]
local seq = redis.call('INCR', ns .. ':seq')
local sseq = tostring(seq)
for i = 8, #ARGV do bucket_add(ns .. ':b:' .. (i - 8), ARGV[i], sseq) end
redis.call('HSET', ns .. ':e:' .. seq, 'id', ARGV[1], 'h', ARGV[2], 'mh', ARGV[3], 'root', ARGV[4],
           'run', ARGV[5], 'site', ARGV[6], 'pending', '1')
redis.call('ZADD', ns .. ':h:' .. ARGV[2], seq, seq)
redis.call('SADD', ns .. ':v:' .. ARGV[1], ARGV[2])
redis.call('ZADD', ns .. ':root:' .. ARGV[4], seq, seq)
redis.call('SADD', ns .. ':pending:' .. ARGV[5], seq)
redis.call('HSETNX', ns .. ':runs', ARGV[5], ARGV[7])
redis.call('INCR', ns .. ':n')
return seq
"""

# ARGV[1]: the seq; ARGV[2..]: its bucket keys, band 0 first.
_ADD_BUCKETS_LUA = _BUCKET_LUA + """
local ns = KEYS[1]
for i = 2, #ARGV do bucket_add(ns .. ':b:' .. (i - 2), ARGV[i], ARGV[1]) end
"""
_REMOVE_BUCKETS_LUA = _BUCKET_LUA + """
local ns = KEYS[1]
for i = 2, #ARGV do bucket_remove(ns .. ':b:' .. (i - 2), ARGV[i], ARGV[1]) end
"""


class RedisEntries(Entries):
    """Entries on Redis under ``<ns>:dedup:*``, shared by every worker of a deployment.

    ``owner`` (worker id, host, output root) is recorded per run, so a worker can settle the
    pending entries of a dead worker whose part files it can see.
    """

    BATCH = 500

    def __init__(self, client: Any, ns: str, owner: dict[str, str]) -> None:
        self.r = client
        self.ns = f"{ns}:dedup"
        self.owner = json.dumps(owner, sort_keys=True)
        want = _params()
        self.r.hsetnx(f"{self.ns}:meta", "params", json.dumps(want, sort_keys=True))
        have = json.loads(self.r.hget(f"{self.ns}:meta", "params"))
        if have != want:
            raise DedupIndexError(f"Redis {self.ns}: built with {have}, this version uses {want}; "
                                  "use another NEWSCLEAN_REDIS_NAMESPACE to start a new index")
        self._insert = self.r.register_script(_INSERT_LUA)
        self._add_buckets = self.r.register_script(_ADD_BUCKETS_LUA)
        self._remove_buckets = self.r.register_script(_REMOVE_BUCKETS_LUA)

    def _entry(self, seq: int, raw: dict[bytes, bytes]) -> Entry:
        return Entry(seq, raw[b"id"].decode(), raw[b"root"].decode(), raw[b"run"].decode(),
                     raw[b"pending"] == b"1", raw[b"mh"])

    def _fields(self, minhash: bytes) -> list[bytes]:
        return [k.to_bytes(8, "big", signed=True)
                for _, k in band_keys(minhash, *self.bands)]

    def use_bands(self, bands: int, rows: int) -> None:
        self.bands = (bands, rows)
        want = f"{bands}x{rows}"
        if self._stored_bands() == want:
            return
        # One worker rebuilds; the others wait for it, then find the buckets ready.
        with self.r.lock(f"{self.ns}:rebuild", timeout=3600, blocking_timeout=3600):
            have = self._stored_bands()
            if have == want:
                return
            if have is not None:   # buckets of another threshold
                self.r.delete(*[f"{self.ns}:b:{b}" for b in range(int(have.split("x")[0]))])
            last = int(self.r.get(f"{self.ns}:seq") or 0)
            for start in range(1, last + 1, self.BATCH):
                batch = range(start, min(start + self.BATCH, last + 1))
                with self.r.pipeline(transaction=False) as pipe:
                    for s in batch:
                        pipe.hget(f"{self.ns}:e:{s}", "mh")
                    blobs = pipe.execute()
                with self.r.pipeline(transaction=False) as pipe:
                    for s, blob in zip(batch, blobs):
                        if blob is not None:   # None: forgotten
                            self._add_buckets(keys=[self.ns], args=[s, *self._fields(blob)], client=pipe)
                    pipe.execute()
            self.r.hset(f"{self.ns}:meta", "lsh_bands", want)

    def _stored_bands(self) -> str | None:
        have = self.r.hget(f"{self.ns}:meta", "lsh_bands")
        return have.decode() if have is not None else None

    def near(self, keys: list[tuple[int, int]]) -> list[Entry]:
        with self.r.pipeline(transaction=False) as pipe:
            for b, k in keys:
                pipe.hget(f"{self.ns}:b:{b}", k.to_bytes(8, "big", signed=True))
            found = pipe.execute()
        return self.rows({int(s) for v in found if v for s in v.split(b",")})

    def rows(self, seqs: Iterable[int]) -> list[Entry]:
        ordered = sorted(seqs)
        with self.r.pipeline(transaction=False) as pipe:
            for s in ordered:
                pipe.hgetall(f"{self.ns}:e:{s}")
            raws = pipe.execute()
        return [self._entry(s, raw) for s, raw in zip(ordered, raws) if raw]

    def with_hash(self, content_hash: str) -> list[Entry]:
        return self.rows(int(s) for s in self.r.zrange(f"{self.ns}:h:{content_hash}", 0, -1))

    def has_version(self, record_id: str, content_hash: str) -> bool:
        return bool(self.r.sismember(f"{self.ns}:v:{record_id}", content_hash))

    def insert(self, record_id: str, content_hash: str, minhash: bytes, root: str, run_id: str, site: str) -> int:
        return int(self._insert(keys=[self.ns], args=[record_id, content_hash, minhash, root, run_id, site, self.owner,
                                                     *self._fields(minhash)]))

    def pending(self, run_id: str, site: str | None) -> list[tuple[int, str, str]]:
        seqs = sorted(int(s) for s in self.r.smembers(f"{self.ns}:pending:{run_id}"))
        with self.r.pipeline(transaction=False) as pipe:
            for s in seqs:
                pipe.hmget(f"{self.ns}:e:{s}", "id", "h", "site")
            found = pipe.execute()
        return [(s, rid.decode(), h.decode()) for s, (rid, h, st) in zip(seqs, found)
                if rid is not None and (site is None or st.decode() == site)]

    def resolve(self, run_id: str, keep: list[int], forget: list[tuple[int, str]]) -> None:
        with self.r.pipeline() as pipe:
            for s in keep:
                pipe.hset(f"{self.ns}:e:{s}", "pending", "0")
                pipe.srem(f"{self.ns}:pending:{run_id}", s)
            pipe.execute()
        lost_ids = set()
        for s, rid in forget:
            h, root, mh = self.r.hmget(f"{self.ns}:e:{s}", "h", "root", "mh")
            with self.r.pipeline() as pipe:
                if mh is not None:
                    self._remove_buckets(keys=[self.ns], args=[s, *self._fields(mh)], client=pipe)
                pipe.delete(f"{self.ns}:e:{s}")
                pipe.srem(f"{self.ns}:pending:{run_id}", s)
                if h is not None:
                    pipe.zrem(f"{self.ns}:h:{h.decode()}", s)
                    pipe.srem(f"{self.ns}:v:{rid}", h.decode())
                    pipe.zrem(f"{self.ns}:root:{root.decode()}", s)
                    pipe.decr(f"{self.ns}:n")
                pipe.execute()
            lost_ids.add(rid)
        for lost in lost_ids:
            if self.r.scard(f"{self.ns}:v:{lost}"):
                continue
            copies = [int(s) for s in self.r.zrange(f"{self.ns}:root:{lost}", 0, -1)]
            rows = self.rows(copies)
            if not rows:
                continue
            new_root = rows[0].id
            with self.r.pipeline() as pipe:
                for row in rows:
                    pipe.hset(f"{self.ns}:e:{row.seq}", "root", new_root)
                    pipe.zadd(f"{self.ns}:root:{new_root}", {str(row.seq): row.seq})
                pipe.delete(f"{self.ns}:root:{lost}")
                pipe.execute()
        if not self.r.scard(f"{self.ns}:pending:{run_id}"):
            self.r.hdel(f"{self.ns}:runs", run_id)

    def pending_runs(self) -> dict[str, dict[str, str] | None]:
        runs = {k.decode(): json.loads(v) for k, v in self.r.hgetall(f"{self.ns}:runs").items()}
        return {run: owner for run, owner in runs.items() if self.r.scard(f"{self.ns}:pending:{run}")}

    def count(self) -> int:
        return int(self.r.get(f"{self.ns}:n") or 0)

    def close(self) -> None:
        """The client belongs to the caller."""


def _params() -> dict[str, str]:
    return {"num_perm": str(NUM_PERM), "shingle_words": str(SHINGLE_WORDS), "seed": str(SEED)}


class DedupIndex:
    """The duplicate index: entries and LSH buckets in ``entries`` (SQLite file by default;
    ``path=None``: in memory, for runs without a state dir). Nothing is loaded at open.
    ``batch``, ``background``: how the SQLite file's entries are written (:class:`SqliteEntries`)."""

    def __init__(self, path: Path | str | None = None, *, threshold: float = DEFAULT_THRESHOLD,
                 entries: Entries | None = None, batch: int = 0, background: bool = False) -> None:
        if not 0.0 < threshold < 1.0:
            raise ValueError(f"dedup threshold must be between 0 and 1 (exclusive), got {threshold!r}")
        self.threshold = threshold
        self.entries = entries if entries is not None else SqliteEntries(path, batch=batch, background=background)
        try:
            self.entries.use_bands(*lsh_params(threshold))
        except BaseException:
            self.entries.close()
            raise

    def candidates(self, sig: Signature | LeanMinHash) -> list[Entry]:
        """Entries sharing an LSH bucket with ``sig`` (before any check), in indexing order."""
        return self.entries.near(band_keys(sig.hashvalues, *self.entries.bands))

    # -- lookups ------------------------------------------------------------------------------

    def find(self, record_id: str, content_hash: str, sig: Signature | LeanMinHash, *, run_id: str | None = None) -> Match | None:
        """The earliest indexed record ``record_id`` is a copy of, or None.

        With ``run_id``, pending entries of other runs are not candidates: their records may
        never be written (a killed run, a worker on another machine still writing).
        """
        exact = self.entries.first_with_hash(content_hash, record_id, run_id)
        if exact is not None:
            return Match(exact.root, "exact", 1.0) if exact.root != record_id else None
        values = _values(sig.hashvalues)   # once, not per candidate (a LeanMinHash's are numpy's)
        for e in self.candidates(sig):
            # LSH buckets only suggest; the signature estimate decides.
            if not e.may_be_original_of(record_id, run_id):
                continue
            similarity = _jaccard(values, e.minhash)
            if similarity >= self.threshold:
                return Match(e.root, "near", similarity) if e.root != record_id else None
        return None

    # -- updates ------------------------------------------------------------------------------

    def observe(self, record_id: str, content_hash: str, text: str, *, run_id: str, site: str = "",
                keep: bool = True, minhash: bytes | None = None) -> Match | None:
        """What ``text`` is a copy of (see :meth:`find`), then index it for ``run_id`` — unless it
        is a copy that will not be kept (``keep=False``: dropped copies are not in the output).
        ``minhash``: the text's signature if already computed (:class:`TextDigest`).
        The one sequence the crawl, ``newsclean clean`` and :func:`find_duplicates` all follow."""
        sig = Signature(_values(minhash) if minhash is not None else signature_values(text))
        match = self.find(record_id, content_hash, sig, run_id=run_id)
        if match is None or keep:
            self.add(record_id, content_hash, sig, root=match.duplicate_of if match else None,
                     run_id=run_id, site=site)
        return match

    def add(self, record_id: str, content_hash: str, sig: Signature | LeanMinHash, *, root: str | None, run_id: str,
            site: str = "") -> None:
        """Index a record as pending for ``run_id`` (and ``site``); ``root`` is what it is a copy
        of (None: an original)."""
        if self.entries.has_version(record_id, content_hash):
            return   # the same version again (a run without the article store refetches all)
        blob = _values(sig.hashvalues).tobytes()
        self.entries.insert(record_id, content_hash, blob, root or record_id, run_id, site)

    def pending_runs(self) -> list[str]:
        return sorted(self.entries.pending_runs())

    def run_owner(self, run_id: str) -> dict[str, str] | None:
        """Who indexed ``run_id`` (worker, host, root), when the entries know (Redis)."""
        return self.entries.pending_runs().get(run_id)

    def settle(self, run_id: str, written: Callable[[str, str], bool] | Collection[tuple[str, str]],
               site: str | None = None) -> tuple[int, int]:
        """Keep ``run_id``'s pending entries (only ``site``'s, if given) whose (id, content_hash)
        was written, forget the others. Copies that pointed at a forgotten record now point at
        the earliest kept copy, so no later match names a record that is not in the output.
        Returns (kept, forgotten)."""
        is_written = written if callable(written) else (lambda i, h, _w=set(written): (i, h) in _w)
        rows = self.entries.pending(run_id, site)
        keep = [seq for seq, rid, h in rows if is_written(rid, h)]
        forget = [(seq, rid) for seq, rid, h in rows if not is_written(rid, h)]
        self.entries.resolve(run_id, keep, forget)
        return len(keep), len(forget)

    def count(self) -> int:
        return self.entries.count()

    def flush(self) -> None:
        """Write the entries added but not yet written (``batch``: see :class:`SqliteEntries`)."""
        self.entries.flush()

    def stop_waiting(self) -> None:
        """Another program holds the index file locked and the run stops: later writes fail at once
        (see :meth:`SqliteEntries.stop_waiting`)."""
        self.entries.stop_waiting()

    def close(self) -> None:
        self.entries.close()


def written_in_run(root: Path | str, run_id: str) -> set[tuple[str, str]]:
    """(id, content_hash) of every record in ``run_id``'s committed article parts under ``root``."""
    parts = [p for p in find_parts(root) if p.name.startswith(f"part-{run_id}-")]
    return {(r.get("id", ""), r.get("content_hash", "")) for r in iter_records(parts)}


def find_duplicates(records: Iterable[tuple[str, str, str]], *, threshold: float = DEFAULT_THRESHOLD,
                    index: DedupIndex | None = None, run_id: str = "batch") -> list[Match | None]:
    """Match each (id, content_hash, text) against the ones before it (and ``index``'s
    settled contents); returns one Match or None per record, in order. Entries added here stay pending
    in ``index`` for ``run_id`` until settled."""
    own = index is None
    idx = index or DedupIndex(None, threshold=threshold)
    out: list[Match | None] = []
    try:
        for rid, chash, text in records:
            out.append(idx.observe(rid, chash, text, run_id=run_id))
    finally:
        if own:
            idx.close()
    return out
