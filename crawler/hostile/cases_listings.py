"""Hostile cases of what discovery documents list (entries that are no URL, dates no datetime
holds) and of answers that are no whole HTTP answer (session 40's walk of bad input the suite did
not hold yet)."""

from __future__ import annotations

from newsclean.crawler.hostile import XML, Ctx, Outcome, Raw, Reply, article_html, case, urlset

#: A location urljoin refuses (an unclosed IPv6 bracket) and one whose port no URL has.
NOT_URLS = ("http://[bad/a/story-of-the-bracket/", "http://127.0.0.1:99999/a/story-of-the-port/")
#: A date that is past year 9999 once read in UTC (astimezone's OverflowError).
PAST_9999 = "9999-12-31T23:59:59-05:00"


@case("listed-urls-that-are-none", bound=60)
def listed_urls_that_are_none(ctx: Ctx) -> Outcome:
    """A sitemap, a feed, a home page and robots.txt each listing a URL that is none (an unclosed
    IPv6 bracket, a port out of range) or a date past year 9999: the bad entry is skipped and
    counted in discovery/bad_url/<kind>, every good one written. Before: a traceback each, the
    entries after the bad one lost, the run 'ok' (0 of 10 articles written)."""
    s = ctx.serve()
    s.route(r"/a/story-(\d+)-of-the-day/", lambda m, h: article_html(int(m[1])))
    story = [s.url(f"/a/story-{i}-of-the-day/") for i in range(10)]
    entries = [(story[0], ""), (NOT_URLS[0], ""), (story[1], PAST_9999), (NOT_URLS[1], ""), (story[2], "")]
    s.page("/sitemap.xml", ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                            + "".join(f"<url><loc>{u}</loc><lastmod>{d}</lastmod></url>" for u, d in entries)
                            + "</urlset>"), XML)
    items = [(story[3], PAST_9999), (NOT_URLS[0], ""), ("javascript:void(0)", ""), (story[4], ""), (story[5], "")]
    s.page("/feed.xml", ('<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>'
                         + "".join(f"<item><link>{u}</link><pubDate>{d}</pubDate></item>" for u, d in items)
                         + "</channel></rss>"), "application/rss+xml")
    links = "".join(f'<a href="{u}">Story</a>' for u in (story[6], NOT_URLS[0], story[7], "mailto:desk@example.org", story[8]))
    s.page("/", f'<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head>'
                f'<body><h1>Front page</h1>{links}</body></html>')
    s.page("/robots.txt", f"User-agent: *\nSitemap: {NOT_URLS[0]}sitemap.xml\nSitemap: {s.url('/sitemap.xml')}\n"
                          f"Sitemap: {s.url('/more.xml')}\n", "text/plain")
    s.page("/more.xml", urlset([story[9]]), XML)
    run = ctx.crawl(s.url("/"))
    written = {r["url"] for r in run.records()}
    bad = {kind: run.count(f"newsclean/discovery/bad_url/{kind}") for kind in ("sitemap", "feed", "section", "robots")}
    held = (not run.timed_out and run.tracebacks == 0 and run.code == 0 and written == set(story)
            and bad == {"sitemap": 2, "feed": 1, "section": 1, "robots": 1})
    return Outcome(held, f"{len(written)}/{len(story)} written, bad_url {bad}, {run.tracebacks} tracebacks, {run}")


def _raw(data: bytes) -> Raw:
    """An answer of exactly these bytes, then the connection closed."""
    def write(h: object) -> None:
        h.wfile.write(data)  # type: ignore[attr-defined]
        h.wfile.flush()  # type: ignore[attr-defined]
    return Raw(write)


#: Answers that are no whole HTTP answer, each as a server sends it.
BROKEN_ANSWERS = {
    "closed-at-once": b"",
    "closed-mid-headers": b"HTTP/1.1 200 OK\r\nContent-Type: text/ht",
    "header-line-over-16kb": b"HTTP/1.1 200 OK\r\nX-Junk: " + b"a" * 100_000 + b"\r\nContent-Length: 2\r\n\r\nhi",
    "not-http": b"SSH-2.0-OpenSSH_8.9\r\n",
    "status-not-a-number": b"HTTP/1.1 abc OK\r\nContent-Length: 2\r\n\r\nhi",
    "negative-length": b"HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\nhi",
    "chunk-size-not-hex": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nhi\r\n0\r\n\r\n",
    "body-cut-short": b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 50000\r\n\r\n<html><body><p>Cut",
}


@case("broken-http-answers", bound=60)
def broken_http_answers(ctx: Ctx) -> Outcome:
    """Articles answering no whole HTTP answer (closed at once or mid-headers, a header line over
    Twisted's 16 KB, not HTTP, a status or length that is no number, bad chunks, a cut body):
    a counted failure each, said in one line in words. Before: said as a list of Twisted Failure
    reprs ('[<twisted.python.failure.Failure twisted.internet.error.ConnectionDone: ...>]')."""
    s = ctx.serve()
    s.page("/a/story-that-is-whole-here/", article_html(1))
    for name, data in BROKEN_ANSWERS.items():
        s.page(f"/a/{name}-story/", _raw(data))
    run = ctx.crawl(s.sitemap([s.url("/a/story-that-is-whole-here/"), *(s.url(f"/a/{n}-story/") for n in BROKEN_ANSWERS)]))
    said = [line.partition("-story/: ")[2] for line in run.stderr.splitlines() if "fetch failed for article" in line]
    worded = [line for line in said if line.startswith("no whole HTTP answer: ") and "Failure" not in line]
    failed = run.count("newsclean/fetch/failed/article")
    held = (not run.timed_out and run.tracebacks == 0 and len(run.records()) == 1 and failed == len(BROKEN_ANSWERS)
            and len(worded) == len(said) == len(BROKEN_ANSWERS))
    unworded = [line[:90] for line in said if line not in worded]
    return Outcome(held, f"{failed}/{len(BROKEN_ANSWERS)} counted failures, {len(worded)} said in words"
                         f"{', not: ' + repr(unworded[:2]) if unworded else ''}; {len(run.records())} written, {run}")


@case("idn-host", bound=60)
def idn_host(ctx: Ctx) -> Outcome:
    """A site given by its internationalized name (``--url http://bücher.invalid/sitemap.xml``,
    reached through the suite's server as an HTTP proxy), whose sitemap lists its articles under
    that name, its ASCII form (xn--bcher-kva.invalid) and in capitals: every one is written.
    Before: the site's domain was compared as written with the requests' ASCII hosts, Scrapy's
    offsite filter dropped the sitemap itself, and the run said 'ok - 0 articles written', exit 0."""
    s = ctx.serve()
    s.route(r"http://xn--bcher-kva\.invalid/a/story-(\d+)-of-the-day/", lambda m, h: article_html(int(m[1])))
    listed = [f"http://{host}/a/story-{i}-of-the-day/" for i, host in
              enumerate(("bücher.invalid", "xn--bcher-kva.invalid", "BÜCHER.invalid"))]
    s.route(r"http://xn--bcher-kva\.invalid/sitemap\.xml", lambda m, h: Reply(urlset(listed), ctype=XML))
    run = ctx.crawl("http://bücher.invalid/sitemap.xml", env={"http_proxy": s.base_url})
    written = len(run.records())
    held = not run.timed_out and run.tracebacks == 0 and run.code == 0 and written == len(listed)
    return Outcome(held, f"{written}/{len(listed)} written, offsite/filtered={run.count('offsite/filtered')}, "
                         f"{s.count('^http://xn--')} requests reached the site, {run}")


@case("idn-host-one-form", bound=90)
def idn_host_one_form(ctx: Ctx) -> Outcome:
    """A site at an internationalized name whose robots.txt lists its sitemap under that name and
    under its ASCII form (IDNA), and whose sitemap lists one article under both and in capitals:
    the sitemap and the article fetched once each, one record whose ``url`` is in the ASCII form
    the request was sent to; a second run asks for the sitemap with the validators it got.
    Before: discovery URLs were kept as listed, the sitemap was fetched twice, and its ETag saved
    under the ASCII form was never asked for under the listed one."""
    s = ctx.serve()
    site = r"http://xn--bcher-kva\.invalid"
    s.route(site + r"/", lambda m, h: Reply(b"<html><body><p>Welcome.</p></body></html>"))
    s.route(site + r"/robots\.txt", lambda m, h: Reply(
        b"User-agent: *\nSitemap: http://b\xc3\xbccher.invalid/sitemap.xml\nSitemap: http://xn--bcher-kva.invalid/sitemap.xml\n",
        ctype="text/plain"))
    listed = [f"http://{host}/a/story-0-of-the-day/" for host in ("bücher.invalid", "xn--bcher-kva.invalid", "BÜCHER.invalid")]
    s.route(site + r"/sitemap\.xml", lambda m, h: Reply(urlset(listed), ctype=XML, headers={"ETag": '"v1"'}))
    s.route(site + r"/a/story-0-of-the-day/", lambda m, h: article_html(0))
    out = ctx.tmp / "out"
    run = ctx.crawl("http://bücher.invalid/", env={"http_proxy": s.base_url}, out=out)
    records = run.records()
    sitemaps, fetched = s.count(site + r"/sitemap"), s.count(site + r"/a/")
    urls = sorted({(r["url"], r["canonical_url"], r["domain"]) for r in records})
    again = ctx.crawl("http://bücher.invalid/", env={"http_proxy": s.base_url}, out=out)
    asked = [h.headers.get("If-None-Match") for h in s.hits if h.path.endswith("/sitemap.xml")][sitemaps:]
    ascii_url = "http://xn--bcher-kva.invalid/a/story-0-of-the-day/"
    held = (not run.timed_out and run.code == 0 and again.code == 0 and sitemaps == 1 and fetched == 1
            and urls == [(ascii_url, ascii_url, "xn--bcher-kva.invalid")] and asked == ['"v1"'])
    return Outcome(held, f"sitemap fetched {sitemaps}x, article {fetched}x, records {urls}, "
                         f"second run's If-None-Match {asked}, {run}")


@case("meta-refresh-to-itself", bound=60)
def meta_refresh_to_itself(ctx: Ctx) -> Outcome:
    """Articles whose <meta http-equiv=refresh> reloads the page itself ('30;url=<itself>', a live
    page's), points to a URL that is none, or whose <base href> is none: each is written as the
    page it is. Before: the reload was a redirect loop ending in an ignored fetch (fetch/ignored,
    no reject, not said), the other two failed fetches ('Invalid IPv6 URL'): 0 of 3 written."""
    s = ctx.serve()
    urls = [s.url(f"/a/story-{i}-of-the-day/") for i in range(3)]
    heads = [f'<meta http-equiv="refresh" content="30;url={urls[0]}">',
             '<meta http-equiv="refresh" content="0;url=http://[bad/x/">',
             '<base href="http://[bad/"><meta http-equiv="refresh" content="0;url=/elsewhere/">']
    for i, head in enumerate(heads):
        s.page(f"/a/story-{i}-of-the-day/", article_html(i).replace(b"</head>", head.encode() + b"</head>"))
    run = ctx.crawl(s.sitemap(urls))
    written = {r["url"] for r in run.records()}
    held = not run.timed_out and run.tracebacks == 0 and run.code == 0 and written == set(urls)
    return Outcome(held, f"{len(written)}/{len(urls)} written, fetch/ignored={run.count('newsclean/fetch/ignored/')}, "
                         f"fetch/failed={run.count('newsclean/fetch/failed/')}, {run}")
