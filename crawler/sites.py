"""The site registry: one TOML file per site, validated into a typed :class:`Site`.

Adding a site is writing one file in ``crawler/sites/`` (or in a directory named by the
``NEWSCLEAN_SITES_DIR`` environment variable). A bad file fails with a :class:`SiteConfigError`
whose message names the file and the field. See ``docs/sites.md`` for every field.
"""

from __future__ import annotations

import difflib
import json
import logging
import math
import os
import re
import stat
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import regex
from w3lib.url import safe_url_string

from newsclean.cleaners import SiteRules
from newsclean.cleaners.site_patterns import PATTERN_TIMEOUT, PatternTimeout, backtracks, compile_pattern
from newsclean.crawler.iso_codes import COUNTRIES, COUNTRY_ALIASES, LANGUAGES
from newsclean.output.redact import cut_userinfo, mask_credentials

logger = logging.getLogger(__name__)

BUILTIN_SITES_DIR = Path(__file__).parent / "sites"
SITES_DIR_ENV = "NEWSCLEAN_SITES_DIR"

_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{1,40}$")

#: Paths that are never articles on any news site (listings, archives, utility pages).
GENERIC_DENY = (
    r"/(tag|tags|topic|topics|category|categories|author|authors|writer|search|page)/",
    r"[?&](s|q|query|search|page|replytocom)=",
    r"/(feed|rss|atom)(/|\.xml)?$",
    r"/wp-(content|admin|json|login)",
    r"/(about|about-us|contact|contact-us|privacy|privacy-policy|terms|login|register|subscribe|newsletter)/?$",
    r"\.(jpe?g|png|gif|webp|svg|pdf|zip|mp3|mp4|css|js|xml|json|txt)$",
)

#: Without site-specific allow patterns, a link found on a section page is an article
#: when its path carries a date, a long slug or a numeric id.
GENERIC_ARTICLE = (
    r"/(19|20)\d{2}/\d{1,2}/",
    r"/[^/]*[a-z0-9]+(-[a-z0-9]+){3,}[^/]*/?$",
    r"/[^/]*\d{5,}[^/]*/?$",
)


class SiteConfigError(ValueError):
    """A site file is malformed; the message names the file and the field."""

    def __init__(self, source: str, field_name: str | None, problem: str) -> None:
        self.source, self.field_name, self.problem = source, field_name, problem
        super().__init__(f"{source}: field '{field_name}': {problem}" if field_name else f"{source}: {problem}")


class UnknownSiteError(KeyError):
    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        super().__init__(f"unknown site {name!r}; known sites: {', '.join(known) or '(none)'}")

    def __str__(self) -> str:  # KeyError quotes its message otherwise
        return str(self.args[0])


#: The pagination of a site file that gives none: ours, read in one way, matched without the CPU
#: bound of a site's own patterns (two clock reads a match: 4.8 -> 7.9 us a link for the demo's).
DEFAULT_PAGINATION = (regex.compile(r"/page/\d+/?$"), regex.compile(r"[?&]page=\d+"))


@dataclass(frozen=True, slots=True)
class Discovery:
    robots: bool = True                    # read Sitemap: lines from robots.txt
    sitemaps: tuple[str, ...] = ()
    news_sitemaps: tuple[str, ...] = ()    # Google News sitemaps (crawled as sitemaps)
    feeds: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    #: Start URLs whose kind is sniffed from the response (ad-hoc sites).
    sniff: tuple[str, ...] = ()
    section_pages: int = 5                 # pagination depth followed per section
    pagination: tuple[regex.Pattern[str], ...] = ()   # none given: DEFAULT_PAGINATION


@dataclass(frozen=True, slots=True)
class Limits:
    max_articles: int = 0                  # 0 = unlimited
    concurrency: int = 4                   # per domain
    download_delay: float = 0.25           # seconds, AutoThrottle's floor


@dataclass(frozen=True, slots=True)
class Health:
    """Thresholds below which a run of this site is degraded (see crawler/components/monitors.py)."""

    max_error_rate: float = 0.5            # failed fetches / all fetches
    max_reject_rate: float = 0.6           # rejected pages / cleaned pages
    min_pages_for_rates: int = 5           # rates are judged only over at least this many pages
    coverage: tuple[tuple[str, float], ...] = (("title", 0.9), ("text", 1.0), ("published", 0.7))


@dataclass(frozen=True, slots=True)
class Site:
    """One news site: where its articles are found and how its pages are cleaned."""

    name: str
    base_url: str
    domains: tuple[str, ...]
    title: str = ""
    discovery: Discovery = field(default_factory=Discovery)
    #: The site file's patterns (site_patterns: the regex module, a CPU bound on each match).
    allow: tuple[regex.Pattern[str], ...] = ()
    deny: tuple[regex.Pattern[str], ...] = ()
    limits: Limits = field(default_factory=Limits)
    health: Health = field(default_factory=Health)
    rules: SiteRules = field(default_factory=SiteRules)
    source: str = "<builtin>"
    # What a researcher filters the catalog on.
    country: str = ""                      # ISO 3166-1 alpha-2, lowercase
    languages: tuple[str, ...] = ()        # ISO 639-1
    description: str = ""
    catalog: bool = True                   # part of the publisher catalog (crawl --all); the demo is not
    facts_source: str = ""                 # where the discovery facts came from ...
    facts_read: date | None = None         # ... and when they were read

    def __post_init__(self) -> None:
        # A request's host is ASCII (Scrapy sends xn--bcher-kva.example for bücher.example): the
        # domains are compared with it, as they are with every URL's host (see ascii_host).
        object.__setattr__(self, "domains", tuple(dict.fromkeys(ascii_host(d) for d in self.domains)))

    # -- URLs -------------------------------------------------------------------------------
    def absolute(self, url_or_path: str) -> str:
        """Resolve a path from the site file against ``base_url``."""
        return urljoin(self.base_url, url_or_path)

    def start_urls(self) -> dict[str, list[str]]:
        """Discovery URLs by kind: robots, sitemap, feed, section, sniff."""
        d = self.discovery
        return {
            "robots": [self.absolute("/robots.txt")] if d.robots else [],
            "sitemap": [self.absolute(u) for u in d.news_sitemaps + d.sitemaps],
            "feed": [self.absolute(u) for u in d.feeds],
            "section": [self.absolute(u) for u in d.sections],
            "sniff": [self.absolute(u) for u in d.sniff],
        }

    def hosts(self) -> set[str]:
        """Hosts this site's crawl may reach (its domains and its start URLs' hosts)."""
        hosts = {d.lower() for d in self.domains}
        for urls in self.start_urls().values():
            hosts.update(ascii_host(urlsplit(u).hostname or "") for u in urls)
        hosts.discard("")
        return hosts

    def is_article_url(self, url: str, *, listed: bool = False) -> bool:
        """Whether ``url`` is an article of this site.

        ``listed`` is True for URLs that a sitemap or feed lists: those are presumed articles
        unless denied, while links found on section pages must also look like articles. A site
        pattern that passes its bound on ``url`` raises :class:`PatternTimeout` (the caller skips
        the URL and counts it).
        """
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return False
        if not self.claims(parts.hostname or ""):
            return False
        target = parts.path + ("?" + parts.query if parts.query else "")
        if self._finds(self.deny, target, "articles.deny"):
            return False
        if self.allow:
            return self._finds(self.allow, target, "articles.allow")
        if any(re.search(p, target, re.I) for p in GENERIC_DENY):
            return False
        return listed or any(re.search(p, parts.path, re.I) for p in GENERIC_ARTICLE)

    def claims(self, host: str) -> str | None:
        """The domain of this site that covers ``host`` (itself or a parent domain), if any."""
        host = ascii_host(host)
        return next((d for d in self.domains if covered_by(host, (d,))), None)

    def matches(self, country: str | None = None, language: str | None = None) -> bool:
        """Whether the site is of ``country`` and publishes in ``language`` (None: any)."""
        if country and self.country != COUNTRY_ALIASES.get(country.lower(), country.lower()):
            return False
        return not language or language.lower() in self.languages

    def is_pagination_url(self, url: str) -> bool:
        """Whether ``url`` is a section's next page (``discovery.pagination``; :class:`PatternTimeout`
        as :meth:`is_article_url`)."""
        target = urlsplit(url).path + ("?" + urlsplit(url).query if urlsplit(url).query else "")
        if not self.discovery.pagination:
            return any(p.search(target) for p in DEFAULT_PAGINATION)
        return self._finds(self.discovery.pagination, target, "discovery.pagination")

    def _finds(self, patterns: tuple[regex.Pattern[str], ...], target: str, dotted: str) -> bool:
        """Whether one of ``patterns`` (the field ``dotted``) finds a match in ``target``."""
        for i, p in enumerate(patterns):
            try:
                if p.search(target, timeout=PATTERN_TIMEOUT) is not None:
                    return True
            except TimeoutError:
                raise PatternTimeout(p.pattern, f"{self.source}: field '{dotted}[{i}]'") from None
        return False

    def rebased(self, base_url: str) -> Site:
        """The same site served from another origin (a mirror, a staging copy, the demo server).

        Its domains become the new origin's host: nothing of the old origin is crawled. The
        start URLs the file gives whole on the old origin are left out (a start URL's host
        outside the domains is fetched: ``br -a base_url=http://127.0.0.1:8000/`` fetched
        www.br.de's sitemaps); those on other hosts (a feed on a CDN) stay.
        """
        base_url = _check_url(base_url, self.source, "base_url")
        host = (urlsplit(base_url).hostname or "").lower()

        def elsewhere(entries: tuple[str, ...]) -> tuple[str, ...]:   # paths, and whole URLs off the old origin
            return tuple(u for u in entries if not (urlsplit(u).hostname and self.claims(urlsplit(u).hostname)))

        d = self.discovery
        discovery = replace(d, sitemaps=elsewhere(d.sitemaps), news_sitemaps=elsewhere(d.news_sitemaps),
                            feeds=elsewhere(d.feeds), sections=elsewhere(d.sections), sniff=elsewhere(d.sniff))
        return replace(self, base_url=base_url, domains=(host,), discovery=discovery)


# -- loading ------------------------------------------------------------------------------

_TOP = {"name", "title", "base_url", "domains", "country", "languages", "description", "catalog", "facts",
        "discovery", "articles", "limits", "cleaning", "health"}
_FACTS = {"source", "read"}
_HEALTH = {"max_error_rate", "max_reject_rate", "min_pages_for_rates", "coverage"}
#: The record fields whose coverage a crawl counts (``health.coverage``'s keys).
COVERAGE_FIELDS = ("title", "text", "published", "authors", "language")
_DISCOVERY = {"robots", "sitemaps", "news_sitemaps", "feeds", "sections", "section_pages", "pagination"}
_ARTICLES = {"allow", "deny"}
_LIMITS = {"max_articles", "concurrency", "download_delay"}
#: Each field's table ("" the top of the file), to say where a field given in the wrong place belongs.
_TABLE_OF = {**{k: "" for k in _TOP - {"facts", "discovery", "articles", "limits", "cleaning", "health"}},
             **dict.fromkeys(_FACTS, "facts"), **dict.fromkeys(_HEALTH, "health"),
             **dict.fromkeys(_DISCOVERY, "discovery"), **dict.fromkeys(_ARTICLES, "articles"),
             **dict.fromkeys(_LIMITS, "limits")}
#: The longest delay between two requests to a site, in seconds (a day): more is no crawl, and
#: Scrapy's downloader took an infinite one as a wait no signal ended.
LONGEST_DELAY = 24 * 3600.0
#: The most requests at once to one site (``limits.concurrency``): 100000 was taken without a word,
#: a flood no news site answers (Scrapy's default is 8 a domain, newsclean's 4).
MOST_CONCURRENCY = 64
#: The deepest pagination followed per section (``discovery.section_pages``): a run fetches at most
#: NEWSCLEAN_MAX_SECTION_PAGES (200) section pages of a site anyway.
MOST_SECTION_PAGES = 1000
#: The longest ``cleaning.min_chars``: more rejects nearly every article as too_short.
MOST_MIN_CHARS = 100_000
_CLEANING = {"drop_selectors", "drop_xpaths", "drop_line_patterns", "body_selector", "min_chars"}
_TABLE_OF.update(dict.fromkeys(_CLEANING, "cleaning"))
#: What a string field of a site file holds: said when one is given empty (or only spaces).
_WANTED = {"domains": "a domain", "languages": "an ISO 639-1 code", "body_selector": "a CSS selector",
           "drop_selectors": "a CSS selector", "drop_xpaths": "an XPath", "title": "the site's title",
           "description": "a description", "source": "where the facts came from",
           "country": "an ISO 3166-1 alpha-2 code",
           **dict.fromkeys(("sitemaps", "news_sitemaps", "feeds", "sections"), "a URL or a path of the site"),
           **dict.fromkeys(("pagination", "allow", "deny", "drop_line_patterns"), "a regular expression")}


#: A domain of a site file: a host name (letters of any script, digits, '-', '_' between dots), no
#: scheme, path, port or space.
_DOMAIN_RE = re.compile(r"(?:[^\W_]|[-_])+(?:\.(?:[^\W_]|[-_])+)*\.?", re.UNICODE)


def load_site_file(path: Path | str) -> Site:
    """Read and validate one site file."""
    path = Path(path)
    source = str(path)
    try:
        data = path.read_bytes()
        # utf-8-sig: the byte-order mark a Windows editor writes was 'Invalid statement (at line 1, column 1)'
        raw = tomllib.loads(data.decode("utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        raise SiteConfigError(source, "(file)", f"not valid TOML: {exc}") from None
    except UnicodeDecodeError as exc:   # was "cannot read: 'utf-8' codec can't decode byte 0xe9 in position 63"
        line = data[:exc.start].count(b"\n") + 1
        raise SiteConfigError(source, "(file)", f"not UTF-8 (site files are TOML, UTF-8): byte "
                                                f"0x{data[exc.start]:02x} on line {line}; save the file as UTF-8") from None
    except OSError as exc:
        raise SiteConfigError(source, "(file)", f"cannot read: {exc}") from None
    site = site_from_dict(raw, source)
    if site.name != path.stem:
        # 'my-site.toml' can hold no name of its own: said as what to rename
        fix = "" if _NAME_RE.match(path.stem) else f" (no site name: rename the file {site.name}.toml)"
        raise SiteConfigError(source, "name", f"must match the file name {path.stem!r}, got {site.name!r}{fix}")
    return site


def site_from_dict(raw: dict[str, Any], source: str = "<dict>") -> Site:
    """Validate a parsed site file into a :class:`Site`."""
    v = _Validator(source)
    v.keys(raw, _TOP, "")
    name = v.string(raw, "name", required=True)
    if not _NAME_RE.match(name):
        raise SiteConfigError(source, "name",
                              f"use 2-41 lowercase letters, digits or _ , starting with a letter, got {name!r}")
    base_url = _check_url(v.string(raw, "base_url", required=True), source, "base_url")
    if any(c.isspace() for c in base_url):   # every path of the site was joined to it, spaces and all
        raise SiteConfigError(source, "base_url", f"{base_url!r} has a space in it: a URL has none")
    named = v.strings(raw, "domains")
    domains = named or (urlsplit(base_url).hostname or "",)
    for i, domain in enumerate(named):
        if not _DOMAIN_RE.fullmatch(domain.strip()):
            # 'https://x.example/' matched no host: every link was off the site, the crawl found nothing
            raise SiteConfigError(source, f"domains[{i}]",
                                  f"{domain!r} is not a domain: the host name alone, e.g. x.example")
    # "www." is dropped: a domain covers its subdomains, www included.
    domains = tuple(dict.fromkeys(ascii_host(d).removeprefix("www.") for d in domains))
    host = ascii_host(urlsplit(base_url).hostname or "")
    if named and not covered_by(host, domains):
        # every link of the site was off its domains: the crawl read its listings, wrote nothing
        # and said 'ok'
        raise SiteConfigError(source, "domains", f"none of {list(domains)} covers base_url's host {host!r} "
                                                 "(the crawl stays inside the domains: it would write nothing)")

    disc = v.table(raw, "discovery", _DISCOVERY)
    discovery = Discovery(
        robots=v.boolean(disc, "discovery.robots", default=True),
        sitemaps=_start_entries(v, disc, "discovery.sitemaps", base_url, domains),
        news_sitemaps=_start_entries(v, disc, "discovery.news_sitemaps", base_url, domains),
        feeds=_start_entries(v, disc, "discovery.feeds", base_url, domains),
        sections=_start_entries(v, disc, "discovery.sections", base_url, domains),
        section_pages=v.integer(disc, "discovery.section_pages", default=5, minimum=0, maximum=MOST_SECTION_PAGES),
        pagination=_over_paths(v, v.patterns(disc, "discovery.pagination"), "discovery.pagination", domains),
    )
    arts = v.table(raw, "articles", _ARTICLES)
    lim = v.table(raw, "limits", _LIMITS)
    limits = Limits(
        max_articles=v.integer(lim, "limits.max_articles", default=0, minimum=0),
        concurrency=v.integer(lim, "limits.concurrency", default=4, minimum=1, maximum=MOST_CONCURRENCY),
        download_delay=v.number(lim, "limits.download_delay", default=0.25, minimum=0.0, maximum=LONGEST_DELAY),
    )
    hl = v.table(raw, "health", _HEALTH)
    cov = hl.get("coverage", dict(Health().coverage))
    if not isinstance(cov, dict):
        raise SiteConfigError(source, "health.coverage", "must be a table of field = share between 0 and 1, "
                                                         f"got {cov!r}")
    for k, x in cov.items():   # named: 'title = 90' (meant as 90 %) was said as the whole table
        if isinstance(x, bool) or not isinstance(x, (int, float)) or not 0 <= x <= 1:
            raise SiteConfigError(source, f"health.coverage.{k}", f"must be a share between 0 and 1, got {x!r}")
    for k in cov:
        if k not in COVERAGE_FIELDS:   # never counted: its share would read 0 on every run
            close = difflib.get_close_matches(str(k).lower(), COVERAGE_FIELDS, n=1, cutoff=0.7)
            raise SiteConfigError(source, f"health.coverage.{k}", "unknown field" + (
                f"; did you mean {close[0]}?" if close else "") + f" (expected one of: {', '.join(sorted(COVERAGE_FIELDS))})")
    health = Health(
        # shares of the pages: a rate over 1 (5, meant as 5 %) was a check that never failed
        max_error_rate=v.number(hl, "health.max_error_rate", default=Health().max_error_rate, minimum=0.0,
                                maximum=1.0),
        max_reject_rate=v.number(hl, "health.max_reject_rate", default=Health().max_reject_rate, minimum=0.0,
                                 maximum=1.0),
        min_pages_for_rates=v.integer(hl, "health.min_pages_for_rates", default=Health().min_pages_for_rates,
                                      minimum=0),
        coverage=tuple((str(k), float(x)) for k, x in cov.items()),
    )
    cln = v.table(raw, "cleaning", _CLEANING)
    for i, sel in enumerate(v.strings(cln, "cleaning.drop_selectors")):
        _check_css(sel, source, f"cleaning.drop_selectors[{i}]")
    for i, xp in enumerate(v.strings(cln, "cleaning.drop_xpaths")):
        _check_xpath(xp, source, f"cleaning.drop_xpaths[{i}]")
    body = v.string(cln, "cleaning.body_selector", blank_ok=False) or None
    if body:
        _check_css(body, source, "cleaning.body_selector")
    rules = SiteRules(
        name=name,
        drop_selectors=v.strings(cln, "cleaning.drop_selectors"),
        drop_xpaths=v.strings(cln, "cleaning.drop_xpaths"),
        drop_line_patterns=tuple(p.pattern for p in v.patterns(cln, "cleaning.drop_line_patterns")),
        body_selector=body,
        min_chars=v.integer(cln, "cleaning.min_chars", default=SiteRules().min_chars, minimum=0,
                            maximum=MOST_MIN_CHARS),
    )
    # stripped as URLs and domains are: country = " de " was 'not an ISO code', " A paper" was
    # listed by `newsclean sites` with its spaces
    country = v.string(raw, "country", blank_ok=False).strip().lower()
    if country and country not in COUNTRIES:
        alias = COUNTRY_ALIASES.get(country)   # 'uk' is no ISO code: --country uk is taken as gb
        raise SiteConfigError(source, "country", f"{country!r} is not an ISO 3166-1 alpha-2 code " + (
            f"(did you mean {alias}?)" if alias else "(e.g. de, gb, us)"))
    languages = tuple(x.strip().lower() for x in v.strings(raw, "languages"))
    for i, lang in enumerate(languages):
        if lang not in LANGUAGES:
            raise SiteConfigError(source, f"languages[{i}]", f"{lang!r} is not an ISO 639-1 code (e.g. de, en, zh)")
    facts = v.table(raw, "facts", _FACTS)
    read = facts.get("read")
    if read is not None and (not isinstance(read, date) or isinstance(read, datetime)):
        raise SiteConfigError(source, "facts.read", f"must be a date (read = 2026-12-04), got {read!r}")
    site = Site(
        name=name,
        title=v.string(raw, "title", blank_ok=False).strip() or name,
        country=country,
        languages=languages,
        description=v.string(raw, "description", blank_ok=False).strip(),
        catalog=v.boolean(raw, "catalog", default=True),
        facts_source=v.string(facts, "facts.source", blank_ok=False).strip(),
        facts_read=read,
        base_url=base_url,
        domains=domains,
        discovery=discovery,
        allow=_over_paths(v, v.patterns(arts, "articles.allow"), "articles.allow", domains),
        deny=_over_paths(v, v.patterns(arts, "articles.deny"), "articles.deny", domains),
        limits=limits,
        health=health,
        rules=rules,
        source=source,
    )
    _warn_repeats(site, named)
    return site


def _start_entries(v: _Validator, disc: dict[str, Any], dotted: str, base_url: str,
                   domains: tuple[str, ...]) -> tuple[str, ...]:
    """A discovery list's URLs and paths, stripped as base_url and domains are (' /feed/ ' was joined
    to base_url as 'https://x.example/feed/ '), each checked as the URL it resolves to, named by its
    field and index (a bad news_sitemaps entry was said as 'discovery.sitemaps'; 'http://[::1' was
    a traceback)."""
    entries = tuple(x.strip() for x in v.strings(disc, dotted))
    for i, entry in enumerate(entries):
        try:
            parts = urlsplit(urljoin(base_url, entry))
            ok = parts.scheme in ("http", "https") and bool(parts.hostname)
        except ValueError:
            ok = False
        if cut_userinfo(entry):   # 'https://u:pa/ss@x.example/feed' was fetched from host 'u', the password logged
            raise v.fail(f"{dotted}[{i}]", cut_password(entry, ok))
        if not ok:
            raise v.fail(f"{dotted}[{i}]", f"{entry!r} is not an absolute http(s) URL nor a path of the site")
        if why := sent_without_credentials(entry):
            raise v.fail(f"{dotted}[{i}]", why)
        if any(c.isspace() for c in entry):
            # 'https://x.example/feed/ /rss/' was fetched as one URL, '/feed/%20/rss/', a 404
            raise v.fail(f"{dotted}[{i}]", f"{entry!r} has a space in it: a URL has none (one URL an entry; "
                                           "a space in a path is written %20)")
        if _host_without_scheme(entry, domains):
            # 'x.example/sitemap.xml' was a path of the site, https://x.example/x.example/sitemap.xml
            first, _, rest = entry.partition("/")
            host = first.split("?", 1)[0].lower()
            ours = host.startswith("www.") or covered_by(host, domains)
            how = ("write the scheme with '://'" if host.rstrip(":") in ("http", "https") else
                   f"write the whole URL ({urlsplit(base_url).scheme}://{entry}) or the path alone (/{rest})" if ours
                   else f"write the whole URL (https://{entry})")
            raise v.fail(f"{dotted}[{i}]", f"{entry!r} has no scheme: it reads as a path of the site, "
                                           f"{urljoin(base_url, entry)}; {how}")
    return entries


def _over_paths(v: _Validator, patterns: tuple[regex.Pattern[str], ...], dotted: str,
                domains: tuple[str, ...]) -> tuple[regex.Pattern[str], ...]:
    """URL patterns checked to be over "path?query", as they are matched: one written for the
    whole URL (``'^https://x\\.example/\\d{4}/'``) matched nothing, an allow pattern refusing every
    article of the site without a word."""
    for i, p in enumerate(patterns):
        # an escaped character read as itself ('\.' is '.'); a class or an anchor ('\b', '\d') kept as
        # written, so that it ends the host's name: 'example\.com\b' was read as 'example.comb'
        text = re.sub(r"\\(\W)", r"\1", re.sub(r"^\(\?[aiLmsux]+\)", "", p.pattern)).lower()
        head = text.removeprefix("^")
        # a pattern for a URL in the query ('[?&]u=https?://') is no mistake: one for this site's host is,
        # behind a scheme and optional groups ('(?:https?://)?', '(?:www\.)?', unanchored or not)
        host = re.sub(r"^(?:\((?:\?:)?[\w.:/?|-]*\)\?|https?\??:|//)+", "", head)
        name = re.match(r"[\w.-]*", host).group().rstrip(".")   # type: ignore[union-attr]  # not the "." of ".*"
        if (text.startswith("^") and head.startswith("http")) or host.startswith("www.") \
                or covered_by(name, domains):
            raise v.fail(f"{dotted}[{i}]", f"{p.pattern!r} is written for a whole URL: the patterns are matched "
                                           "against the path and query ('/2026/03/04/a-story/?id=1'), no scheme "
                                           "or host: it would never match")
    return patterns


#: The last part of a relative start path's first segment that is a file's extension, not a top-level
#: domain: 'rss.xml', 'index.php/feed' are paths of the site.
_FILE_ENDINGS = frozenset(("xml", "gz", "rss", "rdf", "atom", "json", "txt", "php", "html", "htm", "xhtml",
                           "shtml", "asp", "aspx", "jsp", "cgi", "pl", "cfm", "do", "py"))


def _host_without_scheme(entry: str, domains: tuple[str, ...]) -> bool:
    """Whether a start URL entry without a scheme begins with a host name: the site's own
    (``x.example/feed``), a ``www.`` one, a mistyped scheme (``https//x.example/``) or any other
    host (``cdn.example.net/rss``, a path of the site before: ``https://x.example/cdn.example.net/rss``)."""
    if urlsplit(entry).scheme or entry.startswith(("/", ".", "?", "#")):
        return False
    cut = len(entry.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0])
    first, rest = entry[:cut].lower(), entry[cut:]
    if first.rstrip(":") in ("http", "https") or first.startswith("www.") \
            or covered_by(first, domains):
        return True
    # another host: a domain name ending in a top-level domain, with a path after it or of three labels
    labels = first.split(".")
    return (bool(_DOMAIN_RE.fullmatch(first)) and len(labels) >= 2 and labels[-1].isalpha() and len(labels[-1]) >= 2
            and labels[-1] not in _FILE_ENDINGS and (bool(rest) or len(labels) >= 3))


#: What was already warned about, by file and field: a process may load a site file more than once.
_warned_fields: set[tuple[str, str]] = set()


def _warn(source: str, field_name: str, problem: str) -> None:
    """A value that is legal but surely a mistake: said once on stderr, the crawl goes on."""
    if (source, field_name) not in _warned_fields:
        _warned_fields.add((source, field_name))
        logger.warning("newsclean: warning: %s: field '%s': %s", source, field_name, problem)


def _warn_repeats(site: Site, domains: tuple[str, ...]) -> None:
    """Start URLs listed twice (fetched once, as the kind listed first) and domains covered by
    another of the site's (a domain covers its subdomains, www included)."""
    seen: dict[str, str] = {}
    for key in ("news_sitemaps", "sitemaps", "feeds", "sections"):
        for i, entry in enumerate(getattr(site.discovery, key)):
            url, here = site.absolute(entry), f"discovery.{key}[{i}]"
            if url in seen:
                _warn(site.source, here, f"{entry!r} is listed already ({seen[url]}): it is fetched once, "
                                         f"as the first says; remove one")
            else:
                seen[url] = here
    norm = [d.strip().lower().removeprefix("www.") for d in domains]
    for i, d in enumerate(norm):
        again = next((j for j in range(i) if norm[j] == d), None)
        cover = next((j for j, e in enumerate(norm) if d.endswith("." + e)), None)
        if again is not None and domains[again] == domains[i]:
            _warn(site.source, f"domains[{i}]", f"{domains[i]!r} is listed already (domains[{again}]); remove one")
        elif again is not None or cover is not None:
            j = again if again is not None else cover
            _warn(site.source, f"domains[{i}]", f"{domains[i]!r} is covered by {domains[j]!r} (a domain covers its "
                                                "subdomains, www included); remove it")


def adhoc_site(urls: list[str], name: str = "adhoc", *, discover: bool = True) -> Site:
    """A site from start URLs given on the command line, with no registry file.

    Each URL may be a site root, a sitemap, a feed or a section page: the spider tells them
    apart by what the server answers. The URLs' hosts bound the crawl. ``discover=False``:
    the URLs are articles to fetch as they are (``--urls``), nothing is discovered.
    """
    if not urls:
        raise SiteConfigError("--url", None, "give at least one URL")
    checked = [_check_url(u, "--url", None) for u in urls]   # an option, no field: "--url: field 'url'" read oddly
    hosts = tuple(dict.fromkeys(ascii_host(urlsplit(u).hostname or "").removeprefix("www.") for u in checked))
    roots = [u for u in checked if urlsplit(u).path in ("", "/")]
    discovery = Discovery(robots=bool(roots), sniff=tuple(checked)) if discover else Discovery(robots=False)
    base = roots[0] if roots else f"{urlsplit(checked[0]).scheme}://{urlsplit(checked[0]).netloc}/"
    return Site(name=name, title="ad-hoc: " + ", ".join(hosts), base_url=base, domains=hosts,
                discovery=discovery, rules=SiteRules(name=name), source="--url")


def sites_dirs() -> list[Path]:
    dirs = [BUILTIN_SITES_DIR]
    extra = os.environ.get(SITES_DIR_ENV, "")
    dirs += [Path(p).expanduser() for p in extra.split(os.pathsep) if p]   # a crontab's ~ is not expanded
    return dirs


def load_registry(dirs: list[Path] | None = None) -> dict[str, Site]:
    """All sites of the registry directories, by name. Raises on the first bad file."""
    sites: dict[str, Site] = {}
    for d in dirs if dirs is not None else sites_dirs():
        named = f"{SITES_DIR_ENV} {d}" if dirs is None else str(d)
        if not d.is_dir():   # said as the variable that named it, not as a site file's field
            if d.exists():   # the site file itself named
                why = f"a file, not a directory: name the folder holding the site files ({d.parent})"
            elif "," in str(d) and all(Path(p).is_dir() for p in str(d).split(",") if p):
                why = f"no such directory (directories are separated by '{os.pathsep}', not ',')"
            else:
                why = "no such directory"
            raise SiteConfigError(named, None, why)
        claimed: dict[str, Site] = {}
        site_files = _site_files(d, named)
        for path in site_files:   # the catalog keeps a folder per country
            site = load_site_file(path)
            if site.name in sites:
                raise SiteConfigError(str(path), "name",
                                      f"site {site.name!r} is already defined in {sites[site.name].source}")
            _claim_domains(site, claimed)
            sites[site.name] = site
    return sites


#: Files of a sites directory that are not site files and said nothing of: notes beside them.
_NOT_SITE_FILES = re.compile(r"(?i)^readme|\.(md|rst|txt)$")
#: What was already warned about (a process loads the registry more than once: not said twice).
_warned: set[Path] = set()
#: Other files of a directory named one by one; past them one line counts the rest.
_NAMED_OTHERS = 5


def _site_files(directory: Path, named: str) -> list[Path]:
    """The site files (``*.toml``) below ``directory``, in order, read in one walk; a warning for
    each other file that looks like a site file in another format (``x.yaml``, ``x.tml``,
    ``x.toml.bak``: its site was then an 'unknown site' without a word), outside hidden folders
    (a sites directory kept in git), the first few by name and then a count: a directory that is
    no sites directory (``NEWSCLEAN_SITES_DIR=/proc``) wrote 44,000 lines. A ``*.toml`` that is
    no file (a FIFO: the read waited forever; a device) is a :class:`SiteConfigError`."""
    found: list[Path] = []
    others: list[Path] = []
    unreadable: list[str] = []
    def cannot_read(exc: OSError) -> None:
        unreadable.append(f"{exc.filename}: {(exc.strerror or str(exc)).lower()}")

    for root, _, files in os.walk(directory, onerror=cannot_read):
        hidden = any(part.startswith(".") for part in Path(root).relative_to(directory).parts)
        for name in files:
            path = Path(root, name)
            if name.endswith(".toml"):
                found.append(path)
            elif not (hidden or name.startswith(".") or _NOT_SITE_FILES.search(name)):
                others.append(path)
    for path in found:
        try:
            regular = stat.S_ISREG(path.stat().st_mode)
        except OSError as exc:   # a link to nowhere
            raise SiteConfigError(str(path), "(file)", f"cannot read: {(exc.strerror or str(exc)).lower()}") from None
        if not regular:
            raise SiteConfigError(str(path), "(file)", "not a file (a FIFO, socket or device): site files are TOML files")
    if directory not in _warned:
        _warned.add(directory)
        _say_others(sorted(others), named)
        for problem in unreadable[:_NAMED_OTHERS]:
            logger.warning("newsclean: warning: cannot read the folder %s; its site files are not loaded", problem)
        if len(unreadable) > _NAMED_OTHERS:
            logger.warning("newsclean: warning: %s: %s more folders that cannot be read", named,
                           f"{len(unreadable) - _NAMED_OTHERS:,}")
        if not found:
            logger.warning("newsclean: warning: %s holds no site file (*.toml; docs/sites.md)", named)
    return sorted(found)


def _say_others(others: list[Path], named: str) -> None:
    for path in others[:_NAMED_OTHERS]:
        logger.warning("newsclean: warning: %s ignored: site files are TOML, named *.toml (docs/sites.md)", path)
    if len(others) > _NAMED_OTHERS:
        logger.warning("newsclean: warning: %s: %s more files that are not site files ignored",
                       named, f"{len(others) - _NAMED_OTHERS:,}")


#: The settings key under which a ``newsclean`` command hands the registry it loaded on to its
#: crawl (Scrapy's spider loader, the spiders): a run reads the site files once. Not a user setting.
REGISTRY_KEY = "newsclean_registry"


class _Handed:
    """A registry in a crawl's settings. Scrapy deep-copies the settings for the spider loader
    and for every crawler; the sites are frozen: shared, not copied."""

    __slots__ = ("sites",)

    def __init__(self, sites: dict[str, Site]) -> None:
        self.sites = sites

    def __deepcopy__(self, memo: dict[int, Any]) -> _Handed:
        return self

    def __repr__(self) -> str:
        return f"<{len(self.sites)} registered sites>"


def hand_on(registry: dict[str, Site]) -> dict[str, Any]:
    """The settings that hand ``registry`` on to a crawl (read back by :func:`registry_from`)."""
    return {REGISTRY_KEY: _Handed(registry)}


def registry_from(settings: Any) -> dict[str, Site]:
    """The registry handed on in a crawl's ``settings``; loaded here when none was (plain ``scrapy``)."""
    handed = settings.get(REGISTRY_KEY)
    return handed.sites if isinstance(handed, _Handed) else load_registry()


def _claim_domains(site: Site, claimed: dict[str, Site]) -> None:
    """No two sites of one directory claim the same domain: a URL has one site whose rules apply.

    A later directory (``NEWSCLEAN_SITES_DIR``) may claim a shipped site's domain: its site wins.
    """
    for d in site.domains:
        if d in claimed:
            other = claimed[d]
            raise SiteConfigError(site.source, "domains",
                                  f"domain {d!r} is already claimed by site {other.name!r} ({other.source})")
        claimed[d] = site


def _port(url: str) -> int | None:
    try:
        return urlsplit(url).port
    except ValueError:   # "http://host:99999/"
        return None


def site_for_url(url: str, registry: dict[str, Site]) -> Site | None:
    """The registered site a URL belongs to: the one claiming the longest domain that covers its host
    (on a tie, the one loaded last: a user's directory comes after the shipped one). A site whose
    base URL names a port (a local server: the demo's 127.0.0.1:8000) claims only that port."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:   # "http://[::1/x": no host
        return None
    port = _port(url)
    best, best_len = None, 0
    for site in registry.values():
        domain = site.claims(host)
        # the base URL's port is parsed only for the sites claiming the host, not for every site a page
        if domain and len(domain) >= best_len and _port(site.base_url) in (None, port):
            best, best_len = site, len(domain)
    return best


def select_sites(registry: dict[str, Site], country: str | None = None,
                 language: str | None = None) -> list[Site]:
    """The catalog's sites (``catalog = true``) of ``country`` publishing in ``language``, by name."""
    return [s for _, s in sorted(registry.items()) if s.catalog and s.matches(country, language)]


def unknown_name(name: str, names: Iterable[str], *, kind: str = "site",
                 listed_by: str = "`newsclean sites`") -> str:
    """One line for a name that is not registered: the nearest names and where all are listed
    (not the 175 of the catalog in one line)."""
    names = list(names)
    # compared in lower case too: `crawl DEMO` or `crawl PakistanToday` named no site nearby
    by_lower = {n.lower(): n for n in names}
    close = difflib.get_close_matches(name.lower(), list(by_lower), n=3)
    close = [by_lower[c] for c in close] or difflib.get_close_matches(name, names, n=3)
    return f"unknown {kind} {name!r}" + (f"; did you mean {', '.join(close)}?" if close else "") + \
        f" ({listed_by} lists them)"


def get_site(name: str, registry: dict[str, Site] | None = None) -> Site:
    registry = load_registry() if registry is None else registry
    try:
        return registry[name]
    except KeyError:
        raise UnknownSiteError(name, sorted(registry)) from None


# -- validation helpers -------------------------------------------------------------------

def ascii_host(host: str) -> str:
    """``host`` lowercased, in the ASCII form a request is sent to (IDNA, as Scrapy encodes it):
    an internationalized name compared as written (bücher.example) never matched the requests'
    hosts (xn--bcher-kva.example): Scrapy's offsite filter dropped every one, and a run from
    ``--url http://bücher.example/`` said 'ok - 0 articles written'."""
    host = host.strip().lower()
    if host.isascii():
        return host
    try:
        return (urlsplit(safe_url_string(f"http://{host}/")).hostname or host).lower()
    except (ValueError, UnicodeError):   # a label IDNA refuses: compared as written
        return host


def covered_by(host: str, domains: Iterable[str]) -> bool:
    """Whether ``host`` is one of ``domains`` or a subdomain of one."""
    return any(host == d or host.endswith("." + d) for d in domains)


def check_url(url: str, source: str) -> str:
    """A URL given by the user (an option, a spider argument) stripped, or SiteConfigError naming
    SOURCE when it is no absolute http(s) URL."""
    return _check_url(url, source, None)


def is_http_url(url: str) -> bool:
    """Whether ``url`` is an absolute http(s) URL a request can be made of: a scheme, a host, and a
    port that is a number ('http://[::1', 'http://h:abc/': each was a traceback in the spider)."""
    try:
        parts = urlsplit(url.strip())
        parts.port
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def port_hint(url: str) -> str:
    """"; its port 'abc' is no number from 0 to 65535" where an http(s) URL's port is what is wrong
    ('http://h:abc/', 'http://h:99999/'), else "": "not an absolute http(s) URL" alone did not say it."""
    try:
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return ""
    except ValueError:   # 'http://[::1'
        return ""
    try:
        parts.port
    except ValueError:
        port = parts.netloc.rpartition("@")[2].rpartition("]")[2].partition(":")[2]   # past a password, an IPv6 host
        return f"; its port {port!r} is no number from 0 to 65535"
    return ""


def sent_without_credentials(url: str) -> str:
    """What is wrong with an http(s) ``url`` that holds a user or password, its password hidden; ""
    for one that holds none. Scrapy does not send them: it asked for a host named 'user:pw@host'
    and the fetch failed ("invalid hostname", a traceback in the log, the run degraded)."""
    try:
        if urlsplit(url.strip()).username is None:
            return ""
    except ValueError:
        return ""
    return (f"{mask_credentials(url.strip())!r}: a user or password in a URL is not sent with its "
            "requests; a site behind HTTP authentication is not crawled (leave them out of the URL)")


def cut_password(url: str, valid: bool) -> str:
    """What is wrong with ``url``, whose user or password a '/', '?' or '#' cuts short (:func:`cut_userinfo`),
    its password hidden; ``valid``: a URL parser reads it as a host with a port number and a path,
    so the '@' may be its path's."""
    return (f"{mask_credentials(url.strip())!r}: a '/', '?' or '#' in its user or password ends the host there; "
            "write them percent-encoded (%2F, %3F, %23)" + (", or an '@' of its path as %40" if valid else ""))


def _check_url(url: str, source: str, field_name: str | None) -> str:
    ok = is_http_url(url)
    if cut_userinfo(url):
        # 'http://ed:pa/ss@host/' is host 'ed', port 'pa': a traceback quoting the password's start;
        # 'http://ed:12/34@host/' host 'ed', port 12: a valid URL, the password in the log and manifest
        raise SiteConfigError(source, field_name, cut_password(url, ok))
    if ok and (why := sent_without_credentials(url)):
        raise SiteConfigError(source, field_name, why)
    if not ok:
        host = url.strip().split("/", 1)[0]
        hint = f"; with its scheme: https://{url.strip()}" if "://" not in url and "." in host and \
            _DOMAIN_RE.fullmatch(host) else port_hint(url)   # 'www.example.com': a host without its scheme
        raise SiteConfigError(source, field_name, f"{url!r} is not an absolute http(s) URL{hint}")
    return url.strip()


def _check_css(selector: str, source: str, field_name: str) -> None:
    from cssselect import GenericTranslator, SelectorError

    try:
        GenericTranslator().css_to_xpath(selector)
    except SelectorError as exc:
        raise SiteConfigError(source, field_name, f"bad CSS selector {selector!r}: {exc}") from None


def _check_xpath(expr: str, source: str, field_name: str) -> None:
    from lxml import etree

    try:
        etree.XPath(expr)
    except etree.XPathSyntaxError as exc:
        raise SiteConfigError(source, field_name, f"bad XPath {expr!r}: {exc}") from None


def unknown_field(key: str, allowed: Iterable[str], table: str) -> str:
    """Why a field of a site file is unknown: where it belongs when it is another table's (a key
    written after a ``[table]`` header is in that table, as TOML reads it), else the nearest
    name (``concurency``), else every field the table has."""
    allowed = sorted(allowed)
    home = _TABLE_OF.get(key)
    if home is not None and home != table:
        if not home:
            return (f"unknown field: {key} belongs at the top of the file, before the first [table] "
                    f"(TOML reads every key after [{table}] as one of that table's)")
        return f"unknown field: {key} belongs in [{home}]"
    close = difflib.get_close_matches(key.lower(), allowed, n=1, cutoff=0.7)
    if close:
        return f"unknown field; did you mean {close[0]}? (expected one of: {', '.join(allowed)})"
    close = difflib.get_close_matches(key.lower(), list(_TABLE_OF), n=1, cutoff=0.7)
    if close:
        where = f"[{_TABLE_OF[close[0]]}]" if _TABLE_OF[close[0]] else "the top of the file"
        return f"unknown field; did you mean {close[0]}, in {where}?"
    return f"unknown field (expected one of: {', '.join(allowed)})"


def _toml_string(value: str) -> str:
    """``value`` as a TOML string: a literal one ('...') where it can be (a regex's backslashes)."""
    return f"'{value}'" if "'" not in value and value.isprintable() else json.dumps(value)


class _Validator:
    """Typed getters over a parsed TOML table that raise errors naming the field."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, field_name: str, problem: str) -> SiteConfigError:
        return SiteConfigError(self.source, field_name, problem)

    def keys(self, table: dict[str, Any], allowed: set[str], prefix: str) -> None:
        for key in table:
            if key not in allowed:
                raise self.fail(prefix + key, unknown_field(key, allowed, prefix.rstrip(".")))

    def table(self, raw: dict[str, Any], key: str, allowed: set[str]) -> dict[str, Any]:
        value = raw.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(key, f"must be a table ([{key}]), got {type(value).__name__}")
        self.keys(value, allowed, key + ".")
        return value

    @staticmethod
    def _leaf(dotted: str) -> str:
        return dotted.rsplit(".", 1)[-1]

    def string(self, t: dict[str, Any], dotted: str, required: bool = False, blank_ok: bool = True) -> str:
        value = t.get(self._leaf(dotted))
        if value is None:
            if required:
                raise self.fail(dotted, "is required")
            return ""
        if not isinstance(value, str):
            raise self.fail(dotted, f"must be a string, got {type(value).__name__}")
        if not blank_ok and not value.strip():
            # read silently before: body_selector = "" as no selector, title = "" as the site's name
            raise self._blank(dotted, value, "or leave the field out")
        return value

    def strings(self, t: dict[str, Any], dotted: str) -> tuple[str, ...]:
        value = t.get(self._leaf(dotted), [])
        if isinstance(value, str):   # sitemaps = "/sitemap.xml": one entry without its brackets
            raise self.fail(dotted, f"must be a list of strings, got the string {value!r}: "
                                    f"{self._leaf(dotted)} = [{_toml_string(value)}]")
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            raise self.fail(dotted, f"must be a list of strings, got {value!r}")
        for i, x in enumerate(value):
            if not x.strip():
                # read silently before: an empty start URL as base_url itself, an empty deny
                # pattern as 'no URL is an article', an empty allow as 'every URL is'
                raise self._blank(f"{dotted}[{i}]", x, "or remove the entry")
        return tuple(value)

    def _blank(self, dotted: str, value: str, otherwise: str) -> SiteConfigError:
        said = "is empty" if not value else f"is only spaces ({value!r})"
        return self.fail(dotted, f"{said}: give {_WANTED.get(self._leaf(dotted).split('[')[0], 'a value')}, {otherwise}")

    def patterns(self, t: dict[str, Any], dotted: str) -> tuple[regex.Pattern[str], ...]:
        """A list of regular expressions, compiled as site patterns (site_patterns); one that
        backtracks on a text that almost matches it is refused, the text named."""
        out = []
        for i, p in enumerate(self.strings(t, dotted)):
            try:
                out.append(compile_pattern(p))
            except (re.error, regex.error) as exc:
                raise self.fail(f"{dotted}[{i}]", f"bad regular expression {p!r}: {exc}") from None
            if (near := backtracks(out[-1])) is not None:
                raise self.fail(f"{dotted}[{i}]", f"regular expression {p!r} backtracks on {near!r}, a text that almost "
                                "matches: it tries every way to split it (as one that repeats a group that holds a "
                                "repeat, with nothing to tell one round from the next, does: '(a|aa)+'), hours for 40 "
                                "characters. Let each round begin or end with a character the inner repeat does not take "
                                "('(?:[a-z0-9]+-)*[a-z0-9]+'), or make the outer repeat possessive ('++', '*+')")
        return tuple(out)

    def boolean(self, t: dict[str, Any], dotted: str, default: bool) -> bool:
        value = t.get(self._leaf(dotted), default)
        if not isinstance(value, bool):
            raise self.fail(dotted, f"must be true or false, got {value!r}")
        return value

    def integer(self, t: dict[str, Any], dotted: str, default: int, minimum: int, maximum: int | None = None) -> int:
        value = t.get(self._leaf(dotted), default)
        if (isinstance(value, bool) or not isinstance(value, int) or value < minimum
                or (maximum is not None and value > maximum)):
            most = f" and <= {maximum}" if maximum is not None else ""
            raise self.fail(dotted, f"must be an integer >= {minimum}{most}, got {value!r}")
        return value

    def number(self, t: dict[str, Any], dotted: str, default: float, minimum: float,
               maximum: float = math.inf) -> float:
        value = t.get(self._leaf(dotted), default)
        # nan and inf are TOML floats: a download_delay of inf hung the crawl past SIGTERM
        if (isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value)
                or not minimum <= value <= maximum):
            most = f" and <= {maximum:g}" if maximum < math.inf else ""
            raise self.fail(dotted, f"must be a number >= {minimum}{most}, got {value!r}")
        return float(value)
