"""Downloader middlewares, and the name resolver that guards every connection."""

from __future__ import annotations

import ipaddress
import logging
import zlib
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any
from urllib.parse import urljoin, urlsplit

from protego import Protego
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest, StopDownload
from scrapy.http import HtmlResponse, Request, Response
from scrapy.http.request import NO_CALLBACK
from scrapy.resolver import HostResolution
from scrapy.robotstxt import ProtegoRobotParser
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.address import IPv4Address as TwistedIPv4Address
from twisted.internet.address import IPv6Address as TwistedIPv6Address
from twisted.internet.defer import Deferred
from twisted.internet.interfaces import IAddress, IHostnameResolver, IHostResolution, IResolutionReceiver
from w3lib.encoding import read_bom
from w3lib.url import safe_url_string
from zope.interface import implementer

from newsclean.cleaners.reading.encoding import decode_with_charset
from newsclean.crawler.components.addresses import IPAddress, parse_ip_literal, refusal
from newsclean.crawler.components.health import ROBOTS_TRUNCATED, ROBOTS_UNAVAILABLE, ROBOTS_UNREACHABLE
from newsclean.crawler.components.logs import broken_answer_said, causes
from newsclean.crawler.spiders.discovery import MAX_DOCUMENT_BYTES, decode_robots, members_head

logger = logging.getLogger(__name__)


def is_private_address(host: str) -> bool:
    """Whether ``host`` is ``localhost`` or spells (in any form, see
    :func:`~newsclean.crawler.components.addresses.parse_ip_literal`) an address a crawler must not reach."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    ip = parse_ip_literal(host)
    return ip is not None and refusal(ip) is not None


def _host_key(host: str) -> str:
    """A host as the guard compares it with the site's hosts (urlsplit's ``hostname`` form)."""
    return host.strip().strip("[]").lower()


def _twisted_address(ip: IPAddress, port: int) -> IAddress:
    if isinstance(ip, ipaddress.IPv6Address):
        return TwistedIPv6Address("TCP", str(ip), port)
    return TwistedIPv4Address("TCP", str(ip), port)


@implementer(IResolutionReceiver)
class _CheckedReceiver:
    """Passes on only the addresses the guard allows for ``host``: the connection is made to
    exactly the addresses that were checked, never to a second answer."""

    def __init__(self, receiver: IResolutionReceiver, guard: GuardedNameResolver, host: str) -> None:
        self.receiver, self.guard, self.host = receiver, guard, host

    def resolutionBegan(self, resolution: IHostResolution) -> None:  # noqa: N802 - Twisted's names
        self.receiver.resolutionBegan(resolution)

    def addressResolved(self, address: IAddress) -> None:  # noqa: N802
        why = self.guard.why_refused(self.host, address)
        if why is None:
            self.receiver.addressResolved(address)
        else:
            logger.debug("not connecting to %s for %s: %s address", getattr(address, "host", address), self.host, why)

    def resolutionComplete(self) -> None:  # noqa: N802
        self.receiver.resolutionComplete()


@implementer(IResolutionReceiver)
class _Collector:
    def __init__(self, guard: GuardedNameResolver, host: str) -> None:
        self.guard, self.host = guard, host
        self.answers: list[tuple[str, str | None]] = []
        self.done: Deferred[list[tuple[str, str | None]]] = Deferred()

    def resolutionBegan(self, resolution: IHostResolution) -> None:  # noqa: N802
        pass

    def addressResolved(self, address: IAddress) -> None:  # noqa: N802
        self.answers.append((str(getattr(address, "host", address)), self.guard.why_refused(self.host, address)))

    def resolutionComplete(self) -> None:  # noqa: N802
        self.done.callback(self.answers)


@implementer(IHostnameResolver)
class GuardedNameResolver:
    """The reactor's name resolver, wrapped: every connection the crawl makes (requests,
    redirects, robots.txt, proxies' tunnels) asks it for addresses, and it hands Twisted only
    the addresses it checked. Refused: loopback, private, link-local (cloud metadata),
    shared, reserved, multicast and unspecified addresses, however the URL spelled them —
    unless the host is one a site names (``trusted``) or private addresses are allowed.

    One per process (the reactor is): the trusted hosts are those of every open spider.
    IP literals in any spelling are read here (:func:`parse_ip_literal`), not by the system
    resolver, so ``[::1]`` and ``2130706433`` are judged as the addresses they are.
    """

    def __init__(self, inner: IHostnameResolver) -> None:
        self.inner = inner
        self.trusted: set[str] = set()
        self.allow_private = False

    @classmethod
    def install(cls, reactor: Any) -> GuardedNameResolver:
        """The guard on ``reactor`` (wrapping whatever resolver ``TWISTED_DNS_RESOLVER`` set up)."""
        current = reactor.nameResolver
        if isinstance(current, cls):
            return current
        guard = cls(current)
        reactor.installNameResolver(guard)
        return guard

    def why_refused(self, host: str, address: IAddress | str) -> str | None:
        """Why ``host`` may not be reached at ``address`` (None: it may)."""
        if self.allow_private or host in self.trusted:
            return None
        text = getattr(address, "host", address)
        try:
            ip = ipaddress.ip_address(str(text))
        except ValueError:
            return "unparsable"
        return refusal(ip)

    def resolveHostName(self, resolutionReceiver: IResolutionReceiver, hostName: str, portNumber: int = 0,  # noqa: N802
                        addressTypes: Sequence[type[IAddress]] | None = None,  # noqa: N803
                        transportSemantics: str = "TCP") -> IHostResolution:  # noqa: N803
        receiver = _CheckedReceiver(resolutionReceiver, self, _host_key(hostName))
        return self._resolve(receiver, hostName, portNumber, addressTypes, transportSemantics)

    def lookup(self, host: str) -> Deferred[list[tuple[str, str | None]]]:
        """Every address of ``host``, each with the reason it is refused (None: allowed)."""
        collector = _Collector(self, _host_key(host))
        self._resolve(collector, host, 0, None, "TCP")
        return collector.done

    def _resolve(self, receiver: IResolutionReceiver, hostName: str, portNumber: int,  # noqa: N803
                 addressTypes: Sequence[type[IAddress]] | None, transportSemantics: str) -> IHostResolution:  # noqa: N803
        literal = parse_ip_literal(hostName)
        if literal is None:
            return self.inner.resolveHostName(receiver, hostName, portNumber, addressTypes, transportSemantics)
        resolution = HostResolution(hostName)
        receiver.resolutionBegan(resolution)
        address = _twisted_address(literal, portNumber)
        if not addressTypes or any(isinstance(address, t) for t in addressTypes):
            receiver.addressResolved(address)
        receiver.resolutionComplete()
        return resolution


class RefusedRequest(IgnoreRequest):
    """A request the address guard refused (the spider turns an article's into a reject).

    ``kind`` says what was refused without naming it (``"loopback address"``): a reject's
    detail carries that, never the refused URL or address.
    """

    def __init__(self, message: str, kind: str = "") -> None:
        super().__init__(message)
        self.kind = kind


#: The settings key under which a ``newsclean`` command names a proxy for a host (the demo
#: server for its fixed origin, ``newsclean demo`` and ``newsclean crawl demo``). Not a user setting.
HOST_PROXIES_KEY = "newsclean_host_proxies"


class HostProxyMiddleware:
    """Send the requests for a host through the proxy named for it (``HOST_PROXIES_KEY``), and
    only those: the demo site is crawled by its fixed name, ``demo-herald.invalid``, through the
    demo server, so its records' URLs and ids do not carry the server's free port, while other
    sites of the same run are fetched as they would be (an ``http_proxy`` for the process sent
    every plain-http site to the demo server). Runs before the address guard, which trusts a
    request's proxy."""

    def __init__(self, proxies: dict[str, str]) -> None:
        self.proxies = proxies

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HostProxyMiddleware:
        proxies = crawler.settings.get(HOST_PROXIES_KEY) or {}
        return cls({_host_key(host): url for host, url in dict(proxies).items()})

    def process_request(self, request: Request) -> None:
        if self.proxies and "proxy" not in request.meta:
            proxy = self.proxies.get(_host_key(urlsplit(request.url).hostname or ""))
            if proxy:
                request.meta["proxy"] = proxy
        return None


class AddressGuardMiddleware:
    """Refuse requests that would turn the crawler against its own network.

    A request whose host is, spells or resolves to a loopback, private, link-local (cloud
    metadata), shared or reserved address is refused before anything is sent, and counted
    (``newsclean/guard/refused_private``), unless its host is one of the site's own hosts (its
    domains and start URLs) or ``NEWSCLEAN_ALLOW_PRIVATE_ADDRESSES`` is on. The check runs in
    the name resolver (:class:`GuardedNameResolver`), which every connection asks and which
    hands Twisted only checked addresses: redirects and robots.txt pass it like any request,
    and no second lookup can answer differently. This middleware asks it first, so a refusal
    is one counted line instead of a failed download. Schemes other than http(s) are never
    fetched, and an article request redirected off the site's domains is refused
    (``newsclean/guard/refused_offsite``): Scrapy's offsite filter does not look at it.
    """

    STATS = "newsclean/guard"

    def __init__(self, allow_private: bool, stats: Any) -> None:
        self.allow_private = allow_private
        self.stats = stats
        self._guard: GuardedNameResolver | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AddressGuardMiddleware:
        o = cls(crawler.settings.getbool("NEWSCLEAN_ALLOW_PRIVATE_ADDRESSES"), crawler.stats)
        o.crawler = crawler
        crawler.signals.connect(o.spider_opened, signal=signals.spider_opened)
        return o

    def _trusted_hosts(self) -> set[str]:
        site = getattr(self.crawler.spider, "site", None)
        return site.hosts() if site is not None else set()

    def _on_site(self, host: str) -> bool:
        site = getattr(self.crawler.spider, "site", None)
        return site is None or not site.domains or site.claims(host) is not None or host in site.hosts()

    def resolver(self) -> GuardedNameResolver:
        """The reactor's guarded resolver, installed on first use, trusting this site's hosts."""
        if self._guard is None:
            from twisted.internet import reactor

            guard = GuardedNameResolver.install(reactor)
            guard.trusted |= self._trusted_hosts() | _proxy_hosts()
            guard.allow_private = guard.allow_private or self.allow_private
            self._guard = guard
        return self._guard

    def spider_opened(self) -> None:
        self.resolver()

    def _refuse(self, request: Request, why: str, key: str, kind: str) -> IgnoreRequest:
        self.stats.inc_value(f"{self.STATS}/{key}")
        # a robots.txt fetch's redirect: the robots.txt middleware says it, naming the host and this why
        robots_redirect = _robots_fetch(request) is not None and bool(request.meta.get("redirect_urls"))
        logger.log(logging.DEBUG if robots_redirect else logging.WARNING, "refused %s: %s", request.url, why)
        return RefusedRequest(f"refused: {why}", kind)

    async def process_request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme not in ("http", "https"):
            raise self._refuse(request, f"scheme {parts.scheme!r} is never fetched", "refused_scheme", "non-http scheme")
        guard = self.resolver()
        proxy = request.meta.get("proxy")
        if proxy:   # the connection goes to the proxy: the operator named it
            guard.trusted.add(_host_key(urlsplit(proxy if "://" in proxy else "//" + proxy).hostname or ""))
        host = _host_key(parts.hostname or "")
        if not (guard.allow_private or host in guard.trusted):
            answers = await maybe_deferred_to_future(guard.lookup(host))
            refused = [(address, why) for address, why in answers if why]
            if refused and len(refused) == len(answers):
                address, why = refused[0]
                said = f"{host} is a {why} address" if address == host else f"{host} is {address}, a {why} address"
                raise self._refuse(request, said, "refused_private", f"{why} address")
        if request.dont_filter and request.meta.get("redirect_urls") and not self._on_site(host):
            # Scrapy's offsite filter lets every dont_filter request through (article requests
            # are, for the article store's sake), the redirects they get included.
            raise self._refuse(request, f"{host} is not the site's (a redirect)", "refused_offsite", "offsite redirect")
        return None


#: A response flag: robots.txt served from the answer the robots.txt middleware fetched (the
#: WARC archive has it from that fetch already).
ROBOTS_REUSED = "robots.txt reused"


#: What kept a robots.txt from being had, by the exception's class (or what it was raised from):
#: its kind in ``newsclean/robots/unreachable/<kind>``. Another failure (no whole answer: a connection
#: reset or closed early, TLS, an answer that is not HTTP) is ``broken_answer``; a 5xx or 429 is
#: ``http_<status>``.
UNREACHABLE_KINDS = {"DownloadTimeoutError": "timeout", "TimeoutError": "timeout", "TCPTimedOutError": "timeout",
                     "DownloadConnectionRefusedError": "refused", "ConnectionRefusedError": "refused",
                     "CannotResolveHostError": "dns", "DNSLookupError": "dns", "DownloadCancelledError": "too_large"}


def unreachable_kind(exc: BaseException) -> str:
    """The kind of a robots.txt fetch's failure (:data:`UNREACHABLE_KINDS`, else ``broken_answer``)."""
    return next((UNREACHABLE_KINDS[type(e).__name__] for e in causes(exc, 5) if type(e).__name__ in UNREACHABLE_KINDS),
                "broken_answer")


def _robots_fetch(request: Request) -> str | None:
    """The robots.txt URL the middleware's own fetch asked for (its flag, no callback; after a
    redirect, the URL Scrapy built), or None for any other request."""
    if not (request.meta.get("dont_obey_robotstxt") and request.callback is NO_CALLBACK):
        return None
    asked = request.meta.get("redirect_urls", [request.url])[0]
    url = urlsplit(asked)
    return asked if url.path == "/robots.txt" and not url.query else None


#: A response flag: the robots.txt fetch's body was not what its Content-Encoding names (see
#: :class:`RobotsTxtDecodingMiddleware`).
ROBOTS_ENCODING_BROKEN = "robots.txt encoding broken"
#: Meta of the robots.txt middleware's own fetch: the bytes of its body received so far.
_ROBOTS_RECEIVED = "newsclean_robots_received"


def robots_max_bytes(settings: Any) -> int:
    """``NEWSCLEAN_ROBOTSTXT_MAX_BYTES``: how much of a robots.txt is read (RFC 9309 2.5: at least 500 KiB)."""
    return max(1, settings.getint("NEWSCLEAN_ROBOTSTXT_MAX_BYTES", 500 * 1024))


def _inflate(body: bytes, limit: int) -> bytes:
    try:
        return zlib.decompressobj().decompress(body, limit)
    except zlib.error:   # raw deflate, as some servers send it (Scrapy reads it so too)
        return zlib.decompressobj(wbits=-15).decompress(body, limit)


def _unbrotli(body: bytes, limit: int) -> bytes:
    """As Scrapy's decompression reads br, a chunk at a time: one ``process`` call hands back a
    first chunk only (32 KiB) of a stream cut short, and a robots.txt cut at the read limit was
    obeyed to that chunk, the rules after it dropped."""
    try:
        import brotli
    except ImportError:   # Scrapy reads br with either
        import brotlicffi as brotli
    decompressor = brotli.Decompressor()
    chunks = [decompressor.process(body, output_buffer_limit=limit)]
    got = len(chunks[0])
    while got < limit and not decompressor.is_finished():
        chunk = decompressor.process(b"", output_buffer_limit=limit - got)
        if not chunk:   # the stream is cut here
            break
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def _unzstd(body: bytes, limit: int) -> bytes:
    try:
        from compression import zstd   # Python 3.14
    except ImportError:
        from backports import zstd
    return members_head(body, limit, zstd.ZstdDecompressor)


#: How :func:`decoded_head` undoes each Content-Encoding Scrapy accepts: ``(body, limit)`` to at
#: most ``limit`` bytes (or a few more: sliced there), whatever the body inflates to; gzip's
#: members and zstd's frames one after another, as Scrapy's decompression reads them.
_DECODERS = {b"gzip": lambda body, limit: members_head(body, limit, lambda: zlib.decompressobj(wbits=31)),
             b"deflate": _inflate, b"br": _unbrotli, b"zstd": _unzstd}
_DECODERS[b"x-gzip"] = _DECODERS[b"gzip"]


def decoded_head(body: bytes, encodings: Sequence[bytes], limit: int) -> tuple[bytes, list[bytes]]:
    """The first ``limit`` bytes (at most) of ``body`` decoded from its Content-Encoding values
    (``gzip``, ``deflate``, ``br``, ``zstd``; the last applied is undone first), decompressing no
    more than that: a gzip bomb costs ``limit`` bytes, not what it inflates to. A body cut short
    gives what it holds. With the encodings left undone: from one of another name on (a server's
    ``none`` or ``UTF-8`` for a plain file), as Scrapy's decompression leaves them, the body as it
    came. ValueError when it is not what its encoding says."""
    names = [name.strip().lower() for value in encodings for name in value.split(b",")]
    names = [n for n in names if n not in (b"", b"identity")]
    while names and names[-1] in _DECODERS:
        name = names.pop()
        try:
            body = _DECODERS[name](body, limit)[:limit]
        except Exception as exc:   # zlib.error, brotli.error, zstd.ZstdError
            raise ValueError(f"not the {name.decode('latin-1')} its Content-Encoding names ({exc})") from None
    return body, names


def cut_at_line(body: bytes, limit: int) -> bytes:
    """``body``'s first ``limit`` bytes, up to the end of their last whole line (a CR or LF, in
    the encoding the file's byte order mark names: two bytes in UTF-16, four in UTF-32);
    nothing when no line ends there."""
    codec, mark = read_bom(body)
    bom = mark or b""
    head = body[:limit]
    cut = 0
    for char in "\n\r":
        end_bytes = char.encode(codec or "utf-8")
        unit = len(end_bytes)
        end = head.rfind(end_bytes)
        while end >= len(bom) and (end - len(bom)) % unit:   # the bytes of a line end inside two characters
            end = head.rfind(end_bytes, 0, end + unit - 1)
        if end >= len(bom):
            cut = max(cut, end + unit)
    return head[:cut]


class OneFetchRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, whose answer also serves the spider's own request for the
    file (it reads the ``Sitemap:`` lines there): one fetch of robots.txt a site a crawl, not two.

    The middleware fetches the file before a host's first request; when that request is the
    spider's for the same file, it is answered with the response the middleware got (after
    its redirects and retries; a 404 too). An answer waits for the spider's request up to
    ``KEEP`` hosts (a spider that does not read robots.txt never asks), and only a file of
    robots.txt's usual size.

    A robots.txt is read to its first ``NEWSCLEAN_ROBOTSTXT_MAX_BYTES`` (500 KiB), up to their
    last whole line, as RFC 9309 (2.5) asks and Google does: the download stops there (the
    ``bytes_received`` signal's ``StopDownload(fail=False)`` hands on what came), a compressed
    file is inflated only that far (:class:`RobotsTxtDecodingMiddleware`), and a file cut so is
    said in one WARNING and counted in ``newsclean/robots/truncated``. ``DOWNLOAD_MAXSIZE`` (an
    article's bound) cancelled a larger file, its host disallowed as unreachable, and Scrapy's
    decompression dropped a gzip file inflating past it without a word: its host allowed all.

    A robots.txt that cannot be had (a 5xx or 429 after the retries, a timeout, a refused or
    reset connection, a failed name lookup) disallows all of its host for the run, as RFC 9309
    (2.3.1.4) asks and Google does: nothing more is sent there, the spider's own request for the
    file included. Said in one WARNING a host, counted in ``newsclean/robots/unreachable/<kind>``;
    Scrapy allowed all and said it in two ERROR lines (its retry's "Gave up retrying" and
    "Error downloading"), counted nowhere of ours.

    A robots.txt not reached through its redirects (a loop, left at its first repeat; more than
    ``REDIRECT_MAX_TIMES``; to a scheme other than http(s); to an address the guard refuses) is
    unavailable, as RFC 9309 (2.3.1.2) allows and Google does: its host allowed all, as for a
    404, said in one WARNING and counted in ``newsclean/robots/unavailable/<kind>``, and the
    spider's own request for the file not sent. Scrapy's "max redirections reached" was raised
    where only Scrapy's middleware saw it: all allowed without a word, the spider following the
    same redirects again. Only Scrapy's public hooks are overridden:
    ``_parse_robots`` took (response, netloc) and ran synchronously up to Scrapy 2.17, and an
    override of it there left every site unguarded.
    """

    KEEP = 16

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.max_bytes = robots_max_bytes(crawler.settings)
        # the bytes a download may announce or inflate to before it is cancelled: the discovery
        # documents' bound, never DOWNLOAD_MAXSIZE's for pages (the download stops at max_bytes)
        self.max_download = max(crawler.settings.getint("DOWNLOAD_MAXSIZE"), MAX_DOCUMENT_BYTES)
        self._answers: OrderedDict[str, tuple[str, Response]] = OrderedDict()   # netloc: (robots.txt URL, answer)
        self._unreachable: dict[str, str] = {}   # netloc: the kind of failure its robots.txt met (disallowed)
        self._unavailable: dict[str, str] = {}   # netloc: its robots.txt URL, not reached through its redirects
        self.max_redirects = crawler.settings.getint("REDIRECT_MAX_TIMES")
        crawler.signals.connect(self.stop_at_max_bytes, signal=signals.bytes_received)

    def stop_at_max_bytes(self, data: bytes, request: Request) -> None:
        """``bytes_received``: the middleware's own fetch stops once past :attr:`max_bytes`, its
        response going on with what came (flagged ``download_stopped``)."""
        received = request.meta.get(_ROBOTS_RECEIVED)
        if received is not None:
            request.meta[_ROBOTS_RECEIVED] = received = received + len(data)
            if received > self.max_bytes:
                raise StopDownload(fail=False)

    async def process_request(self, request: Request) -> Response | None:   # type: ignore[override]
        if asked := _robots_fetch(request):   # its failure is said once, below: not also as Scrapy's retry's ERROR
            request.meta.setdefault("give_up_log_level", "DEBUG")
            request.meta.update({_ROBOTS_RECEIVED: 0, "download_maxsize": self.max_download, "download_warnsize": 0})
            self._follow_redirect(asked, request)
        await super().process_request(request)
        if request.meta.get("dont_obey_robotstxt"):
            return None
        url = urlparse_cached(request)
        if url.netloc in self._unreachable:   # (Protego allows /robots.txt itself under any rules)
            raise IgnoreRequest(f"robots.txt unreachable ({self._unreachable[url.netloc]}): its host disallowed this run")
        if self._unavailable.get(url.netloc) == request.url:   # the spider's: its redirects were said
            raise IgnoreRequest("robots.txt not reached through its redirects")
        if request.method != "GET" or url.path != "/robots.txt" or url.query:
            return None
        fetched, answer = self._answers.get(url.netloc, ("", None))
        if answer is None or fetched != request.url:   # http and https share a parser, not an answer
            return None
        del self._answers[url.netloc]
        return answer.replace(request=request, flags=[*answer.flags, ROBOTS_REUSED])

    def process_response(self, request: Request, response: Response) -> Response:
        # The middleware's own fetch after redirects and retries, seen before its parser is built
        # and the requests waiting for it go on: the spider's may be one.
        asked = _robots_fetch(request)
        if asked is None:
            return response
        if response.status >= 500 or response.status == 429:
            raise self._unreachable_host(asked, f"http_{response.status}", f"HTTP {response.status}")
        if 300 <= response.status < 400 and b"Location" in response.headers:   # a redirect not followed
            moved = urljoin(response.url, safe_url_string(response.headers[b"Location"]))
            if urlsplit(moved).scheme not in ("http", "https"):
                raise self._unavailable_host(asked, "redirect_scheme", f"redirected to {moved[:200]}")
            followed = len(request.meta.get("redirect_urls", ()))
            raise self._unavailable_host(asked, "redirects", f"still redirected after {followed} redirects "
                                         f"(REDIRECT_MAX_TIMES={self.max_redirects})")
        if 200 <= response.status < 300:
            response = self._read_head(asked, response)
        if 200 <= response.status < 300 and not decode_robots(response.body)[1]:
            # BomRobotParser obeys the lines it can read; a file of none is allow-all, as empty.
            self.crawler.stats.inc_value("newsclean/robots/undecodable")
            logger.warning("robots.txt at %s is not text in the encoding it declares (its byte order mark, "
                           "else UTF-8): the lines that are are obeyed, the bytes that are not dropped", response.url)
        if len(response.body) <= self.max_bytes:   # (a 404 page may be larger: the spider fetches it again)
            self._answers[urlsplit(asked).netloc] = (asked, response)
            while len(self._answers) > self.KEEP:
                self._answers.popitem(last=False)
        return response

    def _read_head(self, asked: str, response: Response) -> Response:
        """A file's answer (2xx) as it is obeyed: to its first :attr:`max_bytes`, up to the last
        whole line (said and counted when cut); one whose Content-Encoding could not be undone
        is not had (its host disallowed)."""
        if ROBOTS_ENCODING_BROKEN in response.flags:
            raise self._unreachable_host(asked, "broken_answer", "a body that is not what its Content-Encoding names")
        if "download_stopped" not in response.flags and len(response.body) <= self.max_bytes:
            return response
        response = response.replace(body=cut_at_line(response.body, self.max_bytes))
        self.crawler.stats.inc_value(ROBOTS_TRUNCATED)
        logger.warning("robots.txt of %s is larger than %d bytes: its first %d bytes, to the last whole line, are "
                       "obeyed, the rest is not read (RFC 9309 2.5)", urlsplit(asked).netloc, self.max_bytes,
                       len(response.body))
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        asked = _robots_fetch(request)
        if asked is not None and isinstance(exception, RefusedRequest) and request.meta.get("redirect_urls"):
            # the guard said the address; the robots.txt was not had for it
            why = str(exception).removeprefix("refused: ")   # the guard's, said at DEBUG
            raise self._unavailable_host(asked, "redirect_refused", f"redirected to {request.url[:200]}, refused: {why}"
                                         ) from exception
        if asked is None or isinstance(exception, IgnoreRequest):   # refused on purpose (the address guard): said there
            return None
        said = broken_answer_said(exception) or " ".join(str(exception).split())[:300] or type(exception).__name__
        # An IgnoreRequest, which Scrapy's middleware takes as a robots.txt not had without an ERROR line
        raise self._unreachable_host(asked, unreachable_kind(exception), said) from exception

    def _follow_redirect(self, asked: str, request: Request) -> None:
        """A hop of the robots.txt fetch's redirects: refused when it comes back to a URL the
        fetch asked for already (a loop), its answer's redirect not followed once
        ``REDIRECT_MAX_TIMES`` are (the answer comes here, not Scrapy's 'max redirections
        reached', raised where only Scrapy's robots.txt middleware saw it, as a file not had)."""
        if request.url in request.meta.get("redirect_urls", ()):
            raise self._unavailable_host(asked, "redirect_loop", f"redirected in a loop back to {request.url[:200]}")
        if request.meta.get("redirect_times", 0) >= self.max_redirects:
            request.meta["dont_redirect"] = True

    def _unavailable_host(self, asked: str, kind: str, said: str) -> IgnoreRequest:
        """A robots.txt not reached through its redirects: unavailable, as RFC 9309 (2.3.1.2)
        allows and Google does, its host allowed all (as a 404); said and counted once, and the
        spider's own request for the file refused (it followed the same redirects again)."""
        self._unavailable[self._not_had(asked, f"{ROBOTS_UNAVAILABLE}/{kind}", f"unavailable ({said})",
                                        "all allowed on {host} this run (RFC 9309 2.3.1.2: a robots.txt not reached "
                                        "through its redirects is unavailable, as a 404)")] = asked
        return IgnoreRequest(f"robots.txt unavailable: {said}")

    def _unreachable_host(self, asked: str, kind: str, said: str) -> IgnoreRequest:
        self._unreachable[self._not_had(asked, f"{ROBOTS_UNREACHABLE}/{kind}", f"unreachable ({said})",
                                        "nothing is fetched from {host} this run (RFC 9309: an unreachable robots.txt "
                                        "disallows all; the next run asks again)")] = kind
        return IgnoreRequest(f"robots.txt unreachable: {said}")

    def _not_had(self, asked: str, key: str, said: str, then: str) -> str:
        """The host of the robots.txt at ``asked``, which was not had: counted in ``key``, said in
        one WARNING (why, ``said``; what follows, ``then``, naming the ``{host}``)."""
        netloc = urlsplit(asked).netloc
        self.crawler.stats.inc_value(key)
        logger.warning("robots.txt of %s %s: %s", netloc, said, then.format(host=netloc))
        return netloc


class RobotsTxtDecodingMiddleware:
    """Inflate the robots.txt middleware's own fetch (gzip, deflate, br, zstd) to its first
    ``NEWSCLEAN_ROBOTSTXT_MAX_BYTES`` and one byte more (so a longer file is known cut), before
    Scrapy's HttpCompressionMiddleware (590) would: it inflated the whole body, and one past
    ``DOWNLOAD_MAXSIZE`` was an IgnoreRequest that only Scrapy's robots.txt middleware saw, as a
    robots.txt not had, allow-all, without a word (a gzip bomb opened its host). Placed after it
    (595), so its answer is seen first; a body that is not what its encoding names is flagged
    (:data:`ROBOTS_ENCODING_BROKEN`) for the robots.txt middleware, which disallows the host. An
    encoding of another name (``none``, ``UTF-8``: servers send them for a plain file) is left
    as Scrapy leaves it, the file read as it came: it was a broken answer, the host disallowed."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RobotsTxtDecodingMiddleware:
        return cls(robots_max_bytes(crawler.settings))

    def process_response(self, request: Request, response: Response) -> Response:
        encodings = response.headers.getlist(b"Content-Encoding")
        if not encodings or _robots_fetch(request) is None:
            return response
        flags = response.flags
        try:
            body, undone = decoded_head(response.body, encodings, self.max_bytes + 1)
        except ValueError as exc:
            logger.debug("robots.txt at %s: %s", response.url, exc)
            body, undone, flags = b"", [], [*flags, ROBOTS_ENCODING_BROKEN]
        headers = response.headers.copy()
        del headers[b"Content-Encoding"]
        if undone:   # HttpCompression (590) says it cannot read them and passes the body on
            headers[b"Content-Encoding"] = b", ".join(undone)
        return response.replace(body=body, headers=headers, flags=flags)


class BomRobotParser(ProtegoRobotParser):
    """Scrapy's Protego parser (its default) reading the file by its byte order mark: Scrapy
    decodes it as UTF-8 whatever the mark, and a UTF-16 robots.txt's ``Disallow`` lines were
    NUL-separated letters no URL matched, so what it disallowed was fetched. Bytes that are not
    text are dropped, as Scrapy drops them (the middleware counts such a file)."""

    def __init__(self, robotstxt_body: bytes, spider: Any) -> None:   # Scrapy's signature
        self.spider = spider
        self.rp = Protego.parse(decode_robots(robotstxt_body, "ignore")[0])


def _proxy_hosts() -> set[str]:
    """Hosts of the proxies the environment names (the connection goes there, by the operator's choice)."""
    from urllib.request import getproxies

    return {_host_key(urlsplit(url if "://" in url else "//" + url).hostname or "")
            for key, url in getproxies().items() if key != "no" and url} - {""}


def contact_url(value: Any) -> str:
    """``NEWSCLEAN_CONTACT_URL`` checked: an http(s) URL with a host, or a ``mailto:`` address
    (else ValueError). ``notaurl`` went into every request's User-Agent, where no site owner
    could follow it; a space or line break would also break the header."""
    text = str(value or "").strip()
    try:
        parts = urlsplit(text)
        ok = (bool(parts.hostname) if parts.scheme.lower() in ("http", "https")
              else parts.scheme.lower() == "mailto" and "@" in parts.path.strip("@"))
    except ValueError:   # 'http://[::1'
        ok = False
    if not ok or any(c.isspace() or not c.isprintable() for c in text):
        raise ValueError(f"bad NEWSCLEAN_CONTACT_URL {str(value)[:200]!r}: an http(s) URL or a mailto: address "
                         "expected (it goes into the User-Agent, where site owners look for how to reach you)")
    return text


def user_agent(settings: Any) -> str:
    """``USER_AGENT`` when set, else ``newsclean/<version> (+NEWSCLEAN_CONTACT_URL)`` (a bad
    contact: ValueError, see :func:`contact_url`)."""
    ua = settings.get("USER_AGENT")
    if not ua or ua.startswith("Scrapy/"):
        from importlib.metadata import PackageNotFoundError, version

        try:
            v = version("newsclean")
        except PackageNotFoundError:
            v = "dev"
        ua = f"newsclean/{v} (+{contact_url(settings.get('NEWSCLEAN_CONTACT_URL'))})"
    return str(ua)


class UserAgentFromContact:
    """A descriptive User-Agent that says who crawls and where to reach them.

    ``USER_AGENT`` wins when set; otherwise ``newsclean/<version> (+NEWSCLEAN_CONTACT_URL)``.
    """

    def __init__(self, user_agent: str) -> None:
        self.user_agent = user_agent

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> UserAgentFromContact:
        return cls(user_agent(crawler.settings))

    def process_request(self, request: Request) -> None:
        request.headers.setdefault(b"User-Agent", self.user_agent)
        return None


#: Characters of a page Scrapy's meta-refresh check reads (``response.text[:4096]``), and the
#: bytes that always hold them (4 bytes a character at most, in UTF-8 and in GB18030).
META_REFRESH_CHARS = 4096
META_REFRESH_BYTES = 4 * META_REFRESH_CHARS


def meta_refresh(response: HtmlResponse, ignore_tags: Sequence[str] = ("script", "noscript")
                 ) -> tuple[None, None] | tuple[float, str]:
    """(delay, absolute URL) of the ``<meta http-equiv="refresh">`` in a page's first
    :data:`META_REFRESH_CHARS` characters (as Scrapy's ``get_meta_refresh``), or (None, None).

    Only those characters are decoded, and only when their bytes hold the word at all: Scrapy's
    check decoded every page whole (``response.text``, a copy of the body kept with the
    response) only to read its head, and the cleaning worker decodes the page again anyway."""
    from w3lib.html import get_base_url, get_meta_refresh

    head = response.body[:META_REFRESH_BYTES]
    if b"\x00" not in head and b"refresh" not in head.lower():   # ASCII-compatible and no such word: none
        return None, None
    content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1") or None
    charset, text = decode_with_charset(head, content_type)
    text = text[:META_REFRESH_CHARS]
    return get_meta_refresh(text, get_base_url(text, response.url, charset), charset, ignore_tags=ignore_tags)


class HeadMetaRefreshMiddleware(MetaRefreshMiddleware):
    """Scrapy's ``MetaRefreshMiddleware`` (same settings: ``METAREFRESH_ENABLED``,
    ``METAREFRESH_MAXDELAY``, ``METAREFRESH_IGNORE_TAGS``) that reads the refresh with
    :func:`meta_refresh`: the reactor thread no longer decodes every page it fetches."""

    def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        if (request.meta.get("dont_redirect", False) or request.method == "HEAD"
                or not isinstance(response, HtmlResponse) or urlsplit(request.url).scheme not in ("http", "https")):
            return response
        try:
            interval, url = meta_refresh(response, self._ignore_tags)
            if not url:
                return response
            redirected = self._redirect_request_using_get(request, response, url)
            if urlsplit(redirected.url).scheme not in ("http", "https"):
                return response
        except ValueError:   # a refresh or <base href> to 'http://[x/': the page in hand is the answer
            return response  # (it was a failed fetch, 'Invalid IPv6 URL', the page dropped)
        if redirected.url.split("#", 1)[0] == response.url.split("#", 1)[0]:
            # a refresh to the page itself reloads it (a live page's '60;url=<itself>'): followed,
            # it was a redirect loop and the page, whole in hand, an ignored fetch, said nowhere
            return response
        if interval < self._maxdelay:
            return self._redirect(redirected, request, "meta refresh")
        return response
