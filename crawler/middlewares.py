"""Downloader middlewares."""

from __future__ import annotations

import ipaddress
import logging
from typing import Any
from urllib.parse import urlsplit

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response

logger = logging.getLogger(__name__)


def is_private_address(host: str) -> bool:
    """Whether ``host`` is a loopback, private, link-local, reserved or otherwise
    non-public address (an IP literal, or ``localhost``)."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not ip.is_global


class RefusedRequest(IgnoreRequest):
    """A request the address guard refused (the spider turns an article's into a reject)."""


class AddressGuardMiddleware:
    """Refuse requests that would turn the crawler against its own network.

    A request to a private, loopback or link-local address (169.254.169.254, 10.0.0.1,
    localhost...) is refused and counted unless its host is one of the site's own hosts (its
    domains and start URLs) or ``NEWSCLEAN_ALLOW_PRIVATE_ADDRESSES`` is on. Host names that
    *resolve* to such addresses are caught on the response (``response.ip_address``) and
    dropped, so a redirect or a DNS answer cannot smuggle one in. Schemes other than
    http(s) are never fetched.
    """

    STATS = "newsclean/guard"

    def __init__(self, allow_private: bool, stats: Any) -> None:
        self.allow_private = allow_private
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AddressGuardMiddleware:
        o = cls(crawler.settings.getbool("NEWSCLEAN_ALLOW_PRIVATE_ADDRESSES"), crawler.stats)
        o.crawler = crawler
        return o

    def _trusted_hosts(self) -> set[str]:
        site = getattr(self.crawler.spider, "site", None)
        return site.hosts() if site is not None else set()

    def _refuse(self, request: Request, why: str, key: str) -> IgnoreRequest:
        self.stats.inc_value(f"{self.STATS}/{key}")
        logger.warning("refused %s: %s", request.url, why)
        return RefusedRequest(f"refused: {why}")

    def process_request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme not in ("http", "https"):
            raise self._refuse(request, f"scheme {parts.scheme!r} is never fetched", "refused_scheme")
        host = (parts.hostname or "").lower()
        if not self.allow_private and is_private_address(host) and host not in self._trusted_hosts():
            raise self._refuse(request, f"{host} is a private/loopback/link-local address", "refused_private")
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        ip = getattr(response, "ip_address", None)
        host = (urlsplit(request.url).hostname or "").lower()
        if (ip is not None and not self.allow_private and is_private_address(str(ip))
                and host not in self._trusted_hosts()):
            raise self._refuse(request, f"{host} resolved to private address {ip}", "refused_private")
        return response


def user_agent(settings: Any) -> str:
    """``USER_AGENT`` when set, else ``newsclean/<version> (+NEWSCLEAN_CONTACT_URL)``."""
    ua = settings.get("USER_AGENT")
    if not ua or ua.startswith("Scrapy/"):
        from importlib.metadata import PackageNotFoundError, version

        try:
            v = version("newsclean")
        except PackageNotFoundError:
            v = "dev"
        ua = f"newsclean/{v} (+{settings.get('NEWSCLEAN_CONTACT_URL')})"
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
