"""The hostile-server suite: misbehaving web servers on 127.0.0.1 against a real newsclean.

``python -m newsclean.crawler.hostile`` runs every case (or the named ones, ``--list`` lists
them, ``--fast`` skips the slow ones) and prints a table: case, held or not, a figure (what
was measured), seconds. The exit code is 1 when any case did not hold. Every request the
suite makes goes to 127.0.0.1: each case starts its own server there and crawls only it.

Adding a case is one function in a ``cases_*.py`` module of this package (every such module
is imported when the suite runs; one module per topic keeps parallel work apart)::

    from newsclean.crawler.hostile import Ctx, Outcome, case

    @case("feed-is-junk", bound=60)
    def feed_is_junk(ctx: Ctx) -> Outcome:
        server = ctx.serve()                                   # a HostileServer on 127.0.0.1
        server.page("/feed.xml", b"<rss><channel><item>", "application/rss+xml")
        run = ctx.crawl(server.url("/feed.xml"))               # a real `newsclean crawl --url`
        n = run.count("newsclean/discovery/invalid/feed")
        return Outcome(n == 1 and run.code == 0, f"invalid/feed={n}, exit {run.code}")

``bound`` is the case's time bound in seconds: a crawl still running then is killed (its
whole process group) and the case does not hold. ``slow=True`` marks cases that take more
than a few seconds (``--fast`` and the quick tests skip them). A case may also fail by
raising (an AssertionError's message becomes its figure). Servers answer with
:class:`Reply` objects, plain bytes, or a function that writes to the socket itself
(``Raw``) for servers that stall, cut bodies short or lie about lengths.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import orjson

HOST = "127.0.0.1"


# -- outcomes and the registry ---------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Outcome:
    """What a case found: whether newsclean held, and the figure that shows it."""

    held: bool
    figure: str


@dataclass(frozen=True, slots=True)
class Case:
    name: str
    func: Callable[[Ctx], Outcome]
    bound: float
    slow: bool
    doc: str


CASES: dict[str, Case] = {}


def case(name: str, *, bound: float = 60.0, slow: bool = False) -> Callable[[Callable[[Ctx], Outcome]], Callable[[Ctx], Outcome]]:
    """Register a hostile case under ``name`` (see the module docstring)."""
    def register(func: Callable[[Ctx], Outcome]) -> Callable[[Ctx], Outcome]:
        if name in CASES:
            raise ValueError(f"hostile case {name!r} registered twice")
        doc = (func.__doc__ or "").strip().split("\n")[0]
        CASES[name] = Case(name, func, bound, slow, doc)
        return func
    return register


def load_cases() -> dict[str, Case]:
    """Import every ``cases_*`` module of this package; the registry, by name."""
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("cases_"):
            importlib.import_module(f"{__name__}.{info.name}")
    return CASES


# -- the misbehaving server -------------------------------------------------------------------

@dataclass(slots=True)
class Reply:
    """An HTTP answer. ``length`` overrides Content-Length (None: the body's length; -1: none
    sent, the body ends when the connection closes)."""

    body: bytes = b""
    status: int = 200
    ctype: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    length: int | None = None


@dataclass(frozen=True, slots=True)
class Raw:
    """A handler that writes the whole answer itself (``handler.wfile``), or nothing."""

    write: Callable[[BaseHTTPRequestHandler], None]


@dataclass(frozen=True, slots=True)
class Hit:
    method: str
    path: str
    host: str
    headers: dict[str, str]


Answer = Reply | Raw | bytes | str
Route = Callable[[re.Match[str], "Hit"], Answer]


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
        pass

    def do_GET(self) -> None:  # noqa: N802
        self._serve(True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(False)

    def _serve(self, with_body: bool) -> None:
        hit = Hit(self.command, self.path, self.headers.get("Host", ""), dict(self.headers.items()))
        self.server.record(hit)
        answer = self.server.answer(hit)
        if isinstance(answer, Raw):
            self.close_connection = True
            try:
                answer.write(self)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        if isinstance(answer, str):
            answer = answer.encode()
        if isinstance(answer, bytes):
            answer = Reply(answer)
        try:
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.ctype)
            for k, v in answer.headers.items():
                self.send_header(k, v)
            length = len(answer.body) if answer.length is None else answer.length
            if length >= 0:
                self.send_header("Content-Length", str(length))
            else:
                self.close_connection = True
                self.send_header("Connection", "close")
            self.end_headers()
            if with_body and answer.body:
                self.wfile.write(answer.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__((HOST, 0), _Handler)
        self.routes: list[tuple[re.Pattern[str], Route]] = []
        self.hits: list[Hit] = []
        self.lock = threading.Lock()

    def record(self, hit: Hit) -> None:
        with self.lock:
            self.hits.append(hit)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass   # a crawler hanging up on a hostile answer is the point, not news

    def answer(self, hit: Hit) -> Answer:
        path = hit.path.split("?", 1)[0]
        for pattern, route in self.routes:
            m = pattern.fullmatch(hit.path) or pattern.fullmatch(path)
            if m:
                return route(m, hit)
        return Reply(b"<html><body>not found</body></html>", status=404)


class HostileServer:
    """An HTTP server on 127.0.0.1 that answers each path as its routes say.

    ``page(path, body)`` serves fixed bytes; ``route(regex, fn)`` answers every path matching
    ``regex`` (the whole path, query included or not) with ``fn(match, hit)``. The first
    matching route wins; unmatched paths are 404. Every request is kept in :attr:`hits`.
    """

    def __init__(self) -> None:
        self._server = _Server()
        self.base_url = f"http://{HOST}:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="hostile-server", daemon=True)
        self._thread.start()

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    def page(self, path: str, body: Answer, ctype: str | None = None) -> HostileServer:
        if ctype is not None:
            body = Reply(body.encode() if isinstance(body, str) else body, ctype=ctype)  # type: ignore[arg-type]
        return self.route(re.escape(path), lambda m, h, _a=body: _a)

    def sitemap(self, urls: Iterable[str]) -> str:
        """Serve ``/sitemap.xml`` listing ``urls``; its URL, to start a crawl from."""
        self.page("/sitemap.xml", urlset(urls), XML)
        return self.url("/sitemap.xml")

    def route(self, pattern: str, fn: Route) -> HostileServer:
        self._server.routes.append((re.compile(pattern), fn))
        return self

    @property
    def hits(self) -> list[Hit]:
        with self._server.lock:
            return list(self._server.hits)

    def count(self, pattern: str = ".*") -> int:
        """Requests whose path matches ``pattern`` (a regex searched in the path)."""
        rx = re.compile(pattern)
        return sum(1 for h in self.hits if rx.search(h.path))

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


# -- running newsclean -------------------------------------------------------------------------

#: Settings of every suite crawl: a local server needs no politeness delays, and a failure
#: should show at once rather than after retries.
CRAWL_SETTINGS: dict[str, str] = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "RETRY_TIMES": "0",
    "NEWSCLEAN_CLEAN_WORKERS": "1",
    "NEWSCLEAN_PROGRESS_INTERVAL": "-1",
    "LOG_LEVEL": "WARNING",
}


@dataclass(slots=True)
class Run:
    """One finished (or killed) newsclean process."""

    args: list[str]
    code: int | None
    stdout: str
    stderr: str
    seconds: float
    timed_out: bool
    out: Path | None = None

    @property
    def manifest(self) -> dict[str, Any] | None:
        """The run's manifest (the newest, when there are several), or None."""
        if self.out is None:
            return None
        paths = sorted((self.out / "manifests").glob("*.json"), key=lambda p: p.stat().st_mtime)
        return orjson.loads(paths[-1].read_bytes()) if paths else None

    @property
    def counts(self) -> dict[str, int]:
        return (self.manifest or {}).get("counts", {})

    def count(self, key: str) -> int:
        """A stats key of the manifest (0 when absent); a key ending in ``/`` sums its children."""
        if key.endswith("/"):
            return sum(v for k, v in self.counts.items() if k.startswith(key))
        return int(self.counts.get(key, 0))

    def records(self, kind: str = "articles") -> list[dict[str, Any]]:
        """Every line of the committed part files (``articles`` or ``rejects``)."""
        if self.out is None:
            return []
        lines = []
        for path in sorted((self.out / kind).rglob("*.jsonl")):
            if not path.name.startswith("."):
                lines += [orjson.loads(line) for line in path.read_bytes().splitlines()]
        return lines

    @property
    def tracebacks(self) -> int:
        return self.stderr.count("Traceback (most recent call last)")

    def last_line(self) -> str:
        lines = self.stderr.strip().splitlines()
        return lines[-1] if lines else ""

    def __str__(self) -> str:
        state = "killed at the bound" if self.timed_out else f"exit {self.code}"
        return f"{state} after {self.seconds:.1f}s"


class Ctx:
    """What a case works with: servers, a scratch directory, and newsclean runs within the bound."""

    def __init__(self, name: str, bound: float) -> None:
        self.name = name
        self.bound = bound
        self.started = time.monotonic()
        self.tmp = Path(tempfile.mkdtemp(prefix=f"newsclean-hostile-{name}-"))
        self._servers: list[HostileServer] = []

    def remaining(self) -> float:
        return max(0.0, self.bound - (time.monotonic() - self.started))

    def serve(self) -> HostileServer:
        server = HostileServer()
        self._servers.append(server)
        return server

    def newsclean(self, *args: str, **kwargs: Any) -> Run:
        """Run ``newsclean ARGS`` (see :meth:`run`)."""
        return self.run([sys.executable, "-m", "newsclean.crawler.commands.cli", *args], **kwargs)

    def run(self, cmd: list[str], *, timeout: float | None = None, env: dict[str, str] | None = None,
            preexec: Callable[[], None] | None = None, out: Path | None = None) -> Run:
        """Run ``cmd`` in the scratch directory as its own process group, killed (the whole
        group) when the case's time bound is reached. ``out``: the output directory it writes."""
        limit = self.remaining() if timeout is None else min(timeout, self.remaining())
        full_env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}   # 127.0.0.1 only
        full_env.update(env or {})
        args = cmd[3:] if cmd[:3] == [sys.executable, "-m", "newsclean.crawler.commands.cli"] else cmd
        t0 = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=full_env,
                                cwd=self.tmp, start_new_session=True, preexec_fn=preexec)
        timed_out = False
        try:
            stdout, stderr = proc.communicate(timeout=max(limit, 0.1))
        except subprocess.TimeoutExpired:
            timed_out = True
            _kill_group(proc)
            stdout, stderr = proc.communicate()
        return Run(list(args), None if timed_out else proc.returncode, stdout, stderr,
                   time.monotonic() - t0, timed_out, out)

    def crawl(self, *urls: str, settings: dict[str, Any] | None = None, args: Iterable[str] = (),
              out: Path | None = None, **kwargs: Any) -> Run:
        """``newsclean crawl --url URL... --out DIR`` with :data:`CRAWL_SETTINGS` and ``settings``."""
        out = out or self.tmp / "out"
        return self.newsclean(*crawl_args(urls, out, settings, args), out=out, **kwargs)

    def close(self) -> None:
        for server in self._servers:
            server.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)


def crawl_args(urls: Iterable[str], out: Path, settings: dict[str, Any] | None = None,
               args: Iterable[str] = ()) -> list[str]:
    """The arguments of ``newsclean crawl --url URL... --out OUT`` with the suite's settings."""
    cmd = ["crawl", *[a for u in urls for a in ("--url", u)], "--out", str(out), *args]
    for k, v in {**CRAWL_SETTINGS, **(settings or {})}.items():
        cmd += ["-s", f"{k}={v}"]
    return cmd


def _kill_group(proc: subprocess.Popen[str]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


# -- running cases -----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Result:
    name: str
    held: bool
    figure: str
    seconds: float


def run_case(c: Case) -> Result:
    """Run one case within its bound (plus a little grace for the case's own checks)."""
    ctx = Ctx(c.name, c.bound)
    box: list[Outcome] = []

    def target() -> None:
        try:
            box.append(c.func(ctx))
        except AssertionError as exc:
            box.append(Outcome(False, str(exc) or "assertion failed"))
        except Exception as exc:  # noqa: BLE001 - a case's own crash is a finding, not the suite's end
            box.append(Outcome(False, f"case error: {type(exc).__name__}: {exc}"))

    t0 = time.monotonic()
    thread = threading.Thread(target=target, name=f"hostile-{c.name}", daemon=True)
    thread.start()
    thread.join(c.bound + 10)
    seconds = time.monotonic() - t0
    try:
        if not box:
            return Result(c.name, False, f"did not finish within {c.bound:.0f}s", seconds)
        return Result(c.name, box[0].held, " ".join(box[0].figure.split()), seconds)
    finally:
        ctx.close()


def run_cases(names: Iterable[str] | None = None, *, fast: bool = False,
              report: Callable[[Result], None] | None = None) -> list[Result]:
    """Run the named cases (all when None; ``fast``: skip slow ones); results in order."""
    cases = load_cases()
    chosen = [cases[n] for n in names] if names else [c for c in cases.values() if not (fast and c.slow)]
    results = []
    for c in chosen:
        result = run_case(c)
        results.append(result)
        if report:
            report(result)
    return results


def table(results: list[Result]) -> str:
    width = max([len("case")] + [len(r.name) for r in results])
    lines = [f"{'case':{width}}  held  {'seconds':>7}  figure"]
    for r in results:
        lines.append(f"{r.name:{width}}  {'yes' if r.held else 'NO':4}  {r.seconds:7.1f}  {r.figure}")
    return "\n".join(lines)


# -- content for cases -------------------------------------------------------------------------

_WORDS = ("harbour council budget river school bridge station market doctors rain farmers court "
          "museum ferry teachers library clinic road storm festival workers mayor hospital").split()


def article_html(n: int, title: str | None = None) -> bytes:
    """A plain news article page that the cleaners accept; ``n`` varies its words."""
    title = title or f"Report number {n} on the {_WORDS[n % len(_WORDS)]}"
    paras = []
    for p in range(4):
        words = [_WORDS[(n * 7 + p * 3 + i * i) % len(_WORDS)] for i in range(45)]
        paras.append(f"<p>On day {n} the {' '.join(words)} said officials in part {p}.</p>")
    day = 1 + n % 28
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="article:published_time" content="2026-01-{day:02d}T08:00:00+00:00"></head>'
            f'<body><nav><a href="/">Home</a></nav><article><h1>{title}</h1><p class="byline">By Staff Writer</p>'
            f'{"".join(paras)}</article></body></html>').encode()


def urlset(urls: Iterable[str]) -> bytes:
    """A sitemap urlset listing ``urls``."""
    body = "".join(f"<url><loc>{u}</loc></url>" for u in urls)
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>'.encode()


def sitemap_index(urls: Iterable[str]) -> bytes:
    """A sitemap index listing the child sitemaps ``urls``."""
    body = "".join(f"<sitemap><loc>{u}</loc></sitemap>" for u in urls)
    return (f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f'{body}</sitemapindex>').encode()


XML = "application/xml; charset=utf-8"
