"""The list items trafilatura's recall extraction holds between two lines of the first one (a
page where it found no article container kept its paragraphs only)."""

from __future__ import annotations

import lxml.etree as etree

from newsclean.cleaners.extraction.recall.matching import _between_filled
from newsclean.cleaners.body_lines.lines import normalize_lines


#: What trafilatura renders as list items ("- " lines): the items of ul, ol and dl.
_LIST_ITEMS = ("li", "dd", "dt")


def has_list_items(tree: etree._Element) -> bool:
    """Whether the page holds an element trafilatura renders as a list item (``_LIST_ITEMS``)."""
    return next(tree.iter(_LIST_ITEMS), None) is not None


def gaps_filled(text: str, again: str) -> str | None:
    """``text`` with the list items that ``again`` holds between two of its lines: what the first
    extraction skipped inside the article, not what a wider recovery adds before or after it (a
    page's header, teasers, footer) nor the loose lines it adds inside (a video playlist, a
    promo), which trafilatura renders without the "- " of a list item. None when it adds none."""
    return _between_filled(normalize_lines(text), normalize_lines(again), lambda line: line.startswith("- "))
