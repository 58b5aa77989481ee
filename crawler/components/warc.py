"""The raw archive: every fetched response (and its request) in a WARC file, and reading it back.

Writing (``NEWSCLEAN_WARC_ENABLED`` / ``newsclean crawl --warc``): :class:`WarcMiddleware` sits
next to the downloader (order 950, after every built-in middleware), so it sees each response as
it came off the wire: redirects and retried answers included, bodies still content-encoded, and
robots.txt, sitemaps and feeds as well as articles. :class:`WarcFileWriter` writes a
``warcinfo`` record, then one ``request`` + ``response`` pair per fetch, each record its own gzip
member (``warcio``'s ``WARCWriter(gzip=True)``) and flushed, so a killed crawl leaves every
complete record readable. Compressing and writing happen on one writer thread: the reactor only
copies headers and hands the body over.

The file is ``OUT/warc/<run_id>-<site>.warc.gz.open`` while the crawl runs and is renamed to
``<run_id>-<site>.warc.gz`` when the spider closes: a name without ``.open`` is complete. A killed
run leaves the ``.open`` file; ``newsclean clean`` reads it too (a cut last record is reported and
skipped). Two headers beyond the WARC standard tell ``newsclean clean`` what the crawl did with a
response: ``Newsclean-Site`` (the site's registry name) and ``Newsclean-Kind`` (``article``,
``sitemap``, ``feed``, ``section``, ...).

Reading: :func:`iter_warc` yields the response records of a WARC file and, for damaged parts
(truncated file, corrupt record, a gzip member cut short), a :class:`WarcProblem` with the
offset; it then resumes at the next gzip member (or ``WARC/`` header line), so one bad record
does not hide the rest of the file.
"""

from __future__ import annotations

import logging
import mmap
import os
import queue
import tempfile
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date, iso_date_to_datetime
from warcio.warcwriter import WARCWriter

from newsclean.cleaners.reading.encoding import decode

logger = logging.getLogger(__name__)

STAT_RECORDS = "newsclean/warc/records"
STAT_BYTES = "newsclean/warc/bytes"
STAT_FILES = "newsclean/warc/files"
STAT_ERROR = "newsclean/warc/error"

SITE_HEADER = "Newsclean-Site"
KIND_HEADER = "Newsclean-Kind"

#: Fetches waiting for the writer thread. Past this the reactor waits for the disk
#: (back-pressure) instead of holding an unbounded backlog of bodies in memory.
QUEUE_SIZE = 256

# Hop-by-hop framing Scrapy has already undone: the stored body is de-chunked, so the header
# would make readers try to de-chunk it again.
_DROP_RESPONSE_HEADERS = {"transfer-encoding"}


def _str_headers(items: Any) -> list[tuple[str, str]]:
    """Scrapy ``Headers.items()`` (bytes name -> list of bytes values) as WARC header pairs."""
    out = []
    for name, values in items:
        key = name.decode("latin-1") if isinstance(name, bytes) else str(name)
        for value in values if isinstance(values, list) else [values]:
            out.append((key, value.decode("latin-1") if isinstance(value, bytes) else str(value)))
    return out


@dataclass(slots=True)
class Exchange:
    """One fetch as the writer thread needs it (plain data, copied on the reactor thread)."""

    url: str
    method: str
    request_headers: list[tuple[str, str]]
    request_body: bytes
    protocol: str
    status: int
    response_headers: list[tuple[str, str]]
    body: bytes
    fetched_at: datetime
    ip_address: str | None = None
    site: str | None = None
    kind: str | None = None
    truncated: str | None = None   # WARC-Truncated's reason ("length"): the body is what came before the stop


class WarcFileWriter:
    """Append request/response pairs to one gzip WARC file on a writer thread.

    ``stats``: anything with ``set_value``/``get_value`` (Scrapy's stats), or None. The keys are
    created up front, so the writer thread only updates existing entries.
    """

    def __init__(self, path: Path, *, software: str, run_id: str, stats: Any = None,
                 info: dict[str, str] | None = None) -> None:
        self.path = Path(path)
        self.open_path = self.path.with_name(self.path.name + ".open")
        self.stats = stats
        self.records = 0
        self.bytes = 0
        self.error: str | None = None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = open(self.open_path, "xb")
        self._writer = WARCWriter(self._fh, gzip=True, warc_version="1.1")
        self._queue: queue.Queue[Exchange | None] = queue.Queue(QUEUE_SIZE)
        if stats is not None:
            stats.set_value(STAT_RECORDS, 0)
            stats.set_value(STAT_BYTES, 0)
        fields = {"software": software, "format": "WARC File Format 1.1", "isPartOf": run_id,
                  "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
                  **(info or {})}
        self._write(self._writer.create_warcinfo_record(self.path.name, fields))
        self._thread = threading.Thread(target=self._run, name="newsclean-warc", daemon=True)
        self._thread.start()

    def add(self, exchange: Exchange) -> None:
        """Queue one fetch for writing (blocks only while the writer is QUEUE_SIZE behind)."""
        if self.error is None:
            self._queue.put(exchange)

    def _write(self, record: Any) -> None:
        self._writer.write_record(record)
        self._flushed(1)

    def _flushed(self, records: int) -> None:
        self._fh.flush()   # each member is complete in the file before the next one starts
        self.records += records
        self.bytes = self._fh.tell()
        if self.stats is not None:
            self.stats.set_value(STAT_RECORDS, self.records)
            self.stats.set_value(STAT_BYTES, self.bytes)

    def _run(self) -> None:
        while True:
            exchange = self._queue.get()
            if exchange is None:
                return
            if self.error is not None:
                continue   # drain: the producer must never block on a dead writer
            try:
                self._write_exchange(exchange)
            except Exception as exc:  # noqa: BLE001 — a dead writer thread would block the crawl
                self.error = f"{self.open_path}: {type(exc).__name__}: {exc}"
                logger.error("WARC archive not written any further: %s", self.error)
                if self.stats is not None:
                    self.stats.set_value(STAT_ERROR, self.error)

    def _write_exchange(self, ex: Exchange) -> None:
        date = datetime_to_iso_date(ex.fetched_at.astimezone(timezone.utc).replace(tzinfo=None), use_micros=True)
        warc_headers = {"WARC-Date": date}
        if ex.ip_address:
            warc_headers["WARC-IP-Address"] = ex.ip_address
        if ex.site:
            warc_headers[SITE_HEADER] = ex.site
        if ex.kind:
            warc_headers[KIND_HEADER] = ex.kind
        if ex.truncated:
            warc_headers["WARC-Truncated"] = ex.truncated
        try:
            reason = HTTPStatus(ex.status).phrase
        except ValueError:
            reason = ""
        headers = [(k, v) for k, v in ex.response_headers if k.lower() not in _DROP_RESPONSE_HEADERS]
        http = StatusAndHeaders(f"{ex.status} {reason}".strip(), headers, protocol=ex.protocol)
        response = self._writer.create_warc_record(ex.url, "response", payload=BytesIO(ex.body),
                                                   length=len(ex.body), http_headers=http,
                                                   warc_headers_dict=dict(warc_headers))
        parts = urlsplit(ex.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        req_headers = list(ex.request_headers)
        if not any(k.lower() == "host" for k, _ in req_headers):
            req_headers.insert(0, ("Host", parts.netloc))   # Twisted adds it when sending
        req_http = StatusAndHeaders(f"{ex.method} {target} {ex.protocol}", req_headers, is_http_request=True)
        request = self._writer.create_warc_record(ex.url, "request", payload=BytesIO(ex.request_body),
                                                  length=len(ex.request_body), http_headers=req_http,
                                                  warc_headers_dict={"WARC-Date": date})
        # The pair shares Target-URI and Date; the request names its response (Concurrent-To).
        self._writer.write_request_response_pair(request, response)
        self._flushed(2)

    def close(self) -> Path:
        """Write what is queued, fsync, and rename the file to its final name."""
        self._queue.put(None)
        self._thread.join()
        try:
            self._fh.flush()
            os.fsync(self._fh.fileno())
        finally:
            self._fh.close()
        os.replace(self.open_path, self.path)
        return self.path


def request_kind(request: Any) -> str | None:
    """What the crawl fetched: the spider's ``newsclean_kind``, or ``robots`` for the fetch
    Scrapy's robots.txt middleware makes itself (no kind of ours; the spider's own request for
    the file is served that answer and not archived again)."""
    kind = request.meta.get("newsclean_kind")
    if kind is None and request.meta.get("dont_obey_robotstxt"):
        asked = request.meta.get("redirect_urls", [request.url])[0]   # the URL Scrapy built
        if urlsplit(asked).path == "/robots.txt":
            return "robots"
    return kind


class WarcMiddleware:
    """Downloader middleware: archive every fetched response and its request (see module doc)."""

    def __init__(self, writer: WarcFileWriter, crawler: Any = None) -> None:
        self.writer = writer
        self.crawler = crawler
        self.site: str | None = None
        self.reused_flag = "robots.txt reused"   # middlewares.ROBOTS_REUSED (not imported: `clean` reads WARCs without Scrapy)

    @classmethod
    def from_crawler(cls, crawler: Any) -> WarcMiddleware:
        from scrapy import signals
        from scrapy.exceptions import NotConfigured

        from newsclean.output import new_run_id, versions

        s = crawler.settings
        if not s.getbool("NEWSCLEAN_WARC_ENABLED"):
            raise NotConfigured  # off by setting: nothing to warn about
        if not s.get("NEWSCLEAN_OUTPUT_DIR"):
            raise NotConfigured("the WARC archive needs an output directory (NEWSCLEAN_OUTPUT_DIR)")
        run_id = s.get("NEWSCLEAN_RUN_ID") or new_run_id()
        spider = getattr(crawler.spidercls, "name", None) or "crawl"
        path = Path(s["NEWSCLEAN_OUTPUT_DIR"]) / "warc" / f"{run_id}-{spider}.warc.gz"
        v = versions()
        software = f"newsclean/{v.get('newsclean', '?')} (Scrapy {v.get('scrapy', '?')})"
        writer = WarcFileWriter(path, software=software, run_id=run_id, stats=crawler.stats,
                                info={"http-header-user-agent": s.get("USER_AGENT") or "",
                                      "robots": "obey" if s.getbool("ROBOTSTXT_OBEY") else "ignore"})
        o = cls(writer, crawler)
        crawler.signals.connect(o.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(o.spider_closed, signal=signals.spider_closed)
        return o

    def spider_opened(self, spider: Any) -> None:
        site = getattr(spider, "site", None)
        self.site = getattr(site, "name", None) or spider.name

    def process_response(self, request: Any, response: Any) -> Any:
        if self.reused_flag in response.flags:
            return response   # robots.txt served again: archived when the robots.txt middleware fetched it
        latency = request.meta.get("download_latency")
        now = datetime.now(timezone.utc)
        # WARC-Date is when capture began: the request went out `latency` seconds ago.
        fetched_at = now - timedelta(seconds=latency) if isinstance(latency, (int, float)) else now
        self.writer.add(Exchange(
            url=response.url, method=request.method, request_headers=_str_headers(request.headers.items()),
            request_body=request.body or b"", protocol=getattr(response, "protocol", None) or "HTTP/1.1",
            status=response.status, response_headers=_str_headers(response.headers.items()),
            body=response.body, fetched_at=fetched_at,
            ip_address=str(response.ip_address) if getattr(response, "ip_address", None) else None,
            site=self.site, kind=request_kind(request),
            # a download stopped on purpose (a robots.txt past its first 500 KiB, StopDownload(fail=False))
            # holds its first bytes only: WARC 1.1 says so with WARC-Truncated, else a reader takes them for the file
            truncated="length" if "download_stopped" in response.flags else None,
        ))
        return response

    def spider_closed(self, spider: Any) -> None:
        path = self.writer.close()
        stats = self.crawler.stats
        root = Path(self.crawler.settings["NEWSCLEAN_OUTPUT_DIR"])
        # The manifest lists it with the part files.
        stats.set_value(STAT_FILES, [str(path.relative_to(root))])
        logger.info("WARC archive: %s (%d records, %d bytes)", path, self.writer.records, self.writer.bytes)


# -- reading ---------------------------------------------------------------------------------

@dataclass(slots=True)
class WarcResponse:
    """A response record: where it is, what was fetched when, and the decoded payload."""

    offset: int
    url: str
    fetched_at: datetime
    status: int
    headers: list[tuple[str, str]]
    body: bytes                     # transfer- and content-decoding undone
    site: str | None
    kind: str | None


@dataclass(slots=True)
class WarcProblem:
    """A damaged part of a WARC file, skipped."""

    offset: int
    message: str


def _resync(data: Any, start: int, gz: bool) -> int:
    """Offset of the next record after ``start`` (the next gzip member / WARC header), or -1."""
    if gz:
        return data.find(b"\x1f\x8b\x08", start + 1)
    hit = data.find(b"\nWARC/1.", start + 1)
    return hit + 1 if hit >= 0 else -1


def read_record(record: Any, offset: int) -> WarcResponse | None:
    """The response in ``record`` (None for other records), after reading the record whole."""
    if record.format == "warc" and record.rec_headers.get_header("Content-Length") is None:
        # warcio takes a header block cut by the end of the file as a whole one.
        raise EOFError("record truncated: its WARC headers end without a Content-Length")
    is_response = record.rec_type == "response" and record.http_headers is not None
    body = record.content_stream().read() if is_response else b""
    while record.raw_stream.read(1 << 16):
        pass
    # A record cut short (truncated file, gzip member cut) ends before its Content-Length.
    missing = getattr(record.raw_stream, "limit", 0)
    if missing:
        raise EOFError(f"record truncated: {missing} bytes of its block missing")
    if not is_response:
        return None
    h = record.rec_headers
    date = h.get_header("WARC-Date") or ""
    try:
        fetched_at = iso_date_to_datetime(date).replace(tzinfo=timezone.utc)
    except (ValueError, TypeError, IndexError) as exc:
        raise ValueError(f"bad WARC-Date {date!r}") from exc
    try:
        status = int(record.http_headers.get_statuscode() or 0)
    except ValueError:
        raise ValueError(f"bad HTTP status line {record.http_headers.statusline!r}") from None
    return WarcResponse(offset=offset, url=h.get_header("WARC-Target-URI") or "", fetched_at=fetched_at,
                        status=status, headers=list(record.http_headers.headers), body=body,
                        site=h.get_header(SITE_HEADER), kind=h.get_header(KIND_HEADER))


_HTML_TYPES = ("text/html", "application/xhtml")


def html_of(item: WarcResponse) -> str | None:
    """The page text of a 2xx HTML response record, read exactly as a crawl's spider reads it
    (Scrapy's response class from the headers, cleaners.reading.encoding.decode); None for anything else
    (redirects, errors, 304s, images, feeds): the crawl cleaned none of them."""
    from scrapy.http import Headers, TextResponse
    from scrapy.responsetypes import responsetypes

    if not 200 <= item.status < 300:
        return None
    # The body is already decoded: its encoding headers would make Scrapy decode it again.
    headers = Headers([(k, v) for k, v in item.headers
                       if k.lower() not in ("content-encoding", "transfer-encoding")])
    cls = responsetypes.from_args(headers=headers, url=item.url, body=item.body)
    response = cls(url=item.url, status=item.status, headers=headers, body=item.body)
    ctype = (headers.get(b"Content-Type") or b"").decode("latin-1").lower()
    if not isinstance(response, TextResponse) or (ctype and not any(t in ctype for t in _HTML_TYPES)):
        return None
    return decode(item.body, ctype or None)   # the spider's charset rules (cleaners.reading.encoding)


def _problem(offset: int, exc: BaseException) -> WarcProblem:
    message = " ".join(str(exc).split())[:160] or type(exc).__name__
    return WarcProblem(offset, f"{type(exc).__name__}: {message}")


#: Decompressed bytes of one gzip member held in memory before spilling to a temporary file
#: (a WARC written as one gzip stream is a single huge member).
_SPOOL = 64 << 20
_CHUNK = 1 << 16


def _gzip_members(data: Any, size: int) -> Iterator[tuple[int, Any] | WarcProblem]:
    """(offset, decompressed stream) per gzip member; a problem for a corrupt or cut member,
    after which reading resumes at the next gzip header."""
    pos = 0
    while 0 <= pos < size:
        d = zlib.decompressobj(wbits=31)
        out = tempfile.SpooledTemporaryFile(_SPOOL)
        at = pos
        try:
            while not d.eof and at < size:
                out.write(d.decompress(data[at:at + _CHUNK]))
                at += _CHUNK
        except zlib.error as exc:
            out.close()
            yield WarcProblem(pos, f"corrupt gzip member: {exc}")
            pos = _resync(data, pos, gz=True)
            continue
        if not d.eof:
            out.close()
            yield WarcProblem(pos, f"gzip member cut short ({size - pos} bytes, end of file)")
            return
        out.seek(0)
        yield pos, out
        end = min(at, size) - len(d.unused_data)
        while end < size and data[end:end + 1] in (b"\r", b"\n", b"\x00"):
            end += 1   # padding some writers leave between members
        pos = end


def iter_warc(path: Path | str) -> Iterator[WarcResponse | WarcProblem]:
    """The HTTP response records of a WARC file (``.warc`` or ``.warc.gz``), in file order,
    with a :class:`WarcProblem` for each damaged stretch (reading resumes after it).

    A gzipped WARC is read one gzip member at a time, so a problem's offset is the offset of
    its member, which is the record's own for a per-record-gzip file (as newsclean writes).
    """
    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size == 0:
            yield WarcProblem(0, "empty file")
            return
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
            if data[:2] == b"\x1f\x8b":
                for member in _gzip_members(data, size):
                    if isinstance(member, WarcProblem):
                        yield member
                        continue
                    offset, stream = member
                    with stream:
                        try:
                            for record in ArchiveIterator(stream):
                                if (resp := read_record(record, offset)) is not None:
                                    yield resp
                        except Exception as exc:  # noqa: BLE001 — warcio raises many kinds on bad bytes
                            yield _problem(offset, exc)
                return
            pos = 0
            while 0 <= pos < size:
                fh.seek(pos)
                it = ArchiveIterator(fh)
                offset = pos
                try:
                    for record in it:
                        offset = it.offset
                        if (resp := read_record(record, offset)) is not None:
                            yield resp
                        it.read_to_end()
                        offset = it.offset   # the end of the last whole record
                    if data[offset:size].strip():
                        # warcio ends quietly when a file stops inside a record's WARC headers.
                        yield WarcProblem(offset, f"truncated record: {size - offset} bytes at the end are no whole record")
                    return
                except Exception as exc:  # noqa: BLE001
                    # The error may come while warcio looks for the next record: it.offset is then its start.
                    offset = max(offset, it.offset)
                    yield _problem(offset, exc)
                    pos = _resync(data, offset, gz=False)
                finally:
                    it.close()
