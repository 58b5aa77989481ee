"""The panes toggles hide (an accordion's answers, a "Read more" pane), put back after their line."""

from __future__ import annotations

import bisect
import functools
from collections.abc import Callable

import lxml.etree as etree

from newsclean.cleaners import dom
from newsclean.cleaners.body_lines import blocks
from newsclean.cleaners.extraction.recall.matching import _block_line, _lines_with, words_of
from newsclean.cleaners.extraction.recall.prose import GAP_PROSE_MAX_LINKS
from newsclean.cleaners.body_lines.lines import normalize_lines


#: A toggle and the pane it shows: a control naming the pane's id (``aria-controls``: an accordion's
#: button, a "Read more" button) or a ``<details>`` element (its ``<summary>`` the title).
_TOGGLES = etree.XPath("//*[@aria-controls] | //details")
_WITH_ID = etree.XPath("//*[@id]")
#: A pane put back holds this much prose (characters of text, at most ``GAP_PROSE_MAX_LINKS`` of it
#: in links, ending a sentence) ...
TOGGLED_PANE_MIN_CHARS = 80
#: ... of which the extraction lacks this share at least: a pane it holds in part was not hidden
#: from it (what it lacks there is markup it renders otherwise: a table's rows, a title).
TOGGLED_PANE_MISSING = 0.8
#: A pane is never in these, nor is it a menu or a block named a dialog or a sidebar
#: (``blocks.named_aside``): a site's menu, a search box, a form, a sign-up dialog.
_NOT_PANE_AROUND = frozenset({"nav", "header", "footer", "aside", "form", "button", "a"})
_NOT_PANE_ROLES = frozenset({"menu", "navigation"})


def _toggled_panes(tree: etree._Element) -> list[tuple[etree._Element, etree._Element | None]]:
    """The panes toggles show (``_TOGGLES``), each once, with its title: the ``<summary>`` or the
    first control naming it."""
    found = _TOGGLES(tree)
    if not found:
        return []
    ids: dict[str, etree._Element] | None = None
    out: dict[etree._Element, etree._Element | None] = {}
    for t in found:
        if t.tag == "details":
            out.setdefault(t, next((c for c in t if c.tag == "summary"), None))
            continue
        if ids is None:   # read only on a page with a control
            ids = {el.get("id"): el for el in _WITH_ID(tree)}
        for name in (t.get("aria-controls") or "").split():
            pane = ids.get(name)
            if pane is not None and pane is not t and not any(a is pane for a in t.iterancestors()):
                out.setdefault(pane, t)
    return list(out.items())


def _pane_blocks(pane: etree._Element, title: etree._Element | None,
                 said: Callable[[], str]) -> list[tuple[etree._Element, str]]:
    """The blocks of ``pane`` that make lines (``dom.line_blocks``) besides its title, each with its
    text, where the pane reads as prose the extraction lacks (``said()``: its words, ``words_of``,
    read only for a pane of prose); [] otherwise."""
    if pane.get("role") in _NOT_PANE_ROLES or blocks.named_aside(pane) \
            or any(a.tag in _NOT_PANE_AROUND for a in (pane, *pane.iterancestors())):
        return []
    txt = dom.flat_text(pane)
    inside = title is not None and any(a is pane for a in title.iterancestors())
    if inside:
        txt = txt.replace(dom.flat_text(title), "", 1).strip()
    if len(txt) < TOGGLED_PANE_MIN_CHARS or dom.link_text_len(pane) > GAP_PROSE_MAX_LINKS * len(txt) \
            or not dom.SENTENCE_END.search(txt):
        return []
    out = []
    for el in dom.line_blocks(pane):
        if inside and (el is title or any(a is title for a in el.iterancestors())):
            continue
        t = dom.flat_text(el)
        if (key := words_of(t)) and key not in said():
            out.append((el, t))
    missing = sum(len(t) for _, t in out)
    return out if missing >= TOGGLED_PANE_MIN_CHARS and missing >= TOGGLED_PANE_MISSING * len(txt) else []


def toggled_filled(tree: etree._Element, text: str) -> str:
    """``text`` with the panes toggles hide (an accordion's answers, a "Read more" pane: a class
    trafilatura discards, `` hidden``, or a style) that the extraction lacks, each put in after the
    line before it on the page, in the article's container or in a block beside it with that line
    (a FAQ's section under its kept heading), never before the first line nor after the article in
    the page's wrapper; the toggle's title before it where it asks or several differ (an FAQ's
    questions, not a lone "Read more"). A dialog, a menu, links stay out (``_pane_blocks``)."""
    panes = _toggled_panes(tree)
    if not panes:
        return text
    said = functools.cache(lambda: words_of(text))
    found = [(pane, title, b) for pane, title in panes if (b := _pane_blocks(pane, title, said))]
    if not found:
        return text
    lines = normalize_lines(text)
    sources = blocks.line_sources(tree, lines)
    box = blocks.container(sources, lines)
    if box is None:
        return text
    order = {el: n for n, el in enumerate(tree.iter())}
    placed = sorted((order[el], i) for i, el in enumerate(sources) if el is not None)
    keys = [o for o, _ in placed]
    holding = {box, *box.iterancestors()}
    titled = len({dom.flat_text(t) for _, t, _ in found if t is not None}) >= 2
    put: dict[int, list[str]] = {}
    taken: set[etree._Element] = set()   # a pane inside another is put in once
    for pane, title, found_blocks in found:
        at = bisect.bisect_left(keys, order[pane]) - 1
        if at < 0:
            continue
        line = placed[at][1]
        if not any(a is box for a in pane.iterancestors()):
            before = {sources[line], *sources[line].iterancestors()}
            if next(a for a in pane.iterancestors() if a in before) in holding:
                continue
        new = [(el, t) for el, t in found_blocks if el not in taken]
        if not new:
            continue
        taken.update(el for el, _ in new)
        add = put.setdefault(line, [])
        head = dom.flat_text(title) if title is not None else ""
        if head and (titled or head.endswith("?")) and words_of(head) not in said():
            add.append(head)
        add += [_block_line(el, t) for el, t in new]
    return _lines_with(lines, put) if put else text
