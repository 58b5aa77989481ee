"""The crawl frontier: listed article URLs wait in the spider, not as queued requests.

A real crawl of a local site whose sitemaps list hundreds of articles; the scheduler must
never hold more than about twice ``CONCURRENT_REQUESTS`` requests (memory and garbage
collection stay flat however long the sitemap), and every listed article is still fetched
exactly once.
"""

from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path

import orjson

from ...conftest import run_newsclean

N = 600
CONCURRENCY = 4


def _site(root: Path, base: str, n: int, per_sitemap: int) -> list[str]:
    paths = [f"/2026/03/{1 + i % 28:02d}/harbour-report-{i}/" for i in range(n)]
    for i, path in enumerate(paths):
        page = root / path.strip("/") / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"<!doctype html><html lang='en'><head><title>Harbour report {i}</title></head>"
                        f"<body><article><h1>Harbour report {i}</h1><p>Ferries ran on time.</p></article></body></html>")
    children = []
    for k in range(0, n, per_sitemap):
        urls = "".join(f"<url><loc>{base}{p}</loc></url>" for p in paths[k:k + per_sitemap])
        name = f"sitemap-{k // per_sitemap}.xml"
        (root / name).write_text(f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>')
        children.append(f"<sitemap><loc>{base}/{name}</loc></sitemap>")
    (root / "sitemap.xml").write_text(
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{"".join(children)}</sitemapindex>')
    (root / "robots.txt").write_text(f"User-agent: *\nSitemap: {base}/sitemap.xml\n")
    return paths


def _crawl(base: str, out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A fetch-only crawl of the local site at ``base``, ``CONCURRENCY`` requests at a time."""
    return run_newsclean("crawl", "--url", base + "/", "--out", str(out), *args,
                         "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0",
                         "-s", f"CONCURRENT_REQUESTS={CONCURRENCY}", "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={CONCURRENCY}",
                         "-s", "NEWSCLEAN_CLEAN_ENABLED=False")


def test_long_sitemaps_are_fetched_whole_with_a_short_scheduler_queue(site_server, tmp_path: Path) -> None:
    server, root = site_server
    paths = _site(root, server.base_url, N, per_sitemap=250)   # three child sitemaps: 250, 250, 100
    out = tmp_path / "out"
    proc = _crawl(server.base_url, out)
    # Cleaning off writes no article by design: a healthy run (it read "degraded: no article
    # written", exit 1, in every benchmark's fetch-only crawl).
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "newsclean: degraded" not in proc.stderr
    hits = Counter(h.path for h in server.hits if "harbour-report" in h.path)
    assert set(hits) == set(paths)                          # every listed article fetched...
    assert max(hits.values()) == 1                          # ...once
    manifest = orjson.loads(next((out / "manifests").glob("*.json")).read_bytes())
    counts = manifest["counts"]
    assert counts["newsclean/clean/skipped"] == N
    assert manifest["status"] == "ok" and {c["name"]: c["passed"] for c in manifest["checks"]}["articles_written"]
    assert counts["newsclean/discovery/sitemap_entries"] == N + 3
    # Before the frontier the whole sitemap was queued at once (250 here, 50,000 on big sites).
    assert counts["newsclean/scheduler/max_queued"] <= 2 * CONCURRENCY + 1


def test_a_section_pages_links_wait_in_the_frontier_too(site_server, tmp_path: Path) -> None:
    # A page's links each became a request at once, all queued: a home page of 20,000 links
    # (a hostile one: 10 MB holds 300,000) queued 19,338 requests, +53 MB; here 600 queued 600.
    server, root = site_server
    paths = _site(root, server.base_url, N, per_sitemap=N)
    (root / "robots.txt").write_text("User-agent: *\n")   # no sitemap: the front page's links alone
    links = "".join(f"<a href='{p}'>Harbour report {i}</a>" for i, p in enumerate(paths))
    (root / "index.html").write_text(f"<!doctype html><html><body><h1>Front page</h1>{links}</body></html>")
    out = tmp_path / "out"
    proc = _crawl(server.base_url, out)
    assert proc.returncode == 0, proc.stderr[-2000:]
    hits = Counter(h.path for h in server.hits if "harbour-report" in h.path)
    assert set(hits) == set(paths) and max(hits.values()) == 1
    counts = orjson.loads(next((out / "manifests").glob("*.json")).read_bytes())["counts"]
    assert counts["newsclean/discovery/articles_from/section"] == N
    assert counts["newsclean/scheduler/max_queued"] <= 2 * CONCURRENCY + 1


def test_listings_are_left_unread_once_the_article_limit_is_reached(site_server, tmp_path: Path) -> None:
    # Under --max-articles 5 a 60,000-URL sitemap was read to its end (hostile5): each entry
    # past the fifth asked the site filter and counted in skipped_limit, 59,995 of them. The
    # count of requests made never goes down, so once it reaches the limit nothing listed can
    # be fetched: the sitemaps not read to their end are counted and dropped unread.
    server, root = site_server
    _site(root, server.base_url, N, per_sitemap=250)   # an index of three sitemaps: 250, 250, 100
    out = tmp_path / "out"
    proc = _crawl(server.base_url, out, "--max-articles", "5")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert sum(1 for h in server.hits if "harbour-report" in h.path) == 5
    counts = orjson.loads(next((out / "manifests").glob("*.json")).read_bytes())["counts"]
    assert counts["newsclean/discovery/sitemap_entries"] == 3 + 5, counts   # the index's three, five articles
    assert counts["newsclean/discovery/unread_at_limit"] >= 1 and "newsclean/discovery/skipped_limit" not in counts
