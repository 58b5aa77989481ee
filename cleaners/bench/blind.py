"""``--blind-classes``: a page as a site whose class and id names say nothing would serve it.

Sites built with CSS-in-JS (styled-components' ``sc-1x2y3z``, emotion's ``css-8a7bq2``), CSS
modules (``Article_body__3kF9a``) or utility classes give the cleaner's name cues ("related",
"share", "newsletter", "byline") nothing to read. :func:`blind_classes` turns every class and id
value of a page into hash tokens, one a word, so a bench run tells how much of the extraction
rests on the names and how much on the structure. What such a site keeps is kept: tag names, the
tree, every other attribute (``itemprop``, ``role``, ``aria-*``, ``data-*``, ``href``) and the
contents of ``<script>`` (JSON-LD, ``__NEXT_DATA__``), ``<style>`` and comments.

A word becomes the same token wherever it appears (a hashed build names one component alike on
every use, so cues that read repetition still see it); a token is ``k`` and eight digits, which
holds no letters of any word a cue looks for."""

from __future__ import annotations

import hashlib
import re

#: What is left as written (a script's JSON may hold markup in its strings), or a start tag.
_SPANS = re.compile(r"(<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->)|(<[a-zA-Z][^>]*>)",
                    re.I | re.S)
#: A class or id attribute of a start tag (``data-id`` and ``aria-*`` are other attributes: the
#: name must follow whitespace), its value quoted either way or bare.
_CLASS_ID = re.compile(r"""(\s(?:class|id)\s*=\s*)("[^"]*"|'[^']*'|[^\s"'=<>`]+)""", re.I)


def hash_token(word: str) -> str:
    """The token a class or id word becomes: the same for the same word, ``k`` and eight digits."""
    return "k%08d" % (int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "big") % 10**8)


def _blind_value(m: re.Match[str]) -> str:
    value = m.group(2)
    quote = value[0] if value[0] in "\"'" else ""
    words = value[1:-1].split() if quote else value.split()
    return m.group(1) + quote + " ".join(map(hash_token, words)) + quote


def _blind_span(m: re.Match[str]) -> str:
    return m.group(1) or _CLASS_ID.sub(_blind_value, m.group(2))


def blind_classes(html: str) -> str:
    """``html`` with each class and id value's words replaced by :func:`hash_token` (as many
    words as before); all else, the contents of scripts, styles and comments included, as written."""
    return _SPANS.sub(_blind_span, html)
