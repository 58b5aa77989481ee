"""Hostile cases of bad input the suite lacked (session 44): a robots.txt sent as several gzip
members or zstd frames; listings naming URLs no check stopped (a host with a space or a NUL, 100
KB, 10,000 query parameters, an ftp: sitemap on the site's own host); an output folder that is
read-only when the run comes to write in it; a sitemap index of 20 sitemaps of 50,000 URLs."""

from __future__ import annotations

import gzip
import re
import shlex
import subprocess
import sys
import time
from xml.sax.saxutils import escape

from newsclean.crawler.components import health
from newsclean.crawler.hostile import (XML, Ctx, Outcome, Reply, _kill_group, article_html, case, crawl_args, sitemap_index,
                                      urlset)
from newsclean.crawler.hostile.cases_bounds import small_disk_available
from newsclean.crawler.hostile.cases_robots import _site_behind


def _zstd(data: bytes) -> bytes:
    try:
        from compression import zstd   # Python 3.14
    except ImportError:
        from backports import zstd
    return zstd.compress(data)


@case("robots-txt-several-members", bound=90)
def robots_txt_several_members(ctx: Ctx) -> Outcome:
    """A robots.txt sent gzip-encoded as two members (``cat a.gz b.gz``, RFC 1952 2.2; servers
    that stream compress a write a member) and one sent zstd-encoded as two frames, their
    ``Disallow: /private/`` in the second: obeyed, three articles fetched and written a host,
    nothing under /private/ (linked from "/", listed in the sitemap) fetched. Before: the first
    member or frame only was read, the Disallow dropped without a word, /private/ fetched."""
    head, rule = b"User-agent: *\nSitemap: /sitemap.xml\n", b"Disallow: /private/\n"
    sent = {"gzip": gzip.compress(head) + gzip.compress(rule), "zstd": _zstd(head) + _zstd(rule)}
    servers = {name: _site_behind(ctx, Reply(body, ctype="text/plain", headers={"Content-Encoding": name}))
               for name, body in sent.items()}
    for s in servers.values():   # (one crawl reads one Sitemap: line a host name: the links on "/" too)
        s.page("/", "<html><body>" + "".join(f'<a href="/{d}/story-{i}-of-the-day/">story</a>'
                                             for d, i in (("a", 0), ("a", 1), ("a", 2), ("private", 7))) + "</body></html>")
    run = ctx.crawl(*(s.url("/") for s in servers.values()))
    fetched = {name: (s.count(r"^/a/"), s.count(r"^/private/")) for name, s in servers.items()}
    held = (not run.timed_out and run.code == 0 and run.tracebacks == 0 and len(run.records()) == 6
            and fetched == {"gzip": (3, 0), "zstd": (3, 0)})
    return Outcome(held, f"(articles, /private/) fetched {fetched}, {len(run.records())}/6 written, {run}")


@case("listed-urls-past-the-checks", bound=90)
def listed_urls_past_the_checks(ctx: Ctx) -> Outcome:
    """A robots.txt, a sitemap index and a sitemap listing URLs that are none (a host with a
    space, a NUL or a %00, which the site's domain took for a subdomain; ``http://[::1``), URLs of
    100 KB and of 10,000 query parameters, ``javascript:``/``data:`` links and ``ftp:`` sitemaps
    on the site's own host: each a counted skip under newsclean/discovery/ (bad_url/<kind>,
    url_too_long, not_article_url, not_http/<source>), no request for any, the two good articles
    written. Before: the spaced host's robots.txt was fetched ('Invalid URI') and the host said
    unreachable in a WARNING, the ftp: sitemaps refused by the address guard in a WARNING each,
    a 100 KB sitemap URL dropped by Scrapy's UrlLengthMiddleware at INFO, counted under none."""
    s = ctx.serve()
    host = s.base_url.split("//", 1)[1]
    s.route(r"/a/story-(\d+)-of-the-day/", lambda m, h: article_html(int(m[1])))
    too_long = [s.url("/a/story-7-of-the-day/?ref=" + "x" * 100_000),
                s.url("/a/story-8-of-the-day/?" + "&".join(f"p{i}={i}" for i in range(10_000)))]
    listed = [s.url("/a/story-0-of-the-day/"), *too_long, f"http://ev il.{host}/a/story-9-of-the-day/",
              f"http://%00.{host}/a/story-9-of-the-day/", "http://[::1/a/story-9-of-the-day/", "javascript:void(0)",
              "data:text/html,<p>Story</p>", s.url("/a/story-1-of-the-day/")]
    s.page("/sitemap.xml", ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                            + "".join(f"<url><loc>{escape(u)}</loc></url>" for u in listed) + "</urlset>"), XML)
    s.page("/index.xml", sitemap_index([s.url("/sitemap.xml"), f"http://ev il.{host}/more.xml", f"ftp://{host}/more.xml",
                                        s.url("/more.xml?q=" + "x" * 100_000)]), XML)
    s.page("/robots.txt", Reply(f"User-agent: *\nSitemap: /index.xml\nSitemap: http://ev\0il.{host}/more.xml\n"
                                f"Sitemap: ftp://{host}/more.xml\n".encode(), ctype="text/plain"))
    run = ctx.crawl(s.url("/"))
    counts = {k.removeprefix("newsclean/discovery/"): v for k, v in run.counts.items()
              if k.startswith("newsclean/discovery/") and k.split("/")[2] in ("bad_url", "url_too_long", "not_http")}
    asked = sorted(h.path for h in s.hits if not h.path.startswith("/a/story-"))
    warned = [line for line in run.stderr.splitlines() if " WARNING: " in line and "skipped " not in line
              and "fetch failed for sniff" not in line]   # (its home page: a 404)
    held = (not run.timed_out and run.code == 0 and run.tracebacks == 0 and len(run.records()) == 2
            and counts == {"bad_url/robots": 1, "bad_url/sitemap": 4, "url_too_long": 3, "not_http/robots_sitemaps": 1,
                           "not_http/index_sitemaps": 1}
            and asked == ["/", "/index.xml", "/robots.txt", "/sitemap.xml"] and not warned
            and run.count("newsclean/robots/") == run.count("newsclean/guard/") == 0)
    return Outcome(held, f"{len(run.records())}/2 written, {counts}, asked {asked}, other WARNINGs {warned[:2]}, {run}")


@case("read-only-folder-mid-run", bound=180, slow=True)
def read_only_folder_mid_run(ctx: Ctx) -> Outcome:
    """A second run into an earlier run's output whose site folder (``articles/site=adhoc``) is
    mounted read-only (a user namespace: a real EROFS), found when the run first writes there,
    after its fetches: one line naming the folder and what to do, exit 1, no traceback, the
    manifest written, the earlier run's records there; a third run (writable again) writes the
    rest. Before: 'output failed: [Errno 30] cannot write ...' with nothing to do said, an ERROR
    line a page, and a ``crawl --all`` went on to its next site to fail alike."""
    if not small_disk_available(ctx.tmp):
        return Outcome(False, "cannot mount here (unshare --user --mount): not tested")
    s = ctx.serve()
    s.route(r"/a/story-(\d+)-of-the-day/", lambda m, h: article_html(int(m[1])))
    s.page("/first.xml", urlset(s.url(f"/a/story-{i}-of-the-day/") for i in range(3)), XML)
    s.page("/all.xml", urlset(s.url(f"/a/story-{i}-of-the-day/") for i in range(6)), XML)
    out = ctx.tmp / "out"
    first = ctx.crawl(s.url("/first.xml"), out=out)
    folder = out / "articles" / "site=adhoc"
    if first.code != 0 or not folder.is_dir():
        return Outcome(False, f"the first run wrote no {folder}: {first}")
    crawl = shlex.join([sys.executable, "-m", "newsclean.crawler.commands.cli", *crawl_args([s.url("/all.xml")], out)])
    q = shlex.quote(str(folder))
    second = ctx.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
                      f"mount --bind {q} {q} && mount -o remount,ro,bind {q} && exec {crawl}"], out=out)
    line = second.last_line()
    expected = f"newsclean: failed: {health.unwritable_error(folder, 'read-only file system')}"
    said = re.fullmatch(re.escape(expected).replace(re.escape(str(folder)), re.escape(str(folder)) + "/date=[0-9-]+"), line)
    errors = [ln for ln in second.stderr.splitlines() if " ERROR: " in ln and "[Spidermon]" not in ln]
    kept = len(second.records())
    third = ctx.crawl(s.url("/all.xml"), out=out)
    urls = [r["url"] for r in third.records()]
    held = (first.code == 0 and second.code == 1 and said is not None and second.tracebacks == 0 and second.manifest is not None
            and len(errors) == 1 and kept == 3 and third.code == 0 and len(set(urls)) == len(urls) == 6)
    return Outcome(held, f"run 2: exit {second.code}, {second.tracebacks} tracebacks, {len(errors)} ERROR lines, "
                         f"last line {line[:200]!r}, {kept} records kept; run 3: exit {third.code}, "
                         f"{len(set(urls))}/6 articles in all, {len(urls) - len(set(urls))} twice")


def _waiting_rss(ctx: Ctx, sitemaps: int, per_sitemap: int) -> tuple[int, int]:
    """(listed bytes, the crawl's resident KB) once a sitemap index of ``sitemaps`` sitemaps of
    ``per_sitemap`` URLs is fetched whole and 100 articles are asked for: its entries wait in the
    frontier then (the articles answer slowly). The crawl is killed after the reading."""
    s = ctx.serve()

    def story(m: re.Match[str], h: object) -> bytes:
        time.sleep(0.2)
        return article_html(int(m[1]) % 50)

    s.route(r"/a/\d+/story-(\d+)-of-the-day/", story)
    bodies = [urlset(s.url(f"/a/{k}/story-{i}-of-the-day/") for i in range(per_sitemap)) for k in range(sitemaps)]
    s.route(r"/sm/(\d+)\.xml", lambda m, h: Reply(bodies[int(m[1])], ctype=XML))
    s.page("/index.xml", sitemap_index(s.url(f"/sm/{k}.xml") for k in range(sitemaps)), XML)
    out = ctx.tmp / f"out-{sitemaps}"
    proc = subprocess.Popen([sys.executable, "-m", "newsclean.crawler.commands.cli", *crawl_args([s.url("/index.xml")], out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ctx.tmp, start_new_session=True)
    try:
        while (s.count(r"^/sm/") < sitemaps or s.count(r"^/a/") < 100) and proc.poll() is None and ctx.remaining() > 30:
            time.sleep(0.5)
        time.sleep(2)   # the last sitemap parsed, its entries parked
        status = dict(line.split(":", 1) for line in open(f"/proc/{proc.pid}/status").read().splitlines())
        return sum(map(len, bodies)), int(status["VmRSS"].split()[0])
    finally:
        _kill_group(proc)
        proc.wait()


@case("huge-sitemap-index", bound=300, slow=True)
def huge_sitemap_index(ctx: Ctx) -> Outcome:
    """A sitemap index of 20 sitemaps of 50,000 URLs (the protocol's most, 68 MB listed: a million
    articles) against one of 2: the crawl's memory once all are fetched and their entries wait
    in the frontier grows by less than a quarter of the 62 MB more listed (the entries wait as
    their sitemaps' bytes, gzipped: 5-10%; the requests queued are bounded, the store keeps the
    rest on disk). Before: each waiting sitemap held its whole body twice over (its response and
    its reader): the 20's crawl 162 MB resident where the 2's held 99."""
    small_listed, small = _waiting_rss(ctx, 2, 50_000)
    large_listed, large = _waiting_rss(ctx, 20, 50_000)
    grown = (large - small) * 1024
    held = grown < (large_listed - small_listed) / 4
    return Outcome(held, f"resident {small >> 10} MB with {small_listed >> 20} MB listed, {large >> 10} MB with "
                         f"{large_listed >> 20} MB: {grown / 2**20:+.0f} MB")
