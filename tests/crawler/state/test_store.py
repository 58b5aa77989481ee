"""The SQLite article store (real SQLite, WAL) and the run lock (real processes)."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from newsclean.crawler.state.lock import LockedError, RunLock
from newsclean.crawler.state.store import Fetched, SqliteArticleStore

URL = "https://example.com/2026/01/02/story/"
T0 = datetime(2026, 1, 2, tzinfo=timezone.utc)


def fetched(listed: datetime | None = T0, etag: str | None = '"v1"') -> Fetched:
    return Fetched(URL, "ex", datetime.now(timezone.utc), etag=etag, last_modified=None,
                   listed_date=listed.isoformat() if listed else None)


def write_committed(store: SqliteArticleStore, root: Path, part: str, content_hash: str, f: Fetched) -> None:
    store.stage(part, "id1", content_hash, f)
    (root / part).parent.mkdir(parents=True, exist_ok=True)
    (root / part).write_text("{}\n")
    store.commit_part(part)


def test_new_then_unchanged_then_changed(tmp_path: Path) -> None:
    store = SqliteArticleStore(tmp_path / "state" / "a.sqlite3", root=tmp_path)
    d = store.should_fetch(URL, "ex", T0, "run1")
    assert (d.fetch, d.reason) == (True, "new")
    assert store.should_fetch(URL, "ex", T0, "run1").reason == "scheduled"   # twice in one run: once
    store.record_fetch(fetched(), unchanged=False)
    write_committed(store, tmp_path, "articles/p1.jsonl", "sha256:a", fetched())
    assert store.content_hash(URL) == "sha256:a"
    assert store.should_fetch(URL, "ex", T0, "run2").fetch is False          # nothing new
    d = store.should_fetch(URL, "ex", T0 + timedelta(days=1), "run3")        # newer lastmod
    assert (d.fetch, d.reason, d.headers()) == (True, "changed", {"If-None-Match": '"v1"'})


def test_fetched_but_never_committed_is_fetched_again(tmp_path: Path) -> None:
    store = SqliteArticleStore(tmp_path / "a.sqlite3", root=tmp_path)
    store.should_fetch(URL, "ex", T0, "run1")
    store.record_fetch(fetched(), unchanged=False)
    store.stage("articles/never-renamed.jsonl", "id1", "sha256:a", fetched())
    # run killed before the rename: recovery drops the staged record, the next run retries
    assert store.recover() == (0, 1)
    d = store.should_fetch(URL, "ex", T0, "run2")
    assert (d.fetch, d.reason) == (True, "retry")


def test_killed_after_rename_is_recovered_not_duplicated(tmp_path: Path) -> None:
    store = SqliteArticleStore(tmp_path / "a.sqlite3", root=tmp_path)
    store.should_fetch(URL, "ex", T0, "run1")
    part = "articles/part-run1-00001.jsonl"
    store.stage(part, "id1", "sha256:a", fetched())
    (tmp_path / "articles").mkdir()
    (tmp_path / part).write_text("{}\n")              # renamed, then killed before commit_part
    assert store.recover(exclude_run="run2") == (1, 0)
    assert store.should_fetch(URL, "ex", T0, "run2").fetch is False


def test_validators_of_an_uncommitted_change_are_not_kept(tmp_path: Path) -> None:
    """A changed article fetched by a killed run must not look 'not modified' next time."""
    store = SqliteArticleStore(tmp_path / "a.sqlite3", root=tmp_path)
    store.should_fetch(URL, "ex", T0, "run1")
    write_committed(store, tmp_path, "articles/p1.jsonl", "sha256:a", fetched(etag='"v1"'))
    later = T0 + timedelta(days=1)
    assert store.should_fetch(URL, "ex", later, "run2").fetch
    store.record_fetch(fetched(later, etag='"v2"'), unchanged=False)   # killed before the write
    d = store.should_fetch(URL, "ex", later, "run3")
    assert (d.fetch, d.etag) == (True, '"v1"')


def test_current_run_parts_are_left_alone_by_recovery(tmp_path: Path) -> None:
    store = SqliteArticleStore(tmp_path / "a.sqlite3", root=tmp_path)
    store.stage("articles/part-run9-00001.jsonl", "id1", "sha256:a", fetched())
    assert store.recover(exclude_run="run9") == (0, 0)


def test_store_size_tracks_articles_not_fetches(tmp_path: Path) -> None:
    store = SqliteArticleStore(tmp_path / "a.sqlite3", root=tmp_path)
    for run in range(20):
        store.should_fetch(URL, "ex", T0 + timedelta(days=run), f"run{run}")
        store.record_fetch(fetched(T0 + timedelta(days=run)), unchanged=True)
    assert store.count() == 1


def test_fetch_and_stage_notes_are_written_in_batches_and_before_a_commit(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "a.sqlite3"
    store = SqliteArticleStore(path, root=tmp_path)
    other = sqlite3.connect(path)   # what a kill would leave: only what was written is there

    def staged() -> int:
        return other.execute("SELECT COUNT(*) FROM staged").fetchone()[0]

    part = "articles/part-run1-00001.jsonl"
    for i in range(SqliteArticleStore.BATCH // 2 - 1):   # two notes a page: its fetch, its stage
        f = Fetched(f"{URL}{i}", "ex", T0)
        store.record_fetch(f, unchanged=False)
        store.stage(part, f"id{i}", "sha256:a", f)
    assert staged() == 0                                  # not one transaction a note
    f = Fetched(f"{URL}last", "ex", T0)
    store.record_fetch(f, unchanged=False)
    store.stage(part, "idlast", "sha256:a", f)
    assert staged() == SqliteArticleStore.BATCH // 2      # a full batch is written at once
    store.record_fetch(Fetched(URL, "ex", T0), unchanged=False)
    store.stage(part, "id", "sha256:b", Fetched(URL, "ex", T0))
    assert staged() == SqliteArticleStore.BATCH // 2
    store.flush()                                         # the output calls it before each rename
    assert staged() == SqliteArticleStore.BATCH // 2 + 1
    (tmp_path / part).parent.mkdir(parents=True)
    (tmp_path / part).write_text("{}\n")
    assert store.commit_part(part) == SqliteArticleStore.BATCH // 2 + 1
    assert staged() == 0


def test_second_lock_fails_and_a_killed_holder_releases_it(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys,time; from newsclean.crawler.state.lock import RunLock; "
         f"RunLock({str(tmp_path)!r}).acquire(); print('locked', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(LockedError, match=r"another newsclean run holds .* \(pid \d+"):
            RunLock(tmp_path).acquire()
    finally:
        holder.kill()
        holder.wait()
    with RunLock(tmp_path):   # kill -9 left the file, but not the lock
        pass


def test_a_store_that_cannot_write_its_notes_at_the_close_commits_no_part_and_says_so_in_one_line(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # The store's notes are written in batches, before a part is committed. A store that fails
    # then (its database gone, a disk error) raised out of close_spider: a traceback, and the
    # part left half-handled. Now the part is not committed (its pages are fetched again next
    # run: nothing visible the store does not know) and the run says why in one line.
    import asyncio
    import types

    from scrapy.utils.test import get_crawler

    from newsclean.crawler.components.pipelines import OutputPipeline

    out_dir = tmp_path / "out"
    crawler = get_crawler(settings_dict={"NEWSCLEAN_OUTPUT_DIR": str(out_dir), "NEWSCLEAN_RUN_ID": "r",
                                          "NEWSCLEAN_PART_MAX_RECORDS": 10})
    crawler.stats.open_spider()
    store = SqliteArticleStore(tmp_path / "a.sqlite3", root=out_dir)
    crawler.spider = types.SimpleNamespace(store=store)
    crawler.engine = types.SimpleNamespace(running=False)   # a crawl that is closing
    out = OutputPipeline.from_crawler(crawler)
    out.open_spider()
    f = Fetched(URL, "ex", T0)
    store.record_fetch(f, unchanged=False)                 # noted, not yet written
    out.articles.write({"id": "0" * 32, "text": "x"}, {"site": "s", "date": "2026-03-04"})
    store._checkpointer.close()
    store.db.close()                                       # the store goes away mid-crawl
    asyncio.run(out.close_spider())                        # no exception out of the close
    assert out.files == []
    assert not list(out_dir.rglob("*.jsonl")) and not list(out_dir.rglob("*.tmp"))
    assert "article store" in crawler.stats.get_value("newsclean/output/error")
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert errors == ["output failed, stopping the crawl: article store: Cannot operate on a closed database."]


def test_a_store_of_other_columns_is_refused_in_one_line(tmp_path: Path) -> None:
    # before: an articles table without this version's columns (another program's, a hand-made
    # one) was opened: every page's query failed with a traceback in the crawl's log, and the run
    # ended as if it had gone well, its state empty
    import sqlite3

    from newsclean.crawler.state import StateError, check_state
    from scrapy.settings import Settings

    state = tmp_path / "out" / "state"
    state.mkdir(parents=True)
    db = sqlite3.connect(state / "articles.sqlite3")
    db.execute("CREATE TABLE articles (url TEXT PRIMARY KEY, site TEXT)")
    db.commit()
    db.close()
    with pytest.raises(sqlite3.DatabaseError, match="table articles has no column .*first_seen"):
        SqliteArticleStore(state / "articles.sqlite3")
    settings = Settings({"NEWSCLEAN_OUTPUT_DIR": str(tmp_path / "out")})
    with pytest.raises(StateError, match=r"articles.sqlite3: its table articles has no column content_hash, etag, "
                                         r"first_seen, .* \(not the database newsclean keeps there\)$"):
        check_state(settings)
    # a store of this version opens again as it was
    SqliteArticleStore(tmp_path / "fresh" / "state" / "articles.sqlite3").close()
    SqliteArticleStore(tmp_path / "fresh" / "state" / "articles.sqlite3").close()


def test_a_state_file_of_a_newer_schema_version_is_refused_and_an_unversioned_one_is_taken(tmp_path: Path) -> None:
    # before: the state files had no schema version (PRAGMA user_version): an older newsclean
    # opened a newer one's store without a word (and added its columns to it), a newer one an
    # older's. Now each file carries its version; a higher one than the code's is refused in one
    # line (exit 2), untouched; one without (today's layout, written before versions) is read as
    # the current version.
    import sqlite3

    from newsclean.crawler.state import StateError, check_state
    from newsclean.crawler.state import store as store_module
    from newsclean.output import dedup
    from scrapy.settings import Settings

    def version(path: Path) -> int:
        db = sqlite3.connect(path)
        try:
            return db.execute("PRAGMA user_version").fetchone()[0]
        finally:
            db.close()

    # a fresh store and index carry the version
    out = tmp_path / "out"
    state = out / "state"
    store = SqliteArticleStore(state / "articles.sqlite3")
    store.should_fetch("https://example.org/a/1", "example", None, "run-1")
    store.close()
    dedup.DedupIndex(state / "dedup.sqlite3").close()
    assert version(state / "articles.sqlite3") == store_module.SCHEMA_VERSION >= 1
    assert version(state / "dedup.sqlite3") == dedup.SCHEMA_VERSION >= 1

    # unversioned files of today's layout: read as they are, then marked
    for name in ("articles.sqlite3", "dedup.sqlite3"):
        db = sqlite3.connect(state / name)
        db.execute("PRAGMA user_version = 0")
        db.close()
    check_state(Settings({"NEWSCLEAN_OUTPUT_DIR": str(out)}))
    store = SqliteArticleStore(state / "articles.sqlite3")
    assert store.count() == 1
    store.close()
    assert version(state / "articles.sqlite3") == store_module.SCHEMA_VERSION
    assert version(state / "dedup.sqlite3") == dedup.SCHEMA_VERSION

    # a newer version: refused, one line, the file as it was
    for name, current in (("articles.sqlite3", store_module.SCHEMA_VERSION), ("dedup.sqlite3", dedup.SCHEMA_VERSION)):
        newer = tmp_path / name / "state"
        newer.mkdir(parents=True)
        db = sqlite3.connect(newer / name)
        db.execute(f"PRAGMA user_version = {current + 1}")
        db.execute("CREATE TABLE articles (url TEXT PRIMARY KEY, layout_of_later TEXT)")
        db.commit()
        db.close()
        with pytest.raises(StateError, match=rf"^state {newer / name}: written by a newer newsclean \(schema version "
                                             rf"{current + 1}; this one reads {current} and older\)"):
            check_state(Settings({"NEWSCLEAN_OUTPUT_DIR": str(newer.parent)}))
        db = sqlite3.connect(newer / name)
        assert [r[0] for r in db.execute("SELECT name FROM sqlite_master")] == ["articles", "sqlite_autoindex_articles_1"]
        assert [r[1] for r in db.execute("PRAGMA table_info(articles)")] == ["url", "layout_of_later"]
        db.close()
        proc = subprocess.run([sys.executable, "-m", "newsclean.crawler.commands.cli", "crawl", "demo",
                               "--out", str(newer.parent)], capture_output=True, text=True, timeout=180)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
        assert proc.stderr.splitlines()[-1].startswith(f"newsclean: error: state {newer / name}: written by a newer newsclean"), \
            proc.stderr


NOW = datetime(2026, 12, 7, 12, tzinfo=timezone.utc)


def settle_too_old(store: SqliteArticleStore, root: Path, published: datetime | None, part: str = "rejects/p1.jsonl") -> None:
    """A page fetched (an ETag, as a server sends) and rejected as too_old, its reject committed."""
    from newsclean.crawler.state.store import rejected_settle

    store.should_fetch(URL, "ex", None, "run1")
    store.record_fetch(fetched(None), unchanged=False)
    write_committed(store, root, part, rejected_settle("too_old", published), fetched(None))


def test_a_too_old_page_is_fetched_again_by_a_run_whose_window_takes_it_in_and_by_no_other(tmp_path: Path) -> None:
    # before: a page rejected as too_old was settled as any reject: 'unchanged' to every later run,
    # whatever its window (and a fetch of it would have sent the ETag kept with it: a 304)
    store = SqliteArticleStore(tmp_path / "a.sqlite3", root=tmp_path)
    settle_too_old(store, tmp_path, NOW - timedelta(days=20))
    assert store.should_fetch(URL, "ex", None, "run2", NOW - timedelta(days=7)).reason == "too_old"
    assert store.should_fetch(URL, "ex", None, "run3", NOW - timedelta(days=20) + timedelta(seconds=1)).reason == "too_old"
    # a listing saying it changed: fetched conditionally, as any page (its window still leaves it out)
    d = store.should_fetch(URL, "ex", datetime.now(timezone.utc) + timedelta(days=1), "run4", NOW - timedelta(days=7))
    assert (d.fetch, d.reason, d.headers()) == (True, "changed", {"If-None-Match": '"v1"'})
    for run, cutoff in (("run5", NOW - timedelta(days=20)), ("run6", NOW - timedelta(days=30)), ("run7", None)):
        d = store.should_fetch(URL, "ex", None, run, cutoff)
        assert (d.fetch, d.reason, d.headers()) == (True, "in_window", {})   # whole: a 304 would write nothing
    assert store.should_fetch(URL, "ex", None, "run7", None).reason == "scheduled"   # once a run
    # written by the wider run: an article like any other from then on
    write_committed(store, tmp_path, "articles/p2.jsonl", "sha256:a", fetched(None))
    assert store.should_fetch(URL, "ex", None, "run8", None).reason == "unchanged"


def test_rejects_of_other_reasons_and_an_undated_too_old_settle_stay_settled(tmp_path: Path) -> None:
    from newsclean.crawler.state.store import rejected_settle

    assert rejected_settle("too_short") == rejected_settle("too_short", NOW) == "reject:too_short"
    assert rejected_settle("too_old", datetime(1, 1, 1, 1, tzinfo=timezone(timedelta(hours=5)))) \
        == "reject:too_old:0001-01-01T00:00:00+00:00"   # before the year 1 in UTC: inside no window
    store = SqliteArticleStore(tmp_path / "a.sqlite3", root=tmp_path)
    store.should_fetch(URL, "ex", None, "run1")
    write_committed(store, tmp_path, "rejects/p1.jsonl", rejected_settle("too_short"), fetched(None))
    assert store.should_fetch(URL, "ex", None, "run2", None).reason == "unchanged"


#: The layout of schema version 1 (b8c3f2e), as a store of then holds it.
SCHEMA_V1 = """
CREATE TABLE articles (url TEXT PRIMARY KEY, site TEXT NOT NULL, record_id TEXT, first_seen TEXT NOT NULL,
    last_fetched TEXT, etag TEXT, last_modified TEXT, listed_date TEXT, content_hash TEXT, scheduled_run TEXT,
    attempts INTEGER NOT NULL DEFAULT 0, retry_after TEXT, gave_up TEXT);
CREATE TABLE staged (url TEXT NOT NULL, part TEXT NOT NULL, record_id TEXT NOT NULL, content_hash TEXT NOT NULL,
    etag TEXT, last_modified TEXT, listed_date TEXT, PRIMARY KEY (url, part));
CREATE INDEX staged_part ON staged(part);
CREATE TABLE documents (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT);
CREATE INDEX articles_retry ON articles(retry_after) WHERE retry_after IS NOT NULL;
PRAGMA user_version = 1;
"""


def test_a_store_of_the_first_layout_opens_and_its_too_old_pages_and_validators_are_taken_as_not_known(tmp_path: Path) -> None:
    import sqlite3

    from newsclean.crawler.state import store as store_module

    path = tmp_path / "state" / "articles.sqlite3"
    path.parent.mkdir()
    db = sqlite3.connect(path)
    db.executescript(SCHEMA_V1)
    fetched_at = (NOW - timedelta(days=1)).isoformat()
    db.executemany("INSERT INTO articles (url, site, first_seen, last_fetched, etag, content_hash, scheduled_run)"
                   " VALUES (?, 'ex', ?, ?, '\"v1\"', ?, 'run1')",
                   [(URL, fetched_at, fetched_at, "reject:too_old"), (URL + "b", fetched_at, fetched_at, "sha256:b")])
    db.execute("INSERT INTO documents VALUES ('https://example.com/sitemap.xml', '\"s1\"', NULL)")
    db.commit()
    db.close()
    store = SqliteArticleStore(path, root=tmp_path)
    # a too_old page of then: older than its fetch; fetched again (once) only by a window reaching back past it
    assert store.should_fetch(URL, "ex", None, "run2", NOW - timedelta(hours=1)).reason == "too_old"
    d = store.should_fetch(URL, "ex", None, "run3", NOW - timedelta(days=2))
    assert (d.fetch, d.reason, d.headers()) == (True, "in_window", {})
    assert store.should_fetch(URL + "b", "ex", None, "run3", NOW - timedelta(days=2)).reason == "unchanged"
    # a sitemap's validators of then: the window it was read under is not known, so it is read whole once
    sitemap = "https://example.com/sitemap.xml"
    assert store.document_validators(sitemap, NOW - timedelta(days=2)) == (None, None)
    store.save_document_validators({sitemap: ('"s2"', None)}, NOW - timedelta(days=2))
    assert store.document_validators(sitemap, NOW - timedelta(days=1)) == ('"s2"', None)
    store.close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == store_module.SCHEMA_VERSION == 2
    assert "articles_scheduled" in {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    db.close()


def test_a_listing_read_under_a_narrower_window_is_fetched_whole_by_a_wider_one(tmp_path: Path) -> None:
    # before: its validators were sent whatever window it had been read under: a 304, and the
    # entries the narrower window had passed over by their date were never looked at again
    store = SqliteArticleStore(tmp_path / "a.sqlite3", root=tmp_path)
    feed, sitemap = "https://example.com/feed/", "https://example.com/sitemap.xml"
    week = NOW - timedelta(days=7)
    store.save_document_validators({feed: ('"f1"', "Mon, 07 Dec 2026 10:00:00 GMT")}, week)
    store.save_document_validators({sitemap: ('"s1"', None)}, None)   # read with no window: every entry taken
    for cutoff, holds in ((week, True), (week + timedelta(hours=1), True), (week - timedelta(seconds=1), False),
                          (None, False)):
        assert store.document_validators(feed, cutoff) == (('"f1"', "Mon, 07 Dec 2026 10:00:00 GMT") if holds else (None, None))
        assert store.document_validators(sitemap, cutoff) == ('"s1"', None)


def test_the_run_id_check_reads_the_articles_of_that_id_not_the_whole_store(tmp_path: Path, monkeypatch) -> None:
    # before: COUNT(*) ... WHERE scheduled_run = ? over a column without an index read every article
    # of the store on each `newsclean crawl -s NEWSCLEAN_RUN_ID=...` (every newsclean.crawl() call)
    import sqlite3

    from newsclean.crawler.state.store import scheduled_under

    def steps(n: int) -> tuple[int, int]:
        path = tmp_path / f"{n}" / "articles.sqlite3"
        store = SqliteArticleStore(path, root=tmp_path)
        with store._tx():
            store.db.executemany("INSERT INTO articles (url, site, first_seen, scheduled_run) VALUES (?, 'ex', '', ?)",
                                 [(f"{URL}{i}", "killed" if i < 3 else f"run{i % 50}") for i in range(n)])
        store.close()
        counted = [0]
        real = sqlite3.connect

        def connect(*args: object, **kwargs: object) -> sqlite3.Connection:
            db = real(*args, **kwargs)
            db.set_progress_handler(lambda: counted.__setitem__(0, counted[0] + 1), 1)   # each VM step
            return db

        with monkeypatch.context() as patched:
            patched.setattr(sqlite3, "connect", connect)
            return scheduled_under(path, "killed"), counted[0]

    (found_small, small), (found_big, big) = steps(1_000), steps(20_000)
    assert found_small == found_big == 3
    assert big < 2 * small, (small, big)   # read in full: twenty times the steps
