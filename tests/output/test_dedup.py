"""newsclean.output.dedup: exact and near duplicates, the earliest record wins, persisted, crash-safe."""

from __future__ import annotations

import sqlite3
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from datasketch import LeanMinHash, MinHash, MinHashLSH

from newsclean.output import PartWriter, content_hash
from newsclean.output.dedup import (DEFAULT_THRESHOLD, LSH_WEIGHTS, NUM_PERM, SEED, SHINGLE_WORDS, DedupIndex,
                                    DedupIndexError, TextDigest, find_duplicates, lsh_params, shingle_hashes, shingles, signature,
                                    written_in_run)

from ..conftest import modules_imported
from ..dedup_fixtures import distinct, measure, syndicated


def _entry(name: str, text: str) -> tuple[str, str, str]:
    return (f"{name:0>32}"[:32], content_hash(text), text)


def _add(index: DedupIndex, rid: str, text: str, run_id: str = "r1", site: str = "") -> str | None:
    """Find and index like the pipeline does; returns duplicate_of."""
    sig = signature(text)
    match = index.find(rid, content_hash(text), sig)
    index.add(rid, content_hash(text), sig, root=match.duplicate_of if match else None, run_id=run_id, site=site)
    return match.duplicate_of if match else None


STORY = syndicated()[0][0].text
OTHER = syndicated()[1][0].text


def test_signature_is_datasketchs_minhash() -> None:
    # Signatures are stored in persisted indexes: a faster way of computing them (reused
    # permutations) must give exactly what a fresh datasketch MinHash gives.
    for text in (STORY, OTHER, "one two", "", NON_ASCII, "so it goes " * 20):
        fresh = MinHash(num_perm=NUM_PERM, seed=SEED)
        fresh.update_batch([s.encode("utf-8") for s in shingles(text)])
        assert np.array_equal(signature(text).hashvalues, fresh.hashvalues)
        # The digest a worker computes without datasketch holds the same values.
        assert TextDigest.of(text).minhash == np.asarray(fresh.hashvalues, dtype=np.uint64).tobytes()


def test_a_long_texts_signature_is_datasketchs_minhash_in_small_arrays() -> None:
    # A long article's shingles are permuted SIGNATURE_ROWS at a time (each a shingles x NUM_PERM
    # array, twice): the values are the same, and the arrays of 5,000 shingles (10 MB at once,
    # a cleaning worker's peak after its largest pages) stay near 2 MB.
    import tracemalloc

    from newsclean.output.dedup import SIGNATURE_ROWS, signature_values

    words = [f"{w}{i % 97}" for i, w in enumerate((STORY + " " + OTHER).split() * 60)][:5000]
    text = " ".join(words)
    assert len(shingles(text)) > 4 * SIGNATURE_ROWS
    fresh = MinHash(num_perm=NUM_PERM, seed=SEED)
    fresh.update_batch([s.encode("utf-8") for s in shingles(text)])
    tracemalloc.start()
    try:
        values = signature_values(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert np.array_equal(values, fresh.hashvalues)
    assert peak < 4_000_000, peak


#: Words of 1-3 UTF-8 bytes a character, decomposed accents (NFC joins them) and spacing of all kinds.
NON_ASCII = ("Caf\u0065\u0301 owners\tsaid\u00a0on  Monday that the new bridge would open. R\u00e9sum\u00e9s "
             "\u00e0 la une: \u65b0\u805e \uff21\uff22 ok, \u0416\u0443\u0440\u043d\u0430\u043b \u2014 the end")


def test_shingle_hashes_are_the_shingles_sha1_prefixes() -> None:
    # The worker hashes slices of one encoded string instead of each shingle joined and
    # encoded: the hashes must be those of shingles() exactly, or signatures stop matching.
    import hashlib

    for text in (STORY, NON_ASCII, "so it goes " * 20, "One  two\tthree", "a b c d e", "a b c d e f", " \n ", ""):
        got = shingle_hashes(text)
        assert len(got) % 4 == 0
        want = {hashlib.sha1(s.encode("utf-8")).digest()[:4] for s in shingles(text)}
        assert {got[i:i + 4] for i in range(0, len(got), 4)} == want, text[:40]


def test_a_batching_index_finds_its_unwritten_entries_and_writes_them_in_batches(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "dedup.sqlite3"
    index = DedupIndex(path, batch=3)
    other = DedupIndex(path, batch=3)   # another crawl of the run: its own connection, in this process
    written = sqlite3.connect(path)     # what a kill would leave

    def entries() -> int:
        return written.execute("SELECT COUNT(*) FROM entries").fetchone()[0]

    assert index.observe("a" * 32, content_hash(STORY), STORY, run_id="r") is None
    # Found before it is written: an exact copy and a near copy; by the other crawl too.
    assert index.observe("b" * 32, content_hash(STORY), STORY, run_id="r").duplicate_of == "a" * 32
    assert entries() == 0
    near = other.observe("c" * 32, content_hash(STORY + " More."), STORY + " More.", run_id="r")
    assert near is not None and (near.kind, near.duplicate_of) == ("near", "a" * 32)
    assert entries() == 3                          # the third entry filled the batch: written
    assert index.observe("d" * 32, content_hash(OTHER), OTHER, run_id="r") is None
    assert entries() == 3
    index.flush()                                  # the crawl's output calls it before each part's rename
    assert entries() == 4
    assert [root for (root,) in written.execute("SELECT root FROM entries ORDER BY seq")] == \
        ["a" * 32, "a" * 32, "a" * 32, "d" * 32]
    assert index.observe("e" * 32, content_hash(OTHER), OTHER, run_id="r").duplicate_of == "d" * 32
    other.close()                                  # closing writes what is left
    assert entries() == 5
    index.close()


def test_a_background_batch_is_seen_while_written_and_a_flush_waits_for_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The crawl writes a full batch in a thread (not on the reactor's); a flush (before a part is
    # committed: after it, a kill may come) returns only once that batch and the rest are written.
    import threading

    from newsclean.output import dedup

    path = tmp_path / "dedup.sqlite3"
    index = DedupIndex(path, batch=2, background=True)
    gate, connect = threading.Event(), dedup.connect_wal

    def slow_disk(p: Path) -> sqlite3.Connection:   # the thread's connection: the batch waits at the gate
        gate.wait(10)
        return connect(p)

    monkeypatch.setattr(dedup, "connect_wal", slow_disk)
    texts = ["\n".join(t.paragraphs) for t in distinct()[:3]]
    for n, text in enumerate(texts[:2]):
        assert index.observe(f"{n:0>32}", content_hash(text), text, run_id="r") is None
    # being written: a lookup still finds both (the reactor did not wait for the write)
    for n, text in enumerate(texts[:2]):
        assert index.observe(f"c{n:0>31}", content_hash(text), text, run_id="r").duplicate_of == f"{n:0>32}"
    flushed = threading.Event()
    flusher = threading.Thread(target=lambda: (index.flush(), flushed.set()))
    flusher.start()
    assert not flushed.wait(0.3)                    # the batch is not written yet: the flush waits
    gate.set()
    flusher.join(10)
    assert flushed.is_set()
    # what a kill right after the flush would leave: every entry, once, with its buckets
    rows = sqlite3.connect(path).execute("SELECT id, root FROM entries ORDER BY seq").fetchall()
    a, b = "0" * 32, "0" * 31 + "1"
    assert rows == [(a, a), (b, b), ("c" + a[1:], a), ("c" + b[1:], b)]
    bands = index.entries.bands[0]
    assert sqlite3.connect(path).execute("SELECT COUNT(DISTINCT seq), COUNT(*) FROM bands").fetchone() == (4, 4 * bands)
    # and the index reads the same once written: an exact copy, a near copy, a new text
    assert index.observe("d" * 32, content_hash(texts[0]), texts[0], run_id="r").duplicate_of == a
    near = index.observe("e" * 32, content_hash(texts[1] + " More."), texts[1] + " More.", run_id="r")
    assert near is not None and (near.kind, near.duplicate_of) == ("near", b)
    assert index.observe("f" * 32, content_hash(texts[2]), texts[2], run_id="r") is None
    index.close()
    assert sqlite3.connect(path).execute("SELECT COUNT(*) FROM entries").fetchone()[0] == 7


def test_a_background_batch_is_seen_while_its_transaction_is_open(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The batch's entries are inserted but not committed: a lookup on the reactor's connection
    # cannot read them in the file yet, so they must still be in the unwritten list (dropped
    # from it only after the commit).
    import threading

    from newsclean.output import dedup

    inside, gate = threading.Event(), threading.Event()

    class HeldAtTheBuckets(sqlite3.Connection):
        def executemany(self, sql: str, rows: object) -> sqlite3.Cursor:   # type: ignore[override]
            if "INTO bands" in sql:   # the entries' rows are in, uncommitted
                inside.set()
                gate.wait(10)
            return super().executemany(sql, rows)   # type: ignore[arg-type]

    def writer(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, factory=HeldAtTheBuckets)
        db.execute("PRAGMA busy_timeout=5000")
        return db

    path = tmp_path / "dedup.sqlite3"
    index = DedupIndex(path, batch=2, background=True)
    monkeypatch.setattr(dedup, "connect_wal", writer)
    texts = ["\n".join(t.paragraphs) for t in distinct()[:2]]
    for n, text in enumerate(texts):
        assert index.observe(f"{n:0>32}", content_hash(text), text, run_id="r") is None
    assert inside.wait(10)
    try:
        for n, text in enumerate(texts):   # an exact copy and a near copy of each, found
            assert index.find("c" * 32, content_hash(text), signature(text)).duplicate_of == f"{n:0>32}"
            near = text + " One more sentence here."
            assert index.find("d" * 32, content_hash(near), signature(near)).duplicate_of == f"{n:0>32}"
    finally:
        gate.set()
    index.flush()
    assert sqlite3.connect(path).execute("SELECT id FROM entries ORDER BY seq").fetchall() == \
        [(f"{0:0>32}",), (f"{1:0>32}",)]
    index.close()


def test_a_failed_background_write_is_raised_by_the_next_write_and_its_entries_wait(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsclean.output import dedup

    def read_only(path: Path) -> sqlite3.Connection:   # the thread's connection: its file turned read-only
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA query_only = ON")
        return db

    path = tmp_path / "dedup.sqlite3"
    index = DedupIndex(path, batch=2, background=True)
    monkeypatch.setattr(dedup, "connect_wal", read_only)
    texts = ["\n".join(t.paragraphs) for t in distinct()[:3]]
    for n, text in enumerate(texts[:2]):
        index.observe(f"{n:0>32}", content_hash(text), text, run_id="r")   # the second starts the write
    dedup._WRITING[path.resolve()].wait()
    with pytest.raises(sqlite3.Error, match="readonly"):
        index.observe("2" * 32, content_hash(texts[2]), texts[2], run_id="r")   # the next batch's write says it
    # nothing was lost: the three wait, seen by lookups, and the flush (the reactor's connection) writes them
    assert index.find("f" * 32, content_hash(texts[1]), signature(texts[1])).duplicate_of == f"{1:0>32}"
    index.flush()
    assert sqlite3.connect(path).execute("SELECT id FROM entries ORDER BY seq").fetchall() == \
        [(f"{0:0>32}",), (f"{1:0>32}",), ("2" * 32,)]
    index.close()


def test_entries_a_failed_write_left_are_bounded_and_written_by_the_next_connection(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsclean.output import dedup

    monkeypatch.setattr(dedup, "MAX_UNWRITTEN", 3)
    path = tmp_path / "dedup.sqlite3"
    index = DedupIndex(path, batch=2)
    index.entries.db.execute("PRAGMA query_only = ON")   # its file turns read-only: every write fails
    texts = ["\n".join(t.paragraphs) for t in distinct()[:6]]   # no two are copies
    failed = 0
    for n, text in enumerate(texts):
        try:
            index.observe(f"{n:0>32}", content_hash(text), text, run_id="r")
        except sqlite3.Error as exc:
            assert "readonly" in str(exc)
            failed += 1
    assert failed == 5                       # every write from the second entry on
    # The earliest MAX_UNWRITTEN wait (lookups see them), the later ones were dropped.
    found = [index.find("f" * 32, content_hash(text), signature(text)) for text in texts]
    assert [m.duplicate_of if m and m.kind == "exact" else None for m in found] == \
        [f"{n:0>32}" for n in range(3)] + [None] * 3
    with pytest.raises(sqlite3.Error):
        index.close()                        # its last write fails too: they still wait
    assert sqlite3.connect(path).execute("SELECT COUNT(*) FROM entries").fetchone()[0] == 0
    # The next connection of the process writes them, pending for their run, which settles them.
    reopened = DedupIndex(path)
    assert reopened.count() == 3 and reopened.pending_runs() == ["r"]
    assert reopened.settle("r", {("0" * 32, content_hash(texts[0]))}) == (1, 2)
    reopened.close()


def test_shingles_are_the_normalized_texts_words() -> None:
    # Shingles skip normalize_text's spacing work (no word changes with it); the words must
    # stay those of the normalized text, or stored signatures would stop matching new ones.
    import re

    from newsclean.output.schema import normalize_text

    text = ("Caf\u0065\u0301 owners\tsaid\u00a0on  Monday\r\nthat the\u2028new  bridge\x0bwould open.\n\n"
            "  R\u00e9sum\u00e9s, 2026-01-05: \u65b0\u805e \uff21\uff22 ok  ")
    words = re.findall(r"\w+", normalize_text(text).lower())
    assert shingles(text) == {" ".join(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}
    assert shingles("One  two\tthree") == {"one two three"} and shingles(" \n ") == set()


def test_cleaning_workers_do_not_import_datasketch() -> None:
    # Its import loads scipy (~48 MB a process); the workers only compute signatures.
    assert modules_imported("import newsclean.crawler.workers.worker_preload", ("datasketch", "scipy")) == []


def test_lsh_params_are_datasketchs() -> None:
    # Computed without scipy now; the buckets stored in an index are cut with them.
    for threshold in [i / 20 for i in range(1, 20)] + [0.33, 0.66]:
        lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM, weights=LSH_WEIGHTS)
        assert lsh_params(threshold) == (lsh.b, lsh.r), threshold


def test_the_crawls_dedup_path_does_not_import_datasketch() -> None:
    # The main process indexes and looks up with signatures computed by the workers (and a
    # text's own when there is none): datasketch's import (scipy) cost a tenth of its CPU.
    code = ("from newsclean.output.dedup import DedupIndex, TextDigest\n"
            "index = DedupIndex(None)\n"
            "text = 'the council said on monday that the new bridge would open in the spring ' * 3\n"
            "d = TextDigest.of(text)\n"
            "assert index.observe('a' * 32, d.content_hash, text, run_id='r', minhash=d.minhash) is None\n"
            "m = index.observe('b' * 32, 'other', text + ' again', run_id='r')\n"
            "assert m is not None and m.kind == 'near' and m.duplicate_of == 'a' * 32, m")
    assert modules_imported(code, ("datasketch", "scipy")) == []


def test_the_index_finds_copies_by_given_signatures_without_numpy() -> None:
    # In a crawl the workers compute the signatures; the main process's index only cuts them into
    # bands and compares them, in plain Python: it never imports numpy (12 MB of that process).
    text = "the council said on monday that the new bridge would open in the spring " * 3
    first, copy = TextDigest.of(text), TextDigest.of(text + " again")
    code = ("from newsclean.output.dedup import DedupIndex\n"
            "index = DedupIndex(None)\n"
            f"assert index.observe('a' * 32, {first.content_hash!r}, {text!r}, run_id='r', minhash={first.minhash!r}) is None\n"
            f"m = index.observe('b' * 32, {copy.content_hash!r}, {text + ' again'!r}, run_id='r', minhash={copy.minhash!r})\n"
            "assert m is not None and m.kind == 'near' and m.duplicate_of == 'a' * 32, m")
    assert modules_imported(code, ("numpy", "datasketch", "scipy")) == []


def test_a_signature_computed_elsewhere_finds_the_same_copies() -> None:
    # The crawl computes each text's digest in the cleaning worker and hands the index its
    # signature: the matches must be those of the index computing it itself.
    records = [_entry(wire.name, wire.text) for wire, _ in syndicated()]
    records += [_entry(copy.name, copy.text) for _, copies in syndicated() for copy in copies]
    records += [_entry(d.name, d.text) for d in distinct()]
    own, given = DedupIndex(None), DedupIndex(None)
    for rid, chash, text in records:
        digest = TextDigest.of(text)
        assert digest.content_hash == chash and digest.word_count == len(text.split())
        expected = own.observe(rid, chash, text, run_id="r")
        assert given.observe(rid, chash, text, run_id="r", minhash=digest.minhash) == expected
    assert own.count() == given.count() == len(records)


def test_exact_copy_points_at_the_first() -> None:
    first, second, third = _entry("a", STORY), _entry("b", "  " + STORY.replace("\n", "\n\n")), _entry("c", STORY)
    matches = find_duplicates([first, second, third])
    assert matches[0] is None
    assert [(m.duplicate_of, m.kind) for m in matches[1:]] == [(first[0], "exact"), (first[0], "exact")]


def test_every_syndicated_copy_is_found_as_a_copy_of_its_story() -> None:
    records, expected = [], []
    for wire, copies in syndicated():
        original = _entry(wire.name, wire.text)
        records.append(original)
        expected.append(None)
        for copy in copies:
            records.append(_entry(copy.name, copy.text))
            expected.append(original[0])
    matches = find_duplicates(records)
    assert [m.duplicate_of if m else None for m in matches] == expected
    assert {m.kind for m in matches if m} == {"near"}


def test_distinct_articles_on_the_same_event_are_never_merged() -> None:
    texts = [w for w, _ in syndicated()] + distinct()
    assert len({t.key for t in distinct()}) == 3 and len(distinct()) == 9
    matches = find_duplicates([_entry(t.name, t.text) for t in texts])
    assert matches == [None] * len(texts)


def test_fixture_figures_at_the_default_threshold() -> None:
    figures = measure(DEFAULT_THRESHOLD)
    print(f"\nsyndicated copies found: {figures.copies_found}/{figures.copies}; "
          f"false merges: {figures.false_merges}/{figures.distinct_pairs} distinct pairs")
    assert figures.copies_found == figures.copies == 16
    assert figures.false_merges == 0 and figures.distinct_pairs == 78
    assert measure(0.8).copies_found < figures.copies   # why the default is not the usual 0.8


def test_a_record_never_points_at_itself_and_copies_point_at_the_original() -> None:
    index = DedupIndex(None)
    a, b, c = "a" * 32, "b" * 32, "c" * 32
    wire, copies = syndicated()[0]
    assert _add(index, a, wire.text) is None
    assert _add(index, b, copies[0].text) == a
    # a refetched, changed version of a keeps its own id and is nobody's copy
    assert _add(index, a, wire.text + "\nUpdate: the port authority later confirmed the figures.") is None
    # a copy of the copy b names the original, not b
    assert _add(index, c, copies[0].text + "\nThis story was shared by a reader.") == a
    # b changed: still a copy of a
    assert _add(index, b, copies[0].text.replace("Thursday", "Friday")) == a
    assert index.count() == 5


def test_the_index_persists_across_reopen(tmp_path: Path) -> None:
    path = tmp_path / "state" / "dedup.sqlite3"
    wire, copies = syndicated()[2]
    index = DedupIndex(path)
    _add(index, "a" * 32, wire.text, run_id="run1")
    _add(index, "d" * 32, OTHER, run_id="run1")
    assert index.settle("run1", {("a" * 32, content_hash(wire.text)), ("d" * 32, content_hash(OTHER))}) == (2, 0)
    index.close()
    again = DedupIndex(path)
    assert again.count() == 2 and again.pending_runs() == []
    assert _add(again, "b" * 32, copies[1].text, run_id="run2") == "a" * 32
    assert _add(again, "e" * 32, OTHER, run_id="run2") == "d" * 32
    again.close()


def test_an_entry_whose_record_was_never_written_is_forgotten(tmp_path: Path) -> None:
    path = tmp_path / "dedup.sqlite3"
    wire, copies = syndicated()[1]
    index = DedupIndex(path)
    _add(index, "a" * 32, wire.text, run_id="killed")     # indexed, then the run was killed
    index.close()
    index = DedupIndex(path)
    assert index.pending_runs() == ["killed"]
    assert index.settle("killed", set()) == (0, 1)
    assert _add(index, "b" * 32, copies[0].text, run_id="next") is None
    index.close()


def test_copies_of_a_lost_record_are_rerooted_at_the_earliest_kept_copy(tmp_path: Path) -> None:
    # Records land in different part files; a kill can commit the copy's part and not the original's.
    index = DedupIndex(tmp_path / "dedup.sqlite3")
    wire, copies = syndicated()[3]
    a, b, c = "a" * 32, "b" * 32, "c" * 32
    _add(index, a, wire.text, run_id="killed")
    assert _add(index, b, copies[0].text, run_id="killed") == a
    assert index.settle("killed", lambda rid, h: rid == b) == (1, 1)
    assert _add(index, c, copies[2].text, run_id="next") == b
    # the lost original, refetched, is a copy of the copy that survived: nothing points at a ghost
    assert _add(index, a, wire.text, run_id="next") == b
    index.close()


def test_written_in_run_reads_only_that_runs_committed_parts(tmp_path: Path) -> None:
    for run, ids in (("run1", ["1" * 32, "2" * 32]), ("run2", ["3" * 32])):
        with PartWriter(tmp_path, run, kind="articles", max_records=1) as writer:
            for rid in ids:
                writer.write({"id": rid, "content_hash": "sha256:" + rid}, {"site": "s", "date": "2026-02-01"})
    assert written_in_run(tmp_path, "run1") == {("1" * 32, "sha256:" + "1" * 32), ("2" * 32, "sha256:" + "2" * 32)}
    assert written_in_run(tmp_path, "run3") == set()


def test_an_index_with_other_parameters_or_no_index_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "dedup.sqlite3"
    DedupIndex(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '64' WHERE key = 'num_perm'")
    with pytest.raises(DedupIndexError, match="num_perm"):
        DedupIndex(path)
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DedupIndexError, match="not a dedup index"):
        DedupIndex(junk)
    with pytest.raises(ValueError, match="between 0 and 1"):
        DedupIndex(None, threshold=1.5)


def test_empty_and_short_texts_do_not_crash() -> None:
    matches = find_duplicates([_entry("a", ""), _entry("b", "Short."), _entry("c", "Short."), _entry("d", "")])
    assert matches[0] is None and matches[1] is None
    assert matches[2] is not None and matches[2].kind == "exact"
    assert matches[3] is not None and matches[3].kind == "exact"


def test_crawls_of_one_run_share_the_file_and_settle_only_their_own_site(tmp_path: Path) -> None:
    # newsclean crawl --all: one index connection per site crawl, the same run id.
    path = tmp_path / "dedup.sqlite3"
    first, second = DedupIndex(path), DedupIndex(path)
    wire, copies = syndicated()[0]
    a, b = "a" * 32, "b" * 32
    second.find("0" * 32, "x", signature(OTHER))           # second's buckets are loaded before a exists
    _add(first, a, wire.text, run_id="run", site="site-a")
    assert _add(second, b, copies[1].text, run_id="run") == a  # caught up with first's row
    assert second.settle("run", {(b, content_hash(copies[1].text))}, site="") == (1, 0)
    assert first.pending_runs() == ["run"]                     # site-a's entry still pending
    assert first.settle("run", {(a, content_hash(wire.text))}, site="site-a") == (1, 0)
    # the same version of a record indexed again is not a second entry
    _add(first, a, wire.text, run_id="run2")
    assert first.count() == 2
    first.close()
    second.close()


def test_pipeline_lets_records_through_unmarked_when_the_index_fails(caplog: pytest.LogCaptureFixture) -> None:
    from datetime import datetime, timezone

    from scrapy.utils.test import get_crawler

    from newsclean.crawler.components.dedup import DedupPipeline
    from newsclean.crawler.items import ArticleItem
    from newsclean.crawler.state.store import Fetched

    crawler = get_crawler(settings_dict={"NEWSCLEAN_RUN_ID": "r1"})
    crawler.stats.open_spider()
    pipeline = DedupPipeline(crawler, None, None, "r1")
    pipeline.index = DedupIndex(None)
    _add(pipeline.index, "a" * 32, STORY)
    pipeline.index.entries.db.close()          # the index goes away mid-crawl
    fetched = Fetched("https://example.test/a", "s", datetime(2026, 2, 1, tzinfo=timezone.utc))
    items = [ArticleItem({"id": rid, "url": "https://example.test/a", "site": "s", "text": STORY,
                          "content_hash": content_hash(STORY), "duplicate_of": None}, fetched) for rid in ("b" * 32, "c" * 32)]
    assert [pipeline.process_item(item) for item in items] == items
    assert all(item.record["duplicate_of"] is None for item in items)
    assert crawler.stats.get_value("newsclean/dedup/errors") == 2
    assert [r.message for r in caplog.records if r.levelname == "ERROR"] == [
        "dedup index unavailable, records go out unmarked: Cannot operate on a closed database."]


def test_pipeline_writing_its_batched_entries_fails_in_one_line(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # The entries are written in batches: before a part is committed (a signal handler) and at
    # the close. An index that fails there is what process_item counts and says in one line (a
    # full disk stops the run), not an exception out of the signal (a traceback) or the close.
    from datetime import datetime, timezone

    from scrapy.utils.test import get_crawler

    from newsclean.crawler.components.dedup import DedupPipeline
    from newsclean.crawler.items import ArticleItem
    from newsclean.crawler.state.store import Fetched

    crawler = get_crawler(settings_dict={"NEWSCLEAN_RUN_ID": "r1"})
    crawler.stats.open_spider()
    pipeline = DedupPipeline(crawler, None, None, "r1")
    pipeline.index = DedupIndex(tmp_path / "dedup.sqlite3", batch=DedupPipeline.BATCH)
    fetched = Fetched("https://example.test/a", "s", datetime(2026, 2, 1, tzinfo=timezone.utc))
    item = ArticleItem({"id": "b" * 32, "url": "https://example.test/a", "site": "s", "text": STORY,
                        "content_hash": content_hash(STORY), "duplicate_of": None}, fetched)
    assert pipeline.process_item(item) is item                 # noted, not yet written
    pipeline.index.entries._checkpointer.close()
    pipeline.index.entries.db.close()                          # the index goes away mid-crawl
    pipeline.flush()                                           # a part is about to be committed
    assert crawler.stats.get_value("newsclean/dedup/errors") == 1
    pipeline.spider_closed(None, "finished")                   # settling and closing fail too
    assert pipeline.index is None
    assert crawler.stats.get_value("newsclean/dedup/errors") == 3
    assert [r.message for r in caplog.records if r.levelname == "ERROR"] == [
        "dedup index unavailable, records go out unmarked: Cannot operate on a closed database."]


def test_pipeline_stops_waiting_once_another_program_holds_the_index_locked(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # An sqlite3 shell takes dedup.sqlite3's write lock mid-run. Before: the run stopped at the
    # first write that failed, but every later one (the background writer's, a flush before each
    # part, the settling's, the close's) and the close's checkpoint waited the 5 s busy timeout
    # first: 36 s to stop a 60-page crawl. Now only that first write waits.
    import threading
    import types
    from datetime import datetime, timezone

    from scrapy.utils.test import get_crawler

    from newsclean.crawler.components.dedup import DedupPipeline
    from newsclean.crawler.components.extensions import OUTPUT_ERROR
    from newsclean.crawler.components.health import locked_error
    from newsclean.crawler.items import ArticleItem
    from newsclean.crawler.state.store import Fetched
    from newsclean.output import dedup

    attempts: list[tuple[str, int]] = []   # each write of the index: its thread, its busy timeout (ms)

    class Watched(dedup.Transaction):
        def __enter__(self) -> None:
            attempts.append((threading.current_thread().name, self.db.execute("PRAGMA busy_timeout").fetchone()[0]))
            super().__enter__()

    monkeypatch.setattr(dedup, "Transaction", Watched)
    path = tmp_path / "state" / "dedup.sqlite3"
    crawler = get_crawler(settings_dict={"NEWSCLEAN_RUN_ID": "r1", "NEWSCLEAN_OUTPUT_DIR": str(tmp_path)})
    crawler.stats.open_spider()
    crawler.spider = types.SimpleNamespace()                    # no article store
    crawler.engine = types.SimpleNamespace(running=False)       # a crawl that is closing
    pipeline = DedupPipeline(crawler, path, None, "r1")
    pipeline.index = DedupIndex(path, batch=4, background=True)
    fetched = Fetched("https://example.test/a", "s", datetime(2026, 2, 1, tzinfo=timezone.utc))

    def item(i: int) -> ArticleItem:
        return ArticleItem({"id": f"{i:032x}", "url": f"https://example.test/{i}", "site": "s", "text": STORY,
                            "content_hash": content_hash(STORY), "duplicate_of": None}, fetched)

    for i in range(3):
        pipeline.process_item(item(i))
    pipeline.flush()                                            # a part committed: its 3 entries written
    pipeline.index.entries.db.execute("PRAGMA busy_timeout=50")  # the first failing write's wait, short
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")                            # its write lock, held
    try:
        attempts.clear()
        pipeline.flush()                                        # nothing to write: no attempt
        for i in range(3, 6):
            pipeline.process_item(item(i))
        pipeline.flush()                                        # the first write that fails on the lock
        assert crawler.stats.get_value(OUTPUT_ERROR) == locked_error(path)   # the file named
        for i in range(6, 12):                                  # still in the pipeline as the run stops
            pipeline.process_item(item(i))                      # a batch for the background writer
        pipeline.flush()
        pipeline.spider_closed(None, "output_error")            # settling and closing fail too
    finally:
        other.close()
    assert attempts[0] == ("MainThread", 50), attempts
    assert len(attempts) >= 4 and all(wait == 0 for _, wait in attempts[1:]), attempts
    assert ("dedup-write", 0) in attempts, attempts              # the background writer's connection too
    assert crawler.stats.get_value("newsclean/dedup/errors") == len(attempts)
    assert pipeline.index is None
    index = DedupIndex(path)                                    # the lock gone: what was committed stays
    # (and what was not written went with this open, as the next crawl's open in the process: pending)
    assert [rid for _, rid, _ in index.entries.pending("r1", None)] == [f"{i:032x}" for i in range(12)]
    index.close()


# -- the stored LSH buckets ---------------------------------------------------------------------


@pytest.mark.parametrize("threshold", [DEFAULT_THRESHOLD, 0.3, 0.8])
def test_stored_buckets_give_the_candidates_of_datasketchs_minhashlsh(threshold: float) -> None:
    texts = [t for wire, copies in syndicated() for t in (wire, *copies)] + distinct()
    ours, theirs = DedupIndex(None, threshold=threshold), MinHashLSH(threshold, NUM_PERM, weights=LSH_WEIGHTS)
    assert ours.entries.bands == (theirs.b, theirs.r) == lsh_params(threshold)
    hits = 0
    for t in texts:
        sig = signature(t.text)
        expected = set(theirs.query(sig))
        assert {e.id for e in ours.candidates(sig)} == expected, t.name
        hits += len(expected)
        theirs.insert(t.name, sig)
        ours.add(t.name, t.name, sig, root=None, run_id="r")
    assert hits >= 16          # the copies share buckets with their stories: not a vacuous match
    ours.close()


def _random_sig(rng: np.random.Generator) -> LeanMinHash:
    return LeanMinHash(seed=SEED, hashvalues=rng.integers(0, 2**32, size=NUM_PERM, dtype=np.uint64))


def reopen_loads_nothing(open_index: Callable[[], DedupIndex], n: int = 5000) -> None:
    """Index ``n`` entries, reopen: open + one lookup allocate far less than the entries take."""
    wire, copies = syndicated()[0]
    index = open_index()
    rng = np.random.default_rng(1)
    index.add("a" * 32, content_hash(wire.text), signature(wire.text), root=None, run_id="r1")
    for i in range(n):
        index.add(f"{i:032d}", f"h{i}", _random_sig(rng), root=None, run_id="r1")
    assert index.settle("r1", lambda _id, _h: True) == (n + 1, 0)
    index.close()
    sig = signature(copies[0].text)     # outside: hashing a text takes its own few hundred KB
    tracemalloc.start()
    try:
        again = open_index()
        match = again.find("b" * 32, content_hash(copies[0].text), sig, run_id="r2")
        peak = tracemalloc.get_traced_memory()[1]
        print(f"\nopen + one lookup in {n} entries: tracemalloc peak {peak} bytes")
    finally:
        tracemalloc.stop()
    assert match is not None and match.duplicate_of == "a" * 32
    assert again.count() == n + 1
    again.close()
    # A signature alone is NUM_PERM * 8 = 1 KiB per entry; loading the index took ~10 KiB each.
    assert peak < n * NUM_PERM * 8 / 20, f"open + one lookup allocated {peak} bytes for {n} entries"


def test_reopening_a_large_index_loads_none_of_it(tmp_path: Path) -> None:
    reopen_loads_nothing(lambda: DedupIndex(tmp_path / "dedup.sqlite3"))


def test_a_lookup_reads_its_buckets_not_the_whole_table(tmp_path: Path) -> None:
    index = DedupIndex(tmp_path / "dedup.sqlite3")
    rng = np.random.default_rng(2)
    for i in range(2000):
        index.add(f"{i:032d}", f"h{i}", _random_sig(rng), root=None, run_id="r1")
    rows = index.entries.db.execute("SELECT COUNT(*) FROM bands").fetchone()[0]
    assert rows == 2000 * index.entries.bands[0]
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0

    index.entries.db.set_progress_handler(count, 100)   # called every 100 SQLite VM instructions
    assert index.find("x" * 32, "nohash", _random_sig(rng)) is None
    index.entries.db.set_progress_handler(None, 100)
    assert 0 < steps * 100 < rows, f"{steps * 100} VM steps for a lookup among {rows} bucket rows"
    index.close()


def test_buckets_follow_settle_and_are_rebuilt_for_another_threshold_or_an_older_index(tmp_path: Path) -> None:
    path = tmp_path / "dedup.sqlite3"
    (wire, copies), (lost, _) = syndicated()[0], syndicated()[1]
    index = DedupIndex(path)
    _add(index, "a" * 32, wire.text, run_id="r1")
    _add(index, "d" * 32, lost.text, run_id="r1")
    assert index.settle("r1", lambda rid, _h: rid == "a" * 32) == (1, 1)

    def bucket_rows(ix: DedupIndex) -> int:
        return ix.entries.db.execute("SELECT COUNT(*) FROM bands").fetchone()[0]

    assert bucket_rows(index) == lsh_params(DEFAULT_THRESHOLD)[0]      # the forgotten entry's went with it
    index.close()
    other = DedupIndex(path, threshold=0.3)                             # 32 x 2 instead of 32 x 4
    assert bucket_rows(other) == lsh_params(0.3)[0]
    assert _add(other, "b" * 32, copies[0].text, run_id="r2") == "a" * 32
    other.close()
    # An index written before buckets were stored: no bands rows, no lsh_bands in meta.
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM bands")
        db.execute("DELETE FROM meta WHERE key = 'lsh_bands'")
    older = DedupIndex(path)
    assert bucket_rows(older) == 2 * lsh_params(DEFAULT_THRESHOLD)[0]
    assert _add(older, "c" * 32, copies[1].text, run_id="r3") == "a" * 32
    older.close()


def test_the_exact_lookup_takes_the_first_candidate_as_the_whole_list_did(tmp_path: Path) -> None:
    # The exact-copy lookup reads one row (SQL), not every entry of the hash: a text served under
    # many URLs had as many entries to read for each copy. Same answer as the earliest entry of
    # the full list that is neither the record itself nor another run's pending entry.
    from newsclean.output.dedup import Entries, SqliteEntries

    entries = SqliteEntries(tmp_path / "dedup.sqlite3", batch=4)
    entries.use_bands(*lsh_params(DEFAULT_THRESHOLD))
    sig = bytes(NUM_PERM * 8)
    rows = [("own", "run1"), ("other", "killed"), ("kept", "old"), ("mine", "run1"), ("late", "killed")]
    for n, (rid, run) in enumerate(rows):
        entries.insert(rid, "h", sig, rid, run, "")
        if n == 3:
            entries.flush()
            entries.resolve("old", keep=[s for s, i, _ in entries.pending("old", None) if i == "kept"], forget=[])
    entries.insert("new", "h", sig, "new", "run2", "")   # unwritten: the batch of 4 is not full
    cases = [("own", "run1"), ("kept", "run1"), ("x", "run1"), ("x", "killed"), ("x", None), ("kept", "run2"),
             ("own", None), ("x", "run2"), ("x", "nobody")]
    for rid, run in cases:
        want = Entries.first_with_hash(entries, "h", rid, run)   # the rule over the whole list
        got = entries.first_with_hash("h", rid, run)
        assert (got and got.id) == (want and want.id), (rid, run)
    assert entries.first_with_hash("h", "x", "run1").id == "own"
    assert entries.first_with_hash("h", "x", "nobody").id == "kept"     # other runs' pending ones skipped
    assert entries.first_with_hash("h", "kept", "run2").id == "new"     # the unwritten entry, after the rest
    assert entries.first_with_hash("nohash", "x", None) is None
    entries.close()
