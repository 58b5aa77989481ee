"""An article body the page splits over sibling containers of one class joined into the first
(``merge_split_bodies``): extractors pick one container and lose the rest."""

from __future__ import annotations

from collections.abc import Callable

import lxml.etree as etree

from newsclean.cleaners.dom.elements import HEADINGS
from newsclean.cleaners.dom.measures import Measures


def merge_split_bodies(tree: etree._Element, m: Measures,
                       before_change: Callable[[etree._Element], None] | None = None) -> int:
    """Join an article body that the page splits over sibling containers of one class (between
    them: subheadings, ads, figures, embeds). Extractors pick one container and lose the rest;
    the run from the first container to the last (with what lies between, in order) is moved
    into the first. ``before_change`` is told each container given its twins, before the moves
    into it (most pages have none). Returns the containers merged."""
    merged = 0
    grown: set[etree._Element] = set()   # containers given the children of their twins here
    for parent in list(tree.iter("div", "section", "article", "main")):
        measured = m.data.get(parent)
        if measured is not None and measured[3] < 4 and parent not in grown:
            # two prose containers hold two long paragraphs each, and a parent measured with
            # fewer has no two (its children were measured in it, or removed since): most
            # parents are passed over without reading their children
            continue
        children = [c for c in parent if isinstance(c.tag, str)]
        prose = [_prose_container(c, m) for c in children]
        i = 0
        while i < len(children):
            child = children[i]
            if not prose[i]:
                i += 1
                continue
            key = (child.tag, (child.get("class") or "").strip())
            # the last same-class prose sibling reachable over short in-between blocks
            end = i
            for j in range(i + 1, len(children)):
                c = children[j]
                if prose[j] and (c.tag, (c.get("class") or "").strip()) == key:
                    end = j
                elif m.text(c) > 500 and c.tag not in HEADINGS:
                    break
            if end == i:
                i += 1
                continue
            if before_change is not None and child not in grown:
                before_change(child)
            grown.add(child)
            for j in range(i + 1, end + 1):
                c = children[j]
                if prose[j] and (c.tag, (c.get("class") or "").strip()) == key:
                    _append_text(child, c.text)
                    for grand in list(c):
                        child.append(grand)
                    _append_text(child, c.tail)
                    parent.remove(c)
                    merged += 1
                else:
                    child.append(c)  # keeps its tail
            i = end + 1
    return merged


def _prose_container(el: etree._Element, m: Measures) -> bool:
    data = m.data.get(el)
    return el.tag in ("div", "section") and bool((el.get("class") or "").strip()) and bool(data) \
        and data[3] >= 2 and data[1] < 0.3 * data[0]


def _append_text(el: etree._Element, text: str | None) -> None:
    if not text or not text.strip():
        return
    if len(el):
        el[-1].tail = (el[-1].tail or "") + text
    else:
        el.text = (el.text or "") + text
