"""Hostile cases of bounds: endless discovery, over-size bodies and bombs, broken discovery
documents, a full disk (issue #14 points 2, 6, 9)."""

from __future__ import annotations

import gzip
import re

from newsclean.crawler import settings
from newsclean.crawler.hostile import XML, Ctx, Outcome, Reply, article_html, case, sitemap_index, urlset


@case("sitemap-index-chain", bound=90, slow=True)
def sitemap_index_chain(ctx: Ctx) -> Outcome:
    """An endless chain of generated sitemap indexes (two children each, one article each level)."""
    s = ctx.serve()
    s.route(r"/sm/(\d+)-(\d+)\.xml", lambda m, h: Reply(sitemap_index(
        [s.url(f"/sm/{int(m[1]) + 1}-{2 * int(m[2]) + k}.xml") for k in (0, 1)]
        + [s.url(f"/leaf/{m[1]}-{m[2]}.xml")]), ctype=XML))
    s.route(r"/leaf/(\d+)-(\d+)\.xml", lambda m, h: Reply(urlset([s.url(f"/a/story-{m[1]}-{m[2]}-from-the-chain/")]), ctype=XML))
    s.route(r"/a/story-(\d+)-(\d+)-from-the-chain/", lambda m, h: article_html(int(m[1]) * 1000 + int(m[2])))
    s.page("/robots.txt", f"User-agent: *\nSitemap: {s.url('/sm/0-0.xml')}\n", "text/plain")
    run = ctx.crawl(s.url("/"))
    fetched = s.count(r"^/(sm|leaf)/")
    cut = run.count("newsclean/discovery/cut/")
    held = not run.timed_out and fetched <= settings.NEWSCLEAN_MAX_SITEMAPS and cut > 0 and run.code is not None
    return Outcome(held, f"{fetched} sitemaps fetched, cut={cut}, {run}")


@case("pagination-trap", bound=90, slow=True)
def pagination_trap(ctx: Ctx) -> Outcome:
    """Section pages whose every page links five new pages (about 5^5 fetches per section unbounded)."""
    s = ctx.serve()

    def page(m: re.Match[str], h: object) -> bytes:
        n = int(m[1] or 0)
        links = "".join(f'<a href="/news/page/{n * 5 + k}/">{k}</a>' for k in range(1, 6))
        return f"<html><body><h1>News page {n}</h1>{links}</body></html>".encode()

    s.route(r"/news/(?:page/(\d+)/)?", page)
    run = ctx.crawl(s.url("/news/"))
    fetched = s.count(r"^/news/")
    cut = run.count("newsclean/discovery/cut/")
    held = not run.timed_out and fetched <= settings.NEWSCLEAN_MAX_SECTION_PAGES + 1 and cut > 0
    return Outcome(held, f"{fetched} section pages fetched, cut={cut}, {run}")


@case("feed-xml-bomb", bound=60)
def feed_xml_bomb(ctx: Ctx) -> Outcome:
    """A billion-laughs feed is counted invalid with a warning, not read as an empty feed."""
    s = ctx.serve()
    ents = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{("&a%d;" % (i - 1)) * 10}">' for i in range(1, 10))
    bomb = f'<?xml version="1.0"?><!DOCTYPE rss [{ents}]><rss version="2.0"><channel><title>&a9;</title>' \
           f'<item><link>{s.url("/a/story-from-the-bomb-feed/")}</link></item></channel></rss>'
    s.page("/feed.xml", bomb.encode(), "application/rss+xml")
    s.page("/a/story-from-the-bomb-feed/", article_html(5))
    run = ctx.crawl(s.url("/feed.xml"))
    invalid = run.count("newsclean/discovery/invalid/")
    held = not run.timed_out and run.tracebacks == 0 and invalid == 1 and "feed" in run.stderr
    return Outcome(held, f"invalid={invalid}, {len(run.records())} written, {run}")


@case("sitemap-junk", bound=60)
def sitemap_junk(ctx: Ctx) -> Outcome:
    """A sitemap that is junk (binary, HTML, cut XML) is counted invalid with a warning each."""
    s = ctx.serve()
    s.page("/sm-binary.xml", bytes(range(256)) * 8, XML)
    s.page("/sm-html.xml", b"<html><body>Sitemap moved</body></html>", XML)
    s.page("/sm-cut.xml", urlset([s.url("/a/x-y-z-w/")])[:60], XML)
    s.page("/robots.txt", "User-agent: *\n" + "".join(f"Sitemap: {s.url(p)}\n" for p in
                                                        ("/sm-binary.xml", "/sm-html.xml", "/sm-cut.xml")), "text/plain")
    run = ctx.crawl(s.url("/"))
    invalid = run.count("newsclean/discovery/invalid/sitemap")
    warned = len(re.findall(r"skipped sitemap", run.stderr))
    held = not run.timed_out and run.tracebacks == 0 and invalid == 3 and warned == 3
    return Outcome(held, f"invalid/sitemap={invalid}, warnings={warned}, {run}")


@case("oversize-body", bound=60)
def oversize_body(ctx: Ctx) -> Outcome:
    """An article body over DOWNLOAD_MAXSIZE becomes a too_large reject with its own stats key."""
    s = ctx.serve()
    big = article_html(6).replace(b"</article>", b"<p>" + b"padding words " * 150_000 + b"</p></article>")
    s.page("/a/huge-article-over-the-bound/", big)
    s.page("/sitemap.xml", urlset([s.url("/a/huge-article-over-the-bound/")]), XML)
    run = ctx.crawl(s.url("/sitemap.xml"), settings={"DOWNLOAD_MAXSIZE": 1_000_000, "DOWNLOAD_WARNSIZE": 500_000})
    reasons = [r["reason"] for r in run.records("rejects")]
    key = run.count("newsclean/fetch/too_large")
    held = not run.timed_out and reasons == ["too_large"] and key == 1
    return Outcome(held, f"{len(big)} bytes: rejects={reasons}, fetch/too_large={key}, {run}")


@case("gzip-bomb", bound=60)
def gzip_bomb(ctx: Ctx) -> Outcome:
    """A gzip body that inflates to 200 MB is refused as a bomb: too_large reject, its own stats key."""
    s = ctx.serve()
    bomb = gzip.compress(b"<p>" + b"\0" * 200_000_000, compresslevel=9)
    s.page("/a/bomb-article-inflates-big/", Reply(bomb, headers={"Content-Encoding": "gzip"}))
    s.page("/sitemap.xml", urlset([s.url("/a/bomb-article-inflates-big/")]), XML)
    run = ctx.crawl(s.url("/sitemap.xml"))
    reasons = [r["reason"] for r in run.records("rejects")]
    key = run.count("newsclean/fetch/bomb")
    held = not run.timed_out and reasons == ["too_large"] and key == 1
    return Outcome(held, f"{len(bomb)} bytes -> 200 MB: rejects={reasons}, fetch/bomb={key}, {run}")
