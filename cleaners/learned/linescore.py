"""A learned block scorer: the probability that a line of the extracted body is boilerplate, and
the blocks of such lines to drop.

One general mechanism for what leaks into a body (calls to action, newsletter and share
prompts, previous/next links, related lists, author bios, disclosures): each line gets features
that hold on any site and in any language, from its text (its position, its length against the
page's other lines, how it ends, its share of capitalised words, digits and separators, its
neighbours and the run of short lines it sits in) and from the markup it was extracted from
(:class:`_Markup`: its tag and ancestors up to the article's container, whether it is of the
body's usual kind, generic class/id cues, link density, its block), and small gradient-boosted
trees, trained on the dev sets with site-grouped folds (:mod:`newsclean.cleaners.learned.train`), turn
them into a probability. Lines under one wrapper are one block, dropped whole or kept whole.

The trees ship as a small JSON file in the package (``line_model.json``) with a version field:
a missing file, or one of another version, is one :class:`ModelError` when the cleaners are
switched on, never a silent fallback. Inference is numpy over all trees at once: no randomness,
the same lines and tree give the same result.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import itertools
import json
import math
import re
import statistics
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from newsclean.cleaners.body_lines import blocks
from newsclean.cleaners.dom import HEADINGS, link_text_len

#: The model file format; a file of another version is refused (its features may differ).
#: 3: the scope "tail" and a block of prose's own threshold (``prose_threshold``).
#: 4: the structural evidence (:data:`EVIDENCE_FEATURES`).
MODEL_VERSION = 4
MODEL_FILE = Path(__file__).with_name("line_model.json")

#: A line's text features.
TEXT_FEATURES = (
    "rel_pos", "from_start", "from_end", "lines", "log_chars", "words", "to_median", "char_pos",
    "chars_after", "end_sentence", "end_colon", "title_case", "upper", "digits", "separators",
    "link_marks", "non_word", "prev_chars", "next_chars", "short_run", "long_after", "long_before",
    "bullet",
)
#: Generic class/id tokens of a line's element and its ancestors inside the article's container,
#: by family (markup, not text: the same on a site in any language). A token matches a cue when
#: equal to it, or, for cues of five letters or more, when it holds it ("newslettersignup").
CLASS_CUES = {
    "promo": ("newsletter", "subscribe", "subscription", "signup", "promo", "cta", "optin", "donate", "donation",
              "membership", "paywall", "upsell", "offer"),
    "author": ("author", "bio", "byline", "profile", "contributor", "writer"),
    "related": ("related", "recommended", "recommend", "readmore", "teaser", "card", "trending", "popular",
                "next", "prev", "previous", "more", "also"),
    "share": ("share", "sharing", "social", "follow"),
    "ad": ("ad", "ads", "advert", "advertisement", "sponsor", "sponsored", "affiliate", "partner"),
    "note": ("disclaimer", "disclosure", "note", "notice", "callout", "alert", "info", "editor"),
    "media": ("caption", "credit", "figure", "image", "photo", "media", "embed", "video", "gallery"),
    "meta": ("meta", "tags", "tag", "date", "time", "category", "breadcrumb", "breadcrumbs", "header", "footer"),
    "button": ("button", "btn", "form", "input", "link", "links"),
    "comment": ("comment", "comments", "reply"),
}
#: A line's markup features: where the extractor took it from in the page's tree (see
#: :class:`_Markup`); all -1/0 for a line that cannot be placed or a page read otherwise.
MARKUP_FEATURES = (
    "placed", "in_box", "box_depth", "tag_heading", "tag_li", "tag_p", "tag_quote", "tag_cell", "tag_caption",
    "anc_list", "anc_aside", "anc_section", "anc_figure", "anc_headfoot", "anc_form", "anc_table", "anc_divs",
    "same_kind", "kind_share", "branch_share", "link_density", "heading_short_after",
    "block_lines", "block_share", "block_first", "block_last",
    *(f"cls_{family}" for family in CLASS_CUES),
)
#: Structural evidence that a line is not the article, each of which alone flags as many article
#: lines as leaks (docs/quality.md, "Edge lines"), for the trees to combine: where its links and its
#: block's links go (sign-up, subscribe, donate, contact targets; social-profile hosts; other
#: hosts), its opening text shown elsewhere in the page, a break before it (an <hr>, a line of
#: separator marks) and the breaks before and after it, italic alone, a form or a button in or
#: beside its block, an aside/nav/footer or complementary ancestor anywhere above it, its lines
#: from the heading above it and headings after it; and from the page's own metadata, the site
#: naming itself and a line naming the page's author. All 0 (or -1) for a line not placed.
EVIDENCE_FEATURES = (
    "href_signup", "href_social", "href_external", "block_signup", "block_social", "repeated", "break_before",
    "breaks_before", "breaks_after", "italic", "form_near", "aside_any", "since_heading", "headings_after",
    "names_site", "names_author", "starts_author",
)
#: The features, in the order the model reads them (the file names them; a mismatch is refused).
FEATURES = TEXT_FEATURES + MARKUP_FEATURES + EVIDENCE_FEATURES

_WORDS = re.compile(r"\w+")
#: A feature the model was fitted with (CJK full stops and the ellipsis too): not dom.SENTENCE_END,
#: and left as it is, or the stored model reads other inputs than it learned from.
_SENTENCE_END = re.compile(r"[.!?。！？…\"'”’»)]\s*$")
_SEPARATORS = re.compile(r"[|»«·•→←›‹/]")
_LINK_MARKS = re.compile(r"https?://|www\.|@\w|#\w")
_BULLET = re.compile(r"^\W")
#: A line this long or longer counts as a paragraph of prose for the neighbourhood features.
LONG_CHARS = 150
#: The tail walk goes on past a block that stays when it is short lines the model doubts (its mean
#: probability over this, no prose) and the block before it is sure boilerplate (over
#: ``PASS_SURE``) that goes: both go (:meth:`LineModel._passed`). Set by hand, not fitted.
PASS_DOUBT = 0.5
PASS_SURE = 0.9
SHORT_CHARS = 60
#: The largest share of a body's characters the scorer may drop: a page where the trees would drop
#: more is not one they were fitted on, and keeps every line. An article of 500 paragraphs of
#: prose (a long read, a transcript) lost 80% of its text: its line count is past any page of the
#: dev sets, whose largest drop is 38% of a body. Set by hand, not fitted.
MOST_DROPPED = 0.5


class ModelError(RuntimeError):
    """The line model file is missing, unreadable or of another version."""


def _log(n: float) -> float:
    return math.log1p(max(0.0, n))


#: The line element's own tag, by kind (one feature each, in MARKUP_FEATURES' order).
_TAG_KINDS = (HEADINGS, frozenset({"li", "dd", "dt"}), frozenset({"p"}), frozenset({"blockquote", "pre"}),
              frozenset({"td", "th"}), frozenset({"figcaption", "caption"}))
#: Tags of the ancestors between the line's element and the container, by kind.
_ANCESTOR_KINDS = (frozenset({"ul", "ol", "dl"}), frozenset({"aside", "nav"}), frozenset({"section"}),
                   frozenset({"figure"}), frozenset({"header", "footer"}), frozenset({"form", "button"}),
                   frozenset({"table"}))
#: Ancestors looked at above a line that is outside the container (or on a page without one).
_OUTSIDE_DEPTH = 6
_CAMEL = re.compile(r"([a-z])([A-Z])")
_CLASS_TOKEN = re.compile(r"[a-z]+")
_CUES = tuple(CLASS_CUES.values())


@functools.lru_cache(maxsize=8192)
def _families(value: str) -> frozenset[int]:
    """The :data:`CLASS_CUES` families (their indexes) a class or id attribute holds."""
    out = set()
    for token in _CLASS_TOKEN.findall(_CAMEL.sub(r"\1 \2", value).lower()):
        out.update(i for i, cues in enumerate(_CUES) if any(token == c or len(c) >= 5 and c in token for c in cues))
    return frozenset(out)


def _class(el: Any) -> str:
    return el.get("class") or ""


class _Markup:
    """Each line's place in the tree it was extracted from (:func:`blocks.line_sources`), the
    article's container (:func:`blocks.container`), and what the markup says of the line: its
    tag and its ancestors' tags and class/id cues up to the container, whether it is of the same
    kind (tag and class, its parent's too) as most of the body's text, its link density. Lines
    whose elements share one branch under the container (a newsletter box, a bio block) form one
    block: the model drops blocks, not lines. What every line's features share is read at once;
    a line's own (:meth:`row`) only when asked (the scorer's walk asks for few lines)."""

    def __init__(self, lines: Sequence[str], tree: Any, opened: blocks.Openings | None = None,
                 placed: blocks.Placed | None = None) -> None:
        n = len(lines)
        self.lines = lines
        sources, shown = (blocks.placed_lines(tree, list(lines), opened, placed) if tree is not None
                          else ([None] * n, [0] * n))
        box = blocks.container(sources, list(lines)) if tree is not None else None
        self.sources, self.shown, self.box = sources, shown, box
        box_line = [box, *box.iterancestors()] if box is not None else []
        box_at = {a: i for i, a in enumerate(box_line)}
        # each line's element and its ancestors below the container (its path), whether it is
        # inside the container; the body's text by kind of line and by kind of branch under it
        paths: list[list[Any] | None] = [None] * n
        inside = [False] * n
        kinds: list[tuple[str, ...] | None] = [None] * n
        branches: list[Any] = [None] * n
        by_kind: dict[tuple[str, ...], int] = {}
        by_branch: dict[tuple[str, str], int] = {}
        placed = 0
        for k, el in enumerate(sources):
            if el is None:
                continue
            path = []
            for a in itertools.chain((el,), el.iterancestors()):   # up to the container, not the root
                if a in box_at or (not box_at and len(path) >= _OUTSIDE_DEPTH):
                    inside[k] = a is box
                    break
                path.append(a)
            paths[k] = path = path[:_OUTSIDE_DEPTH] if not inside[k] else path
            parent = path[1] if len(path) > 1 else el.getparent()
            kinds[k] = kind = (str(el.tag), _class(el), str(getattr(parent, "tag", "")),
                               _class(parent) if parent is not None else "")
            branches[k] = branch = path[-1] if path else el
            c = len(lines[k])
            placed += c
            by_kind[kind] = by_kind.get(kind, 0) + c
            sig = (str(branch.tag), _class(branch))
            by_branch[sig] = by_branch.get(sig, 0) + c
        self.paths, self.inside = paths, inside
        self.kinds, self.by_kind, self.by_branch, self.placed = kinds, by_kind, by_branch, placed
        self.top_kind = max(by_kind, key=by_kind.__getitem__) if by_kind else None
        self.branches = branches
        # blocks: consecutive lines under one branch that is not the line itself
        self.groups = groups = [0] * n
        g = -1
        for k in range(n):
            b = branches[k]
            if not (k and b is not None and b is branches[k - 1] and paths[k] and len(paths[k]) > 1):
                g += 1
            groups[k] = g
        self.last_group = g
        self.total = sum(len(s) for s in lines) or 1
        self.size: dict[int, int] = {}
        self.chars: dict[int, int] = {}
        for k in range(n):
            self.size[groups[k]] = self.size.get(groups[k], 0) + 1
            self.chars[groups[k]] = self.chars.get(groups[k], 0) + len(lines[k])

    def row(self, k: int) -> tuple[float, ...]:
        """Line ``k``'s :data:`MARKUP_FEATURES`."""
        el, gk = self.sources[k], self.groups[k]
        block = (min(self.size[gk], 20), self.chars[gk] / self.total, float(gk == 0), float(gk == self.last_group))
        if el is None:
            row = [0.0, -1.0, -1.0] + [0.0] * (len(MARKUP_FEATURES) - 3)
            row[-4 - len(CLASS_CUES):-len(CLASS_CUES)] = block
            return tuple(row)
        tag = str(el.tag)
        path = self.paths[k] or [el]
        above = [str(a.tag) for a in path[1:]]
        cues: set[int] = set()
        for a in path:
            for attr in (_class(a), a.get("id") or ""):
                if attr:
                    cues |= _families(attr)
        kind, branch = self.kinds[k], self.branches[k]
        sig = (str(branch.tag), _class(branch))
        heading = tag in HEADINGS
        inside = self.inside[k]
        n = len(self.lines)
        return (
            1.0, float(inside), float(len(path) - 1) if inside else -1.0,
            *(float(tag in kinds_) for kinds_ in _TAG_KINDS),
            *(float(any(t in kinds_ for t in above)) for kinds_ in _ANCESTOR_KINDS),
            float(min(sum(t == "div" for t in above), 10)),
            float(kind == self.top_kind), self.by_kind[kind] / self.placed, self.by_branch[sig] / self.placed,
            min(1.0, link_text_len(el) / max(1, len(self.lines[k]))),
            float(heading and (k + 1 == n or len(self.lines[k + 1]) < SHORT_CHARS)),
            *block,
            *(float(i in cues) for i in range(len(CLASS_CUES))),
        )


#: Link targets of sign-up, subscription, donation, contact and sales calls (href words, any
#: language's site: the paths and hosts of such targets are English or tool names nearly everywhere).
_SIGNUP_HREF = re.compile(
    r"subscri|newsletter|sign-?_?up|signup|register|join|donat|member|contact|quote|demo|trial|pricing|checkout|"
    r"patreon|ko-fi|buymeacoffee|paypal|mailto:|tel:|apps\.apple|play\.google|eepurl|mailchi|list-manage", re.I)
#: Social-profile hosts.
_SOCIAL_HOST = re.compile(
    r"(?:^|\.)(?:twitter|x|facebook|fb|instagram|linkedin|youtube|youtu|tiktok|pinterest|threads|bsky|reddit|"
    r"telegram|t|whatsapp|wa|mastodon|tumblr|vk|weibo|line|discord|twitch)\.[a-z]{2,4}$")
#: Elements of a form, a button or an embedded widget.
_FORM_TAGS = ("form", "button", "input", "select", "textarea", "iframe")
_ITALIC = frozenset({"em", "i"})
#: Ancestors (and roles) of a part of the page beside the article.
_ASIDE_TAGS = frozenset({"aside", "nav", "footer"})
_ASIDE_ROLES = frozenset({"complementary", "contentinfo", "navigation"})
#: A line of separator marks alone ("* * *", "———", "■").
_SEPARATOR_LINE = re.compile(r"^[\W_]{1,12}$")
_NOT_ALNUM = re.compile(r"[\W_]+")


def _href_host(href: str) -> str:
    """The host a link's address names ("" for a relative one, or one that is no address)."""
    try:
        return urlsplit(href).hostname or ""
    except ValueError:   # "http://[::1/x"
        return ""


def _links(el: Any, host: str) -> tuple[float, float, float]:
    """Of an element's links: any to a sign-up target, any to a social-profile host, the share
    to another host than the page's."""
    signup = social = other = total = 0
    for a in el.iter("a"):
        href = a.get("href") or ""
        if not href:
            continue
        total += 1
        signup |= bool(_SIGNUP_HREF.search(href))
        h = _href_host(href)
        if h:
            social |= bool(_SOCIAL_HOST.search(h))
            other += bool(host) and not (h == host or h.endswith("." + host) or host.endswith("." + h))
    return float(signup), float(social), other / total if total else 0.0


def _italic(el: Any, line: str) -> bool:
    """The line's text all in italics: the element is (or sits in) <em>/<i>, or they hold its text."""
    if el.tag in _ITALIC or getattr(el.getparent(), "tag", None) in _ITALIC:
        return True
    chars = sum(len("".join(x.itertext())) for x in el.iter("em", "i") if x.getparent() is not None
                and x.getparent().tag not in _ITALIC)
    return chars >= 0.9 * len(line.strip("- "))


def _aside(el: Any, seen: dict[Any, bool]) -> bool:
    """An aside, a nav, a footer or a complementary part of the page at or above ``el`` (answers
    kept in ``seen``: a page's lines share their ancestors; a walk, not a recursion, however deep
    the page)."""
    walked = []
    got = False
    while el is not None:
        known = seen.get(el)
        if known is not None:
            got = known
            break
        if el.tag in _ASIDE_TAGS or (el.get("role") or "") in _ASIDE_ROLES:
            got = seen[el] = True
            break
        walked.append(el)
        el = el.getparent()
    for a in walked:
        seen[a] = got
    return got


def _word_char(text: str, i: int) -> bool:
    """Whether ``text[i]`` is a word character as ``re``'s ``\\w`` reads one (False out of range)."""
    return 0 <= i < len(text) and (text[i].isalnum() or text[i] == "_")


def _has_word(text: str, word: str) -> bool:
    """``word`` in ``text`` between word boundaries, as ``re.search(rf"\\b{re.escape(word)}\\b", text)``
    finds it: found without compiling a pattern for each page's authors (a compile cost more
    than the rest of a line's evidence)."""
    i = text.find(word)
    while i >= 0:
        end = i + len(word)
        if (_word_char(text, i - 1) != _word_char(text, i)) and (_word_char(text, end - 1) != _word_char(text, end)):
            return True
        i = text.find(word, i + 1)
    return False


def _site_name(site: str | None) -> str:
    """The page's host as the site names itself: its label before the suffix ("coastline-weekly"
    of www.coastline-weekly.co.uk), letters and digits only; "" when too short to tell."""
    if not site:
        return ""
    labels = [x for x in site.lower().split(".") if x not in ("www", "m", "amp", "blog", "news")]
    name = max(labels[:-1] or labels, key=len, default="")
    name = _NOT_ALNUM.sub("", name)
    return name if len(name) >= 4 else ""


class _Evidence:
    """Each line's :data:`EVIDENCE_FEATURES`, from its place (:class:`_Markup`) and the page's
    metadata (its host and authors). The breaks and headings every line counts are read at once,
    a line's own evidence (its links, its block's, italics, an aside above it) when asked
    (:meth:`row`)."""

    def __init__(self, lines: Sequence[str], markup: _Markup, site: str | None, authors: Sequence[str]) -> None:
        n = len(lines)
        self.lines, self.markup = lines, markup
        self.host = host = (site or "").lower().removeprefix("www.")
        self.name = _site_name(host)
        self.people = people = [a for a in authors if a and len(a) >= 4]
        self.surnames = sorted({p.split()[-1] for p in people if len(p.split()[-1]) >= 3})
        self.block: dict[Any, tuple[float, float, float, bool]] = {}
        self.aside_at: dict[Any, bool] = {}
        # an <hr> right before the line's element or an ancestor below the container
        self.hr = [el is not None and any(getattr(a.getprevious(), "tag", None) == "hr" for a in markup.paths[k] or [el])
                   for k, el in enumerate(markup.sources)]
        breaks = [self.hr[k] or (len(line) <= 12 and _SEPARATOR_LINE.match(line.strip()) is not None)
                  for k, line in enumerate(lines)]
        # breaks up to each line and after it; lines from the heading above it, headings after it
        self.before, self.breaks = [0] * n, sum(breaks)
        self.since, self.heads_after = [-1] * n, [0] * n
        heads = [el is not None and el.tag in HEADINGS for el in markup.sources]
        before, since, heads_after = 0, -1, sum(heads)
        for k in range(n):
            before += breaks[k]
            heads_after -= heads[k]
            since = 0 if heads[k] else (since + 1 if since >= 0 else -1)
            self.before[k], self.since[k], self.heads_after[k] = before, since, heads_after

    def row(self, k: int) -> tuple[float, ...]:
        """Line ``k``'s :data:`EVIDENCE_FEATURES`."""
        line, el, name, people = self.lines[k], self.markup.sources[k], self.name, self.people
        low = line.lower()
        named = (float(bool(name) and name[:4] in low and name in _NOT_ALNUM.sub("", low)),
                 float(any(p in line for p in people) or any(_has_word(line, w) for w in self.surnames)),
                 float(any(line.lstrip("- ").startswith(p) for p in people)))
        breaks = (float(self.before[k]), float(self.breaks - self.before[k]))
        if el is None:
            return (0.0,) * 7 + breaks + (0.0,) * 3 + (-1.0, -1.0) + named
        branch = self.markup.branches[k]
        b = self.block.get(branch)
        if b is None:
            nxt = branch.getnext()
            b = self.block[branch] = (*_links(branch, self.host), next(branch.iter(*_FORM_TAGS), None) is not None
                                      or (nxt is not None and nxt.tag in _FORM_TAGS))
        return (*_links(el, self.host), b[0], b[1], float(min(self.markup.shown[k] - 1, 3)), float(self.hr[k]),
                *breaks, float(_italic(el, line)), float(b[3]), float(_aside(el.getparent(), self.aside_at)),
                float(min(self.since[k], 20)), float(min(self.heads_after[k], 5)), *named)


class _Page:
    """What every line's features share: the page's lengths, its long prose lines, the runs of
    short lines, and (given the tree the lines were extracted from) their markup."""

    def __init__(self, lines: Sequence[str], tree: Any = None, site: str | None = None,
                 authors: Sequence[str] = (), opened: blocks.Openings | None = None,
                 placed: blocks.Placed | None = None) -> None:
        n = len(lines)
        self.lines, self.n = lines, n
        self.lengths = lengths = [len(s) for s in lines]
        self.total = sum(lengths) or 1
        self.median = statistics.median(lengths) if lengths else 1
        long_ = [c >= LONG_CHARS and bool(_SENTENCE_END.search(s)) for s, c in zip(lines, lengths)]
        # each line's run of short lines (0 for a line that is not short)
        self.run = run = [0] * n
        i = 0
        while i < n:
            j = i
            while j < n and lengths[j] < SHORT_CHARS:
                j += 1
            for k in range(i, j):
                run[k] = j - i
            i = j + 1 if j == i else j
        # long prose lines before and after each line, characters before it
        self.long_before, self.long_after, self.chars_before = [0] * n, [0] * n, [0] * n
        before = chars = 0
        for k in range(n):
            self.long_before[k], self.chars_before[k] = before, chars
            before += long_[k]
            chars += lengths[k]
        for k in range(n):
            self.long_after[k] = before - self.long_before[k] - long_[k]
        self.markup = _Markup(lines, tree, opened, placed)
        self.evidence = _Evidence(lines, self.markup, site, authors)
        self.groups = self.markup.groups

    def row(self, k: int) -> tuple[float, ...]:
        s, c, n = self.lines[k], self.lengths[k], self.n
        words = _WORDS.findall(s)
        alpha = [w for w in words if w[0].isalpha()]
        caps = sum(1 for w in alpha if w[0].isupper())
        upper = sum(1 for w in alpha if len(w) > 1 and w.isupper())
        digits = sum(map(str.isdigit, s))
        word_chars = sum(len(w) for w in words)
        before = self.chars_before[k]
        return (
            k / (n - 1) if n > 1 else 0.0, min(k, 20), min(n - 1 - k, 20), _log(n), _log(c), _log(len(words)),
            math.log((c + 1) / (self.median + 1)), before / self.total, (self.total - before - c) / self.total,
            float(bool(_SENTENCE_END.search(s))), float(s.endswith(":")),
            caps / len(alpha) if alpha else 0.0, upper / len(alpha) if alpha else 0.0, digits / c if c else 0.0,
            len(_SEPARATORS.findall(s)), float(bool(_LINK_MARKS.search(s))), 1 - word_chars / c if c else 0.0,
            _log(self.lengths[k - 1]) if k else -1.0, _log(self.lengths[k + 1]) if k + 1 < n else -1.0,
            min(self.run[k], 20), min(self.long_after[k], 20), min(self.long_before[k], 20),
            float(bool(_BULLET.match(s))),
        ) + self.markup.row(k) + self.evidence.row(k)

    def matrix(self) -> np.ndarray:
        return np.array([self.row(k) for k in range(self.n)], dtype=np.float64).reshape(self.n, len(FEATURES))


@dataclass(frozen=True)
class PageFeatures:
    """One page's body lines, their feature rows and their blocks (a block index per line)."""

    lines: list[str]
    x: np.ndarray
    groups: list[int]


def page_features(lines: Sequence[str], tree: Any = None, site: str | None = None,
                  authors: Sequence[str] = (), opened: blocks.Openings | None = None,
                  placed: blocks.Placed | None = None) -> PageFeatures:
    """The features of a body's lines; ``tree``: the (pruned) tree they were extracted from, or
    None when they were not read from one (their markup features then say "not placed");
    ``site``: the page's host, ``authors``: its authors (the metadata's), for the evidence of a
    line naming the site or the author; ``opened``: the tree's :func:`blocks.openings`, when read
    already; ``placed``: the lines an earlier step placed in the tree (:func:`blocks.placed_lines`)."""
    page = _Page(lines, tree, site, authors, opened, placed)
    return PageFeatures(list(lines), page.matrix(), page.groups)


def features(lines: Sequence[str], tree: Any = None, site: str | None = None,
             authors: Sequence[str] = ()) -> np.ndarray:
    """One row of :data:`FEATURES` per line (float64, shape ``(len(lines), len(FEATURES))``)."""
    return page_features(lines, tree, site, authors).x


@dataclass(frozen=True)
class LineModel:
    """Gradient-boosted regression trees over :data:`FEATURES` (log-odds of boilerplate), padded to
    one depth so that every tree is evaluated at once: node arrays of shape ``(trees, nodes)``.
    A leaf points to itself, so walking ``depth`` steps from the root ends on a leaf."""

    feature: np.ndarray     # int, -1 at a leaf
    threshold: np.ndarray   # go left when x <= threshold
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray       # a leaf's contribution (learning rate applied)
    depth: int
    base: float             # the initial log-odds
    threshold_drop: float   # a block is dropped when its lines' mean probability is above this ...
    scope: str              # ... where the scope allows: "tail" (the tail run of blocks), "edges" (head and tail) or "any"
    meta: dict[str, Any]
    prose_threshold: float = 0.0   # a block holding a paragraph of prose needs this much (at least threshold_drop)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LineModel:
        trees = data["trees"]
        width = max(len(t["feature"]) for t in trees) if trees else 1
        arrays: dict[str, np.ndarray] = {}
        for key, fill, dtype in (("feature", -1, np.int64), ("threshold", 0.0, np.float64),
                                 ("left", 0, np.int64), ("right", 0, np.int64), ("value", 0.0, np.float64)):
            arr = np.full((len(trees), width), fill, dtype=dtype)
            for t, tree in enumerate(trees):
                arr[t, :len(tree[key])] = tree[key]
            arrays[key] = arr
        return cls(**arrays, depth=int(data["depth"]), base=float(data["base"]),
                   threshold_drop=float(data["threshold_drop"]), scope=str(data["scope"]),
                   meta=dict(data.get("meta") or {}), prose_threshold=float(data.get("prose_threshold", 0.0)))

    def to_dict(self) -> dict[str, Any]:
        trees = []
        for t in range(self.feature.shape[0]):
            trees.append({key: getattr(self, key)[t].tolist()
                          for key in ("feature", "threshold", "left", "right", "value")})
        return {"version": MODEL_VERSION, "features": list(FEATURES), "depth": self.depth, "base": self.base,
                "threshold_drop": self.threshold_drop, "prose_threshold": self.prose_threshold, "scope": self.scope,
                "meta": self.meta, "trees": trees}

    @functools.cached_property
    def _flat(self) -> tuple[np.ndarray, ...]:
        """The node arrays flattened, a node's index offset by its tree's (one gather a step
        for all trees, the few rows of a tail walk cheap), a leaf's children itself."""
        trees, width = self.feature.shape
        offset = np.arange(trees)[:, None] * width
        own = np.arange(width)[None, :]
        leaf = self.feature < 0
        return (offset, np.maximum(self.feature, 0).ravel(), self.threshold.ravel(),
                (np.where(leaf, own, self.left) + offset).ravel(), (np.where(leaf, own, self.right) + offset).ravel(),
                self.value.ravel())

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """P(boilerplate) of each row of a feature matrix."""
        if x.shape[0] == 0:
            return np.zeros(0)
        offset, feature, threshold, left, right, value = self._flat
        node = np.repeat(offset, x.shape[0], axis=1)   # (trees, rows): each tree's root
        xt, rows = x.T, np.arange(x.shape[0])
        for _ in range(self.depth):
            node = np.where(xt[feature[node], rows] <= threshold[node], left[node], right[node])
        # summed along each row's own trees: a row's score is the same bits in a batch of one
        # (the tail walk's) as in a page's matrix
        score = self.base + np.ascontiguousarray(value[node].T).sum(axis=1)
        return 1.0 / (1.0 + np.exp(-score))

    def _goes(self, lines: Sequence[str], p: Sequence[float]) -> bool:
        """Whether a block of ``lines`` (their probabilities ``p``) goes: their mean probability,
        weighted by their characters, over ``threshold_drop``, or over ``prose_threshold`` for a
        block that holds a paragraph of prose (the article's last paragraph is one, a pitch rarely)."""
        return self._drops(*_block_mean(lines, p))

    def _drops(self, mean: float, prose: bool) -> bool:
        """Whether a block of this mean probability (and prose or not) goes (:meth:`_goes`)."""
        return mean > (max(self.threshold_drop, self.prose_threshold) if prose else self.threshold_drop)

    def _passed(self, inner: Sequence[str], p_inner: Sequence[float]) -> bool:
        """Whether the tail walk, stopped at a doubted block (:meth:`_tail_run`), goes on past it together
        with the block before it (``inner``): that one sure boilerplate (over ``PASS_SURE``) that
        goes. A label left at the very end ("Book your first lesson" after a contact line) kept
        the block it closes."""
        mean, prose = _block_mean(inner, p_inner)   # read once for both tests
        return mean > PASS_SURE and self._drops(mean, prose)

    def _tail_run(self, inward: Iterable[tuple[Sequence[str], Sequence[float]]]) -> int:
        """How many of the blocks ``inward`` gives (lines and probabilities, from the last block inward, read only
        as far as the walk goes) go: each that goes (:meth:`_drops`); at one that stays, if it is
        doubted (short lines, no prose, mean over ``PASS_DOUBT``), it and the block before it
        where that one is :meth:`_passed`; the walk stops at any other."""
        gone = 0
        it = iter(inward)
        for lines, p in it:
            mean, prose = _block_mean(lines, p)   # read once for both tests
            if self._drops(mean, prose):
                gone += 1
                continue
            inner = None if prose or mean <= PASS_DOUBT else next(it, None)
            if inner is None or not self._passed(*inner):
                break
            gone += 2
        return gone

    def mask(self, page: PageFeatures) -> list[bool]:
        """Which lines to drop: the blocks that go (:meth:`_goes`); with scope "tail" only the
        unbroken run of such blocks at the tail (passing a doubted block with the sure one before
        it, :meth:`_passed`), with "edges" at the head too; never every line, nor more than
        :data:`MOST_DROPPED` of the characters."""
        n = len(page.lines)
        if not n:
            return []
        p = self.probabilities(page.x)
        members: dict[int, list[int]] = {}
        for k, g in enumerate(page.groups):
            members.setdefault(g, []).append(k)
        order = list(members)
        over = {g: self._goes([page.lines[k] for k in ks], [p[k] for k in ks]) for g, ks in members.items()}
        if self.scope == "edges":
            keep = set(order)
            for run in (order, order[::-1]):
                for g in run:
                    if not over[g]:
                        break
                    keep.discard(g)
            over = {g: g not in keep for g in order}
        elif self.scope == "tail":
            walk = order[::-1]
            gone = self._tail_run(([page.lines[k] for k in members[g]], [p[k] for k in members[g]]) for g in walk)
            over = {g: i < gone for i, g in enumerate(walk)}
        return _bounded(page.lines, [over[g] for g in page.groups])

    def tail_mask(self, page: _Page) -> list[bool]:
        """:meth:`mask` of a page with scope "tail", the features read only for the blocks the
        walk visits: from the last block inward, up to and with the first block that stays (the
        page's shared features once; most pages' walk reads one block or two)."""
        if self.scope != "tail":
            return self.mask(PageFeatures(list(page.lines), page.matrix(), page.groups))
        n, groups = page.n, page.groups
        starts: list[int] = []   # each visited block's first line, from the last block inward

        def inward() -> Iterator[tuple[Sequence[str], np.ndarray]]:
            end = n
            while end:
                start = end - 1
                while start and groups[start - 1] == groups[end - 1]:   # a block's lines are consecutive
                    start -= 1
                x = np.array([page.row(k) for k in range(start, end)], dtype=np.float64).reshape(end - start, len(FEATURES))
                starts.append(start)
                yield page.lines[start:end], self.probabilities(x)
                end = start

        gone = self._tail_run(inward())
        start = starts[gone - 1] if gone else n
        return _bounded(page.lines, [False] * start + [True] * (n - start))

    def drop_mask(self, lines: Sequence[str], tree: Any = None) -> list[bool]:
        """:meth:`mask` of a body's lines (``tree``: see :func:`page_features`)."""
        return self.mask(page_features(lines, tree))

    def filter(self, lines: list[str], tree: Any = None) -> tuple[list[str], int]:
        """The kept lines and the characters dropped."""
        mask = self.drop_mask(lines, tree)
        return [s for s, d in zip(lines, mask) if not d], sum(len(s) for s, d in zip(lines, mask) if d)


def _bounded(lines: Sequence[str], drop: list[bool]) -> list[bool]:
    """``drop``, or no line dropped where it drops every line or over :data:`MOST_DROPPED` of the
    characters."""
    gone = sum(len(s) for s, d in zip(lines, drop) if d)
    return [False] * len(drop) if all(drop) or gone > MOST_DROPPED * sum(map(len, lines)) else drop


def _block_mean(lines: Sequence[str], p: Sequence[float]) -> tuple[float, bool]:
    """A block's mean probability weighted by its lines' characters, and whether it holds a
    paragraph of prose (``blocks.PROSE_CHARS`` or more, ending like a sentence)."""
    weight = mass = 0.0
    prose = False
    for pk, line in zip(p, lines):
        w = len(line) + 1.0
        weight += w
        mass += w * float(pk)
        prose = prose or (len(line) >= blocks.PROSE_CHARS and _SENTENCE_END.search(line) is not None)
    return mass / weight, prose


def load_model(path: Path) -> LineModel:
    """The model in ``path``; :class:`ModelError` (one line: what and how to rebuild) when it is
    missing, not a model file, of another version or over other features."""
    rebuild = "rebuild it with: python -m newsclean.cleaners.learned.train"
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ModelError(f"line model {path} is missing; {rebuild}") from None
    except (OSError, ValueError) as exc:
        raise ModelError(f"line model {path} is unreadable ({type(exc).__name__}); {rebuild}") from None
    if not isinstance(data, dict) or data.get("version") != MODEL_VERSION:
        got = data.get("version") if isinstance(data, dict) else None
        raise ModelError(f"line model {path} has version {got!r}, this newsclean reads {MODEL_VERSION}; {rebuild}")
    if data.get("features") != list(FEATURES):
        raise ModelError(f"line model {path} was trained on other features; {rebuild}")
    try:
        return LineModel.from_dict(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"line model {path} is malformed ({type(exc).__name__}: {exc}); {rebuild}") from None


@functools.cache
def shipped_model() -> LineModel:
    """The package's model (:data:`MODEL_FILE`), read once per process."""
    return load_model(MODEL_FILE)


#: While set (:func:`recording`), every body the cleaners finish is recorded here with its features.
_RECORDING: contextvars.ContextVar[list[PageFeatures] | None] = contextvars.ContextVar("newsclean_line_features",
                                                                                     default=None)


@contextlib.contextmanager
def recording() -> Iterator[list[PageFeatures]]:
    """The features of every body ``clean_html`` finishes inside the block (scorer on or off), in
    order: what training reads (the lines and the tree they came from as the cleaner sees them)."""
    out: list[PageFeatures] = []
    token = _RECORDING.set(out)
    try:
        yield out
    finally:
        _RECORDING.reset(token)


def score_body(lines: list[str], tree: Any, on: bool, site: str | None = None,
               authors: Sequence[str] = (), opened: blocks.Openings | None = None,
               placed: blocks.Placed | None = None) -> tuple[list[str], int]:
    """The cleaner's step: ``lines`` without what the shipped model drops when ``on``; the
    characters dropped (``site``, ``authors``, ``opened``, ``placed``: see :func:`page_features`). Recorded
    when :func:`recording` (every line's features); else only the blocks the tail walk visits
    are read (:meth:`LineModel.tail_mask`); nothing computed when neither."""
    record = _RECORDING.get()
    if not on and record is None:
        return lines, 0
    if record is None:
        mask = shipped_model().tail_mask(_Page(lines, tree, site, authors, opened, placed))
    else:
        page = page_features(lines, tree, site, authors, opened, placed)
        record.append(page)
        if not on:
            return lines, 0
        mask = shipped_model().mask(page)
    return [s for s, d in zip(lines, mask) if not d], sum(len(s) for s, d in zip(lines, mask) if d)
