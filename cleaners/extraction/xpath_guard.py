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
evaluated as it is. The second discard path, an ``or`` of eight tests, one or two of which can
hold on most pages, is evaluated with those tests alone (:class:`_Termed`, ``TERMS``).

Two paths of known text that select on nearly every page by words of the id and class, the first
discard path and the first container path, are read in Python instead (:class:`_ByNames`: the
same elements, their names searched once a call, none of the round trips from libxml2 to ``re``).

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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import NamedTuple

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
#: The values of each attribute the paths of ``WORDS`` and ``TERMS`` test, in the tree and its
#: descendants (four reads cost what one of their union did, which sorted the values).
_TESTED_VALUES = {name: XPath(f"descendant-or-self::*/@{name}", smart_strings=False)
                  for name in ("class", "id", "style", "aria-hidden")}
_READ = threading.local()   # .last: {group: (the tree, weakly; its values read)}


class _Values(NamedTuple):
    """A tree's values of the tested attributes: each attribute's, one a line, and all of them."""

    of: dict[str, str]
    all: str


def _group_read(group: str, first: bool, tree: _Element) -> _Values:
    """The values of ``tree``'s tested attributes, read by the group's first path (``first``)
    or for a tree the group has not read, else the read the group's first path made."""
    last = getattr(_READ, "last", None)
    if last is None:
        last = _READ.last = {}
    read = last.get(group)
    if first or read is None or read[0]() is not tree:
        of = {name: "\n".join(values(tree)) for name, values in _TESTED_VALUES.items()}
        read = last[group] = (weakref.ref(tree), _Values(of, "\n".join(of.values())))
    return read[1]


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
        values = _group_read(self.group, self.first, tree).all
        if not any(word in values for word in self.words):
            return []
        return self.xpath(tree)


#: For paths of trafilatura's (their text, whitespace runs collapsed) that select ``.//*`` by an
#: ``or`` of tests of a few attributes: each test, the attributes it reads and a regex (re.M) that
#: finds, in their values one a line, what any value passing the test holds. A test whose regex
#: finds nothing in the tree is false on each of its elements: the path is evaluated with the
#: other tests alone (:class:`_Termed`).
TERMS: dict[str, tuple[tuple[str, tuple[str, ...], str], ...]] = {
    # OVERALL_DISCARD_XPATH, its second path: on most pages one or two of its eight tests can hold
    # (aria-hidden="true", a "hidden" id), its costliest, the class pattern, on few.
    ".//*[@class='comments-title' or starts-with(@id|@class, 'reply-') or re:test(@id|@style, 'hidden') or "
    "contains(@style, 'display:none') or contains(@style, 'display: none') or re:test(@id, 'reader-comments|akismet') or "
    "re:test(@class, '^hide-|comments-title|nocomments|-reply-|message|akismet|suggest-links|-hide-|hide-print| hidden| hide|"
    "noprint|notloaded') or @aria-hidden='true']": (
        ("@class='comments-title'", ("class",), "comments-title"),
        ("starts-with(@id|@class, 'reply-')", ("id", "class"), "^reply-"),
        ("re:test(@id|@style, 'hidden')", ("id", "style"), "hidden"),
        ("contains(@style, 'display:none')", ("style",), "display:none"),
        ("contains(@style, 'display: none')", ("style",), "display: none"),
        ("re:test(@id, 'reader-comments|akismet')", ("id",), "reader-comments|akismet"),
        ("re:test(@class, '^hide-|comments-title|nocomments|-reply-|message|akismet|suggest-links|-hide-|hide-print| hidden| "
         "hide|noprint|notloaded')", ("class",),
         "^hide-|comments-title|nocomments|-reply-|message|akismet|suggest-links|-hide-|hide-print| hidden| hide|noprint|notloaded"),
        ("@aria-hidden='true'", ("aria-hidden",), "^true$")),
}


class _Termed:
    """A path of ``TERMS`` evaluated with the tests alone that its tree's values could pass (the
    same elements: a test left out is false on every element of the tree), none evaluated where
    no test could pass. Each test's regex finds in the values one a line what it finds in a
    value alone: a value's start and end are a line's. The paths of the tests kept are compiled
    once, for each set of them."""

    __slots__ = ("path", "terms", "group", "first", "paths")

    def __init__(self, xpath: XPath, terms: tuple[tuple[str, tuple[str, ...], str], ...], group: str, first: bool) -> None:
        self.path = guard(xpath.path)   # the path it answers for, as the guarded one reads
        self.group, self.first = group, first
        self.terms = [(term, names, re.compile(finds, re.M)) for term, names, finds in terms]
        self.paths: dict[tuple[int, ...], XPath] = {}

    def __call__(self, tree: _Element) -> list[_Element]:
        values = _group_read(self.group, self.first, tree).of
        kept = tuple(i for i, (_, names, finds) in enumerate(self.terms)
                     if any(finds.search(values[name]) for name in names))
        if not kept:
            return []
        xpath = self.paths.get(kept)
        if xpath is None:
            text = ".//*[" + " or ".join(self.terms[i][0] for i in kept) + "]"
            xpath = self.paths[kept] = _guarded(XPath(text, namespaces={"re": REGEXP_NS}))
        return xpath(tree)


#: Paths of trafilatura's that select elements of a few tags by words of their id and class (two
#: patterns, ``{}`` in their text here, whitespace runs collapsed) and a few other attribute tests:
#: the first discard path (``OVERALL_DISCARD_XPATH``) and the container paths (``BODY_XPATH``:
#: each parent's first such child, ``[1]``, or the page's first, ``(...)[1]``). Each of their
#: ``re:test`` calls goes from libxml2 to Python's ``re`` and back (~5% of the cleaner's CPU on
#: wcxb-dev): :class:`_ByNames` reads them in Python.
DISCARD_BY_NAMES = (
    ".//*[self::div or self::item or self::list or self::p or self::section or self::span][ "
    "@data-lp-replacement-content or contains(translate(@role, 'N', 'n'), 'nav') or "
    "contains(@data-component, 'MostPopularStories') or re:test(@id|@class, 'cookie') or "
    "re:test(@id, '{}') or re:test(@class, '{}')]")
_CONTAINERS = ".//*[self::article or self::div or self::main or self::section]["
BODY_BY_NAMES = (
    _CONTAINERS + " @class='post' or @class='entry' or @itemprop='articleBody' or @id='articleContent' or "
    "re:test(@id, '{}') or re:test(@class, '{}') ][1]")
STORY_BY_NAMES = (
    "(" + _CONTAINERS + " @role='article' or @id='article' or @id='story' or @class='postarea' or "
    "@class='art-postcontent' or @class='text' or @class='cell' or @class='story' or re:test(@id, '{}') or "
    "re:test(@class, 'fulltext', 'i') or re:test(@class, '{}') ])[1]")
CONTENT_BY_NAMES = (
    "(" + _CONTAINERS + " @id='content' or @class='content' or re:test(@id, '{}') or re:test(@class, '{}') or "
    "contains(translate(@id, 'CM','cm'), 'main-content') or contains(translate(@class, 'CM','cm'), 'main-content') or "
    "contains(translate(@class, 'CP','cp'), 'page-content') ])[1]")


def _discard_tests(el: _Element, cls: str | None, id_: str | None) -> bool:
    """``DISCARD_BY_NAMES``'s tests other than its two patterns. ``@id|@class`` is the node-set of
    both, whose string (what ``re:test`` reads) is the value of the one written first."""
    if cls is not None and id_ is not None:
        first = id_ if next(k for k in el.attrib if k in ("id", "class")) == "id" else cls
    else:
        first = cls if cls is not None else id_ or ""
    role, component = el.get("role"), el.get("data-component")
    return ("cookie" in first or el.get("data-lp-replacement-content") is not None
            or role is not None and "nav" in role.replace("N", "n")
            or component is not None and "MostPopularStories" in component)


def _body_tests(el: _Element, cls: str | None, id_: str | None) -> bool:
    """``BODY_BY_NAMES``'s tests other than its two patterns."""
    return cls in ("post", "entry") or id_ == "articleContent" or el.get("itemprop") == "articleBody"


_FULLTEXT = re.compile("fulltext", re.I)


def _story_tests(el: _Element, cls: str | None, id_: str | None) -> bool:
    """``STORY_BY_NAMES``'s tests other than its two patterns."""
    return (id_ in ("article", "story") or cls in ("postarea", "art-postcontent", "text", "cell", "story")
            or cls is not None and _FULLTEXT.search(cls) is not None or el.get("role") == "article")


def _content_tests(el: _Element, cls: str | None, id_: str | None) -> bool:
    """``CONTENT_BY_NAMES``'s tests other than its two patterns (``translate`` folds the letters
    it names alone)."""
    return (id_ == "content" or cls == "content"
            or id_ is not None and "main-content" in id_.replace("C", "c").replace("M", "m")
            or cls is not None and ("main-content" in cls.replace("C", "c").replace("M", "m")
                                    or "page-content" in cls.replace("C", "c").replace("P", "p")))


#: Which of the elements passing a path's tests it selects: all, each parent's first, the first.
ALL, FIRST_CHILD, FIRST = "all", "first child", "first"


class _ByNames:
    """A path of ``_BY_NAMES`` read in Python: the same elements, in document order. An absent
    attribute reads as an empty string in the path, where none of its tests holds."""

    __slots__ = ("path", "tags", "id_words", "class_words", "tests", "position")

    def __init__(self, xpath: XPath, id_words: str, class_words: str,
                 how: tuple[tuple[str, ...], Callable[[_Element, str | None, str | None], bool], str]) -> None:
        self.path = guard(xpath.path)   # the path it answers for, as the guarded one reads
        self.id_words, self.class_words = re.compile(id_words), re.compile(class_words)
        self.tags, self.tests, self.position = how

    def __call__(self, tree: _Element) -> list[_Element]:
        out: list[_Element] = []
        ids: dict[str, bool] = {}   # a page repeats its names: each searched once
        classes: dict[str, bool] = {}
        parents = set()
        for el in tree.iterdescendants(self.tags):
            get = el.get
            cls, id_ = get("class"), get("id")
            hit = False
            if id_ is not None:
                hit = ids.get(id_)
                if hit is None:
                    hit = ids[id_] = self.id_words.search(id_) is not None
            if not hit and cls is not None:
                hit = classes.get(cls)
                if hit is None:
                    hit = classes[cls] = self.class_words.search(cls) is not None
            if hit or self.tests(el, cls, id_):
                if self.position == FIRST:
                    return [el]
                if self.position == FIRST_CHILD:
                    parent = el.getparent()
                    if parent in parents:
                        continue
                    parents.add(parent)
                out.append(el)
        return out


#: The paths read in Python: their text as a pattern (its two patterns of words are its groups), the
#: tags they select, their other tests, which of the elements passing those they select.
_BY_NAMES = {re.compile(re.escape(text).replace(re.escape("{}"), "([^']*)")): how for text, how in (
    (DISCARD_BY_NAMES, (("div", "item", "list", "p", "section", "span"), _discard_tests, ALL)),
    (BODY_BY_NAMES, (("article", "div", "main", "section"), _body_tests, FIRST_CHILD)),
    (STORY_BY_NAMES, (("article", "div", "main", "section"), _story_tests, FIRST)),
    (CONTENT_BY_NAMES, (("article", "div", "main", "section"), _content_tests, FIRST)))}


def _read_in_python(path: XPath) -> _ByNames | None:
    """The Python reading of ``path`` where its text is one of ``_BY_NAMES``, else None."""
    text = " ".join(path.path.split())
    for pattern, how in _BY_NAMES.items():
        if m := pattern.fullmatch(text):
            return _ByNames(path, m.group(1), m.group(2), how)
    return None


def _worded(name: str, paths: list[XPath]) -> list[XPath | _Worded | _ByNames]:
    """The list's paths guarded, and those of known words evaluated only where the tree holds
    one (the first of them in the first list of a group reads the tree); a path of known text
    read in Python (``_read_in_python``)."""
    group = _GROUPS.get(name)
    reads = group is not None and next(n for n, g in _GROUPS.items() if g == group) == name
    out: list[XPath | _Worded | _ByNames] = []
    for path in paths:
        text = " ".join(path.path.split())
        words, terms = WORDS.get(text), TERMS.get(text)
        in_python = _read_in_python(path)
        if in_python is not None:
            out.append(in_python)
        elif group is not None and terms is not None and ".//*[" + " or ".join(t[0] for t in terms) + "]" == text:
            out.append(_Termed(path, terms, group, reads))
            reads = False
        elif words is None or group is None:
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
