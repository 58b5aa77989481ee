"""Which network addresses a crawl may connect to (pure functions: no Scrapy, no Twisted).

A URL can spell one IPv4 address many ways: ``2130706433``, ``0x7f000001``, ``127.1``,
``0177.0.0.1`` and ``0`` are all read by the C library (``inet_aton``) as a dotted address, and
IPv6 can carry an IPv4 address inside (``::ffff:127.0.0.1``, 6to4 ``2002:7f00:1::``, NAT64
``64:ff9b::7f00:1``). :func:`parse_ip_literal` reads every such spelling; :func:`refusal` says
why an address is no place for a crawler (loopback, private, link-local / cloud metadata...).
"""

from __future__ import annotations

import ipaddress
import re

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_SHARED = ipaddress.IPv4Network("100.64.0.0/10")        # carrier-grade NAT (RFC 6598)
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")          # well-known NAT64 prefix (RFC 6052)
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")  # local-use NAT64 (RFC 8215)
_PART = re.compile(r"^(?:0[xX][0-9a-fA-F]*|0[0-7]*|[1-9][0-9]*)$")


def _inet_aton(host: str) -> ipaddress.IPv4Address | None:
    """``inet_aton``'s reading of ``host``: 1-4 parts, each decimal, octal (0...) or hex (0x...);
    the last part fills the remaining bytes. None when it is not such a number."""
    parts = host.split(".")
    if host.endswith(".") and len(parts) > 1:
        parts.pop()   # a trailing dot ("127.0.0.1.") still names the address
    if not 1 <= len(parts) <= 4 or not all(_PART.match(p) for p in parts):
        return None
    values = [int(p, 16) if p[:2].lower() == "0x" else int(p, 8) if p.startswith("0") and len(p) > 1 else int(p)
              for p in (p if p.lower() != "0x" else "0x0" for p in parts)]
    *head, last = values
    if any(v > 255 for v in head) or last >= 1 << (8 * (5 - len(values))):
        return None
    number = 0
    for v in head:
        number = number << 8 | v
    return ipaddress.IPv4Address(number << (8 * (5 - len(values))) | last)


def parse_ip_literal(host: str) -> IPAddress | None:
    """The address ``host`` spells (any IPv4 form ``inet_aton`` reads, IPv6 with or without
    brackets or a zone), or None for a host name."""
    host = host.strip().lower()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if ":" in host:
        try:
            return ipaddress.IPv6Address(host)
        except ValueError:
            return None
    return _inet_aton(host)


def embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, compatible, 6to4, NAT64), if any."""
    if isinstance(ip, ipaddress.IPv4Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64 or ip in _NAT64_LOCAL:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if int(ip) >> 32 == 0 and int(ip) > 1:   # deprecated IPv4-compatible ::a.b.c.d (not :: or ::1)
        return ipaddress.IPv4Address(int(ip))
    return None


def refusal(ip: IPAddress) -> str | None:
    """Why a crawler must not connect to ``ip`` (``"loopback"``, ``"private"``...), or None
    for a public address. An IPv6 address carrying an IPv4 one is judged by that one: the
    packets end up there."""
    inner = embedded_ipv4(ip)
    if inner is not None:
        return refusal(inner)
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"          # 169.254.169.254 and fe80::/10: where cloud metadata lives
    if ip.is_multicast:
        return "multicast"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED:
        return "shared"
    if ip.is_private:
        return "private"
    if ip.is_reserved or getattr(ip, "is_site_local", False) or not ip.is_global:
        return "reserved"
    return None
