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
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from .conftest import REPO, read_parts, run_newsclean
from .test_incremental import LocalNewsSite


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

    def __init__(self, site: LocalNewsSite, out: Path, url: str) -> None:
        self.log = out.with_suffix(".log")
        out.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("w") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "crawler.cli", "crawl", "--url", site.server.base_url + "/",
                 "--out", str(out), "--redis", url, *SLOW], cwd=REPO, stdout=log, stderr=log)

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
