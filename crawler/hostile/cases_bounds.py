"""Hostile cases of bounds: endless discovery, over-size bodies and bombs, broken discovery
documents, a full disk (issue #14 points 2, 6, 9)."""

from __future__ import annotations

import gzip
import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson

from newsclean.crawler import settings
from newsclean.crawler.components import health
from newsclean.crawler.hostile import (XML, Ctx, HostileServer, Outcome, Reply, Run, article_html, case, crawl_args,
                                      sitemap_index, urlset)


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
    held = (not run.timed_out and run.tracebacks == 0 and invalid == 1 and "XML bomb" in run.stderr
            and run.code == 1 and "sitemaps/feeds invalid" in run.last_line())
    return Outcome(held, f"invalid={invalid}, {len(run.records())} written, {run}: {run.last_line()[:90]!r}")


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
    sitemap = s.sitemap([s.url("/a/huge-article-over-the-bound/")])
    run = ctx.crawl(sitemap, settings={"DOWNLOAD_MAXSIZE": 1_000_000, "DOWNLOAD_WARNSIZE": 500_000})
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
    sitemap = s.sitemap([s.url("/a/bomb-article-inflates-big/")])
    run = ctx.crawl(sitemap)
    reasons = [r["reason"] for r in run.records("rejects")]
    key = run.count("newsclean/fetch/bomb")
    held = not run.timed_out and reasons == ["too_large"] and key == 1
    return Outcome(held, f"{len(bomb)} bytes -> 200 MB: rejects={reasons}, fetch/bomb={key}, {run}")


def small_disk_available(where: Path) -> bool:
    """Whether a private tmpfs can be mounted here without root (a user namespace)."""
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
                            f"mount -t tmpfs -o size=64k tmpfs {shlex.quote(str(where))}"],
                           capture_output=True, timeout=30)
    return probe.returncode == 0


def disk_full_runs(ctx: Ctx, urls: list[str], size_kb: int, settings: dict[str, Any]) -> tuple[Run, Run]:
    """Two crawls of ``urls`` into one output directory on a private tmpfs of ``size_kb`` (a
    user namespace: no root needed, a real ENOSPC): the first on the small disk, the second
    after the disk is grown to 64 MB. The output directory is copied out after each, to
    ``ctx.tmp/after1`` and ``after2``."""
    disk, logs = ctx.tmp / "disk", ctx.tmp / "logs"
    disk.mkdir()
    logs.mkdir()
    out = disk / "out"
    crawl = shlex.join([sys.executable, "-m", "newsclean.crawler.commands.cli", *crawl_args(urls, out, settings)])
    q = {k: shlex.quote(str(v)) for k, v in (("disk", disk), ("logs", logs), ("tmp", ctx.tmp), ("out", out))}
    script = f"""
mount -t tmpfs -o size={size_kb}k tmpfs {q['disk']}
{crawl} >{q['logs']}/1.out 2>{q['logs']}/1.err; echo $? >{q['logs']}/1.code
cp -a {q['out']} {q['tmp']}/after1 2>/dev/null
mount -o remount,size=64m {q['disk']}
{crawl} >{q['logs']}/2.out 2>{q['logs']}/2.err; echo $? >{q['logs']}/2.code
cp -a {q['out']} {q['tmp']}/after2
"""
    whole = ctx.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script])

    def read(n: int) -> Run:
        code = logs / f"{n}.code"
        return Run(["crawl"], int(code.read_text()) if code.exists() else None,
                   (logs / f"{n}.out").read_text() if (logs / f"{n}.out").exists() else "",
                   (logs / f"{n}.err").read_text() if (logs / f"{n}.err").exists() else "",
                   whole.seconds, whole.timed_out, ctx.tmp / f"after{n}")
    return read(1), read(2)


def torn_parts(root: Path) -> list[str]:
    """Visible part files under ``root`` with a line that is not a whole JSON record."""
    torn = []
    for path in root.rglob("part-*.jsonl"):
        for line in path.read_bytes().splitlines():
            try:
                orjson.loads(line)
            except orjson.JSONDecodeError:
                torn.append(str(path))
                break
    return torn


def said_disk_full(line: str) -> bool:
    """Is ``line`` the one line a run that found its disk full ends with? Its wording is
    :func:`~newsclean.crawler.components.health.disk_full_error`'s, read from it at each call (any
    path, any note), so a reworded message is followed here, not passed or failed wrongly."""
    path, note = "\x00path\x00", "\x00note\x00"
    head, rest = health.disk_full_error(path, note).split(path)
    middle, tail = rest.split(note)
    said = f"{re.escape(head)}.+{re.escape(middle)}.*{re.escape(tail)}"
    return re.fullmatch(f"newsclean: failed: {said}(; no manifest written.*)?", line) is not None


def said_locked(line: str, path: Path) -> bool:
    """Is ``line`` the one line a run ends with when another program holds ``path`` locked?
    The wording is :func:`~newsclean.crawler.components.health.locked_error`'s, as above."""
    return line.startswith(f"newsclean: failed: {health.locked_error(path)}")


def _articles_sitemap(ctx: Ctx, n: int) -> str:
    """A local site of ``n`` articles and its sitemap's address."""
    s = ctx.serve()
    for i in range(n):
        s.page(f"/a/story-number-{i}-of-the-day/", article_html(i))
    return s.sitemap(s.url(f"/a/story-number-{i}-of-the-day/") for i in range(n))


@case("disk-full", bound=240, slow=True)
def disk_full(ctx: Ctx) -> Outcome:
    """The disk fills mid-crawl (a real ENOSPC on a small tmpfs): one line, exit 1, nothing torn,
    and the next run with space loses nothing."""
    if not small_disk_available(ctx.tmp):
        return Outcome(False, "cannot mount a private tmpfs here (unshare --user --mount): not tested")
    n = 60
    first, second = disk_full_runs(ctx, [_articles_sitemap(ctx, n)], DISK_FULL_KB, {"NEWSCLEAN_PART_MAX_RECORDS": 5})
    line = first.last_line()
    said = said_disk_full(line)
    manifest = first.manifest
    manifest_ok = (manifest is not None and manifest["status"] == "failed") or "no manifest written" in line
    torn = torn_parts(ctx.tmp / "after1") + torn_parts(ctx.tmp / "after2")
    urls = {r["url"] for r in second.records()}
    held = (first.code == 1 and said and first.tracebacks == 0 and manifest_ok and not torn
            and second.code == 0 and len(urls) == n)
    return Outcome(held, f"run 1: exit {first.code}, {first.tracebacks} tracebacks, {len(first.records())} written, "
                         f"manifest {'yes' if manifest else 'no'}, last line {line[:120]!r}; "
                         f"run 2: exit {second.code}, {len(urls)}/{n} articles in all; torn parts {len(torn)}")


@case("disk-full-at-start", bound=180, slow=True)
def disk_full_at_start(ctx: Ctx) -> Outcome:
    """The disk is full before the run starts (no room for the article store): the same one line,
    exit 1, no traceback, and the next run with space writes every article. Before: exit 2 and
    'database or disk is full (not the database newsclean keeps there)', a usage error."""
    if not small_disk_available(ctx.tmp):
        return Outcome(False, "cannot mount a private tmpfs here (unshare --user --mount): not tested")
    n = 6
    first, second = disk_full_runs(ctx, [_articles_sitemap(ctx, n)], DISK_FULL_AT_START_KB, {})
    line = first.last_line()
    said = said_disk_full(line)
    urls = {r["url"] for r in second.records()}
    held = first.code == 1 and said and first.tracebacks == 0 and second.code == 0 and len(urls) == n
    return Outcome(held, f"run 1: exit {first.code}, {first.tracebacks} tracebacks, last line {line[:140]!r}; "
                         f"run 2: exit {second.code}, {len(urls)}/{n} articles")


@case("file-size-limit", bound=180, slow=True)
def file_size_limit(ctx: Ctx) -> Outcome:
    """Files may not grow past a limit (``ulimit -f``: writes fail with EFBIG, SQLite's with "disk
    I/O error"): the crawl stops as on a full disk, one line naming the limit, exit 1, nothing
    torn, and the next run without it loses nothing. Before: a traceback a page from the store's
    writes, and a run 'ok' without those pages."""
    import resource

    from newsclean.output.sqlite import limit_note

    n = 30
    sitemap = _articles_sitemap(ctx, n)
    settings = {"NEWSCLEAN_PART_MAX_RECORDS": 5}

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT_KB * 1024, FILE_SIZE_LIMIT_KB * 1024))

    first = ctx.crawl(sitemap, settings=settings, preexec=limited, timeout=80)
    line = first.last_line()
    said = said_disk_full(line) and limit_note(FILE_SIZE_LIMIT_KB * 1024) in line   # the limit named
    torn = torn_parts(ctx.tmp / "out")
    second = ctx.crawl(sitemap, settings=settings)
    urls = {r["url"] for r in second.records()}
    held = first.code == 1 and said and first.tracebacks == 0 and not torn and second.code == 0 and len(urls) == n
    return Outcome(held, f"run 1: exit {first.code}, {first.tracebacks} tracebacks, {len(first.records())} written, "
                         f"last line {line[:140]!r}; run 2: exit {second.code}, {len(urls)}/{n} articles in all; "
                         f"torn parts {len(torn)}")


#: The file size limit: the article store and the dedup index open, then fill it mid-crawl.
FILE_SIZE_LIMIT_KB = 100


#: A disk with room for the lock file and the folders, not for the article store's first pages.
DISK_FULL_AT_START_KB = 40


#: The small disk's size: the store, the dedup index and a few parts fit (measured: 0 to 15 of 60
#: articles written before the disk filled), not the whole crawl.
DISK_FULL_KB = 1000


@case("loaded-worker", bound=120)
def loaded_worker(ctx: Ctx) -> Outcome:
    """Cleaning workers kept off the CPU (as on a loaded machine) still clean good pages: no timeout rejects."""
    from newsclean.crawler.workers.pool import FAULTS_ENV

    s = ctx.serve()
    n = 6
    for i in range(n):
        page = article_html(i)
        if i % 2:   # the worker sleeps twice the timeout before cleaning these (the stall fault)
            page = page.replace(b"</article>", b"<p>STALLED-BY-LOAD</p></article>")
        s.page(f"/a/story-number-{i}-of-the-day/", page)
    sitemap = s.sitemap(s.url(f"/a/story-number-{i}-of-the-day/") for i in range(n))
    run = ctx.crawl(sitemap, settings={"NEWSCLEAN_CLEAN_TIMEOUT": 1, "NEWSCLEAN_CLEAN_WORKERS": 2},
                    env={FAULTS_ENV: "stall=STALLED-BY-LOAD"})
    timeouts = [r["url"] for r in run.records("rejects") if r["reason"] == "timeout"]
    written = len(run.records())
    held = not run.timed_out and written == n and not timeouts and run.code == 0
    return Outcome(held, f"{written}/{n} written, {len(timeouts)} timeout rejects, {run}")


@case("state-locked-mid-run", bound=240, slow=True)
def state_locked_mid_run(ctx: Ctx) -> Outcome:
    """Another program (an ``sqlite3`` shell) takes the article store's write lock after the crawl
    committed its first part and keeps it: the run stops in one line naming the file, exit 1, no
    traceback, what it committed before written and nothing torn; the next run (the lock gone)
    loses nothing, writes nothing twice. Before: tracebacks (the spider's top-up, its close),
    'output failed: article store: database is locked', and each page still in the pipeline
    waited 5 s (51 s for 18 pages)."""
    return _locked_mid_run(ctx, "articles.sqlite3")


@case("dedup-index-locked-mid-run", bound=240, slow=True)
def dedup_index_locked_mid_run(ctx: Ctx) -> Outcome:
    """As state-locked-mid-run, the duplicate index's file locked. Before: 'dedup index
    unavailable, records go out unmarked', each of its writes waiting 5 s, and a run 'ok', exit 0
    (80 s for 60 pages, none checked for copies after the lock); then stopped in one line, exit 1,
    but each write after the first that failed (and the close's checkpoint) still waited 5 s: 36 s."""
    return _locked_mid_run(ctx, "dedup.sqlite3")


def _locked_mid_run(ctx: Ctx, name: str) -> Outcome:
    """A crawl of 60 articles (parts of 5) whose state file ``name`` another connection locks
    at the first page served after a part is committed; then a run without the lock."""
    import sqlite3
    import time

    n = 60
    out = ctx.tmp / "out"
    locked = out / "state" / name
    s = ctx.serve()
    other: list[sqlite3.Connection] = []

    def article(m: re.Match[str], h: object) -> bytes:
        i = int(m[1])
        time.sleep(0.1)   # the downloader does not run far ahead of the pipeline
        if not other and any((out / "articles").rglob("part-*.jsonl")):   # some output committed
            db = sqlite3.connect(locked, timeout=0, isolation_level=None, check_same_thread=False)
            try:
                db.execute("BEGIN IMMEDIATE")
                other.append(db)
            except sqlite3.OperationalError:   # the crawl is writing: taken at a next page
                db.close()
        return article_html(i)

    s.route(r"/a/story-number-(\d+)-of-the-day/", article)
    sitemap = s.sitemap(s.url(f"/a/story-number-{i}-of-the-day/") for i in range(n))
    settings = {"NEWSCLEAN_PART_MAX_RECORDS": 5, "CONCURRENT_REQUESTS": 1}
    try:
        first = ctx.crawl(sitemap, settings=settings, timeout=120)
    finally:
        for db in other:
            db.close()
    line = first.last_line()
    said = said_locked(line, locked)
    written = len(first.records())
    torn = torn_parts(out)
    second = ctx.crawl(sitemap, settings=settings)
    urls = [r["url"] for r in second.records()]
    held = (bool(other) and first.code == 1 and said and written > 0 and first.tracebacks == 0 and not torn
            and second.code == 0 and len(set(urls)) == len(urls) == n)
    return Outcome(held, f"run 1: exit {first.code}, {first.tracebacks} tracebacks, {written} written, "
                         f"{first.seconds:.0f}s, last line {line[:160]!r}; run 2: exit {second.code}, "
                         f"{len(set(urls))}/{n} articles in all, {len(urls) - len(set(urls))} twice; torn parts {len(torn)}")


#: Bytes a discovery document inflates to in the cases below: past the 60 MB bound
#: (``discovery.MAX_DOCUMENT_BYTES``), ~60 KB gzipped.
_INFLATED = 61 * 1024 * 1024


def _oversize_documents(s: HostileServer, kind: str) -> dict[str, Reply]:
    """A sitemap's or feed's three forms that are too large: one announcing more than the bound
    (Content-Length), one sent gzip-encoded that inflates past it, and a ``.gz`` file that does."""
    bomb = gzip.compress(b"<?xml version=\"1.0\"?>" + b" " * _INFLATED, compresslevel=9)
    ctype = XML if kind == "sitemap" else "application/rss+xml"
    return {f"/{kind}-announced.xml": Reply(urlset([s.url("/a/story-9-of-the-day/")]), ctype=ctype, length=70_000_000),
            f"/{kind}-encoded.xml": Reply(bomb, ctype=ctype, headers={"Content-Encoding": "gzip"}),
            f"/{kind}.xml.gz": Reply(bomb, ctype="application/gzip")}


@case("discovery-too-large", bound=120)
def discovery_too_large(ctx: Ctx) -> Outcome:
    """Sitemaps and feeds that are too large (announcing more than 60 MB, or inflating past it, as a
    gzip Content-Encoding or a .xml.gz file): each skipped in one WARNING naming its URL and counted
    invalid (fetch/too_large, fetch/bomb or discovery/bombs); the site's good sitemap still read.
    Until session 42 Scrapy said the first two a second time, in a WARNING of its own."""
    s = ctx.serve()
    s.route(r"/a/story-(\d+)-of-the-day/", lambda m, h: article_html(int(m[1])))
    s.page("/sitemap.xml", urlset(s.url(f"/a/story-{i}-of-the-day/") for i in range(3)), XML)
    documents = {**_oversize_documents(s, "sitemap"), **_oversize_documents(s, "feed")}
    for path, reply in documents.items():
        s.page(path, reply)
    sitemaps = [p for p in documents if p.startswith("/sitemap")]
    feeds = [p for p in documents if p.startswith("/feed")]
    sites = ctx.tmp / "sites"
    sites.mkdir()
    (sites / "heavy.toml").write_text(f'name = "heavy"\nbase_url = "{s.url("/")}"\n[discovery]\n'   # (a JSON list is TOML's)
                                      f'sitemaps = {json.dumps(["/sitemap.xml", *sitemaps])}\nfeeds = {json.dumps(feeds)}\n')
    out = ctx.tmp / "out"
    run = ctx.newsclean(*crawl_args([], out, {}, ["heavy"]), out=out, env={"NEWSCLEAN_SITES_DIR": str(sites)})
    said = _said(run, "heavy", [s.url(p) for p in documents])
    invalid = {k: run.count(f"newsclean/discovery/invalid/{k}") for k in ("sitemap", "feed")}
    refused = {k: run.count(f"newsclean/fetch/{k}") for k in ("too_large", "bomb")}
    held = (not run.timed_out and run.tracebacks == 0 and len(run.records()) == 3 and invalid == {"sitemap": 3, "feed": 3}
            and set(said.values()) == {(1, 0)} and refused == {"too_large": 2, "bomb": 2}
            and run.count("newsclean/discovery/bombs") == 2)
    return Outcome(held, f"{len(run.records())}/3 written, invalid {invalid}, {refused}, "
                         f"bombs={run.count('newsclean/discovery/bombs')}, said {said}, {run}")


def _said(run: Run, logger: str, urls: list[str]) -> dict[str, int]:
    """How many WARNING lines of the spider's (its logger: the site's name) name each of ``urls``,
    and how many of anyone else's (Scrapy's own line about the size, which said it a second time
    until session 42), as ``(spider's, others')``."""
    lines = [line for line in run.stderr.splitlines() if " WARNING: " in line or " ERROR: " in line]
    return {url.rsplit("/", 1)[1]: (sum(f"[{logger}] WARNING: " in line and f" {url}:" in line for line in lines),
                                    sum(f"[{logger}] " not in line and url in line for line in lines)) for url in urls}


@case("start-url-too-large", bound=120)
def start_url_too_large(ctx: Ctx) -> Outcome:
    """The same too-large sitemaps and feeds given as ``--url`` (the ad-hoc spider reads their head
    to tell what they are): each skipped in one WARNING naming it, counted invalid; the good sitemap
    read. Before: a .xml.gz bomb was inflated whole to be told apart, and its DocumentBomb was a
    traceback (Scrapy's 'Spider error processing'), counted nowhere."""
    s = ctx.serve()
    s.route(r"/a/story-(\d+)-of-the-day/", lambda m, h: article_html(int(m[1])))
    documents = {**_oversize_documents(s, "sitemap"), **_oversize_documents(s, "feed")}
    for path, reply in documents.items():
        s.page(path, reply)
    urls = [s.sitemap(s.url(f"/a/story-{i}-of-the-day/") for i in range(3)), *(s.url(p) for p in documents)]
    run = ctx.crawl(*urls)
    said = _said(run, "adhoc", urls[1:])
    invalid = run.count("newsclean/discovery/invalid/")
    held = (not run.timed_out and run.tracebacks == 0 and "Spider error" not in run.stderr and len(run.records()) == 3
            and invalid == len(documents) and set(said.values()) == {(1, 0)})
    return Outcome(held, f"{len(run.records())}/3 written, invalid={invalid}, said {said}, {run.tracebacks} tracebacks, {run}")


@case("sitemap-index-loop", bound=90)
def sitemap_index_loop(ctx: Ctx) -> Outcome:
    """A sitemap index that names itself, and two that name each other (each also naming one
    urlset of an article): every document fetched once, the articles written, the run ok."""
    s = ctx.serve()
    s.page("/self.xml", sitemap_index([s.url("/self.xml"), s.url("/leaf-0.xml")]), XML)
    s.page("/ping.xml", sitemap_index([s.url("/pong.xml"), s.url("/leaf-1.xml")]), XML)
    s.page("/pong.xml", sitemap_index([s.url("/ping.xml"), s.url("/leaf-2.xml")]), XML)
    s.route(r"/leaf-(\d)\.xml", lambda m, h: Reply(urlset([s.url(f"/a/story-{m[1]}-of-the-day/")]), ctype=XML))
    s.route(r"/a/story-(\d)-of-the-day/", lambda m, h: article_html(int(m[1])))
    s.page("/robots.txt", f"User-agent: *\nSitemap: {s.url('/self.xml')}\nSitemap: {s.url('/ping.xml')}\n", "text/plain")
    run = ctx.crawl(s.url("/"))
    asked = {path: s.count(rf"^{re.escape(path)}$") for path in ("/self.xml", "/ping.xml", "/pong.xml")}
    held = (not run.timed_out and run.code == 0 and run.tracebacks == 0 and len(run.records()) == 3
            and set(asked.values()) == {1})
    return Outcome(held, f"{len(run.records())}/3 written, indexes asked {asked}, {run}")
