"""``clean_html``: one page of HTML in, an :class:`Article` or a :class:`Rejected` out.

Pipeline (each step small and named; :class:`_Run` counts what each step removed)::

    decode (cleaners.encoding) -> bound -> parse (once) -> metadata -> not_article gate -> prune (site rules,
    widgets, account gates, titled blocks, link-dense blocks) -> templates.prune_tree -> extract (trafilatura
    on the shared tree; again, with them spared, where the blocks it discarded by class name held
    more article prose than it kept (cleaners.extraction.wild_text); where it found no article container, its lists and subheadings put back,
    JSON-LD articleBody and body_selector as evidence; a short result, or one shorter than a list
    the pruning dropped, is checked against trafilatura on a fresh, unpruned parse) -> leading heads ->
    edge lines from outside the article's container (cleaners.blocks; again once a repeated run goes) -> line rules ->
    trailing trim -> templates.filter_lines -> normalize -> the tail run the page's own data lacks
    (cleaners.page_data) -> gates (too_short) -> language

A page rejected for no body (``extract_failed``, ``too_short``) is cleaned once more with the
article markup it streams in script data, if any (:mod:`cleaners.extraction.streamed`; method
``streamed+...``).

Time bound: the input size is bounded (``max_bytes``), the parsed tree is bounded in elements
before any heuristic walks it (``max_nodes``: over the bound -> ``too_large``; libxml2 caps the
nesting depth at 256), and the ``timeout`` is checked between steps (-> ``timeout``). Called on the
main thread (the Python API, the crawl's workers), a step that runs past it is interrupted too: a
CPU-time timer (``SIGPROF``, unless someone else uses it) raises inside the step. Elsewhere a step is
not interrupted, and a hard, kill-based bound is the crawler's worker pool's job. The timeout is CPU
time of the cleaning thread, not wall-clock time: a page must not be rejected because the machine is busy.
"""

from __future__ import annotations

import bisect
import copy
import functools
import re
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import lxml.etree as etree
import trafilatura
from trafilatura.settings import Extractor

from newsclean.cleaners import blocks, dom, lines as line_rules, page_data
from newsclean.cleaners.lines import normalize_lines
from newsclean.cleaners.extraction import readability_gate, repeat_passes, streamed, wild_text, xpath_guard
from newsclean.cleaners.learned import linescore
from newsclean.cleaners.encoding import decode, looks_binary
from newsclean.cleaners.metadata import Metadata, extract_metadata, fill_dates
from newsclean.cleaners.metadata.language import _language, declared_language
from newsclean.cleaners.mojibake import _with_mojibake_mended, repair_mojibake
from newsclean.cleaners.parsing import (MAX_DEPTH, MAX_TAG_ATTRIBUTES, crowded_tag, cut_at_depth, parse, parse_utf8,
                                        parser_input)
from newsclean.cleaners.trees import first_descendant
from newsclean.cleaners.types import Article, CleanResult, Rejected, SiteRules
from newsclean.cleaners.vocabulary import is_boilerplate_heading

if TYPE_CHECKING:
    from newsclean.cleaners.learned.templates import SiteTemplates


@dataclass(frozen=True, slots=True)
class CleanOptions:
    """Bounds and switches of ``clean_html`` (plain values; one shared default instance)."""

    max_bytes: int = 8_000_000
    max_nodes: int = 150_000
    use_htmldate: bool = True
    detect_language: bool = True
    #: The learned block scorer over text and markup (:mod:`newsclean.cleaners.learned.linescore`) as the
    #: last body step (docs/quality.md, "Learned block scorer over text and markup": on, 1.2 ms a page).
    score_lines: bool = True
    #: The tail run the page's embedded data lacks, after lines it holds, cut (:mod:`newsclean.cleaners.page_data`).
    data_tail: bool = True


#: Read nothing when built: the line model is read at the first page cleaned with the scorer on
#: (:func:`clean_html`). Read here at import, a broken model file broke ``import newsclean.cleaners.core``
#: itself, for ``clean_text`` and ``score_lines=False`` users too.
DEFAULT_OPTIONS = CleanOptions()


# One trafilatura options object, built once; read-only. dedup off: its LRU is global state.
# Its comparison with readability runs only where readability could win (same output).
_EXTRACTOR = readability_gate.gate(
    Extractor(output_format="python", comments=False, tables=True, dedup=False, with_metadata=False))


class _Timeout(BaseException):
    """The time bound passed. A BaseException: raised inside a step by the timer, it must not be
    taken for the step's own failure by the ``except Exception`` of trafilatura or of a fallback."""


class _Run:
    """Per-call state: the deadline (CPU time of this thread), the last step done and the
    characters removed per step."""

    def __init__(self, timeout: float) -> None:
        self.deadline = time.thread_time() + timeout
        self.done = "start"
        self.removed: dict[str, int] = {}
        self.cut_deep = False   # the parse stopped at libxml2's nesting bound (see cut_at_depth)

    def count(self, step: str, chars: int) -> None:
        if chars:
            self.removed[step] = self.removed.get(step, 0) + chars

    def check(self, step: str) -> None:
        if time.thread_time() > self.deadline:
            raise _Timeout(f"after step {step}")
        self.done = step


#: The longest the CPU timer is armed for at once, in seconds: setitimer refuses ~1e10 and more (a
#: timeout of inf rejected every page as an OverflowError); the timer's handler arms it again.
TIMER_MAX = 365 * 24 * 3600.0


@contextmanager
def _interrupt_at_deadline(run: _Run) -> Iterator[None]:
    """Raise :class:`_Timeout` inside whatever step is running when ``run``'s deadline passes:
    a CPU-time timer (ITIMER_PROF counts the process's CPU; the handler re-arms itself until this
    thread's own CPU time is up). Only on the main thread (signals are delivered there) and when
    no one else has a SIGPROF handler or timer; otherwise nothing is armed."""
    if (not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGPROF) not in (signal.SIG_DFL, None)
            or signal.getitimer(signal.ITIMER_PROF) != (0.0, 0.0)):
        yield
        return

    def on_timer(signum: int, frame: Any) -> None:
        left = run.deadline - time.thread_time()
        if left > 0:   # other threads' CPU counted too: not this thread's time yet
            signal.setitimer(signal.ITIMER_PROF, min(max(left, 0.001), TIMER_MAX))
            return
        raise _Timeout(f"in the step after {run.done} (interrupted)")

    previous = signal.signal(signal.SIGPROF, on_timer)
    try:
        signal.setitimer(signal.ITIMER_PROF, min(max(run.deadline - time.thread_time(), 0.001), TIMER_MAX))
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def _is_listing(md: Metadata, tree: etree._Element, body: list[str]) -> bool:
    """Conservative: the page calls itself a website (not an article), has no article JSON-LD,
    many links, and what was extracted is short teaser lines rather than prose."""
    if md.has_article_ld or (md.og_type or "").lower() != "website":
        return False
    if sum(1 for _ in tree.iter("a")) < 40:
        return False
    prose = sum(1 for s in body if len(s) >= 200)
    mean_len = sum(len(s) for s in body) / max(1, len(body))
    return prose == 0 and mean_len < 80


def drop_scripts(tree: etree._Element) -> None:
    """Remove scripts and styles (their tails stay), except JSON-LD: no step of trafilatura reads
    them as text (its cleaning, readability and jusText drop them) but it copied the tree with
    them up to four times (scripts are most of the characters of many pages). JSON-LD stays:
    trafilatura's baseline and forum check read it."""
    for el in list(tree.iter("script", "style")):
        if el.tag == "style" or el.get("type") != "application/ld+json":
            el.drop_tree()


#: The same options with recall focus: for pages where trafilatura found no article container.
_RECALL_EXTRACTOR = Extractor(output_format="python", comments=False, tables=True, dedup=False,
                              with_metadata=False, recall=True)


def _extract(tree: etree._Element) -> str:
    drop_scripts(tree)
    # every extraction of the page with trafilatura's XPaths guarded: elements without a class or
    # id answered in C (the same answers); the lists swapped once, not once an extraction; and
    # trafilatura's link-density passes not run again on a tree they left unchanged
    with xpath_guard.guarded(), repeat_passes.unrepeated():
        text, discarded_prose = _trafilatura_text(tree)
    if not text:
        return text
    text = _prose_filled(tree, text)
    # a toggle's pane is looked for only where trafilatura discarded a block of prose of its size
    # (by a class or a style that hides it): most pages have toggles, few lose a pane
    return _toggled_filled(tree, text) if discarded_prose else text


def _lines_with(lines: list[str], after: dict[int, list[str]]) -> str:
    """``lines`` as a text, each followed by the lines ``after`` puts back after it."""
    return "\n".join(x for i, line in enumerate(lines) for x in (line, *after.get(i, ())))


def _block_line(el: etree._Element, text: str) -> str:
    """A block's text as a line of the extraction: a list item's with its mark."""
    return f"- {text}" if el.tag == "li" else text


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
    text, where the pane reads as prose the extraction lacks (``said()``: its words, ``_words``,
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
        if (key := _words(t)) and key not in said():
            out.append((el, t))
    missing = sum(len(t) for _, t in out)
    return out if missing >= TOGGLED_PANE_MIN_CHARS and missing >= TOGGLED_PANE_MISSING * len(txt) else []


def _toggled_filled(tree: etree._Element, text: str) -> str:
    """``text`` with the panes toggles hide (an accordion's answers, a "Read more" pane: a class
    trafilatura discards, `` hidden``, or a style) that the extraction lacks, each put in after the
    line before it on the page, in the article's container or in a block beside it with that line
    (a FAQ's section under its kept heading), never before the first line nor after the article in
    the page's wrapper; the toggle's title before it where it asks or several differ (an FAQ's
    questions, not a lone "Read more"). A dialog, a menu, links stay out (``_pane_blocks``)."""
    panes = _toggled_panes(tree)
    if not panes:
        return text
    said = functools.cache(lambda: _words(text))
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
        if head and (titled or head.endswith("?")) and _words(head) not in said():
            add.append(head)
        add += [_block_line(el, t) for el, t in new]
    return _lines_with(lines, put) if put else text


#: The merged containers' prose paragraphs (this long at least) the extraction must hold this
#: share of (by characters) for the merge to stand without the page as it was extracted too.
MERGED_PROSE_CHARS = 80
MERGED_HELD_SHARE = 0.8


def _holds_merged(text: str, grown: list[etree._Element]) -> bool:
    """Whether ``text`` holds the prose of the containers ``dom.merge_split_bodies`` grew: where
    it does, the merge did what it is for (on most pages that merge), and the page as it was is
    not extracted again. A paragraph counts once for each grown container holding it (they nest:
    a container grown inside another); its text is read and looked for once."""
    times: dict[etree._Element, int] = {}
    for box in grown:
        for p in box.iter("p", "li"):
            times[p] = times.get(p, 0) + 1
    paras: list[tuple[int, str]] = []
    total = 0
    for p, k in times.items():
        para = dom.flat_text(p)
        if len(para) >= MERGED_PROSE_CHARS:
            total += k * len(para)
            paras.append((k * len(para), para[:MERGED_PROSE_CHARS]))
    need = MERGED_HELD_SHARE * total
    flat = " ".join(text.split())
    held = missed = 0
    for chars, start in paras:
        if held >= need or total - missed < need:
            break   # the answer is known: the rest cannot change it
        if start in flat:
            held += chars
        else:
            missed += chars
    return held >= need


def _longer_extraction(tree: etree._Element, text: str, other: etree._Element) -> tuple[etree._Element, str]:
    """``tree`` and its extracted ``text``, or ``other`` (the same page before
    ``dom.merge_split_bodies``) and its text where that is longer."""
    again = _extract(other)
    return (other, again) if len(again) > len(text) else (tree, text)


def _trafilatura_text(tree: etree._Element) -> tuple[str, bool]:
    """trafilatura's text of the page, extracted again where its own evidence shows a loss, and
    whether its discard-by-name pruning removed a block of prose a toggle's pane may be
    (``TOGGLED_PANE_MIN_CHARS``)."""
    with wild_text.recovered() as no_container, wild_text.discarded() as discarded_prose:
        doc = trafilatura.bare_extraction(tree, options=_EXTRACTOR)
    text = (doc.text or "") if doc is not None else ""
    if discarded_prose(DISCARDED_PROSE_GAIN * max(len(text), DISCARDED_PROSE_MIN_CHARS)):
        text, no_container = _spared(tree, text, no_container)
    elif discarded_prose(RECURRING_PROSE_MIN_CHARS, RECURRING_BLOCK_CHARS, recurring=True):
        text = _recurring_filled(tree, text)
    if no_container():
        # Its last-resort recovery kept the paragraphs only: the article's lists between them
        # were lost. With recall focus it takes lists too (an extraction does not change the
        # tree: the second one sees what the first saw). Only list items are taken from it: a
        # page without any has none to give, and is not extracted again.
        again = trafilatura.bare_extraction(tree, options=_RECALL_EXTRACTOR) if _has_list_items(tree) else None
        if again is not None and again.text:
            text = _gaps_filled(text, again.text) or text
        # nor does either mode recover headings: the subheadings between its lines are put back
        text = _headings_filled(tree, text)
    return text, discarded_prose(TOGGLED_PANE_MIN_CHARS, TOGGLED_PANE_MIN_CHARS)


#: The prose of the blocks trafilatura discarded by name (``wild_text.discarded``) must reach this
#: share of the extracted text (and of this many characters) for the page to be extracted again
#: with them spared.
DISCARDED_PROSE_GAIN = 0.5
DISCARDED_PROSE_MIN_CHARS = 1000


def _spared(tree: etree._Element, text: str, no_container: Callable[[], bool]) -> tuple[str, Callable[[], bool]]:
    """``text`` extracted again with the blocks of prose that trafilatura discarded by their class
    name spared where they lie in the article's region: the element holding most of the first
    extraction's text (``blocks.container``), or its parent when that text is short (a lead alone:
    the article is beside it), and what follows the headline it kept when that lies outside
    (``_under_headline``). A cookie dialog or a banner elsewhere on the page stays out; ``text``
    as it was when the second extraction gives no more."""
    regions = _article_regions(tree, normalize_lines(text), len(text))
    if regions is None:
        return text, no_container
    with wild_text.recovered() as ran, wild_text.sparing_prose(*regions):
        again = trafilatura.bare_extraction(tree, options=_EXTRACTOR)
    if again is None or len(again.text or "") <= len(text):
        return text, no_container
    return again.text, ran


def _article_regions(tree: etree._Element, lines: list[str], chars: int) -> list[etree._Element] | None:
    """Where the article lies for a second extraction to spare what it discarded (``_spared``,
    ``_recurring_filled``): the element holding most of the extraction's ``lines``
    (``blocks.container``), or its parent when their ``chars`` are few, and what follows the
    headline kept when that lies outside (``_under_headline``); None when the lines hold no container."""
    sources = blocks.line_sources(tree, lines)
    box = blocks.container(sources, lines)
    if box is None:
        return None
    # a short extraction (a lead, a summary) is one block of the article: the article is around it
    region = box.getparent() if chars < DISCARDED_PROSE_MIN_CHARS and box.getparent() is not None else box
    return _under_headline(region, sources)


#: Where less than that was discarded, blocks of prose (this long at least) of a kind two of them
#: share (accordion panes, product cards, pull quotes), this much in all, ...
RECURRING_BLOCK_CHARS = 150
RECURRING_PROSE_MIN_CHARS = 500


def _recurring_filled(tree: etree._Element, text: str) -> str:
    """``text`` with what a second extraction gives between two of its consecutive lines when it
    spares the blocks of prose of a recurring kind (``RECURRING_BLOCK_CHARS``) that trafilatura
    discarded by name in the article's region (as ``_spared`` finds it): the article's panes or
    cards put back in their place, one by one, never before or after the article (teasers, a
    footer's text), nor a box of a kind of its own (a fact box, a newsletter's pitch)."""
    lines = normalize_lines(text)
    regions = _article_regions(tree, lines, len(text))
    if regions is None:
        return text
    with wild_text.sparing_prose(*regions, block_chars=RECURRING_BLOCK_CHARS, recurring=True):
        again = trafilatura.bare_extraction(tree, options=_EXTRACTOR)
    if again is None or len(again.text or "") <= len(text):
        return text
    return _between_filled(lines, normalize_lines(again.text)) or text


def _between_filled(mine: list[str], theirs: list[str],
                    wanted: Callable[[str], bool] = lambda line: True) -> str | None:
    """``mine`` with the ``wanted`` lines ``theirs`` holds between two of its consecutive lines
    (none before its first line or after its last: a page's header, teasers, footer); None when it
    adds none. Lines are matched by their words: in a list now, a line gains its "- "."""
    keys = {_words(line) for line in mine}
    where = _line_index(theirs)
    out: list[str] = []
    last: int | None = None   # where the previous line of ``mine`` is in ``theirs``
    for line in mine:
        at = where.get(_words(line))
        if at is not None and (last is None or at > last):
            if last is not None:
                out += [t for t in theirs[last + 1:at] if wanted(t) and _words(t) not in keys]
            last = at
        out.append(line)
    return "\n".join(out) if len(out) > len(mine) else None


def _under_headline(region: etree._Element, sources: list[etree._Element | None]) -> list[etree._Element]:
    """``region``, and where the headline (an ``h1``) the extraction kept lies outside it, what
    follows that headline up to their common ancestor: where most of what the extraction kept is
    a box beside the article (a promotion, a form), the article is under its headline, not in
    that box. Never what stands above the headline (a site's banner)."""
    h1 = next((el for el in sources if el is not None and el.tag == "h1"), None)
    if h1 is None or any(a is region for a in h1.iterancestors()):
        return [region]
    common = {*region.iterancestors()}
    after: list[etree._Element] = [region]
    for el in (h1, *h1.iterancestors()):
        if el in common:
            break
        after += el.itersiblings()
    return after


#: A paragraph put back between two consecutive lines (``_prose_filled``) is prose: this long,
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


def _prose_filled(tree: etree._Element, text: str) -> str:
    """``text`` with the paragraphs of prose that sit, in the page, between two elements whose
    texts are consecutive lines of ``text`` and that the extraction skipped: callouts, pull
    quotes, notes and "embed" blocks of the article's own text (trafilatura drops a container by
    its class name: "w-embed", "special-container", "quote-embed"). Evidence that the block is
    the article's: unlinked prose of some length ending a sentence, not under a link, not said
    twice on the page (a carousel's captions), not in a caption, form or code block nor under a
    name in ``GAP_NOT_ARTICLE``, in a block of callout size whose kind (tag and class) recurs
    among the blocks put back, and enough of it (``GAP_MIN_GAIN``). A bare ``<div>`` of text
    (``_bare_divs``) needs no more than that its kind recurs, among these blocks or among all the
    divs the extraction skipped (``_skipped_div_kinds``), and that it lies in the article's container."""
    els = dom.line_blocks(tree)
    texts = [dom.flat_text(el) for el in els]
    flat = " ".join(text.split())
    skipped_kinds = functools.cache(lambda: _skipped_div_kinds(els, texts, flat))   # read at most once
    if not _may_gain(els, texts, text, flat, skipped_kinds):
        return text   # most pages stop here, before their blocks' words are read
    lines = normalize_lines(text)
    after, sources = _gaps_after_lines(els, texts, text, lines)
    kinds = Counter(_block_kind(p) for found in after.values() for p, _ in found)
    put = _kept(after, lambda p: kinds[_block_kind(p)] >= 2)
    if _chars(put) < GAP_MIN_GAIN * len(text):
        # not enough prose of recurring kind: bare divs alone may come back, in the article's
        # container. A bare div's kind may recur among the divs skipped that are no prose of that
        # length (a short callout beside a long one)
        recurring = skipped_kinds()
        put = _kept(after, lambda p: kinds[_block_kind(p)] >= 2 or p.tag == "div" and recurring[_block_kind(p)] >= 2)
        # the article's container is looked for only when there is something to put back
        put = _bare_divs(put, blocks.container(sources, lines)) if any(put.values()) else {}
        if not put:
            return text
    return _lines_with(lines, {i: [_block_line(p, t) for p, t in found] for i, found in put.items()})


def _may_gain(els: list[etree._Element], texts: list[str], text: str, flat: str,
              skipped_kinds: Callable[[], Counter[tuple[str, ...]]]) -> bool:
    """Whether ``_prose_filled`` could put anything back, by what is cheap to read: the long blocks
    whose text the extraction (``flat``) does not hold add at least ``GAP_MIN_GAIN`` of ``text``,
    or a bare div of prose among them (``_bare_prose``) is two of a kind, among them or among all
    the divs the extraction skipped (``_skipped_div_kinds``)."""
    missing = [(el, t) for el, t in zip(els, texts) if len(t) >= GAP_PROSE_MIN_CHARS and t not in flat]
    bare = Counter(_block_kind(el) for el, t in missing if _bare_prose(el, t))
    if sum(len(t) for _, t in missing) >= GAP_MIN_GAIN * len(text) or max(bare.values(), default=0) >= 2:
        return True
    return bool(bare) and any(skipped_kinds()[kind] >= 2 for kind in bare)


class _BlockWords:
    """The words (``_words``) of the page's blocks, read only where needed: a block that is a line
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
            key = self._keys[n] = self._line_keys[t] if t in self._line_keys else _words(t) if t else ""
        return key

    def pending(self, n: int) -> bool:
        """Whether block ``n`` is said once on the page, and not in the extraction's words: a
        carousel's captions, said twice, stay out."""
        if self._seen is None:
            self._seen = Counter(self.key(m) for m in range(len(self._texts)))
            self._words = _words(self._text)
        key = self.key(n)
        return key not in self._words and self._seen[key] == 1


def _gaps_after_lines(els: list[etree._Element], texts: list[str], text: str,
                      lines: list[str]) -> tuple[dict[int, _Found], list[etree._Element | None]]:
    """Walk the page's blocks ``els`` in order: for each line of ``text`` that the next one
    follows on the page, the prose blocks (``_gap_prose``, ``_BlockWords.pending``) between
    them; and where each line is in the page (its first element), for ``blocks.container``.
    Where the lines come twice on the page (a repeat below the story), the blocks found after a
    line are those of its last run that holds a pending block."""
    line_keys = {line: _words(line) for line in lines}
    at = _line_index(lines, line_keys)
    words = _BlockWords(texts, text, line_keys)
    after: dict[int, _Found] = {}   # a line -> the blocks (and texts) after it
    sources: list[etree._Element | None] = [None] * len(lines)   # where each line is in the page
    last: int | None = None
    last_el: etree._Element | None = None
    between: list[int] = []   # blocks since the last line that are no line
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
            # an empty list replaces what an earlier run after the same line found only when some
            # block between was pending
            if found or (after.get(last) and any(words.pending(m) for m in between)):
                after[last] = found
        if sources[i] is None:
            sources[i] = el
        between = []
        last, last_el = i, el
    return after, sources


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
    """Of the blocks ``_prose_filled`` would put back, the bare ``<div>`` elements of text (no
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
    ``_prose_filled``)."""
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


#: What trafilatura renders as list items ("- " lines): the items of ul, ol and dl.
_LIST_ITEMS = ("li", "dd", "dt")


def _has_list_items(tree: etree._Element) -> bool:
    return next(tree.iter(_LIST_ITEMS), None) is not None


#: The text a subheading put back must open: a review's short part (a title and one sentence of
#: 100+ characters), not a call to action's line or two (150 lost short sections on 9 bench pages).
SECTION_MIN_CHARS = 100
#: ... and the last title put back the rest of the text: so many characters, with so many lines
#: of prose (of ``LAST_SECTION_LINE_CHARS`` or more) in them: a closing call to action is a line
#: under its title, a gallery's header a caption and a photo credit.
LAST_SECTION_MIN_CHARS = 300
LAST_SECTION_MIN_LINES = 2
LAST_SECTION_LINE_CHARS = 80


def _headings_filled(tree: etree._Element, text: str) -> str:
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
    keys = [_words(line) for line in lines]
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
            if title and last is not None and _words(title) not in where and not is_boilerplate_heading(title):
                pending.append((title, el.getparent(), _title_block(el), el.tag))
            continue
        span = _lines_of(_words(dom.text_of(el)), keys, where, last)
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


def _line_index(lines: list[str], keys: dict[str, str] | None = None) -> dict[str, int]:
    """Each line's words -> the index of its first line (``keys``: each line's words, where the
    caller has read them). A wordless line ('* * *') is left out: it would anchor any other
    wordless line or element (an empty <p>)."""
    at: dict[str, int] = {}
    for i, line in enumerate(lines):
        if key := (keys[line] if keys is not None else _words(line)):
            at.setdefault(key, i)
    return at


def _gaps_filled(text: str, again: str) -> str | None:
    """``text`` with the list items that ``again`` holds between two of its lines: what the first
    extraction skipped inside the article, not what a wider recovery adds before or after it (a
    page's header, teasers, footer) nor the loose lines it adds inside (a video playlist, a
    promo), which trafilatura renders without the "- " of a list item. None when it adds none."""
    return _between_filled(normalize_lines(text), normalize_lines(again), lambda line: line.startswith("- "))


def _baseline(tree: etree._Element) -> str:
    # trafilatura's own fallback for pages its main extractor rejects (e.g. very short articles).
    try:
        _, text, _ = trafilatura.baseline(tree)
    except Exception:  # noqa: BLE001
        return ""
    return text or ""


#: A pruned extraction under this many characters is checked against trafilatura on the page as
#: it came (a link-roundup post, a slideshow whose captions sit in links, a body in a container
#: named like a widget: pruning took the article and left its labels).
UNPRUNED_CHECK_CHARS = 500
#: ... and so is a longer one when a block the link-density pruning dropped held over this many
#: times its text outside links (an events roundup or a list of reviewed tools is the article:
#: its items' descriptions are the text; a menu has next to none).
UNPRUNED_DROPPED_RATIO = 2.0
#: ... and replaced when that gives this many times the text (and at least UNPRUNED_MIN_CHARS).
UNPRUNED_GAIN = 2.5
UNPRUNED_MIN_CHARS = 400


def _unpruned_fallback(data: bytes, body: list[str], dropped_prose: int = 0) -> list[str] | None:
    """Lines of trafilatura on a fresh parse of the page (nothing pruned), when the pruned
    extraction is short, or much shorter than the unlinked text of a block the pruning dropped
    (``dropped_prose``), and the unpruned one is several times longer; else None. Only such
    results pay for the second parse and extraction."""
    got = sum(len(s) for s in body)
    if got >= UNPRUNED_CHECK_CHARS and dropped_prose <= UNPRUNED_DROPPED_RATIO * got:
        return None
    tree = parse_utf8(data)
    if tree is None:
        return None
    alt = normalize_lines(_extract(tree))
    # Not a page flattened into a line or a few (trafilatura's own fallback on an unpruned page:
    # sidebar, teasers and e-paper links run into the article's text); a slideshow's captions
    # come as fewer lines than the pruned body's labels, but not as less than half as many.
    if len(alt) < max(2, len(body) // 2):
        return None
    # Measured without what a boilerplate heading opens, even as the first line: on a page with
    # no body of its own (an e-paper page: "Download PDF") the unpruned text is a sidebar's
    # "Must Read" teasers, which are not the article.
    n = sum(len(s) for s in line_rules.trim_trailing(alt, min_keep=0)[0])
    return alt if n >= UNPRUNED_MIN_CHARS and n >= UNPRUNED_GAIN * got else None


def _host(url: str) -> str | None:
    try:
        return urlsplit(url).hostname
    except ValueError:   # "http://[::1/x": a page from a bad address is still cleaned
        return None


def _tokens(s: str) -> set[str]:
    return set(re.findall(r"\w+", s.lower()))


# Markup some CMSs leave in articleBody: markdown links and emphasis, attribute lists
# ("{: .small}"), block markers ("+++dropcap").
_MD_LINK = re.compile(r"\[([^\]\n]{1,300})\]\((?:https?://|/)[^)\s]{0,500}\)")
_MD_ATTRS = re.compile(r"\{:[^}\n]{0,120}\}")
_MD_EMPH = re.compile(r"(?<!\w)[*_]{1,2}([^*_\n]{1,200})[*_]{1,2}(?!\w)")
#: A front-matter fence line ("+++"); its leading spaces are the line's own: ``^\s*`` was tried
#: from every line start over a run of blank lines (quadratic: 100,000 newlines in a JSON-LD
#: articleBody took minutes), and the blank lines it took with it go with the empty lines anyway.
_MD_MARKER = re.compile(r"^[^\S\n]*\+{3}[\w-]*\s*$", re.M)


def _plain_ld_body(ld_body: str) -> str:
    text = _MD_MARKER.sub("", ld_body)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_ATTRS.sub("", text)
    return _MD_EMPH.sub(r"\1", text)


def _reconcile_jsonld(text: str, ld_body: str | None) -> tuple[str, str]:
    """Use JSON-LD articleBody when trafilatura missed most of it (its own body was elsewhere)."""
    if not ld_body or len(ld_body) < 400:
        return text, "trafilatura"
    ld = _tokens(ld_body)
    got = _tokens(text)
    if ld and len(ld & got) < 0.5 * len(ld):
        return _plain_ld_body(ld_body), "trafilatura+jsonld-body"
    return text, "trafilatura"


def _body_selector_text(tree: etree._Element, selector: str | None) -> str:
    if not selector:
        return ""
    try:
        from lxml.cssselect import CSSSelector
        found = CSSSelector(selector)(tree)
    except Exception:  # noqa: BLE001 — a bad selector must not fail the page
        return ""
    return "\n".join(_block_lines(el) for el in found)


def _block_lines(el: etree._Element) -> str:
    """Text of an element with one line per block element (the baseline's rendering)."""
    out: list[str] = []
    for p in el.iter("p", "h2", "h3", "h4", "li", "blockquote"):
        t = " ".join("".join(p.itertext()).split())
        if t:
            out.append(t)
    if not out:
        out.append(" ".join("".join(el.itertext()).split()))
    return "\n".join(out)


_WORD = re.compile(r"\w+")


def _words(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _contains(lines: list[str], text: str) -> bool:
    return _words(text) in _words("\n".join(lines))


def _title_line_drop(body: list[str], title: str | None) -> list[str]:
    # trafilatura sometimes repeats the headline as the first line; it is metadata, not body.
    if body and title:
        first, t = body[0].strip(), title.strip()
        if first.lower() == t.lower():
            return body[1:]
        if len(first) > len(t) + 40 and first.lower().startswith(t.lower() + " "):
            # A baseline rendering glued the headline to the first paragraph.
            return [first[len(t):].strip()] + body[1:]
    return body


def clean_html(html: str | bytes, url: str | None = None, site_rules: SiteRules | None = None, *,
               templates: SiteTemplates | None = None, timeout: float = 10.0,
               options: CleanOptions = DEFAULT_OPTIONS, content_type: str | None = None) -> CleanResult:
    """Extract the article of one page; never raises for a page.

    ``html`` as bytes is decoded with ``content_type``'s charset (the ``Content-Type`` header),
    else the page's own, else the one its bytes show (:func:`~newsclean.cleaners.encoding.decode`).

    Returns an :class:`Article` (text one paragraph a line, metadata, ``removed`` chars per step,
    ``method``, ``date_sources``) or a :class:`Rejected` with a reason from ``REJECT_REASONS``.
    With ``options.score_lines`` (the default) a missing, corrupt or other-version line model file
    raises :class:`~newsclean.cleaners.learned.linescore.ModelError`: a broken install, said as
    such, not a reject of every page.
    """
    if options.score_lines:
        linescore.shipped_model()   # read once per process (cached); outside the try: never a reject
    url_s = url or ""
    rules = site_rules or SiteRules()
    run = _Run(timeout)
    try:
        with _interrupt_at_deadline(run):
            result = _clean(html, url_s, rules, templates, run, options, content_type)
            if isinstance(result, Rejected) and result.reason in _STREAMED_RETRY:
                # No body in the rendered markup: the page may stream it in script data instead.
                page = streamed.with_streamed_body(decode(html, content_type))
                if page is not None:
                    run.removed = {}   # the first pass's counts stay with its reject
                    again = _clean(page, url_s, rules, templates, run, options)
                    if isinstance(again, Article):
                        again.method = f"streamed+{again.method}"
                        return again
                if run.cut_deep:   # said as what it is, not as a page without a body
                    return Rejected(url_s, "too_large", removed=result.removed,
                                    detail=f"markup nested over {MAX_DEPTH} elements deep: the parser stops there "
                                           f"and no body was found above it")
            return result
    except _Timeout as exc:
        return Rejected(url_s, "timeout", detail=f"time bound {timeout}s of CPU passed {exc}", removed=run.removed)
    except RecursionError:
        return Rejected(url_s, "too_large", detail="markup nested too deeply", removed=run.removed)
    except Exception as exc:  # noqa: BLE001 — contract: never raises
        return Rejected(url_s, "error", detail=f"{type(exc).__name__}: {exc}"[:300], removed=run.removed)


#: Rejects after which a page's streamed markup (:mod:`cleaners.extraction.streamed`) is looked for.
_STREAMED_RETRY = frozenset({"extract_failed", "too_short"})


def _clean(html: str | bytes, url: str, rules: SiteRules, templates: SiteTemplates | None,
           run: _Run, opts: CleanOptions, content_type: str | None = None) -> CleanResult:
    if html is None or len(html) == 0:
        return Rejected(url, "empty", detail="no bytes")
    if len(html) > opts.max_bytes:
        return Rejected(url, "too_large", detail=f"{len(html)} > {opts.max_bytes} bytes")
    text = _markup(html, url, content_type)
    if isinstance(text, Rejected):
        return text
    # From here on the page is its UTF-8 (for the unpruned parse below), not its str: the str of a
    # page with one character beyond U+FFFF is 4 bytes a character, and alive beside the tree it
    # was most of a worker's peak (docs/performance.md, "Memory"). Given bytes (the crawl's
    # workers), nothing else holds it.
    data = parser_input(text)
    del text
    tree = parse_utf8(data)
    run.cut_deep = run.cut_deep or cut_at_depth()
    if tree is None or first_descendant(tree, "body") is None and not "".join(tree.itertext()).strip():
        return Rejected(url, "extract_failed", detail="no document body")
    nodes = dom.tree_size(tree)
    if nodes > opts.max_nodes:
        return Rejected(url, "too_large", detail=f"tree over bound ({nodes} > {opts.max_nodes} elements)")
    run.check("parse")

    # the page's scripts, found in one walk for the metadata's JSON-LD and the page data
    scripts = list(tree.iter("script"))
    # before pruning: the printed date often sits in a header or byline block the pruning drops
    md = _metadata(tree, url, opts.use_htmldate, run, scripts)
    # the page's data scripts (its article a second time, for its own scripts), before pruning
    # and the extraction drop them: evidence of where the article ends
    embedded = page_data.data_text(tree, scripts) if opts.data_tail else ""
    if next(tree.iter("td"), None) is not None:   # a walk in C spares most pages the XPath
        dom.unwrap_layout_tables(tree)

    # the page's own headline(s), before pruning can move or drop them
    headlines = [dom.flat_text(h) for h in tree.iter("h1")][:3]
    # the social headlines too: pages show one of them above the body where the h1 says another
    headlines += md.social_titles
    # the standfirst shown as a block of its own, looked up before pruning can take its container
    # (publishers wrap it in "promo" or "teaser" blocks that the widget rules drop)
    lead = dom.visible_lead(tree, md.description)
    run.count("site_rules", dom.drop_site_rules(tree, rules.drop_selectors, rules.drop_xpaths))
    selector_text = _body_selector_text(tree, rules.body_selector)
    # footnote references out of the sentences they interrupt, before the measures count them
    run.count("footnote_marks", dom.prune_footnote_marks(tree, url, md.canonical_url))
    # One measuring pass serves both structural steps (after widget removal, ancestors' counts
    # are slightly stale: they still include the removed widgets; cheaper than a second pass).
    measures = dom.Measures(tree)
    run.count("prune_widgets", dom.prune_widgets(tree, measures))
    run.count("prune_hidden", dom.prune_hidden(tree, measures))
    run.count("prune_calls_to_action", dom.prune_calls_to_action(tree, measures))
    run.count("prune_account_gates", dom.prune_account_gates(tree, measures))
    run.count("prune_titled_blocks", dom.prune_titled_blocks(tree, measures))
    dense = dom.link_dense_blocks(tree, measures)
    # a teaser list whose excerpts outweigh the extraction may have been the article (an events
    # roundup, a list of reviewed tools): evidence for the unpruned check below
    dropped_prose = dom.unlinked_text(tree, dense, measures)
    run.count("prune_link_dense", dom.drop_topmost(dense))
    # the page as it was before the merge, copied only where something is merged (the merge is a
    # guess: twin blocks trafilatura discards by name were panes its recovery of a recurring kind
    # takes back one by one, and a merged run can lose what the first container alone kept)
    unmerged: list[etree._Element] = []
    grown: list[etree._Element] = []

    def before_merge(container: etree._Element) -> None:
        if not unmerged:
            unmerged.append(copy.deepcopy(tree))
        grown.append(container)

    dom.merge_split_bodies(tree, measures, before_change=before_merge)
    run.check("prune")
    pruned = 0   # the templates' characters pruned from the tree whose text is kept
    if templates is not None:
        pruned = templates.prune_tree(tree)
        run.check("templates")

    extracted = _extract(tree)
    if unmerged and not _holds_merged(extracted, grown):
        # the merge stands where the page as it was gives no more text (that page pruned of the
        # site's templates only here: most merges stand, and its copy is then thrown away)
        pruned_unmerged = templates.prune_tree(unmerged[0]) if templates is not None else 0
        tree, extracted = _longer_extraction(tree, extracted, unmerged[0])
        if tree is unmerged[0]:
            pruned = pruned_unmerged
        run.check("extract_unmerged")
    run.count("templates", pruned)
    method = "trafilatura"
    if not extracted.strip() and selector_text.strip():
        extracted, method = selector_text, "body_selector"
    if not extracted.strip():
        extracted, method = _baseline(tree), "baseline"
    extracted, m2 = _reconcile_jsonld(extracted, md.article_body)
    if md.article_body and _MD_LINK.search(extracted) and _MD_LINK.search(md.article_body):
        # trafilatura's own fallback returned the articleBody with its markup
        extracted = _plain_ld_body(extracted)
    if m2 != "trafilatura":
        method = m2
    run.check("extract")
    body = normalize_lines(extracted)
    if method in ("trafilatura", "baseline"):
        unpruned = _unpruned_fallback(data, body, dropped_prose)
        if unpruned is not None:
            body, method = unpruned, "trafilatura-unpruned"
            run.check("extract_unpruned")
    if not body:
        return Rejected(url, "extract_failed", detail="extractor found no body", removed=run.removed)
    body = _title_line_drop(body, md.title)
    body, n = line_rules.drop_leading_heads(body, [md.title or "", *headlines], md.authors or ())
    run.count("leading_heads", n)
    # the tree's line elements by their opening text, read once for the steps that place lines
    # in it, and the lines placed: the edge steps place the body's lines, the line scorer reads
    # those back (the tree is not changed from here on: a line's place depends on its text only)
    opened = blocks.openings(tree) if method == "trafilatura" else None
    placed: blocks.Placed = {}
    if method == "trafilatura":
        # the extractor's lines placed in the tree it read: a sidebar's pitch, a footer's links
        # or a "Back to blog" above the article come from outside the article's container
        # and a sidebar's boxes or a dialog's text from blocks the page names so, anywhere
        body, n, asides = blocks.drop_outside_edges(tree, body, asides=True, opened=opened, placed=placed)
        run.count("outside_container", n)
        run.count("named_asides", asides)
    if lead and method == "trafilatura" and not _contains(body, lead):
        body.insert(0, lead)  # the standfirst the extractor skipped; the description is evidence

    body, n = line_rules.apply_line_rules(body, rules.drop_line_patterns, site=_host(url))
    run.count("line_rules", n)
    body, n = line_rules.trim_trailing(body)
    run.count("trailing_trim", n)
    body, n = line_rules.drop_trailing_author_box(body, md.authors or ())
    run.count("trailing_author_box", n)
    # where the lines came from the tree, its markup tells a block shown twice from a repeat in one
    body, n = line_rules.drop_repeated_runs(body, in_one_block=(
        functools.partial(blocks.repeated_in_one_block, tree) if method == "trafilatura" else None))
    run.count("repeated_runs", n)
    if templates is not None:
        body, n = templates.filter_lines(body)
        run.count("templates", n)

    # after the headline drops: the title that metadata read carries the same mojibake
    body = repair_mojibake(body)
    # the lines' markup is read from the tree only where they were extracted from it
    body, n = linescore.score_body(body, tree if method == "trafilatura" else None, opts.score_lines,
                                   _host(url), md.authors or (), opened, placed)
    run.count("line_scorer", n)
    if embedded:
        body, n = page_data.drop_tail_not_in_data(body, embedded)
        run.count("data_tail", n)
    if _is_listing(md, tree, body):
        return Rejected(url, "not_article", detail="og:type=website, link-heavy page without prose", removed=run.removed)
    final = "\n".join(body)
    if len(final) < rules.min_chars:
        return Rejected(url, "too_short", detail=f"{len(final)} < {rules.min_chars} chars", removed=run.removed)

    language = _language(final, md.html_lang) if opts.detect_language else declared_language(md.html_lang)
    _repair_names(md)
    return Article(
        url=url, text=final, title=md.title, authors=md.authors, published=md.published,
        modified=md.modified, language=language, description=md.description, section=md.section,
        tags=md.tags, canonical_url=md.canonical_url, method=method, date_sources=md.date_sources,
        removed=run.removed,
    )


def _markup(html: str | bytes, url: str, content_type: str | None = None) -> str | Rejected:
    """The page's text as it is parsed, or why there is none (``html`` has bytes)."""
    text = decode(html, content_type)
    if not text or text.isspace():   # not text.strip(): a copy of the whole page
        return Rejected(url, "empty", detail="only whitespace")
    if looks_binary(text):
        return Rejected(url, "not_html", detail="binary payload")
    crowded = crowded_tag(text)
    if crowded:
        return Rejected(url, "too_large", detail=f"a tag of {crowded:,} attributes (over {MAX_TAG_ATTRIBUTES:,}: "
                                                 f"the parser's time grows with the square of their number)")
    return _with_mojibake_mended(text)


def _metadata(tree: etree._Element, url: str, use_htmldate: bool, run: _Run | None = None,
              scripts: list[etree._Element] | None = None) -> Metadata:
    """The metadata steps of ``clean_html`` and ``page_metadata`` (one function: they cannot
    drift apart). ``scripts``: the tree's ``<script>`` elements, where the caller has them."""
    md = extract_metadata(tree, url, scripts)
    if run is not None:
        run.check("metadata")
    fill_dates(md, tree, url, use_htmldate=use_htmldate)
    if run is not None:
        run.check("dates")
    return md


def _repair_names(md: Metadata) -> None:
    """The mojibake repair of the title and authors: last, as the body lines' own repair (the
    headline drops compare the unrepaired title with the unrepaired lines)."""
    md.title = repair_mojibake([md.title])[0] if md.title else md.title
    md.authors = repair_mojibake(md.authors)


def page_metadata(html: str | bytes, url: str | None = None, *, use_htmldate: bool = True) -> Metadata | None:
    """The title, authors and dates ``clean_html`` gives a page, read without its body (its
    metadata steps: :func:`_markup`, :func:`_metadata`, :func:`_repair_names`); None for a page
    with no markup to read. What ``python -m newsclean.cleaners.bench --extractor
    newsclean-metadata`` scores: a metadata rule is measured on every page in seconds, not minutes."""
    text = _markup(html, url or "") if html else None
    tree = parse(text) if isinstance(text, str) else None
    if tree is None:
        return None
    md = _metadata(tree, url or "", use_htmldate)
    _repair_names(md)
    return md
