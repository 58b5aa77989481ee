"""What a page's cleaning holds in memory at once: a crawl's cleaning worker peaks on its largest
pages (docs/performance.md, "Memory"). Python's own allocations, traced (deterministic: no timing)."""

from __future__ import annotations

import json
import re
import tracemalloc

import lxml.etree as etree
import lxml.html

from newsclean.cleaners import Article
from newsclean.cleaners.metadata.authors import page_authors
from newsclean.crawler.workers.pool import clean_with_blocks
from newsclean.cleaners import SiteRules

#: A character beyond U+FFFF: the str of a text holding one takes 4 bytes a character.
ASTRAL = "\U0001d11e"


def _large_page(script_chars: int) -> bytes:
    """A news page of ``script_chars`` characters of script data (a page's state, as news sites
    stream it) besides a short article whose printed byline names the JSON-LD author, and one
    character beyond U+FFFF in its text."""
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "The river bridge opens in spring",
          "author": {"@type": "Person", "name": "Rosa Delacroix"}, "datePublished": "2026-03-02T08:00:00Z"}
    state = json.dumps({"items": ["x" * 60 + str(i) for i in range(script_chars // 70)]})
    body = "".join(f"<p>Paragraph {i}: the council said on Monday that the new bridge over the river would open in "
                   f"the spring, after engineers finished their checks of the older piers.</p>" for i in range(12))
    html = (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>The river bridge opens in spring</title>"
            f"<script type='application/ld+json'>{json.dumps(ld)}</script></head><body>"
            f"<nav><a href='/'>Home</a> <a href='/search'>Search {ASTRAL}</a></nav>"
            f"<article><h1>The river bridge opens in spring</h1><p class='byline'>By Rosa Delacroix</p>{body}</article>"
            f"<script>window.__STATE__ = {state};</script></body></html>")
    return html.encode("utf-8")


def test_a_workers_large_page_holds_no_whole_page_str_beside_its_tree() -> None:
    # 2 MB of markup with one character beyond U+FFFF: every str of the whole page is 8 MB. The
    # decoded page was held through the whole call (for a second parse) while the byline check
    # read the body's text as one str, which lxml copied once more as its "smart" string: 25 MB
    # traced at the peak, 12 times the page. Now the decoded page goes once parsed (its UTF-8
    # is kept), the body's text is searched a window at a time: ~8 times the page (the decoding
    # itself: the str and the decoder's narrower copy of it, before the tree exists).
    page = _large_page(2_000_000)
    clean_with_blocks(page[:4000] + b"</script></body></html>", "https://example.com/warm", SiteRules(), frozenset(),
                      "example.com", 60.0)
    tracemalloc.start()
    try:
        cleaned, _ = clean_with_blocks(page, "https://example.com/2026/03/02/river-bridge/", SiteRules(), frozenset(),
                                       "example.com", 60.0)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert isinstance(cleaned.result, Article) and cleaned.result.authors == ["Rosa Delacroix"], cleaned.result
    assert peak < 10 * len(page), f"{peak / len(page):.1f} times the page's bytes"


def _old_printed_anywhere(tree: etree._Element, names: list[str]) -> bool:
    """The search as it was: XPath's string(//body) whole, each name's words apart by any whitespace."""
    body = etree.XPath("string(//body)")(tree)
    return any(re.search(r"\s+".join(map(re.escape, n.split())), body, re.I) for n in names)


def test_the_body_text_searched_in_windows_finds_what_the_whole_string_finds(monkeypatch) -> None:
    # A name across a window's edge, with runs of whitespace of any length (over the edge too)
    # between its words, in other cases, in elements of its own; and names that are not there.
    monkeypatch.setattr(page_authors, "BODY_WINDOW_BYTES", 16)
    names = ["Jane Q. Doe", "ROSA  Delacroix"]
    seen = set()
    for filler in range(0, 40, 3):
        for gap in ("", " ", "\n \t  " * 7, "\u00a0", " " * 40, " \n" * 200):
            for name_html in (f"Jane{gap} q.{gap or ' '}DOE", f"<b>rosa</b>{gap or ' '}<i>delacroix</i>",
                              f"Jane{gap}Q.Doe", f"rosa{gap or ' '}delacroi{ASTRAL}x", f"{ASTRAL}ros{gap}a Delacroix"):
                html = f"<html><body><p>{'é' * filler}</p><p>{name_html}</p><script>{'z' * filler}</script></body></html>"
                tree = lxml.html.document_fromstring(html)
                expected = _old_printed_anywhere(tree, names)
                assert page_authors._printed_anywhere(tree, names) == expected, html
                seen.add(expected)
    assert seen == {True, False}
