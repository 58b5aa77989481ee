"""trafilatura keeps the zero-width joiners of a text.

trafilatura drops every character that is not printable (``utils.return_printables_and_spaces``;
``str.isprintable`` is False for the format characters, Unicode's Cf), so the zero-width non-joiner
(U+200C) that Persian writes its compound words with ("محله‌های" came out "محلههای", another
spelling no search finds) and the zero-width joiner (U+200D) of Indic conjuncts and of emoji
sequences were taken out of every body. They stay now where they join two characters (as jsoup and defuddle
keep them); one at a line's end or beside a space joins nothing and goes (Webflow pages space
their paragraphs with ``<p>&zwj;</p>``: each was a line of its own), and the other format
characters (soft hyphen, direction marks, BOM, zero-width space) go as before.

Installed at import, for the process: trafilatura caches the lines it has processed by their text
(``line_processing``), so a switch around each call would hand back lines cleaned the other way.
trafilatura called elsewhere in a process that imports the cleaners keeps them too (the bench's
plain trafilatura); its baseline, which imports the function by name, does not.
"""

from __future__ import annotations

import functools
import re

import trafilatura.utils

#: The format characters that spell words (U+200C zero-width non-joiner, U+200D zero-width joiner).
JOINERS = "\u200c\u200d"
#: Joiners that join nothing: at the text's start or end, or beside a space.
_LONE = re.compile(rf"(?<!\S)[{JOINERS}]+|[{JOINERS}]+(?!\S)")


@functools.lru_cache(maxsize=2**14)   # as trafilatura's own: one answer a character
def _printable_or_joiner(char: str) -> str:
    return char if char.isprintable() or char.isspace() or char in JOINERS else ""


def remove_control_characters(string: str) -> str:
    """trafilatura's ``utils.remove_control_characters`` (the characters that are not printable
    taken out), the ``JOINERS`` between two characters kept."""
    if string.isprintable():
        return string
    return _LONE.sub("", "".join(map(_printable_or_joiner, string)))


trafilatura.utils.remove_control_characters = remove_control_characters
