"""Paragraphs of prose the extraction skipped between two of its lines: callouts, pull quotes,
notes and "embed" blocks of the article's own text (``prose_filled``)."""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable

import lxml.etree as etree

from newsclean.cleaners import dom
from newsclean.cleaners.body_lines import blocks
from newsclean.cleaners.extraction import wild_text
from newsclean.cleaners.extraction.recall.matching import _block_line, _line_index, _lines_with, words_of
from newsclean.cleaners.body_lines.lines import normalize_lines


#: A paragraph put back between two consecutive lines (``prose_filled``) is prose: this long,
#: ending a sentence, mostly outside links.
GAP_PROSE_MIN_CHARS = 100
GAP_PROSE_MAX_LINKS = 0.3
#: ... in a block (its topmost container below the two lines' common one) of at most this much
#: text: a callout, a quote, a note; not a whole embedded story or a review list.
GAP_BOX_MAX_CHARS = 1000
#: ... and only when all that is put back adds this share to the text: a page that lost a run of
#: its own callouts (each a few hundred characters), not one box beside a news story.
GAP_MIN_GAIN = 0.2
#: Ancestors (class or id) that mark a block as the page's, not the article's, between the lines.
#: Not dom's vocabulary (``_name_kinds``): the blocks its widget names mark are pruned before this
#: runs (unless they hold prose), and its image names drop only a small block with a picture. These
#: name blocks the pruning keeps, as they may wrap the article (a slide, a footer, a hidden tab), or
#: lines it keeps (an author's, a credit, a caption without a picture), in any part of a name.
#: Its slide and caption words are wild_text's page chrome (``SLIDES_AND_CAPTIONS``); the rest of
#: ``PAGE_CHROME`` (dialogs, reviews) names blocks trafilatura discards, not ancestors between its lines.
GAP_NOT_ARTICLE = re.compile("|".join((*wild_text.SLIDES_AND_CAPTIONS, r"(?:^|[\s_-])cta", "call-?to-?action", "author",
                                       "footer", "copyright", "hidden", "affiliate", "menu", "disclosure", "credit")), re.I)
_NOT_PROSE_TAGS = frozenset({"tr", "pre", "figcaption", *dom.HEADINGS})
_NOT_PROSE_AROUND = frozenset({"form", "button", "label", "select", "pre", "code", "figcaption"})


#: Blocks found between two lines, each with its text (whitespace collapsed).
_Found = list[tuple[etree._Element, str]]


def prose_filled(tree: etree._Element, text: str) -> str:
    """``text`` with the paragraphs of prose that sit, in the page, between two elements whose
    texts are consecutive lines of ``text`` and that the extraction skipped: callouts, pull
    quotes, notes and "embed" blocks of the article's own text (trafilatura drops a container by
    its class name: "w-embed", "special-container", "quote-embed"). Evidence that the block is
    the article's: unlinked prose of some length ending a sentence, not under a link, not said
    twice on the page (a carousel's captions), not in a caption, form or code block nor under a
    name in ``GAP_NOT_ARTICLE``, in a block of callout size whose kind (tag and class) recurs
    among the blocks put back, and enough of it (``GAP_MIN_GAIN``). A bare ``<div>`` of text
    (``_bare_divs``) needs no more than that its kind recurs, among these blocks or among all the
    divs the extraction skipped (``_skipped_div_kinds``), or that it is a card alone right between
    two of the body's paragraphs (``_card_between``), and that it lies in the article's container."""
    els = dom.line_blocks(tree)
    texts = [dom.flat_text(el) for el in els]
    flat = " ".join(text.split())
    skipped_kinds = functools.cache(lambda: _skipped_div_kinds(els, texts, flat))   # read at most once
    if not _may_gain(els, texts, text, flat):
        return text   # most pages stop here, before their blocks' words are read
    lines = normalize_lines(text)
    after, sources, cards = _gaps_after_lines(els, texts, text, lines)
    kinds = Counter(_block_kind(p) for found in after.values() for p, _ in found)
    put = _kept(after, lambda p: kinds[_block_kind(p)] >= 2)
    if _chars(put) < GAP_MIN_GAIN * len(text):
        # not enough prose of recurring kind: bare divs alone may come back, in the article's
        # container. A bare div's kind may recur among the divs skipped that are no prose of that
        # length (a short callout beside a long one)
        recurring = skipped_kinds()
        put = _kept(after, lambda p: kinds[_block_kind(p)] >= 2 or p.tag == "div" and (recurring[_block_kind(p)] >= 2
                                                                                       or p in cards))
        # the article's container is looked for only when there is something to put back
        put = _bare_divs(put, blocks.container(sources, lines)) if any(put.values()) else {}
        if not put:
            return text
    return _lines_with(lines, {i: [_block_line(p, t) for p, t in found] for i, found in put.items()})


def _may_gain(els: list[etree._Element], texts: list[str], text: str, flat: str) -> bool:
    """Whether ``prose_filled`` could put anything back, by what is cheap to read: the long blocks
    whose text the extraction (``flat``) does not hold add at least ``GAP_MIN_GAIN`` of ``text``,
    or one of them is a bare div of prose (``_bare_prose``: two of a kind, or a card alone between
    two paragraphs, may come back)."""
    missing = [(el, t) for el, t in zip(els, texts) if len(t) >= GAP_PROSE_MIN_CHARS and t not in flat]
    return sum(len(t) for _, t in missing) >= GAP_MIN_GAIN * len(text) or any(_bare_prose(el, t) for el, t in missing)


class _BlockWords:
    """The words (``words_of``) of the page's blocks, read only where needed: a block that is a line
    of the extraction has that line's; the words of the text, and how often each block's are said
    on the page, only for a block between two lines that is prose (``pending``)."""

    def __init__(self, texts: list[str], text: str, line_keys: dict[str, str]) -> None:
        self._texts = texts
        self._text = text
        self._line_keys = line_keys
        self._keys: list[str | None] = [None] * len(texts)
        self._seen: Counter[str] | None = None
        self._words = ""

    def key(self, n: int) -> str:
        """The words of block ``n``."""
        key = self._keys[n]
        if key is None:
            t = self._texts[n]
            key = self._keys[n] = self._line_keys[t] if t in self._line_keys else words_of(t) if t else ""
        return key

    def pending(self, n: int) -> bool:
        """Whether block ``n`` is said once on the page, and not in the extraction's words: a
        carousel's captions, said twice, stay out."""
        if self._seen is None:
            self._seen = Counter(self.key(m) for m in range(len(self._texts)))
            self._words = words_of(self._text)
        key = self.key(n)
        return key not in self._words and self._seen[key] == 1


def _gaps_after_lines(els: list[etree._Element], texts: list[str], text: str,
                      lines: list[str]) -> tuple[dict[int, _Found], list[etree._Element | None], set[etree._Element]]:
    """Walk the page's blocks ``els`` in order: for each line of ``text`` that the next one
    follows on the page, the prose blocks (``_gap_prose``, ``_BlockWords.pending``) between
    them; and where each line is in the page (its first element), for ``blocks.container``.
    Where the lines come twice on the page (a repeat below the story), the blocks found after a
    line are those of its last run that holds a pending block."""
    line_keys = {line: words_of(line) for line in lines}
    at = _line_index(lines, line_keys)
    words = _BlockWords(texts, text, line_keys)
    after: dict[int, _Found] = {}   # a line -> the blocks (and texts) after it
    sources: list[etree._Element | None] = [None] * len(lines)   # where each line is in the page
    last: int | None = None
    last_el: etree._Element | None = None
    between: list[int] = []   # blocks since the last line that are no line
    cards: set[etree._Element] = set()
    for n, el in enumerate(els):
        key = words.key(n)
        if not key:
            continue
        i = at.get(key)
        if i is None:
            if last is not None:
                between.append(n)
            continue
        if between and i == last + 1:
            around = set(last_el.iterancestors())
            common = next((a for a in el.iterancestors() if a in around), None)
            found = [(els[m], texts[m]) for m in between if _gap_prose(els[m], texts[m], common) and words.pending(m)]
            if len(found) == 1 and _card_between(found[0][0], last_el, el, common):
                cards.add(found[0][0])
            # an empty list replaces what an earlier run after the same line found only when some
            # block between was pending
            if found or (after.get(last) and any(words.pending(m) for m in between)):
                after[last] = found
        if sources[i] is None:
            sources[i] = el
        between = []
        last, last_el = i, el
    return after, sources, cards


def _card_between(p: etree._Element, before: etree._Element, after: etree._Element,
                  common: etree._Element | None) -> bool:
    """Whether ``p``'s box (its topmost ancestor below ``common``) sits right between the two
    lines' own elements, children of ``common`` both: one card in the run of the body's
    paragraphs (Ghost's ``kg-callout-card``, a note between two paragraphs)."""
    if common is None or before.getparent() is not common or after.getparent() is not common:
        return False
    box = next((a for a in [p, *p.iterancestors()] if a.getparent() is common), None)
    return box is not None and box.getprevious() is before and box.getnext() is after


def _kept(after: dict[int, _Found], keep: Callable[[etree._Element], bool]) -> dict[int, _Found]:
    return {i: [(p, t) for p, t in found if keep(p)] for i, found in after.items()}


def _chars(put: dict[int, _Found]) -> int:
    return sum(len(t) for found in put.values() for _, t in found)


#: A div the extraction skipped counts towards its kind's recurrence (``_skipped_div_kinds``) from
#: this many characters: a short callout or note, not a label.
SKIPPED_DIV_MIN_CHARS = 40


def _skipped_div_kinds(els: list[etree._Element], texts: list[str], flat: str) -> Counter[tuple[str, ...]]:
    """The kinds (``_block_kind``) of the ``<div>`` blocks of text the extraction (``flat``, its
    text with whitespace collapsed) skipped, each at least ``SKIPPED_DIV_MIN_CHARS`` long: a
    bare div of prose whose kind recurs here is one of the article's callouts even where the
    others of its kind are too short or end without a full stop to be put back themselves."""
    return Counter(_block_kind(el) for el, t in zip(els, texts)
                   if el.tag == "div" and len(t) >= SKIPPED_DIV_MIN_CHARS and t not in flat)


def _bare_prose(el: etree._Element, txt: str) -> bool:
    """Whether a block missing from the extraction may be put back as a bare div of prose, by
    what is cheap to read: a div of callout size ending a sentence, mostly outside links
    (``_bare_divs``; two of one kind are needed)."""
    return el.tag == "div" and len(txt) <= GAP_BOX_MAX_CHARS and dom.SENTENCE_END.search(txt) is not None \
        and dom.link_text_len(el) <= GAP_PROSE_MAX_LINKS * len(txt)


def _bare_divs(put: dict[int, list[tuple[etree._Element, str]]],
               box: etree._Element | None) -> dict[int, list[tuple[etree._Element, str]]]:
    """Of the blocks ``prose_filled`` would put back, the bare ``<div>`` elements of text (no
    paragraph, list or heading inside) in the article's container ``box``: trafilatura skips a
    div of text by its tag alone where the container holds enough ``<p>`` text (a callout, a
    note, an answer, a ranked item's description), so these need not add a fifth to the text; a
    card beside the article (a calculator's pitch under the story) is outside its container."""
    if box is None:
        return {}
    out = {i: [(p, t) for p, t in found if p.tag == "div" and any(a is box for a in p.iterancestors())]
           for i, found in put.items()}
    return {i: found for i, found in out.items() if found}


def _gap_prose(el: etree._Element, txt: str, common: etree._Element | None) -> bool:
    """Unlinked prose (``txt``, the element's text with its whitespace collapsed) in a
    callout-sized block below ``common``, nothing around it naming it the page's (see
    ``prose_filled``)."""
    if el.tag in _NOT_PROSE_TAGS or len(txt) < GAP_PROSE_MIN_CHARS or not dom.SENTENCE_END.search(txt) \
            or dom.link_text_len(el) > GAP_PROSE_MAX_LINKS * len(txt):
        return False
    box = el
    for a in [el, *el.iterancestors()]:
        if a is common:
            break
        if a.tag == "a" or a.tag in _NOT_PROSE_AROUND or GAP_NOT_ARTICLE.search(f"{a.get('class') or ''} {a.get('id') or ''}"):
            return False
        box = a
    n = dom.text_len(box)
    return n <= GAP_BOX_MAX_CHARS and dom.link_text_len(box) <= GAP_PROSE_MAX_LINKS * n \
        and box.find(".//a//img") is None


def _block_kind(el: etree._Element) -> tuple[str, ...]:
    """The tag and the nearest class of a block put back: the article's own callouts share one."""
    for a in [el, *el.iterancestors()]:
        if cls := (a.get("class") or "").strip():
            return el.tag, a.tag, cls
    return (el.tag,)
