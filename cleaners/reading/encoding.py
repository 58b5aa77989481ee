"""A page's bytes to text: the charset it declares (BOM, HTTP header, <meta>), else the one its
bytes show, in one function the crawl, ``newsclean clean`` and ``clean_html`` share.

Detection (only when nothing is declared): UTF-8 when the bytes are valid UTF-8, else
charset-normalizer's most plausible decoding, windows-1252 on a tie. charset-normalizer ranks
equally plausible single-byte charsets in its own order, so an undeclared windows-1252 page
(Spanish, Portuguese, French) came out in windows-1250 ("ń" for "ñ"); windows-1252 is what
browsers assume for such pages (WHATWG Encoding, the fallback for most locales).
"""

from __future__ import annotations

import re

from charset_normalizer import from_bytes
from w3lib.encoding import html_to_unicode, read_bom

#: The charset a tie between equally plausible decodings goes to.
TIE_CHARSET = "cp1252"
#: The charsets web pages are in (WHATWG Encoding's list, as Python codec names, with the
#: aliases charset-normalizer reports): DOS code pages (cp852, cp850, ...) are not among them,
#: yet their letters in 0x80-0x9F often looked more "coherent" than windows-1252's quotes.
WEB_CHARSETS = frozenset({
    "utf_8", "utf_16_be", "utf_16_le", "cp866", "latin_1", "iso8859_2", "iso8859_3", "iso8859_4",
    "iso8859_5", "iso8859_6", "iso8859_7", "iso8859_8", "iso8859_9", "iso8859_10", "iso8859_11",
    "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16", "koi8_r", "koi8_u", "mac_roman",
    "mac_cyrillic", "cp874", "tis_620", "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255",
    "cp1256", "cp1257", "cp1258", "gbk", "gb2312", "gb18030", "big5", "big5hkscs", "euc_jp",
    "iso2022_jp", "shift_jis", "cp932", "euc_kr", "cp949",
})


def detect_encoding(body: bytes) -> str | None:
    """The charset ``body``'s bytes show (a Python codec name), or None when no text decoding
    is plausible (binary data)."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    # each match: a decoding, and the charsets that decode the bytes to the same text
    matches = [(m, [c for c in m.could_be_from_charset if c in WEB_CHARSETS]) for m in from_bytes(body)]
    matches = [(m, web) for m, web in matches if web]
    if not matches:
        return None
    # Least mess first, then the most coherent text for its language; windows-1252 on a tie.
    best, web = min(matches, key=lambda mw: (mw[0].chaos, -mw[0].coherence, TIE_CHARSET not in mw[1]))
    return TIE_CHARSET if TIE_CHARSET in web else best.encoding if best.encoding in web else web[0]


def decode(html: str | bytes, content_type: str | None = None) -> str:
    """Text of a page: ``html`` as it is when already text, else its bytes decoded with the BOM's
    charset, the ``Content-Type`` header's, the <meta> one's, or the detected one (in that
    order; undecodable bytes become U+FFFD)."""
    if isinstance(html, str):
        return html
    return decode_with_charset(html, content_type)[1]


def decode_with_charset(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """(charset, text) of ``body`` as :func:`decode` reads it."""
    charset, text = html_to_unicode(content_type, body, auto_detect_fun=detect_encoding)
    head = body[:4096]
    wide = charset.startswith(("utf-16", "utf-32"))
    if (wide or b"\x00" in head) and read_bom(body) == (None, None):
        # No byte-order mark (it is read first): where UTF-16/32 is declared, or NUL bytes
        # show, the bytes tell whether the charset can be right, as browsers sniff them.
        shown = _wide_charset_shown(head, charset) if wide else _utf16_order(head) or charset
        if shown != charset:
            return _redecoded(body, shown)
    return charset, text


def _utf16_order(head: bytes) -> str | None:
    """The UTF-16 byte order ``head``'s NUL bytes show, or None. Markup is ASCII: in UTF-16
    every other byte of it is NUL, the second in little-endian. Stray NULs in a page (2% of
    it) are far from an eighth of its bytes at one parity."""
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd > len(head) // 8 and odd > 4 * even:
        return "utf-16-le"
    if even > len(head) // 8 and even > 4 * odd:
        return "utf-16-be"
    return None


def _wide_charset_shown(head: bytes, declared: str) -> str | None:
    """The UTF-16 order the bytes show, ``declared`` for a UTF-32 with NULs, else None: a
    declaration that cannot be right (UTF-8 bytes served as ``charset=utf-16`` read as CJK
    characters, then as a binary body: a ``not_html`` reject)."""
    if declared.startswith("utf-32"):
        return declared if head.count(0) > len(head) // 2 else _utf16_order(head)
    return _utf16_order(head)


def _redecoded(body: bytes, charset: str | None) -> tuple[str, str]:
    """(charset, text) of ``body`` in ``charset``; None: as if nothing had declared one (a <meta>
    that also says UTF-16 cannot be right either: WHATWG reads it as UTF-8), by detection."""
    if charset is None:
        charset = detect_encoding(body) or "utf-8"
    return html_to_unicode(f"text/html; charset={charset}", body)


#: The first characters of binary files that servers send as text/html (a PDF, a ZIP, a GIF, a
#: PNG, whatever the charset the bytes were read in), or a control character: no text starts so.
_BINARY_START = re.compile("%PDF-|PK\x03\x04|GIF8[79]a|.PNG\r\n\x1a\n|[\x00-\x08\x0e-\x1f]", re.S)
#: Characters that are not text: C0 and C1 controls (tab, newline, form feed and carriage return
#: aside), DEL, and U+FFFD for bytes that did not decode. Counted in C.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")
#: Share of such characters in the first 4 KB above which the body is binary. Stray NULs or
#: controls in a page stay far below it; random bytes in any charset are at 11% (controls) or
#: more (U+FFFD, C1).
BINARY_SHARE = 0.1


def looks_binary(text: str) -> bool:
    """A binary body read as text: a file signature or a control character first, or many
    characters in the first 4 KB that are not text, or any of them and no tag at all."""
    if _BINARY_START.match(text):
        return True
    head = text[:4096]
    bad = len(_NOT_TEXT.findall(head))
    return bad > BINARY_SHARE * len(head) or bad > 0 and "<" not in text[:65536]
