"""Blocks removed for their names: widget containers and image blocks (``prune_widgets``), and the
small hidden elements, tooltips and hover cards the reader does not see (``prune_hidden``)."""

from __future__ import annotations

import lxml.etree as etree

from newsclean.cleaners.dom.elements import HEADINGS, PROTECTED_TAGS, attached, drop_topmost
from newsclean.cleaners.dom.measures import Measures

#: Code listings: a syntax highlighter names its spans by token kind ("hljs-comment", "token
#: comment"), which reads as a widget name; the listing is article text.
_CODE_TAGS = frozenset({"pre", "code"})


def _in_code(el: etree._Element) -> bool:
    return el.tag in _CODE_TAGS or any(a.tag in _CODE_TAGS for a in el.iterancestors())


#: The author's card as the page's microdata marks it: an item (``itemscope``) that is the
#: article's ``author`` and holds more than a byline's name and date, a bio beside them (Simple
#: Author Box's ``saboxplugin-wrap``, inside the article's container: its name is no widget word).
#: Of this size: a byline is shorter, and the article, with its headline in it, is no card.
AUTHOR_CARD_MIN_CHARS = 80
AUTHOR_CARD_MAX_CHARS = 1500
_AUTHOR_ITEMS = etree.XPath("//*[@itemscope][contains(concat(' ', normalize-space(@itemprop), ' '), ' author ')]")


def has_microdata(source: bytes) -> bool:
    """Whether a page's source may hold a microdata item: an ``itemscope`` attribute as pages
    write it, in lower case (React renders its ``itemScope`` so) or in camel case, which the parser
    reads the same (2 of wcxb-dev's 152 pages with microdata write only ``itemScope``). Two
    searches of the bytes (0.14 ms on wcxb-dev's pages, a walk of the tree for the cards 0.4 ms),
    not of the tree; a case-blind search costs 0.8 ms."""
    return b"itemscope" in source or b"itemScope" in source


def _author_cards(tree: etree._Element, m: Measures) -> list[etree._Element]:
    """The author's cards of the page (``AUTHOR_CARD_MIN_CHARS``)."""
    return [el for el in _AUTHOR_ITEMS(tree)
            if el.tag not in PROTECTED_TAGS and AUTHOR_CARD_MIN_CHARS <= m.text(el) <= AUTHOR_CARD_MAX_CHARS
            and not m.holds_h1(el)]


def prune_widgets(tree: etree._Element, m: Measures | None = None, *, microdata: bool = True) -> int:
    """Remove containers whose class/id names a widget (share, newsletter, related, ads, ...), and
    the author's card the page's microdata marks (``AUTHOR_CARD_MIN_CHARS``). ``microdata``: False
    where the page's source holds no ``itemscope`` (``has_microdata``): the search for cards, a
    walk of the whole tree, is spared four pages in five."""
    m = m or Measures(tree)
    victims = _author_cards(tree, m) if microdata else []
    for el, kinds in m.picked().widgets:   # named a widget or an image block; a victim is checked below
        if el.tag in PROTECTED_TAGS or el.tag in HEADINGS:
            continue
        widget, content, image = kinds
        if widget and not content and not m.body_like(el) \
                and not m.prose_heavy(el) and not _in_code(el):
            victims.append(el)
        elif image and el.tag in ("div", "section") \
                and m.text(el) <= 400 and not m.body_like(el) and not content \
                and el.find(".//img") is not None:
            victims.append(el)  # an image block: the picture and its caption / credit
    # with measures taken before another pass removed blocks: not what that pass already took
    return drop_topmost([el for el in victims if attached(el, tree)])


#: A tooltip with more prose than this is a block named loosely, not a pop-over.
HIDDEN_MAX_CHARS = 600


def _hidden(role: str | None, hover: tuple[bool, bool, bool]) -> bool:
    """A tooltip or hover card (see ``_HOVER_SUBSTRINGS``; ``hover``: ``_hover_class`` of its
    class), or one its class hides (``_hidden_class``: of any size)."""
    if role == "tooltip" or hover[2]:
        return True
    return hover[0] and hover[1]   # a hover candidate whose class names a hover card


#: A cell is not dropped for its class: a hidden column taken out shifts its row (a data table's
#: sort keys under ``hidden``, which wcxb-dev's truth keeps).
_CELL_TAGS = frozenset({"td", "th"})


def prune_hidden(tree: etree._Element, m: Measures) -> int:
    """Remove small hidden elements, tooltips and hover cards (see ``_HOVER_SUBSTRINGS``): text
    the reader does not see in the article."""
    victims = [el for el, role, hover in m.picked().hidden
               if _hidden(role, hover) and el.tag not in PROTECTED_TAGS
               and not (hover[2] and el.tag in _CELL_TAGS)
               and (hover[2] or m.text(el) <= HIDDEN_MAX_CHARS) and not m.body_like(el) and attached(el, tree)]
    return drop_topmost(victims)
