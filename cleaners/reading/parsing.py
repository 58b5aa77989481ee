"""The page's text as a tree: the parser ``clean_html`` reads every page with, what lxml refuses
replaced before it reads it, and the bounds its C code needs checked beforehand.

- :func:`parse` (:func:`parser_input`'s UTF-8, then :func:`parse_utf8`): one parse of a page.
- :func:`cut_at_depth`: whether the last parse stopped at libxml2's nesting bound (``MAX_DEPTH``).
- :func:`crowded_tag`: a tag holding more attributes than libxml2 reads in reasonable time
  (``MAX_TAG_ATTRIBUTES``): the page is rejected before it is parsed.
"""

from __future__ import annotations

import re

import lxml.etree as etree
import lxml.html

from newsclean.cleaners import dom


# Like trafilatura's own parser: comments and PIs dropped at parse time (a comment inside a link
# would otherwise cut the link's text out of the extracted paragraph).
# It reads UTF-8 bytes (``parse`` encodes the page): libxml2 reads them 15% faster than a str
# handed over in UCS-2 or UCS-4, and the check for what lxml refuses is faster on them too. The
# encoding is fixed: a page's meta charset cannot switch it (the text is decoded already).
_PARSER = lxml.html.HTMLParser(collect_ids=False, default_doctype=False, remove_comments=True, remove_pis=True,
                               encoding="utf-8")
# Every element an HtmlElement, chosen in C: lxml.html's own lookup is a Python call per element
# proxy (form and input subclasses nobody here uses), a tenth of the pruning passes' CPU.
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity))


#: What lxml refuses in a text or tail it is given (XML 1.0: C0 controls other than tab, newline
#: and carriage return; U+FFFE, U+FFFF; lone surrogates), though its HTML parser lets them into the
#: tree: one of them beside an element a step removes failed the whole page ("All strings must be
#: XML compatible"). Replaced once, at parse: vertical tab and form feed (Word's line break, a page
#: break) by a line break, NUL by nothing (as before), the other controls by a space (pages put
#: them between words), the rest by U+FFFD.
_XML_INCOMPATIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_XML_REPLACEMENT = {"\x00": "", "\x0b": "\n", "\x0c": "\n", "\ufffe": "\ufffd", "\uffff": "\ufffd"}


def _xml_compatible(text: str) -> str:
    if _XML_INCOMPATIBLE.search(text) is None:
        return text
    return _XML_INCOMPATIBLE.sub(lambda m: _XML_REPLACEMENT.get(m[0], "\ufffd" if m[0] >= "\ud800" else " "), text)


#: The C0 controls of ``_XML_INCOMPATIBLE``, as bytes.
_C0_BYTES = bytes(c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D))


def _compatible_utf8(text: str) -> bytes | None:
    """``text`` in UTF-8 when it holds nothing of ``_XML_INCOMPATIBLE`` (nearly every page), else
    None. Each check is a scan in C: the two noncharacters are one-character searches, a lone
    surrogate fails the encoding, a control is deleted by ``translate``; over wcxb-dev 0.18 ms a
    page, the regex over the str 0.46 ms."""
    if "\ufffe" in text or "\uffff" in text:
        return None
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return data if len(data.translate(None, _C0_BYTES)) == len(data) else None


#: An XML declaration opening the page (after whitespace): lxml refuses one in a str, and the bytes
#: are read as UTF-8 whatever it says.
_XML_DECLARATION = re.compile(r"\s*<\?xml[^>]*\?>")


def parse(text: str) -> etree._Element | None:
    """Parse once with lxml; ``None`` when there is no document."""
    return parse_utf8(parser_input(text))


def parser_input(text: str) -> bytes:
    """The UTF-8 that :func:`parse` reads for ``text``: what lxml refuses replaced, an opening
    XML declaration dropped. ``clean_html`` keeps these bytes, not the page's str, for a second
    parse: a str of a page holding one character beyond U+FFFF takes 4 bytes a character (8.9 MB
    for fundus-dev's 2.2 MB pages), its UTF-8 1-2."""
    data = _compatible_utf8(text)
    if data is None:
        text = _xml_compatible(text)
    declaration = _XML_DECLARATION.match(text)   # not text.lstrip(): a copy of the whole page
    if declaration:
        text, data = text[declaration.end():], None
    return text.encode("utf-8") if data is None else data


def parse_utf8(data: bytes) -> etree._Element | None:
    """Parse :func:`parser_input`'s bytes; ``None`` when there is no document."""
    try:
        root = lxml.html.document_fromstring(data, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None
    dom.adopt_stray_roots(root)
    return root


#: libxml2's bound on nesting (without XML_PARSE_HUGE, which lifts its other bounds too): the
#: parse stops at the 256th open element and the rest of the page is never read.
MAX_DEPTH = 255


def cut_at_depth() -> bool:
    """Whether the last :func:`parse` stopped at libxml2's nesting bound (its last error; the
    parser's log is read in microseconds)."""
    last = _PARSER.error_log.last_error
    return last is not None and "Excessive depth" in last.message


#: Attributes one tag may hold. libxml2 checks each attribute of a tag against those before it,
#: in C where clean_html's time bound cannot interrupt it: 10,000 distinct attributes take 0.1 s
#: to parse, 40,000 take 2 s, 100,000 took 22 s (and the page is parsed twice), the 600,000 of
#: an 8 MB page would take hours.
MAX_TAG_ATTRIBUTES = 10_000

# A tag as HTML's tokenizer (libxml2's since 2.14) reads it. A tag ends at the first ">" outside
# a quoted value; a value is quoted only after "=" ("a=\"x>y\"": one value; "a\"b": a name); "<"
# and "/" part no tag ("a<b" is a name, "a/b" two). Each pattern is possessive: linear, no backtracking.
_WS = "\t\n\f\r "
#: An attribute's value after its "=": quoted (an unclosed quote runs to the end), or bare.
_VALUE = rf"(?:\"[^\"]*+(?:\"|\Z)|'[^']*+(?:'|\Z)|[^{_WS}>\"'][^{_WS}>]*+)?+"
#: An attribute from its name's first character ("=" may be one there), with its value if any.
_ATTRIBUTE = rf"[^{_WS}/>][^{_WS}/>=]*+(?:[{_WS}]*+=[{_WS}]*+{_VALUE})?+"
_ATTRIBUTES = rf"(?:[{_WS}/]++|{_ATTRIBUTE})*+"
#: The elements whose content is text up to their end tag (libxml2 reads <noscript> as markup).
_RAW_TEXT = "script|style|xmp|iframe|noembed|noframes|title|textarea"
_RAW_TEXT_NAMES = frozenset(_RAW_TEXT.split("|"))
#: A raw-text element's end tag, by its name.
_RAW_TEXT_END = {name: re.compile(rf"</{name}[{_WS}/>]", re.I) for name in _RAW_TEXT_NAMES}
#: The page read token by token (text, comments, doctype and other "<!"/"<?", end tags, tags,
#: raw-text elements whole): matched up to an endpos, it stops at the token that crosses it.
_TOKENS = re.compile(
    r"(?:[^<]++|<!--(?:-?>|(?:[^-]++|-(?!-!?>))*+--!?>)|<!(?!--)[^>]*+>|<\?[^>]*+>|</(?![A-Za-z])[^>]*+>"
    r"|<(?=[^A-Za-z!?/])|"
    # a raw-text element, one alternative each: a backreference in a possessive loop fails in
    # Python 3.11's re ("The span of capturing group is wrong")
    + "|".join(rf"<{name}(?=[{_WS}/>]){_ATTRIBUTES}>[^<]*+(?:<(?!/{name}[{_WS}/>])[^<]*+)*+(?=</{name}[{_WS}/>])"
               for name in _RAW_TEXT.split("|"))
    + rf"|<(?!(?:{_RAW_TEXT})[{_WS}/>])[A-Za-z][^{_WS}/>]*+{_ATTRIBUTES}>|</[A-Za-z][^{_WS}/>]*+{_ATTRIBUTES}>)*+", re.I)
#: A tag's start: its name.
_TAG_NAME = re.compile(rf"</?[A-Za-z][^{_WS}/>]*+")
_TAG_ATTRIBUTES = re.compile(_ATTRIBUTES)
#: A tag's attributes one by one, with what parts them (possibly nothing: 'a="1"b'): group 1
#: holds an attribute, or is empty for the separators at the tag's end.
_NEXT_ATTRIBUTE = re.compile(rf"[{_WS}/]*+({_ATTRIBUTE})|[{_WS}/]++")
#: A tag's attributes up to the bound: a match that stops short of the tag's ">" (or the page's
#: end) has more to read.
_UP_TO_BOUND = re.compile(rf"(?:[{_WS}/]*+{_ATTRIBUTE}){{0,{MAX_TAG_ATTRIBUTES}}}+[{_WS}/]*+")
#: A comment's end ("<!-->" and "<!--->" end where they begin).
_COMMENT_END = re.compile(r"-?>|(?:[^-]++|-(?!-!?>))*+--!?>")


def crowded_tag(text: str) -> int:
    """The number of attributes of the first tag in ``text`` holding more than
    ``MAX_TAG_ATTRIBUTES`` (read as HTML's tokenizer reads them: a quoted value's ">" ends no tag,
    "a<b" is one name, "a/b" two), else 0; a base64 image's one long value is one attribute.

    Such a tag is a stretch of ``2 * MAX_TAG_ATTRIBUTES`` characters at least (a name and a
    separator each), so it covers one of the windows ``text[k * MAX:(k + 1) * MAX]`` whole. A
    window holding a ">" that no quoted value holds (a sure one, ``_Ends``) is no tag's inside
    (the first ">" of most windows is sure). Any other is a tag's inside only
    if a tag starts between it and the last sure ">" before it: the few there are read as tags
    (``_crowding``, counting in C). Where there are many, or no sure ">" near, or those reads
    have covered the page four times, the window is looked into by reading the page token by
    token (``_TOKENS``, in C, 1-3 ms a page) from where the last such look ended up to the
    window's start, which finds the token over it: only a tag is counted, and the windows it
    covers are skipped (the page is read once at most). On the dev sets 0-2 % of pages need
    that reading; none is rejected."""
    step = MAX_TAG_ATTRIBUTES
    at = synced = 0
    ends = _Ends(text)
    last_end, read = -1, 0   # the last ">" before ``read``
    since, checked = -2, 0   # the tag starts after the sure ">" at ``since`` are read up to ``checked``
    budget = 4 * len(text)   # what the tag starts' reads may cover: past it, the tokenizer's turn
    while at + step <= len(text):
        stop = at + step
        if ends.sure_in(at, stop):
            at = stop
            continue
        if text.find(">", read, at) != -1:
            last_end = text.rfind(">", read, at)
        read = at
        before = ends.sure_before(last_end) if budget > 0 else None
        if before is not None:
            # the tags that may cover it: those starting after ``before`` (read once each)
            opened = _tag_starts(text, checked if before == since else before + 1, at)
            if opened is not None:
                n = 0
                for start in opened:
                    crowding, read_to = _crowding(text, start)
                    n, budget = max(n, crowding), budget - (read_to - start)
                if n > MAX_TAG_ATTRIBUTES:
                    return n
                since, checked = before, at
                at = stop
                continue
        crossing = _TOKENS.match(text, synced, at).end()   # where the token over ``at`` begins
        n, synced = _token_over(text, crossing)
        if n > MAX_TAG_ATTRIBUTES:
            return n
        at = max(stop, -(-synced // step) * step)   # the next window that token does not cover
    return 0


#: How many ">" (or tag starts) a window's look reads before it leaves the window to the tokenizer.
_LOOKS = 16


def _tag_starts(text: str, start: int, end: int) -> list[int] | None:
    """The tag starts ("<" and a letter or "/") in ``text[start:end]``, None for more than
    ``_LOOKS`` (or more than ``4 * _LOOKS`` "<" in all: a script's comparisons)."""
    found = []
    at = text.find("<", start, end)
    for _ in range(4 * _LOOKS):
        if at == -1:
            return found
        if at + 1 < len(text) and (text[at + 1].isascii() and text[at + 1].isalpha() or text[at + 1] == "/"):
            if len(found) == _LOOKS:
                return None
            found.append(at)
        at = text.find("<", at + 1, end)
    return None if at != -1 else found


class _LastQuote:
    """The last of one quote before a position: a short look back (512 characters), else a
    ``find`` forward from the position asked before (a long backward ``rfind`` over a page of
    non-Latin-1 text reads 20 times slower than ``find``); afresh for a position before it."""

    __slots__ = ("text", "quote", "asked", "last")

    def __init__(self, text: str, quote: str) -> None:
        self.text, self.quote = text, quote
        self.asked, self.last = 0, -1   # the position asked before, the last quote before it

    def before(self, at: int) -> int:
        text, quote = self.text, self.quote
        near = at - 512 if at > 512 else 0
        found = text.rfind(quote, near, at)
        if found == -1:
            if self.asked > at:
                found = text.rfind(quote, 0, near)
            else:
                step = text.find(quote, self.asked, near) if self.asked < near else -1
                found = self.last if step == -1 else text.rfind(quote, step, near)
        self.asked, self.last = at, found
        return found


class _Ends:
    """Which ">" of a page lie outside every quoted attribute value. A value holds no quote of its
    own kind: a ">" inside one has that value's opening quote as the last quote of that kind
    before it, and an opening quote follows "=" of a name (spaces between allowed). A ">" whose
    last '"' and last "'" before it follow no such "=" is in no value, so it ends any tag it is
    in: it is sure."""

    __slots__ = ("text", "dquote", "squote")

    def __init__(self, text: str) -> None:
        self.text = text
        self.dquote, self.squote = _LastQuote(text, '"'), _LastQuote(text, "'")

    def sure(self, at: int) -> bool:
        text = self.text
        return not (_opens_a_value(text, self.dquote.before(at)) or _opens_a_value(text, self.squote.before(at)))

    def sure_in(self, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` holds a sure ">" (among its first ``_LOOKS``)."""
        find = self.text.find
        at = find(">", start, end)
        for _ in range(_LOOKS):
            if at == -1:
                return False
            if self.sure(at):
                return True
            at = find(">", at + 1, end)
        return False

    def sure_before(self, last: int) -> int | None:
        """The last sure ">" from ``last`` (a ">", or -1: none) back, None if the ``_LOOKS``
        from it back are unsure or too far apart."""
        at = last
        for _ in range(_LOOKS):
            if at == -1 or self.sure(at):
                return at
            at = self.text.rfind(">", max(at - 4096, 0), at)
            if at == -1:
                return None   # too far back to look
        return None


def _opens_a_value(text: str, quote: int) -> bool:
    """Whether the quote at ``quote`` may open a value: "=" before it (spaces between; a run of
    more than 64 taken for such), and not the second of "==" after a name's letter ("a==" is
    a value of "=": base64's padding, 'src="data:...Q=="', is no opening)."""
    at = quote - 1
    while at >= 0 and text[at] in _WS:
        if quote - at > 64:
            return True
        at -= 1
    return at >= 0 and text[at] == "=" and not (at >= 2 and text[at - 1] == "=" and text[at - 2].isalnum())


def _crowding(text: str, start: int) -> tuple[int, int]:
    """The attributes of the tag at ``start`` if more than the bound (else 0), and where they end
    (its ">", or the page's end); (0, ``start``) where no tag starts."""
    tag = _TAG_NAME.match(text, start)
    if tag is None:
        return 0, start
    read = _UP_TO_BOUND.match(text, tag.end()).end()   # one match in C, up to the bound
    if read == len(text) or text[read] == ">":
        return 0, read
    attributes_end = _TAG_ATTRIBUTES.match(text, read).end()
    return sum(1 for a in _NEXT_ATTRIBUTE.finditer(text, tag.end(), attributes_end) if a.group(1)), attributes_end


def _token_over(text: str, start: int) -> tuple[int, int]:
    """The attributes of the tag at ``start`` if more than the bound (else 0; 0 for any other
    token), and where that token ends: a raw-text element's (a script's) at its end tag, the
    page's end for one left open."""
    if not text.startswith("<", start):
        return 0, start   # text
    n, end = _crowding(text, start)
    if end == start:   # a comment, "<!...>", "<?...>", "</ ...>"
        if text.startswith("<!--", start):
            comment = _COMMENT_END.match(text, start + 4)
            return 0, comment.end() if comment and text.startswith(">", comment.end() - 1) else len(text)
        return 0, (text.find(">", start) + 1) or len(text)
    end = min(end + 1, len(text))
    name = _TAG_NAME.match(text, start).group()[1:].lower()
    if name in _RAW_TEXT_NAMES:   # its content is text up to its end tag
        close = _RAW_TEXT_END[name].search(text, end)
        end = close.start() if close else len(text)
    return n, end
