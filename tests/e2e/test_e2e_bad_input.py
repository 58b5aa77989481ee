"""Bad input through the real command line: clear one-line errors or counted skips, never a
traceback, never a torn output file."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from ..conftest import REPO, read_parts, run_newsclean

ARTICLE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body><header><nav><a href="/">Home</a></nav></header><article><h1>{title}</h1>
<p class="byline">By Test Writer</p>
<p>The harbour authority said on Tuesday that the new container berth would open in the spring, two
months later than planned, after engineers found soft clay beneath the quay wall.</p>
<p>Shipping lines had been told to expect the delay, a spokesperson said, and the older berths
would stay open around the clock until the new one was ready for the larger vessels.</p>
<p>Local traders welcomed the news that the project would not be abandoned, but warned that the
extra months of congestion would raise their costs once again this winter.</p>
</article></body></html>"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manifest_of(out: Path) -> dict:
    (path,) = (out / "manifests").glob("*.json")
    return orjson.loads(path.read_bytes())


def test_unknown_site_is_a_usage_error(tmp_path: Path) -> None:
    proc = run_newsclean("crawl", "nosuchsite", "--out", str(tmp_path))
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        proc.stderr.strip().splitlines()[0]] and "unknown site 'nosuchsite'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_malformed_site_file_names_file_and_field(tmp_path: Path) -> None:
    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "broken.toml").write_text('name = "broken"\nbase_url = "https://example.com/"\n[limits]\nconcurrency = "many"\n')
    proc = run_newsclean("crawl", "broken", "--out", str(tmp_path / "out"), env={"NEWSCLEAN_SITES_DIR": str(sites)})
    assert proc.returncode == 2
    assert "broken.toml" in proc.stderr and "field 'limits.concurrency'" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(("command", "text", "said"), [
    (["list"], 'name = "broken"\nnot toml [[[\n', "not valid TOML"),
    (["crawl", "broken"], 'name = "broken"\nnot toml [[[\n', "not valid TOML"),
    # before: read as no body selector, and the crawl went on without a word
    (["crawl", "broken"], 'name = "broken"\nbase_url = "https://broken.example/"\n[cleaning]\nbody_selector = ""\n',
     "field 'cleaning.body_selector': is empty: give a CSS selector, or leave the field out"),
])
def test_plain_scrapy_with_a_malformed_site_file_prints_one_line(tmp_path: Path, command: list[str], text: str,
                                                                 said: str) -> None:
    # Plain Scrapy builds the spider loader, which loads the registry: a bad site file was
    # Scrapy's traceback there, where newsclean's commands print one line.
    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "broken.toml").write_text(text)
    proc = subprocess.run([sys.executable, "-m", "scrapy", *command, "-s", f"NEWSCLEAN_OUTPUT_DIR={tmp_path / 'o'}"],
                          cwd=REPO, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "NEWSCLEAN_SITES_DIR": str(sites)})
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert "broken.toml" in line and said in line


@pytest.mark.parametrize(("command", "words"), [
    (["crawl", "nosuch"], ["unknown spider 'nosuch'", "`scrapy list`"]),
    (["crawl", "pakistantodya"], ["did you mean pakistantoday?"]),
    (["crawl", "adhoc", "-a", "site=nosuch"], ["unknown site 'nosuch'"]),
    (["crawl", "adhoc"], ["needs -a urls="]),
    (["crawl", "adhoc", "-a", "urls=example.com"], ["'example.com' is not an absolute http(s) URL"]),
    (["crawl", "demo", "-a", "since=2days"], ["bad duration '2days'"]),
    (["crawl", "demo", "-a", "max_articles=ten"], ["max_articles", "'ten'"]),
    (["crawl", "demo", "-a", "max_articles=-1"], ["max_articles", "0 or more", "'-1'"]),
    (["crawl", "demo", "-a", "sinse=2d"], ["unknown argument -a sinse; did you mean -a since?"]),
    # Scrapy kept the last without a word (a cron line edited by appending); the same value twice passes
    (["crawl", "demo", "-a", "since=2d", "-a", "max_articles=1", "-a", "since=3d"],
     ["-a since given twice (2d and 3d): give it once"]),
    # a path or no URL at all was a traceback mid-crawl and a degraded run; -a urls on a site's spider
    # was passed over without a word, the site's own discovery crawled instead
    (["crawl", "demo", "-a", "article_urls=/2026/03/04/a-story/"], ["'/2026/03/04/a-story/' is not an absolute http"]),
    (["crawl", "demo", "-a", "article_urls="], ["-a article_urls: give at least one URL"]),
    (["crawl", "demo", "-a", "urls=https://mine.example/"], ["-a urls is the adhoc spider's", "not demo's", "-a article_urls="]),
    (["crawl", "adhoc", "-a", "site=demo", "-a", "urls=https://mine.example/"], ["-a urls is the adhoc spider's",
                                                                                "not demo's"]),
])
def test_plain_scrapy_crawl_of_an_unknown_spider_or_with_bad_arguments_prints_one_line(
        tmp_path: Path, command: list[str], words: list[str]) -> None:
    # Scrapy raised an unknown spider as a KeyError traceback, and a bad -a inside the crawl's
    # start (the spider's __init__): a traceback, and for -a site= a line naming all 175 sites.
    proc = subprocess.run([sys.executable, "-m", "scrapy", *command, "-s", f"NEWSCLEAN_OUTPUT_DIR={tmp_path}"],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr and "ERROR" not in proc.stderr, proc.stderr[-3000:]
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("newsclean: error: ") and len(last) < 200, last
    for word in words:
        assert word in last, last
    assert not list(tmp_path.iterdir())   # refused before anything was written


def test_a_spider_attribute_near_no_argument_name_is_no_typo() -> None:
    # Scrapy makes any other -a an attribute: only a name one letter from a spider argument is a
    # typo; the catch-all of read_arguments (**_others) is none ('-a others=1': did you mean
    # -a _others?)
    from scrapy.settings import Settings

    from newsclean.crawler.commands.crawl import check_spider
    from newsclean.crawler.spiders.sites import SiteSpiderLoader

    loader = SiteSpiderLoader.from_settings(Settings({"SPIDER_MODULES": ["newsclean.crawler.spiders"]}).frozencopy())
    check_spider(loader, "demo", {"others": "1", "user_agent": "x"})   # no SystemExit
    with pytest.raises(SystemExit):
        check_spider(loader, "demo", {"sinse": "2d"})


def test_a_spider_argument_given_twice_with_one_value_passes() -> None:
    from newsclean.crawler.commands.crawl import _refuse_twice

    _refuse_twice(["since=2d", "max_articles=1", "since=2d", "novalue"])   # no SystemExit
    with pytest.raises(SystemExit):
        _refuse_twice(["since=2d", "since=3d"])


def test_plain_scrapy_crawl_with_bad_settings_or_state_prints_one_line(tmp_path: Path) -> None:
    # newsclean crawl's checks of -s and of the state apply to plain scrapy crawl too: before,
    # each was a traceback of Scrapy's start (LOG_LEVEL, a fraction of a count) or of the spider's
    def scrapy(*settings: str) -> subprocess.CompletedProcess:
        args = [a for s in settings for a in ("-s", s)]
        return subprocess.run([sys.executable, "-m", "scrapy", "crawl", "demo", *args], cwd=REPO,
                              capture_output=True, text=True, timeout=120)

    a_file = tmp_path / "a-file"
    a_file.write_text("x\n")
    bad_state = tmp_path / "bad" / "state"
    bad_state.mkdir(parents=True)
    (bad_state / "articles.sqlite3").write_text("not a database\n")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    for settings, code, words in [
        (["CONCURRENT_REQUESTS=2.5"], 2, "a whole one"),
        (["LOG_LEVEL=LOUD"], 2, "LOG_LEVEL='LOUD'"),
        (["NEWSCLEAN_OUTPUT_COMPRESSION=bz2"], 2, "'bz2'"),
        ([f"NEWSCLEAN_OUTPUT_DIR={a_file}"], 2, "a file, not a directory"),
        ([f"NEWSCLEAN_OUTPUT_DIR={tmp_path / 'bad'}"], 2, "file is not a database"),
        ([f"NEWSCLEAN_OUTPUT_DIR={tmp_path / 'r'}", f"NEWSCLEAN_REDIS_URL=redis://127.0.0.1:{closed}/0"], 1,
         "cannot use Redis"),
    ]:
        proc = scrapy(*settings)
        assert proc.returncode == code, proc.stderr[-3000:]
        assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
        last = proc.stderr.strip().splitlines()[-1]
        assert last.startswith("newsclean: ") and words in last, last
    assert a_file.read_text() == "x\n" and (bad_state / "articles.sqlite3").read_text() == "not a database\n"
    # plain scrapy crawl took no run lock: it crawled into an output directory another run held,
    # and settled that run's staged notes as a killed run's
    from newsclean.crawler.state.lock import RunLock

    (tmp_path / "held").mkdir()
    with RunLock(tmp_path / "held"):
        proc = scrapy(f"NEWSCLEAN_OUTPUT_DIR={tmp_path / 'held'}")
    assert proc.returncode == 3 and "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert proc.stderr.strip().splitlines()[-1].startswith("newsclean: another newsclean run holds")
    assert sorted(p.name for p in (tmp_path / "held").iterdir()) == [".newsclean.lock"]


def test_unreachable_start_url_is_a_degraded_run(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = run_newsclean("crawl", "--url", f"http://127.0.0.1:{free_port()}/", "--out", str(out),
                         "-s", "RETRY_TIMES=0")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("newsclean: degraded:") and "discovery failed" in last
    assert manifest_of(out)["status"] == "degraded"


def test_bad_pages_are_counted_skips_and_good_ones_still_land(site_server, tmp_path: Path) -> None:
    server, root = site_server
    base = server.base_url

    def page(path: str, content: bytes) -> None:
        target = root / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)

    page("/2026/01/05/harbour-berth-delayed/index.html", ARTICLE.format(title="Harbour berth delayed").encode())
    # declared utf-8, actually cp1252: must still come out as an article or a reasoned reject
    page("/2026/01/06/charset-mixup-story/index.html",
         ARTICLE.format(title="Caf\u00e9 owners \u2013 a charset mix-up").encode("cp1252"))
    page("/2026/01/07/empty-page/index.html", b"")
    page("/2026/01/08/binary-blob.bin", bytes(range(256)) * 64)
    page("/sitemap.xml", f"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc>{base}/2026/01/05/harbour-berth-delayed/</loc></url>
      <url><loc>{base}/2026/01/06/charset-mixup-story/</loc></url>
      <url><loc>{base}/2026/01/07/empty-page/</loc></url>
      <url><loc>{base}/2026/01/08/binary-blob.bin</loc></url>
      <url><loc>{base}/2026/01/09/gone-missing/</loc></url>
      <url><loc>{base}/2026/01/11/moved-to-metadata/</loc></url>
      <url><loc>{base}/2026/01/10/server-error/</loc></url>
    </urlset>""".encode())
    page("/broken-sitemap.xml", b"this is not a sitemap at all")
    page("/robots.txt", f"User-agent: *\nSitemap: {base}/sitemap.xml\nSitemap: {base}/broken-sitemap.xml\n".encode())
    server.force_status("/2026/01/10/server-error/", 500)
    server.redirect("/2026/01/11/moved-to-metadata/", "http://169.254.169.254/latest/meta-data/")

    out = tmp_path / "out"
    proc = run_newsclean("crawl", "--url", base + "/", "--out", str(out), "-s", "RETRY_TIMES=0",
                         "-s", "AUTOTHROTTLE_ENABLED=False")
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert proc.returncode == 0, proc.stderr[-3000:]
    records = read_parts(out)
    urls = {r["url"] for r in records}
    assert f"{base}/2026/01/05/harbour-berth-delayed/" in urls
    counts = manifest_of(out)["counts"]
    assert counts.get("newsclean/fetch/skipped_not_html", 0) == 1          # the binary body
    assert counts.get("newsclean/guard/refused_private", 0) == 1           # the redirect to 169.254.169.254
    assert not any(h.path.startswith("/latest/") for h in server.hits)
    assert counts.get("newsclean/fetch/failed/article", 0) == 2            # 404 and 500
    assert counts.get("newsclean/discovery/invalid/sitemap", 0) == 1       # the broken sitemap
    rejects = {r["url"]: r["reason"] for r in read_parts(out, "rejects")}
    assert rejects.get(f"{base}/2026/01/07/empty-page/") == "empty"
    assert rejects.get(f"{base}/2026/01/08/binary-blob.bin") == "not_html"   # was a count alone, in no rejects file
    assert rejects.get(f"{base}/2026/01/11/moved-to-metadata/") == "refused"   # the guard's refusal, said
    charset_url = f"{base}/2026/01/06/charset-mixup-story/"
    assert charset_url in urls or charset_url in rejects


def test_a_dropped_item_is_logged_by_its_url_not_with_its_page() -> None:
    # A full disk drops every item the output cannot write ('Dropped: not written: ... disk full'),
    # and Scrapy's log line holds the item's repr: each PageItem printed its whole HTML body
    # (kilobytes a line, into the cron log), an ArticleItem its record's text.
    from datetime import datetime, timezone

    from scrapy.exceptions import DropItem
    from scrapy.logformatter import LogFormatter

    from newsclean.crawler.items import ArticleItem, PageItem, RejectItem
    from newsclean.crawler.state.store import Fetched

    body = b"<html><body>" + b"<p>A paragraph of the article's own text.</p>" * 2000 + b"</body></html>"
    url = "http://127.0.0.1:8000/2026/03/01/story/"
    fetched = Fetched(url=url, site="demo", fetched_at=datetime(2026, 3, 1, tzinfo=timezone.utc))
    items = [PageItem(url=url, html=body, site="demo", status=200, source="feed", fetched=fetched),
             ArticleItem(record={"id": "ab" * 16, "url": url, "text": "Text of the article. " * 2000}, fetched=fetched),
             RejectItem(url=url, site="demo", reason="too_short", detail="12 characters", fetched=fetched)]
    for item in items:
        said = LogFormatter().dropped(item, DropItem("not written: disk full", log_level="WARNING"), None, None)  # type: ignore[arg-type]
        line = said["msg"] % said["args"]
        assert len(line) < 600, line[:300]
        assert url in line


@pytest.mark.parametrize("content, says", [('{"version": 0}', "has version 0,"), (None, "is missing;")])
def test_plain_scrapy_crawl_with_a_bad_line_model_prints_one_line(tmp_path: Path, content: str | None,
                                                                   says: str) -> None:
    # as newsclean crawl: one line, exit 2, before the crawl starts, not every page a reject; a
    # model of another version and a missing one alike (the issue: never a silent fallback)
    bad = tmp_path / "line_model.json"
    if content is not None:
        bad.write_text(content)
    out = tmp_path / "out"
    code = ("import sys\nfrom pathlib import Path\nfrom newsclean.cleaners.learned import linescore\n"
            f"linescore.MODEL_FILE = Path({str(bad)!r})\n"
            "from scrapy.cmdline import execute\n"
            f"execute(['scrapy', 'crawl', 'demo', '-s', 'NEWSCLEAN_OUTPUT_DIR={out}'])\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith(f"newsclean: error: line model {bad} {says}") and "rebuild it with" in last, last
    assert not out.exists()
