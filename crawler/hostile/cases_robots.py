"""Hostile cases of robots.txt: one that cannot be had (an error answer, silence, a closed or
refused connection), one in UTF-16 given as the start URL, one without end, a gzip bomb and
redirects that lead nowhere (session 42); and ``sites --check`` on listings whose entries are no URL (session 41)."""

from __future__ import annotations

import gzip
import socket
import time
from http.server import BaseHTTPRequestHandler

from newsclean.crawler.hostile import XML, Ctx, HostileServer, Outcome, Raw, Reply, Run, article_html, case, urlset

#: How each unreachable robots.txt fails, by the kind its host is counted under
#: (``newsclean/robots/unreachable/<kind>``); ``refused``: no server at all.
UNREACHABLE = {"http_503": Reply(b"busy", status=503, ctype="text/plain"),
               "timeout": Raw(lambda h: time.sleep(20)),
               "broken_answer": Raw(lambda h: None)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@case("robots-txt-unreachable", bound=90)
def robots_txt_unreachable(ctx: Ctx) -> Outcome:
    """Hosts whose robots.txt answers 503, is silent, closes at once or refuses the connection:
    each disallowed for the run (RFC 9309), one WARNING and a count a kind, nothing more asked
    of them; the healthy host's articles written. Before: two ERROR lines a host (Scrapy's),
    counted nowhere of ours, their sitemaps and pages fetched as if allowed."""
    healthy = ctx.serve()
    healthy.route(r"/a/story-(\d+)-of-the-day/", lambda m, h: article_html(int(m[1])))
    healthy.page("/robots.txt", f"User-agent: *\nSitemap: {healthy.url('/sitemap.xml')}\n", "text/plain")
    healthy.page("/sitemap.xml", urlset(healthy.url(f"/a/story-{i}-of-the-day/") for i in range(3)), XML)
    failing = {}
    for kind, answer in UNREACHABLE.items():
        s = failing[kind] = ctx.serve()
        s.page("/robots.txt", answer)
        s.page("/sitemap.xml", urlset([s.url("/a/story-9-of-the-day/")]), XML)
        s.route(r"/a/.*", lambda m, h: article_html(9))
    urls = [healthy.url("/"), *(s.url("/") for s in failing.values()), f"http://127.0.0.1:{_free_port()}/"]
    run = ctx.crawl(*urls, settings={"DOWNLOAD_TIMEOUT": 2})
    asked = {kind: sorted({h.path for h in s.hits}) for kind, s in failing.items()}
    counts = {k.rsplit("/", 1)[1]: v for k, v in run.counts.items() if k.startswith("newsclean/robots/unreachable/")}
    said = sum("robots.txt of 127.0.0.1:" in line and "unreachable" in line for line in run.stderr.splitlines())
    errors = [line for line in run.stderr.splitlines() if " ERROR: " in line]
    held = (not run.timed_out and run.code == 0 and len(run.records()) == 3 and run.tracebacks == 0
            and counts == {**dict.fromkeys(UNREACHABLE, 1), "refused": 1} and said == 4 and not errors
            and all(paths == ["/robots.txt"] for paths in asked.values()))
    return Outcome(held, f"{len(run.records())}/3 written, unreachable {counts}, {said} said, {len(errors)} ERROR lines, "
                         f"asked of the failing hosts {asked}, {run}")


@case("robots-txt-utf16-start-url", bound=60)
def robots_txt_utf16_start_url(ctx: Ctx) -> Outcome:
    """``--url .../robots.txt`` served in UTF-16 (with its byte order mark): told a robots.txt,
    its Sitemap: read and its Disallow obeyed. Before: 'unknown' (NULs between its letters),
    counted invalid, nothing written, degraded."""
    s = ctx.serve()
    s.route(r"/a/story-(\d+)-of-the-day/", lambda m, h: article_html(int(m[1])))
    s.page("/private/story-7-of-the-day/", article_html(7))
    text = f"User-agent: *\nDisallow: /private/\nSitemap: {s.url('/sitemap.xml')}\n"
    s.page("/robots.txt", Reply(text.encode("utf-16"), ctype="text/plain"))
    s.page("/sitemap.xml", urlset([*(s.url(f"/a/story-{i}-of-the-day/") for i in range(3)),
                                   s.url("/private/story-7-of-the-day/")]), XML)
    run = ctx.crawl(s.url("/robots.txt"))
    sniffed = run.count("newsclean/discovery/sniffed/robots")
    private = s.count(r"^/private/")
    held = (not run.timed_out and run.code == 0 and len(run.records()) == 3 and sniffed == 1 and private == 0)
    return Outcome(held, f"{len(run.records())}/3 written, sniffed/robots={sniffed}, {private} disallowed fetched, {run}")


@case("sites-check-bad-urls", bound=60)
def sites_check_bad_urls(ctx: Ctx) -> Outcome:
    """``newsclean sites SITE --check`` on a robots.txt and a sitemap listing entries that are no
    URL: said on their rows and once for the site by the crawl's kinds (bad_url/<kind>). Before:
    skipped without a word."""
    s = ctx.serve()
    s.page("/robots.txt", f"User-agent: *\nSitemap: http://[bad/s.xml\nSitemap: {s.url('/news.xml')}\n", "text/plain")
    s.page("/news.xml", urlset([s.url("/a/story-1-of-the-day/"), "http://127.0.0.1:99999/a/x/"]), XML)
    sites = ctx.tmp / "sites"
    sites.mkdir()
    (sites / "listy.toml").write_text(f'name = "listy"\nbase_url = "{s.url("/")}"\n[discovery]\n'
                                      'news_sitemaps = ["/news.xml"]\n')
    run = ctx.newsclean("sites", "listy", "--check", "--timeout", "10", env={"NEWSCLEAN_SITES_DIR": str(sites)})
    said = [line for line in run.stdout.splitlines() if line.startswith("listy: ")]
    held = (run.code == 0 and run.tracebacks == 0 and len(said) == 1
            and "(bad_url/robots: 1, bad_url/sitemap: 1)" in said[0])
    return Outcome(held, f"said {said[:1]}, {run}")


def _site_behind(ctx: Ctx, robots: Raw | Reply) -> HostileServer:
    """A server whose robots.txt is ``robots`` (its rules: ``ROBOTS_RULES``), three articles in its
    sitemap and one more under /private/, listed too."""
    s = ctx.serve()
    s.route(r"/(?:a|private)/story-(\d+)-of-the-day/", lambda m, h: article_html(int(m[1])))
    s.page("/robots.txt", robots)
    s.page("/sitemap.xml", urlset([*(s.url(f"/a/story-{i}-of-the-day/") for i in range(3)),
                                   s.url("/private/story-7-of-the-day/")]), XML)
    return s


#: The rules the robots.txt files of the cases below begin with (the sitemap's path relative).
ROBOTS_RULES = b"User-agent: *\nDisallow: /private/\nSitemap: /sitemap.xml\n"
#: A comment line, 64 bytes, by the thousand: what those files go on with.
FILLER = (b"# " + b"x" * 61 + b"\n") * 1024


def _robots_read_to_its_head(run: Run, s: HostileServer, **more: object) -> tuple[bool, str]:
    """Whether ``run`` obeyed the head of ``s``'s robots.txt (its Disallow held, its sitemap's
    articles written, the file cut once and fetched once), and the figure that shows it."""
    private = s.count(r"^/private/")
    truncated = run.count("newsclean/robots/truncated")
    unreachable = run.count("newsclean/robots/unreachable/")
    held = (not run.timed_out and run.code == 0 and run.tracebacks == 0 and len(run.records()) == 3 and private == 0
            and truncated == 1 and unreachable == 0 and s.count(r"^/robots\.txt$") == 1)
    said = ", ".join(f"{k} {v}" for k, v in more.items())
    return held, (f"{len(run.records())}/3 written, {private} disallowed fetched, truncated={truncated}, "
                  f"unreachable={unreachable}, {said}, {run}")


@case("robots-txt-endless", bound=90)
def robots_txt_endless(ctx: Ctx) -> Outcome:
    """A robots.txt that never ends (no length, comment lines up to 64 MB): read to its first
    NEWSCLEAN_ROBOTSTXT_MAX_BYTES and obeyed (its Disallow held, its Sitemap read), the download
    stopped there, one WARNING, robots/truncated. Before: read on to DOWNLOAD_MAXSIZE (10 MB),
    cancelled, and the host disallowed for the run as unreachable (too_large): nothing written."""
    written = [0]

    def endless(h: BaseHTTPRequestHandler) -> None:
        h.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n" + ROBOTS_RULES)
        for _ in range(1024):
            h.wfile.write(FILLER)
            written[0] += len(FILLER)

    s = _site_behind(ctx, Raw(endless))
    run = ctx.crawl(s.url("/"), settings={"NEWSCLEAN_ROBOTSTXT_MAX_BYTES": 8192})
    held, figure = _robots_read_to_its_head(run, s, served=f"{written[0] >> 20} MB")
    # sent before the crawler hung up: what the socket buffers held, far from the 64 MB (or 10 MB)
    return Outcome(held and written[0] < 16 << 20, figure)


@case("robots-txt-gzip-bomb", bound=90)
def robots_txt_gzip_bomb(ctx: Ctx) -> Outcome:
    """A gzip-encoded robots.txt inflating to 64 MB (~60 KB sent): its first
    NEWSCLEAN_ROBOTSTXT_MAX_BYTES inflated, read and obeyed, one WARNING, robots/truncated. Before:
    Scrapy's decompression refused it past DOWNLOAD_MAXSIZE with an IgnoreRequest that only
    Scrapy's robots.txt middleware saw, as a file not had: its host allowed all without a word;
    the spider's own fetch of the file was refused as a bomb, its sitemap never read: nothing
    written, the run degraded for 'no article URL found'."""
    bomb = gzip.compress(ROBOTS_RULES + FILLER * 1024, compresslevel=9)
    s = _site_behind(ctx, Reply(bomb, ctype="text/plain", headers={"Content-Encoding": "gzip"}))
    run = ctx.crawl(s.url("/"))
    held, figure = _robots_read_to_its_head(run, s, sent=f"{len(bomb) >> 10} KB")
    return Outcome(held, figure)


@case("robots-txt-redirect-loop", bound=90)
def robots_txt_redirect_loop(ctx: Ctx) -> Outcome:
    """A robots.txt redirecting to itself, and one redirecting through 30 new paths: unavailable
    (RFC 9309 2.3.1.2), all allowed as for a 404, one WARNING a host, robots/unavailable/<kind>;
    the loop left at its first repeat, the chain at REDIRECT_MAX_TIMES, neither followed again
    by the spider. Before: all allowed without a word or a count, the loop's robots.txt asked
    22 times."""
    servers = {}
    for kind, first in (("redirect_loop", "/robots.txt"), ("redirects", "/r/1/robots.txt")):
        s = servers[kind] = _site_behind(ctx, Reply(status=301, headers={"Location": first}))
        s.route(r"/r/(\d+)/robots\.txt", lambda m, h: Reply(status=302, headers={"Location": f"/r/{int(m[1]) + 1}/robots.txt"}))
        s.page("/", "<html><body>" + "".join(f'<a href="/a/story-{i}-of-the-day/">story</a>' for i in range(2))
               + "</body></html>")
    run = ctx.crawl(*(s.url("/") for s in servers.values()), settings={"REDIRECT_MAX_TIMES": 20})
    asked = {kind: s.count(r"robots\.txt$") for kind, s in servers.items()}
    counts = {k.rsplit("/", 1)[1]: v for k, v in run.counts.items() if k.startswith("newsclean/robots/unavailable/")}
    said = sum("robots.txt of 127.0.0.1:" in line and "unavailable" in line for line in run.stderr.splitlines())
    held = (not run.timed_out and run.code == 0 and run.tracebacks == 0 and len(run.records()) == 4
            and counts == {"redirect_loop": 1, "redirects": 1} and said == 2
            and asked == {"redirect_loop": 1, "redirects": 21})
    return Outcome(held, f"{len(run.records())}/4 written, unavailable {counts}, {said} said, robots.txt asked {asked}, {run}")
