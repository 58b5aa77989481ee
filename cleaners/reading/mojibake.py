"""Mojibake: UTF-8 that a page's own CMS read as cp1252 or Latin-1 ("â€™" for ’, "Ã©" for é).

- :func:`with_mojibake_mended`: before the page is parsed, the pairs and runs the extractor would
  cut in two ("í" as "Ã" and a soft hyphen, runs holding a C1 control, a no-break space after "Â").
- :func:`repair_mojibake`: the body's lines (and the title and authors) after extraction, by ftfy.
"""

from __future__ import annotations

import re

import ftfy


#: UTF-8 that the page's own CMS read as cp1252 or Latin-1 ("â€™" for ’, "Ã©" for é, "Â " for a
#: no-break space): words come out split and misspelt. Legitimate text does not hold these pairs.
#: UTF-8 read as cp1252 ("â€™") or as Latin-1 ("â\x80\x99": C1 controls no text means).
_MOJIBAKE = re.compile("â[€\u0080-\u009f]|Ã[\u0080-\u00bf]|Â[\u00a0-\u00bf]")


#: "í" in UTF-8 read as cp1252 or Latin-1: "Ã" and a soft hyphen, which the extractor drops as an
#: invisible character before ``repair_mojibake`` could see the pair ("GarcÃa"). No text means
#: that pair otherwise: it is put back as "í" before the page is parsed.
_MOJIBAKE_I = "\u00c3\u00ad"


#: UTF-8 read as Latin-1: a lead byte's letter ("â", "Ã") and its continuation bytes, one of
#: them a C1 control ("â\x80\x99" for ’, "Ã\x81" for Á). The extractor drops C1 controls as
#: invisible, so ``repair_mojibake`` saw "ownerâs" and could not mend it: such runs are put back
#: before the page is parsed. No text holds a C1 control (HTML maps "&#146;" to cp1252's ’).
_LATIN1_UTF8 = re.compile("[\u00c2-\u00df][\u0080-\u00bf]|[\u00e0-\u00ef][\u0080-\u00bf]{2}"
                          "|[\u00f0-\u00f4][\u0080-\u00bf]{3}")
_C1 = re.compile("[\u0080-\u009f]")


def _latin1_run_mended(m: re.Match[str]) -> str:
    run = m.group()
    if not _C1.search(run):   # "Ã©", "Â«" survive extraction: the lines' repair mends them
        return run
    try:
        return run.encode("latin-1").decode("utf-8")
    except UnicodeDecodeError:   # no UTF-8 sequence ("ð\x9f" cut short): left as it came
        return run


#: A no-break space in UTF-8 read as Latin-1 or cp1252: "Â" and the space. The lines' spaces are
#: collapsed (a no-break space to a space) before their repair could see the pair, which left
#: "solutionsÂ are" (one word) and "1.Â Â Â Myth". Ordinary text hardly holds the pair: "Â" ends
#: no common word. 6 wcxb-dev pages held it (dev 4, check 2), 130 times; no other dev set's page.
_MOJIBAKE_NBSP = "\u00c2\u00a0"


def with_mojibake_mended(text: str) -> str:
    """``text`` with the mojibake the extractor would cut in two put back before parsing: "í"
    as "Ã" and a soft hyphen, UTF-8 read as Latin-1 (runs holding a C1 control), and a
    no-break space read so ("Â" before it)."""
    # the soft hyphen alone first: a one-character search is a memchr, the pair's is not (and
    # pages write the hyphen as "&shy;", if at all)
    if "\u00ad" in text and _MOJIBAKE_I in text:
        text = text.replace(_MOJIBAKE_I, "\u00ed")
    # Gated by one character: every punctuation mark of U+2000-U+203F read so (’ “ ” – — …)
    # holds U+0080, and a page with this mojibake shows it there; a search for one character
    # is a memchr (0.02 ms on a page of wcxb-dev), the class's search 35 times that.
    if "\u0080" in text:
        text = _LATIN1_UTF8.sub(_latin1_run_mended, text)
    # "Â" alone first, a memchr (0.05 ms a wcxb-dev page, the pair's search 0.7 ms)
    if "\u00c2" in text and _MOJIBAKE_NBSP in text:
        text = text.replace(_MOJIBAKE_NBSP, "\u00a0")
    return text


def repair_mojibake(lines: list[str]) -> list[str]:
    """Lines with the page's mojibake repaired by ftfy; lines as they came when none shows."""
    if not any(_MOJIBAKE.search(s) for s in lines):
        return lines
    # only the encoding repair: ftfy's other fixes (quotes, ligatures, ...) would alter clean text
    return [ftfy.fix_encoding(s) for s in lines]
