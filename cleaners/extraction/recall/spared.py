"""The page extracted again with the blocks of prose trafilatura discarded by their class name
spared where the article lies: all of them (``spared_text``), or those of a recurring kind, put in
between the first extraction's lines (``recurring_filled``)."""

from __future__ import annotations

from collections.abc import Callable

import lxml.etree as etree
import trafilatura

from newsclean.cleaners.body_lines import blocks
from newsclean.cleaners.extraction import wild_text
from newsclean.cleaners.extraction.options import _EXTRACTOR
from newsclean.cleaners.extraction.recall.matching import _between_filled
from newsclean.cleaners.body_lines.lines import normalize_lines


#: The prose of the blocks trafilatura discarded by name (``wild_text.discarded``) must reach this
#: share of the extracted text (and of this many characters) for the page to be extracted again
#: with them spared.
DISCARDED_PROSE_GAIN = 0.5
DISCARDED_PROSE_MIN_CHARS = 1000


def spared_text(tree: etree._Element, text: str, no_container: Callable[[], bool]) -> tuple[str, Callable[[], bool]]:
    """``text`` extracted again with the blocks of prose that trafilatura discarded by their class
    name spared where they lie in the article's region: the element holding most of the first
    extraction's text (``blocks.container``), or its parent when that text is short (a lead alone:
    the article is beside it), and what follows the headline it kept when that lies outside
    (``_under_headline``). A cookie dialog or a banner elsewhere on the page stays out; ``text``
    as it was when the second extraction gives no more."""
    regions = _article_regions(tree, normalize_lines(text), len(text))
    if regions is None:
        return text, no_container
    with wild_text.recovered() as ran, wild_text.sparing_prose(*regions):
        again = trafilatura.bare_extraction(tree, options=_EXTRACTOR)
    if again is None or len(again.text or "") <= len(text):
        return text, no_container
    return again.text, ran


def _article_regions(tree: etree._Element, lines: list[str], chars: int) -> list[etree._Element] | None:
    """Where the article lies for a second extraction to spare what it discarded (``spared_text``,
    ``recurring_filled``): the element holding most of the extraction's ``lines``
    (``blocks.container``), or its parent when their ``chars`` are few, and what follows the
    headline kept when that lies outside (``_under_headline``); None when the lines hold no container."""
    sources = blocks.line_sources(tree, lines)
    box = blocks.container(sources, lines)
    if box is None:
        return None
    # a short extraction (a lead, a summary) is one block of the article: the article is around it
    region = box.getparent() if chars < DISCARDED_PROSE_MIN_CHARS and box.getparent() is not None else box
    return _under_headline(region, sources)


#: Where less than that was discarded, blocks of prose (this long at least) of a kind two of them
#: share (accordion panes, product cards, pull quotes), this much in all, ...
RECURRING_BLOCK_CHARS = 150
RECURRING_PROSE_MIN_CHARS = 500


def recurring_filled(tree: etree._Element, text: str) -> str:
    """``text`` with what a second extraction gives between two of its consecutive lines when it
    spares the blocks of prose of a recurring kind (``RECURRING_BLOCK_CHARS``) that trafilatura
    discarded by name in the article's region (as ``spared_text`` finds it): the article's panes or
    cards put back in their place, one by one, never before or after the article (teasers, a
    footer's text), nor a box of a kind of its own (a fact box, a newsletter's pitch)."""
    lines = normalize_lines(text)
    regions = _article_regions(tree, lines, len(text))
    if regions is None:
        return text
    with wild_text.sparing_prose(*regions, block_chars=RECURRING_BLOCK_CHARS, recurring=True):
        again = trafilatura.bare_extraction(tree, options=_EXTRACTOR)
    if again is None or len(again.text or "") <= len(text):
        return text
    return _between_filled(lines, normalize_lines(again.text)) or text


def _under_headline(region: etree._Element, sources: list[etree._Element | None]) -> list[etree._Element]:
    """``region``, and where the headline (an ``h1``) the extraction kept lies outside it, what
    follows that headline up to their common ancestor: where most of what the extraction kept is
    a box beside the article (a promotion, a form), the article is under its headline, not in
    that box. Never what stands above the headline (a site's banner)."""
    h1 = next((el for el in sources if el is not None and el.tag == "h1"), None)
    if h1 is None or any(a is region for a in h1.iterancestors()):
        return [region]
    common = {*region.iterancestors()}
    after: list[etree._Element] = [region]
    for el in (h1, *h1.iterancestors()):
        if el in common:
            break
        after += el.itersiblings()
    return after
