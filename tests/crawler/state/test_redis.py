"""Scale-out on a real redis-server: several workers share one queue, dupefilter and store."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from ...conftest import REPO, read_parts, run_newsclean
from ...e2e.test_incremental import LocalNewsSite, limited_then_whole, manifests
from ...e2e.test_since_urls import backfill


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed: .ci/run must install it")
        pytest.skip("redis-server is not installed")
    port = free_port()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--requirepass", "s3cret-pw", "--dir", str(tmp_path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://:s3cret-pw@127.0.0.1:{port}/0"
    import redis

    client = redis.Redis.from_url(url)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield url
    proc.kill()
    proc.wait()


SLOW = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0.02", "-s", "CONCURRENT_REQUESTS=2",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2", "-s", "NEWSCLEAN_PART_MAX_RECORDS=5", "-s", "RETRY_TIMES=0"]


class Worker:
    """A `newsclean crawl --redis` process; its log goes to a file (a pipe nobody reads would
    block it once full)."""

    def __init__(self, site: LocalNewsSite, out: Path, url: str, *extra: str) -> None:
        self.log = out.with_suffix(".log")
        out.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("w") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "newsclean.crawler.commands.cli", "crawl", "--url", site.server.base_url + "/",
                 "--out", str(out), "--redis", url, *SLOW, *extra], cwd=REPO, stdout=log, stderr=log)

    def wait(self, timeout: float = 240) -> tuple[int, str]:
        code = self.proc.wait(timeout=timeout)
        return code, self.log.read_text()


def worker(site: LocalNewsSite, out: Path, url: str) -> Worker:
    return Worker(site, out, url)


@pytest.fixture
def big_site(site_server) -> LocalNewsSite:
    server, root = site_server
    return LocalNewsSite(root, server, n=200)


def all_urls(site: LocalNewsSite) -> set[str]:
    return {site.server.base_url + site.path(i) for i in range(site.n)}


def test_two_workers_write_every_article_exactly_once(big_site: LocalNewsSite, redis_url: str, tmp_path: Path) -> None:
    a = worker(big_site, tmp_path / "a", redis_url)
    time.sleep(0.5)
    b = worker(big_site, tmp_path / "b", redis_url)
    code_a, err_a = a.wait()
    code_b, err_b = b.wait()
    assert code_a == 0, err_a[-2000:]
    assert code_b == 0, err_b[-2000:]
    recs_a, recs_b = read_parts(tmp_path / "a"), read_parts(tmp_path / "b")
    assert recs_a and recs_b, (len(recs_a), len(recs_b))          # both workers wrote records
    counts = Counter(r["url"] for r in recs_a + recs_b)
    assert set(counts) == all_urls(big_site)
    assert max(counts.values()) == 1
    fetched = Counter(big_site.article_hits())
    assert max(fetched.values()) == 1                               # and fetched each once
    for text in (err_a, err_b, *(p.read_text() for p in (tmp_path / "a" / "manifests").glob("*.json"))):
        assert "s3cret-pw" not in text                              # the password never shows
    # The two workers' manifests name one crawl, so they merge (unrelated runs are refused).
    (ma,), (mb,) = ((tmp_path / w / "manifests").glob("*.json") for w in "ab")
    proc = run_newsclean("merge-manifests", str(ma), str(mb), "-o", str(tmp_path / "merged.json"))
    assert proc.returncode == 0, proc.stderr
    merged = orjson.loads((tmp_path / "merged.json").read_bytes())
    assert merged["crawl_id"] == orjson.loads(ma.read_bytes())["crawl_id"] == orjson.loads(mb.read_bytes())["crawl_id"]
    assert merged["counts"]["newsclean/output/records_written"] == len(recs_a) + len(recs_b)


def test_killed_worker_loses_no_article(big_site: LocalNewsSite, redis_url: str, tmp_path: Path) -> None:
    a = worker(big_site, tmp_path / "a", redis_url)
    b = worker(big_site, tmp_path / "b", redis_url)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(big_site.article_hits()) < big_site.n // 3:
        time.sleep(0.05)
    a.proc.send_signal(signal.SIGKILL)
    a.wait()
    code_b, err_b = b.wait()
    assert code_b == 0, err_b[-2000:]
    counts = Counter(r["url"] for r in read_parts(tmp_path / "a") + read_parts(tmp_path / "b"))
    assert set(counts) == all_urls(big_site)
    assert max(counts.values()) == 1, [u for u, c in counts.items() if c > 1]


def test_unreachable_redis_is_a_clear_error(big_site: LocalNewsSite, tmp_path: Path) -> None:
    proc = run_newsclean("crawl", "--url", big_site.server.base_url + "/", "--out", str(tmp_path / "out"),
                         "--redis", f"redis://:hunter2@127.0.0.1:{free_port()}/0")
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [proc.stderr.strip().splitlines()[-1]]   # one line
    assert "cannot use Redis at redis://:***@127.0.0.1" in proc.stderr
    assert "hunter2" not in proc.stderr and "Traceback" not in proc.stderr
    assert not big_site.article_hits()


def test_a_redis_that_refuses_writes_is_a_clear_error(big_site: LocalNewsSite, redis_url: str, tmp_path: Path) -> None:
    # a replica (READONLY) or a Redis full under maxmemory (OOM) answered the PING: the first write,
    # in Scrapy's start, was a traceback and 'degraded: run ended early: unknown'
    import redis

    binary = shutil.which("redis-server")
    assert binary is not None
    port = free_port()
    replica = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                "--replicaof", "127.0.0.1", redis_url.rsplit(":", 1)[1].split("/")[0],
                                "--masterauth", "s3cret-pw", "--dir", str(tmp_path)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        replica_url = f"redis://127.0.0.1:{port}/0"
        for _ in range(100):
            try:
                redis.Redis.from_url(replica_url).ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        full = redis.Redis.from_url(redis_url)
        full.config_set("maxmemory", "1")
        full.config_set("maxmemory-policy", "noeviction")
        for url, said in [(replica_url, "You can't write against a read only replica"),
                          (redis_url, "command not allowed when used memory > 'maxmemory'")]:
            out = tmp_path / f"out-{url.rsplit(':', 1)[1].split('/')[0]}"
            proc = run_newsclean("crawl", "--url", big_site.server.base_url + "/", "--out", str(out), "--redis", url)
            assert proc.returncode == 1, proc.stderr[-2000:]
            assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
            (line,) = proc.stderr.strip().splitlines()
            assert line.startswith(f"newsclean: failed: cannot use Redis at {url.replace('s3cret-pw', '***')}: "
                                   "it refuses writes: ") and said in line, line
            assert not list(out.rglob('*.json*'))   # no part, no manifest: nothing started
        assert not big_site.article_hits()
    finally:
        replica.kill()
        replica.wait()


def test_redis_going_away_mid_crawl_fails_cleanly(big_site: LocalNewsSite, tmp_path: Path) -> None:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.3)
    try:
        a = worker(big_site, tmp_path / "a", f"redis://127.0.0.1:{port}/0")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(big_site.article_hits()) < 20:
            time.sleep(0.05)
    finally:
        server.kill()
        server.wait()
    code, err = a.wait(timeout=120)
    assert code != 0
    assert "Redis" in err.strip().splitlines()[-1]
    out = tmp_path / "a"
    assert not list(out.rglob(".*.tmp"))
    for path in (out / "articles").rglob("*.jsonl"):
        for line in path.read_bytes().splitlines():
            orjson.loads(line)                                      # no torn line


def test_redis_full_mid_crawl_stops_the_worker_in_one_line_and_loses_no_article(
        big_site: LocalNewsSite, redis_url: str, tmp_path: Path) -> None:
    # Redis reaching maxmemory (noeviction) mid-crawl: every page's write of the store was a
    # traceback of its own (21 in one run) and the last line said 'Redis went away'
    import redis

    client = redis.Redis.from_url(redis_url)
    a = worker(big_site, tmp_path / "a", redis_url)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(big_site.article_hits()) < 20:
        time.sleep(0.05)
    client.config_set("maxmemory-policy", "noeviction")
    client.config_set("maxmemory", "1")
    code, err = a.wait(timeout=120)
    assert code == 1, err[-2000:]
    assert "Traceback" not in err, err[-3000:]
    last = err.strip().splitlines()[-1]
    assert last.startswith("newsclean: failed: Redis refuses writes: ") and "maxmemory" in last, last
    client.config_set("maxmemory", "0")   # room again: the next run writes what was not committed
    code_b, err_b = worker(big_site, tmp_path / "b", redis_url).wait(timeout=200)
    assert code_b == 0, err_b[-2000:]
    counts = Counter(r["url"] for r in read_parts(tmp_path / "a") + read_parts(tmp_path / "b"))
    assert set(counts) == all_urls(big_site)
    assert max(counts.values()) == 1, [u for u, c in counts.items() if c > 1]


def _calls(client) -> Counter:
    return Counter({name.removeprefix("cmdstat_"): v["calls"] for name, v in client.info("commandstats").items()})


def test_store_decides_a_batch_at_once_and_claims_each_url_once(redis_url: str, tmp_path: Path) -> None:
    # A sitemap's URLs go to the store in batches: one pipelined read and one claim script per
    # batch (a WATCH/MULTI transaction per URL blocked the reactor for seconds), and two
    # workers of one crawl listing the same URLs at the same moment still fetch each once.
    import threading

    import redis

    from newsclean.crawler.state.redis_state import RedisArticleStore

    def store(worker: str) -> RedisArticleStore:
        return RedisArticleStore(redis.Redis.from_url(redis_url), "t", "crawl-1", worker, str(tmp_path))

    admin = redis.Redis.from_url(redis_url)
    urls = [(f"https://example.com/news/{i}.html", "example", None) for i in range(1000)]
    first = store("w1")
    assert [d.reason for d in first.should_fetch_many(urls[:100] + urls[:1], "run")] == ["new"] * 100 + ["scheduled"]
    before = _calls(admin)   # (the claim script is loaded now)
    decisions = first.should_fetch_many(urls[100:200], "run")
    used = _calls(admin) - before
    assert [d.reason for d in decisions] == ["new"] * 100
    assert used["watch"] == 0 and used["multi"] == 0
    assert used["evalsha"] + used["eval"] == 1 and used["hgetall"] == 100

    fetched: list[str] = []
    lock = threading.Lock()

    def crawl(worker: str) -> None:
        s = store(worker)
        for i in range(0, len(urls), 50):
            chunk = urls[i:i + 50]
            for (url, _, _), d in zip(chunk, s.should_fetch_many(chunk, "run")):
                if d.fetch:
                    with lock:
                        fetched.append(url)

    threads = [threading.Thread(target=crawl, args=(w,)) for w in ("w2", "w3")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(fetched) == sorted(u for u, _, _ in urls[200:])   # each new URL once, none of w1's again
    assert admin.scard("t:articles") == 1000


def test_a_worker_killed_between_any_two_hand_overs_leaves_every_request_to_the_others(redis_url: str, tmp_path: Path) -> None:
    # Worker "a" is stopped at each point of a request's way (listed and claimed, queued,
    # popped, in flight), as SIGKILL would leave it; worker "b" takes over; every URL must
    # end up queued exactly once. Before, a popped request was noted in flight a loop turn
    # later (by a downloader middleware) and claimed URLs not at all until queued: "a" killed
    # early lost them (test_killed_worker_loses_no_article failed 1 run in 6).
    import redis
    from scrapy import Spider
    from scrapy.http import Request

    from newsclean.crawler.state.redis_scheduler import Queue
    from newsclean.crawler.state.redis_state import RedisArticleStore, reclaim_dead

    client = redis.Redis.from_url(redis_url)
    urls = [f"https://example.com/news/{i}.html" for i in range(6)]

    def queue(worker: str) -> Queue:
        q = Queue(client, Spider(name="news"), "t:%(spider)s:requests")
        q.ns, q.worker = "t", worker
        return q

    def request(url: str) -> Request:
        return Request(url, dont_filter=True, meta={"newsclean_kind": "article", "newsclean_key": url})

    a = RedisArticleStore(client, "t", "crawl-1", "a", str(tmp_path))
    assert all(d.fetch for d in a.should_fetch_many([(u, "example", None) for u in urls], "run"))
    qa = queue("a")
    for url in urls[:4]:                  # killed while queueing the listing: 4 and 5 only claimed
        qa.push(request(url))
    assert qa.pop().url == urls[0]        # 0: popped and in flight (being downloaded)
    qa._take(keys=[qa.key, qa.taken_key])   # 1: popped, killed before noting it in flight
    assert sorted(client.hkeys("t:claimed")) == [u.encode() for u in urls[4:]]
    assert client.hkeys("t:inflight") == [urls[0].encode()]
    assert client.hlen(qa.taken_key) == 1 and client.zcard(qa.key) == 2   # 2, 3 still queued

    client.set("t:worker:b", "idle")      # b is alive; a (no heartbeat) is not
    requeued, redo = reclaim_dead(client, "t", "b", None)
    assert requeued == 1 and sorted(key for key, _ in redo) == [urls[0], urls[4], urls[5]]
    assert reclaim_dead(client, "t", "c", None) == (0, [])   # taken over once: b holds them now
    assert sorted(client.hkeys("t:claimed")) == sorted(key.encode() for key, _ in redo)

    qb = queue("b")
    for key, req in redo:
        qb.push(request(req["url"]))
    assert client.hlen("t:claimed") == 0
    popped = [r.url for r in iter(qb.pop, None)]
    assert sorted(popped) == urls         # each URL once
    assert client.hlen(qb.taken_key) == 0 and client.hlen("t:inflight") == 6


def test_a_worker_that_only_took_queued_articles_did_not_fail_discovery() -> None:
    # Seen in test_killed_worker_loses_no_article: worker b's only discovery fetch (the site
    # root) failed while a listed the sitemap; b cleaned the 200 articles a had queued, and its
    # monitor still said "discovery failed: no article URL found" (exit 3 instead of 0).
    from newsclean.crawler.components.monitors import discovery_found

    joined = {"newsclean/fetch/failed/sniff": 1, "newsclean/discovery/requests/sniff": 1,
              "newsclean/clean/articles": 200, "newsclean/redis/reclaimed": 67}
    assert discovery_found(joined) == 200
    assert discovery_found({"newsclean/fetch/failed/sniff": 1, "newsclean/fetch/failed/sitemap": 2}) == 0


def test_pages_dropped_uncleaned_leave_nothing_in_flight(big_site: LocalNewsSite, redis_url: str, tmp_path: Path) -> None:
    # Cleaning switched off (the benchmark's fetch-only crawl): each page is dropped. Its
    # in-flight entry stayed, so a second worker still running when the first exited took
    # the first one's 1,777 pages for lost and fetched them again (bench: [1777, 2000] pages
    # per process for 2,000 URLs).
    import redis

    code, err = Worker(big_site, tmp_path / "a", redis_url, "-s", "NEWSCLEAN_CLEAN_ENABLED=False").wait()
    assert code == 0 and "newsclean: degraded" not in err, err[-2000:]   # none cleaned: as meant
    assert len(big_site.article_hits()) == big_site.n
    assert redis.Redis.from_url(redis_url).hlen("newsclean:inflight") == 0


def test_looking_for_workers_takes_few_round_trips_in_a_large_keyspace(redis_url: str) -> None:
    # SCAN walks every key (an article hash per URL, the dedup index) whatever the pattern; at
    # Redis's default step of 10 keys the idle check took hundreds of round trips on the
    # reactor thread (stalls of 0.3-2.6 s in a 2,000-page bench crawl).
    import redis

    from newsclean.crawler.state.redis_state import live_workers

    client = redis.Redis.from_url(redis_url)
    with client.pipeline(transaction=False) as pipe:
        for i in range(5000):
            pipe.hset(f"t:a:{i:040x}", "url", f"https://example.com/{i}")
        pipe.set("t:worker:w1", "busy")
        pipe.execute()
    before = _calls(client)
    assert live_workers(client, "t") == {"w1"}
    assert (_calls(client) - before)["scan"] <= 10


def test_urls_too_long_for_scrapy_are_never_claimed(big_site: LocalNewsSite, redis_url: str, tmp_path: Path) -> None:
    # Scrapy's UrlLengthMiddleware drops a request after the spider made it: its claim stayed in
    # Redis, and every worker started later took it for a dead worker's and queued it again.
    import redis

    limit = len(big_site.server.base_url + big_site.path(99))   # stories 100-199 have longer URLs
    code, err = Worker(big_site, tmp_path / "a", redis_url, "-s", f"URLLENGTH_LIMIT={limit}").wait()
    assert code == 0, err[-2000:]
    assert len(read_parts(tmp_path / "a")) == 100
    assert redis.Redis.from_url(redis_url).hlen("newsclean:claimed") == 0
    assert manifests(tmp_path / "a")[-1]["counts"]["newsclean/discovery/url_too_long"] == 100



def test_settings_naming_the_scheduler_by_its_old_module_still_crawl(site_server, redis_url: str, tmp_path: Path) -> None:
    # The queue and scheduler moved from redis_state.py to redis_scheduler.py (35380de): a
    # user's settings with the old path were a NameError traceback at the crawl's start.
    server, root = site_server
    site = LocalNewsSite(root, server, n=3)
    code, err = Worker(site, tmp_path / "a", redis_url, "-s", "SCHEDULER=newsclean.crawler.state.redis_state.Scheduler").wait()
    assert code == 0, err[-2000:]
    assert {r["url"] for r in read_parts(tmp_path / "a")} == all_urls(site)
    said = [line for line in err.splitlines() if "newsclean.crawler.state.redis_scheduler.Scheduler" in line]
    assert len(said) == 1 and "has moved" in said[0], err[-2000:]   # one line names the new path

    from newsclean.crawler.state import redis_scheduler, redis_state

    # the queue by its old path too; found once, it is the module's own name (said once a process)
    assert redis_state.Queue is redis_scheduler.Queue and "Queue" in vars(redis_state)
    with pytest.raises(AttributeError):
        redis_state.Nothing  # noqa: B018


def test_a_wider_since_window_backfills_on_redis_too(site_server, redis_url: str, tmp_path: Path) -> None:
    # the store on Redis settled a too_old page as the SQLite one did (fetched, unchanged) and sent a
    # sitemap's validators whatever window it had been read under (see test_since_urls)
    backfill(*site_server, tmp_path / "out", "--redis", redis_url)


def test_a_sitemap_left_unread_at_the_article_limit_is_read_whole_on_redis_too(site_server, redis_url: str,
                                                                               tmp_path: Path) -> None:
    # the workers' store saved the validators of a sitemap read up to the limit alike (see test_incremental)
    limited_then_whole(LocalNewsSite(*reversed(site_server), n=5), tmp_path / "out", "--redis", redis_url)


def test_redis_store_keeps_the_window_of_too_old_pages_and_listings(redis_url: str, tmp_path: Path) -> None:
    import redis

    from newsclean.crawler.state.redis_state import RedisArticleStore
    from newsclean.crawler.state.store import Fetched, rejected_settle

    now = datetime(2026, 12, 7, 12, tzinfo=timezone.utc)
    url, sitemap = "https://example.com/news/old.html", "https://example.com/sitemap.xml"
    client = redis.Redis.from_url(redis_url)

    def store(crawl: str) -> RedisArticleStore:
        return RedisArticleStore(client, "t", crawl, "w1", str(tmp_path))

    first = store("crawl-1")
    assert first.should_fetch(url, "ex", None, "run", now - timedelta(days=7)).reason == "new"
    f = Fetched(url, "ex", now, etag='"v1"')
    first.record_fetch(f, unchanged=False)
    part = "rejects/part-crawl-1-00000.jsonl"
    first.stage(part, "", rejected_settle("too_old", now - timedelta(days=20)), f)
    first.commit_part(part)
    assert store("crawl-2").should_fetch(url, "ex", None, "run", now - timedelta(days=7)).reason == "too_old"
    d = store("crawl-3").should_fetch(url, "ex", None, "run", now - timedelta(days=30))
    assert (d.fetch, d.reason, d.headers()) == (True, "in_window", {})

    first.save_document_validators({sitemap: ('"s1"', None)}, now - timedelta(days=7))
    assert first.document_validators(sitemap, now - timedelta(days=6)) == ('"s1"', None)
    assert first.document_validators(sitemap, now - timedelta(days=30)) == (None, None)
    assert orjson.loads(client.hget("t:documents", sitemap)) == ['"s1"', None]   # as an older worker reads it
    client.hdel("t:documents_since", sitemap)   # saved before the window was kept
    assert first.document_validators(sitemap, now) == (None, None)
