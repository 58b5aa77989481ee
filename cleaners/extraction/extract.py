"""trafilatura's text of a page as ``clean_html`` takes it (``extract_text``): its main pass on the
pruned tree, extracted again where its own evidence shows a loss, and the fills of
:mod:`.recall` (what it lost put back); whether the merge of a split body stands (``holds_merged``)."""

from __future__ import annotations

import lxml.etree as etree
import trafilatura

from newsclean.cleaners import dom
from newsclean.cleaners.extraction import joiners, repeat_passes, wild_text, xpath_guard  # noqa: F401 (joiners: installs)
from newsclean.cleaners.extraction.options import _EXTRACTOR, _RECALL_EXTRACTOR
from newsclean.cleaners.extraction.recall.headings import headings_filled
from newsclean.cleaners.extraction.recall.lists import gaps_filled, has_list_items
from newsclean.cleaners.extraction.recall.prose import prose_filled
from newsclean.cleaners.extraction.recall.spared import (DISCARDED_PROSE_GAIN, DISCARDED_PROSE_MIN_CHARS,
                                                         RECURRING_BLOCK_CHARS, RECURRING_PROSE_MIN_CHARS,
                                                         recurring_filled, spared_text)
from newsclean.cleaners.extraction.recall.toggles import TOGGLED_PANE_MIN_CHARS, toggled_filled


def drop_scripts(tree: etree._Element) -> None:
    """Remove scripts and styles (their tails stay), except JSON-LD: no step of trafilatura reads
    them as text (its cleaning, readability and jusText drop them) but it copied the tree with
    them up to four times (scripts are most of the characters of many pages). JSON-LD stays:
    trafilatura's baseline and forum check read it."""
    for el in list(tree.iter("script", "style")):
        if el.tag == "style" or el.get("type") != "application/ld+json":
            el.drop_tree()


def extract_text(tree: etree._Element) -> str:
    """trafilatura's text of the page as ``clean_html`` takes it: its scripts dropped, its prose and panes filled back."""
    drop_scripts(tree)
    # every extraction of the page with trafilatura's XPaths guarded: elements without a class or
    # id answered in C (the same answers); the lists swapped once, not once an extraction; and
    # trafilatura's link-density passes not run again on a tree they left unchanged
    with xpath_guard.guarded(), repeat_passes.unrepeated():
        text, discarded_prose = _trafilatura_text(tree)
    if not text:
        return text
    text = prose_filled(tree, text)
    # a toggle's pane is looked for only where trafilatura discarded a block of prose of its size
    # (by a class or a style that hides it): most pages have toggles, few lose a pane
    return toggled_filled(tree, text) if discarded_prose else text


#: The merged containers' prose paragraphs (this long at least) the extraction must hold this
#: share of (by characters) for the merge to stand without the page as it was extracted too.
MERGED_PROSE_CHARS = 80
MERGED_HELD_SHARE = 0.8


def holds_merged(text: str, grown: list[etree._Element]) -> bool:
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


def longer_extraction(tree: etree._Element, text: str, other: etree._Element) -> tuple[etree._Element, str]:
    """``tree`` and its extracted ``text``, or ``other`` (the same page before
    ``dom.merge_split_bodies``) and its text where that is longer."""
    again = extract_text(other)
    return (other, again) if len(again) > len(text) else (tree, text)


def _trafilatura_text(tree: etree._Element) -> tuple[str, bool]:
    """trafilatura's text of the page, extracted again where its own evidence shows a loss, and
    whether its discard-by-name pruning removed a block of prose a toggle's pane may be
    (``TOGGLED_PANE_MIN_CHARS``)."""
    with wild_text.recovered() as no_container, wild_text.discarded() as discarded_prose:
        doc = trafilatura.bare_extraction(tree, options=_EXTRACTOR)
    text = (doc.text or "") if doc is not None else ""
    if discarded_prose(DISCARDED_PROSE_GAIN * max(len(text), DISCARDED_PROSE_MIN_CHARS)):
        text, no_container = spared_text(tree, text, no_container)
    elif discarded_prose(RECURRING_PROSE_MIN_CHARS, RECURRING_BLOCK_CHARS, recurring=True):
        text = recurring_filled(tree, text)
    if no_container():
        # Its last-resort recovery kept the paragraphs only: the article's lists between them
        # were lost. With recall focus it takes lists too (an extraction does not change the
        # tree: the second one sees what the first saw). Only list items are taken from it: a
        # page without any has none to give, and is not extracted again.
        again = trafilatura.bare_extraction(tree, options=_RECALL_EXTRACTOR) if has_list_items(tree) else None
        if again is not None and again.text:
            text = gaps_filled(text, again.text) or text
        # nor does either mode recover headings: the subheadings between its lines are put back
        text = headings_filled(tree, text)
    return text, discarded_prose(TOGGLED_PANE_MIN_CHARS, TOGGLED_PANE_MIN_CHARS)
