"""Small reads and removals of elements that every pruning pass shares: an element's text
(``text_of``, ``flat_text``, ``text_len``, ``link_text_len``, ``short_text``), its removal with its
tail kept (``drop_keeping_tail``, ``drop_topmost``), whether it is still in the tree (``attached``),
the tag sets the passes read (``HEADINGS``, ``LINE_TAGS``, ...), ``line_blocks`` and ``tree_size``."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

import lxml.etree as etree

if TYPE_CHECKING:
    from newsclean.cleaners.dom.measures import Measures

#: Never dropped as widgets: they are or hold the document / the article itself.
PROTECTED_TAGS = frozenset({"html", "body", "article", "main", "head"})
#: Section titles below the headline (an h5 or h6 too: pages pick a level by its size on screen).
SUBHEADINGS = ("h2", "h3", "h4", "h5", "h6")
HEADINGS = frozenset({"h1", *SUBHEADINGS})


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


def attached(el: etree._Element, root: etree._Element) -> bool:
    """Whether ``el`` is still in ``root``'s tree (not inside a block a pass removed)."""
    top = el
    for top in el.iterancestors():
        pass
    return top is root


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


#: A paragraph's text ends like a sentence, a closing French quote too (« ... »). Not lines'
#: _SENTENCE_END, which reads single lines (there "»" ends link labels) nor linescore's (a model feature).
SENTENCE_END = re.compile(r"[.!?\"'”’»)]\s*$")


def tree_size(tree: etree._Element) -> int:
    """Number of elements, counted in C (libxml2 already caps nesting depth at 256 when parsing
    HTML without the huge-tree option, so depth needs no check of its own)."""
    return int(tree.xpath("count(//*)"))


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
