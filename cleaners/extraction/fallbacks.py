"""Where the body comes from when trafilatura's text on the pruned tree is not it: the site's
``body_selector``, trafilatura's baseline, the page's JSON-LD ``articleBody`` (its markdown made
plain), and trafilatura on the page as it came, nothing pruned (``unpruned_fallback``)."""

from __future__ import annotations

import re

import lxml.etree as etree
import trafilatura

from newsclean.cleaners.body_lines import lines as line_rules
from newsclean.cleaners.extraction.extract import extract_text
from newsclean.cleaners.body_lines.lines import normalize_lines
from newsclean.cleaners.reading.parsing import parse_utf8


def baseline_text(tree: etree._Element) -> str:
    """trafilatura's own fallback for pages its main extractor rejects (very short articles): its
    baseline text of the page, "" on failure."""
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


def unpruned_fallback(data: bytes, body: list[str], dropped_prose: int = 0) -> list[str] | None:
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
    alt = normalize_lines(extract_text(tree))
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


def _tokens(s: str) -> set[str]:
    return set(re.findall(r"\w+", s.lower()))


def reconcile_jsonld(text: str, ld_body: str | None) -> tuple[str, str]:
    """Use JSON-LD articleBody when trafilatura missed most of it (its own body was elsewhere)."""
    if not ld_body or len(ld_body) < 400:
        return text, "trafilatura"
    ld = _tokens(ld_body)
    got = _tokens(text)
    if ld and len(ld & got) < 0.5 * len(ld):
        return ld_body, "trafilatura+jsonld-body"
    return text, "trafilatura"


def body_selector_text(tree: etree._Element, selector: str | None) -> str:
    """The text of what the site's ``body_selector`` names, a line a block; "" without one or for a bad selector."""
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
