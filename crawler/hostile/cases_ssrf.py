"""Hostile cases of issue #14 points 1, 7, 10 and 11: a site that redirects the crawler at its
own network, one that asks it to wait (Retry-After), one whose slowness tempts it to open more
connections than its bound, and a lock file that must not keep the Redis password. Every
address involved is a loopback one (names through :class:`~newsclean.crawler.hostile.names.LoopbackNames`)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from typing import Any

from newsclean.crawler.hostile import Ctx, Hit, Outcome, Reply, article_html, case
from newsclean.crawler.components.warc import WarcResponse, iter_warc

RESOLVER = "newsclean.crawler.hostile.names.LoopbackNames"
#: 127.0.0.1 as a redirect may spell it, and names the site did not give that resolve to it.
LOOPBACK_SPELLINGS = ("2130706433", "0x7f000001", "127.1", "0177.0.0.1", "0x7f.0.0.1", "[::ffff:127.0.0.1]",
                      "intranet.news.test", "metadata.example.test")


@case("redirect-to-loopback", bound=90)
def redirect_to_loopback(ctx: Ctx) -> Outcome:
    """Articles redirecting to 127.0.0.1 in other spellings, or to names resolving to it, never reach it."""
    s = ctx.serve()
    port = s.base_url.rsplit(":", 1)[1]
    base = f"http://news.test:{port}"
    s.page("/a/harbour-berth-delayed-story/", article_html(1))
    moved = []
    for i, host in enumerate(LOOPBACK_SPELLINGS):
        path = f"/a/moved-away-story-{i}/"
        s.page(path, Reply(b"", status=302, ctype="text/plain", headers={"Location": f"http://{host}:{port}/secret/{i}"}))
        moved.append(base + path)
    s.page("/robots.txt", Reply(b"", status=302, ctype="text/plain", headers={"Location": f"http://127.1:{port}/secret/robots"}))
    s.sitemap([base + "/a/harbour-berth-delayed-story/", *moved])
    run = ctx.crawl(base + "/sitemap.xml", settings={"TWISTED_DNS_RESOLVER": RESOLVER}, args=["--warc"])
    reached = s.count("^/secret/")
    refused = run.count("newsclean/guard/refused_private")
    leaked = sum("/secret/" in str(r) for r in run.records("rejects"))
    archived = [r.url for p in (ctx.tmp / "out" / "warc").glob("*.warc.gz*") for r in iter_warc(p)
                if isinstance(r, WarcResponse)]
    # (the run is "degraded": 8 of its 9 articles are refused rejects, over the reject-rate check)
    held = (not run.timed_out and reached == 0 and refused == len(LOOPBACK_SPELLINGS) + 1 and len(run.records()) == 1
            and leaked == 0 and archived and not any("/secret/" in u for u in archived))
    return Outcome(held, f"{reached} of {len(LOOPBACK_SPELLINGS) + 1} redirects reached the server, {refused} refused, "
                         f"{leaked} rejects name a refused URL, {run}")


@case("retry-after", bound=90)
def retry_after(ctx: Ctx) -> Outcome:
    """A 429 with Retry-After: 4 is retried, and the site asked again, no sooner than 4 s later."""
    s = ctx.serve()
    seen: list[tuple[float, str, int]] = []
    answered: set[str] = set()

    def article(m: Any, hit: Hit) -> Reply:
        first = hit.path.endswith("-0/") and hit.path not in answered
        answered.add(hit.path)
        reply = (Reply(b"slow down", status=429, ctype="text/plain", headers={"Retry-After": "4"}) if first
                 else Reply(article_html(int(hit.path.rstrip("/").rsplit("-", 1)[1]) + 10)))
        seen.append((time.monotonic(), hit.path, reply.status))
        return reply

    s.route(r"/a/busy-site-story-\d+/", article)
    sitemap = s.sitemap(s.url(f"/a/busy-site-story-{i}/") for i in range(4))
    run = ctx.crawl(sitemap, settings={"RETRY_TIMES": 2, "CONCURRENT_REQUESTS_PER_DOMAIN": 1})
    refused_at = [t for t, _, status in seen if status == 429]
    if not refused_at:
        return Outcome(False, f"no 429 answered, {run}")
    later = [t - refused_at[0] for t, _, status in seen if status == 200 and t > refused_at[0]]
    gap = min(later) if later else float("inf")
    held = not run.timed_out and len(run.records()) == 4 and gap >= 3.9
    return Outcome(held, f"site asked again {gap:.1f}s after Retry-After: 4, {len(run.records())} written, {run}")


@case("per-site-concurrency", bound=90)
def per_site_concurrency(ctx: Ctx) -> Outcome:
    """A slow site (0.4 s an article) never holds more requests at once than CONCURRENT_REQUESTS_PER_DOMAIN=2."""
    s = ctx.serve()
    lock = threading.Lock()
    now = [0, 0]   # in flight, most at once

    def slow(m: Any, hit: Hit) -> bytes:
        with lock:
            now[0] += 1
            now[1] = max(now[1], now[0])
        time.sleep(0.4)
        with lock:
            now[0] -= 1
        return article_html(int(m.group(1)) + 100)

    s.route(r"/a/slow-site-story-(\d+)/", slow)
    sitemap = s.sitemap(s.url(f"/a/slow-site-story-{i}/") for i in range(20))
    run = ctx.crawl(sitemap, settings={"CONCURRENT_REQUESTS_PER_DOMAIN": 2})
    held = not run.timed_out and now[1] <= 2 and len(run.records()) == 20
    return Outcome(held, f"{now[1]} requests in flight at once (bound 2), {len(run.records())} written, {run}")


@case("lock-password", bound=60)
def lock_password(ctx: Ctx) -> Outcome:
    """The lock file and the refusal a second run prints hide the Redis password of the command line."""
    out = ctx.tmp / "out"
    secret = "hunter2-hostile"
    url = f"redis://:{secret}@127.0.0.1:9/0"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys; from newsclean.crawler.state.lock import RunLock\n"
         f"sys.argv = ['newsclean', 'crawl', 'demo', '--out', {str(out)!r}, '-s', 'NEWSCLEAN_REDIS_URL={url}']\n"
         f"RunLock({str(out)!r}).acquire(); print('held', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ctx.tmp)
    try:
        if holder.stdout is None or holder.stdout.readline().strip() != "held":
            return Outcome(False, "the lock holder did not start")
        in_file = secret in (out / ".newsclean.lock").read_text()
        run = ctx.newsclean("crawl", "demo", "--out", str(out), "-s", f"NEWSCLEAN_REDIS_URL={url}")
        in_message = secret in run.stderr + run.stdout
    finally:
        holder.communicate("", timeout=30)
    held = run.code == 3 and not in_file and not in_message
    return Outcome(held, f"password in lock file: {'yes' if in_file else 'no'}, in the refusal: "
                         f"{'yes' if in_message else 'no'}, {run}")
