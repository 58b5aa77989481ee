""":func:`extract_metadata`: every field of one parsed page, each from its first source that
says it (schema.org JSON-LD, then meta tags and microdata, then what the page shows)."""

from __future__ import annotations

import lxml.etree as etree

from newsclean.cleaners.metadata.authors.names import _names
from newsclean.cleaners.metadata.authors.page_authors import page_authors
from newsclean.cleaners.metadata.authors.writers import PageWriters
from newsclean.cleaners.metadata.common import (
    ARTICLE_TYPES, Metadata, _clean, _first, _ld_nodes, _ld_text, _meta, _types, html_lang,
)
from newsclean.cleaners.metadata.dates.days import _ISO_START, _first_date, _iso, _microdata_dates, shown_day_near_headline
from newsclean.cleaners.metadata.house import _house_keys
from newsclean.cleaners.metadata.titles import (
    _best_title, _newsroom, _shared_after_kickers, _shown_head_of, _shown_headline, _shown_punctuation,
    _strip_site, _title_key, _title_tag, _without_piped_tail,
)
from newsclean.cleaners.reading.trees import first_descendant


def extract_metadata(tree: etree._Element, url: str | None, scripts: list[etree._Element] | None = None) -> Metadata:
    """Read title, authors, dates, description, section, tags, language and body evidence.
    ``scripts``: the tree's ``<script>`` elements, where the caller has them."""
    md = Metadata()
    ld_title = ld_name = None
    md.html_lang = html_lang(tree)
    meta = _meta(tree)
    md.og_type = _first(meta, "og:type")

    article = None
    nodes = _ld_nodes(tree, scripts)
    writers = PageWriters(tree)   # read when first asked, once for the declared and the printed bylines
    for node in nodes:
        if _types(node) & ARTICLE_TYPES:
            article = node
            break
    if article is not None:
        md.has_article_ld = True
        md.title = _clean(_ld_text(article.get("headline"))) or _clean(_ld_text(article.get("name")))
        ld_title = md.title
        name = _clean(_ld_text(article.get("name")))
        if name and ld_title and _title_key(name) != _title_key(ld_title):
            ld_name = name  # a second declared title of the article, when it says another thing
        by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}
        md.authors = _names(article.get("author"), by_id, declared=True, writers=writers)

        if _iso(article.get("datePublished")):
            md.published, md.date_sources["published"] = _iso(article["datePublished"]), "json-ld"
            if not _ISO_START.match(str(article["datePublished"]).strip()):
                # written for display ("Jun 24, 2025"): a template's field, often another date than
                # the post's (a build or an update); the day printed by the headline says which
                shown = shown_day_near_headline(tree, md.html_lang)
                if shown and shown != md.published[:10]:
                    md.published, md.date_sources["published"] = shown, "shown"
        if _iso(article.get("dateModified")):
            md.modified, md.date_sources["modified"] = _iso(article["dateModified"]), "json-ld"
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

    h1 = first_descendant(tree, "h1")
    h1_text = _clean(etree.tostring(h1, method="text", encoding="unicode", with_tail=False)) if h1 is not None else None
    site_name = _first(meta, "og:site_name", "application-name")
    md.social_titles = [t for t in (_first(meta, "og:title"), _first(meta, "twitter:title")) if t]
    declared = (md.title, *md.social_titles)
    title_text = tree.findtext(".//title")   # read once: it votes whole and by its longest part
    md.title = _best_title(tree, declared, _title_tag(title_text), site_name, ld_name,
                           whole_tag=_clean(title_text))
    md.title = _shared_after_kickers(md.title, (h1_text, *md.social_titles, ld_title))
    md.title = _shown_head_of(md.title, tree)
    if not _newsroom(nodes, meta):
        md.title = _shown_headline(md.title, h1, _house_keys(meta, article))
    md.title = _strip_site(md.title, None, url) if md.title else md.title
    md.title = _without_piped_tail(md.title)
    if not _newsroom(nodes, meta):
        md.title = _shown_punctuation(md.title, tree)
    md.authors = page_authors(tree, md.authors, meta, article, writers)
    if not md.published:
        pub = _first_date(meta, "article:published_time", "og:published_time", "datepublished",
                          "date", "dc.date", "dc.date.issued", "pubdate", "publishdate", "sailthru.date")
        if pub:
            md.published, md.date_sources["published"] = pub, "meta"
    if not md.published and article is None:
        # no article node and no meta tag: the page's WebPage node (Yoast, Rank Math write one on every post)
        page = next((n for n in nodes if "webpage" in _types(n) and _iso(n.get("datePublished"))), None)
        if page is not None:
            md.published, md.date_sources["published"] = _iso(page["datePublished"]), "json-ld"
    if not md.modified:
        mod = _first_date(meta, "article:modified_time", "og:updated_time", "datemodified")
        if mod:
            md.modified, md.date_sources["modified"] = mod, "meta"
    # schema.org microdata on the printed date: <time itemprop="datePublished" datetime="...">
    wanted = tuple((key, prop) for key, prop in (("published", "datePublished"), ("modified", "dateModified"))
                   if not getattr(md, key))
    found = _microdata_dates(tree, tuple(prop for _, prop in wanted))
    for key, prop in wanted:
        value = found.get(prop)
        if value:
            setattr(md, key, value)
            md.date_sources[key] = "microdata"
    md.description = md.description or _first(meta, "description", "og:description")
    md.section = md.section or _first(meta, "article:section")
    if not md.tags:
        md.tags = [t for t in (_clean(v) for v in meta.get("article:tag", [])) if t]
    canon = tree.find(".//link[@rel='canonical']")
    md.canonical_url = (_clean(canon.get("href")) if canon is not None else None) or _first(meta, "og:url")
    return md
