"""Hostile cases of bad input the suite lacked (session 44): a robots.txt sent as several gzip
members or zstd frames."""

from __future__ import annotations

import gzip

from newsclean.crawler.hostile import Ctx, Outcome, Reply, case
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
