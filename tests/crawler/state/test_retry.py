"""Failed article fetches are retried by later runs, with a backoff and a cap on attempts,
whether or not the listing that named them changed (both store backends)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from newsclean.crawler.state.store import (LONGEST_RETRY_WAIT, ArticleStore, FetchDecision, Fetched, RetryPolicy,
                                          SqliteArticleStore, stamp)

from ...conftest import read_parts, run_newsclean
from ...e2e.test_incremental import FAST, LocalNewsSite, crawl, manifests, site  # noqa: F401 - fixture
from .test_redis import redis_url  # noqa: F401 - fixture

URL = "https://example.com/2026/01/02/story/"


@pytest.fixture(params=["sqlite", "redis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ArticleStore]:
    if request.param == "sqlite":
        s: ArticleStore = SqliteArticleStore(tmp_path / "state" / "a.sqlite3", root=tmp_path)
    else:
        import redis

        from newsclean.crawler.state.redis_state import RedisArticleStore

        url = request.getfixturevalue("redis_url")
        s = RedisArticleStore(redis.Redis.from_url(url), "t", "crawl-1", "w1", str(tmp_path))
    yield s
    s.close()


def ask(store: ArticleStore, run: str) -> FetchDecision:
    """should_fetch in run ``run`` (the Redis store keys its runs by its crawl id)."""
    if hasattr(store, "crawl_id"):
        store.crawl_id = run
    return store.should_fetch(URL, "ex", None, run)


def test_failed_page_is_due_after_its_backoff_and_given_up_after_the_cap(store: ArticleStore, tmp_path: Path) -> None:
    T0 = datetime.now(timezone.utc).replace(microsecond=0)   # decide() compares with the clock
    policy = RetryPolicy(backoff=60, max_attempts=3)
    assert ask(store, "run1").reason == "new"
    assert store.record_failure(URL, "ex", policy, T0) is False
    assert store.due_retries("ex", T0 + timedelta(seconds=59)) == []
    assert ask(store, "run2").reason == "backoff"      # listed again too soon
    assert store.due_retries("ex", T0 + timedelta(seconds=60)) == [URL]
    assert store.due_retries("other-site", T0 + timedelta(seconds=60)) == []
    # the second failure doubles the wait
    assert store.record_failure(URL, "ex", policy, T0 + timedelta(seconds=60)) is False
    assert store.due_retries("ex", T0 + timedelta(seconds=60 + 119)) == []
    assert store.due_retries("ex", T0 + timedelta(seconds=60 + 120)) == [URL]
    assert store.record_failure(URL, "ex", policy, T0 + timedelta(seconds=180)) is True   # third: given up
    assert store.due_retries("ex", T0 + timedelta(days=365)) == []
    assert ask(store, "run3").reason == "given_up"


def test_a_commit_clears_the_retry(store: ArticleStore, tmp_path: Path) -> None:
    T0 = datetime.now(timezone.utc).replace(microsecond=0)
    policy = RetryPolicy(backoff=0, max_attempts=3)
    ask(store, "run1")
    store.record_failure(URL, "ex", policy, T0)
    d = ask(store, "run2")
    assert (d.fetch, d.reason) == (True, "retry")
    f = Fetched(URL, "ex", T0, etag='"v1"')
    part = "articles/part-run2-00001.jsonl"
    store.stage(part, "id1", "sha256:a", f)
    (tmp_path / "articles").mkdir(exist_ok=True)
    (tmp_path / part).write_text("{}\n")
    store.commit_part(part)
    assert store.due_retries("ex", T0 + timedelta(days=1)) == []
    assert ask(store, "run3").reason == "unchanged"
    # a failed refetch of a committed article is retried too, conditionally
    store.record_failure(URL, "ex", policy, T0)
    assert store.due_retries("ex", T0) == [URL]
    d = ask(store, "run4")
    assert (d.reason, d.headers()) == ("retry", {"If-None-Match": '"v1"'})


FAILING = (1, 4)


def test_pages_that_failed_are_fetched_by_the_next_run_though_the_sitemap_answers_304(
        site: LocalNewsSite, tmp_path: Path) -> None:
    out = tmp_path / "out"
    for i in FAILING:
        site.server.force_status(site.path(i), 503)
    crawl(site, out, "-s", "NEWSCLEAN_RETRY_BACKOFF=0")
    assert len(read_parts(out)) == site.n - len(FAILING)
    assert manifests(out)[-1]["counts"]["newsclean/retry/scheduled"] == len(FAILING)
    site.server.force_status(site.path(FAILING[0]), 0)   # one page is back, the other still fails
    mark = len(site.server.hits)
    proc = crawl(site, out, "-s", "NEWSCLEAN_RETRY_BACKOFF=0")
    assert [h.status for h in site.server.hits[mark:] if h.path == "/sitemap.xml"] == [304]
    assert sorted(site.article_hits(mark)) == sorted(site.path(i) for i in FAILING), proc.stderr[-2000:]
    urls = [r["url"] for r in read_parts(out)]
    assert sorted(urls) == sorted(site.server.base_url + site.path(i) for i in range(site.n) if i != FAILING[1])
    counts = manifests(out)[-1]["counts"]
    assert counts["newsclean/retry/due"] == 2 and counts["newsclean/retry/fetched"] == 2
    assert counts["newsclean/retry/scheduled"] == 1


def test_a_page_that_keeps_failing_is_given_up_and_the_backoff_is_respected(site: LocalNewsSite, tmp_path: Path) -> None:
    out = tmp_path / "out"
    site.server.force_status(site.path(2), 503)
    cap = ["-s", "NEWSCLEAN_RETRY_BACKOFF=0", "-s", "NEWSCLEAN_RETRY_MAX_ATTEMPTS=2"]
    crawl(site, out, *cap)                        # failure 1
    mark = len(site.server.hits)
    crawl(site, out, *cap)                        # retried: failure 2, given up
    assert site.article_hits(mark) == [site.path(2)]
    assert manifests(out)[-1]["counts"]["newsclean/retry/given_up"] == 1
    mark = len(site.server.hits)
    crawl(site, out, *cap)
    assert site.article_hits(mark) == []          # given up: not asked for again
    # with the default backoff (10 minutes) a failure is not retried by a run right after it
    out2 = tmp_path / "out2"
    crawl(site, out2)
    mark = len(site.server.hits)
    crawl(site, out2)
    assert site.article_hits(mark) == []
    assert manifests(out2)[-1]["counts"].get("newsclean/retry/due", 0) == 0


def test_retries_on_redis(site: LocalNewsSite, redis_url: str, tmp_path: Path) -> None:  # noqa: F811
    out = tmp_path / "out"
    site.server.force_status(site.path(3), 503)
    crawl(site, out, "--redis", redis_url, "-s", "NEWSCLEAN_RETRY_BACKOFF=0")
    site.server.force_status(site.path(3), 0)
    mark = len(site.server.hits)
    proc = crawl(site, out, "--redis", redis_url, "-s", "NEWSCLEAN_RETRY_BACKOFF=0")
    assert site.article_hits(mark) == [site.path(3)], proc.stderr[-2000:]
    assert len(read_parts(out)) == site.n


def test_a_page_whose_cleaning_worker_crashed_is_retried(site: LocalNewsSite, tmp_path: Path) -> None:
    out = tmp_path / "out"
    site.extra[5] = "<p>CRASH-THIS-WORKER</p>"
    site.write_article(5)
    first = run_newsclean("crawl", "--url", site.server.base_url + "/", "--out", str(out), *FAST,
                          "-s", "NEWSCLEAN_RETRY_BACKOFF=0", "-s", "NEWSCLEAN_CLEAN_WORKERS=1",
                          env={"NEWSCLEAN_TEST_FAULTS": "crash=CRASH-THIS-WORKER"})
    assert [r["reason"] for r in read_parts(out, "rejects")] == ["error"], first.stderr[-2000:]
    assert manifests(out)[-1]["counts"]["newsclean/retry/scheduled"] == 1
    mark = len(site.server.hits)
    second = crawl(site, out, "-s", "NEWSCLEAN_RETRY_BACKOFF=0")       # the sitemap answers 304
    assert site.article_hits(mark) == [site.path(5)], second.stderr[-2000:]
    assert len(read_parts(out)) == site.n


def test_a_retry_backoff_past_any_date_is_refused_at_the_start(site: LocalNewsSite, tmp_path: Path) -> None:
    # NEWSCLEAN_RETRY_BACKOFF had no upper bound: 'inf' or 1e12 s passed the check and the first
    # failed fetch was an OverflowError in the spider (a date past year 9999): the run said 'ok',
    # exit 0, and the failed page was never scheduled again (newsclean/retry/scheduled absent).
    site.server.force_status(site.path(2), 503)
    out = tmp_path / "out"
    for backoff in ("inf", "1e12", str(LONGEST_RETRY_WAIT + 1)):
        proc = crawl(site, out, "-s", f"NEWSCLEAN_RETRY_BACKOFF={backoff}")
        assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr[-2000:]
        assert proc.stderr.startswith(f"newsclean: error: bad -s NEWSCLEAN_RETRY_BACKOFF='{backoff}': at most"), \
            proc.stderr
    assert not out.exists()
    # the longest backoff taken is a real wait, scheduled as such
    crawl(site, out, "-s", f"NEWSCLEAN_RETRY_BACKOFF={LONGEST_RETRY_WAIT}")
    assert manifests(out)[-1]["counts"]["newsclean/retry/scheduled"] == 1


def test_no_wait_between_tries_is_longer_than_the_longest() -> None:
    # The doubling went past any date too: backoff 600 s, the 40th failure in a row (with
    # NEWSCLEAN_RETRY_MAX_ATTEMPTS=100) was an OverflowError, its failure not recorded.
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    policy = RetryPolicy(backoff=600, max_attempts=100)
    assert policy.after_failure(3, now) == (stamp(now + timedelta(seconds=2400)), None)
    for attempts in (30, 40, 99):
        assert policy.after_failure(attempts, now) == (stamp(now + timedelta(seconds=LONGEST_RETRY_WAIT)), None)
    assert policy.after_failure(100, now) == (None, stamp(now))


def test_a_failed_fetch_is_one_line_of_the_log_naming_its_status(site: LocalNewsSite, tmp_path: Path) -> None:
    # before: Scrapy's retry middleware said it at ERROR ("Gave up retrying <GET URL> (failed 2
    # times): 500 Internal Server Error"), then the spider at WARNING ("fetch failed for article URL:
    # Ignoring non-200 response"): two lines for one failure under cron, the second without the status;
    # under -v a traceback of the HttpError followed
    site.server.force_status(site.path(2), 500)
    proc = crawl(site, tmp_path / "out", "-s", "RETRY_TIMES=1", "-v")
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    url = site.server.base_url + site.path(2)
    said = [line for line in proc.stderr.splitlines() if url in line and ("WARNING" in line or "ERROR" in line)]
    assert len(said) == 1 and said[0].endswith(f"WARNING: fetch failed for article {url}: HTTP 500"), said
    assert manifests(tmp_path / "out")[-1]["counts"]["newsclean/fetch/failed_reason/http_500"] == 1
