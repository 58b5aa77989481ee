"""The page's meta description where the page also shows it as a block of its own, a standfirst
extractors often skip (``visible_lead``)."""

from __future__ import annotations

import lxml.etree as etree

from newsclean.cleaners.dom.elements import text_len
from newsclean.cleaners.dom.class_names import _classid_kinds

_NOT_LEAD_ANCESTORS = frozenset({"figure", "figcaption", "a", "head", "script", "style", "noscript", "title"})


def _caption_block(el: etree._Element, caption: str) -> bool:
    """A block named for an image that holds little else than ``caption`` (and a credit): the
    caption of its picture. A post wrapper named "has-post-thumbnail" holds more."""
    kinds = _classid_kinds(el)
    return kinds is not None and kinds[2] and text_len(el) <= len(caption) + 100


def _reads_as(el: etree._Element, want: str) -> bool:
    """Whether ``el``'s text, whitespace collapsed, is ``want`` (itself collapsed), read only as
    far as needed: past ``want``'s letters it cannot be. Nested blocks that each begin with the
    description (an unclosed <div>) were each read to the end of the page."""
    letters = len(want) - want.count(" ")
    parts: list[str] = []
    for t in el.itertext():
        letters -= sum(map(len, t.split()))
        if letters < 0:
            return False
        parts.append(t)
    return " ".join("".join(parts).split()) == want


def visible_lead(tree: etree._Element, description: str | None, min_chars: int = 40) -> str | None:
    """The page's meta description when the page also shows it as a block of its own (a
    standfirst), not inside a figure caption, an image block or a link; extractors often skip
    that block."""
    if not description:
        return None
    want = " ".join(description.split())
    if len(want) < min_chars:
        return None
    head = want[:20]
    # a word of the head is in the element's text as written (only runs of spaces collapse): a
    # search in C spares most elements the collapsing
    word = max(head.split(), key=len)
    for el in tree.iter("p", "div", "h2", "span", "strong", "section"):
        text = el.text
        if not text or word not in text or head not in " ".join(text.split()):
            continue
        if not _reads_as(el, want):
            continue
        if any(a.tag in _NOT_LEAD_ANCESTORS or _caption_block(a, want) for a in el.iterancestors()):
            continue  # a caption, also when the caption block is a div named for its image
        return want
    return None
