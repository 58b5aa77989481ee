"""trafilatura's XPath lists with each regular-expression test guarded by its attribute's presence.

trafilatura selects boilerplate and body containers with XPaths such as
``.//*[self::div or ...][re:test(@id, '...') or re:test(@class, '...')]``. ``re:test`` is an
EXSLT function that lxml answers by calling Python's ``re`` for every element the path visits,
also for the many that have no ``id`` or ``class`` at all: it is then asked whether the pattern
matches the empty string. Guarded, ``(@class and re:test(@class, '...'))``, an element without the
attribute is answered in C. The answers are the same wherever the pattern cannot match an empty
string (the only case guarded): an absent attribute is an empty node-set, whose string is empty.
Those lists were a fifth of trafilatura's CPU in ``clean_html`` (wcxb-dev: 2.4 of 9.7 ms a page).

Some of the paths can select only an element whose class, id, style or aria-hidden holds one of a
few words ("omment" for the comment sections, "caption", "teaser", "hid" ...), and on most pages
none does: each is evaluated only where the tree holds one of its words in those attributes
(:class:`_Worded`: one read of them for the paths trafilatura evaluates one after another on one
tree). The words are written for the path's exact text (``WORDS``): a path of another text is
evaluated as it is.

Only the cleaner's own extractions use the guarded lists (:func:`guarded`, around its
``bare_extraction`` calls): the lists are swapped in place for that call, because trafilatura's
modules import them by name. trafilatura used elsewhere in the process (``extract()``, a
benchmark's baseline) evaluates its own paths, as it always does. A thread that extracts while
another swaps gets either version of a list: the same answers.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

import trafilatura.xpaths
from lxml.etree import XPath, XPathError, _Element

#: The EXSLT namespace trafilatura binds to ``re`` in its paths.
REGEXP_NS = "http://exslt.org/regular-expressions"
_CALL = "re:test("
#: A first argument that is attributes of the context element: an empty node-set when absent.
_ATTRIBUTES = re.compile(r"@[\w:-]+(?:\s*\|\s*@[\w:-]+)*")
_LITERAL = re.compile(r"""'[^']*'|"[^"]*\"""")


def _arguments(path: str, start: int) -> tuple[list[str], int]:
    """The arguments of the call whose ``(`` is just before ``start``, and the index of its ``)``."""
    args, depth, quote, i, begin = [], 0, "", start, start
    while i < len(path):
        c = path[i]
        if quote:
            if c == quote:
                quote = ""
        elif c in "'\"":
            quote = c
        elif c in "([":
            depth += 1
        elif c in ")]":
            if depth == 0:
                args.append(path[begin:i].strip())
                return args, i
            depth -= 1
        elif c == "," and depth == 0:
            args.append(path[begin:i].strip())
            begin = i + 1
        i += 1
    raise ValueError("unbalanced re:test call")


def _never_empty(pattern: str, flags: str) -> bool:
    """Whether ``pattern`` (an XPath literal, with the EXSLT flags literal or '') cannot match ''."""
    try:
        return re.search(pattern[1:-1], "", re.I if "i" in flags else 0) is None
    except re.error:
        return False


def guard(path: str) -> str:
    """``path`` with each ``re:test(@attr, 'pattern')`` whose pattern cannot match an empty string
    written ``(@attr and re:test(@attr, 'pattern'))``; other calls as they are."""
    out, i = [], 0
    while (j := path.find(_CALL, i)) >= 0:
        literal = next((m for m in _LITERAL.finditer(path, i) if m.start() < j < m.end()), None)
        if literal is not None:   # the words re:test( inside a string: no call, left as they are
            out.append(path[i:literal.end()])
            i = literal.end()
            continue
        args, end = _arguments(path, j + len(_CALL))
        call = path[j:end + 1]
        flags = args[2] if len(args) == 3 else "''"
        if (len(args) in (2, 3) and _ATTRIBUTES.fullmatch(args[0]) and _LITERAL.fullmatch(args[1])
                and _LITERAL.fullmatch(flags) and _never_empty(args[1], flags)):
            call = f"({args[0]} and {call})"
        out += [path[i:j], call]
        i = end + 1
    out.append(path[i:])
    return "".join(out)


def _guarded(xpath: XPath) -> XPath:
    if _CALL not in xpath.path:
        return xpath
    try:
        return XPath(guard(xpath.path), namespaces={"re": REGEXP_NS})
    except (XPathError, ValueError):   # a path this reading does not follow: kept as it is
        return xpath


#: For paths of trafilatura's (their text, whitespace runs collapsed): words one of which the
#: class, id, style or aria-hidden of the element a path selects holds, read off the path's tests.
#: Every test of the path's first condition on the attributes (the elements it selects all pass
#: it) is of those attributes and answered true only where one holds one of the words: ``re:test``'s
#: patterns are case-sensitive, and each of their alternatives contains a word ('[Cc]omment'
#: 'omment', 'comol', 'disqus_thread'); ``translate(@id, 'T', 't')`` holding 'teaser' means @id
#: holds 'easer'; ``@aria-hidden='true'`` is the value 'true'.
WORDS: dict[str, tuple[str, ...]] = {
    # RAW_TREE_PRUNE_XPATH
    ".//*[self::div or self::section or self::aside][ re:test(@id, 'mvp-post-add-(?:box|wrap)|infinite-?scroll') or "
    "re:test(@class, 'mvp-post-add-(?:box|wrap)|infinite-?scroll')][ not(.//h1) or re:test(@id, 'mvp-post-add-(?:box|wrap)') "
    "or re:test(@class, 'mvp-post-add-(?:box|wrap)')]": ("mvp-post-add-", "infinite"),
    ".//*[self::div or self::section or self::aside][contains(@class, 'elementor-share-buttons')]":
        ("elementor-share-buttons",),
    # REMOVE_COMMENTS_AND_LISTS_XPATH
    ".//*[self::div or self::list or self::section or self::details or self::ol or self::ul][ re:test(@id, "
    "'^(?:[Cc]omment(?!ary)|comol|disqus_thread|dsq-comments)') or re:test(@class, '^[Cc]omment(?!ary)|(?:article|post)-comments')][ "
    "not(self::ol or self::ul) or re:test(@id, '^(?:[Cc]omment(?!ary)|comol)') or re:test(@class, "
    "'^[Cc]omment(?!ary)|(?:article|post)-comments')]": ("omment", "comol", "disqus_thread"),
    # OVERALL_DISCARD_XPATH, its second path (its first selects on nearly every page)
    ".//*[@class='comments-title' or starts-with(@id|@class, 'reply-') or re:test(@id|@style, 'hidden') or "
    "contains(@style, 'display:none') or contains(@style, 'display: none') or re:test(@id, 'reader-comments|akismet') or "
    "re:test(@class, '^hide-|comments-title|nocomments|-reply-|message|akismet|suggest-links|-hide-|hide-print| hidden| hide|"
    "noprint|notloaded') or @aria-hidden='true']":
        ("comments", "reply-", "hid", "display:none", "display: none", "akismet", "message", "suggest-links", "noprint",
         "notloaded", "true"),
    # TEASER_DISCARD_XPATH, DISCARD_IMAGE_ELEMENTS
    ".//*[self::div or self::item or self::list or self::p or self::section or self::span][ "
    "contains(translate(@id, 'T', 't'), 'teaser') or contains(translate(@class, 'T', 't'), 'teaser')]": ("easer",),
    ".//*[self::div or self::item or self::list or self::p or self::section or self::span][ contains(@id, 'caption') or "
    "contains(@class, 'caption')]": ("caption",),
}

#: The lists whose paths trafilatura evaluates one after another on one tree, deleting what they
#: select and nothing else between them: the raw tree's prunes (``trafilatura_sequence``) and
#: those of ``prune_unwanted_sections``, each group in this order.
_GROUPS = {"RAW_TREE_PRUNE_XPATH": "raw", "REMOVE_COMMENTS_AND_LISTS_XPATH": "raw",
           "OVERALL_DISCARD_XPATH": "sections", "DISCARD_IMAGE_ELEMENTS": "sections", "TEASER_DISCARD_XPATH": "sections"}
#: The values of the attributes the paths of ``WORDS`` test, in the tree and its descendants.
_TESTED_VALUES = XPath("descendant-or-self::*/@class | descendant-or-self::*/@id | descendant-or-self::*/@style"
                       " | descendant-or-self::*/@aria-hidden", smart_strings=False)
_READ = threading.local()   # .last: {group: (the tree, weakly; its values read)}


class _Worded:
    """A path evaluated only on a tree with one of its ``words`` in the attributes it tests:
    elsewhere it selects nothing. The paths of a group share one read of those attributes: the
    group's first path reads them, the others use that read for the same tree (between them
    trafilatura only deletes: a value read before is one more, never one less, and no word in
    the read still means nothing selected)."""

    __slots__ = ("xpath", "path", "words", "group", "first")

    def __init__(self, xpath: XPath, words: tuple[str, ...], group: str, first: bool) -> None:
        self.xpath, self.path, self.words, self.group, self.first = xpath, xpath.path, words, group, first

    def __call__(self, tree: _Element) -> list[_Element]:
        last = getattr(_READ, "last", None)
        if last is None:
            last = _READ.last = {}
        read = last.get(self.group)
        if self.first or read is None or read[0]() is not tree:
            read = last[self.group] = (weakref.ref(tree), "\n".join(_TESTED_VALUES(tree)))
        if not any(word in read[1] for word in self.words):
            return []
        return self.xpath(tree)


def _worded(name: str, paths: list[XPath]) -> list[XPath | _Worded]:
    """The list's paths guarded, and those of known words evaluated only where the tree holds
    one (the first of them in the first list of a group reads the tree)."""
    group = _GROUPS.get(name)
    reads = group is not None and next(n for n, g in _GROUPS.items() if g == group) == name
    out: list[XPath | _Worded] = []
    for path in paths:
        words = WORDS.get(" ".join(path.path.split()))
        if words is None or group is None:
            out.append(_guarded(path))
        else:
            out.append(_Worded(_guarded(path), words, group, reads))
            reads = False
    return out


def _lists() -> dict[str, list[XPath]]:
    """trafilatura's module-level lists of XPaths, by name."""
    return {name: value for name, value in vars(trafilatura.xpaths).items()
            if isinstance(value, list) and value and all(isinstance(x, XPath) for x in value)}


_LISTS = _lists()
_ORIGINAL = {name: list(paths) for name, paths in _LISTS.items()}
GUARDED = {name: _worded(name, paths) for name, paths in _LISTS.items()}


@contextmanager
def guarded() -> Iterator[None]:
    """trafilatura's XPath lists guarded for the duration of the block (see the module's doc)."""
    for name, paths in _LISTS.items():
        paths[:] = GUARDED[name]
    try:
        yield
    finally:
        for name, paths in _LISTS.items():
            paths[:] = _ORIGINAL[name]
        _READ.last = None
