"""trafilatura's XPath lists with each regular-expression test guarded by its attribute's presence.

trafilatura selects boilerplate and body containers with XPaths such as
``.//*[self::div or ...][re:test(@id, '...') or re:test(@class, '...')]``. ``re:test`` is an
EXSLT function that lxml answers by calling Python's ``re`` for every element the path visits,
also for the many that have no ``id`` or ``class`` at all: it is then asked whether the pattern
matches the empty string. Guarded, ``(@class and re:test(@class, '...'))``, an element without the
attribute is answered in C. The answers are the same wherever the pattern cannot match an empty
string (the only case guarded): an absent attribute is an empty node-set, whose string is empty.
Those lists were a fifth of trafilatura's CPU in ``clean_html`` (wcxb-dev: 2.4 of 9.7 ms a page).

Only the cleaner's own extractions use the guarded lists (:func:`guarded`, around its
``bare_extraction`` calls): the lists are swapped in place for that call, because trafilatura's
modules import them by name. trafilatura used elsewhere in the process (``extract()``, a
benchmark's baseline) evaluates its own paths, as it always does. A thread that extracts while
another swaps gets either version of a list: the same answers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import trafilatura.xpaths
from lxml.etree import XPath, XPathError

#: The EXSLT namespace trafilatura binds to ``re`` in its paths.
REGEXP_NS = "http://exslt.org/regular-expressions"
_CALL = "re:test("
#: A first argument that is attributes of the context element: an empty node-set when absent.
_ATTRIBUTES = re.compile(r"@[\w:-]+(?:\s*\|\s*@[\w:-]+)*")
_LITERAL = re.compile(r"""'[^']*'|"[^"]*\"""")


def _arguments(path: str, start: int) -> tuple[list[str], int]:
    """The arguments of the call whose ``(`` is just before ``start``, and the index of its ``)``."""
    args, depth, quote, i, begin = [], 0, "", start, start
    while i < len(path):
        c = path[i]
        if quote:
            if c == quote:
                quote = ""
        elif c in "'\"":
            quote = c
        elif c in "([":
            depth += 1
        elif c in ")]":
            if depth == 0:
                args.append(path[begin:i].strip())
                return args, i
            depth -= 1
        elif c == "," and depth == 0:
            args.append(path[begin:i].strip())
            begin = i + 1
        i += 1
    raise ValueError("unbalanced re:test call")


def _never_empty(pattern: str, flags: str) -> bool:
    """Whether ``pattern`` (an XPath literal, with the EXSLT flags literal or '') cannot match ''."""
    try:
        return re.search(pattern[1:-1], "", re.I if "i" in flags else 0) is None
    except re.error:
        return False


def guard(path: str) -> str:
    """``path`` with each ``re:test(@attr, 'pattern')`` whose pattern cannot match an empty string
    written ``(@attr and re:test(@attr, 'pattern'))``; other calls as they are."""
    out, i = [], 0
    while (j := path.find(_CALL, i)) >= 0:
        literal = next((m for m in _LITERAL.finditer(path, i) if m.start() < j < m.end()), None)
        if literal is not None:   # the words re:test( inside a string: no call, left as they are
            out.append(path[i:literal.end()])
            i = literal.end()
            continue
        args, end = _arguments(path, j + len(_CALL))
        call = path[j:end + 1]
        flags = args[2] if len(args) == 3 else "''"
        if (len(args) in (2, 3) and _ATTRIBUTES.fullmatch(args[0]) and _LITERAL.fullmatch(args[1])
                and _LITERAL.fullmatch(flags) and _never_empty(args[1], flags)):
            call = f"({args[0]} and {call})"
        out += [path[i:j], call]
        i = end + 1
    out.append(path[i:])
    return "".join(out)


def _guarded(xpath: XPath) -> XPath:
    if _CALL not in xpath.path:
        return xpath
    try:
        return XPath(guard(xpath.path), namespaces={"re": REGEXP_NS})
    except (XPathError, ValueError):   # a path this reading does not follow: kept as it is
        return xpath


def _lists() -> dict[str, list[XPath]]:
    """trafilatura's module-level lists of XPaths, by name."""
    return {name: value for name, value in vars(trafilatura.xpaths).items()
            if isinstance(value, list) and value and all(isinstance(x, XPath) for x in value)}


_LISTS = _lists()
_ORIGINAL = {name: list(paths) for name, paths in _LISTS.items()}
GUARDED = {name: [_guarded(x) for x in paths] for name, paths in _LISTS.items()}


@contextmanager
def guarded() -> Iterator[None]:
    """trafilatura's XPath lists guarded for the duration of the block (see the module's doc)."""
    for name, paths in _LISTS.items():
        paths[:] = GUARDED[name]
    try:
        yield
    finally:
        for name, paths in _LISTS.items():
            paths[:] = _ORIGINAL[name]
