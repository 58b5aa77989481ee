"""Throughput benchmark: ``python -m newsclean.crawler.commands.bench [--pages N | --pages-dir DIR] [--workers K] [--redis URL]``.

Serves a local news site on 127.0.0.1 from a separate process and measures, in one run:

(a) a fetch-only crawl (``NEWSCLEAN_CLEAN_ENABLED=False``): the crawl's own limit;
(b) plain trafilatura (``extract(with_metadata=True)``) alone in one process, page after page;
(b2) ``cleaners.clean_html`` alone in one process, the same way, before (c) and again after it;
(c) the full newsclean crawl (cleaning in the worker pool).

For each: pages/s, CPU ms a page (for a crawl: its main process and its cleaning workers apart),
and the peak PSS of the whole process tree (proportional set size: pages shared between the
crawl and its workers are counted once). Then the issue-17 ratios: crawl CPU a page against
``clean_html``'s (the mean of b2 before and after the crawl: b2 moves with the machine's load
more than the crawl's CPU does, and the two bracket the crawl's minutes), and the crawl's pages/s
against ``min(a, cores x b2)``. Beside them, what (c) spends beyond the cleaner in the same run:
the workers time their own ``clean_html`` calls (their thread's clock, under the crawl's load;
with the learned templates' block scan and the body's decoding, which b2 leaves out), and the
crawl's CPU a page over that is printed as a second ratio. CPU time is read from
/proc (user + system of every process), so a loaded machine changes the ratios far less than
the wall-clock rates. Generated pages are ~150 KB of invented text: a heavy shared chrome (mega
menus, sidebars, footers, an inline state blob) around a per-URL article whose text is
generated from the URL's number, so no two articles are alike and nothing is written per URL.
With ``--pages-dir``, real pages (``*.html``, ``*.htm``, ``*.html.gz``) are served round-robin
under N URLs: each page's copies declare one canonical URL (or are byte-identical), so the
template learner counts each page once and every URL still yields its article.
With ``--redis URL`` (or ``local``) it measures scale-out instead: one crawler process against
two sharing one Redis (scrapy-redis queue and article store), fetch-only and full.
Each crawl writes to a fresh temporary directory (the article store would skip a re-crawl); the
run removes them all when it ends.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.util
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import lxml.etree
import lxml.html
import orjson

from newsclean.crawler.workers.heap import prctl
from newsclean.crawler.workers.procfs import cpu_seconds, pss_bytes, stat_fields, usable_cpus

# Invented vocabulary: article text and chrome are assembled from it, never from real pages.
WORDS = ("council harbour budget river school transit clinic market farmers winter bridge rail "
         "museum league coach startup tariff drought festival library ferry energy grid water "
         "report minister union survey housing tenants rent festival orchestra vaccine nurses "
         "storm coast police court judge appeal election ballot candidate district mayor policy "
         "exports factory workers wages inflation bank loans savings pension airport runway "
         "tourism hotel museum gallery archive scientists study climate forest wildlife park "
         "volunteers charity donors hospital patients doctors emergency ambulance village road").split()
SECTIONS = ("News", "Politics", "Business", "Markets", "World", "Sport", "Culture", "Science",
            "Health", "Opinion", "Travel", "Technology", "Climate", "Education", "Cities")


def _sentence(rng: random.Random, lo: int = 8, hi: int = 22) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    return " ".join(words).capitalize() + "."


def make_chrome(seed: int = 7) -> tuple[str, str]:
    """The shared page chrome (before and after the article), about 140 KB."""
    rng = random.Random(seed)
    menu = []
    for s in SECTIONS:
        items = "".join(f'<li class="menu-item"><a href="/{s.lower()}/{rng.choice(WORDS)}-{j}/">'
                        f'{rng.choice(WORDS).title()} {rng.choice(WORDS)}</a></li>' for j in range(40))
        menu.append(f'<li class="menu-item has-children"><a href="/{s.lower()}/">{s}</a>'
                    f'<div class="mega"><ul class="sub-menu">{items}</ul>'
                    f'<div class="mega-posts">' + "".join(
                        f'<div class="mega-post"><a href="/{s.lower()}/post-{j}/">{_sentence(rng, 5, 9)}</a>'
                        f'<span class="date">2 hours ago</span></div>' for j in range(6)) + '</div></div></li>')
    nav = f'<header id="masthead"><div class="top-bar">{_sentence(rng)}</div><nav class="main-nav"><ul>{"".join(menu)}</ul></nav></header>'
    state = orjson.dumps({"menu": [[rng.choice(WORDS) for _ in range(30)] for _ in range(150)]}).decode()
    head = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>@@TITLE@@ | The Bench Gazette</title>'
            f'<meta property="og:title" content="@@TITLE@@"><meta name="author" content="@@AUTHOR@@">'
            f'<meta property="article:published_time" content="@@DATE@@">'
            f'<script>window.__STATE__ = {state};</script><style>' + ".c{color:#333}" * 400 + '</style></head>'
            f'<body class="post-template">{nav}<div class="wrap"><main id="content">')
    teasers = "".join(f'<div class="td-block"><h3><a href="/news/teaser-{j}/">{_sentence(rng, 5, 10)}</a></h3>'
                      f'<div class="excerpt">{_sentence(rng, 20, 30)[:-1]}...</div></div>' for j in range(60))
    links = "".join(f'<li><a href="/tag/{w}/">{w.title()}</a></li>' for w in WORDS)
    tail = (f'</main><aside class="sidebar"><div class="widget">{teasers}</div>'
            f'<div class="widget tags"><ul>{links * 3}</ul></div></aside></div>'
            f'<footer><div class="footer-cols">' + "".join(
                f'<div class="col"><h4>{s}</h4><ul>' + "".join(
                    f'<li><a href="/{s.lower()}/f{j}/">{rng.choice(WORDS).title()}</a></li>' for j in range(25)) +
                '</ul></div>' for s in SECTIONS) + f'<p class="copy">{_sentence(rng)}</p></div></footer></body></html>')
    return head, tail


def make_article(i: int, head: str, tail: str) -> str:
    """Page ``i``: the chrome around an article generated from ``i`` (deterministic)."""
    rng = random.Random(i * 7919 + 13)
    title = _sentence(rng, 6, 11)[:-1]
    paras = "".join(f"<p>{' '.join(_sentence(rng) for _ in range(rng.randint(3, 6)))}</p>"
                    for _ in range(rng.randint(8, 14)))
    date = f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}T08:00:00Z"
    author = f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()}"
    body = (f'<article class="post"><h1 class="entry-title">{title}</h1>'
            f'<div class="byline">By {author}</div><div class="entry-content">{paras}</div></article>')
    page = head.replace("@@TITLE@@", title).replace("@@AUTHOR@@", author).replace("@@DATE@@", date)
    return page + body + tail


def article_path(i: int) -> str:
    return f"/news/2026/{1 + i % 12:02d}/story-{i}.html"


# -- the server (a separate process) --------------------------------------------------------------
class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 — http.server's name
        srv: Any = self.server
        base = f"http://127.0.0.1:{srv.server_address[1]}"
        path = self.path.split("?", 1)[0]
        ctype = "text/html; charset=utf-8"
        if path == "/robots.txt":
            body, ctype = f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n".encode(), "text/plain"
        elif path == "/sitemap.xml":
            urls = "".join(f"<url><loc>{base}{article_path(i)}</loc></url>" for i in range(srv.n_pages))
            body = ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                    f'{urls}</urlset>').encode()
            ctype = "application/xml"
        elif path == "/":
            body = b"<!doctype html><html><head><title>The Bench Gazette</title></head><body><h1>Home</h1></body></html>"
        elif path.startswith("/news/") and "story-" in path:
            try:
                i = int(path.rsplit("story-", 1)[1].split(".", 1)[0])
            except ValueError:
                i = -1
            if not 0 <= i < srv.n_pages:
                self.send_error(404)
                return
            if srv.real:
                body = srv.real[i % len(srv.real)]
            else:
                body = make_article(i, srv.head, srv.tail).encode()
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def real_page_paths(directory: Path, limit: int = 2000) -> list[Path]:
    """Real pages (``*.html``, ``*.htm``, ``*.html.gz``) under ``directory``, sorted by path."""
    paths = [p for p in sorted(directory.rglob("*")) if p.name.endswith((".html", ".htm", ".html.gz", ".htm.gz"))]
    return paths[:limit]


def read_page(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes()) if path.name.endswith(".gz") else path.read_bytes()


def load_real_pages(directory: Path, limit: int = 2000) -> list[bytes]:
    """The bytes of :func:`real_page_paths`."""
    return [read_page(p) for p in real_page_paths(directory, limit)]


def serve(port: int, n_pages: int, pages_dir: str | None) -> None:
    """Run the benchmark site in the foreground (the bench starts this in a subprocess)."""
    server = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
    server.daemon_threads = True
    server.n_pages = n_pages  # type: ignore[attr-defined]
    server.head, server.tail = make_chrome()  # type: ignore[attr-defined]
    server.real = load_real_pages(Path(pages_dir)) if pages_dir else []  # type: ignore[attr-defined]
    print("ready", flush=True)
    server.serve_forever()


# -- measuring ------------------------------------------------------------------------------------
#: This run's scratch directory: every crawl's output, the peers' files (news-please keeps a copy of
#: every page: 180 MB at 600 URLs of fundus-dev). Made on first use, removed when the run ends.
_SCRATCH: list[Path] = []


def scratch_dir(prefix: str) -> Path:
    """A fresh directory in this run's scratch directory."""
    if not _SCRATCH:
        _SCRATCH.append(Path(tempfile.mkdtemp(prefix="newsclean-bench-")))
    return Path(tempfile.mkdtemp(prefix=prefix, dir=_SCRATCH[0]))


def remove_scratch() -> None:
    while _SCRATCH:
        shutil.rmtree(_SCRATCH.pop(), ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree_roles(pid: int) -> dict[int, str]:
    """``pid`` and its descendants, each with its role in a crawl: ``main`` (``pid``), ``worker``
    (a cleaning worker: a child of the forkserver), ``forkserver``, or ``other``."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = stat_fields(int(entry))
            if fields and len(fields) > 1:
                children.setdefault(int(fields[1]), []).append(int(entry))
    out, todo = {pid: "main"}, [pid]
    while todo:
        p = todo.pop()
        for child in children.get(p, []):
            out[child] = "worker" if out[p] == "forkserver" else "forkserver" if _is_forkserver(child) else "other"
            todo.append(child)
    return out


def _is_forkserver(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return b"forkserver" in fh.read()
    except OSError:
        return False


def _proc_sample(pid: int) -> tuple[float, int] | None:
    """(user+sys CPU seconds, PSS bytes) of one process, or None if it is gone."""
    cpu, pss = cpu_seconds(pid), pss_bytes(pid)
    return None if cpu is None or pss is None else (cpu, pss)


class TreeSampler:
    """Samples the process trees under ``roots`` every ``interval`` s, in a thread: each
    process's last CPU time, the peak of the trees' summed PSS (one moment's sum), and at that
    moment each process's PSS by role (``peak_roles``: role -> list of bytes). ``seen``: every
    process of the trees it saw, with its role."""

    def __init__(self, roots: list[int], interval: float = 0.25) -> None:
        self.roots = roots
        self.interval = interval
        self.cpu: dict[int, float] = {}
        self.seen: dict[int, str] = {}
        self.peak_pss = 0
        self.peak_roles: dict[str, list[int]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while True:
            self.sample()
            if self._stop.wait(self.interval):
                return

    def sample(self) -> None:
        total = 0
        roles: dict[str, list[int]] = {}
        for root in self.roots:
            for pid, role in tree_roles(root).items():
                self.seen[pid] = role
                s = _proc_sample(pid)
                if s:
                    self.cpu[pid] = s[0]
                    total += s[1]
                    roles.setdefault(role, []).append(s[1])
        if total > self.peak_pss:
            self.peak_pss, self.peak_roles = total, roles

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()


#: prctl option (linux/prctl.h): this process adopts its descendants' orphans (not init).
_PR_SET_CHILD_SUBREAPER = 36
#: Seconds to wait for a measured process's adopted orphans to end (the workers' forkserver
#: ends as soon as the crawl's main process has: its pipe closes).
ORPHANS_WAIT = 30.0


def adopt_orphans() -> bool:
    """Make this process its descendants' reaper when their parent ends before them (Linux's
    child subreaper), so that :func:`reap_tree` reads their CPU when they end. The cleaning
    workers' forkserver outlives a crawl's main process by a moment: without this it is
    init's to reap, and its CPU (its workers' with it) was only the last sample before it
    ended, taken up to 0.25 s earlier. True if applied."""
    return prctl is not None and prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0


def reap_tree(proc: subprocess.Popen[Any], seen: dict[int, str]) -> tuple[float, float | None]:
    """Wait for ``proc`` and reap it, then reap the processes of its tree (``seen``) that this
    process adopted (:func:`adopt_orphans`): CPU seconds (user + system) of ``proc`` itself,
    exact (its rusage: it reaps none of its tree), and of the adopted ones with every
    descendant they reaped (None if none was adopted: then only the samples tell)."""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    own, rest = usage.ru_utime + usage.ru_stime, None
    deadline = time.monotonic() + ORPHANS_WAIT
    for pid in sorted(set(seen) - {proc.pid}):
        while True:
            try:
                done, _, usage = os.wait4(pid, os.WNOHANG)
            except ChildProcessError:
                break   # not adopted: its parent reaped it (its CPU is in its parent's rusage)
            if done:
                rest = (rest or 0.0) + usage.ru_utime + usage.ru_stime
                break
            if time.monotonic() > deadline:
                break   # still running: left to its sampled CPU
            time.sleep(0.02)
    return own, rest


def tree_cpu(procs: list[subprocess.Popen[Any]], sampler: TreeSampler) -> tuple[float, float]:
    """Reap ``procs`` and what they left (:func:`reap_tree`): CPU seconds of the processes
    themselves and of the rest of their trees, exact where the rusage tells (processes that
    were adopted and reaped here), else the sampled figure."""
    own = rest = 0.0
    adopted = False
    for proc in procs:
        mine, theirs = reap_tree(proc, sampler.seen)
        own += mine
        if theirs is not None:
            rest, adopted = rest + theirs, True
    if not adopted:
        mains = {p.pid for p in procs}
        rest = sum(cpu for pid, cpu in sampler.cpu.items() if pid not in mains)
    return own, rest


def run_process(cmd: list[str], stdout: Path, cwd: Path | None = None) -> dict[str, Any]:
    """``cmd`` as a subprocess writing its standard output to ``stdout``: wall time, CPU of its
    process tree, the tree's peak PSS, return code and the end of its standard error. With
    ``cwd`` it runs there and its temporary files go there too (``TMPDIR``)."""
    t0 = time.monotonic()
    env = {**os.environ, "TMPDIR": str(cwd)} if cwd else None
    errors = stdout.with_name(stdout.name + ".stderr")
    with stdout.open("wb") as out, errors.open("wb") as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=cwd, env=env)
        with TreeSampler([proc.pid]) as sampler:
            own, rest = tree_cpu([proc], sampler)
            wall = time.monotonic() - t0
    return {"rc": proc.returncode, "wall": wall, "cpu": own + rest,
            "peak_pss": sampler.peak_pss, "stderr": errors.read_text("utf-8", "replace")[-3000:]}


#: Politeness relaxed for a benchmark (one local host): what every bench crawl sets but the
#: default-politeness row (``--peers``), which keeps the project's own settings.
RELAXED = {"AUTOTHROTTLE_ENABLED": "False", "DOWNLOAD_DELAY": "0", "CONCURRENT_REQUESTS": "32",
           "CONCURRENT_REQUESTS_PER_DOMAIN": "32"}


def run_crawl(base: str, extra: list[str], workers: int | None, *, procs: int = 1,
              redis: str | None = None, relaxed: bool = True) -> dict[str, Any]:
    """One crawl (``procs`` crawler processes sharing ``redis``, or one process alone) as
    subprocesses; its pages/s, CPU (main processes and the rest of their trees apart), peak
    PSS of the trees, its final stats (summed over processes) and output directories."""
    sets = {**(RELAXED if relaxed else {}), "NEWSCLEAN_ALLOW_PRIVATE_ADDRESSES": "True",
            "NEWSCLEAN_STALL_PROBE": "True", "NEWSCLEAN_PROGRESS_INTERVAL": "-1", "LOG_LEVEL": "WARNING",
            "NEWSCLEAN_PART_MAX_RECORDS": "5000"}
    if workers is not None:
        sets["NEWSCLEAN_CLEAN_WORKERS"] = str(workers)
    if redis:   # a namespace of its own: nothing left from another crawl is shared
        sets["NEWSCLEAN_REDIS_NAMESPACE"] = f"bench-{os.getpid()}-{time.monotonic_ns()}"
    outs = [scratch_dir("crawl-") for _ in range(procs)]
    cmds = []
    for out in outs:
        cmd = [sys.executable, "-m", "newsclean.crawler.commands.cli", "crawl", "--url", base + "/", "--out", str(out)]
        if redis:
            cmd += ["--redis", redis]
        for k, v in [*sets.items(), *(item.split("=", 1) for item in extra)]:
            cmd += ["-s", f"{k}={v}"]
        cmds.append(cmd)
    t0 = time.monotonic()
    logs = [out.with_name(out.name + ".stderr") for out in outs]   # a file: the process is reaped by tree_cpu
    running = []
    for cmd, log in zip(cmds, logs):
        with log.open("wb") as err:
            running.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err))
    with TreeSampler([p.pid for p in running]) as sampler:
        cpu_main, cpu_rest = tree_cpu(running, sampler)
        wall = time.monotonic() - t0
    stats: dict[str, Any] = {}
    per_proc = []
    for out in outs:
        one = _manifest_stats(out)
        per_proc.append(one.get("newsclean/clean/articles", 0) + one.get("newsclean/clean/skipped", 0))
        for k, v in one.items():
            stats[k] = max(stats.get(k, 0), v) if "max" in k else stats.get(k, 0) + v
    pages = stats.get("newsclean/clean/articles", 0) + sum(
        v for k, v in stats.items() if k.startswith("newsclean/clean/dropped/")) + stats.get("newsclean/clean/skipped", 0)
    rcs = [proc.returncode for proc in running]
    return {"rc": max(rcs), "wall": wall, "pages": pages, "pps": pages / wall if wall else 0.0,
            "cpu": cpu_main + cpu_rest, "cpu_main": cpu_main,
            "cpu_workers": cpu_rest, "peak_pss": sampler.peak_pss,
            "peak_roles": sampler.peak_roles, "outs": outs, "stats": stats, "per_process": per_proc,
            "load": os.getloadavg()[0],
            "stderr": "".join(log.read_text("utf-8", "replace") for log in logs)[-6000:]}


def _manifest_stats(out: Path) -> dict[str, Any]:
    """The crawl's final stats as the run manifest recorded them."""
    for path in sorted((out / "manifests").glob("*.json")):
        data = orjson.loads(path.read_bytes())
        found: dict[str, Any] = {}

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                for k, v in node.items():
                    if isinstance(k, str) and k.startswith("newsclean/") and isinstance(v, (int, float)):
                        found[k] = max(found.get(k, v), v)
                    else:
                        walk(v)
            elif isinstance(node, list):
                for v in node:
                    walk(v)
        walk(data)
        return found
    return {}


def _extractor(name: str) -> Any:
    if name == "trafilatura":
        import trafilatura

        return lambda html, url: trafilatura.extract(html, url=url, with_metadata=True)
    from newsclean.cleaners import clean_html

    return lambda html, url: clean_html(html, url)


def measure_extractor(name: str, pages_dir: str | None, n_generated: int, seconds: float) -> dict[str, float]:
    """Run one extractor page after page in this process (pages read one at a time, as the
    crawl holds them) for whole passes over the pages, as many as ``seconds`` of CPU take: pages,
    CPU seconds. Whole passes: the crawl serves every page alike, and a pass cut short weighed the
    first pages twice (fundus-dev's first 37: 27.0 ms a page against 22.5 for all). One untimed
    page first loads what a crawl's workers get preloaded (the language model)."""
    extract = _extractor(name)
    paths = real_page_paths(Path(pages_dir)) if pages_dir else []
    head, tail = make_chrome()
    count = len(paths) or n_generated
    extract(read_page(paths[0]).decode("utf-8", "replace") if paths else make_article(0, head, tail),
            f"http://127.0.0.1{article_path(0)}")
    n, cpu, i = 0, 0.0, 0
    while i < count or i % count or cpu < seconds:
        html = read_page(paths[i % count]).decode("utf-8", "replace") if paths else make_article(i % count, head, tail)
        url = f"http://127.0.0.1{article_path(i)}"
        t0 = time.process_time()
        extract(html, url)
        cpu += time.process_time() - t0
        n, i = n + 1, i + 1
    return {"pages": n, "cpu": cpu}


def run_extractor(name: str, pages_dir: str | None, n_generated: int, seconds: float) -> dict[str, Any]:
    """:func:`measure_extractor` in a fresh process (its PSS is the extractor's alone)."""
    cmd = [sys.executable, "-m", "newsclean.crawler.commands.bench", "--measure", name, "--pages", str(n_generated),
           "--seconds", str(seconds)]
    if pages_dir:
        cmd += ["--pages-dir", pages_dir]
    out = scratch_dir("measure-") / "out.json"
    run = run_process(cmd, out)
    if run["rc"] != 0:
        err = run["stderr"].strip()
        raise SystemExit(f"measuring {name} failed: {err.splitlines()[-1] if err else run['rc']}")
    r = orjson.loads(out.read_bytes().strip().splitlines()[-1])
    return {**r, "pps": r["pages"] / r["cpu"] if r["cpu"] else 0.0, "peak_pss": run["peak_pss"],
            "load": os.getloadavg()[0]}


def mean_extractor(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """One figure of several runs of an extractor: the mean of their CPU ms a page (each run
    weighs alike however many pages its seconds held), as ``pages`` and ``cpu`` of 1,000 pages."""
    each = [1000 * r["cpu"] / max(1, r["pages"]) for r in runs]
    ms = sum(each) / len(each)
    return {"pages": 1000, "cpu": ms, "pps": 1000 / ms if ms else 0.0, "ms": each}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m newsclean.crawler.commands.bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=2000, help="URLs to crawl (default: %(default)s)")
    ap.add_argument("--pages-dir", help="serve these real pages (*.html, *.htm, *.html.gz) round-robin instead")
    ap.add_argument("--workers", type=int, default=None, help="cleaning workers (default: one per core)")
    ap.add_argument("--seconds", type=float, default=10.0,
                    help="CPU seconds (b) and (b2) run at least, in whole passes over the pages (default: %(default)s)")
    ap.add_argument("--redis", metavar="URL", help="instead: one vs two crawler processes sharing this Redis "
                    "(scale-out); 'local' starts a redis-server from PATH on a free port")
    ap.add_argument("--peers", action="store_true",
                    help="also run the peers on the same URLs (trafilatura's CLI, news-please's CLI if installed) "
                    "and a crawl with the default politeness; print the peer table (F1 where the folder has truth)")
    ap.add_argument("--polite-pages", type=int, default=100, metavar="N",
                    help="URLs of the default-politeness crawl (--peers; default: %(default)s)")
    ap.add_argument("--serve", type=int, metavar="PORT", help=argparse.SUPPRESS)
    ap.add_argument("--measure", choices=("trafilatura", "clean_html"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.pages < 1 or args.polite_pages < 1:
        ap.error("--pages and --polite-pages must be at least 1")
    if args.pages_dir:
        if not Path(args.pages_dir).is_dir():
            ap.error(f"--pages-dir {args.pages_dir}: not a directory")
        if not real_page_paths(Path(args.pages_dir)):
            ap.error(f"--pages-dir {args.pages_dir}: no *.html, *.htm or *.html.gz files in it")
    if args.serve:
        serve(args.serve, args.pages, args.pages_dir)
        return 0
    from newsclean.crawler.commands.cli import UsageError, check_line_model

    try:   # as crawl and demo: a broken model was every crawl's exit 2 and a traceback of (b2), mid-run
        check_line_model()
    except UsageError as exc:
        ap.error(str(exc))
    if args.measure:
        print(orjson.dumps(measure_extractor(args.measure, args.pages_dir, min(args.pages, 300), args.seconds)).decode())
        return 0

    cores = usable_cpus()
    adopt_orphans()   # each crawl's CPU is read when its processes end (tree_cpu)
    server, base = start_server(args.pages, args.pages_dir)
    try:
        source = (f"{args.pages_dir} ({len(real_page_paths(Path(args.pages_dir)))} pages)" if args.pages_dir
                  else "generated")
        print(f"site: {base}  URLs: {args.pages}  source: {source}  cores: {cores}")
        if args.redis:
            return scale_out(base, args.redis, cores)
        a = run_crawl(base, ["NEWSCLEAN_CLEAN_ENABLED=False"], args.workers)
        _report("(a) fetch only", a)
        b = run_extractor("trafilatura", args.pages_dir, min(args.pages, 300), args.seconds)
        _report_extractor("(b) trafilatura, 1 process", b)
        b2 = run_extractor("clean_html", args.pages_dir, min(args.pages, 300), args.seconds)
        _report_extractor("(b2) clean_html, 1 process, before (c)", b2)
        c = run_crawl(base, [], args.workers)
        _report("(c) newsclean crawl", c)
        b2_after = run_extractor("clean_html", args.pages_dir, min(args.pages, 300), args.seconds)
        _report_extractor("(b2) clean_html, 1 process, after (c)", b2_after)
        _ratios(a, b, mean_extractor([b2, b2_after]), c, cores)
        ok = a["rc"] in (0, 1) and c["rc"] in (0, 1)
        if args.peers:
            ok = run_peers(base, args, a, c) and ok
        return 0 if ok else 1
    finally:
        server.terminate()
        server.wait(5)
        remove_scratch()


def start_server(n_pages: int, pages_dir: str | None) -> tuple[subprocess.Popen[str], str]:
    """The benchmark site in a subprocess on a free port: the process and its base URL."""
    port = _free_port()
    cmd = [sys.executable, "-m", "newsclean.crawler.commands.bench", "--serve", str(port), "--pages", str(n_pages)]
    if pages_dir:
        cmd += ["--pages-dir", pages_dir]
    server = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    if server.stdout is None or server.stdout.readline().strip() != "ready":
        server.kill()
        raise SystemExit("the benchmark site did not start")
    return server, f"http://127.0.0.1:{port}"


def crawl_cleaner_ms(c: dict[str, Any]) -> float:
    """The CPU ms a page a crawl's workers spent in ``clean_html`` (stat ``newsclean/clean/cleaner_cpu_us``
    over the crawl's pages; 0.0 when not recorded)."""
    return c["stats"].get("newsclean/clean/cleaner_cpu_us", 0) / 1000 / max(1, c["pages"])


def _ratios(a: dict[str, Any], b: dict[str, Any], b2: dict[str, Any], c: dict[str, Any], cores: int) -> None:
    """The targets of issue 17, as ratios of this run's figures (``b2``: :func:`mean_extractor`'s)."""
    clean_ms = 1000 * b2["cpu"] / max(1, b2["pages"])
    crawl_ms = 1000 * c["cpu"] / max(1, c["pages"])
    each = " / ".join(f"{crawl_ms / ms if ms else 0:.2f}" for ms in b2.get("ms", ()))
    print(f"crawl CPU a page / clean_html CPU a page = {crawl_ms / clean_ms if clean_ms else 0:.2f}  "
          f"(target <= 1.25; clean_html {clean_ms:.1f} ms a page, the mean of "
          f"{' and '.join(f'{ms:.1f}' for ms in b2.get('ms', ()))} before and after the crawl: {each} against each; "
          f"the crawl's overhead is {crawl_ms - clean_ms:.1f} ms a page)")
    own_ms = crawl_cleaner_ms(c)
    if own_ms:
        print(f"crawl CPU a page / its workers' clean_html CPU a page = {crawl_ms / own_ms:.2f}  "
              f"(the same crawl: clean_html {own_ms:.1f} ms a page on the workers' thread clock, with the "
              f"learned templates' block scan and the decoding; the crawl beyond it {crawl_ms - own_ms:.1f} ms a page; "
              f"its clean_html / b2 = {own_ms / clean_ms if clean_ms else 0:.2f})")
    print(f"clean_html CPU / trafilatura CPU = {b['pps'] / b2['pps'] if b2['pps'] else 0:.2f}")
    limit = min(a["pps"], cores * b2["pps"])
    print(f"c/a = {c['pps'] / a['pps'] if a['pps'] else 0:.2f}   c/(cores x b2) = "
          f"{c['pps'] / (cores * b2['pps']) if b2['pps'] else 0:.2f}   target c >= 0.85 x min(a, cores x b2) = "
          f"{0.85 * limit:.1f} pages/s: {'met' if c['pps'] >= 0.85 * limit else 'NOT met'} (wall clock: noisy on a shared machine)")


# -- peers (--peers): other systems fetching the same URLs, scored alike ----------------------------
#: trafilatura's CLI waits SLEEP_TIME (5 s) between two requests to one host and refuses loopback
#: addresses (SSRF_PROTECTION): both relaxed, as the crawls' politeness is (:data:`RELAXED`).
TRAFILATURA_CONFIG = "[DEFAULT]\nSLEEP_TIME = 0\nSSRF_PROTECTION = off\n"
#: What the ``trafilatura`` script runs, in this interpreter.
TRAFILATURA_CLI = "import sys; from trafilatura.cli import main; sys.exit(main())"
#: Lines of news-please's own config.cfg the bench changes (pattern, new line): its files in a
#: fresh directory, the crawls' relaxed concurrency, quiet logs, and newspaper's extractor that
#: fetches no images (the default one downloads every image a page names, from the internet).
NEWS_PLEASE_SETTINGS = (
    (r"^working_path = .*$", "working_path = {work}/"),
    (r"^CONCURRENT_REQUESTS=\d+$", "CONCURRENT_REQUESTS=32"),
    (r"^CONCURRENT_REQUESTS_PER_DOMAIN=\d+$", "CONCURRENT_REQUESTS_PER_DOMAIN=32"),
    (r"^LOG_LEVEL = \w+$", "LOG_LEVEL = ERROR"),
    (r"^extractors = \['newspaper_extractor',", "extractors = ['newspaper_extractor_no_images',"),
)


def served_urls(base: str, n_pages: int) -> list[str]:
    """The article URLs the benchmark site serves (its sitemap's)."""
    return [base + article_path(i) for i in range(n_pages)]


def run_trafilatura_cli(urls: list[str], extra: list[str]) -> dict[str, Any]:
    """trafilatura's command line fetching ``urls`` (``-i urls.txt --json`` + ``extra``); with
    the texts of the JSON lines it wrote and how many lines were not a JSON object (``not_json``)."""
    work = scratch_dir("trafilatura-")
    (work / "urls.txt").write_text("\n".join(urls) + "\n", "utf-8")
    (work / "settings.cfg").write_text(TRAFILATURA_CONFIG, "utf-8")
    r = run_process([sys.executable, "-c", TRAFILATURA_CLI, "-i", str(work / "urls.txt"), "--json",
                     "--config-file", str(work / "settings.cfg"), *extra], work / "out.jsonl", cwd=work)
    from newsclean.output.reader import JsonlReader

    # a line that is not a JSON object (a warning, a traceback the peer printed): counted, skipped
    reader = JsonlReader()
    texts = [record.get("text") or "" for record in reader.iter_records([work / "out.jsonl"])]
    return {**r, "pages": len(texts), "texts": texts, "not_json": len(reader.skipped)}


def news_please_config(work: Path, urls: list[str]) -> bool:
    """news-please's config.cfg and sitelist.hjson in ``work``: its ``Download`` crawler on
    ``urls``, :data:`NEWS_PLEASE_SETTINGS` applied. False when news-please is not installed."""
    spec = importlib.util.find_spec("newsplease")
    if spec is None or not spec.submodule_search_locations:
        return False
    text = (Path(next(iter(spec.submodule_search_locations))) / "config" / "config.cfg").read_text("utf-8")
    for pattern, line in NEWS_PLEASE_SETTINGS:
        text, n = re.subn(pattern, lambda _m, line=line: line.format(work=work), text, count=1, flags=re.M)
        if not n:
            raise SystemExit(f"news-please's config.cfg has no line like {pattern!r} (another version?)")
    (work / "config.cfg").write_text(text, "utf-8")
    (work / "sitelist.hjson").write_bytes(orjson.dumps({"base_urls": [{"url": urls, "crawler": "Download"}]}))
    return True


def run_news_please(urls: list[str]) -> dict[str, Any] | None:
    """news-please's command line fetching ``urls``; with the main texts of the JSON files it
    wrote. None when news-please is not installed in this interpreter's environment."""
    work = scratch_dir("news-please-")
    if not news_please_config(work, urls):
        return None
    r = run_process([sys.executable, "-m", "newsplease", "-c", str(work)], work / "out.txt", cwd=work)
    texts = [orjson.loads(path.read_bytes()).get("maintext") or "" for path in sorted((work / "data").rglob("*.json"))]
    return {**r, "pages": len(texts), "texts": texts}


def crawl_texts(r: dict[str, Any]) -> list[str]:
    """The article texts a crawl of :func:`run_crawl` wrote."""
    from newsclean.output.reader import find_parts, iter_records

    return [rec.get("text") or "" for out in r["outs"] for rec in iter_records(find_parts(out))]


@dataclass
class ServedTruth:
    """The served pages for scoring texts: the truth of the pages that have one, and to tell
    which page a text came from (whichever URL it was fetched under) the shingles of each page's
    text and of its truth."""

    shingles: list[set[int]]
    truth: dict[int, str]
    truth_shingles: dict[int, set[int]]


def served_truth(pages_dir: Path) -> ServedTruth | None:
    """:class:`ServedTruth` of a folder in a layout ``cleaners.bench`` reads (Fundus,
    Scrapinghub); None when it has no truth."""
    from newsclean.cleaners.bench import load_dataset

    try:
        docs = load_dataset(pages_dir)
    except (SystemExit, OSError, ValueError):
        return None
    # A page is known by its text (gzip.open's text mode turns \r\n into \n, so both sides do).
    truth = {_html_key(d.html): d.truth for d in docs if d.truth}
    served = ServedTruth([], {}, {})
    for i, raw in enumerate(load_real_pages(pages_dir)):
        if (found := truth.get(_html_key(raw.decode("utf-8", "replace")))) is not None:
            served.truth[i], served.truth_shingles[i] = found, _hashed_shingles(found)
        served.shingles.append(_hashed_shingles(_page_text(raw)))
    return served if served.truth else None


def _hashed_shingles(text: str) -> set[int]:
    from newsclean.cleaners.bench import shingles

    return {hash(s) for s in shingles(text)}


def _html_key(html: str) -> bytes:
    return hashlib.sha1(html.replace("\r\n", "\n").replace("\r", "\n").encode("utf-8", "replace")).digest()


#: The benchmark site serves every page as UTF-8 (its Content-Type says so), whatever its <meta>.
_UTF8_PARSER = lxml.html.HTMLParser(encoding="utf-8")


def _page_text(raw: bytes) -> str:
    """All the text of a page, scripts' included (an extractor may read JSON-LD)."""
    try:
        return lxml.html.fromstring(raw, parser=_UTF8_PARSER).text_content()
    except (lxml.etree.ParserError, ValueError):
        return ""


def score_texts(texts: list[str], served: ServedTruth, n_urls: int) -> dict[str, float]:
    """Precision, recall and F1 (``cleaners.bench``'s metric) of a system's texts from ``n_urls``
    URLs: each text is placed on the served page whose text and truth share most shingles with it
    (the truth tells two pages apart when one page holds the other's article too); each page with
    truth served under those URLs scores the mean of its distinct texts (a page served under many
    URLs counts once), a page without one scores empty."""
    from newsclean.cleaners.bench import metrics_from_tp_fp_fns, string_shingle_matching

    placed: dict[int, set[str]] = {}
    nothing: set[int] = set()
    for text in set(texts):
        own = _hashed_shingles(text)
        overlap, page = max((len(own & page_shingles) + len(own & served.truth_shingles.get(i, nothing)), i)
                            for i, page_shingles in enumerate(served.shingles))
        if overlap:
            placed.setdefault(page, set()).add(text)
    rows = []
    for page, truth in served.truth.items():
        if page >= n_urls:   # URL i serves page i modulo the pages: not all are served
            continue
        matches = [string_shingle_matching(truth, text) for text in placed.get(page, {""})]
        rows.append((sum(m[0] for m in matches) / len(matches), sum(m[1] for m in matches) / len(matches),
                     sum(m[2] for m in matches) / len(matches)))
    return metrics_from_tp_fp_fns(rows)


def run_peers(base: str, args: argparse.Namespace, a: dict[str, Any], c: dict[str, Any]) -> bool:
    """The peers on the same URLs and a crawl with the default politeness, then the peer table
    (issue 17): pages, pages/s (wall clock), CPU ms a page of every process, peak PSS, F1."""
    urls = served_urls(base, args.pages)
    served = served_truth(Path(args.pages_dir)) if args.pages_dir else None
    rows: list[tuple[str, dict[str, Any] | None, list[str] | None]] = [
        ("Scrapy fetch-only (a)", a, None), ("newsclean crawl (c)", c, crawl_texts(c))]
    for label, extra in (("trafilatura CLI `--json`", []), ("trafilatura CLI `--json --with-metadata`", ["--with-metadata"])):
        r = run_trafilatura_cli(urls, extra)
        _report_peer(label, r)
        rows.append((label, r, r["texts"]))
    r = run_news_please(urls)
    if r is not None:
        _report_peer("news-please CLI", r)
    rows.append(("news-please CLI (Download crawler, no image fetching)", r, r["texts"] if r else None))
    polite_server, polite_base = start_server(args.polite_pages, args.pages_dir)
    try:
        d = run_crawl(polite_base, [], args.workers, relaxed=False)
    finally:
        polite_server.terminate()
        polite_server.wait(5)
    _report(f"(d) newsclean crawl, default politeness, {args.polite_pages} URLs", d)
    rows.append(("newsclean crawl, default politeness", d, crawl_texts(d)))
    print(f"\npeers on the same {args.pages} URLs (politeness relaxed but in the last row; pages/s on the wall clock; "
          f"{'F1 over the served pages with truth' if served else 'no F1: no truth for these pages'}; "
          f"load average {os.getloadavg()[0]:.1f}):")
    print("| system | pages | pages/s | CPU ms a page (all processes) | peak PSS | F1 |")
    print("| --- | --- | --- | --- | --- | --- |")
    for label, r, texts in rows:
        if r is None:
            print(f"| {label} | not installed | | | | |")
            continue
        pages = max(1, r["pages"])
        n_urls = args.polite_pages if r is d else args.pages
        f1 = f"{score_texts(texts, served, n_urls)['f1']:.3f}" if served and texts is not None else "-"
        print(f"| {label} | {r['pages']} | {r['pages'] / r['wall'] if r['wall'] else 0:.1f} | "
              f"{1000 * r['cpu'] / pages:.1f} | {r['peak_pss'] / 2**20:.0f} MB | {f1} |")
    return all(r is None or r["rc"] in (0, 1) for _, r, _ in rows)


def _report_peer(label: str, r: dict[str, Any]) -> None:
    pages = max(1, r["pages"])
    print(f"{label}: {r['pages']} pages in {r['wall']:.1f} s = {r['pages'] / r['wall'] if r['wall'] else 0:.1f} pages/s  "
          f"CPU {1000 * r['cpu'] / pages:.1f} ms a page (all processes)  peak PSS {r['peak_pss'] / 2**20:.0f} MB  rc {r['rc']}")
    if r.get("not_json"):
        print(f"  {r['not_json']} lines of its output not a JSON object: skipped")
    if r["rc"] not in (0, 1):
        print(r["stderr"])


def _local_redis() -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no", "--dir", str(scratch_dir("redis-"))],
                              stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    import redis

    for _ in range(100):
        try:
            redis.Redis.from_url(url).ping()
            return server, url
        except redis.ConnectionError:
            time.sleep(0.05)
    server.terminate()
    raise SystemExit("redis-server did not start")


def scale_out(base: str, redis_url: str, cores: int) -> int:
    """One crawler process vs two sharing one Redis, fetch-only and full, on the same site.
    With two processes each gets half the cores for cleaning, so both runs use them all."""
    server = None
    if redis_url == "local":
        server, redis_url = _local_redis()
    try:
        rcs = []
        for label, extra in (("fetch only", ["NEWSCLEAN_CLEAN_ENABLED=False"]), ("full crawl", [])):
            one = run_crawl(base, extra, None, redis=redis_url)
            _report(f"{label}, 1 process ", one)
            two = run_crawl(base, extra, max(1, cores // 2), procs=2, redis=redis_url)
            _report(f"{label}, 2 processes", two)
            print(f"{label}: 2 processes / 1 process = {two['pps'] / one['pps']:.2f}x  "
                  f"(pages per process {two['per_process']})")
            rcs += [one["rc"], two["rc"]]
        return 0 if all(rc in (0, 1) for rc in rcs) else 1
    finally:
        if server is not None:
            server.terminate()
            server.wait(5)


def _report(label: str, r: dict[str, Any]) -> None:
    st = r["stats"]
    pages = max(1, r["pages"])
    print(f"{label}: {r['pages']} pages in {r['wall']:.1f} s = {r['pps']:.1f} pages/s  "
          f"CPU {1000 * r['cpu'] / pages:.1f} ms a page (main {1000 * r['cpu_main'] / pages:.1f}, "
          f"workers {1000 * r['cpu_workers'] / pages:.1f})  peak PSS {r['peak_pss'] / 2**20:.0f} MB "
          f"({_roles(r.get('peak_roles', {}))})  "
          f"reactor max stall {st.get('newsclean/reactor/max_stall_ms', '?')} ms "
          f"({st.get('newsclean/reactor/stalls', 0)} over 200 ms)  "
          f"articles {st.get('newsclean/clean/articles', 0)}  "
          f"too_short {st.get('newsclean/clean/dropped/too_short', 0)}  "
          f"timeouts {st.get('newsclean/pool/timeouts', 0)} crashes {st.get('newsclean/pool/crashes', 0)}  "
          f"load {r['load']:.1f}  rc {r['rc']}")
    if r["rc"] not in (0, 1):
        print(r["stderr"])
    elif "reactor blocked" in r["stderr"]:   # the watchdog's report: where the worst stall was
        print(r["stderr"][r["stderr"].index("reactor blocked"):].rstrip())


def _roles(roles: dict[str, list[int]]) -> str:
    """``main 160, workers 80+78, forkserver 64, other 6`` (MB, at the tree's peak)."""
    order = ("main", "worker", "forkserver", "other")
    return ", ".join(f"{role}{'s' if role == 'worker' else ''} {'+'.join(f'{b / 2**20:.0f}' for b in roles[role])}"
                     for role in order if role in roles)


def _report_extractor(label: str, r: dict[str, Any]) -> None:
    print(f"{label}: {r['pages']} pages, {r['pps']:.1f} pages/s of CPU  "
          f"CPU {1000 * r['cpu'] / max(1, r['pages']):.1f} ms a page  peak PSS {r['peak_pss'] / 2**20:.0f} MB  "
          f"load {r['load']:.1f}")


if __name__ == "__main__":
    sys.exit(main())
