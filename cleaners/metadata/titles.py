"""The article's title: the declared titles voted on by what the page shows as headings
(:func:`_best_title`), then the site's name, kickers, tails and punctuation the shown headline
does not have taken off; :func:`title_source` tells which of the page's titles words a title."""

from __future__ import annotations

from html import unescape
import itertools
import re
from typing import Iterator
import unicodedata
from urllib.parse import urlsplit

import lxml.etree as etree

from newsclean.cleaners.metadata.common import (
    ARTICLE_TYPES, _INVISIBLE, _WORDS, _clean, _first, _ld_nodes, _ld_text, _meta, _types,
)
from newsclean.cleaners.metadata.house import _house_key
from newsclean.cleaners.reading.trees import first_descendant


#: A spaced separator between a title's parts: "Headline | Site", "Headline - Site", "Headline :: Site".
#: Its spaces are taken from the start of their run only (``(?<!\s)``): tried again at each space
#: of a run, 100,000 spaces in a <title> took minutes (the same separators: a separator's spaces
#: found from inside the run are found from its start).
_TITLE_SEP = re.compile(r"(?<!\s)\s+[|–—-]\s+|(?<!\s)\s+::\s+")


#: What a declared title may add after the headline the page shows: a separator, then a site's
#: name, a section or a tagline ("Headline | Site", "Headline, Tested & Reviewed | Site",
#: "Headline (via Passle)", "Headline ⋆"). Words without a separator ("Headline in 2025") are
#: the title's own.
_ADDED_AFTER = re.compile(r"\s*[|–—\-•⋆·,(:\[]")


def _shown_head_of(title: str | None, tree: etree._Element) -> str | None:
    """The text of an <h1> the page shows (outside navigation and teasers) when ``title`` is that
    text with something added after a separator: the page's own headline, without the rest."""
    if not title:
        return title
    for h in _shown_h1s(tree):
        text = _h1_text(h)
        # four words or more: "Harbour Notes | Headline" opens with the site's name, shown as an h1 too
        if (text and len(text) < len(title) and len(text.split()) >= 4 and title.startswith(text)
                and _ADDED_AFTER.match(title, len(text))):
            return text
    return title


def _newsroom(nodes: list[dict], meta: dict[str, list[str]]) -> bool:
    """Whether the page is a newsroom's: a schema.org node typed News* (NewsArticle,
    NewsMediaOrganization), or an article:section meta tag on a page that declares no
    BlogPosting (SEO plugins write the section on every blog post). A newsroom's declared
    headline is its edited one; elsewhere the declared title is an SEO or social copy of what
    the page shows."""
    types = {t for n in nodes for t in _types(n)}
    return any("news" in t for t in types) or bool(meta.get("article:section")) and "blogposting" not in types
#: Least share of words (Jaccard) that a shown headline shares with the declared title to be
#: the same article's: below it the h1 is something else (a site or section name, a call to action).
#: Fitted on wcxb-dev's dev half (0.18 to 0.22 alike and best; 0.25 one page fewer right, 0.16
#: one more wrong); the check half agrees (one page more right, none wrong). The plateau's top:
#: at 0.2 a site's banner of two words sharing one with the declared title (1 of 5) passed.
SHOWN_HEADLINE_MIN_OVERLAP = 0.22


def _typeset_key(s: str) -> str:
    """``s``'s title key as words only: punctuation, quote and dash styles ignored, "&" read as "and"."""
    return " ".join(_WORDS.findall(_title_key(s).replace("&", "and")))


def _shown_headline(title: str | None, h1: etree._Element | None, house: set[str]) -> str | None:
    """The page's <h1> instead of the declared ``title`` when it words the same article otherwise
    ("How Machine Learning Personalizes ..." shown, "Using Machine Learning To Personalize ..."
    declared for search engines): a heading of one plain text (no kicker, link or line break in
    it), of two words or more, not in capitals (a style, the declared title has the case), sharing
    ``SHOWN_HEADLINE_MIN_OVERLAP`` of its words with the title and differing in more than
    typography; or saying more than the title, whose words it holds in order (a search title cut
    short: "Best Home Cameras of 2026" declared, "The Best Home Cameras of 2026" shown). A
    heading inside the title is left to the rules before: a kicker or a tagline around the same
    headline, or the site's name (also an h1 of its own: "house")."""
    if not title or h1 is None or len(h1) or not h1.text:
        return title
    text = _clean(h1.text)
    if not text or len(text) > 300 or len(text.split()) < 2 or text.isupper() or _house_key(text) in house:
        return title
    shown, declared = _typeset_key(text), _typeset_key(title)
    if declared in shown and len(shown) > len(declared):
        return text   # the declared title shortened for search: "Best X of 2026" for "The Best X of 2026"
    if shown in declared or declared in shown:
        return title
    a, b = ({w.casefold() for w in _WORDS.findall(x)} for x in (text, title))
    if not a or not b or len(a & b) / len(a | b) < SHOWN_HEADLINE_MIN_OVERLAP:
        return title
    return text


#: Markup inside a headline that sets no part apart from the rest.
_EMPHASIS_TAGS = frozenset({"em", "i", "b", "strong"})


def _shown_punctuation(title: str | None, tree: etree._Element) -> str | None:
    """The text of the page's first <h1> (outside navigation and teasers) when it is ``title``'s
    words, in the same order and case, punctuated otherwise: "A - B" declared, "A: B" shown; a
    question mark the declared title dropped; markdown asterisks in a declared title. Not when
    only quote marks differ: the sources and the truth take either style (wcxb-dev, quote-only
    rewrites: dev +1 -2, check +1 -3)."""
    if not title:
        return title
    h = next(_shown_h1s(tree), None)
    if h is None or any(e.tag not in _EMPHASIS_TAGS for e in h.iterdescendants()):
        return title   # none, or a kicker or a line break set apart by markup, not by the punctuation
    text = _h1_text(h)
    if (text and text != title and _spelled_words(text) == _spelled_words(title)
            and _QUOTES.sub("", text) != _QUOTES.sub("", title)):
        return text
    return title


def _spelled_words(s: str) -> list[str]:
    """``s``'s words with the marks written in them: ``\\w`` leaves out the combining vowel signs
    of Indic scripts and Thai (Unicode category M), so "की" and "का" would read as one word."""
    return "".join(ch if ch.isalnum() or ch == "_" or unicodedata.category(ch)[0] == "M" else " " for ch in s).split()


#: The end of a kicker before a headline: "Kicker: ", "Kicker - ", "Kicker – ", "Kicker | ".
_KICKER_END = re.compile(r"(?::|\s[-–—|])\s+$")


def _shared_after_kickers(title: str | None, others: tuple[str | None, ...]) -> str | None:
    """The headline that ``title`` and another source of the page share after different kickers:
    "Iran attack: «X»" (og:title) and "Middle East - «X»" (h1) give «X». The same kicker written
    with another separator ("Topic - X", "Topic: X") is no second kicker."""
    if not title:
        return title
    for other in others:
        if not other:
            continue
        o = unescape(other)
        n = 0
        while n < min(len(title), len(o)) and title[-1 - n] == o[-1 - n]:
            n += 1
        tail = title[len(title) - n:].lstrip()
        if not tail or len(tail) in (len(title), len(o)):
            continue  # nothing shared, or one source is the other's tail (a kicker on one side only)
        k1, k2 = title[: len(title) - len(tail)], o[: len(o) - len(tail)]
        if (len(tail) >= len(title) / 2 and len(tail.split()) >= 3 and _KICKER_END.search(k1)
                and _KICKER_END.search(k2) and _title_key(_KICKER_END.sub("", k1)) != _title_key(_KICKER_END.sub("", k2))):
            return tail
    return title


#: A separator between a title's parts, spaced or not ("Headline | Site", "Headline • Author").
#: Spaces taken from the start of their run, as in ``_TITLE_SEP``.
_PART_SEP = re.compile(_TITLE_SEP.pattern + r"|(?<!\s)\s+[•·:]\s+|(?:(?<!\s)\s*)?\|\s*|:\s+")


#: A pipe between a headline and what a site adds after it: a section, a tagline, a search
#: teaser ("Headline | District", "Guide 2026 | Coverage Types, Costs & Savings"). Other
#: separators are left: a dash often joins a headline's own two halves.
_PIPE = re.compile(r"(?<!\s)\s+\|\s+")   # spaces from their run's start (``_TITLE_SEP``)
#: Most words of a part after the last pipe that is cut (a longer one is a second headline), and
#: fewest words left before it (a site's short name before a pipe is not a headline).
PIPED_TAIL_MAX_WORDS, PIPED_HEAD_MIN_WORDS = 5, 3


def _without_piped_tail(title: str | None) -> str | None:
    """``title`` without a short part after its one spaced pipe, when a headline of
    ``PIPED_HEAD_MIN_WORDS`` words or more stays; else unchanged. Of three parts or more
    ("Site | Section | Headline", "Headline | Section" with the site's part cut before) none is
    known to be the tail."""
    parts = _PIPE.split(title) if title else []
    if len(parts) == 2 and len(parts[1].split()) <= PIPED_TAIL_MAX_WORDS and len(parts[0].split()) >= PIPED_HEAD_MIN_WORDS:
        return parts[0]
    return title


def _strip_site(title: str, site_name: str | None, url: str | None = None) -> str:
    """Drop a trailing " | Site" part: the site's declared name, or with ``url``
    a last part that names the site as its address does ("Headline | DianaHR" on
    getdianahr.com, "Headline • Cory Dransfeldt" on coryd.dev): a site that declares no
    og:site_name still writes its name into every title."""
    parts = _TITLE_SEP.split(title)
    sn = (site_name or "").strip().casefold()
    if sn and len(parts) >= 2 and (parts[-1].casefold() == sn or sn.startswith(parts[-1].casefold())
                                   or parts[-1].casefold().startswith(sn)):
        return parts[0] if len(parts) == 2 else title[: title.rfind(parts[-1])].rstrip(" |–—-:")
    try:
        labels = (urlsplit(url).hostname or "").removeprefix("www.").split(".") if url else []
    except ValueError:   # "http://[::1/x": no host to compare with
        return title
    label = _house_key(labels[-2]) if len(labels) >= 2 else ""
    seps = list(_PART_SEP.finditer(title)) if len(label) >= 4 else []
    last = title[seps[-1].end():] if seps else ""
    key = _house_key(last)
    # both at least as long as a site's label must be: "AI" is inside "trailnews" by chance
    if len(key) >= 4 and len(last.split()) <= 4 and (key in label or label in key) and seps[-1].start() > 0:
        return title[: seps[-1].start()]
    return title


#: Quote marks: sources of one page write the same headline with straight or curly quotes.
_QUOTES = re.compile(r"[\"'‘’‚‛“”„‟«»‹›]")
#: Where a heading is not the article's: navigation, breadcrumbs, teaser links and lists, asides.
_NOT_ARTICLE_TAGS = frozenset({"nav", "a", "li", "aside", "footer", "figure"})


def _title_key(s: str) -> str:
    # a lone "/" is a kicker separator ("Kicker / Headline") that other sources write as a space
    return " ".join(w for w in _QUOTES.sub("", unescape(s).translate(_INVISIBLE)).casefold().split() if w != "/")


#: Longest text of a heading or one of its parts (characters as written) read as a possible
#: headline: a longer one is no title (an unclosed <h1> swallowing the rest of the page).
SHOWN_HEADING_MAX_CHARS = 1000
#: Headings are read until this many keys are known (then the heading being read is finished).
_SHOWN_MAX_KEYS = 200


def _blocks_headings(el: etree._Element) -> bool:
    return el.tag in _NOT_ARTICLE_TAGS or "breadcrumb" in (el.get("class") or "").lower()


def _not_the_articles(h: etree._Element) -> bool:
    """Whether heading ``h`` is in (or is) navigation, a breadcrumb, a teaser link or list, an aside."""
    return any(_blocks_headings(a) for a in (h, *h.iterancestors()))


def _shown_h1s(tree: etree._Element) -> Iterator[etree._Element]:
    """The page's <h1> elements outside navigation, breadcrumbs, teasers and asides, in order."""
    return (h for h in tree.iter("h1") if not _not_the_articles(h))


def _h1_text(h: etree._Element) -> str | None:
    """A heading's text as it shows: its runs of whitespace one space, cleaned."""
    return _clean(" ".join("".join(h.itertext()).split()))


def _shown_headings(tree: etree._Element, max_chars: int = SHOWN_HEADING_MAX_CHARS) -> set[str]:
    """Keys of the texts the page shows as headings (h1, h2 and their parts, since a heading may
    hold a kicker beside the headline), outside navigation, breadcrumbs, teaser links and lists.

    Linear in the page: a heading inside another is read with it, once, and each part's text is
    built from its children's, only up to ``max_chars``. (Reading every part of every heading
    anew was quadratic: 40 unclosed <h1> nest, each holding the rest of the page.)"""
    out: set[str] = set()
    body = first_descendant(tree, "body")
    keys: dict[str, str] = {}            # text -> key: a chain of wrappers shares one text
    inner: set[etree._Element] = set()   # headings read with the heading around them
    for h in (body.iter("h1", "h2") if body is not None else ()):
        if h in inner or _not_the_articles(h):
            continue
        _read_heading(h, max_chars, keys, out, inner)
        if len(out) > _SHOWN_MAX_KEYS:
            break
    return out


def _read_heading(h: etree._Element, max_chars: int, keys: dict[str, str], out: set[str],
                  inner: set[etree._Element]) -> None:
    """Add to ``out`` the keys of ``h``'s text and of each element's in it (with and without a
    space between the parts), if at most ``max_chars``; collect the headings inside it."""
    stack: list[tuple[list[str], list[int]]] = []   # per open element: its text parts, [chars or -1]
    for event, el in etree.iterwalk(h, events=("start", "end", "comment", "pi")):
        if event == "start":
            if el.tag in ("h1", "h2") and el is not h:
                inner.add(el)
            stack.append(([el.text] if el.text else [], [len(el.text or "")]))
            continue
        if event == "end":
            parts, (n,) = stack.pop()
            if 0 <= n <= max_chars:
                for sep in ("", " "):  # "<span>Kicker</span>Headline": written with or without a space
                    raw = sep.join(parts)
                    key = keys.get(raw)
                    if key is None:
                        key = keys[raw] = _title_key(raw)
                    if key:
                        out.add(key)
            if stack:
                parent_parts, parent_n = stack[-1]
                if 0 <= n <= max_chars and parent_n[0] >= 0:
                    parent_parts.extend(parts)
                    parent_n[0] += n
                else:
                    parent_n[0] = -1
        if el.tail and stack and stack[-1][1][0] >= 0:   # an element's or comment's tail: its parent's text
            stack[-1][0].append(el.tail)
            stack[-1][1][0] += len(el.tail)
        if stack and stack[-1][1][0] > max_chars:
            stack[-1][1][0] = -1


def _best_title(tree: etree._Element, declared: tuple[str | None, ...], tag: str | None,
                site_name: str | None, ld_name: str | None = None, whole_tag: str | None = None) -> str | None:
    """Of the declared titles (JSON-LD headline, og:title, twitter:title; without the site's
    name), the one with most support: displayed as a heading by the article (two votes), each
    source that declares it, the <title> and a JSON-LD name other than the headline (one vote);
    JSON-LD's headline, the article's own, first on a tie. With none declared, the <title>
    (the <h1> there was no better on the check half). ``tag`` is the <title>'s longest part, ``whole_tag`` all of it.

    Sources disagree on a good share of news pages (a search headline in JSON-LD, a social one
    in og:title); what the reader sees is the headline."""
    # a title of separators only ("|", " - ": a template's empty fields between them) is no title
    cands = [_strip_site(unescape(t), site_name) for t in declared if t and _WORDS.search(unescape(t))]
    if not cands:
        printed = _printed_part(unescape(whole_tag), tree) if whole_tag else None
        if printed:
            return printed
        return _strip_site(unescape(tag), site_name) if tag and _WORDS.search(unescape(tag)) else None
    shown = _shown_headings(tree)
    keys = [_title_key(c) for c in cands]
    # the <title> votes once, not as a candidate: it is often cut or carries the section. Read
    # whole as well as its longest part: a headline may hold " - " itself ("Topic - Headline - Site")
    tag_keys: set[str] = set()
    if tag:
        whole = whole_tag or tag
        tag_keys = {_title_key(t) for w in (tag, whole) for t in (w, _strip_site(unescape(w), site_name))}
    voters = keys + ([_title_key(_strip_site(unescape(ld_name), site_name))] if ld_name else [])
    # displayed as a heading counts as two sources: og:title and twitter:title are often one copy
    score = [2 * (c in shown) + sum(_supports(k, c) for k in voters) + any(_supports(k, c) for k in tag_keys)
             for c in keys]
    best = score.index(max(score))
    if keys[best] in shown:
        return cands[best]
    return _shown_part(cands[best], shown)


def _shown_part(title: str, shown: set[str]) -> str:
    """The longest part of a declared ``title`` ("Site | Headline", "Headline - Blog
    name") when the page shows it as a heading and not the whole: the name around it is the
    site's or a section's, whatever it is called."""
    parts = _TITLE_SEP.split(title)
    longest = max(parts, key=len)
    if len(parts) > 1 and len(longest.split()) >= 3 and _title_key(longest) in shown:
        return longest
    return title


#: Separators between the parts of a <title> that declares nothing else: those of ``_PART_SEP`` and
#: the older pages' "Site: Headline", "Site -- Headline", "Blog » Blog Archive » Headline".
_OLD_PART_SEP = re.compile(_PART_SEP.pattern + r"|(?<!\s)\s*»\s*|(?<!\s)\s+--\s+")
#: Elements that print a headline in the markup of pages before headings were styled (1995-2005):
#: bold text in a font of its own size.
_PRINTED_HEAD_TAGS = ("b", "strong", "font", "big")
#: Most elements inside one read as a printed headline (a <font> around the story holds its breaks).
_PRINTED_HEAD_MAX_CHILDREN = 3
#: Headings that print a post's title in a blog's markup (Kubrick's <h2>, Blogger's <h3>): read
#: only right above the block of the post's text (``_heads_text_block``).
_POST_HEAD_TAGS = ("h1", "h2", "h3")
#: Elements of text after a heading looked at for the post's text (a byline, a date may come between),
#: and wrappers around it alone read as it (a 1997 page's <center>).
_POST_HEAD_SIBLINGS, _POST_HEAD_WRAPPERS = 3, 2
#: Fewest paragraphs, of this many words at least, in the block after a heading that make it the post's text.
_POST_TEXT_MIN_PARAGRAPHS, _POST_PARAGRAPH_MIN_WORDS = 2, 10


def _printed_part(title: str, tree: etree._Element) -> str | None:
    """The part of a <title> that the page prints whole in bold type of its own ("Valley
    Courier Online: Flood waters recede", the story's <font size=5><b>Flood waters recede</b>;
    "The Harbor Light -- Café owner wins ..."), or in a heading right above the post's text
    (Kubrick's "Blog » Blog Archive » Post"), for a page that declares no other title: the
    rest is the site's name or a section. The title's longest part, of three words or more;
    None when the page does not print it so."""
    pieces = _OLD_PART_SEP.split(title)
    if len(pieces) < 2:
        return None   # no separator: the title is the headline
    parts = {_title_key(p): p.strip() for p in pieces if len(p.split()) >= 3}
    if not parts:
        return None
    # the longest part only: a site's name of three words is printed too, in its logo's bold type
    longest = max(parts, key=len)
    body = first_descendant(tree, "body")
    for el in (body.iter(*_PRINTED_HEAD_TAGS, *_POST_HEAD_TAGS) if body is not None else ()):
        if len(el) <= _PRINTED_HEAD_MAX_CHILDREN and not _not_the_articles(el) \
                and _title_key("".join(el.itertext())) == longest \
                and (el.tag not in _POST_HEAD_TAGS or _heads_text_block(el)):
            return _clean(parts[longest])
    return None


def _heads_text_block(h: etree._Element) -> bool:
    """Whether heading ``h`` sits right above the post's paragraphs, outside them: Kubrick's
    ``<h2>`` before ``<div class="entry">``, a 1997 page's ``<center><h2>`` over its byline, a
    photo and its ``<p>``s, the post's title over its text. Its next siblings (a wrapper holding
    it alone, a ``<center>``, read as it) hold ``_POST_TEXT_MIN_PARAGRAPHS`` paragraphs of prose
    before another heading and within ``_POST_HEAD_SIBLINGS`` of text (a byline, a date); those
    without text (an image, a rule) are passed over. A heading in a header box with a date and a
    comment count, the text after the box (New York Magazine's 2009 blogs: the dev sets' truths
    hold it as the text's first line), has none."""
    for _ in range(_POST_HEAD_WRAPPERS):
        parent = h.getparent()
        if parent is None or parent.tag == "body" or len(parent) != 1 or (parent.text or "").strip():
            break
        h = parent
    prose = texts = 0
    for sib in h.itersiblings():
        if not isinstance(sib.tag, str) or not "".join(sib.itertext()).strip():
            continue
        if sib.tag in _POST_HEAD_TAGS or texts == _POST_HEAD_SIBLINGS:
            return False   # the next heading's block, or no text near
        paragraphs = (p for p in sib.iter("p") if len("".join(p.itertext()).split()) >= _POST_PARAGRAPH_MIN_WORDS)
        prose += len(list(itertools.islice(paragraphs, _POST_TEXT_MIN_PARAGRAPHS - prose)))
        if prose >= _POST_TEXT_MIN_PARAGRAPHS:
            return True
        texts += 1
    return False


#: What a source may add after a headline it repeats: a separator (spaced or not: "-정치ㅣ한국일보"),
#: then a section or site name of at most four words. A colon is left out: "Topic: headline" is
#: one headline, and "Topic" alone no support for it.
_TAIL = re.compile(r"\s*[|｜ㅣ\-–—·•*]\s*\S+(?:\s+\S+){0,3}\s*")


def _supports(key: str, cand: str) -> bool:
    """``key`` is ``cand``, or ``cand`` with a section or site name after it."""
    return key == cand or len(cand) >= 8 and key.startswith(cand) and bool(_TAIL.fullmatch(key[len(cand):]))


def _title_tag(text: str | None) -> str | None:
    """The longest part of the <title>'s ``text``: "Headline | Site" / "Headline - Site"."""
    if not text:
        return None
    parts = _TITLE_SEP.split(text.strip())
    return _clean(max(parts, key=len)) if parts else None


def title_source(tree: etree._Element, title: str | None) -> str | None:
    """Which of the page's own titles words ``title`` (punctuation, case and quote style aside):
    "h1" (an <h1> shown outside navigation and teasers), "declared" (the JSON-LD headline or name,
    a meta headline, og:title, twitter:title or the <title>, each whole, without the site's name
    or as its longest part), or None (no source of the page). Where two sources word one
    headline otherwise, it tells which of them a title (the truth's) follows."""
    key = _typeset_key(title) if title else ""
    if not key:
        return None
    if any(_typeset_key("".join(h.itertext())) == key for h in _shown_h1s(tree)):
        return "h1"
    meta = _meta(tree)
    site_name = _first(meta, "og:site_name", "application-name")
    article = next((n for n in _ld_nodes(tree) if _types(n) & ARTICLE_TYPES), None)
    declared = [_clean(_ld_text(article.get(k))) for k in ("headline", "name")] if article is not None else []
    declared += [_first(meta, "headline"), _first(meta, "og:title"), _first(meta, "twitter:title"),
                 _clean(tree.findtext(".//title"))]
    for t in filter(None, declared):
        t = unescape(t)
        if key in {_typeset_key(x) for x in (t, _strip_site(t, site_name), _title_tag(t)) if x}:
            return "declared"
    return None
