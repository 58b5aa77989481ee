"""A name resolver for the hostile suite and the tests: no lookup ever leaves the process,
and every answer is a loopback address.

Every ``*.test`` name is 127.0.0.1; a numeric IPv4 form is read as the system resolver reads
it (``inet_aton``: ``127.1``, ``0x7f000001``...) when that is in 127.0.0.0/8; every other name
fails. Install it with ``-s TWISTED_DNS_RESOLVER=newsclean.crawler.hostile.names.LoopbackNames``:
crawls then use host names (a site's own, an in-domain one, a stranger's) and still connect to
127.0.0.1 only.
"""

from __future__ import annotations

import socket
from typing import Any

from twisted.internet import defer
from twisted.internet.error import DNSLookupError
from twisted.internet.interfaces import IResolverSimple
from zope.interface import implementer


@implementer(IResolverSimple)
class LoopbackNames:
    def __init__(self, reactor: Any) -> None:
        self.reactor = reactor

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> LoopbackNames:
        return cls(reactor)

    def install_on_reactor(self) -> None:
        self.reactor.installResolver(self)

    def getHostByName(self, name: str, timeout: Any = ()) -> defer.Deferred[str]:  # noqa: N802 - Twisted's name
        if name.lower().rstrip(".").endswith(".test"):
            return defer.succeed("127.0.0.1")
        try:
            address = socket.inet_ntoa(socket.inet_aton(name))
        except OSError:
            address = ""
        if address.startswith("127."):
            return defer.succeed(address)
        return defer.fail(DNSLookupError(f"not a loopback test name: {name}"))
