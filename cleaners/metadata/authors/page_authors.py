"""The writers of a page: the declared ones (JSON-LD, meta tags, an SEO plugin's label), the
site's own name or a CMS handle yielding to a printed byline, and a printed byline over a
declared name the page prints nowhere."""

from __future__ import annotations

import codecs
import re
import unicodedata

import lxml.etree as etree

from newsclean.cleaners.metadata.authors.byline_words import _LEAD_LABEL
from newsclean.cleaners.metadata.authors.bylines import _text_byline, _visible_authors
from newsclean.cleaners.metadata.authors.names import _byline_name, _handle, _names
from newsclean.cleaners.metadata.authors.writers import PageWriters
from newsclean.cleaners.metadata.common import _first
from newsclean.cleaners.metadata.house import _house_key, _house_keys, _house_with_address
from newsclean.cleaners.reading.trees import first_descendant


#: The body's text is searched whole up to this many bytes of UTF-8, beyond it a window at a time:
#: one str of a page's text takes 4 bytes a character when a character beyond U+FFFF is in it
#: (8.1 MB for fundus-dev's 2.1 MB pages, beside the parsed tree: a worker's peak).
BODY_WINDOW_BYTES = 256 * 1024


def _printed_anywhere(tree: etree._Element, names: list[str]) -> bool:
    """Whether the text of the page's (first) body, its scripts' included (XPath's
    ``string(//body)``), holds one of ``names``, its words apart by any whitespace, in any case.
    The text is read from libxml2 as UTF-8 and searched a window at a time where it is long."""
    if not names:
        return False
    parts = [n.split() for n in names]
    pattern = re.compile("|".join("(?:" + r"\s+".join(map(re.escape, p)) + ")" for p in parts), re.I)
    root = tree.getroottree().getroot()
    body = root if root.tag == "body" else first_descendant(root, "body")   # not iter(): it walks on to a second
    data = etree.tostring(body, method="text", encoding="UTF-8", with_tail=False) if body is not None else b""
    if len(data) <= BODY_WINDOW_BYTES:
        return pattern.search(data.decode("utf-8")) is not None
    # Counted with each run of whitespace as one character, a match is as long as its name's
    # words and one space between each two (re.I matches one character for one): a window
    # that begins with the end of the text before it that holds one less misses no match.
    keep = max(1, max(sum(map(len, p)) + len(p) - 1 for p in parts) - 1)
    decoder = codecs.getincrementaldecoder("utf-8")()
    carry = ""
    for start in range(0, len(data), BODY_WINDOW_BYTES):
        window = carry + decoder.decode(data[start:start + BODY_WINDOW_BYTES])
        if pattern.search(window):
            return True
        carry = _last_units(window, keep)
    return False


def _last_units(text: str, units: int) -> str:
    """The end of ``text`` holding its last ``units`` characters, a run of whitespace counted as
    one; read from a short tail, reversed (a regex reads forward only), longer where it must."""
    pattern = re.compile(rf"(?:\s+|\S){{0,{units}}}")
    size = 4 * units + 16
    while True:
        tail = text[-size:]
        n = pattern.match(tail[::-1]).end()   # type: ignore[union-attr]  # {0,n}: always matches
        if n < len(tail) or len(tail) == len(text):
            return tail[len(tail) - n:]
        size *= 4


def _script(name: str) -> str:
    """The script ``name`` opens in ("LATIN", "CJK", "CYRILLIC", "HANGUL" ...), from its first letter."""
    ch = next((c for c in name if c.isalpha()), "")
    return unicodedata.name(ch, "").split(" ")[0] if ch else ""


def _printed_over_unprinted(tree: etree._Element, declared: list[str]) -> list[str]:
    """A plain-text byline's names instead of ``declared`` (JSON-LD's or the meta tags') where the
    page prints none of the declared names and the byline names others in the same script: a CMS
    account or a template's default ("Tom Okafor" on a post printed "By Rosa Delacroix"). A declared name
    in another script may be the printed one transliterated: it stays."""
    if _printed_anywhere(tree, declared):   # its scripts' text too: a name found only there is kept
        return declared   # most pages: asked first, the byline is read on the few others only
    try:
        printed = _text_byline(tree)
    except Exception:  # noqa: BLE001 — as in _visible_authors: a fallback heuristic must not fail the page
        return declared
    if not printed or {_script(n) for n in printed} != {_script(n) for n in declared}:
        return declared
    return printed



def _labelled_author(meta: dict[str, list[str]]) -> list[str]:
    """Names from the twitter:dataN whose twitter:labelN says it is the writer (SEO plugins write
    "Written by" and the post's author on every post): "By" or a byline's label (_LEAD_LABELS)."""
    for n in range(1, 5):
        label = _first(meta, f"twitter:label{n}")
        label = label.casefold().rstrip(" :") if label else ""
        if label == "by" or label and _LEAD_LABEL.fullmatch(label + ":"):
            return _names(meta.get(f"twitter:data{n}"), declared=True)
    return []


def page_authors(tree: etree._Element, declared: list[str], meta: dict[str, list[str]], article: dict | None,
                 writers: PageWriters) -> list[str]:
    """The page's writers: the JSON-LD article's (``declared``), else the meta tags' (every author
    tag, article:author, an SEO plugin's labelled field),
    else the byline printed on the page (:func:`_visible_authors`). A declared site's own name or
    CMS handle yields to a printed byline, and a declared name the page prints nowhere to the
    plain-text byline's (:func:`_printed_over_unprinted`)."""
    authors = declared
    if not authors:
        # every <meta name="author"> tag: co-authors often get one each
        house = _house_keys(meta, article)
        authors = (_names(_house_with_address(meta.get("author"), house), declared=True)
                   or _names(meta.get("article:author"), declared=True)
                   or _labelled_author(meta))
    if not authors:
        authors = _visible_authors(tree, writers)
    else:
        house = _house_keys(meta, article)
        # the site's own name beside a person's (two author tags: "Hankook Ilbo", "Jane Doe") credits
        # the publisher, not a writer
        people = [a for a in authors if _house_key(a) not in house]
        authors = people or authors
        if all(_house_key(a) in house or _handle(a) for a in authors):
            # the site's own name stands in for a byline (schema.org wants an author; CMSs fill in
            # the publisher): a person's byline printed on the page says more
            # names of the house's desks ("MDR THÜRINGEN" beside "David Straub") are the house again;
            # a CMS account's handle ("andrew.keaveney") yields to the printed name too
            printed = [n for n in _visible_authors(tree, writers)
                       if _house_key(n) not in house and _house_key(n.split()[0]) not in house and _byline_name(n)]
            authors = printed or authors
        else:
            authors = _printed_over_unprinted(tree, authors)
    return authors
