"""What every metadata reader shares: the :class:`Metadata` record, a value's text cleaned
(``_clean``), the page's JSON-LD nodes and meta tags, its declared language, and an element's
text read as a browser shows its line."""

from __future__ import annotations

import json
from html import unescape
import re
from dataclasses import dataclass, field
from typing import Any, Iterator

import lxml.etree as etree

from newsclean.cleaners.learned.templates import BLOCK_TAGS, SEPARATOR_TAGS


#: schema.org types that describe an article page.
ARTICLE_TYPES = frozenset({
    "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "backgroundnewsarticle", "reviewnewsarticle", "blogposting", "liveblogposting", "socialmediaposting",
    "techarticle", "scholarlyarticle", "report", "webpage-article",
})

#: Invisible format characters that pages put into headlines and bylines (soft hyphen, zero-width
#: space, word joiner, BOM, direction marks). ZWJ/ZWNJ stay: they change how Indic, Persian
#: and emoji text is read.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff\u200e\u200f"))
_WS = re.compile(r"\s+")
#: A JSON escape of a UTF-16 surrogate (``\ud800``): json.loads makes a pair one character, a
#: lone one a lone surrogate, which no UTF-8 writer takes (the record was lost at the JSONL writer).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(slots=True)
class Metadata:
    """What the page says about itself; every field optional."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    description: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    canonical_url: str | None = None
    html_lang: str | None = None
    og_type: str | None = None
    article_body: str | None = None      # JSON-LD articleBody, evidence for the body
    has_article_ld: bool = False
    social_titles: list[str] = field(default_factory=list)   # og:title, twitter:title as declared
    date_sources: dict[str, str] = field(default_factory=dict)


def _clean(s: Any) -> str | None:
    if not isinstance(s, str):
        return None
    s = _WS.sub(" ", s.translate(_INVISIBLE)).strip()
    return s or None


def _ld_text(value: Any) -> Any:
    """A JSON-LD string with its character references decoded: a script's text is not HTML-decoded
    by the parser as a meta tag's content is, so a headline escaped for HTML in the CMS and
    again for the script ("And finally&amp;#8230;") is one decoding behind the meta tags; the
    title's comparison decodes once more for both."""
    return unescape(value) if isinstance(value, str) and "&" in value else value


def _types(node: dict) -> set[str]:
    t = node.get("@type")
    items = t if isinstance(t, list) else [t]
    return {x.lower() for x in items if isinstance(x, str)}


def _ld_nodes(tree: etree._Element, scripts: list[etree._Element] | None = None) -> list[dict]:
    """Every JSON object of the page's ld+json scripts, flattening lists and @graph. ``scripts``:
    the tree's ``<script>`` elements, where the caller has them."""
    out: list[dict] = []
    for script in tree.iterfind(".//script[@type]") if scripts is None else scripts:
        if "ld+json" not in (script.get("type") or "").lower() or not script.text:
            continue
        text = script.text.strip().rstrip(";")
        try:
            data = json.loads(text, strict=False)
            if _SURROGATE_ESCAPE.search(text):   # lone ones read as U+FFFD, as a decoder reads a bad byte
                data = _surrogates_mended(data)
        except (ValueError, RecursionError):
            continue
        stack = [data]
        while stack and len(out) < 200:
            d = stack.pop()
            if isinstance(d, list):
                stack.extend(reversed(d))
            elif isinstance(d, dict):
                out.append(d)
                if isinstance(d.get("@graph"), list):
                    stack.extend(reversed(d["@graph"]))
    return out


def _surrogates_mended(value: Any) -> Any:
    """``value`` (parsed JSON) with each lone surrogate of its strings and keys as U+FFFD: the
    block parsed once (it was written back out with json.dumps and parsed a second time)."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_surrogates_mended(v) for v in value]
    if isinstance(value, dict):
        return {_surrogates_mended(k): _surrogates_mended(v) for k, v in value.items()}
    return value


def _flat(value: Any) -> list[Any]:
    """An author value as a flat list (pages nest lists: ``[{..}, [{..}]]``)."""
    out: list[Any] = []
    stack = [value]
    while stack and len(out) < 100:
        v = stack.pop()
        if isinstance(v, list):
            stack.extend(reversed(v))
        elif v is not None:
            out.append(v)
    return out


def _meta(tree: etree._Element) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for m in tree.iterfind(".//meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        val = m.get("content")
        if key and val and val.strip():
            out.setdefault(key, []).append(val.strip())
    return out


def _first(meta: dict[str, list[str]], *keys: str) -> str | None:
    for k in keys:
        if meta.get(k):
            return _clean(meta[k][0])
    return None


#: Where a page declares its language on its root: ``lang``, else XHTML's ``xml:lang`` (named so by
#: the HTML parser, in its namespace by the XML one).
_LANG_ATTRIBUTES = ("lang", "xml:lang", "{http://www.w3.org/XML/1998/namespace}lang")


def html_lang(tree: etree._Element) -> str | None:
    """The language the page declares on its root element (``_LANG_ATTRIBUTES``): the one reader
    of it, for the article's language and the day reader's months."""
    root = tree.getroottree().getroot()
    return _clean(next((v for v in map(root.get, _LANG_ATTRIBUTES) if v), None))


_WORDS = re.compile(r"\w+")


#: Elements that break a byline's line where they start and end, as a browser shows it: "<a>Rosa
#: Delacroix</a><br>Senior Editor" is "Rosa Delacroix Senior Editor", not "Rosa DelacroixSenior Editor"
#: (the block and separator tags the template learner splits a page's text at).
_LINE_BREAK_TAGS = BLOCK_TAGS | SEPARATOR_TAGS


def _line_texts(el: etree._Element, brk: str = " ") -> Iterator[str]:
    """``el.itertext()`` with ``brk`` (a space) where a line breaks (``_LINE_BREAK_TAGS``) inside
    ``el``; inline markup joins its texts as written ("O<b>'</b>Neil")."""
    if isinstance(el.tag, str) and el.text:
        yield el.text
    for child in el:
        breaks = isinstance(child.tag, str) and child.tag in _LINE_BREAK_TAGS
        if breaks:
            yield brk
        if isinstance(child.tag, str):
            yield from _line_texts(child, brk)
        if breaks:
            yield brk
        if child.tail:
            yield child.tail


def _line_text(el: etree._Element) -> str:
    """``el``'s text as one line, spaces collapsed, its line breaks read as spaces (``_line_texts``)."""
    return " ".join("".join(_line_texts(el)).split())


def _short_text(el: etree._Element, limit: int, sep: str = "") -> str | None:
    """``el``'s text, spaces collapsed, when it has at most ``limit`` characters; else None
    (read only up to the limit: an unclosed block holds the rest of the page). ``sep`` joins
    its parts (" ": the texts of its elements read apart; its line breaks are read apart anyway)."""
    if el.text and len(el.text) > 2 * limit:
        return None
    parts, n = [], 0
    for t in _line_texts(el):
        n += len(t)
        if n > 2 * limit:
            return None
        parts.append(t)
    text = " ".join(sep.join(parts).split())
    return text if len(text) <= limit else None
