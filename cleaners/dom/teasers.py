"""Teaser blocks: blocks opened by a boilerplate title and filled with teasers, or by a title
counting comments (``prune_titled_blocks``), lists and containers that are mostly links or teaser cards
(``prune_link_dense``, ``link_dense_blocks``), and the most prose such blocks hold
(``unlinked_text``: the pipeline's check that the link-dense pass took no article)."""

from __future__ import annotations

import re

import lxml.etree as etree

from newsclean.cleaners.dom.elements import (
    HEADINGS, PROTECTED_TAGS, SUBHEADINGS, drop_topmost, link_text_len, short_text, text_len, text_of,
)
from newsclean.cleaners.dom.measures import Measures
from newsclean.cleaners.dom.class_names import _title_class
from newsclean.cleaners.vocabulary import is_boilerplate_heading


def _is_body_like(el: etree._Element) -> bool:
    """Holds article prose: an h1, or two long paragraphs that are not links."""
    if el.find(".//h1") is not None:
        return True
    long_paras = 0
    for p in el.iter("p"):
        n = text_len(p)
        if n >= 200 and link_text_len(p) < 0.2 * n:
            long_paras += 1
            if long_paras >= 2:
                return True
    return False


#: A boilerplate title ("Related", "Must Read") is short.
_BOILERPLATE_TITLE_CHARS = 80


#: Elements that are a block's title when their class says so (``_TITLE_CLASS``).
_TITLE_TAGS = ("div", "span", "p", "strong", "b")


#: A heading that counts the readers' comments under it, with the post's title or not: "59 Comments
#: on “Title”", "3 thoughts on “Title”", "12 Responses to Title", "1 Reply". What it heads is a
#: thread of comments, prose as the article is: taken whatever its text (``prune_titled_blocks``),
#: so a page whose comment thread has no class or id saying so (a hashed or bare theme) loses it too.
COUNTED_COMMENTS = re.compile(r"\d[\d,.]*\s+(?:comments?|responses?|repl(?:y|ies)|thoughts?)(?:\s+(?:on|to)\s+\S.*)?",
                              re.I | re.S)
#: ... with the post's title in it, it is longer than a boilerplate title.
_COUNTED_TITLE_CHARS = 300


def _heading_candidates(tree: etree._Element, m: Measures | None = None) -> list[tuple[etree._Element, bool]]:
    """The headings (and elements a title class names) of a boilerplate title, each with whether
    it counts comments (``COUNTED_COMMENTS``)."""
    out = []
    for el in tree.iter(*HEADINGS, *_TITLE_TAGS):
        if el.tag == "h1":
            continue
        if el.tag in HEADINGS or (cls := el.get("class")) and _title_class(cls):
            txt = short_text(el, _BOILERPLATE_TITLE_CHARS, m)
            if txt and is_boilerplate_heading(txt):
                out.append((el, False))
            elif el.tag in HEADINGS and (txt is not None or (txt := short_text(el, _COUNTED_TITLE_CHARS, m))) \
                    and COUNTED_COMMENTS.fullmatch(txt):
                out.append((el, True))
    return out


def _teaser_like(el: etree._Element) -> bool:
    """Short headlines, excerpts and links rather than prose."""
    n = text_len(el)
    if n == 0:
        return True
    return not _is_body_like(el) and (link_text_len(el) >= 0.3 * n or n < 400 or el.find(".//a") is not None)


def prune_titled_blocks(tree: etree._Element, m: Measures | None = None) -> int:
    """Remove blocks opened by a boilerplate title (Must Read, Related, Trending, Most Read, ...)
    and filled with teasers. A title inside the article column is left to the link-dense and line
    steps: taking it and the teaser-like siblings after it gained multipage-dev's dev sites only
    (docs/quality.md, "multipage-dev's fold gap"). A block a heading counting comments titles
    (``COUNTED_COMMENTS``) goes whatever it holds, unless the article's ``<h1>``. ``m``, the
    page's measures, lets short texts be read whole (``short_text``)."""
    victims: list[etree._Element] = []
    # Each block is judged once, however many titles it holds: a page of a thousand "Related"
    # headings in one column measured that column a thousand times.
    teaser_block: dict[etree._Element, bool] = {}
    for h, comments in _heading_candidates(tree, m):
        # Climb while the ancestor holds nothing but the heading.
        head = h
        own = text_len(h)
        while head.getparent() is not None and short_text(head.getparent(), own + 5, m) is not None \
                and head.getparent().tag not in PROTECTED_TAGS:
            head = head.getparent()
        block = head.getparent()
        if block is None or block.tag in PROTECTED_TAGS:
            continue
        if comments:
            # a thread of comments is prose: any block but one holding the article's headline
            if block.find(".//h1") is None:
                victims.append(block)
            continue
        if block not in teaser_block:
            teaser_block[block] = not _is_body_like(block) and _teaser_like(block)
        if teaser_block[block]:
            victims.append(block)
    return drop_topmost(victims)


def prune_link_dense(tree: etree._Element, m: Measures | None = None, *, min_links: int = 3, ratio: float = 0.7) -> int:
    """Remove lists and containers that are mostly links (teaser lists, e-paper links, tag clouds),
    and lists of teaser cards (linked headline and excerpt per item) of any length; not a list
    that a sentence right before it announces (``_announced``)."""
    m = m or Measures(tree)
    return drop_topmost(link_dense_blocks(tree, m, min_links=min_links, ratio=ratio))


def link_dense_blocks(tree: etree._Element, m: Measures, *, min_links: int = 3, ratio: float = 0.7) -> list[etree._Element]:
    """The blocks ``prune_link_dense`` removes (see there), nested ones included."""
    victims = []
    for el in tree.iter("ul", "ol", "div", "section", "aside", "nav", "table"):
        n = m.text(el)
        if n == 0:
            continue
        listed = el.tag in ("ul", "ol")
        if listed and _teaser_cards(el) and not m.data[el][4]:
            # excerpts of two cards can look like prose paragraphs: only an h1 protects a card list
            if not _announced(el):
                victims.append(el)
            continue
        if n > 3000:
            continue
        links = m.links(el)
        if (m.n_links(el) >= min_links and links >= ratio * n or m.n_links(el) >= 2 and links >= 0.95 * n
                or el.tag == "table" and _rows_of_links(el, m)) \
                and not m.body_like(el) and not (listed and _announced(el)):
            victims.append(el)
    return victims


#: A table with at least this many rows that are a link each, and that share of its rows with
#: text, is a list of links laid out as a table: the older pages' "See also" and "More stories"
#: boxes, whose labels ("Internet links:") and notes ("... is not responsible for the content of
#: external internet sites") keep its links under the block's ratio.
LINK_ROWS_MIN, LINK_ROWS_SHARE = 3, 0.6


def _rows_of_links(table: etree._Element, m: Measures) -> bool:
    """Whether most of ``table``'s rows with text are a link each (a grid's tables are plain
    containers by now: ``layout.unwrap_layout_tables``). Not a table that names its columns in
    ``<th>`` cells: a data table (a support matrix of linked platforms and icons)."""
    parts = [table, *(p for p in table if p.tag in ("thead", "tbody", "tfoot"))]
    rows = [r for part in parts for r in part if r.tag == "tr" and m.text(r)]
    if any(c.tag == "th" for r in rows for c in r):
        return False
    linked = sum(1 for r in rows if m.links(r) >= 0.9 * m.text(r))
    return linked >= LINK_ROWS_MIN and linked >= LINK_ROWS_SHARE * len(rows)


#: A list is announced by a sentence of at least this many words that ends with a colon.
ANNOUNCING_WORDS = 5


def _announced(el: etree._Element) -> bool:
    """A list the text right before it announces ("Here are some of the courses you can take:")
    with text after it: part of the article's run, not a block of links beside it."""
    before, after = el.getprevious(), el.getnext()
    if before is None or after is None or not isinstance(before.tag, str) or before.tail and before.tail.strip():
        return False
    intro = text_of(before).split()
    return len(intro) >= ANNOUNCING_WORDS and intro[-1].endswith(":") and text_len(after) > 0


#: An ``<article>`` element with this much text outside links marks the story (cards of other
#: stories marked up as articles hold a headline and an excerpt).
ARTICLE_PROSE_CHARS = 500


def unlinked_text(tree: etree._Element, blocks: list[etree._Element], m: Measures) -> int:
    """The most text outside links that one of ``blocks`` holds (a teaser's excerpt, an event's
    description; a menu holds next to none), among those that could be the article: not outside
    the page's ``<article>`` when it marks one with prose (teasers of other stories under it).
    An ``<article>`` inside the block is one of its own cards, not the page's story."""
    articles = [a for a in tree.iter("article") if m.text(a) - m.links(a) >= ARTICLE_PROSE_CHARS]
    for n, el in sorted(((m.text(el) - m.links(el), el) for el in blocks), key=lambda x: -x[0]):
        if not articles or any(a.tag == "article" for a in el.iterancestors()) \
                or all(any(x is el for x in a.iterancestors()) for a in articles):
            return n
    return 0


#: Items (li children) holding a linked headline, counted in one XPath call per list: a call
#: per item was a sixth of the cleaner's CPU on pages with long menus.
_LINKED_ITEMS = etree.XPath("count(li[.//*[self::h2 or self::h3 or self::h4 or self::h5 or self::h6]"
                            "[.//a[@href] or ancestor::a[@href]]])")


def _teaser_cards(el: etree._Element, min_items: int = 3) -> bool:
    """A list of cards: three or more items, nearly each with a linked headline (and an excerpt
    that is not a link, which is why link density misses them). Article lists do not put
    linked headings in their items."""
    items = sum(1 for c in el if c.tag == "li")
    if items < min_items or next(el.iter(SUBHEADINGS), None) is None:
        return False   # a list without a heading in it (most) spares the XPath
    return _LINKED_ITEMS(el) >= 0.8 * items
