"""The page's own embedded data as evidence of where its article ends.

Many pages carry their article a second time as data for their scripts: JSON-LD (``articleBody``),
Next.js ``__NEXT_DATA__`` and the app router's ``self.__next_f.push`` flight rows, Nuxt's
``__NUXT__``, other ``application/json`` or ``window.__STATE__`` blobs. Where that data holds the
article, a run of lines at the end of the body that it lacks, after lines it holds, is what the
page shows beside the article (teasers, a pitch, a credit line), not the article: it is cut
(:func:`drop_tail_not_in_data`). No JSON path is read: the scripts' text is searched for runs of
a line's words as they are written, so JSON escapes and markup between runs do not matter; a
short line whose every run crosses a link (rich text ends a string at each) is held where it is
the data's strings one after another (:func:`held_in_pieces`).
JSON-LD counts only where it holds an ``articleBody``: a recipe's or a product's JSON-LD holds
parts of the page as fields, and its silence on the rest (a nutrition box) says nothing. An
``articleBody`` that ends where the kept lines end, before lines of prose, is a part declared (a
teaser up to a CMS's 'more' mark, a paywall's free part): its silence on them says nothing either.

docs/quality.md, "Precision": wcxb-dev's text outside the truth is mostly in the data too (the
page's data is the page), so the step cuts little; fundus-dev's check half gains most.
"""

from __future__ import annotations

import bisect
import re

import lxml.etree as etree

#: An untyped script that is data: Next.js flight pushes, a state blob assigned to ``window``, Nuxt's.
_STATE_START = re.compile(r"\s*(?:self\.__next_f\.push\(|window\.__[A-Za-z_]+__\s*=|__NUXT__)")
#: Types of an inline script that holds code, not data (an untyped one is code too).
_CODE_TYPES = frozenset({"", "text/javascript", "application/javascript", "module"})
#: A non-ASCII character escaped in JSON (PHP's ``json_encode`` writes "Stra\\u00dfe"): words hold them.
_WIDE_ESCAPE = re.compile(r"\\u(?!00[0-7])([0-9a-fA-F]{4})")
#: Four words as written, single spaces between: the unit searched in the data.
_RUN = re.compile(r"\b\w++(?: \w++){3}")   # possessive, from a word's start: linear
#: A JSON string as written, escapes kept (its content in group 1); not opened at an escaped quote:
#: from each of a run of them ('"\\"\\"...') a string unclosed to the end was read again (quadratic).
_JSON_STRING = re.compile(r'(?<!\\)"((?:[^"\\]|\\.)*+)"')
#: A tag inside a string (HTML written into the data): where rich text's string holds markup.
_TAG = re.compile(r"<[^<>]*+>")
#: A string piece of the data up to this many characters: a piece of a short line (longer ones
#: are left out of the set, which stays small).
MAX_PIECE_CHARS = 200
#: A word's edge in a line: where rich text ends a string at a link or a mark.
_EDGE = re.compile(r"\b")
#: The most characters between two pieces of one line in the data (Contentful's link node with its
#: address between them, Sanity's span keys): the pieces of a paragraph stand together, in order.
PIECE_GAP = 300
#: Places of a line's first piece tried, at most (each a read of the window after it: a bound).
MAX_FIRST_PLACES = 50
#: The longest line read in pieces: a short one. The cuts tried grow with the square of its word
#: edges: a 180,000-character last line of "a, a, ..." took 5.8 s.
MAX_PIECES_LINE_CHARS = 300
#: The characters of the data's windows read for pieces a page, at most (a bound on the work, as
#: ``MAX_DATA_CHARS`` is on the data): 50 tail lines of one-letter words between commas, against
#: 1 MB of one-letter strings, read 18 million (2.0-2.6 s a page; 0.16 s before the pieces).
MAX_PIECES_READ_CHARS = 1_000_000
_WORD = re.compile(r"\w+")
#: The data read up to this many characters (a bound on the searches, not a reject).
MAX_DATA_CHARS = 1_000_000
#: The data must hold this much of the body (before the cut run) for its silence to count.
MIN_HELD_CHARS = 1000
#: ... and this share of the body before the run.
MIN_HELD_SHARE = 0.6
#: Lines read on either side of the cut, at most (each read is a search of the data: a bound).
MAX_LINES = 50
#: A JSON-LD ``articleBody`` string as written (escapes kept), from its opening quote.
_DECLARED = re.compile(r'"articleBody"\s*:\s*"((?:[^"\\]|\\.)*+)"')
#: A JSON escape (``\n``, ``\u00a0``): no word of the text.
_ESCAPE = re.compile(r"\\(?:u[0-9a-fA-F]{4}|.)")
#: A line of prose: opens with a letter (or a quote before one), ends a sentence.
_PROSE = re.compile(r"[\"'“‘«„(]?[^\W\d_].*[.!?…][\"'”’»)]?", re.S)
#: A tail kept as the article's where the body declared ends before it: this many lines of prose ...
MIN_PROSE_LINES = 2
#: ... each of this many words at least ...
MIN_PROSE_WORDS = 8
#: ... and between them only headings: up to this many characters, no sentence or list.
MAX_HEADING_CHARS = 80
_NOT_HEADING = re.compile(r"[-|*•]|.*[.!?…,:;]$", re.S)


def data_text(tree: etree._Element, scripts: list[etree._Element] | None = None) -> str:
    """The text of the page's data scripts, joined ("" when it has none). Read before the
    extraction drops scripts. ``scripts``: the tree's ``<script>`` elements, where the caller
    has them (one walk of the tree for them and the metadata's JSON-LD)."""
    parts: list[str] = []
    size = 0
    for el in tree.iter("script") if scripts is None else scripts:
        if el.get("src") is not None:
            continue
        kind = (el.get("type") or "").strip().lower()
        if "json" not in kind and kind not in _CODE_TYPES:
            continue   # templates, other languages
        text = el.text
        if not text or "json" not in kind and not _STATE_START.match(text):
            continue   # code, not data
        if "ld+json" in kind and '"articleBody"' not in text:
            continue   # a recipe's, a product's fields: parts of the page, not its text (a nutrition box)
        text = text[:MAX_DATA_CHARS - size]   # before the escapes are read: a 4 MB blob of them took 0.23 s
        if "\\u" in text:
            text = _WIDE_ESCAPE.sub(_unescaped, text)
        parts.append(text)
        size += len(parts[-1])
        if size >= MAX_DATA_CHARS:
            break
    return "\n".join(parts).replace("\xa0", " ")


def _unescaped(m: re.Match[str]) -> str:
    code = int(m.group(1), 16)
    return "\ufffd" if 0xD800 <= code <= 0xDFFF else chr(code)   # a lone surrogate is no word


def held(line: str, data: str, *, whole: bool = False) -> bool:
    """Whether ``data`` holds ``line``: one of (up to) three runs of four of its words, as written,
    or its words in a line shorter than four. ``whole``: its first and its last run both (an
    excerpt, the article's first characters in a ``description``, holds a line's start only)."""
    line = line.replace("\xa0", " ")
    if line.startswith("|"):
        # a table's row as the extraction writes it: a run of its words crosses cells, which the
        # data holds as strings of their own (a results table ending an article was cut), so
        # each cell is looked for, as written or by its runs
        cells = [cell.strip() for cell in line.strip("| ").split("|")]
        cells = [cell for cell in cells if _WORD.search(cell)]
        return bool(cells) and all(cell in data or held(cell, data, whole=whole) for cell in cells)
    runs = _RUN.findall(line)
    if not runs:
        words = " ".join(_WORD.findall(line))
        return bool(words) and words in data
    if whole:
        return runs[0] in data and runs[-1] in data
    sample = [runs[0], runs[len(runs) // 2], runs[-1]] if len(runs) > 3 else runs
    return any(run in data for run in sample)


def string_pieces(data: str) -> dict[str, list[int]]:
    """The strings of ``data`` (JSON's, split at any tags they hold), up to ``MAX_PIECE_CHARS`` each
    and none only spaces, with where each stands (in order): the pieces rich text (Contentful's and
    Sanity's nodes, HTML in a string) writes a paragraph in, one a link or a mark."""
    pieces: dict[str, list[int]] = {}
    for m in _JSON_STRING.finditer(data):
        text, at = m.group(1), m.start(1)
        parts = _TAG.split(text) if "<" in text else (text,)
        for part in parts:
            piece = part.replace('\\"', '"').replace("\\/", "/") if "\\" in part else part
            if 0 < len(piece) <= MAX_PIECE_CHARS and not piece.isspace():
                pieces.setdefault(piece, []).append(at)
            at += len(part)   # the tag after it is not told apart: near enough for PIECE_GAP
    return pieces


def held_in_pieces(line: str, data: str, budget: list[int] | None = None) -> bool:
    """Whether ``line`` is strings of ``data`` one after another (:func:`string_pieces`), the first
    opening a string, each within ``PIECE_GAP`` characters of the one before, cut at its words'
    edges: a short line rich text splits at its links ("The survey is " "published in full" " on "
    ...), none of whose runs of four words is in one string (:func:`held`). Read in a window after
    each place (up to ``MAX_FIRST_PLACES``) where a string opens with the line's first word; where
    that string's quote is escaped, the data is JSON inside a string (Next.js's flight rows): the
    window is read one escape level down. Only a line of up to ``MAX_PIECES_LINE_CHARS``;
    ``budget``: the characters of windows left to read (``[n]``, spent here), past which no line is
    held."""
    line = line.replace("\xa0", " ")
    first = _WORD.search(line)
    if first is None or len(line) > MAX_PIECES_LINE_CHARS:
        return False
    head = '"' + line[:first.end()]
    edges = sorted({m.start() for m in _EDGE.finditer(line)} | {len(line)})
    size = len(line) + PIECE_GAP * len(edges)
    at = data.find(head)
    for _ in range(MAX_FIRST_PLACES):
        if at < 0:
            return False
        window = data[at:at + size]
        if budget is not None:
            budget[0] -= len(window)
            if budget[0] < 0:
                return False
        if at > 0 and data[at - 1] == "\\":
            window = window.replace('\\\\', '\\').replace('\\"', '"')
        if _one_after_another(line, edges, string_pieces(window)):
            return True
        at = data.find(head, at + 1)
    return False


def _one_after_another(line: str, edges: list[int], pieces: dict[str, list[int]]) -> bool:
    """Whether ``line`` cut at some of ``edges`` is ``pieces`` in order, the first the string that
    opens the window, each within ``PIECE_GAP`` characters after the one before. ``edges``: in
    order, the line's end the last."""
    reached: dict[int, set[int]] = {0: {0}}   # a place in the line: where in the window its last piece ended
    for start in edges if edges[0] == 0 else [0, *edges]:
        ends = reached.get(start)
        if ends is None:
            continue
        for end in edges:
            where = pieces.get(line[start:end]) if end > start else None
            if not where:
                continue
            if start == 0:
                found = [1] if where[0] == 1 else []   # the string opening the window (after its quote)
            else:
                found = [at for after in ends
                         for at in where[bisect.bisect_right(where, after):bisect.bisect_right(where, after + PIECE_GAP)]]
            if found:
                reached.setdefault(end, set()).update(at + end - start for at in found)
    return len(line) in reached


def drop_tail_not_in_data(body: list[str], data: str) -> tuple[list[str], int]:
    """``body`` without its tail run of lines ``data`` lacks, and the characters cut.

    Only where the data holds article text (``MIN_HELD_SHARE`` and ``MIN_HELD_CHARS`` of the up to
    ``MAX_LINES`` lines before the run, whole: a description or a card holding the opening
    paragraph says nothing of the lines after it), never over half the
    body's characters, never the head: a standfirst the data's body lacks is the article's
    (fundus-dev), and not after a JSON-LD ``articleBody`` declared in part (:func:`_declared_in_part`)."""
    if len(data) < MIN_HELD_CHARS or len(body) < 2 or held(body[-1], data):
        return body, 0   # nothing to cut (the last line is held: most pages with data), asked first
    budget = [MAX_PIECES_READ_CHARS]

    def holds(line: str) -> bool:
        # a long line is held by one of its runs where it is in the data at all
        return held(line, data) or len(_RUN.findall(line)) <= 2 and held_in_pieces(line, data, budget)

    total = sum(len(line) for line in body)
    end, run = len(body), 0
    while end > 0 and not holds(body[end - 1]):
        end -= 1
        run += len(body[end])
        if 2 * run > total or len(body) - end > MAX_LINES:
            return body, 0
    if run == 0:
        return body, 0
    before = body[max(0, end - MAX_LINES):end]
    kept = sum(len(line) for line in before if held(line, data, whole=True))
    if kept < MIN_HELD_CHARS or kept < MIN_HELD_SHARE * sum(len(line) for line in before) \
            or _declared_in_part(body[end - 1], body[end:], data):
        return body, 0
    return body[:end], run


def _prose(line: str) -> bool:
    return not line[:1].islower() and len(_WORD.findall(line)) >= MIN_PROSE_WORDS and bool(_PROSE.fullmatch(line))


def _paragraphs(tail: list[str]) -> bool:
    """Whether ``tail`` reads as an article's paragraphs: prose first and last, two lines of it or
    more, headings between (teasers open with a title, a pitch ends with its button)."""
    prose = [_prose(line) for line in tail]
    return (len(tail) >= MIN_PROSE_LINES and prose[0] and prose[-1] and sum(prose) >= MIN_PROSE_LINES
            and all(p or len(line) <= MAX_HEADING_CHARS and not _NOT_HEADING.match(line) for p, line in zip(prose, tail)))


def _declared_in_part(last: str, tail: list[str], data: str) -> bool:
    """Whether the data's silence on ``tail`` is a JSON-LD ``articleBody`` that ends at ``last``'s
    end, before paragraphs of prose: a part declared (a CMS's teaser up to its 'more' mark, a
    paywall's free part), not the article whole. Teasers, credits, pitches and disclaimers are
    seldom paragraphs of sentences (:func:`_paragraphs`; of the tails JSON-LD cuts on the sets'
    dev pages, none is)."""
    if not _paragraphs(tail):
        return False
    runs = _RUN.findall(last.replace("\xa0", " "))
    end_run = runs[-1] if runs else " ".join(_WORD.findall(last))
    start = data.find('"articleBody"') if end_run else -1
    while start >= 0:
        m = _DECLARED.match(data, start)
        if m is None:
            break
        declared = m.group(1)
        at = declared.rfind(end_run)
        if at >= 0 and not _WORD.search(_ESCAPE.sub(" ", declared[at + len(end_run):])):
            return True   # the declared body ends where the kept lines end
        start = data.find('"articleBody"', m.end())
    return False
