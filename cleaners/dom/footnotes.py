"""Footnote references taken out of running text (``prune_footnote_marks``): a mark ("3",
"[12]") that links to a note on the same page; the notes themselves stay."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import lxml.etree as etree

from newsclean.cleaners.dom.elements import HEADINGS, LINE_TAGS, drop_keeping_tail, text_of

#: A footnote reference's text: a number, a letter or a roman numeral, bracketed or not ("3", "[12]", "(b)").
_FOOTNOTE_MARK = re.compile(r"[\[(]?(?:\d{1,3}|[a-z]|[ivx]{2,4})[\])]?", re.I)
#: class or id words that name a link a footnote reference outright.
_FOOTNOTE_NAME = re.compile(r"foot-?note|fn-?ref|citation", re.I)
#: class or id words of any cross-reference ("ltx_ref": "Section 3", "Figure 2" in LaTeX's HTML):
#: evidence only where what the mark links to is a note (``_is_note``).
_REF_NAME = re.compile(r"(?:^|[\s_-])(?:fn|ref)(?:$|[\s_-])", re.I)
_ANCHORED = etree.XPath("//*[@id] | //a[@name]")
#: Elements a mark's raised or linked text sits in (``<a><sup>[1]</sup></a>``, ``<sup><a>1</a></sup>``).
_MARK_WRAPPERS = frozenset({"sup", "a", "span"})


def _footnote_mark(a: etree._Element, text: str) -> tuple[etree._Element, bool] | None:
    """The element that raises or links the footnote mark ``a`` holds (``text``), with the wrappers
    around it that hold nothing else, and whether that is evidence enough (a ``<sup>``, a name
    saying footnote; a "ref" name is not: ``_REF_NAME``); None where no ``<sup>`` raises it and no
    name calls it a reference."""
    mark, raised = a, a.find(".//sup") is not None
    for up in a.iterancestors():
        if up.tag not in _MARK_WRAPPERS or text_of(up).strip() != text:
            break
        mark, raised = up, raised or up.tag == "sup"
    names = " ".join(filter(None, (a.get("class"), a.get("id"), mark.get("class"), mark.get("id"))))
    if raised or _FOOTNOTE_NAME.search(names):
        return mark, True
    return (mark, False) if _REF_NAME.search(names) else None


def _is_note(note: etree._Element, mark: etree._Element, text: str) -> bool:
    """What the mark ``text`` links to is its note: it links back to the mark (to its id or a
    wrapper's), or it opens with the mark's number ("1. National Institute ...") and is no
    heading nor holds one. A cross-reference to a section ("3 Proof") or a figure is neither."""
    if note.tag == "a" or not text_of(note).strip():   # <a name="n1"></a> 1. The note...
        note = note.getparent() if note.getparent() is not None else note
    ids = {el.get("id") for el in (mark, *mark.iterdescendants()) if el.get("id")}
    if ids and any(b.get("href", "").partition("#")[2] in ids for b in note.iter("a")):
        return True
    number = text.strip("[]()")
    opening = text_of(note).lstrip().lstrip("[(")
    return (opening.startswith(number) and not opening[len(number):len(number) + 1].isalnum()
            and note.tag not in HEADINGS and not any(el.tag in HEADINGS for el in note.iterdescendants()))


def _same_document(href: str, base: str | None, own: frozenset[tuple[str, str, str]]) -> bool:
    """Whether ``href`` (holding a ``#``) points into the page itself: a bare fragment, or an
    address that, resolved against ``base``, is one of the page's ``own`` documents
    (:func:`_own_documents`). "other.html#fn1" names another page's note even where this page
    has an ``fn1``."""
    if href.startswith("#"):
        return True
    if not base:
        return False   # a path we cannot resolve: not taken for this page's
    try:
        return _document_key(urljoin(base, href)) in own
    except ValueError:   # a malformed address ("http://[x") names no page of ours
        return False


def _own_documents(url: str | None, canonical: str | None) -> frozenset[tuple[str, str, str]]:
    """The page's own documents: its ``url`` and the canonical address it declares, resolved
    against the first of them (the URL a crawl fetched often carries a feed's "?utm_source=rss"
    or is the www/AMP variant, where the page's absolute footnote links name the canonical one).
    Read once a page, not once a link."""
    base = url or canonical
    keys = set()
    for own in (url, canonical):
        if own and base:
            try:
                keys.add(_document_key(urljoin(base, own)))
            except ValueError:
                pass
    return frozenset(keys)


def _document_key(url: str) -> tuple[str, str, str]:
    """A URL's document, without its scheme and fragment: http and https, "/a/" and "/a" alike."""
    parts = urlsplit(url)
    return parts.netloc.lower(), parts.path.rstrip("/"), parts.query


def prune_footnote_marks(tree: etree._Element, url: str | None = None, canonical: str | None = None) -> int:
    """Remove footnote references from running text: a mark ("3", "[12]") that links to an anchor
    on the page, raised by ``<sup>`` or named a footnote (or named a "ref" where what it links to
    is a note, ``_is_note``), after words of its block. trafilatura
    keeps it glued to the word before ("preference1") or as a word of its own that the article's
    sentence does not hold; the notes themselves, at the foot, stay (their mark opens the line).
    Only links into this document count: a bare ``#fragment``, or an address resolving to the
    page's ``url`` or to the ``canonical`` address it declares."""
    anchors: dict[str, etree._Element] | None = None
    own: frozenset[tuple[str, str, str]] = frozenset()
    victims = []
    # the links walked in C, their address read here: 0.23 ms a wcxb-dev page, an XPath's test
    # of the address 0.33 ms
    for a in tree.iter("a"):
        href = a.get("href")
        if not href or "#" not in href:
            continue
        text = text_of(a).strip()
        if len(text) > 6 or not _FOOTNOTE_MARK.fullmatch(text):
            continue
        found = _footnote_mark(a, text)
        if found is None:
            continue
        mark, sure = found
        if anchors is None:   # read once, for the first mark-shaped link only
            own = _own_documents(url, canonical)
            anchors = {}
            for el in _ANCHORED(tree):
                for key in (el.get("id"), el.get("name") if el.tag == "a" else None):
                    if key:
                        anchors.setdefault(key, el)
        if not _same_document(href, url or canonical, own):
            continue
        note = anchors.get(href.split("#", 1)[1])
        if note is None or not (sure or _is_note(note, mark, text)):
            continue   # no note on the page, or a "ref" link to what is no note (a section, a figure)
        block = next((up for up in mark.iterancestors() if up.tag in LINE_TAGS or up.tag in HEADINGS), None)
        if block is None or text_of(block).lstrip().startswith(text):
            continue   # a note's own number at the foot, or a mark alone
        victims.append(mark)
    for mark in victims:
        drop_keeping_tail(mark, blank_tail=True)   # its space parts the words on either side
    return sum(len(text_of(v)) for v in victims)
