"""Runs over many sites in one process: one cleaning pool for all of them, at most
NEWSCLEAN_CONCURRENT_SITES crawlers open at once, every site's articles and learned
templates kept (real crawls of sites served on 127.0.0.1)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from newsclean.crawler.commands.bench import tree_roles
from newsclean.crawler.commands.demo import DemoServer

from ..conftest import REPO, read_parts, run_newsclean
from ..crawler.workers.test_pool import article

SITES = [f"town{i}" for i in range(5)]
ARTICLES = 4


def serve_site(root: Path, n: int, first: int = 0, sitemap: bool = True) -> list[str]:
    """Write ``n`` article pages under ``root`` (and a sitemap listing them); their paths."""
    paths = [f"/2026/02/{d % 28 + 1:02d}/story-{first + d}/" for d in range(n)]
    for d, path in enumerate(paths):
        (root / path.strip("/")).mkdir(parents=True)
        (root / path.strip("/") / "index.html").write_text(article(first + d))
    if sitemap:
        locs = "".join(f"<url><loc>__BASE__{p}</loc></url>" for p in paths)
        (root / "sitemap.xml").write_text(f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>')
        (root / "robots.txt").write_text("User-agent: *\nSitemap: __BASE__/sitemap.xml\n")
    return paths


@contextlib.contextmanager
def local_sites(tmp_path: Path, articles: int = ARTICLES,
                delay: float = 0.0) -> Iterator[tuple[dict[str, DemoServer], Path]]:
    """Five registered sites of ``articles`` pages, each on its own loopback address (a domain
    is one site's); yields the servers and the site directory for NEWSCLEAN_SITES_DIR."""
    sites_dir = tmp_path / "sites"
    sites_dir.mkdir()
    with contextlib.ExitStack() as stack:
        servers = {}
        for i, name in enumerate(SITES):
            root = tmp_path / name
            root.mkdir()
            serve_site(root, articles, first=100 * i)
            server = servers[name] = stack.enter_context(DemoServer(root, host=f"127.0.0.{i + 2}"))
            (sites_dir / f"{name}.toml").write_text(
                f'name = "{name}"\ncatalog = false\nbase_url = "{server.base_url}/"\n'
                "[articles]\nallow = ['^/\\d{4}/\\d{2}/\\d{2}/[^/]+/$']\n"
                f"[limits]\nconcurrency = 1\ndownload_delay = {delay}\n")
        yield servers, sites_dir


def worker_processes(pid: int) -> int:
    """Cleaning workers under process ``pid``: the children of its forkserver."""
    return sum(role == "worker" for role in tree_roles(pid).values())


@contextlib.contextmanager
def started(args: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    """``newsclean ARGS`` running, its output to ``log`` (a pipe nobody reads while the test
    watches would fill and block the crawl); killed if still running at the end."""
    with open(log, "w") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "newsclean.crawler.commands.cli", *args], cwd=REPO,
                                env={**os.environ, **env}, stdout=fh, stderr=subprocess.STDOUT)
        try:
            yield proc
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()


def crawl_watching_workers(args: list[str], env: dict[str, str], log: Path, timeout: float = 300) -> tuple[int, str, int]:
    """Run ``newsclean ARGS`` and look at its worker processes while it runs: (exit code,
    output, the most workers seen at once)."""
    most = 0
    deadline = time.monotonic() + timeout
    with started(args, env, log) as proc:
        while proc.poll() is None and time.monotonic() < deadline:
            most = max(most, worker_processes(proc.pid))
            time.sleep(0.05)
    return proc.returncode, log.read_text(), most


def most_open_at_once(servers: dict[str, DemoServer]) -> int:
    """The most sites whose servers were being crawled at one moment: each site's crawl spans
    its first to its last request."""
    spans = [(min(h.at for h in s.hits), max(h.at for h in s.hits)) for s in servers.values() if s.hits]
    return max(sum(1 for a, b in spans if a <= t <= b) for t, _ in spans)


def test_many_sites_share_one_pool_and_run_a_few_at_a_time(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with local_sites(tmp_path) as (servers, sites_dir):
        code, err, most_workers = crawl_watching_workers(
            ["crawl", *SITES, "--out", str(out), "-s", "AUTOTHROTTLE_ENABLED=False",
             "-s", "NEWSCLEAN_CLEAN_WORKERS=2", "-s", "NEWSCLEAN_CONCURRENT_SITES=2"],
            env={"NEWSCLEAN_SITES_DIR": str(sites_dir)}, log=tmp_path / "crawl.log")
        assert code == 0, err[-3000:]
        assert "Traceback" not in err, err[-3000:]
        # One pool of 2 for the five sites (each site's own pool made 10), never more at once.
        assert 1 <= most_workers <= 2
        assert all(s.hits for s in servers.values())
        assert most_open_at_once(servers) <= 2
    records = read_parts(out)
    by_site = {name: sorted(r["url"] for r in records if r["site"] == name) for name in SITES}
    assert {name: len(urls) for name, urls in by_site.items()} == {name: ARTICLES for name in SITES}
    manifest = orjson.loads(next((out / "manifests").glob("*.json")).read_bytes())
    assert manifest["sites"] == sorted(SITES) and manifest["status"] == "ok"
    assert manifest["counts"]["newsclean/pool/workers"] == 2
    assert manifest["counts"]["newsclean/clean/cleaner_cpu_us"] > 0   # the workers' clean_html, timed where it ran
    assert manifest["counts"]["newsclean/output/records_written"] == len(SITES) * ARTICLES
    # Every site's learned templates are saved, each from all of its pages.
    for name in SITES:
        state = orjson.loads((out / "state" / "templates" / f"{name}.json").read_bytes())
        assert state["site"] == name and state["pages"] == ARTICLES


def test_two_crawlers_of_one_site_keep_both_crawlers_templates(site_server, tmp_path: Path) -> None:
    # --url and --urls are two crawlers of the site 'adhoc': each learned into its own copy of
    # state/templates/adhoc.json, and the second to close overwrote the first's pages.
    server, root = site_server
    listed = serve_site(root, 3)
    given = serve_site(root / "more", 3, first=50, sitemap=False)
    urls = tmp_path / "urls.txt"
    urls.write_text("".join(f"{server.base_url}/more{p}\n" for p in given))
    out = tmp_path / "out"
    proc = run_newsclean("crawl", "--url", server.base_url + "/", "--urls", str(urls), "--out", str(out),
                         "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "NEWSCLEAN_CLEAN_WORKERS=2")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert len(read_parts(out)) == len(listed) + len(given)
    state = orjson.loads((out / "state" / "templates" / "adhoc.json").read_bytes())
    assert state["pages"] == len(listed) + len(given)


def test_an_interrupted_run_starts_no_further_site_and_lists_every_site(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with local_sites(tmp_path, articles=30, delay=0.2) as (servers, sites_dir):
        args = ["crawl", *SITES, "--out", str(out), "-s", "AUTOTHROTTLE_ENABLED=False",
                "-s", "NEWSCLEAN_CLEAN_WORKERS=1", "-s", "NEWSCLEAN_CONCURRENT_SITES=2"]
        with started(args, {"NEWSCLEAN_SITES_DIR": str(sites_dir)}, tmp_path / "crawl.log") as proc:
            deadline = time.monotonic() + 120
            first_two = [servers[SITES[0]], servers[SITES[1]]]
            while time.monotonic() < deadline and min(sum("/story-" in h.path for h in s.hits) for s in first_two) < 2:
                time.sleep(0.05)
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=120)
        err = (tmp_path / "crawl.log").read_text()
        assert proc.returncode == 130, err[-3000:]
        assert [name for name in SITES if servers[name].hits] == SITES[:2]   # the others never started
    manifest = orjson.loads(next((out / "manifests").glob("*.json")).read_bytes())
    assert manifest["status"] == "interrupted" and manifest["sites"] == sorted(SITES)
    assert manifest["counts"]["newsclean/run/not_started"] == 3
    assert 0 < len(read_parts(out)) == manifest["counts"]["newsclean/output/records_written"]


def test_a_second_ctrl_c_ends_the_run_interrupted_and_the_process_exits(tmp_path: Path) -> None:
    # A second SIGINT forces Scrapy down without ending its crawls: newsclean printed 'failed: no
    # spider ran' (exit 1) and then hung at exit, joining cleaning workers that ignore SIGTERM
    out = tmp_path / "out"
    with local_sites(tmp_path, articles=30, delay=3.0) as (servers, sites_dir):
        args = ["crawl", SITES[0], "--out", str(out), "-s", "AUTOTHROTTLE_ENABLED=False",
                "-s", "NEWSCLEAN_CLEAN_WORKERS=1"]
        with started(args, {"NEWSCLEAN_SITES_DIR": str(sites_dir)}, tmp_path / "crawl.log") as proc:
            deadline = time.monotonic() + 120
            open_parts: list[Path] = []
            while time.monotonic() < deadline and not (open_parts := list((out / "articles").rglob(".part-*"))):
                time.sleep(0.05)   # until a record is in a part not yet committed
            # else the count below is 0 against 0 whatever the run says
            assert open_parts, "no record in an open part to drop"
            proc.send_signal(signal.SIGINT)   # graceful
            # The second only once the first is handled: two sent while the loaded machine had
            # not run the crawl's handler (a fixed 0.2 s apart) are one SIGINT, a graceful stop
            while time.monotonic() < deadline and "shutting down gracefully" not in (tmp_path / "crawl.log").read_text():
                time.sleep(0.05)
            proc.send_signal(signal.SIGINT)   # forced
            proc.wait(timeout=120)
        err = (tmp_path / "crawl.log").read_text()
        assert "forcing unclean shutdown" in err, err[-3000:]
        assert proc.returncode == 130 and "Traceback" not in err, err[-3000:]
    manifest = orjson.loads(next((out / "manifests").glob("*.json")).read_bytes())
    assert manifest["status"] == "interrupted" and manifest["sites"] == [SITES[0]]
    # written: what is in view, not what was in the parts the forced stop left uncommitted
    assert manifest["counts"].get("newsclean/output/records_written", 0) == len(read_parts(out))


def test_a_sitemap_the_site_file_names_on_another_host_is_read(tmp_path: Path) -> None:
    # before: a start URL outside the site's domains (a feed on a CDN: four catalog sites have
    # one) was dropped by Scrapy's offsite filter, said at DEBUG only; the run said 'ok - 0
    # articles written'. Its robots.txt is asked too; the articles it lists stay bound to the domains.
    site_root, cdn_root, sites_dir = tmp_path / "site", tmp_path / "cdn", tmp_path / "sites"
    for d in (site_root, cdn_root, sites_dir):
        d.mkdir()
    paths = serve_site(site_root, 2, sitemap=False)
    with DemoServer(site_root, host="127.0.0.2") as site, DemoServer(cdn_root, host="127.0.0.3") as cdn:
        locs = "".join(f"<url><loc>{site.base_url}{p}</loc></url>" for p in paths)
        locs += f"<url><loc>{cdn.base_url}/2026/02/01/story-on-the-cdn/</loc></url>"   # not the site's
        (cdn_root / "sitemap.xml").write_text(f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>')
        (sites_dir / "mysite.toml").write_text(
            f'name = "mysite"\ncatalog = false\nbase_url = "{site.base_url}/"\n'
            f'[discovery]\nrobots = false\nsitemaps = ["{cdn.base_url}/sitemap.xml"]\n')
        proc = run_newsclean("crawl", "mysite", "--out", str(tmp_path / "out"), "-s", "AUTOTHROTTLE_ENABLED=False",
                             env={"NEWSCLEAN_SITES_DIR": str(sites_dir)})
        assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr[-3000:]
        assert sorted(h.path for h in cdn.hits) == ["/robots.txt", "/sitemap.xml"]
    assert sorted(r["url"] for r in read_parts(tmp_path / "out")) == [site.base_url + p for p in paths]


@pytest.mark.parametrize("listing", ["robots", "index"])
def test_a_listed_sitemap_on_another_host_is_followed_only_on_the_sites_hosts(tmp_path: Path, listing: str) -> None:
    # before (ux17, the lead): a sitemap that robots.txt's 'Sitemap:' or a sitemap index lists on a
    # host that is not the site's was dropped by Scrapy's offsite filter at DEBUG, uncounted: a run
    # of 0 articles said nothing of why. Now one on a host the site file names (its feed's CDN) is
    # read; one elsewhere is said once per host at INFO and counted. The first server is the site,
    # the second its CDN, the third another's.
    roots = [tmp_path / n for n in ("site", "cdn", "other")]
    for d in (*roots, tmp_path / "sites"):
        d.mkdir()
    paths = serve_site(roots[0], 3, sitemap=False)
    with DemoServer(roots[0], host="127.0.0.2") as site, DemoServer(roots[1], host="127.0.0.3") as cdn, \
            DemoServer(roots[2], host="127.0.0.4") as other:
        def urlset(ps: list[str]) -> str:
            locs = "".join(f"<url><loc>{site.base_url}{p}</loc></url>" for p in ps)
            return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'

        (roots[1] / "sitemap.xml").write_text(urlset(paths[:2]))
        (roots[1] / "feed.xml").write_text("<rss version='2.0'><channel><title>t</title></channel></rss>")
        (roots[2] / "sitemap.xml").write_text(urlset(paths[2:]))
        listed = [f"{cdn.base_url}/sitemap.xml", f"{other.base_url}/sitemap.xml", f"{other.base_url}/news.xml"]
        discovery = f'feeds = ["{cdn.base_url}/feed.xml"]\n'
        if listing == "robots":
            (roots[0] / "robots.txt").write_text("User-agent: *\n" + "".join(f"Sitemap: {u}\n" for u in listed))
        else:
            (roots[0] / "sitemap_index.xml").write_text(
                '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                + "".join(f"<sitemap><loc>{u}</loc></sitemap>" for u in listed) + "</sitemapindex>")
            discovery += 'sitemaps = ["/sitemap_index.xml"]\n'
        (tmp_path / "sites" / "mysite.toml").write_text(
            f'name = "mysite"\ncatalog = false\nbase_url = "{site.base_url}/"\n[discovery]\n{discovery}')
        out = tmp_path / "out"
        proc = run_newsclean("crawl", "mysite", "--out", str(out), "-s", "AUTOTHROTTLE_ENABLED=False",
                             env={"NEWSCLEAN_SITES_DIR": str(tmp_path / "sites")})
        assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr[-3000:]
        assert sorted(h.path for h in cdn.hits) == ["/feed.xml", "/robots.txt", "/sitemap.xml"]
        assert other.hits == []
    said = [line for line in proc.stderr.splitlines() if "not following" in line]
    assert len(said) == 1 and " INFO: " in said[0] and "127.0.0.4" in said[0], proc.stderr[-3000:]
    assert ("robots.txt's sitemap" if listing == "robots" else "a sitemap index's sitemap") in said[0], said
    manifest = orjson.loads(next((out / "manifests").glob("*.json")).read_bytes())
    key = f"newsclean/discovery/offsite/{listing}_sitemaps"
    assert manifest["counts"].get(key) == 2, manifest["counts"]
    assert sorted(r["url"] for r in read_parts(out)) == [site.base_url + p for p in paths[:2]]
