"""trafilatura's byline XPaths (``trafilatura.metadata.AUTHOR_XPATHS``, ``AUTHOR_DISCARD_XPATHS``)
as Python tests of one element: the page's byline blocks (``_byline_candidates``) and their
texts as trafilatura reads them (``_byline_markups``), without copying and pruning the page."""

from __future__ import annotations

from copy import deepcopy
import re
from typing import Iterator

import lxml.etree as etree


# trafilatura's byline XPaths (trafilatura.metadata.AUTHOR_XPATHS, AUTHOR_DISCARD_XPATHS) as
# Python tests of one element. Their regular expressions run as Python callbacks on every element
# of the page (EXSLT), and trafilatura prunes a deep copy of the whole page first: together ~13% of
# the cleaner's CPU. Here a quick look at each element's attributes finds the few that could match
# (a superset), the tests below pick the exact ones, and only those are copied and pruned.
# tests/cleaners/metadata/test_cleaners_metadata.py checks them against trafilatura's XPaths.
_MAYBE_CLASS = re.compile("uthor|yline|byl|BBL|username|screenname|writer|channel-name|zuozhe|bian|submitted-by|"
                          "posted-by|journalist-name")
_MAYBE_ID = re.compile("uthor|zuozhe|bian")
_A1_TAGS = frozenset({"a", "address", "div", "link", "p", "span", "strong"})
_A1_CLASS = re.compile("author-?name|AuthorName|authorName")
_A2_TAGS = frozenset({"a", "div", "h3", "h4", "p", "span"})
_A2_ID = re.compile("author|zuozhe|bianji|xiaobian")
_A2_CLASS = re.compile("author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name")
_A3_ID = re.compile("[Aa]uthor")
_A3_CLASS = re.compile("[Aa]uthor|screenname|writer|[Bb]yline")
_DISCARD_TAGS = frozenset({"a", "div", "section", "span"})
_DISCARD_ID = re.compile("^comments|comment-?list|ProductReviews")
_DISCARD_CLASS = re.compile("^[Cc]omments|commentlist|comments-list|sidebar|is-hidden|quote|embedly-instagram|"
                            "article-(?:share|support)|print|category|meta-date|meta-reviewer")


def _author_xpaths_hit(el: etree._Element) -> tuple[bool, bool, bool]:
    """Whether ``el`` is a result of each of trafilatura's three AUTHOR_XPATHS."""
    tag, cls, id_, prop = el.tag, el.get("class"), el.get("id"), el.get("itemprop")
    first = tag == "author" or tag in _A1_TAGS and (
        el.get("rel") == "author" or id_ == "author" or cls == "author" or prop == "author name"
        or el.get("data-testid") in ("AuthorCard", "AuthorURL") or cls is not None and bool(_A1_CLASS.search(cls))
        # rel='me': a child element <rel> whose text (on the pruned page) is "me"
        or any(c.tag == "rel" and "".join(_pruned_copy(c).itertext()) == "me" for c in el))
    second = tag in _A2_TAGS and (
        cls in ("byline", "username", "byl", "BBL") or prop is not None and "author" in prop
        or id_ is not None and bool(_A2_ID.search(id_)) or cls is not None and bool(_A2_CLASS.search(cls)))
    third = ("Byline" in (el.get("data-component") or "") or prop is not None and "author" in prop
             or id_ is not None and bool(_A3_ID.search(id_)) or cls is not None and bool(_A3_CLASS.search(cls)))
    return first, second, third


def _byline_candidates(tree: etree._Element) -> list[etree._Element]:
    """Elements of ``tree`` (in document order, ``tree`` included, as in trafilatura's copy of it)
    that could be results of the AUTHOR_XPATHS: all of those, and few others."""
    # <author> elements and the parents of <rel> (rel='me' tests a child <rel>) by their tags
    special = {r.getparent() for r in tree.iter("rel")}.union(tree.iter("author"))
    out = []
    for el in tree.iter():
        # an element's attribute names, one call: a value is read only where its name is there
        # (six reads of each element were 0.9 of the walk's 1.3 ms a tree, most of them of
        # attributes it does not have)
        names = el.keys()
        if names and ("class" in names and _MAYBE_CLASS.search(el.get("class"))
                      or "id" in names and _MAYBE_ID.search(el.get("id"))
                      or not _RARE_NAMES.isdisjoint(names) and _rare_hit(el)) or el in special:
            out.append(el)
    return out


#: The attributes other than class and id that ``_byline_candidates`` reads.
_RARE_NAMES = frozenset({"data-component", "itemprop", "rel", "data-testid"})


def _rare_hit(el: etree._Element) -> bool:
    get = el.get
    return ("Byline" in (get("data-component") or "") or "uthor" in (get("itemprop") or "")
            or "uthor" in (get("rel") or "") or "uthor" in (get("data-testid") or ""))


def _discarded(el: etree._Element) -> bool:
    """Whether trafilatura's AUTHOR_DISCARD_XPATHS prune ``el`` before looking for bylines."""
    tag = el.tag
    if tag in ("time", "figure"):
        return True
    if tag not in _DISCARD_TAGS:
        return False
    cls, id_ = el.get("class"), el.get("id")
    return (id_ == "comments" or cls in ("comments", "title", "date")
            or id_ is not None and bool(_DISCARD_ID.search(id_)) or cls is not None and bool(_DISCARD_CLASS.search(cls))
            or "Figure" in (el.get("data-component") or ""))


def _pruned_copy(el: etree._Element) -> etree._Element:
    from trafilatura.htmlprocessing import prune_unwanted_nodes
    from trafilatura.metadata import AUTHOR_DISCARD_XPATHS
    return prune_unwanted_nodes(deepcopy(el), AUTHOR_DISCARD_XPATHS)


#: Elements whose text is code, not a byline's words.
_CODE_TAGS = ("script", "style", "template")


def _surely_long(el: etree._Element, limit: int = 120) -> bool:
    """Whether ``el``'s text as trafilatura reads it after pruning has ``limit`` letters or more:
    counted over the texts no pruning can take (outside the parts it removes), and only until
    the limit. Nested byline blocks (an unclosed <div class="author">) were each copied and
    pruned whole, each holding the rest of the page."""
    letters = 0
    walker = etree.iterwalk(el, events=("start",))
    for _, e in walker:
        if e is not el and (_discarded(e) or e.tag in _CODE_TAGS):
            walker.skip_subtree()   # removed, its tail may move: not counted
            continue
        for text in (e.text, e.tail if e is not el else None):
            if text:
                letters += sum(map(len, text.split()))
                if letters >= limit:
                    return True
    return False


def _byline_markup(tree: etree._Element) -> str | None:
    """What ``extract_metainfo(prune_unwanted_nodes(deepcopy(tree), AUTHOR_DISCARD_XPATHS),
    AUTHOR_XPATHS, len_limit=120)`` gives, without copying the page: the first result of the
    first XPath, then of the next, outside pruned parts, whose text (pruned) is 3-119 chars."""
    return next((text for _, text in _byline_markups(_byline_candidates(tree))), None)


def _byline_markups(candidates: list[etree._Element]) -> Iterator[tuple[etree._Element, str]]:
    """The texts of the results of trafilatura's byline XPaths that ``_byline_markup`` reads,
    in its order, each element once, among the page's ``_byline_candidates``: the first is
    trafilatura's byline."""
    from trafilatura.utils import trim
    results: tuple[list[etree._Element], ...] = ([], [], [])
    for el in candidates:
        for hits, hit in zip(results, _author_xpaths_hit(el)):
            if hit:
                hits.append(el)
    seen: set[etree._Element] = set()
    for hits in results:
        for el in hits:
            if el in seen:
                continue
            seen.add(el)
            if _discarded(el) or any(_discarded(a) for a in el.iterancestors()):
                continue  # gone from trafilatura's pruned copy
            if _surely_long(el):
                continue  # pruned, its text would still be too long: not worth a copy
            # only this element is copied and pruned: its text as trafilatura reads it, without
            # a script's code ("var byline = 'Jane Doe,'; document.write(...)" beside <noscript>)
            copy = _pruned_copy(el)
            etree.strip_elements(copy, *_CODE_TAGS, with_tail=False)
            content = trim(" ".join(copy.itertext()))
            if content and 2 < len(content) < 120:
                yield el, content
