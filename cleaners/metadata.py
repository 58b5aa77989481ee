"""Article metadata from one parsed tree: schema.org JSON-LD first, then meta tags, then htmldate,
then the URL. Each date records where it came from (``date_sources``)."""

from __future__ import annotations

import json
from html import unescape
import re
from dataclasses import dataclass, field
from typing import Any

import lxml.etree as etree

#: schema.org types that describe an article page.
ARTICLE_TYPES = frozenset({
    "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "backgroundnewsarticle", "reviewnewsarticle", "blogposting", "liveblogposting", "socialmediaposting",
    "techarticle", "scholarlyarticle", "report", "webpage-article",
})

_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?:/|$|[-_])")
_WS = re.compile(r"\s+")


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
    date_sources: dict[str, str] = field(default_factory=dict)


def _clean(s: Any) -> str | None:
    if not isinstance(s, str):
        return None
    s = _WS.sub(" ", s).strip()
    return s or None


def _types(node: dict) -> set[str]:
    t = node.get("@type")
    items = t if isinstance(t, list) else [t]
    return {x.lower() for x in items if isinstance(x, str)}


def _ld_nodes(tree: etree._Element) -> list[dict]:
    """Every JSON object of the page's ld+json scripts, flattening lists and @graph."""
    out: list[dict] = []
    for script in tree.iterfind(".//script[@type]"):
        if "ld+json" not in (script.get("type") or "").lower() or not script.text:
            continue
        try:
            data = json.loads(script.text.strip().rstrip(";"), strict=False)
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


def _names(value: Any) -> list[str]:
    """Person names from an author value (string, object, or list of them)."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for it in items:
        name = it.get("name") if isinstance(it, dict) else it
        if isinstance(name, list):
            name = " ".join(x for x in name if isinstance(x, str))
        name = _clean(name)
        if name and not name.lower().startswith(("http://", "https://")) and len(name) < 100:
            for part in _CONJ.split(name) if _many_names(name) else [name]:
                part = part.strip()
                if part and part not in names and _is_person_like(part):
                    names.append(part)
    return names


#: Separators between several authors in one string (conjunctions of common news languages).
_CONJ = re.compile(r"\s*(?:,|&|\||;|\s(?:and|und|og|och|et|y|e|en|ve|és)\s)\s*", re.I)


def _is_person_like(name: str) -> bool:
    # e-mail addresses, ids and domains are not bylines.
    return "@" not in name and not name.replace(" ", "").isdigit()


def _many_names(name: str) -> bool:
    # "Jane Doe and John Roe" splits; "Doe, Jane" (one person) does not.
    if re.search(r"\s(?:and|und|og|och|et|y|e|en|ve|és)\s|&|;|\|", name, re.I) or name.count(",") >= 2:
        return True
    parts = [p.strip() for p in name.split(",")]
    return len(parts) == 2 and all(len(p.split()) >= 2 for p in parts)


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


def date_from_url(url: str | None) -> str | None:
    """A ``YYYY-MM-DD`` date written in the URL path, if any."""
    m = _URL_DATE.search(url or "")
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else None


def extract_metadata(tree: etree._Element, url: str | None) -> Metadata:
    """Read title, authors, dates, description, section, tags, language and body evidence."""
    md = Metadata()
    root = tree.getroottree().getroot()
    md.html_lang = _clean(root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang"))
    meta = _meta(tree)
    md.og_type = _first(meta, "og:type")

    article = None
    for node in _ld_nodes(tree):
        if _types(node) & ARTICLE_TYPES:
            article = node
            break
    if article is not None:
        md.has_article_ld = True
        md.title = _clean(article.get("headline")) or _clean(article.get("name"))
        md.authors = _names(article.get("author"))
        if _clean(article.get("datePublished")):
            md.published, md.date_sources["published"] = _clean(article["datePublished"]), "json-ld"
        if _clean(article.get("dateModified")):
            md.modified, md.date_sources["modified"] = _clean(article["dateModified"]), "json-ld"
        md.description = _clean(article.get("description"))
        sec = article.get("articleSection")
        md.section = _clean(sec[0] if isinstance(sec, list) and sec else sec)
        kw = article.get("keywords")
        if isinstance(kw, str):
            md.tags = [t.strip() for t in kw.split(",") if t.strip()]
        elif isinstance(kw, list):
            md.tags = [t.strip() for t in kw if isinstance(t, str) and t.strip()]
        body = article.get("articleBody")
        md.article_body = body if isinstance(body, str) and body.strip() else None

    h1 = tree.find(".//h1")
    h1_text = _clean(etree.tostring(h1, method="text", encoding="unicode", with_tail=False)) if h1 is not None else None
    site_name = _first(meta, "og:site_name", "application-name")
    md.title = _best_title(h1_text, md.title, _first(meta, "og:title", "twitter:title"), _title_tag(tree), site_name)
    if not md.authors:
        md.authors = _names(meta.get("author", [None])[0]) or _names(meta.get("article:author", [None])[0])
    if not md.published:
        pub = _first(meta, "article:published_time", "og:published_time", "datepublished",
                     "date", "dc.date", "dc.date.issued", "pubdate", "publishdate", "sailthru.date")
        if pub:
            md.published, md.date_sources["published"] = pub, "meta"
    if not md.modified:
        mod = _first(meta, "article:modified_time", "og:updated_time", "datemodified")
        if mod:
            md.modified, md.date_sources["modified"] = mod, "meta"
    md.description = md.description or _first(meta, "description", "og:description")
    md.section = md.section or _first(meta, "article:section")
    if not md.tags:
        md.tags = [t for t in (_clean(v) for v in meta.get("article:tag", [])) if t]
    canon = tree.find(".//link[@rel='canonical']")
    md.canonical_url = (_clean(canon.get("href")) if canon is not None else None) or _first(meta, "og:url")
    return md


_TITLE_SEP = re.compile(r"\s+[|–—-]\s+|\s+::\s+")


def _strip_site(title: str, site_name: str | None) -> str:
    """Drop a trailing (or leading) " | Site" part: the site's name, or a short last part."""
    parts = _TITLE_SEP.split(title)
    if len(parts) < 2:
        return title
    sn = (site_name or "").casefold()
    if sn and (parts[-1].casefold() == sn or sn.startswith(parts[-1].casefold()) or parts[-1].casefold().startswith(sn)):
        return _TITLE_SEP.split(title)[0] if len(parts) == 2 else title[: title.rfind(parts[-1])].rstrip(" |–—-:")
    if sn and parts[0].casefold() == sn:
        return title[len(parts[0]):].lstrip(" |–—-:")
    return title


def _best_title(h1: str | None, ld: str | None, og: str | None, tag: str | None, site_name: str | None) -> str | None:
    """The visible headline (h1) when it agrees in substance with what the page declares,
    else the declared headline (JSON-LD, og:title) without the site's name, else the <title>."""
    for t in (ld, og):
        if t:
            return _strip_site(unescape(t), site_name)
    if h1 and 8 <= len(h1) <= 300:
        return unescape(h1)
    return _strip_site(unescape(tag), site_name) if tag else None


def _title_tag(tree: etree._Element) -> str | None:
    t = tree.find(".//title")
    if t is None or not t.text:
        return None
    # "Headline | Site" / "Headline - Site": keep the longest part.
    parts = re.split(r"\s+[|–—-]\s+", t.text.strip())
    return _clean(max(parts, key=len)) if parts else None


def fill_dates(md: Metadata, tree: etree._Element, url: str | None, *, use_htmldate: bool = True) -> None:
    """Fallbacks for the publication date: htmldate over the tree, then the URL."""
    if md.published:
        return
    if use_htmldate:
        try:
            from htmldate import find_date
            found = find_date(tree, url=url, extensive_search=False, original_date=True)
        except Exception:  # noqa: BLE001 — a fallback heuristic must not fail the page
            found = None
        if found:
            md.published, md.date_sources["published"] = found, "htmldate"
            return
    d = date_from_url(url)
    if d:
        md.published, md.date_sources["published"] = d, "url"
