"""Per-site template learning: blocks that repeat across many pages of one site are boilerplate.

A *block* is a run of text between block-level boundaries (``<p>``, ``<div>``, ``<li>``, ``<br>``,
...), normalized (NFKC, case-folded, reduced to its ``\\w+`` tokens) and stored as a 64-bit hash.
:class:`SiteTemplates` counts, for each block, how many *distinct pages* of a site contain it
(a page is a set of blocks, so a sentence repeated inside one article counts once). Blocks seen on
at least :meth:`SiteTemplates.threshold` pages are learned boilerplate: sidebar headlines, teaser
excerpts, e-paper links, a standard correction note, an archive's banner.

The learned set depends only on the set of pages observed, never on their order (counts are exact
until ``max_blocks`` distinct blocks are held; see :meth:`SiteTemplates.observe`).

``clean_html(..., templates=t)`` calls :meth:`SiteTemplates.prune_tree` before extraction and
:meth:`SiteTemplates.filter_lines` after it. :func:`clean_many` learns each site's blocks from a
whole batch, optionally persisted per site in a state directory, then cleans every page.
"""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from hashlib import blake2b
from pathlib import Path
from urllib.parse import urlsplit

import lxml.etree as etree
from courlan import extract_domain
import lxml.html

from newsclean.cleaners.types import CleanResult, Rejected, SiteRules

#: Format version of :meth:`SiteTemplates.to_dict`; bump when the hashing or layout changes.
STATE_VERSION = 1

#: Elements whose start and end delimit text blocks (as a browser or trafilatura would break lines).
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "html", "legend", "li", "main", "menu", "nav", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
#: Void elements that only separate blocks.
SEPARATOR_TAGS = frozenset({"br", "hr"})
#: Elements whose text is never page text.
SKIP_TAGS = frozenset({"head", "script", "style", "noscript", "template", "svg", "math", "select",
                       "option", "iframe", "object", "embed", "textarea"})
#: Never pruned: the page's own headline is evidence for its title even when other pages tease it.
PROTECTED_TAGS = frozenset({"html", "body", "h1"})

#: Longer blocks are article paragraphs, not template (and are not stored: bounds memory).
MAX_BLOCK_CHARS = 2000
#: Blocks at least this long are paragraph-sized: what a page's body is made of.
BODY_BLOCK_CHARS = 100
#: A page whose paragraph-sized text is learned at least this share (and in at least
#: ``BODY_GUARD_BLOCKS`` blocks) keeps its paragraph-sized blocks: the learned set holds this
#: page's own body (one article learned from its copies), and templates never remove a body.
#: (On an ordinary page the article's own paragraphs are unlearned, far above a fifth.)
BODY_GUARD_SHARE = 0.8
BODY_GUARD_BLOCKS = 3
#: Larger documents are not observed (clean_html rejects them as too_large anyway).
MAX_HTML_CHARS = 8_000_000

_TOKEN = re.compile(r"\w+")


def normalize_block(text: str) -> str:
    """The comparable form of a block or line: NFKC, case-folded, its word tokens joined by spaces.

    Markup-dependent spacing and punctuation (list bullets, table bars, ``Read more:`` vs
    ``Read more``) vanish, so a DOM block and the extractor's line for it compare equal.
    """
    return " ".join(_TOKEN.findall(unicodedata.normalize("NFKC", text).casefold()))


def block_hash(normalized: str) -> int:
    """Stable 64-bit hash of a normalized block (stable across processes, unlike ``hash``)."""
    return int.from_bytes(blake2b(normalized.encode("utf-8"), digest_size=8).digest(), "big")


def _learnable(normalized: str) -> bool:
    # Digits-only lines (dates, counters, table numbers) are not site furniture worth learning.
    return bool(normalized) and len(normalized) <= MAX_BLOCK_CHARS and not normalized.replace(" ", "").isdigit()


def parse_html(html: str | bytes) -> lxml.html.HtmlElement | None:
    """Parse a document for learning; ``None`` when it is empty, too large or unparseable."""
    from newsclean.cleaners.dom import adopt_stray_roots   # here: the crawl's main process never parses

    root = _parse_html(html)
    if root is not None:
        adopt_stray_roots(root)  # what the cleaner will see, the learner must see too
    return root


def _parse_html(html: str | bytes) -> lxml.html.HtmlElement | None:
    if not html or len(html) > MAX_HTML_CHARS:
        return None
    try:
        return lxml.html.document_fromstring(html)
    except ValueError:
        # A str with an XML encoding declaration: lxml wants bytes for that.
        if isinstance(html, str):
            try:
                return lxml.html.document_fromstring(html.encode("utf-8"),
                                                     parser=lxml.html.HTMLParser(encoding="utf-8"))
            except (ValueError, etree.ParserError):
                return None
        return None
    except etree.ParserError:
        return None


class _BlockScan:
    """One pass over a tree: the page's block hashes, and (given learned hashes) the elements
    whose every block is learned (topmost only), with the characters they hold."""

    def __init__(self, learned: frozenset[int] | None = None, *, keep_body: bool = False) -> None:
        self.learned = learned
        self.keep_body = keep_body     # paragraph-sized blocks count as not learned
        self.body_chars = 0            # chars of paragraph-sized blocks, and of the learned ones
        self.body_learned_chars = 0
        self.body_learned_blocks = 0
        self.blocks: set[int] = set()
        self.removable: list[tuple[etree._Element, int]] = []
        self._buf: list[str] = []
        # Per open block element: [all blocks learned, number of blocks, learned chars, first removable index]
        self._frames: list[list] = [[True, 0, 0, 0]]

    def _flush(self) -> None:
        if not self._buf:
            return
        text = "".join(self._buf)
        self._buf.clear()
        if text.isspace():   # most runs between two blocks: nothing to normalize
            return
        norm = normalize_block(text)
        if not norm:
            return
        frame = self._frames[-1]
        frame[1] += 1
        if not _learnable(norm):
            frame[0] = False
            return
        h = block_hash(norm)
        self.blocks.add(h)
        if self.learned is not None:
            body = len(norm) >= BODY_BLOCK_CHARS
            learned = h in self.learned
            if body:
                self.body_chars += len(norm)
                if learned:
                    self.body_learned_chars += len(norm)
                    self.body_learned_blocks += 1
            if learned and not (body and self.keep_body):
                frame[2] += len(text.strip())
            else:
                frame[0] = False

    def body_is_learned(self) -> bool:
        """Whether most of the page's paragraph-sized text is learned (see ``BODY_GUARD_SHARE``)."""
        return (self.body_learned_blocks >= BODY_GUARD_BLOCKS
                and self.body_learned_chars >= BODY_GUARD_SHARE * self.body_chars)

    def run(self, root: etree._Element) -> _BlockScan:
        # Comments and PIs only come as their own events; their tails are page text.
        walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
        for event, el in walker:
            tag = el.tag
            if not isinstance(tag, str):
                if el.tail:
                    self._buf.append(el.tail)
                continue
            tag = tag.lower()
            if event == "start":
                if tag in SKIP_TAGS:
                    walker.skip_subtree()
                    continue
                if tag in SEPARATOR_TAGS:
                    self._flush()
                elif tag in BLOCK_TAGS:
                    self._flush()
                    self._frames.append([True, 0, 0, len(self.removable)])
                if el.text:
                    self._buf.append(el.text)
                continue
            if tag in BLOCK_TAGS:
                self._flush()
                all_learned, n, chars, first = self._frames.pop()
                parent = self._frames[-1]
                parent[0] = parent[0] and all_learned
                parent[1] += n
                parent[2] += chars
                if self.learned is not None and n and all_learned and tag not in PROTECTED_TAGS:
                    del self.removable[first:]  # its descendants go with it
                    self.removable.append((el, chars))
            if el.tail:
                self._buf.append(el.tail)
        self._flush()
        return self


def page_blocks(html_or_tree: str | bytes | etree._Element) -> frozenset[int]:
    """The set of learnable block hashes of one page (empty for an unparseable page)."""
    return _page_facts(html_or_tree)[0]


def _page_facts(html_or_tree: str | bytes | etree._Element) -> tuple[frozenset[int], str | None]:
    """A page's learnable block hashes and the canonical URL it declares (one parse)."""
    tree = html_or_tree if isinstance(html_or_tree, etree._Element) else parse_html(html_or_tree)
    if tree is None:
        return frozenset(), None
    link = tree.find(".//link[@rel='canonical']")
    return frozenset(_BlockScan().run(tree).blocks), link.get("href") if link is not None else None


def page_key(url: str, blocks: Iterable[int] = ()) -> int:
    """Identity of a page for counting: its URL without fragment; its content when the URL has
    no host (a placeholder such as ``-`` is no identity: distinct pages must not merge)."""
    url = (url or "").split("#", 1)[0].strip()
    if "://" in url and urlsplit(url).netloc:
        return block_hash(url)
    return block_hash("content:" + _hex_list(sorted(blocks)))


def content_key(blocks: Iterable[int]) -> int | None:
    """Identity of a page by its content: the set of its block hashes (None for no blocks:
    empty or unparseable pages have no content to be named by)."""
    blocks = sorted(blocks)
    return block_hash("content:" + _hex_list(blocks)) if blocks else None


def _hex_list(hashes: list[int]) -> str:
    """``a,b,c`` of the hashes in hex: one format for all (the crawl's reactor names every page by
    its content: 262 -> 168 us a page of 887 blocks against a join of one f-string each)."""
    return ("%x," * len(hashes) % tuple(hashes))[:-1]


def canonical_key(canonical: str | None) -> int | None:
    """Identity of a page by the canonical URL it declares (``rel=canonical``/``og:url``);
    None when it names no document: not absolute, or a site's root (a common misconfiguration
    that would make every page of a site one document)."""
    canonical = (canonical or "").split("#", 1)[0].strip()
    if "://" not in canonical:
        return None
    try:
        parts = urlsplit(canonical)
    except ValueError:
        return None
    if not parts.netloc or (parts.path.strip("/") == "" and not parts.query):
        return None
    return block_hash("canonical:" + canonical)


class SiteTemplates:
    """What one site's pages repeat: per-block counts of distinct pages, and the learned set.

    ``min_pages``: a block must be on at least this many distinct pages (two articles sharing a
    quote never qualify). ``min_share``: and on at least this share of the pages seen, so a small
    batch needs real repetition. ``saturation``: the page threshold never exceeds this, so a
    batch of 100 pages learns what one of 20 does: a sidebar or teaser shown on a few pages of
    a day. It was 25: the threshold then grew with the batch (6 at 40 pages, 15 at 100) and one
    site's 40 pages learned less than its halves (multipage-dev, qbatch1: F1 .9697 as one batch
    a site, .9726 in 20-page batches, .9715 at 4). A crawl, dense in time, passes 25
    (``TemplateBook.SATURATION``). ``max_blocks`` bounds memory.
    """

    def __init__(self, site: str = "generic", *, min_pages: int = 3, min_share: float = 0.15,
                 saturation: int = 4, max_blocks: int = 100_000, max_seen_pages: int = 200_000) -> None:
        if min_pages < 2:
            raise ValueError("min_pages must be >= 2: a block on one page is that page's own text")
        if not 0.0 <= min_share <= 1.0:
            raise ValueError("min_share must be within [0, 1]")
        self.site = site
        self.min_pages = min_pages
        self.min_share = min_share
        self.saturation = max(saturation, min_pages)
        self.max_blocks = max_blocks
        self.max_seen_pages = max_seen_pages
        self._counts: dict[int, int] = {}
        self._seen: set[int] = set()   # page keys (URL, content, canonical URL) already counted
        self._pages = 0
        # The learned set as last computed (None: compute it from every count), the threshold
        # and page test it was computed for, and the blocks counted since: a crawl asks for it
        # every few pages while it holds up to 2 x max_blocks counts, so only those are looked at.
        self._learned: frozenset[int] | None = None
        self._learned_for: tuple[int, bool] = (0, False)
        self._touched: set[int] = set()

    # -- learning -----------------------------------------------------------------------------
    @property
    def pages(self) -> int:
        """Distinct pages counted so far."""
        return self._pages

    def threshold(self) -> int:
        """Distinct pages a block must be on to be learned, for the pages seen so far."""
        by_share = math.ceil(self.min_share * self._pages - 1e-9)
        return max(self.min_pages, min(by_share, self.saturation))

    def observe(self, html_or_tree: str | bytes | etree._Element, url: str) -> None:
        """Count one page's blocks (as a set). A document already counted (by URL, content or
        declared canonical URL, see :meth:`add_page`) changes nothing.

        Streaming use: once more than ``2 * max_blocks`` blocks are held, the rarest are evicted
        (by count, then hash); from then on counts are approximate. :func:`clean_many` adds a
        whole batch before evicting, so a batch's result never depends on page order.
        """
        if self.add_page(url, *_page_facts(html_or_tree)) and len(self._counts) > 2 * self.max_blocks:
            self.evict()

    def add_page(self, url: str, blocks: Iterable[int], canonical: str | None = None) -> bool:
        """Count a page given its block hashes (see :func:`page_blocks`); False if already counted.

        Counts are of distinct *documents*: a page whose URL, content (block set) or declared
        ``canonical`` URL was counted before changes nothing. One article served under many
        URLs (tracking parameters, AMP and print variants, mirrors) is counted once, or its
        own paragraphs would look like a block that repeats across the site.
        """
        blocks = frozenset(blocks)
        keys = {page_key(url, blocks), content_key(blocks), canonical_key(canonical)} - {None}
        if not keys.isdisjoint(self._seen):
            self._seen |= keys   # its other names are this document too
            return False
        self._seen |= keys
        if len(self._seen) > self.max_seen_pages:
            # Deterministic: keep the smallest keys. A forgotten URL seen again counts again.
            self._seen = set(sorted(self._seen)[: self.max_seen_pages // 2])
        counts = self._counts
        for h in blocks:
            counts[h] = counts.get(h, 0) + 1
        self._pages += 1
        if self._learned is not None:
            self._touched |= blocks
            if len(self._touched) > len(counts) // 2:   # as cheap to look at them all
                self._learned, self._touched = None, set()
        return True

    #: From this many counts an eviction runs on arrays (a crawl's, at 2 x max_blocks: 40,000).
    ARRAY_EVICTION_FROM = 4096

    def evict(self) -> None:
        """Keep at most ``max_blocks`` blocks: the most frequent, ties broken by hash."""
        counts, room = self._counts, self.max_blocks
        if len(counts) <= room:
            return
        if len(counts) >= self.ARRAY_EVICTION_FROM and self._evict_arrays():
            return
        # The count at which the kept blocks end; of the blocks at that count (most are seen once)
        # the smallest hashes. Sorting every (count, hash) pair took ~50 ms at 40,000 blocks.
        by_count = Counter(counts.values())
        above = 0
        for cut in sorted(by_count, reverse=True):
            if above + by_count[cut] >= room:
                break
            above += by_count[cut]
        ties = sorted(h for h, c in counts.items() if c == cut)[: room - above]
        kept = {h: c for h, c in counts.items() if c > cut}
        kept.update(dict.fromkeys(ties, cut))
        self._counts = kept
        self._learned = None

    def _evict_arrays(self) -> bool:
        """:meth:`evict` on numpy arrays, the same blocks kept (a crawl's reactor: 14-16 -> ~5 ms
        of CPU at 40,000 counts); False, nothing changed, when a hash or count is not a uint64."""
        import numpy as np

        counts, room = self._counts, self.max_blocks
        try:
            keys = np.fromiter(counts, np.uint64, len(counts))
            values = np.fromiter(counts.values(), np.uint64, len(counts))
        except (OverflowError, TypeError, ValueError):
            return False
        if int(values.max()) > 1 << 24:   # a count's histogram would be that long (no crawl's is)
            return False
        # The count at which the kept blocks end: from the top of a histogram of the counts.
        above_or_at = np.cumsum(np.bincount(values)[::-1])   # blocks at count >= top - i
        cut = len(above_or_at) - 1 - int(np.searchsorted(above_or_at, room))
        at = values == cut
        left = room - int(np.count_nonzero(values > cut))   # the smallest hashes of those at the cut
        ties = keys[at]
        drop = values < cut
        if left < len(ties):
            drop |= at & (keys > np.partition(ties, left - 1)[left - 1]) if left else at
        for h in keys[drop].tolist():
            del counts[h]
        self._learned = None
        return True

    def learned(self) -> frozenset[int]:
        """Hashes of the blocks seen on at least :meth:`threshold` distinct pages."""
        t = self.threshold()
        key = (t, self._pages >= t)
        if self._learned is None or key != self._learned_for:
            # Counts only grow between evictions (which clear the cache): for one threshold, a
            # block once learned stays learned, and only the blocks counted since can join.
            self._learned = frozenset(h for h, c in self._counts.items() if c >= t) if key[1] else frozenset()
        elif self._touched and key[1]:
            counts, learned = self._counts, self._learned
            new = [h for h in self._touched if counts.get(h, 0) >= t and h not in learned]
            if new:
                self._learned = learned.union(new)
        self._learned_for = key
        self._touched = set()
        return self._learned

    def is_boilerplate(self, text: str) -> bool:
        """Whether a block or line of text is learned boilerplate for this site."""
        norm = normalize_block(text)
        return _learnable(norm) and block_hash(norm) in self.learned()

    # -- cleaning hooks (called by clean_html) --------------------------------------------------
    def prune_tree(self, tree: etree._Element) -> int:
        """Remove elements all of whose blocks are learned; return the characters removed.

        One pass; ``<html>``, ``<body>`` and ``<h1>`` stay (a page's own headline may be another
        page's teaser). Tails of removed elements are kept. When most of the page's
        paragraph-sized text is learned, the learned set holds this page's body (see
        ``BODY_GUARD_SHARE``): a second pass then removes only shorter blocks.
        """
        learned = self.learned()
        if not learned:
            return 0
        return self.prune_tree_with_blocks(tree)[0]

    def prune_tree_with_blocks(self, tree: etree._Element) -> tuple[int, frozenset[int]]:
        """:meth:`prune_tree`, and the tree's block hashes as :func:`page_blocks` finds them
        before pruning (what a page gives the learner), from the same walk."""
        from newsclean.cleaners.dom import drop_keeping_tail   # here: the crawl's main process never prunes

        learned = self.learned()
        scan = _BlockScan(learned).run(tree)
        blocks = frozenset(scan.blocks)
        if learned and scan.body_is_learned():
            scan = _BlockScan(learned, keep_body=True).run(tree)
        removed = 0
        for el, chars in scan.removable:
            drop_keeping_tail(el, blank_tail=True)
            removed += chars
        return removed, blocks

    def filter_lines(self, lines: list[str]) -> tuple[list[str], int]:
        """Drop extracted lines that are learned blocks; return kept lines and characters removed."""
        learned = self.learned()
        if not learned:
            return list(lines), 0
        learned_lines = [self._is_learned_line(line, learned) for line in lines]
        keep_body = _body_is_learned(lines, learned_lines)
        kept: list[str] = []
        removed = 0
        for line, is_learned in zip(lines, learned_lines):
            if is_learned and not (keep_body and _is_body_line(line)):
                removed += len(line)
            else:
                kept.append(line)
        return kept, removed

    @staticmethod
    def _is_learned_line(line: str, learned: frozenset[int]) -> bool:
        norm = normalize_block(line)
        if _learnable(norm) and block_hash(norm) in learned:
            return True
        # A table row comes out as "| cell | cell |": template when every non-empty cell is.
        if line.lstrip().startswith("|"):
            cells = [normalize_block(c) for c in line.split("|")]
            cells = [c for c in cells if c]
            return bool(cells) and all(_learnable(c) and block_hash(c) in learned for c in cells)
        return False

    # -- combining and persistence --------------------------------------------------------------
    def merge(self, other: SiteTemplates) -> None:
        """Add another state's counts (learned from other pages, e.g. another worker).

        Pages both states counted are counted twice: merge states over disjoint page sets.
        """
        for h, c in other._counts.items():
            self._counts[h] = self._counts.get(h, 0) + c
        self._seen |= other._seen
        self._pages += other._pages
        self._learned = None
        self.evict()

    def to_dict(self) -> dict:
        """A JSON-ready snapshot (hashes as hex strings, sorted: equal states give equal files)."""
        return {
            "version": STATE_VERSION,
            "site": self.site,
            "min_pages": self.min_pages,
            "min_share": self.min_share,
            "saturation": self.saturation,
            "max_blocks": self.max_blocks,
            "pages": self._pages,
            "seen": [f"{k:016x}" for k in sorted(self._seen)],
            "blocks": {f"{h:016x}": c for h, c in sorted(self._counts.items())},
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> SiteTemplates:
        """Rebuild a state written by :meth:`to_dict`; ValueError on another format version."""
        if data.get("version") != STATE_VERSION:
            raise ValueError(f"unsupported templates state version {data.get('version')!r}")
        t = cls(str(data.get("site", "generic")), min_pages=int(data["min_pages"]),
                min_share=float(data["min_share"]), saturation=int(data["saturation"]),
                max_blocks=int(data["max_blocks"]))
        t._pages = int(data["pages"])
        t._seen = {int(k, 16) for k in data["seen"]}
        t._counts = {int(h, 16): int(c) for h, c in data["blocks"].items()}
        return t

    def save(self, path: str | os.PathLike) -> None:
        """Write the state as JSON atomically (temporary file in the same directory, then rename)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(self.to_dict(), fh, separators=(",", ":"))
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: str | os.PathLike) -> SiteTemplates:
        """Read a state written by :meth:`save`."""
        with open(path, encoding="utf-8") as fh:
            return cls.from_dict(json.load(fh))

    def __repr__(self) -> str:
        return (f"SiteTemplates({self.site!r}, pages={self._pages}, blocks={len(self._counts)}, "
                f"learned={len(self.learned())})")


def _is_body_line(line: str) -> bool:
    return len(normalize_block(line)) >= BODY_BLOCK_CHARS


def _body_is_learned(lines: list[str], learned: list[bool]) -> bool:
    """The guard of :meth:`SiteTemplates.prune_tree`, on extracted lines."""
    body = [(len(normalize_block(line)), is_learned) for line, is_learned in zip(lines, learned)
            if _is_body_line(line)]
    learned_body = [n for n, is_learned in body if is_learned]
    return (len(learned_body) >= BODY_GUARD_BLOCKS
            and sum(learned_body) >= BODY_GUARD_SHARE * sum(n for n, _ in body))


# -- batches -------------------------------------------------------------------------------------
_ARCHIVE_PATH = re.compile(r"^/web/[0-9a-z_*]+/(.+)$", re.I)
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def site_key(url: str) -> str:
    """The site a URL belongs to when no site rules say: its registered domain
    (``money.cnn.com`` and ``edition.cnn.com`` are ``cnn.com``; public suffixes such as
    ``blogspot.com`` keep the subdomain), which for ``www.`` hosts is the host without ``www.``.

    A Wayback Machine capture (``web.archive.org/web/<time>/<original>``) belongs to the
    original's site. URLs without a host share the key ``"generic"``.
    """
    try:
        parts = urlsplit(url.strip())
        if (parts.hostname or "").lower().endswith("archive.org"):
            m = _ARCHIVE_PATH.match(parts.path)
            if m:
                orig = m.group(1)
                url = orig if "://" in orig else "http://" + orig.lstrip("/")
                parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return "generic"
    if not host:
        return "generic"
    domain = extract_domain(url) if "." in host else None
    host = domain or host
    return host[4:] if host.startswith("www.") else host


def state_path(state_dir: str | os.PathLike, site: str) -> Path:
    """Where a site's learned state lives inside a state directory."""
    return Path(state_dir) / f"{_SAFE_NAME.sub('_', site) or 'generic'}.templates.json"


RulesArg = SiteRules | Callable[[str], SiteRules | None] | None


def _rules_for(site_rules: RulesArg, url: str) -> SiteRules | None:
    if site_rules is None or isinstance(site_rules, SiteRules):
        return site_rules
    return site_rules(url)


def clean_many(pages: Iterable[tuple[str | bytes, str]], *, site_rules: RulesArg = None,
               templates: SiteTemplates | dict[str, SiteTemplates] | None = None,
               state_dir: str | os.PathLike | None = None) -> list[CleanResult]:
    """Clean a batch of ``(html, url)`` pages, learning each site's repeated blocks from all of them.

    Pages are grouped by site: ``site_rules.name`` when rules are given (a :class:`SiteRules` for
    every page, or a function ``url -> SiteRules | None``), else the host without ``www.``.
    ``templates``: one :class:`SiteTemplates` used for every page, or a dict by site that is
    filled in (the caller gets the learned states back), or ``None`` (fresh per site). With
    ``state_dir``, a site without a state in memory starts from ``<state_dir>/<site>.templates.json``
    and every site's state is saved back. Each page is parsed once for learning (only its block
    hashes are kept), then cleaned by ``clean_html(..., templates=...)``. Results come in input
    order; the learned blocks, hence the texts, do not depend on that order.
    """
    from newsclean.cleaners.core import clean_html  # late: core imports this module's users, not vice versa

    batch = list(pages)
    sites: list[str] = []
    rules: list[SiteRules | None] = []
    for _, url in batch:
        r = _rules_for(site_rules, url)
        rules.append(r)
        sites.append(templates.site if isinstance(templates, SiteTemplates) else (r.name if r else site_key(url)))

    states = _states_for(set(sites), templates, state_dir)
    _learn_batch(batch, sites, states)
    if state_dir is not None:
        for site, state in states.items():
            state.save(state_path(state_dir, site))

    results: list[CleanResult] = []
    for (html, url), site, r in zip(batch, sites, rules):
        try:
            results.append(clean_html(html, url, r, templates=states[site]))
        except Exception as exc:  # noqa: BLE001 — one bad page must not lose the batch
            results.append(Rejected(url or "", "error", detail=f"{type(exc).__name__}: {exc}"[:300]))
    return results


def _states_for(sites: set[str], templates: SiteTemplates | dict[str, SiteTemplates] | None,
                state_dir: str | os.PathLike | None) -> dict[str, SiteTemplates]:
    """The state each site starts from: in memory if the caller gave one, else persisted, else new."""
    states: dict[str, SiteTemplates] = {}
    for site in sorted(sites):
        if isinstance(templates, SiteTemplates):
            states[site] = templates
            continue
        state = templates.get(site) if isinstance(templates, dict) else None
        if state is None and state_dir is not None and state_path(state_dir, site).exists():
            state = SiteTemplates.load(state_path(state_dir, site))
        if state is None:
            state = SiteTemplates(site)
        if isinstance(templates, dict):
            templates[site] = state
        states[site] = state
    return states


def _learn_batch(batch: list[tuple[str | bytes, str]], sites: list[str],
                 states: dict[str, SiteTemplates]) -> None:
    """Count every page of the batch so that the result depends only on the set of pages.

    Versions of one URL are united; pages with identical block sets (one article under two URLs)
    or declaring one canonical URL count once; pages are added in a canonical order and
    eviction runs only at the end.
    """
    by_url: dict[tuple[str, int], set[int]] = defaultdict(set)
    urls: dict[tuple[str, int], str] = {}
    canonicals: dict[tuple[str, int], int] = {}
    for (html, url), site in zip(batch, sites):
        blocks, canonical = _page_facts(html)
        key = (site, page_key(url or "", blocks))
        by_url[key] |= blocks
        urls[key] = url or ""
        ckey = canonical_key(canonical)
        if ckey is not None:   # one URL's versions declaring several canonicals: the smallest
            canonicals[key] = min(ckey, canonicals.get(key, ckey))
    distinct: dict[tuple[str, object], tuple[str, int, frozenset[int]]] = {}
    for (site, key), blocks in by_url.items():
        frozen = frozenset(blocks)
        ident = (site, canonicals.get((site, key), frozen))
        # Among URLs naming one document, the smallest key stands for them (order-free choice).
        if ident not in distinct or key < distinct[ident][1]:
            distinct[ident] = (urls[(site, key)], key, frozen)
    for (site, _), (url, _, blocks) in sorted(distinct.items(), key=lambda kv: (kv[0][0], kv[1][1])):
        states[site].add_page(url, blocks)  # a URL's united versions count as one page
    for state in states.values():
        state.evict()
