"""What trafilatura's main pass did, seen from outside: whether it found the article's container,
and what prose its discard-by-name pruning removed (see the second part of this module).

When none of its content XPaths matches (a page without ``<article>``, ``<main>`` or a body
class it knows), trafilatura recovers "wild" text: in its balanced mode only paragraphs, code,
quotes and tables, so the article's lists and subheadings between them are lost (about a page in
ten of wcxb-dev, at F1 .85 against .94 for the rest). With ``favor_recall`` the same recovery
also takes lists, divs and line breaks. :func:`recovered` tells the caller that the recovery ran
during its extraction, so the page alone pays for a second one.

trafilatura's ``extract_content`` calls ``recover_wild_text`` by its module-global name: that
name is wrapped once (as :mod:`.readability_gate` wraps the comparison), counting calls
per thread.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import lxml.etree as etree
import trafilatura.main_extractor

from newsclean.cleaners.dom import SENTENCE_END, WIDGET_TOKENS

_ORIGINAL = trafilatura.main_extractor.recover_wild_text
_CALLS = threading.local()


def _counted(*args: Any, **kwargs: Any) -> Any:
    _CALLS.n = getattr(_CALLS, "n", 0) + 1
    return _ORIGINAL(*args, **kwargs)


trafilatura.main_extractor.recover_wild_text = _counted


@contextmanager
def recovered() -> Iterator[Callable[[], bool]]:
    """``with recovered() as ran: ...extract...; ran()`` is True when the wild-text recovery ran
    inside the block (on this thread)."""
    before = getattr(_CALLS, "n", 0)
    yield lambda: getattr(_CALLS, "n", 0) > before


# --- Article prose discarded by a class name -------------------------------------------------
#
# trafilatura's ``OVERALL_DISCARD_XPATH`` removes blocks by tokens of their class or id ("embed",
# "footer", "bar", "-icon", "expand", ...), guarded only against removing more than six sevenths
# of the text. On a page whose article sits in such a block ("w-embed", "page1-footer",
# "kt-accordion-icon-style") the extraction keeps whatever is left: a fraction of the article or a
# sidebar. That pruning is the only call of ``prune_unwanted_nodes`` with ``with_backup``; it is
# watched here (its matches recorded, at no cost) and, on a second extraction that the caller asks
# for on evidence only (:func:`prose_discarded`), told to spare the blocks that read as article
# prose.

_ORIGINAL_PRUNE = trafilatura.main_extractor.prune_unwanted_nodes
_WATCH = threading.local()   # .found: matches recorded (list) or None; .spare: bool

#: A discarded block reads as the article's prose with this much text outside links ...
PROSE_BLOCK_CHARS = 500
#: ... at most this share of its text in links (a footer's or a menu's text is mostly links) ...
PROSE_BLOCK_MAX_LINKS = 0.3
#: ... and a paragraph or list item of this length that ends a sentence (a list of names, labels
#: or links has none).
PROSE_PARAGRAPH_CHARS = 80


def _prose_chars(el: Any, block_chars: int = PROSE_BLOCK_CHARS) -> int:
    """Characters outside links of a block of trafilatura's tree (links are ``ref`` there,
    paragraphs ``p``, list items ``item``) that reads as article prose (``block_chars`` of it at
    least); else 0."""
    total = len("".join(el.itertext()).strip())
    links = sum(len("".join(r.itertext()).strip()) for r in el.iter("ref"))
    if total - links < block_chars or links > PROSE_BLOCK_MAX_LINKS * total:
        return 0
    for p in el.iter("p", "item"):
        t = "".join(p.itertext()).strip()
        if len(t) >= PROSE_PARAGRAPH_CHARS and SENTENCE_END.search(t):
            return total - links
    return 0


#: The attribute that marks, in the page's tree, the region a second extraction may spare prose
#: in (trafilatura's copy of the tree keeps attributes).
REGION_ATTR = "data-newsclean-spare"


#: Names (any part of a class or id) of blocks whose prose belongs to the page, not to its article,
#: wherever they are: a carousel's slides, a caption. Page chrome here and to core's gap filling
#: (``GAP_NOT_ARTICLE``).
SLIDES_AND_CAPTIONS = ("slide", "carousel", "swiper", "caption")
#: Names of page chrome that holds prose of its own (a cookie dialog, a carousel's slides, a
#: review widget's reviews): never spared, nor is a block the cleaner's own widget words name
#: (dom's WIDGET_WORDS, pruned from every page: these are not, as a slide may wrap the article itself).
PAGE_CHROME = re.compile("|".join(("cookie", "consent", "gdpr", "rgpd", "modal", "dialog", "popup",
                                   *SLIDES_AND_CAPTIONS, "review")), re.I)


def _to_spare(el: Any) -> bool:
    """Whether a block trafilatura discards by name is spared: it lies inside the marked region,
    reads as prose and is not named as page chrome or a widget."""
    if not any(a.get(REGION_ATTR) is not None for a in (el, *el.iterancestors())):
        return False
    names = f"{el.get('class') or ''} {el.get('id') or ''}"
    return not PAGE_CHROME.search(names) and not WIDGET_TOKENS.search(names) \
        and _prose_chars(el, getattr(_WATCH, "block_chars", PROSE_BLOCK_CHARS)) > 0


class _Matches:
    """One discard expression, its matches recorded (or, when sparing, the prose blocks inside the
    marked region left out)."""

    __slots__ = ("expression",)

    def __init__(self, expression: Any) -> None:
        self.expression = expression

    def __call__(self, tree: Any) -> list[Any]:
        found = self.expression(tree)
        if getattr(_WATCH, "spare", False):
            spared = [el for el in found if _to_spare(el)]
            if getattr(_WATCH, "recurring", False):
                spared = _recurring(spared)
            spared_ids = {id(el) for el in spared}
            return [el for el in found if id(el) not in spared_ids]
        record = getattr(_WATCH, "found", None)
        if record is not None:
            record.extend(found)
        return found


def _kind(el: Any) -> tuple[str, str]:
    """A discarded block's kind: its tag and class (a page's accordion panes, product cards or pull
    quotes share one; a single box inside the story, a fact box or a pitch, has its own)."""
    return el.tag, el.get("class") or ""


def _recurring(blocks: list[Any]) -> list[Any]:
    """Those of ``blocks`` whose kind (``_kind``) is shared by another of them."""
    kinds = Counter(_kind(el) for el in blocks)
    return [el for el in blocks if kinds[_kind(el)] >= 2]


def _watched_prune(tree: Any, nodelist: list[Any], with_backup: bool = False) -> Any:
    if with_backup and (getattr(_WATCH, "found", None) is not None or getattr(_WATCH, "spare", False)):
        nodelist = [_Matches(x) for x in nodelist]
    return _ORIGINAL_PRUNE(tree, nodelist, with_backup)


trafilatura.main_extractor.prune_unwanted_nodes = _watched_prune


#: Text of an element, whitespace runs collapsed, counted in C.
_TEXT_LENGTH = etree.XPath("string-length(normalize-space(.))")


def _holds_prose(found: list[Any], chars: float, block_chars: int = PROSE_BLOCK_CHARS, recurring: bool = False) -> bool:
    """Whether the outermost blocks removed among ``found`` hold ``chars`` of prose (in blocks of
    ``block_chars`` at least; with ``recurring``, only in blocks of a kind two of them share):
    most pages stop at the bound of their text, measured in C, before any block is read."""
    removed = [el for el in found if el.getparent() is None]
    if sum(_TEXT_LENGTH(el) for el in removed) < chars:
        return False
    prose = {id(el): _prose_chars(el, block_chars) for el in removed}
    counted = [el for el in removed if prose[id(el)]]
    return sum(prose[id(el)] for el in (_recurring(counted) if recurring else counted)) >= chars


@contextmanager
def discarded() -> Iterator[Callable[..., bool]]:
    """``with discarded() as holds: ...extract...; holds(chars)``: whether the blocks trafilatura's
    discard-by-name pruning removed inside the block held ``chars`` of article-like prose
    (``holds(chars, block_chars, recurring)``: see :func:`_holds_prose`)."""
    found: list[Any] = []
    _WATCH.found = found
    try:
        yield lambda chars, block_chars=PROSE_BLOCK_CHARS, recurring=False: \
            _holds_prose(found, chars, block_chars, recurring)
    finally:
        _WATCH.found = None


@contextmanager
def sparing_prose(*regions: Any, block_chars: int = PROSE_BLOCK_CHARS, recurring: bool = False) -> Iterator[None]:
    """Inside the block, trafilatura's discard-by-name pruning leaves out the blocks that read as
    article prose (``block_chars`` of it at least; with ``recurring``, of a kind two of them share)
    and lie inside one of ``regions`` (elements of the tree extracted)."""
    for region in regions:
        region.set(REGION_ATTR, "")
    _WATCH.spare, _WATCH.block_chars, _WATCH.recurring = True, block_chars, recurring
    try:
        yield
    finally:
        _WATCH.spare, _WATCH.block_chars, _WATCH.recurring = False, PROSE_BLOCK_CHARS, False
        for region in regions:
            region.attrib.pop(REGION_ATTR, None)
