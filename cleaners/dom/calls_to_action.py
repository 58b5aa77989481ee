"""Calls to action (``prune_calls_to_action``): small blocks named so or a "Pin it" prompt, and
small boxes around a link to a donation page or a button to a sign-up page that pitch, and around
a sign-up form (an e-mail field and a button: a newsletter's, in whatever language it pitches)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import lxml.etree as etree

from newsclean.cleaners.dom.addresses import names_signup
from newsclean.cleaners.dom.elements import HEADINGS, PROTECTED_TAGS, SUBHEADINGS, attached, drop_topmost, text_of
from newsclean.cleaners.dom.measures import Measures
from newsclean.cleaners.dom.class_names import _classid_kinds

#: A call to action is a few lines; a bigger block so named may frame the article's own text
#: (on an image story, dropping a 400-character appeal left trafilatura too little to pick the body).
CTA_MAX_CHARS = 300
#: Headings, and links or buttons alone: a button's label is link text that the extractor weighs as
#: such; taking it out changed which container the extractor chose (a carousel's "Discover more").
_NOT_CTA_BLOCKS = HEADINGS | {"a", "button", "span"}


def prune_calls_to_action(tree: etree._Element, m: Measures) -> int:
    """Remove small blocks named a call to action or a "Pin it" prompt (see ``CTA_TOKENS``), and
    small boxes around a link to a donation page or labelled a donation's, or a button to a sign-up
    page (``_cta_boxes``), and around a sign-up form (``_signup_fields``)."""
    named = [el for el in m.picked().ctas if el.tag not in PROTECTED_TAGS and attached(el, tree)]
    chosen = set(named)
    # the outermost block so named decides: a big one is kept whole, with its small named parts
    outer = [el for el in named if not any(a in chosen for a in el.iterancestors())]
    boxes = _cta_boxes(tree, m, m.donation_links + m.donation_buttons)
    boxes += [el for el in _cta_boxes(tree, m, _signup_buttons(m))
              if m.n_links(el) <= PITCH_LINKS and _pitches(el)]
    boxes += _cta_boxes(tree, m, _signup_fields(m))
    outer += [el for el in boxes if not any(a in chosen for a in el.iterancestors())]
    return drop_topmost([el for el in outer if el.tag not in _NOT_CTA_BLOCKS
                          and m.text(el) <= CTA_MAX_CHARS and not m.body_like(el) and _among_content(el, m)])


#: Where the walk up from a donation link stops: a paragraph, an item or a cell holding it is
#: the article's sentence that names the fund, not a box around a button (not a paragraph alone
#: in a box set apart from the body's paragraphs: ``_boxed_apart``).
_DONATION_STOP_TAGS = frozenset({"p", "li", "td", "th", "blockquote"})
#: A link styled as a button (its class or one of its two parents').
_BUTTON_CLASS = re.compile(r"button|btn", re.I)
#: A link of at most this many words that stands as a block of its own (no paragraph, item,
#: cell, heading or inline element around it) is a button, however it is styled.
BUTTON_WORDS = 5
_NOT_BUTTON_ANCESTORS = frozenset({"p", "li", "td", "th", "dd", "dt", "blockquote", "span", "strong", "b", "em", "i",
                                   *HEADINGS})


def _signup_buttons(m: Measures) -> list[etree._Element]:
    """The links to a sign-up page (``SIGNUP_HREF`` in the address's path or query: a brand's host
    "joinyesand.com" is no sign-up page) that are buttons: styled so, or a few words standing as a
    block of their own (``BUTTON_WORDS``)."""
    out = []
    for a in m.signup_links:
        try:
            parts = urlsplit(a.get("href") or "")
        except ValueError:
            continue
        if not names_signup(parts.path) and not names_signup(parts.query):
            continue
        parent = a.getparent()
        grandparent = parent.getparent() if parent is not None else None
        if (any(x is not None and _BUTTON_CLASS.search(x.get("class") or "") for x in (a, parent, grandparent))
                or (len(text_of(a).split()) <= BUTTON_WORDS
                    and not any(x.tag in _NOT_BUTTON_ANCESTORS for x in a.iterancestors()))):
            out.append(a)
    return out


def _signup_fields(m: Measures) -> list[etree._Element]:
    """The e-mail fields of sign-up forms (``Measures.email_fields``): a form asking for an address
    and nothing to write (no text area, no password: a comment form, a log-in's), whose words may
    be in any language; the box around one (``_cta_boxes``) is a newsletter's pitch ("Die
    wichtigsten Nachrichten jeden Morgen in Ihrem Postfach" [Ihre E-Mail-Adresse] [Jetzt anmelden])."""
    out = []
    forms = set()
    for field in m.email_fields:
        form = next(field.iterancestors("form"), None)
        if form is None or form in forms:   # one field a form: its box once
            continue
        forms.add(form)
        if next(form.iter("textarea"), None) is None and not any(
                (el.get("type") or "").lower() == "password" for el in form.iter("input")):
            out.append(field)
    return out


#: A pitch's paragraph has at least this many words outside links.
PITCH_WORDS = 5
#: A pitch's box holds a button or two and maybe a link in its text; a block of more links is a
#: menu or a footer's column (their removal before extraction moved what the extractor kept).
PITCH_LINKS = 3


def _pitches(box: etree._Element) -> bool:
    """Whether a box around a sign-up button pitches: a heading, or a paragraph of ``PITCH_WORDS``
    or more outside links (a header's bar of date, byline and "Start free trial" is no pitch, and
    taking it out of the page changed which part of the article the extractor kept)."""
    for el in box.iter("p", *SUBHEADINGS):
        if el.tag != "p":
            return True
        linked = sum(len(text_of(a).split()) for a in el.iter("a"))
        if len(text_of(el).split()) - linked >= PITCH_WORDS:
            return True
    return False


def _cta_boxes(tree: etree._Element, m: Measures, links: list[etree._Element]) -> list[etree._Element]:
    """The largest block around a link of ``links`` (to a donation page; a sign-up page's buttons,
    ``_signup_buttons``) that holds text besides the link and
    no more than a call to action's (a heading, a line of appeal and a "Donate" button); none
    where the link sits in a paragraph, an item or a cell, or in a div written as one (text of its
    own around its children: a site that writes its paragraphs as bare divs, whose sentence links
    a story at ".../donated-lifeboat/")."""
    out = []
    for a in links:
        if not attached(a, tree):   # inside a block an earlier pass removed
            continue
        box = None
        for anc in a.iterancestors():
            if (anc.tag in _SECTION_TAGS or anc.tag in _DONATION_STOP_TAGS and not _boxed_apart(anc)
                    or m.text(anc) > CTA_MAX_CHARS
                    or m.body_like(anc) or anc.tag == "div" and _own_text(anc)):
                break
            if m.text(anc) > m.links(anc):
                box = anc
        if box is not None and box not in out:   # two links in one box: the box once
            out.append(box)
    return out


def _boxed_apart(p: etree._Element) -> bool:
    """Whether a paragraph stands alone in a box set apart from the body's run of paragraphs: the
    only child of a ``<div>`` whose parent holds paragraphs of its own (WordPress's block group
    with a background, Newspack's closing appeal: ``<p>...</p><div class="wp-block-group
    has-background"><p>... <a href="/donate/">Make a gift</a></p></div>``). A site that writes each
    of its paragraphs in a div holds none beside them: its sentence naming a fund stays."""
    box = p.getparent()
    if p.tag != "p" or box is None or box.tag != "div" or len(box) != 1 or _own_text(box):
        return False
    around = box.getparent()
    return around is not None and any(sib.tag == "p" for sib in around)


def _own_text(el: etree._Element) -> bool:
    """Whether ``el`` holds words of its own, beside its children's (its text or a child's tail)."""
    return any(t and not t.isspace() for t in (el.text, *(child.tail for child in el)))


#: Text that a call to action's section must keep without it. Below this, the appeal is most of
#: its section (an image story: a line of text, the appeal, maps), and without it the extractor's
#: text was less than half of readability's, which then took a bio or a sidebar for the article.
CTA_CONTEXT_MIN_CHARS = 250
_SECTION_TAGS = frozenset({"section", "article", "main", "body"})


def _among_content(el: etree._Element, m: Measures) -> bool:
    """Whether ``el``'s section (the nearest section, article or main element, or a block named or
    shaped like the article body) holds other text of some length, links not counted (an image
    story's "download the graphic" links are no text the extractor keeps)."""
    unlinked = m.text(el) - m.links(el)
    for a in el.iterancestors():
        if a.tag in _SECTION_TAGS or m.body_like(a) or (_classid_kinds(a) or (False, False))[1]:
            return m.text(a) - m.links(a) - unlinked >= CTA_CONTEXT_MIN_CHARS
    return False
