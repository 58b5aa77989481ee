"""--since bounds what is written by the article's own date; --urls fetches exactly a list of
article URLs; no id is written twice in one run. Real crawls against a local site."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from newsclean.crawler.commands.demo import DemoServer

from ..conftest import REPO, read_parts, run_newsclean
from .test_incremental import FAST, PARAGRAPHS, manifests


def article_html(title: str, published: str | None, links: list[str] = ()) -> str:
    meta = f"<meta property='article:published_time' content='{published}'>" if published else ""
    body = "\n".join(f"<p>{p} ({title}.)</p>" for p in PARAGRAPHS)
    related = "".join(f"<li><a href='{u}'>Related story</a></li>" for u in links)
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
            f"<meta property='og:type' content='article'>{meta}</head><body>"
            f"<article><h1>{title}</h1><p class='byline'>By Staff Reporter</p>{body}</article>"
            f"<aside><ul>{related}</ul></aside></body></html>")


class Newsroom:
    """A section page (/news/) linking to undated-URL articles of various ages."""

    def __init__(self, root: Path, server: DemoServer, ages: dict[str, timedelta | None]) -> None:
        self.root, self.server = root, server
        now = datetime.now(timezone.utc)
        slugs = list(ages)
        for slug, age in ages.items():
            published = (now - age).isoformat(timespec="seconds") if age is not None else None
            others = [f"/news/{s}/" for s in slugs if s != slug]
            self.write(f"news/{slug}/index.html", article_html(slug.replace("-", " ").title(), published, others))
        links = "".join(f"<li><a href='/news/{s}/'>{s}</a></li>" for s in slugs)
        self.write("news/index.html", f"<!doctype html><html><head><title>News</title></head><body><ul>{links}</ul></body></html>")

    def write(self, rel: str, html: str) -> None:
        target = self.root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")

    def url(self, slug: str) -> str:
        return f"{self.server.base_url}/news/{slug}/"

    def hits(self, since: int = 0) -> list[str]:
        return [h.path for h in self.server.hits[since:] if h.path.startswith("/news/") and h.path != "/news/"]


AGES = {
    "canal-closures-delayed-for-wheat-growers": timedelta(minutes=5),
    "provincial-budget-debate-opens-in-assembly": timedelta(days=270),   # nine months old
    "school-timings-changed-for-the-summer": None,                       # undated
}


@pytest.fixture
def newsroom(site_server) -> Newsroom:
    server, root = site_server
    return Newsroom(root, server, AGES)


def test_since_drops_an_old_article_found_on_a_section_page(newsroom: Newsroom, tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = run_newsclean("crawl", "--url", newsroom.server.base_url + "/news/", "--since", "30m",
                         "--out", str(out), *FAST)
    assert proc.returncode == 0, proc.stderr[-2000:]
    written = sorted(r["url"] for r in read_parts(out))
    assert written == sorted([newsroom.url("canal-closures-delayed-for-wheat-growers"),
                              newsroom.url("school-timings-changed-for-the-summer")])   # undated: kept
    (reject,) = read_parts(out, "rejects")
    assert reject["reason"] == "too_old" and reject["url"] == newsroom.url("provincial-budget-debate-opens-in-assembly")
    counts = manifests(out)[-1]["counts"]
    assert counts["newsclean/since/too_old"] == 1 and counts["newsclean/since/undated_kept"] == 1
    # the next run does not fetch the old article again
    mark = len(newsroom.server.hits)
    again = run_newsclean("crawl", "--url", newsroom.server.base_url + "/news/", "--since", "30m",
                          "--out", str(out), *FAST)
    assert again.returncode == 0, again.stderr[-2000:]
    assert newsroom.hits(mark) == []


def test_url_of_an_article_is_cleaned_once_and_not_read_as_a_section(newsroom: Newsroom, tmp_path: Path) -> None:
    out = tmp_path / "out"
    url = newsroom.url("canal-closures-delayed-for-wheat-growers")   # its page links to the two others
    proc = run_newsclean("crawl", "--url", url, "--out", str(out), *FAST)
    assert proc.returncode == 0, proc.stderr[-2000:]
    records = read_parts(out)
    assert [r["url"] for r in records] == [url]
    assert newsroom.hits() == ["/news/canal-closures-delayed-for-wheat-growers/"]


def urls_crawl(out: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "newsclean.crawler.commands.cli", "crawl", *args, "--out", str(out), *FAST],
                          cwd=REPO, input=stdin, capture_output=True, text=True, timeout=180)


def test_urls_file_fetches_exactly_those_articles_once_each_and_incrementally(newsroom: Newsroom, tmp_path: Path) -> None:
    a = newsroom.url("canal-closures-delayed-for-wheat-growers")
    b = newsroom.url("provincial-budget-debate-opens-in-assembly")
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# two articles, one listed twice and once with a tracking parameter\n{a}\n\n{b}\n{a}\n{a}?utm_source=x\n")
    out = tmp_path / "out"
    proc = urls_crawl(out, "--urls", str(listing))
    assert proc.returncode == 0, proc.stderr[-2000:]
    records = read_parts(out)
    assert sorted(r["url"] for r in records) == sorted([a, b])
    assert len({r["id"] for r in records}) == 2
    assert sorted(newsroom.hits()) == sorted(["/news/canal-closures-delayed-for-wheat-growers/",
                                             "/news/provincial-budget-debate-opens-in-assembly/"])
    # incremental: the same list again fetches nothing
    mark = len(newsroom.server.hits)
    again = urls_crawl(out, "--urls", "-", stdin=f"{a}\n{b}\n")
    assert again.returncode == 0, again.stderr[-2000:]
    assert newsroom.hits(mark) == [] and len(read_parts(out)) == 2


def test_urls_from_stdin_and_a_bad_line(newsroom: Newsroom, tmp_path: Path) -> None:
    a = newsroom.url("school-timings-changed-for-the-summer")
    proc = urls_crawl(tmp_path / "out", "--urls", "-", stdin=f"{a}\n")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert [r["url"] for r in read_parts(tmp_path / "out")] == [a]
    bad = urls_crawl(tmp_path / "out2", "--urls", "-", stdin=f"{a}\nftp://example.com/x\n")
    assert bad.returncode == 2
    assert bad.stderr.strip() == "newsclean: error: --urls -:2: not an http(s) URL: 'ftp://example.com/x'"


def test_no_id_is_written_twice_in_one_run(newsroom: Newsroom, tmp_path: Path) -> None:
    # two URLs serving one article that names the first as its canonical URL: one id
    a = newsroom.url("canal-closures-delayed-for-wheat-growers")
    html = (newsroom.root / "news/canal-closures-delayed-for-wheat-growers/index.html").read_text()
    newsroom.write("news/canal-closures-copy/index.html", html.replace("<head>", f"<head><link rel='canonical' href='{a}'>"))
    out = tmp_path / "out"
    proc = urls_crawl(out, "--urls", "-", stdin=f"{a}\n{newsroom.url('canal-closures-copy')}\n")
    assert proc.returncode == 0, proc.stderr[-2000:]
    ids = Counter(r["id"] for r in read_parts(out))
    assert list(ids.values()) == [1]
    (reject,) = read_parts(out, "rejects")
    assert reject["reason"] == "duplicate" and "already written in this run" in reject["detail"]


def test_urls_of_a_registered_site_are_filed_under_it_and_cleaned_with_its_rules(newsroom: Newsroom, tmp_path: Path) -> None:
    # a registered site claiming the server's host: its line rule drops the officials' paragraph,
    # and its feed is not read (--urls fetches exactly the listed pages)
    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "herald.toml").write_text(
        f'name = "herald"\ncatalog = false\nbase_url = "{newsroom.server.base_url}/"\n'
        '[discovery]\nrobots = false\nfeeds = ["/feed/"]\n'
        "[cleaning]\ndrop_line_patterns = ['^Officials said the cleaning work.*']\n")
    a = newsroom.url("canal-closures-delayed-for-wheat-growers")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "newsclean.crawler.commands.cli", "crawl", "--urls", "-",
                           "--out", str(out), *FAST], cwd=REPO, input=f"{a}\n", capture_output=True, text=True,
                          timeout=180, env={**os.environ, "NEWSCLEAN_SITES_DIR": str(sites)})
    assert proc.returncode == 0, proc.stderr[-2000:]
    (record,) = read_parts(out)
    assert record["url"] == a and record["site"] == "herald"
    assert PARAGRAPHS[0] in record["text"] and "Officials said the cleaning work" not in record["text"]
    fetched = [h.path for h in newsroom.server.hits if h.path != "/robots.txt"]   # robots.txt: politeness
    assert fetched == ["/news/canal-closures-delayed-for-wheat-growers/"]
    assert manifests(out)[-1]["sites"] == ["herald-urls"]


class Archive(Newsroom):
    """A section page (/news/) and a sitemap (/sitemap.xml, each entry's lastmod) over articles of
    various ages, the URLs undated. ``listed``: slug -> the age its sitemap lastmod says (the page
    may be older: a lastmod is its last change); slugs not listed there are linked from /news/."""

    def __init__(self, root: Path, server: DemoServer, ages: dict[str, timedelta], listed: dict[str, timedelta]) -> None:
        super().__init__(root, server, {slug: age for slug, age in ages.items() if slug not in listed})
        now = datetime.now(timezone.utc)
        for slug in listed:
            self.write(f"news/{slug}/index.html",
                       article_html(slug.replace("-", " ").title(), (now - ages[slug]).isoformat(timespec="seconds")))
        urls = "".join(f"<url><loc>{self.url(s)}</loc><lastmod>{(now - age).isoformat(timespec='seconds')}</lastmod></url>"
                       for s, age in listed.items())
        self.write("sitemap.xml", f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>')

    def crawl(self, out: Path, since: str, *extra: str) -> subprocess.CompletedProcess[str]:
        return run_newsclean("crawl", "--url", self.server.base_url + "/sitemap.xml", "--url", self.server.base_url + "/news/",
                             "--since", since, "--out", str(out), *FAST, *extra)


DAY = timedelta(days=1)
BACKFILL_AGES = {"wheat-prices-steady-at-market": DAY, "dam-inspection-report-released": 20 * DAY,
                 "flood-relief-fund-audited": 60 * DAY,                                     # on /news/
                 "cotton-crop-estimate-revised": DAY, "canal-lining-tender-awarded": 20 * DAY,
                 "tubewell-subsidy-scheme-closed": 60 * DAY,                                # in the sitemap
                 "barrage-gates-repaired-before-monsoon": 20 * DAY}   # in the sitemap, changed a day ago
BACKFILL_LISTED = {"cotton-crop-estimate-revised": DAY, "canal-lining-tender-awarded": 20 * DAY,
                   "tubewell-subsidy-scheme-closed": 60 * DAY, "barrage-gates-repaired-before-monsoon": DAY}


def test_a_wider_since_window_backfills_what_a_narrower_one_left_out_and_a_narrower_one_again_fetches_none(
        site_server, tmp_path: Path) -> None:
    # before: the articles a '--since 7d' run rejected as too_old were settled in the store like any
    # reject (fetched, that hash: unchanged; their ETag kept, so a fetch would be a 304) and the
    # sitemap's entries it passed over by their lastmod were behind the sitemap's ETag: a later
    # '--since 30d' into the same output wrote none of the month-old articles
    backfill(*site_server, tmp_path / "out")


def backfill(server: DemoServer, root: Path, out: Path, *extra: str) -> None:
    """'--since 7d', '--since 30d', '--since 7d' into ``out`` (``extra``: more options): the second
    writes the articles of the month the first left out, the third fetches no article."""
    site = Archive(root, server, BACKFILL_AGES, BACKFILL_LISTED)
    first = site.crawl(out, "7d", *extra)
    assert first.returncode == 0, first.stderr[-2000:]
    week = {"wheat-prices-steady-at-market", "cotton-crop-estimate-revised"}
    assert {r["url"] for r in read_parts(out)} == {site.url(s) for s in week}
    assert {r["url"] for r in read_parts(out, "rejects")} == {site.url(s) for s in (
        "dam-inspection-report-released", "flood-relief-fund-audited", "barrage-gates-repaired-before-monsoon")}

    mark = len(server.hits)
    second = site.crawl(out, "30d", *extra)
    assert second.returncode == 0, second.stderr[-2000:]
    month = {"dam-inspection-report-released", "canal-lining-tender-awarded", "barrage-gates-repaired-before-monsoon"}
    assert sorted(site.hits(mark)) == sorted(f"/news/{s}/" for s in month)   # the 60-day-old ones: not fetched
    again = [h for h in server.hits[mark:] if h.path in ("/news/dam-inspection-report-released/", "/sitemap.xml")]
    assert [h.status for h in again] == [200, 200] and not any("If-None-Match" in h.headers for h in again)
    assert {r["url"] for r in read_parts(out)} == {site.url(s) for s in week | month}
    counts = manifests(out)[-1]["counts"]
    assert counts["newsclean/store/fetch_in_window"] == 2 and "newsclean/since/too_old" not in counts

    mark = len(server.hits)
    third = site.crawl(out, "7d", *extra)
    assert third.returncode == 0, third.stderr[-2000:]
    assert site.hits(mark) == []                                  # no article page asked for
    assert [h.status for h in server.hits[mark:] if h.path == "/sitemap.xml"] == [304]
    assert len(read_parts(out)) == len(week | month)
