"""Hostile cases that held before the hostile-web review (kept so that they keep holding)."""

from __future__ import annotations

import time

from newsclean.crawler.hostile import XML, Ctx, Outcome, Raw, Reply, article_html, case, urlset


@case("http-500-503", bound=60)
def http_errors(ctx: Ctx) -> Outcome:
    """Articles answering 500 and 503 are counted failures; the good one is written."""
    s = ctx.serve()
    s.page("/a/good-article-one-here/", article_html(1))
    s.page("/a/broken-article-two-here/", Reply(b"oops", status=500, ctype="text/plain"))
    s.page("/a/busy-article-three-here/", Reply(b"busy", status=503, ctype="text/plain",
                                                headers={"Retry-After": "1"}))
    s.page("/sitemap.xml", urlset(s.url(f"/a/{p}/") for p in
                                  ("good-article-one-here", "broken-article-two-here", "busy-article-three-here")), XML)
    run = ctx.crawl(s.url("/sitemap.xml"))
    written, failed = len(run.records()), run.count("newsclean/fetch/failed/article")
    held = not run.timed_out and run.tracebacks == 0 and written == 1 and failed == 2
    return Outcome(held, f"{written} written, {failed} failed, {run.tracebacks} tracebacks, {run}")


@case("silent-server", bound=60)
def silent_server(ctx: Ctx) -> Outcome:
    """An article whose server accepts and never answers costs DOWNLOAD_TIMEOUT, then a counted failure."""
    s = ctx.serve()
    s.page("/a/quiet-article-never-answers/", Raw(lambda h: time.sleep(40)))
    s.page("/a/good-article-one-here/", article_html(2))
    s.page("/sitemap.xml", urlset([s.url("/a/quiet-article-never-answers/"), s.url("/a/good-article-one-here/")]), XML)
    run = ctx.crawl(s.url("/sitemap.xml"), settings={"DOWNLOAD_TIMEOUT": 3})
    failed = run.count("newsclean/fetch/failed/article")
    held = not run.timed_out and run.tracebacks == 0 and failed == 1 and len(run.records()) == 1
    return Outcome(held, f"{failed} timed out, {len(run.records())} written, {run}")


def _truncated(h: object) -> None:
    w = h.wfile  # type: ignore[attr-defined]
    w.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 50000\r\n\r\n")
    w.write(article_html(3)[:300])
    w.flush()


@case("truncated-body", bound=60)
def truncated_body(ctx: Ctx) -> Outcome:
    """A body cut short of its Content-Length is a counted failure, not a torn record."""
    s = ctx.serve()
    s.page("/a/cut-short-article-here/", Raw(_truncated))
    s.page("/sitemap.xml", urlset([s.url("/a/cut-short-article-here/")]), XML)
    run = ctx.crawl(s.url("/sitemap.xml"))
    failed = run.count("newsclean/fetch/failed/article")
    held = not run.timed_out and run.tracebacks == 0 and failed == 1 and not run.records()
    return Outcome(held, f"{failed} failed, {len(run.records())} written, {run}")


@case("redirect-loop", bound=60)
def redirect_loop(ctx: Ctx) -> Outcome:
    """Two articles redirecting to each other stop at REDIRECT_MAX_TIMES."""
    s = ctx.serve()
    s.page("/a/loop-one-article-here/", Reply(b"", status=302, headers={"Location": "/a/loop-two-article-here/"}))
    s.page("/a/loop-two-article-here/", Reply(b"", status=302, headers={"Location": "/a/loop-one-article-here/"}))
    s.page("/sitemap.xml", urlset([s.url("/a/loop-one-article-here/")]), XML)
    run = ctx.crawl(s.url("/sitemap.xml"))
    fetches = s.count(r"^/a/loop-")
    held = not run.timed_out and run.tracebacks == 0 and fetches <= 10
    return Outcome(held, f"{fetches} redirect fetches, {run}")
