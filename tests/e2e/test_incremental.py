"""Scheduled crawls: incremental, crash-safe, locked, monitored.

Real crawls (``newsclean crawl`` processes) against a local site on 127.0.0.1 whose pages the
tests change between runs; assertions use the server's own request log.
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
from pathlib import Path

import orjson
import pytest

from newsclean.crawler.commands.demo import DemoServer

from ..conftest import REPO, read_parts, run_newsclean

PARAGRAPHS = [
    "The provincial irrigation department said on Monday that canal closures for annual desilting "
    "would begin a week later than planned, giving wheat growers one more round of water.",
    "Farmers' groups had asked for the delay after a dry winter left many fields short of moisture "
    "just as the crop entered its most sensitive stage of growth.",
    "Officials said the cleaning work would still be finished before the summer sowing season, "
    "although some smaller distributaries would be closed for a shorter period than usual.",
]

FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "RETRY_TIMES=0"]


class LocalNewsSite:
    """A small news site in a directory: N articles, a sitemap with lastmod, robots.txt."""

    def __init__(self, root: Path, server: DemoServer, n: int) -> None:
        self.root, self.server, self.n = root, server, n
        self.lastmod = {i: "2026-02-01T08:00:00+00:00" for i in range(n)}
        self.extra = {i: "" for i in range(n)}
        (root / "robots.txt").write_text(f"User-agent: *\nSitemap: {server.base_url}/sitemap.xml\n")
        for i in range(n):
            self.write_article(i)
        self.write_sitemap()

    def path(self, i: int) -> str:
        return f"/2026/02/{1 + i % 28:02d}/irrigation-canal-story-number-{i}/"

    @staticmethod
    def html(i: int, extra: str = "") -> str:
        body = "\n".join(f"<p>{p} (Story {i}.)</p>" for p in PARAGRAPHS) + extra
        return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Canal story {i}</title>"
                f"<meta property='article:published_time' content='2026-02-01T08:00:00+00:00'></head><body>"
                f"<article><h1>Canal story {i}</h1><p class='byline'>By Staff Reporter</p>{body}</article></body></html>")

    def write_article(self, i: int) -> None:
        html = self.html(i, self.extra[i])
        target = self.root / self.path(i).lstrip("/") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")

    def write_sitemap(self) -> None:
        urls = "".join(f"<url><loc>{self.server.base_url}{self.path(i)}</loc><lastmod>{self.lastmod[i]}</lastmod></url>"
                       for i in range(self.n))
        (self.root / "sitemap.xml").write_text(
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>')

    def change(self, i: int, lastmod: str) -> None:
        self.extra[i] = "<p>Update: the department later confirmed the new dates in a written notice.</p>"
        self.lastmod[i] = lastmod
        self.write_article(i)
        self.write_sitemap()

    def article_hits(self, since: int = 0) -> list[str]:
        return [h.path for h in self.server.hits[since:] if "irrigation-canal-story" in h.path]


@pytest.fixture
def site(site_server) -> LocalNewsSite:
    server, root = site_server
    return LocalNewsSite(root, server, n=6)


def crawl(site: LocalNewsSite, out: Path, *extra: str, start: str = "/") -> subprocess.CompletedProcess[str]:
    """``newsclean crawl --url`` of the site's ``start`` page (its root: robots.txt's sitemap)."""
    # a setting ``extra`` gives replaces FAST's: the CLI refuses one given twice with two values
    given = {extra[i + 1].split("=", 1)[0] for i, arg in enumerate(extra[:-1]) if arg == "-s"}
    fast = [arg for i in range(0, len(FAST), 2) if FAST[i + 1].split("=", 1)[0] not in given for arg in FAST[i:i + 2]]
    return run_newsclean("crawl", "--url", site.server.base_url + start, "--out", str(out), *fast, *extra)


def manifests(out: Path) -> list[dict]:
    return sorted((orjson.loads(p.read_bytes()) for p in (out / "manifests").glob("*.json")),
                  key=lambda m: m["started_at"])


def test_second_run_fetches_no_article_and_writes_nothing(site: LocalNewsSite, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = crawl(site, out)
    assert first.returncode == 0, first.stderr[-2000:]
    assert len(read_parts(out)) == site.n
    mark = len(site.server.hits)
    second = crawl(site, out)
    assert second.returncode == 0, second.stderr[-2000:]
    assert site.article_hits(mark) == []                        # the server saw no article request
    sitemap = [h for h in site.server.hits[mark:] if h.path == "/sitemap.xml"]
    assert [h.status for h in sitemap] == [304]                 # discovery runs every time, conditionally
    assert "If-None-Match" in sitemap[0].headers
    assert len(read_parts(out)) == site.n                       # and nothing new was written


def test_changed_article_is_refetched_and_written_again_with_the_same_id(site: LocalNewsSite, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert crawl(site, out).returncode == 0
    before = {r["url"]: r for r in read_parts(out)}
    site.change(2, "2026-02-10T09:00:00+00:00")
    mark = len(site.server.hits)
    proc = crawl(site, out)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert site.article_hits(mark) == [site.path(2)]
    records = read_parts(out)
    url = site.server.base_url + site.path(2)
    versions = [r for r in records if r["url"] == url]
    assert len(versions) == 2
    assert versions[0]["id"] == versions[1]["id"] == before[url]["id"]
    assert versions[0]["content_hash"] != versions[1]["content_hash"]
    assert "written notice" in versions[1]["text"]


def test_refetch_answered_304_writes_nothing(site: LocalNewsSite, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert crawl(site, out).returncode == 0
    site.lastmod[4] = "2026-02-11T00:00:00+00:00"     # the sitemap says changed, the page did not
    site.write_sitemap()
    mark = len(site.server.hits)
    proc = crawl(site, out)
    assert proc.returncode == 0, proc.stderr[-2000:]
    hits = [h for h in site.server.hits[mark:] if h.path == site.path(4)]
    assert len(hits) == 1 and hits[0].status == 304
    assert "If-None-Match" in hits[0].headers
    assert len(read_parts(out)) == site.n
    assert manifests(out)[-1]["counts"]["newsclean/store/not_modified"] == 1


def kill_after_parts(cmd: list[str], out: Path, parts: int, poll: float) -> None:
    """Run the crawl ``cmd`` and SIGKILL it once ``out`` holds ``parts`` committed part files (or
    after 60 s): a crash mid-crawl. ``poll``: seconds between looks."""
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list((out / "articles").rglob("part-*.jsonl"))) < parts:
        time.sleep(poll)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


def test_sigkill_mid_crawl_then_rerun_gives_every_article_once(site_server, tmp_path: Path) -> None:
    server, root = site_server
    site = LocalNewsSite(root, server, n=40)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "newsclean.crawler.commands.cli", "crawl", "--url", server.base_url + "/", "--out", str(out),
           "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0.1", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
           "-s", "NEWSCLEAN_PART_MAX_RECORDS=3"]
    kill_after_parts(cmd, out, parts=2, poll=0.05)
    killed_with = len(read_parts(out))
    assert 0 < killed_with < site.n, "the kill should land mid-crawl"
    rerun = crawl(site, out)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    records = read_parts(out)   # every committed line parses (read_parts loads each one)
    counts = Counter(r["url"] for r in records)
    assert set(counts) == {server.base_url + site.path(i) for i in range(site.n)}
    assert max(counts.values()) == 1, [u for u, c in counts.items() if c > 1]
    assert not list(out.rglob(".*.tmp"))
    # The killed run's dedup entries (written in batches) were written before each of its
    # parts: the rerun keeps one for every record those parts hold.
    assert manifests(out)[-1]["counts"].get("newsclean/dedup/recovered") == killed_with


def _settled(server, path: str) -> int:
    """The server's hits of ``path`` once no new one came for a second (10 s at most): a killed
    crawler's requests in the listen backlog are read after it died."""
    last, still, deadline = -1, 0, time.monotonic() + 10
    while still < 10 and time.monotonic() < deadline:
        n = server.count(path)
        still, last = (still + 1 if n == last else 0), n
        time.sleep(0.1)
    return last


def test_a_run_killed_before_its_first_part_gives_its_id_to_no_rerun(tmp_path: Path) -> None:
    # before: the rerun under the killed run's id (-s NEWSCLEAN_RUN_ID) skipped every article that
    # run had scheduled as its own ('scheduled'): 'ok', 0 articles written; only a run of another
    # id fetched them. The id is refused as an earlier run's is, and a run without it gets them all.
    import threading

    from newsclean.crawler.hostile import HostileServer, Reply

    hold = threading.Event()

    def article(m, hit):   # answered once the first run is dead
        hold.wait(60)
        return LocalNewsSite.html(int(m[1]))

    server = HostileServer().route(r"/news/(\d+)\.html", article).page("/robots.txt", Reply(b"", status=404))
    try:
        urls = tmp_path / "urls.txt"
        urls.write_text("".join(server.url(f"/news/{i}.html") + "\n" for i in range(3)))
        out = tmp_path / "out"
        cmd = [sys.executable, "-m", "newsclean.crawler.commands.cli", "crawl", "--urls", str(urls), "--out", str(out),
               *FAST, "-s", "NEWSCLEAN_RUN_ID=nightly-1"]
        proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)   # its cleaning workers die with it
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and server.count("/news/") == 0:
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        hold.set()
        assert server.count("/news/") > 0 and not (out / "manifests" / "nightly-1.json").exists()
        assert not list(out.rglob("*part-*"))   # no part, no manifest: nothing said the id was used
        # the dead run's requests still waiting in the server's backlog are answered after the kill:
        # counted before the rerun (read at once, 1 -> 3 came in after it, a flake in CI), and the
        # rerun known by its User-Agent (the contact URL goes into it)
        before = _settled(server, "/news/")
        rerun = run_newsclean(*cmd[3:], "-s", "NEWSCLEAN_CONTACT_URL=https://refused-rerun.example/")
        assert rerun.returncode == 2 and rerun.stderr.count("\n") == 1, rerun.stderr[-2000:]
        assert "NEWSCLEAN_RUN_ID=nightly-1: an earlier run of" in rerun.stderr and "give a new one, or leave it out" \
            in rerun.stderr, rerun.stderr
        assert re.search(r"holds [1-3] articles? it scheduled", rerun.stderr), rerun.stderr   # scheduled one by one
        assert server.count("/news/") == before
        assert not [h for h in server.hits if "refused-rerun.example" in h.headers.get("User-Agent", "")]
        rerun = run_newsclean(*cmd[3:-2])   # no id: a new run, which fetches them
        assert rerun.returncode == 0, rerun.stderr[-2000:]
        assert sorted(r["url"] for r in read_parts(out)) == [server.url(f"/news/{i}.html") for i in range(3)]
        # (the User-Agent looked at above is there to look at: the runs that fetched sent it)
        assert server.hits and all("User-Agent" in h.headers for h in server.hits)
    finally:
        server.stop()


def test_sigkill_loses_no_dedup_entry_of_a_committed_record_while_batches_are_written_in_a_thread(
        site_server, tmp_path: Path) -> None:
    # The dedup index writes each full batch in a thread, off the reactor's; a part is committed
    # only after that write and the rest of its records' entries. Batches of 2 and parts of 5, so
    # kills land with a batch in flight, a part just committed, or between.
    server, root = site_server
    site = LocalNewsSite(root, server, n=40)
    out = tmp_path / "out"
    code = ("import sys; from newsclean.crawler.components.dedup import DedupPipeline; DedupPipeline.BATCH = 2; "
            "from newsclean.crawler.commands.cli import run; sys.argv[0] = 'newsclean'; run()")
    cmd = [sys.executable, "-c", code, "crawl", "--url", server.base_url + "/", "--out", str(out),
           "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0.05", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
           "-s", "NEWSCLEAN_PART_MAX_RECORDS=5"]
    kill_after_parts(cmd, out, parts=3, poll=0.02)
    committed = {(r["id"], r["content_hash"]) for r in read_parts(out)}
    assert 10 <= len(committed) < site.n, "the kill should land mid-crawl"
    index = sqlite3.connect(out / "state" / "dedup.sqlite3")   # what the kill left, as the next run opens it
    indexed = set(index.execute("SELECT id, content_hash FROM entries"))
    assert committed <= indexed
    bands = index.execute("SELECT COUNT(*) FROM bands WHERE seq IN (SELECT seq FROM entries)").fetchone()[0]
    assert bands == 32 * len(indexed)   # every entry with its buckets (the default threshold's 32 bands)
    index.close()
    rerun = crawl(site, out)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert manifests(out)[-1]["counts"].get("newsclean/dedup/recovered") == len(committed)
    assert Counter(r["url"] for r in read_parts(out)).most_common(1)[0][1] == 1


def test_sigterm_finishes_in_flight_items_and_writes_an_interrupted_manifest(site_server, tmp_path: Path) -> None:
    server, root = site_server
    site = LocalNewsSite(root, server, n=40)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "newsclean.crawler.commands.cli", "crawl", "--url", server.base_url + "/", "--out", str(out),
           "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0.1", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(site.article_hits()) < 5:
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err[-2000:]
    (manifest,) = manifests(out)
    assert manifest["status"] == "interrupted"
    written = read_parts(out)
    assert 0 < len(written) < site.n
    assert len(written) == manifest["counts"]["newsclean/output/records_written"]


def test_sigterm_before_the_crawl_starts_is_an_interrupted_run_said_in_one_line(tmp_path: Path) -> None:
    # SIGTERM while the command still read its --urls (a cron job stopped, a pipe not yet
    # closed) killed the process silently: exit 143, nothing on stderr; the README says 130.
    fifo = tmp_path / "urls.fifo"
    os.mkfifo(fifo)
    cmd = [sys.executable, "-m", "newsclean.crawler.commands.cli", "crawl", "--urls", str(fifo), "--out", str(tmp_path / "out")]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        with open(fifo, "w"):   # returns once the command has opened the list: it waits in its read
            proc.send_signal(signal.SIGTERM)
            _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130, err[-2000:]
    assert err.strip().splitlines()[-1:] == ["newsclean: interrupted"], err[-2000:]


def test_a_run_whose_output_cannot_be_written_says_it_wrote_nothing(site: LocalNewsSite, tmp_path: Path) -> None:
    # Every part file fails (here its folder is a file; a full disk does it too): the summary
    # said 'articles written: 6', the cleaned count, for a run that wrote none.
    out = tmp_path / "out"
    (out / "articles").mkdir(parents=True)
    (out / "articles" / "site=adhoc").touch()
    proc = crawl(site, out)
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert read_parts(out) == []
    assert "articles written: 0\n" in proc.stdout, proc.stdout
    (manifest,) = manifests(out)
    assert manifest["counts"].get("newsclean/output/records_written", 0) == 0


def test_second_concurrent_run_exits_at_once_with_code_3(site: LocalNewsSite, tmp_path: Path) -> None:
    from newsclean.crawler.state.lock import RunLock

    # at once: before its crawl starts (nothing fetched, not even robots.txt; no manifest), not
    # after waiting for the lock (a blocking flock: this run would wait out its timeout)
    out = tmp_path / "out"
    before = len(site.server.hits)
    with RunLock(out):
        proc = crawl(site, out)
    assert proc.returncode == 3
    assert "another newsclean run holds" in proc.stderr
    assert site.server.hits[before:] == []
    assert manifests(out) == []


def test_site_answering_500_is_a_degraded_run(site: LocalNewsSite, tmp_path: Path) -> None:
    for i in range(site.n):
        site.server.force_status(site.path(i), 500)
    out = tmp_path / "out"
    proc = crawl(site, out)
    assert proc.returncode == 1
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("newsclean: degraded:")
    assert "no article written" in last or "fetches failed" in last
    checks = {c["name"]: c for c in manifests(out)[-1]["checks"]}
    assert not checks["articles_written"]["passed"]
    assert not checks["error_rate"]["passed"]


def test_pages_losing_their_body_is_a_degraded_run(site: LocalNewsSite, tmp_path: Path) -> None:
    for i in range(site.n):
        target = site.root / site.path(i).lstrip("/") / "index.html"
        target.write_text("<!doctype html><html><head><title>x</title></head><body><nav>Home</nav></body></html>")
    out = tmp_path / "out"
    proc = crawl(site, out)
    assert proc.returncode == 1
    assert "degraded" in proc.stderr.strip().splitlines()[-1]
    checks = {c["name"]: c for c in manifests(out)[-1]["checks"]}
    assert not checks["reject_rate"]["passed"]


def test_since_skips_articles_dated_outside_the_window(site: LocalNewsSite, tmp_path: Path) -> None:
    site.lastmod[1] = "2099-01-01T00:00:00+00:00"     # in the future: inside any window
    site.write_sitemap()
    page = site.root / site.path(1).lstrip("/") / "index.html"   # and so is its own date (see test_since_urls)
    page.write_text(page.read_text().replace("2026-02-01T08:00:00+00:00", "2099-01-01T00:00:00+00:00"))
    out = tmp_path / "out"
    proc = crawl(site, out, "--since", "2d", "-s", "NEWSCLEAN_PROGRESS_INTERVAL=0.2")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert site.article_hits() == [site.path(1)]
    assert manifests(out)[-1]["counts"]["newsclean/discovery/skipped_old"] == site.n - 1
    # without a terminal, progress comes as periodic one-line log entries
    assert "progress adhoc: discovered" in proc.stderr


def test_max_articles_bounds_a_run(site: LocalNewsSite, tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = crawl(site, out, "--max-articles", "2")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert len(site.article_hits()) == 2 and len(read_parts(out)) == 2


def test_a_sitemap_left_unread_at_the_article_limit_is_read_whole_by_the_next_run(site_server, tmp_path: Path) -> None:
    # before: the sitemap's validators were saved although the run stopped reading its entries at
    # the limit (unread_at_limit): the next run got a 304 for it and never fetched the other 3
    limited_then_whole(LocalNewsSite(*reversed(site_server), n=5), tmp_path / "out")


def test_a_feed_left_unread_at_the_article_limit_is_read_whole_by_the_next_run(site_server, tmp_path: Path) -> None:
    # the feed's own guard (parse_feed reads its entries through _read_to_end): saved as the feed
    # was parsed, its validators made the next run's fetch a 304 and the other 3 were never fetched
    site = LocalNewsSite(*reversed(site_server), n=5)
    items = "".join(f"<item><title>Canal story {i}</title><link>{site.server.base_url}{site.path(i)}</link>"
                    f"<pubDate>Sun, 01 Feb 2026 08:00:00 +0000</pubDate></item>" for i in range(site.n))
    (site.root / "feed.xml").write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>Canal news</title>'
                                        f"<link>{site.server.base_url}/</link>{items}</channel></rss>")
    limited_then_whole(site, tmp_path / "out", listing="/feed.xml")


def limited_then_whole(site: LocalNewsSite, out: Path, *extra: str, listing: str = "/sitemap.xml") -> None:
    """'--max-articles 2', then no limit, then again none, into ``out`` (``extra``: more options),
    crawling the site's root (``listing`` its sitemap) or ``listing`` itself (a feed):
    the second writes the 3 articles the first left unread, the third gets a 304 for the listing."""
    start = "/" if listing == "/sitemap.xml" else listing
    first = crawl(site, out, "--max-articles", "2", *extra, start=start)
    assert first.returncode == 0, first.stderr[-2000:]
    assert len(site.article_hits()) == 2 and len(read_parts(out)) == 2
    assert manifests(out)[-1]["counts"]["newsclean/discovery/unread_at_limit"] >= 1

    def listing_hits(since: int) -> list[tuple[int, bool]]:
        return [(h.status, "If-None-Match" in h.headers) for h in site.server.hits[since:] if h.path == listing]

    mark = len(site.server.hits)
    second = crawl(site, out, *extra, start=start)
    assert second.returncode == 0, second.stderr[-2000:]
    assert listing_hits(mark) == [(200, False)]                   # read whole, not asked if it changed
    assert len(site.article_hits(mark)) == 3
    assert sorted(r["url"] for r in read_parts(out)) == sorted(site.server.base_url + site.path(i) for i in range(site.n))

    mark = len(site.server.hits)
    third = crawl(site, out, *extra, start=start)                 # read to its end: its validators kept
    assert third.returncode == 0, third.stderr[-2000:]
    assert listing_hits(mark) == [(304, True)] and site.article_hits(mark) == []


def test_plain_scrapy_crawl_of_a_degraded_run_exits_as_newsclean_crawl_does(site: LocalNewsSite, tmp_path: Path) -> None:
    # Scrapy ignores the health checks: plain `scrapy crawl` of a site answering 500 exited 0,
    # its manifest 'degraded', where newsclean crawl exits 1 and says why in its last line.
    for i in range(site.n):
        site.server.force_status(site.path(i), 500)
    out, feed = tmp_path / "out", tmp_path / "feed.jsonl"
    for where in ([f"NEWSCLEAN_OUTPUT_DIR={out}"], []):   # with an output directory, and with -O alone
        settings = [a for s in [*where, "AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "RETRY_TIMES=0"]
                    for a in ("-s", s)]
        proc = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "adhoc", "-a", f"urls={site.server.base_url}/",
                               "-O", str(feed), *settings], cwd=REPO, capture_output=True, text=True, timeout=180)
        assert proc.returncode == 1, proc.stderr[-3000:]
        last = proc.stderr.strip().splitlines()[-1]
        assert last.startswith("newsclean: degraded:"), proc.stderr[-3000:]
        assert "no article written" in last or "fetches failed" in last, last
    assert manifests(out)[-1]["status"] == "degraded" and manifests(out)[-1]["exit_code"] == 1
    proc = crawl(site, tmp_path / "out2")   # the same line from newsclean crawl
    assert proc.returncode == 1 and proc.stderr.strip().splitlines()[-1] == last, proc.stderr[-3000:]


def test_a_corrupt_templates_file_is_relearned_and_the_run_says_so(tmp_path: Path) -> None:
    # before: a templates file cut short (another tool, a disk error) was a traceback at the site's
    # first page and the run wrote no article ('degraded: no article written')
    out = tmp_path / "o"
    (out / "state" / "templates").mkdir(parents=True)
    (out / "state" / "templates" / "demo.json").write_text('{"version": 1, "site": "demo", "pag')
    proc = run_newsclean("crawl", "demo", "--out", str(out), "-L", "WARNING")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert f"{out}/state/templates/demo.json: unreadable (bad JSON" in proc.stderr, proc.stderr[-3000:]
    [manifest] = manifests(out)
    assert manifest["counts"]["newsclean/templates/unreadable"] == 1
    assert manifest["counts"]["newsclean/output/records_written"] == len(read_parts(out)) > 0
    assert orjson.loads((out / "state" / "templates" / "demo.json").read_bytes())["pages"] > 0


def test_templates_that_cannot_be_saved_degrade_the_run_and_lose_no_article(tmp_path: Path) -> None:
    # before: a file in the place of state/templates/ (or a read-only or foreign-owned state
    # directory) raised out of the clean pipeline's close: a traceback, the article store not told
    # of the last parts ('Cannot operate on a closed database', their articles fetched and written
    # again by the next run) and exit 0
    out = tmp_path / "o"
    (out / "state").mkdir(parents=True)
    (out / "state" / "templates").write_text("not a folder\n")
    proc = run_newsclean("demo", "--out", str(out))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and " ERROR: " not in proc.stderr.replace(
        "ERROR: [Spidermon] FAIL: crawl/templates_saved", ""), proc.stderr[-3000:]
    path = out / "state" / "templates" / "demo.json"
    why = f"{path}: File exists: {out / 'state' / 'templates'}"
    assert f"{path}: the learned templates could not be saved (File exists: " in proc.stderr, proc.stderr[-3000:]
    assert proc.stderr.strip().splitlines()[-1] == f"newsclean: degraded: learned templates of 1 site not saved ({why})"
    [manifest] = manifests(out)
    assert manifest["status"] == "degraded" and manifest["counts"]["newsclean/templates/save_failed"] == 1
    assert manifest["counts"]["newsclean/output/records_written"] == len(read_parts(out)) == 27
    again = run_newsclean("demo", "--out", str(out), "-q")   # the store knew them all
    assert again.returncode == 0 and "articles written: 0" in again.stdout, again.stdout + again.stderr[-2000:]
    assert len(read_parts(out)) == 27
