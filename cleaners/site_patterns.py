"""A site file's regular expressions (``articles.allow``/``deny``, ``discovery.pagination``,
``cleaning.drop_line_patterns``), compiled with the ``regex`` module and matched under a CPU bound.

A pattern that backtracks through every way to split a text that almost matches (``(a|aa)+$`` on
forty a's and a '!') took hours on one URL or line and held the crawl. ``regex`` reads such
patterns as Python's ``re`` does (``VERSION0``), gets through many of them in polynomial time
(``(\\w+-?)+``, ``(?:xa*a*)+``) and stops any match at ``timeout=``: no pattern can hang a crawl,
whatever its shape. :func:`backtracks` tries a pattern at load on texts that almost match it, to
refuse the worst in the site file, naming it; a match that passes the bound later is a
:class:`PatternTimeout` its caller counts and skips.
"""

from __future__ import annotations

import re

import regex

#: CPU seconds one site pattern may take on one URL or line (the process's CPU, as ``regex``
#: counts it: a busy machine does not shorten it). Our patterns and the catalog's take a few
#: microseconds on a URL; one that backtracks takes hours.
PATTERN_TIMEOUT = 0.1
#: The bound of one try at load (:func:`backtracks`): a pattern that passes it on a 40-character
#: near-miss doubles with each character more.
PROBE_TIMEOUT = 0.02
#: ``VERSION0``: a pattern means what it means to Python's ``re`` (no nested sets nor set
#: operations, zero-width matches and inline flags as ``re`` reads them). Two forms ``re`` also
#: compiles read otherwise (docs/sites.md): a POSIX class, ``[[:alpha:]]`` (``re``: the set of
#: ``[:alph`` and a ``]``, with a FutureWarning), and a fuzzy count, ``(?:ab){e<=1}`` (``re``: the
#: text ``{e<=1}``).
FLAGS = regex.VERSION0

#: Characters a near-miss is built of: each seed first, then the others (:func:`near_misses`).
_SEEDS = "a0 -/"
_OTHERS = "a0 -/_.,|#xA"
#: Characters put after a near-miss to make it miss.
_ENDS = "!\n"


class PatternTimeout(Exception):
    """A site pattern passed :data:`PATTERN_TIMEOUT` on one text: the URL or line is skipped."""

    def __init__(self, pattern: str, where: str = "") -> None:
        self.pattern, self.where = pattern, where
        super().__init__(f"{where + ': ' if where else ''}regular expression {pattern!r} passed "
                         f"{PATTERN_TIMEOUT:g} s of CPU on one text: it backtracks (docs/sites.md); skipped")


def compile_pattern(pattern: str) -> regex.Pattern[str]:
    """``pattern`` compiled as a site pattern. Its syntax is ``re``'s (raises ``re.error``): the
    regex module's own forms (``\\p{L}``, ``\\K``, a look-behind of any width) would be
    taken by it alone, and a site file stays what Python's ``re`` reads."""
    re.compile(pattern)
    return regex.compile(pattern, FLAGS)


def near_misses(pattern: regex.Pattern[str], length: int = 40) -> list[str]:
    """Texts that almost match ``pattern``: for each seed character, the longest text up to
    ``length`` characters that can still begin a match (``regex``'s partial matching), built of
    the seed where it can be, then one character that ends it (``'/a/aaa...a!'`` for
    ``'^/a/(a|aa)+/$'``). A try that passes :data:`PROBE_TIMEOUT` is itself a near-miss."""
    found = []
    for seed in _SEEDS:
        text = ""
        for _ in range(length):
            for c in seed + _OTHERS:
                try:
                    if pattern.fullmatch(text + c, partial=True, timeout=PROBE_TIMEOUT):
                        text += c
                        break
                except TimeoutError:
                    return [text + c]
            else:
                break
        found += [text + end for end in _ENDS]
    return list(dict.fromkeys(found))


def backtracks(pattern: regex.Pattern[str]) -> str | None:
    """A near-miss on which a search or a full match of ``pattern`` passes :data:`PROBE_TIMEOUT`
    (the pattern backtracks), or None."""
    for text in near_misses(pattern):
        try:
            pattern.search(text, timeout=PROBE_TIMEOUT)
            pattern.fullmatch(text, timeout=PROBE_TIMEOUT)
        except TimeoutError:
            return text
    return None


def fully_matches(pattern: regex.Pattern[str], text: str) -> bool:
    """Whether ``pattern`` matches all of ``text``; :class:`PatternTimeout` past the bound."""
    try:
        return pattern.fullmatch(text, timeout=PATTERN_TIMEOUT) is not None
    except TimeoutError:
        raise PatternTimeout(pattern.pattern) from None
