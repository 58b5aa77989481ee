"""Lines matched by their words (``words_of``: lower-cased, punctuation and spacing ignored), for the
fills that put back what the extraction lost between two of its lines."""

from __future__ import annotations

import re
from collections.abc import Callable

import lxml.etree as etree


def _lines_with(lines: list[str], after: dict[int, list[str]]) -> str:
    """``lines`` as a text, each followed by the lines ``after`` puts back after it."""
    return "\n".join(x for i, line in enumerate(lines) for x in (line, *after.get(i, ())))


def _block_line(el: etree._Element, text: str) -> str:
    """A block's text as a line of the extraction: a list item's with its mark."""
    return f"- {text}" if el.tag == "li" else text


def _between_filled(mine: list[str], theirs: list[str],
                    wanted: Callable[[str], bool] = lambda line: True) -> str | None:
    """``mine`` with the ``wanted`` lines ``theirs`` holds between two of its consecutive lines
    (none before its first line or after its last: a page's header, teasers, footer); None when it
    adds none. Lines are matched by their words: in a list now, a line gains its "- "."""
    keys = {words_of(line) for line in mine}
    where = _line_index(theirs)
    out: list[str] = []
    last: int | None = None   # where the previous line of ``mine`` is in ``theirs``
    for line in mine:
        at = where.get(words_of(line))
        if at is not None and (last is None or at > last):
            if last is not None:
                out += [t for t in theirs[last + 1:at] if wanted(t) and words_of(t) not in keys]
            last = at
        out.append(line)
    return "\n".join(out) if len(out) > len(mine) else None


def _line_index(lines: list[str], keys: dict[str, str] | None = None) -> dict[str, int]:
    """Each line's words -> the index of its first line (``keys``: each line's words, where the
    caller has read them). A wordless line ('* * *') is left out: it would anchor any other
    wordless line or element (an empty <p>)."""
    at: dict[str, int] = {}
    for i, line in enumerate(lines):
        if key := (keys[line] if keys is not None else words_of(line)):
            at.setdefault(key, i)
    return at


_WORD = re.compile(r"\w+")


def words_of(text: str) -> str:
    """The words lines are matched by: ``text``'s runs of word characters, lower-cased, one space apart."""
    return " ".join(_WORD.findall(text.lower()))
