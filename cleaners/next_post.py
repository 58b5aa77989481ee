"""A next post rendered below the page's article inside the body the extractor took.

Themes with infinite scroll append the next post under the page's own; most put it in a sibling
``<article>`` (the extractor then takes the first and stops), some render it inside the page's
article element or its body block: a headline linking to the next post's page, its byline with
a date, its text (a run of dated teasers of other posts under the article looks the same, and
ends it too). The extractor reads that as more of the article. The mark is structural and the
same in any language: a heading of the body, all of it a link to another page of the same site,
with a day right after it in the tree (the next post's byline or dateline: a ``<time>`` element or a
whole printed day; a year alone is no dateline: "Released in 2024" opens an item of a roundup whose
headings link to the site's reviews). The body is cut there,
never before ``MIN_KEPT_CHARS`` of the article.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import lxml.etree as etree

from newsclean.cleaners import blocks
from newsclean.cleaners.metadata.days import prints_a_day

HEADINGS = ("h1", "h2", "h3", "h4")
#: The article's lines above the cut hold at least this many characters (a short intro above a
#: "read the next post" heading is no article yet).
MIN_KEPT_CHARS = 400
#: A heading is a link to the next post when the link's text is this share of the heading's.
LINK_SHARE = 0.8
#: Characters of text after the heading in the tree that may hold the next post's date.
DATE_WINDOW = 120


def _links_away(heading: etree._Element, url: str) -> bool:
    """The heading is a link to another page of the page's own site."""
    a = next(heading.iter("a"), None)
    href = a.get("href") if a is not None else None
    if not href or href.startswith("#"):
        return False
    text = "".join(heading.itertext()).split()
    if len(" ".join("".join(a.itertext()).split())) < LINK_SHARE * len(" ".join(text)):
        return False
    try:
        to, me = urlsplit(urljoin(url, href)), urlsplit(url)
        return (me.hostname is not None and to.hostname == me.hostname and len(to.path) > 2
                and to.path.rstrip("/") != me.path.rstrip("/"))
    except ValueError:   # a malformed address ("http://[x"): no evidence
        return False


def _dated(heading: etree._Element) -> bool:
    """A day within ``DATE_WINDOW`` characters of text right after the heading (its siblings'):
    a ``<time>`` element there, or a whole day printed."""
    text = ""
    for sib in heading.itersiblings():
        if isinstance(sib.tag, str):
            if sib.tag == "time" or next(sib.iter("time"), None) is not None:
                return True
            text += " " + " ".join("".join(sib.itertext()).split())
        elif sib.tail:
            text += sib.tail
        if len(text) >= DATE_WINDOW:
            break
    if heading.tail:
        text = heading.tail + text
    return prints_a_day(text[:DATE_WINDOW])


def drop_next_post(tree: etree._Element, lines: list[str], url: str, *,
                   opened: blocks.Openings | None = None, placed: blocks.Placed | None = None) -> tuple[list[str], int]:
    """``lines`` cut at the headline of a next post rendered below the article (see the module's
    doc); the characters removed."""
    if len(lines) < 3 or not url:
        return lines, 0
    sources, _ = blocks.placed_lines(tree, lines, opened, placed)
    kept = 0
    for i, (line, el) in enumerate(zip(lines, sources)):
        if (kept >= MIN_KEPT_CHARS and el is not None and el.tag in HEADINGS
                and _links_away(el, url) and _dated(el)):
            return lines[:i], sum(map(len, lines[i:]))
        kept += len(line)
    return lines, 0
