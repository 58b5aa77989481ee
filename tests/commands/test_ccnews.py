"""newsclean ccnews: CC-NEWS WARC files streamed from a local CC-NEWS-shaped archive.

The archive is written by warcio (crawler/ccnews_bench.write_tree: a few hundred records over
three domains and three days, two files a day) and served on 127.0.0.1 by the demo server;
every run is a real ``newsclean ccnews`` process.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from datetime import date, datetime, timezone
from pathlib import Path

import orjson
import pytest
from warcio.archiveiterator import ArchiveIterator

from newsclean.crawler.commands.ccnews import file_day
from newsclean.crawler.commands.ccnews_bench import write_tree
from newsclean.crawler.commands.demo import DemoServer
from newsclean.output import validate_record

from ..conftest import REPO, read_parts, run_newsclean

DAYS = [date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 3)]
DOMAINS = ["alpha.example", "beta.example", "pakistantoday.com.pk"]
RANGE = ["--from", "2026-11-01", "--to", "2026-11-03"]
FAST = ["-s", "NEWSCLEAN_CCNEWS_BACKOFF=0.05", "-s", "NEWSCLEAN_CCNEWS_RETRIES=3"]


class Archive:
    def __init__(self, root: Path, server: DemoServer, per_day: int = 100) -> None:
        self.root, self.server = root, server
        self.files = write_tree(root, DOMAINS, DAYS, per_day=per_day, files_per_day=2)
        self.env = {"NEWSCLEAN_CCNEWS_BASE_URL": server.base_url + "/"}

    def articles(self, domains: tuple[str, ...] = tuple(DOMAINS), files: list[str] | None = None) -> set[str]:
        return {p.url for f, ps in self.files.items() if files is None or f in files
                for p in ps if p.is_article and any(f".{d}/" in p.url for d in domains)}

    def page_at(self, path: str, offset: int) -> str:
        with open(self.root / path, "rb") as fh:
            fh.seek(offset)
            record = next(iter(ArchiveIterator(fh)))
            return record.rec_headers.get_header("WARC-Target-URI")

    def warc_gets(self) -> Counter[str]:
        return Counter(h.path.lstrip("/") for h in self.server.hits if h.path.endswith(".warc.gz"))

    def run(self, out: Path, *args: str) -> subprocess.CompletedProcess[str]:
        return run_newsclean("ccnews", *RANGE, "--out", str(out), *FAST, *args, env=self.env)


@pytest.fixture
def archive(site_server: tuple[DemoServer, Path]) -> Archive:
    server, root = site_server
    return Archive(root, server)


def urls(records: list[dict]) -> Counter[str]:
    return Counter(r["url"] for r in records)


def manifest(out: Path) -> dict:
    newest = max((out / "manifests").glob("*.json"), key=lambda p: p.stat().st_mtime)
    return orjson.loads(newest.read_bytes())


def test_writes_the_articles_of_the_chosen_domains_with_their_warc_and_offset(archive: Archive, tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = archive.run(out, "--domain", "alpha.example", "--country", "pk")   # pakistantoday.com.pk
    assert done.returncode == 0, done.stderr[-3000:]
    records = read_parts(out)
    wanted = archive.articles(("alpha.example", "pakistantoday.com.pk"))
    assert len(wanted) > 100
    assert urls(records) == Counter(wanted)   # each once, and nothing of beta.example
    for r in records:
        validate_record(r)
        source = r["cleaning"]["source"]
        assert archive.page_at(source["warc"], source["offset"]) == r["url"]
        assert r["fetched_at"][:10] == str(file_day(source["warc"]))   # the capture's time, not now
    assert {r["site"] for r in records} == {"alpha.example", "pakistantoday"}   # registry name when registered
    counts = manifest(out)["counts"]
    assert counts["newsclean/ccnews/files_read"] == 6
    assert counts["newsclean/ccnews/records_read"] == 300 + 6   # pages + one warcinfo a file
    assert "CC-NEWS files:    6 read this run" in done.stdout

    # Finished files are not read again.
    gets = sum(archive.warc_gets().values())
    again = archive.run(out, "--domain", "alpha.example", "--country", "pk")
    assert again.returncode == 0, again.stderr[-3000:]
    assert sum(archive.warc_gets().values()) == gets
    assert urls(read_parts(out)) == Counter(wanted)


def test_a_page_a_crawl_rejected_only_for_its_since_window_is_cleaned_by_ccnews(site_server, tmp_path: Path) -> None:
    # before: ccnews skipped any page the output's store settled, a crawl's too_old reject included
    # ('reject:too_old:<published>'): ccnews has no --since window, which takes every page in
    # (store.decide fetches such a page again, 'in_window'), yet the page was never written
    from newsclean.crawler.state.store import Fetched, SqliteArticleStore, rejected_settle
    from newsclean.output import canonicalize_url

    archive = Archive(*reversed(site_server), per_day=10)
    old, known, *_ = sorted(archive.articles(("alpha.example",)))
    out = tmp_path / "out"
    (out / "state").mkdir(parents=True)
    store = SqliteArticleStore(out / "state" / "articles.sqlite3")   # as a crawl with --since 7d left it
    for url, settle in ((old, rejected_settle("too_old", datetime(2026, 11, 1, tzinfo=timezone.utc))),
                        (known, "0" * 16)):                             # written by that crawl
        fetched = Fetched(canonicalize_url(url), "alpha.example", datetime(2026, 12, 1, tzinfo=timezone.utc))
        store.record_fetch(fetched, unchanged=False)
        store.stage("crawl-part", url, settle, fetched)
    assert store.commit_part("crawl-part") == 2
    store.close()

    done = archive.run(out, "--domain", "alpha.example")
    assert done.returncode == 0, done.stderr[-3000:]
    assert urls(read_parts(out)) == Counter(archive.articles(("alpha.example",)) - {known})
    assert manifest(out)["counts"]["newsclean/ccnews/skipped_known"] == 1


def test_ccnews_skips_what_the_stores_own_rule_leaves_for_a_run_without_a_window(tmp_path: Path) -> None:
    # ccnews read the store's settles by a rule of its own (a "reject:too_old" prefix): a change
    # of store.decide (how a too_old page is kept, another settle taken in again) would have left
    # it behind. Each settle the output writes, in a real store: ccnews skips exactly the pages
    # the store's own answer for a run without a window (should_fetch, on the whole row) leaves.
    from newsclean.cleaners import REJECT_REASONS
    from newsclean.crawler.commands.ccnews import is_known
    from newsclean.crawler.components.pipelines import OutputPipeline
    from newsclean.crawler.state.store import Fetched, SqliteArticleStore, rejected_settle

    settles = {"written": "0" * 16, "too_old-undated": rejected_settle("too_old"),
               "too_old-dated": rejected_settle("too_old", datetime(2026, 11, 1, tzinfo=timezone.utc)),
               **{r: rejected_settle(r) for r in REJECT_REASONS if r not in OutputPipeline.TRANSIENT}}
    store = SqliteArticleStore(tmp_path / "articles.sqlite3")
    for name, settle in settles.items():
        fetched = Fetched(f"https://alpha.example/{name}", "alpha.example", datetime(2026, 12, 1, tzinfo=timezone.utc))
        store.record_fetch(fetched, unchanged=False)
        store.stage("crawl-part", name, settle, fetched)
    assert store.commit_part("crawl-part") == len(settles)
    skipped = {name: is_known(store, f"https://alpha.example/{name}", "ccnews-run") for name in settles}
    left = {name: not store.should_fetch(f"https://alpha.example/{name}", "alpha.example", None, "ccnews-run").fetch
            for name in settles}
    store.close()
    assert skipped == left
    assert not skipped["too_old-dated"] and skipped["written"]   # both answers occur: the comparison tells
    assert not is_known(None, "https://alpha.example/written", "ccnews-run")   # no store: nothing known


def test_one_day_reads_that_days_files_and_site_keeps_its_domains(archive: Archive, tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run_newsclean("ccnews", "--from", "2026-11-02", "--site", "pakistantoday", "--out", str(out), *FAST,
                         "-s", "NEWSCLEAN_PROGRESS_INTERVAL=0.2", env=archive.env)
    assert done.returncode == 0, done.stderr[-3000:]
    assert re.search(r"progress ccnews: files \d/2 \| records read \d+ / kept \d+ \| written \d+ \| [\d.]+ MB/s \| ETA ",
                     done.stderr), done.stderr[-3000:]
    day2 = [f for f in archive.files if "CC-NEWS-20261102" in f]
    assert urls(read_parts(out)) == Counter(archive.articles(("pakistantoday.com.pk",), files=day2))
    assert set(archive.warc_gets()) == set(day2)


def test_killed_run_then_rerun_loses_and_duplicates_nothing(archive: Archive, tmp_path: Path) -> None:
    out = tmp_path / "out"
    # Slow reading (a stall in the third file) and small parts: the kill lands mid-file with
    # parts of that file committed and others not.
    third = sorted(archive.files)[2]
    archive.server.stall("/" + third, after_bytes=(archive.root / third).stat().st_size // 2, seconds=30)
    cmd = [sys.executable, "-m", "newsclean.crawler.commands.cli", "ccnews", *RANGE, "--out", str(out), *FAST,
           "-s", "NEWSCLEAN_PART_MAX_RECORDS=3"]
    proc = subprocess.Popen(cmd, cwd=REPO, env={**os.environ, **archive.env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and not any(h.path == "/" + third for h in archive.server.hits):
        time.sleep(0.05)
    # The pages before the stall go through the pipelines: killed once a part of the third file
    # is committed (a fixed 3 s could be too short for them on a loaded machine)
    while time.monotonic() < deadline and not any(r["cleaning"]["source"]["warc"] == third for r in read_parts(out)):
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    before = read_parts(out)
    with sqlite3.connect(out / "state" / "ccnews.sqlite3") as db:
        done_at_kill = {r[0] for r in db.execute("SELECT path FROM files")}
    assert done_at_kill == set(sorted(archive.files)[:2])
    assert any(r["cleaning"]["source"]["warc"] == third for r in before), "the kill should land mid-file"
    gets = archive.warc_gets()

    rerun = archive.run(out)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    records = read_parts(out)
    assert urls(records) == Counter(archive.articles())   # all of them, each once
    read_again = archive.warc_gets() - gets
    assert set(read_again) == set(archive.files) - done_at_kill   # done files were not read again
    assert not list(out.rglob(".*.tmp"))


def _articles_at(archive: Archive, path: str) -> list[tuple[int, int, str]]:
    """(offset, end, url) of the article records of a file."""
    articles = archive.articles(files=[path])
    out = []
    with open(archive.root / path, "rb") as fh:
        it = ArchiveIterator(fh)
        for record in it:
            url = record.rec_headers.get_header("WARC-Target-URI")
            offset = it.get_record_offset()
            it.read_to_end(record)
            if url in articles:
                out.append((offset, offset + it.get_record_length(), url))
    return out


def _corrupt_middle_article(archive: Archive, path: str) -> str:
    """Flip bytes inside the deflate data of an article record in the middle of the file."""
    records = _articles_at(archive, path)
    start, _, url = records[len(records) // 2]
    data = bytearray((archive.root / path).read_bytes())
    for i in range(start + 30, start + 60):
        data[i] ^= 0x5A
    (archive.root / path).write_bytes(bytes(data))
    return url


def _cut_last_article(archive: Archive, path: str) -> str:
    """Cut the file in the middle of its last article record (and drop what follows)."""
    start, end, url = _articles_at(archive, path)[-1]
    file = archive.root / path
    file.write_bytes(file.read_bytes()[:(start + end) // 2])
    return url


def test_corrupt_and_truncated_warcs_and_a_missing_file_are_skipped_counted_and_said(archive: Archive, tmp_path: Path) -> None:
    files = sorted(archive.files)
    corrupt, truncated, missing = files[0], files[1], files[2]
    before = {f: [u for _, _, u in _articles_at(archive, f)] for f in (corrupt, truncated)}
    lost = {corrupt: _corrupt_middle_article(archive, corrupt), truncated: _cut_last_article(archive, truncated)}
    (archive.root / missing).unlink()
    out = tmp_path / "out"
    done = archive.run(out)
    assert done.returncode == 1, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    assert f"damaged record skipped: {corrupt}@" in done.stderr
    assert f"damaged record skipped: {truncated}@" in done.stderr
    assert f"listed file not found, skipped: {missing}: HTTP 404" in done.stderr
    got = urls(read_parts(out))
    assert max(got.values()) == 1
    intact = archive.articles(files=files[3:])
    assert intact <= set(got)
    # In each damaged file the damaged record is lost, every other one is read (reading went
    # on after it); in the cut file what followed the cut is gone with the file's end.
    for damaged, url in lost.items():
        assert archive.articles(files=[damaged]) & set(got) == set(before[damaged]) - {url}
    m = manifest(out)
    assert m["status"] == "degraded" and "CC-NEWS input problem" in m["reason"]
    assert m["counts"]["newsclean/ccnews/problems/damaged"] == 2
    assert m["counts"]["newsclean/ccnews/problems/missing"] == 1

    # The missing file is tried again by the next run, the damaged ones (read to their end)
    # are not; --allow-skips accepts the gap.
    gets = archive.warc_gets()
    again = archive.run(out, "--allow-skips")
    assert again.returncode == 0, again.stderr[-3000:]
    assert archive.warc_gets() - gets == Counter({missing: 1})


def test_slow_server_is_retried_from_the_record_it_stalled_in(archive: Archive, tmp_path: Path) -> None:
    first = sorted(archive.files)[0]
    size = (archive.root / first).stat().st_size
    archive.server.stall("/" + first, after_bytes=0, seconds=3)            # no answer at first
    archive.server.stall("/" + first, after_bytes=size // 2, seconds=3)    # then silence mid-file
    out = tmp_path / "out"
    done = archive.run(out, "-s", "NEWSCLEAN_CCNEWS_TIMEOUT=0.5")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "timed out; retry 1/3" in done.stderr
    assert urls(read_parts(out)) == Counter(archive.articles())
    assert manifest(out)["counts"]["newsclean/ccnews/retries"] >= 2
    assert archive.warc_gets()[first] >= 3


def test_listing_that_is_not_gzip_is_one_line_and_exit_1(archive: Archive, tmp_path: Path) -> None:
    (archive.root / "crawl-data/CC-NEWS/2026/11/warc.paths.gz").write_text("<html>oops</html>")
    done = archive.run(tmp_path / "out")
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "is not a gzip list of paths" in lines[0], done.stderr


def test_bad_days_and_unknown_site_are_usage_errors(archive: Archive, tmp_path: Path) -> None:
    bad = run_newsclean("ccnews", "--from", "2026-11-31", "--out", str(tmp_path / "o"), env=archive.env)
    assert bad.returncode == 2 and "bad day '2026-11-31'" in bad.stderr
    backwards = run_newsclean("ccnews", "--from", "2026-11-03", "--to", "2026-11-01", "--out", str(tmp_path / "o"), env=archive.env)
    assert backwards.returncode == 2 and "before --from" in backwards.stderr
    unknown = run_newsclean("ccnews", *RANGE, "--site", "nosuchsite", "--out", str(tmp_path / "o"), env=archive.env)
    assert unknown.returncode == 2 and "unknown site 'nosuchsite'" in unknown.stderr



def test_cleaning_source_is_in_the_schema_and_survives_a_parquet_round_trip(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    from newsclean.output import RecordInvalid
    from newsclean.output.parquet import export_parquet, record_from_row

    from ..output.test_corpus_output import make_record

    plain = make_record(1)
    assert "source" not in plain["cleaning"]
    sourced = make_record(2)
    sourced["cleaning"]["source"] = {"warc": "crawl-data/CC-NEWS/2026/11/CC-NEWS-20261101000000-00000.warc.gz",
                                     "offset": 1234}
    validate_record(sourced)
    for bad in ({"warc": "x.warc.gz"}, {"warc": "x.warc.gz", "offset": -1}, {"warc": "", "offset": 0}):
        with pytest.raises(RecordInvalid):
            validate_record({**sourced, "cleaning": {**sourced["cleaning"], "source": bad}})
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in (plain, sourced)))
    export_parquet([jsonl], tmp_path / "a.parquet")
    back = [record_from_row(row) for row in pq.read_table(tmp_path / "a.parquet").to_pylist()]
    assert back == [plain, sourced]


# -- scale-out on Redis ---------------------------------------------------------------------------

from ..crawler.state.test_redis import redis_url  # noqa: E402,F401 - the fixture: a real redis-server


class CCWorker:
    """A `newsclean ccnews --redis` process; its log goes to a file."""

    def __init__(self, archive: Archive, out: Path, url: str, *extra: str) -> None:
        self.out = out
        self.log = out.with_suffix(".log")
        out.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("w") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "newsclean.crawler.commands.cli", "ccnews", *RANGE, "--out", str(out), "--redis", url,
                 *FAST, *extra], cwd=REPO, env={**os.environ, **archive.env}, stdout=log, stderr=log)

    def wait(self, timeout: float = 300) -> tuple[int, str]:
        code = self.proc.wait(timeout=timeout)
        return code, self.log.read_text()


def test_two_redis_workers_split_the_files(archive: Archive, redis_url: str, tmp_path: Path) -> None:
    for path in archive.files:   # reading slow enough for both workers to be at work together
        archive.server.stall("/" + path, after_bytes=(archive.root / path).stat().st_size // 2, seconds=1.5)
    a = CCWorker(archive, tmp_path / "a", redis_url)
    b = CCWorker(archive, tmp_path / "b", redis_url)
    (code_a, log_a), (code_b, log_b) = a.wait(), b.wait()
    assert code_a == 0, log_a[-3000:]
    assert code_b == 0, log_b[-3000:]
    read = [manifest(w.out)["counts"].get("newsclean/ccnews/files_read", 0) for w in (a, b)]
    assert sorted(read) != [0, 6] and sum(read) == 6, read        # each took files, none twice
    assert archive.warc_gets() == Counter({p: 1 for p in archive.files})   # each file read once
    counts = urls(read_parts(a.out) + read_parts(b.out))
    assert counts == Counter(archive.articles())                  # every article once, across both
    assert "s3cret-pw" not in log_a + log_b


def test_killed_redis_worker_gives_its_file_back(archive: Archive, redis_url: str, tmp_path: Path) -> None:
    second = sorted(archive.files)[1]
    archive.server.stall("/" + second, after_bytes=(archive.root / second).stat().st_size // 2, seconds=60)
    a = CCWorker(archive, tmp_path / "a", redis_url, "-s", "NEWSCLEAN_PART_MAX_RECORDS=3",
                 "-s", "NEWSCLEAN_CCNEWS_TIMEOUT=120")
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and not any(h.path == "/" + second for h in archive.server.hits):
        time.sleep(0.05)
    # The pages before the stall go through the pipelines: killed once a part of the second file
    # is committed (a fixed 3 s could be too short for them on a loaded machine)
    while time.monotonic() < deadline and not any(r["cleaning"]["source"]["warc"] == second for r in read_parts(a.out)):
        time.sleep(0.05)
    a.proc.send_signal(signal.SIGKILL)
    a.proc.wait()
    from_a = read_parts(a.out)
    assert any(r["cleaning"]["source"]["warc"] == second for r in from_a), "the kill should land mid-file"

    b = CCWorker(archive, tmp_path / "b", redis_url)
    code_b, log_b = b.wait()
    assert code_b == 0, log_b[-3000:]
    from_b = read_parts(b.out)
    assert {r["cleaning"]["source"]["warc"] for r in from_b} == set(sorted(archive.files)[1:])
    counts = urls(from_a + from_b)
    assert counts == Counter(archive.articles())                  # nothing lost, nothing twice


class FailOnePage:
    """An item pipeline that fails on one page (a bug in a pipeline, as a test sees it)."""

    def process_item(self, item: object) -> object:
        if getattr(item, "url", "").endswith(os.environ.get("NEWSCLEAN_TEST_FAIL_URL", "-")):
            raise RuntimeError("boom")
        return item


def test_a_page_failing_in_the_pipelines_leaves_its_file_to_do(archive: Archive, tmp_path: Path) -> None:
    first = sorted(archive.files)[0]
    victim = sorted(archive.articles(files=[first]))[0]
    out = tmp_path / "out"
    pipelines = ('{"tests.commands.test_ccnews.FailOnePage": 100, "newsclean.crawler.components.pipelines.CleanPipeline": 300,'
                 ' "newsclean.crawler.components.dedup.DedupPipeline": 500, "newsclean.crawler.components.pipelines.OutputPipeline": 900}')
    done = run_newsclean("ccnews", "--from", "2026-11-01", "--out", str(out), *FAST, "-s", f"ITEM_PIPELINES={pipelines}",
                         env={**archive.env, "NEWSCLEAN_TEST_FAIL_URL": victim})
    assert done.returncode == 1, done.stderr[-3000:]
    assert f"file not read to its end, skipped: {first}: 1 page failed in the item pipelines" in done.stderr
    assert victim not in urls(read_parts(out))
    again = run_newsclean("ccnews", "--from", "2026-11-01", "--out", str(out), *FAST, env=archive.env)
    assert again.returncode == 0, again.stderr[-3000:]
    day1 = [f for f in archive.files if "CC-NEWS-20261101" in f]
    assert urls(read_parts(out)) == Counter(archive.articles(files=day1))   # the page is there now, once


class SlowPages:
    """An item pipeline that takes its time over each page: pages are always in flight."""

    async def process_item(self, item: object) -> object:
        import asyncio

        await asyncio.sleep(0.3)
        return item


def test_sigterm_with_pages_in_flight_ends_interrupted_and_a_rerun_completes(archive: Archive, tmp_path: Path) -> None:
    out = tmp_path / "out"
    pipelines = ('{"tests.commands.test_ccnews.SlowPages": 100, "newsclean.crawler.components.pipelines.CleanPipeline": 300,'
                 ' "newsclean.crawler.components.dedup.DedupPipeline": 500, "newsclean.crawler.components.pipelines.OutputPipeline": 900}')
    cmd = [sys.executable, "-m", "newsclean.crawler.commands.cli", "ccnews", *RANGE, "--out", str(out), *FAST,
           "-s", f"ITEM_PIPELINES={pipelines}"]
    proc = subprocess.Popen(cmd, cwd=REPO, env={**os.environ, **archive.env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and not archive.warc_gets():
        time.sleep(0.02)
    time.sleep(1)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)   # waited forever: Scrapy saw no response finish
    assert proc.returncode == 130, err[-3000:]
    assert manifest(out)["status"] == "interrupted"
    assert 0 < len(read_parts(out)) < len(archive.articles())
    rerun = archive.run(out)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert urls(read_parts(out)) == Counter(archive.articles())


def test_a_read_timeout_longer_than_the_clock_takes_is_no_bound(archive: Archive, tmp_path: Path) -> None:
    # -s NEWSCLEAN_CCNEWS_TIMEOUT=inf (or 1e12) passed the setting's check (more than 0), and the
    # first read was an OverflowError traceback: a socket's timeout takes ~9e9 s at most
    for timeout in ("inf", "1e12"):
        out = tmp_path / timeout
        done = archive.run(out, "--domain", "alpha.example", "-s", f"NEWSCLEAN_CCNEWS_TIMEOUT={timeout}")
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-3000:]
        assert urls(read_parts(out)) == Counter(archive.articles(("alpha.example",)))
