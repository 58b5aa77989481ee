"""trafilatura's comparison with readability, run only when readability could win.

For every page, trafilatura extracts the body, then extracts it again with its copy of
readability and keeps readability's text only if (balanced focus) its own is empty, readability's
is over twice as long, or its own body has no paragraph text or more tables than paragraphs
(``trafilatura.external._prefer_readability``). That second extraction was about a tenth of the
cleaner's CPU, and on most pages its answer is known in advance: readability's text is made of
the page's text outside ``script`` and ``style`` (it drops those, moves whole text nodes, never
splits one, and adds only "VIDEO" to video iframes), so when all of that text, whitespace
collapsed, is at most twice what trafilatura kept, readability cannot win. Then neither the copy
of the page trafilatura makes for it nor readability itself runs: the comparison is handed an
empty page, as readability's answer an empty one (it finds nothing, loses), and the rest of the
comparison (the jusText check) runs as before: the same output, without the second extraction
(skipped on 9 pages in 10 of fundus-dev).

The gate sits where trafilatura's cascade takes that copy (``trafilatura.core._extract_and_compare``,
its stages 1-2: the main extractor, then the comparison), so the copy is only made when it is read.

The tree trafilatura's comparison hands jusText (the page cleaned, before its tags are converted:
a copy it takes of every page before the main extractor runs) is read only where jusText runs, on
one page in fifty: for gated calls it is made then, from the same raw tree in the same way
(``tree_cleaning(copy(tree))``), the same tree; nothing changes the raw tree before.

After the comparison, trafilatura measures the page's text (``html2txt``: a copy of the page,
cleaned, its text read) wherever its own text is under 3,000 characters, to see whether that text
is under a fifth of the page's (then it extracts again in recall mode). An upper bound on that
measure is counted in C, without a copy: the page's text, whitespace collapsed, and a space before
the text and the tail of each block element (which ``html2txt`` adds; its cleaning only takes text
away). Where the text is a fifth of the bound or more, it is a fifth of the measure or more: the
answer is known, and trafilatura is handed an empty measure, which gives it (on wcxb-dev the
measure ran for one extraction in ten, the recall mode for one in fifty).

Only calls with the cleaner's own options object are gated: trafilatura used elsewhere in the
process (``extract()``, a benchmark's baseline, trafilatura's own recall retry, which copies the
options) compares as it always does.
"""

from __future__ import annotations

import threading
import weakref
from copy import copy
from typing import Any

import justext.core
import lxml.etree as etree
import trafilatura.core
import trafilatura.external
from lxml.html import HtmlElement
from trafilatura.baseline import _BLOCK_ELEMS   # the module: trafilatura.baseline is also a function's name
from trafilatura.htmlprocessing import convert_tags, tree_cleaning
from trafilatura.settings import Extractor

from newsclean.cleaners.reading.trees import first_descendant

_ORIGINAL = trafilatura.core._extract_and_compare
_READABILITY = trafilatura.external.try_readability
_PREPARE = trafilatura.core._prepare_tree
_JUSTEXT = trafilatura.external.justext_rescue
_PAGE_TEXT = trafilatura.core.html2txt
_GATED: set[int] = set()   # ids of the Extractor objects whose comparisons are gated
_RAW_TEXT_TAGS = ("script", "style")
#: The empty page handed to the comparison where readability cannot win (only ever read: nothing
#: but :func:`_readability` sees it).
_NOTHING = HtmlElement()


#: Text of the page, whitespace runs collapsed (XML's whitespace: no more than trim's), in C.
_TEXT_LENGTH = etree.XPath("string-length(normalize-space(.))")
_IFRAMES = etree.XPath("count(.//iframe)")
#: Text readability adds: "VIDEO" in each video iframe it keeps (with a space and two word merges).
_IFRAME_TEXT = len(" VIDEO") + 2


def text_bound(tree: etree._Element) -> int:
    """An upper bound on the length of any text readability can extract from ``tree``, after
    trafilatura's ``trim`` (whitespace runs collapsed).

    The page's collapsed text, less the scripts' and styles' (clean_html has dropped all but
    JSON-LD before trafilatura copies the tree): taking one piece of text out removes its
    non-space characters and its words, but may leave two more words at its ends."""
    bound = int(_TEXT_LENGTH(tree)) + _IFRAME_TEXT * int(_IFRAMES(tree))
    for el in tree.iter(_RAW_TEXT_TAGS):
        inner = el.text.split() if el.text else ()   # script and style hold text only, no elements
        if inner:
            bound -= sum(map(len, inner)) + len(inner) - 2
    return max(0, bound)


def readability_cannot_win(raw_tree: etree._Element, body: etree._Element, text: str) -> bool:
    """Whether trafilatura's balanced comparison surely keeps ``text`` (its own extraction,
    ``body``) over readability's extraction of ``raw_tree``."""
    if not text or not body.xpath(".//p//text()") or len(body.findall(".//table")) > len(body.findall(".//p")):
        return False   # empty, or structurally deficient: readability may win on any length
    return text_bound(raw_tree) <= 2 * len(text)


def _gated_stages(cleaned_tree: Any, cleaned_tree_backup: Any, tree: Any, options: Extractor) -> Any:
    """trafilatura's ``_extract_and_compare`` (main extractor, then the comparison unless fast),
    with the raw tree copied for readability only where readability could win."""
    if id(options) not in _GATED or options.fast:
        return _ORIGINAL(cleaned_tree, cleaned_tree_backup, tree, options)
    body, text = trafilatura.core.extract_content(cleaned_tree, options)
    if options.focus == "balanced" and readability_cannot_win(tree, body, text):
        raw_tree = _NOTHING
    else:
        raw_tree = copy(tree)
    body, text = trafilatura.core.compare_extraction(cleaned_tree_backup, raw_tree, body, text, options)
    # the text the escalation compares with the page's, unless the baseline rescue may replace
    # it (that runs under min_extracted_size characters); never an earlier extraction's
    keep = options.focus == "balanced" and len(text) >= options.min_extracted_size
    _COMPARED.last = (weakref.ref(tree), len(text)) if keep else None
    return body, text


#: Tags ``html2txt`` puts a space before the text and the tail of (trafilatura.baseline's).
_BLOCK_TAGS = tuple(_BLOCK_ELEMS)
#: Share of the page's text under which trafilatura's escalation extracts again (its ESCALATION_PAGE_SHARE).
_PAGE_SHARE = trafilatura.core.ESCALATION_PAGE_SHARE
_COMPARED = threading.local()   # .last: (the raw tree, weakly; the length of the text it gave)


def page_text_bound(tree: etree._Element) -> int:
    """An upper bound on ``len(html2txt(tree))``: the text of the tree's body (or of the tree),
    whitespace collapsed, plus a space for the text and the tail of each block element."""
    body = first_descendant(tree, "body")
    body = tree if body is None else body
    return int(_TEXT_LENGTH(body)) + 2 * sum(1 for _ in body.iter(_BLOCK_TAGS))


def _page_text(tree: Any, *args: Any, **kwargs: Any) -> Any:
    """trafilatura's page measure for its escalation; an empty one where the text the comparison
    gave is surely a fifth of it or more (the same answer)."""
    last = getattr(_COMPARED, "last", None)
    _COMPARED.last = None
    if last is not None and last[0]() is tree and not args and not kwargs \
            and last[1] >= _PAGE_SHARE * page_text_bound(tree):
        return ""
    return _PAGE_TEXT(tree, *args, **kwargs)


class _CleanedLater:
    """The cleaned, unconverted page that trafilatura's ``_prepare_tree`` copies for jusText,
    made when jusText reads it (``_justext``): ``tree_cleaning(copy(tree))`` as it made it."""

    __slots__ = ("tree", "options")

    def __init__(self, tree: Any, options: Extractor) -> None:
        self.tree, self.options = tree, options

    def made(self) -> Any:
        return tree_cleaning(copy(self.tree), self.options)


def _prepared(tree: Any, options: Extractor, url: str | None) -> tuple[Any, Any]:
    """trafilatura's ``_prepare_tree`` (clean a copy of the raw tree, keep a copy of that for
    jusText, convert the tags), the copy for jusText left to when it runs for gated calls."""
    if id(options) not in _GATED or options.fast or options.comments:
        return _PREPARE(tree, options, url)   # the comments extraction reads the copy too
    return convert_tags(tree_cleaning(copy(tree), options), options, url), _CleanedLater(tree, options)


def _justext(tree: Any, options: Extractor) -> Any:
    return _JUSTEXT(tree.made() if isinstance(tree, _CleanedLater) else tree, options)


def _readability(htmlinput: Any) -> Any:
    # the empty page of a gated comparison: what readability finds in it, nothing
    if htmlinput is _NOTHING:
        return HtmlElement()
    return _READABILITY(htmlinput)


def gate(options: Extractor) -> Extractor:
    """Gate the comparisons of trafilatura calls made with ``options`` (kept alive by the
    caller, a module-level constant); returns it."""
    _GATED.add(id(options))
    trafilatura.core._extract_and_compare = _gated_stages   # the name trafilatura's cascade calls
    trafilatura.core._prepare_tree = _prepared              # ... and its cascade's preparation
    trafilatura.core.html2txt = _page_text                  # ... and its escalation's page measure
    trafilatura.external.try_readability = _readability     # the names its comparison calls
    trafilatura.external.justext_rescue = _justext
    return options


# --- jusText's stoplist, looked up by identity ------------------------------------------------
#
# Where the comparison (or trafilatura's recall escalation) runs jusText, trafilatura hands it its
# stoplist of every language (a tuple of 154,000 words), and jusText's ``define_stoplist`` looks
# up its lower-cased set in an LRU cache keyed by that tuple: hashing the tuple, 3 ms a call on
# every jusText run (on wcxb-dev one page in sixteen). In its place (installed once, on import)
# the answer for the tuple last asked is given again for the same object: a tuple does not change,
# so neither does its set. A process that holds the words once already (the crawl workers'
# forkserver, :func:`share_stoplist`) has them answered for its tuple, never a copy.

_JUSTEXT_DEFINE_STOPLIST = justext.core.define_stoplist   # jusText's own lookup (LRU cache by value)
_UNKNOWN = (object(), None)               # no stoplist is this object
_SHARED: tuple[Any, Any] = _UNKNOWN       # the stoplist of :func:`share_stoplist`, its words
_SEEN: tuple[Any, Any] = _UNKNOWN         # the stoplist last asked, its words (one tuple: read whole)


def _define_stoplist(stoplist: Any) -> frozenset[str]:
    global _SEEN
    for known, words in (_SHARED, _SEEN):
        if stoplist is known:
            return words
    words = _JUSTEXT_DEFINE_STOPLIST(stoplist)
    if isinstance(stoplist, (tuple, frozenset)):   # unchangeable: the same object, the same words
        _SEEN = (stoplist, words)
    return words


def share_stoplist(stoplist: tuple[str, ...], words: frozenset[str]) -> None:
    """Answer ``words`` (lower-case already) for ``stoplist``, this very tuple, from now on, so that
    jusText builds no second set of them; jusText's cache, which may hold an earlier tuple's set, is emptied."""
    global _SHARED, _SEEN
    _SHARED, _SEEN = (stoplist, words), _UNKNOWN
    _JUSTEXT_DEFINE_STOPLIST.cache_clear()


justext.core.define_stoplist = _define_stoplist   # classify_paragraphs looks it up here
