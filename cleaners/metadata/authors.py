"""The writers of a page: the declared ones (JSON-LD, meta tags, an SEO plugin's label), the
site's own name or a CMS handle yielding to a printed byline, and a printed byline over a
declared name the page prints nowhere."""

from __future__ import annotations

import re
import unicodedata

import lxml.etree as etree

from newsclean.cleaners.metadata.byline_words import _LEAD_LABEL
from newsclean.cleaners.metadata.bylines import _text_byline, _visible_authors
from newsclean.cleaners.metadata.common import _first
from newsclean.cleaners.metadata.house import _house_key, _house_keys, _house_with_address
from newsclean.cleaners.metadata.names import _byline_name, _handle, _names
from newsclean.cleaners.metadata.writers import PageWriters


#: The body's text, its scripts' included, read in one call.
_BODY_STRING = etree.XPath("string(//body)")


def _script(name: str) -> str:
    """The script ``name`` opens in ("LATIN", "CJK", "CYRILLIC", "HANGUL" ...), from its first letter."""
    ch = next((c for c in name if c.isalpha()), "")
    return unicodedata.name(ch, "").split(" ")[0] if ch else ""


def _printed_over_unprinted(tree: etree._Element, declared: list[str]) -> list[str]:
    """A plain-text byline's names instead of ``declared`` (JSON-LD's or the meta tags') where the
    page prints none of the declared names and the byline names others in the same script: a CMS
    account or a template's default ("Tom Okafor" on a post printed "By Rosa Delacroix"). A declared name
    in another script may be the printed one transliterated: it stays."""
    body = _BODY_STRING(tree)   # its scripts' text too: a name found only there is kept
    if any(re.search(r"\s+".join(map(re.escape, n.split())), body, re.I) for n in declared):
        return declared   # most pages: asked first, the byline is read on the few others only
    try:
        printed = _text_byline(tree)
    except Exception:  # noqa: BLE001 — as in _visible_authors: a fallback heuristic must not fail the page
        return declared
    if not printed or {_script(n) for n in printed} != {_script(n) for n in declared}:
        return declared
    return printed


#: Other meta tags that name the writer: Parse.ly's, Sailthru's and Dublin Core's.
_MORE_AUTHOR_META = ("parsely-author", "sailthru.author", "dc.creator")


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
    tag, article:author, an SEO plugin's labelled field, Parse.ly's, Sailthru's, Dublin Core's),
    else the byline printed on the page (:func:`_visible_authors`). A declared site's own name or
    CMS handle yields to a printed byline, and a declared name the page prints nowhere to the
    plain-text byline's (:func:`_printed_over_unprinted`)."""
    authors = declared
    if not authors:
        # every <meta name="author"> tag: co-authors often get one each
        house = _house_keys(meta, article)
        authors = (_names(_house_with_address(meta.get("author"), house), declared=True)
                   or _names(meta.get("article:author"), declared=True)
                   or _labelled_author(meta)
                   or next((n for k in _MORE_AUTHOR_META for n in [_names(meta.get(k), declared=True)] if n), []))
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
