"""Lines of the extracted body mapped back to the page's blocks they came from, and the edge lines
that came from outside the block that holds the article.

The extractor picks a container and renders its text, but on many pages it also takes blocks
beside it and puts them before or after the article's lines: a sidebar's pitch, a call to
action's section, a "proudly supporting" strip, a footer's links, a "Back to blog" link or a
kicker above the headline. Line text alone cannot tell those from the article's first or last
paragraph (the learned line scorer could not); the markup can: the article's lines share one
container, those blocks sit outside it. So each line is placed in the tree it was extracted
from (by the text its element opens with), the deepest element that holds most of the body's
text is the article's container, and at the tail the unbroken run of short lines from outside it
is dropped, at the head the short labels from outside it that stand above the page's headline.
Never a line in the middle, a line that cannot be placed (at the tail, save the parts of an
outside element split by ``<br>``s after its first, where the element holds them all and is no
paragraph of prose as a whole), a paragraph of prose (save, at the tail, one opening with a
writer's name: the writer's bio, ``_bio_of``), nor a block that is the container's
twin (same tag and class, or ``data-*`` names where it has no class: the next part of a body the
page splits into blocks).

On the same placement, the lines of a block the page itself names a dialog or a sticky box (a
"modal", "popup" or "lightbox" class or id, a "sticky" class) beside the container or inside it go wherever they sit: a theme that wraps the article and its
sidebar in one layout block (trafilatura's own sidebar discard would take the article with it,
and is refused), a cookie dialog or one offering the story for reuse in the article's column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import lxml.etree as etree

from newsclean.cleaners.dom import SENTENCE_END, flat_text, link_text_len, text_len

#: Elements whose text is one line of the extractor's rendering (dom.LINE_TAGS differs: the
#: blocks a page's text is cut into, with <div>s and rows).
OPENING_TAGS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "td", "th", "dd", "dt",
             "figcaption", "caption")
#: Characters of an element's opening text, whitespace collapsed, that place a line.
KEY_CHARS = 40
#: The article's container holds at least this share of the placed lines' characters.
CONTAINER_SHARE = 0.8
#: The lines dropped may be at most this share of the body's characters: more, and the container
#: is more likely a part of the article than the whole of it.
EDGE_MAX_SHARE = 0.25
#: A line this long is a paragraph of prose: the tail run stops at it (an article's closing
#: paragraph may sit in a block of its own; a pitch under the article is a line or two).
PROSE_CHARS = 200
#: At the head, only labels go: shorter than this and not ending like a sentence (an intro
#: paragraph in a hero block above the body is the article's).
HEAD_LABEL_CHARS = 100

#: A block the page names a dialog, by a class or id holding "modal", "popup" or "lightbox"
#: ("cookie-modal-body", "share-popup"). Markup, not text: the same on a site in any language.
#: Never the article's own container or above it.
_MODAL_NAME = re.compile(r"(?:^|[\s_-])(?:modal|popup|pop-up|lightbox)(?:$|[\s_-])", re.I)
#: A box that stays on screen while the page scrolls (a CSS framework's class for position:
#: sticky, "lg:sticky" in Tailwind): a sidebar column's pitch, a share bar; never the article's paragraphs.
_STICKY = re.compile(r"(?:^|[\s:_-])sticky(?:$|[\s_-])")
#: The lines of named asides dropped may be at most this share of the body's characters.
ASIDE_MAX_SHARE = 0.5

#: Where a line's opening element may end: "<b>Next article:</b> <a>...</a>".
_BOUNDARY = re.compile(r"[\s:|–—-]")


def _key(text: str) -> str:
    return " ".join(text[:KEY_CHARS * 2].split())[:KEY_CHARS]


#: A tree's line elements by their opening text, and how many open with each (:func:`openings`).
Openings = tuple[dict[str, etree._Element], dict[str, int]]
#: Lines placed in one tree: line -> the element it came from (None: not placed) and how many
#: elements open with its text, as :func:`placed_lines` found them. A line's placement depends on
#: its text only (the tree unchanged), so the cleaner's steps that place the same lines in one
#: tree, the edge step and the line scorer, hand one of these on instead of placing them again.
Placed = dict[str, tuple[etree._Element | None, int]]


def openings(tree: etree._Element) -> Openings:
    """Each line element's opening text (``_key``) -> the element, and how many elements open
    with it (one walk of the tree: the cleaner reads it once for its steps that place lines). When several open alike, the innermost of nested ones, else the first in document
    order: a line the article ends with and a sidebar or a footer repeats below it is the
    article's (the last one put it outside)."""
    at: dict[str, etree._Element] = {}
    count: dict[str, int] = {}
    for el in tree.iter(*OPENING_TAGS):
        t = _opening_text(el)
        if t is None:
            continue
        key = _key(t)
        first = at.get(key)
        if first is None:
            at[key] = el
            count[key] = 1
            continue
        if any(a is first for a in el.iterancestors()):
            at[key] = el   # the same line nested deeper ("<li><p>..."): not shown twice
        else:
            count[key] += 1
    return at, count


def placed_lines(tree: etree._Element, lines: list[str], opened: Openings | None = None,
                 placed: Placed | None = None) -> tuple[list[etree._Element | None], list[int]]:
    """The element each line came from, by the text it opens with (None: not placed), and how
    many elements of the page open with that text (0 for a line not placed; 2 or more: the page
    shows it elsewhere too). ``opened``: the tree's :func:`openings`, when read already;
    ``placed``: the lines an earlier step placed in this tree (read back, and this call's added)."""
    at, count = opened if opened is not None else openings(tree)
    if placed is None:
        placed = {}
    out: list[etree._Element | None] = []
    shown: list[int] = []
    for line in lines:
        hit = placed.get(line)
        if hit is not None:
            out.append(hit[0])
            shown.append(hit[1])
            continue
        s = _unmarked(line)
        key = s[:KEY_CHARS]
        el = at.get(key)
        if el is None:
            # opened by a shorter element ("<b>Note:</b> ..."): its text ends at a boundary
            for m in _BOUNDARY.finditer(s, 0, KEY_CHARS):
                key = s[:m.start()].rstrip()
                el = at.get(key)
                if el is None:
                    key = s[:m.end()].rstrip()
                    el = at.get(key)
                if el is not None:
                    break
        out.append(el)
        shown.append(count[key] if el is not None else 0)
        placed[line] = (el, shown[-1])
    return out, shown


def _unmarked(line: str) -> str:
    """A line without its list item's mark ("- ") or a one-cell table row's ("| text |"), as the page prints it."""
    if line.startswith("- "):
        return line[2:]
    if line.startswith("| ") and line.endswith(" |") and " | " not in line[2:-2]:
        return line[2:-2]   # a table's row of one cell, written "| text |" (a "|" in the text as "\\|")
    return line


def _opening_text(el: etree._Element) -> str | None:
    """The text an element opens with (its own, else its first descendant's), or None."""
    t = el.text
    if t is None or not t.strip():
        t = next((x for x in el.itertext() if x.strip()), None)
    return t


def repeated_in_one_block(tree: etree._Element, run: list[str]) -> bool:
    """The page repeats these lines inside one block of its body, rather than showing a block
    twice: the first of them that opens two elements or more opens siblings, children of one
    parent (the stanzas of a song, a program shown whole after its parts, a plan's days in one
    list). A block shown twice, a tab's panel and its copy for phones, has each copy in a
    container of its own. False when no line opens two elements (no evidence)."""
    keys = [_key(_unmarked(line)) for line in run]
    wanted = set(keys)
    found: dict[str, list[etree._Element]] = {}
    for el in tree.iter(*OPENING_TAGS):
        t = _opening_text(el)
        if t is not None and (key := _key(t)) in wanted:
            found.setdefault(key, []).append(el)
    for key in keys:
        els = found.get(key, [])
        if len(els) >= 2:
            parent = els[0].getparent()
            return all(el.getparent() is parent for el in els[1:])
    return False


def line_sources(tree: etree._Element, lines: list[str]) -> list[etree._Element | None]:
    """The element each line came from, by the text it opens with (None: not placed)."""
    return placed_lines(tree, lines)[0]


def container(sources: list[etree._Element | None], lines: list[str]) -> etree._Element | None:
    """The deepest element holding ``CONTAINER_SHARE`` of the placed lines' characters (one
    such element at each depth at most: two would hold more than all)."""
    own: dict[etree._Element, int] = {}
    total = 0
    for el, line in zip(sources, lines):
        if el is not None:
            own[el] = own.get(el, 0) + len(line)
            total += len(line)
    if not total:
        return None
    # the lines' elements and their ancestors, each met once (siblings share their ancestors:
    # a walk up stops at the first one met before), with their depth from the root
    parent: dict[etree._Element, etree._Element | None] = {}
    depth: dict[etree._Element, int] = {}
    for el in own:
        path = []
        a: etree._Element | None = el
        while a is not None and a not in depth:
            path.append(a)
            parent[a] = a = a.getparent()
        d = depth[a] + 1 if a is not None else 0
        for x in reversed(path):
            depth[x] = d
            d += 1
    # characters held: each element's own, added up from the deepest
    held = dict.fromkeys(depth, 0)
    held.update(own)
    for a in sorted(depth, key=depth.__getitem__, reverse=True):
        up = parent[a]
        if up is not None:
            held[up] += held[a]
    return max((a for a, n in held.items() if n >= CONTAINER_SHARE * total), key=depth.__getitem__, default=None)


def _name(el: etree._Element) -> list[str]:
    """What tells an element's block from others alike: its class, or where it has none, its
    ``data-*`` attributes (a page built with test ids, ``data-testid="site-footer"``, or with
    Astro's scoped ``data-astro-cid-...``, names its blocks by them alone)."""
    cls = (el.get("class") or "").split()
    return cls or sorted(f"{k}={v}" for k, v in el.attrib.items() if k.startswith("data-"))


def _label(line: str, el: etree._Element) -> bool:
    """A head line that is a label above the article: short, not a sentence, above the page's
    headline (a kicker, a "Back to blog"; a subtitle or a standfirst under the headline is the
    article's), and not a list item of plain text (a summary's points; a breadcrumb is links)."""
    if len(line) >= HEAD_LABEL_CHARS or SENTENCE_END.search(line):
        return False
    if line.startswith("- ") and 2 * link_text_len(el) < len(line):
        return False
    return bool(_FOLLOWING_H1(el))


#: The page's headline after an element, in document order.
_FOLLOWING_H1 = etree.XPath("following::h1[1]")


def named_aside(el: etree._Element) -> bool:
    """Whether an element is named a dialog or a sticky box (``_MODAL_NAME``, ``_STICKY``)."""
    cls, eid = el.get("class"), el.get("id")
    if cls and (_MODAL_NAME.search(cls) or _STICKY.search(cls)):
        return True
    return bool(eid) and _MODAL_NAME.search(eid) is not None


def _aside_lines(lines: list[str], sources: list[etree._Element | None], shown: list[int],
                 box: etree._Element) -> set[int]:
    """The lines from a block named a sidebar or a dialog (``named_aside``) below the article's
    container or beside it, anywhere in the body (a cookie dialog, a pop-up offering the story
    for reuse, the sidebar's boxes a theme puts after the article in its wrapper). Not a block
    that holds the container (the page's layout), none when the container is the whole
    ``<body>``, not a line that other elements of the page open with too (it may be placed on the
    aside's copy of an article line) nor one placed on an element holding under half its text (a
    short opening: a menu's item "Home" for a line "Home insurance, explained ..."); none when
    they are over ``ASIDE_MAX_SHARE`` of the body."""
    if box.tag in ("body", "html"):
        return set()   # the container found is the whole page: nothing is beside it
    holding = {box, *box.iterancestors()}
    seen: dict[etree._Element, bool] = {}

    def aside(el: etree._Element) -> bool:
        path = []
        found = False
        for a in (el, *el.iterancestors()):
            if a in holding:
                break
            if a in seen:
                found = seen[a]
                break
            path.append(a)
            if named_aside(a):
                found = True
                break
        for a in path:   # the answer holds for each element on the way up
            seen[a] = found
        return found

    gone = {i for i, el in enumerate(sources)
            if el is not None and shown[i] == 1 and aside(el) and 2 * text_len(el) >= len(lines[i])}
    if sum(len(lines[i]) for i in gone) > ASIDE_MAX_SHARE * sum(map(len, lines)):
        return set()
    return gone


#: The words a line opens with.
_OPENING_WORDS = re.compile(r"\w[\w'’-]*")
#: What follows a writer's first name alone in a bio ("Sam is the VP of Marketing ...").
_BIO_VERBS = frozenset({"is", "has", "was", "writes", "covers"})


def _bio_of(line: str, names: list[list[str]]) -> bool:
    """Whether ``line`` opens as a bio of one of the writers ``names`` (each a list of lower-case
    words): with the writer's whole name ("Joshua Waller has been reviewing cameras ...", "Amit
    Samsukha, CTO at ..."), or the first name and a verb ("Sam is the VP of Marketing ...")."""
    words = [w.lower() for w in _OPENING_WORDS.findall(line[:120])]
    return any(words[:len(n)] == n or len(n) > 1 and words[:1] == n[:1] and words[1:2] and words[1] in _BIO_VERBS
               for n in names)


def _edge_lines(lines: list[str], sources: list[etree._Element | None], box: etree._Element,
                names: list[list[str]] = ()) -> set[int]:
    """The edge lines from outside the article's container (see the module's doc); none when
    they are all the lines or over ``EDGE_MAX_SHARE`` of the body. At the tail, a paragraph of
    prose that opens as a bio of a writer of ``names`` (``_bio_of``) goes too: the writer's box
    after the body, however its class reads (a hashed class, or one no cue knows)."""
    box_line = [box, *box.iterancestors()]
    box_at = {a: i for i, a in enumerate(box_line)}

    def outside(i: int) -> bool:
        el = sources[i]
        if el is None or el is box:
            return False
        line = [el, *el.iterancestors()]
        at = next(k for k, a in enumerate(line) if a in box_at)   # the nearest common ancestor
        if line[at] is box:
            return False
        # the branches under it: a twin of the container's (same tag and name) is the article's
        mine, theirs = line[at - 1] if at else el, box_line[box_at[line[at]] - 1]
        return not (mine.tag == theirs.tag and _name(mine) == _name(theirs))

    gone: set[int] = set()
    i = 0
    while i < len(lines) and (sources[i] is None or outside(i)):
        if sources[i] is not None and _label(lines[i], sources[i]):
            gone.add(i)
        i += 1
    end = len(lines)
    while end > 0 and (len(lines[end - 1]) < PROSE_CHARS or _bio_of(lines[end - 1], names) and outside(end - 1)):
        if outside(end - 1):
            end -= 1
            gone.add(end)
            continue
        # lines no element opens (a <br> split) go with the outside line above them where its
        # element holds their text and is no paragraph of prose as a whole: "Next article:
        # ...<br>Previous article: ...<br>Blog index", a contact card's lines
        k = end
        while k > 0 and sources[k - 1] is None:
            k -= 1
        if k == end or k == 0 or not outside(k - 1):
            break
        held = flat_text(sources[k - 1])
        if len(held) >= PROSE_CHARS or not all(" ".join(lines[j].split()) in held for j in range(k - 1, end)):
            break
        gone.update(range(k - 1, end))
        end = k - 1
    if len(gone) == len(lines) or sum(len(lines[i]) for i in gone) > EDGE_MAX_SHARE * sum(map(len, lines)):
        return set()
    return gone


def drop_outside_edges(tree: etree._Element, lines: list[str], *, asides: bool = False,
                       opened: Openings | None = None, placed: Placed | None = None,
                       authors: Iterable[str] = ()) -> tuple[list[str], int, int]:
    """``lines`` without the edge lines that come from outside the article's container (see the
    module's doc) and, with ``asides``, without the lines of a sidebar or a dialog beside it
    (``_aside_lines``), both found on one placement of the lines; the characters each removed.
    ``opened``, ``placed``: see :func:`placed_lines`; ``authors``: the article's writers, whose
    bio after the body goes (``_edge_lines``)."""
    if len(lines) < 3:
        return lines, 0, 0
    sources, shown = placed_lines(tree, lines, opened, placed)
    box = container(sources, lines)
    if box is None:
        return lines, 0, 0
    names = [n for n in ([w.lower() for w in _OPENING_WORDS.findall(a)] for a in authors) if 1 <= len(n) <= 5]
    edges = _edge_lines(lines, sources, box, names)
    aside = _aside_lines(lines, sources, shown, box) - edges if asides else set()
    if not edges and not aside:
        return lines, 0, 0
    gone = edges | aside
    return ([s for i, s in enumerate(lines) if i not in gone], sum(len(lines[i]) for i in edges),
            sum(len(lines[i]) for i in aside))
