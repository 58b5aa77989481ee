"""A small static HTTP server for the bundled demo site (and for tests and benchmarks).

Serves a directory on 127.0.0.1: ``/x/`` from ``x/index.html`` (or ``x/index.xml``), other
paths from the file of that name. The token ``__BASE__`` in text files becomes the server's
origin, so sitemaps and feeds carry absolute URLs for whatever port it got. It answers
conditional requests (ETag / Last-Modified -> 304) like a real web server, and keeps a log
of the requests it served so tests can assert what a crawl fetched. With ``public_url`` its pages
spell that origin instead, and the server answers as an HTTP proxy for it (``newsclean demo``:
the records' URLs and ids are then the same whatever port the server got).

``python -m newsclean.crawler.commands.demo [--root DIR] [--port N]`` serves in the foreground.
"""

from __future__ import annotations

import argparse
import email.utils
import hashlib
import mimetypes
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

DEMO_SITE = Path(__file__).resolve().parent.parent / "demo_site"
_TEXT_SUFFIXES = {".html", ".htm", ".xml", ".txt", ".rss", ".atom", ".json"}
_TYPES = {".html": "text/html; charset=utf-8", ".xml": "application/xml; charset=utf-8",
          ".txt": "text/plain; charset=utf-8", ".rss": "application/rss+xml; charset=utf-8",
          ".atom": "application/atom+xml; charset=utf-8"}


@dataclass(frozen=True, slots=True)
class Hit:
    method: str
    path: str
    status: int
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)   # when it was asked for (time.monotonic)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet by default
        pass

    def _resolve(self, path: str) -> Path | None:
        root = self.server.root
        rel = unquote(urlsplit(path).path).lstrip("/")
        target = (root / rel).resolve()
        if root not in target.parents and target != root:
            return None   # no escaping the root with ../
        if target.is_dir():
            for index in ("index.html", "index.xml"):
                if (target / index).is_file():
                    return target / index
            return None
        return target if target.is_file() else None

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(body=False)

    def do_GET(self) -> None:  # noqa: N802
        self._serve(body=True)

    def _serve(self, body: bool) -> None:
        status, headers, payload = self._answer()
        self.server.record(Hit(self.command, self.path, status, dict(self.headers.items())))
        stall = self.server.take_stall(urlsplit(self.path).path)
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if body and payload:
            try:
                if stall is not None:   # part of the body, then silence (a slow archive)
                    after, seconds = stall
                    self.wfile.write(payload[:after])
                    self.wfile.flush()
                    time.sleep(seconds)
                    payload = payload[after:]
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass   # the client gave up waiting

    def _answer(self) -> tuple[int, dict[str, str], bytes]:
        path = urlsplit(self.path).path
        if path in self.server.redirects:
            return 302, {"Location": self.server.redirects[path], "Content-Type": "text/plain"}, b""
        forced = self.server.forced_status.get(path)
        if forced:
            return forced, {"Content-Type": "text/plain"}, f"error {forced}\n".encode()
        file = self._resolve(self.path)
        if file is None:
            return 404, {"Content-Type": "text/html; charset=utf-8"}, b"<html><body><h1>Not found</h1></body></html>"
        data = file.read_bytes()
        if file.suffix in _TEXT_SUFFIXES:
            data = data.replace(b"__BASE__", self.server.base_url.encode())
        ctype = _TYPES.get(file.suffix) or mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
        mtime = int(file.stat().st_mtime)
        headers = {"Content-Type": ctype, "ETag": etag,
                   "Last-Modified": email.utils.formatdate(mtime, usegmt=True)}
        if self.headers.get("If-None-Match") == etag:
            return 304, headers, b""
        since = self.headers.get("If-Modified-Since")
        if since and not self.headers.get("If-None-Match"):
            try:
                if email.utils.parsedate_to_datetime(since).timestamp() >= mtime:
                    return 304, headers, b""
            except (TypeError, ValueError):
                pass
        return 200, headers, data


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    root: Path
    base_url: str

    def __init__(self, root: Path, host: str, port: int, public_url: str | None = None) -> None:
        super().__init__((host, port), _Handler)
        self.root = root.resolve()
        self.address = f"http://{host}:{self.server_address[1]}"
        self.base_url = (public_url or self.address).rstrip("/")
        self.hits: list[Hit] = []
        self.forced_status: dict[str, int] = {}
        self.redirects: dict[str, str] = {}
        self.stalls: dict[str, list[tuple[int, float]]] = {}
        self._lock = threading.Lock()

    def take_stall(self, path: str) -> tuple[int, float] | None:
        with self._lock:
            pending = self.stalls.get(path)
            return pending.pop(0) if pending else None

    def record(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)


class DemoServer:
    """Serve ``root`` on ``host`` in a background thread; a context manager.

    >>> with DemoServer() as server:
    ...     server.base_url  # doctest: +SKIP
    'http://127.0.0.1:43125'
    """

    def __init__(self, root: Path | str = DEMO_SITE, *, host: str = "127.0.0.1", port: int = 0,
                 public_url: str | None = None) -> None:
        self._server = _Server(Path(root), host, port, public_url)
        self._thread = threading.Thread(target=self._server.serve_forever, name="demo-server", daemon=True)

    @property
    def base_url(self) -> str:
        """The site's origin as its pages spell it: ``public_url`` if given, else the address."""
        return self._server.base_url

    @property
    def address(self) -> str:
        """Where the server listens (``http://127.0.0.1:PORT``): an HTTP proxy for ``public_url``."""
        return self._server.address

    @property
    def hits(self) -> list[Hit]:
        with self._server._lock:
            return list(self._server.hits)

    def force_status(self, path: str, status: int) -> None:
        """Answer ``path`` with ``status`` from now on (tests of failing sites)."""
        self._server.forced_status[path] = status

    def stall(self, path: str, after_bytes: int, seconds: float, times: int = 1) -> None:
        """The next ``times`` answers to ``path`` send ``after_bytes`` of the body, then wait
        ``seconds`` before the rest (tests of slow servers)."""
        with self._server._lock:
            self._server.stalls.setdefault(path, []).extend([(after_bytes, seconds)] * times)

    def redirect(self, path: str, location: str) -> None:
        """Answer ``path`` with a 302 to ``location`` (tests of redirects)."""
        self._server.redirects[path] = location

    def start(self) -> DemoServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m newsclean.crawler.commands.demo", description=__doc__.split("\n")[0])
    parser.add_argument("--root", default=str(DEMO_SITE), help="directory to serve (default: the demo site)")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    # one line and exit 2, as newsclean's commands say a usage error: a port in use was a traceback
    if not Path(args.root).is_dir():
        parser.exit(2, f"{parser.prog}: error: --root {args.root}: not a directory\n")
    try:
        server = DemoServer(args.root, port=args.port)
    except (OSError, OverflowError) as exc:   # in use, not ours to bind, out of range
        parser.exit(2, f"{parser.prog}: error: --port {args.port}: cannot serve there: "
                       f"{getattr(exc, 'strerror', None) or exc}\n")
    print(f"serving {args.root} at {server.base_url}/ (Ctrl-C to stop)", flush=True)
    try:
        server._server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
