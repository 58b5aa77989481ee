"""What an element's class or id says: a widget, the article body, an image block, a hover card,
a class that hides it, a call to action, a block's title. Their words are data (``WIDGET_WORDS``,
``HOVER_WORDS``, ``HIDING_CLASSES``, ...), turned into regexes that a name's ``fold_case`` is
searched with (``_trie``, ``_folded``: cheap tests first), and the answers for each name cached
(``_name_facts``: every answer the passes deciding by names need, in one lookup)."""

from __future__ import annotations

import functools
import re

import lxml.etree as etree

from newsclean.cleaners.vocabulary import fold_case

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
_TITLE_CLASS = re.compile(r"title|heading|header|label", re.I)
_TITLE_FOLDED = _folded(_TITLE_CLASS)
#: Entries of each cache of class/id answers: a page repeats its names, pages rarely share them.
#: Over fundus-dev's 205 pages 2,048 entries miss 5% more often than 8,192, for no CPU measurable, and the
#: caches hold under 0.7 MB instead of 5 MB in every cleaning worker.
NAME_CACHE = 2048


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


#: Text the page does not show until a pointer asks: an ARIA tooltip, and hover cards /
#: pop-overs by their class (an
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


def _hidden_class(cls: str) -> bool:
    """Whether a class list holds a token the page's markup hides the element by (``HIDING_CLASSES``)."""
    return not HIDING_CLASSES.isdisjoint(cls.split())


#: class/id tokens of a call to action ("Request a demo", "Get a free quote", a course pitch, a
#: donation appeal) and of "Pin it" prompts.
CTA_TOKENS = re.compile(r"(?:^|[\s_-])(?:cta|pin-?it)(?:$|[\s_-])", re.I)
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


@functools.lru_cache(maxsize=NAME_CACHE)
def _title_class(cls: str) -> bool:
    return _TITLE_FOLDED.search(fold_case(cls)) is not None
