"""``newsclean sites --check``: probe each site's discovery sources over the network.

For every robots.txt, news sitemap, sitemap and feed of the chosen sites: the HTTP status, the
entries found (Sitemap: lines, sub-sitemaps, URLs or feed items), the newest entry's date and a
verdict, so a user sees which entries of the catalog have gone stale. Entries a source lists that
are no URL are skipped as a crawl skips them, and said: on the source's row, and once a site by
the kind a crawl counts them under (``newsclean/discovery/bad_url/<kind>``).
"""

from __future__ import annotations

import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Literal

from newsclean.crawler.spiders import discovery
from newsclean.crawler.sites import Site
from newsclean.output.stats import counted

Kind = Literal["robots", "news_sitemap", "sitemap", "feed"]
VERDICTS = ("ok", "stale", "empty", "failed")


@dataclass(frozen=True, slots=True)
class Probe:
    """What one discovery source answered."""

    site: str
    kind: Kind
    url: str
    status: int | None = None           # HTTP status; None when no answer came
    entries: int = 0
    newest: datetime | None = None
    verdict: str = "failed"
    detail: str = ""                    # why it failed, or what the sitemap was (index / urlset)
    bad_urls: tuple[str, ...] = ()      # entries listed that are no URL (skipped, as a crawl skips them)


def sources(site: Site) -> list[tuple[Kind, str]]:
    """The site's discovery URLs, by kind, in the order the crawl starts them."""
    d = site.discovery
    out: list[tuple[Kind, str]] = [("robots", site.absolute("/robots.txt"))] if d.robots else []
    out += [("news_sitemap", site.absolute(u)) for u in d.news_sitemaps]
    out += [("sitemap", site.absolute(u)) for u in d.sitemaps]
    out += [("feed", site.absolute(u)) for u in d.feeds]
    return out


def _fetch(url: str, user_agent: str, timeout: float) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"User-Agent": user_agent, "Accept-Encoding": "identity"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) only: checked on load)
            body = response.read(discovery.MAX_DOCUMENT_BYTES + 1)
            return response.status, body
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def _entries(kind: Kind, body: bytes, url: str, on_bad: discovery.OnBad = None) -> tuple[list[discovery.Entry], str]:
    """The entries a source lists, and what it was (a sitemap's index / urlset); ``on_bad`` is
    told each entry that is no URL (see :func:`discovery.join_url`), skipped."""
    if kind == "robots":
        return [discovery.Entry(u) for u in discovery.sitemaps_from_robots(body, url, on_bad)], ""
    if len(body) > discovery.MAX_DOCUMENT_BYTES:
        raise discovery.DiscoveryError(f"larger than {discovery.MAX_DOCUMENT_BYTES} bytes")
    if kind == "feed":
        return discovery.parse_feed(discovery.maybe_gunzip(body), url, on_bad), ""
    shape, entries = discovery.parse_sitemap(discovery.maybe_gunzip(body), url, on_bad)
    return entries, shape


def probe(site: str, kind: Kind, url: str, *, user_agent: str, timeout: float, stale_after: timedelta,
          now: datetime | None = None) -> Probe:
    """Fetch and read one discovery source; never raises."""
    try:
        status, body = _fetch(url, user_agent, timeout)
    except (OSError, ValueError) as exc:   # refused, timed out, DNS, TLS, bad URL
        reason = getattr(exc, "reason", exc)
        return Probe(site, kind, url, detail=f"{type(exc).__name__}: {reason}"[:120])
    if not 200 <= status < 300:
        return Probe(site, kind, url, status, detail=f"HTTP {status}")
    bad: list[str] = []
    try:
        entries, shape = _entries(kind, body, url, bad.append)
    except discovery.DiscoveryError as exc:
        return Probe(site, kind, url, status, detail=str(exc)[:120])
    dates = [e.date for e in entries if e.date]
    newest = max(dates) if dates else None
    now = now or datetime.now(timezone.utc)
    if kind == "robots":
        verdict = "ok"                    # a robots.txt without Sitemap: lines is no fault
    elif not entries:
        verdict = "empty"
    elif newest and now - newest > stale_after:
        verdict = "stale"
    else:
        verdict = "ok"
    return Probe(site, kind, url, status, len(entries), newest, verdict, shape, tuple(bad))


def check_sites(sites: list[Site], *, user_agent: str, workers: int = 8, timeout: float = 20.0,
                stale_days: int = 30) -> list[Probe]:
    """Probe every discovery source of ``sites``, ``workers`` at a time; in site, then source order."""
    jobs = [(site.name, kind, url) for site in sites for kind, url in sources(site)]
    stale_after = timedelta(days=stale_days)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(lambda job: probe(*job, user_agent=user_agent, timeout=timeout,
                                               stale_after=stale_after), jobs))


#: The kind a crawl counts a source's entries that are no URL under (``newsclean/discovery/bad_url/<kind>``).
BAD_URL_KIND: dict[str, str] = {"robots": "robots", "news_sitemap": "sitemap", "sitemap": "sitemap", "feed": "feed"}


def _bad_urls_said(probes: list[Probe]) -> list[str]:
    """One line a site whose sources list entries that are no URL: how many, by the kind a crawl
    counts them under (a crawl skips them and reads on; here they were skipped without a word)."""
    by_site: dict[str, dict[str, int]] = {}
    for p in probes:
        if p.bad_urls:
            kinds = by_site.setdefault(p.site, {})
            kind = f"bad_url/{BAD_URL_KIND[p.kind]}"
            kinds[kind] = kinds.get(kind, 0) + len(p.bad_urls)
    return [f"{site}: {counted(sum(kinds.values()), 'listed entry', 'listed entries')} that are no URL "
            f"skipped ({', '.join(f'{k}: {n}' for k, n in sorted(kinds.items()))}), as a crawl skips and counts them"
            for site, kinds in by_site.items()]


def format_table(probes: list[Probe]) -> str:
    lines = [f"{'SITE':24} {'KIND':12} {'STATUS':>6} {'ENTRIES':>7} {'NEWEST':10} {'VERDICT':7} URL"]
    for p in probes:
        newest = p.newest.strftime("%Y-%m-%d") if p.newest else "-"
        status = str(p.status) if p.status is not None else "-"
        url = p.url + (f"  ({p.detail})" if p.detail and p.verdict == "failed" else "")
        if p.bad_urls:
            url += f"  (skipped {len(p.bad_urls)} that {'are' if len(p.bad_urls) != 1 else 'is'} no URL: {p.bad_urls[0][:80]!r})"
        lines.append(f"{p.site:24} {p.kind:12} {status:>6} {p.entries:7} {newest:10} {p.verdict:7} {url}")
    lines += _bad_urls_said(probes)
    counts = {v: sum(p.verdict == v for p in probes) for v in VERDICTS}
    n_sites = len({p.site for p in probes})
    lines.append(f"{counted(len(probes), 'source')} of {counted(n_sites, 'site')}: "
                 + ", ".join(f"{n} {v}" for v, n in counts.items()))
    return "\n".join(lines)


def check_command(sites: list[Site], *, user_agent: str, workers: int, timeout: float, stale_days: int) -> int:
    """Print the table; exit 1 when any source is not ok."""
    probes = check_sites(sites, user_agent=user_agent, workers=workers, timeout=timeout, stale_days=stale_days)
    print(format_table(probes))
    return 0 if all(p.verdict == "ok" for p in probes) else 1
