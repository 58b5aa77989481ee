"""Article markup a page only streams in its script data, for the browser to render.

Next.js pages (App Router) send the React tree as "flight" rows in inline scripts,
``self.__next_f.push([1, "<rows>"])``. Markup a component sets as raw HTML (an article body
kept as HTML in the publisher's CMS) travels as a text row, ``<id>:T<hex byte length>,<html>``,
and may be absent from the server-rendered page: extractors then find no body. This module
reads those rows back; :func:`cleaners.core.clean_html` uses it only for a page it would
otherwise reject for having no (or too short a) body, so rendered pages cost nothing.
"""

from __future__ import annotations

import json
import re

#: One flight push: the script's whole text is ``self.__next_f.push([...])``.
_PUSH = re.compile(r"<script[^>]*>\s*self\.__next_f\.push\((\[.*?\])\)\s*;?\s*</script>", re.S | re.I)
#: A text row's head; its length counts UTF-8 bytes (React's byteLengthOfChunk).
_TEXT_ROW = re.compile(rb"(?:^|\n)[0-9a-f]{1,8}:T([0-9a-f]{1,8}),")
#: Markup of running text: a row without it is a string prop, not an article body.
_PROSE_MARKUP = re.compile(r"<(?:p|br|h[2-6]|blockquote|li)\b", re.I)
#: Text rows shorter than this (markup included) are labels, captions, snippets.
MIN_ROW_CHARS = 500


def flight_payload(text: str) -> str:
    """The concatenated flight data of a page ("" when it has none)."""
    if "__next_f" not in text:   # a substring test in C: most pages stop here
        return ""
    parts = []
    for m in _PUSH.finditer(text):
        try:
            arr = json.loads(m.group(1))
        except ValueError:
            continue   # a push of another shape (or a truncated page): not ours to read
        if isinstance(arr, list) and len(arr) > 1 and arr[0] == 1 and isinstance(arr[1], str):
            parts.append(arr[1])
    return "".join(parts)


def streamed_markup(text: str) -> list[str]:
    """The HTML text rows of a page's flight data that hold running text (paragraphs,
    breaks, subheads), in stream order."""
    data = flight_payload(text).encode("utf-8", "surrogatepass")
    out: list[str] = []
    end = 0
    for m in _TEXT_ROW.finditer(data):
        if m.start() < end:
            continue   # inside the previous row's text
        end = m.end() + int(m.group(1), 16)
        row = data[m.end():end].decode("utf-8", "replace")
        if len(row) >= MIN_ROW_CHARS and _PROSE_MARKUP.search(row):
            out.append(row)
    return out


def with_streamed_body(text: str) -> str | None:
    """``text`` with its streamed article markup placed in the body (in an ``<article>``), or
    None when the page streams none."""
    rows = streamed_markup(text)
    if not rows:
        return None
    block = "<article>" + "".join(f"<div>{row}</div>" for row in rows) + "</article>"
    at = text.lower().rfind("</body>")
    return text[:at] + block + text[at:] if at >= 0 else text + block
