"""A name resolver for tests: every ``*.test`` name is 127.0.0.1, numeric IPv4 forms are read
as the system resolver reads them (``inet_aton``: ``127.1``, ``0x7f000001``...), every other
name fails. No lookup ever leaves the process.

Install it with ``-s TWISTED_DNS_RESOLVER=tests.loopback_dns.LoopbackNames``: crawls then use
host names (a site's own, an in-domain one, a stranger's) without any outside DNS, and every
connection still goes to 127.0.0.1.
"""

from __future__ import annotations

import socket
from typing import Any

from twisted.internet import defer
from twisted.internet.error import DNSLookupError
from twisted.internet.interfaces import IResolverSimple
from zope.interface import implementer

#: Names looked up through this resolver, in order, written by the crawl's process.
LOOKUPS: list[str] = []


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
        LOOKUPS.append(name)
        if name.lower().rstrip(".").endswith(".test"):
            return defer.succeed("127.0.0.1")
        try:
            return defer.succeed(socket.inet_ntoa(socket.inet_aton(name)))
        except OSError:
            pass
        return defer.fail(DNSLookupError(f"no such test name: {name}"))
