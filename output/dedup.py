"""Duplicates across runs: exact copies by ``content_hash``, near copies (syndicated wire
stories, lightly edited reposts) by MinHash LSH over word shingles (datasketch).

Plain Python: never imports Scrapy or ``crawler``.

The index persists in SQLite (``<state>/dedup.sqlite3``): per indexed record its id, content
hash, MinHash signature, the id it counts as a copy of (``root``: itself for an original) and
the order it was indexed in. The LSH buckets live in memory, rebuilt from the file when the
index opens (so a run compares against everything earlier runs wrote) and caught up with
rows other connections added before each lookup (so the crawls of one ``newsclean crawl
--all`` run, one index connection each, see each other's records at once).

The earliest record wins: a copy points at the *root* of the earliest matching entry, so
``duplicate_of`` always names an original, never a copy of a copy. A record never points at
itself: entries with its own id (an earlier version of a refetched, changed article) are
not candidates.

Crash safety follows the article store's staging. :meth:`DedupIndex.add` indexes a record as
*pending* for its run (visible at once, so copies within the run are found);
:meth:`DedupIndex.settle` later keeps the pending entries whose records were written and
forgets the others, so no later copy can point at a record that never reached the output.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from output.reader import find_parts, iter_records
from output.schema import normalize_text

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
    """Lower-cased word ``size``-grams of ``text``; a text shorter than that is one shingle."""
    words = _WORD.findall(normalize_text(text).lower())
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def signature(text: str) -> LeanMinHash:
    """The MinHash of ``text``'s shingles (empty text: the empty signature)."""
    mh = MinHash(num_perm=NUM_PERM, seed=SEED)
    mh.update_batch([s.encode("utf-8") for s in shingles(text)])
    return LeanMinHash(mh)


def _from_blob(blob: bytes) -> LeanMinHash:
    return LeanMinHash(seed=SEED, hashvalues=np.frombuffer(blob, dtype=np.uint64))


class DedupIndex:
    """The persisted duplicate index. ``path=None``: in memory, for runs without a state dir."""

    def __init__(self, path: Path | str | None, *, threshold: float = DEFAULT_THRESHOLD) -> None:
        if not 0.0 < threshold < 1.0:
            raise ValueError(f"dedup threshold must be between 0 and 1 (exclusive), got {threshold!r}")
        self.threshold = threshold
        self.path = Path(path) if path is not None else None
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path or ":memory:", isolation_level=None, check_same_thread=False)
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA busy_timeout=5000")
            self.db.executescript(SCHEMA)
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise DedupIndexError(f"{self.path}: not a dedup index ({exc})") from None
        self._check_params()
        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM, weights=LSH_WEIGHTS)
        self._loaded = 0
        self._catch_up()

    def _catch_up(self) -> None:
        """Load the rows added since the last look (all of them at open)."""
        for seq, blob in self.db.execute("SELECT seq, minhash FROM entries WHERE seq > ? ORDER BY seq", (self._loaded,)):
            if seq not in self.lsh:
                self.lsh.insert(seq, _from_blob(blob), check_duplication=False)
            self._loaded = seq

    def _check_params(self) -> None:
        want = {"num_perm": str(NUM_PERM), "shingle_words": str(SHINGLE_WORDS), "seed": str(SEED)}
        have = dict(self.db.execute("SELECT key, value FROM meta").fetchall())
        if not have:
            self.db.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", want.items())
        elif have != want:
            raise DedupIndexError(f"{self.path}: built with {have}, this version uses {want}; "
                                  "move the file away to start a new index")

    # -- lookups ------------------------------------------------------------------------------

    def find(self, record_id: str, content_hash: str, sig: LeanMinHash) -> Match | None:
        """The earliest indexed record ``record_id`` is a copy of, or None."""
        row = self.db.execute("SELECT root FROM entries WHERE content_hash = ? AND id != ? ORDER BY seq LIMIT 1",
                              (content_hash, record_id)).fetchone()
        if row is not None:
            return Match(row[0], "exact", 1.0) if row[0] != record_id else None
        self._catch_up()
        candidates = self.lsh.query(sig)
        if not candidates:
            return None
        marks = ",".join("?" * len(candidates))
        rows = self.db.execute(f"SELECT id, root, minhash FROM entries WHERE seq IN ({marks}) ORDER BY seq",
                               list(candidates)).fetchall()
        for other_id, root, blob in rows:
            # LSH buckets only suggest; the signature estimate decides.
            if other_id == record_id:
                continue
            similarity = sig.jaccard(_from_blob(blob))
            if similarity >= self.threshold:
                return Match(root, "near", similarity) if root != record_id else None
        return None

    # -- updates ------------------------------------------------------------------------------

    def add(self, record_id: str, content_hash: str, sig: LeanMinHash, *, root: str | None, run_id: str,
            site: str = "") -> None:
        """Index a record as pending for ``run_id`` (and ``site``); ``root`` is what it is a copy
        of (None: an original)."""
        if self.db.execute("SELECT 1 FROM entries WHERE id = ? AND content_hash = ? LIMIT 1",
                           (record_id, content_hash)).fetchone():
            return   # the same version again (a run without the article store refetches all)
        blob = np.asarray(sig.hashvalues, dtype=np.uint64).tobytes()
        seq = self.db.execute("INSERT INTO entries (id, content_hash, minhash, root, run_id, site)"
                              " VALUES (?, ?, ?, ?, ?, ?)",
                              (record_id, content_hash, blob, root or record_id, run_id, site)).lastrowid
        assert seq is not None
        self.lsh.insert(seq, sig, check_duplication=False)

    def pending_runs(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT run_id FROM entries WHERE pending = 1")]

    def settle(self, run_id: str, written: Callable[[str, str], bool] | Collection[tuple[str, str]],
               site: str | None = None) -> tuple[int, int]:
        """Keep ``run_id``'s pending entries (only ``site``'s, if given) whose (id, content_hash)
        was written, forget the others. Copies that pointed at a forgotten record now point at
        the earliest kept copy, so no later match names a record that is not in the output.
        Returns (kept, forgotten)."""
        is_written = written if callable(written) else (lambda i, h, _w=set(written): (i, h) in _w)
        sql = "SELECT seq, id, content_hash FROM entries WHERE pending = 1 AND run_id = ?"
        rows = self.db.execute(sql + (" AND site = ?" if site is not None else ""),
                               (run_id, site) if site is not None else (run_id,)).fetchall()
        keep = [seq for seq, rid, h in rows if is_written(rid, h)]
        forget = [(seq, rid) for seq, rid, h in rows if not is_written(rid, h)]
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.executemany("UPDATE entries SET pending = 0 WHERE seq = ?", [(s,) for s in keep])
            self.db.executemany("DELETE FROM entries WHERE seq = ?", [(s,) for s, _ in forget])
            for rid in {rid for _, rid in forget}:
                self._reroot(rid)
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        for seq, _ in forget:
            if seq in self.lsh:
                self.lsh.remove(seq)
        return len(keep), len(forget)

    def _reroot(self, lost: str) -> None:
        if self.db.execute("SELECT 1 FROM entries WHERE id = ? LIMIT 1", (lost,)).fetchone():
            return   # an earlier version of that record is still indexed: it exists
        first = self.db.execute("SELECT id FROM entries WHERE root = ? ORDER BY seq LIMIT 1", (lost,)).fetchone()
        if first is not None:
            self.db.execute("UPDATE entries SET root = ? WHERE root = ?", (first[0], lost))

    def count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM entries").fetchone()[0])

    def close(self) -> None:
        if self.path is not None:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.close()


def written_in_run(root: Path | str, run_id: str) -> set[tuple[str, str]]:
    """(id, content_hash) of every record in ``run_id``'s committed article parts under ``root``."""
    parts = [p for p in find_parts(root) if p.name.startswith(f"part-{run_id}-")]
    return {(r.get("id", ""), r.get("content_hash", "")) for r in iter_records(parts)}


def find_duplicates(records: Iterable[tuple[str, str, str]], *, threshold: float = DEFAULT_THRESHOLD,
                    index: DedupIndex | None = None, run_id: str = "batch") -> list[Match | None]:
    """Match each (id, content_hash, text) against the ones before it (and ``index``'s
    contents); returns one Match or None per record, in order. Entries added here stay pending
    in ``index`` for ``run_id`` until settled."""
    own = index is None
    idx = index or DedupIndex(None, threshold=threshold)
    out: list[Match | None] = []
    try:
        for rid, chash, text in records:
            sig = signature(text)
            match = idx.find(rid, chash, sig)
            idx.add(rid, chash, sig, root=match.duplicate_of if match else None, run_id=run_id)
            out.append(match)
    finally:
        if own:
            idx.close()
    return out
