"""The page's subheadings between two lines of the extraction, put back as section titles
(``headings_filled``: trafilatura's recovery of a page without a container drops them)."""

from __future__ import annotations

import bisect

import lxml.etree as etree

from newsclean.cleaners import dom
from newsclean.cleaners.extraction.recall.matching import _lines_with, words_of
from newsclean.cleaners.body_lines.lines import normalize_lines
from newsclean.cleaners.vocabulary import is_boilerplate_heading


#: The text a subheading put back must open: a review's short part (a title and one sentence of
#: 100+ characters), not a call to action's line or two (150 lost short sections on 9 bench pages).
SECTION_MIN_CHARS = 100
#: ... and the last title put back the rest of the text: so many characters, with so many lines
#: of prose (of ``LAST_SECTION_LINE_CHARS`` or more) in them: a closing call to action is a line
#: under its title, a gallery's header a caption and a photo credit.
LAST_SECTION_MIN_CHARS = 300
LAST_SECTION_MIN_LINES = 2
LAST_SECTION_LINE_CHARS = 80


def headings_filled(tree: etree._Element, text: str) -> str:
    """``text`` with the page's subheadings (h2-h6) that sit, in the page, between two elements
    whose texts are consecutive lines of ``text``: section titles inside the article's run of
    paragraphs, not a sidebar's or a footer's titles (no extracted line on their other side), nor
    a title known as boilerplate ("Related", "Auch interessant"). A title sits with the paragraphs
    on both sides, or opens a block of its own with the section under it (a tip, a numbered item
    of a roundup) that holds no link outside its paragraphs (a teaser card's button, picture or
    linked title); a title in a box of its own (a ``<summary>``) opens the block around that box.
    The page's elements are read as the lines they gave (``_lines_of``): a line said again is its
    later copy, a table row or a paragraph split at ``<br>`` the run of lines it gave."""
    lines = normalize_lines(text)
    keys = [words_of(line) for line in lines]
    where: dict[str, list[int]] = {}
    for n, key in enumerate(keys):
        if key:
            where.setdefault(key, []).append(n)
    after: dict[int, list[tuple[str, str]]] = {}   # titles with their tags, by the line before them
    last: int | None = None
    last_el: etree._Element | None = None
    pending: list[tuple[str, etree._Element, etree._Element, str]] = []
    for el in tree.iter("p", "li", "blockquote", "pre", "tr", *dom.SUBHEADINGS):
        if el.tag in dom.SUBHEADINGS:
            title = dom.flat_text(el)
            if title and last is not None and words_of(title) not in where and not is_boilerplate_heading(title):
                pending.append((title, el.getparent(), _title_block(el), el.tag))
            continue
        span = _lines_of(words_of(dom.text_of(el)), keys, where, last)
        if span is None:
            continue
        i, end = span
        if pending and last is not None and i == last + 1:
            # in the same container as the paragraph after it (a sidebar's title is not), and as
            # the one before it unless it opens a block of its own (not a teaser card)
            under, before = set(el.iterancestors()), set(last_el.iterancestors())
            after[last] = [(title, tag) for title, parent, block, tag in pending
                           if parent in under and (parent in before or not _links_outside_paragraphs(parent))
                           or block is not parent and block in under and block not in before
                           and not _links_outside_paragraphs(block)]
        pending = []
        last, last_el = end, el
    # A title must open a section of some length (up to the next title put back): a title right
    # above another of its level or lower opens nothing (``_title_run``). The last one opens the
    # rest of the text, where the wider recovery may reach past the article (a call to action
    # under it, "Want more like this?" over a line or two; comments, the author, more stories):
    # it must open more (``LAST_SECTION_MIN_CHARS``, ``LAST_SECTION_MIN_LINES`` lines of prose).
    starts = sorted(i for i, titles in after.items() if titles)
    kept = {i: _title_run(after[i]) for i, end in zip(starts, starts[1:])
            if sum(len(line) for line in lines[i + 1:end + 1]) >= SECTION_MIN_CHARS}
    rest = lines[starts[-1] + 1:] if starts else []
    if sum(len(line) >= LAST_SECTION_LINE_CHARS for line in rest) >= LAST_SECTION_MIN_LINES \
            and sum(len(line) for line in rest) >= LAST_SECTION_MIN_CHARS:
        kept[starts[-1]] = _title_run(after[starts[-1]])
    if not kept:
        return text
    return _lines_with(lines, kept)


def _title_run(titles: list[tuple[str, str]]) -> list[str]:
    """Of the titles put back in one place, the last, and before it each title of a higher level
    than the one after it ("Strengths of Wix" as an ``<h4>`` over "1. Easy to use" as an ``<h5>``:
    a section's title and its first part's); a title over one of its own level or lower opens
    nothing."""
    run = [titles[-1]]
    for title, tag in reversed(titles[:-1]):
        if tag >= run[-1][1]:   # "h2" < "h3": one digit, the tags order as the levels
            break
        run.append((title, tag))
    return [title for title, _ in reversed(run)]


def _title_block(heading: etree._Element) -> etree._Element:
    """The block a subheading stands in: its parent, or where that parent holds the title alone
    (a ``<summary>``, a heading's own box), the parent's parent, whose section follows that box.
    One such box only: a title alone in a sidebar's nested boxes (its list pruned, a table of
    contents) is no section's title."""
    parent = heading.getparent()
    up = parent.getparent()
    if up is None or (parent.text or "").strip() or (heading.tail or "").strip():
        return parent
    # read up to the first other text only: the parent is most often the article's container
    for child in parent:
        if child is not heading and (any(s.strip() for s in child.itertext()) or (child.tail or "").strip()):
            return parent
    return up


def _lines_of(key: str, keys: list[str], where: dict[str, list[int]], last: int | None) -> tuple[int, int] | None:
    """The first and last line of the extraction (``keys``: each line's words; ``where``: each
    line's words -> its lines) that an element's words ``key`` are, read in the page's order
    after line ``last``: the first such line at or after it (a line said again further on, as a
    spec or a label under each item, is that later line), or a run of lines from the next one
    (a table row, a paragraph split at ``<br>``, a code block); None when neither."""
    found = where.get(key)
    if found:
        at = bisect.bisect_left(found, last) if last is not None else 0
        i = found[at] if at < len(found) else found[0]
        return i, i
    if last is None or not key:
        return None
    # how far the lines read so far (joined by spaces) go into ``key``: each line is compared
    # once, where it must stand, not the whole run again (a code block of many lines)
    at, end = 0, last + 1
    while end < len(keys) and at < len(key):
        line = keys[end]
        if line:
            if at and not key.startswith(" ", at):
                return None
            at += 1 if at else 0
            if not key.startswith(line, at):
                return None
            at += len(line)
        end += 1
    return (last + 1, end - 1) if at == len(key) and end > last + 1 else None


def _links_outside_paragraphs(block: etree._Element) -> bool:
    """Whether a link of ``block`` stands outside its paragraphs and list items: a card's button,
    a linked picture or title; an article's section links inside its sentences."""
    for a in block.iter("a"):
        for up in a.iterancestors():
            if up is block:
                return True
            if up.tag in ("p", "li"):
                break
    return False
