"""Generic DOM pruning before extraction: site rules, widget containers, paywall and login gates,
titled teaser blocks, link-dense blocks. Structure, class/id tokens and block titles only — no per-page rules.

Every function returns the characters it removed, so the pipeline can count per step.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import unquote, urljoin, urlsplit
from collections.abc import Callable, Iterator
from typing import NamedTuple

import lxml.etree as etree
from lxml.cssselect import CSSSelector

from newsclean.cleaners.vocabulary import fold_case, is_boilerplate_heading

#: class/id tokens of widget containers that never hold the article body (regex fragments).
WIDGET_WORDS = (
    "share", "sharing", "sharedaddy", "social", "newsletter", "subscribe", "subscription", "related",
    "recommended", "recommendations", "trending", "most-?read", "most-?popular", "most-?viewed", "outbrain", "taboola",
    "comments?", "disqus", r"advert\w*", "ads?", "adsbygoogle", r"sponsor\w*", "promo", "author-?box", "author-?bio",
    "about-?author", "td-a-rec", "breadcrumbs?", "more-?stories", "jp-relatedposts", r"yarpp\w*", r"newsletter\w*",
    "twitter-tweet", "instagram-media", "tiktok-embed", "bluesky-embed")
WIDGET_TOKENS = re.compile(r"(?:^|[\s_-])(?:" + "|".join(WIDGET_WORDS) + r")(?:$|[\s_-])", re.I)
#: class/id parts of image blocks (a picture with its caption and credit).
IMAGE_WORDS = ("image", "img", "photo", "picture", "bild", "foto", "caption", "figure", "gallery")
IMAGE_TOKENS = re.compile("|".join(IMAGE_WORDS), re.I)
#: class/id tokens that name the article body itself: such an element is never a widget.
CONTENT_WORDS = ("entry-content", "post-content", "article-body", "article-content", "articlebody", "story-body",
                 "story-content", "main-content", "post-body", "td-post-content")
CONTENT_TOKENS = re.compile(r"(?:^|\s)(?:" + "|".join(CONTENT_WORDS) + r")(?:$|\s|[_-])", re.I)


def _leads(fragments: tuple[str, ...]) -> re.Pattern[str]:
    """The letters each fragment opens with (``_lead_words``), as one regex: a name whose
    ``fold_case`` holds none of them cannot match the fragments, and is not searched with their
    costlier regex."""
    return re.compile(_trie(_lead_words(fragments)))


def _lead_words(fragments: tuple[str, ...]) -> set[str]:
    """The letters each fragment opens with (a letter a quantifier makes optional left out; none
    for a fragment that is an alternation itself)."""
    leads = set()
    for f in fragments:
        lead = "" if "|" in f else re.match("[a-z]*", f).group()
        if f[len(lead):len(lead) + 1] in ("?", "*", "{"):
            lead = lead[:-1]
        leads.add(lead)
    return leads


def _kept(words: set[str]) -> list[str]:
    """The words no other word is part of: a string holding one of ``words`` holds one of these."""
    return [w for w in words if not any(o != w and o in w for o in words)]


def _trie(words: set[str]) -> str:
    """A regex that finds a string holding one of ``words`` (plain letters): the words no other
    word is part of ("ad" finds what "advert" does), as a tree of their letters. The regex engine
    tries each alternative at each position of the name: a tree tries a word's first letter once,
    not once a word (a third of the time of a flat alternation on the pages' class names)."""
    tree: dict[str, dict] = {}
    for w in _kept(words):
        node = tree
        for c in w:
            node = node.setdefault(c, {})
        node[""] = {}

    def branch(node: dict[str, dict]) -> str:
        if "" in node:   # a word ends here (no longer word goes on: none holds another)
            return ""
        alts = [re.escape(c) + branch(rest) for c, rest in sorted(node.items())]
        return alts[0] if len(alts) == 1 else f"(?:{'|'.join(alts)})"

    return branch(tree)


def _folded(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` (re.I, its letters lowercase) for a name's ``fold_case``, without re.I: the
    same matches (``fold_case`` maps every letter that re.I would match an ASCII letter with, and
    keeps the name's length), twice as fast."""
    if pattern.pattern != pattern.pattern.lower():
        raise ValueError(f"a pattern with capitals cannot be folded: {pattern.pattern}")
    return re.compile(pattern.pattern, pattern.flags & ~re.I)


_WIDGET_LEADS, _IMAGE_LEADS, _CONTENT_LEADS = _leads(WIDGET_WORDS), _leads(IMAGE_WORDS), _leads(CONTENT_WORDS)
_WIDGET_FOLDED, _IMAGE_FOLDED, _CONTENT_FOLDED = _folded(WIDGET_TOKENS), _folded(IMAGE_TOKENS), _folded(CONTENT_TOKENS)
#: Never dropped as widgets: they are or hold the document / the article itself.
PROTECTED_TAGS = frozenset({"html", "body", "article", "main", "head"})
#: Containers considered for link density and widget tokens.
BLOCK_TAGS = frozenset({"div", "section", "aside", "ul", "ol", "nav", "footer", "header", "form", "table", "figure", "p", "span"})
#: Section titles below the headline (an h5 or h6 too: pages pick a level by its size on screen).
SUBHEADINGS = ("h2", "h3", "h4", "h5", "h6")
HEADINGS = frozenset({"h1", *SUBHEADINGS})
_TITLE_CLASS = re.compile(r"title|heading|header|label", re.I)
_TITLE_FOLDED = _folded(_TITLE_CLASS)
#: Entries of each cache of class/id answers: a page repeats its names, pages rarely share them.
#: Over fundus-dev's 205 pages 2,048 entries miss 5% more often than 8,192, for no CPU measurable, and the
#: caches hold under 0.7 MB instead of 5 MB in every cleaning worker.
NAME_CACHE = 2048


#: An element's text without its tail, serialized in one call in C: the same string as joining
#: its ``itertext()`` (on each of the 1.7 million elements of wcxb-dev, fundus-dev and
#: trafilatura-eval), in a quarter of the time.
text_of = functools.partial(etree.tostring, method="text", encoding=str, with_tail=False)


def flat_text(el: etree._Element) -> str:
    """An element's text with its whitespace runs as single spaces, as the extraction's lines read."""
    return " ".join(text_of(el).split())


def text_len(el: etree._Element) -> int:
    """Characters of text inside an element (no tail)."""
    return len(text_of(el).strip())


#: An element with any of the attributes the pruning passes read by name: the element, its
#: class, id, role and style (None when absent).
Named = tuple[etree._Element, "str | None", "str | None", "str | None", "str | None"]


class Picked(NamedTuple):
    """What :meth:`Measures.picked` gives each pass deciding by names (see there)."""

    #: for ``prune_widgets``: (element, its (widget, content, image) kinds)
    widgets: list[tuple[etree._Element, tuple[bool, bool, bool]]]
    #: for ``prune_hidden``: (element, role, style, its class's ``_hover_class`` answers and
    #: whether the class hides it, ``_hidden_class``)
    hidden: list[tuple[etree._Element, "str | None", "str | None", tuple[bool, bool, bool]]]
    #: for ``prune_calls_to_action``
    ctas: list[etree._Element]


class Measures:
    """Per-element text length, link text length, link count, long prose paragraphs and h1
    presence, computed for the whole tree in one post-order pass (linear, not per element).

    The same walk gathers ``named``: the elements with a class, id, role or style attribute, in
    document order, with those values. The passes that decide by them read this list instead
    of walking the tree (or running an XPath over it) each time: an element an earlier pass
    removed is skipped with :func:`attached`. It holds the tree as measured: elements added
    later are not in it."""

    __slots__ = ("data", "named", "donation_links", "signup_links", "_picked")

    def __init__(self, tree: etree._Element) -> None:
        # One iterwalk with a stack of per-element sums: each element is visited once, its
        # children never re-iterated (lxml creates a Python proxy per element visit: on pages
        # with heavy navigation that cost dominated the cleaner's own CPU).
        data: dict[etree._Element, tuple[int, int, int, int, int]] = {}
        named: list[Named] = []
        donation_links: list[etree._Element] = []
        signup_links: list[etree._Element] = []
        stack: list[list[int]] = [[0, 0, 0, 0, 0]]   # the bottom one takes the root's tail
        for event, el in etree.iterwalk(tree, events=("start", "end", "comment", "pi")):
            if event == "start":
                stack.append([0, 0, 0, 0, 0])   # its children's total, link, n_links, paras, h1
                cls, eid, role, style = el.get("class"), el.get("id"), el.get("role"), el.get("style")
                if cls or eid or role or style:
                    named.append((el, cls, eid, role, style))
                continue
            if event == "end":
                total, link, n_links, paras, h1 = stack.pop()
                text = el.text   # each read of text, tail or tag makes a new string: once each
                if text:
                    total += len(text.strip())
                tag = el.tag
                if tag == "a":
                    # a headline or paragraph inside a link is a teaser card, not article prose
                    link, n_links, paras, h1 = total, n_links + 1, 0, 0
                    href = el.get("href")
                    if href:
                        if any(w in href for w in DONATION_HREF_WORDS):
                            donation_links.append(el)
                        elif _SIGNUP_LEAD.search(href.lower()):   # _signup_buttons reads the path and query
                            signup_links.append(el)
                elif tag == "p" and total >= 200 and link < 0.2 * total:
                    paras += 1
                elif tag == "h1":
                    h1 = 1
                # a tuple of ints: the garbage collector stops tracking it (a list it walks in
                # every collection while the page is cleaned)
                data[el] = (total, link, n_links, paras, h1)
                parent = stack[-1]
                parent[0] += total
                if n_links:   # most elements hold no link, paragraph or h1: nothing more to add
                    parent[1] += link
                    parent[2] += n_links
                if paras:
                    parent[3] += paras
                if h1:
                    parent[4] = 1
            tail = el.tail
            if tail:   # a comment's or PI's tail is text of the parent too
                stack[-1][0] += len(tail.strip())
        self.data = data
        self.named = named
        #: links to a donation page (``DONATION_HREF_WORDS``), in the page's order, read in this
        #: walk rather than by a search of the whole tree (``_cta_boxes``)
        self.donation_links = donation_links
        #: other links to a sign-up, sales or contact page (``SIGNUP_HREF``), the same way
        #: (``_signup_buttons``)
        self.signup_links = signup_links
        self._picked: Picked | None = None

    def picked(self) -> Picked:
        """The elements of ``named`` that the passes deciding by names look at: for
        ``prune_widgets`` those named a widget or an image block (with their (widget, content,
        image) kinds), for ``prune_hidden`` those with a role, a style or a class that may name a
        hover card (with the role, the style and the class's hover answers), for
        ``prune_calls_to_action`` those named a call to action. Picked once, in one walk over
        ``named`` with one cached lookup for each class and id value (``_name_facts``), not
        three walks with up to five lookups."""
        if self._picked is None:
            self._picked = _pick(self.named)
        return self._picked

    def text(self, el: etree._Element) -> int:
        return self.data.get(el, (0,))[0]

    def links(self, el: etree._Element) -> int:
        return self.data.get(el, (0, 0))[1]

    def n_links(self, el: etree._Element) -> int:
        return self.data.get(el, (0, 0, 0))[2]

    def body_like(self, el: etree._Element) -> bool:
        """Holds article prose: an h1, or two long paragraphs that are not links."""
        m = self.data.get(el)
        return bool(m) and (m[4] == 1 or m[3] >= 2)

    def prose_heavy(self, el: etree._Element, min_chars: int = 1500) -> bool:
        """Much text that is not links: a widget name on it is more likely a wrapper's misnomer."""
        n = self.text(el)
        return n >= min_chars and self.links(el) < 0.3 * n


def link_text_len(el: etree._Element) -> int:
    """Characters of text inside the links of an element."""
    return sum(len(text_of(a).strip()) for a in el.iter("a"))


def drop_keeping_tail(el: etree._Element, *, blank_tail: bool = False) -> bool:
    """Remove an element, keeping its tail text; whether it was removed (a root, with no parent,
    stays). Its text is not measured here: the template learner's pruning knows it already, the
    DOM pruning measures it (:func:`_drop_counted`).

    A tail of whitespace alone is kept only with ``blank_tail`` (the template learner's pruning,
    as lxml's ``drop_tree``). The DOM pruning drops it, which can join the words on either side;
    keeping it there moved two wcxb-dev pages, one by -.07 F1 (docs/quality.md, tried and dropped)."""
    parent = el.getparent()
    if parent is None:
        return False
    if el.tail and (blank_tail or el.tail.strip()):
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)
    return True


def _drop_counted(el: etree._Element) -> int:
    """:func:`drop_keeping_tail` for the DOM pruning, which counts what it removes: the text
    length of ``el`` (0 for a root, which stays)."""
    return text_len(el) if drop_keeping_tail(el) else 0


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


def drop_site_rules(tree: etree._Element, selectors: tuple[str, ...], xpaths: tuple[str, ...]) -> int:
    """Remove what the site's rules name (CSS selectors and XPaths)."""
    removed = 0
    for sel in selectors:
        try:
            found = CSSSelector(sel)(tree)
        except Exception:  # noqa: BLE001 — a bad selector in a site file must not fail the page
            continue
        for el in found:
            if el.tag not in ("html", "body"):
                removed += _drop_counted(el)
    for xp in xpaths:
        try:
            found = tree.xpath(xp)
        except etree.XPathError:
            continue
        for el in found:
            if isinstance(el, etree._Element) and el.tag not in ("html", "body"):
                removed += _drop_counted(el)
    return removed


_BEM_MODIFIER = re.compile(r"--[\w-]+")


@functools.lru_cache(maxsize=NAME_CACHE)
def _name_kinds(name: str) -> tuple[bool, bool, bool]:
    """Whether one class or id value names a widget, the article body, an image block. Cached:
    pages repeat their class lists hundreds of times, and these searches were most of the
    widget pass's CPU. (No token spans the space between class and id, so each value is
    looked at on its own.)"""
    # BEM modifiers ("Section--Ads": a section that carries ads) do not say what the block is.
    name = _BEM_MODIFIER.sub("", name)
    low = fold_case(name)   # most names hold no word of a kind: a substring search says so
    return (_WIDGET_LEADS.search(low) is not None and _WIDGET_FOLDED.search(low) is not None,
            _CONTENT_LEADS.search(low) is not None and _CONTENT_FOLDED.search(low) is not None,
            _IMAGE_LEADS.search(low) is not None and _IMAGE_FOLDED.search(low) is not None)


def _classid_kinds(el: etree._Element) -> tuple[bool, bool, bool] | None:
    """(widget, content, image) for an element's class and id; None when it has neither."""
    return _kinds_of(el.get("class"), el.get("id"))


def _kinds_of(cls: str | None, eid: str | None) -> tuple[bool, bool, bool] | None:
    if not cls:
        return _name_kinds(eid) if eid else None
    if not eid:
        return _name_kinds(cls)
    a, b = _name_kinds(cls), _name_kinds(eid)
    return a[0] or b[0], a[1] or b[1], a[2] or b[2]


@functools.lru_cache(maxsize=NAME_CACHE)
def _name_facts(name: str) -> tuple[bool, bool, bool, bool, bool, bool, bool]:
    """Every answer the passes deciding by names need of one class or id value: its kinds
    (``_name_kinds``: widget, content, image), its hover answers (``_hover_class``: candidate,
    hover card; read for a class only), whether it names a call to action (``_cta_name``) and
    whether, as a class, the page's CSS framework hides it (``_hidden_class``).
    A name holding none of their words' leads (``_ANY_NAME_LEAD``: two names in three on
    wcxb-dev) is answered by one search."""
    low = fold_case(name)
    if _ANY_NAME_LEAD.search(low) is None:
        return _NO_FACTS
    return (*_name_kinds(name), *_hover_class(name, low), _cta_name(name), _hidden_class(name))


_NO_FACTS = (False, False, False, False, False, False, False)


def _pick(named: list[Named]) -> Picked:
    """See :meth:`Measures.picked`: each name answered as ``prune_widgets`` (``_kinds_of``),
    ``prune_hidden`` and ``prune_calls_to_action`` answered it."""
    widgets: list[tuple[etree._Element, tuple[bool, bool, bool]]] = []
    hidden: list[tuple[etree._Element, str | None, str | None, tuple[bool, bool, bool]]] = []
    ctas: list[etree._Element] = []
    for el, cls, eid, role, style in named:
        c = _name_facts(cls) if cls else _NO_FACTS
        i = _name_facts(eid) if eid else _NO_FACTS
        widget, image = c[0] or i[0], c[2] or i[2]
        if widget or image:
            widgets.append((el, (widget, c[1] or i[1], image)))
        if role or style or c[3] or c[6]:
            hidden.append((el, role, style, (c[3], c[4], c[6])))
        if c[5] or i[5]:
            ctas.append(el)
    return Picked(widgets, hidden, ctas)


#: Code listings: a syntax highlighter names its spans by token kind ("hljs-comment", "token
#: comment"), which reads as a widget name; the listing is article text.
_CODE_TAGS = frozenset({"pre", "code"})


def _in_code(el: etree._Element) -> bool:
    return el.tag in _CODE_TAGS or any(a.tag in _CODE_TAGS for a in el.iterancestors())


def prune_widgets(tree: etree._Element, m: Measures | None = None) -> int:
    """Remove containers whose class/id names a widget (share, newsletter, related, ads, ...)."""
    victims = []
    m = m or Measures(tree)
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


#: Text the page does not show until a pointer asks: an ARIA tooltip, inline
#: ``visibility:hidden``, and hover cards / pop-overs by their class (an
#: author's card glued to the linked name: "Jane DoeJane DoeHeadline of another story"; a glossary
#: definition after each linked term). trafilatura drops ``aria-hidden`` and ``display:none`` itself.
#: Not the ``hidden`` attribute: pages hold the rest of the article in it for a "read more" button
#: (on wcxb-dev's check half it cost must-have snippets).
#: Candidates are picked by plain substring tests (``_hover_class``: these substrings, case
#: as written); ``_HOVER_CLASS`` then decides on the few found.
_HOVER_SUBSTRINGS = ("ooltip", "ool-tip", "over", "Over")
_HOVER_CANDIDATE = re.compile("|".join(_HOVER_SUBSTRINGS))
HOVER_WORDS = ("tool-?tip", "hover-?card", "pop-?over")
_HOVER_CLASS = re.compile(r"(?:^|[\s_-])(?:" + "|".join(HOVER_WORDS) + r")s?(?:$|[\s_-])", re.I)
_INVISIBLE_STYLE = re.compile(r"visibility\s*:\s*hidden", re.I)
#: A tooltip with more prose than this is a block named loosely, not a pop-over.
HIDDEN_MAX_CHARS = 600


#: The last run of letters of each hover word and substring, lower case: a class whose
#: ``fold_case`` holds none of them is neither a candidate nor a hover card.
_HOVER_ENDS = tuple(sorted(_kept({re.findall("[a-z]+", w.lower())[-1] for w in HOVER_WORDS + _HOVER_SUBSTRINGS})))
_HOVER_FOLDED = _folded(_HOVER_CLASS)


def _hover_class(cls: str, low: str | None = None) -> tuple[bool, bool]:
    """(a candidate by its substrings, a hover card or tooltip by ``_HOVER_CLASS``) for a class;
    ``low``: its ``fold_case`` if known. Most names hold no ``_HOVER_ENDS`` (three searches in C
    spare the two regexes: ~0.2 ms a page on fundus-dev, ~240 names a page new to the cache)."""
    low = fold_case(cls) if low is None else low
    for end in _HOVER_ENDS:
        if end in low:
            return _HOVER_CANDIDATE.search(cls) is not None, _HOVER_FOLDED.search(low) is not None
    return False, False


def _hidden(role: str | None, style: str | None, hover: tuple[bool, bool, bool]) -> bool:
    """A tooltip, hover card or ``visibility:hidden`` element (see ``_HOVER_SUBSTRINGS``; ``hover``:
    ``_hover_class`` of its class), or one its class hides (``_hidden_class``: of any size)."""
    if role == "tooltip" or hover[2]:
        return True
    if not (style and "visibility" in style or hover[0]):
        return False   # not a candidate, whatever the class says
    return bool(style and _INVISIBLE_STYLE.search(style)) or hover[1]


#: Text the page's own markup hides by a class, not by a style (trafilatura drops inline
#: ``display:none`` and ``aria-hidden``, not these): Webflow's conditional visibility (a CMS field
#: left empty hides a second layout's parts: a fallback summary, a disclaimer, a form, a byline),
#: set by the server and never shown, and the labels written for screen readers only ("(opens in
#: a new tab)", "Share on Facebook", "Skip to content", a "#" anchor's name), which glue to the line
#: they sit in. Class tokens, whole. Left out (docs/quality.md): the toggles a script shows
#: (``hidden``, ``hide``, ``is-hidden``: a gallery's items, the truth's text), Bootstrap's
#: ``d-none`` (no page of the four sets changed) and Drupal's ``element-invisible`` (a must-have
#: snippet lost).
HIDING_CLASSES = frozenset({
    "w-condition-invisible",
    "sr-only", "screen-reader-text", "screen-reader-only", "visually-hidden", "visuallyhidden",
    "u-visually-hidden", "show-for-sr",
})
#: A cell is not dropped for its class: a hidden column taken out shifts its row (a data table's
#: sort keys under ``hidden``, which wcxb-dev's truth keeps).
_CELL_TAGS = frozenset({"td", "th"})


def _hidden_class(cls: str) -> bool:
    """Whether a class list holds a token the page's markup hides the element by (``HIDING_CLASSES``)."""
    return not HIDING_CLASSES.isdisjoint(cls.split())


def attached(el: etree._Element, root: etree._Element) -> bool:
    """Whether ``el`` is still in ``root``'s tree (not inside a block a pass removed)."""
    top = el
    for top in el.iterancestors():
        pass
    return top is root


def prune_hidden(tree: etree._Element, m: Measures) -> int:
    """Remove small hidden elements, tooltips and hover cards (see ``_HOVER_SUBSTRINGS``): text
    the reader does not see in the article."""
    victims = [el for el, role, style, hover in m.picked().hidden
               if _hidden(role, style, hover) and el.tag not in PROTECTED_TAGS
               and not (hover[2] and el.tag in _CELL_TAGS)
               and (hover[2] or m.text(el) <= HIDDEN_MAX_CHARS) and not m.body_like(el) and attached(el, tree)]
    return drop_topmost(victims)


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


#: class/id tokens of a call to action ("Request a demo", "Get a free quote", a course pitch, a
#: donation appeal) and of "Pin it" prompts.
CTA_TOKENS = re.compile(r"(?:^|[\s_-])(?:cta|pin-?it)(?:$|[\s_-])", re.I)
#: A call to action is a few lines; a bigger block so named may frame the article's own text
#: (on an image story, dropping a 400-character appeal left trafilatura too little to pick the body).
CTA_MAX_CHARS = 300
#: Headings, and links or buttons alone: a button's label is link text that the extractor weighs as
#: such; taking it out changed which container the extractor chose (a carousel's "Discover more").
_NOT_CTA_BLOCKS = HEADINGS | {"a", "button", "span"}
#: Candidates for ``CTA_TOKENS``: a class or id holding "cta" or "pin" once its ASCII letters are
#: lowercased, before the regex decides. (``str.lower`` lowercases others too, but no other letter
#: becomes one of these: only U+0130 becomes an "i", with a combining dot after it.)


def _cta_name(name: str) -> bool:
    """Whether one class or id value names a call to action (see ``CTA_TOKENS``)."""
    low = fold_case(name)
    return ("cta" in low or "pin" in low) and CTA_TOKENS.search(name) is not None


#: The leads of every word ``_name_facts`` looks for, as one regex over a name's ``fold_case``: the
#: kinds' words (their letters are lower case, so a kind's regex on the name without its BEM
#: modifiers finds a lead here too: the modifier is cut up to a character that is no letter), the
#: hover words (``_HOVER_CLASS``, re.I: ``fold_case`` folds what it matches), the candidates'
#: substrings lower-cased, the call to action's ("cta", "pin": ``_cta_name``'s test) and the longest
#: run of letters of each hiding class (``_hidden_class``: a class holding the token holds it).
_ANY_NAME_LEAD = re.compile(_trie(_lead_words(WIDGET_WORDS + IMAGE_WORDS + CONTENT_WORDS + HOVER_WORDS)
                                  | {s.lower() for s in _HOVER_SUBSTRINGS} | {"cta", "pin"}
                                  | {max(re.findall("[a-z]+", t), key=len) for t in HIDING_CLASSES}))


def prune_calls_to_action(tree: etree._Element, m: Measures) -> int:
    """Remove small blocks named a call to action or a "Pin it" prompt (see ``CTA_TOKENS``), and
    small boxes around a link to a donation page or a button to a sign-up page (``_cta_boxes``)."""
    named = [el for el in m.picked().ctas if el.tag not in PROTECTED_TAGS and attached(el, tree)]
    chosen = set(named)
    # the outermost block so named decides: a big one is kept whole, with its small named parts
    outer = [el for el in named if not any(a in chosen for a in el.iterancestors())]
    boxes = _cta_boxes(tree, m, m.donation_links)
    boxes += [el for el in _cta_boxes(tree, m, _signup_buttons(m))
              if m.n_links(el) <= PITCH_LINKS and _pitches(el)]
    outer += [el for el in boxes if not any(a in chosen for a in el.iterancestors())]
    return drop_topmost([el for el in outer if el.tag not in _NOT_CTA_BLOCKS
                          and m.text(el) <= CTA_MAX_CHARS and not m.body_like(el) and _among_content(el, m)])


#: Words of a donation page's address ("/donate/", "/donations"): a small box around a link to one,
#: with text besides the link, is an appeal for money, however the theme names it. ("spende" took
#: a German page's note on who paid the reporters' trip, linked to a charity's donation page.)
DONATION_HREF_WORDS = ("donat",)
#: Where the walk up from a donation link stops: a paragraph, an item or a cell holding it is
#: the article's sentence that names the fund, not a box around a button.
_DONATION_STOP_TAGS = frozenset({"p", "li", "td", "th", "blockquote"})


#: Words of a sign-up, sales or contact page's address: a small box around a button to one, with
#: text besides it, is a call to action inside the body ("Centralize your training! [Book a demo]"),
#: however the theme names it. Only a button: a link in the article's sentence is the article's.
SIGNUP_HREF_WORDS = frozenset({"subscri", "newsletter", "signup", "sign-up", "sign_up", "register", "registration",
                               "join", "member", "contact", "quote", "demo", "trial", "pricing", "checkout"})
#: Of these, the words a sign-up address holds whole ("free-trial", "book-a-demo", "join"), not
#: opening a longer one ("democratic-party", "demograficzne", "joint", "quoten"); the others open
#: a word of the address ("membership", "newsletteranmeldung", "contactus"), none ends one
#: ("remember", "industrial", "sozialdemokratie").
SIGNUP_HREF_WHOLE = frozenset({"demo", "trial", "join", "quote"})
#: The words matched as words of the path or query (their letters between non-letters), and
#: "opt-in" as a word of its own ("adopting" holds "optin").
SIGNUP_HREF = re.compile(rf"(?<![a-z])(?:{_trie(set(SIGNUP_HREF_WORDS - SIGNUP_HREF_WHOLE))}"
                         rf"|(?:{'|'.join(sorted(SIGNUP_HREF_WHOLE))})(?![a-z])|opt-?_?in(?![a-z]))", re.I)
#: A small letter and a capital: where a word of an address opens ("onsiteSignupLandingPage").
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def names_signup(part: str) -> bool:
    """Whether an address's path or query holds a word of a sign-up page (``SIGNUP_HREF``): its
    escapes decoded ("?next=%2Fmembership"), and a capital after a small letter opening a word
    ("onsiteSignupLandingPage") where the words are not found across it ("signUp", "NewsLetter")."""
    if "%" in part:
        part = unquote(part)
    return SIGNUP_HREF.search(part) is not None or SIGNUP_HREF.search(_CAMEL.sub(" ", part)) is not None


#: The walk's test of every link of the page, lowercased, from the same words (two lists drifted:
#: "register" was missing from this one): a tree of their letters, as ``_trie`` (the flat regex took
#: 8 us a link, 4% of ``clean_html`` on wcxb-dev's 160 links a page); ``SIGNUP_HREF`` then decides.
_SIGNUP_LEAD = re.compile(_trie({*SIGNUP_HREF_WORDS, "opt-in", "optin", "opt_in"}))
#: A link styled as a button (its class or one of its two parents').
_BUTTON_CLASS = re.compile(r"button|btn", re.I)
#: A link of at most this many words that stands as a block of its own (no paragraph, item,
#: cell, heading or inline element around it) is a button, however it is styled.
BUTTON_WORDS = 5
_NOT_BUTTON_ANCESTORS = frozenset({"p", "li", "td", "th", "dd", "dt", "blockquote", "span", "strong", "b", "em", "i",
                                   *HEADINGS})


def _signup_buttons(m: Measures) -> list[etree._Element]:
    """The links to a sign-up page (``SIGNUP_HREF`` in the address's path or query: a brand's host
    "joinyesand.com" is no sign-up page) that are buttons: styled so, or a few words standing as a
    block of their own (``BUTTON_WORDS``)."""
    out = []
    for a in m.signup_links:
        try:
            parts = urlsplit(a.get("href") or "")
        except ValueError:
            continue
        if not names_signup(parts.path) and not names_signup(parts.query):
            continue
        parent = a.getparent()
        grandparent = parent.getparent() if parent is not None else None
        if (any(x is not None and _BUTTON_CLASS.search(x.get("class") or "") for x in (a, parent, grandparent))
                or (len(text_of(a).split()) <= BUTTON_WORDS
                    and not any(x.tag in _NOT_BUTTON_ANCESTORS for x in a.iterancestors()))):
            out.append(a)
    return out


#: A pitch's paragraph has at least this many words outside links.
PITCH_WORDS = 5
#: A pitch's box holds a button or two and maybe a link in its text; a block of more links is a
#: menu or a footer's column (their removal before extraction moved what the extractor kept).
PITCH_LINKS = 3


def _pitches(box: etree._Element) -> bool:
    """Whether a box around a sign-up button pitches: a heading, or a paragraph of ``PITCH_WORDS``
    or more outside links (a header's bar of date, byline and "Start free trial" is no pitch, and
    taking it out of the page changed which part of the article the extractor kept)."""
    for el in box.iter("p", *SUBHEADINGS):
        if el.tag != "p":
            return True
        linked = sum(len(text_of(a).split()) for a in el.iter("a"))
        if len(text_of(el).split()) - linked >= PITCH_WORDS:
            return True
    return False


def _cta_boxes(tree: etree._Element, m: Measures, links: list[etree._Element]) -> list[etree._Element]:
    """The largest block around a link of ``links`` (to a donation page; a sign-up page's buttons,
    ``_signup_buttons``) that holds text besides the link and
    no more than a call to action's (a heading, a line of appeal and a "Donate" button); none
    where the link sits in a paragraph, an item or a cell, or in a div written as one (text of its
    own around its children: a site that writes its paragraphs as bare divs, whose sentence links
    a story at ".../donated-lifeboat/")."""
    out = []
    for a in links:
        if not attached(a, tree):   # inside a block an earlier pass removed
            continue
        box = None
        for anc in a.iterancestors():
            if (anc.tag in _SECTION_TAGS or anc.tag in _DONATION_STOP_TAGS or m.text(anc) > CTA_MAX_CHARS
                    or m.body_like(anc) or anc.tag == "div" and _own_text(anc)):
                break
            if m.text(anc) > m.links(anc):
                box = anc
        if box is not None and box not in out:   # two links in one box: the box once
            out.append(box)
    return out


def _own_text(el: etree._Element) -> bool:
    """Whether ``el`` holds words of its own, beside its children's (its text or a child's tail)."""
    return any(t and not t.isspace() for t in (el.text, *(child.tail for child in el)))


#: Text that a call to action's section must keep without it. Below this, the appeal is most of
#: its section (an image story: a line of text, the appeal, maps), and without it the extractor's
#: text was less than half of readability's, which then took a bio or a sidebar for the article.
CTA_CONTEXT_MIN_CHARS = 250
_SECTION_TAGS = frozenset({"section", "article", "main", "body"})


def _among_content(el: etree._Element, m: Measures) -> bool:
    """Whether ``el``'s section (the nearest section, article or main element, or a block named or
    shaped like the article body) holds other text of some length, links not counted (an image
    story's "download the graphic" links are no text the extractor keeps)."""
    unlinked = m.text(el) - m.links(el)
    for a in el.iterancestors():
        if a.tag in _SECTION_TAGS or m.body_like(a) or (_classid_kinds(a) or (False, False))[1]:
            return m.text(a) - m.links(a) - unlinked >= CTA_CONTEXT_MIN_CHARS
    return False


def drop_topmost(victims: list[etree._Element]) -> int:
    """Remove the outermost of ``victims`` (an element inside another goes with it); return the
    characters removed."""
    chosen = set(victims)
    removed = 0
    for el in victims:
        if any(a in chosen for a in el.iterancestors()):
            continue
        removed += _drop_counted(el)
    return removed


#: Links to the log-in page and to the register or subscribe page: a small block with both is a
#: paywall gate or a login box ("log in to read on" beside "register for free"), never article
#: text. One kind alone is not enough: a post may end in a call to subscribe, a help page may
#: explain how to register. Each kind is known by its address (a path or host part) or by its
#: label; the words are data, one entry per language (add a language here, not a rule).
LOGIN_WORDS = {
    "en": ("log-?in", "sign-?in"), "de": ("anmelden", "einloggen"), "fr": ("connexion", "se-connecter"),
    "es": ("iniciar-sesion", "ingres(?:ar|a)", "acceder"), "it": ("accedi",), "nl": ("inloggen",),
    "pt": ("entrar",), "pl": ("zaloguj", "logowanie"),
}
SIGNUP_WORDS = {
    "en": ("sign-?up", "regist(?:er|ration)?", "subscri(?:be|ption)s?", "paywall"),
    "de": ("registrieren", "abonnement", "abonnieren", "abo"), "fr": ("inscription", "s-abonner"),
    "es": ("suscri(?:be|bete|bite|birme|pcion|pciones)", "registro", "registrate"),
    "it": ("registrati", "abbonati", "abbonamento"), "nl": ("registreren", "abonneren"),
    "pt": ("assine", "assinatura", "cadastro"), "pl": ("rejestracja", "prenumerata"),
}
#: Labels of such links and buttons (the whole label is short); scripts without word spaces
#: (Japanese, Chinese, Korean) have their words matched anywhere in it.
LOGIN_LABELS = {
    "en": r"log\s?in|sign\s?in", "de": r"anmelden|einloggen", "fr": r"connexion|se\s+connecter|connectez-vous",
    "es": r"iniciar\s+sesi[oó]n|ingres[aá]r?|acceder", "it": r"accedi", "nl": r"inloggen", "pt": r"entrar",
    "pl": r"zaloguj(?:\s+si[eę])?", "ru": r"войти",
}
SIGNUP_LABELS = {
    "en": r"register|sign\s?up|subscribe", "de": r"registrieren|abonnieren|abo\s+abschließen",
    "fr": r"créer\s+un\s+compte|s'abonner|abonnez-vous|inscri(?:s|vez)-vous",
    "es": r"suscr[ií]b(?:ete|ite|irme)|reg[ií]strate", "it": r"iscriviti|abbonati|registrati",
    "nl": r"registreren|abonneren", "pt": r"assine|cadastre-se", "pl": r"zarejestruj(?:\s+si[eę])?|prenumeruj",
    "ru": r"подписаться|зарегистрироваться",
}
LOGIN_CJK, SIGNUP_CJK = r"ログイン|로그인|登录|登入", r"会員登録|登録|購読|회원가입|구독|注册|订阅"
#: The words the address and label patterns above require, by language: every match of a pattern
#: (lower-cased) holds a word of its language's row ("log" of ``log-?in`` and ``log\s?in``). The
#: exact test before the regexes (:func:`_may_match`): an ASCII text holding none of a kind's words
#: is none of its controls. A language whose words no ASCII text matches (Cyrillic; the CJK labels)
#: has none. A pattern is added with its words: tests/cleaners/test_cleaners_speed.py checks, with
#: Python's own regex parser, that each alternative of a row's patterns requires one of its words
#: and each word is required by one.
LOGIN_REQUIRED = {
    "en": "log sign", "de": "anmelden einloggen", "fr": "connexion connecter connectez",
    "es": "iniciar ingres acceder", "it": "accedi", "nl": "inloggen", "pt": "entrar", "pl": "zaloguj logowanie",
    "ru": "",
}
SIGNUP_REQUIRED = {
    "en": "sign regist subscri paywall", "de": "registrieren abo", "fr": "inscri abonne compte",
    "es": "suscr regist strate", "it": "registrati abbonati abbonamento iscriviti", "nl": "registreren abonneren",
    "pt": "assine assinatura cadastro cadastre", "pl": "rejestracja zarejestruj prenumerata prenumeruj", "ru": "",
}


def _address_words(words: dict[str, tuple[str, ...]]) -> re.Pattern[str]:
    return re.compile(r"(?:^|[/?#=._-])(?:" + "|".join(w for ws in words.values() for w in ws) + r")(?:$|[/?#=.])", re.I)


def _label_words(labels: dict[str, str], cjk: str) -> re.Pattern[str]:
    return re.compile(r"(?:^|\W)(?:" + "|".join(labels.values()) + r")(?:$|\W)|" + cjk, re.I)


def _ascii_words(required: dict[str, str]) -> re.Pattern[str]:
    """A regex finding, in a lower-cased ASCII text, a word of ``required`` (``LOGIN_REQUIRED``'s
    layout): an ASCII text whose ``lower()`` holds none matches none of its kind's regexes."""
    return re.compile(_trie({w for words in required.values() for w in words.split()}))


class _AccountKind(NamedTuple):
    """How a control to an account page of one kind is known: its address, its label, and the
    cheap exact test before either regex (``words``: the words they require, :func:`_ascii_words`)."""

    address: re.Pattern[str]
    label: re.Pattern[str]
    words: re.Pattern[str]


def _account_kind(words: dict[str, tuple[str, ...]], labels: dict[str, str], cjk: str,
                  required: dict[str, str]) -> _AccountKind:
    return _AccountKind(_address_words(words), _label_words(labels, cjk), _ascii_words(required))


LOGIN = _account_kind(LOGIN_WORDS, LOGIN_LABELS, LOGIN_CJK, LOGIN_REQUIRED)
SIGNUP = _account_kind(SIGNUP_WORDS, SIGNUP_LABELS, SIGNUP_CJK, SIGNUP_REQUIRED)
#: A button's label is short; longer link text is a sentence that may just mention signing in.
LABEL_MAX_CHARS = 40
#: Above this many characters a block holds more than a gate's pitch.
GATE_MAX_CHARS = 600
_GATE_BLOCKS = ("div", "section", "aside", "form", "fieldset", "dialog")


def _may_match(text: str, kind: _AccountKind) -> bool:
    """False where neither of ``kind``'s regexes can match ``text``: an ASCII text holding none of
    the words they require (most addresses and labels: each regex search cost ~1.6 us, tried at
    every position of the text, ~0.35 ms a page on wcxb-dev's 147 controls a page)."""
    return not text.isascii() or kind.words.search(text.lower()) is not None


def _account_control(el: etree._Element, kind: _AccountKind, m: Measures | None = None) -> bool:
    """A link, button or submit input to an account page of one kind, by its address or its label."""
    href = el.get("href")
    if href and _may_match(href, kind) and kind.address.search(href):
        return True
    text = el.get("value") if el.tag == "input" else short_text(el, LABEL_MAX_CHARS, m)
    return bool(text) and _may_match(text, kind) and bool(kind.label.search(text))


def _controls(root: etree._Element) -> Iterator[etree._Element]:
    return root.iter("a", "button", "input")


def prune_account_gates(tree: etree._Element, m: Measures) -> int:
    """Remove small blocks holding both a log-in control and a register or subscribe control
    ("log in to read on" beside "register for free"), or a password field (a log-in or sign-up
    form, in whatever language its labels are): paywall gates and login boxes inside the article
    column, under class names no widget rule knows."""
    # Only the blocks around a log-in control can be gates: most pages have none, and a walk over
    # every block cost as much as a third of the measuring pass.
    candidates: dict[etree._Element, bool] = {}
    for c in _controls(tree):
        password = c.tag == "input" and (c.get("type") or "").lower() == "password"
        if password or _account_control(c, LOGIN, m):
            for el in c.iterancestors(*_GATE_BLOCKS):
                candidates[el] = candidates.get(el, False) or password
    victims = []
    for el, password in candidates.items():
        n = m.text(el)
        if n > GATE_MAX_CHARS or m.body_like(el) or n == 0 and not password:
            continue
        if password or any(_account_control(c, SIGNUP, m) for c in _controls(el)):
            victims.append(el)
    return drop_topmost(victims)


#: An element measured with at most this much text is read whole, in C (``text_of``), by
#: ``short_text``: its text is short (the passes before only removed text), reading it costs less
#: than walking its pieces in Python.
SHORT_READ_CHARS = 2000


def short_text(el: etree._Element, limit: int, m: Measures | None = None) -> str | None:
    """``"".join(el.itertext()).strip()`` when that is at most ``limit`` characters, else None,
    read only as far as needed: a heading left open holds the rest of the page, and reading it
    whole for each such heading was quadratic in the page. Where ``m`` measured ``el`` with
    little text, it is read whole (the same string, ``text_of``)."""
    if not len(el):   # a leaf (most links and labels): its text alone, read in C
        t = (el.text or "").strip()
        return t if len(t) <= limit else None
    if m is not None and (measured := m.data.get(el)) is not None and measured[0] <= SHORT_READ_CHARS:
        t = text_of(el).strip()
        return t if len(t) <= limit else None
    parts: list[str] = []
    n = pending = 0   # characters of the stripped text so far; whitespace after them
    for t in el.itertext():
        parts.append(t)
        core = t.strip()
        if not core:
            pending += len(t)
            continue
        # whitespace before the first text is stripped; between texts it counts
        n = n + pending + len(t.rstrip()) if n else len(core)
        pending = len(t) - len(t.rstrip())
        if n > limit:
            return None
    return "".join(parts).strip()


#: A boilerplate title ("Related", "Must Read") is short.
_BOILERPLATE_TITLE_CHARS = 80


#: Elements that are a block's title when their class says so (``_TITLE_CLASS``).
_TITLE_TAGS = ("div", "span", "p", "strong", "b")


@functools.lru_cache(maxsize=NAME_CACHE)
def _title_class(cls: str) -> bool:
    return _TITLE_FOLDED.search(fold_case(cls)) is not None


def _heading_candidates(tree: etree._Element, m: Measures | None = None) -> list[etree._Element]:
    out = []
    for el in tree.iter(*HEADINGS, *_TITLE_TAGS):
        if el.tag in HEADINGS or (cls := el.get("class")) and _title_class(cls):
            txt = short_text(el, _BOILERPLATE_TITLE_CHARS, m)
            if txt and is_boilerplate_heading(txt) and el.tag != "h1":
                out.append(el)
    return out


def _teaser_like(el: etree._Element) -> bool:
    """Short headlines, excerpts and links rather than prose."""
    n = text_len(el)
    if n == 0:
        return True
    return not _is_body_like(el) and (link_text_len(el) >= 0.3 * n or n < 400 or el.find(".//a") is not None)


#: A paragraph's text ends like a sentence, a closing French quote too (« ... »). Not lines'
#: _SENTENCE_END, which reads single lines (there "»" ends link labels) nor linescore's (a model feature).
SENTENCE_END = re.compile(r"[.!?\"'”’»)]\s*$")


def _unlinked_sentence(el: etree._Element) -> bool:
    """A short paragraph of prose without links (an article's standfirst), not a teaser excerpt
    (those end in an ellipsis or sit beside their headline link)."""
    txt = text_of(el).strip()
    return len(txt) >= 60 and el.find(".//a") is None and bool(SENTENCE_END.search(txt)) \
        and not txt.endswith(("...", "…"))


def prune_titled_blocks(tree: etree._Element, m: Measures | None = None) -> int:
    """Remove blocks opened by a boilerplate title (Must Read, Related, Trending, Most Read, ...)
    and filled with teasers. Inside the article column, only the heading and the teaser siblings
    right after it go. ``m``, the page's measures, lets short texts be read whole (``short_text``)."""
    victims: list[etree._Element] = []
    # Each block and each sibling run is judged once, however many titles it holds: a page of a
    # thousand "Related" headings in one column measured that column a thousand times.
    teaser_block: dict[etree._Element, bool] = {}
    walked: set[etree._Element] = set()
    for h in _heading_candidates(tree, m):
        # Climb while the ancestor holds nothing but the heading.
        head = h
        own = text_len(h)
        while head.getparent() is not None and short_text(head.getparent(), own + 5, m) is not None \
                and head.getparent().tag not in PROTECTED_TAGS:
            head = head.getparent()
        block = head.getparent()
        if block is None:
            continue
        if block.tag not in PROTECTED_TAGS:
            if block not in teaser_block:
                teaser_block[block] = not _is_body_like(block) and _teaser_like(block)
            if teaser_block[block]:
                victims.append(block)
                continue
        # Heading inside the article column: drop it and the teaser siblings that follow.
        victims.append(head)
        sib = head.getnext()
        # a sibling already walked: the rest of the run is taken already
        while sib is not None and sib not in walked and isinstance(sib.tag, str) and sib.tag not in HEADINGS \
                and _teaser_like(sib) and (link_text_len(sib) > 0 or text_len(sib) < 200 and not _unlinked_sentence(sib)):
            victims.append(sib)
            walked.add(sib)
            sib = sib.getnext()
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
        if (m.n_links(el) >= min_links and links >= ratio * n or m.n_links(el) >= 2 and links >= 0.95 * n) \
                and not m.body_like(el) and not (listed and _announced(el)):
            victims.append(el)
    return victims


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


def merge_split_bodies(tree: etree._Element, m: Measures,
                       before_change: Callable[[etree._Element], None] | None = None) -> int:
    """Join an article body that the page splits over sibling containers of one class (between
    them: subheadings, ads, figures, embeds). Extractors pick one container and lose the rest;
    the run from the first container to the last (with what lies between, in order) is moved
    into the first. ``before_change`` is told each container given its twins, before the moves
    into it (most pages have none). Returns the containers merged."""
    merged = 0
    grown: set[etree._Element] = set()   # containers given the children of their twins here
    for parent in list(tree.iter("div", "section", "article", "main")):
        measured = m.data.get(parent)
        if measured is not None and measured[3] < 4 and parent not in grown:
            # two prose containers hold two long paragraphs each, and a parent measured with
            # fewer has no two (its children were measured in it, or removed since): most
            # parents are passed over without reading their children
            continue
        children = [c for c in parent if isinstance(c.tag, str)]
        prose = [_prose_container(c, m) for c in children]
        i = 0
        while i < len(children):
            child = children[i]
            if not prose[i]:
                i += 1
                continue
            key = (child.tag, (child.get("class") or "").strip())
            # the last same-class prose sibling reachable over short in-between blocks
            end = i
            for j in range(i + 1, len(children)):
                c = children[j]
                if prose[j] and (c.tag, (c.get("class") or "").strip()) == key:
                    end = j
                elif m.text(c) > 500 and c.tag not in HEADINGS:
                    break
            if end == i:
                i += 1
                continue
            if before_change is not None and child not in grown:
                before_change(child)
            grown.add(child)
            for j in range(i + 1, end + 1):
                c = children[j]
                if prose[j] and (c.tag, (c.get("class") or "").strip()) == key:
                    _append_text(child, c.text)
                    for grand in list(c):
                        child.append(grand)
                    _append_text(child, c.tail)
                    parent.remove(c)
                    merged += 1
                else:
                    child.append(c)  # keeps its tail
            i = end + 1
    return merged


def _prose_container(el: etree._Element, m: Measures) -> bool:
    data = m.data.get(el)
    return el.tag in ("div", "section") and bool((el.get("class") or "").strip()) and bool(data) \
        and data[3] >= 2 and data[1] < 0.3 * data[0]


def _append_text(el: etree._Element, text: str | None) -> None:
    if not text or not text.strip():
        return
    if len(el):
        el[-1].tail = (el[-1].tail or "") + text
    else:
        el.text = (el.text or "") + text


def adopt_stray_roots(root: etree._Element) -> int:
    """Move what libxml2 put beside the document root into its ``<body>``; return the elements
    moved. Markup after a stray ``</html>`` (a second page glued on by an include or an archive's
    toolbar) becomes further root-level ``<html>`` elements that a walk from the root never
    sees: the article could sit there. Their ``<head>`` holds no page text and is left out."""
    sib = root.getnext()
    if sib is None:
        return 0
    body = root.find("body")
    if body is None:
        body = etree.SubElement(root, "body")
    moved = 0
    while sib is not None:
        nxt = sib.getnext()
        if isinstance(sib.tag, str):
            for head in sib.findall("head"):
                sib.remove(head)
            for inner in sib.iter("html", "body"):
                inner.tag = "div"   # no second html or body inside the body
            body.append(sib)
            moved += 1
        sib = nxt
    return moved


#: Cells of a page's grid: a cell holding another table, or paragraphs (two blocks or line
#: breaks) of 200 characters or more; data-table cells rarely do. One XPath call, run in C.
_LAYOUT_CELLS = etree.XPath(
    "//td[.//table or count(.//p | .//div | .//br | .//ul | .//ol | .//blockquote | .//h2 | .//h3) >= 2"
    " and string-length(normalize-space(.)) >= 200]")


def unwrap_layout_tables(tree: etree._Element) -> int:
    """Turn tables used as the page's grid (a cell holds another table, or paragraphs of text)
    into plain containers; return the tables unwrapped. Extractors render a table as rows of
    cells: the article, its sidebar and the teaser list under it came out glued into one line,
    where no line rule or learned template could take them apart. Data tables stay tables."""
    layout: dict[etree._Element, None] = {}
    for cell in _LAYOUT_CELLS(tree):
        table = next(cell.iterancestors("table"), None)
        if table is not None:
            layout[table] = None
    for table in layout:
        parts = [table, *(p for p in table if p.tag in ("thead", "tbody", "tfoot"))]
        rows = [r for p in parts for r in p if r.tag == "tr"]
        cells = [c for r in rows for c in r if c.tag in ("td", "th")]
        for el in [*parts, *rows, *cells, *(c for c in table if c.tag == "caption")]:
            el.tag = "div"
        for cell in cells:
            _wrap_loose_text(cell)
    return len(layout)


#: Children that are blocks of their own: loose text beside them is a paragraph of its own.
_BLOCK_CHILDREN = frozenset({"p", "div", "table", "ul", "ol", "dl", "blockquote", "pre", "form", "center",
                             "hr", "section", "article", "aside", "header", "footer", "nav", "figure",
                             "h1", "h2", "h3", "h4", "h5", "h6"})


def _wrap_loose_text(el: etree._Element) -> None:
    """Wrap runs of text and inline elements that sit beside block children into paragraphs (a
    browser's anonymous blocks). A table cell's renderer took that text; a container's does not:
    a standfirst in a bare <b> above the cell's first <p> was lost."""
    children = list(el)
    if not any(c.tag in _BLOCK_CHILDREN for c in children):
        return
    run: etree._Element | None = None
    if el.text and el.text.strip():
        run = el.makeelement("p")
        run.text, el.text = el.text, None
        el.insert(0, run)
    for child in children:
        if child.tag in _BLOCK_CHILDREN:
            run = None
            if child.tail and child.tail.strip():
                run = el.makeelement("p")
                run.text, child.tail = child.tail, None
                child.addnext(run)
            continue
        if run is None:
            if not (isinstance(child.tag, str) and "".join(child.itertext()).strip()):
                continue
            run = el.makeelement("p")
            child.addprevious(run)
        run.append(child)   # its tail goes with it


def tree_size(tree: etree._Element) -> int:
    """Number of elements, counted in C (libxml2 already caps nesting depth at 256 when parsing
    HTML without the huge-tree option, so depth needs no check of its own)."""
    return int(tree.xpath("count(//*)"))


_NOT_LEAD_ANCESTORS = frozenset({"figure", "figcaption", "a", "head", "script", "style", "noscript", "title"})


def _caption_block(el: etree._Element, caption: str) -> bool:
    """A block named for an image that holds little else than ``caption`` (and a credit): the
    caption of its picture. A post wrapper named "has-post-thumbnail" holds more."""
    kinds = _classid_kinds(el)
    return kinds is not None and kinds[2] and text_len(el) <= len(caption) + 100


def _reads_as(el: etree._Element, want: str) -> bool:
    """Whether ``el``'s text, whitespace collapsed, is ``want`` (itself collapsed), read only as
    far as needed: past ``want``'s letters it cannot be. Nested blocks that each begin with the
    description (an unclosed <div>) were each read to the end of the page."""
    letters = len(want) - want.count(" ")
    parts: list[str] = []
    for t in el.itertext():
        letters -= sum(map(len, t.split()))
        if letters < 0:
            return False
        parts.append(t)
    return " ".join("".join(parts).split()) == want


def visible_lead(tree: etree._Element, description: str | None, min_chars: int = 40) -> str | None:
    """The page's meta description when the page also shows it as a block of its own (a
    standfirst), not inside a figure caption, an image block or a link; extractors often skip
    that block."""
    if not description:
        return None
    want = " ".join(description.split())
    if len(want) < min_chars:
        return None
    head = want[:20]
    # a word of the head is in the element's text as written (only runs of spaces collapse): a
    # search in C spares most elements the collapsing
    word = max(head.split(), key=len)
    for el in tree.iter("p", "div", "h2", "span", "strong", "section"):
        text = el.text
        if not text or word not in text or head not in " ".join(text.split()):
            continue
        if not _reads_as(el, want):
            continue
        if any(a.tag in _NOT_LEAD_ANCESTORS or _caption_block(a, want) for a in el.iterancestors()):
            continue  # a caption, also when the caption block is a div named for its image
        return want
    return None


#: Elements that hold one line of an article's text (a table row counts whole).
LINE_TAGS = frozenset({"p", "li", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "dt", "dd",
                       "figcaption", "div"})


_LINE_TAG_LIST = sorted(LINE_TAGS)


def line_blocks(tree: etree._Element) -> list[etree._Element]:
    """The elements of ``LINE_TAGS`` with none of them inside (a row with its cells), in document
    order, found in one walk over them alone (the walk skips the other elements in C: whether one
    of LINE_TAGS is inside an element only matters for the nearest one of LINE_TAGS around it)."""
    out: list[etree._Element] = []
    inner = [False]   # per open element: whether one of LINE_TAGS is inside it
    rows: list[int] = []   # where each open table row's blocks start in ``out``
    for event, el in etree.iterwalk(tree, events=("start", "end"), tag=_LINE_TAG_LIST):
        if event == "start":
            inner.append(False)
            if el.tag == "tr":
                rows.append(len(out))
            continue
        if el.tag == "tr":
            inner.pop()
            del out[rows.pop():]   # the row is the line, not its cells' paragraphs
            out.append(el)
        elif not inner.pop():
            out.append(el)
        inner[-1] = True
    return out
