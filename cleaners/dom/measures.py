"""The measuring walk: ``Measures`` takes, in one post-order pass over the tree, each element's
text, link text, links, long prose paragraphs and h1, and gathers the named elements (class, id,
role) and the donation and sign-up links the passes read; ``Picked``: the named elements
each pass deciding by names looks at, picked once (``_pick``)."""

from __future__ import annotations

import re
from typing import NamedTuple

import lxml.etree as etree

from newsclean.cleaners.dom.addresses import DONATION_HREF_WORDS, _SIGNUP_LEAD
from newsclean.cleaners.dom.class_names import _NO_FACTS, _name_facts
from newsclean.cleaners.vocabulary import is_donation_label

#: A paragraph of this many characters, most of them not links, is article prose (``body_like``).
PROSE_CHARS = 200
#: The same in a script without spaces between words, where a character is about a word's
#: syllable or the word (Chinese, Japanese; Korean's syllable blocks): a Chinese paragraph of 60
#: characters says what an English one of 200 does, and a page of them held no "long" paragraph,
#: so a login box's walk up took the article for a gate (``prune_account_gates``).
DENSE_PROSE_CHARS = 60
#: Kana, CJK ideographs, Hangul syllables.
_DENSE_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def _dense_script(text: str | None) -> bool:
    """Whether a paragraph's text opens in a dense script (``DENSE_PROSE_CHARS``): half or more of
    its first 20 characters."""
    head = (text or "")[:20]
    return bool(head) and 2 * len(_DENSE_SCRIPT.findall(head)) >= len(head)


#: A button's label is short: a longer link's text is a sentence that may ask for money.
DONATION_LABEL_MAX_CHARS = 40


def _donation_label(el: etree._Element) -> bool:
    """Whether a short link's or button's whole label is a donation appeal's (``is_donation_label``)."""
    text = el.text if not len(el) else "".join(el.itertext())
    return bool(text) and is_donation_label(text)


#: An element with any of the attributes the pruning passes read by name: the element, its
#: class, id and role (None when absent).
Named = tuple[etree._Element, "str | None", "str | None", "str | None"]


class Picked(NamedTuple):
    """What :meth:`Measures.picked` gives each pass deciding by names (see there)."""

    #: for ``prune_widgets``: (element, its (widget, content, image) kinds)
    widgets: list[tuple[etree._Element, tuple[bool, bool, bool]]]
    #: for ``prune_hidden``: (element, role, its class's ``_hover_class`` answers and
    #: whether the class hides it, ``_hidden_class``)
    hidden: list[tuple[etree._Element, "str | None", tuple[bool, bool, bool]]]
    #: for ``prune_calls_to_action``
    ctas: list[etree._Element]


class Measures:
    """Per-element text length, link text length, link count, long prose paragraphs and h1
    presence, computed for the whole tree in one post-order pass (linear, not per element).

    The same walk gathers ``named``: the elements with a class, id or role attribute, in
    document order, with those values. The passes that decide by them read this list instead
    of walking the tree (or running an XPath over it) each time: an element an earlier pass
    removed is skipped with :func:`attached`. It holds the tree as measured: elements added
    later are not in it."""

    __slots__ = ("data", "named", "donation_links", "signup_links", "donation_buttons", "email_fields", "_picked")

    def __init__(self, tree: etree._Element) -> None:
        # One iterwalk with a stack of per-element sums: each element is visited once, its
        # children never re-iterated (lxml creates a Python proxy per element visit: on pages
        # with heavy navigation that cost dominated the cleaner's own CPU).
        data: dict[etree._Element, tuple[int, int, int, int, int]] = {}
        named: list[Named] = []
        donation_links: list[etree._Element] = []
        signup_links: list[etree._Element] = []
        donation_buttons: list[etree._Element] = []
        email_fields: list[etree._Element] = []
        stack: list[list[int]] = [[0, 0, 0, 0, 0]]   # the bottom one takes the root's tail
        for event, el in etree.iterwalk(tree, events=("start", "end", "comment", "pi")):
            if event == "start":
                stack.append([0, 0, 0, 0, 0])   # its children's total, link, n_links, paras, h1
                cls, eid, role = el.get("class"), el.get("id"), el.get("role")
                if cls or eid or role:
                    named.append((el, cls, eid, role))
                continue
            if event == "end":
                total, link, n_links, paras, h1 = stack.pop()
                text = el.text   # each read of text, tail or tag makes a new string: once each
                if text:
                    total += len(text.strip())
                tag = el.tag
                if tag == "a":
                    # a headline or paragraph inside a link is a teaser card, not article prose
                    link, n_links, paras, h1 = total, n_links + 1, 0, 0
                    href = el.get("href")
                    if href and any(w in href for w in DONATION_HREF_WORDS):
                        donation_links.append(el)
                    elif href and _SIGNUP_LEAD.search(href.lower()):   # _signup_buttons reads the path and query
                        signup_links.append(el)
                    elif 0 < total <= DONATION_LABEL_MAX_CHARS and _donation_label(el):
                        donation_buttons.append(el)
                elif tag == "button":
                    if 0 < total <= DONATION_LABEL_MAX_CHARS and _donation_label(el):
                        donation_buttons.append(el)
                elif tag == "input":
                    if (el.get("type") or "").lower() == "email":
                        email_fields.append(el)
                elif tag == "p" and link < 0.2 * total and (total >= PROSE_CHARS
                                                             or total >= DENSE_PROSE_CHARS and _dense_script(el.text)):
                    paras += 1
                elif tag == "h1":
                    h1 = 1
                # a tuple of ints: the garbage collector stops tracking it (a list it walks in
                # every collection while the page is cleaned)
                data[el] = (total, link, n_links, paras, h1)
                parent = stack[-1]
                parent[0] += total
                if n_links:   # most elements hold no link, paragraph or h1: nothing more to add
                    parent[1] += link
                    parent[2] += n_links
                if paras:
                    parent[3] += paras
                if h1:
                    parent[4] = 1
            tail = el.tail
            if tail:   # a comment's or PI's tail is text of the parent too
                stack[-1][0] += len(tail.strip())
        self.data = data
        self.named = named
        #: links to a donation page (``DONATION_HREF_WORDS``), in the page's order, read in this
        #: walk rather than by a search of the whole tree (``_cta_boxes``)
        self.donation_links = donation_links
        #: other links to a sign-up, sales or contact page (``SIGNUP_HREF``), the same way
        #: (``_signup_buttons``)
        self.signup_links = signup_links
        #: the links and buttons labelled as a donation appeal's in the page's language
        #: (``vocabulary.is_donation_label``) that no donation or sign-up address marks, and the e-mail fields
        #: (``calls_to_action._signup_fields``), the same way
        self.donation_buttons = donation_buttons
        self.email_fields = email_fields
        self._picked: Picked | None = None

    def picked(self) -> Picked:
        """The elements of ``named`` that the passes deciding by names look at: for
        ``prune_widgets`` those named a widget or an image block (with their (widget, content,
        image) kinds), for ``prune_hidden`` those with a role or a class that may name a
        hover card (with the role and the class's hover answers), for
        ``prune_calls_to_action`` those named a call to action. Picked once, in one walk over
        ``named`` with one cached lookup for each class and id value (``_name_facts``), not
        three walks with up to five lookups."""
        if self._picked is None:
            self._picked = _pick(self.named)
        return self._picked

    def text(self, el: etree._Element) -> int:
        return self.data.get(el, (0,))[0]

    def links(self, el: etree._Element) -> int:
        return self.data.get(el, (0, 0))[1]

    def n_links(self, el: etree._Element) -> int:
        return self.data.get(el, (0, 0, 0))[2]

    def body_like(self, el: etree._Element) -> bool:
        """Holds article prose: an h1, or two long paragraphs that are not links."""
        m = self.data.get(el)
        return bool(m) and (m[4] == 1 or m[3] >= 2)

    def holds_h1(self, el: etree._Element) -> bool:
        """Holds an h1: the article's headline, not a block beside it."""
        m = self.data.get(el)
        return bool(m) and m[4] == 1

    def prose_heavy(self, el: etree._Element, min_chars: int = 1500) -> bool:
        """Much text that is not links: a widget name on it is more likely a wrapper's misnomer."""
        n = self.text(el)
        return n >= min_chars and self.links(el) < 0.3 * n


def _pick(named: list[Named]) -> Picked:
    """See :meth:`Measures.picked`: each name answered as ``prune_widgets`` (``_kinds_of``),
    ``prune_hidden`` and ``prune_calls_to_action`` answered it."""
    widgets: list[tuple[etree._Element, tuple[bool, bool, bool]]] = []
    hidden: list[tuple[etree._Element, str | None, tuple[bool, bool, bool]]] = []
    ctas: list[etree._Element] = []
    for el, cls, eid, role in named:
        c = _name_facts(cls) if cls else _NO_FACTS
        i = _name_facts(eid) if eid else _NO_FACTS
        widget, image = c[0] or i[0], c[2] or i[2]
        if widget or image:
            widgets.append((el, (widget, c[1] or i[1], image)))
        if role or c[3] or c[6]:
            hidden.append((el, role, (c[3], c[4], c[6])))
        if c[5] or i[5]:
            ctas.append(el)
    return Picked(widgets, hidden, ctas)
