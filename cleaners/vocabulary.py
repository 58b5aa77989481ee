"""Word patterns that more than one cleaning step reads, and the case folding they are looked
for in: kept here, below the steps, so that no step imports another for its words (the line rules
once imported the metadata module for the job words of a byline, the DOM rules the line rules for
the headings of a trailing region and for ``fold_case``)."""

from __future__ import annotations

import re

#: The job words of a byline (a pattern): a job title printed after the name ("Jane Doe Former
#: McKinsey Consultant", "Jane Doe Founder at Acme") is up to three words before one and what
#: follows it (``metadata``). The line rules read it too: a staff card's job title ending the body.
ROLE_WORD = (r"(?:co-?founder|founder|reporter|editor|writer|consultant|coordinator|manager|director|ceo|cto|"
             r"president|contributor|correspondent|analyst|specialist|officer|journalist|columnist|producer|"
             r"strategist|marketer|engineer|designer|researcher|reviewer)s?")

#: Letters that match an ASCII letter under re.I but that ``str.lower`` does not turn into it
#: (dotted and dotless I, long s; the Kelvin sign it does turn into "k").
_CASE_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def fold_case(s: str) -> str:
    """``s`` lowercased so that a word of ASCII letters that an re.I pattern finds in ``s`` is
    found in it by ``in``: the cheap test before such a pattern."""
    if s.isascii() or not ("\u0130" in s or "\u0131" in s or "\u017f" in s):
        return s.lower()   # three searches in C; translate looks each character up in a dict
    return s.translate(_CASE_FOLD).lower()


#: Headings after which the rest of the text is boilerplate (teasers, related lists).
TRAILING_HEADING = re.compile(
    r"""^\W*(?:must\s+read|related(?:\s+(?:articles?|posts?|stories|news|content|coverage|topics))?|
        more\s+(?:stories|news|articles|from\s+.{1,60}|on\s+this\s+topic|in\s+.{1,40})|
        recommended(?:\s+(?:for\s+you|stories|articles|reading|videos))?|you\s+may\s+also\s+like|
        you\s+might\s+also\s+like|trending(?:\s+now)?|most\s+(?:read|popular|viewed|shared)|
        latest\s+(?:news|stories|posts)|popular\s+(?:posts|stories|now)|read\s+next|what\s+to\s+read\s+next|
        also\s+read|read\s+more(?:\s+from\s+.{1,60})?|(?:today[’']?s\s+|other\s+(?:.{1,40}\s+)?)?top\s+stories|editor'?s\s+picks?|related\s+reading|
        leave\s+a\s+(?:reply|comment)|comments?|share\s+this(?:\s+article)?|
        ähnliche(?:\s+artikel)?|meistgelesen|das\s+könnte\s+sie\s+(?:auch\s+)?interessieren|
        sur\s+le\s+même\s+sujet|(?:noticias|notas)\s+relacionadas|contenido\s+relacionado|(?:te|le)\s+puede\s+interesar|
        articoli\s+correlati|schon\s+gelesen|lust\s+auf\s+mehr|weitere\s+artikel(?:\s+zum\s+thema)?|kommentierte\s+artikel|
        meist[-\s]?(?:diskutiert|kommentiert)|keine\s+kommentare|view\s+comments|
        関連(?:記事|キーワード|ニュース)|おすすめ(?:情報|記事)?|相关(?:新闻|阅读)|관련\s*기사)\W*$""",
    re.I | re.X,
)


def is_boilerplate_heading(line: str) -> bool:
    """Whether a line is a heading that opens a trailing boilerplate region."""
    s = line.strip()
    return len(s) <= 80 and bool(TRAILING_HEADING.match(s))
