"""Hostile cases that held before the hostile-web review (kept so that they keep holding)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from newsclean.crawler.hostile import XML, Answer, Ctx, Outcome, Raw, Reply, Run, article_html, case, crawl_args


def _crawl_listed(ctx: Ctx, pages: dict[str, Answer], settings: dict[str, Any] | None = None) -> Run:
    """A crawl of a local site that serves ``pages`` (path: answer) and lists them all in its sitemap."""
    s = ctx.serve()
    for path, answer in pages.items():
        s.page(path, answer)
    return ctx.crawl(s.sitemap(s.url(path) for path in pages), settings=settings)


def _failed_and_written(run: Run, failed: int, written: int) -> Outcome:
    """Held where the crawl ended by itself, without a traceback, with ``failed`` article fetches
    counted as failures and ``written`` records."""
    n_failed, n_written = run.count("newsclean/fetch/failed/article"), len(run.records())
    held = not run.timed_out and run.tracebacks == 0 and n_failed == failed and n_written == written
    return Outcome(held, f"{n_failed} failed, {n_written} written, {run.tracebacks} tracebacks, {run}")


@case("http-500-503", bound=60)
def http_errors(ctx: Ctx) -> Outcome:
    """Articles answering 500 and 503 are counted failures; the good one is written."""
    run = _crawl_listed(ctx, {
        "/a/good-article-one-here/": article_html(1),
        "/a/broken-article-two-here/": Reply(b"oops", status=500, ctype="text/plain"),
        "/a/busy-article-three-here/": Reply(b"busy", status=503, ctype="text/plain", headers={"Retry-After": "1"})})
    return _failed_and_written(run, failed=2, written=1)


@case("silent-server", bound=60)
def silent_server(ctx: Ctx) -> Outcome:
    """An article whose server accepts and never answers costs DOWNLOAD_TIMEOUT, then a counted failure."""
    run = _crawl_listed(ctx, {"/a/quiet-article-never-answers/": Raw(lambda h: time.sleep(40)),
                              "/a/good-article-one-here/": article_html(2)}, settings={"DOWNLOAD_TIMEOUT": 3})
    return _failed_and_written(run, failed=1, written=1)


def _truncated(h: object) -> None:
    w = h.wfile  # type: ignore[attr-defined]
    w.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 50000\r\n\r\n")
    w.write(article_html(3)[:300])
    w.flush()


@case("truncated-body", bound=60)
def truncated_body(ctx: Ctx) -> Outcome:
    """A body cut short of its Content-Length is a counted failure, not a torn record."""
    return _failed_and_written(_crawl_listed(ctx, {"/a/cut-short-article-here/": Raw(_truncated)}), failed=1, written=0)


@case("redirect-loop", bound=60)
def redirect_loop(ctx: Ctx) -> Outcome:
    """Two articles redirecting to each other stop at REDIRECT_MAX_TIMES."""
    s = ctx.serve()
    s.page("/a/loop-one-article-here/", Reply(b"", status=302, headers={"Location": "/a/loop-two-article-here/"}))
    s.page("/a/loop-two-article-here/", Reply(b"", status=302, headers={"Location": "/a/loop-one-article-here/"}))
    sitemap = s.sitemap([s.url("/a/loop-one-article-here/")])
    run = ctx.crawl(sitemap)
    fetches = s.count(r"^/a/loop-")
    held = not run.timed_out and run.tracebacks == 0 and fetches <= 10
    return Outcome(held, f"{fetches} redirect fetches, {run}")


def _background(ctx: Ctx, args: list[str]) -> subprocess.Popen[bytes]:
    """A newsclean crawl left running (its own process group; the caller kills it)."""
    return subprocess.Popen([sys.executable, "-m", "newsclean.crawler.commands.cli", *args], cwd=ctx.tmp,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def _wait_for(check: Callable[[], bool], ctx: Ctx) -> bool:
    while ctx.remaining() > 5:
        if check():
            return True
        time.sleep(0.2)
    return False


def _kill(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


@case("run-lock", bound=90)
def run_lock(ctx: Ctx) -> Outcome:
    """A second run on the same output directory exits 3 at once while the first one runs."""
    s = ctx.serve()
    s.page("/a/quiet-article-never-answers/", Raw(lambda h: time.sleep(60)))
    sitemap = s.sitemap([s.url("/a/quiet-article-never-answers/")])
    out = ctx.tmp / "out"
    first = _background(ctx, crawl_args([sitemap], out, {"DOWNLOAD_TIMEOUT": 60}))
    try:
        started = _wait_for(lambda: s.count("^/a/") > 0, ctx)
        second = ctx.crawl(sitemap, out=out, timeout=60)
    finally:
        _kill(first)
    held = started and second.code == 3 and second.tracebacks == 0
    return Outcome(held, f"second run: {second}, said {second.last_line()[:80]!r}")


@case("kill-9-mid-run", bound=180, slow=True)
def kill_mid_run(ctx: Ctx) -> Outcome:
    """kill -9 after some parts were committed; the next run writes every article exactly once."""
    s = ctx.serve()
    n = 40

    def slow_article(m: re.Match[str], h: object) -> bytes:
        time.sleep(0.2)
        return article_html(int(m[1]))

    s.route(r"/a/story-number-(\d+)-of-the-day/", slow_article)
    sitemap = s.sitemap(s.url(f"/a/story-number-{i}-of-the-day/") for i in range(n))
    out = ctx.tmp / "out"
    settings = {"NEWSCLEAN_PART_MAX_RECORDS": 5, "CONCURRENT_REQUESTS_PER_DOMAIN": 1}
    first = _background(ctx, crawl_args([sitemap], out, settings))
    try:
        committed = _wait_for(lambda: any((out / "articles").rglob("part-*.jsonl")), ctx)
    finally:
        _kill(first)
    before = len(Run([], 0, "", "", 0, False, out).records())
    second = ctx.crawl(sitemap, out=out, settings=settings)
    ids = [r["id"] for r in second.records()]
    held = committed and second.code == 0 and len(ids) == n and len(set(ids)) == n
    return Outcome(held, f"{before} committed before the kill; after the rerun {len(set(ids))}/{n} articles, "
                         f"{len(ids) - len(set(ids))} twice, {second}")


@case("xxe-sitemap", bound=60)
def xxe_sitemap(ctx: Ctx) -> Outcome:
    """A sitemap with external entities (a local file, a URL) resolves neither."""
    s = ctx.serve()
    s.page("/xxe", "you fetched the entity", "text/plain")
    body = (f'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY f SYSTEM "file:///etc/passwd">'
            f'<!ENTITY h SYSTEM "{s.url("/xxe")}">]><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f'<url><loc>{s.url("/a/")}&f;&h;-story-of-the-day/</loc></url></urlset>')
    s.page("/sitemap.xml", body, XML)
    run = ctx.crawl(s.url("/sitemap.xml"))
    leaked = s.count("^/xxe") + sum("root:" in h.path for h in s.hits)
    held = not run.timed_out and run.tracebacks == 0 and leaked == 0
    return Outcome(held, f"{leaked} entity fetches or file leaks, {run}")


def _stream_50mb(h: object) -> None:
    """A 50 MB page without Content-Length (the end is the connection's close)."""
    w = h.wfile  # type: ignore[attr-defined]
    w.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n<html><body><p>")
    chunk = b"lorem ipsum " * 87_382   # ~1 MB
    for _ in range(50):
        w.write(chunk)
    w.write(b"</p></body></html>")


@case("fifty-mb-page", bound=90)
def fifty_mb_page(ctx: Ctx) -> Outcome:
    """A 50 MB article page without Content-Length is cut at DOWNLOAD_MAXSIZE: a too_large reject."""
    run = _crawl_listed(ctx, {"/a/endless-story-of-the-day/": Raw(_stream_50mb)})
    reasons = [r["reason"] for r in run.records("rejects")]
    held = not run.timed_out and run.tracebacks == 0 and reasons == ["too_large"]
    return Outcome(held, f"rejects={reasons}, fetch/too_large={run.count('newsclean/fetch/too_large')}, {run}")


def _drip(h: object) -> None:
    w = h.wfile  # type: ignore[attr-defined]
    w.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n")
    for _ in range(120):
        w.write(b"<")
        w.flush()
        time.sleep(0.5)


@case("slow-drip", bound=60)
def slow_drip(ctx: Ctx) -> Outcome:
    """A server that drips one byte every half second is cut at DOWNLOAD_TIMEOUT: a counted failure."""
    run = _crawl_listed(ctx, {"/a/dripping-story-of-the-day/": Raw(_drip),
                              "/a/good-article-one-here/": article_html(7)}, settings={"DOWNLOAD_TIMEOUT": 4})
    return _failed_and_written(run, failed=1, written=1)
